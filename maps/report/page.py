"""The HTML document around a report or a check page: styles and a strict policy."""

from __future__ import annotations

import re

from maps.html import ICON_HREF, content_security_policy, esc

__all__ = ["REPORT_CSS", "report_page"]


REPORT_CSS = (
    ".gz-report{font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',"
    "'DejaVu Sans',sans-serif;color:#1a1a1a;max-width:1100px;margin:0 auto;"
    "padding:8px 16px 32px;overflow-wrap:break-word}\n"
    ".gz-report h1{font-size:1.45rem;line-height:1.25}"
    ".gz-report h2{font-size:1.2rem;margin:1.4em 0 .4em}"
    ".gz-report h3{font-size:1.05rem;margin:1em 0 .3em}\n"
    ".gz-report .gz-lede{font-size:1.08rem}\n"
    ".gz-report ul.gz-claims,.gz-report ul.gz-nc{list-style:none;margin:0;padding:0}\n"
    ".gz-report .gz-claims>li,.gz-report .gz-nc>li{border-bottom:1px solid #ddd;"
    "padding:2px 0;font-size:.94rem}\n"
    ".gz-report summary{cursor:pointer;min-height:24px}\n"
    ".gz-report .gz-v{display:inline-block;font-weight:600;padding:0 6px;border-radius:3px;"
    "font-size:.85rem}\n"
    ".gz-report .gz-consistent .gz-v{background:#d9efe6}"
    ".gz-report .gz-inconsistent .gz-v{background:#f6d5c2}"
    ".gz-report .gz-borderline .gz-v{background:#f3ecc2}\n"
    "@media (max-width:700px){.gz-report .gz-en{display:block;text-align:left}}\n"
    ".gz-report .gz-who{color:#444}.gz-report .gz-fig{font-variant-numeric:tabular-nums}\n"
    ".gz-report .gz-more{padding:2px 0 6px 1.2em;font-size:.92rem}"
    ".gz-report .gz-more p{margin:.3em 0}\n"
    ".gz-report .gz-small{font-size:.88rem;color:#333}.gz-report code{font-size:.9em}\n"
    ".gz-report .gz-nc ul{margin:.3em 0;padding-inline-start:1.2em;font-size:.92rem}\n"
    ".gz-report figure{margin:0}.gz-report figcaption{font-size:.92rem;color:#333}\n"
    ".gz-report .gz-scroll{overflow-x:auto;max-width:100%}\n"
    ".gz-report .gz-chart{display:block;width:100%;max-width:860px;height:auto}\n"
    ".gz-report .gz-chart-narrow{display:none;max-width:480px}\n"
    "@media (max-width:700px){.gz-report .gz-chart-wide{display:none}"
    ".gz-report .gz-chart-narrow{display:block}}\n"
    ".gz-report table.gz-verdicts{border-collapse:collapse;width:100%;font-size:.85rem}\n"
    ".gz-report .gz-verdicts th,.gz-report .gz-verdicts td{border:1px solid #c8c8c8;"
    "padding:4px 6px;vertical-align:top;text-align:start}\n"
    ".gz-report .gz-verdicts caption{text-align:start;font-weight:600;padding:4px 0}\n"
    ".gz-report dl.gz-methods dt{font-weight:600;margin-top:.6em}\n"
    ".gz-report dl.gz-methods dd{margin-inline-start:1.2em}\n"
    ".gz-report pre{white-space:pre-wrap;background:#f4f4f4;padding:6px}\n"
    ".gz-report details.gz-fold>summary{font-weight:600;font-size:1.05rem;padding:4px 0}\n"
    ".gz-report .gz-embed h1{display:none}\n"
)


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
