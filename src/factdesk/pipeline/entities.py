"""Named entities with canonical keys, so "NATO", "the North Atlantic Treaty Organization" and
"the alliance" can meet across sentences and documents."""

from __future__ import annotations

import re

_DETERMINERS = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s$")


def canonical_key(text: str) -> str:
    """Return a case-folded key for an entity or speaker mention (no document context).

    Strips leading determiners, trailing possessives and punctuation and folds whitespace.
    Document-level alias resolution ("the alliance" -> NATO) is done by ``find_entities``.
    """
    key = " ".join(text.split())
    key = _DETERMINERS.sub("", key)
    key = _POSSESSIVE.sub("", key)
    key = key.strip(" .,;:'\"“”‘’()[]")
    return key.casefold()
