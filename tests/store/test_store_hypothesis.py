"""Property tests for the store: whatever a Document holds comes back unchanged."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from factdesk.records import (
    MODALITIES,
    QUOTE_KINDS,
    Attribution,
    Claim,
    DateMention,
    Document,
    Entity,
    Quantity,
    Sentence,
    Span,
)
from factdesk.store import SQLiteStore

# Default text() excludes surrogates, which no UTF-8 store can hold; everything else is fair game,
# including NUL, combining marks, right-to-left text and astral-plane emoji.
SHORT = st.text(max_size=12)
MAYBE_SHORT = st.none() | SHORT
BOUNDS = st.none() | st.floats(allow_nan=False)  # infinities included: "more than" has no top
# Real UTC offsets are whole minutes (ISO 8601 and RFC 3339 have no finer ones).
OFFSETS = st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59).map(
    lambda minutes: timedelta(minutes=minutes)
)
MOMENTS = st.none() | st.datetimes(timezones=st.builds(timezone, OFFSETS))
INTS = st.integers(min_value=-(2**63), max_value=2**63 - 1)


@st.composite
def spans(draw: st.DrawFn, length: int) -> Span:
    start = draw(st.integers(0, length))
    return (start, draw(st.integers(start, length)))


@st.composite
def documents(draw: st.DrawFn, doc_id: str | None = None) -> Document:
    text = draw(st.text(max_size=120))
    doc_id = doc_id if doc_id is not None else draw(st.text(min_size=1, max_size=20))
    n = len(text)
    span = spans(n)

    def cut(s: Span) -> str:
        return text[s[0] : s[1]]

    entities = st.builds(Entity, span=span, text=SHORT, label=SHORT, key=SHORT, produced_by=SHORT)
    dates = st.builds(
        DateMention,
        span=span,
        text=SHORT,
        value=MAYBE_SHORT,
        type=SHORT,
        ambiguous=st.booleans(),
        weekday_ok=st.none() | st.booleans(),
        anchor=MAYBE_SHORT,
        note=MAYBE_SHORT,
        produced_by=SHORT,
    )
    quantities = st.builds(
        Quantity,
        span=span,
        text=SHORT,
        value=BOUNDS,
        low=BOUNDS,
        high=BOUNDS,
        unit=MAYBE_SHORT,
        kind=SHORT,
        approximate=st.booleans(),
        produced_by=SHORT,
    )
    attributions = st.builds(
        Attribution,
        speaker=MAYBE_SHORT,
        speaker_key=MAYBE_SHORT,
        speaker_span=st.none() | span,
        cue=MAYBE_SHORT,
        cue_span=st.none() | span,
        content_span=span,
        quote=st.sampled_from(QUOTE_KINDS),
        via=st.lists(SHORT, max_size=3).map(tuple),
        via_spans=st.lists(span, max_size=3).map(tuple),
        produced_by=SHORT,
    )
    sentence_spans = draw(st.lists(span, max_size=5))
    sentences = tuple(Sentence(index=draw(INTS), span=s, text=cut(s)) for s in sentence_spans)
    claims = []
    for i, s in enumerate(draw(st.lists(span, max_size=4))):
        claims.append(
            Claim(
                id=f"{doc_id}#{i}",
                doc_id=doc_id,
                span=s,
                text=cut(s),
                sentence_index=draw(INTS),
                checkable=draw(st.booleans()),
                modality=draw(st.sampled_from(MODALITIES) | SHORT),
                speaker=draw(MAYBE_SHORT),
                speaker_key=draw(MAYBE_SHORT),
                cue=draw(MAYBE_SHORT),
                via=tuple(draw(st.lists(SHORT, max_size=3))),
                quote=draw(st.sampled_from(QUOTE_KINDS)),
                negated=draw(st.booleans()),
                entities=tuple(draw(st.lists(entities, max_size=2))),
                dates=tuple(draw(st.lists(dates, max_size=2))),
                quantities=tuple(draw(st.lists(quantities, max_size=2))),
                reasons=tuple(draw(st.lists(SHORT, max_size=3))),
                produced_by=draw(SHORT),
            )
        )
    return Document(
        id=doc_id,
        text=text,
        source=draw(SHORT),
        title=draw(MAYBE_SHORT),
        url=draw(MAYBE_SHORT),
        publisher=draw(MAYBE_SHORT),
        byline=draw(MAYBE_SHORT),
        published=draw(MOMENTS),
        fmt=draw(SHORT),
        language=draw(SHORT),
        analysis_status=draw(st.sampled_from(["ok", "unsupported-language"])),
        sentences=sentences,
        entities=tuple(draw(st.lists(entities, max_size=3))),
        dates=tuple(draw(st.lists(dates, max_size=3))),
        quantities=tuple(draw(st.lists(quantities, max_size=3))),
        attributions=tuple(draw(st.lists(attributions, max_size=3))),
        claims=tuple(claims),
    )


@settings(max_examples=150, deadline=None)
@given(doc=documents())
def test_store_round_trips_any_document(doc: Document) -> None:
    with SQLiteStore(":memory:") as store:
        assert store.add_documents([doc]) == [True]
        got = store.get_document(doc.id)
        assert got == doc
        if doc.published is not None:
            assert got.published is not None
            assert got.published.utcoffset() == doc.published.utcoffset()
        by_span = sorted(enumerate(doc.claims), key=lambda p: (p[1].span, p[0]))
        assert store.claims(doc_id=doc.id) == [c for _, c in by_span]
        for claim in doc.claims:
            assert store.get_claim(claim.id) == claim
        assert store.add_documents([doc]) == [False]
        assert store.count_documents() == 1


@settings(max_examples=50, deadline=None)
@given(
    ids=st.lists(st.sampled_from(["aaaa", "aaab", "bbbb", "cccc", "dddd"]), max_size=8),
    split=st.integers(0, 8),
)
def test_store_add_is_idempotent_and_keeps_first_insertion_order(
    ids: list[str], split: int
) -> None:
    docs = [Document(id=i, text=f"text of {i}", source=i) for i in ids]
    with SQLiteStore(":memory:") as store:
        flags = store.add_documents(docs[:split]) + store.add_documents(docs[split:])
        first_seen = list(dict.fromkeys(ids))
        assert flags == [ids.index(i) == n for n, i in enumerate(ids)]
        assert [s.id for s in store.list_documents()] == first_seen
        assert store.count_documents() == len(first_seen)


@settings(max_examples=200, deadline=None)
@given(query=st.text(max_size=40))
def test_store_search_never_raises_on_user_input(query: str) -> None:
    with SQLiteStore(":memory:") as store:
        text = 'NATO said "first" (AND) meeting* in Kyiv: OR NOT NEAR ^ - + {x}.'
        store.add_documents(
            [
                Document(
                    id="d1",
                    text=text,
                    source="s",
                    sentences=(Sentence(index=0, span=(0, len(text)), text=text),),
                )
            ]
        )
        for hit in store.search(query):
            assert hit.doc_id == "d1"
            assert hit.text == text


@settings(max_examples=50, deadline=None)
@given(moment=st.datetimes(timezones=st.builds(timezone, OFFSETS)))
def test_store_keeps_published_instant_and_offset(moment: datetime) -> None:
    doc = Document(id="d", text="t", source="s", published=moment)
    with SQLiteStore(":memory:") as store:
        store.add_documents([doc])
        (summary,) = store.list_documents()
        assert summary.published == moment
        assert summary.published is not None
        assert summary.published.utcoffset() == moment.utcoffset()
