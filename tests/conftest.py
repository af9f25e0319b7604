"""Shared fixtures and the --slow / --shared switches.

Tests marked ``shared`` read ../shared (bench data, seeds). They run with ``--shared`` or when
``FACTDESK_REQUIRE_SHARED=1``; in the latter case a missing ../shared fails them instead of
skipping, so CI cannot pass by not running them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("FACTDESK_SHARED", REPO.parent / "shared"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", help="also run tests marked slow")
    parser.addoption("--shared", action="store_true", help="also run tests that read ../shared")


def _require_shared() -> bool:
    return os.environ.get("FACTDESK_REQUIRE_SHARED") == "1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    run_slow = config.getoption("--slow")
    run_shared = config.getoption("--shared") or _require_shared()
    for item in items:
        if "slow" in item.keywords and not run_slow:
            item.add_marker(pytest.mark.skip(reason="slow: run with --slow"))
        if "shared" in item.keywords and not run_shared:
            item.add_marker(pytest.mark.skip(reason="needs ../shared: run with --shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared folder; fails (not skips) under FACTDESK_REQUIRE_SHARED=1 when missing."""
    if not (SHARED / "seeds").is_dir():
        message = f"../shared not found at {SHARED} (set FACTDESK_SHARED)"
        if _require_shared():
            pytest.fail(message)
        pytest.skip(message)
    return SHARED


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    from factdesk.pipeline.nlp import load_nlp

    return load_nlp()
