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

from factdesk.errors import ExtractError, FactdeskError
from factdesk.ingest import SUPPORTED_EXTENSIONS, ReadFailure, ReadLimits, read_inputs
from factdesk.pipeline.runner import analyze
from factdesk.records import Claim, Document, Outcome, RawDocument, RunSummary
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
            outcomes.extend(_store_batch(pending, store, batch_size, n_process))
            pending.clear()
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
) -> list[Outcome]:
    """Analyse and store a batch in one transaction; isolate failures to single documents."""
    try:
        docs = list(analyze(batch, batch_size=batch_size, n_process=n_process))
        store.add_documents(docs)
        return [_ok(d) for d in docs]
    except FactdeskError:
        raise
    except Exception:  # noqa: BLE001 - batch boundary: find the document that failed
        log.warning("batch of %d failed; retrying one by one", len(batch), exc_info=True)
    outcomes: list[Outcome] = []
    for raw in batch:
        try:
            doc = next(iter(analyze([raw], n_process=1)))
            store.add_documents([doc])
            outcomes.append(_ok(doc))
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


def example_story_inputs() -> list[str]:
    """The example story's article files, in order (its README is the answer key, not news)."""
    folder = example_story_dir()
    return [
        str(p)
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.startswith(("README", "."))
    ]


def iter_documents(store: Store, ids: Iterable[str]) -> Iterator[Document]:
    """Stored documents by id, in the order given."""
    for doc_id in ids:
        yield store.get_document(doc_id)
