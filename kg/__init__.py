"""From extractions to RDF, the store that holds them, their analysis and the command-line tool."""
