"""``crs-bedside push``: the append-only log to a real FHIR R4 engine (Medplum's FHIR router over its in-memory
repository, a Node HTTP server on 127.0.0.1 started by each test), resumable, never marking as sent what the server
did not acknowledge."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.store import Store
from tests.interop_support import ROOT, FhirServer, every_type_ward, run_cli

NOW = datetime.now(UTC)
TYPES = ("Patient", "Observation", "MedicationAdministration", "Provenance", "Communication")


@pytest.fixture
def ward(tmp_path: Path) -> tuple[Path, Counter]:
    """A ward database with every record type, and how many resources of each type its FHIR export holds."""
    source = tmp_path / "ward.json"
    source.write_text(json.dumps(every_type_ward(NOW)))
    db = tmp_path / "ward.db"
    assert run_cli("import", str(source), "--db", str(db)).returncode == 0
    result = run_cli("export", "--db", str(db), "--format", "fhir-r4")
    expected = Counter(e["resource"]["resourceType"] for e in json.loads(result.stdout)["entry"])
    return db, expected


def on_server(server: FhirServer) -> Counter:
    return Counter({t: server.count(t) for t in TYPES if server.count(t)})


def cursor(db: Path, url: str) -> int:
    with Store.open(db, create=False) as store:
        return store.fhir_cursor(url)


def record_count(db: Path) -> int:
    with Store.open(db, create=False) as store:
        return store.record_count()


def test_first_push_creates_every_resource_and_a_second_creates_none(ward):
    db, expected = ward
    with FhirServer() as server:
        first = run_cli("push", "--db", str(db), "--url", server.url)
        assert first.returncode == 0, first.stderr
        total = sum(expected.values())
        records = record_count(db)
        assert first.stdout.startswith(f"sent {records} records to {server.url} in ")
        # The patient update of the ward is sent as a conditional update of the patient created just before.
        assert first.stdout.endswith(f" transactions ({total} resources created, 1 updated, 0 already there); 0 "
                                     "records wait\n")
        assert on_server(server) == expected
        assert cursor(db, server.url) == records
        second = run_cli("push", "--db", str(db), "--url", server.url)
        assert second.returncode == 0
        assert second.stdout == f"nothing to send: {server.url} has acknowledged every record\n"
        assert on_server(server) == expected


def test_a_later_record_updates_what_it_changes_and_creates_only_its_own(ward, tmp_path):
    db, expected = ward
    with FhirServer() as server:
        assert run_cli("push", "--db", str(db), "--url", server.url).returncode == 0
        stop = {"format": "crs-bedside/1", "patients": [], "records": [{
            "id": "0f5a1e2d-3c4b-4a59-8e6f-7a8b9c0d1e2f", "mrn": "FHIR-1", "at": NOW.isoformat(), "type":
            "infusion_stopped", "reason": "technical"}]}
        (tmp_path / "stop.json").write_text(json.dumps(stop))
        assert run_cli("import", str(tmp_path / "stop.json"), "--db", str(db)).returncode == 0
        result = run_cli("push", "--db", str(db), "--url", server.url)
        assert result.returncode == 0, result.stderr
        # The running segment is updated (one resource), the stop's Provenance created; the patient already there.
        assert "(1 resources created, 1 updated, 1 already there)" in result.stdout
        assert on_server(server) == expected + Counter({"Provenance": 1})
        resumed = next(r for r in every_type_ward(NOW)["records"] if r["type"] == "infusion_resumed")
        segment = server.get("MedicationAdministration?identifier="
                             f"https://crs-bedside.org/fhir/sid/record-id|{resumed['id']}")["entry"][0]["resource"]
        assert segment["status"] == "on-hold"
        assert segment["statusReason"][0]["coding"][0]["code"] == "stopped-technical"


def test_a_push_killed_half_way_and_run_again_leaves_exactly_one_copy_of_each(ward):
    db, expected = ward
    # The server commits the 4th transaction and never answers it; the push is killed while it waits.
    with FhirServer("--stall-after", "3") as server:
        env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
        push = subprocess.Popen([sys.executable, "-m", "gui.main", "push", "--db", str(db), "--url", server.url],
                                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            server.wait_for("stalled 4")
        finally:
            push.send_signal(signal.SIGKILL)
            push.wait()
        acknowledged = cursor(db, server.url)
        assert 0 < acknowledged < record_count(db)
        again = run_cli("push", "--db", str(db), "--url", server.url)
        assert again.returncode == 0, again.stderr
        created = int(again.stdout.split("(")[1].split(" resources created")[0])
        already = int(again.stdout.split("updated, ")[1].split(" already there")[0])
        assert already >= 1   # what the 4th transaction committed is found, not created again
        assert created < sum(expected.values())
        assert on_server(server) == expected
        assert cursor(db, server.url) == record_count(db)


def test_a_dropped_connection_marks_nothing_unacknowledged_as_sent(ward):
    db, expected = ward
    with FhirServer("--drop-after", "2") as server:
        cut = run_cli("push", "--db", str(db), "--url", server.url)
        assert cut.returncode == 1
        assert cut.stdout.startswith("") and cut.stderr.count("\n") == 1
        assert cut.stderr == (f"crs-bedside: cannot reach the FHIR server at {server.url} (the connection was closed "
                              "without an answer); nothing more was marked as sent, run push again when the network "
                              "is back\n")
        assert cursor(db, server.url) < record_count(db)
        assert run_cli("push", "--db", str(db), "--url", server.url).returncode == 0
        assert on_server(server) == expected


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_server_leaves_nothing_marked_as_sent(ward):
    db, _ = ward
    url = f"http://127.0.0.1:{free_port()}"
    result = run_cli("push", "--db", str(db), "--url", url)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (f"crs-bedside: cannot reach the FHIR server at {url} (connection refused); nothing "
                             "more was marked as sent, run push again when the network is back\n")
    assert cursor(db, url) == 0


def test_a_server_that_does_not_answer_in_time_gets_a_plain_message(ward):
    db, _ = ward
    with FhirServer("--stall-after", "0") as server:
        result = run_cli("push", "--db", str(db), "--url", server.url, "--timeout", "2")
        assert result.returncode == 1
        assert result.stderr == (f"crs-bedside: cannot reach the FHIR server at {server.url} (no answer in time); "
                                 "nothing more was marked as sent, run push again when the network is back\n")
        assert cursor(db, server.url) == 0


def test_url_and_token_come_from_the_environment_and_the_token_is_never_logged(ward, tmp_path):
    db, expected = ward
    token = "s3cret-token-do-not-log"
    logs = tmp_path / "logs"
    with FhirServer("--token", token) as server:
        wrong = run_cli("push", "--db", str(db), env={"CRS_BEDSIDE_FHIR_URL": server.url,
                                                      "CRS_BEDSIDE_FHIR_TOKEN": "wrong",
                                                      "CRS_BEDSIDE_LOG_DIR": str(logs)})
        assert wrong.returncode == 1
        assert wrong.stderr == (f"crs-bedside: {server.url} refused the push (HTTP 401): check the token in "
                                "$CRS_BEDSIDE_FHIR_TOKEN; nothing more was marked as sent\n")
        assert cursor(db, server.url) == 0
        right = run_cli("push", "--db", str(db), env={"CRS_BEDSIDE_FHIR_URL": server.url,
                                                      "CRS_BEDSIDE_FHIR_TOKEN": token,
                                                      "CRS_BEDSIDE_LOG_DIR": str(logs)})
        assert right.returncode == 0, right.stderr
        assert on_server_with_token(server, token) == expected
        assert token not in right.stdout + right.stderr
    written = [p for p in logs.rglob("*") if p.is_file()]
    assert written
    assert all(token not in p.read_text(errors="replace") for p in written)


def on_server_with_token(server: FhirServer, token: str) -> Counter:
    return Counter({t: int(server.get(f"{t}?_count=0", token)["total"]) for t in TYPES
                    if int(server.get(f"{t}?_count=0", token)["total"])})


def test_push_without_a_server_is_bad_input(ward):
    db, _ = ward
    result = run_cli("push", "--db", str(db), env={"CRS_BEDSIDE_FHIR_URL": ""})
    assert result.returncode == 2
    assert result.stderr == ("crs-bedside: --url: no FHIR server given (use --url BASE or set "
                             "$CRS_BEDSIDE_FHIR_URL)\n")
    bad = run_cli("push", "--db", str(db), "--url", "ftp://ehr.example")
    assert bad.returncode == 2
    assert bad.stderr == "crs-bedside: --url: 'ftp://ehr.example' is not an http:// or https:// FHIR base URL\n"


def test_a_patient_created_and_updated_in_one_push_is_never_twice_in_one_transaction():
    from core.fhir.push import _chunk, _Entry

    def entry(url: str, group: int) -> _Entry:
        return _Entry(url, "Patient", {}, {"method": "POST"}, group)

    pending = [entry("urn:uuid:p", 0), entry("urn:uuid:a", 0), entry("urn:uuid:p", 1), entry("urn:uuid:b", 1)]
    first, rest = _chunk(pending, 8)
    assert [e.full_url for e in first] == ["urn:uuid:p", "urn:uuid:a"]
    assert [e.full_url for e in _chunk(rest, 8)[0]] == ["urn:uuid:p", "urn:uuid:b"]
    assert [e.full_url for e in _chunk(pending, 1)[0]] == ["urn:uuid:p"]
