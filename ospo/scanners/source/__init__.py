# SPDX-License-Identifier: Apache-2.0
"""The product's source tree: :mod:`.walk` lists its files, :mod:`.detection` finds the
licenses and copyrights in each, :mod:`.vendored` tells third-party code copied into it."""
