"""The truth room speaks Python: no message of geo/ names a command-line flag."""

from __future__ import annotations

import ast
import re
from pathlib import Path

GEO = Path(__file__).resolve().parents[2] / "geo"
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]+")


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
            and n.body and isinstance(n.body[0], ast.Expr)
            and isinstance(n.body[0].value, ast.Constant)}
    return [(n.lineno, n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


def test_no_geo_string_names_a_cli_flag():
    found = []
    for path in sorted(GEO.rglob("*.py")):
        for line, text in _strings(ast.parse(path.read_text(encoding="utf-8"))):
            # a whole command suggested to the reader ("gazamap check --help") is words
            if "gazamap " in text:
                continue
            found += [f"{path.name}:{line}: {m.group(0)}" for m in FLAG.finditer(text)]
    assert not found, found
