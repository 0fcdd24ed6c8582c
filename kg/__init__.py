"""From extractions to RDF, the store that holds them, ingest, read models, network analysis, the CLI."""
