"""The desk's line-break component, against the token-by-token rule it implements."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from factdesk.pipeline.nlp import _SENTENCE_FINAL, _line_breaks

_PIECES = [
    "Talks",
    "resume",
    "Estmark",
    "Hydro",
    ".",
    "!",
    "?",
    ":",
    "-",
    "•",
    "\n",
    "\n\n",
    " ",
    '"',
    ")",
    "Mr.",
    "3.5",
    "said",
    ";",
    "…",
    "e.g.",
]


def _by_token(doc: Any) -> list[bool | None]:
    """The rule token by token: a line break starts a sentence; inside a line only final
    punctuation may end one (a list bullet is not final punctuation)."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text:
            token.is_sent_start = True
        elif not previous.text.endswith(_SENTENCE_FINAL):
            token.is_sent_start = False
    return [t.is_sent_start for t in doc]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_marks_are_those_of_the_token_by_token_rule(nlp: Any, pieces: list[str]) -> None:
    text = " ".join(pieces)
    expected = _by_token(nlp.make_doc(text))
    assert [t.is_sent_start for t in _line_breaks(nlp.make_doc(text))] == expected


def test_a_heading_line_is_its_own_sentence_and_a_name_is_not_split(nlp: Any) -> None:
    doc = nlp("Dock strike ends\nEstmark Hydro confirms the deal. Talks resume on Monday.")
    assert [s.text.strip() for s in doc.sents] == [
        "Dock strike ends",
        "Estmark Hydro confirms the deal.",
        "Talks resume on Monday.",
    ]
