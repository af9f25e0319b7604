"""Tests for the grounding benchmark (factdesk.bench.grounding) on small invented files.

Every fixture text below was written for these tests; no benchmark data is copied. Scores are
worked out by hand from a lookup predictor that answers a fixed score per claim.
"""

from __future__ import annotations

import collections
import csv
import json
import math
import pathlib
import sys
from collections.abc import Sequence
from typing import Any

import pytest
from click.testing import CliRunner

from factdesk.bench import BENCHMARKS, run_benchmark
from factdesk.bench import grounding as bench
from factdesk.cli import cli
from factdesk.errors import ConfigError, ExtractError

# --- fixtures: one invented file per format ---------------------------------------------------

_WICE_ROWS: list[dict[str, Any]] = [
    {
        "label": "supported",
        "claim": "The Varn ferry resumed service in May.",
        "evidence": ["Varn Ferries said on Monday", "Service resumed in May after repairs."],
        "supporting_sentences": [[1]],
        "meta": {"id": "t1"},
    },
    {
        "label": "partially_supported",
        "claim": "The Varn ferry resumed service in May with two new boats.",
        "evidence": ["Service resumed in May after repairs."],
        "supporting_sentences": [],
        "meta": {"id": "t2"},
    },
    {
        "label": "not_supported",
        "claim": "The Varn ferry was sold to a rival.",
        "evidence": ["Service resumed in May after repairs."],
        "supporting_sentences": [],
        "meta": {"id": "t3"},
    },
    {
        "label": "supported",
        "claim": "Repairs took four weeks.",
        "evidence": ["Repairs took four weeks, the operator said."],
        "supporting_sentences": [[0]],
        "meta": {"id": "t4"},
    },
    # Skipped: an unknown label, and a row without evidence.
    {"label": "unclear", "claim": "Odd row.", "evidence": ["x"], "supporting_sentences": []},
    {"label": "supported", "claim": "No source.", "evidence": [], "supporting_sentences": []},
]

_ARTICLE_A = "The Orrin council approved a new library on Tuesday. It will open in 2027."
_ARTICLE_B = "Heavy rain flooded the Lusk valley road. Crews cleared it by noon."


def _votes(*answers: str) -> list[dict[str, object]]:
    return [{"worker_id": i, "response": a} for i, a in enumerate(answers)]


_QAGS_CNNDM: list[dict[str, Any]] = [
    {
        "article": _ARTICLE_A,
        "summary_sentences": [
            {
                "sentence": "the council approved a library .",
                "responses": _votes("yes", "yes", "no"),
            },
            {"sentence": "it opens in 2026 .", "responses": _votes("no", "no", "yes")},
        ],
    },
    {
        "article": _ARTICLE_B,
        "summary_sentences": [
            {"sentence": "rain flooded a road .", "responses": _votes("yes", "yes", "yes")},
            {"sentence": "crews cleared it by noon .", "responses": _votes("yes", "no", "yes")},
        ],
    },
]

_QAGS_XSUM: list[dict[str, Any]] = [
    {
        "article": _ARTICLE_B,
        "summary_sentences": [
            {"sentence": "A valley road was flooded by rain.", "responses": _votes("yes", "yes")}
        ],
    }
]


def _span(worker: str, kind: str) -> dict[str, str]:
    return {"worker_id": worker, "type": kind, "span": "x", "start": "1", "end": "2"}


