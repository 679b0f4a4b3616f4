"""Marked-up inputs to plain records: HTML pages, RSS/Atom feeds, Markdown.

Each function imports its library when called, so reading JSONL never pays for them.
"""

from __future__ import annotations

import re
from typing import Any

MAX_FRONT_MATTER_CHARS = 65_536
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(\n|\Z)", re.DOTALL)
_BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "th")
_IS_BLOCK = " or ".join(f"self::{tag}" for tag in _BLOCK_TAGS)


def extract_html(data: bytes) -> dict[str, Any]:
    """Main text and metadata of a news page (trafilatura drops navigation and boilerplate)."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        data, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    if doc is None:
        return {}
    meta = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    lines = [line.strip() for line in (meta.get("text") or "").split("\n") if line.strip()]
    if lines and meta.get("title") and lines[0] == meta["title"].strip():
        lines = lines[1:]  # trafilatura repeats the headline as the first line
    return {
        "title": meta.get("title"),
        "body": "\n\n".join(lines),
        "url": meta.get("url"),
        "source": meta.get("sitename") or meta.get("hostname"),
        "author": meta.get("author"),
        "published_at": meta.get("date"),
    }


def feed_entries(data: bytes) -> list[dict[str, Any]] | None:
    """Entries of an RSS/Atom feed as records; None when the bytes are no feed at all."""
    import feedparser

    feed = feedparser.parse(data)
    if not feed.entries and (feed.bozo or not feed.feed):
        return None
    outlet = feed.feed.get("title")
    entries = []
    for entry in feed.entries:
        content = entry.get("content") or []
        html = content[0].get("value") if content else entry.get("summary")
        entries.append(
            {
                "id": entry.get("id"),
                "title": entry.get("title"),
                "body": html_fragment_to_text(html) if html else None,
                "url": entry.get("link"),
                "source": outlet,
                "author": entry.get("author"),
                "published_at": entry.get("published") or entry.get("updated"),
                "updated": entry.get("updated"),  # a watched feed refetches a changed entry
            }
        )
    return entries


def html_fragment_to_text(html: str) -> str:
    """Text of an HTML fragment, one paragraph per block element."""
    import lxml.html

    if "<" not in html:
        return html
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    # Outermost blocks only: a <p> inside an <li> belongs to the item's paragraph.
    blocks = root.xpath(f".//*[{_IS_BLOCK}][not(ancestor::*[{_IS_BLOCK}])]")
    if not blocks:
        return root.text_content().strip()
    texts = [block.text_content().strip() for block in blocks]
    return "\n\n".join(t for t in texts if t)


def markdown_to_text(markdown: str) -> str:
    """Plain text of Markdown (links keep their words, emphasis marks go)."""
    from markdown_it import MarkdownIt

    if not markdown.strip():
        return ""
    return html_fragment_to_text(MarkdownIt("commonmark").render(markdown))


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """YAML front matter (``---`` block at the top) and the rest of a Markdown file."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    import yaml

    block = match.group(1)
    if len(block) > MAX_FRONT_MATTER_CHARS:
        raise ValueError(f"front matter longer than {MAX_FRONT_MATTER_CHARS:,} characters")
    try:
        # Aliases (*name) are refused before anything is built: a few hundred bytes of
        # nested aliases expand to millions of items (the "billion laughs").
        if any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(block, Loader=yaml.SafeLoader)):
            raise ValueError("front matter uses a YAML alias (*name); aliases are not accepted")
        meta = yaml.safe_load(block) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"malformed front matter: {exc}") from None
    if not isinstance(meta, dict):
        raise ValueError("front matter must be a mapping of field: value")
    return {str(k): v for k, v in meta.items()}, text[match.end():]
