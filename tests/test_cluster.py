"""Stories (factdesk.cluster): online assignment, order robustness, user decisions, flat cost."""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest

from factdesk import vectors
from factdesk.cluster import (
    StorySettings,
    assign_documents,
    day_distance,
    list_stories,
    merge_stories,
    move_document,
    split_story,
)
from factdesk.errors import ConfigError, NotFound
from factdesk.records import DateMention, Document, Entity, Sentence
from factdesk.store import SQLiteStore, Store

STORIES = Path(__file__).parent / "data" / "stories"

needs_vectors = pytest.mark.skipif(
    not vectors.is_available(), reason="sentence-vector model not installed (see scripts/setup)"
)


# --- helpers -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_docs(nlp: object) -> list[Document]:
    """The twelve fixture documents (tests/data/stories, without ANSWERS.md), analysed."""
    from factdesk.ingest import read_inputs
    from factdesk.pipeline.runner import analyze

    paths = sorted(str(p) for p in STORIES.glob("*/*.txt"))
    return list(analyze(list(read_inputs(paths)), nlp=nlp))


def _name(doc: Document) -> str:
    path = Path(doc.source)
    return f"{path.parent.name}/{path.name[:2]}"


def _partition(store: Store, docs: Sequence[Document]) -> set[frozenset[str]]:
    names = {d.id: _name(d) for d in docs}
    return {frozenset(names[i] for i in s.doc_ids) for s in list_stories(store)}


def _assign(docs: Sequence[Document], settings: StorySettings | None = None) -> SQLiteStore:
    store = SQLiteStore(":memory:")
    store.add_documents(docs)
    assign_documents(store, docs, settings=settings or StorySettings())
    return store


EXPECTED = {
    frozenset(f"port_strike/0{i}" for i in range(1, 6)),
    frozenset(f"rail_derailment/0{i}" for i in range(1, 6)),
    frozenset({"lookalike/01"}),
    frozenset({"lookalike/02"}),
}


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "days"),
    [
        ("2026-06-03", "2026-06-04", 1),
        ("2026-04-21", "2025-10-21", 182),
        ("XXXX-06-03", "XXXX-11-27", 177),  # around the year: a lower bound
        ("XXXX-12-30", "2026-01-02", 3),
        ("XXXX-02-29", "2025-03-01", 1),  # a leap day compared in a common year is clamped
    ],
)
def test_day_distance(a: str, b: str, days: int) -> None:
    assert day_distance(a, b) == days


# --- assignment on the fixture stories ---------------------------------------------------------


#: The answer key's partition with the residents' newsletter on its own. The newsletter is the
#: hardest member of its story: no name, place or publication date, only "the junction", "the
#: railway", a date in June and the lead's wording. Against the other four rail documents it
#: scores at the join threshold (3.70): 3.701 with the shipped fp32 sentence vectors, 3.687 with
#: the int8 ones the desk derives (factdesk.vectors; the same ECB+ and Clust-McMs scores). So
#: either outcome is the desk working as designed; joining another story never is.
NEWSLETTER_ALONE = (EXPECTED - {frozenset(f"rail_derailment/0{i}" for i in range(1, 6))}) | {
    frozenset(f"rail_derailment/0{i}" for i in range(1, 5)),
    frozenset({"rail_derailment/05"}),
}


@needs_vectors
def test_assign_fixture_stories_gives_the_four_stories_of_the_answer_key(
    fixture_docs: list[Document],
) -> None:
    store = _assign(fixture_docs)
    assert _partition(store, fixture_docs) in (EXPECTED, NEWSLETTER_ALONE)


@needs_vectors
@pytest.mark.parametrize("seed", [1, 2, 3, "reversed"])
def test_assign_fixture_stories_does_not_depend_on_input_order(
    fixture_docs: list[Document], seed: int | str
) -> None:
    docs = list(reversed(fixture_docs))
    if seed != "reversed":
        random.Random(seed).shuffle(docs)
    assert _partition(_assign(docs), fixture_docs) in (EXPECTED, NEWSLETTER_ALONE)


