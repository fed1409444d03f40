"""The few git operations the workflow needs, behind one small module.

Everything runs ``git`` as a subprocess in the project root; failures become a
:class:`GitError` with a German message. Nothing here pushes, stashes or checks out.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
from pathlib import Path

from ..model.errors import RedaktionError


class GitError(RedaktionError):
    """A git command failed; the message is German and quotes git's own output (exit code 1)."""


NOT_INSTALLED = "Das Programm git ist nicht installiert (oder nicht im Suchpfad PATH)."
INSTALL_HINT = ("Installieren Sie git (unter Debian/Ubuntu: „apt-get install git“, sonst von https://git-scm.com) "
                "und rufen Sie den Befehl erneut auf.")
REPAIR_HINT = ("Prüfen Sie das Repository mit „git status“ und „git fsck“. Ist es beschädigt, holen Sie einen frischen "
               "Klon („git clone …“) und übernehmen Sie Ihre Änderungen dorthin.")


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    if shutil.which("git") is None:
        raise GitError(NOT_INSTALLED, INSTALL_HINT)
    try:
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)
    except OSError as error:  # found on PATH, but not executable (or the project folder is gone)
        raise GitError(f"git ließ sich nicht starten: {error.strerror or error}", INSTALL_HINT) from None
    if check and result.returncode != 0:
        raise GitError(f"git {' '.join(args[:2])} ist fehlgeschlagen: {_said(result)}", REPAIR_HINT)
    return result


def _said(result: subprocess.CompletedProcess[bytes]) -> str:
    """What git printed about its failure (its own words: git speaks the user's locale)."""
    return (result.stderr.decode("utf-8", "replace").strip() or result.stdout.decode("utf-8", "replace")).strip()


def _marker(root: Path) -> Path | None:
    """The ``.git`` folder (or a worktree's ``.git`` file) in ``root`` or a folder above, if any."""
    for folder in (root.resolve(), *root.resolve().parents):
        if (folder / ".git").exists():
            return folder / ".git"
    return None


def output(root: Path, *args: str) -> str:
    """stdout of a git command, stripped."""
    return _git(root, *args).stdout.decode("utf-8").strip()


def is_repo(root: Path) -> bool:
    """True when ``root`` lies inside a git work tree, False when there is no repository.

    Raises :class:`GitError` when there is one (a ``.git`` in ``root`` or above) that cannot be
    used – git is not installed, or git cannot read it –, so that no command quietly goes on as
    if the project had no history (a release without tag, a site without earlier versions).
    """
    marker = _marker(root)
    if shutil.which("git") is None:
        if marker is None:
            return False
        raise GitError(f"Das Projekt liegt in einem Git-Repository ({marker.parent}), aber das Programm git ist "
                       "nicht installiert (oder nicht im Suchpfad PATH).",
                       INSTALL_HINT)
    result = _git(root, "rev-parse", "--is-inside-work-tree", check=False)
    if result.returncode != 0 and marker is not None:
        raise GitError(f"git kann das Repository in {marker.parent} nicht lesen: {_said(result)}", REPAIR_HINT)
    return result.returncode == 0 and result.stdout.strip() == b"true"


def has_commits(root: Path) -> bool:
    return _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False).returncode == 0


def prefix(root: Path) -> str:
    """Path of ``root`` inside the repository, with a trailing slash (or empty)."""
    return output(root, "rev-parse", "--show-prefix")


def dirty_paths(root: Path, path: str) -> list[str]:
    """Changed, staged or untracked files below ``path`` (relative to ``root``)."""
    raw = _git(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", path).stdout
    return [entry[3:].decode("utf-8", "replace") for entry in raw.split(b"\0") if len(entry) > 3]


def commit_of(root: Path, rev: str) -> str | None:
    """The full commit id ``rev`` names, or None when it names no commit."""
    result = _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False)
    return result.stdout.decode().strip() if result.returncode == 0 else None


def tag_exists(root: Path, tag: str) -> bool:
    return _git(root, "rev-parse", "--verify", "--quiet", f"refs/tags/{tag}", check=False).returncode == 0


def commit_file(root: Path, path: Path, message: str) -> str:
    """Commit only ``path`` (whatever else is staged stays staged) and return the new commit id."""
    relative = path.resolve().relative_to(root.resolve()).as_posix()
    _git(root, "commit", "--quiet", "-m", message, "--only", "--", relative)
    return output(root, "rev-parse", "HEAD")


def annotated_tag(root: Path, tag: str, message: str, commit: str = "HEAD") -> None:
    _git(root, "tag", "-a", tag, "-m", message, commit)


def delete_tag(root: Path, tag: str) -> None:
    _git(root, "tag", "--delete", tag)


def undo_commit(root: Path, commit: str, previous: str, path: Path) -> None:
    """Take back ``commit`` (which HEAD points to), made from ``previous`` by committing ``path`` only.

    HEAD (its branch) goes back to ``previous`` only if it still points to ``commit``, and the
    index entry of ``path`` gets its state in ``previous`` again; everything else staged stays
    staged and the working tree is not touched.
    """
    relative = path.resolve().relative_to(root.resolve()).as_posix()
    _git(root, "update-ref", "-m", "redaktion release: zurückgenommen", "HEAD", previous, commit)
    _git(root, "reset", "--quiet", previous, "--", relative)


def export_dir(root: Path, rev: str, folder: str, target: Path) -> None:
    """Write ``folder`` (relative to ``root``) as it is in ``rev`` into ``target/folder``."""
    tree = f"{rev}:{prefix(root)}{folder}"
    data = _git(root, "archive", "--format=tar", f"--prefix={folder}/", tree).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        archive.extractall(target, filter="data")


def commit_paths(root: Path, paths: list[Path], message: str) -> str:
    """Commit exactly ``paths`` (new files are added first) and return the new commit id."""
    relative = [path.resolve().relative_to(root.resolve()).as_posix() for path in paths]
    _git(root, "add", "--", *relative)
    _git(root, "commit", "--quiet", "-m", message, "--only", "--", *relative)
    return output(root, "rev-parse", "HEAD")
