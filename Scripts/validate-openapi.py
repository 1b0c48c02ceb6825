#!/usr/bin/env python3
"""Validates real requests and responses of `buildtrail serve` against its OpenAPI 3.1 document.

Usage: validate-openapi.py OPENAPI.json < CASES.jsonl

Each line of standard input is one JSON case:
  {"kind": "response", "method": "get", "path": "/api/v1/builds/3?x=1", "status": 200,
   "content_type": "application/json; charset=utf-8", "body": "..."}
  {"kind": "request", "method": "post", "path": "/api/v1/inputs/missing",
   "media_type": "application/json", "body": "..."}
  {"kind": "request", "method": "post", "path": "/api/v1/builds",
   "media_type": "multipart/form-data", "part": "metadata", "body": "..."}

The concrete path is matched to the document's paths (a literal segment wins over `{name}`). A
response must be documented for its status, its Content-Type must be one the document gives for
it, and a JSON body must validate against that media type's schema (JSON Schema 2020-12, with the
document's `$ref`s). Prints one line per failure and a last line `N validated, M failed`; exits 1
when any failed, 2 when jsonschema is missing.
"""

import json
import sys

try:
    import jsonschema
except ImportError:
    print("validate-openapi: the Python module jsonschema is missing (pip install jsonschema)")
    sys.exit(2)


def match_path(document, concrete):
    """The document's path template for `concrete` (query string removed), or None."""
    segments = [s for s in concrete.split("?", 1)[0].split("/") if s]
    best = None
    for template in document["paths"]:
        parts = [s for s in template.split("/") if s]
        if len(parts) != len(segments):
            continue
        if not all(p.startswith("{") or p == s for p, s in zip(parts, segments)):
            continue
        literals = sum(not p.startswith("{") for p in parts)
        if best is None or literals > best[0]:
            best = (literals, template)
    return best[1] if best else None


def resolve(document, node):
    """`node` with a `$ref` to another part of the document followed."""
    while isinstance(node, dict) and "$ref" in node and len(node) == 1:
        target = document
        for key in node["$ref"].lstrip("#/").split("/"):
            target = target[key]
        node = target
    return node


def validate(document, schema, instance):
    """The validation errors of `instance` against `schema`, whose `$ref`s point into the document."""
    root = dict(schema)
    root["components"] = document["components"]
    validator = jsonschema.Draft202012Validator(root, format_checker=jsonschema.FormatChecker())
    return sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))


def check(document, case):
    """The problems of one case, empty when it conforms."""
    template = match_path(document, case["path"])
    if template is None:
        return [f"no path of the document matches {case['path']}"]
    operation = document["paths"][template].get(case["method"].lower())
    if operation is None:
        return [f"{case['method'].upper()} {template} is not in the document"]
    if case["kind"] == "request":
        content = resolve(document, operation["requestBody"])["content"]
        media = content.get(case["media_type"])
        if media is None:
            return [f"{case['media_type']} is not a request type of {template}"]
        schema = media["schema"]
        if "part" in case:
            schema = schema["properties"][case["part"]]
    else:
        response = operation["responses"].get(str(case["status"])) or operation["responses"].get(
            "default"
        )
        if response is None:
            return [f"status {case['status']} is not documented"]
        response = resolve(document, response)
        content = response.get("content", {})
        media_type = (case.get("content_type") or "").split(";")[0].strip()
        media = content.get(media_type)
        if media is None:
            return [f"Content-Type {media_type!r} is not documented for {case['status']}"]
        schema = media.get("schema", {})
        if not media_type.endswith("json"):
            return []
    try:
        instance = json.loads(case["body"])
    except ValueError as error:
        return [f"the body is not JSON: {error}"]
    return [
        f"at /{'/'.join(str(p) for p in e.absolute_path)}: {e.message[:300]}"
        for e in validate(document, schema, instance)
    ]


def main():
    with open(sys.argv[1], encoding="utf-8") as file:
        document = json.load(file)
    validated = failed = 0
    for line in sys.stdin:
        if not line.strip():
            continue
        case = json.loads(line)
        problems = check(document, case)
        validated += 1
        if problems:
            failed += 1
            label = f"{case['kind']} {case['method'].upper()} {case['path']}"
            if case["kind"] == "response":
                label += f" {case['status']}"
            for problem in problems:
                print(f"{label}: {problem}")
    print(f"{validated} validated, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
