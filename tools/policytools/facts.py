"""What must survive translation unchanged, extracted from a clause as comparable values.

Each fact is normalised so that what a faithful translation legitimately changes compares
equal: localised number formats (Babel), dates with localised month names (Babel), phone
formatting (phonenumbers), typographic quotes. Numbers written in words (text2num) are
the same numbers as in digits ("seven working days" = "7 werkdagen"). Words shaped like
names that translators keep (PartnerView, WINT) are facts without a term registry. Every
occurrence is kept, in the order of the text, so that facts compare as multisets. Digits
inside addresses, protected terms and clause references belong to their own checks and are
masked here, so one drift gives one finding.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from decimal import InvalidOperation
from functools import cache, cached_property

from .addresses import Address, block_address, country_names, inline_addresses
from .model import Block, Clause

FactKind = str  # one of: email, url, phone, date, number, code, term, name


@dataclass(frozen=True, slots=True)
class Fact:
    kind: FactKind
    value: str
    text: str
    line: int


@dataclass(frozen=True, slots=True)
class TextRef:
    """A textual reference to a clause: 'section 4', 'artikel 3'."""

    text: str
    number: str
    line: int
    target: str | None  # the link target when the reference is a link's text


@dataclass(frozen=True)
class ClauseFacts:
    facts: tuple[Fact, ...]
    addresses: tuple[Address, ...]
    refs: tuple[TextRef, ...]
    spelled: tuple[tuple[int, str], ...] = ()  # (line, masked text) that may hold number words
    lang: str | None = None  # text2num's language for them

    @property
    def word_numbers(self) -> frozenset[str]:
        """Every number written in words, ordinals too ('seven' → '7', 'third' → '3'): they
        excuse the same number in digits on the other side."""
        return self._words[0]

    @property
    def cardinal_words(self) -> tuple[Fact, ...]:
        """Each cardinal number written in words, as a fact ('seven working days' → 7).

        Ordinal words are no facts: 'third parties' is 'derden' in Dutch.
        """
        return self._words[1]

    @cached_property
    def _words(self) -> tuple[frozenset[str], tuple[Fact, ...]]:
        if self.lang is None:
            return frozenset(), ()
        from text_to_num import alpha2digit

        values: set[str] = set()
        cardinals: list[Fact] = []
        for line, text in self.spelled:
            converted = alpha2digit(text, self.lang)
            if converted == text:
                continue
            new = Counter(NUMERAL_RE.findall(converted)) - Counter(NUMERAL_RE.findall(text))
            for token, count in new.items():
                value = number_value(token, "en")[1]
                values.add(value)
                if token.isdigit():
                    written = _as_written(text, converted, token)
                    cardinals += [Fact("number", value, written, line)] * count
        return frozenset(values), tuple(cardinals)

    def values(self, kind: FactKind) -> dict[str, Fact]:
        """The distinct values of a kind, each with its last occurrence."""
        return self._by_kind.get(kind, {})

    def listed(self, kind: FactKind) -> tuple[Fact, ...]:
        """Every occurrence of a kind, in the order of the text."""
        return self._listed.get(kind, ())

    def sequence(self, kind: FactKind) -> tuple[str, ...]:
        """The values of every occurrence of a kind, in order: equal ones need no count."""
        return self._sequences.get(kind, ())

    @cached_property
    def _sequences(self) -> dict[FactKind, tuple[str, ...]]:
        return {kind: tuple(f.value for f in found) for kind, found in self._listed.items()}

    @cached_property
    def _by_kind(self) -> dict[FactKind, dict[str, Fact]]:
        """Built once: a source clause is compared with every translation."""
        table: dict[FactKind, dict[str, Fact]] = {}
        for fact in self.facts:
            table.setdefault(fact.kind, {})[fact.value] = fact
        return table

    @cached_property
    def _listed(self) -> dict[FactKind, tuple[Fact, ...]]:
        table: dict[FactKind, list[Fact]] = {}
        for fact in self.facts:
            table.setdefault(fact.kind, []).append(fact)
        return {kind: tuple(found) for kind, found in table.items()}


URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]\"“”‘’]+", re.I)
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A leading '+', or a '0' not inside a word or number; written to start with a character
# class (see addresses.POSTCODE_RE), which lets the engine skip to candidates.
PHONE_RE = re.compile(r"[+0](?<![\w.,]0)\d[\d\s().-]{6,}\d")
WORD_RE = re.compile(r"[^\W\d_]+")
DIGIT_RE = re.compile(r"\d")
YEAR_RE = re.compile(r"\d\d\d\d")  # the same as \d{4}, and scans faster
# A digit token is a run of [\w/-] holding a digit, then [\w/.,-]: '04411310', 'GL7', '1.000,5'.
# It is found from its first digit (a pattern starting with \d scans fast) and extended
# back over the [\w/-] before it.
TOKEN_TAIL_RE = re.compile(r"\d[\w/.,-]*")
NUMERIC_RE = re.compile(r"^\d{1,3}(?:[.,\u00a0\u202f]\d{3})*(?:[.,]\d+)?$|^\d+(?:[.,]\d+)?$")
ORDINAL_RE = re.compile(r"^(\d+)(?:st|nd|rd|th|e|ste|de|er|ème|re|º|ª|\.)$", re.I)
NUMERAL_RE = re.compile(r"(?<![\w.,])\d+(?:st|nd|rd|th|e|ste|de|er|ème|re)?(?![\w])")
QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
QUOTE_RE = re.compile("[’‘“”„«»]")
# A name a translator keeps as written: mixed case inside a word (PartnerView, eBay) or a
# short word in capitals (WINT, EMEA). Found from the capital that makes it one: followed by
# a capital, or after a small letter; starting with a character class lets the engine skip
# to the capitals (see addresses.POSTCODE_RE).
NAME_HINT_RE = re.compile(r"[A-Z](?:[A-Z]|(?<=[a-z][A-Z]))")
NAME_MAX_CAPITALS = 5  # longer words in capitals are emphasis ('MARKETING'), translated
ROMAN_RE = re.compile(r"^[IVXLCDM]+$")
# Abbreviations that languages write their own way ('GDPR' is 'AVG' in Dutch, 'DSGVO' in
# German, 'RGPD' in French), beside the region codes CLDR knows (UK, EU, USA, DE…).
TRANSLATED = frozenset({
    "GDPR", "EEA", "EU", "UK", "US", "USA", "UN", "VAT", "CCTV", "CEO", "CFO", "HR", "IT",
    "FAQ", "ID", "SME", "NGO", "DPO", "DPA", "AI", "PIN", "TV", "PC", "OECD", "WHO", "NATO",
    "ECJ", "CJEU", "ECHR",
})
# A business region may be written out ('Asie-Pacifique'), but never as another one.
REGION_ABBREVIATIONS = frozenset({"EMEA", "EMEIA", "APAC", "APJ", "LATAM", "AMER", "NORAM",
                                  "MENA", "DACH", "CEE", "ANZ"})
BEFORE_RE = re.compile(r"([^\W\d_]+)[^\w]{1,4}$")
AFTER_RE = re.compile(r"[^\w]{1,4}([^\W\d_]+)")
TEXT2NUM_LANGS = {"en", "nl", "fr", "es", "de", "pt", "it", "da"}


@dataclass(frozen=True)
class LocaleProfile:
    """Per-locale knowledge the extractor needs, built once per locale."""

    locale: str
    babel_locale: str
    region: str | None
    phone_regions: tuple[str | None, ...]  # the region, then the source's: a copied number
    month_first: bool
    dates: tuple[re.Pattern[str], ...]
    numeric_dates: tuple[re.Pattern[str], ...]  # those of ``dates`` without a month name
    months: dict[str, int]
    one_word_months: bool  # every month name is a single word: any word stands in ``dates``
    refs: re.Pattern[str] | None
    ref_words: tuple[str, ...]  # lowercased: a unit without one skips the refs pattern
    text2num: str | None


@cache
def profile(locale: str, reference_words: tuple[str, ...],
            region: str | None = None, source_region: str | None = None) -> LocaleProfile:
    """What the extractor knows of a locale. ``region`` (a declared one) reads phone numbers
    without a country code and numeric dates; else the locale's own ('en-GB'), else the
    likely one from CLDR ('en' → US, 'nl' → NL). A translation reads a number that is no
    phone number in its own region in ``source_region``: the source's number, copied."""
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global
    from babel.dates import get_date_format

    base = locale.replace("-", "_").split("_")[0]
    try:
        loc = Locale.parse(locale.replace("-", "_"))
        loc = Locale.parse(str(loc)) if loc else Locale("en")
    except (ValueError, UnknownLocaleError):
        loc = Locale("en")
    region = region or loc.territory or str(get_global("likely_subtags").get(
        loc.language, "")).rpartition("_")[2] or None
    if region and not loc.territory:
        with suppress(ValueError, UnknownLocaleError):  # the region's date order:
            loc = Locale.parse(f"{loc.language}_{region}")  # en-GB writes 3 April 03/04
    months: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in loc.months[context][width].items():
                months[name.lower().rstrip(".")] = number
    for number, name in Locale("en").months["format"]["wide"].items():
        months.setdefault(name.lower(), number)
    # Where every month name is one word, any word stands in the patterns and _date_value
    # looks it up: an alternation of some fifty names is slow to try at every position.
    one_word = all(WORD_RE.fullmatch(m) for m in months)
    names = r"[^\W\d_]+" if one_word else \
        "|".join(sorted((re.escape(m) for m in months), key=len, reverse=True))
    iso = re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")
    numeric = re.compile(r"\b(?P<a>\d{1,2})[./-](?P<b>\d{1,2})[./-](?P<y>\d{4})\b")
    dates = (
        re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th|e|er)?\.?\s+(?P<m>{names})\.?,?\s+"
                   rf"(?P<y>\d{{4}})\b", re.I),
        re.compile(rf"\b(?P<m>{names})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+"
                   rf"(?P<y>\d{{4}})\b", re.I),
        iso,
        numeric,
        re.compile(rf"\b(?P<m>{names})\.?\s+(?P<y>\d{{4}})\b", re.I),
    )
    pattern = get_date_format("short", locale=loc).pattern
    words = "|".join(re.escape(w) for w in reference_words)
    refs = re.compile(rf"\b(?:{words})\s+(\d+(?:\.\d+)*)\b", re.I) if words else None
    return LocaleProfile(locale, str(loc), region,
                         tuple(dict.fromkeys((region, source_region or region))),
                         pattern.find("M") <
                         pattern.find("d"), dates, (iso, numeric), months,
                         one_word, refs,
                         tuple(w.lower() for w in reference_words),
                         base if base in TEXT2NUM_LANGS else None)


