# SPDX-License-Identifier: MIT
"""Sphinx configuration of the primes documentation site.

Build (after ``pip install '.[docs]'``, from the repository root)::

    sphinx-build -W --keep-going -b html docs docs/_build/html

The API reference is not a list kept by hand: :func:`write_api_page` writes
``docs/api.rst`` (git-ignored) from ``primes.__all__`` on every build, so a
public name added to the package appears in the reference with no edit here.
The benchmark page includes ``bench/results/`` (tests/test_docs_site.py checks
that every results file and plot there is on it).
The tour notebook is executed at build time by myst-nb (the committed file has
no outputs).
"""

from __future__ import annotations

import ast
import inspect
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
REPO = DOCS.parent

# `python -m sphinx` from the repository root puts the root on sys.path, where
# `import primes` would find the source folder (no compiled library).  The docs
# document the installed package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO]

import primes  # noqa: E402

project = "primes"
author = "The primes developers"
copyright = "2026, The primes developers"
release = primes.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "myst_nb",
]

source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
root_doc = "index"
templates_path = ["_templates"]

# --- API reference ----------------------------------------------------------------------
autosummary_generate = True
autosummary_imported_members = True
# Signatures without annotations: the types are in each numpydoc "Parameters"
# section, and ArrayLike would expand to a page-wide Union.
autodoc_typehints = "none"
autodoc_default_options = {"member-order": "bysource"}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
# The types in the Parameters/Returns sections become :obj: references (shown as
# code; e.g. ``numpy.bool_`` would otherwise be read as a reST link).  The site
# is built without network access, so Python's and NumPy's inventories are not
# at hand: numpydoc's defaults that use :term: or :ref: roles, which warn when
# unresolved, are replaced by plain names.
numpydoc_xref_param_type = True
numpydoc_xref_aliases = {
    name: name
    for name in ("None", "True", "False", "bool", "int", "float", "complex", "str", "bytes", "list", "tuple",
                 "dict", "set", "callable", "iterable", "sequence", "generator", "scalar", "contextmanager")
} | {"array_like": "numpy.typing.ArrayLike", "array-like": "numpy.typing.ArrayLike"}
numpydoc_xref_ignore = {"of", "or", "optional", "default", "shape", "same", "as", "a", "an", "the", "for",
                        "with", "and", "one", "each", "per", "when"}

# --- notebooks (myst-nb) ----------------------------------------------------------------
nb_execution_mode = "force"  # the committed notebook has no outputs; run it every build
nb_execution_timeout = 300
nb_execution_raise_on_error = True  # a failing cell fails the build
nb_execution_in_temp = True  # run in a temporary folder, importing the installed package
myst_enable_extensions = ["dollarmath", "colon_fence"]
myst_heading_anchors = 3

# --- HTML -------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"primes {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version", "theme-version"],
    # The API summary tables need the width of the page's table of contents.
    "secondary_sidebar_items": {"**": ["page-toc", "sourcelink"], "api": []},
}
html_static_path: list[str] = []
html_last_updated_fmt = None


def _constant_docstrings() -> dict[str, str]:
    """``{name: docstring}`` for module constants of the package: the string literal
    right after ``NAME = ...`` in the module that defines ``NAME`` (as Sphinx reads it)."""
    found: dict[str, str] = {}
    for path in sorted(Path(primes.__file__).parent.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for statement, following in zip(tree.body, tree.body[1:]):
            if (
                isinstance(statement, (ast.Assign, ast.AnnAssign))
                and isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            ):
                target = statement.targets[0] if isinstance(statement, ast.Assign) else statement.target
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, inspect.cleandoc(following.value.value))
    return found


CONSTANT_DOCS = _constant_docstrings()


API_INTRO = """\
.. This page is written by docs/conf.py from primes.__all__ at every build; do not edit.

API reference
=============

Every public name of the package (``primes.__all__``), generated from its numpydoc
docstring: the same text ``help()`` shows, e.g.
``python -c 'import primes; help(primes.count)'``. The package is typed
(``py.typed``): ``a`` is ``numpy.typing.ArrayLike``, :func:`primes.is_prime` returns
``NDArray[np.bool_]`` for an array and ``np.bool_`` for a scalar.
"""


def api_page() -> str:
    """The reST of the API reference: every name of ``primes.__all__``, by kind."""
    kinds: dict[str, list[str]] = {"Functions": [], "Constants": [], "Modules": []}
    for name in primes.__all__:
        value = getattr(primes, name)
        kind = "Modules" if inspect.ismodule(value) else "Functions" if callable(value) else "Constants"
        kinds[kind].append(name)
    lines = [API_INTRO]
    for kind, names in kinds.items():
        if not names:
            continue
        lines += [kind, "-" * len(kind), "", ".. autosummary::", "   :toctree: generated/"]
        lines += [""] + [f"   primes.{name}" for name in names] + [""]
    return "\n".join(lines)


def write_api_page() -> None:
    """Write docs/api.rst, only when its text changed (keeps incremental builds)."""
    path = DOCS / "api.rst"
    text = api_page()
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


write_api_page()


def _constant_docstring(app, what, name, obj, options, lines):  # noqa: ANN001 - Sphinx's signature
    """Give ``primes.MODES`` and the other constants their docstring (a tuple or str has
    none of its own: autodoc would show the type's), before numpydoc parses it."""
    short = name.rsplit(".", 1)[-1]
    if what in ("data", "attribute") and name.startswith("primes.") and short in CONSTANT_DOCS:
        lines[:] = CONSTANT_DOCS[short].splitlines()
    elif what == "data" and name == "primes.__version__":
        lines[:] = ["The version of the installed package (from ``meson.build``), e.g. ``'0.1.0'``."]


def setup(app):  # noqa: ANN001, ANN201
    # Before numpydoc (priority 500), which turns the numpydoc sections into reST.
    app.connect("autodoc-process-docstring", _constant_docstring, priority=400)
    return {"parallel_read_safe": True}
