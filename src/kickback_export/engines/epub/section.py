"""One document as an EPUB content document (a :class:`Section`), finished and picklable.

The standalone e-book and the coaching book carry the same section bytes, so an
exercise reads the same wherever it appears; a book's sections can be built in
worker processes and put together later. The XHTML is the text model's page written by
:mod:`~kickback_export.engines.web.xhtml` and is handed to ebooklib as finished bytes:
ebooklib's own ``EpubHtml`` would re-parse it with lxml's lenient HTML parser, which
turns stray markup in the text into elements and broken markup into nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...content.text import Part, TextModel
from ..web import xhtml
from ..web.xhtml import Href, Picture

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


def page_xhtml(text: TextModel, page: Part, file_name: str, href: Href, *,
               matter: str = "bodymatter", pictures: Picture | None = None,
               stylesheet: str = STYLESHEET_NAME) -> bytes:
    """One page of a publication: ``page`` (of ``text``) as a chapter, or an index when
    the page's role is "index"; links go where ``href`` says."""
    b = xhtml.Builder(f"{text.kind} '{text.slug}'", text.language)
    depth = "../" * file_name.count("/")
    html, body = xhtml.root(text.language, b.text(page.heading.text if page.heading
                                                  else text.title),
                            f"{depth}{stylesheet}")
    body.set("epub:type", matter)
    writer = xhtml.Writer(b, href, pictures or (lambda f: ("", (0, 0))))
    chapter = writer.page(page, "section")
    index = page.role == "index"
    chapter.attrib.update({"epub:type": "index" if index else "chapter",
                           "role": "doc-index" if index else "doc-chapter"})
    body.append(chapter)
    return xhtml.serialise(html)


def build_section(text: TextModel, href: Href = lambda ref: None,
                  file_name: str | None = None, stylesheet: Resource | None = None) -> Section:
    """The document's page as one semantic XHTML content document; ``href`` says where
    the pages it links to are in the publication, ``stylesheet`` which one it uses
    (default: the exercises')."""
    stylesheet = stylesheet or STYLESHEET_RESOURCE
    pictures = tuple(
        Resource(f"img-{text.slug}-{i}", f"{IMAGE_DIR}/{text.slug}-{i}{p.extension}",
                 p.media_type, p.data)
        for i, p in enumerate(text.pictures, 1))
    sizes = {i: (p.width, p.height) for i, p in enumerate(text.pictures, 1)}
    file_name = file_name or f"{TEXT_DIR}/{text.slug}.xhtml"
    data = page_xhtml(text, text.page, file_name, href, pictures=lambda f: (
        f"../{pictures[f.number - 1].file_name}", sizes[f.number]),
        stylesheet=stylesheet.file_name)
    return Section(
        slug=text.slug,
        title=text.title,
        language=text.language,
        group=text.group,
        file_name=file_name,
        xhtml=data,
        stylesheet=stylesheet,
        headings=text.headings(),
        image_described=text.described,
        pictures=pictures,
    )
