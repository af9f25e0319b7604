"""Attribution: who said a piece of content, by what cue, and through whom.

``find_attributions(doc)`` reads one parsed document and returns every attribution in it as
:class:`~factdesk.records.Attribution` records. It works on the dependency parse, one sentence at
a time, with a curated cue lexicon (below); quotation marks are located once per document so that
quotations running over several sentences or paragraphs are followed.

Constructions handled (the examples are ours):

- a verb of saying or reporting with a subject and a clausal complement: "The mayor said (that)
  the bridge would reopen", "Officials told reporters the talks had stalled", "He has warned
  that …", "The Times reported at the time that …", "… said in a statement that …";
- direct speech, inverted and parenthetical: "“We will not stop,” she said.", "“…,” said Ana Ruiz,
  a nurse.", "“We will,” she said, “rebuild.”", "The plan, he said, will fail.", "She said: “…”",
  a quotation that opens the sentence after "X said in a statement.", and a quotation signed
  with a dash ("“…” ― Ana Ruiz");
- a reporting clause that closes its sentence, whatever the parse made of it: "About 3,400
  workers walked off the job, union secretary Ana Ruiz told reporters at the gates." (the
  content is the clause before the comma, the hearer is not content, and the speaker is the
  noun phrase right before the cue, never a participial clause: "…, halting work at all
  berths, the union said");
- a verb whose object, infinitive or prepositional object is the content: "X denied the report",
  "X vowed to appeal", "X urged Europe to act", "X called for a ceasefire", "X called for Europe
  to act", "X called the plan a disaster", "X sees the vote as a test", "X expressed concern
  that …", "X made the claim that …";
- "according to X, …" / "…, according to X" (the content is the rest of the clause);
- cue nouns with their possessor: "Trump's claim that …", "her calls for …";
- reporting nouns as subjects: "A statement from the ministry said …" (speaker: the ministry),
  "A new poll shows …";
- relay chains: "Reports from TASS, citing the ministry's press service, confirm …", "Reuters,
  quoting two officials, said …", "TASS reported, citing the ministry, that …", "according to
  AP, which cited a police spokesman, …", "The ministry said, according to Interfax, that …",
  "The minister told Reuters, which reported that …", and a report nested in a report ("The
  agency reported that the ministry said …"): the speaker is the original source and ``via``
  lists the intermediaries from the one nearest the speaker outwards;
- "X was quoted as saying …";
- quotation-only sentences that continue the previous speaker's words ("“A,” she said. “B.”",
  also in the next paragraph; "She said the dam held. “Nobody was hurt.”" in the same one);
- line-initial labels: headlines ("Kallas: Europe must …"), transcript turns ("WALLACE: …",
  "Q: …"), and headline verbs the tagger reads as nouns ("Flynn Says Trump …").

A subject counts as a source only if it can be one: a name, a pronoun, or a noun for people,
organisations, media, documents or data ("the timing shows that …" is the outlet's own claim).
A wire dateline ("VELMAR, March 12 (KNA) — …") is never a source, a relay or part of a content.

Pronoun speakers ("she", "they", "it", a relative "who") are resolved to an earlier speaker or
mention: ``speaker`` is the name as written at that earlier mention, ``speaker_key`` its
canonical key, and ``speaker_span`` the span of the pronoun in the attributing sentence. "He"
and "she" continue the latest speaker that can be a person of that gender in the same or the
previous paragraph ("“…,” one of the engineers said. “…,” he added."), else the latest person
mentioned as a subject; a name the document treats as a place or a body is never a person
(the small model tags unknown places as PERSON: "evacuated from the villages of Oster Vell").
"It" and "they" may take organisations. An unresolvable pronoun is kept as written. A
description ("the minister", "the foreign ministry") keeps its own words as ``speaker``; its
``speaker_key`` is that of the latest earlier mention with the same head and all its modifiers
("the foreign ministry" is never "the Interior Ministry").

What is deliberately not an attribution: a cue inside another speaker's direct quotation ("“I
think we will win,” he said" has one attribution), a speaker reporting on themself ("Smith said
he believes …" is Smith's one attribution), a generic "you", and verbs that are also physical
actions ("Russian forces attacked the city", "the council approved the budget"): a sentence
without an attribution stays the outlet's own assertion. So are official acts with a bare
object ("declared a period of national mourning"; "declared that …" and "declared the bridge
safe" are reports), framing participles that say what an event means ("The council met in
Kyiv, underscoring the urgency of the situation"), a stance without content ("signaled support
for Ukraine"), a plea put to someone in a background clause ("… as Ukraine pressed Europe
for help"), and the connective "That said, …". Speaker-less evidentials ("X seems to …", "X is
expected to …") are left to the modality stage, except passive reports ("it was reported that
…"), which give an attribution with ``speaker`` None.

:func:`polnear_spans` renders the same extraction in the span conventions of the PolNeAR corpus
(the full source phrase with its appositives, contiguous content fragments, the outermost of two
nested attributions, relays as attributions of their own) for ``factdesk.bench.attribution``.

Speed: everything is a constant number of passes over the tokens of each sentence; no regular
expression runs over the text.
"""

from __future__ import annotations

import bisect
import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from factdesk.pipeline.entities import canonical_key
from factdesk.records import Attribution, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as Span_

__all__ = ["PRODUCED_BY", "AttributionSpans", "find_attributions", "polnear_spans"]

PRODUCED_BY = "attributions.v1"

TokSpan = tuple[int, int]
"""A half-open ``[start, end)`` range of token indices."""


def _words(text: str) -> frozenset[str]:
    """A lexicon from whitespace-separated words (keeps the lists below readable)."""
    return frozenset(text.split())


def _phrases(text: str) -> frozenset[str]:
    """A lexicon from comma-separated phrases."""
    return frozenset(" ".join(p.split()) for p in text.split(",") if p.strip())


# ------------------------------------------------------------------------------------------------
# Cue lexicon: lemmas as spaCy's English lemmatizer gives them. Curated from newswire usage and
# checked against the PolNeAR training split (never the dev or test split): a lemma is listed for
# a construction only where that construction was an annotated attribution most of the time.
# ------------------------------------------------------------------------------------------------

#: Verbs of saying, writing and reporting: a clausal complement ("said that …", "said …") or an
#: adjacent direct quotation is their content.
SPEECH_VERBS = _words(
    """
    accuse acknowledge add admit advise advocate agree allege announce answer argue ask assert
    assure blog boast brag calculate caution chant characterize charge chide claim clarify
    comment complain concede conclude concur confirm contend continue counsel counter cry
    declare demand deny describe disclose dispute elaborate email emphasise emphasize estimate
    exclaim explain find forecast fume groan guarantee gush highlight hint imply indicate
    inform insist interject joke lament learn maintain mention mock muse note notify object
    observe order plead pledge point portray posit post predict preach proclaim project promise
    propose protest question quip rant read reassure recall recommend recount reiterate remark
    repeat reply report respond retort reveal rule say scream shout show sigh signal snap
    specify speculate state stipulate stress suggest surmise swear tell testify text theorize
    threaten thunder tout tweet underscore urge vow warn whisper wonder write yell
    """
)

#: Verbs of belief and expectation: only a finite clause ("believes that …") is their content.
#: "feel" and "hear" are left out: in the training split they mostly report sensations and
#: hearsay that the annotators did not mark (their clauses were content less than 40% of the
#: time).
COGNITION_VERBS = _words(
    """
    anticipate assume bet believe consider doubt expect fear figure hope know presume realize
    reckon recognize sense suppose suspect think trust understand worry
    """
)

#: Verbs whose noun-phrase object is the content ("denied the report", "criticized the plan").
#: Only verbs of saying and of taking a position: verbs that are also physical actions
#: ("attacked the city", "ordered troops", "supported Ukraine with weapons", "vetoed the bill")
#: are left out although PolNeAR marks some of their uses, because a sentence about an action
#: must stay the outlet's own assertion. "back", "address", "challenge" and "unveil" are left
#: out too: on the training split their objects were content less than 40% of the time; and
#: "tell" and "write", whose bare objects are a hearer or a work ("told him", "wrote a book").
OBJECT_VERBS = _words(
    """
    accuse acknowledge admit announce applaud ask blame blast characterize chide cite claim
    concede condemn confirm criticise criticize declare decry demand denounce deny deride
    describe disclose discuss dismiss dispute echo emphasize endorse estimate fault forecast
    highlight insist lambaste lament list mention mock note oppose pledge portray praise
    predict promise propose question quote rebuke recall recommend reiterate reject repeat
    report reveal ridicule say scold slam stress suggest thank tout tweet underscore urge
    voice warn
    """
)

#: Object verbs that are also verbs of physical action: an attribution only when the subject is
#: not an armed force and the object is not a place ("Trump attacked Clinton" is, "forces
#: attacked the city" is not).
GUARDED_OBJECT_VERBS = _words("attack defend")
_FORCE_NOUNS = _words(
    """
    force forces troops army military soldier soldiers militant militants rebel rebels drone
    drones missile missiles police gunman gunmen fighter fighters jet jets unit units navy
    """
)

