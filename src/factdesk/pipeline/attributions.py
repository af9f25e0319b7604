"""Attribution: who said a piece of content, by what cue, and through whom.

``find_attributions(doc)`` reads one parsed document and returns every attribution in it as
:class:`~factdesk.records.Attribution` records. It works on the dependency parse, one sentence at
a time, with a curated cue lexicon; quotation marks are located once per document so that
quotations spanning several sentences or paragraphs are followed.

Constructions handled (examples are our own):

- a speech or reporting verb with a subject and a clausal complement: "The mayor said (that) the
  bridge would reopen", "Officials told reporters the talks had stalled", "He has warned that…";
- the inverted and parenthetical forms of direct speech: "“We will not stop,” she said.",
  "“…,” said Ana Ruiz, a nurse.", "“We will,” she said, “rebuild.”", "The plan, he said, will
  fail.";
- a verb whose object or infinitive is the content: "X called for a ceasefire", "X urged Europe
  to act", "X denied the report", "X vowed to appeal";
- "according to X, …" and "…, according to X" (content: the rest of the clause);
- reporting nouns as subjects: "A statement from the ministry said…", "Reports from TASS …
  confirm…" (speaker: the ministry, TASS);
- relay chains: "TASS, citing the ministry's press service, reported…", "Reuters, quoting two
  officials, said…", "according to AP, which cited a police spokesman", and a report nested in a
  report ("The agency reported that the ministry said…"): the speaker is the original source and
  ``via`` lists the intermediaries from the one nearest the speaker outwards;
- "X was quoted as saying…";
- quotations that run over several sentences or paragraphs, and quotation-only sentences that
  continue the previous speaker's quotation ("“A,” she said. “B.”");
- headline attributions "Name: content".

Pronoun and descriptive speakers ("she", "they", "the minister", the relative "who") are resolved
to the most recent compatible named speaker or person in the document: ``speaker`` is the name as
written at that earlier mention, ``speaker_key`` its canonical key, and ``speaker_span`` the span
of the pronoun in the attributing sentence. An unresolvable pronoun is kept as written.

Attributions found inside another attribution's direct quotation are not reported (they are the
quoted speaker's own hedges: "“I think we will win,” he said"). Sentences without an attribution
produce nothing.

:func:`polnear_spans` renders the same extraction with the span conventions of the PolNeAR
corpus (the full source phrase with appositives, discontinuous content fragments, the outermost
attribution of a nested pair), for the benchmark in ``factdesk.bench.attribution``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from factdesk.pipeline.entities import canonical_key
from factdesk.records import Attribution, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["PRODUCED_BY", "AttributionSpans", "find_attributions", "polnear_spans"]

PRODUCED_BY = "attributions.v1"

TokSpan = tuple[int, int]
"""A half-open ``[start, end)`` range of token indices."""

# --------------------------------------------------------------------------------------------
# Cue lexicon. Lemmas, as spaCy's English lemmatizer produces them. The lists were curated from
# newswire usage and checked against the PolNeAR training split: a lemma is listed only where
# the construction it licenses is an attribution most of the time (for example "think" is left
# out of the object list: "X thinks the plan" is not reported content).
# --------------------------------------------------------------------------------------------

def _words(text: str) -> frozenset[str]:
    """A lexicon from whitespace-separated words (keeps the lists below readable)."""
    return frozenset(text.split())


#: Verbs of saying, writing and reporting: a clausal complement ("said that …", "said …") or an
#: adjacent direct quotation is their content.
SPEECH_VERBS = _words(
    """
    acknowledge add admit advise advocate agree allege announce answer argue ask assert assure
    blog boast brag calculate caution chant charge chide claim clarify comment complain concede
    conclude concur confirm contend continue counsel counter cry declare demand deny describe
    disclose dispute elaborate email emphasise emphasize estimate exclaim explain find forecast
    fume groan guarantee gush highlight hint imply indicate inform insist interject joke lament
    learn maintain mention mock muse note object observe order plead pledge point posit post
    predict preach proclaim project promise propose protest question quip rant read reassure
    recall recommend recount reiterate remark repeat reply report respond retort reveal rule
    say scream shout show sigh signal snap specify speculate state stipulate stress suggest
    surmise swear tell testify text theorize threaten thunder tout tweet underscore urge vow
    warn whisper wonder write yell accuse notify characterize portray
    """
)

#: Verbs of belief and expectation: only a finite clause ("believes that …") is their content.
#: "feel" and "hear" are left out: in news they mostly report sensations and hearsay tokens
#: ("I hear you") that the PolNeAR annotators did not mark.
COGNITION_VERBS = _words(
    """
    anticipate assume bet believe consider doubt expect fear figure hope know presume realize
    reckon recognize sense suppose suspect think trust understand worry
    """
)

#: Verbs whose noun-phrase object is the content ("denied the report", "criticized the plan").
#: Only verbs of saying and of taking a position: verbs that are also physical actions
#: ("attacked the city", "defended the town", "ordered troops", "supported Ukraine with
#: weapons", "vetoed the bill") are left out even though PolNeAR marks some of their uses,
#: because a sentence about an action must stay the outlet's own assertion. "back",
#: "address", "challenge" and "unveil" were left out too: on the PolNeAR training split their
#: objects are marked as content less than 40% of the time.
OBJECT_VERBS = _words(
    """
    accuse acknowledge admit announce applaud ask blame blast characterize chide cite concede
    condemn confirm criticise criticize decry demand denounce deny deride describe disclose
    dismiss dispute emphasize endorse estimate fault forecast highlight insist lambaste lament
    mention mock oppose pledge portray praise predict promise propose question quote rebuke
    recall recommend reiterate reject repeat report reveal ridicule scold slam stress suggest
    tout tweet underscore urge voice warn
    """
)

#: Verbs whose infinitival complement is the content ("vowed to appeal", "urged Europe to act").
INFINITIVE_VERBS = _words(
    """
    advise agree ask beg challenge dare decline demand encourage expect hope implore intend
    offer order persuade plan pledge press promise propose push refuse request resolve seek
    swear tell threaten urge vow want warn
    """
)

#: Verbs whose object is named or described in a second complement: "called the plan a
#: disaster", "described the vote as a test" (the object and the description are the content).
NAMING_VERBS = frozenset({"call", "label", "brand", "dub", "term"})
#: Verbs that take the content as an object followed by "as …": "sees the vote as a test".
AS_VERBS = frozenset({"see", "view", "regard", "describe", "characterize", "portray", "cast"})

#: Verb + preposition (or particle) cues; the preposition's object is the content.
PREP_CUES: dict[str, frozenset[str]] = {
    "call": frozenset({"for", "on"}),
    "point": frozenset({"to", "out"}),
    "refer": frozenset({"to"}),
    "talk": frozenset({"about"}),
    "speak": frozenset({"about", "of"}),
    "warn": frozenset({"of", "against", "about"}),
    "argue": frozenset({"for", "against"}),
    "complain": frozenset({"about", "of"}),
    "boast": frozenset({"about", "of"}),
    "brag": frozenset({"about"}),
    "rail": frozenset({"against"}),
    "push": frozenset({"for"}),
    "press": frozenset({"for"}),
    "advocate": frozenset({"for"}),
    "plead": frozenset({"for"}),
    "lobby": frozenset({"for"}),
    "campaign": frozenset({"for", "against"}),
    "apologize": frozenset({"for"}),
    "apologise": frozenset({"for"}),
    "comment": frozenset({"on"}),
    "ask": frozenset({"about", "for"}),
    "hint": frozenset({"at"}),
    "allude": frozenset({"to"}),
    "insist": frozenset({"on"}),
    "testify": frozenset({"about"}),
    "joke": frozenset({"about"}),
    "lash": frozenset({"out"}),
}

#: Light verbs whose object noun carries the cue: "expressed concern that …", "voiced support
#: for …", "raised doubts about …". The cue runs from the verb to the noun (and preposition).
LIGHT_VERBS = frozenset({"express", "voice", "raise", "register", "signal"})

#: Nouns that carry a cue with their possessor as the source: "Trump's claim that …", "her
#: calls for …", "a warning by the ministry that …"; also the object of a light verb ("made the
#: claim that …", "issued a warning that …").
NOUN_CUES = _words(
    """
    accusation admission allegation announcement appeal argument assertion assessment belief
    call charge claim comment complaint contention criticism demand denial estimate insistence
    plea pledge prediction promise proposal recommendation remark statement suggestion
    testimony threat vow warning
    """
)

#: Light verbs that take a cue noun: "made the claim that …", "issued a warning that …".
NOUN_LIGHT_VERBS = frozenset({"make", "issue", "renew", "repeat", "reiterate", "echo", "level"})

#: Verbs that pass on what another source said ("TASS, citing the ministry", "quoting officials").
RELAY_VERBS = frozenset({"cite", "quote"})

#: Nouns naming a statement or a report: as a subject they stand for their issuer
#: ("A statement from the ministry said …" -> the ministry).
REPORT_NOUNS = frozenset(
    {
        "statement", "report", "release", "memo", "letter", "email", "tweet", "post",
        "filing", "document", "study", "survey", "poll", "analysis", "data", "figure",
        "record", "estimate", "review", "audit", "investigation", "ruling", "complaint",
        "lawsuit", "indictment", "briefing", "announcement", "communique", "transcript",
        "readout", "notice", "bulletin", "dispatch", "account", "assessment", "message",
        "video", "interview", "testimony",
    }
)

#: Pronouns that need an antecedent, with the kind of antecedent they take.
_PERSONAL = {"he": "m", "him": "m", "she": "f", "her": "f"}
_PLURAL = frozenset({"they", "them"})
_RELATIVE = frozenset({"who", "which", "that", "whom"})
_FIRST_SECOND = frozenset({"i", "we", "you", "me", "us"})

#: Titles that a definite description ("the minister said") can resolve through.
_TITLES = frozenset(
    {
        "minister", "president", "senator", "governor", "spokesman", "spokeswoman",
        "spokesperson", "secretary", "chairman", "chairwoman", "chair", "candidate",
        "nominee", "mayor", "congressman", "congresswoman", "lawmaker", "leader", "chief",
        "director", "ambassador", "general", "prosecutor", "judge", "attorney", "lawyer",
        "adviser", "advisor", "aide", "official", "commissioner", "premier", "chancellor",
        "ceo", "founder", "executive", "representative", "sheriff", "commander", "officer",
        "strategist", "analyst", "economist", "professor", "researcher", "author",
        "diplomat", "envoy", "negotiator", "campaign", "ministry", "agency", "company",
        "government", "department", "alliance", "organization", "organisation", "group",
        "party", "committee", "council", "court", "police", "white house", "kremlin",
    }
)

_MALE_WORDS = frozenset(
    {
        "mr.", "mr", "he", "him", "his", "spokesman", "chairman", "congressman", "businessman",
        "father", "husband", "son", "brother", "king", "prince", "sir", "lord", "uncle",
        "grandfather", "boyfriend", "man", "boy",
    }
)
_FEMALE_WORDS = frozenset(
    {
        "mrs.", "mrs", "ms.", "ms", "miss", "she", "her", "spokeswoman", "chairwoman",
        "congresswoman", "businesswoman", "mother", "wife", "daughter", "sister", "queen",
        "princess", "madam", "lady", "aunt", "grandmother", "girlfriend", "woman", "girl",
    }
)

_OPEN_QUOTES = frozenset({"“", "``", "„", "«"})
_CLOSE_QUOTES = frozenset({"”", "»"})
_AMBIGUOUS_QUOTES = frozenset({'"', "''"})
_QUOTE_MARKS = _OPEN_QUOTES | _CLOSE_QUOTES | _AMBIGUOUS_QUOTES | {"‘", "’", "'"}

_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
_EXPLETIVES = frozenset({"it", "there"})
#: Punctuation stripped from the edges of a content or source span (quotation marks are kept).
_EDGE_PUNCT = frozenset({",", ".", ";", ":", "—", "–", "-", "--", "(", ")", "…", "..."})


@dataclass(frozen=True, slots=True)
class AttributionSpans:
    """One attribution as character spans, in the span conventions of the PolNeAR corpus.

    ``source`` is None for an attribution without a source; ``content`` holds one span per
    contiguous fragment (a parenthetical "she said" splits the content in two).
    """

    source: Span | None
    cue: Span
    content: tuple[Span, ...]


@dataclass(slots=True)
class _Found:
    """An attribution under construction; all spans are token spans."""

    head: int  # the cue's head token
    cue: TokSpan
    content: list[TokSpan]
    source: TokSpan | None  # the full source phrase ("Ana Ruiz, a nurse,")
    speaker: TokSpan | None  # the speaker mention ("Ana Ruiz", "she", "who")
    quote: str
    kind: str
    antecedent: int | None = None  # for relative pronouns: the noun they stand for
    via: list[TokSpan] = field(default_factory=list)  # nearest to the speaker first
    relays: list[tuple[TokSpan, TokSpan]] = field(default_factory=list)  # (relay cue, object)
    resolved: str | None = None  # the name a pronoun speaker was resolved to
    continued: list[int] = field(default_factory=list)  # content fragments that continue a quote
    record_cue: TokSpan | None = None  # a wider cue for the records ("told reporters")


class _Context:
    """Per-document indexes: sentences, paragraphs and quotation regions."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        n = len(doc)
        self.n = n
        self.para = [0] * n
        self.seg = [0] * n
        self.segments: list[TokSpan] = []
        para = 0
        for sent in doc.sents:
            start = sent.start
            for i in range(sent.start, sent.end):
                tok = doc[i]
                if tok.is_space and "\n" in tok.text:
                    if i > start:
                        self.segments.append((start, i))
                    start = i + 1
                    para += 1
                    self.para[i] = para - 1
                    self.seg[i] = len(self.segments) - 1 if self.segments else 0
                    continue
                self.para[i] = para
                self.seg[i] = len(self.segments)
            if sent.end > start:
                self.segments.append((start, sent.end))
        # Quotation regions, token spans including the marks; None outside any region.
        self.region: list[int | None] = [None] * n
        self.regions: list[TokSpan] = []
        self._find_quotes()

    # -- quotations -------------------------------------------------------------------------
    def _find_quotes(self) -> None:
        doc = self.doc
        open_at: int | None = None
        single_at: int | None = None
        para_start = 0
        for i in range(self.n):
            tok = doc[i]
            text = tok.text
            if tok.is_space and "\n" in text:
                if open_at is not None:  # a quotation running on into the next paragraph
                    self._add_region(open_at, i)
                open_at = None
                single_at = None
                para_start = i + 1
                continue
            if text in _OPEN_QUOTES:
                if open_at is not None:
                    self._add_region(open_at, i)
                open_at = i
            elif text in _CLOSE_QUOTES:
                if open_at is not None:
                    self._add_region(open_at, i + 1)
                    open_at = None
                elif i > para_start and self._closes(i):
                    # The end of a quotation opened in an earlier paragraph.
                    self._add_region(para_start, i + 1)
            elif text in _AMBIGUOUS_QUOTES:
                if open_at is None:
                    if i > para_start and self._closes(i) and not self._opens(i):
                        self._add_region(para_start, i + 1)
                    else:
                        open_at = i
                else:
                    self._add_region(open_at, i + 1)
                    open_at = None
            elif text == "‘" and open_at is None:
                single_at = i
            elif text == "’" and single_at is not None and open_at is None:
                # A closing single quotation mark (an apostrophe is part of its word's token).
                self._add_region(single_at, i + 1)
                single_at = None
        if open_at is not None:
            self._add_region(open_at, self.n)

    def _closes(self, i: int) -> bool:
        """Whether an ambiguous mark reads as closing: glued to the word or stop before it."""
        doc = self.doc
        previous = doc[i - 1]
        return not previous.whitespace_ and not previous.is_space

    def _opens(self, i: int) -> bool:
        """Whether an ambiguous mark reads as opening: glued to the word after it."""
        doc = self.doc
        tok = doc[i]
        return not tok.whitespace_ and i + 1 < self.n and not doc[i + 1].is_punct

    def _add_region(self, start: int, end: int) -> None:
        while end > start + 1 and self.doc[end - 1].is_space:
            end -= 1
        if end - start < 3:
            return
        index = len(self.regions)
        self.regions.append((start, end))
        for i in range(start, end):
            if self.region[i] is None:
                self.region[i] = index

    def is_speech(self, index: int) -> bool:
        """Whether a quotation region looks like quoted speech rather than a scare quote."""
        start, end = self.regions[index]
        doc = self.doc
        words = 0
        has_verb = False
        for i in range(start + 1, end):
            tok = doc[i]
            if tok.is_punct or tok.is_space:
                continue
            words += 1
            if tok.pos_ in ("VERB", "AUX"):
                has_verb = True
        return (words >= 2 and has_verb) or words >= 6


