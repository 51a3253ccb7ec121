"""Where things live and per-machine settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from bwv_review.config import Paths, Settings, SettingsError, resolve_db_url


def test_db_url_prefers_the_option_then_the_environment_then_the_user_data_dir(
    monkeypatch: pytest.MonkeyPatch, app_home: Paths, tmp_path: Path
) -> None:
    assert resolve_db_url(None) == f"sqlite:///{app_home.default_db_file}"
    monkeypatch.setenv("BWV_REVIEW_DB", "postgresql+psycopg://h/db")
    assert resolve_db_url(None) == "postgresql+psycopg://h/db"
    assert resolve_db_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"


def test_settings_survive_a_restart_and_keep_unknown_keys(app_home: Paths) -> None:
    path = app_home.settings_file
    settings = Settings(path)
    settings.map_footage_root("force-nas", Path("/mnt/bwv"))
    settings.set("from.a.newer.version", 7)
    again = Settings(path)
    assert again.footage_root_folder("force-nas") == Path("/mnt/bwv")
    assert again.get("from.a.newer.version") == 7
    assert again.get("player.jump_ms") == 5000
    assert path.stat().st_mode & 0o077 == 0


def test_a_damaged_settings_file_is_named_in_the_error(app_home: Paths) -> None:
    path = app_home.settings_file
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    with pytest.raises(SettingsError, match=str(path)):
        Settings(path)
