"""Fixtures for the web desk: a store holding the example story, a test client, a real loopback
server in a subprocess, and Debian's Chromium driven by Playwright.

Browser tests skip, with the reason, when Chromium is missing; ``FACTDESK_REQUIRE_BROWSER=1``
(set by .ci/run) turns that skip into a failure so CI cannot pass by not running them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from factdesk import desk
from factdesk.store import open_store
from factdesk.web import create_app

CHROMIUM = os.environ.get("FACTDESK_CHROMIUM", "/usr/bin/chromium")
# Offline and quiet: no first-run UI, no background fetches, no component updates.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(os.environ.get("FACTDESK_SCREENSHOTS", Path(__file__).parent / "screenshots"))

_notices: list[str] = []
_measurements: list[str] = []


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for line in _measurements + _notices:
        terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def report_line() -> Any:
    """Print a line at the end of the run (e.g. the load test's requests per second)."""
    return _measurements.append


@pytest.fixture(scope="session")
def example_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store with the bundled example story, built once per session."""
    db = str(tmp_path_factory.mktemp("web") / "desk.db")
    with open_store(db) as store:
        summary = desk.add(desk.example_story_inputs(), store=store)
    assert summary.count("failed") == 0
    return db


@pytest.fixture(scope="session")
def story_id(example_db: str) -> str:
    with open_store(example_db) as store:
        (story,) = desk.stories(store)
    return story.id


@pytest.fixture(scope="session")
def client(example_db: str) -> Iterator[TestClient]:
    # A loopback base URL: the app only answers loopback Host names when told to, and tests
    # of the Host check build their own app.
    with TestClient(create_app(example_db), base_url="http://127.0.0.1") as c:
        yield c


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class LiveServer:
    """``factdesk serve`` in a subprocess on a free loopback port."""

    def __init__(self, db: str, log: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from factdesk.cli import cli; cli()",
                "--db",
                db,
                "serve",
                "--port",
                str(self.port),
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "FACTDESK_TOKEN": ""},
        )
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"factdesk serve exited: {log.read_text(errors='replace')}")
            try:
                if httpx.get(f"{self.url}/api/stories", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"factdesk serve did not start: {log.read_text()}")
            time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


@pytest.fixture(scope="session")
def example_server(example_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real server over the example story's store (read-mostly tests)."""
    server = LiveServer(example_db, tmp_path_factory.mktemp("logs") / "example-server.log")
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real server over an empty store, for the browser to fill."""
    folder = tmp_path_factory.mktemp("browser")
    server = LiveServer(str(folder / "desk.db"), folder / "server.log")
    yield server.url
    server.stop()


def _require_browser() -> bool:
    return os.environ.get("FACTDESK_REQUIRE_BROWSER") == "1"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium under Playwright (never `playwright install`)."""
    reason = None
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        reason = (
            f"browser tests need Chromium at {CHROMIUM} "
            "(Debian: apt-get install chromium; .ci/run installs it)"
        )
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "browser tests need playwright: pip install -e '.[dev]'"
    if reason is not None:
        if _require_browser():
            pytest.fail(reason + " (FACTDESK_REQUIRE_BROWSER=1)")
        notice = f"NOTICE: web browser tests skipped: {reason}"
        if notice not in _notices:
            _notices.append(notice)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class PageErrors:
    """JavaScript errors and CSP reports seen by a page."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.console: list[str] = []


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    seen = PageErrors()
    pg.on("pageerror", lambda exc: seen.errors.append(str(exc)))
    pg.on("console", lambda msg: seen.console.append(f"{msg.type}: {msg.text}"))
    # A dialog means hostile text ran alert(); record it and dismiss it.
    pg.on("dialog", lambda d: (seen.errors.append(f"dialog: {d.message}"), d.dismiss()))
    pg.seen = seen
    yield pg
    context.close()


def _screenshot(page: Any, name: str, *, full_page: bool = False) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


@pytest.fixture(scope="session")
def screenshot() -> Any:
    """Save a screenshot under tests/web/screenshots/ (look at them: they are the UI review)."""
    return _screenshot
