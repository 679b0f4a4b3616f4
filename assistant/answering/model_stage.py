"""What the language-model stages share (:class:`~assistant.answering.reader.LLMReader`,
:class:`~assistant.answering.generative.GenerativeAnswerer`): their LLM, built on first use;
the model's lock, waited for at most a given time; and a fixed prompt prefix (system prompt
and worked examples) that the in-process model evaluates once and keeps in its cache."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from collections.abc import Iterator, Sequence


class ModelStage:
    """Args:
    llm: a llama-index LLM, or a callable building one on first use (a missing extra or
        model is reported then, not when Byline starts).
    lock: the model's lock, when other stages use the same model: one generation at a
        time, and each stage waits at most its ``wait`` for the others.

    Subclasses set ``system`` and ``examples`` (``(user, assistant)`` turns).
    """

    system: str = ""
    examples: Sequence[tuple[str, str]] = ()

    def __init__(self, llm, lock: threading.Lock | None = None) -> None:
        self._make = llm if callable(llm) and not hasattr(llm, "chat") else (lambda: llm)
        self._llm = None
        self._lock = lock or threading.Lock()

    @property
    def llm(self):
        """The model, built on first use."""
        if self._llm is None:
            self._llm = self._make()
        return self._llm

    def warm_up(self) -> None:
        """Load the model; the in-process one also evaluates the fixed prompt prefix."""
        warm = getattr(self.llm, "warm_up", None)
        if warm is not None:
            from assistant.models.llm import chatml

            warm(chatml(self.messages("")[:-1]))

    def messages(self, user: str) -> list:
        """The system prompt, the worked examples, then ``user``."""
        from llama_index.core.base.llms.types import ChatMessage, MessageRole

        messages = [ChatMessage(role=MessageRole.SYSTEM, content=self.system)]
        for asked, replied in self.examples:
            messages.append(ChatMessage(role=MessageRole.USER, content=asked))
            messages.append(ChatMessage(role=MessageRole.ASSISTANT, content=replied))
        messages.append(ChatMessage(role=MessageRole.USER, content=user))
        return messages

    @contextmanager
    def holding(self, wait: float | None) -> Iterator[bool]:
        """The model's lock for the block, waited for at most ``wait`` seconds (None: as
        long as it takes); yields whether it was got (if not, the block must not use it)."""
        got = self._lock.acquire(timeout=-1 if wait is None else wait)
        try:
            yield got
        finally:
            if got:
                self._lock.release()
