"""Provenance of a layer's data: a packaged dataset's catalog entry, or a user's file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geo.catalog import Dataset, default_catalog

__all__ = ["dataset_provenance", "file_provenance", "provenance_of"]

_KEYS = ("title", "source", "date", "licence", "attribution", "method", "url")


def dataset_provenance(ds: Dataset | str, *, method: str | None = None) -> dict[str, Any]:
    """The popup provenance of a packaged dataset (``ds`` or its ``id@version``).

    >>> p = dataset_provenance("gaza-outline")
    >>> p["dataset"], p["licence"]
    ('gaza-outline@2017', 'ODbL 1.0')
    """
    d = default_catalog().get(ds) if isinstance(ds, str) else ds
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


def provenance_of(describe: dict[str, Any], *, method: str | None = None) -> dict[str, Any]:
    """Provenance from an ``AreaReport`` description (``{"dataset": ref}`` or ``{"file"}``)."""
    if describe.get("dataset"):
        return dataset_provenance(str(describe["dataset"]), method=method)
    return file_provenance(str(describe.get("file") or "file"),
                           method=method or "read from the user's file as given")
