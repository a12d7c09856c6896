import threading
ev = threading.Event()
ts = []
try:
    for i in range(100000):
        t = threading.Thread(target=ev.wait)
        t.start()
        ts.append(t)
except RuntimeError as e:
    print("RuntimeError:", e, "after", len(ts) > 10)
ev.set()
for t in ts:
    t.join()
print("joined", len(ts) > 10)
