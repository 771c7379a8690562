#!/usr/bin/env python3
"""Benchmark of ``policy diff``: two full releases of the repo, and a 200-clause document.

    python3 bench/bench_diff.py [--runs N] [--profile]   # N runs per figure (default 7)

Histories, built in a temporary folder: **release**, a copy of the repo's locales/, policy/
and mkdocs.yml whose first release is kept; the English and the Dutch get a dozen word edits
each and a clause inserted after §1 (every later clause renumbered), then ``policy release
2026-11-24 … --allow-drift bench``. **200 clauses**, one English document from bench_check's
generator, released, 10 % of its clauses edited (fixed seed), released again.

Measured, interleaved after one warm-up each, every run a fresh process: ``policy diff OLD
NEW --format json`` (all locales and documents) and ``git diff --no-index --word-diff`` of
the same two archive folders, with the bare interpreter and ``import policytools.cli`` for
the start-up share. Wall time from spawn to exit; peak RSS from GNU time (see run).
``--profile`` adds in-process stage times and a cProfile of each ``policy diff``.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import os
import platform
import pstats
import random
import re
import shutil
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_check as bc  # the corpus generator and the measuring helpers

REPO = bc.REPO
SEED = bc.SEED
TARGET_RELEASE_S = 0.5  # a full release diff, interpreter start included
OLD, NEW = "2026-11-23", "2026-11-24"

# A dozen realistic word edits per language, "old|new", each applied once, and a clause
# inserted after §1 so that every later clause is renumbered.
EDITS = {"en": """within seven working days|within five working days
used to identity or which|used to identify or which
before we sent you communications|before we send you communications
personal information to except as|personal information to third parties except as
under the age of 13|under the age of 16
typically rely upon on when|typically rely on when
complies with anti-spam laws|complies with the anti-spam laws
in the footer which allows you|in the footer that allows you
the United States and the United Kingdom|the United States, the United Kingdom and India
two-factor authentication|multi-factor authentication
We have appointed a Compliance Officer|We have appointed a Data Protection Officer
may change from time to time.|may change from time to time; we will say what changed.""",
         "nl": """binnen 7 werkdagen|binnen 5 werkdagen
jonger dan 13 jaar|jonger dan 16 jaar
zeer serieus|uiterst serieus
kan van tijd tot tijd wijzigen.|kan van tijd tot tijd worden gewijzigd.
ophttps://allaboutdnt.com/|op https://allaboutdnt.com/
in de Verenigde Staten.|in de Verenigde Staten en het Verenigd Koninkrijk.
Chandler’s House Wilkinson Road|Merchants House Wilkinson Road
Westcon zal de anti-spamwetten naleven|Westcon leeft de anti-spamwetten na
Uw accounts aan te maken|Uw accounts te openen
Op uw aanvragen te reageren;|Op uw vragen te reageren;
Het oplossen van technische problemen;|Het verhelpen van technische problemen;
is belangrijk voor Westcon.|is zeer belangrijk voor Westcon."""}
INSERTED = {  # a new §2 in each language
    "en": "## 2. Scope of this policy {#scope}\n\nThis policy applies to personal data about "
          "business contacts, website visitors and users of PartnerView, BlueSky and "
          "PartnerPortal. It does not apply to our colleagues: a separate notice covers them.\n\n",
    "nl": "## 2. Reikwijdte van dit beleid {#scope}\n\nDit beleid geldt voor persoonsgegevens van "
          "zakelijke contactpersonen, bezoekers van onze websites en gebruikers van PartnerView, "
          "BlueSky en PartnerPortal. Voor onze medewerkers geldt een aparte verklaring.\n\n"}
HEADING_RE = re.compile(r"^(#{2,3} )(\d+)", re.M)


def insert_clause(text: str, after: int, clause: str) -> str:
    """Insert ``clause`` before the heading of clause ``after + 1``, renumbering the rest."""
    heads = [m for m in HEADING_RE.finditer(text) if m[1] == "## "]
    at = heads[after].start()
    tail = HEADING_RE.sub(lambda m: f"{m[1]}{int(m[2]) + 1}", text[at:])
    return text[:at] + clause + tail


def edit_repo_copy(root: Path) -> int:
    """The editor's work on the copy: word edits and a new §2 in en and nl; edits made."""
    made = 0
    for locale, edits in EDITS.items():
        path = root / "locales" / locale / "privacy.md"
        text = path.read_text(encoding="utf-8")
        for old, new in (line.split("|") for line in edits.splitlines()):
            if old not in text:
                raise SystemExit(f"bench: {locale}/privacy.md no longer has {old!r}: "
                                 "update EDITS in bench/bench_diff.py")
            text = text.replace(old, new, 1)
            made += 1
        path.write_text(insert_clause(text, 1, INSERTED[locale]), encoding="utf-8")
    return made + len(INSERTED)


