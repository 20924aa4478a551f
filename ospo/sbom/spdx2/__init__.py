# SPDX-License-Identifier: Apache-2.0
"""SPDX 2: the reader (2.2 and 2.3, JSON and tag-value) and the writer (2.3 JSON)."""
