"""Grounding: is a claim or summary sentence supported by its source? WiCE, QAGS, XSumFaith.

The draft checker's :func:`factdesk.check.ground_pairs` gives each ``(claim, source document)``
pair a support score in [0, 1]. A pair is predicted *supported* when its score is at least
:data:`THRESHOLD` (0.5). Each dataset is reduced to such pairs with a binary gold label and
scored with **balanced accuracy** (BAcc): the mean of the recall on the supported pairs and the
recall on the unsupported ones. Any constant answer scores 0.5 whatever the class balance, which
matters here: 33 % of the WiCE dev claims are supported, 10 % of the XSumFaith summaries.

How LLM-AggreFact scores (the source of the published anchors)
---------------------------------------------------------------
LLM-AggreFact (Tang, Laban & Durrett, "MiniCheck", EMNLP 2024) is a list of ``(dataset, doc,
claim, label)`` rows with ``label`` 1 when the claim is supported and 0 otherwise (README of
github.com/Liyan06/MiniCheck; dataset card of huggingface.co/datasets/lytang/LLM-AggreFact).
Each dataset is scored on its own with scikit-learn's ``balanced_accuracy_score(label, pred)``;
the benchmark average is the unweighted mean over datasets (``benchmark_evaluation_demo.ipynb``
in the MiniCheck repository). The predictions come from ``MiniCheck.score``, which turns the
support probability into ``1 if prob > 0.5 else 0`` (``minicheck/minicheck.py``): one **fixed
threshold of 0.5**, not tuned per dataset; the demo notebook computes its per-dataset table
(the leaderboard's Bespoke-MiniCheck-7B row) from those labels. The older AggreFact (Tang et
al., ACL 2023) did tune a threshold per dataset on its validation split (Liyan06/AggreFact
README, "threshold-per-dataset setting"; ``choose_best_threshold`` in its ``utils.py``, taken
from SummaC), and some later papers report both settings (the FactCG evaluation script has
``--threshold-setting fixed|tune``, tuning per dataset on the LLM-AggreFact dev split). So:

* ``balanced_accuracy`` is at the fixed threshold: that is the number to set against the
  anchors.
* ``best_threshold`` is the threshold with the highest BAcc **on the same split**, with that
  BAcc. It is in-sample and optimistic, a calibration aid, never a score to publish.
* We predict supported at ``score >= threshold`` (the checker's contract); MiniCheck uses
  ``>``. The two agree on a continuous probability but not on a checker whose scores are
  fractions such as 1/2, so ``ties_at_threshold`` counts the scores equal to the threshold and
  ``balanced_accuracy_strict`` is the BAcc under ``>``.
* ``roc_auc`` is threshold-free (ties count half), for comparing checker versions.

The datasets
------------
**WiCE** (Kamoi et al., EMNLP 2023), claim-level entailment JSONL: one row per Wikipedia claim
with the sentences of the article it cites (``evidence``) and a label ``supported``,
``partially_supported`` or ``not_supported``. Binary as in LLM-AggreFact's "Wice": supported
vs. the other two. A partially supported claim counts as unsupported: part of it is stated
nowhere in the source, which is what the desk must flag. The source document is every evidence
sentence, in order, one per line (lines keep the boundaries of evidence items, such as page
furniture and headings, that have no final punctuation). As far as we could check (the
MiniCheck paper and README), LLM-AggreFact's WiCE is this claim-level data with the cited
article as the document; its Hub copy is gated, so the exact document string (joiner, any
truncation) could not be compared. Anchors (WiCE test, BAcc): MiniCheck-FT5 72.2, AlignScore
66.0, GPT-4-Turbo 80.4.

**QAGS** (Wang, Cho & Lewis, ACL 2020), ``mturk_cnndm.jsonl`` (QAGS-C) and ``mturk_xsum.jsonl``
(QAGS-X): one row per article with its summary split into sentences, each with three yes/no
votes on "is this sentence supported by the article?". A sentence is supported when most of
its votes are yes (2 of 3). The headline number is **sentence level**: each sentence against
the whole article, as the desk checks a draft. ``summary_level`` also scores whole summaries:
gold supported iff every sentence is, predicted score = the lowest sentence score (so at any
threshold a summary is predicted supported iff every sentence is). QAGS is not in
LLM-AggreFact; the older AggreFact has both sets as "Wang'20" at summary level, and MiniCheck
checks such multi-sentence summaries as one claim (the note on AggreFact-CNN in
``minicheck/inference.py``), so summary-level numbers are comparable in spirit only. QAGS-X
summaries are one sentence, so its two levels coincide. No published anchor.

**XSumFaith** (Maynez et al., ACL 2020): 500 BBC articles × 5 systems (``Gold`` is the
reference summary); three annotators marked the spans of each one-sentence summary that the
article does not support. ``xsumfaith_joined_with_docs.derived.jsonl`` joins each summary with
its article and keeps the span rows. Binary exactly as SummaC (``load_xsumfaith`` in
github.com/tingofurro/summac ``summac/benchmark.py``), from which AggreFact took XSumFaith:
every annotation row of a summary contributes its ``hallucination_type`` (``intrinsic``,
``extrinsic``, or ``NULL`` when the annotator marked nothing) and the summary is supported iff
the most common type is ``NULL`` (ties go to the type met first). That is close to "most of the
three annotators marked nothing" but counts rows, not annotators: one who marks two spans
counts twice, and intrinsic and extrinsic are counted apart (the two rules differ on 2 of the
2,495 dev summaries). The derived JSONL drops the ``NULL`` rows; they are restored as one row
for each of the three annotators (``wid_0``..``wid_2``) with no span, in annotator order, which
is the order of the release CSV. That reproduces SummaC's labels from
``hallucination_annotations_xsum_summaries.csv`` on every dev summary (a shared test checks
it). All five systems are scored, as in SummaC; ``per_system`` splits them. The ``is_factual``
annotations (world knowledge, 4 systems) are not used: the desk checks support, not truth.
Anchors: LLM-AggreFact's "AggreFact-XSum" (MiniCheck-FT5 74.3, AlignScore 71.4) is
AggreFact's SOTA subset, summaries by BART, PEGASUS and T5 only (``SOTA`` in AggreFact's
``utils.py``); none of XSumFaith's systems is in it. The anchor is a reference point, not the
same data.

Text quirks kept as released (the published numbers used them too): the summaries are
lower-cased (QAGS-X keeps a capital on the first word only), QAGS-C's are also tokenised, in
the style of "` the council approved it , ' officials said .", and XSumFaith's keep
backslash-escaped apostrophes (``council\\'s``). A checker that finds names by their capitals
sees none in these claims.

**Layout.** ``--data`` may be one of the JSONL files, a dataset folder (``wice/``, ``qags/``,
``qags/data/``, ``xsumfaith/``) or a folder holding several (``bench-data/``): every ``.jsonl``
below it is recognised by the fields of its first row, and each recognised file is one entry of
``datasets``. Files with other fields are listed in ``ignored_files``.

**Timing.** The predictor gets each dataset's pairs in calls of about :data:`CHUNK` pairs, pairs
that share a source in the same call (the checker parses each distinct text once per call; the
model loads once per process). A dataset's ``seconds`` and ``pairs_per_second`` time its
predictor calls; the top-level ``seconds`` is the whole run.
"""

