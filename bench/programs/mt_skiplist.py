# Shared skip list (strong scaling, shared structure): one sorted skip list of up to 16 levels,
# pre-filled with SIZE/4 even keys (1000 to 20000), then SIZE operations split into contiguous
# chunks over the threads: 1 in 8 inserts a new odd key, 1 in 8 inserts one and then deletes it
# again (two atomic blocks), the rest look up a pre-filled key or a never-present one.  Every
# operation runs in `with transaction.atomic:`.  A node's height is a hash of its key (no shared
# random generator), so the final list and the checksum do not depend on the thread count or
# the interleaving.
#
# usage: mt_skiplist.py THREADS [OPERATIONS]
import benchlib
import transaction

LEVELS = 16
MOD = 2147483647
MULT = 48271


class Node:
    __slots__ = ("key", "next")

    def __init__(self, key, height):
        self.key = key
        self.next = [None] * height


def height_of(key):
    """1 + the number of trailing one bits of a hash of key: P(h > n) = 2**-n."""
    h = ((key * 2654435761) >> 11) & 0xFFFFFFFF     # high bits: the low ones follow key's parity
    n = 1
    while h & 1 and n < LEVELS:
        n += 1
        h >>= 1
    return n


class SkipList:
    def __init__(self):
        self.head = Node(None, LEVELS)

    def _path(self, key):
        """The last node before key on every level."""
        path = [None] * LEVELS
        node = self.head
        for lvl in range(LEVELS - 1, -1, -1):
            nxt = node.next[lvl]
            while nxt is not None and nxt.key < key:
                node = nxt
                nxt = node.next[lvl]
            path[lvl] = node
        return path

    def contains(self, key):
        node = self.head
        for lvl in range(LEVELS - 1, -1, -1):
            nxt = node.next[lvl]
            while nxt is not None and nxt.key < key:
                node = nxt
                nxt = node.next[lvl]
        nxt = node.next[0]
        return nxt is not None and nxt.key == key

    def insert(self, key):
        path = self._path(key)
        nxt = path[0].next[0]
        if nxt is not None and nxt.key == key:
            return False
        node = Node(key, height_of(key))
        for lvl in range(len(node.next)):
            node.next[lvl] = path[lvl].next[lvl]
            path[lvl].next[lvl] = node
        return True

    def delete(self, key):
        path = self._path(key)
        node = path[0].next[0]
        if node is None or node.key != key:
            return False
        for lvl in range(len(node.next)):
            path[lvl].next[lvl] = node.next[lvl]
        return True


def new_key(i):
    return 2 * ((i + 1) * MULT % MOD) + 1


nthreads, nops = benchlib.args(80_000)
PREFILL = max(1000, min(20000, nops // 4))     # pre-filled keys: a quarter of the operations
sl = SkipList()
for j in range(PREFILL):
    sl.insert(2 * (j * MULT % MOD % 1000003))
results = [None] * nthreads


def work(k):
    found = inserted = deleted = 0
    for i in benchlib.chunk(nops, nthreads, k):
        kind = i % 8
        if kind == 0 or kind == 4:
            key = new_key(i)
            with transaction.atomic:
                inserted += sl.insert(key)
            if kind == 4:
                # a short-lived key: this thread inserted it, this thread removes it
                with transaction.atomic:
                    deleted += sl.delete(key)
        else:
            key = -1 - i if kind == 3 else 2 * ((i % PREFILL) * MULT % MOD % 1000003)
            with transaction.atomic:
                found += sl.contains(key)
    results[k] = (found, inserted, deleted)


benchlib.run_threads(nthreads, work)
count = 0
checksum = 0
prev = None
in_order = True
node = sl.head.next[0]
while node is not None:
    if prev is not None and prev >= node.key:
        in_order = False
    prev = node.key
    count += 1
    checksum = (checksum * 31 + node.key) % 1000000007
    node = node.next[0]
benchlib.finish("mt_skiplist", count, in_order, sum(r[0] for r in results),
                sum(r[1] for r in results), sum(r[2] for r in results), checksum)
