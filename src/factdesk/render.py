"""Turn records into JSON-ready dicts and terminal lines.

Article text is hostile input. JSON carries it as data; terminal output strips control
characters (an article must not be able to move the cursor or recolour the editor's
terminal with ANSI escapes); HTML output (reports, web) escapes it where it is rendered.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from factdesk.records import (
    Attribution,
    Claim,
    DateMention,
    Document,
    Entity,
    Quantity,
    RunSummary,
    Story,
)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def safe_terminal(text: str) -> str:
    """Remove control and bidi-override characters before printing to a terminal."""
    return _CONTROL.sub("", text.replace("\t", " "))


def one_line(text: str, width: int = 160) -> str:
    """Text on one terminal line: control characters removed, whitespace folded, cut."""
    return _one_line(text, width)


def _one_line(text: str, width: int = 160) -> str:
    flat = " ".join(safe_terminal(text).split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def entity_json(e: Entity) -> dict[str, Any]:
    return {"text": e.text, "label": e.label, "key": e.key, "span": list(e.span)}


def date_json(d: DateMention) -> dict[str, Any]:
    return {
        "text": d.text,
        "value": d.value,
        "type": d.type,
        "ambiguous": d.ambiguous,
        "weekday_ok": d.weekday_ok,
        "anchor": d.anchor,
        "note": d.note,
        "span": list(d.span),
    }


def quantity_json(q: Quantity) -> dict[str, Any]:
    return {
        "text": q.text,
        "value": q.value,
        "low": q.low,
        "high": q.high,
        "unit": q.unit,
        "kind": q.kind,
        "approximate": q.approximate,
        "span": list(q.span),
    }


def attribution_json(a: Attribution) -> dict[str, Any]:
    return {
        "speaker": a.speaker,
        "speaker_key": a.speaker_key,
        "speaker_span": list(a.speaker_span) if a.speaker_span else None,
        "cue": a.cue,
        "cue_span": list(a.cue_span) if a.cue_span else None,
        "content_span": list(a.content_span),
        "quote": a.quote,
        "via": list(a.via),
    }


def claim_json(c: Claim) -> dict[str, Any]:
    """The stable JSON shape of a claim (``factdesk claims --json``)."""
    return {
        "id": c.id,
        "doc": c.doc_id,
        "span": list(c.span),
        "sentence": c.sentence_index,
        "text": c.text,
        "checkable": c.checkable,
        "speaker": c.speaker,
        "speaker_key": c.speaker_key,
        "cue": c.cue,
        "via": list(c.via),
        "quote": c.quote,
        "modality": c.modality,
        "negated": c.negated,
        "entities": [entity_json(e) for e in c.entities],
        "dates": [date_json(d) for d in c.dates],
        "quantities": [quantity_json(q) for q in c.quantities],
        "reasons": list(c.reasons),
        "produced_by": c.produced_by,
    }


def document_json(d: Document, *, with_text: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": d.id,
        "title": d.title,
        "publisher": d.publisher,
        "byline": d.byline,
        "url": d.url,
        "published": d.published.isoformat() if d.published else None,
        "source": d.source,
        "format": d.fmt,
        "language": d.language,
        "analysis": d.analysis_status,
        "sentences": len(d.sentences),
        "claims": [claim_json(c) for c in d.claims],
        "attributions": [attribution_json(a) for a in d.attributions],
    }
    if with_text:
        out["text"] = d.text
    return out


def summary_json(s: RunSummary) -> dict[str, Any]:
    return {
        "added": s.count("ok"),
        "skipped": s.count("skipped"),
        "failed": s.count("failed"),
        "outcomes": [
            {
                "source": o.source,
                "status": "added" if o.status == "ok" else o.status,
                "doc": o.doc_id,
                "title": o.title,
                "reason": o.reason,
                "code": o.code,
            }
            for o in s.outcomes
        ],
    }


def hit_json(h: Any) -> dict[str, Any]:
    return {
        "doc": h.doc_id,
        "sentence": h.sentence_index,
        "span": list(h.span),
        "text": h.text,
        "snippet": h.snippet,
    }


def story_json(s: Story, docs: Mapping[str, Any]) -> dict[str, Any]:
    """The stable JSON shape of a story (``factdesk stories --json``)."""
    return {
        "id": s.id,
        "label": s.label,
        "documents": [
            {
                "id": d,
                "title": getattr(docs.get(d), "title", None),
                "source": getattr(docs.get(d), "publisher", None)
                or getattr(docs.get(d), "source", None),
            }
            for d in s.doc_ids
        ],
        "dates": list(s.dates),
        "entities": list(s.entities),
    }


def story_lines(stories: Sequence[Story], docs: Mapping[str, Any]) -> Iterator[str]:
    for s in stories:
        dates = f" · {', '.join(s.dates[:3])}" if s.dates else ""
        yield f"{s.id}  {_one_line(s.label, 90)}  ({len(s.doc_ids)} documents{dates})"
        for d in s.doc_ids:
            info = docs.get(d)
            who = getattr(info, "publisher", None) or "outlet unknown"
            title = str(getattr(info, "title", None) or getattr(info, "source", d))
            yield f"    {d}  {_one_line(who, 30)}: {_one_line(title, 80)}"


def summary_lines(s: RunSummary) -> Iterator[str]:
    for o in s.outcomes:
        if o.status == "ok":
            note = f" ({o.reason})" if o.reason else ""
            yield f"added    {o.doc_id}  {_one_line(o.title or o.source, 80)}{note}"
        elif o.status == "skipped":
            yield f"skipped  {o.doc_id}  {_one_line(o.source, 80)}: {o.reason}"
        else:
            yield f"failed   {_one_line(o.source, 80)}"
    yield f"{s.count('ok')} added, {s.count('skipped')} skipped, {s.count('failed')} failed"


def _date_text(d: DateMention) -> str:
    value = d.value or "unresolved"
    flags = []
    if d.ambiguous:
        flags.append("ambiguous")
    if d.weekday_ok is False:
        flags.append("weekday does not match")
    if d.note:
        flags.append(d.note)
    extra = f" ({'; '.join(flags)})" if flags else ""
    return f"{safe_terminal(d.text)!r} = {value}{extra}"


def _quantity_text(q: Quantity) -> str:
    def num(x: float | None) -> str:
        if x is None:
            return "-"
        return str(int(x)) if float(x).is_integer() else f"{x:g}"

    bounds = f"[{num(q.low)}, {num(q.high)}]"
    unit = f" {q.unit}" if q.unit else ""
    approx = " approx." if q.approximate else ""
    return f"{safe_terminal(q.text)!r} = {bounds}{unit} ({q.kind}{approx})"


def claim_lines(claims: Iterable[Claim]) -> Iterator[str]:
    current = None
    for c in claims:
        if c.doc_id != current:
            current = c.doc_id
            yield f"== {c.doc_id}"
        mark = " " if c.checkable else "~"
        who = ""
        if c.speaker:
            who = f" [{_one_line(c.speaker, 60)}"
            if c.via:
                who += " via " + " > ".join(_one_line(v, 40) for v in c.via)
            who += "]"
        neg = " (negated)" if c.negated else ""
        yield f"{mark} {c.modality:<13}{who}{neg} {_one_line(c.text)}"
        for d in c.dates:
            yield f"      date {_date_text(d)}"
        for q in c.quantities:
            yield f"      number {_quantity_text(q)}"


def document_lines(d: Document) -> Iterator[str]:
    yield f"id:         {d.id}"
    yield f"title:      {_one_line(d.title or '(none)')}"
    yield f"publisher:  {_one_line(d.publisher or '(unknown)')}"
    yield f"published:  {d.published.isoformat() if d.published else 'date unknown'}"
    yield f"source:     {_one_line(d.source)}"
    yield f"language:   {d.language}  analysis: {d.analysis_status}"
    yield ""
    yield safe_terminal(d.text)
    yield ""
    yield from claim_lines(d.claims)


def demo_lines(
    summary: RunSummary, documents: Sequence[Document], briefs: Sequence[Any], *, db: str
) -> Iterator[str]:
    """The demo's report: the brief of each story, then what each source claims."""
    yield "factdesk demo: the bundled example story"
    yield (
        f"store: {db} ({summary.count('ok')} added, {summary.count('skipped')} already there, "
        f"{summary.count('failed')} failed)"
    )
    all_claims = [c for d in documents for c in d.claims]
    counts = Counter(c.modality for c in all_claims if c.checkable)
    yield (
        f"{len(documents)} sources, {len(all_claims)} claims ({sum(counts.values())} checkable): "
        + ", ".join(f"{n} {m}" for m, n in counts.most_common())
    )
    for b in briefs:
        yield ""
        n = len(b.story.doc_ids)
        yield f"══ Story {b.story.id}: {_one_line(b.story.label, 90)} ({n} sources)"
        for sec in b.sections:
            if sec.kind == "sources":
                continue
            yield ""
            yield f"  {sec.title} ({len(sec.items)})"
            for it in sec.items[:8]:
                status = f"[{it.status}] " if it.status else ""
                yield f"  - {status}{_one_line(it.text, 110)}"
                if it.who:
                    yield f"      {_one_line(it.who, 120)}"
                cites = ", ".join(
                    f"{c.doc_id[:8]}@{c.span[0]}-{c.span[1]}" for c in it.citations[:4]
                )
                yield f"      cites {cites}"
            if len(sec.items) > 8:
                yield f"  … and {len(sec.items) - 8} more (factdesk brief {b.story.id})"
    yield ""
    yield "Sources"
    for d in documents:
        date = d.published.date().isoformat() if d.published else "date unknown"
        relays = [c for c in d.claims if len(c.via) >= 2]
        yield (
            f"  {d.id}  {_one_line(d.publisher or 'publisher unknown', 28)} · {date} · {d.fmt} · "
            f"{len(d.claims)} claims"
        )
        for c in relays[:2]:
            yield f"      relayed: {_one_line(c.speaker or '?', 50)} via {' > '.join(c.via)}"
    yield ""
    yield (
        "Next: factdesk stories · factdesk brief STORY --format html · factdesk timeline STORY"
        " · factdesk claims --json · factdesk show DOC"
    )
