"""Lazy exports of a package (PEP 562): the one mechanism behind ``geo``, its wings and ``gazamap``.

A package lists its public names and the module each lives in; a name is imported on first
use, so that importing the package (``gazamap --help`` imports several) loads nothing heavy.

>>> import sys, types
>>> pkg = types.ModuleType("demo_pkg")
>>> sys.modules["demo_pkg"] = pkg
>>> pkg.__getattr__, pkg.__dir__ = lazy_exports("demo_pkg", {"sqrt": "math", "pi": "math"})
>>> pkg.sqrt(4.0)
2.0
>>> "pi" in dir(pkg)
True
>>> pkg.tau
Traceback (most recent call last):
AttributeError: module 'demo_pkg' has no attribute 'tau'
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, names: Mapping[str, str]
                 ) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``, each name imported from its module.

    ``names`` maps a public name to the module that defines it (``"module"``), or to
    ``"module:attribute"`` where the module calls it otherwise.
    """

    def __getattr__(name: str) -> Any:
        try:
            module, _, attr = names[name].partition(":")
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(module), attr or name)
        setattr(sys.modules[package], name, value)  # later lookups skip this function
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *names})

    return __getattr__, __dir__
