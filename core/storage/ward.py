"""The patients and who is on the ward: the ward list is worked out from the records (every patient but those whose
latest clinical record is a discharge) and kept, sealed, for the next start (derived state, disposable)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging

from sqlcipher3 import dbapi2 as sqlite3

from core.audit import GENESIS
from core.errors import StoreError
from core.records import Patient
from core.storage.database import StoreFile

log = logging.getLogger("crs_bedside.store")


def bed_key(bed: str | None) -> tuple[int, str]:
    """Beds sort as numbers where they are numbers (2 before 10)."""
    if bed is None:
        return (1 << 30, "")
    digits = "".join(ch for ch in bed if ch.isdigit())
    return (int(digits) if digits else 1 << 29, bed)


#: The ward's bed order, for lists sorted outside the store (the ward after transfers).
bed_order = bed_key

class Ward(StoreFile):
    """The patients of a file, in bed order, and the kept ward list."""

    #: The ward list last worked out or checked, with the newest record and patient it was made from.
    _ward_memo: tuple[tuple[int, int], list[str]] | None = None

    def patients(self) -> list[Patient]:
        """Every patient, in bed order."""
        rows = self._db.execute("SELECT payload, mrn FROM patients ORDER BY mrn").fetchall()
        patients = [p for p in (self._read_patient(*row) for row in rows) if p is not None]
        return sorted(patients, key=lambda p: (p.ward or "", bed_key(p.bed), p.mrn))

    def has_demo_patients(self) -> bool:
        """True when the file holds a synthetic demo patient (a demo database: the window says DEMO everywhere)."""
        return self._db.execute(
            "SELECT 1 FROM patients WHERE json_extract(payload, '$.demo') = 1 LIMIT 1").fetchone() is not None

    def ward_patients(self) -> list[Patient]:
        """The patients on the ward, in bed order: every patient but those whose latest clinical record is a
        discharge (a correction of the discharge, or any later record but a note, brings them back).

        Working that out from the records looks at every patient ever discharged, which grows with the years, so
        the list is kept (in memory, and sealed in the ``ward_list`` table for the next start) with the newest
        record and patient it was made from. A kept list whose seal holds serves as long as nothing added since
        could change it: no new patient, and only records of patients on it that are neither a discharge nor a
        correction (:meth:`_still_the_ward`). Anything else, and it is worked out afresh from the records."""
        anchor = self._ward_list_anchor()
        kept = self._ward_memo or self._kept_ward_list()
        if kept is not None and self._still_the_ward(kept, anchor):
            mrns = kept[1]
        else:
            mrns = [row[0] for row in self._db.execute(
                """SELECT p.mrn FROM patients p WHERE NOT EXISTS (
                       SELECT 1 FROM records d
                       WHERE d.type = 'discharged' AND d.mrn = p.mrn
                         AND NOT EXISTS (SELECT 1 FROM records c WHERE c.supersedes = d.id)
                         AND NOT EXISTS (SELECT 1 FROM records r WHERE r.mrn = p.mrn AND r.occurred_at > d.occurred_at
                                         AND r.type NOT IN ('entered_in_error', 'note', 'discharged')))
                   ORDER BY p.mrn""").fetchall()]
            self._keep_ward_list(anchor, mrns)
        self._ward_memo = (anchor, mrns)
        rows = self._db.execute("SELECT payload, mrn FROM patients WHERE mrn IN (SELECT value FROM json_each(?))",
                                [json.dumps(mrns)]).fetchall()
        patients = [p for p in (self._read_patient(*row) for row in rows) if p is not None]
        return sorted(patients, key=lambda p: (p.ward or "", bed_key(p.bed), p.mrn))

    def _ward_list_anchor(self) -> tuple[int, int]:
        """What a ward list is made from: the newest record's entry number and the newest patient's row (both tables
        only grow: their triggers refuse UPDATE and DELETE)."""
        last_seq = self._db.execute("SELECT coalesce(max(seq), 0) FROM records").fetchone()[0]
        last_patient = self._db.execute("SELECT coalesce(max(rowid), 0) FROM patients").fetchone()[0]
        return int(last_seq), int(last_patient)

    def _still_the_ward(self, kept: tuple[tuple[int, int], list[str]], anchor: tuple[int, int]) -> bool:
        """True when the records and patients added since ``kept`` was made cannot have changed who is on the ward:
        no new patient, and every new record is of a patient on the list, neither a discharge nor a correction."""
        (kept_seq, kept_patient), mrns = kept
        if kept_patient != anchor[1] or kept_seq > anchor[0]:
            return False
        if kept_seq == anchor[0]:
            return True
        changing = self._db.execute(
            "SELECT 1 FROM records WHERE seq > ? AND (type IN ('discharged', 'entered_in_error') "
            "OR supersedes IS NOT NULL OR mrn NOT IN (SELECT value FROM json_each(?))) LIMIT 1",
            [kept_seq, json.dumps(mrns)]).fetchone()
        return changing is None

    def _ward_list_seal(self, anchor: tuple[int, int], mrns_text: str) -> str:
        """HMAC-SHA256 (a key derived from the data key; a plain checksum on a clear file, like the fold snapshots')
        of a kept ward list, what it was made from and the chain hash of that newest record."""
        head = self._db.execute("SELECT hash FROM chain WHERE kind = 'record' AND ref = ?", [str(anchor[0])]).fetchone()
        secret = self._seal_key("ward-list")
        body = json.dumps([*anchor, head[0] if head else GENESIS, mrns_text], separators=(",", ":"))
        return hmac.new(secret, body.encode("utf-8"), hashlib.sha256).hexdigest()

    def _kept_ward_list(self) -> tuple[tuple[int, int], list[str]] | None:
        """The ward list kept in the file, with what it was made from, when its seal holds; else ``None``."""
        row = self._db.execute("SELECT last_seq, last_patient, mrns, seal FROM ward_list WHERE one = 1").fetchone()
        if row is None:
            return None
        anchor = (int(row[0]), int(row[1]))
        if not hmac.compare_digest(str(row[3]), self._ward_list_seal(anchor, str(row[2]))):
            log.warning("kept ward list does not match its seal: discarded, worked out from the records")
            return None
        return anchor, [str(mrn) for mrn in json.loads(row[2])]

    def _keep_ward_list(self, anchor: tuple[int, int], mrns: list[str]) -> None:
        """Keep a ward list in the file (derived state; best effort, like :meth:`save_fold_snapshot`: a read-only,
        busy or full file just works it out again next time)."""
        mrns_text = json.dumps(mrns)
        try:
            self.check_same_file()
            with self._db.atomic():
                self._db.execute(
                    "INSERT INTO ward_list (one, last_seq, last_patient, mrns, seal) VALUES (1, ?, ?, ?, ?) "
                    "ON CONFLICT(one) DO UPDATE SET last_seq = excluded.last_seq, "
                    "last_patient = excluded.last_patient, mrns = excluded.mrns, seal = excluded.seal",
                    [*anchor, mrns_text, self._ward_list_seal(anchor, mrns_text)])
        except (sqlite3.Error, StoreError):
            pass

    def patient(self, mrn: str) -> Patient | None:
        """One patient by MRN, or ``None``."""
        row = self._db.execute("SELECT payload, mrn FROM patients WHERE mrn = ?", [mrn]).fetchone()
        return self._read_patient(*row) if row else None
