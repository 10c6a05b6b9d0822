"""Time `copier copy` and `copier update` of django-keel against Copier's floor.

    uv run --only-group test python benchmarks/generation.py [--runs 5] [--smoke]

The floor is a template this script builds: one question and two files (a
README and the answers file), committed to Git, so that Copier clones it as it
clones django-keel. Each run copies the floor and django-keel with `--defaults`
from their last commit, one after the other, so that machine noise hits both
alike; then it runs `copier update --defaults` on an unchanged, committed
django-keel project, which must leave nothing to commit. Prints the median and
spread of each, `copy / floor` and `update / copy` (of the medians). Bytecode
is compiled first (PYTHONDONTWRITEBYTECODE is set on these machines, so Copier
would otherwise compile its imports on every run), and every command runs in
this interpreter. `--template` times another checkout's last commit (main,
to compare a branch with). `--smoke` runs once: it proves that the script still runs,
and its figures mean nothing.
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The tests' harness: the clean environment.
sys.path.insert(0, str(ROOT / "tests"))
from harness.commands import CLEAN_ENV  # noqa: E402

COPIER = [sys.executable, "-m", "copier"]
FLOOR = {
    "copier.yml": "project_name:\n  type: str\n  default: My Project\n",
    "template/README.md.jinja": "# {{ project_name }}\n",
    "template/{{ _copier_conf.answers_file }}.jinja": (
        "{{ _copier_answers | to_nice_yaml }}\n"
    ),
}
FLOOR_SETTINGS = "_subdirectory: template\n_templates_suffix: .jinja\n"


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    """Seconds that cmd took; exits with its output if it failed."""
    started = time.perf_counter()
    result = subprocess.run(
        cmd, cwd=cwd, env=env or CLEAN_ENV, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"{' '.join(cmd)} failed:\n{result.stdout}{result.stderr}")
    return time.perf_counter() - started


def report(label: str, samples: list[float]) -> None:
    print(
        f"{label:<18} median {statistics.median(samples):6.2f} s   "
        f"min {min(samples):6.2f} s   max {max(samples):6.2f} s   (n={len(samples)})"
    )


def copy_command(template: Path, project: Path) -> list[str]:
    """`copier copy --defaults` of the template's last commit."""
    return [*COPIER, "copy", "--quiet", "--defaults", "--vcs-ref", "HEAD",
            str(template), str(project)]  # fmt: skip


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, env=CLEAN_ENV, capture_output=True, text=True,
        check=True,
    ).stdout  # fmt: skip


def commit_all(repo: Path) -> None:
    git("init", "-q", cwd=repo)
    git("add", "-A", cwd=repo)
    git("-c", "user.name=bench", "-c", "user.email=bench@example.com",
        "commit", "-qm", "init", cwd=repo)  # fmt: skip


def user_clone(repo: Path, work: Path) -> Path:
    """The committed template as a user's clone of it: packed, as a clone
    from a Git host is (a local clone would copy the loose objects, and Copier
    copies and removes them again on every run); a dirty work tree would make
    Copier copy from a commit that `copier update` cannot find."""
    clone = work / f"{repo.name}-clone"
    git("clone", "-q", "--no-local", str(repo), str(clone), cwd=work)
    return clone


def floor_template(work: Path) -> Path:
    """Copier's floor: the smallest template that still writes an answers file."""
    template = work / "floor"
    for name, text in FLOOR.items():
        path = template / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(FLOOR_SETTINGS + text if name == "copier.yml" else text)
    commit_all(template)
    return user_clone(template, work)


def compile_bytecode() -> None:
    """Compile Copier and its dependencies once."""
    for key in ("purelib", "platlib"):
        compileall.compile_dir(sysconfig.get_path(key), quiet=2, workers=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="one run of each")
    parser.add_argument(
        "--template", type=Path, default=ROOT, help="the django-keel checkout to time"
    )
    options = parser.parse_args()
    runs = 1 if options.smoke else options.runs
    compile_bytecode()
    floor, copy, update = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        template = floor_template(work)
        keel = user_clone(options.template.resolve(), work)
        project = work / "updated"
        timed(copy_command(keel, project), cwd=work)
        commit_all(project)
        for run in range(runs):
            print(f"run {run + 1}/{runs}", file=sys.stderr)
            floor.append(timed(copy_command(template, work / f"floor{run}"), work))
            copy.append(timed(copy_command(keel, work / f"keel{run}"), work))
            update.append(
                timed([*COPIER, "update", "--quiet", "--defaults", "--vcs-ref",
                       "HEAD"], cwd=project)  # fmt: skip
            )
            if changed := git("status", "--porcelain", cwd=project):
                sys.exit(f"copier update changed an unchanged project:\n{changed}")
    report("copy, floor", floor)
    report("copy, django-keel", copy)
    report("update, unchanged", update)
    median = statistics.median
    print(f"{'copy / floor':<18} {median(copy) / median(floor):.2f}")
    print(f"{'update / copy':<18} {median(update) / median(copy):.2f}")


if __name__ == "__main__":
    main()
