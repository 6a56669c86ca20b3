"""One small bounded memo for results computed once per process (thread-safe).

The ring areas, the partitions by a zone polygon, the bands they sweep and the parsed
ledgers are kept by their inputs: the oldest entries go when the memo is full (in entries,
or in the bytes of its keys when ``max_key_bytes`` is given). Reading is a plain ``get``;
storing takes a lock, so threads of a caller never see the memo change size mid-eviction.

>>> m = Memo(2)
>>> for k in "abc":
...     _ = m.put(k, k.upper())
>>> m.get("a"), m.get("c")
(None, 'C')
>>> b = Memo(10, max_key_bytes=8)
>>> _ = b.put(b"12345", 1); _ = b.put(b"6789", 2)
>>> b.get(b"12345"), b.get(b"6789"), b.key_bytes
(None, 2, 4)
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any, Generic, TypeVar

__all__ = ["Memo"]

K = TypeVar("K")
V = TypeVar("V")


class Memo(Generic[K, V]):
    """At most ``size`` entries (and ``max_key_bytes`` of ``bytes`` keys), oldest out first."""

    def __init__(self, size: int, *, max_key_bytes: int | None = None):
        self._size = size
        self._max_bytes = max_key_bytes
        self._items: dict[K, V] = {}
        self._lock = threading.Lock()
        self.key_bytes = 0
        """The bytes of the keys kept (counted only with ``max_key_bytes``)."""

    def _weight(self, key: Any) -> int:
        return len(key) if self._max_bytes is not None else 0

    def get(self, key: K) -> V | None:
        """The value kept for ``key``, or None."""
        return self._items.get(key)

    def put(self, key: K, value: V) -> V:
        """Keep ``value`` for ``key`` (dropping the oldest entries beyond the bounds); it.

        A key heavier than ``max_key_bytes`` alone is not kept.
        """
        w = self._weight(key)
        if self._max_bytes is not None and w > self._max_bytes:
            return value
        with self._lock:
            if key in self._items:
                self._items[key] = value
                return value
            while self._items and (len(self._items) >= self._size or (
                    self._max_bytes is not None and self.key_bytes + w > self._max_bytes)):
                oldest = next(iter(self._items))
                del self._items[oldest]
                self.key_bytes -= self._weight(oldest)
            self._items[key] = value
            self.key_bytes += w
        return value

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._items.clear()
            self.key_bytes = 0

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[K]:
        return iter(list(self._items))
