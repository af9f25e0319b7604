"""Claims: checkable statements with their attribution, modality, entities, dates and numbers.

A sentence is split into claims at coordinated clauses that have their own subject ("NATO
confirmed the meeting, but deliveries had not been confirmed" -> two claims), so modality and
negation are scoped to each claim. Each claim keeps the whole clause as its span, frame
included ("NATO said ..."), so a citation shows the reader the attribution too.

Opinion, framing and filler are kept as claims with ``checkable=False`` and the reason.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Sequence
from typing import Any

from factdesk.pipeline.entities import canonical_key
from factdesk.pipeline.modality import classify, cue_lemma_of
from factdesk.records import (
    Attribution,
    Claim,
    DateMention,
    Entity,
    Quantity,
    Sentence,
    Span,
)

PRODUCED_BY = "claims.v1"

_BULLET = re.compile(r"^[\s\-*•–—·]+")
# A wire dateline opening a story: "HAVELSTAD, Estmark, March 12 (NPA) — ". It says where and
# by whom the story was filed, not what happened, so it is not part of the first claim.
_DATELINE = re.compile(
    r"^[A-Z][A-Z .'’-]{1,40}(?:,\s*[A-Z][\w .'’-]{1,40})*"
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?(?:,?\s*\d{4})?"
    r"\s*(?:\([^)]{1,40}\))?\s*[—–-]{1,2}\s+"
)
# A clause cut before the next one loses the joining comma and conjunction.
_TRAILING = re.compile(r"(?:[\s,;:\-–—]|\b(?:but|and|or|while|whereas|yet|so)\b)+$", re.IGNORECASE)

# Predicates that frame or evaluate rather than report an event ("this visit represents a
# significant moment"); a clause headed by one, with no number, date or ordinal to check,
# is framing. Kept short and general: the list errs towards calling things checkable.
_FRAMING_PREDICATES = frozenset(
    {
        "serve",
        "underscore",
        "highlight",
        "signal",
        "signify",
        "represent",
        "illustrate",
        "demonstrate",
        "reflect",
        "symbolize",
        "emphasize",
        "showcase",
        "epitomize",
        "reaffirm",
        "exemplify",
        "indicate",
        "suggest",
        "remind",
        "necessitate",
        "matter",
    }
)
# Attributes of "is a ..." that frame rather than state: "is a stark reminder", "a clear
# sign", "a testament to".
_FRAMING_NOUNS = frozenset(
    {"reminder", "sign", "indicator", "testament", "symbol", "signal", "illustration", "example"}
)
# Evaluative words typical of framing and padding; two or more in a clause with no
# attribution and no number or date make it not checkable.
_EVALUATIVE = frozenset(
    {
        "historic",
        "significant",
        "pivotal",
        "crucial",
        "critical",
        "vital",
        "key",
        "important",
        "importance",
        "unprecedented",
        "robust",
        "deepening",
        "clear",
        "indicator",
        "testament",
        "milestone",
        "landmark",
        "symbolic",
        "profound",
        "remarkable",
        "strong",
        "steadfast",
        "unwavering",
        "resolve",
        "commitment",
        "volatile",
        "resilience",
        "resilient",
        "unimaginable",
        "stark",
        "tragedy",
        "devastating",
        "inextricably",
        "fluid",
        "evolving",
        "ongoing",
        "broader",
        "persistent",
        "existential",
        "urgency",
        "paramount",
        "notable",
        "meaningful",
        "momentous",
        "dramatic",
        "shared",
        "sustained",
        "proactive",
        "strategic",
    }
)
# Addressing the reader: calls to comment, subscribe, follow.
_READER_ADDRESS = re.compile(
    r"\b(?:we invite|our readers|join the conversation|stay tuned|subscribe|sign up|"
    r"click here|read more|share (?:your|their) (?:views|perspectives|thoughts)|"
    r"let us know|follow us|stay with us|check back|as this story develops|"
    r"this (?:story|article|page) (?:will be|is being) updated)\b",
    re.IGNORECASE,
)
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "expl", "csubj", "csubjpass"})


def claim_id(doc_id: str, span: Span) -> str:
    """Stable id of the claim at ``span`` of document ``doc_id``."""
    return hashlib.sha256(f"{doc_id}:{span[0]}:{span[1]}".encode()).hexdigest()[:16]


def _clause_heads(sent: Any) -> list[Any]:
    """Clause heads of a sentence: its root and coordinated verbs with their own subject."""
    heads = [sent.root]
    for token in sent:
        if (
            token.dep_ == "conj"
            and token.pos_ in ("VERB", "AUX")
            and any(c.dep_ in _SUBJECT_DEPS for c in token.children)
            and token.head.i in {h.i for h in heads}
        ):
            heads.append(token)
    return sorted(heads, key=lambda t: t.left_edge.i)


def _clause_ranges(sent: Any) -> list[tuple[int, int]]:
    """Token ranges [start, end) for each clause, partitioning the sentence."""
    heads = _clause_heads(sent)
    starts = [sent.start] + [h.left_edge.i for h in heads[1:]]
    # Keep the split points increasing and inside the sentence.
    cuts = sorted({s for s in starts if sent.start <= s < sent.end})
    return [(a, b) for a, b in zip(cuts, cuts[1:] + [sent.end], strict=True) if a < b]


def _merge_frames(
    doc: Any, ranges: list[tuple[int, int]], attributions: Sequence[Attribution]
) -> list[tuple[int, int]]:
    """Join clauses that an attribution spans: its content in one, its cue in another
    ("About 3,400 workers walked off the job, the union secretary told reporters")."""
    if len(ranges) < 2:
        return ranges
    chars = [(doc[a].idx, doc[b - 1].idx + len(doc[b - 1])) for a, b in ranges]
    merged = list(ranges)
    for att in attributions:
        if att.cue_span is None:
            continue
        cue = next((i for i, r in enumerate(chars) if _within(att.cue_span, r)), None)
        content = [i for i, r in enumerate(chars) if _overlap(att.content_span, r) > 0]
        if cue is None or not content:
            continue
        lo, hi = min([cue, *content]), max([cue, *content])
        if hi > lo:
            for i in range(lo, hi + 1):
                merged[i] = (ranges[lo][0], ranges[hi][1])
    out: list[tuple[int, int]] = []
    for r in merged:
        if not out or r != out[-1]:
            out.append(r)
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink ``[start, end)`` past bullets, leading conjunctions and trailing punctuation."""
    piece = text[start:end]
    lead = _BULLET.match(piece)
    offset = lead.end() if lead else 0
    dateline = _DATELINE.match(piece, offset)
    if dateline and dateline.end() < len(piece):
        offset = dateline.end()
    m = re.match(r"(?:but|and|or|while|whereas|yet|so)\b[\s,]*", piece[offset:], re.IGNORECASE)
    if m and start + offset + m.end() < end:
        offset += m.end()
    piece = piece[offset:]
    tail = _TRAILING.search(piece)
    stripped = piece[: tail.start()] if tail else piece
    stripped = stripped.rstrip()
    return start + offset, start + offset + len(stripped)


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _within(inner: Span, outer: Span) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def _attribution_for(span: Span, attributions: Sequence[Attribution]) -> Attribution | None:
    """The attribution that governs a clause: its cue is in the clause, or its content
    covers most of the clause (a quotation continuing over several sentences)."""
    best: Attribution | None = None
    best_score = 0.0
    length = max(1, span[1] - span[0])
    for a in attributions:
        score = _overlap(a.content_span, span) / length
        if a.cue_span is not None and _within(a.cue_span, span):
            score += 1.0
        if score > best_score:
            best, best_score = a, score
    return best if best_score >= 0.5 else None


