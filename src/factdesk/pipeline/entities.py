"""Named entities with canonical keys, so "NATO", "the North Atlantic Treaty Organization" and
"the alliance" can meet across sentences and documents.

Two levels of keys:

* :func:`canonical_key` is context-free: it folds case, drops determiners, possessives and
  outer punctuation, and applies a short curated alias table of very common world entities
  ("U.S." / "America" -> "united states", "Kiev" -> "kyiv"). Other stages use it for speakers.
* :func:`find_entities` adds what only the document can tell: acronym definitions ("the
  Organization for Security and Co-operation in Europe (OSCE)" -> both "osce"), acronyms whose
  expansion occurs elsewhere in the document, surnames of people named in full ("Blinken" ->
  "antony blinken"), and definite descriptors resolved to the most recent compatible entity
  ("the alliance" -> "nato"). A descriptor with no compatible antecedent is left out rather
  than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from factdesk.records import Entity

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["ENTITY_LABELS", "PRODUCED_BY", "canonical_key", "find_entities"]

PRODUCED_BY = "entities.v1"

#: spaCy labels kept. DATE/TIME/CARDINAL/ORDINAL/QUANTITY/MONEY/PERCENT belong to the dates
#: and quantities stages.
ENTITY_LABELS = frozenset(
    {"ORG", "GPE", "PERSON", "NORP", "LOC", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"}
)

_DETERMINERS = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s$")

# --------------------------------------------------------------------------------------------
# Aliases: a deliberately short, curated table of very common world entities whose names vary
# between outlets. Anything longer belongs in a data file with its own review, not here.
# --------------------------------------------------------------------------------------------

#: Acronyms, matched case-sensitively with dots removed ("U.S." -> "US"), so the pronoun "us"
#: and the relative "who" never match.
_ACRONYM_ALIASES = {
    "US": "united states",
    "USA": "united states",
    "UK": "united kingdom",
    "EU": "european union",
    "UN": "united nations",
    "NATO": "nato",
    "IMF": "imf",
    "IAEA": "iaea",
    "WHO": "world health organization",
}
#: Names, matched after case folding.
_NAME_ALIASES = {
    "united states of america": "united states",
    "america": "united states",
    "britain": "united kingdom",
    "great britain": "united kingdom",
    "north atlantic treaty organization": "nato",
    "north atlantic treaty organisation": "nato",
    "international monetary fund": "imf",
    "international atomic energy agency": "iaea",
    "world health organisation": "world health organization",
    "russian federation": "russia",
    # Ukrainian place names: the transliterations from Ukrainian, used by most outlets since
    # 2019-2022, are the keys; the Russian-derived spellings still appear in wire copy.
    "kiev": "kyiv",
    "kharkov": "kharkiv",
    "odessa": "odesa",
    "zaporozhye": "zaporizhzhia",
}
#: The label an aliased key always has: spaCy's small model sometimes calls Kyiv a PERSON.
_ALIAS_LABELS = {
    "united states": "GPE",
    "united kingdom": "GPE",
    "russia": "GPE",
    "kyiv": "GPE",
    "kharkiv": "GPE",
    "odesa": "GPE",
    "zaporizhzhia": "GPE",
    "european union": "ORG",
    "united nations": "ORG",
    "nato": "ORG",
    "imf": "ORG",
    "iaea": "ORG",
    "world health organization": "ORG",
}


def _plain_key(text: str) -> str:
    key = " ".join(text.split())
    key = _DETERMINERS.sub("", key)
    key = _POSSESSIVE.sub("", key)
    return key.strip(" .,;:'\"“”‘’()[]")


def canonical_key(text: str) -> str:
    """Return a case-folded key for an entity or speaker mention (no document context).

    Strips leading determiners, trailing possessives and punctuation and folds whitespace,
    then maps a few very common variants to one key ("the U.S." and "America" ->
    "united states", "Kiev" -> "kyiv"). Document-level resolution ("the alliance" -> NATO,
    "Blinken" -> "antony blinken") is done by ``find_entities``.
    """
    key = _plain_key(text)
    alias = _ACRONYM_ALIASES.get(key.replace(".", ""))
    if alias is not None:
        return alias
    folded = key.casefold()
    return _NAME_ALIASES.get(folded, folded)


# --------------------------------------------------------------------------------------------
# Descriptors: "the alliance" and friends. Each noun lists which antecedents it may refer to.
# --------------------------------------------------------------------------------------------

_KNOWN_ALLIANCES = frozenset({"nato", "csto", "aukus", "quad", "five eyes", "anzus"})
_KNOWN_BLOCS = frozenset(
    {"european union", "asean", "brics", "african union", "mercosur", "g7", "g20", "opec",
     "eurasian economic union", "gulf cooperation council", "csto", "nato"}
)  # fmt: skip
_NEWS_AGENCIES = frozenset(
    {"reuters", "associated press", "ap", "afp", "agence france-presse", "tass", "ria novosti",
     "ria", "interfax", "ukrinform", "unian", "xinhua", "anadolu", "dpa", "efe", "ansa",
     "kyodo", "yonhap", "pap", "bernama", "irna", "kcna"}
)  # fmt: skip
_KNOWN_COMPANIES = frozenset(
    {"raytheon", "rtx", "lockheed martin", "boeing", "airbus", "rheinmetall", "gazprom",
     "naftogaz", "rosneft", "bae systems", "northrop grumman", "general dynamics", "thales",
     "saab", "mbda", "kongsberg", "diehl", "leonardo", "ukrenergo", "energoatom"}
)  # fmt: skip
_COMPANY_SUFFIX = re.compile(
    r"\b(?:Inc|Corp|Corporation|Ltd|LLC|plc|PLC|Co|AG|SE|SA|NV|GmbH|Holdings|Group"
    r"|Technologies|Industries|Systems|Motors|Airlines|Airways|Energy|Oil|Gas)\b\.?$"
)
#: Labels spaCy mixes up for the same organisation or state ("EU" as ORG or GPE).
_BODIES = frozenset({"ORG", "GPE", "NORP"})
#: Legal-form suffixes dropped from company keys (the text keeps them).
_LEGAL_SUFFIX = re.compile(r"(?:,?\s+(?:inc|corp|co|ltd|llc|plc|ag|se|sa|nv|gmbh)\.?)+$")
_ALLIANCE_WORDS = re.compile(r"\b(?:Treaty|Alliance|Pact)\b")
_PACT_WORDS = re.compile(r"\b(?:Alliance|Pact)\b")

#: Capitals, for "the capital": a country's capital, or a capital named just before.
_COUNTRY_CAPITALS = {
    "ukraine": "kyiv", "russia": "moscow", "united states": "washington",
    "united kingdom": "london", "france": "paris", "germany": "berlin", "belgium": "brussels",
    "poland": "warsaw", "belarus": "minsk", "moldova": "chisinau", "georgia": "tbilisi",
    "lithuania": "vilnius", "latvia": "riga", "estonia": "tallinn", "finland": "helsinki",
    "sweden": "stockholm", "norway": "oslo", "denmark": "copenhagen", "italy": "rome",
    "spain": "madrid", "hungary": "budapest", "romania": "bucharest", "turkey": "ankara",
    "china": "beijing", "japan": "tokyo", "iran": "tehran", "syria": "damascus",
    "lebanon": "beirut", "iraq": "baghdad", "afghanistan": "kabul", "egypt": "cairo",
    "sudan": "khartoum", "canada": "ottawa", "india": "new delhi", "pakistan": "islamabad",
}  # fmt: skip
_CAPITALS = frozenset(_COUNTRY_CAPITALS.values())
_CAPITAL_NAMES = re.compile(
    r"\b(?:"
    + "|".join(sorted({c.title() for c in _CAPITALS} | {"Kiev"}, key=len, reverse=True))
    + r")\b"
)


@dataclass(frozen=True, slots=True)
class _Antecedent:
    label: str
    key: str
    surfaces: frozenset[str]  # every way the document names this key


def _named(word: str) -> Callable[[_Antecedent], bool]:
    pattern = re.compile(rf"\b{word}\b")
    return lambda a: a.label == "ORG" and any(pattern.search(s) for s in a.surfaces)


def _is_alliance(a: _Antecedent) -> bool:
    if a.label == "ORG":
        return a.key in _KNOWN_ALLIANCES or any(_ALLIANCE_WORDS.search(s) for s in a.surfaces)
    # The small model often tags "the Warsaw Pact" as a LAW; a "Treaty" LAW is the document.
    return a.label == "LAW" and any(_PACT_WORDS.search(s) for s in a.surfaces)


def _is_bloc(a: _Antecedent) -> bool:
    return a.label in ("ORG", "GPE") and a.key in _KNOWN_BLOCS


def _is_agency(a: _Antecedent) -> bool:
    return a.label == "ORG" and (
        a.key in _NEWS_AGENCIES or any(re.search(r"\bAgency\b", s) for s in a.surfaces)
    )


def _is_company(a: _Antecedent) -> bool:
    return a.label == "ORG" and (
        a.key in _KNOWN_COMPANIES or any(_COMPANY_SUFFIX.search(s) for s in a.surfaces)
    )


def _is_organization(a: _Antecedent) -> bool:
    return a.label == "ORG" and (
        a.key in {"nato", "world health organization", "opec", "osce"}
        or any(re.search(r"\bOrgani[sz]ation\b", s) for s in a.surfaces)
    )


#: Descriptor noun -> which named entity it can refer to.
_DESCRIPTORS: dict[str, Callable[[_Antecedent], bool]] = {
    "alliance": _is_alliance,
    "bloc": _is_bloc,
    "agency": _is_agency,
    "company": _is_company,
    "firm": _is_company,
    "organization": _is_organization,
    "organisation": _is_organization,
    "ministry": _named("Ministry"),
    "department": _named("Department"),
    "council": _named("Council"),
    "commission": _named("Commission"),
    "committee": _named("Committee"),
    "court": _named("Court"),
    "fund": _named("Fund"),
    "bank": _named("Bank"),
}
_CAPITAL = "capital"
#: Honorifics dropped before matching a surname to a full name.
_HONORIFICS = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "prof", "president",
     "prime", "minister", "chancellor", "secretary", "general", "gen", "senator", "sen",
     "rep", "king", "queen", "pope", "mayor", "governor", "gov", "ambassador"}
)  # fmt: skip
_ACRONYM = re.compile(r"^(?:[A-Z]\.?){2,8}$|^[A-Z][A-Za-z&]{1,7}$")
_ACRONYM_DEFINITION = re.compile(r"\s*\(\s*(?P<acr>[A-Z][A-Za-z&.]{1,9})\s*\)")
_NAME_WORD = re.compile(r"[A-Z][\w'’.-]*|of|for|and|the|on|in|to|de|du|des|la|le|&")
_THE_BEFORE = re.compile(r"\b[Tt]he\s+$")
_CONNECTORS = frozenset(
    {"of", "for", "and", "the", "on", "in", "to", "de", "du", "des", "la", "le", "&"}
)


# --------------------------------------------------------------------------------------------
# Mentions
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    label: str
    text: str
    key: str = ""
    person_key: str | None = None  # a short name resolved to a full name


def _trim(tokens: list[Token]) -> list[Token]:
    """Drop a leading determiner and trailing possessive/punctuation from an entity's tokens."""
    while tokens and (tokens[0].is_punct or tokens[0].is_space):
        tokens = tokens[1:]
    if tokens and tokens[0].lower_ in ("the", "a", "an"):
        first = tokens[0]
        # "The" inside a name ("reported by The Kyiv Independent") stays; a sentence-initial
        # or lower-case determiner does not.
        if first.text.islower() or first.is_sent_start:
            tokens = tokens[1:]
    while tokens and (
        tokens[-1].lower_ in ("'s", "’s", "'", "’") or tokens[-1].is_punct or tokens[-1].is_space
    ):
        tokens = tokens[:-1]
    return tokens


