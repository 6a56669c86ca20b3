"""schema.org ClaimReview JSON-LD for the claims a report judged."""

from __future__ import annotations

import re
from typing import Any

from geo.claims import LedgerResult
from maps.claims_chart import verdict_word
from maps.html import script_json
from maps.report.claims import SAFE_URL, anchor
from maps.report.verdicts import explanation

__all__ = ["claim_review"]


def claim_review(result: LedgerResult) -> str:
    """schema.org ClaimReview per verdict.

    ``itemReviewed.author`` is the original outlet; ``appearance.url`` is only ever the
    original publication. The copy the text was read in (a mirror or a summary) is the
    appearance's ``archivedAt``, never its ``url``.
    """
    graph = []
    for v in result.verdicts:
        if not v.counted:  # the ledger's own arithmetic: no outlet claimed it
            continue
        c = v.claim
        reviewed: dict[str, Any] = {"@type": "Claim",
                                    "author": {"@type": "Organization",
                                               "name": c.outlet or c.source}}
        item: dict[str, Any] = {
            "@type": "ClaimReview",
            "url": "#" + anchor(v.id),
            "claimReviewed": c.text,
            "author": {"@type": "Organization", "name": "gazamap"},
            "reviewRating": {"@type": "Rating", "alternateName": verdict_word(v),
                             "ratingExplanation": explanation(v)},
            "itemReviewed": reviewed,
        }
        if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", c.date):
            reviewed["datePublished"] = c.date
        appearance: dict[str, Any] = {}
        if c.url and SAFE_URL.match(c.url) and c.url != c.seen_at:
            appearance["url"] = c.url
        if c.seen_at and SAFE_URL.match(c.seen_at):
            appearance["archivedAt"] = c.seen_at
            appearance["description"] = (f"text of {c.outlet or c.source} as seen in a "
                                         f"{c.copy or 'copy'}")
        if appearance:
            reviewed["appearance"] = {"@type": "CreativeWork", **appearance}
        graph.append(item)
    # script_json escapes < > & so that no "</script>" can close the element early
    data = {"@context": "https://schema.org", "@graph": graph}
    return f'<script type="application/ld+json">{script_json(data)}</script>\n'