#: "show" takes its object as content only after a report-like subject ("a poll shows Clinton
#: leading"); "he showed the documents" is an action.
_SHOWING_SUBJECTS = _words(
    """
    poll polls survey surveys study studies data figure figures number numbers result results
    record records document documents report reports analysis video footage image images
    photo photos picture pictures map maps chart charts email emails review audit
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

#: Verbs whose object is named in a second complement: "called the plan a disaster", "called
#: the plan “reckless”" (the object and the name are the content).
NAMING_VERBS = _words("call label brand dub term")
#: Verbs whose content is an object followed by "as …": "sees the vote as a test".
AS_VERBS = _words("see view regard describe characterize portray cast")

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

#: Light verbs whose object noun, any noun, carries the cue: "expressed concern that …", "voiced
#: support for …", "raised doubts about …". The cue runs from the verb to the noun (and its
#: preposition). "signal" is left out: "signaled support for Ukraine" reports a stance, not
#: content ("Ukraine").
LIGHT_VERBS = _words("express voice raise register")

#: Nouns that carry a cue, with their possessor as the source ("Trump's claim that …", "her
#: calls for …", "a warning by the ministry that …") or as the object of a light verb ("made the
#: claim that …", "issued a warning that …").
NOUN_CUES = _words(
    """
    accusation admission allegation announcement appeal argument assertion assessment belief
    call charge claim comment complaint contention criticism demand denial estimate insistence
    plea pledge prediction promise proposal recommendation remark statement suggestion
    testimony threat vow warning
    """
)
#: Verbs that take a cue noun from ``NOUN_CUES`` as their object.
NOUN_LIGHT_VERBS = _words("make issue renew repeat reiterate echo level")

#: Verbs that pass on what another source said ("TASS, citing the ministry", "quoting officials").
RELAY_VERBS = _words("cite quote")

#: Nouns naming a statement or a report: as a subject they stand for their issuer ("A statement
#: from the ministry said …" -> the ministry).
REPORT_NOUNS = _words(
    """
    statement report release memo letter email tweet post filing document study survey poll
    analysis data figure record estimate review audit investigation ruling complaint lawsuit
    indictment briefing announcement communique transcript readout notice bulletin dispatch
    account assessment message video interview testimony
    """
)

#: Audiences that belong to the cue in the records: "told reporters", "told a news conference".
#: (PolNeAR's cue stops at the verb; a named hearer, "told Reuters", is never part of the cue.)
_AUDIENCES = _words(
    """
    reporters journalists press media conference briefing audience crowd supporters lawmakers
    parliament legislators congress senators
    """
)

#: Verb forms the tagger takes for nouns in headlines and terse copy ("Flynn Says Trump …",
#: "But Trump claims that …"). Forms that are mostly nouns ("states", "reports", "notes",
#: "rules", "emails") are left out.
_MISTAGGED_CUES = _words(
    """
    says said claims claimed warns warned insists insisted argues argued denies denied admits
    admitted tells told tweets tweeted writes wrote slams slammed blasts blasted rips ripped
    knocks praises praised urges urged vows vowed predicts predicted suggests suggested
    reveals revealed confirms confirmed announces announced accuses accused reassures alleges
    alleged asks asked explains explained adds added
    """
)

#: Line-initial labels that introduce a section, not a speaker ("Update: …").
_NOT_LABELS = _phrases(
    """
    update, updated, note, editor's note, editor’s note, correction, related, watch, read more,
    breaking, exclusive, photos, photo, video, source, sources, via, credit, clarification,
    warning, spoiler, disclosure, tags, topics, filed under, share, email, print,
    advertisement, live, analysis, opinion, commentary, review, summary, background, context,
    transcript, key facts, what to watch, what changed, bottom line, why it matters
    """
)

#: Discourse openers that PolNeAR leaves out of a content span ("However, …").
_DISCOURSE = _phrases(
    """
    however, still, meanwhile, nevertheless, nonetheless, moreover, furthermore, instead, yet,
    also, indeed, besides, but, and, so, in fact, in addition, even so, in all, by contrast,
    of course, in short, as a result, at the same time, in other words, for example,
    for instance
    """
)

#: Lemmatizer slips of the small English model ("hopes" -> "hop").
_LEMMA_FIXES = {"hop": "hope"}

# -- speakers -------------------------------------------------------------------------------------

#: Pronouns that need an antecedent, with the kind of antecedent they take.
_PERSONAL = {"he": "m", "him": "m", "she": "f", "her": "f"}
_PLURAL = _words("they them")
_RELATIVE = _words("who which that whom")
_FIRST_SECOND = _words("i we you me us")
#: A generic or addressed "you" ("do you think …", "let's say …") is never a news source.
_GENERIC_YOU = frozenset({"you", "'s", "’s", "ya", "y'all"})

#: Titles through which a definite description ("the minister said") finds its named mention.
_TITLES = _words(
    """
    minister president senator governor spokesman spokeswoman spokesperson secretary chairman
    chairwoman chair candidate nominee mayor congressman congresswoman lawmaker leader chief
    director ambassador general prosecutor judge attorney lawyer adviser advisor aide official
    commissioner premier chancellor ceo founder executive representative sheriff commander
    officer strategist analyst economist professor researcher author diplomat envoy negotiator
    campaign ministry agency company government department alliance organization organisation
    group party committee council court police kremlin
    """
)

#: Honorifics and titles that may precede a name inside a person mention ("Ms. Green").
_HONORIFICS = _words(
    """
    mr. mrs. ms. miss dr. prof. sen. rep. gov. gen. lt. col. capt. sgt. adm. president senator
    governor minister secretary judge justice mayor chancellor premier ambassador representative
    congressman congresswoman pope king queen prince princess sir dame lord
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
    man woman doctor nurse teacher witness resident farmer soldier worker activist pastor priest
    bishop pope king queen prince princess father mother son daughter husband wife captain
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

_MALE_WORDS = _words(
    """
    mr. mr he him his spokesman chairman congressman businessman father husband son brother
    king prince sir lord uncle grandfather boyfriend man boy
    """
)
_FEMALE_WORDS = _words(
    """
    mrs. mrs ms. ms miss she her spokeswoman chairwoman congresswoman businesswoman mother wife
    daughter sister queen princess madam lady aunt grandmother girlfriend woman girl
    """
)

#: How many sentences back an antecedent is looked for: a pronoun, a title ("the minister").
_PRONOUN_REACH = 6
_TITLE_REACH = 20

#: Common nouns that can name a source besides people and organisations: groups, media,
#: documents and data. A subject headed by another common noun ("the timing shows …", "the
#: meeting underscores …") makes the sentence the outlet's own assertion, not an attribution.
_SOURCE_NOUNS = _words(
    """
    official source expert analyst critic supporter opponent resident voter people person
    witness authority investigator prosecutor member editor reporter journalist correspondent
    scientist researcher economist observer student parent family friend staff staffer
    employee worker owner manager agent organizer protester demonstrator activist delegate
    donor jury panel coalition bloc faction camp side team country nation state city region
    province pentagon kremlin paper outlet channel station magazine website site blog wire
    service press media ad advertisement commercial book article editorial column story
    platform bill law resolution decision verdict opinion petition research statistic
    projection model inquiry probe finding evidence file footage image photo map chart graph
    census index affidavit sign banner slogan headline caption comment remark speech address
    tweet post message letter note text voice everyone everybody anyone anybody someone
    somebody nobody crowd audience public electorate population ally rival host head advocate
    mogul tycoon conservative liberal progressive moderate democrat republican independent
    associate colleague confidant counsel foundation institute university college school
    think-tank millennial superdelegate star veteran scholar proponent operative community
    hopeful participant respondent fan guy admiral justice leadership circle base generation
    airline result polling average survey tally page field establishment left right museum
    hospital library church clinic prison club league association society federation fund
    trust corporation utility regulator watchdog monitor ngo charity mission delegation
    """
)
#: Nouns for a part of a group: "46 percent of voters", "most of the delegates" name the group
#: after "of".
_PART_NOUNS = _words(
    """
    percent percentage majority minority half third quarter plurality share number most many
    some several few both all none each other others another one part portion bulk rest
    handful dozens hundreds thousands millions
    """
)
#: Suffixes of nouns that name doers ("historian", "protester", "lobbyist", "chairman").
_AGENT_SUFFIXES = ("er", "or", "ist", "ian", "ee", "man", "woman", "ess", "ant", "ent")
_NOT_AGENTS = _words(
    """
    matter number order power center centre border water winter quarter factor sector error
    corner chapter manner layer tower answer cancer disaster danger finger murder other summer
    weather character theater theatre cluster register barrier behavior behaviour favor labor
    rumor color mirror honor horror terror fever river silver cover offer filter business
    process progress success access stress illness plant grant restaurant instant variant
    constant event content extent intent talent incident accident component current descent
    consent present human
    """
)


def _is_source_noun(lemma: str) -> bool:
    if lemma in _SOURCE_NOUNS or lemma in _PERSON_NOUNS or lemma in _ORG_NOUNS:
        return True
    if lemma in REPORT_NOUNS or lemma in NOUN_CUES or lemma in _PART_NOUNS:
        return True
    return (
        lemma.endswith(_AGENT_SUFFIXES)
        and not lemma.endswith(("ment", "ness"))
        and lemma not in _NOT_AGENTS
    )


# -- punctuation ----------------------------------------------------------------------------------

_OPEN_QUOTES = frozenset({"“", "``", "„", "«"})
_CLOSE_QUOTES = frozenset({"”", "»"})
_AMBIGUOUS_QUOTES = frozenset({'"', "''"})
_OPENING_MARKS = _OPEN_QUOTES | _AMBIGUOUS_QUOTES
_QUOTE_MARKS = _OPEN_QUOTES | _CLOSE_QUOTES | _AMBIGUOUS_QUOTES | {"‘", "’", "'"}
_DASHES = frozenset({"—", "―", "–", "--", "-"})
_BULLETS = frozenset({"-", "*", "•", "–", "—", "·"})
#: Punctuation stripped from the edges of a content or source span (quotation marks are kept).
_EDGE_PUNCT = frozenset({",", ".", ";", ":", "—", "–", "-", "--", "(", ")", "…", "..."})

_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
_EXPLETIVES = frozenset({"it", "there"})


# ------------------------------------------------------------------------------------------------
# Working records
# ------------------------------------------------------------------------------------------------


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
    source: TokSpan | None  # the whole source phrase ("Ana Ruiz, a nurse,")
    speaker: TokSpan | None  # the speaker mention ("Ana Ruiz", "she", "who")
    quote: str
    kind: str  # which construction found it: ccomp, dobj, according, quote, headline, …
    antecedent: int | None = None  # for a relative pronoun: the noun it stands for
    via: list[TokSpan] = field(default_factory=list)  # nearest to the speaker first
    relays: list[tuple[TokSpan, TokSpan]] = field(default_factory=list)  # (relay cue, object)
    resolved: str | None = None  # the name a pronoun speaker was resolved to
    resolved_key: str | None = None  # the key a description ("the ministry") was resolved to
    record_cue: TokSpan | None = None  # a wider cue for the records ("told reporters")
    absorbed: list[int] = field(default_factory=list)  # heads of cues folded into this one


# ------------------------------------------------------------------------------------------------
# The document: sentences, paragraphs, quotations
# ------------------------------------------------------------------------------------------------


class _Context:
    """Per-document indexes: sentence segments (split at line breaks), paragraphs, quotations."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.n = n = len(doc)
        self.para = [0] * n  # paragraph (line) index per token
        self.seg = [0] * n  # segment index per token
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
        # Quotation regions (token spans including their marks) and the region of each token.
        self.region: list[int | None] = [None] * n
        self.regions: list[TokSpan] = []
        self._speech: dict[int, bool] = {}
        self._find_quotes()

    def _find_quotes(self) -> None:
        """Pair quotation marks, paragraph by paragraph.

        Curly marks pair directly. A straight mark (``"`` or ``''``) opens or closes by
        alternation, and by its spacing when it starts a paragraph's count: glued to the word
        before it, it closes a quotation opened in an earlier paragraph. An unclosed quotation
        runs to the end of its paragraph (the next paragraph reopens it, as newswire does).
        Single marks count only outside double ones, and ’ only closes after a ‘.
        """
        doc = self.doc
        open_at: int | None = None
        single_at: int | None = None
        para_start = 0
        for i in range(self.n):
            tok = doc[i]
            text = tok.text
            if tok.is_space and "\n" in text:
                if open_at is not None:
                    self._add_region(open_at, i)
                open_at = single_at = None
                para_start = i + 1
            elif text in _OPEN_QUOTES:
                if open_at is not None:
                    self._add_region(open_at, i)
                open_at = i
            elif text in _CLOSE_QUOTES:
                if open_at is not None:
                    self._add_region(open_at, i + 1)
                    open_at = None
                elif i > para_start and self._closes(i):
                    self._add_region(para_start, i + 1)
            elif text in _AMBIGUOUS_QUOTES:
                if open_at is not None:
                    self._add_region(open_at, i + 1)
                    open_at = None
                elif i > para_start and self._closes(i) and not self._opens(i):
                    self._add_region(para_start, i + 1)
                else:
                    open_at = i
            elif text == "‘" and open_at is None:
                single_at = i
            elif text == "’" and single_at is not None and open_at is None:
                self._add_region(single_at, i + 1)
                single_at = None
        if open_at is not None:
            self._add_region(open_at, self.n)

    def _closes(self, i: int) -> bool:
        """Whether a mark reads as closing: glued to the word before it."""
        previous = self.doc[i - 1]
        return not previous.whitespace_ and not previous.is_space

    def _opens(self, i: int) -> bool:
        """Whether a mark reads as opening: glued to the word after it."""
        tok = self.doc[i]
        return not tok.whitespace_ and i + 1 < self.n and not self.doc[i + 1].is_punct

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
        """Whether a quotation region is quoted speech rather than a scare quote."""
        if index not in self._speech:
            self._speech[index] = self._looks_like_speech(index)
        return self._speech[index]

    def _looks_like_speech(self, index: int) -> bool:
        start, end = self.regions[index]
        doc = self.doc
        words = 0
        has_verb = False
        for i in range(start + 1, end):
            tok = doc[i]
            if tok.is_punct or tok.is_space:
                continue
            words += 1
            has_verb = has_verb or tok.pos_ in ("VERB", "AUX")
        if (words >= 2 and has_verb) or words >= 6:
            return True
        # A short quotation closed by a comma, question or exclamation mark is a turn of speech
        # ("“Safety,” said Grimm."); a scare quote has no punctuation inside.
        closing = doc[end - 2].text if end - 2 > start else ""
        return words >= 1 and closing in (",", "?", "!")

    def speech_region(self, i: int) -> int | None:
        """The quoted-speech region token ``i`` is in, if any."""
        index = self.region[i]
        return index if index is not None and self.is_speech(index) else None

    def segment_of(self, i: int) -> TokSpan:
        return self.segments[self.seg[i]]


# ------------------------------------------------------------------------------------------------
# Token spans
# ------------------------------------------------------------------------------------------------


def _subtree(tok: Token) -> TokSpan:
    """A token's subtree; the parser's trees are projective, so it is contiguous."""
    return tok.left_edge.i, tok.right_edge.i + 1


def _is_quote(tok: Token) -> bool:
    return tok.text in _QUOTE_MARKS


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


def _trim(doc: Doc, span: TokSpan, *, keep_quotes: bool = True) -> TokSpan:
    """Strip whitespace and edge punctuation (and quotation marks, unless kept)."""
    start, end = span

    def strip(tok: Token) -> bool:
        return tok.is_space or tok.text in _EDGE_PUNCT or (not keep_quotes and _is_quote(tok))

    while start < end and strip(doc[start]):
        start += 1
    while end > start and strip(doc[end - 1]):
        end -= 1
    return start, end


_MONTHS = _words(
    """
    jan jan. january feb feb. february mar mar. march apr apr. april may jun jun. june jul jul.
    july aug aug. august sep sep. sept sept. september oct oct. october nov nov. november dec
    dec. december
    """
)


def _dateline_end(doc: Doc, start: int, end: int) -> int | None:
    """The token after a wire dateline opening ``[start, end)``, if there is one.

    A dateline is a place in capitals, optionally followed by a region, a date and the agency
    in parentheses, closed by a dash: "KYIV —", "VELMAR, March 12 (KNA) —", "KELBY JUNCTION,
    Westhollow, Sept 9 (Lantern) —", at the start of a line. It says where a story was filed,
    never who said what.
    """
    i = start
    while i < end and (doc[i].is_space or doc[i].text in _BULLETS):
        i += 1
    first = i
    if first >= end or not (doc[first].is_sent_start or doc[first - 1].is_space):
        return None  # a dateline opens its line
    while i < end and doc[i].is_upper and doc[i].is_alpha and len(doc[i].text) > 1:
        i += 1
    if i == first:
        return None
    depth = 0
    listed = False  # a region or date comes after a comma ("FBI Director X —" is no dateline)
    for j in range(i, min(end, first + 18)):
        tok = doc[j]
        text = tok.text
        if text == "(":
            depth += 1
        elif text == ")":
            depth -= 1
            if depth < 0:
                return None
        elif depth > 0:
            continue  # the agency: "(Reuters)", "(Meridian Wire)"
        elif text in _DASHES:
            return j + 1 if j + 1 < end else None
        elif text == ",":
            listed = True
        elif not (
            tok.is_space
            or (listed and (tok.like_num or tok.is_title or tok.is_upper or tok.lower_ in _MONTHS))
        ):
            return None
    return None


def _trim_content(ctx: _Context, span: TokSpan) -> TokSpan:
    """Trim a content span as PolNeAR bounds it.

    Edge punctuation goes, except what a closing quotation mark keeps inside ("“We are ready,”")
    and balanced parentheses; so do a leading conjunction, dateline ("WASHINGTON — …") or
    discourse opener ("However, …").
    """
    doc = ctx.doc
    start, end = span
    while True:
        before = start
        while start < end:
            tok = doc[start]
            if tok.text == "(" and _balanced(doc, start, end):
                break
            if tok.is_space or tok.text in _EDGE_PUNCT or (tok.dep_ == "cc" and start < end - 1):
                start += 1
            else:
                break
        dateline = _dateline_end(doc, start, end)
        if dateline is not None:
            start = dateline
        for width in (1, 2, 3, 4):
            if dateline is not None or start + width >= end:
                break
            follow = doc[start + width].text
            words = doc[start : start + width]
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
            break
        unquoted = ctx.region[end - 1] is None
        if (
            tok.is_space
            or tok.text in _EDGE_PUNCT
            or (_is_quote(tok) and unquoted)  # an unmatched mark
            or (
                tok.text in ("?", "!")
                and unquoted
                and end - 1 > start
                and doc[start].text not in _OPENING_MARKS
            )
        ):
            end -= 1
        else:
            break
    if start < end and doc[start].text in _OPEN_QUOTES and ctx.region[start] is None:
        start += 1  # an opening mark that opens nothing
    return start, end


def _snap_to_quotes(ctx: _Context, span: TokSpan, cue: int) -> TokSpan:
    """Widen a content span to the quotation marks of the quotations at its edges.

    A span that starts inside a quotation starts at its opening mark (the parse hangs a
    several-sentence quotation on its last sentence), and one that ends where only punctuation
    is left before the closing mark ends at that mark. A quotation that also holds the cue is
    left alone.
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
        if (
            start <= r_start < end
            and end < r_end
            and all(doc[j].is_punct or doc[j].is_space for j in range(end, r_end))
        ):
            end = r_end
    return start, end


def _merge_fragments(doc: Doc, parts: list[TokSpan], cue: TokSpan) -> list[TokSpan]:
    """Join overlapping content fragments and those separated only by punctuation or "and"."""
    merged: list[TokSpan] = []
    for start, end in sorted(set(parts)):
        if merged:
            p_start, p_end = merged[-1]
            cue_between = cue[0] < start and cue[1] > p_end
            joinable = all(
                doc[i].is_punct or doc[i].is_space or doc[i].dep_ == "cc"
                for i in range(p_end, start)
            )
            if start < p_end or (joinable and not cue_between):
                merged[-1] = (p_start, max(p_end, end))
                continue
        merged.append((start, end))
    return merged


def _quote_kind(ctx: _Context, content: list[TokSpan], kind: str) -> str:
    """direct (every fragment is a quotation), none (a noun phrase) or indirect."""
    doc = ctx.doc
    if all(
        ctx.region[s] is not None
        and ctx.region[s] == ctx.region[e - 1]
        and (doc[s].text in _OPENING_MARKS or doc[s].text == "‘")
        for s, e in content
    ):
        return "direct"
    if kind in ("dobj", "prep") and not any(
        doc[i].pos_ in ("VERB", "AUX") for s, e in content for i in range(s, e)
    ):
        return "none"
    return "indirect"


def _char(doc: Doc, span: TokSpan) -> Span:
    start, end = span
    return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text)


# ------------------------------------------------------------------------------------------------
# Sources and speakers
# ------------------------------------------------------------------------------------------------


def _lemma(tok: Token) -> str:
    lemma = tok.lemma_.lower()
    if lemma in _LEMMA_FIXES and tok.lower_.startswith(lemma):
        return _LEMMA_FIXES[lemma]
    return lemma


def _agent(tok: Token) -> Token | None:
    """The "by X" agent of a passive verb."""
    for child in tok.children:
        if child.dep_ == "agent":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    return None


def _subject(tok: Token) -> tuple[Token | None, bool]:
    """The source token of a cue verb, and whether the attribution is deliberately sourceless.

    The subject is looked for on the verb, then up through coordination, control and
    participles ("He laughed and said …", "declined to say", "…, saying …") and through "was
    quoted as saying". A passive cue takes its agent as the source ("X was told by Y that …"),
    and without one it has no source ("it was reported that …").
    """
    current = tok
    for _ in range(5):
        # The subject nearest the verb: a parse with two ("Label: The report says") has the
        # real one last.
        subjects = [c for c in current.children if c.dep_ in _SUBJECT_DEPS]
        subjects.sort(key=lambda c: (c.i > current.i, -c.i if c.i < current.i else c.i))
        for child in subjects[:1]:
            if child.dep_ == "csubj":
                return None, False  # a clause is not a source
            if child.dep_ == "nsubjpass" and current.i == tok.i:
                if tok.lemma_ == "quote":
                    return child, False
                # Only a passive of saying is a report without a source ("it was reported
                # that …"); "is expected to", "is believed to" are hedges for the modality
                # stage, not attributions.
                return _agent(tok), _lemma(tok) in SPEECH_VERBS
            if child.lower_ in _EXPLETIVES and child.dep_ != "nsubj":
                return None, _lemma(tok) in SPEECH_VERBS
            return child, False
        head = current.head
        if head.i == current.i:
            break
        climbs = current.dep_ in ("conj", "xcomp") or (
            current.dep_ == "advcl" and current.tag_ == "VBG"  # "…, saying", not "to discuss"
        )
        if climbs and head.pos_ in ("VERB", "AUX"):
            current = head
        elif (
            current.dep_ == "pcomp"
            and head.lower_ in ("as", "before", "after", "while", "by", "without")
            and head.head.pos_ == "VERB"
        ):
            current = head.head  # "was quoted as saying", "…, before adding that …"
        else:
            break
    return None, False


def _is_plausible_source(tok: Token) -> bool:
    """Whether a subject can be a source: a name, a pronoun, or a noun for people,
    organisations, media, documents or data (``_SOURCE_NOUNS``); "the meeting", "the timing",
    "what remains unproven" cannot.
    """
    if tok.pos_ in ("PROPN", "PRON", "NUM") or tok.ent_type_:
        return True
    if tok.is_title and tok.tag_ == "NN" and not tok.is_sent_start:
        return True  # a name the tagger took for a common noun ("Hannity said")
    if tok.pos_ not in ("NOUN", "ADJ", "DET"):
        return False
    lemma = tok.lemma_.lower()
    if lemma in _PART_NOUNS or tok.lower_ in _PART_NOUNS:
        # "46 percent of voters", "most of the delegates": the group named after "of".
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for grand in child.children:
                    if grand.dep_ == "pobj":
                        return _is_plausible_source(grand)
        return True
    return _is_source_noun(lemma) or _is_source_noun(tok.lower_)


def _core_np(doc: Doc, tok: Token) -> TokSpan:
    """The speaker mention of a noun phrase: the name without appositives or clauses.

    "Scott Pruitt, the attorney general, who …" gives "Scott Pruitt"; a close apposition stays
    ("the news agency TASS"); a bare title gives way to the name in apposition to it ("the
    group's spokesman, Ana Ruiz" gives "Ana Ruiz").
    """
    end = tok.i + 1
    for child in tok.rights:
        if child.dep_ == "case":
            break  # the possessive marker: "the ministry['s]"
        no_punct = not any(doc[j].is_punct for j in range(end, child.left_edge.i))
        if child.dep_ in ("appos", "relcl", "acl", "advcl", "parataxis", "punct", "cc", "conj"):
            close_appos = child.dep_ == "appos" and child.pos_ == "PROPN"
            if no_punct and (child.dep_ in ("cc", "conj") or close_appos):
                end = child.right_edge.i + 1
                continue
            break
        if any(doc[j].text in (",", "(", "—") for j in range(end, child.left_edge.i)):
            break
        end = child.right_edge.i + 1
    start, end = _trim(doc, (tok.left_edge.i, end), keep_quotes=False)
    if end <= start:
        return tok.i, tok.i + 1
    if tok.pos_ == "NOUN" and not tok.ent_type_:
        for child in tok.rights:
            if child.dep_ == "appos" and child.ent_type_ == "PERSON":
                return _core_np(doc, child)
    return start, end


def _source_phrase(doc: Doc, tok: Token) -> TokSpan:
    """The whole source phrase of a subject, as PolNeAR marks it.

    The phrase keeps its appositives and relative clauses and the comma that closes them ("Ana
    Ruiz, a nurse, said"), and drops a leading dateline ("KYIV — Officials said") and a leading
    conjunction.
    """
    start, end = tok.left_edge.i, tok.right_edge.i + 1
    dateline = _dateline_end(doc, tok.sent.start, tok.i + 1)
    if dateline is not None and start < dateline:
        start = dateline
    while start < tok.i and (
        doc[start].is_space
        or doc[start].is_punct
        or doc[start].dep_ == "cc"
        or doc[start].lower_ in ("but", "and", "so", "yet")
    ):
        start += 1
    while end > start and (doc[end - 1].is_space or doc[end - 1].text in ("-", "—", "--", ":")):
        end -= 1
    has_comma = any(doc[i].text == "," for i in range(start, end - 1))
    if doc[end - 1].text == "," and not has_comma:
        end -= 1
    elif (
        has_comma
        and doc[end - 1].text != ","
        and end + 1 < len(doc)
        and doc[end].text == ","
        and doc[end + 1].head.i == tok.head.i
    ):
        end += 1  # the comma closing an appositive ("Ana Ruiz, a nurse, said")
    if doc[end - 1].text in (".", ";") and end - 1 > tok.i:
        end -= 1
    if not _balanced(doc, start, end) and end < len(doc) and doc[end].text == ")":
        end += 1  # "Rep. Ana Ruiz (D-Calif.)" split before its closing parenthesis
    return start, end


def _issuer(tok: Token) -> Token | None:
    """The issuer of a report noun: "a statement from X", "X's statement", "reports by X"."""
    for child in tok.children:
        if child.dep_ == "poss" and child.lower_ not in ("its", "their"):
            return child
        if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
            for grand in child.children:
                if grand.dep_ != "pobj" or grand.lemma_.lower() in REPORT_NOUNS:
                    continue
                # "of" names the issuer only for a name ("a report of the commission"), not a
                # topic ("an analysis of campaign filings").
                if child.lower_ != "of" or grand.ent_type_ in ("ORG", "PERSON", "GPE", "NORP"):
                    return grand
    for child in tok.children:
        if child.dep_ == "acl" and child.lemma_ in ("issue", "release", "publish"):
            agent = _agent(child)
            if agent is not None:
                return agent
        if child.dep_ == "compound" and child.ent_type_ in ("ORG", "PERSON", "GPE", "NORP"):
            return child  # "a Reuters report", "a USA TODAY analysis"
    return None


# ------------------------------------------------------------------------------------------------
# Cue spans
# ------------------------------------------------------------------------------------------------


def _cue_span(doc: Doc, tok: Token, extra: Iterable[int] = ()) -> TokSpan:
    """The cue words of a cue verb: auxiliaries, negation, adverbs right before it ("has also
    said", "did not say"), a particle ("pointed out") and any ``extra`` tokens."""
    start = tok.i
    end = tok.i + 1
    for child in tok.lefts:
        if child.dep_ in ("aux", "auxpass", "neg") and tok.i - child.i <= 4:
            start = min(start, child.i)
    while start > 0:
        prev = doc[start - 1]
        if (
            prev.head.i == tok.i
            and prev.dep_ in ("advmod", "neg", "aux")
            and prev.pos_ in ("ADV", "PART", "AUX")
            and prev.lower_ not in ("when", "where", "how", "why")
        ):
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
    """The last token of "in a statement" right after a cue verb: PolNeAR's cue takes it (47
    times to 32 on the training split; other phrases, "in an interview", it mostly leaves)."""
    i = tok.i + 1
    if i + 2 < len(doc) and doc[i].lower_ == "in" and doc[i].head.i == tok.i:
        if doc[i + 1].lower_ in ("a", "the") and doc[i + 2].lower_ == "statement":
            return i + 2
        if doc[i + 1].lower_ == "statement":
            return i + 1
    return None


def _audience_cue(doc: Doc, tok: Token, cue: TokSpan, content: list[TokSpan]) -> TokSpan | None:
    """ "told reporters" / "told a news conference": the records' cue with its audience."""
    if _lemma(tok) not in ("tell", "brief"):
        return None
    for child in tok.children:
        if (
            child.dep_ in ("dobj", "dative")
            and cue[1] in (child.i, child.left_edge.i)
            and child.lower_ in _AUDIENCES
            and not any(s <= child.i < e for s, e in content)
        ):
            return cue[0], child.right_edge.i + 1
    return None


# ------------------------------------------------------------------------------------------------
# Contents of a cue verb, one construction each. Each returns (fragments, kind, extra cue tokens)
# or None; ``_verb_found`` takes the first that applies.
# ------------------------------------------------------------------------------------------------

_Content = tuple[list[TokSpan], str, list[int]]


def _has_that(tok: Token) -> bool:
    return any(m.dep_ == "mark" and m.lower_ == "that" for m in tok.children)


def _is_report_verb(tok: Token) -> bool:
    lemma = _lemma(tok)
    return tok.pos_ == "VERB" and (lemma in SPEECH_VERBS or lemma in COGNITION_VERBS)


def _cut_contrast(doc: Doc, comp: Token) -> TokSpan:
    """A clausal content without a trailing contrast that reports someone else.

    "Supporters said the speech had worked, while other voters said they were unmoved": the
    parse puts the "while" clause inside the first content; it is an attribution of its own.
    """
    start, end = _subtree(comp)
    for child in comp.children:
        if child.dep_ != "advcl" or child.right_edge.i + 1 < end - 1:
            continue
        marks = [m for m in child.children if m.dep_ == "mark"]
        if not marks or marks[0].lower_ not in ("while", "whereas", "although", "though"):
            continue
        reports = any(
            t.pos_ == "VERB"
            and t.lemma_.lower() in SPEECH_VERBS
            and any(c.dep_ == "nsubj" for c in t.children)
            for t in doc[child.left_edge.i : child.right_edge.i + 1]
        )
        if reports and child.left_edge.i > start:
            return start, child.left_edge.i
    return start, end


def _clause_content(ctx: _Context, tok: Token) -> _Content | None:
    """ "said (that) …", "said in a statement that …", "said A, and that B"."""
    lemma = _lemma(tok)
    if lemma not in SPEECH_VERBS and lemma not in COGNITION_VERBS:
        return None
    doc = ctx.doc
    children = list(tok.children)
    comps = [c for c in children if c.dep_ == "ccomp"]
    if not comps and lemma in SPEECH_VERBS:
        # "said in a statement that …": the parse may hang the clause on the noun.
        for child in children:
            if child.dep_ == "prep" and child.i > tok.i:
                comps.extend(
                    g
                    for pobj in child.children
                    for g in pobj.children
                    if g.dep_ in ("acl", "ccomp", "relcl") and _has_that(g)
                )
    if not comps:
        return None
    content = [_cut_contrast(doc, comp) for comp in comps]
    # "said the plan had failed, and that talks would resume" / "…, and the talks stalled": the
    # parse hangs the second clause on the cue; it is still the content (unless it reports).
    last = max(end for _, end in content)
    for child in children:
        if child.dep_ != "conj" or child.left_edge.i < last or child.i < tok.i:
            continue
        if not any(_is_report_verb(t) for t in doc[child.left_edge.i : child.right_edge.i + 1]):
            has_subject = any(g.dep_ in _SUBJECT_DEPS for g in child.children)
            if _has_that(child) or (has_subject and child.i > last):
                content[-1] = (content[-1][0], child.right_edge.i + 1)
        break
    return content, "ccomp", []


def _naming_content(ctx: _Context, tok: Token) -> _Content | None:
    """ "called the plan a disaster" / "called the plan “reckless”" (not "called his mother")."""
    if _lemma(tok) not in NAMING_VERBS:
        return None
    children = list(tok.children)
    objects = [c for c in children if c.dep_ == "dobj" and c.i > tok.i]
    if not objects or any(c.dep_ == "prt" for c in children):
        return None
    obj = objects[0]
    predicates = [
        c for c in children if c.dep_ in ("oprd", "xcomp", "attr", "acomp", "ccomp") and c.i > obj.i
    ]
    start, end = _subtree(obj)
    if predicates:
        end = max(end, predicates[0].right_edge.i + 1)
    quoted = any(ctx.region[i] is not None for i in range(start, end))
    named = any(c.dep_ == "nmod" and c.i < obj.i for c in obj.children)
    if predicates or quoted or named:
        return [(start, end)], "dobj", []
    return None


def _as_content(ctx: _Context, tok: Token) -> _Content | None:
    """ "sees the vote as a test of the alliance"."""
    if _lemma(tok) not in AS_VERBS:
        return None
    objects = [c for c in tok.children if c.dep_ == "dobj" and c.i > tok.i]
    phrases = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "as"]
    if objects and phrases and phrases[0].i > objects[0].i:
        return [(objects[0].left_edge.i, phrases[0].right_edge.i + 1)], "dobj", []
    return None


