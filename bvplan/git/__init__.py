"""Git: plans as they stood at a revision, read through git's object store."""