# ------------------------------------------------------------------------------------------------
# Small helpers on token spans
# ------------------------------------------------------------------------------------------------


def _subtree(tok: Token) -> TokSpan:
    return tok.left_edge.i, tok.right_edge.i + 1


def _is_quote(tok: Token) -> bool:
    return tok.text in _QUOTE_MARKS


def _trim(doc: Doc, span: TokSpan, *, keep_quotes: bool = True) -> TokSpan:
    """Strip whitespace and edge punctuation (keeping quotation marks) from a token span."""
    start, end = span
    while start < end:
        tok = doc[start]
        if tok.is_space or tok.text in _EDGE_PUNCT or (not keep_quotes and _is_quote(tok)):
            start += 1
        else:
            break
    while end > start:
        tok = doc[end - 1]
        if tok.is_space or tok.text in _EDGE_PUNCT or (not keep_quotes and _is_quote(tok)):
            end -= 1
        else:
            break
    return start, end


def _source_phrase(doc: Doc, tok: Token) -> TokSpan:
    """The whole source phrase of a subject, as PolNeAR marks it.

    The phrase keeps its appositives and relative clauses and the comma that closes them
    ("Ana Ruiz, a nurse, said"), and drops a leading dateline ("KYIV — Officials said") and
    a leading conjunction.
    """
    start, end = tok.left_edge.i, tok.right_edge.i + 1
    # A dateline: capitalised words and a dash before the subject proper.
    for i in range(start, min(tok.i, start + 6)):
        if doc[i].text in ("--", "—", "-", "–") and all(
            t.is_upper or t.is_punct or t.text == "," for t in doc[start:i]
        ):
            start = i + 1
            break
    while start < end and (
        doc[start].is_space
        or doc[start].is_punct
        or doc[start].dep_ == "cc"
        or doc[start].lower_ in ("but", "and", "so", "yet")
    ) and start < tok.i:
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].text in ("-", "—", "--", ":")):
        end -= 1
    has_comma = any(doc[i].text == "," for i in range(start, end - 1))
    if doc[end - 1].text == "," and not has_comma:
        end -= 1
    elif has_comma and doc[end - 1].text != "," and end < len(doc) and doc[end].text == ",":
        # The comma closing an appositive ("Ana Ruiz, a nurse, said").
        if end + 1 < len(doc) and doc[end + 1].head.i == tok.head.i:
            end += 1
    if doc[end - 1].text in (".", ";") and end - 1 > tok.i:
        end -= 1
    # An opening parenthesis without its closing one: "(R-Wis.)" split oddly.
    depth = sum(1 for i in range(start, end) if doc[i].text == "(") - sum(
        1 for i in range(start, end) if doc[i].text == ")"
    )
    if depth > 0 and end < len(doc) and doc[end].text == ")":
        end += 1
    return start, end


