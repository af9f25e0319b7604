"""The public API: ``__all__`` is sorted, complete and every name resolves."""

from __future__ import annotations

import factdesk
import factdesk.errors
import factdesk.records


def test_public_api_all_is_sorted() -> None:
    assert factdesk.__all__ == sorted(factdesk.__all__)


def test_public_api_every_name_resolves() -> None:
    for name in factdesk.__all__:
        assert getattr(factdesk, name) is not None


def test_public_api_lists_every_error_class() -> None:
    errors = {
        n
        for n, v in vars(factdesk.errors).items()
        if isinstance(v, type) and issubclass(v, factdesk.errors.FactdeskError)
    }
    assert errors <= set(factdesk.__all__)


def test_public_api_error_codes_are_unique() -> None:
    classes = [
        v
        for v in vars(factdesk.errors).values()
        if isinstance(v, type) and issubclass(v, factdesk.errors.FactdeskError)
    ]
    codes = [c.code for c in classes]
    assert len(codes) == len(set(codes))
