"""compare_story: copies, alignment, origins, conflicts and status.

The unit tests build documents by hand (no spaCy); the story tests run the real pipeline once
per module on the bundled example story, tests/data/stories and (with --shared) the seeds.
"""

from __future__ import annotations

import random
import re
import string
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from factdesk.compare import _candidates, _prepare, compare_story, find_copies
from factdesk.records import (
    Attribution,
    Claim,
    DateMention,
    Document,
    Entity,
    Finding,
    Quantity,
    StoryFindings,
)

STORIES = Path(__file__).parent / "data" / "stories"
T0 = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)

# --- building documents by hand -------------------------------------------------------------


def _at(text: str, fragment: str, start: int = 0) -> tuple[int, int]:
    i = text.index(fragment, start)
    return i, i + len(fragment)


def _doc(
    doc_id: str,
    text: str,
    claims: Sequence[dict[str, Any]],
    *,
    publisher: str | None = None,
    published: datetime | None = T0,
) -> Document:
    """A document whose claims are given as fragments of ``text`` with their layers."""
    built = []
    attributions = []
    for n, spec in enumerate(claims):
        span = _at(text, spec["text"])
        s = span[0]

        def sub(fragment: str, s: int = s) -> tuple[int, int]:
            return _at(text, fragment, s)

        speaker = spec.get("speaker")
        if speaker:
            content = sub(spec.get("content", spec["text"]))
            cue = sub(spec["cue"]) if spec.get("cue") else None
            attributions.append(
                Attribution(
                    speaker=speaker,
                    speaker_key=spec.get("speaker_key", speaker.lower()),
                    speaker_span=sub(speaker),
                    cue=spec.get("cue"),
                    cue_span=cue,
                    content_span=content,
                    via=tuple(spec.get("via", ())),
                    via_spans=tuple(sub(v) for v in spec.get("via", ())),
                )
            )
        built.append(
            Claim(
                id=f"{doc_id}-c{n}",
                doc_id=doc_id,
                span=span,
                text=text[span[0] : span[1]],
                sentence_index=spec.get("sentence", n),
                checkable=spec.get("checkable", True),
                modality=spec.get("modality", "reported" if speaker else "asserted"),
                speaker=speaker,
                speaker_key=spec.get("speaker_key", speaker.lower() if speaker else None),
                cue=spec.get("cue"),
                via=tuple(spec.get("via", ())) + ((publisher,) if speaker and publisher else ()),
                negated=spec.get("negated", False),
                entities=tuple(
                    Entity(span=sub(t), text=t, label=label, key=key)
                    for t, label, key in spec.get("entities", ())
                ),
                quantities=tuple(
                    Quantity(
                        span=sub(t),
                        text=t,
                        value=lo if lo == hi else None,
                        low=lo,
                        high=hi,
                        unit=unit,
                        kind=kind,
                    )
                    for t, lo, hi, unit, kind in spec.get("quantities", ())
                ),
                dates=tuple(
                    DateMention(span=sub(t), text=t, value=value, ambiguous="XXXX" in value)
                    for t, value in spec.get("dates", ())
                ),
                reasons=tuple(spec.get("reasons", ())),
            )
        )
    return Document(
        id=doc_id,
        text=text,
        source=f"{doc_id}.txt",
        publisher=publisher,
        published=published,
        attributions=tuple(attributions),
        claims=tuple(built),
    )


def _finding(result: StoryFindings, fragment: str, docs: Any = ()) -> Finding:
    """The finding holding the claim that contains ``fragment`` (searched in ``docs`` when
    given, else in the findings' citations)."""
    ids = {c.id for d in docs for c in d.claims if fragment in c.text} or {
        c.claim_id
        for f in result.findings
        for c in (*f.supporting, *f.contradicting, f.representative)
        if fragment in c.text
    }
    found = [f for f in result.findings if ids & set(f.claim_ids)]
    assert found, f"no finding holds a claim with {fragment!r}"
    # A claim that says more also supports other groups: prefer the finding it represents,
    # then one where it is on a side of a conflict.
    found.sort(
        key=lambda f: (
            f.representative.claim_id not in ids,
            not any(c.claim_id in ids for k in f.conflicts for side in k.sides for c in side),
        )
    )
    return found[0]


def _supporting_docs(f: Finding) -> set[str]:
    return {c.doc_id for c in f.supporting}


def _all_citations(result: StoryFindings):  # type: ignore[no-untyped-def]
    for f in result.findings:
        yield f.representative
        yield from f.supporting
        yield from f.contradicting
        yield from f.caveats
        for c in f.conflicts:
            for side in c.sides:
                yield from side


KILLED_15 = "Fifteen people were killed when the dam wall at Brannock gave way before dawn"
KILLED_21 = "At least 21 people died after the Brannock dam wall collapsed"


