"""Tests for factdesk.ingest: every kind of input into RawDocuments. No network."""

from __future__ import annotations

import pathlib
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factdesk.errors import ConfigError, IngestError
from factdesk.ingest import ReadFailure, ReadLimits, detect_language, read_inputs
from factdesk.records import RawDocument

DATA = Path(__file__).parent / "data" / "ingest"
PUBLIC_IP = "93.184.216.34"
NO_FETCH = ReadLimits(fetch_feed_pages=False)


def public_resolver(host: str) -> list[str]:
    return [PUBLIC_IP]


Handler = Callable[[httpx.Request], httpx.Response]


def serve(pages: dict[str, tuple[str, bytes]], requested: list[str] | None = None) -> httpx.Client:
    """A client that serves ``{url: (content_type, body)}`` and 404 for anything else."""

    def handler(request: httpx.Request) -> httpx.Response:
        if requested is not None:
            requested.append(str(request.url))
        if str(request.url) not in pages:
            return httpx.Response(404)
        content_type, body = pages[str(request.url)]
        return httpx.Response(200, headers={"content-type": content_type}, content=body)

    return httpx.Client(transport=httpx.MockTransport(handler))


def read(*inputs: str | Path, **kwargs: object) -> list[RawDocument | ReadFailure]:
    kwargs.setdefault("resolver", public_resolver)
    return list(read_inputs([str(i) for i in inputs], **kwargs))  # type: ignore[arg-type]


def read_one(path: str | Path, **kwargs: object) -> RawDocument:
    items = read(path, **kwargs)
    assert len(items) == 1
    assert isinstance(items[0], RawDocument), items[0]
    return items[0]


def fail_one(path: str | Path, **kwargs: object) -> ReadFailure:
    items = read(path, **kwargs)
    assert len(items) == 1
    assert isinstance(items[0], ReadFailure), items[0]
    return items[0]


def sources(items: list[RawDocument | ReadFailure]) -> list[tuple[str, str]]:
    return [
        (item.source, "doc" if isinstance(item, RawDocument) else item.error.code) for item in items
    ]


# -- plain text and Markdown -------------------------------------------------------------


def test_read_txt_headline_is_first_line_and_stays_in_text() -> None:
    doc = read_one(DATA / "article.txt")
    assert doc.title == "Harbour authority reopens northern quay after storm repairs"
    assert doc.text.startswith(doc.title)
    assert doc.text.endswith("expected to return by Friday.")
    assert "2.4 million euros" in doc.text
    assert doc.fmt == "text"
    assert doc.source == str(DATA / "article.txt")
    assert doc.published is None and doc.publisher is None and doc.url is None


def test_read_txt_metadata_header_is_used_and_removed() -> None:
    doc = read_one(DATA / "header.txt")
    assert doc.title == "Council approves new cycle lanes"
    assert doc.published == datetime(2026, 6, 4, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    assert doc.publisher == "Riverside Gazette"
    assert doc.byline == "Tomas Ekberg"
    assert doc.url == "https://gazette.example.org/cycle-lanes"
    assert doc.text.startswith("Riverside council approves cycle lanes")
    assert "---" not in doc.text and "published:" not in doc.text


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("published: last week", "not an ISO 8601 date"),
        ("url: ftp://example.org/x", "not an http(s) URL"),
    ],
)
def test_read_txt_bad_header_value_is_extract_error(
    tmp_path: Path, header: str, message: str
) -> None:
    path = tmp_path / "story.txt"
    path.write_text(f"---\ntitle: A story\n{header}\n---\nBody text.\n", encoding="utf-8")
    failure = fail_one(path)
    assert failure.error.code == "extract-error"
    assert message in str(failure.error)


