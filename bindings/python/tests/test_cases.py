"""The shared SDK cases (bindings/cases/*.json, see its README) through facekit.AipFace."""

import itertools
import json
import os
from typing import Any, Dict

import pytest

from conftest import CASES, TESTDATA, b64

UNSUPPORTED = 3
_runs = itertools.count()


def _cases():
    return [
        pytest.param(case, id=f"{path.stem}::{case['name']}")
        for path in sorted(CASES.glob("*.json"))
        for case in json.loads(path.read_text(encoding="utf-8"))["cases"]
    ]


def resolve(v: Any, saved: Dict[str, Any], run: str) -> Any:
    if isinstance(v, str):
        return v.replace("${run}", run)
    if isinstance(v, list):
        return [resolve(i, saved, run) for i in v]
    if isinstance(v, dict):
        if "$base64" in v:
            return b64(v["$base64"])
        if "$file_url" in v:
            return "file://" + os.fspath((TESTDATA / v["$file_url"]).resolve())
        if "$var" in v:
            return saved[v["$var"]]
        return {k: resolve(x, saved, run) for k, x in v.items()}
    return v


def lookup(v: Any, path: str) -> Any:
    for key in path.split("."):
        if isinstance(v, list) and key.isdigit():
            v = v[int(key)] if int(key) < len(v) else None
        elif isinstance(v, dict):
            v = v.get(key)
        else:
            return None
    return v


def type_name(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    return {int: "integer", float: "number", str: "string", list: "array", dict: "object"}[type(v)]


def check(actual: Any, expected: Any) -> None:
    if not isinstance(expected, dict):
        assert actual == expected, f"is {actual!r}, expected {expected!r}"
        return
    for op, arg in expected.items():
        if op == "equals":
            ok = actual == arg
        elif op in ("min", "max"):
            ok = isinstance(actual, (int, float)) and (actual >= arg if op == "min" else actual <= arg)
        elif op == "len":
            ok = isinstance(actual, (list, str)) and len(actual) == arg
        elif op == "type":
            ok = type_name(actual) == arg or (arg == "number" and type_name(actual) == "integer")
        elif op == "contains":
            ok = isinstance(actual, list) and arg in actual
        elif op == "absent":
            ok = (actual is None) == arg
        else:
            raise AssertionError(f"unknown matcher {op!r}")
        assert ok, f"is {actual!r}, expected {op} {arg!r}"


@pytest.mark.parametrize("case", _cases())
def test_shared_case(client, case):
    saved: Dict[str, Any] = {}
    run = f"py{os.getpid()}_{next(_runs)}"
    for i, step in enumerate(case["steps"]):
        method = getattr(client, step["call"])
        args = resolve(step.get("args", []), saved, run)
        if "options" in step:
            response = method(*args, resolve(step["options"], saved, run))
        else:
            response = method(*args)
        expect = resolve(step.get("expect", {}), saved, run)
        if response["error_code"] == UNSUPPORTED and expect.get("error_code") != UNSUPPORTED:
            pytest.skip(f"SKIPPED: {step['call']} answers 3 Unsupported openapi method in this build")
        for path, expected in expect.items():
            try:
                check(lookup(response, path), expected)
            except AssertionError as e:
                raise AssertionError(f"step {i} {step['call']}: {path} {e}\n  response: {response}") from None
        for name, path in step.get("save", {}).items():
            saved[name] = lookup(response, path)
