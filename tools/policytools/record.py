"""The record of one release (``policy record``): what was published, when, and what changed.

Pure: the command reads the ledger and the archive (every text checked against its SHA-256)
and hands them over; this module turns them into the record's files, path → bytes, and a zip
of them. A record depends only on the ledger up to its release and on the archive, never on
the moment of export, the tool's version or a later release: entries sorted, timestamps and
permissions fixed, the zip stored uncompressed (deflate's bytes differ between zlib builds).
So a copy filed years ago can be compared byte for byte with a fresh export.
"""

from __future__ import annotations

import datetime as dt
import io
import stat
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape
from typing import Any

from .diff import ChangeSet, diff_documents
from .ledger import LEDGER_FILE, LedgerError, Release, sha256
from .model import Document
from .parse import parse_document
from .plaintext import commonmark
from .redline import HTML_STYLE, as_markdown, html_fragment
from .yamlio import UNSTORABLE_RE, dump_checked, parse_yaml

SUMS = "SHA256SUMS"
README = "README.txt"
# DOS timestamps cover 1980-2107 only: a release dated outside is stamped at the nearest end.
ZIP_FIRST, ZIP_LAST = dt.date(1980, 1, 1), dt.date(2107, 12, 31)
ZIP_MODE = (stat.S_IFREG | 0o644) << 16
ZIP_UNIX = 3
WIDTH = 92  # README.txt's lines
# The redlines load nothing: no script, no font, no image, no request of any kind.
NO_REQUESTS = "default-src 'none'; style-src 'unsafe-inline'"
PRINT_STYLE = ("h1{font-size:1.4em}.record-key{color:#555}"
               "ins,del{print-color-adjust:exact;-webkit-print-color-adjust:exact}")


@dataclass(frozen=True)
class Text:
    """One released text: its name ('nl/privacy.md'), the release that archived it, its bytes."""

    name: str
    holder: Release
    data: bytes


@dataclass(frozen=True)
class Sources:
    """What a record is made of, read and checked by the command."""

    release: Release
    follows: tuple[str, ...]  # the versions listed before it in the ledger, oldest first
    entry: str  # its YAML block in the ledger (see :func:`ledger_entry`)
    texts: tuple[Text, ...]  # every text of the version
    previous: Mapping[str, Text]  # per text the release changed: the version it replaced
    source_locale: str


def text_parts(name: str) -> tuple[str, str]:
    """'nl/privacy.md' → ('nl', 'privacy'); the ledger's loader admits no other name."""
    locale, _, document = name.partition("/")
    return locale, document.removesuffix(".md")


def folder_name(version: str) -> str:
    """The record's name: the default output and the folder inside its zip."""
    return f"policy-record-{version}"


def bundle(sources: Sources) -> dict[str, bytes]:
    """Every file of the record, path → bytes, sorted by path, ``SHA256SUMS`` last."""
    files = {f"texts/{text.name}": text.data for text in sources.texts}
    files["release.yml"] = release_yaml(sources).encode()
    files["confirmed.yml"] = confirmed_yaml(sources.release).encode()
    for name, (html, markdown) in redlines(sources).items():
        stem = name.removesuffix(".md")
        files[f"redlines/{stem}.html"] = html.encode()
        files[f"redlines/{stem}.md"] = markdown.encode()
    files[README] = readme(sources).encode()
    files = dict(sorted(files.items()))
    files[SUMS] = sums(files).encode()
    return files


def sums(files: Mapping[str, bytes]) -> str:
    """``sha256sum`` lines for ``files``, sorted by path (their names need no escaping)."""
    return "".join(f"{sha256(files[path])}  {path}\n" for path in sorted(files))


def zip_bytes(files: Mapping[str, bytes], folder: str, day: dt.date) -> bytes:
    """``files`` as a zip under ``folder/``: the same files always give the same bytes."""
    stamp = min(max(day, ZIP_FIRST), ZIP_LAST)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(f"{folder}/{path}", (stamp.year, stamp.month, stamp.day,
                                                        0, 0, 0))
            info.create_system = ZIP_UNIX
            info.external_attr = ZIP_MODE
            archive.writestr(info, files[path])
    return buffer.getvalue()


# --- release.yml and confirmed.yml ------------------------------------------------------------


def ledger_entry(text: str, index: int) -> str:
    """The lines of release number ``index`` in the ledger's ``text``, copied unchanged.

    Copied from its first line to the next entry's, less the blank and comment lines that
    lead to the next one; should that block not read back as the entry (a ledger written in
    flow style), the entry is written out again from its data.
    """
    data = parse_yaml(text, LEDGER_FILE, LedgerError)["releases"][index]
    items = parse_yaml(text, LEDGER_FILE, LedgerError, roundtrip=True)["releases"]
    lines = text.splitlines()
    first = items.lc.item(index)[0]
    last = items.lc.item(index + 1)[0] if index + 1 < len(items) else len(lines)
    block = lines[first:last]
    if not _reads_as(block, data):
        return dump_checked({"entry": [data]}, LEDGER_FILE, LedgerError).partition("\n")[2]
    while len(block) > 1 and block[-1].strip()[:1] in ("", "#") and _reads_as(block[:-1], data):
        block.pop()
    return "\n".join(block) + "\n"


