"""``make mutants AREA=…``: mutation testing (mutmut 3) of one area, against that area's tests only.

mutmut reads one fixed configuration (setup.cfg, ``[mutmut]``); an area (``[mutants:NAME]`` in
setup.cfg) adds which mutants to run (``mutate``: mutant-name globs, ``forum.permissions.*``) and
which tests to run them against (``tests``); ``MUTATE`` in the environment narrows ``mutate``. Why not the whole suite: mutmut runs, for each
mutant, every selected test that reached the mutated function, and nearly every test reaches
``forum.permissions.is_member``; with only the area's fast tests the permissions area takes
minutes on two cores instead of hours.

    python tests/mutation.py run permissions     # mutate and test (results kept in mutants/)
    python tests/mutation.py score permissions   # killed / total per module, and the survivors
    python tests/mutation.py retest permissions  # the survivors only, again (after new tests)
"""
import json
import os
import subprocess
import sys
from collections import Counter, defaultdict
from configparser import ConfigParser
from fnmatch import fnmatch
from pathlib import Path

# A status the tests cannot change is not counted against them (mutmut's own names).
NOT_COUNTED = {"not checked", "skipped", "caught by type check"}


def area(name):
    parser = ConfigParser()
    parser.read("setup.cfg")
    section = f"mutants:{name}"
    if not parser.has_section(section):
        known = [s.split(":", 1)[1] for s in parser.sections() if s.startswith("mutants:")]
        sys.exit(f"unknown AREA {name!r}: one of {', '.join(known)}")
    # MUTATE narrows a long area to some of its modules (MUTATE='moderation.sanctions.*').
    globs = os.environ.get("MUTATE", "").split() or parser.get(section, "mutate").split()
    return globs, parser.get(section, "tests").split()


def run(name):
    globs, tests = area(name)
    # Imported here: the configuration must be read from the project's root, where make runs.
    from mutmut import configuration
    from mutmut.__main__ import cli

    # mutmut has no per-run test selection; its configuration object is the one place it reads
    # it from, and it invalidates cached results when the selection changes.
    configuration.config().pytest_add_cli_args_test_selection = tests
    cli.main(["run", *globs], prog_name="mutmut", standalone_mode=False)


def results(globs):
    """{mutant name: status} of the mutants ``globs`` name, from mutmut's last runs."""
    lines = subprocess.run([sys.executable, "-m", "mutmut", "results", "--all", "true"], check=True,
                           capture_output=True, text=True).stdout.splitlines()
    found = {}
    for line in lines:
        mutant, _, status = line.strip().rpartition(": ")
        if any(fnmatch(mutant, glob) for glob in globs):
            found[mutant] = status
    return found


def retest(name):
    """Run the area's survivors (and the mutants no test reached) again: mutmut keeps a verdict
    until the mutated function changes, so new tests alone would not make it try them again.
    Their verdicts are forgotten (mutants/**/*.meta), then only they run; new tests are found
    by mutmut itself."""
    globs, _tests = area(name)
    survivors = [mutant for mutant, status in results(globs).items() if status in ("survived", "no tests")]
    if not survivors:
        return print("no survivors")
    for meta in Path("mutants").rglob("*.py.meta"):
        data = json.loads(meta.read_text())
        codes = data["exit_code_by_key"]
        if any(mutant in codes for mutant in survivors):
            codes.update({mutant: None for mutant in survivors if mutant in codes})   # None: not checked
            meta.write_text(json.dumps(data))
    # Which tests reach which function is recorded once; a test that changed (a row added to a
    # table) would not be tried on a mutant it now reaches: record again (the area's tests, once).
    Path("mutants/mutmut-stats.json").unlink(missing_ok=True)
    os.environ["MUTATE"] = " ".join(survivors)
    run(name)


def score(name):
    globs, _tests = area(name)
    statuses = defaultdict(Counter)
    survivors = []
    for mutant, status in results(globs).items():
        module = mutant.split(".x_")[0].split(".xǁ")[0]
        statuses[module][status] += 1
        if status == "survived":
            survivors.append(mutant)
    for module, counts in sorted(statuses.items()):
        total = sum(n for status, n in counts.items() if status not in NOT_COUNTED)
        others = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()) if status != "killed")
        print(f"{module}: {counts['killed']}/{total} killed" + (f" ({others})" if others else ""))
    for mutant in survivors:
        print(f"  survived: {mutant}   (mutmut show {mutant})")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("run", "score", "retest"):
        sys.exit(__doc__)
    {"run": run, "score": score, "retest": retest}[sys.argv[1]](sys.argv[2])
