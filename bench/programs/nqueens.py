# N-queens: enumerate every solution of the n-queens problem by filtering
# all permutations of column positions with generators and sets (as in
# pyperformance's bm_nqueens), then checksum the solutions.
#
# usage: nqueens.py [threads-ignored] [repetitions]   (board size is 8)

import sys

DEFAULT = 12
BOARD = 8


def permutations(iterable, r=None):
    """Pure-Python equivalent of itertools.permutations."""
    pool = tuple(iterable)
    n = len(pool)
    if r is None:
        r = n
    indices = list(range(n))
    cycles = list(range(n - r + 1, n + 1))[::-1]
    yield tuple(pool[i] for i in indices[:r])
    while n:
        for i in reversed(range(r)):
            cycles[i] -= 1
            if cycles[i] == 0:
                indices[i:] = indices[i + 1:] + indices[i:i + 1]
                cycles[i] = n - i
            else:
                j = cycles[i]
                indices[i], indices[-j] = indices[-j], indices[i]
                yield tuple(pool[i] for i in indices[:r])
                break
        else:
            return


def n_queens(queen_count):
    """Yield each solution as a tuple: the column of the queen in each row."""
    cols = range(queen_count)
    for vec in permutations(cols):
        if (queen_count == len(set(vec[i] + i for i in cols))
                == len(set(vec[i] - i for i in cols))):
            yield vec


def main():
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT
    count = 0
    checksum = 0
    for rep in range(reps):
        for sol in n_queens(BOARD):
            count += 1
            value = rep
            for c in sol:
                value = value * BOARD + c
            checksum = (checksum * 31 + value) % 1000000007
    print("nqueens checksum %d solutions %d" % (checksum, count))


main()
