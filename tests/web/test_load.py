"""A bounded load test: 200 concurrent API reads against a real loopback server, no errors.

The server is ``factdesk serve`` in its own process (one uvicorn worker, the default), so the
figure is what one editor's desk sustains, measured from this machine's loopback.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

CONCURRENT = 200


async def _read_all(base: str, paths: list[str]) -> tuple[list[int], float]:
    limits = httpx.Limits(max_connections=CONCURRENT, max_keepalive_connections=CONCURRENT)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        start = time.perf_counter()
        responses = await asyncio.gather(*(client.get(p) for p in paths))
        elapsed = time.perf_counter() - start
    return [r.status_code for r in responses], elapsed


def test_load_200_concurrent_api_reads(example_server: str, report_line: Any) -> None:
    story = httpx.get(f"{example_server}/api/stories").json()["stories"][0]
    doc = story["documents"][0]["id"]
    # The reads an editor's screen makes: the list, a story, its brief, a document, a search.
    mix = [
        "/api/stories",
        f"/api/stories/{story['id']}/brief",
        f"/api/documents/{doc}",
        "/api/search?q=spillway",
        f"/api/stories/{story['id']}",
    ]
    paths = [mix[i % len(mix)] for i in range(CONCURRENT)]
    # In a thread of its own: Playwright's sync API (other tests in the session) keeps an event
    # loop running in the main thread, where asyncio.run() would refuse to start.
    with ThreadPoolExecutor(1) as pool:
        statuses, elapsed = pool.submit(asyncio.run, _read_all(example_server, paths)).result()
    errors = [s for s in statuses if s != 200]
    rate = CONCURRENT / elapsed
    report_line(
        f"web load test: {CONCURRENT} concurrent API reads in {elapsed:.2f} s = {rate:.0f} "
        f"requests/s, {len(errors)} errors (tests/web/test_load.py)"
    )
    assert not errors, errors  # a benchmark, not a timed test: the rate is reported only
