"""FHIR R4 for CRS Bedside: the records as FHIR resources (:mod:`core.fhir.mapping`), one ``collection`` Bundle of
the whole file (:mod:`core.fhir.export`), and the push to a hospital's FHIR R4 server (:mod:`core.fhir.push`).

Imported only by ``crs-bedside export --format fhir-r4``, ``crs-bedside push`` and the window's "Export for the EHR"
and send actions: the resource models of ``fhir.resources`` (R4B, pydantic v2) cost about half a second to import, and
start-up never pays for them (tests/core/test_fhir_export.py proves it).
"""
