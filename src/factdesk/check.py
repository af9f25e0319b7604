"""The draft check: every sentence of a draft against the desk's sources.

:func:`check_documents` takes an analysed draft, the analysed source documents and (when it
has them) the story's findings, and labels each draft sentence, claim by claim:

- ``supported``: the sources state it. The evidence is cited strongest first: the primary
  party, then one claim per independent origin.
- ``partly-supported``: part of it is stated and part is not, and the reasons say which part
  ("the date June 3 is in the sources; the year 2026 and the weekday are not"). Sources that
  only report or hedge what the draft states as fact also make a claim partly supported.
- ``unsupported``: nothing in the sources states it. A number, date, name, place, ordinal or
  attribution that no source gives is named ("no source mentions 32 members").
- ``contradicted``: a source states otherwise; both sides are cited.
- ``not-checkable``: framing, opinion, filler, questions to the reader.

How a draft claim is judged
---------------------------
The draft is reduced to claim views exactly as :mod:`factdesk.compare` reduces a story's
claims (attribution frame cut off; entities, events, numbers, ordinals and dates as
features), so the draft and the sources are compared with the same explicit rules the
findings use: numbers as intervals, dates as intervals (a source's year-less date never
borrows the draft's year; the draft may borrow a source's), polarity and denials, ordinals
with their qualifiers, contrary events. Candidates come from an inverted index over the
sources' claim features, so the cost grows with what the draft shares with the sources, not
with the number of sources.

On top of that relation every claim gets a parts audit against *all* the source text:
each number, date, name or place and ordinal of the draft claim is looked up on its own.
That is what names the invented detail precisely and what tells "the meeting is sourced,
the year is not" from "nothing is sourced".

Then the failures typical of AI-assisted drafts are checked explicitly:

- ``hedge-dropped``: every source that states it hedges it ("likely", "may"); the draft
  states it as fact.
- ``attribution-dropped``: it rests on one non-primary origin that the sources name ("The
  Kyiv Independent reported ...", "ETV reported, citing the ministry"); the draft states
  it as fact.
- ``attribution-changed`` / ``attribution-invented``: the draft names a speaker ("according
  to official NATO reports") that no source gives for this content.
- ``certainty-upgraded``: a source says the content is not confirmed or not verified and the
  draft states it as fact (contradicted).
- ``contest-dropped``: the sources disagree and the draft states one side as settled.
- ``caveat-dropped``: a source qualifies the claim ("should be read as reported, not
  independently verified") and the draft leaves the qualification out.

A key ``unconfirmed`` or ``contested`` finding of the story that no draft sentence touches is
listed in :attr:`CheckReport.omissions` (a caveat the draft leaves out).

Judges
------
The default judge is these rules: offline and deterministic. :class:`Judge` is the interface
for an optional second opinion (``factdesk.judges``: a local NLI cross-encoder or an
OpenAI-compatible chat endpoint). It is asked only about checkable claims the rules could not
settle (unsupported or partly supported with candidate evidence) and never overrides a
number, date or name that no source gives.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from spacy.lang.en.stop_words import STOP_WORDS

from factdesk.compare import (
    ClaimView,
    blocking_keys,
    claim_views,
    content_stems,
    cover_of,
    dates_overlap,
    parse_when,
    quantities_disjoint,
    relate,
    same_name,
    stem,
    weigh_features,
)
from factdesk.pipeline.entities import canonical_key
from factdesk.records import Claim, DateMention, Document, Finding, Quantity, Span, StoryFindings
from factdesk.report import md_escape, unique_spans

__all__ = [
    "LABELS",
    "CheckReport",
    "ClaimCheck",
    "Evidence",
    "Judge",
    "JudgeVerdict",
    "Omission",
    "Part",
    "SentenceCheck",
    "check_documents",
    "check_html",
    "check_json",
    "check_lines",
    "check_markdown",
    "ground_pairs",
]

LABELS = ("supported", "partly-supported", "unsupported", "contradicted", "not-checkable")

#: A source claim stating at least this share of a draft claim's weighted content, without
#: a closer relation, makes the draft claim partly supported.
PARTIAL_COVER = 0.5
#: A supporting claim stating this share of the draft claim states all of it.
WHOLE_COVER = 0.7
#: Candidate source claims looked at per draft claim (the best by shared index keys).
MAX_CANDIDATES = 60
#: Evidence cited per claim and per sentence.
MAX_EVIDENCE = 4

_NAME_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"}
)
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_RE = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
_YEAR_RE = re.compile(r"\b(1[0-9]{3}|20[0-9]{2})\b")
_DAY = r"(?:\d{4}|XXXX)(?:-\d{2}(?:-\d{2})?)?"
_SPECIFIC_DATE = re.compile(rf"^{_DAY}(?:/{_DAY})?$")
# Cue words that make a speaker the source of the content ("said", "according to",
# "confirmed"); the attribution stage also records cues like "have underscored", which name
# an actor, not a source, and must not count as an invented attribution.
_SPEECH_CUE = re.compile(
    r"^(?:accord|acknowledg|add|admit|announc|argu|assert|brief|call|citing|cite|claim|"
    r"comment|confirm|declar|deni|deny|describ|disclos|estimat|explain|insist|note|predict|"
    r"quot|report|reveal|said|say|state|stress|tell|told|urg|warn|writ|wrote)",
    re.IGNORECASE,
)
_CERTAIN_CUE = re.compile(r"^(?:confirm|establish|prov|verif|announc)", re.IGNORECASE)
# A cause the draft gives ("weeks of heavy rain caused the failure", "postponed because of
# staff shortages"): inventing causes is a typical AI-draft failure, checked on its own.
_CAUSAL = re.compile(
    r"(?:caused|causing|causes|cause|because of|due to|owing to|led to|leading to|"
    r"resulted in|blamed on|triggered|sparked|as a result of)",
    re.IGNORECASE,
)
# Words in a speaker phrase that do not name anyone ("official NATO reports").
_SPEAKER_FILLER = frozenset(
    {
        "official", "officials", "report", "reports", "reporting", "source", "sources",
        "statement", "statements", "data", "figures", "according", "say", "says", "said",
        "the", "a", "an", "of", "its", "their", "his", "her",
    }
)  # fmt: skip


# --- records ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Evidence:
    """A source passage cited for a draft claim.

    ``relation``: supports | contradicts | partly | not-confirmed | qualifies | nearest (the
    closest source claim when nothing supports the draft, for the editor to compare).
    """

    doc_id: str
    span: Span
    text: str
    relation: str
    claim_id: str | None = None
    who: str = ""
    status: str | None = None


@dataclass(frozen=True, slots=True)
class Part:
    """One checked element of a draft claim: a number, date, name, place, ordinal or the
    attribution, with whether the sources give it (sourced | partly | unsourced | contradicted)."""

    kind: str
    text: str
    span: Span
    status: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class ClaimCheck:
    claim_id: str
    span: Span
    text: str
    label: str
    reasons: tuple[str, ...] = ()
    failures: tuple[str, ...] = ()
    parts: tuple[Part, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    support: float = 0.0  # 0-1: how much of the claim the sources state (for grounding scores)


@dataclass(frozen=True, slots=True)
class SentenceCheck:
    index: int
    span: Span
    text: str
    label: str
    reasons: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    claims: tuple[ClaimCheck, ...] = ()


@dataclass(frozen=True, slots=True)
class Omission:
    """A key finding of the sources that the draft never mentions."""

    kind: str  # unconfirmed | contested
    text: str
    reason: str
    finding_id: str | None = None
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class CheckReport:
    draft: Document
    sentences: tuple[SentenceCheck, ...]
    omissions: tuple[Omission, ...] = ()
    sources: tuple[Document, ...] = ()
    against: tuple[str, ...] = ()
    judge: str = "rules"

    @property
    def summary(self) -> dict[str, int]:
        counts = {label.replace("-", "_"): 0 for label in LABELS}
        for s in self.sentences:
            counts[s.label.replace("-", "_")] += 1
        return counts

    @property
    def failures(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for s in self.sentences:
            for c in s.claims:
                for f in c.failures:
                    counts[f] += 1
        return dict(sorted(counts.items()))

    @property
    def exit_code(self) -> int:
        """0 when nothing is unsupported or contradicted, else 1 (a pre-publish gate)."""
        bad = {"unsupported", "contradicted"}
        return 1 if any(s.label in bad for s in self.sentences) else 0


# --- judges -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class JudgeVerdict:
    """An optional judge's opinion of one claim against its candidate evidence."""

    label: str  # supported | contradicted | unsupported
    score: float = 0.0  # 0-1, confidence the claim is supported
    reason: str = ""


