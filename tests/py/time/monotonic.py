import time
a = time.monotonic()
b = time.monotonic()
print(b >= a, type(a).__name__)
t0 = time.perf_counter()
time.sleep(0.01)
t1 = time.perf_counter()
print(t1 - t0 >= 0.009, t1 - t0 < 5)
