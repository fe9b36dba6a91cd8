# SPDX-License-Identifier: MIT
"""The release files: a py3-none manylinux2014 wheel for x86-64 and one for aarch64, and the sdist.

The wheels and the sdist come from ``tools/build_dist.sh`` (the documented
release command), run once for the whole module, or from the environment
variables ``PRIMES_WHEEL`` (x86-64), ``PRIMES_WHEEL_AARCH64`` and
``PRIMES_SDIST`` when CI has built them already (``.ci/run``,
``.ci/packaging.sh``).  Both wheels are read here (tags, files, the library's
ELF header, DT_NEEDED and glibc symbol versions, the recorded build); the
x86-64 wheel is installed into a fresh venv of every CPython 3.9 to 3.13 found
on the machine, the sdist into a fresh venv of the Python running the tests,
and each is used from outside the repository.  ``tools/test_wheels.sh``
installs both wheels on Debian systems of their kind (an older glibc; arm64
under qemu), outside pytest.

Note that the sdist holds the files committed to git (meson dist packs the
git repository), while the wheel is built from the working tree.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from elftools.elf.elffile import ELFFile

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
TIMEOUT = 1200  # seconds for each step: builds and downloads can be slow
# requires-python is >=3.9; these are the CPython versions the wheel is tested on.
SUPPORTED_PYTHONS = ("3.9", "3.10", "3.11", "3.12", "3.13")
# What the library may link against: the C library (with libm and, before
# glibc 2.34 merged it into libc, libpthread).  Anything else would have to be
# on the user's machine or bundled.
ALLOWED_NEEDED = {"libc.so.6", "libm.so.6", "libpthread.so.0"}
# manylinux2014 is glibc 2.17: the library may bind no newer symbol version.
MANYLINUX_GLIBC = (2, 17)
ARCHS = ("x86_64", "aarch64")
ELF_MACHINE = {"x86_64": "EM_X86_64", "aarch64": "EM_AARCH64"}
# What a wheel built by tools/build_dist.sh records of its build (primes/_build_info.py).
BUILD_INFO_SAME_AS_NATIVE = ("BUILDTYPE", "OPTIMIZATION", "DEBUG", "B_NDEBUG", "C_STD", "PROJECT_C_ARGS")

SMOKE_TEST = """
import json, sys
import numpy as np
import primes

assert primes.count(np.arange(10**6)) == 78498
for dtype in ("int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64", ">i8", "<u4"):
    values = np.arange(90, 110).astype(dtype)
    mask = primes.is_prime(values)
    assert mask.dtype == np.bool_ and mask.shape == values.shape, (dtype, mask)
    assert values[mask].tolist() == [97, 101, 103, 107, 109], (dtype, values[mask])
assert primes.is_prime(2**64 - 59) and not primes.is_prime(2**64 - 1)
assert primes.count([2, 3, 4, -5], mode="serial") == 2
assert primes.count(np.arange(12).reshape(3, 4), axis=1).tolist() == [2, 2, 1]
with primes.set_threads(1):
    assert primes.count(np.arange(10**5), mode="threading") == 9592
