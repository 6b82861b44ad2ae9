"""``AipFace``: the class of Baidu's ``aip`` package (PyPI ``baidu-aip``), answered on this machine.

Change ``from aip import AipFace`` to ``from facekit import AipFace`` and nothing else: every method of
``aip.AipFace`` exists with the same name, positional parameters and ``options=None``, and returns the dict
the cloud returns, errors included (``{"error_code": 222202, "error_msg": "pic not has face", ...}``).

The methods come from the table every facekit binding shares (``bindings/sdk/methods.json``), so the Python
and Node classes cannot drift apart; ``aip.pyi`` lists them for type checkers and IDEs.
"""

import inspect
import json
from typing import Any, Callable, Dict, List, Optional
from urllib.parse import urlsplit

from . import _native, _runtime

Response = Dict[str, Any]


class AipFace:
    """A face client. Credentials are accepted and ignored (nothing leaves the machine); keyword options
    choose the engine: ``model_dir``, ``ort_library``, ``faceset_db`` (SQLite file of the face library;
    default: in memory, for the life of the process), ``threads``, ``flip_embedding``.

    Clients opened with the same options share one engine and one face library, as a cloud app's clients
    share its library.
    """

    def __init__(
        self,
        appId: str = "",
        apiKey: str = "",
        secretKey: str = "",
        **engine_options: Any,
    ) -> None:
        self._engine = _runtime.open_engine(**engine_options)

    def getVersion(self) -> str:
        """The facekit version (the cloud SDK returns its own)."""
        return _native.__version__

    def setConnectionTimeoutInMillis(self, ms: int) -> None:
        """Accepted for compatibility; there is no connection."""

    def setSocketTimeoutInMillis(self, ms: int) -> None:
        """Accepted for compatibility; there is no socket."""

    def setProxies(self, proxies: Dict[str, str]) -> None:
        """Accepted for compatibility; there is no network."""

    def post(self, url: str, data: Any, headers: Optional[Dict[str, str]] = None) -> Response:
        """A raw call by URL (``https://aip.baidubce.com/rest/2.0/face/v3/detect``) with a JSON request
        (text, dict or list), as ``AipBase.post``."""
        body = data if isinstance(data, str) else data.decode() if isinstance(data, bytes) else json.dumps(data)
        return json.loads(self._engine.call(urlsplit(url).path, body))

    def report(self, feedback: Any) -> Response:
        """``AipBase.report``: the feedback service is online-only, so the answer says the method is unsupported."""
        return self.post("/rpc/2.0/feedback/v1/report", {"feedback": json.dumps(feedback)})


Options = Optional[Dict[str, Any]]
#: ``match`` and ``faceverify`` take a list of per-image requests; every other argument is a string.
_ARGUMENT_TYPES = {"images": List[Dict[str, Any]]}


def _sdk_method(name: str, params: List[str], takes_options: bool) -> Callable[..., Response]:
    """The method ``name`` with the SDK's exact signature, sending its arguments through the shared table."""
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    parameters = [inspect.Parameter("self", kind)]
    parameters += [inspect.Parameter(p, kind, annotation=_ARGUMENT_TYPES.get(p, str)) for p in params]
    if takes_options:
        parameters.append(inspect.Parameter("options", kind, default=None, annotation=Options))
    signature = inspect.Signature(parameters, return_annotation=Response)

    def method(self: AipFace, *args: Any, **kwargs: Any) -> Response:
        bound = signature.bind(self, *args, **kwargs)
        values = [bound.arguments[p] for p in params]
        options = bound.arguments.get("options")
        options_json = None if options is None else json.dumps(options)
        return json.loads(self._engine.sdk_call(name, json.dumps(values), options_json))

    method.__name__ = name
    method.__qualname__ = f"AipFace.{name}"
    method.__signature__ = signature  # type: ignore[attr-defined]
    method.__doc__ = f"``aip.AipFace.{name}``; returns the cloud's response dict."
    return method


def _install_sdk_methods() -> None:
    for m in json.loads(_native.sdk_methods()):
        setattr(AipFace, m["name"], _sdk_method(m["name"], m["params"], m["options"]))


_install_sdk_methods()
