"""Hostile property values shared by the HTML and browser tests: each would set
``window.__pwned`` if a renderer inserted it as HTML or script."""

from __future__ import annotations

HOSTILE = {
    "name": '<img src=x onerror="window.__pwned=1">',
    "note": "</script><script>window.__pwned=2</script>",
    "tmpl": "${window.__pwned=3}",
    "tick": "`;window.__pwned=4;`",
    "bs": "\\`);window.__pwned=5;//",
    "<svg onload=window.__pwned=6>": "key",
    "comment": "<!--",
}
