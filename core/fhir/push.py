"""``crs-bedside push``: send the append-only log to a hospital's FHIR R4 server, resumably.

- An outbox cursor over the log: the file keeps, per server, the entry number up to which the server acknowledged
  every record (``Store.fhir_cursor``). A push sends the records entered after it, in order of entry, as FHIR
  ``transaction`` Bundles of at most ``batch`` entries, and moves the cursor past a record only after the server
  answered, with a ``transaction-response`` in which every entry succeeded, every transaction holding its entries.
  A push killed, timed out or cut off half-way leaves the cursor where the last acknowledged transaction put it;
  nothing unacknowledged is ever marked as sent.
- Idempotent on the server: each resource is created only if absent (``ifNoneExist`` on the record's UUID, the
  identifier every resource carries), so a transaction that the server committed but whose answer was lost creates
  nothing the second time. A resource that a later record changes (an infusion segment ended by a stop, a
  vasopressor stopped, a record corrected, the patient's details) is sent again as a conditional update.
- HTTP with the standard library, a timeout, and one plain sentence when the server cannot be reached or refuses.
  The bearer token is sent in the ``Authorization`` header and never written to a log or a message.
"""

from __future__ import annotations

import http.client
import json
import logging
import socket
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.errors import BedsideError, InputError
from core.fhir.mapping import Built, PatientResources
from core.outbox import TOKEN_ENV, server_key
from core.protocol import Protocol
from core.records import StoredRecord
from core.store import Store

log = logging.getLogger("crs_bedside.fhir.push")

#: Entries per transaction Bundle: Medplum runs a transaction with conditional creates under strict isolation and
#: accepts at most 8 entries in it.
DEFAULT_BATCH = 8
#: Seconds to wait for the server to answer one transaction.
DEFAULT_TIMEOUT = 60.0


class PushError(BedsideError):
    """The server could not be reached, refused, or did not acknowledge a transaction: nothing more was marked as
    sent."""


@dataclass(frozen=True)
class PushResult:
    """What a push sent: records acknowledged now, transactions, resources created, updated (a later record changed
    them) and already present (sent before), and how many records still wait (none after a complete push)."""

    server: str
    records: int
    transactions: int
    created: int
    updated: int
    already_there: int
    waiting: int

    def line(self) -> str:
        """The command's one line."""
        if self.records == 0:
            return f"nothing to send: {self.server} has acknowledged every record"
        return (f"sent {self.records} records to {self.server} in {self.transactions} transactions "
                f"({self.created} resources created, {self.updated} updated, {self.already_there} already there); "
                f"{self.waiting} records wait")


@dataclass
class _Entry:
    """One entry of a transaction, and the record (position in the run) whose group it closes or belongs to."""

    full_url: str
    resource_type: str
    resource: dict[str, Any]
    request: dict[str, Any]
    group: int


