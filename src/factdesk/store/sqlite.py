"""The default store: one SQLite file (WAL mode) with an FTS5 index over sentences.

The schema lives in :mod:`factdesk.store.migrations`. Every write is one explicit
``BEGIN IMMEDIATE`` … ``COMMIT`` transaction, so a failure (or a crash) part-way through a batch
leaves nothing of that batch behind and never touches earlier batches. Inside
:meth:`SQLiteStore.transaction` the writes are savepoints of one transaction instead: the
desk assigns an ingest batch's stories with one commit, not one per story change.

One connection is shared by all threads of a process behind a lock (the web desk calls the
store from a thread pool); separate processes coordinate through SQLite's own file locks,
waiting up to ``timeout`` seconds for each other.
"""

from __future__ import annotations

import json
import logging
import math
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Self

from factdesk.errors import NotFound, StorageError
from factdesk.records import (
    Attribution,
    Claim,
    DateMention,
    Document,
    Entity,
    Outcome,
    Quantity,
    Sentence,
    Span,
    Story,
)
from factdesk.store.base import (
    MIN_PREFIX,
    DocumentSummary,
    RunRecord,
    SearchHit,
    StoryChange,
    StoryConstraint,
    StoryDecision,
    StoryMember,
    StoryState,
)
from factdesk.store.migrations import migrate

logger = logging.getLogger(__name__)

# SQLite before 3.32 allowed 999 host parameters per statement; stay well under it.
_CHUNK = 500
# How many candidates an ambiguous-prefix error lists.
_MAX_CANDIDATES = 10
# SQLite result codes (https://sqlite.org/rescode.html) that mean "this file is not usable".
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
# Tokens of context FTS5's snippet() keeps around the matches (its maximum is 64).
_SNIPPET_TOKENS = 24

_DOCUMENT_COLUMNS = (
    "id, text, source, title, url, publisher, byline, published, published_utc, fmt, "
    "language, analysis_status, n_sentences, n_claims, added_at"
)
_CLAIM_COLUMNS = (
    "id, doc_id, pos, span_start, span_end, text, sentence_index, checkable, modality, speaker, "
    "speaker_key, cue, via, quote, negated, entities, dates, quantities, reasons, produced_by"
)

_CLAIM_COLUMNS_C = ", ".join(f"c.{name.strip()}" for name in _CLAIM_COLUMNS.split(","))


