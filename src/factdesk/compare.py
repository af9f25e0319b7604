"""Compare the documents of one story: copies, claim alignment, origins, conflicts and status.

:func:`compare_story` takes the analysed documents of one story and returns
:class:`~factdesk.records.StoryFindings`. It is deterministic (same input, same output, in
any input order of equal documents) and every citation it writes points at a document id and
an exact half-open span of that document's text.

How it works
------------
1. **Copies.** Documents whose word 3-gram sets have a Jaccard similarity of at least
   ``COPY_THRESHOLD`` (0.6) are near-duplicates. ../shared/DEPENDENCIES.md measured MinHash
   LSH at 0.6-0.7; on the project's fixtures an outlet re-running a wire story with a few
   words changed scores 0.71-0.88 and unrelated articles on the same event stay below 0.1,
   so the low end of that range is safe and catches heavier rewrites. Texts under about 30
   words are never compared this way (one-line flashes of one fact look alike by chance).
   Small stories use the exact Jaccard; above ``EXACT_COPY_LIMIT`` documents ``datasketch``
   MinHash LSH (128 permutations, fixed seed) proposes the pairs and the exact Jaccard
   confirms them. A wire credit in a dateline or sign-off ("HAVELSTAD (NPA) —", "(Reuters)",
   "— AP", "(Reporting by Meridian Wire)") that names another document's publisher, or that
   two outlets share, also makes a copy ("Reporting by <person>" links copies but never
   names the outlet). Each copy cluster has one original: the credited agency's own
   document, else the earliest published (unknown dates last). A cluster is one outlet.
2. **Claim views.** Each checkable claim (plus explicit "not confirmed" statements and
   denials, and future items and calls that only lack an anchor) is reduced to its content:
   the attribution frame (speaker, cue, via chain, dateline) is cut off with the
   attribution's ``content_span``, so a date in "told reporters on Thursday" or a rival's
   figure ("a higher toll than the figure of 15 given by ...") is not the claim's own. The
   content becomes features: entity keys, word stems, event classes from a short curated
   table (killed/died/dead/death toll -> one class), quantity slots, ordinals, days. Each
   number is tied to the nearest event word ("15 people were killed"); "of the 40 wagons"
   and "a 40-member council" describe a whole and count no event.
3. **Candidates.** An inverted index over the features proposes pairs of claims from
   different documents that share two keys; a key held by more than ``POSTING_CAP_DOCS``
   claims per document is skipped, as a stop word would be. With a ``vectors`` function the
   ``VECTOR_NEIGHBOURS`` nearest claims by cosine are added. No all-pairs loop runs.
4. **Decision.** Each candidate pair is compared explicitly, in this order: modality (a call
   only matches a call; a denial against a statement of what it denies is a polarity
   conflict; "not confirmed" qualifies a statement and never supports it), ordinals with
   their qualifiers ("first ... held in Kyiv" and "first ... at minister level" are two
   different firsts, not a conflict; "first" and "second" of the same thing conflict),
   contrary events (took place / postponed, raised / cut), numbers (the same event counted
   in the same unit, intervals that do not overlap: "at least 21" vs "15"; "about 50" and
   "48" agree), dates (resolved values that do not overlap; a ``XXXX-MM-DD`` takes its year
   from a story-mate stating the same month-day, and the reasons say where it came from),
   places and actors (conservative: see their docstrings), negation. Only then does the
   similarity decide: two claims are the *same* when they name the same events, give the
   same counts and share most of their weighted features (Dice >= ``SAME_DICE``, or a lower
   bar when a number or day agrees, or when the vectors say paraphrase); a claim *supports*
   a shorter one when it contains most of it (``SUPPORT_COVER``) and states its numbers.
   Vector similarity lowers the lexical bar but never overrides a conflict: MiniLM calls
   "raised rates half a point" and "cut a quarter point" the same (0.84).
5. **Groups.** "Same" pairs merge greedily, strongest first; a group takes one claim per
   document (unless the wording is all but identical: a key-facts box repeating the body)
   and never two claims that conflict. Support does not merge groups, so a long sentence
   giving the toll and the flooding supports both without chaining them. Groups joined by a
   conflict become one finding with sides; groups that agree against the same opponent
   ("fifteen bodies", "15 people had died" vs "at least 21") share a side.
6. **Origins and status.** A claim's origin is its speaker at the end of the via chain, else
   its outlet (a copy takes its original's origin). Indefinite speakers ("a hospital
   spokeswoman", "officials") are scoped to their outlet: two outlets' "officials" cannot be
   told apart. Speaker keys naming one party merge ("Dorn" / "Havelstad mayor Anselm Dorn",
   "the operator Westhollow Rail Freight" / the publisher Westhollow Rail Freight). Status,
   first that applies: contested (independent origins on different sides) · confirmed (a
   primary party says so) · corroborated (>= 2 independent origins) · unconfirmed (the
   content is only ever stated as not confirmed) · single-source. Caveats pointing back at a
   claim ("The claim could not be independently verified", "Those casualty figures ...")
   are kept in ``Finding.caveats`` and in ``who``; "X denied the report" joins the sides.

The primary party of a claim is its party (the speaker, or the publisher for the own-voice
claims of a party's own statement) when the story's text makes that party the actor: its
name is inside an entity the group's claims talk about (NATO for "the NATO-Ukraine Council
meeting"), it speaks in the first person or names itself in its own statement ("Estmark
Hydro confirms ..."), or an attribution frame in the story calls it the operator, owner or
organiser ("the dam's operator, Estmark Hydro").
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from factdesk.pipeline.entities import canonical_key
from factdesk.records import (
    Attribution,
    Citation,
    Claim,
    Conflict,
    CopyRelation,
    DateMention,
    Document,
    Entity,
    Finding,
    Quantity,
    Span,
    StoryFindings,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "COPY_THRESHOLD",
    "PRODUCED_BY",
    "VectorFunction",
    "compare_story",
    "find_copies",
]

PRODUCED_BY = "compare.v1"

VectorFunction = Callable[[Sequence[str]], "npt.NDArray[np.floating]"]
"""Texts -> an ``(n, d)`` array of L2-normalised sentence vectors (``factdesk.vectors.embed``)."""

# --- thresholds -------------------------------------------------------------------------------
# The alignment thresholds were tuned together on the example story, tests/data/stories and
# the seeds, and must be re-checked together (tests/test_compare.py pins the outcomes).

#: Word n-gram size for near-duplicate detection.
COPY_SHINGLE = 3
#: Jaccard similarity of shingle sets from which two documents are copies (see module doc).
COPY_THRESHOLD = 0.6
#: Up to this many documents the exact Jaccard of every pair is cheap (< 10 ms for 60).
EXACT_COPY_LIMIT = 60
MINHASH_PERMUTATIONS = 128
#: Texts shorter than this many shingles (about 30 words) are never near-duplicates: two
#: outlets' one-line flashes of the same fact look alike by chance.
MIN_COPY_SHINGLES = 30

#: Dice similarity (weighted features) from which two claims state the same thing.
SAME_DICE = 0.5
#: A longer paraphrase naming more events is the same claim when it contains this much of
#: the shorter one.
SAME_COVER = 0.8
#: With a number or a day both state compatibly, this Dice suffices.
SAME_FLOOR = 0.3
#: A claim needs this many features to be aligned at all, and a pair must share this many
#: (or all of the smaller claim's): a bare "Ukraine" or a heading aligns with everything.
MIN_FEATURES = 2
MIN_SHARED = 3
#: Containment of the shorter claim needed before numbers, dates, places or actors of the two
#: claims can conflict: they must be about the same thing apart from the disputed value.
CONFLICT_COVER = 0.5
#: Numbers counting the same event in the same unit need less shared wording.
NUMBER_COVER = 0.3
#: Containment of a denial (or a "not confirmed" statement) by the statement it answers.
DENIAL_COVER = 0.6
CAVEAT_COVER = 0.8
#: Containment from which a claim that says more (a long sentence stating the toll and the
#: flooding) also supports a shorter claim's group.
SUPPORT_COVER = 0.6
#: Cosine (MiniLM) from which a pair counts as a paraphrase when some features also agree.
VECTOR_SAME = 0.72
#: ... with at least this much of the shorter claim's features shared.
VECTOR_COVER = 0.4
VECTOR_NEIGHBOURS = 8
#: A feature held by more than this many claims per document of the story (or by more than
#: ``POSTING_CAP_MIN``, whichever is larger) does not propose candidates: like a stop word it
#: is everywhere. It is still scored. A candidate pair must share ``MIN_BLOCKING`` keys.
POSTING_CAP_MIN = 32
POSTING_CAP_DOCS = 2
MIN_BLOCKING = 2
#: A speaker key longer than this is a parsing accident, not a name to merge others into.
MAX_NAME_TOKENS = 6
#: Two groups that share a document still merge when a pair between them is this similar:
#: a key-facts box repeating the body, an outlet's own repeat of a wire sentence.
REPEAT_DICE = 0.8
#: Sentences back that an anaphoric caveat or denial ("The claim could not be verified") may
#: reach for the claim it qualifies.
ANAPHOR_WINDOW = 3

# --- word tables --------------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]|\d+(?:[.,]\d+)*")

_STOP_WORDS = """a an the and or but nor so yet of in on at to for from by with without into
    onto upon about above after before below between during over under through across against along
    among around behind beside beyond near off out up down since until till via per than
    as is are was were be been being am do does did done doing have has had having will
    would shall should can could may might must ought this that these those it its it's
    they them their theirs he him his she her hers we us our ours you your i me my
    who whom whose which what when where why how whether if then there here also only
    just still even very more most less least much many some any all each every both
    either neither no not nor own same such other another too again further once
    s t said say says saying told tell tells telling added adds according reported report
    reports reporting reporter reporters statement statements confirmed confirms confirm
    announced announces stated states cited citing quoted spokesman spokeswoman
    spokesperson spokespeople official officials source sources news agency press
    mr mrs ms dr yesterday today tomorrow monday tuesday wednesday thursday friday
    saturday sunday january february march april may june july august september october
    november december jan feb mar apr jun jul aug sep sept oct nov dec week weeks month
    months year years day days morning afternoon evening night tonight
    one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy
    eighty ninety hundred hundreds thousand thousands million millions billion dozen
    dozens first second third fourth fifth inaugural last next percent per cent
    least at nearly almost around roughly some approximately over under up more than
    later earlier early late new old because due"""
_STOP = frozenset(_STOP_WORDS.split())
_NUMBER_WORD = re.compile(r"^\d|^(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-")

#: Event classes: words and phrases that state the same kind of event. A short, curated table
#: of very common news predicates; anything domain-specific belongs in a data file.
_EVENT_WORDS: dict[str, tuple[str, ...]] = {
    "die": ("kill", "killed", "killing", "kills", "die", "died", "dies", "dead", "death",
            "deaths", "fatality", "fatalities", "toll", "body", "bodies", "perish",
            "perished", "lives lost"),
    "injure": ("injure", "injured", "injuries", "injury", "wounded", "wounding", "hurt"),
    "missing": ("missing", "unaccounted"),
    "evacuate": ("evacuate", "evacuated", "evacuation", "evacuations", "displaced",
                 "leave their homes", "left their homes", "forced from their homes",
                 "fled their homes"),
    "rescue": ("rescue", "rescued", "rescues"),
    "arrest": ("arrest", "arrested", "arrests", "detained", "detain"),
    "strike": ("strike", "strikes", "striking", "strikers", "walked off the job",
               "walk off the job", "stopped work", "stop work"),
    "derail": ("derail", "derailed", "derails", "derailment", "left the track",
               "off the rails"),
    "fail": ("fail", "failed", "fails", "failure", "gave way", "give way", "gives way",
             "collapse", "collapsed", "collapses", "breach", "breached", "burst"),
    "flood": ("flood", "flooded", "floods", "flooding", "floodwater", "inundated"),
    "meet": ("meet", "meets", "meeting", "meetings", "met", "convene", "convened", "gather",
             "gathered", "session", "summit"),
    "talks": ("talks", "negotiation", "negotiations", "negotiators", "negotiate"),
    "visit": ("visit", "visited", "visits", "visiting"),
    "walkout": ("walked out", "walk out", "walks out", "left the room", "left the table",
                "walkout"),
    "occur": ("took place", "take place", "takes place", "went ahead", "was held",
              "were held", "carried out"),
    "postpone": ("postpone", "postponed", "postpones", "delayed", "cancel", "cancelled",
                 "canceled", "called off", "pushed back"),
    "raise": ("raise", "raised", "raises", "increase", "increased", "hike", "hiked"),
    "cut": ("cut", "cuts", "lowered", "reduce", "reduced", "decrease", "decreased"),
    "treat": ("treat", "treated", "treating"),
    "deploy": ("deploy", "deployed", "deploys"),
    "reopen": ("reopen", "reopens", "reopened", "stay closed until", "remain closed until"),
    "resume": ("resume", "resumes", "resumed"),
}  # fmt: skip
#: Pairs of event classes that contradict each other about the same thing.
_CONTRARY = frozenset({frozenset({"occur", "postpone"}), frozenset({"raise", "cut"})})

_PHRASES: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
_SINGLE: dict[str, str] = {}
for _cls, _words in _EVENT_WORDS.items():
    for _w in _words:
        _parts = tuple(_w.split())
        if len(_parts) == 1:
            _SINGLE[_parts[0]] = _cls
        else:
            _PHRASES[_parts[0]].append((_parts, _cls))
for _first in _PHRASES:
    _PHRASES[_first].sort(key=lambda p: -len(p[0]))

#: Nouns for people in general; counts of them are one unit ("3,400 workers" vs "2,100
#: employees"). Subsets (children, soldiers) keep their own unit.
_PERSON_UNITS = frozenset(
    {"person", "people", "persons", "resident", "inhabitant", "civilian", "individual",
     "body", "neighbour", "neighbor", "worker", "employee", "member", "docker",
     "dockworker", "man", "men", "victim", "passenger"}
)  # fmt: skip
_TIME_UNITS = frozenset(
    {"day", "week", "month", "year", "time", "quarter", "half", "hour", "minute", "round",
     "term", "decade", "century", "season"}
)  # fmt: skip

_FIRST_PERSON = frozenset({"we", "our", "us", "i", "my", "me", "ours"})
_PRONOUNS = frozenset({"he", "she", "they", "it", "him", "her", "them", "his", "its", "their"})
_INDEFINITE = frozenset(
    {"a", "an", "one", "two", "three", "four", "five", "several", "some", "many", "few",
     "unnamed", "anonymous", "various", "other", "others", "numerous", "multiple"}
)  # fmt: skip
#: Words that say nothing about which organisation or person speaks.
_GENERIC_NAME = frozenset(
    {"official", "officials", "spokesman", "spokeswoman", "spokesperson", "source", "sources",
     "minister", "ministry", "police", "government", "service", "press", "office",
     "authority", "authorities", "department", "agency", "council", "committee", "company",
     "operator", "representative", "director", "chief", "head", "leader", "group",
     "statement", "residents", "witnesses", "engineers", "experts", "analysts", "people",
     "city", "state", "national", "regional", "local", "public", "foreign", "interior",
     "general", "secretary", "president", "mayor", "party", "union", "board"}
)  # fmt: skip
_NAME_NOISE = frozenset({"the", "of", "s", "a", "an", "and", "for", "at", "on", "in"})
#: A frame naming the speaker by one of these roles makes the speaker a primary party.
_OWNER_ROLE = re.compile(
    r"\b(?:operator|owner|organi[sz]ers?|manufacturer|carrier|airline|landlord|developer)\b",
    re.IGNORECASE,
)
_FIRST_PERSON_RE = re.compile(r"\b(?:we|our|us|ours)\b", re.IGNORECASE)

#: Anaphoric caveats and denials: "The claim could not be verified", "denied the report".
_ANAPHOR = re.compile(
    r"^\W*(?:that\s+)?(?:the|this|that|these|those|such)\s+(?:[\w\-]+\s+){0,2}?"
    r"(?P<noun>claims?|reports?|accounts?|allegations?|figures?|numbers?|toll|statements?|"
    r"announcement|offer|deal|agreement|story|stories|assertions?|"
    r"accusations?|footage|videos?|photos?|images?|rumou?rs?)\b(?![^.;]*\b(?:that|whether)\b)",
    re.IGNORECASE,
)
_GENERIC_ANAPHOR_NOUNS = frozenset(
    {"claim", "claims", "report", "reports", "account", "accounts", "allegation",
     "allegations", "story", "stories", "assertion", "assertions", "rumour", "rumours",
     "rumor", "rumors", "statement", "statements"}
)  # fmt: skip
#: "denies reports (circulating on social media) that X" -> the denied content is X.
_DENIED_OBJECT = re.compile(
    r"^\W*(?:the\s+)?(?:reports?|claims?|allegations?|suggestions?|accusations?|rumou?rs?)"
    r"\b[^.;]*?\bthat\s+",
    re.IGNORECASE,
)
_PRONOUN_SUBJECT = re.compile(r"^\W*(?:that\s+)?(?:it|they|we|he|she)\b", re.IGNORECASE)
_VERIFIED_WORDING = re.compile(r"independent|verif", re.IGNORECASE)

# Wire credits.
_DATELINE = re.compile(
    r"^[ \t]*[A-Z][A-Z .'’\-]{2,}(?:,[^()\n]{0,60})?\s*\((?P<credit>[^()\n]{2,60})\)\s*[—–-]",
    re.MULTILINE,
)
_SIGN_OFF = re.compile(
    r"^[ \t]*(?:\((?P<paren>[^()\n]{2,80})\)|[—–]{1,2}[ \t]*(?P<dash>[A-Z][\w .&'’\-]{1,60}?))"
    r"[ \t]*$",
    re.MULTILINE,
)
_REPORTING_BY = re.compile(r"^\s*reporting by\s+", re.IGNORECASE)


# --- small records ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Credit:
    text: str
    span: Span
    dateline: bool
    byline: bool = False  # "Reporting by <name>": links copies, never names an outlet


@dataclass(frozen=True, slots=True)
class _Qty:
    q: Quantity
    unit: str | None  # normalised unit class
    kind: str
    event: str | None = None  # the event class nearest to the number ("15 people died")
    whole: bool = False  # "of the 40 wagons", "of a 40-wagon train": a total, not the count


@dataclass(frozen=True, slots=True)
class _Ordinal:
    q: Quantity
    value: float
    head: str | None
    qualifiers: frozenset[str]


@dataclass(frozen=True, slots=True)
class _When:
    mention: DateMention
    value: str  # the value compared (year filled in from a story-mate when it was unknown)
    start: date | None
    end: date | None
    month_day: tuple[tuple[int, int], tuple[int, int]] | None  # when the year is unknown
    day_level: bool
    provenance: str | None = None


@dataclass(slots=True)
class _View:
    """One claim as the comparison sees it."""

    idx: int
    claim: Claim
    doc: Document
    doc_pos: int
    content: Span
    text: str
    frame: str
    kind: str = "claim"  # claim | caveat-ref | denial-ref
    anaphor_noun: str | None = None
    entities: tuple[Entity, ...] = ()
    entity_keys: frozenset[str] = frozenset()
    events: frozenset[str] = frozenset()
    stems: frozenset[str] = frozenset()
    quantities: tuple[_Qty, ...] = ()
    ordinals: tuple[_Ordinal, ...] = ()
    dates: tuple[_When, ...] = ()
    event_starts: dict[str, int] = field(default_factory=dict)  # event -> first offset
    raw_features: frozenset[str] = frozenset()
    features: dict[str, float] = field(default_factory=dict)
    weight: float = 0.0
    origin: str = ""
    party: str | None = None
    speaker_label: str | None = None
    label: str = ""
    is_primary_self: bool = False  # primary by its own statement (not group dependent)
    in_own_statement: bool = False  # the party's own document, own voice or its spokespeople

    @property
    def polarity(self) -> int:
        return -1 if self.claim.modality == "denied" else 1

    @property
    def modality(self) -> str:
        return self.claim.modality


@dataclass(frozen=True, slots=True)
class _Relation:
    kind: str  # same | support | conflict | caveat
    score: float
    slots: tuple[tuple[str, str, str, str], ...] = ()  # (slot, value a, value b, note)
    supported: int | None = None  # for "support": the claim whose content the other states


# --- entry point --------------------------------------------------------------------------------


def compare_story(
    documents: Sequence[Document],
    *,
    story_id: str,
    vectors: VectorFunction | None = None,
) -> StoryFindings:
    """Align the claims of one story's documents and decide each group's status.

    Args:
        documents: the analysed documents of the story, in any order (the result is ordered
            by publication date, unknown dates last, then document id). Documents that were
            not analysed (``analysis_status != "ok"``) count only for copies and ``silent``.
        story_id: recorded in every finding.
        vectors: optional sentence-vector function (``factdesk.vectors.embed``): texts ->
            L2-normalised rows. When given, nearest neighbours by cosine are added as
            candidates and a high cosine lowers the lexical bar for paraphrases; numbers,
            dates, negation and modality still decide.

    Returns:
        The findings (one per claim group, with sides when sources conflict), the copy
        relations between documents and the origin of each document that relays another.
    """
    docs = _story_order(documents)
    copies, outlet_of, outlet_label, document_origins = _copies_and_outlets(docs)
    views = _views(docs, outlet_of, outlet_label)
    relations = _relate_candidates(views, vectors)
    groups = _group(views, relations)
    findings = _findings(story_id, docs, views, groups, relations, copies)
    return StoryFindings(
        story_id=story_id,
        findings=findings,
        copies=copies,
        document_origins=document_origins,
        produced_by=PRODUCED_BY,
    )


def _views(
    docs: Sequence[Document], outlet_of: dict[str, str], outlet_label: dict[str, str]
) -> list[_View]:
    credits = {d.id: _credits(d.text) for d in docs}
    views = _build_views(docs, credits, outlet_of, outlet_label)
    _complete_years(views)
    _finish_features(views)
    return views


def claim_views(
    documents: Sequence[Document], *, year_donors: Sequence[_View] | None = None
) -> list[_View]:
    """The claim views of ``documents`` as :func:`compare_story` builds them (for the draft
    check): content cut from its attribution frame, features, origins. ``year_donors`` lend
    their years to dates of these views that have none. Indices restart at 0 per call; a
    caller combining several lists renumbers them and calls :func:`weigh_features` again."""
    docs = _story_order(documents)
    _, outlet_of, outlet_label, _ = _copies_and_outlets(docs)
    views = _views(docs, outlet_of, outlet_label)
    if year_donors is not None:
        _complete_years(views, donors=year_donors)
        _finish_features(views)
    return views


#: The relation of two claim views (``same`` / ``support`` / ``conflict`` / ``caveat``).
ClaimView = _View
Relation = _Relation


def relate(a: _View, b: _View, cos: float | None = None) -> _Relation | None:
    """What two claims of different documents are to each other (see :func:`_relate`)."""
    return _relate(a, b, cos)


def weigh_features(views: Sequence[_View]) -> None:
    """Recompute the idf-weighted features over ``views`` (after combining view lists)."""
    _finish_features(views)


def cover_of(a: _View, b: _View) -> float:
    """How much of ``a``'s weighted content ``b`` states (0-1)."""
    return _cover_of(a, b)