@needs_vectors
def test_assign_returns_each_documents_story_in_input_order(
    fixture_docs: list[Document],
) -> None:
    store = SQLiteStore(":memory:")
    store.add_documents(fixture_docs)
    ids = assign_documents(store, fixture_docs)
    assert ids == [store.story_of(d.id) for d in fixture_docs]
    assert all(re.fullmatch(r"s[0-9a-f]{10}", i) for i in ids)


@needs_vectors
def test_assign_twice_changes_nothing(fixture_docs: list[Document]) -> None:
    store = _assign(fixture_docs)
    before = list_stories(store)
    again = assign_documents(store, fixture_docs)
    assert list_stories(store) == before
    assert again == [store.story_of(d.id) for d in fixture_docs]


@needs_vectors
def test_story_ids_are_stable_across_stores(fixture_docs: list[Document]) -> None:
    assert list_stories(_assign(fixture_docs)) == list_stories(_assign(fixture_docs))


@needs_vectors
def test_story_label_entities_and_dates_are_extractive(fixture_docs: list[Document]) -> None:
    store = _assign(fixture_docs)
    titles = {d.id: d.title for d in fixture_docs}
    port = next(
        s for s in list_stories(store) if len(s.doc_ids) == 5 and "saltmere" in s.label.lower()
    )
    assert port.label in {titles[i] for i in port.doc_ids}
    assert "port of saltmere" in port.entities
    assert "2026-04-28" in port.dates  # "April 28" in the wire copies, the statement and more
    assert port.produced_by == "stories.v1"


@needs_vectors
def test_lookalike_events_stay_apart_even_alone(fixture_docs: list[Document]) -> None:
    look = [d for d in fixture_docs if "lookalike" in d.source]
    store = _assign(look)
    assert len(list_stories(store)) == 2


def test_assign_an_unstored_document_raises_not_found() -> None:
    store = SQLiteStore(":memory:")
    doc = Document(id="0123456789abcdef", text="Nothing stored.", source="t")
    with pytest.raises(NotFound, match="not stored"):
        assign_documents(store, [doc], settings=StorySettings(use_vectors=False))


def test_unknown_weight_raises_config_error() -> None:
    with pytest.raises(ConfigError, match="Available"):
        assign_documents(
            SQLiteStore(":memory:"), [], settings=StorySettings(weights={"colour": 1.0})
        )


# --- synthetic documents (no model needed) -----------------------------------------------------


def _synthetic(event: int, copy: int, *, seed: int = 0) -> Document:
    """A short news item about event ``event``; ``copy`` varies the wording a little."""
    rng = random.Random(f"{seed}:{event}:{copy}")
    person = f"Ana Velt{event}"
    place = f"Town{event}"
    # One date per event, weeks apart, so events never share a date by accident.
    when = date.fromordinal(date(1990, 1, 1).toordinal() + 40 * event).isoformat()
    own = random.Random(f"{seed}:{event}")  # words the event's documents share
    topic = [f"w{own.randrange(50_000)}" for _ in range(6)]
    filler = " ".join(rng.choice(_FILLER + topic) for _ in range(12))
    parts = [
        (f"Crews in {place} respond to blaze at mill{event}", None),
        ("\n\n", None),
        (place, ("GPE", place.lower())),
        (f" — A fire at mill{event} on ", None),
        (f"{when}", ("DATE", when)),
        (f" forced {20 + event % 50} families from homes, ", None),
        (person, ("PERSON", person.lower())),
        (f" of the fire service said. {filler}.", None),
        (f" Version {copy}.", None),
    ]
    text = ""
    entities: list[Entity] = []
    dates: list[DateMention] = []
    for chunk, tag in parts:
        start = len(text)
        text += chunk
        if tag and tag[0] == "DATE":
            dates.append(DateMention(span=(start, len(text)), text=chunk, value=tag[1]))
        elif tag:
            entities.append(Entity(span=(start, len(text)), text=chunk, label=tag[0], key=tag[1]))
    title_end = text.index("\n")
    body = title_end + 2
    sentences = (
        Sentence(index=0, span=(0, title_end), text=text[:title_end]),
        Sentence(index=1, span=(body, len(text)), text=text[body:]),
    )
    from factdesk.records import content_id

    return Document(
        id=content_id(text),
        text=text,
        source=f"synthetic:{event}:{copy}",
        title=text[:title_end],
        sentences=sentences,
        entities=tuple(entities),
        dates=tuple(dates),
    )


