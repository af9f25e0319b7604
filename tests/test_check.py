"""The draft check: every label and every AI-draft failure, on the bundled example story.

The draft (tests/data/check/brannock_draft.md) is written against the example story's
answer key (src/factdesk/data/example_story/README.md): each sentence plants one label or
one failure, and these tests say which.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from factdesk import desk
from factdesk.check import (
    LABELS,
    CheckReport,
    JudgeVerdict,
    check_documents,
    check_html,
    check_json,
    check_markdown,
    ground_pairs,
)
from factdesk.cli import cli
from factdesk.errors import ConfigError, NotFound
from factdesk.judges import ChatJudge, NLIJudge, load_judge
from factdesk.pipeline.runner import analyze
from factdesk.records import RawDocument

DATA = Path(__file__).parent / "data" / "check"
DRAFT = DATA / "brannock_draft.md"


@pytest.fixture(scope="module")
def sources():  # type: ignore[no-untyped-def]
    return desk.check_sources(None, [str(desk.example_story_dir())])


@pytest.fixture(scope="module")
def report(sources) -> CheckReport:  # type: ignore[no-untyped-def]
    docs, findings = sources
    return check_documents(desk.read_draft(str(DRAFT)), docs, findings)


def _sentence(report: CheckReport, fragment: str):  # type: ignore[no-untyped-def]
    found = [s for s in report.sentences if fragment in s.text]
    assert found, f"no draft sentence contains {fragment!r}"
    return found[0]


def _failures(sentence) -> set[str]:  # type: ignore[no-untyped-def]
    return {f for c in sentence.claims for f in c.failures}


# --- labels --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fragment", "label", "failure"),
    [
        ("A 40-metre section of the spillway wall", "supported", None),
        ("300 homes were destroyed", "partly-supported", None),
        ("completed in 1962", "unsupported", None),
        ("80 percent of capacity", "contradicted", None),
        ("sobering reminder", "not-checkable", None),
        ("Heavy rain pushed the reservoir", "partly-supported", "hedge-dropped"),
        ("Nearly 100 soldiers", "partly-supported", "attribution-dropped"),
        ("According to the mayor", "partly-supported", "attribution-changed"),
        ("every inspection since 2019", "unsupported", "attribution-invented"),
        ("Police confirmed that looting", "contradicted", "certainty-upgraded"),
        ("Fifteen people were killed", "partly-supported", "contest-dropped"),
    ],
)
def test_each_planted_sentence_gets_its_label_and_failure(
    report: CheckReport, fragment: str, label: str, failure: str | None
) -> None:
    s = _sentence(report, fragment)
    assert s.label == label, (s.label, s.reasons)
    if failure is None:
        assert not _failures(s) - {"contest-dropped"} or label == "contradicted"
    else:
        assert failure in _failures(s), (_failures(s), s.reasons)


def test_every_label_occurs(report: CheckReport) -> None:
    assert {s.label for s in report.sentences} == set(LABELS)


def test_unsupported_details_are_named_precisely(report: CheckReport) -> None:
    partly = _sentence(report, "300 homes")
    assert "no source mentions 300 homes" in partly.reasons
    invented = _sentence(report, "completed in 1962")
    assert "no source mentions 40 million euros" in invented.reasons
    assert "no source mentions 1962" in invented.reasons
    # The sourced half of the partly supported sentence cites its two independent origins.
    assert len({ev.doc_id for ev in partly.evidence}) >= 2


def test_contradiction_shows_both_sides(report: CheckReport) -> None:
    s = _sentence(report, "80 percent of capacity")
    (ev,) = [ev for ev in s.evidence if ev.relation == "contradicts"]
    assert "97 percent" in ev.text
    assert any("97 percent" in r and "80 percent" in r for r in s.reasons)
    toll = _sentence(report, "Fifteen people were killed")
    relations = {ev.relation for ev in toll.evidence}
    assert {"supports", "contradicts"} <= relations


def test_certainty_upgrade_cites_the_unverified_report(report: CheckReport) -> None:
    s = _sentence(report, "Police confirmed that looting")
    assert any(ev.relation == "not-confirmed" and "verified" in ev.text for ev in s.evidence)


def test_invented_attribution_names_the_speaker(report: CheckReport) -> None:
    s = _sentence(report, "every inspection since 2019")
    assert any("Estmark Hydro" in r and "attribution invented" in r for r in s.reasons)


def test_supported_evidence_is_strongest_first(report: CheckReport) -> None:
    s = _sentence(report, "A 40-metre section of the spillway wall")
    # The operator's own statement (the primary party) comes first.
    first = s.evidence[0]
    assert "Estmark Hydro confirms" in first.text


def test_omitted_caveats_are_listed(report: CheckReport) -> None:
    texts = [o.text for o in report.omissions]
    assert any("cause of the failure has not been confirmed" in t for t in texts)
    assert any(o.kind == "contested" and "inspection" in o.text for o in report.omissions)
    # The draft mentions looting and the toll: those caveats are not "omitted".
    assert not any("looting" in t for t in texts)
    assert report.exit_code == 1


# --- traceability --------------------------------------------------------------------------------


def test_spans_round_trip(report: CheckReport) -> None:
    text = report.draft.text
    docs = {d.id: d for d in report.sources}
    for s in report.sentences:
        assert text[s.span[0] : s.span[1]] == s.text
        for c in s.claims:
            assert text[c.span[0] : c.span[1]] == c.text
            for p in c.parts:
                assert text[p.span[0] : p.span[1]] == p.text
            for ev in c.evidence:
                assert docs[ev.doc_id].text[ev.span[0] : ev.span[1]] == ev.text
    for o in report.omissions:
        for ev in o.evidence:
            assert docs[ev.doc_id].text[ev.span[0] : ev.span[1]] == ev.text


def test_json_has_the_documented_shape(report: CheckReport) -> None:
    payload = check_json(report)
    json.dumps(payload)  # serialisable
    assert set(payload["summary"]) == {
        "supported",
        "partly_supported",
        "unsupported",
        "contradicted",
        "not_checkable",
    }
    assert sum(payload["summary"].values()) == len(payload["sentences"])
    first = payload["sentences"][1]
    assert {"span", "text", "label", "reasons", "evidence"} <= set(first)
    assert {"doc", "span", "text"} <= set(first["evidence"][0])
    assert payload["omissions"] and {"text", "reason", "evidence"} <= set(payload["omissions"][0])
    assert payload["exit_code"] == 1


# --- small cases ---------------------------------------------------------------------------------


def _doc(text: str, source: str, **kw):  # type: ignore[no-untyped-def]
    (d,) = analyze([RawDocument(text=text, source=source, **kw)])
    return d


def test_date_without_year_in_the_sources_makes_the_year_and_weekday_unsourced() -> None:
    src = _doc("The Harlow Council met in Tamsford on June 3 for its first session.", "src.txt")
    draft = _doc(
        "The Harlow Council met in Tamsford on Wednesday, June 3, 2026 for its first session.",
        "draft.txt",
    )
    (s,) = check_documents(draft, [src]).sentences
    assert s.label == "partly-supported"
    (date_part,) = [p for c in s.claims for p in c.parts if p.kind == "date"]
    assert date_part.status == "partly"
    assert "2026" in date_part.note and "Wednesday" in date_part.note
    statement = [p for c in s.claims for p in c.parts if p.kind == "statement"]
    assert statement and statement[0].status == "sourced"


def test_a_source_checked_against_itself_is_supported(sources) -> None:  # type: ignore[no-untyped-def]
    docs, _ = sources
    wire = next(d for d in docs if d.publisher == "Northwind Press Agency")
    report = check_documents(wire, docs)
    checked = [s for s in report.sentences if s.label != "not-checkable"]
    assert checked
    assert all(s.label in ("supported", "partly-supported") for s in checked)
    assert sum(s.label == "supported" for s in checked) >= 0.6 * len(checked)


def test_ground_pairs_scores_supported_above_unsupported() -> None:
    source = (
        "Officials in Verrin said on Monday that 40 families were moved to the sports hall "
        "after the river burst its banks."
    )
    scores = ground_pairs(
        [
            ("Forty families were moved to the sports hall in Verrin.", source),
            ("Four hundred families were moved to a school in Verrin.", source),
        ]
    )
    assert scores[0] >= 0.5 > scores[1]


# --- judges --------------------------------------------------------------------------------------


class _FakeJudge:
    name = "fake"

    def __init__(self, label: str) -> None:
        self.label = label
        self.calls: list[tuple[str, list[str]]] = []

    def judge(self, claim: str, evidence) -> JudgeVerdict:  # type: ignore[no-untyped-def]
        self.calls.append((claim, list(evidence)))
        return JudgeVerdict(self.label, 1.0 if self.label == "supported" else 0.0, "fake")


def test_a_judge_is_asked_only_what_the_rules_leave_open(sources) -> None:  # type: ignore[no-untyped-def]
    docs, findings = sources
    judge = _FakeJudge("supported")
    report = check_documents(desk.read_draft(str(DRAFT)), docs, findings, judge=judge)
    assert report.judge == "fake"
    assert judge.calls
    # An invented number stays unsupported whatever the judge says.
    assert _sentence(report, "completed in 1962").label == "unsupported"
    # Settled labels are not re-judged.
    assert _sentence(report, "80 percent of capacity").label == "contradicted"
    assert not any("A 40-metre section" in claim for claim, _ in judge.calls)


def test_chat_judge_speaks_the_openai_protocol() -> None:
    seen: list[dict] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        assert request.url.path == "/v1/chat/completions"
        content = "CONTRADICTED. The evidence gives 97 percent."
        return httpx.Response(200, json={"choices": [{"message": {"content": content}}]})

    judge = ChatJudge("http://127.0.0.1:9/v1", "tiny", transport=httpx.MockTransport(handler))
    verdict = judge.judge("The reservoir stood at 80 percent.", ["It stood at 97 percent."])
    assert verdict.label == "contradicted"
    assert seen[0]["model"] == "tiny" and "80 percent" in seen[0]["messages"][0]["content"]


def test_chat_judge_failure_is_a_clear_error() -> None:
    judge = ChatJudge(
        "http://127.0.0.1:9/v1",
        "tiny",
        transport=httpx.MockTransport(lambda r: httpx.Response(500)),
    )
    with pytest.raises(ConfigError, match="did not answer usably"):
        judge.judge("x", ["y"])


def test_nli_judge_maps_entailment_and_contradiction(tmp_path: Path) -> None:
    import numpy as np

    (tmp_path / "config.json").write_text(
        json.dumps({"id2label": {"0": "ENTAILMENT", "1": "NEUTRAL", "2": "CONTRADICTION"}})
    )

    class Enc:
        ids, attention_mask, type_ids = [1, 2], [1, 1], [0, 1]

    class Tok:
        def encode(self, a: str, b: str) -> Enc:
            return Enc()

    class Input:
        def __init__(self, name: str) -> None:
            self.name = name

    class Session:
        def __init__(self, logits: list[float]) -> None:
            self.logits = logits

        def get_inputs(self) -> list[Input]:
            return [Input("input_ids"), Input("attention_mask")]

        def run(self, _: object, feeds: dict) -> list:
            assert set(feeds) == {"input_ids", "attention_mask"}
            return [np.array([self.logits])]

    yes = NLIJudge(tmp_path, session=Session([5.0, 0.0, 0.0]), tokenizer=Tok())
    assert yes.judge("c", ["e"]).label == "supported"
    no = NLIJudge(tmp_path, session=Session([0.0, 0.0, 5.0]), tokenizer=Tok())
    assert no.judge("c", ["e"]).label == "contradicted"


def test_load_judge_explains_what_is_missing(tmp_path: Path) -> None:
    assert load_judge("rules") is None
    with pytest.raises(ConfigError, match="--judge-model"):
        load_judge("nli")
    with pytest.raises(ConfigError, match="not an ONNX NLI model directory"):
        load_judge("nli", model=str(tmp_path))
    with pytest.raises(ConfigError, match="--judge-url"):
        load_judge("chat", model="m")


# --- the command line and the store --------------------------------------------------------------


def test_cli_check_exit_codes_and_formats(tmp_path: Path) -> None:
    runner = CliRunner()
    story = str(desk.example_story_dir())
    db = str(tmp_path / "none.db")
    result = runner.invoke(cli, ["--db", db, "check", str(DRAFT), "--against", story, "--json"])
    assert result.exit_code == 1, result.output
    payload = json.loads(result.stdout)
    assert payload["exit_code"] == 1
    assert not Path(db).exists()  # checking against files never creates a database

    good = tmp_path / "good.txt"
    good.write_text(
        "More than 1,200 residents were evacuated, Havelstad police said.\n"
        "This is a sad week for the valley.\n",
        encoding="utf-8",
    )
    ok = runner.invoke(cli, ["--db", db, "check", str(good), "--against", story])
    assert ok.exit_code == 0, ok.output
    assert "exit code 0" in ok.output

    missing = runner.invoke(cli, ["--db", db, "check", str(good), "--against", "nope"])
    assert missing.exit_code == 2
    assert "not a story, a document or a file" in missing.output
    no_draft = runner.invoke(
        cli, ["--db", db, "check", str(tmp_path / "x.txt"), "--against", story]
    )
    assert no_draft.exit_code == 2
    usage = runner.invoke(cli, ["--db", db, "check", str(good)])
    assert usage.exit_code == 2


def test_hostile_draft_text_is_inert_in_html_and_markdown(sources) -> None:  # type: ignore[no-untyped-def]
    docs, findings = sources
    hostile = (
        "More than 1,200 residents were evacuated <script>alert(1)</script> "
        '<img src=x onerror="alert(2)"> [link](javascript:alert(3)).'
    )
    report = check_documents(_doc(hostile, "hostile.txt"), docs, findings)
    page = check_html(report)
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;" in page
    assert "default-src 'none'" in page
    md = check_markdown(report)
    assert "<script>" not in md and "[link](javascript:" not in md
    assert "\\[link\\](javascript:" in md  # brackets escaped: no link


def test_check_against_a_stored_story_and_document(tmp_path: Path) -> None:
    from factdesk.store import open_store

    with open_store(tmp_path / "desk.db") as store:
        desk.add(desk.example_story_inputs(), store=store)
        (story,) = desk.stories(store)
        by_story = desk.check(store, str(DRAFT), [story.id[:6]])
        assert _sentence(by_story, "80 percent").label == "contradicted"
        assert by_story.omissions
        one = next(d for d in story.doc_ids)
        by_doc = desk.check(store, str(DRAFT), [one])
        assert len(by_doc.sources) == 1
        with pytest.raises(NotFound):
            desk.check(store, str(DRAFT), ["zzzz-not-there"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary\x00" * 50, "binary"),
        (b"Der Rat tagte am Mittwoch in Kiew. Die Sitzung war die erste ihrer Art.", "English"),
    ],
)
def test_bad_drafts_are_usage_errors_with_a_clear_message(
    tmp_path: Path, content: bytes, message: str
) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_bytes(content)
    result = CliRunner().invoke(
        cli,
        ["--db", str(tmp_path / "x.db"), "check", str(draft), "--against", str(DRAFT)],
    )
    assert result.exit_code == 2, result.output
    assert "draft.txt" in result.output
    assert message.lower() in result.output.lower()


def test_private_network_sources_are_refused_without_connecting(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            str(tmp_path / "x.db"),
            "check",
            str(DRAFT),
            "--against",
            "http://127.0.0.1:9/story",
            "http://169.254.169.254/latest/meta-data",
        ],
    )
    assert result.exit_code == 2, result.output
    assert "Nothing to check against" in result.output


def test_support_across_sentences_comes_from_one_article_only() -> None:
    one = _doc(
        "Officials in Carden opened the new Tallis Bridge on Monday. "
        "The bridge carries the ring road across the river Ost.",
        "carden.txt",
    )
    draft = _doc(
        "Officials in Carden opened the new Tallis Bridge, which carries the ring road across "
        "the river Ost.",
        "draft.txt",
    )
    (s,) = check_documents(draft, [one]).sentences
    assert s.label == "supported", s.reasons
    assert {ev.doc_id for ev in s.evidence} == {one.id}
    # The same words spread over two unrelated articles do not make a statement.
    a = _doc("Officials in Carden opened a new school on Monday.", "a.txt")
    b = _doc("A new ring road will cross the river Ost near the Tallis Bridge by 2030.", "b.txt")
    (s2,) = check_documents(draft, [a, b]).sentences
    assert s2.label != "supported", s2.reasons


def test_a_changed_figure_is_not_sourced_by_the_same_figure_elsewhere() -> None:
    src = _doc(
        "Crude stockpiles fell 1m barrels to 294m last week, the energy agency said. "
        "Separately, the company cut 4 jobs at its plant.",
        "energy.txt",
    )
    draft = _doc("Crude stockpiles fell 4m barrels to 294m last week.", "draft.txt")
    (s,) = check_documents(draft, [src]).sentences
    assert s.label == "contradicted", s.reasons


def test_two_sentences_of_one_article_support_a_claim_neither_states_alone() -> None:
    src = _doc(
        "The Velda Trust bought the old mill at Hanning in 2019. "
        "It reopened the building as a museum of weaving in May.",
        "trust.txt",
    )
    draft = _doc(
        "The Velda Trust reopened the old mill at Hanning as a museum of weaving in May.",
        "draft.txt",
    )
    (s,) = check_documents(draft, [src]).sentences
    assert s.label == "supported", s.reasons


def test_a_year_in_a_date_is_not_a_figure_another_number_could_contradict() -> None:
    src = _doc(
        "Two of the league's top 135-pound fighters, Ama Rell and Dita Vosk, will meet in a "
        "five-round title bout at the Corran Arena on April 9.",
        "bout.txt",
    )
    draft = _doc(
        "Ama Rell and Dita Vosk will meet in a five-round title bout at the Corran Arena on "
        "April 9, 2011.",
        "draft.txt",
    )
    (s,) = check_documents(draft, [src]).sentences
    # The year is what the sources do not give; "135-pound" does not contradict it.
    assert s.label == "partly-supported", s.reasons
    assert any("2011" in r for r in s.reasons), s.reasons
    assert not any("135" in r for r in s.reasons), s.reasons


def test_a_figure_written_beside_its_noun_in_a_name_is_sourced() -> None:
    src = _doc(
        "In the Council Position 8 race, Mara Lind won 62 percent of the vote in Tuesday's count.",
        "race.txt",
    )
    draft = _doc("Mara Lind was elected to represent the at-large position 8.", "draft.txt")
    (s,) = check_documents(draft, [src]).sentences
    number_parts = [p for c in s.claims for p in c.parts if p.kind == "number"]
    assert number_parts and all(p.status == "sourced" for p in number_parts), number_parts
    # The same figure elsewhere, away from its noun, does not source it.
    other = _doc("Mara Lind won 62 percent of the vote; 8 candidates stood.", "other.txt")
    draft9 = _doc("Mara Lind was elected to represent the at-large position 9.", "draft9.txt")
    (s9,) = check_documents(draft9, [other]).sentences
    assert any("9" in r for r in s9.reasons), s9.reasons
    # Nor does a figure beside another noun: "8 candidates" is not "8 rivals".
    rivals = _doc("Mara Lind beat 8 rivals in the race.", "rivals.txt")
    (s8,) = check_documents(rivals, [other]).sentences
    assert "no source mentions 8 rivals" in s8.reasons, s8.reasons


def test_an_unsupported_statement_built_from_sourced_details_says_so() -> None:
    src = _doc(
        "The Harlow Council met in Tamsford on June 3, 2026 for its first session.", "src.txt"
    )
    draft = _doc(
        "Since June 3, 2026, the Harlow Council has treated Tamsford as its main concern.",
        "draft.txt",
    )
    (s,) = check_documents(draft, [src]).sentences
    assert s.label == "unsupported", s.reasons
    (note,) = s.reasons
    assert note.startswith("no source states this; only its details are")
    assert "'Tamsford'" in note and "'June 3, 2026'" in note
    # An ordinal read with its noun is named once: "first priority", not "first priority
    # priority".
    ordinal = _doc("The Harlow Council sees Tamsford as its first priority.", "ordinal.txt")
    (s2,) = check_documents(ordinal, [src]).sentences
    assert "no source says first priority" in s2.reasons, s2.reasons


def test_a_hyphenated_name_is_sourced_by_its_spaced_form() -> None:
    src = _doc(
        "The museum tells the story of Cape Verdean Americans in the whaling trade.", "m.txt"
    )
    draft = _doc("The museum tells the story of Cape-Verdean Americans in whaling.", "d.txt")
    (s,) = check_documents(draft, [src]).sentences
    names = [p for c in s.claims for p in c.parts if p.kind in ("name", "place")]
    assert names and all(p.status == "sourced" for p in names), names


def test_a_changed_year_is_not_sourced_by_the_same_year_in_another_article() -> None:
    jobs = _doc(
        "The Labour Office said it had revised down the job gains of December 2004, from 157,000 "
        "to 133,000.",
        "jobs.txt",
    )
    other = _doc("The central bank expects growth in Harlow to slow in 2007.", "bank.txt")
    draft = _doc(
        "The Labour Office said it had revised down the job gains of December 2007, from 157,000 "
        "to 133,000.",
        "draft.txt",
    )
    (s,) = check_documents(draft, [jobs, other]).sentences
    assert s.label == "contradicted", s.reasons
    assert any("2004" in r and "2007" in r for r in s.reasons), s.reasons