def _toll(doc_id: str, sentence: str, low: int, high: int | None, qty: str, **kw: Any) -> Document:
    return _doc(
        doc_id,
        sentence + ", officials said.",
        [
            {
                "text": sentence + ", officials said.",
                "content": sentence,
                "speaker": "officials",
                "cue": "said",
                "entities": [("Brannock", "GPE", "brannock")],
                "quantities": [(qty, low, high, "person", "count")],
            }
        ],
        **kw,
    )


# --- copies and origins -----------------------------------------------------------------------

WIRE = (
    "HAVELSTAD (NPA) — Havelstad General Hospital treated 43 people for injuries and "
    "hypothermia, according to a hospital spokeswoman. The river rose again overnight and "
    "rescue crews searched the flooded streets of Millbank until dawn. Schools in the valley "
    "stayed closed and the regional rail line remained shut between Havelstad and Kirrin."
)


def _hospital(doc_id: str, text: str, publisher: str, minutes: int) -> Document:
    sentence = (
        "Havelstad General Hospital treated 43 people for injuries and hypothermia, "
        "according to a hospital spokeswoman."
    )
    return _doc(
        doc_id,
        text,
        [
            {
                "text": sentence,
                "content": "Havelstad General Hospital treated 43 people for injuries and "
                "hypothermia",
                "speaker": "a hospital spokeswoman",
                "speaker_key": "hospital spokeswoman",
                "cue": "according to",
                "entities": [("Havelstad General Hospital", "ORG", "havelstad general hospital")],
                "quantities": [("43 people", 43, 43, "person", "count")],
            }
        ],
        publisher=publisher,
        published=T0 + timedelta(minutes=minutes),
    )


def test_compare_story_copy_does_not_corroborate_its_original() -> None:
    original = _hospital(
        "wire", WIRE.replace("HAVELSTAD (NPA) — ", ""), "Northwind Press Agency", 0
    )
    copy = _hospital("ledger", WIRE, "The Havelstad Ledger", 90)
    result = compare_story([copy, original], story_id="s")
    assert [(c.doc_id, c.copy_of) for c in result.copies] == [("ledger", "wire")]
    assert "near-duplicate" in result.copies[0].reason
    f = _finding(result, "treated 43 people")
    assert _supporting_docs(f) == {"wire", "ledger"}
    assert len(f.origins) == 1
    assert f.status == "single-source"
    assert f.who.startswith("reported by Northwind Press Agency")


def test_find_copies_matches_compare_story() -> None:
    original = _hospital(
        "wire", WIRE.replace("HAVELSTAD (NPA) — ", ""), "Northwind Press Agency", 0
    )
    copy = _hospital("ledger", WIRE, "The Havelstad Ledger", 90)
    assert find_copies([copy, original]) == compare_story([original, copy], story_id="s").copies


def test_compare_story_wire_credit_alone_makes_a_copy() -> None:
    original = _hospital(
        "wire", WIRE.replace("HAVELSTAD (NPA) — ", ""), "Northwind Press Agency", 0
    )
    rewritten = (
        "HAVELSTAD (NPA) — Havelstad General Hospital treated 43 people for injuries and "
        "hypothermia, according to a hospital spokeswoman. Schools stay shut on Friday."
    )
    copy = _hospital("gazette", rewritten, "Valley Gazette", 30)
    result = compare_story([original, copy], story_id="s")
    assert [(c.doc_id, c.copy_of) for c in result.copies] == [("gazette", "wire")]
    assert "wire credit 'NPA'" in result.copies[0].reason
    assert dict(result.document_origins)["gazette"] == "northwind press agency"


def test_compare_story_ten_outlets_running_one_wire_story_are_one_origin() -> None:
    docs = [_hospital(f"outlet{i}", WIRE + f" ({i})", f"Outlet {i}", 10 * i) for i in range(10)]
    result = compare_story(docs, story_id="s")
    assert len(result.copies) == 9
    assert {c.copy_of for c in result.copies} == {"outlet0"}
    f = _finding(result, "treated 43 people")
    assert len(f.supporting) == 10
    assert len(f.origins) == 1
    assert f.status == "single-source"


def test_compare_story_large_story_finds_copies_with_minhash() -> None:
    """Above EXACT_COPY_LIMIT documents, MinHash LSH proposes the pairs (same result)."""
    copies = [_hospital(f"copy{i}", WIRE + f" ({i})", f"Outlet {i}", i) for i in range(40)]
    others = [
        _doc(
            f"other{i}",
            f"Unrelated report number {i} about "
            + " ".join(random.Random(i).sample(string.ascii_lowercase, 20)),
            [],
            publisher=f"Other {i}",
        )
        for i in range(30)
    ]
    result = compare_story(copies + others, story_id="s")
    assert {c.copy_of for c in result.copies} == {"copy0"}
    assert len(result.copies) == 39


