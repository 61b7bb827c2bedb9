"""Snapshots of a patient's fold, so that opening a ward of long-stay patients does not fold every record again.

A snapshot is derived state, kept in the database beside the records and always disposable (ARCHITECTURE.md): it is
used only when its key matches — the fold's code, the protocol's full content and the patient's details — and the
records entered after it are applied on top; anything else is folded afresh from the records.

The encoding is plain JSON with a closed list of types (the record models, the enums of core.records and the
dataclasses of core.state / core.regimen). Nothing in a snapshot can name other code, so a tampered snapshot can at
worst be refused, never executed.
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
from typing import Any

from pydantic import BaseModel

import core.fold.types as types_module
import core.records as records_module
import core.regimen as regimen_module
import core.rules.episodes as episodes_module
import core.state as state_module
from core.protocol import Protocol
from core.records import RECORD_MODELS, STORED, Patient

#: Bump when the encoding itself changes (2: the fold's last key, issue 17's same-moment order, replaced last_at).
FORMAT = 2

_ENUMS: dict[str, type[enum.Enum]] = {
    name: obj for name, obj in vars(records_module).items() if inspect.isclass(obj) and issubclass(obj, enum.Enum)
}
_DATACLASSES: dict[str, type] = {
    name: obj for module in (types_module, episodes_module, regimen_module) for name, obj in vars(module).items()
    if inspect.isclass(obj) and dataclasses.is_dataclass(obj) and obj.__module__ == module.__name__
}
#: Attributes re-created from the patient and the protocol rather than stored.
_REBUILT = frozenset({"patient", "protocol", "dosing", "admitted"})


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


def _object_state(obj: object) -> dict[str, Any]:
    return {name: value for name, value in vars(obj).items() if name not in _REBUILT}


def _code_fingerprint() -> str:
    """A digest of the bytecode of every function of the fold and the rules it calls: a snapshot made by other
    code is never reused (this works in a frozen build too, where no source files ship)."""
    import importlib
    import pkgutil

    import core.fold as fold_package
    import core.rules as rules_package

    modules = [state_module, regimen_module, records_module] + [
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
    """The fold as snapshot JSON."""
    folder = fold._folder
    doc = {
        "last_seq": fold.last_seq,
        "last_key": _encode(fold.last_key),
        "superseded": _encode(fold.superseded),
        "folder": {name: _encode(value) for name, value in _object_state(folder).items() if name != "tracker"},
        "tracker": {name: _encode(value) for name, value in _object_state(folder.tracker).items()},
    }
    return json.dumps(doc, separators=(",", ":"))


def load_fold(text: str, patient: Patient, protocol: Protocol) -> state_module.PatientFold:
    """A fold from snapshot JSON (made for this patient and protocol: check :func:`snapshot_key` first).

    Raises:
        SnapshotError: the snapshot cannot be decoded.
    """
    try:
        doc = json.loads(text)
        fold = state_module.PatientFold(patient, protocol)
        folder = fold._folder
        for name, value in doc["folder"].items():
            if not hasattr(folder, name):
                raise SnapshotError(f"unknown fold attribute {name!r}")
            setattr(folder, name, _decode(value))
        for name, value in doc["tracker"].items():
            if not hasattr(folder.tracker, name):
                raise SnapshotError(f"unknown tracker attribute {name!r}")
            setattr(folder.tracker, name, _decode(value))
        folder.restore_details()  # the patient as patient_updated records left them (the patient is rebuilt)
        fold.last_seq = int(doc["last_seq"])
        fold.last_key = _decode(doc["last_key"])
        fold.last_at = fold.last_key[0] if fold.last_key is not None else None
        fold.superseded = _decode(doc["superseded"])
        return fold
    except SnapshotError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise SnapshotError(f"malformed snapshot ({type(exc).__name__})") from None
