"""The report's own words in the languages of its page (English and Arabic)."""

from __future__ import annotations

__all__ = ["tr"]


# The report's own words in Arabic (--lang ar). The claims, their explanations, the
# methods and the provenance stay in the language they were written in (marked lang="en").
_AR = {
    "Inconsistent": "غير متسقة",
    "Consistent": "متسقة",
    "consistent": "متسق",
    "inconsistent": "غير متسق",
    "consistent (borderline)": "متسق (عند الحد)",
    "consistent (by its rounding)": "متسق (بفضل التقريب)",
    "stated": "المعلن",
    "computed": "المحسوب",
    "no date": "بلا تاريخ",
    "Map and areas": "الخريطة والمساحات",
    "Published claims against the figures": "الادعاءات المنشورة مقابل الأرقام",
    "Versions of the line": "نسخ الخط",
    "Method and data": "الطريقة والبيانات",
    "Not checkable": "غير قابلة للتحقق",
    "Checks of the ledger": "فحوص لحسابات السجل نفسه",
    "by reason": "حسب السبب",
    "The chart": "الرسم البياني",
    "shows which hold.": "يبيّن أيّها صحيح.",
    "The line or zone it names has no public geometry":
        "الخط أو المنطقة المذكورة ليس لها شكل هندسي منشور",
    "It needs the positions of the yellow blocks on the ground, which are not public":
        "يحتاج إلى مواقع الكتل الصفراء على الأرض، وهي غير منشورة",
    "It is not a geographic measurement": "ليس قياسًا جغرافيًا",
    "Other reasons (given with each claim)": "أسباب أخرى (مذكورة مع كل ادعاء)",
}


def tr(text: str, lang: str) -> str:
    """The report's own words in ``lang`` (English text when it has no translation)."""
    return _AR.get(text, text) if lang == "ar" else text
