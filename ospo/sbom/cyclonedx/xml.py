# SPDX-License-Identifier: Apache-2.0
"""Reading a CycloneDX XML SBOM (spec 1.2-1.7) into an inventory.

The document is parsed without a DTD, entity expansion or network access (one with a
DOCTYPE is refused: CycloneDX never needs one), validated against the official XSD of the
version its namespace names, with cyclonedx-python-lib's XML validator, and turned into
the JSON shape of the same document: the parts ``ospo.sbom.cyclonedx.reader`` builds the inventory
from (metadata, components with their nested components, licenses, evidence, hashes,
properties, and the dependency graph). An error names the file and the line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ospo.errors import InputError
from ospo.model import Inventory
from ospo.sbom.base import SbomInput, SbomReader
from ospo.sbom.common import CYCLONEDX_VERSIONS
from ospo.sbom.cyclonedx.reader import cyclonedx_inventory

_NAMESPACE = re.compile(r"^\{http://cyclonedx\.org/schema/bom/(\d+\.\d+)\}bom$")


class CycloneDxXmlReader(SbomReader):
    """CycloneDX XML: ospo's only XML format, so any XML is read as CycloneDX (and
    refused, naming its root element, if it is not)."""

    name = "cyclonedx-xml"
    title = f"CycloneDX {CYCLONEDX_VERSIONS[0]}-{CYCLONEDX_VERSIONS[-1]} XML"

    def sniff(self, source: SbomInput) -> bool:
        """Whether the content starts as XML does."""
        return source.head.startswith("<")

    def read(self, source: SbomInput) -> Inventory:
        """Validate the document against its version's XSD and return its inventory."""
        return load_cyclonedx_xml(source.text, source.path)


def load_cyclonedx_xml(text: str, path: Path) -> Inventory:
    """Validate the CycloneDX XML ``text`` read from ``path`` and return its inventory."""
    root = _parse(text, path)
    found = _NAMESPACE.match(str(root.tag))
    if found is None:
        raise InputError(
            f"not a CycloneDX XML document: the root element is {root.tag!r}, not "
            "<bom xmlns='http://cyclonedx.org/schema/bom/1.x'>",
            path=str(path),
            line=root.sourceline,
        )
    version = found.group(1)
    if version not in CYCLONEDX_VERSIONS:
        raise InputError(
            f"CycloneDX XML version {version!r} is not supported ({', '.join(CYCLONEDX_VERSIONS)})",
            path=str(path),
        )
    _validate(text, version, path)
    return cyclonedx_inventory(_bom(root, version), path, validate=False)


def _parse(text: str, path: Path) -> Any:
    from lxml import etree  # type: ignore[import-untyped]

    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(text.encode("utf-8"), parser=parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(
            f"not well-formed XML: {exc.msg}", path=str(path), line=exc.lineno
        ) from None
    if root.getroottree().docinfo.doctype:
        line = text.count("\n", 0, max(text.find("<!DOCTYPE"), 0)) + 1
        raise InputError(
            "an SBOM must not have a DOCTYPE (DTDs and entities are not read)",
            path=str(path),
            line=line,
        )
    return root


def _validate(text: str, version: str, path: Path) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.xml import XmlValidator

    errors = XmlValidator(SchemaVersion.from_version(version)).validate_str(text, all_errors=True)
    first = next(iter(errors or ()), None)
    if first is None:
        return
    entry: Any = first.data  # lxml's log entry: message and line
    message = str(entry.message).replace(f"{{http://cyclonedx.org/schema/bom/{version}}}", "")
    if len(message) > 200:
        message = message[:200] + " …"
    raise InputError(
        f"not a valid CycloneDX {version} XML document: {message}",
        path=str(path),
        line=entry.line or None,
    )


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(element: Any) -> str:
    return str(element.text or "").strip()


def _bom(root: Any, version: str) -> dict[str, Any]:
    """The JSON shape of the parts of a validated ``<bom>`` that the inventory is built from."""
    data: dict[str, Any] = {"bomFormat": "CycloneDX", "specVersion": version}
    for child in root:
        tag = _local(child)
        if tag == "metadata":
            data["metadata"] = _metadata(child)
        elif tag == "components":
            data["components"] = _components(child)
        elif tag == "dependencies":
            data["dependencies"] = [
                {
                    "ref": d.get("ref"),
                    "dependsOn": [e.get("ref") for e in d if _local(e) == "dependency"],
                }
                for d in child
                if _local(d) == "dependency"
            ]
    return data


def _metadata(element: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for child in element:
        tag = _local(child)
        if tag == "timestamp":
            out["timestamp"] = _text(child)
        elif tag == "component":
            out["component"] = _component(child)
        elif tag == "tools":
            # 1.2-1.4 list <tool> elements; 1.5+ <components> (and <services>)
            tools: list[dict[str, Any]] = []
            for entry in child:
                if _local(entry) == "tool":
                    tools.append({_local(e): _text(e) for e in entry if _local(e) != "hashes"})
                elif _local(entry) == "components":
                    tools.extend(_components(entry))
            out["tools"] = tools
    return out


def _components(element: Any) -> list[dict[str, Any]]:
    return [_component(c) for c in element if _local(c) == "component"]


def _component(element: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for attribute in ("type", "bom-ref"):
        if element.get(attribute) is not None:
            out[attribute] = element.get(attribute)
    for child in element:
        tag = _local(child)
        if tag in ("name", "version", "group", "scope", "purl"):
            out[tag] = _text(child)
        elif tag == "licenses":
            out["licenses"] = _licenses(child)
        elif tag == "properties":
            out["properties"] = [
                {"name": p.get("name"), "value": p.text or ""}
                for p in child
                if _local(p) == "property"
            ]
        elif tag == "components":
            out["components"] = _components(child)
        elif tag == "evidence":
            out["evidence"] = _evidence(child)
        elif tag == "hashes":
            out["hashes"] = [
                {"alg": h.get("alg"), "content": _text(h)} for h in child if _local(h) == "hash"
            ]
    return out


def _licenses(element: Any) -> list[dict[str, Any]]:
    """``<license><id>|<name>``, ``<expression>`` and 1.7's ``<expression-detailed
    expression=…>``, with ``acknowledgement`` (1.6+)."""
    out: list[dict[str, Any]] = []
    for child in element:
        tag = _local(child)
        ack = child.get("acknowledgement")
        if tag == "license":
            lic = {_local(e): _text(e) for e in child if _local(e) in ("id", "name")}
            if ack:
                lic["acknowledgement"] = ack
            out.append({"license": lic})
        elif tag in ("expression", "expression-detailed"):
            text = _text(child) if tag == "expression" else str(child.get("expression") or "")
            entry = {"expression": text}
            if ack:
                entry["acknowledgement"] = ack
            out.append(entry)
    return out


def _evidence(element: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for child in element:
        tag = _local(child)
        if tag == "licenses":
            out["licenses"] = _licenses(child)
        elif tag == "occurrences":
            out["occurrences"] = [
                {_local(e): _text(e) for e in o if _local(e) in ("location", "additionalContext")}
                for o in child
                if _local(o) == "occurrence"
            ]
    return out