TermPatterns = tuple[tuple[str, str, re.Pattern[str]], ...]


@cache
def term_patterns(terms: tuple[str, ...]) -> TermPatterns:
    """Per protected term: the term, a substring any match holds, and its pattern.

    Digits are free in the pattern, so 'ISO 27002' reads as an altered 'ISO 27001'; the
    substring (the term's longest run without digits) lets most text skip the regex.
    """
    return tuple((t, max(re.split(r"\d+", t.translate(QUOTES)), key=len).strip(),
                  term_pattern(t.translate(QUOTES))) for t in terms)


def term_pattern(term: str) -> re.Pattern[str]:
    """The term as a whole word, with any number where it has digits.

    Written to start with the term's first character and check the word boundary after it,
    which lets the engine skip to that character (see addresses.POSTCODE_RE): twenty times
    faster than a leading lookbehind.
    """
    first = term[:1]
    if not first or first.isdigit():
        return re.compile(rf"(?<!\w){_skeleton(term)}(?!\w)")
    return re.compile(rf"{re.escape(first)}(?<!\w{re.escape(first)}){_skeleton(term[1:])}(?!\w)")


@cache
def _declared(terms: tuple[str, ...]) -> dict[str, str]:
    return {t.translate(QUOTES): t for t in terms}


def _skeleton(term: str) -> str:
    return "".join(r"\d+" if part.isdigit() else re.escape(part)
                   for part in re.split(r"(\d+)", term))


