"""kith: your professional network as plain Markdown, compiled into a personal wiki."""

__version__ = "0.1.0"
