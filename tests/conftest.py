"""Shared fixtures: the bundled corpus assembled once per session, and a small corpus builder;
and the guard that fails the suite when a test wrote into the user's home directory."""

from __future__ import annotations

import os
import shutil
import tempfile
import textwrap
from pathlib import Path

import pytest

import obligraph
from obligraph.corpus.model import Entity
from obligraph.graph.pipeline import PROJECT, Paths

ONTOLOGY = PROJECT / "ontology"


@pytest.fixture(scope="session")
def bundled():
    """(corpus, dataset) for sources/ as committed."""
    return obligraph.assemble()


@pytest.fixture(scope="session")
def sparql(bundled):
    """Run SPARQL over every graph of the bundled build; rows as tuples of Python values."""
    _, dataset = bundled
    from obligraph.graph.outputs import merged
    graph = merged(dataset)

    def run(query: str) -> list[tuple]:
        return [tuple(None if v is None else v.toPython() for v in row) for row in graph.query(query)]
    return run


SMALL_ENTITIES = """\
- id: arcadia
  type: State
  label: Arcadia
- id: unhcr
  type: IntergovernmentalOrganization
  label: UNHCR
  aliases: [UN Refugee Agency]
- id: refugee-convention-1951
  type: Treaty
  label: Refugee Convention
"""
SMALL_TEXT = ("Arcadia acceded to the “Refugee Convention” in 1990.\n"
              "Arcadia lets the UN Refugee Agency work.\n")
SMALL_CLAIMS = """\
- subject: arcadia
  predicate: partyTo
  object: refugee-convention-1951
  mode: accession
  date: "1990"
  quote: Arcadia acceded to the “Refugee Convention” in 1990.
- subject: arcadia
  predicate: allowsAccessTo
  object: unhcr
  quote: Arcadia lets the UN Refugee Agency work.
"""


class SmallCorpus:
    """A corpus of one article written in a temporary directory; tests spoil one file each."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.sources = root / "sources"
        self.out = root / "graph"
        (self.sources / "articles").mkdir(parents=True)
        self.write("entities.yaml", SMALL_ENTITIES)
        self.write("articles/a1.txt", SMALL_TEXT)
        self.write("articles/a1.meta.yaml", textwrap.dedent("""\
            kind: article
            text: a1.txt
            title: Arcadia and refugees
            author: null
            publisher: null
            date: "2020-05-01"
            """))
        self.write("articles/a1.claims.yaml", SMALL_CLAIMS)

    def write(self, name: str, text: str | bytes) -> Path:
        path = self.sources / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    @property
    def paths(self) -> Paths:
        return Paths(sources=self.sources, ontology=ONTOLOGY, out=self.out)

    def args(self) -> list[str]:
        return ["build", "--sources", str(self.sources), "--ontology", str(ONTOLOGY),
                "--out", str(self.out)]


@pytest.fixture
def small(tmp_path) -> SmallCorpus:
    return SmallCorpus(tmp_path)


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of the project's sources/ and ontology/ to spoil."""
    for name in ("sources", "ontology"):
        shutil.copytree(PROJECT / name, tmp_path / name)
    return tmp_path


# the depositary record's files kept in the focused corpus: the treaties the articles are about
# (Refugee Convention, its Protocol, CAT, ICCPR), for every state the record names
FOCUSED_RECORD = ("5-2", "5-5", "4-9", "4-4")


@pytest.fixture(scope="session")
def focused(tmp_path_factory) -> Path:
    """graph/obligraph.trig of the bundled corpus with the depositary record cut to the files of
    FOCUSED_RECORD: the articles, treaty texts and registry as committed, and the record of the
    treaties they discuss. For tests that run every query or every reader over a whole build,
    where the other 30 treaties' rows would cost minutes and check nothing new."""
    return build_with_record(tmp_path_factory.mktemp("focused"), FOCUSED_RECORD)


# the registry of the extraction tests of made-up sentences (rounds 7 and 9 of issue 21)
PERU_REGISTRY = (Entity("peru", "State", "Peru"), Entity("chile", "State", "Chile"),
                 Entity("bolivia", "State", "Bolivia"),
                 Entity("venezuelans", "Group", "Venezuelan migrants in Peru", ("Venezuelan migrants", "Venezuelans")),
                 Entity("peru-expulsion", "Policy", "Peru's expulsion of Venezuelan migrants"),
                 Entity("amnesty", "NGO", "Amnesty International"),
                 Entity("detention", "Harm", "detention", ("detained",)),
                 Entity("torture", "Harm", "torture"))


