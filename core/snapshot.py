"""Snapshots of a patient's fold, so that opening a ward of long-stay patients does not fold every record again.

A snapshot is derived state, kept in the database beside the records and always disposable (ARCHITECTURE.md): it is
used only when its key matches — the fold's code, the protocol's full content and the patient's details — and the
records entered after it are applied on top; anything else is folded afresh from the records.

The fold's state is written by an explicit, versioned schema: :data:`FOLDER_SCHEMA` and :data:`TRACKER_SCHEMA`
name every attribute of the running fold (``core.fold.folder._Folder``) and of its infusion tracker
(``core.regimen.InfusionTracker``) with its type; :func:`to_dict` / :func:`from_dict` write and read exactly those,
and :data:`FORMAT` is the schema's version, part of every snapshot and of its key. A snapshot of another version is
refused and the patient folded afresh; an attribute added to the fold but not to the schema fails
tests/core/test_snapshot_schema.py.

The values are plain JSON with a closed list of types (the record models, the enums of core.records and
core.rules.codes, and the dataclasses of core.fold.types, core.rules.episodes and core.regimen). Nothing in a snapshot
can name other code, so a tampered snapshot can at worst be refused, never executed.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import inspect
import json
import types
import uuid
from datetime import date, datetime
from types import NoneType
from typing import Any

from pydantic import BaseModel

import core.fold.types as types_module
import core.records as records_module
import core.regimen as regimen_module
import core.rules.codes as codes_module
import core.rules.episodes as episodes_module
import core.state as state_module
from core.fold.folder import _Folder
from core.fold.types import CrsTrigger
from core.protocol import Protocol
from core.records import RECORD_MODELS, STORED, GradeConfirmed, ObservationsNotDone, Patient, VitalsRecord

#: The schema's version. Bump it when :data:`FOLDER_SCHEMA`, :data:`TRACKER_SCHEMA` or the encoding changes (2: the
#: fold's last key, issue 17's same-moment order, replaced last_at; 3: the explicit schema, issue 18; 4: the prompt
#: codes of ``rec_since`` are core.rules.codes.RecommendationCode members, issue 18).
FORMAT = 4

_ENUMS: dict[str, type[enum.Enum]] = {
    name: obj for module in (records_module, codes_module) for name, obj in vars(module).items()
    if inspect.isclass(obj) and issubclass(obj, enum.Enum)
}
_DATACLASSES: dict[str, type] = {
    name: obj for module in (types_module, episodes_module, regimen_module) for name, obj in vars(module).items()
    if inspect.isclass(obj) and dataclasses.is_dataclass(obj) and obj.__module__ == module.__name__
}
#: Every attribute of the running fold (``_Folder.__init__``) kept in a snapshot, with its type. ``patient``,
#: ``admitted`` and ``protocol`` are rebuilt from the snapshot's key (:data:`FOLDER_REBUILT`); ``tracker`` is
#: :data:`TRACKER_SCHEMA`.
FOLDER_SCHEMA: dict[str, type | tuple[type, ...]] = {
    "latest": dict,                      # vital name -> (value, when taken) (D11)
    "latest_set": (VitalsRecord, NoneType),
    "latest_set_vasopressors": frozenset,
    "latest_flags": dict,                # life_threatening / fever_other_cause -> (value, when)
    "boluses": list,                     # D4: when fluids were given
    "running_pressors": set,
    "episodes": list,                    # D9: Episode
    "last_positive": (datetime, NoneType),
    "last_confirmation": (tuple, NoneType),   # (GradeConfirmed, the grade computed then) (D6)
    "override_in_force": bool,
    "death_recorded": (GradeConfirmed, NoneType),
    "as_of": (datetime, NoneType),
    "neuro": list,                       # NeuroAssessment records
    "seizures": int,                     # R-ICN-6
    "labs": list,                        # LabResult records
    "tocilizumab": list,                 # R-LAB-1: when given
    "closed_at": (datetime, NoneType),
    "run_started_at": (datetime, NoneType),
    "grade_steps": list,                 # (when, grade acted on)
    "trigger": (CrsTrigger, NoneType),
    "details": dict,                     # patient_updated: field -> (value, when)
    "escalations": list,                 # Escalation records
    "last_not_done": (ObservationsNotDone, NoneType),
    "rec_since": dict,                   # prompt code -> when it arose
    "tracked_at": (datetime, NoneType),
    "track_from": (datetime, NoneType),
    "full_set": (VitalsRecord, NoneType),
    "last_given": dict,                  # (drug, purpose) -> MedicationGiven
    "pressor_started": dict,             # agent -> VasopressorStarted
    "trail": (list, NoneType),           # TrailPoint
    "trail_from": (datetime, NoneType),
}
FOLDER_REBUILT = frozenset({"patient", "admitted", "protocol", "tracker"})
#: Every attribute of the infusion tracker (``InfusionTracker.__init__``) kept in a snapshot, with its type.
#: ``patient``, ``protocol`` and ``dosing`` are rebuilt (:data:`TRACKER_REBUILT`).
TRACKER_SCHEMA: dict[str, type | tuple[type, ...]] = {
    "status": str,
    "cycle": (int, NoneType),
    "cycle_started": (datetime, NoneType),
    "running_since": (datetime, NoneType),
    "infused_minutes_before_segment": (float, int),
    "bag_dose_per_day": (float, int, NoneType),
    "bag_hung_at": (datetime, NoneType),
    "bag_duration_h": (float, int, NoneType),
    "holds": list,                       # Hold
    "current_hold": (regimen_module.Hold, NoneType),
    "last_change_at": (datetime, NoneType),
    "premedications": list,              # when given
    "warnings": list,                    # PremedicationWarning
    "reduced_phase": bool,
    "reduced_since": (datetime, NoneType),
    "reduced_infused_before": (float, int),
    "reduced_from_restart": bool,
    "recurrences": list,                 # R-MOD-6: when
    "new_cycle_after_long_hold": bool,
    "last_restart": (regimen_module.Restart, NoneType),
    "last_start_at": (datetime, NoneType),
    "neuro_onset": (datetime, NoneType),
    "neuro_dose": (float, int, NoneType),
    "neuro_resolved_at": (datetime, NoneType),
    "neuro_low_since": (datetime, NoneType),
    "neuro_max_grade": int,
    "segments": list,                    # Segment
    "events": list,                      # InfusionEvent
}
TRACKER_REBUILT = frozenset({"patient", "protocol", "dosing"})


class SnapshotError(ValueError):
    """A snapshot that cannot be decoded (refused; the caller folds afresh)."""


def _encode(value: Any) -> Any:
    if value is None or (isinstance(value, (bool, int, float)) and not isinstance(value, enum.Enum)):
        return value
    if isinstance(value, enum.Enum):
        return {"$e": [type(value).__name__, value.value]}
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return {"$t": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, uuid.UUID):
        return {"$u": str(value)}
    if isinstance(value, BaseModel):
        kind = getattr(value, "type", None)
        if kind not in RECORD_MODELS or type(value) is not RECORD_MODELS[kind]:
            raise SnapshotError(f"cannot snapshot a {type(value).__name__}")
        return {"$r": value.model_dump(mode="json")}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if _DATACLASSES.get(name) is not type(value):
            raise SnapshotError(f"cannot snapshot a {name}")
        return {"$c": [name, {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}]}
    if isinstance(value, tuple):
        return {"$tu": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return {"$fs" if isinstance(value, frozenset) else "$s": [_encode(v) for v in value]}
    if isinstance(value, dict):
        return {"$m": [[_encode(k), _encode(v)] for k, v in value.items()]}
    raise SnapshotError(f"cannot snapshot a {type(value).__name__}")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) != 1:
        raise SnapshotError("malformed snapshot")
    (tag, body), = value.items()
    if tag == "$e":
        return _ENUMS[body[0]](body[1])
    if tag == "$t":
        return datetime.fromisoformat(body)
    if tag == "$d":
        return date.fromisoformat(body)
    if tag == "$u":
        return uuid.UUID(body)
    if tag == "$r":
        return RECORD_MODELS[body["type"]].model_validate(body, context=STORED)
    if tag == "$c":
        cls = _DATACLASSES[body[0]]
        return cls(**{k: _decode(v) for k, v in body[1].items()})
    if tag == "$tu":
        return tuple(_decode(v) for v in body)
    if tag == "$s":
        return {_decode(v) for v in body}
    if tag == "$fs":
        return frozenset(_decode(v) for v in body)
    if tag == "$m":
        return {_decode(k): _decode(v) for k, v in body}
    raise SnapshotError(f"unknown snapshot tag {tag!r}")


def _to_dict(obj: object, schema: dict[str, type | tuple[type, ...]]) -> dict[str, Any]:
    return {name: _encode(getattr(obj, name)) for name in schema}


def _from_dict(obj: object, doc: Any, schema: dict[str, type | tuple[type, ...]], what: str) -> None:
    if not isinstance(doc, dict) or set(doc) != set(schema):
        names = ", ".join(sorted(set(doc) ^ set(schema))) if isinstance(doc, dict) else type(doc).__name__
        raise SnapshotError(f"the {what}'s fields differ from schema {FORMAT}: {names}")
    for name, kind in schema.items():
        value = _decode(doc[name])
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):  # a bool is an int too
            raise SnapshotError(f"the {what}'s {name} is a {type(value).__name__}")
        setattr(obj, name, value)


def to_dict(folder: _Folder) -> dict[str, Any]:
    """The running fold's state: its own (:data:`FOLDER_SCHEMA`) and its infusion tracker's (:data:`TRACKER_SCHEMA`)."""
    return {"folder": _to_dict(folder, FOLDER_SCHEMA), "tracker": _to_dict(folder.tracker, TRACKER_SCHEMA)}


def from_dict(doc: Any, folder: _Folder) -> None:
    """Set a new fold's state from :func:`to_dict`; the patient's details are then restored.

    Raises:
        SnapshotError: a field missing, unknown or of the wrong type.
    """
    if not isinstance(doc, dict):
        raise SnapshotError("malformed snapshot")
    _from_dict(folder.tracker, doc.get("tracker"), TRACKER_SCHEMA, "infusion tracker")
    _from_dict(folder, doc.get("folder"), FOLDER_SCHEMA, "fold")
    folder.restore_details()  # the patient as patient_updated records left them (the patient is rebuilt)


def _code_fingerprint() -> str:
    """A digest of the bytecode of every function of the fold and the rules it calls: a snapshot made by other
    code is never reused (this works in a frozen build too, where no source files ship)."""
    import importlib
    import pkgutil

    import core.fold as fold_package
    import core.rules as rules_package

    # the fold and the infusion tracker (core/regimen.py with its parts), the records (with theirs) and the rules
    modules = [state_module, regimen_module, records_module] + [
        importlib.import_module(f"core.{name}")
        for name in ("infusion_state", "regimen_dosing", "record_enums", "record_fields")] + [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for package in (fold_package, rules_package) for info in pkgutil.iter_modules(package.__path__)]
    digest = hashlib.sha256(str(FORMAT).encode())

    def add_code(code: types.CodeType) -> None:
        digest.update(code.co_code)
        for const in code.co_consts:
            if isinstance(const, types.CodeType):
                add_code(const)
            else:
                digest.update(repr(const).encode())
        digest.update(repr(code.co_names).encode())

    for module in sorted(modules, key=lambda m: m.__name__):
        for name, obj in sorted(vars(module).items()):
            if getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj):
                add_code(obj.__code__)
            elif inspect.isclass(obj):
                for _attr_name, attr in sorted(vars(obj).items()):
                    if inspect.isfunction(attr):
                        add_code(attr.__code__)
                    elif isinstance(attr, (staticmethod, classmethod)):
                        add_code(attr.__func__.__code__)
                    elif isinstance(attr, property) and attr.fget is not None:
                        add_code(attr.fget.__code__)
            elif isinstance(obj, (int, float, str, tuple, frozenset)) and name.isupper():
                digest.update(f"{name}={obj!r}".encode())
    return digest.hexdigest()[:32]


_FINGERPRINT: str | None = None


def snapshot_key(patient: Patient, protocol: Protocol) -> str:
    """What a snapshot must match to be used: the fold's code, the protocol's whole content and the patient."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        _FINGERPRINT = _code_fingerprint()
    content = hashlib.sha256(protocol.model_dump_json().encode() + patient.model_dump_json().encode()).hexdigest()
    return f"{FORMAT}:{_FINGERPRINT}:{content[:32]}"


