"""Headline stance toward a claim, scored on Emergent (Ferreira & Vlachos, NAACL 2016).

Each row pairs a rumoured claim (``claimHeadline``) with a news headline about it
(``articleHeadline``) and a gold stance (``articleHeadlineStance``): ``for`` (the headline asserts
the claim), ``observing`` (it reports the claim without committing to it) or ``against`` (it
denies or debunks it). The benchmark measures the desk's modality machinery: a headline that
asserts the claim's content is ``for``, one that reports it at a distance is ``observing``, one
that negates or debunks it is ``against``.

The default predictor classifies the headline with :func:`factdesk.pipeline.modality.
classify_sentence` when that module is importable and falls back to a small list of lexical cues
otherwise; the report says which one ran (``modality_source``).
"""

from __future__ import annotations

import csv
import importlib
import pathlib
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from factdesk.errors import ExtractError

#: Gold labels in a fixed report order.
STANCES = ("for", "against", "observing")

_CLAIM_COLUMN = "claimHeadline"
_HEADLINE_COLUMN = "articleHeadline"
_STANCE_COLUMN = "articleHeadlineStance"

Predictor = Callable[[str, str], str]
"""``predict(claim, headline) -> stance``, one of :data:`STANCES`."""

ModalityClassifier = Callable[[str], tuple[str, bool, tuple[str, ...]]]
"""``classify_sentence(text) -> (modality, negated, reasons)`` from the modality stage."""

# --- Lexical fallback -------------------------------------------------------------------------
# These lists are deliberately short: the benchmark is meant to measure the desk's modality
# stage, and the fallback only keeps it runnable before that stage exists. They were written from
# the stance definitions in the Emergent paper, then checked (not tuned word by word) on the
# train split; growing them into a headline-specific lexicon would overfit Emergent.

# Debunking vocabulary: the headline says the claim's content is untrue. This is about the
# claim's truth, not the headline's modality ("X is a hoax" is itself asserted), so it is checked
# whichever modality source runs.
_DEBUNK_WORDS = frozenset(
    {
        "hoax", "hoaxes", "fake", "faked", "fakes", "false", "falsely", "debunk", "debunks",
        "debunked", "debunking", "myth", "untrue", "bogus", "satire", "satirical", "fabricated",
        "deny", "denies", "denied", "denial", "refutes", "refuted", "fabrication",
    }
)  # fmt: skip
_DEBUNK_PHRASES = ("no evidence", "not true", "made it up", "made up")

# Negation of the headline's own predicate ("Banksy has not been arrested").
_NEGATION_WORDS = frozenset({"not", "no", "never", "nor", "nothing"})
_NEGATION_SUFFIX = "n't"

# Reporting at a distance: an attribution cue or a hedge.
_ATTRIBUTION_WORDS = frozenset(
    {
        "reportedly", "report", "reports", "reported", "claim", "claims", "claimed", "says",
        "say", "said", "according", "allegedly", "alleged", "rumor", "rumors", "rumour",
        "rumours", "rumored", "rumoured", "sources", "purported", "purportedly", "supposedly",
        "tipped",
    }
)  # fmt: skip
_HEDGE_WORDS = frozenset(
    {
        "may", "might", "could", "possibly", "probably", "likely", "apparently", "apparent",
        "appears", "perhaps",
    }
)  # fmt: skip

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def _words(text: str) -> list[str]:
    # Curly apostrophes are common in headlines ("didn’t").
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def _is_debunking(text: str) -> bool:
    lowered = " ".join(_words(text))
    return any(w in _DEBUNK_WORDS for w in _words(text)) or any(
        f" {p} " in f" {lowered} " for p in _DEBUNK_PHRASES
    )


def _is_negated(text: str) -> bool:
    return any(w in _NEGATION_WORDS or w.endswith(_NEGATION_SUFFIX) for w in _words(text))


def _lexical_modality(text: str) -> tuple[str, bool, tuple[str, ...]]:
    """A stand-in for ``classify_sentence`` with the same return shape."""
    words = _words(text)
    negated = _is_negated(text)
    reasons: list[str] = []
    if any(w in {"deny", "denies", "denied"} for w in words):
        return "denied", negated, ("cue:deny",)
    if "?" in text:
        reasons.append("question")
    reasons += [f"attribution:{w}" for w in words if w in _ATTRIBUTION_WORDS]
    if reasons:
        return "reported", negated, tuple(reasons)
    hedges = tuple(f"hedge:{w}" for w in words if w in _HEDGE_WORDS)
    if hedges:
        return "hedged", negated, hedges
    return "asserted", negated, ()


