"""Draft-check latency: a 1,000-word draft against 50 stored sources of one story, warm.

``factdesk bench latency --data DIR`` takes the first 50 plain-text articles of ``DIR`` (for
example ../shared/bench-data/bbc-news/bbc/business), adds them to a temporary SQLite store,
merges them into one story (so the check uses the story's cached findings, as an editor's
story would), and writes a draft of about 1,000 words from their sentences: a third copied,
a third with a number changed, a third invented. It then runs ``desk.check`` against the
story several times and reports the median wall time of a warm check (the model loaded, the
store open) and its stages.

This is a benchmark, never a timed test: the numbers depend on the machine.
"""

from __future__ import annotations

import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from factdesk.errors import ConfigError

SOURCES = 50
DRAFT_WORDS = 1000
RUNS = 5

_INVENTED = [
    "Analysts in Harwick said the outlook for the sector remained uncertain.",
    "The company was founded in 1911 by two brothers from Lensfield.",
    "Shares in the group rose 14% in early trading in Tamsford.",
    "The chief executive, Mara Quillon, described the result as a turning point.",
    "The regulator is expected to publish its review in the spring.",
    "This is a clear sign of how quickly the market is changing.",
]


def _draft(texts: list[str]) -> str:
    """About DRAFT_WORDS words: copied sentences, sentences with a changed number, inventions."""
    sentences = [
        s.strip()
        for t in texts
        for s in re.split(r"(?<=[.!?])\s+", " ".join(t.split("\n")[1:]))
        if 8 <= len(s.split()) <= 40
    ]
    out: list[str] = []
    words = 0
    i = 0
    while words < DRAFT_WORDS and sentences:
        s = sentences[(i * 7) % len(sentences)]
        kind = i % 3
        if kind == 1:
            s = re.sub(r"\d+", lambda m: str(int(m.group(0)) + 3), s, count=1)
        elif kind == 2:
            s = _INVENTED[(i // 3) % len(_INVENTED)]
        out.append(s)
        words += len(s.split())
        i += 1
    return "\n\n".join(out) + "\n"


def run(data: Path, *, limit: int | None = None) -> dict[str, Any]:
    from factdesk import desk
    from factdesk.check import check_documents
    from factdesk.records import RawDocument
    from factdesk.store import open_store

    files = sorted(p for p in Path(data).rglob("*.txt") if p.is_file())[: limit or SOURCES]
    if len(files) < 2:
        raise ConfigError(f"{data} holds fewer than two .txt articles; give a folder of articles.")
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in files]
    draft_text = _draft(texts)
    with tempfile.TemporaryDirectory() as tmp, open_store(Path(tmp) / "latency.db") as store:
        t0 = time.perf_counter()
        desk.add([str(p) for p in files], store=store)
        add_s = time.perf_counter() - t0
        story_ids = [s.id for s in desk.stories(store)]
        story = desk.merge(store, story_ids) if len(story_ids) > 1 else desk.stories(store)[0]
        raw = RawDocument(text=draft_text, source="latency-draft.txt")
        desk.check(store, raw, [story.id])  # warm: model loaded, caches filled
        totals, parse, sources_s, compare_s = [], [], [], []
        report = None
        for _ in range(RUNS):
            t0 = time.perf_counter()
            doc = desk.read_draft(raw)
            t1 = time.perf_counter()
            docs, findings = desk.check_sources(store, [story.id])
            t2 = time.perf_counter()
            report = check_documents(doc, docs, findings, against=[story.id])
            t3 = time.perf_counter()
            totals.append(t3 - t0)
            parse.append(t1 - t0)
            sources_s.append(t2 - t1)
            compare_s.append(t3 - t2)
    assert report is not None
    return {
        "sources": len(files),
        "draft_words": len(draft_text.split()),
        "draft_sentences": len(report.sentences),
        "runs": RUNS,
        "check_s_median": round(statistics.median(totals), 3),
        "parse_draft_s_median": round(statistics.median(parse), 3),
        "load_sources_s_median": round(statistics.median(sources_s), 3),
        "compare_s_median": round(statistics.median(compare_s), 3),
        "add_sources_s": round(add_s, 2),
        "summary": report.summary,
    }
