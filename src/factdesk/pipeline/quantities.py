"""Numbers with their bounds and the noun they count: "more than 20 people" -> at least 21 person.

The core is a scanner over the raw text: it finds a number (digits, number words, "a dozen",
"hundreds", "half a", ordinals), reads the words around it (bound phrases such as "more than",
a currency, a percent sign, a unit, a second number making a range) and decides what the number
is. An optional spaCy parse of the same text is used only for lookups (which noun a number
modifies, whether "first" is an adjective) -- there are no model calls here.

Conventions every later comparison relies on:

* ``low``/``high`` are inclusive; None means unbounded on that side.
* For counts of whole things an exclusive bound moves to the next integer ("more than 20" ->
  low 21; "fewer than 10" -> high 9). For continuous kinds (money, percent, measure) the bound
  stays at the number: "more than 15%" -> low 15.
* Approximations ("about 50", "some 50", "50 or so") get a +/-10% band (:data:`APPROX_BAND`);
  for counts the band is at least +/-1 and rounded inwards to integers: "about 50" -> 45..55,
  so "48" is compatible and "15" is not. "nearly/almost 100" -> 90..99 (the band below the
  number, exclusive of it); "just over 20" -> 21..22.
* Vague plurals have a floor only: "dozens" -> low 24, "hundreds" -> low 200, "tens of
  thousands" -> low 20,000 (approximate, high None).
* ``value`` is the single number written (scaled: "1.5 million" -> 1,500,000), None for ranges
  and vague plurals.
* ``unit``: for counts and ordinals the lower-cased lemma of the counted noun, with
  "people"/"persons" folded to "person" ("killed 20 people" -> "person"; "a 32-member alliance"
  -> "member"; "the first NATO-Ukraine Council meeting" -> "meeting"), None when no noun is
  attached ("injured more than 100 across Ukraine"): better no noun than a guessed one. For
  money an ISO 4217 code ("USD"); for percent "%"; for measures a short symbol ("km", "t",
  "point").
  Ages are measures with unit "age" ("a 45-year-old", "aged 45"). Shares written as
  fractions are percents ("two-thirds of" -> 66.67, "nearly half" -> 45..50); "half a point"
  is a measure of 0.5 "point". "$" is read as USD.
* Spans cover the bound phrase, currency, number, unit and the counted noun when it follows
  the number directly ("more than 20 people"); a noun further away is named in ``unit`` only.
* Durations ("one day after", "three years") and times belong to the dates stage and are
  skipped; so are years, days of the month, identifiers ("Article 5", "G7", "F-16",
  "COVID-19", "No. 10"), phone numbers, list markers, multipliers ("10 times faster") and
  sports scores ("won 3-1", "6-4 6-4").
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from factdesk.records import Quantity

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["APPROX_BAND", "PRODUCED_BY", "extract_quantities"]

PRODUCED_BY = "quantities.v1"

#: Relative half-width of the band given to "about N" (and the floor of "nearly N"). 10% is the
#: usual reading of "about" in news copy; widen it here, not in the comparison, so stored
#: quantities and comparisons agree.
APPROX_BAND = Decimal("0.1")

# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}  # fmt: skip
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
    "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90, "hundredth": 100,
    "thousandth": 1000,
    # A first occurrence said in other words.
    "inaugural": 1, "maiden": 1,
}  # fmt: skip
#: Floors of vague plurals: "dozens" means at least two dozen.
_VAGUE = {
    "dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2_000, "millions": 2_000_000,
    "billions": 2_000_000_000,
    "tens of thousands": 20_000, "hundreds of thousands": 200_000,
    "tens of millions": 20_000_000, "hundreds of millions": 200_000_000,
}  # fmt: skip

_CURRENCY_SYMBOLS = {
    "US$": "USD", "$": "USD", "C$": "CAD", "A$": "AUD", "HK$": "HKD", "€": "EUR", "£": "GBP",
    "¥": "JPY", "₴": "UAH", "₽": "RUB", "₹": "INR", "₩": "KRW",
}  # fmt: skip
_CURRENCY_CODES = ("USD", "EUR", "GBP", "JPY", "CNY", "UAH", "RUB", "CHF", "INR", "CAD", "AUD")
_CURRENCY_WORDS = {
    "us dollars": "USD", "dollars": "USD", "dollar": "USD", "euros": "EUR", "euro": "EUR",
    "pounds sterling": "GBP", "pounds": "GBP", "pound": "GBP", "sterling": "GBP", "yen": "JPY",
    "yuan": "CNY", "renminbi": "CNY", "roubles": "RUB", "rubles": "RUB", "rouble": "RUB",
    "ruble": "RUB", "hryvnias": "UAH", "hryvnia": "UAH", "hryvnas": "UAH", "rupees": "INR",
    "swiss francs": "CHF", "francs": "CHF",
    "euro cents": "EUR", "cents": "USD", "cent": "USD", "pence": "GBP",
}  # fmt: skip
#: Currency words worth a hundredth of the unit stored ("22 euro cents" -> 0.22 EUR).
_SUBUNITS = frozenset({"euro cents", "cents", "cent", "pence"})
# Abbreviated scales written after a number ("2.4bn", "€50m"). "m", "b" and "k" are only
# scales next to a currency or before a plural noun ("3m people"); otherwise "100m" is metres.
_SCALE_ABBR = {
    "k": 1_000, "m": 1_000_000, "mn": 1_000_000, "mln": 1_000_000, "b": 1_000_000_000,
    "bn": 1_000_000_000, "bln": 1_000_000_000, "tn": 1_000_000_000_000,
    "trn": 1_000_000_000_000,
}  # fmt: skip

# Measure units: spelled-out words (case-insensitive, need a space or hyphen before them) and
# symbols (case-sensitive, may be attached: "40km"). Values are the symbol stored as ``unit``.
_MEASURE_WORDS = {
    "square kilometres": "km2", "square kilometers": "km2", "square kilometre": "km2",
    "square kilometer": "km2", "square miles": "sq mi", "square mile": "sq mi",
    "cubic metres": "m3", "cubic meters": "m3", "nautical miles": "nmi", "nautical mile": "nmi",
    "kilometres": "km", "kilometers": "km", "kilometre": "km", "kilometer": "km",
    "metres": "m", "meters": "m", "metre": "m", "meter": "m", "centimetres": "cm",
    "centimeters": "cm", "millimetres": "mm", "millimeters": "mm", "miles": "mi", "mile": "mi",
    "feet": "ft", "foot": "ft", "kilograms": "kg", "kilogram": "kg", "kilos": "kg", "kilo": "kg",
    "grams": "g", "gram": "g", "tonnes": "t", "tonne": "t", "metric tons": "t", "tons": "t",
    "ton": "t", "litres": "l", "liters": "l", "litre": "l", "liter": "l", "gallons": "gal",
    "gallon": "gal", "hectares": "ha", "hectare": "ha", "acres": "acre", "acre": "acre",
    "degrees celsius": "°C", "degrees fahrenheit": "°F", "degrees": "degree", "degree": "degree",
    "knots": "kn", "megawatts": "MW", "megawatt": "MW", "gigawatts": "GW", "gigawatt": "GW",
    "kilowatts": "kW", "kilowatt": "kW",
    "percentage points": "point", "percentage point": "point", "basis points": "basis point",
    "basis point": "basis point", "points": "point", "point": "point",
}  # fmt: skip
_MEASURE_SYMBOLS = {
    "km²": "km2", "km2": "km2", "sq km": "km2", "km/h": "km/h", "kph": "km/h", "mph": "mph",
    "km": "km", "cm": "cm", "mm": "mm", "kg": "kg", "lbs": "lb", "lb": "lb", "ha": "ha",
    "°C": "°C", "°F": "°F", "MW": "MW", "GW": "GW", "kW": "kW", "kWh": "kWh", "MWh": "MWh",
    "GWh": "GWh", "TWh": "TWh", "bcm": "bcm", "bps": "basis point", "bp": "basis point",
    "m": "m", "g": "g", "t": "t",
}  # fmt: skip
# Single letters are too easy to misread when glued to a number ("5G", "3D", "20t"?): they
# count as units only with a space before them.
_SPACED_ONLY_SYMBOLS = frozenset({"g", "t", "bp"})

# Number + one of these is a duration or an age, which the dates stage owns.
_TIME_UNITS = (
    r"(?:second|minute|hour|day|night|week|fortnight|month|year|decade|century|centuries"
    r"|millennium|millennia|weekend)s?"
)

#: Months: a number next to one is a day of the month (a date, not a quantity).
_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
)

# Bound phrases written before the number. Longest alternatives first; matched
# case-insensitively, each must end right before the number (or its currency symbol).
_BOUND_PHRASES: tuple[tuple[str, str], ...] = (
    ("gt", r"more\s+than|greater\s+than|higher\s+than|larger\s+than|in\s+excess\s+of"
           r"|upwards\s+of|well\s+over|well\s+above|north\s+of|over|above|exceeding"),
    ("just_over", r"just\s+over|just\s+above|just\s+more\s+than|slightly\s+more\s+than"
                  r"|a\s+little\s+over|a\s+little\s+more\s+than"),
    ("ge", r"at\s+least|no\s+fewer\s+than|no\s+less\s+than|not\s+less\s+than"
           r"|not\s+fewer\s+than|a\s+minimum\s+of|minimum\s+of"),
    ("nearly", r"nearly|almost|close\s+to|just\s+under|just\s+below|just\s+shy\s+of"
               r"|approaching|not\s+quite"),
    ("lt", r"fewer\s+than|less\s+than|lower\s+than|well\s+under|well\s+below|under|below"),
    ("le", r"up\s+to|at\s+most|no\s+more\s+than|not\s+more\s+than|as\s+many\s+as"
           r"|as\s+much\s+as|a\s+maximum\s+of|maximum\s+of"),
    ("approx", r"about|around|roughly|approximately|approx\.|an\s+estimated|estimated"
               r"|some|circa|c\.|more\s+or\s+less|something\s+like|~"),
    ("exact", r"exactly|precisely"),
    ("between", r"between"),
)  # fmt: skip
_BOUND_BEFORE = re.compile(
    r"(?:^|(?<=[\s(\[\"'“‘]))(?:"
    + "|".join(f"(?P<{name}>{pattern})" for name, pattern in _BOUND_PHRASES)
    + r")\s*$",
    re.IGNORECASE,
)
_BOUND_LOOKBACK = 32  # longest bound phrase plus spacing

_BOUND_AFTER = re.compile(
    r"(?:\s+or\s+(?P<ge>more)|\s+or\s+(?P<le>fewer|less)|\s+or\s+(?P<approx>so)"
    r"|(?P<plus>-plus|\+))(?![\w])",
    re.IGNORECASE,
)

# --------------------------------------------------------------------------------------------
# Regular expressions
# --------------------------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z]+")
_NUMBER_WORDS = sorted(
    [*_UNITS, *_TENS, *_SCALES, *_ORDINALS, "dozen", "dozens", "scores", "hundreds",
     "thousands", "millions", "billions", "tens", "half", "quarter", "three-quarters",
     "a", "an"],
    key=len, reverse=True,
)  # fmt: skip
#: Where a number may begin: a digit, or a number word.
_START = re.compile(r"(?<![\w.,])(?:\d|(?:" + "|".join(_NUMBER_WORDS) + r")\b)", re.IGNORECASE)
_DIGITS = re.compile(
    r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
    r"(?:(?P<scw>\s+(?:hundred|thousand|million|billion|trillion))(?![\w-])"
    r"|\s?(?P<scs>mn|mln|bn|bln|tn|trn)(?![A-Za-z0-9])"
    r"|(?P<sca>[kmb])(?![A-Za-z0-9]))?",
    re.IGNORECASE,
)
_DIGIT_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th)\b", re.IGNORECASE)
_WORD_ORDINAL = re.compile(
    r"(?:(?P<tens>"
    + "|".join(_TENS)
    + r")-)?(?P<ord>"
    + "|".join(sorted(_ORDINALS, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)
_VAGUE_RE = re.compile(
    r"(?:tens|hundreds)\s+of\s+(?:thousands|millions)|dozens|scores(?=\s+of\b)|hundreds"
    r"|thousands|millions|billions(?![\w-])",
    re.IGNORECASE,
)
_FRACTION = re.compile(
    r"(?:(?P<num>one|two|three|four)[-\s](?P<den>thirds?|quarters?|fifths?)(?:\s+of\s+an?)?"
    r"|half\s+an?|an?\s+half|an?\s+(?P<aden>quarter|third|fifth)|quarter|half)(?![\w])",
    re.IGNORECASE,
)
_HALF_SCALE = re.compile(
    r"half\s+an?\s+(?P<s>dozen|hundred|thousand|million|billion)\b", re.IGNORECASE
)
_DENOMINATORS = {"half": 2, "third": 3, "quarter": 4, "fifth": 5}
_FRACTION_OF = re.compile(r"\s+of\b", re.IGNORECASE)
_CURRENCY_OF = re.compile(r"\s+of\s+(?P<w>dollars|euros|pounds|roubles|rubles|hryvnias)\b")

_PERCENT_AFTER = re.compile(r"(?:\s?%|\s*(?:-|\s)(?:percent|per\s+cent)\b|pc\b)", re.IGNORECASE)
_CURRENCY_BEFORE = re.compile(
    r"(?:(?P<code>" + "|".join(_CURRENCY_CODES) + r")\s?"
    r"|(?P<sym>US\$|HK\$|C\$|A\$|[$€£¥₴₽₹₩])\s?)$"
)
_CURRENCY_AFTER = re.compile(
    r"(?:\s+|-)(?P<word>"
    + "|".join(sorted(_CURRENCY_WORDS, key=len, reverse=True))
    + r")\b(?P<of>\s+of\b)?"
    + r"|\s(?P<code>"
    + "|".join(_CURRENCY_CODES)
    + r")\b",
    re.IGNORECASE,
)
_MEASURE_WORD_AFTER = re.compile(
    r"(?:\s+|-)(?P<u>"
    + "|".join(re.escape(w) for w in sorted(_MEASURE_WORDS, key=len, reverse=True))
    + r")(?![\w])",
    re.IGNORECASE,
)
_MEASURE_SYMBOL_AFTER = re.compile(
    r"(?P<sp>\s?)(?P<u>"
    + "|".join(re.escape(w) for w in sorted(_MEASURE_SYMBOLS, key=len, reverse=True))
    + r")(?![\w²/])"
)
_TIME_AFTER = re.compile(r"(?:\s+|-)" + _TIME_UNITS + r"\b", re.IGNORECASE)
_AGE_AFTER = re.compile(r"(?:-years?-olds?\b|\s+years?\s+old\b)", re.IGNORECASE)
_TIME_CONTEXT_AFTER = re.compile(
    r"\s*(?:[ap]\.?m\.?(?![\w])|o['’]clock\b|(?:GMT|UTC|CET|CEST|EST|EDT|BST|KST|MSK)\b"
    r"|hours?\s+(?:GMT|UTC|local)\b)",
    re.IGNORECASE,
)
_MONTH_AFTER = re.compile(
    r"(?:\s*(?:[-–]|\s(?:to|or|and)\s)\s*\d{1,2}(?:st|nd|rd|th)?)?(?:\s+of)?\s+"
    + _MONTHS
    + r"(?![\w])"
)
_MONTH_BEFORE = re.compile(r"(?<![\w])" + _MONTHS + r"\s*$")
_RANGE_SEP = re.compile(
    r"(?P<dash>\s*[-–—]\s*)|\s+(?P<to>to|through)\s+|\s+(?P<and>and)\s+|\s+(?P<or>or)\s+",
    re.IGNORECASE,
)
_ORDINAL_NEXT = re.compile(r"[\s-]+(?P<w>[A-Za-z][A-Za-z.'’]*)")
_PARTITIVE = re.compile(
    r"\s+of\s+(?:(?:the|their|its|his|her|our|these|those)\s+)?(?P<noun>[a-z]+)\b"
)
_NEXT_WORD = re.compile(r"(?P<sep>\s+|-)(?P<w>[A-Za-z]+(?:-[A-Za-z]+)*)\b")
_HYPHEN_TAIL = re.compile(r"((?:-[A-Za-z]+)*-)([A-Za-z]+)\b")
_PREV_WORD = re.compile(r"(?P<w>[A-Za-z][A-Za-z']*\.?)\s+$")
_ADDRESS = re.compile(r"\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|Road|Avenue|Square|Lane|Boulevard)\b")
# Spans no number inside may come from: clock times, phone numbers, numeric dates, year
# ranges ("2014-2022", "2022-23"), ratios and fractions ("24/7", "9/11").
_BLOCKED = re.compile(
    r"\b\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?![\w])"
    r"|\b\d{1,2}\.\d{2}\s*[ap]\.?m\.?(?![\w])"
    r"|\b(?:\d{3,4}\s*(?:[-–]|to)\s*)?\d{3,4}\s*(?:GMT|UTC|CET|CEST|EST|EDT|BST|MSK|hrs"
    r"|local\s+time)\b"
    r"|\+\d[\d\s().-]{6,}\d"
    r"|\(\d{2,5}\)\s*\d{3,4}[-\s]\d{3,4}"
    r"|\b\d{3}[-.]\d{3}[-.]\d{4}\b"
    r"|\b\d{4}-\d{1,2}-\d{1,2}\b"
    r"|\b\d{1,4}[/.]\d{1,2}[/.]\d{1,4}\b"
    r"|\b(?:1[5-9]|20)\d{2}\s*[-–/]\s*(?:(?:1[5-9]|20)\d{2}|\d{2})\b"
    r"|\b\d+/\d+\b"
    r"|\(\d{1,3}\)",  # "(1)": a seeding, footnote or list item
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;][\"'”’)\]]*\s+|\n\s*|[\"“(\[]\s*|\s[—–]\s*)$")
_SCORE_AFTER = re.compile(r"\s+\(?\d{1,2}[-–]\d{1,2}\b")
_SCORE_BEFORE = re.compile(r"\b\d{1,2}[-–]\d{1,2}\)?\s+$")
_TENS_UNIT = re.compile(r"[-\s]([a-z]+)\b", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_DAY = re.compile(r"\d{1,2}(?!\d)")
_ORDINAL_NOT_AFTER = re.compile(r"\s*,|\s+of\s+all\b", re.IGNORECASE)
_OF_TIME_AFTER = re.compile(r"\s+of\s+" + _TIME_UNITS + r"\b", re.IGNORECASE)
_NOT_BEFORE_ONE = frozenset({"the", "no", "any", "every", "each", "which", "this", "that"})
_TIME_UNIT_WORD = re.compile(_TIME_UNITS, re.IGNORECASE)
_ONE_NOT_BEFORE = re.compile(r"\s+(?:of|another|by|or|and|in)\b|-", re.IGNORECASE)
_CURRENCY_AT = re.compile(
    r"(?:(?P<code>" + "|".join(_CURRENCY_CODES) + r")\s?|(?P<sym>US\$|HK\$|C\$|A\$|[$€£¥₴₽₹₩]))"
)
_DASH_PARTNER = re.compile(r"\d\s?[-–]\s?$")
_MULTIPLIER = re.compile(
    r"\s+times\s+(?:[a-z]+er|more|less|fewer|as|the|that|over)\b", re.IGNORECASE
)
_LIST_MARKER = re.compile(r"[.)]\s")


def _words(text: str) -> frozenset[str]:
    """A word list written as one whitespace-separated string (easier to read and diff)."""
    return frozenset(text.split())


#: Words that end a sentence-initial-capital check: a capitalised word before a number that is
#: not one of these is read as a label or name ("Article 5", "Flight 17", "Resolution 2231").
_FUNCTION_WORDS = _words(
    """a about above across after against all almost along also although among an and another
    any approximately are around as at be because been before below beneath between both but
    by circa during each either estimated every exactly few fewer for from had has have he her
    his however if in including into is it its just killing leaving less many more most my
    nearly neither no nor not of off on once only or other our over per precisely roughly
    said says she since so some than that the their them then there these they this those
    though through to top total totalling totaling under until up upwards was we were when
    where whereas which while who with within without yet
    monday tuesday wednesday thursday friday saturday sunday today yesterday tonight"""
)
#: Lower-case labels that turn the next number into an identifier ("article 5 of the treaty").
_LABEL_WORDS = _words(
    """article section chapter resolution paragraph clause page pages room flight route gate
    platform phase level category no no. nos nos. number item amendment annex protocol vol
    vol. volume edition episode season part district ward block lot row seat line highway
    interstate grade version model type mark class channel code rule bill act round"""
)
#: Words that never are the noun a number counts when read without a parse.
_NOT_NOUNS = _words(
    """a about above across after against ago all also among an and any are around as at away
    back be because been before being below between both but by did do does down during each
    earlier either else even every for from had has have he her here his how if in including
    into is it its just last later least less like more most much near next no nor not now of
    off on once one only or other our out over own per since so some still such than that the
    their them then there these they this those though through to too toward towards under
    until up upon us via was we were what when where which while who whom whose why will with
    within without would yet percent per cent"""
)
_IRREGULAR_LEMMAS = {
    "people": "person", "persons": "person", "men": "man", "women": "woman",
    "children": "child", "police": "police", "personnel": "personnel", "staff": "staff",
    "feet": "foot", "teeth": "tooth", "mice": "mouse", "geese": "goose", "lives": "life",
    "wives": "wife", "knives": "knife", "series": "series", "species": "species",
    "aircraft": "aircraft", "crises": "crisis", "analyses": "analysis", "data": "data",
    "media": "media",
}  # fmt: skip
#: Nouns a parse may attach to a number that are not what it counts.
_NOT_COUNTED = frozenset({"percent", "cent", "%", "times", "time", "ones", "one"})
#: Nouns after "N-M" that make it a score, not a range ("a 1-3 defeat").
_SCORE_NOUNS = frozenset(
    {"defeat", "win", "victory", "draw", "loss", "lead", "scoreline", "thrashing", "triumph"}
)
_PLURAL_ONLY = frozenset({"people", "police", "personnel", "staff", "children", "men", "women"})
_DETERMINERS = frozenset(
    {"the", "a", "an", "its", "their", "his", "her", "our", "my", "your", "this", "that"}
)
#: Ordinal + noun compounds that are titles or idioms, not rankings.
_ORDINAL_IDIOMS = re.compile(
    r"(?:first|second|third)[-\s](?:hand|lady|ladies|aid|responders?|class|rate|person"
    r"|degree|name|thoughts|party|parties|world|deputy|minister|secretary|half)\b",
    re.IGNORECASE,
)


# --------------------------------------------------------------------------------------------
# Parse lookups
# --------------------------------------------------------------------------------------------


class _DocIndex:
    """Character-offset lookups into a spaCy parse of the text."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.starts = [t.idx for t in doc]

    def token_at(self, char: int) -> Token | None:
        i = bisect.bisect_right(self.starts, char) - 1
        if i < 0:
            return None
        tok = self.doc[i]
        return tok if tok.idx <= char < tok.idx + len(tok.text) else None

    def tokens_in(self, start: int, end: int) -> list[Token]:
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        return [self.doc[i] for i in range(lo, hi)]

    def counted_noun(self, start: int, end: int) -> Token | None:
        """The noun the number in ``[start, end)`` modifies, or None."""
        toks = self.tokens_in(start, end)
        if not toks:
            return None
        last = toks[-1].i
        for tok in reversed(toks):
            head = tok
            for _ in range(4):  # climb "1.5" -> "million" -> "people", "15" -> "10" -> noun
                if head.dep_ == "ROOT" or head.head.i == head.i:
                    break
                if head.dep_ not in ("nummod", "quantmod", "compound", "conj", "amod", "nmod"):
                    break
                head = head.head
                if head.pos_ != "NUM":
                    break
            if (
                head is not tok
                and head.pos_ in ("NOUN", "PROPN")
                and last < head.i <= last + 6
                and not any(t.is_punct and t.text != "-" for t in self.doc[last + 1 : head.i])
            ):
                return head
        # Partitive: "20 of the soldiers", "dozens of rockets".
        for tok in reversed(toks):
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ == "of" and child.i > last:
                    for obj in child.children:
                        if obj.dep_ == "pobj" and obj.pos_ == "NOUN":
                            return obj
        return None

    def is_plural_noun_after(self, end: int) -> bool:
        tok = self.token_at(_skip_space(self.doc.text, end))
        return tok is not None and tok.tag_ in ("NNS", "NNPS")


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\u00a0-":
        pos += 1
    return pos


