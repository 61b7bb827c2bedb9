"""Translation: the Qt Linguist catalogues (resources/translations/*.qm) and contexts for free functions.

``pyside6-lupdate`` names a message's context after the object a ``tr`` call is made on, so free functions call
``Status.tr("...")`` (context "Status") and the catalogue finds them; widgets use ``self.tr``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from core.paths import resource

if TYPE_CHECKING:
    def QT_TRANSLATE_NOOP(context: str, message: str, /) -> str:
        """PySide6's marker for pyside6-lupdate, as the type checker should see it: it returns the message itself
        (PySide6's stub says ``object``)."""
        ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP as QT_TRANSLATE_NOOP  # re-exported: gui.words, gui.status_style

CATALOGUE = "crs_bedside"


class _Context:
    """A translation context for code outside a QObject."""

    def __init__(self, name: str):
        self.name = name

    def tr(self, text: str) -> str:
        """Translate ``text`` in this context."""
        return QCoreApplication.translate(self.name, text)


Status = _Context("Status")
Errors = _Context("Errors")
Words = _Context("Words")
Round = _Context("Round")   # the nurse's round: admission, record, escalation and import dialogs (issue 13)
Wizard = _Context("Wizard")   # the vitals wizard's fields, steps and checks (gui/wizard_*.py)
Timeline = _Context("Timeline")   # the infusion timeline as painted (gui/timeline_painting.py)


def translation_file(language: str):
    """The compiled catalogue of a language (``resources/translations/crs_bedside_es.qm``)."""
    return resource("translations", f"{CATALOGUE}_{language}.qm")


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the app's catalogue and Qt's own (dialog buttons) for ``language``; English needs none.

    Returns the installed translators (keep them alive; remove them with :func:`remove_translators`).
    """
    installed: list[QTranslator] = []
    if language == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
        return installed
    QLocale.setDefault(QLocale(language))
    ours = QTranslator(app)
    if ours.load(str(translation_file(language))):
        app.installTranslator(ours)
        installed.append(ours)
    qt = QTranslator(app)
    if qt.load(QLocale(language), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        installed.append(qt)
    return installed


def remove_translators(app: QCoreApplication, translators: list[QTranslator]) -> None:
    """Undo :func:`install_translators`: its catalogues and its locale (the words core renders follow the window's
    language, gui.words.window_language)."""
    for translator in translators:
        app.removeTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
