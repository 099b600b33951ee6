"""The citizen's secret lookup key: issued once, stored only as a keyed hash.

The hash is an HMAC-SHA256 keyed with `SECRET_KEY` (Django's
`salted_hmac`), not a slow password hash: the key is random (72 bits from
`secrets`), so it cannot be guessed from a list, and intake must stay fast.
Rotating `SECRET_KEY` without `SECRET_KEY_FALLBACKS` invalidates every key.

The answer to an API request sent with an `Idempotency-Key` header is kept
for a retry, and it holds the lookup key; there it is masked with a stream
derived from the header's value, which is itself stored only as a SHA-256
hash, so the database alone never reveals a lookup key.
"""

import base64
import hashlib
import hmac
import secrets

from django.utils.crypto import constant_time_compare, salted_hmac

_KEY_SALT = "danvan.petitions.lookup_key"
_MASK_INFO = b"danvan.petitions.lookup_key.mask"

#: Compared against when the code is unknown, so that an unknown code and a
#: wrong key take the same work.
_NO_HASH = "0" * 64


def lookup_key_new() -> str:
    """Return a fresh lookup key (12 URL-safe characters)."""
    return secrets.token_urlsafe(9)


def lookup_key_hash(key: str) -> str:
    """Return the hash stored for `key` (64 hex digits)."""
    return salted_hmac(_KEY_SALT, key, algorithm="sha256").hexdigest()


def lookup_key_matches(key: str, stored_hash: str | None) -> bool:
    """Return whether `key` hashes to `stored_hash`, in constant time."""
    return constant_time_compare(lookup_key_hash(key), stored_hash or _NO_HASH)


def idempotency_key_digest(idempotency_key: str) -> str:
    """Return what is stored for an `Idempotency-Key` header (SHA-256, hex)."""
    return hashlib.sha256(idempotency_key.encode()).hexdigest()


def _mask(idempotency_key: str, data: bytes) -> bytes:
    stream = hmac.new(idempotency_key.encode(), _MASK_INFO, hashlib.sha256).digest()
    if len(data) > len(stream):
        raise ValueError("A lookup key longer than 32 bytes cannot be masked.")
    return bytes(a ^ b for a, b in zip(data, stream, strict=False))


def lookup_key_mask(lookup_key: str, idempotency_key: str) -> str:
    """Return `lookup_key` masked with `idempotency_key`, for storage."""
    masked = _mask(idempotency_key, lookup_key.encode())
    return base64.urlsafe_b64encode(masked).decode()


def lookup_key_unmask(masked: str, idempotency_key: str) -> str:
    """Return the lookup key masked by `lookup_key_mask`."""
    return _mask(idempotency_key, base64.urlsafe_b64decode(masked)).decode()
