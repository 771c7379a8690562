#!/usr/bin/env python3
"""Benchmark of ``policy check``: start-up on the repo's content, a large corpus, linearity.

Run from the repository root::

    python3 bench/bench_check.py            # 5 runs per figure, each figure the median
    python3 bench/bench_check.py --quick    # 3 runs, smaller linearity corpus
    python3 bench/bench_check.py --profile  # also: import-time and cProfile breakdowns

Every figure is measured on a fresh child process: wall time from spawn to exit (interpreter
start included) and the child's own peak RSS, read from ``os.wait4`` (the rusage of that one
child, so each run has its own maximum). Runs of the figures compared with each other are
interleaved, after one discarded warm-up run each, so that noise on a busy machine falls on
all of them alike.

Children run with Python's normal bytecode cache, kept in a temporary PYTHONPYCACHEPREFIX so
nothing is written into the repository; when the environment disables bytecode writing
(PYTHONDONTWRITEBYTECODE), the repo figure is also given for the environment as it is. The
generated corpora are deterministic (fixed seed) and live in a temporary folder that is removed
at exit. See docs/performance.md for the results.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import pstats
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = 20261201
BANNED = ("mkdocs", "material", "mkdocs_static_i18n")  # never imported by `policy check`

# Targets (see docs/performance.md). Cold runs pass --no-cache; a warm run answers from the
# findings cache that the run before it wrote.
TARGET_REPO_S = 0.2
TARGET_LARGE_S = 2.0
TARGET_WARM_S = 0.1
# Linear: the net cost per clause, (t - bare interpreter) / clauses, at the largest size is at
# most this many times that at the size before (twice the clauses): linear gives ~1 (less
# when a fixed cost is spread), quadratic ~2; the threshold sits between them.
LINEAR_SLACK = 1.5

# Thirty locale codes Babel knows: the source and 29 translations.
LOCALES = ("en", "nl", "de", "fr", "es", "it", "pt", "da", "sv", "pl", "cs", "fi", "nb", "el",
           "hu", "ro", "sk", "sl", "hr", "bg", "et", "lv", "lt", "tr", "ru", "uk", "ja", "zh",
           "ko", "ga")
DOCUMENTS = ("privacy", "cookies", "employees", "candidates", "suppliers")
# How each locale writes "section 4": a translation says it in its own words, and the project
# declares the words (policy.yml reference_words) where the tool has no default for them.
SECTION_WORD = {"en": "section", "nl": "artikel", "de": "Abschnitt", "fr": "section",
                "es": "sección", "it": "sezione", "pt": "secção", "da": "afsnit",
                "sv": "avsnitt", "pl": "sekcja", "cs": "oddíl", "fi": "kohta", "nb": "avsnitt",
                "el": "ενότητα", "hu": "szakasz", "ro": "secțiunea", "sk": "oddiel",
                "sl": "razdelek", "hr": "odjeljak", "bg": "раздел", "et": "jaotis",
                "lv": "sadaļa", "lt": "skirsnis", "tr": "bölüm", "ru": "раздел", "uk": "розділ",
                "ja": "セクション", "zh": "章节", "ko": "섹션", "ga": "alt"}
DEFAULT_WORDS = ("en", "nl", "de", "fr", "es")  # config.DEFAULT_REFERENCE_WORDS has these
TERMS = ("Acme", "Acme Group", "PartnerView", "BlueSky", "ISO 27001", "Google Analytics",
         "Merchants House", "Wilkinson Road", "Cirencester")


# --------------------------------------------------------------------------------------------
# Measuring one child process


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float  # seconds of user and system time, the child's workers included
    rss_kib: int  # peak resident set size of the child, KiB (Linux ru_maxrss unit)
    code: int
    stdout: bytes
    stderr: bytes


ENV: dict[str, str] | None = None  # the children's environment (main() sets the cache prefix)


def run_once(cmd: Sequence[str], keep_stdout: bool = False,
             env: dict[str, str] | None = None) -> Sample:
    """Run ``cmd`` once in a fresh process; its wall time and its own peak RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                env=env if env is not None else ENV)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped by wait4
        out.seek(0)
        err.seek(0)
        return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, proc.returncode,
                      out.read() if keep_stdout else b"", err.read())


