"""``policy rename-clause``: a clause id renamed in every locale, its links, confirmations and
baseline entries carried over, remembered for the site and the diff; refused, all or nothing,
and finished after a kill between two files (issue #11)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from conftest import POLICY, edit_file
from policytools.config import load_project
from policytools.errors import ConfigError
from site_helpers import build, copy_project, release

EN, NL = "locales/en/privacy.md", "locales/nl/privacy.md"
EN_USE = "## 6. How we use personal information collected {#use}\n"
NL_USE = "## 5. Gebruik van verzamelde persoonsgegevens {#use}\n"
EN_LINK = "Tracking is described in [section 5](#tracking)."
NL_LINK = "Volgen staat in [artikel 4](#tracking \"Volgen\")."
RENAMED_BLOCK = """
# Clause ids renamed with `policy rename-clause DOC OLD NEW`, per document: old id: new id.
# Released versions keep the old id; the site keeps it as an anchor of the renamed clause,
# so readers' links to it still work, and `policy diff` pairs the clause across the rename.
renamed:
  privacy:
"""
DONE = ("policy rename-clause: renamed privacy#tracking to #cookies in locales/en/privacy.md, "
        "locales/nl/privacy.md (2 cross-references rewritten); recorded in policy/policy.yml, "
        "so the site keeps #tracking as an anchor of the clause\n")


def policy(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The installed ``policy`` as a real process, in ``root``."""
    return subprocess.run([str(POLICY), *args, "--root", str(root)], capture_output=True,
                          text=True, check=False, env={**os.environ, **env}, timeout=120)