def test_compare_story_relayed_claim_takes_the_origin_at_the_end_of_the_via_chain() -> None:
    text = (
        "Reports from the Russian news agency TASS, citing the foreign ministry press service, "
        "confirm his attendance at the Brussels talks."
    )
    doc = _doc(
        "d",
        text,
        [
            {
                "text": text,
                "content": "confirm his attendance at the Brussels talks",
                "speaker": "the foreign ministry press service",
                "speaker_key": "foreign ministry press service",
                "via": ["the Russian news agency TASS"],
                "cue": "confirm",
                "entities": [("Brussels", "GPE", "brussels")],
            }
        ],
        publisher=None,
    )
    f = compare_story([doc], story_id="s").findings[0]
    assert f.origins == ("foreign ministry press service",)
    assert "TASS, citing the foreign ministry press service" in f.who


# --- numbers, dates, ordinals, polarity -------------------------------------------------------


def test_compare_story_non_overlapping_numbers_are_contested() -> None:
    a = _toll("a", KILLED_15, 15, 15, "Fifteen people", publisher="Wire A")
    b = _toll("b", KILLED_21, 21, None, "At least 21 people", publisher="Paper B")
    result = compare_story([a, b], story_id="s")
    assert len(result.findings) == 1
    f = result.findings[0]
    assert f.status == "contested"
    (conflict,) = f.conflicts
    assert conflict.slot == "number"
    assert set(conflict.values) == {"Fifteen people", "At least 21 people"}
    assert {c.doc_id for side in conflict.sides for c in side} == {"a", "b"}
    assert " vs " in f.who


@pytest.mark.parametrize(
    ("qty_a", "bounds_a", "qty_b", "bounds_b"),
    [
        ("About 50 people", (45, 55), "48 people", (48, 48)),
        ("More than 20 people", (21, None), "At least 21 people", (21, None)),
    ],
)
def test_compare_story_overlapping_numbers_corroborate(
    qty_a: str, bounds_a: tuple[int, int | None], qty_b: str, bounds_b: tuple[int, int | None]
) -> None:
    sa = f"{qty_a} were evacuated from Millbank on Tuesday"
    sb = f"{qty_b} were evacuated from Millbank on Tuesday"

    def make(doc_id: str, sentence: str, qty: str, lo: int, hi: int | None, pub: str) -> Document:
        return _doc(
            doc_id,
            sentence + ".",
            [
                {
                    "text": sentence + ".",
                    "entities": [("Millbank", "GPE", "millbank")],
                    "quantities": [(qty, lo, hi, "person", "count")],
                }
            ],
            publisher=pub,
        )

    result = compare_story(
        [make("a", sa, qty_a, *bounds_a, "Wire A"), make("b", sb, qty_b, *bounds_b, "Paper B")],
        story_id="s",
    )
    (f,) = result.findings
    assert f.status == "corroborated"
    assert not f.conflicts
    assert f.who == "corroborated by Wire A and Paper B"


def _talks(doc_id: str, day: str, value: str, publisher: str, **kw: Any) -> Document:
    text = f"Talks between the union and the port authority will resume on {day} under a mediator."
    return _doc(
        doc_id,
        text,
        [
            {
                "text": text,
                "modality": "future",
                "dates": [(day, value)],
            }
        ],
        publisher=publisher,
        **kw,
    )


def test_compare_story_different_dates_for_one_event_are_contested() -> None:
    result = compare_story(
        [
            _talks("a", "May 12", "2026-05-12", "Wire A"),
            _talks("b", "May 14", "2026-05-14", "Port"),
        ],
        story_id="s",
    )
    (f,) = result.findings
    assert f.status == "contested"
    assert [c.slot for c in f.conflicts] == ["date"]
    assert set(f.conflicts[0].values) == {"May 12", "May 14"}


def test_compare_story_yearless_date_takes_its_year_from_a_story_mate() -> None:
    a = _talks("a", "May 12, 2026", "2026-05-12", "Wire A")
    b = _talks("b", "May 12", "XXXX-05-12", "Union", published=None)
    result = compare_story([a, b], story_id="s")
    (f,) = result.findings
    assert f.status == "corroborated"
    provenance = [r for r in f.reasons if "taken from" in r]
    assert provenance and "'May 12'" in provenance[0] and "'May 12, 2026'" in provenance[0]
    assert "2026-05-12" in provenance[0] and "a" in provenance[0]


def test_compare_story_yearless_date_conflict_records_where_the_year_came_from() -> None:
    a = _talks("a", "May 12, 2026", "2026-05-12", "Wire A")
    b = _talks("b", "May 14", "XXXX-05-14", "Union", published=None)
    mate = _doc(
        "c",
        "The strike began on May 14, 2026.",
        [{"text": "The strike began on May 14, 2026.", "dates": [("May 14, 2026", "2026-05-14")]}],
        publisher="Paper C",
    )
    result = compare_story([a, b, mate], story_id="s")
    f = _finding(result, "resume on May 12")
    assert f.status == "contested"
    (conflict,) = f.conflicts
    assert conflict.slot == "date"
    assert conflict.note is not None and "taken from 'May 14, 2026'" in conflict.note