def edit_generated(path: Path, share: float = 0.10, seed: int = SEED) -> int:
    """Deterministic edits to ``share`` of the clauses of a generated document; how many."""
    text = path.read_text(encoding="utf-8")
    starts = [m.start() for m in HEADING_RE.finditer(text)] + [len(text)]
    head, clauses = text[:starts[0]], [text[a:b] for a, b in itertools.pairwise(starts)]
    rng = random.Random(f"{seed}:diff-edits")
    chosen = sorted(rng.sample(range(len(clauses)), round(len(clauses) * share)))
    for n, k in enumerate(chosen):
        heading, _, rest = clauses[k].partition("\n")
        kind = n % 4
        if kind == 0:  # a number changed
            rest = bc.NUMBER_RE.sub(lambda m: f"{int(m[1]) * 2} {m[2]}", rest, count=1) \
                if bc.NUMBER_RE.search(rest) else rest.replace(" we ", " we normally ", 1)
        elif kind == 1:  # words replaced
            rest = rest.replace("personal data", "personal information", 1) \
                if "personal data" in rest else rest.replace(" and ", " or ", 1)
        elif kind == 2:  # a sentence added to the first paragraph
            first = rest.index("\n\n", 1) if "\n\n" in rest[1:] else len(rest)
            rest = rest[:first] + " We review this clause every year." + rest[first:]
        else:  # the title reworded and a word dropped
            heading = heading.replace(" {#", " (revised) {#", 1)
            rest = rest.replace(" only ", " ", 1)
        clauses[k] = f"{heading}\n{rest}"
    path.write_text(head + "".join(clauses), encoding="utf-8")
    return len(chosen)


def policy(args: Sequence[str], root: Path) -> None:
    """Run a `policy` command on a history under construction; stop on failure."""
    sample = bc.run_once([*bc.find_policy(), *args, "--root", str(root)], keep_stdout=True)
    if sample.code != 0:
        sys.stderr.write(sample.stderr.decode(errors="replace"))
        raise SystemExit(f"bench: policy {' '.join(args)} exited {sample.code}")


def release_args(version: str, effective: str, locales: Sequence[str]) -> list[str]:
    summaries = [f"--summary={loc}=bench release {version}" for loc in locales]
    # editorial: the bench measures speed, and an editorial release may take effect at once
    return ["release", version, "--editorial", "--released", version, "--backdate",
            "bench history", "--effective", effective, *summaries, "--allow-drift", "bench"]


def build_histories(tmp: Path) -> tuple[Path, Path, int, int]:
    """The two histories; (repo copy, 200-clause project, edits to the repo, clauses edited)."""
    repo = tmp / "repo"
    repo.mkdir()
    for name in ("locales", "policy"):
        shutil.copytree(REPO / name, repo / name)
    shutil.copy2(REPO / "mkdocs.yml", repo / "mkdocs.yml")
    made = edit_repo_copy(repo)
    policy(["release", NEW, "--editorial", "--released", NEW, "--backdate", "bench history",
            "--effective", "2026-12-01",
            "--summary", "en=x", "--summary", "nl=y", "--allow-drift", "bench"], repo)
    big = tmp / "big"
    bc.write_corpus(big, ["en"], ["privacy"], 200)
    policy(release_args(OLD, OLD, ["en"]), big)
    edited = edit_generated(big / "locales" / "en" / "privacy.md")
    policy(release_args(NEW, NEW, ["en"]), big)
    return repo, big, made, edited


def counts(json_text: bytes) -> str:
    """Clause statuses summed over every change set of a `policy diff --format json`."""
    total: dict[str, int] = {}
    for change in json.loads(json_text)["changes"]:
        for status, n in change["counts"].items():
            total[status] = total.get(status, 0) + n
    return ", ".join(f"{k} {v}" for k, v in sorted(total.items()))