_FILLER_TEXT = "residents smoke road closed water engines night morning council statement damage"
_FILLER = _FILLER_TEXT.split()

FAST = StorySettings(use_vectors=False)


def _synthetic_store(events: int, copies: int) -> tuple[SQLiteStore, list[Document]]:
    docs = [_synthetic(e, c) for c in range(copies) for e in range(events)]
    store = SQLiteStore(":memory:")
    store.add_documents(docs)
    assign_documents(store, docs, settings=FAST)
    return store, docs


def test_synthetic_events_form_one_story_each() -> None:
    store, docs = _synthetic_store(events=6, copies=3)
    stories = list_stories(store)
    assert len(stories) == 6
    by_source = {d.id: d.source.split(":")[1] for d in docs}
    assert all(len({by_source[i] for i in s.doc_ids}) == 1 for s in stories)


def test_move_document_pins_it_and_records_the_decision() -> None:
    store, docs = _synthetic_store(events=3, copies=2)
    doc = docs[0]
    source = store.story_of(doc.id)
    target = next(s.id for s in list_stories(store) if s.id != source)
    move_document(store, doc.id, target, settings=FAST)
    assert store.story_of(doc.id) == target
    assert store.story_members("", doc_ids=[doc.id])[0].pinned
    (decision,) = store.story_decisions()
    assert decision.action == "move"
    assert json.loads(decision.payload) == {"document": doc.id, "source": source, "target": target}
    kinds = {(c.kind, frozenset((c.a, c.b))) for c in store.story_constraints([target])}
    assert ("cannot-link", frozenset((source, target))) in kinds
    # A later document of the same event joins its old story, and the moved one stays put.
    assign_documents(store, [_stored(store, _synthetic(0, 7))], settings=FAST)
    assert store.story_of(doc.id) == target
    assign_documents(store, [doc], settings=FAST)
    assert store.story_of(doc.id) == target


def _stored(store: Store, doc: Document) -> Document:
    store.add_documents([doc])
    return doc


def test_move_the_last_document_deletes_the_empty_story() -> None:
    store, docs = _synthetic_store(events=2, copies=1)
    source = store.story_of(docs[0].id)
    target = store.story_of(docs[1].id)
    assert source is not None and target is not None
    move_document(store, docs[0].id, target, settings=FAST)
    assert [s.id for s in list_stories(store)] == [target]


def test_split_story_stays_split() -> None:
    store, docs = _synthetic_store(events=1, copies=4)
    (story,) = list_stories(store)
    part = split_story(store, story.id, [docs[2].id, docs[3].id], settings=FAST)
    assert set(part.doc_ids) == {docs[2].id, docs[3].id}
    assert set(store.get_story(story.id).doc_ids) == {docs[0].id, docs[1].id}
    assert store.story_constraints([story.id])[0].kind == "cannot-link"
    # New documents of the same event join one part or the other, never re-merging them.
    new = [_stored(store, _synthetic(0, c)) for c in range(10, 14)]
    assign_documents(store, new, settings=FAST)
    assert len(list_stories(store)) == 2
    assert set(docs[2:4]) <= {d for d in docs if store.story_of(d.id) == part.id}


def test_split_story_refuses_all_or_none_of_its_documents() -> None:
    store, docs = _synthetic_store(events=1, copies=2)
    (story,) = list_stories(store)
    with pytest.raises(ConfigError):
        split_story(store, story.id, [d.id for d in docs], settings=FAST)
    with pytest.raises(ConfigError):
        split_story(store, story.id, [], settings=FAST)
    with pytest.raises(NotFound):
        split_story(store, story.id, ["ffffffffffffffff"], settings=FAST)