def test_read_txt_date_only_header_is_midnight_utc(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("---\npublished: 2026-06-04\n---\nBody text.\n", encoding="utf-8")
    assert read_one(path).published == datetime(2026, 6, 4, tzinfo=UTC)


def test_read_txt_rule_around_plain_text_is_not_a_header(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("---\nJust a paragraph between rules.\n---\nMore text.\n", encoding="utf-8")
    doc = read_one(path)
    assert doc.text.startswith("---\nJust a paragraph")


def test_read_txt_long_first_line_is_not_a_title(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("word " * 100 + "\n", encoding="utf-8")
    assert read_one(path).title is None


def test_read_md_title_without_hashes_text_unchanged() -> None:
    doc = read_one(DATA / "note.md")
    assert doc.title == "Water board delays decision on reservoir levy"
    assert doc.fmt == "markdown"
    assert doc.text.startswith("## Water board delays decision")


# -- encodings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "title", "phrase"),
    [
        ("latin1.txt", "Le café de la gare rouvre à Zürich", "la crème brûlée"),
        ("cp1252.txt", "Council “pauses” the €12m plan", "— first proposed in 2024 —"),
        ("utf16.txt", "Rådhuset åpner igjen", "Rådhuset i Bergen åpner"),
    ],
)
def test_read_legacy_and_utf16_encodings(name: str, title: str, phrase: str) -> None:
    doc = read_one(DATA / name)
    assert doc.title == title
    assert phrase in doc.text
    assert "\r" not in doc.text


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Minister powiedział we wtorek, że rozmowy zostaną wznowione w Łodzi.", "cp1250"),
        ("Министр заявил во вторник, что переговоры возобновятся.", "cp1251"),
        ("Министр заявил во вторник, что переговоры возобновятся.", "koi8-r"),
        ("Der Außenminister äußerte sich über die Gespräche in Köln. " * 200, "latin-1"),
    ],
)
def test_read_other_legacy_encodings_are_not_forced_to_cp1252(
    tmp_path: Path, text: str, encoding: str
) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    assert read_one(path).text == text.strip()


def test_read_utf8_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffHeadline\r\n\r\nBody with ünïcödé.\r\n".encode())
    doc = read_one(path)
    assert doc.title == "Headline"
    assert doc.text == "Headline\n\nBody with ünïcödé."


def test_read_html_uses_declared_charset(tmp_path: Path) -> None:
    body = "<p>" + "Министр заявил во вторник, что переговоры возобновятся. " * 8 + "</p>"
    head = '<meta charset="windows-1251"><title>Новости</title>'
    page = f"<html><head>{head}</head><body>{body}</body></html>"
    path = tmp_path / "ru.html"
    path.write_bytes(page.encode("cp1251"))
    doc = read_one(path)
    assert "Министр заявил во вторник" in doc.text


# -- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["empty.txt", "blank.txt"])
def test_read_empty_or_whitespace_file_is_extract_error(name: str) -> None:
    failure = fail_one(DATA / name)
    assert failure.error.code == "extract-error"
    assert str(failure.error).startswith(str(DATA / name))
    assert "empty" in str(failure.error)


def test_read_png_is_extract_error() -> None:
    failure = fail_one(DATA / "pixel.png")
    assert failure.error.code == "extract-error"
    assert "PNG image" in str(failure.error)


