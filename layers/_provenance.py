"""Provenance of a layer's data: a packaged dataset's catalog entry, or a user's file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo.catalog import Dataset, packaged_catalog
from geo.read.sources import Source

__all__ = ["DataProvenance", "dataset_provenance", "file_provenance", "source_provenance"]


@dataclass(frozen=True)
class DataProvenance:
    """Where a layer's data came from, as its popup shows it (:attr:`Layer.provenance`).

    ``dataset`` (``id@version``) for a catalog dataset, else ``file`` (its name, and
    ``sha256`` when known).
    """

    title: str
    source: str
    date: str
    licence: str
    attribution: str
    method: str
    url: str
    illustrative: bool
    dataset: str | None = None
    file: str | None = None
    sha256: str | None = None

    @property
    def ref(self) -> str:
        """The dataset's ``id@version``, else the file's name."""
        return self.dataset or self.file or ""

    def to_dict(self) -> dict[str, Any]:
        """The layer's provenance mapping (``dataset`` or ``file`` first)."""
        out: dict[str, Any] = ({"dataset": self.dataset} if self.dataset is not None
                               else {"file": self.file})
        out.update(title=self.title, source=self.source, date=self.date,
                   licence=self.licence, attribution=self.attribution, method=self.method,
                   url=self.url, illustrative=self.illustrative)
        if self.sha256 is not None:
            out["sha256"] = self.sha256
        return out


def dataset_provenance(ds: Dataset | str, *, method: str | None = None) -> DataProvenance:
    """The popup provenance of a packaged dataset (``ds`` or its ``id@version``).

    >>> p = dataset_provenance("gaza-outline")
    >>> p.dataset, p.licence
    ('gaza-outline@2017', 'ODbL 1.0')
    """
    d = packaged_catalog().get(ds) if isinstance(ds, str) else ds
    return DataProvenance(d.title, d.source, d.date, d.licence, d.attribution,
                          method or d.method, d.url, d.illustrative, dataset=d.ref)


def file_provenance(path: str | Path, *, title: str | None = None,
                    method: str = "read from the user's file as given",
                    sha256: str | None = None) -> DataProvenance:
    """The popup provenance of a user's file (its name; source and licence unknown)."""
    name = Path(path).name
    return DataProvenance(title or name, "user file", "", "not stated (user file)",
                          f"User layer: {name}", method, "", False, file=name, sha256=sha256)


def source_provenance(src: Source, *, method: str | None = None) -> DataProvenance:
    """Provenance of a resolved source: its catalog entry, or its file's name and digest."""
    if src.dataset is not None:
        return dataset_provenance(src.dataset, method=method)
    return file_provenance(src.ref, title=src.label if src.markers is not None else None,
                           method=method or "read from the user's file as given",
                           sha256=src.sha256)
