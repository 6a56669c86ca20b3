"""One feature of a dataset or a user's file: a lon/lat geometry and its properties."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import shapely

__all__ = ["Feature"]


@dataclass(frozen=True)
class Feature:
    """One feature of a dataset: a lon/lat shapely geometry and its properties."""

    geometry: shapely.Geometry
    properties: dict[str, Any]