@dataclass
class Figure:
    label: str
    cmd: list[str]
    ok_codes: tuple[int, ...] = (0,)
    samples: list[Sample] | None = None
    env: dict[str, str] | None = None

    def add(self, sample: Sample) -> None:
        if sample.code not in self.ok_codes:
            sys.stderr.write(sample.stderr.decode(errors="replace"))
            raise SystemExit(f"bench: {self.label}: exit code {sample.code}, expected "
                             f"{self.ok_codes}: {' '.join(self.cmd)}")
        if self.samples is None:
            self.samples = []
        self.samples.append(sample)

    @property
    def wall(self) -> float:
        return statistics.median(s.wall for s in self.samples or ())

    @property
    def cpu(self) -> float:
        """CPU seconds: less moved than wall time by other work on a busy host."""
        return statistics.median(s.cpu for s in self.samples or ())

    @property
    def rss_mib(self) -> float:
        return statistics.median(s.rss_kib for s in self.samples or ()) / 1024

    @property
    def spread(self) -> tuple[float, float]:
        walls = [s.wall for s in self.samples or ()]
        return min(walls), max(walls)


def measure(figures: Sequence[Figure], runs: int, warm_up: bool = True) -> None:
    """One discarded warm-up each, then ``runs`` rounds, the figures interleaved."""
    for fig in figures:
        if warm_up:
            fig.add(run_once(fig.cmd, env=fig.env))
        fig.samples = []
    for _ in range(runs):
        for fig in figures:
            fig.add(run_once(fig.cmd, env=fig.env))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def row(fig: Figure) -> str:
    low, high = fig.spread
    return (f"  {fig.label:<44} {ms(fig.wall):>10} {ms(low):>9} – {ms(high):<9} "
            f"{fig.rss_mib:>7.1f} MiB {ms(fig.cpu):>10}")


TABLE_HEAD = (f"  {'figure':<44} {'median':>10} {'min – max':^21} {'peak RSS':>11} "
              f"{'CPU':>10}")


# --------------------------------------------------------------------------------------------
# The corpus generator

TITLES = ("Information about us", "What personal data is", "Data we collect",
          "How we use your data", "Legal bases", "Marketing", "Cookies and similar technologies",
          "Sharing with third parties", "International transfers", "Retention", "Security",
          "Your rights", "Access requests", "Children", "Automated decisions",
          "Complaints", "Changes to this policy", "Contact us")
FREE = (
    "Where we rely on legitimate interests, we weigh those interests against your rights and "
    "freedoms before we process your personal data.",
    "We do not sell personal data, and we require every processor to give sufficient "
    "guarantees of appropriate technical and organisational measures.",
    "If you do not provide the information we ask for, we may be unable to fulfil an order or "
    "to answer your enquiry.",
    "Access to personal data is limited to colleagues who need it for their work and who are "
    "bound by a duty of confidentiality.",
    "You may withdraw your consent at any time; withdrawal does not affect the lawfulness of "
    "processing carried out before it.",
    "We review this policy regularly and publish every change on this page.",
    "Personal data is processed fairly, lawfully and in a transparent manner, and is kept "
    "accurate and up to date.",
)
FACTUAL = (
    "We keep your personal data for no longer than {days} days after the end of our "
    "relationship, unless the law requires us to keep it longer.",
    "You may contact our Data Protection Officer at {email} with any question about this "
    "policy.",
    "Further information about how we handle requests is available at {url}.",
    "This version of the policy takes effect on {date} and replaces every earlier version.",
    "{term} processes business contact information only for the purposes described in "
    "[section {ref}](#{ref_id}).",
    "We answer a request within {days} days; where a request is complex we may extend this "
    "period by {months} more months and will tell you why.",
    "Our information security controls are certified to ISO 27001 and audited at least once "
    "every {months} months by an independent body.",
    "Payments of more than {amount} EUR are checked against sanctions lists before {term} "
    "releases them.",
    "Website statistics are collected with Google Analytics and kept for {months} months in a "
    "form that does not identify you.",
    "You can reach our privacy team by telephone on +44 20 7946 0958 on working days between "
    "9 and 17 hours.",
    "A complaint must normally be made within thirty days of the event it concerns, and we "
    "acknowledge it within {hours} hours.",
)
ITEMS = ("your name, job title and business e-mail address;",
         "the name and address of your organisation;",
         "records of your correspondence with us;",
         "details of orders placed by your organisation;",
         "your preferences for receiving marketing from us;",
         "information you give us at events and in surveys;",
         "technical data such as your IP address and browser type; and",
         "any other information you choose to provide.")
TABLE = ("| Purpose | Legal basis | Retention |\n| --- | --- | --- |\n"
         "| Orders and invoicing | Contract | {years} years |\n"
         "| Marketing | Consent | {months} months |\n"
         "| Security logs | Legitimate interests | {days} days |")
ADDRESS = ("Data Protection Officer\\\nAcme Group Ltd\\\nMerchants House, Wilkinson Road\\\n"
           "Cirencester GL7 1YG\\\nUnited Kingdom")


