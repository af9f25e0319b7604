"""Story persistence in the SQLite store (migration 2): round trips, index, decisions, findings."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from factdesk.errors import NotFound, StorageError
from factdesk.records import Document, Story
from factdesk.store import SQLiteStore, open_store
from factdesk.store.base import (
    StoryChange,
    StoryConstraint,
    StoryDecision,
    StoryMember,
    StoryState,
)
from factdesk.store.migrations import _V1, MIGRATIONS, latest_version


def _doc(n: int) -> Document:
    return Document(id=f"d{n:015d}", text=f"Document number {n}.", source=f"test:{n}")


def _state(story_id: str, *, keys: tuple[str, ...] = (), label: str = "A label") -> StoryState:
    return StoryState(
        story=Story(
            id=story_id, label=label, doc_ids=(), entities=("nato", "kyiv"), dates=("2026-06-03",)
        ),
        profile='{"n": 1}',
        vector=b"\x00\x01\x02",
        keys=keys,
        label_doc_id=_doc(1).id,
    )


def _member(n: int, story_id: str, *, pinned: bool = False) -> StoryMember:
    return StoryMember(
        doc_id=_doc(n).id, story_id=story_id, features=f'{{"n": {n}}}', vector=b"v", pinned=pinned
    )


@pytest.fixture
def store() -> SQLiteStore:
    s = SQLiteStore(":memory:")
    s.add_documents([_doc(n) for n in range(1, 7)])
    return s


def test_migration_2_is_the_latest_and_keeps_migration_1() -> None:
    assert latest_version() == 2
    assert MIGRATIONS[0].statements is _V1
    assert MIGRATIONS[1].version == 2


def test_migration_upgrades_a_version_1_database(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    conn = sqlite3.connect(path, isolation_level=None)
    from factdesk.store.migrations import migrate

    migrate(conn, name=str(path), migrations=MIGRATIONS[:1])
    conn.close()
    with open_store(path) as s:
        assert s.list_stories() == []
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    conn.close()


def test_story_state_and_members_round_trip(store: SQLiteStore) -> None:
    state = _state("s1", keys=("e:nato", "t:kyiv"))
    store.save_story_change(
        StoryChange(stories=(state,), members=(_member(1, "s1"), _member(2, "s1", pinned=True)))
    )
    (back,) = store.story_states(["s1"])
    assert back.story == Story(
        id="s1", label="A label", doc_ids=(), entities=("nato", "kyiv"), dates=("2026-06-03",)
    )
    assert (back.profile, back.vector, back.keys, back.locked) == (
        '{"n": 1}',
        b"\x00\x01\x02",
        ("e:nato", "t:kyiv"),
        False,
    )
    assert back.label_doc_id == _doc(1).id
    assert store.get_story("s1").doc_ids == (_doc(1).id, _doc(2).id)
    assert store.story_members("s1") == [_member(1, "s1"), _member(2, "s1", pinned=True)]
    assert store.story_of(_doc(2).id) == "s1"
    assert store.story_of(_doc(3).id) is None


def test_story_members_limit_keeps_the_most_recent_in_order(store: SQLiteStore) -> None:
    store.save_story_change(StoryChange(stories=(_state("s1"),)))
    for n in range(1, 5):
        store.save_story_change(StoryChange(members=(_member(n, "s1"),)))
    assert [m.doc_id for m in store.story_members("s1", limit=2)] == [_doc(3).id, _doc(4).id]
    rows = store.story_members("", doc_ids=[_doc(4).id, _doc(1).id])
    assert [m.doc_id for m in rows] == [_doc(1).id, _doc(4).id]


def test_moving_a_member_keeps_its_assignment_order(store: SQLiteStore) -> None:
    store.save_story_change(
        StoryChange(
            stories=(_state("s1"), _state("s2")),
            members=(_member(1, "s1"), _member(2, "s1"), _member(3, "s2")),
        )
    )
    store.save_story_change(StoryChange(members=(_member(1, "s2", pinned=True),)))
    assert store.get_story("s2").doc_ids == (_doc(1).id, _doc(3).id)
    assert store.get_story("s1").doc_ids == (_doc(2).id,)


def test_list_stories_in_creation_order(store: SQLiteStore) -> None:
    store.save_story_change(StoryChange(stories=(_state("sb"),), members=(_member(1, "sb"),)))
    store.save_story_change(StoryChange(stories=(_state("sa"),), members=(_member(2, "sa"),)))
    assert [s.id for s in store.list_stories()] == ["sb", "sa"]
    assert store.list_stories()[1].doc_ids == (_doc(2).id,)


def test_get_story_unknown_raises_not_found(store: SQLiteStore) -> None:
    with pytest.raises(NotFound, match="No story with id 'nope'"):
        store.get_story("nope")
    assert store.story_states(["nope"]) == []


def test_candidates_come_from_the_index_most_hits_first(store: SQLiteStore) -> None:
    store.save_story_change(StoryChange(stories=(_state("s1", keys=("e:nato", "t:kyiv")),)))
    store.save_story_change(StoryChange(stories=(_state("s2", keys=("e:nato",)),)))
    store.save_story_change(StoryChange(stories=(_state("s3", keys=("e:other",)),)))
    found = store.find_story_candidates(["e:nato", "t:kyiv"], per_key=5, recent=0)
    assert found == [("s1", 2), ("s2", 1)]
    # per_key keeps the most recently active stories of a key
    assert store.find_story_candidates(["e:nato"], per_key=1, recent=0) == [("s2", 1)]
    # the recent window adds stories without hits, most recent first after the hits
    assert store.find_story_candidates(["e:nato"], per_key=1, recent=2) == [("s2", 1), ("s3", 0)]


def test_rewriting_a_story_replaces_its_keys(store: SQLiteStore) -> None:
    store.save_story_change(StoryChange(stories=(_state("s1", keys=("e:a", "e:b")),)))
    store.save_story_change(StoryChange(stories=(_state("s1", keys=("e:c",)),)))
    assert store.find_story_candidates(["e:a"], per_key=5, recent=0) == []
    assert store.story_states(["s1"])[0].keys == ("e:c",)


def test_feature_counts_accumulate_per_document(store: SQLiteStore) -> None:
    store.save_story_change(StoryChange(counts=(("a", "b"), ("b", "b", "c"))))
    assert store.feature_counts(["a", "b", "c", "zzz"]) == (2, {"a": 1, "b": 2, "c": 1})


def test_pair_scores_are_cached_symmetric(store: SQLiteStore) -> None:
    a, b, c = _doc(1).id, _doc(2).id, _doc(3).id
    store.save_story_change(StoryChange(pairs=((b, a, 1.5), (a, c, -2.0))))
    assert store.pair_scores([a, b]) == {(a, b): 1.5}
    assert store.pair_scores([c, a, b]) == {(a, b): 1.5, (a, c): -2.0}


def test_deleting_a_story_with_members_fails_whole(store: SQLiteStore) -> None:
    store.save_story_change(StoryChange(stories=(_state("s1"),), members=(_member(1, "s1"),)))
    with pytest.raises(StorageError, match="still has 1 document"):
        store.save_story_change(StoryChange(stories=(_state("s2"),), deleted=("s1",)))
    assert store.story_states(["s2"]) == []  # rolled back
    assert store.get_story("s1").doc_ids == (_doc(1).id,)


def test_decisions_and_constraints_round_trip(store: SQLiteStore) -> None:
    store.save_story_change(
        StoryChange(
            stories=(_state("s2"), _state("s1")),
            decision=StoryDecision(action="split", payload='{"story": "s2"}'),
            constraints=(StoryConstraint(kind="cannot-link", a="s2", b="s1"),),
        )
    )
    (decision,) = store.story_decisions()
    assert (decision.action, decision.payload) == ("split", '{"story": "s2"}')
    assert decision.id is not None and decision.recorded_at is not None
    assert store.story_constraints(["s2"]) == [StoryConstraint(kind="cannot-link", a="s1", b="s2")]


def test_merging_repoints_constraints_to_the_survivor(store: SQLiteStore) -> None:
    store.save_story_change(
        StoryChange(
            stories=(_state("s1"), _state("s2"), _state("s3")),
            constraints=(StoryConstraint(kind="cannot-link", a="s2", b="s3"),),
        )
    )
    store.save_story_change(StoryChange(deleted=("s2",), merged_into="s1"))
    assert store.story_constraints(["s1"]) == [StoryConstraint(kind="cannot-link", a="s1", b="s3")]
    assert store.story_states(["s2"]) == []


def test_unknown_constraint_kind_is_refused(store: SQLiteStore) -> None:
    with pytest.raises(StorageError, match="unknown constraint kind"):
        store.save_story_change(
            StoryChange(constraints=(StoryConstraint(kind="maybe", a="s1", b="s2"),))
        )


def test_findings_round_trip_and_are_cleared_when_the_story_changes(store: SQLiteStore) -> None:
    store.save_story_change(StoryChange(stories=(_state("s1"),), members=(_member(1, "s1"),)))
    assert store.load_findings("s1") is None
    store.save_findings("s1", '{"findings": []}')
    assert store.load_findings("s1") == '{"findings": []}'
    store.save_findings("s1", '{"findings": [1]}')
    assert store.load_findings("s1") == '{"findings": [1]}'
    store.save_story_change(StoryChange(members=(_member(2, "s1"),)))
    assert store.load_findings("s1") is None


def test_findings_of_an_unknown_story_raise_not_found(store: SQLiteStore) -> None:
    with pytest.raises(NotFound):
        store.save_findings("nope", "{}")
    assert store.load_findings("nope") is None


def test_story_tables_persist_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "stories.db"
    with open_store(path) as s:
        s.add_documents([_doc(1)])
        s.save_story_change(StoryChange(stories=(_state("s1"),), members=(_member(1, "s1"),)))
        s.save_findings("s1", "{}")
    with open_store(path) as s:
        assert s.get_story("s1").doc_ids == (_doc(1).id,)
        assert s.load_findings("s1") == "{}"


# --- transactions ------------------------------------------------------------------------------


def _commits(store: SQLiteStore) -> list[str]:
    """Record the statements that end a transaction on the store's connection."""
    seen: list[str] = []
    assert store._conn is not None
    store._conn.set_trace_callback(
        lambda sql: seen.append(sql) if sql.strip().upper() in ("COMMIT", "ROLLBACK") else None
    )
    return seen


