"""Tests of bvplan/format/, one file per module (test_<module>.py)."""
