"""What the door does with an upload before reading it (issue #9, "files").

A door pass lets anyone upload a "camera photo". A 208 KB PNG that decodes to 49 megapixels
took the server from 500 to 1,122 MiB; a text file called ``ticket.jpg`` or a GIF should not
be decoded either. ``scan_photo`` refuses such uploads with a sentence before decoding a
pixel, decodes at most two photos at a time, and still reads real tickets in every mode a
PNG can come in. Memory is measured in a fresh subprocess (its peak resident size, reset
just before the call), so other tests in this process cannot disturb the number.
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import threading
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from planner import SYSTEM, ValidationError
from planner.outputs import qrscan
from planner.outputs.qrscan import decode_first, decode_qr, scan_photo
from tests.conftest import is_readable
from tests.domain.test_qrscan import TICKET, jpeg, paste_ticket, photo, png, ticket_image

ROOT = Path(__file__).resolve().parents[2]
MIB = 1024 * 1024


def png_file(width: int, height: int, bit_depth: int, idat: bytes) -> bytes:
    """A PNG (colour type RGB) written by hand around ``idat``, the compressed rows."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def bomb_png(width: int = 7000, height: int = 7000) -> bytes:
    """A real, valid RGB PNG of ``width``×``height`` black pixels, compressed as tightly as
    zlib can (about 150 KB for 7000×7000): built row by row, so making it costs no memory."""
    squeeze = zlib.compressobj(9)
    row = b"\x00" * (1 + 3 * width)  # filter byte 0, then black pixels
    return png_file(width, height, 8, b"".join(squeeze.compress(row) for _ in range(height)) + squeeze.flush())


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return bomb_png()


def refused(data, code: str) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        scan_photo(data)
    err = info.value
    assert err.code == code and err.field == "photo", repr(err)
    assert is_readable(str(err)), str(err)
    assert decode_qr(data) == [] and decode_first(data) is None  # the old functions never raise
    return err


# --- image bombs -------------------------------------------------------------------------------


def test_the_bomb_is_a_small_file_that_claims_49_megapixels(bomb):
    assert len(bomb) < 300_000
    with Image.open(io.BytesIO(bomb)) as im:  # lazy: the header only
        assert im.size == (7000, 7000) and im.format == "PNG"


def test_a_49_megapixel_png_is_refused_as_too_large(bomb):
    refused(bomb, "photo_too_large")


MEASURE = r"""
import json, sys, threading
from pathlib import Path
from planner.outputs.qrscan import scan_photo
from planner.errors import ValidationError

def peak_kib():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

data = Path(sys.argv[1]).read_bytes()
at_once = int(sys.argv[2])
codes = []

def one():
    try:
        codes.append(repr(scan_photo(data)))
    except ValidationError as err:
        codes.append(err.code)

Path("/proc/self/clear_refs").write_text("5")  # the peak starts again from what is in use now
before = peak_kib()
threads = [threading.Thread(target=one) for _ in range(at_once)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps({"growth_kib": peak_kib() - before, "codes": codes}))
"""


def peak_growth(tmp_path, data: bytes, at_once: int) -> dict:
    """Run ``at_once`` threads of scan_photo(data) in a fresh Python; how much its peak memory grew."""
    path = tmp_path / "upload.png"
    path.write_bytes(data)
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path), str(at_once)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("at_once", [1, 4])
def test_the_bomb_is_refused_without_the_memory_it_claims(tmp_path, bomb, at_once):
    measured = peak_growth(tmp_path, bomb, at_once)
    assert measured["codes"] == ["photo_too_large"] * at_once
    assert measured["growth_kib"] * 1024 < 100 * MIB, measured


def test_the_memory_measure_sees_a_real_decode(tmp_path):
    """The measure above can fail: a 3400×3400 PNG (11.6 MP, within the limit; a smooth
    gradient, so a small file) decoded in four threads shows tens of megabytes of growth."""
    ramp = np.add.outer(np.arange(3400), np.arange(3400)) % 256
    gradient = np.stack([ramp, ramp[::-1], ramp.T], axis=-1).astype(np.uint8)
    data = png(Image.fromarray(gradient, "RGB"))
    assert len(data) < qrscan.MAX_BYTES
    measured = peak_growth(tmp_path, data, 4)
    assert measured["codes"] == ["[]"] * 4
    assert measured["growth_kib"] * 1024 > 40 * MIB, measured


def test_a_png_just_over_the_pixel_limit_is_refused_from_its_header():
    width = 4000
    height = qrscan.MAX_PIXELS // width + 1
    refused(bomb_png(width, height), "photo_too_large")


def test_a_jpeg_claiming_more_than_a_48_megapixel_photo_is_refused():
    header_only = io.BytesIO()
    Image.new("L", (8, 8)).save(header_only, "JPEG")
    data = bytearray(header_only.getvalue())
    sof = data.index(b"\xff\xc0")  # baseline frame header: precision, height, width
    struct.pack_into(">HH", data, sof + 5, 7000, 7000)
    refused(bytes(data), "photo_too_large")


def test_an_upload_over_the_byte_limit_is_refused_unread():
    refused(b"\xff\xd8\xff" + b"\x00" * qrscan.MAX_BYTES, "photo_too_large")


