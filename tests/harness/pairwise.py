"""A small all-pairs builder: option combinations that test every pair of answers.

For any two questions and any answer of each, some row gives both answers: a
covering array of strength 2. Rows are added greedily: from each pair no row has
yet, a row is grown question by question, taking the answer that covers the
most pairs still missing, and the row that covers the most is kept. Ties go to
the earlier pair or answer, so the matrix is the same on every run.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

Row = dict[str, str]
Pair = tuple[tuple[str, str], tuple[str, str]]


def pairs(row: Row, names: Iterable[str]) -> set[Pair]:
    """The pairs of answers a row holds, among the questions it answers."""
    answered = [name for name in names if name in row]
    return {
        ((first, row[first]), (second, row[second]))
        for first, second in itertools.combinations(answered, 2)
    }


def every_pair(factors: dict[str, list[str]]) -> set[Pair]:
    return {
        ((first, a), (second, b))
        for first, second in itertools.combinations(factors, 2)
        for a in factors[first]
        for b in factors[second]
    }


def all_pairs(factors: dict[str, list[str]], seeds: list[Row]) -> list[Row]:
    """Rows that, with ``seeds``, hold every pair of answers of ``factors``."""
    names = list(factors)
    missing = every_pair(factors)
    for seed in seeds:
        missing -= pairs(seed, names)
    rows: list[Row] = []
    while missing:
        candidates = [grown(start, factors, missing) for start in sorted(missing)]
        row = max(candidates, key=lambda row: len(pairs(row, names) & missing))
        missing -= pairs(row, names)
        rows.append(row)
    return rows


def grown(start: Pair, factors: dict[str, list[str]], missing: set[Pair]) -> Row:
    """A row from one missing pair, each other answer the one that covers the
    most missing pairs."""
    (first, a), (second, b) = start
    row = {first: a, second: b}
    for name in factors:
        if name not in row:
            row[name] = max(
                factors[name],
                key=lambda answer: len(pairs({**row, name: answer}, factors) & missing),
            )
    return {name: row[name] for name in factors}
