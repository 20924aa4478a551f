# SPDX-License-Identifier: Apache-2.0
"""Lock-file and manifest scanners: one module per format, and what they share.

:mod:`.base` is the interface and the loop every one runs, :mod:`.discovery` which files of
the tree they read, :mod:`.reading` parsing with errors that name the line,
:mod:`.components` a lock file's graph turned into components, :mod:`.hashes` the artifact
hashes lock files record.
"""