from __future__ import annotations

import bisect
import json
import logging
import math
import pathlib
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from factdesk.errors import ConfigError, ExtractError

log = logging.getLogger(__name__)

BENCHMARK = "grounding"

#: Predicted supported iff score >= THRESHOLD. LLM-AggreFact's fixed 0.5 (see the docstring).
THRESHOLD = 0.5

#: Pairs per predictor call: small enough to log progress, large enough that per-call overhead
#: (and any batching inside the checker) is amortised.
CHUNK = 256

#: XSumFaith has three annotators per summary (its README); the NULL rows the derived JSONL
#: drops are restored for these ids.
XSUMFAITH_WORKERS = ("wid_0", "wid_1", "wid_2")

#: Published BAcc (%) on the held-out test splits, for the report; see the module docstring for
#: why the XSum anchors are not the same data.
ANCHORS: dict[str, dict[str, float]] = {
    "wice": {"MiniCheck-FT5": 72.2, "AlignScore": 66.0, "GPT-4-Turbo": 80.4},
    "xsumfaith": {"MiniCheck-FT5 (AggreFact-XSum)": 74.3, "AlignScore (AggreFact-XSum)": 71.4},
}

Predictor = Callable[[Sequence[tuple[str, str]]], Sequence[float]]
"""``predict([(claim, source), ...]) -> [score, ...]``: support scores in [0, 1], in order."""

