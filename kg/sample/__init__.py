"""The report shipped with the package (慈溪市公安局, 2022): `serve` ingests it into an empty store."""

from importlib.resources import files
from pathlib import Path

SAMPLE_REPORT = Path(str(files(__name__) / "000_01c10ac9e2f52e48.txt"))
