"""Accessible web pages: one per exercise (``html``) and an index of them (``html-index``).

The page is the e-book's semantic page (:mod:`kickback_export.engines.web.xhtml`) in the
HTML5 syntax, in a ``<main>`` landmark, with a stylesheet beside it and no script.
The stylesheet keeps to relative sizes on screen, and prints dark text on white on
whatever paper the printer has (A4 or Letter: nothing is wider than the page).
A workout's page lists its blocks (:mod:`kickback_export.engines.web.workout_html`), each
exercise linked to its own page when the output has one, and the index lists workouts as a
group of their own.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..errors import OptionError
from ..registry import Option, Options, Output

if TYPE_CHECKING:
    from ..document.model import Exercise
    from ..document.workout import ResolvedWorkout

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


class HtmlExporter:
    """The ``html`` format: ``OUT/<slug>/<slug>.html`` and its ``<slug>.css``."""

    name = "html"
    description = "Accessible web page (HTML5, WCAG 2.1 AA) that also prints cleanly"
    kinds = ("exercise", "workout")
    options: Sequence[Option] = ()
    collections = ("html-index",)

    def export(self, document: Exercise | ResolvedWorkout, out_dir: Path, options: Options
               ) -> list[Output]:
        from .. import fsutil
        from ..document import images
        from ..document.workout import ResolvedWorkout
        from ..engines.web import xhtml

        if isinstance(document, ResolvedWorkout):  # the sheet's content, linking each exercise
            from ..engines.web import workout_html

            w = document
            html, main = _page(w.language, xhtml.check_xml(w.name, f"workout '{w.slug}'"),
                               f"{w.slug}.css")
            main.append(workout_html.article(w))
            page = fsutil.write_bytes(out_dir / f"{w.slug}.html",
                                      xhtml.serialise(html, xml=False))
            return [Output(page, HTML_TYPE),
                    Output(fsutil.write_text(out_dir / f"{w.slug}.css", STYLESHEET), CSS_TYPE)]
        d = document
        html, main = _page(d.language, xhtml.check_xml(d.name, f"exercise '{d.slug}'"),
                           f"{d.slug}.css")
        pictures = [(f"{d.slug}-{i}{p.extension}", p) for i, p in enumerate(images.loaded(d), 1)]
        article, _ = xhtml.chapter(d, xml=False, pictures=[
            (name, (p.width, p.height)) for name, p in pictures])
        article.tag = "article"
        main.append(article)
        page = fsutil.write_bytes(out_dir / f"{d.slug}.html", xhtml.serialise(html, xml=False))
        css = fsutil.write_text(out_dir / f"{d.slug}.css", STYLESHEET)
        return [Output(page, HTML_TYPE), Output(css, CSS_TYPE), *(
            Output(fsutil.write_bytes(out_dir / name, p.data), p.media_type)
            for name, p in pictures)]


class IndexEntry(NamedTuple):
    slug: str
    name: str
    group: str
    language: str


class HtmlIndex:
    """The ``html-index`` collection: ``OUT/index.html`` links every page, by primary muscle."""

    name = "html-index"
    description = "Index of the web pages, grouped by primary muscle (workouts apart)"
    kinds = ("exercise", "workout")
    options: Sequence[Option] = ()

    def part(self, document: Exercise | ResolvedWorkout, options: Options) -> IndexEntry:
        from ..content.phrases import phrases
        from ..document.workout import ResolvedWorkout
        from ..engines.web.xhtml import group_label

        d = document
        if isinstance(d, ResolvedWorkout):  # workouts are a group of their own
            return IndexEntry(d.slug, d.name, phrases(d.language)._("Workouts"), d.language)
        return IndexEntry(d.slug, d.name, group_label(d), d.language)

    def assemble(self, parts: Sequence[IndexEntry], out_dir: Path, options: Options
                 ) -> list[Output]:
        from .. import fsutil
        from ..content.phrases import phrases
        from ..engines.web import xhtml

        if not parts:
            raise OptionError("an index needs at least one exercise")
        language = parts[0].language
        b = xhtml.Builder("index", language, {"h1": phrases("en")._("Exercises")}, xml=False)
        title = phrases(language)._("Exercises")
        html, main = _page(language, title)
        ET.SubElement(html[0], "style").text = INDEX_STYLE  # one file: the index has no folder
        b.label(main, "h1", title, "h1")
        for i, (group, entries) in enumerate(xhtml.grouped(parts, lambda p: p.group), 1):
            section = b.el(main, "section", aria_labelledby=f"group-{i}")
            b.el(section, "h2", group, id=f"group-{i}")
            ul = b.el(section, "ul")
            for entry in entries:
                link = b.el(b.el(ul, "li"), "a", entry.name, href=f"{entry.slug}/{entry.slug}.html")
                if entry.language != language:
                    b.lang(link, entry.language)
        path = fsutil.write_bytes(out_dir / "index.html", xhtml.serialise(html, xml=False))
        return [Output(path, HTML_TYPE)]
