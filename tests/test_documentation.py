"""The documentation stays true: a short README, every setting and command documented once, links that lead somewhere.

The pages checked are README.md, SECURITY.md, docs/*.md and bench/README.md. Links are Markdown
links (`[text](target)`, images too) outside code; a target is either a file of the
repository, relative to the page's own folder, with an optional `#anchor` that must match a
heading of that file (GitHub's slugs), or the local demo (http://127.0.0.1:5000). Nothing else
leaves the repository.
"""
import glob
import os
import re

import click
import pytest

from forum import create_app
from forum.config import SETTINGS

from .conftest import base_config

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
README = os.path.join(ROOT, "README.md")
SECURITY = os.path.join(ROOT, "SECURITY.md")
CONFIGURATION = os.path.join(ROOT, "docs", "configuration.md")
COMMAND_LINE = os.path.join(ROOT, "docs", "command-line.md")
README_MAX_LINES = 200
# The one address outside the repository a page may link to: the demo that `make run` serves.
ALLOWED_EXTERNAL = ("http://127.0.0.1:5000",)


def pages():
    found = [README, SECURITY, os.path.join(ROOT, "bench", "README.md")]
    found += sorted(glob.glob(os.path.join(ROOT, "docs", "*.md")))
    return found


def relative(path):
    return os.path.relpath(path, ROOT)


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def prose(text):
    """Every line of the text, with inline code spans blanked; None for lines of code blocks
    (fenced or indented), so that line numbers stay right."""
    result = []
    fence = None
    previous_blank = True
    for line in text.splitlines():
        stripped = line.lstrip()
        marker = re.match(r"(`{3,}|~{3,})", stripped)
        if fence:
            if marker and stripped.startswith(fence):
                fence = None
            result.append(None)
        elif marker:
            fence = marker.group(1)
            result.append(None)
        elif previous_blank and line.startswith("    ") and stripped:
            result.append(None)   # an indented code block: previous_blank stays, the block goes on
        else:
            previous_blank = not stripped
            result.append(re.sub(r"(`+)(.+?)\1", lambda m: " " * len(m.group(0)), line))
    return result