_WICE_SUPPORTED = "supported"
_WICE_LABELS = frozenset({"supported", "partially_supported", "not_supported"})


@dataclass(frozen=True, slots=True, kw_only=True)
class GroundingPair:
    """One scored item: a claim, the source it is checked against, and its gold label.

    ``group`` identifies the QAGS summary the sentence belongs to and ``group_size`` is that
    summary's number of sentences (skipped ones included), for summary-level scores; ``system``
    is the XSumFaith summariser. They are None where they do not apply.
    """

    claim: str
    source: str
    supported: bool
    group: int | None = None
    group_size: int | None = None
    system: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Dataset:
    """A recognised data file: its kind (``wice``, ``qags``, ``xsumfaith``) and report name."""

    kind: str
    name: str
    path: pathlib.Path


# --- detection -------------------------------------------------------------------------------


def _first_row(path: pathlib.Path) -> dict[str, Any] | None:
    try:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    row = json.loads(line)
                    return row if isinstance(row, dict) else None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return None


def _kind_of(path: pathlib.Path) -> str | None:
    row = _first_row(path)
    if row is None:
        return None
    if {"claim", "evidence", "label"} <= row.keys():
        return "wice"
    if {"article", "summary_sentences"} <= row.keys():
        return "qags"
    if {"bbcid", "system", "document", "summary", "hallucination_annotations"} <= row.keys():
        return "xsumfaith"
    return None


def _name(kind: str, path: pathlib.Path) -> str:
    if kind == "qags":
        # mturk_cnndm -> qags-c, mturk_xsum -> qags-x: the names the QAGS paper uses.
        source = path.stem.removeprefix("mturk_")
        return {"cnndm": "qags-c", "xsum": "qags-x"}.get(source, f"qags-{source}")
    return kind


def find_datasets(data: pathlib.Path) -> tuple[list[Dataset], list[str]]:
    """Recognise the grounding datasets at ``data`` (a file or a folder searched recursively).

    Returns:
        The datasets (WiCE, QAGS, XSumFaith; path order within each), and the ``.jsonl`` files
        that were not recognised. A name
        that two files would share gets the file's stem appended (``wice:claim-test``).

    Raises:
        ExtractError: ``data`` holds no recognisable file, or is a file in another format.
    """
    if data.is_file():
        kind = _kind_of(data)
        if kind is None:
            raise ExtractError(
                f"{data}: not a WiCE, QAGS or XSumFaith JSONL file (recognised by the fields of "
                "its first row: claim/evidence/label, article/summary_sentences, or "
                "bbcid/system/document/summary/hallucination_annotations). For XSumFaith pass "
                "xsumfaith_joined_with_docs.derived.jsonl or its folder."
            )
        return [Dataset(kind=kind, name=_name(kind, data), path=data)], []
    found: list[tuple[str, pathlib.Path]] = []
    ignored: list[str] = []
    for path in sorted(data.rglob("*.jsonl")):
        kind = _kind_of(path)
        if kind is None:
            ignored.append(str(path))
        else:
            found.append((kind, path))
    # WiCE first (the headline number), then QAGS, then XSumFaith; path order within a kind.
    found.sort(key=lambda item: (list(_LOADERS).index(item[0]), item[1]))
    if not found:
        raise ExtractError(
            f"{data}: no WiCE, QAGS or XSumFaith .jsonl file found below it. Give "
            "bench-data/wice/claim-dev.jsonl, bench-data/qags, bench-data/xsumfaith, or the "
            "bench-data folder to run all of them."
        )
    names = Counter(_name(kind, path) for kind, path in found)
    datasets = [
        Dataset(
            kind=kind,
            name=_name(kind, path) if names[_name(kind, path)] == 1 else f"{kind}:{path.stem}",
            path=path,
        )
        for kind, path in found
    ]
    return datasets, ignored


