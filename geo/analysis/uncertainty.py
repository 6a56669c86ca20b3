"""How far the true line may lie from a drawn one: one value (±u) or two sides.

A dividing line's positional uncertainty is stated as ``uncertainty_m``: one number u
(the line may lie u metres toward Israel or u metres toward the coast) or two,
``[toward Israel, toward the coast]``, when the evidence is one-sided. Markers reported
180-520 m *deeper* than the mapped yellow line say that the true line lies toward the
coast (the east zone larger), not toward Israel: ``[100, 520]``.

Moving a line toward the coast gives land to the zone east of it (toward Israel); moving
it toward Israel gives land to the zone west of it. The same words hold for every line of
a partition, since zones are ordered from the Israel border westward.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["LineUncertainty", "uncertainty_words"]


@dataclass(frozen=True)
class LineUncertainty:
    """A line's positional uncertainty in metres, toward Israel and toward the coast.

    Examples
    --------
    >>> LineUncertainty.of(300).words
    '±300 m'
    >>> u = LineUncertainty.of([100, 520])
    >>> u.words, u.max_m, u.to_json()
    ('100 m toward Israel, 520 m toward the coast', 520.0, [100.0, 520.0])
    >>> LineUncertainty.of("100,520") == u
    True
    >>> LineUncertainty.of([-1, 5])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: must be a finite number >= 0 or two of them ..., got [-1, 5]
    """

    toward_israel_m: float
    toward_coast_m: float

    @classmethod
    def of(cls, raw: Any) -> LineUncertainty:
        """One number (±u), two ``[toward Israel, toward the coast]``, or ``"A,B"``.

        Raises
        ------
        ValueError
            Naming the value received.
        """
        if isinstance(raw, LineUncertainty):
            return raw
        vals: Sequence[Any]
        if isinstance(raw, str):
            vals = [v.strip() for v in raw.split(",")]
        elif isinstance(raw, Sequence):
            vals = list(raw)
        else:
            vals = [raw]
        nums: list[float] = []
        for v in vals:
            try:
                x = float(v) if not isinstance(v, bool) else math.nan
            except (TypeError, ValueError):
                x = math.nan
            nums.append(x)
        if len(nums) not in (1, 2) or any(not math.isfinite(x) or x < 0 for x in nums):
            raise ValueError("must be a finite number >= 0 or two of them [toward Israel, "
                             f"toward the coast], got {raw!r}")
        return cls(nums[0], nums[-1])

    @property
    def symmetric(self) -> bool:
        """True when both sides are the same (±u)."""
        return self.toward_israel_m == self.toward_coast_m

    @property
    def max_m(self) -> float:
        """The larger side, in metres."""
        return max(self.toward_israel_m, self.toward_coast_m)

    @property
    def words(self) -> str:
        """``±300 m`` or ``100 m toward Israel, 520 m toward the coast``."""
        if self.symmetric:
            return f"±{self.toward_coast_m:g} m"
        return (f"{self.toward_israel_m:g} m toward Israel, {self.toward_coast_m:g} m "
                "toward the coast")

    def to_json(self) -> float | list[float]:
        """As written in a catalog or ledger: one number, or the two sides."""
        if self.symmetric:
            return self.toward_coast_m
        return [self.toward_israel_m, self.toward_coast_m]


def uncertainty_words(raw: Any) -> str:
    """Words for a stated uncertainty (a number, two numbers, or None).

    >>> uncertainty_words(300), uncertainty_words([100, 520]), uncertainty_words(None)
    ('±300 m', '100 m toward Israel, 520 m toward the coast', 'not stated')
    """
    if raw is None:
        return "not stated"
    try:
        return LineUncertainty.of(raw).words
    except ValueError:
        return str(raw)