# --------------------------------------------------------------------------------------------
# Number cores
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Core:
    """A number as written, before its context is read."""

    start: int
    end: int
    value: float | None  # None for vague plurals
    form: str  # digits | words | vague | fraction | ordinal
    floor: float | None = None  # vague plurals
    abbr: str | None = None  # an ambiguous attached abbreviation: k, m, b
    plain_digits: str | None = None  # digits without scale (year and code checks)
    scale: int = 1  # the trailing scale written ("1.5 million" -> 1,000,000), for ranges


def _dec(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _read_digits(text: str, pos: int) -> _Core | None:
    m = _DIGITS.match(text, pos)
    if m is None:
        return None
    scw, scs, sca = m.group("scw"), m.group("scs"), m.group("sca")
    digits_end = (
        m.start("scw") if scw else m.start("scs") if scs else m.start("sca") if sca else m.end()
    )
    digits = text[pos:digits_end].rstrip()
    number = _dec(digits)
    abbr = None
    scale = 1
    if scw:
        scale = _SCALES[scw.strip().lower()]
    elif scs:
        scale = _SCALE_ABBR[scs.lower()]
    elif sca:
        abbr = sca.lower()
        if sca != abbr:  # "5K", "3M", "2B": too often codes or names
            return _Core(pos, digits_end, float(number), "digits", plain_digits=digits)
    end = m.end() if not sca else m.start("sca")
    return _Core(
        pos, end, float(number * scale), "digits", abbr=abbr, plain_digits=digits, scale=scale
    )


def _read_words(text: str, pos: int) -> _Core | None:
    """Read "twenty-one", "three hundred and fifty", "a dozen", "two million"."""
    total = 0
    current = 0
    trailing_scale = 1
    end = pos
    seen_number = False
    leading_a = False
    last_kind = ""  # unit | tens | scale | a
    p = pos
    while True:
        w = _WORD.match(text, p)
        if w is None:
            break
        word = w.group().lower()
        nxt = w.end()
        if word in ("a", "an") and p == pos:
            leading_a, last_kind = True, "a"
        elif word in _TENS and last_kind in ("", "scale"):
            current += _TENS[word]
            last_kind = "tens"
            h = _TENS_UNIT.match(text, nxt)
            if h and h.group(1).lower() in _UNITS and 0 < _UNITS[h.group(1).lower()] < 10:
                current += _UNITS[h.group(1).lower()]
                nxt = h.end()
                last_kind = "unit"
        elif word in _UNITS and last_kind in ("", "scale"):
            current += _UNITS[word]
            last_kind = "unit"
        elif word in _SCALES and last_kind in ("unit", "tens", "a"):
            scale = _SCALES[word]
            trailing_scale = scale if scale >= 1000 and total == 0 else 1
            if last_kind == "a":
                current = 1
            if scale == 100:
                current *= 100
            else:
                total += current * scale
                current = 0
            last_kind = "scale"
        elif word == "dozen" and last_kind in ("unit", "tens", "a"):
            current = (1 if last_kind == "a" else current) * 12
            last_kind = "scale"
        elif word == "and" and last_kind == "scale":
            after = _WORD.match(text, _skip_ws(text, nxt))
            if after is None or after.group().lower() not in {**_UNITS, **_TENS}:
                break
            p = after.start()
            continue
        else:
            break
        if last_kind != "a":
            seen_number = True
            end = nxt
        sep = _SPACES.match(text, nxt)
        if sep is None:
            break
        p = sep.end()
    if not seen_number or (leading_a and last_kind not in ("scale",)):
        return None
    return _Core(pos, end, float(total + current), "words", scale=trailing_scale)


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _read_core(text: str, pos: int) -> _Core | None:
    """Read the number starting at ``pos`` (which ``_START`` matched)."""
    if text[pos].isdigit():
        m = _DIGIT_ORDINAL.match(text, pos)
        if m:
            return _Core(pos, m.end(), float(m.group(1)), "ordinal", plain_digits=m.group(1))
        return _read_digits(text, pos)
    m = _VAGUE_RE.match(text, pos)
    if m:
        key = " ".join(m.group().lower().split())
        return _Core(pos, m.end(), None, "vague", floor=float(_VAGUE[key]))
    m = _WORD_ORDINAL.match(text, pos)
    if m:
        value = _ORDINALS[m.group("ord").lower()]
        if m.group("tens"):
            if value >= 10:
                return None
            value += _TENS[m.group("tens").lower()]
        return _Core(pos, m.end(), float(value), "ordinal")
    m = _HALF_SCALE.match(text, pos)
    if m:  # "half a million"
        scale = _SCALES.get(m.group("s").lower(), 12)
        return _Core(pos, m.end(), scale / 2, "words", scale=scale if scale >= 1000 else 1)
    m = _FRACTION.match(text, pos)
    if m:
        if m.group("num"):
            numerator = _UNITS[m.group("num").lower()]
            denominator = _DENOMINATORS[m.group("den").lower().rstrip("s")]
        else:
            numerator = 1
            name = (m.group("aden") or m.group().split()[0]).lower()
            denominator = _DENOMINATORS["half" if "half" in m.group().lower() else name]
        if numerator >= denominator:
            return None
        return _Core(pos, m.end(), numerator / denominator, "fraction")
    return _read_words(text, pos)


# --------------------------------------------------------------------------------------------
# Filters
# --------------------------------------------------------------------------------------------


def _prev_word(text: str, pos: int) -> str | None:
    m = _PREV_WORD.search(text, max(0, pos - 40), pos)
    return m.group("w") if m else None


def _at_sentence_start(text: str, pos: int) -> bool:
    return _SENTENCE_START.search(text, max(0, pos - 6), pos) is not None


def _is_identifier(text: str, core: _Core) -> bool:
    """True for "G7", "F-16", "COVID-19", "5G", "No. 10", "Article 5", "3.2.1", list markers."""
    s, e = core.start, core.end + (1 if core.abbr else 0)
    before = text[s - 1] if s > 0 else " "
    after = text[e] if e < len(text) else " "
    if core.form in ("digits", "ordinal"):
        if before.isalpha() or before in "#№/\\_":
            return True
        if before in "-‑" and s >= 2 and text[s - 2].isalpha():
            return True
        glued = _MEASURE_SYMBOL_AFTER.match(text, e)
        glued_unit = (glued is not None and glued.group("u") not in _SPACED_ONLY_SYMBOLS) or (
            _PERCENT_AFTER.match(text, e) is not None
        )
        if after.isalpha() and glued_unit:
            pass  # "40km", "15pc"
        elif after.isalnum() or after in "_/" or (after == "." and text[e + 1 : e + 2].isdigit()):
            return True
        if after in "-‑" and text[e + 1 : e + 2].isalpha() and text[e + 1].isupper():
            return True  # "16-A", "747-MAX"
        line_start = text.rfind("\n", 0, s) + 1
        if not text[line_start:s].strip(" \t*•-") and _LIST_MARKER.match(text, e):
            return True  # "1. The ..." / "2) ..." numbered list
    prev = _prev_word(text, s)
    # A capitalised word on the line or sentence before ("Junction\n\nFourteen wagons") is
    # not a label of this number.
    if prev is not None and core.form != "ordinal":
        low = prev.lower()
        if low in _LABEL_WORDS:
            return True
        if (
            not _at_sentence_start(text, s)
            and prev[0].isupper()
            and low.rstrip(".") not in _FUNCTION_WORDS
            and prev not in _CURRENCY_CODES
            and not _MONTH_BEFORE.search(prev)
        ):
            return True
    # Capitalised mid-sentence number words are names: "Group of Seven", "Second World War".
    return (
        core.form in ("words", "ordinal") and text[s].isupper() and not _at_sentence_start(text, s)
    )


def _is_date_part(text: str, core: _Core) -> bool:
    """A day of the month next to a month name ("June 3", "3 June", "the 3rd of June")."""
    if core.form not in ("digits", "ordinal") or core.value is None or not 1 <= core.value <= 31:
        return False
    if core.plain_digits is None:
        return False
    if _MONTH_BEFORE.search(text, max(0, core.start - 12), core.start):
        return True
    return _MONTH_AFTER.match(text, core.end) is not None


_YEAR_PREPOSITIONS = frozenset(
    {"in", "since", "by", "until", "till", "from", "of", "before", "after", "during", "year",
     "the", "this", "that", "its", "their", "his", "her", "our", "early", "late", "mid",
     "between", "and", "to", "through", "circa", "c.", "spring", "summer", "autumn", "fall",
     "winter", "fiscal", "for", "than"}
)  # fmt: skip


def _is_year(text: str, core: _Core, index: _DocIndex | None, has_bound: bool) -> bool:
    d = core.plain_digits
    if core.form != "digits" or d is None or len(d) != 4 or not d.isdigit():
        return False
    if core.value is None or not 1500 <= core.value <= 2100 or core.end - core.start != 4:
        return False
    if has_bound:
        return False  # "more than 2000" counts
    prev = (_prev_word(text, core.start) or "").lower()
    if prev in _YEAR_PREPOSITIONS or prev.endswith(("'s", "’s")):
        return True
    # "2000 troops" counts; "2026 summit", "2026." and "in 2026 leaders met" are years.
    if index is not None:
        return not index.is_plural_noun_after(core.end)
    nxt = _NEXT_WORD.match(text, core.end)
    if nxt is None or nxt.group("sep") != " ":
        return True
    return not _looks_plural(nxt.group("w"))


# --------------------------------------------------------------------------------------------
# Units and nouns
# --------------------------------------------------------------------------------------------


def _looks_plural(word: str) -> bool:
    """Whether a lower-case word read without a parse looks like a plural noun."""
    if not word.islower() or word in _NOT_NOUNS:
        return False
    return word in _PLURAL_ONLY or (word.endswith("s") and not word.endswith(("ss", "us", "is")))


def _lemma(word: str) -> str:
    """A light lemmatiser for plural nouns, used when no parse is given."""
    w = word.lower()
    if w in _IRREGULAR_LEMMAS:
        return _IRREGULAR_LEMMAS[w]
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "sses", "xes", "zes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        return w[:-1]
    return w


def _noun_unit(tok: Token) -> str:
    lemma = tok.lemma_.lower() if tok.pos_ == "NOUN" else tok.text.lower()
    if tok.lower_ in _IRREGULAR_LEMMAS:
        return _IRREGULAR_LEMMAS[tok.lower_]
    return _IRREGULAR_LEMMAS.get(lemma, lemma)


def _regex_noun(text: str, end: int) -> tuple[str, int, int] | None:
    """The noun after ``end`` when reading without a parse: (lemma, start, end).

    The next lower-case word is taken unless it is a function word, adverb or past participle;
    up to two capitalised words may come first ("3 Patriot systems", "20 Ukrainian soldiers"),
    in which case the noun must look plural.
    """
    pos = end
    for skipped in range(3):
        m = _NEXT_WORD.match(text, pos)
        if m is None or (skipped and m.group("sep") != " "):
            return None
        word = m.group("w")
        if word[0].isupper():
            pos = m.end()
            continue
        if word in _NOT_NOUNS or word.endswith(("ly", "ed")) or len(word) < 3:
            return None
        if skipped and not _looks_plural(word):
            return None
        return _lemma(word), m.start("w"), m.end("w")
    return None


# --------------------------------------------------------------------------------------------
# Assembly
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Reading:
    start: int
    end: int
    kind: str
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    approximate: bool


def _band(n: float, *, whole: bool, below_only: bool = False) -> tuple[float, float]:
    d = Decimal(repr(n))
    lo, hi = d * (1 - APPROX_BAND), d * (1 + APPROX_BAND)
    if whole:
        low = min(math.ceil(lo), int(d) - 1)
        high = int(d) - 1 if below_only else max(math.floor(hi), int(d) + 1)
        return float(max(low, 0)), float(high)
    return float(lo), float(d if below_only else hi)


def _bounds(n: float, kind: str, bound: str | None) -> tuple[float | None, float | None, bool]:
    """``(low, high, approximate)`` for the single number ``n`` under a bound phrase."""
    whole = kind == "count" and float(n).is_integer()
    step = 1.0 if whole else 0.0
    if bound == "gt":
        return n + step, None, False
    if bound == "ge":
        return n, None, False
    if bound == "lt":
        return None, n - step, False
    if bound == "le":
        return None, n, False
    if bound == "approx":
        low, high = _band(n, whole=whole)
        return low, high, True
    if bound == "nearly":
        low, high = _band(n, whole=whole, below_only=True)
        return low, high, True
    if bound == "just_over":
        _, high = _band(n, whole=whole)
        return n + step, max(high, n + step), True
    return n, n, False


def _scale_abbr(text: str, core: _Core, currency: str | None, index: _DocIndex | None) -> bool:
    """Whether an attached k/m/b is a scale ("€50m", "3m people") rather than a unit or code."""
    if core.abbr is None:
        return False
    if currency is not None:
        return True
    after = core.end + 1
    cur = _CURRENCY_AFTER.match(text, after)
    if cur is not None and cur.group("word"):
        return True  # "20m euros"
    if index is not None:
        return index.is_plural_noun_after(after)
    nxt = _NEXT_WORD.match(text, after)
    return bool(nxt and nxt.group("sep") == " " and _looks_plural(nxt.group("w")))


@dataclass(frozen=True, slots=True)
class _Suffix:
    end: int
    kind: str
    unit: str | None
    factor: Decimal = Decimal(1)  # "cents": the number is in hundredths of ``unit``


def _read_suffix_unit(text: str, end: int, kind: str, unit: str | None) -> _Suffix | None:
    """Percent, currency word or measure written after ``end``."""
    if kind == "money":  # a currency symbol came first; "$5 million dollars" repeats it
        m = _CURRENCY_AFTER.match(text, end)
        if m and m.group("word") and m.group("of") is None:
            return _Suffix(m.end("word"), "money", unit)
        return None
    m = _PERCENT_AFTER.match(text, end)
    if m:
        return _Suffix(m.end(), "percent", "%")
    m = _CURRENCY_AFTER.match(text, end)
    if m:
        if m.group("code"):
            return _Suffix(m.end("code"), "money", m.group("code"))
        word = " ".join(m.group("word").lower().split())
        # "500 pounds of explosives", "a 500-pound bomb": weight; "500 pounds": money.
        if word.startswith("pound") and (m.group("of") is not None or text[end : end + 1] == "-"):
            return _Suffix(m.end("word"), "measure", "lb")
        factor = Decimal("0.01") if word in _SUBUNITS else Decimal(1)
        return _Suffix(m.end("word"), "money", _CURRENCY_WORDS[word], factor)
    m = _MEASURE_WORD_AFTER.match(text, end)
    if m:
        return _Suffix(m.end("u"), "measure", _MEASURE_WORDS[m.group("u").lower()])
    m = _MEASURE_SYMBOL_AFTER.match(text, end)
    if m and not (m.group("sp") == "" and m.group("u") in _SPACED_ONLY_SYMBOLS):
        return _Suffix(m.end("u"), "measure", _MEASURE_SYMBOLS[m.group("u")])
    return None


class _Scanner:
    """Reads one quantity at a time from ``text``; ``blocked`` are spans no number comes from."""

    def __init__(self, text: str, index: _DocIndex | None, blocked: list[tuple[int, int]]) -> None:
        self.text = text
        self.index = index
        self.blocked = blocked
        self.blocked_starts = [b[0] for b in blocked]

    def _in_blocked(self, start: int, end: int) -> bool:
        return _overlaps((start, end), self.blocked, self.blocked_starts)

    def core_ok(self, core: _Core, *, is_second: bool = False) -> bool:
        """Whether the number can be a quantity at all, before its context is read."""
        text = self.text
        if self._in_blocked(core.start, core.end):
            return False
        if _is_identifier(text, core) or _is_date_part(text, core):
            return False
        if (
            not is_second
            and core.form == "digits"
            and _DASH_PARTNER.search(text, max(0, core.start - 4), core.start)
        ):
            return False  # the "1" of "Arsenal's 5-1": its partner was already rejected
        if core.form in ("digits", "words"):
            if (
                _TIME_CONTEXT_AFTER.match(text, core.end)
                and core.value is not None
                and core.value <= 24
            ):
                return False  # "3 p.m.", "10 o'clock", "1900 GMT" (caught by blocked too)
            if _ADDRESS.match(text, core.end):
                return False
        return True

    def read(self, pos: int) -> tuple[_Reading | None, int]:
        """Read a quantity whose number starts at ``pos``; return it and where to go on."""
        text = self.text
        core = _read_core(text, pos)
        if core is None:
            return None, pos + 1
        if not self.core_ok(core):
            end = core.end
            if _is_date_part(text, core):
                # "November 27 to 29": the second day is part of the same date range.
                sep = _RANGE_SEP.match(text, end)
                if sep is not None:
                    day = _DAY.match(text, sep.end())
                    if day is not None and 1 <= int(day.group()) <= 31:
                        end = day.end()
            return None, max(end, pos + 1)
        if core.form == "ordinal":
            return self._ordinal(core), core.end
        if core.form == "vague":
            return self._vague(core), core.end
        if core.form == "fraction":
            reading = self._fraction(core)
            # "a third term" is not a fraction: rescan from the next word as an ordinal.
            return reading, core.end if reading is not None else pos + 1
        return self._cardinal(core)

    # -- readers per form ----------------------------------------------------------------

    def _ordinal(self, core: _Core) -> _Reading | None:
        text = self.text
        word = text[core.start : core.end].lower()
        if _ORDINAL_IDIOMS.match(text, core.start):
            return None
        prev = (_prev_word(text, core.start) or "").lower()
        if prev == "at" and word == "first" or _ORDINAL_NOT_AFTER.match(text, core.end):
            return None  # "at first", "First, ...", "first of all"
        unit: str | None = None
        unit_end = core.end
        if self.index is not None:
            tok = self.index.token_at(core.end - 1)  # "twenty-first": the "first" token
            if tok is None or (tok.pos_ in ("ADV", "NOUN", "VERB") and word in _ORDINALS):
                return None  # "first reported", "in a second", "second the motion"
            head = tok.head
            if head.i > tok.i and head.pos_ in ("NOUN", "PROPN") and head.i - tok.i <= 6:
                unit = _noun_unit(head)
                if head.i == tok.i + 1 or (head.i == tok.i + 2 and tok.nbor(1).text == "-"):
                    unit_end = head.idx + len(head.text)
            elif not (prev in _DETERMINERS or prev.endswith(("'s", "’s"))):
                return None
        else:
            has_det = prev in _DETERMINERS or prev.endswith(("'s", "’s"))
            noun = self._ordinal_noun_no_parse(core.end)
            if noun is None and not has_det:
                return None
            if noun is not None:
                unit = noun[0]
                if noun[1] == _skip_space(text, core.end) and noun[1] - core.end <= 1:
                    unit_end = noun[2]
        if prev in ("a", "an"):
            bounded = self._bound_before(core.start - len(prev) - 1)[1] is not None
            if unit is None or bounded:
                return None  # "in a second" is a moment; "nearly a fifth" a share
        n = float(core.value or 0)
        return _Reading(core.start, unit_end, "ordinal", n, n, n, unit, False)

    def _ordinal_noun_no_parse(self, end: int) -> tuple[str, int, int] | None:
        """First lower-case word after an ordinal, skipping proper-name words ("NATO-Ukraine")."""
        text = self.text
        p = end
        for _ in range(6):
            m = _ORDINAL_NEXT.match(text, p)
            if m is None:
                return None
            word = m.group("w").rstrip(".")
            if word[0].isupper() or word == "ever":  # "first NATO-Ukraine ...", "first-ever"
                p = m.end()
                continue
            if word in _NOT_NOUNS or word.endswith(("ly", "ed")):
                return None
            return _lemma(word), m.start("w"), m.start("w") + len(word)
        return None

    def _vague(self, core: _Core) -> _Reading | None:
        text = self.text
        if _TIME_AFTER.match(text, core.end) or _OF_TIME_AFTER.match(text, core.end):
            return None  # "hundreds of years" is a duration
        money = _CURRENCY_OF.match(text, core.end)
        if money is not None:  # "millions of pounds"
            code = _CURRENCY_WORDS[money.group("w")]
            return _Reading(core.start, core.end, "money", None, core.floor, None, code, True)
        unit, end = self._count_noun(core.start, core.end)
        return _Reading(core.start, end, "count", None, core.floor, None, unit, True)

    def _fraction(self, core: _Core) -> _Reading | None:
        """ "half a point" (a measure) or "two-thirds of" (a share, stored as a percent)."""
        text = self.text
        n = float(core.value or 0)
        start, bound = self._bound_before(core.start)
        found = _MEASURE_WORD_AFTER.match(text, core.end)
        if found is not None:
            unit = _MEASURE_WORDS[found.group("u").lower()]
            low, high, approx = _bounds(n, "measure", bound)
            return _Reading(start, found.end("u"), "measure", n, low, high, unit, approx)
        if bound not in (None, "between", "exact") or (
            _FRACTION_OF.match(text, core.end) and not text[core.end - 1].isspace()
        ):
            # "two-thirds of those asked" -> 66.67%; rounded so "more than two-thirds" and
            # "68%" compare sensibly.
            share = round(n * 100, 2)
            low, high, approx = _bounds(share, "percent", bound)
            return _Reading(start, core.end, "percent", share, low, high, "%", approx)
        return None

    def _bound_before(self, pos: int) -> tuple[int, str | None]:
        window = self.text[max(0, pos - _BOUND_LOOKBACK) : pos]
        m = _BOUND_BEFORE.search(window)
        if m is None or m.lastgroup is None:
            return pos, None
        return pos - (len(window) - m.start()), m.lastgroup

    def _currency_before(self, pos: int) -> tuple[int, str | None]:
        window = self.text[max(0, pos - 4) : pos]
        m = _CURRENCY_BEFORE.search(window)
        if m is None:
            return pos, None
        start = pos - (len(window) - m.start())
        if start > 0 and self.text[start - 1].isalnum():
            return pos, None
        code = m.group("code") or _CURRENCY_SYMBOLS[m.group("sym")]
        return start, code

    def _count_noun(self, start: int, end: int) -> tuple[str | None, int]:
        """The counted noun of the number ``[start, end)`` and the span end including it."""
        text = self.text
        if self.index is not None:
            tok = self.index.counted_noun(start, end)
            if tok is None or tok.lower_ in _NOT_COUNTED:
                return None, end
            unit = _noun_unit(tok)
            noun_end = tok.idx + len(tok.text)
            # A hyphenated noun the tokenizer split ("e-mail", "set-top"): read it whole.
            compound = _HYPHEN_TAIL.match(text, noun_end)
            if compound is not None:
                unit = tok.lower_ + compound.group(1).lower() + _lemma(compound.group(2))
                noun_end = compound.end()
            gap = text[end : tok.idx]
            if gap in (" ", "-", "\u00a0"):
                return unit, noun_end
            return unit, end
        found = _regex_noun(text, end)
        if found is not None and found[0] not in _NOT_COUNTED:
            return found[0], found[2]
        m = _PARTITIVE.match(text, end)
        if m and m.group("noun") not in _NOT_NOUNS:
            return _lemma(m.group("noun")), end
        return None, end

    def _second_core(self, pos: int) -> tuple[_Core, str | None] | None:
        text = self.text
        cur_start, currency = self._currency_before_forward(pos)
        m = _START.match(text, cur_start)
        if m is None:
            return None
        core = _read_core(text, cur_start)
        if core is None or core.form not in ("digits", "words"):
            return None
        if not self.core_ok(core, is_second=True):
            return None
        return core, currency

    def _currency_before_forward(self, pos: int) -> tuple[int, str | None]:
        m = _CURRENCY_AT.match(self.text, pos)
        if m is None:
            return pos, None
        return m.end(), m.group("code") or _CURRENCY_SYMBOLS[m.group("sym")]

    def _range_partner(
        self, core: _Core, prev: str, bound: str | None, currency: str | None
    ) -> tuple[_Core, str, str | None] | None:
        """The second number of "10 to 15", "10-15%", "between 10 and 15", "two or three".

        Returns the second core, the separator kind (dash | to | and | or) and its currency.
        """
        sep = _RANGE_SEP.match(self.text, core.end)
        if sep is None or sep.lastgroup is None:
            return None
        kind = sep.lastgroup
        allowed = (
            (kind == "dash" and core.form == "digits")
            or (kind == "to" and prev != "from")  # "rose from 10 to 15" is a change
            or (kind == "and" and bound == "between")
            or kind == "or"
        )
        found = self._second_core(sep.end()) if allowed else None
        if found is None:
            return None
        second, second_currency = found
        if kind == "dash" and second.form != "digits":
            return None
        if currency and second_currency and second_currency != currency:
            return None
        return second, kind, second_currency

    def _cardinal(self, core: _Core) -> tuple[_Reading | None, int]:
        text = self.text
        cur_start, currency = self._currency_before(core.start)
        start, bound = self._bound_before(cur_start)
        prev = (_prev_word(text, start) or "").lower()
        has_bound = bound not in (None, "between", "exact") or currency is not None
        if _is_year(text, core, self.index, has_bound):
            return None, core.end

        second: _Core | None = None
        sep_kind: str | None = None
        partner = self._range_partner(core, prev, bound, currency)
        if partner is not None:
            second, sep_kind, second_currency = partner
            currency = currency or second_currency
        elif bound == "between":
            bound, start = None, cur_start
        last = second or core

        # Attached k/m/b: a scale next to a currency or before a plural noun, else metres
        # ("a 100m sprint") or part of an identifier.
        for c in (core, second):
            if c is not None and c.abbr is not None and c.value is not None:
                if not _scale_abbr(text, c, currency, self.index):
                    if c is last and c.abbr == "m":
                        return self._finish(
                            core, second, start, c.end + 1, "measure", "m", bound, sep_kind
                        )
                    return None, last.end + 1
                c.scale = _SCALE_ABBR[c.abbr]
                c.value = float(_dec(repr(c.value)) * c.scale)
                c.end += 1
                c.abbr = None
        # A scale written once for both ends: "$1-2 billion", "six or seven million".
        if (
            second is not None
            and core.value is not None
            and second.value is not None
            and core.scale == 1
            and second.scale > 1
            and core.value < second.value / second.scale
        ):
            core.value = float(_dec(repr(core.value)) * second.scale)
        end = last.end

        # Ages are measures; durations belong to the dates stage.
        age = _AGE_AFTER.match(text, end)
        if age is not None or prev == "aged":
            if second is not None or core.value is None:
                return None, end
            n = core.value
            age_end = age.end() if age is not None else end
            low, high, approx = _bounds(n, "measure", bound)  # "less than 5 years old"
            return _Reading(start, age_end, "measure", n, low, high, "age", approx), age_end
        if _TIME_AFTER.match(text, end):
            return None, end

        kind = "money" if currency else "count"
        unit = currency
        suffix = _read_suffix_unit(text, end, kind, unit)
        if suffix is not None:
            end, kind, unit = suffix.end, suffix.kind, suffix.unit
            if suffix.factor != 1:  # "22 euro cents"
                for c in (core, second):
                    if c is not None and c.value is not None:
                        c.value = float(_dec(repr(c.value)) * suffix.factor)
        elif prev == "from" and _RANGE_SEP.match(text, end):
            # "rose from 10 to 15 percent": two quantities sharing the second one's unit.
            sep = _RANGE_SEP.match(text, end)
            nxt = self._second_core(sep.end()) if sep and sep.lastgroup == "to" else None
            shared = _read_suffix_unit(text, nxt[0].end, kind, unit) if nxt else None
            if shared is not None and shared.kind in ("percent", "measure"):
                kind, unit = shared.kind, shared.unit

        if kind == "count" and _MULTIPLIER.match(text, end):
            return None, end  # "10 times faster" is a ratio, not a count of anything
        # "one"/"zero" count only before a noun: not "one of the", "the one", "no one".
        is_one = core.form == "words" and core.value in (0, 1) and second is None
        if (
            is_one
            and kind == "count"
            and (prev in _NOT_BEFORE_ONE or _ONE_NOT_BEFORE.match(text, end))
        ):
            return None, end
        return self._finish(core, second, start, end, kind, unit, bound, sep_kind)

    def _looks_like_score(self, core: _Core, end: int) -> bool:
        """ "0-2 down", "6-4 6-4", "7-6 (7-5)": sports scores, not ranges."""
        text = self.text
        if core.value == 0:
            return True
        return bool(_SCORE_AFTER.match(text, end) or _SCORE_BEFORE.search(text, 0, core.start))

    def _finish(
        self,
        core: _Core,
        second: _Core | None,
        start: int,
        end: int,
        kind: str,
        unit: str | None,
        bound: str | None,
        sep_kind: str | None,
    ) -> tuple[_Reading | None, int]:
        """Apply a trailing bound ("or more", "-plus"), find the counted noun, set bounds."""
        text = self.text
        after = _BOUND_AFTER.match(text, end)
        if after is not None and after.lastgroup and second is None and bound in (None, "exact"):
            bound = "ge" if after.lastgroup == "plus" else after.lastgroup
            end = after.end()
        if kind == "count":
            unit, end = self._count_noun(core.start, end)
            if unit is None and second is None and core.value == 0:
                return None, end  # "from 0", "zero" alone
            if unit is None and second is None and core.form == "words" and core.value == 1:
                return None, end  # "one" alone is a pronoun more often than a count
            if unit is not None and _TIME_UNIT_WORD.fullmatch(unit):
                return None, end
        if second is not None:
            if core.value is None or second.value is None or core.value >= second.value:
                return None, end  # "3-1" (a score), "50-50"
            if unit in _SCORE_NOUNS:
                return None, end
            if sep_kind == "dash" and kind == "count" and self._looks_like_score(core, end):
                return None, end
            approx = bound in ("approx", "nearly") or sep_kind == "or"
            return _Reading(start, end, kind, None, core.value, second.value, unit, approx), end
        if core.value is None:
            return None, end
        low, high, approx = _bounds(core.value, kind, bound)
        return _Reading(start, end, kind, core.value, low, high, unit, approx), end


def _blocked_spans(text: str) -> list[tuple[int, int]]:
    return _merge([m.span() for m in _BLOCKED.finditer(text)])


def _merge(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, merged copy of ``spans`` (so both starts and ends are increasing)."""
    out: list[tuple[int, int]] = []
    for s, e in sorted((int(s), int(e)) for s, e in spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]], starts: list[int]) -> bool:
    """Whether ``span`` overlaps any of the merged, sorted ``spans``."""
    i = bisect.bisect_left(starts, span[1]) - 1
    return i >= 0 and spans[i][1] > span[0]


def extract_quantities(
    text: str,
    *,
    doc: Doc | None = None,
    exclude: Sequence[tuple[int, int]] = (),
) -> tuple[Quantity, ...]:
    """Find numbers with their bounds, kind and counted noun in ``text``.

    Args:
        text: the document text; spans are half-open character offsets into it.
        doc: an optional spaCy parse of exactly ``text``; when given it decides which noun a
            number counts and whether "first"/"second" is an ordinal adjective.
        exclude: spans already claimed by the dates stage; no quantity overlaps them.

    Returns:
        Quantities sorted by span, non-overlapping, with ``produced_by="quantities.v1"``.

    Raises:
        ValueError: ``doc`` is a parse of a different text.
    """
    if doc is not None and doc.text != text:
        raise ValueError("extract_quantities: doc.text differs from text; pass the same string")
    index = _DocIndex(doc) if doc is not None else None
    scanner = _Scanner(text, index, _blocked_spans(text))
    excluded = _merge(exclude)
    excluded_starts = [s for s, _ in excluded]
    out: list[Quantity] = []
    last_end = 0
    pos = 0
    while True:
        m = _START.search(text, pos)
        if m is None:
            break
        start = m.start()
        reading, nxt = scanner.read(start)
        pos = max(nxt, start + 1)
        if reading is None:
            continue
        span = (reading.start, reading.end)
        if span[0] < last_end or _overlaps(span, excluded, excluded_starts):
            continue
        out.append(
            Quantity(
                span=span,
                text=text[span[0] : span[1]],
                value=reading.value,
                low=reading.low,
                high=reading.high,
                unit=reading.unit,
                kind=reading.kind,
                approximate=reading.approximate,
                produced_by=PRODUCED_BY,
            )
        )
        last_end = span[1]
    return tuple(out)
