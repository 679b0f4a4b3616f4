"""Imports point one way and never in a circle (the structure README "How it answers"
describes). Read from the source with ``ast``, so a lazy import inside a function counts
as much as one at the top: it is the same dependency, only paid for later.

    records and models <- store <- retrieval, answering, ingest <- engine <- faces <- app.py

A new module must be given a layer below; a face (CLI, HTTP, MCP, chat, eval) may import
the engine and everything under it, the engine never imports a face.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("assistant", "ingest", "eval")

# Lowest first; a module may import its own layer and those below it. The longest
# matching prefix decides; a top-level package name matches only its __init__, so a new
# module of assistant/ or ingest/ must be placed here by name.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("records and models", (
        "assistant.errors", "assistant.ids", "assistant.types", "assistant.dates",
        "assistant.settings", "assistant.offline", "assistant.sentences", "assistant.text",
        "assistant.limits", "assistant.history",
        "assistant.evidence", "assistant.models", "ingest.records", "ingest.clean",
        "ingest.markup", "ingest.chunking", "ingest.readers",
    )),
    ("store", ("assistant.store",)),
    ("pipeline", ("assistant.retrieval", "assistant.answering", "assistant.stages", "ingest.pipeline",
                  "ingest.distributed", "ingest.web",
                  "ingest")),
    ("engine", ("assistant.engine", "assistant.factory", "assistant")),
    ("faces", ("assistant.cli", "assistant.cli_output", "assistant.server", "assistant.ui", "eval")),
    ("launcher", ("app",)),
]


def _modules() -> dict[str, Path]:
    found = {"app": ROOT / "app.py"}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[tuple[str, int]]:
    """(imported module, line) for every import of our own modules in ``path``."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[tuple[str, int]] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # "from eval import plots" imports the module eval.plots, not only the package
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
        else:
            continue
        found |= {(t, node.lineno) for t in targets if t in MODULES and t != name}
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def layer_of(module: str) -> int:
    best = None
    for rank, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or (prefix not in ("assistant", "ingest") and module.startswith(prefix + ".")):
                if best is None or len(prefix) > best[1]:
                    best = (rank, len(prefix))
    if best is None:
        raise AssertionError(f"{module} has no layer in tests/test_architecture.py")
    return best[0]


def test_every_module_has_a_layer():
    unplaced = []
    for module in MODULES:
        try:
            layer_of(module)
        except AssertionError:
            unplaced.append(module)
    assert unplaced == []


def test_imports_point_down_the_layers():
    upward = [
        f"{module} ({LAYERS[layer_of(module)][0]}) imports {target} ({LAYERS[layer_of(target)][0]}), "
        f"{MODULES[module].relative_to(ROOT)}:{line}"
        for module, targets in GRAPH.items() for target, line in sorted(targets)
        if layer_of(target) > layer_of(module)
    ]
    assert upward == []


def test_no_module_imports_the_launcher():
    assert [m for m, targets in GRAPH.items() if any(t == "app" for t, _ in targets)] == []


def test_no_import_cycles():
    edges = {m: {t for t, _ in targets} for m, targets in GRAPH.items()}
    cycles, index, low, stack, on_stack = [], {}, {}, [], set()

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in edges[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    assert cycles == []


@pytest.mark.parametrize("source, expected", [
    ("from assistant.store.index import NewsIndex", "assistant.store.index"),
    ("from eval import plots", "eval.plots"),
])
def test_the_import_reader_sees_what_it_should(tmp_path, source, expected):
    path = tmp_path / "probe.py"
    path.write_text(source + "\n", encoding="utf-8")
    assert {target for target, _ in _imports("probe", path)} == {expected}
