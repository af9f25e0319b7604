"""The desk's library functions: what the CLI and web shells call, one function per command.

Data flows one way: read (``ingest``) → analyze (``pipeline``) → store.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from factdesk import findings_codec
from factdesk.cluster import (
    assign_documents,
    list_stories,
    merge_stories,
    move_document,
    split_story,
)
from factdesk.compare import PRODUCED_BY, compare_story
from factdesk.errors import ExtractError, FactdeskError, NotFound
from factdesk.ingest import SUPPORTED_EXTENSIONS, ReadFailure, ReadLimits, read_inputs
from factdesk.pipeline.runner import analyze
from factdesk.records import Claim, Document, Outcome, RawDocument, RunSummary, Story, StoryFindings
from factdesk.report import (
    Brief,
    TimelineEntry,
    build_brief,
    build_timeline,
    claimreview_jsonld,
)
from factdesk.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Progress:
    """A snapshot of an ``add`` run, passed to the progress callback."""

    done: int
    added: int
    skipped: int
    failed: int
    elapsed: float

    @property
    def docs_per_s(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else 0.0


ProgressFn = Callable[[Progress], None]


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
) -> RunSummary:
    """Read, analyse and store every input; return one outcome per document or failure.

    Already stored content (same content hash) is skipped as a duplicate, so an interrupted
    run can simply be repeated: what was committed is not redone. Documents are stored one
    transaction per batch; a failure while analysing or storing one document fails only that
    document.
    """
    outcomes: list[Outcome] = []
    pending: list[RawDocument] = []
    seen: set[str] = set()
    touched: set[str] = set()
    start = time.perf_counter()

    def report() -> None:
        if progress is not None:
            progress(
                Progress(
                    done=len(outcomes),
                    added=sum(o.status == "ok" for o in outcomes),
                    skipped=sum(o.status == "skipped" for o in outcomes),
                    failed=sum(o.status == "failed" for o in outcomes),
                    elapsed=time.perf_counter() - start,
                )
            )

    def flush() -> None:
        if pending:
            batch_outcomes, stored = _store_batch(pending, store, batch_size, n_process)
            outcomes.extend(batch_outcomes)
            pending.clear()
            analysed = [d for d in stored if d.analysis_status == "ok"]
            if analysed and assign_stories:
                touched.update(assign_documents(store, analysed))
            report()

    for item in _read_each(inputs, limits or ReadLimits()):
        if isinstance(item, ReadFailure):
            outcomes.append(
                Outcome(
                    source=item.source,
                    status="failed",
                    reason=str(item.error),
                    code=item.error.code,
                )
            )
            continue
        if item.id in seen or store.has_document(item.id):
            outcomes.append(
                Outcome(
                    source=item.source,
                    status="skipped",
                    doc_id=item.id,
                    reason="duplicate: this content is already stored",
                    title=item.title,
                )
            )
            continue
        seen.add(item.id)
        pending.append(item)
        if len(pending) >= batch_size * max(1, n_process) * 2:
            flush()
    flush()
    # Incremental: only the stories this run touched are compared again (a story that an
    # automatic merge or split changed has its cached findings cleared by the store and is
    # compared again when it is next read).
    for story_id in sorted(touched):
        try:
            refresh_findings(store, story_id)
        except NotFound:
            continue  # merged into another story later in the same run
    summary = RunSummary(outcomes=tuple(outcomes))
    store.record_run(summary.outcomes, command=command)
    return summary


def _read_each(inputs: Iterable[str], limits: ReadLimits) -> Iterator[RawDocument | ReadFailure]:
    """Read inputs one at a time so an input that yields nothing is reported, not lost."""
    for source in inputs:
        produced = False
        for item in read_inputs([source], limits=limits):
            produced = True
            yield item
        if not produced:
            yield ReadFailure(
                source=source,
                error=ExtractError(
                    f"{source}: nothing to read (an empty folder or feed, or no files with a "
                    f"supported extension: {' '.join(sorted(SUPPORTED_EXTENSIONS))})"
                ),
            )


def _store_batch(
    batch: Sequence[RawDocument], store: Store, batch_size: int, n_process: int
) -> tuple[list[Outcome], list[Document]]:
    """Analyse and store a batch in one transaction; isolate failures to single documents."""
    try:
        docs = list(analyze(batch, batch_size=batch_size, n_process=n_process))
        store.add_documents(docs)
        return [_ok(d) for d in docs], docs
    except FactdeskError:
        raise
    except Exception:  # noqa: BLE001 - batch boundary: find the document that failed
        log.warning("batch of %d failed; retrying one by one", len(batch), exc_info=True)
    outcomes: list[Outcome] = []
    stored: list[Document] = []
    for raw in batch:
        try:
            doc = next(iter(analyze([raw], n_process=1)))
            store.add_documents([doc])
            outcomes.append(_ok(doc))
            stored.append(doc)
        except Exception as exc:  # noqa: BLE001 - one bad document must not stop the run
            log.error("%s: analysis failed", raw.source, exc_info=True)
            outcomes.append(
                Outcome(
                    source=raw.source,
                    status="failed",
                    doc_id=raw.id,
                    reason=f"{raw.source}: analysis failed ({type(exc).__name__}: {exc}); "
                    "please report this with the input",
                    code="analysis-error",
                    title=raw.title,
                )
            )
    return outcomes, stored


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
