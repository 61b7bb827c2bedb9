"""The storage layer: one SQLite file (SQLCipher when it has accounts), records appended and never changed. The only
place with SQL in it. :class:`core.store.Store` is the open file; it combines the jobs below, one module each, every
one a subclass of :class:`core.storage.database.StoreFile` (the connection they share):

- ``database.py``  the connection (keyed before anything is read), file modes, SQLite's failures in words, the
  transaction, the check that the file is still the one opened, stored rows read into typed objects
- ``schema.py``    the migrations in order, the append-only triggers, what the hash chain covers
- ``rows.py``      the typed rows and results handed out (``UserRow``, ``AuthEvent``, ``SnapshotRow``, ...)
- ``records.py``   appending patients and records; reading records (a patient's, since/until, of some kinds, by id)
- ``chain.py``     the chain entry of each row written; the chain checks (quick at open from the newest backup's
  chain head, or full)
- ``accounts.py``  account versions and sign-in events
- ``backups.py``   backups of the open file; copying, checking and restoring files that are not open
- ``encryption.py`` a clear file and its backups encrypted under the data key
- ``ward.py``      the patients in bed order and the kept ward list
- ``fold_snapshots.py`` the fold snapshots kept in the file
- ``exchange.py``  what passes between files: the export, what merging another laptop's file keeps (laptop name,
  origins, patient differences), the FHIR outbox cursor

Below it, with no SQL: core/audit.py (the chain's hashing, the audit trail), core/backup.py (backup names, listing,
pruning), core/locking.py (the one-instance lock), core/keys.py (the key file).
"""
