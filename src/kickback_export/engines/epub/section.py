"""One exercise as an EPUB content document (a :class:`Section`), finished and picklable.

The standalone e-book and the coaching book carry the same section bytes, so an
exercise reads the same wherever it appears; a book's sections can be built in
worker processes and put together later. The XHTML comes from
:mod:`~kickback_export.engines.web.xhtml` and is handed to ebooklib as finished bytes:
ebooklib's own ``EpubHtml`` would re-parse it with lxml's lenient HTML parser, which
turns stray markup in the text into elements and broken markup into nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...document import images
from ...document.model import Exercise
from ..web import xhtml

XHTML_TYPE = "application/xhtml+xml"
TEXT_DIR = "text"
IMAGE_DIR = "images"
STYLESHEET_NAME = "styles/kickback.css"

STYLESHEET = """\
/* Relative units only and no fonts or colours: the reader's font, size, spacing,
   and day/night theme stay in charge. */
body { line-height: 1.4; }
h1 { font-size: 1.6em; line-height: 1.2; margin: 0 0 0.6em; }
h2 { font-size: 1.25em; line-height: 1.25; margin: 1.4em 0 0.5em; }
h3 { font-size: 1.05em; margin: 1em 0 0.3em; }
p { margin: 0.5em 0; }
.summary { font-style: italic; }
.aliases, .level { margin: 0.3em 0; }
.label { font-weight: bold; }
ol.steps > li, ul.tips > li, ul.cautions > li { margin: 0 0 0.5em; }
dl { margin: 0.5em 0; }
dt { font-weight: bold; margin: 0.8em 0 0.2em; }
dd { margin: 0 0 0 1.5em; }
dl.prescription dt { margin-top: 0.4em; }
aside.image-description {
  margin: 1em 0;
  padding: 0 0 0 1em;
  border-left: 0.2em solid currentColor;
}
figure.picture { margin: 1em 0; }
figure.picture img { max-width: 100%; height: auto; }
.credit { display: block; font-size: 0.85em; }
.titlepage { text-align: center; margin-top: 20%; }
.titlepage h1 { font-size: 2em; }
nav ol { list-style-type: none; padding-left: 1em; }
"""


@dataclass(frozen=True)
class Resource:
    """A file inside the publication (path relative to the package document)."""

    uid: str
    file_name: str
    media_type: str
    data: bytes


STYLESHEET_RESOURCE = Resource("css", STYLESHEET_NAME, "text/css", STYLESHEET.encode("utf-8"))


@dataclass(frozen=True)
class Narration:
    """An exercise's read-aloud: the MP3, its media overlay and the overlay's length.

    ``duration_ms`` is the sum of the overlay's clip lengths in whole milliseconds, the
    same rounded values the SMIL carries, so the per-overlay and total durations in the
    package add up exactly.
    """

    audio: Resource
    overlay: Resource
    duration_ms: int


@dataclass(frozen=True)
class Section:
    """One exercise as a finished XHTML content document, plus what it links to.

    ``file_name`` and resource paths are relative to the package document; the
    XHTML refers to the stylesheet relatively, so a section can be put into any
    book that also carries its ``resources``.
    """

    slug: str
    title: str
    language: str
    group: str
    file_name: str
    xhtml: bytes
    stylesheet: Resource
    headings: tuple[tuple[str, str], ...]
    """``(fragment id, label)`` of each part, in reading order, for a detailed table of contents."""
    image_described: bool = False
    """Whether the exercise's picture is given as a text description (for the a11y summary)."""
    narration: Narration | None = None
    pictures: tuple[Resource, ...] = ()
    """The exercise's pictures (each shown with its alt text and caption)."""

    @property
    def uid(self) -> str:
        """Manifest id: prefixed, since a slug may start with a digit (not an XML name)."""
        return f"x-{self.slug}"

    @property
    def resources(self) -> tuple[Resource, ...]:
        if self.narration is None:
            return (self.stylesheet, *self.pictures)
        return (self.stylesheet, *self.pictures, self.narration.audio, self.narration.overlay)


def build_section(document: Exercise) -> Section:
    """The exercise as one semantic XHTML content document (see :func:`xhtml.chapter`)."""
    d = document
    html, body = xhtml.root(d.language, xhtml.check_xml(d.name, f"exercise '{d.slug}'"),
                            f"../{STYLESHEET_NAME}")
    body.set("epub:type", "bodymatter")
    pictures = tuple(
        Resource(f"img-{d.slug}-{i}", f"{IMAGE_DIR}/{d.slug}-{i}{p.extension}", p.media_type,
                 p.data)
        for i, p in enumerate(images.loaded(d), 1))
    chapter, headings = xhtml.chapter(d, pictures=[
        (f"../{r.file_name}", (p.width, p.height))
        for r, p in zip(pictures, images.loaded(d), strict=True)])
    chapter.attrib.update({"epub:type": "chapter", "role": "doc-chapter"})
    body.append(chapter)
    return Section(
        slug=d.slug,
        title=d.name,
        language=d.language,
        group=xhtml.group_label(d),
        file_name=f"{TEXT_DIR}/{d.slug}.xhtml",
        xhtml=xhtml.serialise(html),
        stylesheet=STYLESHEET_RESOURCE,
        headings=headings,
        image_described=d.image_description is not None or bool(pictures),
        pictures=pictures,
    )
