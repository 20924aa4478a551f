# SPDX-License-Identifier: Apache-2.0
"""``python -m ospo`` runs the command-line interface."""

from ospo.cli import main

main()
