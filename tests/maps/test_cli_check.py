"""`gazamap check` from the command line: exit codes, formats, shipped ledgers."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.claims import check_ledger
from maps.cli import main

GOOD = """
[ledger]
title = "test ledger"

[[claim]]
id = "sum-ok"
text = "155 + 210 = 365"
source = "tests"
metric = "sum"
values = ["155", "210"]
value = "365"

[[claim]]
id = "cut-off"
text = "the west zone has no border with Egypt"
source = "tests"
metric = "shares_border"
zone = "west"
with = "egypt"
value = false
"""

BAD_VERDICT = GOOD + """
[[claim]]
id = "sum-wrong"
text = "53 + 11 = 70"
source = "tests"
metric = "sum"
values = [53, 11]
value = "70"
"""


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def _ledger(tmp_path: Path, text: str, name: str = "ledger.toml") -> str:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def test_exit_0_when_nothing_is_inconsistent(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(main, ["check", _ledger(tmp_path, GOOD)])
    assert res.exit_code == 0, res.output
    assert "sum-ok" in res.stdout and "consistent" in res.stdout


def test_exit_1_when_a_claim_is_inconsistent(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(main, ["check", _ledger(tmp_path, BAD_VERDICT), "--format", "json"])
    assert res.exit_code == 1
    rows = {r["id"]: r for r in json.loads(res.stdout)}
    assert rows["sum-wrong"]["verdict"] == "inconsistent"
    assert rows["sum-wrong"]["computed"] == 64
    assert rows["sum-wrong"]["difference"] == -6


@pytest.mark.parametrize("text, needle", [
    (GOOD.replace('value = "365"', 'value = "365"\nop = "=="'), "claim 'sum-ok', field 'op'"),
    (GOOD.replace('metric = "sum"', 'metric = "summ"'), "claim 'sum-ok', field 'metric'"),
    (GOOD.replace('zone = "west"\n', ""), "claim 'cut-off', field 'zone'"),
    (GOOD + GOOD.split("[ledger]")[1].split('title = "test ledger"')[1],
     "claim 'sum-ok', field 'id'"),
    ("[[claim]\n", "not valid TOML"),
])
def test_exit_2_for_a_malformed_ledger(runner: CliRunner, tmp_path: Path, text: str,
                                       needle: str) -> None:
    res = runner.invoke(main, ["check", _ledger(tmp_path, text)])
    assert res.exit_code == 2
    assert needle in res.stderr
    assert "Traceback" not in res.output and len(res.stderr.strip().splitlines()) == 1


def test_exit_2_for_a_missing_ledger(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(main, ["check", str(tmp_path / "missing.toml")])
    assert res.exit_code == 2 and "seed" in res.stderr


@pytest.mark.parametrize("name", ["seed", "public"])
def test_shipped_ledgers_run(runner: CliRunner, name: str) -> None:
    res = runner.invoke(main, ["check", name, "--format", "json"])
    expected = 1 if check_ledger(name).any_inconsistent else 0
    assert res.exit_code == expected, res.stderr
    rows = json.loads(res.stdout)
    assert rows and {"id", "verdict", "stated", "computed", "difference", "interval",
                     "method"} <= set(rows[0])
    assert {r["verdict"] for r in rows} <= {"consistent", "inconsistent", "not-checkable"}


def test_seed_table(runner: CliRunner) -> None:
    res = runner.invoke(main, ["check", "seed"])
    assert res.exit_code == 0
    for cid in ("seed-1", "seed-2", "seed-3", "seed-4", "seed-5"):
        assert cid in res.stdout


def test_markdown_and_html(runner: CliRunner, tmp_path: Path) -> None:
    led = _ledger(tmp_path, GOOD.replace("155 + 210", "<b>155</b> + 210"))
    md = runner.invoke(main, ["check", led, "--format", "markdown"])
    assert md.exit_code == 0 and md.stdout.startswith("| id |")
    html = runner.invoke(main, ["check", led, "--format", "html"])
    assert html.exit_code == 0
    assert "<b>155</b>" not in html.stdout and "&lt;b&gt;155&lt;/b&gt;" in html.stdout
    start = html.stdout.index('<p class="gz-counts"')
    claims = html.stdout[start:html.stdout.index('<ul class="gz-rules">')]
    ET.fromstring(f"<div>{claims}</div>".replace("<br>", "<br/>"))  # well-formed


def test_out_file_and_line_option(runner: CliRunner, tmp_path: Path) -> None:
    led = _ledger(tmp_path, GOOD)
    out = tmp_path / "verdicts.json"
    res = runner.invoke(main, ["check", led, "--format", "json", "--out", str(out),
                               "--line", "idf-zone@2025-10-19"])
    # the zone polygon's edges stray from the outline: slivers along the Egypt border fall
    # in the west zone, so the "cut off from Egypt" claim fails with this line
    assert res.exit_code == 1, res.stderr
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert "idf-zone@2025-10-19" in rows[1]["datasets"]
    assert rows[1]["verdict"] == "inconsistent" and "slivers" in rows[1]["method"]
    res = runner.invoke(main, ["check", led, "--out", led])
    assert res.exit_code == 2 and "overwrite" in res.stderr


def test_a_contradicting_hedge_is_linted_on_stderr_and_in_json(runner: CliRunner,
                                                                tmp_path: Path) -> None:
    text = GOOD + """
