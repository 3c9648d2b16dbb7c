"""Phrases in the reader's language: gettext catalogs for words, CLDR (Babel) for numbers.

Every label, heading and spoken phrase an output shows goes through :class:`Phrases`;
no exporter writes English of its own. Messages are ``str.format`` templates with
named fields (``"Set {n} of {total}"``): a translator can move the fields, and the
values (document text included) are inserted, never parsed. Plurals follow the
catalog's plural rule, numbers, lists and durations follow CLDR for the locale.

Catalogs are the ``.po`` files under ``locales/<lang>/LC_MESSAGES/`` (English is the
source language: its catalog lists the messages, untranslated). They are compiled
in memory with Babel when first used. ``KICKBACK_EXPORT_LOCALES`` may name more
folders of the same layout, searched first (a translator's work in progress, or the
tests' pseudo-locale).

Message markers, for extraction (``scripts/catalogs.py``): ``ph._("…")``,
``ph.ngettext("…", "…", n)``, ``ph.pgettext("context", "…")`` and :func:`N_` for
messages kept in tables and translated later.
"""

from __future__ import annotations

import functools
import gettext
import io
from collections.abc import Sequence
from typing import Any

from ..languages import ENV as ENV
from ..languages import LOCALES as LOCALES
from ..languages import folders as _folders

DOMAIN = "kickback_export"
NBSP = "\u00a0"


def N_(message: str) -> str:
    """Mark a message for extraction without translating it yet."""
    return message


def _candidates(language: str) -> list[str]:
    """``de-AT`` → ``de_AT``, ``de``: the catalog names to try, most specific first."""
    parts = language.replace("-", "_").split("_")
    names = ["_".join([parts[0].lower(), *(p.upper() if len(p) == 2 else p for p in parts[1:])])]
    if len(parts) > 1:
        names.append(parts[0].lower())
    return names


def _load_catalog(language: str) -> gettext.NullTranslations:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    for name in _candidates(language):
        for folder in _folders():
            po = folder / name / "LC_MESSAGES" / f"{DOMAIN}.po"
            if po.is_file():
                with open(po, "rb") as fh:
                    catalog = read_po(fh, locale=None, domain=DOMAIN)
                buf = io.BytesIO()
                write_mo(buf, catalog, use_fuzzy=False)
                buf.seek(0)
                return Translations(buf, domain=DOMAIN)
    return gettext.NullTranslations()


def _locale(language: str) -> Any:
    """The CLDR locale for a tag; its language alone when CLDR lacks the region (and
    English for a language CLDR does not know, e.g. a pseudo-locale)."""
    from babel import Locale, UnknownLocaleError

    for name in (*_candidates(language), "en"):
        try:
            return Locale.parse(name)
        except (UnknownLocaleError, ValueError):
            continue
    raise AssertionError("CLDR has no English")  # pragma: no cover


