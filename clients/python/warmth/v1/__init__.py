"""warmth.v1: the wire contract. warmth_pb2 is generated from
proto/warmth/v1/warmth.proto at build time (CMake, or setup.py for pip)."""
