"""The ground every stage stands on: domain types, errors, options, names and the
Markdown grammars (wikilinks, comments). Standard library and PyYAML only."""
