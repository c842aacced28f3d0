"""Tests of bvplan/papers/, one file per module (test_<module>.py)."""
