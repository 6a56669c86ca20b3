"""One small bounded memo for results computed once per process (thread-safe).

The partitions by a zone polygon, the bands it sweeps and the parsed ledgers are kept by
their inputs: the oldest entry goes when the memo is full. Reading is a plain ``get``;
storing takes a lock, so threads of a caller never see the memo change size mid-eviction.

>>> m = Memo(2)
>>> for k in "abc":
...     _ = m.put(k, k.upper())
>>> m.get("a"), m.get("c")
(None, 'C')
"""

from __future__ import annotations

import threading
from typing import Generic, TypeVar

__all__ = ["Memo"]

K = TypeVar("K")
V = TypeVar("V")


class Memo(Generic[K, V]):
    """At most ``size`` entries, the oldest dropped first."""

    def __init__(self, size: int):
        self._size = size
        self._items: dict[K, V] = {}
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        """The value kept for ``key``, or None."""
        return self._items.get(key)

    def put(self, key: K, value: V) -> V:
        """Keep ``value`` for ``key`` (dropping the oldest entries beyond the size); it."""
        with self._lock:
            while self._items and len(self._items) >= self._size and key not in self._items:
                del self._items[next(iter(self._items))]
            self._items[key] = value
        return value

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
