"""Fake Slack and WeCom APIs for the serving benchmark (issue 3), in their own process on their own core:
the test harness fakes on fixed ports, plus `/stats` counting the replies delivered so far.

    python benchmarks/serve_fakes.py SLACK_PORT WECOM_PORT
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `tests.harness` importable
    sys.path.insert(0, str(ROOT))

from aiohttp import web  # noqa: E402

from tests.harness.fake_slack import FakeSlack  # noqa: E402
from tests.harness.fake_wecom import FakeWecom  # noqa: E402


class Counting:
    """Keeps the fakes' call lists short (a long run would hold every body) but counts each delivery."""

    def __init__(self, slack: FakeSlack, wecom: FakeWecom) -> None:
        self.slack, self.wecom = slack, wecom
        self.slack_posts = 0
        self.wecom_sends = 0

    def sweep(self) -> None:
        self.slack_posts += sum(1 for c in self.slack.calls if c.body.get("_status") == 200)
        self.wecom_sends += sum(1 for c in self.wecom.calls if c.path == "/cgi-bin/message/send")
        self.slack.calls.clear()
        self.wecom.calls.clear()

    async def stats(self, request: web.Request) -> web.Response:
        self.sweep()
        return web.json_response({"slack_posts": self.slack_posts, "wecom_sends": self.wecom_sends,
                                  "wecom_tokens": self.wecom.gettoken_calls})


def slack_app(fake: FakeSlack, counting: Counting) -> web.Application:
    app = web.Application()
    app.router.add_post("/api/{method}", fake._api)
    app.router.add_post("/response/{key}", fake._response)
    app.router.add_get("/stats", counting.stats)
    return app


async def main(slack_port: int, wecom_port: int) -> None:
    slack, wecom = FakeSlack(), FakeWecom()
    counting = Counting(slack, wecom)
    runners = []
    for app, port in ((slack_app(slack, counting), slack_port), (wecom.app(), wecom_port)):
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        runners.append(runner)
    print("fakes ready", flush=True)
    try:
        while True:
            await asyncio.sleep(1.0)
            counting.sweep()
    finally:
        for runner in runners:
            await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))
