"""End to end in Debian's Chromium: the desk as an editor uses it, on a real loopback server.

The module's server starts empty; the first test adds the example story through the Add page
and the others work on what it added. Screenshots land in tests/web/screenshots/ for review.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from factdesk import desk

EXAMPLE_DRAFT = desk.example_story_dir().parent / "example_draft.txt"

HOSTILE_HTML = """<!doctype html><html><head><title>Budget <script>alert('t')</script> vote</title>
<meta property="og:site_name" content="Gazette &lt;img src=x onerror=alert(9)&gt;"></head>
<body><article><h1>Council votes on the city budget</h1>
<p>The city council approved a budget of 12 million euros on Monday, the mayor said.
&lt;script&gt;window.__pwned = 'escaped script'&lt;/script&gt;</p>
<p>Officials said the vote was 7 to 2. &lt;img src=x onerror="window.__pwned='img'"&gt;
&lt;a href="javascript:window.__pwned='link'"&gt;Read the minutes&lt;/a&gt;</p>
<p>Critics said the plan was rushed. &lt;svg onload="window.__pwned='svg'"&gt;&lt;/svg&gt;
<script>window.__pwned = 'raw script'</script><img src=x onerror="window.__pwned='raw img'"></p>
</article></body></html>
"""
HOSTILE_TEXT = (
    "Mayor <script>window.__pwned='title'</script> speaks\n\n"
    "The mayor said <img src=x onerror=\"window.__pwned='pasted img'\"> the bridge reopens on "
    "Friday. <svg><script>window.__pwned='pasted svg'</script></svg> "
    "<a href=\"javascript:window.__pwned='pasted link'\">more</a>"
)


@pytest.fixture(scope="module")
def added(browser: Any, empty_server: str, screenshot: Any) -> dict[str, Any]:
    """Add the example story through the Add page, as an editor would; return what it showed."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{empty_server}/stories")
    assert "No stories yet" in page.inner_text("main")
    screenshot(page, "01-stories-empty")
    page.click("text=Add sources")
    page.set_input_files("#files", desk.example_story_inputs())
    page.click("button.primary")
    page.wait_for_selector("#results", timeout=120_000)
    screenshot(page, "02-add-example-story", full_page=True)
    outcomes = page.locator(".outcome").all_inner_texts()
    story_href = page.locator("a", has_text="open its story").first.get_attribute("href")
    context.close()
    assert story_href is not None
    return {"outcomes": outcomes, "story": story_href.rsplit("/", 1)[-1]}


def test_browser_add_example_story_reports_each_input(added: dict[str, Any]) -> None:
    # Five files; the feed holds two articles and the JSONL two lines: seven documents.
    assert len(added["outcomes"]) == 7
    assert all(o.lower().lstrip("✔ ").startswith("added") for o in added["outcomes"])


def test_browser_stories_list_shows_counts_and_legend(
    page: Any, empty_server: str, added: dict[str, Any], screenshot: Any
) -> None:
    page.goto(f"{empty_server}/stories")
    row = page.locator("table.stories tbody tr").first
    assert "Brannock Dam" in row.inner_text()
    assert page.locator("table.stories .count").count() >= 3
    legend = page.locator("dl.legend").inner_text()
    for status in ("confirmed", "corroborated", "single-source", "contested", "unconfirmed"):
        assert status in legend
    screenshot(page, "03-stories")
    page.fill("#q", "spillway inspection")
    page.press("#q", "Enter")
    page.wait_for_selector(".hits li")
    screenshot(page, "04-stories-search")
    assert not page.seen.errors


def test_browser_story_page_citation_opens_highlighted_sentence(
    page: Any, empty_server: str, added: dict[str, Any], screenshot: Any
) -> None:
    page.goto(f"{empty_server}/stories/{added['story']}")
    assert page.locator("h2#brief-key-facts").is_visible()
    for section in ("#conflicts", "#groups", "#timeline", "#sources"):
        assert page.locator(section).count() == 1
    screenshot(page, "05-story")
    page.locator("#conflicts").scroll_into_view_if_needed()
    screenshot(page, "06-story-conflicts")
    page.locator("#sources").scroll_into_view_if_needed()
    screenshot(page, "07-story-sources-side-by-side")

    page.locator("#brief").scroll_into_view_if_needed()
    cite = page.locator("#brief-contested + ul a.cite").first
    cited_text = cite.get_attribute("title") or ""
    cite.click()
    page.wait_for_url(re.compile(r"/documents/[0-9a-f]+\?hl=\d+-\d+#hl$"))
    mark = page.locator("mark#hl")
    assert mark.is_visible()
    # The highlighted passage is the cited sentence, and it is on screen.
    assert cited_text.startswith(mark.inner_text())
    box = mark.bounding_box()
    assert box is not None and 0 <= box["y"] <= 900
    # The inspector opened the card of the claim holding the passage.
    card = page.locator(".card.shown")
    assert card.count() == 1 and "Speaker" in card.inner_text()
    screenshot(page, "08-citation-highlighted")
    assert not page.seen.errors


