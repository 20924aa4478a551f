# SPDX-License-Identifier: Apache-2.0
"""SPDX 3.0 JSON-LD in and out, mapped as the SPDX 2.3 support maps (``ospo.sbom.spdx2``).

``reader`` and ``writer`` side by side; ``validation``: the official SPDX 3.0 JSON Schemas.
What both sides share is here.

Both directions are checked against the official SPDX 3.0 JSON Schema
(``ospo.sbom.spdx3.validation``): a document that does not validate is an input error naming
the file and the element; an export that does not validate is a bug (an operational error).

Reading: the product is the package the ``SpdxDocument``'s root element is (through a
``software_Sbom`` or other collection), else the only package. Every other
``software_Package`` with a purl (``software_packageUrl`` or a ``packageUrl`` external
identifier) is a component; ``hasDeclaredLicense`` and ``hasConcludedLicense``
relationships to a license (a ``simplelicensing_LicenseExpression``, an
``expandedlicensing`` license, set or operator, a listed license's IRI) are declared and
concluded evidence; ``NoneLicense`` says the package has no license; ``NoAssertionLicense``
and no relationship are no evidence. ``dependsOn``, ``contains`` and ``hasPrerequisite``
are runtime edges and ``hasOptionalDependency`` an optional one; a
``LifecycleScopedRelationship``'s ``scope`` makes the edge dev (development, build, design)
or test. From there the graph, scopes, direct flags and components are built by the SPDX
2.3 reader's own code. The creation info's tools and time are the scan's.

Writing: an ``SpdxDocument`` whose root is a ``software_Sbom`` whose root is the product
package (its declared outbound license); one ``software_Package`` per component with its
purl, version, hashes (``verifiedUsing``) and vendored path (``software_sourceInfo``);
declared (the valid declared expressions joined with AND) and concluded (the effective)
licenses as ``simplelicensing_LicenseExpression`` elements linked by ``hasDeclaredLicense``
and ``hasConcludedLicense``; ``dependsOn`` relationships with a lifecycle scope (runtime,
development, test) and ``hasOptionalDependency`` for optional components. Ids derive from
the inventory like the SPDX 2.3 export's namespace, so one inventory gives one document.
"""

from __future__ import annotations

import re

#: The version ospo writes.
VERSION = "3.0.1"
CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
CREATION = "_:creationinfo"
#: How ospo's export quotes declarations that are not SPDX expressions (``comment``).
DECLARED_AS = re.compile(r"^Declared as (.+): not SPDX\.$", re.S)
#: Inventory hash names <-> SPDX 3 ``HashAlgorithm``.
HASHES = {"SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}
