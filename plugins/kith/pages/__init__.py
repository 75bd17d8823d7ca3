"""Pages from analyses: the page registry, the templates, the HTML helpers, the feed."""
