"""Drawing the graph: the entity network, the interactive HTML page and the network
exports (GraphML, GEXF, CSV). Imports: graph, corpus."""