class Judge(Protocol):
    """A second opinion on a claim the rules could not settle (see ``factdesk.judges``)."""

    name: str

    def judge(self, claim: str, evidence: Sequence[str]) -> JudgeVerdict: ...


# --- the check ----------------------------------------------------------------------------------


@dataclass
class _Facts:
    """Everything the sources state, indexed for the parts audit."""

    quantities: list[tuple[Quantity, Document]] = field(default_factory=list)
    ordinals: list[tuple[Quantity, Document]] = field(default_factory=list)
    dates: list[tuple[Any, Document]] = field(default_factory=list)  # (_When, doc)
    entity_keys: dict[str, tuple[Document, Span, str]] = field(default_factory=dict)
    texts: list[tuple[Document, str]] = field(default_factory=list)  # lower-cased text
    _flat: list[tuple[Document, str]] | None = None

    def flat(self) -> list[tuple[Document, str]]:
        """The lower-cased texts without hyphens, made on the first name that needs them."""
        if self._flat is None:
            self._flat = [(d, _flatten(low)) for d, low in self.texts]
        return self._flat


def _facts(sources: Sequence[Document]) -> _Facts:
    facts = _Facts()
    for d in sources:
        if d.analysis_status != "ok":
            continue
        facts.texts.append((d, d.text.lower()))
        for q in d.quantities:
            (facts.ordinals if q.kind == "ordinal" else facts.quantities).append((q, d))
        for dm in d.dates:
            if dm.type in ("DATE", "TIME") and dm.value and _SPECIFIC_DATE.match(dm.value):
                w = parse_when(dm)
                if w is not None:
                    facts.dates.append((w, d))
        for e in d.entities:
            if e.key:
                facts.entity_keys.setdefault(_norm_key(e.key), (d, e.span, e.text))
    return facts


def _only_unanchored(c: Claim) -> bool:
    """Not checkable only for want of a name, date or number (not framing or filler)."""
    if c.checkable or "no name, date or number to check" not in c.reasons:
        return False
    framing = (
        "framing predicate",
        "evaluative language",
        "addresses the reader",
        "a question",
        "no verb",
    )
    return not any(r.startswith(framing) for r in c.reasons)


def _norm_key(key: str) -> str:
    return " ".join("-".join(sorted(w.split("-"))) if "-" in w else w for w in key.split())


def check_documents(
    draft: Document,
    sources: Sequence[Document],
    findings: StoryFindings | None = None,
    *,
    against: Sequence[str] = (),
    judge: Judge | None = None,
    omissions: bool = True,
) -> CheckReport:
    """Check every sentence of ``draft`` against ``sources``.

    Args:
        draft: the analysed draft (``factdesk.pipeline.runner.analyze``).
        sources: the analysed source documents (a story's, or any set of files).
        findings: the sources' findings (``compare_story``); they give the status of each
            source claim (is it corroborated, contested, unconfirmed?) and the omissions. When
            None, statuses are unknown and no omissions are listed.
        against: what the user asked to check against (story ids, paths), for the report.
        judge: an optional second opinion (see :class:`Judge`).
        omissions: list the key unconfirmed/contested findings the draft never mentions.
    """
    sources = [d for d in sources if d.analysis_status == "ok"]
    if any(d.id == draft.id for d in sources):
        # Checking a source against itself is allowed; the comparison skips same-id pairs.
        draft = replace(draft, id=f"draft-{draft.id}")
    src_views = claim_views(sources)
    # A draft sentence with no name, date or number ("Heavy rain pushed the reservoir close
    # to capacity") is still compared with the sources; it stays not checkable only when no
    # source says anything like it.
    vague = {c.id for c in draft.claims if _only_unanchored(c)}
    compared = replace(
        draft,
        claims=tuple(replace(c, checkable=True) if c.id in vague else c for c in draft.claims),
    )
    draft_views = claim_views([compared], year_donors=src_views)
    views = [*src_views, *draft_views]
    for i, v in enumerate(views):
        v.idx = i
    weigh_features(views)
    ctx = _Context(sources, src_views, findings, _facts(sources), judge)
    view_of = {v.claim.id: v for v in draft_views}
    by_sentence: dict[int, list[ClaimCheck]] = defaultdict(list)
    touched: set[int] = set()  # source view indices some draft claim relates to
    for claim in draft.claims:
        view = view_of.get(claim.id)
        if view is not None:
            cc, related = _check_view(view, ctx)
            if claim.id in vague and cc.label == "unsupported":
                cc = _check_uncheckable(claim, ctx)
            else:
                touched |= related
        else:
            cc = _check_uncheckable(claim, ctx)
        by_sentence[claim.sentence_index].append(cc)
    sentences = tuple(
        _sentence(s.index, s.span, s.text, by_sentence.get(s.index, [])) for s in draft.sentences
    )
    omitted = _omissions(ctx, draft_views, touched) if omissions and findings else ()
    return CheckReport(
        draft=draft,
        sentences=sentences,
        omissions=omitted,
        sources=tuple(sources),
        against=tuple(against),
        judge=getattr(judge, "name", "rules") if judge is not None else "rules",
    )


@dataclass
class _Context:
    sources: Sequence[Document]
    views: list[ClaimView]
    findings: StoryFindings | None
    facts: _Facts
    judge: Judge | None
    postings: dict[str, list[int]] = field(default_factory=dict)
    finding_of: dict[str, Finding] = field(default_factory=dict)
    _candidates: dict[int, list[ClaimView]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        postings: dict[str, list[int]] = defaultdict(list)
        for pos, v in enumerate(self.views):
            for k in blocking_keys(v):
                postings[k].append(pos)
        self.postings = dict(postings)
        if self.findings is not None:
            for f in self.findings.findings:
                for cid in f.claim_ids:
                    self.finding_of.setdefault(cid, f)

    def candidates(self, v: ClaimView) -> list[ClaimView]:
        """Source claims sharing index keys with ``v``, most shared first (computed once)."""
        cached = self._candidates.get(v.idx)
        if cached is None:
            cached = self._candidates[v.idx] = self._rank(v)
        return cached

    def _rank(self, v: ClaimView) -> list[ClaimView]:
        shared: dict[int, int] = defaultdict(int)
        for k in blocking_keys(v):
            for pos in self.postings.get(k, ()):
                shared[pos] += 1
        ranked = sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CANDIDATES]
        return [self.views[pos] for pos, _ in ranked]

    def status(self, v: ClaimView) -> str | None:
        f = self.finding_of.get(v.claim.id)
        return f.status if f is not None else None


def _evidence(v: ClaimView, relation: str, ctx: _Context) -> Evidence:
    s, e = v.claim.span
    return Evidence(
        doc_id=v.doc.id,
        span=(s, e),
        text=v.doc.text[s:e],
        relation=relation,
        claim_id=v.claim.id,
        who=v.label or v.origin,
        status=ctx.status(v),
    )


def _strength(v: ClaimView, ctx: _Context) -> tuple[int, int, str, int]:
    """Sort key, strongest evidence first: a primary party, then a confirmed or corroborated
    group, then directly attributed, then document order."""
    status = ctx.status(v)
    primary = v.is_primary_self or (v.in_own_statement and v.party is not None)
    rank = 0 if primary else (1 if status in ("confirmed", "corroborated") else 2)
    named = 0 if (v.party or v.claim.speaker) else 1
    return rank, named, v.doc.id, v.claim.span[0]


