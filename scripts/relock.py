"""Re-lock the generated project into template/uv.lock.jinja, for every option.

`uv run noxfile.py -s lock` runs this in the template's test environment; extra
arguments reach the first `uv lock` (`-- --upgrade` moves every unpinned
dependency to its newest release).

1. Render the project with every dependency option on, and `uv lock` it,
   keeping the pins of the current template/uv.lock.jinja.
2. For every combination of those options, render it, copy that lock in and
   `uv lock` again: uv keeps every locked version and drops what the
   combination does not need, so all combinations agree on versions.
3. Merge the locks into one template. A line that every combination has is
   written as is; any other is wrapped in `{%- if ... %}` / `{%- endif %}`,
   with the condition under which it appears. Package blocks are compared
   whole, the root project's block and the header line by line.

The template then renders, for each combination, byte for byte the lock that
uv wrote for it (tests/fast/test_lock.py checks this with `uv lock --check`).
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from copier_options import dependency_switches

ROOT = Path(__file__).resolve().parent.parent
LOCK_TEMPLATE = ROOT / "template" / "uv.lock.jinja"
PLACEHOLDER = "keel_lock_placeholder"
PLACEHOLDER_NAME = 'name = "keel-lock-placeholder"'
NAME_TEMPLATE = 'name = "{{ project_slug | replace("_", "-") }}"'

# The options that add or remove dependencies in template/pyproject.toml.jinja,
# read from copier.yml (scripts/copier_options.py), each with the answer that
# adds dependencies and the one that does not.
DEPENDENCY_OPTIONS: dict[str, tuple[str, str]] = {
    name: (switch.on, switch.off) for name, switch in dependency_switches().items()
}

Combination = frozenset[str]


def combinations() -> list[Combination]:
    """Every subset of DEPENDENCY_OPTIONS, as the set of options that are on."""
    return [
        frozenset(itertools.compress(DEPENDENCY_OPTIONS, switches))
        for switches in itertools.product((True, False), repeat=len(DEPENDENCY_OPTIONS))
    ]


def answers(on: Combination) -> dict[str, str]:
    return {
        name: on_answer if name in on else off_answer
        for name, (on_answer, off_answer) in DEPENDENCY_OPTIONS.items()
    }


def test(name: str) -> str:
    """The Jinja test that an option is on: its name, or a comparison for a choice."""
    on_answer, off_answer = DEPENDENCY_OPTIONS.get(name, ("true", "false"))
    if (on_answer, off_answer) == ("true", "false"):
        return name
    return f'{name} == "{on_answer}"'


def run(cmd: Sequence[str | Path]) -> None:
    print("$", " ".join(map(str, cmd)), file=sys.stderr, flush=True)
    subprocess.run([str(part) for part in cmd], check=True)


def render(destination: Path, on: Combination) -> None:
    data = [
        arg
        for name, value in {"project_slug": PLACEHOLDER, **answers(on)}.items()
        for arg in ("--data", f"{name}={value}")
    ]
    run(
        [sys.executable, "-m", "copier", "copy", "--quiet", "--defaults",
         "--vcs-ref", "HEAD", *data, ROOT, destination]
    )  # fmt: skip


def lock(project: Path, previous: Path, *args: str) -> str:
    """uv lock `project`, starting from the `previous` lock; return the result."""
    shutil.copyfile(previous, project / "uv.lock")
    run(["uv", "lock", "--directory", project, *args])
    return (project / "uv.lock").read_text()


def units(text: str) -> list[tuple[str, ...]]:
    """Split a lock into lines (header, root project) and whole package blocks.

    A package block keeps the blank line before it, so that removing it leaves
    exactly one blank line between the blocks around it.
    """
    header, *blocks = text.split("\n\n[[package]]\n")
    found: list[tuple[str, ...]] = [(line,) for line in header.split("\n")]
    for block in blocks:
        lines = ["", "[[package]]", *block.rstrip("\n").split("\n")]
        if (
            'source = { editable = "." }' in lines
            or 'source = { virtual = "." }' in lines
        ):
            found.extend((line,) for line in lines)
        else:
            found.append(tuple(lines))
    return found


def align(full: list[tuple[str, ...]], part: list[tuple[str, ...]]) -> list[int]:
    """Indexes in `full` of the units of `part`, which must be a subsequence."""
    indexes, position = [], 0
    for unit in part:
        while position < len(full) and full[position] != unit:
            position += 1
        if position == len(full):
            raise SystemExit(f"relock: not in the all-options lock: {unit[:3]}")
        indexes.append(position)
        position += 1
    return indexes


def condition(present: set[Combination], every: list[Combination]) -> str | None:
    """The Jinja condition under which a unit appears; None when it always does."""
    if len(present) == len(every):
        return None
    for on in present:
        for other in every:
            if on <= other and other not in present:
                raise SystemExit(
                    f"relock: a line present with {sorted(on)} on is missing "
                    f"with {sorted(other)} on: the options are not monotone"
                )
    minimal = [on for on in present if not any(other < on for other in present)]
    terms = sorted(" and ".join(sorted(map(test, on))) for on in minimal)
    if len(terms) == 1:
        return terms[0]
    return " or ".join(f"({term})" if " and " in term else term for term in terms)


def merge(locks: dict[Combination, str]) -> str:
    """One Jinja template that renders each combination's lock exactly."""
    every = list(locks)
    full_combination = max(every, key=len)
    full = units(locks[full_combination])
    present: list[set[Combination]] = [set() for _ in full]
    for on, text in locks.items():
        for index in align(full, units(text)):
            present[index].add(on)

    out: list[str] = []
    open_condition: str | None = None
    for unit, where in zip(full, present):
        if not where:
            raise SystemExit(f"relock: in no combination: {unit[:3]}")
        wanted = condition(where, every)
        if wanted != open_condition:
            if open_condition is not None:
                if not out[-1]:
                    raise SystemExit("relock: a condition would end on a blank line")
                out.append("{%- endif %}")
            if wanted is not None:
                if not out or not out[-1]:
                    raise SystemExit("relock: a condition would follow a blank line")
                out.append(f"{{%- if {wanted} %}}")
            open_condition = wanted
        out.extend(unit)
    if open_condition is not None:
        out.append("{%- endif %}")
    text = "\n".join(out) + "\n"
    if text.count(PLACEHOLDER_NAME) != 1:
        raise SystemExit("relock: the project's own name is not in the lock once")
    return text.replace(PLACEHOLDER_NAME, NAME_TEMPLATE)


def main(args: list[str]) -> None:
    every = combinations()
    full_combination = every[0]
    with tempfile.TemporaryDirectory() as tmp:
        seed = Path(tmp) / "seed.lock"
        render(Path(tmp) / "seed", full_combination)
        seed.write_text((Path(tmp) / "seed" / "uv.lock").read_text())
        locks: dict[Combination, str] = {}
        for number, on in enumerate(every):
            project = Path(tmp) / f"combination-{number}"
            render(project, on)
            if on == full_combination:
                locks[on] = lock(project, seed, *args)
                seed.write_text(locks[on])
            else:
                locks[on] = lock(project, seed)
    LOCK_TEMPLATE.write_text(merge(locks))
    print(f"{LOCK_TEMPLATE.relative_to(ROOT)} rewritten; review and commit it.")


if __name__ == "__main__":
    main(sys.argv[1:])
