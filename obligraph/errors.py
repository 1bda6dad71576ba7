"""Typed errors. Every problem a user can fix is one of these; the CLI turns them into a message
(file, claim, what to do) and an exit code, and shows a traceback only with --debug."""

from __future__ import annotations


class ObligraphError(Exception):
    """Base class. ``path`` is the file at fault, ``where`` the claim or line within it."""

    exit_code = 1

    def __init__(self, message: str, *, path: str | None = None, where: str | None = None,
                 hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        location = ": ".join(part for part in (self.path, self.where) if part)
        text = f"{location}: {self.message}" if location else self.message
        return f"{text}\n  → {self.hint}" if self.hint else text


class SourceFileError(ObligraphError):
    """A file the corpus names is missing, unreadable, not UTF-8, or outside the corpus."""


class YamlError(ObligraphError):
    """A YAML file does not parse or does not have the expected shape."""


class SchemaError(ObligraphError):
    """A field is missing, has the wrong type, or holds a value the format does not allow."""


class NameClashError(SchemaError):
    """Two entities of the registry share a label or alias: the same after case folding, in
    another Unicode form (NFC / NFD), or with look-alike letters of another script (Cyrillic А)."""


class UnknownEntityError(ObligraphError):
    """A claim or metadata file names an entity id that is not in the registry."""


class UnknownPredicateError(ObligraphError):
    """A claim uses a predicate the ontology does not declare as an ob:ClaimProperty."""


class InvalidDateError(ObligraphError):
    """A date is not YYYY, YYYY-MM or YYYY-MM-DD, or is not a real calendar date."""


class QuoteNotFoundError(ObligraphError):
    """A claim's quote does not occur in its source text."""


class QuoteAmbiguousError(ObligraphError):
    """A claim's quote occurs more than once in its source text."""


class CorpusConsistencyError(ObligraphError):
    """Claims that are each well-formed do not fit together: a unitOf / memberOf cycle, a treaty
    provision that no treaty text gives the words of."""


class VerificationError(ObligraphError):
    """`obligraph verify`: a quote, an offset, a prefix/suffix or a text digest in a built graph
    does not match the source text the graph holds."""


class ManyErrors(ObligraphError):
    """Several problems found in one build (each a typed error with its file and claim): the
    message lists the first ``SHOWN`` of them and says how many more there are."""

    SHOWN = 20

    def __init__(self, errors: list[ObligraphError]) -> None:
        flat = [e for error in errors for e in (error.errors if isinstance(error, ManyErrors) else [error])]
        self.errors = flat
        self.exit_code = max(e.exit_code for e in flat)
        super().__init__(f"{len(flat)} errors in the sources"
                         + (f" (the first {self.SHOWN})" if len(flat) > self.SHOWN else "") + ":")

    def __str__(self) -> str:
        lines = [self.message]
        for error in self.errors[:self.SHOWN]:
            lines += ["  " + line for line in str(error).split("\n")]
        if len(self.errors) > self.SHOWN:
            lines.append(f"  … and {len(self.errors) - self.SHOWN} more (fix these and build again)")
        return "\n".join(lines)

    @staticmethod
    def of(errors: list[ObligraphError]) -> ObligraphError:
        """The one error itself, or a ManyErrors of several."""
        return errors[0] if len(errors) == 1 and not isinstance(errors[0], ManyErrors) else ManyErrors(errors)


class ShapeViolationError(ObligraphError):
    """The built graph does not conform to ontology/shapes.ttl."""


class QueryError(ObligraphError):
    """A SPARQL query is malformed or a named query does not exist. ``status``: the HTTP status
    the endpoint answers it with."""

    exit_code = 2
    status = 400


class QueryLimitError(QueryError):
    """A query was stopped or its result refused: it ran past a limit (``limit``: timeout, rows,
    bytes, memory), no worker was free (busy), it crashed the engine (crash), or its result has
    no correct form in the format asked for (format)."""

    exit_code = 3

    def __init__(self, message: str, *, status: int, limit: str, **kwargs) -> None:
        super().__init__(message, **kwargs)
        self.status = status
        self.limit = limit


class AssetError(ObligraphError):
    """A file the interactive page inlines (vis-network, the page template) is missing or unsafe."""


class RemoteError(ObligraphError):
    """A SPARQL endpoint or graph store named with --endpoint / --graph-store could not be reached,
    or refused a request. ``path`` is the URL."""


class EndpointUnreachableError(RemoteError):
    """Nothing answers at the URL (connection refused, unknown host, timeout)."""


class EndpointRefusedError(RemoteError):
    """The server answered with an HTTP error status (4xx or 5xx); ``status`` holds it."""

    def __init__(self, message: str, *, status: int, **kwargs) -> None:
        super().__init__(message, **kwargs)
        self.status = status


class CommandLineError(ObligraphError):
    """A command's options do not go together, or would overwrite a file (exit 2, as click's own
    usage errors): said in the `error: … → …` form, not click's Usage block."""

    exit_code = 2


class StaleGraphError(ObligraphError):
    """With --strict: the sources, ontology, rules or queries changed since the graph was built."""

    exit_code = 2


class ServeError(ObligraphError):
    """`obligraph serve` cannot listen on the host and port it was given."""


class CorpusExistsError(ObligraphError):
    """`obligraph init` would write into a folder that already holds a corpus."""


class CandidatesExistError(ObligraphError):
    """`obligraph extract` would overwrite a candidates file (or a curated claims file)."""


class ReviewError(ObligraphError):
    """`obligraph review` cannot apply a decision: no such candidate, one already decided, an
    entity the registry lacks, or a claims file it cannot append to."""


class WriteError(ObligraphError):
    """A file could not be written whole (a full disk, no permission): the old file, or the old
    set of graph files, is left as it was (obligraph/corpus/atomic.py)."""


class BusyError(ObligraphError):
    """Another process is writing the same claims file or output folder (it holds its lock)."""
