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
    "APPROX_WORDS",
    "BORDERLINE_REL",
    "HEDGE_WINDOW_WORDS",
    "OPS",
    "OP_WORDS",
    "Hedge",
    "infer_hedge",
    "is_borderline",
    "margin",
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
    """The number as written (a ``Decimal`` keeps its last digit), or None if not one.

    A number must also be one a float can carry: ``"1e999999999"`` (infinite as a float)
    and ``"1e-999999"`` (zero as a float, though not zero) are refused here, at the
    edge, not by an arithmetic error deep in a computation.

    >>> decimal_of("53"), decimal_of(True), decimal_of("1e999999999"), decimal_of("1e-999999")
    (Decimal('53'), None, None, None)
    """
    if isinstance(raw, bool):
        return None
    d: Decimal | None = None
    if isinstance(raw, int):
        d = Decimal(raw)
    elif isinstance(raw, float):
        d = Decimal(repr(raw)) if math.isfinite(raw) else None
    elif isinstance(raw, str):
        s = raw.strip().replace("_", "")
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", s):
            return None
        try:
            d = Decimal(s)
        except InvalidOperation:  # pragma: no cover - the pattern already refused it
            return None
    if d is None:
        return None
    try:
        f = float(d)
    except OverflowError:
        return None
    exp = d.as_tuple().exponent
    if not math.isfinite(f) or (f == 0.0 and d != 0) or (isinstance(exp, int)
                                                         and abs(exp) > 400):
        return None
    return d


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
    if not 1 <= len(ends) <= 2:
        raise ValueError(f"{value!r} is not a number or a range of two")
    read = [_stated_end(raw, approx=approx, tolerance=tolerance, precision=precision)
            for raw in ends]
    rule = _rule(approx=approx, tolerance=tolerance, precision=precision)
    (v0, half0, text0), (v1, half1, text1) = read[0], read[-1]
    low = round(v0 - half0, 12)
    high = round(v1 + half1, 12)
    if len(read) == 1:
        return Stated(v0, text0, low, high, rule)
    return Stated((v0, v1), f"{text0}–{text1}", low, high, rule)


def _stated_end(raw: Any, *, approx: bool, tolerance: float | None,
                precision: float | None) -> tuple[float, float, str]:
    """``(value, half-width, text as written)`` of one stated number (a range has two)."""
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
    return v, half, str(raw).strip() if isinstance(raw, str) else format(d, "f")


def _rule(*, approx: bool, tolerance: float | None, precision: float | None) -> str:
    """How the stated interval was made, in words."""
    if tolerance is not None:
        return f"± {float(tolerance):g} (tolerance given)"
    if approx:
        return f"approximate: ± max(one unit of the last digit, {APPROX_REL:.0%} of the value)"
    if precision is not None:
        return f"± half the stated precision {precision:g}"
    return "± half a unit of the last digit written"



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




# ---------------------------------------------------------------------------- hedges

# Words that make a stated figure approximate, and words that set its operator. A word
# counts only when it stands right before the figure (at most HEDGE_WINDOW_WORDS words
# before it): "in some areas ... 50 per cent" is no hedge on 50, "some 60 km²" is.
APPROX_WORDS = ("about", "around", "some", "roughly", "nearly", "almost", "approximately", "~")
OP_WORDS: dict[str, Op] = {"more than": ">", "over": ">", "at least": ">=",
                           "less than": "<", "under": "<", "up to": "<="}
HEDGE_WINDOW_WORDS = 3
_NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                 "ten", "eleven", "twelve", "half", "third", "thirds", "quarter", "dozen",
                 "two-thirds", "three-quarters")
# Linear: no unbounded repeat before the digits (``~?\s*\d`` tried from every blank of a
# run of 40,000 spaces took 9 s; issue 16).
_QUANTITY = re.compile(r"(?:~\s{0,8})?\d+(?:[.,]\d+)*|\b(?:" + "|".join(
    sorted((re.escape(w) for w in _NUMBER_WORDS), key=len, reverse=True)) + r")\b",
    re.IGNORECASE)


@dataclass(frozen=True)
class Hedge:
    """What the words of a claim's text say about its figure.

    ``approx_word`` and ``op_word`` are the words found before the figure (``None``:
    none); ``op`` is the operator the op word means; ``where`` says which figure of the
    text the words were read at (``the value as written`` or ``the only figure``).
    """

    approx_word: str | None = None
    op_word: str | None = None
    op: Op | None = None
    where: str = ""
    exact: bool = False  # read at the value as written (not at the text's only number word)


