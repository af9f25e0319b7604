"""Attribution extraction: speakers, cues, contents, relay chains and quotations over sentences."""

from __future__ import annotations

import pytest

from factdesk.pipeline.attributions import PRODUCED_BY, find_attributions, polnear_spans
from factdesk.records import Attribution


def _find(nlp, text: str) -> tuple[Attribution, ...]:  # type: ignore[no-untyped-def]
    return find_attributions(nlp(text))


def _text(text: str, span: tuple[int, int] | None) -> str | None:
    return None if span is None else text[span[0] : span[1]]


def _only(nlp, text: str) -> Attribution:  # type: ignore[no-untyped-def]
    found = _find(nlp, text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "speaker", "cue", "content"),
    [
        (
            "The harbour master said the port would reopen on Monday.",
            "The harbour master",
            "said",
            "the port would reopen on Monday",
        ),
        (
            "Two engineers told the inquiry that the valve had been left open.",
            "Two engineers",
            "told",
            "that the valve had been left open",
        ),
        (
            "Firefighters told reporters the blaze was under control.",
            "Firefighters",
            "told reporters",
            "the blaze was under control",
        ),
        (
            "The museum has confirmed that the painting was stolen.",
            "The museum",
            "has confirmed",
            "that the painting was stolen",
        ),
    ],
)
def test_find_attributions_speech_verb_with_clause(nlp, text, speaker, cue, content) -> None:  # type: ignore[no-untyped-def]
    found = _only(nlp, text)
    assert found.speaker == speaker
    assert found.cue == cue
    assert _text(text, found.content_span) == content
    assert found.quote == "indirect"


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "According to the coast guard, two trawlers sank near the reef.",
            "two trawlers sank near the reef",
        ),
        (
            "Two trawlers sank near the reef, according to the coast guard.",
            "Two trawlers sank near the reef",
        ),
    ],
)
def test_find_attributions_according_to(nlp, text, content) -> None:  # type: ignore[no-untyped-def]
    found = _only(nlp, text)
    assert found.cue is not None and found.cue.lower() == "according to"
    assert found.speaker == "the coast guard"
    assert found.speaker_key == "coast guard"
    assert _text(text, found.content_span) == content


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "“We will rebuild the school,” said Marta Diaz, a teacher in the town.",
            "Marta Diaz",
            "“We will rebuild the school,”",
        ),
        (
            '"The water is safe to drink," the utility said.',
            "the utility",
            '"The water is safe to drink,"',
        ),
    ],
)
def test_find_attributions_inverted_quote(nlp, text, speaker, content) -> None:  # type: ignore[no-untyped-def]
    found = _only(nlp, text)
    assert found.speaker == speaker
    assert found.cue == "said"
    assert found.quote == "direct"
    assert _text(text, found.content_span) == content


def test_find_attributions_via_chain_citing(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Reports from the Russian news agency TASS, citing the Ministry of Foreign Affairs "
        "press service, confirm his attendance."
    )
    found = _only(nlp, text)
    assert found.speaker == "the Ministry of Foreign Affairs press service"
    assert found.speaker_key == "ministry of foreign affairs press service"
    assert found.via == ("the Russian news agency TASS",)
    assert [_text(text, s) for s in found.via_spans] == ["the Russian news agency TASS"]
    assert found.cue == "confirm"
    assert _text(text, found.content_span) == "his attendance"
    assert found.quote == "none"


@pytest.mark.parametrize(
    ("text", "speaker", "via"),
    [
        (
            "Reuters, quoting two port officials, said the shipment had been delayed.",
            "two port officials",
            ("Reuters",),
        ),
        (
            "According to AP, which cited a police spokesman, four people were injured.",
            "a police spokesman",
            ("AP",),
        ),
        (
            "The agency reported that the ministry said the border would stay closed.",
            "the ministry",
            ("The agency",),
        ),
        (
            "The minister told Reuters, which reported that the talks had collapsed.",
            "The minister",
            ("Reuters",),
        ),
        (
            "TASS reported, citing the ministry, that the talks would resume.",
            "the ministry",
            ("TASS",),
        ),
        (
            "The ministry said, according to Interfax, that the talks would resume.",
            "The ministry",
            ("Interfax",),
        ),
    ],
)
def test_find_attributions_relays(nlp, text, speaker, via) -> None:  # type: ignore[no-untyped-def]
    found = _only(nlp, text)
    assert found.speaker == speaker
    assert found.via == via