def _plan(clauses: int) -> list[tuple[int, str, str]]:
    """(level, number, id) of each clause: mostly '##', every sixth group with two '###'."""
    plan: list[tuple[int, str, str]] = []
    top = sub = 0
    for k in range(clauses):
        if k % 6 in (4, 5) and plan:
            sub += 1
            plan.append((3, f"{top}.{sub}", f"c{k + 1}-detail"))
        else:
            top, sub = top + 1, 0
            slug = re.sub(r"[^a-z0-9]+", "-", TITLES[k % len(TITLES)].lower()).strip("-")
            plan.append((2, str(top), f"c{k + 1}-{slug}"))
    return plan


def _paragraph(rng: random.Random, doc: str, refs: list[tuple[str, str]]) -> str:
    sentences: list[str] = []
    while len(sentences) < rng.randint(3, 4):
        if rng.random() < 0.55:
            ref_number, ref_id = rng.choice(refs)
            sentence = rng.choice(FACTUAL).format(
                days=rng.choice((7, 14, 30, 90, 180)), months=rng.choice((6, 12, 24, 36)),
                hours=rng.choice((24, 48, 72)), amount=rng.choice((1000, 5000, 15000)),
                email=f"privacy@{doc}.acme.example", url=f"https://www.acme.example/{doc}/"
                f"requests", date=f"{rng.randint(1, 28)} {rng.choice(MONTHS)} "
                f"{rng.randint(2024, 2027)}", term=rng.choice(TERMS[:4]), ref=ref_number,
                ref_id=ref_id)
        else:
            sentence = rng.choice(FREE)
        if sentence not in sentences:
            sentences.append(sentence)
    return " ".join(sentences)


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def source_document(doc: str, clauses: int, seed: int) -> list[str]:
    """The English document as a list of parts: front matter, preamble, then one per clause."""
    rng = random.Random(f"{seed}:{doc}:{clauses}")
    plan = _plan(clauses)
    refs = [(number, cid) for level, number, cid in plan if level == 2]
    parts = [f"---\ntitle: {doc.capitalize()} policy\n---\n",
             f"This policy explains how Acme Group handles personal data in its {doc} "
             "processes. It applies from 1 December 2026.\n"]
    for k, (level, number, cid) in enumerate(plan):
        title = TITLES[k % len(TITLES)] if level == 2 else f"Details of {TITLES[k % 9].lower()}"
        body = [f"{'#' * level} {number}. {title} {{#{cid}}}"]
        body += [_paragraph(rng, doc, refs) for _ in range(rng.randint(2, 3))]
        if rng.random() < 0.35:
            chosen = rng.sample(ITEMS, rng.randint(3, 6))
            body.append("We collect:\n\n" + "\n".join(f"- {item}" for item in ITEMS
                                                     if item in chosen))
        if rng.random() < 0.08:
            body.append(TABLE.format(years=rng.choice((6, 7, 10)), months=rng.choice((12, 24)),
                                     days=rng.choice((30, 90))))
        if rng.random() < 0.07:
            body.append("Write to us at:\n\n" + ADDRESS)
        parts.append("\n\n".join(body) + "\n")
    return parts


NUMBER_RE = re.compile(r"\b(\d{1,3}) (days|months|hours)\b")


def translate(parts: list[str], locale: str, doc: str, seed: int) -> str:
    """A 'translation': the English text with a little deterministic drift."""
    rng = random.Random(f"{seed}:{locale}:{doc}")
    out = [parts[0].replace("policy", f"policy ({locale})"), parts[1]]
    for part in parts[2:]:
        heading, _, body = part.partition("\n")
        body = body.replace("[section ", f"[{SECTION_WORD[locale]} ")
        # Number words are translated too; the copies write them in digits, and reword the
        # English 'once', which is Spanish for eleven.
        body = body.replace("thirty days", "30 days").replace("least once", "least one time")
        roll = rng.random()
        if roll < 1 / 20:  # a changed number
            body = NUMBER_RE.sub(lambda m: f"{int(m[1]) + 1} {m[2]}", body, count=1)
        elif roll < 1 / 20 + 1 / 60:  # a changed e-mail address
            body = body.replace("privacy@", "privacy-team@", 1)
        elif roll < 1 / 20 + 1 / 60 + 1 / 80:  # a list item left out
            body = re.sub(r"\n- [^\n]*", "", body, count=1)
        out.append(f"{heading}\n{body}")
    return "\n".join(out)


