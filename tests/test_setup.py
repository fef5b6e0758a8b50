"""scripts/setup.sh's choice of torch build, checked without the network for every platform."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("torch_choice", ROOT / "scripts" / "torch_choice.py")
torch_choice = importlib.util.module_from_spec(spec)
spec.loader.exec_module(torch_choice)
CPU = [torch_choice.TORCH, "--index-url", torch_choice.CPU_INDEX]


@pytest.mark.parametrize("system,machine,nvidia,override,expected", [
    ("Linux", "x86_64", False, None, CPU),
    ("Linux", "x86_64", True, None, [torch_choice.TORCH]),
    ("Linux", "aarch64", False, None, [torch_choice.TORCH]),
    ("Darwin", "arm64", False, None, [torch_choice.TORCH]),
    ("Windows", "AMD64", False, None, [torch_choice.TORCH]),
    ("Linux", "x86_64", False, "torch==2.11.0 --index-url https://mirror.example/cpu",
     ["torch==2.11.0", "--index-url", "https://mirror.example/cpu"]),
    ("Darwin", "arm64", True, "torch", ["torch"]),
])
def test_torch_build_for_each_platform(system, machine, nvidia, override, expected):
    args, why = torch_choice.choose(system, machine, nvidia, override)
    assert args == expected
    assert why


def test_unreachable_cpu_index_falls_back_to_the_usual_index(monkeypatch, capsys):
    monkeypatch.setattr(torch_choice.platform, "system", lambda: "Linux")
    monkeypatch.setattr(torch_choice.platform, "machine", lambda: "x86_64")
    monkeypatch.setattr(torch_choice, "has_nvidia_gpu", lambda: False)
    monkeypatch.delenv("HFCOURSE_TORCH", raising=False)
    monkeypatch.setattr(torch_choice, "reachable", lambda url, timeout=5.0: False)
    torch_choice.main([])
    assert capsys.readouterr().out.split() == [torch_choice.TORCH]
    torch_choice.main(["--why"])
    assert "cannot be reached" in capsys.readouterr().out
    monkeypatch.setattr(torch_choice, "reachable", lambda url, timeout=5.0: True)
    torch_choice.main([])
    assert capsys.readouterr().out.split() == CPU


def test_setup_script_uses_the_choice_and_reports_the_build():
    script = (ROOT / "scripts" / "setup.sh").read_text()
    assert "scripts/torch_choice.py" in script and "GB on disk" in script
    assert "torch==2.13.0" in (ROOT / ".ci" / "run").read_text()