def _split_lines(tokens: list[Token]) -> Iterable[list[Token]]:
    """Split an entity that runs across a line break (a headline glued to the body)."""
    piece: list[Token] = []
    for tok in tokens:
        if tok.is_space and "\n" in tok.text:
            if piece:
                yield piece
            piece = []
            continue
        piece.append(tok)
        if "\n" in tok.whitespace_:
            yield piece
            piece = []
    if piece:
        yield piece


def _named_mentions(doc: Doc) -> list[_Mention]:
    out: list[_Mention] = []
    text = doc.text
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS:
            continue
        for piece in _split_lines(list(ent)):
            tokens = _trim(piece)
            if not tokens or not any(c.isalpha() for t in tokens for c in t.text):
                continue
            start = tokens[0].idx
            end = tokens[-1].idx + len(tokens[-1].text)
            out.append(_Mention(start, end, ent.label_, text[start:end]))
    return out


def _initials(words: list[str], *, content_only: bool) -> str:
    return "".join(w[0].upper() for w in words if not (content_only and w in _CONNECTORS))


def _acronym_letters(acronym: str) -> str:
    return "".join(c for c in acronym if c.isupper())


def _expands(acronym: str, name: str, *, loose: bool) -> bool:
    """Whether ``name`` spells out ``acronym`` ("North Atlantic Treaty Organization", "NATO").

    Strict: the acronym is the initials of the name's words, with or without the connectors
    ("of", "and" ...). Loose (used after an explicit "(ABC)"): the acronym's letters are a
    subsequence of the initials that starts with the name's first letter.
    """
    words = name.split()
    letters = _acronym_letters(acronym)
    if len(words) < 2 or len(letters) < 2:
        return False
    content = _initials(words, content_only=True)
    every = _initials(words, content_only=False)
    if letters in (content, every):
        return True
    if not loose or letters[0] != content[:1]:
        return False
    it = iter(every)
    return all(c in it for c in letters)