def _checkability(
    tokens: Sequence[Any],
    text: str,
    *,
    attributed: bool,
    has_anchor: bool,
    has_number_or_date: bool,
) -> tuple[bool, tuple[str, ...]]:
    """Decide whether a clause states something a source could confirm or contradict."""
    if not any(t.pos_ in ("VERB", "AUX") for t in tokens):
        return False, ("no verb: a heading or fragment",)
    if text.rstrip().endswith("?"):
        return False, ("a question",)
    if _READER_ADDRESS.search(text):
        return False, ("addresses the reader",)
    if attributed:
        # "According to NATO, the visit represents a significant moment" is checkable as an
        # attribution of a position, whatever its content.
        return True, ("attribution of a position",)
    heads = [t for t in tokens if t.dep_ == "ROOT" or t.head not in tokens]
    framing = [t for t in heads if t.lemma_.lower() in _FRAMING_PREDICATES]
    # "This tragedy is a stark reminder that ...": a copula whose attribute frames.
    framing += [
        c
        for t in heads
        if t.lemma_.lower() == "be"
        for c in t.children
        if c.dep_ == "attr" and c.lemma_.lower() in _FRAMING_NOUNS
    ]
    evaluative = [t.text for t in tokens if t.lower_ in _EVALUATIVE]
    if framing and not has_number_or_date:
        return False, (f"framing predicate {framing[0].text!r}",)
    if len(evaluative) >= 2 and not has_number_or_date:
        return False, ("evaluative language: " + ", ".join(evaluative[:4]),)
    if not has_anchor:
        return False, ("no name, date or number to check",)
    return True, ()