def files(root: Path) -> dict[str, bytes]:
    """Every file of locales/ and policy/ (but the lock), for all-or-nothing comparisons."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for folder in ("locales", "policy")
            for p in sorted((root / folder).rglob("*")) if p.is_file() and p.name != ".lock"}


def with_links(root: Path) -> Path:
    """Cross-references to #tracking in both languages, one of them written with the file name
    and a title."""
    edit_file(root / EN, EN_USE, f"{EN_USE}\n{EN_LINK}\n")
    edit_file(root / NL, NL_USE, f"{NL_USE}\n{NL_LINK}\n")
    return root


def test_rename_rewrites_every_locale_and_its_links(seeded: Path) -> None:
    with_links(seeded)
    before = files(seeded)
    checked = policy(seeded, "check")
    done = policy(seeded, "rename-clause", "privacy", "tracking", "cookies")
    assert (done.returncode, done.stdout, done.stderr) == (0, DONE, "")
    after = files(seeded)
    assert after[EN].decode() == before[EN].decode().replace(
        "{#tracking}", "{#cookies}").replace("(#tracking)", "(#cookies)")
    assert after[NL].decode() == before[NL].decode().replace(
        "{#tracking}", "{#cookies}").replace("(#tracking \"", "(#cookies \"")
    config = before["policy/policy.yml"].decode()
    assert after["policy/policy.yml"].decode() == config + RENAMED_BLOCK + \
        "    tracking: cookies\n"
    assert {name for name in after if after[name] != before.get(name)} == {
        EN, NL, "policy/policy.yml"}
    again = policy(seeded, "check")
    assert again.returncode == checked.returncode
    assert again.stdout == checked.stdout.replace("collection, tracking, use",
                                                  "collection, cookies, use")
    assert load_project(seeded).renamed == {"privacy": {"tracking": "cookies"}}


def test_baseline_entries_follow_the_clause(seeded: Path) -> None:
    checked = policy(seeded, "check")
    done = policy(seeded, "rename-clause", "privacy", "contact", "contact-us")
    assert done.stdout == (
        "policy rename-clause: renamed privacy#contact to #contact-us in locales/en/privacy.md, "
        "locales/nl/privacy.md (0 cross-references rewritten); carried over 6 baseline entries; "
        "recorded in policy/policy.yml, so the site keeps #contact as an anchor of the clause\n")
    again = policy(seeded, "check")
    assert again.returncode == checked.returncode == 0
    assert again.stdout == checked.stdout.replace("updates, contact)", "updates, contact-us)")
    baseline = (seeded / "policy/baseline.yml").read_text(encoding="utf-8")
    assert "clause: contact\n" not in baseline and baseline.count("clause: contact-us\n") == 5
    assert "§12 (contact-us): the Dutch gives the e-mail address" in baseline
    assert "(collection … contact-us) numbered" in baseline
    assert "‘How to contact us’" not in baseline  # the word in quoted text is no id


def test_current_confirmations_stay_current_and_stale_ones_stale(seeded: Path) -> None:
    with_links(seeded)
    confirmed = policy(seeded, "confirm", "nl", "privacy", "--by", "Jane Doe",
                       "--accept", "the seeds drift")
    assert confirmed.returncode == 0, confirmed.stderr
    edit_file(seeded / EN, "within seven working days", "within five working days")
    status = policy(seeded, "status", "--format", "json").stdout
    row = json.loads(status)["status"][0]
    assert (row["stale"], row["current"]) == (1, 11)  # contact is stale, and must stay so
    done = policy(seeded, "rename-clause", "privacy", "tracking", "cookies")
    assert done.stdout == DONE.replace("; recorded", "; carried over its confirmations; "
                                       "recorded")
    assert policy(seeded, "status", "--format", "json").stdout == status.replace(
        '"tracking": "current"', '"cookies": "current"')
    stale = [line for line in policy(seeded, "check").stdout.splitlines()
             if "[translation-stale]" in line]
    assert [line.split(" [")[1][:31] for line in stale] == ["translation-stale] §12 (contact"]
    entries = json.loads(json.dumps(load_confirmed(seeded)))["confirmed"]["nl"]["privacy"]
    assert "tracking" not in entries and entries["cookies"]["by"] == "Jane Doe"
    assert list(entries).index("cookies") == 3  # in its place, not moved to the end


def load_confirmed(root: Path) -> dict[str, object]:
    from ruamel.yaml import YAML

    data: dict[str, object] = YAML(typ="safe").load(root / "policy/confirmed.yml")
    return data


@pytest.mark.parametrize(("args", "message"), [
    (("nope", "tracking", "cookies"), "unknown document 'nope': the project has privacy"),
    (("privacy", "nope", "cookies"), "locales/en/privacy.md (the source) has no clause "
     "{#nope}: name one of its clause ids, e.g. about-us"),
    (("privacy", "preamble", "intro"), "locales/en/privacy.md (the source) has no clause "
     "{#preamble}: name one of its clause ids, e.g. about-us"),
    (("privacy", "tracking", "Cookies"), "'Cookies' is not a clause id: use lowercase ASCII "
     "letters, digits and hyphens, e.g. cookies"),
    (("privacy", "tracking", "preamble"), "'preamble' names the text before the first clause: "
     "choose another id"),
    (("privacy", "tracking", "tracking"), "the old and the new id are both 'tracking': nothing "
     "to rename"),
    (("privacy", "tracking", "contact"), "locales/en/privacy.md:174: {#contact} is already a "
     "clause of locales/en/privacy.md (§13 (contact)): choose another id"),
    (("privacy", "tracking", "dutch-only"), "locales/nl/privacy.md:131: {#dutch-only} is already "
     "a clause of locales/nl/privacy.md (§13 (dutch-only)): choose another id"),
])
def test_refused_in_one_line_writing_nothing(seeded: Path, args: tuple[str, ...],
                                             message: str) -> None:
    (seeded / NL).write_text((seeded / NL).read_text(encoding="utf-8") +
                             "\n## 13. Alleen Nederlands {#dutch-only}\n\nTekst.\n",
                             encoding="utf-8")
    before = files(seeded)
    done = policy(seeded, "rename-clause", *args)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"policy: error: {message}\n")
    assert files(seeded) == before


def test_an_old_id_stays_taken_and_renames_chain(seeded: Path) -> None:
    assert policy(seeded, "rename-clause", "privacy", "tracking", "cookies").returncode == 0
    before = files(seeded)
    back = policy(seeded, "rename-clause", "privacy", "contact", "tracking")
    assert (back.returncode, back.stderr) == (2, "policy: error: #tracking is kept as the old "
                                              "anchor of #cookies (renamed: in policy/policy.yml)"
                                              ": readers' links to it lead there; choose another "
                                              "id\n")
    assert files(seeded) == before
    assert policy(seeded, "rename-clause", "privacy", "cookies", "cookie-use").returncode == 0
    assert load_project(seeded).renamed == {"privacy": {"tracking": "cookie-use",
                                                        "cookies": "cookie-use"}}


@pytest.mark.parametrize("step", ["rename journal written", f"renamed {EN}", f"renamed {NL}",
                                  "renamed policy/policy.yml"])
def test_a_rename_killed_between_files_is_finished(seeded: Path, tmp_path: Path,
                                                   step: str) -> None:
    clean = Path(shutil.copytree(seeded, tmp_path / "clean"))
    assert policy(clean, "rename-clause", "privacy", "contact", "contact-us").returncode == 0
    killed = policy(seeded, "rename-clause", "privacy", "contact", "contact-us",
                    POLICY_FAULT_AT=step)
    assert killed.returncode == -9
    checked = policy(seeded, "check")
    assert checked.returncode == 1
    assert "policy/.rename-clause.pending: error [rename-unfinished] policy/.rename-clause."\
        "pending is the journal of `policy rename-clause privacy contact contact-us`, "\
        "interrupted before it wrote every file (recovery writes the rest): run policy "\
        "recover\n" in checked.stdout
    recovered = policy(seeded, "recover")
    assert (recovered.returncode, recovered.stdout) == (0, (
        "policy recover: removed policy/.rename-clause.pending: it is the journal of `policy "
        "rename-clause privacy contact contact-us`, interrupted before it wrote every file "
        "(recovery writes the rest)\n"))
    assert files(seeded) == files(clean)


def test_a_rename_killed_before_its_journal_changes_nothing(seeded: Path) -> None:
    before = files(seeded)
    killed = policy(seeded, "rename-clause", "privacy", "contact", "contact-us",
                    POLICY_FAULT_AT="replace .rename-clause.pending")
    assert killed.returncode == -9
    assert policy(seeded, "recover").returncode == 0  # the journal's temporary file goes
    assert files(seeded) == before


def test_the_next_writing_command_finishes_a_killed_rename(seeded: Path) -> None:
    policy(seeded, "rename-clause", "privacy", "contact", "contact-us",
           POLICY_FAULT_AT=f"renamed {EN}")
    done = policy(seeded, "rename-clause", "privacy", "tracking", "cookies")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("policy recover: removed policy/.rename-clause.pending: it "
                                  "is the journal of `policy rename-clause privacy contact "
                                  "contact-us`")
    assert load_project(seeded).renamed == {"privacy": {"contact": "contact-us",
                                                        "tracking": "cookies"}}
    assert "{#contact-us}" in (seeded / NL).read_text(encoding="utf-8")


def test_a_file_edited_after_the_kill_is_never_overwritten(seeded: Path) -> None:
    policy(seeded, "rename-clause", "privacy", "contact", "contact-us",
           POLICY_FAULT_AT=f"renamed {EN}")
    edit_file(seeded / NL, "## 12. Contact opnemen {#contact}", "## 12. Contact {#contact}")
    before = files(seeded)
    recovered = policy(seeded, "recover")
    assert (recovered.returncode, recovered.stderr) == (2, (
        "policy: error: policy/.rename-clause.pending: is the journal of `policy rename-clause "
        "privacy contact contact-us`, interrupted before it wrote every file, and "
        "locales/nl/privacy.md was edited since: policy recover removes only what it can prove "
        "an interrupted command left; finish the rename by hand, then remove "
        ".rename-clause.pending\n"))
    assert files(seeded) == before


@pytest.mark.parametrize(("renamed", "message"), [
    ("  terms: {a: b}", "renamed: 'terms' is no declared document (privacy)"),
    ("  privacy: {Tracking: cookies}", "renamed: privacy: 'Tracking': 'cookies' is not a rename "
     "of one clause id (lowercase letters, digits, hyphens) to another"),
    ("  privacy: {a: b, b: c}", "renamed: privacy: a: b renames to an id renamed again: write "
     "a: c"),
    ("  privacy: []", "renamed: expected the renamed clause ids of privacy, old: new, like "
     "privacy: {tracking: cookies}"),
])
def test_renamed_is_validated(seeded: Path, renamed: str, message: str) -> None:
    path = seeded / "policy/policy.yml"
    path.write_text(path.read_text(encoding="utf-8") + f"renamed:\n{renamed}\n",
                    encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_project(seeded)
    line = len(path.read_text(encoding="utf-8").splitlines())
    assert str(caught.value) == f"policy/policy.yml:{line}: {message}"


# --- across a release: the archive, the diff and the site ------------------------------------


V1, V2, TODAY = "2026-11-02", "2026-11-20", "2026-11-25"


@pytest.fixture
def across(tmp_path: Path) -> Path:
    """Released, then #tracking renamed #cookies (and a link to it rewritten), released again."""
    root = with_links(copy_project(tmp_path / "repo", with_ledger=False))
    release(root, V1, V1, {"en": "First.", "nl": "Eerste."})
    archived = files(root)
    assert policy(root, "rename-clause", "privacy", "tracking", "cookies").returncode == 0
    assert {n: b for n, b in files(root).items() if n.startswith("policy/archive/")} == {
        n: b for n, b in archived.items() if n.startswith("policy/archive/")}
    # a link written with the old id after the rename: the strict build's anchor validation
    # must find the old id on the page
    edit_file(root / EN, EN_LINK.replace("tracking", "cookies"),
              f"{EN_LINK.replace('tracking', 'cookies')} Bookmarks: [old](#tracking).")
    release(root, V2, V2, {"en": "Ids renamed.", "nl": "Ankers hernoemd."})
    return root


