"""Tests of bvplan/rules/, one file per module (test_<module>.py)."""
