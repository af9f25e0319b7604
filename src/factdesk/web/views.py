"""What each page shows, as JSON-ready dicts: the API returns them, the templates render them.

Every HTML page is rendered from exactly the dict its ``/api/...`` twin returns, so the pages and
the API cannot drift apart (``tests/web/test_api.py`` checks it). The shapes reuse the CLI's
(:mod:`factdesk.render`, :mod:`factdesk.report`) so ``factdesk brief --format json`` and
``GET /api/stories/{id}/brief`` are the same document.

These functions only call the library and reshape records: no analysis happens here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from factdesk import desk, findings_codec, render, report
from factdesk.compare import PRODUCED_BY
from factdesk.records import Citation, Document, Finding, Story, StoryFindings
from factdesk.report import citation_json
from factdesk.store import Store

#: Finding statuses, strongest first, with what each means (the legend every page shows).
STATUSES: dict[str, str] = dict(report.STATUS_LEGEND)

#: What each claim modality means, for the document page's legend.
MODALITIES: dict[str, str] = {
    "asserted": "stated as fact",
    "reported": "attributed to someone (\u201cX said\u201d)",
    "hedged": "softened (may, likely, reportedly)",
    "denied": "someone denies it",
    "not-confirmed": "a source says it is not confirmed",
    "future": "expected or planned",
    "call": "a demand or appeal",
}

# A TIMEX3 value that is a calendar date or month ("2026-03-12", "2026-03"); week, duration and
# year-unknown ("XXXX-11-27") values cannot be placed on a range and are left out of it.
_CALENDAR = re.compile(r"\d{4}(?:-\d{2}){0,2}")
# The search box on the stories page shows at most this many matching sentences.
SEARCH_LIMIT = 50


def finding_json(f: Finding) -> dict[str, Any]:
    """One claim group with its status, evidence on each side and conflicts."""
    return {
        "id": f.id,
        "text": f.text,
        "status": f.status,
        "modality": f.modality,
        "who": f.who,
        "origins": list(f.origins),
        "claims": list(f.claim_ids),
        "representative": citation_json(f.representative),
        "supporting": [citation_json(c) for c in f.supporting],
        "contradicting": [citation_json(c) for c in f.contradicting],
        "silent": list(f.silent),
        "conflicts": [
            {
                "slot": c.slot,
                "values": list(c.values),
                "note": c.note,
                "sides": [[citation_json(x) for x in side] for side in c.sides],
            }
            for c in f.conflicts
        ],
        "caveats": [citation_json(c) for c in f.caveats],
        "reasons": list(f.reasons),
    }


def findings_json(result: StoryFindings) -> dict[str, Any]:
    """A story's claim groups and which documents copy which."""
    return {
        "story": result.story_id,
        "findings": [finding_json(f) for f in result.findings],
        "copies": [
            {"doc": c.doc_id, "copy_of": c.copy_of, "similarity": c.similarity, "reason": c.reason}
            for c in result.copies
        ],
    }


def date_range(values: Iterable[str]) -> dict[str, str | None]:
    """First and last calendar date among a story's TIMEX3 values (None when there is none)."""
    points = sorted(
        part for v in values for part in v.split("/") if _CALENDAR.fullmatch(part) is not None
    )
    return {"start": points[0] if points else None, "end": points[-1] if points else None}


def status_counts(result: StoryFindings) -> dict[str, int]:
    """How many claim groups have each status (every status present, zero included)."""
    counts = Counter(f.status for f in result.findings)
    return {s: counts.get(s, 0) for s in STATUSES}


def _cached_findings(store: Store, story: Story) -> StoryFindings:
    # The list page needs only the findings, not every document's layers, so it reads the
    # store's cache directly and falls back to the library when the cache is cold or stale.
    payload = store.load_findings(story.id)
    result = findings_codec.loads(payload, produced_by=PRODUCED_BY) if payload else None
    return result if result is not None else desk.refresh_findings(store, story.id)


def _story_head(story: Story, docs: dict[str, Any], result: StoryFindings) -> dict[str, Any]:
    out = render.story_json(story, docs)
    for entry in out["documents"]:
        entry["publisher"] = getattr(docs.get(entry["id"]), "publisher", None)
    out["sources"] = len(story.doc_ids)
    out["date_range"] = date_range(story.dates)
    out["status_counts"] = status_counts(result)
    return out