def test_the_diff_pairs_the_renamed_clause(across: Path) -> None:
    dutch = policy(across, "diff", V1, V2, "--format", "json", "--locale", "nl")
    nl = {c["id"]: c for c in json.loads(dutch.stdout)["changes"][0]["clauses"]}
    assert (nl["cookies"]["status"], nl["cookies"]["renamed_from"]) == ("unchanged", "tracking")
    assert {c["status"] for c in nl.values()} == {"unchanged"}  # its rewritten link too
    done = policy(across, "diff", V1, V2, "--format", "json", "--locale", "en")
    clauses = {c["id"]: c for c in json.loads(done.stdout)["changes"][0]["clauses"]}
    assert clauses["cookies"]["status"] == "unchanged"
    assert clauses["cookies"]["renamed_from"] == "tracking"
    assert "tracking" not in clauses
    assert {c["status"] for c in clauses.values()} == {"unchanged", "changed"}
    assert [c["id"] for c in clauses.values() if c["status"] == "changed"] == ["use"]
    use = clauses["use"]["units"]
    assert [u["status"] for u in use if u["status"] != "unchanged"] == ["changed"]
    assert "(#cookies)" not in str(use[1]["marks"])  # the rewritten link is no change
    text = policy(across, "diff", V1, V2, "--locale", "en").stdout
    assert text.startswith(f"privacy (en): {V1} → {V2}\n  5 unchanged clauses: §1, §2, §3, "
                           "§4, §5 (#tracking → #cookies)\n  §6 How we use")


