"""Write docs/api.md, the API reference, from the docstrings of the installed package.

Usage (from anywhere, with primes installed): python tools/gen_api_docs.py
tests/test_api_docs.py fails when docs/api.md differs from what this writes.
"""

from __future__ import annotations

import ast
import inspect
import sys
from pathlib import Path
from typing import Any

import primes

OUTPUT = Path(__file__).resolve().parents[1] / "docs" / "api.md"


def constant_docstrings(module: Any) -> dict[str, str]:
    """Docstrings of module constants: the string literal after ``NAME = ...`` (as Sphinx reads them)."""
    tree = ast.parse(inspect.getsource(module))
    found = {}
    for statement, following in zip(tree.body, tree.body[1:]):
        if (
            isinstance(statement, ast.Assign)
            and isinstance(statement.targets[0], ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            found[statement.targets[0].id] = inspect.cleandoc(following.value.value)
    return found


def plain_signature(function: Any) -> str:
    """The call signature without annotations (the overloads are in the docstring's words)."""
    signature = inspect.signature(function)
    parameters = [p.replace(annotation=inspect.Parameter.empty) for p in signature.parameters.values()]
    return str(signature.replace(parameters=parameters, return_annotation=inspect.Signature.empty))


def entry(anchor: str, title: str, docstring: str) -> list[str]:
    return [f'<a id="{anchor}"></a>', "", f"## `{title}`", "", "```text", docstring, "```", ""]


def render() -> str:
    lines = [
        "# API reference",
        "",
        "Generated from the docstrings by `python tools/gen_api_docs.py`; do not edit by hand.",
        "The same text is shown by `help()`, e.g. `python -c 'import primes; help(primes.count)'`.",
        "",
    ]
    names = [name for name in primes.__all__ if name != "__version__"]
    lines += ["Contents: " + ", ".join(f"[`{name}`](#{name})" for name in names), ""]
    lines += entry("primes", "primes", inspect.cleandoc(primes.__doc__ or ""))
    constants = constant_docstrings(primes._coerce)  # where MODES and METHODS are defined
    for name in names:
        value = getattr(primes, name)
        if name in constants:
            lines += entry(name, f"primes.{name} = {value!r}", constants[name])
        elif inspect.ismodule(value):
            lines += entry(name, f"primes.{name}", inspect.getdoc(value) or "")
            for function_name in value.__all__:
                function = getattr(value, function_name)
                title = f"primes.{name}.{function_name}{plain_signature(function)}"
                lines += entry(f"{name}.{function_name}", title, inspect.getdoc(function) or "")
        else:
            lines += entry(name, f"primes.{name}{plain_signature(value)}", inspect.getdoc(value) or "")
    return "\n".join(lines).rstrip("\n") + "\n"


if __name__ == "__main__":
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUTPUT}", file=sys.stderr)
