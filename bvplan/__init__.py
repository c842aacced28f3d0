"""bvplan: keep a Best Value improvement plan as YAML, check it, and report on it."""

__version__ = "0.1.0"
