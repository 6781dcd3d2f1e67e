"""The code an authenticator app shows: RFC 6238 with the parameters Tessera uses (and apps
expect), HMAC-SHA1, 30-second steps, 6 digits. Standard library only.

Checked against RFC 6238's SHA-1 test vectors (appendix B; its 8-digit codes end in these 6
digits), with the RFC's key "12345678901234567890" as base32: `python3 -m doctest totp.py`.

>>> secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
>>> [totp_code(secret, t) for t in (59, 1111111109, 1111111111, 1234567890, 2000000000, 20000000000)]
['287082', '081804', '050471', '005924', '279037', '353130']
>>> totp_code("gezd gnbv gy3t qojq gezd gnbv gy3t qojq", 59)  # as people type it in
'287082'
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time


def totp_code(secret_base32: str, at: float | None = None) -> str:
    """The code at Unix time `at` (now by default) for a secret as BeginTotpEnrollment returns
    it (base32, no padding; spaces and lower case accepted)."""
    secret = secret_base32.replace(" ", "").upper().rstrip("=")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    # RFC 4226 dynamic truncation: 31 bits from the offset the last nibble names.
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"
