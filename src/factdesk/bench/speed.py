"""Ingest speed end to end against bare spaCy, and story assignment cost by store size.

``factdesk bench speed --data DIR`` measures three things in one run:

1. **End to end.** Every readable article under ``DIR`` (plain text, one per file, for example
   the BBC News corpus of Greene & Cunningham 2006) goes through :func:`factdesk.desk.add` into
   a temporary SQLite store: read → analyse → store → story assignment → findings. Documents
   with the same content are counted once (``add`` skips the second copy, so it is not parsed
   and not counted in the words either). ``words`` are whitespace-separated tokens.
2. **Bare spaCy** on the same texts: ``nlp.pipe`` of the installed model package as shipped
   (without the desk's line-break component, which counts as the desk's own cost), with the
   same ``batch_size`` and ``n_process``, every document consumed, once before and once after
   the end-to-end run; ``spacy_seconds`` is their mean (on a shared machine the load changes
   within minutes, and averaging both sides of the desk's run weighs it alike). All runs start
   with the model already loaded in this process; worker start-up is inside every timer.
   ``ratio_to_spacy`` = end-to-end words/s ÷ bare spaCy words/s.
3. **Story assignment by store size.** A fresh store is filled to each size in
   :data:`ASSIGN_SIZES` with *replicas* of the analysed corpus (see :func:`replicate`), inserted
   through the store and :func:`factdesk.cluster.assign_documents`; then ``probes`` new
   replicas are assigned one at a time and ``assign_ms[size]`` is the median milliseconds of
   one ``assign_documents(store, [doc])`` call, sentence vector included. While filling,
   sentence vectors are random unit vectors (embedding 100k lead texts would take most of an
   hour and does not change what is indexed); the timed probes use the real model.

``stage_seconds`` splits the end-to-end wall time of this (the parent) process by what it was
doing, timed around the desk's calls: ``read``, ``analyze`` (waiting for the analysis workers,
and handing them work), ``store``, ``stories`` (story assignment without its sentence vectors),
``vectors``, ``findings``; ``other`` is the rest (duplicate checks, the run record). The
analysis workers parse while the parent stores and assigns, so ``analyze`` is only the time the
parent had nothing else to do. ``analysis_seconds`` are wall seconds inside the workers
(language check, parse, each stage), summed over them. ``vectors_seconds`` repeats
``stage_seconds["vectors"]``.

``add`` refreshes the findings of every story its batches touched; a story that a later batch
merged away no longer exists. ``add`` skips those; the benchmark counts them in
``findings_skipped_merged_stories``.

``peak_rss_mb`` is the largest sum of the resident memory of this process and its children
(the analysis workers) during the end-to-end run, sampled from ``/proc`` every 0.25 s; pages the
workers share with the parent (the model) count in each process, so it is an upper bound.
``peak_pss_mb`` is the same with shared pages divided among the processes sharing them: what
the run really costs the machine; ``memory_samples`` are ``[seconds, rss, pss]`` every 10 s
of it. ``benchmark_peak_rss_mb`` is this process's peak over the
whole benchmark plus the largest peak of a finished child (``getrusage``; the bare spaCy runs
included). ``load_average`` is the 1-minute load before and after: on a shared machine, a load
above the core count means the numbers are low.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import pathlib
import random
import re
import resource
import statistics
import string
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from factdesk import desk, vectors
from factdesk.cluster import assign_documents
from factdesk.errors import ExtractError
from factdesk.ingest import ReadFailure, read_inputs
from factdesk.pipeline import runner
from factdesk.pipeline.claims import claim_id
from factdesk.pipeline.nlp import MODEL_PACKAGES, load_nlp
from factdesk.records import (
    Attribution,
    Claim,
    DateMention,
    Document,
    Entity,
    Quantity,
    RawDocument,
    content_id,
)
from factdesk.store import Store, open_store

log = logging.getLogger(__name__)

#: Store sizes at which story assignment is timed (the issue's 1k, 10k and 100k).
ASSIGN_SIZES = (1_000, 10_000, 100_000)
#: New documents timed at each store size (the median is reported).
ASSIGN_PROBES = 25
#: Documents stored and assigned per call while filling a store.
_FILL_BATCH = 500
#: Replica numbers of probes start here, so a probe is never a copy of a stored replica.
_PROBE_REPLICAS = 1_000_000

_WORD = re.compile(r"[^\W_]+")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


def run(
    data_dir: pathlib.Path,
    *,
    limit: int | None = None,
    processes: int = 2,
    batch_size: int = 32,
    assign_sizes: Sequence[int] = ASSIGN_SIZES,
    probes: int = ASSIGN_PROBES,
) -> dict[str, Any]:
    """Measure ingest speed on the articles under ``data_dir``; return JSON-ready results.

    Args:
        data_dir: a folder of articles (read recursively, as ``factdesk add`` reads it).
        limit: use only the first ``limit`` documents (in reading order), for quick runs.
            The store sizes of the assignment timing do not shrink with it.
        processes: ``n_process`` for both the desk and bare spaCy.
        batch_size: documents per spaCy batch, for both.
        assign_sizes: store sizes at which one document's story assignment is timed.
        probes: documents timed at each store size.

    Raises:
        ExtractError: ``data_dir`` is not a folder or holds no readable article.
    """
    data_dir = pathlib.Path(data_dir)
    if not data_dir.is_dir():
        raise ExtractError(f"{data_dir}: not a directory (expected a folder of articles)")
    load_before = os.getloadavg()[0]
    raws, duplicates, unreadable = _read_corpus(data_dir, limit)
    if not raws:
        raise ExtractError(f"{data_dir}: no readable article (.txt, .md, .html …) found")
    words = sum(_words(raw.text) for raw in raws)
    load_nlp()  # the desk's model, loaded once outside the timers
    texts = [raw.text for raw in raws]
    # Bare spaCy runs before and after the desk and the ratio uses their mean: on a shared
    # machine the load changes within minutes, and it then weighs on both sides alike.
    log.info("bare spaCy: %d documents", len(raws))
    model, spacy_before = _bare_spacy(texts, processes=processes, batch_size=batch_size)
    with tempfile.TemporaryDirectory(prefix="factdesk-speed-") as tmp:
        store = open_store(pathlib.Path(tmp) / "ingest.db")
        try:
            log.info("end to end: %d documents, %d words", len(raws), words)
            with _MemorySampler() as memory:
                ingest = _ingest(raws, store, processes=processes, batch_size=batch_size)
            analysed = [
                store.get_document(doc_id) for doc_id in ingest.doc_ids if doc_id is not None
            ]
            base = [d for d in analysed if d.analysis_status == "ok"]
            stories = len(store.list_stories())
        finally:
            store.close()
        log.info("bare spaCy again: %d documents", len(raws))
        _, spacy_after = _bare_spacy(texts, processes=processes, batch_size=batch_size)
        spacy_seconds = (spacy_before + spacy_after) / 2
        assign = (
            _assign_scaling(base, pathlib.Path(tmp), sizes=assign_sizes, probes=probes)
            if base
            else {}
        )
    words_per_s = words / ingest.seconds
    spacy_words_per_s = words / spacy_seconds
    return {
        "documents": len(raws),
        "words": words,
        "processes": processes,
        "batch_size": batch_size,
        "seconds": round(ingest.seconds, 3),
        "docs_per_s": round(len(raws) / ingest.seconds, 3),
        "words_per_s": round(words_per_s, 1),
        "spacy_model": model,
        "spacy_seconds": round(spacy_seconds, 3),
        "spacy_seconds_before_after": [round(spacy_before, 3), round(spacy_after, 3)],
        "spacy_words_per_s": round(spacy_words_per_s, 1),
        "ratio_to_spacy": round(words_per_s / spacy_words_per_s, 3),
        "peak_rss_mb": round(memory.peak_rss_mb or peak_rss_mb(), 1),
        "peak_pss_mb": round(memory.peak_pss_mb, 1),
        "benchmark_peak_rss_mb": round(peak_rss_mb(), 1),
        "memory_samples": memory.samples,
        "assign_ms": {size: detail["median_ms"] for size, detail in assign.items()},
        "assign_detail": assign,
        "stage_seconds": {k: round(v, 3) for k, v in ingest.stage_seconds.items()},
        "analysis_seconds": {k: round(v, 3) for k, v in ingest.analysis_seconds.items()},
        "vectors_seconds": round(ingest.vectors_seconds, 3),
        "outcomes": ingest.outcomes,
        "findings_skipped_merged_stories": ingest.findings_skipped,
        "stories": stories,
        "duplicates_skipped": duplicates,
        "unreadable": unreadable,
        "cpus": os.cpu_count(),
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


def peak_rss_mb() -> float:
    """Peak RSS in MiB of this process plus the largest of its finished children (Linux KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


class _MemorySampler:
    """Peak memory of this process and its children while the block runs, from ``/proc``.

    ``peak_rss_mb`` is the largest sum of their resident sets; pages the forked workers share
    with the parent (the model) count in each, so it is an upper bound. ``peak_pss_mb`` divides
    shared pages among the processes sharing them: what the machine really spends. Both stay
    0 where ``/proc`` is missing (not Linux). ``samples`` holds ``[seconds, rss, pss]`` every
    ``keep`` seconds, to show whether memory grows with the number of documents.
    """

    def __init__(self, every: float = 0.25, keep: float = 10.0) -> None:
        self.peak_rss_mb = 0.0
        self.peak_pss_mb = 0.0
        self.samples: list[list[float]] = []
        self._keep = keep
        self._every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="memory-sampler", daemon=True)

    def __enter__(self) -> _MemorySampler:
        if os.path.isdir("/proc/self"):
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        start = time.perf_counter()
        while True:
            rss = pss = 0.0
            for pid in [os.getpid(), *_children(os.getpid())]:
                rss += _proc_kib(f"/proc/{pid}/status", "VmRSS:")
                pss += _proc_kib(f"/proc/{pid}/smaps_rollup", "Pss:")
            self.peak_rss_mb = max(self.peak_rss_mb, rss / 1024)
            self.peak_pss_mb = max(self.peak_pss_mb, pss / 1024)
            elapsed = time.perf_counter() - start
            if not self.samples or elapsed - self.samples[-1][0] >= self._keep:
                self.samples.append([round(elapsed, 1), round(rss / 1024), round(pss / 1024)])
            if self._stop.wait(self._every):
                return