def test_find_attributions_multi_sentence_quote(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Ana Kovacs, the shelter's director, spoke on Friday.\n"
        "“We will not close,” she said. “Help is coming.”"
    )
    found = _find(nlp, text)
    assert [_text(text, a.content_span) for a in found] == [
        "“We will not close,”",
        "“Help is coming.”",
    ]
    for attribution in found:
        assert attribution.speaker == "Ana Kovacs"
        assert attribution.speaker_key == "ana kovacs"
        assert _text(text, attribution.speaker_span) == "she"
        assert attribution.cue == "said"
        assert attribution.quote == "direct"


def test_find_attributions_quote_continuing_reported_speech(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The mayor said the dam had held. “Nobody was hurt.” Officials were relieved."
    found = _find(nlp, text)
    assert [(_text(text, a.content_span), a.quote) for a in found] == [
        ("the dam had held", "indirect"),
        ("“Nobody was hurt.”", "direct"),
    ]
    assert {a.speaker for a in found} == {"The mayor"}


def test_find_attributions_quote_spanning_sentences(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "“The dam held. Nobody was hurt,” the mayor said."
    found = _only(nlp, text)
    assert _text(text, found.content_span) == "“The dam held. Nobody was hurt,”"
    assert found.speaker == "the mayor"


@pytest.mark.parametrize(
    "text",
    [
        "Peter Novak visited the shelter on Sunday. He added that more aid would arrive.",
        "Peter Novak visited the shelter on Sunday. “More aid will arrive,” he added.",
    ],
)
def test_find_attributions_added_resolves_pronoun(nlp, text) -> None:  # type: ignore[no-untyped-def]
    found = _only(nlp, text)
    assert found.cue == "added"
    assert found.speaker == "Peter Novak"
    assert found.speaker_key == "peter novak"
    assert _text(text, found.speaker_span) == "He" or _text(text, found.speaker_span) == "he"


def test_find_attributions_pronoun_takes_compatible_gender(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Mr. Brown met Ms. Green on Monday. She said the merger was off."
    found = _only(nlp, text)
    assert found.speaker == "Ms. Green"
    assert _text(text, found.speaker_span) == "She"


def test_find_attributions_unresolved_pronoun_kept_as_written(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _only(nlp, "He said the deal was dead.")
    assert found.speaker == "He"
    assert found.speaker_key == "he"


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        (
            "Ukraine's foreign minister called for Europe to fund more air-defense systems.",
            "called for",
            "Europe to fund more air-defense systems",
        ),
        (
            "The union called for a new inquiry into the collapse.",
            "called for",
            "a new inquiry into the collapse",
        ),
        (
            "The minister urged Europe to buy more interceptors.",
            "urged",
            "Europe to buy more interceptors",
        ),
    ],
)
def test_find_attributions_call_and_urge(nlp, text, cue, content) -> None:  # type: ignore[no-untyped-def]
    found = _only(nlp, text)
    assert found.cue == cue
    assert _text(text, found.content_span) == content


def test_find_attributions_call_with_noun_content_is_not_a_quote(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _only(nlp, "The union called for a new inquiry into the collapse.")
    assert found.quote == "none"


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("The company denied that it had misled investors.", "that it had misled investors"),
        ("The ministry denied the report.", "the report"),
    ],
)
def test_find_attributions_denial(nlp, text, content) -> None:  # type: ignore[no-untyped-def]
    found = _only(nlp, text)
    assert found.cue == "denied"
    assert _text(text, found.content_span) == content


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "A statement from the defence ministry said two drones were shot down.",
            "the defence ministry",
        ),
        ("The ministry's statement said two drones were shot down.", "The ministry"),
        ("A new poll shows that the mayor has lost support.", "A new poll"),
    ],
)
def test_find_attributions_reporting_noun_subject(nlp, text, speaker) -> None:  # type: ignore[no-untyped-def]
    found = _only(nlp, text)
    assert found.speaker == speaker


