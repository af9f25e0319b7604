"""The SQLite schema, as an ordered list of migration steps.

``PRAGMA user_version`` holds the number of the last step applied; opening a database applies
the missing steps in one transaction. To change the schema, append a :class:`Migration` with
the next number: never edit a step that has shipped, because databases out there already ran it.

Layout decisions (version 1):

* ``documents`` has an ``INTEGER PRIMARY KEY`` ``seq`` for insertion order (a plain rowid may be
  renumbered by ``VACUUM``) and the content-hash ``id`` as a unique key that children refer to.
* Document-level layers (sentences, entities, dates, quantities, attributions) are normalised
  child tables keyed by ``(doc_id, pos)``, ``pos`` being the record's position in its tuple so
  ``get_document`` rebuilds the tuple exactly. They are what later stages search across the
  corpus (which documents mention entity key X, date value Y, speaker Z), so their keys are
  real indexed columns.
* Claims keep the columns queries filter or sort on as real columns (``doc_id``, ``modality``,
  ``speaker_key``, ``checkable``, the span), indexed. Their nested layers (entities, dates,
  quantities: copies of document-level records the claim covers) and the string tuples ``via``
  and ``reasons`` are JSON arrays: they are only ever read together with their claim, never
  filtered on, and JSON keeps the round trip exact while inserting one row per claim.
* Spans are two integer columns (``*_start``, ``*_end``); datetimes are ISO 8601 text with
  their UTC offset, plus ``published_utc`` (UTC, sortable) for timelines.
* ``sentences_fts`` is an external-content FTS5 index over ``sentences.text``, kept in step
  by triggers. The tokenizer is ``porter unicode61 remove_diacritics 2``: unicode61 folds case
  and diacritics for every script ("cafe" finds "Café"), and the Porter stemmer on top lets an
  editor's "kill" find "killed" in English copy; it leaves non-English words essentially alone.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from factdesk.errors import StorageError

#: ``PRAGMA application_id`` of a factdesk database ("fdk1"): tells our files from other apps'.
APPLICATION_ID = 0x66646B31


@dataclass(frozen=True, slots=True, kw_only=True)
class Migration:
    """One schema step: SQL statements run in order, then an optional Python data step."""

    version: int
    description: str
    statements: tuple[str, ...]
    apply: Callable[[sqlite3.Connection], None] | None = None


_V1 = (
    f"PRAGMA application_id = {APPLICATION_ID}",
    """
    CREATE TABLE documents (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        text TEXT NOT NULL,
        source TEXT NOT NULL,
        title TEXT,
        url TEXT,
        publisher TEXT,
        byline TEXT,
        published TEXT,
        published_utc TEXT,
        fmt TEXT NOT NULL,
        language TEXT NOT NULL,
        analysis_status TEXT NOT NULL,
        n_sentences INTEGER NOT NULL,
        n_claims INTEGER NOT NULL,
        added_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX documents_published_utc ON documents (published_utc)",
    "CREATE INDEX documents_url ON documents (url)",
    """
    CREATE TABLE sentences (
        id INTEGER PRIMARY KEY,
        doc_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        pos INTEGER NOT NULL,
        idx INTEGER NOT NULL,
        span_start INTEGER NOT NULL,
        span_end INTEGER NOT NULL,
        text TEXT NOT NULL,
        UNIQUE (doc_id, pos)
    )
    """,
    "CREATE INDEX sentences_doc_idx ON sentences (doc_id, idx)",
    """
    CREATE VIRTUAL TABLE sentences_fts USING fts5 (
        text,
        content = 'sentences',
        content_rowid = 'id',
        tokenize = 'porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER sentences_fts_insert AFTER INSERT ON sentences BEGIN
        INSERT INTO sentences_fts (rowid, text) VALUES (new.id, new.text);
    END
    """,
    """
    CREATE TRIGGER sentences_fts_delete AFTER DELETE ON sentences BEGIN
        INSERT INTO sentences_fts (sentences_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END
    """,
    """
    CREATE TRIGGER sentences_fts_update AFTER UPDATE OF text ON sentences BEGIN
        INSERT INTO sentences_fts (sentences_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO sentences_fts (rowid, text) VALUES (new.id, new.text);
    END
    """,
    """
    CREATE TABLE entities (
        doc_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        pos INTEGER NOT NULL,
        span_start INTEGER NOT NULL,
        span_end INTEGER NOT NULL,
        text TEXT NOT NULL,
        label TEXT NOT NULL,
        key TEXT NOT NULL,
        produced_by TEXT NOT NULL,
        PRIMARY KEY (doc_id, pos)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX entities_key ON entities (key)",
    """
    CREATE TABLE dates (
        doc_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        pos INTEGER NOT NULL,
        span_start INTEGER NOT NULL,
        span_end INTEGER NOT NULL,
        text TEXT NOT NULL,
        value TEXT,
        type TEXT NOT NULL,
        ambiguous INTEGER NOT NULL,
        weekday_ok INTEGER,
        anchor TEXT,
        note TEXT,
        produced_by TEXT NOT NULL,
        PRIMARY KEY (doc_id, pos)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX dates_value ON dates (value)",
    """
    CREATE TABLE quantities (
        doc_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        pos INTEGER NOT NULL,
        span_start INTEGER NOT NULL,
        span_end INTEGER NOT NULL,
        text TEXT NOT NULL,
        value REAL,
        low REAL,
        high REAL,
        unit TEXT,
        kind TEXT NOT NULL,
        approximate INTEGER NOT NULL,
        produced_by TEXT NOT NULL,
        PRIMARY KEY (doc_id, pos)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE attributions (
        doc_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        pos INTEGER NOT NULL,
        speaker TEXT,
        speaker_key TEXT,
        speaker_start INTEGER,
        speaker_end INTEGER,
        cue TEXT,
        cue_start INTEGER,
        cue_end INTEGER,
        content_start INTEGER NOT NULL,
        content_end INTEGER NOT NULL,
        quote TEXT NOT NULL,
        via TEXT NOT NULL,        -- JSON array of strings
        via_spans TEXT NOT NULL,  -- JSON array of [start, end]
        produced_by TEXT NOT NULL,
        PRIMARY KEY (doc_id, pos)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX attributions_speaker_key ON attributions (speaker_key)",
    """
    CREATE TABLE claims (
        id TEXT PRIMARY KEY,
        doc_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        pos INTEGER NOT NULL,
        span_start INTEGER NOT NULL,
        span_end INTEGER NOT NULL,
        text TEXT NOT NULL,
        sentence_index INTEGER NOT NULL,
        checkable INTEGER NOT NULL,
        modality TEXT NOT NULL,
        speaker TEXT,
        speaker_key TEXT,
        cue TEXT,
        via TEXT NOT NULL,         -- JSON array of strings
        quote TEXT NOT NULL,
        negated INTEGER NOT NULL,
        entities TEXT NOT NULL,    -- JSON array of Entity objects
        dates TEXT NOT NULL,       -- JSON array of DateMention objects
        quantities TEXT NOT NULL,  -- JSON array of Quantity objects
        reasons TEXT NOT NULL,     -- JSON array of strings
        produced_by TEXT NOT NULL,
        UNIQUE (doc_id, pos)
    )
    """,
    "CREATE INDEX claims_doc_span ON claims (doc_id, span_start, span_end, pos)",
    "CREATE INDEX claims_modality ON claims (modality)",
    "CREATE INDEX claims_speaker_key ON claims (speaker_key)",
    "CREATE INDEX claims_checkable ON claims (checkable)",
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        command TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        n_ok INTEGER NOT NULL,
        n_skipped INTEGER NOT NULL,
        n_failed INTEGER NOT NULL
    )
    """,
    """
    CREATE TABLE outcomes (
        run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        pos INTEGER NOT NULL,
        source TEXT NOT NULL,
        status TEXT NOT NULL,
        doc_id TEXT,  -- no foreign key: a failed or skipped input may name no stored document
        reason TEXT,
        code TEXT,
        title TEXT,
        PRIMARY KEY (run_id, pos)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX outcomes_doc_id ON outcomes (doc_id)",
)

# Version 2: stories. The assigner (factdesk.cluster) owns the meaning of ``profile``,
# ``vector`` and ``features``; the store keeps them opaque. What is indexed is what candidate
# search needs to stay flat as the store grows:
#
# * ``story_keys (key, activity)``: the inverted index from a feature key (entity, lead term,
#   event date, number) to the stories holding it, ordered by the story's last activity so
#   "the N most recently active stories with key K" is an index range, whatever the corpus size.
# * ``stories (activity)``: the recent-stories window.
# * ``feature_counts``: document frequency per feature key, for IDF weights.
# * ``story_pairs``: cached pairwise scores of documents in one story (bounded per story), used
#   to check whether a small story should split; keyed (a, b) with a < b.
# * ``story_decisions``/``story_constraints``: the user's merge/split/move decisions, and the
#   cannot-link pairs of stories they imply; ``story_documents.pinned`` marks documents a user
#   placed, which are never re-assigned automatically.
# * ``story_findings``: the compare stage's JSON per story; cleared whenever the story changes.
_V2 = (
    """
    CREATE TABLE stories (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        label TEXT NOT NULL,
        label_doc_id TEXT,
        entities TEXT NOT NULL,  -- JSON array of canonical keys, most central first
        dates TEXT NOT NULL,     -- JSON array of TIMEX3 values
        profile TEXT NOT NULL,   -- the assigner's state (JSON), opaque to the store
        vector BLOB,             -- the assigner's state (float32), opaque to the store
        locked INTEGER NOT NULL DEFAULT 0,
        activity INTEGER NOT NULL,
        produced_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX stories_activity ON stories (activity)",
    """
    CREATE TABLE story_documents (
        doc_id TEXT PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
        story_id TEXT NOT NULL REFERENCES stories (id),
        seq INTEGER NOT NULL,
        pinned INTEGER NOT NULL DEFAULT 0,
        features TEXT NOT NULL,  -- the assigner's per-document features (JSON), opaque
        vector BLOB
    )
    """,
    "CREATE INDEX story_documents_story ON story_documents (story_id, seq)",
    """
    CREATE TABLE story_keys (
        key TEXT NOT NULL,
        story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
        activity INTEGER NOT NULL,
        PRIMARY KEY (key, story_id)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX story_keys_recent ON story_keys (key, activity)",
    "CREATE INDEX story_keys_story ON story_keys (story_id)",
    """
    CREATE TABLE feature_counts (
        key TEXT PRIMARY KEY,
        n INTEGER NOT NULL
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE story_pairs (
        a TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        b TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        score REAL NOT NULL,
        PRIMARY KEY (a, b)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE story_decisions (
        id INTEGER PRIMARY KEY,
        action TEXT NOT NULL,
        payload TEXT NOT NULL,  -- JSON object: the stories and documents involved
        recorded_at TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE story_constraints (
        kind TEXT NOT NULL CHECK (kind IN ('cannot-link', 'must-link')),
        a TEXT NOT NULL,
        b TEXT NOT NULL,
        decision_id INTEGER REFERENCES story_decisions (id),
        PRIMARY KEY (kind, a, b)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX story_constraints_b ON story_constraints (b)",
    """
    CREATE TABLE story_findings (
        story_id TEXT PRIMARY KEY REFERENCES stories (id) ON DELETE CASCADE,
        payload TEXT NOT NULL,
        updated_at TEXT NOT NULL
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE story_meta (
        key TEXT PRIMARY KEY,
        value INTEGER NOT NULL
    ) WITHOUT ROWID
    """,
    "INSERT INTO story_meta (key, value) VALUES ('activity', 0), ('documents_counted', 0)",
)

#: Every schema step, oldest first; step ``n`` brings the database to ``user_version = n``.
MIGRATIONS: list[Migration] = [
    Migration(version=1, description="initial schema", statements=_V1),
    Migration(
        version=2, description="stories, their index, decisions and findings", statements=_V2
    ),
]


def latest_version(migrations: list[Migration] | None = None) -> int:
    """Return the schema version a database has after every step has run."""
    steps = MIGRATIONS if migrations is None else migrations
    return steps[-1].version if steps else 0


def migrate(
    conn: sqlite3.Connection, *, name: str, migrations: list[Migration] | None = None
) -> int:
    """Bring the database on ``conn`` up to the latest schema version and return that version.

    ``conn`` must be in autocommit mode (``isolation_level=None``); the missing steps run in
    one ``BEGIN IMMEDIATE`` transaction, so a failed step leaves the database as it was and
    two processes opening a new file at once do not both create the schema. ``name`` is the
    path shown in error messages.

    Raises:
        StorageError: the file belongs to another application, was written by a newer
            factdesk, or a step failed.
    """
    steps = MIGRATIONS if migrations is None else migrations
    for number, step in enumerate(steps, start=1):
        if step.version != number:  # a programming error, caught by the test suite
            raise StorageError(
                f"Migration steps are out of order: step {number} says {step.version}."
            )
    latest = latest_version(steps)

    version = _check_header(conn, name=name, latest=latest)
    if version == latest:
        return version
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Re-read under the write lock: another process may have migrated in the meantime.
        version = _check_header(conn, name=name, latest=latest)
        for step in steps[version:]:
            for statement in step.statements:
                conn.execute(statement)
            if step.apply is not None:
                step.apply(conn)
            conn.execute(f"PRAGMA user_version = {step.version:d}")
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error):
            raise StorageError(
                f"Could not migrate database '{name}' from schema version {version} to {latest}: "
                f"{exc}. The database was left unchanged."
            ) from exc
        raise
    return latest


def _check_header(conn: sqlite3.Connection, *, name: str, latest: int) -> int:
    """Return the database's schema version after checking the file is ours and not newer."""
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if app_id not in (0, APPLICATION_ID) or (app_id == 0 and version != 0):
        raise StorageError(
            f"'{name}' is a SQLite database of another application, not a factdesk database "
            f"(application_id {app_id}, user_version {version}). Give another --db path."
        )
    if app_id == 0:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "ORDER BY name"
            )
        ]
        if tables:
            raise StorageError(
                f"'{name}' is a SQLite database with tables of its own ({', '.join(tables[:10])}), "
                "not a factdesk database. Give another --db path."
            )
    if version > latest:
        raise StorageError(
            f"Database '{name}' has schema version {version}, but this factdesk only knows "
            f"versions up to {latest}: it was written by a newer factdesk. Upgrade factdesk "
            "to open it."
        )
    return version
