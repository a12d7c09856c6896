# 64 threads, each computing its own result; results gathered by thread index.
import threading
results = [None] * 64
def work(k):
    results[k] = sum(i * k for i in range(200))
ts = [threading.Thread(target=work, args=(k,)) for k in range(64)]
for t in ts: t.start()
for t in ts: t.join()
print(len(results), sum(results), results[:4])
