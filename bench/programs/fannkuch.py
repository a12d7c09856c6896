# Fannkuch-redux: for every permutation of 1..n count the pancake flips
# needed until 1 comes first; report the maximum flip count and the
# alternating checksum of the counts (Benchmarks Game definition).
#
# usage: fannkuch.py [threads-ignored] [n]   (computed REPEAT times)

import sys

DEFAULT = 9
REPEAT = 2


def fannkuch(n):
    perm1 = list(range(n))
    count = [0] * n
    max_flips = 0
    checksum = 0
    perm_index = 0
    r = n
    while True:
        while r != 1:
            count[r - 1] = r
            r -= 1

        # count flips of this permutation
        perm = perm1[:]
        flips = 0
        k = perm[0]
        while k:
            perm[:k + 1] = perm[k::-1]
            flips += 1
            k = perm[0]
        if flips > max_flips:
            max_flips = flips
        if perm_index % 2 == 0:
            checksum += flips
        else:
            checksum -= flips

        # next permutation in the counting order
        while True:
            if r == n:
                return checksum, max_flips
            first = perm1[0]
            i = 0
            while i < r:
                perm1[i] = perm1[i + 1]
                i += 1
            perm1[r] = first
            count[r] -= 1
            if count[r] > 0:
                break
            r += 1
        perm_index += 1


def main():
    n = int(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT
    for _ in range(REPEAT):
        checksum, max_flips = fannkuch(n)
    print("fannkuch checksum %d max_flips %d" % (checksum, max_flips))


main()
