"""Words shown on maps, in English and Arabic, and number formats with units."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from geo.analysis.uncertainty import LineUncertainty

__all__ = ["Lang", "LANGS", "t", "km2", "pct", "interval", "date_words", "line_words",
           "CROSSINGS_AR"]

Lang = Literal["en", "ar"]
LANGS: tuple[str, ...] = ("en", "ar")

_AR: dict[str, str] = {
    "Gaza Strip outline": "حدود قطاع غزة",
    "East zone (Israeli military control)": "المنطقة الشرقية (سيطرة عسكرية إسرائيلية)",
    "West zone": "المنطقة الغربية",
    "Zone between lines": "المنطقة بين الخطين",
    "not stated": "غير محدد",
    "Yellow line": "الخط الأصفر",
    "Positional uncertainty of the line": "عدم اليقين في موقع الخط",
    "Governorates": "المحافظات",
    "Municipalities": "البلديات",
    "Places": "أماكن",
    "Place names": "أسماء الأماكن",
    "Inland ponds (water, not counted in the area)": "برك داخلية (مياه، خارج المساحة)",
    "Crossings": "المعابر",
    "Crossings (approximate location)": "المعابر (موقع تقريبي)",
    "Neighbouring land": "الأراضي المجاورة",
    "Area between the two lines": "المساحة بين الخطين",
    "Comparison line": "خط المقارنة",
    "zone": "المنطقة",
    "area": "المساحة",
    "share of the outline": "النسبة من المساحة",
    "interval": "المجال",
    "name": "الاسم",
    "name (Arabic)": "الاسم بالعربية",
    "governorate": "المحافظة",
    "east zone": "المنطقة الشرقية",
    "west zone": "المنطقة الغربية",
    "kind": "النوع",
    "notes": "ملاحظات",
    "source": "المصدر",
    "approximate": "تقريبي",
    "location": "الموقع",
    "yes": "نعم",
    "no": "لا",
    "width": "العرض",
    "line": "الخط",
    "uncertainty": "عدم اليقين",
    "length": "الطول",
    "moved": "انتقل",
    "east of line A only": "شرق الخط أ فقط",
    "east of line B only": "شرق الخط ب فقط",
    "illustrative": "توضيحي",
    "1 km band inside the Israel border (illustrative)":
        "شريط بعرض 1 كم داخل الحدود مع إسرائيل (توضيحي)",
    "100 m band along the Egypt border (Philadelphi, illustrative)":
        "شريط بعرض 100 م على طول الحدود مع مصر (فيلادلفي، توضيحي)",
}


# Arabic names of the packaged crossings (the source dataset has English names only)
CROSSINGS_AR: dict[str, str] = {
    "Erez / Beit Hanoun crossing": "معبر بيت حانون / إيرز",
    "Rafah border crossing": "معبر رفح",
    "Kerem Shalom crossing": "معبر كرم أبو سالم",
    "Karni (al-Muntar) crossing (closed 2011)": "معبر المنطار / كارني، مغلق منذ 2011",
    "Kissufim crossing (approx.)": "معبر كيسوفيم، موقع تقريبي",
    "Zikim crossing / Erez West / As-Siafa (approx.)": "معبر زيكيم / السيافة، موقع تقريبي",
}


def t(text: str, lang: str = "en") -> str:
    """``text`` in ``lang`` (English is the key; unknown words stay English).

    >>> t("Yellow line", "ar")
    'الخط الأصفر'
    >>> t("Yellow line")
    'Yellow line'
    """
    if lang == "ar":
        return _AR.get(text, text)
    return text


def km2(value: float) -> str:
    """An area in km² with two decimals.

    >>> km2(191.234)
    '191.23 km²'
    """
    return f"{value:.2f} km²"


def pct(value: float) -> str:
    """A share in percent with one decimal.

    >>> pct(52.64)
    '52.6 %'
    """
    return f"{value:.1f} %"


def interval(low: float, high: float) -> str:
    """A share interval in percent.

    >>> interval(50.04, 55.0)
    '50.0–55.0 %'
    """
    return f"{low:.1f}–{high:.1f} %"


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
              "Dec")
_MONTHS_AR = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس",
              "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر")
_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\Z")


def uncertainty_in(u: LineUncertainty | None, lang: str = "en") -> str:
    """A line's positional uncertainty in the page's language, units in its script.

    A Latin "m" or English words inside Arabic text are reordered by the bidi algorithm
    ("(m toward Israel, 520 m toward the coast 100"): Arabic gets Arabic words.

    >>> from geo.analysis.uncertainty import LineUncertainty
    >>> uncertainty_in(LineUncertainty.of([100, 520]), "ar")
    '100 م نحو إسرائيل، 520 م نحو الساحل'
    >>> uncertainty_in(LineUncertainty.of(300), "ar"), uncertainty_in(None)
    ('±300 م', 'not stated')
    """
    if u is None:
        return "غير محدد" if lang == "ar" else "not stated"
    if lang != "ar":
        return u.words
    if u.symmetric:
        return f"±{u.toward_coast_m:g} م"
    return f"{u.toward_israel_m:g} م نحو إسرائيل، {u.toward_coast_m:g} م نحو الساحل"


def date_words(iso: str, lang: str = "en") -> str:
    """An ISO date as a reader writes it (other strings are returned as given).

    >>> date_words("2025-10-19"), date_words("2025-10-19", "ar")
    ('19 Oct 2025', '19 أكتوبر 2025')
    >>> date_words("2017")
    '2017'
    """
    m = _DATE_RE.match(iso)
    if not m or not 1 <= int(m.group(2)) <= 12:
        return iso
    months = _MONTHS_AR if lang == "ar" else _MONTHS_EN
    return f"{int(m.group(3))} {months[int(m.group(2)) - 1]} {m.group(1)}"


def line_words(ref: str | None, *, title: str | None = None, file: str | None = None,
               lang: str = "en", article: bool = True) -> str:
    """The line in words, for titles and legends (the id goes in popups and methods).

    ``ref`` is a dataset ``id@version``; the packaged yellow lines are named by their
    source map and date, other datasets by their catalog ``title``, files by name.

    >>> line_words("yellow-line@2025-10-19")
    'the yellow line of the IDF map of 19 Oct 2025'
    >>> line_words("yellow-line@2025-10-19", article=False)
    'Yellow line of the IDF map of 19 Oct 2025'
    >>> line_words("yellow-line@2025-10-19", lang="ar")
    'الخط الأصفر في خريطة الجيش الإسرائيلي بتاريخ 19 أكتوبر 2025'
    >>> line_words(None, file="my line.geojson")
    'the line in my line.geojson'
    """
    if ref and ref.startswith("yellow-line@"):
        when = date_words(ref.split("@", 1)[1], lang)
        if lang == "ar":
            return f"الخط الأصفر في خريطة الجيش الإسرائيلي بتاريخ {when}"
        return f"{'the yellow' if article else 'Yellow'} line of the IDF map of {when}"
    if ref and title:
        return title
    name = file or ref or "?"
    if lang == "ar":
        return f"الخط في {name}"
    return f"{'the line' if article else 'Line'} in {name}"
