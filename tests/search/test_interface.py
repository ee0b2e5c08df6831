"""One interface, ``search.backend.Backend``: both backends implement all of it, and the callers
(indexing, searching, the command line) use nothing else, never asking which backend they hold."""
import ast
import os

import pytest

import search
from search.backend import Backend
from search.journal import JournaledBackend
from search.postgres_backend import PostgresBackend
from search.whoosh_backend import WhooshBackend

SEARCH = os.path.dirname(search.__file__)
CALLERS = ("indexing.py", "searching.py", "cli.py", "views.py", "suggestions.py")
# Names that would tell one backend from another, or reach past the interface.
BACKEND_SPECIFIC = {"transactional", "WhooshBackend", "PostgresBackend", "JournaledBackend", "whoosh_backend",
                    "postgres_backend", "journal", "exclusive", "apply", "build", "SearchJob", "SearchDocument"}


def _tree(name):
    with open(os.path.join(SEARCH, name), encoding="utf-8") as handle:
        return ast.parse(handle.read(), name)


def test_the_app_holds_a_backend_implementing_the_whole_interface(app):
    engine = app.extensions["search"]
    assert isinstance(engine, Backend)
    assert not type(engine).__abstractmethods__


@pytest.mark.parametrize("cls", [WhooshBackend, PostgresBackend])
def test_both_backends_implement_every_method(cls):
    assert issubclass(cls, Backend) and not cls.__abstractmethods__
    assert {"changed", "after_commit", "drain", "pending", "rebuild", "clear", "is_stale",
            "search"} <= Backend.__abstractmethods__


@pytest.mark.parametrize("missing", sorted(Backend.__abstractmethods__))
def test_a_backend_lacking_a_method_cannot_be_made(missing):
    methods = {name: (lambda self, *args, **kwargs: None) for name in Backend.__abstractmethods__ if name != missing}
    with pytest.raises(TypeError, match=missing):
        type("Partial", (Backend,), methods)()


def test_a_journaled_backend_says_how_to_write():
    with pytest.raises(TypeError, match="apply"):
        type("Partial", (JournaledBackend,), {"search": None, "clear": None, "is_stale": None,
                                              "exclusive": None, "build": None})()


@pytest.mark.parametrize("module", CALLERS)
def test_callers_use_the_interface_only_and_never_ask_which_backend(module):
    tree = _tree(module)
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update(part for alias in node.names for part in (alias.name, alias.asname) if part)
            names.update((getattr(node, "module", None) or "").split("."))
    assert not names & BACKEND_SPECIFIC

    def is_backend(node):
        """``backend()``, ``interface.current()``, or a variable named ``engine``."""
        if isinstance(node, ast.Name):
            return node.id == "engine"
        return isinstance(node, ast.Call) and (getattr(node.func, "id", None) == "backend"
                                               or getattr(node.func, "attr", None) == "current")
    used = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute) and is_backend(node.value)}
    assert used <= Backend.__abstractmethods__


def test_no_search_module_is_over_400_lines_nor_imports_in_a_circle():
    modules = sorted(name[:-3] for name in os.listdir(SEARCH) if name.endswith(".py"))
    imports = {}
    for module in modules:
        with open(os.path.join(SEARCH, module + ".py"), encoding="utf-8") as handle:
            source = handle.read()
        assert source.count("\n") <= 400, module
        imports[module] = set()
        for node in ast.parse(source).body:        # module level: what importing it runs
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                targets = [node.module] if node.module else [alias.name for alias in node.names]
                imports[module].update(target.split(".")[0] for target in targets)

    def visit(module, path):
        assert module not in path, " -> ".join(path + [module])
        for target in imports.get(module, ()):
            visit(target, path + [module])
    for module in modules:
        visit(module, [])
