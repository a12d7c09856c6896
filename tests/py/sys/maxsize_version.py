import sys
print(sys.maxsize == 2 ** 63 - 1, sys.version_info[0], sys.version_info >= (3,), type(sys.version_info[1]).__name__)
print(sys.byteorder in ("little", "big"), sys.platform.startswith("linux"))
