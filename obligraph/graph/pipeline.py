"""The build: sources → model → rdf → reasoning → checks → graph files. Library first; CLI and
build.py wrap it.

The build works one named graph (units.Unit) at a time so that its memory does not grow with the
corpus as rdflib objects would: each source is read, its quotes located, converted, checked
against the shapes in batches, put in the build cache and loaded into an Oxigraph store; the
rules run on that store; the files are then streamed graph by graph. A rebuild takes unchanged
sources from the cache, skips the rules when no graph changed, and does nothing at all when no
input changed and graph/ is as the last build left it."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import pyoxigraph as ox
import yaml
from rdflib import Dataset, Graph

from ..corpus import atomic
from ..corpus import checks
from .cache import cache_dir
from .collector import release_freed, without_gc
from . import freshness
from ..errors import ManyErrors, ObligraphError, SourceFileError, WriteError
from ..corpus.model import Claim, Corpus, Entity, Source, SourceKind
from .outputs import TRIG, GraphFileWriter, read_block
from .paths import HTML_FILE, PROJECT, Paths, built_graph, use_project  # noqa: F401 (the API's)
from .store import RulesStore, StoreWriter
from .rdf import (ENTITIES_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH,
                  claims_lines, entity_triples, extracted_graph_iri, new_dataset, source_graph_iri,
                  source_lines, source_triples)
from .reasoning import RuleReads, infer_in_store, read_rules, rule_reads
from .external import ExternalStore, infer_external
from ..corpus.sources import (GLOB_CHARS, _relative, _within, check_unique_source, claims_path_of,
                              read_registry, read_source_and_claims, registry_files, text_paths)
from .units import (Unit, UnitCache, code_digest, digest, is_full_text, make_unit, store_texts,
                    unit_from_lines)
from .validate import ShapeBatches, read_shapes
from ..corpus.vocabulary import read_ontology, vocabulary_of

CLAIMS_PER_PART = 500  # a claims file's claims checked one by one; after them, one of each form
# inputs of more bytes than this start the shape-checking workers before the first source is
# read (a worker forked after a 100,000-claim file was read counted its 1 GB as its own)
EARLY_WORKERS = 4_000_000
CLAIMS_FILE_FORMS = "claims file"  # the key of the claims files' forms in _read_units' ``forms``

Progress = Callable[[Iterable, str, int], Iterable]


def no_progress(items: Iterable, description: str, total: int) -> Iterable:  # noqa: ARG001
    return items


@dataclass(frozen=True)
class BuildResult:
    sources: int
    entities: int
    claims: int
    triples: int
    written: tuple[Path, ...]
    up_to_date: bool = False
    warnings: tuple[str, ...] = ()  # one line each, for stderr (a build cache it could not write)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes() if path.is_file() else b""
    except OSError:
        return b""


def _meta_fields(meta: bytes) -> dict:
    """The ``text:`` and ``index:`` of a metadata file, for the cache key only (errors surface
    when it is read)."""
    try:
        data = yaml.load(meta, Loader=yaml.CSafeLoader)
        return {k: str(data.get(k) or "") for k in ("text", "index")} if isinstance(data, dict) else {}
    except (yaml.YAMLError, ValueError, AttributeError):
        return {}


@dataclass(frozen=True)
class _Input:
    """A source as the build finds it: its metadata file, its text file when the metadata names
    several, and of the bytes it is read from (metadata, text, claims, index) their digest,
    size, and whether they are a reference record's. The bytes are not held: at 10,000 articles
    they were 100 MB kept through the whole reading."""

    meta_path: Path
    text_path: Path | None
    digest: str
    size: int
    record: bool


def _input_files(root: Path) -> list[_Input]:
    """Every source (see :class:`_Input`) in a stable order. Each file must lie inside the
    corpus (checked on every build: a cached unit says nothing of links)."""
    files = []
    for meta_path in sorted(root.rglob("*.meta.yaml")):
        shown = _relative(meta_path, root)
        meta = _read_bytes(_within(root, meta_path, shown=shown))
        fields = _meta_fields(meta)
        claims_path = claims_path_of(meta_path)
        index_path = meta_path.parent / fields["index"] if fields.get("index") else None
        texts = text_paths(meta_path, root)
        many = len(texts) > 1 or bool(set(fields.get("text", "")) & GLOB_CHARS)
        for text_path in texts or [meta_path.parent / fields.get("text", "")]:
            for path, named in ((text_path, shown), (claims_path, _relative(claims_path, root)),
                                (index_path, shown)):
                if path is not None and path.exists():
                    _within(root, path, shown=named)
            content = b"\0".join((meta, str(text_path.name).encode(), _read_bytes(text_path),
                                 _read_bytes(claims_path), _read_bytes(index_path) if index_path else b""))
            files.append(_Input(meta_path, text_path if many else None, digest(content), len(content),
                                b"reference-record" in content))
    return files


@dataclass
class _Run:
    """What one build has read so far (internal to build)."""

    store: RulesStore | None  # the rules' (None: --store, whose rules run on the server)
    graphs: dict[str, str | Unit]  # graph IRI → cache key (unit on disk) or the unit itself
    sources: list[Source]
    # of the claims, only those the checks across sources read (checks.read_by_consistency):
    # every claim held as a Python object was a fifth of the 10,000-article build's memory
    claims: list[Claim]
    claim_count: int = 0
    claimed: set[str] = field(default_factory=set)  # the ids of the sources that have claims
    every_claim: bool = False  # keep them all (assemble, which returns the corpus)
    triples: int = 0
    corpus: Corpus | None = None
    external: ExternalStore | None = None  # --store: each graph goes there, none into ``store``
    # every graph's lines, whole, as it is read (the query store); ``store`` is the rules' own
    sink: Callable[[str, tuple[str, ...]], None] | None = None
    reads: RuleReads | None = None  # what ``store`` holds of each graph: what the rules may read

    def keep_claims(self, unit: Unit) -> None:
        """Count a source unit's claims and keep those it holds (made with :meth:`kept`)."""
        self.claim_count += unit.claim_count
        if unit.claim_count:
            self.claimed.add(unit.source.id)
        self.claims.extend(unit.claims)

    def kept(self, source: Source) -> Callable[[Claim], bool] | None:
        """Which claims of ``source`` its unit holds (and so the run keeps): every claim for
        :func:`assemble`, else only those the checks across sources read."""
        return None if self.every_claim else lambda claim: checks.read_by_consistency(claim, source.kind)

    def load(self, unit: Unit) -> None:
        if self.external is not None:  # the whole graph, full texts too: the TriG's
            self.external.put_graph(unit.graph, "".join(f"{line}\n" for line in unit.lines).encode("utf-8"))
        else:
            self.give(unit)
            keep = self.reads.keeps if self.reads else None
            self.store.add(unit.graph, (line for line in unit.lines
                                        if (keep is None or keep(line)) and not is_full_text(line)))
        self.triples += len(unit.lines)

    def give(self, unit: Unit) -> None:
        if self.sink is not None:
            self.sink(unit.graph, unit.lines)


