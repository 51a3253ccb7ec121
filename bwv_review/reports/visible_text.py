"""Control characters made visible, so a report never hides or chokes on them.

Services refuse control characters in what people type, but a report also prints text
that came in by other doors (imports, older rows). An invisible character would hide
something the reader should see, and XML cannot hold most of them at all, so both
renderers print a visible stand-in instead: the Unicode "control picture" for C0 and
DEL (U+2400 block, e.g. NUL prints as "␀") and the replacement character for C1
controls and lone surrogates. Tab and line feed are layout, not content, and are kept.
"""

from __future__ import annotations

import re

_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_REPLACEMENT = "\ufffd"
_DEL_PICTURE = "\u2421"


def _stand_in(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return _DEL_PICTURE
    return _REPLACEMENT


def visible(text: str) -> str:
    """`text` with every control character other than tab and line feed shown."""
    return _INVISIBLE.sub(_stand_in, text)
