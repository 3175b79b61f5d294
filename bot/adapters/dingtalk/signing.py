"""DingTalk signatures: the HTTP-callback header check and the custom group-robot webhook sign, both
Base64(HmacSHA256(secret, timestamp + "\\n" + secret)) over millisecond timestamps."""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import quote_plus

# https://open.dingtalk.com/document/orgapp/receive-message: a callback older or newer than one hour is refused.
WINDOW_MS = 3_600_000


def sign(secret: str, timestamp_ms: str) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def verify_callback(timestamp: str | None, signature: str | None, secret: str, now_ms: int) -> str | None:
    """None when the headers are genuine and fresh, else why not (for the log; the caller answers 401).

    The header carries raw base64, not URL-encoded; only timestamp and secret are signed, never the body.
    """
    if not timestamp or not signature:
        return "missing timestamp or sign header"
    if not timestamp.isdigit() or len(timestamp) > 16:
        return "malformed timestamp"
    if abs(now_ms - int(timestamp)) > WINDOW_MS:
        return "stale timestamp"
    if not hmac.compare_digest(sign(secret, timestamp).encode(), signature.encode()):
        return "bad sign"
    return None


def webhook_url(url: str, secret: str | None, now_ms: int) -> str:
    """A custom group robot's webhook with `timestamp` and `sign` added when the robot uses 加签.

    https://open.dingtalk.com/document/robots/customize-robot-security-settings: the sign is URL-encoded
    with quote_plus (urllib's plain quote keeps '/' and breaks every sign that contains one).
    """
    if not secret:
        return url
    timestamp = str(now_ms)
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp}&sign={quote_plus(sign(secret, timestamp))}"
