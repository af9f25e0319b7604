"""Unit tests for the SQLite store: one behaviour per test, on ":memory:" and on a file."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

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
    content_id,
)
from factdesk.store import MIN_PREFIX, SQLiteStore, Store, open_store
from factdesk.store import migrations as migrations_module
from factdesk.store import sqlite as sqlite_module
from factdesk.store.migrations import APPLICATION_ID, MIGRATIONS, Migration, latest_version

KYIV = timezone(timedelta(hours=3))


def make_doc(
    text: str = "NATO said the council met in Kyiv. TASS reported more than 20 were killed.",
    *,
    n_claims: int = 2,
    published: datetime | None = datetime(2026, 6, 3, 14, 5, 7, 123456, tzinfo=KYIV),
    **fields: object,
) -> Document:
    """Build a document with every layer filled, its sentences split on '. '."""
    doc_id = str(fields.pop("id", content_id(text)))
    sentences: list[Sentence] = []
    start = 0
    for index, part in enumerate(text.split(". ")):
        end = start + len(part) + (1 if start + len(part) < len(text) else 0)
        sentences.append(Sentence(index=index, span=(start, end), text=text[start:end]))
        start = end + 1
    entity = Entity(span=(0, 4), text=text[0:4], label="ORG", key="nato")
    date = DateMention(
        span=(5, 9),
        text=text[5:9],
        value="XXXX-06-03",
        ambiguous=True,
        weekday_ok=False,
        anchor="publication",
        note="year unknown",
    )
    quantity = Quantity(
        span=(10, 14),
        text=text[10:14],
        value=None,
        low=21.0,
        high=None,
        unit="people",
        approximate=True,
    )
    attribution = Attribution(
        speaker="the ministry's press service",
        speaker_key="ministry",
        speaker_span=(0, 4),
        cue="reported",
        cue_span=(5, 9),
        content_span=(10, len(text)),
        quote="direct",
        via=("TASS", "Reuters"),
        via_spans=((0, 4), (5, 9)),
    )
    claims = tuple(
        Claim(
            id=f"{doc_id}-c{i}",
            doc_id=doc_id,
            span=sentences[i % len(sentences)].span,
            text=sentences[i % len(sentences)].text,
            sentence_index=i % len(sentences),
            checkable=i % 2 == 0,
            modality="reported" if i % 2 else "asserted",
            speaker="TASS" if i % 2 else None,
            speaker_key="tass" if i % 2 else None,
            cue="reported" if i % 2 else None,
            via=("TASS", "The Outlet") if i % 2 else (),
            quote="indirect",
            negated=bool(i % 3 == 2),
            entities=(entity,),
            dates=(date,),
            quantities=(quantity, replace(quantity, low=float("-inf"), high=float("inf"))),
            reasons=("cue 'reported'", "no hedge"),
        )
        for i in range(n_claims)
    )
    defaults: dict[str, object] = {
        "id": doc_id,
        "text": text,
        "source": f"tests/{doc_id}.txt",
        "title": "Council meets",
        "url": "https://example.org/a",
        "publisher": "The Outlet",
        "byline": "A. Writer",
        "published": published,
        "fmt": "html",
        "language": "en",
        "analysis_status": "ok",
        "sentences": tuple(sentences),
        "entities": (entity, replace(entity, span=(5, 9), label="GPE", key="kyiv")),
        "dates": (date, replace(date, value=None, ambiguous=False, weekday_ok=None)),
        "quantities": (quantity,),
        "attributions": (
            attribution,
            replace(
                attribution,
                speaker=None,
                speaker_key=None,
                speaker_span=None,
                cue=None,
                cue_span=None,
                via=(),
                via_spans=(),
            ),
        ),
        "claims": claims,
    }
    defaults.update(fields)
    return Document(**defaults)  # type: ignore[arg-type]


@pytest.fixture(params=["memory", "file"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SQLiteStore]:
    target = ":memory:" if request.param == "memory" else str(tmp_path / "factdesk.db")
    with SQLiteStore(target) as opened:
        yield opened


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "factdesk.db"


# -- opening ------------------------------------------------------------------------------------


def test_open_store_returns_a_store_satisfying_the_protocol() -> None:
    with open_store(":memory:") as opened:
        assert isinstance(opened, Store)
        assert opened.count_documents() == 0


def test_open_store_accepts_a_pathlike(db_path: Path) -> None:
    with open_store(db_path) as opened:
        opened.add_documents([make_doc()])
    assert db_path.exists()


@pytest.mark.parametrize("target", ["postgresql://u@localhost/factdesk", "postgres://h/db"])
def test_open_store_refuses_postgresql_for_now(target: str) -> None:
    with pytest.raises(StorageError, match="PostgreSQL backend is not available yet"):
        open_store(target)


def test_open_store_refuses_an_unknown_url_scheme() -> None:
    with pytest.raises(StorageError, match="Unsupported store target"):
        open_store("mysql://localhost/db")


def test_open_sets_wal_foreign_keys_and_synchronous_normal(db_path: Path) -> None:
    with SQLiteStore(db_path) as opened:
        conn = opened._connection()
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0


def test_open_persists_across_reopen(db_path: Path) -> None:
    doc = make_doc()
    with SQLiteStore(db_path) as first:
        first.add_documents([doc])
    with SQLiteStore(db_path) as second:
        assert second.get_document(doc.id) == doc


def test_open_rejects_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StorageError, match="notes.db' is not a SQLite database"):
        SQLiteStore(path)


def test_open_rejects_a_missing_directory(tmp_path: Path) -> None:
    path = tmp_path / "no-such-dir" / "factdesk.db"
    with pytest.raises(StorageError, match="no-such-dir"):
        SQLiteStore(path)


def test_open_rejects_a_newer_schema_version(db_path: Path) -> None:
    SQLiteStore(db_path).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute(f"PRAGMA user_version = {latest_version() + 1}")
    conn.close()
    with pytest.raises(StorageError, match="Upgrade factdesk") as info:
        SQLiteStore(db_path)
    assert str(db_path) in str(info.value)


def test_open_rejects_another_applications_database(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE accounts (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(StorageError, match="not a factdesk database"):
        SQLiteStore(db_path)


def test_open_explains_a_missing_fts5() -> None:
    class NoFts5:
        def execute(self, sql: str) -> None:
            raise sqlite3.OperationalError("no such module: fts5")

    with pytest.raises(StorageError, match="without FTS5"):
        sqlite_module._require_fts5(NoFts5())  # type: ignore[arg-type]


# -- migrations ---------------------------------------------------------------------------------


def test_migrations_are_numbered_from_one_without_gaps() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))


def test_migrate_brings_an_empty_file_to_the_latest_version(db_path: Path) -> None:
    db_path.touch()  # a zero-byte file is an empty SQLite database
    SQLiteStore(db_path).close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == latest_version()
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_schema WHERE type='table'")}
    conn.close()
    expected = {"documents", "sentences", "sentences_fts", "entities", "dates", "quantities"}
    assert expected | {"attributions", "claims", "runs", "outcomes"} <= tables


def test_migrate_upgrades_an_older_database_keeping_its_data(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = make_doc()
    with SQLiteStore(db_path) as old:
        old.add_documents([doc])
    step = Migration(
        version=latest_version() + 1,
        description="add a note column",
        statements=("ALTER TABLE documents ADD COLUMN note TEXT",),
    )
    monkeypatch.setattr(migrations_module, "MIGRATIONS", [*MIGRATIONS, step])
    with SQLiteStore(db_path) as new:
        assert new.get_document(doc.id) == doc
        conn = new._connection()
        assert conn.execute("PRAGMA user_version").fetchone()[0] == step.version
        assert "note" in {row[1] for row in conn.execute("PRAGMA table_info(documents)")}


def test_migrate_failure_leaves_the_database_unchanged(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    SQLiteStore(db_path).close()
    bad = Migration(
        version=latest_version() + 1,
        description="broken",
        statements=("CREATE TABLE extra (x INTEGER)", "THIS IS NOT SQL"),
    )
    monkeypatch.setattr(migrations_module, "MIGRATIONS", [*MIGRATIONS, bad])
    with pytest.raises(StorageError, match="Could not migrate"):
        SQLiteStore(db_path)
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == latest_version(MIGRATIONS)
    assert conn.execute("SELECT 1 FROM sqlite_schema WHERE name = 'extra'").fetchone() is None
    conn.close()


# -- documents ----------------------------------------------------------------------------------


def test_add_documents_returns_true_for_new_and_false_for_stored(store: SQLiteStore) -> None:
    a, b = make_doc("First text. Two."), make_doc("Second text. Two.")
    assert store.add_documents([a]) == [True]
    assert store.add_documents([a, b]) == [False, True]
    assert store.count_documents() == 2


def test_add_documents_flags_a_duplicate_within_the_batch(store: SQLiteStore) -> None:
    doc = make_doc()
    assert store.add_documents([doc, doc]) == [True, False]
    assert store.count_documents() == 1


def test_add_documents_accepts_an_empty_batch(store: SQLiteStore) -> None:
    assert store.add_documents([]) == []


def test_add_documents_rejects_a_claim_of_another_document(store: SQLiteStore) -> None:
    doc = make_doc()
    stray = replace(doc.claims[0], doc_id="someone-else")
    with pytest.raises(StorageError, match="must belong to the document"):
        store.add_documents([replace(doc, claims=(stray,))])
    assert store.count_documents() == 0


def test_add_documents_rejects_a_nan_quantity(store: SQLiteStore) -> None:
    doc = make_doc()
    nan = replace(doc.quantities[0], value=float("nan"))
    with pytest.raises(StorageError, match="NaN"):
        store.add_documents([replace(doc, quantities=(nan,))])


def test_has_document_is_exact(store: SQLiteStore) -> None:
    doc = make_doc()
    store.add_documents([doc])
    assert store.has_document(doc.id)
    assert not store.has_document(doc.id[:8])


def test_get_document_round_trips_every_field_and_layer(store: SQLiteStore) -> None:
    doc = make_doc(n_claims=3)
    store.add_documents([doc])
    got = store.get_document(doc.id)
    assert got == doc
    assert isinstance(got.sentences, tuple)
    assert isinstance(got.claims[0].span, tuple)
    assert isinstance(got.attributions[0].via_spans[0], tuple)
    assert isinstance(got.claims[0].quantities[0].low, float)


@pytest.mark.parametrize(
    "published",
    [
        None,
        datetime(2026, 6, 3, 9, 0, tzinfo=UTC),
        datetime(2026, 6, 3, 9, 0, 0, 1, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        datetime(2026, 11, 27, 23, 59, tzinfo=timezone(timedelta(hours=-8))),
    ],
)
def test_get_document_keeps_the_utc_offset(store: SQLiteStore, published: datetime | None) -> None:
    doc = make_doc(published=published)
    store.add_documents([doc])
    got = store.get_document(doc.id).published
    assert got == published
    assert (got.utcoffset() if got else None) == (published.utcoffset() if published else None)


def test_get_document_of_an_unknown_id_raises_not_found(store: SQLiteStore) -> None:
    with pytest.raises(NotFound, match="no-such-id"):
        store.get_document("no-such-id")


def test_get_document_keeps_an_unanalysed_document(store: SQLiteStore) -> None:
    doc = Document(
        id="ru01",
        text="Привет, мир.",
        source="feed#1",
        language="ru",
        analysis_status="unsupported-language",
    )
    store.add_documents([doc])
    assert store.get_document("ru01") == doc


# -- resolve_id ---------------------------------------------------------------------------------


@pytest.fixture
def prefixed(store: SQLiteStore) -> SQLiteStore:
    store.add_documents(
        [
            make_doc(f"Text {i}. More.", id=doc_id)
            for i, doc_id in enumerate(["abcd1111", "abcd2222", "abce3333", "ffff0000"])
        ]
    )
    return store


def test_resolve_id_returns_a_unique_prefix(prefixed: SQLiteStore) -> None:
    assert prefixed.resolve_id("abce") == "abce3333"
    assert prefixed.resolve_id("abcd1") == "abcd1111"


def test_resolve_id_returns_an_exact_id(prefixed: SQLiteStore) -> None:
    assert prefixed.resolve_id("ffff0000") == "ffff0000"


def test_resolve_id_names_the_candidates_of_an_ambiguous_prefix(prefixed: SQLiteStore) -> None:
    with pytest.raises(NotFound, match="ambiguous") as info:
        prefixed.resolve_id("abcd")
    assert "abcd1111" in str(info.value) and "abcd2222" in str(info.value)


def test_resolve_id_refuses_a_short_prefix(prefixed: SQLiteStore) -> None:
    with pytest.raises(NotFound, match=f"at least {MIN_PREFIX}"):
        prefixed.resolve_id("ab")


def test_resolve_id_of_an_unknown_prefix_raises_not_found(prefixed: SQLiteStore) -> None:
    with pytest.raises(NotFound, match="No document id starts with '0000'"):
        prefixed.resolve_id("0000")


# -- list_documents -----------------------------------------------------------------------------


def test_list_documents_is_in_insertion_order(store: SQLiteStore) -> None:
    ids = ["zzzz", "aaaa", "mmmm"]
    store.add_documents([make_doc(f"Doc {i}. X.", id=i) for i in ids[:2]])
    store.add_documents([make_doc("Doc m. X.", id=ids[2])])
    assert [s.id for s in store.list_documents()] == ids
    assert [s.id for s in store.list_documents(limit=2)] == ids[:2]
    assert store.list_documents(limit=0) == []


def test_list_documents_summarises_metadata(store: SQLiteStore) -> None:
    doc = make_doc(n_claims=3)
    before = datetime.now(UTC)
    store.add_documents([doc])
    (summary,) = store.list_documents()
    assert (summary.id, summary.title, summary.publisher, summary.source) == (
        doc.id,
        doc.title,
        doc.publisher,
        doc.source,
    )
    assert summary.published == doc.published
    assert (summary.language, summary.analysis_status, summary.n_claims) == ("en", "ok", 3)
    assert before - timedelta(seconds=1) <= summary.added_at <= datetime.now(UTC)


# -- claims -------------------------------------------------------------------------------------


def test_claims_are_in_document_order_then_span_order(store: SQLiteStore) -> None:
    later = make_doc("Zed doc first. Second sentence here.", id="zzzz", n_claims=2)
    reversed_claims = replace(later, claims=later.claims[::-1])
    earlier = make_doc("Another doc. With claims.", id="aaaa", n_claims=2)
    store.add_documents([reversed_claims, earlier])
    got = store.claims()
    assert [c.doc_id for c in got] == ["zzzz", "zzzz", "aaaa", "aaaa"]
    assert [c.span for c in got[:2]] == sorted(c.span for c in later.claims)
    # get_document keeps the stored tuple order; claims() sorts by span.
    assert store.get_document("zzzz").claims == reversed_claims.claims


def test_claims_of_one_document(store: SQLiteStore) -> None:
    a, b = make_doc("A one. A two.", id="aaaa"), make_doc("B one. B two.", id="bbbb")
    store.add_documents([a, b])
    assert store.claims(doc_id="bbbb") == list(b.claims)


def test_claims_of_an_unknown_document_raise_not_found(store: SQLiteStore) -> None:
    with pytest.raises(NotFound):
        store.claims(doc_id="nope")


def test_get_claim_returns_the_claim(store: SQLiteStore) -> None:
    doc = make_doc()
    store.add_documents([doc])
    assert store.get_claim(doc.claims[1].id) == doc.claims[1]


def test_get_claim_of_an_unknown_id_raises_not_found(store: SQLiteStore) -> None:
    with pytest.raises(NotFound, match="c-404"):
        store.get_claim("c-404")


def test_claim_filter_columns_are_indexed(store: SQLiteStore) -> None:
    conn = store._connection()
    # The first column of each index is the one it can serve a filter on.
    first_columns = conn.execute(
        "SELECT i.name FROM pragma_index_list('claims') AS l, pragma_index_info(l.name) AS i "
        "WHERE i.seqno = 0"
    )
    columns = {row[0] for row in first_columns}
    assert {"doc_id", "modality", "speaker_key", "checkable"} <= columns


# -- search -------------------------------------------------------------------------------------


@pytest.fixture
def searchable(store: SQLiteStore) -> SQLiteStore:
    store.add_documents(
        [
            make_doc("The Café opened in Kyiv. NATO and Ukraine met (first time).", id="d1"),
            make_doc("TASS reported that 20 people were killed. NATO denied it.", id="d2"),
        ]
    )
    return store


def test_search_finds_sentences_with_every_term(searchable: SQLiteStore) -> None:
    hits = searchable.search("NATO Ukraine")
    assert [(h.doc_id, h.sentence_index) for h in hits] == [("d1", 1)]
    hit = hits[0]
    assert hit.text == "NATO and Ukraine met (first time)."
    assert searchable.get_document("d1").text[hit.span[0] : hit.span[1]] == hit.text


def test_search_marks_matches_in_a_plain_text_snippet(searchable: SQLiteStore) -> None:
    (hit,) = searchable.search("ukraine")
    assert "[Ukraine]" in hit.snippet
    assert "<" not in hit.snippet


def test_search_ignores_case_diacritics_and_inflection(searchable: SQLiteStore) -> None:
    assert [h.doc_id for h in searchable.search("cafe")] == ["d1"]
    assert [h.doc_id for h in searchable.search("kill")] == ["d2"]


def test_search_orders_by_rank_and_respects_the_limit(searchable: SQLiteStore) -> None:
    hits = searchable.search("nato")
    assert len(hits) == 2
    assert [h.rank for h in hits] == sorted(h.rank for h in hits)
    assert len(searchable.search("nato", limit=1)) == 1


@pytest.mark.parametrize(
    "query",
    [
        "NATO AND (",
        '"',
        "*",
        "NATO*",
        "(",
        ")",
        "NEAR(a b)",
        "a:b",
        "^nato",
        "-",
        "OR",
        "NOT",
        'nato"',
        "\x00",
        "nato\x00kyiv",
        "{d1}",
        "''",
        "+",
    ],
)
def test_search_treats_hostile_syntax_as_literal_words(searchable: SQLiteStore, query: str) -> None:
    hits = searchable.search(query)
    assert all(isinstance(h.snippet, str) for h in hits)


def test_search_reads_operators_as_words(searchable: SQLiteStore) -> None:
    # "AND" is the word "and", which only the first document's NATO sentence contains.
    assert [h.doc_id for h in searchable.search("NATO AND (")] == ["d1"]


@pytest.mark.parametrize("query", ["", "   ", "\n\t"])
def test_search_of_an_empty_query_is_empty(searchable: SQLiteStore, query: str) -> None:
    assert searchable.search(query) == []


# -- runs ---------------------------------------------------------------------------------------


def test_record_run_round_trips_outcomes(store: SQLiteStore) -> None:
    outcomes = [
        Outcome(source="a.txt", status="ok", doc_id="d1", title="A"),
        Outcome(source="b.txt", status="skipped", doc_id="d1", reason="duplicate"),
        Outcome(source="https://x", status="failed", reason="timed out", code="fetch-error"),
    ]
    run_id = store.record_run(outcomes, command="add a.txt b.txt https://x")
    (run,) = store.runs()
    assert run.id == run_id
    assert run.command == "add a.txt b.txt https://x"
    assert run.outcomes == tuple(outcomes)
    assert (run.count("ok"), run.count("skipped"), run.count("failed")) == (1, 1, 1)
    assert run.recorded_at.tzinfo is not None


def test_runs_are_newest_first_and_limited(store: SQLiteStore) -> None:
    ids = [store.record_run([], command=f"add {i}") for i in range(5)]
    assert [r.id for r in store.runs(limit=3)] == ids[::-1][:3]
    assert store.runs(limit=0) == []


# -- transactions and failures ------------------------------------------------------------------


def _assert_untouched(store: SQLiteStore, first: list[Document], absent: list[Document]) -> None:
    assert store.count_documents() == len(first)
    for doc in first:
        assert store.get_document(doc.id) == doc
    conn = store._connection()
    for doc in absent:
        assert not store.has_document(doc.id)
        for table in ("sentences", "entities", "dates", "quantities", "attributions", "claims"):
            count = conn.execute(f"SELECT count(*) FROM {table} WHERE doc_id = ?", (doc.id,))
            assert count.fetchone()[0] == 0, table
    fts_rows = conn.execute("SELECT count(*) FROM sentences_fts").fetchone()[0]
    assert fts_rows == sum(len(d.sentences) for d in first)


def test_add_documents_failure_rolls_back_only_its_batch(store: SQLiteStore) -> None:
    first = [make_doc("One. Two.", id="aaaa"), make_doc("Three. Four.", id="bbbb")]
    store.add_documents(first)
    fresh = make_doc("Five. Six.", id="cccc")
    # The second document reuses a claim id of the first batch: the claims insert fails.
    clash = make_doc("Seven. Eight.", id="dddd")
    clash = replace(clash, claims=(replace(clash.claims[0], id=first[0].claims[0].id),))
    with pytest.raises(StorageError, match="Nothing from this batch was written"):
        store.add_documents([fresh, clash])
    _assert_untouched(store, first, [fresh, clash])
    assert store.add_documents([fresh]) == [True]  # the store is still usable


def test_add_documents_unexpected_error_rolls_back(
    store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = [make_doc("One. Two.", id="aaaa")]
    store.add_documents(first)
    batch = [make_doc("Three. Four.", id="bbbb"), make_doc("Five. Six.", id="cccc")]
    real = sqlite_module._claim_row

    def failing(doc_id: str, pos: int, claim: Claim) -> tuple[object, ...]:
        if doc_id == "cccc":
            raise RuntimeError("disk on fire")
        return real(doc_id, pos, claim)

    monkeypatch.setattr(sqlite_module, "_claim_row", failing)
    with pytest.raises(RuntimeError, match="disk on fire"):
        store.add_documents(batch)
    _assert_untouched(store, first, batch)


def test_add_documents_survives_a_crash_mid_batch(db_path: Path) -> None:
    first = [make_doc("One. Two.", id="aaaa")]
    with SQLiteStore(db_path) as opened:
        opened.add_documents(first)
    script = textwrap.dedent(
        f"""
        import os
        from factdesk.records import Document
        from factdesk.store import sqlite
        real = sqlite._claim_row
        def crash(doc_id, pos, claim):
            if doc_id == "cccc":
                os._exit(3)  # the process dies with the transaction open
            return real(doc_id, pos, claim)
        sqlite._claim_row = crash
        from factdesk.records import Claim
        store = sqlite.SQLiteStore({str(db_path)!r})
        docs = [
            Document(id=i, text="Some text.", source="x", claims=(
                Claim(id=i + "-c", doc_id=i, span=(0, 4), text="Some", sentence_index=0,
                      checkable=True, modality="asserted"),
            ))
            for i in ("bbbb", "cccc")
        ]
        store.add_documents(docs)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert result.returncode == 3, result.stderr.decode()
    with SQLiteStore(db_path) as reopened:
        assert [s.id for s in reopened.list_documents()] == ["aaaa"]
        assert reopened.get_document("aaaa") == first[0]
        assert reopened.claims() == list(first[0].claims)


