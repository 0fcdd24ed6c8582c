"""What the pages and the CLI read from the store, as plain Python data: every SPARQL query of a page."""
