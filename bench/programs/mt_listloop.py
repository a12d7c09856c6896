# List append/pop loop (weak scaling): every thread runs the full loop of SIZE iterations of
# `lst.append(lst.pop())` (plus a counter) on its own list, so N threads do N times the work of
# one; on an ideal machine the time stays the same (T(N) / T(1) = 1).
#
# usage: mt_listloop.py THREADS [SIZE]
import benchlib

nthreads, size = benchlib.args(8_000_000)
results = [0] * nthreads


def work(k):
    lst = list(range(k, k + 10))
    acc = 0
    for i in range(size):
        x = lst.pop()
        lst.append(x)
        acc += x
    results[k] = acc + sum(lst)


benchlib.run_threads(nthreads, work)
benchlib.finish("mt_listloop", sum(results))