config = primes.show_config(mode="dicts")
print(json.dumps({
    "python": "{}.{}".format(*sys.version_info),
    "implementation": sys.implementation.name,
    "primes": primes.__file__,
    "library": config["library"]["path"],
    "compiler": config["build"]["compiler"],
    "toolchain": config["build"]["toolchain"],
}))
"""


def clean_environment():
    """The environment for the subprocesses, as a user's: no venv, PYTHONPATH, thread settings,
    developer library override (PRIMES_LIBRARY) or preloaded sanitizer runtimes leak in."""
    leaking = ("PRIMES_NUM_THREADS", "PRIMES_LIBRARY", "VIRTUAL_ENV", "DIST_DIR", "LD_PRELOAD")
    return {
        key: value for key, value in os.environ.items() if not key.startswith("PYTHON") and key not in leaking
    }


def run(args, cwd, **kwargs):
    completed = subprocess.run(
        [str(arg) for arg in args], cwd=cwd, env=clean_environment(), capture_output=True, text=True,
        timeout=TIMEOUT, **kwargs,
    )
    assert completed.returncode == 0, (
        f"{' '.join(map(str, args))} failed ({completed.returncode}):\n"
        f"{completed.stdout[-5000:]}\n{completed.stderr[-5000:]}"
    )
    return completed


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """{"wheel": x86-64 wheel, "wheel_aarch64": Path, "sdist": Path}: from PRIMES_WHEEL,
    PRIMES_WHEEL_AARCH64 and PRIMES_SDIST, else built once here."""
    given = {kind: os.environ.get(f"PRIMES_{kind.upper()}") for kind in ("wheel", "wheel_aarch64", "sdist")}
    if not all(given.values()):
        out = tmp_path_factory.mktemp("dist")
        env = clean_environment() | {"DIST_DIR": str(out), "PYTHON": sys.executable}
        completed = subprocess.run(
            ["bash", str(REPO / "tools" / "build_dist.sh")], cwd=REPO, env=env, capture_output=True,
            text=True, timeout=TIMEOUT,
        )
        assert completed.returncode == 0, (
            f"build_dist.sh failed:\n{completed.stdout[-5000:]}\n{completed.stderr[-5000:]}"
        )
        built = {
            "wheel": list(out.glob("primes-*_x86_64.whl")),
            "wheel_aarch64": list(out.glob("primes-*_aarch64.whl")),
            "sdist": list(out.glob("primes-*.tar.gz")),
        }
        assert [len(files) for files in built.values()] == [1, 1, 1], built
        assert len(list(out.iterdir())) == 3, sorted(out.iterdir())
        for kind, files in built.items():
            given[kind] = given[kind] or str(files[0])
    paths = {kind: Path(path).resolve() for kind, path in given.items()}
    for path in paths.values():
        assert path.is_file(), path
    return paths


def find_cpython(version):
    """The path of a CPython ``version`` ("3.12") interpreter on this machine, or None.

    Looks in pyenv's versions (newest patch release first), then on PATH.
    """
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates = sorted(
        (path for path in (pyenv_root / "versions").glob(f"{version}.*/bin/python")
         if re.fullmatch(rf"{re.escape(version)}\.\d+", path.parents[1].name)),
        key=lambda path: int(path.parents[1].name.rsplit(".", 1)[1]),
        reverse=True,
    )
    on_path = shutil.which(f"python{version}")
    if on_path:
        candidates.append(Path(on_path))
    for candidate in candidates:
        code = "import sys; print(sys.implementation.name, '{}.{}'.format(*sys.version_info))"
        probe = subprocess.run(
            [str(candidate), "-c", code],
            capture_output=True, text=True, env=clean_environment(), timeout=60,
        )
        if probe.returncode == 0 and probe.stdout.split() == ["cpython", version]:
            return candidate
    return None


def install_and_smoke_test(python, package, tmp_path):
    """Install ``package`` (a wheel or an sdist) into a fresh venv of ``python``; use it from elsewhere."""
    venv = tmp_path / "venv"
    run([python, "-m", "venv", venv], cwd=tmp_path)
    venv_python = venv / "bin" / "python"
    run([venv_python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "--only-binary=numpy", package], cwd=tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # -I: isolated mode, so neither the current folder nor PYTHON* variables are used.
    report = json.loads(run([venv_python, "-I", "-c", SMOKE_TEST], cwd=elsewhere).stdout)
    assert Path(report["primes"]).resolve().is_relative_to(venv.resolve()), report
    assert Path(report["library"]).resolve().is_relative_to(venv.resolve()), report
    table = run([venv / "bin" / "primes", "1000", "--repeats", "1"], cwd=elsewhere).stdout
    assert re.search(r"C pthreads\s+pthreads\s+168\s", table), table
    return report


# --- the wheels ---------------------------------------------------------------------------


def wheel_names(wheel):
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def wheel_of(dist, arch):
    return dist["wheel"] if arch == "x86_64" else dist[f"wheel_{arch}"]


def read_library(wheel):
    with zipfile.ZipFile(wheel) as archive:
        return ELFFile(io.BytesIO(archive.read("primes/libprimes.so")))


def read_build_info(wheel):
    """The constants of the wheel's generated primes/_build_info.py (string assignments only)."""
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read("primes/_build_info.py").decode()
    return dict(re.findall(r'^([A-Z_]+) = "(.*)"$', text, flags=re.MULTILINE))


@pytest.mark.parametrize("arch", ARCHS)
def test_wheel_is_tagged_py3_none_manylinux2014(dist, arch):
    wheel = wheel_of(dist, arch)
    # PEP 599's name and PEP 600's for the same policy: pip >= 19.3 and >= 20.3 each know one.
    pattern = rf"primes-[\w.]+-py3-none-manylinux2014_{arch}\.manylinux_2_17_{arch}\.whl"
    assert re.fullmatch(pattern, wheel.name), wheel.name
    with zipfile.ZipFile(wheel) as archive:
        wheel_metadata = archive.read(next(n for n in archive.namelist() if n.endswith(".dist-info/WHEEL")))
    tags = re.findall(r"^Tag: (\S+)$", wheel_metadata.decode(), flags=re.MULTILINE)
    assert sorted(tags) == [f"py3-none-manylinux2014_{arch}", f"py3-none-manylinux_2_17_{arch}"], tags
    assert "Root-Is-Purelib: false" in wheel_metadata.decode()