def _by_origin(views: Iterable[ClaimView], ctx: _Context) -> list[ClaimView]:
    """Strongest first, one per independent origin before any second from the same origin."""
    ordered = sorted(views, key=lambda v: _strength(v, ctx))
    seen: set[str] = set()
    first: list[ClaimView] = []
    rest: list[ClaimView] = []
    for v in ordered:
        (rest if v.origin in seen else first).append(v)
        seen.add(v.origin)
    return first + rest


def _check_view(v: ClaimView, ctx: _Context) -> tuple[ClaimCheck, set[int]]:
    supporters: list[ClaimView] = []
    contained: list[ClaimView] = []  # the draft states all of these, and more
    conflicts: list[tuple[ClaimView, str]] = []
    not_confirmed: list[ClaimView] = []
    partial: list[tuple[float, ClaimView]] = []
    related: set[int] = set()
    for s in ctx.candidates(v):
        rel = relate(v, s)
        # "Reports of looting ... could not be independently verified": the frame noun
        # ("Reports of") keeps the caveat below the comparison's bar; its content is here.
        if (
            rel is None
            and s.modality == "not-confirmed"
            and v.modality != "not-confirmed"
            and cover_of(s, v) >= PARTIAL_COVER
            and cover_of(v, s) >= 0.3
        ):
            not_confirmed.append(s)
            related.add(s.idx)
            continue
        if rel is None:
            c = cover_of(v, s)
            if c >= PARTIAL_COVER and _specific_overlap(v, s):
                partial.append((c, s))
                related.add(s.idx)
            continue
        related.add(s.idx)
        if rel.kind == "same" or (rel.kind == "support" and rel.supported == v.idx):
            supporters.append(s)
        elif rel.kind == "support":
            contained.append(s)
        elif rel.kind == "conflict":
            what = "; ".join(_conflict_note(slot) for slot in rel.slots)
            conflicts.append((s, what))
        elif rel.kind == "caveat":
            if s.modality == "not-confirmed":
                not_confirmed.append(s)
            else:
                supporters.append(s)  # the draft says it is unconfirmed, a source states it
    # A source stating most of the claim with another number for the same thing contradicts
    # it even when the sentences are too different in length for the comparison's bar.
    for c, s in list(partial):
        clash = _number_clash(v, s)
        if clash:
            conflicts.append((s, clash))
            partial.remove((c, s))
    combined: list[ClaimView] = []
    content_gap = True
    if not supporters and not conflicts and not not_confirmed:
        combined = _combined_support(v, ctx)
    parts = _parts(v, ctx)
    reasons: list[str] = []
    failures: list[str] = []
    evidence: list[Evidence] = []
    cue = (v.claim.cue or "").strip("'\" ").lower()
    speech = bool(v.claim.speaker) and bool(_SPEECH_CUE.match(cue))
    # Stated as the outlet's own fact (a speaker named without a speech cue is an actor).
    draft_flat = not speech and v.modality in ("asserted", "future")
    draft_asserts = draft_flat and v.modality == "asserted"
    draft_certain = draft_asserts or (speech and bool(_CERTAIN_CUE.match(cue)))
    cause = _cause_check(v, ctx)
    unsourced = [p for p in parts if p.status == "unsourced"]
    part_notes = [p.note for p in parts if p.status in ("unsourced", "partly", "contradicted")]
    label: str

    primary_against = [s for s, _ in conflicts if _is_primary(s, ctx)]
    if conflicts and (not supporters or primary_against):
        label = "contradicted"
        for s, what in conflicts[:MAX_EVIDENCE]:
            reasons.append(f"{s.label or s.origin} says otherwise: {what}")
        evidence += [_evidence(s, "contradicts", ctx) for s, _ in conflicts[:MAX_EVIDENCE]]
        evidence += [_evidence(s, "supports", ctx) for s in _by_origin(supporters, ctx)[:2]]
        if supporters:
            failures.append("contest-dropped")
    elif not_confirmed and draft_certain:
        # The sources say it is not confirmed; the draft says it is (or states it as fact).
        label = "contradicted"
        failures.append("certainty-upgraded")
        who = not_confirmed[0].label or not_confirmed[0].origin
        reasons.append(f"certainty upgraded: {who} says this has not been confirmed")
        if cause:
            reasons.append(cause)
            failures.append("cause-unsourced")
        evidence += [_evidence(s, "not-confirmed", ctx) for s in not_confirmed[:MAX_EVIDENCE]]
        evidence += [_evidence(s, "partly", ctx) for s in _by_origin(supporters, ctx)[:2]]
        if supporters and speech and not _speaker_among(v, supporters):
            failures.append("attribution-changed")
            reasons.append(_attribution_note(v, _by_origin(supporters, ctx)))
    elif supporters:
        label = "supported"
        ordered = _by_origin(supporters, ctx)
        # The statement itself is sourced; its parts (the date, a number) are judged apart.
        parts.insert(0, Part("statement", v.text, v.content, "sourced", _support_note(ordered)))
        evidence += [_evidence(s, "supports", ctx) for s in ordered[:MAX_EVIDENCE]]
        if conflicts:
            label = "partly-supported"
            failures.append("contest-dropped")
            one_each = list({s.origin: (s, what) for s, what in reversed(conflicts)}.values())
            sides = "; ".join(f"{s.label or s.origin}: {what}" for s, what in one_each[:2])
            reasons.append(
                f"the sources disagree and the draft states one side as settled ({sides})"
            )
            # Both sides within the cited evidence: two for, then the other side.
            evidence = evidence[:2] + [_evidence(s, "contradicts", ctx) for s, _ in one_each[:2]]
        if cause:
            label = "partly-supported"
            failures.append("cause-unsourced")
            reasons.append(cause)
        mismatch, clash = _literal_numbers(v, ordered)
        content_gap = bool(conflicts or not_confirmed or cause or mismatch or clash or part_notes)
        if clash:
            # "fallen 4m barrels" where the sentence that states it says "1m".
            label = "contradicted"
            reasons.insert(0, clash)
            evidence = [replace(ev, relation="contradicts") for ev in evidence]
        elif mismatch:
            label = "partly-supported"
            reasons.append(mismatch)
        if part_notes and label != "contradicted":
            label = "partly-supported"
            reasons += part_notes
        if draft_flat and label != "contradicted":
            reason, failure = _certainty_dropped(v, ordered, ctx, future=not draft_asserts)
            if reason:
                label = "partly-supported"
                failures.append(failure)
                reasons.append(reason)
            caveat = _caveat_dropped(ordered, ctx)
            if caveat is not None and label != "contradicted":
                label = "partly-supported"
                failures.append("caveat-dropped")
                reasons.append(f"the sources add a caveat the draft leaves out: {caveat.text!r}")
                evidence.append(caveat)
        att = _attribution_check(v, ordered) if speech else ""
        if att:
            label = "partly-supported" if label != "contradicted" else label
            failures.append("attribution-changed")
            reasons.append(att)
        if label == "supported":
            reasons.insert(0, _support_note(ordered))
            statuses = {ctx.status(s) for s in ordered}
            if (
                len({s.origin for s in ordered}) == 1
                and not any(_is_primary(s, ctx) for s in ordered)
                and not statuses & {"confirmed", "corroborated", "contested"}
            ):
                reasons.append("single source: no independent origin confirms it")
    elif combined and (not speech or _speaker_among(v, combined)):
        # Stated across several source sentences ("X met Y in Z." + "The meeting was the
        # first ..."): supported when every name, number and date is there too.
        label = "partly-supported" if part_notes else "supported"
        reasons.append(
            f"stated across {len(combined)} source sentences: "
            + "; ".join(repr(_short(c.text, 80)) for c in combined)
        )
        reasons += part_notes
        mismatch, clash = _literal_numbers(v, combined)
        if mismatch or clash:
            label = "partly-supported"
            reasons.append(mismatch or clash)
        evidence += [_evidence(c, "supports", ctx) for c in combined]
    elif contained or partial:
        label = "partly-supported"
        near = contained + [s for _, s in sorted(partial, key=lambda cs: (-cs[0], cs[1].idx))]
        best = _by_origin(near[:MAX_EVIDENCE], ctx)
        reasons.append(
            "the sources state part of it: " + "; ".join(repr(_short(s.text)) for s in best[:2])
        )
        reasons += part_notes
        if speech and not _speaker_among(v, best):
            failures.append("attribution-changed")
            reasons.append(_attribution_note(v, best))
        evidence += [_evidence(s, "partly", ctx) for s in best]
    else:
        label = "unsupported"
        reasons += [p.note for p in unsourced] or []
        if speech:
            failures.append("attribution-invented")
            reasons.insert(0, f"attribution invented: no source has {v.claim.speaker} saying this")
        found = list(dict.fromkeys(p.text for p in parts if p.status == "sourced"))
        if found and not unsourced:
            # Every detail is real, the statement made of them is not: padding that reuses the
            # story's names and dates ("since June 3 the alliance has treated Kyiv as ...").
            shown = ", ".join(repr(t) for t in found[:4])
            reasons.append(f"no source states this; only its details are ({shown})")
        elif not reasons or not unsourced:
            reasons.append("no source states this")
        closest = _nearest(v, ctx)
        if closest is not None:
            evidence.append(_evidence(closest, "nearest", ctx))
    if ctx.judge is not None and label in ("unsupported", "partly-supported") and not unsourced:
        label, reasons, evidence = _ask_judge(v, ctx, label, reasons, evidence, contained, partial)
    # Supported iff support >= 0.5: a partly supported claim is not supported, however much
    # of it the sources give (that share orders partly supported claims below 0.5).
    support = {"supported": 1.0, "partly-supported": 0.25}.get(label, 0.0)
    certainty_only = set(failures) <= {
        "hedge-dropped",
        "attribution-dropped",
        "attribution-changed",
    }
    if label == "partly-supported" and supporters and certainty_only and not content_gap:
        # All of the content is stated; only how firmly, or by whom, differs.
        support = 0.75
    elif label == "partly-supported" and parts:
        sourced = sum(1 for p in parts if p.status == "sourced")
        support = 0.25 + 0.2 * sourced / len(parts)
    return (
        ClaimCheck(
            claim_id=v.claim.id,
            span=v.claim.span,
            text=v.claim.text,
            label=label,
            reasons=tuple(dict.fromkeys(r for r in reasons if r)),
            failures=tuple(dict.fromkeys(failures)),
            parts=tuple(parts),
            evidence=unique_spans(evidence),
            support=support,
        ),
        related,
    )


