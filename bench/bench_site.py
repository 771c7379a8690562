#!/usr/bin/env python3
"""Benchmark of the published site: ``mkdocs build --strict`` with the ``policy`` plugin.

Run from the repository root::

    python3 bench/bench_site.py             # 3 runs per build, each figure the median
    python3 bench/bench_site.py --profile   # also: cProfile of one in-process generated build

Builds, each in a temporary folder (never into the repository), interleaved after one
warm-up each, every one a fresh ``mkdocs build --strict`` process with NO_MKDOCS_2_WARNING=1
and POLICY_TODAY fixed. The PDFs of every version (policytools.pdf) are cached by content in
a folder of the bench (POLICY_PDF_CACHE): "PDFs cached" builds find them there (as every
build after the first does), "PDFs rendered" builds start from an empty cache each run, and
"no PDFs" builds set the plugin's ``pdf: false``.

(a) **repo**: a copy of the repo's mkdocs.yml, locales/, policy/ and site_overrides/.
(b) **generated**: 10 locales × 3 documents × 20 clauses from bench_check's generator, then
    20 ``policy release … --allow-drift bench`` runs with deterministic edits (2 clauses per
    file, bench_diff's edits) between them; the 10 locales are declared in the i18n block of
    a mkdocs.yml made from the repo's, with their names from Babel.
(c) **control**: the same pages as plain Markdown files under docs/<locale>/ — the Markdown
    the plugin generates for (b), written out once by policytools.site — built with the same
    theme, overrides and i18n plugin but without the policy plugin. Pages the plugin keeps out
    of the navigation are kept out with ``not_in_nav``. (b)/(c) is the plugin's overhead.

And how the site grows with versions (``--versions`` runs only this): (d) the repo's seeds
(English and Dutch, one document) released 4, 8 and 12 times, one sentence of both texts
changed per release. Every two versions of a text get a compare page, so pages grow with the
square of the versions: n(n-1)/2 pairs per text.
The generated site's PDFs rendered from an empty cache (600 of them) are timed once, after
the interleaved rounds (minutes; ``--no-cold`` leaves it out).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import pstats
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_check as bc
import bench_diff as bd

REPO = bc.REPO
LOCALES = bc.LOCALES[:10]
DOCUMENTS = bc.DOCUMENTS[:3]
CLAUSES, RELEASES = 20, 20
VERSION_STEPS = (4, 8, 12)  # (d): releases of the repo's seeds
FIRST = dt.date(2026, 1, 5)  # releases every 14 days from here
TODAY = "2026-12-15"  # POLICY_TODAY: every release is in force or archived
TARGET_REPO_S, TARGET_OVERHEAD = 5.0, 1.5
BUILD_ENV = {"NO_MKDOCS_2_WARNING": "1", "POLICY_TODAY": TODAY}


def mkdocs_yml(languages: list[str], docs_dir: str, plugin: bool, pdf: bool = True) -> str:
    """The repo's mkdocs.yml with these locales; without the policy plugin for the control,
    without PDFs when told."""
    import yaml
    from babel import Locale

    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = docs_dir
    plugins = []
    for item in config["plugins"]:
        if isinstance(item, dict) and "i18n" in item:
            item["i18n"]["languages"] = [
                {"locale": code, "name": Locale.parse(code).get_display_name(code)[:1].upper()
                 + Locale.parse(code).get_display_name(code)[1:], "build": True,
                 **({"default": True} if code == "en" else {})} for code in languages]
        if item == "policy" and not pdf:
            item = {"policy": {"pdf": False}}
        if plugin or item != "policy":
            plugins.append(item)
    config["plugins"] = plugins
    if not plugin:
        config.pop("watch", None)
        config["not_in_nav"] = "/*/*/\n"  # versions and redlines, as the plugin does
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


def copy_repo(tmp: Path) -> Path:
    root = tmp / "repo"
    root.mkdir()
    for name in ("locales", "policy", "site_overrides"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root


def without_pdfs(root: Path, languages: list[str]) -> Path:
    """A copy of a project whose mkdocs.yml turns the PDFs off."""
    copy = Path(shutil.copytree(root, root.with_name(root.name + "-no-pdf")))
    (copy / "mkdocs.yml").write_text(mkdocs_yml(languages, "locales", True, pdf=False), "utf-8")
    return copy


def emptied(cache: Path, cmd: list[str]) -> list[str]:
    """``cmd`` run after emptying ``cache``: every PDF rendered (exec: its own RSS)."""
    return ["sh", "-c", 'rm -rf "$0" && exec "$@"', str(cache), *cmd]


def generate(tmp: Path) -> tuple[Path, float]:
    """(b): the generated project with its 20 releases; the seconds the releases took."""
    import re
    import time

    root = tmp / "generated"
    bc.write_corpus(root, LOCALES, DOCUMENTS, CLAUSES)
    policy_yml = root / "policy" / "policy.yml"  # locales are declared in mkdocs.yml only
    policy_yml.write_text(re.sub(r"locales:\n(?:  '.*\n)+", "", policy_yml.read_text("utf-8")),
                          encoding="utf-8")
    (root / "mkdocs.yml").write_text(mkdocs_yml(list(LOCALES), "locales", True), "utf-8")
    shutil.copytree(REPO / "site_overrides", root / "site_overrides")
    for code in LOCALES:
        own = REPO / "locales" / code / "site.yml"
        shutil.copy2(own if own.exists() else REPO / "locales" / "en" / "site.yml",
                     root / "locales" / code / "site.yml")
    started = time.perf_counter()
    for n in range(RELEASES):
        if n:
            for code in LOCALES:
                for doc in DOCUMENTS:
                    bd.edit_generated(root / "locales" / code / f"{doc}.md", 0.1, bc.SEED + n)
        version = (FIRST + dt.timedelta(days=14 * n)).isoformat()
        bd.policy(bd.release_args(version, version, LOCALES), root)
    return root, time.perf_counter() - started


def control(tmp: Path, generated: Path) -> Path:
    """(c): every page of (b) as a plain Markdown file, and a mkdocs.yml without the plugin."""
    from policytools.config import load_project
    from policytools.ledger import load_ledger
    from policytools.parse import read_document
    from policytools.site import Site, pages, policy_markdown

    root = tmp / "control"
    project = load_project(generated)
    site = Site(project, load_ledger(project), dt.date.fromisoformat(TODAY))
    for code in LOCALES:
        folder = root / "docs" / code
        titles = {}
        for doc in DOCUMENTS:
            path = project.doc_path(code, doc)
            titles[doc] = read_document(path, doc, code, str(path)).title
            text = path.read_text(encoding="utf-8")
            front = text[:text.index("\n---", 3) + 5]  # the page keeps its own front matter
            (folder / f"{doc}.md").parent.mkdir(parents=True, exist_ok=True)
            (folder / f"{doc}.md").write_text(front + policy_markdown(site, code, doc, text),
                                              encoding="utf-8")
        for page in pages(site, code, titles):
            (folder / page.path).parent.mkdir(parents=True, exist_ok=True)
            (folder / page.path).write_text(page.markdown, encoding="utf-8")
    shutil.copytree(REPO / "site_overrides", root / "site_overrides")
    (root / "mkdocs.yml").write_text(mkdocs_yml(list(LOCALES), "docs", False), "utf-8")
    return root


def versions_history(tmp: Path, releases: int) -> Path:
    """(d): the repo's seeds released ``releases`` times, both texts changed each time."""
    root = tmp / f"versions-{releases}"
    root.mkdir()
    for name in ("locales", "site_overrides"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy2(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "policy").mkdir()
    shutil.copy2(REPO / "policy" / "policy.yml", root / "policy" / "policy.yml")
    for n in range(releases):
        if n:
            for code in ("en", "nl"):
                path = root / "locales" / code / "privacy.md"
                text = path.read_text(encoding="utf-8")
                path.write_text(text.replace("\n\n## ", f" (rev. {n}).\n\n## ", 1 + n % 12)
                                .replace(f" (rev. {n}).", "", n % 12), encoding="utf-8")
        version = (FIRST + dt.timedelta(days=14 * n)).isoformat()
        bd.policy(bd.release_args(version, version, ("en", "nl")), root)
    return root


def grow(tmp: Path, runs: int) -> None:
    """(d): build time and pages of the repo's site with 4, 8 and 12 versions per text."""
    env = {**(bc.ENV or {}), **BUILD_ENV}
    roots = {n: versions_history(tmp, n) for n in VERSION_STEPS}
    figures = [bc.Figure(f"(d) repo, {n} versions per text", build_cmd(root, tmp / "out" /
                                                                        f"d{n}"), env=env)
               for n, root in roots.items()]
    bd.measure(figures, runs)
    print(f"{bc.TABLE_HEAD} {'pages':>7} {'compare':>8}")
    for n, fig in zip(VERSION_STEPS, figures, strict=True):
        out = tmp / "out" / f"d{n}"
        compare = sum(1 for _ in out.glob("**/compare/*/index.html"))
        print(f"{bc.row(fig)} {html_pages(out):>7,} {compare:>8,}")


def build_cmd(root: Path, out: Path) -> list[str]:
    mkdocs = Path(sys.executable).parent / "mkdocs"
    return [str(mkdocs if mkdocs.exists() else "mkdocs"), "build", "--strict", "-q",
            "-f", str(root / "mkdocs.yml"), "-d", str(out)]


def html_pages(out: Path) -> int:
    return sum(1 for _ in out.rglob("*.html"))


def pdfs(out: Path) -> int:
    return sum(1 for _ in out.rglob("*.pdf"))


CHILD = """\
import cProfile, functools, json, sys, time
from collections import defaultdict
import jinja2.environment, markdown.core, mkdocs_static_i18n.plugin as i18n
import policytools.mkdocs_plugin as plugin, policytools.redline as redline, policytools.site as site
from mkdocs.config import load_config
from mkdocs.commands.build import build
spent, calls, order = defaultdict(float), defaultdict(int), []
def timed(owner, name, label):
    func = getattr(owner, name)
    order.append(label)
    @functools.wraps(func)  # keeps mkdocs_priority
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - start
            calls[label] += 1
    setattr(owner, name, wrapper)
if sys.argv[4] == "stages":
    for hook in ("on_config", "on_files", "on_page_markdown", "on_page_context", "on_post_build"):
        timed(plugin.PolicyPlugin, hook, "policy plugin " + hook)
    for owner, name, label in (
            (plugin, "pages", "site.pages"), (site, "parse_document", "  parse (archived texts)"),
            (site, "diff_documents", "  diff_documents"), (redline, "html_fragment",
            "  redline.html_fragment"), (plugin, "read_document", "read_document (_titles)"),
            (i18n.I18n, "on_files", "i18n on_files (its file handling)"),
            (markdown.core.Markdown, "convert", "markdown: Markdown.convert"),
            (jinja2.environment.Template, "render", "jinja2: Template.render"),
            (jinja2.environment.Environment, "compile", "jinja2: Environment.compile")):
        timed(owner, name, label)
    profiler = None
else:
    profiler = cProfile.Profile()
    profiler.enable()
start = time.perf_counter()
build(load_config(sys.argv[1], site_dir=sys.argv[2], strict=True))
total = time.perf_counter() - start
if profiler:
    profiler.disable()
    profiler.dump_stats(sys.argv[3])
print(json.dumps({"total": total, "rows": [[k, calls[k], spent[k]] for k in order if calls[k]]}))
"""


def child(root: Path, out: Path, prof: Path, mode: str) -> dict[str, Any]:
    sample = bc.run_once([sys.executable, "-c", CHILD, str(root / "mkdocs.yml"), str(out),
                          str(prof), mode], keep_stdout=True,
                         env={**(bc.ENV or os.environ), **BUILD_ENV})
    if sample.code:
        sys.stderr.write(sample.stderr.decode(errors="replace"))
        raise SystemExit(f"bench: in-process build ({mode}) exited {sample.code}")
    result: dict[str, Any] = json.loads(sample.stdout.decode().splitlines()[-1])
    return result


def profile_build(root: Path, plain: Path, out: Path, tmp: Path) -> None:
    """In-process builds of (b) and (c) timed by thin wrappers, (b) under cProfile."""
    timed = child(root, out, tmp / "none", "stages")
    control = child(plain, out, tmp / "none", "stages")
    control_rows = {r[0]: r for r in control["rows"]}
    total = timed["total"]
    print(f"\nStages of in-process builds, no profiler (thin timing wrappers): load_config + "
          f"build (b) {total:.2f} s, (c) {control['total']:.2f} s. site.pages runs inside "
          "on_files, the indented rows inside it; read_document (_titles) in on_files and "
          "on_post_build; Environment.compile partly inside Template.render.")
    print(f"    {'stage':<38} {'(b) calls':>9} {'(b) s':>7} {'share':>6} {'(c) calls':>10} "
          f"{'(c) s':>7}")
    for label, calls, seconds in timed["rows"]:
        _, c_calls, c_s = control_rows.get(label, (label, 0, 0.0))
        print(f"    {label:<38} {calls:>9} {seconds:7.2f} {seconds / total:6.1%} {c_calls:>10} "
              f"{c_s:7.2f}")
    hooks = sum(s for label, _, s in timed["rows"] if label.startswith("policy plugin "))
    print(f"    {'policy plugin hooks together':<38} {'':>9} {hooks:7.2f} {hooks / total:6.1%}")
    prof = tmp / "build.prof"
    child(root, out, prof, "profile")
    stats = pstats.Stats(str(prof))
    bd.print_stats(stats, "one in-process build of (b)", top=15)
    rows = {f"{Path(f).parent.name}/{Path(f).name}:{name}": (calls, cum) for
            (f, _, name), (_, calls, _, cum, _) in stats.stats.items()}  # type: ignore[attr-defined]
    print("  selected functions (calls, cumulative s under cProfile):")
    for key in ("markdown/core.py:convert", "jinja2/environment.py:render",
                "mkdocs/theme.py:get_env", "jinja2/environment.py:compile",
                "babel/dates.py:format_date", "policytools/parse.py:parse_document",
                "policytools/diff.py:diff_documents", "policytools/redline.py:html_fragment",
                "policytools/site.py:pages", "policytools/mkdocs_plugin.py:on_config",
                "policytools/mkdocs_plugin.py:on_files", "policytools/mkdocs_plugin.py:_titles",
                "policytools/mkdocs_plugin.py:_generated",
                "policytools/mkdocs_plugin.py:on_post_build"):
        calls, cum = rows.get(key, (0, 0.0))
        print(f"    {key:<44} {calls:>7} {cum:8.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per build (default 3)")
    parser.add_argument("--profile", action="store_true", help="also cProfile one build of (b)")
    parser.add_argument("--versions", action="store_true",
                        help="only (d): the repo's site with 4, 8 and 12 versions per text")
    parser.add_argument("--no-cold", action="store_true",
                        help="leave out the one run rendering every PDF of (b)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="policy-bench-site-") as name:
        tmp = Path(name)
        bc.ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        bc.ENV["PYTHONPYCACHEPREFIX"] = str(tmp / "pyc")
        if args.versions:
            print(f"bench_site --versions: {bc.git_state()} · load average "
                  f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} · median of {args.runs} "
                  "interleaved runs after one warm-up")
            grow(tmp, args.runs)
            return 0
        return bench(tmp, args.runs, args.profile, not args.no_cold)


def bench(tmp: Path, runs: int, with_profile: bool, cold: bool) -> int:
    print(f"bench_site: {platform.machine()} · nproc {len(os.sched_getaffinity(0))} · load "
          f"average {' '.join(f'{x:.2f}' for x in os.getloadavg())} · Python "
          f"{platform.python_version()} · {bc.git_state()}")
    print(f"  command: python3 bench/bench_site.py {' '.join(sys.argv[1:])} · each figure the "
          f"median of {runs} interleaved runs after one warm-up · POLICY_TODAY={TODAY}")
    repo = copy_repo(tmp)
    generated, releasing = generate(tmp)
    plain = control(tmp, generated)
    print(f"  generated: {len(LOCALES)} locales ({', '.join(LOCALES)}) × {len(DOCUMENTS)} "
          f"documents × {CLAUSES} clauses, {RELEASES} releases (their `policy release` runs: "
          f"{releasing:.1f} s in all)")
    env = {**(bc.ENV or {}), **BUILD_ENV}
    cached = {**env, "POLICY_PDF_CACHE": str(tmp / "pdf-cache")}
    fresh = {**env, "POLICY_PDF_CACHE": str(tmp / "pdf-cold")}
    repo_off = without_pdfs(repo, ["en", "nl"])
    generated_off = without_pdfs(generated, list(LOCALES))
    figures = [
        bc.Figure("(a) repo, PDFs cached", build_cmd(repo, tmp / "out" / "a"), env=cached),
        bc.Figure("(a) repo, PDFs rendered", emptied(tmp / "pdf-cold", build_cmd(
            repo, tmp / "out" / "a-cold")), env=fresh),
        bc.Figure("(a) repo, no PDFs", build_cmd(repo_off, tmp / "out" / "a-off"), env=env),
        bc.Figure("(b) generated, PDFs cached", build_cmd(generated, tmp / "out" / "b"),
                  env=cached),
        bc.Figure("(b) generated, no PDFs", build_cmd(generated_off, tmp / "out" / "b-off"),
                  env=env),
        bc.Figure("(c) control, plain Markdown", build_cmd(plain, tmp / "out" / "c"), env=env)]
    bd.measure(figures, runs)
    keys = ["a", "a-cold", "a-off", "b", "b-off", "c"]
    print(f"  {'build':<44} {'median':>10} {'min – max':^21} {'peak RSS':>11} {'CPU':>10} "
          f"{'pages':>7} {'PDFs':>5}")
    for fig, key in zip(figures, keys, strict=True):
        print(f"{bc.row(fig)} {html_pages(tmp / 'out' / key):>7,} {pdfs(tmp / 'out' / key):>5}")
    a, a_cold, a_off, b, b_off, c = figures
    pages = html_pages(tmp / "out" / "b")
    for label, x, y in (("(a) PDFs rendered / no PDFs", a_cold, a_off),
                        ("(a) PDFs cached / no PDFs", a, a_off),
                        ("(b) PDFs cached / no PDFs", b, b_off),
                        ("(b) PDFs cached / (c)", b, c), ("(b) no PDFs / (c)", b_off, c)):
        paired = sorted(p.wall / q.wall for p, q in zip(x.samples or (), y.samples or (),
                                                        strict=True))
        print(f"  {label}: {x.wall / y.wall:.2f}× of the medians (per round "
              f"{', '.join(f'{r:.2f}' for r in paired)}); peak RSS {x.rss_mib / y.rss_mib:.2f}×")
    print(f"  per page: (b) {b.wall / pages * 1000:.1f} ms, (c) "
          f"{c.wall / html_pages(tmp / 'out' / 'c') * 1000:.1f} ms")
    ratio = b.wall / c.wall
    print(f"\nTargets: repo site < {TARGET_REPO_S:.0f} s → {a.wall:.2f} s (PDFs cached), "
          f"{a_cold.wall:.2f} s (rendered): {'met' if a_cold.wall < TARGET_REPO_S else 'NOT met'}"
          f"; overhead (b)/(c) < {TARGET_OVERHEAD} → {ratio:.2f}: "
          f"{'met' if ratio < TARGET_OVERHEAD else 'NOT met'}")
    if cold:
        cold_run = bc.Figure("(b) generated, PDFs rendered (1 run)", emptied(
            tmp / "pdf-cold", build_cmd(generated, tmp / "out" / "b-cold")), env=fresh)
        cold_run.add(bc.run_once(cold_run.cmd, env=cold_run.env))
        print(f"\n{bc.row(cold_run)} {pdfs(tmp / 'out' / 'b-cold'):>7} PDFs: "
              f"{cold_run.wall / b_off.wall:.1f}× the build without PDFs, "
              f"{(cold_run.wall - b_off.wall) / pdfs(tmp / 'out' / 'b-cold') * 1000:.0f} ms "
              "per PDF")
    grow(tmp, runs)
    if with_profile:
        profile_build(generated, plain, tmp / "out" / "profile", tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
