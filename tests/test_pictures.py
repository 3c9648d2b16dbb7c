"""Pictures are untrusted input: every refusal (path escape, link out, absolute path,
decompression bomb, truncated file, another format under a .png name, an oversized file)
is one line naming the document, the picture and the reason, exit 2, nothing written for
that document, while a valid document in the same build is exported; and nothing of a
picture file's metadata (EXIF with a GPS position, XMP, ICC) reaches any output.

One build on the command line makes every document; the assertions read its outputs.
"""

from __future__ import annotations

import base64
import io
import json
import os
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from picturekit import GPS, HERE, PHOTOS, SECRET, encoded, fixture_data, jpeg_with_gps, write_doc
from PIL import Image
from same import same

from kickback_export import load
from kickback_export.document import images
from kickback_export.errors import DocumentError, exit_code

VISUAL = "pdf,large-print,epub,html,brf"
GOOD = "gps-good-morning"


def _outside(root: Path) -> Path:
    path = root / "outside.jpg"
    if not path.exists():
        path.write_bytes((HERE / PHOTOS[0]).read_bytes())
    return path


def _escape(folder: Path, root: Path) -> str:
    _outside(root)
    return "../../outside.jpg"


def _symlink(folder: Path, root: Path) -> str:
    (folder / "start.jpg").symlink_to(_outside(root))
    return "start.jpg"


def _absolute(folder: Path, root: Path) -> str:
    return str(_outside(root))


def _bomb(folder: Path, root: Path) -> str:
    (folder / "bomb.png").write_bytes(encoded(Image.new("1", (7000, 6000)), "PNG"))
    return "bomb.png"


def _huge_bomb(folder: Path, root: Path) -> str:
    """Past Pillow's own error threshold (about 179 megapixels), still a few kilobytes."""
    (folder / "huge.png").write_bytes(encoded(Image.new("1", (20000, 10000)), "PNG"))
    return "huge.png"


