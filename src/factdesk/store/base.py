"""The storage interface every backend implements, and the small records it returns.

The pipeline and the shells talk to a :class:`Store`; :mod:`factdesk.store.sqlite` is the default
backend and a PostgreSQL one can implement the same Protocol later. Nothing here is
SQLite-specific: ids are strings, spans are ``(start, end)`` tuples into ``Document.text``,
datetimes are timezone-aware.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self, runtime_checkable

from factdesk.records import Claim, Document, Outcome, Span

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
