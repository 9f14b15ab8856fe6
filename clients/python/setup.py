"""Generates warmth/v1/warmth_pb2.py with protoc while building (pip install).

The .proto is proto/warmth/v1/warmth.proto of the repository this directory
is in, or $WARMTH_PROTO_DIR/warmth/v1/warmth.proto; protoc is $PROTOC or the
one on PATH (Debian: protobuf-compiler)."""

import os
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
PROTO = Path("warmth/v1/warmth.proto")


class BuildWithProto(build_py):
    def run(self):
        super().run()
        proto_dir = Path(os.environ.get("WARMTH_PROTO_DIR") or HERE.parent.parent / "proto")
        if not (proto_dir / PROTO).is_file():
            raise SystemExit(f"warmth: {proto_dir / PROTO} not found; set WARMTH_PROTO_DIR to "
                             "the repository's proto/ directory")
        protoc = shutil.which(os.environ.get("PROTOC") or "protoc")
        if not protoc:
            raise SystemExit("warmth: protoc not found, which generates warmth_pb2.py from "
                             f"{proto_dir / PROTO}: install protobuf-compiler, or set PROTOC")
        out = Path(self.build_lib)
        (out / "warmth" / "v1").mkdir(parents=True, exist_ok=True)
        subprocess.run([protoc, f"-I{proto_dir}", f"--python_out={out}", str(PROTO)], check=True)


setup(cmdclass={"build_py": BuildWithProto})
