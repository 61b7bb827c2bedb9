"""User settings: a typed, versioned JSON file in the per-user config folder (STYLE.md practice 9).

Window geometry alone goes to QSettings (an INI file beside this one), see :func:`geometry_settings_path`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError

SETTINGS_VERSION = 1
LANGUAGES = ("en", "es")


class Settings(BaseModel):
    """What a user chooses once: language, temperature unit, who recorded last, auto-lock and backup timing."""

    model_config = ConfigDict(extra="ignore")

    version: int = SETTINGS_VERSION
    language: Literal["en", "es"] = "en"
    temperature_unit: Literal["C", "F"] = "C"
    last_user: str | None = Field(default=None, max_length=80)
    #: The screen locks (patient data hidden until someone signs in) after this many minutes without input.
    autolock_minutes: int = Field(default=5, ge=1, le=60)
    #: A rolling backup of the open database is made this often (core Store.make_backup("scheduled")).
    backup_interval_minutes: int = Field(default=60, ge=5, le=1440)
    #: The hospital's FHIR R4 base URL (``crs-bedside push``; ``$CRS_BEDSIDE_FHIR_URL`` wins). The bearer token is
    #: never stored here: it is read from ``$CRS_BEDSIDE_FHIR_TOKEN`` only.
    fhir_server_url: str | None = Field(default=None, max_length=500)
    #: View → Text size, per user (a factor of the system font; gui/text_size.py STEPS).
    text_scales: dict[str, Annotated[float, Field(ge=1.0, le=2.0)]] = Field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Settings:
        """Read the file; a missing, unreadable or invalid file gives the defaults (settings are not records)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls.model_validate(data)
        except (OSError, ValueError, ValidationError):
            return cls()

    def save(self, path: Path) -> None:
        """Write the file atomically (a crash never leaves half a file)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(self.model_dump_json(indent=2), encoding="utf-8")
        os.replace(tmp, path)


def config_dir() -> Path:
    """The per-user config folder (platformdirs)."""
    return Path(platformdirs.user_config_dir("crs-bedside", appauthor=False))


def settings_path() -> Path:
    """The settings file."""
    return config_dir() / "settings.json"


def geometry_settings_path() -> Path:
    """The QSettings INI file that keeps window geometry."""
    return config_dir() / "geometry.ini"
