"""Accessible EPUB 3: one document as a standalone e-book (``epub``; a document whose text
model is a book of several pages, such as a program, as that book), or many as a coaching
book (the ``book`` collection).

The work is done in :mod:`kickback_export.engines.epub` — the page (``section``), the
read-aloud (``narration``), a book's pages (``book``) and the package (``package``) —
imported only when something is exported, so listing the formats stays fast.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..errors import OptionError
from ..registry import Option, Options, Output

if TYPE_CHECKING:
    from ..content.text import TextModel
    from ..engines.epub.book import BookPages
    from ..engines.epub.section import Section

MEDIA_TYPE = "application/epub+zip"


def _parse_modified(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise OptionError(
            f"--epub-modified: '{value}' is not a date and time like 2024-05-01T12:00:00Z"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


class Timestamp(str):
    """The ``--epub-modified`` value: checked when the option is read (the command line,
    or the registry for a build called directly), so a bad date is a usage error before
    anything is exported."""

    __slots__ = ()

    def __new__(cls, value: str) -> Timestamp:
        _parse_modified(value)
        return super().__new__(cls, value)


def _speech_workers(options: Options) -> int | None:
    """Documents exported side by side share the cores for speech synthesis."""
    if options.jobs <= 1:
        return None
    from ..engines.audio.speech import default_workers

    return max(1, default_workers() // options.jobs)


class EpubExporter:
    """The ``epub`` format: ``OUT/<slug>/<slug>.epub``, one document per e-book, or the
    document's own book (a program's: its plan, workouts, exercises and index)."""

    name = "epub"
    description = "Accessible EPUB 3 e-book (EPUB Accessibility 1.1, WCAG 2.1 AA)"
    options: Sequence[Option] = (
        Option(
            name="epub-modified",
            help="last-modified date written into the EPUB, e.g. 2024-05-01T12:00:00Z, UTC "
            "unless an offset is given (default: a fixed date, so output depends only on "
            "the document)",
            type=Timestamp,
        ),
        Option(
            name="epub-narration",
            help="read each page aloud in sync with the text (EPUB media overlays: "
            "the whole text, headings included; spoken by --engine, default espeak-ng)",
            flag=True,
            default=False,
        ),
    )

    def export(self, text: TextModel, out_dir: Path, options: Options) -> list[Output]:
        from ..engines.epub.book import write_book_of
        from ..engines.epub.package import write_single

        write = write_book_of if text.book is not None else write_single
        path = write(text, out_dir / f"{text.slug}.epub",
                     modified=_parse_modified(options.get("epub-modified")),
                     narration=bool(options.get("epub-narration", False)),
                     speech_workers=_speech_workers(options),
                     engine=options.get("engine"))  # --engine, declared by the audio guide
        return [Output(path, MEDIA_TYPE)]


def _file_name(title: str) -> str:
    """``Band Work`` → ``band-work.epub`` (letters folded to ASCII where they can be)."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return (re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:80] or "book") + ".epub"


class EpubBook:
    """The ``book`` collection: many exercises in one coaching e-book, ``OUT/<file>``.

    ``part`` builds an exercise's section (and its read-aloud) wherever the build runs
    it; ``assemble`` puts the sections into one EPUB with a title page and contents.
    Given a program, the book is that program's (plan, workouts, index) with the
    sections of the exercises it uses; other exercises given are left out.
    """

    name = "book"
    description = "Coaching e-book: many exercises, or a program, in one accessible EPUB 3"
    options: Sequence[Option] = (
        Option("title", "book title (required)"),
        Option("author", "book author"),
        Option("group-by", "contents grouped by each exercise's first primary muscle, "
               "or one flat list in the order given", default="muscle",
               choices=("muscle", "none")),
        Option("narration", "read every exercise aloud in sync with the text (EPUB media "
               "overlays; spoken by --engine, default espeak-ng)", flag=True, default=False),
        Option("file", "the book's file name in the output folder (default: from the title)"),
        Option("allow-mixed-languages", "bundle exercises written in different languages "
               "(each keeps its own language; the book's is the first exercise's)",
               flag=True, default=False),
    )

    @staticmethod
    def _settings(options: Options) -> tuple[str, Literal["muscle", "none"]]:
        from ..engines.epub.package import book_title, group_order

        return book_title(options.get("title")), group_order(options.get("group-by", "muscle"))

    def part(self, text: TextModel, options: Options) -> Section | BookPages:
        from ..engines.epub.book import book_pages
        from ..engines.epub.narration import narrate
        from ..engines.epub.section import build_section

        self._settings(options)  # a bad option is refused before any work is done
        if text.book is not None:
            return book_pages(text)
        section = build_section(text)
        if options.get("narration", False):
            [section] = narrate([text], [section], _speech_workers(options),
                                engine=options.get("engine"))
        return section

    def assemble(self, parts: Sequence[Section | BookPages], out_dir: Path,
                 options: Options) -> list[Output]:
        from ..engines.epub.book import BookPages, book_sections, write_book_pages
        from ..engines.epub.package import write_book

        title, group_by = self._settings(options)
        if not parts:
            raise OptionError("a book needs at least one exercise")
        file = str(options.get("file") or _file_name(title))
        if Path(file).name != file or not file.endswith(".epub"):
            raise OptionError(f"--file: '{file}' is not a file name ending in .epub")
        books = [p for p in parts if isinstance(p, BookPages)]
        sections = [p for p in parts if not isinstance(p, BookPages)]
        if len(books) > 1:
            raise OptionError("a book holds one program, not "
                              + ", ".join(f"'{p.slug}'" for p in books))
        if books:
            used = book_sections(books[0], sections,
                                 narration=bool(options.get("narration", False)),
                                 speech_workers=_speech_workers(options),
                                 engine=options.get("engine"))
            path = write_book_pages(books[0], used, out_dir / file, title=title,
                                    author=options.get("author"))
            return [Output(path, MEDIA_TYPE)]
        path = write_book(sections, out_dir / file, title=title, author=options.get("author"),
                          group_by=group_by,
                          allow_mixed_languages=bool(options.get("allow-mixed-languages")))
        return [Output(path, MEDIA_TYPE)]


def build_book(
    documents: Sequence[Any],
    out_path: Path,
    *,
    title: str,
    author: str | None = None,
    group_by: Literal["muscle", "none"] = "muscle",
    narration: bool = False,
    allow_mixed_languages: bool = False,
) -> Path:
    """The coaching e-book of ``documents`` (exercises, or their text models) written to
    ``out_path`` (the ``book`` command). Runs the :class:`EpubBook` collection in this
    process; ids must be unique.
    """
    from ..content.text import TextModel, text_of

    book = EpubBook()
    options = Options({"title": title, "author": author, "group_by": group_by,
                       "narration": narration, "file": out_path.name,
                       "allow_mixed_languages": allow_mixed_languages})
    if not documents:
        book.assemble([], out_path.parent, options)  # refuses, naming what is missing
    texts = [d if isinstance(d, TextModel) else text_of(d) for d in documents]
    parts = [book.part(text, options) for text in texts]
    [out] = book.assemble(parts, out_path.parent, options)
    return out.path