_XSUM_ROWS: list[dict[str, Any]] = [
    # No spans at all: three restored NULL rows -> supported.
    {"bbcid": "1", "system": "Gold", "summary": "s1", "hallucination_annotations": []},
    # One annotator marks one span: NULL, extrinsic, NULL -> supported.
    {"bbcid": "1", "system": "BERTS2S", "summary": "s2",
     "hallucination_annotations": [_span("wid_1", "extrinsic")]},
    # Two annotators mark one span each: extrinsic twice vs one NULL -> unsupported.
    {"bbcid": "1", "system": "PtGen", "summary": "s3",
     "hallucination_annotations": [_span("wid_0", "extrinsic"), _span("wid_2", "extrinsic")]},
    # One annotator marks two spans: rows extrinsic, extrinsic, NULL, NULL -> a 2-2 tie, which
    # goes to the type met first (wid_0's extrinsic): unsupported, although two of the three
    # annotators marked nothing.
    {"bbcid": "2", "system": "Gold", "summary": "s4",
     "hallucination_annotations": [_span("wid_0", "extrinsic"), _span("wid_0", "extrinsic")]},
    # Intrinsic and extrinsic are counted apart: intrinsic, NULL, extrinsic -> a three-way tie,
    # first met is intrinsic -> unsupported.
    {"bbcid": "2", "system": "BERTS2S", "summary": "s5",
     "hallucination_annotations": [_span("wid_0", "intrinsic"), _span("wid_2", "extrinsic")]},
    # Same counts but the NULL comes first (wid_0 marked nothing) -> supported.
    {"bbcid": "2", "system": "PtGen", "summary": "s6",
     "hallucination_annotations": [_span("wid_1", "intrinsic"), _span("wid_2", "extrinsic")]},
    # Skipped: no document text.
    {"bbcid": "3", "system": "Gold", "summary": "s7", "hallucination_annotations": []},
]  # fmt: skip
_XSUM_DOCS = {"1": "First invented article.", "2": "Second invented article.", "3": ""}
_XSUM_GOLD = {"s1": True, "s2": True, "s3": False, "s4": False, "s5": False, "s6": True}


def _write_jsonl(path: pathlib.Path, rows: Sequence[object]) -> pathlib.Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def bench_root(tmp_path: pathlib.Path) -> pathlib.Path:
    """A bench-data-like folder with all three datasets and one unrelated JSONL file."""
    root = tmp_path / "bench-data"
    _write_jsonl(root / "wice" / "claim-dev.jsonl", _WICE_ROWS)
    _write_jsonl(root / "qags" / "data" / "mturk_cnndm.jsonl", _QAGS_CNNDM)
    _write_jsonl(root / "qags" / "data" / "mturk_xsum.jsonl", _QAGS_XSUM)
    rows = [{**r, "document": _XSUM_DOCS[str(r["bbcid"])]} for r in _XSUM_ROWS]
    _write_jsonl(root / "xsumfaith" / "xsumfaith_joined_with_docs.derived.jsonl", rows)
    _write_jsonl(root / "other" / "notes.jsonl", [{"title": "not a grounding file"}])
    return root


# Hand-chosen scores per claim. At threshold 0.5 (score >= 0.5 is supported):
#   WiCE:  t1 0.9 (sup, right), t2 0.5 (partial, wrong: a tie), t3 0.2 (not, right),
#          t4 0.4 (sup, wrong)  -> recall sup 1/2, unsup 1/2, BAcc 0.5; strict '>' flips t2
#          to unsupported -> recall unsup 2/2, BAcc 0.75.
#   QAGS-C sentences: A1 sup 0.8 right, A2 unsup 0.6 wrong, B1 sup 0.7 right, B2 sup 0.3 wrong
#          -> recall sup 2/3, unsup 0/1, BAcc 1/3. Summaries: A unsup (min 0.6, wrong),
#          B sup (min 0.3, wrong) -> BAcc 0.
#   QAGS-X: one sentence, 2 yes of 2 -> sup, 0.55 -> right; one class only -> BAcc 1.0.
#   XSumFaith: s1 0.9 T right, s2 0.1 T wrong, s3 0.2 F right, s4 0.8 F wrong, s5 0.3 F right,
#          s6 0.7 T right -> recall sup 2/3, unsup 2/3, BAcc 2/3.
_SCORES = {
    "The Varn ferry resumed service in May.": 0.9,
    "The Varn ferry resumed service in May with two new boats.": 0.5,
    "The Varn ferry was sold to a rival.": 0.2,
    "Repairs took four weeks.": 0.4,
    "the council approved a library .": 0.8,
    "it opens in 2026 .": 0.6,
    "rain flooded a road .": 0.7,
    "crews cleared it by noon .": 0.3,
    "A valley road was flooded by rain.": 0.55,
    "s1": 0.9,
    "s2": 0.1,
    "s3": 0.2,
    "s4": 0.8,
    "s5": 0.3,
    "s6": 0.7,
}


def _lookup(pairs: Sequence[tuple[str, str]]) -> list[float]:
    return [_SCORES[claim] for claim, _ in pairs]


