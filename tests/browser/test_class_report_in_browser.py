"""The class report as a teacher opens it: one HTML file from a simulated class of 30 learners
(and 3 bad files), drawn in headless Chromium with its plots and without any network request."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import save_page

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the simulated class
import simulated_class  # noqa: E402

from helpers import cli  # noqa: E402


def test_class_report_renders_with_plots_and_no_network(page, tmp_path):
    root = tmp_path / "class"
    bad = simulated_class.make_class(root, learners=30, bad=3)
    assert cli.main(["class-report", str(root / "handins"), "--out", str(tmp_path / "report")]) == 0
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url))
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
               else route.abort())
    report = tmp_path / "report" / "class-report.html"
    page.goto(report.as_uri())
    assert page.locator("h1").inner_text() == "Class report"
    assert page.locator("#summary").inner_text().startswith("30 learners")
    plots = page.locator("img.plot")
    assert plots.count() == 3
    widths = plots.evaluate_all("imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)")
    assert all(w > 300 for w in widths), f"a plot did not render: widths {widths}"
    warnings = page.locator("#warnings").inner_text()
    assert all(path.name in warnings for path in bad.values())
    assert page.locator("table.scores tbody tr").count() == 30
    assert page.locator("table.distractors .flag").count() >= 1
    assert requests == [report.as_uri()], f"the report asked for more than itself: {requests}"
    for path in save_page(page, "class-report"):
        print(f"saved {path}")
