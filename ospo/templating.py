# SPDX-License-Identifier: Apache-2.0
"""Jinja2 templates shipped in ``templates/``; HTML and XML are always autoescaped."""

from __future__ import annotations

from functools import cache
from typing import Any

from ospo.resources import data_dir


@cache
def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(str(data_dir("templates"))),
        autoescape=_autoescape,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _autoescape(template_name: str | None) -> bool:
    """Whether to escape: for HTML, XML and SVG templates (``notice.html.j2`` is HTML: the
    ``.j2`` does not count) and for templates made from strings."""
    if template_name is None:
        return True
    return template_name.lower().removesuffix(".j2").endswith((".html", ".htm", ".xml", ".svg"))


def render(template_name: str, **context: Any) -> str:
    """Render ``templates/<template_name>`` with ``context``."""
    text: str = _environment().get_template(template_name).render(**context)
    return text
