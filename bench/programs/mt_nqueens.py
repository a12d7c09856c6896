# N-queens (strong scaling): count every solution on a SIZE x SIZE board by backtracking over
# bit masks.  The search is cut into chunks, one per legal placement of the first two rows'
# queens, dealt round-robin to the threads; each thread counts in locals and publishes once.
#
# usage: mt_nqueens.py THREADS [BOARD]
import benchlib

nthreads, board = benchlib.args(13)
FULL = (1 << board) - 1
results = [None] * nthreads


def solve(cols, diag1, diag2):
    """Number of ways to complete a board whose occupied columns and diagonals are given."""
    if cols == FULL:
        return 1
    count = 0
    free = FULL & ~(cols | diag1 | diag2)
    while free:
        bit = free & -free
        free -= bit
        count += solve(cols | bit, ((diag1 | bit) << 1) & FULL, (diag2 | bit) >> 1)
    return count


def prefixes():
    """(first-row column, second-row column) pairs that do not attack each other."""
    out = []
    for a in range(board):
        for b in range(board):
            if abs(a - b) > 1:
                out.append((a, b))
    return out


CHUNKS = prefixes()


def work(k):
    count = 0
    weighted = 0
    for i in range(k, len(CHUNKS), nthreads):
        a, b = CHUNKS[i]
        ba = 1 << a
        d1 = (ba << 1) & FULL
        d2 = ba >> 1
        bb = 1 << b
        n = solve(ba | bb, ((d1 | bb) << 1) & FULL, (d2 | bb) >> 1)
        count += n
        weighted += n * (i + 1)
    results[k] = (count, weighted)


benchlib.run_threads(nthreads, work)
benchlib.finish("mt_nqueens", sum(r[0] for r in results), sum(r[1] for r in results))
