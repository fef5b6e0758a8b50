"""How many CPU threads torch should use on this machine, now.

torch starts one thread per core it sees. On a shared lab server or JupyterHub that is too many:
the machine may give this process fewer cores than it has (a cgroup CPU quota, or a CPU
affinity), and other learners' processes may already keep cores busy. Then torch's threads wait
for each other at every step while the scheduler runs someone else, and training can get many
times slower (measured: ``benchmarks/threads.py``, README "Measured").

``fit()`` counts the cores this process may use (the smallest of: the cores of the machine, the
cores in its CPU affinity, the cgroup quota) and the cores that other processes keep busy right
now (sampled from ``/proc/stat`` over a fraction of a second), and gives torch the rest, at least
one. ``helpers.setup()`` calls it and says what it chose. An explicit ``OMP_NUM_THREADS`` or
``HFCOURSE_THREADS`` always wins. The choice is made once, when the lesson starts: if the machine
gets busier later, run the setup cell again.
"""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class ThreadFit:
    """What ``fit()`` found and chose."""

    machine_cores: int  # os.cpu_count()
    allowed_cores: int  # in this process's CPU affinity
    quota: float | None  # the cgroup CPU quota in cores, None when there is none
    busy_elsewhere: float | None  # cores other processes used while sampled (None: unknown)
    threads: int  # what torch uses
    reason: str  # one sentence for the learner

    @property
    def usable(self) -> int:
        cores = min(self.machine_cores, self.allowed_cores)
        if self.quota is not None:
            cores = min(cores, max(1, math.floor(self.quota)))
        return cores

    @property
    def oversubscribed(self) -> bool:
        """True when other processes already keep busy cores that this process would use."""
        return (self.busy_elsewhere is not None
                and taken(self.busy_elsewhere) + self.usable > self.machine_cores)


def taken(busy: float) -> int:
    """Whole cores that other processes hold: a core counts from 0.75 of it busy, so that a
    notebook server's or a browser's short bursts don't cost a lesson one of its threads."""
    return math.floor(busy + 0.25)


def cgroup_quota(root: Path = Path("/sys/fs/cgroup")) -> float | None:
    """The CPU quota of this process's cgroup, in cores (cgroup v2 ``cpu.max`` or v1
    ``cpu.cfs_quota_us``), or None when there is no quota or no cgroup file to read."""
    try:
        quota, period = (root / "cpu.max").read_text().split()[:2]
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError):
        pass
    try:
        quota_us = int((root / "cpu" / "cpu.cfs_quota_us").read_text())
        period_us = int((root / "cpu" / "cpu.cfs_period_us").read_text())
        return None if quota_us <= 0 else quota_us / period_us
    except (OSError, ValueError):
        return None


def allowed_cores() -> int:
    """The cores this process may run on (its CPU affinity), or all of them where unknown."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # macOS, Windows
        return os.cpu_count() or 1


def _cpu_times() -> tuple[int, int] | None:
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return None
    # user nice system idle iowait irq softirq steal: guest time is already inside user and
    # nice, and steal (time the host gave to other machines) is not work done here.
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    busy = user + nice + system + irq + softirq
    return busy, busy + idle + iowait + steal


def _own_ticks() -> int:
    """CPU time this process used so far (all its threads), in the units of ``/proc/stat``."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime, stime
    except (OSError, ValueError, IndexError):
        return 0


def busy_cores(seconds: float = 0.3) -> float | None:
    """Cores that other processes kept busy during ``seconds``: the whole machine's busy time
    less this process's own (its other threads may work while this one sleeps), or None where
    ``/proc/stat`` does not exist."""
    before, own_before = _cpu_times(), _own_ticks()
    if before is None:
        return None
    time.sleep(seconds)
    after, own_after = _cpu_times(), _own_ticks()
    if after is None or after[1] == before[1]:
        return None
    others = max(0, (after[0] - before[0]) - (own_after - own_before))
    return round(others / (after[1] - before[1]) * (os.cpu_count() or 1), 2)


def choose(machine: int, allowed: int, quota: float | None, busy: float | None,
           explicit: str | None = None) -> ThreadFit:
    """The thread count for these facts (``fit()`` measures them; tests pass their own)."""
    fit = ThreadFit(machine, allowed, quota, busy, threads=1, reason="")
    usable = fit.usable
    if explicit:
        fit.threads = max(1, int(explicit))
        fit.reason = f"{fit.threads} thread(s), as OMP_NUM_THREADS or HFCOURSE_THREADS says"
        return fit
    free = usable if busy is None else min(usable, machine - taken(busy))
    fit.threads = max(1, free)
    limits = []
    if quota is not None and math.floor(quota) < min(machine, allowed):
        limits.append(f"a CPU quota of {quota:g} cores")
    if allowed < machine:
        limits.append(f"{allowed} of {machine} cores allowed")
    if busy is not None and (fit.threads < usable or fit.oversubscribed):
        limits.append(f"other processes keep {busy:.1f} cores busy")
    fit.reason = (f"{fit.threads} thread(s) for torch" + (f" ({'; '.join(limits)})" if limits else
                                                         f", one per core ({usable})"))
    return fit


def measure() -> ThreadFit:
    """The facts of this machine now, and the thread count they give (nothing is changed)."""
    from helpers.core import settings

    explicit = settings.value("HFCOURSE_THREADS") or os.environ.get("OMP_NUM_THREADS")
    return choose(os.cpu_count() or 1, allowed_cores(), cgroup_quota(),
                  None if explicit else busy_cores(), explicit)


def fit() -> ThreadFit:
    """Measure, then set torch's thread count to fit (``torch.set_num_threads``)."""
    import torch

    found = measure()
    torch.set_num_threads(found.threads)
    return found
