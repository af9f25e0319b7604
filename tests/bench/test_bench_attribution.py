"""PolNeAR benchmark: brat loading, CofeNet-style exact-match scoring, end-to-end on a fixture."""

from __future__ import annotations

import pathlib

import pytest

from factdesk.bench import attribution as bench
from factdesk.errors import ConfigError

TEXT = (
    "Storm Closes Harbour.\n\n"
    "The harbour master said the port would reopen on Monday.\n\n"
    "“We are ready,” Ana Ruiz said.\n\n"
    "In a survey, most fishermen backed the plan.\n"
)


def _at(needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(needle, start + 1)
    return start, start + len(needle)


def _ann(lines: list[tuple[str, str, int]]) -> str:
    """brat T lines for (label, text, occurrence) triples, in the order given."""
    out = []
    for n, (label, needle, nth) in enumerate(lines, start=1):
        start, end = _at(needle, nth)
        out.append(f"T{n}\t{label} {start} {end}\t{needle}")
    return "\n".join(out) + "\n"


def _write_split(root: pathlib.Path) -> pathlib.Path:
    split = root / "data" / "dev"
    (split / "text").mkdir(parents=True)
    (split / "attributions").mkdir()
    (split / "text" / "harbour.txt").write_text(TEXT, encoding="utf-8")
    # Annotator 0aaa: three attributions; the survey one has a cue no rule knows ("In").
    first = _ann(
        [
            ("Source", "The harbour master", 0),
            ("Cue", "said", 0),
            ("Content", "the port would reopen on Monday", 0),
            ("Content", "“We are ready,”", 0),
            ("Source", "Ana Ruiz", 0),
            ("Cue", "said", 1),
            ("Cue", "In", 0),
            ("Source", "a survey", 0),
            ("Content", "most fishermen backed the plan", 0),
            ("Discuss", "Storm Closes Harbour", 0),
        ]
    )
    first += "E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3\n"
    (split / "attributions" / "harbour_0aaa.ann").write_text(first, encoding="utf-8")
    # Annotator 0bbb: one attribution whose content stops short of "on Monday".
    second = _ann(
        [
            ("Source", "The harbour master", 0),
            ("Cue", "said", 0),
            ("Content", "the port would reopen", 0),
        ]
    )
    (split / "attributions" / "harbour_0bbb.ann").write_text(second, encoding="utf-8")
    return split


def test_read_ann_splits_discontinuous_spans_and_skips_other_labels() -> None:
    text = (
        "T1\tSource 0 4\tAnna\n"
        "T2\tContent 10 20;25 30\tsome words more\n"
        "T3\tDiscard 40 50\tignored\n"
        "T4\tAttribution 5 9\tsaid\n"
        "E1\tAttribution:T4 Source:T1 Content:T2\n"
    )
    spans = bench.read_ann(text)
    assert spans == {"source": ((0, 4),), "cue": (), "content": ((10, 20), (25, 30))}


@pytest.mark.parametrize("where", ["split", "data-root", "splits-folder"])
def test_find_split_accepts_the_three_layouts(tmp_path: pathlib.Path, where: str) -> None:
    split = _write_split(tmp_path)
    given = {"split": split, "data-root": tmp_path, "splits-folder": tmp_path / "data"}[where]
    assert bench.find_split(given) == split


def test_find_split_rejects_other_folders(tmp_path: pathlib.Path) -> None:
    with pytest.raises(ConfigError, match="no PolNeAR split"):
        bench.find_split(tmp_path)


def test_projection_tags_like_cofenet(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("“We are ready,” Ana Ruiz said, “and we will stay.”\n\nNext paragraph here.")
    projection = bench._Projection(doc)
    text = doc.text
    first = (text.index("“We"), text.index(",” Ana") + 2)
    second = (text.index("“and"), text.index("stay.”") + 6)
    # One content span running over the source and cue is cut by them, as one tag layer is.
    tagged = projection.tag(
        {
            "content": [(first[0], second[1])],
            "source": [(text.index("Ana"), text.index(" said"))],
            "cue": [(text.index("said"), text.index("said") + 4)],
        }
    )
    gold = projection.tag({"content": [first, second]})
    assert len(tagged["content"]) == 2
    assert {projection.tokens(first)[0], projection.tokens(second)[0]} == gold["content"]
    # A span over the paragraph break becomes one span per paragraph.
    across = (text.index("stay"), text.index("Next") + 4)
    assert len(projection.tokens(across)) == 2


def test_score_counts_exact_and_overlap_matches() -> None:
    gold = {"source": {(0, 2)}, "cue": {(2, 3)}, "content": {(3, 8), (10, 12)}}
    predicted = {"source": {(0, 2)}, "cue": {(2, 4)}, "content": {(3, 7)}}
    result = bench.score([(gold, predicted)])
    assert result["source_f1"] == 1.0
    assert result["cue_precision"] == 0.0 and result["overlap_cue_f1"] == 1.0
    assert result["content_precision"] == 0.0 and result["content_recall"] == 0.0
    # overlap: the one prediction overlaps a gold span (P 1), one of two gold spans is found
    assert result["overlap_content_f1"] == round(2 * 1.0 * 0.5 / 1.5, 4)
    assert result["gold"] == {"source": 1, "cue": 1, "content": 2}


def test_run_scores_the_fixture_by_hand(tmp_path: pathlib.Path) -> None:
    _write_split(tmp_path)
    result = bench.run(tmp_path)
    assert result["benchmark"] == "attribution"
    assert result["split"] == "dev"
    assert result["articles"] == 1
    assert result["annotation_files"] == 2
    # The system finds the harbour master and Ana Ruiz exactly, and not the survey.
    # 0aaa: 3 gold per role, 2 predicted, 2 right. 0bbb: 1 gold per role, 2 predicted;
    # source and cue right, content wrong ("on Monday" is in the prediction only).
    assert result["gold"] == {"source": 4, "cue": 4, "content": 4}
    assert result["predicted"] == {"source": 4, "cue": 4, "content": 4}
    for role in ("source", "cue"):
        assert result[f"{role}_precision"] == 0.75
        assert result[f"{role}_recall"] == 0.75
        assert result[f"{role}_f1"] == 0.75
    assert result["content_precision"] == 0.5
    assert result["content_recall"] == 0.5
    assert result["content_f1"] == 0.5
    # Overlap: 3 of 4 predictions touch a gold content span, 3 of 4 gold spans are touched.
    assert result["overlap_content_f1"] == 0.75
    # Only the first annotator: 2 of 2 predictions right, 2 of 3 gold found.
    single = result["single_annotator"]
    assert single["source_precision"] == 1.0
    assert single["source_recall"] == round(2 / 3, 4)
    assert result["seconds"] >= 0


def test_run_limit_keeps_the_first_articles(tmp_path: pathlib.Path) -> None:
    split = _write_split(tmp_path)
    (split / "text" / "zzz.txt").write_text("Nothing here.\n", encoding="utf-8")
    (split / "attributions" / "zzz_0ccc.ann").write_text("", encoding="utf-8")
    assert bench.run(split, limit=1)["articles"] == 1
    assert bench.run(split)["articles"] == 2
