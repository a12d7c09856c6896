"""Pure-Python stand-in for stmvm's native `_random` module (src/vm/mod_random.c).

Used only by the CPython test harness (tests/lib/run_cpython_check.py), which installs it as
sys.modules['_random'] before importing lib/random.py.  It is a line-by-line port of the C code
(itself CPython 3.11's Modules/_randommodule.c), so that checking lib/random.py against CPython's
random module checks the algorithm the C module implements.

API (functions, no classes):
    new()                    -> state (opaque; here a list: 624 words + index)
    seed(state, n)           n: int (abs(n) is used) or None (seed from the clock/pid)
    random(state)            -> float in [0, 1), genrand_res53
    getrandbits(state, k)    -> int with k random bits
    getstate(state)          -> tuple of 625 ints (CPython's internal state layout)
    setstate(state, tuple)
"""

N = 624
M = 397
MATRIX_A = 0x9908b0df
UPPER_MASK = 0x80000000
LOWER_MASK = 0x7fffffff
MASK32 = 0xffffffff


def new():
    st = [0] * (N + 1)
    st[N] = N + 1
    return st


def _init_genrand(mt, s):
    mt[0] = s & MASK32
    for i in range(1, N):
        mt[i] = (1812433253 * (mt[i - 1] ^ (mt[i - 1] >> 30)) + i) & MASK32
    mt[N] = N


def _init_by_array(mt, key):
    _init_genrand(mt, 19650218)
    i = 1
    j = 0
    klen = len(key)
    k = N if N > klen else klen
    while k:
        mt[i] = ((mt[i] ^ (((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525) & MASK32))
                 + key[j] + j) & MASK32
        i += 1
        j += 1
        if i >= N:
            mt[0] = mt[N - 1]
            i = 1
        if j >= klen:
            j = 0
        k -= 1
    k = N - 1
    while k:
        mt[i] = ((mt[i] ^ (((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941) & MASK32)) - i) & MASK32
        i += 1
        if i >= N:
            mt[0] = mt[N - 1]
            i = 1
        k -= 1
    mt[0] = 0x80000000


def seed(st, n):
    if n is None:
        import os
        n = int.from_bytes(os.urandom(32), 'little')
    n = abs(n)
    key = []
    if n == 0:
        key.append(0)
    while n:
        key.append(n & MASK32)
        n >>= 32
    _init_by_array(st, key)


def _genrand_uint32(mt):
    if mt[N] >= N:
        kk = 0
        while kk < N - M:
            y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK)
            mt[kk] = mt[kk + M] ^ (y >> 1) ^ (MATRIX_A if y & 1 else 0)
            kk += 1
        while kk < N - 1:
            y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK)
            mt[kk] = mt[kk + (M - N)] ^ (y >> 1) ^ (MATRIX_A if y & 1 else 0)
            kk += 1
        y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK)
        mt[N - 1] = mt[M - 1] ^ (y >> 1) ^ (MATRIX_A if y & 1 else 0)
        mt[N] = 0
    y = mt[mt[N]]
    mt[N] += 1
    y ^= y >> 11
    y ^= (y << 7) & 0x9d2c5680
    y ^= (y << 15) & 0xefc60000
    y ^= y >> 18
    return y & MASK32


def random(st):
    a = _genrand_uint32(st) >> 5
    b = _genrand_uint32(st) >> 6
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0)


def getrandbits(st, k):
    if k < 0:
        raise ValueError("number of bits must be non-negative")
    if k == 0:
        return 0
    if k <= 32:
        return _genrand_uint32(st) >> (32 - k)
    result = 0
    shift = 0
    while k > 0:
        r = _genrand_uint32(st)
        if k < 32:
            r >>= 32 - k
        result |= r << shift
        shift += 32
        k -= 32
    return result


def getstate(st):
    return tuple(st)


def setstate(st, state):
    if not isinstance(state, tuple):
        raise TypeError("state vector must be a tuple")
    if len(state) != N + 1:
        raise ValueError("state vector is the wrong size")
    for i in range(N):
        w = state[i]
        if not isinstance(w, int) or w < 0 or w > MASK32:
            raise OverflowError("Python int too large to convert to C unsigned long")
        st[i] = w
    index = state[N]
    if index < 0 or index > N:
        raise ValueError("invalid state")
    st[N] = index