def test_find_attributions_parenthetical_cue(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The new bridge, the governor said, will cost $2 billion."
    found = _only(nlp, text)
    assert found.speaker == "the governor"
    assert (
        _text(text, found.content_span) == "The new bridge, the governor said, will cost $2 billion"
    )


def test_find_attributions_relative_pronoun_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The vote was delayed by Lena Ortiz, who said the count was incomplete."
    found = _only(nlp, text)
    assert found.speaker == "Lena Ortiz"
    assert _text(text, found.speaker_span) == "who"


@pytest.mark.parametrize(
    "text",
    [
        "Ama Dorn was named chair of the council, which backs schemes that call for open books.",
        "The company published a plan that calls for two new depots in Harlow.",
    ],
)
def test_find_attributions_relative_clause_of_a_thing_is_no_speaker(nlp, text) -> None:  # type: ignore[no-untyped-def]
    assert _find(nlp, text) == ()


def test_find_attributions_headline_label(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Kallas: Europe must buy more air defense\nThe meeting ended late."
    found = _only(nlp, text)
    assert found.speaker == "Kallas"
    assert found.cue == ":"
    assert _text(text, found.content_span) == "Europe must buy more air defense"


def test_find_attributions_quoted_hedge_is_not_an_attribution(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "“I think we will win,” the coach said."
    found = _only(nlp, text)
    assert found.speaker == "the coach"


@pytest.mark.parametrize(
    "text",
    [
        "The river flooded the lower town on Tuesday.",
        "Russian forces attacked the city with drones overnight.",
        "The council approved the budget after a long debate.",
        "The timing of the visit shows that air defense is the central issue.",
        "The storm is expected to reach the coast on Friday.",
        "- Stronger Ties: The ability to meet in Kyiv suggests a closer partnership.",
    ],
)
def test_find_attributions_none_without_attribution(nlp, text) -> None:  # type: ignore[no-untyped-def]
    assert _find(nlp, text) == ()


def test_find_attributions_passive_report_has_no_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "It was reported that the bridge had collapsed."
    found = _only(nlp, text)
    assert found.speaker is None and found.speaker_key is None and found.speaker_span is None
    assert _text(text, found.content_span) == "that the bridge had collapsed"


@pytest.mark.parametrize(
    "text",
    [
        "The singer married her partner in a small ceremony in New York, it has been confirmed.",
        "The minister resigned in Paris on Monday, it was announced.",
    ],
)
def test_find_attributions_closing_passive_report_has_no_speaker(nlp, text) -> None:  # type: ignore[no-untyped-def]
    # Not the place before the comma: "New York" did not confirm anything.
    found = _only(nlp, text)
    assert found.speaker is None and found.speaker_span is None
    assert _text(text, found.content_span).startswith("The ")


SAMPLE = (
    "Flood defences hold, officials say\n"
    "The water board said on Monday that the levees had held. "
    "“We were lucky,” said Jan de Vries, the board's chairman. “The next storm may not spare us.” "
    "According to the weather service, more rain is expected. "
    "He added that pumps were running day and night.\n"
    "Reuters, citing two engineers, reported that one pump had failed."
)


def test_find_attributions_spans_round_trip(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _find(nlp, SAMPLE)
    assert len(found) >= 5
    for a in found:
        assert _text(SAMPLE, a.cue_span) == a.cue
        assert 0 <= a.content_span[0] < a.content_span[1] <= len(SAMPLE)
        if a.speaker_span is not None and _text(SAMPLE, a.speaker_span) != a.speaker:
            # a resolved pronoun: the name comes from an earlier mention
            assert _text(SAMPLE, a.speaker_span) in ("he", "He", "she", "She", "they", "who")
        for via, span in zip(a.via, a.via_spans, strict=True):
            assert _text(SAMPLE, span) == via


def test_find_attributions_sorted_and_stamped(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _find(nlp, SAMPLE)
    starts = [a.content_span[0] for a in found]
    assert starts == sorted(starts)
    assert all(a.produced_by == PRODUCED_BY == "attributions.v1" for a in found)
    assert all(a.quote in ("direct", "indirect", "none") for a in found)
    assert all(a.speaker_key is None or a.speaker_key == a.speaker_key.casefold() for a in found)


def test_find_attributions_is_deterministic_and_leaves_doc_alone(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp(SAMPLE)
    before = [(t.text, t.dep_, t.head.i, t.is_sent_start) for t in doc]
    assert find_attributions(doc) == find_attributions(doc)
    assert [(t.text, t.dep_, t.head.i, t.is_sent_start) for t in doc] == before


def test_polnear_spans_uses_polnear_conventions(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "“We are ready,” Ana Ruiz, a nurse, said: “Send help.”"
    spans = polnear_spans(nlp(text))
    assert len(spans) == 1
    item = spans[0]
    assert _text(text, item.source) == "Ana Ruiz, a nurse,"
    assert _text(text, item.cue) == "said:"
    assert [_text(text, c) for c in item.content] == ["“We are ready,”", "“Send help.”"]


def test_find_attributions_is_cheap_next_to_the_parse(nlp) -> None:  # type: ignore[no-untyped-def]
    import time

    text = "\n\n".join(
        f"“Crews reached block {n},” the fire chief said. “More help is coming.” "
        f"According to the county, {n} homes were evacuated, and officials said roads were shut."
        for n in range(60)
    )
    began = time.perf_counter()
    doc = nlp(text)
    parse = time.perf_counter() - began
    began = time.perf_counter()
    found = find_attributions(doc)
    extract = time.perf_counter() - began
    assert len(found) >= 180
    # Linear work per sentence: a small fraction of the parse (it is about 2% on one core).
    assert extract < 0.25 * parse


# -- Errors found downstream. Texts from our example story (src/factdesk/data/example_story) and
# -- fixture stories (tests/data/stories) are quoted; the others are made up for these tests.

WIRE_EVACUATED = (
    "HAVELSTAD, Estmark, March 12 (NPA) — Fifteen people were killed when a section of the "
    "spillway wall at the Brannock Dam gave way before dawn on Wednesday, March 11, sending "
    "floodwater into the Millbank district of Havelstad and two villages downstream, the "
    "regional emergency service said.\n\n"
    '"We have recovered fifteen bodies. At least 12 people are still missing, and the search '
    'will go on through the night," emergency service spokesman Piet Halvard told reporters on '
    "Thursday. More than 1,200 residents were evacuated from Millbank and the villages of Oster "
    "Vell and Kirrin, he said."
)
FEED_MAYOR = (
    "At least 21 people died when the spillway wall of the Brannock Dam collapsed yesterday, "
    "Havelstad mayor Anselm Dorn told reporters on Thursday morning, a higher toll than the "
    "figure of 15 given by the regional emergency service.\n"
    '"Twenty-one of our neighbours are dead. I have seen the lists from the morgue myself. We '
    'will not stop searching until every family has an answer," Dorn said outside the Millbank '
    'sports hall, which is still under water. "Please do not go back to your houses yet," he '
    "added.\n"
)
FEED_ENGINEERS = (
    "Estmark Hydro denied the report. In a statement issued on Wednesday, the operator said the "
    "inspection took place on January 20 and found no structural defects.\n"
    '"Cracks in the spillway wall were visible from the footpath last autumn," one of the '
    'engineers said, speaking on condition of anonymity. "We raised it internally. Nobody came '
    'to look," he added.\n'
)
AGENCY_OFFER = (
    "VELMAR, March 12 (KNA) — Lorvania has offered Estmark two high-capacity water pumping units "
    "and a team of a dozen flood engineers after the failure of the Brannock Dam spillway on "
    "Wednesday, the Lorvanian foreign ministry said.\n\n"
    "Foreign Minister Dace Orrin said the equipment could be at the border within 48 hours if "
    'Estmark accepts. "Our engineers are ready to leave tonight," she said.\n\n'
    "The offer has not been confirmed by Estmark authorities. Estmark's Interior Ministry is "
    "expected to decide on foreign assistance on Friday, ETV reported.\n\n"
    "The two countries share the Vell river basin. Lorvanian towns downstream of the border "
    "reported no rise in river levels on Thursday, the foreign ministry said."
)
GAZETTE_LEAK = (
    "A small amount of chlorine leaked from one tank wagon before it was sealed, two firefighters "
    "told the Gazette. The account could not be independently verified, and the fire service "
    "declined to comment.\n\n"
    '"You could smell it by the level crossing for about ten minutes," one of the firefighters '
    'said. "Then the crew got a clamp on the valve," he added.'
)


def _by_span(found: tuple[Attribution, ...], text: str, spoken: str) -> Attribution:
    """The one attribution whose speaker is written as ``spoken`` in the text (last wins)."""
    hits = [a for a in found if _text(text, a.speaker_span) == spoken]
    assert hits, [(a.speaker, a.cue) for a in found]
    return hits[-1]


@pytest.mark.parametrize(
    ("text", "pronoun", "speaker"),
    [
        (WIRE_EVACUATED, "he", "emergency service spokesman Piet Halvard"),
        (FEED_MAYOR, "he", "Dorn"),
        (FEED_ENGINEERS, "he", "one of the engineers"),
        (AGENCY_OFFER, "she", "Foreign Minister Dace Orrin"),
        (GAZETTE_LEAK, "he", "one of the firefighters"),
    ],
)
def test_find_attributions_pronoun_continues_the_previous_speaker(
    nlp, text, pronoun, speaker
) -> None:  # type: ignore[no-untyped-def]
    found = _by_span(_find(nlp, text), text, pronoun)
    assert found.speaker is not None and speaker in found.speaker


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            "Fire chief Tomas Brandt spoke to reporters on Friday. Around 400 homes were cut off "
            "in Dunmere and the hamlets of Ossery Vale and Kell, he said.",
            "Tomas Brandt",
        ),
        (
            "“We pulled six people from the water,” fire chief Tomas Brandt told reporters. "
            "Ossery Vale was cut off overnight. Around 400 homes were flooded, he said.",
            "Tomas Brandt",
        ),
        (
            "Fire chief Tomas Brandt spoke on Friday. Rescuers reached Ossery Vale and Kell by "
            "boat, and Dunmere was evacuated. Around 400 homes were flooded, he said.",
            "Tomas Brandt",
        ),
        (
            "The ferry operator Nordlink said the crossing was closed. Captain Ilse Varga stayed "
            "on board. “The sea is too rough,” she said.",
            "Ilse Varga",
        ),
        (
            "Mr. Brown said the plan was dead. Mr. Jones disagreed. He said it could be saved.",
            "Mr. Jones",
        ),
    ],
)
def test_find_attributions_pronoun_takes_a_person_never_a_place_or_body(nlp, text, speaker) -> None:  # type: ignore[no-untyped-def]
    found = _find(nlp, text)
    resolved = [a for a in found if _text(text, a.speaker_span) in ("he", "He", "she")]
    assert len(resolved) == 1
    assert resolved[0].speaker is not None and speaker in resolved[0].speaker


@pytest.mark.parametrize(
    ("text", "speaker", "cue", "content"),
    [
        (
            "About 3,400 workers walked off the job at the start of the morning shift, union "
            "secretary Oksana Feld told reporters at the port gates.",
            "union secretary Oksana Feld",
            "told reporters",
            "About 3,400 workers walked off the job at the start of the morning shift",
        ),
        (
            GAZETTE_LEAK,
            "two firefighters",
            "told",
            "A small amount of chlorine leaked from one tank wagon before it was sealed",
        ),
        (
            "Dockworkers at the Port of Saltmere began an indefinite strike on Monday, halting "
            "loading at all nine container berths, the Saltmere Dockers' Union said.",
            "the Saltmere Dockers' Union",
            "said",
            "Dockworkers at the Port of Saltmere began an indefinite strike on Monday, halting "
            "loading at all nine container berths",
        ),
        (
            '"We made the harbour our first task," the soft-spoken, 64-year-old director said in '
            "an interview.",
            "the soft-spoken, 64-year-old director",
            "said",
            '"We made the harbour our first task,"',
        ),
        (
            'His verdict on the plan: "It will not work," the engineer said.',
            "the engineer",
            "said",
            '"It will not work,"',
        ),
    ],
)
def test_find_attributions_closing_reporting_clause(nlp, text, speaker, cue, content) -> None:  # type: ignore[no-untyped-def]
    found = _find(nlp, text)[0]
    assert found.speaker == speaker
    assert found.cue == cue
    assert _text(text, found.content_span) == content


def test_find_attributions_hearer_of_told_is_not_content(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _find(nlp, GAZETTE_LEAK)
    assert all(_text(GAZETTE_LEAK, a.content_span) != "the Gazette" for a in found)


def test_find_attributions_two_closing_clauses_split_the_sentence(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "In Dunmore, crews cleared the roads on Sunday, a local radio station reported, while in "
        "Kell the school stayed shut, the council said."
    )
    found = _find(nlp, text)
    assert [(a.speaker, _text(text, a.content_span), a.via) for a in found] == [
        ("a local radio station", "In Dunmore, crews cleared the roads on Sunday", ()),
        ("the council", "while in Kell the school stayed shut", ()),
    ]


@pytest.mark.parametrize(
    ("text", "speaker", "via", "content"),
    [
        (
            "VELMAR, March 12 (KNA) — Estmark's public broadcaster ETV, citing the Interior "
            "Ministry's press service, reported that 15 people had died after the spillway wall of "
            "the Brannock Dam gave way in the neighbouring country.",
            "the Interior Ministry's press service",
            ("Estmark's public broadcaster ETV",),
            "that 15 people had died after the spillway wall of the Brannock Dam gave way in the "
            "neighbouring country",
        ),
        (
            "KESTON, June 3 (Harbour Wire) — The port operator said two cranes had failed.",
            "The port operator",
            (),
            "two cranes had failed",
        ),
        (
            "TARLOW, May 2 (Harbour Wire) — Two cranes collapsed on Monday, the port operator "
            "said.",
            "the port operator",
            (),
            "Two cranes collapsed on Monday",
        ),
    ],
)
def test_find_attributions_dateline_is_no_source_relay_or_content(
    nlp, text, speaker, via, content
) -> None:  # type: ignore[no-untyped-def]
    found = _only(nlp, text)
    assert found.speaker == speaker
    assert found.via == via
    assert _text(text, found.content_span) == content


def test_polnear_spans_source_leaves_out_the_dateline(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "KESTON, June 3 (Harbour Wire) — The port operator said two cranes had failed."
    (item,) = polnear_spans(nlp(text))
    assert _text(text, item.source) == "The port operator"


def test_find_attributions_description_keeps_its_words_and_a_compatible_key(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _by_span(_find(nlp, AGENCY_OFFER), AGENCY_OFFER, "the foreign ministry")
    assert found.speaker == "the foreign ministry"
    assert found.speaker_key == "lorvanian foreign ministry"


@pytest.mark.parametrize(
    ("text", "description", "key"),
    [
        (
            "The Danish foreign ministry said the aid was ready. Germany's Interior Ministry said "
            "on Friday that the border stayed open. Ferries ran normally, the foreign ministry "
            "said.",
            "the foreign ministry",
            "danish foreign ministry",
        ),
        (
            "Germany's Interior Ministry said the border stayed open. Ferries ran normally, the "
            "foreign ministry said.",
            "the foreign ministry",
            "foreign ministry",
        ),
        (
            "ETV, citing the Interior Ministry's press service, reported that the dam had failed. "
            "According to the ministry, 100 soldiers were deployed.",
            "the ministry",
            "interior ministry",
        ),
    ],
)
def test_find_attributions_description_never_takes_another_body(
    nlp, text, description, key
) -> None:  # type: ignore[no-untyped-def]
    found = _by_span(_find(nlp, text), text, description)
    assert found.speaker == description
    assert found.speaker_key == key


@pytest.mark.parametrize(
    "text",
    [
        "Prime Minister Edvin Sallow visited Havelstad on Thursday, one day after the collapse, "
        "and declared a period of national mourning from March 14 to 16.",
        "The governor declared a state of emergency in three counties.",
        "The president declared victory shortly after midnight.",
    ],
)
def test_find_attributions_official_act_is_not_speech(nlp, text) -> None:  # type: ignore[no-untyped-def]
    assert _find(nlp, text) == ()


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("She declared that the vote had been rigged.", "that the vote had been rigged"),
        ("Engineers declared the bridge safe on Monday.", "the bridge safe"),
        ('He declared: "We will not leave."', '"We will not leave."'),
    ],
)
def test_find_attributions_declaring_content_is_speech(nlp, text, content) -> None:  # type: ignore[no-untyped-def]
    found = _only(nlp, text)
    assert found.cue == "declared"
    assert _text(text, found.content_span) == content


@pytest.mark.parametrize(
    "text",
    [
        "This week's summit serves as a clear sign of the bloc's growing ties with Moldova, "
        "underscoring a shared resolve to counter threats to the region.",
        "The council met in Riga on Monday, highlighting the urgency of the situation.",
        "The agreement was signed on Friday, signaling a new phase in relations.",
        "Nordic governments have signaled firm support for Moldova.",
    ],
)
def test_find_attributions_framing_is_not_speech(nlp, text) -> None:  # type: ignore[no-untyped-def]
    assert _find(nlp, text) == ()


def test_find_attributions_framing_verb_with_a_clause_is_speech(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The minister spoke for an hour, underscoring that the talks would continue."
    found = _only(nlp, text)
    assert found.speaker == "The minister"
    assert _text(text, found.content_span) == "that the talks would continue"


def test_find_attributions_plea_in_background_clause_stays_inside_it(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The council held its first session in Riga as Moldova pressed the bloc for help buying "
        "air-defence radars."
    )
    clause = text.index("as Moldova")
    for found in _find(nlp, text):  # none is best; a call, if any, stays in the as-clause
        assert found.content_span[0] >= clause
        assert found.speaker_span is None or found.speaker_span[0] >= clause


def test_find_attributions_statement_opening_names_the_operator(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "# Statement on the failure of the Brannock Dam spillway wall\n\n"
        "Estmark Hydro confirms that a 40-metre section of the spillway wall at the Brannock Dam "
        "failed at about 4:40 a.m. on March 11, 2026. Water released from the reservoir flooded "
        "parts of the Millbank district of Havelstad and the villages of Oster Vell and Kirrin."
    )
    found = _only(nlp, text)
    assert found.speaker == "Estmark Hydro"
    assert found.cue == "confirms"
    assert _text(text, found.content_span).startswith("that a 40-metre section")


def test_find_attributions_participle_after_before_keeps_the_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    text = '"Thank you," the senator replied, before adding that the vote would go ahead.'
    found = _find(nlp, text)
    assert [(a.speaker, a.cue) for a in found] == [
        ("the senator", "replied"),
        ("the senator", "adding"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "That said, the mayor cannot win without the suburbs.",
        "This said, the council has no money left.",
    ],
)
def test_find_attributions_connective_said_is_not_an_attribution(nlp, text) -> None:  # type: ignore[no-untyped-def]
    assert _find(nlp, text) == ()
