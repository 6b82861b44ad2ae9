"""The idiomatic Python API: numpy pixels in, dataclasses and numpy feature vectors out, exceptions on error.

    engine = facekit.Engine()
    faces = engine.detect(frame)                     # frame: H×W×3 uint8 RGB (pixel_format="BGR" for OpenCV)
    a, b = (engine.extract(img)[0].feature for img in (img1, img2))
    facekit.compare(a, b)                            # 0–100; 80 ≈ false-accept rate 1e-4

Batch calls (``detect_batch``, ``extract_batch``) run with the GIL released, so other Python threads keep
going. ``add_user`` and ``search`` use the face library with typed results; ``Engine.call`` speaks the Baidu
JSON API directly (``AipFace`` is built on the same engine, and both see one library).
"""

import json
import os
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np

from . import _native, _runtime
from ._errors import FacekitError

#: An image: an H×W×3 (or ×4, or H×W gray) uint8 array, an object numpy can read as one (PIL images),
#: the bytes of an encoded file (JPEG, PNG, BMP, GIF, WebP, TIFF), or a file path.
ImageLike = Union[np.ndarray, bytes, bytearray, memoryview, str, "os.PathLike[str]", Any]

_FEATURE_DTYPE = np.dtype("<f4")
#: search's answer when no user reaches match_threshold.
_MATCH_USER_NOT_FOUND = 222207


@dataclass(frozen=True, eq=False)
class Face:
    """A detected face, in pixels of the image it came from."""

    left: float
    top: float
    width: float
    height: float
    #: Detector confidence, 0–1.
    score: float
    #: 5×2 float32: left eye, right eye (as seen in the image), nose tip, left and right mouth corners.
    landmarks: np.ndarray
    yaw_deg: float
    pitch_deg: float
    roll_deg: float
    #: Usable for an hour as ``image_type="FACE_TOKEN"`` in the API (``Engine.call``, ``AipFace``).
    face_token: str

    @classmethod
    def _from_native(cls, t: Tuple[Any, ...]) -> "Face":
        left, top, width, height, score, landmarks, (yaw, pitch, roll), token = t
        return cls(left, top, width, height, score, np.asarray(landmarks, dtype=np.float32), yaw, pitch, roll, token)


@dataclass(frozen=True)
class UserMatch:
    """A user of the face library that a search found."""

    group_id: str
    user_id: str
    user_info: str
    #: 0–100; 80 ≈ false-accept rate 1e-4.
    score: float


@dataclass(frozen=True, eq=False)
class FaceFeature:
    """A face and its feature vector (128 float32, compare with :func:`compare`)."""

    face: Face
    feature: np.ndarray


def compare(a: np.ndarray, b: np.ndarray) -> float:
    """The 0–100 similarity of two feature vectors, the API's ``score`` (80 ≈ false-accept rate 1e-4)."""
    return _native.compare(_feature_bytes(a), _feature_bytes(b))


def _feature_bytes(v: Any) -> bytes:
    return np.ascontiguousarray(v, dtype=_FEATURE_DTYPE).tobytes()


def _image_arg(image: ImageLike, pixel_format: str) -> Union[Tuple[bytes, int, int], bytes, str]:
    """What the native engine takes: RGB pixels ``(bytes, width, height)``, encoded bytes, or a path."""
    if isinstance(image, (bytes, bytearray, memoryview)):
        return bytes(image)
    if isinstance(image, (str, os.PathLike)):
        return os.fspath(image)
    pixels = np.asarray(image)
    if pixels.dtype != np.uint8:
        raise TypeError(f"pixels must be uint8, not {pixels.dtype}")
    if pixels.ndim == 2:
        pixels = np.repeat(pixels[:, :, None], 3, axis=2)
    elif pixels.ndim == 3 and pixels.shape[2] in (3, 4):
        pixels = pixels[:, :, :3]
    else:
        raise ValueError(f"pixels must be H×W, H×W×3 or H×W×4, not {pixels.shape}")
    if pixel_format.upper() == "BGR":
        pixels = pixels[:, :, ::-1]
    elif pixel_format.upper() != "RGB":
        raise ValueError(f'pixel_format is "RGB" or "BGR", not {pixel_format!r}')
    height, width = pixels.shape[:2]
    return np.ascontiguousarray(pixels).tobytes(), width, height


