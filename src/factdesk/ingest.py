"""Read files, folders, URLs, RSS/Atom feeds and JSONL into :class:`RawDocument` records.

:func:`read_inputs` is the only entry point the desk needs. It expands every input lazily and
yields one item per document or per failure, in input order, and never raises for a bad input,
so one unreadable file does not stop a batch.

Inputs and formats
------------------
- **Folder**: walked recursively in sorted name order. Hidden entries (a name starting
  with ``.``) and files with other extensions are skipped without a failure. Symlinked
  folders are not followed, so a link cycle cannot loop.
- **.txt / .md / .markdown**: the text is the whole file, trimmed of surrounding
  whitespace. ``title`` is the first non-empty line (for Markdown, without ``#`` marks), or
  None when that line is over 200 characters (a paragraph, not a headline). An optional
  metadata header may open the file; it is removed from the text::

      ---
      title: Council approves new cycle lanes
      published: 2026-06-04T09:30:00+02:00
      publisher: Riverside Gazette     (alias: source)
      byline: Tomas Ekberg             (alias: author)
      url: https://gazette.example.org/cycle-lanes
      ---

  It counts as a header only if it closes within 40 lines, every line is ``key: value``,
  and one of these keys appears.
  Other keys are ignored. A ``published`` value that is not ISO 8601, or a ``url`` that
  is not http(s), is an :class:`ExtractError`.
- **.html / .htm**: main text, title, author (``byline``), site name (``publisher``) and
  canonical URL come from trafilatura. ``published`` comes only from explicit markup:
  ``article:published_time``, JSON-LD ``datePublished``, ``itemprop="datePublished"``,
  Dublin Core and similar ``<meta>`` dates, or ``<time pubdate>``. It is never guessed from
  the URL or the body text. The text is plain text, never HTML.
- **.xml / .rss / .atom**, and any explicitly named file or fetched URL whose content
  sniffs as RSS/Atom: one document per entry, with source ``<feed>#<n>`` (n counts from 1).
  The entry's content (HTML turned into text) is the text. If the entry has only a short
  summary (under 600 characters), a link, and ``ReadLimits.fetch_feed_pages`` is on, the
  linked page is fetched through the same SSRF-safe fetcher and its main text is used. If
  that fetch fails, the entry fails (it is not silently stored as its summary).
  ``published`` is the entry's ``published``/``pubDate``/``dcterms:issued``; ``updated``
  is never used in its place.
- **.jsonl**: one JSON object per line: ``text`` (required) and optionally ``title``,
  ``url``, ``publisher``, ``byline``, ``published``. Other keys are ignored. A bad line
  yields a failure with source ``<file>:<line>``; the other lines are still read.
- **http(s) URLs**: fetched with :func:`factdesk.fetch.fetch_url`, then read by content type
  and by sniffing: an RSS/Atom body becomes entries, HTML goes through trafilatura, and
  plain text is read like a ``.txt`` file. Images, PDFs and other binary types fail.
- Any other file named explicitly (not found by a folder walk) is sniffed: RSS/Atom,
  HTML, or plain text. Binary content fails.

``RawDocument.fmt`` is ``text``, ``markdown``, ``html``, ``feed`` (every feed entry, even one
whose page was fetched), ``jsonl``, or ``url`` (a fetched page that is not a feed).

Failures carry the error classes of :mod:`factdesk.errors`: a missing or unreadable path is
a plain :class:`IngestError` (``ingest-error``); no usable text is :class:`ExtractError`
(``extract-error``); over ``max_bytes`` is :class:`TooLargeError` (``too-large``); a network
failure or HTTP error status is :class:`FetchError` (``fetch-error``); a refused URL is
:class:`BlockedURLError` (``blocked-url``). No new error classes were needed.

Dates
-----
``published`` is always timezone-aware or None. ISO 8601 values without an offset, and
dates without a time, are taken as UTC (``2026-06-04`` becomes 2026-06-04T00:00:00+00:00).
That follows the convention of the JSONL and header fields, and it keeps the calendar date
as written.

Text decoding
-------------
Decoding tries these in order: a byte-order mark (UTF-8, UTF-16, UTF-32); strict UTF-8;
the declared charset (the HTTP header, or ``<meta charset>`` / the XML declaration);
then a charset-normalizer guess among the encodings news text really uses. That guess
prefers cp1252 when it reads the bytes as well as the best candidate. On French or German,
charset-normalizer's own ranking picks cp1250, cp850 or cp775 and garbles the accents (see
``_guess_legacy``). Line endings become ``\\n``. Empty or whitespace-only input, NUL bytes
(including UTF-16 without a byte-order mark), known binary signatures (PNG, PDF, ZIP …) and
undecodable bytes are :class:`ExtractError`.
"""

from __future__ import annotations

import codecs
import email.utils
import functools
import io
import json
import logging
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx

