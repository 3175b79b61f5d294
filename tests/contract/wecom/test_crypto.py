"""WeCom callback crypto: the official sample vectors, the 32-byte pad, byte-counted msg_len, the lenient key,
and refusals (bad signature 401; undecryptable or wrong corp 403)."""

from __future__ import annotations

import base64
import struct

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from bot.adapters.wecom.crypto import WecomCrypto, WecomCryptoError, aes_key, signature

# sbzhu/weworkapi_python callback/Sample.py (the official python WXBizMsgCrypt sample)
OFFICIAL = WecomCrypto("hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo", "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt",
                       "ww1436e0e65a779aee")
ECHO = "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA=="
MSG = ("Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AE"
       "ew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD2"
       "4YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjay"
       "JOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+")
# The 2014 企业号 sample in the same file's comment block.
OLD = WecomCrypto("QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7")
OLD_ECHO = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="


def raw_plaintext(crypto: WecomCrypto, encrypted: str) -> bytes:
    decryptor = Cipher(algorithms.AES(crypto.key), modes.CBC(crypto.key[:16])).decryptor()
    return decryptor.update(base64.b64decode(encrypted)) + decryptor.finalize()


def test_official_verify_url_vector() -> None:
    plain = OFFICIAL.open("012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb", "1476416373", "47744683", ECHO)
    assert plain == "1288432023552776189"


def test_official_decrypt_msg_vector() -> None:
    plain = OFFICIAL.open("0c3914025cb4b4d68103f6bfc8db550f79dcf48e", "1476422779", "1597212914", MSG)
    assert "<Content>你好</Content>" in plain
    assert "<FromUserName>ChenJiaShun</FromUserName>" in plain


def test_2014_sample_vectors() -> None:
    assert OLD.open("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659589", "263014780", OLD_ECHO) \
        == "1616140317555161061"


def test_reencrypting_with_the_recovered_random_reproduces_the_official_ciphertext() -> None:
    random16 = raw_plaintext(OFFICIAL, MSG)[:16]
    plain = OFFICIAL.decrypt(MSG)
    assert OFFICIAL.encrypt(plain, random16) == MSG


def test_full_32_byte_pad_block_round_trips() -> None:
    corp = len(OFFICIAL.corp_id.encode())
    text = "x" * (64 - 16 - 4 - corp)  # the plaintext fills two blocks exactly, so the pad is a whole block
    encrypted = OFFICIAL.encrypt(text, b"0123456789abcdef")
    assert raw_plaintext(OFFICIAL, encrypted)[-32:] == bytes([32]) * 32
    assert OFFICIAL.decrypt(encrypted) == text


def test_msg_len_counts_utf8_bytes() -> None:
    encrypted = OFFICIAL.encrypt("跟进 华为", b"0123456789abcdef")
    (length,) = struct.unpack(">I", raw_plaintext(OFFICIAL, encrypted)[16:20])
    assert length == len("跟进 华为".encode()) == 13
    assert OFFICIAL.decrypt(encrypted) == "跟进 华为"


def test_key_with_nonzero_trailing_bits_decodes_leniently() -> None:
    assert len(aes_key("6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt")) == 32  # ends in "t": low bits set


@pytest.mark.parametrize("key", ["short", "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhU-",
                                 "6qkd Mrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhU"])
def test_malformed_keys_are_refused_at_start(key: str) -> None:
    with pytest.raises(ValueError, match="encoding_aes_key"):
        aes_key(key)


def test_bad_signature_is_401_before_any_decryption() -> None:
    with pytest.raises(WecomCryptoError) as err:
        OFFICIAL.open("0" * 40, "1476422779", "1597212914", MSG)
    assert err.value.status == 401


def test_wrong_corp_is_403() -> None:
    other = WecomCrypto(OFFICIAL.token, "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt", "ww-someone-else")
    encrypted, sig = other.seal("<xml/>", "1", "2")
    with pytest.raises(WecomCryptoError) as err:
        OFFICIAL.open(sig, "1", "2", encrypted)
    assert err.value.status == 403


@pytest.mark.parametrize("garbage", ["not base64 !!", "QUJD", base64.b64encode(bytes(48)).decode()])
def test_undecryptable_body_with_a_valid_signature_is_403(garbage: str) -> None:
    with pytest.raises(WecomCryptoError) as err:
        OFFICIAL.open(signature(OFFICIAL.token, "1", "2", garbage), "1", "2", garbage)
    assert err.value.status == 403
