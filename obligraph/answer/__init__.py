"""Answering questions: the named queries, results formats, contained query workers, the
SPARQL endpoint and remote stores. Imports: graph, corpus."""
