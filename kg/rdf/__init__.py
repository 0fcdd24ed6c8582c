"""Extraction → RDF and the store that holds it: IRIs, serialisation formats, triples, Oxigraph, SHACL."""