def test_merge_stories_keeps_the_first_id_and_pins_everything() -> None:
    store, docs = _synthetic_store(events=3, copies=2)
    ids = [s.id for s in list_stories(store)]
    merged = merge_stories(store, [ids[1], ids[0]], settings=FAST)
    assert merged.id == ids[1]
    assert len(merged.doc_ids) == 4
    assert sorted(s.id for s in list_stories(store)) == sorted([ids[1], ids[2]])
    assert all(m.pinned for m in store.story_members(merged.id))
    assert store.story_decisions()[-1].action == "merge"
    with pytest.raises(NotFound):
        store.get_story(ids[0])


def test_merge_needs_two_existing_stories() -> None:
    store, _ = _synthetic_store(events=1, copies=1)
    (story,) = list_stories(store)
    with pytest.raises(ConfigError):
        merge_stories(store, [story.id, story.id], settings=FAST)
    with pytest.raises(NotFound):
        merge_stories(store, [story.id, "s0000000000"], settings=FAST)


def test_findings_are_cleared_for_the_story_a_document_joins() -> None:
    store, docs = _synthetic_store(events=2, copies=1)
    story_a = store.story_of(docs[0].id)
    story_b = store.story_of(docs[1].id)
    assert story_a is not None and story_b is not None
    store.save_findings(story_a, '{"a": 1}')
    store.save_findings(story_b, '{"b": 1}')
    assign_documents(store, [_stored(store, _synthetic(0, 5))], settings=FAST)
    assert store.load_findings(story_a) is None
    assert store.load_findings(story_b) == '{"b": 1}'


def test_candidates_per_document_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    store, _ = _synthetic_store(events=40, copies=1)
    seen: list[int] = []
    original = store.story_states

    def spy(ids: Sequence[str]) -> list[object]:
        seen.append(len(ids))
        return original(ids)  # type: ignore[return-value]

    monkeypatch.setattr(store, "story_states", spy)
    settings = StorySettings(use_vectors=False, candidates=5)
    assign_documents(store, [_stored(store, _synthetic(3, 9))], settings=settings)
    assert max(seen) <= 5


# --- cost stays flat as the store grows (run with --slow) --------------------------------------


def _ms_per_document(stored: int, probe: int = 30) -> float:
    events = max(stored // 2, 1)
    docs = [_synthetic(e, c, seed=1) for c in range(2) for e in range(events)][:stored]
    store = SQLiteStore(":memory:")
    store.add_documents(docs)
    assign_documents(store, docs, settings=FAST)
    new = [_synthetic(e, 5, seed=1) for e in range(0, events, max(events // probe, 1))][:probe]
    store.add_documents(new)
    start = time.perf_counter()
    assign_documents(store, new, settings=FAST)
    return 1000 * (time.perf_counter() - start) / len(new)


@pytest.mark.slow
def test_assign_cost_is_flat_from_100_to_10000_stored_documents() -> None:
    small = _ms_per_document(100)
    large = _ms_per_document(10_000)
    print(f"ms per document: {small:.1f} at 100 stored, {large:.1f} at 10,000 stored")
    assert large < 2 * small + 5


# --- the seeds (../shared) ---------------------------------------------------------------------


@needs_vectors
@pytest.mark.shared
@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 2, 0)])
def test_seeds_000_and_001_are_one_story_002_another(
    shared_dir: Path, nlp: object, order: tuple[int, int, int]
) -> None:
    from factdesk.ingest import read_inputs
    from factdesk.pipeline.runner import analyze

    paths = sorted(str(p) for p in (shared_dir / "seeds").glob("*.txt"))
    docs = list(analyze(list(read_inputs(paths)), nlp=nlp))
    store = _assign([docs[i] for i in order])
    groups = {
        frozenset(Path(d.source).name[:3] for d in docs if d.id in s.doc_ids)
        for s in list_stories(store)
    }
    assert groups == {frozenset({"000", "001"}), frozenset({"002"})}
