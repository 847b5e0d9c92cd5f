"""No module of lib/ or views/ imports a module that imports it back (directly or around a longer loop).

Every import counts, at the top or inside a function. `from pkg import name` counts as importing pkg.name when
that is a module, else pkg; a package's own __init__ (run implicitly before its submodules) is not an edge.
"""
from __future__ import annotations

import ast
from pathlib import Path

from lib.settings import ROOT


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted([*(ROOT / "lib").rglob("*.py"), *(ROOT / "views").rglob("*.py"), ROOT / "app.py"]):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:          # relative: "." is this package, ".." its parent
                    parts = package.split(".")[:len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, base] if base else parts)
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            graph[name] |= {t for t in targets if t in modules and t != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles():
    graph = import_graph()
    assert "lib.noc.model" in graph and "lib.matching.matcher" in graph["lib.matching.devset"]
    assert cycles(graph) == []


def test_the_data_layer_never_reaches_up():
    graph = import_graph()
    for name, targets in graph.items():
        if name.startswith(("lib.noc", "lib.matching")):
            assert not {t for t in targets if t.startswith(("lib.cli", "views", "app"))}, name
        if name.startswith("lib.noc"):
            assert not {t for t in targets if t.startswith("lib.matching")}, name
