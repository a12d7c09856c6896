# Producer/consumer over a Condition: every item is consumed exactly once, in order.
import threading
buf = []
cond = threading.Condition()
done = []
def producer():
    for i in range(200):
        with cond:
            buf.append(i)
            cond.notify()
    with cond:
        buf.append(None)
        cond.notify()
def consumer():
    while True:
        with cond:
            while not buf:
                cond.wait()
            item = buf.pop(0)
        if item is None:
            break
        done.append(item)
c = threading.Thread(target=consumer)
p = threading.Thread(target=producer)
c.start(); p.start()
p.join(); c.join()
print(len(done), done == list(range(200)))
