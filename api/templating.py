"""The one Jinja2 environment of the pages: autoescaping on, templates and static files as package data.

Report text is untrusted: every value reaches HTML through Jinja2's autoescaping, and anything that
must reach JavaScript goes through `tojson` (which escapes `<`, `>`, `&` and quotes).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

API_DIR = Path(str(files("policekg.api")))
STATIC_DIR = API_DIR / "static"

# Starlette 1.x takes no Jinja options, so the environment is built here: autoescape on for every
# template, whatever its file name.
templates = Jinja2Templates(env=Environment(loader=FileSystemLoader(API_DIR / "templates"), autoescape=True))
