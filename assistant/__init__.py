"""Byline: question answering over a news corpus, with cited evidence.

Everything a user of the library needs is importable from here::

    from assistant import Filters, open_assistant

    bot = open_assistant()          # settings from BYLINE_* variables
"""

from assistant.engine import Assistant
from assistant.errors import (
    BylineError,
    ConfigError,
    EmptyIndex,
    EmptyQuestion,
    IngestError,
    InvalidRequest,
    NotFound,
)
from assistant.factory import open_assistant
from assistant.types import Answer, Article, Chunk, Citation, Filters, Passage

__all__ = [
    "Answer",
    "Article",
    "Assistant",
    "BylineError",
    "Chunk",
    "Citation",
    "ConfigError",
    "EmptyIndex",
    "EmptyQuestion",
    "Filters",
    "IngestError",
    "InvalidRequest",
    "NotFound",
    "Passage",
    "open_assistant",
]