# --- loaders ---------------------------------------------------------------------------------


def _rows(path: pathlib.Path) -> Iterable[tuple[int, dict[str, Any]]]:
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ExtractError(f"{path}:{number}: not valid JSON: {exc}") from exc
                if not isinstance(row, dict):
                    raise ExtractError(f"{path}:{number}: expected a JSON object per line")
                yield number, row
    except (OSError, UnicodeDecodeError) as exc:
        raise ExtractError(f"{path}: cannot read it: {exc}") from exc


def load_wice(path: pathlib.Path) -> tuple[list[GroundingPair], int]:
    """Read WiCE claim-level rows as pairs: ``(pairs, skipped)``.

    Rows with an unknown label, an empty claim or no evidence are skipped.
    """
    pairs: list[GroundingPair] = []
    skipped = 0
    for _, row in _rows(path):
        label = str(row.get("label", "")).strip()
        claim = str(row.get("claim") or "").strip()
        evidence = [str(s) for s in row.get("evidence") or () if str(s).strip()]
        if label not in _WICE_LABELS or not claim or not evidence:
            skipped += 1
            continue
        pairs.append(
            GroundingPair(
                claim=claim, source="\n".join(evidence), supported=label == _WICE_SUPPORTED
            )
        )
    return pairs, skipped


def _majority_yes(responses: Sequence[Any]) -> bool | None:
    votes = [str(r.get("response", "")).strip().lower() for r in responses if isinstance(r, dict)]
    votes = [v for v in votes if v in ("yes", "no")]
    if not votes:
        return None
    return 2 * votes.count("yes") > len(votes)


def load_qags(path: pathlib.Path) -> tuple[list[GroundingPair], int]:
    """Read QAGS rows as one pair per summary sentence: ``(pairs, skipped)``.

    ``group`` is the row (summary) index. Sentences without a yes/no vote or text are skipped;
    their summary is still scored at sentence level but has no summary-level gold label.
    """
    pairs: list[GroundingPair] = []
    skipped = 0
    for index, (_, row) in enumerate(_rows(path)):
        article = str(row.get("article") or "")
        sentences = [s for s in row.get("summary_sentences") or () if isinstance(s, dict)]
        for sentence in sentences:
            text = str(sentence.get("sentence") or "").strip()
            supported = _majority_yes(sentence.get("responses") or ())
            if supported is None or not text or not article.strip():
                skipped += 1
                continue
            pairs.append(
                GroundingPair(
                    claim=text,
                    source=article,
                    supported=supported,
                    group=index,
                    group_size=len(sentences),
                )
            )
    return pairs, skipped


def xsumfaith_types(annotations: Sequence[dict[str, Any]]) -> list[str]:
    """The ``hallucination_type`` of every annotation row of a summary, NULL rows restored.

    The derived JSONL keeps only the span rows, in release order (annotator by annotator).
    Each of :data:`XSUMFAITH_WORKERS` (and any other annotator seen) without a span gets one
    ``NULL`` row at its place in annotator order, as in the release CSV.
    """
    by_worker: dict[str, list[str]] = {w: [] for w in XSUMFAITH_WORKERS}
    for item in annotations:
        by_worker.setdefault(str(item.get("worker_id")), []).append(str(item.get("type")))
    types: list[str] = []
    for worker in sorted(by_worker):
        types += by_worker[worker] or ["NULL"]
    return types


def xsumfaith_supported(types: Sequence[str]) -> bool:
    """SummaC's rule: supported iff the most common annotation type is ``NULL``.

    ``Counter.most_common`` breaks ties by first occurrence, as SummaC's loader does.
    """
    return bool(types) and Counter(types).most_common(1)[0][0] == "NULL"


