"""The class report as a teacher opens it: one HTML file from a simulated class of 30 learners
(and 3 bad files), drawn in headless Chromium with its plots and without any network request, in
a 1,280-pixel-wide window where no table is cut off: a wide table scrolls inside its own box."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import ARTIFACTS, save_page

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
    assert_no_table_is_cut_off(page)  # and leaves the window at 1280 x 800
    (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "screenshots" / "class-report-1280.png"))
    for path in save_page(page, "class-report"):
        print(f"saved {path}")


def assert_no_table_is_cut_off(page) -> None:
    """At 1,280 pixels the page never scrolls sideways, every table sits in a box inside the
    window, and the scores table (wider than the window) scrolls in its box to its last column."""
    page.set_viewport_size({"width": 1280, "height": 800})
    wide, seen = page.evaluate("[document.documentElement.scrollWidth, "
                               "document.documentElement.clientWidth]")
    assert wide <= seen, f"the page scrolls sideways: {wide} px in a {seen} px window"
    boxes = page.locator("table").evaluate_all("""tables => tables.map(t => {
        const box = t.parentElement;
        return {table: t.className, box: box.className, overflow: getComputedStyle(box).overflowX,
                right: box.getBoundingClientRect().right, scroll: box.scrollWidth,
                client: box.clientWidth};
    })""")
    for box in boxes:
        assert box["box"] == "scroll" and box["overflow"] == "auto", box
        assert box["right"] <= seen, f"the box of table.{box['table']} is cut off: {box}"
    scores = next(b for b in boxes if b["table"] == "scores")
    assert scores["scroll"] > scores["client"], "the scores table should need its scroll bar here"
    scroller = page.locator("div.scroll:has(> table.scores)")
    scroller.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    last = page.locator("table.scores thead th").last.bounding_box()
    area = scroller.bounding_box()
    assert last["x"] + last["width"] <= area["x"] + area["width"] + 1, "the last column is out of reach"
    scroller.evaluate("box => { box.scrollLeft = 0; }")
