"""One error path to the user (STYLE.md practice 8): what happened, what it means, what to do; details behind a
button. Validation problems are shown inline by the widgets, not here."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from core.errors import InputError, StoreError
from core.logging_setup import redacted_traceback
from core.security import AuthError, PermissionDenied
from gui.i18n import Errors

log = logging.getLogger("crs_bedside.gui")


def explain(exc: BaseException) -> tuple[str, str, str]:
    """(what happened, what it means, what to do) for an exception."""
    if isinstance(exc, StoreError):
        return (Errors.tr("The database file cannot be used."),
                Errors.tr("CRS Bedside has not changed the file and has not made a new one in its place. Nothing was "
                    "recorded."),
                Errors.tr("Check the file name and that no other copy of CRS Bedside has it open. If the file is "
                    "damaged, restore the latest backup or call clinic IT, and tell them the details below."))
    if isinstance(exc, PermissionDenied):
        return (Errors.tr("Your role does not allow this action."),
                Errors.tr("Nothing was recorded."),
                Errors.tr("Ask a colleague with the right role (the details below say which), or sign in as them "
                          "with File > Lock / switch user."))
    if isinstance(exc, AuthError):
        return (Errors.tr("Sign-in failed."),
                Errors.tr("Nothing was recorded."),
                Errors.tr("Check the user name and PIN, or ask an admin to reset the PIN."))
    if isinstance(exc, InputError):
        return (Errors.tr("The entry was not accepted."),
                Errors.tr("Nothing was recorded."),
                Errors.tr("Correct the value named below and try again."))
    return (Errors.tr("Something went wrong inside CRS Bedside."),
            Errors.tr("The last action may not have been completed. Records already saved are safe."),
            Errors.tr("Check the patient's records list before repeating the action. If it happens again, call "
                "clinic IT and give them the details below."))


def show_error(parent: QWidget | None, what: str, meaning: str, todo: str, details: str = "") -> None:
    """The one error dialog: the three plain sentences, details behind the "Show Details" button."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(Errors.tr("CRS Bedside – problem"))
    box.setText(what)
    what_to_do = Errors.tr("What to do:")
    box.setInformativeText(f"{meaning}\n\n{what_to_do} {todo}")
    box.setAccessibleName(what)
    if details:
        box.setDetailedText(details)
    box.exec()


def show_exception(parent: QWidget | None, exc: BaseException) -> None:
    """Explain an exception through :func:`show_error`; the traceback goes behind the button and to the log,
    redacted (core.logging_setup.redacted_traceback): an unexpected exception's message may name a patient or a
    value, so neither the crash report nor the log carries it."""
    what, meaning, todo = explain(exc)
    if isinstance(exc, (StoreError, InputError, PermissionDenied, AuthError)):
        details = str(exc)
    else:
        details = redacted_traceback(type(exc), exc, exc.__traceback__)
        log.error("unexpected failure\n%s", details)
    show_error(parent, what, meaning, todo, details)
