"""The registry: each finding code names the check that raises it, and each check its codes."""

from __future__ import annotations

import importlib
from pathlib import Path

from policytools.checks import registry, runner
from policytools.rules import RULES

# Codes raised outside a registered check: by the reader, the runner and the baseline.
RAISERS = {"parse.read_document", "runner.run_checks", "baseline.judge"}


def test_every_code_names_its_check_and_every_check_its_codes() -> None:
    runner._register()
    named = {(rule.check, code) for code, rule in RULES.items() if rule.check not in RAISERS}
    declared = {(check, code) for check, codes in registry.CODES.items() for code in codes}
    assert named == declared


def test_the_other_raisers_exist() -> None:
    for name in RAISERS:
        module, _, function = name.partition(".")
        package = "policytools" if module in ("parse", "baseline") else "policytools.checks"
        assert callable(getattr(importlib.import_module(f"{package}.{module}"), function))


def test_every_check_module_registers_with_the_registry_not_the_package() -> None:
    runner._register()
    checks = [*registry.DOCUMENT_CHECKS, *registry.PAIR_CHECKS, *registry.PROJECT_CHECKS]
    assert {registry.check_name(c) for c in checks} == set(registry.CODES)
    for check in checks:
        source = importlib.import_module(check.__module__).__file__
        assert source is not None
        assert "from . import" not in Path(source).read_text(encoding="utf-8")
