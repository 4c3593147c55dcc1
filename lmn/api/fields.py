"""Input field types shared by the API's request schemas.

Every text field goes through `Text`: it refuses control characters and lone
surrogates (which PostgreSQL cannot store and which never belong in a name or an
address), stores the NFC form and caps the length of what is stored (NFC can lengthen
a text: "\u0958" becomes two characters), so odd input answers 422 instead of 500.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated, Any

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


def _stored_text(max_length: int) -> AfterValidator:
    """The NFC form, refused when it is longer than the column it goes into."""

    def check(value: str) -> str:
        value = _no_odd_characters(value)
        if len(value) > max_length:
            raise PydanticCustomError(
                "string_too_long",
                "String should have at most {max_length} characters",
                {"max_length": max_length},
            )
        return value

    return AfterValidator(check)


def _text(max_length: int) -> Any:
    # the first cap refuses huge input before normalising it; the second measures the NFC form
    return Annotated[str, StringConstraints(max_length=max_length), _stored_text(max_length)]


Text20 = _text(20)
Text30 = _text(30)
Text40 = _text(40)
Text100 = _text(100)
Text200 = _text(200)
Text300 = _text(300)
Text1000 = _text(1000)

Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
Amount = Annotated[StrictInt, Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT)]
