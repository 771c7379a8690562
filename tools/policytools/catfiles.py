"""XLIFF 1.2 and PO files for CAT tools, written and read with the Translate Toolkit.

A unit's id (XLIFF ``id`` and ``resname``, PO ``msgctxt``) is ``<document>#<clause>/<part>``;
its source the English unit as Markdown; its target the translation (empty when there is
none); its state and the SHA-256 of its source text travel with it (XLIFF: ``<note>`` and a
``<context-group>``; PO: ``#.`` comments), and a stale unit carries the source text last
confirmed (XLIFF: ``<alt-trans>``; PO: ``#| msgid``, as msgmerge writes it). Reading gives,
per unit, what an import needs; a file that is not one of the two formats, declares a DOCTYPE
or entities, or holds characters no policy file may hold is refused with its line.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .errors import PolicyError
from .exchange import Item, digest
from .yamlio import unstorable

ORIGIN = "policy"
HASH_TYPE = "x-policy-source-sha256"
STATE_NOTE = "state: "
HASH_NOTE = "source-sha256: "
# XLIFF states a translator or reviewer sets once a target is done; others are not imported.
DONE = frozenset({"translated", "final", "signed-off"})
# The state an export gives: new work, or a translation to review.
EXPORT_STATE = {"untranslated": "new", "stale": "needs-review-translation",
                "unconfirmed": "needs-review-translation"}
DOCTYPE_RE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)


class ExchangeError(PolicyError):
    """An exchange file that cannot be read or imported."""


@dataclass(frozen=True)
class Received:
    """One unit of a returned file: its id, target, whether it is done, its source hash."""

    id: str
    target: str
    done: bool
    state: str
    hash: str | None
    line: int | None


@dataclass(frozen=True)
class Returned:
    """A returned file: its target language and units."""

    locale: str | None
    units: tuple[Received, ...]


def _note(item: Item, source_name: str) -> str:
    what = {"untranslated": "no translation yet",
            "stale": f"the {source_name} changed since the translation was confirmed",
            "unconfirmed": "the translation was never confirmed"}[item.state]
    return f"{STATE_NOTE}{item.state} ({what}); keep links, emphasis and a trailing \\ as written"


def write_xliff(items: Iterable[Item], documents: Iterable[str], source: str, target: str,
                source_name: str) -> bytes:
    """The units as an XLIFF 1.2 file, one ``<file>`` per document."""
    from translate.storage import xliff

    kind: Any = xliff.xlifffile  # the Toolkit's functions are partly annotated
    store: Any = kind.parsestring(kind.XMLskeleton.replace("1.1", "1.2").encode())
    store.setsourcelanguage(source)
    store.settargetlanguage(target)
    for document in documents:
        store.switchfile(document, createifmissing=True)
    for item in items:
        unit = store.addsourceunit(item.source.text, filename=item.document)
        unit.setid(item.id)
        unit.xmlelement.set("resname", item.id)
        unit.settarget(item.target)
        unit.set_state_n(unit.statemap[EXPORT_STATE[item.state]])
        unit.addnote(_note(item, source_name), origin=ORIGIN)
        # context-group names are unique in a <file> (XLIFF 1.2): each names its unit
        unit.createcontextgroup(f"location:{item.id}", [
            ("sourcefile", item.source_path), ("linenumber", str(item.source.line))], "location")
        if item.previous:  # '' is a unit new since the confirmation: nothing to compare
            unit.addalttrans(item.target, origin=f"{ORIGIN}-confirmed-source",
                             sourcetxt=item.previous)
        unit.createcontextgroup(f"{ORIGIN}:{item.id}", [("x-policy-unit", item.id),
                                         (HASH_TYPE, digest(item.source.text))], "information")
    from lxml import etree

    # units are made in the Toolkit's XLIFF 1.1 namespace, then moved: drop its declaration
    etree.cleanup_namespaces(store.document.getroot())
    return bytes(store.__bytes__())


def write_po(items: Iterable[Item], source: str, target: str, source_name: str) -> bytes:
    """The units as a PO file (msgctxt: the unit id; fuzzy: a translation to review)."""
    from translate.storage import po

    store: Any = po.pofile()
    store.updateheader(add=True, Language=target, x_source_language=source,
                       x_generator="policy export", content_type="text/plain; charset=UTF-8")
    for item in items:
        unit = store.addsourceunit(item.source.text)
        unit.setcontext(item.id)
        unit.target = item.target
        unit.addnote(_note(item, source_name), origin="developer")
        unit.addnote(f"{HASH_NOTE}{digest(item.source.text)}", origin="developer")
        unit.addlocation(f"{item.source_path}:{item.source.line}")
        if item.previous:
            unit.prev_source = item.previous
        if item.state != "untranslated":
            unit.markfuzzy(True)
    return bytes(store.__bytes__())


def read_returned(data: bytes, display: str) -> Returned:
    """The units of a returned XLIFF or PO file; a refusal naming the line for anything else."""
    _refuse_characters(data, display)
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return _read_xliff(data, display)
    return _read_po(data, display)


def _refuse_characters(data: bytes, display: str) -> None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExchangeError("not UTF-8 text: save the file as UTF-8", display,
                            data.count(b"\n", 0, exc.start) + 1) from None
    match = DOCTYPE_RE.search(data)
    if match is not None:
        raise ExchangeError("a DOCTYPE or entity declaration is refused: an exchange file "
                            "needs none", display, data.count(b"\n", 0, match.start()) + 1)
    found = next(unstorable(text.replace("\r\n", "\n")), None)
    if found is not None:
        char, line, column = found
        raise ExchangeError(f"the {char} (column {column}) is refused: no policy text may "
                            "hold it", display, line)


def _read_xliff(data: bytes, display: str) -> Returned:
    from lxml import etree
    from translate.storage import xliff

    try:
        kind: Any = xliff.xlifffile  # the Toolkit's functions are partly annotated
        store: Any = kind.parsestring(data)
    except etree.XMLSyntaxError as exc:
        detail = re.sub(r", line \d+, column \d+$", "", str(exc.msg))
        raise ExchangeError(f"not well-formed XML: {detail}", display, exc.lineno) from None
    except (ValueError, AssertionError, StopIteration):
        raise ExchangeError("not an XLIFF 1.2 file: save it as XLIFF 1.2, as policy export "
                            "wrote it", display, 1) from None
    root = store.document.getroot()
    files = list(root.iterchildren(store.namespaced("file")))
    locales = {f.get("target-language") for f in files}
    if len(locales) > 1:
        names = ", ".join(sorted(str(x) for x in locales))
        raise ExchangeError(f"the file holds several target languages ({names}): import one "
                            "language at a time", display, 1)
    units = []
    for unit in store.units:
        element = unit.xmlelement
        target = element.find(unit.namespaced("target"))
        state = target.get("state", "") if target is not None else "new"
        text = unit.target or ""
        done = bool(text) and (state in DONE or not state)
        units.append(Received(str(element.get("id") or ""), text, done, state or "translated",
                              _xliff_hash(unit), element.sourceline))
    return Returned(next(iter(locales), None), tuple(units))


def _xliff_hash(unit: Any) -> str | None:
    for context in unit.xmlelement.iterdescendants(unit.namespaced("context")):
        if context.get("context-type") == HASH_TYPE:
            return str(context.text or "").strip()
    return None


def _read_po(data: bytes, display: str) -> Returned:
    from translate.storage import po

    try:
        store: Any = po.pofile(io.BytesIO(data))
    except Exception as exc:  # the PO parser raises ValueError and others on bad input
        detail = " ".join(str(exc).split())
        where = re.search(r" on line (\d+)", detail)
        reason = detail[:where.start()] if where else detail or type(exc).__name__
        raise ExchangeError(f"not a PO file: {reason.lower()}", display,
                            int(where[1]) if where else 1) from None
    lines = _context_lines(data)
    units = []
    for unit in store.units:
        if unit.isheader():
            continue
        context = str(unit.getcontext() or "")
        hashes = [n.removeprefix(HASH_NOTE).strip()
                  for n in str(unit.getnotes("developer") or "").split("\n")
                  if n.startswith(HASH_NOTE)]
        text = str(unit.target or "")
        fuzzy = bool(unit.isfuzzy())
        units.append(Received(context, text, bool(text) and not fuzzy,
                              "fuzzy" if fuzzy else "translated" if text else "untranslated",
                              hashes[0] if hashes else None, lines.get(context)))
    header = store.parseheader() if store.units else {}
    return Returned(header.get("Language") or None, tuple(units))


def _context_lines(data: bytes) -> dict[str, int]:
    """The line of each ``msgctxt "…"`` (single-line contexts: ours are)."""
    found: dict[str, int] = {}
    for number, line in enumerate(data.decode("utf-8-sig").splitlines(), 1):
        match = re.match(r'msgctxt "(.*)"\s*$', line)
        if match:
            found.setdefault(match[1].replace('\\"', '"'), number)
    return found
