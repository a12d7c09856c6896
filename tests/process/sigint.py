import time
print("start", flush=True)
try:
    n = 0
    while True:
        n += 1
except KeyboardInterrupt:
    print("caught KeyboardInterrupt in a loop")
try:
    time.sleep(30)
except KeyboardInterrupt:
    print("caught KeyboardInterrupt in sleep")
import threading
ev = threading.Event()
threading.Thread(target=ev.wait, daemon=True).start()
ev.wait()