@pytest.fixture
def report(bench_root: pathlib.Path) -> dict[str, object]:
    return bench.run(bench_root, predictor=_lookup)


# --- detection -------------------------------------------------------------------------------


def test_root_runs_every_dataset_in_a_fixed_order(bench_root: pathlib.Path) -> None:
    datasets, ignored = bench.find_datasets(bench_root)
    assert [(d.kind, d.name) for d in datasets] == [
        ("wice", "wice"),
        ("qags", "qags-c"),
        ("qags", "qags-x"),
        ("xsumfaith", "xsumfaith"),
    ]
    assert ignored == [str(bench_root / "other" / "notes.jsonl")]


@pytest.mark.parametrize(
    ("relative", "names"),
    [
        ("wice/claim-dev.jsonl", ["wice"]),
        ("wice", ["wice"]),
        ("qags", ["qags-c", "qags-x"]),
        ("qags/data", ["qags-c", "qags-x"]),
        ("qags/data/mturk_xsum.jsonl", ["qags-x"]),
        ("xsumfaith", ["xsumfaith"]),
        ("xsumfaith/xsumfaith_joined_with_docs.derived.jsonl", ["xsumfaith"]),
    ],
)
def test_dataset_detection_from_a_file_or_folder(
    bench_root: pathlib.Path, relative: str, names: list[str]
) -> None:
    datasets, _ = bench.find_datasets(bench_root / relative)
    assert [d.name for d in datasets] == names


def test_two_files_of_one_kind_get_their_stem(bench_root: pathlib.Path) -> None:
    _write_jsonl(bench_root / "wice" / "claim-test.jsonl", _WICE_ROWS[:1])
    datasets, _ = bench.find_datasets(bench_root / "wice")
    assert [d.name for d in datasets] == ["wice:claim-dev", "wice:claim-test"]


def test_unrecognised_file_names_the_formats(bench_root: pathlib.Path) -> None:
    with pytest.raises(ExtractError, match="not a WiCE, QAGS or XSumFaith"):
        bench.find_datasets(bench_root / "other" / "notes.jsonl")


def test_folder_without_datasets_is_an_error(tmp_path: pathlib.Path) -> None:
    with pytest.raises(ExtractError, match="no WiCE, QAGS or XSumFaith"):
        bench.find_datasets(tmp_path)


# --- loaders ---------------------------------------------------------------------------------


def test_wice_partial_counts_as_unsupported_and_evidence_is_joined(
    bench_root: pathlib.Path,
) -> None:
    pairs, skipped = bench.load_wice(bench_root / "wice" / "claim-dev.jsonl")
    assert [p.supported for p in pairs] == [True, False, False, True]
    assert pairs[0].source == "Varn Ferries said on Monday\nService resumed in May after repairs."
    assert skipped == 2


def test_qags_majority_vote_per_sentence(bench_root: pathlib.Path) -> None:
    pairs, skipped = bench.load_qags(bench_root / "qags" / "data" / "mturk_cnndm.jsonl")
    assert [(p.claim, p.supported, p.group, p.group_size) for p in pairs] == [
        ("the council approved a library .", True, 0, 2),
        ("it opens in 2026 .", False, 0, 2),
        ("rain flooded a road .", True, 1, 2),
        ("crews cleared it by noon .", True, 1, 2),
    ]
    assert pairs[0].source == _ARTICLE_A
    assert skipped == 0


def test_qags_a_tie_is_not_a_majority(tmp_path: pathlib.Path) -> None:
    sentences = [
        {"sentence": "tied .", "responses": _votes("yes", "no")},
        {"sentence": "one yes and a blank .", "responses": _votes("yes", "maybe")},
    ]
    path = _write_jsonl(
        tmp_path / "mturk_x.jsonl", [{"article": _ARTICLE_A, "summary_sentences": sentences}]
    )
    pairs, _ = bench.load_qags(path)
    assert [p.supported for p in pairs] == [False, True]


