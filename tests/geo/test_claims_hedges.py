"""Hedge words, explicit fields and their contradictions; margins and borderline verdicts."""

from __future__ import annotations

from typing import Any

import pytest

from geo.claims import Evaluator, parse_ledger
from geo.claims.intervals import APPROX_WORDS, OP_WORDS


def claim(cid: str = "t1", **kw: Any) -> dict[str, Any]:
    base = {"id": cid, "source": "tests", "metric": "sum", "values": ["40", "20"]}
    return {**base, **kw}


def parsed(**kw: Any) -> Any:
    return parse_ledger({"claim": [claim(**kw)]}).claims[0]


@pytest.mark.parametrize("word", APPROX_WORDS)
def test_each_approx_word_makes_the_figure_approximate(word: str) -> None:
    sep = "" if word == "~" else " "
    c = parsed(text=f"a buffer would take {word}{sep}60 square kilometres", value="60")
    assert c.approx is True
    assert c.op == "="
    assert len(c.hedge_notes) == 1 and repr(word) in c.hedge_notes[0]
    # "about 60" allows ± max(one unit, 5 %) = ± 3, not the ± 0.5 of a bare "60"
    assert (c.stated.low, c.stated.high) == pytest.approx((57.0, 63.0))
    assert c.lint == ()


@pytest.mark.parametrize("words, op", list(OP_WORDS.items()))
def test_each_op_word_sets_the_operator(words: str, op: str) -> None:
    c = parsed(text=f"the zone covers {words} 60 percent of the Strip", value="60")
    assert c.op == op and c.approx is False
    assert len(c.hedge_notes) == 1 and repr(words) in c.hedge_notes[0]


@pytest.mark.parametrize("text, value", [
    ("in some areas the line absorbs 50 per cent", "50"),      # "some" is not before 50
    ("about 10 km long and 60 square kilometres", "60"),       # "about" is on the 10
    ("more than 80 percent of Gaza's 365sq km", "365"),        # the op is on the 80
    ("approximately 155 sq km inside", "365"),                 # the value is not written
])
def test_a_word_away_from_the_figure_is_no_hedge(text: str, value: str) -> None:
    c = parsed(text=text, value=value)
    assert (c.approx, c.op, c.hedge_notes) == (False, "=", ())


def test_a_number_word_when_the_value_is_not_written() -> None:
    c = parsed(text="just over half of the Strip's territory", value="50")
    assert c.op == ">" and "half" in c.hedge_notes[0]


def test_explicit_fields_win_and_a_contradiction_is_linted() -> None:
    c = parsed(text="covers about 60 square kilometres", value="60", approx=False)
    assert c.approx is False and c.stated.low == pytest.approx(59.5)
    assert len(c.lint) == 1 and "approx = false" in c.lint[0] and "'about'" in c.lint[0]
    c = parsed(text="more than 60 percent", value="60", op="<")
    assert c.op == "<" and len(c.lint) == 1 and "'more than'" in c.lint[0]
    # agreeing explicit fields are no contradiction
    c = parsed(text="more than 60 percent", value="60", op=">", approx=True)
    assert c.lint == () and c.hedge_notes == ()


def test_a_stated_range_takes_no_operator() -> None:
    c = parsed(text="up to 50 to 58 percent", value=["50", "58"])
    assert c.op == "="


def _verdict(values: list[str], value: str, **kw: Any) -> Any:
    led = parse_ledger({"claim": [claim(text="t", values=values, value=value, **kw)]})
    return Evaluator().check(led).verdicts[0]


def test_margin_and_borderline() -> None:
    # 40 + 20 written: the sum lies in [59, 61] (each figure ± 0.5)
    deep = _verdict(["40", "20"], "60")
    assert deep.verdict == "consistent" and deep.margin == pytest.approx(1.0)
    assert not deep.borderline and deep.verdict_label == "consistent"
    # 61.0 with one decimal: inside [59, 61] by 0 -> the stated value sits on the edge
    edge = _verdict(["40", "20"], "61.0")
    assert edge.verdict == "consistent" and edge.margin == pytest.approx(0.0, abs=1e-9)
    assert edge.borderline and edge.verdict_label == "consistent (borderline)"
    # 61.04 ± 0.005: outside [59, 61] by 0.04 > the half-width: inconsistent
    out = _verdict(["40", "20"], "61.04")
    assert out.verdict == "inconsistent" and out.margin == pytest.approx(-0.04)
    assert not out.borderline
    # 61.3 ± 0.5: outside the computed interval, consistent only through the rounding
    rounding = _verdict(["40", "20"], "61.3", tolerance=0.5)
    assert rounding.verdict == "consistent" and rounding.margin == pytest.approx(-0.3)
    assert rounding.borderline
    d = rounding.to_dict()
    assert d["borderline"] is True and d["margin"] == pytest.approx(-0.3)


def test_operators_margin() -> None:
    gt = _verdict(["40", "20"], "55", op=">")  # computed top 61 exceeds 55 by 6
    assert gt.verdict == "consistent" and gt.margin == pytest.approx(6.0)
    lt = _verdict(["40", "20"], "55", op="<")  # computed bottom 59 is 4 above 55
    assert lt.verdict == "inconsistent" and lt.margin == pytest.approx(-4.0)


def test_some_60_km2_of_buffer_zone_is_approximate() -> None:
    text = "A one-kilometre buffer zone would take some 60 square kilometres"
    led = parse_ledger({"claim": [{"id": "b", "text": text, "source": "tests",
                                   "metric": "band_area_km2", "with": "israel",
                                   "width_m": 1000, "value": "60"}]})
    v = Evaluator().check(led).verdicts[0]
    assert v.claim.approx and "'some'" in v.claim.hedge_notes[0]
    assert (v.claim.stated.low, v.claim.stated.high) == pytest.approx((57.0, 63.0))
    assert v.computed is not None and 57.0 < v.computed.value < 60.0
    assert v.verdict == "consistent"
