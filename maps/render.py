"""The public map API: ``render_map_html(MapOptions(...)) -> str`` and a notebook object.

Other code embeds gazamap maps through this module only, e.g. a report::

    from maps.render import MapOptions, render_map_html
    html = render_map_html(MapOptions(mode="fragment", offline=True))

The signature of :func:`render_map_html` and the fields of :class:`MapOptions` are a
stable contract: fields may be added (with defaults), none removed or renamed.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import shapely

from geo.analysis import Analysis, analyse
from geo.analysis.request import LineSpec, ReadOptions, Request
from geo.errors import InputError
from geo.read.sources import DEFAULT_BOUNDARY, DEFAULT_LINE, Source, looks_like_path
from layers._text import LANGS
from layers.base import Layer
from maps.html import CSS_LENGTH_RE, Mode

if TYPE_CHECKING:
    from geo.compare import Comparison

__all__ = ["MapOptions", "MapBuild", "RenderedMap", "build_map_layers", "render_map_html",
           "render_map", "map_id_for", "input_paths", "render_output", "MAP_ID_RE",
           "NOTEBOOK_MAP_PX"]

MAP_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,39}\Z")
_FORMAT_VERSION = "gazamap-map-1"  # bump when the HTML for the same inputs changes


@dataclass(frozen=True)
class MapOptions:
    """Everything a map depends on. The same options give byte-identical HTML.

    Parameters
    ----------
    line : str or geo.read.sources.Source or None
        Dividing line: dataset id (``yellow-line@2025-10-19``), file path, or a resolved
        source. ``None`` means the default line.
    boundary : str or geo.read.sources.Source
        Outline to partition (default ``gaza-outline``).
    compare : str or geo.read.sources.Source or None
        A second line: both drawn, the area between them highlighted with its km².
    user_layers : tuple of paths
        GeoJSON files drawn as layers, their properties (as text) in tooltips.
    layers : tuple of str or None
        Layer ids or kinds to include (``None``: all default layers).
    offline : bool
        No tiles: packaged neighbouring land on a sea colour; the page makes no request.
    tiles : str
        xyzservices provider name when online (default ``OpenStreetMap.Mapnik``).
    title : str or None
        Page title and heading (plain text); default names the line.
    lang : {"en", "ar"}
        Language of the page (``ar`` sets ``dir="rtl"``).
    mode : {"page", "fragment", "iframe"}
        A full document, a ``<div>`` to paste into a page, or an ``<iframe srcdoc>``.
    map_id : str or None
        Prefix of every id and script name; default derived from a hash of the inputs.
        Give distinct ids to embed the same map twice on one page.
    height : str
        CSS height of the map (``72vh``, ``600px``...).
    uncertainty_m : float or None
        Positional uncertainty of the line (default: the catalog's).
    read_options : mapping
        Keyword arguments for reading user files (``geo.read.io.read_features``).
    request : geo.analysis.request.Request or None
        The whole request (several lines, markers, data directories, tolerances); when
        given it replaces ``line``, ``boundary``, ``uncertainty_m`` and ``read_options``.
    analysis : geo.analysis.Analysis or None
        An analysis already computed (e.g. by a report): the map draws it as it is.
    aggregate_above : int or None
        A user layer of more points than this is drawn as hexagonal bins (default
        ``layers.aggregate.AGGREGATE_ABOVE``).
    """

    line: str | Source | None = DEFAULT_LINE
    boundary: str | Source = DEFAULT_BOUNDARY
    compare: str | Source | None = None
    user_layers: tuple[str | Path, ...] = ()
    layers: tuple[str, ...] | None = None
    offline: bool = False
    tiles: str = "OpenStreetMap.Mapnik"
    title: str | None = None
    lang: Literal["en", "ar"] = "en"
    mode: Mode = "page"
    map_id: str | None = None
    height: str = "72vh"
    uncertainty_m: float | None = None
    read_options: Mapping[str, Any] = field(default_factory=dict)
    request: Request | None = None
    analysis: Analysis | None = field(default=None, compare=False)
    aggregate_above: int | None = None

    def __post_init__(self) -> None:
        if self.lang not in LANGS:
            raise InputError(f"language {self.lang!r} is not supported", source="lang",
                             fix=f"use one of {', '.join(LANGS)}")
        if self.mode not in ("page", "fragment", "iframe"):
            raise InputError(f"mode {self.mode!r} is unknown",
                             fix="use page, fragment or iframe")
        if self.map_id is not None and not MAP_ID_RE.match(self.map_id):
            raise InputError(f"map id {self.map_id!r} is not an identifier",
                             source="map_id", fix="use a letter then letters, digits or _")
        if not CSS_LENGTH_RE.match(self.height):
            raise InputError(f"height {self.height!r} is not a CSS length",
                             fix="give e.g. 600px or 72vh")


@dataclass
class MapBuild:
    """The layers of a map with the analysis (and comparison) they were made from."""

    layers: list[Layer]
    analysis: Analysis
    comparison: Comparison | None
    title: str
    map_id: str


def _spec(spec: str | Source | None, default: str) -> str:
    if isinstance(spec, Source):
        return spec.file or spec.ref
    return spec or default


def map_request(options: MapOptions) -> Request:
    """The request a map draws: ``options.request``, or one built from the simple fields."""
    if options.request is not None:
        return options.request
    if options.analysis is not None:
        return options.analysis.request
    ro = dict(options.read_options)
    return Request(boundary=_spec(options.boundary, DEFAULT_BOUNDARY),
                   lines=(LineSpec(_spec(options.line, DEFAULT_LINE),
                                   uncertainty_m=options.uncertainty_m),),
                   read=ReadOptions(**ro))


def input_paths(options: MapOptions) -> tuple[str, ...]:
    """The input files of a map (an output must never overwrite them)."""
    extra: list[str] = [str(p) for p in options.user_layers]
    if isinstance(options.compare, str) and looks_like_path(options.compare):
        extra.append(options.compare)
    return map_request(options).input_files(extra)


def map_id_for(options: MapOptions, analyses: Sequence[Analysis | None]) -> str:
    """``gz`` + 10 hex digits of a SHA-256 of everything the map depends on."""
    h = hashlib.sha256(_FORMAT_VERSION.encode())
    for a in analyses:
        if a is None:
            h.update(b"-")
            continue
        h.update(repr(a.provenance.datasets).encode("utf-8"))
        for z in a.zones:
            h.update(z.id.encode("utf-8"))
            h.update(shapely.to_wkb(z.geometry, hex=False, output_dimension=2))
        for ln in a.lines:
            h.update(repr(ln.uncertainty_m).encode("utf-8"))
    for p in options.user_layers:
        h.update(str(Path(p).name).encode("utf-8"))
        h.update(Path(p).read_bytes() if Path(p).is_file() else b"")
    h.update(repr((options.layers, options.offline, options.tiles, options.title,
                   options.lang, options.mode, options.height,
                   options.aggregate_above)).encode("utf-8"))
    return "gz" + h.hexdigest()[:10]


def _default_title(analysis: Analysis, lang: str) -> str:
    """The line in words, not its id (issue 10); "%" bound to its number by a no-break space."""
    from layers._text import line_words

    def words(i: int) -> str:
        ln = analysis.lines[i]
        ds = ln.source.dataset
        if ds is None:  # a user's file: "your line (FILE)", or the name its feature gives
            from layers.zones import line_name

            return line_name(ln.source, lang)
        return line_words(ds.ref, title=ds.title, lang=lang)

    east = analysis.zone("east")
    share = f"{east.share_pct:.1f}\u00a0%"
    if len(analysis.lines) > 1:
        names = " / ".join(words(i) for i in range(len(analysis.lines)))
        # zones in words, never their ids (issue 18): east, between (lines k and k+1), west
        def short(zid: str) -> str:
            if not zid.startswith("between-"):
                return zid
            k = int(zid.rsplit("-", 1)[1])
            return "between" if len(analysis.lines) == 2 else f"between lines {k} and {k + 1}"

        shares = ", ".join(f"{short(z.id)} {z.share_pct:.1f}\u00a0%" for z in analysis.zones)
        if lang == "ar":
            return f"قطاع غزة: {len(analysis.zones)} مناطق بين الخطوط {names} ({shares})"
        return (f"Gaza Strip: {len(analysis.zones)} zones divided by {names} "
                f"({shares} of the outline)")
    if lang == "ar":
        return f"قطاع غزة: المنطقتان شرق وغرب {words(0)}، الشرقية {share} من المساحة"
    return f"Gaza Strip: zones east and west of {words(0)} (east {share} of the outline)"


def build_map_layers(options: MapOptions) -> MapBuild:
    """Analyse the inputs once (or take ``options.analysis``) and make the layers.

    The user layers are read by geo (:func:`geo.read.sources.read_layer`), the line to compare
    with is analysed and compared by geo (:func:`geo.compare.compare_analyses`); the
    layers draw them. The static renderer takes ``build_map_layers(options).layers``.
    """
    from geo.compare import compare_analyses
    from geo.read.sources import layer_input, read_layer
    from layers.aggregate import AGGREGATE_ABOVE
    from layers.build import default_layers
    from layers.user import user_layer

    request = map_request(options)
    analysis = options.analysis if options.analysis is not None else analyse(request)
    compare = None
    if options.compare is not None:
        compare = analyse(Request(
            boundary=request.boundary, lines=(LineSpec(_spec(options.compare, DEFAULT_LINE)),),
            data_dirs=request.data_dirs, read=request.read,
            snap_tolerance_m=request.snap_tolerance_m, controlled_at=request.controlled_at,
            allow_sliver=request.allow_sliver, governorates=False, alternatives=False,
            outlines=False, population=False))
    ro = request.read.kwargs()
    above = AGGREGATE_ABOVE if options.aggregate_above is None else options.aggregate_above
    users = [user_layer(read_layer(layer_input(str(p), request.catalog, **ro),
                                   features_up_to=above), index=i, aggregate_above=above)
             for i, p in enumerate(options.user_layers)]
    comparison = compare_analyses(analysis, compare) if compare is not None else None
    layers = default_layers(analysis, comparison=comparison, user_layers=users,
                            include=options.layers, offline=options.offline,
                            lang=options.lang)
    title = options.title if options.title else _default_title(analysis, options.lang)
    map_id = options.map_id or map_id_for(options, (analysis, compare))
    return MapBuild(layers, analysis, comparison, title, map_id)


# In a notebook the page's map gets a height in px (a vh height inside an iframe is a
# share of the iframe, not of the screen) and the iframe that much plus room for the
# title, so that the map shows whole and the area table follows on scrolling.
NOTEBOOK_MAP_PX = 520
NOTEBOOK_CHROME_PX = 130


@dataclass(frozen=True, repr=False)
class RenderedMap:
    """Rendered map HTML that notebooks display as an iframe (``_repr_html_`` only).

    ``repr()`` is one short line (title, zones with their figures, size): Jupyter
    stores it as the ``text/plain`` copy of the output, which must not be a second
    copy of the page.
    """

    html: str
    options: MapOptions
    title: str = ""
    zones: tuple[tuple[str, float, float], ...] = ()  # (id, area_km2, share_pct)

    def _repr_html_(self) -> str:
        from maps.html import iframe_from_page

        if self.options.mode != "page":
            return self.html  # an iframe snippet or a fragment is embeddable as it is
        m = re.fullmatch(r"(\d+(?:\.\d+)?)px", self.options.height)
        map_px = float(m.group(1)) if m else NOTEBOOK_MAP_PX
        return iframe_from_page(self.html, frame_id=f"{_map_id_of(self.html)}-frame",
                                title=self.title,
                                height=f"{map_px + NOTEBOOK_CHROME_PX:g}px")

    def __repr__(self) -> str:
        figures = ", ".join(f"{z} {share:.1f} % ({km2:.1f} km²)" for z, km2, share in self.zones)
        title = self.title if len(self.title) <= 80 else self.title[:79] + "…"
        return (f"<RenderedMap {title!r}: {figures}; {self.options.mode}, "
                f"{len(self.html.encode('utf-8')) / 1024:.0f} KB>")

    def __str__(self) -> str:
        return self.html


def _map_id_of(page: str) -> str:
    m = re.search(r'<div class="gz" id="([A-Za-z][A-Za-z0-9_]*)"', page)
    return m.group(1) if m else "gz"


def render_map(options: MapOptions | None = None) -> RenderedMap:
    """Like :func:`render_map_html` but returns an object that notebooks display.

    A page whose height is not in px is drawn :data:`NOTEBOOK_MAP_PX` high, to fit the
    notebook's iframe.
    """
    from dataclasses import replace

    opts = options or MapOptions()
    if opts.mode == "page" and not opts.height.endswith("px"):
        opts = replace(opts, height=f"{NOTEBOOK_MAP_PX}px")
    build = build_map_layers(opts)
    html = _render_build(build, opts)
    zones = tuple((z.id, z.area_km2, z.share_pct) for z in build.analysis.zones)
    return RenderedMap(html, opts, title=build.title, zones=zones)


def render_map_html(options: MapOptions | None = None) -> str:
    """The map as HTML text: a page, a fragment or an iframe snippet (``options.mode``).

    Deterministic: the same options (and input files) give the same string. Nothing is
    written to disk; write the result with :func:`geo.write.outputs.write_output`.
    """
    opts = options or MapOptions()
    return _render_build(build_map_layers(opts), opts)


def _render_build(build: MapBuild, opts: MapOptions) -> str:
    from maps.html import assemble
    from maps.interactive import render_parts

    parts = render_parts(build.layers, report=build.analysis, map_id=build.map_id,
                         title=build.title, lang=opts.lang, offline=opts.offline,
                         tiles=opts.tiles, height=opts.height)
    return assemble(parts, opts.mode)


def render_output(options: MapOptions, fmt: Literal["html", "png", "svg"] = "html", *,
                  width_px: int = 1200, height_px: int = 1400) -> str | bytes:
    """The map in ``fmt``: HTML text (:func:`render_map_html`) or PNG/SVG bytes.

    PNG and SVG come from the static renderer (``maps.static.render_static``), which
    draws the same layers with the same styles.
    """
    if fmt == "html":
        return render_map_html(options)
    if fmt not in ("png", "svg"):
        raise InputError(f"format {fmt!r} is unknown", source="--format",
                         fix="use html, png or svg")
    if options.mode != "page":
        raise InputError(f"--{options.mode} applies to HTML only, not {fmt}",
                         source="--format", fix="drop --fragment/--iframe or use --format html")
    try:
        from maps.static import render_static  # type: ignore[attr-defined,unused-ignore]
    except ModuleNotFoundError as exc:
        if exc.name != "maps.static":
            raise
        raise InputError(f"{fmt.upper()} output is not available in this installation",
                         source="--format", fix="use --format html") from None
    from maps.interactive import map_description

    build = build_map_layers(options)
    data: bytes = render_static(build.layers, fmt=fmt, title=build.title, lang=options.lang,
                                width_px=width_px, height_px=height_px,
                                description=map_description(build.title, build.analysis,
                                                            options.lang))
    return data
