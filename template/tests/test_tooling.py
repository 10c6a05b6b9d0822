"""The tools pre-commit installs are the ones locked for nox and CI."""

import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_pre_commit_hooks_pin_the_locked_versions() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    locked = {package["name"]: package["version"] for package in lock["package"]}
    pins = [
        requirement
        for repo in hooks["repos"]
        for hook in repo["hooks"]
        for requirement in hook.get("additional_dependencies", [])
    ]
    assert pins
    for requirement in pins:
        name, _, version = requirement.partition("==")
        assert version, f"{requirement} is not pinned with =="
        assert name in locked, f"{name} is in no dependency group of pyproject.toml"
        assert locked[name] == version, f"uv.lock has {name} {locked[name]}"
