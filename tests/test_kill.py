"""``kill -9`` in the middle of ``segment`` and ``pretranslate`` loses nothing (issue 13).

A few trials of ``scripts/fault_campaign.py`` on copies of the bundled project:
every catalog still parses, every translation present before is still there
(active or kept as obsolete) and no approved unit changed. The full campaign
is the script itself: ``.venv/bin/python scripts/fault_campaign.py --trials 100``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]


def _campaign() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "fault_campaign", REPO / "scripts" / "fault_campaign.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fault_campaign"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_kill_9_mid_run_loses_nothing(tmp_path: Path) -> None:
    campaign = _campaign()
    report = campaign.run_campaign(3, seed=13, locales=["de"], rerun=False, work=tmp_path)
    assert report.trials == 6
    assert report.kills >= report.trials // 2  # delays fall within an uninterrupted run
    assert report.kills_after_writing >= 1  # ... mostly after it began writing catalogs
    assert report.corrupted_files == 0, report.problems
    assert report.lost_translations == 0, report.problems
    assert report.reviewed_changed == 0, report.problems
