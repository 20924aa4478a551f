# SPDX-License-Identifier: Apache-2.0
"""The floor of a rescan: walk a tree, read every file and sha256 it, nothing else.

Run as a script (``python floor.py TREE``) so that it is measured the way ``ospo scan`` is,
as a whole process; it prints one JSON object: ``files``, ``bytes``, ``digest`` (sha256 over
the sorted ``path, file sha256`` pairs, which identifies the tree's content) and
``seconds`` (the time spent inside the walk). It uses only the standard library, walks the
way ospo walks a tree outside git (``.git`` is not entered, symbolic links are neither
followed nor read) and reads in 1 MiB chunks.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time

_CHUNK = 1 << 20


def hash_tree(root: str) -> tuple[int, int, str]:
    """Return ``(files, bytes, digest)`` for the regular files below ``root``."""
    hashes: list[tuple[str, str]] = []
    total = 0
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        for name in filenames:
            full = os.path.join(dirpath, name)
            if os.path.islink(full):
                continue
            digest = hashlib.sha256()
            with open(full, "rb") as handle:
                while chunk := handle.read(_CHUNK):
                    digest.update(chunk)
                    total += len(chunk)
            rel = os.path.relpath(full, root).replace(os.sep, "/")
            hashes.append((rel, digest.hexdigest()))
    hashes.sort()
    tree = hashlib.sha256()
    for rel, sha in hashes:
        tree.update(f"{rel}\0{sha}\n".encode("utf-8", "surrogateescape"))
    return len(hashes), total, tree.hexdigest()


def main(argv: list[str]) -> int:
    """Hash the tree named on the command line and print the JSON summary."""
    if len(argv) != 1 or not os.path.isdir(argv[0]):
        print("usage: floor.py TREE (an existing directory)", file=sys.stderr)
        return 2
    start = time.perf_counter()
    files, size, digest = hash_tree(argv[0])
    seconds = time.perf_counter() - start
    print(json.dumps({"files": files, "bytes": size, "digest": digest, "seconds": seconds}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
