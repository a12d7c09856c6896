# Thread objects: names, ident, is_alive, join, and an exception in a thread.
import threading
def ok():
    pass
t = threading.Thread(target=ok, name="worker")
print(t.name, t.is_alive())
t.start(); t.join()
print(t.is_alive(), t.ident is not None, threading.main_thread().name, threading.current_thread() is threading.main_thread())
try:
    t.start()
except RuntimeError as e:
    print("RuntimeError:", e)
