# SPDX-License-Identifier: Apache-2.0
"""Installed environments (``ospo scan --env PATH``): one module per kind, Python and
``node_modules``, and :mod:`.base`, what they share."""