def test_qags_sentence_without_votes_is_skipped_and_its_summary_left_out(
    tmp_path: pathlib.Path,
) -> None:
    rows = [{**_QAGS_CNNDM[0]}, _QAGS_CNNDM[1]]
    rows[0]["summary_sentences"] = [
        *_QAGS_CNNDM[0]["summary_sentences"],
        {"sentence": "no votes here .", "responses": []},
    ]
    path = _write_jsonl(tmp_path / "mturk_cnndm.jsonl", rows)
    pairs, skipped = bench.load_qags(path)
    assert (len(pairs), skipped) == (4, 1)
    summary = bench.summary_level(pairs, [0.9] * len(pairs))
    assert summary["pairs"] == 1  # only summary B is complete


def test_xsumfaith_null_rows_are_restored_in_annotator_order() -> None:
    assert bench.xsumfaith_types([]) == ["NULL", "NULL", "NULL"]
    assert bench.xsumfaith_types([_span("wid_1", "extrinsic")]) == ["NULL", "extrinsic", "NULL"]
    assert bench.xsumfaith_types(
        [_span("wid_0", "intrinsic"), _span("wid_0", "extrinsic"), _span("wid_2", "extrinsic")]
    ) == ["intrinsic", "extrinsic", "NULL", "extrinsic"]


def test_xsumfaith_labels_follow_summac(bench_root: pathlib.Path) -> None:
    path = bench_root / "xsumfaith" / "xsumfaith_joined_with_docs.derived.jsonl"
    pairs, skipped = bench.load_xsumfaith(path)
    assert {p.claim: p.supported for p in pairs} == _XSUM_GOLD
    assert pairs[0].source == "First invented article."
    assert (pairs[1].system, skipped) == ("BERTS2S", 1)


# --- metrics by hand ---------------------------------------------------------------------------


def test_balanced_accuracy_by_hand() -> None:
    gold = [True, True, True, False]
    assert bench.balanced_accuracy(gold, [True, False, True, False]) == pytest.approx(
        (2 / 3 + 1) / 2
    )
    # A constant answer scores 0.5 whatever the class balance.
    assert bench.balanced_accuracy(gold, [True] * 4) == pytest.approx(0.5)
    assert bench.balanced_accuracy(gold, [False] * 4) == pytest.approx(0.5)
    # Integer labels work the same as booleans.
    assert bench.balanced_accuracy([1, 0], [True, True]) == pytest.approx(0.5)  # type: ignore[list-item]


def test_balanced_accuracy_leaves_out_an_absent_class() -> None:
    assert bench.balanced_accuracy([True, True], [True, False]) == pytest.approx(0.5)
    assert bench.balanced_accuracy([], []) == 0.0
    with pytest.raises(ValueError, match="2 predictions for 1 gold"):
        bench.balanced_accuracy([True], [True, False])


def test_roc_auc_counts_ties_as_half() -> None:
    # Supported 0.9 and 0.5 against unsupported 0.5 and 0.1: 1 + 1 + 0.5 + 1 of 4 pairs.
    assert bench.roc_auc([True, True, False, False], [0.9, 0.5, 0.5, 0.1]) == pytest.approx(3.5 / 4)
    assert bench.roc_auc([True, True], [0.2, 0.3]) is None


def test_best_threshold_by_hand() -> None:
    gold = [True, True, False, False]
    # At t = 0.6 everything >= 0.6 is supported: perfect.
    assert bench.best_threshold(gold, [0.9, 0.6, 0.5, 0.1]) == (0.6, 1.0)
    # Inverted scores: no threshold beats a constant answer; the lowest candidate wins ties.
    t, bacc = bench.best_threshold(gold, [0.1, 0.2, 0.8, 0.9])
    assert (t, bacc) == (0.1, 0.5)
    # Everything unsupported (t above every score) is a candidate.
    assert bench.best_threshold([False, False], [0.7, 0.8]) == (math.inf, 1.0)


def test_score_reports_ties_and_strict_comparison() -> None:
    result = bench.score([True, False, False], [0.7, 0.5, 0.2])
    assert result["confusion"] == {
        "supported": {"supported": 1, "unsupported": 0},
        "unsupported": {"supported": 1, "unsupported": 1},
    }
    assert (result["balanced_accuracy"], result["balanced_accuracy_strict"]) == (0.75, 1.0)
    assert result["ties_at_threshold"] == 1
    assert result["best_threshold"]["threshold"] == 0.7


# --- the whole run -----------------------------------------------------------------------------