def _truncated(folder: Path, root: Path) -> str:
    data = (HERE / PHOTOS[0]).read_bytes()
    (folder / "cut.jpg").write_bytes(data[: len(data) // 2])
    return "cut.jpg"


def _gif(folder: Path, root: Path) -> str:
    (folder / "gif.png").write_bytes(encoded(Image.new("P", (40, 30)), "GIF"))
    return "gif.png"


def _svg(folder: Path, root: Path) -> str:
    (folder / "svg.png").write_bytes(
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="40" '
        b'height="30"><rect width="40" height="30"/></svg>\n')
    return "svg.png"


def _webp(folder: Path, root: Path) -> str:
    (folder / "webp.png").write_bytes(encoded(Image.new("RGB", (40, 30)), "WEBP"))
    return "webp.png"


def _twelve_mb(folder: Path, root: Path) -> str:
    png = encoded(Image.new("RGB", (40, 30)), "PNG")
    (folder / "big.png").write_bytes(png + os.urandom(12 * 1024 * 1024 - len(png)))
    return "big.png"


# case → (how the picture is made, what the line says)
CASES: dict[str, tuple[Callable[[Path, Path], str], str]] = {
    "escape": (_escape, "leaves the document's folder ('..')"),
    "symlink": (_symlink, "is a link to a file outside the document's folder"),
    "absolute": (_absolute, "is an absolute path"),
    "bomb": (_bomb, "is 7000 × 6000 pixels; the limit is 40 megapixels"),
    "huge-bomb": (_huge_bomb, "megapixels"),
    "truncated": (_truncated, "is truncated or damaged"),
    "gif": (_gif, "is a GIF; pictures must be PNG or JPEG"),
    "svg": (_svg, "is an SVG; pictures must be PNG or JPEG"),
    "webp": (_webp, "is a WebP; pictures must be PNG or JPEG"),
    "twelve-mb": (_twelve_mb, "bytes; the limit is 10,485,760"),
}


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One folder per document: each refused case, and the valid GPS one."""
    root = tmp_path_factory.mktemp("pictures")
    base = fixture_data()
    docs = {}
    for case, (make, _) in CASES.items():
        folder = root / "docs" / case
        folder.mkdir(parents=True)
        data = {**base, "id": f"bad-{case}"}
        data["images"] = [{**base["images"][0], "file": make(folder, root)}]
        docs[case] = write_doc(folder, data, photos=False)
    folder = root / "docs" / "good"
    folder.mkdir(parents=True)
    (folder / "gps.jpg").write_bytes(jpeg_with_gps())
    data = {**base, "id": GOOD}
    data["images"] = [{**base["images"][0], "file": "gps.jpg"}, base["images"][1]]
    docs["good"] = write_doc(folder, data)
    return docs


@pytest.fixture(scope="module")
def built(library: dict[str, Path]) -> tuple[subprocess.CompletedProcess[str], Path]:
    root = library["good"].parents[2]
    out = root / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "kickback_export", "build", *(str(p) for p in library.values()),
         "--out", str(out), "--format", VISUAL, "--jobs", "1"],
        capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    return proc, out


# --- refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_loading_refuses_with_document_picture_and_reason(
        case: str, library: dict[str, Path]) -> None:
    path = library[case]
    with pytest.raises(DocumentError) as caught:
        load(path)
    line = str(caught.value)
    assert exit_code(caught.value) == 2 and "\n" not in line
    assert line.startswith(f"{path}:") and "images[0].file:" in line, line
    assert CASES[case][1] in line, line


def test_build_names_each_refusal_on_one_line_and_exits_2(
        built: tuple[subprocess.CompletedProcess[str], Path], library: dict[str, Path]) -> None:
    proc, _ = built
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    for case, (_, reason) in CASES.items():
        [line] = [ln for ln in lines if str(library[case]) in ln]
        assert "images[0].file:" in line and reason in line, line


def test_nothing_is_written_for_a_refused_document(
        built: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    _, out = built
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == [GOOD]
    rows = json.loads((out / "manifest.json").read_text())["outputs"]
    assert {row["source"].split("/")[-2] for row in rows if row.get("source")} <= {"good"}
    assert not any("bad-" in row["path"] for row in rows)


def test_the_valid_document_of_the_same_build_is_exported(
        built: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    _, out = built
    names = {p.name for p in (out / GOOD).iterdir()}
    assert {f"{GOOD}-card.pdf", f"{GOOD}-large-print.pdf", f"{GOOD}.epub", f"{GOOD}.html",
            f"{GOOD}.brf", f"{GOOD}-1.jpg", f"{GOOD}-2.jpg"} <= names


def test_a_missing_picture_and_a_folder_are_refused(tmp_path: Path) -> None:
    base = fixture_data()
    (tmp_path / "dir.png").mkdir()
    os.mkfifo(tmp_path / "fifo.jpg")  # opening it for reading would wait for a writer
    for name, reason in (("absent.jpg", "no such file beside the document"),
                         ("dir.png", "is not a regular file"),
                         ("fifo.jpg", "is not a regular file")):
        data = {**base, "images": [{**base["images"][0], "file": name}]}
        path = write_doc(tmp_path, data, photos=False)
        with pytest.raises(DocumentError, match=reason):
            load(path)


def test_a_link_inside_the_folder_is_followed(tmp_path: Path) -> None:
    base = fixture_data()
    path = write_doc(tmp_path, base)
    (tmp_path / "start-link.jpg").symlink_to(tmp_path / PHOTOS[0])
    data = {**base, "images": [{**base["images"][0], "file": "start-link.jpg"}]}
    path.write_text(json.dumps(data), encoding="utf-8")  # JSON is YAML
    assert len(images.loaded(load(path))) == 1


# --- what is kept of a picture -----------------------------------------------------------


def test_the_same_file_gives_the_same_bytes_without_metadata() -> None:
    data = jpeg_with_gps()
    first, media_type, width, height = images.clean(data)
    assert images.clean(data)[0] == first
    assert (media_type, width, height) == ("image/jpeg", 320, 240)
    assert SECRET not in first and b"Exif" not in first and b"ICC_PROFILE" not in first
    with Image.open(io.BytesIO(first)) as image:
        assert not image.getexif() and "icc_profile" not in image.info
    with Image.open(io.BytesIO(data)) as original:  # the source really had all of it
        assert original.getexif().get_ifd(0x8825)[2] == GPS[2]


def test_orientation_is_applied() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to view
    data = encoded(Image.new("RGB", (320, 240), (10, 200, 10)), "JPEG", exif=exif.tobytes())
    _, _, width, height = images.clean(data)
    assert (width, height) == (240, 320)


@pytest.mark.parametrize(("mode", "value", "grey"), [
    ("I;16", 30000, 117),  # 16-bit grey keeps its tone instead of turning white
    ("L", 117, 117),
    ("CMYK", (0, 0, 0, 138), 117),  # a print JPEG comes out in RGB
])
def test_pixel_formats_keep_their_tones(mode: str, value: Any, grey: int) -> None:
    fmt = "JPEG" if mode == "CMYK" else "PNG"
    cleaned, _, _, _ = images.clean(encoded(Image.new(mode, (40, 30), value), fmt))
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.mode in ("L", "RGB")
        pixel = image.convert("L").getpixel((20, 15))
        assert isinstance(pixel, int) and abs(pixel - grey) <= 2


def test_png_text_chunks_are_dropped_and_alpha_kept() -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SECRET.decode())
    data = encoded(Image.new("RGBA", (20, 10), (0, 0, 0, 0)), "PNG", pnginfo=info)
    cleaned, media_type, _, _ = images.clean(data)
    assert media_type == "image/png" and SECRET not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        assert image.mode == "RGBA" and not image.text  # type: ignore[attr-defined]


def _filters(stream: pikepdf.Stream) -> list[str]:
    value = stream.get("/Filter")
    if value is None:
        return []
    return [str(f) for f in value] if isinstance(value, pikepdf.Array) else [str(value)]


def _decoded(stream: pikepdf.Stream) -> bytes:
    """A stream's bytes with every filter but DCTDecode undone (a JPEG stays a JPEG file)."""
    if "/DCTDecode" not in _filters(stream):
        return bytes(stream.read_bytes())
    data = stream.read_raw_bytes()
    for name in _filters(stream):
        if name == "/ASCII85Decode":
            data = base64.a85decode(data.strip().removesuffix(b"~>"))
        elif name == "/FlateDecode":
            data = zlib.decompress(data)
        elif name != "/DCTDecode":
            raise AssertionError(f"unexpected filter {name}")
    assert data.startswith(b"\xff\xd8\xff"), "not a JPEG"
    return bytes(data)


def _members(path: Path) -> dict[str, bytes]:
    """Every byte string an output holds: the file, each zip member, each PDF stream
    (decoded)."""
    data = path.read_bytes()
    found = {path.name: data}
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            found.update({f"{path.name}!{n}": zf.read(n) for n in zf.namelist()})
    if data.startswith(b"%PDF"):
        with pikepdf.open(path) as pdf:
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Stream):
                    found[f"{path.name}!{obj.objgen}"] = _decoded(obj)
    return found


def _embedded_pictures(path: Path) -> list[Image.Image]:
    """The pictures an output embeds, decoded by Pillow."""
    pictures: list[Any] = []
    if path.suffix == ".pdf":
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                for image in page.get_images().values():
                    if "/DCTDecode" in _filters(image):
                        pictures.append(Image.open(io.BytesIO(_decoded(image))))
    elif path.suffix == ".epub":
        with zipfile.ZipFile(path) as zf:
            pictures += [Image.open(io.BytesIO(zf.read(n))) for n in zf.namelist()
                         if n.endswith(".jpg")]
    elif path.suffix == ".jpg":
        pictures.append(Image.open(path))
    return pictures


def test_no_metadata_of_the_picture_reaches_any_output(
        built: tuple[subprocess.CompletedProcess[str], Path]) -> None:
    _, out = built
    outputs = sorted((out / GOOD).iterdir())
    seen = 0
    for path in outputs:
        for name, data in _members(path).items():
            assert SECRET not in data, name
            assert b"Exif\x00\x00" not in data and b"ICC_PROFILE" not in data, name
        for picture in _embedded_pictures(path):
            seen += 1
            assert not picture.getexif(), path.name
            assert not {"exif", "icc_profile", "xmp"} & set(picture.info), path.name
    # the check is not vacuous: both pictures in each of the card, the large print, the
    # EPUB, and beside the web page
    assert seen >= 8


def test_a_changed_picture_rebuilds_and_a_broken_one_keeps_the_last_outputs(
        tmp_path: Path) -> None:
    """The outputs hash the cleaned pictures: replacing a photo rebuilds the document
    without --force; a photo that goes bad is refused and the outputs stay as they were."""
    path = write_doc(tmp_path / "doc", fixture_data())
    out = tmp_path / "out"
    card = out / "band-good-morning" / "band-good-morning-card.pdf"

    def build() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "kickback_export", "build", str(path),
                               "--out", str(out), "--format", "pdf", "--jobs", "1"],
                              capture_output=True, text=True, timeout=600,
                              stdin=subprocess.DEVNULL)

    assert build().returncode == 0
    first = card.read_bytes()
    photo = path.parent / PHOTOS[0]
    photo.write_bytes(jpeg_with_gps((400, 300)))
    assert build().returncode == 0
    second = card.read_bytes()
    assert second != first
    photo.write_bytes(photo.read_bytes()[:2000])
    proc = build()
    assert proc.returncode == 2 and "is truncated or damaged" in proc.stderr
    assert same(card, second)
    assert sorted(p.name for p in card.parent.iterdir()) == ["band-good-morning-card.pdf"]
