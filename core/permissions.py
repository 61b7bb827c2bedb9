"""Roles and what each may do: the one table :data:`PERMISSIONS` (D6, RULES.md: only a clinician confirms or
overrides a computed grade and closes a CRS episode; only an admin manages accounts and protocols), the permission a
record type needs, the signed-in :class:`User`, and :func:`require`, the check every service makes first. Imported
from :mod:`core.security` too.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.errors import BedsideError, InputError

if TYPE_CHECKING:
    from core.store import Store, UserRow

log = logging.getLogger("crs_bedside.security")


class Role(enum.StrEnum):
    """What a person is on the ward."""

    NURSE = "nurse"
    CLINICIAN = "clinician"
    ADMIN = "admin"


class Permission(enum.StrEnum):
    """Things that need a role."""

    READ = "read"
    RECORD = "record"
    CONFIRM_GRADE = "confirm_grade"
    CLOSE_EPISODE = "close_episode"
    IMPORT = "import"
    MANAGE_USERS = "manage_users"
    MANAGE_PROTOCOLS = "manage_protocols"
    RESTORE = "restore"
    MANAGE_BACKUPS = "manage_backups"


#: The one table of who may do what.
PERMISSIONS: dict[Permission, frozenset[Role]] = {
    Permission.READ: frozenset(Role),
    Permission.RECORD: frozenset({Role.NURSE, Role.CLINICIAN}),
    Permission.CONFIRM_GRADE: frozenset({Role.CLINICIAN}),  # D6
    Permission.CLOSE_EPISODE: frozenset({Role.CLINICIAN}),  # D9
    Permission.IMPORT: frozenset({Role.CLINICIAN, Role.ADMIN}),
    Permission.MANAGE_USERS: frozenset({Role.ADMIN}),
    Permission.MANAGE_PROTOCOLS: frozenset({Role.ADMIN}),
    Permission.RESTORE: frozenset({Role.ADMIN}),
    Permission.MANAGE_BACKUPS: frozenset({Role.ADMIN}),   # how many backups are kept (pruning), issue 15
}
#: Record types that need more than :attr:`Permission.RECORD` (to enter, and to mark entered in error).
RECORD_TYPE_PERMISSIONS: dict[str, Permission] = {
    "grade_confirmed": Permission.CONFIRM_GRADE,
    "crs_episode_closed": Permission.CLOSE_EPISODE,
}
_DOING = {
    Permission.READ: "view patient data",
    Permission.RECORD: "enter records",
    Permission.CONFIRM_GRADE: "confirm or override a CRS grade",
    Permission.CLOSE_EPISODE: "close a CRS episode",
    Permission.IMPORT: "import a file",
    Permission.MANAGE_USERS: "manage user accounts",
    Permission.MANAGE_PROTOCOLS: "change the ward protocol",
    Permission.RESTORE: "restore a backup over the database",
    Permission.MANAGE_BACKUPS: "change how many backups are kept",
}


class PermissionDenied(BedsideError):
    """The signed-in person's role does not allow this action.

    Attributes:
        permission: What was needed.
        username: Who tried (``None`` when nobody was named).
    """

    def __init__(self, message: str, permission: Permission, username: str | None):
        super().__init__(message)
        self.permission = permission
        self.username = username


@dataclass(frozen=True)
class User:
    """A signed-in (or listed) account. Never carries the PIN or its hash."""

    username: str
    display_name: str
    roles: frozenset[Role]
    active: bool = True

    def may(self, permission: Permission) -> bool:
        """True when one of the account's roles allows ``permission``."""
        return self.active and bool(self.roles & PERMISSIONS[permission])

    def to_json(self) -> dict[str, Any]:
        """For ``crs-bedside users list``."""
        return {"username": self.username, "display_name": self.display_name,
                "roles": sorted(r.value for r in self.roles), "active": self.active}


def _roles(values: Iterable[Role | str]) -> frozenset[Role]:
    roles = set()
    for value in values:
        try:
            roles.add(Role(value))
        except ValueError:
            raise InputError(f"role: {value!r} is not one of nurse, clinician, admin", "role") from None
    if not roles:
        raise InputError("role: an account needs at least one role (nurse, clinician, admin)", "role")
    return frozenset(roles)


def _user_from_row(row: UserRow) -> User:
    return User(str(row["username"]), str(row["display_name"]), frozenset(Role(r) for r in row["roles"]),
                bool(row["active"]))


def require(store: Store, account: User | None, name: str | None, permission: Permission) -> None:
    """Allow an action or raise :class:`PermissionDenied` with a message the GUI and CLI show as is.

    The account's roles are read fresh from the store, so a role removed by an admin stops working at once.
    In open mode (no accounts yet) reading needs nothing and writing needs a name.
    """
    if not store.has_users():
        if permission is not Permission.READ and not name:
            raise PermissionDenied(
                f"Nobody is named as the person who wants to {_DOING[permission]}: sign in, or give --user NAME "
                f"(or set CRS_BEDSIDE_USER).", permission, None)
        return
    if account is None:
        raise PermissionDenied(f"Sign in to {_DOING[permission]}: this database has user accounts.", permission, name)
    row = store.user(account.username)
    current = _user_from_row(row) if row else None
    if current is None or not current.active:
        raise PermissionDenied(f"The account {account.username} is disabled; ask an admin.", permission,
                               account.username)
    if not current.may(permission):
        allowed = " or ".join(f"{'an' if r.value[0] in 'aeiou' else 'a'} {r.value}"
                              for r in sorted(PERMISSIONS[permission], key=lambda role: role.value))
        held = ", ".join(sorted(r.value for r in current.roles))
        log.warning("permission denied permission=%s", permission.value)
        raise PermissionDenied(
            f"Only {allowed} may {_DOING[permission]}; {account.username} is signed in as {held}.",
            permission, account.username)