def test_run_scores_each_dataset_by_hand(report: dict[str, object]) -> None:
    datasets = report["datasets"]
    assert isinstance(datasets, dict)
    wice = datasets["wice"]
    assert (wice["pairs"], wice["skipped"], wice["gold"]) == (
        4,
        2,
        {"supported": 2, "unsupported": 2},
    )
    assert (wice["balanced_accuracy"], wice["balanced_accuracy_strict"]) == (0.5, 0.75)
    assert wice["ties_at_threshold"] == 1
    assert wice["anchors_test_bacc_percent"]["MiniCheck-FT5"] == 72.2

    qags_c = datasets["qags-c"]
    assert qags_c["unit"] == "sentence"
    assert qags_c["balanced_accuracy"] == pytest.approx(round(1 / 3, 4))
    assert qags_c["summary_level"]["pairs"] == 2
    assert qags_c["summary_level"]["gold"] == {"supported": 1, "unsupported": 1}
    assert qags_c["summary_level"]["balanced_accuracy"] == 0.0

    assert datasets["qags-x"]["balanced_accuracy"] == 1.0

    xsum = datasets["xsumfaith"]
    assert (xsum["pairs"], xsum["skipped"]) == (6, 1)
    assert xsum["balanced_accuracy"] == pytest.approx(round(2 / 3, 4))
    assert xsum["per_system"]["Gold"]["pairs"] == 2
    assert xsum["per_system"]["Gold"]["balanced_accuracy"] == 0.5  # s1 right, s4 wrong

    expected_mean = (0.5 + round(1 / 3, 4) + 1.0 + round(2 / 3, 4)) / 4
    assert report["mean_balanced_accuracy"] == pytest.approx(expected_mean, abs=1e-4)
    assert report["pairs"] == 4 + 4 + 1 + 6
    assert report["predictor"] == "custom"
    assert report["threshold"] == 0.5


def test_run_report_is_json_and_timed(report: dict[str, object]) -> None:
    assert json.loads(json.dumps(report)) == report
    for entry in report["datasets"].values():  # type: ignore[attr-defined]
        assert entry["seconds"] >= 0
        assert "pairs_per_second" in entry


def test_limit_keeps_the_first_pairs_and_only_whole_summaries(
    bench_root: pathlib.Path,
) -> None:
    result = bench.run(
        bench_root / "qags" / "data" / "mturk_cnndm.jsonl", predictor=_lookup, limit=3
    )
    entry = result["datasets"]["qags-c"]
    assert (entry["pairs"], entry["available_pairs"]) == (3, 4)
    assert entry["summary_level"]["pairs"] == 1  # summary B lost a sentence


def test_threshold_changes_the_prediction(bench_root: pathlib.Path) -> None:
    result = bench.run(bench_root / "wice", predictor=_lookup, threshold=0.3)
    # t1 0.9, t2 0.5, t4 0.4 now supported, t3 0.2 not: recall sup 2/2, unsup 1/2.
    assert result["datasets"]["wice"]["balanced_accuracy"] == 0.75


def test_predictor_gets_pairs_grouped_by_source_in_chunks() -> None:
    calls: list[list[tuple[str, str]]] = []

    def record(pairs: Sequence[tuple[str, str]]) -> list[float]:
        calls.append(list(pairs))
        return [0.25 * len(claim) for claim, _ in pairs]

    pairs = [("a", "S1"), ("bb", "S2"), ("a", "S2"), ("bb", "S1"), ("a", "S3")]
    scores = bench.predict_scores(record, pairs, chunk=2)
    assert scores == [0.25, 0.5, 0.25, 0.5, 0.25]  # back in the order of pairs
    assert calls == [
        [("a", "S1"), ("bb", "S1")],
        [("bb", "S2"), ("a", "S2")],
        [("a", "S3")],
    ]


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (lambda pairs: [0.5], "returned 1 scores for"),
        (lambda pairs: [1.5] * len(pairs), "expected 0 to 1"),
        (lambda pairs: [float("nan")] * len(pairs), "expected 0 to 1"),
    ],
)
def test_bad_predictor_output_is_an_error(bench_root: pathlib.Path, answer, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=message):
        bench.run(bench_root / "wice", predictor=answer)


