# SPDX-License-Identifier: Apache-2.0
"""Helpers of the benchmark harness ``bench/run.py``: trees, measurements, comparison, report."""

from __future__ import annotations


class BenchError(Exception):
    """An expected failure, reported as one clear message without a traceback."""
