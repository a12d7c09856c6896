# Shared dict, disjoint keys (strong scaling): one dict pre-filled with 1024 int keys; SIZE
# read-modify-write updates `d[key] = d[key] + i` with key = i % 1024, where thread k does the
# updates whose key is k mod THREADS, so no two threads ever touch the same key (1024 is a
# multiple of every thread count the harness uses; other counts still give the same result,
# only the split differs).  Measures whether independent keys of one dict conflict.
#
# usage: mt_dict.py THREADS [UPDATES]
import benchlib

NKEYS = 1024

nthreads, nupdates = benchlib.args(8_000_000)
shared = {}
for key in range(NKEYS):
    shared[key] = 0


def work(k):
    d = shared
    for key in range(k, NKEYS, nthreads):
        for i in range(key, nupdates, NKEYS):
            d[key] = d[key] + i


benchlib.run_threads(nthreads, work)
checksum = 0
for key in range(NKEYS):
    checksum = (checksum * 31 + shared[key]) % 1000000007
benchlib.finish("mt_dict", sum(shared.values()), checksum)
