"""Quality and speed benchmarks scored on public development data (``factdesk bench``).

Each module loads one dataset format, runs the desk's own stage on it and scores it the way the
published numbers were scored; its docstring says how.
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path
from typing import Any

from factdesk.errors import ConfigError

BENCHMARKS = ("attribution", "dates", "grounding", "latency", "speed", "stance", "stories")


def run_benchmark(name: str, data: Path, *, limit: int | None = None) -> dict[str, Any]:
    """Run benchmark ``name`` on ``data`` and return its JSON-ready scores.

    Raises:
        ConfigError: unknown benchmark name.
    """
    if name not in BENCHMARKS:
        raise ConfigError(f"No benchmark named {name!r}. Available: {', '.join(BENCHMARKS)}.")
    module = importlib.import_module(f"factdesk.bench.{name}")
    kwargs: dict[str, Any] = {}
    if limit is not None and "limit" in inspect.signature(module.run).parameters:
        kwargs["limit"] = limit
    result: dict[str, Any] = module.run(data, **kwargs)
    return result
