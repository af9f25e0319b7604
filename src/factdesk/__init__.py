"""factdesk: an offline news-verification desk.

The public API is what ``__all__`` lists. Heavy modules (spaCy) load on first use of a function
that needs them, so ``import factdesk`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from factdesk.errors import (
    BlockedURLError,
    ConfigError,
    ExtractError,
    FactdeskError,
    FetchError,
    IngestError,
    ModelError,
    NotFound,
    PipelineConfigError,
    StorageError,
    TooLargeError,
)
from factdesk.records import (
    Attribution,
    Claim,
    DateMention,
    Document,
    Entity,
    Outcome,
    Quantity,
    RawDocument,
    RunSummary,
    Sentence,
)

if TYPE_CHECKING:
    from factdesk.desk import add, claims, show
    from factdesk.ingest import read_inputs
    from factdesk.pipeline.registry import build_pipeline
    from factdesk.pipeline.runner import analyze
    from factdesk.store import open_store

__version__ = "0.1.0"

_LAZY = {
    "add": "factdesk.desk",
    "analyze": "factdesk.pipeline.runner",
    "build_pipeline": "factdesk.pipeline.registry",
    "claims": "factdesk.desk",
    "open_store": "factdesk.store",
    "read_inputs": "factdesk.ingest",
    "show": "factdesk.desk",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'factdesk' has no attribute {name!r}")


__all__ = [
    "Attribution",
    "BlockedURLError",
    "Claim",
    "ConfigError",
    "DateMention",
    "Document",
    "Entity",
    "ExtractError",
    "FactdeskError",
    "FetchError",
    "IngestError",
    "ModelError",
    "NotFound",
    "Outcome",
    "PipelineConfigError",
    "Quantity",
    "RawDocument",
    "RunSummary",
    "Sentence",
    "StorageError",
    "TooLargeError",
    "add",
    "analyze",
    "build_pipeline",
    "claims",
    "open_store",
    "read_inputs",
    "show",
]
