"""Contact data at rest: Fernet encryption of phones and e-mails, and keyed lookup hashes to find them.

Both keys are derived from the one configured secret with HKDF-SHA256 under different labels, so a
leaked lookup hash says nothing about the encryption key and vice versa.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_SALT = b"dealbot contact keys"
_ENCRYPTION_INFO = b"dealbot/contact-encryption/v1"
_LOOKUP_INFO = b"dealbot/lookup-hash/v1"


class DecryptionError(ValueError):
    """The bytes are not a token made with this secret (wrong key, or damaged data)."""


def _derive(secret: str, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=info).derive(secret.encode("utf-8"))


class ContactCipher:
    """Encrypts contact fields and computes their lookup hashes, all from one secret string."""

    __slots__ = ("_fernet", "_lookup_key")

    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("an empty secret key cannot protect contact data")
        self._fernet = Fernet(base64.urlsafe_b64encode(_derive(secret, _ENCRYPTION_INFO)))
        self._lookup_key = _derive(secret, _LOOKUP_INFO)

    def __repr__(self) -> str:
        return "ContactCipher(<secret>)"  # never show key material in logs or tracebacks

    def encrypt(self, text: str) -> bytes:
        """Authenticated ciphertext; a fresh IV each call, so equal inputs give different bytes."""
        return self._fernet.encrypt(text.encode("utf-8"))

    def decrypt(self, token: bytes) -> str:
        try:
            return self._fernet.decrypt(token).decode("utf-8")
        except InvalidToken as exc:
            raise DecryptionError("contact data cannot be decrypted with the configured secret") from exc

    def lookup_hash(self, kind: str, canonical: str) -> str:
        """Deterministic HMAC-SHA256 hex (64 chars) of an already canonical value; `kind` separates domains."""
        if not kind or "\x00" in kind:
            raise ValueError(f"invalid lookup kind: {kind!r}")
        message = kind.encode("utf-8") + b"\x00" + canonical.encode("utf-8")
        return hmac.new(self._lookup_key, message, hashlib.sha256).hexdigest()
