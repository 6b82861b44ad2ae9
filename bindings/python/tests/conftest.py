"""Fixtures of the Python suite. It tests the *installed* facekit (scripts/test-python.sh installs the wheel
into a fresh venv), with the repo's test photos and shared cases."""

import base64
from pathlib import Path

import pytest

import facekit

REPO = Path(__file__).resolve().parents[3]
TESTDATA = REPO / "testdata"
CASES = REPO / "bindings" / "cases"


def b64(name: str) -> str:
    return base64.b64encode((TESTDATA / name).read_bytes()).decode()


@pytest.fixture(scope="session")
def client() -> facekit.AipFace:
    return facekit.AipFace("app-id", "api-key", "secret-key", threads=2)


@pytest.fixture(scope="session")
def engine() -> facekit.Engine:
    return facekit.Engine(threads=2)
