"""Empty states: what a screen says before there is anything to show, so a person learns
what to do first and who does it instead of staring at a blank table."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget


@dataclass(frozen=True)
class EmptyStateText:
    title: str
    heading: str
    steps: tuple[str, ...]


class EmptyState(QWidget):
    """A centred heading and the first steps, in a column narrow enough to read."""

    def __init__(self, text: EmptyStateText, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(f"{text.title}: {text.heading}")
        heading = QLabel(f"<h2>{text.heading}</h2>")
        heading.setAccessibleName(text.heading)
        heading.setTextFormat(Qt.TextFormat.RichText)
        heading.setWordWrap(True)
        steps = QLabel("<p>" + "</p><p>".join(text.steps) + "</p>")
        steps.setWordWrap(True)
        steps.setAccessibleName(" ".join(text.steps))
        steps.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        steps.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # reachable by Tab for screen readers

        column = QWidget()
        column.setMaximumWidth(620)
        column_layout = QVBoxLayout(column)
        column_layout.addWidget(heading)
        column_layout.addWidget(steps)

        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column, 3)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