[[claim]]
id = "hedged"
text = "about 365 square kilometres in all"
source = "tests"
metric = "sum"
values = ["155", "210"]
value = "365"
approx = false
"""
    res = runner.invoke(main, ["check", _ledger(tmp_path, text), "--format", "json"])
    assert res.exit_code == 0, res.stderr
    # the ledger's lint (other warnings come from the analysis, e.g. its population data)
    lines = [ln for ln in res.stderr.splitlines()
             if ln.startswith("warning:") and ", claim '" in ln]
    assert len(lines) == 1 and "'hedged'" in lines[0] and "'about'" in lines[0]
    rows = {r["id"]: r for r in json.loads(res.stdout)}
    assert rows["hedged"]["lint"] == [lines[0].split("claim 'hedged': ", 1)[1]]
    assert rows["sum-ok"]["lint"] == []


def test_tables_mark_borderline(runner: CliRunner, tmp_path: Path) -> None:
    # 155 + 210 lies in [364, 366]: "366.0" sits on the edge of the computed interval
    text = GOOD.replace('value = "365"', 'value = "366.0"')
    for fmt in ("table", "markdown", "html"):
        res = runner.invoke(main, ["check", _ledger(tmp_path, text), "--format", fmt])
        assert res.exit_code == 0
        assert "consistent (borderline)" in res.stdout, fmt
    res = runner.invoke(main, ["check", _ledger(tmp_path, text), "--format", "json"])
    row = json.loads(res.stdout)[0]
    assert row["borderline"] is True and abs(row["margin"]) < 1e-9


def test_two_sided_uncertainty_on_the_command_line(runner: CliRunner, tmp_path: Path) -> None:
    """`check --uncertainty A,B` gives the interval `areas --uncertainty A,B` gives."""
    ledger = _ledger(tmp_path, '[[claim]]\nid = "e"\ntext = "54 %"\nsource = "t"\n'
                               'metric = "zone_share_pct"\nzone = "east"\nvalue = "54"\n')
    areas = json.loads(runner.invoke(main, ["areas", "--format", "json",
                                            "--uncertainty", "520,100"]).stdout)
    east = areas["zones"][0]
    res = runner.invoke(main, ["check", ledger, "--format", "json", "--uncertainty", "520,100"])
    row = json.loads(res.stdout)[0]
    assert row["interval_own"] == pytest.approx([east["share_pct_low"], east["share_pct_high"]])
    # 520 m toward Israel takes more from the east zone than 100 m toward the coast adds
    assert east["share_pct"] - east["share_pct_low"] > 3 * (east["share_pct_high"]
                                                           - east["share_pct"])
    assert "520 m toward Israel, 100 m toward the coast" in row["method"]
    bad = runner.invoke(main, ["check", ledger, "--uncertainty", "1,2,3"])
    assert bad.exit_code == 2 and "--uncertainty" in bad.output