def test_read_nul_bytes_are_binary(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_bytes(b"text\x00\x01\x02 more text")
    failure = fail_one(path)
    assert failure.error.code == "extract-error"
    assert "binary" in str(failure.error)


def test_read_too_large_file_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.txt"
    path.write_text("x" * 5000, encoding="utf-8")

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file must not be opened")

    monkeypatch.setattr(pathlib.Path, "open", no_open)
    failure = fail_one(path, limits=ReadLimits(max_bytes=1000))
    assert failure.error.code == "too-large"
    assert "over the 1,000 bytes limit" in str(failure.error)


def test_read_missing_file_is_ingest_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    failure = fail_one(missing)
    assert type(failure.error) is IngestError
    assert failure.error.code == "ingest-error"
    assert str(failure.error).startswith(str(missing))
    assert failure.source == str(missing)


def test_read_unknown_extension_named_explicitly_is_sniffed(tmp_path: Path) -> None:
    plain = tmp_path / "NOTES"
    plain.write_text("Plain headline\nplain body\n", encoding="utf-8")
    feed = tmp_path / "feed.php"
    shutil.copy(DATA / "feed.rss", feed)
    assert read_one(plain).title == "Plain headline"
    assert [item.source for item in read(feed, limits=NO_FETCH)] == [
        f"{feed}#1",
        f"{feed}#2",
        f"{feed}#3",
    ]


def test_read_non_english_text_is_still_a_document() -> None:
    doc = read_one(DATA / "german.txt")
    assert doc.title == "Stadtrat beschließt neue Radwege"
    assert detect_language(doc.text) == "de"


# -- folders -----------------------------------------------------------------------------


def test_read_folder_recursive_sorted_skipping_hidden_and_unsupported(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("B\n", encoding="utf-8")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "c.md").write_text("# C\n", encoding="utf-8")
    (tmp_path / "a" / ".draft.txt").write_text("hidden\n", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "notes.txt").write_text("hidden\n", encoding="utf-8")
    (tmp_path / "photo.png").write_bytes((DATA / "pixel.png").read_bytes())
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "z.jsonl").write_text('{"text": "Z"}\n', encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    assert sources(read(tmp_path)) == [
        (str(tmp_path / "a" / "c.md"), "doc"),
        (str(tmp_path / "b.txt"), "doc"),
        (str(tmp_path / "empty.txt"), "extract-error"),
        (f"{tmp_path / 'z.jsonl'}:1", "doc"),
    ]


def test_read_folder_with_nothing_readable_yields_nothing(tmp_path: Path) -> None:
    (tmp_path / ".hidden.txt").write_text("x\n", encoding="utf-8")
    (tmp_path / "image.png").write_bytes((DATA / "pixel.png").read_bytes())
    (tmp_path / "sub").mkdir()
    assert read(tmp_path) == []


def test_read_inputs_is_lazy_and_goes_on_after_failures() -> None:
    def inputs() -> Iterator[str]:
        yield str(DATA / "article.txt")
        raise AssertionError("read_inputs consumed its input eagerly")

    first = next(read_inputs(inputs()))
    assert isinstance(first, RawDocument)
    items = read(DATA / "empty.txt", DATA / "missing.txt", DATA / "article.txt")
    assert [type(item) for item in items] == [ReadFailure, ReadFailure, RawDocument]


# -- HTML --------------------------------------------------------------------------------


def test_read_html_text_and_metadata() -> None:
    doc = read_one(DATA / "article.html")
    assert doc.fmt == "html"
    assert doc.title == "Rail union calls off weekend strike"
    assert doc.byline == "Priya Anand"
    assert doc.publisher == "The Valley Courier"
    assert doc.url == "https://courier.example.net/2026/05/rail-strike-off"
    # article:published_time wins over JSON-LD; the offset is kept.
    assert doc.published == datetime(2026, 5, 18, 7, 45, tzinfo=timezone(timedelta(hours=1)))
    assert "pay rise of 4.5 percent" in doc.text
    for boilerplate in ("<p>", "analytics", "Home", "All rights reserved", "font-family"):
        assert boilerplate not in doc.text


def test_read_malformed_html_does_not_crash() -> None:
    doc = read_one(DATA / "malformed.html")
    assert "minor cracks" in doc.text
    assert "<" not in doc.text


def test_read_html_without_article_text_is_extract_error() -> None:
    failure = fail_one(DATA / "script_only.html")
    assert failure.error.code == "extract-error"
    assert "no article text" in str(failure.error)


PARAGRAPHS = "".join(
    f"<p>Paragraph {n} says the committee met again and agreed to publish its findings soon.</p>"
    for n in range(6)
)


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (
            '<script type="application/ld+json">{"@graph": [{"@type": "WebPage", '
            '"datePublished": "2020-01-01"}, {"@type": "NewsArticle", '
            '"datePublished": "2026-03-02T08:00:00Z"}]}</script>',
            datetime(2026, 3, 2, 8, 0, tzinfo=UTC),
        ),
        ('<meta name="DC.date.issued" content="2026-03-02">', datetime(2026, 3, 2, tzinfo=UTC)),
        (
            '<link rel="canonical" href="https://site.example/2019/05/04/story">',
            None,  # a date in the URL or the text is never used
        ),
    ],
)
def test_read_html_published_only_from_explicit_markup(
    tmp_path: Path, head: str, expected: datetime | None
) -> None:
    path = tmp_path / "page.html"
    body = f"<p>Posted 1 May 2021.</p>{PARAGRAPHS}"
    page = f"<html><head><title>T</title>{head}</head><body>{body}</body></html>"
    path.write_text(page, encoding="utf-8")
    assert read_one(path).published == expected


