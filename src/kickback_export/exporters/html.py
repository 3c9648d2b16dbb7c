"""The ``html`` format: a document's page as an accessible web page, and the index of them.

The page is the document's text model written as HTML5 by the writer the e-book uses
(:mod:`kickback_export.engines.web.xhtml`): the same semantic structure and ids, in the
HTML syntax, in a ``<main>`` landmark, with a stylesheet beside it and no script.
The stylesheet keeps to relative sizes on screen, and prints dark text on white on
whatever paper the printer has (A4 or Letter: nothing is wider than the page). A link to
another document (a workout's exercise, a program's workout) goes to its page when the
output has one, and names it unlinked otherwise. The index lists every page built into
the output folder, by every build (a collection kept per folder), grouped as each
document's text model says (its first muscle; workouts and programs apart).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import OptionError
from ..registry import Option, Options, Output

if TYPE_CHECKING:
    from ..content.text import Ref, TextModel

HTML_TYPE = "text/html"
CSS_TYPE = "text/css"
HEAD_META = ({"name": "viewport", "content": "width=device-width, initial-scale=1"},
             {"name": "color-scheme", "content": "light dark"})  # light or dark as the reader chose

STYLESHEET = """\
/* Relative units and the browser's own colours; long words wrap rather than overflow. */
body { max-width: 42em; margin: 0 auto; padding: 1em; line-height: 1.5;
  overflow-wrap: break-word; }
h1 { font-size: 1.8em; line-height: 1.2; margin: 0.5em 0; }
h2 { font-size: 1.35em; margin: 1.5em 0 0.5em; }
h3 { font-size: 1.1em; margin: 1em 0 0.3em; }
.summary { font-style: italic; }
.label, dt { font-weight: bold; }
dd { margin: 0 0 0.6em 1.5em; }
li { margin: 0 0 0.4em; }
aside.image-description { border-left: 0.25em solid currentColor; padding-left: 1em; }
figure.picture { margin: 1em 0; }
figure.picture img { max-width: 100%; height: auto; }
.credit { display: block; font-size: 0.85em; }
/* Print: the printer's paper (A4 or Letter) with margins both fit, dark text on white. */
@page { size: auto; margin: 15mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; }
  body, a { color: #000; background: #fff; }
  h2, h3, dt { break-after: avoid; }
  p, li, dd, aside, figure { break-inside: avoid; }
}
"""

INDEX_STYLE = "body { max-width: 42em; margin: 0 auto; padding: 1em; line-height: 1.5; }"


def _page(language: str, title: str, stylesheet: str | None = None
          ) -> tuple[ET.Element, ET.Element]:
    """An HTML page with its ``<main>`` landmark (returned to be filled)."""
    from ..engines.web import xhtml

    html, body = xhtml.root(language, title, stylesheet, xml=False)
    for meta in HEAD_META:
        ET.SubElement(html[0], "meta", meta)
    return html, ET.SubElement(body, "main")


TABLE_STYLE = """\
table { border-collapse: collapse; margin: 1em 0; }
caption { font-weight: bold; text-align: left; }
th, td { border: 0.06em solid currentColor; padding: 0.2em 0.5em; text-align: left; }
"""
"""Added to a page's stylesheet when it has a table (a program's plan)."""


def _href(ref: Ref) -> str | None:
    return f"../{ref.id}/{ref.id}.html" if ref.available else None


class HtmlExporter:
    """The ``html`` format: ``OUT/<slug>/<slug>.html`` and its ``<slug>.css``."""

    name = "html"
    description = "Accessible web page (HTML5, WCAG 2.1 AA) that also prints cleanly"
    options: Sequence[Option] = ()
    collections = ("html-index",)
    uses = ("audio",)  # built together, the page plays the guide

    def export(self, text: TextModel, out_dir: Path, options: Options) -> list[Output]:
        from .. import fsutil
        from ..content.text import Table, walk
        from ..engines.web import player, xhtml

        slug = text.slug
        html, main = _page(text.language, xhtml.check_xml(text.title, f"{text.kind} '{slug}'"),
                           f"{slug}.css")
        pictures = {i: (f"{slug}-{i}{p.extension}", p) for i, p in enumerate(text.pictures, 1)}
        writer = xhtml.Writer(xhtml.Builder(f"{text.kind} '{slug}'", text.language, xml=False),
                              _href, lambda f: (pictures[f.number][0],
                                                (pictures[f.number][1].width,
                                                 pictures[f.number][1].height)))
        article = writer.page(text.page, "article")
        main.append(article)
        # the page plays the document's own guide (a program's days have one each: none
        # of them is the page's)
        guide = player.guide_of([(c.path, c.href, c.media_type)
                                 for c in options.companions.get("audio", ())]
                                ) if text.script is not None else None
        if guide is not None:  # after the title and the summary under it
            at = next((i for i, node in enumerate(article)
                       if node.tag != "h1" and node.get("class") != "summary"), len(article))
            article.insert(at, player.section(writer.b, guide, text.language))
        page = fsutil.write_bytes(out_dir / f"{slug}.html", xhtml.serialise(html, xml=False))
        tables = any(isinstance(b, Table) for b in walk(text.page))
        css = fsutil.write_text(out_dir / f"{slug}.css", STYLESHEET + (
            TABLE_STYLE if tables else "") + (player.STYLE if guide else ""))
        return [Output(page, HTML_TYPE), Output(css, CSS_TYPE), *(
            Output(fsutil.write_bytes(out_dir / name, p.data), p.media_type)
            for name, p in pictures.values())]


class IndexEntry(NamedTuple):
    slug: str
    name: str
    group: str
    language: str

    @classmethod
    def of(cls, part: Any) -> IndexEntry:
        """A part as made and as the manifest keeps it: a mapping of these fields."""
        return cls(*(str(part.get(name, "")) for name in cls._fields))


class HtmlIndex:
    """The ``html-index`` collection: ``OUT/index.html`` links every page, by primary muscle.
    Its parts are kept per output folder, so a build of one page keeps the others listed."""

    name = "html-index"
    description = "Index of the web pages, grouped by primary muscle (workouts apart)"
    options: Sequence[Option] = ()
    scope = "folder"

    def part(self, text: TextModel, options: Options) -> dict[str, str]:
        """The page's entry, as JSON data (the build keeps it in the manifest)."""
        return IndexEntry(text.slug, text.title, text.group, text.language)._asdict()

    def assemble(self, parts: Sequence[Any], out_dir: Path, options: Options) -> list[Output]:
        from .. import fsutil
        from ..content.phrases import phrases
        from ..content.text import grouped
        from ..engines.web import xhtml

        if not parts:
            raise OptionError("an index needs at least one exercise")
        pages = [IndexEntry.of(p) for p in parts]
        language = pages[0].language
        b = xhtml.Builder("index", language, xml=False)
        title = phrases(language)._("Exercises")
        html, main = _page(language, title)
        ET.SubElement(html[0], "style").text = INDEX_STYLE  # one file: the index has no folder
        b.label(main, "h1", title)
        for i, (group, entries) in enumerate(grouped(pages, lambda p: p.group), 1):
            section = b.el(main, "section", aria_labelledby=f"group-{i}")
            b.el(section, "h2", group, id=f"group-{i}")
            ul = b.el(section, "ul")
            for entry in entries:
                link = b.el(b.el(ul, "li"), "a", entry.name, href=f"{entry.slug}/{entry.slug}.html")
                if entry.language != language:
                    b.lang(link, entry.language)
        path = fsutil.write_bytes(out_dir / "index.html", xhtml.serialise(html, xml=False))
        return [Output(path, HTML_TYPE)]
