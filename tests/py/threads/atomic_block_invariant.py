# An atomic block moving value between two cells: an observer thread never sees a broken total.
import threading
import transaction
cells = [500, 500]
broken = []
stop = []
def mover():
    for i in range(2000):
        with transaction.atomic:
            amount = (i * 7) % 50
            cells[0] -= amount
            cells[1] += amount
    stop.append(1)
def observer():
    while not stop:
        with transaction.atomic:
            total = cells[0] + cells[1]
        if total != 1000:
            broken.append(total)
ts = [threading.Thread(target=mover), threading.Thread(target=observer)]
for t in ts: t.start()
for t in ts: t.join()
print(cells[0] + cells[1], broken)
