"""The brief's renderings: hostile article text is inert in every output; spans are right."""

from __future__ import annotations

import json
from pathlib import Path

from factdesk import desk
from factdesk.render import safe_terminal
from factdesk.report import brief_html, brief_json, brief_markdown
from factdesk.store import open_store

HOSTILE = """---
published: 2026-03-12T09:00:00+00:00
publisher: Example <b>Wire</b>
---
Dam <script>alert('x')</script> fails
Officials said <img src=x onerror=alert(1)> more than 20 people were evacuated on Wednesday.
A <a href="javascript:alert(2)">link</a> and <svg onload=alert(3)></svg> appear in the text.
The cause has not been confirmed. \x1b[31mRed\x1b[0m text was pasted too.
"""


def _brief(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "hostile.txt"
    path.write_text(HOSTILE, encoding="utf-8")
    store = open_store(tmp_path / "h.db")
    summary = desk.add([str(path)], store=store)
    assert summary.count("ok") == 1
    (story,) = store.list_stories()
    return store, desk.brief(store, story.id)


def test_brief_html_escapes_hostile_article_text(tmp_path: Path) -> None:
    store, brief = _brief(tmp_path)
    page = brief_html(brief)
    # Escaped, the attack text is shown as text; no tag from the article reaches the page.
    for raw in ("<script>", "<img", "<svg", '<a href="javascript', "<b>Wire"):
        assert raw not in page
    assert "&lt;script&gt;" in page
    assert "default-src 'none'" in page
    store.close()


def test_brief_markdown_neutralises_html(tmp_path: Path) -> None:
    store, brief = _brief(tmp_path)
    text = brief_markdown(brief)
    assert "<script>" not in text and "<img" not in text
    store.close()


def test_brief_json_citations_round_trip(tmp_path: Path) -> None:
    store, brief = _brief(tmp_path)
    payload = json.loads(json.dumps(brief_json(brief)))
    doc = store.get_document(brief.story.doc_ids[0])
    cited = [c for s in payload["sections"] for i in s["items"] for c in i["citations"]]
    assert cited
    for c in cited:
        assert doc.text[c["span"][0] : c["span"][1]] == c["text"]
    store.close()


def test_safe_terminal_strips_escape_sequences() -> None:
    assert "\x1b" not in safe_terminal("\x1b[31mRed\x1b[0m \u202eevil")
    assert "\u202e" not in safe_terminal("\u202eevil")
