"""Claims: clause splitting, attribution attachment, checkability; spans round-trip."""

from __future__ import annotations

from factdesk.pipeline.claims import extract_claims
from factdesk.records import Attribution, Sentence


def _sentences(doc):  # type: ignore[no-untyped-def]
    out = []
    for s in doc.sents:
        text = s.text.strip()
        if text:
            start = s.start_char + (len(s.text) - len(s.text.lstrip()))
            out.append(Sentence(index=len(out), span=(start, start + len(text)), text=text))
    return tuple(out)


def _claims(nlp, text: str, attributions=(), publisher=None):  # type: ignore[no-untyped-def]
    doc = nlp(text)
    return doc, extract_claims(
        doc,
        doc_id="d1",
        sentences=_sentences(doc),
        attributions=attributions,
        publisher=publisher,
    )


def test_extract_claims_splits_coordinated_clauses_with_own_subject(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The agency confirmed the evacuation, but new shelters had not been confirmed."
    doc, claims = _claims(nlp, text)
    assert [c.text for c in claims] == [
        "The agency confirmed the evacuation",
        "new shelters had not been confirmed.",
    ]
    assert claims[1].modality == "not-confirmed"
    assert claims[0].modality == "asserted"


def test_extract_claims_spans_round_trip(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Headline Here\n- Rescuers found 12 people on Tuesday.\nThe dam, built in 1961, failed."
    doc, claims = _claims(nlp, text)
    assert claims
    for c in claims:
        assert text[c.span[0] : c.span[1]] == c.text
        assert not c.text.startswith("-")


def test_extract_claims_attribution_sets_speaker_via_and_outlet(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The wire service, citing the ministry, said the port was closed."
    start = text.index("the port")
    attribution = Attribution(
        speaker="the ministry",
        speaker_key="ministry",
        speaker_span=(text.index("the ministry"), text.index("the ministry") + 12),
        cue="said",
        cue_span=(text.index("said"), text.index("said") + 4),
        content_span=(start, len(text) - 1),
        via=("The wire service",),
    )
    _, claims = _claims(nlp, text, attributions=(attribution,), publisher="Daily Example")
    (claim,) = claims
    assert claim.speaker == "the ministry"
    assert claim.via == ("The wire service", "Daily Example")
    assert claim.modality == "reported"
    assert claim.checkable


def test_extract_claims_framing_is_not_checkable(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "This historic gathering serves as a clear indicator of a deepening resolve."
    _, (claim,) = _claims(nlp, text)
    assert not claim.checkable
    assert claim.reasons


def test_extract_claims_heading_is_not_checkable(nlp) -> None:  # type: ignore[no-untyped-def]
    _, claims = _claims(nlp, "What Changed in Havelstad\nThe gate failed at 3 a.m.")
    assert claims[0].checkable is False


def test_extract_claims_reader_address_is_not_checkable(nlp) -> None:  # type: ignore[no-untyped-def]
    _, (claim,) = _claims(nlp, "We invite our readers to share their views on Havelstad below.")
    assert not claim.checkable


def test_extract_claims_ids_are_stable(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Rescuers found 12 people on Tuesday."
    _, a = _claims(nlp, text)
    _, b = _claims(nlp, text)
    assert [c.id for c in a] == [c.id for c in b]


def test_extract_claims_dateline_is_not_part_of_the_claim(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "HAVELSTAD, Estmark, March 12 (NPA) — Two gates failed on Wednesday."
    _, (claim,) = _claims(nlp, text)
    assert claim.text == "Two gates failed on Wednesday."


def test_extract_claims_inverted_frame_stays_with_its_content(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "About 300 workers walked off the job, and the union secretary told reporters."
    cue_at = text.index("told reporters")
    attribution = Attribution(
        speaker="the union secretary",
        speaker_key="union secretary",
        speaker_span=(text.index("the union"), cue_at - 1),
        cue="told reporters",
        cue_span=(cue_at, cue_at + len("told reporters")),
        content_span=(0, text.index(", and")),
    )
    _, claims = _claims(nlp, text, attributions=(attribution,))
    assert len(claims) == 1
    assert claims[0].speaker == "the union secretary"
