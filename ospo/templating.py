# SPDX-License-Identifier: Apache-2.0
"""Jinja2 templates shipped in ``templates/``; HTML and XML are always autoescaped."""

from __future__ import annotations

from functools import cache
from typing import Any

from ospo.resources import data_dir


@cache
def _environment() -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    return Environment(
        loader=FileSystemLoader(str(data_dir("templates"))),
        autoescape=select_autoescape(["html", "htm", "xml", "svg"], default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template_name: str, **context: Any) -> str:
    """Render ``templates/<template_name>`` with ``context``."""
    text: str = _environment().get_template(template_name).render(**context)
    return text