def write_corpus(root: Path, locales: Sequence[str], documents: Sequence[str], clauses: int,
                 seed: int = SEED) -> int:
    """Write a policy project under ``root``; the number of clause files × clauses."""
    (root / "policy").mkdir(parents=True, exist_ok=True)
    names = _locale_names(locales)
    config = ["source_locale: en", "locales:"]
    config += [f"  '{code}': {names[code]}" for code in locales]
    config += ["documents:"] + [f"  - {doc}" for doc in documents]
    config += ["terms:"] + [f"  - {term}" for term in TERMS]
    words = [f"  '{code}': [{SECTION_WORD[code]}]" for code in locales
             if code not in DEFAULT_WORDS]
    config += ["reference_words:", *words] if words else []
    (root / "policy" / "policy.yml").write_text("\n".join(config) + "\n", encoding="utf-8")
    for doc in documents:
        parts = source_document(doc, clauses, seed)
        for locale in locales:
            folder = root / "locales" / locale
            folder.mkdir(parents=True, exist_ok=True)
            text = "\n".join(parts) if locale == "en" else translate(parts, locale, doc, seed)
            (folder / f"{doc}.md").write_text(text, encoding="utf-8")
    return len(locales) * len(documents) * clauses


def _locale_names(locales: Sequence[str]) -> dict[str, str]:
    """English names from Babel; fails loudly if a code is unknown to Babel."""
    from babel import Locale

    return {code: str(Locale.parse(code).english_name) for code in locales}


# --------------------------------------------------------------------------------------------
# Profiles (--profile)


def import_profile(python: str, policy: Sequence[str], root: Path, runs: int) -> None:
    """Median self and cumulative import time per module, and self time per package."""
    per_module: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for _ in range(runs):
        sample = run_once([python, "-X", "importtime", *policy, "check", "--root", str(root),
                           "--no-cache"])
        for line in sample.stderr.decode().splitlines():
            m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| ( *)(\S+)", line)
            if m:
                per_module[m[4]].append((int(m[1]), int(m[2])))
    self_us = {mod: statistics.median(s for s, _ in v) for mod, v in per_module.items()}
    cumul_us = {mod: statistics.median(c for _, c in v) for mod, v in per_module.items()}
    packages: dict[str, float] = defaultdict(float)
    for mod, value in self_us.items():
        top = mod.split(".")[0]
        packages[mod if top == "policytools" else top] += value
    stdlib = sum(v for k, v in packages.items() if k.split(".")[0] in sys.stdlib_module_names)
    print(f"\nImport time, `{python} -X importtime {' '.join(policy)} check --root <repo>`, "
          f"median of {runs} (importtime inflates every figure):")
    print(f"  {len(per_module)} modules, self times sum to {sum(self_us.values()) / 1000:.1f} ms"
          f"; standard library {stdlib / 1000:.1f} ms")
    print("  self time by third-party package / project module:")
    for name, value in sorted(packages.items(), key=lambda kv: -kv[1]):
        if name.split(".")[0] not in sys.stdlib_module_names and value >= 500:
            print(f"    {name:<36} {value / 1000:7.1f} ms")
    print("  largest cumulative import times:")
    for name, value in sorted(cumul_us.items(), key=lambda kv: -kv[1])[:15]:
        print(f"    {name:<36} {value / 1000:7.1f} ms")


