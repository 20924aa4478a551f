# SPDX-License-Identifier: Apache-2.0
"""ospo: inventory, policy gate and review packet for each product release."""

__version__ = "0.1.0"
