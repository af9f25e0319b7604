"""Entities: spaCy entities with document-level keys, acronyms, surnames and descriptors."""

from __future__ import annotations

import pytest

from factdesk.pipeline.entities import canonical_key, find_entities
from factdesk.records import Entity


def _ents(nlp, text: str) -> tuple[Entity, ...]:  # type: ignore[no-untyped-def]
    found = find_entities(nlp(text))
    last_end = 0
    for e in found:
        assert text[e.span[0] : e.span[1]] == e.text
        assert e.span[0] >= last_end
        assert e.produced_by == "entities.v1"
        last_end = e.span[1]
    return found


def _keys(found: tuple[Entity, ...]) -> dict[str, str]:
    """Mention text -> key (last mention wins; tests use distinct texts where it matters)."""
    return {e.text: e.key for e in found}


# -- canonical_key (no document) --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("NATO", "nato"),
        ("NATO's", "nato"),
        ("NATO’s", "nato"),
        ("the Foreign Ministry", "foreign ministry"),
        ("  The   Kremlin ", "kremlin"),
        ("the U.S.", "united states"),
        ("US", "united states"),
        ("America", "united states"),
        ("the United States of America", "united states"),
        ("Britain", "united kingdom"),
        ("the U.K.", "united kingdom"),
        ("the EU", "european union"),
        ("the U.N.", "united nations"),
        ("Kiev", "kyiv"),
        ("the North Atlantic Treaty Organization", "nato"),
        ("us", "us"),
        ("who", "who"),
    ],
)
def test_canonical_key_folds_and_aliases(text: str, key: str) -> None:
    assert canonical_key(text) == key


def test_canonical_key_is_idempotent() -> None:
    for text in ("the U.S.", "NATO's", "Kiev", "The Foreign Ministry"):
        assert canonical_key(canonical_key(text)) == canonical_key(text)


# -- mentions -------------------------------------------------------------------------------


