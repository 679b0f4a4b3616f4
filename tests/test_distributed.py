"""Ingest with embedding fanned out over a real Ray cluster on 127.0.0.1 (started by the
test, two workers) into a real Chroma server: the same index as an ingest in one process,
no duplicates, and a re-run from another process skips every article."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.test_index_contract import start_chroma

pytest.importorskip("ray", reason="pip install 'byline[distributed]'")


def _ingest(corpus, data_dir, port, *extra):
    env = {**os.environ, "BYLINE_CHROMA_HOST": "127.0.0.1", "BYLINE_CHROMA_PORT": str(port)}
    done = subprocess.run([sys.executable, "-m", "assistant.cli", "ingest", str(corpus), "--data-dir",
                           str(data_dir), "--json", *extra], capture_output=True, text=True, timeout=900, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_ray_workers_embed_what_one_process_embeds(tmp_path, request, slice_corpus, make_assistant_with):
    ray_port = start_chroma(tmp_path / "chroma-ray", request)
    one_port = start_chroma(tmp_path / "chroma-one", request)
    fanned = _ingest(slice_corpus, tmp_path / "ray-worker", ray_port, "--workers", "2")
    single = _ingest(slice_corpus, tmp_path / "one-process", one_port)
    assert fanned["added"] == single["added"] == 41 and not fanned["failed"]

    ray_bot = make_assistant_with(tmp_path / "ray-reader", chroma_host="127.0.0.1", chroma_port=ray_port)
    one_bot = make_assistant_with(tmp_path / "one-reader", chroma_host="127.0.0.1", chroma_port=one_port)
    ray_ids, one_ids = sorted(ray_bot.index.vectors.ids()), sorted(one_bot.index.vectors.ids())
    assert ray_ids == one_ids and len(ray_ids) == len(set(ray_ids)) == ray_bot.index.stats().chunks
    question = "Who claimed the casualty figures?"
    assert ray_bot.ask(question).text == one_bot.ask(question).text  # same vectors, same answer

    again = _ingest(slice_corpus, tmp_path / "another-worker", ray_port, "--workers", "2")
    assert (again["added"], again["unchanged"]) == (0, 41)  # a fresh folder knows the store
    assert sorted(ray_bot.index.vectors.ids()) == ray_ids
