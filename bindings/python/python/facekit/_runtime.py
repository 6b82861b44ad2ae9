"""Where the engine finds its parts when the caller names none: the models shipped in this package and the
ONNX Runtime library of the ``onnxruntime`` wheel this package depends on."""

import importlib.util
import json
import os
from pathlib import Path
from typing import Any, Dict, Optional, Union

from . import _native

PathLike = Union[str, "os.PathLike[str]"]

_PACKAGE_DIR = Path(__file__).resolve().parent
_DETECTOR_FILE = "retinaface_mnet025.onnx"
# Library file names of ONNX Runtime inside the onnxruntime wheel, per platform.
_ORT_PATTERNS = ("libonnxruntime.so*", "libonnxruntime*.dylib", "onnxruntime.dll")


def packaged_model_dir() -> Optional[Path]:
    """The models shipped in the wheel (``facekit/models``), if this install has them."""
    d = _PACKAGE_DIR / "models"
    return d if (d / _DETECTOR_FILE).is_file() else None


def onnxruntime_library() -> Optional[Path]:
    """The shared library inside the installed ``onnxruntime`` package, found without importing it."""
    spec = importlib.util.find_spec("onnxruntime")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        capi = Path(location) / "capi"
        for pattern in _ORT_PATTERNS:
            found = sorted(p for p in capi.glob(pattern) if p.is_file())
            if found:
                return found[-1]
    return None


def engine_config(
    model_dir: Optional[PathLike] = None,
    ort_library: Optional[PathLike] = None,
    faceset_db: Optional[PathLike] = None,
    threads: Optional[int] = None,
    flip_embedding: Optional[bool] = None,
) -> str:
    """The engine configuration as JSON. Explicit arguments win, then ``FACEKIT_MODELS`` / ``ORT_DYLIB_PATH``,
    then this package's models and the onnxruntime wheel's library, then the core's own search."""
    if model_dir is None and not os.environ.get("FACEKIT_MODELS"):
        model_dir = packaged_model_dir()
    if ort_library is None and not os.environ.get("ORT_DYLIB_PATH"):
        ort_library = onnxruntime_library()
    config: Dict[str, Any] = {
        "model_dir": model_dir,
        "ort_library": ort_library,
        "faceset_db": faceset_db,
        "threads": threads,
        "flip_embedding": flip_embedding,
    }
    return json.dumps({k: os.fspath(v) if isinstance(v, os.PathLike) else v for k, v in config.items() if v is not None})


def open_engine(**options: Any) -> "_native.Engine":
    """The process's engine for these options (shared by every client opened with the same ones)."""
    return _native.Engine(engine_config(**options))
