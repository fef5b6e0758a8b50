"""Start a training script in other processes from a notebook, as you would from a terminal.

A launcher (``accelerate launch``, ``torchrun``) starts fresh Python processes that run a *file*,
so lesson 09 keeps its scripts in ``lessons/scripts/``. ``run`` takes the command exactly as you
would type it in a terminal, prints the processes' output while they run, and raises a clear
error if they fail.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from queue import Empty, Queue

from helpers.core.course import repo_root

# How each launcher is started with the notebook's own Python, in case its command is not on PATH
# (a kernel started from a virtual environment often lacks the environment's bin/ folder).
_MODULES = {"accelerate": ["-m", "accelerate.commands.accelerate_cli"],
            "torchrun": ["-m", "torch.distributed.run"],
            "python": []}


class LaunchError(RuntimeError):
    """A launched command ended with an error; the message holds the end of its output."""


@dataclass
class Launched:
    command: str
    output: str
    seconds: float

    def lines(self, prefix: str) -> list[str]:
        """The output lines that start with ``prefix``."""
        return [line for line in self.output.splitlines() if line.startswith(prefix)]


def script(name: str) -> Path:
    """The path of one of lesson 09's scripts: in the checkout, or in the installed course (Colab)."""
    local = repo_root() / "lessons" / "scripts" / name
    if local.exists():
        return local
    packaged = Path(__file__).resolve().parents[1] / "lesson_scripts" / name
    if packaged.exists():
        return packaged
    raise FileNotFoundError(f"No script {name!r} in lessons/scripts/ or in the installed course. "
                            "Fix: run the lesson from the course checkout, or reinstall the course.")


def _argv(command: str) -> list[str]:
    words = shlex.split(command)
    program = words[0]
    if program in _MODULES:
        beside = Path(sys.executable).with_name(program)
        if program != "python" and beside.exists():
            return [str(beside), *words[1:]]
        return [sys.executable, *_MODULES[program], *words[1:]]
    if shutil.which(program) is None:
        raise LaunchError(f"{program!r} is not a command here. Start the command with 'accelerate', "
                          "'torchrun' or 'python'.")
    return words


def run(command: str, echo: bool = True, timeout: float = 900, quiet: tuple[str, ...] = (),
        env: dict[str, str] | None = None) -> Launched:
    """Run ``command`` (as typed in a terminal); print its output as it comes; return all of it.

    Lines that start with one of ``quiet`` are kept in the result but not printed (for example the
    launcher's warnings, which lesson 09 explains once). Raises ``LaunchError`` with the last lines
    of the output when the command fails or runs longer than ``timeout`` seconds. ``env`` adds
    environment variables for the command (``plan().env``).
    """
    if echo:
        print("$", command, flush=True)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "TOKENIZERS_PARALLELISM": "false", **(env or {})}
    start = time.perf_counter()
    process = subprocess.Popen(_argv(command), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env=env)
    lines: list[str] = []
    queue: Queue[str | None] = Queue()
    assert process.stdout is not None
    stream = process.stdout

    def read() -> None:   # a reader thread, so that a silent, stuck process still times out
        for text in stream:
            queue.put(text)
        queue.put(None)

    threading.Thread(target=read, daemon=True).start()
    while True:
        left = timeout - (time.perf_counter() - start)
        try:
            line = queue.get(timeout=max(left, 0.01))
        except Empty:
            process.kill()
            tail = "".join(lines[-20:])
            raise LaunchError(f"{command!r} ran longer than {timeout:.0f} s and was stopped. "
                              f"Its last lines:\n{tail}") from None
        if line is None:
            break
        lines.append(line)
        if echo and not line.startswith(quiet):
            print(line, end="", flush=True)
    code = process.wait()
    seconds = time.perf_counter() - start
    output = "".join(lines)
    if code != 0:
        tail = "".join(lines[-20:])
        raise LaunchError(f"{command!r} failed with exit code {code}. Its last lines:\n{tail}")
    return Launched(command, output, seconds)


@dataclass
class Plan:
    """Where a launch of several processes will run on this machine, and with which settings."""

    processes: int
    where: str                 # e.g. "2 CPU processes (gloo)"
    mixed_precision: str       # the value for --mixed_precision: "bf16" or "no"
    env: dict[str, str]        # extra environment variables for the launch


def plan(processes: int = 2) -> Plan:
    """Decide where ``processes`` training processes can run here.

    With at least that many GPUs, one process per GPU (NCCL). Otherwise every process runs on
    the CPU (gloo), and the GPU, if there is one, is hidden from them: two processes sharing one
    GPU would show nothing that two CPU processes do not, and would need twice its memory.
    """
    import torch

    from helpers.core.device import precision_flags

    if torch.cuda.device_count() >= processes:
        flags = precision_flags("cuda")
        return Plan(processes, f"{processes} GPUs (NCCL)", "bf16" if flags["bf16"] else "fp16", {})
    env = {"CUDA_VISIBLE_DEVICES": ""} if torch.cuda.is_available() else {}
    cpu = "bf16" if precision_flags("cpu")["bf16"] else "no"
    return Plan(processes, f"{processes} CPU processes (gloo)", cpu, env)