def test_pillows_own_bomb_error_counts_as_too_large(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # Pillow errors above twice this
    refused(png(Image.new("L", (100, 100), 255)), "photo_too_large")


# --- the format is read from the bytes, not the name -----------------------------------------------

NOT_CAMERA_PHOTOS = {
    "text file named ticket.jpg": b"This is my ticket, please let me in.\n",
    "html": b"<!doctype html><html><body><img src=x onerror=alert(1)></body></html>",
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
    "empty": b"",
    "truncated jpeg": jpeg(photo())[:3000],
}


@pytest.mark.parametrize("data", NOT_CAMERA_PHOTOS.values(), ids=NOT_CAMERA_PHOTOS.keys())
def test_what_is_not_an_image_is_refused_as_not_a_photo(data):
    refused(data, "photo_not_an_image")


def _ticket_as(fmt: str, **options) -> bytes:
    out = io.BytesIO()
    photo(width=0.4).convert("RGB").save(out, fmt, **options)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF", "ICO"])
def test_a_real_ticket_in_a_format_no_camera_makes_is_refused(fmt):
    refused(_ticket_as(fmt), "photo_not_an_image")


# --- real tickets in every mode a camera or a screenshot gives ------------------------------------


def _ticket_photo() -> Image.Image:
    return paste_ticket(Image.new("RGB", (1280, 960), (200, 190, 170)), width=0.4, angle=12)


def _png_16_bit_gray() -> bytes:
    deep = Image.fromarray(np.asarray(_ticket_photo().convert("L"), np.uint16) * 257)
    data = png(deep)
    with Image.open(io.BytesIO(data)) as im:
        assert im.mode == "I;16", im.mode  # really 16 bits per pixel in the file
    return data


def _png_16_bit_colour() -> bytes:
    """An RGB PNG of 16 bits per channel, written by hand (Pillow writes 8)."""
    rgb = np.asarray(_ticket_photo(), np.uint16) * 257
    h, w, _ = rgb.shape
    rows = b"".join(b"\x00" + rgb[y].astype(">u2").tobytes() for y in range(h))
    return png_file(w, h, 16, zlib.compress(rows))


def _png_palette() -> bytes:
    return png(_ticket_photo().convert("P", palette=Image.Palette.ADAPTIVE, colors=16))


def _png_gray_alpha() -> bytes:
    """LA: the ticket's black modules opaque, everything else transparent."""
    card = ticket_image().resize((500, 500))
    la = Image.new("LA", card.size, (0, 0))
    la.putalpha(Image.eval(card, lambda v: 255 - v))
    assert la.mode == "LA"
    return png(la)


def _webp() -> bytes:
    out = io.BytesIO()
    _ticket_photo().save(out, "WEBP", quality=80)
    return out.getvalue()


def _jpeg_48_megapixels() -> bytes:
    big = paste_ticket(Image.new("L", (8000, 6000), 160), width=0.3, angle=15)
    return jpeg(big, 70)


TICKETS = {
    "jpeg": lambda: jpeg(_ticket_photo()),
    "png": lambda: png(_ticket_photo()),
    "16-bit gray png": _png_16_bit_gray,
    "16-bit colour png": _png_16_bit_colour,
    "palette png": _png_palette,
    "gray + alpha png": _png_gray_alpha,
    "webp": _webp,
    "48 MP jpeg (decoded at half scale)": _jpeg_48_megapixels,
}


@pytest.mark.parametrize("make", TICKETS.values(), ids=TICKETS.keys())
def test_a_real_ticket_decodes_in_every_camera_format_and_mode(make):
    assert scan_photo(make()) == [TICKET]


def test_a_16_bit_png_goes_through_the_fallback_passes_too():
    """A 16-bit PNG whose code only the autocontrast pass can read: the 16-bit picture is
    brought to 8 bits first, so every pass sees it."""
    dim = np.asarray(_ticket_photo().convert("L"), np.float64)
    faint = (120 + (dim - dim.mean()) * 0.03).clip(0, 255)  # contrast squeezed to 3%
    deep = Image.fromarray((faint * 257).astype(np.uint16))
    assert scan_photo(png(deep)) == [TICKET]


# --- two at a time ---------------------------------------------------------------------------------


@pytest.fixture
def both_decoders_busy():
    """Two decodes in progress (the semaphore's two places taken) until the test lets go."""
    taken = [qrscan._decoders.acquire(timeout=5) for _ in range(qrscan.DECODING_AT_ONCE)]
    assert all(taken)
    held = list(range(qrscan.DECODING_AT_ONCE))
    yield held
    for _ in held:
        qrscan._decoders.release()


def test_a_third_photo_while_two_are_decoded_is_refused_after_a_short_wait(monkeypatch, both_decoders_busy):
    monkeypatch.setattr(qrscan, "WAIT_FOR_DECODER", 0.05)
    refused(jpeg(_ticket_photo()), "photo_busy")


def test_a_third_photo_is_read_as_soon_as_a_decoder_is_free(both_decoders_busy):
    answers = []
    third = threading.Thread(target=lambda: answers.append(scan_photo(jpeg(_ticket_photo()))))
    third.start()
    third.join(0.2)
    assert answers == [] and third.is_alive()  # waiting for its turn, not decoding
    qrscan._decoders.release()
    both_decoders_busy.pop()
    third.join(30)
    assert answers == [[TICKET]]


def test_refused_uploads_give_their_place_back():
    for _ in range(qrscan.DECODING_AT_ONCE + 3):
        with pytest.raises(ValidationError):
            scan_photo(b"not an image")
        with pytest.raises(ValidationError):
            scan_photo(bomb_png(5000, 5000))
    assert scan_photo(jpeg(_ticket_photo())) == [TICKET]


def test_drawing_a_poster_leaves_the_photo_checks_strict(planner, make_event):
    """WeasyPrint's import makes Pillow accept truncated images process-wide; the planner undoes
    it, so after a poster is drawn a truncated JPEG is still refused (a test order once hid it)."""
    from PIL import ImageFile

    event = make_event()
    assert planner.poster_pdf(event.id, actor=SYSTEM).startswith(b"%PDF")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    refused(NOT_CAMERA_PHOTOS["truncated jpeg"], "photo_not_an_image")
