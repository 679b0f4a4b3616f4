"""The ``byline`` command. Each subcommand is a thin wrapper over ``Assistant`` or the
ingest pipeline; heavy libraries load inside the command, so ``byline --help`` is instant.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from assistant.errors import BylineError
from assistant.limits import MAX_SEARCH_K
from assistant.offline import enable_offline_mode

app = typer.Typer(
    name="byline",
    help="Ask questions of a news corpus; get short answers with quoted, cited evidence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DataDir = Annotated[
    Optional[Path],
    typer.Option("--data-dir", help="Index folder (env BYLINE_DATA_DIR; default: your user data dir)."),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
Sources = Annotated[
    Optional[list[str]], typer.Option("--source", help="Only this outlet (repeatable).")
]
Since = Annotated[Optional[str], typer.Option("--since", help="Published on or after (ISO date).")]
Until = Annotated[Optional[str], typer.Option("--until", help="Published on or before (ISO date).")]
AnswererOption = Annotated[Optional[str], typer.Option(
    "--answerer", help="extractive, reader or llm (pip install 'byline\\[llm]'). reader: a "
    "language model reads the evidence for the short answer; llm: it writes the answer, each "
    "sentence checked against its sources. Default: BYLINE_ANSWERER.")]


def main() -> None:
    enable_offline_mode()
    try:
        app()
    except BylineError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("interrupted; run the same command again to finish", code=130)


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise SystemExit(code)


def _settings(data_dir: Path | None, **overrides):
    from assistant.settings import load_settings

    return load_settings(data_dir=data_dir, **overrides)


def _filters(sources: list[str] | None, since: str | None, until: str | None):
    from assistant.types import Filters

    try:
        return Filters.parse(sources, since, until)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def _day(value: str | None) -> date | None:
    from assistant.dates import parse_optional_day

    try:
        return parse_optional_day(value, "--as-of")
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files or folders of articles, or http(s) "
                                               "URLs of news pages or feeds.")],
    data_dir: DataDir = None,
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing when the index already has articles.")
    ] = False,
    replace: Annotated[
        bool, typer.Option("--replace", help="Let a record replace another story stored under "
                           "its id (refused by default: ids from two exports collide).")
    ] = False,
    workers: Annotated[
        int, typer.Option("--workers", min=0, help="Embed on this many Ray workers (needs "
                          "byline\\[distributed]); 0: in this process.")
    ] = 0,
    ray_address: Annotated[
        Optional[str], typer.Option("--ray-address", help="A running Ray cluster (ray://host:10001, "
                                    "or auto); default: a local one started for this ingest.")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Read, clean, chunk, embed and store articles (JSONL, JSON, CSV, TXT, MD, HTML, RSS, .gz).

    A URL is fetched: a news page becomes one article (its text extracted), a feed's URL
    brings in the pages of its entries (as `byline watch URL --once`).

    Unchanged articles are skipped; changed ones replace their old version. A record whose
    id holds another story (another URL, headline and outlet) is refused unless --replace.
    Bad inputs are reported with their location and the rest goes in; the exit status is 1
    if any failed.
    """
    from assistant import factory
    from assistant.cli_output import ingest_progress, print_ingest_report

    settings = _settings(data_dir)
    index = factory.open_index(settings)
    if if_empty and not index.is_empty():
        typer.echo(f"{settings.data_path} already holds articles; nothing to do.", err=True)
        return
    embedder = factory.build_embedder(settings)
    if workers or ray_address:
        try:
            import ray  # noqa: F401

            from ingest.distributed import RayEmbedder
        except ImportError:
            _fail("--workers needs Ray: pip install 'byline[distributed]'")
        workers = workers or 2
        embedder = RayEmbedder(embedder, workers=workers, threads=max(1, settings.threads // workers),
                               address=ray_address)
    ingestor = _ingestor(settings, index, embedder)
    from ingest.web import is_url

    urls = [p for p in paths if is_url(p)]
    with ingest_progress(enabled=not as_json) as progress:
        report = ingestor.ingest_paths([Path(p) for p in paths if p not in urls], progress, replace=replace)
    if urls:
        watcher = _watcher(settings, ingestor)
        for url in urls:
            report.merge(watcher.ingest_url(url))
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2))
    else:
        print_ingest_report(report, settings.data_path)
    if not report.ok:
        raise SystemExit(1)


def _ingestor(settings, index, embedder=None):
    """The ingestor of a writing command, which says so when it waits for another writer."""
    from assistant import factory

    ingestor = factory.build_ingestor(settings, index, embedder or factory.build_embedder(settings))
    ingestor.waiting = lambda: typer.echo(
        f"waiting: another process is writing to {settings.data_path} (an ingest, or a "
        "server's upload); this one goes on when it is done", err=True)
    return ingestor


