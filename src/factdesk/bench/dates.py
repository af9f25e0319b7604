"""TempEval-3 benchmark for the date resolver (``factdesk.pipeline.dates``).

Data: TimeML ``.tml`` files in the TempEval-3 layout (for example the TBAQ-cleaned training
set, or TE3-Platinum). Every ``.tml`` under the data directory is read recursively; a document
whose ``<DOCID>`` was already read is skipped (the TBAQ-cleaned download ships one TimeBank
file a second time under ``testpipeline/``) and counted in ``duplicates_skipped``.

Per document:

* the creation time (DCT) is the ``TIMEX3`` with ``functionInDocument="CREATION_TIME"``
  (normally inside ``<DCT>``); its date is passed as ``published``;
* the text is the character content of ``<TEXT>`` with every tag removed and XML entities
  decoded; offsets are computed over that text;
* gold is every ``TIMEX3`` inside ``<TEXT>`` that covers at least one non-blank character
  (``tid``, ``type``, ``value``, span). Empty, non-consuming TIMEX3s are not extents and
  the official scorer skips them too.

Scoring follows the official TempEval-3 entity scorer (``evaluate_entities.py`` in the TE3
toolkit, UzZaman et al. 2013), which first gives overlapping system and gold TIMEX3s the same
id (``TimeML-Normalizer``), skips the creation time (``t0``), and counts over the whole
corpus (micro-averaged, not per document):

* relaxed match: a system and a gold expression share at least one character. Each gold and
  each system expression is used in at most one pair (our reading of the id alignment):
  pairs are chosen greedily by largest overlap, then by earliest start, within a document.
* ``relaxed_precision`` = pairs / predicted, ``relaxed_recall`` = pairs / gold,
  ``relaxed_f1`` = their harmonic mean.
* strict match: a pair whose extents are identical (the TE3 scorer compares the tag-stripped
  texts; on one shared text that is the same as equal offsets). ``strict_*`` as above with
  the strict pair count.
* attributes: for every relaxed pair, ``type`` and ``value`` are compared as exact strings
  (a mention with ``value=None`` never matches). ``value_accuracy`` = correct / pairs and
  ``value_f1`` = ``value_accuracy * relaxed_f1``, which is the TE3 "Attribute F1"; it equals
  the F1 of P = correct / predicted and R = correct / gold. ``type_f1`` likewise.

These are the numbers the TE3 papers report, so ``value_f1`` compares with the published
TE3-Platinum anchors (HeidelTime 77.6, SUTime 67.4, the top systems of the task) as long as it
is run on TE3-Platinum; on TBAQ-cleaned it is a development figure only.

Format conversion (not tuning): a range such as "between June 1 and June 5" is one
``DateMention`` (value ``2026-06-01/2026-06-05``), while TimeML annotates each end as its own
TIMEX3. Before scoring, such a mention is split at its connector ("to", "through", "and", a
dash) into its two ends with the two halves of the value ("June 1" = ``2026-06-01``, "June 5"
= ``2026-06-05``); see ``timeml_view``.

What does not carry over: a ``value=None`` mention (an expression relative to an event, such
as "two weeks before the summit") never scores on value, and its extent includes the signal
word ("two weeks before") where TimeML's stops at "two weeks".
"""

from __future__ import annotations

import datetime as dt
import pathlib
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from factdesk.errors import ExtractError
from factdesk.pipeline.dates import extract_dates
from factdesk.records import DateMention, Span

BENCHMARK = "dates"


@dataclass(frozen=True, slots=True, kw_only=True)
class GoldTimex:
    """One gold TIMEX3 of a TimeML document; ``span`` is into ``TimemlDocument.text``."""

    tid: str
    type: str
    value: str
    span: Span


@dataclass(frozen=True, slots=True, kw_only=True)
class TimemlDocument:
    """The parts of a ``.tml`` file the benchmark needs."""

    doc_id: str
    path: pathlib.Path
    text: str
    dct: dt.date | None
    gold: tuple[GoldTimex, ...]


def _is_creation_time(element: ET.Element) -> bool:
    return element.get("functionInDocument") == "CREATION_TIME"


