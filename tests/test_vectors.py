"""Sentence vectors (factdesk.vectors): shapes, normalisation, meaning, the derived int8 model,
missing model."""

from __future__ import annotations

from pathlib import Path

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


_TEXTS = [
    "Dockworkers in the port of Tamsford walked out on Monday over pay.",
    "The council approved the budget after a long debate.",
    "short",
]


def _fresh_model(monkeypatch: pytest.MonkeyPatch, cache: Path) -> None:
    monkeypatch.setattr(vectors, "_model", None)
    monkeypatch.setenv("FACTDESK_CACHE_DIR", str(cache))


def test_the_int8_model_is_derived_once_into_the_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _fresh_model(monkeypatch, tmp_path)
    derived = vectors.embed(_TEXTS)
    files = list(tmp_path.glob("minilm-l6-int8-dynamic-*.onnx"))
    assert len(files) == 1
    assert vectors._model is not None and vectors._model.one_at_a_time
    # A second process (here: a fresh load) finds the file and does not derive it again.
    stamp = files[0].stat().st_mtime_ns
    monkeypatch.setattr(vectors, "_model", None)
    monkeypatch.setattr(vectors.subprocess, "run", _must_not_run)
    assert np.array_equal(vectors.embed(_TEXTS), derived)
    assert files[0].stat().st_mtime_ns == stamp


def _must_not_run(*args: object, **kwargs: object) -> None:
    raise AssertionError("the derived model was derived again")


def test_without_a_writable_cache_the_shipped_model_is_used_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    derived = vectors.embed(_TEXTS)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    _fresh_model(monkeypatch, blocker / "cache")
    with caplog.at_level("WARNING", logger="factdesk.vectors"):
        shipped = vectors.embed(_TEXTS)
    assert "using the shipped model" in caplog.text and "FACTDESK_CACHE_DIR" in caplog.text
    assert vectors._model is not None and not vectors._model.one_at_a_time
    # The two models give nearly the same vectors (measured: 0.994 mean cosine on BBC leads),
    # but not the same ones: the derived model really is a different computation.
    cosines = (derived * shipped).sum(axis=1)
    assert cosines.min() > 0.97
    assert not np.array_equal(derived, shipped)


def test_a_failed_derivation_falls_back_to_the_shipped_model(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _fresh_model(monkeypatch, tmp_path)
    # As when the onnx package is missing: the child process exits with an error.
    monkeypatch.setattr(vectors, "_DERIVE", "raise SystemExit('No module named onnx')")
    with caplog.at_level("WARNING", logger="factdesk.vectors"):
        out = vectors.embed(_TEXTS)
    assert out.shape == (3, vectors.DIMENSION)
    assert "No module named onnx" in caplog.text
    assert not list(tmp_path.glob("*.onnx"))


def test_a_damaged_cached_model_falls_back_to_the_shipped_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _fresh_model(monkeypatch, tmp_path)
    vectors.embed(_TEXTS)  # derives the model into tmp_path
    (cached,) = tmp_path.glob("minilm-l6-int8-dynamic-*.onnx")
    cached.write_bytes(b"not a model")
    monkeypatch.setattr(vectors, "_model", None)
    with caplog.at_level("WARNING", logger="factdesk.vectors"):
        out = vectors.embed(_TEXTS)
    assert out.shape == (3, vectors.DIMENSION)
    assert "Delete the file to derive it again" in caplog.text
    assert vectors._model is not None and not vectors._model.one_at_a_time
