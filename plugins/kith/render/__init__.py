"""The wiki as plain Markdown, for engines that run no MkDocs plugin (``kith render``).

The same build as the plugin's (``kith.build.wiki.build``), written as a folder any
engine that reads Markdown and ``mkdocs.yml`` renders: Zensical, ProperDocs, MkDocs
without kith. ``project``: what the build reads and the ``mkdocs.yml`` written beside
the pages; ``convert``: one page's Markdown as the engine is given it; ``tree``: the
folder written, and kept in step with the files under ``--watch``.
"""
