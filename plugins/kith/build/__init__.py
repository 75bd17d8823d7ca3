"""The build as a plain function: inputs in, every page, the feed and the problems out."""
