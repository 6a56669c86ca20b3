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
from typing import Any, Literal

import shapely

from geo.areas import AreaReport, compute_areas
from geo.errors import InputError
from geo.sources import DEFAULT_BOUNDARY, DEFAULT_LINE, Source, looks_like_path, resolve
from layers._text import LANGS
from layers.base import Layer
from maps.html import CSS_LENGTH_RE, Mode

__all__ = ["MapOptions", "MapBuild", "RenderedMap", "build_map_layers", "render_map_html",
           "render_map", "map_id_for", "input_paths", "render_output", "MAP_ID_RE",
           "NOTEBOOK_MAP_PX"]

MAP_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,39}$")
_FORMAT_VERSION = "gazamap-map-1"  # bump when the HTML for the same inputs changes


@dataclass(frozen=True)
class MapOptions:
    """Everything a map depends on. The same options give byte-identical HTML.

    Parameters
    ----------
    line : str or geo.sources.Source or None
        Dividing line: dataset id (``yellow-line@2025-10-19``), file path, or a resolved
        source. ``None`` means the default line.
    boundary : str or geo.sources.Source
        Outline to partition (default ``gaza-outline``).
    compare : str or geo.sources.Source or None
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
        Keyword arguments for reading user files (``geo.io.read_features``).
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

    def __post_init__(self) -> None:
        if self.lang not in LANGS:
            raise InputError(f"language {self.lang!r} is not supported", source="--lang",
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
    """The layers of a map with the report they were made from."""

    layers: list[Layer]
    report: AreaReport
    compare_report: AreaReport | None
    title: str
    map_id: str


def _source(spec: str | Source | None, kind: str, default: str,
            read_options: Mapping[str, Any]) -> Source:
    if isinstance(spec, Source):
        return spec
    return resolve(spec or default, kind, **dict(read_options))


def input_paths(options: MapOptions) -> tuple[str, ...]:
    """The input arguments that are files (an output must never overwrite them)."""
    out = []
    for spec in (options.line, options.boundary, options.compare):
        if isinstance(spec, Source):
            if spec.file:
                out.append(spec.file)
        elif spec and looks_like_path(spec):
            out.append(spec)
    out += [str(p) for p in options.user_layers]
    return tuple(out)


def _digest_source(h: Any, src: Source | None) -> None:
    if src is None:
        h.update(b"-")
        return
    h.update(src.label.encode("utf-8"))
    h.update(shapely.to_wkb(src.geometry, hex=False, output_dimension=2))


def map_id_for(options: MapOptions, sources: Sequence[Source | None]) -> str:
    """``gz`` + 10 hex digits of a SHA-256 of everything the map depends on."""
    h = hashlib.sha256(_FORMAT_VERSION.encode())
    for src in sources:
        _digest_source(h, src)
    for p in options.user_layers:
        h.update(str(Path(p).name).encode("utf-8"))
        h.update(Path(p).read_bytes() if Path(p).is_file() else b"")
    h.update(repr((options.layers, options.offline, options.tiles, options.title,
                   options.lang, options.mode, options.height, options.uncertainty_m,
                   sorted(options.read_options.items()))).encode("utf-8"))
    return "gz" + h.hexdigest()[:10]


def _default_title(report: AreaReport, lang: str) -> str:
    """The line in words, not its id (issue 10); "%" bound to its number by a no-break space."""
    from layers._provenance import provenance_of
    from layers._text import line_words

    ref = report.line.get("dataset")
    file = Path(str(report.line.get("file"))).name if report.line.get("file") else None
    words = line_words(ref, title=str(provenance_of(report.line).get("title") or ""),
                       file=file, lang=lang)
    east = report.zone("east")
    share = f"{east['share_pct']:.1f}\u00a0%"
    if lang == "ar":
        return f"قطاع غزة: المنطقتان شرق وغرب {words}، الشرقية {share} من المساحة"
    return f"Gaza Strip: zones east and west of {words} (east {share} of the outline)"


def build_map_layers(options: MapOptions) -> MapBuild:
    """Resolve the inputs, compute the areas and make the layers (no HTML yet).

    The static renderer takes ``build_map_layers(options).layers``.
    """
    from layers.build import default_layers
    from layers.user import user_layer

    ro = options.read_options
    boundary = _source(options.boundary, "boundary", DEFAULT_BOUNDARY, ro)
    line = _source(options.line, "line", DEFAULT_LINE, ro)
    compare = (_source(options.compare, "line", DEFAULT_LINE, ro)
               if options.compare is not None else None)
    report = compute_areas(boundary, line, uncertainty_m=options.uncertainty_m)
    compare_report = (compute_areas(boundary, compare) if compare is not None else None)
    users = [user_layer(p, index=i, read_options=ro)
             for i, p in enumerate(options.user_layers)]
    layers = default_layers(report, compare_report=compare_report, user_layers=users,
                            include=options.layers, offline=options.offline,
                            lang=options.lang)
    title = options.title if options.title else _default_title(report, options.lang)
    map_id = options.map_id or map_id_for(options, (boundary, line, compare))
    return MapBuild(layers, report, compare_report, title, map_id)


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
    zones = tuple((str(z["id"]), float(z["area_km2"]), float(z["share_pct"]))
                  for z in build.report.zones)
    return RenderedMap(html, opts, title=build.title, zones=zones)


def render_map_html(options: MapOptions | None = None) -> str:
    """The map as HTML text: a page, a fragment or an iframe snippet (``options.mode``).

    Deterministic: the same options (and input files) give the same string. Nothing is
    written to disk; write the result with :func:`geo.outputs.write_atomic`.
    """
    opts = options or MapOptions()
    return _render_build(build_map_layers(opts), opts)


def _render_build(build: MapBuild, opts: MapOptions) -> str:
    from maps.html import assemble
    from maps.interactive import render_parts

    parts = render_parts(build.layers, report=build.report.to_dict(), map_id=build.map_id,
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
    build = build_map_layers(options)
    data: bytes = render_static(build.layers, fmt=fmt, title=build.title, lang=options.lang,
                                width_px=width_px, height_px=height_px)
    return data