def blocking_keys(v: _View) -> frozenset[str]:
    """The features that propose candidate pairs for ``v``."""
    return _blocking_keys(v)


def parse_when(mention: DateMention) -> _When | None:
    """A date mention as a comparable interval (None when it has no usable value)."""
    return _parse_when(mention, mention.value) if mention.value else None


def dates_overlap(a: _When, b: _When) -> bool | None:
    """Whether two dates can be the same time; None when they cannot be compared."""
    return _overlap(a, b)


def content_stems(text: str) -> list[str]:
    """The stems of a text's content words, stop words left out, in order (with repeats)."""
    stems = (_stem(w) for w in _WORD.findall(text) if not _NUMBER_WORD.match(w.lower()))
    return [st for st in stems if len(st) > 1 and st not in _STOP]


def stem(word: str) -> str:
    """The light stemmer the comparison uses for words and ordinal heads."""
    return _stem(word)


def same_name(a: str, b: str) -> bool:
    """Whether two names name one party ("Dorn" / "Havelstad mayor Anselm Dorn")."""
    return _same_name(a, b)


def quantities_disjoint(a: Quantity, b: Quantity) -> bool:
    """Whether two numbers' intervals cannot both be true ("at least 21" vs "15")."""
    return _disjoint(a, b)


def _prepare(documents: Sequence[Document]) -> list[_View]:
    """The claim views of a story (for tests and diagnostics)."""
    docs = _story_order(documents)
    _, outlet_of, outlet_label, _ = _copies_and_outlets(docs)
    return _views(docs, outlet_of, outlet_label)


def _story_order(documents: Sequence[Document]) -> list[Document]:
    """Publication order (unknown dates last), ties by document id, so that the result does
    not depend on the order the documents were given in; duplicates dropped."""
    unique = {d.id: d for d in reversed(documents)}
    return sorted(
        unique.values(),
        key=lambda d: (
            d.published is None,
            d.published.timestamp() if d.published else 0.0,
            d.id,
        ),
    )


