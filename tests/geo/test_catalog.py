"""The packaged catalog: provenance complete, files present, references resolved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from geo.catalog import DATA_DIR, Catalog, Dataset, packaged_catalog, parse_ref
from geo.errors import DatasetNotFoundError, InputError

REQUIRED = ("id", "version", "title", "kind", "source", "licence", "attribution", "method")


def test_every_dataset_has_full_provenance():
    cat = packaged_catalog()
    assert len(cat) >= 11
    for ds in cat:
        prov = ds.provenance()
        for key in REQUIRED:
            assert prov[key], f"{ds.ref} lacks {key}"
        assert ds.path.exists(), ds.path
        assert ds.uncertainty_m >= 0


def test_every_data_file_is_in_the_catalog():
    listed = {ds.file for ds in packaged_catalog()}
    on_disk = {p.name for p in DATA_DIR.glob("*.geojson")}
    assert on_disk == listed


def test_illustrative_layers_say_so():
    for ds in packaged_catalog():
        if ds.illustrative:
            assert "illustrative" in (ds.title + ds.notes).lower()
            assert ds.derived


def test_yellow_line_states_unstated_licence_and_uncertainty():
    ds = packaged_catalog().get("yellow-line@2025-10-19")
    assert "not stated" in ds.licence
    assert "Gaza Maps" in ds.attribution and "B'Tselem" in ds.attribution
    # one-sided: 100 m toward Israel, 520 m toward the coast (markers stood deeper)
    assert ds.uncertainty_m == 520 and ds.uncertainty_sides_m == (100, 520)
    assert packaged_catalog().get(ds.zone_polygon).kind == "zone"


def test_bare_id_means_latest_version(tmp_path: Path):
    a = Dataset(id="x", version="2025-10-19", title="t", kind="line", file="a.geojson",
                source="s", licence="l", attribution="a", method="m")
    b = Dataset(id="x", version="2026-01-16", title="t", kind="line", file="b.geojson",
                source="s", licence="l", attribution="a", method="m")
    cat = Catalog([b, a])
    assert cat.get("x").version == "2026-01-16"
    assert cat.get("x@2025-10-19").file == "a.geojson"


def test_parse_ref():
    assert parse_ref(" yellow-line@2025-10-19 ") == ("yellow-line", "2025-10-19")
    assert parse_ref("gaza-outline") == ("gaza-outline", None)


def test_unknown_id_names_the_ids_that_exist():
    with pytest.raises(DatasetNotFoundError, match="unknown dataset id 'nope'.*yellow-line"):
        packaged_catalog().get("nope")


def test_unknown_version_names_the_versions_that_exist():
    with pytest.raises(DatasetNotFoundError,
                       match="no version '2030-01-01'.*yellow-line@2025-10-19"):
        packaged_catalog().get("yellow-line@2030-01-01")


def test_kind_mismatch_is_refused():
    with pytest.raises(InputError, match="is a boundary, not a line"):
        packaged_catalog().get("gaza-outline", kind="line")


@pytest.mark.parametrize("text,match", [
    ("[[dataset]]\nid = 'a'\n", "lacks version"),
    ("[[dataset", "not valid TOML"),
    ("[[dataset]]\nid='a'\nversion='1'\ntitle='t'\nkind='blob'\nfile='f'\nsource='s'\n"
     "licence='l'\nattribution='a'\nmethod='m'\n", "kind 'blob'"),
])
def test_malformed_catalogs_are_refused_clearly(tmp_path: Path, text, match):
    path = tmp_path / "catalog.toml"
    path.write_text(text)
    with pytest.raises(InputError, match=match):
        Catalog.from_toml(path)


def test_duplicate_refs_are_refused():
    a = Dataset(id="x", version="1", title="t", kind="line", file="a", source="s",
                licence="l", attribution="a", method="m")
    with pytest.raises(InputError, match="defined twice"):
        Catalog([a, a])


def test_places_carry_arabic_names_from_osm():
    feats = packaged_catalog().get("places").features()
    arabic = [f.properties for f in feats if f.properties.get("name_ar")]
    assert len(arabic) >= 20
    for p in arabic:
        assert any("\u0600" <= ch <= "\u06ff" for ch in p["name_ar"]), p
        assert "\u200e" not in p["name_ar"] and "\u200f" not in p["name_ar"]
    names = {p["name"]: p["name_ar"] for p in arabic}
    assert names["Rafah"] == "رفح" and names["Khan Yunis"] == "خان يونس"


# --- a user's data directory is a sandbox; its fields are type-checked (issue 9) -----------

ENTRY = """[[dataset]]
id = "mine"
version = "2025-11-20"
title = "t"
kind = "line"
file = "{file}"
source = "s"
licence = "l"
attribution = "a"
method = "m"
{extra}
"""
SECRET = "root:x:0:0:SECRET-FIRST-LINE:/root:/bin/bash"


@pytest.fixture
def sandbox(tmp_path: Path) -> tuple[Path, Path]:
    """A data directory ``d`` beside a secret file that lies outside it."""
    d = tmp_path / "deep" / "er" / "data"
    d.mkdir(parents=True)
    secret = tmp_path / "passwd"
    secret.write_text(SECRET + "\n")
    (d / "line.geojson").write_text('{"type": "LineString", "coordinates": '
                                    '[[34.3, 31.3], [34.5, 31.55]]}')
    return d, secret


def _catalog(d: Path, file: str, extra: str = "") -> Path:
    p = d / "catalog.toml"
    p.write_text(ENTRY.format(file=file, extra=extra))
    return p


@pytest.mark.parametrize("how", ["dotdot", "absolute", "symlink", "symlinked folder"])
def test_a_catalog_file_outside_the_data_directory_is_refused_unread(sandbox, how, monkeypatch):
    from geo import catalog

    d, secret = sandbox
    if how == "dotdot":
        file = "../../../passwd"
    elif how == "absolute":
        file = str(secret)
    elif how == "symlink":
        (d / "link.geojson").symlink_to(secret)
        file = "link.geojson"
    else:
        (d / "sub").symlink_to(secret.parent)
        file = "sub/passwd"
    _catalog(d, file)
    opened: list[str] = []
    real_open = open

    def spy(path: Any, *a: Any, **k: Any) -> Any:
        opened.append(str(path))
        return real_open(path, *a, **k)
    monkeypatch.setattr("builtins.open", spy)
    with pytest.raises(InputError, match=r"dataset 'mine', field `file`: .*(refused: the data "
                                         r"directory is a sandbox|it is a sandbox)") as info:
        catalog.user_catalog(d)
    assert SECRET not in info.value.message and "SECRET" not in info.value.message
    assert not any(Path(o).resolve() == secret.resolve() for o in opened)


def test_the_cli_refuses_an_escaping_catalog_without_printing_the_file(sandbox):
    from click.testing import CliRunner

    from tests._cli import invoke

    d, _ = sandbox
    _catalog(d, "../../../passwd")
    for args in (["datasets", "--data-dir", str(d)],
                 ["areas", "--data-dir", str(d), "--line", "mine"]):
        res = invoke(CliRunner(), args)
        assert res.exit_code == 2, res.output
        assert "SECRET" not in res.output and "Traceback" not in res.output
        (line,) = res.stderr.strip().splitlines()
        assert "catalog.toml" in line and "sandbox" in line


def test_a_file_inside_a_subfolder_is_allowed(sandbox):
    from geo.catalog import user_catalog

    d, _ = sandbox
    (d / "lines").mkdir()
    (d / "line.geojson").rename(d / "lines" / "a.geojson")
    _catalog(d, "lines/a.geojson")
    (ds,) = user_catalog(d)
    assert ds.geometry().geom_type == "LineString"


@pytest.mark.parametrize("extra,match", [
    ('uncertainty_m = "abc"', r"dataset 'mine', field `uncertainty_m`: expected a number of "
                              r"metres, got the string 'abc'. Fix: write a number without"),
    ("uncertainty_m = -5", r"field `uncertainty_m`: expected a finite number >= 0, got -5"),
    ("uncertainty_m = nan", r"field `uncertainty_m`: expected a finite number >= 0, got nan"),
    ("uncertainty_m = inf", r"expected a finite number >= 0, got inf"),
    ("uncertainty_m = true", r"expected a number of metres, got the boolean true"),
    ("date = 2025-11-20", r"field `date`: expected a string, got the date 2025-11-20. Fix: "
                          r"quote it: date = \"2025-11-20\""),
    ("derived = \"yes\"", r"field `derived`: expected true or false, got the string 'yes'"),
    ("notes = {a = 1}", r"field `notes`: expected a string, got a table"),
])
def test_catalog_fields_are_type_checked(sandbox, extra, match):
    from geo.catalog import user_catalog

    d, _ = sandbox
    _catalog(d, "line.geojson", extra)
    with pytest.raises(InputError, match=match) as info:
        user_catalog(d)
    assert info.value.source == str(d / "catalog.toml")


@pytest.mark.parametrize("field,value,match", [
    ("version", "3", r"dataset 'mine', field `version`: expected a string, got the number 3. "
                     r"Fix: quote it: version = \"3\""),
    ("title", "[]", r"field `title`: expected a string, got an array"),
    ("id", "7", r"dataset '#1', field `id`: expected a string, got the number 7"),
])
def test_required_fields_of_the_wrong_type(sandbox, field, value, match):
    from geo.catalog import user_catalog

    d, _ = sandbox
    text = ENTRY.format(file="line.geojson", extra="")
    text = "\n".join(f"{field} = {value}" if line.startswith(f"{field} =") else line
                     for line in text.splitlines())
    (d / "catalog.toml").write_text(text)
    with pytest.raises(InputError, match=match):
        user_catalog(d)


def test_dataset_must_be_an_array_of_tables(tmp_path: Path):
    p = tmp_path / "catalog.toml"
    p.write_text("dataset = 3\n")
    with pytest.raises(InputError, match=r"`dataset` must be an array of tables"):
        Catalog.from_toml(p)


@pytest.mark.timeout(10)
def test_a_catalog_nested_100000_deep_is_refused(tmp_path: Path):
    p = tmp_path / "catalog.toml"
    p.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(InputError, match=r"catalog\.toml: the TOML is nested 100,000 levels "
                                         r"deep, over the limit of 64"):
        Catalog.from_toml(p)


def test_good_catalog_values_are_kept(sandbox):
    from geo.catalog import user_catalog

    d, _ = sandbox
    _catalog(d, "line.geojson", "uncertainty_m = 50\nderived = true\ndate = \"2025-11-20\"")
    (ds,) = user_catalog(d)
    assert (ds.uncertainty_m, ds.derived, ds.date) == (50.0, True, "2025-11-20")
    assert isinstance(ds.uncertainty_m, float)


def test_packaged_geometries_are_built_as_shapely_geometry_shape_builds_them():
    # the fast builder of packaged features must give the very same geometry (WKB bytes)
    import json

    import shapely
    import shapely.geometry

    from geo.catalog import _shape

    n = 0
    for path in sorted(DATA_DIR.glob("*.geojson")):
        for f in json.loads(path.read_text(encoding="utf-8"))["features"]:
            want = shapely.geometry.shape(f["geometry"])
            assert shapely.to_wkb(_shape(f["geometry"])) == shapely.to_wkb(want), path.name
            n += 1
    assert n > 300
    # and the cases it leaves to shape()
    for g in ({"type": "Polygon", "coordinates": []},
              {"type": "GeometryCollection", "geometries": [{"type": "Point",
                                                             "coordinates": [1, 2]}]}):
        assert shapely.to_wkb(_shape(g)) == shapely.to_wkb(shapely.geometry.shape(g))
