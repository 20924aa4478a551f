# SPDX-License-Identifier: Apache-2.0
"""Where spdx-tools' validation of license expressions is wrong, and ospo's is right.

spdx-tools checks expressions with license-expression's strict parser, which takes
ScanCode's database's word for what an exception is (it calls the SPDX license
``MPL-2.0-no-copyleft-exception`` an exception, and ``LicenseRef-scancode-commons-clause``
one that may only follow WITH) and does not know SPDX's ``+`` on every id
(``Apache-2.0+``). ospo's licensing adapter applies the SPDX grammar with the SPDX
exception list; an expression it finds valid is not an error of the document.
"""

from __future__ import annotations

import re

from ospo import licensing

_IN_EXPRESSION = re.compile(r"\. for license_expression: (?P<expression>.+)$", re.DOTALL)
_UNRECOGNIZED = re.compile(r"^Unrecognized license reference: (?P<id>\S+?)\. ")


def false_alarm(message: str) -> bool:
    """Whether spdx-tools' ``message`` is about an expression that is valid SPDX."""
    found = _UNRECOGNIZED.match(message) or _IN_EXPRESSION.search(message)
    if found is None:
        return False
    expression = found.groupdict().get("id") or found.group("expression")
    return licensing.check(expression).valid
