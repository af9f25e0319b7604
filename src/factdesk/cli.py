"""The command line: a thin shell over ``factdesk.desk``.

Results go to stdout (``--json``: one JSON document); progress, logs and errors go to stderr.
Exit codes: 0 success, 1 a FactdeskError or any failed input, 2 usage errors.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

import click

from factdesk import desk, render
from factdesk.bench import BENCHMARKS
from factdesk.errors import FactdeskError
from factdesk.store import Store, open_store

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
log = logging.getLogger("factdesk")


class _Obj:
    def __init__(self, db: str, debug: bool) -> None:
        self.db = db
        self.debug = debug

    def store(self) -> Store:
        return open_store(self.db)


def _fail(exc: FactdeskError) -> click.ClickException:
    return click.ClickException(str(exc))


def _emit_json(payload: Any) -> None:
    click.echo(json.dumps(payload, ensure_ascii=False, indent=2))


@click.group(context_settings=CONTEXT_SETTINGS)
@click.option(
    "--db",
    default="factdesk.db",
    show_default=True,
    envvar="FACTDESK_DB",
    help="SQLite database file.",
)
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
@click.option("--debug", is_flag=True, help="Show full tracebacks for errors.")
@click.version_option(package_name="factdesk")
@click.pass_context
def cli(ctx: click.Context, db: str, verbose: int, debug: bool) -> None:
    """factdesk: which sources say what, on whose authority, and how firmly.

    Example:

        factdesk demo
        factdesk add article.html feed.xml https://example.org/story
        factdesk claims --json
    """
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
    )
    ctx.obj = _Obj(db, debug)


def _progress_printer(quiet: bool) -> desk.ProgressFn | None:
    if quiet or not sys.stderr.isatty():
        return None

    def show(p: desk.Progress) -> None:
        click.echo("\r" + progress_line(p), err=True, nl=False)

    return show


def progress_line(p: desk.Progress) -> str:
    """One status line of an ``add`` run: counts, documents/s and the time left."""
    done = f"{p.done}/{p.total}" if p.total is not None and p.total >= p.done else f"{p.done}"
    eta = p.eta
    left = "" if eta is None else f", {_duration(eta)} left"
    return (
        f"{done} inputs: {p.added} added, {p.skipped} skipped, {p.failed} failed "
        f"({p.docs_per_s:.1f} docs/s{left})  "  # trailing spaces blank a longer last line
    )


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("inputs", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=None, help="Size limit per input.")
@click.option(
    "--timeout", type=click.FloatRange(min=0.1), default=None, help="Seconds per request."
)
@click.option(
    "--fetch-feed-pages/--no-fetch-feed-pages",
    default=True,
    show_default=True,
    help="Fetch an entry's page when a feed carries only a summary.",
)
@click.option(
    "--processes",
    type=click.IntRange(1, 64),
    default=lambda: min(os.cpu_count() or 1, 4),
    show_default="the CPUs, at most 4",
    help="Analysis processes (each holds about 0.5 GB).",
)
@click.pass_obj
def add(
    obj: _Obj,
    inputs: tuple[str, ...],
    as_json: bool,
    quiet: bool,
    max_bytes: int | None,
    timeout: float | None,
    fetch_feed_pages: bool,
    processes: int,
) -> None:
    """Ingest files, folders, feeds, JSONL and URLs (re-adding the same content is a no-op).

    Each input is reported as added, skipped (duplicate) or failed with the reason; the exit
    code is 1 if anything failed.

    Example:

        factdesk add story/ wire.txt page.html feed.xml lines.jsonl https://example.org/a
    """
    from factdesk.ingest import ReadLimits

    defaults = ReadLimits()
    limits = ReadLimits(
        max_bytes=max_bytes if max_bytes is not None else defaults.max_bytes,
        timeout=timeout if timeout is not None else defaults.timeout,
        max_redirects=defaults.max_redirects,
        fetch_feed_pages=fetch_feed_pages,
    )
    try:
        with obj.store() as store:
            summary = desk.add(
                inputs,
                store=store,
                limits=limits,
                n_process=processes,
                progress=_progress_printer(quiet),
            )
    except FactdeskError as exc:
        raise _fail(exc) from exc
    if not quiet and sys.stderr.isatty():
        click.echo("", err=True)
    if as_json:
        _emit_json(render.summary_json(summary))
    else:
        for line in render.summary_lines(summary):
            click.echo(line)
    for o in summary.outcomes:
        if o.status == "failed":
            click.echo(f"error: {o.reason}", err=True)
    if summary.count("failed"):
        sys.exit(1)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.option("--doc", "doc", default=None, help="Only this document (id or unique prefix).")
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
@click.option("--checkable-only", is_flag=True, help="Hide framing and filler.")
@click.pass_obj
def claims(obj: _Obj, doc: str | None, as_json: bool, checkable_only: bool) -> None:
    """List claims with speaker, via chain, modality, dates and quantities.

    Example:

        factdesk claims --doc 3f2a --json
    """
    try:
        with obj.store() as store:
            found = desk.claims(store, doc=doc)
    except FactdeskError as exc:
        raise _fail(exc) from exc
    if checkable_only:
        found = [c for c in found if c.checkable]
    if as_json:
        _emit_json({"claims": [render.claim_json(c) for c in found]})
    else:
        for line in render.claim_lines(found):
            click.echo(line)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("doc")
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
@click.pass_obj
def show(obj: _Obj, doc: str, as_json: bool) -> None:
    """Show one document: metadata, text and its claims.

    Example:

        factdesk show 3f2a
    """
    try:
        with obj.store() as store:
            document = desk.show(store, doc)
    except FactdeskError as exc:
        raise _fail(exc) from exc
    if as_json:
        _emit_json(render.document_json(document))
    else:
        for line in render.document_lines(document):
            click.echo(line)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("text")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
@click.pass_obj
def search(obj: _Obj, text: str, limit: int, as_json: bool) -> None:
    """Full-text search over stored sentences.

    Example:

        factdesk search "air defense"
    """
    try:
        with obj.store() as store:
            hits = store.search(text, limit=limit)
    except FactdeskError as exc:
        raise _fail(exc) from exc
    if as_json:
        _emit_json({"query": text, "hits": [render.hit_json(h) for h in hits]})
    else:
        if not hits:
            click.echo(f"no sentence matches {text!r}", err=True)
        for h in hits:
            click.echo(f"{h.doc_id[:8]} [{h.span[0]}:{h.span[1]}] {h.snippet}")


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
@click.pass_obj
def stories(obj: _Obj, as_json: bool) -> None:
    """List stories: which documents are about the same event.

    Example:

        factdesk stories --json
    """
    try:
        with obj.store() as store:
            found = desk.stories(store)
            titles = {d.id: d for d in store.list_documents()}
    except FactdeskError as exc:
        raise _fail(exc) from exc
    if as_json:
        _emit_json({"stories": [render.story_json(s, titles) for s in found]})
    else:
        for line in render.story_lines(found, titles):
            click.echo(line)


@cli.group(context_settings=CONTEXT_SETTINGS)
def story() -> None:
    """Correct the clustering: merge stories, split documents off, move a document.

    Later documents respect these decisions.

    Example:

        factdesk story merge s1a2b s9f8e
    """


def _story_result(obj: _Obj, fn: Any, *args: Any) -> None:
    try:
        with obj.store() as store:
            result = fn(store, *args)
            titles = {d.id: d for d in store.list_documents()}
    except FactdeskError as exc:
        raise _fail(exc) from exc
    results = result if isinstance(result, tuple) else (result,)
    for line in render.story_lines(list(results), titles):
        click.echo(line)


@story.command("merge", context_settings=CONTEXT_SETTINGS)
@click.argument("stories_", metavar="STORY...", nargs=-1, required=True)
@click.pass_obj
def story_merge(obj: _Obj, stories_: tuple[str, ...]) -> None:
    """Merge two or more stories into one.

    Example:

        factdesk story merge s1a2b s9f8e
    """
    if len(stories_) < 2:
        raise click.UsageError("merge needs at least two stories")
    _story_result(obj, desk.merge, list(stories_))


@story.command("split", context_settings=CONTEXT_SETTINGS)
@click.argument("story_id", metavar="STORY")
@click.argument("docs", metavar="DOC...", nargs=-1, required=True)
@click.pass_obj
def story_split(obj: _Obj, story_id: str, docs: tuple[str, ...]) -> None:
    """Split documents off a story into a new story.

    Example:

        factdesk story split s1a2b 3f2a 9c1d
    """
    _story_result(obj, desk.split, story_id, list(docs))


@story.command("move", context_settings=CONTEXT_SETTINGS)
@click.argument("doc", metavar="DOC")
@click.argument("story_id", metavar="STORY")
@click.pass_obj
def story_move(obj: _Obj, doc: str, story_id: str) -> None:
    """Move a document to another story.

    Example:

        factdesk story move 3f2a s9f8e
    """
    _story_result(obj, desk.move, doc, story_id)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("story_id", metavar="STORY")
@click.option(
    "--format", "fmt", type=click.Choice(["md", "html", "json"]), default="md", show_default=True
)
@click.pass_obj
def brief(obj: _Obj, story_id: str, fmt: str) -> None:
    """The brief: key facts, reported only, contested, unconfirmed, what to watch, sources.

    Every line cites document ids and character spans; the HTML version links each citation
    to the highlighted source sentence.

    Example:

        factdesk brief s1a2b --format html > brief.html
    """
    from factdesk import report

    try:
        with obj.store() as store:
            result = desk.brief(store, story_id)
    except FactdeskError as exc:
        raise _fail(exc) from exc
    if fmt == "json":
        _emit_json(report.brief_json(result))
    elif fmt == "html":
        click.echo(report.brief_html(result))
    else:
        click.echo(report.brief_markdown(result), nl=False)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("story_id", metavar="STORY")
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
@click.pass_obj
def timeline(obj: _Obj, story_id: str, as_json: bool) -> None:
    """Dated claims of a story in date order (unknown years shown as XXXX).

    Example:

        factdesk timeline s1a2b
    """
    from factdesk import report

    try:
        with obj.store() as store:
            entries = desk.timeline(store, story_id)
    except FactdeskError as exc:
        raise _fail(exc) from exc
    if as_json:
        _emit_json(report.timeline_json(entries))
    else:
        for e in entries:
            flag = " (ambiguous)" if e.ambiguous else ""
            status = f" [{e.status}]" if e.status else ""
            click.echo(f"{e.value}{flag}{status}  {render.one_line(e.text, 120)}")


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("story_id", metavar="STORY")
@click.pass_obj
def claimreview(obj: _Obj, story_id: str) -> None:
    """Export a story's findings as schema.org ClaimReview JSON-LD.

    Example:

        factdesk claimreview s1a2b > reviews.jsonld
    """
    try:
        with obj.store() as store:
            items = desk.claimreview(store, story_id)
    except FactdeskError as exc:
        raise _fail(exc) from exc
    _emit_json(items)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument("draft", metavar="DRAFT")
@click.option(
    "--against",
    "against",
    multiple=True,
    required=True,
    metavar="STORY|DOC|PATH",
    help="A story id, a stored document id, or a file/folder of sources (repeatable; "
    "values after one --against may also be listed: --against a.txt b.txt).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "md", "html", "json"]),
    default="text",
    show_default=True,
)
@click.option(
    "--judge",
    "judge_name",
    type=click.Choice(["rules", "nli", "chat"]),
    default="rules",
    show_default=True,
    help="rules: offline and deterministic. nli: a local cross-encoder (--judge-model DIR). "
    "chat: an OpenAI-compatible endpoint (--judge-url, --judge-model).",
)
@click.option("--judge-model", default=None, help="NLI model directory, or the chat model name.")
@click.option(
    "--judge-url", default=None, help="Chat endpoint base URL, e.g. http://127.0.0.1:11434/v1"
)
@click.argument("more_sources", nargs=-1, metavar="")
@click.pass_obj
def check(
    obj: _Obj,
    draft: str,
    against: tuple[str, ...],
    as_json: bool,
    fmt: str,
    judge_name: str,
    judge_model: str | None,
    judge_url: str | None,
    more_sources: tuple[str, ...],
) -> None:
    """Check a draft sentence by sentence against a story or source files.

    Labels: supported, partly-supported, unsupported, contradicted, not-checkable, with the
    evidence (document id and span) and the reasons; then the caveats of the sources the
    draft leaves out. Exit code 0 when nothing is unsupported or contradicted, 1 otherwise
    (a pre-publish gate), 2 on usage errors. DRAFT is a text, Markdown or HTML file, or -
    for standard input.

    Example:

        factdesk check draft.md --against s1a2b
        factdesk check draft.txt --against wire.txt statement.md --format html > check.html
    """
    from pathlib import Path as _Path

    from factdesk import check as checking
    from factdesk.judges import load_judge
    from factdesk.records import RawDocument

    ctx = click.get_current_context()
    try:
        judge = load_judge(judge_name, model=judge_model, url=judge_url)
        source: str | RawDocument = draft
        if draft == "-":
            source = RawDocument(text=sys.stdin.read(), source="<stdin>")
        store = obj.store() if _Path(obj.db).exists() else None
        try:
            result = desk.check(store, source, [*against, *more_sources], judge=judge)
        finally:
            if store is not None:
                store.close()
    except FactdeskError as exc:
        click.echo(f"Error: {exc}", err=True)
        ctx.exit(2)
    if as_json or fmt == "json":
        _emit_json(checking.check_json(result))
    elif fmt == "md":
        click.echo(checking.check_markdown(result), nl=False)
    elif fmt == "html":
        click.echo(checking.check_html(result))
    else:
        for line in checking.check_lines(result):
            click.echo(render.safe_terminal(line))
    ctx.exit(result.exit_code)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
@click.pass_obj
def demo(obj: _Obj, as_json: bool) -> None:
    """Ingest the bundled example story and print what the desk found.

    Example:

        factdesk demo
    """
    inputs = desk.example_story_inputs()
    try:
        with obj.store() as store:
            summary = desk.add(inputs, store=store, command="demo")
            ids = [o.doc_id for o in summary.outcomes if o.doc_id]
            documents = list(desk.iter_documents(store, ids))
            story_ids = sorted({sid for d in ids if (sid := store.story_of(d))})
            briefs = [desk.brief(store, sid) for sid in story_ids]
            # The editor's last step: the bundled AI-style draft against the biggest story.
            main = max(briefs, key=lambda b: len(b.story.doc_ids)).story.id if briefs else None
            draft = desk.check(store, str(desk.example_draft()), [main]) if main else None
    except FactdeskError as exc:
        raise _fail(exc) from exc
    from factdesk import check as checking

    if as_json:
        from factdesk import report

        _emit_json(
            {
                "summary": render.summary_json(summary),
                "briefs": [report.brief_json(b) for b in briefs],
                "documents": [render.document_json(d, with_text=False) for d in documents],
                "check": checking.check_json(draft) if draft else None,
            }
        )
    else:
        for line in render.demo_lines(summary, documents, briefs, db=obj.db):
            click.echo(line)
        if draft is not None:
            click.echo("")
            click.echo(f"══ Draft check: {desk.example_draft().name} against story {main}")
            for line in checking.check_lines(draft):
                click.echo(render.safe_terminal(line))
    if summary.count("failed"):
        sys.exit(1)


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.argument(
    "name",
    type=click.Choice(BENCHMARKS),
)
@click.option(
    "--data",
    "data",
    required=True,
    type=click.Path(exists=True, path_type=Path),
    help="Benchmark directory or file (e.g. ../shared/bench-data/polnear/data/dev).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=None,
    help="Score only the first N items (quick runs).",
)
def bench(name: str, data: Path, as_json: bool, limit: int | None) -> None:
    """Score a capability on a benchmark dataset.

    attribution: PolNeAR brat folder; dates: TimeML .tml folder; stance: Emergent CSV;
    grounding: WiCE, QAGS or XSumFaith JSONL, their folders, or bench-data for all three;
    latency: a folder of plain-text articles (a 1,000-word draft checked against 50 of them);
    speed: a folder of plain-text articles (ingest end to end against bare spaCy, and story
    assignment at 1k, 10k and 100k stored documents; takes about an hour on 2 cores).

    Example:

        factdesk bench dates --data ../shared/bench-data/tempeval3/Training --json
    """
    from factdesk.bench import run_benchmark

    try:
        result = run_benchmark(name, data, limit=limit)
    except FactdeskError as exc:
        raise _fail(exc) from exc
    if as_json:
        _emit_json(result)
    elif name == "grounding":
        from factdesk.bench.grounding import table_lines

        for line in table_lines(result):
            click.echo(line)
    else:
        for key, value in result.items():
            if isinstance(value, float):
                value = f"{value:.4f}"
            click.echo(f"{key}: {value}")


@cli.command(context_settings=CONTEXT_SETTINGS)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.pass_obj
def serve(obj: _Obj, host: str, port: int) -> None:
    """The web desk and its JSON API (pages at /stories, API reference at /docs).

    On any address but loopback the desk requires the token in FACTDESK_TOKEN (browsers open
    /?token=TOKEN once; API clients send 'Authorization: Bearer TOKEN') and refuses to start
    without one.

    Example:

    \b
        factdesk demo && factdesk serve
        export FACTDESK_TOKEN=$(python3 -c 'import secrets; print(secrets.token_urlsafe())')
        factdesk serve --host 0.0.0.0 --port 8080
    """
    import os

    from factdesk.web import serve as run_server

    try:
        run_server(obj.db, host=host, port=port, token=os.environ.get("FACTDESK_TOKEN") or None)
    except FactdeskError as exc:
        raise _fail(exc) from exc


def main() -> None:  # pragma: no cover - console entry point
    cli()