class Phrases:
    """The words of one language. Get one with :func:`phrases` (cached per language)."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.locale = _locale(language)
        self._t = _load_catalog(language)
        self._formatted: dict[tuple[str, float], str] = {}  # CLDR formatting is slow

    @property
    def has_catalog(self) -> bool:
        """Whether this language has a catalog (then complete: the tests check it); without
        one every message reads in English."""
        return type(self._t) is not gettext.NullTranslations

    # -- messages ------------------------------------------------------------------------
    def _(self, message: str, /, **values: Any) -> str:
        """The message in this language, its ``{fields}`` filled from ``values``."""
        return self._fill(self._t.gettext(message), values)

    def pgettext(self, context: str, message: str, /, **values: Any) -> str:
        """A message whose English is ambiguous, told apart by ``context``."""
        return self._fill(self._t.pgettext(context, message), values)

    def ngettext(self, singular: str, plural: str, n: float, /, **values: Any) -> str:
        """The plural form for ``n`` (the catalog's rule); ``{n}`` is the formatted number."""
        count = int(n) if float(n).is_integer() else 2  # CLDR: a fraction takes "other"
        values.setdefault("n", self.number(n))
        return self._fill(self._t.ngettext(singular, plural, count), values)

    @staticmethod
    def _fill(template: str, values: dict[str, Any]) -> str:
        return template.format_map(values) if values else template

    def item_number(self, n: int) -> str:
        """The label of item ``n`` of a numbered list, as printed ("1.")."""
        # TRANSLATORS: the label of an item in a numbered list ("1.")
        return self._("{n}.", n=self.number(n))

    # -- numbers, lists, durations (CLDR) -------------------------------------------------
    def number(self, value: float) -> str:
        """1, 1.5 (1,5 in German): no trailing zeros, the locale's decimal sign."""
        key = ("number", value)
        if key not in self._formatted:
            from babel.numbers import format_decimal

            self._formatted[key] = str(format_decimal(value, format="#,##0.###",
                                                      locale=self.locale))
        return self._formatted[key]

    def join(self, items: Sequence[str], style: Any = "standard") -> str:
        """"a, b and c" in the locale's way (``style="or"`` for alternatives)."""
        from babel.lists import format_list

        if not items:
            return ""
        try:
            return str(format_list(list(items), style=style, locale=self.locale))
        except KeyError:  # Babel cannot inherit some locales' partial list patterns
            return str(format_list(list(items), locale=self.locale))

    def seconds(self, value: float, short: bool = False) -> str:
        """"45 seconds"; ``short`` gives the compact form for cards ("45 s"), the number
        kept with its unit by a no-break space."""
        if short:
            return self._("{n}\u00a0s", n=self.number(value))
        key = ("seconds", value)
        if key not in self._formatted:
            from babel.units import format_unit

            self._formatted[key] = str(format_unit(value, "duration-second", length="long",
                                                   locale=self.locale, format="#,##0.###"))
        return self._formatted[key]

    def mass(self, value: float, units: str, short: bool = False) -> str:
        """A load in kilograms or pounds (``units``: "kg" or "lb"), as CLDR words it: "70
        kilograms", "70 Kilogramm"; ``short`` for print ("70 kg", the number kept with its
        unit by a no-break space)."""
        key = (f"mass-{units}-{short}", value)
        if key not in self._formatted:
            from babel.units import format_unit

            unit = "mass-kilogram" if units == "kg" else "mass-pound"
            text = str(format_unit(value, unit, length="short" if short else "long",
                                   locale=self.locale, format="#,##0.###"))
            self._formatted[key] = text.replace(" ", NBSP).replace("\u202f", NBSP) if (
                short) else text
        return self._formatted[key]

    @staticmethod
    def clock(seconds: float) -> tuple[str, str]:
        """A moment of a recording as players show it and as ``<time datetime>`` takes it:
        ``("12:05", "PT12M5S")`` (hours shown only when there are some)."""
        whole = int(seconds + 0.5)
        hours, rest = divmod(whole, 3600)
        minutes, secs = divmod(rest, 60)
        if hours:
            return f"{hours}:{minutes:02d}:{secs:02d}", f"PT{hours}H{minutes}M{secs}S"
        return f"{minutes}:{secs:02d}", f"PT{minutes}M{secs}S"

    def language_name(self) -> str:
        """The language's own name for itself, capitalised ("English", "Deutsch")."""
        name = str(self.locale.get_display_name(self.locale) or self.language)
        return name[:1].upper() + name[1:]

    def percent(self, value: float) -> str:
        """A percentage as the locale writes it: 70 → "70%" ("70 %" in German)."""
        key = ("percent", value)
        if key not in self._formatted:
            from babel.numbers import format_percent

            self._formatted[key] = str(format_percent(value / 100, locale=self.locale,
                                                      decimal_quantization=False))
        return self._formatted[key]


@functools.cache
def phrases(language: str) -> Phrases:
    """The phrases for a BCP 47 tag (catalog and CLDR data are read once per process)."""
    return Phrases(language)


def cap(text: str) -> str:
    """Upper-case the first letter only ('lower back' → 'Lower back', 'ACL' stays)."""
    return text[:1].upper() + text[1:]
