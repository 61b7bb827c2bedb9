"""Local accounts, PINs and roles: nobody anonymous, and only the right role does the right thing.

- Roles: ``nurse``, ``clinician``, ``admin`` (an account may hold several). What each may do is the one table
  :data:`PERMISSIONS`; D6 (RULES.md): only a clinician confirms or overrides a computed grade (``grade_confirmed``)
  and closes a CRS episode (``crs_episode_closed``, D9); only an admin manages accounts and protocols.
- PINs/passwords are hashed with scrypt (memory-hard) with a per-user random salt; the parameters are stored with the
  hash so they can be raised later; comparison is constant-time; a PIN is never stored, logged or echoed.
- Accounts are never edited in place: every change is a new, hash-chained version (who changed what, when).
- Five wrong PINs in a row within 15 minutes lock the account for 15 minutes; every attempt is recorded.
- Until the first admin exists (first run), a database has no accounts and runs in *open mode*: writes are stamped
  with the name the GUI or command line gives (``--user``, ``CRS_BEDSIDE_USER``, or the operating-system login) and
  role checks do not apply. Creating the first admin ends open mode for good.
- A database with accounts is encrypted (core/keys.py, core/store.py). Creating the first admin encrypts it and
  gives a recovery key, shown once (:attr:`Accounts.recovery_key`); a clear file with accounts made by an earlier
  version is encrypted at the first sign-in of an admin. Every account that may sign in holds a wrap of the data key
  under its PIN: adding an account or setting a PIN wraps it, disabling an account deletes its wrap. Signing in to an
  encrypted file goes through :class:`SignIn`: the PIN unwraps the key, then the account row inside is checked.

Roles and permissions are in core/permissions.py, PIN hashing and policy in core/pins.py; every name is imported
from here too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import InputError
from core.keys import (
    STATE_ENCRYPTED,
    KeyFile,
    LaptopSecretMissing,
    UnlockError,
    key_path_for,
    new_data_key,
    new_recovery_key,
)
from core.permissions import (
    PERMISSIONS,
    RECORD_TYPE_PERMISSIONS,
    Permission,
    PermissionDenied,
    Role,
    User,
    _roles,
    _user_from_row,
    require,
)
from core.pins import (
    _DUMMY_KDF,
    LOCKOUT_FAILURES,
    LOCKOUT_WINDOW,
    PIN_MAX_LENGTH,
    PIN_MIN_LENGTH,
    SALT_BYTES,
    SCRYPT_DKLEN,
    SCRYPT_N,
    SCRYPT_P,
    SCRYPT_R,
    USERNAME_PATTERN,
    AuthError,
    check_pin_policy,
    check_username,
    hash_pin,
    verify_pin,
)

if TYPE_CHECKING:
    from core.clock import Clock
    from core.store import Store, UserRow

log = logging.getLogger("crs_bedside.security")

#: Who is acting, in open mode or before the sign-in asks (the commands' ``--user``, the window's name field).
USER_ENV = "CRS_BEDSIDE_USER"


class Accounts:
    """Account management and sign-in on one open store (the GUI's log-in screen and ``crs-bedside users``)."""

    def __init__(self, store: Store, clock: Clock):
        self.store = store
        self.clock = clock
        #: The recovery key made when this object encrypted the file (shown once, then forgotten); else ``None``.
        self.recovery_key: str | None = None
        #: Accounts that have no key wrap yet after the file was encrypted (they sign in once on an open session,
        #: e.g. the lock screen, or an admin resets their PIN).
        self.without_key: list[str] = []

    @property
    def path(self) -> Path:
        """The database file."""
        return self.store.path

    def needs_first_admin(self) -> bool:
        """True on first run: no account exists yet (the GUI then shows "create the administrator")."""
        return not self.store.has_users()

    def create_first_admin(self, username: str, display_name: str, pin: str,
                           extra_roles: Iterable[Role | str] = ()) -> User:
        """Create the first account, an admin (optionally also nurse/clinician). Ends open mode.

        Raises:
            PermissionDenied: accounts already exist (use :meth:`add_user` as an admin).
            InputError: a bad user name, display name or PIN.
        """
        if self.store.has_users():
            raise PermissionDenied("The administrator already exists; an admin must sign in to add accounts.",
                                   Permission.MANAGE_USERS, username)
        user = self._write(username, display_name, {Role.ADMIN, *_roles(extra_roles or [Role.ADMIN])}, pin, None)
        self._encrypt(user, pin)
        return user

    def _encrypt(self, admin: User, pin: str) -> None:
        """Encrypt a clear file that has accounts (core/store.py ``Store.encrypt``), with a wrap for ``admin`` and a
        new recovery key (:attr:`recovery_key`); the other accounts are listed in :attr:`without_key`."""
        data_key = new_data_key()
        keys = KeyFile.create(key_path_for(self.store.path), data_key)
        keys.set_pin_wrap(admin.username, pin, data_key)
        recovery = new_recovery_key()
        keys.set_recovery_wrap(recovery, data_key)
        self.store.encrypt(data_key, keys)
        self.recovery_key = recovery
        self.without_key = [str(row["username"]) for row in self.store.users()
                            if row["active"] and row["username"] != admin.username]
        log.info("database encrypted at an admin's sign-in; accounts without a key wrap: %d", len(self.without_key))

    def _keys(self) -> KeyFile | None:
        return KeyFile.load(key_path_for(self.store.path)) if self.store.data_key is not None else None

    def _wrap_pin(self, username: str, pin: str) -> None:
        keys = self._keys()
        if keys is not None and self.store.data_key is not None:
            keys.set_pin_wrap(username, pin, self.store.data_key)

    def authenticate(self, username: str, pin: str) -> User:
        """Check a user name and PIN; record the attempt.

        Raises:
            AuthError: unknown name or wrong PIN (one message for both), disabled, or locked after repeated
                failures.
        """
        now = self.clock.now()
        row = self.store.user(username) if isinstance(username, str) else None
        recent = self.store.auth_outcomes(username, now - LOCKOUT_WINDOW) if row else []
        failures = 0
        for outcome in recent:
            if outcome == "ok":
                break
            if outcome == "bad_pin":
                failures += 1
        if row is None:
            verify_pin(pin or "", _DUMMY_KDF, "00" * SCRYPT_DKLEN)
            self._attempt(username, "unknown_user", now)
            raise AuthError("Wrong user name or PIN.")
        if failures >= LOCKOUT_FAILURES:
            self._attempt(username, "locked", now)
            raise AuthError(f"The account {username} is locked for {int(LOCKOUT_WINDOW.total_seconds() // 60)} "
                            "minutes after repeated wrong PINs; try later or ask an admin.")
        if not verify_pin(pin or "", row["kdf"], str(row["pin_hash"])):
            self._attempt(username, "bad_pin", now)
            raise AuthError("Wrong user name or PIN.")
        user = self._admit(username, row, now)
        if self.store.data_key is None and Role.ADMIN in user.roles:
            self._encrypt(user, pin)   # a clear file with accounts, from an earlier version
        else:
            keys = self._keys()
            if keys is not None and not keys.has_pin_wrap(username):
                self._wrap_pin(username, pin)   # an account the encryption found without a wrap
        return user

    def signed_in_by_key(self, username: str, now: datetime) -> User:
        """The account whose PIN just unwrapped the data key (:class:`SignIn`): it must exist and be active inside the
        file; the sign-in is recorded.

        Raises:
            AuthError: the account is not in the file (one message with a wrong PIN), or it is disabled.
        """
        row = self.store.user(username)
        if row is None:
            self._attempt(username, "unknown_user", now)
            raise AuthError("Wrong user name or PIN.")
        return self._admit(username, row, now)

    def _admit(self, username: str, row: UserRow, now: datetime) -> User:
        """The last step of a sign-in whose PIN is right: a disabled account is refused; the outcome is recorded."""
        if not row["active"]:
            self._attempt(username, "inactive", now)
            raise AuthError(f"The account {username} is disabled; ask an admin.")
        self._attempt(username, "ok", now)
        return _user_from_row(row)

    def add_user(self, actor: User, username: str, display_name: str, roles: Iterable[Role | str],
                 pin: str) -> User:
        """An admin adds an account.

        Raises:
            PermissionDenied: ``actor`` is not an admin.
            InputError: the name is taken, or a bad name, role or PIN.
        """
        require(self.store, actor, actor.username, Permission.MANAGE_USERS)
        check_username(username)
        if self.store.user(username) is not None:
            raise InputError(f"username: {username} already exists", "username")
        user = self._write(username, display_name, _roles(roles), pin, actor.username)
        self._wrap_pin(username, pin)
        return user

    def list_users(self, actor: User) -> list[User]:
        """Every account (admins only)."""
        require(self.store, actor, actor.username, Permission.MANAGE_USERS)
        return [_user_from_row(row) for row in self.store.users()]

    def set_pin(self, actor: User, username: str, new_pin: str) -> None:
        """An admin resets an account's PIN (a new salt each time)."""
        require(self.store, actor, actor.username, Permission.MANAGE_USERS)
        current = self._existing(username)
        self._write(username, current.display_name, current.roles, new_pin, actor.username, active=current.active)
        if current.active:
            self._wrap_pin(username, new_pin)   # under the key of the admin's own session

    def change_own_pin(self, username: str, old_pin: str, new_pin: str) -> None:
        """Anyone changes their own PIN by giving the old one."""
        user = self.authenticate(username, old_pin)
        self._write(username, user.display_name, user.roles, new_pin, username)
        self._wrap_pin(username, new_pin)

    def set_active(self, actor: User, username: str, active: bool) -> User:
        """An admin disables or re-enables an account (never deleted: its records keep its name)."""
        require(self.store, actor, actor.username, Permission.MANAGE_USERS)
        current = self._existing(username)
        if not active:
            self._keep_an_admin(username, frozenset())
        log.info("account %s", "enabled" if active else "disabled")
        user = self._new_version(actor, current, current.roles, active)
        keys = self._keys()
        if not active and keys is not None and self.store.data_key is not None:
            keys.remove_pin_wrap(username, self.store.data_key)   # a disabled account can no longer open the file
        return user

    def set_roles(self, actor: User, username: str, roles: Iterable[Role | str]) -> User:
        """An admin changes an account's roles (the last active admin keeps the admin role)."""
        require(self.store, actor, actor.username, Permission.MANAGE_USERS)
        current = self._existing(username)
        new_roles = _roles(roles)
        self._keep_an_admin(username, new_roles)
        return self._new_version(actor, current, new_roles, current.active)

    def history(self, actor: User, username: str) -> list[dict[str, Any]]:
        """Every version of an account (who changed it, when, roles, active) — never the PIN hash."""
        require(self.store, actor, actor.username, Permission.MANAGE_USERS)
        return [{"username": row["username"], "display_name": row["display_name"], "roles": row["roles"],
                 "active": row["active"], "changed_at": row["changed_at"].isoformat(),
                 "changed_by": row["changed_by"]} for row in self.store.user_history(username)]

    def sign_in_log(self, actor: User, limit: int = 200) -> list[dict[str, Any]]:
        """The newest sign-in attempts (admins only), for the GUI's account audit view."""
        require(self.store, actor, actor.username, Permission.MANAGE_USERS)
        return [{"username": name, "at": at.isoformat(), "outcome": outcome}
                for name, at, outcome in self.store.auth_events(limit)]

    # -- internals ----------------------------------------------------------------------------------------------
    def _new_version(self, actor: User, current: User, roles: frozenset[Role], active: bool) -> User:
        """A new version of an account with the same PIN hash and other roles or active flag."""
        row = self.store.user(current.username)
        if row is None:
            raise InputError(f"username: {current.username} is not an account", "username")
        self.store.add_user_version(
            username=current.username, display_name=current.display_name, roles=[r.value for r in roles],
            active=active, kdf=row["kdf"], pin_hash=str(row["pin_hash"]), now=self.clock.now(),
            changed_by=actor.username)
        return User(current.username, current.display_name, roles, active)

    def _existing(self, username: str) -> User:
        row = self.store.user(username)
        if row is None:
            raise InputError(f"username: {username} is not an account", "username")
        return _user_from_row(row)

    def _keep_an_admin(self, username: str, new_roles: frozenset[Role]) -> None:
        admins = [u for u in (_user_from_row(r) for r in self.store.users())
                  if u.active and Role.ADMIN in u.roles and u.username != username]
        if not admins and Role.ADMIN not in new_roles:
            raise InputError(f"username: {username} is the last active admin; make another admin first",
                             "username")

    def _write(self, username: str, display_name: str, roles: frozenset[Role] | set[Role], pin: str,
               changed_by: str | None, *, active: bool = True) -> User:
        check_username(username)
        if not isinstance(display_name, str) or not 1 <= len(display_name.strip()) <= 80:
            raise InputError("display_name: must have 1–80 characters", "display_name")
        check_pin_policy(pin)
        kdf, digest = hash_pin(pin)
        self.store.add_user_version(
            username=username, display_name=display_name.strip(), roles=[r.value for r in roles], active=active,
            kdf=kdf, pin_hash=digest, now=self.clock.now(), changed_by=changed_by)
        log.info("account written roles=%s", sorted(r.value for r in roles))
        return User(username, display_name.strip(), frozenset(roles), active)

    def _attempt(self, username: str, outcome: str, now: datetime) -> None:
        self.store.add_auth_event(username[:80] if isinstance(username, str) else "?", outcome, now)
        log.info("sign-in outcome=%s", outcome)


class SignIn:
    """Signing in to an encrypted database, before it can be read (the start-up sign-in of the GUI and commands).

    The user name picks the account's wrap in the key file and the PIN unwraps the data key (core/keys.py); only then
    does the store open (``open_store(key)``), and the account row inside the file is checked (it must exist and be
    active). Wrong PINs and unknown names are kept in the key file's attempts until the next sign-in moves them into
    the file's chained sign-in events; five wrong PINs in a row within 15 minutes lock the account for 15 minutes, as
    for a clear file. It offers what the sign-in form needs of :class:`Accounts` (``authenticate``,
    ``needs_first_admin``, ``path``).

    Attributes:
        store: The store opened by a successful sign-in (``None`` before).
    """

    def __init__(self, path: Path, clock: Clock, open_store: Callable[[bytes], Store]):
        self.path = Path(path)
        self.clock = clock
        self._open_store = open_store
        self.store: Store | None = None

    def needs_first_admin(self) -> bool:
        """Never: an encrypted file has accounts."""
        return False

    def authenticate(self, username: str, pin: str) -> User:
        """Unwrap the data key with the PIN, open the store, check the account inside.

        Raises:
            AuthError: unknown name or wrong PIN (one message for both), locked, or disabled.
            StoreError: the key file or the database cannot be used (changed outside the app, damaged, in use).
        """
        now = self.clock.now()
        keys = KeyFile.load(key_path_for(self.path))
        name = username if isinstance(username, str) else "?"
        if keys.recent_failures(name, now - LOCKOUT_WINDOW) >= LOCKOUT_FAILURES:
            keys.note_attempt(name, "locked", now)
            log.info("sign-in outcome=locked")
            raise AuthError(f"The account {name} is locked for {int(LOCKOUT_WINDOW.total_seconds() // 60)} "
                            "minutes after repeated wrong PINs; try later or ask an admin.")
        try:
            data_key = keys.unlock_with_pin(name, pin or "")
        except LaptopSecretMissing:
            log.info("sign-in outcome=laptop_secret_missing")
            raise AuthError(f"The PIN of {name} opens this database only on the laptop where it was set: that "
                            "laptop's keystore holds the other half of the key (or here the keystore is locked). "
                            "On another laptop, clinic IT opens it with the recovery key (crs-bedside users "
                            "recover), then an admin sets the PINs again.") from None
        except UnlockError:
            keys.note_attempt(name, "bad_pin" if keys.has_pin_wrap(name) else "unknown_user", now)
            log.info("sign-in outcome=%s", "bad_pin" if keys.has_pin_wrap(name) else "unknown_user")
            raise AuthError("Wrong user name or PIN.") from None
        return self._enter(keys, data_key, lambda accounts: accounts.signed_in_by_key(name, now))

    def recover(self, recovery_key: str, username: str, new_pin: str) -> User:
        """Every PIN lost: the recovery key opens the file and sets a new PIN for an admin account (a new account
        version changed by ``recovery``, and a new wrap), who is then signed in.

        Raises:
            UnlockError: the recovery key is mistyped (naming the group) or not this file's.
            InputError: ``username`` is not an active admin, or the new PIN breaks the PIN rules.
        """
        check_pin_policy(new_pin, "new_pin")
        keys = KeyFile.load(key_path_for(self.path))
        data_key = keys.unlock_with_recovery_key(recovery_key)

        def reset(accounts: Accounts) -> User:
            row = accounts.store.user(username)
            user = _user_from_row(row) if row else None
            if user is None or not user.active or Role.ADMIN not in user.roles:
                raise InputError(f"username: {username} is not an active admin account of this database", "username")
            accounts._write(username, user.display_name, user.roles, new_pin, "recovery")
            accounts._wrap_pin(username, new_pin)
            accounts._attempt(username, "recovered", self.clock.now())
            log.warning("access recovered with the recovery key")
            return user

        return self._enter(keys, data_key, reset)

    def _enter(self, keys: KeyFile, data_key: bytes, check: Callable[[Accounts], User]) -> User:
        store = self._open_store(data_key)
        try:
            for name, at, outcome in keys.take_attempts():
                store.add_auth_event(name, outcome, at)
            if keys.state != STATE_ENCRYPTED:
                store.finish_encryption(keys)
            user = check(Accounts(store, self.clock))
        except BaseException:
            store.close()
            raise
        self.store = store
        return user


# What core.security re-exports from core/permissions.py and core/pins.py (services, gui and tests import them
# from here).
__all__ = [
    "LOCKOUT_FAILURES", "LOCKOUT_WINDOW", "PERMISSIONS", "PIN_MAX_LENGTH", "PIN_MIN_LENGTH",
    "RECORD_TYPE_PERMISSIONS", "SALT_BYTES", "SCRYPT_DKLEN", "SCRYPT_N", "SCRYPT_P", "SCRYPT_R", "USERNAME_PATTERN",
    "AuthError", "Permission", "PermissionDenied", "Role", "User", "check_pin_policy", "check_username", "hash_pin",
    "require", "verify_pin"
]
