"""The draft check for the web: read the draft from the form, call ``desk.check``, shape the result.

The check itself lives in :mod:`factdesk.check` (``desk.check`` runs it, ``check_json`` and
``check_html`` render it); this module only reads the form and calls them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import UploadFile

from factdesk import desk
from factdesk.check import CheckReport, check_html, check_json
from factdesk.errors import ExtractError, NotFound, TooLargeError
from factdesk.records import RawDocument
from factdesk.store import Store

#: Largest draft accepted, in bytes (a long feature is ~100 kB).
MAX_DRAFT_BYTES = 1024 * 1024
#: A first line longer than this is a paragraph, not a headline (as for .txt sources).
MAX_TITLE_CHARS = 200
#: The labels a draft sentence can get, with what each means (the check page's legend).
LABELS: dict[str, str] = {
    "supported": "the sources state it",
    "partly-supported": "some of it is in the sources, some is not",
    "unsupported": "no source states it",
    "contradicted": "a source states otherwise",
    "not-checkable": "no checkable claim (framing, opinion, filler)",
}


def draft_text(draft: str | None, file: UploadFile | None) -> str:
    """The draft from the form: the uploaded file if one was sent, else the pasted text.

    Raises:
        ExtractError: no draft, or a file that is not UTF-8 text.
        TooLargeError: the draft is over ``MAX_DRAFT_BYTES``.
    """
    if file is not None and (file.filename or file.size):
        data = file.file.read(MAX_DRAFT_BYTES + 1)
        if len(data) > MAX_DRAFT_BYTES:
            raise TooLargeError(
                f"{file.filename}: the draft is larger than {MAX_DRAFT_BYTES:,} bytes"
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ExtractError(
                f"{file.filename}: not UTF-8 text ({exc.reason} at byte {exc.start}); upload "
                "the draft as a .txt or .md file, or paste it"
            ) from exc
    else:
        text = draft or ""
        if len(text.encode("utf-8")) > MAX_DRAFT_BYTES:
            raise TooLargeError(f"The draft is larger than {MAX_DRAFT_BYTES:,} bytes")
    if not text.strip():
        raise ExtractError("The draft is empty: paste its text or upload a .txt or .md file.")
    return text


def resolve_against(store: Store, against: Sequence[str]) -> list[str]:
    """Stored story or document ids (or unique prefixes) as full ids.

    ``desk.check`` also reads paths and URLs given as sources; a value typed into a web form
    must never name a file on the server, so only ids of what is already stored pass.

    Raises:
        ExtractError: nothing was chosen.
        NotFound: a value is neither a stored story nor a stored document.
    """
    ids: list[str] = []
    for item in (a.strip() for a in against):
        if not item:
            continue
        try:
            ids.append(desk.resolve_story(store, item).id)
        except NotFound:
            try:
                ids.append(store.resolve_id(item))
            except NotFound:
                raise NotFound(
                    f"{item!r} is neither a stored story nor a stored document; choose a story "
                    "from the list (see /api/stories)."
                ) from None
    if not ids:
        raise ExtractError("Choose a story (or document) to check the draft against.")
    return ids


def _title(text: str, title: str | None) -> str | None:
    """The title given, else the draft's first line when it is short enough to be a headline."""
    if title and title.strip():
        return title.strip()
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first if len(first) <= MAX_TITLE_CHARS else None


def _report(store: Store, text: str, title: str | None, against: Sequence[str]) -> CheckReport:
    ids = resolve_against(store, against)
    # Always a RawDocument (desk.check reads a plain string as a path), and never a path or
    # URL as a source: only what is stored.
    draft = RawDocument(text=text, source="draft", title=_title(text, title))
    return desk.check(store, draft, against=ids, allow_paths=False)


def check_view(
    store: Store, *, text: str, title: str | None, against: Sequence[str]
) -> dict[str, Any]:
    """The check's JSON (as ``factdesk check --json``) for a draft against stored stories."""
    return check_json(_report(store, text, title, against))


def check_report_html(store: Store, *, text: str, title: str | None, against: Sequence[str]) -> str:
    """The standalone HTML report of a check, for download."""
    return check_html(_report(store, text, title, against))
