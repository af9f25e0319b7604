"""Story clustering of similar-but-different events, scored with B³ on ECB+ and Clust-McMs.

Two layouts are recognised from the directory:

* **ECB+** (Cybulska & Vossen, LREC 2014): numbered topic folders, each holding ``N_*ecb.xml``
  and ``N_*ecbplus.xml`` token files. The two sub-corpora of a topic describe two different real
  events of the same kind (two celebrities checking into rehab, two Oscar hosts announced), so
  the gold story of a document is its topic plus its sub-corpus. All documents of all topics are
  clustered together, as a desk would see them. The text is rebuilt from the tokens, one
  sentence per line; sentence 0 of an ``ecbplus`` file is the URL the text was found at and is
  dropped, because only one sub-corpus has it (keeping it would leak the gold label).
* **Clust-McMs** (Zhang, Zou & Aw, ACL 2025): a JSON file ``{"articles": [...], "clusters":
  [...]}`` (or a directory holding one); ``clusters[i]`` is the gold cluster of
  ``articles[i]``. The text is the title and the sentences in ``SID`` order. The articles are
  in English, Chinese, Malay and Indonesian; the desk analyses only English, so the others are
  clustered on their text alone.

**Publication dates.** Neither corpus gives a reliable one, so every document is analysed
with ``published=None``: dates the text states in full ("May 03, 2013") resolve, dates without a
year become ``XXXX-MM-DD`` and relative ones ("on Friday") stay unresolved. The assigner treats a
missing date as no evidence either way; nothing is guessed.

**Order.** Documents are assigned online in a fixed, documented order: ECB+ by topic number,
then file name (so each topic's two events interleave: ``1_10ecb``, ``1_10ecbplus``,
``1_11ecb``…); Clust-McMs in file order. Both orders are independent of the gold labels.

**Scores.** B³ (Bagga & Baldwin 1998) averaged over documents: a document's precision is the
share of its predicted cluster that shares its gold cluster, its recall the share of its gold
cluster that shares its predicted cluster; F1 is the harmonic mean of the two averages.

**Baseline** (in the same run): TF-IDF over the same texts (scikit-learn defaults, English stop
words, sublinear tf) and agglomerative clustering with average link on cosine distance, cut at
a fixed distance of :data:`BASELINE_DISTANCE`: the documented value, not tuned per dataset.
"""

from __future__ import annotations

import json
import logging
import pathlib
import re
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from factdesk.errors import ConfigError, ExtractError
from factdesk.records import RawDocument

log = logging.getLogger(__name__)

#: Cosine distance at which the baseline's average-link dendrogram is cut. Two documents (or
#: groups) join when their average TF-IDF cosine similarity is above 0.2: a conventional
#: "clearly related" level for sublinear TF-IDF of news text, fixed before looking at scores.
BASELINE_DISTANCE = 0.8

_ECB_FILE = re.compile(r"^(?P<topic>\d+)_(?P<num>\d+)(?P<sub>ecbplus|ecb)\.xml$")


@dataclass(frozen=True, slots=True, kw_only=True)
class BenchDocument:
    """One benchmark document: its raw form for the pipeline and its gold cluster."""

    raw: RawDocument
    gold: str


# --- loaders ---------------------------------------------------------------------------------


def detect_format(data_dir: pathlib.Path) -> str:
    """Return ``"ecbplus"`` or ``"clustmcms"`` for a benchmark path.

    Raises:
        ExtractError: the path holds neither layout.
    """
    if data_dir.is_file():
        if data_dir.suffix == ".json":
            return "clustmcms"
        raise ExtractError(f"{data_dir}: expected a Clust-McMs .json file or a directory.")
    if _ecb_files(data_dir):
        return "ecbplus"
    if sorted(data_dir.glob("*.json")):
        return "clustmcms"
    raise ExtractError(
        f"{data_dir}: no ECB+ topic folders (N/N_*ecb.xml, N/N_*ecbplus.xml) and no Clust-McMs "
        "JSON file found. Give the ecbplus folder (or its ECB+ subfolder) or the clustmcms one."
    )


def _ecb_files(data_dir: pathlib.Path) -> list[pathlib.Path]:
    roots = [data_dir, data_dir / "ECB+"]
    for root in roots:
        if not root.is_dir():
            continue
        files = [
            p for p in root.glob("*/*.xml") if _ECB_FILE.match(p.name) and p.parent.name.isdigit()
        ]
        if files:
            return sorted(files, key=_ecb_order)
    return []