from factdesk.errors import ConfigError, ExtractError, IngestError, TooLargeError
from factdesk.fetch import DEFAULT_MAX_BYTES, FetchedPage, Resolver, build_client, fetch_url
from factdesk.records import RawDocument

__all__ = [
    "SUPPORTED_EXTENSIONS",
    "ReadFailure",
    "ReadLimits",
    "detect_language",
    "read_inputs",
]

logger = logging.getLogger(__name__)

#: File extensions read when walking a folder, and the reader each one selects.
SUPPORTED_EXTENSIONS: dict[str, str] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".jsonl": "jsonl",
}

# A first line longer than this is a paragraph, not a headline.
_MAX_TITLE_CHARS = 200
# Feed summaries are typically one or two sentences (100-400 characters); a full article,
# even a short wire item, is longer. Below this an entry is "summary only".
_SHORT_ENTRY_CHARS = 600
# A header block must close within this many lines, so a stray "---" cannot swallow a file.
_MAX_HEADER_LINES = 40
# More C0 control characters than this share means the "text" is really binary.
_MAX_CONTROL_SHARE = 0.01

_URL_INPUT = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_HEADER_LINE = re.compile(r"([A-Za-z][A-Za-z0-9_.-]*)[ \t]*:[ \t]*(.*)")
_HEADER_KEYS = {
    "title": "title",
    "published": "published",
    "date": "published",
    "publisher": "publisher",
    "source": "publisher",
    "byline": "byline",
    "author": "byline",
    "url": "url",
}
_MARKDOWN_RULE = re.compile(r"(?:[-*_=][ \t]*){3,}")
_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.-]+)""",
    re.I,
)
_PROLOG = re.compile(r"(?:\s+|<\?.*?\?>|<!--.*?-->|<!doctype[^>]*>)*", re.S | re.I)
_ROOT_TAG = re.compile(r"<([a-z][\w:.-]*)", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx/.epub file)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"\x7fELF", "a program"),
)
# WHATWG: browsers decode pages labelled latin-1 or ASCII as windows-1252, and so do we.
# Encodings a legacy news text may really be in (charset-normalizer names); see _guess_legacy.
_PLAUSIBLE_ENCODING = re.compile(
    r"cp125\d|iso8859_\d+|koi8_[ru]|cp874|tis_620|cp932|cp949|cp950|shift_jis\w*|euc_\w+|"
    r"gb\w+|big5\w*|hz|iso2022_\w+|johab"
)
_CHARSET_ALIASES = {"latin_1": "cp1252", "iso8859_1": "cp1252", "ascii": "cp1252"}
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
    }
)


_FOLDER_NOTES = ("readme", "license", "licence", "changelog", "answers", "copying")


def _is_folder_note(name: str) -> bool:
    """README.md, LICENSE, ANSWERS.md …: notes about a folder, skipped when it is expanded
    (a file named on the command line is always read)."""
    return name.lower().split(".", 1)[0] in _FOLDER_NOTES


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadLimits:
    """Bounds on what one input may cost.

    Raises:
        ConfigError: A limit is not positive.
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    """Largest file, HTTP response or feed entry text accepted, in bytes."""
    timeout: float = 10.0
    """Seconds allowed for each URL fetch, redirects included."""
    max_redirects: int = 5
    fetch_feed_pages: bool = True
    """Fetch an entry's link when the feed gives only a short summary."""

    def __post_init__(self) -> None:
        if self.max_bytes <= 0 or self.timeout <= 0 or self.max_redirects < 0:
            raise ConfigError(
                f"read limits must be positive: max_bytes={self.max_bytes}, "
                f"timeout={self.timeout}, max_redirects={self.max_redirects}"
            )


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadFailure:
    """One input (or feed entry, or JSONL line) that could not be read.

    ``source`` is the path or URL, ``<feed>#<n>`` for a feed entry or ``<file>:<line>`` for a
    JSONL line. ``str(error)`` is a one-line message naming the input, the reason and what to
    do; ``error.code`` is the stable slug.
    """

    source: str
    error: IngestError


_Item = RawDocument | ReadFailure


def read_inputs(
    inputs: Iterable[str],
    *,
    limits: ReadLimits = ReadLimits(),
    client: httpx.Client | None = None,
    resolver: Resolver | None = None,
) -> Iterator[RawDocument | ReadFailure]:
    """Read paths, folders, feeds, JSONL files and http(s) URLs, lazily, one item at a time.

    Args:
        inputs: Paths (files or folders) and ``http://``/``https://`` URLs. Any other
            ``scheme://`` input is refused as a blocked URL.
        limits: Size, time and redirect limits, and whether to fetch feed entries' pages.
        client: HTTP client for URLs. By default one from :func:`factdesk.fetch.build_client`
            (DNS-rebinding safe) is made on the first URL and closed when the iterator ends.
        resolver: Host name to IP addresses, for the SSRF checks; ``socket.getaddrinfo``
            by default. Tests inject a fake one.

    Yields:
        A :class:`RawDocument` per document read, or a :class:`ReadFailure` per input,
        entry or line that could not be read. A folder with nothing readable yields nothing.
    """
    reader = _Reader(limits=limits, client=client, resolver=resolver)
    try:
        for item in inputs:
            yield from reader.read(item)
    finally:
        reader.close()