def cpu_profile(python: str, policy: Sequence[str], root: Path, extra: Sequence[str],
                what: str) -> None:
    """cProfile of one run: top 10 by cumulative time and top 12 by own time."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "run.prof"
        sample = run_once([python, "-m", "cProfile", "-o", str(out), *policy, "check",
                           "--root", str(root), *extra, "--output", str(Path(tmp) / "r")])
        if sample.code not in (0, 1):
            sys.stderr.write(sample.stderr.decode(errors="replace"))
            raise SystemExit(f"bench: cProfile run failed with {sample.code}")
        stats = pstats.Stats(str(out))
        print(f"\ncProfile of {what} (one run, {ms(sample.wall)} wall under the profiler; "
              f"total {stats.total_tt:.2f} s):")  # type: ignore[attr-defined]
        # The CLI's entry chain (exec, <module>, entrypoint, main, …) holds ~100 % of the
        # time and says nothing: the cumulative list starts below it.
        chain = [fn for fn, (_, _, _, cum, _) in stats.stats.items()  # type: ignore[attr-defined]
                 if cum >= 0.97 * stats.total_tt]  # type: ignore[attr-defined]
        for key, title, count in (("cumulative", "top 10 by cumulative time, below the CLI entry "
                                   "chain and importlib's frames", 10), ("tottime",
                                                                         "top 12 by own time", 12)):
            buffer = io.StringIO()
            stats.stream = buffer  # type: ignore[attr-defined]
            stats.sort_stats(key).print_stats(count + 40)
            lines = buffer.getvalue().splitlines()
            start = next(i for i, ln in enumerate(lines) if "ncalls" in ln)
            print(f"  {title}:")
            print("   " + lines[start])
            shown = [ln for ln in lines[start + 1:] if ln.strip() and not (
                key == "cumulative" and ("<frozen importlib" in ln or any(
                    ln.endswith((f"{Path(f).name}:{n}({name})", f"{{{name.strip('<>')}}}"))
                    for f, n, name in chain)))]
            for line in shown[:count]:
                print("   " + _short_paths(line))
        imports = max((cum for (f, _, name), (_, _, _, cum, _) in stats.stats.items()  # type: ignore[attr-defined]
                       if name == "_find_and_load"), default=0.0)
        print(f"  module imports (importlib _find_and_load, cumulative): {imports:.3f} s")


# (module, function, depth): functions timed by --profile's in-process stage timer. A function
# is replaced by a timing wrapper in every policytools module that holds it; names the code no
# longer has are skipped. Depth only indents the output: a nested row is part of the one above.
STAGES = (
    ("policytools.yamlio", "load_yaml", 0),  # every YAML file read: inside the load_* rows
    ("policytools.config", "load_project", 0),
    ("policytools.yamlio", "key_line", 1),
    ("policytools.baseline", "load_baseline", 0),
    ("policytools.ledger", "load_ledger", 0),
    ("policytools.checks.archive", "integrity", 0),
    ("policytools.confirmations", "load_confirmations", 0),
    ("policytools.parse", "read_document", 0),
    ("policytools.parse", "_front_matter", 1),
    ("markdown_it", "MarkdownIt.parse", 1),
    ("policytools.facts", "profile", 0),
    ("policytools.facts", "analyse", 0),
    ("policytools.facts", "_extract", 1),
    ("policytools.facts", "_dates", 2),
    ("policytools.facts", "_phones", 2),
    ("policytools.facts", "_terms", 1),
    ("policytools.facts", "_numbers", 1),
    ("policytools.facts", "number_value", 2),
    ("policytools.addresses", "inline_addresses", 1),
    ("policytools.addresses", "country_names", 1),
    ("policytools.baseline", "judge", 0),
    ("policytools.report", "text", 0),
    ("policytools.report", "as_json", 0),
)


def stage_timer(argv: Sequence[str]) -> None:
    """In-process: run `policy check ARGV` with the STAGES and every check timed; print them."""
    import importlib
    import pkgutil

    started = time.perf_counter()
    import policytools
    import policytools.checks
    import policytools.checks.registry
    import policytools.cli

    # What `policy check` loads (not every module: the MkDocs plugin would import MkDocs).
    for info in pkgutil.iter_modules(policytools.checks.__path__, "policytools.checks."):
        importlib.import_module(info.name)
    for module_name in {"policytools.commands.check", *(m for m, _, _ in STAGES)}:
        importlib.import_module(module_name)
    imported = time.perf_counter() - started
    spent: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)

    def timed(label: str, func: Callable[..., object],
              listed: bool = False) -> Callable[..., object]:
        def wrapper(*args: object, **kwargs: object) -> object:
            begin = time.perf_counter()
            try:
                result = func(*args, **kwargs)
                return list(result) if listed else result  # type: ignore[call-overload]
            finally:
                spent[label] += time.perf_counter() - begin
                calls[label] += 1
        return wrapper

    rows: list[tuple[str, int]] = []
    for module_name, name, depth in STAGES:
        owner: object = importlib.import_module(module_name)
        *outer, attr = name.split(".")
        for part in outer:
            owner = getattr(owner, part, None)
        original = getattr(owner, attr, None)
        if original is None:
            continue
        label = f"{module_name.removeprefix('policytools.')}.{name}"
        wrapper = timed(label, original)
        setattr(owner, attr, wrapper)
        for module in list(sys.modules.values()):
            if getattr(module, "__name__", "").startswith("policytools"):
                for key, value in list(vars(module).items()):
                    if value is original:
                        setattr(module, key, wrapper)
                    elif isinstance(value, dict):  # registries such as report.FORMATTERS
                        for k, v in list(value.items()):
                            if v is original:
                                value[k] = wrapper
        rows.append((label, depth))
    for registry in ("DOCUMENT_CHECKS", "PAIR_CHECKS"):
        checks = getattr(policytools.checks.registry, registry, [])
        for i, check in enumerate(checks):
            label = f"check {check.__module__.removeprefix('policytools.')}.{check.__name__}"
            checks[i] = timed(label, check, listed=True)
            rows.append((label, 0))
    out = io.StringIO()
    begin = time.perf_counter()
    code = policytools.cli.main(["check", *argv], out=out)
    total = time.perf_counter() - begin
    print(f"  imports of policytools.* before the run: {ms(imported)}; main(): {ms(total)} "
          f"(exit {code}); rows are inclusive: an indented row is part of the row above, "
          "yamlio.load_yaml part of the load_* rows")
    for label, depth in rows:
        if calls[label]:
            print(f"    {'  ' * depth + label:<46} {spent[label] * 1000:9.1f} ms "
                  f"{calls[label]:>7} calls {spent[label] / calls[label] * 1e6:9.1f} µs/call")
    top = sum(spent[label] for label, depth in rows if depth == 0 and calls[label] and
              label != "yamlio.load_yaml")
    print(f"    {'rest of main() (lazy imports, glue, output)':<46} {(total - top) * 1000:9.1f} ms")


def _short_paths(line: str) -> str:
    site = next((p for p in sys.path if p.endswith("site-packages")), None)
    if site:
        line = line.replace(site + "/", "<site-packages>/")
    return line.replace(str(REPO) + "/", "").replace(f"{Path(os.__file__).parent}/", "<stdlib>/")


def git_state() -> str:
    """HEAD and how many files of the working tree differ from it."""
    try:
        head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "tools"],
                               capture_output=True, text=True, check=True).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"HEAD {head}, {len(dirty)} changed file(s) under tools/"


# --------------------------------------------------------------------------------------------
# Main


def find_policy() -> list[str]:
    """The `policy` console script of this interpreter, run the way a user runs it."""
    beside = Path(sys.executable).parent / "policy"
    script = str(beside) if beside.exists() else shutil.which("policy")
    if script is None:
        raise SystemExit("bench: no `policy` command: pip install -e . first")
    return [script]


def imported_banned(python: str, root: Path, policy: Sequence[str]) -> tuple[list[str], int]:
    """Modules of BANNED imported by `policy check`, by -X importtime and by sys.modules."""
    sample = run_once([python, "-X", "importtime", *policy, "check", "--root", str(root),
                       "--no-cache"])
    by_importtime = {m[1] for m in re.finditer(r"\| +([\w.]+)\s*$", sample.stderr.decode(),
                                               re.M)}
    code = ("import io, json, sys\nfrom policytools.cli import main\n"
            f"main(['check', '--root', {str(root)!r}, '--no-cache'], out=io.StringIO())\n"
            "print(json.dumps(sorted(sys.modules)))")
    mods = json.loads(run_once([python, "-c", code], keep_stdout=True).stdout)
    found = sorted({m for m in (*by_importtime, *mods) if m.split(".")[0] in BANNED})
    return found, len(mods)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=None, help="runs per figure (default 5; "
                        "3 with --quick)")
    parser.add_argument("--quick", action="store_true", help="3 runs and a smaller linearity "
                        "corpus (5 locales × 1 document)")
    parser.add_argument("--profile", action="store_true", help="also print import-time, "
                        "per-stage and cProfile breakdowns")
    parser.add_argument("--only", action="append", choices=("repo", "large", "linear"),
                        help="measure only this part (repeatable; the bare interpreter is "
                        "always measured)")
    parser.add_argument("--stages", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stages is not None:  # the child of --profile's stage timer
        stage_timer(args.stages)
        return 0
    runs = args.runs or (3 if args.quick else 5)
    with tempfile.TemporaryDirectory(prefix="policy-bench-pyc-") as pyc:
        global ENV
        ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        ENV["PYTHONPYCACHEPREFIX"] = pyc
        return _bench(args, runs)


@dataclass
class Bench:
    python: str
    policy: list[str]
    runs: int
    quick: bool
    bare: Figure | None = None
    verdicts: dict[str, str] | None = None

    def verdict(self, name: str, met: bool, detail: str) -> str:
        word = "met" if met else "NOT met"
        if self.verdicts is None:
            self.verdicts = {}
        self.verdicts[name] = f"{detail} ({word})"
        return word


def _bench(args: argparse.Namespace, runs: int) -> int:
    bench = Bench(sys.executable, find_policy(), runs, args.quick)
    no_pyc = bool(os.environ.get("PYTHONDONTWRITEBYTECODE"))
    print(f"bench_check: {platform.node() or '?'} · {platform.machine()} · nproc "
          f"{len(os.sched_getaffinity(0))} · load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"  Python {platform.python_version()} ({platform.python_implementation()}) "
          f"{bench.python}; policy = {' '.join(bench.policy)}")
    print(f"  command: python3 {' '.join(['bench/bench_check.py', *sys.argv[1:]])}"
          f" · each figure the median of {runs} runs (min – max shown), after one warm-up")
    print(f"  tree: {git_state()}; bytecode cache: on (temporary PYTHONPYCACHEPREFIX)"
          + ("; the environment sets PYTHONDONTWRITEBYTECODE=1" if no_pyc else ""))
    wanted = set(args.only or ("repo", "large", "linear"))
    repo_section(bench, no_pyc, full="repo" in wanted)
    with tempfile.TemporaryDirectory(prefix="policy-bench-") as tmp:
        large = Path(tmp) / "large"
        if "large" in wanted or args.profile:
            large_section(bench, large, measured="large" in wanted)
        if "linear" in wanted:
            linear_section(bench, Path(tmp))
        print("\nSummary: " + "; ".join(f"{k}: {v}" for k, v in (bench.verdicts or {}).items()))
        if args.profile:
            profiles(bench, large)
    return 0


def repo_section(bench: Bench, no_pyc: bool, full: bool) -> None:
    """1. The repository's content, with the bare interpreter (always: ratios need it)."""
    python, policy = bench.python, bench.policy
    bench.bare = bare = Figure("python3 -c pass", [python, "-c", "pass"])
    if not full:
        measure([bare], bench.runs)
        print(f"\nBare interpreter start: {ms(bare.wall)} (median of {bench.runs})")
        return
    imp = Figure('python3 -c "import policytools.cli"', [python, "-c", "import policytools.cli"])
    repo = Figure(f"policy check --root {REPO.name} --no-cache",
                  [*policy, "check", "--root", str(REPO), "--no-cache"])
    as_is = Figure("  same, environment as is (no .pyc written)", repo.cmd,
                   env=dict(os.environ))
    warm = Figure(f"policy check --root {REPO.name}, warm (cache hit)",
                  [*policy, "check", "--root", str(REPO)])
    figures = [bare, imp, repo, warm] + ([as_is] if no_pyc else [])
    measure(figures, bench.runs)
    print(f"\n1. Repository content ({REPO})")
    print(TABLE_HEAD)
    for fig in figures:
        print(row(fig))
    print(f"  ratio check / bare interpreter       {repo.wall / bare.wall:6.2f}×"
          f"   (check − bare = {ms(repo.wall - bare.wall)})")
    print(f"  ratio check / import policytools.cli {repo.wall / imp.wall:6.2f}×"
          f"   (check − import = {ms(repo.wall - imp.wall)})")
    print(f"  ratio import / bare interpreter      {imp.wall / bare.wall:6.2f}×")
    print(f"  ratio warm check / bare interpreter  {warm.wall / bare.wall:6.2f}×"
          f"   (warm − bare = {ms(warm.wall - bare.wall)})")
    print(f"  peak RSS check / bare                {repo.rss_mib / bare.rss_mib:6.2f}×")
    banned, count = imported_banned(python, REPO, policy)
    print(f"  mkdocs imported: {'YES: ' + ', '.join(banned) if banned else 'no'} "
          f"(-X importtime and sys.modules; {count} modules loaded in all)")
    word = bench.verdict("repo", repo.wall < TARGET_REPO_S, ms(repo.wall))
    extra = ""
    if no_pyc:
        extra = (f" (environment as is: {ms(as_is.wall)}, "
                 f"{'met' if as_is.wall < TARGET_REPO_S else 'NOT met'})")
    print(f"  target: < {TARGET_REPO_S * 1000:.0f} ms wall → {word}{extra}")
    word = bench.verdict("repo warm", warm.wall < TARGET_WARM_S, ms(warm.wall))
    print(f"  target, warm: < {TARGET_WARM_S * 1000:.0f} ms wall → {word}")
    bench.verdict("mkdocs not imported", not banned, "imported" if banned else "not imported")


