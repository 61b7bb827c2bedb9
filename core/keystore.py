"""The laptop's own keystore, where the operating system offers one: Windows Credential Manager, the macOS Keychain,
the Secret Service of a Linux desktop (GNOME Keyring, KWallet), through the ``keyring`` package.

It binds an encrypted database's PIN wraps to the laptop (core/keys.py): a random 256-bit *laptop secret*, kept in
the keystore under the key file's id, is mixed into the key each PIN wrap is made with. A copy of the database and
its key file taken off the laptop then cannot be opened, nor its PINs searched offline, without also taking that
laptop's keystore (which the operating system guards with the user's own login). The recovery key's wrap is never
bound: with it, clinic IT opens the file on another laptop.

Where there is no keystore (a server without a desktop session, or ``CRS_BEDSIDE_KEYSTORE=off`` set by clinic IT),
nothing is bound and nothing breaks: the PIN wraps are made as before. Only the operating system's own keystores
count; a plain-text file "keyring" some Python installations offer is not a keystore.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
from typing import Any

log = logging.getLogger("crs_bedside.keystore")

#: The service name the laptop secrets are kept under (what clinic IT sees in the keystore).
SERVICE = "CRS Bedside"
#: ``CRS_BEDSIDE_KEYSTORE=off``: never use the keystore (clinic IT's choice; the test suite's default).
SWITCH_ENV = "CRS_BEDSIDE_KEYSTORE"
SECRET_BYTES = 32
#: The keyring package's backends that are an operating system's keystore (module names under keyring.backends).
NATIVE_BACKENDS = ("keyring.backends.Windows", "keyring.backends.macOS", "keyring.backends.SecretService",
                   "keyring.backends.kwallet")


def _entry(file_id: str) -> str:
    return f"laptop secret of database {file_id}"


def _native(backend: Any) -> Any | None:
    """``backend`` itself, or the first of a chain, that is an operating system's keystore and says it works here."""
    for candidate in getattr(backend, "backends", None) or [backend]:
        if type(candidate).__module__ in NATIVE_BACKENDS and getattr(candidate, "priority", 0) > 0:
            return candidate
    return None


def keystore() -> Any | None:
    """The operating system's keystore, or ``None`` where there is none (or it is switched off)."""
    if os.environ.get(SWITCH_ENV, "").strip().lower() == "off":
        return None
    try:
        import keyring
    except ImportError:                      # a build without it: no binding, nothing breaks
        return None
    try:
        return _native(keyring.get_keyring())
    except Exception:                        # a keystore that cannot even be asked is no keystore
        log.warning("the keystore could not be reached", exc_info=True)
        return None


def laptop_secret(file_id: str, *, create: bool) -> bytes | None:
    """This laptop's secret for the database with key file id ``file_id``, made and kept in the keystore when
    ``create`` and there is none yet; ``None`` where there is no keystore, or (``create`` false) no secret in it."""
    store = keystore()
    if store is None:
        return None
    try:
        value = store.get_password(SERVICE, _entry(file_id))
        if value is None and create:
            value = secrets.token_hex(SECRET_BYTES)
            store.set_password(SERVICE, _entry(file_id), value)
            if store.get_password(SERVICE, _entry(file_id)) != value:
                log.warning("the keystore did not keep the laptop secret: the PINs are not bound to this laptop")
                return None
            log.info("laptop secret made in the keystore")
    except Exception:                        # locked, refused, D-Bus gone: as if there were none
        log.warning("the keystore refused the laptop secret", exc_info=True)
        return None
    return bytes.fromhex(value) if value else None


def laptop_mark(secret: bytes) -> str:
    """Which laptop secret a wrap is bound to (the first 64 bits of its SHA-256: it names the secret, and tells
    nothing of it), so that a wrap of another laptop is named as such rather than taken for a wrong PIN."""
    return hashlib.sha256(secret).hexdigest()[:16]
