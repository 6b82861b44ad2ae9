"""facekit.Engine: numpy pixels, dataclasses, feature vectors, batches without the GIL."""

import threading
import time

import numpy as np
import pytest
from PIL import Image

import facekit
from conftest import TESTDATA, b64


def pixels(name: str) -> np.ndarray:
    """A test photo as an H×W×3 uint8 RGB array, the way apps hold camera frames."""
    return np.asarray(Image.open(TESTDATA / name).convert("RGB"))


def test_detect_on_a_path_bytes_and_the_api_agree(engine):
    by_path = engine.detect(TESTDATA / "obama.jpg")
    by_bytes = engine.detect((TESTDATA / "obama.jpg").read_bytes())
    api = engine.call("detect", {"image": b64("obama.jpg"), "image_type": "BASE64"})
    assert len(by_path) == len(by_bytes) == 1
    face = by_path[0]
    assert isinstance(face, facekit.Face)
    assert face.face_token == by_bytes[0].face_token and np.array_equal(face.landmarks, by_bytes[0].landmarks)
    loc = api["result"]["face_list"][0]["location"]
    assert abs(face.left - loc["left"]) < 0.01 and abs(face.height - loc["height"]) < 0.01
    assert face.face_token == api["result"]["face_list"][0]["face_token"]
    assert face.landmarks.shape == (5, 2) and face.landmarks.dtype == np.float32
    assert 0.99 < face.score <= 1 and abs(face.yaw_deg) < 10


def test_numpy_pixels_in_rgb_bgr_rgba_and_gray(engine):
    rgb = pixels("obama.jpg")
    h, w, _ = rgb.shape
    ref = engine.detect(rgb)
    assert len(ref) == 1 and abs(ref[0].left - 372.5) < 3
    bgr = engine.detect(np.ascontiguousarray(rgb[:, :, ::-1]), pixel_format="BGR")
    rgba = engine.detect(np.dstack([rgb, np.full((h, w), 255, np.uint8)]))
    assert np.allclose(bgr[0].landmarks, ref[0].landmarks) and np.allclose(rgba[0].landmarks, ref[0].landmarks)
    gray = engine.detect(rgb.mean(axis=2).astype(np.uint8))
    assert len(gray) == 1 and abs(gray[0].left - ref[0].left) < 6
    assert engine.detect(np.zeros((64, 64, 3), np.uint8)) == []


def test_bad_pixels_raise_clear_errors(engine):
    with pytest.raises(TypeError, match="uint8"):
        engine.detect(np.zeros((8, 8, 3), np.float32))
    with pytest.raises(ValueError, match="H×W"):
        engine.detect(np.zeros((8, 8, 2), np.uint8))
    with pytest.raises(facekit.FacekitError) as e:
        engine.detect(b"not an image")
    assert e.value.code == 222203 and e.value.detail.startswith("image 0")
    with pytest.raises(facekit.FacekitError) as e:
        engine.detect(TESTDATA / "no-such-file.jpg")
    assert e.value.code != 0


def test_features_compare_same_person_high_other_person_low(engine):
    (o1,), (o2,), (b,) = engine.extract_batch([TESTDATA / "obama.jpg", TESTDATA / "obama2.jpg", TESTDATA / "biden.jpg"])
    assert isinstance(o1, facekit.FaceFeature)
    assert o1.feature.shape == (128,) and o1.feature.dtype == np.float32
    same, other = facekit.compare(o1.feature, o2.feature), facekit.compare(o1.feature, b.feature)
    assert same >= 80 and other < 60
    api = engine.call(
        "match",
        [{"image": o1.face.face_token, "image_type": "FACE_TOKEN"}, {"image": b64("obama2.jpg"), "image_type": "BASE64"}],
    )
    assert abs(api["result"]["score"] - same) < 0.01
    with pytest.raises(ValueError, match="128"):
        facekit.compare(o1.feature[:64], o2.feature)


def test_extract_takes_the_largest_face_by_default_and_more_on_request(engine):
    one = engine.extract(TESTDATA / "solvay1927.png")
    five = engine.extract(TESTDATA / "solvay1927.png", max_faces=5)
    everyone = engine.detect(TESTDATA / "solvay1927.png")
    assert len(one) == 1 and len(five) == 5 and len(everyone) == 29
    areas = [f.face.width * f.face.height for f in five]
    assert areas == sorted(areas, reverse=True) and np.allclose(one[0].feature, five[0].feature)


def test_batches_release_the_gil(engine):
    images = [pixels("solvay1927.png")] * 3
    call = {}

    def work():
        call["start"] = time.perf_counter()
        engine.extract_batch(images, max_faces=8)
        call["end"] = time.perf_counter()

    worker = threading.Thread(target=work)
    stamps = []
    worker.start()
    while worker.is_alive():
        stamps.append(time.perf_counter())
        time.sleep(0.002)
    worker.join()
    # This thread can only wake up and record a stamp while the worker is inside the batch if the batch let
    # go of the GIL.
    margin = (call["end"] - call["start"]) * 0.1
    inside = [t for t in stamps if call["start"] + margin < t < call["end"] - margin]
    assert len(inside) >= 5, (call, len(stamps))


def test_the_installed_package_uses_its_own_models_and_the_onnxruntime_wheel(engine):
    from pathlib import Path

    assert engine.threads == 2
    assert Path(engine.model_dir) == Path(facekit.__file__).parent / "models"
    assert Path(facekit.loaded_ort_library()).parent.match("onnxruntime/capi")


def test_the_face_library_with_typed_results(engine):
    token = engine.add_user(pixels("obama.jpg"), "typed_lib", "obama", user_info="Barack")
    engine.add_user(TESTDATA / "biden.jpg", "typed_lib", "biden")
    found = engine.search(TESTDATA / "obama2.jpg", "typed_lib", max_users=2)
    assert [(m.user_id, m.user_info, m.group_id) for m in found] == [("obama", "Barack", "typed_lib"), ("biden", "", "typed_lib")]
    assert found[0].score >= 80 and found[1].score < 60 and isinstance(found[0], facekit.UserMatch)
    assert engine.search(TESTDATA / "astronaut.png", ["typed_lib"], match_threshold=80) == []
    with pytest.raises(facekit.FacekitError) as e:
        engine.add_user(np.zeros((64, 64, 3), np.uint8), "typed_lib", "nobody")
    assert (e.value.code, e.value.message) == (222202, "pic not has face")
    with pytest.raises(facekit.FacekitError) as e:
        engine.search(TESTDATA / "obama3.jpg", "no_such_group")
    assert e.value.code == 223100
    # One configuration, one library: an AipFace client sees what the Engine enrolled.
    client = facekit.AipFace(threads=2)
    faces = client.faceGetlist("obama", "typed_lib")["result"]["face_list"]
    assert [f["face_token"] for f in faces] == [token]
