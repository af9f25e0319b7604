"""StoryFindings to and from JSON, for the store's per-story findings cache.

The payload carries a format version; a payload of another version (or produced by another
compare stage version) is treated as absent, so findings are recomputed rather than misread.
"""

from __future__ import annotations

import json
from typing import Any

from factdesk.records import Citation, Conflict, CopyRelation, Finding, StoryFindings

FORMAT = 1


def _citation(d: dict[str, Any]) -> Citation:
    return Citation(
        doc_id=d["doc_id"],
        span=(d["span"][0], d["span"][1]),
        claim_id=d["claim_id"],
        text=d["text"],
    )


def _cit_json(c: Citation) -> dict[str, Any]:
    return {"doc_id": c.doc_id, "span": list(c.span), "claim_id": c.claim_id, "text": c.text}


def dumps(result: StoryFindings) -> str:
    """Serialise a story's findings (every field, citations with their spans)."""
    return json.dumps(
        {
            "format": FORMAT,
            "produced_by": result.produced_by,
            "story_id": result.story_id,
            "document_origins": [list(p) for p in result.document_origins],
            "copies": [
                {
                    "doc_id": c.doc_id,
                    "copy_of": c.copy_of,
                    "similarity": c.similarity,
                    "reason": c.reason,
                }
                for c in result.copies
            ],
            "findings": [
                {
                    "id": f.id,
                    "story_id": f.story_id,
                    "text": f.text,
                    "status": f.status,
                    "modality": f.modality,
                    "claim_ids": list(f.claim_ids),
                    "representative": _cit_json(f.representative),
                    "origins": list(f.origins),
                    "supporting": [_cit_json(c) for c in f.supporting],
                    "contradicting": [_cit_json(c) for c in f.contradicting],
                    "silent": list(f.silent),
                    "conflicts": [
                        {
                            "slot": c.slot,
                            "values": list(c.values),
                            "sides": [[_cit_json(x) for x in side] for side in c.sides],
                            "note": c.note,
                        }
                        for c in f.conflicts
                    ],
                    "who": f.who,
                    "reasons": list(f.reasons),
                    "caveats": [_cit_json(c) for c in f.caveats],
                    "produced_by": f.produced_by,
                }
                for f in result.findings
            ],
        },
        ensure_ascii=False,
    )


def loads(payload: str, *, produced_by: str) -> StoryFindings | None:
    """Read a payload back; None when it is of another format or stage version."""
    data = json.loads(payload)
    if data.get("format") != FORMAT or data.get("produced_by") != produced_by:
        return None
    return StoryFindings(
        story_id=data["story_id"],
        produced_by=data["produced_by"],
        document_origins=tuple((a, b) for a, b in data["document_origins"]),
        copies=tuple(
            CopyRelation(
                doc_id=c["doc_id"],
                copy_of=c["copy_of"],
                similarity=c["similarity"],
                reason=c["reason"],
            )
            for c in data["copies"]
        ),
        findings=tuple(
            Finding(
                id=f["id"],
                story_id=f["story_id"],
                text=f["text"],
                status=f["status"],
                modality=f["modality"],
                claim_ids=tuple(f["claim_ids"]),
                representative=_citation(f["representative"]),
                origins=tuple(f["origins"]),
                supporting=tuple(_citation(c) for c in f["supporting"]),
                contradicting=tuple(_citation(c) for c in f["contradicting"]),
                silent=tuple(f["silent"]),
                conflicts=tuple(
                    Conflict(
                        slot=c["slot"],
                        values=tuple(c["values"]),
                        sides=tuple(tuple(_citation(x) for x in side) for side in c["sides"]),
                        note=c["note"],
                    )
                    for c in f["conflicts"]
                ),
                who=f["who"],
                reasons=tuple(f["reasons"]),
                caveats=tuple(_citation(c) for c in f["caveats"]),
                produced_by=f["produced_by"],
            )
            for f in data["findings"]
        ),
    )
