"""ContactCipher: round trips, wrong keys fail closed, lookup hashes are keyed and domain-separated."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storage.crypto import ContactCipher, DecryptionError

CIPHER = ContactCipher("test secret")


@given(st.text())
def test_decrypt_returns_what_was_encrypted(text: str) -> None:
    assert CIPHER.decrypt(CIPHER.encrypt(text)) == text


def test_ciphertext_hides_the_plaintext() -> None:
    token = CIPHER.encrypt("+8613800138000")
    assert b"13800138000" not in token


def test_equal_plaintexts_encrypt_differently() -> None:
    assert CIPHER.encrypt("a@example.com") != CIPHER.encrypt("a@example.com")


def test_another_secret_cannot_decrypt() -> None:
    token = CIPHER.encrypt("+8613800138000")
    with pytest.raises(DecryptionError):
        ContactCipher("other secret").decrypt(token)


def test_damaged_token_is_rejected() -> None:
    token = bytearray(CIPHER.encrypt("x"))
    token[-5] ^= 1
    with pytest.raises(DecryptionError):
        CIPHER.decrypt(bytes(token))


def test_same_secret_decrypts_across_instances() -> None:
    assert ContactCipher("test secret").decrypt(CIPHER.encrypt("李雷")) == "李雷"


def test_lookup_hash_is_stable_64_hex() -> None:
    digest = CIPHER.lookup_hash("phone", "+8613800138000")
    assert digest == ContactCipher("test secret").lookup_hash("phone", "+8613800138000")
    assert len(digest) == 64
    assert int(digest, 16) >= 0


def test_lookup_hash_depends_on_kind() -> None:
    assert CIPHER.lookup_hash("phone", "x") != CIPHER.lookup_hash("email", "x")


def test_lookup_hash_depends_on_secret() -> None:
    assert CIPHER.lookup_hash("phone", "x") != ContactCipher("other").lookup_hash("phone", "x")


def test_kind_and_value_cannot_be_shifted() -> None:
    assert CIPHER.lookup_hash("ab", "c") != CIPHER.lookup_hash("a", "bc")


def test_empty_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="empty secret"):
        ContactCipher("")


def test_repr_shows_no_key_material() -> None:
    assert repr(CIPHER) == "ContactCipher(<secret>)"
