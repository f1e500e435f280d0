"""Drawing a ticket's QR code (qrcode). Reading codes back from door photos is ``qrscan``."""

from __future__ import annotations

import functools
import io


@functools.lru_cache(maxsize=1024)
def qr_png(url: str) -> bytes:
    """A QR code PNG (about 10 ms to draw). A ticket's URL never changes, so the private page
    reruns (saving details, the cancel step) and the rush draw each code once."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=12, border=4)
    qr.add_data(url)
    qr.make(fit=True)
    out = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(out, format="PNG")
    return out.getvalue()
