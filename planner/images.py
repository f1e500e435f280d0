"""Pictures people outside the team upload (issue #14): an organization's logo, a speaker's photo.

Whoever holds a sign-on or speaker link can upload here, and what is kept is shown on the public
event page, so an upload is judged before it is kept, and refused with a sentence otherwise:

* **by its bytes, not its name**: Pillow identifies PNG and JPEG from the file's signature (a
  ``logo.png`` that is really HTML is refused), an SVG must parse as XML whose root is ``<svg>``;
* **by its size**: at most ``MAX_BYTES`` uploaded; PNG and JPEG at most ``MAX_PIXELS`` and
  ``MAX_SIDE`` read from the header by Pillow's lazy open before a pixel is decoded (a
  20000×20000 "decompression bomb" of a few kilobytes is refused unread); an SVG's declared size
  is not trusted: it is drawn at a size we choose;
* **by its content**: an SVG is parsed with ``defusedxml`` (no DTD, no entities: no "billion
  laughs", no external entity reading a file) and checked against an allow-list of shapes, text,
  gradients and their presentation attributes. A script, an event handler (``onload=…``), a
  reference outside the file (``href`` to anything but ``#id``, ``url(http…)`` in a style),
  ``<foreignObject>``, an embedded ``<image>`` or any element not on the list refuses the file.
  Stripping them silently would keep a file its owner never sent; refusing says what to fix.

What is stored is always a PNG or JPEG we wrote ourselves: a PNG or JPEG is decoded and encoded
again (metadata such as a photo's GPS position is dropped), an accepted SVG is drawn to a PNG by
resvg (``vl-convert-python``, already used for the charts: it runs no scripts and fetches
nothing), so the public page never serves an SVG and a browser never runs one of ours. Files go
under the data folder's ``images/`` (0700), each 0600 with a random name that is its only
reference (``files.py``).
"""

from __future__ import annotations

import io
import os
import re
import secrets
from pathlib import Path

from PIL import Image, ImageOps

from .errors import NotFound, ValidationError

FOLDER = "images"
MAX_BYTES = 8 * 1024 * 1024  # a phone photo as it comes (3–6 MB); the server takes uploads up to 10 MB
MAX_PIXELS = 40_000_000  # a 48-megapixel phone photo is refused, a 12-megapixel one is fine
MAX_SIDE = 10_000
MIN_SIDE = 16
LOGO_SIDE = 512  # logos are kept at most this wide or high (they are shown small)
PHOTO_SIDE = 800  # speakers' photos likewise
KINDS = ("logo", "photo")
_NAME = re.compile(r"(logo|photo)-[0-9a-f]{32}\.(png|jpg)")

_SVG = "{http://www.w3.org/2000/svg}"
_XLINK = "{http://www.w3.org/1999/xlink}"
_SVG_ELEMENTS = {
    "svg", "g", "defs", "title", "desc", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "linearGradient", "radialGradient", "stop", "clipPath", "mask", "use", "symbol", "style",
    "metadata",
}
_SVG_ATTRIBUTES = {
    "id", "class", "x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "width", "height",
    "d", "points", "viewBox", "preserveAspectRatio", "transform", "fill", "fill-opacity", "fill-rule", "stroke",
    "stroke-width", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray",
    "stroke-dashoffset", "stroke-opacity", "opacity", "style", "font-family", "font-size", "font-weight",
    "font-style", "text-anchor", "dominant-baseline", "letter-spacing", "offset", "stop-color", "stop-opacity",
    "gradientUnits", "gradientTransform", "spreadMethod", "clip-path", "clip-rule", "mask", "maskUnits",
    "clipPathUnits", "dx", "dy", "rotate", "version", "href", "display", "visibility", "color", "space",
    "enable-background", "overflow", "baseProfile", "mix-blend-mode", "vector-effect", "paint-order",
}
_URL = re.compile(r"url\s*\(\s*['\"]?\s*([^)'\"\s]*)", re.I)
_DANGER = re.compile(r"javascript:|@import|expression\s*\(|<script", re.I)


def _refuse(code: str, field: str, **params) -> ValidationError:
    return ValidationError(code, field=field, **params)


def _raster(data: bytes, field: str, kind: str) -> Image.Image:
    """A PNG or JPEG, judged from its header before decoding, then decoded."""
    try:
        with Image.open(io.BytesIO(data), formats=("PNG", "JPEG")) as probe:
            width, height = probe.size
    except Image.DecompressionBombError:
        raise _refuse("image_too_large", field) from None
    except Exception:  # noqa: BLE001 - anything Pillow cannot identify as PNG or JPEG
        raise _refuse("image_not_an_image", field) from None
    if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
        raise _refuse("image_too_large", field)
    if min(width, height) < MIN_SIDE:
        raise _refuse("image_too_small", field, side=MIN_SIDE)
    try:
        image = Image.open(io.BytesIO(data), formats=("PNG", "JPEG"))
        image.load()  # a truncated or damaged file fails here, before anything is kept
    except Exception:  # noqa: BLE001
        raise _refuse("image_not_an_image", field) from None
    return ImageOps.exif_transpose(image)


