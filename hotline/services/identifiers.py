"""What a phone number and an enterprise's credit code look like: one rule for the API, the pages and the services."""
from __future__ import annotations

import re

# A mainland mobile (13812345678) or a landline with its area code (0734-8888888).
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
# GB 32100-2015 unified social credit code: 18 characters, no I, O, S, V, Z.
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
CREDIT_CODE_LENGTH = 18


def normalise_credit_code(code: str) -> str | None:
    """The code as the register prints it (upper-case, trimmed: operators type either case), or None if malformed."""
    value = code.strip().upper()
    return value if CREDIT_CODE.match(value) else None
