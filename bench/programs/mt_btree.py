# Shared B-tree (strong scaling, shared structure): one B-tree of minimum degree 8 (up to 15 keys
# per node), pre-filled with SIZE/4 even keys (1000 to 20000), then SIZE operations split into
# contiguous chunks over the threads: 1 in 4 inserts a new odd key, the rest look up a pre-filled
# key or a key that is never present.  Every operation runs in `with transaction.atomic:` (on
# CPython and PyPy: one global lock).  The keys each operation touches depend only on its index,
# so the final tree and the checksum do not depend on the thread count or the interleaving.
#
# usage: mt_btree.py THREADS [OPERATIONS]
import benchlib
import transaction

T = 8                   # minimum degree
MOD = 2147483647        # a prime: i -> i * MULT % MOD is a bijection, so new keys never repeat
MULT = 48271


class Node:
    __slots__ = ("keys", "children")

    def __init__(self, keys, children):
        self.keys = keys
        self.children = children        # None for a leaf


class BTree:
    def __init__(self):
        self.root = Node([], None)

    def contains(self, key):
        node = self.root
        while True:
            keys = node.keys
            lo, hi = 0, len(keys)
            while lo < hi:
                mid = (lo + hi) // 2
                if keys[mid] < key:
                    lo = mid + 1
                else:
                    hi = mid
            if lo < len(keys) and keys[lo] == key:
                return True
            if node.children is None:
                return False
            node = node.children[lo]

    def _split_child(self, parent, i):
        child = parent.children[i]
        mid = child.keys[T - 1]
        right = Node(child.keys[T:], None if child.children is None else child.children[T:])
        child.keys = child.keys[:T - 1]
        if child.children is not None:
            child.children = child.children[:T]
        parent.keys.insert(i, mid)
        parent.children.insert(i + 1, right)

    def insert(self, key):
        """Insert key (CLRS: split full nodes on the way down); False if it was present."""
        root = self.root
        if len(root.keys) == 2 * T - 1:
            root = Node([], [root])
            self.root = root
            self._split_child(root, 0)
        node = root
        while True:
            keys = node.keys
            lo, hi = 0, len(keys)
            while lo < hi:
                mid = (lo + hi) // 2
                if keys[mid] < key:
                    lo = mid + 1
                else:
                    hi = mid
            if lo < len(keys) and keys[lo] == key:
                return False
            if node.children is None:
                keys.insert(lo, key)
                return True
            if len(node.children[lo].keys) == 2 * T - 1:
                self._split_child(node, lo)
                continue            # look again at this node: the middle key moved up
            node = node.children[lo]

    def walk(self, node, out):
        if node.children is None:
            out.extend(node.keys)
            return
        for i, k in enumerate(node.keys):
            self.walk(node.children[i], out)
            out.append(k)
        self.walk(node.children[-1], out)


nthreads, nops = benchlib.args(200_000)
PREFILL = max(1000, min(20000, nops // 4))     # pre-filled keys: a quarter of the operations
tree = BTree()
for j in range(PREFILL):
    tree.insert(2 * (j * MULT % MOD % 1000003))
results = [None] * nthreads


def work(k):
    found = 0
    inserted = 0
    for i in benchlib.chunk(nops, nthreads, k):
        kind = i % 4
        if kind == 0:
            key = 2 * ((i + 1) * MULT % MOD) + 1
            with transaction.atomic:
                ok = tree.insert(key)
            inserted += ok
        else:
            if kind == 3:
                key = -1 - i                  # never present
            else:
                key = 2 * ((i % PREFILL) * MULT % MOD % 1000003)
            with transaction.atomic:
                hit = tree.contains(key)
            found += hit
    results[k] = (found, inserted)


benchlib.run_threads(nthreads, work)
keys = []
tree.walk(tree.root, keys)
in_order = all(keys[i] < keys[i + 1] for i in range(len(keys) - 1))
checksum = 0
for key in keys:
    checksum = (checksum * 31 + key) % 1000000007
benchlib.finish("mt_btree", len(keys), in_order, sum(r[0] for r in results),
                sum(r[1] for r in results), checksum)
