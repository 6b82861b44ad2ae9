"""Attendance: enrol everyone in a folder (one photo each, named after the person), then say who is in a photo.

    python attendance.py staff_photos/ door_camera.jpg

Written for Baidu's cloud SDK; the only change for facekit is the import line.
"""
import base64
import sys
from pathlib import Path

from facekit import AipFace  # was: from aip import AipFace

client = AipFace("APP_ID", "API_KEY", "SECRET_KEY")
photo = lambda path: base64.b64encode(Path(path).read_bytes()).decode()

folder, snapshot = Path(sys.argv[1]), sys.argv[2]
for f in sorted(p for p in folder.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".png")):
    r = client.addUser(photo(f), "BASE64", "staff", f.stem, {"user_info": f.stem.title()})
    print(f"enrolled {f.stem}" if r["error_code"] == 0 else f"skipped {f.name}: {r['error_msg']}")

r = client.search(photo(snapshot), "BASE64", "staff", {"max_user_num": 1, "match_threshold": 80})
if r["error_code"] == 0 and r["result"]["user_list"]:
    best = r["result"]["user_list"][0]
    print(f"present: {best['user_info']} (score {best['score']:.1f})")
else:
    print(f"not recognised: {r['error_msg']}")
