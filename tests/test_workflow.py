"""The translator's whole road, as real processes on a copy of the repository: add German,
export it for an agency, fill in the file as a CAT tool does, import it, check, release,
build the site, and find German with its own pages, updates page and feed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import feedparser
from translate.storage import xliff

from conftest import DATA
from site_helpers import build, copy_project, read
from test_scaffold import SCAFFOLD_DE, TODAY, policy

NS = "{urn:oasis:names:tc:xliff:document:1.2}"
AGENCY = "Übersetzungsbüro Berlin <pm@uebersetzung.example>"


def german_texts(folder: Path) -> Path:
    """The German translation of both documents, as an agency's translation memory holds
    it: the faithful German privacy policy and the German cookie policy."""
    folder.mkdir(parents=True)
    faithful = (DATA / "faithful/locales/de/privacy.md").read_text(encoding="utf-8")
    # the faithful fixture predates the corrected postcode of the English contact clause
    (folder / "privacy.md").write_text(
        faithful.replace("Gloucestershire GL7 1YG\\\n", "Gloucestershire GL7 1YT\\\n"),
        encoding="utf-8")
    shutil.copy(SCAFFOLD_DE / "cookies.md", folder / "cookies.md")
    return folder


def units(path: Path) -> dict[str, Any]:
    store: Any = xliff.xlifffile.parsestring(path.read_bytes())
    return {unit.xmlelement.get("id"): unit for unit in store.units}


def memory(repo: Path, german: Path, out: Path) -> dict[str, str]:
    """Each unit's German, by unit id: what the agency's CAT tool suggests from its memory
    (here, an export of a project copy whose German texts are the translation: its titles
    are German, so they are no units there)."""
    shutil.copytree(repo, out)
    for text in german.iterdir():
        shutil.copy(text, out / "locales/de" / text.name)
    done = policy(out, "export", "de", "--only", "unconfirmed", "--output",
                  str(out / "memory.xlf"))
    assert done.returncode == 0, done.stderr
    titles = {f"{text.stem}#/title": re.search(r"^title: (.+)$", text.read_text(
        encoding="utf-8"), re.M).group(1) for text in german.iterdir()}  # type: ignore[union-attr]
    return titles | {name: unit.target for name, unit in units(out / "memory.xlf").items()}


def translate_as_a_cat_tool(path: Path, targets: dict[str, str]) -> None:
    """Every target filled and signed off, the units in reverse order, a note added."""
    store: Any = xliff.xlifffile.parsestring(path.read_bytes())
    for unit in store.units:
        unit.settarget(targets[unit.xmlelement.get("id")])
        unit.xmlelement.find(f"{NS}target").set("state", "signed-off")
        unit.addnote("Reviewed by the second linguist.", origin="translator")
    for body in store.document.getroot().iter(f"{NS}body"):
        body[:] = list(reversed(list(body)))
    path.write_bytes(bytes(store))


def test_german_goes_from_add_locale_through_an_agency_to_its_own_site(tmp_path: Path) -> None:
    repo = copy_project(tmp_path / "repo")
    added = policy(repo, "add-locale", "de")
    assert added.returncode == 0, added.stderr
    refused = policy(repo, "release", "--material", "--effective", TODAY,
                     "--summary", "de=Erste Veröffentlichung auf Deutsch.")
    assert refused.returncode == 2  # nothing untranslated is released as a translation

    exported = policy(repo, "export", "de", "--output", str(tmp_path / "de.xlf"))
    assert exported.returncode == 0, exported.stderr
    sent = units(tmp_path / "de.xlf")
    assert {name.split("#")[0] for name in sent} == {"privacy", "cookies"}
    assert all(not unit.target for unit in sent.values())  # a copy of the English: empty

    suggestions = memory(repo, german_texts(tmp_path / "german"), tmp_path / "memory")
    assert set(sent) <= set(suggestions)
    translate_as_a_cat_tool(tmp_path / "de.xlf", suggestions)
    imported = policy(repo, "import", str(tmp_path / "de.xlf"), "--by", AGENCY)
    assert (imported.returncode, imported.stderr) == (0, ""), imported.stdout
    assert f"confirmed by {AGENCY}" in imported.stdout
    for document in ("privacy", "cookies"):
        assert "Westcon" in (repo / f"locales/de/{document}.md").read_text(encoding="utf-8")

    shutil.copy(SCAFFOLD_DE / "site.yml", repo / "locales/de/site.yml")
    checked = policy(repo, "check", "--no-cache")
    assert checked.returncode == 0, checked.stdout
    assert " error [" not in checked.stdout and "locales/de/" not in checked.stdout
    released = policy(repo, "release", "--material", "--effective", TODAY,
                      "--summary", "de=Erste Veröffentlichung auf Deutsch.")
    assert released.returncode == 0, released.stderr

    site = build(repo, tmp_path / "site", TODAY)
    assert "Cookie-Richtlinie" in read(site, "/de/cookies/")
    assert "Datenschutz" in read(site, "/de/privacy/")
    updates = read(site, "/de/updates/")
    assert '<html lang="de"' in updates and "Versionsverlauf" in updates
    assert "Erste Veröffentlichung auf Deutsch." in updates
    feed: Any = feedparser.parse((site / "de/updates.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.language == "de" and feed.feed.title.startswith("Westcon Datenschutz")
    assert feed.entries[0].summary == "Erste Veröffentlichung auf Deutsch."
    assert "Erste Veröffentlichung auf Deutsch." not in read(site, "/updates/")