class _Reader:
    def __init__(
        self, *, limits: ReadLimits, client: httpx.Client | None, resolver: Resolver | None
    ) -> None:
        self.limits = limits
        self._client = client
        self._owned_client: httpx.Client | None = None
        self._resolver = resolver

    def close(self) -> None:
        if self._owned_client is not None:
            self._owned_client.close()
            self._owned_client = None

    def _fetch(self, url: str) -> FetchedPage:
        client = self._client
        if client is None:
            if self._owned_client is None:
                self._owned_client = build_client(
                    resolver=self._resolver, timeout=self.limits.timeout
                )
            client = self._owned_client
        return fetch_url(
            url,
            client=client,
            timeout=self.limits.timeout,
            max_bytes=self.limits.max_bytes,
            max_redirects=self.limits.max_redirects,
            resolver=self._resolver,
        )

    # -- dispatch ------------------------------------------------------------------------

    def read(self, item: str) -> Iterator[_Item]:
        if _URL_INPUT.match(item.strip()):
            yield from _guarded(item, self._read_url(item.strip()))
        else:
            yield from _guarded(item, self._read_path(Path(item), item))

    def _read_path(self, path: Path, name: str) -> Iterator[_Item]:
        if path.is_dir():
            yield from self._read_folder(path)
        else:
            yield from self._read_file(path, name, kind=SUPPORTED_EXTENSIONS.get(_suffix(path)))

    def _read_folder(self, folder: Path) -> Iterator[_Item]:
        try:
            entries = sorted(folder.iterdir(), key=lambda entry: entry.name)
        except OSError as exc:
            raise IngestError(
                f"{folder}: the folder cannot be listed ({exc.strerror}); check its permissions"
            ) from exc
        for entry in entries:
            # Hidden files, and a folder's own README/LICENSE-style notes, are not news.
            if entry.name.startswith(".") or _is_folder_note(entry.name):
                continue
            if entry.is_dir():
                if not entry.is_symlink():
                    yield from _guarded(str(entry), self._read_folder(entry))
                continue
            kind = SUPPORTED_EXTENSIONS.get(_suffix(entry))
            if kind is not None:
                yield from _guarded(str(entry), self._read_file(entry, str(entry), kind=kind))

    def _read_file(self, path: Path, name: str, *, kind: str | None) -> Iterator[_Item]:
        data = self._read_bytes(path, name)
        if kind is None:
            kind = _sniff(data) or "text"
        if kind == "feed":
            yield from self._read_feed(data, source=name, base_url=None, content_type="")
        elif kind == "jsonl":
            yield from self._read_jsonl(data, name)
        elif kind == "html":
            html = _decode(data, source=name, declared=_declared_charset(data))
            yield _html_document(html, source=name, url=None, fmt="html")
        else:
            text = _decode(data, source=name)
            yield _text_document(
                text, source=name, fmt=kind, url=None, is_markdown=kind == "markdown"
            )

    def _read_bytes(self, path: Path, name: str) -> bytes:
        limit = self.limits.max_bytes
        try:
            info = path.stat()
            if not stat.S_ISREG(info.st_mode):
                raise IngestError(
                    f"{name}: not a regular file (a device, pipe or socket); give a file or folder"
                )
            # Refuse before reading anything: the size is known up front for a regular file.
            if info.st_size > limit:
                raise _too_large(name, info.st_size, limit)
            with path.open("rb") as handle:
                data = handle.read(limit + 1)  # the file may have grown since stat()
        except FileNotFoundError as exc:
            raise IngestError(f"{name}: no such file or folder; check the path") from exc
        except PermissionError as exc:
            raise IngestError(f"{name}: permission denied; check the file's permissions") from exc
        except IsADirectoryError as exc:  # pragma: no cover - dispatch sends folders elsewhere
            raise IngestError(f"{name}: is a folder") from exc
        except OSError as exc:
            raise IngestError(f"{name}: cannot be read ({exc.strerror}); check the path") from exc
        if len(data) > limit:
            raise _too_large(name, len(data), limit)
        return data

    # -- URLs ----------------------------------------------------------------------------

    def _read_url(self, url: str) -> Iterator[_Item]:
        page = self._fetch(url)
        kind = _response_kind(page, url)
        if kind == "feed":
            yield from self._read_feed(
                page.body, source=url, base_url=page.final_url, content_type=page.content_type
            )
        else:
            yield _page_document(page, kind, source=url, fmt="url")

    # -- feeds ---------------------------------------------------------------------------

    def _read_feed(
        self, data: bytes, *, source: str, base_url: str | None, content_type: str
    ) -> Iterator[_Item]:
        import feedparser

        _reject_unreadable(data, source)
        headers = {"content-type": content_type} if content_type else {}
        if base_url:
            headers["content-location"] = base_url  # resolves relative entry links
        try:
            # A stream, never a string: given a string, feedparser fetches URLs and opens paths.
            parsed = feedparser.parse(
                io.BytesIO(data),
                response_headers=headers,
                sanitize_html=True,
                resolve_relative_uris=True,
            )
        except Exception as exc:  # feedparser is lenient; anything raised is a parser bug
            logger.warning("feedparser failed on %s", source, exc_info=True)
            raise ExtractError(
                f"{source}: the feed could not be parsed ({_one_line(exc)}); check that it is "
                "RSS or Atom"
            ) from exc
        entries = parsed.get("entries") or []
        if not entries:
            if parsed.get("bozo"):
                raise ExtractError(
                    f"{source}: not a readable RSS/Atom feed "
                    f"({_one_line(parsed.get('bozo_exception'))}); check that it is a feed"
                )
            if not parsed.get("version"):
                raise ExtractError(
                    f"{source}: not an RSS or Atom feed (no <rss>, <feed> or <rdf:RDF> root); "
                    "check that it is a feed"
                )
            logger.info("%s: the feed has no entries", source)
            return
        feed = parsed.get("feed") or {}
        publisher = _clean(_detail_text(feed.get("title_detail")) or feed.get("title"))
        for number, entry in enumerate(entries, start=1):
            entry_source = f"{source}#{number}"
            yield from _guarded(entry_source, self._read_entry(entry, entry_source, publisher))

    def _read_entry(self, entry: Any, source: str, publisher: str | None) -> Iterator[_Item]:
        title = _clean(_detail_text(entry.get("title_detail")) or entry.get("title"))
        link = entry.get("link")
        link = link.strip() if isinstance(link, str) and _is_http_url(link.strip()) else None
        byline = _clean(entry.get("author"))
        published = _entry_published(entry)
        # The *_detail dicts carry the content type; entry["summary"] alone may silently be
        # the raw HTML of the first content element when the entry has no summary.
        texts = [_detail_text(part) for part in entry.get("content") or []]
        texts.append(_detail_text(entry.get("summary_detail")))
        text = max(texts, key=len).strip()
        if len(text) < _SHORT_ENTRY_CHARS and link is not None and self.limits.fetch_feed_pages:
            try:
                page = self._fetch(link)
                page_doc = _page_document(
                    page, _response_kind(page, link, feed_ok=False), source=link, fmt="feed"
                )
            except IngestError as exc:
                raise type(exc)(
                    f"{source}: the entry has only a summary and its page could not be read "
                    f"({exc}); fix the link or read the feed with fetch_feed_pages off to "
                    "store summaries"
                ) from exc
            yield RawDocument(
                text=page_doc.text,
                source=source,
                title=title or page_doc.title,
                url=page.final_url,
                publisher=publisher or page_doc.publisher,
                byline=byline or page_doc.byline,
                published=published or page_doc.published,
                fmt="feed",
            )
            return
        if not text:
            raise ExtractError(
                f"{source}: the entry has no text and no link to fetch; nothing to store"
            )
        if len(text.encode("utf-8")) > self.limits.max_bytes:
            raise _too_large(source, len(text.encode("utf-8")), self.limits.max_bytes)
        yield RawDocument(
            text=text,
            source=source,
            title=title,
            url=link,
            publisher=publisher,
            byline=byline,
            published=published,
            fmt="feed",
        )

    # -- JSONL ---------------------------------------------------------------------------

    def _read_jsonl(self, data: bytes, name: str) -> Iterator[_Item]:
        text = _decode(data, source=name)
        for number, line in enumerate(text.split("\n"), start=1):
            if line.strip():
                source = f"{name}:{number}"
                yield from _guarded(source, _jsonl_line(line, source))