_DIGITS = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\w.])\d+(?:\.\d+)?")


def _number_values(text: str) -> list[tuple[str, float]]:
    return [(t, x) for t, x, _ in _figures(text, 0, ())]


def _literal_numbers(v: ClaimView, supporters: Sequence[ClaimView]) -> tuple[str, str]:
    """Every figure written in the draft claim must be in a source claim that states it.

    The quantity stage reads most numbers, but not every one ("a breakneck 12.1%"), and a
    figure found elsewhere in the sources does not back this sentence. Returns (a partly
    note, a contradiction note); both empty when every figure is there.
    """
    mine = _figures(v.text, v.content[0], v.claim.dates)
    if not mine:
        return "", ""
    best = supporters[0]
    theirs: set[float] = set()
    for s in supporters:
        theirs |= {x for _, x in _number_values(s.doc.text[s.claim.span[0] : s.claim.span[1]])}
        for q in s.claim.quantities:
            for x in (q.value, q.low, q.high):
                if x is not None:
                    theirs |= {x, x / 1e3, x / 1e6, x / 1e9}
    absent = [
        (t, in_date)
        for t, x, in_date in mine
        if not any(abs(x - y) <= 1e-9 * max(1.0, abs(y)) for y in theirs)
    ]
    missing = [t for t, _ in absent]
    if not missing:
        return "", ""
    own = {x for _, x, _ in mine}
    start = best.claim.span[0]
    best_figures = _figures(best.doc.text[start : best.claim.span[1]], start, best.claim.dates)
    # Like against like: a year or day of a date is contradicted by another date's, not by
    # "135-pound" ("April 9, 2011" against "135-pound fighters ... on April 9").
    kinds = {in_date for _, in_date in absent}
    others = [t for t, x, in_date in best_figures if x not in own and in_date in kinds]
    if others and len(best_figures) <= len(mine) + 1:
        return "", (
            f"{best.label or best.origin} gives {', '.join(others)} where the draft gives "
            f"{', '.join(missing)}"
        )
    # A figure the sentence leaves out but its article gives ("married in December 2012":
    # the article's dateline or another sentence) is in the source, if not in that sentence.
    docs_text = {s.doc.id: s.doc.text for s in supporters}
    missing = [t for t in missing if not any(_has_number(t, text) for text in docs_text.values())]
    if not missing:
        return "", ""
    return f"the sources that state this do not give {', '.join(missing)}", ""


def _figures(text: str, offset: int, dates: Sequence[DateMention]) -> list[tuple[str, float, bool]]:
    """The figures of ``text`` (which starts at ``offset`` in its document), each with whether
    it is part of a date or time (a duration's figure is not: "jailed for 10 years")."""
    spans = [d.span for d in dates if d.type in ("DATE", "TIME")]
    return [
        (
            m.group(0),
            float(m.group(0).replace(",", "")),
            any(a <= offset + m.start() < b for a, b in spans),
        )
        for m in _DIGITS.finditer(text)
    ]


def _figure_pattern(token: str) -> re.Pattern[str]:
    """``token`` as a whole figure: not part of a longer number or word."""
    return re.compile(rf"(?<![\w.,]){re.escape(token)}(?![\w]|[.,]\d)")


def _has_number(token: str, text: str) -> bool:
    return _figure_pattern(token).search(text) is not None


#: Several source claims together stating this share of a draft claim's weighted content
#: (names, events, numbers and words) support it.
COMBINED_COVER = 0.7


def _combined_support(v: ClaimView, ctx: _Context) -> list[ClaimView]:
    """Up to three claims of one source document that together state the draft claim.

    Greedy, each adding at least a sixth of the claim's weight; empty unless they reach
    ``COMBINED_COVER`` and name all of its events. One document only: sentences picked from
    several articles share words, not a statement (a draft sentence invented against fifty
    business articles finds "outlook", "sector" and "analysts" somewhere).
    """
    if v.weight <= 0 or len(v.features) < 3:
        return []
    by_doc: dict[str, list[ClaimView]] = defaultdict(list)
    for s in ctx.candidates(v):
        if s.modality not in ("not-confirmed", "denied", "call"):
            by_doc[s.doc.id].append(s)
    best: tuple[float, list[ClaimView]] = (0.0, [])
    for pool in by_doc.values():
        covered_share, chosen = _greedy_cover(v, pool)
        if covered_share > best[0]:
            best = (covered_share, chosen)
    share, chosen = best
    if share < COMBINED_COVER or not chosen:
        return []
    covered = {f for c in chosen for f in c.features}
    if {f for f in v.features if f.startswith("v:")} - covered:
        return []
    return chosen


def _greedy_cover(v: ClaimView, pool: Sequence[ClaimView]) -> tuple[float, list[ClaimView]]:
    chosen: list[ClaimView] = []
    covered: set[str] = set()
    total = 0.0
    while len(chosen) < 3:
        pick, gain = None, 0.0
        for s in pool:
            if s in chosen:
                continue
            g = sum(w for f, w in v.features.items() if f in s.features and f not in covered)
            if g > gain:
                pick, gain = s, g
        if pick is None or gain / v.weight < 1 / 6:
            break
        chosen.append(pick)
        covered |= {f for f in v.features if f in pick.features}
        total += gain
    return total / v.weight, chosen