def test_find_entities_trims_leading_the(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _ents(nlp, "Ministers from the European Union met in Warsaw.")
    assert ("European Union", "european union") in [(e.text, e.key) for e in found]


def test_find_entities_trims_possessive(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _ents(nlp, "NATO's secretary general arrived in Vilnius.")
    assert (found[0].text, found[0].key, found[0].label) == ("NATO", "nato", "ORG")


def test_find_entities_skips_dates_and_numbers(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _ents(nlp, "On Monday, 40 officials met for the first time in Riga.")
    assert [e.text for e in found] == ["Riga"]


def test_find_entities_splits_at_line_breaks(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Talks in Geneva\nFrance and Germany agreed."
    assert all("\n" not in e.text for e in _ents(nlp, text))


def test_find_entities_fixes_labels_of_aliased_places(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _ents(nlp, "U.S. officials, the United States and America agreed. Kiev welcomed it.")
    assert {(e.key, e.label) for e in found} == {("united states", "GPE"), ("kyiv", "GPE")}


# -- acronyms -------------------------------------------------------------------------------


def test_find_entities_acronym_definition_keys_both_by_the_acronym(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The Organization for Security and Co-operation in Europe (OSCE) sent monitors. "
        "The OSCE said they would stay."
    )
    found = _ents(nlp, text)
    assert [(e.text, e.key) for e in found if e.label == "ORG"] == [
        ("Organization for Security and Co-operation in Europe", "osce"),
        ("OSCE", "osce"),
        ("OSCE", "osce"),
    ]


def test_find_entities_aliased_definition_uses_the_alias(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The North Atlantic Treaty Organization (NATO) met on Tuesday."
    assert set(_keys(_ents(nlp, text)).values()) == {"nato"}


def test_find_entities_acronym_meets_expansion_by_initials(nlp) -> None:  # type: ignore[no-untyped-def]
    keys = _keys(
        _ents(nlp, "The World Food Programme warned of famine. WFP staff left the region.")
    )
    assert keys == {"World Food Programme": "wfp", "WFP": "wfp"}


def test_find_entities_does_not_read_a_dateline_agency_as_a_definition(nlp) -> None:  # type: ignore[no-untyped-def]
    keys = _keys(_ents(nlp, "London (Reuters) - The pound fell."))
    assert keys.get("London") == "london"


# -- people ---------------------------------------------------------------------------------


def test_find_entities_surname_takes_the_full_name_key(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _ents(
        nlp, "Antony Blinken arrived in Brussels on Monday. Blinken met his counterparts."
    )
    assert [e.key for e in found if e.label == "PERSON"] == ["antony blinken", "antony blinken"]


def test_find_entities_surname_before_full_name_uses_the_later_full_name(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _ents(
        nlp, "Blinken heads to Europe\nSecretary of State Antony Blinken will travel to Paris."
    )
    assert [e.key for e in found if e.label == "PERSON"] == ["antony blinken", "antony blinken"]


def test_find_entities_surname_spelling_variant_meets_full_name(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _ents(nlp, "President Volodymyr Zelensky spoke. Zelenskyy's office agreed.")
    assert {e.key for e in found} == {"volodymyr zelensky"}


def test_find_entities_surname_without_full_name_keeps_its_own_key(nlp) -> None:  # type: ignore[no-untyped-def]
    assert _keys(_ents(nlp, "Mr Blinken said so.")) == {"Blinken": "blinken"}


# -- descriptors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "descriptor", "key"),
    [
        (
            "NATO leaders met in Vilnius. Diplomats said the alliance would grow.",
            "the alliance",
            "nato",
        ),
        ("NATO leaders met in Vilnius. The Alliance said it would grow.", "The Alliance", "nato"),
        (
            "The Warsaw Pact collapsed in 1991. Historians say the alliance was doomed.",
            "the alliance",
            "warsaw pact",
        ),
        (
            "The European Union adopted the package. Diplomats said the bloc would act.",
            "the bloc",
            "european union",
        ),
        (
            "Poland's Interior Ministry issued a warning. The ministry said borders would close.",
            "The ministry",
            "interior ministry",
        ),
        (
            "Reuters reported the deal. The agency said the figures were preliminary.",
            "The agency",
            "reuters",
        ),
        (
            "Siemens AG raised its forecast. The company said demand was strong.",
            "The company",
            "siemens",
        ),
        (
            "The UN Security Council met on Friday. The council adopted a text.",
            "The council",
            "un security council",
        ),
        (
            "The World Health Organization warned. The organization said cases rose.",
            "The organization",
            "world health organization",
        ),
    ],
)
def test_find_entities_resolves_descriptors(nlp, text: str, descriptor: str, key: str) -> None:  # type: ignore[no-untyped-def]
    found = [e for e in _ents(nlp, text) if e.text == descriptor]
    assert [(e.key, e.label) for e in found] == [(key, "ORG")]


def test_find_entities_descriptor_takes_the_most_recent_compatible_entity(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "France's Foreign Ministry and Germany's Defence Ministry spoke. The ministry disagreed."
    assert _keys(_ents(nlp, text))["The ministry"] == "defence ministry"


def test_find_entities_descriptor_skips_incompatible_entities(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "NATO met first. Then the North Atlantic Council met. Later the alliance agreed."
    assert _keys(_ents(nlp, text))["the alliance"] == "nato"


@pytest.mark.parametrize(
    "text",
    [
        "The ministry declined to comment.",
        "Reuters reported it. The ministry declined to comment.",
        "NATO said the alliance governments agreed.",
    ],
)
def test_find_entities_leaves_unresolvable_descriptors_out(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    assert not [e for e in _ents(nlp, text) if e.text.lower().startswith("the ")]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Missiles hit Ukraine overnight. Residents of the capital sheltered.", "kyiv"),
        ("Talks ended in Warsaw. Crowds gathered in the capital.", "warsaw"),
        (
            "Shelling hit Kharkiv. Then Russia struck Kyiv. Residents of the capital sheltered.",
            "kyiv",
        ),
    ],
)
def test_find_entities_resolves_the_capital(nlp, text: str, key: str) -> None:  # type: ignore[no-untyped-def]
    found = [e for e in _ents(nlp, text) if e.text == "the capital"]
    assert [(e.key, e.label) for e in found] == [(key, "GPE")]


def test_find_entities_leaves_the_capital_out_when_unsure(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Shelling hit Donetsk overnight. Residents of the capital sheltered."
    assert "the capital" not in _keys(_ents(nlp, text))


def test_find_entities_same_keys_across_documents(nlp) -> None:  # type: ignore[no-untyped-def]
    first = _ents(nlp, "The North Atlantic Treaty Organization met in Brussels.")
    second = _ents(nlp, "NATO's envoy spoke in Brussels. The alliance agreed.")
    assert {e.key for e in first} == {e.key for e in second} == {"nato", "brussels"}
