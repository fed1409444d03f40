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


def _git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
    if shutil.which("git") is None:
        raise GitError("git ist nicht installiert.")
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)
    if check and result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip() or result.stdout.decode("utf-8", "replace")
        raise GitError(f"git {' '.join(args[:2])} ist fehlgeschlagen: {message.strip()}")
    return result


def output(root: Path, *args: str) -> str:
    """stdout of a git command, stripped."""
    return _git(root, *args).stdout.decode("utf-8").strip()


def is_repo(root: Path) -> bool:
    """True when ``root`` lies inside a git work tree."""
    if shutil.which("git") is None:
        return False
    result = _git(root, "rev-parse", "--is-inside-work-tree", check=False)
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
