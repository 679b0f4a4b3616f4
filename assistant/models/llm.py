"""Language models for the reader, as llama-index LLM classes passed explicitly (never the
global ``Settings``):

* the packaged Qwen2.5-Coder-1.5B-Instruct GGUF in this process (:class:`PackagedLLM`, a
  llama-index ``CustomLLM`` over :mod:`assistant.models.gguf`): offline, no server;
* any OpenAI-compatible server (llama.cpp's server, vLLM, LM Studio, a hosted API) through
  ``llama-index-llms-openai-like``;
* an Ollama server through ``llama-index-llms-ollama``.

All need the ``llm`` extra (``pip install 'byline[llm]'``); without it, asking for the
reader is a ``ConfigError`` naming the extra, and the extractive answerer still answers.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from assistant.errors import ConfigError
from assistant.models.gguf import INSTALL_HINT, LocalGGUF, packaged_model_path

PACKAGED = "packaged"


def chatml(messages: Sequence[Any]) -> str:
    """The ChatML prompt Qwen models are trained on, ending with the assistant's turn."""
    parts = [f"<|im_start|>{m.role.value}\n{m.content}<|im_end|>\n" for m in messages]
    return "".join(parts) + "<|im_start|>assistant\n"


def build_llm(url: str | None = None, model: str | None = None, *, api_key: str | None = None,
              timeout: float = 60.0, threads: int = 1, max_tokens: int = 256):
    """The LLM of the reader and the generative answerer: the packaged model when ``url``
    is empty, else the server at ``url`` (Ollama when the URL is Ollama's port 11434 or
    ``model`` starts with ``ollama:``, otherwise OpenAI-compatible). Callers pass
    ``max_tokens`` per call (the reader 12, an answer ``llm_max_tokens``); ``max_tokens``
    here is the default (Ollama's ceiling)."""
    if not url:
        path = model if model and model != PACKAGED else str(packaged_model_path())
        return PackagedLLM.create(path, threads=threads, max_tokens=max_tokens)
    try:
        if ":11434" in url or (model or "").startswith("ollama:"):
            from llama_index.llms.ollama import Ollama

            return Ollama(model=(model or "").removeprefix("ollama:"), base_url=url,
                          request_timeout=timeout, temperature=0.0,
                          additional_kwargs={"num_predict": max_tokens})
        from llama_index.llms.openai_like import OpenAILike
    except ImportError:
        raise ConfigError(f"LLM server support is not installed: {INSTALL_HINT}") from None
    # max_tokens=None: llama-index's OpenAI class would otherwise override the per-call
    # value with its own (``_get_model_kwargs``), cutting answers at the reader's length.
    return OpenAILike(model=model or "default", api_base=url, api_key=api_key or "none",
                      is_chat_model=True, timeout=timeout, max_retries=0, temperature=0.0,
                      max_tokens=None)


@functools.cache
def _packaged_class():
    from llama_index.core.base.llms.types import CompletionResponse, LLMMetadata
    from llama_index.core.llms.custom import CustomLLM
    from pydantic import PrivateAttr

    class PackagedLLM(CustomLLM):
        """The packaged GGUF as a llama-index LLM: ``chat`` builds the ChatML prompt and
        completes it greedily; the answer's token log-probabilities ride in
        ``additional_kwargs["logprobs"]``."""

        model_path: str
        max_tokens: int = 16
        _engine: LocalGGUF = PrivateAttr()

        @classmethod
        def create(cls, path: str, *, threads: int = 1, max_tokens: int = 16) -> "PackagedLLM":
            llm = cls(model_path=str(path), max_tokens=max_tokens, messages_to_prompt=chatml)
            llm._engine = LocalGGUF(path, threads=threads)
            return llm

        @property
        def metadata(self) -> LLMMetadata:
            return LLMMetadata(context_window=self._engine.context, num_output=self.max_tokens,
                               model_name=f"packaged:{self.model_path}", is_chat_model=False)

        def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
            done = self._engine.complete(prompt, max_tokens=kwargs.get("max_tokens", self.max_tokens),
                                         stop=tuple(kwargs.get("stop", ("\n", "<|im_end|>"))))
            return CompletionResponse(text=done.text, additional_kwargs={
                "logprobs": done.logprobs, "prompt_tokens": done.prompt_tokens,
                "evaluated": done.evaluated, "seconds": done.seconds})

        def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any):
            pieces = self._engine.stream(prompt, max_tokens=kwargs.get("max_tokens", self.max_tokens),
                                         stop=tuple(kwargs.get("stop", ("<|im_end|>",))))

            def responses():
                text = ""
                for delta in pieces:
                    text += delta
                    yield CompletionResponse(text=text, delta=delta)

            return responses()

        def warm_up(self, prefix: str) -> None:
            self._engine.warm_up(prefix)

    return PackagedLLM


class _Lazy:
    """``PackagedLLM`` is defined on first use: llama-index's LLM base classes cost a
    second to import, which ``import assistant`` must not pay."""

    def __getattr__(self, name: str):
        return getattr(_packaged_class(), name)


PackagedLLM = _Lazy()
