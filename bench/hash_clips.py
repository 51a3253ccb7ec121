"""Clip hashing throughput next to `openssl dgst -sha256` on the same 2 GB file.

Goal: at least 0.9x openssl. Both use OpenSSL's SHA-256 (hashlib links it), so the gap is
only what the Python loop adds: reads into one reused buffer and progress/cancel calls per
chunk. Runs alternate openssl and the app so machine noise hits both, after one warm-up
read that puts the file in the page cache (footage on a share would be read at network
speed by both alike). Prints; asserts nothing. The file is deleted afterwards.

    .venv/bin/python bench/hash_clips.py [--gib 2] [--runs 3] [--dir /tmp]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bwv_review.ingest.clips import sha256_file

BLOCK_BYTES = 64 * 1024 * 1024


def make_file(path: Path, size_bytes: int) -> None:
    block = os.urandom(BLOCK_BYTES)
    with path.open("wb") as handle:
        for _ in range(size_bytes // BLOCK_BYTES):
            handle.write(block)


def time_openssl(path: Path) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run(
        ["openssl", "dgst", "-sha256", "-r", str(path)], check=True, capture_output=True, text=True
    ).stdout
    return time.perf_counter() - start, out.split()[0]


def time_app(path: Path) -> tuple[float, str]:
    chunks = [0]

    def progress(_done: int, _total: int) -> None:
        chunks[0] += 1

    start = time.perf_counter()
    digest = sha256_file(path, progress=progress, cancel=lambda: False)
    return time.perf_counter() - start, digest.sha256


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gib", type=float, default=2.0, help="file size in GiB")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", default=tempfile.gettempdir(), help="where to write the file")
    args = parser.parse_args()
    size_bytes = int(args.gib * 1024**3) // BLOCK_BYTES * BLOCK_BYTES
    fd, name = tempfile.mkstemp(prefix="bwv-hash-bench-", suffix=".bin", dir=args.dir)
    os.close(fd)
    path = Path(name)
    try:
        make_file(path, size_bytes)
        time_openssl(path)  # warm the page cache
        openssl_s, app_s = [], []
        for _ in range(args.runs):
            seconds, openssl_hash = time_openssl(path)
            openssl_s.append(seconds)
            seconds, app_hash = time_app(path)
            app_s.append(seconds)
            assert app_hash == openssl_hash, "the two tools disagree on the hash"
    finally:
        path.unlink(missing_ok=True)
    gb = size_bytes / 1e9
    openssl_rate = gb / statistics.median(openssl_s)
    app_rate = gb / statistics.median(app_s)
    print(f"file: {gb:.2f} GB, {args.runs} runs each, median wall time")
    print(f"openssl dgst -sha256 : {openssl_rate:.2f} GB/s  {[round(s, 2) for s in openssl_s]}")
    print(f"bwv-review sha256    : {app_rate:.2f} GB/s  {[round(s, 2) for s in app_s]}")
    print(f"ratio app / openssl  : {app_rate / openssl_rate:.2f} (goal >= 0.90)")


if __name__ == "__main__":
    main()
