"""Read QR tickets from a phone photo taken at the door.

The check-in page hands us whatever ``st.camera_input`` produced: a JPEG of roughly
1280×960 in which the guest's ticket is somewhere, at some angle, maybe small, blurred,
noisy, dimly lit, or shown light-on-dark on a phone in dark mode. A volunteer waits for
the answer, so the common case must be quick (tens of milliseconds), and a bad upload must
never bring the page down: every function here returns "nothing found" rather than raising.

zxing-cpp (``import zxingcpp``) does the finding and decoding; Pillow only opens the bytes,
guards against oversized images and, when the first attempt finds nothing, prepares one or
two cleaned-up versions of the picture for a second try.

Anyone with a door pass can upload here, so an upload is judged before a pixel is decoded
(issue #9: a 208 KB PNG claiming 7000×7000 pixels took the server from 500 to 1,122 MiB):

* by its bytes, not its name: Pillow identifies the format from the file's signature and is
  only allowed to try JPEG, PNG and WebP, what phone cameras and browsers produce;
* by its size: at most ``MAX_BYTES`` uploaded and ``MAX_PIXELS`` decoded, read from the header
  by Pillow's lazy open (a JPEG of up to ``MAX_JPEG_PIXELS``, a 48-megapixel phone photo, is
  decoded by libjpeg at half scale or less, so it stays within ``MAX_PIXELS`` too);
* by how many at once: at most ``DECODING_AT_ONCE`` photos are decoded at a time in this
  process; another waits up to ``WAIT_FOR_DECODER`` seconds and is then refused.

``scan_photo`` says which with a ``ValidationError`` the door shows as a sentence;
``decode_qr`` and ``decode_first`` keep the old promise of never raising.
"""

from __future__ import annotations

import io
import logging
import math
import threading

import zxingcpp
from PIL import Image, ImageFilter, ImageOps

from ..errors import ValidationError

__all__ = ["decode_qr", "decode_first", "scan_photo"]

# Formats a camera frame comes in, named as Pillow identifies them from the bytes.
CAMERA_FORMATS = ("JPEG", "PNG", "WEBP")

# Uploads larger than this are refused unread: st.camera_input's 720p JPEG is 100–300 KB, and
# the server refuses uploads over 10 MB anyway (.streamlit/config.toml, server.maxUploadSize).
MAX_BYTES = 10 * 1024 * 1024

# At most this many pixels are decoded from one photo: a 1280×960 camera frame is 1.2 MP, a
# 12 MP phone photo fits; a PNG of a few kilobytes that unpacks to gigabytes (a
# "decompression bomb") is refused from its header. At one byte per pixel (JPEGs are decoded
# to grayscale) or four (PNG, WebP) that is at most 48 MB for the decoded picture.
MAX_PIXELS = 12_000_000
# A JPEG may claim up to four times as many (a 48 MP phone photo): libjpeg decodes it at half
# scale or less (``draft``), so what is decoded stays within MAX_PIXELS.
MAX_JPEG_PIXELS = 4 * MAX_PIXELS

# Photos decoded at once in this process, and how long another waits for its turn. A photo
# takes 10–100 ms, so a third volunteer scanning at the same moment waits a blink rather than
# being refused; a flood of uploads is refused after the wait instead of piling up threads
# that each hold a decoded picture.
DECODING_AT_ONCE = 2
WAIT_FOR_DECODER = 5.0
_decoders = threading.BoundedSemaphore(DECODING_AT_ONCE)

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


def scan_photo(image: bytes) -> list[str]:
    """The text of every QR code in a camera photo (JPEG, PNG or WebP), ``[]`` if there is none.

    Order is the decoder's (roughly top to bottom); a text seen twice is reported once.

    Raises ``ValidationError`` (field ``"photo"``) before decoding anything:
    ``photo_not_an_image`` when the bytes are not a JPEG, PNG or WebP picture (whatever the
    file is called), or are empty or truncated; ``photo_too_large`` when the upload is over
    ``MAX_BYTES`` or its header claims more pixels than a camera frame has; ``photo_busy``
    when ``DECODING_AT_ONCE`` photos are being decoded and none finished within
    ``WAIT_FOR_DECODER`` seconds.
    """
    if not isinstance(image, (bytes, bytearray, memoryview)) or len(image) == 0:
        raise ValidationError("photo_not_an_image", field="photo")
    if len(image) > MAX_BYTES:
        raise ValidationError("photo_too_large", field="photo")
    if not _decoders.acquire(timeout=WAIT_FOR_DECODER):
        raise ValidationError("photo_busy", field="photo")
    try:
        gray = _load_gray(image)
        try:
            for candidate in _attempts(gray):
                texts = _read(candidate)
                if texts:
                    return texts
        except Exception:  # noqa: BLE001 - the door keeps working; the log shows what broke
            log.exception("QR decoding failed on a %s×%s image", *gray.size)
        return []
    finally:
        _decoders.release()


