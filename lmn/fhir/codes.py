"""The systems and codes the interface writes, and the required bindings it checks.

fhir.resources does not enforce required code bindings (`status="bogus"` parses), so
every status the interface reads from a client is checked against these sets here.
"""

from __future__ import annotations

FHIR_VERSION = "4.0.1"
FHIR_JSON = "application/fhir+json"

# HL7 Sweden basprofiler 1.1.0 (http://hl7.se/fhir/ig/base)
SE_BASE = "http://hl7.se/fhir/ig/base"
SE_BASE_PATIENT = f"{SE_BASE}/StructureDefinition/SEBasePatient"
PERSONNUMMER = "http://electronichealth.se/identifier/personnummer"
SAMORDNINGSNUMMER = "http://electronichealth.se/identifier/samordningsnummer"
LMA_NUMMER = "http://electronichealth.se/identifier/LMA-nummer"
SECURITY_LABEL = f"{SE_BASE}/CodeSystem/SecurityLabel"
PROTECTED_REGISTRATION = "skyddadFolkbokforing"
HSA_ID = "urn:oid:1.2.752.29.4.19"

# LMN's own identifier systems and code systems
LMN = "https://lmn.vgregion.se/fhir"
CUSTOMER_NUMBER = f"{LMN}/identifier/kundnummer"
PRESCRIPTION_ID = f"{LMN}/identifier/forskrivning"
WITHDRAWAL_NUMBER = f"{LMN}/identifier/uttagsnummer"
ARTICLE_NUMBER = f"{LMN}/CodeSystem/artikelnummer"
PRODUCT_AREA = f"{LMN}/CodeSystem/produktomrade"
ROLE = f"{LMN}/CodeSystem/roll"
ERROR_CODE = f"{LMN}/CodeSystem/felkod"
DELIVERY_SPEED = f"{LMN}/CodeSystem/leveranssatt"
DELIVERY_DESTINATION = f"{LMN}/CodeSystem/leveransmal"
SHIPMENT_STEP = f"{LMN}/CodeSystem/leveranssteg"
AUDIT_ACTION = f"{LMN}/CodeSystem/loggad-handelse"
EXT_DESTINATION = f"{LMN}/StructureDefinition/leveransmal"
EXT_PROMISED_DATE = f"{LMN}/StructureDefinition/utlovat-leveransdatum"
EXT_MAX_SUPPLY_DAYS = f"{LMN}/StructureDefinition/max-forsorjningsdagar"

# required bindings of the R4 specification, for what clients send and what we answer
REQUEST_STATUS = frozenset(
    {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"}
)
SUPPLY_REQUEST_STATUS = frozenset(
    {"draft", "active", "suspended", "cancelled", "completed", "entered-in-error", "unknown"}
)
SUPPLY_DELIVERY_STATUS = frozenset({"in-progress", "completed", "abandoned", "entered-in-error"})
REQUEST_INTENT = frozenset(
    {
        "proposal",
        "plan",
        "directive",
        "order",
        "original-order",
        "reflex-order",
        "filler-order",
        "instance-order",
        "option",
    }
)
REQUEST_PRIORITY = frozenset({"routine", "urgent", "asap", "stat"})