class SQLiteStore:
    """A :class:`~factdesk.store.base.Store` in one SQLite file, or in memory.

    Args:
        path: the database file (created if missing; its directory must exist), or
            ``":memory:"`` for a private in-memory database.
        timeout: seconds to wait for another process's write lock before failing.

    Raises:
        StorageError: the file cannot be opened, is not a SQLite (or not a factdesk)
            database, was written by a newer factdesk, or this SQLite lacks FTS5.
    """

    def __init__(self, path: str | os.PathLike[str] = "factdesk.db", *, timeout: float = 5.0):
        self.path = os.fspath(path)
        self._lock = threading.RLock()
        self._depth = 0  # nesting of transaction() blocks (guarded by the lock)
        self._conn: sqlite3.Connection | None = _connect(self.path, timeout=timeout)
        try:
            _require_fts5(self._conn)
            migrate(self._conn, name=self.path)
        except BaseException:
            self._conn.close()
            self._conn = None
            raise

    def __repr__(self) -> str:
        return f"SQLiteStore({self.path!r})"

    # -- context manager ------------------------------------------------------------------------

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection; later calls raise StorageError. Closing twice is fine."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # -- documents ------------------------------------------------------------------------------

    def has_document(self, doc_id: str) -> bool:
        """Return whether a document with exactly this id is stored."""
        with self._reading("checking for a document") as conn:
            row = conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return row is not None

    def count_documents(self) -> int:
        """Return how many documents are stored."""
        with self._reading("counting documents") as conn:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])

    def add_documents(self, docs: Sequence[Document]) -> list[bool]:
        """Store a batch of documents in one transaction; see :meth:`Store.add_documents`.

        Raises:
            StorageError: a document could not be stored (for example a claim id already
                used by another document, a claim whose ``doc_id`` is not its document's, a
                NaN quantity, or the database is locked); nothing of this batch was written.
                Any other exception is re-raised unchanged after the same rollback.
        """
        docs = list(docs)
        if not docs:
            return []
        try:
            with self._writing() as conn:
                seen = self._existing_ids(conn, [d.id for d in docs])
                flags: list[bool] = []
                new: list[Document] = []
                for doc in docs:
                    is_new = doc.id not in seen
                    flags.append(is_new)
                    if is_new:
                        seen.add(doc.id)
                        new.append(doc)
                _insert_documents(conn, new)
        except (sqlite3.Error, ValueError, OverflowError) as exc:
            ids = ", ".join(d.id for d in docs[:5]) + (", …" if len(docs) > 5 else "")
            raise StorageError(
                f"Could not store a batch of {len(docs)} document(s) ({ids}) in "
                f"'{self.path}': {exc}. Nothing from this batch was written."
            ) from exc
        return flags

    def get_document(self, doc_id: str) -> Document:
        """Return the stored document with every field and layer; NotFound if absent."""
        with self._reading(f"reading document '{doc_id}'") as conn:
            row = conn.execute(
                f"SELECT {_DOCUMENT_COLUMNS} FROM documents WHERE id = ?", (doc_id,)
            ).fetchone()
            if row is None:
                raise NotFound(f"No document with id '{doc_id}' in '{self.path}'.")
            args = (doc_id,)
            sentences = tuple(
                Sentence(index=r[0], span=(r[1], r[2]), text=r[3])
                for r in conn.execute(
                    "SELECT idx, span_start, span_end, text FROM sentences "
                    "WHERE doc_id = ? ORDER BY pos",
                    args,
                )
            )
            entities = tuple(
                Entity(span=(r[0], r[1]), text=r[2], label=r[3], key=r[4], produced_by=r[5])
                for r in conn.execute(
                    "SELECT span_start, span_end, text, label, key, produced_by FROM entities "
                    "WHERE doc_id = ? ORDER BY pos",
                    args,
                )
            )
            dates = tuple(
                DateMention(
                    span=(r[0], r[1]),
                    text=r[2],
                    value=r[3],
                    type=r[4],
                    ambiguous=bool(r[5]),
                    weekday_ok=None if r[6] is None else bool(r[6]),
                    anchor=r[7],
                    note=r[8],
                    produced_by=r[9],
                )
                for r in conn.execute(
                    "SELECT span_start, span_end, text, value, type, ambiguous, weekday_ok, "
                    "anchor, note, produced_by FROM dates WHERE doc_id = ? ORDER BY pos",
                    args,
                )
            )
            quantities = tuple(
                Quantity(
                    span=(r[0], r[1]),
                    text=r[2],
                    value=r[3],
                    low=r[4],
                    high=r[5],
                    unit=r[6],
                    kind=r[7],
                    approximate=bool(r[8]),
                    produced_by=r[9],
                )
                for r in conn.execute(
                    "SELECT span_start, span_end, text, value, low, high, unit, kind, "
                    "approximate, produced_by FROM quantities WHERE doc_id = ? ORDER BY pos",
                    args,
                )
            )
            attributions = tuple(
                Attribution(
                    speaker=r[0],
                    speaker_key=r[1],
                    speaker_span=_optional_span(r[2], r[3]),
                    cue=r[4],
                    cue_span=_optional_span(r[5], r[6]),
                    content_span=(r[7], r[8]),
                    quote=r[9],
                    via=_strings(r[10]),
                    via_spans=tuple((int(s), int(e)) for s, e in json.loads(r[11])),
                    produced_by=r[12],
                )
                for r in conn.execute(
                    "SELECT speaker, speaker_key, speaker_start, speaker_end, cue, cue_start, "
                    "cue_end, content_start, content_end, quote, via, via_spans, produced_by "
                    "FROM attributions WHERE doc_id = ? ORDER BY pos",
                    args,
                )
            )
            claims = tuple(
                _claim_from_row(r)
                for r in conn.execute(
                    f"SELECT {_CLAIM_COLUMNS} FROM claims WHERE doc_id = ? ORDER BY pos", args
                )
            )
        return Document(
            id=row[0],
            text=row[1],
            source=row[2],
            title=row[3],
            url=row[4],
            publisher=row[5],
            byline=row[6],
            published=_parse_datetime(row[7]),
            fmt=row[9],
            language=row[10],
            analysis_status=row[11],
            sentences=sentences,
            entities=entities,
            dates=dates,
            quantities=quantities,
            attributions=attributions,
            claims=claims,
        )

    def resolve_id(self, prefix: str) -> str:
        """Return the one document id starting with ``prefix``; see :meth:`Store.resolve_id`."""
        prefix = prefix.strip()
        with self._reading(f"resolving document id '{prefix}'") as conn:
            if conn.execute("SELECT 1 FROM documents WHERE id = ?", (prefix,)).fetchone():
                return prefix
            if len(prefix) < MIN_PREFIX:
                raise NotFound(
                    f"Document id '{prefix}' is too short: give at least {MIN_PREFIX} characters "
                    "of the id (see `factdesk list`)."
                )
            # Ids sharing a prefix are contiguous in id order, starting at the first id >= prefix.
            candidates: list[str] = []
            for (doc_id,) in conn.execute(
                "SELECT id FROM documents WHERE id >= ? ORDER BY id LIMIT ?",
                (prefix, _MAX_CANDIDATES + 1),
            ):
                if not doc_id.startswith(prefix):
                    break
                candidates.append(doc_id)
        if not candidates:
            raise NotFound(f"No document id starts with '{prefix}' in '{self.path}'.")
        if len(candidates) > 1:
            shown = ", ".join(candidates[:_MAX_CANDIDATES])
            more = " and more" if len(candidates) > _MAX_CANDIDATES else ""
            raise NotFound(
                f"Document id prefix '{prefix}' is ambiguous: it matches {shown}{more}. "
                "Give more characters."
            )
        return candidates[0]

    def list_documents(self, *, limit: int | None = None) -> list[DocumentSummary]:
        """Return document summaries in insertion order; ``limit`` None means all."""
        with self._reading("listing documents") as conn:
            rows = conn.execute(
                "SELECT id, title, publisher, published, source, language, analysis_status, "
                "n_claims, added_at FROM documents ORDER BY seq LIMIT ?",
                (-1 if limit is None else max(limit, 0),),
            ).fetchall()
        return [
            DocumentSummary(
                id=r[0],
                title=r[1],
                publisher=r[2],
                published=_parse_datetime(r[3]),
                source=r[4],
                language=r[5],
                analysis_status=r[6],
                n_claims=r[7],
                added_at=datetime.fromisoformat(r[8]),
            )
            for r in rows
        ]

    # -- claims ---------------------------------------------------------------------------------

    def claims(self, *, doc_id: str | None = None) -> list[Claim]:
        """Return claims in document insertion order then span order; see :meth:`Store.claims`."""
        columns = _CLAIM_COLUMNS_C
        with self._reading("listing claims") as conn:
            if doc_id is None:
                rows = conn.execute(
                    f"SELECT {columns} FROM claims c JOIN documents d ON d.id = c.doc_id "
                    "ORDER BY d.seq, c.span_start, c.span_end, c.pos"
                ).fetchall()
            else:
                if not conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone():
                    raise NotFound(f"No document with id '{doc_id}' in '{self.path}'.")
                rows = conn.execute(
                    f"SELECT {columns} FROM claims c WHERE c.doc_id = ? "
                    "ORDER BY c.span_start, c.span_end, c.pos",
                    (doc_id,),
                ).fetchall()
        return [_claim_from_row(r) for r in rows]

    def get_claim(self, claim_id: str) -> Claim:
        """Return one claim by its id; NotFound if absent."""
        with self._reading(f"reading claim '{claim_id}'") as conn:
            row = conn.execute(
                f"SELECT {_CLAIM_COLUMNS} FROM claims WHERE id = ?", (claim_id,)
            ).fetchone()
        if row is None:
            raise NotFound(f"No claim with id '{claim_id}' in '{self.path}'.")
        return _claim_from_row(row)

    # -- search ---------------------------------------------------------------------------------

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        """Full-text search over sentences, best first; see :meth:`Store.search`."""
        match = fts_query(query)
        if match is None or limit <= 0:
            return []
        with self._reading(f"searching for {query!r}") as conn:
            rows = conn.execute(
                "SELECT s.doc_id, s.idx, s.span_start, s.span_end, s.text, "
                f"snippet(sentences_fts, 0, '[', ']', '…', {_SNIPPET_TOKENS}), sentences_fts.rank "
                "FROM sentences_fts "
                "JOIN sentences s ON s.id = sentences_fts.rowid "
                "JOIN documents d ON d.id = s.doc_id "
                "WHERE sentences_fts MATCH ? "
                "ORDER BY sentences_fts.rank, d.seq, s.pos LIMIT ?",
                (match, limit),
            ).fetchall()
        return [
            SearchHit(
                doc_id=r[0],
                sentence_index=r[1],
                span=(r[2], r[3]),
                text=r[4],
                snippet=r[5],
                rank=float(r[6]),
            )
            for r in rows
        ]

    # -- runs -----------------------------------------------------------------------------------

    def record_run(self, outcomes: Sequence[Outcome], *, command: str) -> int:
        """Store one ingest run and its outcomes in input order; return the run's id."""
        outcomes = list(outcomes)
        try:
            with self._writing() as conn:
                cursor = conn.execute(
                    "INSERT INTO runs (command, recorded_at, n_ok, n_skipped, n_failed) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (
                        command,
                        _now(),
                        sum(o.status == "ok" for o in outcomes),
                        sum(o.status == "skipped" for o in outcomes),
                        sum(o.status == "failed" for o in outcomes),
                    ),
                )
                run_id = cursor.lastrowid
                assert run_id is not None  # an INSERT into a rowid table always sets it
                conn.executemany(
                    "INSERT INTO outcomes (run_id, pos, source, status, doc_id, reason, code, "
                    "title) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        (run_id, pos, o.source, o.status, o.doc_id, o.reason, o.code, o.title)
                        for pos, o in enumerate(outcomes)
                    ),
                )
        except (sqlite3.Error, ValueError, OverflowError) as exc:
            raise StorageError(
                f"Could not record the run of {command!r} in '{self.path}': {exc}."
            ) from exc
        return run_id

    def runs(self, limit: int = 10) -> list[RunRecord]:
        """Return the ``limit`` most recent runs, newest first, each with its outcomes."""
        with self._reading("listing runs") as conn:
            heads = conn.execute(
                "SELECT id, command, recorded_at FROM runs ORDER BY id DESC LIMIT ?",
                (max(limit, 0),),
            ).fetchall()
            outcomes: dict[int, list[Outcome]] = {row[0]: [] for row in heads}
            for chunk in _chunks(list(outcomes), _CHUNK):
                marks = ", ".join("?" * len(chunk))
                for r in conn.execute(
                    "SELECT run_id, source, status, doc_id, reason, code, title FROM outcomes "
                    f"WHERE run_id IN ({marks}) ORDER BY run_id, pos",
                    chunk,
                ):
                    outcomes[r[0]].append(
                        Outcome(
                            source=r[1],
                            status=r[2],
                            doc_id=r[3],
                            reason=r[4],
                            code=r[5],
                            title=r[6],
                        )
                    )
        return [
            RunRecord(
                id=r[0],
                command=r[1],
                recorded_at=datetime.fromisoformat(r[2]),
                outcomes=tuple(outcomes[r[0]]),
            )
            for r in heads
        ]

    # -- stories --------------------------------------------------------------------------------

    def list_stories(self) -> list[Story]:
        """Return every story in creation order with its documents in assignment order."""
        with self._reading("listing stories") as conn:
            heads = conn.execute(
                "SELECT id, label, entities, dates, produced_by FROM stories ORDER BY seq"
            ).fetchall()
            members: dict[str, list[str]] = {row[0]: [] for row in heads}
            for story_id, doc_id in conn.execute(
                "SELECT story_id, doc_id FROM story_documents ORDER BY story_id, seq"
            ):
                members.setdefault(story_id, []).append(doc_id)
        return [_story_from_row(r, members.get(r[0], [])) for r in heads]

    def get_story(self, story_id: str) -> Story:
        """Return one story; NotFound if absent."""
        with self._reading(f"reading story '{story_id}'") as conn:
            row = conn.execute(
                "SELECT id, label, entities, dates, produced_by FROM stories WHERE id = ?",
                (story_id,),
            ).fetchone()
            if row is None:
                raise NotFound(f"No story with id '{story_id}' in '{self.path}'.")
            docs = [
                r[0]
                for r in conn.execute(
                    "SELECT doc_id FROM story_documents WHERE story_id = ? ORDER BY seq",
                    (story_id,),
                )
            ]
        return _story_from_row(row, docs)

    def story_of(self, doc_id: str) -> str | None:
        """Return the story id holding ``doc_id``, or None when it is not assigned."""
        with self._reading(f"finding the story of '{doc_id}'") as conn:
            row = conn.execute(
                "SELECT story_id FROM story_documents WHERE doc_id = ?", (doc_id,)
            ).fetchone()
        return None if row is None else str(row[0])

    def story_states(self, story_ids: Sequence[str]) -> list[StoryState]:
        """Return the stored states of the given stories (unknown ids left out), in order."""
        wanted = list(dict.fromkeys(story_ids))
        found: dict[str, StoryState] = {}
        with self._reading("reading story states") as conn:
            for chunk in _chunks(wanted, _CHUNK):
                marks = ", ".join("?" * len(chunk))
                rows = conn.execute(
                    "SELECT id, label, entities, dates, produced_by, profile, vector, locked, "
                    f"label_doc_id FROM stories WHERE id IN ({marks})",
                    chunk,
                ).fetchall()
                keys: dict[str, list[str]] = {r[0]: [] for r in rows}
                for story_id, key in conn.execute(
                    f"SELECT story_id, key FROM story_keys WHERE story_id IN ({marks}) "
                    "ORDER BY story_id, key",
                    chunk,
                ):
                    keys[story_id].append(key)
                for r in rows:
                    found[r[0]] = StoryState(
                        story=_story_from_row(r[:5], []),
                        profile=r[5],
                        vector=bytes(r[6] or b""),
                        keys=tuple(keys[r[0]]),
                        locked=bool(r[7]),
                        label_doc_id=r[8],
                    )
        return [found[i] for i in wanted if i in found]

    def story_members(
        self, story_id: str, *, limit: int | None = None, doc_ids: Sequence[str] | None = None
    ) -> list[StoryMember]:
        """Return members of a story in assignment order; see :meth:`Store.story_members`."""
        columns = "doc_id, story_id, features, vector, pinned, seq"
        with self._reading(f"reading the members of story '{story_id}'") as conn:
            if doc_ids is not None:
                rows: list[Any] = []
                for chunk in _chunks(list(dict.fromkeys(doc_ids)), _CHUNK):
                    marks = ", ".join("?" * len(chunk))
                    rows.extend(
                        conn.execute(
                            f"SELECT {columns} FROM story_documents WHERE doc_id IN ({marks})",
                            chunk,
                        )
                    )
                rows.sort(key=lambda r: r[5])
            elif limit is None:
                rows = conn.execute(
                    f"SELECT {columns} FROM story_documents WHERE story_id = ? ORDER BY seq",
                    (story_id,),
                ).fetchall()
            else:
                rows = conn.execute(
                    f"SELECT {columns} FROM story_documents WHERE story_id = ? "
                    "ORDER BY seq DESC LIMIT ?",
                    (story_id, max(limit, 0)),
                ).fetchall()[::-1]
        return [
            StoryMember(
                doc_id=r[0],
                story_id=r[1],
                features=r[2],
                vector=bytes(r[3] or b""),
                pinned=bool(r[4]),
            )
            for r in rows
        ]

    def find_story_candidates(
        self, keys: Sequence[str], *, per_key: int, recent: int
    ) -> list[tuple[str, int]]:
        """Return ``(story_id, hits)`` candidates from the index; see the Protocol."""
        hits: dict[str, int] = {}
        activity: dict[str, int] = {}
        with self._reading("finding candidate stories") as conn:
            for key in dict.fromkeys(keys):
                for story_id, act in conn.execute(
                    "SELECT story_id, activity FROM story_keys WHERE key = ? "
                    "ORDER BY activity DESC LIMIT ?",
                    (key, max(per_key, 0)),
                ):
                    hits[story_id] = hits.get(story_id, 0) + 1
                    activity[story_id] = act
            for story_id, act in conn.execute(
                "SELECT id, activity FROM stories ORDER BY activity DESC LIMIT ?",
                (max(recent, 0),),
            ):
                hits.setdefault(story_id, 0)
                activity[story_id] = act
        return sorted(hits.items(), key=lambda kv: (-kv[1], -activity[kv[0]], kv[0]))

    def feature_counts(self, keys: Sequence[str]) -> tuple[int, dict[str, int]]:
        """Return ``(documents counted, {key: document frequency})``; unknown keys left out."""
        out: dict[str, int] = {}
        with self._reading("reading feature counts") as conn:
            total = int(
                conn.execute(
                    "SELECT value FROM story_meta WHERE key = 'documents_counted'"
                ).fetchone()[0]
            )
            for chunk in _chunks(list(dict.fromkeys(keys)), _CHUNK):
                marks = ", ".join("?" * len(chunk))
                out.update(
                    (k, int(n))
                    for k, n in conn.execute(
                        f"SELECT key, n FROM feature_counts WHERE key IN ({marks})", chunk
                    )
                )
        return total, out

    def pair_scores(self, doc_ids: Sequence[str]) -> dict[tuple[str, str], float]:
        """Return cached pair scores among ``doc_ids``, keyed ``(a, b)`` with a < b."""
        ids = sorted(set(doc_ids))
        out: dict[tuple[str, str], float] = {}
        if len(ids) < 2:
            return out
        with self._reading("reading pair scores") as conn:
            # Bounded by the caller (a story's most recent members), so one IN list is fine.
            for chunk in _chunks(ids, _CHUNK // 2):
                marks = ", ".join("?" * len(chunk))
                for a, b, score in conn.execute(
                    f"SELECT a, b, score FROM story_pairs WHERE a IN ({marks})", chunk
                ):
                    out[(a, b)] = float(score)
        wanted = set(ids)
        return {k: v for k, v in out.items() if k[1] in wanted}

    def story_constraints(self, story_ids: Sequence[str]) -> list[StoryConstraint]:
        """Return the constraints naming any of ``story_ids``."""
        ids = list(dict.fromkeys(story_ids))
        found: set[tuple[str, str, str]] = set()
        with self._reading("reading story constraints") as conn:
            for chunk in _chunks(ids, _CHUNK):
                marks = ", ".join("?" * len(chunk))
                found.update(
                    conn.execute(
                        f"SELECT kind, a, b FROM story_constraints WHERE a IN ({marks}) "
                        f"UNION SELECT kind, a, b FROM story_constraints WHERE b IN ({marks})",
                        chunk + chunk,
                    ).fetchall()
                )
        return [StoryConstraint(kind=k, a=a, b=b) for k, a, b in sorted(found)]

    def story_decisions(self, *, limit: int | None = None) -> list[StoryDecision]:
        """Return recorded user decisions, oldest first (the last ``limit`` when given)."""
        with self._reading("reading story decisions") as conn:
            rows = conn.execute(
                "SELECT id, action, payload, recorded_at FROM story_decisions "
                "ORDER BY id DESC LIMIT ?",
                (-1 if limit is None else max(limit, 0),),
            ).fetchall()
        return [
            StoryDecision(
                id=r[0], action=r[1], payload=r[2], recorded_at=datetime.fromisoformat(r[3])
            )
            for r in reversed(rows)
        ]

    def save_story_change(self, change: StoryChange) -> None:
        """Apply one :class:`StoryChange` in a single transaction (all or nothing)."""
        try:
            with self._writing() as conn:
                _apply_story_change(conn, change)
        except (sqlite3.Error, ValueError) as exc:
            raise StorageError(
                f"Could not save a story change in '{self.path}': {exc}. Nothing of it was written."
            ) from exc

    def save_findings(self, story_id: str, payload_json: str) -> None:
        """Store the findings JSON of a story, replacing any; NotFound for an unknown story."""
        try:
            with self._writing() as conn:
                if not conn.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone():
                    raise NotFound(f"No story with id '{story_id}' in '{self.path}'.")
                conn.execute(
                    "INSERT OR REPLACE INTO story_findings (story_id, payload, updated_at) "
                    "VALUES (?, ?, ?)",
                    (story_id, payload_json, _now()),
                )
        except sqlite3.Error as exc:
            raise StorageError(
                f"Could not save findings of story '{story_id}' in '{self.path}': {exc}."
            ) from exc

    def load_findings(self, story_id: str) -> str | None:
        """Return the stored findings JSON of a story, or None when absent or out of date."""
        with self._reading(f"reading findings of story '{story_id}'") as conn:
            row = conn.execute(
                "SELECT payload FROM story_findings WHERE story_id = ?", (story_id,)
            ).fetchone()
        return None if row is None else str(row[0])

    # -- helpers --------------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StorageError(f"The store '{self.path}' is closed.")
        return self._conn

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Make the writes inside one transaction: one commit for all of them, or none of them.

        Each write inside is still all or nothing on its own (a savepoint), so a write that
        fails can be caught and the others kept. Other threads wait for the whole block (the
        connection is shared), and other processes for its commit, so keep it short: the
        story assignment of one ingest batch (see :meth:`Store.transaction`).

        Raises:
            StorageError: the transaction could not begin (the database is locked by another
                process for longer than the timeout) or commit; nothing of it was written.
                Whatever else the block raises is re-raised after the rollback.
        """
        with self._lock:
            if self._depth:  # already inside one: these writes are part of it
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            try:
                with self._writing():
                    self._depth = 1
                    try:
                        yield
                    finally:
                        self._depth = 0
            except sqlite3.Error as exc:
                raise StorageError(
                    f"Could not begin or commit a transaction in '{self.path}': {exc}. Nothing "
                    "of it was written."
                ) from exc

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write, all or nothing: its own transaction, or a savepoint inside
        :meth:`transaction`. Whatever it raises is re-raised after the rollback."""
        with self._lock:
            conn = self._connection()
            if self._depth:
                conn.execute("SAVEPOINT write")
                try:
                    yield conn
                except BaseException:
                    # Some errors (a full disk) end the whole transaction: nothing to undo then.
                    if conn.in_transaction:
                        conn.execute("ROLLBACK TO write")
                        conn.execute("RELEASE write")
                    raise
                conn.execute("RELEASE write")
                return
            # IMMEDIATE takes the write lock now (waiting up to the busy timeout) rather than
            # failing half-way when a read transaction tries to upgrade.
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    @contextmanager
    def _reading(self, action: str) -> Iterator[sqlite3.Connection]:
        """Hold the lock and turn SQLite errors into StorageError naming ``action``."""
        with self._lock:
            conn = self._connection()
            try:
                yield conn
            except sqlite3.Error as exc:
                raise StorageError(f"Failed {action} in '{self.path}': {exc}.") from exc

    @staticmethod
    def _existing_ids(conn: sqlite3.Connection, ids: list[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(sorted(set(ids)), _CHUNK):
            marks = ", ".join("?" * len(chunk))
            found.update(
                row[0]
                for row in conn.execute(f"SELECT id FROM documents WHERE id IN ({marks})", chunk)
            )
        return found


def fts_query(query: str) -> str | None:
    """Turn user input into an FTS5 query that matches every term literally, or None if empty.

    Each whitespace-separated term becomes a quoted phrase (inner quotes doubled), so FTS5
    operators, parentheses, ``*``, ``^``, ``:`` and stray quotes are searched as text, never
    parsed. Terms with no word characters (``(``) match nothing and FTS5 ignores them.
    """
    # FTS5 reads its query as a C string: a NUL would end it inside a quoted term.
    terms = query.replace("\x00", " ").split()
    if not terms:
        return None
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


def _connect(path: str, *, timeout: float) -> sqlite3.Connection:
    """Open ``path`` in autocommit mode, check it is a SQLite database and set the pragmas."""
    try:
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StorageError(
            f"Cannot open database '{path}': {exc}. Check that its directory exists and is "
            "writable."
        ) from exc
    try:
        # The first read of the file header is where "file is not a database" shows up.
        conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000):d}")
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        conn.execute("PRAGMA synchronous = NORMAL")
        # Copy the WAL back into the database every 10,000 pages (40 MB) instead of SQLite's
        # 1,000: a story assignment dirties a few hundred pages (document frequencies, story
        # keys), so at 1,000 every fifth commit also paid for a checkpoint. Assigning one
        # document to a 10,000-document store: median 6.1 -> 5.5 ms, p90 26.5 -> 9.5 ms.
        conn.execute("PRAGMA wal_autocheckpoint = 10000")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        conn.close()
        if getattr(exc, "sqlite_errorcode", None) in (_SQLITE_NOTADB, _SQLITE_CORRUPT):
            raise StorageError(
                f"'{path}' is not a SQLite database ({exc}). Give another --db path, or move "
                "the file away."
            ) from exc
        raise StorageError(f"Cannot open database '{path}': {exc}.") from exc
    return conn


def _require_fts5(conn: sqlite3.Connection) -> None:
    try:
        conn.execute("CREATE VIRTUAL TABLE temp._factdesk_fts5_probe USING fts5 (x)")
        conn.execute("DROP TABLE temp._factdesk_fts5_probe")
    except sqlite3.OperationalError as exc:
        raise StorageError(
            f"This Python's SQLite ({sqlite3.sqlite_version}) was built without FTS5, which "
            f"factdesk needs for search ({exc}). Use a Python whose sqlite3 module includes FTS5 "
            "(python.org, Debian/Ubuntu and conda builds do)."
        ) from exc


def _insert_documents(conn: sqlite3.Connection, docs: list[Document]) -> None:
    """Insert ``docs`` (none of them stored yet) and all their layers, one executemany a table."""
    for doc in docs:
        for claim in doc.claims:
            if claim.doc_id != doc.id:
                raise StorageError(
                    f"Claim '{claim.id}' of document '{doc.id}' says its doc_id is "
                    f"'{claim.doc_id}'; a claim must belong to the document that holds it."
                )
    now = _now()
    conn.executemany(
        f"INSERT INTO documents ({_DOCUMENT_COLUMNS}) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                d.id,
                d.text,
                d.source,
                d.title,
                d.url,
                d.publisher,
                d.byline,
                _format_datetime(d.published),
                None if d.published is None else _utc(d.published),
                d.fmt,
                d.language,
                d.analysis_status,
                len(d.sentences),
                len(d.claims),
                now,
            )
            for d in docs
        ),
    )
    conn.executemany(
        "INSERT INTO sentences (doc_id, pos, idx, span_start, span_end, text) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            (d.id, pos, s.index, s.span[0], s.span[1], s.text)
            for d in docs
            for pos, s in enumerate(d.sentences)
        ),
    )
    conn.executemany(
        "INSERT INTO entities (doc_id, pos, span_start, span_end, text, label, key, produced_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (d.id, pos, e.span[0], e.span[1], e.text, e.label, e.key, e.produced_by)
            for d in docs
            for pos, e in enumerate(d.entities)
        ),
    )
    conn.executemany(
        "INSERT INTO dates (doc_id, pos, span_start, span_end, text, value, type, ambiguous, "
        "weekday_ok, anchor, note, produced_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                d.id,
                pos,
                m.span[0],
                m.span[1],
                m.text,
                m.value,
                m.type,
                m.ambiguous,
                m.weekday_ok,
                m.anchor,
                m.note,
                m.produced_by,
            )
            for d in docs
            for pos, m in enumerate(d.dates)
        ),
    )
    conn.executemany(
        "INSERT INTO quantities (doc_id, pos, span_start, span_end, text, value, low, high, unit, "
        "kind, approximate, produced_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                d.id,
                pos,
                q.span[0],
                q.span[1],
                q.text,
                _real(q.value),
                _real(q.low),
                _real(q.high),
                q.unit,
                q.kind,
                q.approximate,
                q.produced_by,
            )
            for d in docs
            for pos, q in enumerate(d.quantities)
        ),
    )
    conn.executemany(
        "INSERT INTO attributions (doc_id, pos, speaker, speaker_key, speaker_start, speaker_end, "
        "cue, cue_start, cue_end, content_start, content_end, quote, via, via_spans, produced_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                d.id,
                pos,
                a.speaker,
                a.speaker_key,
                *_span_columns(a.speaker_span),
                a.cue,
                *_span_columns(a.cue_span),
                a.content_span[0],
                a.content_span[1],
                a.quote,
                _json(list(a.via)),
                _json([list(span) for span in a.via_spans]),
                a.produced_by,
            )
            for d in docs
            for pos, a in enumerate(d.attributions)
        ),
    )
    conn.executemany(
        f"INSERT INTO claims ({_CLAIM_COLUMNS}) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (_claim_row(d.id, pos, c) for d in docs for pos, c in enumerate(d.claims)),
    )