def _first(doc_id: str, sentence: str, ordinal: str, value: int, publisher: str) -> Document:
    return _doc(
        doc_id,
        sentence,
        [
            {
                "text": sentence,
                "entities": [("NATO-Ukraine Council", "ORG", "nato-ukraine council")],
                "quantities": [(ordinal, value, value, "meeting", "ordinal")],
            }
        ],
        publisher=publisher,
    )


@pytest.mark.parametrize(
    ("a", "b", "conflict"),
    [
        (
            ("The alliance held the first NATO-Ukraine Council meeting held in Kyiv.", "first", 1),
            (
                "The alliance held the first NATO-Ukraine Council meeting at foreign-minister "
                "level.",
                "first",
                1,
            ),
            False,
        ),
        (
            ("The alliance held the first NATO-Ukraine Council meeting held in Kyiv.", "first", 1),
            (
                "The alliance held the second NATO-Ukraine Council meeting at foreign-minister "
                "level.",
                "second",
                2,
            ),
            False,
        ),
        (
            ("The alliance held the first NATO-Ukraine Council meeting held in Kyiv.", "first", 1),
            (
                "The alliance held the second NATO-Ukraine Council meeting held in Kyiv.",
                "second",
                2,
            ),
            True,
        ),
    ],
)
def test_compare_story_ordinals_conflict_only_with_the_same_qualifiers(
    a: tuple[str, str, int], b: tuple[str, str, int], conflict: bool
) -> None:
    result = compare_story([_first("a", *a, "Wire A"), _first("b", *b, "Paper B")], story_id="s")
    slots = [c.slot for f in result.findings for c in f.conflicts]
    assert ("ordinal" in slots) is conflict


def test_compare_story_different_places_for_one_event_are_contested() -> None:
    sa = "The Amber Coast summit opened in Caldmoor on Tuesday with fisheries ministers."
    sb = "The Amber Coast summit opened in Port Adley on Tuesday with fisheries ministers."
    a = _doc(
        "a",
        sa,
        [
            {
                "text": sa,
                "entities": [
                    ("Amber Coast", "LOC", "amber coast"),
                    ("Caldmoor", "GPE", "caldmoor"),
                ],
                "dates": [("Tuesday", "2025-10-21")],
            }
        ],
        publisher="Wire A",
    )
    b = _doc(
        "b",
        sb,
        [
            {
                "text": sb,
                "entities": [
                    ("Amber Coast", "LOC", "amber coast"),
                    ("Port Adley", "GPE", "port adley"),
                ],
                "dates": [("Tuesday", "2025-10-21")],
            }
        ],
        publisher="Paper B",
    )
    (f,) = compare_story([a, b], story_id="s").findings
    assert f.status == "contested"
    assert [c.slot for c in f.conflicts] == ["place"]
    assert set(f.conflicts[0].values) == {"Caldmoor", "Port Adley"}


def test_compare_story_different_actors_for_one_event_are_contested() -> None:
    sa = "Havelstad police evacuated the Millbank district on Tuesday night."
    sb = "The Estmark army evacuated the Millbank district on Tuesday night."
    millbank = ("Millbank", "GPE", "millbank")
    a = _doc(
        "a",
        sa,
        [{"text": sa, "entities": [("Havelstad police", "ORG", "havelstad police"), millbank]}],
        publisher="Wire A",
    )
    b = _doc(
        "b",
        sb,
        [{"text": sb, "entities": [("Estmark army", "ORG", "estmark army"), millbank]}],
        publisher="Paper B",
    )
    (f,) = compare_story([a, b], story_id="s").findings
    assert f.status == "contested"
    assert [c.slot for c in f.conflicts] == ["actor"]


def test_compare_story_denial_against_a_statement_is_contested() -> None:
    said = "The port authority walked out of talks on April 28"
    union = _doc(
        "union",
        f'"{said}," Feld said.',
        [
            {
                "text": f'"{said}," Feld said.',
                "content": said,
                "speaker": "Feld",
                "cue": "said",
                "dates": [("April 28", "2026-04-28")],
            }
        ],
        publisher="Meridian Wire",
    )
    denial_text = "The port authority denies that it walked out of negotiations."
    port = _doc(
        "port",
        denial_text,
        [
            {
                "text": denial_text,
                "content": "that it walked out of negotiations",
                "speaker": "The port authority",
                "speaker_key": "port authority",
                "cue": "denies",
                "modality": "denied",
            }
        ],
        publisher="Saltmere Port Authority",
    )
    (f,) = compare_story([union, port], story_id="s").findings
    assert f.status == "contested"
    assert f.conflicts[0].slot == "polarity"
    assert "denied by The port authority" in f.who


