# SPDX-License-Identifier: MIT
"""The documentation site: built without warnings, complete, and rendered by a browser.

The site is the one in ``$PRIMES_DOCS_HTML`` (``.ci/docs.sh`` builds it with
the documented command and sets the variable), else it is built here once,
with the same command, into a temporary folder.  Either way it needs the
``docs`` extra (``pip install '.[docs]'``); headless Chromium (Debian's
``chromium`` package) renders the pages.  Screenshots are written next to the
HTML folder, in ``screenshots/`` (``docs/_build/screenshots/`` in CI, kept as
an artefact and never committed).
"""

from __future__ import annotations

import html
import importlib.util
import inspect
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import primes

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
BUILD_COMMAND = ["sphinx-build", "-W", "--keep-going", "-b", "html", "docs"]  # + the output folder
TIMEOUT = 900  # seconds: the build executes the tour notebook


def _sphinx_build() -> str:
    # Next to this Python first: the venv's sphinx-build, not another one on PATH.
    local = Path(sys.executable).with_name("sphinx-build")
    return str(local) if local.exists() else "sphinx-build"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The folder of the built HTML site."""
    given = os.environ.get("PRIMES_DOCS_HTML")
    if given:
        path = Path(given).resolve()
        assert (path / "index.html").is_file(), f"PRIMES_DOCS_HTML={given} holds no built site"
        return path
    missing = [name for name in ("sphinx", "numpydoc", "pydata_sphinx_theme", "myst_nb")
               if importlib.util.find_spec(name) is None]
    if missing:
        pytest.skip(f"the docs extra is not installed (missing {', '.join(missing)}): pip install '.[docs]'")
    out = tmp_path_factory.mktemp("docs") / "html"
    command = [_sphinx_build(), *BUILD_COMMAND[1:], str(out)]
    completed = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=TIMEOUT)
    assert completed.returncode == 0, (
        f"{' '.join(command)} failed ({completed.returncode}):\n"
        f"{completed.stdout[-3000:]}\n{completed.stderr[-5000:]}"
    )
    # (the Jupyter kernel's own log lines are not Sphinx warnings)
    warnings = [line for line in completed.stderr.splitlines()
                if "WARNING" in line and "[IPKernelApp]" not in line]
    assert warnings == []
    return out


def text_of(markup: str) -> str:
    """The visible text of an HTML fragment, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def plain_signature(function) -> str:
    """``name(params)`` without annotations, as the docs show it (autodoc_typehints = "none")."""
    signature = inspect.signature(function)
    parameters = [p.replace(annotation=inspect.Parameter.empty) for p in signature.parameters.values()]
    plain = signature.replace(parameters=parameters, return_annotation=inspect.Signature.empty)
    return function.__name__ + str(plain)


def public_names(kind):
    return [name for name in primes.__all__ if kind(getattr(primes, name))]


FUNCTIONS = public_names(lambda value: callable(value) and not inspect.ismodule(value))
MODULES = public_names(inspect.ismodule)


def api_page_html(site: Path) -> str:
    pages = [site / "api.html", *sorted((site / "generated").glob("*.html"))]
    return "\n".join(page.read_text(encoding="utf-8") for page in pages)


def test_every_public_name_is_documented(site):
    markup = api_page_html(site)
    anchors = set(re.findall(r'id="([^"]+)"', markup))
    for name in primes.__all__:
        anchor = f"module-primes.{name}" if name in MODULES else f"primes.{name}"
        assert anchor in anchors, f"primes.{name} is in primes.__all__ but not in the built API pages"
    for name in MODULES:
        module = getattr(primes, name)
        for member in getattr(module, "__all__", []):
            assert f"primes.{name}.{member}" in anchors, f"primes.{name}.{member} is not documented"


def test_every_function_page_shows_its_signature_and_examples(site):
    for name in FUNCTIONS:
        page = site / "generated" / f"primes.{name}.html"
        text = text_of(page.read_text(encoding="utf-8"))
        expected = "primes." + plain_signature(getattr(primes, name))
        assert expected.replace(" ", "") in text.replace(" ", ""), (name, expected)
        assert "Examples" in text and ">>> import primes" in text, f"primes.{name}: no Examples section"


def test_tour_notebook_is_rendered_with_its_outputs(site):
    markup = (site / "examples" / "tour.html").read_text(encoding="utf-8")
    assert "primes below 10**6: 78498" in text_of(markup)
    images = re.findall(r'<img[^>]+src="([^"]+\.png)"', markup)
    assert len(images) >= 2, images  # the density plot and the timing plot
    for image in images:
        assert (site / "examples" / image).resolve().is_file(), image


def test_benchmark_page_shows_every_result_and_plot(site):
    markup = (site / "benchmarks.html").read_text(encoding="utf-8")
    shown = {Path(src).name for src in re.findall(r'<img[^>]+src="([^"]+)"', markup)}
    results = REPO / "bench" / "results"
    for plot in sorted(results.glob("*.png")):
        assert plot.name in shown, f"{plot.name} is not on the benchmark page"
        assert (site / "_images" / plot.name).is_file()
    for table in sorted(results.glob("*.md")):
        lines = [line for line in table.read_text(encoding="utf-8").splitlines() if not line.startswith("<!--")]
        title = lines[0].lstrip("# ").strip()
        assert title in text_of(markup), f"{table.name} is not on the benchmark page"


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("headless Chromium is not installed (Debian: apt-get install chromium)")


def render(site: Path, page: str) -> str:
    """Open ``page`` in headless Chromium: keep a screenshot, return the DOM after its scripts ran."""
    browser = _chromium()
    url = (site / page).as_uri()
    shots = site.parent / "screenshots"
    shots.mkdir(exist_ok=True)
    common = [browser, "--headless", "--disable-gpu", "--no-sandbox", "--hide-scrollbars",
              "--window-size=1280,1600", f"--user-data-dir={shots / '.profile'}"]
    screenshot = shots / (page.replace("/", "_").removesuffix(".html") + ".png")
    completed = subprocess.run([*common, f"--screenshot={screenshot}", url], capture_output=True, text=True,
                               timeout=120)
    assert completed.returncode == 0 and screenshot.stat().st_size > 10_000, completed.stderr[-3000:]
    completed = subprocess.run([*common, "--dump-dom", url], capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr[-3000:]
    dom = completed.stdout
    # The theme's scripts set data-theme on <html>: the page ran, not only loaded.
    assert re.search(r'<html[^>]*data-theme="(light|dark)"', dom), dom[:500]
    return dom


def test_index_renders_in_chromium(site):
    dom = render(site, "index.html")
    text = text_of(dom).replace(" ", "")  # the highlighted code puts each token in its own span
    assert "primes.count(a)#78498" in text and "primes.is_prime(a)" in text
    for name in ("count", "is_prime"):  # the links from the front page into the API reference
        assert re.search(rf'href="generated/primes\.{name}\.html#primes\.{name}"', dom), name


def test_api_pages_render_the_signatures_in_chromium(site):
    dom = render(site, "api.html")
    text = text_of(dom)
    for name in primes.__all__:
        assert f"primes.{name}" in text, name
    for name in FUNCTIONS:
        dom = render(site, f"generated/primes.{name}.html")
        signature = re.search(rf'<dt[^>]*id="primes\.{re.escape(name)}"[^>]*>.*?</dt>', dom, flags=re.S)
        assert signature, f"no signature element for primes.{name}"
        expected = "primes." + plain_signature(getattr(primes, name))
        assert expected.replace(" ", "") in text_of(signature.group(0)).replace(" ", ""), expected
