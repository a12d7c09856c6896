# 4 threads mutate one shared dict, set and instance; invariants hold at the end.
import threading
d = {}
s = set()
class Stats:
    def __init__(self):
        self.hits = 0
st = Stats()
lock = threading.Lock()
def work(k):
    for i in range(500):
        d[(k, i)] = i * k
        s.add(k * 1000 + i)
        with lock:
            st.hits += 1
ts = [threading.Thread(target=work, args=(k,)) for k in range(4)]
for t in ts: t.start()
for t in ts: t.join()
print(len(d), len(s), st.hits, sum(d.values()), d[(3, 499)])
