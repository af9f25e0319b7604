"""The stories benchmark (factdesk.bench.stories): loaders, B³ scorer, baseline, a tiny run."""

from __future__ import annotations

import json
import pathlib

import pytest

from factdesk import vectors
from factdesk.bench import stories
from factdesk.errors import ExtractError

# --- B³, checked by hand -------------------------------------------------------------------------


def test_bcubed_perfect_clustering_scores_one() -> None:
    assert stories.bcubed(["a", "a", "b"], [1, 1, 2]) == (1.0, 1.0, 1.0)


def test_bcubed_one_big_cluster() -> None:
    # gold {1,2} {3}: each of 1, 2 has precision 2/3, item 3 has 1/3 -> P = 5/9; recall 1.
    p, r, f = stories.bcubed(["x", "x", "x"], ["g", "g", "h"])
    assert p == pytest.approx(5 / 9)
    assert r == 1.0
    assert f == pytest.approx(2 * (5 / 9) / (5 / 9 + 1))


def test_bcubed_all_singletons() -> None:
    # gold {1,2} {3}: precision 1; recall 1/2, 1/2, 1 -> 2/3.
    p, r, _ = stories.bcubed([1, 2, 3], ["g", "g", "h"])
    assert (p, r) == (1.0, pytest.approx(2 / 3))


def test_bcubed_mixed_case() -> None:
    # predicted {1,2,3} {4}; gold {1,2} {3,4}
    # precision: 2/3, 2/3, 1/3, 1 -> 8/3 / 4 = 2/3; recall: 1, 1, 1/2, 1/2 -> 3/4
    p, r, _ = stories.bcubed(["a", "a", "a", "b"], ["x", "x", "y", "y"])
    assert p == pytest.approx(2 / 3)
    assert r == pytest.approx(3 / 4)


def test_bcubed_empty_and_mismatched() -> None:
    assert stories.bcubed([], []) == (0.0, 0.0, 0.0)
    with pytest.raises(ValueError):
        stories.bcubed([1], [1, 2])


# --- loaders -----------------------------------------------------------------------------------


def _ecb_xml(tokens: list[tuple[int, str]]) -> str:
    rows = "\n".join(
        f'<token t_id="{i + 1}" sentence="{s}" number="{i}">{t}</token>'
        for i, (s, t) in enumerate(tokens)
    )
    return f'<Document doc_name="x" doc_id="DOC1">\n{rows}\n<Markables/>\n</Document>\n'


@pytest.fixture
def ecb_dir(tmp_path: pathlib.Path) -> pathlib.Path:
    root = tmp_path / "ECB+"
    for topic in ("1", "2"):
        (root / topic).mkdir(parents=True)

    def toks(sentence: int, words: str) -> list[tuple[int, str]]:
        return [(sentence, w) for w in words.split()]

    files = {
        "1/1_1ecb.xml": toks(0, "Dock workers strike .") + toks(1, "It 's big ( really ) ."),
        "1/1_1ecbplus.xml": toks(0, "http : / / example.org") + toks(1, "Rail strike `` ends '' ."),
        "1/1_2ecb.xml": toks(0, "Dock strike goes on ,"),
        "2/2_1ecb.xml": toks(0, "A flood hits Varn ."),
    }
    for name, tokens in files.items():
        (root / name).write_text(_ecb_xml(tokens), encoding="utf-8")
    (root / "2" / "notes.txt").write_text("not a document", encoding="utf-8")
    return tmp_path


def test_detect_format_ecbplus_and_clustmcms(ecb_dir: pathlib.Path, tmp_path: pathlib.Path) -> None:
    assert stories.detect_format(ecb_dir) == "ecbplus"
    assert stories.detect_format(ecb_dir / "ECB+") == "ecbplus"
    other = tmp_path / "cm"
    other.mkdir()
    (other / "dev.json").write_text('{"articles": [], "clusters": []}', encoding="utf-8")
    assert stories.detect_format(other) == "clustmcms"
    assert stories.detect_format(other / "dev.json") == "clustmcms"


def test_detect_format_refuses_other_folders(tmp_path: pathlib.Path) -> None:
    with pytest.raises(ExtractError, match="no ECB\\+ topic folders"):
        stories.detect_format(tmp_path)


