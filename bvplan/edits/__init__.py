"""Edits and writing: surgical YAML splices, the edit commands, the output guard every write goes through, a new plan repository."""
