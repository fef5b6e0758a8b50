"""Which torch build scripts/setup.sh installs, and from where. Standard library only: it runs
before the course (or anything else) is installed.

    python3 scripts/torch_choice.py          prints the pip arguments, one per line
    python3 scripts/torch_choice.py --why    prints the one-line reason instead

| platform        | NVIDIA GPU | HFCOURSE_TORCH | pip installs                                           |
|-----------------|------------|----------------|--------------------------------------------------------|
| any             | any        | set            | exactly what it says                                   |
| Linux x86_64    | no         | unset          | torch==2.13.0 from PyTorch's CPU index, or from the    |
|                 |            |                | usual index when the CPU index cannot be reached       |
| Linux x86_64    | yes        | unset          | torch==2.13.0 from the usual index: the CUDA build     |
| Linux (other)   | any        | unset          | torch==2.13.0 from the usual index                     |
| macOS, Windows  | -          | unset          | torch==2.13.0 from the usual index: already CPU-only   |

On Linux x86_64, PyPI's torch is the CUDA build, with several GB of NVIDIA libraries: on a laptop
without an NVIDIA GPU that is a download for nothing. PyTorch's own CPU index (the one its install
selector gives) holds the CPU build. setup.sh falls back to the usual index when the CPU index
cannot be reached (checked first, in a few seconds), for example behind a mirror that only serves
PyPI, and when the install from it fails.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

TORCH = "torch==2.13.0"
CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def has_nvidia_gpu() -> bool:
    """An NVIDIA driver is loaded, or `nvidia-smi` lists a GPU."""
    if Path("/proc/driver/nvidia/version").exists():
        return True
    smi = shutil.which("nvidia-smi")
    if not smi:
        return False
    try:
        listed = subprocess.run([smi, "-L"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return False
    return listed.returncode == 0 and "GPU" in listed.stdout


def choose(system: str, machine: str, nvidia: bool, override: str | None) -> tuple[list[str], str]:
    """The pip arguments that install torch here, and a one-line reason."""
    if override:
        return override.split(), f"HFCOURSE_TORCH is set: installing {override}"
    if system == "Linux" and machine in ("x86_64", "AMD64") and not nvidia:
        return ([TORCH, "--index-url", CPU_INDEX],
                "Linux without an NVIDIA GPU: the CPU build from PyTorch's CPU index "
                "(PyPI's Linux torch is the multi-GB CUDA build)")
    if system == "Linux" and machine in ("x86_64", "AMD64"):
        return [TORCH], "Linux with an NVIDIA GPU: the CUDA build from the usual index"
    return [TORCH], f"{system} {machine}: the usual index (no CUDA build to avoid here)"


def reachable(url: str, timeout: float = 5.0) -> bool:
    """The index answers within ``timeout`` seconds (pip's own proxy settings are not consulted)."""
    try:
        with urllib.request.urlopen(url + "/torch/", timeout=timeout) as answer:
            return answer.status == 200
    except (OSError, ValueError):
        return False


def main(argv: list[str]) -> int:
    args, why = choose(platform.system(), platform.machine(), has_nvidia_gpu(), os.environ.get("HFCOURSE_TORCH"))
    if CPU_INDEX in args and not os.environ.get("HFCOURSE_TORCH") and not reachable(CPU_INDEX):
        args, why = [TORCH], (f"{why}; but {CPU_INDEX} cannot be reached from here, so the usual index "
                              "(a CPU build where it offers one)")
    print(why if "--why" in argv else "\n".join(args))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
