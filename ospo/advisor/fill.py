# SPDX-License-Identifier: Apache-2.0
"""The license a registry declares, for components whose own metadata names none."""

from __future__ import annotations

from dataclasses import replace

from ospo.advisor.model import Advice
from ospo.model import Inventory, LicenseSource


def fill_declared(inventory: Inventory, advice: Advice) -> Inventory:
    """``inventory`` with the registry's license of the version in use recorded as declared
    evidence (located at the registry's document) for each component that declares none,
    its effective license worked out again; the advice's notes join the scan's issues."""
    from ospo.merge import effective_of
    from ospo.scanners.lockfiles.components import declared_evidence

    components = []
    for comp in inventory.components:
        record = advice.record(comp.purl)
        release = record.release(comp.version) if record is not None else None
        if (
            record is None
            or release is None
            or release.license is None
            or any(e.source is LicenseSource.DECLARED and e.expression for e in comp.licenses)
        ):
            components.append(comp)
            continue
        evidence = declared_evidence(release.license, record.url)
        if evidence is None:
            components.append(comp)
            continue
        licenses = (*comp.licenses, evidence)
        effective, reason = effective_of(licenses)
        components.append(
            replace(
                comp,
                licenses=licenses,
                license_expression=effective,
                unknown_reason=None if effective else reason or comp.unknown_reason,
            )
        )
    scan = replace(inventory.scan, issues=(*inventory.scan.issues, *advice.notes))
    return replace(inventory, components=tuple(components), scan=scan)
