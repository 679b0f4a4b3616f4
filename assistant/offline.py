"""Offline by construction: every entry point calls ``enable_offline_mode()`` first.

The variables stop the Hugging Face hub, transformers, Gradio analytics, Chroma telemetry
and onnxruntime telemetry from reaching out. ``setdefault`` leaves a value the user set on
purpose (``HF_HUB_OFFLINE=0`` to use a hub model online) alone.
"""

from __future__ import annotations

import os

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "ORT_DISABLE_TELEMETRY": "1",
    "TOKENIZERS_PARALLELISM": "false",
    # Not a network setting: hides transformers' per-load "Loading weights" bar.
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
}


def enable_offline_mode() -> None:
    for name, value in OFFLINE_ENV.items():
        os.environ.setdefault(name, value)
