#!/usr/bin/env python3
"""Check stmvm's pure-Python library (lib/*.py) against CPython 3.11's own modules.

Run with CPython 3.11:  python3 tests/lib/run_cpython_check.py [-v]
The lib modules are loaded from lib/ under their own names while CPython's modules of the same
names stay in use for reference: each lib module is executed with the other lib modules (and
the stand-ins for the native modules, tests/lib/_random_py.py and _os_py.py) temporarily
installed in sys.modules.  Prints one line per failure and ends with "N passed, N failed".
"""
import importlib.util
import os
import sys
import warnings

warnings.simplefilter('ignore', DeprecationWarning)
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LIBDIR = os.path.join(ROOT, 'lib')
VERBOSE = '-v' in sys.argv

# Reference modules from CPython, imported before any swapping.
import bisect as c_bisect
import collections as c_collections
import functools as c_functools
import itertools as c_itertools
import posixpath as c_posixpath
import random as c_random

sys.path.append(LIBDIR)       # lib modules without a CPython namesake (_sha512py, ...)
sys.path.append(HERE)


def load_lib():
    import _random_py
    import _os_py
    stand_ins = {'_random': _random_py, '_os': _os_py}
    names = sorted(f[:-3] for f in os.listdir(LIBDIR) if f.endswith('.py'))
    swapped = names + list(stand_ins) + ['os.path']
    saved = {n: sys.modules.get(n) for n in swapped}
    loaded = {}
    try:
        for n in names:
            sys.modules.pop(n, None)
        sys.modules.update(stand_ins)

        class Finder:
            @staticmethod
            def find_spec(name, path=None, target=None):
                if name in names:
                    return importlib.util.spec_from_file_location(
                        name, os.path.join(LIBDIR, name + '.py'))
                return None
        sys.meta_path.insert(0, Finder)
        try:
            for n in names:
                loaded[n] = importlib.import_module(n)
        finally:
            sys.meta_path.remove(Finder)
    finally:
        for n, m in saved.items():
            if m is None:
                sys.modules.pop(n, None)
            else:
                sys.modules[n] = m
    return loaded


LIB = load_lib()
passed = 0
failed = 0


def check(name, got, want):
    global passed, failed
    if got == want and type(got) == type(want):
        passed += 1
        if VERBOSE:
            print('ok  ', name)
    else:
        failed += 1
        print('FAIL', name)
        print('     got: ', repr(got)[:300])
        print('     want:', repr(want)[:300])


def outcome(f, *a, **k):
    """f's result, or ('raised', exception type name, message)."""
    try:
        return f(*a, **k)
    except Exception as e:
        return ('raised', type(e).__name__, str(e))


def check_call(name, f_lib, f_c, *a, **k):
    check(name, outcome(f_lib, *a, **k), outcome(f_c, *a, **k))


# ------------------------------------------------------------------------------------------
# Test modules: each test_<x> function is run in order.