class Engine:
    """The face engine: models loaded once, shared by threads. Engines (and ``AipFace`` clients) opened with
    the same options in one process are one engine with one face library."""

    def __init__(
        self,
        *,
        model_dir: Optional[Union[str, "os.PathLike[str]"]] = None,
        ort_library: Optional[Union[str, "os.PathLike[str]"]] = None,
        faceset_db: Optional[Union[str, "os.PathLike[str]"]] = None,
        threads: Optional[int] = None,
        flip_embedding: Optional[bool] = None,
    ) -> None:
        self._native = _runtime.open_engine(
            model_dir=model_dir,
            ort_library=ort_library,
            faceset_db=faceset_db,
            threads=threads,
            flip_embedding=flip_embedding,
        )

    @property
    def model_dir(self) -> str:
        return os.fspath(self._native.model_dir)

    @property
    def threads(self) -> int:
        """Threads each model run uses."""
        return self._native.threads

    def detect(self, image: ImageLike, max_faces: Optional[int] = None, pixel_format: str = "RGB") -> List[Face]:
        """Faces in the image, largest first."""
        return self.detect_batch([image], max_faces, pixel_format)[0]

    def detect_batch(
        self, images: Sequence[ImageLike], max_faces: Optional[int] = None, pixel_format: str = "RGB"
    ) -> List[List[Face]]:
        """Faces of each image (GIL released for the whole batch)."""
        args = [_image_arg(i, pixel_format) for i in images]
        per_image = self._native.detect(args, max_faces)
        return [[Face._from_native(f) for f in faces] for faces in per_image]

    def extract(self, image: ImageLike, max_faces: Optional[int] = 1, pixel_format: str = "RGB") -> List[FaceFeature]:
        """Faces with feature vectors, largest first (by default only the largest face)."""
        return self.extract_batch([image], max_faces, pixel_format)[0]

    def extract_batch(
        self, images: Sequence[ImageLike], max_faces: Optional[int] = 1, pixel_format: str = "RGB"
    ) -> List[List[FaceFeature]]:
        """:meth:`extract` on each image (GIL released for the whole batch)."""
        args = [_image_arg(i, pixel_format) for i in images]
        per_image = self._native.extract(args, max_faces)
        return [
            [FaceFeature(Face._from_native(f), np.frombuffer(b, dtype=_FEATURE_DTYPE)) for f, b in faces]
            for faces in per_image
        ]

    def add_user(
        self,
        image: ImageLike,
        group_id: str,
        user_id: str,
        user_info: Optional[str] = None,
        pixel_format: str = "RGB",
    ) -> str:
        """Enrols the image's largest face as ``user_id`` in ``group_id`` (created if new); returns its
        face_token. Raises :class:`FacekitError` as the API answers (``222202`` no face, ``223105`` …)."""
        request: Dict[str, Any] = {"group_id": group_id, "user_id": user_id}
        if user_info is not None:
            request["user_info"] = user_info
        return str(self._face_api("faceset/user/add", image, pixel_format, request)["face_token"])

    def search(
        self,
        image: ImageLike,
        group_ids: Union[str, Sequence[str]],
        max_users: int = 1,
        match_threshold: Optional[float] = None,
        pixel_format: str = "RGB",
    ) -> List[UserMatch]:
        """The users most like the image's largest face, best first (empty when nobody reaches
        ``match_threshold``)."""
        groups = group_ids if isinstance(group_ids, str) else ",".join(group_ids)
        request: Dict[str, Any] = {"group_id_list": groups, "max_user_num": max_users}
        if match_threshold is not None:
            request["match_threshold"] = match_threshold
        try:
            result = self._face_api("search", image, pixel_format, request)
        except FacekitError as e:
            if e.code == _MATCH_USER_NOT_FOUND:
                return []
            raise
        return [UserMatch(**u) for u in result["user_list"]]

    def _face_api(self, method: str, image: ImageLike, pixel_format: str, request: Dict[str, Any]) -> Any:
        """An API method on the image's largest face (sent as its face_token); the result, or the error raised."""
        (token,) = self._native.largest_face_tokens([_image_arg(image, pixel_format)])
        response = self.call(method, {"image": token, "image_type": "FACE_TOKEN", **request})
        if response["error_code"] != 0:
            raise FacekitError(response["error_code"], response["error_msg"])
        return response["result"]

    def call(self, method: str, request: Union[Dict[str, Any], List[Any]]) -> Dict[str, Any]:
        """A Baidu V3 API method (``"detect"``, ``"match"``, ``"faceset/user/add"``, …) on a request; the
        cloud's whole response (``error_code``, ``error_msg``, ``log_id``, ``timestamp``, ``cached``, ``result``)."""
        return json.loads(self._native.call(method, json.dumps(request)))
