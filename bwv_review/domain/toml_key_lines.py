"""Where each key of a TOML text is written, because tomllib keeps no positions and a
hand-edited file's mistakes must be reported at their line."""

from __future__ import annotations

import bisect
import string

KeyPath = tuple[str | int, ...]
"""Where a value sits in a TOML document: table keys and array indexes, outermost first."""


_QUOTES = frozenset("\"'")
_BARE_KEY_CHARS = frozenset(string.ascii_letters + string.digits + "_-")
_SCALAR_ENDS = frozenset(",]}\n#")
_MAX_DEPTH = 64


class KeyLineIndex:
    """The line where each key of a TOML text is written, because tomllib keeps no positions.

    It reads structure only (table headers, keys, array items) and trusts tomllib to have
    judged the syntax. On text that is not valid TOML it still returns some line rather than
    raising: a poor guess costs a line number, never the message it decorates.
    """

    def __init__(self, source: str) -> None:
        self._lines = _KeyScanner(source).scan()

    def line_of(self, key_path: KeyPath) -> int:
        """The key's line, else that of its nearest written parent (so a missing key points at
        its table's header), else line 1."""
        for end in range(len(key_path), 0, -1):
            line = self._lines.get(key_path[:end])
            if line is not None:
                return line
        return 1


class _KeyScanner:
    """A single pass over a TOML text that notes the first line of every key path."""

    def __init__(self, source: str) -> None:
        self._text = source
        self._pos = 0
        self._newline_offsets = [offset for offset, char in enumerate(source) if char == "\n"]
        self._table: KeyPath = ()
        self._array_table_counts: dict[KeyPath, int] = {}
        self._lines: dict[KeyPath, int] = {}

    def scan(self) -> dict[KeyPath, int]:
        while self._skip_blank(newlines=True):
            start = self._pos
            if self._peek() == "[":
                self._header()
            else:
                self._key_value(self._table)
            if self._pos == start:
                self._pos += 1
        return self._lines

    def _header(self) -> None:
        line = self._line()
        is_array = self._text.startswith("[[", self._pos)
        self._pos += 2 if is_array else 1
        keys = self._key()
        self._skip_rest_of_line()
        if not keys:
            return
        table = self._resolve(keys)
        if is_array:
            index = self._array_table_counts.get(table, 0)
            self._array_table_counts[table] = index + 1
            self._note(table, line)
            table = (*table, index)
        self._table = table
        self._note(table, line)

    def _resolve(self, keys: tuple[str, ...]) -> KeyPath:
        """Header keys name arrays of tables without their index: ``[[dimensions.checks]]``
        belongs to the latest ``[[dimensions]]``."""
        path: KeyPath = ()
        for key in keys[:-1]:
            path = (*path, key)
            count = self._array_table_counts.get(path)
            if count:
                path = (*path, count - 1)
        return (*path, keys[-1])

    def _key_value(self, table: KeyPath) -> None:
        line = self._line()
        keys = self._key()
        self._skip_spaces()
        if not keys or self._peek() != "=":
            self._skip_rest_of_line()
            return
        self._pos += 1
        path = (*table, *keys)
        self._note(path, line)
        self._value(path)

    def _value(self, path: KeyPath) -> None:
        self._skip_spaces()
        char = self._peek()
        if len(path) > _MAX_DEPTH:
            self._scalar()
        elif char in _QUOTES:
            self._string()
        elif char == "[":
            self._array(path)
        elif char == "{":
            self._inline_table(path)
        else:
            self._scalar()

    def _array(self, path: KeyPath) -> None:
        self._pos += 1
        index = 0
        while self._skip_blank(newlines=True) and self._peek() != "]":
            start = self._pos
            item = (*path, index)
            self._note(item, self._line())
            self._value(item)
            self._skip_blank(newlines=True)
            if self._peek() == ",":
                self._pos += 1
            if self._pos == start:
                self._pos += 1
            index += 1
        self._pos += 1

    def _inline_table(self, path: KeyPath) -> None:
        self._pos += 1
        while self._skip_blank(newlines=True) and self._peek() != "}":
            start = self._pos
            self._key_value(path)
            self._skip_blank(newlines=False)
            if self._peek() == ",":
                self._pos += 1
            if self._pos == start:
                self._pos += 1
        self._pos += 1

    def _key(self) -> tuple[str, ...]:
        keys: list[str] = []
        while True:
            self._skip_spaces()
            if self._peek() in _QUOTES:
                keys.append(self._string())
            else:
                start = self._pos
                while self._peek() in _BARE_KEY_CHARS:
                    self._pos += 1
                if self._pos == start:
                    break
                keys.append(self._text[start : self._pos])
            self._skip_spaces()
            if self._peek() != ".":
                break
            self._pos += 1
        return tuple(keys)

    def _string(self) -> str:
        """Reads a string and returns its content; escapes keep the escaped character as
        written (``\\u`` is not decoded: no rubric key needs it)."""
        quote = self._peek()
        multiline = self._text.startswith(quote * 3, self._pos)
        delimiter = quote * 3 if multiline else quote
        self._pos += len(delimiter)
        content: list[str] = []
        while self._pos < len(self._text):
            if self._text.startswith(delimiter, self._pos):
                self._pos += len(delimiter)
                while multiline and self._peek() == quote:
                    self._pos += 1
                return "".join(content)
            char = self._text[self._pos]
            if char == "\n" and not multiline:
                break
            if char == "\\" and quote == '"':
                self._pos += 1
                char = self._peek()
            content.append(char)
            self._pos += 1
        return "".join(content)

    def _scalar(self) -> None:
        while self._pos < len(self._text) and self._peek() not in _SCALAR_ENDS:
            self._pos += 1

    def _skip_spaces(self) -> None:
        while self._peek() in (" ", "\t"):
            self._pos += 1

    def _skip_blank(self, *, newlines: bool) -> bool:
        """Skips spaces and comments (and line ends if asked); False at the end of the text."""
        blank = (" ", "\t", "\r", "\n") if newlines else (" ", "\t")
        while self._pos < len(self._text):
            char = self._peek()
            if char == "#":
                self._skip_comment()
            elif char in blank:
                self._pos += 1
            else:
                return True
        return False

    def _skip_comment(self) -> None:
        end = self._text.find("\n", self._pos)
        self._pos = len(self._text) if end < 0 else end

    def _skip_rest_of_line(self) -> None:
        while self._pos < len(self._text) and self._peek() != "\n":
            if self._peek() in _QUOTES:
                self._string()
            else:
                self._pos += 1

    def _peek(self) -> str:
        return self._text[self._pos : self._pos + 1]

    def _line(self) -> int:
        return bisect.bisect_left(self._newline_offsets, self._pos) + 1

    def _note(self, path: KeyPath, line: int) -> None:
        for end in range(1, len(path) + 1):
            self._lines.setdefault(path[:end], line)


def format_key_path(path: KeyPath) -> str:
    """Renders a path the way a chair reads it: ``dimensions[0].checks[3].help``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text
