"""The HTML document around a report or a check page: styles and a strict policy."""

from __future__ import annotations

import re

from maps.assets import asset
from maps.html import ICON_HREF, content_security_policy, esc

__all__ = ["REPORT_CSS", "report_page"]


# the page style, from maps/assets/report.css (its final newline kept: the bytes of the page)
REPORT_CSS = asset("report.css") + "\n"


def _inline_texts(html_text: str) -> tuple[list[str], list[str]]:
    """The exact texts of a page's executable ``<script>`` and its ``<style>`` elements.

    Reliable on gazamap's own pages: data reaches a script only through
    :func:`maps.html.script_json`, which escapes every ``<``.
    """
    scripts = re.findall(r"<script>(.*?)</script>", html_text, re.S)
    styles = re.findall(r"<style>(.*?)</style>", html_text, re.S)
    return scripts, styles


def report_page(title: str, body: str, lang: str, description: str = "") -> str:
    """A whole HTML document around ``body``, with the report's styles and a strict policy."""
    direction = "rtl" if lang == "ar" else "ltr"
    meta = (f'<meta name="description" content="{esc(description)}">\n'
            if description else "")
    # the report and the check page carry the map pages' strict policy: no network at
    # all, only their own inline scripts and styles (by SHA-256)
    scripts, styles = _inline_texts(body)
    policy = content_security_policy(scripts, [REPORT_CSS, *styles])
    return ("<!DOCTYPE html>\n"
            f'<html lang="{esc(lang)}" dir="{direction}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{esc(policy)}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"{meta}<link rel=\"icon\" href=\"{ICON_HREF}\">\n"
            f"<title>{esc(title)}</title>\n<style>{REPORT_CSS}</style>\n</head>\n<body>\n"
            f'<main class="gz-report">\n{body}</main>\n</body>\n</html>\n')
