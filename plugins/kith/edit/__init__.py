"""Safe edits of files the user also edits by hand: log lines, keys, new contacts."""