def analyse(clause: Clause, prof: LocaleProfile, terms: tuple[str, ...],
            locales: tuple[str, ...]) -> ClauseFacts:
    """Every fact, address and textual reference in a clause; ``locales`` name the
    languages whose country names the text may use (English always)."""
    facts: list[Fact] = []
    addresses: list[Address] = []
    refs: list[TextRef] = []
    spelled: list[tuple[int, str]] = []
    countries = country_names(locales)
    patterns, declared = term_patterns(terms), _declared(terms)
    for block in clause.blocks:
        if block.kind == "address":
            addresses.append(block_address(block.items, block.line, countries))
        links = {link.text.strip(): link.target for link in block.links}
        for line, text in _units(block):
            # References, dates, phones, postcodes and numbers all hold a digit; most of a
            # policy's paragraphs and list items have none and skip their scans.
            digits = DIGIT_RE.search(text) is not None
            text = _extract(text, line, prof, facts, refs, links, digits)
            found = inline_addresses(text, line, countries) \
                if digits and block.kind != "address" else []
            addresses.extend(found)
            text = _terms(text, line, patterns, declared, facts,
                          [a.span for a in found if a.span])
            _names(text, line, facts)
            if digits:
                _numbers(text, line, prof, facts)
            if prof.text2num is not None and any(ch.isalpha() for ch in text):
                spelled.append((line, text))
        _link_facts(block, facts)
    if any(b.kind == "address" for b in clause.blocks):
        facts = [f for f in facts if not _in_block_address(f, clause)]
    return ClauseFacts(tuple(facts), tuple(addresses), tuple(refs), tuple(spelled),
                       prof.text2num)


