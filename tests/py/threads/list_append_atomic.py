# list.append is atomic (as under a GIL): 4 threads append without a lock, nothing is lost.
import threading
shared = []
def work(base):
    for i in range(2000):
        shared.append(base + i)
ts = [threading.Thread(target=work, args=(k * 10000,)) for k in range(4)]
for t in ts: t.start()
for t in ts: t.join()
print(len(shared), sorted(shared) == sorted(k * 10000 + i for k in range(4) for i in range(2000)))
