"""The package's layout is its architecture: rooms that follow the data flow, each importing only
the rooms below it, and no import cycle anywhere (function-level and type-only imports count).

    errors            (everything may import it)
    corpus            reading and checking the sources into the model
    extract           proposing claims; imports corpus
    graph             the model as RDF, rules, graph/, the query store; imports corpus, extract
    answer, views     queries and the endpoint; the network, the page, the exports (side by side:
                      neither imports the other); import graph, corpus
    cli, verify, __init__   the commands and the public API: anything"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

from obligraph.graph.paths import PROJECT

PACKAGE = PROJECT / "obligraph"
RANK = {"errors": 0, "corpus": 1, "extract": 2, "graph": 3, "answer": 4, "views": 4, "": 5}
TOP_LEVEL = {"__init__", "cli", "errors", "verify"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def room(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return ""
    if parts[1] in RANK and len(parts) > 2:
        return parts[1]
    return "errors" if parts[1] == "errors" else (parts[1] if parts[1] in RANK else "")


def imports(path: Path) -> set[str]:
    """Every obligraph module the file imports, wherever the import statement is."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("obligraph"):
                continue
            for alias in node.names:  # `from . import sparqltext` names a module
                candidate = f"{target}.{alias.name}"
                found.add(candidate if _is_module(candidate) else target)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("obligraph"))
    return {name for name in found if name != module}


def _is_module(name: str) -> bool:
    relative = Path(*name.split(".")[1:])
    return (PACKAGE / relative).with_suffix(".py").is_file() or (PACKAGE / relative / "__init__.py").is_file()


def graph() -> nx.DiGraph:
    edges = nx.DiGraph()
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        edges.add_node(name)
        for target in imports(path):
            edges.add_edge(name, target)
    return edges


def test_there_is_no_import_cycle():
    cycles = list(nx.simple_cycles(graph()))
    assert cycles == [], f"import cycles: {cycles}"


def test_rooms_import_only_the_rooms_below_them():
    upward = []
    for source, target in graph().edges:
        a, b = room(source), room(target)
        if target == "obligraph" or a == b:
            continue
        if RANK[b] >= RANK[a]:
            upward.append(f"{source} → {target}")
    assert upward == [], "imports of a room at the same level or above: " + "; ".join(upward)


def test_the_top_level_holds_only_what_spans_the_rooms():
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    assert modules == TOP_LEVEL
    rooms = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert rooms == {"corpus", "extract", "graph", "answer", "views"}
    for name in rooms:
        doc = ast.get_docstring(ast.parse((PACKAGE / name / "__init__.py").read_text(encoding="utf-8")))
        assert doc and len(doc.splitlines()) == 2 and "Imports:" in doc, name


def test_the_checker_sees_an_upward_import(tmp_path):
    """The rank check is not vacuous: corpus importing graph would be caught."""
    assert room("obligraph.corpus.sources") == "corpus" and room("obligraph.graph.rdf") == "graph"
    assert RANK[room("obligraph.graph.rdf")] > RANK[room("obligraph.corpus.sources")]
    assert "obligraph.graph.paths" in imports(PACKAGE / "graph" / "store.py")
    assert "obligraph.answer.sparqltext" in imports(PACKAGE / "answer" / "query.py")