def _parse_dct(value: str | None) -> dt.date | None:
    """Return the date part of a TIMEX3 value such as ``1998-11-20T19:30`` (None if unusable)."""
    if not value or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _flatten(element: ET.Element, parts: list[str], offset: int, gold: list[GoldTimex]) -> int:
    """Append the text of ``element``'s content to ``parts``, recording TIMEX3 extents.

    Returns the offset after the content. The element's own tail is left to the caller.
    """
    if element.text:
        parts.append(element.text)
        offset += len(element.text)
    for child in element:
        start = offset
        offset = _flatten(child, parts, offset, gold)
        if child.tag == "TIMEX3" and not _is_creation_time(child):
            covered = "".join(child.itertext())
            if covered.strip():
                gold.append(
                    GoldTimex(
                        tid=child.get("tid", ""),
                        type=child.get("type", ""),
                        value=child.get("value", ""),
                        span=(start, offset),
                    )
                )
        if child.tail:
            parts.append(child.tail)
            offset += len(child.tail)
    return offset


def load_timeml(path: pathlib.Path) -> TimemlDocument:
    """Read one TempEval-3 ``.tml`` file.

    Raises:
        ExtractError: the file is not well-formed XML or has no ``<TEXT>`` element.
    """
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise ExtractError(f"{path}: cannot read it as TimeML XML: {exc}") from exc
    text_element = root.find(".//TEXT")
    if text_element is None:
        raise ExtractError(f"{path}: no <TEXT> element; is this a TempEval-3 .tml file?")
    dct: dt.date | None = None
    for timex in root.iter("TIMEX3"):
        if _is_creation_time(timex):
            dct = _parse_dct(timex.get("value"))
            break
    parts: list[str] = []
    gold: list[GoldTimex] = []
    _flatten(text_element, parts, 0, gold)
    doc_id_element = root.find("DOCID")
    doc_id = (doc_id_element.text or "").strip() if doc_id_element is not None else ""
    return TimemlDocument(
        doc_id=doc_id or path.stem,
        path=path,
        text="".join(parts),
        dct=dct,
        gold=tuple(gold),
    )


def iter_documents(data_dir: pathlib.Path) -> Iterator[TimemlDocument]:
    """Yield every TimeML document under ``data_dir`` (sorted by path, recursively)."""
    for path in sorted(data_dir.rglob("*.tml")):
        yield load_timeml(path)


def _pair(gold: tuple[GoldTimex, ...], predicted: tuple[DateMention, ...]) -> list[tuple[int, int]]:
    """Pair gold and predicted expressions one-to-one by overlap (largest overlap first)."""
    candidates: list[tuple[int, int, int, int]] = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            overlap = min(g.span[1], p.span[1]) - max(g.span[0], p.span[0])
            if overlap > 0:
                candidates.append((-overlap, min(g.span[0], p.span[0]), gi, pi))
    candidates.sort()
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, _, gi, pi in candidates:
        if gi in used_gold or pi in used_predicted:
            continue
        used_gold.add(gi)
        used_predicted.add(pi)
        pairs.append((gi, pi))
    return pairs


_RANGE_CONNECTOR = re.compile(r"\s+(?:to|through|thru|until|till|and)\s+|\s*[-–—]\s*", re.I)


def timeml_view(mentions: tuple[DateMention, ...]) -> tuple[DateMention, ...]:
    """Split range mentions into their two ends, as TimeML annotates them."""
    out: list[DateMention] = []
    for mention in mentions:
        value = mention.value or ""
        if mention.type != "DATE" or value.count("/") != 1 or value.startswith("P"):
            out.append(mention)
            continue
        connectors = list(_RANGE_CONNECTOR.finditer(mention.text))
        words = [c for c in connectors if c.group().strip().isalpha()]
        if not (words or connectors):
            out.append(mention)
            continue
        connector = (words or connectors)[0]
        first_value, second_value = value.split("/")
        start = mention.span[0]
        out.append(
            replace(
                mention,
                span=(start, start + connector.start()),
                text=mention.text[: connector.start()],
                value=first_value,
            )
        )
        out.append(
            replace(
                mention,
                span=(start + connector.end(), mention.span[1]),
                text=mention.text[connector.end() :],
                value=second_value,
            )
        )
    return tuple(out)


