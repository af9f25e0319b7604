"""The storage interface every backend implements, and the small records it returns.

The pipeline and the shells talk to a :class:`Store`; :mod:`factdesk.store.sqlite` is the default
backend and a PostgreSQL one can implement the same Protocol later. Nothing here is
SQLite-specific: ids are strings, spans are ``(start, end)`` tuples into ``Document.text``,
datetimes are timezone-aware.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self, runtime_checkable

from factdesk.records import Claim, Document, Outcome, Span, Story

#: Shortest document-id prefix :meth:`Store.resolve_id` accepts (git accepts 4 too).
MIN_PREFIX = 4


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentSummary:
    """One row of :meth:`Store.list_documents`: the metadata without text or layers.

    ``published`` is timezone-aware or None (unknown); ``added_at`` is when the store first
    saw the document, in UTC.
    """

    id: str
    title: str | None
    publisher: str | None
    published: datetime | None
    source: str
    language: str
    analysis_status: str
    n_claims: int
    added_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchHit:
    """One sentence matching a :meth:`Store.search` query.

    ``span`` is the sentence's ``(start, end)`` in the document text. ``snippet`` is plain text
    (never HTML) with each matching term wrapped in ``[`` ``]``, shortened with ``…`` around
    long sentences. ``rank`` is the backend's relevance score: lower is better (SQLite's BM25
    is negative, so the best hits have the most negative rank).
    """

    doc_id: str
    sentence_index: int
    span: Span
    text: str
    snippet: str
    rank: float


@dataclass(frozen=True, slots=True, kw_only=True)
class RunRecord:
    """One recorded ingest run: the command that ran, when, and every outcome in input order."""

    id: int
    command: str
    recorded_at: datetime
    outcomes: tuple[Outcome, ...] = ()

    def count(self, status: str) -> int:
        """Return how many outcomes have ``status`` (``ok``, ``skipped`` or ``failed``)."""
        return sum(1 for o in self.outcomes if o.status == status)


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryState:
    """A story as the assigner keeps it: the public :class:`~factdesk.records.Story` plus state.

    ``profile`` (JSON) and ``vector`` (bytes) belong to the assigner and are stored as given.
    ``keys`` are the story's candidate-index keys (replaced whole on every write).
    ``locked`` is True once a user decision touched the story: it is never split
    automatically. ``label_doc_id`` is the member whose title is the label. ``story.doc_ids``
    is ignored on write (membership is written through :class:`StoryMember` rows) and filled in
    on read.
    """

    story: Story
    profile: str = "{}"
    vector: bytes = b""
    keys: tuple[str, ...] = ()
    locked: bool = False
    label_doc_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryMember:
    """One document's membership in a story, with the assigner's features for it.

    ``pinned`` is True when a user placed the document (move, merge, split): it is never
    re-assigned automatically. ``features`` (JSON) and ``vector`` are stored as given.
    """

    doc_id: str
    story_id: str
    features: str = "{}"
    vector: bytes = b""
    pinned: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryConstraint:
    """A constraint between two stories implied by a user decision.

    ``kind`` is ``cannot-link`` (never merge them automatically) or ``must-link``. The store
    keeps ``a < b`` and re-points constraints when a story is merged into another.
    """

    kind: str
    a: str
    b: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryDecision:
    """A user decision on stories: ``action`` merge | split | move, ``payload`` JSON."""

    action: str
    payload: str
    id: int | None = None
    recorded_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryChange:
    """Everything one assignment step or user decision changes, written in one transaction.

    Order of application: ``stories`` are inserted or replaced (with their keys), then
    ``members`` rows inserted or replaced (a document keeps its original assignment order),
    then stories in ``deleted`` are removed (they must have no members left; constraints naming
    them are re-pointed to ``merged_into`` when given, else dropped). ``counts`` adds one
    document to the feature document frequencies per tuple of keys. ``pairs`` caches pairwise
    document scores. ``decision`` and ``constraints`` record a user decision. The findings of
    every story written or deleted are cleared, so :meth:`Store.load_findings` returns None
    for a story until its findings are recomputed.
    """

    stories: tuple[StoryState, ...] = ()
    members: tuple[StoryMember, ...] = ()
    deleted: tuple[str, ...] = ()
    merged_into: str | None = None
    counts: tuple[tuple[str, ...], ...] = ()
    pairs: tuple[tuple[str, str, float], ...] = ()
    decision: StoryDecision | None = None
    constraints: tuple[StoryConstraint, ...] = ()


@runtime_checkable
class Store(Protocol):
    """Where documents, their analysis layers, claims and ingest runs are kept.

    Documents are immutable and identified by ``Document.id`` (the content hash), so storing
    is idempotent. Every method raises :class:`~factdesk.errors.StorageError` when the backend
    fails and :class:`~factdesk.errors.NotFound` for an id that is not stored.
    """

    def has_document(self, doc_id: str) -> bool:
        """Return whether a document with exactly this id is stored."""
        ...

    def add_documents(self, docs: Sequence[Document]) -> list[bool]:
        """Store a batch of documents in one transaction.

        Returns one flag per input, in order: True when the document was newly stored, False
        when a document with that id was already there (earlier, or earlier in this batch).
        If anything fails the whole batch is rolled back, earlier batches stay intact, and
        StorageError is raised.
        """
        ...

    def get_document(self, doc_id: str) -> Document:
        """Return the stored document with every field and layer exactly as it was added."""
        ...

    def resolve_id(self, prefix: str) -> str:
        """Return the one document id starting with ``prefix`` (like git's short hashes).

        An exact id is returned as is. Otherwise the prefix needs at least :data:`MIN_PREFIX`
        characters. Raises NotFound when nothing matches, when the prefix is too short, or
        when it is ambiguous (the message lists the candidates).
        """
        ...

    def list_documents(self, *, limit: int | None = None) -> list[DocumentSummary]:
        """Return summaries of stored documents in insertion order (the first ``limit``)."""
        ...

    def claims(self, *, doc_id: str | None = None) -> list[Claim]:
        """Return claims in document insertion order, then span order.

        With ``doc_id``, only that document's claims; NotFound if the document is not stored.
        """
        ...

    def get_claim(self, claim_id: str) -> Claim:
        """Return one claim by its id."""
        ...

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        """Full-text search over sentences; best hits first.

        Every whitespace-separated term of ``query`` is searched as a literal word (all must
        occur), so user input such as ``NATO AND (`` or ``"`` never raises. An empty query
        returns an empty list.
        """
        ...

    def record_run(self, outcomes: Sequence[Outcome], *, command: str) -> int:
        """Store one ingest run and its outcomes in input order; return the run's id."""
        ...

    def runs(self, limit: int = 10) -> list[RunRecord]:
        """Return the most recent runs, newest first, each with its outcomes."""
        ...

    def count_documents(self) -> int:
        """Return how many documents are stored."""
        ...

    # -- stories ------------------------------------------------------------------------------

    def list_stories(self) -> list[Story]:
        """Return every story in creation order, each with its documents in assignment order."""
        ...

    def get_story(self, story_id: str) -> Story:
        """Return one story; NotFound if no story has this id."""
        ...

    def story_of(self, doc_id: str) -> str | None:
        """Return the id of the story holding ``doc_id``, or None when it is not assigned."""
        ...

    def story_states(self, story_ids: Sequence[str]) -> list[StoryState]:
        """Return the stored states of the given stories (unknown ids are left out), in order."""
        ...

    def story_members(
        self, story_id: str, *, limit: int | None = None, doc_ids: Sequence[str] | None = None
    ) -> list[StoryMember]:
        """Return members of a story in assignment order.

        With ``limit``, only the ``limit`` most recently assigned (still in assignment order).
        With ``doc_ids``, the membership rows of exactly those documents, whatever their story
        (``story_id`` is then ignored; pass ``""``).
        """
        ...

    def find_story_candidates(
        self, keys: Sequence[str], *, per_key: int, recent: int
    ) -> list[tuple[str, int]]:
        """Return candidate stories for a document with these index keys, from the index only.

        For each key, the ``per_key`` most recently active stories holding it; plus the
        ``recent`` most recently active stories. Returns ``(story_id, hits)`` pairs, most hits
        first, then most recently active; cost does not grow with the number of stories.
        """
        ...

    def feature_counts(self, keys: Sequence[str]) -> tuple[int, dict[str, int]]:
        """Return ``(documents counted, {key: documents holding it})`` for IDF weights.

        Keys never counted are left out of the mapping.
        """
        ...

    def pair_scores(self, doc_ids: Sequence[str]) -> dict[tuple[str, str], float]:
        """Return the cached scores of pairs among ``doc_ids``, keyed ``(a, b)`` with a < b."""
        ...

    def story_constraints(self, story_ids: Sequence[str]) -> list[StoryConstraint]:
        """Return the constraints naming any of ``story_ids``."""
        ...

    def story_decisions(self, *, limit: int | None = None) -> list[StoryDecision]:
        """Return recorded user decisions, oldest first (the last ``limit`` when given)."""
        ...

    def save_story_change(self, change: StoryChange) -> None:
        """Apply one :class:`StoryChange` in a single transaction (all or nothing)."""
        ...

    def transaction(self) -> AbstractContextManager[None]:
        """Group the writes of a ``with`` block into one transaction: all of them or none.

        Each write inside stays all or nothing on its own, so a caller may catch one write's
        failure and keep the others. Blocks nest (an inner block is part of the outer one).
        Story assignment of a batch runs in one: a commit per story change made assigning
        the BBC corpus half as slow again (47.7 s against 32.7 s; docs/benchmarks.md).
        """
        ...

    def save_findings(self, story_id: str, payload_json: str) -> None:
        """Store the compare stage's findings (a JSON document) for a story, replacing any."""
        ...

    def load_findings(self, story_id: str) -> str | None:
        """Return the stored findings JSON of a story, or None when absent or out of date."""
        ...

    def close(self) -> None:
        """Release the connection; later calls raise StorageError. Closing twice is fine."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