def test_compare_story_vectors_never_make_opposite_moves_the_same() -> None:
    """MiniLM scores these 0.84; numbers and the contrary verbs decide."""
    raised = "The central bank raised rates by half a point on Thursday."
    cut = "The central bank cut rates by a quarter point on Thursday."
    a = _doc(
        "a",
        raised,
        [
            {
                "text": raised,
                "quantities": [("half a point", 0.5, 0.5, "point", "measure")],
                "dates": [("Thursday", "2026-05-07")],
            }
        ],
        publisher="Wire A",
    )
    b = _doc(
        "b",
        cut,
        [
            {
                "text": cut,
                "quantities": [("a quarter point", 0.25, 0.25, "point", "measure")],
                "dates": [("Thursday", "2026-05-07")],
            }
        ],
        publisher="Paper B",
    )

    def same_vector(texts: Sequence[str]) -> np.ndarray:
        return np.ones((len(texts), 4), dtype=np.float32) / 2.0

    result = compare_story([a, b], story_id="s", vectors=same_vector)
    assert not any(_supporting_docs(f) == {"a", "b"} for f in result.findings)
    contested = [f for f in result.findings if f.status == "contested"]
    assert contested and contested[0].conflicts[0].slot in ("polarity", "number")


def test_compare_story_vectors_align_a_paraphrase_the_words_miss() -> None:
    sa = "Kyiv hosted the inaugural session of the NATO-Ukraine Council with allied envoys."
    sb = (
        "The NATO-Ukraine Council held its opening session in Kyiv, diplomats from both sides said."
    )
    ents = [("Kyiv", "GPE", "kyiv"), ("NATO-Ukraine Council", "ORG", "nato-ukraine council")]
    a = _doc("a", sa, [{"text": sa, "entities": ents}], publisher="Wire A")
    b = _doc("b", sb, [{"text": sb, "entities": ents}], publisher="Paper B")

    def paraphrase_vectors(texts: Sequence[str]) -> np.ndarray:
        return np.tile(np.array([[0.6, 0.8]], dtype=np.float32), (len(texts), 1))

    without = compare_story([a, b], story_id="s")
    with_vectors = compare_story([a, b], story_id="s", vectors=paraphrase_vectors)
    assert len(without.findings) == 2
    (f,) = with_vectors.findings
    assert f.status == "corroborated"


# --- status ---------------------------------------------------------------------------------------


def test_compare_story_anaphoric_caveat_is_kept_with_the_claim_it_qualifies() -> None:
    claim = "Two engineers told the Courier that the spillway inspection was postponed to April"
    caveat = "The claim could not be independently verified."
    text = f"{claim}. {caveat}"
    doc = _doc(
        "courier",
        text,
        [
            {
                "text": claim,
                "content": "that the spillway inspection was postponed to April",
                "speaker": "Two engineers",
                "speaker_key": "two engineers",
                "cue": "told",
                "dates": [("April", "2026-04")],
                "sentence": 0,
            },
            {
                "text": caveat,
                "modality": "not-confirmed",
                "checkable": False,
                "reasons": ["no name, date or number to check"],
                "sentence": 1,
            },
        ],
        publisher="Vell Valley Courier",
    )
    (f,) = compare_story([doc], story_id="s").findings
    assert f.status == "single-source"
    assert [c.text for c in f.caveats] == [caveat]
    assert f.who == (
        "reported by Vell Valley Courier, citing Two engineers; not independently verified"
    )


def test_compare_story_statement_only_made_as_unconfirmed_is_unconfirmed() -> None:
    text = "The cause of the failure has not been confirmed."
    doc = _doc(
        "wire",
        text,
        [
            {
                "text": text,
                "modality": "not-confirmed",
                "checkable": False,
                "reasons": ["no name, date or number to check"],
            }
        ],
        publisher="Northwind Press Agency",
    )
    (f,) = compare_story([doc], story_id="s").findings
    assert f.status == "unconfirmed"
    assert f.modality == "not-confirmed"


def test_compare_story_primary_party_confirms_its_own_meeting() -> None:
    sa = (
        "NATO said the North Atlantic Council was in Kyiv on June 3 for the first "
        "NATO-Ukraine Council meeting held in Kyiv."
    )
    content = (
        "the North Atlantic Council was in Kyiv on June 3 for the first NATO-Ukraine Council "
        "meeting held in Kyiv"
    )
    sb = (
        "The North Atlantic Council met in Kyiv on June 3 for the first NATO-Ukraine Council "
        "meeting held in Kyiv."
    )
    ents = [
        ("North Atlantic Council", "ORG", "north atlantic council"),
        ("NATO-Ukraine Council", "ORG", "nato-ukraine council"),
    ]
    a = _doc(
        "a",
        sa,
        [
            {
                "text": sa,
                "content": content,
                "speaker": "NATO",
                "speaker_key": "nato",
                "cue": "said",
                "entities": [("NATO", "ORG", "nato"), *ents],
                "dates": [("June 3", "XXXX-06-03")],
                "quantities": [("first", 1, 1, "meeting", "ordinal")],
            }
        ],
        published=None,
    )
    b = _doc(
        "b",
        sb,
        [
            {
                "text": sb,
                "entities": ents,
                "dates": [("June 3", "2026-06-03")],
                "quantities": [("first", 1, 1, "meeting", "ordinal")],
            }
        ],
        publisher="Paper B",
    )
    result = compare_story([a, b], story_id="s")
    (f,) = result.findings
    assert f.status == "confirmed"
    assert f.who.startswith("confirmed by NATO")
    assert f.representative.doc_id == "a"
    assert any("taken from" in r for r in f.reasons)


