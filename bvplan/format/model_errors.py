"""Turn pydantic's validation errors into diagnostics a person can act on.

Pydantic says *what* failed at *which path*; the source map says where that path stands in the
file. The wording here speaks of the plan file, not of Python types.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from bvplan.format.diagnostics import Diagnostic, error
from bvplan.format.model import ID_PATTERN, MONTH_DAY_PATTERN, PLAN_ID_PATTERN, REFERENCE_PATTERN
from bvplan.format.yamlsource import Path, SourceMap
from bvplan.suggest import did_you_mean

_PATTERN_WORDS = {
    ID_PATTERN: ("an id of letters, digits, '.', '_' or '-', starting with a letter or digit", "PR1.2"),
    PLAN_ID_PATTERN: ("a plan id in lower case: letters, digits, '.', '_' or '-'", "bvip-2018-19"),
    REFERENCE_PATTERN: ("'<plan id>/<item id>'", "bvip-2017-18/PR3"),
    MONTH_DAY_PATTERN: ("a month and day every year has, as MM-DD, in quotes (not 02-29)", '"04-01"'),
}


def describe(value: Any) -> str:
    """How a YAML value reads to a person."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {_shortened(str(value))}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"'{_shortened(str(value))}'"


SHOWN_CHARACTERS = 60


def _shortened(text: str) -> str:
    """A value quoted in a message: enough to recognise it, never a whole pasted document."""
    return text if len(text) <= SHOWN_CHARACTERS else text[: SHOWN_CHARACTERS - 1] + "…"


def _unwrap(annotation: Any) -> list[Any]:
    """The model classes and containers that an annotation may hold."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [inner for arg in typing.get_args(annotation) for inner in _unwrap(arg)]
    return [annotation]


def model_at(root: type[BaseModel], path: Path) -> type[BaseModel] | None:
    """The model class whose fields apply at `path`, by following field annotations."""
    current: Any = root
    for step in path:
        candidates = _unwrap(current)
        found = None
        for candidate in candidates:
            origin = typing.get_origin(candidate)
            if isinstance(step, str) and isinstance(candidate, type) and issubclass(candidate, BaseModel):
                field = candidate.model_fields.get(step)
                if field is not None:
                    found = field.annotation
            elif origin is list and isinstance(step, int):
                found = typing.get_args(candidate)[0]
            elif origin is dict and isinstance(step, str):
                found = typing.get_args(candidate)[1]
            if found is not None:
                break
        if found is None:
            return None
        current = found
    for candidate in _unwrap(current):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def convert(exc: ValidationError, root: type[BaseModel], source: SourceMap, path: str) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for item in exc.errors(include_url=False):
        loc: Path = tuple(item["loc"])
        kind = item["type"]
        value = item.get("input")
        ctx = item.get("ctx") or {}
        name = str(loc[-1]) if loc and isinstance(loc[-1], str) else None

        if kind == "missing":
            span = source.key(loc[:-1]) if loc[:-1] else source.value(())
            found.append(error(path, span, "BV200", f"missing required key '{name}'", _missing_hint(root, loc)))
            continue
        if kind == "extra_forbidden":
            model = model_at(root, loc[:-1])
            choices = list(model.model_fields) if model else []
            hint = did_you_mean(str(name), choices) if name else None
            if hint is None and choices:
                hint = "allowed here: " + ", ".join(choices)
            found.append(error(path, source.key(loc), "BV201", f"unknown key '{name}'", hint))
            continue

        span = source.value(loc)
        where = f"'{name}'" if name else "this value"
        if loc in source.yaml11_booleans and kind in ("bool_type", "date_type", "date_parsing"):
            word = str(value)
            meant = "true" if word.lower() in ("yes", "on", "y") else "false"
            if kind == "bool_type":
                message = f"{where} is '{word}', which YAML tools disagree on"
                hint = f"write {meant} (YAML 1.1 tools read '{word}' as {meant}; YAML 1.2 reads it as text)"
            else:
                message = f"{where} must be a date, found '{word}' (which YAML 1.1 tools read as {meant})"
                hint = "write a date as YYYY-MM-DD"
            found.append(error(path, span, "BV204", message, hint))
        elif kind.startswith("date"):
            if loc in source.bad_dates:
                message, hint = f"{where}: {describe(value)} is not a real date", "check the day and month"
                if isinstance(value, str) and len(value) != 10:
                    message = f"{where}: {describe(value)} is not written YYYY-MM-DD"
                    hint = "write dates as YYYY-MM-DD, with two-digit month and day"
            elif isinstance(value, int | float):
                message, hint = f"{where} must be a date, found {describe(value)}", "write a date as YYYY-MM-DD"
            else:
                message, hint = (
                    f"{where} must be a date (YYYY-MM-DD), found {describe(value)}",
                    "write a date as YYYY-MM-DD, e.g. 2018-06-30",
                )
            found.append(error(path, span, "BV203", message, hint))
        elif kind == "bool_type":
            found.append(error(path, span, "BV202", f"{where} must be true or false, found {describe(value)}"))
        elif kind == "string_type":
            hint = None
            if isinstance(value, int | float | bool | dt.date):
                hint = f'put it in quotes to keep it as text: "{_plain(value)}"'
            found.append(error(path, span, "BV202", f"{where} must be text, found {describe(value)}", hint))
        elif kind in ("list_type", "tuple_type"):
            found.append(
                error(
                    path,
                    span,
                    "BV202",
                    f"{where} must be a list, found {describe(value)}",
                    "start each item on its own line with '- '",
                )
            )
        elif kind in ("dict_type", "model_type", "model_attributes_type"):
            what = "a mapping of keys" if loc else "a mapping of keys (the file's top level)"
            found.append(
                error(path, span, "BV202", f"{where if loc else 'the file'} must be {what}, found {describe(value)}")
            )
        elif kind == "literal_error":
            expected = ctx.get("expected", "")
            choices = [c.strip().strip("'") for c in str(expected).replace(" or ", ", ").split(",")]
            hint = did_you_mean(str(value), choices) or f"one of: {', '.join(choices)}"
            found.append(
                error(path, span, "BV205", f"{where} is {describe(value)}, not one of {', '.join(choices)}", hint)
            )
        elif kind == "string_pattern_mismatch":
            words, example = _PATTERN_WORDS.get(ctx.get("pattern", ""), ("the expected form", None))
            found.append(
                error(
                    path,
                    span,
                    "BV205",
                    f"{where} must be {words}, found {describe(value)}",
                    f"for example {example}" if example else None,
                )
            )
        elif kind == "string_too_short":
            found.append(error(path, span, "BV205", f"{where} must not be empty"))
        elif kind in ("int_type", "int_parsing"):
            found.append(error(path, span, "BV202", f"{where} must be a whole number, found {describe(value)}"))
        elif kind in ("greater_than_equal", "less_than_equal"):
            found.append(error(path, span, "BV205", f"{where}: {item['msg'].lower()}, found {describe(value)}"))
        else:
            found.append(error(path, span, "BV202", f"{where}: {item['msg']}"))
    return found


def _plain(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _missing_hint(root: type[BaseModel], loc: Path) -> str | None:
    model = model_at(root, loc[:-1])
    if model is None:
        return None
    field = model.model_fields.get(str(loc[-1]))
    if field is not None and field.description:
        return f"'{loc[-1]}': {field.description}"
    return None
