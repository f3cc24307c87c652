"""The layers point one way (docs/architecture.md), read from the source with `ast`.

Every import counts, at the top, inside a function or under TYPE_CHECKING: each is an
edge a reader has to follow.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "backend" / "supportai"
MAX_DOMAIN_FILE_LINES = 300
MAX_DOMAIN_FUNCTION_LINES = 60


def _module_name(path: Path) -> str:
    base = ROOT / "backend" if path.is_relative_to(PACKAGE) else ROOT
    parts = list(path.relative_to(base).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _modules() -> dict[str, Path]:
    paths = [*PACKAGE.rglob("*.py"), *(ROOT / "workers").rglob("*.py")]
    return {_module_name(path): path for path in sorted(paths)}


@cache
def _tree(module: str) -> ast.Module:
    return ast.parse(_modules()[module].read_text(encoding="utf-8"))


@cache
def _imports(module: str) -> frozenset[str]:
    """The modules it names: `from a.b import c` is `a.b.c` when that is a module, else `a.b`."""
    names = set()
    package = module if _modules()[module].name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{anchor}.{base}".rstrip(".")
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                names.add(candidate if candidate in _modules() else base)
    return frozenset(names)


def _under(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def _violations(layer: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{module} imports {imported}"
        for module in _modules()
        if _under(module, layer)
        for imported in _imports(module)
        if any(_under(imported, floor) for floor in forbidden)
    )


def test_engine_is_pure() -> None:
    floors = ("supportai.db", "supportai.domain", "supportai.api", "supportai.integrations")
    assert _violations("supportai.engine", floors) == []


def test_db_knows_no_domain_and_no_http() -> None:
    assert _violations("supportai.db", ("supportai.domain", "supportai.api")) == []


def test_integrations_know_no_domain_and_no_http() -> None:
    assert _violations("supportai.integrations", ("supportai.domain", "supportai.api")) == []


def test_only_controllers_touch_http_plumbing() -> None:
    services = [
        violation
        for violation in _violations("supportai.domain", ("supportai.api",))
        if not violation.split(" ")[0].endswith(".controllers")
    ]
    assert services == []


def test_http_plumbing_takes_only_the_principal_from_the_domain() -> None:
    offenders = [
        violation
        for violation in _violations("supportai.api", ("supportai.domain",))
        if not _under(violation.split(" imports ")[1], "supportai.domain.auth.principal")
    ]
    assert offenders == []


def _area(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == ["supportai", "domain"] else None


def test_no_two_domain_areas_import_each_other() -> None:
    edges: dict[tuple[str, str], set[str]] = {}
    for module in _modules():
        source = _area(module)
        for imported in _imports(module):
            target = _area(imported)
            if source and target and source != target:
                edges.setdefault((source, target), set()).add(f"{module} -> {imported}")
    both_ways = [
        f"{a} <-> {b}: {sorted(edges[a, b])} and {sorted(edges[b, a])}"
        for a, b in sorted(edges)
        if a < b and (b, a) in edges
    ]
    assert both_ways == [], "\n".join(both_ways)


def _cycles(modules: list[str]) -> Iterator[list[str]]:
    """Each import cycle among `modules` once, as the path that closes it (depth-first)."""
    inside = set(modules)
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> Iterator[list[str]]:
        for imported in sorted(_imports(module) & inside):
            if imported in path:
                yield [*path[path.index(imported):], imported]
            elif imported not in done:
                yield from visit(imported, [*path, imported])
        done.add(module)

    for module in modules:
        if module not in done:
            yield from visit(module, [module])


def test_the_simulator_has_no_import_cycle() -> None:
    simulator = [module for module in _modules() if _under(module, "supportai.simulator")]
    cycles = [" -> ".join(cycle) for cycle in _cycles(simulator)]
    assert cycles == [], "\n".join(cycles)


def _domain_modules() -> list[str]:
    return [module for module in _modules() if _under(module, "supportai.domain")]


def test_domain_files_stay_short() -> None:
    long_files = sorted(
        f"{module}: {lines} lines"
        for module in _domain_modules()
        if (lines := len(_modules()[module].read_text(encoding="utf-8").splitlines())) > MAX_DOMAIN_FILE_LINES
    )
    assert long_files == [], "\n".join(long_files)


def test_domain_functions_stay_short() -> None:
    functions = itertools.chain.from_iterable(
        ((module, node) for node in ast.walk(_tree(module))
         if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef))
        for module in _domain_modules()
    )
    long_functions = sorted(
        f"{module}.{node.name}: {lines} lines"
        for module, node in functions
        if (lines := (node.end_lineno or node.lineno) - node.lineno + 1) > MAX_DOMAIN_FUNCTION_LINES
    )
    assert long_functions == [], "\n".join(long_functions)
