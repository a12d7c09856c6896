# Lock.acquire: blocking's __bool__ runs Python code that allocates; timeout (a fresh float) must
# still be valid afterwards.
import threading

class B(int):
    def __bool__(self):
        junk = [str(i) * 3 for i in range(60)]
        return len(junk) > 0

x = 0.25
for n in range(3):
    l = threading.Lock()
    print(l.acquire(blocking=B(1), timeout=x * 2))
    print(l.locked())
    l.release()