class Pusher:
    """Sends one database's unacknowledged records to one FHIR server (see the module's docstring).

    Args:
        batch: Entries per transaction Bundle. Medplum accepts at most 8 entries in a transaction that holds
            conditional creates (it runs them with strict isolation); other servers accept more.
        read: Records read from the file at a time.
    """

    def __init__(self, store: Store, protocol: Protocol, url: str, token: str | None, *, now: Callable[[], datetime],
                 batch: int = DEFAULT_BATCH, timeout: float = DEFAULT_TIMEOUT, read: int = 500):
        if batch < 1:
            raise InputError(f"--batch: {batch} is below 1 entry per transaction", "batch")
        self.store = store
        self.protocol = protocol
        self.server = server_key(url)
        self.token = token or None
        self.now = now
        self.batch = batch
        self.timeout = timeout
        self.read = read
        self._contexts: dict[str, PatientResources] = {}
        self._located: dict[str, str] = {}   # full URL -> "Type/id" on the server, for entries sent in this run
        self._queued: set[str] = set()       # full URLs queued in this run

    def _context(self, mrn: str) -> PatientResources:
        context = self._contexts.get(mrn)
        if context is None:
            patient = self.store.patient(mrn)
            assert patient is not None  # records reference known patients (foreign key)
            context = PatientResources(patient, self.store.records(mrn), self.protocol)
            self._contexts[mrn] = context
        return context

    def group(self, stored: StoredRecord, index: int, acknowledged_seq: int) -> list[_Entry]:
        """The entries one record needs, in order: its patient (the first time in this run; updated when the
        record changes their details), its resources (created if absent; a resource of a record the server
        already acknowledged is updated instead), its Provenance last."""
        context = self._context(stored.record.mrn)
        entries: list[_Entry] = []

        def add(built: Built, update: bool) -> None:
            if built.full_url in self._queued and not (update and built.resource_type == "Patient"):
                return
            self._queued.add(built.full_url)
            if update:
                request = {"method": "PUT", "url": f"{built.resource_type}?{built.search}"}
            else:
                request = {"method": "POST", "url": built.resource_type, "ifNoneExist": built.search}
            entries.append(_Entry(built.full_url, built.resource_type, built.json(), request, index))

        add(context.patient_resource(), update=stored.record.type == "patient_updated")
        for built in context.for_record(stored):
            if built.resource_type == "Patient":
                continue
            owner = context.by_id.get(built.record_id)
            add(built, update=owner is not None and owner.seq <= acknowledged_seq)
        return entries

    def push(self, limit: int | None = None) -> PushResult:
        """Send everything not yet acknowledged (or the first ``limit`` records of it); return what was sent.

        Raises:
            PushError: the server cannot be reached, refused, timed out or did not acknowledge a transaction; the
                cursor stays at the last record whose every entry the server acknowledged.
        """
        start = cursor = self.store.fhir_cursor(self.server)
        sent = transactions = 0
        counts: Counter[str] = Counter()
        while limit is None or sent < limit:
            records = self.store.records_entered_after(
                cursor, self.read if limit is None else min(self.read, limit - sent))
            if not records:
                break
            pending: list[_Entry] = []
            for index, stored in enumerate(records):
                pending.extend(self.group(stored, index, start))
            done = 0   # records of this read whose every entry was acknowledged
            while pending:
                chunk, pending = _chunk(pending, self.batch)
                statuses = self._send(chunk)
                transactions += 1
                counts.update("created" if status.startswith("201") else
                              "updated" if entry.request["method"] == "PUT" else "present"
                              for entry, status in zip(chunk, statuses, strict=True))
                complete = pending[0].group if pending else len(records)
                if complete > done:
                    cursor = records[complete - 1].seq
                    self.store.fhir_acknowledge(self.server, cursor, complete - done, len(statuses), self.now())
                    sent += complete - done
                    done = complete
                    log.info("fhir push acknowledged up_to_seq=%d", cursor)
        return PushResult(self.server, sent, transactions, counts["created"], counts["updated"], counts["present"],
                          self.store.records_entered_count(cursor))

    def _send(self, chunk: list[_Entry]) -> list[str]:
        """One transaction: references to entries sent earlier in this run point at their server ids."""
        in_chunk = {entry.full_url for entry in chunk}
        bundle = {"resourceType": "Bundle", "type": "transaction", "entry": [
            {"fullUrl": e.full_url, "resource": _resolve(e.resource, self._located, in_chunk), "request": e.request}
            for e in chunk]}
        answer = self._post(bundle)
        statuses = _acknowledged(bundle, answer)
        for entry, answered in zip(chunk, answer["entry"], strict=True):  # as many: _acknowledged checked
            location = _location(answered)
            if location:
                self._located[entry.full_url] = location
        return statuses

    def _post(self, bundle: dict[str, Any]) -> Any:
        """The server's answer as parsed JSON, whatever its shape (:func:`_acknowledged` checks it)."""
        body = json.dumps(bundle, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(self.server + "/", data=body, method="POST")
        request.add_header("Content-Type", "application/fhir+json")
        request.add_header("Accept", "application/fhir+json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                text = response.read()
        except urllib.error.HTTPError as exc:
            detail = _outcome_text(exc.read())
            if exc.code in (401, 403):
                raise PushError(f"{self.server} refused the push (HTTP {exc.code}): check the token in "
                                f"${TOKEN_ENV}; nothing more was marked as sent") from None
            raise PushError(f"{self.server} refused a transaction (HTTP {exc.code}{': ' + detail if detail else ''}); "
                            "nothing more was marked as sent") from None
        except (urllib.error.URLError, http.client.HTTPException, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise PushError(f"cannot reach the FHIR server at {self.server} ({_plain(reason)}); nothing more was "
                            "marked as sent, run push again when the network is back") from None
        try:
            return json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise PushError(f"{self.server} answered something that is not FHIR JSON; nothing more was marked as "
                            "sent") from None


def _chunk(pending: list[_Entry], size: int) -> tuple[list[_Entry], list[_Entry]]:
    """The next transaction's entries: at most ``size``, and never one resource twice (a patient created and then
    updated by a later record goes in the next transaction)."""
    seen: set[str] = set()
    for index, entry in enumerate(pending[:size]):
        if entry.full_url in seen:
            return pending[:index], pending[index:]
        seen.add(entry.full_url)
    return pending[:size], pending[size:]


def _resolve(value: Any, located: dict[str, str], in_chunk: set[str]) -> Any:
    """A copy of a resource whose ``urn:uuid`` references to entries sent in earlier transactions name the
    server's ids (a transaction resolves only its own entries' full URLs)."""
    if isinstance(value, dict):
        reference = value.get("reference")
        if isinstance(reference, str) and reference not in in_chunk and reference in located:
            return {**value, "reference": located[reference]}
        return {key: _resolve(item, located, in_chunk) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve(item, located, in_chunk) for item in value]
    return value


def _location(answered: Any) -> str | None:
    """``Type/id`` from a transaction-response entry's location (``[base/]Type/id[/_history/v]``)."""
    location = str(((answered or {}).get("response") or {}).get("location") or "")
    parts = [p for p in location.split("/_history/")[0].split("/") if p]
    return "/".join(parts[-2:]) if len(parts) >= 2 else None


def _plain(reason: object) -> str:
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return "no answer in time"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, http.client.RemoteDisconnected):
        return "the connection was closed without an answer"
    if isinstance(reason, ConnectionResetError):
        return "the connection was reset"
    if isinstance(reason, socket.gaierror):
        return "unknown host name"
    return str(reason) or type(reason).__name__


def _outcome_text(raw: bytes) -> str:
    """The first issue of an OperationOutcome, if the body is one."""
    try:
        doc = json.loads(raw)
        issue = (doc.get("issue") or [{}])[0]
        return str(issue.get("details", {}).get("text") or issue.get("diagnostics") or "")[:200]
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError, TypeError):
        return ""


def _acknowledged(bundle: dict[str, Any], answer: object) -> list[str]:
    """The status of each entry when the server acknowledged the whole transaction.

    Raises:
        PushError: the answer is not a transaction-response with one successful entry for each entry sent.
    """
    entries = answer.get("entry") if isinstance(answer, dict) else None
    if not isinstance(answer, dict) or answer.get("resourceType") != "Bundle" \
            or answer.get("type") != "transaction-response" or not isinstance(entries, list) \
            or len(entries) != len(bundle["entry"]):
        detail = _outcome_text(json.dumps(answer).encode()) if isinstance(answer, dict) else ""
        raise PushError("the server did not acknowledge the transaction" + (f" ({detail})" if detail else "")
                        + "; nothing more was marked as sent")
    statuses = [str((entry or {}).get("response", {}).get("status", "")) for entry in entries]
    for index, status in enumerate(statuses):
        if not status.startswith("2"):
            raise PushError(f"the server refused {bundle['entry'][index]['request']['url']} (status {status or '?'}); "
                            "nothing more was marked as sent")
    return statuses
