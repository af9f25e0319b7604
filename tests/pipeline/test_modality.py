"""Modality per clause: markers read from the clause, negation scoped to its head."""

from __future__ import annotations

import pytest

from factdesk.pipeline.modality import ORDER, classify


def _classify(nlp, text: str, **kw):  # type: ignore[no-untyped-def]
    return classify(list(nlp(text)), **kw)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The port reopened on Monday.", "asserted"),
        ("The figures could not be independently verified.", "not-confirmed"),
        ("New deliveries had not been publicly confirmed by Friday.", "not-confirmed"),
        ("The report does not establish that the ferry was overloaded.", "not-confirmed"),
        ("The claim remains unconfirmed.", "not-confirmed"),
        ("The mayor reportedly resigned after the vote.", "hedged"),
        ("The bridge may reopen next month.", "hedged"),
        ("The minister is expected to visit the dam.", "hedged"),
        ("Talks are likely to stall.", "hedged"),
        ("The council will meet on Friday.", "future"),
        ("The envoy is set to arrive in Havelstad.", "future"),
        ("A vote on the budget is on the agenda.", "future"),
        ("Unions called for an inquiry into the collapse.", "call"),
        ("The governor urged residents to leave the valley.", "call"),
        ("Residents must leave the valley by noon.", "call"),
        ("The company denied that its engineers had been warned.", "denied"),
        ("Reports of a second breach are false.", "denied"),
    ],
)
def test_classify_markers(nlp, text: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert _classify(nlp, text).modality == expected


def test_classify_attributed_plain_clause_is_reported(nlp) -> None:  # type: ignore[no-untyped-def]
    result = _classify(nlp, "Police said the road was closed.", cue_lemma="say", attributed=True)
    assert result.modality == "reported"


def test_classify_deny_cue_gives_denied(nlp) -> None:  # type: ignore[no-untyped-def]
    result = _classify(
        nlp, "The ministry rejected the account.", cue_lemma="reject", attributed=True
    )
    assert result.modality == "denied"


def test_classify_month_may_is_not_a_hedge(nlp) -> None:  # type: ignore[no-untyped-def]
    assert _classify(nlp, "May told reporters the dam held.").modality == "asserted"


def test_classify_political_will_is_not_future(nlp) -> None:  # type: ignore[no-untyped-def]
    assert (
        _classify(nlp, "The delay reflects a lack of political will in the capital.").modality
        == "asserted"
    )


def test_classify_negation_scoped_to_clause_head(nlp) -> None:  # type: ignore[no-untyped-def]
    # The "not" belongs to the relative clause, not to the main claim.
    result = _classify(nlp, "Engineers inspected the gate that had not been repaired.")
    assert result.negated is False
    assert _classify(nlp, "Engineers did not inspect the gate.").negated is True


def test_classify_order_is_total() -> None:
    assert len(ORDER) == len(set(ORDER)) == 7


def test_classify_reasons_name_the_marker(nlp) -> None:  # type: ignore[no-untyped-def]
    result = _classify(nlp, "The toll could not be independently verified.")
    assert any("not confirmed" in r for r in result.reasons)
