"""The recipes: the pre-commit hooks, the GitHub workflow and the GitLab job of docs/ci.md.

The workflow and the GitLab job cannot run here: they are validated against their schemas, and
every `policy` and `mkdocs` line they run is run for real on a copy of the repository. The
hooks run through the real pre-commit on a temporary git repository holding a policy project.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

from conftest import REPO, edit_file

SCHEMAS = Path(__file__).parent / "schemas"
WORKFLOW = REPO / ".github" / "workflows" / "policy.yml"
CI_DOC = REPO / "docs" / "ci.md"
HOOKS = REPO / ".pre-commit-hooks.yaml"
BIN = Path(sys.executable).parent
# What a policy repository holds: the text, the ledger and archive, and the site's settings.
PROJECT = ("locales", "policy", "site_overrides", "mkdocs.yml")
# The drift planted in the Dutch: an e-mail address the English does not have.
DUTCH = "locales/nl/privacy.md"
DRIFT = ("legal@westcon.com\n", "legal@example.org\n")
EMAIL_MESSAGE = ("§7 (rights): the Dutch gives the e-mail address legal@example.org, which the "
                 "English does not have")
ANNOTATION = re.compile(r"::(error|warning|notice) file=[^,:]+,line=\d+,title=policy [a-z-]+::.+")
# Keywords of .gitlab-ci.yml that are not jobs.
GITLAB_GLOBALS = {"workflow", "default", "variables", "cache", "stages", "include", "image",
                  "services", "before_script", "after_script"}


@dataclass(frozen=True)
class Command:
    """One command line of a recipe, with the variables the recipe sets for it."""

    where: str
    line: str
    env: Mapping[str, str]

    @property
    def argv(self) -> list[str]:
        return shlex.split(self.line)


def _load_yaml(text: str) -> Any:
    # YAML 1.2 (ruamel's safe loader): the workflow's `on:` stays a string, not true.
    return YAML(typ="safe").load(text)


def _workflow() -> dict[str, Any]:
    data: dict[str, Any] = _load_yaml(WORKFLOW.read_text(encoding="utf-8"))
    return data


def _gitlab_ci() -> dict[str, Any]:
    """The `.gitlab-ci.yml` documented in docs/ci.md: the fenced block that names itself so."""
    blocks = re.findall(r"^```yaml\n(# \.gitlab-ci\.yml\n.*?)^```$", CI_DOC.read_text("utf-8"),
                        flags=re.MULTILINE | re.DOTALL)
    assert len(blocks) == 1, "docs/ci.md documents one .gitlab-ci.yml"
    data: dict[str, Any] = _load_yaml(blocks[0])
    return data


def _schema_errors(schema: str, document: Any) -> list[str]:
    validator = jsonschema.Draft7Validator(json.loads((SCHEMAS / schema).read_text("utf-8")))
    return [f"{list(error.absolute_path)}: {error.message[:200]}"
            for error in validator.iter_errors(document)]


def _tool_lines(where: str, script: str | list[str], env: Mapping[str, str]) -> list[Command]:
    """The lines of a step that call `policy` or `mkdocs` (the rest installs them)."""
    lines = script.splitlines() if isinstance(script, str) else script
    return [Command(where, line.strip(), env) for line in lines
            if line.strip().split(" ", 1)[0] in ("policy", "mkdocs")]


def _env(*layers: Mapping[str, Any] | None) -> dict[str, str]:
    merged: dict[str, str] = {}
    for layer in layers:
        merged.update({key: str(value) for key, value in (layer or {}).items()})
    return merged


def github_commands(workflow: Mapping[str, Any]) -> list[Command]:
    """Every `policy` and `mkdocs` line of the workflow's `run:` steps, job by job."""
    commands: list[Command] = []
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            if "run" in step:
                env = _env(workflow.get("env"), job.get("env"), step.get("env"))
                commands += _tool_lines(f"{job_id}: {step.get('name', step['run'])}",
                                        step["run"], env)
    return commands