# --- 1. copies ------------------------------------------------------------------------------------


def _shingles(text: str) -> set[str]:
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < COPY_SHINGLE:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + COPY_SHINGLE]) for i in range(len(words) - COPY_SHINGLE + 1)}


def _jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _near_duplicates(docs: Sequence[Document]) -> dict[tuple[int, int], float]:
    """Pairs ``(i, j)``, ``i < j``, of near-duplicate documents with their exact Jaccard."""
    sets = [_shingles(d.text) for d in docs]
    pairs: Iterable[tuple[int, int]]
    if len(docs) <= EXACT_COPY_LIMIT:
        pairs = ((i, j) for i in range(len(docs)) for j in range(i + 1, len(docs)))
    else:
        pairs = _minhash_candidates(sets)
    out: dict[tuple[int, int], float] = {}
    for i, j in pairs:
        if min(len(sets[i]), len(sets[j])) < MIN_COPY_SHINGLES:
            continue  # two one-line reports of the same fact look alike by chance
        sim = _jaccard(sets[i], sets[j])
        if sim >= COPY_THRESHOLD:
            out[(i, j)] = sim
    return out


def _minhash_candidates(sets: Sequence[set[str]]) -> list[tuple[int, int]]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=COPY_THRESHOLD, num_perm=MINHASH_PERMUTATIONS)
    hashes = []
    for i, s in enumerate(sets):
        m = MinHash(num_perm=MINHASH_PERMUTATIONS, seed=1)
        m.update_batch([x.encode("utf-8") for x in sorted(s)])
        lsh.insert(str(i), m)
        hashes.append(m)
    pairs: set[tuple[int, int]] = set()
    for i, m in enumerate(hashes):
        for key in lsh.query(m):
            j = int(key)
            if j != i:
                pairs.add((min(i, j), max(i, j)))
    return sorted(pairs)


def _credits(text: str) -> list[_Credit]:
    """Wire credits in datelines and sign-off lines, with their spans."""
    found: list[_Credit] = []
    for m in _DATELINE.finditer(text):
        found.append(_Credit(m.group("credit").strip(), m.span(), True))
    first_line_end = text.find("\n")
    for m in _SIGN_OFF.finditer(text):
        if m.start() <= max(first_line_end, 0):
            continue  # a headline in parentheses is not a sign-off
        raw = (m.group("paren") or m.group("dash") or "").strip()
        byline = bool(_REPORTING_BY.match(raw))
        raw = _REPORTING_BY.sub("", raw)
        raw = re.split(r";|\bediting by\b|\bwriting by\b", raw, flags=re.IGNORECASE)[0].strip()
        if raw and len(raw.split()) <= 6:
            found.append(_Credit(raw, m.span(), False, byline))
    return found


def _name_tokens(key: str) -> frozenset[str]:
    return frozenset(t for t in re.findall(r"[a-z0-9]+", key.casefold()) if t not in _NAME_NOISE)


def _names_publisher(credit: str, publisher: str) -> bool:
    """Whether a credit ("NPA", "Lantern", "Meridian Wire") names ``publisher``."""
    ck, pk = canonical_key(credit), canonical_key(publisher)
    if not ck or not pk:
        return False
    if ck == pk:
        return True
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", publisher) if w[0].isupper())
    bare = re.sub(r"[.\s]", "", credit)
    if len(initials) >= 2 and bare == initials:
        return True
    ct, pt = _name_tokens(ck), _name_tokens(pk)
    return bool(ct) and ct <= pt


def find_copies(documents: Sequence[Document]) -> tuple[CopyRelation, ...]:
    """Copy relations among documents (near-duplicate text or a shared wire credit)."""
    return _copies_and_outlets(_story_order(documents))[0]


def _copies_and_outlets(
    docs: Sequence[Document],
) -> tuple[tuple[CopyRelation, ...], dict[str, str], dict[str, str], tuple[tuple[str, str], ...]]:
    """Copy relations, each document's outlet key and label, and relayed documents' origins."""
    n = len(docs)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    near = _near_duplicates(docs)
    for i, j in near:
        union(i, j)

    # Wire credits: which agency each document credits (not its own publisher). A credit
    # naming a publisher of the story wins over a byline ("Reporting by Anna Rell").
    publishers = [(i, d.publisher) for i, d in enumerate(docs) if d.publisher]
    credited: dict[int, tuple[str, str, int | None]] = {}  # doc -> (credit, agency key, doc)
    bylines: set[int] = set()
    for i, d in enumerate(docs):
        options: list[tuple[int, str, str, int | None]] = []
        for credit in _credits(d.text):
            if d.publisher and _names_publisher(credit.text, d.publisher):
                continue  # the agency's own dateline
            agency_doc = next(
                (
                    j
                    for j, p in publishers
                    if j != i and p != d.publisher and _names_publisher(credit.text, p)
                ),
                None,
            )
            if agency_doc is not None:
                options.append((0, credit.text, _outlet_key(docs[agency_doc]), agency_doc))
            elif canonical_key(credit.text):
                rank = 2 if credit.byline else 1
                options.append((rank, credit.text, canonical_key(credit.text), None))
        if options:
            rank, text, key, agency_doc = min(options, key=lambda o: o[0])
            credited[i] = (text, key, agency_doc)
            if rank == 2:
                bylines.add(i)
    by_agency: dict[str, list[int]] = defaultdict(list)
    for i, (_, key, agency_doc) in credited.items():
        if agency_doc is not None:
            union(i, agency_doc)
        else:
            by_agency[key].append(i)
    for members_ in by_agency.values():
        for a, b in zip(members_, members_[1:], strict=False):
            if docs[a].publisher != docs[b].publisher or docs[a].publisher is None:
                union(a, b)

    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        clusters[find(i)].append(i)

    copies: list[CopyRelation] = []
    outlet_of: dict[str, str] = {}
    outlet_label: dict[str, str] = {}
    origins: list[tuple[str, str]] = []
    for members in clusters.values():
        if len(members) == 1:
            i = members[0]
            d = docs[i]
            if i in credited and i not in bylines:
                text, key, _ = credited[i]
                outlet_of[d.id] = key
                outlet_label[d.id] = text
                origins.append((d.id, key))
            else:
                outlet_of[d.id] = _outlet_key(d)
                outlet_label[d.id] = _outlet_name(d)
            continue
        original = _original(docs, members, credited)
        agency_docs = {credited[m][2] for m in members if m in credited} - {None}
        loose = [
            credited[m]
            for m in sorted(members, key=lambda m: m in bylines)
            if m in credited and credited[m][2] is None
        ]
        if agency_docs or not loose or all(m in bylines for m in members if m in credited):
            key, label = _outlet_key(docs[original]), _outlet_name(docs[original])
        else:
            key, label = loose[0][1], loose[0][0]
        sets = {m: _shingles(docs[m].text) for m in members}
        for m in members:
            d = docs[m]
            outlet_of[d.id] = key
            outlet_label[d.id] = label
            if m == original:
                if key != _outlet_key(d):
                    origins.append((d.id, key))
                continue
            pair = (min(m, original), max(m, original))
            sim = near.get(pair, _jaccard(sets[m], sets[original]))
            reasons = []
            if pair in near:
                reasons.append(
                    f"near-duplicate text (Jaccard {sim:.2f} over word {COPY_SHINGLE}-grams)"
                )
            if m in credited:
                reasons.append(f"wire credit {credited[m][0]!r}")
            elif original in credited:
                reasons.append(f"shares the wire credit {credited[original][0]!r}")
            if not reasons:
                reasons.append("same copy cluster")
            copies.append(
                CopyRelation(
                    doc_id=d.id,
                    copy_of=docs[original].id,
                    similarity=round(sim, 4),
                    reason="; ".join(reasons),
                )
            )
            origins.append((d.id, key))
    position = {d.id: i for i, d in enumerate(docs)}
    copies.sort(key=lambda c: (position[c.copy_of], position[c.doc_id]))
    origins.sort(key=lambda o: position[o[0]])
    return tuple(copies), outlet_of, outlet_label, tuple(origins)


def _original(
    docs: Sequence[Document], members: list[int], credited: dict[int, tuple[str, str, int | None]]
) -> int:
    """The credited agency's own document, else the earliest published (docs are ordered)."""
    agency_docs = [credited[m][2] for m in members if m in credited]
    for a in agency_docs:
        if a is not None and a in members:
            return a
    return min(members)


def _outlet_key(doc: Document) -> str:
    if doc.publisher:
        return canonical_key(doc.publisher)
    return f"doc:{doc.id}"


def _outlet_name(doc: Document) -> str:
    if doc.publisher:
        return doc.publisher
    if doc.title:
        return f"“{doc.title}”"
    return f"document {doc.id}"


# --- 2. claim views -----------------------------------------------------------------------------


def _included(claim: Claim) -> bool:
    """Claims the comparison looks at: checkable ones, explicit verification statements
    and denials, and future items and calls that only lack an anchor."""
    excluded = ("addresses the reader", "a question", "no verb: a heading or fragment")
    if any(r in excluded for r in claim.reasons):
        return False
    if claim.checkable:
        return True
    if claim.modality in ("not-confirmed", "denied"):
        return True
    return claim.modality in ("future", "call") and (
        "no name, date or number to check" in claim.reasons
    )


def _governing(claim: Claim, attributions: Sequence[Attribution]) -> Attribution | None:
    """The attribution whose frame is this claim's (cue inside it, or content covering it)."""
    best: Attribution | None = None
    best_score = 0.0
    s, e = claim.span
    length = max(1, e - s)
    for a in attributions:
        overlap = max(0, min(a.content_span[1], e) - max(a.content_span[0], s))
        score = overlap / length
        if a.cue_span is not None and s <= a.cue_span[0] and a.cue_span[1] <= e:
            score += 1.0
        if score > best_score:
            best, best_score = a, score
    return best if best_score >= 0.5 else None


def _trim_span(text: str, s: int, e: int) -> Span:
    while s < e and not text[s].isalnum():
        s += 1
    while e > s and not text[e - 1].isalnum():
        e -= 1
    return s, e


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'-")
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith("sses"):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ations", "ation", "ions", "ion", "ing", "ed", "ly"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            w = w[: -len(suffix)]
            if suffix in ("ing", "ed") and len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]  # "planned" -> "plan"
            break
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    return w


