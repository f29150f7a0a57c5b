"""Every developer and CI task: `nox -l` lists them, plain `nox` runs the CI selection."""

from __future__ import annotations

import glob
import os
import shutil
from pathlib import Path

import nox

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True
# A machine with one Python still runs every session it can; CI has all three.
nox.options.error_on_missing_interpreters = False
nox.options.sessions = [
    "lint",
    "typecheck",
    "tests_querylang",
    "tests",
    "e2e",
    "e2e_postgres",
    "interop",
    "contract",
    "compat",
]

# Interpreters installed by pyenv are invisible to uv and nox unless selected: put the
# newest 3.11/3.12/3.13 of them on PATH. uv must never download an interpreter (no network).
os.environ.setdefault("UV_PYTHON_DOWNLOADS", "never")
_pyenv_versions = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
if _pyenv_versions.is_dir():
    _bins = {}
    for _found in sorted(
        _pyenv_versions.glob("3.1[123].*/bin"),
        key=lambda p: [int(x) for x in p.parent.name.split(".") if x.isdigit()],
    ):
        _bins[_found.parent.name.rsplit(".", 1)[0]] = str(_found)
    os.environ["PATH"] = os.pathsep.join([*_bins.values(), os.environ.get("PATH", "")])

PACKAGES = ("shared_querylang", "server_kit", "client_backend")
DJANGO_SPECS = {"5.2": "django>=5.2,<5.3", "6": "django>=6.0,<7"}
# (python, django): every supported Python, both supported Django lines.
MATRIX = [("3.11", "5.2"), ("3.12", "6"), ("3.13", "5.2"), ("3.13", "6")]


# CI must not depend on luck: the property tests draw the same examples on every run (the
# seed that passes on a clean machine). Explore with `-- --hypothesis-seed=<another int>`.
HYPOTHESIS_SEED = "--hypothesis-seed=0"


def group(name: str) -> list[str]:
    return nox.project.dependency_groups(PYPROJECT, name)


@nox.session(python="3.11")
def lint(session: nox.Session) -> None:
    """Ruff lint and format check; the structure rules (no import circle, no long function)."""
    session.install(*group("lint"), "pytest")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("pytest", "tests", *session.posargs)


@nox.session(python="3.11")
def typecheck(session: nox.Session) -> None:
    """Mypy over each package on its own search path (catches undeclared imports)."""
    session.install("-e", ".[all]", *group("typing"))
    for package in PACKAGES:
        src = ROOT / "packages" / package / "src"
        if any(src.rglob("*.py")):
            session.run("mypy", str(src / package), env={"MYPYPATH": str(src)})
    session.run("mypy", "tools")


@nox.session(python=["3.11", "3.12", "3.13"])
def tests_querylang(session: nox.Session) -> None:
    """shared_querylang alone, with no Django installed: proves it stays pure."""
    session.install("-e", ".", "pytest", "pytest-cov", "hypothesis")
    session.run(
        "pytest",
        "packages/shared_querylang/tests",
        "-p",
        "no:django",
        "--cov=shared_querylang",
        "--cov-report=term-missing",
        "--cov-fail-under=100",
        HYPOTHESIS_SEED,
        *session.posargs,
    )


@nox.session
@nox.parametrize(("python", "django"), MATRIX, ids=[f"{p}-django{d}" for p, d in MATRIX])
def tests(session: nox.Session, django: str) -> None:
    """server_kit and client_backend tests, one pytest run per package."""
    session.install("-e", ".[all]", DJANGO_SPECS[django], *group("test"))
    for package in PACKAGES[1:]:
        tests_dir = ROOT / "packages" / package / "tests"
        if any(tests_dir.glob("test_*.py")):
            session.run("pytest", str(tests_dir), HYPOTHESIS_SEED, *session.posargs)


@nox.session(python="3.11")
def bench(session: nox.Session) -> None:
    """Benchmarks, printed as tables; writes docs/benchmarks.md and its plots. `-- --quick`."""
    # Django 5.2 for every contender; the peers get their own environments (benchmarks/benchlib.py).
    session.install("-e", ".[all]", "-e", PIZZERIA, DJANGO_SPECS["5.2"], "matplotlib")
    for script in sorted((ROOT / "benchmarks").glob("*_bench.py")):
        session.run("python", str(script), *session.posargs)


PIZZERIA = "examples/pizzeria"


