# tq_primes.py THREADS [COUNT] — Miller–Rabin over COUNT odd numbers from 10**12 with a
# transaction.TransactionQueue of THREADS workers; prints a checksum (the same under CPython,
# given lib/transaction.py) and the time taken.  Each unit tests one chunk and writes its result
# into a cell of its own, so units never conflict and run in parallel on stmvm.
import sys
import time
import transaction

nthreads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
count = int(sys.argv[2]) if len(sys.argv) > 2 else 40000
START = 10**12 + 1
CHUNK = 500
BASES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)   # exact for n < 3.3e24


def is_prime(n):
    if n < 2:
        return False
    for p in BASES:
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for a in BASES:
        x = pow(a, d, n)
        if x == 1 or x == n - 1:
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def chunk(lo, hi, cell):
    found = 0
    mix = 0
    for n in range(lo, hi, 2):
        if is_prime(n):
            found += 1
            mix = (mix * 31 + n) % 1000000007
    cell[0] = found
    cell[1] = mix


q = transaction.TransactionQueue()
cells = []
end = START + 2 * count
for lo in range(START, end, 2 * CHUNK):
    cell = [0, 0]
    cells.append(cell)
    q.add(chunk, lo, min(lo + 2 * CHUNK, end), cell)
t0 = time.perf_counter()
q.run(nthreads)
elapsed = time.perf_counter() - t0
primes = sum(c[0] for c in cells)
checksum = 0
for c in cells:
    checksum = (checksum * 1000003 + c[1]) % 1000000007
print(f"{count} odd numbers from {START}: {primes} primes, checksum {checksum}")
print(f"{nthreads} thread(s): {elapsed:.2f} s", file=sys.stderr)
