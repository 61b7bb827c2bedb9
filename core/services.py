"""Services: one method per user intent. Each validates, appends inside one transaction, and returns the new state.

The GUI and the command line call these and nothing below them, so both behave the same.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from core import assessment_draft  # the wizard's records and the trend's points (gui/wizard.py, gui/trend_chart.py)
from core.audit import AuditEntry, TamperedError
from core.clock import Clock
from core.grading import grade_assessment
from core.locking import DatabaseInUseError
from core.merge import MergePlan
from core.outbox import configured_url
from core.protocol import Protocol
from core.records import VitalsRecord
from core.rules.codes import GuardCode, RecommendationCode
from core.rules.guard import GUARDED_TYPES, PREMEDICATION_FIRST, GuardReason
from core.rules.guidance import Recommendation
from core.rules.plausibility import soft_limit_warnings
from core.services_checks import EmptyWard, RecordLookup, check_new_record
from core.services_files import FileFacts, FileReport, FileServices
from core.services_import import (
    IMPORT_FORMAT,
    ImportPlan,
    ImportPreview,
    ImportServices,
    parse_import,
    read_json_file,
    validate_import,
)
from core.services_recording import SIGNED_RECORD_TYPES, Recorded, RecordingServices
from core.state import PatientState
from core.store import AppendResult, DeferredChecks, Store, needs_key


def open_database(path: str | Path, **options: Any) -> Store:
    """Open a database file (core/store.py ``Store.open``, same options). The one door to a file outside the
    services: the window and the commands open here, then sign in (core/security.py) before a :class:`Bedside`
    reads anything; tests/test_layers.py keeps everything else away from the store."""
    return Store.open(path, **options)


class Bedside(RecordingServices, ImportServices, FileServices):
    """The services of one open database: the explicit context handed to windows, pages and commands.

    ``user`` is the signed-in :class:`core.security.User` (from ``Accounts.authenticate``), or in open mode (a
    database without accounts) just a name. Every record written is stamped with it; role checks
    (core/security.py) raise :class:`core.security.PermissionDenied` before anything is validated or written.

    One class made of its jobs, each in its own module: reading the patients, their records and their state from the
    cached fold (core/services_reading.py, the base of the others), writing records (core/services_recording.py),
    importing a file (core/services_import.py) and looking after the file (core/services_files.py).
    """


def status_document(states: list[PatientState], at: datetime, protocol: Protocol,
                    bedside: Bedside | None = None) -> dict[str, Any]:
    """The ``status`` command's JSON (INTERFACE.md "Status"). With the ``bedside`` that read the states, a patient
    with stored records that cannot be read gets ``problems``: one plain line each."""
    patients = []
    warnings = []
    behind = bedside.clock_behind() if bedside is not None else None
    if behind is not None and bedside is not None:
        warnings.append(clock_behind_text(bedside.clock.now(), behind))
    for state in states:
        doc = state.to_json()
        problems = bedside.read_problems(state.patient.mrn) if bedside is not None else ()
        if problems:
            doc["problems"] = list(problems)
        patients.append(doc)
    document: dict[str, Any] = {"at": at.isoformat(), "protocol": protocol.stamp(), "patients": patients}
    if warnings:
        document["warnings"] = warnings
    return document


def clock_behind_text(now: datetime, newest: datetime) -> str:
    """The warning when the laptop clock is behind the newest record."""
    return (f"the laptop clock ({now.isoformat(timespec='minutes')}) is behind the newest record "
            f"({newest.isoformat(timespec='minutes')}): what happened after the clock's time is not shown as now. "
            "Check the clock (clinic IT) before relying on this status.")



# AppendResult, AuditEntry, DeferredChecks and MergePlan are what the services return: the window imports them from
# here, never from the storage modules (the import contract gui-data-through-services, pyproject.toml). Likewise the
# rules' types and codes the window shows and the wizard's instant plausibility check: gui never imports core.rules.
__all__ = [
    "GUARDED_TYPES",
    "IMPORT_FORMAT",
    "PREMEDICATION_FIRST",
    "SIGNED_RECORD_TYPES",
    "AppendResult",
    "AuditEntry",
    "Bedside",
    "Clock",
    "DatabaseInUseError",
    "DeferredChecks",
    "EmptyWard",
    "FileFacts",
    "FileReport",
    "GuardCode",
    "GuardReason",
    "ImportPlan",
    "ImportPreview",
    "MergePlan",
    "Recommendation",
    "RecommendationCode",
    "RecordLookup",
    "Recorded",
    "Store",
    "TamperedError",
    "VitalsRecord",
    "assessment_draft",
    "check_new_record",
    "configured_url",
    "grade_assessment",
    "needs_key",
    "open_database",
    "parse_import",
    "read_json_file",
    "soft_limit_warnings",
    "status_document",
    "validate_import",
]
