"""Turn what the Add form received (pasted text, uploaded files, URLs) into ``desk.add`` inputs.

``desk.add`` reads paths and URLs. A path typed into a web form would let anyone who can reach
the desk read the server's files into the store, so the web accepts only ``http(s)://`` URLs
(fetched by :mod:`factdesk.fetch`, which refuses private, loopback and link-local targets) and
content the browser sent: pasted text and uploads are written to a private temporary folder and
read from there like any file, with the same readers and limits as the CLI.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from factdesk import desk
from factdesk.errors import BlockedURLError, TooLargeError
from factdesk.ingest import ReadLimits
from factdesk.records import Outcome, RunSummary
from factdesk.store import Store

#: How many files and URLs one Add request may carry; more is refused before anything is read.
MAX_FILES = 20
MAX_URLS = 20
_CHUNK = 64 * 1024
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_HTTP = re.compile(r"https?://", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Upload:
    """One uploaded file: the name the browser gave and a readable binary stream."""

    name: str
    stream: BinaryIO


def _safe_name(name: str, index: int) -> str:
    # Keep only the base name and a plain extension: the extension picks the reader (.html,
    # .xml, .jsonl, ...), and nothing in the name may climb out of the temporary folder.
    base = _UNSAFE_NAME.sub("_", Path(name.replace("\\", "/")).name).strip("._") or "upload"
    return f"{index:02d}-{base[-80:]}"


def _copy(stream: BinaryIO, target: Path, max_bytes: int) -> int:
    """Copy at most ``max_bytes``; return the size, or -1 when the upload is larger."""
    size = 0
    with target.open("wb") as out:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                return -1
            out.write(chunk)
    return size


def add_from_web(
    store: Store,
    *,
    text: str | None = None,
    uploads: Sequence[Upload] = (),
    urls: Sequence[str] = (),
    limits: ReadLimits | None = None,
) -> RunSummary:
    """Add pasted text, uploads and URLs; one outcome per input, in the form's order.

    Outcomes name inputs as the editor knows them (``pasted text``, ``upload:wire.txt``, the
    URL), not by the temporary path they were read from.
    """
    limits = limits or ReadLimits()
    refused: list[Outcome] = []
    inputs: list[str] = []
    names: dict[str, str] = {}
    wanted = [u.strip() for u in urls if u.strip()]
    with tempfile.TemporaryDirectory(prefix="factdesk-web-") as tmp:
        folder = Path(tmp)
        if text and text.strip():
            data = text.encode("utf-8")
            if len(data) > limits.max_bytes:
                refused.append(_too_large("pasted text", limits.max_bytes))
            else:
                path = folder / "pasted.txt"
                path.write_bytes(data)
                inputs.append(str(path))
                names[str(path)] = "pasted text"
        for i, up in enumerate(uploads[:MAX_FILES]):
            shown = f"upload:{up.name or 'unnamed'}"
            path = folder / _safe_name(up.name or "upload", i)
            size = _copy(up.stream, path, limits.max_bytes)
            if size < 0:
                refused.append(_too_large(shown, limits.max_bytes))
                continue
            inputs.append(str(path))
            names[str(path)] = shown
        for up in uploads[MAX_FILES:]:
            refused.append(_refused(f"upload:{up.name}", f"at most {MAX_FILES} files per request"))
        for n, url in enumerate(wanted):
            if n >= MAX_URLS:
                refused.append(_refused(url, f"at most {MAX_URLS} URLs per request"))
            elif _HTTP.match(url) is None:
                refused.append(
                    Outcome(
                        source=url,
                        status="failed",
                        reason=f"{url}: not an http(s) URL; the web desk reads only http:// and "
                        "https:// addresses (paste the text or upload the file instead)",
                        code=BlockedURLError.code,
                    )
                )
            else:
                inputs.append(url)
        summary = (
            desk.add(inputs, store=store, limits=limits, command="web", names=names)
            if inputs
            else RunSummary()
        )
    order = ["pasted text", *(f"upload:{up.name or 'unnamed'}" for up in uploads), *wanted]
    outcomes = [_renamed(o, names) for o in summary.outcomes] + refused
    return RunSummary(outcomes=tuple(sorted(outcomes, key=lambda o: _position(o, order))))


def _position(outcome: Outcome, order: list[str]) -> int:
    """Where the input an outcome came from stood in the form (feed entries follow their feed)."""
    for i, name in enumerate(order):
        if outcome.source == name or outcome.source.startswith((f"{name}#", f"{name}:")):
            return i
    return len(order)


def _renamed(outcome: Outcome, names: dict[str, str]) -> Outcome:
    for path, shown in names.items():
        if outcome.source.startswith(path):
            source = shown + outcome.source[len(path) :]
            reason = outcome.reason.replace(path, shown) if outcome.reason else None
            return replace(outcome, source=source, reason=reason)
    return outcome


def _too_large(source: str, limit: int) -> Outcome:
    return Outcome(
        source=source,
        status="failed",
        reason=f"{source}: larger than the limit of {limit:,} bytes per input",
        code=TooLargeError.code,
    )


def _refused(source: str, why: str) -> Outcome:
    return Outcome(source=source, status="failed", reason=f"{source}: {why}", code="too-many")
