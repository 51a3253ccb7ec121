"""A small panel rubric that uses every key of the format, written as a chair would, for the
loading and catalogue tests."""

from __future__ import annotations

from pathlib import Path

PANEL_RUBRIC = """\
format_version = 1

[rubric]
id = "panel"
title = "Panel rubric"
version = "1"

[[answers]]
id = "yes"
label = "Yes"
help = "Done."
rank = 2

[[answers]]
id = "no"
label = "No"
help = "Not done."
rank = 1

[[answers]]
id = "na"
label = "Not applicable"
help = "Does not apply."

[answering]
reason_required_for = ["no"]
not_applicable_answer = "na"

[[check_groups]]
id = "pair"
label = "A pair"
help = "Two checks shown together."

[[dimensions]]
id = "lawful"
label = "Lawful"
help = "Within the law."

[[dimensions.checks]]
id = "grounds"
text = "Grounds given"
help = "The officer said why."
critical = true
group = "pair"
letter = "G"
tags = ["weak_grounds"]

[[dimensions.checks]]
id = "object"
text = "Object given"
help = "The officer said what for."
applies_to = ["stop_and_search"]
group = "pair"
letter = "O"
reason_required_for = []

[[dimensions]]
id = "polite"
label = "Polite"
help = "Courteous."

[[dimensions.checks]]
id = "taser_warning_given"
text = "Taser warning given"
help = "Shouted a warning first."
applies_if = ["taser_used"]

[[grades]]
id = "fine"
label = "Fine"
colour = "#00aa00"
symbol = "+"
icon = "fine"
leads_to = "Thanks."
severity = 0

[[grades]]
id = "bad"
label = "Bad"
colour = "#aa0000"
symbol = "!"
icon = "bad"
leads_to = "A question."
severity = 1

[[grades]]
id = "unknown"
label = "Unknown"
colour = "#777777"
symbol = "?"
icon = "unknown"
leads_to = "Ask for footage."

[grading.dimension]
otherwise = "fine"

[[grading.dimension.rules]]
grade = "bad"
answer = "no"
min_count = 1
dimensions = ["lawful"]

[grading.case]
if_nothing_assessed = "unknown"

[[grading.case.rules]]
grade = "bad"
dimension_grade = "bad"
min_share = 0.5

[[tag_groups]]
id = "grounds_themes"
label = "Grounds"

[[tags]]
id = "weak_grounds"
label = "Weak grounds"
group = "grounds_themes"

[[tag_groups]]
id = "done_well"
label = "Done well"
kind = "good_practice"

[[tags]]
id = "calm_voice"
label = "Calm voice"
group = "done_well"
help = "Stayed calm when shouted at."
"""


def write_rubric(folder: Path, text: str, name: str = "panel.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
