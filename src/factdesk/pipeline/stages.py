"""The built-in stages, registered under versioned names.

Each wrapper adapts one module's function (``dates.extract_dates`` …) to the stage contract;
the logic lives in the module named for what it does.
"""

from __future__ import annotations

from typing import Any

from factdesk.pipeline.attributions import find_attributions
from factdesk.pipeline.claims import extract_claims
from factdesk.pipeline.dates import extract_dates
from factdesk.pipeline.entities import find_entities
from factdesk.pipeline.quantities import extract_quantities
from factdesk.pipeline.registry import Context, stage
from factdesk.records import Sentence


@stage("sentences.v1", assigns="sentences")
def split_sentences(ctx: Context) -> tuple[Sentence, ...]:
    """Sentences from the parse (line breaks always end one), trimmed of outer whitespace."""
    out: list[Sentence] = []
    text = ctx.doc.text
    for sent in ctx.doc.sents:
        start, end = sent.start_char, sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append(Sentence(index=len(out), span=(start, end), text=text[start:end]))
    return tuple(out)


@stage("entities.v1", requires=["sentences"], assigns="entities")
def entities_stage(ctx: Context) -> tuple[Any, ...]:
    return find_entities(ctx.doc)


@stage("dates.v1", requires=["sentences"], assigns="dates")
def dates_stage(ctx: Context) -> tuple[Any, ...]:
    return extract_dates(ctx.doc.text, published=ctx.published, doc=ctx.doc)


@stage("quantities.v1", requires=["dates"], assigns="quantities")
def quantities_stage(ctx: Context) -> tuple[Any, ...]:
    exclude = [d.span for d in ctx.layers.get("dates", ())]
    return extract_quantities(ctx.doc.text, doc=ctx.doc, exclude=exclude)


@stage("attributions.v1", requires=["sentences"], assigns="attributions")
def attributions_stage(ctx: Context) -> tuple[Any, ...]:
    return find_attributions(ctx.doc)


@stage(
    "claims.v1",
    requires=["sentences", "entities", "dates", "quantities", "attributions"],
    assigns="claims",
)
def claims_stage(ctx: Context) -> tuple[Any, ...]:
    layers = ctx.layers
    return extract_claims(
        ctx.doc,
        doc_id=ctx.raw.id,
        sentences=layers["sentences"],
        entities=layers["entities"],
        dates=layers["dates"],
        quantities=layers["quantities"],
        attributions=layers["attributions"],
        publisher=ctx.raw.publisher,
    )
