"""Giving freed decoder memory back to the system (glibc), so it does not stay resident.

Decoded 1080p frames are 3 MB each. glibc serves allocations that size from its heaps
once a few have been freed (its mmap threshold rises to the largest freed block), and a
freed block in the middle of a heap stays resident: the frame cache emptied for playing
and the background decoders closed when idle left 60-70 MB resident while a 1080p clip
played. malloc_trim hands those pages back. glibc also gives each thread that allocates at
once a heap of its own (up to 8 per core), and libvlc's and FFmpeg's decoder threads each
kept one partly full; two heaps are enough for a desktop player. Elsewhere (Windows,
macOS, musl) the allocator is left alone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import cache
from typing import Any

_M_ARENA_MAX = -8  # mallopt's parameter number (malloc.h)
_ARENAS = 2


@cache
def _glibc() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") else None


def return_freed_memory() -> None:
    """Hand the free pages of every heap back to the system (a few ms); safe on any thread."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


def limit_heaps() -> None:
    """At most two malloc heaps from now on: call before libvlc starts its threads."""
    libc = _glibc()
    if libc is not None:
        libc.mallopt(_M_ARENA_MAX, _ARENAS)
