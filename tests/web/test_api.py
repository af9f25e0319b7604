"""The JSON API and the pages, through FastAPI's test client (no browser, no network)."""

from __future__ import annotations

import io
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from markupsafe import escape

from factdesk import desk, render, report
from factdesk.cli import cli
from factdesk.errors import ConfigError
from factdesk.ingest import ReadLimits
from factdesk.store import open_store
from factdesk.web import create_app, serve
from factdesk.web.app import LOOPBACK_NAMES, is_loopback
from factdesk.web.pages import Mark, marked_text

HTML = {"accept": "text/html"}
EXAMPLE_DRAFT = desk.example_story_dir().parent / "example_draft.txt"
HOSTILE = (
    "Council <script>alert('title')</script> votes on budget\n\n"
    "The city council approved a budget of 12 million euros on Monday, the mayor said. "
    "<script>alert(1)</script>\n"
    'Officials said <img src=x onerror="alert(2)"> the vote was 7 to 2. '
    '<a href="javascript:alert(3)">details</a>\n'
    'Critics said the plan was rushed. <svg onload="alert(4)"><script>alert(5)</script></svg> '
    '<iframe src="javascript:alert(6)"></iframe>\n'
)


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside elements matched by id."""

    def __init__(self, capture_id: str | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.capture_id = capture_id
        self.captured: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if self._depth:
            self._depth += 1
        elif self.capture_id is not None and dict(attrs).get("id") == self.capture_id:
            self._depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.captured.append(data)


def _parse(html: str, capture_id: str | None = None) -> _Tags:
    parser = _Tags(capture_id)
    parser.feed(html)
    return parser


def _assert_error(response: Any, status: int, code: str) -> None:
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"ok", "error", "code", "status"}
    assert body["ok"] is False and body["code"] == code and body["status"] == status
    assert body["error"]


# --- JSON API ------------------------------------------------------------------------------------


def test_api_stories_counts_statuses_and_dates(client: TestClient, story_id: str) -> None:
    data = client.get("/api/stories").json()
    (story,) = data["stories"]
    assert story["id"] == story_id and story["sources"] == 7
    assert set(story["status_counts"]) == {
        "confirmed",
        "corroborated",
        "single-source",
        "contested",
        "unconfirmed",
    }
    assert story["status_counts"]["contested"] >= 1
    assert story["date_range"]["start"] <= story["date_range"]["end"]


def test_api_stories_search_finds_sentences(client: TestClient, story_id: str) -> None:
    data = client.get("/api/stories", params={"q": "spillway inspection"}).json()
    assert data["query"] == "spillway inspection"
    assert data["hits"] and all(h["story"] == story_id for h in data["hits"])
    assert client.get("/api/stories", params={"q": "zyzzyva"}).json()["stories"] == []


def test_api_brief_is_the_cli_brief(client: TestClient, example_db: str, story_id: str) -> None:
    with open_store(example_db) as store:
        expected = report.brief_json(desk.brief(store, story_id))
    assert client.get(f"/api/stories/{story_id}/brief").json() == expected
    assert client.get(f"/api/stories/{story_id}").json()["brief"] == expected


@pytest.mark.parametrize(("fmt", "media"), [("md", "text/markdown"), ("html", "text/html")])
def test_api_brief_other_formats(client: TestClient, story_id: str, fmt: str, media: str) -> None:
    response = client.get(f"/api/stories/{story_id}/brief", params={"format": fmt})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert "Key facts" in response.text


def test_api_document_is_show_json_plus_context(client: TestClient, example_db: str) -> None:
    with open_store(example_db) as store:
        doc = store.list_documents()[3]
        expected = render.document_json(desk.show(store, doc.id))
    data = client.get(f"/api/documents/{doc.id[:6]}").json()
    assert {k: data[k] for k in expected} == expected
    assert data["story"]["id"]
    contested = [f for f in data["claim_findings"].values() if f["status"] == "contested"]
    assert contested and all(f["conflict"] or f["related"] for f in contested)
    assert any(f["conflict"] for f in contested)


def test_api_findings_timeline_claims(client: TestClient, story_id: str) -> None:
    findings = client.get(f"/api/stories/{story_id}/findings").json()
    assert any(f["conflicts"] for f in findings["findings"])
    assert findings["copies"]
    timeline = client.get(f"/api/stories/{story_id}/timeline").json()["timeline"]
    assert [e["date"] for e in timeline] == sorted(
        (e["date"] for e in timeline), key=lambda v: v.split("/")[0].replace("X", "9")
    )
    claims = client.get("/api/claims", params={"story": story_id}).json()["claims"]
    docs = client.get("/api/documents").json()["documents"]
    assert len(claims) == sum(d["claims"] for d in docs)


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("get", "/api/stories/s000000", 404, "not-found"),
        ("get", "/api/documents/ffffffff", 404, "not-found"),
        ("get", "/api/no-such-route", 404, "not-found"),
        ("get", "/api/search?q=dam&limit=0", 422, "invalid-request"),
        ("delete", "/api/stories", 405, "method-not-allowed"),
        ("post", "/api/check", 422, "invalid-request"),
    ],
)
def test_api_errors_have_one_body(
    client: TestClient, method: str, path: str, status: int, code: str
) -> None:
    _assert_error(getattr(client, method)(path), status, code)


def test_pages_errors_are_html_with_the_same_fields(client: TestClient) -> None:
    response = client.get("/stories/s000000", headers=HTML)
    assert response.status_code == 404
    assert "not-found" in response.text and "No story" in response.text


def test_openapi_and_docs_page_list_the_routes(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {"/api/stories", "/api/stories/{story_id}", "/api/add", "/api/check"} <= set(
        schema["paths"]
    )
    page = client.get("/docs", headers=HTML).text
    for path in schema["paths"]:
        assert str(escape(path)) in page


# --- pages and API agree -------------------------------------------------------------------------


def test_pages_and_api_agree_on_stories(client: TestClient) -> None:
    data = client.get("/api/stories").json()
    page = client.get("/stories", headers=HTML).text
    assert '<a class="twin" href="/api/stories"' in page
    for s in data["stories"]:
        assert str(escape(s["label"])) in page
        assert f'<td class="num">{s["sources"]}</td>' in page
        for status, n in s["status_counts"].items():
            if n:
                assert f"<b>{n}</b> {status}" in page


def test_pages_and_api_agree_on_a_story(client: TestClient, story_id: str) -> None:
    data = client.get(f"/api/stories/{story_id}").json()
    page = client.get(f"/stories/{story_id}", headers=HTML).text
    for section in data["brief"]["sections"]:
        if section["kind"] == "sources":
            # Shown on each source's card.
            for item in section["items"]:
                for detail in item["details"]:
                    assert str(escape(detail)) in page
            continue
        assert str(escape(section["title"])) in page
        for item in section["items"]:
            assert str(escape(item["text"])) in page
            for c in item["citations"]:
                assert f"/documents/{c['doc']}?hl={c['span'][0]}-{c['span'][1]}#hl" in page
    for f in data["findings"]["findings"]:
        assert str(escape(f["text"])) in page
    for entry in data["timeline"]:
        assert f"<time>{entry['date']}</time>" in page
    for d in data["documents"]:
        assert f'href="/documents/{d["id"]}"' in page


def test_pages_and_api_agree_on_a_document(client: TestClient, story_id: str) -> None:
    story = client.get(f"/api/stories/{story_id}").json()
    doc_id = story["documents"][0]["id"]
    data = client.get(f"/api/documents/{doc_id}").json()
    page = client.get(f"/documents/{doc_id}", headers=HTML).text
    # The text on the page is exactly the document's text, character for character.
    assert "".join(_parse(page, "text").captured) == data["text"]
    cards = {a.get("id") for t, a in _parse(page).tags if t == "section"}
    assert {f"claim-{c['id']}" for c in data["claims"]} <= cards


def test_document_page_highlights_the_cited_span(client: TestClient, story_id: str) -> None:
    brief = client.get(f"/api/stories/{story_id}/brief").json()
    cite = brief["sections"][0]["items"][0]["citations"][0]
    start, end = cite["span"]
    page = client.get(f"/documents/{cite['doc']}?hl={start}-{end}", headers=HTML).text
    assert "".join(_parse(page, "hl").captured) == cite["text"]
    # A span outside the text is ignored, not an error.
    assert client.get(f"/documents/{cite['doc']}?hl=5-999999", headers=HTML).status_code == 200


def test_pages_carry_a_strict_csp(client: TestClient, story_id: str) -> None:
    for path in ("/stories", f"/stories/{story_id}", "/api/stories", "/add"):
        headers = client.get(path, headers=HTML).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"


# --- add -----------------------------------------------------------------------------------------


@pytest.fixture()
def fresh(tmp_path: Path) -> Any:
    limits = ReadLimits(max_bytes=4096)
    with TestClient(
        create_app(str(tmp_path / "fresh.db"), read_limits=limits, max_request_bytes=64 * 1024),
        base_url="http://127.0.0.1",
    ) as c:
        yield c


def test_api_add_reports_each_input(fresh: TestClient) -> None:
    article = (
        "Bridge reopens in Havelstad\n\nThe Millbank bridge reopened on Friday after repairs, "
        "the city council said."
    )
    files = [
        ("files", ("../../etc/wire.txt", io.BytesIO(article.replace("Friday", "Monday").encode()))),
        ("files", ("huge.txt", io.BytesIO(b"x " * 5000))),
    ]
    urls = "file:///etc/passwd\n/etc/passwd\nhttp://127.0.0.1:9/x\nhttp://169.254.169.254/meta"
    body = fresh.post("/api/add", data={"text": article, "urls": urls}, files=files).json()
    by_source = {o["source"]: o for o in body["outcomes"]}
    assert by_source["pasted text"]["status"] == "added"
    assert by_source["upload:../../etc/wire.txt"]["status"] == "added"
    assert by_source["upload:huge.txt"]["code"] == "too-large"
    for url in urls.splitlines():
        assert by_source[url]["status"] == "failed"
        assert by_source[url]["code"] == "blocked-url"
    assert (body["added"], body["failed"]) == (2, 5)
    assert [o["source"] for o in body["outcomes"]][:2] == [
        "pasted text",
        "upload:../../etc/wire.txt",
    ]
    # Stored under the name the editor gave, never the server's temporary path.
    docs = fresh.get("/api/documents").json()["documents"]
    assert {d["source"] for d in docs} == {"pasted text", "upload:../../etc/wire.txt"}
    again = fresh.post("/api/add", data={"text": article}).json()
    assert again["outcomes"][0]["status"] == "skipped"
    assert "duplicate" in again["outcomes"][0]["reason"]


def test_api_add_refuses_an_oversized_request(fresh: TestClient) -> None:
    response = fresh.post("/api/add", files=[("files", ("a.txt", io.BytesIO(b"a" * 70_000)))])
    _assert_error(response, 413, "too-large")


def test_add_page_shows_outcomes(fresh: TestClient) -> None:
    page = fresh.post("/add", data={"urls": "ftp://example.org/x"}, headers=HTML).text
    assert "0 added, 0 already there, 1 failed" in page and "blocked-url" in page


# --- hostile input -------------------------------------------------------------------------------


def test_hostile_article_is_inert_in_every_page(fresh: TestClient) -> None:
    body = fresh.post("/api/add", data={"text": HOSTILE}).json()
    (outcome,) = body["outcomes"]
    assert outcome["status"] == "added"
    doc = outcome["doc"]
    story = fresh.get(f"/api/documents/{doc}").json()["story"]["id"]
    pages = [
        f"/documents/{doc}",
        f"/documents/{doc}?hl=0-20",
        f"/stories/{story}",
        "/stories?q=council",
        "/stories",
    ]
    for path in pages:
        html = fresh.get(path, headers=HTML).text
        tags = _parse(html).tags
        assert [a.get("src") for t, a in tags if t == "script"] == ["/static/desk.js"], path
        assert not [t for t, _ in tags if t in ("svg", "iframe", "img", "object", "embed")], path
        for tag, attrs in tags:
            assert not [k for k in attrs if k.startswith("on")], (path, tag, attrs)
            assert not (attrs.get("href") or "").lower().startswith("javascript:"), path
        assert "&lt;script&gt;" in html, path
    # The JSON API carries the text as data, unchanged.
    assert "<script>alert(1)</script>" in fresh.get(f"/api/documents/{doc}").json()["text"]


def test_marked_text_escapes_and_nests_overlapping_marks() -> None:
    text = "a <b> c & d"
    html = marked_text(
        text,
        [
            Mark(0, 7, "a", (("class", 'x"><script>'), ("id", "one"))),
            Mark(4, 11, "mark", (("id", "hl"),), depth=1),
        ],
    )
    assert html == (
        '<a class="x&#34;&gt;&lt;script&gt;" id="one">a &lt;b</a>'
        '<a class="x&#34;&gt;&lt;script&gt;"><mark id="hl">&gt; c</mark></a>'
        "<mark> &amp; d</mark>"
    )


# --- draft check ---------------------------------------------------------------------------------


def test_api_check_the_example_draft(client: TestClient, story_id: str) -> None:
    draft = EXAMPLE_DRAFT.read_text(encoding="utf-8")
    data = client.post("/api/check", data={"against": story_id, "draft": draft}).json()
    assert data["against"] == [story_id]
    assert data["summary"]["supported"] >= 1 and data["summary"]["contradicted"] >= 1
    assert data["exit_code"] == 1
    assert {s["label"] for s in data["sentences"]} <= {
        "supported",
        "partly-supported",
        "unsupported",
        "contradicted",
        "not-checkable",
    }


def test_api_check_reads_an_uploaded_draft(client: TestClient, story_id: str) -> None:
    upload = ("draft.md", io.BytesIO(EXAMPLE_DRAFT.read_bytes()), "text/markdown")
    data = client.post("/api/check", data={"against": story_id}, files={"file": upload}).json()
    assert data["draft"]["text"] == EXAMPLE_DRAFT.read_text(encoding="utf-8")
    assert data["draft"]["title"].startswith("Brannock Dam")
    binary = ("draft.txt", io.BytesIO(b"\xff\xfe\x00bad"), "text/plain")
    response = client.post("/api/check", data={"against": story_id}, files={"file": binary})
    _assert_error(response, 422, "extract-error")


def test_api_check_never_reads_server_paths(client: TestClient, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("The secret budget is 99 million euros, the minister said.\n")
    response = client.post("/api/check", data={"against": str(secret), "draft": "A dam failed."})
    _assert_error(response, 404, "not-found")
    assert "99 million" not in response.text


def test_api_check_empty_draft_is_an_error(client: TestClient, story_id: str) -> None:
    response = client.post("/api/check", data={"against": story_id, "draft": "  "})
    _assert_error(response, 422, "extract-error")


def test_check_report_downloads(client: TestClient, story_id: str) -> None:
    draft = EXAMPLE_DRAFT.read_text(encoding="utf-8")
    response = client.post("/check/report", data={"against": story_id, "draft": draft})
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    assert "<html" in response.text.lower()


# --- access control ------------------------------------------------------------------------------


def test_token_is_required_when_set(example_db: str) -> None:
    app = create_app(example_db, token="s3cret-token")
    with TestClient(app, base_url="http://127.0.0.1") as c:
        _assert_error(c.get("/api/stories"), 401, "unauthorized")
        _assert_error(c.get("/api/stories?token=wrong"), 401, "unauthorized")
        ok = c.get("/api/stories", headers={"authorization": "Bearer s3cret-token"})
        assert ok.status_code == 200
        assert c.get("/static/desk.css").status_code == 200
        login = c.get("/stories?token=s3cret-token", follow_redirects=False)
        assert login.status_code == 303 and login.headers["location"] == "/stories"
        assert "s3cret-token" not in login.headers["set-cookie"]
        assert "httponly" in login.headers["set-cookie"].lower()
        assert c.get("/api/stories").status_code == 200  # the cookie now carries it


def test_loopback_desk_refuses_other_host_names(example_db: str) -> None:
    app = create_app(example_db, allowed_hosts=LOOPBACK_NAMES)
    with TestClient(app, base_url="http://attacker.example") as c:
        _assert_error(c.get("/api/stories"), 403, "forbidden-host")
    with TestClient(app, base_url="http://localhost:8000") as c:
        assert c.get("/api/stories").status_code == 200


def test_cross_site_posts_are_refused(client: TestClient) -> None:
    response = client.post(
        "/api/add", data={"text": "x"}, headers={"origin": "http://attacker.example"}
    )
    _assert_error(response, 403, "cross-origin")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.5", False),
        ("example.org", False),
    ],
)
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_serve_refuses_public_address_without_token(example_db: str) -> None:
    with pytest.raises(ConfigError, match="FACTDESK_TOKEN"):
        serve(example_db, host="0.0.0.0", port=0)


def test_cli_serve_refuses_public_address_without_token(example_db: str) -> None:
    result = CliRunner().invoke(
        cli, ["--db", example_db, "serve", "--host", "0.0.0.0"], env={"FACTDESK_TOKEN": ""}
    )
    assert result.exit_code == 1
    assert "FACTDESK_TOKEN" in result.output


def test_cli_serve_help_has_example() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output


def test_api_json_is_utf8_and_parses(client: TestClient, story_id: str) -> None:
    response = client.get(f"/api/stories/{story_id}")
    assert response.headers["content-type"].startswith("application/json")
    json.loads(response.content.decode("utf-8"))