def _specific_overlap(v: ClaimView, s: ClaimView) -> bool:
    """A partial match must share something specific (a name, number, date, ordinal or an
    event), not only common words ("as a result", "turning point")."""
    if v.events and s.events and not v.events & s.events:
        return False
    shared = v.raw_features & s.raw_features
    return any(f[0] in "eqdov" for f in shared)


def _number_clash(v: ClaimView, s: ClaimView) -> str:
    for qa in v.quantities:
        for qb in s.quantities:
            if qa.whole or qb.whole or qa.kind != qb.kind or qa.kind == "ordinal":
                continue
            same_slot = (qa.unit is not None and qa.unit == qb.unit) or (
                qa.event is not None and qa.event == qb.event
            )
            if same_slot and quantities_disjoint(qa.q, qb.q):
                return f"number {qb.q.text!r} against {qa.q.text!r}"
    return ""


def _short(text: str, width: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _conflict_note(slot: tuple[str, str, str, str]) -> str:
    kind, a, b, note = slot
    if kind == "polarity":
        return note or "the opposite"
    return f"{kind} {_short(b, 60)!r} against {_short(a, 60)!r}" + (f" ({note})" if note else "")


def _is_primary(v: ClaimView, ctx: _Context) -> bool:
    return (
        bool(v.is_primary_self or (v.in_own_statement and v.party)) or ctx.status(v) == "confirmed"
    )


def _support_note(ordered: Sequence[ClaimView]) -> str:
    origins = list(dict.fromkeys(s.label or s.origin for s in ordered))
    if len(origins) == 1:
        return f"stated by {origins[0]}"
    return f"stated by {len(origins)} sources: " + ", ".join(origins[:4])


def _certainty_dropped(
    v: ClaimView, ordered: Sequence[ClaimView], ctx: _Context, *, future: bool = False
) -> tuple[str, str]:
    """A hedge or an attribution the draft drops: every supporting source hedges it, or it
    rests on one non-primary named origin. ``future``: the draft's own claim is a plain
    future ("will release"), compared like a fact about the future."""
    if all(s.modality == "hedged" for s in ordered):
        return (
            f"hedge dropped: {ordered[0].label or ordered[0].origin} only says it "
            "is likely or possible; the draft states it as fact",
            "hedge-dropped",
        )
    if not future and all(s.modality == "future" for s in ordered):
        return (
            "the sources say it was planned or expected; the draft states it as done",
            "hedge-dropped",
        )
    # Only the sources that state all of it count: "is set to visit" backs the visit in
    # "visited ... and declared a period of mourning", not the mourning.
    whole = [s for s in ordered if cover_of(v, s) >= WHOLE_COVER] or list(ordered)
    origins = {s.origin for s in whole}
    if (
        len(origins) == 1
        and not any(_is_primary(s, ctx) for s in ordered)
        and not ({ctx.status(s) for s in whole} & {"confirmed", "corroborated"})
        and all(s.claim.speaker or s.claim.via for s in whole)
    ):
        who = whole[0].label or whole[0].origin
        return (
            f"attribution dropped: only {who} says so; the draft states it as fact",
            "attribution-dropped",
        )
    return "", ""


def _caveat_dropped(ordered: Sequence[ClaimView], ctx: _Context) -> Evidence | None:
    for s in ordered:
        f = ctx.finding_of.get(s.claim.id)
        if f is not None and f.caveats:
            c = f.caveats[0]
            return Evidence(c.doc_id, c.span, c.text, "qualifies", c.claim_id, status=f.status)
    return None


def _cause_check(v: ClaimView, ctx: _Context) -> str:
    """When the draft gives a cause, a source must give it as a cause too."""
    m = _CAUSAL.search(v.text)
    if m is None:
        return ""
    marker = m.group(0).lower()
    if marker.startswith(
        ("cause", "caused", "causing", "led", "leading", "resulted", "triggered", "sparked")
    ):
        phrase = v.text[: m.start()]  # "weeks of heavy rain caused ..."
        phrase = re.sub(r"^\s*(?:that|how|whether)\s+", "", phrase)
    else:
        phrase = re.split(r"[,;.]", v.text[m.end() :], maxsplit=1)[0]  # "because of X, ..."
    words = _content_stems(phrase)
    if not words:
        return ""
    for s in ctx.views:
        if not _CAUSAL.search(s.text) and not re.search(r"\b(?:pushed|blamed)\b", s.text):
            continue
        have = _content_stems(s.text)
        if len(words & have) >= max(1, round(0.6 * len(words))):
            return ""
    shown = " ".join(phrase.split())
    return f"no source gives {shown!r} as the cause"


def _content_stems(text: str) -> frozenset[str]:
    return frozenset(content_stems(text))


def _speaker_names(text: str) -> frozenset[str]:
    words = {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'’\-]+", text)}
    return frozenset(w for w in words if w not in _SPEAKER_FILLER)


def _speaker_among(v: ClaimView, sources: Sequence[ClaimView]) -> bool:
    speaker = v.claim.speaker or ""
    mine = _speaker_names(speaker)
    for s in sources:
        for name in (s.claim.speaker, s.speaker_label, s.label, s.doc.publisher, *s.claim.via):
            if not name:
                continue
            if same_name(speaker, name) or (mine and mine <= _speaker_names(name)):
                return True
            if (
                mine & _speaker_names(name) - _SPEAKER_FILLER
                and canonical_key(speaker)
                and (canonical_key(speaker) == canonical_key(name))
            ):
                return True
    return False


def _attribution_note(v: ClaimView, sources: Sequence[ClaimView]) -> str:
    theirs = list(dict.fromkeys(s.label or s.origin for s in sources))[:3]
    return (
        f"attribution changed: the draft attributes this to {v.claim.speaker}; "
        f"the sources attribute it to {', '.join(theirs)}"
    )


def _attribution_check(v: ClaimView, ordered: Sequence[ClaimView]) -> str:
    if not v.claim.speaker or _speaker_among(v, ordered):
        return ""
    return _attribution_note(v, ordered)


def _nearest(v: ClaimView, ctx: _Context) -> ClaimView | None:
    best: tuple[float, int] | None = None
    for s in ctx.candidates(v)[:20]:
        c = cover_of(v, s)
        if c >= 0.3 and (best is None or c > best[0]):
            best = (c, s.idx)
    if best is None:
        return None
    return next(s for s in ctx.views if s.idx == best[1])


def _ask_judge(
    v: ClaimView,
    ctx: _Context,
    label: str,
    reasons: list[str],
    evidence: list[Evidence],
    contained: Sequence[ClaimView],
    partial: Sequence[tuple[float, ClaimView]],
) -> tuple[str, list[str], list[Evidence]]:
    assert ctx.judge is not None
    near = list(contained) + [s for _, s in sorted(partial, key=lambda cs: -cs[0])]
    if not near:
        n = _nearest(v, ctx)
        near = [n] if n is not None else []
    if not near:
        return label, reasons, evidence
    texts = [s.doc.text[s.claim.span[0] : s.claim.span[1]] for s in near[:5]]
    verdict = ctx.judge.judge(v.claim.text, texts)
    note = f"judge {ctx.judge.name}: {verdict.label}" + (
        f" ({verdict.reason})" if verdict.reason else ""
    )
    if verdict.label == "supported":
        return "supported", [note], [_evidence(s, "supports", ctx) for s in near[:MAX_EVIDENCE]]
    if verdict.label == "contradicted":
        return (
            "contradicted",
            [note],
            [_evidence(s, "contradicts", ctx) for s in near[:MAX_EVIDENCE]],
        )
    return label, [*reasons, note], evidence


# --- the parts audit ----------------------------------------------------------------------------


def _parts(v: ClaimView, ctx: _Context) -> list[Part]:
    """Each number, date, name, place and ordinal of the claim's content, looked up in all
    the source text on its own."""
    parts: list[Part] = []
    for q in v.quantities:
        if not _vague_number(q.q):
            parts.append(_number_part(q.q, ctx, _word_before(v.doc.text, q.q.span[0])))
    for o in v.ordinals:
        parts.append(_ordinal_part(o.q, o.head, ctx))
    for w in v.dates:
        part = _date_part(w, ctx)
        if part is not None:
            parts.append(part)
    for e in v.entities:
        if e.label in _NAME_LABELS and e.key:
            parts.append(_name_part(e.text, e.key, e.label, e.span, ctx))
    return parts


def _plural(noun: str, value: float | None) -> str:
    if value == 1 or noun.endswith("s"):
        return noun
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


_NUMBER_WORDS = re.compile(
    r"\b(?:some|about|around|approximately|nearly|almost|roughly|over|under|more|less|fewer|"
    r"than|at|least|most|up|to|million|billion|thousand|hundred|dozen|and|a|an)\b|[\d.,%-]+",
    re.IGNORECASE,
)


def _number_text(q: Quantity) -> str:
    """How a number is named in a reason: "32 members", "some 180 million cubic metres"."""
    text = q.text
    if q.unit and q.kind == "count" and q.value is not None and re.fullmatch(r"[\d.,]+-\w+", text):
        shown = f"{q.value:g}" if q.value < 1e6 else f"{q.value:,.0f}"
        return f"{shown} {_plural(q.unit, q.value)}"
    if q.unit and not _NUMBER_WORDS.sub(" ", text).strip():
        return f"{text} {_plural(q.unit, q.value)}"  # "Fifteen" + people
    return text


def _unit_match(a: Quantity, b: Quantity) -> bool:
    if a.kind != b.kind:
        return False
    if a.unit is None or b.unit is None:
        return True
    ua, ub = a.unit.lower().rstrip("s"), b.unit.lower().rstrip("s")
    return ua == ub or ua in ub or ub in ua


def _number_part(q: Quantity, ctx: _Context, word_before: str) -> Part:
    """``word_before``: the draft's word before the number (it may be the noun counted)."""
    same_value = [(sq, d) for sq, d in ctx.facts.quantities if not quantities_disjoint(q, sq)]
    matched = [(sq, d) for sq, d in same_value if _unit_match(q, sq)]
    if matched:
        sq, d = matched[0]
        return Part("number", q.text, q.span, "sourced", f"{q.text!r} is in {d.id} ({sq.text!r})")
    written = _written_near(q, ctx, word_before)
    if written is not None:
        d, passage = written
        return Part("number", q.text, q.span, "sourced", f"{q.text!r} is in {d.id} ({passage!r})")
    return Part("number", q.text, q.span, "unsourced", f"no source mentions {_number_text(q)}")


#: How far (characters) from a figure the noun it counts may stand in a source for the two to
#: be taken together when the quantity stage did not read that source's figure.
_NEAR = 30


def _written_near(q: Quantity, ctx: _Context, word_before: str) -> tuple[Document, str] | None:
    """The figure of ``q`` written in a source next to the noun it goes with: "Council Position
    8" for "position 8", which the quantity stage reads as part of a name. Figures only (a
    number word is too common to count as evidence) of a count whose noun (``q.unit``, or the
    draft's word before the figure) is there too: a bare "8" somewhere in the sources does not
    source "8%" or "8 members"."""
    figures = [t for t, _ in _number_values(q.text)]
    noun = (q.unit or word_before).lower().rstrip("s")
    if len(figures) != 1 or not noun or q.kind != "count":
        return None
    pattern = _figure_pattern(figures[0])
    for d, low in ctx.facts.texts:
        for m in pattern.finditer(low):
            a, b = max(0, m.start() - _NEAR), m.end() + _NEAR
            if noun in low[a:b]:
                return d, " ".join(d.text[a:b].split())
    return None


def _word_before(text: str, end: int) -> str:
    """The content word right before ``end`` ("position" in "the at-large position 8")."""
    m = re.search(r"([A-Za-z]{3,})\s+$", text[max(0, end - 40) : end])
    return m.group(1) if m and m.group(1).lower() not in STOP_WORDS else ""


def _vague_number(q: Quantity) -> bool:
    """ "one thing is clear", "one of the": a number word that counts nothing checkable."""
    return q.value == 1 and (q.unit or "").lower() in ("", "thing", "way", "another", "other")


def _ordinal_part(q: Quantity, head: str | None, ctx: _Context) -> Part:
    for sq, d in ctx.facts.ordinals:
        if sq.value == q.value and (head is None or sq.unit is None or stem(sq.unit) == head):
            return Part(
                "ordinal", q.text, q.span, "sourced", f"{q.text!r} is in {d.id} ({sq.text!r})"
            )
    # "first appearance" is read with its noun; "the second in a row" without one.
    has_noun = q.unit and q.text.lower().rstrip("s").endswith(q.unit.lower().rstrip("s"))
    noun = f" {q.unit}" if q.unit and not has_noun else ""
    return Part("ordinal", q.text, q.span, "unsourced", f"no source says {q.text}{noun}")


def _date_part(w: Any, ctx: _Context) -> Part | None:
    m = w.mention
    if not m.value or not _SPECIFIC_DATE.match(m.value):
        return None
    text = m.text
    weekday = _WEEKDAY_RE.search(text)
    if m.weekday_ok is False:
        return Part(
            "date", text, m.span, "contradicted", f"{text!r}: the weekday does not match the date"
        )
    exact, month_day = None, None
    for sw, d in ctx.facts.dates:
        if sw.month_day is not None and w.month_day is None and not w.day_level:
            continue  # "1949" is not sourced by a year-less "June 3"
        if dates_overlap(w, sw):
            if sw.month_day is None or w.month_day is not None:
                exact = exact or (sw, d)
            else:
                month_day = month_day or (sw, d)
    if exact is not None:
        sw, d = exact
        note = f"{text!r} is in {d.id} ({sw.mention.text!r})"
        if weekday and not _WEEKDAY_RE.search(sw.mention.text) and sw.start is None:
            return Part("date", text, m.span, "partly", note + "; the weekday is not")
        return Part("date", text, m.span, "sourced", note)
    if month_day is not None:
        sw, d = month_day
        missing = ["the year " + (w.start.strftime("%Y") if w.start else "")]
        if weekday:
            missing.append(f"the weekday ({weekday.group(1)})")
        return Part(
            "date",
            text,
            m.span,
            "partly",
            f"the date {sw.mention.text!r} is in the sources ({d.id}); "
            + " and ".join(x.strip() for x in missing)
            + (" are" if len(missing) > 1 else " is")
            + " not",
        )
    return Part("date", text, m.span, "unsourced", f"no source mentions {text}")


def _name_part(text: str, key: str, label: str, span: Span, ctx: _Context) -> Part:
    kind = "place" if label in _PLACE_LABELS else "name"
    hit = ctx.facts.entity_keys.get(_norm_key(key))
    if hit is not None:
        return Part(kind, text, span, "sourced", f"{text!r} is in {hit[0].id} ({hit[2]!r})")
    needle = re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.IGNORECASE).lower()
    if label == "NORP" and len(needle) > 5:
        needle = needle[: max(4, len(needle) - 3)]  # "Ukrainian" is sourced by "Ukraine"
    for d, low in ctx.facts.texts:
        if needle and needle in low:
            return Part(kind, text, span, "sourced", f"{text!r} is in {d.id}")
    flat = _flatten(needle)  # "African-Americans" is sourced by "African Americans"
    for d, low in ctx.facts.flat():
        if flat and flat in low:
            return Part(kind, text, span, "sourced", f"{text!r} is in {d.id}")
    # A longer form of a name the sources give ("the Canadian Senior Men's National Team" /
    # "the Senior Men's National Team"): its last word and most of its words in one source.
    words = [w for w in _name_words(needle) if w not in _NAME_FILLER]
    if len(words) >= 2:
        for d, low in ctx.facts.texts:
            have = set(_name_words(low))
            found = sum(1 for w in words if w in have or (len(w) > 5 and w[:-3] in have))
            if words[-1] in have and found >= max(2, round(0.7 * len(words))):
                return Part(kind, text, span, "sourced", f"most of {text!r} is in {d.id}")
    return Part(kind, text, span, "unsourced", f"no source mentions {text}")


_HYPHENS = re.compile(r"\s*[-\u2010\u2011\u2012\u2013\u2014]\s*|\s+")


def _flatten(text: str) -> str:
    """Hyphens and dashes as spaces, runs of white space as one."""
    return _HYPHENS.sub(" ", text)


_NAME_FILLER = frozenset({"the", "of", "and", "for", "in", "on", "at", "a", "an", "de", "la"})


def _name_words(text: str) -> list[str]:
    return [
        w.removesuffix("'s").removesuffix("’s") for w in re.findall(r"[a-z0-9][a-z0-9'’.-]*", text)
    ]


def _check_uncheckable(claim: Claim, ctx: _Context) -> ClaimCheck:
    """A claim with nothing to check on its own (framing, filler, a heading) — unless it
    carries a number, date, ordinal or name that no source gives: padding that invents a
    detail is still an invented detail."""
    parts: list[Part] = []
    skipped = ("addresses the reader", "no verb: a heading or fragment", "a question")
    if not any(r in skipped for r in claim.reasons):
        for q in claim.quantities:
            if q.kind == "ordinal" or _vague_number(q):
                continue
            before = _word_before(claim.text, q.span[0] - claim.span[0])
            parts.append(_number_part(q, ctx, before))
        for dm in claim.dates:
            if dm.value and dm.type in ("DATE", "TIME") and _SPECIFIC_DATE.match(dm.value):
                w = parse_when(dm)
                part = _date_part(w, ctx) if w is not None else None
                if part is not None:
                    parts.append(part)
        for e in claim.entities:
            if e.label in _NAME_LABELS and e.key:
                parts.append(_name_part(e.text, e.key, e.label, e.span, ctx))
    unsourced = [p for p in parts if p.status in ("unsourced", "contradicted")]
    if unsourced:
        return ClaimCheck(
            claim_id=claim.id,
            span=claim.span,
            text=claim.text,
            label="unsupported",
            reasons=tuple(p.note for p in unsourced),
            parts=tuple(parts),
        )
    why = ", ".join(claim.reasons) or "no checkable claim"
    return ClaimCheck(
        claim_id=claim.id,
        span=claim.span,
        text=claim.text,
        label="not-checkable",
        reasons=(f"not checkable: {why}",),
        parts=tuple(parts),
        support=1.0,
    )


# --- sentences and omissions --------------------------------------------------------------------


def _sentence(index: int, span: Span, text: str, claims: Sequence[ClaimCheck]) -> SentenceCheck:
    checked = [c for c in claims if c.label != "not-checkable"]
    if not checked:
        reasons = tuple(dict.fromkeys(r for c in claims for r in c.reasons)) or (
            "not checkable: no claim",
        )
        return SentenceCheck(index, span, text, "not-checkable", reasons, (), tuple(claims))
    labels = {c.label for c in checked}
    if "contradicted" in labels:
        label = "contradicted"
    elif labels == {"supported"}:
        label = "supported"
    elif labels == {"unsupported"}:
        label = "unsupported"
    else:
        label = "partly-supported"
    reasons = tuple(dict.fromkeys(r for c in checked for r in c.reasons))
    evidence = unique_spans(ev for c in checked for ev in c.evidence)
    return SentenceCheck(index, span, text, label, reasons, evidence, tuple(claims))


def _omissions(
    ctx: _Context, draft_views: Sequence[ClaimView], touched: set[int]
) -> tuple[Omission, ...]:
    """Key unconfirmed and contested findings no draft claim touches."""
    assert ctx.findings is not None
    view_of = {v.claim.id: v for v in ctx.views}
    out: list[Omission] = []
    covered: list[ClaimView] = []
    for f in ctx.findings.findings:
        if f.status not in ("unconfirmed", "contested"):
            continue
        members = [view_of[c] for c in f.claim_ids if c in view_of]
        if not members or any(m.idx in touched for m in members):
            continue
        if any(cover_of(m, d) >= PARTIAL_COVER for m in members for d in draft_views):
            continue
        rep = members[0]
        if any(cover_of(rep, c) >= 0.6 and cover_of(c, rep) >= 0.6 for c in covered):
            continue  # the same caveat repeated (a key-facts box and the body)
        covered.append(rep)
        if f.status == "unconfirmed":
            reason = "the sources say this is not confirmed; the draft never mentions it"
        else:
            slots = ", ".join(sorted({c.slot for c in f.conflicts})) or "it"
            reason = f"the sources disagree on {slots}; the draft never mentions it"
        evidence = [
            _evidence(m, "not-confirmed" if f.status == "unconfirmed" else "contradicts", ctx)
            for m in members[:MAX_EVIDENCE]
        ]
        evidence += [
            _evidence(view_of[c.claim_id], "contradicts", ctx)
            for c in f.contradicting
            if c.claim_id in view_of
        ][:2]
        out.append(Omission(f.status, f.text, reason, f.id, unique_spans(evidence)))
    return tuple(out)


# --- grounding scores (factdesk bench grounding) ------------------------------------------------


def ground_pairs(pairs: Sequence[tuple[str, str]], *, nlp: Any = None) -> list[float]:
    """A support score in [0, 1] for each (claim text, source text) pair: the least supported
    checkable claim of the text decides (1 = every checkable claim stated by the source).

    Texts are analysed once each (sources shared by several claims are parsed once).
    """
    from factdesk.pipeline.runner import analyze
    from factdesk.records import RawDocument

    texts = list(dict.fromkeys([t for pair in pairs for t in pair]))
    raws = [RawDocument(text=t, source=f"grounding:{i}") for i, t in enumerate(texts)]
    analysed = {}
    for t, d in zip(
        texts, analyze(raws, nlp=nlp) if nlp is not None else analyze(raws), strict=True
    ):
        analysed[t] = d
    scores: list[float] = []
    for claim_text, source_text in pairs:
        draft, source = analysed[claim_text], analysed[source_text]
        report = check_documents(draft, [source], omissions=False)
        claims = [c for s in report.sentences for c in s.claims]
        checked = [c for c in claims if c.label != "not-checkable"]
        if not checked:
            scores.append(_lexical_support(draft.text, source.text))
            continue
        scores.append(min(c.support for c in checked))
    return scores


def _lexical_support(claim: str, source: str) -> float:
    """Share of a text's content words that the source contains (for claims with nothing
    the rules can check: the grounding score needs a number for every pair)."""
    words = content_stems(claim)
    if not words:
        return 1.0
    have = set(content_stems(source))
    return sum(1 for w in words if w in have) / len(words)


# --- output -------------------------------------------------------------------------------------


def _evidence_json(ev: Evidence) -> dict[str, Any]:
    return {
        "doc": ev.doc_id,
        "span": list(ev.span),
        "text": ev.text,
        "relation": ev.relation,
        "claim": ev.claim_id,
        "who": ev.who,
        "status": ev.status,
    }


def _part_json(p: Part) -> dict[str, Any]:
    return {
        "kind": p.kind,
        "text": p.text,
        "span": list(p.span),
        "status": p.status,
        "note": p.note,
    }


def check_json(report: CheckReport) -> dict[str, Any]:
    """The report as one JSON document (the ``--json`` output and the API body)."""
    d = report.draft
    return {
        "draft": {"id": d.id, "source": d.source, "title": d.title, "text": d.text},
        "against": list(report.against),
        "sources": [
            {
                "doc": s.id,
                "title": s.title,
                "publisher": s.publisher,
                "published": s.published.isoformat() if s.published else None,
            }
            for s in report.sources
        ],
        "judge": report.judge,
        "summary": report.summary,
        "failures": report.failures,
        "sentences": [
            {
                "index": s.index,
                "span": list(s.span),
                "text": s.text,
                "label": s.label,
                "reasons": list(s.reasons),
                "evidence": [_evidence_json(ev) for ev in s.evidence],
                "claims": [
                    {
                        "claim": c.claim_id,
                        "span": list(c.span),
                        "text": c.text,
                        "label": c.label,
                        "reasons": list(c.reasons),
                        "failures": list(c.failures),
                        "parts": [_part_json(p) for p in c.parts],
                        "evidence": [_evidence_json(ev) for ev in c.evidence],
                    }
                    for c in s.claims
                ],
            }
            for s in report.sentences
        ],
        "omissions": [
            {
                "kind": o.kind,
                "status": o.kind,
                "text": o.text,
                "reason": o.reason,
                "finding": o.finding_id,
                "evidence": [_evidence_json(ev) for ev in o.evidence],
            }
            for o in report.omissions
        ],
        "exit_code": report.exit_code,
    }


_MARK = {
    "supported": "SUPPORTED",
    "partly-supported": "PARTLY",
    "unsupported": "UNSUPPORTED",
    "contradicted": "CONTRADICTED",
    "not-checkable": "NOT CHECKABLE",
}


def _cite(ev: Evidence) -> str:
    return f"{ev.doc_id}[{ev.span[0]}:{ev.span[1]}]"


def check_lines(report: CheckReport) -> list[str]:
    """Plain-text lines for the terminal (the caller makes them terminal-safe)."""
    s = report.summary
    lines = [
        f"draft {report.draft.id} against {len(report.sources)} source(s): "
        + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in s.items()),
        "",
    ]
    for sent in report.sentences:
        lines.append(f"[{_MARK[sent.label]}] {_short(sent.text, 150)}")
        for r in sent.reasons[:4]:
            lines.append(f"    - {r}")
        for ev in sent.evidence[:3]:
            lines.append(f"    {ev.relation}: {_cite(ev)} {_short(ev.text, 110)}")
    if report.omissions:
        lines += ["", "Caveats of the sources the draft leaves out:"]
        for o in report.omissions:
            cites = ", ".join(_cite(ev) for ev in o.evidence[:3])
            lines.append(f"  [{o.kind.upper()}] {_short(o.text, 130)} ({cites})")
    lines += ["", "exit code " + str(report.exit_code)]
    return lines


