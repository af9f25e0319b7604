"""Run the pipeline over documents in batches: one spaCy ``nlp.pipe`` call per chunk, then each
stage per document. Non-English documents are kept (stored, searchable) but not analysed:
the English model would produce confident garbage on them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from factdesk.pipeline.registry import Context, Pipeline, build_pipeline
from factdesk.records import Document, RawDocument

log = logging.getLogger(__name__)

#: Languages the analysis supports. "und" (undetermined: very short text) is analysed too,
#: because headlines and short wire flashes are too short to identify reliably.
SUPPORTED_LANGUAGES = frozenset({"en", "und"})


def _language(text: str) -> str:
    from factdesk.ingest import detect_language

    return detect_language(text)


def document_from_raw(raw: RawDocument, *, language: str, status: str) -> Document:
    """A Document with metadata only (no analysis layers)."""
    return Document(
        id=raw.id,
        text=raw.text,
        source=raw.source,
        title=raw.title,
        url=raw.url,
        publisher=raw.publisher,
        byline=raw.byline,
        published=raw.published,
        fmt=raw.fmt,
        language=language,
        analysis_status=status,
    )


def run_stages(raw: RawDocument, doc: Any, pipeline: Pipeline, *, language: str = "en") -> Document:
    """Run every stage of ``pipeline`` on one parsed document and assemble the record."""
    ctx = Context(raw=raw, doc=doc)
    for st in pipeline.stages:
        ctx.layers[st.assigns] = st.fn(ctx, **pipeline.options.get(st.name, {}))
    document = document_from_raw(raw, language=language, status="ok")
    layers = ctx.layers
    return replace(
        document,
        sentences=layers.get("sentences", ()),
        entities=layers.get("entities", ()),
        dates=layers.get("dates", ()),
        quantities=layers.get("quantities", ()),
        attributions=layers.get("attributions", ()),
        claims=layers.get("claims", ()),
    )


def analyze(
    raws: Iterable[RawDocument],
    *,
    pipeline: Pipeline | None = None,
    nlp: Any = None,
    batch_size: int = 32,
    n_process: int = 1,
) -> Iterator[Document]:
    """Analyse documents in input order, streaming.

    Args:
        raws: documents to analyse (any iterable; consumed lazily in chunks).
        pipeline: validated stages (default: ``build_pipeline()``).
        nlp: a loaded spaCy pipeline (default: ``load_nlp()``).
        batch_size: documents per spaCy batch.
        n_process: spaCy worker processes for parsing.
    """
    from factdesk.pipeline.nlp import load_nlp

    pipeline = pipeline or build_pipeline()
    nlp = nlp or load_nlp()
    chunk: list[RawDocument] = []
    chunk_size = max(1, batch_size) * max(1, n_process) * 2
    for raw in raws:
        chunk.append(raw)
        if len(chunk) >= chunk_size:
            yield from _analyze_chunk(chunk, pipeline, nlp, batch_size, n_process)
            chunk = []
    if chunk:
        yield from _analyze_chunk(chunk, pipeline, nlp, batch_size, n_process)


def _analyze_chunk(
    chunk: list[RawDocument], pipeline: Pipeline, nlp: Any, batch_size: int, n_process: int
) -> Iterator[Document]:
    languages = [_language(raw.text) for raw in chunk]
    english = [
        raw for raw, lang in zip(chunk, languages, strict=True) if lang in SUPPORTED_LANGUAGES
    ]
    # Several processes only pay off when there is enough text to share.
    procs = n_process if len(english) >= 2 * batch_size else 1
    parsed = iter(nlp.pipe((raw.text for raw in english), batch_size=batch_size, n_process=procs))
    for raw, lang in zip(chunk, languages, strict=True):
        if lang not in SUPPORTED_LANGUAGES:
            log.info("%s: language %r is not supported; stored without analysis", raw.source, lang)
            yield document_from_raw(raw, language=lang, status="unsupported-language")
            continue
        yield run_stages(raw, next(parsed), pipeline, language="en" if lang == "und" else lang)
