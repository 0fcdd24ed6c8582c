"""The one Jinja2 environment of the pages: autoescaping on, templates and static files as package data.

Report text is untrusted: every value reaches HTML through Jinja2's autoescaping, and anything that
must reach JavaScript goes through `tojson` (which escapes `<`, `>`, `&` and quotes).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi.templating import Jinja2Templates

API_DIR = Path(str(files("policekg.api")))
STATIC_DIR = API_DIR / "static"

templates = Jinja2Templates(directory=str(API_DIR / "templates"), autoescape=True)
