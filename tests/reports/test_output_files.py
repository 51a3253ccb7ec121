"""Output files appear whole or not at all, and leave no temporary file behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from bwv_review.reports.output_files import OutputFolderMissing, staged_output


def test_the_file_is_moved_into_place_only_when_the_block_ends(tmp_path: Path) -> None:
    out = tmp_path / "pack.pdf"
    out.write_bytes(b"old")
    with staged_output(out, b"new") as staged:
        assert staged.parent == tmp_path and staged.read_bytes() == b"new"
        assert out.read_bytes() == b"old"  # nobody sees the new file half-written
    assert out.read_bytes() == b"new"
    assert list(tmp_path.iterdir()) == [out]


def test_an_error_in_the_block_keeps_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "pack.pdf"
    out.write_bytes(b"old")
    with pytest.raises(RuntimeError), staged_output(out, b"new"):
        raise RuntimeError("the audit event could not be written")
    assert out.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [out]


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with (
        pytest.raises(OutputFolderMissing, match="gone: there is no such folder"),
        staged_output(tmp_path / "gone" / "x.csv", b""),
    ):
        pass