def _definitions(doc: Doc, mentions: list[_Mention]) -> list[tuple[_Mention, _Mention]]:
    """Explicit acronym definitions: "Long Name (LN)" -> (long mention, acronym mention).

    The long name is read back from the parenthesis over capitalised words and connectors,
    so a name the parser cut in two ("... Co-operation" + "Europe") is joined again.
    """
    text = doc.text
    pairs: list[tuple[_Mention, _Mention]] = []
    for m in _ACRONYM_DEFINITION.finditer(text):
        acronym = m.group("acr")
        if not _ACRONYM.match(acronym):
            continue
        words = [
            (w.start(), w.end(), w.group())
            for w in _NAME_WORD.finditer(text, max(0, m.start() - 160), m.start())
        ]
        # Keep the run of name words that ends right at the parenthesis.
        run: list[tuple[int, int, str]] = []
        for start, end, word in reversed(words):
            gap = text[end : run[0][0]] if run else text[end : m.start()]
            if gap.strip() or len(run) >= 12:
                break
            run.insert(0, (start, end, word))
        while run and run[0][2] in _CONNECTORS:
            run.pop(0)
        best: tuple[int, int] | None = None
        for i in range(len(run)):
            if run[i][2] in _CONNECTORS:
                continue
            name = text[run[i][0] : run[-1][1]]
            if _expands(acronym, name, loose=True):
                best = (run[i][0], run[-1][1])
                break
        if best is None:
            continue
        acr_start = m.start("acr")
        acr_end = acr_start + len(acronym.rstrip("."))
        label = next((x.label for x in mentions if x.start < best[1] and best[0] < x.end), "ORG")
        long = _Mention(best[0], best[1], label, text[best[0] : best[1]])
        short = _Mention(acr_start, acr_end, label, text[acr_start:acr_end])
        pairs.append((long, short))
    return pairs


