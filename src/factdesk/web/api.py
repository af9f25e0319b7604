"""The JSON API under ``/api``: each route calls one library function and returns its view.

Shapes follow the CLI's ``--json`` output (``claims``, ``show``, ``brief``, ``timeline``, ``add``)
so scripts can move between the two. Errors are always
``{"ok": false, "error": ..., "code": ..., "status": ...}``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, PlainTextResponse

from factdesk import desk, render, report
from factdesk.store import Store
from factdesk.web import drafts, intake, views
from factdesk.web.app import get_store

router = APIRouter(prefix="/api", tags=["api"])

StoreDep = Annotated[Store, Depends(get_store)]
_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": 'Unknown id: `{"ok": false, "code": "not-found", ...}`'}
}


@router.get("/stories", summary="Stories, with status counts; `q` searches sentences (FTS)")
def api_stories(store: StoreDep, q: str | None = None) -> dict[str, Any]:
    return views.stories_view(store, q)


@router.get(
    "/stories/{story_id}",
    summary="One story: brief, claim groups, timeline, sources",
    responses=_ERRORS,
)
def api_story(store: StoreDep, story_id: str) -> dict[str, Any]:
    return views.story_view(store, story_id)


@router.get(
    "/stories/{story_id}/brief",
    summary="The brief, as `factdesk brief` prints it (json, md or html)",
    responses=_ERRORS,
    response_model=None,
)
def api_brief(
    store: StoreDep, story_id: str, format: Literal["json", "md", "html"] = "json"
) -> Any:
    result = desk.brief(store, story_id)
    if format == "md":
        return PlainTextResponse(report.brief_markdown(result), media_type="text/markdown")
    if format == "html":
        # The standalone brief carries its own inline <style> and a matching CSP.
        return HTMLResponse(
            report.brief_html(result),
            headers={"content-security-policy": "default-src 'none'; style-src 'unsafe-inline'"},
        )
    return report.brief_json(result)


@router.get(
    "/stories/{story_id}/findings",
    summary="Claim groups with status and conflicts",
    responses=_ERRORS,
)
def api_findings(store: StoreDep, story_id: str) -> dict[str, Any]:
    _, _, result = desk.story_findings(store, story_id)
    return views.findings_json(result)


@router.get("/stories/{story_id}/timeline", summary="Dated claims in date order", responses=_ERRORS)
def api_timeline(store: StoreDep, story_id: str) -> dict[str, Any]:
    return report.timeline_json(desk.timeline(store, story_id))


@router.get("/documents", summary="Every document's metadata")
def api_documents(store: StoreDep) -> dict[str, Any]:
    return views.documents_view(store)


@router.get(
    "/documents/{doc_id}",
    summary="One document (as `factdesk show --json`) with, per claim, who agrees or conflicts",
    responses=_ERRORS,
)
def api_document(store: StoreDep, doc_id: str) -> dict[str, Any]:
    return views.document_view(store, doc_id)


@router.get("/claims", summary="Claims of everything, one document or one story", responses=_ERRORS)
def api_claims(store: StoreDep, doc: str | None = None, story: str | None = None) -> dict[str, Any]:
    return views.claims_view(store, doc=doc, story=story)


@router.get("/search", summary="Full-text search over sentences")
def api_search(
    store: StoreDep, q: str, limit: Annotated[int, Query(ge=1, le=1000)] = 20
) -> dict[str, Any]:
    return {"query": q, "hits": [render.hit_json(h) for h in store.search(q, limit=limit)]}


def run_add(
    request: Request,
    store: Store,
    text: str | None,
    urls: str | None,
    files: list[UploadFile] | None,
) -> dict[str, Any]:
    """Add what a form sent; the Add page renders the same dict."""
    uploads = [
        intake.Upload(name=f.filename or "", stream=f.file)
        for f in files or []
        if f.filename or f.size
    ]
    summary = intake.add_from_web(
        store,
        text=text,
        uploads=uploads,
        urls=(urls or "").splitlines(),
        limits=request.app.state.settings.read_limits,
    )
    return render.summary_json(summary)


@router.post(
    "/add",
    summary="Add pasted text, uploaded files and http(s) URLs or feeds (one per line)",
    description="One outcome per input: added, skipped (duplicate) or failed with the reason "
    "and an error code. Private, loopback and link-local URLs are refused before connecting.",
)
def api_add(
    request: Request,
    store: StoreDep,
    text: Annotated[str | None, Form()] = None,
    urls: Annotated[str | None, Form()] = None,
    files: Annotated[list[UploadFile] | None, File()] = None,
) -> dict[str, Any]:
    return run_add(request, store, text, urls, files)


@router.post(
    "/check",
    summary="Check a draft (pasted or uploaded) against stories or documents",
    responses=_ERRORS,
)
def api_check(
    store: StoreDep,
    against: Annotated[list[str], Form()],
    draft: Annotated[str | None, Form()] = None,
    file: Annotated[UploadFile | None, File()] = None,
    title: Annotated[str | None, Form()] = None,
) -> dict[str, Any]:
    text = drafts.draft_text(draft, file)
    return drafts.check_view(store, text=text, title=title, against=against)
