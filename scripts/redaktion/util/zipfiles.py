"""Reproducible ZIP containers (DOCX): the same content gives the same bytes on every day."""

from __future__ import annotations

import datetime as dt
import io
import zipfile


def normalise_zip(data: bytes, date: str) -> bytes:
    """Rewrite the ZIP with one fixed timestamp per entry (python-docx uses the current time)."""
    day = dt.date.fromisoformat(date)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(max(day.year, 1980), day.month, day.day, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