def test_load_ecbplus_order_gold_and_text(ecb_dir: pathlib.Path) -> None:
    docs = stories.load_ecbplus(ecb_dir)
    assert [pathlib.Path(d.raw.source).name for d in docs] == [
        "1_1ecb.xml",
        "1_1ecbplus.xml",
        "1_2ecb.xml",
        "2_1ecb.xml",
    ]
    assert [d.gold for d in docs] == ["1ecb", "1ecbplus", "1ecb", "2ecb"]
    assert docs[0].raw.text == "Dock workers strike.\nIt's big (really)."
    # sentence 0 of an ecbplus file is its URL: dropped; `` '' become plain quotes
    assert docs[1].raw.text == 'Rail strike " ends ".'
    assert docs[0].raw.published is None


def test_load_ecbplus_malformed_xml(ecb_dir: pathlib.Path) -> None:
    (ecb_dir / "ECB+" / "2" / "2_2ecb.xml").write_text("<Document><token", encoding="utf-8")
    with pytest.raises(ExtractError, match="not well-formed"):
        stories.load_ecbplus(ecb_dir)


def _clustmcms(tmp_path: pathlib.Path) -> pathlib.Path:
    data = {
        "articles": [
            {
                "ID": 7,
                "title": "Flood hits Varn",
                "sentences": [
                    {"SID": 2, "content": "Roads closed."},
                    {"SID": 1, "content": "Water rose overnight."},
                ],
            },
            {"ID": 8, "title": "", "sentences": [{"SID": 1, "content": "Another flood story."}]},
            {"ID": 9, "title": "", "sentences": []},
        ],
        "clusters": [0, 0, 1],
    }
    path = tmp_path / "mds_ac_dev_final.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_load_clustmcms_text_gold_and_empty_articles(tmp_path: pathlib.Path) -> None:
    docs = stories.load_clustmcms(_clustmcms(tmp_path))
    assert [d.gold for d in docs] == ["0", "0"]  # the empty article is left out
    assert docs[0].raw.text == "Flood hits Varn\n\nWater rose overnight.\nRoads closed."
    assert docs[0].raw.title == "Flood hits Varn"
    assert docs[0].raw.source == "mds_ac_dev_final.json#7"
    assert docs[1].raw.title is None


def test_load_clustmcms_from_its_folder(tmp_path: pathlib.Path) -> None:
    _clustmcms(tmp_path)
    fmt, docs = stories.load(tmp_path)
    assert fmt == "clustmcms" and len(docs) == 2


def test_load_clustmcms_length_mismatch(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"articles": [{"title": "x"}], "clusters": []}', encoding="utf-8")
    with pytest.raises(ExtractError, match="1 articles but 0 cluster labels"):
        stories.load_clustmcms(path)


# --- baseline and a tiny end-to-end run --------------------------------------------------------


def test_baseline_groups_near_identical_texts() -> None:
    pytest.importorskip("sklearn")
    labels = stories.baseline_labels(
        [
            "Flood waters rise in Varn, roads closed",
            "Varn flood: waters rise, roads closed overnight",
            "Election results announced in Dorsk",
        ]
    )
    assert labels[0] == labels[1] != labels[2]


@pytest.mark.skipif(not vectors.is_available(), reason="sentence-vector model not installed")
def test_run_reports_ours_and_the_baseline(tmp_path: pathlib.Path, nlp: object) -> None:
    pytest.importorskip("sklearn")
    _clustmcms(tmp_path)
    report = stories.run(tmp_path)
    keys = "benchmark data documents gold_clusters clusters bcubed_precision bcubed_recall"
    for key in [*keys.split(), "bcubed_f1", "baseline", "seconds", "ms_per_document"]:
        assert key in report
    assert report["benchmark"] == "stories"
    assert report["documents"] == 2
    assert report["gold_clusters"] == 1
    assert report["baseline"]["documents"] == 2
    assert 0.0 <= report["bcubed_f1"] <= 1.0


@pytest.mark.shared
@pytest.mark.slow
def test_run_on_ecbplus_beats_the_baseline(shared_dir: pathlib.Path) -> None:
    report = stories.run(shared_dir / "bench-data" / "ecbplus")
    assert report["bcubed_f1"] > report["baseline"]["bcubed_f1"]
    assert report["bcubed_f1"] >= 0.88
