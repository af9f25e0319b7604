"""Tests for the date resolver (``factdesk.pipeline.dates``).

Publication date in most tests: Wednesday 3 June 2026 (ISO week 23).
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factdesk.pipeline.dates import extract_dates
from factdesk.records import DateMention

PUB = dt.date(2026, 6, 3)


def only(text: str, published: dt.date | None = PUB) -> DateMention:
    """The single mention in ``text`` (fails when there is not exactly one)."""
    found = extract_dates(text, published=published)
    assert len(found) == 1, [(m.text, m.value) for m in found]
    return found[0]


def find(text: str, phrase: str, published: dt.date | None = PUB) -> DateMention:
    """The mention whose text is ``phrase``."""
    found = [m for m in extract_dates(text, published=published) if m.text == phrase]
    assert found, [(m.text, m.value) for m in extract_dates(text, published=published)]
    return found[0]


# ---- absolute dates and times ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("The vote was held on June 3, 2026, in Brussels.", "June 3, 2026", "2026-06-03"),
        ("The vote was held on 3 June 2026 in Brussels.", "3 June 2026", "2026-06-03"),
        ("The law took effect on 2026-06-03.", "2026-06-03", "2026-06-03"),
        ("Prices rose in June 2026.", "June 2026", "2026-06"),
        ("The treaty dates from 2026.", "2026", "2026"),
        ("Elections are due in early 2027.", "early 2027", "2027"),
        ("Inflation was low in the 1990s.", "the 1990s", "199X"),
        ("The alliance was founded in 1949.", "1949", "1949"),
        ("Sales fell in the third quarter of 2025.", "the third quarter of 2025", "2025-Q3"),
        ("Revenue rose in Q3 2026.", "Q3 2026", "2026-Q3"),
        ("The bridge reopened in the summer of 2024.", "the summer of 2024", "2024-SU"),
        ("A scanned letter dated 6/3/2026 was found.", "6/3/2026", "2026-06-03"),
    ],
)
def test_extract_dates_absolute(text: str, phrase: str, value: str) -> None:
    mention = find(text, phrase)
    assert mention.value == value
    assert mention.type == "DATE"
    assert not mention.ambiguous


def test_extract_dates_weekday_with_date_is_checked() -> None:
    mention = only("The summit opened on Wednesday, June 3, 2026.")
    assert mention.text == "Wednesday, June 3, 2026"
    assert mention.value == "2026-06-03"
    assert mention.weekday_ok is True


def test_extract_dates_wrong_weekday_is_flagged() -> None:
    mention = only("The summit opened on Thursday, June 3, 2026.")
    assert mention.value == "2026-06-03"
    assert mention.weekday_ok is False
    assert mention.note is not None and "Wednesday" in mention.note


def test_extract_dates_no_weekday_leaves_check_empty() -> None:
    assert only("The summit opened on June 3, 2026.").weekday_ok is None


def test_extract_dates_mid_month_keeps_modifier_in_note() -> None:
    mention = only("The offensive is expected to start in mid-June.")
    assert mention.text == "mid-June"
    assert mention.value == "2026-06"
    assert mention.note is not None and "mid" in mention.note


def test_extract_dates_abbreviated_month() -> None:
    mention = only("Markets reopen on Sept. 11 after the holiday.")
    assert mention.text == "Sept. 11"
    assert mention.value == "2026-09-11"


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("The ceasefire starts at 3 p.m. local time.", "3 p.m. local time", "2026-06-03T15:00"),
        ("Polls close at 15:30 GMT.", "15:30 GMT", "2026-06-03T15:30"),
        ("The deadline is noon Thursday.", "noon Thursday", "2026-06-04T12:00"),
    ],
)
def test_extract_dates_times(text: str, phrase: str, value: str) -> None:
    mention = find(text, phrase)
    assert mention.type == "TIME"
    assert mention.value == value


# ---- dates without a year ---------------------------------------------------------------------


def test_extract_dates_month_day_takes_publication_year() -> None:
    mention = only("Ministers meet on November 24 in Vienna.")
    assert mention.value == "2026-11-24"
    assert mention.anchor == "publication"


def test_extract_dates_month_day_without_publication_is_year_unknown() -> None:
    mention = only("Ministers met on November 24 in Vienna.", published=None)
    assert mention.value == "XXXX-11-24"
    assert mention.ambiguous is True
    assert mention.note is not None
    assert "year" in mention.note and "publication date is unknown" in mention.note


@pytest.mark.parametrize(
    ("text", "published", "value"),
    [
        # Across New Year: the nearer reading.
        ("The attack happened on December 28.", dt.date(2026, 1, 5), "2025-12-28"),
        ("The summit will open on January 10.", dt.date(2026, 12, 20), "2027-01-10"),
        # Far from publication either way: the tense decides.
        ("He was last seen on November 3.", PUB, "2025-11-03"),
        ("She will take office on September 1.", dt.date(2026, 2, 20), "2026-09-01"),
        # A past-tense clause naming a coming deadline keeps the near date.
        ("The bank extended its offer to June 20.", PUB, "2026-06-20"),
    ],
)
def test_extract_dates_year_choice(text: str, published: dt.date, value: str) -> None:
    assert only(text, published=published).value == value


# ---- ranges -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("Talks run from November 27 to 29.", "November 27 to 29", "2026-11-27/2026-11-29"),
        ("Talks run November 27-29.", "November 27-29", "2026-11-27/2026-11-29"),
        (
            "Talks run between June 1 and June 5.",
            "June 1 and June 5",
            "2026-06-01/2026-06-05",
        ),
        ("Talks run 27 to 29 November.", "27 to 29 November", "2026-11-27/2026-11-29"),
        ("He served from 1990 to 1994.", "1990 to 1994", "1990/1994"),
    ],
)
def test_extract_dates_ranges(text: str, phrase: str, value: str) -> None:
    mention = only(text)
    assert mention.text == phrase
    assert mention.value == value


def test_extract_dates_two_dates_joined_by_and_are_not_a_range() -> None:
    found = extract_dates("Votes were held on June 1 and June 5.", published=PUB)
    assert [m.value for m in found] == ["2026-06-01", "2026-06-05"]


# ---- relative to publication ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("Officials said today that talks failed.", "today", "2026-06-03"),
        ("Officials said yesterday that talks failed.", "yesterday", "2026-06-02"),
        ("Talks resume tomorrow.", "tomorrow", "2026-06-04"),
        ("The talks ended on Monday.", "Monday", "2026-06-01"),
        ("The talks will resume on Monday.", "Monday", "2026-06-08"),
        ("The minister resigned on Wednesday.", "Wednesday", "2026-06-03"),
        # Published on a Wednesday: "on Wednesday" in the future tense is that same day.
        ("The minister will meet them on Wednesday.", "Wednesday", "2026-06-03"),
        ("The minister will meet them on Thursday.", "Thursday", "2026-06-04"),
        ("Protests began last week.", "last week", "2026-W22"),
        ("Protests continued this week.", "this week", "2026-W23"),
        ("A vote is planned for next month.", "next month", "2026-07"),
        ("Turnout fell last year.", "last year", "2025"),
        ("Turnout fell this year.", "this year", "2026"),
        ("The strike began two days ago.", "two days ago", "2026-06-01"),
        ("Troops will withdraw in three weeks.", "three weeks", "2026-W26"),
        ("Prices rose earlier this month.", "earlier this month", "2026-06"),
        ("Prices rose a year ago.", "a year ago", "2025"),
        ("The port is now closed.", "now", "PRESENT_REF"),
        ("The port is currently closed.", "currently", "PRESENT_REF"),
        ("The port was recently closed.", "recently", "PAST_REF"),
        ("More talks are expected in the coming months.", "the coming months", "FUTURE_REF"),
        ("Tourists return this summer.", "this summer", "2026-SU"),
    ],
)
def test_extract_dates_relative_to_publication(text: str, phrase: str, value: str) -> None:
    mention = find(text, phrase)
    assert mention.value == value
    if value[0].isdigit():
        assert mention.anchor == "publication"


@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("Protests began last week.", "last week", None),
        ("The strike began two days ago.", "two days ago", None),
        ("Officials said yesterday that talks failed.", "yesterday", None),
        ("Troops will withdraw in three weeks.", "three weeks", None),
        ("The minister resigned on Wednesday.", "Wednesday", "XXXX-WXX-3"),
    ],
)
def test_extract_dates_relative_without_publication(
    text: str, phrase: str, value: str | None
) -> None:
    mention = find(text, phrase, published=None)
    assert mention.value == value
    assert mention.ambiguous is True
    assert mention.note is not None and "publication date" in mention.note


def test_extract_dates_present_ref_needs_no_publication() -> None:
    mention = only("The port is now closed.", published=None)
    assert mention.value == "PRESENT_REF"
    assert not mention.ambiguous


def test_extract_dates_publication_datetime_is_reduced_to_date() -> None:
    published = dt.datetime(2026, 6, 3, 23, 30, tzinfo=dt.UTC)
    assert only("Officials said yesterday.", published=published).value == "2026-06-02"


# ---- relative to an event or an earlier date ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase", "anchor"),
    [
        (
            "The blackout began one day after a mass Russian strike on the grid.",
            "one day after",
            "a mass Russian strike on the grid",
        ),
        ("He resigned two weeks before the summit.", "two weeks before", "the summit"),
    ],
)
def test_extract_dates_relative_to_event(text: str, phrase: str, anchor: str) -> None:
    mention = find(text, phrase)
    assert mention.value is None
    assert mention.anchor == anchor
    assert mention.note is not None and mention.note.startswith("relative to an event")


def test_extract_dates_relative_to_stated_date() -> None:
    found = extract_dates("Results came two days after June 3.", published=PUB)
    assert [(m.text, m.value) for m in found] == [
        ("two days after", "2026-06-05"),
        ("June 3", "2026-06-03"),
    ]
    assert found[0].anchor == "June 3"


def test_extract_dates_narrative_reference() -> None:
    found = extract_dates("The plant opened in March 2019. A year later it closed.", published=PUB)
    assert [(m.text, m.value) for m in found] == [
        ("March 2019", "2019-03"),
        ("A year later", "2020-03"),
    ]
    assert found[1].anchor == "March 2019"


def test_extract_dates_year_ago_in_earnings_copy_is_the_quarter() -> None:
    text = "Net income rose to $5 million in the first quarter from $4 million a year ago."
    found = extract_dates(text, published=dt.date(2026, 4, 20))
    assert [(m.text, m.value) for m in found] == [
        ("the first quarter", "2026-Q1"),
        ("a year ago", "2025-Q1"),
    ]


# ---- durations and sets ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase", "value", "type_"),
    [
        ("The siege lasted three years.", "three years", "P3Y", "DURATION"),
        ("Power was out for 24 hours.", "24 hours", "PT24H", "DURATION"),
        ("The war has lasted more than two years.", "more than two years", "P2Y", "DURATION"),
        ("Prices rose in the past three months.", "the past three months", "P3M", "DURATION"),
        ("The project took 2 1/2 years.", "2 1/2 years", "P2Y6M", "DURATION"),
        ("It was a two-year programme.", "two-year", "P2Y", "DURATION"),
        ("Inspectors visit every week.", "every week", "P1W", "SET"),
        ("The index is published weekly.", "weekly", "P1W", "SET"),
        ("The report is updated annually.", "annually", "P1Y", "SET"),
        ("The company pays dividends quarterly.", "quarterly", "P3M", "SET"),
        ("The fee is $40 a month.", "a month", "P1M", "SET"),
        ("The market opens on Mondays.", "Mondays", "XXXX-WXX-1", "SET"),
    ],
)
def test_extract_dates_durations_and_sets(text: str, phrase: str, value: str, type_: str) -> None:
    mention = find(text, phrase)
    assert (mention.value, mention.type) == (value, type_)


def test_extract_dates_approximate_duration_has_note() -> None:
    mention = only("The war has lasted more than two years.")
    assert mention.note is not None and "more than" in mention.note


# ---- false positives --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "May told reporters the plan was dead.",
        "The Sun reported the story first.",
        "He spoke at the March on Washington.",
        "Under Article 5 the allies must respond.",
        "It is a 32-member alliance.",
        "They sent 1,500 troops.",
        "They sent 2,000 troops.",
        "Leaders of the G7 met.",
        "Call 555-1234 or +1 202-555-0143 for details.",
        "The air force bought F-16 jets.",
        "The 44-year-old driver was unhurt.",
        "About three-quarters of the food is imported.",
        "The Daily Mail and USA Today ran the story.",
    ],
)
def test_extract_dates_false_positives(text: str) -> None:
    assert extract_dates(text, published=PUB) == ()


def test_extract_dates_ignores_adjective_quarterly() -> None:
    assert extract_dates("It raised its quarterly dividend.", published=PUB) == ()


# ---- tense from a spaCy parse -----------------------------------------------------------------


def test_extract_dates_uses_parse_for_direction() -> None:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    # "The team meets rivals Wednesday": no lexical tense cue; the parse (present tense
    # verb) reads the weekday as the coming one. Built by hand: no model needed.
    words = ["The", "team", "meets", "rivals", "Wednesday", "."]
    doc = Doc(
        Vocab(),
        words=words,
        spaces=[True, True, True, True, False, False],
        tags=["DT", "NN", "VBZ", "NNS", "NNP", "."],
        pos=["DET", "NOUN", "VERB", "NOUN", "PROPN", "PUNCT"],
        heads=[1, 2, 2, 2, 2, 2],
        deps=["det", "nsubj", "ROOT", "dobj", "npadvmod", "punct"],
    )
    published = dt.date(2026, 6, 5)  # a Friday
    without = only(doc.text, published=published)
    with_doc = extract_dates(doc.text, published=published, doc=doc)[0]
    assert without.value == "2026-06-03"
    assert with_doc.value == "2026-06-10"


# ---- invariants and speed ----------------------------------------------------------------------

_WORDS = [
    "on", "Wednesday", "June", "3", ",", "2026", "last", "week", "two", "days", "ago", "May",
    "told", "the", "summit", "in", "three", "years", "1,500", "troops", "from", "to", "29",
    "November", "now", "said", "will", "-", "3 p.m.", "every", "month", "a", "year", "earlier",
]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(st.sampled_from(_WORDS), max_size=25),
    published=st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31))),
)
def test_extract_dates_spans_are_sorted_disjoint_and_in_bounds(
    words: list[str], published: dt.date | None
) -> None:
    text = " ".join(words)
    found = extract_dates(text, published=published)
    assert isinstance(found, tuple)
    previous_end = 0
    for mention in found:
        start, end = mention.span
        assert previous_end <= start < end <= len(text)
        assert mention.text == text[start:end]
        assert mention.produced_by == "dates.v1"
        assert mention.type in ("DATE", "TIME", "DURATION", "SET")
        previous_end = end
    assert extract_dates(text, published=published) == found


def test_extract_dates_is_fast() -> None:
    sentences = [
        "The ministry said on Wednesday that 1,500 troops would leave within three weeks.",
        "Talks run from November 27 to 29, two weeks before the summit in Vienna.",
        "Prices rose 3% in the third quarter from a year earlier, the agency said.",
        "May told reporters the plan, first floated in 2019, was now dead.",
    ] * 250
    started = time.perf_counter()
    for sentence in sentences:
        extract_dates(sentence, published=PUB)
    per_sentence = (time.perf_counter() - started) / len(sentences)
    # ~0.03 ms on the development machine; the bound leaves room for a busy CI box.
    assert per_sentence < 0.001


@pytest.mark.parametrize(
    "published", [dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(2024, 2, 29), None]
)
def test_extract_dates_never_raises_at_the_edges_of_the_calendar(
    published: dt.date | None,
) -> None:
    text = (
        "Last week, on Monday, two days ago, next month, the previous year, that day, in "
        "three weeks, a year earlier, the 0th century, February 30, 2026, 29 February, "
        "9/11, 13/45/2020, 25:00 GMT, 0 a.m., Q5 2026, the year-ago quarter, last spring, "
        "from 1999 to 1998, in the '00s, early next year and Christmas."
    )
    for mention in extract_dates(text, published=published):
        assert text[mention.span[0] : mention.span[1]] == mention.text


def test_extract_dates_after_midnight_is_start_of_that_day() -> None:
    (mention,) = extract_dates(
        "The train derailed shortly after midnight on Tuesday, September 9.",
        published=dt.date(2025, 9, 9),
    )
    assert mention.value == "2025-09-09T00:00"
