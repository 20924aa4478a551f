# SPDX-License-Identifier: Apache-2.0
"""Jinja2 templates shipped in ``templates/``; HTML and XML are always autoescaped, and
every value a template prints has its unprintable characters escaped."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from ospo.errors import printable
from ospo.resources import data_dir


@cache
def _environment(search: tuple[Path, ...] = ()) -> Any:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        # an organisation's own directories first; what they lack comes from the shipped ones
        loader=FileSystemLoader([*map(str, search), str(data_dir("templates"))]),
        autoescape=_autoescape,
        finalize=_finalize,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _finalize(value: Any) -> Any:
    """A value as a template prints it: a package name, version or copyright holder from
    someone else's file cannot colour a terminal, rewrite a line or reorder the text of a
    NOTICE or packet (see :func:`ospo.errors.printable`); line breaks are kept."""
    if not isinstance(value, str):
        return value
    from markupsafe import Markup

    shown = printable(value, lines=True)
    return Markup(shown) if isinstance(value, Markup) else shown


def _autoescape(template_name: str | None) -> bool:
    """Whether to escape: for HTML, XML and SVG templates (``notice.html.j2`` is HTML: the
    ``.j2`` does not count) and for templates made from strings."""
    if template_name is None:
        return True
    return template_name.lower().removesuffix(".j2").endswith((".html", ".htm", ".xml", ".svg"))


def render(
    template_name: str,
    *,
    search: tuple[Path, ...] = (),
    filters: Mapping[str, Callable[..., Any]] | None = None,
    **context: Any,
) -> str:
    """Render ``templates/<template_name>`` with ``context``.

    ``search`` names directories looked in before the shipped templates; ``filters`` adds
    Jinja2 filters (by name, so the same name always means the same filter).
    """
    environment = _environment(search)
    environment.filters.update(filters or {})
    text: str = environment.get_template(template_name).render(**context)
    return text
