"""The claims chart: one mark per checkable claim, placed on its group's axis, by verdict."""

from __future__ import annotations

import re

from geo.claims import check_ledger, parse_ledger
from maps.chart_marks import Circle, Group, Line, Rect
from maps.claims_chart import (
    PLOT_X0,
    PLOT_X1,
    VERDICT_COLOURS,
    chart_layout,
    chart_rows,
    chart_svg,
    verdict_word,
)


def _ledger() -> object:
    return parse_ledger({"claim": [
        {"id": "ok", "text": "155 + 210 = 365", "source": "A", "outlet": "Outlet A",
         "date": "2025-10-09", "metric": "sum", "values": [155, 210], "value": 365},
        {"id": "bad", "text": "155 + 210 = 400", "source": "B", "metric": "sum",
         "values": [155, 210], "value": 400},
        {"id": "nc", "text": "a count of people", "source": "C", "metric": "none",
         "reason": "not a geographic quantity", "value": 3},
    ]})


def test_one_mark_per_checkable_claim_coloured_by_verdict() -> None:
    res = check_ledger(_ledger())  # type: ignore[arg-type]
    rows = chart_rows(res)
    assert [r.claim_id for r in rows["sum"]] == ["ok", "bad"]
    chart = chart_layout(res)
    assert chart.n_marks == 2
    groups = [it for it in chart.items if isinstance(it, Group)]
    assert [g.claim for g in groups] == ["ok", "bad"]
    svg = chart_svg(res)
    assert svg.count('class="gz-mark') == 2 and "Outlet A, 9 Oct 2025" in svg
    # the stated bar of each claim takes its verdict's colour
    bars = [it for it in chart.items if isinstance(it, Rect) and it.h == 4
            and it.x >= PLOT_X0]  # not the legend
    assert [b.fill for b in bars] == [VERDICT_COLOURS["consistent"],
                                         VERDICT_COLOURS["inconsistent"]]


def test_positions_follow_one_axis_per_group() -> None:
    res = check_ledger(_ledger())  # type: ignore[arg-type]
    chart = chart_layout(res)
    ticks = [it for it in chart.items if isinstance(it, Line) and it.width == 2]
    dots = [it for it in chart.items if isinstance(it, Circle) and it.r == 4.5
            and it.cx > PLOT_X0]
    # 365 is computed for both claims: their ticks share one x; the dot of "400" lies
    # to the right of the dot of "365", in proportion on the shared axis
    assert abs(ticks[0].x1 - ticks[1].x1) < 1e-9
    assert abs(dots[0].cx - ticks[0].x1) < 1.0  # 365 stated on 365 computed
    assert PLOT_X0 <= dots[0].cx < dots[1].cx <= PLOT_X1
    span = dots[1].cx - dots[0].cx
    scale = (PLOT_X1 - PLOT_X0) / span  # axis px per 35 units
    assert 1.05 < scale < 1.3  # the axis covers 365 - pad .. 400 + pad


def test_narrow_layout_is_phone_sized_and_svg_is_well_formed() -> None:
    from xml.etree import ElementTree

    res = check_ledger("seed")
    narrow = chart_layout(res, narrow=True)
    assert narrow.width == 380 and narrow.n_marks == chart_layout(res).n_marks
    ElementTree.fromstring(chart_svg(res, standalone=True).split("\n", 1)[1])
    assert re.search(r'role="img" aria-label="[^"]+"', chart_svg(res))


def test_verdict_word_says_borderline_only_inside_the_interval() -> None:
    res = check_ledger("public")
    words = {v.id: verdict_word(v) for v in res.verdicts}
    for v in res.verdicts:
        if words[v.id] == "consistent (borderline)":
            assert v.margin is not None and v.margin >= 0
        if v.verdict == "consistent" and v.margin is not None and v.margin < 0:
            assert words[v.id] == "consistent (by its rounding)"
    assert "consistent (by its rounding)" in words.values()