def large_section(bench: Bench, large: Path, measured: bool) -> None:
    """2. The large generated corpus (written anyway when --profile needs it)."""
    started = time.perf_counter()
    total = write_corpus(large, LOCALES, DOCUMENTS, 60)
    if not measured:
        return
    size = sum(p.stat().st_size for p in large.rglob("*.md"))
    print(f"\n2. Generated corpus: {len(LOCALES)} locales × {len(DOCUMENTS)} documents × 60 "
          f"clauses = {total:,} clauses, {size / 1e6:.1f} MB of Markdown "
          f"(written in {ms(time.perf_counter() - started)}, seed {SEED})")
    cmd = [*bench.policy, "check", "--root", str(large), "--no-baseline", "--format", "json",
           "--no-cache"]
    first = run_once(cmd, keep_stdout=True)
    if first.code not in (0, 1):
        sys.stderr.write(first.stderr.decode(errors="replace"))
        raise SystemExit(f"bench: large corpus: exit code {first.code}")
    findings = _findings(json.loads(first.stdout))
    by_code: dict[str, int] = defaultdict(int)
    for item in findings:
        by_code[str(item.get("code", "?"))] += 1
    big = Figure("policy check --no-baseline --format json", cmd, ok_codes=(0, 1))
    measure([big], bench.runs, warm_up=False)  # the run above was the warm-up
    print(TABLE_HEAD)
    print(row(big))
    assert bench.bare is not None
    print(f"  per clause: {big.wall / total * 1e6:.0f} µs; ratio to bare interpreter "
          f"{big.wall / bench.bare.wall:.1f}×; {len(findings)} findings "
          f"({', '.join(f'{c} {n}' for c, n in sorted(by_code.items()))})")
    word = bench.verdict("large corpus", big.wall < TARGET_LARGE_S, f"{big.wall:.2f} s")
    print(f"  target: < {TARGET_LARGE_S:.0f} s wall → {word}")
    warm = Figure("same, warm (cache hit)", cmd[:-1], ok_codes=(0, 1))
    measure([warm], bench.runs)  # its warm-up run fills the cache
    print(row(warm))
    print(f"  warm: ratio to bare interpreter {warm.wall / bench.bare.wall:.1f}×")


