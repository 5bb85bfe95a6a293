"""Small real files for the attachment tests, made with Pillow."""
from __future__ import annotations

import io

from PIL import Image


def png(width: int = 640, height: int = 480) -> bytes:
    """A PNG photo of one colour."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