# -- feeds -------------------------------------------------------------------------------


def test_read_rss_entries_without_fetching() -> None:
    items = read(DATA / "feed.rss", limits=NO_FETCH)
    assert [item.source for item in items] == [f"{DATA / 'feed.rss'}#{n}" for n in (1, 2, 3)]
    first, second, third = items
    assert isinstance(first, RawDocument)
    assert first.fmt == "feed"
    assert first.title == "Ferry operator adds winter crossings"
    assert first.url == "https://news.example.com/2026/06/ferry-winter.html"
    assert first.byline == "Marta Solberg"
    assert first.publisher == "Coastal Wire"
    assert first.published == datetime(2026, 6, 4, 9, 30, tzinfo=timezone(timedelta(hours=3)))
    assert "two daily crossings during the winter months" in first.text
    assert "<p>" not in first.text and "alert" not in first.text
    assert isinstance(second, RawDocument)
    assert second.text == "The lighthouse museum reopens next week."
    assert second.published == datetime(2026, 6, 5, 14, 0, tzinfo=UTC)
    assert isinstance(third, RawDocument)
    assert third.title == "Harbour office & customs merge"


def test_read_rss_fetches_the_page_of_a_summary_only_entry() -> None:
    requested: list[str] = []
    client = serve(
        {
            "https://news.example.com/2026/06/lighthouse.html": (
                "text/html; charset=utf-8",
                (DATA / "lighthouse.html").read_bytes(),
            )
        },
        requested,
    )
    items = read(DATA / "feed.rss", client=client)
    first, second, third = items
    # The full-content entry is not fetched; the summary-only one is.
    assert requested == ["https://news.example.com/2026/06/lighthouse.html"]
    assert isinstance(first, RawDocument)
    assert isinstance(second, RawDocument)
    assert "spiral staircase" in second.text
    assert second.title == "Lighthouse museum to reopen"  # the feed's title wins
    assert second.publisher == "Coastal Wire"
    assert second.byline == "Jonas Berg"  # from the page: the entry has none
    assert second.url == "https://news.example.com/2026/06/lighthouse.html"
    # The third entry links to a private address: refused, the rest of the feed goes on.
    assert isinstance(third, ReadFailure)
    assert third.source == f"{DATA / 'feed.rss'}#3"
    assert third.error.code == "blocked-url"
    assert "10.0.0.8" in str(third.error)


def test_read_feed_entry_whose_page_fails_is_a_failure_with_a_hint() -> None:
    items = read(DATA / "feed.rss", client=serve({}))
    failure = items[1]
    assert isinstance(failure, ReadFailure)
    assert failure.error.code == "fetch-error"
    message = str(failure.error)
    assert "HTTP 404" in message and "fetch_feed_pages" in message
    assert message.startswith(f"{DATA / 'feed.rss'}#2")


def test_read_atom_entries() -> None:
    first, second = read(DATA / "feed.atom", limits=NO_FETCH)
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert first.title == "Snow closes upper pass"
    assert first.publisher == "Hill Country Bulletin"
    assert first.byline == "Ray Okafor"
    assert first.published == datetime(2026, 6, 1, 18, 20, tzinfo=timezone(timedelta(hours=-4)))
    assert first.text.startswith("The upper mountain pass was closed on Monday evening after")
    assert "<p>" not in first.text
    assert second.published is None  # <updated> is not a publication date


def test_read_broken_feed_is_extract_error() -> None:
    failure = fail_one(DATA / "broken.xml")
    assert failure.error.code == "extract-error"
    assert str(failure.error).startswith(f"{DATA / 'broken.xml'}: not a readable RSS/Atom feed")


def test_read_xml_that_is_not_a_feed_is_extract_error(tmp_path: Path) -> None:
    path = tmp_path / "sitemap.xml"
    path.write_text('<?xml version="1.0"?><urlset><url><loc>x</loc></url></urlset>')
    assert "not an RSS or Atom feed" in str(fail_one(path).error)


