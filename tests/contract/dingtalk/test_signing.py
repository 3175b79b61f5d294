"""The official DingTalk signature vectors (platforms.md §2.1, §2.3) and the one-hour window."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from bot.adapters.dingtalk.signing import WINDOW_MS, sign, verify_callback, webhook_url

DOC_TS = "1577262236757"


def test_callback_header_doc_vector() -> None:
    assert sign("this is a secret", DOC_TS) == "DJrE6qdyVGCQz9z5r2MDuNcNAhwYnuAkyj13cx169CA="


def test_custom_robot_doc_vector_is_quote_plus_encoded() -> None:
    url = webhook_url("https://oapi.dingtalk.com/robot/send?access_token=T", "this is secret", int(DOC_TS))
    assert url.endswith(f"&timestamp={DOC_TS}&sign=hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%2BGs6EZQM%3D")
    assert parse_qs(urlsplit(url).query)["sign"] == [sign("this is secret", DOC_TS)]


def test_sign_with_plus_and_slash_verifies_raw() -> None:
    secret, ts = "s3cr3t-find-plus-slash", "1700000000000"
    value = next(sign(secret + str(i), ts) for i in range(500) if {"+", "/"} <= set(sign(secret + str(i), ts)))
    assert "+" in value
    assert "/" in value
    key = next(secret + str(i) for i in range(500) if sign(secret + str(i), ts) == value)
    assert verify_callback(ts, value, key, int(ts)) is None


def test_window_boundaries() -> None:
    ts, secret = int(DOC_TS), "this is a secret"
    good = sign(secret, DOC_TS)
    assert verify_callback(DOC_TS, good, secret, ts + WINDOW_MS) is None
    assert verify_callback(DOC_TS, good, secret, ts - WINDOW_MS) is None
    assert verify_callback(DOC_TS, good, secret, ts + WINDOW_MS + 1) == "stale timestamp"
    assert verify_callback(DOC_TS, good, secret, ts - WINDOW_MS - 1) == "stale timestamp"


def test_missing_malformed_and_forged_headers_are_refused() -> None:
    secret, now = "this is a secret", int(DOC_TS)
    assert verify_callback(None, "x", secret, now) == "missing timestamp or sign header"
    assert verify_callback(DOC_TS, None, secret, now) == "missing timestamp or sign header"
    assert verify_callback("12e4", "x", secret, now) == "malformed timestamp"
    assert verify_callback(DOC_TS, sign("other secret", DOC_TS), secret, now) == "bad sign"