def load_xsumfaith(path: pathlib.Path) -> tuple[list[GroundingPair], int]:
    """Read the derived XSumFaith JSONL as one pair per summary: ``(pairs, skipped)``.

    Rows without a document or summary text are skipped.
    """
    pairs: list[GroundingPair] = []
    skipped = 0
    for _, row in _rows(path):
        document = str(row.get("document") or "")
        summary = str(row.get("summary") or "").strip()
        if not document.strip() or not summary:
            skipped += 1
            continue
        types = xsumfaith_types(row.get("hallucination_annotations") or ())
        pairs.append(
            GroundingPair(
                claim=summary,
                source=document,
                supported=xsumfaith_supported(types),
                system=str(row.get("system") or ""),
            )
        )
    return pairs, skipped


_LOADERS: dict[str, Callable[[pathlib.Path], tuple[list[GroundingPair], int]]] = {
    "wice": load_wice,
    "qags": load_qags,
    "xsumfaith": load_xsumfaith,
}

_UNITS = {"wice": "claim", "qags": "sentence", "xsumfaith": "summary"}


# --- scoring ---------------------------------------------------------------------------------


def _ratio(numerator: float, denominator: float) -> float:
    # sklearn's zero_division=0: the recall of a class absent from the gold labels is reported
    # as 0 (balanced_accuracy leaves it out of the mean instead).
    return numerator / denominator if denominator else 0.0


def balanced_accuracy(gold: Sequence[bool], predicted: Sequence[bool]) -> float:
    """Mean of the recall on supported and on unsupported items.

    As scikit-learn's ``balanced_accuracy_score`` for two classes, except that a class absent
    from ``gold`` is left out of the mean (sklearn warns and does the same); no items score 0.
    """
    if len(gold) != len(predicted):
        raise ValueError(f"{len(predicted)} predictions for {len(gold)} gold labels")
    recalls = []
    for cls in (True, False):
        support = sum(1 for g in gold if bool(g) == cls)
        if support:
            hits = sum(1 for g, p in zip(gold, predicted, strict=True) if bool(g) == cls == bool(p))
            recalls.append(hits / support)
    return sum(recalls) / len(recalls) if recalls else 0.0


def roc_auc(gold: Sequence[bool], scores: Sequence[float]) -> float | None:
    """Probability that a supported item outscores an unsupported one (ties count half).

    None when either class is absent.
    """
    positives = [s for g, s in zip(gold, scores, strict=True) if g]
    negatives = sorted(s for g, s in zip(gold, scores, strict=True) if not g)
    if not positives or not negatives:
        return None
    wins = 0.0
    for score in positives:
        below = bisect.bisect_left(negatives, score)
        equal = bisect.bisect_right(negatives, score) - below
        wins += below + equal / 2
    return wins / (len(positives) * len(negatives))


def best_threshold(gold: Sequence[bool], scores: Sequence[float]) -> tuple[float, float]:
    """The threshold ``t`` (predict supported iff score >= t) with the highest BAcc: ``(t, bacc)``.

    Candidates are the distinct scores and one above the highest (everything unsupported); the
    lowest of equally good thresholds wins. In-sample: a diagnostic, not a score.
    """
    candidates = sorted(set(scores)) + [math.inf]
    positives = sum(gold)
    negatives = len(gold) - positives
    ranked = sorted(zip(scores, gold, strict=True))
    best = (candidates[0], -1.0)
    # Sweep up through the sorted scores: at candidate t, everything below t is unsupported.
    below_pos = below_neg = 0
    index = 0
    for t in candidates:
        while index < len(ranked) and ranked[index][0] < t:
            if ranked[index][1]:
                below_pos += 1
            else:
                below_neg += 1
            index += 1
        recalls = []
        if positives:
            recalls.append((positives - below_pos) / positives)
        if negatives:
            recalls.append(below_neg / negatives)
        bacc = sum(recalls) / len(recalls) if recalls else 0.0
        if bacc > best[1] + 1e-12:
            best = (t, bacc)
    return best


