"""What a phone number and an enterprise's credit code look like: one rule for the API, the pages and the services."""
from __future__ import annotations

import re
import unicodedata

# A mainland mobile (13812345678) or a landline with its area code (0734-8888888).
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
# GB 32100-2015 unified social credit code: 18 characters, no I, O, S, V, Z.
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")
CREDIT_CODE_LENGTH = 18
# What people type around the digits: spaces (also full-width), dashes, dots, brackets.
_PHONE_NOISE = re.compile(r"[\s\u3000\-－—.()（）]")


def normalise_phone(typed: str) -> str | None:
    """The number as stored (13812345678, 0734-8888888), or None if it is no phone number.

    Callers read numbers out as they like: "138 1234 5678", "138-1234-5678", "+86 138 1234 5678",
    "(0734) 888 8888", "+86 734 8888888". Area codes 010 and 02x have three digits, every other one four.
    """
    digits = _PHONE_NOISE.sub("", unicodedata.normalize("NFKC", typed).strip())  # full-width digits too
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix):]
            if not digits.startswith(("1", "0")):
                digits = "0" + digits  # the landline's trunk 0 is dropped after the country code
            break
    if not digits.isdigit():
        return None
    if digits.startswith("86") and len(digits) == 13 and digits[2] == "1":
        digits = digits[2:]  # "86 138…" without the plus
    if PHONE.match(digits) and digits.startswith("1"):
        return digits
    if digits.startswith("0"):
        area = 3 if digits[1] in "12" else 4
        local = digits[area:]
        if 7 <= len(local) <= 8:
            return f"{digits[:area]}-{local}"
    return None


def normalise_credit_code(code: str) -> str | None:
    """The code as the register prints it (upper-case, trimmed: operators type either case), or None if malformed."""
    value = code.strip().upper()
    return value if CREDIT_CODE.match(value) else None
