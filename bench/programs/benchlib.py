"""benchlib — shared by the threaded benchmarks (mt_*.py): arguments, threads, checksum, stats.

Imported the same way on stmvm, CPython and PyPy (it sits next to the programs).  The checksum
line is the program's only stdout output; when BENCH_STATS is set in the environment, the
process-wide `transaction.stats()` is also written to stderr as one JSON line, so the harness
(bench/run) can record commits and aborts without changing what is compared between
implementations, together with this process's peak resident set size (VmHWM): the harness
cannot take that from wait4, because Linux carries the parent's high-water mark into a child
across fork and exec, so every child would appear at least as big as the harness.
"""
import os
import sys
import threading

import transaction


def args(default_size):
    """(threads, size) from argv[1] and argv[2]."""
    nthreads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    size = int(sys.argv[2]) if len(sys.argv) > 2 else default_size
    if nthreads < 1 or size < 1:
        raise SystemExit("usage: %s THREADS [SIZE]  (both >= 1)" % sys.argv[0])
    return nthreads, size


def chunk(total, nthreads, k):
    """The k-th of nthreads contiguous, nearly equal parts of range(total)."""
    return range(total * k // nthreads, total * (k + 1) // nthreads)


def run_threads(nthreads, target, make_args=None):
    """Run target(k) (or target(*make_args(k))) on nthreads new threads; wait for them all.

    The work always runs on started threads, even for one thread, so that 1 thread and N
    threads differ only in parallelism (the main thread merely waits)."""
    threads = []
    for k in range(nthreads):
        a = make_args(k) if make_args is not None else (k,)
        threads.append(threading.Thread(target=target, args=a))
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def skip(name, reason):
    """Tell the harness this implementation cannot run the program (exit status 0)."""
    print("%s skipped: %s" % (name, reason))
    sys.exit(0)


def finish(name, *values):
    """Print the checksum line `NAME checksum V1 V2 ...`, then the STM statistics if asked."""
    print("%s checksum %s" % (name, " ".join(str(v) for v in values)))
    if os.environ.get("BENCH_STATS"):
        g = transaction.stats()["global"]
        items = ['"%s": %d' % (k, g[k]) for k in sorted(g)]
        print("STMSTATS {" + ", ".join(items) + "}", file=sys.stderr)
        try:
            with open("/proc/self/status") as f:
                for line in f.read().splitlines():
                    if line.startswith("VmHWM:"):
                        print("PEAKRSS " + line.split()[1], file=sys.stderr)   # kB
        except OSError:
            pass        # not Linux: the harness falls back to wait4's figure