def score(
    gold: Sequence[bool], scores: Sequence[float], *, threshold: float = THRESHOLD
) -> dict[str, Any]:
    """Binary scores of support scores against gold labels at ``threshold``.

    Returns ``pairs``, ``gold`` (counts per class), ``predicted_supported``,
    ``balanced_accuracy``, ``recall_supported``, ``recall_unsupported``, ``accuracy``,
    ``confusion`` (gold -> predicted -> count), ``ties_at_threshold``,
    ``balanced_accuracy_strict`` (``score > threshold``), ``roc_auc`` and ``best_threshold``.
    """
    predicted = [s >= threshold for s in scores]
    strict = [s > threshold for s in scores]
    confusion = {
        g: {p: 0 for p in ("supported", "unsupported")} for g in ("supported", "unsupported")
    }
    for g, p in zip(gold, predicted, strict=True):
        confusion["supported" if g else "unsupported"]["supported" if p else "unsupported"] += 1
    positives = sum(gold)
    negatives = len(gold) - positives
    t_best, bacc_best = best_threshold(gold, scores) if gold else (threshold, 0.0)
    auc = roc_auc(gold, scores)
    return {
        "pairs": len(gold),
        "gold": {"supported": positives, "unsupported": negatives},
        "predicted_supported": sum(predicted),
        "balanced_accuracy": round(balanced_accuracy(gold, predicted), 4),
        "recall_supported": round(_ratio(confusion["supported"]["supported"], positives), 4),
        "recall_unsupported": round(_ratio(confusion["unsupported"]["unsupported"], negatives), 4),
        "accuracy": round(
            _ratio(sum(bool(g) == p for g, p in zip(gold, predicted, strict=True)), len(gold)), 4
        ),
        "confusion": confusion,
        "ties_at_threshold": sum(1 for s in scores if s == threshold),
        "balanced_accuracy_strict": round(balanced_accuracy(gold, strict), 4),
        "roc_auc": None if auc is None else round(auc, 4),
        "best_threshold": {
            "threshold": None if math.isinf(t_best) else round(t_best, 4),
            "balanced_accuracy": round(bacc_best, 4),
            "note": "in-sample on this split: a calibration aid, not a comparable score",
        },
    }


def summary_level(
    pairs: Sequence[GroundingPair], scores: Sequence[float], *, threshold: float = THRESHOLD
) -> dict[str, Any]:
    """Summary-level scores of sentence pairs: a summary is supported iff all its sentences are.

    Its score is its lowest sentence score, so at any threshold it is predicted supported iff
    every sentence is. Summaries with a sentence missing (skipped by the loader, or cut by a
    limit) are left out: their gold label is unknown.
    """
    gold: dict[int, bool] = {}
    low: dict[int, float] = {}
    seen: Counter[int] = Counter()
    size: dict[int, int] = {}
    for pair, value in zip(pairs, scores, strict=True):
        if pair.group is None or pair.group_size is None:
            continue
        seen[pair.group] += 1
        size[pair.group] = pair.group_size
        gold[pair.group] = gold.get(pair.group, True) and pair.supported
        low[pair.group] = min(low.get(pair.group, 1.0), value)
    groups = [g for g in sorted(gold) if seen[g] == size[g]]
    return {
        "unit": "summary",
        **score([gold[g] for g in groups], [low[g] for g in groups], threshold=threshold),
    }


def _per_system(
    pairs: Sequence[GroundingPair], scores: Sequence[float], *, threshold: float
) -> dict[str, dict[str, Any]]:
    by_system: dict[str, tuple[list[bool], list[float]]] = {}
    for pair, value in zip(pairs, scores, strict=True):
        gold, values = by_system.setdefault(pair.system or "", ([], []))
        gold.append(pair.supported)
        values.append(value)
    out: dict[str, dict[str, Any]] = {}
    for system in sorted(by_system):
        gold, values = by_system[system]
        full = score(gold, values, threshold=threshold)
        out[system] = {
            key: full[key]
            for key in ("pairs", "gold", "balanced_accuracy", "recall_supported",
                        "recall_unsupported")
        }  # fmt: skip
    return out


