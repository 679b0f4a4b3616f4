"""The corpus the ingest benchmarks read by default (rtqa-dev's articles when present, else
the demo corpus) and how they read one: every article of a file or folder, as Byline's
readers parse it (records that fail are left out)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RTQA_ARTICLES = REPO.parent / "shared" / "data" / "rtqa-dev" / "articles.jsonl.gz"
DEMO_ARTICLES = REPO / "data" / "demo" / "articles"
DEFAULT = RTQA_ARTICLES if RTQA_ARTICLES.exists() else DEMO_ARTICLES


def read_articles(corpus: Path, limit: int | None = None) -> list:
    """The articles of ``corpus`` in file order, the first ``limit`` of them if given."""
    from ingest.readers import discover, read_file

    articles = [a for path in discover([corpus]) for a in read_file(path) if hasattr(a, "body")]
    return articles[:limit] if limit else articles
