# SPDX-License-Identifier: Apache-2.0
"""The measurements of one tree, and the targets they are held to.

Targets (from the project's performance issue), per tree, all against
``scancode -l -c -n CORES`` on the same tree in the same run:

1. first scan, empty cache: at least 3x faster than ScanCode (the aim is 10x);
2. the same per-file licenses and copyrights as ScanCode;
3. rescan with nothing changed: at least 50x faster than ScanCode, and
4. within 2x of the floor (walking, reading and hashing every file);
5. rescan after changing one file: within 2x of (no-change rescan + a scan of that one
   file alone with an empty cache).

Repeated steps are summarised by their median wall time.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from benchlib.compare import Comparison
from benchlib.measure import Measurement
from benchlib.trees import TreeSpec

COLD_MIN, COLD_AIM = 3.0, 10.0
WARM_MIN = 50.0
FLOOR_MAX = 2.0
CHANGE_MAX = 2.0
#: Another process using more than this share of a core during a step makes it "shared".
SHARED_CORES = 0.25


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    """One or more runs of the same command."""

    name: str
    command: str  # as a reader would type it, from the repository root
    runs: tuple[Measurement, ...]
    stats: tuple[dict[str, Any], ...] = ()  # ospo's scan.stats of each run, when ospo ran

    @property
    def wall(self) -> float:
        """Median wall time in seconds."""
        return statistics.median(m.wall for m in self.runs)

    @property
    def wall_min(self) -> float:
        """Fastest run."""
        return min(m.wall for m in self.runs)

    @property
    def wall_max(self) -> float:
        """Slowest run."""
        return max(m.wall for m in self.runs)

    @property
    def max_rss_kib(self) -> int:
        """Largest single-process peak RSS over the runs."""
        return max(m.max_rss_kib for m in self.runs)

    @property
    def peak_pss_kib(self) -> int | None:
        """Largest sampled process-tree PSS over the runs."""
        values = [m.peak_pss_kib for m in self.runs if m.peak_pss_kib is not None]
        return max(values) if values else None

    @property
    def cpu(self) -> float:
        """Median CPU time (user + system) of a run."""
        return statistics.median(m.cpu for m in self.runs)

    @property
    def other_cores(self) -> float:
        """Average number of cores other processes kept busy during the runs."""
        wall = sum(m.wall for m in self.runs)
        return sum(m.other_cpu for m in self.runs) / wall if wall else 0.0

    @property
    def shared(self) -> bool:
        """Whether other processes used a noticeable share of the machine meanwhile."""
        return self.other_cores > SHARED_CORES

    @property
    def returncodes(self) -> list[int]:
        """Exit statuses of the runs."""
        return [m.returncode for m in self.runs]


@dataclass(frozen=True, slots=True, kw_only=True)
class ScancodeStep:
    """ScanCode's run on the tree, or where its numbers come from."""

    step: Step | None
    origin: str  # "this run", or when and why an earlier result is used, or why none


@dataclass(slots=True, kw_only=True)
class TreeResult:
    """Everything measured on one tree."""

    spec: TreeSpec
    path: str  # the tree, relative to the repository root
    files: int
    size: int
    digest: str
    scancode: ScancodeStep
    cold: Step
    warm: Step
    floor: Step
    fixed: Step  # ospo on an empty directory: start-up, imports, writing the output
    change: Step
    one_file: Step
    comparison: Comparison | None
    consistency: list[str] = field(default_factory=list)  # problems found; empty is good
    warnings: list[str] = field(default_factory=list)  # what ospo printed on stderr
    notes: list[str] = field(default_factory=list)

    @property
    def change_target(self) -> float:
        """The one-file-change budget: 2x (no-change rescan + one file's scan)."""
        return CHANGE_MAX * (self.warm.wall + self.one_file.wall)


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """One target, and whether this tree met it."""

    name: str
    required: str
    measured: str
    passed: bool | None  # None: could not be judged (no ScanCode numbers)


def targets(result: TreeResult) -> list[Target]:
    """Evaluate the targets for one tree."""
    sc = result.scancode.step
    found: list[Target] = []
    if sc is not None:
        cold = sc.wall / result.cold.wall
        aim = "met" if cold >= COLD_AIM else "not met"
        found.append(
            Target(
                name="First scan (empty cache) vs ScanCode",
                required=f">= {COLD_MIN:g}x faster (aim {COLD_AIM:g}x)",
                measured=f"{cold:.1f}x faster (aim {aim})",
                passed=cold >= COLD_MIN,
            )
        )
    else:
        found.append(_unjudged("First scan (empty cache) vs ScanCode", f">= {COLD_MIN:g}x"))
    if result.comparison is not None:
        cmp = result.comparison
        found.append(
            Target(
                name="Same per-file licenses and copyrights as ScanCode",
                required="0 differences",
                measured=f"{len(cmp.differences)} differences in {cmp.compared} files "
                f"({len(cmp.restored)} deliberate LicenseRef restorations, "
                f"{len(cmp.explained)} files ScanCode never lists by their name)",
                passed=not cmp.differences,
            )
        )
    else:
        found.append(_unjudged("Same per-file licenses and copyrights as ScanCode", "0"))
    if sc is not None:
        warm = sc.wall / result.warm.wall
        found.append(
            Target(
                name="Rescan, nothing changed, vs ScanCode",
                required=f">= {WARM_MIN:g}x faster",
                measured=f"{warm:.0f}x faster",
                passed=warm >= WARM_MIN,
            )
        )
    else:
        found.append(_unjudged("Rescan, nothing changed, vs ScanCode", f">= {WARM_MIN:g}x"))
    floor = result.warm.wall / result.floor.wall
    found.append(
        Target(
            name="Rescan, nothing changed, vs reading and hashing every file",
            required=f"<= {FLOOR_MAX:g}x the floor ({FLOOR_MAX * result.floor.wall:.2f} s)",
            measured=f"{floor:.2f}x the floor ({result.warm.wall:.2f} s)",
            passed=floor <= FLOOR_MAX,
        )
    )
    found.append(
        Target(
            name="Rescan after changing one file",
            required=f"<= {CHANGE_MAX:g} x (rescan {result.warm.wall:.2f} s + one file "
            f"{result.one_file.wall:.2f} s) = {result.change_target:.2f} s",
            measured=f"{result.change.wall:.2f} s",
            passed=result.change.wall <= result.change_target,
        )
    )
    return found


def _unjudged(name: str, required: str) -> Target:
    return Target(name=name, required=required, measured="no ScanCode result", passed=None)
