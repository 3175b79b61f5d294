"""The serving benchmark's two reference points (issue 3): a bare aiohttp handler that only verifies the
Slack signature, and a minimal slack-bolt AsyncApp that only acks a slash command (bolt's defaults).

    python benchmarks/serve_refs.py bare|bolt PORT
"""

from __future__ import annotations

import sys

from aiohttp import web
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_sdk.signature import SignatureVerifier

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"  # tests/harness/fake_slack.py's signing secret
ROUTE = "/slack/events"


def bare_app() -> web.Application:
    verifier = SignatureVerifier(SECRET)

    async def handle(request: web.Request) -> web.Response:
        raw = await request.read()
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature", "")
        if not verifier.is_valid(raw, timestamp, signature):
            return web.Response(status=401)
        return web.Response(text="")

    app = web.Application()
    app.router.add_post(ROUTE, handle)
    return app


def bolt_app() -> web.Application:
    async def authorize(enterprise_id: str | None, team_id: str | None) -> AuthorizeResult:
        # Without this, bolt's `token=` path calls auth.test (offline: 0.85 s and a 500 per request).
        return AuthorizeResult(enterprise_id=enterprise_id, team_id=team_id, bot_token="xoxb-test-token")

    bolt = AsyncApp(signing_secret=SECRET, authorize=authorize)

    @bolt.command("/deal")
    async def deal(ack: AsyncAck) -> None:
        await ack()

    return bolt.web_app(path=ROUTE)


if __name__ == "__main__":
    kind, port = sys.argv[1], int(sys.argv[2])
    web.run_app(bare_app() if kind == "bare" else bolt_app(), host="127.0.0.1", port=port, print=None,
                access_log=None)
