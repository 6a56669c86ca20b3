"""Words shown on maps, in English and Arabic, and number formats with units."""

from __future__ import annotations

from typing import Literal

__all__ = ["Lang", "LANGS", "t", "km2", "pct", "interval"]

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
