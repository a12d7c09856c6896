# Transfers between accounts under a lock while an auditor checks the total: it never changes.
import threading
accounts = [100] * 10
lock = threading.Lock()
bad = []
def transfer(seed):
    x = seed
    for _ in range(1500):
        x = (x * 1103515245 + 12345) % 2147483648
        a, b = x % 10, (x // 10) % 10
        with lock:
            amount = accounts[a] // 3
            accounts[a] -= amount
            accounts[b] += amount
def audit():
    for _ in range(300):
        with lock:
            if sum(accounts) != 1000:
                bad.append(sum(accounts))
ts = [threading.Thread(target=transfer, args=(k,)) for k in range(3)] + [threading.Thread(target=audit)]
for t in ts: t.start()
for t in ts: t.join()
print(sum(accounts), bad)
