# SPDX-License-Identifier: Apache-2.0
"""Detection engines: ScanCode, and the fast paths that change none of its results."""