# --- the benchmark ---------------------------------------------------------------------------


def default_predictor() -> Predictor:
    """:func:`factdesk.check.ground_pairs`, imported on first use.

    Raises:
        ConfigError: the checker is not importable.
    """
    try:
        from factdesk.check import ground_pairs
    except ImportError as exc:
        raise ConfigError(
            f"the grounding benchmark scores factdesk.check.ground_pairs, which cannot be "
            f"imported: {exc}"
        ) from exc
    predictor: Predictor = ground_pairs
    return predictor


def predict_scores(
    predictor: Predictor, pairs: Sequence[tuple[str, str]], *, chunk: int = CHUNK, label: str = ""
) -> list[float]:
    """Call ``predictor`` on ``pairs`` in chunks of about ``chunk`` and check what it returns.

    Pairs that share a source go into the same call, whole (the checker parses each distinct
    text once per call), in order of the source's first appearance; the scores come back in the
    order of ``pairs``.

    Raises:
        ValueError: a call returned the wrong number of scores, or a score outside [0, 1]
            (NaN included).
    """
    by_source: dict[str, list[int]] = {}
    for index, (_, source) in enumerate(pairs):
        by_source.setdefault(source, []).append(index)
    batches: list[list[int]] = [[]]
    for indices in by_source.values():
        if batches[-1] and len(batches[-1]) + len(indices) > chunk:
            batches.append([])
        batches[-1].extend(indices)
    out: list[float | None] = [None] * len(pairs)
    done = 0
    for batch in batches:
        if not batch:
            continue
        values = [float(v) for v in predictor([pairs[i] for i in batch])]
        if len(values) != len(batch):
            raise ValueError(
                f"grounding predictor returned {len(values)} scores for {len(batch)} pairs"
            )
        for index, value in zip(batch, values, strict=True):
            if not 0.0 <= value <= 1.0:
                raise ValueError(
                    f"grounding predictor scored {pairs[index][0][:80]!r} {value}; expected 0 to 1"
                )
            out[index] = value
        done += len(batch)
        log.info("grounding %s: %d/%d pairs scored", label, done, len(pairs))
    return [v for v in out if v is not None]


def run_dataset(
    dataset: Dataset,
    predictor: Predictor,
    *,
    limit: int | None = None,
    threshold: float = THRESHOLD,
) -> dict[str, Any]:
    """Load one dataset, score its pairs with ``predictor`` and return its report entry.

    ``limit`` keeps the first ``limit`` pairs in file order.
    """
    pairs, skipped = _LOADERS[dataset.kind](dataset.path)
    available = len(pairs)
    if limit is not None:
        pairs = pairs[: max(limit, 0)]
    tick = time.perf_counter()
    scores = predict_scores(predictor, [(p.claim, p.source) for p in pairs], label=dataset.name)
    seconds = time.perf_counter() - tick
    report: dict[str, Any] = {
        "dataset": dataset.kind,
        "data": str(dataset.path),
        "unit": _UNITS[dataset.kind],
        "available_pairs": available,
        "skipped": skipped,
    }
    report.update(score([p.supported for p in pairs], scores, threshold=threshold))
    if dataset.kind == "qags":
        report["summary_level"] = summary_level(pairs, scores, threshold=threshold)
    if dataset.kind == "xsumfaith":
        report["per_system"] = _per_system(pairs, scores, threshold=threshold)
    if dataset.kind in ANCHORS:
        report["anchors_test_bacc_percent"] = ANCHORS[dataset.kind]
    report["seconds"] = round(seconds, 3)
    report["pairs_per_second"] = round(len(pairs) / seconds, 1) if seconds > 0 else None
    return report


