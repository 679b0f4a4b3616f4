"""Settings, read once by the entry points (CLI, chat, HTTP server) from ``BYLINE_*``
environment variables and an optional ``.env`` file. Library classes never read them.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.errors import ConfigError
from assistant.models.packaged import (
    DEFAULT_EMBED_MODEL,
    DEFAULT_RERANK_MODEL,
    DEFAULT_SPACY_MODEL,
)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BYLINE_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        default_factory=lambda: Path(user_data_dir("byline", appauthor=False)),
        description="Folder holding the index (catalog with its keyword index, Chroma).",
    )
    chroma_host: str | None = Field(None, description="Use a Chroma server instead of files.")
    chroma_port: int = 8000
    replica_sync_seconds: float = Field(
        2.0, ge=0, description="With a Chroma server: how often (at most) this process reads the "
        "server's write log before a search, to catch up with other writers.")

    embed_model: str = Field(DEFAULT_EMBED_MODEL, description="Packaged name, folder or hub id.")
    rerank_model: str = Field(DEFAULT_RERANK_MODEL, description="Packaged name, folder or hub id.")
    spacy_model: str = DEFAULT_SPACY_MODEL
    threads: int = Field(2, ge=1, description="CPU threads for torch and onnxruntime.")
    embed_batch_size: int = Field(16, ge=1)
    ingest_batch_articles: int = Field(64, ge=1)
    chunk_tokens: int = Field(240, ge=16, description="Target chunk size in word pieces.")
    chunk_overlap_tokens: int = Field(48, ge=0)
    # Retrieval depth and the reranker's cost: each trades latency for recall.
    retrieval_candidates: int = Field(40, ge=1, description="Chunks each of dense and keyword "
                                      "search contributes before fusion.")
    rerank_passages: int = Field(8, ge=1, description="Fused passages whose sentences the "
                                 "cross-encoder may read.")
    rerank_budget: int = Field(10, ge=1, description="Sentences the cross-encoder scores per "
                               "question, the latency knob (about 12 ms a sentence on two cores; "
                               "10 hold the gold evidence for 24 of the 25 answerable demo questions).")
    # Answering thresholds; unset, the values fitted on the development sets apply
    # (assistant/answering/confidence.json, refit with benchmarks/fit_confidence.py).
    refusal_logit: float | None = Field(None, description="Refuse when the best evidence "
                                        "sentence's cross-encoder logit is below this, in every mode "
                                        "(fitted: 1.5 for open questions, -1.0 with choices); higher "
                                        "refuses more. The latest week's news still answers a "
                                        "question that names no time.")
    short_answer_probability: float | None = Field(None, ge=0, le=1, description="Give a short "
                                                   "answer only at or above this probability of "
                                                   "being right (fitted: 0.6).")

    answerer: str = Field("extractive", pattern="^(extractive|reader|llm)$",
                          description="extractive (default); reader: an LLM reads the evidence "
                                      "for the short answer; llm: an LLM writes the answer, "
                                      "every sentence checked against its sources.")
    llm_url: str | None = Field(None, description="OpenAI-compatible or Ollama server; unset: the packaged model.")
    llm_model: str | None = Field(None, description="Model name on the server, or a GGUF path.")
    llm_api_key: SecretStr | None = None
    llm_timeout: float = Field(60.0, gt=0, description="Seconds to wait for the LLM server.")
    llm_threads: int = Field(1, ge=1, description="CPU threads of the in-process model.")
    reader_sentences: int = Field(2, ge=1, description="Evidence sentences the reader reads.")
    llm_unverified: str = Field("mark", pattern="^(mark|drop)$",
                                description="Generated sentences their sources do not support: "
                                            "shown marked (mark) or left out (drop).")
    # Bounded so that sources and answer fit the packaged model's 2,048-token context.
    llm_max_tokens: int = Field(160, ge=16, le=512, description="Longest generated answer, in tokens.")
    llm_sources: int = Field(4, ge=1, le=6, description="Numbered sources the LLM reads.")

    host: str = "127.0.0.1"
    port: int = Field(7860, ge=1, le=65535)
    api_key: SecretStr | None = None
    auth: str | None = Field(None, description="user:password for the chat's basic auth.")
    max_upload_mb: int = Field(20, ge=1)
    allowed_hosts: str | None = Field(None, description="Comma-separated extra host names the "
                                      "server answers to (beside its bind address).")
    queue_timeout: float = Field(30.0, gt=0, description="Seconds a question may wait for the "
                                 "models while others are answered; then the API answers 503.")

    @field_validator("auth")
    @classmethod
    def _user_colon_password(cls, value: str | None) -> str | None:
        if not value:
            return None
        user, sep, password = value.partition(":")
        if not (sep and user and password):
            raise ValueError("must look like user:password")
        return value

    @property
    def data_path(self) -> Path:
        return self.data_dir.expanduser()

    @property
    def basic_auth(self) -> tuple[str, str] | None:
        """``BYLINE_AUTH`` as ``(user, password)`` (the password may hold colons)."""
        if not self.auth:
            return None
        user, _, password = self.auth.partition(":")
        return user, password


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, then the ``overrides`` that are not None (command-line
    options). A bad value is a ``ConfigError`` naming its variable, not a traceback."""
    try:
        settings = Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"BYLINE_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"bad setting: {problems}") from None
    update = {k: v for k, v in overrides.items() if v is not None}
    return settings.model_copy(update=update) if update else settings
