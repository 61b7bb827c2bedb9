"""Bad input, generated: every record type, import files (random and truncated JSON) and the protocol file.

The promise checked on every example: either the input is accepted whole, or a typed, plain error comes back —
never a traceback, never a partial write.
"""

from __future__ import annotations

import enum
import io
import json
import re
import subprocess
import sys
import tempfile
import typing
import uuid
from contextlib import redirect_stderr, redirect_stdout
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from core.errors import InputError
from core.paths import resource
from core.protocol import Protocol, load_protocol_text
from core.records import RECORD_MODELS, field_limits
from core.store import Store
from gui.main import main as cli_main
from tests.core.safety_helpers import import_doc, vitals
from tests.scenario import T0, patient

ROOT = Path(__file__).resolve().parents[2]
NOW = T0 + timedelta(days=1)
CLI_FUZZ = settings(max_examples=60, deadline=None)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow])

json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10 ** 12, max_value=10 ** 12),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(["room_air", "alert", "crs", "dexamethasone", "none", "2022-01-10T08:00:00", "38.5", ""]),
)
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)), max_leaves=12)
field_names = sorted({name for model in RECORD_MODELS.values() for name in model.model_fields} - {"id", "mrn", "type"})


def _count(store: Store) -> int:
    return store.record_count()


@st.composite
def record_fields(draw: Any) -> tuple[str, dict[str, Any]]:
    kind = draw(st.one_of(st.sampled_from(sorted(RECORD_MODELS)), st.text(max_size=12)))
    model = RECORD_MODELS.get(kind)
    own = sorted(set(model.model_fields) - {"id", "mrn", "type", "at", "by"}) if model else field_names
    names = draw(st.lists(st.one_of(st.sampled_from(own or field_names), st.sampled_from(field_names),
                                    st.text(max_size=8)), max_size=6, unique=True))
    return kind, {name: draw(json_values) for name in names}


@given(record_fields())
@FUZZ
def test_any_record_of_any_type_is_stored_whole_or_refused_with_a_plain_message(bedside, data):
    _stored_whole_or_refused(bedside, *data)


def _stored_whole_or_refused(bedside: Any, kind: str, fields: dict[str, Any]) -> None:
    """The promise for one record: one more record, intact and chained; or a one-line InputError and no change."""
    before = _count(bedside.store)
    try:
        done = bedside.record("A100", kind, fields, at=NOW - timedelta(minutes=10))
    except InputError as exc:
        event("refused")
        assert str(exc) and "\n" not in str(exc)
        assert _count(bedside.store) == before
        return
    event(f"stored {kind}")
    assert _count(bedside.store) == before + 1
    stored = bedside.store.record_by_id(str(done.record.id))
    assert stored is not None and stored.record == done.record
    assert bedside.store.verify_chain(against_backups=False).ok


def _typed_values(model: Any, name: str) -> st.SearchStrategy[Any]:
    """Values of the field's own type, at, inside and just outside its limits (field_limits), or of its enum."""
    annotation = model.model_fields[name].annotation
    options = [a for a in (typing.get_args(annotation) or (annotation,)) if a is not type(None)]
    kind = options[0] if options else str
    origin = typing.get_origin(kind)
    if origin is list:
        (inner,) = typing.get_args(kind)
        return st.lists(st.sampled_from([m.value for m in inner]), max_size=3, unique=True)
    if typing.get_origin(kind) is typing.Annotated:
        kind = typing.get_args(kind)[0]
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return st.one_of(st.sampled_from([m.value for m in kind]), st.just("not_a_member"))
    if kind is bool:
        return st.booleans()
    if kind in (int, float):
        limits = field_limits(model, name)
        low = limits.get("ge", limits.get("gt", -1000))
        high = limits.get("le", limits.get("lt", 1000))
        edges = [low, high, low - 1, high + 1, (low + high) / 2]
        if kind is float:
            edges += [low - 0.05, high + 0.05]
            inside = st.floats(min_value=low, max_value=high)
        else:
            inside = st.integers(min_value=int(low), max_value=int(high))
        return st.one_of(st.sampled_from(edges), inside)
    if kind is uuid.UUID:
        return st.uuids().map(str)
    return st.one_of(st.text(min_size=1, max_size=40), st.just(""), st.text(min_size=4001, max_size=4002))


@st.composite
def typed_records(draw: Any) -> tuple[str, dict[str, Any]]:
    """Records of every type with each field drawn from its own type and limits: many are valid."""
    kind = draw(st.sampled_from(sorted(RECORD_MODELS)))
    model = RECORD_MODELS[kind]
    own = sorted(set(model.model_fields) - {"id", "mrn", "type", "at", "by"})
    names = draw(st.lists(st.sampled_from(own), unique=True, max_size=len(own))) if own else []
    required = [n for n in own if model.model_fields[n].is_required()]
    return kind, {name: draw(_typed_values(model, name)) for name in dict.fromkeys(required + names)}


@given(typed_records())
@FUZZ
def test_every_record_type_with_values_at_and_beyond_its_limits_is_whole_or_refused(bedside, data):
    _stored_whole_or_refused(bedside, *data)


@given(st.dictionaries(st.sampled_from(["format", "patients", "records", "extra"]), json_values, max_size=4))
@FUZZ
def test_random_import_documents_write_nothing_unless_valid(bedside, doc):
    before = _count(bedside.store)
    try:
        bedside.import_data(doc)
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)
        assert _count(bedside.store) == before


