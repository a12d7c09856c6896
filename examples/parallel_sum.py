# parallel_sum.py THREADS — the same sum split over THREADS threads; prints the time taken.
# Under stmvm the threads run at once (no GIL); under CPython more threads take longer.
import sys
import threading
import time

n = int(sys.argv[1]) if len(sys.argv) > 1 else 2
TOTAL = 12_000_000
out = [0] * n


def work(k):
    s = 0
    for i in range(k, TOTAL, n):
        s += i
    out[k] = s


t0 = time.perf_counter()
threads = [threading.Thread(target=work, args=(k,)) for k in range(n)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"{n} thread(s): sum={sum(out)} in {time.perf_counter() - t0:.2f} s")
