"""The services that import a file (another laptop's export, or a ward's records): read it, check all of it
before anything is written, preview it, then merge it in one transaction (core/merge.py)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.clock import Clock
from core.errors import InputError
from core.merge import MergePlan, keep_differences, keep_origins, plan_merge
from core.records import Patient, RecordBase, parse_record, validate_strict
from core.security import Permission
from core.services_checks import RecordLookup, check_new_record, check_patient
from core.services_reading import ReadingServices
from core.store import AppendResult
from core.strict_input import excerpt, field_path, parse_json_text

IMPORT_FORMAT = "crs-bedside/1"

@dataclass(frozen=True)
class ImportPreview:
    """What an import file would add (File -> Import... shows it before anything is written)."""

    new_patients: tuple[Patient, ...]
    known_patients: int
    new_records: int
    known_records: int
    new_by_type: dict[str, int]


@dataclass(frozen=True)
class ImportPlan:
    """An import file that passed every check: what :meth:`Bedside.import_data` appends in one transaction."""

    patients: list[Patient]
    records: list[RecordBase]


class ImportServices(ReadingServices):
    """The import part of :class:`core.services.Bedside`."""

    def import_data(self, data: Any, *, parsed: tuple[list[Patient], list[RecordBase]] | None = None,
                    source: str = "the import file") -> AppendResult:
        """Validate a whole import file (:func:`validate_import`: the checks recording makes), then merge all of it
        in one transaction (core/merge.py): records already here are skipped, a patient's differing details are
        settled by ``patient_updated`` records or kept as a difference for review, never overwritten.

        Raises:
            InputError: naming ``records[i].field`` and the reason; nothing is written.
            PermissionDenied: the account may not import, or may not enter a record type the file holds.
        """
        plan = validate_import(data, lookup=self.store, clock=self.clock, require=self.require, parsed=parsed)
        result = self._merge(plan_merge(self.store, plan.patients, plan.records, data), plan.records, source)
        self._prepare_folds({record.mrn for record in plan.records})
        return result

    def import_preview(self, data: Any) -> ImportPreview:
        """What :meth:`import_data` would add, without writing: the whole file is validated first.

        Raises:
            InputError: naming ``records[i].field`` and the reason.
        """
        plan = validate_import(data, lookup=self.store, clock=self.clock, require=self.require)
        patients, records = plan.patients, plan.records
        new_patients = [p for p in patients if self.store.patient(p.mrn) is None]
        new_records = [r for r in records if self.store.record_by_id(str(r.id)) is None]
        types: dict[str, int] = {}
        for record in new_records:
            types[record.type] = types.get(record.type, 0) + 1
        return ImportPreview(tuple(new_patients), len(patients) - len(new_patients), len(new_records),
                             len(records) - len(new_records), types)

    def merge_preview(self, data: Any) -> MergePlan:
        """What importing (merging) this document would do, after every check of an import; writes nothing."""
        plan = validate_import(data, lookup=self.store, clock=self.clock, require=self.require)
        return plan_merge(self.store, plan.patients, plan.records, data)

    def _merge(self, plan: MergePlan, records: list[RecordBase], source: str) -> AppendResult:
        """Append what the plan adds, keep its unexplained differences and where each record was entered: one
        transaction."""
        now = self.clock.now()
        with self.store.transaction():
            result = self.store.append(plan.new_patients, records, recorded_by=self.user, now=now)
            kept = keep_differences(self.store, plan, now, self.user, source)
            keep_origins(self.store, plan, records, source)
        return AppendResult(result.patients_added, result.records_added, result.records_already_present,
                            tuple(d.text() for d in plan.differences), kept)

    def _prepare_folds(self, mrns: set[str]) -> None:
        """Fold the imported patients who are on the ward now and keep their snapshots (derived state, written
        after the import has committed), so the first status after an import reads snapshots instead of folding
        every record (build_scripts/bench.py: 300 ms for a ward just imported)."""
        now = self.clock.now()
        for patient in self.store.ward_patients():
            if patient.mrn in mrns:
                self._state(patient, now)

    def import_file(self, path: str | Path) -> AppendResult:
        """Read and import a file (see :meth:`import_data`)."""
        return self.import_data(read_json_file(path), source=Path(path).name)

def read_json_file(path: str | Path) -> Any:
    """Read JSON from a file with the limits of core/strict_input.py, with a plain message for an unreadable file or
    invalid JSON."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a UTF-8 text file") from None
    return parse_json_text(text, str(path))


def parse_import(data: Any) -> tuple[list[Patient], list[RecordBase]]:
    """Validate the shape and the types of a whole import document (strict, every record with its ``id``); the
    first problem raises an :class:`InputError`. :func:`validate_import` adds the checks against the ward."""
    if not isinstance(data, dict):
        raise InputError("import: the file must hold a JSON object with format, patients and records")
    unknown = sorted(set(data) - {"format", "patients", "records", "laptop", "origins"}, key=str)
    if unknown:
        raise InputError(f"{field_path('', str(unknown[0]))}: unknown field (check the spelling)", str(unknown[0]))
    if data.get("format") != IMPORT_FORMAT:
        raise InputError(f"format: {excerpt(data.get('format'))} is not {IMPORT_FORMAT!r}", "format")
    raw_patients = data.get("patients", [])
    raw_records = data.get("records", [])
    if not isinstance(raw_patients, list):
        raise InputError("patients: must be a list", "patients")
    if not isinstance(raw_records, list):
        raise InputError("records: must be a list", "records")
    patients = [validate_strict(Patient, item, f"patients[{index}]") for index, item in enumerate(raw_patients)]
    seen_mrns: set[str] = set()
    for index, patient in enumerate(patients):
        if patient.mrn in seen_mrns:
            raise InputError(f"patients[{index}].mrn: {patient.mrn} appears twice in the file", "mrn")
        seen_mrns.add(patient.mrn)
    records = [parse_record(item, f"records[{index}]", require_id=True) for index, item in enumerate(raw_records)]
    seen_ids: dict[uuid.UUID, int] = {}
    for index, record in enumerate(records):
        if record.id in seen_ids:
            raise InputError(f"records[{index}].id: {record.id} is also records[{seen_ids[record.id]}]", "id")
        seen_ids[record.id] = index
    return patients, records


def validate_import(data: Any, *, lookup: RecordLookup, clock: Clock, require: Callable[[Permission], None],
                    parsed: tuple[list[Patient], list[RecordBase]] | None = None) -> ImportPlan:
    """Every check of an import file, in one place, before anything is written (INTERFACE.md "Import rules"): strict
    types and every record's ``id`` (:func:`parse_import`), the account may import and may enter each record type
    (D6), patients born by today, and each record passes :func:`check_new_record` (the checks of recording). A merge
    builds on this function.

    Raises:
        InputError: the first problem, naming ``records[i].field``. PermissionDenied: a role check failed.
    """
    require(Permission.IMPORT)
    patients, records = parsed if parsed is not None else parse_import(data)   # parsed: parse_import(data) already
    today = clock.now().date()
    for index, patient in enumerate(patients):
        check_patient(patient, today, f"patients[{index}]")
    in_file = {patient.mrn: patient for patient in patients}
    pending = {record.id: record for record in records}
    for index, record in enumerate(records):
        check_new_record(record, f"records[{index}]", lookup=lookup, clock=clock, require=require,
                         patients=in_file, pending=pending)
    return ImportPlan(patients, records)