def stories_view(store: Store, query: str | None = None) -> dict[str, Any]:
    """The stories list; with ``query``, only stories with a matching sentence, and the hits."""
    found = desk.stories(store)
    docs = {d.id: d for d in store.list_documents()}
    hits: list[dict[str, Any]] = []
    if query and query.strip():
        story_of: dict[str, str | None] = {}
        for h in store.search(query, limit=SEARCH_LIMIT):
            if h.doc_id not in story_of:
                story_of[h.doc_id] = store.story_of(h.doc_id)
            hit = render.hit_json(h)
            summary = docs.get(h.doc_id)
            hit["story"] = story_of[h.doc_id]
            hit["title"] = summary.title if summary else None
            hit["publisher"] = summary.publisher if summary else None
            hits.append(hit)
        matched = {h["story"] for h in hits}
        found = [s for s in found if s.id in matched]
    return {
        "query": query.strip() if query and query.strip() else None,
        "stories": [_story_head(s, docs, _cached_findings(store, s)) for s in found],
        "hits": hits,
    }


def story_view(store: Store, story_id: str) -> dict[str, Any]:
    """Everything the story page shows: the brief, claim groups, timeline and the sources."""
    story, documents, result = desk.story_findings(store, story_id)
    brief = report.build_brief(story, documents, result)
    summaries = {d.id: d for d in documents}
    return {
        "story": _story_head(story, summaries, result),
        "brief": report.brief_json(brief),
        "findings": findings_json(result),
        "timeline": report.timeline_json(report.build_timeline(documents, result))["timeline"],
        "documents": [render.document_json(d) for d in documents],
    }


def document_view(store: Store, doc: str) -> dict[str, Any]:
    """A document (as ``factdesk show --json``) with its story and, per claim, who agrees."""
    document = desk.show(store, doc)
    out = render.document_json(document)
    story_id = store.story_of(document.id)
    out["story"] = None
    out["claim_findings"] = {}
    if story_id is not None:
        story, documents, result = desk.story_findings(store, story_id)
        out["story"] = {"id": story.id, "label": story.label}
        out["claim_findings"] = _claim_findings(document, documents, result)
    return out


def _claim_findings(
    document: Document, documents: Sequence[Document], result: StoryFindings
) -> dict[str, Any]:
    """For each claim of ``document``: its group's status and the other sources on each side.

    ``agree`` and ``conflict`` list other documents' citations on this claim's side and on the
    other side; ``related`` the rest of the group when the comparison did not place the claim.
    """
    outlets = {d.id: d.publisher or d.title or d.source for d in documents}

    def side(citations: Iterable[Citation]) -> list[dict[str, Any]]:
        out = []
        seen = set()
        for c in citations:
            if c.doc_id == document.id or (c.doc_id, c.span) in seen:
                continue
            seen.add((c.doc_id, c.span))
            out.append(citation_json(c) | {"outlet": outlets.get(c.doc_id)})
        return out

    mine = {c.id for c in document.claims}
    by_claim: dict[str, Any] = {}
    for f in result.findings:
        for cid in f.claim_ids:
            if cid in mine:
                agreeing, conflicting, related = _sides_of(cid, f)
                by_claim[cid] = {
                    "finding": f.id,
                    "status": f.status,
                    "who": f.who,
                    "agree": side(agreeing),
                    "conflict": side(conflicting),
                    "related": side(related),
                }
    return by_claim


def _sides_of(claim_id: str, f: Finding) -> tuple[list[Citation], list[Citation], list[Citation]]:
    """This claim's side of its group, the other side(s), and group members of unstated side.

    A claim grouped with others but cited on no side (a near-paraphrase the comparison did not
    place) gets the group's citations as related, not as agreeing: the desk does not guess.
    """
    if any(c.claim_id == claim_id for c in f.contradicting):
        return list(f.contradicting), list(f.supporting), []
    for conflict in f.conflicts:
        for i, own in enumerate(conflict.sides):
            if any(c.claim_id == claim_id for c in own):
                others = [c for j, s in enumerate(conflict.sides) if j != i for c in s]
                return list(own), others + list(f.contradicting), []
    if any(c.claim_id == claim_id for c in f.supporting):
        return list(f.supporting), list(f.contradicting), []
    return [], [], list(f.supporting) + list(f.contradicting)


def documents_view(store: Store) -> dict[str, Any]:
    """Every stored document's metadata (no text), in insertion order."""
    return {
        "documents": [
            {
                "id": d.id,
                "title": d.title,
                "publisher": d.publisher,
                "published": d.published.isoformat() if d.published else None,
                "source": d.source,
                "language": d.language,
                "analysis": d.analysis_status,
                "claims": d.n_claims,
                "story": store.story_of(d.id),
            }
            for d in store.list_documents()
        ]
    }


def claims_view(
    store: Store, *, doc: str | None = None, story: str | None = None
) -> dict[str, Any]:
    """Claims as ``factdesk claims --json``: all, one document's, or one story's."""
    if story is not None:
        s = desk.resolve_story(store, story)
        found = [c for d in s.doc_ids for c in desk.claims(store, doc=d)]
    else:
        found = desk.claims(store, doc=doc)
    return {"claims": [render.claim_json(c) for c in found]}