# -- lifecycle ----------------------------------------------------------------------------------


def test_close_makes_later_calls_raise_storage_error() -> None:
    opened = SQLiteStore(":memory:")
    opened.close()
    opened.close()  # twice is fine
    with pytest.raises(StorageError, match="closed"):
        opened.count_documents()


def test_context_manager_closes_the_store() -> None:
    with SQLiteStore(":memory:") as opened:
        pass
    with pytest.raises(StorageError):
        opened.add_documents([make_doc()])


def test_two_stores_on_one_file_see_each_others_writes(db_path: Path) -> None:
    with SQLiteStore(db_path) as writer, SQLiteStore(db_path) as reader:
        writer.add_documents([make_doc()])
        assert reader.count_documents() == 1


def test_store_can_be_shared_between_threads(store: SQLiteStore) -> None:
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            store.add_documents([make_doc(f"Thread {i} text. More.", id=f"t{i:03d}")])
            store.search("thread")
        except BaseException as exc:  # collected and re-checked in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert store.count_documents() == 8


# -- performance --------------------------------------------------------------------------------


def _small_docs(n: int) -> list[Document]:
    docs = []
    for i in range(n):
        text = f"Document {i} says NATO met in Kyiv. It reported {i} people."
        docs.append(make_doc(text, n_claims=2))  # ids are content hashes, as in real use
    return docs


