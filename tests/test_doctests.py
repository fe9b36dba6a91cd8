# SPDX-License-Identifier: MIT
"""The docstring examples of the installed package run and pass, and every public
name has a numpydoc docstring.

``doctest.testmod`` runs on the installed modules rather than through
``pytest --doctest-modules``: with ``--import-mode=importlib`` and the source
folder ``primes/`` at the repository root, the doctest collector would import
that folder, which has no compiled library.  The constants ``MODES`` and
``METHODS`` (defined in ``primes/_coerce.py``) cannot carry a ``__doc__``; their
docstrings are the string literals after their assignments (as Sphinx reads
them), found with ``ast``.
"""

from __future__ import annotations

import ast
import doctest
import importlib
import importlib.util
import inspect
import pkgutil
import re

import pytest

import primes

OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def python_modules():
    """The package's Python modules (pkgutil also lists libprimes.so, which is no module)."""
    for info in pkgutil.iter_modules(primes.__path__):
        name = f"primes.{info.name}"
        # Running __main__ would run the command-line program.
        if info.name != "__main__" and importlib.util.find_spec(name).origin.endswith(".py"):
            yield name


MODULES = sorted(python_modules())
# The modules that hold public names or the package's documentation: they must have examples.
MUST_HAVE_EXAMPLES = {
    "primes._api", "primes._coerce", "primes._config", "primes._threadpoolctl", "primes._threads",
    "primes.reference",
}


def attribute_docstrings(module):
    """{name: (docstring, line)} for module-level ``NAME = ...`` followed by a string literal."""
    tree = ast.parse(inspect.getsource(module))
    found = {}
    for statement, following in zip(tree.body, tree.body[1:]):
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            found[statement.targets[0].id] = (inspect.cleandoc(following.value.value), following.lineno)
    return found


def test_every_module_is_checked():
    assert "primes.__init__" not in MODULES  # the package docstring: covered as "primes"
    assert MUST_HAVE_EXAMPLES <= set(MODULES), MODULES


@pytest.mark.parametrize("name", ["primes", *MODULES])
def test_docstring_examples(name, monkeypatch):
    monkeypatch.delenv("PRIMES_NUM_THREADS", raising=False)
    module = importlib.import_module(name)
    failed, attempted = doctest.testmod(module, optionflags=OPTIONS, report=True)
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=OPTIONS)
    for attribute, (docstring, line) in attribute_docstrings(module).items():
        test = parser.get_doctest(docstring, dict(vars(module)), f"{name}.{attribute}", module.__file__, line)
        runner.run(test)
    failed += runner.failures
    attempted += runner.tries
    assert failed == 0, f"{failed} of {attempted} examples failed in {name} (see the captured output)"
    if name == "primes" or name in MUST_HAVE_EXAMPLES:
        assert attempted > 0, f"no examples found in {name}"


def public_docstrings():
    """(name, object, docstring) for every public name, the reference functions included."""
    constants = attribute_docstrings(primes._coerce)  # where MODES and METHODS are defined
    for name in primes.__all__:
        if name == "__version__":
            continue
        value = getattr(primes, name)
        if name in constants:
            yield name, value, constants[name][0]
        elif inspect.ismodule(value):
            for function_name in value.__all__:
                function = getattr(value, function_name)
                yield f"{name}.{function_name}", function, inspect.getdoc(function)
        else:
            yield name, value, inspect.getdoc(value)


@pytest.mark.parametrize(
    "name, value, docstring", [pytest.param(*entry, id=entry[0]) for entry in public_docstrings()]
)
def test_public_names_have_numpydoc_docstrings(name, value, docstring):
    assert docstring, f"{name} has no docstring"
    sections = set(re.findall(r"^(\w[\w ]*)\n-{3,}$", docstring, flags=re.MULTILINE))
    assert "Examples" in sections, f"{name}: no Examples section"
    if callable(value):
        signature = inspect.signature(value)
        if signature.parameters:
            assert "Parameters" in sections, f"{name}: no Parameters section"
            for parameter in signature.parameters:
                assert re.search(rf"^{parameter} :", docstring, flags=re.MULTILINE), (
                    f"{name}: parameter {parameter} is not documented"
                )
        assert sections & {"Returns", "Yields"} or signature.return_annotation == "None", (
            f"{name}: no Returns section"
        )
