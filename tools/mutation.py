"""Mutation testing of the rule modules (cosmic-ray): each module against its own tests only.

    make mutation                         # every module below (long: run it on a quiet machine)
    .venv/bin/python tools/mutation.py phases text   # some of them
    MUTATION_SECONDS=600 make mutation MUTATION_MODULES=permissions   # at most 10 minutes a module

With a time budget (MUTATION_SECONDS, or --seconds N before the module names), each module's run
stops when its budget is spent: cosmic-ray takes the mutants in random order, so what ran is a
random sample, and the report says how many mutants were not run.

The working tree is copied to a temporary folder first (cosmic-ray mutates files in place), so
you may go on working meanwhile. Sessions and reports are written to test-artifacts/mutation/;
the last lines list the surviving mutants: each one is a change of a rule that no test noticed.
Not run by CI: it takes from minutes to hours.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "test-artifacts" / "mutation"

# module → the tests that guard it (nothing else runs, so that each mutant costs seconds).
MODULES = {
    "phases": ("concertation/phases.py", ["tests/core/test_phases.py"]),
    "text": ("concertation/text.py", ["tests/core/test_text.py", "tests/core/test_hostile_text.py"]),
    "permissions": (
        "concertation/permissions.py",
        [
            "tests/core/test_permissions.py",
            "tests/proposals/test_permissions.py",
            "tests/synthesis/test_permissions.py",
            "tests/manifesto/test_permissions.py",
        ],
    ),
    "majority_judgment": ("concertation/voting/majority_judgment.py", ["tests/voting/test_majority_judgment.py"]),
    "voting": ("concertation/voting/services.py", ["tests/voting/test_services.py"]),
    "synthesis_freezing": (
        "concertation/synthesis/services.py",
        ["tests/synthesis/test_services.py", "tests/synthesis/test_frozen_figures.py"],
    ),
}

# Operators whose mutants say little about a rule here (they rewrite exceptions or decorators).
SKIPPED_OPERATORS = ["core/ExceptionReplacer", "core/RemoveDecorator"]


def copy_tree(target: Path) -> None:
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split("\n")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def run(name: str, work: Path, seconds: float | None) -> None:
    module, tests = MODULES[name]
    tests = [t for t in tests if (work / t).exists()]
    config = work / f"mutation-{name}.toml"
    session = OUT / f"{name}.sqlite"
    session.unlink(missing_ok=True)
    command = f"{sys.executable} -m pytest -x -q -p no:cacheprovider {' '.join(tests)}"
    config.write_text(f'''[cosmic-ray]
module-path = "{module}"
timeout = 300.0
excluded-modules = []
test-command = "{command}"

[cosmic-ray.distributor]
name = "local"

[cosmic-ray.filters.operators-filter]
exclude-operators = {SKIPPED_OPERATORS!r}
''')
    bin_dir = Path(sys.executable).parent
    subprocess.run([bin_dir / "cosmic-ray", "init", config, session], cwd=work, check=True)
    subprocess.run([bin_dir / "cr-filter-operators", session, config], cwd=work, check=False)
    execution = subprocess.Popen([bin_dir / "cosmic-ray", "exec", config, session], cwd=work, start_new_session=True)
    try:
        execution.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(execution.pid, signal.SIGKILL)  # cosmic-ray and the pytest it runs
        execution.wait()
        shutil.copy2(ROOT / module, work / module)  # a mutant may have been left in place
        print(f"== {name}: time budget of {seconds:.0f} s spent, the mutants not run are left out")
    report = subprocess.run(
        [bin_dir / "cr-report", "--show-diff", "--surviving-only", session], cwd=work, capture_output=True, text=True
    ).stdout
    (OUT / f"{name}.txt").write_text(report)
    summary = subprocess.run([bin_dir / "cr-report", session], cwd=work, capture_output=True, text=True).stdout
    print(f"== {name} ({module})")
    totals = ("total jobs:", "complete:", "surviving mutants:", "no jobs completed")
    print("\n".join(line for line in summary.splitlines() if line.startswith(totals)) or "no report")


def main(names: list[str]) -> None:
    seconds = float(os.environ["MUTATION_SECONDS"]) if os.environ.get("MUTATION_SECONDS") else None
    if names[:1] == ["--seconds"] and len(names) > 1:
        seconds, names = float(names[1]), names[2:]
    unknown = set(names) - set(MODULES)
    if unknown:
        sys.exit(f"Modules inconnus : {', '.join(sorted(unknown))} (choisir parmi {', '.join(MODULES)})")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="concertation-mutation-") as tmp:
        work = Path(tmp)
        copy_tree(work)
        for name in names or list(MODULES):
            run(name, work, seconds)


if __name__ == "__main__":
    main(sys.argv[1:])