def _ecb_order(path: pathlib.Path) -> tuple[int, int, int]:
    match = _ECB_FILE.match(path.name)
    assert match is not None
    return (int(match["topic"]), int(match["num"]), 0 if match["sub"] == "ecb" else 1)


def load_ecbplus(data_dir: pathlib.Path) -> list[BenchDocument]:
    """Read every ECB+ document under ``data_dir`` in the benchmark order (see module doc).

    Raises:
        ExtractError: no ECB+ files, or a file that is not well-formed XML.
    """
    files = _ecb_files(data_dir)
    if not files:
        raise ExtractError(f"{data_dir}: no ECB+ files (N/N_*ecb.xml, N/N_*ecbplus.xml).")
    out: list[BenchDocument] = []
    for path in files:
        match = _ECB_FILE.match(path.name)
        assert match is not None
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as exc:
            raise ExtractError(f"{path}: not well-formed XML ({exc}).") from exc
        sentences: dict[int, list[str]] = defaultdict(list)
        for token in root.iter("token"):
            sentences[int(token.get("sentence", "0"))].append(token.text or "")
        lines = [_detokenize(sentences[k]) for k in sorted(sentences)]
        if match["sub"] == "ecbplus" and lines and lines[0].lower().startswith("http"):
            lines = lines[1:]  # the URL the text was found at, only in this sub-corpus
        text = "\n".join(line for line in lines if line)
        if not text.strip():
            continue
        raw = RawDocument(text=text, source=str(path), title=None, published=None)
        out.append(BenchDocument(raw=raw, gold=f"{match['topic']}{match['sub']}"))
    return out


_NO_SPACE_BEFORE = re.compile(r" (?=[,.;:!?%)\]}]|'s\b|'S\b|n't\b|'re\b|'ve\b|'ll\b|'d\b|'m\b)")
_NO_SPACE_AFTER = re.compile(r"(?<=[(\[{$]) ")


def _detokenize(tokens: Sequence[str]) -> str:
    """Join ECB+ tokens into readable text (no space before punctuation, plain quotes)."""
    text = " ".join(t for t in tokens if t)
    text = text.replace("``", '"').replace("''", '"')
    text = _NO_SPACE_BEFORE.sub("", text)
    return _NO_SPACE_AFTER.sub("", text)