def _light_content(ctx: _Context, tok: Token) -> _Content | None:
    """ "expressed concern that …", "voiced support for …", "made the claim that …"."""
    lemma = _lemma(tok)
    if lemma not in LIGHT_VERBS and lemma not in NOUN_LIGHT_VERBS:
        return None
    objects = [c for c in tok.children if c.dep_ == "dobj" and c.pos_ == "NOUN" and c.i > tok.i]
    if not objects:
        return None
    obj = objects[0]
    if lemma not in LIGHT_VERBS and obj.lemma_.lower() not in NOUN_CUES:
        return None
    for grand in obj.children:
        if grand.i < obj.i:
            continue
        clause = grand.dep_ in ("acl", "ccomp", "relcl") and _has_that(grand)
        infinitive = grand.dep_ == "acl" and any(m.dep_ == "aux" for m in grand.children)
        if clause or infinitive:
            return [_subtree(grand)], "light", [obj.i]
        if (
            grand.dep_ == "prep"
            and grand.i == obj.i + 1
            and grand.lower_ in ("about", "over", "for", "with", "at", "in", "of", "that")
        ):
            pobj = [g for g in grand.children if g.dep_ in ("pobj", "pcomp")]
            if pobj:
                return [_subtree(pobj[0])], "light", [grand.i]
    return None


