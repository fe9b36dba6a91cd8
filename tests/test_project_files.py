# SPDX-License-Identifier: MIT
"""The licence and the project files: SPDX lines, the installed metadata, CITATION.cff, CHANGELOG.md.

The release files themselves (LICENSE inside the built wheel and sdist) are
checked by the slow tier's tests/test_packaging.py; here the installed
package's metadata is checked, which pip built with the same backend.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
from pathlib import Path

import pytest

import primes

REPO = Path(__file__).resolve().parents[1]
SPDX = "SPDX-License-Identifier: MIT"
# The kinds of source file that carry the SPDX line in their first lines.
SOURCE_SUFFIXES = {".c", ".h", ".py", ".pyi", ".sh", ".toml", ".in"}
SOURCE_NAMES = {"meson.build", "run"}
# Documentation that is not source (the project's front pages and data notes).
NOT_SOURCE = {"README.md", "CHANGELOG.md", "CONTRIBUTING.md"}
# Files that still lack the line, each with the reason.  A file that gains it
# must leave this list (the test fails until it does).
PENDING: dict = {}


def tracked_files():
    """The files of the repository: git's list in a checkout, else the tree (an unpacked sdist)."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True,
                                timeout=60)
        names = [name for name in listed.stdout.decode().split("\0") if name]
    except (OSError, subprocess.CalledProcessError):
        names = []
    if not names:
        ignored = {".git", "build", "builddir", "dist", "_build", "generated", "__pycache__", ".venv"}
        for root, dirs, files in os.walk(REPO):
            dirs[:] = [d for d in dirs if d not in ignored]  # prune build output
            names += [str(Path(root, f).relative_to(REPO)) for f in files]
    return sorted(name for name in names if (REPO / name).is_file())


def is_source(name: str) -> bool:
    path = Path(name)
    if path.name in NOT_SOURCE or name.endswith("/README.md"):
        return False
    if name.startswith(("tests/data/", "bench/results/")):
        return False
    return path.suffix in SOURCE_SUFFIXES or path.name in SOURCE_NAMES


def test_every_source_file_has_an_spdx_line():
    sources = [name for name in tracked_files() if is_source(name)]
    assert len(sources) > 50, sources  # the C library, the package, the tests, the scripts
    missing = set()
    for name in sources:
        head = (REPO / name).read_text(encoding="utf-8", errors="replace").splitlines()[:3]
        if not any(SPDX in line for line in head):
            missing.add(name)
    lacking = sorted(missing - set(PENDING))
    assert lacking == [], f"add '{SPDX}' (as a comment) to the top of: {lacking}"
    done = sorted(set(PENDING) - missing)
    assert done == [], f"these now carry the line; remove them from PENDING: {done}"


def test_licence_text():
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 The primes developers" in text
    assert "THE SOFTWARE IS PROVIDED \"AS IS\"" in text


def test_installed_metadata_carries_the_licence():
    metadata = importlib.metadata.metadata("primes")
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE"]
    classifiers = metadata.get_all("Classifier")
    assert not [c for c in classifiers if c.startswith("License ::")]  # PEP 639: the expression instead
    for version in ("3.9", "3.10", "3.11", "3.12", "3.13"):
        assert f"Programming Language :: Python :: {version}" in classifiers
    assert "Typing :: Typed" in classifiers
    assert any(c.startswith("Development Status ::") for c in classifiers)
    assert "The primes developers" in (metadata["Author"] or metadata["Author-email"] or "")
    files = importlib.metadata.files("primes") or []
    licences = [f for f in files if f.name == "LICENSE" and "dist-info" in str(f)]
    assert licences, [str(f) for f in files]
    assert licences[0].read_text() == (REPO / "LICENSE").read_text(encoding="utf-8")


def test_citation_and_changelog_match_the_version():
    version = primes.__version__
    if "+" in version:
        pytest.skip(f"no package metadata (version {version})")
    citation = (REPO / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(r"^cff-version: 1\.2\.0$", citation, flags=re.M)
    assert re.search(rf"^version: {re.escape(version)}$", citation, flags=re.M), "CITATION.cff: version"
    for key in ("title", "authors", "message", "license", "date-released"):
        assert re.search(rf"^{key}:", citation, flags=re.M), key
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in changelog
    assert re.search(rf"^## \[{re.escape(version)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", changelog, flags=re.M)
    meson = (REPO / "meson.build").read_text(encoding="utf-8")
    assert f"version: '{version}'" in meson