def load_modality_classifier() -> tuple[ModalityClassifier, str]:
    """Return the modality classifier to use and its name.

    The desk's own ``factdesk.pipeline.modality.classify_sentence`` when it and the stages it
    imports are available, else the lexical fallback in this module (``"lexical-fallback"``).
    Other errors from the classifier (a missing spaCy model: ``ModelError``) propagate.
    """
    try:
        module = importlib.import_module("factdesk.pipeline.modality")
        classify: ModalityClassifier = module.classify_sentence
        # classify_sentence imports the stages it builds on when first called; probe once so a
        # half-installed pipeline falls back here instead of failing on the first headline.
        classify("Officials said the bridge was closed.")
    except (ImportError, AttributeError):
        return _lexical_modality, "lexical-fallback"
    return classify, "factdesk.pipeline.modality"


def stance_from_modality(
    claim: str, headline: str, classify: ModalityClassifier = _lexical_modality
) -> str:
    """Map the headline's modality and polarity toward the claim to a stance.

    Against when the headline debunks the claim, is a denial, or negates its predicate while the
    claim does not; observing when it reports, hedges, questions or calls for the claim; for when
    it asserts it (or states it as scheduled, when the claim itself is about the future).
    """
    modality, negated, _reasons = classify(headline)
    return stance_from_labels(claim, headline, modality, negated, lambda: classify(claim)[0])


def stance_from_labels(
    claim: str,
    headline: str,
    modality: str,
    negated: bool,
    claim_modality: Callable[[], str],
) -> str:
    """The stance mapping itself, given the headline's modality and head negation."""
    claim_negated = _is_negated(claim)
    if _is_debunking(headline) and not _is_debunking(claim):
        return "against"
    if modality == "denied" or (negated and not claim_negated):
        return "against"
    if modality == "asserted":
        return "for"
    if modality == "future":
        # "X to open store" for the claim "X will open a store" asserts the claim's content.
        return "for" if claim_modality() == "future" else "observing"
    return "observing"  # reported, hedged, not-confirmed, call


def default_predictor() -> tuple[Predictor, str]:
    """Return the default stance predictor and the name of the modality source it uses."""
    classify, source = load_modality_classifier()

    def predict(claim: str, headline: str) -> str:
        return stance_from_modality(claim, headline, classify)

    return predict, source


def _batched_predictor(rows: list[tuple[str, str, str]]) -> tuple[Predictor, str]:
    """The default predictor with every headline and claim classified in one batched parse."""
    try:
        from factdesk.pipeline.modality import classify_sentences
    except ImportError:
        return default_predictor()
    texts = sorted({t for claim, headline, _ in rows for t in (claim, headline)})
    labels = dict(zip(texts, classify_sentences(texts), strict=True))

    def predict(claim: str, headline: str) -> str:
        modality, negated, _ = labels[headline]
        return stance_from_labels(claim, headline, modality, negated, lambda: labels[claim][0])

    return predict, "factdesk.pipeline.modality"


# --- Data and scoring -------------------------------------------------------------------------


def _resolve_data_file(data_file: pathlib.Path) -> pathlib.Path:
    if not data_file.is_dir():
        return data_file
    csvs = sorted(data_file.glob("*.csv"))
    if len(csvs) == 1:
        return csvs[0]
    names = ", ".join(p.name for p in csvs) or "none"
    raise ExtractError(
        f"{data_file}: expected exactly one Emergent .csv file in the directory, found {names}. "
        "Pass the file itself."
    )


def load_pairs(data_file: pathlib.Path) -> tuple[list[tuple[str, str, str]], int]:
    """Read ``(claim, headline, stance)`` rows from an Emergent CSV.

    Extra columns and a UTF-8 byte-order mark are tolerated. Rows whose stance is not one of
    :data:`STANCES` (blank or unknown) are skipped.

    Returns:
        The rows and the number of rows skipped.

    Raises:
        ExtractError: the file cannot be read or lacks a required column.
    """
    try:
        with data_file.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = [c.strip() for c in reader.fieldnames or ()]
            missing = [
                c for c in (_CLAIM_COLUMN, _HEADLINE_COLUMN, _STANCE_COLUMN) if c not in columns
            ]
            if missing:
                raise ExtractError(
                    f"{data_file}: missing column(s) {', '.join(missing)}; "
                    f"found: {', '.join(columns) or 'none'}"
                )
            reader.fieldnames = columns
            rows: list[tuple[str, str, str]] = []
            skipped = 0
            for record in reader:
                stance = (record.get(_STANCE_COLUMN) or "").strip().lower()
                if stance not in STANCES:
                    skipped += 1
                    continue
                claim = (record.get(_CLAIM_COLUMN) or "").strip()
                headline = (record.get(_HEADLINE_COLUMN) or "").strip()
                rows.append((claim, headline, stance))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ExtractError(f"{data_file}: cannot read the Emergent CSV: {exc}") from exc
    return rows, skipped