# -- one-document readers ----------------------------------------------------------------


def _guarded(source: str, items: Iterator[_Item]) -> Iterator[_Item]:
    """Turn an error raised while reading ``source`` into a failure item; the batch goes on."""
    try:
        yield from items
    except IngestError as exc:
        yield ReadFailure(source=source, error=_one_line_error(exc))
    except Exception as exc:  # the batch boundary: one input's bug must not end the batch
        logger.exception("unexpected error while reading %s", source)
        error = IngestError(
            f"{source}: unexpected error ({type(exc).__name__}: {_one_line(exc)}); this is a "
            "factdesk bug, please report it with the input"
        )
        yield ReadFailure(source=source, error=_one_line_error(error))


def _one_line_error(error: IngestError) -> IngestError:
    """The same error with control characters escaped, e.g. a newline in a file name."""
    message = str(error)
    if not _CONTROL_CHARS.search(message):
        return error
    escaped = type(error)(_CONTROL_CHARS.sub(lambda m: repr(m[0])[1:-1], message))
    escaped.__cause__ = error.__cause__
    return escaped


def _text_document(
    text: str, *, source: str, fmt: str, url: str | None, is_markdown: bool
) -> RawDocument:
    header, body = _split_header(text)
    body = body.strip()
    if not body:
        raise ExtractError(
            f"{source}: no text after the metadata header; put the article below the closing ---"
        )
    published = None
    if header.get("published"):
        published = _parse_iso(header["published"])
        if published is None:
            raise ExtractError(
                f"{source}: header 'published: {header['published']}' is not an ISO 8601 date; "
                "write e.g. 2026-06-04 or 2026-06-04T09:30:00+02:00"
            )
    header_url = header.get("url") or None
    if header_url is not None and not _is_http_url(header_url):
        raise ExtractError(
            f"{source}: header 'url: {header_url}' is not an http(s) URL; fix or remove it"
        )
    return RawDocument(
        text=body,
        source=source,
        title=header.get("title") or _headline(body, markdown=is_markdown),
        url=header_url or url,
        publisher=header.get("publisher") or None,
        byline=header.get("byline") or None,
        published=published,
        fmt=fmt,
    )


