"""Tests of bvplan/edits/, one file per module (test_<module>.py)."""
