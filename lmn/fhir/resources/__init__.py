"""One module per group of resources: how LMN's records render as FHIR, and their views."""
