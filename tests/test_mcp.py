"""``byline mcp`` as an agent tool sees it: a subprocess speaking MCP over stdio, driven
by the official client session, over an index built by ``byline ingest``."""

from __future__ import annotations

import os
import subprocess
import sys

import anyio
import pytest

from tests.conftest import REPO, SEED, SEED_ID, SEED_QUESTION, WIKINEWS, read_jsonl, write_jsonl


@pytest.fixture(scope="module")
def mcp_env(tmp_path_factory) -> dict[str, str]:
    """An index with the seed article and 40 Wikinews articles, built by the CLI (over a
    much smaller index the answerer abstains on the seed question)."""
    folder = tmp_path_factory.mktemp("mcp")
    corpus = folder / "corpus"
    corpus.mkdir()
    write_jsonl(corpus / "wikinews.jsonl", read_jsonl(WIKINEWS)[:40])
    (corpus / "seed.jsonl").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    env = dict(os.environ, BYLINE_DATA_DIR=str(folder / "index"))
    subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ingest", str(corpus)],
        env=env, cwd=REPO, check=True, capture_output=True, timeout=600,
    )
    return env


def run_session(env: dict[str, str], script) -> object:
    """Start ``byline mcp``, initialise a client session, run ``script(session)``."""
    from mcp.client.session import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    params = StdioServerParameters(
        command=sys.executable, args=["-m", "assistant.cli", "mcp"], env=env, cwd=str(REPO)
    )

    async def main():
        async with stdio_client(params) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                return await script(session)

    return anyio.run(main)


def test_mcp_tools_and_article_resources(mcp_env):
    """Every call below goes over the subprocess's stdout: one stray print from a library
    would break the session, so getting through them also shows stdout stays protocol."""
    from mcp.shared.exceptions import MCPError

    async def script(session):
        tools = {tool.name: tool for tool in (await session.list_tools()).tools}
        asked = await session.call_tool("ask_news", {"question": SEED_QUESTION})
        searched = await session.call_tool(
            "search_news", {"query": "North Korean soldiers killed", "k": 3}
        )
        filtered = await session.call_tool(
            "search_news", {"query": "North Korean soldiers killed", "sources": ["Wikinews"]}
        )
        empty = await session.call_tool("ask_news", {"question": "   "})
        bad_date = await session.call_tool("search_news", {"query": "x", "since": "someday"})
        quoted = await session.call_tool(
            "quotes_by_speaker", {"speaker": "Zelensky", "about": "North Korean soldiers"})
        templates = (await session.list_resource_templates()).resource_templates
        article = await session.read_resource(f"article://{SEED_ID}")
        with pytest.raises(MCPError, match="no article with id 'nope'"):
            await session.read_resource("article://nope")
        return tools, asked, searched, filtered, empty, bad_date, quoted, templates, article

    tools, asked, searched, filtered, empty, bad_date, quoted, templates, article = run_session(
        mcp_env, script
    )

    assert {"search_news", "ask_news"} <= tools.keys()
    assert tools["ask_news"].output_schema is not None  # structured results, not just prose

    answer = asked.structured_content
    # Article text may carry a prompt injection: every result says it is data.
    assert "untrusted" in answer["content_notice"]
    assert "untrusted" in searched.structured_content["content_notice"]
    assert not asked.is_error and answer["short_answer"] == "Lee Seong-kweun"
    citation = answer["citations"][0]
    assert citation["article_id"] == SEED_ID and citation["resource"] == f"article://{SEED_ID}"
    assert "Lee Seong-kweun" in citation["quote"] and f"[{citation['number']}]" in answer["answer"]

    passages = searched.structured_content["passages"]
    assert len(passages) == 3 and passages[0]["article_id"] == SEED_ID
    wikinews = filtered.structured_content["passages"]
    assert wikinews and all(p["source"] == "Wikinews" for p in wikinews)

    assert empty.is_error and "question is empty" in empty.content[0].text
    assert bad_date.is_error and "someday" in bad_date.content[0].text

    statements = quoted.structured_content["quotes"]
    assert statements and "untrusted" in quoted.structured_content["content_notice"]
    assert all(q["speaker"] == "Volodymyr Zelensky" and q["role"] == "Ukrainian President"
               and q["resource"] == f"article://{SEED_ID}" for q in statements)
    body = read_jsonl(SEED)[0]["body"]
    assert all(body[q["quote_start"]:q["quote_end"]] == q["quote"] for q in statements)

    assert [t.uri_template for t in templates] == ["article://{article_id}"]
    text = article.contents[0].text
    assert text.startswith("# Seoul says 300 North Korean soldiers killed")
    assert read_jsonl(SEED)[0]["body"][:80] in text



def test_byline_quotes_lists_a_speakers_statements(mcp_env):
    done = subprocess.run([sys.executable, "-m", "assistant.cli", "quotes", "Lee", "--about", "deaths"],
                          env=mcp_env, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Lee Seong-kweun, a South Korean lawmaker, said:" in done.stdout
    assert "“approximately 300 deaths and 2,700 injuries”" in done.stdout.replace("\n", " ")
    none = subprocess.run([sys.executable, "-m", "assistant.cli", "quotes", "Nobody Atall"],
                          env=mcp_env, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert none.returncode == 0 and "No statement by Nobody Atall found" in none.stdout
