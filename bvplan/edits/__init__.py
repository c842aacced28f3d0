"""Edits and writing: surgical YAML splices, the edit commands, atomic writes, a new plan repository."""
