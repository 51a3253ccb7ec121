"""Finds controls whose accessible name does not start with the words they show (WCAG
2.5.3 label in name): a speech user says what they see ("click Verify the clips") and a screen
reader user hears what a sighted colleague calls it. Buttons are compared with their own
text, fields with the label that names them (its buddy); an Alt key's & and symbols
(arrows, ellipses, colons) are not words and are left out, as are a label's step
number and a hint in brackets after it."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget


def words(text: str) -> str:
    """The words of a label as said aloud: no & mnemonics, markup or symbols, any case."""
    plain = re.sub(r"<[^>]*>", " ", text.replace("&", ""))
    return " ".join(re.sub(r"[^\w]+", " ", plain).split()).casefold()


def label_words(text: str) -> str:
    """What a label names: its words without a step number before them ("3. Sample
    size") or a hint in brackets after them ("(Space ticks one)")."""
    return words(re.sub(r"\([^)]*\)\s*:?\s*$", "", re.sub(r"^\s*\d+\.\s*", "", text)))


def label_in_name_problems(root: QWidget) -> list[str]:
    """Every control under `root`, shown or not, whose name starts otherwise than its
    visible label; each as `name` (label)."""
    pairs: list[tuple[QWidget, str]] = [
        (button, button.text()) for button in root.findChildren(QAbstractButton)
    ]
    for label in root.findChildren(QLabel):
        if (buddy := label.buddy()) is not None:
            pairs.append((buddy, label.text()))
    problems = []
    for widget, label_text in pairs:
        shown, name = label_words(label_text), widget.accessibleName()
        if shown and name and not words(name).startswith(shown):
            problems.append(f"{type(widget).__name__} {name!r} (shows {label_text!r})")
    return sorted(set(problems))
