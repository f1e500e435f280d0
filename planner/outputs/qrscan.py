"""Read QR tickets from a phone photo taken at the door.

The check-in page hands us whatever ``st.camera_input`` produced: a JPEG of roughly
1280×960 in which the guest's ticket is somewhere, at some angle, maybe small, blurred,
noisy, dimly lit, or shown light-on-dark on a phone in dark mode. A volunteer waits for
the answer, so the common case must be quick (tens of milliseconds), and a bad upload must
never bring the page down: every function here returns "nothing found" rather than raising.

zxing-cpp (``import zxingcpp``) does the finding and decoding; Pillow only opens the bytes,
guards against oversized images and, when the first attempt finds nothing, prepares one or
two cleaned-up versions of the picture for a second try.
"""

from __future__ import annotations

import io
import logging
import math

import zxingcpp
from PIL import Image, ImageFilter, ImageOps

__all__ = ["decode_qr", "decode_first"]

# An image whose header claims more pixels than this is refused before any pixel is
# decoded: a 1280×960 camera frame is 1.2 MP and even a 48 MP phone photo fits, but a
# PNG of a few kilobytes that unpacks to gigabytes (a "decompression bomb") does not.
MAX_PIXELS = 50_000_000

# Longest side we hand to the decoder. Bigger photos are shrunk first: a ticket that fills
# any sensible part of the frame still has several pixels per module at this size, and the
# decoder's time grows with the pixel count.
MAX_SIDE = 4000

# Below this longest side a picture is enlarged for the fallback pass, so that a code that
# is only a few pixels per module gets smoother edges for the binarizer to work on.
UPSCALE_BELOW = 1000

# zxing-cpp 3 treats QRCode as the QR family (Model 1/2, Micro QR, rMQR); 2.x as Model 2.
# Either way, asking for QR only saves the time the linear and other 2D readers would take
# and rules out a stray barcode in the background being reported as a ticket.
_QR = zxingcpp.BarcodeFormat.QRCode

log = logging.getLogger(__name__)


def _decoder_inverts() -> bool:
    """Whether this zxing-cpp's read_barcodes takes ``try_invert`` (3.0 and later do).

    On an older one, passing it would raise TypeError on every call, and a door that
    silently never reads anything is the worst failure; instead we invert the picture
    ourselves in an extra pass (see _attempts).
    """
    try:
        zxingcpp.read_barcodes(Image.new("L", (8, 8), 255), formats=_QR, try_invert=True)
    except TypeError:
        return False
    return True


_TRY_INVERT = _decoder_inverts()


def decode_qr(image: bytes) -> list[str]:
    """Return the text of every QR code found in a JPEG/PNG (or any Pillow-readable) photo.

    Order is the decoder's (roughly top to bottom); a text seen twice is reported once. The
    result is ``[]`` when there is no code, and also when ``image`` is not an image at all,
    is empty, truncated, or claims absurd dimensions: the door must keep working whatever a
    camera or a user uploads.
    """
    gray = _load_gray(image)
    if gray is None:
        return []
    try:
        for candidate in _attempts(gray):
            texts = _read(candidate)
            if texts:
                return texts
    except Exception:  # noqa: BLE001 - the door keeps working; the log shows what broke
        log.exception("QR decoding failed on a %s×%s image", *gray.size)
    return []


def decode_first(image: bytes) -> str | None:
    """The text of one QR code in the photo, or ``None``: what a check-in page needs."""
    texts = decode_qr(image)
    return texts[0] if texts else None


