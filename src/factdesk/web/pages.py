"""The desk's HTML pages. Each renders the dict its ``/api`` twin returns (see ``views``).

Templates autoescape; the one place HTML is built in Python, :func:`marked_text`, escapes every
piece of text and attribute with markupsafe before wrapping spans in highlight elements.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

import jinja2
from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape

from factdesk import desk
from factdesk.records import MODALITIES as MODALITY_NAMES
from factdesk.store import Store
from factdesk.web import drafts, views
from factdesk.web.api import run_add
from factdesk.web.app import get_store

router = APIRouter(include_in_schema=False)
StoreDep = Annotated[Store, Depends(get_store)]
_SPAN_PARAM = re.compile(r"(\d{1,9})-(\d{1,9})")


@dataclass(frozen=True, slots=True)
class Mark:
    """Wrap ``[start, end)`` of a text in ``<tag attrs>``; lower ``depth`` wraps outside."""

    start: int
    end: int
    tag: str
    attrs: tuple[tuple[str, str], ...] = ()
    depth: int = 0


def marked_text(text: str, marks: Iterable[Mark]) -> Markup:
    """Escaped ``text`` with each mark's span wrapped in its element.

    Overlapping marks are cut into flat pieces, each wrapped in every mark that covers it, so
    the HTML nests properly whatever the spans. Only the first piece of a mark carries its
    ``id`` (ids stay unique). Marks outside the text are ignored.
    """
    n = len(text)
    kept = sorted((m for m in marks if 0 <= m.start < m.end <= n), key=lambda m: (m.depth, m.start))
    bounds = sorted({0, n, *(m.start for m in kept), *(m.end for m in kept)})
    started: set[int] = set()
    out: list[str] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        piece = str(escape(text[a:b]))
        covering = [(i, m) for i, m in enumerate(kept) if m.start <= a and b <= m.end]
        for i, m in reversed(covering):
            attrs = "".join(
                f' {k}="{escape(v)}"' for k, v in m.attrs if k != "id" or i not in started
            )
            started.add(i)
            piece = f"<{m.tag}{attrs}>{piece}</{m.tag}>"
        out.append(piece)
    return Markup("".join(out))


def cite_url(citation: Mapping[str, Any]) -> str:
    """The document page with the cited span highlighted and scrolled into view."""
    start, end = citation["span"]
    return f"/documents/{citation['doc']}?hl={int(start)}-{int(end)}#hl"


def safe_url(url: str | None) -> str | None:
    """An http(s) URL to link to, else None (a ``javascript:`` URL is shown, never linked)."""
    if url and re.match(r"https?://", url, re.IGNORECASE):
        return url
    return None


def when(value: str | None) -> str:
    """An ISO timestamp as an editor reads it: ``2026-03-12 11:05 +01:00``."""
    if not value:
        return "date unknown"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    offset = moment.strftime("%z")
    zone = f" {offset[:3]}:{offset[3:]}" if offset else ""
    return moment.strftime("%Y-%m-%d %H:%M") + zone


def install_filters(env: jinja2.Environment) -> None:
    """Helpers every template can use."""
    env.filters["when"] = when
    env.globals.update(
        cite_url=cite_url,
        safe_url=safe_url,
        statuses=views.STATUSES,
        modalities=views.MODALITIES,
        labels=drafts.LABELS,
    )


def _render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    env: jinja2.Environment = request.app.state.templates
    html = env.get_template(name).render(request_path=request.url.path, **context)
    return HTMLResponse(html, status_code=status)


def _claim_status(findings: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    return {cid: f["status"] for f in findings for cid in f["claims"]}


def _outlets(documents: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    return {d["id"]: d["publisher"] or d["title"] or d["id"][:8] for d in documents}


@router.get("/")
def home() -> RedirectResponse:
    return RedirectResponse("/stories", status_code=303)


@router.get("/stories")
def stories_page(request: Request, store: StoreDep, q: str | None = None) -> HTMLResponse:
    data = views.stories_view(store, q)
    return _render(request, "stories.html", data=data, api_url=_api_twin(request))


@router.get("/stories/{story_id}")
def story_page(request: Request, store: StoreDep, story_id: str) -> HTMLResponse:
    data = views.story_view(store, story_id)
    status_of = _claim_status(data["findings"]["findings"])
    texts = {
        d["id"]: marked_text(
            d["text"],
            [
                Mark(
                    c["span"][0],
                    c["span"][1],
                    "a",
                    (
                        ("class", f"claim s-{status_of.get(c['id'], 'none')}"),
                        ("href", cite_url({"doc": d["id"], "span": c["span"]})),
                        ("title", status_of.get(c["id"], "not grouped")),
                    ),
                )
                for c in d["claims"]
                if c["checkable"]
            ],
        )
        for d in data["documents"]
    }
    # The brief's "Sources" section, shown on each source's card rather than as a list.
    source_notes = {
        it["citations"][0]["doc"]: it["details"]
        for sec in data["brief"]["sections"]
        if sec["kind"] == "sources"
        for it in sec["items"]
        if it["citations"]
    }
    return _render(
        request,
        "story.html",
        data=data,
        outlets=_outlets(data["documents"]),
        texts=texts,
        source_notes=source_notes,
        api_url=f"/api/stories/{data['story']['id']}",
    )


@router.get("/documents/{doc_id}")
def document_page(
    request: Request, store: StoreDep, doc_id: str, hl: str | None = None
) -> HTMLResponse:
    data = views.document_view(store, doc_id)
    marks = [
        Mark(
            c["span"][0],
            c["span"][1],
            "a",
            (
                (
                    "class",
                    f"claim m-{c['modality'] if c['modality'] in MODALITY_NAMES else 'x'}"
                    + ("" if c["checkable"] else " unchecked"),
                ),
                ("href", f"#claim-{c['id']}"),
                ("data-claim", c["id"]),
            ),
        )
        for c in data["claims"]
    ]
    highlight = _span_param(hl, len(data["text"]))
    if highlight is not None:
        marks.append(Mark(*highlight, "mark", (("id", "hl"), ("class", "hl")), depth=1))
    return _render(
        request,
        "document.html",
        data=data,
        text=marked_text(data["text"], marks),
        highlight=highlight,
        api_url=f"/api/documents/{data['id']}",
    )


def _span_param(value: str | None, length: int) -> tuple[int, int] | None:
    match = _SPAN_PARAM.fullmatch(value or "")
    if match is None:
        return None
    start, end = int(match.group(1)), int(match.group(2))
    return (start, end) if 0 <= start < end <= length else None


@router.get("/add")
def add_form(request: Request) -> HTMLResponse:
    return _render(request, "add.html", result=None, api_url=None)


@router.post("/add")
def add_submit(
    request: Request,
    store: StoreDep,
    text: Annotated[str | None, Form()] = None,
    urls: Annotated[str | None, Form()] = None,
    files: Annotated[list[UploadFile] | None, File()] = None,
) -> HTMLResponse:
    result = run_add(request, store, text, urls, files)
    stories = {}
    for o in result["outcomes"]:
        if o["doc"]:
            stories[o["doc"]] = store.story_of(o["doc"])
    return _render(request, "add.html", result=result, stories=stories, api_url=None)


def _story_choices(store: Store) -> list[dict[str, Any]]:
    return [{"id": s.id, "label": s.label, "sources": len(s.doc_ids)} for s in desk.stories(store)]


@router.get("/check")
def check_form(request: Request, store: StoreDep, story: str | None = None) -> HTMLResponse:
    return _render(
        request,
        "check.html",
        choices=_story_choices(store),
        chosen=story,
        result=None,
        draft="",
        draft_title="",
        api_url=None,
    )


@router.post("/check")
def check_submit(
    request: Request,
    store: StoreDep,
    against: Annotated[list[str], Form()],
    draft: Annotated[str | None, Form()] = None,
    file: Annotated[UploadFile | None, File()] = None,
    title: Annotated[str | None, Form()] = None,
) -> HTMLResponse:
    text = drafts.draft_text(draft, file)
    result = drafts.check_view(store, text=text, title=title, against=against)
    outlets = {d.id: d.publisher or d.title or d.id[:8] for d in store.list_documents()}
    sentence_marks = [
        Mark(
            s["span"][0],
            s["span"][1],
            "a",
            (
                ("class", f"sent l-{s['label'] if s['label'] in drafts.LABELS else 'x'}"),
                ("href", f"#s-{i}"),
                ("title", s["label"]),
            ),
        )
        for i, s in enumerate(result["sentences"])
    ]
    return _render(
        request,
        "check.html",
        choices=_story_choices(store),
        chosen=against[0] if against else None,
        against=against,
        result=result,
        draft=text,
        draft_title=title or "",
        outlets=outlets,
        marked=marked_text(result["draft"]["text"], sentence_marks),
        api_url=None,
    )


@router.post("/check/report")
def check_report(
    store: StoreDep,
    against: Annotated[list[str], Form()],
    draft: Annotated[str, Form()],
    title: Annotated[str | None, Form()] = None,
) -> Response:
    html = drafts.check_report_html(store, text=draft, title=title, against=against)
    return HTMLResponse(
        html,
        headers={
            "content-disposition": 'attachment; filename="factdesk-check.html"',
            # The standalone report carries its own inline <style> and a matching CSP.
            "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
        },
    )


@router.get("/docs")
def api_docs(request: Request) -> HTMLResponse:
    schema = request.app.openapi()
    operations = [
        {
            "method": method.upper(),
            "path": path,
            "summary": op.get("summary", ""),
            "description": op.get("description", ""),
            "parameters": [
                {
                    "name": p["name"],
                    "in": p["in"],
                    "required": p.get("required", False),
                }
                for p in op.get("parameters", [])
            ],
            "form": sorted(_form_fields(schema, op)),
        }
        for path, item in schema["paths"].items()
        for method, op in item.items()
    ]
    return _render(request, "docs.html", operations=operations, api_url="/openapi.json")


def _form_fields(schema: Mapping[str, Any], op: Mapping[str, Any]) -> list[str]:
    content = op.get("requestBody", {}).get("content", {})
    for body in content.values():
        ref = body.get("schema", {}).get("$ref", "")
        name = ref.rsplit("/", 1)[-1]
        props = schema.get("components", {}).get("schemas", {}).get(name, {}).get("properties")
        if props:
            return list(props)
    return []


def _api_twin(request: Request) -> str:
    query = f"?{request.url.query}" if request.url.query else ""
    return f"/api{request.url.path}{query}"