def _written(value: Any) -> list[str]:
    ends = list(value) if isinstance(value, list | tuple) else [value]
    out = []
    for v in ends:
        d = decimal_of(v)
        if d is not None:
            out.append(str(v).strip() if isinstance(v, str) else format(d, "f"))
    return out


def _words_before(text: str, start: int) -> str:
    before = text[:start].lower().replace("~", " ~ ")
    words = re.findall(r"~|[a-z]+(?:-[a-z]+)?", before)[-HEDGE_WINDOW_WORDS:]
    return " " + " ".join(words) + " "


def infer_hedge(text: str, value: Any) -> Hedge:
    """The hedge and operator words right before the claim's figure in ``text``.

    The figure is the stated value as written (``"155"`` in "approximately 155sq km");
    when it is not in the text verbatim, the text has no figure in digits and exactly one
    number word ("just over half"), that word. Otherwise nothing is inferred (a sum of
    stated figures, a value the text does not write).

    Examples
    --------
    >>> infer_hedge("would take some 60 square kilometres", "60").approx_word
    'some'
    >>> h = infer_hedge("more than 80 percent of Gaza's 365sq km", "80")
    >>> h.op, h.op_word
    ('>', 'more than')
    >>> infer_hedge("more than 80 percent of Gaza's 365sq km", "365").op is None
    True
    >>> infer_hedge("in some areas it is 50 per cent", "50").approx_word is None
    True
    >>> infer_hedge("just over half of the Strip", "50").op
    '>'
    """
    written = _written(value)
    starts: list[int] = []
    where = ""
    for w in written[:1]:  # a range: the words before its first end
        m = re.search(r"(?<![\d.,])" + re.escape(w) + r"(?![\d])", text)
        if m:
            starts.append(m.start())
            where = f"before {w} in the text"
    if not starts:
        qs = list(_QUANTITY.finditer(text))
        if len(qs) != 1 or re.search(r"\d", text):
            return Hedge()
        starts.append(qs[0].start())
        where = f"before {qs[0].group(0).strip()!r}, the only figure in the text"
    window = _words_before(text, starts[0])
    approx = next((w for w in APPROX_WORDS if f" {w} " in window), None)
    op_word = next((w for w in OP_WORDS if f" {w} " in window), None)
    return Hedge(approx, op_word, OP_WORDS[op_word] if op_word else None, where,
                 exact=where.startswith("before") and "the only figure" not in where)


# ---------------------------------------------------------------------------- closeness

# The margin is how far the stated value lies inside (+) or outside (-) the computed
# interval. A claim is still consistent down to minus the stated half-width (its own
# rounding or "about" reaches in); "consistent" is borderline when the margin is below a
# tenth of that half-width: inside the interval by a hair, or only thanks to the rounding.
BORDERLINE_REL = 0.10


def margin(op: str, c_lo: float, c_hi: float, v_lo: float, v_hi: float) -> float:
    """How far the stated value lies inside (+) or outside (-) the computed interval.

    In the metric's unit. ``v_lo``/``v_hi`` are the stated value (equal) or the ends of a
    stated range, without their rounding. For ``=`` it is ``min(c_hi - v_lo, v_hi -
    c_lo)``; for ``>``/``>=`` ``c_hi - v_lo`` (how far the computed top exceeds the value);
    for ``<``/``<=`` ``v_hi - c_lo``.

    Examples
    --------
    >>> round(margin("=", 362.06, 365.0007, 365, 365), 4)  # 365 km² at the very top
    0.0007
    >>> round(margin("=", 57.7, 57.7, 60, 60), 4)
    -2.3
    >>> margin(">", 40.0, 45.0, 50, 50)
    -5.0
    """
    if op == "=":
        return min(c_hi - v_lo, v_hi - c_lo)
    if op in (">", ">="):
        return c_hi - v_lo
    return v_hi - c_lo


def is_borderline(margin_value: float, half_width: float) -> bool:
    """Whether a consistent verdict's margin is below ``BORDERLINE_REL`` x the half-width.

    >>> is_borderline(0.0007, 0.5), is_borderline(0.3, 0.5), is_borderline(-0.2, 0.5)
    (True, False, True)
    """
    return margin_value < BORDERLINE_REL * half_width