def _prep_content(ctx: _Context, tok: Token) -> _Content | None:
    """ "called for a ceasefire", "called for Europe to act", "called on X to resign"."""
    preps = PREP_CUES.get(_lemma(tok))
    if preps is None:
        return None
    children = list(tok.children)
    # "called for Europe to act": spaCy makes "for" the marker of the clause.
    for child in children:
        if child.dep_ in ("advcl", "ccomp", "xcomp") and child.i > tok.i:
            marks = [g for g in child.children if g.dep_ == "mark" and g.lower_ in preps]
            if marks and marks[0].i == tok.i + 1:
                return [(marks[0].i + 1, child.right_edge.i + 1)], "prep", [marks[0].i]
    for child in children:
        if child.dep_ not in ("prep", "prt") or child.lower_ not in preps or child.i < tok.i:
            continue
        if child.dep_ == "prt":
            objects = [c for c in children if c.dep_ in ("dobj", "ccomp") and c.i > child.i]
        else:
            objects = [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
        if objects:
            first = min(o.left_edge.i for o in objects)
            last = max(o.right_edge.i for o in objects)
            for c in children:  # "called on X to resign": the infinitive belongs too
                if c.dep_ in ("xcomp", "ccomp") and c.i > last:
                    last = c.right_edge.i
            if all(t.pos_ in ("ADV", "PART") for t in ctx.doc[tok.i + 1 : child.i]):
                return [(first, last + 1)], "prep", [child.i]
            # "pressed Europe for help": the hearer right before the preposition stays out of
            # both the cue and the content; anything else between is another construction
            # ("pushes the tally beyond its total for 2012").
            hearers = [c for c in children if c.dep_ == "dobj" and tok.i < c.i < child.i]
            if hearers and hearers[0].right_edge.i + 1 == child.i:
                return [(first, last + 1)], "prep", []
    return None


def _infinitive_content(ctx: _Context, tok: Token) -> _Content | None:
    """ "vowed to appeal", "urged Europe to act"."""
    lemma = _lemma(tok)
    if lemma not in INFINITIVE_VERBS:
        return None
    children = list(tok.children)
    for child in children:
        if child.dep_ == "xcomp" and child.i > tok.i:
            start = child.left_edge.i
            # The object belongs to the content ("urged Europe to act"), except the hearer of
            # "told her to call" (on the training split, "asked" keeps it two times in three).
            objects = [c for c in children if c.dep_ == "dobj" and tok.i < c.i < child.i]
            if objects and lemma != "tell":
                start = objects[0].left_edge.i
            return [(start, child.right_edge.i + 1)], "xcomp", []
    return None


def _object_is_content(tok: Token, lemma: str) -> bool:
    """Whether the direct object of this verb is reported content (see the lexicon notes)."""
    if lemma in OBJECT_VERBS:
        return True
    subjects = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
    if lemma == "show":
        return bool(subjects) and subjects[0].lemma_.lower() in _SHOWING_SUBJECTS
    if lemma in GUARDED_OBJECT_VERBS:
        if not subjects or subjects[0].lemma_.lower() in _FORCE_NOUNS:
            return False
        objects = [c for c in tok.children if c.dep_ == "dobj"]
        return bool(objects) and objects[0].ent_type_ not in ("GPE", "LOC", "FAC")
    return False


#: Verbs that are official acts with a bare object ("declared a state of emergency",
#: "declared mourning", "declared war"): their object is content only with a predicate ("declared
#: the district safe", "declared him to be the winner") or in quotation marks.
_ACT_VERBS = _words("declare proclaim")


def _object_content(ctx: _Context, tok: Token) -> _Content | None:
    """ "denied the report", "accused him of sexism", "described Clinton as a politician"."""
    lemma = _lemma(tok)
    if not _object_is_content(tok, lemma):
        return None
    children = list(tok.children)
    for child in children:
        if child.dep_ == "dobj" and child.i > tok.i:
            start, end = _subtree(child)
            predicate = False
            # The complements right after the object belong to it; times do not.
            for other in children:
                if other.i < end or other.left_edge.i != end:
                    continue
                if other.dep_ not in ("prep", "oprd", "acomp", "xcomp", "advcl", "ccomp"):
                    break
                if other.dep_ == "prep" and any(
                    g.ent_type_ in ("DATE", "TIME") for g in other.children
                ):
                    break
                predicate = predicate or other.dep_ != "prep" or other.lower_ == "as"
                end = other.right_edge.i + 1
            if lemma in _ACT_VERBS and not predicate:
                predicate = any(c.dep_ in ("oprd", "acomp", "xcomp", "amod") for c in child.rights)
                region = ctx.region[end] if end < ctx.n else None
                if region is not None and ctx.regions[region][0] == end:
                    end, predicate = ctx.regions[region][1], True  # "declared it “a disaster”"
                quoted = any(ctx.region[i] is not None for i in range(start, end))
                if not (predicate or quoted):
                    return None
            return [(start, end)], "dobj", []
    return None


def _parataxis_content(ctx: _Context, tok: Token) -> _Content | None:
    """ "The plan, she said, will fail.": the clause around the cue."""
    if _lemma(tok) not in SPEECH_VERBS or tok.dep_ != "parataxis":
        return None
    return _minus(_subtree(tok.head), [_subtree(tok)]), "parataxis", []


def _loose_that_content(ctx: _Context, tok: Token) -> _Content | None:
    """ "The Times reported at the time that …": a that-clause the parse failed to attach."""
    if _lemma(tok) not in SPEECH_VERBS or tok.dep_ != "ROOT":
        return None
    doc = ctx.doc
    seg_end = ctx.segment_of(tok.i)[1]
    for i in range(tok.i + 1, min(seg_end, tok.i + 8)):
        if doc[i].dep_ in ("dobj", "ccomp", "xcomp") or doc[i].is_punct:
            break
        if doc[i].lower_ == "that" and doc[i].dep_ in ("mark", "advmod", "nsubj"):
            return [(i, seg_end)], "ccomp", []
    return None


_CONTENT_FINDERS: tuple[Callable[[_Context, Token], _Content | None], ...] = (
    _clause_content,
    _naming_content,
    _as_content,
    _light_content,
    _prep_content,
    _infinitive_content,
    _object_content,
    _parataxis_content,
    _loose_that_content,
)


def _is_cue_verb(tok: Token) -> bool:
    if tok.pos_ != "VERB" and not (tok.tag_.startswith("VB") and tok.pos_ != "AUX"):
        return False
    lemma = _lemma(tok)
    return any(
        lemma in lexicon
        for lexicon in (
            SPEECH_VERBS,
            COGNITION_VERBS,
            OBJECT_VERBS,
            GUARDED_OBJECT_VERBS,
            INFINITIVE_VERBS,
            PREP_CUES,
            NAMING_VERBS,
            AS_VERBS,
            LIGHT_VERBS,
            NOUN_LIGHT_VERBS,
        )
    )


# ------------------------------------------------------------------------------------------------
# Constructions
# ------------------------------------------------------------------------------------------------


def _hearer_report(tok: Token) -> tuple[Token, Token, Token] | None:
    """ "told Reuters, which reported that …": (hearer, report verb, reported clause)."""
    if _lemma(tok) != "tell":
        return None
    for hearer in tok.children:
        if hearer.dep_ not in ("dobj", "dative") or hearer.i < tok.i:
            continue
        for clause in hearer.children:
            subjects = [g for g in clause.children if g.dep_ == "nsubj"]
            comps = [g for g in clause.children if g.dep_ == "ccomp"]
            if (
                clause.dep_ == "relcl"
                and _lemma(clause) in SPEECH_VERBS
                and subjects
                and subjects[0].lower_ in _RELATIVE
                and comps
            ):
                return hearer, clause, comps[0]
    return None


#: Verbs whose direct object is a hearer, not content ("told reporters", "assured the board").
_HEARER_VERBS = _words("tell inform assure brief remind advise notify")
#: What may follow the cue of a closing reporting clause: its hearer and adverbials.
_TAIL_DEPS = frozenset(
    {"dobj", "dative", "prep", "advmod", "npadvmod", "advcl", "agent", "prt", "punct", "neg"}
)
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
#: Verbs of saying that close a sentence after their content ("…, the union said."); other
#: speech verbs in that position mostly do something else ("…, young voters show up").
_TAIL_VERBS = _words(
    """
    say tell add report confirm write explain note announce state insist argue warn claim
    acknowledge admit estimate predict recall reply respond continue conclude tweet post
    testify observe complain concede allege agree caution contend counter emphasize emphasise
    stress reiterate remark assert maintain suggest disclose reveal specify
    """
)
_TAIL_PRONOUNS = _words("he she they we i it who")


def _phrase_boundary(ctx: _Context, end: int, seg_start: int) -> int | None:
    """The comma (or closing quotation mark after one) nearest before ``end``, within 12
    tokens and outside quotations; None if a quotation or the segment start comes first."""
    doc = ctx.doc
    for k in range(end - 1, max(seg_start, end - 13), -1):
        if doc[k].text == "," and ctx.region[k] is None:
            return k
        if _is_quote(doc[k]) and doc[k - 1].text in (",", "?", "!"):
            return k + 1 if k + 1 < end else None  # "“…,” the mayor said": marks stay
        if ctx.region[k] is not None:
            return None
    return None


def _is_noun_phrase(span: Span_) -> bool:
    """Whether a span is one noun phrase: a single subtree without a clause of its own."""
    root = span.root
    return all(t.i == root.i or root.is_ancestor(t) for t in span) and not any(
        t.pos_ in ("VERB", "AUX") and t.dep_ not in ("relcl", "acl", "amod") for t in span
    )


def _tail_frame(ctx: _Context, tok: Token) -> tuple[TokSpan, Token, TokSpan] | None:
    """A reporting clause that closes its sentence after the content: "About 3,400 workers
    walked off the job, union secretary Oksana Feld told reporters at the port gates."

    Returns the content (up to the comma, or to the closing quotation mark after it), the head
    of the noun phrase between it and the cue, and that phrase as the source: the speaker is
    that phrase whatever the parse made of it, as the parser often hangs it on the content
    ("…, halting loading at all nine berths, the union said" with "loading" as the subject).
    The content must be a finite clause that does not open with a subordinator or participle
    ("When asked, she said."). A quotation introduced by a colon is the content on its own
    ("His verdict: “…,” he said").
    """
    lemma = _lemma(tok)
    if lemma not in _TAIL_VERBS or ctx.region[tok.i] is not None:
        return None
    if tok.dep_ != "ROOT" and not (
        tok.dep_ in ("conj", "parataxis", "ccomp", "dep")
        and tok.head.dep_ == "ROOT"
        and tok.head.i < tok.i
    ):
        return None  # "…, whom Erdogan accuses", "…, joking": not a closing main clause
    doc = ctx.doc
    seg_start, seg_end = ctx.segment_of(tok.i)
    preps = PREP_CUES.get(lemma, frozenset())
    for child in tok.rights:
        if child.dep_ not in _TAIL_DEPS or (child.dep_ == "dobj" and lemma not in _HEARER_VERBS):
            return None
        if child.dep_ in ("prep", "prt") and child.lower_ in preps:
            return None  # "insisted on …": a content of its own
    for j in range(tok.i + 1, seg_end):
        t = doc[j]
        if t.text == ";":
            break
        if t.text == ":" or (not (t.is_punct or t.is_space) and not tok.is_ancestor(t)):
            return None  # "… said: “…”" introduces its content
    start = _cue_span(doc, tok)[0]
    boundary = _phrase_boundary(ctx, start, seg_start)
    if boundary is None or boundary - seg_start < 3:
        return None
    noun_start = boundary + 1 if doc[boundary].text == "," else boundary
    phrase = doc[noun_start:start]
    if len(phrase) == 0:
        return None
    head = phrase.root
    if head.lower_ in _EXPLETIVES and any(c.dep_ == "auxpass" for c in tok.children):
        # "…, it has been confirmed": a report without a source (see _subject), not a tail
        # whose "source" would be the name before the comma ("… in New York").
        return None
    if (
        head.pos_ not in ("NOUN", "PROPN", "PRON", "NUM")
        or (head.pos_ == "PRON" and head.lower_ not in _TAIL_PRONOUNS)
        or not _is_noun_phrase(phrase)
        or not _is_plausible_source(head)
    ):
        return None
    # A comma inside the source phrase: "the bespectacled, 71-year-old diplomat", "Doug Andres,
    # a spokesman for the speaker": the piece before it modifies the phrase or is the name the
    # phrase is in apposition to (not "halting loading at all berths, the union").
    while doc[boundary].text == ",":
        previous = _phrase_boundary(ctx, boundary, seg_start)
        if previous is None:
            break
        piece_start = previous + 1 if doc[previous].text == "," else previous
        piece = doc[piece_start:boundary]
        if len(piece) == 0:
            break
        root = piece.root
        if all(piece_start <= t.head.i < start and t.pos_ != "AUX" for t in piece) and any(
            noun_start <= t.head.i < start and t.dep_ in ("amod", "compound", "nmod", "det")
            for t in piece
        ):
            noun_start, boundary = piece_start, previous
        elif (
            head.dep_ == "appos"
            and piece_start <= head.head.i < boundary
            and _is_noun_phrase(piece)
            and root.pos_ in ("NOUN", "PROPN")
            and _is_plausible_source(root)
        ):
            noun_start, boundary, head = piece_start, previous, root
        else:
            break
    if boundary - seg_start < 3:
        return None
    content_start = seg_start
    # "In Seattle, …, a TV station reported, while in Chicago …, the paper reported": the
    # content starts after an earlier closing reporting clause.
    for j in range(boundary - 2, seg_start, -1):
        earlier = doc[j]
        if (
            doc[j + 1].text == ","
            and earlier.pos_ == "VERB"
            and _lemma(earlier) in _TAIL_VERBS
            and any(c.dep_ == "nsubj" and c.i < j for c in earlier.children)
            and ctx.region[j] is None
        ):
            content_start = j + 2
            break
    left = [t for t in doc[content_start:boundary] if not (t.is_punct or t.is_space)]
    if not left:
        return None
    if (left[0].pos_ == "SCONJ" or left[0].dep_ == "mark") and not (
        content_start > seg_start and left[0].lower_ in ("while", "whereas")
    ):
        return None
    if (
        left[0].tag_ in ("VBN", "VBG")
        or left[0].lower_ == "asked"
        or not any(t.tag_ in _FINITE_TAGS for t in left)
    ):
        return None  # "Asked whether …, she said": no clause of its own
    region = ctx.region[boundary - 1]
    if region is not None:
        r_start = ctx.regions[region][0]
        if r_start > content_start and doc[r_start - 1].text == ":":
            content_start = r_start
    return (content_start, boundary), head, (noun_start, start)


def _past_dateline(ctx: _Context, subject: Token, tok: Token) -> Token:
    """The subject after a dateline that the parse took for it ("VELMAR, March 12 (KNA) — ETV
    reported" parses "VELMAR" as the subject and ETV as its appositive)."""
    doc = ctx.doc
    seg_start = ctx.segment_of(tok.i)[0]
    end = _dateline_end(doc, seg_start, tok.i)
    if end is None or subject.i >= end:
        return subject
    for i in range(end, tok.i):
        head = doc[i]
        if head.left_edge.i == end and head.pos_ in ("NOUN", "PROPN") and head.head.i < end:
            return head
    for i in range(end, tok.i):
        head = doc[i]
        if head.pos_ in ("NOUN", "PROPN") and not end <= head.head.i < tok.i:
            return head
    return subject


#: Verbs that frame an event as much as they report speech ("…, underscoring the urgency").
_FRAMING_VERBS = _words(
    """
    underscore highlight signal reflect mark show indicate demonstrate illustrate emphasize
    emphasise stress suggest
    """
)
#: Conjunctions of a background clause ("as Ukraine pressed Europe for help"): a call or plea
#: in one is an event of the story, not an attribution.
_BACKGROUND_MARKS = _words("as while when whenever after before since until once")


def _is_discourse_idiom(subject: Token, tok: Token) -> bool:
    """ "That said, …", "This said, …": a connective, not a speaker."""
    doc = tok.doc
    return (
        subject.lower_ in ("that", "this")
        and subject.i + 1 == tok.i
        and tok.i + 1 < len(doc)
        and doc[tok.i + 1].text == ","
    )


def _is_event_frame(tok: Token, kind: str) -> bool:
    """Whether a cue reads as an event rather than a report.

    A framing participle with a noun-phrase object, hanging on a clause that is not itself
    about speech, says what an event means ("The council met in Kyiv, underscoring the urgency
    of the situation"; "This assembly serves as an indicator …, underscoring a shared
    resolve"), whoever the clause's subject is; "…, underscoring that …" still reports. A plea
    put to someone in a background clause is an event ("NATO met in Kyiv as Ukraine pressed
    Europe for help"): the main clause would otherwise read as part of a call. (Other cues
    in such clauses, "as she called for …", "when asked about …", stay: PolNeAR marks them.)
    """
    if (
        kind == "prep"
        and tok.dep_ == "advcl"
        and any(c.dep_ == "dobj" for c in tok.rights)
        and any(c.dep_ == "mark" and c.lower_ in _BACKGROUND_MARKS for c in tok.children)
    ):
        return True
    if _lemma(tok) not in _FRAMING_VERBS or tok.tag_ != "VBG" or kind == "ccomp":
        return False
    if tok.dep_ not in ("advcl", "acl", "conj", "xcomp"):
        return False
    head = tok.head
    head_lemma = _lemma(head)
    return not (head_lemma in SPEECH_VERBS or head_lemma in PREP_CUES)


def _verb_found(ctx: _Context, tok: Token) -> _Found | None:
    """An attribution headed by a cue verb: its content, source and cue."""
    doc = ctx.doc
    via: list[TokSpan] = []
    absorbed: list[int] = []
    content: list[TokSpan]
    cue_extra: list[int]
    hearer_report = _hearer_report(tok)
    tail = _tail_frame(ctx, tok)
    if hearer_report is not None:
        # "The minister told Reuters, which reported that …": the minister is the source and
        # Reuters the relay; the content is what Reuters reported.
        hearer, report, comp = hearer_report
        content, kind, cue_extra = [_subtree(comp)], "ccomp", []
        via.append(_core_np(doc, hearer))
        absorbed.append(report.i)
    elif tail is not None:
        content, kind, cue_extra = [tail[0]], "ccomp", []
    else:
        for finder in _CONTENT_FINDERS:
            result = finder(ctx, tok)
            if result is not None:
                content, kind, cue_extra = result
                break
        else:
            return None
    if _is_event_frame(tok, kind):
        return None
    content = [c for part in content for c in _minus(part, [(tok.i, tok.i + 1)])]
    relay = _leading_relay(ctx, content) if kind == "ccomp" else None
    subject, sourceless = _subject(tok)
    if tail is not None:
        subject, sourceless = tail[1], False
    parsed_subject = subject
    if subject is not None:
        subject = _past_dateline(ctx, subject, tok)
    source: TokSpan | None = None
    speaker: TokSpan | None = None
    antecedent: int | None = None
    if subject is not None and (
        subject.lower_ in _GENERIC_YOU
        or not _is_plausible_source(subject)
        or _is_discourse_idiom(subject, tok)
        or any(t.text == ":" for t in doc[subject.i + 1 : tok.i])
    ):
        return None  # not a source, or a label the parse took for one ("Label: The x says")
    if tail is not None:
        source = _trim(doc, tail[2], keep_quotes=False)
        if not _balanced(doc, *source) and doc[source[1]].text == ")":
            source = (source[0], source[1] + 1)  # "Rep. Ana Ruiz (D-Ore.)"
        core = _core_np(doc, tail[1])
        speaker = (max(core[0], source[0]), min(core[1], source[1]))
        if speaker[1] <= speaker[0]:
            speaker = source
    elif subject is not None:
        source = _source_phrase(doc, subject)
        if source[1] <= source[0]:
            source = (subject.i, subject.i + 1)
        speaker = _core_np(doc, subject)
    if subject is not None:
        if subject.lower_ in _RELATIVE and tok.dep_ == "relcl":
            if not _is_plausible_source(tok.head):
                return None  # "initiatives that call for trust", "a plan which says": no one
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
            issuer, _ = _subject(noun.head if noun.dep_ == "dobj" else noun.head.head)
        if issuer is not None:
            source = _trim(doc, _subtree(issuer), keep_quotes=False)
            speaker = _core_np(doc, issuer)
    if source is not None and source[0] <= tok.i < source[1]:
        # A source phrase never holds its cue (a mangled parse); fall back to the mention.
        source = speaker if speaker and not speaker[0] <= tok.i < speaker[1] else None
    if source is None and not sourceless:
        return None  # a source we cannot find ("Asked about it, …") is not "no source"
    end_pp = _statement_pp(doc, tok)
    if end_pp is not None:
        cue_extra.append(end_pp)
    cue = _cue_span(doc, tok, cue_extra)
    snapped = []
    for part in content:
        part = _trim_content(ctx, _snap_to_quotes(ctx, part, tok.i))
        if part[1] > part[0]:
            snapped.append(part)
    if not snapped:
        return None
    snapped = _merge_fragments(doc, snapped, (tok.i, tok.i + 1))
    found = _Found(
        head=tok.i,
        cue=cue,
        content=snapped,
        source=source,
        speaker=speaker,
        quote=_quote_kind(ctx, snapped, kind),
        kind=kind,
        antecedent=antecedent,
        record_cue=_audience_cue(doc, tok, cue, snapped),
        via=via,
        absorbed=absorbed,
    )
    if relay is not None:
        _apply_leading_relay(ctx, found, relay)
    else:
        _add_relays(ctx, found, tok, subject, parsed_subject)
    return found


def _leading_relay(ctx: _Context, content: list[TokSpan]) -> Token | None:
    """A relay at the very start of a clausal content: "TASS reported, citing the ministry,
    that …", "The ministry said, according to Interfax, that …" (the parse hangs the relay
    phrase on the reported clause)."""
    doc = ctx.doc
    start = content[0][0]
    while start < content[0][1] and (doc[start].is_punct or doc[start].is_space):
        start += 1
    if start >= content[0][1]:
        return None
    tok = doc[start]
    if tok.lemma_ in RELAY_VERBS and tok.tag_ == "VBG":
        return tok
    if tok.lower_ == "according" and start + 1 < ctx.n and doc[start + 1].lower_ == "to":
        return tok
    return None


def _apply_leading_relay(ctx: _Context, found: _Found, relay: Token) -> None:
    """Fold a leading relay phrase into ``found``: cut it from the content and extend the chain.

    "citing X" makes X the speaker and the former speaker its relay; "according to X" keeps the
    speaker and adds X as the relay.
    """
    doc = ctx.doc
    phrase = _subtree(relay)
    content = []
    for part in found.content:
        for piece in _minus(part, [phrase]):
            piece = _trim_content(ctx, piece)
            if piece[1] > piece[0]:
                content.append(piece)
    if not content:
        return
    found.content = content
    if relay.lower_ == "according":
        objects = [c for c in doc[relay.i + 1].children if c.dep_ == "pobj"]
        if objects:
            found.via.insert(0, _core_np(doc, objects[0]))
            found.absorbed.append(relay.i)
        return
    objects = [g for g in relay.children if g.dep_ == "dobj"]
    if objects:
        if found.speaker is not None:
            found.via.insert(0, found.speaker)
        found.speaker = _core_np(doc, objects[0])
        found.relays.append(((relay.i, relay.i + 1), _trim(doc, _subtree(objects[0]))))


def _add_relays(
    ctx: _Context,
    found: _Found,
    tok: Token,
    subject: Token | None,
    parsed_subject: Token | None = None,
) -> None:
    """Follow "citing X" / "quoting X" / ", which cited X" to the original source.

    ``parsed_subject`` is the subject as parsed when it was a dateline: the parse hangs the
    relay phrase on it.
    """
    doc = ctx.doc
    anchors = [tok]
    for noun in (subject, parsed_subject):
        if noun is not None and noun not in anchors:
            anchors.append(noun)
            anchors.extend(c for c in noun.children if c.dep_ == "appos")
    for anchor in anchors:
        for child in anchor.children:
            if child.lemma_ not in RELAY_VERBS or child.dep_ not in ("advcl", "acl", "relcl"):
                continue
            if child.dep_ != "relcl" and child.tag_ != "VBG":
                continue
            objects = [g for g in child.children if g.dep_ == "dobj"]
            if not objects:
                continue
            if found.speaker is not None:
                found.via.insert(0, found.speaker)
            found.speaker = _core_np(doc, objects[0])
            found.relays.append(((child.i, child.i + 1), _trim(doc, _subtree(objects[0]))))
            return


def _according_found(ctx: _Context, tok: Token) -> _Found | None:
    """ "according to X, …" / "…, according to X": the content is the rest of the clause."""
    doc = ctx.doc
    if tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
        return None
    to = doc[tok.i + 1]
    objects = [c for c in to.children if c.dep_ == "pobj"]
    if not objects:
        return None
    obj = objects[0]
    phrase = (tok.i, max(obj.right_edge.i, to.i) + 1)
    clause = tok.head
    while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
        clause = clause.head
    seg_start, seg_end = ctx.segment_of(tok.i)
    c_start, c_end = _subtree(clause)
    if clause.pos_ not in ("VERB", "AUX") or not c_start <= tok.i < c_end:
        c_start, c_end = seg_start, seg_end
    parts = []
    for part in _minus((max(c_start, seg_start), min(c_end, seg_end)), [phrase]):
        part = _trim_content(ctx, _snap_to_quotes(ctx, part, tok.i))
        if part[1] > part[0]:
            parts.append(part)
    if not parts:
        return None
    found = _Found(
        head=tok.i,
        cue=(tok.i, to.i + 1),
        content=parts,
        source=_trim(doc, _subtree(obj), keep_quotes=False),
        speaker=_core_np(doc, obj),
        quote=_quote_kind(ctx, parts, "according"),
        kind="according",
    )
    _add_relays(ctx, found, obj, None)
    if found.relays and found.source is not None:
        # "according to AP, which cited a police spokesman": the source phrase is "AP".
        source = _trim(doc, (found.source[0], found.relays[0][0][0]), keep_quotes=False)
        while source[1] > source[0] and doc[source[1] - 1].lower_ in _RELATIVE:
            source = _trim(doc, (source[0], source[1] - 1), keep_quotes=False)
        found.source = source
    return found


def _noun_found(ctx: _Context, tok: Token) -> _Found | None:
    """A cue noun with its possessor or "by" phrase as the source: "Trump's claim that …"."""
    doc = ctx.doc
    if tok.dep_ == "dobj" and (_lemma(tok.head) in LIGHT_VERBS | NOUN_LIGHT_VERBS):
        return None  # the verb's attribution ("made the claim that …")
    source_tok: Token | None = None
    for child in tok.children:
        if child.dep_ == "poss" and child.i < tok.i:
            source_tok = child
        elif child.dep_ == "prep" and child.lower_ in ("by", "from") and child.i > tok.i:
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if objects and source_tok is None:
                source_tok = objects[0]
    if source_tok is None or source_tok.lower_ in ("its", "it"):
        return None
    content: TokSpan | None = None
    cue_end = tok.i + 1
    for child in tok.children:
        if child.i < tok.i:
            continue
        clause = child.dep_ in ("acl", "ccomp", "relcl") and _has_that(child)
        infinitive = child.dep_ == "acl" and any(
            m.dep_ == "aux" and m.lower_ == "to" for m in child.children
        )
        if clause or infinitive or child.dep_ == "ccomp":
            content = _subtree(child)
            break
        if (
            child.dep_ == "prep"
            and child.i == tok.i + 1
            and child.lower_ in ("for", "of", "about", "against", "on", "over", "to")
        ):
            objects = [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
            if objects:
                cue_end = child.i + 1
                content = _subtree(objects[0])
                break
    if content is None:
        return None
    # A possessor keeps its marker ("Trump's"): PolNeAR puts it in the source twice as often
    # as in the cue.
    poss = source_tok.dep_ == "poss"
    source = _subtree(source_tok) if poss else _source_phrase(doc, source_tok)
    cue_start = tok.i
    for child in tok.lefts:
        if child.dep_ in ("amod", "compound") and child.i > source_tok.i:
            cue_start = min(cue_start, child.i)  # "his stern warning"
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


def _mistagged_found(ctx: _Context, tok: Token) -> _Found | None:
    """ "Name Says content": a cue verb tagged as a noun, between a name and its content."""
    doc = ctx.doc
    seg_start, seg_end = ctx.segment_of(tok.i)
    start = seg_start
    while start < tok.i and (
        doc[start].is_space or doc[start].is_punct or doc[start].lower_ in ("but", "and", "so")
    ):
        start += 1
    left = doc[start : tok.i]
    if not 1 <= len(left) <= 8 or any(t.pos_ in ("VERB", "AUX") for t in left):
        return None
    if not any(t.pos_ == "PROPN" or t.ent_type_ for t in left) or ctx.region[tok.i] is not None:
        return None
    content = _trim_content(ctx, _snap_to_quotes(ctx, (tok.i + 1, seg_end), tok.i))
    if content[1] - content[0] < 2:
        return None
    source = _trim(doc, (start, tok.i), keep_quotes=False)
    return _Found(
        head=tok.i,
        cue=(tok.i, tok.i + 1),
        content=[content],
        source=source,
        speaker=source,
        quote=_quote_kind(ctx, [content], "headline"),
        kind="mistagged",
    )


def _headline_found(ctx: _Context, seg: TokSpan) -> _Found | None:
    """ "Name: content" at the start of a line: a headline, a list item or a transcript turn.

    The label is a short title-case or upper-case name ("Kallas:", "WALLACE:", "Q:"), not a
    section label ("Update:"); the content runs to the end of the line.
    """
    doc = ctx.doc
    start, end = seg
    while start < end and (
        doc[start].is_space or _is_quote(doc[start]) or doc[start].text in _BULLETS
    ):
        start += 1
    for i in range(start + 1, min(end, start + 5)):
        if doc[i].text != ":":
            continue
        left = doc[start:i]
        if left.text.lower() in _NOT_LABELS or any(t.pos_ in ("VERB", "AUX") for t in left):
            return None
        upper_label = all(t.is_upper and t.is_alpha for t in left) and (
            len(left[0].text) > 1 or left.text in ("Q", "A")
        )
        if not upper_label and not all(
            t.is_title or t.is_upper or t.pos_ == "PROPN" or t.lower_ in ("of", "the", "'s", "’s")
            for t in left
        ):
            return None
        # A name or a report ("Kallas:", "Poll:"), not a section label ("Key Facts:").
        named = any(t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") for t in left)
        report = len(left) == 1 and left[0].lemma_.lower() in REPORT_NOUNS
        if not (upper_label or named or report):
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
    """ "“…” ― Ana Ruiz": a quotation signed with a dash and a name ending the line."""
    doc = ctx.doc
    r_start, r_end = ctx.regions[region]
    if r_end >= ctx.n or doc[r_end].text not in _DASHES:
        return None
    name_end = r_end + 1
    while name_end < ctx.n and not doc[name_end].is_space and ctx.para[name_end] == ctx.para[r_end]:
        name_end += 1
    name = _trim(doc, (r_end + 1, name_end), keep_quotes=False)
    tokens = doc[name[0] : name[1]]
    if not 1 <= len(tokens) <= 8 or not any(t.pos_ == "PROPN" for t in tokens):
        return None
    if any(t.pos_ == "VERB" for t in tokens):
        return None
    return _Found(
        head=r_end,
        cue=(r_end, r_end + 1),
        content=[_trim_content(ctx, (r_start, r_end))],
        source=name,
        speaker=name,
        quote="direct",
        kind="dash",
    )


def _quote_cue(ctx: _Context, region: int, taken: set[int]) -> Token | None:
    """A speech verb attributing a direct quotation that no parsed content reaches.

    Looked for after the quotation ("“…,” she said." — also in the next sentence when the
    tagger split after "?"), before it ("She said: “…”", "He told reporters, “…”") and in the
    sentence before one the quotation opens ("Ana Ruiz said in a statement. “…”").
    """
    doc = ctx.doc
    r_start, r_end = ctx.regions[region]
    if r_end < ctx.n:
        seg_index = ctx.seg[r_end - 1]
        limit = ctx.segments[seg_index][1]
        next_sentence = False
        if limit <= r_end and seg_index + 1 < len(ctx.segments):
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
                # Far from the quotation, only a cue whose subject fills the gap: "“…,” a
                # senior official, who asked not to be named because …, said."
                continue
            if tok.pos_ == "VERB" and tok.lemma_.lower() in SPEECH_VERBS:
                if next_sentence and (
                    tok.i in taken or any(c.dep_ in ("ccomp", "dobj") for c in tok.children)
                ):
                    break  # a new sentence with an attribution of its own
                return tok
    if r_start > 0:
        seg_start = ctx.segment_of(r_start)[0]
        for i in range(r_start - 1, max(seg_start - 1, r_start - 12), -1):
            tok = doc[i]
            if ctx.region[i] is not None:
                break
            if tok.pos_ == "VERB" and tok.lemma_.lower() in SPEECH_VERBS:
                if all(
                    t.is_punct or t.is_space or t.head.i == tok.i or t.head.head.i == tok.i
                    for t in doc[i + 1 : r_start]
                ):
                    return tok
                break
    seg_index = ctx.seg[r_start]
    seg_start = ctx.segments[seg_index][0]
    if seg_index == 0 or any(
        not (doc[i].is_punct or doc[i].is_space) for i in range(seg_start, r_start)
    ):
        return None
    prev_start, prev_end = ctx.segments[seg_index - 1]
    last = prev_end - 1
    while last > prev_start and (doc[last].is_space or doc[last].is_punct):
        last -= 1
    colon = any(doc[i].text == ":" for i in range(last, prev_end))
    if ctx.para[r_start] - ctx.para[prev_start] > (1 if colon else 0):
        return None
    for i in range(prev_start, prev_end):
        tok = doc[i]
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in SPEECH_VERBS or tok.i in taken:
            continue
        if ctx.region[i] is not None or any(
            c.dep_ in ("ccomp", "dobj", "xcomp") for c in tok.children
        ):
            continue
        if tok.dep_ == "ROOT" and tok.right_edge.i >= last:
            return tok  # the cue's clause ends the sentence ("… said in a statement.")
    return None


def _quote_source(
    ctx: _Context, tok: Token, region: TokSpan
) -> tuple[TokSpan | None, TokSpan | None]:
    """The source phrase and speaker of a quotation attributed by ``tok``, outside it."""
    doc = ctx.doc
    r_start, r_end = region
    if tok.i >= r_end:
        # "“…,” Tulsa police Chief Ana Ruiz said": the words between the quotation and the cue.
        between = _trim(doc, (r_end, _cue_span(doc, tok)[0]), keep_quotes=False)
        if between[1] > between[0]:
            head = doc[between[0] : between[1]].root
            if head.pos_ in ("PROPN", "NOUN", "PRON") or head.ent_type_:
                core = _core_np(doc, head)
                speaker = (max(core[0], between[0]), min(core[1], between[1]))
                return between, speaker if speaker[1] > speaker[0] else between
    subject, _ = _subject(tok)
    if subject is None or r_start <= subject.i < r_end:
        return None, None
    return _source_phrase(doc, subject), _core_np(doc, subject)


def _drop_quoted(ctx: _Context, items: list[_Found]) -> list[_Found]:
    """The attributions whose cue sits inside quoted speech (the speaker's own words)."""
    return [
        item
        for item in items
        if item.kind != "headline" and ctx.speech_region(item.head) is not None
    ]


def _continue_quotes(ctx: _Context, items: list[_Found], covered: list[bool]) -> None:
    """Give quotation-only sentences that follow an attribution to the same speaker.

    The quotation must open its sentence and have nothing but the rest of the attributing
    sentence between it and the earlier content; it may be in the next paragraph after a direct
    quotation, in the same paragraph after reported speech, and never after a noun-phrase
    content.
    """
    if not items:
        return
    doc = ctx.doc

    def last_end(item: _Found) -> int:
        return max(e for _, e in item.content)

    # (end of the last content, order) per item, sorted: the latest content before a position.
    keys = sorted((last_end(item), k) for k, item in enumerate(items))
    for index, (r_start, r_end) in enumerate(ctx.regions):
        if any(covered[i] for i in range(r_start, r_end)) or not ctx.is_speech(index):
            continue
        seg_start = ctx.segment_of(r_start)[0]
        if any(not (doc[i].is_space or doc[i].is_punct) for i in range(seg_start, r_start)):
            continue
        at = bisect.bisect_right(keys, (r_start, len(items)))
        if at == 0:
            continue
        previous_key = keys[at - 1]  # the later item on a tie
        previous = items[previous_key[1]]
        anchor = max(last_end(previous), previous.cue[1])
        if previous.source is not None:
            anchor = max(anchor, previous.source[1])
        # After a direct quotation the next paragraph may continue it; after reported speech
        # ("She said the dam held. “Nobody was hurt.”") only the same paragraph.
        reach = 1 if previous.quote == "direct" else 0
        if previous.quote == "none" or ctx.para[r_start] - ctx.para[min(anchor, ctx.n - 1)] > reach:
            continue
        anchor_seg = ctx.seg[min(anchor, ctx.n - 1)]
        if 0 < anchor < r_start and anchor_seg != ctx.seg[anchor - 1]:
            anchor_seg = ctx.seg[anchor - 1]
        if any(
            ctx.seg[i] != anchor_seg
            for i in range(anchor, r_start)
            if not (doc[i].is_space or doc[i].is_punct)
        ):
            continue
        span = _trim_content(ctx, (r_start, r_end))
        if span[1] <= span[0]:
            continue
        previous.content.append(span)
        keys.remove(previous_key)
        bisect.insort(keys, (last_end(previous), previous_key[1]))
        for i in range(r_start, r_end):
            covered[i] = True


def _extract(doc: Doc) -> tuple[_Context, list[_Found]]:
    """Every attribution in the document, before nesting and speaker resolution."""
    ctx = _Context(doc)
    found: dict[int, _Found] = {}
    for seg in ctx.segments:
        start, end = seg
        if start == 0 or ctx.para[start] != ctx.para[start - 1]:
            headline = _headline_found(ctx, seg)
            if headline is not None:
                found[headline.head] = headline
                continue
        for i in range(start, end):
            tok = doc[i]
            lower = tok.lower_
            item: _Found | None
            if lower == "according":
                item = _according_found(ctx, tok)
            elif _is_cue_verb(tok):
                item = _verb_found(ctx, tok)
            elif tok.pos_ in ("NOUN", "PROPN", "ADJ") and lower in _MISTAGGED_CUES:
                item = _mistagged_found(ctx, tok)
                if item is None and tok.pos_ == "NOUN" and _lemma(tok) in NOUN_CUES:
                    item = _noun_found(ctx, tok)
            elif tok.pos_ == "NOUN" and _lemma(tok) in NOUN_CUES:
                item = _noun_found(ctx, tok)
            else:
                continue
            if item is not None:
                found[item.head] = item
    # A relay ("citing X", "according to X", "told Y, which reported") belongs to the
    # attribution it relays, not to one of its own.
    for item in list(found.values()):
        for head in [cue[0] for cue, _ in item.relays] + item.absorbed:
            found.pop(head, None)
    for item in _drop_quoted(ctx, list(found.values())):
        del found[item.head]
    # Direct quotations that no content reaches: a signature dash, or a cue near them.
    covered = [False] * ctx.n
    for item in found.values():
        for s, e in item.content:
            covered[s:e] = [True] * (e - s)
    for index, (r_start, r_end) in enumerate(ctx.regions):
        if any(covered[r_start:r_end]) or not ctx.is_speech(index):
            continue
        signed = _dash_found(ctx, index)
        if signed is not None:
            found[signed.head] = signed
            covered[r_start:r_end] = [True] * (r_end - r_start)
            continue
        cue_tok = _quote_cue(ctx, index, set(found))
        if cue_tok is None:
            continue
        span = _trim_content(ctx, (r_start, r_end))
        if span[1] <= span[0]:
            continue
        existing = found.get(cue_tok.i)
        if existing is None:
            source, speaker = _quote_source(ctx, cue_tok, (r_start, r_end))
            if source is None:
                continue
            existing = found[cue_tok.i] = _Found(
                head=cue_tok.i,
                cue=_cue_span(doc, cue_tok),
                content=[],
                source=source,
                speaker=speaker,
                quote="direct",
                kind="quote",
            )
        existing.content.append(span)
        existing.content.sort()
        if all(ctx.region[s] is not None for s, _ in existing.content):
            existing.quote = "direct"
        covered[span[0] : span[1]] = [True] * (span[1] - span[0])
    items = sorted(found.values(), key=lambda f: (f.content[0][0], f.head))
    _continue_quotes(ctx, items, covered)
    return ctx, items


# ------------------------------------------------------------------------------------------------
# Nesting
# ------------------------------------------------------------------------------------------------


def _width(item: _Found) -> int:
    return sum(e - s for s, e in item.content)


def _nest(doc: Doc, items: list[_Found]) -> tuple[list[_Found], list[_Found]]:
    """Split nested attributions into the outermost ones (PolNeAR) and the records' view.

    An attribution whose cue lies in another's content is nested in it. PolNeAR keeps the outer
    one only. The records keep the inner one as a relay ("The agency reported that the ministry
    said X": speaker "the ministry", via ("The agency",)), and drop the outer one when its
    content is mostly the inner attribution. Inside a direct quotation, and for a noun-phrase
    content, the inner one is dropped instead.
    """
    # Index the cue heads once so that finding the contents holding them stays near-linear.
    heads = sorted((item.head, k) for k, item in enumerate(items))
    positions = [h for h, _ in heads]
    holders: dict[int, list[_Found]] = {}
    for other in items:
        for s, e in other.content:
            for _, k in heads[bisect.bisect_left(positions, s) : bisect.bisect_left(positions, e)]:
                if items[k] is not other:
                    holders.setdefault(k, []).append(other)
    outer: list[_Found] = []
    parent_of: dict[int, _Found] = {}
    for k, item in enumerate(items):
        if k in holders:
            parent_of[id(item)] = min(holders[k], key=_width)
        else:
            outer.append(item)
    dropped: set[int] = set()
    relayed: dict[int, _Found] = {}
    for item in items:
        parent = parent_of.get(id(item))
        if parent is None:
            continue
        if parent.quote == "direct" or (item.quote == "none" and item.kind != "according"):
            dropped.add(id(item))
            continue
        if item.speaker is not None and parent.speaker is not None:
            inner = {t.lower_ for t in doc[item.speaker[0] : item.speaker[1]]}
            same = (
                doc[item.speaker[0] : item.speaker[1]].text
                == doc[parent.speaker[0] : parent.speaker[1]].text
            )
            if same or inner <= set(_PERSONAL) | _PLURAL | _FIRST_SECOND | {"it"}:
                # "Smith said he believes …": the speaker reporting on themself; the outer
                # attribution says it all.
                dropped.add(id(item))
                continue
        fragment = next(f for f in parent.content if f[0] <= item.head < f[1])
        inner_start = min([item.cue[0]] + [s for s, _ in item.content])
        inner_end = max([item.cue[1]] + [e for _, e in item.content])
        relay = copy.copy(item)
        relay.via = list(item.via)
        if parent.speaker is not None:
            # Items come in document order, so a parent nested in turn is already relayed. A
            # parent with the same speaker ("X wanted to say …") passes its chain on unchanged.
            if parent.speaker != item.speaker:
                relay.via.append(parent.speaker)
            relay.via.extend(relayed.get(id(parent), parent).via)
        relayed[id(item)] = relay
        if len(parent.content) == 1 and inner_end - inner_start >= 0.6 * (
            fragment[1] - fragment[0]
        ):
            dropped.add(id(parent))
    records = [relayed.get(id(item), item) for item in items if id(item) not in dropped]
    return outer, records


# ------------------------------------------------------------------------------------------------
# Speaker resolution
# ------------------------------------------------------------------------------------------------


#: Nouns for places and sites: a name that modifies one, or follows "villages of", is a place
#: even where the tagger calls it a person ("the Millbank district", "the villages of Kirrin").
_PLACE_NOUNS = _words(
    """
    district village town city region county province state country area neighbourhood
    neighborhood suburb valley river lake sea coast island border municipality parish borough
    street road avenue square bridge dam port harbour harbor airport station junction hall
    stadium park camp base plant mine field site zone basin shore bay
    """
)
#: Prepositions whose object, under a verb or a noun that is not a report, is a place more
#: often than a speaker ("evacuated from Millbank", "rescued in Oster Vell").
_PLACE_PREPS = _words(
    "in at from near into toward towards outside inside across through around throughout "
    "within beyond along"
)
#: Doer nouns that name organisations rather than people ("the operator said"): never "he".
_ORG_AGENTS = _words(
    """
    operator regulator broadcaster publisher provider manufacturer carrier developer insurer
    lender retailer supplier distributor contractor producer exporter importer utility
    """
)


#: Entity labels of places and bodies: never "he" or "she".
_BODY_LABELS = frozenset({"ORG", "NORP", "GPE", "FAC", "LOC"})


def _is_person_noun(lemma: str) -> bool:
    """Whether a common noun names a person ("spokeswoman", "engineer", "firefighter")."""
    if lemma in _PERSON_NOUNS:
        return True
    if lemma in _ORG_NOUNS or lemma in _ORG_AGENTS or lemma in REPORT_NOUNS:
        return False
    return (
        lemma.endswith(_AGENT_SUFFIXES)
        and not lemma.endswith(("ment", "ness"))
        and lemma not in _NOT_AGENTS
    )


def _in_place_context(tok: Token) -> bool:
    """Whether a name token sits where places go: the object of a locative preposition ("from
    Millbank", "the villages of Kirrin") or a modifier of a place noun ("the Millbank
    district")."""
    head = tok.head
    if tok.dep_ in ("compound", "nmod", "amod") and head.lemma_.lower() in _PLACE_NOUNS:
        return True
    if tok.dep_ not in ("pobj", "conj", "appos"):
        return False
    while tok.dep_ in ("conj", "appos") and tok.head.i != tok.i:
        tok = tok.head  # "the villages of Oster Vell and Kirrin"
        head = tok.head
    if tok.dep_ != "pobj":
        return False
    prep = head
    governor = prep.head
    if prep.lower_ == "of":
        return governor.lemma_.lower() in _PLACE_NOUNS
    if prep.lower_ not in _PLACE_PREPS or governor.lower_ == "according":
        return False
    lemma = governor.lemma_.lower()
    return not (lemma in REPORT_NOUNS or lemma in NOUN_CUES)


@dataclass(frozen=True, slots=True)
class _Names:
    """What the document as a whole says its names are (see :func:`_name_votes`)."""

    places: frozenset[str]  # keys of names tagged PERSON somewhere that are places
    persons: frozenset[str]  # keys of names that are people, whatever one mention's label
    surnames: frozenset[str]  # last words of people named in full ("Dorn" for "Anselm Dorn")


def _name_votes(doc: Doc) -> _Names:
    """Decide per name, over the whole document, whether it is a person or a place.

    The small English model tags unknown place and company names as PERSON ("Oster Vell",
    "Estmark"), and known people as ORG about as often ("Trump said"), so one mention's label
    is weak evidence. Place evidence: a GPE, LOC or FAC label; a PERSON mention where places
    go ("from Millbank", "the villages of Kirrin"); being the first word of a longer
    organisation or place name ("Estmark" in "Estmark Hydro"). Person evidence: each other
    PERSON mention, double for one with an honorific or a first name ("Anselm Dorn" also
    vouches for "Dorn"). A name is a place when its place evidence outweighs its person
    evidence, and a person when it has person evidence and is not a place.
    """
    person: dict[str, int] = {}
    place: dict[str, int] = {}
    surnames: set[str] = set()

    def add(counts: dict[str, int], key: str, weight: int = 1) -> None:
        counts[key] = counts.get(key, 0) + weight

    for ent in doc.ents:
        key = canonical_key(ent.text)
        if not key:
            continue
        if ent.label_ == "PERSON":
            if _in_place_context(ent.root):
                add(place, key)
                continue
            titled = ent.start > 0 and doc[ent.start - 1].lower_ in _HONORIFICS
            add(person, key, 2 if titled or len(ent) > 1 else 1)
            if len(ent) > 1 and ent[-1].is_title:
                add(person, ent[-1].lower_, 2)
                surnames.add(ent[-1].text)
        elif ent.label_ in ("GPE", "LOC", "FAC"):
            add(place, key)
        if ent.label_ in _BODY_LABELS and len(ent) > 1:
            first = ent[1] if ent[0].lower_ == "the" and len(ent) > 2 else ent[0]
            if first.is_title and first.i < ent.root.i:
                add(place, first.lower_)
    places = frozenset(key for key, count in place.items() if count > person.get(key, 0))
    persons = frozenset(key for key in person if key not in places)
    return _Names(places=places, persons=persons, surnames=frozenset(surnames))


@dataclass(slots=True)
class _Mention:
    """A possible antecedent for a pronoun or a descriptive speaker."""

    index: int  # head token
    seg: int
    text: str
    kind: str  # PERSON | ORG | PLURAL | OTHER
    gender: str | None
    phrase: frozenset[str]  # lower-cased words of the whole phrase, for title matches
    head: str  # the lower-cased head word ("ministry" for "the Interior Ministry")
    is_subject: bool
    is_named: bool
    is_main: bool = False  # the subject of a main clause ("Mr. Jones disagreed.")
    is_titled: bool = False  # written with a title, honorific or gendered word ("Mr.", "mayor")


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


def _is_titled(doc: Doc, start: int, end: int, names: _Names) -> bool:
    """Whether a mention names a person as one: a title or person noun in it or right before
    it ("fire chief Tomas Brandt", "Mr. Jones", "one of the engineers"), or the surname of a
    person named in full ("Brandt" after "Tomas Brandt")."""
    if end - start == 1 and doc[start].text in names.surnames:
        return True
    for tok in doc[max(0, start - 1) : end]:
        lemma = tok.lemma_.lower()
        if tok.lower_ in _HONORIFICS or (tok.pos_ == "NOUN" and _is_person_noun(lemma)):
            return True
    return False


def _speaker_kind(head: Token, names: _Names) -> str:
    """PERSON, ORG, PLURAL or OTHER for the head of a speaker mention.

    A bare surname the tagger left untyped ("Marten said") is a person when the document
    names a person with it ("Lio Marten").
    """
    lemma = head.lemma_.lower()
    lower = head.lower_
    if lower == "one" or lemma in _PART_NOUNS or lower in _PART_NOUNS:
        # "one of the engineers" is a person, "two of the firefighters" a group.
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for group in child.children:
                    if group.dep_ == "pobj":
                        kind = _speaker_kind(group, names)
                        if kind in ("PERSON", "PLURAL"):
                            return "PERSON" if lower == "one" else "PLURAL"
                        return kind
    surname = head.pos_ == "PROPN" and head.text in names.surnames
    key = canonical_key(head.text)
    if head.ent_type_ == "PERSON":
        kind = "ORG" if key in names.places else "PERSON"
    elif head.ent_type_ == "ORG" and key in names.persons:
        kind = "PERSON"  # "Trump said", with Trump tagged ORG here and PERSON elsewhere
    elif head.ent_type_ in _BODY_LABELS or lemma in _ORG_NOUNS or lemma in _ORG_AGENTS:
        kind = "ORG"
    else:
        kind = "PERSON" if _is_person_noun(lemma) or surname else "OTHER"
    if head.tag_ in ("NNS", "NNPS") and kind != "ORG":
        kind = "PLURAL"
    return kind


def _mentions(ctx: _Context, items: list[_Found], names: _Names) -> list[_Mention]:
    """Named entities and non-pronoun speakers, in document order."""
    doc = ctx.doc
    mentions: list[_Mention] = []
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG", "NORP", "GPE"):
            continue
        root = ent.root
        start, end = ent.start, ent.end
        while end > start + 1 and doc[end - 1].tag_ == "POS":
            end -= 1  # "the Interior Ministry['s]"
        key = canonical_key(ent.text)
        if (ent.label_ == "PERSON" and key not in names.places) or (
            ent.label_ == "ORG" and key in names.persons
        ):
            start, end = _person_span(doc, start, end)
            kind = "PERSON"
        else:
            if start > 0 and doc[start - 1].lower_ == "the":
                start -= 1
            kind = "ORG"
        words = [t.lower_ for t in doc[max(0, start - 1) : end]]
        gender = _gender(words)
        mentions.append(
            _Mention(
                index=root.i,
                seg=ctx.seg[root.i],
                text=doc[start:end].text,
                kind=kind,
                gender=gender,
                phrase=frozenset(words),
                head=root.lower_,
                is_subject=root.dep_ in ("nsubj", "nsubjpass"),
                is_named=True,
                is_main=root.dep_ == "nsubj" and root.head.dep_ == "ROOT",
                is_titled=gender is not None
                or (kind == "PERSON" and end - start > 1)
                or _is_titled(doc, start, end, names),
            )
        )
    for item in items:
        if item.speaker is None:
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
        gender = _gender(words)
        mentions.append(
            _Mention(
                index=head.i,
                seg=ctx.seg[head.i],
                text=doc[s:e].text,
                kind=_speaker_kind(head, names),
                gender=gender,
                phrase=frozenset(words),
                head=lower,
                is_subject=True,
                is_named=head.pos_ == "PROPN" or bool(head.ent_type_),
                is_titled=gender is not None or _is_titled(doc, *phrase_span, names),
            )
        )
    mentions.sort(key=lambda m: m.index)
    return mentions


def _antecedent(
    ctx: _Context,
    mentions: list[_Mention],
    position: int,
    kinds: tuple[str, ...],
    gender: str | None,
    learnt: dict[str, str],
) -> _Mention | None:
    """The compatible mention in the nearest earlier sentence: a subject before other mentions,
    a name before a description, the last one before the first."""
    seg = ctx.seg[position]
    at = bisect.bisect_left(mentions, position, key=lambda m: m.index)
    window = mentions[max(0, at - 400) : at]
    # Subjects and speakers first: a pronoun that reports speech nearly always picks up the
    # last one; any other mention only within the two sentences before. For "he"/"she", a
    # person known as one (a title, an honorific, a gendered word) goes before a bare name,
    # which may be a place the tagger took for a person ("Dunmere was evacuated").
    passes: list[tuple[bool, int, bool]] = [(True, _PRONOUN_REACH, False), (False, 2, False)]
    if "PERSON" in kinds:
        passes.insert(0, (True, _PRONOUN_REACH, True))
    for subjects_only, reach, known_only in passes:
        candidates: list[_Mention] = []
        for mention in reversed(window):
            if seg - mention.seg > reach or (candidates and mention.seg < candidates[0].seg):
                break
            if mention.kind not in kinds or (subjects_only and not mention.is_subject):
                continue
            if known_only and not mention.is_titled:
                continue
            known = mention.gender or learnt.get(mention.text)
            if gender is not None and known is not None and known != gender:
                continue
            candidates.insert(0, mention)
        if candidates:
            return ([m for m in candidates if m.is_named] or candidates)[-1]
    return None


@dataclass(slots=True)
class _Speaker:
    """An earlier attribution's speaker, as a candidate for a later "he" or "she"."""

    index: int  # first token of the speaker mention
    end: int  # the token after it
    text: str  # the name it stands for (a resolved pronoun gives its antecedent)
    kind: str
    gender: str | None


def _previous_speaker(
    ctx: _Context,
    speakers: list[_Speaker],
    mentions: list[_Mention],
    position: int,
    gender: str,
    learnt: dict[str, str],
) -> str | None:
    """The speaker a "he"/"she" continues: the latest compatible speaker of an attribution in
    the same or the previous paragraph ("“…,” one of the engineers said. “…,” he added."),
    unless a named person has since become the subject of a main clause ("Mr. Jones
    disagreed. He said …")."""
    para = ctx.para[position]
    for speaker in reversed(speakers):
        if speaker.index >= position:
            continue
        if para - ctx.para[speaker.index] > 1:
            break
        known = speaker.gender or learnt.get(speaker.text)
        if speaker.kind != "PERSON" or (known is not None and known != gender):
            continue
        at = bisect.bisect_left(mentions, position, key=lambda m: m.index)
        for mention in reversed(mentions[:at]):
            if mention.index < speaker.end:
                break
            other = mention.gender or learnt.get(mention.text)
            if (
                mention.is_main
                and mention.is_named
                and mention.kind == "PERSON"
                and mention.text != speaker.text
                and (other is None or other == gender)
            ):
                return mention.text
        return speaker.text
    return None


def _descriptor_target(ctx: _Context, mentions: list[_Mention], span: TokSpan) -> _Mention | None:
    """The earlier mention a description such as "the minister" or "the foreign ministry"
    stands for: one with the same head (or, for a person, the title in its name) and every
    modifier of the description ("foreign" rules out "the Interior Ministry")."""
    doc = ctx.doc
    s, e = span
    words = [t.lower_ for t in doc[s:e]]
    head, modifiers = words[-1], set(words[1:-1])
    seg = ctx.seg[s]
    for mention in reversed(mentions):
        if mention.index >= s or seg - mention.seg > _TITLE_REACH:
            continue
        same_head = mention.head == head or (
            mention.kind == "PERSON" and mention.is_named and head in mention.phrase
        )
        if not same_head or not modifiers <= mention.phrase:
            continue
        # A name, or a fuller description ("the Lorvanian foreign ministry").
        if mention.is_named or len(mention.phrase - {"the", "a", "an"}) > len(words) - 1:
            return mention
    return None


def _resolve(ctx: _Context, items: list[_Found]) -> None:
    """Resolve pronoun and descriptive speakers to an earlier named speaker or person.

    "he"/"she" take the speaker of the latest earlier attribution in the same or previous
    paragraph that can be a person of that gender, and otherwise the most recent person
    mention (honorifics, gendered titles and earlier resolutions tell the gender); names the
    document treats as places or organisations are never persons. "they"/"it" take the most
    recent organisation (or group). A description ("the minister", "the foreign ministry")
    keeps its words and takes the key of the latest compatible mention; a relative "who" the
    noun it hangs on.
    """
    doc = ctx.doc
    names = _name_votes(doc)
    mentions = _mentions(ctx, items, names)
    learnt: dict[str, str] = {}
    speakers: list[_Speaker] = []
    for item in sorted(items, key=lambda f: f.head):
        if item.speaker is None:
            continue
        s, e = item.speaker
        span = doc[s:e]
        lower = span.root.lower_
        target: _Mention | None = None
        name: str | None = None
        if item.antecedent is not None:
            noun = doc[item.antecedent]
            n_start, n_end = _core_np(doc, noun)
            if noun.ent_type_ == "PERSON":
                n_start, n_end = _person_span(doc, n_start, n_end)
            item.resolved = doc[n_start:n_end].text
        elif e - s == 1 and lower in _PERSONAL:
            want = _PERSONAL[lower]
            name = _previous_speaker(ctx, speakers, mentions, s, want, learnt)
            if name is None:
                target = _antecedent(ctx, mentions, s, ("PERSON",), want, learnt)
                name = target.text if target is not None else None
            if name is not None:
                learnt.setdefault(name, want)
                item.resolved = name
        elif e - s == 1 and lower in _PLURAL:
            target = _antecedent(ctx, mentions, s, ("ORG", "PLURAL"), None, learnt)
        elif e - s == 1 and lower == "it":
            target = _antecedent(ctx, mentions, s, ("ORG",), None, learnt)
        elif 2 <= e - s <= 4 and span[0].lower_ == "the" and lower in _TITLES:
            described = _descriptor_target(ctx, mentions, (s, e))
            if described is not None:
                item.resolved_key = canonical_key(described.text)
        if target is not None:
            item.resolved = target.text
        # This speaker as a candidate for a later "he"/"she".
        if lower in _PERSONAL:
            kind, gender = "PERSON", _PERSONAL[lower]
        elif item.antecedent is not None:
            kind, gender = _speaker_kind(doc[item.antecedent], names), None
        elif lower in _PLURAL or lower in _FIRST_SECOND or lower == "it":
            kind, gender = "OTHER", None
        else:
            words = [t.lower_ for t in doc[slice(*(item.source or item.speaker))]]
            kind, gender = _speaker_kind(span.root, names), _gender(words)
        text = item.resolved or span.text
        if kind == "PERSON" and (item.resolved is not None or lower not in _PERSONAL):
            speakers.append(_Speaker(index=s, end=e, text=text, kind=kind, gender=gender))


# ------------------------------------------------------------------------------------------------
# Public API
# ------------------------------------------------------------------------------------------------


def _record_groups(ctx: _Context, item: _Found) -> list[list[TokSpan]]:
    """Group content fragments into records: the fragments of one sentence form one record."""
    groups: list[list[TokSpan]] = []
    for fragment in sorted(item.content):
        if groups and ctx.seg[fragment[0]] == ctx.seg[groups[-1][-1][1] - 1]:
            groups[-1].append(fragment)
        else:
            groups.append([fragment])
    return groups


def find_attributions(doc: Doc) -> tuple[Attribution, ...]:
    """Return every attribution in a parsed document, sorted by content start.

    Args:
        doc: a spaCy ``Doc`` of the whole document (tagger, parser and NER applied). It is
            read, never changed.

    Returns:
        One record per sentence of content: a quotation continued in later sentences gives one
        record each, all with the same speaker and cue (a quotation running over several
        sentences without a break is one record). Spans are half-open character offsets into
        ``doc.text``. ``speaker`` is None only when the content is attributed without naming a
        source ("it was reported that …"); for a resolved pronoun it is the earlier name while
        ``speaker_span`` marks the pronoun; for a resolved description ("the ministry") it is
        the description while ``speaker_key`` is the earlier mention's key.
    """
    ctx, items = _extract(doc)
    _, records = _nest(doc, items)
    _resolve(ctx, records)
    text = doc.text  # built from the tokens on every access: once only
    out: list[Attribution] = []
    for item in records:
        speaker: str | None = None
        speaker_span: Span | None = None
        if item.speaker is not None:
            speaker_span = _char(doc, item.speaker)
            speaker = item.resolved or text[speaker_span[0] : speaker_span[1]]
        cue_span = _char(doc, item.record_cue or item.cue)
        via_spans = tuple(_char(doc, v) for v in item.via)
        for group in _record_groups(ctx, item):
            out.append(
                Attribution(
                    speaker=speaker,
                    speaker_key=item.resolved_key or (canonical_key(speaker) if speaker else None),
                    speaker_span=speaker_span,
                    cue=text[cue_span[0] : cue_span[1]],
                    cue_span=cue_span,
                    content_span=_char(doc, (group[0][0], group[-1][1])),
                    # A quotation continuing reported speech is direct even if the speech was not.
                    quote=_quote_kind(ctx, group, item.kind),
                    via=tuple(text[s:e] for s, e in via_spans),
                    via_spans=via_spans,
                    produced_by=PRODUCED_BY,
                )
            )
    out.sort(key=lambda a: (a.content_span[0], a.cue_span or (0, 0)))
    return tuple(out)


def polnear_spans(doc: Doc) -> tuple[AttributionSpans, ...]:
    """The attributions of ``find_attributions`` as PolNeAR marks them, for benchmarking.

    The differences from the records are conventions only: the source is the whole source
    phrase ("Ana Ruiz, a nurse,", "Trump's" before a cue noun) rather than the speaker mention,
    the cue takes a colon that introduces a quotation ("said:") but not an audience ("told
    [reporters]"), a nested attribution is left inside the content of the one
    it is nested in, a relay ("citing X") is an attribution of its own, and the content is given
    as its contiguous fragments.
    """
    _, items = _extract(doc)
    outer, _ = _nest(doc, items)
    out: list[AttributionSpans] = []
    for item in outer:
        source = _char(doc, item.source) if item.source is not None else None
        cue_start, cue_end = item.cue
        if item.kind != "headline" and cue_end < len(doc) and doc[cue_end].text == ":":
            cue_end += 1
        content = tuple(_char(doc, c) for c in sorted(item.content))
        out.append(
            AttributionSpans(source=source, cue=_char(doc, (cue_start, cue_end)), content=content)
        )
        for relay_cue, relay_object in item.relays:
            out.append(
                AttributionSpans(
                    source=source, cue=_char(doc, relay_cue), content=(_char(doc, relay_object),)
                )
            )
    return tuple(out)
