"""The unmodified official Python SDK (`baidu-aip` from PyPI) against `facekit serve`.

Only the SDK's URLs are changed (name-mangled attributes, the recipe of the spec's official-sdk-packages.md
§1.4); every call below is the SDK's own code path: token fetch, query parameters, JSON encoding.
"""
import base64
import os
import sys

from aip import AipFace

REAL = "https://aip.baidubce.com"
BASE = os.environ["FACEKIT_URL"]
TESTDATA = os.path.join(os.path.dirname(__file__), "..", "..", "testdata")


class LocalAipFace(AipFace):
    def __init__(self, app_id, api_key, secret_key):
        super().__init__(app_id, api_key, secret_key)
        for cls in type(self).__mro__:
            for name, val in vars(cls).items():
                if isinstance(val, str) and val.startswith(REAL + "/"):
                    setattr(self, name, BASE + val[len(REAL):])


def b64(name):
    with open(os.path.join(TESTDATA, name), "rb") as f:
        return base64.b64encode(f.read()).decode()


def ok(resp, what):
    assert isinstance(resp, dict), f"{what}: {resp!r}"
    assert resp.get("error_code") == 0, f"{what}: {resp}"
    return resp["result"]


client = LocalAipFace("app", "key", "secret")
res = ok(client.detect(b64("obama.jpg"), "BASE64", {"face_field": "landmark", "max_face_num": 2}), "detect")
assert res["face_num"] == 1 and len(res["face_list"][0]["landmark"]) == 4, res
res = ok(client.match([{"image": b64("obama.jpg"), "image_type": "BASE64"},
                       {"image": b64("obama2.jpg"), "image_type": "BASE64"}]), "match")
assert res["score"] >= 80, res
res = ok(client.match([{"image": b64("obama.jpg"), "image_type": "BASE64"},
                       {"image": b64("biden.jpg"), "image_type": "BASE64"}]), "match impostor")
assert res["score"] < 80, res

group = "sdk_py"
client.groupDelete(group)
ok(client.groupAdd(group), "groupAdd")
ok(client.addUser(b64("obama.jpg"), "BASE64", group, "obama", {"user_info": "张三"}), "addUser")
ok(client.addUser(b64("biden.jpg"), "BASE64", group, "biden"), "addUser")
res = ok(client.search(b64("obama2.jpg"), "BASE64", group, {"max_user_num": 2}), "search")
top = res["user_list"][0]
assert top["user_id"] == "obama" and top["user_info"] == "张三" and top["score"] >= 80, res
res = ok(client.getUser("obama", group), "getUser")
assert res["user_list"][0]["group_id"] == group
assert ok(client.getGroupList(), "getGroupList")["group_id_list"].count(group) == 1
bad = client.groupAdd(group)
assert bad["error_code"] == 223101, bad
ok(client.groupDelete(group), "groupDelete")
print("official Python SDK against facekit serve: OK")
sys.exit(0)
