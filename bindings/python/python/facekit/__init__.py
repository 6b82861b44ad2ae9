"""facekit: offline face detection, comparison, search and a face library, with the Baidu AI Cloud face API.

Two ways in:

* ``AipFace`` — the class of Baidu's ``aip`` package, same methods, arguments and result dicts; switch an
  app with ``from facekit import AipFace``.
* ``Engine`` — numpy arrays in, dataclasses out (``detect``, ``extract``, ``compare``, batch calls that
  release the GIL), ``add_user`` / ``search`` on the face library, and ``Engine.call`` for any API method.
"""

from ._errors import FacekitError
from ._native import __version__, loaded_ort_library
from .aip import AipFace
from .engine import Engine, Face, FaceFeature, ImageLike, UserMatch, compare

__all__ = [
    "AipFace",
    "Engine",
    "Face",
    "FaceFeature",
    "FacekitError",
    "ImageLike",
    "UserMatch",
    "compare",
    "loaded_ort_library",
    "__version__",
]
