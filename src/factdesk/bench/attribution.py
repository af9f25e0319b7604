"""PolNeAR benchmark for attribution extraction (``factdesk.pipeline.attributions``).

Data: the PolNeAR corpus (Newell, Margolin & Ruths, LREC 2018) in its release layout,
``<split>/text/<article>.txt`` and ``<split>/attributions/<article>_<annotator>.ann`` (brat
standoff). ``data_dir`` may be the split folder itself (``…/data/dev``), a folder holding split
folders (``…/data``) or one holding ``data/<split>`` (the corpus root); when several splits are
present the first of ``test``, ``dev``, ``train`` is used and named in the result.

Gold: every ``T`` line labelled ``Source``, ``Cue`` or ``Content``; a discontinuous span
(``start end;start end``) is one span per fragment. Other labels (``Discard``, ``Discuss``,
``Attribution``) are not scored.

Scoring follows CofeNet (Wang et al., COLING 2022; ``exe/eval/evaluation.py`` and
``extraction.py`` in cofe-ai/CofeNet), whose PolNeAR numbers (exact-match F1 source / cue /
content 83.2 / 75.3 / 72.9 on the test split) are the published anchor:

* CofeNet scores BIO tag sequences over CoreNLP tokens, one sequence per paragraph of an
  article (its published copy of the dev and test splits), one tag per token: PolNeAR's spans
  almost never overlap (none in dev, 13 in train), so one layer holds them. A span is a maximal
  run ``B-role I-role …``; every fragment of a discontinuous span is its own span.
* We rebuild exactly that over the spaCy tokens of the same text: each character span is
  projected onto the tokens it touches (whitespace tokens excluded), cut at paragraph breaks
  (blank lines), and written into one tag layer per document — content first, then source, then
  cue, so that where a system's spans overlap, the tags a tagger would have produced win
  (a parenthetical "she said" splits the surrounding content). Gold goes through the same
  projection. Spans are then read back from the tags.
* Exact match: a span counts when the same role has a span with the same first and last token
  in the same document. Precision, recall and F1 are micro-averaged over every span of every
  document (``sklearn``'s binary scores over CofeNet's match lists amount to exactly that).
  There is no other boundary normalisation: a determiner, a comma or "that" more or less is a
  miss, as in CofeNet.
* Annotators: a few articles were annotated by several annotators (one ``.ann`` file each; 2
  of 84 in dev, by 6 annotators each). CofeNet's copy names every instance after its ``.ann``
  file (article plus annotator suffix), so here every ``.ann`` file is scored as its own
  document against the same system output. Whether that copy keeps all six readings of those
  articles cannot be told from the published files, so ``single_annotator`` repeats the scores
  with only the first ``.ann`` of each article (on dev the two differ by under a point).

Secondary diagnostics: ``overlap_*`` counts a predicted span as correct when it overlaps a gold
span of the same role, and a gold span as found when a predicted span overlaps it (the
lenient view of where the boundaries differ).

What the system is scored on: ``polnear_spans``, the same extraction as ``find_attributions``
rendered in PolNeAR's conventions (see that function). Article texts are parsed with
``load_nlp().pipe`` in batches; ``seconds`` is the whole run, ``extract_seconds`` the extraction
alone.
"""

from __future__ import annotations

import bisect
import pathlib
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from factdesk.errors import ConfigError
from factdesk.pipeline.attributions import AttributionSpans, polnear_spans
from factdesk.pipeline.nlp import load_nlp
from factdesk.records import Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

BENCHMARK = "attribution"
ROLES = ("source", "cue", "content")
SPLITS = ("test", "dev", "train")
#: Later roles overwrite earlier ones where spans overlap (see the module docstring).
_WRITE_ORDER = ("content", "source", "cue")
_LABELS = {"Source": "source", "Cue": "cue", "Content": "content"}
_T_LINE = re.compile(r"^T\d+\t(\S+) ([\d ;]+)\t")
_ANNOTATOR = re.compile(r"^(?P<article>.+)_(?P<annotator>[0-9a-f]{4})$")

TokenSpan = tuple[int, int]


@dataclass(frozen=True, slots=True, kw_only=True)
class GoldFile:
    """The gold spans of one ``.ann`` file (one annotator's reading of one article)."""

    article: str
    annotator: str
    spans: dict[str, tuple[Span, ...]]  # role -> fragments, character offsets


