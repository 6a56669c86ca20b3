"""Build geo/data/ledgers/public.toml from ../shared/data/claims_public.csv.

    python scripts/build_ledger.py [--csv ../shared/data/claims_public.csv]
                                   [--versions ../shared/data/claims_versions_no_geometry.csv]
                                   [--check]

How each published statement becomes one or more machine-readable claims is recorded in
ASSERTIONS below, one entry per CSV id: the metric, its fields, the value as written (a
string keeps its precision: "53" means 52.5-53.5) and a note saying how the statement was
read. The quote, source and date come from the CSV unchanged. A CSV row may give
several claims (suffixes -a, -b, ...), e.g. a share and the arithmetic of its numbers.

Provenance: `source` is the CSV's human label; `outlet` the original publisher and `copy`
how the text was read (original | mirror | summary), both from the CSV. The CSV's url is
where the text was read: for an original it is the claim's `url`; for a mirror or a
summary it is `seen_at`, and `url` (the original publication) is left empty unless
ORIGINAL_URLS gives it -- a copy is never presented as the publication.

Dated line versions without public geometry (claims_versions_no_geometry.csv: the IDF
online map of 14 Oct 2025, the INSS digitisation) become claims with `line_version` and
`version_date`, checked against line ids gazamap has no geometry for: not-checkable, with
the reason; the report's timeline lists them beside the computed 19 Oct 2025 line.

Reading rules (the judgement calls, stated once):
- Statements about the yellow line as drawn on the October 2025 maps are checked against
  the packaged line (yellow-line@2025-10-19, ±300 m) -- the default line, named in no claim.
- Statements about later positions (blocks moved, shares "by December", the orange line of
  March 2026, pre-ceasefire control) name a line id that has no public geometry; gazamap
  reports them not-checkable with that reason. Loading such a line as a file makes them
  checkable (`line = "my_line.geojson"`).
- "about / nearly / roughly / approximately / around / some / ~" -> approx, and "more than /
  over / at least / less than / under / up to" -> op: gazamap reads them from the text
  (right before the figure) when a claim sets no approx/op; the entries below set them
  only where the figure is not written in digits or where the reading differs (stated).
- Depth, length and width figures (C19-C22, C41, C47) use the metrics line_depth_km,
  strip_length_km and strip_width_km. Depth statements are checked against the 19 Oct 2025
  line even when made later: the blocks moved 295 m on average (C13), within its ±300 m.
- Statements with no geometric content (counts of incidents, dates, existence of maps)
  are kept with metric = "none" and the reason, so the ledger lists every CSV row.
- The Gaza Government Media Office figures (GMO-*) are not in claims_public.csv: they come
  from ../shared/data/route_description.md, section 3 (via Arabi21, undated), dated 12 Jan
  2026 by their original in claims_found_2026-12.csv (seen on paltimeps.ps).
- claims_found_2026-12.csv (dated figures found in Dec 2026) gives claims F01-F11 (see
  FOUND_ASSERTIONS): its date, outlet and the site where the text was seen; no URL was
  recorded for any of them, and the ledger says so.
- A claim that describes a line version other than the packaged one says so with
  `version` (C01-a: the White House map of 4 Oct 2025): not checkable, since that version
  has no public geometry -- never checked against another version.
- "Long" and "wide" have several readings (strip_length_km: axis, coast, diameter;
  strip_width_km at a place: cross-section, nearest-coast): one claim per statement,
  consistent when a reading fits (C20-d, C41-d, C47; the former coast-only C20-a and
  C41-c are readings of them).
- `derived = true` marks the ledger's own arithmetic on a published figure (C44-b: 14 km x
  100 m; F02-c): reported as a check of the ledger, not counted among the verdicts.

The output is deterministic: running the script twice gives the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "geo" / "data" / "ledgers" / "public.toml"
# the project's shared data: next to the repository, or next to its worktrees folder
SHARED = next((d for d in (ROOT.parent / "shared" / "data", ROOT.parents[1] / "shared" / "data")
               if d.is_dir()), ROOT.parent / "shared" / "data")

# The original publication of a claim read in a copy, where it is known. The originals
# of the mirrored news texts were not reachable; C60's CSV url is the Gaza Maps record
# itself, and the text was read in the summary its `source` names.
ORIGINAL_URLS: dict[str, str] = {"C60": "https://gazamaps.com/displacement/163"}
# Where the text was read, when the CSV url is not it: the repository, path and commit
# named in the CSV's `source`.
_PLL = "https://github.com/nickrolle-rgb/Palestine-Land-Loss/blob/"
SEEN_AT: dict[str, str] = {
    "C60": _PLL + "460731722de15571512675e99f0a982e22cae478/web/public/data/"
                  "displacement_orders.json",
    "C61": _PLL + "HEAD/docs/permissions/inss-yellow-line.md",
}

A = dict[str, Any]

NO_MARKERS = "marker positions"
LATER = ("It describes the line after the blocks were placed and moved (Nov 2025 - Jan 2026),"
         " which has no public geometry.")

ASSERTIONS: dict[str, list[A]] = {
    "C01": [
        {"suffix": "a", "metric": "zone_area_km2", "zone": "west", "value": "155",
         "approx": True, "version": "2025-10-04",
         "note": "Re-read (issue 21): the explainer describes the White House map of 4 Oct "
                 "2025, a different version of the line with no public geometry; it was "
                 "checked against the 19 Oct 2025 line and passed only through that line's "
                 "interval. It is not checkable against a version it does not describe. "
                 "'Inside the yellow line' is the western zone."},
        {"suffix": "b", "metric": "sum", "values": ["155", "210"], "value": "365",
         "note": "Arithmetic of the explainer's own numbers: 155 km² inside the line and "
                 "210 km² beyond it make the 365 km² it uses as the total."},
    ],
    "C03": [
        {"suffix": "a", "metric": "zone_share_pct", "zone": "east",
         "line": "idf-control@2025-10-09", "denominator_km2": 365, "op": ">", "value": "80",
         "note": "Control before the withdrawal: no public geometry of the line of 9 Oct 2025."},
        {"suffix": "b", "metric": "total_area_km2", "value": "365",
         "note": "The conventional total (PCBS) against the measured OSM outline."},
    ],
    "C04": [
        {"suffix": "a", "metric": "governorate_share_pct", "governorate": "Khan Yunis",
         "zone": "east", "op": ">", "value": "50",
         "note": "'More than half of the Khan Younis governorate'; governorates derived from "
                 "OSM municipalities (not official limits)."},
        {"suffix": "b", "metric": "governorate_share_pct", "governorate": "Rafah",
         "zone": "east", "op": ">=", "value": "90", "approx": True,
         "note": "'Nearly all of the Rafah governorate' read as at least about 90 %."},
    ],
    "C05": [
        {"metric": "zone_share_pct", "zone": "east", "value": "53",
         "note": "Share of the measured outline, by the line method."},
        {"suffix": "zone-polygon", "metric": "zone_share_pct", "zone": "east", "value": "53",
         "line": "idf-zone@2025-10-19",
         "note": "The same figure by the zone-polygon method (the digitised IDF zone "
                 "intersected with the outline), for comparison."},
    ],
    "C06": [
        {"metric": "zone_share_pct", "zone": "east", "value": "53", "denominator_km2": 365,
         "note": "Read as a share of the conventional 365 km²."},
    ],
    "C07": [
        {"suffix": "a", "metric": "zone_share_pct", "zone": "east", "value": "80",
         "line": "idf-control@2025-09-29",
         "note": "Control before the deal (White House map of 29 Sep 2025): no public geometry."},
        {"suffix": "b", "metric": "zone_share_pct", "zone": "east", "value": "18",
         "line": "buffer-phase-3@2025-09-29",
         "note": "The third-phase buffer of the 29 Sep 2025 plan: no public geometry."},
    ],
    "C09": [{"metric": "none", "reason": "a publication date, not a measurement",
             "value": "2025-10-14"}],
    "C10": [{"metric": "marker_offset_m", "stat": "max", "value": "520",
             "note": "Blocks at al-Atatra beyond the mapped line. 'Up to 520' is the maximum "
                     "offset (stat = max)."}],
    "C11": [{"metric": "marker_offset_m", "value": ["180", "290"],
             "note": "Ten blocks near Khan Younis beyond the mapped line."}],
    "C12": [{"metric": "none", "value": "16",
             "reason": "a count of moved blocks: no public marker positions to count"}],
    "C13": [{"metric": "marker_offset_m", "stat": "mean", "value": "295"}],
    "C14": [{"metric": "none", "value": "205",
             "reason": "a count of mapped blocks: no public marker positions to count"}],
    "C15": [{"metric": "none", "value": "10", "approx": True,
             "reason": "the unmarked length of the line needs the block positions, which are "
                       "not public"}],
    "C16": [{"metric": "none", "value": "69",
             "reason": "a count of shooting incidents, not a geographic quantity"}],
    "C17": [{"metric": "none", "value": "200",
             "reason": "the spacing of the blocks needs their positions, which are not public"}],
    "C18": [{"metric": "marker_offset_m", "stat": "mean", "value": "200", "approx": True,
             "note": "Blocks in al-Tuffah moved inland between 2 and 13 Dec 2025."}],
    "C19": [
        {"suffix": "a", "metric": "line_depth_km", "stat": "min", "value": "1.5",
         "note": "'Between 1.5 and 6.5 km into the coastal area': the shallowest point of the "
                 "line, from the Israel border."},
        {"suffix": "b", "metric": "line_depth_km", "stat": "max", "value": "6.5",
         "note": "The deepest point (north of Rafah, before the line turns west to the sea)."},
    ],
    "C20": [
        {"suffix": "b", "metric": "strip_width_km", "stat": "min", "value": "6",
         "note": "'Between 6 and 12 kilometers wide': the narrowest cross-section."},
        {"suffix": "c", "metric": "strip_width_km", "stat": "max", "value": "12",
         "note": "The widest cross-section."},
        {"suffix": "d", "metric": "strip_length_km", "value": "41", "approx": True,
         "note": "Re-read (issue 21): 'long' has several readings (the extent along the long "
                 "axis, the coastline, the longest straight distance; published lengths run "
                 "39.7-46.7 km by reading) and the text does not say which; it is consistent "
                 "when one fits. The former C20-a (the coastline alone) is one of these "
                 "readings, no longer a claim of its own. 'Around' makes it approximate."},
    ],
    "C21": [
        {"metric": "zone_share_pct", "zone": "east", "value": "58",
         "line": "yellow-line@2026-01", "note": LATER + " 'Roughly' makes it approximate."},
        {"suffix": "b", "metric": "line_depth_km", "stat": "min", "value": "1.5",
         "note": "The same depths as C19, checked against the 19 Oct 2025 line."},
        {"suffix": "c", "metric": "line_depth_km", "stat": "max", "value": "6.5"},
    ],
    "C22": [
        {"metric": "zone_share_pct", "zone": "east", "value": ["50", "58"],
         "note": "A range across published maps: checked against the 19 Oct 2025 line."},
        {"suffix": "b", "metric": "line_depth_km", "stat": "min", "value": "2", "approx": True,
         "note": "'In some areas about two kilometres': the shallowest depth (the figure is "
                 "written in words, so approx is set here)."},
        {"suffix": "c", "metric": "line_depth_km", "stat": "max", "value": "7",
         "note": "'Up to seven kilometres deep': the deepest point (stat = max)."},
    ],
    "C24": [
        {"suffix": "a", "metric": "none", "value": "10", "approx": True,
         "reason": "the area between the mapped line and the blocks needs the block "
                   "positions (Gaza Maps data not public)"},
        {"suffix": "b", "metric": "sum", "values": ["53", "10"], "value": "63", "approx": True,
         "note": "'About 63 % under Israeli control' (Middle East Eye) = 53 + 10."},
    ],
    "C26": [
        {"suffix": "a", "metric": "zone_share_pct", "zone": "east", "value": "53",
         "note": "'The original 53 %'."},
        {"suffix": "b", "metric": "zone_share_pct", "zone": "east", "value": "58",
         "approx": True, "line": "yellow-line@2025-12", "note": LATER},
    ],
    "C27": [{"metric": "none", "value": ["200", "500"],
             "reason": "the orange line (Dec 2025 usage) has no public geometry"}],
    "C31": [{"metric": "none", "value": "11", "approx": True,
             "reason": "the orange line of March 2026 has no public geometry (maps sent to "
                       "aid groups only)"}],
    "C32": [
        {"suffix": "a", "metric": "zone_share_pct", "zone": "east", "value": "66.7",
         "approx": True, "line": "orange-line@2026-03",
         "note": "'Nearly two-thirds' written as 66.7 %: the area behind the orange line."},
        {"suffix": "b", "metric": "sum", "values": ["53", "11"], "value": "66.7",
         "approx": True,
         "note": "Arithmetic: the 53 % yellow-line share plus Reuters' 11 % orange zone."},
    ],
    "C33": [{"metric": "zone_share_pct", "zone": "east", "op": ">", "value": "50",
             "note": "Said on 31 Mar 2026; the 19 Oct 2025 line is a lower bound for later "
                     "dates (the blocks were moved deeper)."}],
    "C34": [{"metric": "none",
             "reason": "the existence of maps is not a measurement (no geometry released)"}],
    "C35": [{"metric": "zone_share_pct", "zone": "east", "value": "64.9",
             "line": "restricted-area@2026-06",
             "note": "UNVERIFIED: the figure was not found in the cited OCHA report. No "
                     "geometry of the June 2026 restricted area."}],
    "C36": [{"metric": "zone_share_pct", "zone": "east", "value": "60",
             "line": "idf-control@2026-04",
             "note": "LOW RELIABILITY: the page says it is AI-generated. No geometry."}],
    "C38": [{"metric": "zone_share_pct", "zone": "east", "value": ["50", "58"], "approx": True,
             "note": "'About 50 to 58 %' of the published maps: checked against the 19 Oct "
                     "2025 line."}],
    "C39": [{"metric": "none", "value": "77",
             "reason": "a count of people killed, not a geographic quantity"}],
    "C40": [{"metric": "sum", "values": ["61", "70", "56", "108", "65"], "value": "360",
             "note": "Arithmetic of the table's own numbers: Wikipedia's governorate areas "
                     "(PCBS-based, rounded). PCBS table 676 itself gives 60.9 + 74.6 + 56.7 + "
                     "109.7 + 63.1 = 365.0 km² (pcbs-population@2023)."}],
    "C41": [
        {"suffix": "a", "metric": "total_area_km2", "value": "365"},
        {"suffix": "b", "metric": "total_area_km2", "value": "360"},
        {"suffix": "d", "metric": "strip_length_km", "value": "41",
         "note": "Re-read (issue 21): 'its length' is read every way the word allows (long "
                 "axis, coastline, longest straight distance), as in C20-d; it was judged "
                 "along the axis only. The former C41-c (the coastline alone) is one of these "
                 "readings, no longer a claim of its own."},
    ],
    "C42": [
        {"suffix": "a", "metric": "border_length_km", "with": "egypt", "value": "11"},
        {"suffix": "b", "metric": "border_length_km", "with": "israel", "value": "51"},
    ],
    "C44": [
        {"suffix": "a", "metric": "border_length_km", "with": "egypt", "value": "14",
         "approx": True, "note": "The Philadelphi corridor runs along the whole Egypt border."},
        {"suffix": "b", "metric": "band_area_km2", "with": "egypt", "width_m": 100,
         "value": "1.4", "approx": True, "derived": True,
         "note": "Re-read (issue 21): derived. 1.4 km² is the ledger's own arithmetic (about "
                 "14 km x 100 m), not a published figure; judged as a claim it penalised "
                 "C44-a a second time for the same 14 km. Reported as a check of the ledger, "
                 "outside the verdict counts and the exit code."},
    ],
    "C47": [{"metric": "strip_width_km", "at": [34.4736, 31.4747], "value": "6.5",
             "approx": True,
             "note": "Re-read (issue 21): the same phrase carries its hedge ('6.5-kilometer-"
                     "wide (about 4-mile-wide)'), so the figure is approximate, and 'wide' at "
                     "a place has two readings: the cross-section perpendicular to the Strip "
                     "through the corridor's eastern end (slightly south of the Karni "
                     "crossing; route_description.md, section 5; reported position) and the "
                     "distance from that point to the nearest coast (the corridor runs from "
                     "the border to the sea). The corridor itself has no public geometry."}],
    "C48": [{"metric": "none", "value": "47",
             "reason": "the Netzarim corridor has no public geometry"}],
    "C49": [{"metric": "none", "value": ["2", "4"],
             "reason": "the Netzarim corridor has no public geometry"}],
    "C51": [{"metric": "zone_share_pct", "zone": "east", "value": "77", "approx": True,
             "line": "idf-control@2025-05",
             "note": "Control in May 2025, before the ceasefire: no public geometry."}],
}

# claims_versions_no_geometry.csv: dated versions of the line known only by their area.
VERSION_ASSERTIONS: dict[str, list[A]] = {
    "C60": [{"metric": "zone_area_km2", "zone": "east", "value": "203.99",
             "line": "idf-map@2025-10-14", "line_version": "IDF online map of 14 Oct 2025",
             "version_date": "2025-10-14",
             "reason": "the IDF online map of 14 Oct 2025 has no public geometry: only its "
                       "area is known (Gaza Maps record #163)",
             "note": "The Israeli-held side of the updated online map; the 19 Oct 2025 "
                     "polygon of the same source (record #164) carries 194.50 km²."}],
    "C61": [
        {"suffix": "a", "metric": "zone_area_km2", "zone": "east", "value": "197.6",
         "line": "inss-yellow-line@2025-11",
         "line_version": "INSS digitisation of the yellow line (GazaYellowLine layer)",
         "version_date": "2025-11",
         "reason": "the INSS GazaYellowLine polygon is not public here (no date field; "
                   "about Nov 2025)",
         "note": "Its Shape__Area of 271.9 km² is Web Mercator and is not used."},
        {"suffix": "b", "metric": "percent_of", "part": "197.6", "whole": "364.9",
         "value": "54.1", "note": "Arithmetic of the stated numbers."},
        {"suffix": "c", "metric": "total_area_km2", "boundary": "ocha-outline@2019-07-18",
         "value": "364.9",
         "reason": "the OCHA 2019 municipal outline is not packaged yet",
         "note": "364.9 km² is the union of the OCHA 2019 municipal boundaries."},
    ],
}

# The GMO figures were first read undated in Arabi21's summary (route_description.md,
# section 3); claims_found_2026-12.csv holds their dated original: the director Ismail
# al-Thawabta on 12 Jan 2026, seen on paltimeps.ps (Palestine Now), no URL recorded.
GMO: A = {
    "source": "Gaza Government Media Office (director Ismail al-Thawabta), seen on "
              "paltimeps.ps (Palestine Now); also via Arabi21",
    "outlet": "Gaza Government Media Office",
    "copy": "summary",
    "date": "2026-01-12",
    "url": "",
    "seen_at": "paltimeps.ps",
}
GMO_TEXT = ("yellow zone 198.8 km2 (54.5 %), orange zone 33.5 km2 (9.2 %), remaining "
            "132.7 km2 (36.4 %)")
EXTRA: list[A] = [
    {"id": "GMO-a", "metric": "percent_of", "part": "198.8", "whole": "365", "value": "54.5",
     "note": "Arithmetic: 198.8 km² as a share of 365 km²."},
    {"id": "GMO-b", "metric": "percent_of", "part": "33.5", "whole": "365", "value": "9.2"},
    {"id": "GMO-c", "metric": "percent_of", "part": "132.7", "whole": "365", "value": "36.4"},
    {"id": "GMO-d", "metric": "sum", "values": ["198.8", "33.5", "132.7"], "value": "365.0"},
    {"id": "GMO-e", "metric": "zone_area_km2", "zone": "east", "value": "198.8",
     "note": "The yellow zone against the 19 Oct 2025 line (the GMO figure is of 12 Jan "
             "2026 and may include later movement)."},
    {"id": "GMO-f", "metric": "none", "value": "33.5",
     "reason": "the orange zone (Jan 2026) has no public geometry"},
]
# The pre-war perimeter "buffer zone" (route_description.md, section 6): reported, not
# quoted from an article the project holds, hence no URL.
BUFFER: A = {
    "id": "AP-buffer", "date": "2024-02",
    "text": 'a buffer zone about 1 km deep along the Israel border takes "~60 km²" of '
            '"~360 km²"',
    "source": "Associated Press (Feb 2024), as reported in route_description.md, section 6",
    "outlet": "Associated Press", "copy": "summary", "url": "",
    "metric": "band_area_km2", "with": "israel", "width_m": 1000, "value": "60",
    "note": "'~60' makes it approximate. The band is the land within 1 km of the "
            "outline's Israel border, not the OCHA buffer-area polygon (not reachable).",
}

# claims_found_2026-12.csv: dated figures found in December 2026, one entry per row in
# order (F01 ...), with the outlet the row must name (a guard against a reordered CSV).
# Its GMO row (F07) is the dated original of the GMO-* claims above: it dates them and adds
# no claim of its own. Every row was read on a site whose URL was not recorded.
FOUND_ASSERTIONS: list[tuple[str, str, list[A]]] = [
    ("F01", "Al Jazeera", [
        {"metric": "zone_share_pct", "zone": "east", "value": "58",
         "note": "58 % on the day of the ceasefire, read in a Persian-language summary; "
                 "checked against the 19 Oct 2025 line, the first with geometry."}]),
    ("F02", "Hamas statement", [
        {"suffix": "a", "metric": "zone_area_km2", "zone": "west", "value": "155",
         "version": "2025-10-04",
         "note": "155 km² inside the line is the White House map of 4 Oct 2025 (as C01-a): "
                 "a version with no public geometry."},
        {"suffix": "b", "metric": "zone_share_pct", "zone": "east", "value": "58",
         "approx": True, "version": "2025-10-04",
         "note": "'About 58 %' is tied to the same 4 Oct 2025 map."},
        {"suffix": "c", "metric": "percent_of", "part": "210", "whole": "365", "value": "58",
         "approx": True, "derived": True,
         "note": "Derived: the ledger's own arithmetic (365 - 155 = 210 of 365 km²); the "
                 "statement gives neither 210 nor 365."}]),
    ("F03", "Al Jazeera verification piece", [
        {"suffix": "a", "metric": "zone_share_pct", "zone": "east", "value": "58",
         "note": "'Roughly' makes it approximate."},
        {"suffix": "b", "metric": "none", "value": "40", "approx": True,
         "reason": "a count of military positions beyond the line: no public geometry of "
                   "the positions"}]),
    ("F04", "APA (photo caption)", [
        {"metric": "zone_share_pct", "zone": "west", "value": "47",
         "note": "'The line surrounds about 47 %' is ambiguous; 47 % is the western share "
                 "(the land the line encloses on the coast side)."}]),
    ("F05", "alresalah.ps", [
        {"metric": "zone_share_pct", "zone": "west", "op": "<=", "value": "42",
         "note": "'At most 42 %' for the Palestinians: the western zone (implies at least "
                 "58 % east)."}]),
    ("F06", "Akhbar al-Youm", [
        {"metric": "zone_share_pct", "zone": "east", "value": "58",
         "note": "From agencies, about Dec 2025; the 19 Oct 2025 line is the version in "
                 "force with geometry."}]),
    ("F07", "Gaza Government Media Office (director Ismail al-Thawabta)", []),
    ("F08", "Haaretz", [
        {"metric": "zone_share_pct", "zone": "east", "value": "54",
         "note": "Read in a summary (which also cites Forensic Architecture: 13 new outposts "
                 "by mid-December)."}]),
    ("F09", "Giovanni Legorano", [
        {"metric": "zone_share_pct", "zone": "east", "value": ["53", "58"],
         "note": "A range of estimates: consistent when the computed interval meets it."}]),
    ("F10", "Israeli cabinet (Netanyahu and Katz)", [
        {"suffix": "a", "metric": "zone_share_pct", "zone": "east", "value": "60",
         "line": "orange-line@2026-05",
         "note": "A total across two lines (yellow and orange): the orange line of May 2026 "
                 "has no public geometry."},
        {"suffix": "b", "metric": "sum", "values": ["53", "7"], "value": "60", "approx": True,
         "note": "The split the summary gives: yellow ~53 % + orange ~7 %."}]),
    ("F11", "Netanyahu", [
        {"suffix": "a", "metric": "zone_share_pct", "zone": "east", "value": "60",
         "approx": True, "line": "orange-line@2026-05",
         "note": "The same total as F10, split differently; no public geometry."},
        {"suffix": "b", "metric": "sum", "values": ["53", "11"], "value": "60", "approx": True,
         "note": "The split the summary gives: 53 % + 11 % restricted."}]),
]


def found_claims(rows: list[dict[str, str]]) -> list[A]:
    """The claims of claims_found_2026-12.csv (dates, outlets, the site seen, no URL)."""
    if len(rows) != len(FOUND_ASSERTIONS):
        raise SystemExit(f"claims_found: {len(rows)} rows for {len(FOUND_ASSERTIONS)} entries. "
                         "Fix: add the new rows to FOUND_ASSERTIONS in scripts/build_ledger.py")
    out: list[A] = []
    for row, (fid, outlet, assertions) in zip(rows, FOUND_ASSERTIONS, strict=True):
        if row["outlet"].strip() != outlet:
            raise SystemExit(f"claims_found {fid}: outlet {row['outlet']!r}, expected "
                             f"{outlet!r}. Fix: keep FOUND_ASSERTIONS in the CSV's order")
        seen = row["seen_in"].strip()
        site = seen.split()[0]
        for a in assertions:
            a = dict(a)
            suffix = a.pop("suffix", None)
            out.append({"id": f"{fid}-{suffix}" if suffix else fid,
                        "text": row["text_or_summary"].strip(),
                        "source": f"{outlet}, seen on {seen} (no URL recorded)",
                        "outlet": outlet, "copy": "original" if site == outlet else "summary",
                        "date": row["date"].strip(), "url": "", "seen_at": site, **a})
    return out


ORDER = ("id", "text", "source", "outlet", "copy", "date", "url", "seen_at", "metric",
         "zone", "governorate", "with", "width_m", "line", "version", "boundary",
         "line_version",
         "version_date", "denominator_km2", "part", "whole", "values", "stat", "at",
         "readings", "op", "value", "approx", "derived", "reason", "note")


def _toml(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml(x) for x in v) + "]"
    s = str(v).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{s}"'


def provenance(cid: str, row: dict[str, str]) -> A:
    """outlet, copy, url (the original only) and seen_at (the copy) of a CSV row."""
    copy = row["copy"].strip()
    if copy not in ("original", "mirror", "summary"):
        raise SystemExit(f"{cid}: copy {copy!r} is not original, mirror or summary")
    out: A = {"outlet": row["outlet"].strip(), "copy": copy}
    if copy == "original":
        out["url"] = row["url"]
    else:
        out["url"] = ORIGINAL_URLS.get(cid, "")
        seen = SEEN_AT.get(cid, row["url"])
        if seen and seen != out["url"]:
            out["seen_at"] = seen
    return out


def claims(rows: dict[str, dict[str, str]], assertions: dict[str, list[A]] = ASSERTIONS,
           extra: bool = True) -> list[A]:
    out: list[A] = []
    missing = sorted(set(rows) - set(assertions))
    if missing:
        raise SystemExit(f"CSV ids without an assertion: {', '.join(missing)}. "
                         "Fix: add them to ASSERTIONS in scripts/build_ledger.py")
    for cid, row in rows.items():
        for a in assertions[cid]:
            a = dict(a)
            suffix = a.pop("suffix", None)
            out.append({"id": f"{cid}-{suffix}" if suffix else cid, "text": row["quote"],
                        "source": row["source"], "date": row["date"],
                        **provenance(cid, row), **a})
    if extra:
        for e in EXTRA:
            out.append({"text": GMO_TEXT, **GMO, **e})
        out.append(dict(BUFFER))
    return out


def render(items: list[A], csv_name: str) -> str:
    lines = [
        "# gazamap: published claims about the partition, as a ledger.",
        "# GENERATED by scripts/build_ledger.py from",
        f"# {csv_name}",
        "# (+ the GMO figures of route_description.md, section 3, and its buffer zone of",
        "# section 6). Do not edit by hand: edit the script and rerun. url is the original",
        "# publication when known; seen_at is the copy (mirror or summary) where the text",
        "# was read.",
        "# Claims that name no `line` are checked against the default line",
        "# (yellow-line@2025-10-19) or --line. Lines named here that gazamap has no geometry",
        "# for make their claims not-checkable, with the reason.",
        "",
        "[ledger]",
        'title = "Published claims about the yellow line"',
        'description = "Quantitative statements from news, UN, government and reference '
        'sources (Oct 2025 - Jun 2026), from claims_public.csv and claims_found_2026-12.csv. '
        'The tool judges them; it does not take them as true."',
    ]
    for it in items:
        lines += ["", "[[claim]]"]
        keys = [k for k in ORDER if k in it] + sorted(k for k in it if k not in ORDER)
        lines += [f"{k} = {_toml(it[k])}" for k in keys]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", type=Path, default=SHARED / "claims_public.csv")
    ap.add_argument("--versions", type=Path, default=SHARED / "claims_versions_no_geometry.csv")
    ap.add_argument("--found", type=Path, default=SHARED / "claims_found_2026-12.csv")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--check", action="store_true",
                    help="exit 1 if the ledger on disk differs from a fresh build")
    args = ap.parse_args(argv)
    with open(args.csv, encoding="utf-8", newline="") as fh:
        rows = {r["id"]: r for r in csv.DictReader(fh)}
    with open(args.versions, encoding="utf-8", newline="") as fh:
        versions = {r["id"]: r for r in csv.DictReader(fh)}
    with open(args.found, encoding="utf-8", newline="") as fh:
        found = list(csv.DictReader(fh))
    items = (claims(rows) + claims(versions, VERSION_ASSERTIONS, extra=False)
             + found_claims(found))
    text = render(items, f"{args.csv.name}, {args.versions.name} and {args.found.name}")
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print(f"{args.out}: {'up to date' if same else 'OUT OF DATE'}")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
