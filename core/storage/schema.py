"""The schema of the database file: its migrations in order (sqlite-utils 4 ``Migrations``; a file written by a newer
version is refused, never downgraded), the triggers that keep it append-only, and what the hash chain covers of each
kind of row (``CHAIN_SOURCES``, read by core/storage/chain.py).

A migration is never changed once released: a new one is added at the end.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from core.audit import GENESIS, chain_hash

MIGRATIONS = Migrations("crs_bedside")


@MIGRATIONS(name="0001_initial")
def _m0001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE patients (
            mrn TEXT PRIMARY KEY,
            payload TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE records (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            mrn TEXT NOT NULL REFERENCES patients(mrn),
            type TEXT NOT NULL,
            occurred_at TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            recorded_by TEXT,
            supersedes TEXT,
            payload TEXT NOT NULL
        );
        CREATE INDEX records_patient_time ON records (mrn, occurred_at, seq);
        CREATE TRIGGER records_no_update BEFORE UPDATE ON records
            BEGIN SELECT RAISE(ABORT, 'records are append-only: enter a correction instead'); END;
        CREATE TRIGGER records_no_delete BEFORE DELETE ON records
            BEGIN SELECT RAISE(ABORT, 'records are append-only: enter a correction instead'); END;
        CREATE TRIGGER patients_no_update BEFORE UPDATE ON patients
            BEGIN SELECT RAISE(ABORT, 'patients are append-only'); END;
        CREATE TRIGGER patients_no_delete BEFORE DELETE ON patients
            BEGIN SELECT RAISE(ABORT, 'patients are append-only'); END;
        """
    )


#: The SELECT that gives the hashed content of each kind of chained row, keyed by the chain's ``ref``.
CHAIN_SOURCES = {
    "patient": "SELECT mrn, mrn, payload, created_at FROM patients",
    "record": "SELECT seq, seq, id, mrn, type, occurred_at, recorded_at, recorded_by, supersedes, payload FROM records",
    "user": "SELECT pos, pos, username, display_name, roles, active, kdf, pin_hash, changed_at, changed_by"
            " FROM user_versions",
    "auth": "SELECT pos, pos, username, at, outcome FROM auth_events",
}
CHAIN_KEYS = {"patient": "mrn", "record": "seq", "user": "pos", "auth": "pos"}
#: The key of the newest row of each chained table, ``NULL`` or no row when it is empty (the quick check at open):
#: records, account versions and sign-in events are numbered in order, patients keep their order of admission in
#: ``rowid``.
NEWEST_ROW = {"record": "SELECT max(seq) FROM records",
              "patient": "SELECT mrn FROM patients ORDER BY rowid DESC LIMIT 1",
              "user": "SELECT max(pos) FROM user_versions",
              "auth": "SELECT max(pos) FROM auth_events"}
#: The triggers that keep the file append-only; a missing one means someone dropped it.
PROTECTING_TRIGGERS = (
    "records_no_update", "records_no_delete", "patients_no_update", "patients_no_delete",
    "user_versions_no_update", "user_versions_no_delete", "auth_events_no_update", "auth_events_no_delete",
    "chain_no_update", "chain_no_delete",
)


@MIGRATIONS(name="0002_users_chain")
def _m0002_users_chain(db: Database) -> None:
    """Accounts (append-only versions), sign-in events, and the hash chain over every row written so far.

    Statements run one by one (not ``executescript``, which would commit the migration's transaction early).
    """
    statements = [
        """CREATE TABLE user_versions (
            pos INTEGER PRIMARY KEY AUTOINCREMENT,
            username TEXT NOT NULL,
            display_name TEXT NOT NULL,
            roles TEXT NOT NULL,
            active INTEGER NOT NULL,
            kdf TEXT NOT NULL,
            pin_hash TEXT NOT NULL,
            changed_at TEXT NOT NULL,
            changed_by TEXT
        )""",
        "CREATE INDEX user_versions_name ON user_versions (username, pos)",
        """CREATE TABLE auth_events (
            pos INTEGER PRIMARY KEY AUTOINCREMENT,
            username TEXT NOT NULL,
            at TEXT NOT NULL,
            outcome TEXT NOT NULL
        )""",
        "CREATE INDEX auth_events_name ON auth_events (username, pos)",
        """CREATE TABLE chain (
            pos INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            ref TEXT NOT NULL,
            hash TEXT NOT NULL,
            UNIQUE (kind, ref)
        )""",
    ]
    for table in ("user_versions", "auth_events", "chain"):
        for verb in ("update", "delete"):
            statements.append(
                f"CREATE TRIGGER {table}_no_{verb} BEFORE {verb.upper()} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")
    for sql in statements:
        db.execute(sql)
    previous = GENESIS
    for kind, order in (("patient", "rowid"), ("record", "seq")):
        for row in db.execute(f"{CHAIN_SOURCES[kind]} ORDER BY {order}").fetchall():
            previous = chain_hash(previous, kind, row[1:])
            db.execute("INSERT INTO chain (kind, ref, hash) VALUES (?, ?, ?)", [kind, str(row[0]), previous])