def table_rows(text):
    """The cells of every table row (header and separator rows left out)."""
    for line in text.splitlines():
        if not line.startswith("|"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if all(re.fullmatch(r":?-+:?", cell) for cell in cells):
            continue
        yield cells


# --- headings and links ---------------------------------------------------------------------

def slug(heading):
    """GitHub's anchor for a heading: the text as rendered, lower-cased, punctuation dropped
    (hyphens and underscores kept, accents kept), spaces turned into hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)   # a link: its text
    text = re.sub(r"[`*]|(?<!\w)_|_(?!\w)", "", text)            # code and emphasis marks
    text = re.sub(r"<[^>]+>", "", text).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path):
    seen = {}
    found = set()
    for line in prose(read(path)):
        match = line is not None and re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not match:
            continue
        base = slug(match.group(1))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
AUTOLINK = re.compile(r"<((?:[a-z][a-z0-9+.-]*:|//)[^>\s]*)>", re.IGNORECASE)


def links(path):
    """(line number, target) of every link of a page, outside code."""
    found = []
    for number, line in enumerate(prose(read(path)), start=1):
        if line is not None:
            found += [(number, m.group(1)) for m in LINK.finditer(line)]
            found += [(number, m.group(1)) for m in AUTOLINK.finditer(line)]
    return found


def link_problems(path, root=ROOT):
    problems = []
    where = os.path.relpath(path, root)
    folder = os.path.dirname(path)
    for number, target in links(path):
        at = f"{where}:{number}: {target}"
        if not target:
            problems.append(f"{at}: empty link")
            continue
        if re.match(r"[a-z][a-z0-9+.-]*:|//", target, re.IGNORECASE):
            if not target.startswith(ALLOWED_EXTERNAL):
                problems.append(f"{at}: leaves the repository")
            continue
        file_part, _, anchor = target.partition("#")
        if file_part.startswith("/"):
            problems.append(f"{at}: absolute path (write it relative to the page's folder)")
            continue
        destination = os.path.normpath(os.path.join(folder, file_part)) if file_part else path
        if os.path.commonpath([destination, root]) != root:
            problems.append(f"{at}: outside the repository")
            continue
        if not os.path.exists(destination):
            problems.append(f"{at}: no such file")
            continue
        if anchor and destination.endswith(".md") and anchor not in anchors(destination):
            problems.append(f"{at}: no heading #{anchor} in {os.path.relpath(destination, root)}")
    return problems


# --- the README -----------------------------------------------------------------------------

def test_readme_opens_with_the_two_commands():
    head = read(README).splitlines()[:6]
    assert any(line.startswith("make run") for line in head)
    assert any(line.startswith("make test") for line in head)


def test_readme_says_what_make_run_needs():
    """`make run` always runs `npm ci` (issue 16, item 20): Node and npm are needed, not optional."""
    needed = read(README).split("## What is needed", 1)[1].split("\n## ", 1)[0]
    makefile = read(os.path.join(ROOT, "Makefile"))
    assert re.search(r"^run: .*\bassets\b", makefile, re.M) and "npm ci" in makefile
    assert "Node.js with npm" in needed and "when present" not in needed
    assert "npm ci" in needed and "serve-prod" in needed


def test_readme_fits_on_a_screen_or_two():
    lines = len(read(README).splitlines())
    assert lines < README_MAX_LINES, f"README.md has {lines} lines: move the details to docs/"


# --- settings -------------------------------------------------------------------------------

def setting_rows(path):
    """{setting name: [its rows]} for the table rows whose first cell is `FORUM_<NAME>`."""
    rows = {}
    for cells in table_rows(read(path)):
        match = re.fullmatch(r"`FORUM_([A-Z0-9_]+)`", cells[0])
        if match:
            rows.setdefault(match.group(1), []).append(cells)
    return rows


def test_every_setting_is_documented_once_in_the_configuration_page():
    rows = setting_rows(CONFIGURATION)
    missing = [name for name in SETTINGS if name not in rows]
    twice = [name for name, found in rows.items() if len(found) > 1]
    unknown = [name for name in rows if name not in SETTINGS]
    undescribed = [name for name, found in rows.items() if any(len(r) < 3 or not r[-1] for r in found)]
    assert (missing, twice, unknown, undescribed) == ([], [], [], [])


def test_settings_are_tabled_nowhere_else():
    elsewhere = [f"{relative(path)}: FORUM_{name}"
                 for path in pages() if path != CONFIGURATION
                 for name in setting_rows(path)]
    assert elsewhere == []


# --- commands -------------------------------------------------------------------------------

def app_commands(app):
    """Full names of the app's commands ("forum seed-demo", "db upgrade"), through every group."""
    names = []

    def walk(commands, prefix):
        for name, command in commands.items():
            full = f"{prefix} {name}".strip()
            if isinstance(command, click.Group):
                walk(command.commands, full)
            else:
                names.append(full)

    walk(app.cli.commands, "")
    return sorted(names)


def documented_commands(path):
    """{command name: number of rows} for the table rows whose first cell is `flask <name> …`."""
    found = {}
    for cells in table_rows(read(path)):
        match = re.fullmatch(r"`flask ([^`]+)`", cells[0])
        if not match:
            continue
        words = []
        for word in match.group(1).split():
            if not re.fullmatch(r"[a-z][a-z0-9_-]*", word):
                break   # options, [optional parts], ARGUMENTS
            words.append(word)
        name = " ".join(words)
        found[name] = found.get(name, 0) + 1
    return found


@pytest.fixture(scope="module")
def commands(tmp_path_factory):
    folder = tmp_path_factory.mktemp("documentation")
    app = create_app(base_config(folder, f"sqlite:///{folder / 'unused.db'}"))
    return app_commands(app)


def required(name):
    # Flask-Migrate's group holds all of Alembic; a site needs `flask db upgrade` only.
    return not name.startswith("db ") or name == "db upgrade"


def test_the_app_has_commands_to_document(commands):
    assert {"forum seed-demo", "search reindex", "db upgrade"} <= set(commands)


def test_every_command_is_documented_once_in_the_command_line_page(commands):
    documented = documented_commands(COMMAND_LINE)
    missing = [name for name in commands if required(name) and name not in documented]
    twice = [name for name, count in documented.items() if count > 1]
    unknown = [name for name in documented if name not in commands]
    assert (missing, twice, unknown) == ([], [], [])


# --- links ----------------------------------------------------------------------------------

def test_the_pages_are_found():
    names = {relative(path) for path in pages()}
    assert {"README.md", "SECURITY.md", "bench/README.md", "docs/README.md", "docs/configuration.md",
            "docs/command-line.md", "docs/architecture.md"} <= names


@pytest.mark.parametrize("path", pages(), ids=relative)
def test_links_lead_to_files_and_headings_of_the_repository(path):
    assert link_problems(path) == []


def test_the_readme_links_to_every_page_of_docs_and_to_the_benchmarks():
    targets = {os.path.normpath(os.path.join(ROOT, target.partition("#")[0]))
               for _, target in links(README)}
    expected = set(glob.glob(os.path.join(ROOT, "docs", "*.md")))
    expected.add(os.path.join(ROOT, "bench", "README.md"))
    assert sorted(relative(p) for p in expected - targets) == []


def test_slugs_are_githubs():
    assert slug("Real time (live pages)") == "real-time-live-pages"
    assert slug("Load: pages and posting") == "load-pages-and-posting"
    assert slug("Le règlement, `version` 2") == "le-règlement-version-2"
    assert slug("Notifications and the weekly digest") == "notifications-and-the-weekly-digest"
    assert slug("FORUM_SECRET_KEY") == "forum_secret_key"


def test_the_link_check_catches_what_it_should(tmp_path):
    root = tmp_path / "repository"
    root.mkdir()
    (root / "other.md").write_text("# Other page\n\n## Second part\n", encoding="utf-8")
    page = root / "page.md"
    page.write_text(
        "# Page\n\n"
        "[fine](other.md#second-part) [fine too](#page) [demo](http://127.0.0.1:5000/)\n"
        "[gone](missing.md) [bad anchor](other.md#third-part) [out](https://example.org)\n"
        "[escape](../outside.md) `[in code](missing.md)` <https://example.org/auto>\n\n"
        "```\n[in a block](missing.md)\n```\n\n"
        "    [indented code](missing.md)\n",
        encoding="utf-8")
    problems = link_problems(str(page), root=str(root))
    assert [p.split(": ")[1] for p in problems] == [
        "missing.md", "other.md#third-part", "https://example.org", "../outside.md",
        "https://example.org/auto"]
