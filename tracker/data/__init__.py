"""Read the data files (YAML with line numbers), check them against the schemas and rules, and make the records."""
