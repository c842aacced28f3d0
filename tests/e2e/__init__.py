"""End to end: bvplan run as a real process, as a user, a shell, pre-commit or CI runs it."""
