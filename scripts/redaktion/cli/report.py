"""Machine-readable forms of diagnostics: JSON and the GitLab Code Quality report."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict

from ..model import Diagnostic


def to_json(diagnostics: list[Diagnostic]) -> str:
    """All diagnostics as a JSON list of objects (one per problem)."""
    return json.dumps([asdict(d) for d in diagnostics], ensure_ascii=False, indent=2)


def to_gitlab(diagnostics: list[Diagnostic]) -> str:
    """A GitLab Code Quality report, so problems show up inline in merge requests."""
    issues = []
    for d in diagnostics:
        fingerprint = hashlib.sha256(f"{d.path}:{d.line}:{d.column}:{d.code}:{d.message}".encode()).hexdigest()
        description = f"{d.code}: {d.message}" + (f" Hinweis: {d.hint}" if d.hint else "")
        issues.append({
            "type": "issue",
            "description": description,
            "check_name": d.code,
            "fingerprint": fingerprint,
            "severity": "major" if d.severity == "error" else "minor",
            "location": {"path": d.path, "lines": {"begin": d.line}},
        })
    return json.dumps(issues, ensure_ascii=False, indent=2)
