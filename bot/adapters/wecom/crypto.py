"""WeCom callback crypto on wechatpy's `PrpCrypto`: constant-time signature check, decrypt with the
receiveid (corp id) check, and encrypt (passive replies and test fixtures)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from wechatpy.enterprise.crypto import PrpCrypto
from wechatpy.enterprise.exceptions import InvalidCorpIdException

# https://developer.work.weixin.qq.com/document/path/90968: EncodingAESKey is 43 characters and
# Base64_Decode(key + "=") is the 32-byte AES key. Real keys often have non-zero trailing bits (the official
# sample key ends in "t"), so the decode must be lenient about those bits — b64decode is — but it also skips
# characters outside the alphabet silently, so the alphabet is checked here first.
_KEY_SHAPE = re.compile(r"[A-Za-z0-9+/]{43}")


class WecomCryptoError(Exception):
    """The callback cannot be trusted; `status` is the HTTP answer (401 unverified, 403 refused)."""

    def __init__(self, reason: str, status: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


def aes_key(encoding_aes_key: str) -> bytes:
    if not _KEY_SHAPE.fullmatch(encoding_aes_key):
        raise ValueError("[wecom] encoding_aes_key must be the 43 characters shown in the WeCom console")
    key = base64.b64decode(encoding_aes_key + "=")
    if len(key) != 32:  # wechatpy only asserts this, and asserts vanish under python -O
        raise ValueError("[wecom] encoding_aes_key does not decode to 32 bytes")
    return key


def signature(token: str, timestamp: str, nonce: str, encrypted: str) -> str:
    """sha1 over the four values sorted as strings (path/90968); lowercase hex."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypted])).encode()).hexdigest()


class WecomCrypto:
    def __init__(self, token: str, encoding_aes_key: str, corp_id: str) -> None:
        self.token = token
        self.key = aes_key(encoding_aes_key)
        self.corp_id = corp_id

    def verify(self, msg_signature: str, timestamp: str, nonce: str, encrypted: str) -> None:
        # wechatpy compares with `!=`; a constant-time compare keeps the signature from leaking byte by byte.
        expected = signature(self.token, timestamp, nonce, encrypted)
        if not hmac.compare_digest(expected.encode(), msg_signature.lower().encode("utf-8", "replace")):
            raise WecomCryptoError("bad signature", 401)

    def decrypt(self, encrypted: str) -> str:
        """The plaintext; the receiveid after it must be our corp id (path/90968)."""
        try:
            # wechatpy slices the pad by its last byte, so WeCom's 32-byte PKCS#7 blocks (pads 17..32) work,
            # where `cryptography`'s PKCS7(128) unpadder would refuse them; msg_len is read as bytes.
            return str(PrpCrypto(self.key).decrypt(encrypted, self.corp_id))
        except InvalidCorpIdException:
            raise WecomCryptoError("receiveid is not our corp id", 403) from None
        except Exception as exc:  # bad base64, a length not a multiple of 16, a garbled pad or msg_len (struct.error)
            raise WecomCryptoError(f"undecryptable: {type(exc).__name__}", 403) from None

    def open(self, msg_signature: str, timestamp: str, nonce: str, encrypted: str) -> str:
        """Verify, then decrypt: nothing is decrypted before the signature holds."""
        self.verify(msg_signature, timestamp, nonce, encrypted)
        return self.decrypt(encrypted)

    def encrypt(self, plaintext: str, random16: bytes | None = None) -> str:
        """Base64 ciphertext of `plaintext` for our corp id; `random16` fixes the random prefix (test vectors)."""
        prp = PrpCrypto(self.key)
        if random16 is not None:
            if len(random16) != 16:
                raise ValueError("the random prefix is 16 bytes")
            prp.get_random_string = lambda: random16
        return bytes(prp.encrypt(plaintext, self.corp_id)).decode()

    def seal(self, plaintext: str, timestamp: str, nonce: str, random16: bytes | None = None) -> tuple[str, str]:
        """(msg_encrypt, msg_signature), as WeCom sends them and as a passive reply carries them."""
        encrypted = self.encrypt(plaintext, random16)
        return encrypted, signature(self.token, timestamp, nonce, encrypted)
