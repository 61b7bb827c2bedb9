"""Accounts and sign-in events: accounts are append-only versions (who changed what, when), sign-in attempts are
kept, and both are chained like the records. Who may do what is core/security.py's; this module only stores."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from core.storage.chain import chain_row
from core.storage.database import StoreFile, parse_utc, utc_text
from core.storage.rows import AuthEvent, UserRow


def user_row(row: tuple[Any, ...]) -> UserRow:
    pos, username, display_name, roles, active, kdf, pin_hash, changed_at, changed_by = row
    return {"pos": pos, "username": username, "display_name": display_name, "roles": json.loads(str(roles)),
            "active": bool(active), "kdf": json.loads(str(kdf)), "pin_hash": pin_hash,
            "changed_at": parse_utc(str(changed_at)), "changed_by": changed_by}



class Accounts(StoreFile):
    """The accounts' versions and the sign-in events of a file."""

    def has_users(self) -> bool:
        """True once any account exists (from then on, every command must sign in)."""
        return self._db.execute("SELECT 1 FROM user_versions LIMIT 1").fetchone() is not None

    def users(self) -> list[UserRow]:
        """The current version of every account, by user name."""
        rows = self._db.execute(
            "SELECT * FROM user_versions WHERE pos IN (SELECT max(pos) FROM user_versions GROUP BY username)"
            " ORDER BY username").fetchall()
        return [user_row(row) for row in rows]

    def user(self, username: str) -> UserRow | None:
        """The current version of one account, or ``None``."""
        row = self._db.execute(
            "SELECT * FROM user_versions WHERE username = ? ORDER BY pos DESC LIMIT 1", [username]).fetchone()
        return user_row(row) if row else None

    def user_history(self, username: str) -> list[UserRow]:
        """Every version of one account, oldest first (who changed what, when)."""
        rows = self._db.execute("SELECT * FROM user_versions WHERE username = ? ORDER BY pos", [username]).fetchall()
        return [user_row(row) for row in rows]

    def add_user_version(self, *, username: str, display_name: str, roles: list[str], active: bool,
                         kdf: dict[str, object], pin_hash: str, now: datetime, changed_by: str | None) -> None:
        """Append a new version of an account (accounts are never edited in place), chained for audit."""
        with self.transaction():
            cursor = self._db.execute(
                "INSERT INTO user_versions (username, display_name, roles, active, kdf, pin_hash, changed_at,"
                " changed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [username, display_name, json.dumps(sorted(roles)), int(active), json.dumps(kdf, sort_keys=True),
                 pin_hash, utc_text(now), changed_by])
            assert cursor.lastrowid is not None  # the row the INSERT just made
            chain_row(self._db, "user", cursor.lastrowid)

    def add_auth_event(self, username: str, outcome: str, now: datetime) -> None:
        """Record a sign-in attempt (``ok``, ``bad_pin``, ``unknown_user``, ``inactive``, ``locked``)."""
        with self.transaction():
            cursor = self._db.execute("INSERT INTO auth_events (username, at, outcome) VALUES (?, ?, ?)",
                                      [username, utc_text(now), outcome])
            assert cursor.lastrowid is not None  # the row the INSERT just made
            chain_row(self._db, "auth", cursor.lastrowid)

    def auth_outcomes(self, username: str, since: datetime) -> list[str]:
        """Sign-in outcomes of one user name since a time, newest first."""
        rows = self._db.execute("SELECT outcome FROM auth_events WHERE username = ? AND at >= ? ORDER BY pos DESC",
                                [username, utc_text(since)]).fetchall()
        return [row[0] for row in rows]

    def auth_events(self, limit: int = 200) -> list[AuthEvent]:
        """The newest sign-in attempts: (user name, when, outcome), newest first."""
        rows = self._db.execute("SELECT username, at, outcome FROM auth_events ORDER BY pos DESC LIMIT ?",
                                [limit]).fetchall()
        return [AuthEvent(name, parse_utc(at), outcome) for name, at, outcome in rows]
