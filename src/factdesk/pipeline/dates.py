"""Temporal expressions: find them and normalise them TIMEX3-style against the publication date.

``extract_dates`` is a rule-based resolver in three passes over the text:

1. **Candidates.** One scan of the lower-cased text finds trigger words (month and weekday
   names, time units, "today", "now", year-shaped numbers, ...). Each rule (``_RULES``: a
   regular expression, a guard and a resolver) is tried only at the few token starts before
   a trigger that is registered for it (``_RULE_TRIGGERS``), which keeps the cost near one
   regex scan. A guard can reject its own match ("May told reporters" is not a month,
   "2,000 troops" is not a year). Extents follow TimeML: a determiner or modifier that
   belongs to the expression is inside ("the past three months", "early 2027", "last
   week"), a preposition is outside ("on Wednesday" -> "Wednesday").
2. **Selection.** The longest candidate wins; on equal length the rule listed first wins.
3. **Resolution**, left to right. Values are computed from the publication date (``anchor``
   "publication"), from a date stated in the same expression, from the previously mentioned
   date ("a year earlier", "the following day": TimeML's narrative reference time), or from
   an event ("two weeks before the summit": no value, ``anchor`` is the event phrase). The
   direction of an underspecified expression ("Wednesday", "June 3" near New Year) comes from
   the tense of its clause: the spaCy parse when ``doc`` is given, else lexical cues.
   Adjacent dates joined by "to", "through", "-" ("from November 27 to 29") become one range
   ``2026-11-27/2026-11-29``.

Nothing is guessed silently: whenever the value depends on something the text and the
publication date do not settle (no publication date, a tense guess across a year boundary),
``ambiguous`` is True and ``note`` says why.

Value forms (TimeML 1.2 / TIMEX3): ``2026-06-03``, ``2026-06``, ``2026``, ``2026-W23``,
``2026-W23-WE`` (weekend), ``2026-Q3``, ``2026-H1``, ``2026-SU`` (season: SP SU FA WI),
``199X`` (decade), ``19XX`` (century), ``2026-06-03T15:00``, ``2026-06-03TMO`` (part of day:
MO AF EV NI), ``XXXX-06-03`` (year unknown), ``XXXX-WXX-3`` (a Wednesday), ``PRESENT_REF``,
``PAST_REF``, ``FUTURE_REF``, durations ``P3Y``/``PT24H``/``PXY`` (an unstated number),
sets ``P1W`` (``type="SET"``), ranges ``start/end``.

Quality and speed are measured by ``factdesk bench dates`` (TempEval-3 scoring, see
``factdesk.bench.dates``); the thresholds in this module (tense slack in ``choose_year``, the
quarter context window, the trigger look-back) were set on TBAQ-cleaned and should be
re-checked together against that benchmark when one of them changes.

Limits: English only; the tense is read from one clause, so reported speech about a plan
("said it would meet Friday") can go either way; fiscal quarters are taken as calendar
quarters; a weekday without "last"/"next" is resolved within a week of publication; only
US holidays and Western Easter are known.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from factdesk.records import DateMention, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["STAGE", "extract_dates"]

STAGE = "dates.v1"
"""The stage version recorded in every ``DateMention.produced_by``."""

# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------

_MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
_MONTH_NUMBER: dict[str, int] = {name.lower(): i for i, name in enumerate(_MONTH_NAMES, 1)}
_MONTH_NUMBER.update(
    {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9}
)
_MONTH_NUMBER.update({"sept": 9, "oct": 10, "nov": 11, "dec": 12})
_WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_WEEKDAY_NUMBER: dict[str, int] = {name.lower(): i for i, name in enumerate(_WEEKDAY_NAMES)}
_WEEKDAY_NUMBER.update(
    {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4}
)
_WEEKDAY_NUMBER.update({"sat": 5, "sun": 6})

_NUMBER_WORDS: dict[str, float] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "a hundred": 100, "one hundred": 100, "a dozen": 12, "dozen": 12, "half a": 0.5,
    "a half": 0.5, "half an": 0.5, "a couple of": 2, "couple of": 2, "a couple": 2,
}  # fmt: skip
_FUZZY_NUMBERS = {"a few", "few", "several", "some", "many", "a number of", "dozens of"}
_ORDINALS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
}  # fmt: skip
_CENTURY_ORDINALS: dict[str, int] = {
    "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "twenty-first": 21, "21st": 21,
}  # fmt: skip

#: Unit word -> (TIMEX3 duration letter, is a time-of-day unit, multiplier).
_UNITS: dict[str, tuple[str, bool, int]] = {
    "second": ("S", True, 1), "minute": ("M", True, 1), "hour": ("H", True, 1),
    "day": ("D", False, 1), "night": ("D", False, 1), "week": ("W", False, 1),
    "fortnight": ("W", False, 2), "month": ("M", False, 1), "quarter": ("M", False, 3),
    "year": ("Y", False, 1), "decade": ("Y", False, 10), "century": ("Y", False, 100),
    "centurie": ("Y", False, 100), "millennium": ("Y", False, 1000),
    "millennia": ("Y", False, 1000), "weekend": ("D", False, 2),
}  # fmt: skip
_SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
#: First month of each season (northern hemisphere; winter starts in December).
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
_TIME_ZONES = (
    r"GMT|UTC|EST|EDT|CST|CDT|MST|MDT|PST|PDT|BST|CET|CEST|EET|EEST|MSK|IST|JST|AEST|AEDT|Z"
)

# --------------------------------------------------------------------------------------------
# Regular-expression fragments. Month and weekday names are case-sensitive on purpose:
# "may", "march" and "sun" in lower case are not dates.
# --------------------------------------------------------------------------------------------


def _names(words: list[str]) -> str:
    return "|".join(words + [w.upper() for w in words])


_FULL_MONTH = rf"(?:{_names(_MONTH_NAMES)})"
_ABBR_MONTH = r"(?:(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?(?!\w))"
_MONTH = rf"(?:{_FULL_MONTH}|{_ABBR_MONTH})"
_WEEKDAY = rf"(?:{_names(_WEEKDAY_NAMES)})"
_ABBR_WEEKDAY = r"(?:Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![\d%]|[.:]\d|-\d|/)"
#: A day that may be followed by a dash, as the first day of a range ("27-29").
_DAY_IN_RANGE = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?:1[0-9]\d\d|20\d\d)(?![\d%]|\.\d|,\d{3}|-\d)"
_NUM_WORD = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\s](?:one|two|three"
    r"|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
    r"|(?:a|one)\s+hundred|hundred|a\s+dozen|a\s+couple(?:\s+of)?|couple\s+of|half\s+an?"
    r"|an?)"
)
_NUMBER = rf"(?:\d+(?:\.\d+)?(?:\s+\d/\d)?|(?i:{_NUM_WORD})(?:\s+and\s+a\s+half)?)"
_FUZZY = r"(?:a\s+few|few|several|some|many|a\s+number\s+of|dozens\s+of)"
_UNIT = (
    r"(?:second|minute|hour|day|night|week|fortnight|month|quarter|year|decade|centur(?:y|ie)"
    r"|millenni(?:um|a)|weekend)"
)
_APPROX = (
    r"(?:(?:just|only|well|a\s+little|slightly)\s+)?(?:about|around|almost|nearly|roughly"
    r"|approximately|some|more\s+than|over|less\s+than|under|up\s+to|at\s+least|at\s+most"
    r"|no\s+more\s+than|no\s+less\s+than|fewer\s+than|only|just|barely|close\s+to|upwards\s+of)"
)
#: Modifiers inside a date's extent (TimeML puts them in ``mod``; the value is unchanged).
#: "The first half of 2026" is not here: it has a value of its own (2026-H1, see "quarter").
_MOD = (
    r"(?:early|earlier|mid|middle|late|later|the\s+(?:end|beginning|start|middle|rest|close)"
    r"\s+of|the\s+(?:early|late)\s+part\s+of)"
)
# Future cues are auxiliaries and "set to"-style constructions only: "plans", "next" and
# "coming" are as often nouns or prepositions ("vacation plans", "next to the embassy").
_TENSE_FUTURE = re.compile(
    r"\b(?:[Ww]ill|[Ss]hall|[Ww]o(?=n't)|'ll|going\s+to|gonna|(?:is|are|was|were)\s+to"
    r"|(?<!been\s)(?:set|due|slated|poised|expected|planning|plans|planned|intends?|expects?"
    r"|hopes?|aims?)\s+to|(?<!been\s)scheduled|upcoming|tomorrow|[Mm]ight|may|as\s+soon\s+as)\b"
)
#: Weak future cues: "would" is as often conditional or habitual as it is future-in-past.
_TENSE_WEAK_FUTURE = re.compile(r"\b(?:[Ww]ould|[Cc]ould)\b")
_IRREGULAR_PAST = (
    "was were had did said told went came met saw took gave made held began became won lost "
    "fell rose sent found got spoke wrote thought brought bought paid sold struck fought ran "
    "knew led kept stood broke chose drove flew grew shot threw ago yesterday earlier"
)
_TENSE_PAST = re.compile(
    rf"\b(?:{'|'.join(_IRREGULAR_PAST.split())}|[a-z]{{3,}}(?<!need)(?<!seed)(?<!speed)ed)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?][\"'’”)]*\s+(?=[\"'“‘(`]*[A-Z0-9])|\n\s*\n")

# --------------------------------------------------------------------------------------------
# Calendar arithmetic
# --------------------------------------------------------------------------------------------

#: Granularities, finest first (a week and a weekend are both finer than a month).
_GRAN_RANK = {
    "day": 0, "week": 1, "weekend": 1, "month": 2, "season": 3, "quarter": 3, "half": 4,
    "year": 5, "decade": 6, "century": 7, "centurie": 7,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Point:
    """A calendar period: its granularity and its first day (or the day itself)."""

    gran: str
    day: dt.date
    season: str | None = None  # SP SU FA WI, only for gran == "season"

    def value(self) -> str:
        d = self.day
        if self.gran == "day":
            return d.isoformat()
        if self.gran == "week":
            iso = d.isocalendar()
            return f"{iso.year:04d}-W{iso.week:02d}"
        if self.gran == "weekend":
            iso = d.isocalendar()
            return f"{iso.year:04d}-W{iso.week:02d}-WE"
        if self.gran == "month":
            return f"{d.year:04d}-{d.month:02d}"
        if self.gran == "quarter":
            return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}"
        if self.gran == "half":
            return f"{d.year:04d}-H{(d.month - 1) // 6 + 1}"
        if self.gran == "season":
            return f"{d.year:04d}-{self.season}"
        if self.gran == "decade":
            return f"{d.year // 10:03d}X"
        if self.gran == "century":
            return f"{d.year // 100:02d}XX"
        return f"{d.year:04d}"


def _add_months(day: dt.date, months: int) -> dt.date:
    """Return the first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _shift(point: _Point, unit: str, n: int) -> _Point:
    """Move ``point`` by ``n`` units (a unit of ``_UNITS``); the result keeps a sensible grain.

    The granularity of the result is the coarser of the unit and the point ("a year after
    June 3" is a year, "a year before the third quarter" is a quarter), except that a point
    finer than the unit keeps the unit's grain ("two days before last week" is a week).
    """
    letter, is_time, mult = _UNITS.get(unit, ("D", False, 1))
    steps = n * mult
    d = point.day
    try:
        if is_time:
            hours = steps if letter == "H" else steps / 60 if letter == "M" else steps / 3600
            moved = d + dt.timedelta(days=int(hours // 24)) if abs(hours) >= 24 else d
            return _Point("day", moved)
        if letter == "D":
            return _Point(
                point.gran if point.gran in ("day", "week") else "day", d + dt.timedelta(days=steps)
            )
        if letter == "W":
            gran = point.gran if point.gran in ("day", "week") else "week"
            return _Point(gran, d + dt.timedelta(weeks=steps))
        if letter == "M":
            gran = point.gran if point.gran in ("quarter", "half") and steps % 3 == 0 else "month"
            if point.gran == "day":
                moved = _add_months(d, steps)
                last = _month_length(moved.year, moved.month)
                return _Point("day", moved.replace(day=min(d.day, last)))
            return _Point(gran, _add_months(d, steps))
        # Years: a quarter/half/month/season/day stays one; "a decade ago" is a year.
        gran = point.gran if point.gran in ("quarter", "half", "month", "season", "day") else "year"
        if mult >= 100 and n != 0:
            gran = "year"
        year = d.year + steps
        if not 1 <= year <= 9999:
            return point
        try:
            moved = d.replace(year=year)
        except ValueError:  # 29 February
            moved = d.replace(year=year, day=28)
        return _Point(gran, moved, point.season)
    except (OverflowError, ValueError):
        return point


def _month_length(year: int, month: int) -> int:
    nxt = _add_months(dt.date(year, month, 1), 1)
    return (nxt - dt.timedelta(days=1)).day


def _unit_point(anchor: dt.date, unit: str) -> _Point:
    """The period of ``unit`` granularity containing ``anchor`` ("this week" and so on)."""
    if unit in ("week", "weekend") and anchor.weekday() == 6:
        # English-language news counts weeks from Sunday: a Sunday paper's "this week" is
        # the (ISO) week that starts the next day, and its "last week" the one just ending.
        anchor += dt.timedelta(days=1)
    if unit == "week":
        return _Point("week", anchor - dt.timedelta(days=anchor.weekday()))
    if unit == "weekend":
        return _Point("weekend", anchor - dt.timedelta(days=anchor.weekday()))
    if unit == "month":
        return _Point("month", anchor.replace(day=1))
    if unit == "quarter":
        return _Point("quarter", dt.date(anchor.year, (anchor.month - 1) // 3 * 3 + 1, 1))
    if unit == "half":
        return _Point("half", dt.date(anchor.year, (anchor.month - 1) // 6 * 6 + 1, 1))
    if unit == "decade":
        return _Point("decade", dt.date(anchor.year // 10 * 10 or 1, 1, 1))
    if unit in ("century", "centurie"):
        return _Point("century", dt.date(anchor.year // 100 * 100 or 1, 1, 1))
    if unit == "year":
        return _Point("year", dt.date(anchor.year, 1, 1))
    return _Point("day", anchor)


def _step_unit(unit: str) -> tuple[str, int]:
    """The ``_shift`` unit and count that moves a ``unit``-period to the next one."""
    if unit == "weekend":
        return "week", 1
    if unit == "half":
        return "month", 6
    if unit == "quarter":
        return "month", 3
    if unit in ("decade", "century", "centurie"):
        return "year", 10 if unit == "decade" else 100
    return unit, 1


def _next_period(point: _Point, unit: str, n: int) -> _Point:
    step, mult = _step_unit(unit)
    moved = _shift(point, step, n * mult)
    return _Point(point.gran, moved.day, point.season)


def _unknown_within(ref: _Point, unit: str) -> str | None:
    """TimeML's X-form for an unstated ``unit`` inside ``ref`` ("1987-XX-XX" = a day of 1987)."""
    year = f"{ref.day.year:04d}"
    if unit == "day":
        return f"{year}-{ref.day.month:02d}-XX" if ref.gran == "month" else f"{year}-XX-XX"
    if unit in ("week", "weekend"):
        return f"{year}-WXX"
    if unit == "month" and ref.gran in ("year", "half", "quarter", "season"):
        return f"{year}-XX"
    return None


def _easter(year: int) -> dt.date:
    """Western Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The ``n``-th ``weekday`` (0 = Monday) of a month; ``n = -1`` is the last one."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = dt.date(year, month, _month_length(year, month))
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


_HOLIDAYS: dict[str, Callable[[int], dt.date]] = {
    "christmas eve": lambda y: dt.date(y, 12, 24),
    "christmas day": lambda y: dt.date(y, 12, 25),
    "christmas": lambda y: dt.date(y, 12, 25),
    "boxing day": lambda y: dt.date(y, 12, 26),
    "new year's eve": lambda y: dt.date(y, 12, 31),
    "new year's day": lambda y: dt.date(y, 1, 1),
    "valentine's day": lambda y: dt.date(y, 2, 14),
    "halloween": lambda y: dt.date(y, 10, 31),
    "independence day": lambda y: dt.date(y, 7, 4),
    "the fourth of july": lambda y: dt.date(y, 7, 4),
    "veterans day": lambda y: dt.date(y, 11, 11),
    "armistice day": lambda y: dt.date(y, 11, 11),
    "thanksgiving day": lambda y: _nth_weekday(y, 11, 3, 4),
    "thanksgiving": lambda y: _nth_weekday(y, 11, 3, 4),
    "labor day": lambda y: _nth_weekday(y, 9, 0, 1),
    "memorial day": lambda y: _nth_weekday(y, 5, 0, -1),
    "martin luther king day": lambda y: _nth_weekday(y, 1, 0, 3),
    "presidents day": lambda y: _nth_weekday(y, 2, 0, 3),
    "presidents' day": lambda y: _nth_weekday(y, 2, 0, 3),
    "mother's day": lambda y: _nth_weekday(y, 5, 6, 2),
    "father's day": lambda y: _nth_weekday(y, 6, 6, 3),
    # US federal elections: the Tuesday after the first Monday of November.
    "election day": lambda y: _nth_weekday(y, 11, 0, 1) + dt.timedelta(days=1),
    "easter sunday": _easter,
    "easter": _easter,
    "easter monday": lambda y: _easter(y) + dt.timedelta(days=1),
    "good friday": lambda y: _easter(y) - dt.timedelta(days=2),
}
_HOLIDAY_RE = (
    r"(?:Christmas(?:\s+(?:Eve|Day))?|Boxing\s+Day|New\s+Year's\s+(?:Eve|Day)"
    r"|Valentine's\s+Day|Halloween|Independence\s+Day|the\s+Fourth\s+of\s+July"
    r"|Veterans\s+Day|Armistice\s+Day|Thanksgiving(?:\s+Day)?|Labor\s+Day|Memorial\s+Day"
    r"|Martin\s+Luther\s+King(?:\s+Jr\.)?\s+Day|Presidents'?\s+Day|Mother's\s+Day"
    r"|Father's\s+Day|Election\s+Day|Easter(?:\s+(?:Sunday|Monday))?|Good\s+Friday)"
)

# --------------------------------------------------------------------------------------------
# Candidates and resolution state
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Hit:
    """A resolved expression before it becomes a ``DateMention``."""

    span: Span
    value: str | None
    type: str = "DATE"
    ambiguous: bool = False
    weekday_ok: bool | None = None
    anchor: str | None = None
    notes: list[str] = field(default_factory=list)
    point: _Point | None = None  # the calendar period, when the value is one
    pending: bool = False  # "two days after <date>": resolved once the next date is known
    # Computed from the period under discussion ("a year earlier"): it must not become that
    # period itself, or "the quarter" after "a year ago" would drift back a year.
    derived: bool = False


@dataclass(slots=True)
class _Candidate:
    rule: int
    match: re.Match[str]
    span: Span


class _Resolver:
    """Resolution state for one text: publication date, parse, and the reference time."""

    def __init__(self, text: str, published: dt.date | None, doc: Doc | None) -> None:
        self.text = text
        self.published = published
        self.doc = doc
        self.reference: tuple[_Point, str] | None = None  # last mentioned date and its text
        self.reference_at = -1  # where it was mentioned
        self.last_quarter: _Point | None = None  # last mentioned quarter/half (earnings copy)
        self.last_quarter_at = -1  # where it was mentioned
        self.following: list[_Candidate] = []  # selected candidates after the current one

    # ---- helpers ---------------------------------------------------------------------------

    def publication_hit(self, span: Span, point: _Point, type_: str = "DATE") -> _Hit:
        return _Hit(span=span, value=point.value(), type=type_, anchor="publication", point=point)

    def unanchored(self, span: Span, what: str, xvalue: str | None = None) -> _Hit:
        """A publication-relative expression in a text whose publication date is unknown."""
        return _Hit(
            span=span,
            value=xvalue,
            ambiguous=True,
            anchor="publication",
            notes=[f"{what} is relative to the publication date, which is unknown"],
        )

    def quarter_context(self, start: int) -> _Point | None:
        """The quarter an earnings report is about: the last one mentioned shortly before.

        Comparisons in such copy ("up from $10 million a year ago", "the year-earlier
        period") mean the same quarter a year before, as TimeML annotates them.
        """
        # About three short paragraphs of earnings copy.
        if self.last_quarter is not None and start - self.last_quarter_at < 800:
            return self.last_quarter
        return None

    def reference_point(self) -> tuple[_Point, str | None]:
        """The narrative reference time: the last mentioned date, else the publication date."""
        if self.reference is not None:
            return self.reference
        assert self.published is not None
        return _Point("day", self.published), None

    def direction(self, span: Span) -> int:
        """-1 when the clause around ``span`` is past tense, +1 when future, else 0."""
        if self.doc is not None:
            found = _doc_direction(self.doc, span)
            if found:
                return found
        return _lexical_direction(self.text, span)

    def choose_year(
        self, month: int, day: int | None, span: Span, weekday: int | None = None
    ) -> tuple[int, bool, str | None]:
        """Pick the year of a year-less date from the publication date and the tense.

        Returns the year, whether it is ambiguous, and a note. Of the readings in the year
        before, of and after publication, the nearest to publication that the tense allows
        wins: "December 28" in a story of 5 January is last December, but "will meet on
        December 28" is the coming one; "was last seen Nov. 3" in May is last November.
        Without a tense cue the nearest reading wins and a far one (more than four months
        away) is marked ambiguous. A stated weekday that fits one nearby year settles it.
        """
        assert self.published is not None
        pub = self.published
        options: list[tuple[int, dt.date]] = []
        for year in (pub.year - 1, pub.year, pub.year + 1):
            try:
                options.append((year, dt.date(year, month, day or 15)))
            except ValueError:
                continue
        if not options:
            return pub.year, True, "no such date in the years around publication"
        if weekday is not None and day is not None:
            fitting = [o for o in options if o[1].weekday() == weekday]
            if len(fitting) == 1 and abs((fitting[0][1] - pub).days) < 300:
                year = fitting[0][0]
                note = (
                    None
                    if year == pub.year
                    else (f"year {year} inferred from the stated weekday and the publication date")
                )
                return year, False, note

        def nearest(candidates: list[tuple[int, dt.date]]) -> tuple[int, dt.date]:
            return min(candidates, key=lambda o: (abs((o[1] - pub).days), o[0] != pub.year))

        # "payable Jan. 2", "until Nov. 16", "by February": a target date, whatever the
        # tense of the clause ("extended the offer until Nov. 16").
        before = _preceding_word(self.text, span[0]).lower()
        if before == "on":
            before = _preceding_word(self.text, span[0] - 3).lower()
        # The tense only overrides the nearest reading when that reading is well on the
        # wrong side: a past-tense clause often names a coming date ("extended the offer
        # to Nov. 20", "payable Jan. 2"), and the lexical tense cues are noisy, so a future
        # clause keeps a date up to a month back ("will run from June 1 to June 5").
        direction = 1 if before in _DEADLINE_WORDS else self.direction(span)
        if direction < 0:
            slack = 90 if day is not None else 120
            allowed = [o for o in options if (o[1] - pub).days <= slack]
        elif direction > 0:
            slack = 30 if day is not None else 90
            allowed = [o for o in options if (pub - o[1]).days <= slack]
        else:
            allowed = options
        chosen = nearest(allowed or options)
        distance = abs((chosen[1] - pub).days)
        ambiguous = direction == 0 and distance > 120
        note = None
        if ambiguous:
            note = (
                f"year {chosen[0]} is the reading nearest to publication ({pub.isoformat()}); "
                "no tense cue confirms it"
            )
        elif chosen[0] != pub.year:
            note = f"year {chosen[0]} inferred from the publication date ({pub.isoformat()})"
            if direction:
                note += " and the " + ("past" if direction < 0 else "future") + " tense"
        if direction < 0 and day is not None and chosen[1] > pub:
            note = (note + "; " if note else "") + (
                "the clause is in the past tense but the date is after publication "
                "(a deadline or a scheduled date?)"
            )
        return chosen[0], ambiguous, note

    def weekday_point(self, weekday: int, span: Span, relation: str | None) -> _Point:
        """The date a weekday name refers to, relative to publication (tense decides)."""
        assert self.published is not None
        pub = self.published
        back = (pub.weekday() - weekday) % 7  # days back to the latest such day (0 = today)
        forward = (weekday - pub.weekday()) % 7
        if relation in ("last", "this past", "the previous", "past"):
            return _Point("day", pub - dt.timedelta(days=back or 7))
        if relation in ("next", "this coming", "coming", "the following", "the next"):
            return _Point("day", pub + dt.timedelta(days=forward or 7))
        direction = self.direction(span)
        if relation == "this":
            direction = direction or 1
        if direction > 0:
            # "later on Thursday" in a story published on a Thursday is that day: a reporter
            # writes "next Thursday" for the week after.
            return _Point("day", pub + dt.timedelta(days=forward))
        if direction == 0 and forward and forward <= 1 and back > 3:
            return _Point("day", pub + dt.timedelta(days=forward))
        # News reports the recent past: the latest such day, publication day included.
        return _Point("day", pub - dt.timedelta(days=back))


def _lexical_direction(text: str, span: Span) -> int:
    """Tense of the clause around ``span`` from the nearest tense cue in its sentence.

    Cues after the expression count for less than cues before it ("In March, the company
    sold ..." still reads as past), weak cues ("would") for less than strong ones.
    """
    start = max(0, span[0] - 250)
    boundaries = list(_SENTENCE_END.finditer(text, start, span[0]))
    if boundaries:
        start = boundaries[-1].end()
    right_end = min(len(text), span[1] + 200)
    stop = _SENTENCE_END.search(text, span[1], right_end)
    if stop is not None:
        right_end = stop.start()
    best: tuple[int, int] | None = None  # (distance, direction)
    cues = ((_TENSE_FUTURE, 1, 0), (_TENSE_WEAK_FUTURE, 1, 10), (_TENSE_PAST, -1, 0))
    for pattern, sign, penalty in cues:
        for match in pattern.finditer(text, start, right_end):
            if span[0] <= match.start() < span[1]:
                continue
            if match.end() <= span[0]:
                distance = span[0] - match.end() + penalty
            else:
                # The verb usually precedes an adverbial in English news copy, and an
                # "-ed" word after it may be an adjective ("markets untouched by ...").
                distance = match.start() - span[1] + penalty + 25
                if sign < 0 and match.group().lower() not in _AUXILIARY_PAST:
                    distance += 10
            if best is None or distance < best[0]:
                best = (distance, sign)
    return best[1] if best else 0


_AUXILIARY_PAST = {"was", "were", "had", "did", "said", "told"}
#: Words before a date that make it a target ahead of the clause ("payable Jan. 2").
#: "through" and "since" are left out: "bought shares through Sept. 29" looks back.
_DEADLINE_WORDS = {"payable", "until", "till", "by", "expire", "expires", "expiring", "due"}


_FUTURE_GOVERNORS = {
    "plan", "expect", "schedule", "intend", "hope", "want", "aim", "agree", "vow", "promise",
    "threaten", "decide", "set", "due", "prepare", "seek", "propose", "pledge",
}  # fmt: skip


_STATIVE = {"be", "have", "say", "tell", "know", "think", "believe", "remain", "seem"}


def _clause_verb(token: Any) -> Any:
    """The nearest verb above ``token`` (None if there is none)."""
    for _ in range(8):
        if token.pos_ in ("VERB", "AUX") and token.dep_ not in ("aux", "auxpass"):
            return token
        if token.head is token:
            return None
        token = token.head
    return None


def _doc_direction(doc: Doc, span: Span) -> int:
    """Tense from the spaCy parse: climb from the expression to its verb and read its aux.

    Returns 0 (no opinion; the lexical cues decide) where the parse is not a reliable
    guide: a date that modifies a noun ("Tuesday's declaration" dates the declaration, not
    the clause), or a plan in the past ("planned to leave on Thursday" may still be ahead).
    """
    chars = doc.char_span(span[0], span[1], alignment_mode="expand")
    if chars is None or len(chars) == 0:
        return 0
    token = chars.root
    if token.dep_ in ("poss", "compound", "nmod", "amod") and token.head.pos_ in ("NOUN", "PROPN"):
        return 0
    verb = _clause_verb(token)
    planned = False
    for _ in range(3):
        if verb is None:
            return 0
        lowers = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
        if lowers & {"will", "'ll", "shall", "wo", "would"}:
            return 1
        past = verb.tag_ == "VBD" or bool(lowers & {"was", "were", "had", "did"})
        if verb.tag_ == "VBN" and not lowers and verb.dep_ in ("acl", "amod", "advcl", "relcl"):
            # A participle used as a modifier ("the decision, announced Wednesday") tells
            # of something done; "a service planned for Saturday" of something ahead.
            return 0 if verb.lemma_ in _FUTURE_GOVERNORS else -1
        if planned or verb.lemma_ in _FUTURE_GOVERNORS:
            # "has scheduled a news conference Thursday" looks ahead; "had been due to
            # expire Friday" or "planned to leave Thursday" may not.
            return 0 if past else 1
        if verb.tag_ == "VB" and "to" in lowers:
            # An infinitive: the verb it depends on decides ("plans to meet on Friday").
            planned = verb.head.lemma_ in _FUTURE_GOVERNORS
            verb = _clause_verb(verb.head) if verb.head is not verb else None
            continue
        if past or (lowers & {"has", "have"} and verb.tag_ == "VBN"):
            return -1
        if verb.tag_ in ("VBZ", "VBP") and not lowers and verb.lemma_ not in _STATIVE:
            # News copy uses the simple present for scheduled events: "meets Wednesday".
            return 1
        return 0
    return 0


# --------------------------------------------------------------------------------------------
# Rules: each is (pattern, guard, resolve). The guard runs on every match (cheap, may reject);
# resolve runs only on selected candidates, left to right. A named group ``x`` narrows the
# extent when the pattern needs context that is not part of the expression.
# --------------------------------------------------------------------------------------------

Guard = Callable[[str, "re.Match[str]"], bool]
Resolve = Callable[[_Resolver, "re.Match[str]", Span], "_Hit | None"]


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    resolve: Resolve
    guard: Guard | None = None


_RULES: list[_Rule] = []


def _rule(name: str, pattern: str, guard: Guard | None = None) -> Callable[[Resolve], Resolve]:
    def register(func: Resolve) -> Resolve:
        _RULES.append(_Rule(name, re.compile(pattern), func, guard))
        return func

    return register


def _number(text: str) -> float | None:
    """Value of a number as written ("two", "2 1/2", "a couple of", "twenty-five"); None = fuzzy."""
    t = " ".join(text.lower().replace("-", " ").split())
    if t in _FUZZY_NUMBERS:
        return None
    half = 0.0
    if t.endswith(" and a half"):
        t, half = t[: -len(" and a half")], 0.5
    if t in _NUMBER_WORDS:
        return _NUMBER_WORDS[t] + half
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(?:\s+(\d)/(\d))?", t)
    if match:
        value = float(match.group(1))
        if match.group(2):
            value += int(match.group(2)) / int(match.group(3))
        return value + half
    parts = t.split()
    if len(parts) == 2 and parts[0] in _NUMBER_WORDS and parts[1] in _NUMBER_WORDS:
        return _NUMBER_WORDS[parts[0]] + _NUMBER_WORDS[parts[1]] + half
    return None


def _unit_key(word: str) -> str:
    """Normalise a unit word: "Years" -> "year", "centuries" -> "centurie"."""
    w = word.lower()
    if w.endswith("s") and w[:-1] in _UNITS:
        return w[:-1]
    return w if w in _UNITS else w.rstrip("s")


def _duration(number: float | None, unit: str) -> str:
    """TIMEX3 duration for ``number`` ``unit``s; None = unstated number ("PXY")."""
    letter, is_time, mult = _UNITS.get(unit, ("D", False, 1))
    prefix = "PT" if is_time else "P"
    if number is None:
        if unit in ("decade", "century", "centurie", "millennium", "millennia"):
            return {"decade": "PXDE", "century": "PXCE", "centurie": "PXCE"}.get(unit, "PXML")
        return f"{prefix}X{letter}"
    total = number * mult
    if total == int(total):
        return f"{prefix}{int(total)}{letter}"
    whole = int(total)
    fraction = total - whole
    # Fractions become the next smaller unit, as TimeML writes "2 1/2 years" = P2Y6M.
    smaller = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24), "H": ("M", 60)}
    if is_time and letter == "M":
        smaller = {"M": ("S", 60)}
    if letter in smaller:
        sub, factor = smaller[letter]
        rest = round(fraction * factor)
        head = f"{whole}{letter}" if whole else ""
        if not is_time and sub == "H":
            return f"P{head}T{rest}H"
        return f"{prefix}{head}{rest}{sub}"
    return f"{prefix}{total:g}{letter}"


def _preceding_word(text: str, start: int) -> str:
    match = re.search(r"([\w.'’$#-]+)\s*$", text[max(0, start - 40) : start])
    return match.group(1) if match else ""


def _following_word(text: str, end: int) -> str:
    match = re.match(r"\s*([\w'’-]+)", text[end : end + 40])
    return match.group(1) if match else ""


# ---- explicit calendar dates ---------------------------------------------------------------


def _calendar_day(
    r: _Resolver,
    span: Span,
    month: int,
    day: int,
    year: int | None,
    weekday: int | None,
    written: str,
) -> _Hit | None:
    """Resolve a month-day date, stated year or not, and check a stated weekday."""
    if not 1 <= day <= 31:
        return None
    notes: list[str] = []
    ambiguous = False
    anchor = None
    if year is None:
        if r.published is None:
            try:
                dt.date(2000, month, day)  # a leap year: 29 February is a real date
            except ValueError:
                return None
            return _Hit(
                span=span,
                value=f"XXXX-{month:02d}-{day:02d}",
                ambiguous=True,
                notes=["year unknown: the text gives no year and the publication date is unknown"],
            )
        year, ambiguous, note = r.choose_year(month, day, span, weekday)
        anchor = "publication"
        notes.append(note or f"year {year} taken from the publication date")
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return _Hit(span=span, value=None, ambiguous=True, notes=[f"no such date: {written}"])
    weekday_ok = None
    if weekday is not None:
        weekday_ok = date.weekday() == weekday
        if not weekday_ok:
            notes.append(
                f"stated weekday {_WEEKDAY_NAMES[weekday]} does not match: "
                f"{date.isoformat()} is a {_WEEKDAY_NAMES[date.weekday()]}"
            )
    point = _Point("day", date)
    return _Hit(
        span=span,
        value=point.value(),
        ambiguous=ambiguous,
        weekday_ok=weekday_ok,
        anchor=anchor,
        notes=notes,
        point=point,
    )


def _month_of(word: str) -> int:
    return _MONTH_NUMBER[word.lower().rstrip(".")]


def _weekday_of(word: str | None) -> int | None:
    return None if word is None else _WEEKDAY_NUMBER[word.lower().rstrip(".")]


def _day_of(word: str) -> int:
    return int(re.sub(r"\D", "", word))


def _year_of(word: str | None) -> int | None:
    if word is None:
        return None
    digits = int(word.strip("'"))
    return digits if len(word.strip("'")) == 4 else 1900 + digits if digits >= 50 else 2000 + digits


def _not_time_or_count(text: str, m: re.Match[str]) -> bool:
    """Reject "5 May" style matches that are really "Article 5 May" or a count."""
    before = _preceding_word(text, m.start())
    return before.lower() not in {"article", "no.", "section", "chapter", "page", "number"}


@_rule("iso", r"(?<![\w/.-])(\d{4})-(\d\d)-(\d\d)(?:T([01]\d|2[0-3]):([0-5]\d))?(?![\w/]|-\d)")
def _iso(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    try:
        date = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    if m.group(4):
        return _Hit(span=span, value=f"{date.isoformat()}T{m.group(4)}:{m.group(5)}", type="TIME")
    return _Hit(span=span, value=date.isoformat(), point=_Point("day", date))


@_rule(
    "slashed", r"(?<![\w/.,-])(1[0-2]|0?[1-9])/(3[01]|[12]\d|0?[1-9])/(\d{4}|\d\d)(?![\w/]|\.\d)"
)
def _slashed(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    # Month first: the corpus this desk reads (English-language wires) writes US dates.
    year = _year_of(m.group(3))
    assert year is not None
    hit = _calendar_day(r, span, int(m.group(1)), int(m.group(2)), year, None, m.group(0))
    if hit is not None and int(m.group(2)) <= 12 and m.group(1) != m.group(2):
        hit.notes.append("read as month/day/year")
    return hit


@_rule("nine_eleven", r"(?<![\w/.-])9/11(?![\w/]|\.\d)")
def _nine_eleven(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    return _Hit(span=span, value="2001-09-11", notes=["9/11: the attacks of 11 September 2001"])


@_rule(
    "month_day",
    rf"(?:(?P<wd>{_WEEKDAY}|{_ABBR_WEEKDAY}),?\s+(?:the\s+)?)?(?P<mon>{_MONTH})\s+(?P<d>{_DAY})"
    rf"(?:(?:\s*,\s*|\s+)(?P<y>{_YEAR}))?(?P<attacks>\s+(?:terror(?:ist)?\s+)?attacks)?",
)
def _month_day(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    month, day = _month_of(m.group("mon")), _day_of(m.group("d"))
    if m.group("attacks"):
        span = (span[0], m.start("attacks"))
        if month == 9 and day == 11 and m.group("y") is None:
            return _Hit(span=span, value="2001-09-11", notes=["the attacks of 11 September 2001"])
    year = int(m.group("y")) if m.group("y") else None
    return _calendar_day(r, span, month, day, year, _weekday_of(m.group("wd")), m.group(0))


@_rule(
    "day_month",
    rf"(?<![\w$.,/-])(?:(?P<wd>{_WEEKDAY}|{_ABBR_WEEKDAY}),?\s+)?(?:the\s+)?(?P<d>{_DAY})"
    rf"(?:\s+of)?\s+(?P<mon>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?(?!\s+\d)",
    _not_time_or_count,
)
def _day_month(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    year = int(m.group("y")) if m.group("y") else None
    return _calendar_day(
        r,
        span,
        _month_of(m.group("mon")),
        _day_of(m.group("d")),
        year,
        _weekday_of(m.group("wd")),
        m.group(0),
    )


_RANGE_LINK = r"\s*(?:-|–|—|to|through|thru|until|till)\s*"


@_rule(
    "month_day_range",
    rf"(?P<mon>{_MONTH})\s+(?P<d1>{_DAY_IN_RANGE})(?P<link>{_RANGE_LINK}|\s+and\s+)(?P<d2>{_DAY})"
    rf"(?:(?:\s*,\s*|\s+)(?P<y>{_YEAR}))?",
    lambda text, m: (
        "and" not in m.group("link") or _preceding_word(text, m.start()).lower() == "between"
    ),
)
def _month_day_range(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    month = _month_of(m.group("mon"))
    year = int(m.group("y")) if m.group("y") else None
    return _range_of_days(r, span, month, _day_of(m.group("d1")), _day_of(m.group("d2")), year)


@_rule(
    "day_month_range",
    rf"(?<![\w$.,/-])(?P<d1>{_DAY_IN_RANGE})(?P<link>{_RANGE_LINK}|\s+and\s+)(?P<d2>{_DAY})\s+(?:of\s+)?"
    rf"(?P<mon>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?",
    lambda text, m: (
        "and" not in m.group("link") or _preceding_word(text, m.start()).lower() == "between"
    ),
)
def _day_month_range(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    month = _month_of(m.group("mon"))
    year = int(m.group("y")) if m.group("y") else None
    return _range_of_days(r, span, month, _day_of(m.group("d1")), _day_of(m.group("d2")), year)


def _range_of_days(
    r: _Resolver, span: Span, month: int, first: int, last: int, year: int | None
) -> _Hit | None:
    if not first < last <= 31:
        return None
    start = _calendar_day(r, span, month, first, year, None, "")
    end = _calendar_day(r, span, month, last, year, None, "")
    if start is None or end is None or start.value is None or end.value is None:
        return None
    if end.value[:4] != start.value[:4] and start.value[:4] != "XXXX":
        end.value = start.value[:4] + end.value[4:]
    start.value = f"{start.value}/{end.value}"
    start.point = None
    start.notes = [n for n in start.notes if n] + ["a range"]
    return start


@_rule(
    "year_range",
    r"(?<![\w$.,/-])(?P<y1>1[5-9]\d\d|20\d\d)\s*(?:-|–|—)\s*(?P<y2>1[5-9]\d\d|20\d\d|\d\d)(?![\w%])",
)
def _year_range(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    first = int(m.group("y1"))
    second = m.group("y2")
    last = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
    if not first < last <= first + 100:
        return None
    return _Hit(span=span, value=f"{first}/{last}", notes=["a range of years"])


# ---- months, years, decades, centuries, seasons ----------------------------------------------

#: Months that are also common words or names: alone they need a cue ("in May", "last May").
_RISKY_MONTHS = {"may", "march", "june", "august", "jan", "sept"}
_MONTH_CUES = {
    "in", "since", "until", "till", "by", "from", "to", "through", "throughout", "during",
    "before", "after", "of", "and", "or", "between", "early", "late", "mid", "last", "this",
    "next", "end", "beginning", "start", "middle", "for", "on", "around", "past", "coming",
}  # fmt: skip


def _month_guard(text: str, m: re.Match[str]) -> bool:
    if m.group("mod") or m.group("rel"):
        return True
    before = _preceding_word(text, m.start()).lower()
    if before in ("mr.", "mrs.", "ms.", "dr.", "miss", "theresa", "prime"):
        return False
    name = m.group("mon").lower()
    after = _following_word(text, m.end())
    if name in _RISKY_MONTHS:
        return before in _MONTH_CUES
    # A capitalised word after a month name makes it a person ("April Ryan"), unless a cue
    # word before it says otherwise.
    return not (after[:1].isupper() and before not in _MONTH_CUES)


@_rule(
    "month",
    rf"(?:(?P<mod>{_MOD})[-\s]+)?(?:(?P<rel>(?i:last|this|next|this\s+past|this\s+coming|the\s+past"
    rf"|the\s+previous|the\s+following))\s+)?(?P<mon>{_FULL_MONTH})(?!\s*\d|[\w-]|['’](?!s\b))"
    rf"(?:\s+(?:of\s+)?(?P<yrel>this|last|next)\s+year)?",
    _month_guard,
)
def _month(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    month = _month_of(m.group("mon"))
    notes = _mod_notes(m.group("mod"))
    if r.published is None:
        hit = r.unanchored(span, "a month without a year", f"XXXX-{month:02d}")
        hit.notes = ["year unknown: the text gives no year and the publication date is unknown"]
        return hit
    pub = r.published
    rel = " ".join((m.group("rel") or "").lower().split())
    yrel = m.group("yrel")
    ambiguous = False
    if yrel:
        year = pub.year + {"this": 0, "last": -1, "next": 1}[yrel]
    elif rel in ("last", "this past", "the past", "the previous"):
        # "last February" said in March is February a year ago: the month just gone would
        # be "last month". Otherwise the latest such month before this one.
        year = pub.year if month < pub.month - 1 else pub.year - 1
    elif rel in ("next", "this coming", "the following"):
        year = pub.year if month > pub.month + 1 else pub.year + 1
    elif rel == "this":
        year = pub.year
    else:
        year, ambiguous, note = r.choose_year(month, None, span)
        if note:
            notes.append(note)
    point = _Point("month", dt.date(year, month, 1))
    hit = r.publication_hit(span, point)
    hit.ambiguous = ambiguous
    hit.notes = notes
    return hit


@_rule(
    "month_year",
    rf"(?:(?P<mod>{_MOD})[-\s]+)?(?P<mon>{_MONTH})(?:,|\s+of)?\s+(?P<y>{_YEAR})",
)
def _month_year(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    point = _Point("month", dt.date(int(m.group("y")), _month_of(m.group("mon")), 1))
    return _Hit(span=span, value=point.value(), point=point, notes=_mod_notes(m.group("mod")))


def _mod_notes(mod: str | None) -> list[str]:
    if not mod:
        return []
    word = " ".join(mod.lower().split())
    return [f"modifier: {word}"]


#: Words before a four-digit number that make it an identifier, not a year.
_ID_WORDS = {
    "no.", "no", "nos.", "number", "article", "section", "chapter", "flight", "route", "room",
    "page", "pages", "resolution", "highway", "interstate", "model", "version", "form", "rule",
    "bill", "proposition", "boeing", "airbus", "windows", "office", "paragraph", "item",
    "code", "zip", "pin", "#", "$", "at", "to", "from", "up", "down", "about", "than",
    "approximately", "nearly", "some", "over", "under", "only", "just",
}  # fmt: skip
#: Plural words that may follow a year used as a date ("in 1990 dollars" is still a year).
_YEAR_PLURALS_OK = {
    "is", "was", "has", "as", "its", "his", "this", "thus", "plus", "us", "dollars", "levels",
    "terms", "prices", "standards", "elections", "olympics", "games", "figures", "results",
    "sales", "earnings", "revenues", "rates",
}  # fmt: skip
_COUNT_NOUNS = {
    "people", "men", "women", "children", "police", "staff", "feet", "foot", "miles", "tons",
    "tonnes", "barrels", "acres", "kilometers", "kilometres", "meters", "metres", "pounds",
    "kilograms", "calories", "personnel", "employees", "workers", "jobs", "cases", "deaths",
}  # fmt: skip


#: Capitalised words that may stand before a bare year ("In 1990", "Fiscal 1990").
_YEAR_CUES = {
    "in", "since", "by", "until", "till", "from", "through", "during", "before", "after", "and",
    "or", "of", "to", "early", "late", "mid", "end", "spring", "summer", "fall", "autumn",
    "winter", "fiscal", "fy", "calendar", "year", "class", "circa", "c.", "between", "for",
    "around", "about", "as", "at", "on", "but", "then", "so", "unlike", "like", "than",
    # Determiners and pronouns start sentences: "A 1996 law", "That 1978 resolution".
    "a", "an", "the", "that", "this", "these", "those", "its", "his", "her", "their", "our",
    "my", "your", "every", "each", "some", "no", "all", "both",
}  # fmt: skip


def _year_guard(text: str, m: re.Match[str]) -> bool:
    if m.group("mod"):
        return True
    before_word = _preceding_word(text, m.start())
    before = before_word.lower()
    # "1949 troops": a plural noun after a bare number makes it a count. "in 1990 dollars",
    # "1990 levels" and the like stay years (a short list; a tagger would do better).
    if _count_follows(text, m.end()) and (
        _following_word(text, m.end()).lower() in _COUNT_NOUNS
        or before not in ("in", "since", "of", "by", "until", "during", "from", "and")
    ):
        return False
    # "Windows 2000", "Orion 1980", "Vision 2030": a name, not a year.
    if (
        before_word[:1].isupper()
        and not before_word.endswith(("'s", "’s"))
        and before not in _YEAR_CUES
        and before.rstrip(".") not in _MONTH_NUMBER
    ):
        return False
    if before in _ID_WORDS and before not in ("to", "from", "at", "about", "over", "than"):
        return False
    if before in ("at", "to", "from", "about", "over", "than", "up", "down"):
        # "rose to 2050" or "at 1800" are quantities unless the year looks like one.
        return not re.match(r"\s*(?:points?|marks?|yen|pounds|%|percent)", text[m.end() :])
    return True


@_rule(
    "year",
    rf"(?<![\w$€£¥.,/#-])(?:(?P<mod>{_MOD}|fiscal(?:\s+year)?|calendar(?:\s+year)?|FY|the\s+year"
    rf"|pre|post)"
    rf"[-\s]*)?(?P<y>1[5-9]\d\d|20\d\d)(?![\d%]|\.\d|,\d|-\d|/\d"
    rf"|'?s\b|\s*(?:percent|per\s+cent|%))",
    _year_guard,
)
def _year(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    point = _Point("year", dt.date(int(m.group("y")), 1, 1))
    notes = _mod_notes(m.group("mod")) if m.group("mod") and "fiscal" not in m.group("mod") else []
    if m.group("mod") and "fiscal" in m.group("mod").lower():
        notes.append("a fiscal year: its calendar months depend on the organisation")
    return _Hit(span=span, value=point.value(), point=point, notes=notes)


def _count_follows(text: str, end: int) -> bool:
    """Whether the word after ``end`` makes the number before it a count ("2000 troops")."""
    after = _following_word(text, end)
    low = after.lower()
    if low in _COUNT_NOUNS:
        return True
    return (
        after.islower()
        and low.endswith("s")
        and not low.endswith("ss")
        and len(low) > 3
        and low not in _YEAR_PLURALS_OK
    )


@_rule(
    "year_words",
    r"(?i:(?:the\s+year\s+)?two\s+thousand(?:\s+and\s+(?:one|two|three|four|five|six|seven"
    r"|eight|nine|ten))?|nineteen\s+(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?)(?![\w-])",
    lambda text, m: not _count_follows(text, m.end()),
)
def _year_words(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    words = m.group(0).lower().replace("the year ", "").replace("-", " ").split()
    if words[:2] == ["two", "thousand"]:
        extra = _number(" ".join(words[3:])) if len(words) > 3 else 0
        year = 2000 + int(extra or 0)
    else:
        rest = _number(" ".join(words[1:]))
        if rest is None:
            return None
        year = 1900 + int(rest)
    point = _Point("year", dt.date(year, 1, 1))
    return _Hit(span=span, value=point.value(), point=point)


@_rule(
    "decade",
    r"(?:the\s+)?(?:(?P<mod>early|mid|late)[-\s]+)?(?:(?P<dec>1[5-9]\d|20\d)0|'(?P<dd>\d)0)'?s\b",
)
def _decade(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    if m.group("dec"):
        decade = int(m.group("dec"))
    else:
        # "the '90s": the latest such decade not after publication (or the 1900s).
        digit = int(m.group("dd"))
        century = (r.published.year // 100) if r.published else 19
        decade = century * 10 + digit
        if r.published and decade * 10 > r.published.year:
            decade -= 100
    point = _Point("decade", dt.date(decade * 10, 1, 1))
    return _Hit(span=span, value=point.value(), point=point, notes=_mod_notes(m.group("mod")))


_DECADE_WORDS = {
    "twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
    "eighties": 8, "nineties": 9,
}  # fmt: skip


@_rule(
    "decade_words",
    r"\bthe\s+(?:(?P<mod>early|mid|late)[-\s]+)?(?P<w>twenties|thirties|forties|fifties|sixties"
    r"|seventies|eighties|nineties)\b",
)
def _decade_words(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    century = (r.published.year // 100) if r.published else 19
    decade = century * 10 + _DECADE_WORDS[m.group("w").lower()]
    if r.published and decade * 10 > r.published.year:
        decade -= 10 * 10
    point = _Point("decade", dt.date(decade * 10, 1, 1))
    return _Hit(span=span, value=point.value(), point=point, notes=_mod_notes(m.group("mod")))


@_rule(
    "century",
    r"(?:the\s+)?(?:(?P<mod>early|mid|late)[-\s]+)?(?P<ord>1?\d(?:st|nd|rd|th)|2[01](?:st|th)"
    r"|eighteenth|nineteenth|twentieth|twenty-first)[-\s]+[Cc]entury",
)
def _century(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    word = m.group("ord").lower()
    number = _CENTURY_ORDINALS.get(word) or int(re.sub(r"\D", "", word))
    if number < 1:
        return None
    point = _Point("century", dt.date((number - 1) * 100 or 1, 1, 1))
    return _Hit(span=span, value=point.value(), point=point, notes=_mod_notes(m.group("mod")))


def _season_guard(text: str, m: re.Match[str]) -> bool:
    if m.group("rel") or m.group("mod") or m.group("y"):
        return True
    season = m.group("s").lower()
    after = text[m.end() : m.end() + 4]
    if season in ("fall", "spring") and (after.startswith(" of") or not m.group("the")):
        return False  # "the fall of the Berlin Wall", "a spring in his step"
    before = _preceding_word(text, m.start()).lower()
    return before in {"in", "during", "by", "since", "until", "through", "over", "this", "for"}


@_rule(
    "season",
    r"(?i:(?P<rel>this\s+past|this\s+coming|last|this|next|(?P<the>the)(?:\s+(?:coming|past))?)\s+)?"
    r"(?:(?P<mod>early|late|mid)[-\s]+)?(?P<s>(?i:spring|summer|fall|autumn|winter))"
    r"(?:\s+(?:of\s+)?(?P<y>1[5-9]\d\d|20\d\d))?(?![\w-])",
    _season_guard,
)
def _season(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    code = _SEASONS[m.group("s").lower()]
    notes = _mod_notes(m.group("mod"))
    if m.group("y"):
        year = int(m.group("y"))
        point = _Point("season", dt.date(year, _SEASON_START[code], 1), code)
        return _Hit(span=span, value=point.value(), point=point, notes=notes)
    if r.published is None:
        return r.unanchored(span, "a season without a year", f"XXXX-{code}")
    pub = r.published
    rel = " ".join((m.group("rel") or "").lower().split())
    # The season containing publication, as (year label, start month).
    start_month = _SEASON_START[code]
    this_year = pub.year if not (code == "WI" and pub.month <= 2) else pub.year - 1
    this_start = dt.date(this_year, start_month, 1)
    direction = (
        -1
        if rel in ("last", "this past", "the past")
        else 1
        if rel in ("next", "this coming", "the coming")
        else 0
    )
    if not direction and rel != "this":
        direction = r.direction(span)
    year = this_year
    if direction < 0 and this_start > pub:
        year -= 1
    elif direction > 0 and _add_months(this_start, 3) <= pub:
        year += 1
    point = _Point("season", dt.date(year, start_month, 1), code)
    hit = r.publication_hit(span, point)
    hit.notes = notes
    return hit


# ---- quarters and halves --------------------------------------------------------------------

_ORDINAL = r"(?:first|second|third|fourth|1st|2nd|3rd|4th|last|latter|final)"


@_rule(
    "quarter",
    rf"(?i:(?:(?P<owner>the|its|their|this|(?P<yrel>this|last|next)\s+year's|the\s+(?P<y1>{_YEAR})"
    rf"|(?P<ago>the\s+(?:comparable\s+)?year[-\s](?:ago|earlier))"
    rf"|(?P<y0>{_YEAR})(?:'s)?)\s+)?(?:(?:fiscal|calendar)[-\s]+)?(?P<ord>{_ORDINAL})[-\s]+"
    rf"(?:fiscal[-\s]+)?(?P<unit>quarter|half|period|(?P<two>two\s+quarters))"
    rf"(?:\s+of\s+(?:the\s+)?(?:(?:fiscal|calendar)\s+(?:year\s+)?)?(?:(?P<y2>{_YEAR})"
    rf"|(?P<yrel2>this|last|next)\s+year|the\s+(?:fiscal\s+)?year))?)"
    rf"(?![\w-])",
    lambda text, m: (
        (m.group("unit").lower() != "period" or bool(m.group("owner")))
        # "the last quarter" alone is the latest one (quarter_relative); "the last half of
        # 1989" is the second half.
        and (
            m.group("ord").lower() not in ("last", "latter", "final")
            or bool(m.group("y2") or m.group("yrel2"))
        )
    ),
)
def _quarter(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    unit = m.group("unit").lower()
    gran = "half" if unit == "half" or m.group("two") else "quarter"
    ordinal = m.group("ord").lower()
    number = (
        (2 if gran == "half" else 4)
        if ordinal in ("last", "latter", "final")
        else (_ORDINALS[ordinal])
    )
    if gran == "half" and number > 2:
        return None
    if m.group("two") and number != 1:
        return None
    explicit = m.group("y0") or m.group("y1") or m.group("y2")
    yrel = m.group("yrel") or m.group("yrel2")
    months = 6 if gran == "half" else 3
    if explicit:
        year = int(explicit)
    elif r.published is None:
        code = "H" if gran == "half" else "Q"
        return r.unanchored(span, "a quarter without a year", f"XXXX-{code}{number}")
    elif yrel:
        year = r.published.year + {"this": 0, "last": -1, "next": 1}[yrel.lower()]
    else:
        # The latest such period that has begun, unless the clause looks ahead: earnings
        # copy reports "the third quarter" after it ends and previews "the first quarter".
        pub = r.published
        current = (pub.month - 1) // months + 1
        year = pub.year
        if number > current:
            # Not begun yet this year: last year's, if the clause looks back or it ended
            # recently (results for "the fourth quarter" come out in January and February);
            # otherwise this year's, still to come.
            direction = r.direction(span)
            last_end = _add_months(dt.date(pub.year - 1, (number - 1) * months + 1, 1), months)
            if direction < 0 or (direction == 0 and (pub - last_end).days <= 120):
                year -= 1
    if m.group("ago"):
        year -= 1  # "the year-ago third quarter"
    point = _Point(gran, dt.date(year, (number - 1) * months + 1, 1))
    hit = _Hit(span=span, value=point.value(), point=point, derived=bool(m.group("ago")))
    if not explicit:
        hit.anchor = "publication"
    return hit


@_rule(
    "quarter_code",
    r"(?<![\w-])(?:(?P<q1>[1-4])Q|Q(?P<q2>[1-4])|H(?P<h>[12]))(?:\s*(?:FY\s*)?(?P<y>(?:19|20)\d\d|'\d\d))?(?![\w-])",
    lambda text, m: bool(m.group("y")) or bool(m.group("q2")),
)
def _quarter_code(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    year = _year_of(m.group("y")) if m.group("y") else None
    if year is None:
        if r.published is None:
            return r.unanchored(span, "a quarter without a year", f"XXXX-Q{m.group('q2')}")
        year = r.published.year
    if m.group("h"):
        point = _Point("half", dt.date(year, int(m.group("h")) * 6 - 5, 1))
    else:
        quarter = int(m.group("q1") or m.group("q2"))
        point = _Point("quarter", dt.date(year, quarter * 3 - 2, 1))
    return _Hit(span=span, value=point.value(), point=point)


_SAME_PERIOD_LAST_YEAR = (
    r"(?:the\s+)?(?:(?:same|corresponding|comparable|like)\s+)?(?:year[-\s]earlier|year[-\s]ago"
    r"|prior[-\s]year|previous[-\s]year)"
)


_PERIOD_END = re.compile(
    rf"\s+(?:that\s+|which\s+)?(?:ended|ending|ends|closed)\s+(?:on\s+)?(?P<mon>{_MONTH})\s+"
    rf"(?P<d>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?"
)


def _period_end(r: _Resolver, end: int) -> dt.date | None:
    """The last day in "... ended Sept. 30" right after ``end`` (None if not there)."""
    match = _PERIOD_END.match(r.text, end)
    if match is None:
        return None
    month, day = _month_of(match.group("mon")), _day_of(match.group("d"))
    try:
        if match.group("y"):
            return dt.date(int(match.group("y")), month, day)
        if r.published is None:
            return None
        # A reporting period has ended by publication: the latest such day before it.
        for year in (r.published.year, r.published.year - 1):
            candidate = dt.date(year, month, day)
            if candidate <= r.published + dt.timedelta(days=7):
                return candidate
    except ValueError:
        return None
    return None


@_rule(
    "quarter_relative",
    r"(?i:(?P<the>the|this|its|their|that|last|next|a)\s+(?:(?P<rel>latest|current|most\s+recent"
    r"|last|previous|prior|past|next|coming|same|comparable|corresponding|year-earlier|year-ago"
    r"|year\s+earlier|year\s+ago|prior-year|first|final|recent|fiscal|just-ended|just\s+ended"
    r"|preceding)(?:\s+(?:fiscal|calendar))?[-\s]+)?(?P<unit>quarter|period))(?![\w-])"
    r"(?P<lastyear>\s+(?:of\s+)?(?:last\s+year|a\s+year\s+(?:ago|earlier)|the\s+previous\s+year))?",
    lambda text, m: (
        (m.group("unit").lower() == "quarter" or bool(m.group("rel")))
        and not re.match(
            r"\s*(?:of\s+(?:a|an|the|\d)|point|century|mile|hour|final)", text[m.end() :]
        )
        and (m.group("the").lower() != "a" or bool(m.group("rel")))
    ),
)
def _quarter_relative(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    """ "the latest quarter", "the quarter", "the year-ago period": earnings-report periods.

    "The quarter" and "the period" refer back to the quarter the report is about (the last
    one mentioned); without one, to the latest complete quarter before publication.
    """
    rel = " ".join((m.group("rel") or "").lower().replace("-", " ").split())
    det = m.group("the").lower()
    ended = _period_end(r, span[1])
    if ended is not None and not m.group("lastyear"):
        # "the quarter ended July 31" (May to July): the calendar quarter holding most of
        # it, the one that contains its middle.
        point = _unit_point(ended - dt.timedelta(days=45), "quarter")
        hit = _Hit(span=span, value=point.value(), point=point)
        hit.notes.append(f"the quarter that ended on {ended.isoformat()}")
        return hit
    context = r.quarter_context(span[0])
    current = _unit_point(r.published, "quarter") if r.published else None
    latest = _next_period(current, "quarter", -1) if current else None
    if rel in ("year earlier", "year ago", "prior year", "comparable", "corresponding") or (
        m.group("lastyear")
    ):
        base = context or latest
        if base is None:
            return r.unanchored(span, m.group(0), None)
        point = _shift(base, "year", -1)
        return _Hit(span=span, value=point.value(), point=point, derived=True)
    if rel == "current" or (det == "this" and not rel):
        return r.publication_hit(span, current) if current else r.unanchored(span, "this quarter")
    if rel in ("next", "coming") or det == "next":
        if current is None:
            return r.unanchored(span, "next quarter")
        return r.publication_hit(span, _next_period(current, "quarter", 1))
    if rel in ("previous", "prior", "preceding"):
        base = context or current
        if base is None:
            return r.unanchored(span, m.group(0))
        point = _next_period(base, "quarter", -1)
        return _Hit(span=span, value=point.value(), point=point, derived=True)
    if rel in ("latest", "most recent", "just ended", "recent", "past", "last") or det == "last":
        if latest is None:
            return r.unanchored(span, m.group(0))
        hit = r.publication_hit(span, latest)
        hit.notes.append("the latest complete quarter before publication")
        return hit
    # "the quarter", "that period", "the same quarter": the quarter being reported on.
    if context is not None:
        return _Hit(span=span, value=context.value(), point=context)
    if latest is None:
        return r.unanchored(span, m.group(0))
    hit = r.publication_hit(span, latest)
    hit.notes.append("read as the latest complete quarter before publication")
    return hit


@_rule(
    "quarter_of_year",
    rf"(?i:the\s+(?P<y>{_YEAR})\s+(?:fiscal\s+)?(?P<unit>quarter|period))(?![\w-])",
)
def _quarter_of_year(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    """ "the 1988 quarter": the quarter under discussion, in the year stated."""
    year = int(m.group("y"))
    context = r.quarter_context(span[0])
    if context is None:
        point = _Point("year", dt.date(year, 1, 1))
        return _Hit(span=span, value=point.value(), point=point)
    point = _Point(context.gran, context.day.replace(year=year))
    return _Hit(span=span, value=point.value(), point=point, derived=True)


# ---- relative to publication ------------------------------------------------------------------


def _deictic_guard(text: str, m: re.Match[str]) -> bool:
    word = m.group("w")
    if not (word.islower() or word.istitle() or word.isupper()):
        return False
    # "USA Today", "VOA Today": a capitalised "Today" after a capitalised word is a name.
    if word[0].isupper() and m.start() > 1 and text[m.start() - 2] not in ".!?\n\"'`“‘(":
        return not _preceding_word(text, m.start())[:1].isupper()
    return True


def _mid_sentence_title(text: str, m: re.Match[str]) -> bool:
    """True for a Title Case phrase inside a sentence ("ABC's This Week"): a name."""
    words = m.group(0).split()
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return False
    return m.start() > 1 and text[m.start() - 2] not in ".!?\n"


@_rule(
    "deictic_day",
    r"(?i:(?:(?P<mod>early|late|earlier|later)\s+)?(?P<w>today|yesterday|tomorrow|tonight)"
    r"(?:\s+(?P<pod>morning|afternoon|evening|night))?)(?!['’]s\s+(?:world|society|standards"
    r"|economy|market|youth|generation))\b",
    lambda text, m: _deictic_guard(text, m),
)
def _deictic_day(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    word = m.group("w").lower()
    offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[word]
    pod = m.group("pod")
    part = _PARTS_OF_DAY[pod.lower()] if pod else "NI" if word == "tonight" else None
    if r.published is None:
        hit = r.unanchored(span, f'"{word}"', None)
        hit.type = "TIME" if part else "DATE"
        return hit
    point = _Point("day", r.published + dt.timedelta(days=offset))
    if part:
        return _Hit(span=span, value=f"{point.value()}T{part}", type="TIME", anchor="publication")
    hit = r.publication_hit(span, point)
    hit.notes = _mod_notes(m.group("mod"))
    return hit


@_rule(
    "part_of_day",
    r"(?i:(?P<rel>this|last|yesterday|tomorrow|early\s+this|late\s+last|later\s+this"
    r"|earlier\s+this|the\s+next|the\s+following|the\s+previous|(?:by|at|in\s+the)\s+(?:mid|late"
    r"|early)[-\s]?)\s*(?P<pod>morning|afternoon|evening|night))\b",
    lambda text, m: not (m.group("rel").lower() == "last" and m.group("pod").lower() != "night"),
)
def _part_of_day(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    """ "this morning", "last night", "the next morning", "by mid-afternoon"."""
    rel = " ".join(m.group("rel").lower().split())
    part = _PARTS_OF_DAY[m.group("pod").lower()]
    if rel.startswith(("by ", "at ", "in the ")):
        # "by mid-afternoon": the preposition is not part of the extent; the day is the
        # day of publication.
        span = (m.start("rel") + len(rel.split()[0]) + 1, span[1])
        if rel.startswith("in the "):
            span = (m.start("rel") + 3, span[1])
        rel = "this"
    if rel in ("the next", "the following", "the previous"):
        if r.reference is None and r.published is None:
            return r.unanchored(span, m.group(0))
        ref, ref_text = r.reference_point()
        day = ref.day + dt.timedelta(days=-1 if rel == "the previous" else 1)
        return _Hit(
            span=span,
            value=f"{day.isoformat()}T{part}",
            type="TIME",
            anchor=ref_text or "publication",
            notes=[f"relative to the previously mentioned date: {ref_text}"] if ref_text else [],
        )
    last = rel.split()[-1]
    offset = -1 if last in ("last", "yesterday") else 1 if last == "tomorrow" else 0
    if r.published is None:
        return r.unanchored(span, m.group(0), None)
    day = r.published + dt.timedelta(days=offset)
    return _Hit(span=span, value=f"{day.isoformat()}T{part}", type="TIME", anchor="publication")


def _weekday_guard(text: str, m: re.Match[str]) -> bool:
    before = _preceding_word(text, m.start())
    # "Black Friday" and "Super Tuesday" are dates; "Tuesday Weld" would not be, but a
    # capitalised surname after a weekday is too rare in news to special-case.
    return before.lower() not in ("mr.", "mrs.", "ms.", "good")


@_rule(
    "weekday",
    rf"(?:(?P<mod>(?i:early|late|earlier|later))\s+)?(?:(?P<rel>(?i:last|this|next|this\s+past"
    rf"|this\s+coming|the\s+previous|the\s+following|the\s+next|past|coming))\s+)?"
    rf"(?P<wd>{_WEEKDAY})(?![\w-])(?:\s+(?P<pod>(?i:morning|afternoon|evening|night)))?",
    _weekday_guard,
)
def _weekday(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    weekday = _weekday_of(m.group("wd"))
    assert weekday is not None
    pod = m.group("pod")
    rel = " ".join(m.group("rel").lower().split()) if m.group("rel") else None
    if rel in ("the previous", "the following", "the next") and r.reference is not None:
        ref, ref_text = r.reference
        step = -1 if rel == "the previous" else 1
        day = ref.day + dt.timedelta(days=step)
        while day.weekday() != weekday:
            day += dt.timedelta(days=step)
        point = _Point("day", day)
        anchor = ref_text
    elif r.published is None:
        x = f"XXXX-WXX-{weekday + 1}" + (f"T{_PARTS_OF_DAY[pod.lower()]}" if pod else "")
        hit = r.unanchored(span, f"the weekday {_WEEKDAY_NAMES[weekday]}", x)
        hit.type = "TIME" if pod else "DATE"
        return hit
    else:
        point = r.weekday_point(weekday, span, rel)
        anchor = "publication"
    if pod:
        return _Hit(
            span=span,
            value=f"{point.value()}T{_PARTS_OF_DAY[pod.lower()]}",
            type="TIME",
            anchor=anchor,
            point=point,
        )
    hit = _Hit(span=span, value=point.value(), anchor=anchor, point=point)
    hit.notes = _mod_notes(m.group("mod"))
    if anchor != "publication":
        hit.notes.append(f"relative to the previously mentioned date: {anchor}")
    return hit


@_rule(
    "weekday_set",
    rf"(?:(?i:every|each)\s+)?(?P<wd>{_WEEKDAY})(?:s(?:\s+(?P<pod>(?i:mornings|afternoons|evenings"
    rf"|nights)))?|\s+(?P<pod2>(?i:mornings|afternoons|evenings|nights)))\b",
)
def _weekday_set(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    weekday = _weekday_of(m.group("wd"))
    assert weekday is not None
    pod = m.group("pod") or m.group("pod2")
    suffix = f"T{_PARTS_OF_DAY[pod.lower()[:-1]]}" if pod else ""
    return _Hit(span=span, value=f"XXXX-WXX-{weekday + 1}{suffix}", type="SET")


@_rule("every_month", rf"(?i:every|each)\s+(?P<mon>{_FULL_MONTH})(?![\w-])")
def _every_month(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    return _Hit(span=span, value=f"XXXX-{_month_of(m.group('mon')):02d}", type="SET")


@_rule(
    "every_weekday",
    rf"(?i:every|each)\s+(?P<wd>{_WEEKDAY})(?![\w-])",
)
def _every_weekday(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    weekday = _weekday_of(m.group("wd"))
    assert weekday is not None
    return _Hit(span=span, value=f"XXXX-WXX-{weekday + 1}", type="SET")


_REL_WORDS = (
    r"last|this|next|past|previous|prior|coming|following|current|same|this\s+past"
    r"|this\s+coming|that|latest|recent"
)


@_rule(
    "relative_unit",
    rf"(?i:(?:(?P<mod>{_MOD})[-\s]+)?(?:(?P<the>the)\s+)?(?P<rel>{_REL_WORDS})\s+"
    rf"(?P<unit>week|weekend|month|year|decade|century|day|fiscal\s+year|half))(?![\w-])",
    lambda text, m: (
        not re.match(r"\s+(?:of|or\s+so\s+of)\s+(?:a|an|the)\b", text[m.end() :])
        and not _mid_sentence_title(text, m)
        and not (
            (m.group("rel") or "").lower() in ("latest", "recent", "same", "that", "day")
            and (m.group("unit") or "").lower() == "half"
        )
    ),
)
def _relative_unit(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    rel = " ".join(m.group("rel").lower().split())
    unit = m.group("unit").lower().replace("fiscal ", "")
    the = bool(m.group("the"))
    mod = m.group("mod")
    notes = _mod_notes(mod)
    # "the past year", "the last month": TimeML reads these as durations (P1Y, P1M).
    if the and rel in ("past", "last", "latest", "recent") and not mod and unit != "half":
        return _Hit(span=span, value=_duration(1, unit), type="DURATION")
    if the and rel in ("next", "coming") and not mod and unit not in ("day", "weekend"):
        return _Hit(span=span, value=_duration(1, unit), type="DURATION")
    # Reference-relative: "the previous day", "the following year", "that week".
    if rel in ("previous", "prior", "following", "same", "that") or (
        the and rel == "next" and unit == "day"
    ):
        if r.reference is None and r.published is None:
            return _Hit(
                span=span,
                value=None,
                ambiguous=True,
                notes=[f'"{m.group(0)}" is relative to an earlier date the text does not give'],
            )
        ref, ref_text = r.reference_point()
        step = {"previous": -1, "prior": -1, "following": 1, "next": 1}.get(rel, 0)
        if _GRAN_RANK[ref.gran] > _GRAN_RANK.get(unit, 5):
            # "that day" after "in 1987": a day of that year the text does not give.
            return _Hit(
                span=span,
                value=_unknown_within(ref, unit),
                ambiguous=True,
                anchor=ref_text,
                notes=[f"a {unit} within {ref_text or 'the publication period'}; not stated"],
            )
        base = _unit_point(ref.day, unit)
        point = _next_period(base, unit, step) if step else base
        hit = _Hit(span=span, value=point.value(), point=point, notes=notes)
        if ref_text is None:
            hit.anchor = "publication"
        else:
            hit.anchor = ref_text
            hit.notes.append(f"relative to the previously mentioned date: {ref_text}")
        return hit
    if r.published is None:
        return r.unanchored(span, f'"{m.group(0)}"', None)
    if unit == "day":
        if rel in ("this", "current"):
            return r.publication_hit(span, _Point("day", r.published))
        return None
    base = _unit_point(r.published, unit)
    step = {"last": -1, "past": -1, "this past": -1, "latest": -1, "recent": -1}.get(rel, 0)
    step = {"next": 1, "coming": 1, "this coming": 1}.get(rel, step)
    point = _next_period(base, unit, step) if step else base
    if unit == "weekend" and step == 0 and r.direction(span) < 0:
        point = _next_period(base, unit, -1) if r.published.weekday() < 5 else base
    hit = r.publication_hit(span, point)
    hit.notes = notes
    return hit


@_rule(
    "weekend",
    r"(?i:(?P<the>the)\s+(?:(?P<mod>early|late)\s+)?weekend)(?![\w-])",
)
def _weekend(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    if r.published is None:
        return r.unanchored(span, "the weekend", None)
    pub = r.published
    base = _unit_point(pub, "weekend")
    direction = r.direction(span)
    # On a weekday, "the weekend" is the last one unless the clause looks ahead.
    point = _next_period(base, "weekend", -1) if pub.weekday() < 5 and direction <= 0 else base
    return r.publication_hit(span, point)


@_rule(
    "ago",
    rf"(?i:(?:(?P<approx>{_APPROX})\s+)?(?:(?P<num>{_NUMBER})|(?P<fuzzy>{_FUZZY}))?\s*"
    rf"(?P<unit>{_UNIT})s?\s+(?P<dir>ago|earlier|later|before|after|hence|from\s+now|previously"
    rf"|back))\b",
    # A bare singular unit is not an amount: "day before" is no "a day before".
    lambda text, m: bool(
        m.group("num") or m.group("fuzzy") or re.match(r"[A-Za-z]+s\b", text[m.start("unit") :])
    ),
)
def _ago(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    unit = _unit_key(m.group("unit"))
    direction = m.group("dir").lower()
    number = _number(m.group("num")) if m.group("num") else None
    sign = -1 if direction in ("ago", "earlier", "before", "previously", "back") else 1
    notes: list[str] = []
    if m.group("approx"):
        notes.append(f"approximate: {' '.join(m.group('approx').lower().split())}")
    if direction in ("before", "after"):
        anchored = _event_anchor(r, m, span, number, unit, sign)
        if anchored is not None:
            return anchored
    if number is None:
        # "years ago", "a few weeks later": a vague past or future.
        value = "PAST_REF" if sign < 0 else "FUTURE_REF"
        return _Hit(span=span, value=value, notes=notes + ["the amount of time is not stated"])
    count: float = int(number) if number == int(number) else number
    relative_to_publication = direction in ("ago", "hence", "from now", "back")
    if relative_to_publication:
        if r.published is None:
            return r.unanchored(span, f'"{m.group(0)}"', None)
        base = _Point("day", r.published)
        anchor: str | None = "publication"
        context = r.quarter_context(span[0])
        if unit == "year" and count == 1 and context is not None:
            point = _shift(context, "year", -1)
            return _Hit(
                span=span,
                value=point.value(),
                point=point,
                notes=[*notes, "the quarter under discussion, a year before"],
                derived=True,
            )
    else:
        if r.published is None and r.reference is None:
            return _Hit(
                span=span,
                value=None,
                ambiguous=True,
                notes=[f'"{m.group(0)}" is relative to an earlier time the text does not give'],
            )
        base, anchor = r.reference_point()
        context = r.quarter_context(span[0])
        if unit == "year" and context is not None:
            base, anchor = context, None
        if anchor is None:
            anchor = "publication"
        else:
            notes.append(f"relative to the previously mentioned date: {anchor}")
    if isinstance(count, float):
        # "1 1/2 years ago": count in the next smaller unit.
        if unit == "year":
            unit, count = "month", round(count * 12)
        elif unit in ("month", "week"):
            unit, count = "day", round(count * (30 if unit == "month" else 7))
        else:
            count = round(count)
    point = _shift(base, unit, sign * int(count))
    if unit in ("year", "decade", "century", "centurie") and base.gran == "day":
        point = _Point("year", point.day)
    elif unit == "month" and base.gran == "day":
        point = _Point("month", point.day.replace(day=1))
    elif unit == "week" and base.gran == "day":
        point = _Point("week", point.day)
    if m.group("approx") and unit in ("decade", "century", "centurie"):
        notes.append("approximate")
    return _Hit(
        span=span, value=point.value(), point=point, anchor=anchor, notes=notes, derived=True
    )


_EVENT_STOP = re.compile(
    r"[,;:.!?()\"“”]|\s(?:and|but|when|while|which|that|who|where|as|because|after|before"
    r"|said|says|according)\s",
)


def _event_anchor(
    r: _Resolver, m: re.Match[str], span: Span, number: float | None, unit: str, sign: int
) -> _Hit | None:
    """ "two weeks before the summit": value unknown, anchored to the event phrase.

    When the phrase after "before"/"after" is itself a date ("two days after June 3"), the
    value is computed from it instead. Returns None when nothing follows ("two days later").
    """
    rest_start = span[1]
    following = r.following[0] if r.following else None
    gap = r.text[rest_start : following.span[0]] if following else ""
    if following is not None and re.fullmatch(r"\s*(?:the\s+)?", gap):
        # Resolved once the date itself is known (see _resolve_anchored_dates).
        return _Hit(span=span, value=None, pending=True)
    tail = r.text[rest_start : rest_start + 120]
    if not re.match(r"\s+[\w“\"']", tail):
        return None
    stop = _EVENT_STOP.search(tail, 1)
    phrase = tail[: stop.start()] if stop else tail
    phrase = " ".join(phrase.split()[:10]).strip()
    if not phrase or phrase.lower() in ("that", "this", "then", "it"):
        return None
    amount = "some time" if number is None else m.group(0).rsplit(None, 1)[0]
    return _Hit(
        span=span,
        value=None,
        anchor=phrase,
        notes=[
            f"relative to an event: {amount} {'before' if sign < 0 else 'after'} {phrase}; "
            "resolve against the date of that event"
        ],
    )


@_rule(
    "in_time",
    rf"\b(?:in|within)\s+(?:(?P<approx>{_APPROX}|another)\s+)?(?P<x>(?P<num>{_NUMBER})\s+"
    rf"(?P<unit>{_UNIT})s?)(?:['’]s?\s+time)?(?![\w-])",
    lambda text, m: (
        _number(m.group("num") or "") is not None
        # "in a quarter that produced a loss", "in a week of protests": a period, not a date.
        and not re.match(r"\s+(?:that|which|when|where|of|with|like|in|during)\b", text[m.end() :])
    ),
)
def _in_time(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    """ "in three weeks": a date counted from publication when the clause looks ahead."""
    unit = _unit_key(m.group("unit"))
    number = _number(m.group("num"))
    assert number is not None
    within = m.group(0).lower().startswith("within")
    if within or r.direction(span) < 0 or number != int(number):
        return _Hit(span=span, value=_duration(number, unit), type="DURATION")
    if r.published is None:
        return r.unanchored(span, f'"{m.group(0)}"')
    point = _shift(_Point("day", r.published), unit, int(number))
    if unit in ("year", "decade"):
        point = _Point("year", point.day)
    elif unit == "month":
        point = _Point("month", point.day.replace(day=1))
    elif unit == "week":
        point = _Point("week", point.day)
    hit = r.publication_hit(span, point)
    hit.notes.append(f"{m.group('x')} after publication")
    return hit


_RATE_CONTEXT = re.compile(r"(?:\d[\d,.]*%?|dollars|cents|percent|times)\s+(?:[a-z]+\s+){0,2}$")
_MODAL_BEFORE = {"will", "would", "could", "might", "may", "can", "shall", "to", "must"}


def _is_rate(text: str, start: int) -> bool:
    """Whether "a week" at ``start`` follows a count ("four flights a week": a rate)."""
    return bool(_RATE_CONTEXT.search(text, max(0, start - 40), start))


def _duration_guard(text: str, m: re.Match[str]) -> bool:
    after = text[m.end() : m.end() + 12].lower()
    if re.match(r"-?\s*olds?\b", after):
        return False  # ages are not time expressions in TimeML
    if m.group("unit").lower().startswith("quarter") and re.match(r"\s+of\b", after):
        return False  # "three-quarters of its food" is a fraction
    num = (m.group("num") or "").lower()
    unit = m.group("unit").lower()
    if re.fullmatch(r"(?:1[5-9]|20)\d\d", num):
        return False  # "the 1988 quarter" is a year, not 1,988 quarters
    if num == "one" and unit == "day" and _preceding_word(text, m.start()).lower() in _MODAL_BEFORE:
        return False  # "the city will one day host ..." is a vague future, not a duration
    if unit == "second" and num in ("a", "one") and re.match(r"\s+[a-z]", after):
        # "a second round" is an ordinal; "a second or two" is a duration.
        return bool(re.match(r"\s+(?:or|and|later|earlier|ago|after|before|of)\b", after))
    if num in ("a", "an") and not m.group("approx") and not m.group("rel"):
        # "a year" after a money amount or a count is a rate (a SET), handled elsewhere.
        return not _is_rate(text, m.start())
    return True


@_rule(
    "duration",
    rf"(?i:(?:(?P<approx>{_APPROX})\s+)?(?:(?P<the>the|each\s+of\s+the|all|its|their)\s+)?"
    rf"(?:(?P<rel>past|last|next|first|previous|coming|final|latest|remaining|initial|following"
    rf"|preceding|prior|same|current|full)\s+)?(?P<num>{_NUMBER})(?:\s+(?:more|additional|full"
    rf"|straight|consecutive|trading|business|working|calendar|long))?[-\s]+(?P<unit>{_UNIT})s?"
    rf"(?:\s+and\s+(?:an?|one)\s+half|\s+and\s+(?P<num2>{_NUMBER})\s+(?P<unit2>{_UNIT})s?)?)"
    rf"(?![\w])",
    _duration_guard,
)
def _duration_rule(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    unit = _unit_key(m.group("unit"))
    number = _number(m.group("num"))
    if number is None:
        return None
    if re.search(r"and\s+(?:an?|one)\s+half", m.group(0), re.IGNORECASE):
        number += 0.5
    value = _duration(number, unit)
    if m.group("num2") and m.group("unit2"):
        second = _number(m.group("num2"))
        if second is not None:
            tail = _duration(second, _unit_key(m.group("unit2")))
            if "T" in tail and "T" not in value:
                value += tail[1:]
            else:
                value += tail[2:] if tail.startswith("PT") else tail[1:]
    notes = []
    if m.group("approx"):
        notes.append(f"approximate: {' '.join(m.group('approx').lower().split())}")
    if m.group("the") and m.group("the").lower().startswith("each"):
        # "each of the past three years": something that recurs yearly.
        return _Hit(span=span, value=_duration(1, unit), type="SET", notes=[f"over {value}"])
    return _Hit(span=span, value=value, type="DURATION", notes=notes)


@_rule(
    "vague_duration",
    r"(?i:\b(?:for|in|after|within|take|takes|took|taken|taking)\s+(?P<x>(?:quite\s+)?a\s+"
    r"(?:(?:long|short|brief|little)\s+)?while|some\s+time|a\s+(?:long|short|brief)\s+time))"
    r"(?![\w-])",
)
def _vague_duration(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    return _Hit(span=span, value="PXX", type="DURATION", notes=["the length is not stated"])


@_rule("long_adjective", rf"(?i:(?P<unit>{_UNIT})(?P<plural>s)?-long)(?![\w-])")
def _long_adjective(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    """ "day-long", "decades-long": a duration of one unit, or of an unstated number."""
    number = None if m.group("plural") else 1.0
    return _Hit(span=span, value=_duration(number, _unit_key(m.group("unit"))), type="DURATION")


@_rule(
    "week_of",
    rf"(?i:the\s+week\s+of\s+)(?P<mon>{_MONTH})\s+(?P<d>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?",
)
def _week_of(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    year = int(m.group("y")) if m.group("y") else None
    day = _calendar_day(r, span, _month_of(m.group("mon")), _day_of(m.group("d")), year, None, "")
    if day is None or day.point is None:
        return day
    point = _Point("week", day.point.day)
    return _Hit(span=span, value=point.value(), point=point, anchor=day.anchor, notes=day.notes)


_LENGTH_CUES = {"for", "in", "over", "within", "than", "after", "take", "takes", "took", "lasted"}


@_rule(
    "fuzzy_duration",
    rf"(?i:(?:(?P<the>the)\s+)?(?:(?P<rel>past|last|next|coming|recent|few)\s+)?"
    rf"(?:(?P<fuzzy>{_FUZZY})[\s-]+)?(?P<unit>seconds|minutes|hours|days|weeks|months|quarters"
    rf"|years|decades|centuries|(?<=-)(?:second|minute|hour|day|week|month|quarter|year|decade))"
    rf"(?:\s+(?P<ahead>ahead|to\s+come))?)(?![\w-])",
    # A bare plural ("years") only after a word that makes it a length: "for years".
    lambda text, m: (
        bool(m.group("rel") or m.group("fuzzy") or m.group("ahead"))
        or _preceding_word(text, m.start()).lower() in _LENGTH_CUES
    ),
)
def _fuzzy_duration(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    unit = _unit_key(m.group("unit"))
    rel = (m.group("rel") or "").lower()
    if rel == "coming" and not m.group("fuzzy"):
        return _Hit(span=span, value="FUTURE_REF", notes=["the coming " + m.group("unit")])
    return _Hit(span=span, value=_duration(None, unit), type="DURATION")


def _set_adverb_guard(text: str, m: re.Match[str]) -> bool:
    word = m.group("w")
    # "Daily Mail", "People's Daily", "the Party daily Granma": part of a name.
    if word[0].isupper() and m.start() > 1 and text[m.start() - 2] not in '.!?\n"':
        return False
    # As an adjective before a noun ("quarterly dividend", "monthly rent") these are
    # attributes, not time expressions in TimeML; as adverbs ("paid quarterly") they are SETs.
    if word.lower() in ("quarterly", "monthly", "weekly", "yearly"):
        return not re.match(
            r"\s+(?!and\b|or\b|in\b|on\b|at\b|by\b|for\b|to\b|from\b|since\b|until\b|but\b)[a-z]",
            text[m.end() :],
        )
    return True


@_rule(
    "set_adverb",
    r"(?i:(?P<w>daily|nightly|weekly|biweekly|monthly|bimonthly|quarterly|annually|yearly"
    r"|hourly|semiannually|semi-annually|biannually))\b",
    lambda text, m: _set_adverb_guard(text, m),
)
def _set_adverb(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    word = m.group("w").lower().replace("-", "")
    value = {
        "daily": "P1D", "nightly": "P1D", "weekly": "P1W", "biweekly": "P2W", "monthly": "P1M",
        "bimonthly": "P2M", "quarterly": "P3M", "annually": "P1Y", "yearly": "P1Y",
        "hourly": "PT1H", "semiannually": "P6M", "biannually": "P6M",
    }[word]  # fmt: skip
    return _Hit(span=span, value=value, type="SET")


@_rule(
    "set_every",
    rf"(?i:(?:(?P<freq>once|twice|three\s+times|four\s+times|\d+\s+times|several\s+times"
    rf"|many\s+times)\s+)?(?P<q>every|each|per|a|an)\s+(?:(?P<other>other)\s+)?"
    rf"(?:(?P<num>{_NUMBER})\s+)?(?P<unit>{_UNIT})s?)(?![\w-])",
    lambda text, m: (
        m.group("q").lower() in ("every", "each")
        or bool(m.group("freq"))
        or (m.group("q").lower() in ("a", "an", "per") and _is_rate(text, m.start()))
    ),
)
def _set_every(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    unit = _unit_key(m.group("unit"))
    number = _number(m.group("num")) if m.group("num") else 1
    if m.group("other"):
        number = (number or 1) * 2
    value = _duration(number or 1, unit)
    notes = [f"frequency: {' '.join(m.group('freq').lower().split())}"] if m.group("freq") else []
    return _Hit(span=span, value=value, type="SET", notes=notes)


# ---- times of day ----------------------------------------------------------------------------

_DATE_AFTER_TIME = (
    rf"(?:,?\s+(?:on\s+)?(?:(?P<tday>(?i:today|yesterday|tomorrow))|(?P<twd>{_WEEKDAY})"
    rf"(?:,?\s+(?P<tmon2>{_MONTH})\s+(?P<td2>{_DAY}))?|(?P<tmon>{_MONTH})\s+(?P<td>{_DAY})"
    rf"(?:,\s*(?P<ty>{_YEAR}))?))?"
)


def _time_guard(text: str, m: re.Match[str]) -> bool:
    if m.group("ampm") or m.group("tz") or m.group("oclock") or m.group("word"):
        return True
    # A bare "15:30" needs a cue: "at 15:30", or a 24-hour clock reading.
    before = _preceding_word(text, m.start()).lower()
    return before in ("at", "from", "until", "till", "by", "before", "after", "around", "about")


@_rule(
    "time",
    rf"(?:(?P<approx>(?i:about|around|approximately|shortly\s+(?:after|before)|just\s+(?:after"
    rf"|before)|before|after))\s+)?(?:(?P<word>(?i:noon|midnight|midday))|(?P<h>[01]?\d|2[0-3])"
    rf"(?:[:.](?P<min>[0-5]\d))?(?:\s*(?P<ampm>[ap]\.\s?m\.?|[ap]m\b|[AP]M\b|[AP]\.M\.)|"
    rf"(?P<oclock>\s+o'clock)|(?<=\d\d)(?=\s))?)(?:\s+(?P<tz>{_TIME_ZONES}|local\s+time"
    rf"|(?:Moscow|Kyiv|Kiev|Beijing|Tokyo|London|Paris|Eastern|Pacific|Central)\s+time)\b)?"
    rf"{_DATE_AFTER_TIME}",
    lambda text, m: (
        _time_guard(text, m)
        and _time_shape(m)
        and _preceding_word(text, m.start()).lower() != "high"
    ),  # "High Noon"
)
def _time(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    if m.group("approx") and m.group("approx").lower() in ("before", "after"):
        span = (m.start("word") if m.group("word") else m.start("h"), span[1])
    notes = []
    if m.group("word"):
        word = m.group("word").lower()
        hour, minute = (24, 0) if word == "midnight" else (12, 0)
        approx = (m.group("approx") or "").lower()
        if word == "midnight" and approx.endswith("after"):
            # TimeML writes midnight as T24:00, the end of the day; "after midnight on
            # Tuesday" is the start of Tuesday.
            hour = 0
    else:
        hour = int(m.group("h"))
        minute = int(m.group("min") or 0)
        ampm = (m.group("ampm") or "").lower().replace(".", "").replace(" ", "")
        if hour > 24 or (ampm and not 1 <= hour <= 12):
            return None
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
    if m.group("tz"):
        notes.append(f"time zone: {m.group('tz')}")
    if m.group("approx") and m.group("approx").lower() not in ("before", "after"):
        notes.append(f"approximate: {m.group('approx').lower()}")
    date_hit: _Hit | None = None
    date_span = (m.start("tday"), m.end("tday")) if m.group("tday") else span
    if m.group("tday"):
        if r.published is not None:
            offset = {"today": 0, "yesterday": -1, "tomorrow": 1}[m.group("tday").lower()]
            date_hit = r.publication_hit(
                date_span, _Point("day", r.published + dt.timedelta(days=offset))
            )
    elif m.group("twd"):
        weekday = _weekday_of(m.group("twd"))
        assert weekday is not None
        if m.group("tmon2"):
            date_hit = _calendar_day(
                r, span, _month_of(m.group("tmon2")), _day_of(m.group("td2")), None, weekday, ""
            )
        elif r.published is not None:
            date_hit = r.publication_hit(span, r.weekday_point(weekday, span, None))
    elif m.group("tmon"):
        year = int(m.group("ty")) if m.group("ty") else None
        date_hit = _calendar_day(
            r, span, _month_of(m.group("tmon")), _day_of(m.group("td")), year, None, ""
        )
    elif r.published is not None:
        date_hit = r.publication_hit(span, _Point("day", r.published))
        notes.append("on the publication date (no other date given)")
    clock = f"T{hour:02d}:{minute:02d}"
    if date_hit is None or date_hit.value is None:
        return _Hit(
            span=span,
            value=f"XXXX-XX-XX{clock}",
            type="TIME",
            ambiguous=True,
            notes=notes + ["the date of this time is unknown (no publication date)"],
        )
    return _Hit(
        span=span,
        value=f"{date_hit.value}{clock}",
        type="TIME",
        ambiguous=date_hit.ambiguous,
        weekday_ok=date_hit.weekday_ok,
        anchor=date_hit.anchor,
        notes=notes + date_hit.notes,
    )


def _time_shape(m: re.Match[str]) -> bool:
    if m.group("word"):
        return True
    if m.group("ampm") or m.group("oclock"):
        return int(m.group("h")) <= 12 or not (m.group("ampm") or m.group("oclock"))
    # 24-hour clock: needs minutes ("15:30"), and a colon rather than a decimal point.
    return bool(m.group("min")) and ":" in m.group(0)


# ---- present, past and future references ------------------------------------------------------


@_rule(
    "present_ref",
    r"(?i:\b(?:(?:right\s+)?now|currently|at\s+present|presently|these\s+days|nowadays"
    r"|at\s+the\s+moment|for\s+the\s+moment|the\s+present(?:\s+time)?|current|at\s+this\s+time"
    r"|this\s+time))(?![\w-])",
    lambda text, m: _present_guard(text, m),
)
def _present_ref(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    return _Hit(span=span, value="PRESENT_REF")


_CURRENT_NOUNS = {
    "account", "accounts", "affairs", "events", "assets", "liabilities", "ratio", "flow",
    "flows", "density", "source", "sources", "version", "law", "laws", "system", "rules",
    "members", "member", "leaders", "leadership", "owners", "management", "president",
    "chairman", "government", "administration", "policy", "team", "holders",
}  # fmt: skip


def _present_guard(text: str, m: re.Match[str]) -> bool:
    word = m.group(0).lower()
    after = _following_word(text, m.end()).lower()
    if word == "current":
        # "the current account" and similar are not time expressions. TimeML annotates the
        # adjective only where it means "as of now" ("current prices", "its current level").
        return after not in _CURRENT_NOUNS and after != "" and not after.endswith("ly")
    if word == "now":
        return text[m.end() : m.end() + 1] != "-" and after != "that"
    if word == "this time":
        return _preceding_word(text, m.start()).lower() in ("at", "by", "until")
    if word == "these days":
        # "During these days he will ..." points back to days just named, not to now.
        return _preceding_word(text, m.start()).lower() not in ("during", "on", "over", "for")
    return True


@_rule(
    "past_ref",
    r"(?i:\b(?:(?:more\s+|most\s+|only\s+|until\s+)?recently|recent|lately|previously|formerly"
    r"|the\s+past|in\s+the\s+past|earlier|once|former(?:ly)?|in\s+years\s+past))(?![\w-])",
    lambda text, m: _past_guard(text, m),
)
def _past_ref(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    if m.group(0).lower().startswith("in the past"):
        span = (span[0] + 3, span[1])
    return _Hit(span=span, value="PAST_REF")


def _past_guard(text: str, m: re.Match[str]) -> bool:
    word = " ".join(m.group(0).lower().split())
    if word in ("once", "former", "formerly", "earlier"):
        return False  # too often not temporal ("once again", "former president")
    if word == "recent":
        if text[max(0, m.start() - 5) : m.start()].lower().strip() == "most":
            return False  # "the most recent inspection" names an event, not a time
        after = _following_word(text, m.end()).lower()
        return after not in ("weeks", "months", "years", "days", "decades", "quarters", "times")
    return True


@_rule(
    "future_ref",
    r"(?i:\b(?:soon|shortly|(?:the|in)\s+(?:near\s+|not\s+too\s+distant\s+|distant\s+|"
    r"foreseeable\s+|immediate\s+)?future|the\s+(?:near|short|long|medium)\s+term"
    r"|the\s+(?:long|short)\s+run|eventually|one\s+day|some\s+day|someday|later\s+on"
    r"|in\s+the\s+years\s+(?:ahead|to\s+come)|as\s+soon\s+as\s+possible|at\s+a\s+later\s+date"
    r"|future))(?![\w-])",
    lambda text, m: _future_guard(text, m),
)
def _future_ref(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    text = m.group(0)
    if text.lower().startswith("in "):
        span = (span[0] + 3, span[1])
    return _Hit(span=span, value="FUTURE_REF")


def _future_guard(text: str, m: re.Match[str]) -> bool:
    word = " ".join(m.group(0).lower().split())
    if word in ("one day", "some day", "someday"):
        # "will one day be": a vague future; elsewhere "one day" is a duration.
        return _preceding_word(text, m.start()).lower() in _MODAL_BEFORE
    if word in ("eventually", "shortly", "later on"):
        return False  # rarely annotated as time expressions
    if word == "future":
        # The adjective "future" is a time reference only before time nouns ("future years").
        return bool(
            re.match(r"\s+(?:years|quarters|months|periods|generations)\b", text[m.end() :])
        )
    if word == "soon":
        return _preceding_word(text, m.start()).lower() not in ("as", "too", "how")
    return True


# ---- anaphoric periods: "the year", "the month", "year-end", "year-earlier" -------------------


@_rule(
    "the_unit",
    rf"(?i:(?:(?P<mod>{_MOD})\s+)?(?P<det>the|this|that)\s+(?:(?P<fiscal>fiscal|calendar|full"
    rf"|entire|whole)\s+)?(?P<unit>year|month|week|decade|century))(?![\w-])",
    lambda text, m: (
        not re.match(
            r"\s*(?:before|after|earlier|ago|of\s+(?:the|a|an|its|their|his|her)|in\s+which|when"
            r"|that|-)",
            text[m.end() :],
        )
        and _preceding_word(text, m.start()).lower() not in ("per", "every", "each", "a")
        and not _mid_sentence_title(text, m)
    ),
)
def _the_unit(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    """ "the year", "this month", "by the end of the decade": anaphoric or current periods."""
    unit = m.group("unit").lower()
    det = m.group("det").lower()
    before = _preceding_word(r.text, span[0]).lower()
    notes = _mod_notes(m.group("mod"))
    # "the year ended June 30" is a (fiscal) year-long period; "over the year" a stretch.
    ending = re.match(
        r"\s+(?:that\s+|which\s+)?(?:ended|ending|ends|to\s+date)\b", r.text[span[1] :]
    )
    if not m.group("mod") and (ending or (det == "the" and before in ("over", "throughout"))):
        return _Hit(span=span, value=_duration(1, unit), type="DURATION")
    # "The year" refers back only to a date in the same or the previous sentence; further
    # off, news copy means the year of publication ("for the full year", "the year's best").
    if (
        det != "this"
        and r.reference is not None
        and span[0] - r.reference_at < 250
        and (_GRAN_RANK[r.reference[0].gran] <= _GRAN_RANK[unit])
    ):
        ref, ref_text = r.reference
        point = _unit_point(ref.day, unit)
        notes.append(f"read as the {unit} of the previously mentioned date: {ref_text}")
        return _Hit(span=span, value=point.value(), point=point, anchor=ref_text, notes=notes)
    if r.published is None:
        return r.unanchored(span, f'"{m.group(0)}"', None)
    hit = r.publication_hit(span, _unit_point(r.published, unit))
    hit.notes = notes if det == "this" else [*notes, f"read as the {unit} of publication"]
    return hit


@_rule("year_end", r"(?i:(?:around\s+)?(?:the\s+)?year(?:[-\s]|['’]s\s+)end)(?![\w-])")
def _year_end(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    if r.published is None:
        return r.unanchored(span, "year-end", None)
    year = r.published.year
    # "since year-end" is the one just past; otherwise the coming one, unless the clause
    # is in the past tense and publication is early in the year.
    if _preceding_word(r.text, span[0]).lower() == "since" or (
        r.published.month <= 3 and r.direction(span) < 0
    ):
        year -= 1
    # TimeML writes the year with mod="END"; the note keeps the "end".
    point = _Point("year", dt.date(year, 1, 1))
    return _Hit(
        span=span, value=point.value(), anchor="publication", notes=["modifier: end"], point=point
    )


@_rule(
    "year_earlier",
    rf"(?i:{_SAME_PERIOD_LAST_YEAR}(?:\s+(?P<what>period|quarter|month|nine\s+months))?)(?![\w-])",
)
def _year_earlier(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    """ "year-earlier", "the year-ago period": the reported period, a year before."""
    what = (m.group("what") or "").lower()
    if what.startswith("nine"):
        return _Hit(span=span, value="P9M", type="DURATION")
    base = r.quarter_context(span[0])
    if base is None and what in ("period", "quarter") and r.published is not None:
        base = _next_period(_unit_point(r.published, "quarter"), "quarter", -1)
    if base is None:
        if r.published is None:
            return r.unanchored(span, "year-earlier")
        base = _Point("year", dt.date(r.published.year, 1, 1))
    point = _shift(base, "year", -1)
    return _Hit(span=span, value=point.value(), point=point, derived=True)


@_rule("holiday", rf"(?:(?P<rel>last|this|next)\s+)?(?P<h>{_HOLIDAY_RE})(?:,?\s+(?P<y>{_YEAR}))?")
def _holiday(r: _Resolver, m: re.Match[str], span: Span) -> _Hit | None:
    name = " ".join(m.group("h").lower().replace("’", "'").split())
    name = re.sub(r"martin luther king(?: jr\.)? day", "martin luther king day", name)
    compute = _HOLIDAYS.get(name)
    if compute is None:
        return None
    if m.group("y"):
        point = _Point("day", compute(int(m.group("y"))))
        return _Hit(span=span, value=point.value(), point=point)
    if r.published is None:
        return r.unanchored(span, m.group("h"), None)
    pub = r.published
    rel = (m.group("rel") or "").lower()
    options = [compute(y) for y in (pub.year - 1, pub.year, pub.year + 1)]
    if rel == "last":
        chosen = max(d for d in options if d < pub)
    elif rel == "next":
        chosen = min(d for d in options if d > pub)
    else:
        direction = r.direction(span)
        if direction < 0:
            chosen = max(d for d in options if d <= pub)
        elif direction > 0:
            chosen = min(d for d in options if d >= pub)
        else:
            chosen = min(options, key=lambda d: abs((d - pub).days))
    return r.publication_hit(span, _Point("day", chosen))


# --------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------


# Which rules to try near which words. A rule's regex is only tried at the starts of the
# ``back`` tokens before a trigger token (and at the trigger itself): scanning every regex
# over the whole text cost ~0.7 ms a sentence, trying them near triggers ~0.02 ms.
# Pseudo-words stand for digit shapes: <year> 1500-2099, <clock> "3 p.m."/"15:30",
# <slash> "9/11", <decade> "1990s"/"'90s".
_MONTH_WORDS = set(_MONTH_NUMBER)
_WEEKDAY_WORDS = {w for w in _WEEKDAY_NUMBER if len(w) > 3} | {"mon", "tue", "wed", "thu", "fri"}
_UNIT_WORDS = {
    "second",
    "minute",
    "hour",
    "day",
    "night",
    "week",
    "fortnight",
    "month",
    "quarter",
    "year",
    "decade",
    "century",
    "centuries",
    "millennium",
    "millennia",
    "weekend",
}
_UNIT_WORDS |= {w + "s" for w in _UNIT_WORDS}
_RULE_TRIGGERS: dict[str, tuple[set[str], int]] = {
    "iso": ({"<year>"}, 0),
    "slashed": ({"<slash>"}, 0),
    "nine_eleven": ({"<slash>"}, 0),
    "month_day": (_MONTH_WORDS, 3),
    "day_month": (_MONTH_WORDS, 5),
    "month_day_range": (_MONTH_WORDS, 0),
    "day_month_range": (_MONTH_WORDS, 4),
    "year_range": ({"<year>"}, 0),
    "month": (_MONTH_WORDS, 6),
    "month_year": (_MONTH_WORDS, 5),
    "year": ({"<year>"}, 4),
    "year_words": ({"thousand", "nineteen"}, 3),
    "decade": ({"<decade>"}, 3),
    "decade_words": (set(_DECADE_WORDS), 3),
    "century": ({"century"}, 5),
    "season": (set(_SEASONS), 4),
    "quarter": ({"quarter", "half", "period", "quarters"}, 8),
    "quarter_code": ({"q", "h"}, 1),
    "quarter_relative": ({"quarter", "period"}, 5),
    "quarter_of_year": ({"quarter", "period"}, 3),
    "deictic_day": ({"today", "yesterday", "tomorrow", "tonight"}, 1),
    "part_of_day": ({"morning", "afternoon", "evening", "night"}, 3),
    "weekday": (_WEEKDAY_WORDS, 3),
    "weekday_set": ({w + "s" for w in _WEEKDAY_WORDS} | _WEEKDAY_WORDS, 1),
    "every_weekday": (_WEEKDAY_WORDS, 1),
    "relative_unit": (_UNIT_WORDS, 6),
    "weekend": ({"weekend"}, 3),
    "ago": (_UNIT_WORDS, 7),
    "in_time": (_UNIT_WORDS, 6),
    "duration": (_UNIT_WORDS, 7),
    "fuzzy_duration": (_UNIT_WORDS, 5),
    "vague_duration": ({"while", "time"}, 6),
    "long_adjective": (_UNIT_WORDS, 0),
    "week_of": (_MONTH_WORDS, 4),
    "every_month": (_MONTH_WORDS, 1),
    "set_adverb": ({"daily", "nightly", "weekly", "biweekly", "monthly", "bimonthly", "quarterly",
                    "annually", "yearly", "hourly", "semiannually", "semi", "biannually"}, 0),
    "set_every": (_UNIT_WORDS, 5),
    "time": ({"<clock>", "noon", "midnight", "midday"}, 3),
    "present_ref": ({"now", "currently", "current", "present", "presently", "days", "nowadays",
                     "moment", "time"}, 3),
    "past_ref": ({"recently", "recent", "lately", "previously", "formerly", "past"}, 3),
    "future_ref": ({"soon", "future", "term", "run", "years", "possible", "date", "day"}, 5),
    "the_unit": ({"year", "month", "week", "decade", "century"}, 5),
    "year_end": ({"year"}, 2),
    "year_earlier": ({"year"}, 3),
    "holiday": ({"christmas", "halloween", "thanksgiving", "easter", "day", "fourth", "year",
                 "friday"}, 6),
}  # fmt: skip
_TOKEN = re.compile(r"[A-Za-z]+|'?\d+")
_CLOCK_AFTER = re.compile(r"\s*(?:[ap]\.\s?m\b|[ap]m\b|[AP]M\b|[AP]\.M\.|o'clock)|[:.][0-5]\d")


def _trigger_index() -> dict[str, list[tuple[int, int]]]:
    index: dict[str, list[tuple[int, int]]] = {}
    for number, rule in enumerate(_RULES):
        words, back = _RULE_TRIGGERS[rule.name]
        for word in words:
            index.setdefault(word, []).append((number, back))
    return index


_TRIGGERS = _trigger_index()
_MAX_BACK = max(back for _, back in _RULE_TRIGGERS.values())


def _trie_pattern(words: list[str]) -> str:
    """An alternation of ``words`` factored by common prefixes.

    Python's ``re`` tries the branches of an alternation one by one; factored into a trie,
    a failing position costs one or two character comparisons instead of ~150.
    """
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + build(node[char]) for char in sorted(node) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


# Trigger words are matched on the lower-cased text; digits only in the shapes that can
# start or anchor a date (see ``_digit_keys``), not every number in a financial story.
_TRIGGER = re.compile(
    r"(?<![a-z0-9])(?:"
    + _trie_pattern(sorted(k for k in _TRIGGERS if not k.startswith("<")))
    + r")(?![a-z])"
    + r"|(?<![\d,.])(?:'\d\d(?=s)|\d{4}(?!\d)|\d{1,2}(?=[:./]\d|\s*(?:[ap]\.?\s?m\b|o'clock)))"
)


def _digit_keys(text: str, token: str, end: int) -> list[str]:
    """Pseudo-words for a digit token (see ``_RULE_TRIGGERS``)."""
    keys = []
    digits = token.lstrip("'")
    nxt = text[end : end + 1]
    if len(digits) == 4 and (digits[:2] == "20" or "15" <= digits[:2] <= "19"):
        keys.append("<year>")
        if digits.endswith("0") and nxt in ("s", "'"):
            keys.append("<decade>")
    elif token.startswith("'") and len(digits) == 2 and nxt == "s":
        keys.append("<decade>")
    if nxt == "/":
        keys.append("<slash>")
    if len(digits) <= 2 and _CLOCK_AFTER.match(text, end):
        keys.append("<clock>")
    return keys


#: Words an expression can begin with (besides trigger words and digits). A rule is only
#: tried at a token before its trigger when the token is one of these: most tokens before
#: "year" ("sales rose 5% this year") cannot start a time expression, and skipping them
#: halves the regex attempts. Adding a rule that starts with a new word means adding it here.
_START_WORDS = {
    "the", "a", "an", "this", "that", "these", "last", "next", "past", "previous", "prior",
    "following", "coming", "current", "latest", "recent", "final", "remaining", "initial",
    "preceding", "same", "comparable", "corresponding", "like", "full", "entire", "whole",
    "its", "their", "all", "each", "every", "per", "once", "twice", "several", "few", "many",
    "some", "dozens", "number", "couple", "dozen", "half", "hundred", "thousand", "nineteen",
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "twenty",
    "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "about", "around",
    "almost", "nearly", "roughly", "approximately", "more", "over", "less", "under", "up",
    "at", "no", "fewer", "only", "just", "barely", "close", "upwards", "well", "little",
    "slightly", "early", "earlier", "mid", "middle", "late", "later", "end", "beginning",
    "start", "rest", "first", "second", "third", "fourth", "st", "nd", "rd", "th", "fiscal",
    "calendar", "fy", "year", "q", "h", "in", "within", "for", "after", "take", "takes",
    "took", "taken", "taking", "by", "right", "shortly", "before", "since", "until",
    "most", "quite", "pre", "post", "new", "valentine", "independence", "veterans",
    "armistice", "thanksgiving", "labor", "memorial", "martin", "presidents", "mother",
    "father", "election", "easter", "good", "christmas", "boxing", "halloween",
    "yesterday", "tomorrow", "today", "tonight", "near", "not", "distant", "foreseeable",
    "immediate", "short", "long", "medium", "as", "from", "time", "week", "eighteenth",
    "nineteenth", "twentieth", "now", "presently", "nowadays", "lately", "previously",
    "formerly", "soon", "future", "eventually", "someday", "other",
}  # fmt: skip
_START_WORDS |= set(_MONTH_NUMBER) | set(_WEEKDAY_NUMBER) | set(_SEASONS) | set(_TRIGGERS)


_NUMBER_STARTS = {
    "a", "an", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "hundred", "half", "couple", "dozen", "few", "several", "some", "many", "dozens", "just",
    "only", "well", "slightly", "little", "about", "around", "almost", "nearly", "roughly",
    "approximately", "more", "over", "less", "under", "up", "at", "no", "fewer", "barely",
    "close", "upwards",
}  # fmt: skip
_REL_STARTS = {
    "the", "last", "this", "next", "past", "previous", "prior", "coming", "following",
    "current", "same", "that", "latest", "recent", "early", "earlier", "mid", "middle", "late",
    "later", "first", "final", "remaining", "initial", "preceding", "full", "each", "all",
    "its", "their",
}  # fmt: skip
#: Words the rules that fire on every time unit can start with (others: any start word).
#: Most tokens before "year" cannot start "in three years" or "every other year".
_RULE_STARTS: dict[str, set[str]] = {
    "in_time": {"in", "within"},
    "relative_unit": _REL_STARTS,
    "the_unit": _REL_STARTS,
    "set_every": _NUMBER_STARTS | {"once", "twice", "every", "each", "per"},
    "fuzzy_duration": _NUMBER_STARTS | _REL_STARTS,
    "ago": _NUMBER_STARTS,
    "duration": _NUMBER_STARTS | _REL_STARTS,
}


def _token_starts(text: str, end: int) -> list[tuple[int, str]]:
    """The ``_MAX_BACK`` tokens before ``end`` that could begin an expression, lower-cased.

    A token that cannot (not a start word, not a number) comes back as ``(-1, "")``.
    """
    window = max(0, end - 9 * _MAX_BACK)  # ~9 characters a token in news copy
    tokens = [(m.start(), m.group().lower()) for m in _TOKEN.finditer(text, window, end)]
    if tokens and window > 0 and tokens[0][0] == window and text[window - 1].isalnum():
        tokens.pop(0)  # the window began inside a word
    return [
        (start, word) if (word[-1].isdigit() or word in _START_WORDS) else (-1, "")
        for start, word in tokens[-_MAX_BACK:]
    ]


_MATCH = [rule.pattern.match for rule in _RULES]
_STARTS = [_RULE_STARTS.get(rule.name) for rule in _RULES]
_GUARD = [rule.guard for rule in _RULES]
_NARROWED = ["x" in rule.pattern.groupindex for rule in _RULES]


def _candidates(text: str) -> Iterator[_Candidate]:
    tried: set[int] = set()  # rule number * len(text) + start: each attempt once
    size = len(text) + 1
    for trigger in _TRIGGER.finditer(text.lower()):
        start, end = trigger.span()
        token = trigger.group()
        keys = _digit_keys(text, token, end) if token[-1].isdigit() else [token]
        before: list[tuple[int, str]] | None = None
        for key in keys:
            for number, back in _TRIGGERS.get(key, ()):
                if back and before is None:
                    before = _token_starts(text, start)
                allowed = _STARTS[number]
                starts = [start]
                if back and before:
                    starts[:0] = [
                        at
                        for at, word in before[-back:]
                        if allowed is None or word in allowed or word[-1:].isdigit()
                    ]
                for at in starts:
                    attempt = number * size + at
                    # Never start inside a word or number ("9 years" in "1e9 years").
                    if at < 0 or attempt in tried or (at and text[at - 1].isalnum()):
                        continue
                    tried.add(attempt)
                    match = _MATCH[number](text, at)
                    if match is None or match.end() == at:
                        continue
                    guard = _GUARD[number]
                    if guard is not None and not guard(text, match):
                        continue
                    span = match.span("x") if _NARROWED[number] else match.span()
                    # Trailing spaces or commas never belong to the extent.
                    lo, hi = span
                    while hi > lo and text[hi - 1] in " \t\n,":
                        hi -= 1
                    if hi > lo:
                        yield _Candidate(number, match, (lo, hi))


def _select(candidates: list[_Candidate]) -> list[_Candidate]:
    """Keep non-overlapping candidates: longest first, then the earlier-listed rule."""
    chosen: list[_Candidate] = []
    taken: list[Span] = []
    for cand in sorted(candidates, key=lambda c: (c.span[0] - c.span[1], c.rule, c.span[0])):
        if any(cand.span[0] < end and start < cand.span[1] for start, end in taken):
            continue
        chosen.append(cand)
        taken.append(cand.span)
    chosen.sort(key=lambda c: c.span[0])
    return chosen


_RANGE_GAP = re.compile(r"\s*(?:-|–|—|to|through|thru|until|till|and)\s*", re.IGNORECASE)


def _merge_ranges(text: str, hits: list[_Hit]) -> list[_Hit]:
    """Join "from X to Y", "between X and Y" and "X-Y" into one range mention."""
    merged: list[_Hit] = []
    for current in hits:
        if merged:
            prev = merged[-1]
            gap = text[prev.span[1] : current.span[0]]
            connector = _RANGE_GAP.fullmatch(gap)
            if (
                connector is not None
                and prev.type == current.type == "DATE"
                and prev.value
                and current.value
                and prev.point is not None
                and current.point is not None
                and "/" not in prev.value
            ):
                word = gap.strip().lower()
                opener = _preceding_word(text, prev.span[0]).lower()
                is_range = (
                    word in ("-", "–", "—")
                    or (
                        word in ("to", "through", "thru", "until", "till")
                        and opener in ("from", "between")
                    )
                    or (word == "and" and opener == "between")
                )
                if is_range and prev.point.day <= current.point.day:
                    prev.span = (prev.span[0], current.span[1])
                    prev.value = f"{prev.value}/{current.value}"
                    prev.ambiguous = prev.ambiguous or current.ambiguous
                    prev.notes = prev.notes + current.notes + ["a range"]
                    prev.point = None
                    continue
        merged.append(current)
    return merged


def extract_dates(
    text: str, *, published: dt.date | None, doc: Doc | None = None
) -> tuple[DateMention, ...]:
    """Find every temporal expression in ``text`` and normalise it against ``published``.

    Args:
        text: the document text; spans in the result are half-open offsets into it.
        published: the publication date (a ``datetime`` is reduced to its date). None means
            unknown: publication-relative expressions then get ``value=None`` (or an
            ``XXXX`` form), ``ambiguous=True`` and a note; nothing is guessed.
        doc: an optional spaCy parse of the same ``text``; used only to read the tense
            of the clause around an expression ("on Wednesday" after "will" is the next
            Wednesday).

    Returns:
        ``DateMention`` records sorted by start, non-overlapping, ``produced_by="dates.v1"``.
    """
    if isinstance(published, dt.datetime):
        published = published.date()
    resolver = _Resolver(text, published, doc)
    selected = _select(list(_candidates(text)))
    hits: list[_Hit] = []
    for i, cand in enumerate(selected):
        resolver.following = selected[i + 1 : i + 2]
        rule = _RULES[cand.rule]
        try:
            hit = rule.resolve(resolver, cand.match, cand.span)
        except (OverflowError, ValueError):
            # Calendar arithmetic ran past year 1 or 9999 (a publication date at the edge of
            # the calendar): keep the mention and say why it has no value.
            hit = _Hit(
                span=cand.span,
                value=None,
                ambiguous=True,
                notes=["the date falls outside the years 1-9999 and cannot be computed"],
            )
        if hit is None:
            continue
        hits.append(hit)
        if hit.point is not None and hit.type in ("DATE", "TIME"):
            resolver.reference = (hit.point, text[hit.span[0] : hit.span[1]])
            resolver.reference_at = hit.span[0]
            if hit.point.gran in ("quarter", "half") and not hit.derived:
                resolver.last_quarter, resolver.last_quarter_at = hit.point, hit.span[0]
    hits = _resolve_anchored_dates(text, hits, resolver)
    hits = _merge_ranges(text, hits)
    return tuple(_mention(text, h) for h in hits)


def _resolve_anchored_dates(text: str, hits: list[_Hit], r: _Resolver) -> list[_Hit]:
    """Give "two days after June 3" its value once "June 3" is resolved."""
    for i, hit in enumerate(hits[:-1]):
        if not hit.pending:
            continue
        phrase = text[hit.span[0] : hit.span[1]]
        match = re.fullmatch(
            rf"(?i:(?:{_APPROX}\s+)?(?P<num>{_NUMBER})\s+(?P<unit>{_UNIT})s?\s+(?P<dir>before|after))",
            phrase,
        )
        nxt = hits[i + 1]
        if match is None or nxt.point is None:
            continue
        number = _number(match.group("num"))
        if number is None or number != int(number):
            continue
        sign = -1 if match.group("dir").lower() == "before" else 1
        point = _shift(nxt.point, _unit_key(match.group("unit")), sign * int(number))
        hit.value = point.value()
        hit.point = point
        anchor_text = text[nxt.span[0] : nxt.span[1]]
        hit.anchor = anchor_text
        hit.notes.append(f"counted from {anchor_text}")
    for hit in hits:
        if hit.pending and hit.value is None:
            hit.ambiguous = True
            hit.notes.append("relative to a date that could not be resolved")
    return hits


def _mention(text: str, hit: _Hit) -> DateMention:
    start, end = hit.span
    return DateMention(
        span=(start, end),
        text=text[start:end],
        value=hit.value,
        type=hit.type,
        ambiguous=hit.ambiguous,
        weekday_ok=hit.weekday_ok,
        anchor=hit.anchor,
        note="; ".join(dict.fromkeys(n for n in hit.notes if n)) or None,
        produced_by=STAGE,
    )
