"""Parts computed beside the caller (geo._beside): the same figures, notes and order, safely.

`Analysis.compute_parts` (to_dict, the area tables) runs the outline sensitivity and the
population on a second thread on two cores. Each test compares against the same analysis
computed one part after the other, never against a figure written here.
"""

from __future__ import annotations

import functools
import json
import os
import threading
import warnings
from collections.abc import Callable
from typing import Any

import pytest
import shapely
from shapely.geometry import mapping

import geo._beside as beside
from geo.analysis import analyse
from geo.analysis.request import LineSpec, Request
from tests._fresh import fresh_python


def _fc(g: shapely.Geometry) -> str:
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": mapping(g)}]})


@pytest.fixture(scope="module")
def noisy(tmp_path_factory: pytest.TempPathFactory) -> Request:
    """A box in the north cut by a short line: outline-sensitivity notes (the line divides
    neither packaged outline) and population warnings (communities outside the box)."""
    d = tmp_path_factory.mktemp("beside")
    (d / "b.geojson").write_text(_fc(shapely.box(34.40, 31.45, 34.56, 31.60)))
    (d / "l.geojson").write_text(_fc(shapely.LineString([(34.47, 31.44), (34.47, 31.61)])))
    return Request(boundary=str(d / "b.geojson"), lines=(LineSpec(str(d / "l.geojson")),),
                   controlled_at=(34.54, 31.5))


def _run(request: Request, enabled: bool, monkeypatch: pytest.MonkeyPatch,
         cores: int = 2) -> tuple[str, list[tuple[str, str]]]:
    monkeypatch.setattr(beside, "ENABLED", enabled)
    monkeypatch.setattr(beside, "cores", lambda: cores)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        text = json.dumps(analyse(request).to_dict(), sort_keys=True)
    return text, [(w.category.__name__, str(w.message)) for w in caught]


@pytest.mark.parametrize("which", ["packaged", "noisy"])
def test_same_json_notes_and_order_as_one_after_the_other(which: str, noisy: Request,
                                                          monkeypatch: pytest.MonkeyPatch):
    request = Request() if which == "packaged" else noisy
    serial = _run(request, False, monkeypatch)
    for _ in range(3):  # whichever thread ends first
        assert _run(request, True, monkeypatch) == serial
    if which == "noisy":
        kinds = [k for k, _ in serial[1]]
        assert "GazamapNote" in kinds and kinds.count("GazamapWarning") > 5
        outline = [i for i, (_, m) in enumerate(serial[1]) if m.startswith("outline sens")]
        community = [i for i, (_, m) in enumerate(serial[1]) if m.startswith("community")]
        assert len(outline) == 2 and max(outline) < min(community)


def _both_ways(make: Callable[[], str], monkeypatch: pytest.MonkeyPatch
               ) -> dict[bool, tuple[str, list[str]]]:
    """``make()``'s text and notes without and with the second thread."""
    out = {}
    for enabled in (False, True):
        monkeypatch.setattr(beside, "ENABLED", enabled)
        monkeypatch.setattr(beside, "cores", lambda: 2)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            text = make()
        out[enabled] = (text, [str(w.message) for w in caught])
    return out


def test_the_area_table_shows_the_same(noisy: Request, monkeypatch: pytest.MonkeyPatch):
    from maps.tables import areas_text

    out = _both_ways(lambda: areas_text(analyse(noisy), "markdown"), monkeypatch)
    assert out[True] == out[False]
    assert "Pre-war population" in out[True][0]


def test_the_thread_gets_its_own_zones_and_reads_no_file(monkeypatch: pytest.MonkeyPatch):
    import geo.analysis.parts as parts
    import geo.catalog as catalog

    seen: dict[str, Any] = {}
    real_shares, real_read = parts.population_shares, catalog._read_features.__wrapped__

    def shares(zones: Any, **kw: Any) -> Any:
        seen["thread"] = threading.current_thread().name
        seen["zones"] = [g for _, g in zones]
        return real_shares(zones, **kw)

    @functools.lru_cache(maxsize=64)  # kept, as the real reader keeps them
    def read(path: str) -> Any:
        if threading.current_thread() is not threading.main_thread():
            seen.setdefault("read in thread", []).append(path)
        return real_read(path)

    monkeypatch.setattr(parts, "population_shares", shares)
    catalog._read_features.cache_clear()
    monkeypatch.setattr(catalog, "_read_features", read)
    monkeypatch.setattr(beside, "cores", lambda: 2)
    a = analyse()
    a.compute_parts()
    assert seen["thread"] == "gazamap-beside"
    assert "read in thread" not in seen
    for own, z in zip(seen["zones"], a.zones, strict=True):
        assert own is not z.geometry and shapely.equals_exact(own, z.geometry, 0)


