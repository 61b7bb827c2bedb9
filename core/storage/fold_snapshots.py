"""Fold snapshots kept in the file (table ``fold_snapshots``; the fold's state as JSON is core/snapshot.py's): derived
state, disposable, each sealed to the records it covers and checked before use."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging

from sqlcipher3 import dbapi2 as sqlite3

from core.audit import GENESIS
from core.errors import StoreError
from core.storage.database import StoreFile
from core.storage.rows import SnapshotRow

log = logging.getLogger("crs_bedside.store")


class FoldSnapshots(StoreFile):
    """Keeping and checking a patient's fold snapshot."""

    def fold_snapshot(self, mrn: str) -> SnapshotRow | None:
        """The stored fold snapshot of a patient, checked against the records it covers: (last entry number, key,
        payload), or ``None``.

        A snapshot is sealed when written (:meth:`_snapshot_seal`) over the patient, the entry number it reaches, how
        many of the patient's records it covers, the chain hash of its last record, its key and its payload. One that
        does not match what the records say now (a snapshot edited, or records behind it removed or slipped in) is
        deleted and ``None`` returned, so the caller folds afresh from the records; it is never used.
        """
        row = self._db.execute("SELECT last_seq, key, payload FROM fold_snapshots WHERE mrn = ?", [mrn]).fetchone()
        if row is None:
            return None
        last_seq, sealed_key, payload = row
        key, _, seal = str(sealed_key).rpartition("#")
        if not hmac.compare_digest(seal, self._snapshot_seal(mrn, int(last_seq), key, str(payload))):
            log.warning("fold snapshot does not match its records: discarded, folding afresh")
            try:
                with self._db.atomic():
                    self._db.execute("DELETE FROM fold_snapshots WHERE mrn = ?", [mrn])
            except sqlite3.Error:
                pass  # a read-only file keeps the bad snapshot, which is refused again next time
            return None
        return SnapshotRow(last_seq, key, payload)

    def _snapshot_seal(self, mrn: str, last_seq: int, key: str, payload: str) -> str:
        """HMAC-SHA256 (under a key derived from the data key; a plain checksum on a clear file) binding a snapshot to
        the records it covers: their count and the chain hash of the last one."""
        count = self._db.execute("SELECT count(*) FROM records WHERE mrn = ? AND seq <= ?",
                                 [mrn, last_seq]).fetchone()[0]
        head = self._db.execute("SELECT hash FROM chain WHERE kind = 'record' AND ref = ?", [str(last_seq)]).fetchone()
        secret = self._seal_key("fold-snapshot")
        body = json.dumps([mrn, last_seq, count, head[0] if head else GENESIS, key, payload], separators=(",", ":"))
        return hmac.new(secret, body.encode("utf-8"), hashlib.sha256).hexdigest()

    def save_fold_snapshot(self, mrn: str, last_seq: int, key: str, payload: str) -> bool:
        """Keep a fold snapshot (derived state). Best effort: ``False`` when the file cannot be written now (read-only,
        busy, full, or no longer the file opened); the snapshot is only a shortcut and nothing depends on it."""
        try:
            self.check_same_file()
            with self._db.atomic():
                self._db.execute(
                    "INSERT INTO fold_snapshots (mrn, last_seq, key, payload) VALUES (?, ?, ?, ?) ON CONFLICT(mrn) "
                    "DO UPDATE SET last_seq = excluded.last_seq, key = excluded.key, payload = excluded.payload",
                    [mrn, last_seq, f"{key}#{self._snapshot_seal(mrn, last_seq, key, payload)}", payload])
        except (sqlite3.Error, StoreError):
            return False
        return True