def extracted(text: str, predicate: str, registry) -> list[tuple]:
    """(subject, object, stance) of each candidate of ``predicate`` that ``text`` gives with
    ``registry``: what the extraction tests of single sentences compare."""
    from obligraph.extract.candidates import extract
    return [(c.subject, c.object, c.stance) for c in extract(text, registry, source_id="x")
            if c.predicate == predicate]


def figures(text: str, registry) -> list:
    """The value of each statistic (hasValue candidate) that ``text`` gives with ``registry``."""
    from obligraph.extract.candidates import extract
    return [c.value for c in extract(text, registry, source_id="x") if c.predicate == "hasValue"]


def linked(text: str, registry) -> set[tuple[str, str]]:
    """(surface, entity) of each mention the extraction links in ``text`` with ``registry``."""
    from obligraph.extract.candidates import extract_all
    return {(text[m.start:m.end], m.entity) for m in extract_all(text, registry, source_id="x").mentions}


def build_with_record(root: Path, keep: tuple[str, ...]) -> Path:
    """Build sources/ as committed, but with only the depositary record's status and declarations
    files named in ``keep`` (their keys, e.g. "5-2"), into ``root``; its graph file."""
    shutil.copytree(PROJECT / "sources", root / "sources")
    record = root / "sources" / "reference" / "untc-2015"
    for folder in ("status", "declarations"):
        for path in (record / folder).iterdir():
            if path.stem not in keep:
                path.unlink()
    obligraph.build(paths=Paths(sources=root / "sources", ontology=ONTOLOGY, out=root / "graph"))
    return root / "graph" / "obligraph.trig"


@pytest.fixture(scope="session", autouse=True)
def isolated_cache(tmp_path_factory):
    """Every test (and every `obligraph` child process it starts) keeps derived data — the
    persisted query store — in a temporary cache, never in the user's ~/.cache. Session-wide, so
    the bundled graph's store is built once, not once per test."""
    root = tmp_path_factory.mktemp("cache")
    before = os.environ.get("OBLIGRAPH_CACHE")
    os.environ["OBLIGRAPH_CACHE"] = str(root)
    yield root
    if before is None:
        os.environ.pop("OBLIGRAPH_CACHE", None)
    else:
        os.environ["OBLIGRAPH_CACHE"] = before


# --- no test touches the home directory ------------------------------------------------------

_REAL_HOME = Path(os.path.expanduser("~"))
_HOME_STATE: dict = {}


def _home_state() -> dict:
    """What a test could leave in the real home: its entries (a new one changes the folder's
    mtime too), and every file and folder under ~/.cache/obligraph, with size and mtime."""
    state = {}
    for folder in (_REAL_HOME, _REAL_HOME / ".cache"):
        try:
            state[str(folder)] = folder.stat().st_mtime_ns
            for entry in folder.iterdir():
                state[str(entry)] = entry.lstat().st_mtime_ns
        except OSError:
            pass
    for root, folders, files in os.walk(_REAL_HOME / ".cache" / "obligraph"):
        for name in folders + files:
            try:
                info = os.lstat(os.path.join(root, name))
            except OSError:
                continue
            state[os.path.join(root, name)] = (info.st_size, info.st_mtime_ns)
    return state


def pytest_sessionstart(session):
    """The tests (and the processes they start with our environment) get a home of their own;
    the real one is remembered, to be compared at the end."""
    _HOME_STATE.update(_home_state())
    os.environ["HOME"] = tempfile.mkdtemp(prefix="obligraph-test-home-")


def pytest_sessionfinish(session, exitstatus):
    after = _home_state()
    changed = sorted(path for path in set(_HOME_STATE) | set(after)
                     if _HOME_STATE.get(path) != after.get(path))
    if changed:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        message = ("a test wrote into the home directory (tests must use tmp_path and "
                   f"OBLIGRAPH_CACHE): {', '.join(changed[:10])}")
        if reporter:
            reporter.write_line(message, red=True)
        session.exitstatus = 1
