"""PINs and user names: hashing with scrypt (memory-hard, a per-user random salt, the parameters stored with the hash
so they can be raised later), constant-time comparison, the PIN policy and the lockout's figures. A PIN is never
stored, logged or echoed. Imported from :mod:`core.security` too.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta
from typing import Any

from core.errors import BedsideError, InputError

#: scrypt cost: n=2**14, r=8 uses 16 MiB and about 50 ms per check on a ward laptop.
SCRYPT_N = 2 ** 14
SCRYPT_R = 8
SCRYPT_P = 1
SCRYPT_DKLEN = 32
SALT_BYTES = 16
PIN_MIN_LENGTH = 6
PIN_MAX_LENGTH = 128
LOCKOUT_FAILURES = 5
LOCKOUT_WINDOW = timedelta(minutes=15)
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")


class AuthError(BedsideError):
    """Sign-in failed (unknown name or wrong PIN — deliberately not told apart), account disabled or locked."""


def hash_pin(pin: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> tuple[dict[str, Any], str]:
    """Hash a PIN with scrypt and a fresh random salt; return (parameters incl. salt, hex digest)."""
    salt = secrets.token_bytes(SALT_BYTES)
    kdf = {"name": "scrypt", "n": n, "r": r, "p": p, "dklen": SCRYPT_DKLEN, "salt": salt.hex()}
    return kdf, _derive(pin, kdf).hex()


def verify_pin(pin: str, kdf: dict[str, Any], expected_hex: str) -> bool:
    """Constant-time check of a PIN against a stored hash made with the stored parameters."""
    try:
        expected = bytes.fromhex(expected_hex)
    except ValueError:
        return False
    return hmac.compare_digest(_derive(pin, kdf), expected)


def _derive(pin: str, kdf: dict[str, Any]) -> bytes:
    if kdf.get("name") != "scrypt":
        raise AuthError("this account's PIN was stored with an unknown method; ask an admin to reset it")
    n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
    return hashlib.scrypt(pin.encode("utf-8"), salt=bytes.fromhex(kdf["salt"]), n=n, r=r, p=p,
                          dklen=int(kdf["dklen"]), maxmem=256 * n * r * p + (1 << 20))


#: A fixed dummy hash, so an unknown user name costs the same time as a wrong PIN.
_DUMMY_KDF = {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "dklen": SCRYPT_DKLEN,
              "salt": "00" * SALT_BYTES}


def check_pin_policy(pin: str, field: str = "pin") -> None:
    """A PIN or password has 6–128 characters and is not one repeated character.

    Raises:
        InputError: naming the rule (never the PIN).
    """
    if not isinstance(pin, str) or not PIN_MIN_LENGTH <= len(pin) <= PIN_MAX_LENGTH:
        raise InputError(f"{field}: a PIN must have {PIN_MIN_LENGTH}–{PIN_MAX_LENGTH} characters", field)
    if len(set(pin)) == 1:
        raise InputError(f"{field}: a PIN must not be one character repeated", field)


def check_username(username: str) -> None:
    """User names are 2–40 lower-case letters, digits, dots, dashes or underscores (``amy.lee``).

    Raises:
        InputError: naming the value and the rule.
    """
    if not isinstance(username, str) or not USERNAME_PATTERN.match(username):
        raise InputError(f"username: {username!r} must be 2–40 lower-case letters, digits, '.', '-' or '_', "
                         "starting with a letter or digit", "username")
