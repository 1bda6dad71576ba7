"""Reading and checking the corpus: the registry, metadata, claims files and reference
records, quotes located in their texts, into the model. Imports: errors only."""