@pytest.mark.parametrize("arch", ARCHS)
def test_wheel_holds_the_package_and_nothing_else(dist, arch):
    names = wheel_names(wheel_of(dist, arch))
    source_modules = {f"primes/{path.name}" for path in (REPO / "primes").glob("*.py")}
    generated = {"primes/_build_info.py", "primes/_constants.py"}  # by meson.build
    expected = source_modules | generated | {"primes/py.typed", "primes/libprimes.so"}
    files = {name for name in names if not name.endswith("/")}
    package_files = {name for name in files if name.startswith("primes/")}
    assert package_files == expected, (
        f"missing: {sorted(expected - package_files)}; unexpected: {sorted(package_files - expected)}"
    )
    dist_info = {name.split("/", 1)[1] for name in files if re.match(r"primes-[^/]+\.dist-info/", name)}
    assert dist_info == {"METADATA", "WHEEL", "RECORD", "entry_points.txt", "licenses/LICENSE"}, dist_info
    # Nothing but the package and its metadata: no build leftovers, tests or bundled libraries.
    others = files - package_files - {name for name in files if ".dist-info/" in name}
    assert others == set(), others
    leftovers = [name for name in files if name.endswith((".o", ".a", ".c", ".h", ".in", ".pyi", ".pyc"))
                 or "build/" in name or ".mesonpy" in name or "tests/" in name or ".libs/" in name]
    assert leftovers == [], leftovers


@pytest.mark.parametrize("arch", ARCHS)
def test_wheel_carries_the_licence(dist, arch):
    with zipfile.ZipFile(wheel_of(dist, arch)) as archive:
        names = archive.namelist()
        licence = next(name for name in names if name.endswith(".dist-info/licenses/LICENSE"))
        metadata = archive.read(next(name for name in names if name.endswith(".dist-info/METADATA"))).decode()
        assert archive.read(licence) == (REPO / "LICENSE").read_bytes()
    headers = metadata.split("\n\n", 1)[0].splitlines()
    assert "License-Expression: MIT" in headers, headers
    assert "License-File: LICENSE" in headers, headers
    assert not any(line.startswith("Classifier: License ::") for line in headers)  # PEP 639


@pytest.mark.parametrize("arch", ARCHS)
def test_library_is_a_64_bit_shared_object_for_the_wheels_architecture(dist, arch):
    header = read_library(wheel_of(dist, arch)).header
    assert header["e_machine"] == ELF_MACHINE[arch], header["e_machine"]
    assert header["e_type"] == "ET_DYN", header["e_type"]
    assert header["e_ident"]["EI_CLASS"] == "ELFCLASS64" and header["e_ident"]["EI_DATA"] == "ELFDATA2LSB"


@pytest.mark.parametrize("arch", ARCHS)
def test_library_needs_only_the_c_runtime(dist, arch):
    dynamic = read_library(wheel_of(dist, arch)).get_section_by_name(".dynamic")
    needed = {tag.needed for tag in dynamic.iter_tags("DT_NEEDED")}
    assert needed and needed <= ALLOWED_NEEDED, needed
    assert "libc.so.6" in needed


@pytest.mark.parametrize("arch", ARCHS)
def test_library_binds_no_glibc_symbol_version_after_2_17(dist, arch):
    library = read_library(wheel_of(dist, arch))
    required = {}  # version name -> the library file that must provide it
    for verneed, auxiliaries in library.get_section_by_name(".gnu.version_r").iter_versions():
        for auxiliary in auxiliaries:
            required[auxiliary.name] = verneed.name
    glibc = {name: tuple(map(int, name[len("GLIBC_"):].split("."))) for name in required
             if name.startswith("GLIBC_") and name != "GLIBC_PRIVATE"}
    assert glibc, required  # pthread_create and friends are versioned: the check is not vacuous
    assert set(required) == set(glibc), required  # no GLIBC_PRIVATE, no other library's versions
    too_new = sorted(name for name, version in glibc.items() if version > MANYLINUX_GLIBC)
    assert too_new == [], f"symbol versions newer than manylinux2014's glibc 2.17: {too_new}"


