"""Our spaCy components, one per module; importing this package registers their factories."""

from policekg.extract.components import (  # noqa: F401
    entity_rules,
    observations,
    relations,
    report_metadata,
    report_structure,
    resolve_names,
    sentences,
)