def score_document(
    gold: tuple[GoldTimex, ...], predicted: tuple[DateMention, ...]
) -> dict[str, int]:
    """Return the TE3 counts for one document (see the module docstring)."""
    counts = {
        "gold": len(gold),
        "predicted": len(predicted),
        "relaxed": 0,
        "strict": 0,
        "value": 0,
        "type": 0,
    }
    for gi, pi in _pair(gold, predicted):
        g, p = gold[gi], predicted[pi]
        counts["relaxed"] += 1
        counts["strict"] += int(g.span == p.span)
        counts["value"] += int(p.value is not None and p.value == g.value)
        counts["type"] += int(p.type == g.type)
    return counts


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def scores(counts: dict[str, int]) -> dict[str, float]:
    """Turn corpus counts into TE3 precision, recall, F1 and attribute F1 (0..1, 4 places)."""
    predicted, gold, relaxed = counts["predicted"], counts["gold"], counts["relaxed"]
    out: dict[str, float] = {}
    for kind in ("strict", "relaxed"):
        precision = counts[kind] / predicted if predicted else 0.0
        recall = counts[kind] / gold if gold else 0.0
        out[f"{kind}_precision"] = precision
        out[f"{kind}_recall"] = recall
        out[f"{kind}_f1"] = _f1(precision, recall)
    for attribute in ("value", "type"):
        accuracy = counts[attribute] / relaxed if relaxed else 0.0
        out[f"{attribute}_accuracy"] = accuracy
        out[f"{attribute}_f1"] = accuracy * out["relaxed_f1"]
    return {key: round(number, 4) for key, number in out.items()}


def run(
    data_dir: pathlib.Path, *, limit: int | None = None, parse: bool = False
) -> dict[str, object]:
    """Score ``extract_dates`` on every ``.tml`` file under ``data_dir``; return JSON-ready results.

    Args:
        data_dir: a folder of TimeML files (searched recursively).
        limit: score only the first ``limit`` documents (sorted by path), for quick runs.
        parse: also pass a spaCy parse of each text (``doc=``), which ``extract_dates`` uses
            for the tense of a clause. Off by default: it takes ~20 s on TBAQ-cleaned and
            moved value F1 by less than 0.001 there; the parse time is not in ``seconds``.

    Scores are fractions in 0..1 (TE3 papers print them as percentages). ``seconds`` is the
    time spent in ``extract_dates`` only (reading the XML is not counted).

    Raises:
        ExtractError: ``data_dir`` is not a folder, holds no ``.tml`` file, or one is not
            TimeML.
    """
    data_dir = pathlib.Path(data_dir)
    if not data_dir.is_dir():
        raise ExtractError(f"{data_dir}: not a directory (expected TempEval-3 .tml files)")
    documents: list[TimemlDocument] = []
    seen: set[str] = set()
    duplicates = 0
    for document in iter_documents(data_dir):
        if document.doc_id in seen:
            duplicates += 1
            continue
        seen.add(document.doc_id)
        documents.append(document)
        if limit is not None and len(documents) >= limit:
            break
    if not documents:
        raise ExtractError(f"{data_dir}: no .tml files found")
    parses: list[Any] = [None] * len(documents)
    if parse:
        from factdesk.pipeline.nlp import load_nlp

        parses = list(load_nlp().pipe([d.text for d in documents], batch_size=16))
    totals = {"gold": 0, "predicted": 0, "relaxed": 0, "strict": 0, "value": 0, "type": 0}
    seconds = 0.0
    for document, doc in zip(documents, parses, strict=True):
        started = time.perf_counter()
        predicted = extract_dates(document.text, published=document.dct, doc=doc)
        seconds += time.perf_counter() - started
        for key, number in score_document(document.gold, timeml_view(predicted)).items():
            totals[key] += number
    characters = sum(len(d.text) for d in documents)
    return {
        "benchmark": BENCHMARK,
        "data": str(data_dir),
        "documents": len(documents),
        "duplicates_skipped": duplicates,
        "characters": characters,
        "gold": totals["gold"],
        "predicted": totals["predicted"],
        "relaxed_matches": totals["relaxed"],
        "strict_matches": totals["strict"],
        **scores(totals),
        "parsed": parse,
        "seconds": round(seconds, 4),
    }