def _link_facts(block: Block, facts: list[Fact]) -> None:
    """A link's target is a fact unless its text already gives it: each occurrence counts."""
    for link in block.links:
        if URL_RE.match(link.target) or link.target.startswith("mailto:"):
            found: list[Fact] = []
            _add_url_or_email(link.target.removeprefix("mailto:"), link.line, found)
            shown = {(f.kind, f.value) for f in facts if f.line >= block.line}
            facts.extend(f for f in found if (f.kind, f.value) not in shown)


def _as_written(text: str, converted: str, token: str) -> str:
    """The words that text2num turned into ``token`` ('thirty' for '30'), or the token."""
    from difflib import SequenceMatcher

    words, out = text.split(), converted.split()
    for op, i1, i2, j1, j2 in SequenceMatcher(None, words, out, autojunk=False).get_opcodes():
        if op == "replace" and any(token in w for w in out[j1:j2]):
            return " ".join(words[i1:i2]).strip(".,;:()")
    return token


def _units(block: Block) -> Iterator[tuple[int, str]]:
    if block.kind == "paragraph":
        yield block.line, block.text
    elif block.kind == "address":
        yield from ((block.line + i, item) for i, item in enumerate(block.items))
    elif block.kind == "table":
        yield from ((block.line + 2 + i, row) for i, row in enumerate(block.items))
    elif block.kind == "list":
        yield from ((block.line + i, item) for i, item in enumerate(block.items))
    else:
        yield block.line, block.text


def _in_block_address(fact: Fact, clause: Clause) -> bool:
    """Digits and names of an address block belong to the address check."""
    if fact.kind not in ("number", "code", "term", "name"):
        return False
    return any(b.kind == "address" and b.line <= fact.line < b.line + len(b.items)
               for b in clause.blocks)


