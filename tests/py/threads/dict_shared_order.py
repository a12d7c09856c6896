# A dict made by the main thread and filled by 3 threads taking turns (the global order of the
# inserts is forced): list(d) is CPython's insertion order, deletes and re-inserts included.
import threading

d = {"first": 0}
s = {-1}
cond = threading.Condition()
turn = [0]
N = 3
TURNS = 30

def work(i):
    for n in range(TURNS):
        with cond:
            while turn[0] % N != i:
                cond.wait()
            t = turn[0]
            d[(i, n)] = t               # two inserts per turn, in one transaction or not
            d["k%d" % t] = i
            s.add(t)
            if t % 4 == 1:
                del d["first" if t == 1 else "k%d" % (t - 3)]
                s.discard(t - 1)
            if t % 5 == 2:
                d[(i, n)] = -t          # update: keeps its place
            if t % 7 == 3 and (i, n - 1) in d:
                v = d.pop((i, n - 1))
                d[(i, n - 1)] = v       # re-insert: moves to the end
            turn[0] = t + 1
            cond.notify_all()

def main():
    ts = [threading.Thread(target=work, args=(i,)) for i in range(N)]
    for t in ts: t.start()
    for t in ts: t.join()
    print(list(d)[:12])
    print(list(d)[-12:])
    print(len(d), list(d.values())[:10])
    print(list(reversed(d))[:6])
    print(d.popitem(), d.popitem(), len(d))
    print(len(s), sorted(s)[:8], sum(s))
    e = dict(d)
    print(list(e) == list(d), e == d)

main()