def linear_section(bench: Bench, tmp: Path) -> None:
    """3. The same corpus shape at growing clause counts."""
    assert bench.bare is not None
    bare = bench.bare
    locs, docs = (LOCALES[:5], DOCUMENTS[:1]) if bench.quick else (LOCALES[:10], DOCUMENTS[:2])
    sizes = (15, 30, 60, 120)
    figs: list[Figure] = []
    counts: list[int] = []
    for n in sizes:
        root = tmp / f"lin{n}"
        counts.append(write_corpus(root, locs, docs, n))
        figs.append(Figure(f"{n} clauses per document", [
            *bench.policy, "check", "--root", str(root), "--no-baseline", "--format", "json",
            "--no-cache"], ok_codes=(0, 1)))
    measure(figs, bench.runs)
    print(f"\n3. Linearity: {len(locs)} locales × {len(docs)} documents × n clauses")
    print(f"  {'n':>5} {'clauses':>8} {'median':>10} {'per clause':>11} "
          f"{'(t − bare)/clause':>18} {'step cost/clause':>17} {'peak RSS':>10}")
    for i, (n, total_n, fig) in enumerate(zip(sizes, counts, figs, strict=True)):
        step = ""
        if i:
            marginal = (fig.wall - figs[i - 1].wall) / (total_n - counts[i - 1])
            step = f"{marginal * 1e6:.0f} µs"
        per = (fig.wall - bare.wall) / total_n
        print(f"  {n:>5} {total_n:>8,} {ms(fig.wall):>10} "
              f"{fig.wall / total_n * 1e6:>8.0f} µs {per * 1e6:>15.0f} µs {step:>17} "
              f"{fig.rss_mib:>6.1f} MiB")
    slope, intercept, r2 = _fit(counts, [f.wall for f in figs])
    net = [(f.wall - bare.wall) / n for f, n in zip(figs, counts, strict=True)]
    growth = net[-1] / net[-2]
    print(f"  least squares: t = {ms(intercept)} + {slope * 1e6:.0f} µs × clauses "
          f"(R² = {r2:.4f}); doubling {sizes[-2]} → {sizes[-1]} clauses multiplies the time "
          f"by {figs[-1].wall / figs[-2].wall:.2f}")
    word = bench.verdict("linear growth", growth <= LINEAR_SLACK, f"ratio {growth:.2f}")
    print(f"  target: linear: net cost per clause at {sizes[-1]} / at {sizes[-2]} = "
          f"{growth:.2f} (≤ {LINEAR_SLACK}; quadratic growth would give ~2) → {word}")


