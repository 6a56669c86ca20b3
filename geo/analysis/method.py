"""How the figures were computed, in words: the method text every output carries.

>>> polygon_edge_moved("±300 m").endswith("outline's exterior) moved by ±300 m")
True
"""

from __future__ import annotations

import platform
from collections.abc import Sequence

import shapely

from geo.analysis.bands import ZONE_EDGE_CLEARANCE_M
from geo.analysis.model import AnalysisMethod, LineResult
from geo.analysis.request import Request
from geo.geometry.borders import TRIPOINT_RULE
from geo.geometry.crs import DENSIFY_DEG, LAEA_GAZA
from geo.geometry.measure import ELLIPSOID
from geo.geometry.partition import Partition
from geo.geometry.snap import ALONG_FACTOR, ALONG_SLACK_M, DIRECTION_BASE_M
from geo.read.sources import GOVERNORATES, NEIGHBOURS

__all__ = ["alternative_explanation", "interval_method", "method_text", "polygon_edge_moved",
           "software"]


def polygon_edge_moved(words: str) -> str:
    """The zone polygon's dividing edge moved by an uncertainty given in ``words``."""
    return (f"the zone polygon's dividing edge (its boundary farther than "
            f"{ZONE_EDGE_CLEARANCE_M:g} m from the outline's exterior) moved by {words}")


def alternative_explanation(difference_km2: float, polygon_km2: float) -> str:
    """Why the zone polygon's east zone differs from the line's by ``difference_km2``."""
    if difference_km2 >= 0:
        return (
            f"The zone polygon intersected with the outline gives an east zone "
            f"{difference_km2:.2f} km² smaller than the line does: the polygon's eastern and "
            "southern edges were drawn on another dataset's border, which strays from this "
            "outline along the fence and the coast, so slivers of the outline fall outside "
            "the polygon. The line method counts all land east of the line; the polygon alone "
            f"({polygon_km2:.2f} km², without the outline) is what a share of 365 km² was "
            "computed from.")
    return (
        f"The zone polygon intersected with the outline gives an east zone "
        f"{-difference_km2:.2f} km² larger than the line does: the polygon reaches west of the "
        "line somewhere (its western edge and the line were digitised separately). "
        f"The polygon alone measures {polygon_km2:.2f} km².")


def interval_method(lines: Sequence[LineResult], method: str) -> str:
    """How the zones' intervals were computed, in words (``no interval: ...`` without one)."""
    stated = [f"{ln.ref} {ln.uncertainty_words}" for ln in lines if ln.uncertainty_m]
    if not stated:
        return "no interval: no line has a stated positional uncertainty"
    if method == "zone-polygon":
        return (f"{polygon_edge_moved(lines[0].uncertainty_words)}: the land in the band it "
                "sweeps changes zone")
    return ("each line moved toward Israel and toward the coast by its uncertainty ("
            + "; ".join(stated) + "): the land of the outline in the one-sided band a line "
            "sweeps (local LAEA, round joins) changes to the neighbouring zone (toward the "
            "coast: to the zone east of the line); a zone between two lines combines the "
            "intervals of its edges")


def method_text(request: Request, lines: Sequence[LineResult], part: Partition,
                planar_km2: float, rel: float, denoms: Sequence[float],
                interval_words: str) -> AnalysisMethod:
    """The method of every figure in words: the ``method`` object of the JSON contract."""
    tol = request.snap_tolerance_m
    split = ("zones are cut in the local Lambert azimuthal equal-area CRS; "
             f"line ends inside the outline are joined to its exterior ring within "
             f"{tol:g} m (along the line's last {DIRECTION_BASE_M:g} m when that meets the "
             f"outline within {ALONG_FACTOR:g} times the nearest distance plus "
             f"{ALONG_SLACK_M:g} m, else to the nearest point of the ring); the zones are "
             "checked to cover the outline without overlap (relative mismatch below 1e-9)")
    if part.method == "zone-polygon":
        split = ("east = the outline intersected with the zone polygon, west = the rest "
                 "(local Lambert azimuthal equal-area CRS); checked to cover the outline "
                 "without overlap")
    return AnalysisMethod(
        area=(f"geodesic area on the {ELLIPSOID} ellipsoid (pyproj.Geod."
              "polygon_area_perimeter, ring by ring: exterior added, holes subtracted, "
              "whatever their orientation), edges "
              f"densified to {DENSIFY_DEG} degree so that they follow the lon/lat edges of "
              "the data (RFC 7946)"),
        ellipsoid=ELLIPSOID,
        densify_deg=DENSIFY_DEG,
        split_crs=LAEA_GAZA,
        split=split,
        east_zone=f"the zone behind the first line, under military control: "
                  f"{part.controlled_by}",
        zones=("ordered from the Israel border westward: east, between-1 ... "
               "between-(N-1), west" if len(lines) > 1 else "east and west of the line"),
        borders=("outline edges within 100 m of the packaged Israel or Egypt land are "
                 f"borders with that country ({TRIPOINT_RULE}); the rest of the exterior "
                 "is sea; inland ponds are not borders"),
        cross_check_crs=LAEA_GAZA,
        planar_area_km2=planar_km2,
        relative_difference=rel,
        uncertainty=interval_words,
        snap_tolerance_m=tol,
        denominators_km2=tuple(denoms),
        borders_dataset=NEIGHBOURS,
        governorates_dataset=GOVERNORATES,
    )


def software() -> dict[str, str]:
    """The versions of the software that computed the figures."""
    import numpy
    import pyproj

    import geo

    # versions from the modules themselves: importlib.metadata costs 20 ms to import
    return {"gazamap": geo.__version__, "python": platform.python_version(),
            "shapely": shapely.__version__, "GEOS": shapely.geos_version_string,
            "pyproj": pyproj.__version__, "PROJ": pyproj.proj_version_str,
            "numpy": numpy.__version__}