def check_markdown(report: CheckReport) -> str:
    s = report.summary
    out = [
        f"# Draft check: {md_escape(report.draft.title or report.draft.source)}",
        "",
        " · ".join(f"**{v}** {k.replace('_', ' ')}" for k, v in s.items()),
        "",
    ]
    for sent in report.sentences:
        out.append(f"- **{_MARK[sent.label]}** {md_escape(sent.text)}")
        for r in sent.reasons[:5]:
            out.append(f"  - {md_escape(r)}")
        for ev in sent.evidence[:3]:
            out.append(f"  - {ev.relation}: `{_cite(ev)}` {md_escape(_short(ev.text, 160))}")
    if report.omissions:
        out += ["", "## Caveats the draft leaves out", ""]
        for o in report.omissions:
            cites = ", ".join(f"`{_cite(ev)}`" for ev in o.evidence[:3])
            out.append(f"- **{o.kind}** {md_escape(o.text)} ({cites}): {md_escape(o.reason)}")
    out += ["", f"Exit code {report.exit_code}.", ""]
    return "\n".join(out)


_CSS = """
:root{--ink:#1d1d1f;
--muted:#5f6368;
--line:#d9d9de;
--bg:#fbfbf8;
--sup:#0072b2;
--part:#e69f00;
--uns:#cc79a7;
--con:#d55e00;
--nc:#8a8a8a}
*{box-sizing:border-box}
body{font:16px/1.6 Georgia,'Times New Roman',serif;color:var(--ink);background:var(--bg);
margin:0}
header,main{max-width:1180px;margin:0 auto;padding:1.2rem 1.5rem}
h1{font:600 1.5rem/1.3 system-ui,sans-serif;margin:.2rem 0}
h2{font:600 1.1rem system-ui,sans-serif;margin:1.6rem 0 .6rem}
.summary,.legend{font:14px system-ui,sans-serif;color:var(--muted);display:flex;flex-wrap:wrap;
gap:.4rem 1.1rem}
.row{display:grid;grid-template-columns:minmax(0,1.1fr) minmax(0,1fr);gap:1.4rem;
border-top:1px solid var(--line);padding:.8rem 0}
.s{padding:.1rem .3rem;border-left:5px solid var(--nc)}
.s.supported{border-color:var(--sup)}
.s.partly-supported{border-color:var(--part);
border-left-style:double}
.s.unsupported{border-color:var(--uns);border-left-style:dashed}
.s.contradicted{border-color:var(--con);border-left-width:8px}
.tag{font:600 11px system-ui,sans-serif;letter-spacing:.04em;text-transform:uppercase;
padding:.1rem .4rem;border-radius:3px;color:#fff;background:var(--nc);white-space:nowrap}
.tag.supported{background:var(--sup)}
.tag.partly-supported{background:var(--part);color:#1d1d1f}
.tag.unsupported{background:var(--uns);color:#1d1d1f}
.tag.contradicted{background:var(--con)}
.side{font:14px/1.5 system-ui,sans-serif}
.side ul{margin:.2rem 0;padding-left:1.1rem}
.ev{margin:.3rem 0;padding:.3rem .5rem;background:#fff;border:1px solid var(--line);
border-radius:4px}
.ev .rel{font-weight:600}
code{font-size:12px;color:var(--muted)}
.omit{border-left:5px solid var(--part);padding:.3rem .7rem;margin:.5rem 0;background:#fff}
@media (max-width:800px){.row{grid-template-columns:1fr}}
"""


