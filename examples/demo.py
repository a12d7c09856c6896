# demo.py — the Mandelbrot set computed by 1 thread, then by one thread per core: stmvm runs the
# threads at once (no GIL), so the second run is faster; the STM statistics show what it cost.
# The same file runs on CPython (with lib/transaction.py on its path), where threads take turns.
import os
import sys
import threading
import time
import transaction

W, H, ITER = 120, 48, 3000
SHADES = " .:-=+*#%"


def row(y):
    ci = (y - H / 2) * 2.4 / H
    out = []
    for x in range(W):
        cr = (x - W * 0.65) * 3.0 / W
        zr = zi = 0.0
        n = 0
        while n < ITER and zr * zr + zi * zi <= 4.0:
            zr, zi = zr * zr - zi * zi + cr, 2 * zr * zi + ci
            n += 1
        out.append(n)
    return out


def render(nthreads):
    parts = [None] * nthreads

    def work(k):
        # rows dealt round-robin; each thread fills its own list (threads writing one shared
        # list would conflict on it) and stores it once at the end
        mine = [(y, row(y)) for y in range(k, H, nthreads)]
        parts[k] = mine

    t0 = time.perf_counter()
    ts = [threading.Thread(target=work, args=(k,)) for k in range(nthreads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    rows = [r for y, r in sorted(p for part in parts for p in part)]
    return rows, time.perf_counter() - t0


def stats():
    g = transaction.stats()["global"]
    return g["commits"], g["aborts"]


cores = max(2, os.cpu_count() or 2)
c0, a0 = stats()
image, t1 = render(1)
c1, a1 = stats()
image2, tn = render(cores)
c2, a2 = stats()
assert image == image2, "the threaded image differs"
for r in image[::3]:
    print("".join("@" if n == ITER else SHADES[min(len(SHADES) - 1, n // 3)] for n in r))
print(f"{sys.implementation.name}: 1 thread {t1:.2f} s, {cores} threads {tn:.2f} s, "
      f"speed-up {t1 / tn:.2f}x")
print(f"transactions: 1 thread {c1 - c0} commits, {a1 - a0} aborts; "
      f"{cores} threads {c2 - c1} commits, {a2 - a1} aborts")