def run(
    data_path: pathlib.Path,
    *,
    predictor: Predictor | None = None,
    limit: int | None = None,
    threshold: float = THRESHOLD,
) -> dict[str, Any]:
    """Score a grounding predictor on every dataset found at ``data_path``.

    Args:
        data_path: a WiCE, QAGS or XSumFaith JSONL file, or a folder searched for them.
        predictor: ``predict(pairs) -> scores``; None uses :func:`factdesk.check.ground_pairs`
            (imported here, so this module imports without the checker).
        limit: score only the first ``limit`` pairs of each dataset.
        threshold: predicted supported iff score >= threshold.

    Returns:
        A JSON-ready report: ``benchmark``, ``data``, ``threshold``, ``predictor``,
        ``datasets`` (name -> its scores, see :func:`score`, plus ``unit``, ``skipped``,
        ``summary_level`` for QAGS, ``per_system`` for XSumFaith, ``anchors_test_bacc_percent``,
        ``seconds`` and ``pairs_per_second``), ``mean_balanced_accuracy`` (unweighted mean over
        the datasets, as LLM-AggreFact averages), ``pairs``, ``ignored_files``, ``seconds``.

    Raises:
        ExtractError: no dataset found, or a file cannot be read.
        ConfigError: no predictor given and the checker cannot be imported.
        ValueError: the predictor returned a wrong number of scores or one outside [0, 1].
    """
    began = time.perf_counter()
    datasets, ignored = find_datasets(pathlib.Path(data_path))
    name = "custom"
    if predictor is None:
        predictor = default_predictor()
        name = "factdesk.check.ground_pairs"
    results = {
        d.name: run_dataset(d, predictor, limit=limit, threshold=threshold) for d in datasets
    }
    baccs = [r["balanced_accuracy"] for r in results.values()]
    return {
        "benchmark": BENCHMARK,
        "data": str(data_path),
        "threshold": threshold,
        "rule": "supported iff score >= threshold",
        "predictor": name,
        "datasets": results,
        "mean_balanced_accuracy": round(sum(baccs) / len(baccs), 4),
        "pairs": sum(r["pairs"] for r in results.values()),
        "ignored_files": ignored,
        "seconds": round(time.perf_counter() - began, 3),
    }


def table_lines(result: dict[str, Any]) -> list[str]:
    """The human-readable report of :func:`run`: one line per dataset (and summary level)."""
    header = (
        f"{'dataset':<16}{'unit':<10}{'pairs':>6}{'sup':>6}{'unsup':>6}"
        f"{'BAcc':>8}{'rec+':>7}{'rec-':>7}{'AUC':>7}{'best t':>8}{'(BAcc)':>8}{'pairs/s':>9}"
    )
    lines = [header, "-" * len(header)]

    def row(name: str, entry: dict[str, Any], speed: float | None) -> str:
        auc = entry["roc_auc"]
        best = entry["best_threshold"]
        t_best = "-" if best["threshold"] is None else f"{best['threshold']:.3f}"
        return (
            f"{name:<16}{entry['unit']:<10}{entry['pairs']:>6}{entry['gold']['supported']:>6}"
            f"{entry['gold']['unsupported']:>6}{entry['balanced_accuracy']:>8.4f}"
            f"{entry['recall_supported']:>7.3f}{entry['recall_unsupported']:>7.3f}"
            f"{'-' if auc is None else f'{auc:.3f}':>7}{t_best:>8}"
            f"{best['balanced_accuracy']:>8.4f}{'' if speed is None else f'{speed:.1f}':>9}"
        )

    for name, entry in result["datasets"].items():
        lines.append(row(name, entry, entry.get("pairs_per_second")))
        if "summary_level" in entry:
            lines.append(row("", entry["summary_level"], None))
    lines.append("-" * len(header))
    lines.append(
        f"mean BAcc {result['mean_balanced_accuracy']:.4f} over {len(result['datasets'])} "
        f"dataset(s); supported iff score >= {result['threshold']}; "
        f"predictor {result['predictor']}; {result['seconds']:.1f} s"
    )
    ties = sum(e["ties_at_threshold"] for e in result["datasets"].values())
    if ties:
        lines.append(
            f"{ties} score(s) equal the threshold: MiniCheck's '>' would call them unsupported "
            "(balanced_accuracy_strict in --json)"
        )
    lines.append("best t is tuned on the same data (in-sample): for calibration, not a score")
    return lines
