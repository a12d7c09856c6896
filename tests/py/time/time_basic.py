import time
t = time.time()
print(t > 1.6e9, type(t).__name__)
ns = time.monotonic_ns()
print(type(ns).__name__, time.monotonic_ns() >= ns)