def gitlab_commands(ci: Mapping[str, Any]) -> list[Command]:
    """Every `policy` and `mkdocs` line of the GitLab jobs' scripts, job by job."""
    commands: list[Command] = []
    for job_id, job in ci.items():
        if job_id in GITLAB_GLOBALS or job_id.startswith("."):
            continue
        # Variables naming GitLab's own ($CI_…) exist only there; none concerns these commands.
        env = {key: value for key, value in _env(ci.get("variables"), job.get("variables")).items()
               if "$" not in value}
        for key in ("before_script", "script", "after_script"):
            commands += _tool_lines(f"{job_id}: {key}", job.get(key, []), env)
    return commands


def _policy_project(root: Path) -> Path:
    """A copy of the repository's policy project (no tool code) at ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    for name in PROJECT:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy2(source, root / name)
    return root


def _plant_drift(root: Path) -> int:
    """Change an e-mail address in the Dutch; return the line it is on."""
    path = root / DUTCH
    edit_file(path, *DRIFT)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    return lines.index(DRIFT[1]) + 1


def _run(command: Command, root: Path) -> subprocess.CompletedProcess[str]:
    # Each line is run without a shell: nothing in it may need one.
    assert not re.search(r"[|&;<>$`\\]", command.line), command
    env = {**os.environ, **command.env, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(command.argv, cwd=root, env=env, capture_output=True, text=True,
                          timeout=600, check=False)


def _option(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def _assert_sarif(path: Path) -> dict[str, Any]:
    sarif: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    assert _schema_errors("sarif-schema-2.1.0.json", sarif) == []
    return sarif


def _sarif_results(sarif: Mapping[str, Any], rule: str) -> list[tuple[str, int, str]]:
    return [(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
             result["locations"][0]["physicalLocation"]["region"]["startLine"],
             result["message"]["text"])
            for run in sarif["runs"] for result in run["results"]
            if result["ruleId"] == rule and "suppressions" not in result]


# --- the GitHub workflow -------------------------------------------------------------------


def test_workflow_is_valid_against_the_github_workflow_schema() -> None:
    assert _schema_errors("github-workflow.json", _workflow()) == []


def test_the_workflow_schema_catches_a_misspelt_key() -> None:
    workflow = _workflow()
    workflow["jobs"]["check"]["step"] = workflow["jobs"]["check"].pop("steps")
    assert _schema_errors("github-workflow.json", workflow)


def test_workflow_runs_on_pull_requests_and_pushes_to_main() -> None:
    on = _workflow()["on"]
    assert "pull_request" in on
    assert on["push"] == {"branches": ["main"]}


def test_workflow_pins_every_action_to_a_major_version() -> None:
    uses = [step["uses"] for job in _workflow()["jobs"].values()
            for step in job["steps"] if "uses" in step]
    assert {use.split("@")[0] for use in uses} >= {
        "actions/checkout", "actions/setup-python", "github/codeql-action/upload-sarif",
        "actions/upload-pages-artifact", "actions/deploy-pages"}
    assert [use for use in uses if not re.fullmatch(r"[\w./-]+@v\d+", use)] == []


def test_workflow_uploads_the_sarif_file_policy_check_writes() -> None:
    job = _workflow()["jobs"]["check"]
    assert job["permissions"]["security-events"] == "write"
    sarif_runs = [step for step in job["steps"] if "--format sarif" in step.get("run", "")]
    (upload,) = [step for step in job["steps"]
                 if step.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert len(sarif_runs) == 1
    assert sarif_runs[0]["if"] == "always()"
    assert upload["if"].startswith("always() && ")
    assert upload["with"]["sarif_file"] == _option(shlex.split(sarif_runs[0]["run"]), "--output")


def test_workflow_publishes_the_built_site_from_main_only() -> None:
    jobs = _workflow()["jobs"]
    site_dir = _load_yaml((REPO / "mkdocs.yml").read_text(encoding="utf-8"))["site_dir"]
    main_only = "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    (upload,) = [step for step in jobs["site"]["steps"]
                 if step.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert (upload["with"]["path"], upload["if"]) == (site_dir, main_only)
    deploy = jobs["deploy"]
    assert deploy["if"] == main_only
    assert set(deploy["needs"]) == {"check", "site"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]


def test_workflow_commands_are_the_documented_ones() -> None:
    doc = CI_DOC.read_text(encoding="utf-8")
    lines = [command.line for command in github_commands(_workflow())]
    assert [line for line in lines if f"`{line}`" not in doc] == []
    assert {command.argv[1] for command in github_commands(_workflow())} == {
        "check", "verify", "build"}


def test_workflow_commands_pass_on_the_repository(tmp_path: Path) -> None:
    root = _policy_project(tmp_path / "repo")
    for command in github_commands(_workflow()):
        done = _run(command, root)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        if "--format github" in command.line:
            annotations = [line for line in done.stdout.splitlines() if line.startswith("::")]
            assert annotations
            assert [line for line in annotations if not ANNOTATION.fullmatch(line)] == []
            assert [line for line in annotations if line.startswith("::error")] == []
        if "--format sarif" in command.line:
            sarif = _assert_sarif(root / _option(command.argv, "--output"))
            assert sarif["runs"][0]["tool"]["driver"]["name"] == "policy"
    assert (root / "site" / "privacy" / "index.html").is_file()
    assert (root / "site" / "nl" / "privacy" / "index.html").is_file()


def _run_on_drift(commands: list[Command], root: Path
                  ) -> tuple[int, dict[str, subprocess.CompletedProcess[str]]]:
    """Plant drift in a copy of the project, run the `policy` commands: (drift's line, results)."""
    line = _plant_drift(_policy_project(root))
    return line, {command.line: _run(command, root) for command in commands
                  if command.argv[0] == "policy"}


def test_workflow_commands_annotate_planted_drift(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    line, results = _run_on_drift(github_commands(_workflow()), root)
    github = results["policy check --format github"]
    assert github.returncode == 1, github.stderr
    assert (f"::error file={DUTCH},line={line},title=policy fact-email::{EMAIL_MESSAGE}"
            in github.stdout.splitlines())
    assert results["policy check --format sarif --output policy.sarif"].returncode == 1
    sarif = _assert_sarif(root / "policy.sarif")
    assert (DUTCH, line, EMAIL_MESSAGE) in _sarif_results(sarif, "fact-email")
    assert results["policy verify"].returncode == 0


# --- the GitLab job of docs/ci.md ----------------------------------------------------------


def test_gitlab_recipe_is_valid_against_the_gitlab_ci_schema() -> None:
    assert _schema_errors("gitlab-ci.json", _gitlab_ci()) == []


def test_the_gitlab_schema_catches_a_misspelt_key() -> None:
    ci = _gitlab_ci()
    ci["policy"]["scripts"] = ci["policy"].pop("script")
    assert _schema_errors("gitlab-ci.json", ci)


def test_gitlab_recipe_runs_the_workflow_commands() -> None:
    """The same checks as the workflow; only the output formats GitLab cannot read differ."""
    gitlab = {command.line for command in gitlab_commands(_gitlab_ci())}
    github = {command.line for command in github_commands(_workflow())}
    assert gitlab - github == {"policy check", "mkdocs build --strict --site-dir public"}
    assert github - gitlab == {"policy check --format github"}


def test_gitlab_artifacts_are_the_files_the_commands_write() -> None:
    ci = _gitlab_ci()
    (sarif,) = [c for c in gitlab_commands(ci) if "--format sarif" in c.line]
    assert ci["policy"]["artifacts"] == {"when": "always", "expose_as": "policy findings SARIF",
                                         "paths": [_option(sarif.argv, "--output")]}
    (pages,) = [c for c in gitlab_commands(ci) if c.where.startswith("pages:")]
    assert ci["pages"]["artifacts"]["paths"] == [_option(pages.argv, "--site-dir")]
    assert ci["pages"]["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]


def test_gitlab_commands_pass_on_the_repository(tmp_path: Path) -> None:
    root = _policy_project(tmp_path / "repo")
    for command in gitlab_commands(_gitlab_ci()):
        done = _run(command, root)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
    _assert_sarif(root / "policy.sarif")
    assert (root / "public" / "privacy" / "index.html").is_file()
    assert (root / "site" / "privacy" / "index.html").is_file()


def test_gitlab_commands_report_planted_drift_in_the_log(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    line, results = _run_on_drift(gitlab_commands(_gitlab_ci()), root)
    check = results["policy check"]
    assert check.returncode == 1
    assert f"{DUTCH}:{line}: error [fact-email] {EMAIL_MESSAGE}" in check.stdout.splitlines()
    sarif = _assert_sarif(root / "policy.sarif")
    assert (DUTCH, line, EMAIL_MESSAGE) in _sarif_results(sarif, "fact-email")


# --- pre-commit ----------------------------------------------------------------------------


def _hooks() -> dict[str, dict[str, Any]]:
    return {hook["id"]: hook for hook in _load_yaml(HOOKS.read_text(encoding="utf-8"))}


def _git_env(pre_commit_home: Path | None = None) -> dict[str, str]:
    """The environment with no git or pre-commit settings of the machine or an outer hook."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("GIT_", "PRE_COMMIT")) and key != "SKIP"}
    env.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1",
               PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}")
    if pre_commit_home is not None:
        env["PRE_COMMIT_HOME"] = str(pre_commit_home)
    return env


def _git(root: Path, *args: str, env: Mapping[str, str] | None = None,
         check: bool = True) -> subprocess.CompletedProcess[str]:
    command = ["git", "-c", "user.name=Policy Tests", "-c", "user.email=tests@example.invalid",
               "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args]
    done = subprocess.run(command, cwd=root, env=env or _git_env(), capture_output=True,
                          text=True, timeout=900, check=False)
    assert not check or done.returncode == 0, (args, done.stdout, done.stderr)
    return done


def _hook_repository(folder: Path) -> str:
    """This package as a hook repository at ``folder``: one commit, the same for the same tree."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    listed = _git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--",
                  "pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "tools").stdout
    for name in filter(None, listed.split("\0")):
        if (REPO / name).is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, folder / name)
    _git(folder, "init", "-q")
    _git(folder, "add", "-A")
    fixed = {**_git_env(), "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
             "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z"}
    _git(folder, "commit", "-q", "-m", "policytools hooks", env=fixed)
    return _git(folder, "rev-parse", "HEAD").stdout.strip()


@pytest.fixture(scope="module")
def hook_repository(request: pytest.FixtureRequest,
                    tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path]:
    """(hook repository, its commit, PRE_COMMIT_HOME), kept in the pytest cache between runs.

    The hook's environment (this package and its dependencies, installed from the package
    index) takes a minute or two to build: it is reused while the package's files are unchanged.
    """
    cache = getattr(request.config, "cache", None)
    base = (Path(cache.mkdir("pre-commit")) if cache is not None
            else tmp_path_factory.mktemp("pre-commit"))
    rev = _hook_repository(base / "hook-repo")
    home = base / f"home-{rev[:12]}"
    for stale in base.glob("home-*"):
        if stale != home:
            shutil.rmtree(stale)
    return base / "hook-repo", rev, home


def test_hooks_manifest_is_valid_for_pre_commit() -> None:
    done = subprocess.run([str(BIN / "pre-commit"), "validate-manifest", str(HOOKS)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(("path", "check", "verify"), [
    ("locales/nl/privacy.md", True, False),
    ("locales/en/site.yml", True, False),
    ("policy/releases.yml", True, True),
    ("policy/archive/2026-11-23/nl/privacy.md", True, True),
    ("mkdocs.yml", True, False),
    ("README.md", False, False),
    ("docs/mkdocs.yml", False, False),
    ("tools/policytools/cli.py", False, False),
])
def test_hooks_run_only_when_policy_content_changes(path: str, check: bool, verify: bool) -> None:
    hooks = _hooks()
    assert bool(re.search(hooks["policy-check"]["files"], path)) is check
    assert bool(re.search(hooks["policy-verify"]["files"], path)) is verify


def test_hooks_run_the_cli_on_the_whole_project() -> None:
    hooks = _hooks()
    assert {hook_id: (hook["entry"], hook["language"], hook["pass_filenames"],
                      hook["always_run"]) for hook_id, hook in hooks.items()} == {
        "policy-check": ("policy check", "python", False, False),
        "policy-verify": ("policy verify", "python", False, False),
    }


def test_pre_commit_hooks_on_a_policy_repository(
        tmp_path: Path, hook_repository: tuple[Path, str, Path]) -> None:
    hook_repo, rev, home = hook_repository
    root = _policy_project(tmp_path / "policy-repo")
    (root / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n"
        "      - id: policy-check\n      - id: policy-verify\n", encoding="utf-8")
    env = _git_env(home)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "The policy")

    clean = _pre_commit(root, env, "run", "--all-files")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert re.search(r"^policy check\.+Passed$", clean.stdout, re.MULTILINE), clean.stdout
    assert re.search(r"^policy verify\.+Passed$", clean.stdout, re.MULTILINE), clean.stdout

    assert _pre_commit(root, env, "install").returncode == 0
    (root / "NOTES.txt").write_text("Not policy content.\n", encoding="utf-8")
    _git(root, "add", "NOTES.txt")
    # git hands a hook's output to standard error.
    unrelated = _git(root, "commit", "-m", "Notes", env=env).stderr
    assert re.search(r"^policy check\.+\(no files to check\)Skipped$", unrelated,
                     re.MULTILINE), unrelated

    line = _plant_drift(root)
    _git(root, "add", DUTCH)
    head = _git(root, "rev-parse", "HEAD").stdout
    committed = _git(root, "commit", "-m", "Drift", env=env, check=False)
    drift = committed.stderr
    assert committed.returncode == 1, drift
    assert re.search(r"^policy check\.+Failed$", drift, re.MULTILINE), drift
    assert "- exit code: 1" in drift
    assert f"{DUTCH}:{line}: error [fact-email] {EMAIL_MESSAGE}" in drift.splitlines()
    assert re.search(r"^policy verify\.+\(no files to check\)Skipped$", drift,
                     re.MULTILINE), drift
    assert _git(root, "rev-parse", "HEAD").stdout == head

    _git(root, "reset", "-q", "--hard")
    (archived,) = [path.relative_to(root).as_posix()
                   for path in root.glob(f"policy/archive/*/{DUTCH.removeprefix('locales/')}")
                   if path.parent.parent.name == "2026-11-23"]
    with (root / archived).open("a", encoding="utf-8") as file:
        file.write("An edit after the release.\n")
    _git(root, "add", archived)
    committed = _git(root, "commit", "-m", "Tamper", env=env, check=False)
    tampered = committed.stderr
    assert committed.returncode == 1, tampered
    assert re.search(r"^policy verify\.+Failed$", tampered, re.MULTILINE), tampered
    assert (f"{archived}: error [archive-modified] {archived} was changed after release "
            "2026-11-23: released text is never edited; restore it and make a new release "
            "instead") in tampered.splitlines()
    assert _git(root, "rev-parse", "HEAD").stdout == head


def _pre_commit(root: Path, env: Mapping[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "pre-commit"), *args], cwd=root, env=env,
                          capture_output=True, text=True, timeout=900, check=False)
