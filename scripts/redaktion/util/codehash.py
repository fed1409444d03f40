"""Fingerprints of redaktion's own code, for cache keys that must change whenever the code does.

A cache entry made by one version of the code must never be served by another. A hand-written
list of the modules a stage depends on drifts as soon as someone adds an import, so the files
are found by following the imports instead: from a stage's entry points, every module of this
package that is imported (at the top of a file or inside a function, at any depth), plus the
``__init__.py`` of every package on the way.

Imports are found by a plain text scan, not by compiling the files: this runs at the start of
every ``redaktion check``, where parsing a dozen modules would cost more than the check saves.
The scan errs on the side of finding too much (a line in a docstring that looks like an import),
which at worst makes a cache miss once.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # scripts/redaktion
PACKAGE = PACKAGE_DIR.name

# "from .x import a, b", "from . import (a,\n b)", "from redaktion.x import a", "import redaktion.x"
_IMPORT = re.compile(
    rb"^[ \t]*(?:from[ \t]+(?P<origin>[.\w]+)[ \t]+import[ \t]+(?P<names>\([^)]*\)|[^\n#;]*)"
    rb"|import[ \t]+(?P<plain>[^\n#;]*))",
    re.MULTILINE)


def imported_modules(start: Iterable[Path], package: Path = PACKAGE_DIR) -> list[Path]:
    """The Python files of ``start`` and of every module of ``package`` they import, directly or not."""
    package = package.resolve()
    seen: set[Path] = set()
    todo = [path.resolve() for path in start]
    while todo:
        path = todo.pop()
        if path in seen or path.suffix != ".py" or not path.is_file():
            continue
        seen.add(path)
        todo.extend(_parents(path, package))
        todo.extend(_imports(path, package))
    return sorted(seen)


def code_fingerprint(start: Iterable[Path], folders: Iterable[Path] = (), package: Path = PACKAGE_DIR,
                     extra: str = "") -> bytes:
    """A hash over the modules :func:`imported_modules` finds from ``start``, every file in ``folders``
    (templates, filters, style sheets), and ``extra`` (e.g. versions of outside tools)."""
    package = package.resolve()
    files = set(imported_modules(start, package))
    for folder in folders:
        files.update(path.resolve() for path in Path(folder).rglob("*")
                     if path.is_file() and "__pycache__" not in path.parts)
    digest = hashlib.sha256(extra.encode("utf-8"))
    for path in sorted(files):
        data = path.read_bytes()
        name = path.relative_to(package).as_posix() if path.is_relative_to(package) else path.name
        digest.update(f"\0{name}\0{len(data)}\0".encode("utf-8"))
        digest.update(data)
    return digest.digest()


def _imports(path: Path, package: Path) -> Iterator[Path]:
    """Files of the modules of ``package`` that ``path`` imports (those that exist)."""
    for match in _IMPORT.finditer(path.read_bytes()):
        if match["plain"] is not None:  # import redaktion.x.y [as z], …
            for item in match["plain"].split(b","):
                words = item.split()
                parts = words[0].decode("ascii", "replace").split(".") if words else []
                if parts and parts[0] == PACKAGE:
                    yield from _module(package.joinpath(*parts[1:]))
            continue
        origin = match["origin"].decode("ascii", "replace")
        dots = len(origin) - len(origin.lstrip("."))
        if dots:
            base = path.parent
            for _ in range(dots - 1):
                base = base.parent
            parts = [part for part in origin[dots:].split(".") if part]
        elif origin.split(".")[0] == PACKAGE:
            base, parts = package, origin.split(".")[1:]
        else:
            continue  # another library: its version belongs in ``extra``
        target = base.joinpath(*parts)
        yield from _module(target)
        # "from . import fields": the imported names may be modules themselves.
        for name in match["names"].strip(b"()").split(b","):
            words = name.split()
            if words and words[0] != b"*":
                yield from _module(target / words[0].decode("ascii", "replace"))


def _module(target: Path) -> Iterator[Path]:
    """The file of the module or package at ``target`` (without suffix), if there is one."""
    module = target.with_name(target.name + ".py")
    if module.is_file():
        yield module
    elif (target / "__init__.py").is_file():
        yield target / "__init__.py"


def _parents(path: Path, package: Path) -> Iterator[Path]:
    """``__init__.py`` of every package between ``package`` and ``path``: importing runs them too."""
    folder = path.parent
    while folder.is_relative_to(package) and folder != package.parent:
        init = folder / "__init__.py"
        if init.is_file() and init != path:
            yield init
        if folder == package:
            break
        folder = folder.parent
