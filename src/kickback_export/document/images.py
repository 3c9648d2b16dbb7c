"""Pictures of a document, loaded safely: the only place a document causes a file read
besides its own.

A picture file is untrusted input like the document. It must resolve inside the
document's folder (no ``..``, no absolute path, no symlink out), be at most
:data:`MAX_BYTES` and :data:`MAX_PIXELS`, be a PNG or a JPEG by its bytes (not its
name), and decode completely. What the outputs get is a fresh encoding of the decoded
pixels, with the EXIF orientation applied and nothing else of the file kept (no EXIF
with GPS positions, no XMP, no ICC profile, no text chunks), capped at
:data:`MAX_SIDE` pixels: the same file gives the same bytes on every build. Loaded
pictures travel with the document (to worker processes too), so exporters never read
a picture file themselves.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any

from ..errors import ContentError, DocumentError

if TYPE_CHECKING:
    from PIL.Image import Image

    from .model import Picture

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 2000  # pixels on the longer side of what the outputs embed (sharp at A4 width)
JPEG_QUALITY = 90

_SIGNATURES = (  # what a refused file is, named from its first bytes
    (b"GIF87a", "a GIF"), (b"GIF89a", "a GIF"), (b"BM", "a BMP"), (b"II*\x00", "a TIFF"),
    (b"MM\x00*", "a TIFF"), (b"\x00\x00\x01\x00", "an ICO"), (b"%PDF", "a PDF"),
)


@dataclass(frozen=True)
class Loaded:
    """A picture ready to embed: its cleaned bytes and what they are."""

    picture: Picture
    data: bytes
    media_type: str  # image/png or image/jpeg
    width: int
    height: int

    @property
    def alt(self) -> str:
        return self.picture.alt or ""  # the model gives every picture its alt text

    @property
    def extension(self) -> str:
        return ".png" if self.media_type == "image/png" else ".jpg"


def _kind(head: bytes) -> str | None:
    """'png' or 'jpeg' from the file's first bytes, else None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    return None


def _what(head: bytes) -> str:
    for signature, name in _SIGNATURES:
        if head.startswith(signature):
            return name
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "a WebP"
    text = head[:512].lstrip().lower()
    if text.startswith((b"<?xml", b"<svg", b"<!doctype svg")) or b"<svg" in text:
        return "an SVG"
    return "not a picture format this program reads"


def _inside(folder: Path, name: str) -> Path:
    """The picture's path, resolved and checked to stay inside ``folder``."""
    if not name.strip():
        raise ValueError("the file name is empty")
    if PurePosixPath(name).is_absolute() or PureWindowsPath(name).is_absolute() or (
            PureWindowsPath(name).drive):
        raise ValueError("is an absolute path; give a path relative to the document")
    if ".." in PurePosixPath(name.replace("\\", "/")).parts:
        raise ValueError("leaves the document's folder ('..'); keep pictures beside it")
    base = folder.resolve()
    try:
        path = (base / name).resolve(strict=True)
    except FileNotFoundError:
        raise ValueError("no such file beside the document") from None
    except (OSError, RuntimeError) as exc:  # a symlink loop is a RuntimeError
        raise ValueError(f"cannot be opened ({exc})") from None
    if not path.is_relative_to(base):
        raise ValueError("is a link to a file outside the document's folder")
    return path


def _read(path: Path) -> bytes:
    # non-blocking: a FIFO named like a picture must not hang the build waiting for a writer
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            os.close(fd)
            raise ValueError("is not a regular file")
        if info.st_size > MAX_BYTES:
            os.close(fd)
            raise ValueError(f"is {info.st_size:,} bytes; the limit is {MAX_BYTES:,}")
        with open(fd, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ValueError(f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_BYTES:
        raise ValueError(f"is over {MAX_BYTES:,} bytes")
    return data


def _decode(data: bytes, kind: str) -> Image:
    """Decode every pixel (a truncated or damaged file fails here), upright."""
    from PIL import Image, ImageFile, ImageOps

    ImageFile.LOAD_TRUNCATED_IMAGES = False
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=[kind.upper()])
            if image.width * image.height > MAX_PIXELS:
                raise ValueError(f"is {image.width} × {image.height} pixels; the limit is "
                                 f"{MAX_PIXELS // 1_000_000} megapixels")
            image.load()
            upright = ImageOps.exif_transpose(image)
        except ValueError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ValueError(f"has more than {MAX_PIXELS // 1_000_000} megapixels "
                             "(decompression bomb)") from None
        except Exception as exc:  # Pillow raises OSError, SyntaxError, … for bad data
            raise ValueError(f"is truncated or damaged ({exc})") from None
    return upright if upright is not None else image


def clean(data: bytes) -> tuple[bytes, str, int, int]:
    """Checked, decoded and re-encoded bytes: (bytes, media type, width, height).

    Raises ValueError with the reason for a file that is refused.
    """
    from PIL import Image

    kind = _kind(data[:16])
    if kind is None:
        raise ValueError(f"is {_what(data[:1024])}; pictures must be PNG or JPEG")
    image = _decode(data, kind)
    if image.mode.startswith("I"):  # 16-bit grey: a plain convert would clip it to white
        image = image.convert("I").point(lambda v: v / 256).convert("L")
    alpha = kind == "png" and (image.mode in ("RGBA", "LA", "PA")
                                or "transparency" in image.info)
    mode = "RGBA" if alpha else image.mode if image.mode in ("L", "RGB") else "RGB"
    pixels = image.convert(mode) if image.mode != mode else image
    if max(pixels.size) > MAX_SIDE:
        scale = MAX_SIDE / max(pixels.size)
        size = (max(1, round(pixels.width * scale)), max(1, round(pixels.height * scale)))
        pixels = pixels.resize(size, Image.Resampling.LANCZOS)
    fresh = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())  # no metadata at all
    out = io.BytesIO()
    if kind == "png":
        fresh.save(out, "PNG", optimize=False, compress_level=9)
    else:
        fresh.save(out, "JPEG", quality=JPEG_QUALITY, optimize=False, progressive=False,
                   subsampling="4:2:0")
    return out.getvalue(), f"image/{kind}", fresh.width, fresh.height


def attach(document: Any, source: str | Path) -> None:
    """Load every picture of ``document`` (its ``images``: a list of
    :class:`~.model.Picture`, read from ``source``) beside it, or raise a
    :class:`DocumentError` naming the document, the picture and the reason."""
    folder = Path(source).parent
    for i, picture in enumerate(document.images):
        try:
            data = clean(_read(_inside(folder, picture.file)))
        except ValueError as exc:
            raise DocumentError(str(source), f"'{picture.file}' {exc}",
                                field=f"images[{i}].file") from None
        picture._data = data


def loaded(document: Any) -> list[Loaded]:
    """The document's pictures as loaded by :func:`attach` (the loader calls it)."""
    out = []
    for i, picture in enumerate(getattr(document, "images", None) or ()):
        if picture._data is None:
            raise ContentError(f"images[{i}].file: '{picture.file}' was not loaded; load the "
                               "document from its file (kickback_export.load)")
        data, media_type, width, height = picture._data
        out.append(Loaded(picture, data, media_type, width, height))
    return out


def digest(source_sha256: str, document: Any) -> str:
    """The hash of a document with its pictures: a changed picture rebuilds the outputs."""
    if not getattr(document, "images", None):
        return source_sha256
    h = hashlib.sha256(source_sha256.encode())
    for item in loaded(document):
        h.update(hashlib.sha256(item.data).digest())
    return h.hexdigest()
