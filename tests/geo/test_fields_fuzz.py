"""Hypothesis fuzz of every ledger and catalog field with TOML values of every type.

Whatever a field holds, reading the ledger or catalog (and checking the ledger's claims)
either works or raises one :class:`~geo.errors.GazamapError` naming the file and the
field; never another exception (exit 70 on the command line).
"""

from __future__ import annotations

import datetime as dt
import math
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.catalog import DATA_DIR, Catalog, _dataset_from_entry
from geo.claims import Evaluator, parse_ledger
from geo.claims.fields import COMMON_FIELDS, METRICS
from geo.errors import GazamapError

# TOML's value types: strings (with NUL, control and non-BMP characters, paths, numbers
# as text), integers, floats (inf, nan, huge, tiny), booleans, dates and times, arrays
# and tables.
_TEXT = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "\x00", "../x.geojson", "/etc/passwd", "a/b", "1e999999999",
                     "1e-999999", "53", "-0", "east", "between-1", "west", "israel", "egypt",
                     "sea", "mean", "max", "min", "yellow-line@2025-10-19", "http://[::1",
                     "x" * 300 + ".geojson", "utf-8\x00", "nope"]))
_NUMBER = st.one_of(st.integers(min_value=-(10**20), max_value=10**20),
                    st.floats(allow_nan=True, allow_infinity=True),
                    st.sampled_from([0, -1, 1e308, 5e-324, 2**63]))
_SCALAR = st.one_of(_TEXT, _NUMBER, st.booleans(), st.dates(), st.times(),
                    st.datetimes(timezones=st.just(dt.UTC)))
TOML_VALUE = st.recursive(_SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=2)),
    max_leaves=4)

_LEDGER_FIELDS = sorted(COMMON_FIELDS | {f for m in METRICS.values()
                                         for f in (*m.required, *m.optional)}
                        | {"reason", "line_version", "version_date"})
_BASE_CLAIMS = {
    "zone_share_pct": {"zone": "east", "value": "53"},
    "percent_of": {"part": "1", "whole": "2", "value": "50"},
    "sum": {"values": ["1", "2"], "value": "3"},
    "none": {"reason": "no data"},
    "shares_border": {"zone": "west", "with": "egypt", "value": False},
}


@pytest.fixture(scope="module")
def evaluator() -> Evaluator:
    return Evaluator()


@pytest.mark.timeout(600)
@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(metric=st.sampled_from(sorted(_BASE_CLAIMS)), name=st.sampled_from(_LEDGER_FIELDS),
       value=TOML_VALUE)
def test_any_value_in_any_ledger_field(evaluator: Evaluator, tmp_path_factory: Any,
                                       metric: str, name: str, value: Any) -> None:
    folder = tmp_path_factory.mktemp("led")
    shutil.copy(DATA_DIR / "yellow_line_2025-10-19.geojson", folder / "l.geojson")
    raw = {"id": "c", "text": "Israel occupies 53 percent", "source": "s", "metric": metric,
           **_BASE_CLAIMS[metric], name: value}
    if name in ("uncertainty_m", "tolerance", "precision") and isinstance(value, float) \
            and math.isfinite(value) and value > 10_000:
        value = 10_000.0  # one slow offset per example is enough; huge ones are refused
    try:
        led = parse_ledger({"claim": [raw]}, path=str(folder / "ledger.toml"))
        res = evaluator.check(led)
        for v in res.verdicts:
            v.to_dict()
            v.summary()
    except GazamapError as exc:
        assert "ledger.toml" in exc.message, exc.message
        assert "Traceback" not in exc.message


_CATALOG_FIELDS = ["id", "version", "title", "kind", "file", "source", "licence",
                   "attribution", "method", "url", "date", "uncertainty_m", "notes", "derived",
                   "illustrative", "zone_polygon", "controlled_point", "crs", "layer",
                   "encoding", "unknown_field"]


@pytest.mark.timeout(600)
@settings(max_examples=400, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(_CATALOG_FIELDS), value=TOML_VALUE)
def test_any_value_in_any_catalog_field(tmp_path: Path, name: str, value: Any) -> None:
    shutil.copy(DATA_DIR / "yellow_line_2025-10-19.geojson", tmp_path / "l.geojson")
    cat = tmp_path / "catalog.toml"
    entry = {"id": "mine", "version": "2026-01-01", "title": "t", "kind": "line",
             "file": "l.geojson", "source": "s", "licence": "l", "attribution": "a",
             "method": "m", name: value}
    try:
        ds = _dataset_from_entry(entry, 0, cat, "user")
        Catalog([ds]).get(ds.ref).provenance()
        ds.zone_source  # noqa: B018 - a property that must not raise
    except GazamapError as exc:
        assert str(cat) in exc.message, exc.message
        assert f"`{name}`" in exc.message or name == "unknown_field" or "lacks" in exc.message
