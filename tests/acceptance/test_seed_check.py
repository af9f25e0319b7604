"""Seed acceptance for the draft check: 001 (a padded AI draft) against 000 (the careful
brief), alone and with 002 (another "inaugural" event) beside it. Reads ../shared/seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from factdesk import desk
from factdesk.check import CheckReport, SentenceCheck

pytestmark = pytest.mark.shared


def _seed(shared_dir: Path, prefix: str) -> str:
    (path,) = (shared_dir / "seeds").glob(f"{prefix}_*.txt")
    return str(path)


@pytest.fixture(scope="module", params=[("000",), ("000", "002")], ids=["000", "000+002"])
def report(request: pytest.FixtureRequest, shared_dir: Path) -> CheckReport:
    against = [_seed(shared_dir, p) for p in request.param]
    return desk.check(None, _seed(shared_dir, "001"), against)


def _sentence(report: CheckReport, fragment: str) -> SentenceCheck:
    found = [s for s in report.sentences if fragment in s.text]
    assert found, fragment
    return found[0]


def test_the_meeting_in_kyiv_is_supported_and_only_the_year_and_weekday_are_not(
    report: CheckReport,
) -> None:
    s = _sentence(report, "gather in Kyiv")
    statement = [p for c in s.claims for p in c.parts if p.kind == "statement"]
    assert statement and statement[0].status == "sourced"
    assert all(ev.doc_id == report.sources[0].id for ev in s.evidence if ev.relation == "supports")
    assert any("NATO said" in ev.text for ev in s.evidence)
    open_parts = [p for c in s.claims for p in c.parts if p.status != "sourced"]
    assert [p.kind for p in open_parts] == ["date"]
    assert "2026" in open_parts[0].note and "Wednesday" in open_parts[0].note
    assert s.label == "partly-supported"


def test_alliance_size_and_founding_year_are_unsupported(report: CheckReport) -> None:
    size = _sentence(report, "32-member")
    assert size.label == "unsupported"
    assert "no source mentions 32 members" in size.reasons
    founded = _sentence(report, "founded in 1949")
    assert founded.label == "unsupported"
    assert "no source mentions 1949" in founded.reasons


def test_framing_is_not_checkable(report: CheckReport) -> None:
    for fragment in (
        "This historic assembly serves",
        "signifies a departure",
        "highlights the critical",
    ):
        assert _sentence(report, fragment).label == "not-checkable"


def test_the_invented_attribution_to_nato_reports_is_caught(report: CheckReport) -> None:
    s = _sentence(report, "According to official NATO reports")
    assert s.label == "unsupported"
    assert any("attribution-invented" in c.failures for c in s.claims)


def test_the_unconfirmed_air_defense_deliveries_are_an_omitted_caveat(report: CheckReport) -> None:
    assert any(o.kind == "unconfirmed" and "deliveries" in o.text for o in report.omissions), [
        o.text for o in report.omissions
    ]
    assert report.exit_code == 1


def test_the_other_inaugural_event_supports_nothing(shared_dir: Path) -> None:
    against = [_seed(shared_dir, "000"), _seed(shared_dir, "002")]
    report = desk.check(None, _seed(shared_dir, "001"), against)
    other = next(d.id for d in report.sources if "NATO-Ukraine" not in d.text)
    for s in report.sentences:
        assert not any(ev.doc_id == other and ev.relation == "supports" for ev in s.evidence), (
            s.text
        )
