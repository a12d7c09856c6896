# TransactionQueue workload (strong scaling): count the primes in [10**12, 10**12 + SIZE) with a
# deterministic Miller-Rabin test (the first 12 prime bases are exact below 3.3e24), one
# `tq.add(check, lo, hi, cell)` per block of 250 numbers, run by
# `transaction.TransactionQueue().run(THREADS)`.  Each call runs atomically and writes only its
# own result cell, so calls never conflict with each other.  Without TransactionQueue (an older
# `transaction` module) the program says it is skipped.
#
# usage: mt_tq_primes.py THREADS [NUMBERS]
import benchlib
import transaction

START = 10 ** 12
BLOCK = 250
BASES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)


def is_prime(n):
    if n < 2:
        return False
    for p in BASES:
        if n % p == 0:
            return n == p
    d = n - 1
    s = 0
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


def check(lo, hi, cell):
    count = 0
    last = 0
    for n in range(lo, hi):
        if is_prime(n):
            count += 1
            last = n
    cell[0] = count
    cell[1] = last


nthreads, numbers = benchlib.args(600_000)
if not hasattr(transaction, "TransactionQueue"):
    benchlib.skip("mt_tq_primes", "no TransactionQueue")
tq = transaction.TransactionQueue()
cells = []
for lo in range(START, START + numbers, BLOCK):
    cell = [0, 0]
    cells.append(cell)
    tq.add(check, lo, min(lo + BLOCK, START + numbers), cell)
tq.run(nthreads)
checksum = 0
for cell in cells:
    checksum = (checksum * 31 + cell[1]) % 1000000007
benchlib.finish("mt_tq_primes", sum(cell[0] for cell in cells), checksum)
