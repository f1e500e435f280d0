"""decode_qr on photos of QR tickets like the ones a volunteer's phone takes at the door.

There are no photo fixtures: each test builds its own 1280×960 "photo" with Pillow — a lit
gradient with sensor noise and some clutter, a ticket printed with ``qrcode`` (error
correction M, as the planner prints them) pasted somewhere on it — then degrades it the way
phones do (rotation, blur, a small code, noise, low contrast, perspective, strong JPEG,
dark-mode inversion) and checks the exact ticket text comes back. Bad uploads must give []
without raising, whatever they are.
"""

from __future__ import annotations

import functools
import io
import math
import struct
import zlib

import numpy as np
import pytest
import qrcode
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageEnhance, ImageFilter, ImageOps

from planner.outputs.qrscan import decode_first, decode_qr
from tests.support.fakecamera import png_to_y4m, y4m_header, y4m_size

TICKET = "http://localhost:8501/checkin?code=ABCD-EFGH-JKMN-PQRS"
OTHER_TICKET = "http://localhost:8501/checkin?code=WXYZ-2345-6789-ABCD"
W, H = 1280, 960


# --- building photos ------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def ticket_image(text: str = TICKET) -> Image.Image:
    """The QR code as the planner would print it: error correction M, 4-module quiet zone."""
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4)
    qr.add_data(text)
    qr.make(fit=True)
    return qr.make_image(fill_color="black", back_color="white").get_image().convert("L")


def ticket_png(text: str = TICKET) -> bytes:
    out = io.BytesIO()
    ticket_image(text).save(out, "PNG")
    return out.getvalue()


@functools.lru_cache(maxsize=4)
def _background(seed: int) -> Image.Image:
    rng = np.random.default_rng(seed)
    x = np.linspace(0.0, 1.0, W)[None, :]
    y = np.linspace(0.0, 1.0, H)[:, None]
    light = 90 + 80 * x + 50 * y  # uneven lighting across the frame
    rgb = np.stack([light * 0.9, light, light * 1.1], axis=-1)
    rgb = rgb + rng.normal(0, 8, rgb.shape)  # sensor noise
    img = Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB")
    for _ in range(12):  # clutter: a table, a badge, a sleeve...
        x0, y0 = int(rng.integers(0, W)), int(rng.integers(0, H))
        w, h = int(rng.integers(20, 200)), int(rng.integers(20, 200))
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        img.paste(colour, (x0, y0, min(W, x0 + w), min(H, y0 + h)))
    return img


def background(seed: int = 0) -> Image.Image:
    return _background(seed).copy()


def skew(card: Image.Image, amount: float) -> Image.Image:
    """Perspective: the top edge of the card shrinks by ``amount`` of its width on each side,
    as when the phone is tilted back."""
    w, h = card.size
    dst = [(w * amount, 0), (w * (1 - amount), 0), (w, h), (0, h)]
    src = [(0, 0), (w, 0), (w, h), (0, h)]
    rows, rhs = [], []
    for (X, Y), (x, y) in zip(dst, src):
        rows.append([X, Y, 1, 0, 0, 0, -x * X, -x * Y])
        rhs.append(x)
        rows.append([0, 0, 0, X, Y, 1, -y * X, -y * Y])
        rhs.append(y)
    coeffs = np.linalg.solve(np.array(rows, float), np.array(rhs, float))
    return card.transform((w, h), Image.Transform.PERSPECTIVE, tuple(coeffs), Image.Resampling.BICUBIC)