def _read_units(root: Path, *, entities: tuple[Entity, ...], vocabulary, context: str,
                cache: UnitCache, shapes: ShapeBatches, run: _Run, progress: Progress) -> None:
    known = {e.id for e in entities}
    registry_bytes = b"".join(_read_bytes(p) for p in registry_files(root))
    files = _input_files(root)
    seen: dict[str, str] = {}
    forms: dict[str | None, set] = {}  # the row forms checked so far, by record format
    errors: list[ObligraphError] = []  # every source is read: all their errors in one build
    if sum(found.size for found in files) > EARLY_WORKERS:
        shapes.start()  # forked while this process is small: it shares none of what is read next
    for found in progress(files, "reading sources", len(files)):
        meta_path, text_path = found.meta_path, found.text_path
        shown = _relative(meta_path, root)
        # a record's claims depend on the registry's labels; an article's only on its ids
        key = digest(context, shown, found.digest, registry_bytes if found.record else b"")
        unit = cache.get(key)
        try:
            if unit is None:
                source, claims = read_source_and_claims(meta_path, root, entities, known, vocabulary,
                                                        seen=seen, text_path=text_path)
            else:
                check_unique_source(unit.source, shown, seen)
        except ObligraphError as error:
            errors.append(error)
            continue
        if errors:
            continue  # the build stops after reading: the rest is only checked
        if unit is None:
            unit = _checked_unit(key, source, claims, forms, shapes, keep=run.kept(source))
            source = claims = None  # not held while the unit is loaded: the unit has what it needs
        run.graphs[unit.graph] = key
        run.sources.append(replace(unit.source, text="", index=None))  # the text stays in the cache, not in memory
        run.keep_claims(unit)
        run.load(unit)
    if errors:
        raise ManyErrors.of(errors)
    shapes.flush()
    checks.no_orphans(root, {(root.parent / p).resolve() for s in run.sources
                             for p in (s.path, s.index_path) if p},
                      shown=lambda path: _relative(path, root))