def test_a_transaction_commits_its_writes_once(store: SQLiteStore) -> None:
    ends = _commits(store)
    with store.transaction():
        store.save_story_change(StoryChange(stories=(_state("s1"),), members=(_member(1, "s1"),)))
        store.save_story_change(StoryChange(members=(_member(2, "s1"),), counts=(("a",),)))
        # Reads inside see the writes so far (the assigner reads what it just wrote).
        assert store.get_story("s1").doc_ids == (_doc(1).id, _doc(2).id)
    assert ends == ["COMMIT"]
    assert store.get_story("s1").doc_ids == (_doc(1).id, _doc(2).id)


def test_a_transaction_that_raises_writes_nothing(store: SQLiteStore) -> None:
    with pytest.raises(KeyboardInterrupt), store.transaction():
        store.save_story_change(StoryChange(stories=(_state("s1"),), members=(_member(1, "s1"),)))
        raise KeyboardInterrupt
    assert store.story_states(["s1"]) == []
    assert store.story_of(_doc(1).id) is None
    # The store is usable afterwards: the next write is a transaction of its own again.
    store.save_story_change(StoryChange(stories=(_state("s2"),)))
    assert [s.id for s in store.list_stories()] == ["s2"]


def test_a_failed_write_inside_a_transaction_undoes_only_itself(store: SQLiteStore) -> None:
    with store.transaction():
        store.save_story_change(StoryChange(stories=(_state("s1"),), members=(_member(1, "s1"),)))
        with pytest.raises(StorageError, match="still has 1 document"):
            store.save_story_change(StoryChange(stories=(_state("s2"),), deleted=("s1",)))
        store.save_story_change(StoryChange(members=(_member(2, "s1"),)))
    assert store.story_states(["s2"]) == []  # the failed change, whole
    assert store.get_story("s1").doc_ids == (_doc(1).id, _doc(2).id)