def paste_ticket(
    photo: Image.Image,
    text: str = TICKET,
    *,
    width: float = 0.35,
    angle: float = 0.0,
    center: tuple[float, float] = (0.5, 0.5),
    invert: bool = False,
    perspective: float = 0.0,
) -> Image.Image:
    """Paste the ticket (quiet zone included) at ``width`` × the photo's width, rotated by
    ``angle`` degrees around its centre at ``center`` (fractions of the photo's size)."""
    side = max(8, round(photo.width * width))
    card = ticket_image(text).resize((side, side), Image.Resampling.BILINEAR)
    if invert:  # a phone screen in dark mode: light modules on a dark quiet zone
        card = ImageOps.invert(card)
    card = card.convert("RGBA")
    if perspective:
        card = skew(card, perspective)
    if angle % 360:
        card = card.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    cx, cy = round(center[0] * photo.width), round(center[1] * photo.height)
    photo.paste(card, (cx - card.width // 2, cy - card.height // 2), card)
    return photo


def photo(**ticket) -> Image.Image:
    """A 1280×960 photo with one ticket on it (see paste_ticket for the options)."""
    seed = ticket.pop("seed", 0)
    return paste_ticket(background(seed), **ticket)


def blur(img: Image.Image, radius: float) -> Image.Image:
    return img.filter(ImageFilter.GaussianBlur(radius))


def noisy(img: Image.Image, sigma: float = 25, seed: int = 1) -> Image.Image:
    rng = np.random.default_rng(seed)
    pixels = np.asarray(img.convert("RGB"), float)
    pixels = pixels + rng.normal(0, sigma, (img.height, img.width, 1))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")


def low_contrast(img: Image.Image, factor: float = 0.2) -> Image.Image:
    """Dim, washed-out: the whole range squeezed to ``factor`` of itself around mid-grey."""
    return ImageEnhance.Contrast(img).enhance(factor)


def jpeg(img: Image.Image, quality: int = 85) -> bytes:
    """What st.camera_input hands over."""
    out = io.BytesIO()
    img.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


def png(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A valid-looking PNG signature and IHDR for ``width``×``height`` and a tiny IDAT:
    a few dozen bytes that would decompress to gigabytes if anyone believed them."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


# --- a ticket survives what phones do to it --------------------------------------------------

DEGRADED = {
    "straight": lambda: jpeg(photo()),
    # the code turned on the table / the phone held at an angle
    "code turned 90": lambda: jpeg(photo(angle=90)),
    "code turned 180": lambda: jpeg(photo(angle=180)),
    "code turned 270": lambda: jpeg(photo(angle=270)),
    "code turned 17": lambda: jpeg(photo(angle=17)),
    "code turned 33": lambda: jpeg(photo(angle=33, center=(0.6, 0.45))),
    "code turned -33": lambda: jpeg(photo(angle=-33, center=(0.4, 0.55))),
    # the whole photo in portrait / upside down (phone orientation)
    "photo portrait 90": lambda: jpeg(photo(angle=12).transpose(Image.Transpose.ROTATE_90)),
    "photo upside down": lambda: jpeg(photo(center=(0.3, 0.7)).transpose(Image.Transpose.ROTATE_180)),
    "photo portrait 270": lambda: jpeg(photo(angle=-20).transpose(Image.Transpose.ROTATE_270)),
    # out of focus / hand shake
    "blur 1": lambda: jpeg(blur(photo(), 1)),
    "blur 1.5 turned 33": lambda: jpeg(blur(photo(angle=33), 1.5)),
    "blur 2": lambda: jpeg(blur(photo(), 2)),
    # held far away: the code about 15% of the photo's width, anywhere in the frame
    "small centre": lambda: jpeg(photo(width=0.15)),
    "small top left": lambda: jpeg(photo(width=0.15, center=(0.12, 0.15))),
    "small bottom right": lambda: jpeg(photo(width=0.15, center=(0.88, 0.85))),
    "small turned 33": lambda: jpeg(photo(width=0.15, angle=33, center=(0.7, 0.3))),
    "small blur 1": lambda: jpeg(blur(photo(width=0.15, center=(0.3, 0.6)), 1)),
    "small jpeg 40": lambda: jpeg(photo(width=0.15, center=(0.6, 0.4)), 40),
    # a dim door, a cheap sensor
    "noise": lambda: jpeg(noisy(photo(), 25)),
    "heavy noise turned": lambda: jpeg(noisy(photo(angle=17), 50)),
    "low contrast": lambda: jpeg(low_contrast(photo(), 0.2)),
    "very low contrast": lambda: jpeg(low_contrast(photo(), 0.08)),
    "low contrast noisy": lambda: jpeg(noisy(low_contrast(photo(), 0.25), 10)),
    # the phone tilted back
    "perspective": lambda: jpeg(photo(perspective=0.15)),
    "perspective turned": lambda: jpeg(photo(perspective=0.2, angle=25)),
    # a stingy encoder
    "jpeg 40": lambda: jpeg(photo(), 40),
    "jpeg 40 turned blurred": lambda: jpeg(blur(photo(angle=33, width=0.25), 1), 40),
    # ticket shown on a phone in dark mode
    "inverted ticket": lambda: jpeg(photo(invert=True)),
    "inverted ticket small turned": lambda: jpeg(photo(invert=True, width=0.2, angle=30)),
    "inverted photo": lambda: jpeg(ImageOps.invert(photo(angle=17))),
    # everything at once, mildly
    "small turned blurred noisy jpeg 40": lambda: jpeg(
        noisy(blur(photo(width=0.18, angle=-17, center=(0.35, 0.6), perspective=0.08), 1), 12), 40
    ),
    # not only JPEG
    "png": lambda: png(photo(angle=45)),
    "grayscale png": lambda: png(photo(width=0.2).convert("L")),
}


@pytest.mark.parametrize("make", DEGRADED.values(), ids=DEGRADED.keys())
def test_degraded_photo_decodes_to_the_exact_ticket(make):
    assert decode_qr(make()) == [TICKET]


BEYOND_FIRST_PASS = {
    # zxing-cpp on the photo as it is finds none of these (zxing-cpp 3.1.1); the fallback
    # passes of decode_qr do. They sit near the edge of what can be read at all.
    "almost no contrast (autocontrast)": lambda: jpeg(low_contrast(photo(), 0.03), 60),
    "tiny frame, soft code (upscale)": lambda: jpeg(
        blur(photo(width=0.35, angle=20).resize((320, 240), Image.Resampling.BILINEAR), 1.2), 70
    ),
    "10% wide, blur 1.5 (sharpen)": lambda: jpeg(blur(photo(width=0.10, center=(0.4, 0.6)), 1.5), 60),
}


@pytest.mark.parametrize("make", BEYOND_FIRST_PASS.values(), ids=BEYOND_FIRST_PASS.keys())
def test_fallback_passes_rescue_hard_photos(make):
    assert decode_qr(make()) == [TICKET]


def test_decode_first_returns_the_ticket_or_none():
    assert decode_first(jpeg(photo(angle=33))) == TICKET
    assert decode_first(jpeg(background(2))) is None
    assert decode_first(b"") is None


def within_frame(width: float, angle: float, u: float, v: float) -> tuple[float, float]:
    """A centre (fractions of the photo) at which the turned ticket lies wholly in the frame:
    ``u`` and ``v`` in [0, 1] slide it from one edge to the other. A code cut by the frame's
    edge is not something any reader promises to decode."""
    side = W * width
    half = side * (abs(math.cos(math.radians(angle))) + abs(math.sin(math.radians(angle)))) / 2
    return (half + u * (W - 2 * half)) / W, (half + v * (H - 2 * half)) / H


@given(
    angle=st.floats(0, 360, allow_nan=False),
    radius=st.floats(0, 2),
    width=st.floats(0.15, 0.5),
    u=st.floats(0, 1),
    v=st.floats(0, 1),
    perspective=st.floats(0, 0.12),
    quality=st.integers(40, 95),
    invert=st.booleans(),
)
@settings(max_examples=25, deadline=None, database=None)
def test_any_supported_angle_blur_and_scale_decodes(angle, radius, width, u, v, perspective, quality, invert):
    """Anywhere in the frame, any angle, blur up to radius 2, the code 15–50% of the
    photo's width, a little perspective, JPEG quality down to 40, either polarity."""
    center = within_frame(width, angle, u, v)
    img = photo(width=width, angle=angle, center=center, perspective=perspective, invert=invert)
    if radius:
        img = blur(img, radius)
    assert decode_qr(jpeg(img, quality)) == [TICKET]


# --- several codes, no code -----------------------------------------------------------------


def test_two_tickets_in_one_photo_are_both_found():
    img = paste_ticket(background(), TICKET, width=0.3, center=(0.27, 0.5), angle=10)
    img = paste_ticket(img, OTHER_TICKET, width=0.3, center=(0.73, 0.5), angle=-25)
    assert sorted(decode_qr(jpeg(img))) == sorted([TICKET, OTHER_TICKET])


def test_the_same_ticket_twice_is_reported_once():
    img = paste_ticket(background(), TICKET, width=0.25, center=(0.25, 0.5))
    img = paste_ticket(img, TICKET, width=0.25, center=(0.75, 0.5), angle=90)
    assert decode_qr(jpeg(img)) == [TICKET]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_photo_without_a_code_gives_nothing(seed):
    assert decode_qr(jpeg(noisy(background(seed), 20))) == []


# --- sizes and formats the decoder must cope with ---------------------------------------------


def test_the_bare_generated_png_decodes():
    assert decode_qr(ticket_png()) == [TICKET]


def test_a_transparent_png_ticket_decodes():
    """A QR saved with a transparent background must not read as black on black."""
    card = ticket_image()
    rgba = Image.new("RGBA", card.size, (0, 0, 0, 0))
    rgba.putalpha(ImageOps.invert(card))  # opaque black modules, transparent elsewhere
    assert decode_qr(png(rgba)) == [TICKET]


def test_a_16_bit_grayscale_png_decodes():
    deep = Image.fromarray((np.asarray(photo(angle=20).convert("L"), np.uint16) * 257))
    assert deep.mode.startswith("I")
    assert decode_qr(png(deep)) == [TICKET]


def test_a_large_photo_is_shrunk_and_still_decodes():
    big = paste_ticket(Image.new("RGB", (6000, 4500), (150, 140, 130)), width=0.3, angle=20)
    assert decode_qr(jpeg(big, 80)) == [TICKET]
    very_wide = paste_ticket(Image.new("L", (9000, 900), 170), width=0.08)
    assert decode_qr(png(very_wide)) == [TICKET]


def test_bytearray_and_memoryview_are_accepted():
    data = jpeg(photo())
    assert decode_qr(bytearray(data)) == [TICKET]
    assert decode_qr(memoryview(data)) == [TICKET]


# --- garbage in, [] out, never an exception ------------------------------------------------------


def _tiny(size, mode="RGB", fmt="PNG") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "white" if mode != "1" else 1).save(out, fmt)
    return out.getvalue()


GARBAGE = {
    "empty": b"",
    "text": b"this is not an image at all",
    "random bytes": bytes(np.random.default_rng(7).integers(0, 256, 5000, dtype=np.uint8)),
    "png signature only": b"\x89PNG\r\n\x1a\n",
    "jpeg header only": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
    "truncated jpeg": jpeg(photo())[:3000],
    "1x1 png": _tiny((1, 1)),
    "1x1 jpeg": _tiny((1, 1), fmt="JPEG"),
    "1x1 gif": _tiny((1, 1), "P", "GIF"),
    "1 bit png": _tiny((50, 50), "1"),
    "png claiming 100000x100000": png_claiming(100_000, 100_000),
    "png claiming 9000x9000": png_claiming(9_000, 9_000),
    "png claiming 200000x1": png_claiming(200_000, 1),
    "png claiming 0x0": png_claiming(0, 0),
    "html": b"<!doctype html><html><body>nope</body></html>",
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
}


@pytest.mark.parametrize("data", GARBAGE.values(), ids=GARBAGE.keys())
def test_garbage_gives_nothing_and_does_not_raise(data):
    assert decode_qr(data) == []
    assert decode_first(data) is None


@pytest.mark.parametrize("value", [None, "a string", 42, [b"\xff\xd8"]], ids=["None", "str", "int", "list"])
def test_not_bytes_at_all_gives_nothing(value):
    assert decode_qr(value) == []  # type: ignore[arg-type]


# --- the fake camera for browser tests ------------------------------------------------------


def test_png_to_y4m_writes_a_playable_file_whose_frames_hold_the_ticket(tmp_path):
    path = png_to_y4m(ticket_png(), tmp_path / "ticket.y4m")
    data = path.read_bytes()
    header = y4m_header(640, 480)
    assert header == b"YUV4MPEG2 W640 H480 F30:1 Ip A1:1 C420jpeg\n"
    assert len(data) == y4m_size(640, 480, 30) == len(header) + 30 * (6 + 640 * 480 * 3 // 2)
    assert data.startswith(header)

    frame_len = 6 + 640 * 480 * 3 // 2
    frames = [data[len(header) + i * frame_len : len(header) + (i + 1) * frame_len] for i in range(30)]
    assert all(frame.startswith(b"FRAME\n") for frame in frames)
    assert len(set(frames)) == 1  # a still ticket, looped

    y_plane = frames[0][6 : 6 + 640 * 480]
    u_plane = frames[0][6 + 640 * 480 : 6 + 640 * 480 + 320 * 240]
    v_plane = frames[0][6 + 640 * 480 + 320 * 240 :]
    assert len(u_plane) == len(v_plane) == 320 * 240
    # a black-and-white ticket has no colour: chroma sits at the neutral 128
    assert set(u_plane) == {128} and set(v_plane) == {128}
    luma = Image.frombytes("L", (640, 480), y_plane)
    assert decode_qr(png(luma)) == [TICKET]


def test_png_to_y4m_keeps_colour_and_other_sizes(tmp_path):
    red = png(Image.new("RGB", (64, 48), (255, 0, 0)))
    data = png_to_y4m(red, tmp_path / "red.y4m", width=64, height=48, frames=2).read_bytes()
    assert data.startswith(b"YUV4MPEG2 W64 H48 F30:1 Ip A1:1 C420jpeg\n")
    assert len(data) == y4m_size(64, 48, 2)
    frame = data[len(y4m_header(64, 48)) + 6 :][: 64 * 48 * 3 // 2]
    y, u, v = frame[: 64 * 48], frame[64 * 48 : 64 * 48 + 32 * 24], frame[64 * 48 + 32 * 24 :]
    # full-range BT.601 red: Y≈76, Cb≈85, Cr=255
    assert abs(y[0] - 76) <= 1 and abs(u[0] - 85) <= 1 and v[0] >= 254


def test_png_to_y4m_refuses_odd_sizes(tmp_path):
    with pytest.raises(ValueError):
        png_to_y4m(ticket_png(), tmp_path / "odd.y4m", width=641, height=480)
