"""axe-core in the page, at two widths, with a screenshot of each: `audit(page, "name")`."""

import functools
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
AXE_PATH = HERE / "vendor" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = HERE.parents[1] / "test-artifacts" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (1280, 320)

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html, summary: n.failureSummary})),
  }));
}"""

# WCAG 1.4.10 (reflow): at 320 px nothing may need a horizontal scroll bar.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")].filter(el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1 && getComputedStyle(el).position !== "absolute"
      && !el.closest(".table-wrap, .visually-hidden");
  });
  return {scroll: document.documentElement.scrollWidth, width,
          elements: wide.slice(0, 5).map(el => el.outerHTML.slice(0, 160))};
}"""


@functools.cache
def axe_source() -> str:
    return AXE_PATH.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A and AA violations on the page as it is now."""
    # page.evaluate runs outside the page's Content-Security-Policy, which refuses inline scripts
    # (add_script_tag); so the pages are checked under their real CSP, with no bypass.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    return page.evaluate(RUN_AXE, WCAG_TAGS)


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:8]:
            lines.append(f"      {node['target']}  {node['html'][:200]}")
            for detail in (node["summary"] or "").splitlines()[1:3]:
                lines.append(f"        {detail.strip()}")
        if len(v["nodes"]) > 8:
            lines.append(f"      … et {len(v['nodes']) - 8} autres éléments")
    return "\n".join(lines)


def snapshot(page, name: str) -> None:
    """A screenshot of what is on screen now (for a state such as a focused element)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", animations="disabled")


def audit(page, name: str) -> None:
    """Check the page with axe at 1280 and 320 px wide (plus reflow at 320 px) and save a screenshot of each."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = page.viewport_size["height"] if page.viewport_size else 900
    problems = []
    try:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": height})
            violations = axe_violations(page)
            if violations:
                problems.append(f"{name} à {width} px — {page.url}\n{format_violations(violations)}")
            if width <= 320:
                overflow = page.evaluate(OVERFLOW)
                if overflow["scroll"] > overflow["width"]:
                    problems.append(
                        f"{name} à {width} px — défilement horizontal ({overflow['scroll']} px "
                        f"pour {overflow['width']}) : {json.dumps(overflow['elements'], ensure_ascii=False)}"
                    )
            page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True, animations="disabled")
    finally:
        page.set_viewport_size({"width": WIDTHS[0], "height": height})
    assert not problems, "Problèmes d’accessibilité :\n" + "\n\n".join(problems)