TIME = Path("/usr/bin/time")  # GNU time: the peak RSS of the command itself (see run)


def run(cmd: Sequence[str], env: dict[str, str] | None = None) -> bc.Sample:
    """One run of ``cmd``: wall time and the command's own peak RSS.

    Linux carries the spawning process's high-water mark into a child's ``ru_maxrss`` across
    vfork + exec, so ``os.wait4`` on a direct child never reports less than this bench's own
    RSS (about 24 MiB here; git needs 3). GNU time forks from a process of about 2 MiB and
    reports its child's figure; its own start adds about 1 ms to every figure alike.
    """
    if not TIME.exists():
        return bc.run_once(cmd, env=env)
    with tempfile.NamedTemporaryFile("r") as rss:
        sample = bc.run_once([str(TIME), "-f", "%M", "-o", rss.name, *cmd], env=env)
        kib = int(rss.read().split()[-1])
    return bc.Sample(sample.wall, sample.cpu, kib, sample.code, sample.stdout, sample.stderr)


def measure(figures: Sequence[bc.Figure], runs: int) -> None:
    """One discarded warm-up each, then ``runs`` rounds with the figures interleaved."""
    for fig in figures:
        fig.add(run(fig.cmd, fig.env))
        fig.samples = []
    for _ in range(runs):
        for fig in figures:
            fig.add(run(fig.cmd, fig.env))


def stages(root: Path, runs: int) -> str:
    """In-process medians of what `policy diff --format json` does, without the profiler."""
    import time

    from policytools.commands.versions import _document
    from policytools.config import load_project
    from policytools.diff import diff_documents
    from policytools.ledger import load_ledger
    from policytools.redline import FORMATS

    spent: dict[str, list[float]] = {}
    for i in range(runs + 1):  # the first round imports lazily: discarded
        marks = [time.perf_counter()]
        project = load_project(root)
        ledger = load_ledger(project)
        marks.append(time.perf_counter())
        pairs = [(_document(project, ledger, OLD, loc, doc), _document(project, ledger, NEW,
                  loc, doc)) for doc in project.documents for loc in project.locales]
        marks.append(time.perf_counter())
        sets = [diff_documents(a, b, OLD, NEW) for a, b in pairs]
        marks.append(time.perf_counter())
        FORMATS["json"](sets)
        marks.append(time.perf_counter())
        names = ("load project + ledger", "read + parse documents", "diff_documents", "json")
        for name, begin, end in zip(names, marks, marks[1:], strict=False):
            if i:
                spent.setdefault(name, []).append(end - begin)
    return " · ".join(f"{k} {statistics.median(v) * 1000:.1f} ms" for k, v in spent.items())


