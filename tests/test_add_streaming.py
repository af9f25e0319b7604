"""``desk.add`` streams through the analysis workers: progress, failures, interrupt and resume.

The twelve articles of tests/data/stories go through two forked workers in batches of eight
(``batch_size=2`` x 2 processes x 2), so a run commits two batches and can be stopped between
them, or between storing a batch and assigning its stories.
"""

from __future__ import annotations

import gc
import multiprocessing
import shutil
from pathlib import Path
from typing import Any

import pytest

from factdesk import desk
from factdesk.cli import progress_line
from factdesk.pipeline import runner
from factdesk.store import Store, open_store

STORIES = Path(__file__).parent / "data" / "stories"
BATCH = {"batch_size": 2, "n_process": 2}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "news"
    for path in sorted(STORIES.glob("*/*.txt")):
        target = root / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    return root


def _state(store: Store) -> dict[str, Any]:
    """What a run leaves: documents, each one's story, the stories' members and labels."""
    docs = sorted(d.id for d in store.list_documents())
    return {
        "documents": docs,
        "story_of": {d: store.story_of(d) for d in docs},
        "stories": sorted((s.id, s.label, tuple(sorted(s.doc_ids))) for s in store.list_stories()),
    }


@pytest.fixture
def uninterrupted(folder: Path, tmp_path: Path) -> dict[str, Any]:
    with open_store(tmp_path / "whole.db") as store:
        summary = desk.add([str(folder)], store=store, **BATCH)
        assert summary.count("ok") == 12
        return _state(store)