def test_a_renamed_clause_that_changed_says_both(seeded: Path) -> None:
    release_seeds = policy(seeded, "release", "2026-11-23", "--editorial", "--effective",
                           "2026-11-23", "--released", "2026-11-23", "--backdate", "tests",
                           "--allow-drift", "seed drift", "--summary", "en=First.",
                           "--summary", "nl=Eerste.")
    assert release_seeds.returncode == 0, release_seeds.stderr
    assert policy(seeded, "rename-clause", "privacy", "tracking", "cookies").returncode == 0
    edit_file(seeded / EN, "We may not respond", "We do not respond")
    text = policy(seeded, "diff", "--locale", "en").stdout
    assert "\n  §5 Tracking {#cookies}: changed (renamed from #tracking)\n    ~ We " \
        "[-may-]{+do+} not respond" in text


def test_the_site_keeps_the_old_anchor(across: Path, tmp_path: Path) -> None:
    out = build(across, tmp_path / "site", TODAY)
    assert policy(across, "verify").returncode == 0
    for page in ("privacy/index.html", "nl/privacy/index.html", f"privacy/{V2}/index.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert re.search(r'<div id="tracking" class="policy-alias"></div>\s*<h2 id="cookies">',
                         html), page
        assert html.count('id="tracking"') == 1
    old = (out / f"privacy/{V1}/index.html").read_text(encoding="utf-8")
    assert '<h2 id="tracking">' in old and "policy-alias" not in old
    redline = (out / f"privacy/{V2}/changes/index.html").read_text(encoding="utf-8")
    assert "redline-removed" not in redline and "redline-added" not in redline