@st.composite
def almost_valid_imports(draw: Any) -> dict[str, Any]:
    """A valid import with one record damaged somewhere: the whole file must be refused."""
    records = [vitals(hours=i / 10, temperature_c=37.0) for i in range(draw(st.integers(1, 8)))]
    victim = draw(st.integers(0, len(records) - 1))
    field = draw(st.sampled_from(["temperature_c", "heart_rate", "at", "mrn", "type", "id", "spo2_percent"]))
    records[victim][field] = draw(st.one_of(
        st.sampled_from([60.0, -1, 301, "2022-01-10T08:00:00", "Z999", "vitalz", "not-a-uuid", 49, True, None]),
        json_scalars))
    return import_doc(records)


@given(almost_valid_imports())
@FUZZ
def test_an_import_with_one_damaged_record_is_all_or_nothing(bedside, doc):
    before = _count(bedside.store)
    try:
        result = bedside.import_data(doc)
    except InputError:
        assert _count(bedside.store) == before
        return
    assert _count(bedside.store) == before + result.records_added


def _valid_import_text(n: int = 6) -> str:
    return json.dumps(import_doc([vitals(hours=i / 10, temperature_c=37.5, heart_rate=80 + i) for i in range(n)],
                                 [patient(mrn="T1", bed="4")]), indent=1).replace('"A100"', '"T1"')


def _run_cli(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli_main(argv)
    return code, out.getvalue(), err.getvalue()


@given(st.data())
@CLI_FUZZ
def test_a_truncated_import_file_is_refused_through_the_command_line_and_writes_nothing(data):
    text = _valid_import_text()
    cut = data.draw(st.integers(0, len(text) - 1))
    with tempfile.TemporaryDirectory() as folder:
        path, db = Path(folder) / "cut.json", Path(folder) / "ward.db"
        path.write_text(text[:cut], encoding="utf-8")
        code, _out, err = _run_cli(["import", str(path), "--db", str(db), "--user", "it.fuzz"])
        assert code == 2, (code, err)
        assert err.startswith("crs-bedside: ") and err.count("\n") == 1 and "Traceback" not in err
        assert not db.exists()  # the file is read and checked before any database is opened


@given(st.binary(max_size=300))
@CLI_FUZZ
def test_random_bytes_as_an_import_file_get_one_plain_line(data):
    with tempfile.TemporaryDirectory() as folder:
        path, db = Path(folder) / "junk.json", Path(folder) / "ward.db"
        path.write_bytes(data)
        code, _out, err = _run_cli(["import", str(path), "--db", str(db), "--user", "it.fuzz"])
        assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
        assert not db.exists()


DEFAULT_TOML = resource("protocols", "default.toml").read_text(encoding="utf-8")
_NUMBER = re.compile(r"(?m)^(\s*\w+\s*=\s*)(-?\d+(?:\.\d+)?)\s*$")


@st.composite
def mutated_protocols(draw: Any) -> str:
    text = DEFAULT_TOML
    matches = list(_NUMBER.finditer(text))
    for _ in range(draw(st.integers(1, 3))):
        match = draw(st.sampled_from(matches))
        value = draw(st.one_of(st.integers(-10 ** 6, 10 ** 6).map(str), st.floats(-1e6, 1e6).map(repr),
                               st.sampled_from(['"x"', "true", "[]", "nan", "inf", "", "1e400"])))
        text = text[:match.start(2)] + value + text[match.end(2):]
        matches = list(_NUMBER.finditer(text)) or matches
        if not list(_NUMBER.finditer(text)):
            break
    if draw(st.booleans()):
        text = text[:draw(st.integers(0, len(text)))]
    return text


@given(st.one_of(mutated_protocols(), st.text(max_size=200)))
@FUZZ
def test_a_damaged_protocol_file_is_accepted_only_if_valid_and_otherwise_named(text):
    try:
        protocol = load_protocol_text(text, "ward.toml")
    except InputError as exc:
        message = str(exc)
        assert message.startswith("ward.toml") and "\n" not in message.strip()
        return
    assert isinstance(protocol, Protocol)
    assert protocol.actions.discontinue_crs_grade >= protocol.actions.interrupt_crs_grade


BAD_INPUTS = [
    ("truncated.json", '{"format": "crs-bedside/1", "patients": [{"mrn": "A1"', 2),
    ("bytes.json", "\udcff\udcfe", 2),
    ("array.json", "[1, 2, 3]", 2),
    ("range.json", json.dumps(import_doc([vitals(temperature_c=60.0)])), 2),
]


@pytest.mark.parametrize(("name", "content", "status"), BAD_INPUTS)
def test_bad_import_files_in_a_real_process_give_one_line_and_no_traceback(tmp_path: Path, name: str, content: str,
                                                                           status: int):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    result = subprocess.run([sys.executable, "-m", "gui.main", "import", str(path), "--db", str(tmp_path / "w.db"),
                             "--user", "it.fuzz"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == status
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("crs-bedside: ")
    assert "Traceback" not in result.stderr


def test_a_bad_protocol_file_in_a_real_process_gives_one_line(tmp_path: Path):
    bad = tmp_path / "ward.toml"
    bad.write_text(DEFAULT_TOML.replace("fever_c = 38.0", "fever_c = 45.0"), encoding="utf-8")
    assert "fever_c = 45.0" in bad.read_text(encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "gui.main", "grade", "--protocol", str(bad)], cwd=ROOT,
                            input='{"temperature_c": 38.4}', capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr == f"crs-bedside: {bad}: grading.fever_c: 45.0 is outside 37.0–40.0\n"


def test_the_fuzzer_would_notice_a_partial_write(bedside):
    """Guard: a two-record import whose second record is bad must leave the count where it was."""
    ok = vitals(temperature_c=37.0)
    bad = dict(vitals(hours=1), id=str(uuid.uuid4()), heart_rate=1000)
    with pytest.raises(InputError, match=r"records\[1\]\.heart_rate: 1000 is outside 20–300 /min"):
        bedside.import_data(import_doc([ok, bad]))
    assert bedside.store.record_count() == 0
