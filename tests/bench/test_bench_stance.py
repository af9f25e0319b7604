"""Tests for the Emergent stance benchmark (factdesk.bench.stance)."""

from __future__ import annotations

import os
import pathlib

import pytest

from factdesk.bench import stance
from factdesk.errors import ExtractError

# Six scored rows plus one with a blank stance; a BOM, a leading unnamed index column and an
# extra trailing column, as in the Emergent release. Stances were chosen so the scores below can
# be worked out by hand.
_CSV = (
    "\ufeff,claimHeadline,articleHeadline,articleHeadlineStance,articleId,outlet\n"
    "0,The Varn bridge closed,Varn bridge shut to traffic,for,a1,x\n"
    '1,The Varn bridge closed,"Bridge closed, drivers told",for,a2,x\n'
    "2,The Varn bridge closed,Varn bridge closure ends commute,for,a3,x\n"
    "3,The Varn bridge closed,Varn bridge closure is a hoax,against,a4,x\n"
    "4,The Varn bridge closed,Varn bridge reportedly closed,observing,a5,x\n"
    "5,The Varn bridge closed,Is the Varn bridge closed?,observing,a6,x\n"
    "6,The Varn bridge closed,Unlabelled headline,,a7,x\n"
)

# What the hand-written predictor answers for each headline: rows 2 and 4 are wrong.
_PREDICTIONS = {
    "Varn bridge shut to traffic": "for",
    "Bridge closed, drivers told": "for",
    "Varn bridge closure ends commute": "observing",
    "Varn bridge closure is a hoax": "against",
    "Varn bridge reportedly closed": "for",
    "Is the Varn bridge closed?": "observing",
}

_EMERGENT_TRAIN = (
    pathlib.Path(__file__).resolve().parents[3]
    / "shared/bench-data/emergent/url-versions-2015-06-14-clean-train.csv"
)


def _lookup(claim: str, headline: str) -> str:
    return _PREDICTIONS[headline]


@pytest.fixture
def data_file(tmp_path: pathlib.Path) -> pathlib.Path:
    path = tmp_path / "emergent-tiny.csv"
    path.write_text(_CSV, encoding="utf-8")
    return path


@pytest.fixture
def report(data_file: pathlib.Path) -> dict[str, object]:
    return stance.run(data_file, predict=_lookup)


def test_load_pairs_tolerates_bom_and_extra_columns(data_file: pathlib.Path) -> None:
    rows, skipped = stance.load_pairs(data_file)
    assert rows[1] == ("The Varn bridge closed", "Bridge closed, drivers told", "for")
    assert (len(rows), skipped) == (6, 1)