def _apply_story_change(conn: sqlite3.Connection, change: StoryChange) -> None:
    """Write ``change`` on ``conn`` inside the caller's transaction (see :class:`StoryChange`)."""
    now = _now()
    touched: set[str] = set()
    if change.stories or change.members:
        activity = _next_counter(conn, "activity")
    for state in change.stories:
        s = state.story
        touched.add(s.id)
        conn.execute(
            "INSERT INTO stories (id, label, label_doc_id, entities, dates, profile, vector, "
            "locked, activity, produced_by, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET label = excluded.label, "
            "label_doc_id = excluded.label_doc_id, entities = excluded.entities, "
            "dates = excluded.dates, profile = excluded.profile, vector = excluded.vector, "
            "locked = excluded.locked, activity = excluded.activity, "
            "produced_by = excluded.produced_by, updated_at = excluded.updated_at",
            (
                s.id,
                s.label,
                state.label_doc_id,
                _json(list(s.entities)),
                _json(list(s.dates)),
                state.profile,
                state.vector,
                state.locked,
                activity,
                s.produced_by,
                now,
                now,
            ),
        )
        conn.execute("DELETE FROM story_keys WHERE story_id = ?", (s.id,))
        conn.executemany(
            "INSERT INTO story_keys (key, story_id, activity) VALUES (?, ?, ?)",
            ((key, s.id, activity) for key in dict.fromkeys(state.keys)),
        )
    for m in change.members:
        row = conn.execute(
            "SELECT story_id FROM story_documents WHERE doc_id = ?", (m.doc_id,)
        ).fetchone()
        touched.add(m.story_id)
        if row is None:
            seq = _next_counter(conn, "members")
            conn.execute(
                "INSERT INTO story_documents (doc_id, story_id, seq, pinned, features, vector) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (m.doc_id, m.story_id, seq, m.pinned, m.features, m.vector),
            )
        else:
            touched.add(row[0])
            conn.execute(
                "UPDATE story_documents SET story_id = ?, pinned = ?, features = ?, vector = ? "
                "WHERE doc_id = ?",
                (m.story_id, m.pinned, m.features, m.vector, m.doc_id),
            )
    for story_id in change.deleted:
        touched.add(story_id)
        left = conn.execute(
            "SELECT count(*) FROM story_documents WHERE story_id = ?", (story_id,)
        ).fetchone()[0]
        if left:
            raise ValueError(f"story '{story_id}' still has {left} document(s); move them first")
        if change.merged_into is not None:
            _repoint_constraints(conn, story_id, change.merged_into)
        conn.execute("DELETE FROM story_constraints WHERE a = ? OR b = ?", (story_id, story_id))
        conn.execute("DELETE FROM stories WHERE id = ?", (story_id,))
    for keys in change.counts:
        conn.execute("UPDATE story_meta SET value = value + 1 WHERE key = 'documents_counted'")
        conn.executemany(
            "INSERT INTO feature_counts (key, n) VALUES (?, 1) "
            "ON CONFLICT (key) DO UPDATE SET n = n + 1",
            ((k,) for k in dict.fromkeys(keys)),
        )
    conn.executemany(
        "INSERT OR REPLACE INTO story_pairs (a, b, score) VALUES (?, ?, ?)",
        ((min(a, b), max(a, b), float(score)) for a, b, score in change.pairs if a != b),
    )
    decision_id = None
    if change.decision is not None:
        cursor = conn.execute(
            "INSERT INTO story_decisions (action, payload, recorded_at) VALUES (?, ?, ?)",
            (change.decision.action, change.decision.payload, now),
        )
        decision_id = cursor.lastrowid
    for c in change.constraints:
        if c.kind not in ("cannot-link", "must-link"):
            raise ValueError(f"unknown constraint kind {c.kind!r}: cannot-link or must-link")
        a, b = sorted((c.a, c.b))
        if a != b:
            conn.execute(
                "INSERT OR REPLACE INTO story_constraints (kind, a, b, decision_id) "
                "VALUES (?, ?, ?, ?)",
                (c.kind, a, b, decision_id),
            )
    for chunk in _chunks(sorted(touched), _CHUNK):
        marks = ", ".join("?" * len(chunk))
        conn.execute(f"DELETE FROM story_findings WHERE story_id IN ({marks})", chunk)


