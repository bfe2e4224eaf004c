"""Benchmark: ``transflow.qa.run_checks`` over many synthetic German units.

Baseline: the same run with every check disabled (the loop and locale lookup
alone). Each check is then timed alone, and all together; ratios are against
the baseline measured in this run. Targets are real sentences of the Bonn
appeals with careful German translations, made unique per unit (a letter code
prepended) so no cache helps.

    python bench/bench_qa.py [--quick]
"""

from __future__ import annotations

import argparse
import time

from transflow.qa import CHECKS, QAConfig, QAUnit, run_checks
from transflow.unit import State

PAIRS = [
    (
        "More than 40 journalists, including 9 women, are currently imprisoned.",
        "Mehr als 40 Journalisten, darunter 9 Frauen, sind derzeit inhaftiert.",
    ),
    (
        "In total, about 400 political prisoners are held in Azerbaijani prisons.",
        "Insgesamt werden etwa 400 politische Gefangene in aserbaidschanischen Gefängnissen "
        "festgehalten.",
    ),
    (
        "The founders, editors-in-chief, and leading journalists of the “AbzasMedia” portal, "
        "“Meydan TV,” and “Toplum TV” have been imprisoned.",
        "Die Gründer, Chefredakteure und führenden Journalisten des Portals „AbzasMedia“, "
        "von „Meydan TV“ und „Toplum TV“ wurden inhaftiert.",
    ),
    (
        "Between 2021–2024, four political refugees were assassinated in Europe.",
        "Zwischen 2021 und 2024 wurden in Europa vier politische Flüchtlinge ermordet.",
    ),
    ("Dear Minister,", "Sehr geehrter Herr Minister,"),
    (
        "The natural right of 10 million citizens to free movement has been violated, and "
        "lawlessness by police and officials prevails.",
        "Das natürliche Recht von 10 Millionen Bürgern auf Freizügigkeit wird verletzt, und "
        "es herrscht Willkür von Polizei und Beamten.",
    ),
    (
        "Investigations are ongoing in both cases.",
        "In beiden Fällen dauern die Ermittlungen an.",
    ),
    ("October 25, 2025, Bonn, Germany", "25. Oktober 2025, Bonn, Deutschland"),
    (
        "We invite the German government and the Foreign Ministry to cooperate in these efforts.",
        "Wir laden die Bundesregierung und das Auswärtige Amt ein, bei diesen Bemühungen "
        "zusammenzuarbeiten.",
    ),
    (
        "Unfortunately, in many cases, the German government has made concessions to the "
        "Aliyev regime.",
        "Leider hat die Bundesregierung dem Alijew-Regime in vielen Fällen Zugeständnisse gemacht.",
    ),
]


def _code(i: int) -> str:
    """A unique letter-only word for unit ``i`` (no digits, so it adds no numbers)."""
    letters = ""
    while True:
        i, rest = divmod(i, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[rest]
        if not i:
            return "Q" + letters


def make_units(n: int) -> list[QAUnit]:
    units = []
    for i in range(n):
        source, target = PAIRS[i % len(PAIRS)]
        code = _code(i)
        units.append(
            QAUnit(
                unit_id=f"u{i}",
                doc=f"doc{i // 1000}",
                locale="de",
                source=f"{code} {source}",
                target=f"{code} {target}",
                state=State.REVIEWED if i % 3 else State.MACHINE,
                flags=() if i % 3 else ("fuzzy", "machine"),
            )
        )
    return units


def timed(units: list[QAUnit], config: QAConfig) -> tuple[float, int]:
    start = time.perf_counter()
    findings = run_checks(units, config)
    return time.perf_counter() - start, len(findings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10,000 units instead of 100,000")
    args = parser.parse_args()
    n = 10_000 if args.quick else 100_000
    units = make_units(n)
    names = list(CHECKS)
    run_checks(units[:100])  # warm up: locale rules, lazy imports
    baseline, _ = timed(units, QAConfig(disable=frozenset(names)))
    print(f"{n:,} German units; baseline (all checks disabled): {baseline:.3f} s")
    print(f"{'check':24} {'seconds':>8} {'× baseline':>11} {'findings':>9}")
    for name in names:
        seconds, count = timed(units, QAConfig(disable=frozenset(names) - {name}))
        print(f"{name:24} {seconds:8.3f} {seconds / baseline:11.1f} {count:9,}")
    seconds, count = timed(units, QAConfig())
    per_unit = seconds / n * 1e6
    print(
        f"{'all checks':24} {seconds:8.3f} {seconds / baseline:11.1f} {count:9,}"
        f"   ({per_unit:.1f} µs per unit)"
    )


if __name__ == "__main__":
    main()
