"""Tests for the TempEval-3 date benchmark (``factdesk.bench.dates``) on hand-made TimeML."""

from __future__ import annotations

import datetime as dt
import pathlib

import pytest

from factdesk.bench import dates as bench
from factdesk.errors import ExtractError
from factdesk.records import DateMention

TEXT = "The council met yesterday and will vote next Wednesday. Talks lasted three hours."

# One document: DCT inside <DCT>, an entity in the text, an EVENT tag nested in the text.
TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>council-1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2026-06-03" temporalFunction="false"
functionInDocument="CREATION_TIME">June 3, 2026</TIMEX3></DCT>
<TITLE>Council &amp; talks</TITLE>
<TEXT>The council <EVENT eid="e1" class="OCCURRENCE">met</EVENT> <TIMEX3 tid="t1" type="DATE" \
value="2026-06-02">yesterday</TIMEX3> and will vote <TIMEX3 tid="t2" type="DATE" \
value="2026-06-10">next Wednesday</TIMEX3>. Talks lasted <TIMEX3 tid="t3" type="DURATION" \
value="PT3H">three hours</TIMEX3>.</TEXT>
</TimeML>
"""


def mention(text: str, phrase: str, value: str | None, type_: str = "DATE") -> DateMention:
    start = text.index(phrase)
    return DateMention(span=(start, start + len(phrase)), text=phrase, value=value, type=type_)


@pytest.fixture
def data_dir(tmp_path: pathlib.Path) -> pathlib.Path:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "council.tml").write_text(TML, encoding="utf-8")
    return tmp_path


def test_load_timeml_reads_text_dct_and_gold(data_dir: pathlib.Path) -> None:
    document = bench.load_timeml(data_dir / "a" / "council.tml")
    assert document.doc_id == "council-1"
    assert document.dct == dt.date(2026, 6, 3)
    assert document.text == TEXT
    assert [(g.tid, document.text[g.span[0] : g.span[1]], g.value) for g in document.gold] == [
        ("t1", "yesterday", "2026-06-02"),
        ("t2", "next Wednesday", "2026-06-10"),
        ("t3", "three hours", "PT3H"),
    ]


def test_run_scores_by_hand(data_dir: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Known predictions: exact + right ("yesterday"), overlapping + wrong value
    # ("Wednesday" inside "next Wednesday"), a false positive ("council"), and a miss
    # ("three hours").
    predicted = (
        mention(TEXT, "council", "2026"),
        mention(TEXT, "yesterday", "2026-06-02"),
        mention(TEXT, "Wednesday", "2026-06-03"),
    )
    monkeypatch.setattr(bench, "extract_dates", lambda text, *, published, doc: predicted)
    result = bench.run(data_dir)
    assert (result["documents"], result["gold"], result["predicted"]) == (1, 3, 3)
    assert (result["relaxed_matches"], result["strict_matches"]) == (2, 1)
    assert result["relaxed_precision"] == result["relaxed_recall"] == round(2 / 3, 4)
    assert result["relaxed_f1"] == round(2 / 3, 4)
    assert result["strict_f1"] == round(1 / 3, 4)
    # TE3 attribute F1 = accuracy over relaxed pairs x relaxed F1.
    assert result["value_accuracy"] == 0.5
    assert result["value_f1"] == round(0.5 * 2 / 3, 4)
    assert result["type_f1"] == round(1.0 * 2 / 3, 4)


def test_run_splits_ranges_like_timeml(tmp_path: pathlib.Path) -> None:
    text = "Talks run from June 1 to June 5."
    tml = (
        '<TimeML><DOCID>r</DOCID><DCT><TIMEX3 tid="t0" type="DATE" value="2026-05-30" '
        'functionInDocument="CREATION_TIME">May 30</TIMEX3></DCT><TEXT>Talks run from '
        '<TIMEX3 tid="t1" type="DATE" value="2026-06-01">June 1</TIMEX3> to '
        '<TIMEX3 tid="t2" type="DATE" value="2026-06-05">June 5</TIMEX3>.</TEXT></TimeML>'
    )
    (tmp_path / "r.tml").write_text(tml, encoding="utf-8")
    assert bench.load_timeml(tmp_path / "r.tml").text == text
    result = bench.run(tmp_path)
    assert (result["gold"], result["predicted"], result["strict_matches"]) == (2, 2, 2)
    assert result["value_f1"] == 1.0


def test_run_skips_duplicate_documents(data_dir: pathlib.Path) -> None:
    (data_dir / "copy").mkdir()
    (data_dir / "copy" / "council.tml").write_text(TML, encoding="utf-8")
    result = bench.run(data_dir)
    assert (result["documents"], result["duplicates_skipped"]) == (1, 1)


def test_run_with_the_real_resolver(data_dir: pathlib.Path) -> None:
    result = bench.run(data_dir)
    assert result["benchmark"] == "dates"
    assert result["gold"] == 3
    assert result["strict_f1"] == 1.0
    assert result["value_f1"] == 1.0


def test_run_rejects_a_directory_without_tml(tmp_path: pathlib.Path) -> None:
    with pytest.raises(ExtractError, match="no .tml files"):
        bench.run(tmp_path)


def test_run_limit_scores_the_first_documents(data_dir: pathlib.Path) -> None:
    second = TML.replace("council-1", "council-2")
    (data_dir / "b.tml").write_text(second, encoding="utf-8")
    assert bench.run(data_dir)["documents"] == 2
    assert bench.run(data_dir, limit=1)["documents"] == 1


def test_load_timeml_rejects_files_that_are_not_timeml(tmp_path: pathlib.Path) -> None:
    (tmp_path / "broken.tml").write_text("<TimeML><TEXT>no end", encoding="utf-8")
    (tmp_path / "other.tml").write_text("<TimeML><DOCID>x</DOCID></TimeML>", encoding="utf-8")
    with pytest.raises(ExtractError, match="broken.tml"):
        bench.load_timeml(tmp_path / "broken.tml")
    with pytest.raises(ExtractError, match="no <TEXT>"):
        bench.load_timeml(tmp_path / "other.tml")
