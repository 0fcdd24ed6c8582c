"""`policekg`: the command-line tool, on top of `kg/` (the `serve` command is added from `api.cli`)."""
