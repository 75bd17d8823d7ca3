"""The MkDocs adapter: the only package that imports MkDocs."""

from kith.plugin.kith_plugin import KithPlugin

__all__ = ["KithPlugin"]
