"""Quality gates: each benchmark on the public development data must stay above a pinned floor.

The floors sit a little below the numbers published in docs/benchmarks.md, so noise does not
fail CI but a real regression does. Raise them when the method improves; never lower them to
make a change pass (say why in the change if a floor must move).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from factdesk.bench import run_benchmark

pytestmark = pytest.mark.shared

# name -> (path under ../shared/bench-data, {metric: floor})
GATES: dict[str, tuple[str, dict[str, float]]] = {
    "dates": ("tempeval3/Training", {"relaxed_f1": 0.92, "strict_f1": 0.83, "value_f1": 0.77}),
    "attribution": (
        "polnear/data/dev",
        {"source_f1": 0.70, "cue_f1": 0.65, "content_f1": 0.56},
    ),
    "stories": ("ecbplus", {"bcubed_f1": 0.89}),
    # The draft check's support score on WiCE claims (BAcc at the fixed 0.5 threshold).
    "grounding": ("wice/claim-dev.jsonl", {"mean_balanced_accuracy": 0.54}),
    "stance": (
        "emergent/url-versions-2015-06-14-clean-train.csv",
        {"accuracy": 0.65, "macro_f1": 0.65},
    ),
}


@pytest.mark.parametrize("name", sorted(GATES))
def test_quality_gate_benchmark_above_floor(name: str, shared_dir: Path) -> None:
    rel, floors = GATES[name]
    result: dict[str, Any] = run_benchmark(name, shared_dir / "bench-data" / rel)
    below = {m: (result[m], f) for m, f in floors.items() if result[m] < f}
    assert not below, f"{name}: below the floor (value, floor): {below}"
