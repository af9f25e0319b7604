"""How firmly a clause is put: asserted, reported, hedged, denied, not-confirmed, future, call.

The decision is made per claim (a clause), not per sentence: "NATO confirmed the meeting, but
deliveries had not been confirmed" holds two claims with two modalities. Markers are read from
the clause's own tokens, with the dependency parse used to scope negation to the clause head
(a "not" inside a subordinate clause does not negate the main claim).

When several markers occur the most specific wins, in this order (why: an explicit statement
that something is unverified is the strongest signal an editor needs, and a hedge on a future
event is still a hedge):

    not-confirmed > denied > call > hedged > future > reported > asserted
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from factdesk.records import Attribution

ORDER = ("not-confirmed", "denied", "call", "hedged", "future", "reported", "asserted")

# Verbs of verification: negated, they make a claim explicitly unconfirmed.
_VERIFY = (
    r"confirm(?:ed|s)?|verif(?:y|ied|iable)|corroborat(?:e|ed)|establish(?:ed|es)?|"
    r"substantiat(?:e|ed)|prove[dn]?|prove"
)
_NOT_CONFIRMED = re.compile(
    r"\b(?:not|n['’]t|never|yet\s+to|unable\s+to|no\s+way\s+to)\s+(?:\w+\s+){0,3}?(?:"
    + _VERIFY
    + r")\b"
    r"|\b(?:unconfirmed|unverified|uncorroborated|unsubstantiated|unproven)\b"
    r"|\bno\s+(?:independent\s+)?(?:confirmation|verification|evidence)\b"
    r"|\bwithout\s+(?:independent\s+)?(?:confirmation|verification|evidence)\b"
    r"|\bremains?\s+unclear\b|\bit\s+(?:is|was)\s+(?:not\s+)?(?:un)?clear\s+whether\b",
    re.IGNORECASE,
)

# Cue lemmas (from the attribution stage) that carry the modality themselves.
_DENY_CUES = frozenset({"deny", "reject", "dismiss", "refute", "rebut", "disavow", "dispute"})
_CALL_CUES = frozenset(
    {"call", "urge", "press", "demand", "appeal", "implore", "plead", "petition", "push"}
)
_DENY_WORDS = re.compile(
    r"\b(?:den(?:y|ied|ies|ying)|rejected|refuted|dismissed\s+(?:reports|claims|allegations)|"
    r"(?:is|was|are|were)\s+(?:false|untrue|not\s+true|baseless|fabricated|fake)|"
    r"no\s+such\s+\w+|did\s+not\s+take\s+place|never\s+happened)\b",
    re.IGNORECASE,
)
_CALL_WORDS = re.compile(
    r"\b(?:call(?:ed|s|ing)?\s+(?:for|on|upon)|urg(?:e|ed|es|ing)|press(?:ed|es|ing)?\s+"
    r"(?:for|\w+\s+(?:for|to))|demand(?:ed|s|ing)?|appeal(?:ed|s|ing)?\s+(?:for|to)|"
    r"ask(?:ed|s|ing)?\s+\w+(?:\s+\w+)?\s+to)\b",
    re.IGNORECASE,
)
# Modal auxiliaries are read from tokens (tag MD), not text, so the month "May" and the noun
# "will" ("political will") are not mistaken for them.
_DEONTIC = frozenset({"must", "should", "ought"})
_EPISTEMIC = frozenset({"may", "might", "could"})
_FUTURE_MODALS = frozenset({"will", "shall", "'ll", "’ll", "wo"})

_HEDGE_WORDS = re.compile(
    r"\b(?:reportedly|allegedly|apparently|possibly|probably|presumably|purportedly|"
    r"likely|unlikely|perhaps|maybe|supposedly|rumou?red|rumou?rs?|suspected|alleged|"
    r"possible|purported|speculation|speculated|"
    r"(?:is|are|was|were|be)\s+(?:expected|believed|thought|said|understood|reported|"
    r"alleged|rumou?red|suspected|likely|unlikely)\s+to|"
    r"appears?\s+to|appeared\s+to|seems?\s+to|seemed\s+to|"
    r"it\s+is\s+(?:understood|believed|thought))\b",
    re.IGNORECASE,
)
_FUTURE_WORDS = re.compile(
    r"\b(?:(?:is|are|was|were)\s+(?:set|scheduled|due|slated|poised|"
    r"going|planned|expected\s+to\s+be\s+held)\s+to|(?:is|are|was|were)\s+to\s+\w+|"
    r"plans?\s+to|planning\s+to|intends?\s+to|on\s+the\s+agenda|upcoming|forthcoming|"
    r"next\s+(?:week|month|year|session|meeting))\b",
    re.IGNORECASE,
)


# Headline conventions for sourcing: "Report: X", "X: sources", "X, sources say".
_HEADLINE_SOURCE = re.compile(
    r"^\W*(?:reports?|sources?|rumou?rs?|exclusive|officials?|police|witnesses)\s*:"
    r"|:\s*(?:reports?|sources?|officials?|police|witnesses)\W*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ModalityResult:
    """The modality of one clause, whether its head is negated, and why."""

    modality: str
    negated: bool
    reasons: tuple[str, ...]


def _negated_head(tokens: Sequence[Any]) -> bool:
    """True when the clause head (or its auxiliary chain) carries a negation.

    Negation inside a subordinate clause (ccomp, advcl, relcl) is not the clause's own.
    """
    if not tokens:
        return False
    token_ids = {t.i for t in tokens}
    heads = [t for t in tokens if t.head.i not in token_ids or t.head.i == t.i]
    for head in heads:
        for child in head.children:
            if child.dep_ == "neg":
                return True
            if child.dep_ in ("aux", "auxpass") and any(c.dep_ == "neg" for c in child.children):
                return True
        # Copula with a negated predicate: "the report is not accurate" parses with neg on "is".
        if head.lemma_ == "be" and any(c.dep_ == "neg" for c in head.children):
            return True
    return False


_SUBORDINATE = frozenset({"advcl", "relcl", "acl"})


def _main_tokens(tokens: Sequence[Any]) -> list[Any]:
    """The clause's tokens minus its adverbial, relative and adnominal clauses."""
    ids = {t.i for t in tokens}
    dropped: set[int] = set()
    for t in tokens:
        if t.dep_ in _SUBORDINATE and t.head.i in ids and t.head.i != t.i:
            dropped.update(x.i for x in t.subtree)
    kept = [t for t in tokens if t.i not in dropped]
    return kept or list(tokens)