def decode_qr(image: bytes) -> list[str]:
    """Like ``scan_photo``, but ``[]`` also for a refused upload: never raises."""
    try:
        return scan_photo(image)
    except ValidationError:
        return []


def decode_first(image: bytes) -> str | None:
    """The text of one QR code in the photo, or ``None`` (also for a refused upload)."""
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


def _load_gray(image: bytes) -> Image.Image:
    """Open ``image`` as an 8-bit grayscale picture of sensible size, or refuse it.

    Pillow's lazy open reads only the header: the format (from the bytes' signature, trying
    only CAMERA_FORMATS) and the pixel count are checked before any pixel is decoded, so a
    small file that claims huge dimensions costs nothing. Pillow's own decompression-bomb
    limit (``Image.MAX_IMAGE_PIXELS``, about 89 MP) is left as it is: it is process-wide and
    other code in the process opens images too; ours is far lower and checked first, and
    Pillow's error (or its warning, where a filter turns it into one) still counts as too
    large. JPEGs are decoded straight to grayscale, and at a reduced scale by libjpeg itself
    when larger than MAX_SIDE or MAX_PIXELS (``draft``); other formats are shrunk after
    loading. Transparent PNGs are laid on white first: a QR code saved with a transparent
    background would otherwise read as black on black.
    """
    try:
        im = Image.open(io.BytesIO(image), formats=CAMERA_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        log.info("refused a photo: %s", exc)
        raise ValidationError("photo_too_large", field="photo") from None
    except Exception as exc:  # noqa: BLE001 - not an image, or not a camera format
        log.debug("not a camera photo: %r", exc)
        raise ValidationError("photo_not_an_image", field="photo") from None
    width, height = im.size
    if width < 1 or height < 1:
        raise ValidationError("photo_not_an_image", field="photo")
    if width * height > (MAX_JPEG_PIXELS if im.format == "JPEG" else MAX_PIXELS):
        raise ValidationError("photo_too_large", field="photo")
    try:
        if im.format == "JPEG":
            # libjpeg decodes at 1, 1/2, 1/4 or 1/8 scale, luminance only (no colour
            # conversion to pay for): the largest scale within MAX_PIXELS and, for a big
            # photo, the smallest still at least MAX_SIDE on its longest side.
            scale = _jpeg_scale(width, height)
            im.draft("L", (width // scale, height // scale))
            if im.width * im.height > MAX_PIXELS:  # a scale libjpeg could not reach
                raise ValidationError("photo_too_large", field="photo")
        im.load()
        gray = _to_gray(im)
        if max(gray.size) > MAX_SIDE:
            gray.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.BILINEAR)
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - truncated, damaged, odd mode...
        log.debug("not a decodable image: %r", exc)
        raise ValidationError("photo_not_an_image", field="photo") from None
    return gray


def _jpeg_scale(width: int, height: int) -> int:
    fits = [s for s in (1, 2, 4, 8) if math.ceil(width / s) * math.ceil(height / s) <= MAX_PIXELS]
    big_enough = [s for s in (1, 2, 4, 8) if max(width, height) // s >= MAX_SIDE]
    return max(fits[:1] + big_enough[-1:]) if fits else 8


def _to_gray(im: Image.Image) -> Image.Image:
    """Convert any Pillow mode to "L", flattening transparency onto white.

    16-bit grayscale (PNG "I;16"/"I") is scaled down to 8 bits; a plain convert would clip
    everything above 255 to white. ``point`` on an "I" image gives an "I" image whatever mode
    it is asked for, so the result is converted to "L" after: left in "I", the first pass
    read it but the fallback passes (autocontrast) raised, and a hard 16-bit photo was
    never tried again.
    """
    if im.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        return im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if im.mode == "P" and "transparency" in im.info:
        im = im.convert("RGBA")
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        im = Image.alpha_composite(Image.new("RGBA", im.size, "white"), im.convert("RGBA"))
    return im.convert("L")
