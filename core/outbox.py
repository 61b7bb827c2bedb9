"""What waits to be sent to the hospital's FHIR server (core/fhir/push.py): the server's address as the outbox
keys it, and the records it has not acknowledged. Outside core/fhir and light on purpose (no ``fhir.resources``):
the window's status bar asks at start-up.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from core.errors import InputError
from core.store import Store

#: Where a push sends when no URL is given (the window's status line reads it too).
URL_ENV = "CRS_BEDSIDE_FHIR_URL"
#: The bearer token: only ever read from the environment, never stored, printed or logged.
TOKEN_ENV = "CRS_BEDSIDE_FHIR_TOKEN"


def server_key(url: str) -> str:
    """The server's base URL as the outbox keys it (no trailing slash).

    Raises:
        InputError: not an http(s) URL.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"--url: {url!r} is not an http:// or https:// FHIR base URL", "url")
    return url.strip().rstrip("/")


def configured_url(setting: str | None = None) -> str | None:
    """The FHIR server to send to: ``$CRS_BEDSIDE_FHIR_URL``, else the setting, else ``None``."""
    return os.environ.get(URL_ENV) or setting or None


def waiting(store: Store, url: str) -> int:
    """How many records wait to be sent to the server at ``url``."""
    return store.records_entered_count(store.fhir_cursor(server_key(url)))