def classify(
    tokens: Sequence[Any],
    *,
    cue_lemma: str | None = None,
    attributed: bool = False,
) -> ModalityResult:
    """Classify a clause given as spaCy tokens (a ``Span`` or a token list).

    Args:
        tokens: the clause's tokens, in order.
        cue_lemma: the lemma of the attribution cue governing the clause, if any
            ("say", "deny", "call", ...).
        attributed: whether the clause is someone else's content (then it is at least
            ``reported``).
    """
    text = " ".join(t.text for t in tokens)
    # Calls, hedges, futures and denials are read from the clause itself, not from its
    # adverbial and relative clauses: in "NATO met in Kyiv as Ukraine pressed Europe for
    # help" the call belongs to the as-clause, not to the claim.
    main = _main_tokens(tokens)
    main_text = " ".join(t.text for t in main)
    reasons: list[str] = []
    found: set[str] = set()
    negated = _negated_head(tokens)
    if negated:
        reasons.append("negation on the clause head")

    if m := _NOT_CONFIRMED.search(text):
        found.add("not-confirmed")
        reasons.append(f"not confirmed: {m.group(0)!r}")
    if cue_lemma in _DENY_CUES:
        found.add("denied")
        reasons.append(f"denial cue {cue_lemma!r}")
    elif m := _DENY_WORDS.search(main_text):
        found.add("denied")
        reasons.append(f"denial: {m.group(0)!r}")
    if cue_lemma in _CALL_CUES:
        found.add("call")
        reasons.append(f"call cue {cue_lemma!r}")
    elif m := _CALL_WORDS.search(main_text):
        found.add("call")
        reasons.append(f"call: {m.group(0)!r}")
    elif deontic := [t for t in main if t.lower_ in _DEONTIC and t.tag_ == "MD"]:
        found.add("call")
        reasons.append(f"deontic modal {deontic[0].text!r}")
    modals = [t for t in main if t.tag_ == "MD"]
    if m := _HEDGE_WORDS.search(main_text):
        found.add("hedged")
        reasons.append(f"hedge: {m.group(0)!r}")
    elif epistemic := [t for t in modals if t.lower_ in _EPISTEMIC]:
        found.add("hedged")
        reasons.append(f"hedge: modal {epistemic[0].text!r}")
    if m := _FUTURE_WORDS.search(main_text):
        found.add("future")
        reasons.append(f"future: {m.group(0)!r}")
    elif future := [t for t in modals if t.lower_ in _FUTURE_MODALS]:
        found.add("future")
        reasons.append(f"future: modal {future[0].text!r}")
    elif attributed and any(t.lower_ == "would" and t.dep_ == "aux" for t in tokens):
        found.add("future")
        reasons.append("reported future: 'would'")
    if any(t.text == "?" for t in tokens):
        # A question puts a claim up for discussion without committing to it.
        found.add("hedged")
        reasons.append("a question")
    if not attributed and (m := _HEADLINE_SOURCE.search(text)):
        attributed = True
        reasons.append(f"headline sourcing: {m.group(0).strip()!r}")
    if attributed:
        found.add("reported")
    found.add("asserted")
    modality = next(m for m in ORDER if m in found)
    if modality == "reported" and cue_lemma:
        reasons.append(f"attributed (cue {cue_lemma!r})")
    return ModalityResult(modality, negated, tuple(reasons))


def cue_lemma_of(doc: Any, attribution: Attribution | None) -> str | None:
    """The lemma of an attribution's cue verb ("called for" -> "call"), or None."""
    if attribution is None or attribution.cue_span is None:
        return None
    cue = doc.char_span(*attribution.cue_span, alignment_mode="expand")
    if cue is None or not len(cue):
        return None
    verbs = [t for t in cue if t.pos_ in ("VERB", "AUX")]
    return str((verbs[0] if verbs else cue[0]).lemma_.lower())


def classify_sentence(text: str) -> tuple[str, bool, tuple[str, ...]]:
    """Classify a single sentence of plain text (parses it; for benchmarks and quick use).

    Returns ``(modality, negated, reasons)``; attribution is found with the attribution
    stage so "X said Y" comes out ``reported``.
    """
    return classify_sentences([text])[0]


def classify_sentences(texts: Iterable[str]) -> list[tuple[str, bool, tuple[str, ...]]]:
    """Classify many short texts (headlines, sentences) in one batched parse.

    Each text is treated as one clause: its attribution (if any) decides ``reported`` and
    the cue, its markers decide the rest.
    """
    from factdesk.pipeline.attributions import find_attributions
    from factdesk.pipeline.nlp import load_nlp

    out: list[tuple[str, bool, tuple[str, ...]]] = []
    for doc in load_nlp().pipe(texts, batch_size=64):
        attributions = find_attributions(doc)
        cue_lemma = cue_lemma_of(doc, attributions[0] if attributions else None)
        result = classify(list(doc), cue_lemma=cue_lemma, attributed=bool(attributions))
        out.append((result.modality, result.negated, result.reasons))
    return out
