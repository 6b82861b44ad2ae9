"""The stubs and inline types check an app under ``mypy --strict``, and catch wrong calls."""

import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("mypy", reason="mypy is not installed (scripts/test-python.sh installs it)")

USAGE = """
    from typing import List
    import numpy as np
    from facekit import AipFace, Engine, Face, FaceFeature, FacekitError, UserMatch, compare

    client = AipFace("APP_ID", "API_KEY", "SECRET_KEY", threads=2)
    client.setConnectionTimeoutInMillis(5000)
    r = client.detect("aGk=", "BASE64", {"max_face_num": 2})
    code: int = r["error_code"]
    client.match([{"image": "a", "image_type": "BASE64"}, {"image": "b", "image_type": "FACE_TOKEN"}])
    engine = Engine(threads=1, faceset_db="faces.db")
    faces: List[Face] = engine.detect(np.zeros((8, 8, 3), np.uint8), max_faces=2)
    feats: List[List[FaceFeature]] = engine.extract_batch(["a.jpg", b"..."])
    score: float = compare(feats[0][0].feature, feats[0][0].feature)
    token: str = engine.add_user("a.jpg", "staff", "u1", user_info="Ann")
    matches: List[UserMatch] = engine.search(np.zeros((8, 8, 3), np.uint8), ["staff", "guests"], max_users=3)
    try:
        engine.call("detect", {"image": "x"})
    except FacekitError as e:
        print(e.code, e.message)
"""

BAD = """
    from facekit import AipFace
    client = AipFace()
    client.detect("aGk=")
    client.noSuchMethod()
"""


def mypy(tmp_path, source):
    (tmp_path / "app.py").write_text(textwrap.dedent(source))
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "app.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    return done.returncode, done.stdout


def test_an_app_type_checks_under_strict(tmp_path):
    code, out = mypy(tmp_path, USAGE)
    assert code == 0, out


def test_wrong_calls_are_reported(tmp_path):
    code, out = mypy(tmp_path, BAD)
    assert code == 1
    assert 'Missing positional argument "image_type" in call to "detect"' in out, out
    assert '"AipFace" has no attribute "noSuchMethod"' in out, out