def dump_fold(fold: state_module.PatientFold) -> str:
    """The fold as snapshot JSON (schema :data:`FORMAT`)."""
    folder = fold._folder
    doc = {
        "format": FORMAT,
        "last_seq": fold.last_seq,
        "last_key": _encode(fold.last_key),
        "superseded": _encode(fold.superseded),
        **to_dict(folder),
    }
    return json.dumps(doc, separators=(",", ":"))


def load_fold(text: str, patient: Patient, protocol: Protocol) -> state_module.PatientFold:
    """A fold from snapshot JSON (made for this patient and protocol: check :func:`snapshot_key` first).

    Raises:
        SnapshotError: the snapshot is of another schema version or cannot be decoded.
    """
    try:
        doc = json.loads(text)
        if not isinstance(doc, dict) or doc.get("format") != FORMAT:
            found = doc.get("format") if isinstance(doc, dict) else None
            raise SnapshotError(f"snapshot schema {found!r}, this code reads {FORMAT}")
        fold = state_module.PatientFold(patient, protocol)
        folder = fold._folder
        from_dict(doc, folder)
        fold.last_seq = int(doc["last_seq"])
        fold.last_key = _decode(doc["last_key"])
        fold.last_at = fold.last_key[0] if fold.last_key is not None else None
        fold.superseded = _decode(doc["superseded"])
        return fold
    except SnapshotError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise SnapshotError(f"malformed snapshot ({type(exc).__name__})") from None
