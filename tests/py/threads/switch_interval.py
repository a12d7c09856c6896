# sys.setswitchinterval sets how long transactions run between commits (stmvm) or how often
# threads switch (CPython); either way results stay those of some serial execution.
import sys
import threading

print(sys.getswitchinterval())
sys.setswitchinterval(0.00001)
print(sys.getswitchinterval())
try:
    sys.setswitchinterval(0)
except ValueError as e:
    print("ValueError:", e)

lock = threading.Lock()
totals = {"locked": 0}
shared = []


def work(k):
    for i in range(2000):
        with lock:
            totals["locked"] += 1
        shared.append(k)


ts = [threading.Thread(target=work, args=(k,)) for k in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(totals, len(shared), sorted(set(shared)), [shared.count(k) for k in range(4)])
sys.setswitchinterval(0.005)
