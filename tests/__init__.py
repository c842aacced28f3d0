"""The test suite: tests/<subpackage>/test_<module>.py mirrors bvplan/<subpackage>/<module>.py;
tests/e2e/ runs the installed command end to end; examples/, golden/ and hostile/ hold data."""
