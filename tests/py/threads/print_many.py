# Output from many threads: every line whole, each thread's lines in order, none lost or
# repeated (run under forced aborts by the --stress runs).  Threads print in turns (the output is
# deterministic), and all write to one file (under a lock: CPython's text files are not
# thread-safe), checked afterwards.
import os
import threading

N, LINES = 6, 150
turn = [0]
cond = threading.Condition()


def in_turns(i):
    for j in range(3):
        with cond:
            while turn[0] % N != i:
                cond.wait()
            print("turn", turn[0], "thread", i, "round", j)
            turn[0] += 1
            cond.notify_all()


ts = [threading.Thread(target=in_turns, args=(i,)) for i in range(N)]
for t in ts:
    t.start()
for t in ts:
    t.join()

path = "print_many.tmp"
f = open(path, "w")


flock = threading.Lock()


def writer(i):
    for j in range(LINES):
        with flock:
            f.write("writer %d line %d %s\n" % (i, j, "x" * (j % 37)))
            print("writer %d line %d" % (i, j), file=f)


ts = [threading.Thread(target=writer, args=(i,)) for i in range(N)]
for t in ts:
    t.start()
for t in ts:
    t.join()
f.close()
with open(path) as g:
    lines = g.read().split("\n")
os.remove(path)
assert lines[-1] == ""
lines = lines[:-1]
print("lines:", len(lines), "expected:", 2 * N * LINES)
seen = {}
bad = 0
for line in lines:
    parts = line.split(" ")
    i, j = int(parts[1]), int(parts[3])
    if parts[0] != "writer" or parts[2] != "line":
        bad += 1
    if len(parts) == 5 and parts[4] != "x" * (j % 37):
        bad += 1
    seen.setdefault(i, []).append(j)
print("malformed:", bad)
print("in order per thread:", all(seen[i] == sorted(seen[i]) and len(seen[i]) == 2 * LINES for i in range(N)))