def _split_header(text: str) -> tuple[dict[str, str], str]:
    """Split a leading ``---`` metadata block from ``text``; ({}, text) when there is none."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    end = next(
        (i for i in range(1, min(len(lines), _MAX_HEADER_LINES)) if lines[i].strip() == "---"),
        None,
    )
    if end is None:
        return {}, text
    fields: dict[str, str] = {}
    for line in lines[1:end]:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _HEADER_LINE.fullmatch(line.strip())
        if match is None:
            return {}, text  # not a metadata block after all: keep it as text
        key = _HEADER_KEYS.get(match[1].lower())
        if key is not None and key not in fields:
            fields[key] = _unquote(match[2].strip())
    if not fields:
        return {}, text  # a "---" rule around a paragraph, not metadata
    return fields, "\n".join(lines[end + 1 :])


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _headline(text: str, *, markdown: bool) -> str | None:
    for line in text.split("\n"):
        candidate = line.strip()
        if markdown:
            if _MARKDOWN_RULE.fullmatch(candidate):
                continue
            candidate = re.sub(r"[ \t]+#+$", "", candidate.lstrip("#")).strip()
        if candidate:
            return candidate if len(candidate) <= _MAX_TITLE_CHARS else None
    return None


def _html_document(html: str, *, source: str, url: str | None, fmt: str) -> RawDocument:
    import trafilatura
    from trafilatura.settings import Document

    try:
        tree = trafilatura.load_html(html)
        published = _html_published(tree) if tree is not None else None
        if tree is not None:
            # "Please enable JavaScript" is never the article; trafilatura may keep it.
            for element in tree.xpath("//noscript"):
                element.drop_tree()
        result = (
            trafilatura.bare_extraction(
                tree,
                url=url,
                with_metadata=True,
                include_comments=False,
                # Dates come from explicit markup only (_html_published); this keeps htmldate
                # from scanning the text, which is slow and would only be ignored.
                date_extraction_params={"extensive_search": False, "original_date": True},
            )
            if tree is not None
            else None
        )
    except Exception as exc:  # lxml/trafilatura on hostile markup: a bad page, not a crash
        logger.warning("HTML extraction failed on %s", source, exc_info=True)
        raise ExtractError(
            f"{source}: the HTML could not be parsed ({_one_line(exc)}); save the page again "
            "or give its text as a .txt file"
        ) from exc
    text = result.text.strip() if isinstance(result, Document) and result.text else ""
    if not isinstance(result, Document) or not text:
        raise ExtractError(
            f"{source}: no article text found in the page (empty, too short, or built by "
            "JavaScript); save the article text as a .txt file instead"
        )
    page_url = result.url if result.url and _is_http_url(result.url) else None
    return RawDocument(
        text=text,
        source=source,
        title=_clean(result.title),
        url=url or page_url,
        publisher=_clean(result.sitename),
        byline=_clean(result.author),
        published=published,
        fmt=fmt,
    )


# Explicit publication-date <meta> keys (property, name or itemprop), most specific first.
_DATE_META_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "dc.date.issued",
    "dcterms.issued",
    "dcterms.date",
    "dc.date",
    "parsely-pub-date",
    "sailthru.date",
    "pubdate",
    "publishdate",
    "publish-date",
    "date",
)


def _html_published(tree: Any) -> datetime | None:
    """Find the publication date in explicit markup only; None when there is none."""
    metas: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        content = meta.get("content")
        if key and content and key not in metas:
            metas[key] = content
    candidates = [metas[key] for key in _DATE_META_KEYS[:2] if key in metas]
    candidates.extend(_jsonld_dates(tree))
    candidates.extend(metas[key] for key in _DATE_META_KEYS[2:] if key in metas)
    candidates.extend(tree.xpath('//*[@itemprop="datePublished"]/@datetime'))
    candidates.extend(tree.xpath("//time[@pubdate]/@datetime"))
    for value in candidates:
        parsed = _parse_date(str(value))
        if parsed is not None:
            return parsed
    return None


def _jsonld_dates(tree: Any) -> list[str]:
    """``datePublished`` values from JSON-LD blocks, article types first."""
    articles: list[str] = []
    others: list[str] = []

    def visit(node: Any) -> None:
        if isinstance(node, list):
            for child in node:
                visit(child)
        elif isinstance(node, dict):
            value = node.get("datePublished")
            if isinstance(value, str):
                kinds = node.get("@type")
                kinds = [kinds] if isinstance(kinds, str) else kinds or []
                is_article = any(
                    isinstance(k, str) and ("Article" in k or "Posting" in k) for k in kinds
                )
                (articles if is_article else others).append(value)
            for child in node.values():
                if isinstance(child, dict | list):
                    visit(child)

    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            visit(json.loads(str(script), strict=False))
        except ValueError:
            continue  # broken JSON-LD is common; the other sources may still have a date
    return articles + others


def _page_document(page: FetchedPage, kind: str, *, source: str, fmt: str) -> RawDocument:
    """Read a fetched HTML or text page (not a feed) into one document."""
    _media, charset = _media_type(page.content_type)
    if kind == "html":
        html = _decode(page.body, source=source, declared=charset or _declared_charset(page.body))
        return _html_document(html, source=source, url=page.final_url, fmt=fmt)
    text = _decode(page.body, source=source, declared=charset)
    return _text_document(
        text, source=source, fmt=fmt, url=page.final_url, is_markdown=kind == "markdown"
    )


def _response_kind(page: FetchedPage, source: str, *, feed_ok: bool = True) -> str:
    media, _charset = _media_type(page.content_type)
    if media.startswith(("image/", "audio/", "video/", "font/")) or media in {
        "application/pdf",
        "application/zip",
        "application/json",
    }:
        raise ExtractError(
            f"{source}: the server sent {media}, which factdesk does not read; give an HTML "
            "page, an RSS/Atom feed or plain text"
        )
    sniffed = _sniff(page.body)
    if sniffed == "feed" or (media in _FEED_TYPES and sniffed != "html"):
        if not feed_ok:
            raise ExtractError(
                f"{source}: the link leads to a feed, not an article page; nothing to store"
            )
        return "feed"
    if media in _HTML_TYPES or sniffed == "html":
        return "html"
    if media == "text/markdown":
        return "markdown"
    return "text"


def _jsonl_line(line: str, source: str) -> Iterator[_Item]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ExtractError(
            f"{source}: not valid JSON ({exc.msg} at column {exc.colno}); fix or remove the line"
        ) from exc
    if not isinstance(record, dict):
        raise ExtractError(
            f'{source}: expected a JSON object with a "text" key, got {_json_type(record)}'
        )
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        if "text" not in record:
            got = "missing"
        elif isinstance(text, str):
            got = "empty"
        else:
            got = f"a {_json_type(text)}"
        raise ExtractError(f'{source}: "text" is {got}; each line needs a non-empty "text" string')
    fields: dict[str, str | None] = {}
    for key in ("title", "url", "publisher", "byline", "published"):
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise ExtractError(
                f'{source}: "{key}" must be a string or null, got a {_json_type(value)}'
            )
        fields[key] = (value.strip() or None) if isinstance(value, str) else None
    published = None
    if fields["published"] is not None:
        published = _parse_iso(fields["published"])
        if published is None:
            raise ExtractError(
                f'{source}: "published" {fields["published"]!r} is not an ISO 8601 date; write '
                'e.g. "2026-06-04T09:30:00+02:00"'
            )
    if fields["url"] is not None and not _is_http_url(fields["url"]):
        raise ExtractError(f'{source}: "url" {fields["url"]!r} is not an http(s) URL')
    yield RawDocument(
        text=text.strip(),
        source=source,
        title=fields["title"],
        url=fields["url"],
        publisher=fields["publisher"],
        byline=fields["byline"],
        published=published,
        fmt="jsonl",
    )


def _json_type(value: object) -> str:
    names: dict[type, str] = {
        dict: "object",
        list: "array",
        str: "string",
        bool: "boolean",
        int: "number",
        float: "number",
    }
    return "null" if value is None else names.get(type(value), type(value).__name__)


# -- feeds: small helpers ----------------------------------------------------------------


def _detail_text(detail: Any) -> str:
    """Plain text of a feedparser text construct (HTML converted, plain text kept)."""
    if not isinstance(detail, dict) or not isinstance(detail.get("value"), str):
        return ""
    value: str = detail["value"]
    kind = str(detail.get("type") or "")
    if "html" in kind or "xml" in kind:
        return _html_to_text(value)
    return value.strip()


def _entry_published(entry: Any) -> datetime | None:
    raw = entry.get("published")
    if isinstance(raw, str):
        parsed = _parse_date(raw)
        if parsed is not None:
            return parsed
    # feedparser understands more date formats than we do and normalises them to UTC.
    stamp = entry.get("published_parsed")
    if stamp is not None:
        try:
            year, month, day, hour, minute, second = stamp[:6]
            return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
        except (TypeError, ValueError):
            return None
    return None


_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    ]
)
_WHITESPACE = re.compile(r"\s+")
_SKIPPED_TAGS = frozenset({"script", "style", "template", "noscript"})


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            # Line breaks in HTML source are spaces; only block elements start a new line.
            self.parts.append(_WHITESPACE.sub(" ", data))


def _html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed entry's content): one line per block."""
    collector = _TextCollector()
    collector.feed(fragment)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).split("\n"))
    return "\n".join(line for line in lines if line)


