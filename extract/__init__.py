"""Text in, `Extraction` out: spaCy components over a blank `zh` pipeline. Knows nothing of RDF."""

from policekg.extract.errors import ExtractionError
from policekg.extract.model import Extraction
from policekg.extract.pipeline import Extractor

__all__ = ["Extraction", "ExtractionError", "Extractor"]
