"""The shape of the code, kept: areas import the core and never the other way, no import circle,
small modules, thin views, and view modules imported by nobody but the app factory.

Read from the source with ``ast`` (nothing is imported), so a rule broken anywhere fails here
whichever test touched that code."""
import ast
import os
import re

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGES = ("forum", "moderation", "search")
MAX_MODULE_LINES = 400
MAX_VIEW_LINES = 25


def _modules():
    found = {}
    for package in PACKAGES:
        for folder, _dirs, files in os.walk(os.path.join(ROOT, package)):
            for name in files:
                if name.endswith(".py"):
                    path = os.path.join(folder, name)
                    dotted = os.path.relpath(path, ROOT)[:-3].replace(os.sep, ".")
                    found[dotted.removesuffix(".__init__")] = path
    return found


MODULES = _modules()


def _parse(path):
    with open(path, encoding="utf-8") as handle:
        return ast.parse(handle.read(), path)


def _imports(name):
    """(imported module, line, inside a function?) for each project module ``name`` imports."""
    path = MODULES[name]
    package = name if path.endswith("__init__.py") else name.rpartition(".")[0]
    tree = _parse(path)
    functions = [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    nested = {id(inner) for function in functions for inner in ast.walk(function)}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        elif isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            continue
        for target in targets:
            if target in MODULES and target != name:
                yield target, node.lineno, id(node) in nested


def _graph():
    return {name: {target for target, _line, _nested in _imports(name)} for name in MODULES}


def _cycles(graph):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_circle_even_through_imports_inside_functions():
    assert _cycles(_graph()) == []


def test_the_cycle_finder_sees_a_circle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_core_never_imports_the_packages_built_on_it():
    wrong = [(name, target) for name in MODULES if name.split(".")[0] == "forum"
             for target, _line, _nested in _imports(name) if target.split(".")[0] in ("moderation", "search")]
    assert wrong == []


def test_view_modules_are_imported_by_package_wiring_only():
    """Views are entry points: only a package's ``__init__`` (``create_app``, ``init_app``) imports
    them; a helper another module needs lives in a module of its own."""
    wrong = [f"{name}:{line} imports {target}" for name in MODULES if not MODULES[name].endswith("__init__.py")
             for target, line, _nested in _imports(name) if target.rsplit(".", 1)[-1].endswith("views")]
    assert wrong == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_400_lines(name):
    with open(MODULES[name], encoding="utf-8") as handle:
        assert sum(1 for _line in handle) <= MAX_MODULE_LINES


def _views():
    for name, path in MODULES.items():
        for node in ast.walk(_parse(path)):
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(decorator, ast.Call) and getattr(decorator.func, "attr", "") == "route"
                    for decorator in node.decorator_list):
                yield name, node


def test_views_are_thin():
    long = [f"{name}.{node.name}: {node.end_lineno - node.lineno + 1} lines" for name, node in _views()
            if node.end_lineno - node.lineno + 1 > MAX_VIEW_LINES]
    assert long == []
    assert len(list(_views())) > 50  # the walk finds the views at all


def test_imports_inside_functions_say_why():
    """An import inside a function is kept only for a reason written beside it (start-up cost,
    or an ``init_app`` that wires the package's modules in)."""
    silent = []
    for name, path in MODULES.items():
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
        for target, line, nested in _imports(name):
            if not nested:
                continue
            start = _enclosing_function(path, line).lineno
            if not any("#" in text for text in lines[start - 1:line]) and not _in_init_app(path, line):
                silent.append(f"{name}:{line} {target}")
    assert silent == []


def _enclosing_function(path, line):
    functions = [node for node in ast.walk(_parse(path)) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                 and node.lineno <= line <= node.end_lineno]
    return max(functions, key=lambda node: node.lineno)


def _in_init_app(path, line):
    """Package wiring: ``create_app`` and ``init_app`` import the modules they register."""
    for node in ast.walk(_parse(path)):
        if isinstance(node, ast.FunctionDef) and node.name in ("create_app", "init_app") \
                and node.lineno <= line <= node.end_lineno:
            return True
    return False


def test_the_architecture_page_names_every_area_of_the_tree():
    with open(os.path.join(ROOT, "docs", "architecture.md"), encoding="utf-8") as handle:
        page = handle.read()
    tree = re.search(r"```\n(app\.py.*?)```", page, re.S).group(1)
    areas = {entry for package in PACKAGES for entry in os.listdir(os.path.join(ROOT, package))
             if os.path.isdir(os.path.join(ROOT, package, entry)) and not entry.startswith("__")}
    missing = sorted(area for area in areas if not re.search(rf"^\s*{area}/", tree, re.M))
    named = set(re.findall(r"^\s{2}(\w+)/", tree, re.M))
    gone = sorted(area for area in named if area not in areas)
    assert (missing, gone) == ([], [])


# Libraries only a few requests or commands need, each several MiB per web process: imported
# inside the functions that use them (measured with a fresh interpreter: WeasyPrint and its
# fontTools 29 MiB, icalendar 7, markdownify's Beautiful Soup 7, odfdo 12, qrcode 2).
HEAVY_FOR_A_WEB_PROCESS = ("weasyprint", "fontTools", "icalendar", "markdownify", "bs4", "odfdo", "qrcode")


def test_a_web_process_never_imports_what_only_exports_and_commands_need(tmp_path):
    import subprocess
    import sys
    script = ("import sys\nfrom forum import create_app\ncreate_app()\n"
              "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    env = dict(os.environ, FORUM_WEB_ONLY="true", FORUM_INSTANCE_PATH=str(tmp_path),
               FORUM_DATABASE_URL=f"sqlite:///{tmp_path}/web.db", FORUM_SECRET_KEY="x" * 40)
    loaded = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                            check=True).stdout.split()
    assert "flask" in loaded
    assert [name for name in HEAVY_FOR_A_WEB_PROCESS if name in loaded] == []
