"""The desk's library functions: what the CLI and web shells call, one function per command.

Data flows one way: read (``ingest``) → analyze (``pipeline``) → store.
"""

from __future__ import annotations

import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

from factdesk import findings_codec
from factdesk.check import CheckReport, Judge, check_documents
from factdesk.cluster import (
    assign_documents,
    lead_vectors,
    list_stories,
    merge_stories,
    move_document,
    split_story,
)
from factdesk.compare import PRODUCED_BY, compare_story
from factdesk.errors import ExtractError, FactdeskError, NotFound
from factdesk.ingest import SUPPORTED_EXTENSIONS, ReadFailure, ReadLimits, read_inputs
from factdesk.pipeline.runner import AnalysisFailure, analyze, analyze_each, map_in_workers
from factdesk.records import Claim, Document, Outcome, RawDocument, RunSummary, Story, StoryFindings
from factdesk.report import (
    Brief,
    TimelineEntry,
    build_brief,
    build_timeline,
    claimreview_jsonld,
)
from factdesk.store import Store
from factdesk.vectors import prepare as prepare_vectors

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Progress:
    """A snapshot of an ``add`` run, passed to the progress callback.

    ``done`` counts inputs settled (added, skipped or failed); ``total`` is how many the run
    expects, from counting the input folders' files up front: None when an input is a URL, and
    an underestimate for feeds and JSONL files, which hold several documents each.
    """

    done: int
    added: int
    skipped: int
    failed: int
    elapsed: float
    total: int | None = None

    @property
    def docs_per_s(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the rate so far; None when the total is unknown or passed."""
        if self.total is None or self.done >= self.total or self.docs_per_s <= 0:
            return None
        return (self.total - self.done) / self.docs_per_s


ProgressFn = Callable[[Progress], None]

#: Least seconds between two progress reports (skipping stored duplicates is fast).
_PROGRESS_EVERY = 0.5


def add(
    inputs: Iterable[str],
    *,
    store: Store,
    limits: ReadLimits | None = None,
    batch_size: int = 32,
    n_process: int = 1,
    progress: ProgressFn | None = None,
    command: str = "add",
    assign_stories: bool = True,
    names: Mapping[str, str] | None = None,
) -> RunSummary:
    """Read, analyse and store every input; return one outcome per document or failure.

    ``names`` maps an input to the name its documents are stored under (their ``source``):
    the web desk reads an upload from a temporary file but stores it as ``upload:wire.txt``.

    Analysis streams through one pool of ``n_process`` workers: while they parse, this process
    stores each finished batch in one transaction and assigns its documents to stories, so
    the parser never waits for the store.

    Already stored content (same content hash) is skipped as a duplicate, so an interrupted
    run (Ctrl-C, a crash) can simply be repeated: every committed batch is kept, nothing is
    stored twice, and a document that was stored but not yet assigned to a story when the run
    stopped is assigned when the repeat reads it again. Findings of changed stories are
    refreshed at the end; a story changed by an interrupted run has its cached findings
    cleared by the store, so they are computed again when next read.

    A failure while analysing or storing one document fails only that document.
    """
    inputs = list(inputs)
    total = _count_documents(inputs)
    slots: list[Outcome | None] = []  # in input order; a document's is set once it is stored
    counts = {"ok": 0, "skipped": 0, "failed": 0}
    queued: deque[int] = deque()  # slots of the documents sent to analysis, in order
    seen: set[str] = set()
    unassigned: list[Document] = []
    touched: set[str] = set()
    start = time.perf_counter()
    last_report = start

    def settle(index: int, outcome: Outcome) -> None:
        slots[index] = outcome
        counts[outcome.status] += 1

    def report(*, force: bool = False) -> None:
        nonlocal last_report
        now = time.perf_counter()
        if progress is None or (not force and now - last_report < _PROGRESS_EVERY):
            return
        last_report = now
        progress(
            Progress(
                done=sum(counts.values()),
                added=counts["ok"],
                skipped=counts["skipped"],
                failed=counts["failed"],
                elapsed=now - start,
                total=total,
            )
        )

    def fresh() -> Iterator[RawDocument]:
        """What is new, in input order; what is not is settled here (the reader runs ahead
        of storing by the two chunks the analysis holds)."""
        for item in _read_each(inputs, limits or ReadLimits(), names or {}):
            slots.append(None)
            index = len(slots) - 1
            if isinstance(item, ReadFailure):
                settle(index, _read_failed(item))
            elif item.id in seen or store.has_document(item.id):
                settle(index, _duplicate(item))
                if assign_stories and item.id not in seen:
                    unassigned.extend(_unassigned(store, item.id))
                seen.add(item.id)
                report()
            else:
                seen.add(item.id)
                queued.append(index)
                yield item

    def flush(batch: list[tuple[int, Document]]) -> None:
        stored = _store_batch([doc for _, doc in batch], store)
        for (index, _), outcome in zip(batch, stored, strict=True):
            settle(index, outcome)
        analysed = unassigned + [
            doc for (_, doc), o in zip(batch, stored, strict=True) if _is_analysed(doc, o)
        ]
        unassigned.clear()
        if analysed and assign_stories:
            ready = {d.id: vectors.pop(d.id) for d in analysed if d.id in vectors}
            touched.update(assign_documents(store, analysed, vectors=ready))
        report()

    step = batch_size * max(1, n_process) * 2
    batch: list[tuple[int, Document]] = []
    # The analysis workers also embed the leads for story assignment: that work then runs
    # beside the parse instead of in this one process, which stores and assigns (issue 6).
    vectors: dict[str, Any] = {}
    if assign_stories:
        prepare_vectors()
    results = analyze_each(
        fresh(),
        batch_size=batch_size,
        n_process=n_process,
        derive=lead_vectors if assign_stories else None,
        derived=vectors,
    )
    # Closed explicitly: on Ctrl-C or an error the traceback keeps this frame, and with it the
    # generator and its worker pool, alive until the garbage collector happens to run. The web
    # desk's process lives on after a failed add, so the workers must stop now.
    with closing(results):
        for result in results:
            index = queued.popleft()
            if isinstance(result, AnalysisFailure):
                settle(index, _analysis_failed(result))
                continue
            batch.append((index, result))
            if len(batch) >= step:
                flush(batch)
                batch = []
    flush(batch)
    report(force=True)
    # Incremental: only the stories this run touched are compared again (a story that an
    # automatic merge or split changed has its cached findings cleared by the store and is
    # compared again when it is next read).
    _refresh_stories(store, sorted(touched), n_process=n_process)
    summary = RunSummary(outcomes=tuple(o for o in slots if o is not None))
    store.record_run(summary.outcomes, command=command)
    return summary


def _count_documents(inputs: Sequence[str]) -> int | None:
    """Documents ``inputs`` should yield, by counting files (for the ETA); None for a URL."""
    total = 0
    for source in inputs:
        path = Path(source)
        if path.is_file():
            total += 1
        elif path.is_dir():
            for _, folders, files in os.walk(path):
                # As the reader does: hidden entries are skipped, symlinked folders not followed.
                folders[:] = [f for f in folders if not f.startswith(".")]
                total += sum(
                    not f.startswith(".") and Path(f).suffix.lower() in SUPPORTED_EXTENSIONS
                    for f in files
                )
        else:
            return None
    return total


def _read_failed(item: ReadFailure) -> Outcome:
    return Outcome(
        source=item.source, status="failed", reason=str(item.error), code=item.error.code
    )


def _duplicate(raw: RawDocument) -> Outcome:
    return Outcome(
        source=raw.source,
        status="skipped",
        doc_id=raw.id,
        reason="duplicate: this content is already stored",
        title=raw.title,
    )


def _unassigned(store: Store, doc_id: str) -> list[Document]:
    """The stored document, if it was analysed but has no story: a run stopped between
    storing its batch and assigning it."""
    if store.story_of(doc_id) is not None:
        return []
    doc = store.get_document(doc_id)
    return [doc] if doc.analysis_status == "ok" else []


def _is_analysed(doc: Document, outcome: Outcome) -> bool:
    return outcome.status == "ok" and doc.analysis_status == "ok"


def _analysis_failed(failure: AnalysisFailure) -> Outcome:
    raw = failure.raw
    log.error("%s: analysis failed\n%s", raw.source, failure.trace)
    return _unexpected(raw, "analysis", failure.error, "analysis-error")


def _unexpected(item: RawDocument | Document, step: str, exc: BaseException, code: str) -> Outcome:
    """An unexpected failure of one document (a bug to report, not bad input)."""
    return Outcome(
        source=item.source,
        status="failed",
        doc_id=item.id,
        reason=f"{item.source}: {step} failed ({type(exc).__name__}: {exc}); "
        "please report this with the input",
        code=code,
        title=item.title,
    )


def _read_each(
    inputs: Iterable[str], limits: ReadLimits, names: Mapping[str, str]
) -> Iterator[RawDocument | ReadFailure]:
    """Read inputs one at a time so an input that yields nothing is reported, not lost."""
    for source in inputs:
        produced = False
        shown = names.get(source)
        for item in read_inputs([source], limits=limits):
            produced = True
            if shown is not None and isinstance(item, RawDocument):
                # "<tmp>/00-wire.txt" -> "upload:wire.txt"; a feed entry keeps its "#n".
                item = replace(item, source=shown + item.source[len(source) :])
            yield item
        if not produced:
            yield ReadFailure(
                source=source,
                error=ExtractError(
                    f"{source}: nothing to read (an empty folder or feed, or no files with a "
                    f"supported extension: {' '.join(sorted(SUPPORTED_EXTENSIONS))})"
                ),
            )


def _store_batch(docs: Sequence[Document], store: Store) -> list[Outcome]:
    """Store analysed documents in one transaction; if that fails, one at a time, so that
    only a document the store rejects fails. Returns one outcome per document."""
    try:
        store.add_documents(docs)
        return [_ok(d) for d in docs]
    except FactdeskError:
        raise
    except Exception:  # noqa: BLE001 - batch boundary: find the document that failed
        log.warning("storing a batch of %d failed; retrying one by one", len(docs), exc_info=True)
    outcomes: list[Outcome] = []
    for doc in docs:
        try:
            store.add_documents([doc])
            outcomes.append(_ok(doc))
        except FactdeskError:
            raise
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop the run
            log.error("%s: storing failed", doc.source, exc_info=True)
            outcomes.append(_unexpected(doc, "storing", exc, "storage-error"))
    return outcomes


def _ok(doc: Document) -> Outcome:
    reason = None
    if doc.analysis_status != "ok":
        reason = f"stored without analysis: language {doc.language!r} is not supported"
    return Outcome(source=doc.source, status="ok", doc_id=doc.id, title=doc.title, reason=reason)


def claims(store: Store, *, doc: str | None = None) -> list[Claim]:
    """Claims in the store, optionally of one document (an id or unique id prefix)."""
    doc_id = store.resolve_id(doc) if doc else None
    return store.claims(doc_id=doc_id)


def show(store: Store, doc: str) -> Document:
    """One stored document with every analysis layer (``doc`` may be a unique id prefix)."""
    return store.get_document(store.resolve_id(doc))


def example_story_dir() -> Path:
    """The folder of the bundled example story (shipped inside the package)."""
    return Path(str(resources.files("factdesk") / "data" / "example_story"))


def example_draft() -> Path:
    """The bundled AI-style draft of the example story (for ``demo`` and ``check``)."""
    return Path(str(resources.files("factdesk") / "data" / "example_draft.txt"))


def example_story_inputs() -> list[str]:
    """The example story's article files, in order (its README is the answer key, not news)."""
    folder = example_story_dir()
    return [
        str(p)
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.startswith(("README", "."))
    ]


# --- stories, findings, brief ------------------------------------------------------------------


def resolve_story(store: Store, story: str) -> Story:
    """A story by id or unique id prefix.

    Raises:
        NotFound: no story, or an ambiguous prefix (the message lists the candidates).
    """
    stories = store.list_stories()
    exact = [s for s in stories if s.id == story]
    if exact:
        return exact[0]
    matches = [s for s in stories if s.id.startswith(story)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        known = ", ".join(s.id for s in stories[:10]) or "none stored yet"
        raise NotFound(f"No story {story!r}. Stories: {known} (see 'factdesk stories').")
    raise NotFound(f"Story prefix {story!r} is ambiguous: " + ", ".join(s.id for s in matches[:10]))


def stories(store: Store) -> list[Story]:
    """Every story, as the clustering left it (user merges, splits and moves respected)."""
    return list_stories(store)


def refresh_findings(store: Store, story_id: str) -> StoryFindings:
    """Compare the story's documents again and cache the result in the store."""
    story = store.get_story(story_id)
    documents = [store.get_document(d) for d in story.doc_ids]
    result = compare_story(documents, story_id=story_id)
    store.save_findings(story_id, findings_codec.dumps(result))
    return result


#: Documents per comparison task sent to a worker (stories are not split across tasks).
_COMPARE_TASK = 32


def _refresh_stories(store: Store, story_ids: Sequence[str], *, n_process: int = 1) -> list[str]:
    """Compare the given stories again and cache their findings; return the ids that were gone
    (merged into another story later in the same run).

    The comparisons run in ``n_process`` forked workers: this process reads each story's
    documents and stores the results. Comparing every story one by one in this process, at
    the end of an ``add``, left the second core idle for 10 s of a 2,126-article ingest.
    """
    gone: list[str] = []

    def tasks() -> Iterator[list[tuple[str, list[Document]]]]:
        task: list[tuple[str, list[Document]]] = []
        size = 0
        for story_id in story_ids:
            try:
                story = store.get_story(story_id)
            except NotFound:
                gone.append(story_id)
                continue
            task.append((story.id, [store.get_document(d) for d in story.doc_ids]))
            size += len(story.doc_ids)
            if size >= _COMPARE_TASK:
                yield task
                task, size = [], 0
        if task:
            yield task

    # A few stories (a web upload, a short add) are compared here: starting workers would
    # cost more than the comparisons.
    workers = n_process if len(story_ids) >= _COMPARE_TASK else 1
    for done in map_in_workers(_compare_task, tasks(), n_process=workers):
        for story_id, payload in done:
            store.save_findings(story_id, payload)
    return gone


def _compare_task(stories: list[tuple[str, list[Document]]]) -> list[tuple[str, str]]:
    """Findings JSON of each ``(story id, documents)``: a worker's share of
    :func:`_refresh_stories`."""
    return [
        (story_id, findings_codec.dumps(compare_story(documents, story_id=story_id)))
        for story_id, documents in stories
    ]


def story_findings(store: Store, story: str) -> tuple[Story, list[Document], StoryFindings]:
    """A story, its documents and its findings (from the cache, or computed and cached)."""
    s = resolve_story(store, story)
    documents = [store.get_document(d) for d in s.doc_ids]
    payload = store.load_findings(s.id)
    result = findings_codec.loads(payload, produced_by=PRODUCED_BY) if payload else None
    if result is None:
        result = refresh_findings(store, s.id)
    return s, documents, result


def brief(store: Store, story: str) -> Brief:
    """The editor's brief for a story (id or unique prefix)."""
    return build_brief(*story_findings(store, story))


def timeline(store: Store, story: str) -> list[TimelineEntry]:
    """Dated claims of a story in date order."""
    _, documents, result = story_findings(store, story)
    return build_timeline(documents, result)


def claimreview(store: Store, story: str) -> list[dict[str, Any]]:
    """ClaimReview JSON-LD for every finding of a story."""
    return claimreview_jsonld(*story_findings(store, story))


def merge(store: Store, stories_: Sequence[str]) -> Story:
    """Merge stories (ids or prefixes) into one; later documents respect the decision."""
    ids = [resolve_story(store, s).id for s in stories_]
    merged = merge_stories(store, ids)
    refresh_findings(store, merged.id)
    return merged


def split(store: Store, story: str, docs: Sequence[str]) -> tuple[Story, Story]:
    """Split documents off a story into a new one; returns (what remains, the new story)."""
    s = resolve_story(store, story)
    doc_ids = [store.resolve_id(d) for d in docs]
    new = split_story(store, s.id, doc_ids)
    remaining = store.get_story(s.id)
    refresh_findings(store, remaining.id)
    refresh_findings(store, new.id)
    return remaining, new


def move(store: Store, doc: str, story: str) -> Story:
    """Move a document to another story; it is never re-assigned automatically."""
    doc_id = store.resolve_id(doc)
    source = store.story_of(doc_id)
    target = resolve_story(store, story)
    move_document(store, doc_id, target.id)
    for sid in {source, target.id}:
        if sid and any(s.id == sid for s in store.list_stories()):
            refresh_findings(store, sid)
    return store.get_story(target.id)


def iter_documents(store: Store, ids: Iterable[str]) -> Iterator[Document]:
    """Stored documents by id, in the order given."""
    for doc_id in ids:
        yield store.get_document(doc_id)


# --- draft check -------------------------------------------------------------------------------


def read_draft(draft: str | RawDocument, *, limits: ReadLimits | None = None) -> Document:
    """Read (a path, or an already read text) and analyse a draft; it is never stored."""
    if isinstance(draft, str):
        results = list(read_inputs([draft], limits=limits or ReadLimits()))
        raws = [r for r in results if isinstance(r, RawDocument)]
        failures = [r for r in results if isinstance(r, ReadFailure)]
        if failures:
            raise failures[0].error  # names the input, the reason and what to do
        if len(raws) != 1:
            raise ExtractError(
                f"The draft {draft} holds {len(raws)} documents; give one file (text, Markdown "
                "or HTML)."
            )
        raw = raws[0]
    else:
        raw = draft
    (doc,) = analyze([raw])
    if doc.analysis_status != "ok":
        raise ExtractError(
            f"The draft {raw.source} could not be analysed ({doc.analysis_status}); the check "
            "supports English text."
        )
    return doc


def check_sources(
    store: Store | None,
    against: Sequence[str],
    *,
    limits: ReadLimits | None = None,
    allow_paths: bool = True,
) -> tuple[list[Document], StoryFindings]:
    """The documents and findings a draft is checked against.

    Each item is a story id (or unique prefix), a stored document id (or prefix), or a path
    or URL (read and analysed here, never stored; only with ``allow_paths``, which a web form
    must not allow: a typed value must never name a file on the server). One story alone uses
    its cached findings; any other mix is compared afresh as one set.

    Raises:
        NotFound: an item is none of these (the message says what was tried).
    """
    documents: dict[str, Document] = {}
    story_ids: list[str] = []
    paths: list[str] = []
    for item in against:
        if allow_paths and (Path(item).exists() or item.startswith(("http://", "https://"))):
            paths.append(item)  # URLs go through the same private-address refusal as 'add'
            continue
        if store is not None:
            try:
                story = resolve_story(store, item)
            except NotFound:
                story = None
            if story is not None:
                story_ids.append(story.id)
                for d in iter_documents(store, story.doc_ids):
                    documents.setdefault(d.id, d)
                continue
            try:
                doc_id = store.resolve_id(item)
            except NotFound:
                doc_id = None
            if doc_id is not None:
                documents.setdefault(doc_id, store.get_document(doc_id))
                continue
        where = "the database" if store is not None else "any file (no database is open)"
        raise NotFound(
            f"--against {item!r} is not a story, a document or a file in {where}. "
            "List stories with 'factdesk stories'."
        )
    if paths:
        raws = [r for r in read_inputs(paths, limits=limits or ReadLimits())]
        for f in raws:
            if isinstance(f, ReadFailure):
                log.warning("skipping %s", f.error)
        for d in analyze([r for r in raws if isinstance(r, RawDocument)]):
            documents.setdefault(d.id, d)
    docs = list(documents.values())
    if not any(d.analysis_status == "ok" for d in docs):
        raise NotFound(f"Nothing to check against: no readable English source in {list(against)}.")
    if store is not None and len(story_ids) == 1 and not paths and len(against) == 1:
        _, _, result = story_findings(store, story_ids[0])
    else:
        result = compare_story(docs, story_id="check")
    return docs, result


def check(
    store: Store | None,
    draft: str | RawDocument,
    against: Sequence[str],
    *,
    judge: Judge | None = None,
    limits: ReadLimits | None = None,
    allow_paths: bool = True,
) -> CheckReport:
    """Check a draft (path or read text) sentence by sentence against stories, documents or
    files (see :func:`check_sources`)."""
    doc = read_draft(draft, limits=limits)
    sources, result = check_sources(store, against, limits=limits, allow_paths=allow_paths)
    return check_documents(doc, sources, result, against=against, judge=judge)
