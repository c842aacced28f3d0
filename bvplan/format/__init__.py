"""The plan format and its checks: the models, reading YAML with positions, loading plans, diagnostics."""
