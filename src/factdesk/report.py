"""The editor's brief, the timeline and ClaimReview export, built from a story's findings.

Every line is extractive (a source's own sentence) or templated around who said it; nothing
is written that a source did not state. Every item cites document ids and half-open spans.
HTML output escapes all source text (it is hostile input) and links each citation to the
highlighted source sentence in the same page.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeVar

from factdesk.records import Citation, Document, Finding, Story, StoryFindings

SECTION_KINDS = ("key-facts", "reported", "contested", "unconfirmed", "what-to-watch", "sources")
SECTION_TITLES = {
    "key-facts": "Key facts",
    "reported": "Reported but not confirmed",
    "contested": "Contested",
    "unconfirmed": "Explicitly unconfirmed",
    "what-to-watch": "What to watch",
    "sources": "Sources",
}
STATUS_LEGEND = {
    "confirmed": "confirmed by its primary party",
    "corroborated": "stated by two or more independent origins",
    "single-source": "one origin only",
    "contested": "independent origins disagree",
    "unconfirmed": "a source says it is not confirmed or not verified",
}
_WATCH_MODALITIES = frozenset({"future", "call"})


@dataclass(frozen=True, slots=True, kw_only=True)
class BriefItem:
    text: str
    status: str | None
    origins: tuple[str, ...]
    citations: tuple[Citation, ...]
    who: str = ""
    details: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class BriefSection:
    kind: str
    title: str
    items: tuple[BriefItem, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Brief:
    story: Story
    sections: tuple[BriefSection, ...]
    documents: tuple[Document, ...] = field(default_factory=tuple)


def _item(f: Finding) -> BriefItem:
    citations = (f.representative,) + tuple(c for c in f.supporting if c != f.representative)
    return BriefItem(
        text=f.text,
        status=f.status,
        origins=f.origins,
        citations=citations,
        who=f.who,
    )


# A hedged item about what comes next ("is expected to decide on Friday") is something to
# watch, not a fact.
_EXPECTED = re.compile(
    r"\b(?:expected|likely|poised|due|scheduled|set|planned|plans?)\s+to\b|\bwill\b|"
    r"\bon the agenda\b",
    re.IGNORECASE,
)


def _is_watch(f: Finding) -> bool:
    if f.modality in _WATCH_MODALITIES:
        return True
    return f.modality == "hedged" and _EXPECTED.search(f.text) is not None


def build_brief(story: Story, documents: Sequence[Document], result: StoryFindings) -> Brief:
    """Sort a story's findings into the brief's sections (see ``SECTION_KINDS``)."""
    buckets: dict[str, list[BriefItem]] = defaultdict(list)
    for f in result.findings:
        if f.status == "contested":
            details = tuple(
                f"{c.slot}: " + " vs ".join(c.values) + (f" ({c.note})" if c.note else "")
                for c in f.conflicts
            )
            sides = tuple(cit for c in f.conflicts for side in c.sides for cit in side)
            cites = (f.representative,) + tuple(
                c for c in sides + f.contradicting if c != f.representative
            )
            buckets["contested"].append(
                BriefItem(
                    text=f.text,
                    status=f.status,
                    origins=f.origins,
                    citations=unique_spans(cites),
                    who=f.who,
                    details=details,
                )
            )
        elif f.status == "unconfirmed":
            buckets["unconfirmed"].append(_item(f))
        elif _is_watch(f):
            buckets["what-to-watch"].append(_item(f))
        elif f.status in ("confirmed", "corroborated"):
            buckets["key-facts"].append(_item(f))
        else:
            buckets["reported"].append(_item(f))
    buckets["sources"] = list(_source_items(documents, result))
    sections = tuple(
        BriefSection(kind=k, title=SECTION_TITLES[k], items=tuple(buckets.get(k, ())))
        for k in SECTION_KINDS
    )
    return Brief(story=story, sections=sections, documents=tuple(documents))


class _Cited(Protocol):
    @property
    def doc_id(self) -> str: ...
    @property
    def span(self) -> tuple[int, int]: ...


_C = TypeVar("_C", bound=_Cited)


def unique_spans(citations: Iterable[_C]) -> tuple[_C, ...]:
    """Citations (or evidence) in order, each document span once."""
    seen: set[tuple[str, tuple[int, int]]] = set()
    out = []
    for c in citations:
        key = (c.doc_id, c.span)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return tuple(out)


def _source_items(documents: Sequence[Document], result: StoryFindings) -> Iterator[BriefItem]:
    copies = {c.doc_id: c for c in result.copies}
    corroborated: Counter[str] = Counter()
    for f in result.findings:
        if len(f.origins) >= 2 or f.status == "confirmed":
            for c in f.supporting:
                corroborated[c.doc_id] += 1
    titles = {d.id: d.title or d.source for d in documents}
    for d in documents:
        outlet = d.publisher or "outlet unknown"
        date = d.published.date().isoformat() if d.published else "date unknown"
        details = [f"{corroborated[d.id]} of its claims corroborated or confirmed elsewhere"]
        if d.id in copies:
            rel = copies[d.id]
            details.append(
                f"copy of {titles.get(rel.copy_of, rel.copy_of)} ({rel.reason}, "
                f"similarity {rel.similarity:.2f})"
            )
        if d.analysis_status != "ok":
            details.append(f"not analysed: {d.analysis_status}")
        yield BriefItem(
            text=f"{outlet} · {date} · {d.title or d.source}",
            status=None,
            origins=(),
            citations=(_first_sentence(d),) if d.sentences else (),
            details=tuple(details),
        )


def _first_sentence(d: Document) -> Citation:
    first = d.sentences[0]
    return Citation(doc_id=d.id, span=first.span, text=first.text)


# --- JSON ------------------------------------------------------------------------------------


def citation_json(c: Citation) -> dict[str, Any]:
    """A citation as the brief's JSON (and the web API) has it: document, half-open span,
    claim id, text."""
    return {"doc": c.doc_id, "span": list(c.span), "claim": c.claim_id, "text": c.text}


def brief_json(brief: Brief) -> dict[str, Any]:
    """The stable JSON shape of a brief."""
    s = brief.story
    return {
        "story": {
            "id": s.id,
            "label": s.label,
            "documents": list(s.doc_ids),
            "dates": list(s.dates),
        },
        "sections": [
            {
                "kind": sec.kind,
                "title": sec.title,
                "items": [
                    {
                        "text": it.text,
                        "status": it.status,
                        "origins": list(it.origins),
                        "who": it.who,
                        "details": list(it.details),
                        "citations": [citation_json(c) for c in it.citations],
                    }
                    for it in sec.items
                ],
            }
            for sec in brief.sections
        ],
    }


# --- Markdown --------------------------------------------------------------------------------


def md_escape(text: str) -> str:
    """Neutralise Markdown and raw HTML in source text (renderers may pass HTML through)."""
    text = " ".join(text.split())
    text = html.escape(text, quote=False)
    for ch in "\\`*_[]#|":
        text = text.replace(ch, "\\" + ch)
    return text


def _cite_label(c: Citation) -> str:
    return f"{c.doc_id[:8]}@{c.span[0]}-{c.span[1]}"


def brief_markdown(brief: Brief) -> str:
    lines = [f"# {md_escape(brief.story.label)}", ""]
    if brief.story.dates:
        lines += [f"Event dates: {', '.join(brief.story.dates)}", ""]
    for sec in brief.sections:
        lines.append(f"## {sec.title}")
        if not sec.items:
            lines += ["", "_(none)_", ""]
            continue
        lines.append("")
        for it in sec.items:
            status = f"**{it.status}** " if it.status else ""
            who = f" — {md_escape(it.who)}" if it.who else ""
            cites = " ".join(f"[{_cite_label(c)}]" for c in it.citations)
            lines.append(f"- {status}{md_escape(it.text)}{who} {cites}".rstrip())
            for d in it.details:
                lines.append(f"  - {md_escape(d)}")
        lines.append("")
    lines.append("Statuses: " + "; ".join(f"**{k}**: {v}" for k, v in STATUS_LEGEND.items()))
    return "\n".join(lines) + "\n"


# --- HTML ------------------------------------------------------------------------------------

_CSS = """
body{font:16px/1.55 Georgia,'Times New Roman',serif;color:#1d1d1f;max-width:60rem;
margin:2rem auto;padding:0 1rem}
h1{font-size:1.7rem;line-height:1.25}h2{font:600 1.05rem/1.3 system-ui,sans-serif;margin-top:2rem;
border-bottom:1px solid #ddd;padding-bottom:.3rem}li{margin:.5rem 0}
.st{font:600 .75rem system-ui,sans-serif;padding:.1rem .45rem;border-radius:.7rem;
margin-right:.4rem;white-space:nowrap}
.confirmed{background:#0b5394;color:#fff}.corroborated{background:#6fa8dc;color:#000}
.single-source{background:#f1c232;color:#000}.contested{background:#cc4125;color:#fff}
.unconfirmed{background:#fff;color:#000;border:2px dashed #555}
.who{color:#555;font-style:italic}.cite{font:.75rem system-ui,sans-serif;margin-left:.3rem}
.src{border-top:1px solid #eee;margin-top:1.2rem}.src p{margin:.3rem 0}
.src span:target{background:#fde68a;outline:2px solid #b45309}
.legend{font:.85rem system-ui,sans-serif;color:#333}
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _anchor(c: Citation) -> str:
    return f"d{c.doc_id}-{c.span[0]}-{c.span[1]}"


def brief_html(brief: Brief) -> str:
    """A standalone HTML page; citations link to the highlighted sentence further down."""
    out = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        "<meta http-equiv=Content-Security-Policy content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">",
        f"<title>{_e(brief.story.label)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(brief.story.label)}</h1>",
    ]
    cited: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for sec in brief.sections:
        out.append(f"<h2 id={_e(sec.kind)}>{_e(sec.title)}</h2>")
        if not sec.items:
            out.append("<p class=legend>(none)</p>")
            continue
        out.append("<ul>")
        for it in sec.items:
            status = f"<span class='st {_e(it.status)}'>{_e(it.status)}</span>" if it.status else ""
            who = f" <span class=who>{_e(it.who)}</span>" if it.who else ""
            links = []
            for c in it.citations:
                cited[c.doc_id].add(c.span)
                links.append(f"<a class=cite href='#{_e(_anchor(c))}'>[{_e(_cite_label(c))}]</a>")
            details = "".join(f"<li>{_e(d)}</li>" for d in it.details)
            details = f"<ul>{details}</ul>" if details else ""
            out.append(f"<li>{status}{_e(it.text)}{who}{''.join(links)}{details}</li>")
        out.append("</ul>")
    out.append(
        "<p class=legend>"
        + " ".join(
            f"<span class='st {_e(k)}'>{_e(k)}</span>{_e(v)}." for k, v in STATUS_LEGEND.items()
        )
        + "</p>"
    )
    out.append("<h2 id=source-texts>Source texts</h2>")
    for d in brief.documents:
        out.append(_document_html(d, cited.get(d.id, set())))
    out.append("</body></html>")
    return "\n".join(out)


def _document_html(d: Document, spans: set[tuple[int, int]]) -> str:
    """The document's text with each cited span wrapped in an anchor target (escaped)."""
    outlet = d.publisher or "outlet unknown"
    date = d.published.date().isoformat() if d.published else "date unknown"
    head = f"<div class=src id=doc-{_e(d.id)}><h3>{_e(d.title or d.source)}</h3>"
    head += f"<p class=legend>{_e(outlet)} · {_e(date)} · {_e(d.id)}</p>"
    # Non-overlapping cited spans, in order; overlapping ones keep the first.
    pieces: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        if start < pos or end > len(d.text):
            continue
        pieces.append(_e(d.text[pos:start]))
        anchor = _e(_anchor(Citation(doc_id=d.id, span=(start, end))))
        pieces.append(f"<span id='{anchor}'>{_e(d.text[start:end])}</span>")
        pos = end
    pieces.append(_e(d.text[pos:]))
    body = "".join(pieces).replace("\n\n", "</p><p>").replace("\n", "<br>")
    return head + f"<p>{body}</p></div>"


# --- Timeline and ClaimReview ----------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineEntry:
    value: str
    text: str
    ambiguous: bool
    note: str | None
    citation: Citation
    status: str | None


def _sort_key(value: str) -> tuple[str, str]:
    # "XXXX-11-27" sorts by month-day after the dated entries of unknown year.
    head = value.split("/")[0]
    return (head.replace("X", "9"), value)


def build_timeline(
    documents: Sequence[Document], result: StoryFindings | None = None
) -> list[TimelineEntry]:
    """Dated claims in date order; entries whose year is unknown say so."""
    status_of: dict[str, str] = {}
    if result is not None:
        for f in result.findings:
            for cid in f.claim_ids:
                status_of[cid] = f.status
    entries: list[TimelineEntry] = []
    seen: set[tuple[str, str]] = set()
    for d in documents:
        for c in d.claims:
            if not c.checkable:
                continue
            for dm in c.dates:
                if not dm.value or dm.type not in ("DATE", "TIME") or dm.value.endswith("_REF"):
                    continue
                key = (dm.value, c.text)
                if key in seen:
                    continue
                seen.add(key)
                entries.append(
                    TimelineEntry(
                        value=dm.value,
                        text=c.text,
                        ambiguous=dm.ambiguous,
                        note=dm.note,
                        citation=Citation(doc_id=d.id, span=c.span, claim_id=c.id, text=c.text),
                        status=status_of.get(c.id),
                    )
                )
    entries.sort(key=lambda e: _sort_key(e.value))
    return entries


def timeline_json(entries: Sequence[TimelineEntry]) -> dict[str, Any]:
    return {
        "timeline": [
            {
                "date": e.value,
                "ambiguous": e.ambiguous,
                "note": e.note,
                "text": e.text,
                "status": e.status,
                "citation": citation_json(e.citation),
            }
            for e in entries
        ]
    }


def claimreview_jsonld(
    story: Story,
    documents: Sequence[Document],
    result: StoryFindings,
    *,
    now: datetime | None = None,
) -> list[dict[str, Any]]:
    """schema.org ClaimReview objects, one per finding (the rating is the desk's status)."""
    by_id = {d.id: d for d in documents}
    date = (now or datetime.now().astimezone()).date().isoformat()
    out = []
    for f in result.findings:
        appearances = []
        for c in (f.representative, *f.supporting):
            d = by_id.get(c.doc_id)
            if d is None:
                continue
            item: dict[str, Any] = {"@type": "CreativeWork", "identifier": d.id}
            if d.url:
                item["url"] = d.url
            if d.publisher:
                item["publisher"] = {"@type": "Organization", "name": d.publisher}
            if d.published:
                item["datePublished"] = d.published.isoformat()
            if item not in appearances:
                appearances.append(item)
        out.append(
            {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "claimReviewed": f.text,
                "datePublished": date,
                "author": {"@type": "Organization", "name": "factdesk"},
                "reviewRating": {
                    "@type": "Rating",
                    "alternateName": f.status,
                    "ratingExplanation": f.who or STATUS_LEGEND.get(f.status, ""),
                },
                "itemReviewed": {"@type": "Claim", "appearance": appearances},
            }
        )
    return out


def dumps(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2)
