"""The services that look after the open file: export, the full check, backups, what the window shows about the
file, accounts, another user or a reader on the same file, FHIR interop and the merges' open conflicts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from core.audit import ChainReport
from core.merge import OpenConflict, laptop_name, open_conflicts
from core.security import Accounts, Permission, User
from core.services_reading import ReadingServices
from core.store import DeferredChecks, UnreadableRecord


@dataclass(frozen=True)
class FileReport:
    """What :meth:`Bedside.check_file` found: SQLite's verdict, the full chain report, unreadable records."""

    integrity: str
    chain: ChainReport
    unreadable: tuple[UnreadableRecord, ...]

    @property
    def ok(self) -> bool:
        return self.integrity == "ok" and self.chain.ok and not self.unreadable


@dataclass(frozen=True)
class FileFacts:
    """What the window shows about the open file, read through the services (issue 15: nothing else in the window
    touches the store): the audit chain as checked at open, whether the file is encrypted, warnings from the open,
    the backup folder, and whether the slow checks were left to :meth:`Bedside.run_deferred_checks`."""

    chain: ChainReport
    encrypted: bool
    warnings: tuple[str, ...]
    backup_folder: Path
    deferred_checks: bool


class FileServices(ReadingServices):
    """The file's part of :class:`core.services.Bedside`."""

    def export(self) -> dict[str, Any]:
        """Everything in the file in the import format (``crs-bedside export``), with this laptop's name and where
        each record was entered (another laptop merges it; INTERFACE.md "Additions", core/merge.py)."""
        self.require(Permission.READ)
        doc = self.store.export()
        name = laptop_name(self.store)
        doc["laptop"] = name
        doc["origins"] = self.store.entry_origins(name)
        return doc

    def check_file(self) -> FileReport:
        """The ``verify`` command's full check: SQLite's integrity check, the whole audit chain (every row, not the
        quick check made at open) and every stored record read back."""
        self.require(Permission.READ)
        integrity = self.store.integrity_check()
        return FileReport(integrity, self.store.verify_chain(), tuple(self.store.unreadable_records()))

    def make_backup(self, reason: str = "manual", keep: int | None = None) -> Path:
        """A backup now, then the routine backups pruned to the policy's depth, or to ``keep`` (an admin's choice:
        how many backups are kept is never a nurse's or an anonymous caller's, issue 15).

        Raises:
            PermissionDenied: ``keep`` was given by someone who is not an admin. StoreError: no backup was made.
        """
        self.require(Permission.READ)
        if keep is not None:
            self.require(Permission.MANAGE_BACKUPS)
        return self.store.make_backup(reason, keep=keep)

    def file_facts(self) -> FileFacts:
        """What the window's status bar says about the open file (no patient data: no sign-in needed)."""
        store = self.store
        return FileFacts(store.chain_report, store.encrypted, tuple(store.warnings),
                         store.backup_policy.folder_for(store.path), bool(getattr(store, "deferred_checks", False)))

    def run_deferred_checks(self) -> DeferredChecks:
        """The slow checks an open with ``defer_slow_checks`` left out (core/store.py): SQLite's check, the full audit
        chain, the backup at open. Safe in a worker thread: they run on a connection of their own and read no patient
        data for anyone."""
        return self.store.run_deferred_checks()

    def accounts(self) -> Accounts:
        """The accounts of this file (sign-in, lock screen, the admin's users dialog), on the same connection."""
        return Accounts(self.store, self.clock)

    def as_user(self, user: str | User) -> Self:
        """The same file's services for another signed-in person (switching user at the lock screen)."""
        return type(self)(self.store, self.protocol, self.clock, user)

    def prune_routine_backups(self) -> list[Path]:
        """Once someone has signed in: the routine backups (those made at each open among them) pruned to the
        policy's depth. The open itself never prunes (issue 15), so without this every command's open added a
        backup that nothing ever removed."""
        self.require(Permission.READ)
        return self.store.prune_routine_backups()

    def open_reader(self) -> Self:
        """The same signed-in person's services on a second, read-only connection, for work off the UI thread (a
        ward handover). Call it in the thread that uses it; close it with :meth:`close`."""
        reader = type(self)(self.store.open_reader(), self.protocol, self.clock, self.account or self.user)
        try:
            reader.require(Permission.READ)   # on the reader's own connection (this thread's)
        except BaseException:
            reader.close()
            raise
        return reader

    def close(self) -> None:
        """Close the database (and release its lock)."""
        self.store.close()

    def fhir_waiting(self, url: str) -> int:
        """How many records wait to be sent to the FHIR server at ``url`` (the window's status line)."""
        self.require(Permission.READ)
        from core.outbox import waiting

        return waiting(self.store, url)

    def fhir_bundle(self) -> dict[str, Any]:
        """Everything as one FHIR R4 ``collection`` Bundle (File > Export for the EHR; core/fhir/export.py)."""
        self.require(Permission.READ)
        from core.fhir.export import export_bundle  # only here: start-up never imports fhir.resources

        return export_bundle(self.store, self.protocol, self.clock.now())

    def open_conflicts(self, mrn: str | None = None) -> list[OpenConflict]:
        """Patient differences kept by merges and not yet settled by a ``patient_updated`` record."""
        self.require(Permission.READ)
        return open_conflicts(self.store, mrn)
