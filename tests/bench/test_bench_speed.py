"""Tests for the speed benchmark (``factdesk.bench.speed``) on a tiny generated folder.

They check the shape and sanity of the report, never timing thresholds: speed depends on the
machine and its load.
"""

from __future__ import annotations

import json
import pathlib

import pytest

from factdesk.bench import BENCHMARKS, speed
from factdesk.errors import ExtractError
from factdesk.records import Claim, DateMention, Document, Entity, Sentence, content_id

ARTICLES = {
    "politics/001.txt": (
        "Kelby council closes flood gates\n\n"
        "The council of Kelby closed the flood gates on Tuesday, its mayor Anna Brook said. "
        "More than 20 homes were evacuated and the river is expected to peak on Friday."
    ),
    "politics/002.txt": (
        "Estmark Hydro confirms dam inspection\n\n"
        "Estmark Hydro said on Monday it had inspected the Varna dam after heavy rain. "
        "The company reported no damage, according to a statement."
    ),
    "business/001.txt": (
        "Harbour freight rises 4%\n\n"
        "Freight through Port Selby rose 4% to 1.2 million tonnes in March, the port authority "
        "said. Analysts had expected a fall."
    ),
}


@pytest.fixture
def data_dir(tmp_path: pathlib.Path) -> pathlib.Path:
    root = tmp_path / "news"
    for name, text in ARTICLES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_bench_speed_is_registered() -> None:
    assert "speed" in BENCHMARKS


def test_speed_run_reports_every_key_with_sane_values(data_dir: pathlib.Path) -> None:
    # batch_size=1 sends the three documents through the forked workers (two processes).
    result = speed.run(data_dir, processes=2, batch_size=1, assign_sizes=(4, 8), probes=2)

    json.dumps(result)  # JSON-ready
    words = sum(len(text.split()) for text in ARTICLES.values())
    assert result["documents"] == 3
    assert result["words"] == words
    assert result["processes"] == 2
    assert result["outcomes"] == {"ok": 3}
    for key in (
        "seconds",
        "docs_per_s",
        "words_per_s",
        "spacy_words_per_s",
        "ratio_to_spacy",
        "peak_rss_mb",
    ):
        assert result[key] > 0, key
    assert result["words_per_s"] == pytest.approx(words / result["seconds"], rel=0.01)
    assert result["peak_rss_mb"] > 50  # a model is loaded
    assert result["benchmark_peak_rss_mb"] > 50
    assert result["peak_pss_mb"] > 0
    assert result["memory_samples"][0][1] > 0  # [seconds, rss, pss]
    assert set(result["assign_ms"]) == {"4", "8"}
    assert all(ms > 0 for ms in result["assign_ms"].values())
    assert result["assign_detail"]["8"]["stored"] >= 8
    stages = result["stage_seconds"]
    assert set(stages) == {"read", "analyze", "store", "stories", "vectors", "findings", "other"}
    assert sum(stages.values()) == pytest.approx(result["seconds"], abs=0.01)
    assert {"parse", "language", "claims.v1"} <= set(result["analysis_seconds"])


def test_speed_limit_takes_the_first_documents(data_dir: pathlib.Path) -> None:
    result = speed.run(data_dir, limit=2, processes=1, assign_sizes=())

    assert result["documents"] == 2
    assert result["assign_ms"] == {}


def test_speed_missing_folder_is_an_extract_error(tmp_path: pathlib.Path) -> None:
    with pytest.raises(ExtractError, match="not a directory"):
        speed.run(tmp_path / "missing")


def test_speed_empty_folder_is_an_extract_error(tmp_path: pathlib.Path) -> None:
    with pytest.raises(ExtractError, match="no readable article"):
        speed.run(tmp_path)


def _document() -> Document:
    text = "Kelby council met on 3 June 2004 and Anna Brook spoke."
    doc_id = content_id(text)

    def span(phrase: str) -> tuple[int, int]:
        start = text.index(phrase)
        return (start, start + len(phrase))

    kelby = Entity(span=span("Kelby"), text="Kelby", label="GPE", key="kelby")
    date = DateMention(span=span("3 June 2004"), text="3 June 2004", value="2004-06-03")
    return Document(
        id=doc_id,
        text=text,
        source="a.txt",
        title="Kelby council met",
        sentences=(Sentence(index=0, span=(0, len(text)), text=text),),
        entities=(kelby,),
        dates=(date,),
        claims=(
            Claim(
                id="c1",
                doc_id=doc_id,
                span=(0, len(text)),
                text=text,
                sentence_index=0,
                checkable=True,
                modality="asserted",
                entities=(kelby,),
                dates=(date,),
            ),
        ),
    )


def test_replicate_keeps_spans_and_changes_names_dates_and_ids() -> None:
    original = _document()

    copy = speed.replicate(original, 1)

    assert len(copy.text) == len(original.text)
    assert copy.text != original.text
    assert copy.id == content_id(copy.text) != original.id
    assert " on " in copy.text and " and " in copy.text  # stop words are kept
    entity = copy.entities[0]
    assert entity.text == copy.text[entity.span[0] : entity.span[1]] != "Kelby"
    assert entity.key == entity.text.lower()
    assert copy.dates[0].value == "2006-06-03"  # 1 + 1 % 40 years later
    claim = copy.claims[0]
    assert claim.doc_id == copy.id
    assert claim.id != original.claims[0].id
    assert claim.entities[0] == entity
    assert copy.sentences[0].text == copy.text


def test_replicate_differs_by_replica_number() -> None:
    original = _document()

    assert speed.replicate(original, 1).text != speed.replicate(original, 2).text
    assert speed.replicate(original, 3) == speed.replicate(original, 3)


def test_cli_bench_speed_prints_the_json_keys(
    data_dir: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from factdesk.cli import cli

    def small_scaling(*args: object, **kwargs: object) -> dict[str, dict[str, float]]:
        # Filling stores of 1k-100k documents takes most of an hour; the wiring is the test.
        return {"1000": {"median_ms": 1.5}}

    monkeypatch.setattr(speed, "_assign_scaling", small_scaling)
    result = CliRunner().invoke(cli, ["bench", "speed", "--data", str(data_dir), "--json"])

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    for key in ("docs_per_s", "words_per_s", "spacy_words_per_s", "ratio_to_spacy", "peak_rss_mb"):
        assert report[key] > 0, key
    assert report["assign_ms"] == {"1000": 1.5}
