"""HL7 FHIR R4 (4.0.1) for journal systems, mounted at /fhir/r4/ (issue 14).

An adapter beside the REST API over the same services and queries: the API's bearer
tokens, the same route policies, the same audit and the same idempotency. Resources
are built with fhir.resources' R4B models (R4-compatible) and answered as
application/fhir+json; refusals are OperationOutcomes carrying our stable codes.
"""
