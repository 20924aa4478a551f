# SPDX-License-Identifier: Apache-2.0
"""Where ospo's data lives: schemas in the package, policies and templates beside it.

In a wheel, ``policies/`` and ``templates/`` are installed as ``ospo/_data/``; in a source
checkout (editable install) they are read from the repository root.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the directory of shipped data ``name`` (``policies`` or ``templates``)."""
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def schema_path(name: str) -> Path:
    """Return the path of a JSON Schema shipped in ``ospo/schemas``."""
    return _PACKAGE / "schemas" / name