def test_compare_story_silent_lists_documents_that_say_nothing_about_a_group() -> None:
    a = _toll("a", KILLED_15, 15, 15, "Fifteen people", publisher="Wire A")
    other = "Schools in the valley will stay closed on Friday."
    b = _doc("b", other, [{"text": other, "modality": "future"}], publisher="Paper B")
    result = compare_story([a, b], story_id="s")
    assert _finding(result, "Fifteen people").silent == ("b",)
    assert _finding(result, "Schools").silent == ("a",)


def test_compare_story_future_items_and_calls_are_findings_with_status() -> None:
    call = "The Green League called for an independent inquiry into the dam's maintenance."
    doc = _doc(
        "a",
        call,
        [
            {
                "text": call,
                "content": "an independent inquiry into the dam's maintenance",
                "speaker": "The Green League",
                "speaker_key": "green league",
                "cue": "called for",
                "modality": "call",
                "entities": [("Green League", "ORG", "green league")],
            }
        ],
        publisher="Wire A",
    )
    (f,) = compare_story([doc], story_id="s").findings
    assert f.modality == "call"
    assert f.status == "single-source"


# --- scale ---------------------------------------------------------------------------------------


def _synthetic_story(n_docs: int = 50, n_claims: int = 40, seed: int = 7) -> list[Document]:
    """Many outlets reporting overlapping facts in varied words, with some disagreeing."""
    rng = random.Random(seed)
    vocab = ["".join(rng.choice(string.ascii_lowercase) for _ in range(7)) for _ in range(3000)]
    verbs = ["killed", "evacuated", "rescued", "injured", "arrested", "missing"]
    facts = [
        (rng.sample(vocab, 8), f"Org{i % 97} Group", rng.choice(verbs), rng.randint(5, 500))
        for i in range(120)
    ]
    docs = []
    for d in range(n_docs):
        text, specs = "", []
        for _ in range(n_claims):
            words, org, verb, n = rng.choice(facts)
            n = n if rng.random() < 0.8 else 2 * n
            body = " ".join(rng.sample(words, 6) + rng.sample(vocab, 3))
            sentence = f"{org} said {n} people were {verb} on March 12 {body}."
            specs.append(
                {
                    "text": sentence,
                    "entities": [(org, "ORG", org.lower())],
                    "quantities": [(f"{n} people", n, n, "person", "count")],
                    "dates": [("March 12", "2026-03-12")],
                }
            )
            text += sentence + " "
        docs.append(_doc(f"d{d}", text, specs, publisher=f"Outlet {d}"))
    return docs


def test_compare_story_candidates_are_a_small_share_of_all_pairs() -> None:
    docs = _synthetic_story()
    views = _prepare(docs)
    pairs = _candidates(views, None)
    total = len(views) * (len(views) - 1) // 2
    assert len(pairs) < 0.02 * total


def test_compare_story_fifty_documents_of_forty_claims_compare_quickly() -> None:
    docs = _synthetic_story()
    start = time.perf_counter()
    result = compare_story(docs, story_id="s")
    elapsed = time.perf_counter() - start
    assert result.findings
    assert elapsed < 5.0, f"{elapsed:.2f} s"  # about 1 s on the project's 2-core box


def test_compare_story_is_independent_of_input_order() -> None:
    docs = _synthetic_story(n_docs=8, n_claims=10)
    a = compare_story(docs, story_id="s")
    b = compare_story(list(reversed(docs)), story_id="s")
    assert a == b


# --- real pipeline: the example story and the fixture stories -----------------------------------


def _analyse(paths: Sequence[str], nlp: Any) -> list[Document]:
    from factdesk.ingest import ReadFailure, read_inputs
    from factdesk.pipeline.runner import analyze

    raws = [r for r in read_inputs(paths) if not isinstance(r, ReadFailure)]
    return list(analyze(raws, nlp=nlp))


@pytest.fixture(scope="module")
def example(nlp: Any) -> tuple[dict[str, Document], StoryFindings]:
    from factdesk.desk import example_story_inputs

    docs = _analyse(example_story_inputs(), nlp)
    # "01_wire", "02_outlet", "03_official", "04_feed#1", "04_feed#2", "05_agency:1", ...
    by_name = {re.sub(r"\.\w+", "", Path(d.source).name): d for d in docs}
    return by_name, compare_story(docs, story_id="example")


@pytest.fixture(scope="module")
def port(nlp: Any) -> tuple[dict[str, Document], StoryFindings]:
    docs = _analyse([str(STORIES / "port_strike")], nlp)
    return {Path(d.source).name[:2]: d for d in docs}, compare_story(docs, story_id="port")