def _next_counter(conn: sqlite3.Connection, key: str) -> int:
    """Increment and return a counter of ``story_meta`` (created at 1 when missing)."""
    conn.execute(
        "INSERT INTO story_meta (key, value) VALUES (?, 1) "
        "ON CONFLICT (key) DO UPDATE SET value = value + 1",
        (key,),
    )
    return int(conn.execute("SELECT value FROM story_meta WHERE key = ?", (key,)).fetchone()[0])


def _repoint_constraints(conn: sqlite3.Connection, old: str, new: str) -> None:
    """Make constraints naming story ``old`` name ``new`` instead (dropping self-links)."""
    rows = conn.execute(
        "SELECT kind, a, b, decision_id FROM story_constraints WHERE a = ? OR b = ?", (old, old)
    ).fetchall()
    for kind, a, b, decision_id in rows:
        other = b if a == old else a
        if other == new:
            continue
        x, y = sorted((other, new))
        conn.execute(
            "INSERT OR REPLACE INTO story_constraints (kind, a, b, decision_id) "
            "VALUES (?, ?, ?, ?)",
            (kind, x, y, decision_id),
        )


def _story_from_row(r: Sequence[Any], doc_ids: Sequence[str]) -> Story:
    return Story(
        id=r[0],
        label=r[1],
        doc_ids=tuple(doc_ids),
        entities=_strings(r[2]),
        dates=_strings(r[3]),
        produced_by=r[4],
    )


