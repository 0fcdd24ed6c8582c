"""`python -m policekg.kg` is the `policekg` command (for environments without the entry point)."""

from policekg.kg.cli import main

main()
