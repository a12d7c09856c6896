# Parallel sum (strong scaling): the sum of i*i % 7 + i over range(SIZE), split into THREADS
# contiguous chunks, one per thread; each thread keeps its partial sum in a local and stores it
# once at the end.  No shared writes inside the loop, so any slowdown is the VM's own.
#
# usage: mt_sum.py THREADS [SIZE]
import benchlib

nthreads, size = benchlib.args(20_000_000)
partial = [0] * nthreads


def work(k):
    s = 0
    for i in benchlib.chunk(size, nthreads, k):
        s += i * i % 7 + i
    partial[k] = s


benchlib.run_threads(nthreads, work)
benchlib.finish("mt_sum", sum(partial))