@pytest.fixture(scope="module")
def rail(nlp: Any) -> tuple[dict[str, Document], StoryFindings]:
    docs = _analyse([str(STORIES / "rail_derailment")], nlp)
    return {Path(d.source).name[:2]: d for d in docs}, compare_story(docs, story_id="rail")


@pytest.mark.parametrize("story", ["example", "port", "rail"])
def test_compare_story_citations_round_trip(story: str, request: pytest.FixtureRequest) -> None:
    docs, result = request.getfixturevalue(story)
    text_of = {d.id: d.text for d in docs.values()}
    cites = list(_all_citations(result))
    assert cites
    for c in cites:
        assert text_of[c.doc_id][c.span[0] : c.span[1]] == c.text


def test_compare_story_example_copy_of_the_wire(example: Any) -> None:
    docs, result = example
    assert [(c.doc_id, c.copy_of) for c in result.copies] == [
        (docs["02_outlet"].id, docs["01_wire"].id)
    ]


def test_compare_story_example_failure_confirmed_by_the_operator(example: Any) -> None:
    docs, result = example
    f = _finding(result, "40-metre section of the spillway wall", docs.values())
    assert f.status == "confirmed"
    assert f.who.startswith("confirmed by Estmark Hydro")


def test_compare_story_example_evacuations_corroborated(example: Any) -> None:
    docs, result = example
    f = _finding(result, "More than 1,200 residents were evacuated", docs.values())
    assert f.status == "corroborated"
    assert docs["04_feed#1"].id in _supporting_docs(f)
    assert len(f.origins) >= 2


def test_compare_story_example_hospital_figure_single_source_despite_the_copy(example: Any) -> None:
    docs, result = example
    f = _finding(result, "treated 43 people", docs.values())
    assert f.status == "single-source"
    assert _supporting_docs(f) == {docs["01_wire"].id, docs["02_outlet"].id}
    assert len(f.origins) == 1


def test_compare_story_example_death_toll_contested(example: Any) -> None:
    docs, result = example
    f = _finding(result, "At least 21 people died", docs.values())
    assert f.status == "contested"
    numbers = [c for c in f.conflicts if c.slot == "number"]
    assert numbers
    assert any("21" in v or "Twenty-one" in v for v in numbers[0].values)
    assert any("15" in v or "ifteen" in v for v in numbers[0].values)
    assert docs["05_agency:1"].id in {c.doc_id for side in numbers[0].sides for c in side}


def test_compare_story_example_inspection_contested_by_the_denial(example: Any) -> None:
    docs, result = example
    f = _finding(result, "postponed to April", docs.values())
    assert f.status == "contested"
    assert any(c.slot == "polarity" for c in f.conflicts)
    assert "denied by Estmark Hydro" in f.who
    assert [c.text for c in f.caveats] == ["The claim could not be independently verified"]


@pytest.mark.parametrize(
    "fragment", ["cause of the failure has not been confirmed", "Reports of looting"]
)
def test_compare_story_example_explicitly_unconfirmed(example: Any, fragment: str) -> None:
    docs, result = example
    assert _finding(result, fragment, docs.values()).status == "unconfirmed"


def test_compare_story_example_offer_single_source_with_its_caveat(example: Any) -> None:
    docs, result = example
    f = _finding(result, "Lorvania has offered", docs.values())
    assert f.status == "single-source"
    assert [c.text for c in f.caveats] == [
        "The offer has not been confirmed by Estmark authorities."
    ]


def test_compare_story_example_what_to_watch(example: Any) -> None:
    docs, result = example
    watch = [f for f in result.findings if f.modality in ("future", "call")]
    texts = " | ".join(f.text for f in watch)
    assert "city council will meet on Friday" in texts
    assert "Green League called for an independent inquiry" in texts
    council = _finding(result, "city council will meet on Friday", docs.values())
    assert council.status == "corroborated"


def test_compare_story_fixture_wire_copies_are_one_origin(port: Any) -> None:
    docs, result = port
    assert sorted((c.doc_id, c.copy_of) for c in result.copies) == sorted(
        [(docs["02"].id, docs["01"].id), (docs["03"].id, docs["01"].id)]
    )
    f = _finding(result, "At least 30 ships", docs.values())
    assert len(f.supporting) == 3
    assert f.status == "single-source"


def test_compare_story_fixture_number_contradiction_contested(port: Any) -> None:
    docs, result = port
    f = _finding(result, "About 2,100 employees", docs.values())
    assert f.status == "contested"
    assert f.conflicts[0].slot == "number"
    assert "About 3,400 workers" in f.conflicts[0].values


def test_compare_story_fixture_date_contradiction_contested(port: Any, rail: Any) -> None:
    for (docs, result), fragment in ((port, "resume on May 14"), (rail, "on Monday, September 8")):
        f = _finding(result, fragment, docs.values())
        assert f.status == "contested"
        assert "date" in [c.slot for c in f.conflicts]


def test_compare_story_fixture_denials_conflict(port: Any, rail: Any) -> None:
    for (docs, result), fragment in (
        (port, "denies that it walked out"),
        (rail, "denies reports that chlorine leaked"),
    ):
        f = _finding(result, fragment, docs.values())
        assert f.status == "contested"
        assert f.conflicts[0].slot == "polarity"


