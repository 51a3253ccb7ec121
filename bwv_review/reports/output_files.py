"""Writing an output file so that nobody ever opens half of one: the bytes go to a hidden
temporary file in the target folder (same file system, so the move is atomic), are synced,
and only then replace whatever was at the path. A failure or a cancel leaves the old file,
or nothing, and no temporary file behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class OutputFolderMissing(Exception):
    """The folder the file should go in is not there (or is not a folder)."""


@contextmanager
def staged_output(path: Path, data: bytes) -> Iterator[Path]:
    """Write `data` beside `path` and yield the temporary file; it is moved onto `path`
    when the block ends without an error, and removed when it raises. The caller records
    the disclosure inside the block, so a file is never in place without its record."""
    folder = path.parent
    if not folder.is_dir():
        raise OutputFolderMissing(f"{folder}: there is no such folder to write {path.name} in")
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    staged = Path(temporary)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        yield staged
        os.replace(staged, path)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
