"""The structure the design card promises, measured on the source (issue 15 item 5).

No module over 500 lines, no function over 60 (a nested function counts inside its parent
too), no import circle (imports inside functions count), imports flow geo <- layers <-
maps, and the interactive map's JavaScript and CSS live in asset files.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("gazamap", "geo", "layers", "maps")
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60


def _modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            out[name] = path
    return out


MODULES = _modules()


def _imported(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The gazamap modules an import statement names (``from a import b``: a and a.b)."""
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        base = module.split(".")
        if node.level:
            is_pkg = MODULES[module].name == "__init__.py"
            base = (base if is_pkg else base[:-1])[: len(base) - node.level + 1]
            mod = ".".join([*base, *([node.module] if node.module else [])])
        else:
            mod = node.module or ""
        names = [mod, *(f"{mod}.{a.name}" for a in node.names)]
    return [n for n in names if n in MODULES and n != module]


def _edges() -> dict[str, set[str]]:
    """Every import between gazamap modules, except those only type checkers read."""
    edges: dict[str, set[str]] = {m: set() for m in MODULES}
    for module, path in MODULES.items():
        def visit(node: ast.AST, module: str = module) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.Import | ast.ImportFrom):
                    edges[module].update(_imported(module, child))
                elif isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                    for stmt in child.orelse:
                        visit(stmt)
                else:
                    visit(child)
        visit(ast.parse(path.read_text(encoding="utf-8")))
    # a package and its own modules import each other by nature (lazy exports)
    return {a: {b for b in bs if not a.startswith(b + ".") and not b.startswith(a + ".")}
            for a, bs in edges.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                connect(w)
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
            connect(v)
    return out


def test_no_module_over_500_lines():
    long = {m: n for m, p in MODULES.items()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, long


def test_no_function_over_60_lines():
    long = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                first = node.decorator_list[0].lineno if node.decorator_list else node.lineno
                assert node.end_lineno is not None
                if node.end_lineno - first + 1 > MAX_FUNCTION_LINES:
                    long.append(f"{module}.{node.name}: {node.end_lineno - first + 1}")
    assert not long, long


def test_no_import_circle():
    assert _cycles(_edges()) == []


@pytest.mark.parametrize(("low", "high"), [("geo", ("layers", "maps", "gazamap")),
                                           ("layers", ("maps", "gazamap"))])
def test_imports_flow_geo_layers_maps(low, high):
    up = [(a, b) for a, bs in _edges().items() if a.split(".")[0] == low
          for b in bs if b.split(".")[0] in high]
    assert not up, up


def test_the_checker_sees_a_circle_and_a_long_function():
    """The measures can fail: a circle through a function-level import is found."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert _cycles(graph) == [["a", "b", "c"]]
    assert "geo.analysis.pipeline" in MODULES and _edges()["geo.analysis.pipeline"]


JS = re.compile(r"\bfunction\s*\(|addEventListener\(|querySelector|getElementById|=>\s*\{")
CSS = re.compile(r"[\w.#:-]+\s*\{\s*[\w-]+\s*:\s*[^;{}]+;")


def _docstrings(tree: ast.AST) -> set[int]:
    return {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and n.body and isinstance(n.body[0], ast.Expr)
            and isinstance(n.body[0].value, ast.Constant)}


def test_no_javascript_or_css_in_python_strings():
    """The pages' script and style come from asset files, inlined at build time."""
    found = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and id(node) not in docs
                    and (JS.search(node.value) or CSS.search(node.value))):
                found.append(f"{module}:{node.lineno}")
    assert not found, found
