"""Byline works with the network cut, and its entry points start fast."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from tests.conftest import SEED_ID, SEED_QUESTION

# Loaded into every Python process of the test through PYTHONPATH: any connection to a
# host other than loopback is recorded and refused, as on a machine with no network.
GUARD = textwrap.dedent(
    """
    import ipaddress, os, socket

    _LOG = os.environ["BYLINE_TEST_NET_LOG"]
    _real_connect = socket.socket.connect
    _real_connect_ex = socket.socket.connect_ex
    _real_getaddrinfo = socket.getaddrinfo

    def _local(host):
        if host in ("localhost", "", None) or str(host).startswith("/"):
            return True
        try:
            return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
        except ValueError:
            return False

    def _refuse(what):
        with open(_LOG, "a") as log:
            log.write(what + "\\n")
        raise OSError(101, "network is unreachable (blocked by the offline test)")

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _local(address[0]):
            _refuse(f"connect {address}")
        return _real_connect(self, address)

    def connect_ex(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _local(address[0]):
            _refuse(f"connect_ex {address}")
        return _real_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if not _local(host):
            _refuse(f"resolve {host}")
        return _real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.getaddrinfo = getaddrinfo
    """
)


def test_ingest_and_search_never_reach_the_network(tmp_path, slice_corpus, cli_env):
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(GUARD)
    log = tmp_path / "connections.log"
    env = dict(cli_env, PYTHONPATH=str(guard), BYLINE_TEST_NET_LOG=str(log))
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        env.pop(name, None)  # the product must set these itself

    def byline(*args):
        return subprocess.run(
            [sys.executable, "-m", "assistant.cli", *args],
            capture_output=True, text=True, env=env, timeout=600,
        )

    ingest = byline("ingest", str(slice_corpus))
    assert ingest.returncode == 0, ingest.stderr
    search = byline("search", SEED_QUESTION, "--json", "-k", "3")
    assert search.returncode == 0, search.stderr
    ask = byline("ask", SEED_QUESTION, "--json")
    assert ask.returncode == 0, ask.stderr

    assert not log.exists(), "tried to connect out:\n" + log.read_text()
    assert json.loads(search.stdout)[0]["article_id"] == SEED_ID
    assert "Lee Seong-kweun" in json.loads(ask.stdout)["short_answer"]
    # the guard really is active in those processes
    probe = subprocess.run(
        [sys.executable, "-c", "import urllib.request; urllib.request.urlopen('http://example.com', timeout=5)"],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert probe.returncode != 0 and "example.com" in log.read_text()


def test_import_and_help_stay_light():
    code = (
        "import sys; import assistant, assistant.engine, assistant.cli; "
        "heavy = {'torch', 'sentence_transformers', 'chromadb', 'gradio', 'spacy', 'llama_index'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    loaded = result.stdout.strip()
    assert loaded == "[]", f"heavy modules imported at import time: {loaded}"
    # The time it takes: benchmarks/startup.py (a figure, not a test).
    help_run = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "--help"], capture_output=True, text=True, timeout=60
    )
    assert help_run.returncode == 0 and "ingest" in help_run.stdout and "ask" in help_run.stdout


def test_help_names_the_extra_that_installs_the_reader():
    """Rich markup would swallow ``[llm]``; the user needs the exact pip command."""
    for command in (["ask", "--help"], ["eval", "--help"]):
        run = subprocess.run([sys.executable, "-m", "assistant.cli", *command],
                             capture_output=True, text=True, timeout=60,
                             env={**os.environ, "COLUMNS": "200"})
        assert run.returncode == 0 and "pip install 'byline[llm]'" in run.stdout, run.stdout