def profiles(bench: Bench, large: Path) -> None:
    """--profile: import times, in-process stage times and cProfile, repo and large corpus."""
    python, policy = bench.python, bench.policy
    import_profile(python, policy, REPO, bench.runs)
    json_args = ["--no-baseline", "--format", "json", "--no-cache"]
    for root, extra, what in ((REPO, ["--no-cache"], "`policy check --root <repo>`"),
                              (large, json_args, "the large corpus")):
        sample = run_once([python, __file__, "--stages", "--root", str(root), *extra],
                          keep_stdout=True)
        print(f"\nStage times of {what}, in one process, one run (a thin timing wrapper per "
              "call; no profiler):")
        print(sample.stdout.decode().rstrip() or sample.stderr.decode())
    cpu_profile(python, policy, REPO, ["--no-cache"], "`policy check --root <repo>`")
    cpu_profile(python, policy, large, json_args,
                "the large corpus, `policy check --no-baseline --format json`")


def _findings(report: object) -> list[dict[str, object]]:
    """The findings list of the JSON report, wherever the formatter puts it."""
    if isinstance(report, list):
        return [f for f in report if isinstance(f, dict)]
    if isinstance(report, dict):
        for key in ("findings", "new"):
            if isinstance(report.get(key), list):
                return _findings(report[key])
    return []


def _fit(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float, float]:
    """Least-squares line y = a + b·x: (b, a, R²)."""
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    a = my - b * mx
    ss_tot = sum((y - my) ** 2 for y in ys)
    ss_res = sum((y - a - b * x) ** 2 for x, y in zip(xs, ys, strict=True))
    return b, a, 1 - ss_res / ss_tot if ss_tot else 1.0


if __name__ == "__main__":
    sys.exit(main())