def test_one_core_computes_in_the_caller(monkeypatch: pytest.MonkeyPatch):
    names = []
    monkeypatch.setattr(beside, "cores", lambda: 1)
    job = beside.Beside(lambda: names.append(threading.current_thread().name) or 1)
    assert names == []  # not yet: when asked
    assert job.result() == 1 and job.result() == 1
    assert names == [threading.main_thread().name]


def _broken(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """``geo.analysis.parts.<name>`` raises RuntimeError("<name> broke"); two cores."""
    import geo.analysis.parts as parts

    def broken(*args: Any, **kw: Any) -> Any:
        raise RuntimeError(f"{name} broke")

    monkeypatch.setattr(parts, name, broken)
    monkeypatch.setattr(beside, "cores", lambda: 2)


def test_an_error_in_the_thread_reaches_the_caller(monkeypatch: pytest.MonkeyPatch):
    _broken("population_shares", monkeypatch)
    a = analyse()
    with pytest.raises(RuntimeError, match="population_shares broke"):
        a.to_dict()


def test_parts_read_before_are_not_computed_again(monkeypatch: pytest.MonkeyPatch):
    import geo.analysis.parts as parts

    calls = []
    real = parts.population_shares
    monkeypatch.setattr(parts, "population_shares",
                        lambda zones, **kw: calls.append(1) or real(zones, **kw))
    monkeypatch.setattr(beside, "cores", lambda: 2)
    a = analyse()
    pop = a.population
    a.compute_parts()
    assert a.population is pop and calls == [1]


def test_no_thread_outlives_the_parts(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(beside, "cores", lambda: 2)
    analyse().to_dict()
    assert not [t for t in threading.enumerate() if t.name == "gazamap-beside"]


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="Linux only")
def test_a_process_limited_to_one_core_uses_no_second_thread():
    # what the README says of `taskset -c 0 gazamap areas`
    code = ("import os; os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})\n"
            "import threading, geo._beside as b\n"
            "seen = []\n"
            "b.Beside(lambda: seen.append(threading.current_thread().name)).result()\n"
            "print(b.cores(), seen)")
    assert fresh_python(code) == "1 ['MainThread']"


def test_the_report_is_the_same(noisy: Request, monkeypatch: pytest.MonkeyPatch):
    # the report computes every part before judging the claims: notes in the same order
    from maps.report import ReportOptions, build_report

    out = _both_ways(lambda: build_report(ReportOptions(
        ledger="public", request=noisy, fmt="markdown", judge_claims_against_line=True)),
        monkeypatch)
    assert out[True] == out[False]
    assert any(m.startswith("outline sensitivity") for m in out[True][1])


def test_a_failing_part_of_the_caller_leaves_no_thread_behind(monkeypatch: pytest.MonkeyPatch):
    _broken("governorate_figures", monkeypatch)
    a = analyse()
    with pytest.raises(RuntimeError, match="governorate_figures broke"):
        a.compute_parts()
    assert not [t for t in threading.enumerate() if t.name == "gazamap-beside"]
    assert "outlines" not in a.__dict__  # computed again, in the caller, when read
    assert a.outlines and a.population is not None


@pytest.mark.parametrize("which", ["packaged", "noisy"])
def test_parts_all_is_the_lazy_analysis_read_whole(which: str, noisy: Request,
                                                   monkeypatch: pytest.MonkeyPatch):
    # analyse(parts="all"): the population measured beside the zones, the alternative and
    # the outline sensitivity beside the rest; the same JSON, notes and order as lazy
    request = Request() if which == "packaged" else noisy
    serial = _run(request, False, monkeypatch)
    monkeypatch.setattr(beside, "ENABLED", True)
    for _ in range(3):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            a = analyse(request, parts="all")
            computed = {k for k in ("governorates", "alternatives", "outlines", "population")
                        if k in a.__dict__}
            text = json.dumps(a.to_dict(), sort_keys=True)
        assert computed == {"governorates", "alternatives", "outlines", "population"}
        assert (text, [(w.category.__name__, str(w.message)) for w in caught]) == serial
        assert not [t for t in threading.enumerate() if t.name == "gazamap-beside"]


def test_parts_must_be_lazy_or_all():
    from geo.errors import InputError

    with pytest.raises(InputError, match="parts='some'"):
        analyse(parts="some")
