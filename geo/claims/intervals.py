"""Stated intervals: what the words of a claim allow, and whether a computed interval fits.

A value's precision is the unit of its last written digit: ``"53"`` -> 1 (52.5-53.5),
``"54.5"`` -> 0.1 (54.45-54.55), ``"54.50"`` -> 0.01. ``tolerance`` (a half-width, in the
metric's unit) overrides it; ``approx`` widens the half-width to
``max(one unit of the last digit, APPROX_REL x |value|)``; a two-element list is a stated
range.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

__all__ = [
    "APPROX_REL",
    "OPS",
    "Op",
    "Stated",
    "decimal_of",
    "number_interval",
    "satisfied",
    "stated_interval",
]

# "about", "nearly", "roughly": 5 % either side, or one unit of the last digit if wider.
# 5 % is how far apart published rounded shares of the same map lie (53.3 % of 365 km²
# vs 54.2 % of the measured outline) -- a reader who says "about" allows at least that.
APPROX_REL = 0.05
OPS = ("=", ">", "<", ">=", "<=")
Op = Literal["=", ">", "<", ">=", "<="]
_EPS = 1e-9  # relative slack so that 155 + 210 == 365 survives floating point


@dataclass(frozen=True)
class Stated:
    """A stated value with the interval its precision allows.

    ``value`` is a number, a bool, or a ``(low, high)`` stated range; ``low``/``high``
    bound what the words allow (``None`` for a bool); ``rule`` says how.
    """

    value: float | bool | tuple[float, float] | None
    text: str
    low: float | None
    high: float | None
    rule: str



def decimal_of(raw: Any) -> Decimal | None:
    """The number as written (a ``Decimal`` keeps its last digit), or None if not one."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw)) if math.isfinite(raw) else None
    if isinstance(raw, str):
        s = raw.strip().replace("_", "")
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", s):
            return None
        try:
            return Decimal(s)
        except InvalidOperation:  # pragma: no cover - the pattern already refused it
            return None
    return None


def _unit(d: Decimal) -> float:
    exp = d.as_tuple().exponent
    return float(Decimal(1).scaleb(exp if isinstance(exp, int) else 0))


def number_interval(raw: Any) -> tuple[float, float, float]:
    """``(value, low, high)`` of a number as written: ± half a unit of its last digit.

    >>> number_interval("54.5")
    (54.5, 54.45, 54.55)
    >>> number_interval(360)
    (360.0, 359.5, 360.5)
    """
    d = decimal_of(raw)
    if d is None:
        raise ValueError(f"{raw!r} is not a number")
    half = _unit(d) / 2
    v = float(d)
    return v, round(v - half, 12), round(v + half, 12)


def stated_interval(value: Any, *, approx: bool = False, tolerance: float | None = None,
                    precision: float | None = None) -> Stated:
    """The interval a stated value allows, from its written precision.

    Examples
    --------
    >>> s = stated_interval("53")
    >>> s.value, s.low, s.high
    (53.0, 52.5, 53.5)
    >>> s = stated_interval(54.5)
    >>> s.low, s.high
    (54.45, 54.55)
    >>> s = stated_interval("155", approx=True)
    >>> s.low, s.high
    (147.25, 162.75)
    >>> stated_interval([50, 58]).low, stated_interval([50, 58]).high
    (49.5, 58.5)
    >>> stated_interval(False).value
    False
    >>> stated_interval("53", tolerance=2).low
    51.0
    """
    if value is None:
        return Stated(None, "", None, None, "no value stated")
    if isinstance(value, bool):
        return Stated(value, str(value).lower(), None, None, "a yes/no statement")
    ends = list(value) if isinstance(value, list | tuple) else [value]
    vals: list[float] = []
    halves: list[float] = []
    texts: list[str] = []
    for raw in ends:
        d = decimal_of(raw)
        if d is None:
            raise ValueError(f"{raw!r} is not a number")
        unit = precision if precision is not None else _unit(d)
        v = float(d)
        if tolerance is not None:
            half = float(tolerance)
        elif approx:
            half = max(unit, APPROX_REL * abs(v))
        else:
            half = unit / 2
        vals.append(v)
        halves.append(half)
        texts.append(str(raw).strip() if isinstance(raw, str) else format(d, "f"))
    if tolerance is not None:
        rule = f"± {float(tolerance):g} (tolerance given)"
    elif approx:
        rule = (f"approximate: ± max(one unit of the last digit, {APPROX_REL:.0%} of the "
                "value)")
    elif precision is not None:
        rule = f"± half the stated precision {precision:g}"
    else:
        rule = "± half a unit of the last digit written"
    low = round(vals[0] - halves[0], 12)
    high = round(vals[-1] + halves[-1], 12)
    if len(vals) == 1:
        return Stated(vals[0], texts[0], low, high, rule)
    return Stated((vals[0], vals[1]), f"{texts[0]}–{texts[1]}", low, high, rule)



def satisfied(op: str, c_lo: float, c_hi: float, s_lo: float, s_hi: float) -> bool:
    """Whether some computed x in [c_lo, c_hi] and stated y in [s_lo, s_hi] have x op y."""
    eps = _EPS * max(1.0, abs(c_lo), abs(c_hi), abs(s_lo), abs(s_hi))
    if op == "=":
        return c_lo <= s_hi + eps and c_hi >= s_lo - eps
    if op == ">":
        return c_hi > s_lo + eps
    if op == ">=":
        return c_hi >= s_lo - eps
    if op == "<":
        return c_lo < s_hi - eps
    return c_lo <= s_hi + eps  # "<="


