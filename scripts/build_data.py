"""Build gazamap's packaged datasets in geo/data/ from the source data in ../shared/data.

Every step is recorded here so the packaged files can be rebuilt and audited:

    python scripts/build_data.py [--src ../shared/data] [--check]

Steps (each writes one GeoJSON file, lon/lat WGS84, RFC 7946, coordinates unchanged
unless the step says otherwise):

1.  gaza_outline.geojson        copy of the OSM land outline (3 ponds stay holes).
2.  neighbours.geojson          Israel and Egypt land; the artefact holes of the Israel
                                polygon are filled (PROVENANCE.md says they are artefacts).
3.  governorates.geojson        the 5 derived governorates (already clipped to the outline),
                                with English and Arabic names and the PCBS published area.
4.  municipalities.geojson      the 25 OSM municipalities clipped to the outline (the source
                                polygons reach ~14 km² into the sea).
5.  places.geojson              localities, neighbourhoods and areas of landmarks.csv, with
                                ``approximate`` set where the source says so, and the OSM
                                label nodes of the municipalities (raw Overpass export)
                                with their English and Arabic names.
6.  crossings.geojson           the six crossings of landmarks.csv (Kissufim and Zikim
                                approximate); reference points inside Israel are left out.
7.  neighbourhoods.geojson      the 149 OCHA neighbourhood points (2019).
8.  yellow_line_2025-10-19.geojson   copy of the derived line (33 vertices).
9.  idf_zone_2025-10-19.geojson      copy of the digitised zone polygon, attributes verbatim.
10. band_israel_1km.geojson     DERIVED, illustrative: land within 1 km of the Israel border.
11. band_egypt_100m.geojson     DERIVED, illustrative: land within 100 m of the Egypt border.
12. ocha_outline.geojson        DERIVED: the union of the 33 OCHA oPt municipal polygons
                                (2019-07-18), the basis of the conventional 365 km². One
                                source polygon self-intersects and is made valid first
                                (shapely.make_valid, every polygonal part kept: it adds a
                                12 m² loop). The union has 63 sliver holes where
                                neighbouring polygons do not meet (3.7 m² to 3,621 m²,
                                0.033 km² in all): holes smaller than GAP_FILL_MAX_M2
                                (10,000 m², geodesic) are filled; none is larger. Gaps open
                                to the sea or the fence are not holes and stay as drawn.
13. pcbs_communities_2017.geojson   the 43 PCBS community points with their 2017 census
                                population, copied with their attributes verbatim (As Siafa
                                has no population in the source; `governorate` is spelled as
                                the republisher spells it).
14. pcbs_population_2023.geojson    the PCBS mid-2023 population of the 5 governorates
                                (pcbs_population_2023_governorates.csv) joined by name to the
                                derived governorate polygons of step 3 (CSV "Khan Younis" is
                                the packaged "Khan Yunis"); the CSV's published areas kept as
                                `area_km2_published_pcbs_2023`.

Steps 10-11 use gazamap's own border classification (geo.geometry.borders) so that the packaged
bands and ``band_area_km2`` claims are computed the same way.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.geometry.borders import classify_borders  # noqa: E402
from geo.geometry.crs import from_laea, to_laea  # noqa: E402
from geo.geometry.measure import geodesic_area_m2  # noqa: E402

OUT = ROOT / "geo" / "data"  # overridden by --out
PRECISION = 7  # decimal degrees: ~1 cm, finer than any source here
# Step 12: holes of the OCHA union below this area are gaps between neighbouring polygons.
# The 63 gaps are at most 3,621 m²; a real enclave (a pond, a hole in the administrative
# cover) would be larger than a 100 m x 100 m square, and none exists in the source.
GAP_FILL_MAX_M2 = 10_000.0
# Step 14: governorate names of the PCBS CSV that the packaged governorates spell otherwise.
_PCBS_GOVERNORATE_NAMES = {"Khan Younis": "Khan Yunis"}


def _load(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)  # type: ignore[no-any-return]


def _feature(geom: shapely.Geometry, props: dict[str, Any]) -> dict[str, Any]:
    geom = shapely.orient_polygons(geom) if geom.geom_type.endswith("Polygon") else geom
    geom = shapely.set_precision(geom, 10**-PRECISION) if geom.geom_type != "Point" else geom
    return {"type": "Feature", "properties": props, "geometry": mapping(geom)}


def _write(name: str, features: list[dict[str, Any]]) -> None:
    text = json.dumps({"type": "FeatureCollection", "features": features},
                      ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    (OUT / name).write_text(text + "\n", encoding="utf-8")
    print(f"  {name}: {len(features)} features, {len(text) / 1024:.1f} KiB")


def build(src: Path, out: Path | None = None) -> None:
    """Run every step; see the module docstring."""
    global OUT
    if out is not None:
        OUT = out
    OUT.mkdir(parents=True, exist_ok=True)
    outline = shape(_load(src / "gaza_outline_osm_geomaps.geojson")["features"][0]["geometry"])
    _write("gaza_outline.geojson", [_feature(outline, {"name": "Gaza Strip (land)"})])

    neighbours: dict[str, shapely.Geometry] = {}
    feats = []
    for f in _load(src / "neighbours_osm_geomaps.geojson")["features"]:
        iso = f["properties"]["iso_a3"]
        if iso == "PSE":
            continue  # the outline is its own dataset
        geom = shape(f["geometry"])
        geom = shapely.Polygon(geom.exterior)  # fill artefact holes (PROVENANCE.md)
        neighbours[iso] = geom
        feats.append(_feature(geom, {"name": f["properties"]["name"], "iso_a3": iso}))
    _write("neighbours.geojson", feats)

    feats = []
    for f in _load(src / "gaza_governorates_derived_osm.geojson")["features"]:
        p = f["properties"]
        geom = shape(f["geometry"]).intersection(outline)
        feats.append(_feature(geom, {"name": p["name"], "name_ar": p["name_ar"],
                                     "area_km2_published_pcbs": p["area_km2_published_pcbs"]}))
    _write("governorates.geojson", feats)

    feats = []
    for f in _load(src / "gaza_municipalities_osm_2025-10-28.geojson")["features"]:
        p = f["properties"]
        geom = shapely.make_valid(shape(f["geometry"])).intersection(outline)
        geom = shapely.union_all([g for g in shapely.get_parts(geom)
                                  if g.geom_type == "Polygon"])
        feats.append(_feature(geom, {"name": p["name_en"], "name_ar": p["name_ar"],
                                     "governorate": p["governorate"], "osm_id": p["osm_id"],
                                     "wikidata": p.get("wikidata")}))
    _write("municipalities.geojson", feats)

    # OSM label nodes of the municipal relations carry the Arabic and English names; they
    # replace the few label rows of landmarks.csv (same nodes, no Arabic name there).
    labels = []
    raw = _load(src / "raw" / "osm_overpass_gaza_admin_2025-10-28_via_btselem_nibal.geojson")
    for f in raw["features"]:
        if f["geometry"]["type"] != "Point":
            continue
        rel = next((r for r in f["properties"].get("@relations", [])
                    if r.get("role") in ("label", "admin_centre")), None)
        if rel is None:
            continue
        tags = rel["reltags"]
        # strip direction marks that some OSM names carry (U+200E/U+200F)
        name_ar = (tags.get("name:ar") or "").replace("\u200e", "").replace("\u200f", "")
        labels.append(_feature(shape(f["geometry"]), {
            "name": tags.get("name:en") or tags.get("name"), "name_ar": name_ar,
            "kind": "municipality", "approximate": False, "notes": "",
            "source": f"OpenStreetMap {rel['role']} node {f['properties']['@id']} of "
                      f"relation/{rel['rel']} (ODbL) via "
                      "mushon/nibal map/gaza.geojson (overpass export 2025-10-28)"}))
    labels.sort(key=lambda ft: ft["properties"]["name"])

    places, crossings = [], []
    with open(src / "landmarks.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if "OpenStreetMap label node" in row["source"]:
                continue  # taken from the raw OSM export above, with the Arabic name
            pt = shapely.Point(float(row["lon"]), float(row["lat"]))
            text = f"{row['name']} {row['source']} {row['notes']}".lower()
            approx = "approx" in text
            props = {"name": row["name"], "kind": row["kind"], "source": row["source"],
                     "notes": row["notes"], "approximate": approx}
            if row["kind"] == "crossing/border":
                if "crossing" not in row["name"].lower():
                    continue  # kibbutzim and tripoints are references, not crossings
                props["kind"] = "crossing"
                crossings.append(_feature(pt, props))
            else:
                places.append(_feature(pt, props))
    _write("places.geojson", places + labels)
    _write("crossings.geojson", crossings)

    feats = []
    for f in _load(src / "ocha_gaza_neighbourhood_points_2019.geojson")["features"]:
        p = f["properties"]
        keep = {k: p.get(k) for k in ("name", "district", "community", "pcode")}
        feats.append(_feature(shape(f["geometry"]), keep))
    _write("neighbourhoods.geojson", feats)

    line = _load(src / "yellow_line_2025-10-19_derived.geojson")["features"][0]
    _write("yellow_line_2025-10-19.geojson",
           [_feature(shape(line["geometry"]), line["properties"])])
    zone = _load(src / "idf_zone_2025-10-19_gazamaps_via_btselem.geojson")["features"][0]
    _write("idf_zone_2025-10-19.geojson", [_feature(shape(zone["geometry"]), zone["properties"])])

    borders = classify_borders(outline, neighbours["ISR"], neighbours["EGY"])
    for name, border, width_m, label in (
        ("band_israel_1km.geojson", borders.israel, 1000.0,
         "Land within 1 km of the Israel border (illustrative, derived)"),
        ("band_egypt_100m.geojson", borders.egypt, 100.0,
         "Land within 100 m of the Egypt border (illustrative, derived)"),
    ):
        band = from_laea(to_laea(border).buffer(width_m)).intersection(outline)
        _write(name, [_feature(band, {"name": label, "width_m": width_m, "illustrative": True})])

    _write("ocha_outline.geojson", [ocha_outline(src)])

    feats = [_feature(shape(f["geometry"]), dict(f["properties"]))
             for f in _load(src / "pcbs_communities_2017.geojson")["features"]]
    _write("pcbs_communities_2017.geojson", feats)

    govs = {f["properties"]["name"]: f
            for f in _load(OUT / "governorates.geojson")["features"]}
    feats = []
    with open(src / "pcbs_population_2023_governorates.csv", encoding="utf-8",
              newline="") as fh:
        for row in csv.DictReader(fh):
            name = _PCBS_GOVERNORATE_NAMES.get(row["governorate"], row["governorate"])
            gov = govs.pop(name)  # KeyError: a governorate the mapping above misses
            feats.append(_feature(shape(gov["geometry"]), {
                "name": name, "name_ar": gov["properties"]["name_ar"],
                "name_pcbs": row["governorate"],
                "population_mid_2023": int(row["population_mid_2023"]),
                "area_km2_published_pcbs_2023": float(row["area_km2_published"]),
                "source": row["source"]}))
    if govs:
        raise SystemExit(f"pcbs_population_2023_governorates.csv lacks {sorted(govs)}")
    _write("pcbs_population_2023.geojson", feats)


def ocha_outline(src: Path) -> dict[str, Any]:
    """Step 12: the union of the OCHA municipal polygons with the sliver gaps filled."""
    parts = []
    for f in _load(src / "ocha_municipal_boundaries_2019.geojson")["features"]:
        geom = shape(f["geometry"])
        if not geom.is_valid:  # one self-intersecting polygon; keep every polygonal loop
            geom = shapely.union_all([g for g in shapely.get_parts(shapely.make_valid(geom))
                                      if g.geom_type in ("Polygon", "MultiPolygon")])
        parts.append(geom)
    union = shapely.union_all(parts)
    polys, filled = [], []
    for poly in shapely.get_parts(union):
        holes = []
        for ring in poly.interiors:
            a = geodesic_area_m2(shapely.Polygon(ring))
            if a < GAP_FILL_MAX_M2:
                filled.append(a)
            else:
                holes.append(ring)
        polys.append(shapely.Polygon(poly.exterior, holes))
    outline = shapely.union_all(polys)
    print(f"  ocha outline: {len(parts)} polygons, {len(filled)} gaps filled "
          f"({min(filled):.1f}-{max(filled):,.0f} m², {sum(filled) / 1e6:.4f} km² in all)")
    return _feature(outline, {
        "name": "Gaza Strip (union of the OCHA oPt municipal boundaries, 2019-07-18)",
        "municipal_polygons": len(parts), "gaps_filled": len(filled),
        "gaps_filled_m2": round(sum(filled)), "largest_gap_filled_m2": round(max(filled)),
        "gap_fill_max_m2": GAP_FILL_MAX_M2})


def main() -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=next(
        (d for d in (ROOT.parent / "shared" / "data", ROOT.parent.parent / "shared" / "data")
         if (d / "PROVENANCE.md").exists()), ROOT.parent / "shared" / "data"))
    ap.add_argument("--out", type=Path, default=OUT, help="output folder (default geo/data)")
    args = ap.parse_args()
    if not (args.src / "PROVENANCE.md").exists():
        print(f"{args.src}: no PROVENANCE.md here. Fix: pass --src to the shared data folder",
              file=sys.stderr)
        return 2
    build(args.src, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