def load_clustmcms(path: pathlib.Path) -> list[BenchDocument]:
    """Read a Clust-McMs JSON file (or the one JSON file in a directory) in file order.

    Raises:
        ExtractError: no JSON file, malformed JSON, or articles and clusters of different
            lengths.
    """
    if path.is_dir():
        files = sorted(path.glob("*.json"))
        if len(files) != 1:
            raise ExtractError(
                f"{path}: expected exactly one Clust-McMs .json file, found "
                f"{', '.join(p.name for p in files) or 'none'}. Give the file itself."
            )
        path = files[0]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        articles = data["articles"]
        clusters = data["clusters"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ExtractError(
            f"{path}: not a Clust-McMs file ({exc}); expected {{'articles': [...], "
            "'clusters': [...]}."
        ) from exc
    if len(articles) != len(clusters):
        raise ExtractError(f"{path}: {len(articles)} articles but {len(clusters)} cluster labels.")
    out: list[BenchDocument] = []
    for article, cluster in zip(articles, clusters, strict=True):
        sentences = sorted(article.get("sentences") or [], key=lambda s: int(s.get("SID", 0)))
        body = "\n".join(str(s.get("content", "")).strip() for s in sentences)
        title = str(article.get("title") or "").strip() or None
        text = "\n\n".join(part for part in (title, body) if part)
        if not text.strip():
            continue
        raw = RawDocument(
            text=text, source=f"{path.name}#{article.get('ID')}", title=title, published=None
        )
        out.append(BenchDocument(raw=raw, gold=str(cluster)))
    return out


def load(data_dir: pathlib.Path) -> tuple[str, list[BenchDocument]]:
    """Detect the layout of ``data_dir`` and load its documents: ``(format, documents)``."""
    fmt = detect_format(data_dir)
    docs = load_ecbplus(data_dir) if fmt == "ecbplus" else load_clustmcms(data_dir)
    return fmt, docs


# --- scoring ---------------------------------------------------------------------------------


def bcubed(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> tuple[float, float, float]:
    """Return B³ ``(precision, recall, f1)`` of a clustering against gold labels.

    ``predicted[i]`` and ``gold[i]`` are the cluster labels of item ``i``. Empty input scores 0.
    """
    if len(predicted) != len(gold):
        raise ValueError(f"{len(predicted)} predicted labels for {len(gold)} gold labels")
    if not gold:
        return 0.0, 0.0, 0.0
    pair = Counter(zip(predicted, gold, strict=True))
    pred_size = Counter(predicted)
    gold_size = Counter(gold)
    precision = sum(pair[(p, g)] / pred_size[p] for p, g in zip(predicted, gold, strict=True))
    recall = sum(pair[(p, g)] / gold_size[g] for p, g in zip(predicted, gold, strict=True))
    p = precision / len(gold)
    r = recall / len(gold)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f1


def _scores(predicted: Sequence[Hashable], gold: Sequence[Hashable]) -> dict[str, Any]:
    p, r, f1 = bcubed(predicted, gold)
    return {
        "documents": len(gold),
        "gold_clusters": len(set(gold)),
        "clusters": len(set(predicted)),
        "bcubed_precision": round(p, 4),
        "bcubed_recall": round(r, 4),
        "bcubed_f1": round(f1, 4),
    }


# --- the benchmark ---------------------------------------------------------------------------


def baseline_labels(texts: Sequence[str], *, distance: float = BASELINE_DISTANCE) -> list[int]:
    """Cluster texts with TF-IDF + average-link agglomerative clustering (cosine distance).

    Raises:
        ConfigError: scikit-learn is not installed (``pip install 'factdesk[bench]'``).
    """
    try:
        from sklearn.cluster import AgglomerativeClustering
        from sklearn.feature_extraction.text import TfidfVectorizer
    except ImportError as exc:
        raise ConfigError(
            "The stories baseline needs scikit-learn: pip install 'factdesk[bench]' "
            f"(or pip install scikit-learn). ({exc})"
        ) from exc
    if len(texts) < 2:
        return [0] * len(texts)
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    model = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=distance
    )
    return [int(x) for x in model.fit_predict(matrix.toarray())]


def run(data_dir: pathlib.Path, *, limit: int | None = None) -> dict[str, Any]:
    """Cluster a benchmark's documents with the desk's online assigner and the baseline.

    Every document goes through the real pipeline (``analyze``: entities, dates), into an
    in-memory store, and through :func:`factdesk.cluster.assign_documents` one at a time in the
    benchmark order. ``limit`` keeps the first ``limit`` documents of that order.

    Returns the scores of both (see the module docstring): ``bcubed_precision``,
    ``bcubed_recall``, ``bcubed_f1``, ``clusters`` and ``gold_clusters``, the baseline under
    ``baseline``, and timings: ``analyze_seconds``, ``assign_seconds`` and ``ms_per_document``
    (assignment only, per document), ``seconds`` (the whole run).
    """
    from factdesk.cluster import assign_documents
    from factdesk.pipeline.runner import analyze
    from factdesk.store import open_store

    start = time.perf_counter()
    fmt, docs = load(data_dir)
    if limit is not None:
        docs = docs[: max(limit, 0)]
    gold = [d.gold for d in docs]
    t0 = time.perf_counter()
    analyzed = list(analyze([d.raw for d in docs], batch_size=16, n_process=1))
    analyze_seconds = time.perf_counter() - t0
    store = open_store(":memory:")
    try:
        store.add_documents(analyzed)
        t1 = time.perf_counter()
        assign_documents(store, analyzed)
        assign_seconds = time.perf_counter() - t1
        story_of = {d.id: store.story_of(d.id) for d in analyzed}
    finally:
        store.close()
    predicted = [story_of[d.id] or "" for d in analyzed]
    t2 = time.perf_counter()
    base = baseline_labels([d.raw.text for d in docs])
    baseline_seconds = time.perf_counter() - t2
    report: dict[str, Any] = {"benchmark": "stories", "data": str(data_dir), "format": fmt}
    report.update(_scores(predicted, gold))
    report["baseline"] = {
        "method": f"TF-IDF + average-link agglomerative, cosine distance {BASELINE_DISTANCE}",
        **_scores(base, gold),
        "seconds": round(baseline_seconds, 2),
    }
    report["analyze_seconds"] = round(analyze_seconds, 2)
    report["assign_seconds"] = round(assign_seconds, 2)
    report["ms_per_document"] = round(1000 * assign_seconds / max(len(docs), 1), 1)
    report["seconds"] = round(time.perf_counter() - start, 2)
    return report