def _event_and_stems(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """Event classes and remaining content stems of a text."""
    words = [w.lower().replace("’", "'") for w in _WORD.findall(text)]
    events: set[str] = set()
    stems: set[str] = set()
    i = 0
    while i < len(words):
        w = words[i]
        matched = False
        for parts, cls in _PHRASES.get(w, ()):
            if tuple(words[i : i + len(parts)]) == parts:
                events.add(cls)
                i += len(parts)
                matched = True
                break
        if matched:
            continue
        i += 1
        bare = w[:-2] if w.endswith("'s") else w
        single = _SINGLE.get(bare)
        if single is not None:
            events.add(single)
            continue
        if bare in _STOP or _NUMBER_WORD.match(bare) or len(bare) < 2:
            continue
        st = _stem(bare)
        single = _SINGLE.get(st)
        if single is not None:
            events.add(single)
        elif st and st not in _STOP:
            stems.add(st)
    return frozenset(events), frozenset(stems)


def _entity_key(key: str) -> str:
    """Entity key with hyphenated compounds ordered ("ukraine-nato" = "nato-ukraine")."""
    words = []
    for w in key.split():
        words.append("-".join(sorted(w.split("-"))) if "-" in w else w)
    return " ".join(words)


def _unit_class(q: Quantity) -> str | None:
    if q.unit is None:
        return None
    u = _stem(q.unit) if q.kind == "count" else q.unit
    if q.kind == "count" and (q.unit in _PERSON_UNITS or u in _PERSON_UNITS):
        return "person"
    if q.kind == "count" and u in ("body", "bodie"):
        return "person"
    return u


def _is_vague(speaker: str, speaker_span: Span | None, doc: Document) -> bool:
    """Indefinite or generic speakers ("a hospital spokeswoman", "officials", "residents")."""
    words = speaker.split()
    if not words:
        return True
    first = words[0].lower()
    if first in _INDEFINITE or first[0].isdigit():
        return True
    if first in ("the", "this", "that", "its", "their", "his", "her"):
        return False
    if speaker_span is not None and any(
        e.span[0] < speaker_span[1] and speaker_span[0] < e.span[1] for e in doc.entities
    ):
        return False
    if any(w[0].isupper() for w in words[1:]):
        return False
    return words[-1].lower().endswith("s") or words[0].lower().endswith("s")


def _build_views(
    docs: Sequence[Document],
    credits: dict[str, list[_Credit]],
    outlet_of: dict[str, str],
    outlet_label: dict[str, str],
) -> list[_View]:
    views: list[_View] = []
    self_published = {d.id: _is_self_published(d) for d in docs}
    for pos, doc in enumerate(docs):
        if doc.analysis_status != "ok":
            continue
        credit_spans = [c.span for c in credits.get(doc.id, [])]
        outlet = outlet_of[doc.id]
        for claim in doc.claims:
            if not _included(claim):
                continue
            s, e = claim.span
            if any(cs <= s and e <= ce for cs, ce in credit_spans):
                continue  # a credit line, not a claim
            att = _governing(claim, doc.attributions) if claim.speaker or claim.cue else None
            cs_, ce_ = s, e
            if att is not None:
                a, b = max(s, att.content_span[0]), min(e, att.content_span[1])
                if b - a >= 3:
                    cs_, ce_ = a, b
                cs_, ce_ = _front_content(doc.text, (s, e), (cs_, ce_), att)
            for ds, de in credit_spans:  # a dateline opening the claim is frame
                if ds <= cs_ < de:
                    cs_ = de
            cs_, ce_ = _trim_span(doc.text, cs_, ce_)
            if ce_ <= cs_:
                cs_, ce_ = s, e
            content_text = doc.text[cs_:ce_]
            if claim.modality == "denied":
                m = _DENIED_OBJECT.match(content_text)
                if m and m.end() < len(content_text):
                    cs_ += m.end()
                    content_text = doc.text[cs_:ce_]
            frame = doc.text[s:cs_] + " " + doc.text[ce_:e]
            view = _View(
                idx=len(views),
                claim=claim,
                doc=doc,
                doc_pos=pos,
                content=(cs_, ce_),
                text=content_text,
                frame=frame,
            )
            _describe(view, att)
            _assign_origin(view, att, outlet, outlet_label[doc.id], self_published[doc.id])
            views.append(view)
    _unify_origins(views, docs, outlet_of)
    _mark_anaphors(views)
    return views


def _front_content(text: str, claim: Span, content: Span, att: Attribution) -> Span:
    """When the attribution's content is a bare addressee ("..., two firefighters told the
    Gazette" -> "the Gazette"), the content is what comes before the speaker and cue."""
    if len(_WORD.findall(text[content[0] : content[1]])) >= 4:
        return content
    starts = [x[0] for x in (att.speaker_span, att.cue_span) if x is not None]
    frame_start = min(starts) if starts else claim[1]
    if frame_start <= claim[0] or content[0] < frame_start:
        return content
    front = (claim[0], frame_start)
    if len(_WORD.findall(text[front[0] : front[1]])) >= 4:
        return front
    return content


def _describe(view: _View, att: Attribution | None) -> None:
    """Entities, events, stems, quantities, ordinals and dates of a view's content."""
    cs, ce = view.content
    claim = view.claim
    frame_spans: list[Span] = []
    if att is not None:
        if att.speaker_span:
            frame_spans.append(att.speaker_span)
        frame_spans.extend(att.via_spans)

    def in_content(span: Span) -> bool:
        inside = cs <= span[0] and span[1] <= ce
        return inside and not any(f[0] <= span[0] and span[1] <= f[1] for f in frame_spans)

    view.entities = tuple(e for e in claim.entities if in_content(e.span))
    view.entity_keys = frozenset(_entity_key(e.key) for e in view.entities if e.key)
    text = view.text
    if claim.modality == "denied" and att is not None and _PRONOUN_SUBJECT.match(text):
        # "X denies that it walked out": the denied content is about X.
        text = f"{att.speaker or ''} {text}"
        if claim.speaker_key:
            view.entity_keys |= {_entity_key(claim.speaker_key)}
    # Words inside an entity are the entity's feature; a multi-word name keeps its head
    # noun as a word too ("the dam" and "Brannock Dam").
    blanked = list(text)
    offset = view.content[0] - (len(text) - len(view.text))
    heads: set[str] = set()
    for e in view.entities:
        a, b = e.span[0] - offset, e.span[1] - offset
        if 0 <= a < b <= len(blanked):
            words = _WORD.findall(text[a:b])
            if len(words) > 1 and words[-1].lower() not in _STOP:
                heads.add(_stem(words[-1]))
            blanked[a:b] = " " * (b - a)
    view.events, stems = _event_and_stems("".join(blanked))
    for m in _WORD.finditer(view.text):
        w = m.group(0).lower()
        cls = _SINGLE.get(w) or _SINGLE.get(_stem(w))
        if cls is not None and cls not in view.event_starts:
            view.event_starts[cls] = view.content[0] + m.start()
    view.stems = stems | frozenset(h for h in heads if h not in _SINGLE)
    qtys: list[_Qty] = []
    ords: list[_Ordinal] = []
    for q in claim.quantities:
        if not in_content(q.span):
            continue
        if q.kind == "ordinal":
            if q.value is None:
                continue
            head = _stem(q.unit) if q.unit else None
            if head in _TIME_UNITS:
                continue
            ords.append(_Ordinal(q, q.value, head, _qualifiers(view, q, head)))
        else:
            before = view.doc.text[max(0, q.span[0] - 16) : q.span[0]]
            # "of the 40 wagons" counts the whole; "a 40-member council" describes it.
            whole = bool(_PARTITIVE.search(before) or _COMPOUND.match(q.text))
            event = None if whole else _nearest_event(view, q.span)
            qtys.append(_Qty(q, _unit_class(q), q.kind, event, whole))
    view.quantities = tuple(qtys)
    view.ordinals = tuple(ords)
    whens: list[_When] = []
    for d in claim.dates:
        if in_content(d.span) and d.type in ("DATE", "TIME") and d.value:
            when = _parse_when(d, d.value)
            if when is not None:
                whens.append(when)
    view.dates = tuple(whens)


_COMPOUND = re.compile(r"^\d[\d.,]*-[A-Za-z]+$")
_PARTITIVE = re.compile(r"\b(?:of|out\s+of)\s+(?:the|a|an|its|their|our)?\s*$", re.IGNORECASE)

#: Words between a number and the event it counts: "15 people were killed", "killed 20".
QUANTITY_EVENT_WINDOW = 6


def _nearest_event(view: _View, span: Span) -> str | None:
    """The event class closest to a number in the claim's content, within a few words."""
    base = view.content[0]
    words = [
        (base + m.start(), base + m.end(), m.group(0).lower()) for m in _WORD.finditer(view.text)
    ]
    events: list[tuple[int, str]] = []
    i = 0
    while i < len(words):
        w = words[i][2]
        hit = None
        for parts, cls in _PHRASES.get(w, ()):
            if tuple(x[2] for x in words[i : i + len(parts)]) == parts:
                hit = (cls, len(parts))
                break
        if hit is None:
            bare = w[:-2] if w.endswith("'s") else w
            cls1 = _SINGLE.get(bare) or _SINGLE.get(_stem(bare))
            hit = (cls1, 1) if cls1 else None
        if hit is not None:
            events.append((i, hit[0]))
            i += hit[1]
        else:
            i += 1
    if not events:
        return None
    inside = [k for k, (s, e, _) in enumerate(words) if s < span[1] and span[0] < e]
    if not inside:
        return None
    lo, hi = inside[0], inside[-1]
    best: tuple[int, int, str] | None = None
    for k, cls in events:
        dist = lo - k if k < lo else (k - hi if k > hi else 0)
        if dist <= QUANTITY_EVENT_WINDOW:
            cand = (dist, 0 if k >= lo else 1, cls)  # after the number first: "15 died"
            if best is None or cand < best:
                best = cand
    return best[2] if best else None


def _qualifiers(view: _View, q: Quantity, head: str | None) -> frozenset[str]:
    """What restricts an ordinal: the words after it up to the next clause break."""
    doc_text = view.doc.text
    end = min(view.content[1], q.span[1] + 120)
    window = doc_text[q.span[1] : end]
    window = re.split(r"[,;:.()—–]|\b(?:and|but|which|who|that|as|when|while)\b", window)[0]
    events, stems = _event_and_stems(window)
    ents = {
        _entity_key(e.key)
        for e in view.entities
        if q.span[1] <= e.span[0] < q.span[1] + len(window) and e.key
    }
    out = {s for s in stems if s != head} | {f"e:{k}" for k in ents} | {f"v:{e}" for e in events}
    out.discard("v:meet") if head in ("meet", "meeting") else None
    return frozenset(out)


def _is_self_published(doc: Document) -> bool:
    """A party's own statement: the publisher speaks of itself by name or in the first person."""
    if not doc.publisher:
        return False
    pk = _name_tokens(canonical_key(doc.publisher))
    for claim in doc.claims:
        att = _governing(claim, doc.attributions) if claim.speaker_key else None
        if att is not None and att.speaker_span is not None:
            said = doc.text[att.speaker_span[0] : att.speaker_span[1]].lower()
            if said in _PRONOUNS:
                continue  # "he added", resolved by the attribution stage: not evidence
        if claim.speaker_key:
            sk = _name_tokens(claim.speaker_key)
            if sk and (sk <= pk or pk <= sk) and (sk - _GENERIC_NAME or sk == pk):
                return True
            if claim.speaker_key in _FIRST_PERSON:
                return True
        elif (
            claim.checkable
            and claim.quote != "direct"
            and _FIRST_PERSON_RE.search(claim.text)
            and not any(q in claim.text for q in ('"', "“", "”"))
        ):
            return True  # "we have opened the outlets": the publisher speaking of itself
    return False


def _assign_origin(
    view: _View, att: Attribution | None, outlet: str, outlet_name: str, self_published: bool
) -> None:
    claim = view.claim
    doc = view.doc
    publisher_key = canonical_key(doc.publisher) if doc.publisher else None
    chain = [v for v in claim.via if v]
    if att is not None and len(att.via_spans) == len(att.via):
        # A dateline ("VELMAR, March 12 (KNA) —") is not an intermediary.
        datelines = [c.span for c in _credits(doc.text) if c.dateline]
        dropped = {
            name
            for name, (vs, ve) in zip(att.via, att.via_spans, strict=True)
            if any(ds <= vs and ve <= de for ds, de in datelines)
        }
        chain = [v for v in chain if v not in dropped]
    speaker = claim.speaker
    # A speaker the attribution stage could not key ("( cnn )" in lower-cased text) gets
    # its canonical key here; one with no key at all is the outlet's own voice.
    key = claim.speaker_key or (canonical_key(speaker) if speaker else None) or None
    if not key:
        speaker = None
    first_person = bool(key and key in _FIRST_PERSON)
    pronoun = bool(key and key in _PRONOUNS)
    own_voice = not speaker or first_person or pronoun
    if own_voice:
        view.origin = outlet
        view.party = publisher_key if self_published else None
        view.label = outlet_name if not chain else ", citing ".join([*reversed(chain)])
        view.speaker_label = doc.publisher if self_published else None
        view.is_primary_self = bool(
            self_published and (first_person or _FIRST_PERSON_RE.search(view.text))
        )
        view.in_own_statement = self_published
        return
    assert speaker is not None and key
    vague = _is_vague(speaker, att.speaker_span if att else None, doc)
    view.origin = f"{key}@{outlet}" if vague else key
    # A speaker the attribution stage resolved from "he"/"she" counts as the origin, but is
    # not trusted to make the claim a primary party's.
    resolved = bool(
        att is not None
        and att.speaker_span is not None
        and doc.text[att.speaker_span[0] : att.speaker_span[1]].lower() in _PRONOUNS
    )
    view.party = None if vague or resolved else key
    view.speaker_label = speaker
    outer = list(reversed(chain)) if chain else ([] if doc.publisher is None else [outlet_name])
    if outer and publisher_key and outer[0] == doc.publisher and outlet_name != doc.publisher:
        outer[0] = outlet_name  # a copy: name the wire it came from
    if outer and _same_name(outer[-1], speaker):
        outer = outer[:-1]  # "Estmark Hydro, citing Estmark Hydro"
    view.label = ", citing ".join([*outer, speaker]) if outer else speaker
    if self_published and publisher_key:
        sk, pk = _name_tokens(key), _name_tokens(publisher_key)
        if sk and (sk <= pk or pk <= sk):
            view.is_primary_self = True
            view.speaker_label = doc.publisher  # "Hydro confirms" in Estmark Hydro's release
        # Quoted in the party's own statement with no other intermediary: its spokespeople.
        view.in_own_statement = all(_same_name(c, doc.publisher or "") for c in chain)


def _same_name(a: str, b: str) -> bool:
    ta, tb = _name_tokens(canonical_key(a)), _name_tokens(canonical_key(b))
    return bool(ta) and bool(tb) and (ta <= tb or tb <= ta) and bool((ta & tb) - _GENERIC_NAME)


def _unify_origins(views: list[_View], docs: Sequence[Document], outlet_of: dict[str, str]) -> None:
    """Merge origin keys that name the same speaker ("Dorn" / "Havelstad mayor Anselm Dorn",
    "the Interior Ministry" / "the Interior Ministry's press service")."""
    docs_of: dict[str, set[str]] = defaultdict(set)
    for v in views:
        if "@" not in v.origin:
            docs_of[v.origin].add(v.doc.id)
        if v.party:
            docs_of[v.party].add(v.doc.id)
    for d in docs:
        if d.publisher:
            docs_of[canonical_key(d.publisher)].add(d.id)
    publishers = {canonical_key(d.publisher) for d in docs if d.publisher}
    toks = {k: _name_tokens(k) for k in docs_of}
    mapping: dict[str, str] = {}
    for k in sorted(docs_of):
        tk = toks[k]
        if not tk or k in publishers:
            continue  # a publisher's name is the canonical name of its party
        sups = [
            o
            for o in docs_of
            if o != k and toks[o] and tk < toks[o] and len(toks[o]) <= MAX_NAME_TOKENS
        ]
        named = [o for o in sups if o in publishers]
        if named:
            sups = named
        else:
            # "the operator Westhollow Rail Freight" is the publisher Westhollow Rail Freight.
            roles = [p for p in publishers if toks[p] < tk and not (tk - toks[p] - _GENERIC_NAME)]
            if len(roles) == 1:
                mapping[k] = roles[0]
                continue
        if not (tk - _GENERIC_NAME):
            sups = [o for o in sups if docs_of[o] & docs_of[k]]
        if not sups:
            continue
        sups.sort(key=lambda o: (len(toks[o]), o))
        if all(toks[a] <= toks[b] for a, b in zip(sups, sups[1:], strict=False)):
            mapping[k] = sups[-1]
    if not mapping:
        return
    for v in views:
        v.origin = mapping.get(v.origin, v.origin)
        if v.party:
            v.party = mapping.get(v.party, v.party)


def _mark_anaphors(views: list[_View]) -> None:
    """Caveats and denials that only point back ("The claim could not be verified",
    "X denied the report") qualify the claim they refer to."""
    by_doc: dict[str, list[_View]] = defaultdict(list)
    for v in views:
        by_doc[v.doc.id].append(v)
    for v in views:
        if v.modality not in ("not-confirmed", "denied"):
            continue
        m = _ANAPHOR.match(v.text) or (
            _ANAPHOR.match(v.claim.text) if v.modality == "not-confirmed" else None
        )
        if not m:
            continue
        if v.quantities or v.dates:
            continue  # it states content of its own
        if v.modality == "denied" and len(v.stems - _stems_of(m.group(0))) > 3:
            continue  # "denies the report that X" with X spelled out is aligned on X
        v.kind = "caveat-ref" if v.modality == "not-confirmed" else "denial-ref"
        v.anaphor_noun = m.group("noun").lower()


def _stems_of(text: str) -> frozenset[str]:
    return _event_and_stems(text)[1]


def _anaphor_target(v: _View, views_in_doc: Sequence[_View]) -> _View | None:
    earlier = [
        w
        for w in views_in_doc
        if w.claim.span[1] <= v.claim.span[0]
        and v.claim.sentence_index - w.claim.sentence_index <= ANAPHOR_WINDOW
        and w.kind == "claim"
        and w.modality in ("asserted", "reported", "hedged", "future")
        and not w.claim.negated
    ]
    if not earlier:
        return None
    noun = v.anaphor_noun or ""
    if noun not in _GENERIC_ANAPHOR_NOUNS:
        st = _stem(noun)
        named = [w for w in earlier if st in w.stems or st in _stems_of(w.claim.text)]
        if named:
            return named[-1]
    return earlier[-1]


# --- dates ----------------------------------------------------------------------------------------

_DAY = re.compile(r"^(\d{4}|XXXX)-(\d{2})-(\d{2})")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


def _part_range(part: str) -> tuple[date | None, date | None, tuple[int, int] | None, bool]:
    """(start, end, month-day when the year is unknown, day-level) of one TIMEX value."""
    m = _DAY.match(part)
    if m:
        year, month, day = m.groups()
        if year == "XXXX":
            return None, None, (int(month), int(day)), True
        try:
            d = date(int(year), int(month), int(day))
        except ValueError:
            return None, None, None, False
        return d, d, None, True
    m = _MONTH.match(part)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        if not 1 <= mo <= 12:
            return None, None, None, False
        nxt = date(y + (mo == 12), mo % 12 + 1, 1)
        return date(y, mo, 1), nxt - timedelta(days=1), None, False
    m = _WEEK.match(part)
    if m:
        try:
            start = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        except ValueError:
            return None, None, None, False
        return start, start + timedelta(days=6), None, False
    m = _YEAR.match(part)
    if m:
        y = int(m.group(1))
        return date(y, 1, 1), date(y, 12, 31), None, False
    return None, None, None, False


def _parse_when(mention: DateMention, value: str, provenance: str | None = None) -> _When | None:
    parts = value.split("/")
    if len(parts) > 2:
        return None
    s0, e0, md0, day0 = _part_range(parts[0])
    if len(parts) == 2:
        _, e1, md1, day1 = _part_range(parts[1])
    else:
        e1, md1, day1 = e0, md0, day0
    if md0 is not None or md1 is not None:
        if md0 is None or md1 is None:
            return None
        return _When(mention, value, None, None, (md0, md1), day0 and day1, provenance)
    if s0 is None or e1 is None:
        return None
    return _When(mention, value, s0, e1, None, day0 and day1, provenance)


def _complete_years(views: Sequence[_View], donors: Sequence[_View] | None = None) -> None:
    """Give ``XXXX-MM-DD`` dates the year a story-mate states for the same month-day.

    ``donors`` (default: ``views`` themselves) are the views whose years may be lent: the
    draft check lends the sources' years to a draft, never a draft's year to the sources.
    """
    known: dict[tuple[int, int], dict[int, tuple[_View, DateMention]]] = defaultdict(dict)
    for v in views if donors is None else donors:
        for w in v.dates:
            if w.start is not None and w.day_level and w.start == w.end:
                md = (w.start.month, w.start.day)
                known[md].setdefault(w.start.year, (v, w.mention))
        for dm in v.claim.dates:  # dates in the frame state years too
            if dm.value and _DAY.match(dm.value) and not dm.value.startswith("XXXX"):
                try:
                    d = date.fromisoformat(dm.value[:10])
                except ValueError:
                    continue
                known[(d.month, d.day)].setdefault(d.year, (v, dm))
    for v in views:
        new: list[_When] = []
        for w in v.dates:
            if w.month_day is None:
                new.append(w)
                continue
            (m0, d0), (m1, d1) = w.month_day
            years0, years1 = known.get((m0, d0), {}), known.get((m1, d1), {})
            years = set(years0) | set(years1)
            if len(years) != 1:
                new.append(w)
                continue
            year = years.pop()
            mate, mention = (years0 or years1)[year]
            value = w.value.replace("XXXX", str(year))
            note = (
                f"year of {w.mention.text!r} ({v.doc.id} {list(w.mention.span)}) taken from "
                f"{mention.text!r} ({mate.doc.id} {list(mention.span)}): {value}"
            )
            filled = _parse_when(w.mention, value, note)
            new.append(filled if filled is not None else w)
        v.dates = tuple(new)


def _overlap(a: _When, b: _When) -> bool | None:
    """Whether two dates can be the same time; None when they cannot be compared."""
    if a.start is not None and b.start is not None and a.end is not None and b.end is not None:
        return a.start <= b.end and b.start <= a.end
    ma = a.month_day or (
        ((a.start.month, a.start.day), (a.end.month, a.end.day))
        if a.start and a.end and a.start.year == a.end.year
        else None
    )
    mb = b.month_day or (
        ((b.start.month, b.start.day), (b.end.month, b.end.day))
        if b.start and b.end and b.start.year == b.end.year
        else None
    )
    if ma is None or mb is None:
        return None
    return ma[0] <= mb[1] and mb[0] <= ma[1]


# --- 3. features, candidates, relations --------------------------------------------------------


def _finish_features(views: Sequence[_View]) -> None:
    for v in views:
        feats = {f"w:{s}" for s in v.stems}
        feats |= {f"v:{e}" for e in v.events}
        feats |= {f"e:{k}" for k in v.entity_keys}
        feats |= {f"q:{q.unit}" for q in v.quantities if q.unit}
        feats |= {f"o:{o.head}" for o in v.ordinals if o.head}
        feats |= {f"d:{w.value[5:10]}" for w in v.dates if w.day_level and _DAY.match(w.value)}
        v.raw_features = frozenset(feats)
    n = max(1, len(views))
    df: dict[str, int] = defaultdict(int)
    for v in views:
        for f in v.raw_features:
            df[f] += 1
    boost = {"e": 1.5, "v": 1.5, "w": 1.0, "q": 1.0, "o": 1.0, "d": 1.0}
    for v in views:
        v.features = {f: boost[f[0]] * math.log(1.0 + n / df[f]) for f in v.raw_features}
        v.weight = sum(v.features.values())


def _similarity(a: _View, b: _View) -> tuple[float, float]:
    """(Dice, containment of the lighter claim) over weighted features."""
    if a.weight <= 0 or b.weight <= 0:
        return 0.0, 0.0
    small, large = (a, b) if len(a.features) <= len(b.features) else (b, a)
    shared = 0.0
    for f in small.features:
        if f in large.features:
            # idf is per feature, so both sides carry the same weight.
            shared += small.features[f]
    dice = 2 * shared / (a.weight + b.weight)
    cover = shared / min(a.weight, b.weight)
    return dice, cover


def _cover_of(a: _View, b: _View) -> float:
    """How much of ``a``'s content ``b`` states."""
    if a.weight <= 0:
        return 0.0
    return sum(w for f, w in a.features.items() if f in b.features) / a.weight


def _blocking_keys(v: _View) -> frozenset[str]:
    """Features that propose candidates, plus one key per counted slot ("15 people died")."""
    counted = {f"n:{q.event}:{q.unit}" for q in v.quantities if q.event and not q.whole}
    return v.raw_features | counted


def _candidates(
    views: Sequence[_View], vectors: VectorFunction | None
) -> dict[tuple[int, int], float]:
    """Candidate pairs (i < j, different documents) with their cosine when vectors were used.

    Pairs come from an inverted index. A key held by more than ``POSTING_CAP_DOCS`` claims
    per document of the story is skipped as a blocking key (it is still scored), and a pair
    must share two blocking keys: the cost grows with the pairs that share something
    specific, not with the square of the story.
    """
    n_docs = len({v.doc.id for v in views})
    postings: dict[str, list[int]] = defaultdict(list)
    for v in views:
        if v.kind != "claim":
            continue
        for f in _blocking_keys(v):
            postings[f].append(v.idx)
    cap = max(POSTING_CAP_MIN, POSTING_CAP_DOCS * n_docs)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    doc_of = [v.doc_pos for v in views]
    for f in sorted(postings):
        idxs = postings[f]
        if len(idxs) < 2 or len(idxs) > cap:
            continue
        for x, i in enumerate(idxs):
            di = doc_of[i]
            for j in idxs[x + 1 :]:
                if doc_of[j] != di:
                    shared[(i, j)] += 1
    pairs: dict[tuple[int, int], float] = {
        pair: -1.0 for pair, count in shared.items() if count >= MIN_BLOCKING
    }
    if vectors is not None and len(views) > 1:
        for (i, j), cos in _vector_neighbours(views, vectors).items():
            pairs[(i, j)] = cos
    return pairs


def _vector_neighbours(
    views: Sequence[_View], vectors: VectorFunction
) -> dict[tuple[int, int], float]:
    import numpy as np

    texts = [v.text for v in views]
    mat = np.asarray(vectors(texts), dtype=np.float32)
    if mat.ndim != 2 or mat.shape[0] != len(views):
        raise ValueError(
            f"vectors returned shape {getattr(mat, 'shape', None)} for {len(views)} texts; "
            "expected one row per text"
        )
    doc_of = np.array([v.doc_pos for v in views])
    out: dict[tuple[int, int], float] = {}
    k = min(VECTOR_NEIGHBOURS, len(views) - 1)
    block = 512
    for start in range(0, len(views), block):
        sims = mat[start : start + block] @ mat.T
        rows = np.arange(start, min(start + block, len(views)))
        same_doc = doc_of[rows][:, None] == doc_of[None, :]
        sims[same_doc] = -1.0
        top = np.argpartition(-sims, kth=min(k, sims.shape[1] - 1), axis=1)[:, : k + 1]
        for r, i in enumerate(rows):
            for j in top[r]:
                cos = float(sims[r, j])
                if cos <= 0.3 or j == i:
                    continue
                key = (int(min(i, j)), int(max(i, j)))
                out[key] = max(out.get(key, -1.0), cos)
    return out


def _relate_candidates(
    views: Sequence[_View], vectors: VectorFunction | None
) -> dict[tuple[int, int], _Relation]:
    out: dict[tuple[int, int], _Relation] = {}
    for (i, j), cos in sorted(_candidates(views, vectors).items()):
        rel = _relate(views[i], views[j], cos if cos >= 0 else None)
        if rel is not None:
            out[(i, j)] = rel
    return out


_POSITIVE = frozenset({"asserted", "reported", "hedged", "future"})


def _events_compatible(a: _View, b: _View) -> bool:
    """Claims that both name events must share one ("flooded" is not "evacuated")."""
    return not (a.events and b.events) or bool(a.events & b.events)


def _cover_plain(a: _View, b: _View) -> float:
    """Containment of the lighter claim, leaving event classes out (for contrary events)."""
    fa = {f: w for f, w in a.features.items() if not f.startswith("v:")}
    fb = {f: w for f, w in b.features.items() if not f.startswith("v:")}
    wa, wb = sum(fa.values()), sum(fb.values())
    if wa <= 0 or wb <= 0:
        return 0.0
    small, large = (fa, fb) if wa <= wb else (fb, fa)
    return sum(w for f, w in small.items() if f in large) / min(wa, wb)


def _relate(a: _View, b: _View, cos: float | None = None) -> _Relation | None:
    """Decide what two claims of different documents are to each other, if anything.

    ``same``: they state the same thing; ``support``: one states all that the other does
    (and more: ``supported`` is the smaller one); ``conflict``: they are about the same thing
    and disagree (``slots`` say on what); ``caveat``: one says the other is not confirmed.
    """
    if a.doc.id == b.doc.id or a.kind != "claim" or b.kind != "claim":
        return None
    dice, cover = _similarity(a, b)
    vector_same = cos is not None and cos >= VECTOR_SAME
    if cover < 0.25 and not vector_same:
        return None
    small = a if a.weight <= b.weight else b
    shared = sum(1 for f in a.features if f in b.features)
    need = MIN_SHARED if "denied" not in (a.modality, b.modality) else MIN_SHARED - 1
    counted = any(
        qa.event and not qa.whole and any(qb.unit == qa.unit and not qb.whole for qb in ms)
        for qa, ms in _quantity_pairs(a, b)
    )  # the same event counted in the same unit is itself a shared statement
    if len(small.features) < MIN_FEATURES or (
        shared < min(need, len(small.features)) and not counted
    ):
        return None  # "Ukraine" or a heading is not a statement to align
    ma, mb = a.modality, b.modality
    if (ma == "call") != (mb == "call"):
        return None
    # A denial against a statement of what it denies: a polarity conflict.
    if (ma == "denied") != (mb == "denied"):
        denial, other = (a, b) if ma == "denied" else (b, a)
        if other.modality not in _POSITIVE or other.claim.negated:
            return None
        c = _cover_of(denial, other)
        if c >= DENIAL_COVER:
            note = "one side denies it"
            return _Relation("conflict", c, (("polarity", _short(a), _short(b), note),))
        return None
    # "Not confirmed" qualifies a statement with the same content; it does not support it.
    if (ma == "not-confirmed") != (mb == "not-confirmed"):
        nc, other = (a, b) if ma == "not-confirmed" else (b, a)
        c = _cover_of(nc, other)
        if other.modality in _POSITIVE and c >= CAVEAT_COVER:
            return _Relation("caveat", c, supported=other.idx)
        return None
    slots: list[tuple[str, str, str, str]] = []
    blocked = False
    for oa in a.ordinals:
        for ob in b.ordinals:
            if oa.head != ob.head or oa.value == ob.value:
                continue
            if _qualifiers_match(oa.qualifiers, ob.qualifiers):
                slots.append(("ordinal", oa.q.text, ob.q.text, "same qualifiers"))
            else:
                blocked = True  # "first ... in Kyiv" and "second ... at minister level"
    if blocked and not slots:
        return None
    contrary = [
        pair
        for pair in _CONTRARY
        if (pair & a.events) and (pair & b.events) and (pair & a.events) != (pair & b.events)
    ]
    if contrary and (
        _cover_plain(a, b) >= CONFLICT_COVER
        or (_cover_plain(a, b) >= NUMBER_COVER and _dates_overlap(a, b))
    ):
        # "took place on January 20" against "planned for January was postponed"
        slots.append(("polarity", _short(a), _short(b), "contrary events"))
    if cover >= NUMBER_COVER and _events_compatible(a, b) and _same_places(a, b):
        # Counts of one event in one unit ("3,400 workers walked off the job" / "2,100
        # employees joined the strike") are about the same thing even in other words.
        slots.extend(_number_conflicts(a, b, dice, counted_only=cover < CONFLICT_COVER))
    if cover >= CONFLICT_COVER and _events_compatible(a, b):
        if a.claim.negated != b.claim.negated and dice >= SAME_DICE + 0.15:
            slots.append(("polarity", _short(a), _short(b), "one side is negated"))
        if _same_tense(a, b):
            slots.extend(_date_conflicts(a, b))
        shared_events = a.events & b.events
        slots.extend(_place_conflicts(a, b, shared_events, dice))
        slots.extend(_actor_conflicts(a, b, shared_events, dice))
    if slots:
        return _Relation("conflict", cover, tuple(slots))
    if a.claim.negated != b.claim.negated:
        return None
    # Stating the same thing means naming the same events: "15 dead after the wall gave way"
    # says more than "the wall gave way", and "residents evacuated from Millbank" is not
    # "Millbank residents can call the helpline". A longer paraphrase may name more events
    # when it adds no number of its own ("The visit, which took place ..., saw ... gather").
    same_numbers = _numbers_compatible(a, b) and _numbers_compatible(b, a)
    if same_numbers and (a.events == b.events or _paraphrase_events(a, b, cover)):
        agree = _values_agree(a, b)
        if (
            dice >= SAME_DICE
            or (agree and dice >= SAME_FLOOR and cover >= CONFLICT_COVER)
            or (vector_same and cover >= VECTOR_COVER)
        ):
            return _Relation("same", max(dice, (cos or 0.0) * 0.8))
    cab, cba = _cover_of(a, b), _cover_of(b, a)
    if shared < MIN_SHARED:
        return None  # a claim this small is too easy to find inside another
    for small, large, c in ((a, b, cab), (b, a, cba)):
        if c >= SUPPORT_COVER and small.events <= large.events and _numbers_stated(small, large):
            return _Relation("support", c, supported=small.idx)
    return None


def _paraphrase_events(a: _View, b: _View, cover: float) -> bool:
    small, large = (a, b) if len(a.events) <= len(b.events) else (b, a)
    if not small.events <= large.events or cover < SAME_COVER:
        return False
    extra = large.events - small.events
    return not any(q.event in extra for q in large.quantities)


def _numbers_compatible(a: _View, b: _View) -> bool:
    """No number of ``a`` meets a different number for the same thing in ``b`` (a claim that
    gives no number there is silent, not different)."""
    pairs = {id(qa): ms for qa, ms in _quantity_pairs(a, b)}
    for qa in a.quantities:
        if qa.whole:
            continue
        matches = pairs.get(id(qa), [])
        if qa.event and not matches:
            return False  # a count of the event that the other claim does not give
        if matches and not any(not qb.whole and not _disjoint(qa.q, qb.q) for qb in matches):
            return False
    return True


def _numbers_stated(small: _View, large: _View) -> bool:
    """Every number of ``small`` has an agreeing number in ``large`` (a sentence that does
    not give the toll does not support a toll)."""
    pairs = dict((id(qa), ms) for qa, ms in _quantity_pairs(small, large))
    for qa in small.quantities:
        matches = pairs.get(id(qa))
        if not matches or all(_disjoint(qa.q, qb.q) for qb in matches):
            return False
    return True


def _short(v: _View) -> str:
    return v.text


def _qualifiers_match(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a and not b:
        return True
    if not a or not b:
        return False
    return len(a & b) / len(a | b) >= 0.5


def _same_tense(a: _View, b: _View) -> bool:
    return (a.modality == "future") == (b.modality == "future")


def _slot_match(qa: _Qty, qb: _Qty) -> bool:
    """Numbers that count the same thing: same event class, and the same unit (a bare
    number takes the unit of its event: "Fifteen dead" and "21 people died")."""
    if qa.kind != qb.kind:
        return False
    if qa.event and qb.event:
        return qa.event == qb.event and (qa.unit == qb.unit or qa.unit is None or qb.unit is None)
    return qa.unit is not None and qa.unit == qb.unit


def _quantity_pairs(a: _View, b: _View) -> list[tuple[_Qty, list[_Qty]]]:
    out: list[tuple[_Qty, list[_Qty]]] = []
    for qa in a.quantities:
        matches = [qb for qb in b.quantities if _slot_match(qa, qb)]
        exact = [qb for qb in matches if qb.unit == qa.unit]
        if exact or matches:
            out.append((qa, exact or matches))
    return out


def _disjoint(a: Quantity, b: Quantity) -> bool:
    alo = a.low if a.low is not None else -math.inf
    ahi = a.high if a.high is not None else math.inf
    blo = b.low if b.low is not None else -math.inf
    bhi = b.high if b.high is not None else math.inf
    return ahi < blo or bhi < alo


def _same_places(a: _View, b: _View) -> bool:
    """False when both claims name places and none is shared (15 killed in one town, 21 in
    another are two counts, not a conflict)."""
    pa = {k for k in a.entity_keys if k in _place_keys(a)}
    pb = {k for k in b.entity_keys if k in _place_keys(b)}
    return not (pa and pb) or bool(pa & pb)


def _place_keys(v: _View) -> frozenset[str]:
    return frozenset(_entity_key(e.key) for e in v.entities if e.label in _PLACE_LABELS)


def _number_conflicts(
    a: _View, b: _View, dice: float, *, counted_only: bool = False
) -> list[tuple[str, str, str, str]]:
    """Numbers of one slot whose intervals do not overlap. A number with no event next to
    it ("six wagons have been inspected") only conflicts between near-identical claims."""
    out = []
    for qa, matches in _quantity_pairs(a, b):
        if qa.whole or any(qb.whole for qb in matches):
            continue  # "of the 40 wagons": the whole, not the count of the event
        unattached = qa.event is None or any(qb.event is None for qb in matches)
        if unattached and (counted_only or dice < SAME_DICE):
            continue
        if all(_disjoint(qa.q, qb.q) for qb in matches):
            qb = matches[0]
            out.append(("number", qa.q.text, qb.q.text, f"{_interval(qa.q)} vs {_interval(qb.q)}"))
    return out


def _interval(q: Quantity) -> str:
    def fmt(x: float | None) -> str:
        if x is None:
            return "?"
        return str(int(x)) if float(x).is_integer() else str(x)

    if q.low is not None and q.high is not None and q.low == q.high:
        return fmt(q.low)
    if q.high is None:
        return f"≥ {fmt(q.low)}"
    if q.low is None:
        return f"≤ {fmt(q.high)}"
    return f"{fmt(q.low)}–{fmt(q.high)}"


def _date_conflicts(a: _View, b: _View) -> list[tuple[str, str, str, str]]:
    da = [w for w in a.dates if w.day_level]
    db = [w for w in b.dates if w.day_level]
    if not da or not db or len(da) > 2 or len(db) > 2:
        return []
    verdicts = [_overlap(x, y) for x in da for y in db]
    if any(v is None or v for v in verdicts):
        return []
    x, y = da[0], db[0]
    notes = [f"{x.value} vs {y.value}"]
    notes.extend(p for p in (x.provenance, y.provenance) if p)
    return [("date", x.mention.text, y.mention.text, "; ".join(notes))]


_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_ACTOR_LABELS = frozenset({"PERSON", "ORG", "NORP"})


def _place_conflicts(
    a: _View, b: _View, shared_events: frozenset[str], dice: float
) -> list[tuple[str, str, str, str]]:
    """Two accounts of one event in different places.

    Conservative on purpose: without a gazetteer "in Kyiv" and "in Ukraine" cannot be told
    apart from "in Kyiv" and "in Brussels", so a place conflicts only when the claims share
    an event and most of their wording, each names exactly one place after "in/at/near", and
    neither document names the other's place anywhere.
    """
    if not shared_events or dice < SAME_FLOOR:
        return []
    pa, pb = _located(a), _located(b)
    if len(pa) != 1 or len(pb) != 1:
        return []
    (ka, ta), (kb, tb) = next(iter(pa.items())), next(iter(pb.items()))
    if ka == kb or ka in _doc_keys(b.doc) or kb in _doc_keys(a.doc):
        return []
    return [("place", ta, tb, "")]


def _located(v: _View) -> dict[str, str]:
    out = {}
    for e in v.entities:
        if e.label in _PLACE_LABELS and e.key:
            before = v.doc.text[max(0, e.span[0] - 12) : e.span[0]].lower()
            if re.search(r"\b(?:in|at|near|outside)\s+(?:the\s+)?$", before):
                out[_entity_key(e.key)] = e.text
    return out


def _doc_keys(doc: Document) -> frozenset[str]:
    return frozenset(_entity_key(e.key) for e in doc.entities if e.key)


def _actor_conflicts(
    a: _View, b: _View, shared_events: frozenset[str], dice: float
) -> list[tuple[str, str, str, str]]:
    """Different named agents of one event ("Russian forces" vs "Ukrainian forces shelled").

    The agent is a person, organisation or group named before the event word; two agents
    conflict only when neither claim names the other's agent at all.
    """
    if not shared_events or dice < SAME_FLOOR:
        return []
    ga, gb = _agents(a, shared_events), _agents(b, shared_events)
    if not ga or not gb:
        return []
    if set(ga) & set(gb) or set(ga) & b.entity_keys or set(gb) & a.entity_keys:
        return []
    return [("actor", next(iter(ga.values())), next(iter(gb.values())), "")]


def _agents(v: _View, events: frozenset[str]) -> dict[str, str]:
    """Persons, organisations and groups named before the first of ``events``."""
    starts = [v.event_starts[e] for e in events if e in v.event_starts]
    if not starts:
        return {}
    first_event = min(starts)
    return {
        _entity_key(e.key): e.text
        for e in v.entities
        if e.label in _ACTOR_LABELS and e.span[1] <= first_event and e.key
    }


def _dates_overlap(a: _View, b: _View) -> bool:
    return any(_overlap(x, y) for x in a.dates for y in b.dates)


def _values_agree(a: _View, b: _View) -> bool:
    """A number or a day both claims state compatibly."""
    for qa, matches in _quantity_pairs(a, b):
        if any(not _disjoint(qa.q, qb.q) for qb in matches):
            return True
    for x in a.dates:
        for y in b.dates:
            if x.day_level and y.day_level and _overlap(x, y):
                return True
    return False


# --- 4. groups ------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Groups:
    """Claim groups (lists of view indexes), repeats within a document, and supporters."""

    members: list[list[int]]
    repeats: dict[int, list[int]]  # group -> further claims of documents already in it
    supporters: dict[int, set[int]]  # group -> claims of other groups that also state it
    index: dict[int, int]  # view -> group


def _group(views: Sequence[_View], relations: dict[tuple[int, int], _Relation]) -> _Groups:
    """Greedy merge of "same" pairs, strongest first: a group takes one claim per document
    and no two members may conflict. Support edges and repeats do not merge groups."""
    claims = [v.idx for v in views if v.kind == "claim"]
    group_of = {x: x for x in claims}
    members: dict[int, list[int]] = {x: [x] for x in claims}
    docs_in: dict[int, set[str]] = {x: {views[x].doc.id} for x in claims}
    same = sorted(
        ((rel.score, i, j) for (i, j), rel in relations.items() if rel.kind == "same"),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    for score, i, j in same:
        gi, gj = group_of[i], group_of[j]
        if gi == gj or (docs_in[gi] & docs_in[gj] and score < REPEAT_DICE):
            continue  # one claim per document, unless the wording is all but identical
        if any(_conflicting(views, relations, x, y) for x in members[gi] for y in members[gj]):
            continue
        keep, drop = min(gi, gj), max(gi, gj)
        for x in members[drop]:
            group_of[x] = keep
        members[keep].extend(members[drop])
        docs_in[keep] |= docs_in[drop]
        del members[drop], docs_in[drop]
    # A claim left alone that states what a group of its own document states is a repeat
    # (a key-facts box repeating the body): its document supports that group once.
    repeats: dict[int, list[int]] = defaultdict(list)
    for _score, i, j in same:
        for x, y in ((i, j), (j, i)):
            gx, gy = group_of[x], group_of[y]
            if (
                len(members.get(gx, ())) == 1
                and gx != gy
                and views[x].doc.id in docs_in[gy]
                and not any(_conflicting(views, relations, x, z) for z in members[gy])
            ):
                repeats[gy].append(x)
                del members[gx], docs_in[gx]
                group_of[x] = gy
    ordered = sorted(
        (
            sorted(m, key=lambda x: (views[x].doc_pos, views[x].claim.span))
            for m in members.values()
        ),
        key=lambda m: (views[m[0]].doc_pos, views[m[0]].claim.span),
    )
    index = {x: g for g, m in enumerate(ordered) for x in m}
    old_to_new = {group_of[m[0]]: g for g, m in enumerate(ordered)}
    rep_out = {old_to_new[g]: xs for g, xs in repeats.items()}
    for g, xs in rep_out.items():
        for x in xs:
            index[x] = g
    supporters: dict[int, set[int]] = defaultdict(set)
    for (i, j), rel in sorted(relations.items()):
        if rel.kind not in ("same", "support"):
            continue
        pairs = (
            [(i, j), (j, i)]
            if rel.kind == "same"
            else ([(j, i)] if rel.supported == i else [(i, j)])
        )
        for supporter, supported in pairs:
            target = index.get(supported)
            if target is None or index.get(supporter) == target:
                continue
            group_docs = {views[y].doc.id for y in ordered[target]}
            if views[supporter].doc.id in group_docs:
                continue
            if not any(_conflicting(views, relations, supporter, y) for y in ordered[target]):
                supporters[target].add(supporter)
    return _Groups(ordered, rep_out, supporters, index)


def _conflicting(
    views: Sequence[_View], relations: dict[tuple[int, int], _Relation], x: int, y: int
) -> bool:
    if views[x].doc.id == views[y].doc.id:
        return False
    key = (min(x, y), max(x, y))
    rel = relations.get(key)
    if rel is None:
        rel = _relate(views[key[0]], views[key[1]])
    return rel is not None and rel.kind == "conflict"


def _related(
    views: Sequence[_View], relations: dict[tuple[int, int], _Relation], x: int, y: int
) -> bool:
    if views[x].doc.id == views[y].doc.id:
        return False
    key = (min(x, y), max(x, y))
    rel = relations.get(key)
    return rel is not None and rel.kind in ("same", "support")


# --- 5. findings ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Context:
    story_id: str
    docs: Sequence[Document]
    views: Sequence[_View]
    relations: dict[tuple[int, int], _Relation]
    groups: _Groups
    copy_of: dict[str, str]
    operator_parties: frozenset[str]
    by_claim: dict[str, int] = field(default_factory=dict)
    # Origins of the finding being built where a copy takes its original's (see
    # _collapse_copies); views themselves are never changed.
    origin_of: dict[int, str] = field(default_factory=dict)
    partners: dict[int, set[int]] = field(default_factory=dict)  # group -> conflicting groups
    denies: dict[int, set[int]] = field(default_factory=dict)  # ... on polarity


def _findings(
    story_id: str,
    docs: Sequence[Document],
    views: Sequence[_View],
    groups: _Groups,
    relations: dict[tuple[int, int], _Relation],
    copies: tuple[CopyRelation, ...],
) -> tuple[Finding, ...]:
    ctx = _Context(
        story_id,
        docs,
        views,
        relations,
        groups,
        {c.doc_id: c.copy_of for c in copies},
        _operator_parties(views),
        by_claim={v.claim.id: v.idx for v in views},
        partners=defaultdict(set),
        denies=defaultdict(set),
    )
    n = len(groups.members)
    parent = list(range(n))

    def find(g: int) -> int:
        while parent[g] != g:
            parent[g] = parent[parent[g]]
            g = parent[g]
        return g

    edges: list[tuple[int, int, _Relation]] = []
    caveats: dict[int, set[int]] = defaultdict(set)
    for (i, j), rel in sorted(relations.items()):
        gi, gj = groups.index.get(i), groups.index.get(j)
        if rel.kind == "conflict" and gi is not None and gj is not None and gi != gj:
            edges.append((i, j, rel))
            ctx.partners[gi].add(gj)
            ctx.partners[gj].add(gi)
            if any(slot == "polarity" for slot, *_ in rel.slots):
                ctx.denies[gi].add(gj)
                ctx.denies[gj].add(gi)
            ri, rj = find(gi), find(gj)
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)
        elif rel.kind == "caveat" and rel.supported is not None:
            g = groups.index.get(rel.supported)
            nc = j if rel.supported == i else i
            if g is not None:
                caveats[g].add(nc)
    # Anaphoric caveats and denials qualify one claim of their own document.
    by_doc: dict[str, list[_View]] = defaultdict(list)
    for v in views:
        by_doc[v.doc.id].append(v)
    denials: dict[int, set[int]] = defaultdict(set)
    loose: list[int] = []
    for v in views:
        if v.kind == "claim":
            continue
        target = _anaphor_target(v, by_doc[v.doc.id])
        g = groups.index.get(target.idx) if target is not None else None
        if g is None:
            loose.append(v.idx)
        elif v.kind == "caveat-ref":
            caveats[g].add(v.idx)
        else:
            denials[g].add(v.idx)
    clusters: dict[int, list[int]] = defaultdict(list)
    for g in range(n):
        clusters[find(g)].append(g)
    edges_of: dict[int, list[tuple[int, int, _Relation]]] = defaultdict(list)
    for edge in edges:
        edges_of[find(groups.index[edge[0]])].append(edge)
    out = [
        _finding(ctx, [groups.members[g] for g in gs], gs, edges_of[root], caveats, denials)
        for root, gs in sorted(clusters.items())
    ]
    out.extend(_finding(ctx, [[x]], [], [], {}, {}) for x in loose)
    positions = {d.id: i for i, d in enumerate(docs)}
    out.sort(key=lambda f: (positions[f.representative.doc_id], *f.representative.span))
    return tuple(out)


def _strength(v: _View, primary: bool) -> tuple[int, ...]:
    """Sort key of a supporting claim: primary party; then directly attributed (a named
    speaker, the shortest relay chain, a direct quote); a statement of fact before a hedge
    or a plan; then the earliest."""
    modality_rank = {"asserted": 0, "reported": 0, "denied": 0, "hedged": 1, "future": 1}
    named = v.party is not None or (v.claim.speaker is not None and "@" not in v.origin)
    return (
        0 if primary else 1,
        0 if v.kind == "claim" else 1,  # "X denied the report" points elsewhere
        0 if named else 1,
        len([x for x in v.claim.via if x]) if v.claim.speaker else 0,
        0 if v.claim.quote == "direct" else 1,
        modality_rank.get(v.modality, 2),
        v.doc_pos,
        v.claim.span[0],
        v.claim.span[1],
    )


def _cite(v: _View) -> Citation:
    c = v.claim
    return Citation(doc_id=c.doc_id, span=c.span, claim_id=c.id, text=c.text)


def _sides(
    ctx: _Context,
    group_members: list[list[int]],
    group_ids: list[int],
    primary: Callable[[int], bool],
) -> list[list[int]]:
    """Partition a cluster's groups into sides: groups that state related content and do
    not conflict share a side ("15 killed" and "15 people had died")."""
    views, relations = ctx.views, ctx.relations
    full = []
    for k, ms in enumerate(group_members):
        g = group_ids[k] if group_ids else None
        extra: list[int] = []
        if g is not None:
            extra = sorted(
                (set(ctx.groups.repeats.get(g, [])) | ctx.groups.supporters.get(g, set())) - set(ms)
            )
        full.append(list(ms) + extra)
    order = sorted(
        range(len(full)),
        key=lambda k: min(_strength(views[x], primary(x)) for x in group_members[k]),
    )
    # Local indexes k of the cluster's groups; conflicts between them (on polarity: denials
    # and contrary events) were collected for the whole story.
    local = {g: k for k, g in enumerate(group_ids)}
    partners = {
        k: {local[h] for h in ctx.partners.get(g, set()) if h in local} for g, k in local.items()
    }
    denies = {
        k: {local[h] for h in ctx.denies.get(g, set()) if h in local} for g, k in local.items()
    }
    partners.update({k: set() for k in range(len(group_members)) if k not in partners})
    denies.update({k: set() for k in range(len(group_members)) if k not in denies})
    sides: list[list[int]] = []
    cores: list[list[int]] = []
    side_groups: list[set[int]] = []
    for k in order:
        core = group_members[k]
        placed = False
        for s, side_core in enumerate(cores):
            if any(_conflicting(views, relations, x, y) for x in full[k] for y in sides[s]):
                continue
            # Related content, or the same value against the same opponent ("fifteen bodies"
            # and "Fifteen dead", both against "at least 21").
            common = any(partners[k] & partners[g] for g in side_groups[s])
            allies = any(denies[k] & denies[g] for g in side_groups[s])  # both contradict it
            if (
                allies
                or any(_related(views, relations, x, y) for x in core for y in side_core)
                or (
                    common
                    and any(_values_agree(views[x], views[y]) for x in core for y in side_core)
                )
            ):
                sides[s].extend(x for x in full[k] if x not in sides[s])
                side_core.extend(core)
                side_groups[s].add(k)
                placed = True
                break
        if not placed:
            sides.append(list(full[k]))
            cores.append(list(core))
            side_groups.append({k})
    return sides


def _finding(
    ctx: _Context,
    group_members: list[list[int]],
    group_ids: list[int],
    edges: list[tuple[int, int, _Relation]],
    caveats: dict[int, set[int]],
    denials: dict[int, set[int]],
) -> Finding:
    views = ctx.views
    core = [x for ms in group_members for x in ms]
    stating = set(core)
    for g in group_ids:
        stating |= ctx.groups.supporters.get(g, set()) | set(ctx.groups.repeats.get(g, []))
    actors = _actor_tokens(views, sorted(stating))

    def primary(x: int) -> bool:
        return _is_primary(views[x], actors, ctx.operator_parties)

    sides = _sides(ctx, group_members, group_ids, primary)
    ref_denials = sorted({x for g in group_ids for x in denials.get(g, set())})
    if ref_denials:
        # "X denied the report" joins a side that already denies it, else stands alone.
        deny_side = next((s for s in sides if any(views[x].modality == "denied" for x in s)), None)
        if deny_side is not None:
            deny_side.extend(ref_denials)
        else:
            sides.append(ref_denials)
    ctx.origin_of = _collapse_copies(ctx, [_one_per_doc(views, side, primary) for side in sides])
    ranked = sorted(
        range(len(sides)),
        key=lambda k: (
            min(_strength(views[x], primary(x)) for x in sides[k])[0],
            -len({_origin(ctx, x) for x in _one_per_doc(views, sides[k], primary)}),
            min(_strength(views[x], primary(x)) for x in sides[k]),
        ),
    )
    sides = [sides[k] for k in ranked]
    main = sides[0]
    core_main = [x for x in main if x in set(core)] or main
    rep = min(core_main, key=lambda x: _strength(views[x], primary(x)))
    rv = views[rep]
    support = _one_per_doc(views, main, primary)
    contra = [x for side in sides[1:] for x in _one_per_doc(views, side, primary)]
    caveat_ids = sorted(
        {x for g in group_ids for x in caveats.get(g, set())},
        key=lambda x: (views[x].doc_pos, views[x].claim.span),
    )
    origins = _ordered_origins(ctx, support, rep)
    conflicts = _conflicts(ctx, sides, edges, ref_denials, primary)
    reasons: list[str] = []
    side_origins = [{_origin(ctx, x) for x in _one_per_doc(views, s, primary)} for s in sides]
    contested = bool(conflicts) and any(
        a != b
        for i, sa in enumerate(side_origins)
        for sb in side_origins[i + 1 :]
        for a in sa
        for b in sb
    )
    if conflicts and not contested:
        reasons.append("the conflicting values come from the same origin")
    primary_claims = [x for x in support if primary(x)]
    if contested:
        status = "contested"
    elif primary_claims:
        status = "confirmed"
    elif len(origins) >= 2:
        status = "corroborated"
    elif all(views[x].modality == "not-confirmed" for x in support):
        status = "unconfirmed"
    else:
        status = "single-source"
    denying = {
        views[x].claim.id
        for side in sides
        if any(views[y].modality == "denied" for y in side)
        for x in side
    }
    who = _who(ctx, status, support, primary_claims, conflicts, caveat_ids, denying)
    for x in support + contra:
        for w in views[x].dates:
            if w.provenance and w.provenance not in reasons:
                reasons.append(w.provenance)
    for c in conflicts:
        if c.note and c.slot in ("number", "date"):
            reasons.append(f"{c.slot}: {c.note}")
    supporting_docs = [views[x].doc.id for x in support]
    for d in supporting_docs:
        if ctx.copy_of.get(d) in supporting_docs:
            reasons.append(f"{d} is a copy of {ctx.copy_of[d]}: one origin")
    if primary_claims:
        pv = views[primary_claims[0]]
        reasons.append(f"primary party: {pv.speaker_label or pv.label}")
    if any(views[x].modality in ("future", "hedged") for x in support) and any(
        views[x].modality in ("asserted", "reported") for x in support
    ):
        reasons.append("part of the support is hedged or a statement about the future")
    everything = set(core) | {x for s in sides for x in s} | set(caveat_ids)
    ordered = sorted(everything, key=lambda x: (views[x].doc_pos, views[x].claim.span))
    involved = {views[x].doc.id for x in support + contra + caveat_ids}
    main_ids = ",".join(sorted(views[x].claim.id for x in main))
    return Finding(
        id=hashlib.sha256(f"{ctx.story_id}:{main_ids}".encode()).hexdigest()[:16],
        story_id=ctx.story_id,
        text=rv.claim.text,
        status=status,
        modality=rv.modality,
        claim_ids=tuple(views[x].claim.id for x in ordered),
        representative=_cite(rv),
        origins=tuple(origins),
        supporting=tuple(_cite(views[x]) for x in support),
        contradicting=tuple(_cite(views[x]) for x in contra),
        silent=tuple(d.id for d in ctx.docs if d.id not in involved),
        conflicts=tuple(conflicts),
        caveats=tuple(_cite(views[x]) for x in caveat_ids),
        who=who,
        reasons=tuple(reasons),
        produced_by=PRODUCED_BY,
    )


def _collapse_copies(ctx: _Context, sides: list[list[int]]) -> dict[int, str]:
    """Within one statement, a copy says what its original says: its claim takes the origin
    of the original's claim (the attribution stage may read the two texts differently)."""
    views = ctx.views
    out: dict[int, str] = {}
    for side in sides:
        first: dict[str, str] = {}
        for x in sorted(side, key=lambda x: views[x].doc_pos):
            doc = views[x].doc.id
            cluster = ctx.copy_of.get(doc, doc)
            if cluster in first and doc in ctx.copy_of:
                out[x] = first[cluster]
            else:
                first.setdefault(cluster, views[x].origin)
    return out


def _origin(ctx: _Context, x: int) -> str:
    return ctx.origin_of.get(x, ctx.views[x].origin)


def _one_per_doc(
    views: Sequence[_View], members: Iterable[int], primary: Callable[[int], bool]
) -> list[int]:
    """The strongest claim of each document: a document supports a group once."""
    best: dict[str, int] = {}
    for x in members:
        d = views[x].doc.id
        if d not in best or _strength(views[x], primary(x)) < _strength(
            views[best[d]], primary(best[d])
        ):
            best[d] = x
    return sorted(best.values(), key=lambda x: (views[x].doc_pos, views[x].claim.span))


def _ordered_origins(ctx: _Context, support: list[int], rep: int) -> list[str]:
    out = [_origin(ctx, rep)]
    for x in support:
        if _origin(ctx, x) not in out:
            out.append(_origin(ctx, x))
    return out


def _actor_tokens(views: Sequence[_View], members: Iterable[int]) -> list[frozenset[str]]:
    return [_name_tokens(k) for x in members for k in views[x].entity_keys]


def _operator_parties(views: Sequence[_View]) -> frozenset[str]:
    """Parties that an attribution frame in the story calls operator, owner or organiser."""
    return frozenset(v.party for v in views if v.party and _OWNER_ROLE.search(v.frame))


def _is_primary(v: _View, actors: list[frozenset[str]], operator_parties: frozenset[str]) -> bool:
    """Whether the claim comes from the party it is about (see the module docstring)."""
    if v.modality == "not-confirmed":
        return False
    if v.is_primary_self:
        return True
    party = v.party
    if not party:
        return False
    if party in operator_parties and v.in_own_statement:
        return True
    pt = _name_tokens(party)
    if not (pt - _GENERIC_NAME):
        return False
    return any(pt <= a for a in actors if a)


def _conflicts(
    ctx: _Context,
    sides: list[list[int]],
    edges: list[tuple[int, int, _Relation]],
    ref_denials: list[int],
    primary: Callable[[int], bool],
) -> list[Conflict]:
    views = ctx.views
    side_of: dict[int, int] = {}
    for k, side in enumerate(sides):
        for x in side:
            side_of.setdefault(x, k)
    found: dict[tuple[int, int, str], tuple[str, str, str]] = {}
    for i, j, rel in edges:
        si, sj = side_of.get(i), side_of.get(j)
        if si is None or sj is None or si == sj:
            continue
        for slot, va, vb, note in rel.slots:
            a_val, b_val = (va, vb) if si < sj else (vb, va)
            if si > sj and slot in ("number", "date") and " vs " in note:
                head, _, rest = note.partition("; ")
                left, _, right = head.partition(" vs ")
                note = f"{right} vs {left}" + (f"; {rest}" if rest else "")
            found.setdefault((min(si, sj), max(si, sj), slot), (a_val, b_val, note))
    if ref_denials and len(sides) >= 2:
        sr = side_of[ref_denials[0]]
        other = next(
            (
                k
                for k, side in enumerate(sides)
                if k != sr and any(views[x].modality in _POSITIVE for x in side)
            ),
            None,
        )
        if other is not None:
            target = min(sides[other], key=lambda x: _strength(views[x], primary(x)))
            values = (views[target].text, views[ref_denials[0]].text)
            if sr < other:
                values = (values[1], values[0])
            found.setdefault((min(sr, other), max(sr, other), "polarity"), (*values, "denied"))
    out = []
    for (si, sj, slot), (va, vb, note) in sorted(found.items()):
        out.append(
            Conflict(
                slot=slot,
                values=(va, vb),
                sides=(
                    tuple(_cite(views[x]) for x in _one_per_doc(views, sides[si], primary)),
                    tuple(_cite(views[x]) for x in _one_per_doc(views, sides[sj], primary)),
                ),
                note=note or None,
            )
        )
    return out


def _labels(ctx: _Context, xs: Iterable[int]) -> list[str]:
    """One label per origin, in order ("Northwind Press Agency, citing the hospital")."""
    seen: dict[str, str] = {}
    for x in xs:
        seen.setdefault(_origin(ctx, x), ctx.views[x].label)
    return list(seen.values())


def _join(labels: Sequence[str]) -> str:
    if len(labels) <= 1:
        return "".join(labels)
    if any("," in x for x in labels):
        return "; ".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def _who(
    ctx: _Context,
    status: str,
    support: list[int],
    primary_claims: list[int],
    conflicts: list[Conflict],
    caveat_ids: list[int],
    denying: set[str],
) -> str:
    """Templated who-said-it; every name in it is a source's own wording."""
    views = ctx.views
    by_claim = ctx.by_claim
    if status == "contested" and conflicts:
        c = conflicts[0]
        parts = []
        for value, cites in zip(c.values, c.sides, strict=True):
            xs = [by_claim[ct.claim_id] for ct in cites if ct.claim_id in by_claim]
            labels = _join(_labels(ctx, xs))
            if c.slot == "polarity":
                verb = "denied" if any(ct.claim_id in denying for ct in cites) else "stated"
                parts.append(f"{verb} by {labels}")
            else:
                parts.append(f"{value} ({labels})")
        text = "contested: " + " vs ".join(parts)
    elif status == "confirmed":
        v = views[primary_claims[0]]
        text = f"confirmed by {v.speaker_label or v.label}"
        mine = _origin(ctx, primary_claims[0])
        others = _labels(ctx, [x for x in support if _origin(ctx, x) != mine])
        if others:
            text += f"; also reported by {_join(others)}"
    elif status == "corroborated":
        text = f"corroborated by {_join(_labels(ctx, support))}"
    elif status == "unconfirmed":
        text = f"stated as not confirmed by {_join(_labels(ctx, support))}"
    else:
        text = f"reported by {_join(_labels(ctx, support))}"
    if caveat_ids and status != "unconfirmed":
        verified = any(_VERIFIED_WORDING.search(views[x].claim.text) for x in caveat_ids)
        text += "; not independently verified" if verified else "; not confirmed"
    return text
