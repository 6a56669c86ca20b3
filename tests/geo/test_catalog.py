"""The packaged catalog: provenance complete, files present, references resolved."""

from __future__ import annotations

from pathlib import Path

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
    assert ds.uncertainty_m == 300
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
