"""The command line, end to end on small inputs (no network)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from factdesk.cli import cli

ARTICLE = """---
published: 2026-03-12T09:00:00+00:00
publisher: Example Wire
---
Flood gates fail at Havelstad dam
HAVELSTAD, March 12 (EW) - More than 20 people were evacuated on Wednesday after two flood
gates failed, regional officials said. The operator denied that the gates had been neglected.
The toll could not be independently verified. Engineers will inspect the dam on Friday.
"""


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def article(tmp_path: Path) -> Path:
    path = tmp_path / "wire.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_cli_add_then_claims_json(runner: CliRunner, tmp_path: Path, article: Path) -> None:
    db = str(tmp_path / "t.db")
    result = runner.invoke(cli, ["--db", db, "add", str(article)])
    assert result.exit_code == 0, result.output
    assert "1 added" in result.output
    result = runner.invoke(cli, ["--db", db, "claims", "--json"])
    assert result.exit_code == 0
    payload = json.loads(result.output)
    claims = payload["claims"]
    assert claims
    for key in (
        "id",
        "doc",
        "span",
        "text",
        "checkable",
        "speaker",
        "cue",
        "via",
        "quote",
        "modality",
        "entities",
        "dates",
        "quantities",
    ):
        assert key in claims[0]
    modalities = {c["modality"] for c in claims}
    assert {"denied", "not-confirmed", "future"} <= modalities


def test_cli_add_twice_skips_duplicate(runner: CliRunner, tmp_path: Path, article: Path) -> None:
    db = str(tmp_path / "t.db")
    runner.invoke(cli, ["--db", db, "add", str(article)])
    result = runner.invoke(cli, ["--db", db, "add", "--json", str(article)])
    assert result.exit_code == 0
    payload = json.loads(result.output)
    assert payload["added"] == 0 and payload["skipped"] == 1


def test_cli_add_failure_exits_1_and_keeps_going(
    runner: CliRunner, tmp_path: Path, article: Path
) -> None:
    db = str(tmp_path / "t.db")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = runner.invoke(cli, ["--db", db, "add", str(empty), str(article)])
    assert result.exit_code == 1
    assert "1 added" in result.stdout
    assert "empty.txt" in result.stderr


def test_cli_show_and_search(runner: CliRunner, tmp_path: Path, article: Path) -> None:
    db = str(tmp_path / "t.db")
    added = json.loads(runner.invoke(cli, ["--db", db, "add", "--json", str(article)]).output)
    doc_id = added["outcomes"][0]["doc"]
    result = runner.invoke(cli, ["--db", db, "show", doc_id[:6]])
    assert result.exit_code == 0 and "Example Wire" in result.output
    result = runner.invoke(cli, ["--db", db, "search", "--json", "flood gates"])
    hits = json.loads(result.output)["hits"]
    assert hits and hits[0]["doc"] == doc_id


def test_cli_show_unknown_id_is_an_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["--db", str(tmp_path / "t.db"), "show", "deadbeef"])
    assert result.exit_code == 1
    assert "deadbeef" in result.stderr


def test_cli_unknown_bench_is_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["bench", "nope", "--data", str(tmp_path)])
    assert result.exit_code == 2


def test_cli_demo_runs_on_bundled_story(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["--db", str(tmp_path / "demo.db"), "demo", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["summary"]["added"] >= 5
    modalities = {c["modality"] for d in payload["documents"] for c in d["claims"]}
    assert {"reported", "hedged", "not-confirmed", "denied", "future", "call"} <= modalities
    vias = [c["via"] for d in payload["documents"] for c in d["claims"] if len(c["via"]) >= 2]
    assert vias, "the example story has a relayed report"


@pytest.mark.parametrize(
    "command",
    [
        "add",
        "claims",
        "show",
        "search",
        "demo",
        "bench",
        "stories",
        "story",
        "brief",
        "timeline",
        "claimreview",
    ],
)
def test_cli_every_command_has_help_with_example(runner: CliRunner, command: str) -> None:
    result = runner.invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


STORY_DIR = Path(__file__).parent / "data" / "stories"


@pytest.fixture(scope="module")
def story_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("stories") / "s.db")
    result = CliRunner().invoke(
        cli, ["--db", db, "add", "-q", str(STORY_DIR / "port_strike"), str(STORY_DIR / "lookalike")]
    )
    assert result.exit_code == 0, result.output
    return db


def _stories(runner: CliRunner, db: str) -> list[dict]:  # type: ignore[type-arg]
    result = runner.invoke(cli, ["--db", db, "stories", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["stories"]  # type: ignore[no-any-return]


def test_cli_stories_json_shape_and_lookalikes_apart(runner: CliRunner, story_db: str) -> None:
    stories = _stories(runner, story_db)
    for s in stories:
        assert {"id", "label", "documents", "dates", "entities"} <= set(s)
        for d in s["documents"]:
            assert {"id", "title", "source"} <= set(d)
    lookalike = [
        s for s in stories if any("summit" in (d["title"] or "").lower() for d in s["documents"])
    ]
    assert len(lookalike) == 2, "two different 'first summit' events are two stories"


def test_cli_brief_json_sections_cite_spans(runner: CliRunner, story_db: str) -> None:
    strike = max(_stories(runner, story_db), key=lambda s: len(s["documents"]))
    result = runner.invoke(cli, ["--db", story_db, "brief", strike["id"][:6], "--format", "json"])
    assert result.exit_code == 0, result.output
    brief = json.loads(result.output)
    kinds = [s["kind"] for s in brief["sections"]]
    assert kinds == [
        "key-facts",
        "reported",
        "contested",
        "unconfirmed",
        "what-to-watch",
        "sources",
    ]
    contested = next(s for s in brief["sections"] if s["kind"] == "contested")["items"]
    assert contested, "the strike story has contradictory numbers and dates"
    for section in brief["sections"]:
        for item in section["items"]:
            for c in item["citations"]:
                shown = runner.invoke(cli, ["--db", story_db, "show", "--json", c["doc"]])
                text = json.loads(shown.output)["text"]
                assert text[c["span"][0] : c["span"][1]] == c["text"]


def test_cli_brief_html_escapes_and_links(runner: CliRunner, story_db: str) -> None:
    strike = max(_stories(runner, story_db), key=lambda s: len(s["documents"]))
    result = runner.invoke(cli, ["--db", story_db, "brief", strike["id"], "--format", "html"])
    assert result.exit_code == 0
    assert "Content-Security-Policy" in result.output
    assert "href='#d" in result.output


def test_cli_timeline_and_claimreview(runner: CliRunner, story_db: str) -> None:
    strike = max(_stories(runner, story_db), key=lambda s: len(s["documents"]))
    result = runner.invoke(cli, ["--db", story_db, "timeline", "--json", strike["id"]])
    entries = json.loads(result.output)["timeline"]
    assert entries and [e["date"] for e in entries] == sorted(
        (e["date"] for e in entries), key=lambda v: v.split("/")[0].replace("X", "9")
    )
    result = runner.invoke(cli, ["--db", story_db, "claimreview", strike["id"]])
    reviews = json.loads(result.output)
    assert reviews and all(r["@type"] == "ClaimReview" for r in reviews)


def test_cli_story_unknown_is_an_error(runner: CliRunner, story_db: str) -> None:
    result = runner.invoke(cli, ["--db", story_db, "brief", "nope"])
    assert result.exit_code == 1 and "No story" in result.stderr


def test_cli_story_merge_then_split(runner: CliRunner, tmp_path: Path) -> None:
    db = str(tmp_path / "m.db")
    runner.invoke(cli, ["--db", db, "add", "-q", str(STORY_DIR / "lookalike")])
    first, second = _stories(runner, db)
    result = runner.invoke(cli, ["--db", db, "story", "merge", first["id"], second["id"]])
    assert result.exit_code == 0, result.output
    (merged,) = _stories(runner, db)
    assert len(merged["documents"]) == 2
    doc = merged["documents"][0]["id"]
    result = runner.invoke(cli, ["--db", db, "story", "split", merged["id"], doc])
    assert result.exit_code == 0, result.output
    assert len(_stories(runner, db)) == 2