def test_compare_story_fixture_yearless_date_takes_year_with_provenance(
    port: Any, rail: Any
) -> None:
    for (docs, result), fragment, year in (
        (port, "expired on March 31", "2026-03-31"),
        (rail, "inspected on June 2", "2025-06-02"),
    ):
        f = _finding(result, fragment, docs.values())
        provenance = [r for r in f.reasons if "taken from" in r]
        assert provenance and year in provenance[0]
        assert len(_supporting_docs(f)) >= 2


def test_compare_story_fixture_operator_confirms_the_reopening(rail: Any) -> None:
    docs, result = rail
    f = _finding(result, "will reopen on September 15", docs.values())
    assert f.status == "confirmed"
    assert f.who.startswith("confirmed by Westhollow Rail Freight")


def test_compare_story_lookalike_firsts_do_not_conflict(nlp: Any) -> None:
    docs = _analyse([str(STORIES / "lookalike")], nlp)
    result = compare_story(docs, story_id="lookalike")
    assert not [c for f in result.findings for c in f.conflicts if c.slot == "ordinal"]


def test_compare_story_real_vectors_keep_the_statuses(example: Any) -> None:
    from factdesk import vectors

    if not vectors.is_available():
        pytest.skip("sentence-vector model not installed")
    docs, plain = example
    result = compare_story(list(docs.values()), story_id="example", vectors=vectors.embed)
    for fragment in (
        "treated 43 people",
        "At least 21 people died",
        "More than 1,200 residents were evacuated",
        "40-metre section of the spillway wall",
    ):
        before = _finding(plain, fragment, docs.values()).status
        assert _finding(result, fragment, docs.values()).status == before


# --- seeds (../shared) ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds(shared_dir: Path, nlp: Any) -> dict[str, Document]:
    paths = sorted(str(p) for p in (shared_dir / "seeds").glob("*.txt"))
    return {Path(d.source).name[:3]: d for d in _analyse(paths, nlp)}


@pytest.mark.shared
def test_compare_story_seed_meeting_confirmed_by_nato(seeds: dict[str, Document]) -> None:
    result = compare_story([seeds["000"], seeds["001"]], story_id="seed")
    f = _finding(result, "first NATO-Ukraine Council meeting held in Kyiv", seeds.values())
    assert f.status == "confirmed"
    assert f.who.startswith("confirmed by NATO")
    assert seeds["001"].id in _supporting_docs(f)  # "the inaugural ... meeting on Ukrainian soil"


@pytest.mark.shared
def test_compare_story_seed_casualties_single_source(seeds: dict[str, Document]) -> None:
    result = compare_story([seeds["000"], seeds["001"]], story_id="seed")
    casualties = [f for f in result.findings if "killed more than 20 people" in f.text]
    assert casualties
    for f in casualties:
        assert f.status == "single-source"
        assert f.origins == ("kyiv independent",)
        assert f.who.startswith("reported by The Kyiv Independent")
    assert any("not independently verified" in f.who for f in casualties)


@pytest.mark.shared
def test_compare_story_seed_deliveries_unconfirmed(seeds: dict[str, Document]) -> None:
    result = compare_story([seeds["000"], seeds["001"]], story_id="seed")
    f = _finding(result, "air-defense deliveries had not been", seeds.values())
    assert f.status == "unconfirmed"


@pytest.mark.shared
@pytest.mark.parametrize("fragment", ["32-member alliance", "founded in 1949"])
def test_compare_story_seed_draft_only_claims_unsupported(
    seeds: dict[str, Document], fragment: str
) -> None:
    result = compare_story([seeds["000"], seeds["001"]], story_id="seed")
    f = _finding(result, fragment, seeds.values())
    assert f.status == "single-source"
    assert _supporting_docs(f) == {seeds["001"].id}


@pytest.mark.shared
def test_compare_story_seed_attendance_traces_through_tass_to_the_ministry(
    seeds: dict[str, Document],
) -> None:
    result = compare_story([seeds["002"]], story_id="seed-002")
    f = _finding(result, "confirm his attendance", seeds.values())
    assert len(f.origins) == 1 and "press service" in f.origins[0]
    assert "TASS, citing the Ministry of Foreign Affairs press service" in f.who


def test_compare_story_leaves_the_documents_unchanged(example: Any) -> None:
    docs, _ = example
    before = [replace(d) for d in docs.values()]
    compare_story(list(docs.values()), story_id="x")
    assert before == list(docs.values())


@pytest.mark.shared
def test_compare_story_seed_two_different_firsts_do_not_conflict(
    seeds: dict[str, Document],
) -> None:
    """The Kyiv council meeting (000) and the foreign-minister meeting in Brussels (002)."""
    result = compare_story([seeds["000"], seeds["002"]], story_id="mixed")
    assert not [c for f in result.findings for c in f.conflicts]