@nox.session(python="3.11")
def bench_baseline(session: nox.Session) -> None:
    """This tree against an earlier commit in one interleaved run: `-- REF [--quick]`."""
    if not session.posargs:
        session.error("Name the commit to compare with: nox -s bench_baseline -- REF [--quick]")
    session.install("-e", ".[all]", "-e", PIZZERIA, DJANGO_SPECS["5.2"], "gunicorn")
    session.run("python", str(ROOT / "benchmarks" / "baseline.py"), *session.posargs)


@nox.session
def demo(session: nox.Session) -> None:
    """The pizzeria demo: API on gunicorn + the client's tour; `-- --serve` keeps both running."""
    session.install("-e", ".[all]", "-e", PIZZERIA, "gunicorn")
    session.run("python", "-m", "pizzeria_runner", *session.posargs)


def apt_install(session: nox.Session, package: str, missing: bool) -> None:
    """`apt-get install package` when `missing` (root only: otherwise say what to run)."""
    if not missing:
        return
    if os.geteuid() != 0:
        session.error(f"{package} is missing: run `apt-get install -y {package}` as root.")
    apt_env = {"DEBIAN_FRONTEND": "noninteractive"}
    session.run("apt-get", "update", external=True, env=apt_env)
    session.run("apt-get", "install", "-y", package, external=True, env=apt_env)


@nox.session
def e2e(session: nox.Session) -> None:
    """End-to-end: the client's ORM against the pizzeria API served by gunicorn (SQLite), and
    the client's admin in Debian's Chromium driven by Playwright (screenshots in artefacts/)."""
    apt_install(session, "chromium", missing=not Path("/usr/bin/chromium").exists())
    # Playwright drives Debian's Chromium: its own browser download is never used.
    session.install(
        "-e", ".[all]", "-e", PIZZERIA, "gunicorn", "playwright", *group("test"), *group("openapi")
    )  # fmt: skip
    env = {"DATABASE_URL": "", "PIZZERIA_BROWSER": "required"}
    session.run("pytest", f"{PIZZERIA}/tests", HYPOTHESIS_SEED, *session.posargs, env=env)


@nox.session(python="3.11")
def contract(session: nox.Session) -> None:
    """Contract tests of the pizzeria, both directions, as each team's CI runs them (no server)."""
    session.install("-e", ".[all]", "-e", PIZZERIA, *group("test"))
    api, client = f"{PIZZERIA}/api/manage.py", f"{PIZZERIA}/client/manage.py"
    # The API's CI: its committed contract is current; its consumers' expectations hold.
    session.run("python", api, "api_contract", "--check", f"{PIZZERIA}/api/contract.json")
    session.run("python", api, "api_verify", f"{PIZZERIA}/client/expectations")
    # The client's CI: its committed expectations are current; its models match the contract.
    session.run(
        "python", client, "api_expectations", "--consumer", "pizzeria_client",
        "--require-feature", "filter{}.not",
        "--check", f"{PIZZERIA}/client/expectations/pizzeria_client.json",
    )  # fmt: skip
    session.run("python", client, "api_check", "--contract", f"{PIZZERIA}/api/contract.json")
    # Each side failing, with its message, when the other side changes (one settings each).
    for side in ("provider", "consumer"):
        session.run("pytest", f"{PIZZERIA}/contract/{side}", *session.posargs)


@nox.session(python="3.11")
def interop(session: nox.Session) -> None:
    """Contract tests against the published django-rest-models 3.1.1 and dynamic-rest 2.3.0."""
    session.install(
        "-e", ".[all]", "-e", PIZZERIA, "django>=5.2,<6", "django-rest-models==3.1.1",
        "gunicorn", "inflection", "six", "hashids", *group("test"),
    )  # fmt: skip
    # dynamic-rest 2.3.0 pins Django<4.3 and DRF<3.16 but runs on Django 5.2 and DRF 3.18;
    # its real runtime dependencies (inflection, six, hashids) are installed above.
    session.install("--no-deps", "dynamic-rest==2.3.0")
    session.run("pytest", f"{PIZZERIA}/interop", *session.posargs, env={"DATABASE_URL": ""})


DYNAMIC_REST = "dynamic-rest==2.3.0"
FLEX_FIELDS = "drf-flex-fields==1.0.2"
# The session fails when fewer of a suite's tests pass (raise them as the figures grow):
# dynamic-rest's 190, drf-flex-fields' 64.
COMPAT_MIN_PASSED = 153
COMPAT_FLEX_MIN_PASSED = 44
COMPAT_DIR = ROOT / "packages" / "server_kit" / "compat"


