"""Provenance of a layer's data: a packaged dataset's catalog entry, or a user's file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geo.catalog import Dataset, packaged_catalog
from geo.read.sources import Source

__all__ = ["dataset_provenance", "file_provenance", "source_provenance"]

_KEYS = ("title", "source", "date", "licence", "attribution", "method", "url")


def dataset_provenance(ds: Dataset | str, *, method: str | None = None) -> dict[str, Any]:
    """The popup provenance of a packaged dataset (``ds`` or its ``id@version``).

    >>> p = dataset_provenance("gaza-outline")
    >>> p["dataset"], p["licence"]
    ('gaza-outline@2017', 'ODbL 1.0')
    """
    d = packaged_catalog().get(ds) if isinstance(ds, str) else ds
    out: dict[str, Any] = {"dataset": d.ref}
    out.update({k: getattr(d, k) for k in _KEYS})
    if method:
        out["method"] = method
    out["illustrative"] = d.illustrative
    return out


def file_provenance(path: str | Path, *, title: str | None = None,
                    method: str = "read from the user's file as given") -> dict[str, Any]:
    """The popup provenance of a user's file (its name; source and licence unknown)."""
    name = Path(path).name
    return {"file": name, "title": title or name, "source": "user file", "date": "",
            "licence": "not stated (user file)", "attribution": f"User layer: {name}",
            "method": method, "url": "", "illustrative": False}


def source_provenance(src: Source, *, method: str | None = None) -> dict[str, Any]:
    """Provenance of a resolved source: its catalog entry, or its file's name and digest."""
    if src.dataset is not None:
        return dataset_provenance(src.dataset, method=method)
    out = file_provenance(src.ref, title=src.label if src.markers is not None else None,
                          method=method or "read from the user's file as given")
    out["sha256"] = src.identity.get("sha256", "")
    return out
