"""Importers: other tools' exports to ``Record`` objects, and the shared rules that file them."""
