"""Structure rules for ``packages/*/src/*``: no import circle, no function over 60 lines.

Every import counts, wherever it stands: at module level, inside a function, or under
``if TYPE_CHECKING:``. A type-only circle still makes a reader hold several modules in
mind at once. A package's own ``__init__`` is left out: its re-exports are the package's
face, not a dependency between its modules.

Usage: ``python3 tools/structure.py [ROOT]`` prints each finding; exit status 1 if any.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from importlib.util import resolve_name
from pathlib import Path

__all__ = ["MAX_FUNCTION_LINES", "LongFunction", "Package", "circles", "packages"]

MAX_FUNCTION_LINES = 60


@dataclass(frozen=True, slots=True)
class LongFunction:
    """A function over :data:`MAX_FUNCTION_LINES` lines."""

    path: Path
    line: int
    name: str
    length: int


@dataclass(frozen=True, slots=True)
class Package:
    """One importable package: ``src`` is its directory (the one holding ``__init__.py``)."""

    src: Path

    @property
    def name(self) -> str:
        return self.src.name

    def modules(self) -> dict[str, Path]:
        """Each module's dotted name (``"client_backend.base"``) and file."""
        found = {}
        for path in sorted(self.src.rglob("*.py")):
            parts = path.relative_to(self.src.parent).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
        return found

    def import_graph(self) -> dict[str, set[str]]:
        """Which of the package's modules each module imports (the package root left out)."""
        modules = self.modules()
        graph = {}
        for name, path in modules.items():
            if name == self.name:
                continue
            here = name if path.name == "__init__.py" else name.rpartition(".")[0]
            targets = _imported_names(ast.parse(path.read_text(), str(path)), here)
            graph[name] = {t for t in targets if t in modules and t not in (name, self.name)}
        return graph

    def long_functions(self) -> list[LongFunction]:
        """Every function (methods and nested functions too) over the limit."""
        found = []
        for path in self.modules().values():
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    length = (node.end_lineno or node.lineno) - node.lineno + 1
                    if length > MAX_FUNCTION_LINES:
                        found.append(LongFunction(path, node.lineno, node.name, length))
        return found


def _imported_names(tree: ast.Module, here: str) -> set[str]:
    """Every dotted name an import of ``tree`` may load; ``here`` is its package."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = resolve_name("." * node.level + (node.module or ""), here)
            names.add(base)
            # `from . import reader` imports a module; `from .base import X` a name in one.
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles of ``graph``: each group of modules that reach one another."""
    reach = {module: _reachable(graph, module) for module in graph}
    groups = {
        tuple(sorted(other for other in reach[module] if module in reach[other]))
        for module in graph
    }
    return sorted(list(group) for group in groups if len(group) > 1)


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen = {start}
    todo = [start]
    while todo:
        for target in graph.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def packages(root: Path) -> list[Package]:
    """The packages of the monorepo at ``root``: ``packages/<name>/src/<name>``."""
    return [Package(init.parent) for init in sorted(root.glob("packages/*/src/*/__init__.py"))]


def main(argv: list[str]) -> int:
    """Print each circle and long function under ``argv[0]`` (default: here)."""
    root = Path(argv[0] if argv else ".").resolve()
    problems = 0
    for package in packages(root):
        for circle in circles(package.import_graph()):
            problems += 1
            print(f"import circle in {package.name}: {', '.join(circle)}")
        for long in package.long_functions():
            problems += 1
            where = f"{long.path.relative_to(root)}:{long.line}"
            print(f"long function: {where} {long.name} ({long.length} lines)")
    print(f"structure: {problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
