"""Make the report screenshots in docs/images with headless Chromium.

    python docs/screenshots.py   # needs chromium (apt-get install chromium)

The bundled sample (examples/sample-facts.yaml) as of 2020-12-31: the report's top (headline,
cards, roll-ups) and its findings filtered to the non-compliant ones, sorted by shortfall —
the view the page's own controls give, opened from its address.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from xfrules.evaluator import evaluate
from xfrules.facts import load_facts
from xfrules.report import write_report

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"


def main() -> int:
    browser = next(
        (b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None
    )
    if browser is None:
        print("no chromium found (apt-get install chromium)", file=sys.stderr)
        return 2
    facts = load_facts(ROOT / "examples" / "sample-facts.yaml")
    evaluation = evaluate(facts, date(2020, 12, 31))
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.html"
        write_report(evaluation, list(facts.units), report)
        shots = {
            "report-summary.png": (report.as_uri(), "1280,1500"),
            "report-findings.png": (
                report.as_uri() + "#status=non_compliant&sort=shortfall:desc",
                "1280,1100",
            ),
        }
        for name, (url, size) in shots.items():
            if "#" in url:
                # A screenshot shows the top of a page: a copy without the sections above
                # the findings, so that the filtered table is what is seen.
                findings_only = Path(tmp) / "findings.html"
                text = report.read_text(encoding="utf-8")
                for section in ("summary", "by-jurisdiction", "by-district", "by-lead"):
                    text = text.replace(
                        f'<section id="{section}">', f'<section hidden id="{section}">'
                    )
                for section in ("by-department", "shortfalls"):
                    text = text.replace(
                        f'<section id="{section}">', f'<section hidden id="{section}">'
                    )
                findings_only.write_text(text, encoding="utf-8")
                url = findings_only.as_uri() + url[url.index("#") :]
            subprocess.run(
                [
                    browser,
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--hide-scrollbars",
                    "--virtual-time-budget=2000",
                    f"--window-size={size}",
                    f"--screenshot={IMAGES / name}",
                    url,
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
            print(IMAGES / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