def test_browser_document_claim_shows_who_said_it(
    page: Any, empty_server: str, added: dict[str, Any], screenshot: Any
) -> None:
    story = page.request.get(f"{empty_server}/api/stories/{added['story']}").json()
    relayed = next(d for d in story["documents"] if any(len(c["via"]) >= 2 for c in d["claims"]))
    claim = next(c for c in relayed["claims"] if len(c["via"]) >= 2)
    page.goto(f"{empty_server}/documents/{relayed['id']}")
    screenshot(page, "09-document")
    page.locator(f'a.claim[data-claim="{claim["id"]}"]').first.hover()
    card = page.locator(f'.card.shown[data-claim="{claim["id"]}"]')
    assert card.is_visible()
    text = card.inner_text()
    assert claim["speaker"] in text
    for hop in claim["via"]:
        assert hop in text
    page.locator(f'a.claim[data-claim="{claim["id"]}"]').first.click()
    screenshot(page, "10-document-claim-card")
    assert not page.seen.errors


def test_browser_draft_check_highlights_sentences(
    page: Any, empty_server: str, added: dict[str, Any], screenshot: Any, tmp_path: Path
) -> None:
    page.goto(f"{empty_server}/check?story={added['story']}")
    screenshot(page, "11-check-form")
    page.fill("#draft", EXAMPLE_DRAFT.read_text(encoding="utf-8"))
    page.click("button.primary")
    page.wait_for_selector("#summary", timeout=120_000)
    assert page.locator(".draft-text a.sent").count() >= 5
    for label in ("supported", "contradicted", "unsupported"):
        assert page.locator(f".draft-text a.sent.l-{label}").count() >= 1, label
    assert page.locator(".row .evidence .ev").count() >= 3
    screenshot(page, "12-check-result")
    page.locator(".sentences").scroll_into_view_if_needed()
    screenshot(page, "13-check-sentences")
    page.locator("#omissions").scroll_into_view_if_needed()
    screenshot(page, "14-check-omissions")
    with page.expect_download() as download:
        page.click("text=Download report (HTML)")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert "<html" in saved.read_text(encoding="utf-8").lower()
    assert not page.seen.errors


def test_browser_hostile_article_does_not_execute(
    page: Any, empty_server: str, added: dict[str, Any], screenshot: Any, tmp_path: Path
) -> None:
    article = tmp_path / "hostile.html"
    article.write_text(HOSTILE_HTML, encoding="utf-8")
    page.goto(f"{empty_server}/add")
    page.fill("#text", HOSTILE_TEXT)
    page.set_input_files("#files", [str(article)])
    page.click("button.primary")
    page.wait_for_selector("#results", timeout=120_000)
    links = page.locator(".outcome a[href^='/documents/']")
    assert links.count() == 2
    docs = [links.nth(i).get_attribute("href") for i in range(2)]
    story = page.locator("a", has_text="open its story").first.get_attribute("href")
    _assert_inert(page, "/add (result)")
    for path in [*docs, story, "/stories", "/stories?q=mayor"]:
        page.goto(f"{empty_server}{path}")
        _assert_inert(page, str(path))
    page.goto(f"{empty_server}{docs[0]}")
    page.locator("a.claim").first.click()
    _assert_inert(page, "after clicking a claim")
    screenshot(page, "15-hostile-document")
    # A draft is hostile too.
    page.goto(f"{empty_server}/check?story={added['story']}")
    page.fill("#draft", HOSTILE_TEXT)
    page.click("button.primary")
    page.wait_for_selector("#summary", timeout=120_000)
    _assert_inert(page, "/check (result)")
    screenshot(page, "16-hostile-draft-check")
    assert not page.seen.errors, page.seen.errors


def _assert_inert(page: Any, where: str) -> None:
    assert page.evaluate("window.__pwned") is None, where
    dom = page.evaluate(
        """() => ({
          scripts: [...document.scripts].map(s => s.getAttribute('src')),
          handlers: [...document.querySelectorAll('*')].flatMap(
              el => [...el.attributes].filter(a => a.name.startsWith('on')).map(a => a.name)),
          jsLinks: [...document.querySelectorAll('[href],[src]')].filter(
              el => /^\\s*javascript:/i.test(el.getAttribute('href') || el.getAttribute('src')))
              .length,
          embedded: document.querySelectorAll(
              'main svg, main iframe, main img, main object').length,
        })"""
    )
    assert dom == {"scripts": ["/static/desk.js"], "handlers": [], "jsLinks": 0, "embedded": 0}, (
        where,
        dom,
    )


def test_browser_csp_blocks_injected_inline_script(
    page: Any, empty_server: str, added: dict[str, Any], screenshot: Any
) -> None:
    # Even if escaping ever failed, the policy forbids inline script: inject one and watch.
    page.goto(f"{empty_server}/stories/{added['story']}")
    page.evaluate(
        """() => { const s = document.createElement('script');
                   s.textContent = 'window.__csp_failed = true';
                   document.body.appendChild(s); }"""
    )
    assert page.evaluate("window.__csp_failed") is None
    assert any("Content Security Policy" in m for m in page.seen.console)


def test_browser_pages_and_api_agree_on_counts(
    page: Any, empty_server: str, added: dict[str, Any], screenshot: Any
) -> None:
    api = page.request.get(f"{empty_server}/api/stories/{added['story']}").json()
    page.goto(f"{empty_server}/stories/{added['story']}")
    for section in api["brief"]["sections"]:
        if section["kind"] == "sources":
            continue
        shown = page.locator(f"#brief-{section['kind']} .n").inner_text()
        assert int(shown) == len(section["items"]), section["kind"]
        assert page.locator(f"#brief-{section['kind']} + ul > li").count() == len(section["items"])
    assert page.locator("table.groups tbody tr").count() == len(api["findings"]["findings"])
    assert page.locator("ol.timeline > li").count() == len(api["timeline"])
    assert page.locator(".source-card").count() == len(api["documents"])