def _watcher(settings, ingestor):
    from ingest.web import Watcher

    return Watcher(ingestor, settings.data_path / "feeds.sqlite3")


@app.command()
def watch(
    feeds: Annotated[list[str], typer.Argument(help="http(s) URLs of RSS or Atom feeds.")],
    data_dir: DataDir = None,
    every: Annotated[str, typer.Option("--every", help="Time between polls: 30s, 15m, 1h.")] = "15m",
    once: Annotated[bool, typer.Option("--once", help="Poll each feed once and exit (for cron).")] = False,
    as_json: AsJson = False,
) -> None:
    """Poll news feeds and ingest each new or changed entry's page (its text extracted).

    An unchanged feed costs one request (its ETag and Last-Modified are sent back); a page
    is fetched once, and again when the feed marks the entry updated. Feeds and pages that
    fail are reported and skipped; with --once the exit status is 1 if any did.
    """
    from assistant import factory
    from ingest.web import is_url, parse_interval

    bad = [f for f in feeds if not is_url(f)]
    if bad:
        raise typer.BadParameter(f"not an http(s) URL: {', '.join(bad)}", param_hint="FEEDS")
    try:
        interval = parse_interval(every)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--every") from None
    settings = _settings(data_dir)
    index = factory.open_index(settings)
    ingestor = _ingestor(settings, index)
    watcher = _watcher(settings, ingestor)
    failed = False

    def show(poll) -> None:
        nonlocal failed
        failed = failed or bool(poll.failed)
        if as_json:
            typer.echo(json.dumps(poll.to_dict()))
            return
        for failure in poll.failed:
            typer.echo(f"failed {failure.location}: {failure.reason}", err=True)
        done = poll.ingest.summary() if poll.ingest else "nothing new"
        typer.echo(f"{poll.feed}: {poll.status}, {poll.entries} entries, {poll.fetched} pages fetched; {done}")

    if once:
        for feed in feeds:
            show(watcher.poll(feed))
        raise SystemExit(1 if failed else 0)
    typer.echo(f"watching {len(feeds)} feed{'s' * (len(feeds) != 1)} every {every} -> "
               f"{settings.data_path} (Ctrl-C stops)", err=True)
    watcher.run(feeds, interval, show)


@app.command()
def delete(
    article_ids: Annotated[list[str], typer.Argument(help="Ids of stored articles.")],
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """Remove articles (a retraction, a takedown) from the catalog, the keyword index and
    Chroma. Exit status 1 when an id is not stored (the others are removed)."""
    from assistant import factory

    settings = _settings(data_dir)
    index = factory.open_index(settings)
    ingestor = _ingestor(settings, index)
    removed = ingestor.delete(article_ids)
    missing = [a for a in dict.fromkeys(article_ids) if a not in removed]
    if as_json:
        typer.echo(json.dumps({"deleted": removed, "not_found": missing}, indent=2))
    else:
        typer.echo(f"deleted {len(removed)} article{'s' * (len(removed) != 1)} from {settings.data_path}")
        if missing:
            typer.echo("not stored: " + ", ".join(missing), err=True)
    if missing:
        raise SystemExit(1)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int, typer.Option("-k", help="How many passages.", min=1, max=MAX_SEARCH_K)] = 5,
    data_dir: DataDir = None,
    sources: Sources = None,
    since: Since = None,
    until: Until = None,
    as_of: Annotated[
        Optional[str], typer.Option("--as-of", help="Date that 'this week' etc. refer to.")
    ] = None,
    mode: Annotated[str, typer.Option(help="hybrid, dense or keyword.")] = "hybrid",
    rerank: Annotated[bool, typer.Option(help="Rerank with the cross-encoder.")] = True,
    as_json: AsJson = False,
) -> None:
    """Find the passages that best match a query (hybrid retrieval + reranking)."""
    from assistant.cli_output import print_passages
    from assistant.factory import open_assistant

    bot = open_assistant(settings=_settings(data_dir))
    passages = bot.search(
        query, k, _filters(sources, since, until), as_of=_day(as_of), rerank=rerank, mode=mode
    )
    if as_json:
        typer.echo(json.dumps([p.to_dict() for p in passages], indent=2, ensure_ascii=False))
    else:
        print_passages(passages)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="A question about the news.")],
    data_dir: DataDir = None,
    as_of: Annotated[
        Optional[str], typer.Option("--as-of", help="Date that 'this week' etc. refer to.")
    ] = None,
    sources: Sources = None,
    since: Since = None,
    until: Until = None,
    answerer: AnswererOption = None,
    llm: Annotated[bool, typer.Option("--llm", help="Same as --answerer llm.")] = False,
    as_json: AsJson = False,
) -> None:
    """Answer a question with quoted, cited evidence (or say the corpus does not hold it)."""
    if llm:
        answerer = "llm"
    from assistant.cli_output import errors, print_answer
    from assistant.factory import open_assistant

    bot = open_assistant(settings=_settings(data_dir))
    answer = None
    for piece in bot.ask_stream(question, filters=_filters(sources, since, until),
                                as_of=_day(as_of), answerer=answerer):
        if not isinstance(piece, str):
            if piece.pending and not as_json:
                doing = "writing the answer" if answerer == "llm" else "reading the sources"
                errors.print(f"{doing}…", style="dim")
            answer = piece
    if as_json:
        typer.echo(json.dumps(answer.to_dict(), indent=2, ensure_ascii=False))
    else:
        print_answer(answer)