# -- row conversion -----------------------------------------------------------------------------


def _claim_row(doc_id: str, pos: int, c: Claim) -> tuple[Any, ...]:
    return (
        c.id,
        doc_id,
        pos,
        c.span[0],
        c.span[1],
        c.text,
        c.sentence_index,
        c.checkable,
        c.modality,
        c.speaker,
        c.speaker_key,
        c.cue,
        _json(list(c.via)),
        c.quote,
        c.negated,
        _json([_entity_json(e) for e in c.entities]),
        _json([_date_json(m) for m in c.dates]),
        _json([_quantity_json(q) for q in c.quantities]),
        _json(list(c.reasons)),
        c.produced_by,
    )


def _claim_from_row(r: Sequence[Any]) -> Claim:
    return Claim(
        id=r[0],
        doc_id=r[1],
        span=(r[3], r[4]),
        text=r[5],
        sentence_index=r[6],
        checkable=bool(r[7]),
        modality=r[8],
        speaker=r[9],
        speaker_key=r[10],
        cue=r[11],
        via=_strings(r[12]),
        quote=r[13],
        negated=bool(r[14]),
        entities=tuple(_entity_from_json(o) for o in json.loads(r[15])),
        dates=tuple(_date_from_json(o) for o in json.loads(r[16])),
        quantities=tuple(_quantity_from_json(o) for o in json.loads(r[17])),
        reasons=_strings(r[18]),
        produced_by=r[19],
    )


