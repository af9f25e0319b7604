"""Quantities: numbers, bounds, kinds, counted nouns, and what is not a quantity."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factdesk.pipeline.quantities import extract_quantities
from factdesk.records import Quantity


def _only(text: str, doc=None) -> Quantity:  # type: ignore[no-untyped-def]
    found = extract_quantities(text, doc=doc)
    assert len(found) == 1, found
    q = found[0]
    assert text[q.span[0] : q.span[1]] == q.text
    return q


def _covered(text: str, needle: str) -> bool:
    """Whether any quantity overlaps the first occurrence of ``needle`` in ``text``."""
    start = text.index(needle)
    end = start + len(needle)
    return any(q.span[0] < end and start < q.span[1] for q in extract_quantities(text))


# -- bounds ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "low", "high", "approximate"),
    [
        (
            "Shelling killed more than 30 residents overnight.",
            "more than 30 residents",
            31,
            None,
            False,
        ),
        ("The blast wounded over 12 workers.", "over 12 workers", 13, None, False),
        ("Fewer than 8 ships reached port.", "Fewer than 8 ships", None, 7, False),
        ("Police detained at least 14 protesters.", "at least 14 protesters", 14, None, False),
        ("The fund may lend up to 400 farms.", "up to 400 farms", None, 400, False),
        (
            "The plant employs no more than 60 engineers.",
            "no more than 60 engineers",
            None,
            60,
            False,
        ),
        ("Nearly 200 homes lost power.", "Nearly 200 homes", 180, 199, True),
        ("The storm flattened almost 40 barns.", "almost 40 barns", 36, 39, True),
        ("About 70 villagers fled.", "About 70 villagers", 63, 77, True),
        ("Around 70 villagers fled.", "Around 70 villagers", 63, 77, True),
        ("Some 70 villagers fled.", "Some 70 villagers", 63, 77, True),
        ("Roughly 70 villagers fled.", "Roughly 70 villagers", 63, 77, True),
        ("An estimated 70 villagers fled.", "An estimated 70 villagers", 63, 77, True),
        ("Exactly 9 lorries crossed.", "Exactly 9 lorries", 9, 9, False),
        ("Just over 50 buses ran.", "Just over 50 buses", 51, 55, True),
        ("It signed 40 or more contracts.", "40 or more contracts", 40, None, False),
        ("They hired 40-plus nurses.", "40-plus nurses", 40, None, False),
        ("They bought 40+ trucks.", "40+ trucks", 40, None, False),
        ("We counted 70 or so lanterns.", "70 or so lanterns", 63, 77, True),
    ],
)
def test_extract_quantities_bounds(
    text: str, surface: str, low: float | None, high: float | None, approximate: bool
) -> None:
    q = _only(text)
    assert (q.text, q.low, q.high, q.approximate) == (surface, low, high, approximate)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("Inflation rose more than 4% in May.", 4, None),
        ("The levy is under 2.5 percent.", None, 2.5),
        ("Exports fell by about $300 million.", 270_000_000, 330_000_000),
    ],
)
def test_extract_quantities_continuous_bounds_stay_at_the_number(
    text: str, low: float | None, high: float | None
) -> None:
    q = next(q for q in extract_quantities(text) if q.kind in ("percent", "money"))
    assert (q.low, q.high) == (low, high)


def test_extract_quantities_approximate_band_separates_close_from_far() -> None:
    about = _only("Officials counted about 60 boats.")
    assert about.low is not None and about.high is not None
    assert about.low <= 57 <= about.high
    assert not about.low <= 20 <= about.high


# -- numbers as written ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("The ferry carried two hundred and forty passengers.", 240, "passenger"),
        ("Twenty-three pilots graduated.", 23, "pilot"),
        ("The state owns 4,500 tractors.", 4500, "tractor"),
        ("The census found 2.7 million voters.", 2_700_000, "voter"),
        ("A dozen guards stood by.", 12, "guard"),
        ("Half a dozen ministers resigned.", 6, "minister"),
        ("The city has half a million cyclists.", 500_000, "cyclist"),
        ("Rescuers found three children.", 3, "child"),
        ("The club sold 3m tickets.", 3_000_000, "ticket"),
        ("The firm sent 50k parcels.", 50_000, "parcel"),
        ("One engineer stayed behind.", 1, "engineer"),
        ("Zero casualties were reported.", 0, "casualty"),
    ],
)
def test_extract_quantities_reads_counts(text: str, value: float, unit: str) -> None:
    q = _only(text)
    assert (q.value, q.low, q.high, q.unit, q.kind) == (value, value, value, unit, "count")


@pytest.mark.parametrize(
    ("text", "low"),
    [
        ("Dozens of lorries waited.", 24),
        ("Scores of shops shut.", 40),
        ("Hundreds of volunteers came.", 200),
        ("Thousands marched.", 2000),
        ("Tens of thousands of fans sang.", 20_000),
        ("Hundreds of thousands of bees died.", 200_000),
        ("Millions of viewers watched.", 2_000_000),
    ],
)
def test_extract_quantities_vague_plurals_have_a_floor(text: str, low: float) -> None:
    q = _only(text)
    assert (q.value, q.low, q.high, q.approximate) == (None, low, None, True)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("The bridge cost $2.3 billion.", 2_300_000_000, "USD"),
        ("The bridge cost €80m.", 80_000_000, "EUR"),
        ("The bridge cost £6 million.", 6_000_000, "GBP"),
        ("The bridge cost 4.1bn euros.", 4_100_000_000, "EUR"),
        ("The bridge cost 90 million dollars.", 90_000_000, "USD"),
        ("The bridge cost USD 7 million.", 7_000_000, "USD"),
        ("The stamp costs 45 pence.", 0.45, "GBP"),
        ("The bridge cost 300m hryvnias.", 300_000_000, "UAH"),
    ],
)
def test_extract_quantities_reads_money(text: str, value: float, unit: str) -> None:
    q = _only(text)
    assert (q.kind, q.value, q.unit) == ("money", pytest.approx(value), unit)


def test_extract_quantities_vague_money_keeps_its_currency() -> None:
    q = _only("The scheme wasted millions of pounds.")
    assert (q.kind, q.unit, q.low) == ("money", "GBP", 2_000_000)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Turnout was 64%.", 64),
        ("Turnout was 64 percent.", 64),
        ("Turnout was 64 per cent.", 64),
        ("Turnout was 64.5%.", 64.5),
    ],
)
def test_extract_quantities_reads_percent(text: str, value: float) -> None:
    q = _only(text)
    assert (q.kind, q.value, q.unit) == ("percent", value, "%")


@pytest.mark.parametrize(
    ("text", "value", "low"),
    [
        ("Two-thirds of members agreed.", 66.67, 66.67),
        ("More than half of the wells ran dry.", 50, 50),
        ("A quarter of the fleet is idle.", 25, 25),
        ("Nearly a fifth said no.", 20, 18),
    ],
)
def test_extract_quantities_shares_are_percents(text: str, value: float, low: float) -> None:
    q = _only(text)
    assert (q.kind, q.value, q.low) == ("percent", value, low)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("The convoy drove 85 km.", 85, "km"),
        ("The convoy drove 85km.", 85, "km"),
        ("The convoy drove 85 kilometres.", 85, "km"),
        ("The barge holds 2.5 tonnes.", 2.5, "t"),
        ("The river rose 3 metres.", 3, "m"),
        ("The drone flew 40 miles.", 40, "mi"),
        ("It hit 41°C.", 41, "°C"),
        ("The bank cut rates by half a point.", 0.5, "point"),
        ("The bank cut rates by a quarter point.", 0.25, "point"),
        ("The bank cut rates by a quarter-point.", 0.25, "point"),
        ("Yields rose 0.3 percentage points.", 0.3, "point"),
        ("Yields rose 15 basis points.", 15, "basis point"),
        ("It was a 900-pound bomb.", 900, "lb"),
        ("It won the 200m race.", 200, "m"),
    ],
)
def test_extract_quantities_reads_measures(text: str, value: float, unit: str) -> None:
    q = _only(text)
    assert (q.kind, q.value, q.unit) == ("measure", value, unit)


@pytest.mark.parametrize(
    "text",
    ["A 52-year-old driver was held.", "The driver, aged 52, was held.", "He is 52 years old."],
)
def test_extract_quantities_ages_are_measures(text: str) -> None:
    q = _only(text)
    assert (q.kind, q.value, q.unit) == ("measure", 52, "age")


# -- ranges ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "low", "high", "unit", "approximate"),
    [
        ("Between 30 and 45 sailors were rescued.", 30, 45, "sailor", False),
        ("30 to 45 sailors were rescued.", 30, 45, "sailor", False),
        ("30-45 sailors were rescued.", 30, 45, "sailor", False),
        ("30–45 sailors were rescued.", 30, 45, "sailor", False),
        ("Three or four sailors were rescued.", 3, 4, "sailor", True),
        ("About 30 to 45 sailors were rescued.", 30, 45, "sailor", True),
        ("The deal is worth $3-4 billion.", 3e9, 4e9, "USD", False),
        ("Support fell 8-11% this year.", 8, 11, "%", False),
        ("Eight or nine million trees fell.", 8e6, 9e6, "tree", True),
    ],
)
def test_extract_quantities_reads_ranges(
    text: str, low: float, high: float, unit: str, approximate: bool
) -> None:
    q = _only(text)
    assert (q.value, q.low, q.high, q.unit, q.approximate) == (None, low, high, unit, approximate)


def test_extract_quantities_from_to_is_two_numbers_sharing_a_unit() -> None:
    found = extract_quantities("The rate went from 5 to 7 percent.")
    assert [(q.value, q.kind) for q in found] == [(5, "percent"), (7, "percent")]


# -- ordinals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("It was the first hearing of the case.", 1, "hearing"),
        ("A second convoy left.", 2, "convoy"),
        ("The third vote failed.", 3, "vote"),
        ("They marked the 40th anniversary.", 40, "anniversary"),
        ("The twenty-first round opened.", 21, "round"),
        ("The inaugural flight landed.", 1, "flight"),
        ("The group held its first Baltic-Nordic Forum session.", 1, "session"),
    ],
)
def test_extract_quantities_reads_ordinals(text: str, value: float, unit: str) -> None:
    q = _only(text)
    assert (q.kind, q.value, q.low, q.high, q.unit) == ("ordinal", value, value, value, unit)


@pytest.mark.parametrize(
    "text",
    [
        "First, the ministers met.",
        "At first, nobody spoke.",
        "Wait a second.",
        "The Second World War ended.",
        "The First Deputy spoke.",
        "She heard it first-hand.",
        "First of all, thank you.",
    ],
)
def test_extract_quantities_skips_non_ranking_ordinals(text: str) -> None:
    assert extract_quantities(text) == ()


# -- what is not a quantity ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("The treaty was signed in 1955.", "1955"),
        ("By 2030 the plant will close.", "2030"),
        ("The 2028 games were awarded.", "2028"),
        ("Allies invoked Article 4 of the pact.", "4"),
        ("Leaders of the G20 met.", "20"),
        ("It ordered more F-35 jets.", "35"),
        ("A MiG-29 crashed.", "29"),
        ("Cases of H5N1 rose.", "5"),
        ("The phone uses 5G.", "5"),
        ("The session opened at 09:45.", "09:45"),
        ("The session opened at 9 a.m.", "9"),
        ("The strike began at 0600 GMT.", "0600"),
        ("Call +1 202 555 0143 for details.", "202"),
        ("Call 202-555-0143 for details.", "555"),
        ("It was one of the largest raids.", "one"),
        ("He now lives at No. 7.", "7"),
        ("The team lost 3-1.", "3-1"),
        ("The court met one day after the raid.", "one day"),
        ("The war has lasted four years.", "four years"),
        ("They began a two-week tour.", "two-week"),
        ("Prices doubled in the 1970s.", "1970s"),
        ("The talks ran 2019-2021.", "2019"),
        ("The hotline runs 24/7.", "24"),
        ("The vote is on 12 March.", "12"),
        ("The vote is on March 12.", "12"),
        ("The vote is on 12 or 13 March.", "13"),
        ("The office moved to 10 Downing Street.", "10"),
        ("Its engines are 10 times more efficient.", "10"),
        ("No one was hurt.", "one"),
        ("Resolution 2334 passed.", "2334"),
        ("1. Introduction", "1"),
        ("Greece (3), Spain (4) qualified.", "3"),
    ],
)
def test_extract_quantities_skips_non_quantities(text: str, needle: str) -> None:
    assert not _covered(text, needle)


def test_extract_quantities_counts_a_definite_number_phrase() -> None:
    q = _only("The two delegations met.")
    assert (q.value, q.unit) == (2, "delegation")


def test_extract_quantities_skips_excluded_spans() -> None:
    text = "On May 9, 2025, 40 drones were launched."
    date = text.index("May 9, 2025")
    found = extract_quantities(text, exclude=[(date, date + len("May 9, 2025"))])
    assert [q.text for q in found] == ["40 drones"]


def test_extract_quantities_excluded_span_removes_overlapping_quantity() -> None:
    assert extract_quantities("40 drones were launched.", exclude=[(0, 2)]) == ()


def test_extract_quantities_age_takes_bounds() -> None:
    q = _only("Only children less than 5 years old were seen.")
    assert (q.kind, q.unit, q.low, q.high) == ("measure", "age", None, 5)


@pytest.mark.parametrize("with_parse", [False, True])
def test_extract_quantities_reads_hyphenated_nouns_whole(nlp, with_parse: bool) -> None:  # type: ignore[no-untyped-def]
    text = "Two e-mails arrived."
    q = _only(text, doc=nlp(text) if with_parse else None)
    assert (q.text, q.unit) == ("Two e-mails", "e-mail")


def test_extract_quantities_rejects_a_parse_of_other_text(nlp) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="doc.text differs"):
        extract_quantities("20 people", doc=nlp("30 people"))


# -- with a parse ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "unit"),
    [
        (
            "Strikes killed more than 15 people and injured more than 60 in the east.",
            "more than 15 people",
            "person",
        ),
        (
            "Strikes killed more than 15 people and injured more than 60 in the east.",
            "more than 60",
            None,
        ),
        ("Kyiv received 4 Patriot batteries.", "4", "battery"),
        ("The army lost 30 Ukrainian-made drones.", "30", "drone"),
        ("Guards arrested 11 of the smugglers.", "11", "smuggler"),
        ("A 27-nation bloc voted.", "27-nation", "nation"),
        ("The first Baltic-Nordic Forum session opened.", "first", "session"),
        ("The crowd of 3,000 fans cheered.", "3,000 fans", "fan"),
    ],
)
def test_extract_quantities_parse_finds_the_counted_noun(  # type: ignore[no-untyped-def]
    nlp, text: str, surface: str, unit: str | None
) -> None:
    found = {q.text: q for q in extract_quantities(text, doc=nlp(text))}
    assert found[surface].unit == unit


@pytest.mark.parametrize(
    "text", ["Officials first said the site was safe.", "He came first in the race."]
)
def test_extract_quantities_parse_skips_adverbial_first(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    assert extract_quantities(text, doc=nlp(text)) == ()


def test_extract_quantities_parse_keeps_a_year_apart_from_a_count(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "In 2024 voters backed 2000 candidates at the 2026 summit."
    found = extract_quantities(text, doc=nlp(text))
    assert [(q.text, q.unit) for q in found] == [("2000 candidates", "candidate")]


def test_extract_quantities_same_result_with_and_without_parse_for_plain_counts(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Police said 45 people were hurt and about 300 homes lost power."
    assert extract_quantities(text) == extract_quantities(text, doc=nlp(text))


# -- invariants -----------------------------------------------------------------------------


_PIECES = st.sampled_from(
    [" ", ", ", ". ", "-", "about ", "more than ", "between ", " and ", " to ", "$", "€", "%",
     "1", "20", "3.5", "1,000", "2026", "m", "bn", " million", "first", "two", "twenty-one",
     " people", " km", "June", " 3", "a ", "dozen", "half", " of", "the ", "Article ", "F-",
     "\n", "(", ")", "’s", "No. ", "one", " day", "years old", "/", ":", "th"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=25).map("".join))
def test_extract_quantities_spans_are_sorted_disjoint_and_round_trip(text: str) -> None:
    found = extract_quantities(text)
    assert isinstance(found, tuple)
    last_end = 0
    for q in found:
        assert 0 <= q.span[0] < q.span[1] <= len(text)
        assert q.span[0] >= last_end
        assert text[q.span[0] : q.span[1]] == q.text
        assert q.produced_by == "quantities.v1"
        assert q.kind in ("count", "percent", "money", "ordinal", "measure")
        if q.low is not None and q.high is not None:
            assert q.low <= q.high
        last_end = q.span[1]
    assert extract_quantities(text) == found


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80))
def test_extract_quantities_never_fails_on_arbitrary_text(text: str) -> None:
    for q in extract_quantities(text):
        assert text[q.span[0] : q.span[1]] == q.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HAVELSTAD, March 12 (NPA) — Fifteen people were killed.", "Fifteen people"),
        ("Kelby Junction\n\nFourteen wagons derailed.", "Fourteen wagons"),
    ],
)
def test_extract_quantities_number_word_after_dateline_or_heading(text: str, expected: str) -> None:
    assert [q.text for q in extract_quantities(text)] == [expected]
