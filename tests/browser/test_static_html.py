"""The static fallback: a lesson exported to HTML with nbconvert shows its quiz as text, with the
answers folded, and no raw widget JSON (what a learner sees on GitHub or in a shared HTML file).
"""

from __future__ import annotations

import subprocess
import sys

from conftest import copy_lessons, isolated_env
from frontends import plain, squash

from helpers import quiz

RAW_WIDGET_MARKERS = ("application/vnd.jupyter.widget", "model_id", "version_major")


def test_nbconvert_html_shows_the_quiz_as_text_with_answers_folded(browser, page, tmp_path):
    env = isolated_env(tmp_path)
    lessons = copy_lessons(tmp_path / "root")
    out = tmp_path / "html"
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", "--execute",
                    "--output-dir", str(out), str(lessons / "00_welcome.ipynb")],
                   env=env, check=True, capture_output=True, timeout=600)
    exported = out / "00_welcome.html"
    # Offline, as on our machines: nothing but the file itself may load (the widget manager
    # script nbconvert links from a CDN fails, exactly as it does without a network).
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
               else route.abort())
    page.goto(exported.as_uri())

    bank = quiz.load_bank("00_welcome")
    fallback = page.locator(".hfq-static-fallback")
    fallback.wait_for(state="visible")
    text = squash(fallback.inner_text())
    assert f"Quiz: {bank.title}" in text
    for q in bank.questions:
        assert plain(q.prompt)[:60] in text, f"question {q.id} is missing from the HTML"
        for choice in (q.choices if q.type != "numeric" else []):
            assert plain(choice.text) in text
    # Hints and answers are folded: every <details> is closed, and what it holds is not shown.
    details = fallback.locator("details")
    assert details.count() == 2 * len(bank.questions)
    assert fallback.locator("details[open]").count() == 0
    for q in bank.questions:
        assert plain(q.quick_check) not in text
    details.nth(1).locator("summary").click()
    assert plain(bank.questions[0].quick_check) in squash(fallback.inner_text())
    body = page.evaluate("() => document.body.innerText")
    for marker in RAW_WIDGET_MARKERS:
        assert marker not in body, f"raw widget JSON shows in the HTML ({marker!r})"
