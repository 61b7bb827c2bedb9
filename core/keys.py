"""The keys of an encrypted database: one random data key per file, kept only wrapped, in a key file beside it.

A database with accounts is encrypted with SQLCipher 4 (core/store.py) under one random 256-bit *data key*, given to
SQLCipher as a raw key (no key derivation at each open). The data key is never stored in clear. The key file
``<db>.keys`` (JSON, mode 0600) holds it *wrapped* (AES-256-GCM from the ``cryptography`` package):

- once per account that may sign in, under a key derived from that account's PIN with scrypt (the parameters and the
  salt are stored with the wrap, so they can be raised later; :data:`PIN_KDF` costs about 0.44 s here, see
  docs/GUARANTEES.md);
- once under the *recovery key*, shown a single time when the first administrator is created, for clinic IT to keep
  on paper (:func:`new_recovery_key`: 32 random base-32 characters in 8 groups, each group ending in a check
  character, so a mistyped group is named).

Each wrap's associated data binds it to the file's id, its own name and its KDF parameters, so a wrap moved to another
name, another key file, or given cheaper parameters does not open. The key file as a whole is sealed with the data key
(an AES-GCM tag over its canonical content), checked after every unwrap: a wrap added, removed or changed, or the
state flipped, by someone without the data key is found.

Sign-in happens before the database can be read: the user name picks the wrap, the PIN unwraps the data key, then the
store opens and the account row inside the database is checked (core/security.py, :class:`SignIn`). Attempts made
before the database is readable (a wrong PIN, an unknown name) are kept in the key file's unsealed ``attempts`` list,
which counts towards the lockout; the next successful sign-in moves them into the database's chained ``auth_events``.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TypedDict

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from core.backup import fsync_path
from core.errors import BedsideError, StoreError
from core.keystore import laptop_mark, laptop_secret

log = logging.getLogger("crs_bedside.keys")

KEYFILE_FORMAT = "crs-bedside-keys/1"
DATA_KEY_BYTES = 32


class ScryptCost(TypedDict):
    """A key derivation's method and scrypt cost, as a key file's wrap stores them (with the wrap's salt)."""

    name: str
    n: int
    r: int
    p: int


#: scrypt for PIN wraps: n=2**17, r=8 (128 MiB) costs about 0.44 s on these machines (n=2**16: 0.23 s, too cheap).
PIN_KDF: ScryptCost = {"name": "scrypt", "n": 2 ** 17, "r": 8, "p": 1}
SALT_BYTES = 16
NONCE_BYTES = 12
#: The recovery key: 8 groups of 4 random base-32 characters (160 bits) and one check character each.
RECOVERY_GROUPS = 8
RECOVERY_GROUP_CHARS = 4
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"   # Crockford's base 32: no I, L, O, U
_READS_AS = {"O": "0", "I": "1", "L": "1"}
#: Attempts kept in the key file before the database can be read (oldest dropped beyond this).
MAX_ATTEMPTS_KEPT = 200
STATE_ENCRYPTING = "encrypting"
STATE_ENCRYPTED = "encrypted"


class SignInRequired(StoreError):
    """The database is encrypted: its key comes only from a sign-in (or the recovery key)."""


class UnlockError(BedsideError):
    """The key file does not open with what was given (wrong PIN, unknown name, wrong recovery key)."""


class LaptopSecretMissing(UnlockError):
    """The account's PIN wrap is bound to a laptop's keystore (core/keystore.py) whose secret is not here."""


def key_path_for(db_path: Path) -> Path:
    """The key file of a database."""
    return db_path.with_name(db_path.name + ".keys")


def new_data_key() -> bytes:
    """A fresh random 256-bit data key."""
    return secrets.token_bytes(DATA_KEY_BYTES)


def sqlcipher_key(data_key: bytes) -> str:
    """The raw-key literal SQLCipher takes (``x'…'``): used as is, no key derivation at open."""
    if len(data_key) != DATA_KEY_BYTES:
        raise StoreError("the data key must have 256 bits")
    return f"\"x'{data_key.hex()}'\""


#: SQLCipher's settings for every encrypted database, backup and copy, applied right after the key (a change here is a
#: change of file format). SQLCipher 4's defaults (AES-256-CBC, 4 KiB pages, an HMAC on every page) but for the page
#: HMAC's hash: SHA-256 rather than SHA-512, as sound for an HMAC and the one x86 and ARM processors compute in
#: hardware (SHA-NI, ARMv8 crypto extensions): reading a page costs about a third less than with SHA-512 here.
SQLCIPHER_SETTINGS = (("cipher_hmac_algorithm", "HMAC_SHA256"),)


def sqlcipher_setup(data_key: bytes) -> list[str]:
    """The statements that open an encrypted connection: the raw key, then :data:`SQLCIPHER_SETTINGS`."""
    return [f"PRAGMA key = {sqlcipher_key(data_key)}",
            *(f"PRAGMA {name} = {value}" for name, value in SQLCIPHER_SETTINGS)]


def derived_key(data_key: bytes, purpose: str) -> bytes:
    """A key for one purpose derived from the data key (HKDF-SHA256), e.g. the fold snapshots' seal."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=f"crs-bedside/{purpose}".encode()).derive(data_key)


# -- the recovery key -----------------------------------------------------------------------------------------
def _check_char(group: str) -> str:
    """Luhn mod 32 check character of one group."""
    factor, total = 2, 0
    for char in reversed(group):
        addend = factor * _ALPHABET.index(char)
        factor = 1 if factor == 2 else 2
        total += addend // 32 + addend % 32
    return _ALPHABET[(32 - total % 32) % 32]


def new_recovery_key() -> str:
    """A new recovery key: ``XXXX-C`` groups joined with spaces (160 random bits; ``C`` checks its group)."""
    groups = []
    for _ in range(RECOVERY_GROUPS):
        body = "".join(secrets.choice(_ALPHABET) for _ in range(RECOVERY_GROUP_CHARS))
        groups.append(f"{body}{_check_char(body)}")
    return " ".join(f"{g[:RECOVERY_GROUP_CHARS]}-{g[RECOVERY_GROUP_CHARS:]}" for g in groups)


def parse_recovery_key(text: str) -> bytes:
    """The secret of a typed recovery key (spaces, dashes and case do not matter; O reads as 0, I and L as 1).

    Raises:
        UnlockError: naming the group that does not check, or saying how many characters are missing.
    """
    chars = [_READS_AS.get(c, c) for c in text.upper() if c not in " -\t\n"]
    size = RECOVERY_GROUP_CHARS + 1
    if len(chars) != RECOVERY_GROUPS * size or any(c not in _ALPHABET for c in chars):
        raise UnlockError(f"recovery key: expected {RECOVERY_GROUPS} groups of {RECOVERY_GROUP_CHARS} characters "
                          f"and a check character each ({RECOVERY_GROUPS * size} characters), got {len(chars)}")
    body = []
    for index in range(RECOVERY_GROUPS):
        group = "".join(chars[index * size:(index + 1) * size])
        if _check_char(group[:-1]) != group[-1]:
            raise UnlockError(f"recovery key: group {index + 1} ({group[:-1]}-{group[-1]}) does not check; "
                              "look for a mistyped character")
        body.append(group[:-1])
    return "".join(body).encode("ascii")


# -- wraps ----------------------------------------------------------------------------------------------------
def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _kek(secret: bytes, kdf: dict[str, Any], laptop: bytes | None = None) -> bytes:
    salt = bytes.fromhex(kdf["salt"])
    if kdf.get("name") == "scrypt":
        n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
        if n < PIN_KDF["n"] or r < PIN_KDF["r"]:
            raise UnlockError("this key file asks for a weaker PIN key derivation than CRS Bedside allows")
        from_pin = Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(secret)
        if not kdf.get("laptop"):
            return from_pin
        if laptop is None:
            raise LaptopSecretMissing("the laptop secret of this wrap is not in this keystore")
        # bound to the laptop (core/keystore.py): the PIN's key and the laptop's secret, both needed
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=laptop,
                    info=b"crs-bedside/pin-on-this-laptop").derive(from_pin)
    if kdf.get("name") == "hkdf-sha256":
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"crs-bedside/recovery").derive(secret)
    raise UnlockError("this key file uses a method this version does not know")


def _wrap_name(username: str) -> str:
    return f"user:{username}"


@dataclass
class KeyFile:
    """The key file of one database (see the module's docstring). Load with :meth:`load`; change with the methods,
    which write it at once (atomically, mode 0600)."""

    path: Path
    file_id: str
    state: str
    wraps: dict[str, dict[str, Any]]
    seal: dict[str, str] = field(default_factory=dict)
    attempts: list[dict[str, str]] = field(default_factory=list)

    # -- reading and writing --------------------------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path) -> KeyFile:
        """Read a key file.

        Raises:
            StoreError: it is missing, unreadable or not a key file of this version.
        """
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            if doc.get("format") != KEYFILE_FORMAT:
                raise ValueError("format")
            return cls(path, str(doc["file_id"]), str(doc["state"]), dict(doc["wraps"]), dict(doc.get("seal", {})),
                       list(doc.get("attempts", [])))
        except FileNotFoundError:
            raise StoreError(f"{path}: the key file of this encrypted database is missing. Without it nobody can "
                             "open the database: put the key file back from where clinic IT keeps a copy.") from None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise StoreError(f"{path}: the key file cannot be read ({type(exc).__name__}). It has been left as it "
                             "is; put back the copy clinic IT keeps.") from None

    @classmethod
    def create(cls, path: Path, data_key: bytes) -> KeyFile:
        """A new key file for ``data_key`` (state ``encrypting`` until :meth:`mark_encrypted`), not yet written."""
        keys = cls(path, secrets.token_hex(16), STATE_ENCRYPTING, {})
        keys._reseal(data_key)
        return keys

    def _sealed_content(self) -> bytes:
        return _canonical({"format": KEYFILE_FORMAT, "file_id": self.file_id, "state": self.state,
                           "wraps": self.wraps})

    def _reseal(self, data_key: bytes) -> None:
        nonce = secrets.token_bytes(NONCE_BYTES)
        tag = AESGCM(derived_key(data_key, "key-file")).encrypt(nonce, b"", self._sealed_content())
        self.seal = {"nonce": nonce.hex(), "tag": tag.hex()}

    def check_seal(self, data_key: bytes) -> None:
        """Raise :class:`StoreError` unless the key file is exactly as CRS Bedside last wrote it."""
        try:
            AESGCM(derived_key(data_key, "key-file")).decrypt(
                bytes.fromhex(self.seal["nonce"]), bytes.fromhex(self.seal["tag"]), self._sealed_content())
        except (InvalidTag, KeyError, ValueError):
            raise StoreError(f"{self.path}: the key file was changed outside CRS Bedside (its seal does not match). "
                             "The database has not been opened; tell clinic IT and put back their copy of the "
                             "key file.") from None

    def save(self) -> None:
        """Write the key file atomically (temporary file, fsync, rename), readable by its owner only."""
        doc = {"format": KEYFILE_FORMAT, "file_id": self.file_id, "state": self.state, "wraps": self.wraps,
               "seal": self.seal, "attempts": self.attempts[-MAX_ATTEMPTS_KEPT:]}
        temp = self.path.with_name(f".{self.path.name}.writing")
        try:
            temp.unlink(missing_ok=True)
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(doc, handle, indent=1, sort_keys=True)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
            fsync_path(self.path.parent)
        except OSError as exc:
            temp.unlink(missing_ok=True)
            raise StoreError(f"{self.path}: the key file could not be written ({exc.strerror or exc}); nothing "
                             "was changed") from None

    # -- wraps ----------------------------------------------------------------------------------------------------
    def _wrap(self, name: str, secret: bytes, kdf: dict[str, Any], data_key: bytes,
              laptop: bytes | None = None) -> None:
        nonce = secrets.token_bytes(NONCE_BYTES)
        aad = _canonical([KEYFILE_FORMAT, self.file_id, name, kdf])
        self.wraps[name] = {"kdf": kdf, "nonce": nonce.hex(),
                            "wrapped": AESGCM(_kek(secret, kdf, laptop)).encrypt(nonce, data_key, aad).hex()}

    def _unwrap(self, name: str, secret: bytes) -> bytes:
        entry = self.wraps.get(name)
        if entry is None:
            raise UnlockError("no such wrap")
        aad = _canonical([KEYFILE_FORMAT, self.file_id, name, entry["kdf"]])
        laptop = laptop_secret(self.file_id, create=False) if entry["kdf"].get("laptop") else None
        if laptop is not None and laptop_mark(laptop) != entry["kdf"]["laptop"]:
            laptop = None                     # this keystore's secret is another laptop's (made since, here)
        try:
            data_key = AESGCM(_kek(secret, entry["kdf"], laptop)).decrypt(
                bytes.fromhex(entry["nonce"]), bytes.fromhex(entry["wrapped"]), aad)
        except (InvalidTag, ValueError, KeyError):
            raise UnlockError("the key does not open this wrap") from None
        self.check_seal(data_key)
        return data_key

    def has_pin_wrap(self, username: str) -> bool:
        """True when ``username`` can sign in (the account has a wrap of the data key)."""
        return _wrap_name(username) in self.wraps

    def set_pin_wrap(self, username: str, pin: str, data_key: bytes) -> None:
        """Wrap the data key under a key derived from ``pin`` (new salt) for ``username`` — and from this laptop's
        secret, where the operating system has a keystore (core/keystore.py) — and save."""
        laptop = laptop_secret(self.file_id, create=True)
        kdf: dict[str, Any] = {**PIN_KDF, "salt": secrets.token_bytes(SALT_BYTES).hex()}
        if laptop is not None:
            kdf["laptop"] = laptop_mark(laptop)   # in the wrap's associated data: it cannot be unbound unseen
        self._wrap(_wrap_name(username), pin.encode("utf-8"), kdf, data_key, laptop)
        self._reseal(data_key)
        self.save()
        log.info("key wrapped for an account")

    def remove_pin_wrap(self, username: str, data_key: bytes) -> None:
        """Delete an account's wrap (a disabled account can no longer open the file), and save."""
        if self.wraps.pop(_wrap_name(username), None) is not None:
            self._reseal(data_key)
            self.save()
            log.info("key wrap of an account removed")

    def set_recovery_wrap(self, recovery_key: str, data_key: bytes) -> None:
        """Wrap the data key under the recovery key (replacing any earlier one), and save."""
        kdf = {"name": "hkdf-sha256", "salt": secrets.token_bytes(SALT_BYTES).hex()}
        self._wrap("recovery", parse_recovery_key(recovery_key), kdf, data_key)
        self._reseal(data_key)
        self.save()

    def unlock_with_pin(self, username: str, pin: str) -> bytes:
        """The data key, from an account's PIN.

        Raises:
            UnlockError: no wrap for this name, or the PIN does not open it (the same scrypt cost either way).
            StoreError: the key file was changed outside the app.
        """
        if _wrap_name(username) not in self.wraps:
            _kek(pin.encode("utf-8"), {**PIN_KDF, "salt": "00" * SALT_BYTES})   # same cost as a wrong PIN
            raise UnlockError("no wrap for this name")
        return self._unwrap(_wrap_name(username), pin.encode("utf-8"))

    def unlock_with_recovery_key(self, recovery_key: str) -> bytes:
        """The data key, from the recovery key.

        Raises:
            UnlockError: the recovery key is mistyped (naming the group) or is not this file's.
        """
        try:
            return self._unwrap("recovery", parse_recovery_key(recovery_key))
        except UnlockError as exc:
            if str(exc).startswith("recovery key:"):
                raise
            raise UnlockError("recovery key: this is not the recovery key of this database") from None

    def mark_encrypted(self, data_key: bytes) -> None:
        """The encrypted file is in place: record it (a clear file beside this key file is then refused)."""
        self.state = STATE_ENCRYPTED
        self._reseal(data_key)
        self.save()

    # -- attempts made before the database is readable --------------------------------------------------------------
    def note_attempt(self, username: str, outcome: str, at: datetime) -> None:
        """Keep a failed sign-in attempt (moved into the database's chained ``auth_events`` at the next sign-in)."""
        self.attempts.append({"username": username[:80], "at": at.isoformat(), "outcome": outcome})
        self.save()

    def recent_failures(self, username: str, since: datetime) -> int:
        """Wrong PINs of ``username`` kept here since ``since`` (they count towards the lockout)."""
        return sum(1 for a in self.attempts if a.get("username") == username and a.get("outcome") == "bad_pin"
                   and _when(a) >= since)

    def take_attempts(self) -> list[tuple[str, datetime, str]]:
        """Every kept attempt (user name, when, outcome), removed from the file."""
        taken = [(str(a["username"]), _when(a), str(a["outcome"])) for a in self.attempts]
        if taken:
            self.attempts = []
            self.save()
        return taken


def _when(attempt: dict[str, str]) -> datetime:
    try:
        return datetime.fromisoformat(attempt["at"])
    except (KeyError, ValueError):
        return _EPOCH


_EPOCH = datetime.fromisoformat("1970-01-01T00:00:00+00:00")