def _ratio(numerator: float, denominator: float) -> float:
    # sklearn's zero_division=0: an empty class scores 0 rather than failing.
    return numerator / denominator if denominator else 0.0


def score(gold: Iterable[str], predicted: Iterable[str]) -> dict[str, Any]:
    """Accuracy, per-class precision/recall/F1/support, macro F1 and the confusion matrix.

    ``confusion[gold][predicted]`` counts pairs. Macro F1 averages the classes that occur in the
    gold labels or the predictions (sklearn's default), so a tiny file with no ``against`` rows
    is not penalised for a class it cannot contain.
    """
    pairs = list(zip(gold, predicted, strict=True))
    confusion = {g: dict.fromkeys(STANCES, 0) for g in STANCES}
    for g, p in pairs:
        confusion[g][p] += 1
    per_class: dict[str, dict[str, float | int]] = {}
    for label in STANCES:
        tp = confusion[label][label]
        support = sum(confusion[label].values())
        predicted_n = sum(confusion[g][label] for g in STANCES)
        precision = _ratio(tp, predicted_n)
        recall = _ratio(tp, support)
        f1 = _ratio(2 * tp, support + predicted_n)
        per_class[label] = {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "support": support,
            "predicted": predicted_n,
        }
    present = [s for s in STANCES if per_class[s]["support"] or per_class[s]["predicted"]]
    correct = sum(confusion[s][s] for s in STANCES)
    return {
        "accuracy": _ratio(correct, len(pairs)),
        "per_class": per_class,
        "macro_f1": _ratio(sum(float(per_class[s]["f1"]) for s in present), len(present)),
        "confusion": confusion,
    }


def run(data_file: pathlib.Path, *, predict: Predictor | None = None) -> dict[str, Any]:
    """Score a stance predictor on an Emergent CSV (or a directory holding exactly one).

    Args:
        data_file: the CSV with ``claimHeadline``, ``articleHeadline`` and
            ``articleHeadlineStance`` columns.
        predict: ``predict(claim, headline) -> stance``; None uses the desk's modality-based
            predictor (:func:`default_predictor`).

    Returns:
        A JSON-ready report: ``benchmark``, ``data``, ``pairs``, ``skipped``, ``accuracy``,
        ``per_class``, ``macro_f1``, ``confusion`` (gold -> predicted -> count),
        ``baseline_accuracy`` (always predicting the most frequent gold stance of this file),
        ``baseline_label``, ``modality_source`` and ``seconds`` (prediction and scoring time).

    Raises:
        ExtractError: the data cannot be read.
        ValueError: ``predict`` returned a label outside :data:`STANCES`.
    """
    path = _resolve_data_file(data_file)
    rows, skipped = load_pairs(path)
    source = "custom"
    started = time.perf_counter()
    if predict is None:
        predict, source = _batched_predictor(rows)
    predicted: list[str] = []
    for claim, headline, _ in rows:
        label = predict(claim, headline)
        if label not in STANCES:
            raise ValueError(
                f"stance predictor returned {label!r} for {headline!r}; "
                f"expected one of: {', '.join(STANCES)}"
            )
        predicted.append(label)
    gold = [stance for _, _, stance in rows]
    scores = score(gold, predicted)
    counts = Counter(gold)
    # Ties broken by the fixed STANCES order so the baseline is deterministic.
    majority = max(STANCES, key=lambda s: (counts[s], -STANCES.index(s)))
    return {
        "benchmark": "stance",
        "data": str(path),
        "pairs": len(rows),
        "skipped": skipped,
        **scores,
        "baseline_label": majority,
        "baseline_accuracy": _ratio(counts[majority], len(rows)),
        "modality_source": source,
        "seconds": round(time.perf_counter() - started, 3),
    }
