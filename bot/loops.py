"""The event loop `serve` runs on: uvloop (libuv) where it is installed, asyncio's own loop otherwise.

uvloop takes the loop's own share of every request (selector, transports, callbacks): measured in
docs/benchmarks.md, "Serving (issue 3)". Tests and the other commands keep asyncio's loop.
"""

from __future__ import annotations

import asyncio


def new_event_loop() -> asyncio.AbstractEventLoop:
    try:
        import uvloop
    except ImportError:  # Windows, or an install without it: the standard loop works the same, slower
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()