def _reads_as(block: list[str], data: Any) -> bool:
    """Whether ``block`` under ``entry:`` reads back as the one entry ``data``."""
    try:
        again = parse_yaml("entry:\n" + "\n".join(block) + "\n", LEDGER_FILE, LedgerError)
    except LedgerError:
        return False
    return isinstance(again, dict) and again.get("entry") == [data]


def release_yaml(sources: Sources) -> str:
    """The release's place in the ledger and its entry as the ledger holds it."""
    release, follows = sources.release, sources.follows
    note = "  # the releases listed before it, oldest first"
    listed = f"{note}\n" + "".join(f'  - "{v}"\n' for v in follows) if follows \
        else f" []{note}\n"
    return (f"# Release {release.version}: its place in {LEDGER_FILE}, then its entry copied\n"
            "# from the ledger unchanged.\n"
            f'version: "{release.version}"\n'
            f"position: {len(follows) + 1}  # the {_ordinal(len(follows) + 1)} release of the "
            "ledger\n"
            f"follows:{listed}"
            f"entry:\n{sources.entry}")


def confirmed_yaml(release: Release) -> str:
    """The entry's ``confirmed:`` snapshot, or an empty mapping that says none was recorded."""
    head = ("# The clauses of each translation confirmed against the source text of release\n"
            f"# {release.version}, as its ledger entry records them (`confirmed:`).\n")
    if not release.confirmed:
        return (head + f'version: "{release.version}"\n'
                "confirmed: {}  # none recorded: no clause of a translation was confirmed\n")
    data = {"version": release.version,
            "confirmed": {name: sorted(ids) for name, ids in sorted(release.confirmed.items())}}
    return head + dump_checked(data, LEDGER_FILE, LedgerError)


def _ordinal(number: int) -> str:
    tens, ones = number % 100 // 10, number % 10
    suffix = "th" if tens == 1 or ones > 3 or ones == 0 else ("st", "nd", "rd")[ones - 1]
    return f"{number}{suffix}"


# --- redlines ---------------------------------------------------------------------------------


def redlines(sources: Sources) -> dict[str, tuple[str, str]]:
    """Per text the release changed and that had an earlier version: (HTML, Markdown)."""
    current = {text.name: text for text in sources.texts}
    out = {}
    for name, before in sorted(sources.previous.items()):
        changes = diff_documents(_document(before), _document(current[name]),
                                 before.holder.version, sources.release.version)
        out[name] = (redline_html(name, changes), redline_markdown(name, changes))
    return out


def _document(text: Text) -> Document:
    locale, document = text_parts(text.name)
    return parse_document(text.data.decode("utf-8-sig"), document, locale,
                          f"texts/{text.name}")


def _title(name: str, changes: ChangeSet) -> str:
    return f"Redline of {name}: version {changes.old_version} → {changes.new_version}"


def redline_html(name: str, changes: ChangeSet) -> str:
    """One redline as a standalone HTML page: inline style, no request of any kind."""
    title = escape(_title(name, changes))
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{NO_REQUESTS}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{title}</title>\n<style>{HTML_STYLE}{PRINT_STYLE}</style>\n</head>\n"
            f"<body>\n<h1>{title}</h1>\n"
            '<p class="record-key">Inserted words are underlined on green, deleted words '
            "struck through on red; a screen reader announces each. Unchanged clauses are "
            "listed by number only.</p>\n"
            f'<div lang="{escape(changes.locale)}">\n{html_fragment(changes)}\n</div>\n'
            "</body>\n</html>\n")


def redline_markdown(name: str, changes: ChangeSet) -> str:
    """One redline as Markdown: inserted words in <ins>, deleted words in <del>."""
    return f"# {commonmark(_title(name, changes))}\n\n{as_markdown([changes])}"


# --- README.txt -------------------------------------------------------------------------------


def readme(sources: Sources) -> str:
    """What the record is, the release's dates, class and summaries, and how to check it."""
    release = sources.release
    title = f"Record of release {release.version}"
    parts = [f"{title}\n{'=' * len(title)}\n",
             _wrap("This is the record of one release of the policy, made with `policy "
                   f"record {release.version}`: every text of version {release.version}, "
                   "its entry in the release ledger, the translations confirmed for it, "
                   "redlines of what it changed, and the SHA-256 of every file. The same "
                   "release always gives the same files, byte for byte.") + "\n",
             _section("Release", _facts(sources)),
             _section("Summaries", [_field(f"{locale}:", text, 4)
                                    for locale, text in release.summary.items()]
                      or ["none"]),
             _section("Files", _listing(sources)),
             _section("Confirmed translations", _confirmations(sources)),
             _section("Checking the record", _checking())]
    return "\n".join(parts)