@pytest.mark.parametrize("arch", ARCHS)
def test_wheel_records_the_zig_build_with_the_native_builds_flags(dist, arch):
    info = read_build_info(wheel_of(dist, arch))
    toolchain = info["TOOLCHAIN"]
    assert toolchain.startswith("Zig ") and f"-target {arch}-linux-gnu.2.17" in toolchain, info
    assert info["GLIBC"] == "2.17" and info["COMPILER_ID"] == "clang", info
    assert (info["HOST_SYSTEM"], info["HOST_CPU_FAMILY"]) == ("linux", arch), info
    assert info["USER_C_ARGS"] == "", info  # the machine file adds no compile flags
    # The package under test was built natively (pip install .): the same build options.
    from primes import _build_info as native

    for key in BUILD_INFO_SAME_AS_NATIVE:
        wheel_value, native_value = info[key], getattr(native, key)
        if key == "PROJECT_C_ARGS" and arch != native.HOST_CPU_FAMILY:
            # The x86-64 kernel levels (-DPRIMES_HAVE_AVX2=1 ...) exist on
            # x86-64 only; every other flag is the same on each architecture.
            wheel_value, native_value = (
                " ".join(flag for flag in value.split() if not flag.startswith("-DPRIMES_HAVE_"))
                for value in (wheel_value, native_value))
        assert wheel_value == native_value, (key, info[key], getattr(native, key))
    if arch == "x86_64":
        assert "-DPRIMES_HAVE_AVX2=1" in info["PROJECT_C_ARGS"].split(), info  # the SIMD kernels ship
    else:
        assert "-DPRIMES_HAVE_" not in info["PROJECT_C_ARGS"], info  # portable kernels only
    assert info["OPTIMIZATION"] == "3" and info["BUILDTYPE"] == "release", info


@pytest.mark.parametrize("version", SUPPORTED_PYTHONS)
def test_one_wheel_installs_and_works_on_every_python(dist, version, tmp_path):
    python = find_cpython(version)
    if python is None:
        pytest.skip(f"CPython {version} is not installed here (looked in pyenv's versions and on PATH)")
    report = install_and_smoke_test(python, dist["wheel"], tmp_path)
    assert (report["implementation"], report["python"]) == ("cpython", version)
    assert report["toolchain"].startswith("Zig "), report


# --- the sdist ----------------------------------------------------------------------------


def uncommitted_note():
    """A hint for failures of the sdist tests when the working tree differs from git's HEAD."""
    status = subprocess.run(["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True)
    if status.returncode != 0 or not status.stdout.strip():
        return ""
    return (
        "\nNote: the sdist holds the files committed to git (meson dist), and this working tree "
        f"has uncommitted changes:\n{status.stdout[:2000]}"
    )


def test_sdist_holds_the_sources_and_no_build_output(dist):
    with tarfile.open(dist["sdist"]) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for required in ("pyproject.toml", "meson.build", "README.md", "LICENSE", "PKG-INFO", "src_c/entry.c",
                     "src_c/primes.h", "primes/__init__.py", "primes/py.typed", "primes/_build_info.py.in",
                     "tools/gen_constants.py"):
        assert required in names, f"{required} missing from the sdist{uncommitted_note()}"
    built = [name for name in names
             if name.endswith((".so", ".o", ".whl")) or name.startswith(("build/", "builddir/", "dist/"))]
    assert built == [], built


def test_sdist_carries_the_licence(dist):
    with tarfile.open(dist["sdist"]) as archive:
        members = {member.name.split("/", 1)[1]: member for member in archive.getmembers() if "/" in member.name}
        assert "LICENSE" in members, f"LICENSE missing from the sdist{uncommitted_note()}"
        licence = archive.extractfile(members["LICENSE"])
        assert licence is not None and licence.read() == (REPO / "LICENSE").read_bytes()
        pkg_info = archive.extractfile(members["PKG-INFO"])
        assert pkg_info is not None
        headers = pkg_info.read().decode().split("\n\n", 1)[0].splitlines()
    assert "License-Expression: MIT" in headers and "License-File: LICENSE" in headers, headers


def test_sdist_builds_installs_and_works(dist, tmp_path):
    try:
        report = install_and_smoke_test(sys.executable, dist["sdist"], tmp_path)
    except AssertionError as error:
        raise AssertionError(f"{error}{uncommitted_note()}") from None
    assert report["python"] == "{}.{}".format(*sys.version_info)
    # Built by the system's compiler: Zig is a release tool, not a build requirement.
    assert report["toolchain"] == "", report