def _checked_unit(key: str, source: Source, claims, forms: dict[str | None, set],
                  shapes: ShapeBatches, *, keep: Callable[[Claim], bool] | None = None) -> Unit:
    """A source's unit, its triples handed to the shapes (with the source's description, which
    the claims' dcterms:source points at). Of a claims file, every claim of its first
    CLAIMS_PER_PART, and after those the first claim of each form not yet checked in this build
    (record_sample): beyond that many, pySHACL's time, about 3 ms a claim, was nine tenths of
    the build. Of a record, the first row of each form not yet checked among the records of
    its format. Either way the claims were made by a reader that checks every field as it reads
    it (corpus/sources.py, records.py, untc.py), so claims of one form differ in values only
    and become triples of the same types: pySHACL over the bundled record's 7,300 rows took
    40 s of a 45 s build. tests/test_untc.py checks whole records."""
    graph = str(source_graph_iri(source.id))
    description = source_triples(source, ())
    if source.kind is SourceKind.REFERENCE_RECORD:
        sample = record_sample(claims, seen=forms.setdefault(source.format, set()))
        unit = make_unit(graph, source=source, claims=claims, lines=source_lines(source, claims), keep=keep)
        shapes.add(key, unit, source_triples(None, sample) + description, claims=sample)
        return unit
    seen = forms.setdefault(CLAIMS_FILE_FORMS, set())
    record_sample(claims[:CLAIMS_PER_PART], seen=seen)  # checked whole: their forms count as seen
    checked = list(claims[:CLAIMS_PER_PART]) + record_sample(claims[CLAIMS_PER_PART:], seen=seen)
    unit = make_unit(graph, source=source, claims=claims, lines=claims_lines(claims, extra=description),
                     keep=keep)
    shapes.add(key, unit, source_triples(None, checked) + description, claims=checked)
    return unit


def record_sample(claims, *, seen: set | None = None) -> list[Claim]:
    """The first claim of each form not in ``seen`` (which gains the forms sampled): its
    relation, stance, mode and kind, which of its fields are filled, the kind of its value and
    how many quotes it has — what decides which triples, of which types, a row becomes."""
    seen = set() if seen is None else seen
    sample = []
    for claim in claims:
        form = (claim.predicate, claim.stance, claim.mode, claim.kind, len(claim.evidence),
                type(claim.value.raw) if claim.value is not None else None,
                tuple(name for name in _FORM_FIELDS if getattr(claim, name) not in (None, False, (), "")))
        if form not in seen:
            seen.add(form)
            sample.append(claim)
    return sample


# fields every claim has, whose values (not their presence) vary from row to row
_VALUE_FIELDS = {"source_id", "index", "key", "subject", "evidence", "origin"}
_FORM_FIELDS = tuple(f.name for f in fields(Claim) if f.name not in _VALUE_FIELDS)