def _facts(sources: Sources) -> list[str]:
    release = sources.release
    place = f"the {_ordinal(len(sources.follows) + 1)} release of {LEDGER_FILE}"
    if sources.follows:
        place += f", after {', '.join(sources.follows)}"
    facts = [("Version:", f"{release.version} ({place})"),
             ("Class:", f"{release.kind} change"),
             ("Released:", release.released.isoformat()),
             ("Takes effect:", release.effective.isoformat())]
    optional = [("Backdated:", release.backdated), ("Retroactive:", release.retroactive),
                ("Supersedes:", release.supersedes and f"{release.supersedes} (an announced "
                 "release it corrects, never in force from then on)"),
                ("Released despite check errors:", release.allow_drift)]
    facts.extend((label, value) for label, value in optional if value)
    width = max(len(label) for label, _ in facts) + 1
    return [_field(label, value, width) for label, value in facts]


def _listing(sources: Sources) -> list[str]:
    rows = []
    for text in sources.texts:
        said = (f"unchanged since release {text.holder.version}"
                if text.holder.version != sources.release.version
                else "changed by this release" if text.name in sources.previous
                else "first published by this release")
        rows.append((f"texts/{text.name}", f"the text of version {sources.release.version} "
                     f"({said})"))
    for name, before in sorted(sources.previous.items()):
        stem = name.removesuffix(".md")
        rows.append((f"redlines/{stem}.html", f"what this release changed in {name}, since "
                     f"release {before.holder.version} (opens in any browser, offline)"))
        rows.append((f"redlines/{stem}.md", "the same redline in Markdown"))
    firsts = sorted(set(sources.release.files) - set(sources.previous))
    rows.extend([("release.yml", "the release's entry in the ledger, copied unchanged, and "
                  "the releases before it"),
                 ("confirmed.yml", "the translated clauses confirmed for this release"),
                 (README, "this file"), (SUMS, "the SHA-256 of every other file")])
    width = max(len(path) for path, _ in rows) + 2
    lines = [_field(path, said, width) for path, said in rows]
    if firsts:
        them = "it" if len(firsts) == 1 else "them"
        lines.append(_wrap(f"No redline for {', '.join(firsts)}: this release first published "
                           f"{them}, so there is no earlier version to compare with.", 2))
    return lines


def _confirmations(sources: Sources) -> list[str]:
    confirmed = sources.release.confirmed
    if not confirmed:
        return ["  none recorded: the ledger entry confirms no clause of a translation"]
    source = {text.name: text for text in sources.texts}
    lines: list[tuple[str, str]] = []
    for name, ids in sorted(confirmed.items()):
        _, document = text_parts(name)
        original = source.get(f"{sources.source_locale}/{document}.md")
        clauses = [c.id for c in _document(original).clauses if c.valid_id] \
            if original else []
        missing = [cid for cid in clauses if cid not in ids]
        said = f"{len(ids)} of {len(clauses)} clauses confirmed" if clauses else \
            f"{len(ids)} clauses confirmed"
        lines.append((f"{name}:", said + (f"; not confirmed: {', '.join(missing)}"
                                           if missing else "")))
    width = max(len(label) for label, _ in lines)
    return [_field(label, said, width) for label, said in lines]


def _checking() -> list[str]:
    return [_wrap("In this folder (unzipped), run:", 2), "    sha256sum -c SHA256SUMS",
            _wrap("Every file must say OK (on macOS: shasum -a 256 -c SHA256SUMS). The SHA-256 "
                  "of each file under texts/ is also the one that the ledger entry of the "
                  f"release that archived it lists under files: in {LEDGER_FILE}, so the texts "
                  "can be checked against the ledger in version control.", 2)]


def _section(title: str, lines: Iterable[str]) -> str:
    return f"{title}\n{'-' * len(title)}\n" + "\n".join(lines) + "\n"


def _field(label: str, value: str, width: int) -> str:
    """'  label   value', the value wrapped (keeping its own line breaks) under its start."""
    indent = " " * (2 + width + 1)
    lines = [_wrap(line, indent) or indent for line in _plain(value).splitlines() or [""]]
    return f"  {label:<{width}} " + "\n".join(lines)[len(indent):]


def _wrap(text: str, indent: str | int = 0) -> str:
    import textwrap

    margin = indent if isinstance(indent, str) else " " * indent
    return textwrap.fill(_plain(text), WIDTH, initial_indent=margin, subsequent_indent=margin,
                         break_on_hyphens=False, break_long_words=False)


def _plain(text: str) -> str:
    """``text`` with every control character written out: a README shown in a terminal
    must not move the cursor or recolour the screen."""
    return UNSTORABLE_RE.sub(lambda m: f"<U+{ord(m.group()[0]):04X}>", text.replace("\r\n", "\n"))
