#!/usr/bin/env python3
"""Writes a .npy file without numpy: mknpy.py OUT DESCR SHAPE [VALUE]
DESCR is a numpy descr ('<f4', '<f8', '|u1', ...), SHAPE is comma-separated
dims ('' for a scalar); every element is VALUE (default 1)."""
import struct
import sys

out, descr, shape = sys.argv[1], sys.argv[2], sys.argv[3]
value = float(sys.argv[4]) if len(sys.argv) > 4 else 1.0
dims = [int(x) for x in shape.split(",") if x]
count = 1
for d in dims:
    count *= d
fmt = {"<f4": "f", "<f8": "d", "<i4": "i", "<i8": "q", "|u1": "B", "|i1": "b", "|b1": "?"}[descr]
cast = float if fmt in "fd" else (bool if fmt == "?" else int)
tup = "(" + "".join("%d, " % d for d in dims).rstrip(" ") + ")" if dims else "()"
header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, tup)
pad = 64 - (10 + len(header) + 1) % 64
header = header + " " * (pad % 64) + "\n"
with open(out, "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
    f.write(struct.pack("<%d%s" % (count, fmt), *([cast(value)] * count)))
