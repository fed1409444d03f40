"""Output folders the user names or the build needs: created with a German error if they cannot be.

Root writes anywhere, so permissions are not the only reason: a path below a regular file,
a read-only file system or a full disk fail for everyone.
"""

from __future__ import annotations

import errno
from pathlib import Path

from ..model import RenderError

_REASONS = {
    errno.ENOTDIR: "Ein Teil des Pfads ist eine Datei, kein Ordner",
    errno.EEXIST: "Dort liegt schon eine Datei mit diesem Namen",
    errno.EACCES: "Der Zugriff wurde verweigert (fehlende Rechte)",
    errno.EPERM: "Der Zugriff wurde verweigert (fehlende Rechte)",
    errno.EROFS: "Das Dateisystem ist schreibgeschützt",
    errno.ENOSPC: "Auf dem Datenträger ist kein Platz mehr",
    errno.ENOENT: "Ein Ordner auf dem Weg dorthin fehlt",
}


def os_reason(error: OSError) -> str:
    """Why an operation on a file failed, in German (the system's words for rare cases)."""
    return _REASONS.get(error.errno or 0, f"Das Betriebssystem meldet: {error.strerror or error}")


def output_folder(path: Path, shown: str | None = None) -> Path:
    """Create ``path`` (with its parents) for outputs; raise :class:`RenderError` naming it if that fails.

    ``shown`` is how the message names the folder (default: the path as given).
    """
    try:
        path.mkdir(parents=True, exist_ok=True)
        if not path.is_dir():
            raise FileExistsError(errno.EEXIST, "exists", str(path))
    except OSError as error:
        raise folder_error(shown or path, error) from None
    return path


def folder_error(folder: Path | str, error: OSError) -> RenderError:
    """The error for an output folder that cannot be created or written to."""
    return RenderError(f"In den Ausgabeordner „{folder}“ lässt sich nicht schreiben. {os_reason(error)}.",
                       "Entfernen Sie, was dort im Weg ist, und prüfen Sie, ob Sie dort schreiben dürfen; "
                       "„redaktion build --out ORDNER“ schreibt in einen anderen Ordner.")
