"""The desk's records: plain frozen dataclasses that every stage reads and writes.

Every record that came out of a text carries half-open character offsets ``(start, end)`` into
``Document.text`` and, where a stage produced it, the versioned stage name (``produced_by``) so
stored data can be traced to the code that made it.

This module is a leaf: it imports nothing else from factdesk.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

Span = tuple[int, int]
"""A half-open ``[start, end)`` character range into ``Document.text``."""

#: Modalities a claim can carry, strongest commitment first.
MODALITIES = ("asserted", "reported", "hedged", "denied", "not-confirmed", "future", "call")
#: How the content of an attribution is rendered.
QUOTE_KINDS = ("direct", "indirect", "none")


def content_id(text: str) -> str:
    """Return the id of a document's text: the first 16 hex digits of its SHA-256.

    Whitespace is normalised first so that the same article re-fetched with different line
    endings or trailing blanks is recognised as the same content.
    """
    normal = " ".join(text.split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True, kw_only=True)
class RawDocument:
    """What a reader produced from one input, before analysis.

    ``published`` is timezone-aware or None (unknown; never guessed). ``source`` names the
    input it came from (a path, URL or ``feed-url#entry``) for error messages and provenance.
    """

    text: str
    source: str
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    byline: str | None = None
    published: datetime | None = None
    fmt: str = "text"  # text | markdown | html | feed | jsonl | url

    @property
    def id(self) -> str:
        return content_id(self.text)


@dataclass(frozen=True, slots=True, kw_only=True)
class Sentence:
    """One sentence of a document; ``index`` is its position in the document."""

    index: int
    span: Span
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Entity:
    """A named entity (or a resolved descriptor such as "the alliance").

    ``key`` is a canonical, case-folded key so that "NATO", "the North Atlantic Treaty
    Organization" and "the alliance" (when it refers to NATO in that document) meet.
    """

    span: Span
    text: str
    label: str  # spaCy label: ORG, GPE, PERSON, NORP, LOC, FAC, EVENT, ...
    key: str
    produced_by: str = "entities.v1"


@dataclass(frozen=True, slots=True, kw_only=True)
class DateMention:
    """A temporal expression, normalised TIMEX3-style against the publication date.

    ``value`` examples: ``2026-06-03``, ``2026-11-27/2026-11-29`` (a range), ``2026-W23``,
    ``2026-06``, ``XXXX-11-27`` (year unknown), ``PRESENT_REF``, ``P2D`` (a duration).
    ``None`` means the expression was found but could not be resolved; ``note`` says why.
    ``ambiguous`` is True whenever any part of the value was not determined by the text and
    the publication date (for example an unknown year). ``weekday_ok`` is None when no weekday
    was stated, else whether the stated weekday matches the resolved date.
    """

    span: Span
    text: str
    value: str | None
    type: str = "DATE"  # DATE | TIME | DURATION | SET
    ambiguous: bool = False
    weekday_ok: bool | None = None
    anchor: str | None = None  # what a relative expression is anchored to, e.g. "publication"
    note: str | None = None
    produced_by: str = "dates.v1"


@dataclass(frozen=True, slots=True, kw_only=True)
class Quantity:
    """A number with its bounds and the noun it counts.

    ``low``/``high`` are inclusive bounds (None = unbounded); for counts of whole things an
    exclusive bound becomes the next integer ("more than 20 people" -> low 21, high None).
    ``value`` is the number as written when there is a single one.
    ``kind``: count | percent | money | ordinal | measure.
    """

    span: Span
    text: str
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    kind: str = "count"
    approximate: bool = False
    produced_by: str = "quantities.v1"


@dataclass(frozen=True, slots=True, kw_only=True)
class Attribution:
    """Who a piece of content is attributed to, and through whom.

    ``speaker`` is the original source as written (None = the outlet itself). ``via`` is the
    ordered chain of intermediaries from the one nearest the speaker outwards
    ("TASS, citing the ministry's press service" -> speaker "the ministry's press service",
    via ("TASS",)); the document's outlet is implicitly the last link and is appended by the
    claim stage, not here.
    """

    speaker: str | None
    speaker_key: str | None
    speaker_span: Span | None
    cue: str | None
    cue_span: Span | None
    content_span: Span
    quote: str = "indirect"  # direct | indirect | none
    via: tuple[str, ...] = ()
    via_spans: tuple[Span, ...] = ()
    produced_by: str = "attributions.v1"


@dataclass(frozen=True, slots=True, kw_only=True)
class Claim:
    """A checkable (or explicitly not checkable) statement in one document.

    ``speaker`` None means the outlet asserts it itself. ``via`` ends with the document's
    outlet when it is known. ``checkable`` is False for opinion, framing and filler.
    """

    id: str
    doc_id: str
    span: Span
    text: str
    sentence_index: int
    checkable: bool
    modality: str
    speaker: str | None = None
    speaker_key: str | None = None
    cue: str | None = None
    via: tuple[str, ...] = ()
    quote: str = "none"
    negated: bool = False
    entities: tuple[Entity, ...] = ()
    dates: tuple[DateMention, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    reasons: tuple[str, ...] = ()  # why modality/checkability came out as it did
    produced_by: str = "claims.v1"


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """An ingested, analysed document. ``id`` is the content hash of ``text``."""

    id: str
    text: str
    source: str
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    byline: str | None = None
    published: datetime | None = None
    fmt: str = "text"
    language: str = "en"
    # "ok" when analysed; "unsupported-language" when stored but not analysed.
    analysis_status: str = "ok"
    sentences: tuple[Sentence, ...] = ()
    entities: tuple[Entity, ...] = ()
    dates: tuple[DateMention, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    attributions: tuple[Attribution, ...] = ()
    claims: tuple[Claim, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """The result of one input in a batch: ``ok``, ``skipped`` (with reason) or ``failed``."""

    source: str
    status: str  # ok | skipped | failed
    doc_id: str | None = None
    reason: str | None = None
    code: str | None = None  # error code slug for failures
    title: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RunSummary:
    """Counts for one ``add`` run, plus every outcome in input order."""

    outcomes: tuple[Outcome, ...] = field(default_factory=tuple)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)


# --- Stories and findings (cross-document) ---------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Story:
    """Documents about one event. ``label`` is extractive (a headline or key claim).

    ``dates`` are TIMEX3 values of what the documents are about (not when they were
    published); ``entities`` are canonical keys, most central first.
    """

    id: str
    label: str
    doc_ids: tuple[str, ...]
    entities: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    produced_by: str = "stories.v1"


@dataclass(frozen=True, slots=True, kw_only=True)
class Citation:
    """A pointer to the exact source text: document id and half-open span."""

    doc_id: str
    span: Span
    claim_id: str | None = None
    text: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Conflict:
    """Sources disagree on one slot of a claim group.

    ``slot``: number | date | place | actor | polarity | ordinal. ``sides`` pairs each value
    as written with the citations that state it.
    """

    slot: str
    values: tuple[str, ...]
    sides: tuple[tuple[Citation, ...], ...]
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CopyRelation:
    """``doc_id`` reproduces ``copy_of`` (near-duplicate text or a shared wire credit)."""

    doc_id: str
    copy_of: str
    similarity: float
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One claim group of a story with its evidence and status.

    ``status``: confirmed (its primary party says so) · corroborated (≥2 independent origins)
    · single-source · contested (independent origins conflict) · unconfirmed (a source says
    it is not confirmed or not verified). ``origins`` are the independent origin keys (a
    speaker at the end of a via chain, else the outlet; copies collapse into one). ``who``
    keeps the who-said-it with the status, e.g. "reported by The Kyiv Independent; not
    independently verified". ``text`` is the representative claim's text (extractive).
    ``caveats`` cite the sources' own "not confirmed / not verified" remarks about the group.
    """

    id: str
    story_id: str
    text: str
    status: str
    modality: str
    claim_ids: tuple[str, ...]
    representative: Citation
    origins: tuple[str, ...]
    supporting: tuple[Citation, ...] = ()
    contradicting: tuple[Citation, ...] = ()
    silent: tuple[str, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    who: str = ""
    # Statements in the sources that qualify this group without supporting or denying it
    # ("The claim could not be independently verified"); the draft check reports a caveat
    # of the sources that a draft leaves out.
    caveats: tuple[Citation, ...] = ()
    reasons: tuple[str, ...] = ()
    produced_by: str = "compare.v1"


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryFindings:
    """Everything ``compare`` concluded about one story."""

    story_id: str
    findings: tuple[Finding, ...]
    copies: tuple[CopyRelation, ...] = ()
    # doc id -> its origin key when the document as a whole relays another (wire copy)
    document_origins: tuple[tuple[str, str], ...] = ()
    produced_by: str = "compare.v1"
