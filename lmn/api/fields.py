"""Input field types shared by the API's request schemas.

Every text field goes through `Text`: it refuses control characters and lone
surrogates (which PostgreSQL cannot store and which never belong in a name or an
address) and caps the length, so odd input answers 422 instead of 500.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, Field, StrictInt, StringConstraints
from pydantic_core import PydanticCustomError

# the largest primary key both SQLite and PostgreSQL (bigint) can hold
MAX_ID = 2**63 - 1
# larger than any quantity or amount the domain accepts, small enough for any integer column
MAX_AMOUNT = 2**31 - 1


def _no_odd_characters(value: str) -> str:
    for ch in value:
        category = unicodedata.category(ch)
        if category == "Cs" or (category == "Cc" and ch not in "\t\n\r"):
            raise PydanticCustomError("invalid_characters", "Texten innehåller otillåtna tecken.")
    return unicodedata.normalize("NFC", value)


Text20 = Annotated[str, StringConstraints(max_length=20), AfterValidator(_no_odd_characters)]
Text30 = Annotated[str, StringConstraints(max_length=30), AfterValidator(_no_odd_characters)]
Text40 = Annotated[str, StringConstraints(max_length=40), AfterValidator(_no_odd_characters)]
Text100 = Annotated[str, StringConstraints(max_length=100), AfterValidator(_no_odd_characters)]
Text200 = Annotated[str, StringConstraints(max_length=200), AfterValidator(_no_odd_characters)]
Text300 = Annotated[str, StringConstraints(max_length=300), AfterValidator(_no_odd_characters)]
Text1000 = Annotated[str, StringConstraints(max_length=1000), AfterValidator(_no_odd_characters)]

Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
Amount = Annotated[StrictInt, Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT)]
