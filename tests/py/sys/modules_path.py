import sys
print("sys" in sys.modules, type(sys.path).__name__, isinstance(sys.path[0], str))