def test_interrupted_add_resumes_without_losing_or_duplicating(
    folder: Path, tmp_path: Path, uninterrupted: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(desk, "_PROGRESS_EVERY", 0.0)

    def interrupt(p: desk.Progress) -> None:
        if p.added:
            raise KeyboardInterrupt  # Ctrl-C right after the first batch was committed

    # Other tests' session fixtures (the web desk's server) may have children of their own.
    before = set(multiprocessing.active_children())
    with open_store(tmp_path / "resumed.db") as store:
        # The caught exception's traceback keeps desk.add's frame alive; with the collector
        # off, only an explicit close of the analysis stops the workers (as in a long-running
        # web desk, where nothing says when the collector runs).
        gc.disable()
        try:
            with pytest.raises(KeyboardInterrupt) as caught:
                desk.add([str(folder)], store=store, progress=interrupt, **BATCH)
            assert set(multiprocessing.active_children()) <= before  # the workers were stopped
        finally:
            gc.enable()
        del caught
        first = _state(store)
        assert len(first["documents"]) == 8  # one committed batch, nothing half-written
        assert all(first["story_of"].values())

        summary = desk.add([str(folder)], store=store, **BATCH)

        assert summary.count("skipped") == 8 and summary.count("ok") == 4
        assert [o.source for o in summary.outcomes] == sorted(
            str(p) for p in folder.glob("*/*.txt")
        )  # outcomes in input order
        assert _state(store) == uninterrupted


def test_documents_stored_but_not_yet_assigned_are_assigned_on_resume(
    folder: Path, tmp_path: Path, uninterrupted: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: Any, **kwargs: Any) -> list[str]:
        raise KeyboardInterrupt  # stopped after the batch's commit, before its stories

    with open_store(tmp_path / "resumed.db") as store:
        with monkeypatch.context() as patch:
            patch.setattr(desk, "assign_documents", crash)
            with pytest.raises(KeyboardInterrupt):
                desk.add([str(folder)], store=store, **BATCH)
        first = _state(store)
        assert len(first["documents"]) == 8 and not any(first["story_of"].values())

        desk.add([str(folder)], store=store, **BATCH)

        assert _state(store) == uninterrupted


def test_a_document_whose_analysis_fails_fails_alone(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (folder / "port_strike" / "06_broken.txt").write_text(
        "Broken wire copy\n\nThis POISON article breaks a stage.", encoding="utf-8"
    )
    original = runner.run_stages

    def run_stages(raw: Any, doc: Any, pipeline: Any, **kwargs: Any) -> Any:
        if "POISON" in raw.text:
            raise ValueError("stage exploded")
        return original(raw, doc, pipeline, **kwargs)

    # Patched before the workers fork, so they inherit it.
    monkeypatch.setattr(runner, "run_stages", run_stages)
    with open_store(tmp_path / "t.db") as store:
        summary = desk.add([str(folder)], store=store, **BATCH)
        count = store.count_documents()

    failed = [o for o in summary.outcomes if o.status == "failed"]
    assert [o.source.rsplit("/", 1)[1] for o in failed] == ["06_broken.txt"]
    assert failed[0].code == "analysis-error" and "stage exploded" in (failed[0].reason or "")
    assert summary.count("ok") == 12 and count == 12


def test_analyze_raises_the_failure_of_a_document(monkeypatch: pytest.MonkeyPatch) -> None:
    from factdesk.records import RawDocument

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("stage exploded")

    monkeypatch.setattr(runner, "run_stages", boom)
    text = "The council met on Tuesday."
    raw = RawDocument(text=text, source="a.txt")
    with pytest.raises(ValueError, match="stage exploded"):
        list(runner.analyze([raw]))


def test_progress_counts_a_folder_up_front_and_gives_an_eta(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(desk, "_PROGRESS_EVERY", 0.0)
    seen: list[desk.Progress] = []
    with open_store(tmp_path / "t.db") as store:
        desk.add([str(folder)], store=store, progress=seen.append, **BATCH)

    assert {p.total for p in seen} == {12}
    assert [p.done for p in seen] == sorted(p.done for p in seen)
    assert seen[-1].done == seen[-1].added == 12 and seen[-1].eta is None
    first = seen[0]
    assert 0 < first.done < 12 and first.eta is not None and first.eta > 0
    line = progress_line(first)
    assert line.startswith(f"{first.done}/12 inputs: ") and "docs/s, " in line and "left" in line


def test_progress_total_is_unknown_for_urls() -> None:
    assert desk._count_documents(["https://example.org/a"]) is None
    p = desk.Progress(done=3, added=3, skipped=0, failed=0, elapsed=1.0, total=None)
    assert p.eta is None and progress_line(p).startswith("3 inputs: 3 added")


@pytest.mark.parametrize("n_process", [1, 2])
def test_derive_runs_where_documents_are_analysed(n_process: int) -> None:
    from factdesk.records import RawDocument

    texts = [f"The council of Kelby met on Tuesday {i}. Its mayor spoke." for i in range(5)]
    raws = [RawDocument(text=t, source=f"{i}.txt") for i, t in enumerate(texts)]
    derived: dict[str, Any] = {}
    timings: dict[str, float] = {}

    def lengths(docs: Any) -> dict[str, int]:
        return {d.id: len(d.text) for d in docs}

    # batch_size=1 sends five documents through two forked workers.
    docs = list(
        runner.analyze_each(
            raws,
            batch_size=1,
            n_process=n_process,
            timings=timings,
            derive=lengths,
            derived=derived,
        )
    )

    assert derived == {d.id: len(d.text) for d in docs}
    assert "lengths" in timings


def test_lead_vectors_given_to_assignment_are_the_ones_it_computes(tmp_path: Path) -> None:
    from factdesk.cluster import assign_documents, lead_vectors

    docs = list(runner.analyze(r for r in _raws()))
    stories = []
    for name, given in (("own.db", False), ("given.db", True)):
        with open_store(tmp_path / name) as store:
            store.add_documents(docs)
            vectors = lead_vectors(docs) if given else None
            assign_documents(store, docs, vectors=vectors)
            stories.append(_state(store))
    assert stories[0] == stories[1]


def _raws() -> list[Any]:
    from factdesk.ingest import read_inputs

    return list(read_inputs([str(STORIES / "port_strike"), str(STORIES / "lookalike")]))


def _pid(_: object) -> int:
    import os

    return os.getpid()


def _square(n: int) -> int:
    return n * n


def test_map_in_workers_keeps_the_order_and_uses_other_processes() -> None:
    import os

    assert list(runner.map_in_workers(_square, range(20), n_process=2)) == [
        n * n for n in range(20)
    ]
    pids = set(runner.map_in_workers(_pid, range(8), n_process=2))
    assert os.getpid() not in pids
    assert set(runner.map_in_workers(_pid, range(3), n_process=1)) == {os.getpid()}


def test_an_abandoned_map_in_workers_stops_its_workers() -> None:
    before = set(multiprocessing.active_children())
    results = runner.map_in_workers(_square, iter(range(1000)), n_process=2)
    assert next(results) == 0
    results.close()
    assert set(multiprocessing.active_children()) <= before


def test_findings_compared_in_the_workers_are_the_ones_compared_here(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factdesk import findings_codec
    from factdesk.compare import compare_story

    # A task per story, and workers even for these few stories.
    monkeypatch.setattr(desk, "_COMPARE_TASK", 1)
    in_workers: list[int] = []
    monkeypatch.setattr(
        desk, "map_in_workers", _counting(runner.map_in_workers, in_workers), raising=True
    )
    with open_store(tmp_path / "findings.db") as store:
        desk.add([str(folder)], store=store, **BATCH)
        assert in_workers == [2]
        stories = store.list_stories()
        assert len(stories) >= 4
        for story in stories:
            documents = [store.get_document(d) for d in story.doc_ids]
            here = findings_codec.dumps(compare_story(documents, story_id=story.id))
            assert store.load_findings(story.id) == here


def _counting(fn: Any, calls: list[int]) -> Any:
    def counted(*args: Any, n_process: int, **kwargs: Any) -> Any:
        calls.append(n_process)
        return fn(*args, n_process=n_process, **kwargs)

    return counted


def test_the_vector_model_is_derived_before_the_workers_start(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Forked workers embed the leads; on a machine's first ingest each would otherwise derive
    # its own int8 model (3 s and 0.5 GB each).
    events: list[str] = []
    original = desk.analyze_each

    def analyze_each(*args: Any, **kwargs: Any) -> Any:
        events.append("analysis")
        return original(*args, **kwargs)

    monkeypatch.setattr(desk, "prepare_vectors", lambda: events.append("vectors"))
    monkeypatch.setattr(desk, "analyze_each", analyze_each)
    with open_store(tmp_path / "order.db") as store:
        desk.add([str(folder)], store=store, **BATCH)
    assert events == ["vectors", "analysis"]


def _worker_pids(docs: Any) -> dict[str, int]:
    import os

    return {d.id: os.getpid() for d in docs}


def test_the_worker_pool_is_replaced_after_its_share_of_documents(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from factdesk.records import RawDocument

    texts = [f"The council of Kelby met on Tuesday {i}. Its mayor spoke." for i in range(12)]
    raws = [RawDocument(text=t, source=f"{i}.txt") for i, t in enumerate(texts)]
    expected = [d.claims for d in runner.analyze(raws, n_process=1)]
    # Chunks of 4 documents (batch 1 x 2 processes x 2): a fresh pool after every 4.
    monkeypatch.setattr(runner, "RECYCLE_AFTER", 4)
    pids: dict[str, int] = {}
    docs = list(
        runner.analyze_each(raws, batch_size=1, n_process=2, derive=_worker_pids, derived=pids)
    )
    assert [d.source for d in docs] == [r.source for r in raws]  # in order, none lost
    assert [d.claims for d in docs] == expected
    by_chunk = [{pids[d.id] for d in docs[i : i + 4]} for i in range(0, 12, 4)]
    assert len(set.union(*by_chunk)) > 2  # more workers than one pool's two
    assert not by_chunk[0] & by_chunk[2]  # the first pool's workers are gone by the third chunk