def _peer_suite(session: nox.Session, requirement: str, package: str) -> Path:
    """The peer's sdist, downloaded at test time and unpacked, without its own package.

    Its suite ships in the sdist only and is never copied here; its package must not shadow
    the import alias (only its tests are used).
    """
    tmp = Path(session.create_tmp()).resolve()
    name, version = requirement.split("==")
    suite = tmp / name
    if not (suite / "tests").is_dir():
        session.run(
            "pip", "download", "--no-deps", "--no-binary", ":all:", "--dest", str(tmp),
            requirement,
        )  # fmt: skip
        stem = f"{name.replace('-', '?')}-{version}"
        shutil.unpack_archive(next(tmp.glob(f"{stem}.tar.gz")), tmp)
        shutil.rmtree(suite, ignore_errors=True)
        next(path for path in tmp.glob(stem) if path.is_dir()).rename(suite)
    shutil.rmtree(suite / package, ignore_errors=True)
    return suite


@nox.session(python="3.11")
def compat(session: nox.Session) -> None:
    """dynamic-rest 2.3.0's and drf-flex-fields 1.0.2's own suites, run on server_kit.

    Each suite is downloaded and run via an import alias (``dynamic_rest`` -> ``server_kit``,
    ``rest_flex_fields`` -> ``server_kit.flex``); each prints ``N passed of TOTAL``. The skip
    lists (private peer names) are in packages/server_kit/compat/ and docs/compatibility.md.
    Posargs narrow the dynamic-rest run.
    """
    session.install(
        "-e", ".[all]", DJANGO_SPECS["5.2"], "pytest>=8", "pytest-django>=4.9",
        # the suite's own test dependencies (inflection, hashids come with .[all]), and pip
        "mock", "six", "pip",
    )  # fmt: skip
    # Both fetched first: the temporary directory's path is relative to the first cwd.
    dynamic_rest = _peer_suite(session, DYNAMIC_REST, "dynamic_rest")
    flex = _peer_suite(session, FLEX_FIELDS, "rest_flex_fields")
    session.chdir(dynamic_rest)
    session.run(
        "pytest", "-p", "dynamic_rest_alias", "-p", "no:cacheprovider", "-q", "--tb=line",
        f"--min-passed={COMPAT_MIN_PASSED}",
        *(session.posargs or ["tests", "--ignore=tests/integration"]),
        env={"PYTHONPATH": str(COMPAT_DIR), "DATABASE_URL": ""},
    )  # fmt: skip
    _compat_flex(session, flex)


def _compat_flex(session: nox.Session, suite: Path) -> None:
    """drf-flex-fields 1.0.2's suite on server_kit.flex."""
    # The one allowed edit: django.conf.urls.url is gone in Django >= 4 (the suite needs the
    # same fix to run on drf-flex-fields itself there).
    urls = suite / "tests" / "urls.py"
    urls.write_text(
        urls.read_text().replace(
            "from django.conf.urls import url, include",
            "from django.urls import include, re_path as url",
        )
    )
    session.chdir(suite)
    session.run(
        # The sdist's own setup.cfg as the ini file: the suite is its rootdir, not this repo.
        "pytest", "-c", "setup.cfg", "-p", "flex_alias", "-p", "no:cacheprovider", "-q",
        "--tb=line", "--ds=tests.settings", f"--min-passed={COMPAT_FLEX_MIN_PASSED}", "tests",
        env={"PYTHONPATH": f"{COMPAT_DIR}{os.pathsep}{suite}", "DATABASE_URL": ""},
    )  # fmt: skip


@nox.session
def e2e_postgres(session: nox.Session) -> None:
    """The e2e suite with the API on a throwaway PostgreSQL cluster (installed if missing)."""
    missing = not glob.glob("/usr/lib/postgresql/*/bin/initdb") and not shutil.which("initdb")
    apt_install(session, "postgresql", missing=missing)
    session.install(
        "-e", ".[all]", "-e", f"{PIZZERIA}[postgres]", "gunicorn", *group("test"), *group("openapi")
    )  # fmt: skip
    session.run(
        "python", "-m", "pizzeria_runner.postgres", "--", "pytest", f"{PIZZERIA}/tests",
        HYPOTHESIS_SEED, *session.posargs,
    )  # fmt: skip
