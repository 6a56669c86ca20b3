"""Count or tag a layer in the zones of an analysis (what ``gazamap.count`` runs).

The analysis does not import this wing: it knows its zones and bands, and the counting
reads them (:func:`geo.count.zone_set_from_analysis`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from geo.count import LayerCount, count_layer, zone_set_from_analysis
from geo.read.sources import layer_input

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from geo.analysis.model import Analysis

__all__ = ["count_in_zones", "tag_in_zones"]


def count_in_zones(analysis: Analysis, layer: str, *, sum_fields: Sequence[str] = (),
                   split_area: bool = False, read_options: Mapping[str, Any] | None = None,
                   **engine: Any) -> LayerCount:
    """What of a layer (points, or polygons by representative point) lies in each zone.

    Parameters
    ----------
    analysis : geo.analysis.Analysis
        The zones and their ±u bands (the count's interval is the area interval's).
    layer : str
        A packaged dataset id or a file (any format ``gazamap count`` reads).
    sum_fields : sequence of str
        Numeric fields summed per zone, exactly.
    split_area : bool
        Give each polygon's area in each zone instead of counting it at one point.
    read_options : mapping, optional
        Read options of the layer (default: the analysis's request's).
    **engine
        :func:`geo.count.count_layer`'s ``engine``, ``workers``, ``scheduler``, ``labels``.

    Returns
    -------
    LayerCount
        Counts with their ±u interval, sums, per governorate and outside.
    """
    li = layer_input(layer, analysis.request.catalog,
                     **dict(read_options or analysis.request.read.kwargs()))
    result = count_layer(li.path, zone_set_from_analysis(analysis), sum_fields=sum_fields,
                         split_area=split_area, read_options=li.read, **engine)
    if li.dataset is not None:  # name the dataset, not the packaged file
        result = replace(result, layer=replace(result.layer, dataset=li.name))
    return result


def tag_in_zones(analysis: Analysis, gdf: Any) -> Any:
    """A copy of the (dask-)GeoDataFrame with ``zone``, ``governorate`` and ``in_band`` columns.

    Parameters
    ----------
    analysis : geo.analysis.Analysis
        The zones to tag with.
    gdf : geopandas.GeoDataFrame or dask_geopandas.GeoDataFrame
        Any CRS; rows are tagged in lon/lat and keep their CRS.

    Returns
    -------
    GeoDataFrame
        The same rows with the three columns added.
    """
    from geo.count.tag import tag_frame

    return tag_frame(gdf, zone_set_from_analysis(analysis))