def test_random():
    r = LIB['random']
    for s in list(range(51)) + [-1, -12345, 2**32, 2**32 - 1, 2**64 + 7, 10**40, -(10**100),
                                True, 0.5, -3.25, 1e300, 'hello', '', b'abc',
                                bytearray(b'xyz'), 'héllo wörld' * 5]:
        a = r.Random(s)
        b = c_random.Random(s)
        tag = 'random seed=%r' % (s,)
        check(tag + ' random()', [a.random() for _ in range(5)],
              [b.random() for _ in range(5)])
        check(tag + ' getrandbits', [a.getrandbits(k) for k in (0, 1, 7, 31, 32, 33, 64, 65,
                                                               100, 1000)],
              [b.getrandbits(k) for k in (0, 1, 7, 31, 32, 33, 64, 65, 100, 1000)])
        check(tag + ' randrange', [a.randrange(10), a.randrange(3, 1000), a.randrange(0, 100, 7),
                                   a.randrange(100, 0, -3), a.randrange(10**30),
                                   a.randrange(-5, 5)],
              [b.randrange(10), b.randrange(3, 1000), b.randrange(0, 100, 7),
               b.randrange(100, 0, -3), b.randrange(10**30), b.randrange(-5, 5)])
        check(tag + ' randint', [a.randint(1, 6) for _ in range(20)],
              [b.randint(1, 6) for _ in range(20)])
        check(tag + ' choice', [a.choice('abcdefg') for _ in range(10)],
              [b.choice('abcdefg') for _ in range(10)])
        la = list(range(20))
        lb = list(range(20))
        a.shuffle(la)
        b.shuffle(lb)
        check(tag + ' shuffle', la, lb)
        check(tag + ' sample', [a.sample(range(100), 5), a.sample(range(1000), 60),
                                a.sample('abcdefghij', 10), a.sample(range(5), 2, counts=[1, 2, 3, 4, 5])],
              [b.sample(range(100), 5), b.sample(range(1000), 60),
               b.sample('abcdefghij', 10), b.sample(range(5), 2, counts=[1, 2, 3, 4, 5])])
        check(tag + ' uniform', [a.uniform(-3, 7) for _ in range(3)],
              [b.uniform(-3, 7) for _ in range(3)])
        check(tag + ' choices', [a.choices('abc'), a.choices('abcd', k=5),
                                 a.choices('abc', [1, 2, 3], k=4),
                                 a.choices('abc', cum_weights=[1, 5, 6], k=4),
                                 a.choices(range(10), weights=[0.5] * 10, k=3)],
              [b.choices('abc'), b.choices('abcd', k=5), b.choices('abc', [1, 2, 3], k=4),
               b.choices('abc', cum_weights=[1, 5, 6], k=4),
               b.choices(range(10), weights=[0.5] * 10, k=3)])
        dists = lambda g: [g.gauss(), g.gauss(1, 2), g.gauss(), g.normalvariate(0, 1),
                           g.lognormvariate(0, 0.5), g.expovariate(2.0), g.triangular(),
                           g.triangular(0, 10, 2), g.vonmisesvariate(1.0, 4.0),
                           g.vonmisesvariate(1.0, 0.0), g.gammavariate(0.5, 2.0),
                           g.gammavariate(1.0, 2.0), g.gammavariate(3.5, 1.0),
                           g.betavariate(2.0, 3.0), g.paretovariate(2.5),
                           g.weibullvariate(1.0, 1.5), g.randbytes(5), g.randbytes(0)]
        check(tag + ' distributions', dists(a), dists(b))
        check(tag + ' getstate', a.getstate(), b.getstate())
    # seed(None) / setstate round trip, state exchanged with CPython
    a = r.Random()
    b = c_random.Random()
    st = a.getstate()
    b.setstate(st)
    check('random setstate from lib', [a.random() for _ in range(3)], [b.random() for _ in range(3)])
    a.setstate(b.getstate())
    check('random setstate from C', [a.getrandbits(40) for _ in range(3)],
          [b.getrandbits(40) for _ in range(3)])
    a = r.Random(5)
    b = c_random.Random(5)
    check('random seed version 1', (a.seed('abc', version=1), a.random()),
          (b.seed('abc', version=1), b.random()))
    check('random seed version 1 bytes', (a.seed(b'abc', version=1), a.random()),
          (b.seed(b'abc', version=1), b.random()))
    # module-level functions
    r.seed(42)
    c_random.seed(42)
    check('random module-level', [r.random(), r.randint(0, 9), r.choice([1, 2, 3]),
                                  r.getrandbits(70), r.sample(range(10), 3)],
          [c_random.random(), c_random.randint(0, 9), c_random.choice([1, 2, 3]),
           c_random.getrandbits(70), c_random.sample(range(10), 3)])
    # errors
    a = r.Random(1)
    b = c_random.Random(1)
    for args in [(0,), (-3,), (5, 5), (5, 1), (0, 10, 0), (0, 10, -1), (1.5,), (3.0,),
                 (0, 2.5), ('a',), (5, None, 2)]:
        check_call('random randrange%r' % (args,), a.randrange, b.randrange, *args)
    check_call('random choice empty', a.choice, b.choice, [])
    check_call('random sample too big', a.sample, b.sample, [1, 2], 3)
    check_call('random sample set', a.sample, b.sample, {1, 2}, 1)
    check_call('random getrandbits neg', a.getrandbits, b.getrandbits, -1)
    check_call('random choices k positional', a.choices, b.choices, 'abc', 3)
    check('random choices both',
          outcome(lambda: a.choices('ab', [1, 1], cum_weights=[1, 2])),
          outcome(lambda: b.choices('ab', [1, 1], cum_weights=[1, 2])))
    check('random seed bad type', outcome(lambda: a.seed([1])), outcome(lambda: b.seed([1])))
    check('random gamma bad', outcome(lambda: a.gammavariate(0, 1)),
          outcome(lambda: b.gammavariate(0, 1)))

    class MyRandom(r.Random):
        def random(self):
            return 0.3
    class CMyRandom(c_random.Random):
        def random(self):
            return 0.3
    check('random subclass overriding random()',
          [MyRandom(1).randrange(100), MyRandom(1).choice('abcdef')],
          [CMyRandom(1).randrange(100), CMyRandom(1).choice('abcdef')])