def check_html(report: CheckReport) -> str:
    """A standalone HTML report: the draft sentence by sentence beside its evidence.

    Every piece of draft and source text is escaped and the page allows no script at all
    (Content-Security-Policy ``default-src 'none'``)."""
    e = html.escape
    s = report.summary
    rows: list[str] = []
    for sent in report.sentences:
        reasons = "".join(f"<li>{e(r)}</li>" for r in sent.reasons[:6])
        evs = "".join(
            f'<div class="ev"><span class="rel">{e(ev.relation)}</span> '
            f"<code>{e(_cite(ev))}</code> {e(ev.who)}<br>{e(_short(ev.text, 300))}</div>"
            for ev in sent.evidence[:MAX_EVIDENCE]
        )
        rows.append(
            f'<div class="row" id="s{sent.index}"><div class="s {e(sent.label)}">'
            f'<span class="tag {e(sent.label)}">{e(sent.label)}</span> {e(sent.text)}</div>'
            f'<div class="side"><ul>{reasons}</ul>{evs}</div></div>'
        )
    omissions = "".join(
        f'<div class="omit"><span class="tag partly-supported">{e(o.kind)}</span> {e(o.text)}'
        f"<br><small>{e(o.reason)} · "
        + ", ".join(f"<code>{e(_cite(ev))}</code>" for ev in o.evidence[:3])
        + "</small></div>"
        for o in report.omissions
    )
    legend = "".join(f'<span><span class="tag {k}">{k}</span></span>' for k in LABELS)
    title = e(report.draft.title or report.draft.source)
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src 'none'\">"
        "<meta name=viewport content='width=device-width,initial-scale=1'>"
        f"<title>Draft check: {title}</title>"
        f"<style>{_CSS}</style></head><body><header><h1>Draft check: {title}</h1>"
        '<div class="summary">'
        + "".join(f"<span><b>{v}</b> {e(k.replace('_', ' '))}</span>" for k, v in s.items())
        + f"<span>exit code <b>{report.exit_code}</b></span></div>"
        f'<div class="legend">{legend}</div></header><main>'
        + ("<h2>Caveats the draft leaves out</h2>" + omissions if omissions else "")
        + "<h2>Sentence by sentence</h2>"
        + "".join(rows)
        + "</main></body></html>"
    )
