"""helpers.settings: one place that reads the course's HFCOURSE_* variables, one spelling of on/off."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import settings
from helpers.errors import CourseError

HELPERS = Path(__file__).resolve().parent.parent / "helpers"


@pytest.mark.parametrize("text,expected", [("1", True), ("TRUE", True), (" yes ", True), ("On", True),
                                           ("0", False), ("false", False), ("No", False), ("off", False),
                                           ("", None)])
def test_every_flag_takes_the_same_spellings(monkeypatch, text, expected):
    for name in ("HFCOURSE_OFFLINE", "HFCOURSE_EXAM"):
        monkeypatch.setenv(name, text)
        assert settings.flag(name) is expected


def test_a_flag_that_is_neither_on_nor_off_is_an_error_that_names_it_and_the_fix(monkeypatch):
    monkeypatch.setenv("HFCOURSE_OFFLINE", "sometimes")
    with pytest.raises(CourseError, match=r"HFCOURSE_OFFLINE='sometimes' is neither on nor off\. Fix: set it to one of 1, true"):
        settings.flag("HFCOURSE_OFFLINE")


def test_an_unset_or_blank_value_is_none(monkeypatch):
    monkeypatch.delenv("HFCOURSE_WORK", raising=False)
    assert settings.value("HFCOURSE_WORK") is None
    monkeypatch.setenv("HFCOURSE_WORK", "  ")
    assert settings.value("HFCOURSE_WORK") is None
    monkeypatch.setenv("HFCOURSE_WORK", " /tmp/w ")
    assert settings.value("HFCOURSE_WORK") == "/tmp/w"
    with pytest.raises(KeyError, match="not one of the course's settings"):
        settings.value("HFCOURSE_NOPE")


def test_helpers_read_their_variables_only_through_settings_and_each_is_documented():
    """Every HFCOURSE_* name in helpers/ is in settings.VARIABLES, and no module but settings.py
    reads one from os.environ itself."""
    named: set[str] = set()
    for path in HELPERS.rglob("*.py"):
        text = path.read_text()
        named |= set(re.findall(r"HFCOURSE_[A-Z_]+", text))
        if path.name != "settings.py":
            direct = re.findall(r"os\.environ(?:\.get)?\(?\[?\s*[\"']HFCOURSE_", text)
            assert not direct, f"{path.relative_to(HELPERS.parent)} reads an HFCOURSE_ variable itself: use helpers.settings"
    assert named <= set(settings.VARIABLES), named - set(settings.VARIABLES)
    assert all(len(doc) > 20 for doc in settings.VARIABLES.values())
