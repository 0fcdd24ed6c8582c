"""Structure: the report's numbered sections and their measures, with a status each (`report_structure`)."""
