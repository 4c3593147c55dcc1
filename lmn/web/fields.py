"""The portal's text field: what is stored is the NFC form, and its length is measured.

NFC can lengthen a text ("\\u0958" becomes two characters), so a value that fits
before normalising might not fit its column after it; the API does the same
(lmn/api/fields.py), so both channels store one form of a name.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms


class TextField(forms.CharField):
    def to_python(self, value: Any) -> str | None:
        # max_length and the other validators run on what this returns
        text = super().to_python(value)
        return unicodedata.normalize("NFC", text) if text else text