def _mask(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _extract(text: str, line: int, prof: LocaleProfile, facts: list[Fact],
             refs: list[TextRef], links: dict[str, str], digits: bool) -> str:
    """Pull out facts in an order where earlier kinds mask their text from later ones."""
    lower = text.lower()
    if digits and prof.refs is not None and any(w in lower for w in prof.ref_words):
        for m in prof.refs.finditer(text):
            target = next((t for label, t in links.items() if m.group() in label), None)
            refs.append(TextRef(m.group(), m.group(1), line, target))
            text = _mask(text, *m.span())
    if "://" in text or "www." in lower:
        for m in URL_RE.finditer(text):
            _add_url_or_email(m.group(), line, facts)
            text = _mask(text, *m.span())
    if "@" in text:
        for m in EMAIL_RE.finditer(text):
            _add_url_or_email(m.group(), line, facts)
            text = _mask(text, *m.span())
    if not digits:
        return text
    text = _dates(text, line, prof, facts)
    return _phones(text, line, prof, facts)


def _terms(text: str, line: int, patterns: TermPatterns, declared: dict[str, str],
           facts: list[Fact], spans: list[tuple[int, int]]) -> str:
    """Record protected terms; mask them and the address spans from the number search."""
    plain = text.translate(QUOTES) if QUOTE_RE.search(text) else text
    owned = list(spans)  # terms inside an address belong to the address check
    found: list[tuple[int, Fact]] = []  # in the order of the text: occurrences are compared
    for term, key, pattern in patterns:
        if key not in plain:
            continue
        for m in pattern.finditer(plain):
            written = declared.get(m.group(), m.group())
            if written != term and written in declared.values():
                continue  # another declared term, found by its own pattern
            if not any(a <= m.start() < b for a, b in owned):
                found.append((m.start(), Fact("term", written, written, line)))
            spans.append(m.span())
    if found:
        facts.extend(fact for _, fact in sorted(found, key=lambda item: item[0]))
    for start, end in spans:
        text = _mask(text, start, end)
    return text


def _names(text: str, line: int, facts: list[Fact]) -> None:
    """Record the words shaped like names that a translator keeps: 'PartnerView', 'WINT'.

    Declared terms, addresses, URLs and e-mail addresses are masked by now. A word with a
    digit is a code (see ``number_value``); a run of words in capitals is emphasis, and a
    roman numeral a number, which translations write their own way.
    """
    end = 0
    for m in NAME_HINT_RE.finditer(text):
        if m.start() < end:
            continue
        start, end = m.start(), m.end()
        while start and text[start - 1].isalnum():
            start -= 1
        while end < len(text) and text[end].isalnum():
            end += 1
        word = text[start:end]
        if not word.isalpha() or (word[-1] == "s" and word[:-1].isupper()):
            continue  # a code, or a plural ('PDFs') each language writes its way
        if word.isupper() and (len(word) > NAME_MAX_CAPITALS or ROMAN_RE.match(word)
                               or _in_capitals(text, start, end)):
            continue
        facts.append(Fact("name", word, word, line))


def translated(name: str) -> bool:
    """Whether a name in capitals may be written another way in a translation: an
    abbreviation languages translate, or a region's code (a month or a country's name in
    capitals is not a name: see ``_names``)."""
    return name.isupper() and (name in TRANSLATED or name in REGION_ABBREVIATIONS
                               or name in _region_codes())


@cache
def _region_codes() -> frozenset[str]:
    from babel import Locale
    from babel.core import get_global

    codes = (*Locale("en").territories, *get_global("territory_aliases"))
    return frozenset(code for code in codes if code.isalpha())


def _in_capitals(text: str, start: int, end: int) -> bool:
    """Whether the word at start:end has a neighbour in capitals: 'PRE-SALES / QUERIES'."""
    before = BEFORE_RE.search(text, max(0, start - 8), start)
    after = AFTER_RE.match(text, end, end + 8)
    return any(m is not None and len(m.group(1)) > 1 and m.group(1).isupper()
               for m in (before, after))


def _add_url_or_email(raw: str, line: int, facts: list[Fact]) -> None:
    text = raw.rstrip(".,;:!?)'\"")
    if EMAIL_RE.fullmatch(text):
        facts.append(Fact("email", text.lower(), text, line))
        return
    value = text if "://" in text else f"http://{text}"
    rest = value.partition("://")[2]
    host, slash, path = rest.partition("/")
    normal = f"{host.lower().removeprefix('www.')}{slash}{path}".rstrip("/")
    facts.append(Fact("url", normal, text, line))


def _dates(text: str, line: int, prof: LocaleProfile, facts: list[Fact]) -> str:
    # Every date form holds a four-digit year: search only around each one, since the
    # month-name patterns are slow to try at every position of a long paragraph; and try
    # those only where a word of the window is a month name (a phone number has none), the
    # numeric ones only where a year is joined to a '-', '.' or '/'.
    for start, end, numeric in _windows(text):
        if prof.one_word_months:
            named = any(w.lower() in prof.months for w in WORD_RE.findall(text, start, end))
        else:  # names of several words or with digits: '1月'
            window = text[start:end].lower()
            named = any(name in window for name in prof.months)
        patterns = prof.dates if named else prof.numeric_dates if numeric else ()
        for pattern in patterns:
            for m in pattern.finditer(text, start, end):
                value = _date_value(m, prof)
                if value:
                    facts.append(Fact("date", value, m.group(), line))
                    text = _mask(text, *m.span())
    return text


def _windows(text: str) -> list[tuple[int, int, bool]]:
    """Merged spans of 40 characters before to 16 after each four-digit number, and whether
    one of those numbers could be the year of a numeric date (2026-12-01, 1/12/2026)."""
    spans: list[tuple[int, int, bool]] = []
    for m in YEAR_RE.finditer(text):
        numeric = text[m.end():m.end() + 1] == "-" or \
            (m.start() > 0 and text[m.start() - 1] in "-./")
        start, end = max(0, m.start() - 40), min(len(text), m.end() + 16)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], end, spans[-1][2] or numeric)
        else:
            spans.append((start, end, numeric))
    return spans