def _merge_mentions(mentions: list[_Mention], added: Iterable[_Mention]) -> list[_Mention]:
    """Add mentions, letting each new one replace the named mentions it overlaps."""
    out = list(mentions)
    for new in added:
        out = [m for m in out if not (m.start < new.end and new.start < m.end)]
        out.append(new)
    out.sort(key=lambda m: (m.start, -m.end))
    return out


def _person_words(text: str) -> list[str]:
    words = [w.strip(".,") for w in _plain_key(text).split()]
    while len(words) > 1 and words[0].casefold().rstrip(".") in _HONORIFICS:
        words = words[1:]
    return words


def _same_surname(a: str, b: str) -> bool:
    """Exact, or a transliteration variant: "Zelensky"/"Zelenskyy", "Zelenskiy"."""
    a, b = a.casefold(), b.casefold()
    if a == b:
        return True
    if min(len(a), len(b)) < 6 or abs(len(a) - len(b)) > 1:
        return False
    stem = min(len(a), len(b)) - 1
    return a[:stem] == b[:stem]


def _resolve_people(mentions: list[_Mention]) -> None:
    """Key short names ("Blinken", "Mr Blinken") by the full name of the same person."""
    full = [(m, _person_words(m.text)) for m in mentions if m.label == "PERSON"]
    full = [(m, words) for m, words in full if len(words) >= 2]
    if not full:
        return
    for m in mentions:
        words = _person_words(m.text)
        if len(words) != 1:
            continue
        if m.label != "PERSON" and (
            m.label not in ("ORG", "NORP", "GPE")
            or m.key in _ALIAS_LABELS
            or m.key in _CAPITALS
            or m.key in _COUNTRY_CAPITALS
        ):
            continue
        matches = [(f, fw) for f, fw in full if _same_surname(fw[-1], words[0])]
        if not matches:
            continue
        before = [f for f, _ in matches if f.start < m.start]
        chosen = before[-1] if before else matches[0][0]
        m.person_key = canonical_key(" ".join(_person_words(chosen.text)))
        m.label = "PERSON"