def find_split(data_dir: pathlib.Path) -> pathlib.Path:
    """Return the split folder (the one holding ``text/`` and ``attributions/``).

    Raises:
        ConfigError: no PolNeAR split under ``data_dir``.
    """
    candidates = [data_dir]
    for base in (data_dir, data_dir / "data"):
        candidates.extend(base / split for split in SPLITS)
    for folder in candidates:
        if (folder / "text").is_dir() and (folder / "attributions").is_dir():
            return folder
    raise ConfigError(
        f"{data_dir}: no PolNeAR split found. Expected text/ and attributions/ in it, or in "
        f"data/<split>/ or <split>/ below it, with <split> one of {', '.join(SPLITS)}."
    )


def read_ann(text: str) -> dict[str, tuple[Span, ...]]:
    """Parse a brat ``.ann`` file into role -> fragments (character spans)."""
    spans: dict[str, list[Span]] = {role: [] for role in ROLES}
    for line in text.splitlines():
        match = _T_LINE.match(line)
        if match is None or match.group(1) not in _LABELS:
            continue
        role = _LABELS[match.group(1)]
        for part in match.group(2).strip().split(";"):
            start, end = (int(x) for x in part.split())
            if end > start:
                spans[role].append((start, end))
    return {role: tuple(values) for role, values in spans.items()}


def load_gold(split_dir: pathlib.Path) -> tuple[dict[str, str], list[GoldFile]]:
    """Read a split: article texts by name, and one ``GoldFile`` per ``.ann`` file."""
    texts: dict[str, str] = {}
    for path in sorted((split_dir / "text").glob("*.txt")):
        texts[path.stem] = path.read_text(encoding="utf-8")
    gold: list[GoldFile] = []
    for path in sorted((split_dir / "attributions").glob("*.ann")):
        match = _ANNOTATOR.match(path.stem)
        article = match.group("article") if match else path.stem
        annotator = match.group("annotator") if match else ""
        if article not in texts:
            continue
        spans = read_ann(path.read_text(encoding="utf-8"))
        gold.append(GoldFile(article=article, annotator=annotator, spans=spans))
    return texts, gold


class _Projection:
    """Projects character spans onto a document's tokens, paragraph by paragraph."""

    def __init__(self, doc: Doc) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.paragraph: list[int] = []
        paragraph = 0
        for tok in doc:
            if tok.is_space:
                # A blank line ("\n\n", "\n \n") ends a paragraph; spaCy keeps it as a token.
                if tok.text.count("\n") >= 2:
                    paragraph += 1
                continue
            self.starts.append(tok.idx)
            self.ends.append(tok.idx + len(tok.text))
            self.paragraph.append(paragraph)
        self.size = len(self.starts)

    def tokens(self, span: Span) -> list[TokenSpan]:
        """Token runs ``[first, last + 1)`` a character span touches, cut at paragraphs."""
        start, end = span
        first = bisect.bisect_right(self.ends, start)
        last = bisect.bisect_left(self.starts, end) - 1
        if first > last:
            return []
        runs: list[TokenSpan] = []
        run_start = first
        for i in range(first + 1, last + 1):
            if self.paragraph[i] != self.paragraph[i - 1]:
                runs.append((run_start, i))
                run_start = i
        runs.append((run_start, last + 1))
        return runs

    def tag(self, spans: Mapping[str, Iterable[Span]]) -> dict[str, set[TokenSpan]]:
        """Write spans into one BIO layer and read the spans back, per role."""
        labels: list[str | None] = [None] * self.size
        begins = [False] * self.size
        for role in _WRITE_ORDER:
            for span in spans.get(role, ()):
                for first, last in self.tokens(span):
                    for i in range(first, last):
                        labels[i] = role
                        begins[i] = i == first
        out: dict[str, set[TokenSpan]] = {role: set() for role in ROLES}
        i = 0
        while i < self.size:
            label = labels[i]
            if label is None:
                i += 1
                continue
            j = i + 1
            while (
                j < self.size
                and labels[j] == label
                and not begins[j]
                and self.paragraph[j] == self.paragraph[i]
            ):
                j += 1
            out[label].add((i, j))
            i = j
        return out


def _system_spans(found: Sequence[AttributionSpans]) -> dict[str, list[Span]]:
    spans: dict[str, list[Span]] = {role: [] for role in ROLES}
    for item in found:
        if item.source is not None:
            spans["source"].append(item.source)
        spans["cue"].append(item.cue)
        spans["content"].extend(item.content)
    return spans


