"""Property tests (hypothesis; deterministic, derandomize=True): the claim parser lets only
ObligraphError subclasses escape whatever mapping or YAML it is fed; the quote locator's spans
always hold what the text holds at their offsets; the network page's embedded data round-trips
for any title, label or quote, and a source's text is in the page only as that data (base64 of
gzip: it cannot close its block), never in the markup or scripts around it.

Examples per run (1,410): claim mappings 250 + 150 nearly valid, YAML texts 150, quotes cut from
texts 500, varied quotes 300, pages 60; plus an exhaustive pass of every claim field replaced by
each of a list of odd values (3,996 claims)."""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rdflib import DCTERMS, RDFS, Literal

import obligraph
from obligraph.errors import ObligraphError, QuoteAmbiguousError, QuoteNotFoundError
from obligraph.corpus.locate import locate, normalized
from obligraph.corpus.model import Source, SourceKind
from obligraph.graph.pipeline import Paths
from obligraph.graph.rdf import OA, OBID
from obligraph.corpus.sources import CLAIM_FIELDS, read_claim
from obligraph.corpus.vocabulary import read_ontology, vocabulary_of
from obligraph.corpus.yamlfile import load_yaml

from .conftest import SMALL_TEXT, SmallCorpus

SETTINGS = dict(derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
VOCABULARY = vocabulary_of(read_ontology(Paths().ontology / "obligraph.ttl"))
KNOWN = {"arcadia", "unhcr", "refugee-convention-1951"}
SOURCE = Source(id="a1", kind=SourceKind.ARTICLE, text=SMALL_TEXT, sha256="0" * 64, title="A",
                path="sources/articles/a1.txt")

# --- the claim parser ---------------------------------------------------------------------------

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
    st.text(max_size=30), st.dates(), st.datetimes(),
    st.sampled_from(sorted(KNOWN) + sorted(VOCABULARY.predicates)[:12] + [
        "asserts", "recommends", "accession", "1990", "2012-02-31", "0000", "2990", "-5", "person",
        "Arcadia lets the UN Refugee Agency work.", "Arcadia", "", " ", "\x00", "{}", "[]"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)
keys = st.one_of(st.sampled_from(sorted(CLAIM_FIELDS)), st.text(max_size=10), st.integers(), st.none(),
                 st.booleans())
mappings = st.dictionaries(keys, values, max_size=12)
VALID = [
    {"subject": "arcadia", "predicate": "allowsAccessTo", "object": "unhcr",
     "quote": "Arcadia lets the UN Refugee Agency work."},
    {"subject": "arcadia", "predicate": "partyTo", "object": "refugee-convention-1951", "mode": "accession",
     "date": "1990", "quote": "Arcadia acceded to the “Refugee Convention” in 1990."},
    {"subject": "arcadia", "predicate": "hasValue", "value": 5000, "unit": "person", "approximate": True,
     "quote": "in 1990"},
    {"subject": "arcadia", "predicate": "hasValue", "min": 1, "max": 2, "quote": ["in 1990", "Arcadia lets"]},
]
ODD = [None, True, False, 0, 1, 2, 5, -1, 3.5, "arcadia", "unhcr", "asserts", "alleges", "recommends",
       "accession", "1990", "2012-03", "2012-03-09", "person", "percent", "USD", "researcher", "a note",
       "c1", "Arcadia lets", ["in 1990"], [], {}, ""]
FIELD_VALUES = st.sampled_from(ODD)
# a valid claim with one to three fields replaced (by a likely value, or by anything): reaches
# every check, with odd types where the early checks let them through
plausible = st.builds(lambda base, extra: {**base, **extra}, st.sampled_from(VALID),
                      st.dictionaries(st.sampled_from(sorted(CLAIM_FIELDS)),
                                      st.one_of(FIELD_VALUES, FIELD_VALUES, values), min_size=1, max_size=3))


@settings(max_examples=250, **SETTINGS)
@given(entry=st.one_of(mappings, values))
def test_claim_parser_raises_only_obligraph_errors_on_anything(entry):
    try:
        read_claim(entry, 1, SOURCE, shown="a1.claims.yaml", known=KNOWN, vocabulary=VOCABULARY)
    except ObligraphError as error:
        assert str(error).startswith("a1.claims.yaml: claim 1")


@settings(max_examples=150, **SETTINGS)
@given(entry=plausible)
def test_claim_parser_on_nearly_valid_claims(entry):
    """Mostly valid claims with one or two odd fields reach the deeper checks."""
    try:
        claim = read_claim(entry, 1, SOURCE, shown="a1.claims.yaml", known=KNOWN, vocabulary=VOCABULARY)
    except ObligraphError:
        return
    for evidence in claim.evidence:
        assert SMALL_TEXT[evidence.span.start:evidence.span.end] == evidence.span.exact


def test_claim_parser_on_every_field_replaced_by_every_odd_value():
    """Exhaustive, beside the random search: each valid claim with each field (in turn, and in
    pairs with unit and role) replaced by each value of a list of odd ones."""
    odd = ODD + [{"a": 1}, [1, 2], float("nan"), float("inf"), 10**30, "\x00", "  ", "1990-02-31"]
    fields = sorted(CLAIM_FIELDS) + ["unknown"]
    entries = [{**base, field: value} for base in VALID for field in fields for value in odd]
    entries += [{**base, "unit": unit, "role": value} for base in VALID for unit in ("person", 5, [])
                for value in odd]
    for entry in entries:
        try:
            read_claim(entry, 1, SOURCE, shown="a1.claims.yaml", known=KNOWN, vocabulary=VOCABULARY)
        except ObligraphError:
            pass


@settings(max_examples=150, **SETTINGS)
@given(text=st.one_of(st.text(max_size=200), st.builds(
    lambda parts: "".join(parts), st.lists(st.sampled_from(
        ["- ", "subject: ", "arcadia", "\n", "  ", "&a ", "*a", "[", "]", "{", "}", ": ", "'", '"',
         "#", "!!python/object:os.system ", "!!binary ", "\t", "---\n", "? ", "|\n", ">-\n", "\x00"]),
        max_size=40))))
def test_yaml_reader_raises_only_obligraph_errors(tmp_path_factory, text):
    path = tmp_path_factory.getbasetemp() / "fuzz.claims.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_yaml(path, shown="fuzz.claims.yaml")
    except ObligraphError as error:
        assert str(error).startswith("fuzz.claims.yaml")


# --- the quote locator --------------------------------------------------------------------------

ALPHABET = st.sampled_from(list("abcdeé  \n\t\r.,'\"‘’“”") + ["e\u0301", "\u0301", "한", "\u1100\u1161",
                                                                "\u00a0", "\u2028", "Å", "Å"])
texts = st.lists(st.one_of(ALPHABET, st.characters(blacklist_categories=("Cs",))), min_size=1,
                 max_size=80).map("".join)


def check_span(text: str, quote: str, span) -> None:
    assert text[span.start:span.end] == span.exact
    assert normalized(span.exact) == normalized(quote.strip())
    assert span.prefix == text[max(0, span.start - 32):span.start]
    assert span.suffix == text[span.end:span.end + 32]


@settings(max_examples=500, **SETTINGS)
@given(text=texts, data=st.data())
def test_a_quote_cut_from_the_text_is_found_at_its_offsets(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    assume(quote.strip())
    try:
        span = locate(text, quote)
    except QuoteAmbiguousError:
        return
    check_span(text, quote, span)


def vary(quote: str, how: str) -> str:
    if how == "spaces":
        return re.sub(r"\s+", lambda m: data_space(m.group()), quote)
    if how == "quotes":
        return quote.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "'": "’", '"': "“"}))
    return unicodedata.normalize(how, quote)