def test_add_documents_inserts_a_thousand_documents_quickly(db_path: Path) -> None:
    docs = _small_docs(1_000)
    with SQLiteStore(db_path) as opened:
        start = time.perf_counter()
        opened.add_documents(docs)
        elapsed = time.perf_counter() - start
        assert opened.count_documents() == 1_000
    assert elapsed < 2.0, f"1,000 documents took {elapsed:.2f}s"


@pytest.mark.slow
def test_add_documents_inserts_ten_thousand_documents_in_seconds(db_path: Path) -> None:
    docs = _small_docs(10_000)
    with SQLiteStore(db_path) as opened:
        start = time.perf_counter()
        opened.add_documents(docs)
        elapsed = time.perf_counter() - start
        assert opened.count_documents() == 10_000
        assert len(opened.search("kyiv", limit=5)) == 5
    assert elapsed < 5.0, f"10,000 documents took {elapsed:.2f}s"


def test_add_documents_on_a_locked_database_raises_storage_error(db_path: Path) -> None:
    with SQLiteStore(db_path, timeout=0.05) as opened:
        other = sqlite3.connect(db_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process is writing
        try:
            with pytest.raises(StorageError, match="locked"):
                opened.add_documents([make_doc()])
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert opened.add_documents([make_doc()]) == [True]
