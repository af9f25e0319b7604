"""Optional judges for the draft check: a second opinion the default rules never need.

Both implement :class:`factdesk.check.Judge` (``judge(claim, evidence) -> JudgeVerdict``):

- :class:`NLIJudge`: a local NLI cross-encoder exported to ONNX, from a directory the user
  already has (``model.onnx``, ``tokenizer.json`` and a ``config.json`` whose ``id2label``
  names the entailment and contradiction classes). Needs the ``onnxruntime`` and
  ``tokenizers`` packages the desk already installs; nothing is downloaded.
- :class:`ChatJudge`: an OpenAI-compatible chat endpoint (Ollama, vLLM, llama.cpp server).
  The URL is the user's own server; the judge sends the claim and the candidate evidence and
  asks for a one-word verdict. No redirects are followed.

The check asks a judge only about claims the rules left unsupported or partly supported
while candidate evidence exists, and never lets it override a number, date or name that no
source gives (:mod:`factdesk.check`).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from factdesk.check import Judge, JudgeVerdict
from factdesk.errors import ConfigError

__all__ = ["ChatJudge", "NLIJudge", "load_judge"]

_VERDICT = re.compile(r"\b(supported|contradicted|unsupported|not supported)\b", re.IGNORECASE)

PROMPT = (
    "You check a news draft against its sources. Using ONLY the evidence below, answer with "
    "one word: SUPPORTED if the evidence states the claim, CONTRADICTED if the evidence "
    "states otherwise, UNSUPPORTED if the evidence does not say. Then one short sentence "
    "saying why.\n\nEvidence:\n{evidence}\n\nClaim: {claim}\n\nVerdict:"
)


def load_judge(name: str, *, model: str | None = None, url: str | None = None) -> Judge | None:
    """The judge named on the command line (``rules`` is the default: no extra judge)."""
    if name == "rules":
        return None
    if name == "nli":
        if not model:
            raise ConfigError("--judge nli needs --judge-model DIR (an ONNX NLI cross-encoder).")
        return NLIJudge(Path(model))
    if name == "chat":
        if not url or not model:
            raise ConfigError(
                "--judge chat needs --judge-url (e.g. http://127.0.0.1:11434/v1) and "
                "--judge-model (the model name the server knows)."
            )
        return ChatJudge(url, model, api_key=os.environ.get("FACTDESK_JUDGE_KEY"))
    raise ConfigError(f"Unknown judge {name!r}: use rules, nli or chat.")


class ChatJudge:
    """An OpenAI-compatible ``/chat/completions`` endpoint as a judge."""

    def __init__(
        self,
        url: str,
        model: str,
        *,
        api_key: str | None = None,
        timeout: float = 60.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"--judge-url {url!r} must start with http:// or https://")
        self.name = f"chat:{model}"
        self.model = model
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(
            base_url=url.rstrip("/"),
            headers=headers,
            timeout=timeout,
            follow_redirects=False,
            transport=transport,
        )

    def judge(self, claim: str, evidence: Sequence[str]) -> JudgeVerdict:
        body = {
            "model": self.model,
            "temperature": 0,
            "messages": [
                {
                    "role": "user",
                    "content": PROMPT.format(
                        evidence="\n".join(f"- {e}" for e in evidence), claim=claim
                    ),
                }
            ],
        }
        try:
            response = self._client.post("/chat/completions", json=body)
            response.raise_for_status()
            text = response.json()["choices"][0]["message"]["content"]
        except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError) as exc:
            raise ConfigError(
                f"The chat judge at {self._client.base_url} did not answer usably ({exc}). "
                "Check the server is running and the model name, or use --judge rules."
            ) from exc
        return _parse_verdict(str(text))


def _parse_verdict(text: str) -> JudgeVerdict:
    m = _VERDICT.search(text)
    word = m.group(1).lower() if m else "unsupported"
    label = "unsupported" if word == "not supported" else word
    score = {"supported": 1.0, "contradicted": 0.0}.get(label, 0.2)
    reason = " ".join(text.split())[:200]
    return JudgeVerdict(label, score, reason)


class NLIJudge:
    """A local NLI cross-encoder (ONNX) as a judge: entailment by the best evidence passage
    means supported, contradiction means contradicted."""

    def __init__(self, model_dir: Path, *, session: Any = None, tokenizer: Any = None) -> None:
        self.name = f"nli:{model_dir.name}"
        config_path = model_dir / "config.json"
        if session is None or tokenizer is None:
            missing = [
                p.name
                for p in (model_dir / "model.onnx", model_dir / "tokenizer.json", config_path)
                if not p.is_file()
            ]
            if missing:
                raise ConfigError(
                    f"{model_dir} is not an ONNX NLI model directory (missing: "
                    f"{', '.join(missing)}). Export one with optimum, or use --judge rules."
                )
            import onnxruntime
            from tokenizers import Tokenizer

            session = onnxruntime.InferenceSession(
                str(model_dir / "model.onnx"), providers=["CPUExecutionProvider"]
            )
            tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
            tokenizer.enable_truncation(512)
        self._session = session
        self._tokenizer = tokenizer
        labels = {}
        if config_path.is_file():
            labels = json.loads(config_path.read_text(encoding="utf-8")).get("id2label", {})
        names = {int(k): str(v).lower() for k, v in labels.items()} or {
            0: "contradiction",
            1: "neutral",
            2: "entailment",
        }
        self._entail = next(i for i, n in names.items() if n.startswith("entail"))
        self._contra = next(i for i, n in names.items() if n.startswith("contra"))

    def judge(self, claim: str, evidence: Sequence[str]) -> JudgeVerdict:
        import numpy as np

        best_entail, best_contra = 0.0, 0.0
        for passage in evidence:
            enc = self._tokenizer.encode(passage, claim)
            feeds = {
                "input_ids": np.array([enc.ids], dtype=np.int64),
                "attention_mask": np.array([enc.attention_mask], dtype=np.int64),
            }
            wanted = {i.name for i in self._session.get_inputs()}
            if "token_type_ids" in wanted:
                feeds["token_type_ids"] = np.array([enc.type_ids], dtype=np.int64)
            logits = np.asarray(
                self._session.run(None, {k: v for k, v in feeds.items() if k in wanted})[0]
            )[0]
            probs = np.exp(logits - logits.max())
            probs = probs / probs.sum()
            best_entail = max(best_entail, float(probs[self._entail]))
            best_contra = max(best_contra, float(probs[self._contra]))
        if best_entail >= 0.5 and best_entail >= best_contra:
            return JudgeVerdict("supported", best_entail, f"entailment {best_entail:.2f}")
        if best_contra >= 0.5:
            return JudgeVerdict("contradicted", best_entail, f"contradiction {best_contra:.2f}")
        return JudgeVerdict("unsupported", best_entail, f"entailment {best_entail:.2f}")
