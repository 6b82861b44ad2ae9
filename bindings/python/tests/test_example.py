"""examples/python/attendance.py runs as written: enrol a folder, recognise a photo or say it cannot."""

import shutil
import subprocess
import sys

from conftest import REPO, TESTDATA

EXAMPLE = REPO / "examples" / "python" / "attendance.py"


def run(folder, snapshot):
    done = subprocess.run([sys.executable, str(EXAMPLE), str(folder), str(snapshot)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_attendance_recognises_an_enrolled_person(tmp_path):
    for src, name in [("obama.jpg", "barack.jpg"), ("biden.jpg", "joe.jpg"), ("astronaut.png", "eileen.png")]:
        shutil.copy(TESTDATA / src, tmp_path / name)
    out = run(tmp_path, TESTDATA / "obama2.jpg")
    assert "enrolled barack" in out and "enrolled eileen" in out
    assert "present: Barack (score " in out, out


def test_attendance_does_not_name_a_stranger(tmp_path):
    for src, name in [("biden.jpg", "joe.jpg"), ("astronaut.png", "eileen.png")]:
        shutil.copy(TESTDATA / src, tmp_path / name)
    out = run(tmp_path, TESTDATA / "obama3.jpg")
    assert "not recognised" in out and "present" not in out, out
