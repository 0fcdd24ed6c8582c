"""Names: every entity a report names, found (`entity_rules`) and given its canonical name (`resolve_names`)."""