# -- JSONL -------------------------------------------------------------------------------


def test_read_jsonl_good_lines_and_one_failure_per_bad_line() -> None:
    path = DATA / "records.jsonl"
    items = read(path)
    assert sources(items) == [
        (f"{path}:1", "doc"),
        (f"{path}:2", "doc"),
        (f"{path}:3", "extract-error"),
        (f"{path}:5", "extract-error"),
        (f"{path}:6", "extract-error"),
        (f"{path}:7", "extract-error"),
        (f"{path}:8", "extract-error"),
        (f"{path}:9", "extract-error"),
        (f"{path}:10", "extract-error"),
        (f"{path}:11", "doc"),
    ]
    first, naive = items[0], items[1]
    assert isinstance(first, RawDocument) and isinstance(naive, RawDocument)
    assert first.title == "Schools close early"
    assert first.publisher == "Valley Radio" and first.byline == "Lena Morris"
    assert first.url == "https://schools.example.com/heat"
    assert first.published == datetime(2026, 6, 5, 10, tzinfo=timezone(timedelta(hours=2)))
    assert first.fmt == "jsonl"
    assert naive.published == datetime(2026, 6, 5, 10, tzinfo=UTC)
    reasons = {item.source: str(item.error) for item in items if isinstance(item, ReadFailure)}
    assert "not valid JSON" in reasons[f"{path}:3"]
    assert '"text" is missing' in reasons[f"{path}:5"]
    assert "not an ISO 8601 date" in reasons[f"{path}:8"]


# -- URLs --------------------------------------------------------------------------------


def test_read_url_html_page() -> None:
    url = "https://courier.example.net/strike"
    client = serve({url: ("text/html", (DATA / "article.html").read_bytes())})
    doc = read_one(url, client=client)
    assert doc.fmt == "url"
    assert doc.source == url and doc.url == url
    assert doc.title == "Rail union calls off weekend strike"
    assert "4.5 percent" in doc.text


@pytest.mark.parametrize("content_type", ["application/rss+xml", "text/xml", "text/plain", ""])
def test_read_url_feed_by_content_type_or_sniffing(content_type: str) -> None:
    url = "https://news.example.com/feed"
    client = serve({url: (content_type, (DATA / "feed.rss").read_bytes())})
    items = read(url, client=client, limits=NO_FETCH)
    assert [item.source for item in items] == [f"{url}#1", f"{url}#2", f"{url}#3"]


def test_read_url_plain_text_with_declared_charset() -> None:
    url = "https://news.example.com/note.txt"
    body = "Überschrift\n\nDer Text ist in Latin-1 kodiert: Grüße.\n".encode("latin-1")
    doc = read_one(url, client=serve({url: ("text/plain; charset=iso-8859-1", body)}))
    assert doc.title == "Überschrift"
    assert "Grüße" in doc.text


def test_read_url_image_is_extract_error() -> None:
    url = "https://news.example.com/photo"
    client = serve({url: ("image/png", (DATA / "pixel.png").read_bytes())})
    failure = fail_one(url, client=client)
    assert failure.error.code == "extract-error"
    assert "image/png" in str(failure.error)


def test_read_url_too_large_is_too_large_error() -> None:
    url = "https://news.example.com/big"
    client = serve({url: ("text/plain", b"word " * 1000)})
    failure = fail_one(url, client=client, limits=ReadLimits(max_bytes=100))
    assert failure.error.code == "too-large"


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1/admin", "http://[::1]/", "file:///etc/passwd", "ftp://x.example/"]
)
def test_read_url_refused_without_a_connection(url: str) -> None:
    # No client given: read_inputs builds its own checking client, refused before connecting.
    failure = fail_one(url)
    assert failure.error.code == "blocked-url"
    assert failure.source == url


def test_read_url_404_is_fetch_error() -> None:
    failure = fail_one("https://news.example.com/missing", client=serve({}))
    assert failure.error.code == "fetch-error"
    assert "HTTP 404" in str(failure.error)


# -- messages, limits, language ----------------------------------------------------------