def _link_keys(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Redirects between keys: the long name's key points at the acronym's, unless the alias
    table already chose one of them as the key ("United Nations (UN)" -> "united nations")."""
    redirect: dict[str, str] = {}
    for long_text, short_text in pairs:
        long_key, short_key = canonical_key(long_text), canonical_key(short_text)
        if long_key == short_key:
            continue
        long_aliased = long_key != _plain_key(long_text).casefold()
        if long_aliased and short_key == _plain_key(short_text).casefold():
            redirect.setdefault(short_key, long_key)
        else:
            redirect.setdefault(long_key, short_key)
    return redirect


def _follow(key: str, redirect: dict[str, str]) -> str:
    seen = {key}
    while key in redirect and redirect[key] not in seen:
        key = redirect[key]
        seen.add(key)
    return key


# --------------------------------------------------------------------------------------------
# Descriptors
# --------------------------------------------------------------------------------------------


def _descriptor_spans(doc: Doc, taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """ "the alliance", "the military alliance", "the news agency": (start, end, noun)."""
    out: list[tuple[int, int, str]] = []
    for tok in doc:
        noun = tok.lower_
        if noun not in _DESCRIPTORS and noun != _CAPITAL:
            continue
        if tok.tag_ not in ("NN", "NNP") or tok.dep_ == "compound":
            continue  # "the alliance governments": "alliance" modifies another noun
        nxt = tok.nbor(1) if tok.i + 1 < len(doc) else None
        if nxt is not None and (nxt.lower_ == "of" or nxt.pos_ == "PROPN"):
            continue  # "the council of ministers", "the Council Presidency" are names
        det = next((c for c in tok.lefts if c.dep_ == "det" and c.lower_ == "the"), None)
        if det is None:
            continue
        between = doc[det.i + 1 : tok.i]
        if len(between) > 2 or any(
            t.dep_ not in ("amod", "compound", "nmod") or t.ent_type_ or t.is_punct for t in between
        ):
            continue
        start, end = det.idx, tok.idx + len(tok.text)
        if any(s < end and start < e for s, e in taken):
            continue
        out.append((start, end, noun))
    return out


def _capital_key(text: str, antecedents: list[tuple[int, _Antecedent]], before: int) -> str | None:
    """The city "the capital" at ``before`` refers to, or None when unsure.

    The most recent place named before it decides: a capital city stands for itself, a country
    with a listed capital for that capital, anything else ("Donetsk") leaves it unresolved.
    Capital names are also looked up in the raw text, because the small model misses some
    ("Russia struck Kyiv ... the capital" must not resolve to Moscow).
    """
    place: tuple[int, str | None] = (-1, None)
    for start, a in reversed(antecedents):
        if start < before and a.label == "GPE":
            key = a.key if a.key in _CAPITALS else _COUNTRY_CAPITALS.get(a.key)
            place = (start, key)
            break
    for m in _CAPITAL_NAMES.finditer(text, max(0, before - 2000), before):
        if m.start() > place[0]:
            place = (m.start(), canonical_key(m.group()))
    return place[1]


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def find_entities(doc: Doc) -> tuple[Entity, ...]:
    """Find the named entities of a parsed document, with document-level canonical keys.

    Keeps spaCy's ORG, GPE, PERSON, NORP, LOC, FAC, EVENT, LAW, PRODUCT and WORK_OF_ART
    entities, trimmed of a leading "the" and a trailing "'s", adds acronyms defined in
    parentheses, and adds definite descriptors ("the alliance", "the ministry", "the capital")
    that refer back to a compatible entity, with that entity's key and label.

    Returns:
        Entities sorted by span (half-open character offsets into ``doc.text``),
        non-overlapping, with ``produced_by="entities.v1"``.
    """
    text = doc.text
    mentions = _named_mentions(doc)
    definitions = _definitions(doc, mentions)
    mentions = _merge_mentions(mentions, [m for pair in definitions for m in pair])

    # Capitalised descriptors tagged as names ("the Alliance") are resolved like descriptors.
    named = [m for m in mentions if canonical_key(m.text) not in _DESCRIPTORS]
    descriptor_like = [m for m in mentions if canonical_key(m.text) in _DESCRIPTORS]

    for m in named:
        m.key = canonical_key(m.text)
        if m.key in _ALIAS_LABELS:
            m.label = _ALIAS_LABELS[m.key]
        elif m.label == "ORG":
            m.key = _LEGAL_SUFFIX.sub("", m.key)  # "Lockheed Martin Corp" -> "lockheed martin"

    # Acronym <-> expansion: explicit definitions, then initials within the document.
    pairs = [(long.text, short.text) for long, short in definitions]
    acronyms = {(m.text, m.label) for m in named if _ACRONYM.match(m.text)}
    long_names = {(m.text, m.label) for m in named if len(m.text.split()) >= 2}
    for acronym, acronym_label in acronyms:
        for name, name_label in long_names:
            # Same kind of thing only: "GLA" is not "the Greater London Act" (a LAW).
            compatible = acronym_label == name_label or {acronym_label, name_label} <= _BODIES
            if compatible and _expands(acronym, _plain_key(name), loose=False):
                pairs.append((name, acronym))
    redirect = _link_keys(pairs)
    for m in named:
        m.key = _follow(m.key, redirect)
    _resolve_people(named)
    for m in named:
        if m.person_key is not None:
            m.key = m.person_key

    surfaces: dict[str, set[str]] = {}
    for m in named:
        surfaces.setdefault(m.key, set()).add(m.text)
    antecedents = [
        (m.start, _Antecedent(m.label, m.key, frozenset(surfaces[m.key]))) for m in named
    ]

    entities = [
        Entity(
            span=(m.start, m.end), text=m.text, label=m.label, key=m.key, produced_by=PRODUCED_BY
        )
        for m in named
    ]
    taken = [(m.start, m.end) for m in named]
    candidates = _descriptor_spans(doc, taken)
    for m in descriptor_like:
        # Include a preceding "the" that spaCy left out of the entity.
        the = _THE_BEFORE.search(text, max(0, m.start - 5), m.start)
        candidates.append((the.start() if the else m.start, m.end, canonical_key(m.text)))
    for start, end, noun in sorted(candidates):
        if noun == _CAPITAL:
            key = _capital_key(text, antecedents, start)
            label = "GPE"
        else:
            fits = _DESCRIPTORS[noun]
            found = next((a for s, a in reversed(antecedents) if s < start and fits(a)), None)
            key, label = (found.key if found else None), "ORG"
        if key is None:
            continue
        entities.append(
            Entity(
                span=(start, end),
                text=text[start:end],
                label=label,
                key=key,
                produced_by=PRODUCED_BY,
            )
        )

    entities.sort(key=lambda e: (e.span[0], -e.span[1]))
    out: list[Entity] = []
    for e in entities:
        if out and e.span[0] < out[-1].span[1]:
            continue
        out.append(e)
    return tuple(out)