def test_default_predictor_without_checker_is_a_config_error(
    bench_root: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "factdesk.check", None)
    with pytest.raises(ConfigError, match="ground_pairs"):
        bench.run(bench_root / "wice")


def test_registered_with_the_dispatcher(
    bench_root: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "grounding" in BENCHMARKS
    monkeypatch.setattr(bench, "default_predictor", lambda: _lookup)
    result = run_benchmark("grounding", bench_root / "wice", limit=2)
    assert result["benchmark"] == "grounding"
    assert result["datasets"]["wice"]["pairs"] == 2
    assert result["predictor"] == "factdesk.check.ground_pairs"


# --- CLI ---------------------------------------------------------------------------------------


def test_cli_bench_grounding_json(
    bench_root: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench, "default_predictor", lambda: _lookup)
    result = CliRunner().invoke(cli, ["bench", "grounding", "--data", str(bench_root), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert list(payload["datasets"]) == ["wice", "qags-c", "qags-x", "xsumfaith"]
    assert payload["datasets"]["wice"]["balanced_accuracy"] == 0.5


def test_cli_bench_grounding_table_and_limit(
    bench_root: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench, "default_predictor", lambda: _lookup)
    result = CliRunner().invoke(
        cli, ["bench", "grounding", "--data", str(bench_root / "qags"), "--limit", "3"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split()[:4] == ["dataset", "unit", "pairs", "sup"]
    assert lines[2].split()[:3] == ["qags-c", "sentence", "3"]
    assert lines[3].split()[:2] == ["summary", "1"]
    assert any(line.startswith("mean BAcc") for line in lines)


def test_cli_bench_grounding_bad_data_exits_1(tmp_path: pathlib.Path) -> None:
    result = CliRunner().invoke(cli, ["bench", "grounding", "--data", str(tmp_path)])
    assert result.exit_code == 1
    assert "no WiCE, QAGS or XSumFaith" in result.stderr


# --- the real development files (../shared) ------------------------------------------------------


@pytest.mark.shared
def test_shared_counts_and_detection(shared_dir: pathlib.Path) -> None:
    # A constant predictor scores every dataset without running the checker: each BAcc is 0.5,
    # which also checks that both classes are present everywhere.
    result = bench.run(shared_dir / "bench-data", predictor=lambda pairs: [1.0] * len(pairs))
    datasets = result["datasets"]
    counts = {
        name: (entry["pairs"], entry["gold"]["supported"], entry["gold"]["unsupported"])
        for name, entry in datasets.items()
    }
    assert counts == {
        "wice": (349, 115, 234),
        "qags-c": (714, 531, 183),
        "qags-x": (239, 116, 123),
        "xsumfaith": (2495, 252, 2243),
    }
    assert datasets["qags-c"]["summary_level"]["gold"] == {"supported": 113, "unsupported": 122}
    assert datasets["qags-x"]["summary_level"]["pairs"] == 239
    assert all(entry["balanced_accuracy"] == 0.5 for entry in datasets.values())
    assert {s: v["pairs"] for s, v in datasets["xsumfaith"]["per_system"].items()} == dict.fromkeys(
        ("BERTS2S", "Gold", "PtGen", "TConvS2S", "TranS2S"), 499
    )


@pytest.mark.shared
def test_shared_xsumfaith_labels_match_summac_on_the_release_csv(shared_dir: pathlib.Path) -> None:
    # SummaC's rule applied to the release CSV, where the NULL rows are still present.
    folder = shared_dir / "bench-data" / "xsumfaith"
    groups: dict[tuple[str, str], list[str]] = {}
    with (folder / "hallucination_annotations_xsum_summaries.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            groups.setdefault((row["bbcid"], row["system"]), []).append(row["hallucination_type"])
    summac = {k: collections.Counter(v).most_common(1)[0][0] == "NULL" for k, v in groups.items()}
    checked = 0
    with (folder / "xsumfaith_joined_with_docs.derived.jsonl").open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            types = bench.xsumfaith_types(row["hallucination_annotations"])
            assert bench.xsumfaith_supported(types) == summac[(row["bbcid"], row["system"])], row[
                "bbcid"
            ]
            checked += 1
    assert checked == 2495
