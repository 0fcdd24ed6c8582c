"""The HTTP face of the store: SPARQL protocol, pages, graph views and exports. Thin by design."""
