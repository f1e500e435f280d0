"""Turn a ticket image into a video Chromium can use as its camera.

Chromium started with ``--use-fake-device-for-media-stream
--use-file-for-fake-video-capture=ticket.y4m`` plays that file, in a loop, to any page that
asks for the camera, so a browser test can hold a QR ticket up to ``st.camera_input``
without a real camera. Chromium reads raw YUV4MPEG2 (.y4m) 4:2:0 files; this module writes
them with Pillow alone, so the tests need no ffmpeg.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image


def y4m_header(width: int, height: int, fps: int = 30) -> bytes:
    """The stream header: size, frame rate, progressive, square pixels, 4:2:0 (JPEG siting)."""
    return f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode("ascii")


def y4m_size(width: int, height: int, frames: int) -> int:
    """Bytes in a file png_to_y4m writes: header, then per frame b"FRAME\\n" + Y + U + V."""
    return len(y4m_header(width, height)) + frames * (len(b"FRAME\n") + width * height * 3 // 2)


def png_to_y4m(
    png_bytes: bytes, path: str | Path, width: int = 640, height: int = 480, frames: int = 30
) -> Path:
    """Write ``frames`` identical frames of the image to ``path`` as a Y4M video.

    The image (PNG, or anything Pillow opens) is scaled to fit ``width``×``height`` without
    distortion — a QR code must stay square — and centred on white, which doubles as the
    ticket's quiet zone. Pillow's YCbCr conversion is the full-range BT.601 one JPEG uses,
    hence ``C420jpeg``; Cb and Cr are averaged over 2×2 blocks (4:2:0). Width and height
    must be even, as 4:2:0 needs. Returns the path written.
    """
    if width <= 0 or height <= 0 or width % 2 or height % 2:
        raise ValueError(f"Y4M 4:2:0 needs a positive even width and height, got {width}×{height}.")
    if frames < 1:
        raise ValueError(f"A video needs at least one frame, got {frames}.")
    picture = Image.open(io.BytesIO(png_bytes))
    picture.load()
    if picture.mode in ("RGBA", "LA", "PA") or (picture.mode == "P" and "transparency" in picture.info):
        flat = Image.new("RGBA", picture.size, "white")
        picture = Image.alpha_composite(flat, picture.convert("RGBA"))
    picture = picture.convert("RGB")
    scale = min(width / picture.width, height / picture.height)
    fitted = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
    # NEAREST for whole-number enlargements keeps module edges crisp; otherwise a smooth filter.
    resample = Image.Resampling.NEAREST if scale >= 1 and scale == int(scale) else Image.Resampling.LANCZOS
    picture = picture.resize(fitted, resample)
    frame = Image.new("RGB", (width, height), "white")
    frame.paste(picture, ((width - fitted[0]) // 2, (height - fitted[1]) // 2))

    y, cb, cr = frame.convert("YCbCr").split()
    half = (width // 2, height // 2)
    planes = (
        y.tobytes()
        + cb.resize(half, Image.Resampling.BOX).tobytes()
        + cr.resize(half, Image.Resampling.BOX).tobytes()
    )
    path = Path(path)
    with path.open("wb") as out:
        out.write(y4m_header(width, height))
        for _ in range(frames):
            out.write(b"FRAME\n")
            out.write(planes)
    return path