# -- bytes to text -----------------------------------------------------------------------


def _reject_unreadable(data: bytes, source: str) -> None:
    """Refuse empty input and input that is plainly binary, before any decoding."""
    if not data.strip():
        raise ExtractError(
            f"{source}: empty (no text, or only whitespace); add text or leave it out"
        )
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise ExtractError(
                f"{source}: looks like {kind}, not text; convert it to text, HTML or a feed first"
            )
    if b"\x00" in data and not any(data.startswith(bom) for bom, _codec in _BOMS):
        raise ExtractError(
            f"{source}: binary content (NUL bytes), not text; give a text, HTML, feed or JSONL "
            "file (UTF-16 text needs a byte-order mark)"
        )


def _decode(data: bytes, *, source: str, declared: str | None = None) -> str:
    """Decode input bytes to text with normalised line endings (see the module docstring)."""
    _reject_unreadable(data, source)
    text: str | None = None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise ExtractError(
                    f"{source}: starts with a {codec} byte-order mark but is not valid {codec}; "
                    "re-save it as UTF-8"
                ) from exc
            break
    if text is None:
        text = _decode_unmarked(data, declared)
    if text is None:
        raise ExtractError(
            f"{source}: not decodable as text in any known encoding; re-save it as UTF-8"
        )
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if len(_CONTROL.findall(text)) > _MAX_CONTROL_SHARE * len(text):
        raise ExtractError(
            f"{source}: binary content (control characters), not text; give a text, HTML, feed "
            "or JSONL file"
        )
    if not text.strip():
        raise ExtractError(
            f"{source}: empty (no text, or only whitespace); add text or leave it out"
        )
    return text


