"""gazamap's public Python API: the one module user code imports.

``geo``, ``layers`` and ``maps`` are gazamap's internal packages (the design's three
rooms); their names also belong to unrelated distributions on PyPI, so user code should
import from here only::

    from gazamap import analyse, Request, render_map, check_ledger

Imports are lazy: ``import gazamap`` loads nothing heavy; numpy, shapely and pyproj are
imported on first use of a name that needs them.

Notes (repairs such as a line end joined to the outline) are issued as
:class:`GazamapNote` warnings and doubtful figures as :class:`GazamapWarning`; silence
both with ``warnings.simplefilter("ignore", gazamap.GazamapNote)`` (every note also stays
in ``Analysis.notes``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from collections.abc import Sequence

    from geo.analysis import Analysis, Interval, Zone, analyse
    from geo.analysis.request import LineSpec, ReadOptions, Request
    from geo.catalog import Catalog
    from geo.claims import Claim, LedgerResult, Verdict, check_ledger, load_ledger
    from geo.compare import Comparison
    from geo.count import LayerCount, Tally, ZoneSet
    from geo.errors import (
        GazamapError,
        GazamapNote,
        GazamapWarning,
        InputError,
        PartitionError,
    )
    from geo.timeline import Timeline
    from maps.render import MapOptions, RenderedMap
    from maps.report import ReportOptions

from geo import __version__ as __version__
from geo._lazy import lazy_exports

# public name -> the internal module that defines it: imported on first access
_LAZY: dict[str, str] = {
    "analyse": "geo.analysis",
    "Analysis": "geo.analysis",
    "Interval": "geo.analysis",
    "Zone": "geo.analysis",
    "Request": "geo.analysis.request",
    "LineSpec": "geo.analysis.request",
    "ReadOptions": "geo.analysis.request",
    "Catalog": "geo.catalog",
    "Comparison": "geo.compare",
    "Timeline": "geo.timeline",
    "LayerCount": "geo.count",
    "check_ledger": "geo.claims",
    "load_ledger": "geo.claims",
    "Claim": "geo.claims",
    "Verdict": "geo.claims",
    "LedgerResult": "geo.claims",
    "MapOptions": "maps.render",
    "RenderedMap": "maps.render",
    "ReportOptions": "maps.report",
    "GazamapError": "geo.errors",
    "InputError": "geo.errors",
    "PartitionError": "geo.errors",
    "GazamapNote": "geo.errors",
    "GazamapWarning": "geo.errors",
}

__all__ = [
    "Analysis",
    "Catalog",
    "Claim",
    "Comparison",
    "GazamapError",
    "GazamapNote",
    "GazamapWarning",
    "InputError",
    "Interval",
    "LayerCount",
    "LedgerResult",
    "LineSpec",
    "MapOptions",
    "PartitionError",
    "ReadOptions",
    "RenderedMap",
    "Timeline",
    "ReportOptions",
    "Request",
    "Verdict",
    "Zone",
    "__version__",
    "analyse",
    "check_ledger",
    "compare",
    "count",
    "datasets",
    "export",
    "timeline",
    "load_ledger",
    "render_map",
    "report",
    "tag",
    "tally_frame",
    "zone_set",
    "claims_chart",
]


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)


def compare(a: str, b: str, *, request: Request | None = None) -> Comparison:
    """Compare line (or zone polygon) ``a`` with ``b`` on the same outline.

    Parameters
    ----------
    a, b : str
        Dataset references (``yellow-line@2025-10-19``) or files.
    request : Request, optional
        The outline, data directories, read options and tolerances (its lines are
        ignored); default: the packaged outline.

    Returns
    -------
    Comparison
        Area that changed zone (geodesic km²), the line's displacement (mean, median,
        max, Hausdorff, in metres) and the places that changed side.
    """
    from geo.compare import compare_lines

    return compare_lines(a, b, request=request)


def count(layer: str, request: Request | None = None, *, analysis: Analysis | None = None,
          **kwargs: Any) -> LayerCount:
    """Count a layer's features (points, or polygons by a point inside) in each zone.

    Parameters
    ----------
    layer : str
        A points or polygons file, a folder of GeoParquet parts, or a dataset id
        (``places``).
    request : Request, optional
        The partition to count in (default: the packaged outline and line).
    analysis : Analysis, optional
        An analysis already made (then ``request`` is not given): count several layers,
        or the same layer on several engines, in one partition.
    **kwargs
        ``sum_fields`` (numeric columns to add up per zone), ``split_area`` (polygons'
        areas split between the zones), ``engine`` (``"local"`` or ``"dask"``),
        ``workers``, ``scheduler``: see :func:`geo.count.zones.count_in_zones`.

    Returns
    -------
    LayerCount
        Per zone the count with its ±u interval, sums, per governorate, and outside.
    """
    from geo.count.zones import count_in_zones

    return count_in_zones(_analysis_of(request, analysis), layer, **kwargs)


def tag(gdf: Any, request: Request | None = None, *, analysis: Analysis | None = None) -> Any:
    """Tag each row of a (dask-)GeoDataFrame with its zone, governorate and band.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame or dask_geopandas.GeoDataFrame
        Rows in any CRS (tagged in lon/lat; the copy keeps the CRS).
    request : Request, optional
        The partition (default: the packaged outline and line).
    analysis : Analysis, optional
        An analysis already made (then ``request`` is not given).

    Returns
    -------
    GeoDataFrame
        A copy with ``zone``, ``governorate`` and ``in_band`` columns.
    """
    from geo.count.zones import tag_in_zones

    return tag_in_zones(_analysis_of(request, analysis), gdf)


def _analysis_of(request: Request | None, analysis: Analysis | None) -> Analysis:
    """The analysis given, or one of ``request``; notes issued as analyse() issues them."""
    from geo.analysis import analyse as _analyse
    from geo.analysis.request import Request as _Request
    from geo.errors import InputError as _InputError

    if analysis is not None:
        if request is not None:
            raise _InputError("give a request or an analysis, not both", source="request",
                              fix="drop the request: the analysis already has one")
        return analysis
    return _analyse(request or _Request())


def zone_set(analysis: Analysis) -> ZoneSet:
    """The zones, governorates and ±u bands of an analysis, prepared for counting.

    Parameters
    ----------
    analysis : Analysis
        From :func:`analyse`.

    Returns
    -------
    geo.count.ZoneSet
        Picklable: send it once to dask workers and tally partitions with
        :func:`tally_frame`.
    """
    from geo.count import zone_set_from_analysis

    return zone_set_from_analysis(analysis)


def tally_frame(gdf: Any, zones: ZoneSet, sum_fields: Sequence[str] = ()) -> Tally:
    """Tally one (dask-)geopandas partition in the zones: the pure core of ``count``.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Points (or other geometries, by a representative point) in any CRS.
    zones : geo.count.ZoneSet
        From :func:`zone_set`.
    sum_fields : sequence of str
        Numeric columns added up per zone, exactly.

    Returns
    -------
    geo.count.Tally
        Tallies add up with ``+``; ``Tally.result()`` gives the counts and intervals.
    """
    from geo.count.engines import tally_frame as _tally_frame

    return _tally_frame(gdf, zones, sum_fields)


def claims_chart(result: LedgerResult, *, lang: str = "en") -> str:
    """The claims chart of a checked ledger as a standalone SVG file's text.

    Parameters
    ----------
    result : LedgerResult
        From :func:`check_ledger`.
    lang : str
        ``"en"`` or ``"ar"``.

    Returns
    -------
    str
        The SVG (every text escaped; an accessible name and title).
    """
    from maps.claims_chart import chart_svg

    return chart_svg(result, standalone=True, lang=lang)


def datasets() -> Catalog:
    """The packaged datasets, and those of ``$GAZAMAP_DATA_DIR``, with provenance.

    Returns
    -------
    Catalog
        Every dataset by id and version (source, date, licence, attribution, method).
    """
    from geo.catalog import default_catalog

    return default_catalog()


def export(out: str, analysis: Analysis, *, include: tuple[str, ...] = ()) -> Any:
    """Write an analysis's zones and lines (and ``include``-d layers) to a file.

    Parameters
    ----------
    out : str
        Output file; the format comes from its extension (.geojson, .gpkg, .kml, .csv),
        written atomically and never over an input.
    analysis : Analysis
        From :func:`analyse`.
    include : tuple of str
        More layers: dataset ids or files.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    from geo.write.export import export_partition
    from layers.styles import export_styles

    # the same styles as `gazamap export` (KML styles, the GeoPackage's layer_styles)
    return export_partition(out, analysis, include=include,
                            styles=export_styles(len(analysis.lines)))