def _children(parent: int) -> list[int]:
    found: list[int] = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                # "pid (comm) state ppid ...": comm may hold spaces, so split after its ")".
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        if int(fields[1]) == parent:
            found.append(int(entry))
    return found


def _proc_kib(path: str, label: str) -> float:
    try:
        with open(path, encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith(label):
                    return float(line.split()[1])
    except OSError:
        pass
    return 0.0


def _words(text: str) -> int:
    return len(text.split())


def _read_corpus(data_dir: pathlib.Path, limit: int | None) -> tuple[list[RawDocument], int, int]:
    """Readable documents in ``add``'s reading order, each content once; and the skip counts."""
    raws: list[RawDocument] = []
    seen: set[str] = set()
    duplicates = unreadable = 0
    for item in read_inputs([str(data_dir)]):
        if limit is not None and len(raws) >= limit:
            break
        if isinstance(item, ReadFailure):
            unreadable += 1
        elif item.id in seen:
            duplicates += 1
        else:
            seen.add(item.id)
            raws.append(item)
    return raws, duplicates, unreadable


# --- end to end --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Ingest:
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    analysis_seconds: dict[str, float] = field(default_factory=dict)
    vectors_seconds: float = 0.0
    outcomes: dict[str, int] = field(default_factory=dict)
    doc_ids: list[str | None] = field(default_factory=list)
    findings_skipped: int = 0


class _Clock:
    """Wall seconds by part, timed around calls. Timed regions nest (the analysis pulls the
    reader; story assignment calls the sentence vectors): each second counts once, for the
    innermost part."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._open: list[list[Any]] = []  # [part, since] of each open region, innermost last

    def add(self, part: str, seconds: float) -> None:
        self.seconds[part] = self.seconds.get(part, 0.0) + seconds

    def _enter(self, part: str) -> None:
        now = time.perf_counter()
        if self._open:
            outer = self._open[-1]
            self.add(outer[0], now - outer[1])
        self._open.append([part, now])

    def _leave(self) -> None:
        now = time.perf_counter()
        part, since = self._open.pop()
        self.add(part, now - since)
        if self._open:
            self._open[-1][1] = now

    def call(self, part: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._enter(part)
            try:
                return fn(*args, **kwargs)
            finally:
                self._leave()

        return timed

    def each(self, part: str, items: Iterable[Any]) -> Iterator[Any]:
        """Yield from ``items``, timing only the producer (not the consumer's work)."""
        iterator = iter(items)
        while True:
            self._enter(part)
            try:
                item = next(iterator)
            except StopIteration:
                return
            finally:
                self._leave()
            yield item


@contextlib.contextmanager
def _patched(target: Any, name: str, value: Any) -> Iterator[None]:
    original = getattr(target, name)
    setattr(target, name, value)
    try:
        yield
    finally:
        setattr(target, name, original)


def _ingest(
    raws: Sequence[RawDocument], store: Store, *, processes: int, batch_size: int
) -> _Ingest:
    """Run ``desk.add`` over the documents' files, timing each stage around its call."""
    clock = _Clock()
    analysis: dict[str, float] = {}
    original_analyze = runner.analyze_each

    def read_each(*args: Any, **kwargs: Any) -> Iterator[Any]:
        return clock.each("read", original_read_each(*args, **kwargs))

    def analyze_each(*args: Any, **kwargs: Any) -> Iterator[Any]:
        return clock.each("analyze", original_analyze(*args, timings=analysis, **kwargs))

    original_read_each = desk._read_each
    original_refresh = desk._refresh_stories
    gone: list[str] = []

    def refresh(*args: Any, **kwargs: Any) -> list[str]:
        # add() refreshes every story its batches touched, but a later batch can merge one of
        # them away (cluster merges and adoptions delete stories): it skips those; count them.
        skipped = original_refresh(*args, **kwargs)
        gone.extend(skipped)
        return skipped

    with contextlib.ExitStack() as stack:
        stack.enter_context(_patched(desk, "_read_each", read_each))
        stack.enter_context(_patched(desk, "analyze_each", analyze_each))
        stack.enter_context(
            _patched(desk, "assign_documents", clock.call("stories", assign_documents))
        )
        stack.enter_context(_patched(desk, "_refresh_stories", clock.call("findings", refresh)))
        stack.enter_context(
            _patched(store, "add_documents", clock.call("store", store.add_documents))
        )
        stack.enter_context(_patched(vectors, "embed", clock.call("vectors", vectors.embed)))
        start = time.perf_counter()
        summary = desk.add(
            [raw.source for raw in raws], store=store, batch_size=batch_size, n_process=processes
        )
        seconds = time.perf_counter() - start
    stages = {
        part: clock.seconds.get(part, 0.0)
        for part in ("read", "analyze", "store", "stories", "vectors", "findings")
    }
    stages["other"] = max(0.0, seconds - sum(stages.values()))
    outcomes: dict[str, int] = {}
    for outcome in summary.outcomes:
        outcomes[outcome.status] = outcomes.get(outcome.status, 0) + 1
    return _Ingest(
        seconds=seconds,
        stage_seconds=stages,
        analysis_seconds=analysis,
        vectors_seconds=clock.seconds.get("vectors", 0.0),
        outcomes=outcomes,
        doc_ids=[o.doc_id for o in summary.outcomes if o.status == "ok"],
        findings_skipped=len(gone),
    )


# --- bare spaCy --------------------------------------------------------------------------------


def _bare_spacy(texts: Sequence[str], *, processes: int, batch_size: int) -> tuple[str, float]:
    """Return the model package name and the seconds ``nlp.pipe`` takes over ``texts``."""
    for name in MODEL_PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp = module.load()
        break
    else:  # pragma: no cover - load_nlp() already failed with a ModelError
        raise AssertionError("no spaCy model package")
    nlp.max_length = 5_000_000
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=batch_size, n_process=processes):
        pass
    return name, time.perf_counter() - start


# --- story assignment by store size ------------------------------------------------------------


def replicate(doc: Document, replica: int) -> Document:
    """A copy of an analysed document that reads as a different article.

    Letters and digits of every word that is not an English stop word are substituted through
    a permutation chosen by ``replica`` (lengths kept, so every span still fits), in the text,
    title and every layer's text, entity keys and speakers; four-digit years in date values
    move forward by ``1 + replica % 40`` years. Ids are recomputed from the new text. The
    replica shares no names, terms or numbers with its original, only the shape of its layers,
    so filled stores hold mostly one-document stories, as a real archive does.
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    rng = random.Random(replica)
    letters = list(string.ascii_lowercase)
    digits = list(string.digits)
    rng.shuffle(letters)
    rng.shuffle(digits)
    table = str.maketrans(
        string.ascii_lowercase + string.ascii_uppercase + string.digits,
        "".join(letters) + "".join(letters).upper() + "".join(digits),
    )
    years = 1 + replica % 40

    def c(text: str) -> str:
        return _WORD.sub(
            lambda m: m[0] if m[0].lower() in STOP_WORDS else m[0].translate(table), text
        )

    def opt(text: str | None) -> str | None:
        return None if text is None else c(text)

    def entity(e: Entity) -> Entity:
        return replace(e, text=c(e.text), key=c(e.key))

    def date(m: DateMention) -> DateMention:
        value = m.value and _YEAR.sub(lambda y: str(int(y[1]) + years), m.value)
        return replace(m, text=c(m.text), value=value)

    def quantity(q: Quantity) -> Quantity:
        return replace(q, text=c(q.text))

    def attribution(a: Attribution) -> Attribution:
        return replace(
            a,
            speaker=opt(a.speaker),
            speaker_key=opt(a.speaker_key),
            via=tuple(c(v) for v in a.via),
        )

    text = c(doc.text)
    doc_id = content_id(text)

    def claim(cl: Claim) -> Claim:
        return replace(
            cl,
            id=claim_id(doc_id, cl.span),
            doc_id=doc_id,
            text=c(cl.text),
            speaker=opt(cl.speaker),
            speaker_key=opt(cl.speaker_key),
            via=tuple(c(v) for v in cl.via),
            entities=tuple(map(entity, cl.entities)),
            dates=tuple(map(date, cl.dates)),
            quantities=tuple(map(quantity, cl.quantities)),
        )

    return replace(
        doc,
        id=doc_id,
        text=text,
        title=opt(doc.title),
        source=f"{doc.source}#replica-{replica}",
        sentences=tuple(replace(s, text=c(s.text)) for s in doc.sentences),
        entities=tuple(map(entity, doc.entities)),
        dates=tuple(map(date, doc.dates)),
        quantities=tuple(map(quantity, doc.quantities)),
        attributions=tuple(map(attribution, doc.attributions)),
        claims=tuple(map(claim, doc.claims)),
    )


@contextlib.contextmanager
def _random_vectors(seed: int) -> Iterator[None]:
    """Swap the sentence-vector model for random unit vectors (filling stores only)."""
    rng = np.random.default_rng(seed)

    def embed(texts: Sequence[str], *, batch_size: int = 4) -> vectors.Vectors:
        matrix = rng.standard_normal((len(texts), vectors.DIMENSION)).astype(np.float32)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return np.asarray(matrix / np.clip(norms, 1e-12, None), dtype=np.float32)

    with _patched(vectors, "embed", embed):
        yield


def _assign_scaling(
    base: Sequence[Document], folder: pathlib.Path, *, sizes: Sequence[int], probes: int
) -> dict[str, dict[str, float]]:
    """Fill one store through ``sizes`` and time single-document assignment at each."""
    out: dict[str, dict[str, float]] = {}
    store = open_store(folder / "assign.db")
    made = 0
    try:
        for size in sorted(set(sizes)):
            start = time.perf_counter()
            with _random_vectors(seed=size):
                while (stored := store.count_documents()) < size:
                    n = min(_FILL_BATCH, size - stored)
                    batch = [
                        replicate(base[i % len(base)], 1 + i // len(base))
                        for i in range(made, made + n)
                    ]
                    made += n
                    flags = store.add_documents(batch)
                    assign_documents(store, [d for d, new in zip(batch, flags, strict=True) if new])
            fill = time.perf_counter() - start
            log.info("store of %d documents filled in %.1f s", size, fill)
            totals: list[float] = []
            without: list[float] = []
            stride = max(1, len(base) // max(1, probes))
            for j in range(probes):
                doc = replicate(base[(j * stride) % len(base)], _PROBE_REPLICAS + size + j)
                if not store.add_documents([doc])[0]:
                    continue
                clock = _Clock()
                with _patched(vectors, "embed", clock.call("vectors", vectors.embed)):
                    start = time.perf_counter()
                    assign_documents(store, [doc])
                    total = time.perf_counter() - start
                totals.append(total)
                without.append(total - clock.seconds.get("vectors", 0.0))
            if not totals:
                continue
            out[str(size)] = {
                "median_ms": round(statistics.median(totals) * 1000, 2),
                "p90_ms": round(_quantile(totals, 0.9) * 1000, 2),
                "median_ms_without_vectors": round(statistics.median(without) * 1000, 2),
                "probes": len(totals),
                "stored": store.count_documents(),
                "stories": len(store.list_stories()),
                "fill_seconds": round(fill, 1),
                "peak_rss_mb": round(peak_rss_mb(), 1),
            }
    finally:
        store.close()
    return out


def _quantile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]
