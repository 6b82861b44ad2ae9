"""facekit.AipFace behaves as aip.AipFace: signatures, argument passing, the dicts it returns."""

import inspect
import json
from pathlib import Path

import pytest

import facekit
from conftest import b64


def test_methods_return_the_whole_cloud_envelope(client):
    r = client.detect(b64("obama.jpg"), "BASE64", {"max_face_num": 2, "face_field": "age"})
    assert list(r)[:6] == ["error_code", "error_msg", "log_id", "timestamp", "cached", "result"]
    assert (r["error_code"], r["error_msg"], r["cached"]) == (0, "SUCCESS", 0)
    assert r["result"]["face_num"] == 1
    face = r["result"]["face_list"][0]
    assert abs(face["location"]["left"] - 372.5) < 3 and face["face_probability"] > 0.99


def test_errors_come_back_as_dicts_not_exceptions(client):
    r = client.detect("bm90IGFuIGltYWdl", "BASE64")
    assert r["error_code"] == 222203 and r["result"] is None
    assert isinstance(r["log_id"], int)


def test_keyword_arguments_and_defaults_work_as_in_the_sdk(client):
    by_keyword = client.detect(image=b64("biden.jpg"), image_type="BASE64", options=None)
    assert by_keyword["error_code"] == 0 and by_keyword["result"]["face_num"] == 1
    with pytest.raises(TypeError):
        client.detect(b64("biden.jpg"))
    with pytest.raises(TypeError):
        client.detect(b64("biden.jpg"), "BASE64", {}, "extra")


def test_options_override_arguments_as_dict_update_does(client):
    # aip.AipFace builds {image, image_type}.update(options): the option wins.
    r = client.detect(b64("biden.jpg"), "NOT_A_TYPE", {"image_type": "BASE64"})
    assert r["error_code"] == 0


def test_options_must_be_a_dict(client):
    with pytest.raises(ValueError, match="options must be an object"):
        client.detect(b64("biden.jpg"), "BASE64", ["max_face_num", 2])


def test_clients_with_the_same_options_share_one_face_library(client):
    other = facekit.AipFace("x", "y", "z", threads=2)
    assert other._engine is not client._engine
    added = other.addUser(b64("biden.jpg"), "BASE64", "shared_lib", "joe")
    assert added["error_code"] == 0
    found = client.search(b64("biden.jpg"), "BASE64", "shared_lib")
    assert found["result"]["user_list"][0]["user_id"] == "joe"


def test_a_faceset_db_file_outlives_the_process_engine(tmp_path):
    db = tmp_path / "faces.db"
    first = facekit.AipFace(faceset_db=db, threads=2)
    r = first.addUser(b64("obama.jpg"), "BASE64", "g", "obama", {"user_info": "44th"})
    assert r["error_code"] == 0
    del first  # the last client of this configuration: the engine closes
    again = facekit.AipFace(faceset_db=str(db), threads=2)
    assert again.getUser("obama", "g")["result"]["user_list"][0]["user_info"] == "44th"


def test_transport_setters_are_accepted_no_ops(client):
    assert client.setConnectionTimeoutInMillis(5000) is None
    assert client.setSocketTimeoutInMillis(5000) is None
    assert client.setProxies({"https": "http://127.0.0.1:1"}) is None
    assert client.getVersion() == facekit.__version__


def test_post_takes_a_cloud_url_and_json(client):
    url = "https://aip.baidubce.com/rest/2.0/face/v3/detect"
    as_dict = client.post(url, {"image": b64("obama2.jpg"), "image_type": "BASE64"})
    as_text = client.post(url, json.dumps({"image": b64("obama2.jpg"), "image_type": "BASE64"}))
    assert as_dict["error_code"] == as_text["error_code"] == 0
    assert as_dict["result"]["face_list"][0]["face_token"] == as_text["result"]["face_list"][0]["face_token"]
    assert client.report({"x": 1})["error_code"] == 3


def test_unknown_engine_options_and_missing_models_raise_at_construction(tmp_path):
    with pytest.raises(TypeError):
        facekit.AipFace(threds=2)
    with pytest.raises(facekit.FacekitError) as e:
        facekit.AipFace(model_dir=tmp_path)
    assert e.value.code == 222302 and "retinaface" in str(e.value)


def test_methods_carry_the_sdk_signatures():
    sig = inspect.signature(facekit.AipFace.addUser)
    assert list(sig.parameters) == ["self", "image", "image_type", "group_id", "user_id", "options"]
    assert sig.parameters["options"].default is None
    assert list(inspect.signature(facekit.AipFace.match).parameters) == ["self", "images"]
    assert list(inspect.signature(facekit.AipFace.faceMingJingMatch).parameters)[2] == "imageType"
    assert facekit.AipFace.detect.__qualname__ == "AipFace.detect"


def test_the_stub_lists_the_class_as_it_is():
    from gen_stubs import render_aip_stub

    shipped = Path(facekit.__file__).with_name("aip.pyi").read_text(encoding="utf-8")
    assert shipped == render_aip_stub(), "aip.pyi is stale: run bindings/python/tests/gen_stubs.py"
    package = Path(facekit.__file__).parent
    assert (package / "py.typed").is_file() and (package / "_native.pyi").is_file()


def test_python_only_methods_answer_as_offline(client):
    assert client.facelivenessVerifyV1("dmlkZW8=", {"session_id": "S1"})["error_code"] == 6
