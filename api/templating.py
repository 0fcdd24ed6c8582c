"""The one Jinja2 environment of the pages: autoescaping on, templates and static files as package data.

Its globals (URL builders, class names) are set by `create_app`; the class tints are CSS written from
the vocabulary table (`tints`), served beside the static files.

Report text is untrusted: every value reaches HTML through Jinja2's autoescaping, and anything that
must reach JavaScript goes through `tojson` (which escapes `<`, `>`, `&` and quotes).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from policekg.api import i18n
from policekg.schema.vocabulary import tints_css

API_DIR = Path(str(files("policekg.api")))
STATIC_DIR = API_DIR / "static"

# Starlette 1.x takes no Jinja options, so the environment is built here: autoescape on for every
# template, whatever its file name.
templates = Jinja2Templates(env=Environment(loader=FileSystemLoader(API_DIR / "templates"), autoescape=True))
# The pages' words, in the request's language; here rather than in `create_app` because a graph page
# is also rendered without an app (saved to a file, shown in a notebook), in Chinese.
templates.env.globals.update(i18n.template_globals())
# `tojson` writes Chinese as itself, not as \uXXXX escapes: half the bytes of a graph page's data. It still
# escapes `<`, `>`, `&` and `'`, so nothing in the data can close the script element it sits in.
templates.env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}


async def tints() -> Response:
    """The class and status tints of badges and highlighted mentions, written from the vocabulary table."""
    return Response(tints_css(), media_type="text/css", headers={"Cache-Control": "public, max-age=3600"})
