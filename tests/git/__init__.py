"""Tests of bvplan/git/, one file per module (test_<module>.py)."""