def _svg_size(root) -> tuple[float, float]:
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        try:
            w, h = float(box[2]), float(box[3])
            if w > 0 and h > 0:
                return w, h
        except ValueError:
            pass
    try:
        w = float(re.sub(r"[a-z%]+$", "", (root.get("width") or "").strip()))
        h = float(re.sub(r"[a-z%]+$", "", (root.get("height") or "").strip()))
        if w > 0 and h > 0:
            return w, h
    except ValueError:
        pass
    raise _refuse("svg_no_size", "logo")


def check_svg(data: bytes) -> tuple[str, tuple[float, float]]:
    """The SVG's text and its size in its own units if it is safe to draw (see the module's
    docstring); ``ValidationError`` (field ``logo``) otherwise. The text is the file written
    again with ``width`` and ``height`` set to that size: a renderer draws at the declared
    width and height, so a file declaring 100000 × 100000 over a viewBox of 1 × 1 would
    otherwise be drawn at 100000 times the scale we measured (petabytes: the process dies)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        text = data.decode("utf-8")
        root = fromstring(text, forbid_dtd=True)
    except (UnicodeDecodeError, DefusedXmlException):
        raise _refuse("svg_unsafe", "logo") from None
    except Exception:  # noqa: BLE001 - XML that does not parse
        raise _refuse("image_not_an_image", "logo") from None
    if root.tag != f"{_SVG}svg":
        raise _refuse("image_not_an_image", "logo")
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if not tag.startswith(_SVG) or tag[len(_SVG):] not in _SVG_ELEMENTS:
            raise _refuse("svg_unsafe", "logo")
        for name, value in element.attrib.items():
            local = name.split("}")[-1]
            if name.startswith(_XLINK) and local == "href":
                local = "href"
            elif name.startswith("{") and not name.startswith("{http://www.w3.org/XML/1998/namespace}"):
                raise _refuse("svg_unsafe", "logo")
            if local.lower().startswith("on") or local not in _SVG_ATTRIBUTES:
                raise _refuse("svg_unsafe", "logo")
            if local == "href" and not value.strip().startswith("#"):
                raise _refuse("svg_unsafe", "logo")
            if _DANGER.search(value) or any(not u.startswith("#") for u in _URL.findall(value)):
                raise _refuse("svg_unsafe", "logo")
        if tag == f"{_SVG}style" and element.text and (
            _DANGER.search(element.text) or any(not u.startswith("#") for u in _URL.findall(element.text))
        ):
            raise _refuse("svg_unsafe", "logo")
    width, height = _svg_size(root)
    root.set("width", f"{width:g}")
    root.set("height", f"{height:g}")
    from xml.etree.ElementTree import register_namespace, tostring

    register_namespace("", _SVG[1:-1])  # written as <svg xmlns="…">, not <ns0:svg>
    register_namespace("xlink", _XLINK[1:-1])
    return tostring(root, encoding="unicode"), (width, height)


def _from_svg(data: bytes) -> Image.Image:
    import vl_convert

    text, (width, height) = check_svg(data)
    scale = LOGO_SIDE / max(width, height)
    try:
        png = vl_convert.svg_to_png(text, scale=scale)
        image = Image.open(io.BytesIO(png), formats=("PNG",))
        image.load()
    except Exception:  # noqa: BLE001 - resvg could not draw it
        raise _refuse("image_not_an_image", "logo") from None
    return image


def prepare(data, kind: str) -> tuple[bytes, str]:
    """The file to keep for an upload (``kind`` "logo": PNG, JPEG or SVG; "photo": PNG or
    JPEG), made by us, at most ``LOGO_SIDE``/``PHOTO_SIDE`` on its longer side, and its
    extension. ``ValidationError`` (field ``kind``): ``image_too_large``, ``image_not_an_image``,
    ``image_too_small``, ``svg_unsafe``, ``svg_no_size``. Writes nothing."""
    assert kind in KINDS, kind
    if not isinstance(data, (bytes, bytearray, memoryview)) or len(data) == 0:
        raise _refuse("image_not_an_image", kind)
    data = bytes(data)
    if len(data) > MAX_BYTES:
        raise _refuse("image_too_large", kind)
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if kind == "logo" and (head.startswith(b"<?xml") or head.startswith(b"<svg") or head.startswith(b"<!--")):
        image = _from_svg(data)
    else:
        image = _raster(data, kind, kind)
    side = LOGO_SIDE if kind == "logo" else PHOTO_SIDE
    image.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if kind == "photo":
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
        return out.getvalue(), "jpg"
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    image.save(out, "PNG", optimize=True)
    return out.getvalue(), "png"


def folder_of(data_folder: Path) -> Path:
    return Path(data_folder) / FOLDER


def store(data_folder: Path, content: bytes, extension: str, kind: str) -> str:
    """Writes ``content`` to a new private file under ``images/`` and returns its name (the only
    reference to it)."""
    folder = folder_of(data_folder)
    folder.mkdir(mode=0o700, exist_ok=True)
    os.chmod(folder, 0o700)
    name = f"{kind}-{secrets.token_hex(16)}.{extension}"
    fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(content)
    return name


def remove(data_folder: Path, name: str | None) -> None:
    if name and _NAME.fullmatch(name):
        try:
            (folder_of(data_folder) / name).unlink()
        except FileNotFoundError:
            pass


def read(data_folder: Path, name) -> bytes:
    """The bytes of a kept picture; ``NotFound`` for a name we could not have made."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise NotFound("not_found")
    try:
        return (folder_of(data_folder) / name).read_bytes()
    except FileNotFoundError:
        raise NotFound("not_found") from None
