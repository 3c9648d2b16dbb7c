"""Keep the phrase catalogs in step with the code (a developer tool, also run by the tests).

``python -m kickback_export.content.catalogs`` extracts every marked message (see
:mod:`.phrases`) from the package with Babel into the template
``locales/kickback_export.pot`` and updates each translation,
``locales/<lang>/LC_MESSAGES/kickback_export.po``: new messages are added
untranslated (they read in English until translated), messages no longer used are
dropped. English is the source language and has no catalog of its own.

``--check`` changes nothing and exits 1 when the template is stale or a language's
catalog is incomplete (:func:`problems`): a message of the template missing or left
untranslated, a message the template no longer has, or a translation whose ``{fields}``
differ from its message's (a renamed field would fail when the message is filled).
"""

from __future__ import annotations

import argparse
import io
import string
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .phrases import DOMAIN, LOCALES

PACKAGE = Path(__file__).resolve().parent.parent
TEMPLATE = LOCALES / f"{DOMAIN}.pot"
FIXED = datetime(2026, 1, 1, tzinfo=UTC)  # fixed dates: a file changes only with its messages
KEYWORDS: dict[str, Any] = {
    "_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
}


def template() -> Any:
    """Every message the package marks, as a Babel catalog (the ``.pot``)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(domain=DOMAIN, project="kickback-export", fuzzy=False, version=None,
                      copyright_holder="the kickback-export authors", msgid_bugs_address="",
                      creation_date=FIXED, revision_date=FIXED)
    for filename, lineno, message, comments, context in extract_from_dir(
        PACKAGE, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments,
                    context=context)
    return catalog


def _po_text(catalog: Any) -> str:
    from babel.messages.pofile import write_po

    buf = io.BytesIO()
    write_po(buf, catalog, width=96, omit_header=False, sort_output=True, no_location=True,
             include_previous=False)
    return buf.getvalue().decode("utf-8")


def updated(language: str, pot: Any) -> tuple[Path, str]:
    """The catalog file of ``language`` and its text brought up to date with ``pot``."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    path = LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if path.is_file():
        with open(path, "rb") as fh:
            catalog = read_po(fh, locale=language, domain=DOMAIN)
    else:
        catalog = Catalog(locale=language, domain=DOMAIN, project="kickback-export",
                          version=None, copyright_holder="the kickback-export authors",
                          msgid_bugs_address="", last_translator="",
                          language_team=f"{language}")
    catalog.fuzzy = False
    catalog.update(pot, no_fuzzy_matching=True, update_header_comment=False)
    catalog.obsolete.clear()
    catalog.revision_date = catalog.creation_date = FIXED
    return path, _po_text(catalog)


def languages() -> list[str]:
    return sorted(p.name for p in LOCALES.iterdir() if (p / "LC_MESSAGES").is_dir())


def _shown(path: Path) -> Path:
    return path.relative_to(PACKAGE) if path.is_relative_to(PACKAGE) else path


def _key(message: Any) -> tuple[str | None, str]:
    ident = message.id if isinstance(message.id, str) else message.id[0]
    return message.context, ident


def _fields(text: str) -> set[str] | None:
    """The names of a ``str.format`` template's fields (None: not a valid template)."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return None


def problems(path: Path, pot: Any) -> list[str]:
    """What keeps the catalog at ``path`` from being complete and current with ``pot``:
    one line per message missing, untranslated, stale or with other ``{fields}``."""
    from babel.messages.pofile import read_po

    with open(path, "rb") as fh:
        catalog = read_po(fh, domain=DOMAIN)
    where = _shown(path)
    wanted = {_key(m): m for m in pot if m.id}
    have = {_key(m): m for m in catalog if m.id}
    out = [f"{where}: missing {key[1]!r}" for key in wanted.keys() - have.keys()]
    out += [f"{where}: stale {key[1]!r} (the code no longer has it)"
            for key in [*(have.keys() - wanted.keys()), *map(_key, catalog.obsolete.values())]]
    for key in wanted.keys() & have.keys():
        message = have[key]
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = ([message.string] if isinstance(message.string, str)
                   else list(message.string or ()))
        expected = set().union(*(_fields(i) or set() for i in ids))
        # Babel reads as many plural forms as the catalog's rule has, "" for one not given
        if not all(strings) or message.fuzzy:  # a fuzzy translation is not used
            out.append(f"{where}: untranslated {key[1]!r}")
            continue
        for text in strings:
            fields = _fields(text)
            if fields != expected:
                found = "no valid template" if fields is None else sorted(fields)
                out.append(f"{where}: {key[1]!r} translated as {text!r}: fields "
                           f"{found}, the message has {sorted(expected)}")
    return sorted(out)


def _add_metadata(language: str) -> None:
    """Start the language's block of ``languages.yaml`` (the other half of a language)."""
    from ..languages import METADATA

    path = LOCALES / METADATA
    code = language.split("-")[0].split("_")[0].lower()
    if f"\n{code}:" in path.read_text(encoding="utf-8"):
        return
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(f"{code}:\n  braille: null  # its grade 2 liblouis table, e.g. xx-g2.ctb "
                 "(/usr/share/liblouis/tables)\n")
    print(f"updated: {_shown(path)} (fill in the braille table of '{code}')", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kickback_export.content.catalogs",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report, change nothing")
    parser.add_argument("--add", metavar="LANG", help="start a catalog for a new language")
    args = parser.parse_args(argv)
    pot = template()
    stale = []
    wanted = [(TEMPLATE, _po_text(pot))]
    if not args.check:
        langs = sorted({*languages(), *([args.add] if args.add else [])})
        wanted += [updated(language, pot) for language in langs]
    for path, text in wanted:
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(path)
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    if args.add and not args.check:
        _add_metadata(args.add)
    for path in stale:
        print(f"{'stale' if args.check else 'updated'}: {_shown(path)}", file=sys.stderr)
    if not args.check:
        return 0
    incomplete = [line for language in languages() for line in problems(
        LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po", pot)]
    for line in incomplete:
        print(line, file=sys.stderr)
    return 1 if stale or incomplete else 0


if __name__ == "__main__":
    sys.exit(main())