def test_read_failure_messages_are_one_line_and_name_the_input() -> None:
    inputs = sorted(DATA.iterdir())
    failures = [item for item in read(*inputs) if isinstance(item, ReadFailure)]
    assert failures
    for failure in failures:
        message = str(failure.error)
        assert "\n" not in message
        assert message.startswith(failure.source)
        assert "unexpected error" not in message


def test_read_failure_message_escapes_control_characters_in_names(tmp_path: Path) -> None:
    path = tmp_path / "bad\nname.txt"
    path.write_text("", encoding="utf-8")
    failure = fail_one(path)
    assert "\n" not in str(failure.error)
    assert "bad\\nname.txt" in str(failure.error)
    assert failure.source == str(path)


def test_read_limits_must_be_positive() -> None:
    with pytest.raises(ConfigError):
        ReadLimits(max_bytes=0)
    with pytest.raises(ConfigError):
        ReadLimits(timeout=-1)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The minister said on Tuesday that the talks would resume next week.", "en"),
        ("Der Minister sagte am Dienstag, dass die Gespräche nächste Woche weitergehen.", "de"),
        ("Министр заявил во вторник, что переговоры возобновятся на следующей неделе.", "ru"),
        (
            "Le ministre a déclaré mardi que les négociations reprendraient la semaine prochaine.",
            "fr",
        ),
        ("Hello", "und"),
        ("12 345 678 — 2026-06-04", "und"),
        ("", "und"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_the_prose_decides_the_language_not_the_menus_before_it() -> None:
    # A memorial society's page: pages of Welsh place names in its menus, then English prose.
    places = ["Llanfihangel", "Cwmgwrach", "Penrhiwceiber", "Ystradgynlais", "Llanddewi Brefi"]
    menu = "\n".join(
        "".join(f"{p} (Capel y Groes) Cofeb Ryfel{p} Eglwys Sant Dewi" for p in places)
        for _ in range(60)
    )
    prose = (
        "Private Owen Price enlisted at Carmarthen in the autumn of 1915 with two cousins.\n"
        "He served with the 15th Battalion of the Welsh Regiment and was killed near Ypres "
        "in July 1917.\n"
        "His name is carved on the memorial beside the chapel, with eleven men of the parish.\n"
    )
    text = menu + "\n" + prose
    assert len(menu) > 10_000  # the menus alone fill the first 10,000 characters
    assert detect_language(menu) != "en"
    assert detect_language(text) == "en"
    # Mostly another language's prose stays that language.
    german = "Der Minister sagte am Dienstag, dass die Gespräche nächste Woche weitergehen.\n"
    assert detect_language(german * 6 + prose) == "de"


# -- invariants --------------------------------------------------------------------------

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".txt", ".html", ".xml", ".jsonl"]))
def test_read_arbitrary_bytes_never_raises(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        items = list(read_inputs([str(path)], limits=NO_FETCH))
    for item in items:
        if isinstance(item, ReadFailure):
            assert "unexpected error" not in str(item.error)
            assert "\n" not in str(item.error)
        else:
            assert item.text.strip()
            assert item.published is None or item.published.tzinfo is not None


@FUZZ
@given(text=st.text(st.characters(codec="utf-8"), min_size=1, max_size=300))
def test_read_txt_title_is_inside_the_text(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "story.txt"
        path.write_bytes(text.encode("utf-8"))
        items = list(read_inputs([str(path)]))
    assert len(items) == 1
    item = items[0]
    if isinstance(item, RawDocument):
        assert item.text == item.text.strip()
        assert item.title is None or item.title in item.text


def test_read_inputs_folder_skips_readme_and_answer_keys(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# About this folder\nNot news.\n", encoding="utf-8")
    (tmp_path / "ANSWERS.md").write_text("# Key\nNot news either.\n", encoding="utf-8")
    (tmp_path / "story.txt").write_text("Dam fails\nThe dam failed on Monday.\n", encoding="utf-8")
    sources = [getattr(item, "source", None) for item in read_inputs([str(tmp_path)])]
    assert sources == [str(tmp_path / "story.txt")]
    # Named explicitly, a README is read like any file.
    assert len(list(read_inputs([str(tmp_path / "README.md")]))) == 1
