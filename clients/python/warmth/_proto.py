"""The generated module, with a clear message when the build did not make it."""

try:
    from .v1 import warmth_pb2 as pb
except ImportError as e:  # pragma: no cover - a broken install
    raise ImportError(
        "warmth.v1.warmth_pb2 is missing: it is generated from proto/warmth/v1/warmth.proto "
        "when the package is built (cmake --build, or pip install ./clients/python)") from e

__all__ = ["pb"]
