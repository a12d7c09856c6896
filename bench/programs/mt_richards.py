# Multithreaded Richards (strong scaling): SIZE runs of the Richards scheduler simulation
# (richards.py, next to this file), split into contiguous chunks over THREADS threads; each run
# builds its own Scheduler and tasks, so threads share only the (read-only) code and constants.
#
# usage: mt_richards.py THREADS [RUNS]
import benchlib
import richards

nthreads, runs = benchlib.args(8)
results = [0] * nthreads


def work(k):
    total = 0
    for i in benchlib.chunk(runs, nthreads, k):
        holds, qpkts = richards.run_once()
        total += holds * 3 + qpkts + i
    results[k] = total


benchlib.run_threads(nthreads, work)
benchlib.finish("mt_richards", sum(results), runs)