def _decode_unmarked(data: bytes, declared: str | None) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            codec = codecs.lookup(declared).name.replace("-", "_")
            return data.decode(_CHARSET_ALIASES.get(codec, codec))
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong label is common; fall back to guessing
    return _guess_legacy(data)


def _guess_legacy(data: bytes) -> str | None:
    """Guess a legacy single- or multi-byte encoding with charset-normalizer.

    charset-normalizer's own ranking garbles Western European text. It ranks cp1250 (which
    turns "crème" into "crčme") level with cp1252, and DOS or Mac code pages such as cp850
    or cp775 above it. So: (1) only encodings found in news text are considered: Windows
    and ISO 8859 code pages, KOI8, and the CJK multi-byte encodings. (2) cp1252 is
    measured on its own and chosen when it is as calm (low "chaos") as the best candidate
    and its coherence is within 0.005 of the best. Polish in cp1250 and Turkish in cp1254
    still win, because they read measurably more coherently in their own code page.
    Cyrillic and Greek read as cp1252 are far from calm. These thresholds were tuned
    together on short and long French, German, Spanish, Portuguese, Swedish, Polish,
    Czech, Hungarian, Turkish, Russian (cp1251 and KOI8-R), Greek, Japanese and Chinese
    samples: re-check them together.
    """
    from charset_normalizer import from_bytes

    candidates = [m for m in from_bytes(data) if _PLAUSIBLE_ENCODING.fullmatch(m.encoding)]
    western = from_bytes(data, cp_isolation=["cp1252"]).best()
    if western is not None:
        candidates.append(western)
    if not candidates:
        return None
    calmest = min(match.chaos for match in candidates)
    calm = [match for match in candidates if match.chaos <= calmest + 0.05]
    coherence = max(match.coherence for match in calm)
    chosen = next(
        (m for m in calm if m.encoding == "cp1252" and m.coherence >= coherence - 0.005),
        max(calm, key=lambda match: match.coherence),
    )
    return str(chosen)


def _declared_charset(data: bytes) -> str | None:
    match = _DECLARED_CHARSET.search(data[:4096])
    if match is None:
        return None
    label = match[1] or match[2]
    return label.decode("ascii", "replace") if label else None


def _sniff(data: bytes) -> str | None:
    """Say whether bytes look like a feed (``"feed"``) or an HTML page (``"html"``)."""
    head = data[:4096]
    text: str | None = None
    for bom, codec in _BOMS:
        if head.startswith(bom):
            text = head.decode(codec, errors="ignore")
            break
    if text is None:
        text = head.decode("latin-1")
    text = text.lstrip("\ufeff")
    prolog = _PROLOG.match(text)
    root = _ROOT_TAG.match(text, prolog.end() if prolog else 0)
    name = root[1].lower() if root else ""
    if name in {"rss", "feed", "rdf:rdf"}:
        return "feed"
    if name in {"html", "head", "body"} or "<!doctype html" in text[:200].lower():
        return "html"
    return None