def _date_value(m: re.Match[str], prof: LocaleProfile) -> str | None:
    groups = m.groupdict()
    year = int(groups["y"])
    if groups.get("a"):
        a, b = int(groups["a"]), int(groups["b"])
        month, day = (a, b) if prof.month_first else (b, a)
    else:
        raw = groups["m"]
        month = int(raw) if raw.isdigit() else prof.months.get(raw.lower().rstrip("."), 0)
        day = int(groups["d"]) if groups.get("d") else 0
    if not 1 <= month <= 12 or day > 31:
        return None
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")


def _phones(text: str, line: int, prof: LocaleProfile, facts: list[Fact]) -> str:
    for m in PHONE_RE.finditer(text):
        e164 = next(filter(None, (_phone(m.group(), r) for r in prof.phone_regions)),
                    None)
        if e164:
            facts.append(Fact("phone", e164, m.group().strip(), line))
            text = _mask(text, *m.span())
    return text


@cache  # a policy repeats its few phone numbers, and parsing one costs ~0.3 ms
def _phone(raw: str, region: str | None) -> str | None:
    """The number in E.164 form, or None when it is not a valid phone number."""
    import phonenumbers

    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


@cache  # pure, and called with few distinct tokens
def number_value(token: str, babel_locale: str) -> tuple[FactKind, str]:
    """'1.000,5' (nl) → ('number', '1000.5'); '04411310' → ('code', '04411310')."""
    if token.isascii() and token.isdigit() and (token[0] != "0" or len(token) == 1):
        return "number", token  # what Babel would make of it, in every locale
    ordinal = ORDINAL_RE.match(token)
    if ordinal:
        return "number", ordinal.group(1).lstrip("0") or "0"
    if not NUMERIC_RE.match(token) or (token[0] == "0" and len(token) > 1 and
                                       token[1].isdigit()):
        return "code", token
    from babel.numbers import NumberFormatError, parse_decimal

    try:
        value = parse_decimal(token, locale=babel_locale)
    except (NumberFormatError, InvalidOperation):
        return "code", token
    return "number", format(value.normalize(), "f")


def _numbers(text: str, line: int, prof: LocaleProfile, facts: list[Fact]) -> None:
    """Add the digit tokens of ``text`` as facts."""
    for m in TOKEN_TAIL_RE.finditer(text):
        start = m.start()
        while start and (text[start - 1].isalnum() or text[start - 1] in "_/-"):
            start -= 1
        token = text[start:m.end()].rstrip(".,-/")
        if token:
            kind, value = number_value(token, prof.babel_locale)
            facts.append(Fact(kind, value, token, line))