def _entity_json(e: Entity) -> dict[str, Any]:
    return {
        "span": list(e.span),
        "text": e.text,
        "label": e.label,
        "key": e.key,
        "produced_by": e.produced_by,
    }


def _entity_from_json(o: dict[str, Any]) -> Entity:
    return Entity(
        span=_span(o["span"]),
        text=o["text"],
        label=o["label"],
        key=o["key"],
        produced_by=o["produced_by"],
    )


def _date_json(m: DateMention) -> dict[str, Any]:
    return {
        "span": list(m.span),
        "text": m.text,
        "value": m.value,
        "type": m.type,
        "ambiguous": m.ambiguous,
        "weekday_ok": m.weekday_ok,
        "anchor": m.anchor,
        "note": m.note,
        "produced_by": m.produced_by,
    }


def _date_from_json(o: dict[str, Any]) -> DateMention:
    return DateMention(
        span=_span(o["span"]),
        text=o["text"],
        value=o["value"],
        type=o["type"],
        ambiguous=o["ambiguous"],
        weekday_ok=o["weekday_ok"],
        anchor=o["anchor"],
        note=o["note"],
        produced_by=o["produced_by"],
    )


def _quantity_json(q: Quantity) -> dict[str, Any]:
    return {
        "span": list(q.span),
        "text": q.text,
        "value": _real(q.value),
        "low": _real(q.low),
        "high": _real(q.high),
        "unit": q.unit,
        "kind": q.kind,
        "approximate": q.approximate,
        "produced_by": q.produced_by,
    }


