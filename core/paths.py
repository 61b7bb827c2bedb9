"""The one frozen-aware lookup of shipped resources (protocols, demo ward, translations, templates, icons)."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """The `resources/` folder: inside a PyInstaller bundle, or beside `core/` in a checkout or installation."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    import resources

    return Path(resources.__file__).resolve().parent


def resource(*parts: str) -> Path:
    """Path of one shipped resource, e.g. ``resource("protocols", "default.toml")``."""
    return resources_dir().joinpath(*parts)


def user_data_dir() -> Path:
    """The per-user data folder where the database lives, outside any install folder (platformdirs)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("crs-bedside", appauthor=False))


def default_db_path() -> Path:
    """The default database: ``crs-bedside.db`` in the per-user data folder."""
    return user_data_dir() / "crs-bedside.db"


def demo_db_path() -> Path:
    """The demo ward's own database, made on first use."""
    return user_data_dir() / "demo-ward.db"