def _prf(tp: int, predicted: int, gold: int) -> tuple[float, float, float]:
    precision = tp / predicted if predicted else 0.0
    recall = tp / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _overlaps(span: TokenSpan, others: Iterable[TokenSpan]) -> bool:
    return any(span[0] < o[1] and o[0] < span[1] for o in others)


def score(
    pairs: Iterable[tuple[dict[str, set[TokenSpan]], dict[str, set[TokenSpan]]]],
) -> dict[str, Any]:
    """Micro-averaged exact and overlap P/R/F1 over (gold, predicted) token-span sets."""
    counts = {
        role: {"tp": 0, "gold": 0, "predicted": 0, "overlap_p": 0, "overlap_r": 0} for role in ROLES
    }
    for gold, predicted in pairs:
        for role in ROLES:
            g, p = gold[role], predicted[role]
            c = counts[role]
            c["tp"] += len(g & p)
            c["gold"] += len(g)
            c["predicted"] += len(p)
            c["overlap_p"] += sum(1 for span in p if _overlaps(span, g))
            c["overlap_r"] += sum(1 for span in g if _overlaps(span, p))
    result: dict[str, Any] = {}
    for role in ROLES:
        c = counts[role]
        precision, recall, f1 = _prf(c["tp"], c["predicted"], c["gold"])
        result[f"{role}_precision"] = round(precision, 4)
        result[f"{role}_recall"] = round(recall, 4)
        result[f"{role}_f1"] = round(f1, 4)
        o_p = c["overlap_p"] / c["predicted"] if c["predicted"] else 0.0
        o_r = c["overlap_r"] / c["gold"] if c["gold"] else 0.0
        o_f = 2 * o_p * o_r / (o_p + o_r) if o_p + o_r else 0.0
        result[f"overlap_{role}_f1"] = round(o_f, 4)
    result["gold"] = {role: counts[role]["gold"] for role in ROLES}
    result["predicted"] = {role: counts[role]["predicted"] for role in ROLES}
    return result


def run(data_dir: pathlib.Path, *, limit: int | None = None) -> dict[str, Any]:
    """Score attribution extraction on a PolNeAR split; return JSON-ready results.

    Args:
        data_dir: the split folder, or a folder holding ``<split>/`` or ``data/<split>/``.
        limit: score only the first ``limit`` articles (by file name).

    Raises:
        ConfigError: no PolNeAR split under ``data_dir``.
    """
    began = time.perf_counter()
    split_dir = find_split(pathlib.Path(data_dir))
    texts, gold = load_gold(split_dir)
    names = sorted({g.article for g in gold})
    if limit is not None:
        names = names[:limit]
    wanted = set(names)
    gold = [g for g in gold if g.article in wanted]
    nlp = load_nlp()
    predicted: dict[str, dict[str, set[TokenSpan]]] = {}
    projections: dict[str, _Projection] = {}
    extract_seconds = 0.0
    sentences = 0
    for name, doc in zip(names, nlp.pipe((texts[n] for n in names), batch_size=8), strict=True):
        tick = time.perf_counter()
        found = polnear_spans(doc)
        extract_seconds += time.perf_counter() - tick
        sentences += sum(1 for _ in doc.sents)
        projection = _Projection(doc)
        projections[name] = projection
        predicted[name] = projection.tag(_system_spans(found))
    pairs = [(projections[g.article].tag(g.spans), predicted[g.article]) for g in gold]
    first: dict[str, int] = {}
    for index, g in enumerate(gold):
        first.setdefault(g.article, index)
    single = [pairs[i] for i in sorted(first.values())]
    result: dict[str, Any] = {
        "benchmark": BENCHMARK,
        "data": str(split_dir),
        "split": split_dir.name,
        "articles": len(names),
        "annotation_files": len(gold),
    }
    result.update(score(pairs))
    single_scores = score(single)
    result["single_annotator"] = {
        key: value
        for key, value in single_scores.items()
        if key.endswith(("_precision", "_recall", "_f1")) and not key.startswith("overlap")
    }
    result["sentences"] = sentences
    result["extract_seconds"] = round(extract_seconds, 3)
    result["extract_sentences_per_second"] = (
        round(sentences / extract_seconds, 1) if extract_seconds else None
    )
    result["scoring"] = (
        "CofeNet exact match: token-aligned spans per role, one BIO layer per document cut at "
        "paragraphs, micro P/R/F1; every .ann file is a document"
    )
    result["seconds"] = round(time.perf_counter() - began, 3)
    return result
