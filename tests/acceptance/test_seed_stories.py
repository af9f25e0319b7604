"""Seed acceptance checks for stories and the brief, through the desk as a user runs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from factdesk import desk
from factdesk.report import brief_json
from factdesk.store import open_store

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def seed_store(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    store = open_store(tmp_path_factory.mktemp("seeds") / "seeds.db")
    summary = desk.add([str(shared_dir / "seeds")], store=store)
    assert summary.count("ok") == 3
    yield store
    store.close()


def _doc_story(store, prefix: str) -> str:  # type: ignore[no-untyped-def]
    for s in store.list_stories():
        for d in s.doc_ids:
            if Path(store.get_document(d).source).name.startswith(prefix):
                return s.id  # type: ignore[no-any-return]
    raise AssertionError(prefix)


def test_seed_stories_000_and_001_together_002_apart(seed_store) -> None:  # type: ignore[no-untyped-def]
    assert _doc_story(seed_store, "000") == _doc_story(seed_store, "001")
    assert _doc_story(seed_store, "002") != _doc_story(seed_store, "000")
    assert len(seed_store.list_stories()) == 2


def test_seed_brief_sections(seed_store) -> None:  # type: ignore[no-untyped-def]
    brief = brief_json(desk.brief(seed_store, _doc_story(seed_store, "000")))
    sections = {s["kind"]: s["items"] for s in brief["sections"]}
    assert any("NATO" in i["who"] and i["status"] == "confirmed" for i in sections["key-facts"])
    assert any("deliveries" in i["text"] for i in sections["unconfirmed"])
    casualties = [i for s in sections.values() for i in s if "more than 20 people" in i["text"]]
    assert casualties and all(i["status"] == "single-source" for i in casualties)
    assert any("Kyiv Independent" in i["who"] for i in casualties)
    assert sections["what-to-watch"]


def test_seed_brief_002_traces_relay_to_the_ministry(seed_store) -> None:  # type: ignore[no-untyped-def]
    brief = brief_json(desk.brief(seed_store, _doc_story(seed_store, "002")))
    items = [i for s in brief["sections"] for i in s["items"] if "TASS" in i["text"]]
    assert items and "press service" in items[0]["who"] and "TASS" in items[0]["who"]
    assert any(s["kind"] == "what-to-watch" and s["items"] for s in brief["sections"])