def test_itertools():
    it = LIB['itertools']
    ci = c_itertools
    L = lambda m, f, *a, **k: outcome(lambda: list(getattr(m, f)(*a, **k)))
    cases = [
        ('count', lambda m: list(m.islice(m.count(), 5))),
        ('count start step', lambda m: list(m.islice(m.count(10, -3), 5))),
        ('count float', lambda m: list(m.islice(m.count(2.5, 0.5), 4))),
        ('count str', lambda m: m.count('a')),
        ('cycle', lambda m: list(m.islice(m.cycle('abc'), 10))),
        ('cycle empty', lambda m: list(m.islice(m.cycle(''), 10))),
        ('repeat', lambda m: list(m.repeat('x', 3))),
        ('repeat neg', lambda m: list(m.repeat('x', -2))),
        ('repeat inf', lambda m: list(m.islice(m.repeat(7), 4))),
        ('accumulate', lambda m: list(m.accumulate([1, 2, 3, 4, 5]))),
        ('accumulate func', lambda m: list(m.accumulate([3, 1, 4, 1, 5], max))),
        ('accumulate initial', lambda m: list(m.accumulate([1, 2, 3], initial=100))),
        ('accumulate empty initial', lambda m: list(m.accumulate([], initial=1))),
        ('accumulate empty', lambda m: list(m.accumulate([]))),
        ('accumulate strs', lambda m: list(m.accumulate('abc'))),
        ('chain', lambda m: list(m.chain('abc', [1, 2], (), range(3)))),
        ('chain empty', lambda m: list(m.chain())),
        ('chain.from_iterable', lambda m: list(m.chain.from_iterable(['ab', 'cd', '']))),
        ('chain.from_iterable gen', lambda m: list(m.chain.from_iterable(
            range(i) for i in range(4)))),
        ('chain next', lambda m: next(m.chain([1], [2]))),
        ('compress', lambda m: list(m.compress('ABCDEF', [1, 0, 1, 0, 1, 1]))),
        ('compress short', lambda m: list(m.compress('ABCDEF', [1, 1]))),
        ('dropwhile', lambda m: list(m.dropwhile(lambda x: x < 5, [1, 4, 6, 4, 1]))),
        ('takewhile', lambda m: list(m.takewhile(lambda x: x < 5, [1, 4, 6, 4, 1]))),
        ('filterfalse', lambda m: list(m.filterfalse(lambda x: x % 2, range(10)))),
        ('filterfalse None', lambda m: list(m.filterfalse(None, [0, 1, '', 'a', None, []]))),
        ('groupby', lambda m: [(k, list(g)) for k, g in m.groupby('AAAABBBCCDAABBB')]),
        ('groupby keys', lambda m: [k for k, g in m.groupby('AAAABBBCCD')]),
        ('groupby key', lambda m: [(k, list(g)) for k, g in m.groupby(range(10), lambda x: x // 3)]),
        ('groupby stale', lambda m: [list(g) for k, g in list(m.groupby('aabbbc'))]),
        ('groupby partial', lambda m: [(k, next(g)) for k, g in m.groupby('aabbbc')]),
        ('groupby empty', lambda m: list(m.groupby([]))),
        ('islice stop', lambda m: list(m.islice('ABCDEFG', 2))),
        ('islice start stop', lambda m: list(m.islice('ABCDEFG', 2, 4))),
        ('islice None', lambda m: list(m.islice('ABCDEFG', 2, None))),
        ('islice step', lambda m: list(m.islice('ABCDEFG', 0, None, 2))),
        ('islice step2', lambda m: list(m.islice(range(20), 1, 17, 5))),
        ('islice neg', lambda m: m.islice('abc', -1)),
        ('islice neg start', lambda m: m.islice('abc', -1, 3)),
        ('islice bad step', lambda m: m.islice('abc', 0, 3, 0)),
        ('islice str stop', lambda m: m.islice('abc', 'x')),
        ('starmap', lambda m: list(m.starmap(pow, [(2, 5), (3, 2), (10, 3)]))),
        ('zip_longest', lambda m: list(m.zip_longest('ABCD', 'xy', fillvalue='-'))),
        ('zip_longest 3', lambda m: list(m.zip_longest('A', 'xyz', [1, 2]))),
        ('zip_longest none', lambda m: list(m.zip_longest())),
        ('product', lambda m: list(m.product('ABCD', 'xy'))),
        ('product repeat', lambda m: list(m.product(range(2), repeat=3))),
        ('product none', lambda m: list(m.product())),
        ('product empty', lambda m: list(m.product('ab', ''))),
        ('product repeat 0', lambda m: list(m.product('ab', repeat=0))),
        ('permutations', lambda m: list(m.permutations('ABCD', 2))),
        ('permutations all', lambda m: list(m.permutations(range(3)))),
        ('permutations r>n', lambda m: list(m.permutations(range(3), 4))),
        ('permutations 0', lambda m: list(m.permutations(range(3), 0))),
        ('permutations empty', lambda m: list(m.permutations([]))),
        ('permutations neg', lambda m: m.permutations('ab', -1)),
        ('combinations', lambda m: list(m.combinations('ABCD', 2))),
        ('combinations 3', lambda m: list(m.combinations(range(5), 3))),
        ('combinations r>n', lambda m: list(m.combinations(range(3), 4))),
        ('combinations 0', lambda m: list(m.combinations(range(3), 0))),
        ('combinations neg', lambda m: m.combinations('ab', -1)),
        ('cwr', lambda m: list(m.combinations_with_replacement('ABC', 2))),
        ('cwr empty', lambda m: list(m.combinations_with_replacement('', 2))),
        ('cwr empty 0', lambda m: list(m.combinations_with_replacement('', 0))),
        ('cwr 3', lambda m: list(m.combinations_with_replacement(range(3), 3))),
        ('pairwise', lambda m: list(m.pairwise('ABCDEFG'))),
        ('pairwise short', lambda m: list(m.pairwise('A'))),
        ('tee', lambda m: [list(x) for x in m.tee('abc', 3)]),
        ('tee 0', lambda m: m.tee('abc', 0)),
        ('tee neg', lambda m: m.tee('abc', -1)),
        ('not iterable', lambda m: m.cycle(5)),
        ('not iterable chain', lambda m: list(m.chain(5))),
    ]
    for name, f in cases:
        check('itertools ' + name, outcome(f, it), outcome(f, ci))

    def interleave(m):
        a, b = m.tee(iter(range(6)))
        out = [next(a), next(a), next(b), next(a), next(b), next(b), next(b)]
        return out + list(a) + list(b)
    check('itertools tee interleave', interleave(it), interleave(ci))

    def consumption(m, args):
        src = iter(range(20))
        got = list(m.islice(src, *args))
        return got, list(src)
    for args in [(5,), (0, 5, 3), (2, 9, 4), (3, 3), (4, 2), (0, None, 7), (25,), (22, 30)]:
        check('itertools islice consumption %r' % (args,), consumption(it, args),
              consumption(ci, args))

    def groupby_shared(m):
        src = iter('aaabbc')
        g = m.groupby(src)
        k1, g1 = next(g)
        first = next(g1)
        k2, g2 = next(g)
        return k1, first, list(g1), k2, list(g2), list(src)
    check('itertools groupby shared', groupby_shared(it), groupby_shared(ci))

    def dropwhile_rest(m):
        src = iter([1, 2, 7, 1, 9])
        d = m.takewhile(lambda x: x < 5, src)
        return list(d), list(src)
    check('itertools takewhile consumption', dropwhile_rest(it), dropwhile_rest(ci))


def test_functools():
    ft = LIB['functools']
    cf = c_functools
    import operator
    for name, f in [
        ('reduce', lambda m: m.reduce(operator.add, [1, 2, 3, 4])),
        ('reduce initial', lambda m: m.reduce(operator.add, [], 10)),
        ('reduce empty', lambda m: m.reduce(operator.add, [])),
        ('reduce not iterable', lambda m: m.reduce(operator.add, 5)),
        ('reduce strs', lambda m: m.reduce(lambda a, b: b + a, 'abcd')),
        ('partial', lambda m: m.partial(int, base=2)('1010')),
        ('partial args', lambda m: m.partial(max, 5)(1, 9)),
        ('partial nested', lambda m: (m.partial(m.partial(pow, 2), 10)(),
                                      m.partial(m.partial(pow, 2), 10).args)),
        ('partial kw override', lambda m: m.partial(int, base=2)('17', base=10)),
        ('partial attrs', lambda m: (m.partial(divmod, 7).func is divmod,
                                     m.partial(divmod, 7).args,
                                     m.partial(int, base=8).keywords)),
        ('partial not callable', lambda m: m.partial(5)),
        ('partial repr', lambda m: repr(m.partial(len, [1], x=2))),
        ('cmp_to_key', lambda m: sorted([3, 1, 2, 5, 4], key=m.cmp_to_key(lambda a, b: b - a))),
        ('cmp_to_key strs', lambda m: sorted(['bb', 'a', 'ccc'],
                                             key=m.cmp_to_key(lambda a, b: len(a) - len(b)))),
        ('lru_cache bad', lambda m: m.lru_cache('x')),
    ]:
        check('functools ' + name, outcome(f, ft), outcome(f, cf))

    def lru(m):
        calls = []

        @m.lru_cache(maxsize=2)
        def f(x):
            calls.append(x)
            return x * 2
        out = [f(1), f(2), f(1), f(3), f(2), f(1)]
        info = tuple(f.cache_info())
        f.cache_clear()
        f(1)
        return out, calls, info, tuple(f.cache_info()), f.__name__

    check('functools lru_cache', lru(ft), lru(cf))

    def fib(m):
        @m.lru_cache
        def fib(n):
            return n if n < 2 else fib(n - 1) + fib(n - 2)

        @m.cache
        def fact(n):
            return 1 if n < 2 else n * fact(n - 1)

        @m.lru_cache(maxsize=None, typed=True)
        def ident(x):
            return (x, type(x).__name__)
        r = [fib(80), tuple(fib.cache_info()), fact(30), tuple(fact.cache_info()),
             ident(1), ident(1.0), ident(x=2), tuple(ident.cache_info())]

        @m.lru_cache(maxsize=0)
        def g(x):
            return x
        r += [g(1), g(1), tuple(g.cache_info())]
        return r
    check('functools lru_cache recursion', fib(ft), fib(cf))

    def meth(m):
        class A:
            def __init__(self):
                self.n = 0

            @m.lru_cache(maxsize=None)
            def sq(self, x):
                self.n += 1
                return x * x
        a = A()
        return a.sq(3), a.sq(3), a.n
    check('functools lru_cache method', meth(ft), meth(cf))

    def wrapper(m):
        def deco(fn):
            @m.wraps(fn)
            def inner(*a):
                return fn(*a) + 1
            return inner

        @deco
        def add(a, b):
            "adds"
            return a + b
        return add(1, 2), add.__name__, add.__doc__, add.__wrapped__(1, 2)
    check('functools wraps', wrapper(ft), wrapper(cf))

    def ordering(m):
        @m.total_ordering
        class V:
            def __init__(self, v):
                self.v = v

            def __eq__(self, o):
                return self.v == o.v

            def __lt__(self, o):
                return self.v < o.v
        a, b = V(1), V(2)
        r = [a < b, a <= b, a > b, a >= b, b >= a, a <= V(1), a >= V(1)]

        @m.total_ordering
        class W:
            def __init__(self, v):
                self.v = v

            def __eq__(self, o):
                return self.v == o.v

            def __ge__(self, o):
                return self.v >= o.v
        c, d = W(1), W(2)
        r += [c < d, c <= d, c > d, c >= d, d > c]
        return r
    check('functools total_ordering', ordering(ft), ordering(cf))
    check('functools total_ordering none',
          outcome(lambda: ft.total_ordering(type('X', (), {}))),
          outcome(lambda: cf.total_ordering(type('X', (), {}))))

    def cprop(m):
        class C:
            count = 0

            @m.cached_property
            def val(self):
                C.count += 1
                return 42
        c = C()
        return c.val, c.val, C.count
    check('functools cached_property', cprop(ft), cprop(cf))


def test_collections():
    co = LIB['collections']
    cc = c_collections

    def dq(m):
        r = []
        d = m.deque([1, 2, 3])
        d.append(4)
        d.appendleft(0)
        r.append(repr(d))
        r.append((d.pop(), d.popleft(), len(d), list(d)))
        d.extend('ab')
        d.extendleft('xy')
        r.append(repr(d))
        d.rotate(2)
        r.append(list(d))
        d.rotate(-3)
        r.append(list(d))
        d.rotate(100)
        r.append(list(d))
        r.append((d[0], d[-1], d[2], d.count('a'), d.index('a'), 'b' in d, 9 in d))
        d.remove('a')
        d.reverse()
        r.append(list(d))
        r.append(list(reversed(d)))
        d[1] = 'Z'
        del d[0]
        r.append(repr(d))
        d.insert(1, 'I')
        r.append(repr(d))
        e = d.copy()
        r.append((e == d, e is d, e != d, d == list(d)))
        d.clear()
        r.append((repr(d), bool(d), len(d)))
        m3 = m.deque(range(10), maxlen=3)
        r.append((repr(m3), m3.maxlen))
        m3.append(10)
        m3.appendleft(-1)
        r.append(repr(m3))
        m3.extendleft([100, 200])
        r.append(repr(m3))
        r.append(repr(m.deque(maxlen=0)))
        z = m.deque(maxlen=0)
        z.append(1)
        r.append(repr(z))
        r.append(repr(m.deque()))
        r.append(repr(m.deque('abc') + m.deque('de')))
        r.append(repr(m.deque([1, 2]) * 3))
        r.append(repr(m.deque([1, 2], 3) * 3))
        x = m.deque([1, 2])
        x += [3]
        x *= 2
        r.append(repr(x))
        r.append((m.deque([1, 2]) < m.deque([1, 3]), m.deque([2]) >= m.deque([1, 9])))
        q = m.deque()
        for i in range(1000):
            q.append(i)
            if i % 3 == 0:
                q.popleft()
        r.append((len(q), q[0], q[-1], sum(q)))
        for i in range(500):
            q.appendleft(-i)
            if i % 2:
                q.pop()
        r.append((len(q), q[0], q[-1], sum(q), list(q)[:5]))
        q.extend(q)
        r.append(len(q))
        return r
    check('collections deque ops', dq(co), dq(cc))

    for name, f in [
        ('pop empty', lambda m: m.deque().pop()),
        ('popleft empty', lambda m: m.deque().popleft()),
        ('index out of range', lambda m: m.deque([1])[5]),
        ('negative index', lambda m: m.deque([1, 2])[-3]),
        ('slice', lambda m: m.deque([1])[0:1]),
        ('index missing', lambda m: m.deque([1]).index(7)),
        ('index start', lambda m: m.deque([1, 2, 1]).index(1, 1)),
        ('remove missing', lambda m: m.deque([1]).remove(7)),
        ('bad maxlen', lambda m: m.deque([], -1)),
        ('insert full', lambda m: m.deque([1], 1).insert(0, 2)),
        ('add list', lambda m: m.deque([1]) + [2]),
        ('hash', lambda m: hash(m.deque())),
        ('eq list', lambda m: m.deque([1]) == [1]),
    ]:
        check('collections deque ' + name, outcome(f, co), outcome(f, cc))

    def dd(m):
        r = []
        d = m.defaultdict(int)
        for c in 'abracadabra':
            d[c] += 1
        r.append(repr(d))
        r.append((d['zz'], len(d), 'q' in d, d.get('q')))
        l = m.defaultdict(list)
        l['x'].append(1)
        l['x'].append(2)
        l['y']
        r.append(repr(l))
        r.append(repr(m.defaultdict()))
        r.append(repr(m.defaultdict(None, {1: 2})))
        r.append(repr(m.defaultdict(list, a=1)))
        c = d.copy()
        r.append((type(c).__name__, c == d, c.default_factory is int))
        r.append(isinstance(d, dict))
        r.append(repr(d | {'new': 5}))
        return r
    check('collections defaultdict', dd(co), dd(cc))
    check('collections defaultdict missing', outcome(lambda: co.defaultdict()['k']),
          outcome(lambda: cc.defaultdict()['k']))
    check('collections defaultdict not callable', outcome(lambda: co.defaultdict(5)),
          outcome(lambda: cc.defaultdict(5)))

    def nt(m):
        r = []
        P = m.namedtuple('Point', ['x', 'y'])
        p = P(1, y=2)
        r.append(repr(p))
        r.append((p.x, p.y, p[0], p[1], tuple(p), len(p), p == (1, 2), isinstance(p, tuple)))
        r.append((P._fields, P.__name__, P.__doc__, P.x.__doc__))
        r.append(p._asdict())
        r.append(repr(p._replace(x=10)))
        r.append(repr(P._make([5, 6])))
        r.append(hash(p) == hash((1, 2)))
        x, y = p
        r.append((x, y))
        r.append(str(p))
        r.append(repr(P(x=3, y=4)))
        Q = m.namedtuple('Q', 'a b, c', defaults=[0, 9])
        r.append((repr(Q(1)), repr(Q(1, 2)), Q._field_defaults))
        R = m.namedtuple('R', 'def x x _y', rename=True)
        r.append(R._fields)
        E = m.namedtuple('E', '')
        r.append((repr(E()), E._fields))
        r.append(sorted([P(2, 1), P(1, 5), P(1, 2)]))
        r.append(repr(p + (3,)))
        r.append(p.__getnewargs__())
        r.append(P.__match_args__)
        try:
            p.z = 5
            r.append('settable')
        except AttributeError:
            r.append('AttributeError')
        try:
            p.x = 5
            r.append('settable')
        except AttributeError:
            r.append('AttributeError')
        return r
    check('collections namedtuple', nt(co), nt(cc))
    P = co.namedtuple('Point', 'x y')
    CP = cc.namedtuple('Point', 'x y')
    for name, f in [
        ('missing', lambda T: T(1)),
        ('missing 2', lambda T: T()),
        ('too many', lambda T: T(1, 2, 3)),
        ('unexpected kw', lambda T: T(1, 2, z=3)),
        ('multiple values', lambda T: T(1, 2, x=3)),
        ('make wrong', lambda T: T._make([1])),
        ('replace wrong', lambda T: T(1, 2)._replace(z=1)),
    ]:
        check('collections namedtuple ' + name, outcome(f, P), outcome(f, CP))
    T3 = co.namedtuple('T3', 'a b c')
    CT3 = cc.namedtuple('T3', 'a b c')
    check('collections namedtuple missing 3', outcome(lambda: T3()), outcome(lambda: CT3()))
    for args in [('1x', 'a'), ('P', 'a class'), ('P', 'a _b'), ('P', 'a a'), ('P', 'a b', [1, 2, 3])]:
        check('collections namedtuple bad %r' % (args,),
              outcome(lambda: co.namedtuple(*args[:2], defaults=args[2] if len(args) > 2 else None)),
              outcome(lambda: cc.namedtuple(*args[:2], defaults=args[2] if len(args) > 2 else None)))

    def counter(m):
        r = []
        c = m.Counter('abracadabra')
        r.append(repr(c))
        r.append((c['a'], c['z'], len(c), c.total()))
        r.append(c.most_common(2))
        r.append(c.most_common())
        r.append(c.most_common(0))
        r.append(sorted(c.elements()))
        c.update('aaz')
        c.update({'b': 5})
        c.update(q=2)
        r.append(repr(c))
        c.subtract('aaaaaaaaa')
        r.append(repr(c))
        d = m.Counter(a=3, b=1)
        e = m.Counter(a=1, b=2, c=-1)
        r.append((repr(d + e), repr(d - e), repr(d | e), repr(d & e), repr(+e), repr(-e)))
        r.append((d == m.Counter(b=1, a=3), d == m.Counter(a=3, b=1, c=0), d != e,
                  d <= m.Counter(a=5, b=1), d < d, d >= e, d == {'a': 3, 'b': 1}))
        f = m.Counter(a=3, b=1)
        f += m.Counter(a=-5, c=2)
        r.append(repr(f))
        f -= m.Counter(c=1)
        r.append(repr(f))
        del f['nothere']
        del f['c']
        r.append(repr(f))
        r.append(repr(m.Counter()))
        r.append(repr(m.Counter({'x': 2, 'y': 5})))
        r.append(repr(m.Counter([1, 1, 2]).copy()))
        g = m.Counter()
        for w in 'the cat the dog the end'.split():
            g[w] += 1
        r.append(repr(g))
        r.append(isinstance(g, dict))
        return r
    check('collections Counter', counter(co), counter(cc))
    check('collections Counter fromkeys', outcome(lambda: co.Counter.fromkeys('ab')),
          outcome(lambda: cc.Counter.fromkeys('ab')))

    def od(m):
        r = []
        d = m.OrderedDict()
        d['b'] = 1
        d['a'] = 2
        d['c'] = 3
        r.append(repr(d))
        d.move_to_end('b')
        r.append(list(d))
        d.move_to_end('c', last=False)
        r.append(list(d.items()))
        r.append(d.popitem())
        r.append(d.popitem(last=False))
        r.append(repr(d))
        r.append(repr(m.OrderedDict()))
        e = m.OrderedDict([(1, 1), (2, 2)])
        f = m.OrderedDict([(2, 2), (1, 1)])
        r.append((e == f, e == dict(f), dict(e) == f, e != f))
        r.append(list(reversed(e)))
        r.append(repr(m.OrderedDict.fromkeys('abc', 0)))
        r.append(repr(e.copy()))
        r.append(repr(e | {3: 3}))
        return r
    check('collections OrderedDict', od(co), od(cc))
    check('collections OrderedDict popitem empty', outcome(lambda: co.OrderedDict().popitem()),
          outcome(lambda: cc.OrderedDict().popitem()))
    check('collections OrderedDict move missing',
          outcome(lambda: co.OrderedDict().move_to_end('x')),
          outcome(lambda: cc.OrderedDict().move_to_end('x')))

    def cm(m):
        a = {'x': 1, 'y': 2}
        b = {'y': 20, 'z': 30}
        c = m.ChainMap(a, b)
        r = [c['x'], c['y'], c['z'], len(c), sorted(c), 'z' in c, c.get('q', 0), repr(c)]
        c['w'] = 5
        r.append(a)
        ch = c.new_child()
        ch['x'] = 100
        r.append((ch['x'], c['x'], repr(ch.parents)))
        r.append(list(c.items()))
        return r
    check('collections ChainMap', cm(co), cm(cc))


def test_os():
    import tempfile
    lo = LIB['os']
    lp = LIB['posixpath']
    cp = c_posixpath
    paths = ['', '/', '//', '///', 'a', 'a/', '/a', 'a/b', 'a//b', 'a/b/', '/a/b/c.txt',
             'a/./b/../c', '../x', '../../a/..', '/..', '/../a', '.', './', 'a/..', 'x.tar.gz',
             '.bashrc', 'a/.b', 'a/..b', 'a.b/c', '...', 'a.', '//a//b//', '/a/b/..',
             'foo/bar/../../../baz', '///a/./b']
    for fn in ['split', 'splitext', 'basename', 'dirname', 'normpath', 'isabs', 'splitdrive',
               'normcase', 'abspath']:
        check('posixpath ' + fn, [outcome(getattr(lp, fn), x) for x in paths],
              [outcome(getattr(cp, fn), x) for x in paths])
    joins = [('a', 'b'), ('a/', 'b'), ('a', '/b'), ('', 'b'), ('a', ''), ('a', 'b', 'c'),
             ('/', 'x', '/y', 'z'), ('a',), ('', ''), ('a//', 'b//')]
    check('posixpath join', [lp.join(*j) for j in joins], [cp.join(*j) for j in joins])
    check('posixpath join type', outcome(lp.join, 'a', 5)[:2], outcome(cp.join, 'a', 5)[:2])
    check('posixpath commonprefix', [lp.commonprefix(x) for x in [[], ['abc', 'abd'], ['a/b', 'a/b/c']]],
          [cp.commonprefix(x) for x in [[], ['abc', 'abd'], ['a/b', 'a/b/c']]])
    rels = [('/a/b/c', '/a'), ('/a', '/a/b/c'), ('a/b', 'a'), ('x', 'x'), ('/', '/a')]
    check('posixpath relpath', [lp.relpath(*r) for r in rels], [cp.relpath(*r) for r in rels])
    check('posixpath expanduser', [lp.expanduser(x) for x in ['~', '~/a', 'a~', '~x']],
          [cp.expanduser(x) for x in ['~', '~/a', 'a~', '~x']])
    with tempfile.TemporaryDirectory() as d:
        f = os.path.join(d, 'file.txt')
        with open(f, 'w') as fh:
            fh.write('hello')
        sub = os.path.join(d, 'sub')
        probes = [d, f, sub, os.path.join(d, 'nope'), '']
        lo.mkdir(sub)
        for fn in ['exists', 'isfile', 'isdir']:
            check('os.path ' + fn, [getattr(lo.path, fn)(x) for x in probes],
                  [getattr(cp, fn)(x) for x in probes])
        check('os.path getsize', lo.path.getsize(f), cp.getsize(f))
        check('os.path getmtime', lo.path.getmtime(f), cp.getmtime(f))
        check('os listdir', sorted(lo.listdir(d)), sorted(os.listdir(d)))
        st = lo.stat(f)
        check('os stat', (st.st_size, st[6], tuple(st)), (os.stat(f).st_size, os.stat(f)[6], tuple(os.stat(f))))
        lo.makedirs(os.path.join(d, 'p', 'q', 'r'))
        lo.makedirs(os.path.join(d, 'p', 'q'), exist_ok=True)
        check('os makedirs', os.path.isdir(os.path.join(d, 'p', 'q', 'r')), True)
        check('os makedirs exists', outcome(lo.makedirs, os.path.join(d, 'p'))[:2],
              ('raised', 'FileExistsError'))
        lo.rename(f, f + '2')
        lo.remove(f + '2')
        lo.rmdir(sub)
        check('os remove/rename/rmdir', sorted(lo.listdir(d)), ['p'])
    check('os getenv', (lo.getenv('HOME'), lo.getenv('NO_SUCH_VAR_X'), lo.getenv('NO_SUCH', 3)),
          (os.getenv('HOME'), None, 3))
    check('os constants', (lo.sep, lo.linesep, lo.name, lo.curdir, lo.pardir, lo.pathsep),
          (os.sep, os.linesep, os.name, os.curdir, os.pardir, os.pathsep))
    check('os getcwd getpid', (lo.getcwd(), lo.getpid()), (os.getcwd(), os.getpid()))
    check('os.path is posixpath', lo.path is lp, True)


def main():
    tests = [(n, f) for n, f in sorted(globals().items()) if n.startswith('test_')]
    only = [a for a in sys.argv[1:] if not a.startswith('-')]
    for n, f in tests:
        if only and n[5:] not in only:
            continue
        try:
            f()
        except Exception as e:
            global failed
            failed += 1
            import traceback
            print('FAIL', n, 'crashed:')
            traceback.print_exc()
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