def _quantity_from_json(o: dict[str, Any]) -> Quantity:
    return Quantity(
        span=_span(o["span"]),
        text=o["text"],
        value=o["value"],
        low=o["low"],
        high=o["high"],
        unit=o["unit"],
        kind=o["kind"],
        approximate=o["approximate"],
        produced_by=o["produced_by"],
    )


def _json(value: object) -> str:
    # allow_nan=True writes infinite quantity bounds as Infinity, which json.loads reads back;
    # NaN never gets here (_real refuses it).
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=True)


def _strings(text: str) -> tuple[str, ...]:
    return tuple(str(s) for s in json.loads(text))


def _span(value: Sequence[int]) -> Span:
    start, end = value
    return (int(start), int(end))


def _optional_span(start: int | None, end: int | None) -> Span | None:
    return None if start is None or end is None else (start, end)


def _span_columns(span: Span | None) -> tuple[int | None, int | None]:
    return (None, None) if span is None else (span[0], span[1])


def _real(value: float | None) -> float | None:
    """Pass a quantity bound through, refusing NaN (SQLite would store it as NULL silently)."""
    if value is not None and math.isnan(value):
        raise ValueError("a quantity value, low or high bound is NaN; use None for unknown")
    return value


def _format_datetime(value: datetime | None) -> str | None:
    # isoformat keeps microseconds and the UTC offset ("+03:00"); fromisoformat reads it back.
    return None if value is None else value.isoformat()


def _parse_datetime(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _utc(value: datetime) -> str | None:
    """Return ``value`` in UTC for sorting, or None for a naive datetime (offset unknown)."""
    if value.tzinfo is None or value.utcoffset() is None:
        return None
    try:
        return value.astimezone(UTC).isoformat()
    except OverflowError:  # year 1 minus an offset, year 9999 plus one: no UTC instant to sort by
        return None


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