def data_space(run: str) -> str:
    return " " if run != " " else "\n  "


@settings(max_examples=300, **SETTINGS)
@given(text=texts, data=st.data(), how=st.sampled_from(["spaces", "quotes", "NFC", "NFD"]))
def test_a_varied_quote_is_found_or_refused_never_misplaced(text, data, how):
    """Whitespace, typographic quotes and Unicode normalisation varied: a located span always
    holds, at its offsets, text whose normalised form is the quote's."""
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = vary(text[start:end], how)
    assume(quote.strip())
    try:
        span = locate(text, quote)
    except (QuoteAmbiguousError, QuoteNotFoundError):
        return
    check_span(text, quote, span)


def test_nfc_quote_in_nfd_text_records_the_nfd_span():
    text = unicodedata.normalize("NFD", "Le réfugié est à Montréal. 한국")
    span = locate(text, "réfugié est à Montréal")
    assert span.method == "normalized" and span.exact == unicodedata.normalize("NFD", "réfugié est à Montréal")
    assert locate(text, "한국").exact == unicodedata.normalize("NFD", "한국")


# --- the network page ---------------------------------------------------------------------------

DANGEROUS = st.sampled_from(["</script>", "</SCRIPT >", "<!--", "-->", "<script>alert(1)</script>", '"', "'",
                             "\u2028", "\u2029", "</", "<\\/script>", "&lt;", "]]>", "\\", "${x}", "`"])
