"""What a ``mkdocs serve`` session keeps between rebuilds, and what a rebuild redraws."""