def render_map(options: MapOptions | None = None, **kwargs: Any) -> RenderedMap:
    """Render the layered interactive map (one HTML page, a fragment or an iframe).

    Parameters
    ----------
    options : MapOptions, optional
        Everything the map depends on; or give its fields as keywords
        (``offline=True``, ``request=Request(...)``, ``lang="ar"``...).

    Returns
    -------
    RenderedMap
        ``.html`` (byte-identical for the same inputs), ``.save(path)`` and
        ``_repr_html_`` for notebooks.
    """
    from maps.render import MapOptions as _MapOptions
    from maps.render import render_map as _render_map

    if options is not None and kwargs:
        raise TypeError("give MapOptions or keywords, not both")
    return _render_map(options or _MapOptions(**kwargs))


def report(options: ReportOptions | None = None, **kwargs: Any) -> str:
    """Build a self-contained report: summary, map, area table, claims and methods.

    Parameters
    ----------
    options : ReportOptions, optional
        What the report shows; or its fields as keywords (``ledger="public"``,
        ``request=Request(...)``, ``fmt="markdown"``...).

    Returns
    -------
    str
        The HTML page (or fragment, or Markdown).
    """
    from maps.report import ReportOptions as _ReportOptions
    from maps.report import build_report

    if options is not None and kwargs:
        raise TypeError("give ReportOptions or keywords, not both")
    return build_report(options or _ReportOptions(**kwargs))


def timeline(line_id: str, *, data_dirs: Any = (), **kwargs: Any) -> Timeline:
    """Every dated version of a line, measured as ``areas`` does, and what changed.

    Parameters
    ----------
    line_id : str
        A line id with several versions (``yellow-line``): the packaged ones and those
        of the data directories' catalogs (``kind`` line, zone or markers).
    data_dirs : sequence of str
        Data directories whose catalogs add versions.
    **kwargs
        More options of :func:`geo.timeline.timeline` (``boundary``, ``ledgers``...).

    Returns
    -------
    Timeline
        One Analysis per version in date order, the changes between consecutive
        versions (area moved to each zone, displacement, places) and the stated figures;
        ``to_dict()`` (the JSON contract) and ``to_geodataframe()``.
    """
    from geo.timeline import timeline as _timeline

    return _timeline(line_id, data_dirs=data_dirs, **kwargs)