#: Discourse openers that PolNeAR leaves out of a content span ("However, …").
_DISCOURSE = frozenset(
    {
        "however", "still", "meanwhile", "nevertheless", "nonetheless", "moreover",
        "furthermore", "instead", "yet", "also", "indeed", "besides", "but", "and", "so",
        "in fact", "in addition", "even so", "in all", "by contrast", "of course", "in short",
        "as a result", "at the same time", "in other words", "for example", "for instance",
    }
)


def _balanced(doc: Doc, start: int, end: int) -> bool:
    """Whether the parentheses in a token span pair up."""
    depth = 0
    for i in range(start, end):
        if doc[i].text == "(":
            depth += 1
        elif doc[i].text == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _trim_content(ctx: _Context, span: TokSpan) -> TokSpan:
    """Trim a content span: edge punctuation goes, except inside a closing quotation."""
    doc = ctx.doc
    start, end = span
    while True:
        before = start
        while start < end:
            tok = doc[start]
            if tok.text == "(" and _balanced(doc, start, end):
                break
            if tok.is_space or tok.text in _EDGE_PUNCT or tok.dep_ == "cc" and start < end - 1:
                start += 1
            else:
                break
        # A dateline ("WASHINGTON — …") or a discourse opener ("However, …").
        for width in (1, 2, 3, 4):
            if start + width >= end:
                break
            follow = doc[start + width].text
            words = doc[start : start + width]
            if follow in ("—", "―", "--", "–", "-") and all(
                t.is_upper or t.is_punct for t in words
            ):
                start += width + 1
                break
            if follow == "," and words.text.lower() in _DISCOURSE:
                start += width + 1
                break
        if start == before:
            break
    # A stray closing mark at the start belongs to an earlier quotation.
    while start < end and doc[start].text in _CLOSE_QUOTES:
        start += 1
    while end > start:
        tok = doc[end - 1]
        if tok.text == ")" and _balanced(doc, start, end):
            break  # a parenthesis closed inside the content stays
        if tok.is_space or tok.text in _EDGE_PUNCT:
            end -= 1
        elif _is_quote(tok) and ctx.region[end - 1] is None:
            end -= 1  # an unmatched mark
        elif tok.text in ("?", "!") and ctx.region[end - 1] is None and end - 1 > start and (
            doc[start].text not in _OPEN_QUOTES | _AMBIGUOUS_QUOTES
        ):
            end -= 1
        else:
            break
    # An unmatched opening mark at the start with no quotation after it.
    if start < end and doc[start].text in _OPEN_QUOTES and ctx.region[start] is None:
        start += 1
    return start, end


def _snap_to_quotes(ctx: _Context, span: TokSpan, cue: int) -> TokSpan:
    """Widen a content span to the quotation marks of the quotations at its edges.

    A span that starts inside a quotation starts at its opening mark (the parse hangs a
    several-sentence quotation on its last sentence), and one that ends where only punctuation
    is left before the closing mark ends at that mark. A quotation that also contains the cue
    is left alone (the cue is inside quoted speech).
    """
    doc = ctx.doc
    start, end = span
    candidates: list[int] = []
    for i in (start - 1, start, end - 1, end):
        if 0 <= i < ctx.n:
            index = ctx.region[i]
            if index is not None and index not in candidates:
                candidates.append(index)
    for index in candidates:
        r_start, r_end = ctx.regions[index]
        if r_start <= cue < r_end or r_end <= start - 1 or r_start > end:
            continue
        if r_start == start - 1 or r_start < start < r_end:
            start = r_start
        if start <= r_start < end or r_start == start:
            if end < r_end and all(doc[j].is_punct or doc[j].is_space for j in range(end, r_end)):
                end = r_end
    return start, end


def _minus(span: TokSpan, holes: Iterable[TokSpan]) -> list[TokSpan]:
    """Split a span around the holes cut out of it."""
    parts = [span]
    for h_start, h_end in sorted(holes):
        out: list[TokSpan] = []
        for start, end in parts:
            if h_end <= start or h_start >= end:
                out.append((start, end))
                continue
            if h_start > start:
                out.append((start, h_start))
            if h_end < end:
                out.append((h_end, end))
        parts = out
    return parts


# ------------------------------------------------------------------------------------------------
# Sources and speakers
# ------------------------------------------------------------------------------------------------


def _is_passive(tok: Token) -> bool:
    return any(c.dep_ == "auxpass" for c in tok.children)


def _agent(tok: Token) -> Token | None:
    for child in tok.children:
        if child.dep_ == "agent":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    return None


def _subject(tok: Token) -> tuple[Token | None, bool]:
    """Find the source token for a cue verb.

    Returns the subject (or agent) token and whether the attribution is deliberately
    source-less (a passive "it was reported that …" without an agent).
    """
    current = tok
    for _ in range(5):
        for child in current.children:
            if child.dep_ not in _SUBJECT_DEPS:
                continue
            if child.dep_ == "nsubjpass" and current.i == tok.i:
                # "X was told that …" names the hearer; the agent, if any, is the source.
                if tok.lemma_ == "quote":
                    return child, False
                return _agent(tok), True
            if child.lower_ in _EXPLETIVES and child.dep_ != "nsubj":
                return None, True
            return child, False
        dep = current.dep_
        head = current.head
        if head.i == current.i:
            break
        if dep in ("conj", "xcomp", "advcl") and head.pos_ in ("VERB", "AUX"):
            current = head
            continue
        if dep == "pcomp" and head.lower_ == "as" and head.head.pos_ == "VERB":
            current = head.head  # "was quoted as saying"
            continue
        break
    return None, False


def _core_np(doc: Doc, tok: Token) -> TokSpan:
    """The speaker mention inside a noun phrase: the name without appositives or clauses."""
    start = tok.left_edge.i
    end = tok.i + 1
    for child in tok.rights:
        if child.dep_ == "case":
            break  # the possessive marker: "the ministry['s]"
        if child.dep_ in ("appos", "relcl", "acl", "advcl", "parataxis", "punct", "cc", "conj"):
            no_comma = not any(doc[j].is_punct for j in range(end, child.left_edge.i))
            if child.dep_ in ("cc", "conj") and no_comma:
                end = child.right_edge.i + 1
                continue
            if child.dep_ == "appos" and no_comma and child.pos_ == "PROPN":
                end = child.right_edge.i + 1  # a close apposition: "the news agency TASS"
                continue
            break
        if any(doc[j].text in (",", "(", "—") for j in range(end, child.left_edge.i)):
            break
        end = child.right_edge.i + 1
    start, end = _trim(doc, (start, end), keep_quotes=False)
    if end <= start:
        return tok.i, tok.i + 1
    # Prefer a name in apposition to a bare title: "the group's spokesman, Ana Ruiz, said".
    if tok.pos_ == "NOUN" and not tok.ent_type_:
        for child in tok.rights:
            if child.dep_ == "appos" and child.ent_type_ == "PERSON":
                return _core_np(doc, child)
    return start, end


