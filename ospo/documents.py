# SPDX-License-Identifier: Apache-2.0
"""YAML documents already read and validated, remembered by their content.

The pre-commit hook loads the same policy, waivers and ``.ospo.yml`` on every commit, and
reading them costs more than judging a commit: PyYAML's parser is pure Python and
importing jsonschema alone takes about 50 ms. A document that was parsed and found valid
is kept as JSON in the cache directory, under a digest of its text, of the schema it was
checked against, of ospo's version and of the installed packages (PyYAML, jsonschema);
the same text is then not parsed or validated again. Only valid documents are kept, and
only those JSON gives back unchanged. A memo that cannot be read or written is a miss,
never an error.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ospo import __version__
from ospo.cache import cache_dir, installation_stamp, text_digest
from ospo.errors import OspoError
from ospo.resources import schema_path

#: A document's line numbers by key path (top-level keys and the entries below them).
Lines = dict[tuple[str | int, ...], int]

_FOLDER = "documents"
#: Bump when what is kept, or how a document is read, changes: old memos then miss.
_REVISION = "1"


def memo_path(text: str, schema_name: str | None) -> str:
    """Where the memo of ``text`` checked against ``schema_name`` is (or would be) kept."""
    schema = "" if schema_name is None else schema_path(schema_name).read_text(encoding="utf-8")
    installed = ",".join(installation_stamp())
    key = text_digest(f"{__version__}:{_REVISION}:{installed}\0{schema_name}\0{schema}\0{text}")
    return os.path.join(cache_dir(), _FOLDER, f"{key}.json")


def recall(path: str) -> tuple[Any, Lines] | None:
    """The data and lines kept at ``path`` (:func:`memo_path`), if the document was read
    and found valid before."""
    try:
        with open(path, encoding="utf-8") as handle:
            memo = json.load(handle)
        lines = {tuple(keys): int(line) for keys, line in memo["lines"]}
        return memo["data"], lines
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remember(path: str, data: Any, lines: Lines) -> None:
    """Keep a valid document's data and lines at ``path`` (:func:`memo_path`)."""
    from ospo.atomic import atomic_write_text

    try:
        encoded = json.dumps({"data": data, "lines": [[list(p), n] for p, n in lines.items()]})
        if json.loads(encoded)["data"] != data:  # not plain JSON data (a set, an int key...)
            return
        os.makedirs(os.path.dirname(path), exist_ok=True)
        atomic_write_text(Path(path), encoded)
    except (OSError, ValueError, TypeError, OspoError):  # not kept: read again next time
        return
