"""Tests of bvplan/cli/, one file per module (test_<module>.py)."""
