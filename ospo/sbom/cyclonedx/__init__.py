# SPDX-License-Identifier: Apache-2.0
"""CycloneDX: the reader (``reader``, JSON; ``xml``, XML into the JSON shape), the writer
(``writer``, JSON and XML from one ``Bom``) and schema validation (``validation``)."""