def test_load_pairs_missing_column_names_it(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("claimHeadline,articleHeadline\nA,B\n", encoding="utf-8")
    with pytest.raises(ExtractError, match="articleHeadlineStance"):
        stance.load_pairs(path)


def test_run_reports_benchmark_name_and_counts(report: dict[str, object]) -> None:
    assert (report["benchmark"], report["pairs"], report["skipped"]) == ("stance", 6, 1)
    assert report["modality_source"] == "custom"


def test_run_accuracy_by_hand(report: dict[str, object]) -> None:
    assert report["accuracy"] == pytest.approx(4 / 6)


@pytest.mark.parametrize(
    ("label", "precision", "recall", "f1", "support"),
    [
        # for: 2 right of 3 predicted (one observing row predicted "for"), 2 of 3 found.
        ("for", 2 / 3, 2 / 3, 2 / 3, 3),
        ("against", 1.0, 1.0, 1.0, 1),
        # observing: predicted twice (once for a "for" row), 1 of 2 found.
        ("observing", 1 / 2, 1 / 2, 1 / 2, 2),
    ],
)
def test_run_per_class_by_hand(
    report: dict[str, object],
    label: str,
    precision: float,
    recall: float,
    f1: float,
    support: int,
) -> None:
    per_class = report["per_class"]
    assert isinstance(per_class, dict)
    scores = per_class[label]
    assert scores["precision"] == pytest.approx(precision)
    assert scores["recall"] == pytest.approx(recall)
    assert scores["f1"] == pytest.approx(f1)
    assert scores["support"] == support


def test_run_macro_f1_by_hand(report: dict[str, object]) -> None:
    assert report["macro_f1"] == pytest.approx((2 / 3 + 1.0 + 1 / 2) / 3)


def test_run_confusion_is_gold_then_predicted(report: dict[str, object]) -> None:
    assert report["confusion"] == {
        "for": {"for": 2, "against": 0, "observing": 1},
        "against": {"for": 0, "against": 1, "observing": 0},
        "observing": {"for": 1, "against": 0, "observing": 1},
    }


def test_run_majority_baseline(report: dict[str, object]) -> None:
    assert (report["baseline_label"], report["baseline_accuracy"]) == ("for", pytest.approx(0.5))


def test_run_rejects_unknown_label(data_file: pathlib.Path) -> None:
    with pytest.raises(ValueError, match="expected one of: for, against, observing"):
        stance.run(data_file, predict=lambda claim, headline: "agree")


def test_run_accepts_directory_with_one_csv(data_file: pathlib.Path) -> None:
    assert stance.run(data_file.parent, predict=_lookup)["pairs"] == 6


def test_run_directory_with_two_csvs_is_an_error(data_file: pathlib.Path) -> None:
    (data_file.parent / "other.csv").write_text(_CSV, encoding="utf-8")
    with pytest.raises(ExtractError, match="exactly one"):
        stance.run(data_file.parent, predict=_lookup)


def test_run_default_predictor_names_its_modality_source(data_file: pathlib.Path) -> None:
    report = stance.run(data_file)
    assert report["modality_source"] in {"factdesk.pipeline.modality", "lexical-fallback"}
    assert report["pairs"] == 6


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        ("Varn bridge closed after storm", "for"),
        ("Varn bridge reportedly closed", "observing"),
        ("Varn bridge may close, engineers say", "observing"),
        ("Is the Varn bridge closed?", "observing"),
        ("Varn bridge closure is a hoax", "against"),
        ("Council denies Varn bridge closed", "against"),
        ("No, the Varn bridge has not closed", "against"),
        ("Varn bridge didn't close", "against"),
    ],
)
def test_stance_from_modality_lexical_fallback(headline: str, expected: str) -> None:
    assert stance.stance_from_modality("The Varn bridge closed", headline) == expected


@pytest.mark.parametrize(
    ("modality", "negated", "expected"),
    [
        ("asserted", False, "for"),
        ("asserted", True, "against"),
        ("reported", False, "observing"),
        ("hedged", False, "observing"),
        ("not-confirmed", False, "observing"),
        ("call", False, "observing"),
        ("denied", False, "against"),
    ],
)
def test_stance_from_modality_maps_classifier_output(
    modality: str, negated: bool, expected: str
) -> None:
    def classify(text: str) -> tuple[str, bool, tuple[str, ...]]:
        return modality, negated, ()

    assert stance.stance_from_modality("Varn bridge closed", "Varn bridge", classify) == expected


def test_stance_from_modality_future_headline_matches_future_claim() -> None:
    def classify(text: str) -> tuple[str, bool, tuple[str, ...]]:
        return ("future" if "will" in text or " to " in text else "asserted"), False, ()

    headline = "Varn to close bridge"
    assert stance.stance_from_modality("Varn will close its bridge", headline, classify) == "for"
    assert stance.stance_from_modality("Varn closed its bridge", headline, classify) == "observing"


@pytest.mark.slow
@pytest.mark.shared
def test_run_emergent_train_beats_majority_baseline() -> None:
    if not _EMERGENT_TRAIN.exists():
        if os.environ.get("FACTDESK_REQUIRE_SHARED") == "1":
            pytest.fail(f"missing shared bench data: {_EMERGENT_TRAIN}")
        pytest.skip(f"no shared bench data at {_EMERGENT_TRAIN}")
    report = stance.run(_EMERGENT_TRAIN)
    assert report["pairs"] == 2071
    assert report["accuracy"] > report["baseline_accuracy"]
