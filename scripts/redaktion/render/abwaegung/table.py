"""The Abwägungstabelle as an HTML fragment: the internal site's page and the standalone file show it."""

from __future__ import annotations

from pathlib import Path

from ...assemble.abwaegung import Abwaegung, view

HERE = Path(__file__).parent


def _environment():  # noqa: ANN202 - a jinja2.Environment
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(HERE), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def table_html(table: Abwaegung, absatz_url: str = "", hidden_class: str = "rk-visually-hidden") -> str:
    """Header, filters and table as an HTML fragment (the internal site puts it into a page)."""
    return _environment().get_template("abwaegung.html").render(a=view(table), absatz_url=absatz_url,
                                                                vh=hidden_class)
