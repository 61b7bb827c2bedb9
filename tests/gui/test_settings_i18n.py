"""Settings file and languages: a typed, versioned file; a complete Spanish catalogue applied at start."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication

from core.paths import resource
from core.protocol import shipped_protocol
from core.rules.crs import CrsInput, grade_crs
from core.rules.guidance import crs_recommendations
from gui.i18n import install_translators, remove_translators, translation_file
from gui.settings import SETTINGS_VERSION, Settings, settings_path
from gui.words import recommendation_text


def test_settings_round_trip_in_the_per_user_config_folder(scratch_dirs):
    path = settings_path()
    assert str(path).startswith(str(scratch_dirs / "config"))
    Settings(language="es", temperature_unit="F", last_user="nurse.kim").save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data == {"version": SETTINGS_VERSION, "language": "es", "temperature_unit": "F",
                    "last_user": "nurse.kim", "autolock_minutes": 5, "backup_interval_minutes": 60,
                    "fhir_server_url": None, "text_scales": {}}
    assert Settings.load(path) == Settings(language="es", temperature_unit="F", last_user="nurse.kim")


def test_a_missing_or_broken_settings_file_gives_the_defaults(scratch_dirs):
    path = settings_path()
    assert Settings.load(path) == Settings()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json", encoding="utf-8")
    assert Settings.load(path) == Settings()
    path.write_text(json.dumps({"language": "xx"}), encoding="utf-8")
    assert Settings.load(path) == Settings()


def test_the_spanish_catalogue_is_complete():
    ts = resource("translations", "crs_bedside_es.ts")
    messages = list(ET.parse(ts).getroot().iter("message"))
    assert len(messages) > 300
    unfinished = [m.findtext("source") for m in messages
                  if m.find("translation").get("type") == "unfinished" or not m.findtext("translation")]
    assert unfinished == []
    placeholders = [m.findtext("source") for m in messages
                    if sorted(re.findall(r"%\d", m.findtext("source"))) != sorted(re.findall(r"%\d",
                                                                                           m.findtext("translation")))]
    assert placeholders == []                                             # every %1, %2 survives translation
    compiled = QTranslator()
    assert compiled.load(str(translation_file("es")))                     # the shipped .qm is built from it
    assert compiled.translate("Status", "No CRS") == "Sin SLC"
    assert all(compiled.translate(ctx.findtext("name"), m.findtext("source"))
               for ctx in ET.parse(ts).getroot().iter("context") for m in ctx.iter("message"))


def test_recommendations_are_the_rules_sentence_in_the_windows_language(qtbot):
    """Issue 18: the full sentence, with the grade and the protocol's values, in English and in Spanish (never the
    code's short sentence in place of the rule's)."""
    crs = grade_crs(CrsInput(temperature_c=38.5, systolic_bp=85, age_years=40), shipped_protocol())
    rec = next(r for r in crs_recommendations(crs, shipped_protocol()) if r.code == "notify_prescriber")
    assert recommendation_text(rec) == "CRS grade 2: notify the prescriber now."
    app = QApplication.instance()
    translators = install_translators(app, "es")
    try:
        assert recommendation_text(rec) == "SLC grado 2: avise ya al prescriptor."
        assert QApplication.translate("Status", "No CRS") == "Sin SLC"
    finally:
        remove_translators(app, translators)
        install_translators(app, "en")
    assert recommendation_text(rec) == "CRS grade 2: notify the prescriber now."
    assert QApplication.translate("Status", "No CRS") == "No CRS"