def _issuer(tok: Token) -> Token | None:
    """The issuer of a report noun: "a statement from X", "X's statement", "reports by X"."""
    for child in tok.children:
        if child.dep_ == "poss" and child.lower_ not in ("its", "their"):
            return child
        if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
            for grand in child.children:
                if grand.dep_ == "pobj" and grand.lemma_.lower() not in REPORT_NOUNS:
                    return grand
    for child in tok.children:
        if child.dep_ == "acl" and child.lemma_ in ("issue", "release", "publish"):
            agent = _agent(child)
            if agent is not None:
                return agent
    return None


# ------------------------------------------------------------------------------------------------
# The cue span
# ------------------------------------------------------------------------------------------------


def _cue_span(doc: Doc, tok: Token, extra: Iterable[int] = ()) -> TokSpan:
    """The cue words around a cue verb: auxiliaries, negation, adjacent adverbs, particles."""
    start = tok.i
    end = tok.i + 1
    for child in tok.lefts:
        if child.dep_ in ("aux", "auxpass", "neg") and tok.i - child.i <= 4:
            start = min(start, child.i)
    # Adverbs directly in front of the verb or between its auxiliaries ("has also said").
    while start > 0:
        prev = doc[start - 1]
        if prev.head.i == tok.i and prev.dep_ in ("advmod", "neg", "aux") and prev.pos_ in (
            "ADV",
            "PART",
            "AUX",
        ) and not prev.is_punct and prev.lower_ not in ("when", "where", "how", "why"):
            start -= 1
        else:
            break
    for child in tok.rights:
        if child.dep_ == "prt" and child.i == end:
            end = child.i + 1
    for i in extra:
        start = min(start, i)
        end = max(end, i + 1)
    return start, end


def _statement_pp(doc: Doc, tok: Token) -> int | None:
    """The end of "in a statement" right after a cue verb, which the cue includes."""
    i = tok.i + 1
    if i + 2 < len(doc) and doc[i].lower_ == "in" and doc[i].head.i == tok.i:
        if doc[i + 1].lower_ in ("a", "the") and doc[i + 2].lower_ == "statement":
            return i + 2
        if doc[i + 1].lower_ == "statement":
            return i + 1
    return None


# ------------------------------------------------------------------------------------------------
# Extraction
# ------------------------------------------------------------------------------------------------


