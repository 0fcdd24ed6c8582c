"""The ontology, the SHACL shapes and the lexicons, shipped as package data."""

from importlib.resources import files
from pathlib import Path

SCHEMA_DIR = Path(str(files(__name__)))
ONTOLOGY = SCHEMA_DIR / "ontology.ttl"
SHAPES = SCHEMA_DIR / "shapes.ttl"
LEXICON_DIR = SCHEMA_DIR / "lexicon"
