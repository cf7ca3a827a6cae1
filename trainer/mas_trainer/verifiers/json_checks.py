"""JSON verifiers: `json_valid(got)` and `json_schema(got, schema)` (the jsonschema package, no remote references)."""

from __future__ import annotations

import jsonschema.exceptions
import jsonschema.validators
import referencing.exceptions
from jsonschema_specifications import REGISTRY as SPECIFICATIONS

from ..strict_json import JsonInputError, loads


def json_valid(got: str) -> bool:
    """True when all of `got` (surrounding whitespace allowed, no Markdown fence) is standard JSON: no NaN/Infinity,
    no number beyond a double, nesting at most 1000 deep (the run directory's own JSON policy, strict_json.py)."""
    try:
        loads(got)
    except JsonInputError:
        return False
    return True


def json_schema(got: str, schema: str) -> bool:
    """True when `got` is standard JSON (as json_valid) that the JSON Schema `schema` accepts. The schema's dialect
    comes from its `$schema` (the latest draft without one); `format` is not asserted; `$ref` resolves only inside
    the schema and to the standard meta-schemas, never over the network. A schema that is not JSON or not a valid
    schema raises ValueError (a null score: the workspace's data is wrong, not the output)."""
    try:
        parsed_schema = loads(schema)
    except JsonInputError as err:
        raise ValueError(f"json_schema: the schema is not JSON: {err}") from None
    validator_class = jsonschema.validators.validator_for(parsed_schema)
    try:
        validator_class.check_schema(parsed_schema)
    except jsonschema.exceptions.SchemaError as err:
        raise ValueError(f"json_schema: not a valid schema: {err.message}") from None
    try:
        instance = loads(got)
    except JsonInputError:
        return False
    # SPECIFICATIONS holds the meta-schemas only and retrieves nothing: a remote $ref is Unresolvable, not fetched.
    validator = validator_class(parsed_schema, registry=SPECIFICATIONS)
    try:
        return validator.is_valid(instance)
    except referencing.exceptions.Unresolvable as err:
        raise ValueError(f"json_schema: $ref {err} cannot be resolved (only references inside the schema)") from None
