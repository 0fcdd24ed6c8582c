"""`python -m policekg.api` is the `policekg` command (for environments without the entry point)."""

from policekg.api.cli import main

main()