def test_a_preview_shows_the_old_anchor_before_any_release(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "repo", with_ledger=False)
    assert policy(root, "rename-clause", "privacy", "tracking", "cookies").returncode == 0
    out = build(root, tmp_path / "site", TODAY, preview=True)
    html = (out / "nl/privacy/index.html").read_text(encoding="utf-8")
    assert re.search(r'<div id="tracking" class="policy-alias"></div>\s*<h2 id="cookies">', html)


def test_a_rename_holds_the_project_lock(seeded: Path, tmp_path: Path) -> None:
    until = tmp_path / "go"
    paused = subprocess.Popen(
        [str(POLICY), "rename-clause", "privacy", "tracking", "cookies", "--root", str(seeded)],
        env={**os.environ, "POLICY_PAUSE_AT": "rename journal written",
             "POLICY_PAUSE_UNTIL": str(until)}, stdout=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not Path(f"{until}.paused").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        other = policy(seeded, "rename-clause", "privacy", "contact", "contact-us",
                       POLICY_LOCK_TIMEOUT="0.2")
        assert (other.returncode, other.stderr) == (2, (
            "policy: error: policy/.lock: policy/ is locked by another command (process "
            f"{paused.pid}: policy rename-clause privacy tracking cookies); waited 0.2 s: try "
            "again once it has finished\n"))
    finally:
        until.touch()
        out, _ = paused.communicate(timeout=60)
    assert out == DONE.replace("(2 cross-references", "(0 cross-references")
    assert load_project(seeded).renamed == {"privacy": {"tracking": "cookies"}}


def test_a_link_it_cannot_rewrite_is_refused_writing_nothing(seeded: Path) -> None:
    edit_file(seeded / EN, EN_USE, f"{EN_USE}\nSee [section\n5](\n#tracking).\n")
    before = files(seeded)
    done = policy(seeded, "rename-clause", "privacy", "tracking", "cookies")
    assert (done.returncode, done.stderr) == (2, (
        "policy: error: locales/en/privacy.md:70: cannot rewrite the link ‘section 5’ to "
        "#tracking (written over several lines?): point it at #cookies by hand after the "
        "rename, or write it on one line first\n"))
    assert files(seeded) == before


def test_reference_links_are_rewritten_where_they_are_defined(seeded: Path) -> None:
    edit_file(seeded / EN, EN_USE, f"{EN_USE}\nSee [section 5][t] and [5][t].\n\n"
              "[t]: <#tracking> \"Tracking\"\n")
    done = policy(seeded, "rename-clause", "privacy", "tracking", "cookies")
    assert done.stdout.startswith("policy rename-clause: renamed privacy#tracking to #cookies "
                                  "in locales/en/privacy.md, locales/nl/privacy.md (2 "
                                  "cross-references rewritten)")
    text = (seeded / EN).read_text(encoding="utf-8")
    assert "\n[t]: <#cookies> \"Tracking\"\n" in text and "#tracking" not in text
