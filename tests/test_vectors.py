"""Sentence vectors (factdesk.vectors): shapes, normalisation, meaning, missing model."""

from __future__ import annotations

import numpy as np
import pytest

from factdesk import vectors
from factdesk.errors import ModelError

pytestmark = pytest.mark.skipif(
    not vectors.is_available(), reason="sentence-vector model not installed (see scripts/setup)"
)


def test_embed_returns_one_float32_row_per_text() -> None:
    out = vectors.embed(["Dockworkers went on strike.", "", "A second, longer sentence here."])
    assert out.shape == (3, vectors.DIMENSION)
    assert out.dtype == np.float32


def test_embed_of_nothing_is_an_empty_matrix() -> None:
    out = vectors.embed([])
    assert out.shape == (0, vectors.DIMENSION)


def test_embed_rows_are_unit_length() -> None:
    out = vectors.embed(["The port reopened.", "Talks resume on Monday.", "x " * 400])
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)


def test_embed_paraphrase_is_closer_than_unrelated_text() -> None:
    a, b, c = vectors.embed(
        [
            "The alliance held its first council meeting in the Ukrainian capital.",
            "NATO convened the inaugural council session in Kyiv.",
            "Bananas are rich in potassium and grow in warm climates.",
        ]
    )
    assert float(a @ b) > float(a @ c) + 0.3


@pytest.mark.parametrize("batch_size", [1, 2, 32])
def test_embed_does_not_depend_on_the_batch(batch_size: int) -> None:
    texts = ["short", "a somewhat longer sentence about a dock strike", "x " * 300]
    alone = np.vstack([vectors.embed([t]) for t in texts])
    assert np.allclose(vectors.embed(texts, batch_size=batch_size), alone, atol=1e-5)


def test_missing_model_raises_model_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vectors, "_model", None)
    monkeypatch.setattr(vectors, "_package_dir", lambda name: None)
    with pytest.raises(ModelError, match="pip install"):
        vectors.embed(["text"])