def _media_type(content_type: str) -> tuple[str, str | None]:
    """Split ``text/html; charset=utf-8`` into the media type and the charset (or None)."""
    media, _sep, params = content_type.partition(";")
    charset = None
    for param in params.split(";"):
        key, _eq, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    return media.strip().lower(), charset


# -- small helpers -----------------------------------------------------------------------


def _suffix(path: Path) -> str:
    return path.suffix.lower()


def _is_http_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://")) and len(value) > len("https://")


def _clean(value: Any) -> str | None:
    """A stripped, single-line string, or None for empty or non-string values."""
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _one_line(value: object) -> str:
    return " ".join(str(value).split()) or type(value).__name__


def _too_large(source: str, size: int, limit: int) -> TooLargeError:
    return TooLargeError(
        f"{source}: {_mib(size)} is over the {_mib(limit)} limit; split it or raise max_bytes"
    )


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB" if size >= 1024 * 1024 else f"{size:,} bytes"


def _parse_iso(value: str) -> datetime | None:
    """Parse ISO 8601 into an aware datetime; no offset means UTC. None when invalid."""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _parse_date(value: str) -> datetime | None:
    """Parse ISO 8601 or RFC 2822 (feeds, e-mail style) into an aware datetime, else None."""
    parsed = _parse_iso(value)
    if parsed is not None:
        return parsed
    try:
        stamp = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)


# -- language ----------------------------------------------------------------------------

# Fewer letters than this is too little evidence for any language.
_MIN_LETTERS = 20
# py3langid's length-calibrated probability; below this the guess is a coin toss among
# related languages ("NATO-Ukraine Council meets in Brussels" scores 0.29 for "en").
_MIN_CONFIDENCE = 0.5
_LANGUAGE_SAMPLE_CHARS = 10_000
# A line with this many letters that ends like a sentence is prose, and votes on the language.
_MIN_PROSE_LETTERS = 40
_PROSE_SEARCH_CHARS = 200_000
_SENTENCE_END = re.compile(r"""[.!?…。！？]["'”’»)]*\s*$""")
# py3langid labels without an ISO 639-1 code of their own, mapped to their macrolanguage.
_LANGUAGE_ALIASES = {
    "ary": "ar",
    "arz": "ar",
    "fuv": "ff",
    "gug": "gn",
    "sdh": "ku",
    "uzs": "uz",
    "wuu": "zh",
    "yue": "zh",
}


@functools.cache
def _language_identifier() -> Any:
    from py3langid import langid

    load: Callable[..., Any] = getattr(langid.LanguageIdentifier, "from_model_file", None) or (
        langid.LanguageIdentifier.from_pickled_model  # py3langid < 0.4
    )
    return load(langid.MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str:
    """Return the ISO 639-1 code of the text's language ("en", "de", "ru", …).

    Returns ``"und"`` (undetermined) when the text has fewer than 20 letters or the best guess
    has a probability under 0.5. A few languages without an ISO 639-1 code come back as
    their ISO 639-3 code (for example "ace", "pcm"). The lines that read as sentences decide
    (each votes with its letters; about 10,000 characters of them, found in the first 200,000);
    a text without such lines is classified by its first 10,000 characters. The model ships
    inside py3langid; the first call loads it (about 0.6 s).
    """
    sample = text[:_LANGUAGE_SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < _MIN_LETTERS:
        return "und"
    identifier = _language_identifier()
    # A web page's menus, lists of place names and link labels can outweigh its prose in one
    # classification (an English page about a Welsh village's war memorial came out Welsh), so
    # the prose decides when there is any: each line that reads as a sentence votes with its
    # letters. The prose may start after pages of menus, so it is looked for further than the
    # sample.
    votes: Counter[str] = Counter()
    read = 0
    for whole in text[:_PROSE_SEARCH_CHARS].splitlines():
        line = whole[:_LANGUAGE_SAMPLE_CHARS]  # one long paragraph is a sample of its own
        letters = sum(ch.isalpha() for ch in line)
        if letters < _MIN_PROSE_LETTERS or not _SENTENCE_END.search(line):
            continue
        language, confidence = identifier.classify(line)
        if confidence >= _MIN_CONFIDENCE and language != "zxx":
            votes[_LANGUAGE_ALIASES.get(language, language)] += letters
        read += len(line)
        if read >= _LANGUAGE_SAMPLE_CHARS:
            break
    if votes:
        language, weight = votes.most_common(1)[0]
        if weight > sum(votes.values()) / 2:
            return str(language)
    language, confidence = identifier.classify(sample)
    if confidence < _MIN_CONFIDENCE or language == "zxx":
        return "und"
    return str(_LANGUAGE_ALIASES.get(language, language))
