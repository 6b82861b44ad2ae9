"""The one exception of facekit's Python API (``AipFace`` returns errors as dicts, as the cloud SDK does)."""

from typing import Optional


class FacekitError(RuntimeError):
    """A failure with the Baidu error code and message it has in the JSON API (``222202 pic not has face``)."""

    def __init__(self, code: int, message: str, detail: Optional[str] = None) -> None:
        text = f"{code} {message}" + (f" ({detail})" if detail else "")
        super().__init__(text)
        self.code = code
        self.message = message
        self.detail = detail
