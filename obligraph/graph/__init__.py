"""Making the graph: the model as RDF, shapes, rules, the build cache, the files in graph/
(the pipeline) and the persisted query store. Imports: corpus, extract."""
