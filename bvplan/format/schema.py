"""JSON Schema of the plan format, generated from the models.

The same text ships in `bvplan/schemas/` for editors (the plan files' `yaml-language-server`
modeline points there); a test keeps the shipped files equal to what the models generate.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from bvplan.format.frameworks import FrameworkFile
from bvplan.format.model import PlanFile, ThemeFile

SCHEMA_DIR = Path(__file__).parent.parent / "schemas"
_MODELS: dict[str, type[BaseModel]] = {"plan": PlanFile, "theme": ThemeFile, "framework": FrameworkFile}


def schema_text(kind: str) -> str:
    document = _MODELS[kind].model_json_schema()
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **document,
    }
    return json.dumps(document, indent=2, sort_keys=False) + "\n"


def shipped_path(kind: str) -> Path:
    return SCHEMA_DIR / f"{kind}.schema.json"