@app.command()
def quotes(
    speaker: Annotated[str, typer.Argument(help="Who: a name as the articles write it (\"Zelensky\").")],
    about: Annotated[Optional[str], typer.Option("--about", help="Only statements on this topic.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=MAX_SEARCH_K, help="At most this many.")] = 20,
    data_dir: DataDir = None,
    sources: Sources = None,
    since: Since = None,
    until: Until = None,
    as_json: AsJson = False,
) -> None:
    """What a person (or organisation) is quoted as saying, newest first, each statement
    quoted with its reporting verb, the speaker's role and the source they cite."""
    from assistant import factory
    from assistant.cli_output import print_quotes

    bot = factory.build_assistant(_settings(data_dir))
    found = bot.quotes(speaker, about, limit=limit, filters=_filters(sources, since, until))
    if as_json:
        typer.echo(json.dumps([q.to_dict() for q in found], indent=2, ensure_ascii=False))
    else:
        print_quotes(speaker, about, found)


@app.command()
def stats(data_dir: DataDir = None, as_json: AsJson = False) -> None:
    """How many articles and chunks the index holds, from which outlets and dates."""
    from assistant import factory

    result = factory.open_index(_settings(data_dir)).stats().to_dict()
    if as_json:
        typer.echo(json.dumps(result, indent=2))
        return
    typer.echo(f"{result['articles']} articles, {result['chunks']} chunks in {result['data_dir']}")
    typer.echo(f"published {result['first_date']} to {result['last_date']}")
    for row in result["sources"][:20]:
        typer.echo(f"  {row['articles']:6d}  {row['source']}")


@app.command()
def check(
    data_dir: DataDir = None,
    repair: Annotated[bool, typer.Option("--repair", help="Fix what the check finds.")] = False,
) -> None:
    """Check that the catalog, the Chroma vectors and the keyword index agree (after a crash,
    a killed server, a full disk). With --repair, vectors are embedded again from the
    catalog's text, stray ones removed and the keyword index rebuilt. Exit status 1 when
    the index is (still) inconsistent."""
    from assistant import factory

    settings = _settings(data_dir)
    index = factory.open_index(settings)
    found = index.check()
    typer.echo(found.summary())
    if repair and not found.ok:
        ingestor = factory.build_ingestor(settings, index, factory.build_embedder(settings))
        found = ingestor.repair()
        typer.echo("after repair: " + found.summary())
    if not found.ok:
        raise SystemExit(1)


Port = Annotated[
    Optional[int], typer.Option("--port", help="Port (env BYLINE_PORT; default 7860).")
]
Host = Annotated[
    Optional[str], typer.Option("--host", help="Interface (env BYLINE_HOST; default 127.0.0.1).")
]


@app.command()
def chat(data_dir: DataDir = None, host: Host = None, port: Port = None) -> None:
    """Start the chat in the browser (Gradio), on this machine only by default."""
    from assistant.ui.gradio_app import launch

    launch(_settings(data_dir, host=host, port=port))


@app.command()
def serve(data_dir: DataDir = None, host: Host = None, port: Port = None) -> None:
    """Serve the HTTP API (REST + OpenAI-compatible) with the chat mounted at /chat."""
    from assistant.server.http import serve as serve_http

    serve_http(_settings(data_dir, host=host, port=port))


@app.command()
def mcp(data_dir: DataDir = None) -> None:
    """Run an MCP server over stdio (tools search_news and ask_news)."""
    from assistant.server.mcp import run_stdio

    run_stdio(_settings(data_dir))


def _register_eval() -> None:
    from eval.cli import eval_command  # light: typer only; the work imports inside

    app.command("eval")(eval_command)


_register_eval()

if __name__ == "__main__":
    main()
