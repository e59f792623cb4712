"""The pipeline: load, check, render, then write the output (atomically, reusing unchanged pages)."""
