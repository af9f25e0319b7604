"""Run the pipeline over documents in batches: spaCy ``nlp.pipe`` per batch, then each stage per
document. Non-English documents are kept (stored, searchable) but not analysed: the English
model would produce confident garbage on them.

**Processes.** With ``n_process > 1`` the whole per-document analysis (language check, parse and
every stage) runs in forked worker processes that each take batches of the input, and the
finished :class:`~factdesk.records.Document` records come back. This is faster than spaCy's own
``nlp.pipe(n_process=...)``, which parses in workers but sends every parse back as bytes to be
rebuilt and run through the stages in the one parent process: measured on the BBC corpus
(``factdesk bench speed``), the parent then became the bottleneck, and spaCy also started and
stopped its workers on every call. Workers are forked, so they share the loaded model with the
parent instead of loading or unpickling it; where ``fork`` is unavailable (Windows, macOS
defaults) or the caller is itself a daemon process, the runner falls back to spaCy's
``n_process``.

**Failures.** A document whose stages raise does not take its batch down: :func:`analyze_each`
yields an :class:`AnalysisFailure` for it and carries on (the desk records the failure and stores
the rest). :func:`analyze` raises the first failure instead. A :class:`~factdesk.errors.
FactdeskError` (a missing model, say) is not about one document and always ends the run.

**Interruption.** Workers ignore SIGINT: Ctrl-C reaches the parent, which stops the pool and
kills the workers at once instead of waiting for their batches, so an interrupted ``add`` exits
promptly with whatever it committed so far.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import signal
import time
import traceback
import warnings
from collections import deque
from collections.abc import (
    Callable,
    Generator,
    Iterable,
    Iterator,
    Mapping,
    MutableMapping,
    Sequence,
)
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

from factdesk.errors import FactdeskError
from factdesk.pipeline.registry import Context, Pipeline, build_pipeline
from factdesk.records import Document, RawDocument

log = logging.getLogger(__name__)

#: Languages the analysis supports. "und" (undetermined: very short text) is analysed too,
#: because headlines and short wire flashes are too short to identify reliably.
SUPPORTED_LANGUAGES = frozenset({"en", "und"})

#: Per-process seconds of the analysis, by part: ``language``, ``parse``, each stage name.
Timings = MutableMapping[str, float]


@dataclass(frozen=True, slots=True)
class AnalysisFailure:
    """A document whose analysis raised; the other documents of its batch are unaffected.

    Attributes:
        raw: the document as read.
        error: what was raised (re-created as a ``RuntimeError`` with the same message when the
            original cannot cross a process boundary).
        trace: the formatted traceback, from the process that raised it.
    """

    raw: RawDocument
    error: Exception
    trace: str


_Result = Document | AnalysisFailure

#: Work on a batch of analysed documents done where they were analysed (see ``derive`` of
#: :func:`analyze_each`): a value per document id.
Derive = Callable[[Sequence[Document]], Mapping[str, Any]]

#: What a worker sends back for a task: results, seconds by part, derived values by id.
_Task = tuple[list[_Result], dict[str, float], dict[str, Any]]


def _language(text: str) -> str:
    from factdesk.ingest import detect_language

    return detect_language(text)


def document_from_raw(raw: RawDocument, *, language: str, status: str) -> Document:
    """A Document with metadata only (no analysis layers)."""
    return Document(
        id=raw.id,
        text=raw.text,
        source=raw.source,
        title=raw.title,
        url=raw.url,
        publisher=raw.publisher,
        byline=raw.byline,
        published=raw.published,
        fmt=raw.fmt,
        language=language,
        analysis_status=status,
    )


def run_stages(
    raw: RawDocument,
    doc: Any,
    pipeline: Pipeline,
    *,
    language: str = "en",
    timings: Timings | None = None,
) -> Document:
    """Run every stage of ``pipeline`` on one parsed document and assemble the record.

    Args:
        timings: when given, each stage's seconds are added under its name.
    """
    ctx = Context(raw=raw, doc=doc)
    for st in pipeline.stages:
        start = time.perf_counter()
        ctx.layers[st.assigns] = st.fn(ctx, **pipeline.options.get(st.name, {}))
        if timings is not None:
            timings[st.name] = timings.get(st.name, 0.0) + time.perf_counter() - start
    document = document_from_raw(raw, language=language, status="ok")
    layers = ctx.layers
    return replace(
        document,
        sentences=layers.get("sentences", ()),
        entities=layers.get("entities", ()),
        dates=layers.get("dates", ()),
        quantities=layers.get("quantities", ()),
        attributions=layers.get("attributions", ()),
        claims=layers.get("claims", ()),
    )


def analyze(
    raws: Iterable[RawDocument],
    *,
    pipeline: Pipeline | None = None,
    nlp: Any = None,
    batch_size: int = 32,
    n_process: int = 1,
    timings: Timings | None = None,
) -> Iterator[Document]:
    """Analyse documents in input order, streaming; the first failing document raises.

    Args:
        raws: documents to analyse (any iterable; consumed lazily in chunks of
            ``batch_size * n_process * 2`` documents, so memory stays bounded).
        pipeline: validated stages (default: ``build_pipeline()``).
        nlp: a loaded spaCy pipeline (default: ``load_nlp()``).
        batch_size: documents per spaCy batch.
        n_process: processes analysing at once (parse and stages); -1 means one per CPU. Inputs
            of fewer than ``2 * batch_size`` documents are analysed in this process.
        timings: when given, process-seconds spent detecting languages (``language``),
            parsing (``parse``) and in each stage (its name) are added to it, summed over the
            worker processes.
    """
    for result in analyze_each(
        raws,
        pipeline=pipeline,
        nlp=nlp,
        batch_size=batch_size,
        n_process=n_process,
        timings=timings,
    ):
        if isinstance(result, AnalysisFailure):
            raise result.error
        yield result


def analyze_each(
    raws: Iterable[RawDocument],
    *,
    pipeline: Pipeline | None = None,
    nlp: Any = None,
    batch_size: int = 32,
    n_process: int = 1,
    timings: Timings | None = None,
    derive: Derive | None = None,
    derived: MutableMapping[str, Any] | None = None,
) -> Generator[Document | AnalysisFailure, None, None]:
    """Like :func:`analyze`, but a document whose analysis raises comes out as an
    :class:`AnalysisFailure` in its place, and the run goes on.

    The input is pulled lazily from this generator's caller thread, so ``raws`` may be a
    generator that consults the store (the desk's duplicate check) while results are consumed.

    Args:
        derive: run on each batch's analysed documents (status ``ok``) in the process that
            analysed them; what it returns by document id is put into ``derived`` before those
            documents are yielded. The desk computes the sentence vectors of the leads this
            way, in the workers, instead of in the one process that stores and assigns. If it
            raises (other than a ``FactdeskError``), the batch simply has no entries.
        derived: where ``derive``'s values go.

    Raises:
        FactdeskError: a failure that is not about one document (the model is missing).
    """
    from factdesk.pipeline.nlp import load_nlp

    pipeline = pipeline or build_pipeline()
    nlp = nlp or load_nlp()
    batch_size = max(1, batch_size)
    workers = _workers(n_process)
    chunk_size = batch_size * workers * 2
    chunks = _chunks(raws, chunk_size)
    first = next(chunks, None)
    if first is None:
        return
    sink = derived if derived is not None else {}
    if workers == 1 or len(first) < 2 * batch_size:
        # Too little text to share (a short run, or the desk retrying one document).
        for chunk in _prepend(first, chunks):
            results = _analyze_batch(chunk, pipeline, nlp, batch_size, timings)
            sink.update(_derive(results, derive, timings))
            yield from results
        return
    if not _can_fork():
        for chunk in _prepend(first, chunks):
            results = list(
                _analyze_chunk_spacy_mp(chunk, pipeline, nlp, batch_size, workers, timings)
            )
            sink.update(_derive(results, derive, timings))
            yield from results
        return
    yield from _analyze_forked(
        _prepend(first, chunks), pipeline, nlp, batch_size, workers, timings, derive, sink
    )


def _workers(n_process: int) -> int:
    if n_process == -1:
        return os.cpu_count() or 1
    return max(1, n_process)


def _can_fork() -> bool:
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon
    )


def _chunks(raws: Iterable[RawDocument], size: int) -> Iterator[list[RawDocument]]:
    chunk: list[RawDocument] = []
    for raw in raws:
        chunk.append(raw)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _prepend(
    first: list[RawDocument], rest: Iterator[list[RawDocument]]
) -> Iterator[list[RawDocument]]:
    yield first
    yield from rest


def _add(timings: Timings | None, part: str, seconds: float) -> None:
    if timings is not None:
        timings[part] = timings.get(part, 0.0) + seconds


def _derive(
    results: Sequence[_Result], derive: Derive | None, timings: Timings | None
) -> Mapping[str, Any]:
    docs = [r for r in results if isinstance(r, Document) and r.analysis_status == "ok"]
    if derive is None or not docs:
        return {}
    start = time.perf_counter()
    try:
        return derive(docs)
    except FactdeskError:
        raise
    except Exception:  # noqa: BLE001 - an optional head start: the caller does without
        log.warning("%s failed on a batch of %d", derive, len(docs), exc_info=True)
        return {}
    finally:
        _add(timings, getattr(derive, "__name__", "derive"), time.perf_counter() - start)


def _analyze_batch(
    batch: Sequence[RawDocument],
    pipeline: Pipeline,
    nlp: Any,
    batch_size: int,
    timings: Timings | None,
) -> list[_Result]:
    """Analyse a batch in this process: language check, one ``nlp.pipe``, the stages."""
    languages, english = _languages(batch, timings)
    start = time.perf_counter()
    parses = _parse(english, nlp, batch_size)
    _add(timings, "parse", time.perf_counter() - start)
    parsed = iter(parses)
    return [
        _finish(raw, lang, parsed, pipeline, timings)
        for raw, lang in zip(batch, languages, strict=True)
    ]


def _languages(
    raws: Sequence[RawDocument], timings: Timings | None
) -> tuple[list[str], list[RawDocument]]:
    """Each text's language, and the texts the pipeline supports (the ones to parse)."""
    start = time.perf_counter()
    languages = [_language(raw.text) for raw in raws]
    _add(timings, "language", time.perf_counter() - start)
    english = [
        raw for raw, lang in zip(raws, languages, strict=True) if lang in SUPPORTED_LANGUAGES
    ]
    return languages, english


def _parse(raws: Sequence[RawDocument], nlp: Any, batch_size: int) -> list[Any]:
    """One ``nlp.pipe`` over the batch; if it raises, each text alone, so that only the text
    that breaks the parser fails (its entry is the exception)."""
    if not raws:
        return []
    try:
        return list(nlp.pipe((raw.text for raw in raws), batch_size=batch_size))
    except FactdeskError:
        raise
    except Exception:  # noqa: BLE001 - batch boundary: find the text that failed
        log.warning("parsing a batch of %d failed; parsing one by one", len(raws), exc_info=True)
    out: list[Any] = []
    for raw in raws:
        try:
            out.append(nlp(raw.text))
        except Exception as exc:  # noqa: BLE001 - recorded as this document's failure
            out.append(exc)
    return out


def _finish(
    raw: RawDocument,
    lang: str,
    parsed: Iterator[Any],
    pipeline: Pipeline,
    timings: Timings | None,
) -> _Result:
    if lang not in SUPPORTED_LANGUAGES:
        log.info("%s: language %r is not supported; stored without analysis", raw.source, lang)
        return document_from_raw(raw, language=lang, status="unsupported-language")
    language = "en" if lang == "und" else lang
    doc = next(parsed)
    try:
        if isinstance(doc, Exception):
            raise doc
        return run_stages(raw, doc, pipeline, language=language, timings=timings)
    except FactdeskError:
        raise
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop its batch
        return AnalysisFailure(raw=raw, error=exc, trace=traceback.format_exc())


# --- forked workers ----------------------------------------------------------------------------

#: Documents a pool of analysis workers parses before it is replaced by a fresh fork. Each new
#: word a worker parses stays in its spaCy vocabulary for good: parsing BBC articles with new
#: names in every copy added about 17,000 strings per 1,000 articles, which over a
#: 100,000-document ingest could add 170 MB per worker. The parent never parses (its vocabulary
#: is the model's), so a fresh fork starts clean; the cost is one wait for the chunks in flight.
RECYCLE_AFTER = 10_000

# Set in each worker by ``_init_worker`` (inherited through fork, never pickled).
_worker_state: tuple[Pipeline, Any, int, Derive | None] | None = None


def _init_worker(pipeline: Pipeline, nlp: Any, batch_size: int, derive: Derive | None) -> None:
    global _worker_state
    _worker_state = (pipeline, nlp, batch_size, derive)
    _ignore_sigint()


def _work(batch: list[RawDocument]) -> _Task:
    assert _worker_state is not None, "worker not initialised"
    pipeline, nlp, batch_size, derive = _worker_state
    timings: dict[str, float] = {}
    results = _analyze_batch(batch, pipeline, nlp, batch_size, timings)
    derived = dict(_derive(results, derive, timings))
    return [_portable(r) for r in results], timings, derived


def _portable(result: _Result) -> _Result:
    """A failure whose exception cannot be pickled back to the parent, with a stand-in."""
    if isinstance(result, Document):
        return result
    try:
        pickle.dumps(result.error)
    except Exception:  # noqa: BLE001 - any pickling problem: keep the message
        error = RuntimeError(f"{type(result.error).__name__}: {result.error}")
        return AnalysisFailure(raw=result.raw, error=error, trace=result.trace)
    return result


def _split(chunk: Sequence[RawDocument], parts: int) -> list[list[RawDocument]]:
    """Cut ``chunk`` into ``parts`` contiguous slices of about equal length in words.

    Equal work per slice keeps the workers finishing together: the desk analyses one chunk
    per call, and a worker that finishes early idles until the call returns.
    """
    weights = [max(1, len(raw.text.split())) for raw in chunk]
    total = sum(weights)
    slices: list[list[RawDocument]] = []
    current: list[RawDocument] = []
    done = 0
    for raw, weight in zip(chunk, weights, strict=True):
        current.append(raw)
        done += weight
        if done * parts >= total * (len(slices) + 1) and len(slices) < parts - 1:
            slices.append(current)
            current = []
    if current:
        slices.append(current)
    return slices


def _analyze_forked(
    chunks: Iterator[list[RawDocument]],
    pipeline: Pipeline,
    nlp: Any,
    batch_size: int,
    workers: int,
    timings: Timings | None,
    derive: Derive | None,
    derived: MutableMapping[str, Any],
) -> Iterator[_Result]:
    """Analyse chunks in forked workers; at most two chunks are in flight, results in order.

    One pool serves the input: the caller works on the results it has (the desk stores them
    and assigns stories) while the workers parse the next chunks. Every
    :data:`RECYCLE_AFTER` documents the pool is drained and forked afresh, which bounds the
    workers' memory on a long ingest (see there).
    """
    # Load the language identifier here, once: forked workers inherit it. Loaded in each
    # worker instead, it cost 0.6-0.9 s per worker per call (the desk calls once per batch).
    _language("Loading the language model before the workers are forked.")
    context = multiprocessing.get_context("fork")
    pending: deque[Future[_Task]] = deque()

    def fresh_pool() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(pipeline, nlp, batch_size, derive),
        )

    pool = fresh_pool()
    sent = 0
    finished = False
    try:
        for chunk in chunks:
            if sent >= RECYCLE_AFTER:
                while pending:
                    yield from _collect(pending.popleft(), timings, derived)
                pool.shutdown(wait=True)
                pool = fresh_pool()
                sent = 0
            sent += len(chunk)
            # Tasks of about batch_size documents, as many per worker, of equal work.
            parts = max(workers, -(-len(chunk) // batch_size))
            parts = -(-parts // workers) * workers
            for part in _split(chunk, min(parts, len(chunk))):
                pending.append(_submit(pool, _work, part))
            while len(pending) > 2 * parts:
                yield from _collect(pending.popleft(), timings, derived)
        while pending:
            yield from _collect(pending.popleft(), timings, derived)
        finished = True
    finally:
        _close(pool, finished=finished)


def _close(pool: ProcessPoolExecutor, *, finished: bool) -> None:
    """Shut a pool down once its work is done; otherwise stop it now (see :func:`_stop`)."""
    if finished:
        pool.shutdown(wait=True)
    else:
        _stop(pool)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now: on an error, Ctrl-C or an abandoned generator, nobody wants the
    batches still being parsed, and waiting for them would delay the exit by seconds."""
    # ProcessPoolExecutor has no public way to kill its workers before Python 3.14
    # (terminate_workers); ``_processes`` has held them since 3.2.
    processes = list(getattr(pool, "_processes", {}).values())
    manager = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=5)
    # The pool's manager thread also reaps the killed workers. Whichever of the two threads'
    # waitpid loses the race sees "no such child" and leaves the process listed as running
    # (multiprocessing.active_children) until the winner records its exit code: wait for
    # that thread, so the workers are gone, and seen to be gone, when this returns.
    if manager is not None:
        manager.join(timeout=5)


def map_in_workers(
    fn: Callable[[Any], Any], items: Iterable[Any], *, n_process: int
) -> Iterator[Any]:
    """``map(fn, items)`` in forked worker processes, results in order.

    The workers share this process's loaded modules by fork, as the analysis workers do; at
    most two items per worker are in flight, so ``items`` may be a lazy generator (it is
    consumed in this thread). On an error, Ctrl-C or an abandoned iterator the workers are
    stopped at once. With one process, or where fork is unavailable, it maps here.

    Args:
        fn: a module-level function (it is sent to the workers by name); its argument and
            result are pickled.
        n_process: worker processes; -1 means one per CPU.
    """
    workers = _workers(n_process)
    if workers == 1 or not _can_fork():
        yield from map(fn, items)
        return
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_ignore_sigint,
    )
    pending: deque[Future[Any]] = deque()
    finished = False
    try:
        for item in items:
            pending.append(_submit(pool, fn, item))
            if len(pending) > 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
        finished = True
    finally:
        _close(pool, finished=finished)


def _ignore_sigint() -> None:
    # Ctrl-C is the parent's to handle (it kills the workers); a worker interrupted while
    # idle would otherwise die printing a traceback per process.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _submit(pool: ProcessPoolExecutor, fn: Callable[[Any], Any], arg: Any) -> Future[Any]:
    # The first submit forks the workers. Python 3.12+ warns that fork() in a multi-threaded
    # process may deadlock the child; the parent may hold other threads (a web server's, or
    # onnxruntime's). The children run spaCy, the stages and ``derive`` (or the desk's
    # comparison of stories), never touching what those threads lock (the vectors module loads
    # a fresh session in a forked child); spaCy's own n_process forks in the same situation.
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore",
            message=r".*use of fork\(\) may lead to deadlocks",
            category=DeprecationWarning,
        )
        return pool.submit(fn, arg)


def _collect(
    future: Future[_Task],
    timings: Timings | None,
    derived: MutableMapping[str, Any],
) -> list[_Result]:
    documents, spent, values = future.result()
    derived.update(values)
    if timings is not None:
        for part, seconds in spent.items():
            timings[part] = timings.get(part, 0.0) + seconds
    return documents


def _analyze_chunk_spacy_mp(
    chunk: list[RawDocument],
    pipeline: Pipeline,
    nlp: Any,
    batch_size: int,
    n_process: int,
    timings: Timings | None,
) -> Iterator[_Result]:
    """Without fork: spaCy parses in its own worker processes, the stages run here."""
    languages, english = _languages(chunk, timings)
    procs = n_process if len(english) >= 2 * batch_size else 1
    parsed = iter(nlp.pipe((raw.text for raw in english), batch_size=batch_size, n_process=procs))
    for raw, lang in zip(chunk, languages, strict=True):
        yield _finish(raw, lang, parsed, pipeline, timings)
