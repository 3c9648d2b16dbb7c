"""Pictures for the tests: the band good morning fixture copied into a folder, variants
of it with 0, 1 or 2 pictures, and picture files made on the spot (hostile ones too)."""

from __future__ import annotations

import copy
import io
import math
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from PIL import Image

from pdfcheck import TEXT_OPS, mul, page_states

HERE = Path(__file__).resolve().parent / "pictures"
FIXTURE = HERE / "band-good-morning.yaml"
PHOTOS = ("band-good-morning-start.jpg", "band-good-morning-end.jpg")
SECRET = b"KICKBACK-SECRET-CAMERA-7731"  # in the EXIF of the GPS picture, never in an output
GPS = {1: "N", 2: (51.0, 28.0, 40.0), 3: "W", 4: (0.0, 0.0, 5.0)}  # GPSLatitude… (Greenwich)


def fixture_data() -> dict[str, Any]:
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def write_doc(folder: Path, data: dict[str, Any], photos: bool = True) -> Path:
    """``data`` as ``folder/<id>.yaml``, the fixture's photos beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    if photos:
        for name in PHOTOS:
            shutil.copyfile(HERE / name, folder / name)
    path = folder / f"{data['id']}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def with_pictures(data: dict[str, Any], n: int, **changes: Any) -> dict[str, Any]:
    """The fixture with its first ``n`` pictures (0, 1 or 2) and other changes."""
    data = copy.deepcopy(data)
    data["images"] = data["images"][:n]
    if not n:
        del data["images"]
    data.update(changes)
    return data


def jpeg_with_gps(size: tuple[int, int] = (320, 240)) -> bytes:
    """A JPEG carrying EXIF with a camera name and a GPS position, an XMP packet and an
    ICC profile: none of it may reach an output."""
    from PIL import ImageCms

    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = SECRET.decode()  # Make
    exif[0x0110] = "Model " + SECRET.decode()
    gps = exif.get_ifd(0x8825)
    gps.update(GPS)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + SECRET + b"</x:xmpmeta>"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), icc_profile=icc, xmp=xmp, quality=90)
    data = out.getvalue()
    assert SECRET in data and b"Exif\x00\x00" in data
    return data


def encoded(image: Image.Image, fmt: str, **params: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


# --- reading a PDF's pages back: text sizes and where pictures are drawn ------------------


@dataclass(frozen=True)
class Mark:
    """A text-showing operator or a drawn picture, with the tags around it."""

    page: int
    kind: str  # "text" or "image"
    size: float  # glyph height on paper (text); 0 for a picture
    tags: tuple[str, ...]
    mcid: bool
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 (a picture; text: its origin)


def marks(path: Path) -> list[Mark]:
    """Every text operator (its size from Tf × Tm × CTM) and every image Do (its box from
    the CTM), in content-stream order."""
    import pikepdf

    found = []
    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages):
            for state in page_states(page):
                op, ctm, tags, mcid = state.op, state.ctm, state.tags, state.mcid
                if op in TEXT_OPS:
                    r = mul(state.tm, ctm)
                    found.append(Mark(number, "text", state.size * math.hypot(r[2], r[3]),
                                      tags, mcid, (r[4], r[5], r[4], r[5])))
                elif op == "Do":
                    xs = [ctm[4], ctm[4] + ctm[0] + ctm[2]]
                    ys = [ctm[5], ctm[5] + ctm[1] + ctm[3]]
                    found.append(Mark(number, "image", 0.0, tags, mcid,
                                      (min(xs), min(ys), max(xs), max(ys))))
    return found
