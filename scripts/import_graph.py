"""The shape of the product code, measured from its imports: `python scripts/import_graph.py` prints every
import cycle, every arrow from a lower layer to a higher one, every import of another module's underscore name,
every import of our own code hidden inside a function and every file over the size limit, and exits 1 if there
is any. tests/test_layers.py holds the tree to it.

Layers, from the top down (an arrow may point down or stay within a layer, never up):
    views and the other entry points → services → cxone | wfm | charts | sandbox → scheduling | models | ...
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("campaigns", "planner")
SKIP_PARTS = {"migrations", "__pycache__"}
MAX_LINES = 400

# The first matching prefix gives a module's layer; higher numbers sit higher.
LAYERS: tuple[tuple[str, int], ...] = (
    ("campaigns.services", 3),
    ("campaigns.cxone", 2),
    ("campaigns.wfm", 2),
    ("campaigns.mail", 2),
    ("campaigns.charts", 2),
    ("campaigns.sandbox", 2),
    ("campaigns.scheduling", 1),
    ("campaigns.models", 1),
    ("campaigns.metrics.counters", 1),
    ("campaigns.roles", 1),
    ("campaigns.viewer", 1),
    ("campaigns.retry_after", 1),
    ("campaigns.periodic_tasks", 1),
    ("planner.env", 1),
    ("planner.logs", 1),
    ("planner.settings", 1),
)
TOP = 4  # views, urls, tasks, management commands, admin, forms, template tags, checks, planner's entry points


def layer_of(module: str) -> int:
    for prefix, layer in LAYERS:
        if module == prefix or module.startswith(prefix + "."):
            return layer
    return TOP


@dataclass
class Imports:
    module: str
    path: Path
    lines: int
    targets: dict[str, int] = field(default_factory=dict)  # module imported → first line
    hidden: list[tuple[int, str]] = field(default_factory=list)  # imports of ours inside a function
    private: list[tuple[int, str]] = field(default_factory=list)  # underscore names of other modules


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def product_files() -> list[Path]:
    files = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if not SKIP_PARTS & set(path.relative_to(ROOT).parts):
                files.append(path)
    return files


def ours(module: str) -> bool:
    return module.split(".")[0] in PACKAGES


def read(path: Path, known: set[str]) -> Imports:
    source = path.read_text()
    tree = ast.parse(source)
    me = module_name(path)
    found = Imports(me, path, source.count("\n") + 1)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    aliases: dict[str, str] = {}  # local name → our module it stands for

    def resolve(node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        base = package.split(".")
        base = base[: len(base) - node.level + 1]
        return ".".join(base + ([node.module] if node.module else []))

    def note(target: str, line: int, nested: bool) -> None:
        if not ours(target) or target == me:
            return
        found.targets.setdefault(target, line)
        if nested and (line, target) not in found.hidden:
            found.hidden.append((line, target))

    def visit(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = nested or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            if isinstance(child, ast.FunctionDef) and child.name == "ready" and path.name == "apps.py":
                inner = False  # AppConfig.ready: Django's documented place for imports that need the models
            if isinstance(child, ast.Import):
                for name in child.names:
                    note(name.name, child.lineno, nested)
                    if ours(name.name):
                        aliases[name.asname or name.name] = name.name
            elif isinstance(child, ast.ImportFrom):
                base = resolve(child)
                for name in child.names:
                    full = f"{base}.{name.name}"
                    if full in known:  # `from package import module`
                        note(full, child.lineno, nested)
                        aliases[name.asname or name.name] = full
                    else:
                        note(base, child.lineno, nested)
                        named = (child.lineno, f"{base}.{name.name}")
                        private = name.name.startswith("_") and not name.name.startswith("__")
                        if private and ours(base) and named not in found.private:
                            found.private.append(named)
            elif isinstance(child, ast.Attribute) and isinstance(child.value, ast.Name):
                target = aliases.get(child.value.id)
                named = (child.lineno, f"{target}.{child.attr}")
                private = child.attr.startswith("_") and not child.attr.startswith("__")
                if target and private and named not in found.private:
                    found.private.append(named)
            visit(child, inner)

    visit(tree, False)
    return found


def graph() -> dict[str, Imports]:
    files = product_files()
    known = {module_name(p) for p in files}
    result = {}
    for path in files:
        imports = read(path, known)
        # An import of a package's name counts as an arrow to its __init__ only if that module exists.
        imports.targets = {t: line for t, line in imports.targets.items() if t in known}
        result[imports.module] = imports
    return result


def cycles(modules: dict[str, Imports]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]
    sys.setrecursionlimit(10_000)

    def strong(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in modules[v].targets:
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(modules):
        if v not in index:
            strong(v)
    return found


def problems(modules: dict[str, Imports] | None = None) -> list[str]:
    modules = modules or graph()
    said = []
    for component in cycles(modules):
        said.append("import cycle: " + " ↔ ".join(component))
    for m in modules.values():
        where = m.path.relative_to(ROOT)
        for target, line in sorted(m.targets.items()):
            if layer_of(target) > layer_of(m.module):
                said.append(f"{where}:{line}: {m.module} (layer {layer_of(m.module)}) imports the higher "
                            f"{target} (layer {layer_of(target)})")  # fmt: skip
        for line, target in m.hidden:
            said.append(f"{where}:{line}: imports {target} inside a function")
        for line, name in m.private:
            said.append(f"{where}:{line}: uses another module's underscore name {name}")
        if m.lines > MAX_LINES:
            said.append(f"{where}: {m.lines} lines (split before {MAX_LINES})")
    return said


if __name__ == "__main__":
    found = problems()
    print("\n".join(found) if found else "no cycle, no upward arrow, no hidden or private import, no long file")
    sys.exit(1 if found else 0)