def _verb_found(ctx: _Context, tok: Token) -> _Found | None:
    """An attribution headed by a cue verb, from its dependents."""
    doc = ctx.doc
    lemma = _lemma(tok)
    is_speech = lemma in SPEECH_VERBS
    is_cognition = lemma in COGNITION_VERBS
    content: list[TokSpan] = []
    cue_extra: list[int] = []
    kind = ""
    children = list(tok.children)
    ccomps = [c for c in children if c.dep_ == "ccomp"]
    if (is_speech or is_cognition) and ccomps:
        for comp in ccomps:
            content.append(_subtree(comp))
        kind = "ccomp"
    if not content and lemma in NAMING_VERBS:
        # "called the plan a disaster", "called the plan “a disaster”": the object and what
        # it is called (a bare object is a phone call).
        objects = [c for c in children if c.dep_ == "dobj" and c.i > tok.i]
        if objects and not any(c.dep_ == "prt" for c in children):
            obj = objects[0]
            predicates = [
                c
                for c in children
                if c.dep_ in ("oprd", "xcomp", "attr", "acomp", "ccomp") and c.i > obj.i
            ]
            start, end = _subtree(obj)
            if predicates:
                end = max(end, predicates[0].right_edge.i + 1)
            if predicates or any(ctx.region[i] is not None for i in range(start, end)) or any(
                c.dep_ == "nmod" and c.i < obj.i for c in obj.children
            ):
                content.append((start, end))
                kind = "dobj"
    if not content and lemma in AS_VERBS:
        # "sees the vote as a test of the alliance".
        objects = [c for c in children if c.dep_ == "dobj" and c.i > tok.i]
        as_phrases = [c for c in children if c.dep_ == "prep" and c.lower_ == "as"]
        if objects and as_phrases and as_phrases[0].i > objects[0].i:
            content.append((objects[0].left_edge.i, as_phrases[0].right_edge.i + 1))
            kind = "dobj"
    if not content and (lemma in LIGHT_VERBS or lemma in NOUN_LIGHT_VERBS):
        # "expressed concern that …", "voiced support for …", "made the claim that …".
        for obj in children:
            if obj.dep_ != "dobj" or obj.pos_ != "NOUN" or obj.i < tok.i:
                continue
            if lemma not in LIGHT_VERBS and obj.lemma_.lower() not in NOUN_CUES:
                continue
            for grand in obj.children:
                if grand.i < obj.i:
                    continue
                if grand.dep_ in ("acl", "ccomp", "relcl") and any(
                    m.dep_ == "mark" and m.lower_ == "that" for m in grand.children
                ) or grand.dep_ == "acl" and any(m.dep_ == "aux" for m in grand.children):
                    cue_extra.append(obj.i)
                    content.append(_subtree(grand))
                elif grand.dep_ == "prep" and grand.i == obj.i + 1 and grand.lower_ in (
                    "about", "over", "for", "with", "at", "in", "of", "that"
                ):
                    pobj = [g for g in grand.children if g.dep_ in ("pobj", "pcomp")]
                    if pobj:
                        cue_extra.append(grand.i)
                        content.append((pobj[0].left_edge.i, pobj[0].right_edge.i + 1))
                if content:
                    kind = "light"
                    break
            break
    if not content and lemma in PREP_CUES:
        preps = PREP_CUES[lemma]
        # "called for Europe to act": spaCy makes "for" the marker of the clause.
        for child in children:
            if child.dep_ in ("advcl", "ccomp", "xcomp") and child.i > tok.i:
                marks = [g for g in child.children if g.dep_ == "mark" and g.lower_ in preps]
                if marks and marks[0].i == tok.i + 1:
                    cue_extra.append(marks[0].i)
                    content.append((marks[0].i + 1, child.right_edge.i + 1))
                    kind = "prep"
                    break
    if not content and lemma in PREP_CUES:
        preps = PREP_CUES[lemma]
        for child in children:
            if child.dep_ in ("prep", "prt") and child.lower_ in preps and child.i > tok.i:
                objects = [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
                if child.dep_ == "prt":
                    objects = [c for c in children if c.dep_ in ("dobj", "ccomp") and c.i > child.i]
                if objects:
                    cue_extra.append(child.i)
                    first = min(o.left_edge.i for o in objects)
                    last = max(o.right_edge.i for o in objects)
                    # "called on X to resign": the infinitive belongs to the content.
                    for c in children:
                        if c.dep_ in ("xcomp", "ccomp") and c.i > last:
                            last = c.right_edge.i
                    content.append((first, last + 1))
                    kind = "prep"
                    break
    if not content and lemma in INFINITIVE_VERBS:
        for child in children:
            if child.dep_ == "xcomp" and child.i > tok.i:
                start = child.left_edge.i
                # "urged Europe to act": the object is part of the content, except the hearer
                # of "told her to call" (on PolNeAR, "asked" keeps it two times in three).
                objects = [
                    c for c in children if c.dep_ == "dobj" and tok.i < c.i < child.i
                ]
                if objects and lemma != "tell":
                    start = objects[0].left_edge.i
                content.append((start, child.right_edge.i + 1))
                kind = "xcomp"
                break
    if not content and lemma in OBJECT_VERBS:
        for child in children:
            if child.dep_ == "dobj" and child.i > tok.i:
                start, end = _subtree(child)
                # The complements that follow the object belong to it: "accused him of
                # sexism", "described Clinton as a lifetime politician". Times do not.
                for other in children:
                    if other.i < end or other.left_edge.i != end:
                        continue
                    if other.dep_ not in ("prep", "oprd", "acomp", "xcomp", "advcl", "ccomp"):
                        break
                    if other.dep_ == "prep" and any(
                        g.ent_type_ in ("DATE", "TIME") for g in other.children
                    ):
                        break
                    end = other.right_edge.i + 1
                content.append((start, end))
                kind = "dobj"
                break
    if not content and is_speech and tok.dep_ == "parataxis":
        # "The plan, she said, will fail.": the content is the clause around the cue.
        head = tok.head
        content.extend(_minus(_subtree(head), [_subtree(tok)]))
        kind = "parataxis"
    if not content:
        return None
    # The content must not swallow the cue.
    content = [c for part in content for c in _minus(part, [(tok.i, tok.i + 1)])]
    subject, sourceless = _subject(tok)
    source: TokSpan | None = None
    speaker: TokSpan | None = None
    antecedent: int | None = None
    if subject is not None:
        source = _source_phrase(doc, subject)
        if source[1] <= source[0]:
            source = (subject.i, subject.i + 1)
        speaker = _core_np(doc, subject)
        if subject.lower_ in _RELATIVE and tok.dep_ == "relcl":
            antecedent = tok.head.i
        elif subject.lemma_.lower() in REPORT_NOUNS:
            issuer = _issuer(subject)
            if issuer is not None:
                speaker = _core_np(doc, issuer)
    elif not sourceless and tok.dep_ == "acl" and tok.head.lemma_.lower() in REPORT_NOUNS:
        # "… put out a statement saying …": the statement's issuer.
        noun = tok.head
        issuer = _issuer(noun)
        if issuer is None and noun.dep_ in ("dobj", "pobj"):
            verb = noun.head if noun.dep_ == "dobj" else noun.head.head
            found, _ = _subject(verb)
            issuer = found
        if issuer is not None:
            source = _trim(doc, _subtree(issuer), keep_quotes=False)
            speaker = _core_np(doc, issuer)
    # A source phrase must not overlap the cue or the content.
    if source is not None:
        if source[0] <= tok.i < source[1]:
            source = speaker if speaker and not speaker[0] <= tok.i < speaker[1] else None
    if source is None and not sourceless and subject is None:
        # No subject at all ("Asked about it, …") is not an attribution we can place.
        if kind not in ("ccomp",) or tok.dep_ in ("ROOT",):
            return None
    end_pp = _statement_pp(doc, tok)
    if end_pp is not None:
        cue_extra.append(end_pp)
    cue = _cue_span(doc, tok, cue_extra)
    snapped = []
    for part in content:
        part = _snap_to_quotes(ctx, part, tok.i)
        part = _trim_content(ctx, part)
        if part[1] > part[0]:
            snapped.append(part)
    if not snapped:
        return None
    snapped = _merge_fragments(doc, snapped, (tok.i, tok.i + 1))
    quote = _quote_kind(ctx, snapped, kind)
    record_cue = _audience_cue(doc, tok, cue, snapped)
    found = _Found(
        head=tok.i,
        cue=cue,
        content=snapped,
        source=source,
        speaker=speaker,
        quote=quote,
        kind=kind,
        antecedent=antecedent,
        record_cue=record_cue,
    )
    _add_relays(ctx, found, tok, subject)
    return found


#: Audiences that belong to the cue in the records: "told reporters", "told a news conference".
_AUDIENCES = _words(
    """
    reporters journalists press media conference briefing audience crowd supporters
    lawmakers parliament legislators congress senators
    """
)


def _audience_cue(
    doc: Doc, tok: Token, cue: TokSpan, content: list[TokSpan]
) -> TokSpan | None:
    """ "told reporters" / "told a news conference": the cue with its generic audience.

    PolNeAR's cue stops at the verb; the records keep the audience, which says how the words
    were delivered. A named hearer ("told Reuters") is not an audience.
    """
    if _lemma(tok) not in ("tell", "brief"):
        return None
    for child in tok.children:
        if child.dep_ in ("dobj", "dative") and child.i == cue[1] or (
            child.dep_ in ("dobj", "dative") and child.left_edge.i == cue[1]
        ):
            if child.lower_ in _AUDIENCES and not any(
                s <= child.i < e for s, e in content
            ):
                return cue[0], child.right_edge.i + 1
    return None


def _merge_fragments(doc: Doc, parts: list[TokSpan], cue: TokSpan) -> list[TokSpan]:
    """Join content fragments separated only by punctuation or a conjunction."""
    parts = sorted(set(parts))
    merged: list[TokSpan] = []
    for start, end in parts:
        if merged:
            p_start, p_end = merged[-1]
            gap = range(p_end, start)
            if not (cue[0] < start and cue[1] > p_end) and all(
                doc[i].is_punct or doc[i].is_space or doc[i].dep_ == "cc" for i in gap
            ):
                merged[-1] = (p_start, max(p_end, end))
                continue
            if start < p_end:
                merged[-1] = (p_start, max(p_end, end))
                continue
        merged.append((start, end))
    return merged


def _quote_kind(ctx: _Context, content: list[TokSpan], kind: str) -> str:
    doc = ctx.doc
    if all(
        ctx.region[s] is not None
        and ctx.region[s] == ctx.region[e - 1]
        and doc[s].text in (_OPEN_QUOTES | _AMBIGUOUS_QUOTES | {"‘"})
        for s, e in content
    ):
        return "direct"
    if kind in ("dobj", "prep") and not any(
        doc[i].pos_ in ("VERB", "AUX") for s, e in content for i in range(s, e)
    ):
        return "none"
    return "indirect"


def _add_relays(ctx: _Context, found: _Found, tok: Token, subject: Token | None) -> None:
    """Follow "citing X" / "quoting X" / ", which cited X" to the original source."""
    doc = ctx.doc
    anchors = [tok]
    if subject is not None:
        anchors.append(subject)
        anchors.extend(c for c in subject.children if c.dep_ == "appos")
    for anchor in anchors:
        for child in anchor.children:
            if child.lemma_ not in RELAY_VERBS or child.dep_ not in ("advcl", "acl", "relcl"):
                continue
            if child.dep_ != "relcl" and child.tag_ != "VBG":
                continue
            objects = [g for g in child.children if g.dep_ == "dobj"]
            if not objects:
                continue
            obj = objects[0]
            if found.speaker is not None:
                found.via.insert(0, found.speaker)
            found.speaker = _core_np(doc, obj)
            found.relays.append(((child.i, child.i + 1), _trim(doc, _subtree(obj))))
            return


def _according_found(ctx: _Context, tok: Token) -> _Found | None:
    """ "according to X, …" / "…, according to X"."""
    doc = ctx.doc
    if tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
        return None
    to = doc[tok.i + 1]
    objects = [c for c in to.children if c.dep_ == "pobj"]
    if not objects:
        return None
    obj = objects[0]
    phrase_end = max(obj.right_edge.i, to.i) + 1
    phrase = (tok.i, phrase_end)
    # The clause the phrase qualifies.
    clause = tok.head
    while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
        clause = clause.head
    seg_start, seg_end = ctx.segments[ctx.seg[tok.i]]
    c_start, c_end = _subtree(clause)
    if clause.pos_ not in ("VERB", "AUX") or not c_start <= tok.i < c_end:
        c_start, c_end = seg_start, seg_end
    c_start, c_end = max(c_start, seg_start), min(c_end, seg_end)
    parts = []
    for part in _minus((c_start, c_end), [phrase]):
        part = _snap_to_quotes(ctx, part, tok.i)
        part = _trim_content(ctx, part)
        if part[1] > part[0]:
            parts.append(part)
    if not parts:
        return None
    source = _trim(doc, (obj.left_edge.i, obj.right_edge.i + 1), keep_quotes=False)
    # A relative clause on the source ends the source phrase ("AP, which cited …").
    speaker = _core_np(doc, obj)
    found = _Found(
        head=tok.i,
        cue=(tok.i, to.i + 1),
        content=parts,
        source=source,
        speaker=speaker,
        quote=_quote_kind(ctx, parts, "according"),
        kind="according",
    )
    _add_relays(ctx, found, obj, None)
    if found.relays:
        # "according to AP, which cited a police spokesman": the source phrase is AP.
        relay_cue = found.relays[0][0][0]
        source = _trim(doc, (source[0], relay_cue), keep_quotes=False)
        while source[1] > source[0] and doc[source[1] - 1].lower_ in _RELATIVE:
            source = _trim(doc, (source[0], source[1] - 1), keep_quotes=False)
        found.source = source
    return found


def _noun_found(ctx: _Context, tok: Token) -> _Found | None:
    """A cue noun with its possessor or "by" phrase as the source: "Trump's claim that …"."""
    doc = ctx.doc
    if tok.dep_ == "dobj" and _lemma(tok.head) in LIGHT_VERBS | NOUN_LIGHT_VERBS:
        return None  # the verb's attribution ("made the claim that …")
    source_tok: Token | None = None
    content: TokSpan | None = None
    cue_end = tok.i + 1
    for child in tok.children:
        if child.dep_ == "poss" and child.i < tok.i:
            source_tok = child
        elif child.dep_ == "prep" and child.lower_ in ("by", "from") and child.i > tok.i:
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if objects and source_tok is None:
                source_tok = objects[0]
    if source_tok is None or source_tok.lower_ in ("its", "it"):
        return None
    for child in tok.children:
        if child.i < tok.i or content is not None:
            continue
        if child.dep_ in ("acl", "ccomp", "relcl") and any(
            m.dep_ == "mark" and m.lower_ == "that" for m in child.children
        ) or child.dep_ == "acl" and any(
            m.dep_ == "aux" and m.lower_ == "to" for m in child.children
        ) or child.dep_ == "ccomp":
            content = _subtree(child)
        elif (
            child.dep_ == "prep"
            and child.i == tok.i + 1
            and child.lower_ in ("for", "of", "about", "against", "on", "over", "to")
        ):
            objects = [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
            if objects:
                cue_end = child.i + 1
                content = (objects[0].left_edge.i, objects[0].right_edge.i + 1)
    if content is None:
        return None
    source = _source_phrase(doc, source_tok) if source_tok.dep_ != "poss" else (
        source_tok.left_edge.i,
        source_tok.i + 1,
    )
    cue_start = tok.i
    for child in tok.lefts:
        if child.dep_ in ("amod", "compound") and child.i > source_tok.i:
            cue_start = min(cue_start, child.i)
    part = _trim_content(ctx, _snap_to_quotes(ctx, content, tok.i))
    if part[1] <= part[0]:
        return None
    return _Found(
        head=tok.i,
        cue=(cue_start, cue_end),
        content=[part],
        source=source,
        speaker=_core_np(doc, source_tok),
        quote=_quote_kind(ctx, [part], "noun"),
        kind="noun",
    )


#: Line-initial labels that introduce a section, not a speaker.
_NOT_LABELS = frozenset(
    {
        "update", "updated", "note", "editor's note", "editor’s note", "correction", "related",
        "watch", "read more", "breaking", "exclusive", "photos", "photo", "video", "source",
        "sources", "via", "credit", "clarification", "warning", "spoiler", "disclosure", "tags",
        "topics", "filed under", "share", "email", "print", "advertisement", "live", "analysis",
        "opinion", "commentary", "review", "summary", "background", "context", "transcript",
        "key facts", "what to watch", "what changed", "bottom line", "why it matters",
    }
)


def _headline_found(ctx: _Context, seg: TokSpan) -> _Found | None:
    """ "Name: content" at the start of a line: a headline, a list item or a transcript turn.

    The label is a short proper name or an upper-case speaker label ("WALLACE:"); the content
    runs to the end of the line.
    """
    doc = ctx.doc
    start, end = seg
    while start < end and (doc[start].is_space or _is_quote(doc[start])):
        start += 1
    limit = min(end, start + 5)
    for i in range(start + 1, limit):
        if doc[i].text != ":":
            continue
        left = doc[start:i]
        if left.text.lower() in _NOT_LABELS or any(t.pos_ in ("VERB", "AUX") for t in left):
            return None
        # An interview transcript: "Q:" / "A:" / "WALLACE:".
        upper_label = all(t.is_upper and t.is_alpha for t in left) and (
            len(left[0].text) > 1 or left.text in ("Q", "A")
        )
        if not upper_label and not all(
            t.is_title or t.is_upper or t.pos_ == "PROPN" or t.lower_ in ("of", "the", "'s", "’s")
            for t in left
        ):
            return None
        line_end = end
        para = ctx.para[start]
        while line_end < ctx.n and ctx.para[line_end] == para and not doc[line_end].is_space:
            line_end += 1
        content = _trim_content(ctx, (i + 1, line_end))
        if content[1] - content[0] < 3:
            return None
        return _Found(
            head=i,
            cue=(i, i + 1),
            content=[content],
            source=(start, i),
            speaker=(start, i),
            quote="direct" if upper_label else _quote_kind(ctx, [content], "headline"),
            kind="headline",
        )
    return None


def _dash_found(ctx: _Context, region: int) -> _Found | None:
    """ "“…” — Ana Ruiz": a quotation signed with a dash and a name ending the line."""
    doc = ctx.doc
    r_start, r_end = ctx.regions[region]
    i = r_end
    if i >= ctx.n or doc[i].text not in ("—", "―", "–", "--", "-"):
        return None
    name_start = i + 1
    name_end = name_start
    while name_end < ctx.n and not doc[name_end].is_space and ctx.para[name_end] == ctx.para[i]:
        name_end += 1
    name = _trim(doc, (name_start, name_end), keep_quotes=False)
    tokens = doc[name[0] : name[1]]
    if not 1 <= len(tokens) <= 8 or not any(t.pos_ == "PROPN" for t in tokens):
        return None
    if any(t.pos_ == "VERB" for t in tokens):
        return None
    content = _trim_content(ctx, (r_start, r_end))
    return _Found(
        head=i,
        cue=(i, i + 1),
        content=[content],
        source=name,
        speaker=name,
        quote="direct",
        kind="dash",
    )


#: Lemmatizer slips of the small English model ("hopes" -> "hop").
_LEMMA_FIXES = {"hop": "hope"}


def _lemma(tok: Token) -> str:
    lemma = tok.lemma_.lower()
    if lemma in _LEMMA_FIXES and tok.lower_.startswith("hop"):
        return _LEMMA_FIXES[lemma]
    return lemma


def _is_cue_verb(tok: Token) -> bool:
    if tok.pos_ == "VERB" or (tok.tag_.startswith("VB") and tok.pos_ != "AUX"):
        lemma = _lemma(tok)
        return (
            lemma in SPEECH_VERBS
            or lemma in COGNITION_VERBS
            or lemma in OBJECT_VERBS
            or lemma in INFINITIVE_VERBS
            or lemma in PREP_CUES
            or lemma in NAMING_VERBS
            or lemma in AS_VERBS
            or lemma in LIGHT_VERBS
            or lemma in NOUN_LIGHT_VERBS
        )
    return False


def _quote_cue(ctx: _Context, region: int, taken: set[int]) -> Token | None:
    """A speech verb attributing a direct quotation that the parse did not link to it."""
    doc = ctx.doc
    r_start, r_end = ctx.regions[region]
    # After the quotation: "“…,” she said." / "“…,” said Ana Ruiz."
    if r_end < ctx.n:
        seg_index = ctx.seg[r_end - 1]
        seg_start, seg_end = ctx.segments[seg_index]
        limit = seg_end
        next_sentence = False
        if seg_end <= r_end and seg_index + 1 < len(ctx.segments):
            # "“Did it?” she asked." is split after the question mark.
            next_start, next_end = ctx.segments[seg_index + 1]
            if ctx.para[next_start] == ctx.para[r_end - 1]:
                limit = next_end
                next_sentence = True
        for i in range(r_end, min(limit, r_end + 40)):
            tok = doc[i]
            if ctx.region[i] is not None or tok.is_space:
                break
            if i - r_end > 10 and not any(
                c.dep_ == "nsubj" and r_end <= c.i < i for c in tok.children
            ):
                # Far from the quotation, only a cue whose subject fills the gap:
                # "“…,” a senior official, who asked not to be named, said."
                continue
            if tok.pos_ == "VERB" and tok.lemma_.lower() in SPEECH_VERBS:
                if next_sentence and (
                    tok.i in taken or any(c.dep_ in ("ccomp", "dobj") for c in tok.children)
                ):
                    break
                return tok
    # Before it: "She said: “…”" / "He told reporters, “…”".
    if r_start > 0:
        seg_start, seg_end = ctx.segments[ctx.seg[r_start]]
        for i in range(r_start - 1, max(seg_start - 1, r_start - 12), -1):
            tok = doc[i]
            if ctx.region[i] is not None:
                break
            if tok.pos_ == "VERB" and tok.lemma_.lower() in SPEECH_VERBS:
                between = [doc[j] for j in range(i + 1, r_start)]
                if all(
                    t.is_punct or t.is_space or t.head.i == tok.i or t.head.head.i == tok.i
                    for t in between
                ):
                    return tok
                break
    return None


def _quote_source(
    ctx: _Context, tok: Token, region: TokSpan
) -> tuple[TokSpan | None, TokSpan | None]:
    """The source of a quotation attributed by ``tok``: outside the quotation itself."""
    doc = ctx.doc
    r_start, r_end = region
    if tok.i >= r_end:
        # "“…,” Tulsa police Chief Ana Ruiz said": the words between the quotation and the cue.
        between = _trim(doc, (r_end, _cue_span(doc, tok)[0]), keep_quotes=False)
        if between[1] > between[0]:
            head = doc[between[0] : between[1]].root
            if head.pos_ in ("PROPN", "NOUN", "PRON") or head.ent_type_:
                return between, _core_np(doc, head) if head.i >= between[0] else between
    subject, _ = _subject(tok)
    if subject is None or r_start <= subject.i < r_end:
        return None, None
    return _source_phrase(doc, subject), _core_np(doc, subject)


def _extract(doc: Doc) -> tuple[_Context, list[_Found]]:
    """Every attribution in the document, before nesting and speaker resolution."""
    ctx = _Context(doc)
    found: dict[int, _Found] = {}
    for seg in ctx.segments:
        start, end = seg
        if ctx.para[start] != (ctx.para[start - 1] if start > 0 else -1) or start == 0:
            headline = _headline_found(ctx, seg)
            if headline is not None:
                found[headline.head] = headline
                continue
        for i in range(start, end):
            tok = doc[i]
            lower = tok.lower_
            if lower == "according":
                item = _according_found(ctx, tok)
            elif _is_cue_verb(tok):
                item = _verb_found(ctx, tok)
            elif tok.pos_ == "NOUN" and _lemma(tok) in NOUN_CUES:
                item = _noun_found(ctx, tok)
            else:
                continue
            if item is not None:
                found[item.head] = item
    # A relay verb ("citing X") belongs to the attribution it relays, not to one of its own.
    for item in list(found.values()):
        for relay_cue, _ in item.relays:
            found.pop(relay_cue[0], None)
    # Attributions inside quoted speech are the quoted speaker's own words.
    for item in _drop_quoted(ctx, list(found.values())):
        del found[item.head]
    # Direct quotations that no cue's content reaches.
    covered = [False] * ctx.n
    for item in found.values():
        for s, e in item.content:
            for i in range(s, e):
                covered[i] = True
    for index, (r_start, r_end) in enumerate(ctx.regions):
        if any(covered[i] for i in range(r_start, r_end)) or not ctx.is_speech(index):
            continue
        dashed = _dash_found(ctx, index)
        if dashed is not None:
            found[dashed.head] = dashed
            for i in range(r_start, r_end):
                covered[i] = True
            continue
        tok = _quote_cue(ctx, index, set(found))
        if tok is None:
            continue
        span = _trim_content(ctx, (r_start, r_end))
        if span[1] <= span[0]:
            continue
        item = found.get(tok.i)
        if item is None:
            source, speaker = _quote_source(ctx, tok, (r_start, r_end))
            if source is None:
                continue
            item = _Found(
                head=tok.i,
                cue=_cue_span(doc, tok),
                content=[],
                source=source,
                speaker=speaker,
                quote="direct",
                kind="quote",
            )
            found[tok.i] = item
        item.content.append(span)
        item.content.sort()
        if all(ctx.region[s] is not None for s, _ in item.content):
            item.quote = "direct"
        for i in range(span[0], span[1]):
            covered[i] = True
    items = sorted(found.values(), key=lambda f: (f.content[0][0], f.head))
    _continue_quotes(ctx, items, covered)
    return ctx, items


def _drop_quoted(ctx: _Context, items: list[_Found]) -> list[_Found]:
    """The attributions whose cue sits inside quoted speech (the speaker's own words)."""
    dropped = []
    for item in items:
        if item.kind == "headline":
            continue
        region = ctx.region[item.head]
        if region is not None and ctx.is_speech(region):
            dropped.append(item)
    return dropped


def _continue_quotes(ctx: _Context, items: list[_Found], covered: list[bool]) -> None:
    """Give quotation-only sentences that follow a direct quotation to the same speaker."""
    if not items:
        return
    doc = ctx.doc
    by_end = sorted(items, key=lambda f: max(e for _, e in f.content))
    for index, (r_start, r_end) in enumerate(ctx.regions):
        if any(covered[i] for i in range(r_start, r_end)) or not ctx.is_speech(index):
            continue
        seg_start, _ = ctx.segments[ctx.seg[r_start]]
        if any(not (doc[i].is_space or doc[i].is_punct) for i in range(seg_start, r_start)):
            continue  # the quotation does not open its sentence
        previous: _Found | None = None
        for item in by_end:
            if max(e for _, e in item.content) <= r_start:
                previous = item
        if previous is None or previous.quote != "direct":
            continue
        anchor = max(max(e for _, e in previous.content), previous.cue[1])
        if previous.source is not None:
            anchor = max(anchor, previous.source[1])
        if ctx.para[r_start] - ctx.para[min(anchor, ctx.n - 1)] > 1:
            continue
        # Nothing but the rest of the attributing sentence between the two quotations.
        anchor_seg = ctx.seg[min(anchor, ctx.n - 1)]
        if anchor < r_start and anchor_seg != ctx.seg[anchor - 1 if anchor else 0]:
            anchor_seg = ctx.seg[anchor - 1]
        gap_ok = True
        for i in range(anchor, r_start):
            tok = doc[i]
            if tok.is_space or tok.is_punct:
                continue
            if ctx.seg[i] != anchor_seg:
                gap_ok = False
                break
        if not gap_ok:
            continue
        span = _trim_content(ctx, (r_start, r_end))
        if span[1] <= span[0]:
            continue
        previous.content.append(span)
        previous.continued.append(len(previous.content) - 1)
        for i in range(r_start, r_end):
            covered[i] = True
        by_end = sorted(items, key=lambda f: max(e for _, e in f.content))


# ------------------------------------------------------------------------------------------------
# Nesting and speaker resolution (for the records)
# ------------------------------------------------------------------------------------------------


def _nest(items: list[_Found]) -> tuple[list[_Found], list[_Found]]:
    """Split nested attributions into the outermost ones (PolNeAR) and the records' view.

    For the records, a report nested in an indirect report becomes a relay: "The agency reported
    that the ministry said X" gives speaker "the ministry", via ("The agency",), and the outer
    attribution is dropped when its content is just the inner one.
    """
    outer: list[_Found] = []
    inner_of: dict[int, _Found] = {}
    for item in items:
        parent = None
        for other in items:
            if other is item:
                continue
            if any(s <= item.head < e for s, e in other.content):
                if parent is None or _width(other) < _width(parent):
                    parent = other
        if parent is None:
            outer.append(item)
        else:
            inner_of[id(item)] = parent
    records: list[_Found] = []
    dropped: set[int] = set()
    for item in items:
        parent = inner_of.get(id(item))
        if parent is None:
            continue
        if parent.quote == "direct" or item.quote == "none" and item.kind != "according":
            dropped.add(id(item))
            continue
        # The parent's fragment holding the inner attribution.
        fragment = next(f for f in parent.content if f[0] <= item.head < f[1])
        inner_span = (
            min([item.cue[0]] + [s for s, _ in item.content]),
            max([item.cue[1]] + [e for _, e in item.content]),
        )
        if parent.speaker is not None:
            item.via.append(parent.speaker)
            item.via.extend(parent.via)
        covered = inner_span[1] - inner_span[0]
        if len(parent.content) == 1 and covered >= 0.6 * (fragment[1] - fragment[0]):
            dropped.add(id(parent))
    for item in items:
        if id(item) not in dropped:
            records.append(item)
    return outer, records


def _width(item: _Found) -> int:
    return sum(e - s for s, e in item.content)


@dataclass(slots=True)
class _Mention:
    """A possible antecedent for a pronoun or a descriptive speaker."""

    index: int  # head token
    seg: int
    text: str
    kind: str  # PERSON | ORG | PLURAL | OTHER
    gender: str | None
    phrase: frozenset[str]  # lower-cased words of the whole phrase, for title matches
    is_subject: bool
    is_named: bool


#: Honorifics and titles that may precede a name inside a person mention.
_HONORIFICS = _words(
    """
    mr. mrs. ms. miss dr. prof. sen. rep. gov. gen. lt. col. capt. sgt. adm. president
    senator governor minister secretary judge justice mayor chancellor premier ambassador
    representative congressman congresswoman pope king queen prince princess sir dame lord
    """
)

#: Common nouns naming people: a speaker headed by one is a candidate for "he"/"she".
_PERSON_NOUNS = _words(
    """
    minister president senator governor spokesman spokeswoman spokesperson secretary chairman
    chairwoman candidate nominee mayor congressman congresswoman lawmaker leader chief director
    ambassador general prosecutor judge attorney lawyer adviser advisor aide official
    commissioner premier chancellor ceo founder executive representative sheriff commander
    officer strategist analyst economist professor researcher author diplomat envoy negotiator
    man woman doctor nurse teacher witness resident farmer soldier worker activist pastor
    priest bishop pope king queen prince princess father mother son daughter husband wife
    """
)

#: Nouns naming organisations: a speaker headed by one is a candidate for "it"/"they".
_ORG_NOUNS = _words(
    """
    ministry agency government company department alliance organization organisation group
    party committee council court police office campaign administration army military navy
    union bank firm board commission authority authorities embassy newspaper network
    """
)


def _gender(words: Iterable[str]) -> str | None:
    for word in words:
        if word in _MALE_WORDS:
            return "m"
        if word in _FEMALE_WORDS:
            return "f"
    return None


def _person_span(doc: Doc, start: int, end: int) -> TokSpan:
    """A person entity with the honorifics and titles written in front of it."""
    while start > 0:
        prev = doc[start - 1]
        if prev.lower_ in _HONORIFICS and prev.is_title and prev.head.i >= start - 1:
            start -= 1
        else:
            break
    return start, end


def _mentions(ctx: _Context, items: list[_Found]) -> list[_Mention]:
    """Named entities and named speakers, in document order."""
    doc = ctx.doc
    mentions: list[_Mention] = []
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG", "NORP", "GPE"):
            continue
        root = ent.root
        if ent.label_ == "PERSON":
            start, end = _person_span(doc, ent.start, ent.end)
            kind = "PERSON"
        else:
            start, end = ent.start, ent.end
            if start > 0 and doc[start - 1].lower_ == "the":
                start -= 1
            kind = "ORG"
        words = [t.lower_ for t in doc[max(0, start - 1) : end]]
        mentions.append(
            _Mention(
                index=root.i,
                seg=ctx.seg[root.i],
                text=doc[start:end].text,
                kind=kind,
                gender=_gender(words),
                phrase=frozenset(words),
                is_subject=root.dep_ in ("nsubj", "nsubjpass"),
                is_named=True,
            )
        )
    for item in items:
        if item.speaker is None or item.resolved is not None:
            continue
        s, e = item.speaker
        head = doc[s:e].root
        lower = head.lower_
        if lower in _PERSONAL or lower in _PLURAL or lower in _RELATIVE or lower == "it":
            continue
        if lower in _FIRST_SECOND:
            continue
        phrase_span = item.source or item.speaker
        words = [t.lower_ for t in doc[phrase_span[0] : phrase_span[1]]]
        lemma = head.lemma_.lower()
        if head.ent_type_ == "PERSON" or lemma in _PERSON_NOUNS:
            kind = "PERSON"
        elif head.ent_type_ in ("ORG", "NORP", "GPE") or lemma in _ORG_NOUNS:
            kind = "ORG"
        else:
            kind = "OTHER"
        if head.tag_ in ("NNS", "NNPS") and kind != "ORG":
            kind = "PLURAL"
        mentions.append(
            _Mention(
                index=head.i,
                seg=ctx.seg[head.i],
                text=doc[s:e].text,
                kind=kind,
                gender=_gender(words),
                phrase=frozenset(words),
                is_subject=True,
                is_named=head.pos_ == "PROPN" or bool(head.ent_type_),
            )
        )
    mentions.sort(key=lambda m: m.index)
    return mentions


#: How many sentences back an antecedent is looked for.
_PRONOUN_REACH = 6
_TITLE_REACH = 20


def _antecedent(
    ctx: _Context,
    mentions: list[_Mention],
    position: int,
    kinds: tuple[str, ...],
    gender: str | None,
    learnt: dict[str, str],
) -> _Mention | None:
    """The most recent compatible mention, preferring subjects within a sentence."""
    seg = ctx.seg[position]
    best: dict[int, list[_Mention]] = {}
    for mention in mentions:
        if mention.index >= position or seg - mention.seg > _PRONOUN_REACH:
            continue
        if mention.kind not in kinds:
            continue
        known = mention.gender or learnt.get(mention.text)
        if gender is not None and known is not None and known != gender:
            continue
        best.setdefault(mention.seg, []).append(mention)
    for candidate_seg in sorted(best, reverse=True):
        candidates = best[candidate_seg]
        subjects = [m for m in candidates if m.is_subject]
        pool = subjects or candidates
        named = [m for m in pool if m.is_named]
        return (named or pool)[-1]
    return None


def _resolve(ctx: _Context, items: list[_Found]) -> None:
    """Resolve pronoun and descriptive speakers to an earlier named speaker or person.

    "he"/"she" take the most recent person mention of a compatible gender (honorifics, gendered
    titles and earlier resolutions tell the gender), "they"/"it" the most recent organisation
    (or group), "the minister" the most recent named mention described with that title, and a
    relative "who" the noun it hangs on. Subjects win over other mentions of the same sentence.
    """
    doc = ctx.doc
    mentions = _mentions(ctx, items)
    learnt: dict[str, str] = {}
    for item in sorted(items, key=lambda f: f.head):
        if item.speaker is None:
            continue
        s, e = item.speaker
        span = doc[s:e]
        lower = span.root.lower_
        if item.antecedent is not None:
            noun = doc[item.antecedent]
            n_start, n_end = _core_np(doc, noun)
            if noun.ent_type_ == "PERSON":
                n_start, n_end = _person_span(doc, n_start, n_end)
            item.resolved = doc[n_start:n_end].text
            continue
        target: _Mention | None = None
        if e - s == 1 and lower in _PERSONAL:
            want = _PERSONAL[lower]
            target = _antecedent(ctx, mentions, s, ("PERSON",), want, learnt)
            if target is not None:
                learnt.setdefault(target.text, want)
        elif e - s == 1 and lower in _PLURAL:
            target = _antecedent(ctx, mentions, s, ("ORG", "PLURAL"), None, learnt)
        elif e - s == 1 and lower == "it":
            target = _antecedent(ctx, mentions, s, ("ORG",), None, learnt)
        elif 2 <= e - s <= 3 and span[0].lower_ == "the" and span.root.lower_ in _TITLES:
            title = span.root.lower_
            seg = ctx.seg[s]
            for mention in reversed(mentions):
                if mention.index >= s or seg - mention.seg > _TITLE_REACH:
                    continue
                if mention.is_named and title in mention.phrase:
                    target = mention
                    break
        if target is not None:
            item.resolved = target.text


# ------------------------------------------------------------------------------------------------
# Public API
# ------------------------------------------------------------------------------------------------


def _char(doc: Doc, span: TokSpan) -> Span:
    start, end = span
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)


def find_attributions(doc: Doc) -> tuple[Attribution, ...]:
    """Return every attribution in a parsed document, sorted by content start.

    Args:
        doc: a spaCy ``Doc`` of the whole document (tagger, parser and NER applied).

    Returns:
        One record per content fragment: a quotation that continues in a later sentence gives
        one record per sentence, all with the same speaker and cue. Spans are half-open
        character offsets into ``doc.text``; ``speaker`` is None only when the content is
        attributed without naming a source ("it was reported that …").
    """
    ctx, items = _extract(doc)
    _, records_view = _nest(items)
    _resolve(ctx, records_view)
    out: list[Attribution] = []
    for item in records_view:
        for group in _record_groups(ctx, item):
            content = _char(doc, (group[0][0], group[-1][1]))
            speaker: str | None = None
            speaker_span: Span | None = None
            if item.speaker is not None:
                speaker_span = _char(doc, item.speaker)
                speaker = item.resolved or doc.text[speaker_span[0] : speaker_span[1]]
            cue_span = _char(doc, item.record_cue or item.cue)
            via_spans = tuple(_char(doc, v) for v in item.via)
            out.append(
                Attribution(
                    speaker=speaker,
                    speaker_key=canonical_key(speaker) if speaker else None,
                    speaker_span=speaker_span,
                    cue=doc.text[cue_span[0] : cue_span[1]],
                    cue_span=cue_span,
                    content_span=content,
                    quote=item.quote,
                    via=tuple(doc.text[s:e] for s, e in via_spans),
                    via_spans=via_spans,
                    produced_by=PRODUCED_BY,
                )
            )
    out.sort(key=lambda a: (a.content_span[0], a.cue_span or (0, 0)))
    return tuple(out)


def _record_groups(ctx: _Context, item: _Found) -> list[list[TokSpan]]:
    """Group content fragments into records: fragments in one sentence form one record."""
    groups: list[list[TokSpan]] = []
    for fragment in sorted(item.content):
        if groups and ctx.seg[fragment[0]] == ctx.seg[groups[-1][-1][1] - 1]:
            groups[-1].append(fragment)
        else:
            groups.append([fragment])
    return groups


def polnear_spans(doc: Doc) -> tuple[AttributionSpans, ...]:
    """The attributions of ``find_attributions`` as PolNeAR marks them, for benchmarking.

    The differences from the records are conventions only: the source is the whole source
    phrase ("Ana Ruiz, a nurse,") instead of the speaker mention, a nested attribution is left
    inside the content of the one it is nested in, a relay ("citing X") is an attribution of
    its own, and the content is given as its contiguous fragments.
    """
    ctx, items = _extract(doc)
    outer, _ = _nest(items)
    out: list[AttributionSpans] = []
    for item in outer:
        source = _char(doc, item.source) if item.source is not None else None
        content = tuple(_char(doc, c) for c in sorted(item.content))
        cue_start, cue_end = item.cue
        if item.kind == "noun" and cue_start > 0 and doc[cue_start - 1].lower_ in ("'s", "’s"):
            cue_start -= 1  # PolNeAR's cue takes the possessive marker: "Trump['s claim]"
        if item.kind != "headline" and cue_end < len(doc) and doc[cue_end].text == ":":
            cue_end += 1  # PolNeAR's cue takes the colon that introduces a quotation
        cue = _char(doc, (cue_start, cue_end))
        out.append(AttributionSpans(source=source, cue=cue, content=content))
        for relay_cue, relay_object in item.relays:
            out.append(
                AttributionSpans(
                    source=source,
                    cue=_char(doc, relay_cue),
                    content=(_char(doc, relay_object),),
                )
            )
    return tuple(out)
