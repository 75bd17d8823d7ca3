"""The git history of the people folder: one ``git log`` per build, parsed in place."""