def profile(cmd: Sequence[str], what: str, top: int = 12) -> None:
    """cProfile of one run of ``cmd`` (a console script): top by cumulative and own time."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "run.prof"
        sample = bc.run_once([sys.executable, "-m", "cProfile", "-o", str(out), *cmd])
        if sample.code not in (0, 1):
            sys.stderr.write(sample.stderr.decode(errors="replace"))
            raise SystemExit(f"bench: cProfile run exited {sample.code}")
        print_stats(pstats.Stats(str(out)), f"{what} ({bc.ms(sample.wall)} under cProfile)", top)


def print_stats(stats: pstats.Stats, what: str, top: int = 12,
                skip: Sequence[str] = ("<frozen importlib", "builtins.exec}", "cProfile.py",
                                       "runpy.py", "<string>:1(<module>)")) -> None:
    """Top by cumulative time below the entry chain (≥ 95 % of the total), and by own time."""
    total = stats.total_tt  # type: ignore[attr-defined]
    chain = {f"{Path(f).name}:{n}({name})" for (f, n, name), (_, _, _, cum, _) in
             stats.stats.items() if cum >= 0.95 * total}  # type: ignore[attr-defined]
    print(f"\ncProfile of {what}; total {total:.3f} s")
    for key, title in (("cumulative", "by cumulative time"), ("tottime", "by own time")):
        buffer = io.StringIO()
        stats.stream = buffer  # type: ignore[attr-defined]
        stats.sort_stats(key).print_stats(top + 40)
        lines = buffer.getvalue().splitlines()
        start = next(i for i, ln in enumerate(lines) if "ncalls" in ln)
        kept = [ln for ln in lines[start + 1:] if ln.strip() and not any(s in ln for s in skip)
                and not (key == "cumulative" and any(ln.endswith(c) for c in chain))]
        print(f"  top {top} {title}:\n   {lines[start]}")
        for line in kept[:top]:
            print("   " + bc._short_paths(line))
    imports = max((cum for (_, _, name), (_, _, _, cum, _) in stats.stats.items()  # type: ignore[attr-defined]
                   if name == "_find_and_load"), default=0.0)
    print(f"  module imports (importlib _find_and_load, cumulative): {imports:.3f} s")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per figure (default 7)")
    parser.add_argument("--profile", action="store_true", help="also cProfile each diff")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="policy-bench-diff-") as tmp:
        bc.ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        bc.ENV["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pyc")
        return bench(Path(tmp), args.runs, args.profile)


def bench(tmp: Path, runs: int, with_profile: bool) -> int:
    py, pol = sys.executable, bc.find_policy()
    print(f"bench_diff: {platform.machine()} · nproc {len(os.sched_getaffinity(0))} · load "
          f"average {' '.join(f'{x:.2f}' for x in os.getloadavg())} · Python "
          f"{platform.python_version()} · {bc.git_state()}")
    print(f"  command: python3 bench/bench_diff.py {' '.join(sys.argv[1:])} · each figure the "
          f"median of {runs} interleaved runs after one warm-up · bytecode cache on · peak RSS "
          f"from {TIME if TIME.exists() else 'wait4 (floored at this process)'}")
    repo, big, made, edited = build_histories(tmp)
    git = ["git", "diff", "--no-index", "--word-diff"]
    cases = []
    for name, root in (("release", repo), ("200 clauses", big)):
        old, new = (str(root / "policy" / "archive" / v) for v in (OLD, NEW))
        ours = bc.Figure(f"policy diff --format json: {name}", [
            *pol, "diff", OLD, NEW, "--format", "json", "--root", str(root)])
        theirs = bc.Figure(f"git diff --word-diff: {name}", [*git, old, new], ok_codes=(1,))
        cases.append((name, root, ours, theirs))
    bare = bc.Figure("python3 -c pass", [py, "-c", "pass"])
    imp = bc.Figure('python3 -c "import policytools.cli"', [py, "-c", "import policytools.cli"])
    figures = [bare, imp] + [f for _, _, ours, theirs in cases for f in (ours, theirs)]
    measure(figures, runs)
    print(f"\nrelease: the repo's {OLD} → {NEW} (en + nl, 2 files; {made} edits: 12 word edits "
          f"per language and a clause inserted after §1); 200 clauses: one generated English "
          f"document, {edited} clauses edited (seed {SEED})")
    print(bc.TABLE_HEAD)
    for fig in figures:
        print(bc.row(fig))
    print("\nRatios (same run, interleaved): of the medians, and the median of per-round ratios")
    for name, _, ours, theirs in cases:
        out = bc.run_once(ours.cmd, keep_stdout=True).stdout
        git_out = bc.run_once(theirs.cmd, keep_stdout=True).stdout
        paired = statistics.median(a.wall / b.wall for a, b in
                                   zip(ours.samples or (), theirs.samples or (), strict=True))
        print(f"  {name}: policy / git {ours.wall / theirs.wall:.1f}× (paired {paired:.1f}×) · "
              f"policy − bare interpreter {bc.ms(ours.wall - bare.wall)} · policy − import "
              f"{bc.ms(ours.wall - imp.wall)} · peak RSS {ours.rss_mib / theirs.rss_mib:.1f}×")
        print(f"    output {len(out) / 1024:.0f} KiB of JSON (git: {len(git_out) / 1024:.0f} KiB)"
              f"; clauses: {counts(out)}")
    release = cases[0][2]
    met = release.wall < TARGET_RELEASE_S
    print(f"\nTarget: full release diff < {TARGET_RELEASE_S * 1000:.0f} ms wall → "
          f"{bc.ms(release.wall)}: {'met' if met else 'NOT met'}")
    if with_profile:
        for name, root, ours, _ in cases:
            print(f"\nIn process, {name} (median of {runs}): {stages(root, runs)}")
            profile(ours.cmd, f"`policy diff` {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
