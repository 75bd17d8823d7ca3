"""Other tools' exports in and out: LinkedIn and vCard imports, the vCard export."""