def extract_claims(
    doc: Any,
    *,
    doc_id: str,
    sentences: Sequence[Sentence],
    entities: Sequence[Entity] = (),
    dates: Sequence[DateMention] = (),
    quantities: Sequence[Quantity] = (),
    attributions: Sequence[Attribution] = (),
    publisher: str | None = None,
) -> tuple[Claim, ...]:
    """Split each sentence into claims and attach attribution, modality and mentions."""
    text = doc.text
    claims: list[Claim] = []
    starts = [s.span[0] for s in sentences]
    for sent in doc.sents:
        sentence = _sentence_record(sent, starts, sentences)
        if sentence is None:
            continue
        for tok_start, tok_end in _merge_frames(doc, _clause_ranges(sent), attributions):
            clause = doc[tok_start:tok_end]
            start, end = _trim(text, clause.start_char, clause.end_char)
            if end <= start:
                continue
            span = (start, end)
            clause_tokens = [t for t in clause if start <= t.idx < end]
            if not clause_tokens:
                continue
            attribution = _attribution_for(span, attributions)
            cue_lemma = cue_lemma_of(doc, attribution)
            attributed = attribution is not None
            result = classify(clause_tokens, cue_lemma=cue_lemma, attributed=attributed)
            ents = tuple(e for e in entities if _within(e.span, span))
            ds = tuple(d for d in dates if _within(d.span, span))
            qs = tuple(q for q in quantities if _within(q.span, span))
            clause_text = text[start:end]
            checkable, why = _checkability(
                clause_tokens,
                clause_text,
                attributed=attributed,
                has_anchor=bool(ents or ds or qs),
                # "every day", "one thing is clear": nothing a source could confirm.
                has_number_or_date=any(d.type in ("DATE", "TIME") for d in ds)
                or any(not (q.value == 1 and q.kind == "count") for q in qs),
            )
            via: tuple[str, ...] = ()
            if attribution is not None:
                via = attribution.via
                # The outlet is the last link, unless the outlet is the speaker itself (an
                # official statement published by the party that makes it).
                if (
                    publisher
                    and canonical_key(publisher) != attribution.speaker_key
                    and (not via or via[-1] != publisher)
                ):
                    via = (*via, publisher)
            claims.append(
                Claim(
                    id=claim_id(doc_id, span),
                    doc_id=doc_id,
                    span=span,
                    text=clause_text,
                    sentence_index=sentence.index,
                    checkable=checkable,
                    modality=result.modality,
                    speaker=attribution.speaker if attribution else None,
                    speaker_key=attribution.speaker_key if attribution else None,
                    cue=attribution.cue if attribution else None,
                    via=via,
                    quote=attribution.quote if attribution else "none",
                    negated=result.negated,
                    entities=ents,
                    dates=ds,
                    quantities=qs,
                    reasons=result.reasons + why,
                    produced_by=PRODUCED_BY,
                )
            )
    return tuple(claims)


def _sentence_record(
    sent: Any, starts: list[int], sentences: Sequence[Sentence]
) -> Sentence | None:
    """The stored sentence a spaCy sentence corresponds to (stored spans are trimmed)."""
    i = bisect.bisect_left(starts, sent.start_char)
    if i < len(sentences) and sentences[i].span[0] < sent.end_char:
        return sentences[i]
    return None
