"""Seed acceptance checks: the analysis is right on the project's seed documents in ../shared.

These read ../shared/seeds (never copied into the repository). They run with --shared and in
CI (FACTDESK_REQUIRE_SHARED=1, where a missing ../shared fails them).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from factdesk.ingest import ReadFailure, read_inputs
from factdesk.pipeline.runner import analyze
from factdesk.records import Claim, Document

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def seeds(shared_dir: Path) -> dict[str, Document]:
    paths = sorted(str(p) for p in (shared_dir / "seeds").glob("*.txt"))
    raws = [r for r in read_inputs(paths) if not isinstance(r, ReadFailure)]
    assert len(raws) == 3
    docs = list(analyze(raws))
    return {Path(d.source).name[:3]: d for d in docs}


def _claim(doc: Document, fragment: str) -> Claim:
    found = [c for c in doc.claims if fragment in c.text]
    assert found, f"no claim contains {fragment!r}"
    return found[0]


def test_seed_002_relayed_report_traces_through_tass_to_the_ministry(seeds) -> None:  # type: ignore[no-untyped-def]
    claim = _claim(seeds["002"], "confirm his attendance")
    assert claim.speaker is not None and "press service" in claim.speaker
    assert any("TASS" in v for v in claim.via)
    assert claim.modality == "reported"


def test_seed_002_dates_without_publication_date_have_unknown_year(seeds) -> None:  # type: ignore[no-untyped-def]
    doc = seeds["002"]
    assert doc.published is None
    ranges = [d for d in doc.dates if "27" in d.text and "29" in d.text]
    assert ranges and ranges[0].value == "XXXX-11-27/XXXX-11-29"
    assert ranges[0].ambiguous
    nov24 = [d for d in doc.dates if "November 24" in d.text]
    assert nov24 and nov24[0].value == "XXXX-11-24" and nov24[0].ambiguous


def test_seed_002_attendance_is_future(seeds) -> None:  # type: ignore[no-untyped-def]
    claim = _claim(seeds["002"], "set to participate")
    assert claim.modality == "future"


def test_seed_000_deliveries_are_explicitly_unconfirmed(seeds) -> None:  # type: ignore[no-untyped-def]
    claim = _claim(seeds["000"], "deliveries had not been publicly confirmed")
    assert claim.modality == "not-confirmed"
    # ... while the first clause of the same sentence stays NATO's confirmation.
    first = _claim(seeds["000"], "NATO confirmed the Kyiv meeting")
    assert first.modality in ("reported", "asserted")
    assert first.id != claim.id


def test_seed_000_casualties_are_reported_by_one_outlet(seeds) -> None:  # type: ignore[no-untyped-def]
    claim = _claim(seeds["000"], "killed more than 20 people")
    assert claim.speaker == "The Kyiv Independent"
    assert claim.modality == "reported"
    killed = [q for q in claim.quantities if q.text.startswith("more than 20")]
    assert killed and killed[0].low == 21 and killed[0].high is None
    injured = [q for q in claim.quantities if "100" in q.text]
    assert injured and injured[0].low == 101


def test_seed_000_foreign_minister_call(seeds) -> None:  # type: ignore[no-untyped-def]
    claim = _claim(seeds["000"], "called for Europe to use the European Peace Facility")
    assert claim.modality == "call"
    assert claim.speaker is not None and "foreign minister" in claim.speaker


def test_seed_000_nato_statement_is_attributed(seeds) -> None:  # type: ignore[no-untyped-def]
    claim = _claim(seeds["000"], "NATO said the secretary general")
    assert claim.speaker_key == "nato"
    assert [d.value for d in claim.dates] == ["XXXX-06-03"]


def test_seed_001_weekday_date_is_consistent(seeds) -> None:  # type: ignore[no-untyped-def]
    dates = [d for d in seeds["001"].dates if "June 3, 2026" in d.text]
    assert dates and dates[0].value == "2026-06-03" and dates[0].weekday_ok is True


def test_seed_001_framing_is_not_checkable(seeds) -> None:  # type: ignore[no-untyped-def]
    assert not _claim(seeds["001"], "This historic assembly serves").checkable
    assert not _claim(seeds["001"], "We invite our readers").checkable


def test_seed_001_invented_attribution_is_a_checkable_claim_of_nato(seeds) -> None:  # type: ignore[no-untyped-def]
    claim = _claim(seeds["001"], "According to official NATO reports")
    assert claim.checkable
    assert claim.speaker is not None and "NATO" in claim.speaker


def test_seed_001_alliance_size_and_founding_year_are_found(seeds) -> None:  # type: ignore[no-untyped-def]
    doc = seeds["001"]
    assert any(q.value == 32 for q in doc.quantities)
    assert any(d.value == "1949" for d in doc.dates)


def test_seed_spans_round_trip(seeds) -> None:  # type: ignore[no-untyped-def]
    for doc in seeds.values():
        for c in doc.claims:
            assert doc.text[c.span[0] : c.span[1]] == c.text
            for d in c.dates:
                assert doc.text[d.span[0] : d.span[1]] == d.text
            for q in c.quantities:
                assert doc.text[q.span[0] : q.span[1]] == q.text
        for a in doc.attributions:
            for span in (a.speaker_span, a.cue_span, a.content_span):
                assert span is None or 0 <= span[0] < span[1] <= len(doc.text)