strings = st.lists(st.one_of(DANGEROUS, st.text(max_size=12)), min_size=1, max_size=6).map("".join)
DATA = re.compile(r'(<script id="obligraph-data"[^>]*>)(.*?)(</script>)', re.S)


@pytest.fixture(scope="module")
def small_dataset(tmp_path_factory):
    small = SmallCorpus(tmp_path_factory.mktemp("page"))
    return obligraph.assemble(paths=small.paths)[1]


def around_the_data(page: str) -> str:
    """The page with its data block emptied: its markup, styles and scripts."""
    return DATA.sub(lambda m: m[1] + m[3], page)


@pytest.fixture(scope="module")
def plain_page(small_dataset):
    """The small corpus's page before any example changes a label, a title or a quote."""
    from obligraph.views.html import to_html
    from obligraph.views.network import to_network
    return around_the_data(to_html(to_network(small_dataset)))


def strings_in(node):
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from strings_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from strings_in(item)
    elif isinstance(node, str):
        yield node


@settings(max_examples=60, **SETTINGS)
@given(label=strings, title=strings, quote=strings)
def test_page_data_round_trips_and_cannot_close_its_script(small_dataset, plain_page, label, title, quote):
    from obligraph.views.html import page_data, page_json, to_html
    from obligraph.views.network import to_network

    graphs = {str(g.identifier).rsplit("/", 1)[-1]: g for g in small_dataset.graphs()}
    graphs["entities"].set((OBID.arcadia, RDFS.label, Literal(label)))
    source = graphs["a1"]
    source.set((next(source.subjects(DCTERMS.title, None)), DCTERMS.title, Literal(title)))
    selector = sorted(source.subjects(OA.exact, None))[0]
    source.set((selector, OA.exact, Literal(quote)))
    network = to_network(small_dataset)
    page = to_html(network)
    blocks = DATA.findall(page)
    assert len(blocks) == 1
    assert re.fullmatch(r"[A-Za-z0-9+/]*={0,2}", blocks[0][1])  # base64: nothing can close the block
    data = page_json(page)
    assert data == json.loads(json.dumps(page_data(network)))
    found = set(strings_in(data))
    assert label in found and title in found and quote in found  # verbatim, as data
    # and nowhere else: outside its data block the page is the one without them, byte for byte
    outside = around_the_data(page)
    assert outside == plain_page
    assert all(text not in outside for text in (label, title, quote) if text not in plain_page)