def test_transactions_nest_into_the_outer_one(store: SQLiteStore) -> None:
    ends = _commits(store)
    with pytest.raises(RuntimeError), store.transaction():
        with store.transaction():
            store.save_story_change(StoryChange(stories=(_state("s1"),)))
        assert store.story_states(["s1"])  # the inner block did not commit on its own
        raise RuntimeError("the outer block fails")
    assert ends == ["ROLLBACK"]
    assert store.story_states(["s1"]) == []


def test_another_thread_waits_for_a_transaction_to_end(store: SQLiteStore) -> None:
    import threading

    seen: list[list[str]] = []
    inside = threading.Event()

    def read() -> None:
        inside.wait(5)
        seen.append([s.id for s in store.list_stories()])

    reader = threading.Thread(target=read)
    reader.start()
    with store.transaction():
        store.save_story_change(StoryChange(stories=(_state("s1"),)))
        inside.set()
        reader.join(0.2)  # it cannot read half a transaction, so it is still waiting
        assert reader.is_alive()
        store.save_story_change(StoryChange(stories=(_state("s2"),)))
    reader.join(5)
    assert seen == [["s1", "s2"]]


def test_a_transaction_on_a_locked_database_fails_clearly(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    with SQLiteStore(path, timeout=0.1) as store:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            with (
                pytest.raises(StorageError, match="Could not begin or commit a transaction"),
                store.transaction(),
            ):
                pass
        finally:
            other.execute("ROLLBACK")
            other.close()