@MIGRATIONS(name="0003_ward_indexes")
def _m0003_ward_indexes(db: Database) -> None:
    """What keeps the ward fast however many years the file holds: indexes for discharges by patient and for the
    corrections that supersede a record, and a table of fold snapshots (derived state, disposable)."""
    for statement in (
        "CREATE INDEX records_type_patient ON records (type, mrn, occurred_at)",
        "CREATE INDEX records_supersedes ON records (supersedes) WHERE supersedes IS NOT NULL",
        # Derived state, disposable (core/snapshot.py): not records, not chained, replaced freely.
        "CREATE TABLE fold_snapshots (mrn TEXT PRIMARY KEY, last_seq INTEGER NOT NULL, key TEXT NOT NULL, "
        "payload TEXT NOT NULL)",
    ):
        db.execute(statement)


@MIGRATIONS(name="0004_fhir_outbox")
def _m0004_fhir_outbox(db: Database) -> None:
    """The FHIR push's outbox cursor (core/fhir/push.py): an append-only log of what each server acknowledged, up
    to which entry number. Nothing is ever marked as sent that a server did not acknowledge."""
    for statement in (
        "CREATE TABLE fhir_acknowledged (pos INTEGER PRIMARY KEY AUTOINCREMENT, server TEXT NOT NULL, "
        "last_seq INTEGER NOT NULL, records INTEGER NOT NULL, resources INTEGER NOT NULL, "
        "acknowledged_at TEXT NOT NULL)",
        "CREATE INDEX fhir_acknowledged_server ON fhir_acknowledged (server, last_seq)",
        "CREATE TRIGGER fhir_acknowledged_no_update BEFORE UPDATE ON fhir_acknowledged "
        "BEGIN SELECT RAISE(ABORT, 'fhir_acknowledged is append-only'); END",
        "CREATE TRIGGER fhir_acknowledged_no_delete BEFORE DELETE ON fhir_acknowledged "
        "BEGIN SELECT RAISE(ABORT, 'fhir_acknowledged is append-only'); END",
    ):
        db.execute(statement)


@MIGRATIONS(name="0005_merge_between_laptops")
def _m0005_merge(db: Database) -> None:
    """Merging another laptop's export (core/merge.py): this laptop's name, where each merged record was entered
    (laptop, when, by whom; when it arrived is its ``recorded_at``), and the patient differences no record explains,
    kept for a person to settle. All append-only."""
    statements = [
        "CREATE TABLE laptop (name TEXT NOT NULL, named_at TEXT NOT NULL)",
        "CREATE TABLE record_origins (record_id TEXT PRIMARY KEY, laptop TEXT, entered_at TEXT, entered_by TEXT, "
        "arrived_from TEXT)",
        "CREATE TABLE patient_conflicts (pos INTEGER PRIMARY KEY AUTOINCREMENT, mrn TEXT NOT NULL, "
        "field TEXT NOT NULL, here TEXT NOT NULL, there TEXT NOT NULL, source TEXT NOT NULL, found_at TEXT NOT NULL, "
        "found_by TEXT)",
        "CREATE INDEX patient_conflicts_mrn ON patient_conflicts (mrn, field)",
    ]
    for table in ("laptop", "record_origins", "patient_conflicts"):
        for verb in ("update", "delete"):
            statements.append(f"CREATE TRIGGER {table}_no_{verb} BEFORE {verb.upper()} ON {table} "
                              f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")
    for statement in statements:
        db.execute(statement)


@MIGRATIONS(name="0006_chain_auth_events")
def _m0006_chain_auth_events(db: Database) -> None:
    """Sign-in events join the hash chain (an inserted "ok" would otherwise lift a lockout unseen): the events
    already in the file are chained now, in order, after every entry already there."""
    head = db.execute("SELECT hash FROM chain ORDER BY pos DESC LIMIT 1").fetchone()
    previous = head[0] if head else GENESIS
    for row in db.execute(f"{CHAIN_SOURCES['auth']} ORDER BY pos").fetchall():
        previous = chain_hash(previous, "auth", row[1:])
        db.execute("INSERT INTO chain (kind, ref, hash) VALUES (?, ?, ?)", ["auth", str(row[0]), previous])


@MIGRATIONS(name="0007_ward_list")
def _m0007_ward_list(db: Database) -> None:
    """What keeps opening the ward cheap however many years the file holds (each page read of an encrypted file is
    also decrypted and its HMAC checked):

    - who is on the ward, kept (derived state, disposable, like the fold snapshots): finding it from the records
      looks at every patient ever discharged; the list is sealed to the newest record and patient it was made from,
      and made afresh whenever either changed (:meth:`Store.ward_patients`);
    - a patient's records by entry number: a fold snapshot's check counts the records it covers, and the records
      entered since it are found, without reading the patient's whole history (:meth:`Store.fold_snapshot`)."""
    db.execute("CREATE TABLE ward_list (one INTEGER PRIMARY KEY CHECK (one = 1), last_seq INTEGER NOT NULL, "
               "last_patient INTEGER NOT NULL, mrns TEXT NOT NULL, seal TEXT NOT NULL)")
    db.execute("CREATE INDEX records_patient_seq ON records (mrn, seq)")


SCHEMA_VERSION = len(MIGRATIONS._migrations)
