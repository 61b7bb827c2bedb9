"""Shared set-up for the GUI safety tests: a real database with accounts (admin, nurse, clinician) and one patient."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.clock import FixedClock
from core.protocol import shipped_protocol
from core.security import Accounts, User
from core.services import Bedside
from core.store import Store
from gui.context import AppContext, BedsideSignals
from gui.settings import Settings
from tests.scenario import patient

ADMIN_PIN = "admin-pin-7731"
NURSE_PIN = "nurse-pin-4418"
CLINICIAN_PIN = "clin-pin-9052"
SECOND_NURSE_PIN = "bea-pin-2287"


@dataclass
class Ward:
    """A database with accounts: ``accounts``, the ``users`` by name, and the open ``store``."""

    store: Store
    accounts: Accounts
    users: dict[str, User]


def ward_with_accounts(db_path: Path, clock: FixedClock) -> Ward:
    """ada (admin), nina and bea (nurses), carl (clinician); patient A100 ("Test Patient")."""
    store = Store.open(db_path)
    store.append([patient()], [], recorded_by="setup", now=clock.now())
    accounts = Accounts(store, clock)
    ada = accounts.create_first_admin("ada", "Ada Admin", ADMIN_PIN)
    users = {"ada": ada,
             "nina": accounts.add_user(ada, "nina", "Nina Nurse", ["nurse"], NURSE_PIN),
             "bea": accounts.add_user(ada, "bea", "Bea Nurse", ["nurse"], SECOND_NURSE_PIN),
             "carl": accounts.add_user(ada, "carl", "Carl Clinician", ["clinician"], CLINICIAN_PIN)}
    return Ward(store, accounts, users)


def context_for(ward: Ward, user: str, clock: FixedClock, tmp_path: Path, settings: Settings | None = None,
                demo: bool = False) -> AppContext:
    """The app context signed in as one of the ward's accounts."""
    bedside = Bedside(ward.store, shipped_protocol("default"), clock, ward.users[user])
    return AppContext(bedside=bedside, settings=settings or Settings(),
                      settings_file=tmp_path / "config" / "settings.json", clock=clock, signals=BedsideSignals(),
                      db_path=ward.store.path, demo=demo)
