"""What proves a clip is the file the force handed over, measured where it lies (never copied).

Clips are 2-60 minutes of HD video, often gigabytes, on network storage. Hashing therefore
streams the file through one reused buffer (memory stays at one chunk whatever the size),
reports progress and can be cancelled between chunks: the GUI runs it on a worker thread
behind a progress dialog with a Cancel button. `hashlib` hands large chunks to OpenSSL
without holding the GIL, so this keeps pace with `openssl dgst -sha256`
(bench/hash_clips.py measures it). What the video holds comes from `ingest.probe`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from bwv_review.ingest.probe import ProbeError, probe_video

CHUNK_BYTES = 4 * 1024 * 1024
"""Large enough that per-call overhead vanishes next to OpenSSL's work, small enough that
progress and Cancel respond within a few milliseconds."""

Progress = Callable[[int, int], None]
"""Called with (bytes done, bytes in total) after each chunk."""
CancelCheck = Callable[[], bool]
"""Returns True once the person has asked to stop."""


class HashCancelled(Exception):
    """Hashing stopped because the cancel check said so; nothing was measured."""


class ClipUnreadable(Exception):
    """The file cannot be read, changed while being read, or is not a usable video."""


@dataclass(frozen=True)
class FileDigest:
    sha256: str
    size_bytes: int
    mtime_ns: int


@dataclass(frozen=True)
class ClipFacts:
    """Everything registration stores about a clip's file and its video."""

    digest: FileDigest
    codec: str
    duration_ms: int
    fps: Fraction | None
    variable_frame_rate: bool
    frame_count: int
    width_px: int
    height_px: int
    keyframe_indices: tuple[int, ...]


def sha256_file(
    path: Path,
    *,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
    done_before_bytes: int = 0,
    total_bytes: int | None = None,
    chunk_bytes: int = CHUNK_BYTES,
) -> FileDigest:
    """Stream `path` through SHA-256. `done_before_bytes` and `total_bytes` let a caller
    hashing many files report one progress bar across all of them.

    The size and modification time are read before and after: a file being written while it
    is hashed would otherwise get a hash that matches no version of it.
    """
    buffer = bytearray(chunk_bytes)
    view = memoryview(buffer)
    digest = hashlib.sha256()
    try:
        with open(path, "rb", buffering=0) as handle:
            before = os.fstat(handle.fileno())
            total = total_bytes if total_bytes is not None else before.st_size
            done = done_before_bytes
            # Read only the bytes there were at the start: a file still being written
            # would otherwise keep this loop going for as long as the writer does.
            remaining = before.st_size
            while remaining:
                if cancel is not None and cancel():
                    raise HashCancelled(f"{path}: hashing cancelled")
                count = handle.readinto(view[: min(chunk_bytes, remaining)])
                if not count:
                    break
                remaining -= count
                digest.update(view[:count])
                done += count
                if progress is not None:
                    progress(done, total)
        after = os.stat(path)
    except OSError as exc:
        raise ClipUnreadable(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
        raise ClipUnreadable(f"{path}: the file changed while it was being hashed; try again")
    return FileDigest(digest.hexdigest(), before.st_size, before.st_mtime_ns)


def measure_clip(
    path: Path,
    *,
    progress: Progress | None = None,
    cancel: CancelCheck | None = None,
    done_before_bytes: int = 0,
    total_bytes: int | None = None,
) -> ClipFacts:
    """Hash the file and list its frames. A file that is not a video, or a copy shorter
    than its header promises, is refused: the panel would review a broken clip."""
    digest = sha256_file(
        path,
        progress=progress,
        cancel=cancel,
        done_before_bytes=done_before_bytes,
        total_bytes=total_bytes,
    )
    try:
        probe = probe_video(path)
    except ProbeError as exc:
        raise ClipUnreadable(str(exc)) from exc
    if probe.truncated:
        raise ClipUnreadable(
            f"{path}: the copy is incomplete ({probe.frame_count} of "
            f"{probe.declared_frame_count} frames)"
        )
    return ClipFacts(
        digest=digest,
        codec=probe.codec,
        duration_ms=probe.duration_ms,
        fps=probe.fps,
        variable_frame_rate=probe.variable_frame_rate,
        frame_count=probe.frame_count,
        width_px=probe.width,
        height_px=probe.height,
        keyframe_indices=probe.keyframe_indices,
    )