def _read(img: Image.Image) -> list[str]:
    """Run zxing-cpp on a grayscale image and return the distinct texts, in order.

    try_rotate finds codes at 90/180/270° (any in-between angle is handled by the
    detector itself), try_downscale also looks at shrunken copies, which is what finds
    blurred or very large codes, and try_invert covers light-on-dark codes from phone
    screens in dark mode. The binarizer is named although it is the default: LocalAverage
    thresholds each region against its neighbourhood, which copes with the uneven lighting
    of real photos; in our trials one global threshold (GlobalHistogram) missed small
    blurred codes, very low contrast and heavy noise that LocalAverage read.
    """
    options = dict(
        formats=_QR,
        try_rotate=True,
        try_downscale=True,
        binarizer=zxingcpp.Binarizer.LocalAverage,
    )
    if _TRY_INVERT:
        options["try_invert"] = True
    texts: list[str] = []
    for result in zxingcpp.read_barcodes(img, **options):
        text = result.text
        if text and text not in texts:
            texts.append(text)
    return texts


def _attempts(gray: Image.Image):
    """Yield the picture as it is, then variants that are easier to read, one try each.

    The first try succeeds on almost every real photo, so the extra passes only cost time
    (about 10 ms each at 1280×960) when a code is hard to see or absent. Autocontrast
    stretches a dim, washed-out photo to the full range and, for a small picture, enlarging
    it gives the binarizer smoother module edges; sharpening then restores edges that blur
    and JPEG softened, which rescues codes only a few pixels per module wide.
    """
    yield gray
    if not _TRY_INVERT:
        yield ImageOps.invert(gray)
    stretched = ImageOps.autocontrast(gray, cutoff=1)
    if max(stretched.size) < UPSCALE_BELOW:
        stretched = stretched.resize(
            (stretched.width * 2, stretched.height * 2), Image.Resampling.BICUBIC
        )
    yield stretched
    yield stretched.filter(ImageFilter.UnsharpMask(radius=2, percent=150, threshold=0))


def _load_gray(image: bytes) -> Image.Image | None:
    """Open ``image`` as an 8-bit grayscale picture of sensible size, or ``None``.

    The pixel count is read from the header and checked before any pixel is decoded, so a
    small file that claims huge dimensions costs nothing (Pillow's own decompression-bomb
    error, for claims far beyond that, is caught like any other failure). We do not touch
    ``Image.MAX_IMAGE_PIXELS`` or the warnings filters: both are process-wide, and
    Streamlit runs sessions in threads. JPEGs are decoded straight to grayscale, and at a
    reduced scale by libjpeg itself when larger than MAX_SIDE (``draft``); other formats
    are shrunk after loading. Transparent PNGs are laid on white first: a QR code saved
    with a transparent background would otherwise read as black on black.
    """
    if not isinstance(image, (bytes, bytearray, memoryview)) or len(image) == 0:
        return None
    try:
        im = Image.open(io.BytesIO(image))
        width, height = im.size
        if width < 1 or height < 1 or width * height > MAX_PIXELS:
            return None
        if im.format == "JPEG":
            # draft() picks the smallest libjpeg scale (1, 1/2, 1/4, 1/8) still at least
            # this size, and decodes luminance only: no colour conversion to pay for.
            ratio = min(1.0, MAX_SIDE / max(width, height))
            im.draft("L", (math.ceil(width * ratio), math.ceil(height * ratio)))
        im.load()
        gray = _to_gray(im)
        if max(gray.size) > MAX_SIDE:
            gray.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.BILINEAR)
    except Exception as exc:  # noqa: BLE001 - not an image, truncated, bomb, odd mode...
        log.debug("not a decodable image: %r", exc)
        return None
    return gray


def _to_gray(im: Image.Image) -> Image.Image:
    """Convert any Pillow mode to "L", flattening transparency onto white.

    16-bit grayscale (PNG "I;16"/"I") is scaled down to 8 bits; a plain convert would clip
    everything above 255 to white.
    """
    if im.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        return im.convert("I").point(lambda v: v * (1 / 256), "L")
    if im.mode == "P" and "transparency" in im.info:
        im = im.convert("RGBA")
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        im = Image.alpha_composite(Image.new("RGBA", im.size, "white"), im.convert("RGBA"))
    return im.convert("L")