def _extracted_units(corpus: Corpus, root: Path, shapes: ShapeBatches, run: _Run) -> None:
    from ..extract.review import machine_claims
    by_source: dict[str, list[Claim]] = {}
    for claim in machine_claims(corpus, root, curated=run.claimed):
        by_source.setdefault(claim.source_id, []).append(claim)
    sources = {s.id: s for s in corpus.sources}
    for source_id, claims in sorted(by_source.items()):
        triples = source_triples(None, claims)
        unit = make_unit(str(extracted_graph_iri(source_id)), triples, claims=claims)
        # checked with the source's own description, which the claims' dcterms:source points at
        shapes.add(None, unit, triples, extra=source_triples(sources[source_id], ()))
        run.graphs[unit.graph] = unit
        run.load(unit)


def _stamp_path(out: Path) -> Path:
    return cache_dir() / "builds" / f"{digest(str(Path(out).resolve()))[:32]}.json"


def _file_state(out: Path, names) -> dict[str, list[int]]:
    state = {}
    for name in names:
        try:
            info = (Path(out) / name).stat()
            state[name] = [info.st_size, info.st_mtime_ns]
        except OSError:
            state[name] = [-1, -1]
    return state


def _up_to_date(key: str, out: Path) -> dict | None:
    try:
        stamp = json.loads(_stamp_path(out).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if stamp.get("key") != key or stamp.get("files") != _file_state(out, stamp.get("files", {})):
        return None
    return stamp


def _build_key(inputs: dict[str, str], *, extract: bool) -> str:
    """SHA-256 of the code, the option, and every input file by path and digest (the files of
    sources/, ontology/ and queries/ that freshness.input_digests read once for built-from.json):
    which files exist and what they hold."""
    return digest(code_digest(), str(extract), *(f"{path}\0{sha}" for path, sha in sorted(inputs.items())))


def _rule_reads(rules, cache: UnitCache) -> RuleReads:
    """What the rules may read (reasoning.rule_reads), kept in the build cache by the rules' texts:
    rdflib's parser takes two seconds over the bundled rules."""
    key = digest(code_digest(), "rule-reads", *(rule.text for rule in rules))
    reads = cache.get(key)
    if not isinstance(reads, RuleReads):
        reads = rule_reads(rules)
        cache.put(key, reads)
    return reads


def _prepare(paths: Paths):
    ontology = read_ontology(paths.ontology / "obligraph.ttl")
    shapes = read_shapes(paths.ontology / "shapes.ttl")
    rules = read_rules(paths.ontology / "rules")
    vocabulary = vocabulary_of(ontology)
    context = digest(code_digest(), _read_bytes(paths.ontology / "obligraph.ttl"),
                     _read_bytes(paths.ontology / "shapes.ttl"),
                     *[rule.text for rule in rules])
    return ontology, shapes, rules, vocabulary, context


def _assemble(paths: Paths, *, extract: bool, cache: UnitCache, progress: Progress,
              sink: Callable[[str, tuple[str, ...]], None] | None = None,
              external: ExternalStore | None = None, every_claim: bool = False) -> _Run:
    """Read, check and convert the corpus, run the rules: everything but writing. ``sink(graph,
    lines)`` is given every named graph whole (the conclusions last) as it is finished.
    ``external``: the graphs go to that server and the rules run there (external.py), none in
    this process. ``every_claim``: the run keeps every claim (else only those the checks across
    sources read)."""
    root = Path(paths.sources).resolve()
    if not root.is_dir():
        raise SourceFileError("the sources directory does not exist", path=str(root),
                              hint="run from the project directory, or pass --sources DIR")
    ontology, shapes_graph, rules, vocabulary, context = _prepare(paths)
    entities = read_registry(root, vocabulary)
    context = digest(context, *sorted(f"{e.id} {e.type}" for e in entities))
    shapes = ShapeBatches(paths, shapes_graph, ontology, cache, entities)
    rules_store = None if external is not None else RulesStore()
    try:
        run = _Run(store=rules_store, graphs={}, sources=[], claims=[], external=external, sink=sink,
                   reads=None if external is not None else _rule_reads(rules, cache),  # --store: none
                   every_claim=every_claim)
        return _checked_run(root, run, extract=extract, cache=cache, progress=progress,
                            entities=entities, ontology=ontology, rules=rules,
                            vocabulary=vocabulary, context=context, shapes=shapes)
    finally:
        shapes.close()
        if rules_store is not None:  # nothing reads it after the rules
            rules_store.close()


def _checked_run(root: Path, run: _Run, *, extract: bool, cache: UnitCache, progress: Progress,
                 entities, ontology: Graph, rules, vocabulary, context: str, shapes: ShapeBatches) -> _Run:
    external = run.external
    run.load(ontology_unit := make_unit(str(ONTOLOGY_GRAPH), ontology))
    run.graphs[ontology_unit.graph] = ontology_unit
    registry_triples = entity_triples(entities)
    registry_unit = make_unit(str(ENTITIES_GRAPH), registry_triples)
    shapes.add(None, registry_unit, registry_triples)
    run.graphs[registry_unit.graph] = registry_unit
    run.load(registry_unit)
    _read_units(root, entities=entities, vocabulary=vocabulary, context=context, cache=cache,
                shapes=shapes, run=run, progress=progress)
    corpus = Corpus(entities=entities, sources=tuple(run.sources), claims=tuple(run.claims))
    checks.corpus_consistency(corpus)
    if extract:  # the extraction reads the texts, which the run keeps in the cache only
        shapes.finish()
        _extracted_units(replace(corpus, sources=_full_sources(run, cache)), root, shapes, run)
    if external is not None:  # the rules run over checked graphs only
        for _ in progress([None], "checking the last shapes", 1):
            shapes.finish()
        for _ in progress([None], "reasoning on the store", 1):
            run.triples += infer_external(external, rules, sorted(run.graphs))
        run.corpus = corpus
        return run
    # the rules see every graph (while the last batches are still being checked); skipped when
    # no graph changed since a cached run
    inferred_key = digest(context, "inferred", *sorted(
        value if isinstance(value, str) else "\n".join(value.lines) for value in run.graphs.values()))
    inferred = cache.get(inferred_key)
    if inferred is None:
        for _ in progress([None], "reasoning", 1):
            inferred = unit_from_lines(str(INFERRED_GRAPH), infer_in_store(run.store.ready(), rules))
        # not put through the shapes: they describe what sources contribute, and none targets
        # the conclusions the rules write (tests/test_reasoning.py checks those)
        cached = cache.put(inferred_key, inferred)
    else:
        cached = True
    run.triples += len(inferred.lines)
    run.give(inferred)  # not loaded into the rules' store: nothing reads it after the rules
    # held by its key once cached, like the sources: the conclusions are a third of the TriG
    run.graphs[inferred.graph] = inferred_key if cached else inferred
    for _ in progress([None], "checking the last shapes", 1):
        shapes.finish()
    run.corpus = corpus
    return run


def _unit(run: _Run, graph: str, cache: UnitCache) -> Unit:
    value = run.graphs[graph]
    if isinstance(value, Unit):
        return value
    unit = cache.get(value)
    if unit is None:
        raise SourceFileError("the build cache changed while building", path=str(cache.directory),
                              hint="run the build again (or with --no-cache)")
    return unit


def _rendered(run: _Run, graph: str, cache: UnitCache) -> Path | None:
    """The file the cache rendered a graph's block into, if it did (a unit held in memory has none)."""
    key = run.graphs[graph]
    return cache.rendered(key) if isinstance(key, str) else None


def _write_graph(writer: GraphFileWriter, run: _Run, graph: str, cache: UnitCache) -> None:
    """Add a graph's block to the TriG: copied from the cache where it was rendered, else
    rendered from the unit's lines."""
    if (rendered := _rendered(run, graph, cache)) is not None:
        writer.add_file(graph, rendered)
    else:
        writer.add_lines(graph, _unit(run, graph, cache).lines)


def _full_sources(run: _Run, cache: UnitCache) -> tuple[Source, ...]:
    """The run's sources with their texts, which it keeps in the cache only."""
    return tuple(_unit(run, str(source_graph_iri(s.id)), cache).source for s in run.sources)


@without_gc
def assemble(*, paths: Paths | None = None, extract: bool = False) -> tuple[Corpus, Dataset]:
    """Read, check, convert and reason over the corpus; write nothing. Returns the corpus and the
    whole graph as an rdflib Dataset (for the Python API and tests; a large corpus is better
    built with :func:`build` and queried through its store). ``extract``: add unreviewed
    machine-extracted claims for articles that have no curated claims (their own named graph)."""
    paths = paths or Paths()
    with tempfile.TemporaryDirectory() as tmp:
        cache = UnitCache(Path(tmp))
        run = _assemble(paths, extract=extract, cache=cache, progress=no_progress, every_claim=True)
        dataset = new_dataset()
        for graph in sorted(run.graphs):
            unit = _unit(run, graph, cache)
            dataset.graph(graph).parse(data="\n".join(unit.lines), format="nt")
        corpus = replace(run.corpus, sources=_full_sources(run, cache))
    return corpus, dataset


@without_gc  # see collector.py: a fifth of a bundled build
def build(*, paths: Paths | None = None, extract: bool = False, cache: bool = True,
          progress: Progress = no_progress,
          page: Callable[[ox.Store, Callable], str] | None = None) -> BuildResult:
    """Build the graph and write graph/obligraph.{trig,ttl,jsonld} (and obligraph.html, the text
    ``page`` makes of the store: the views' page, which obligraph.build passes in). On any error
    nothing is written. ``cache``: reuse (and keep) unchanged sources' work in the build cache
    (obligraph.graph.cache.cache_dir()/build); ``progress(items, description, total)`` wraps each
    long loop (the CLI passes a progress bar)."""
    paths = paths or Paths()
    out = Path(paths.out)
    existed = out.exists()
    try:
        # one build at a time per output folder: a second one is refused, naming the first's pid
        with atomic.locked(out / atomic.DIR_LOCK, what="obligraph build", shown=str(out)):
            atomic.recover(out)  # what a killed build left: its set finished, its staging removed
            return _build(paths, extract=extract, cache=cache, progress=progress, page=page)
    except BaseException:
        if not existed:  # a first build that failed leaves no empty graph/ behind
            try:
                out.rmdir()
            except OSError:
                pass
        raise


def _build(paths: Paths, *, extract: bool, cache: bool, progress: Progress,
           page: Callable[[ox.Store, Callable], str] | None) -> BuildResult:
    # what the graph is built from, read once before the build (so an edit made meanwhile shows as
    # one): the record written beside the graph, and the build cache's key
    digests = freshness.input_digests(sources=paths.sources, ontology=paths.ontology, queries=paths.queries)
    inputs = freshness.inputs_json(digests)
    key = _build_key(digests, extract=extract) if cache else None
    if key and (stamp := _up_to_date(key, paths.out)):
        return BuildResult(sources=stamp["sources"], entities=stamp["entities"],
                           claims=stamp["claims"], triples=stamp["triples"], written=(),
                           up_to_date=True)
    with tempfile.TemporaryDirectory() as tmp:
        units = UnitCache(cache_dir() / "build" if cache else Path(tmp))
        units.sweep()
        # the query store `obligraph query` and `serve` open for the new TriG, written by another
        # thread from each graph as it is read (then the conclusions), so that neither the first
        # query after a build parses the TriG nor the build the file it wrote; the page is made
        # from it too, since the rules' store lacks the quotes
        store = StoreWriter(paths.out / TRIG)
        try:
            run = _assemble(paths, extract=extract, cache=units, progress=progress, sink=store.add_lines)
            writer = GraphFileWriter(paths.out)
        except BaseException:
            store.abort()
            raise
        release_freed()  # what the rules freed, else still the process's while the page is laid out
        try:
            graphs = sorted(run.graphs)
            for graph in progress(graphs, "writing graph files", len(graphs)):
                _write_graph(writer, run, graph, units)
            pages = {freshness.INPUTS_FILE: inputs}
            if page is not None:
                for _ in progress([None], "laying out the network page", 1):
                    pages[HTML_FILE] = page(_page_store(store, run, units), _graph_triples(run, units))
            written = writer.commit(pages)
            del pages  # tens of MB, written: not held while the query store is finished
        except BaseException:
            writer.abort()
            store.abort()
            raise
    warnings = ()
    if units.problem and cache:
        warnings = (f"the build cache cannot be written ({units.problem}); this build went on "
                    "without it, so the next one after an edit does all the work again",)
    result = BuildResult(sources=len(run.sources), entities=len(run.corpus.entities),
                         claims=run.claim_count, triples=run.triples,
                         written=tuple(written), warnings=warnings)
    for _ in progress([None], "preparing the query store", 1):
        _publish_store(store)
    if key:
        _write_stamp(key, paths.out, result)
    return result


@without_gc
def build_on(store: ExternalStore, *, paths: Paths | None = None, extract: bool = False,
             cache: bool = True, progress: Progress = no_progress) -> BuildResult:
    """Build the corpus into an external SPARQL store (``obligraph build --store URL``): every
    named graph of the build put there as it is read and checked, the rules run there as SPARQL
    Update (external.py). Nothing is written locally (graph/ stays as it is); the same checks and
    errors as :func:`build`; the rules run only once every graph passed, but a graph already put
    stays on the server when a later source fails. Other graphs on the server are left alone."""
    paths = paths or Paths()
    with tempfile.TemporaryDirectory() as tmp:
        units = UnitCache(cache_dir() / "build" if cache else Path(tmp))
        run = _assemble(paths, extract=extract, cache=units, progress=progress, external=store)
    return BuildResult(sources=len(run.sources), entities=len(run.corpus.entities),
                       claims=run.claim_count, triples=run.triples, written=())


def _graph_triples(run: _Run, units: UnitCache) -> Callable[[str], Iterable]:
    """The triples of one named graph of the build, parsed from its unit (the page reads the
    claims graph by graph: 8× quicker than reading them from the on-disk query store)."""
    def triples(graph: str) -> Iterable:
        if graph not in run.graphs:
            return ()
        if (rendered := _rendered(run, graph, units)) is not None:
            # its block as cached, read as it is parsed: nothing of the unit is loaded
            return read_block(rendered)
        lines = _unit(run, graph, units).lines
        return (triple for text in store_texts(lines)
                for triple in ox.parse(text, format=ox.RdfFormat.N_TRIPLES))
    return triples




def _page_store(store: StoreWriter, run: _Run, units: UnitCache) -> ox.Store:
    """What the page is made from: the finished query store, read-only; if it could not be
    written (a text Oxigraph refuses), every graph in memory, without the full texts."""
    finished = store.finished()
    if finished is not None:
        return finished
    whole = ox.Store()
    for graph in sorted(run.graphs):
        for text in _unit(run, graph, units).store_texts():
            whole.load(text, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph))
    return whole


def _publish_store(store: StoreWriter) -> None:
    """Put the query store in place; a failure (a full or read-only cache, a text Oxigraph
    refuses) only means the first query parses the TriG."""
    from ..errors import ObligraphError
    try:
        store.publish()
    except (ObligraphError, SyntaxError, OSError, MemoryError, RuntimeError):
        store.abort()


def _write_stamp(key: str, out: Path, result: BuildResult) -> None:
    stamp = {"key": key, "files": _file_state(out, [p.name for p in result.written]),
             "sources": result.sources, "entities": result.entities, "claims": result.claims,
             "triples": result.triples}
    path = _stamp_path(out)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_file(path, json.dumps(stamp, sort_keys=True), durable=False)
    except (OSError, WriteError):
        pass  # without a stamp the next build just does the work
