"""Iterator building blocks: CPython 3.11's itertools, as generators (stmvm, pure Python).

Results (and the order of results) match CPython's.  Arguments are checked and iter() is
called when the function is called, as CPython does; the iteration itself is a generator.
Not provided: repr of count/repeat, __copy__/__reduce__, tee of a tee sharing its buffer.
"""

__all__ = ['count', 'cycle', 'repeat', 'accumulate', 'chain', 'compress', 'dropwhile',
           'takewhile', 'filterfalse', 'groupby', 'islice', 'starmap', 'tee', 'zip_longest',
           'product', 'permutations', 'combinations', 'combinations_with_replacement',
           'pairwise']

_MAXSIZE = 9223372036854775807


def _count(n, step):
    while True:
        yield n
        n += step


def count(start=0, step=1):
    """count(10) --> 10 11 12 ...;  count(2.5, 0.5) --> 2.5 3.0 3.5 ..."""
    for x in (start, step):
        if not isinstance(x, (int, float, complex)):
            t = type(x)
            if not (hasattr(t, '__index__') or hasattr(t, '__int__') or hasattr(t, '__float__')):
                raise TypeError('a number is required')
    return _count(start, step)


def _cycle(it):
    saved = []
    for element in it:
        yield element
        saved.append(element)
    while saved:
        for element in saved:
            yield element


def cycle(iterable):
    """cycle('ABCD') --> A B C D A B C D A ..."""
    return _cycle(iter(iterable))


def _repeat(obj, times):
    if times is None:
        while True:
            yield obj
    else:
        for i in range(times):
            yield obj


def repeat(object, times=None):
    """repeat(10, 3) --> 10 10 10"""
    if times is not None:
        if not isinstance(times, int):
            raise TypeError("'%s' object cannot be interpreted as an integer"
                            % type(times).__name__)
        if times < 0:
            times = 0
    return _repeat(object, times)


def _accumulate(it, func, initial):
    total = initial
    if initial is None:
        try:
            total = next(it)
        except StopIteration:
            return
    yield total
    for element in it:
        total = total + element if func is None else func(total, element)
        yield total


def accumulate(iterable, func=None, *, initial=None):
    """accumulate([1,2,3,4,5]) --> 1 3 6 10 15"""
    return _accumulate(iter(iterable), func, initial)


def _chain(iterables):
    for it in iterables:
        for element in it:
            yield element


class chain:
    """chain('ABC', 'DEF') --> A B C D E F"""

    def __init__(self, *iterables):
        self._it = _chain(iterables)

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._it)

    @classmethod
    def from_iterable(cls, iterable):
        """chain.from_iterable(['ABC', 'DEF']) --> A B C D E F"""
        c = cls()
        c._it = _chain(iter(iterable))
        return c


def _compress(data, selectors):
    for d, s in zip(data, selectors):
        if s:
            yield d


def compress(data, selectors):
    """compress('ABCDEF', [1,0,1,0,1,1]) --> A C E F"""
    return _compress(iter(data), iter(selectors))


def _dropwhile(predicate, it):
    for x in it:
        if not predicate(x):
            yield x
            break
    for x in it:
        yield x


def dropwhile(predicate, iterable):
    """dropwhile(lambda x: x<5, [1,4,6,4,1]) --> 6 4 1"""
    return _dropwhile(predicate, iter(iterable))


def _takewhile(predicate, it):
    for x in it:
        if predicate(x):
            yield x
        else:
            break


def takewhile(predicate, iterable):
    """takewhile(lambda x: x<5, [1,4,6,4,1]) --> 1 4"""
    return _takewhile(predicate, iter(iterable))


def _filterfalse(predicate, it):
    if predicate is None:
        predicate = bool
    for x in it:
        if not predicate(x):
            yield x


def filterfalse(predicate, iterable):
    """filterfalse(lambda x: x%2, range(10)) --> 0 2 4 6 8"""
    return _filterfalse(predicate, iter(iterable))


_NULL = object()


def _groupby(it, keyfunc):
    # CPython's groupby object: st = [currkey, currvalue, tgtkey, token of the current group]
    st = [_NULL, _NULL, _NULL, None]

    def step():
        for value in it:
            st[0] = value if keyfunc is None else keyfunc(value)
            st[1] = value
            return True
        return False

    def grouper(tgtkey, token):
        while st[3] is token:
            if st[1] is _NULL and not step():
                return
            if not (tgtkey == st[0]):
                return
            value = st[1]
            st[1] = _NULL
            yield value

    while True:
        st[3] = None          # invalidates the previous group
        while True:
            if st[0] is _NULL:
                pass
            elif st[2] is _NULL or not (st[2] == st[0]):
                break
            if not step():
                return
        st[2] = st[0]
        token = []
        st[3] = token
        yield st[0], grouper(st[2], token)


def groupby(iterable, key=None):
    """[k for k, g in groupby('AAAABBBCCDAABBB')] --> A B C D A B"""
    return _groupby(iter(iterable), key)


def _islice_arg(x, msg):
    if x is None:
        return None
    if not isinstance(x, int) or x < 0 or x > _MAXSIZE:
        raise ValueError(msg)
    return x


def _islice(it, nxt, stop, step):
    # CPython's islice_next: consumes exactly the items it skips, up to stop
    cnt = 0
    while True:
        while cnt < nxt:
            try:
                next(it)
            except StopIteration:
                return
            cnt += 1
        if stop is not None and cnt >= stop:
            return
        try:
            item = next(it)
        except StopIteration:
            return
        cnt += 1
        nxt += step
        if stop is not None and nxt > stop:
            nxt = stop
        yield item


def islice(iterable, *args):
    """islice(iterable, stop) or islice(iterable, start, stop[, step])"""
    if len(args) == 1:
        start, stop, step = None, args[0], None
        stop = _islice_arg(stop, 'Stop argument for islice() must be None or an integer: '
                                 '0 <= x <= sys.maxsize.')
    elif 2 <= len(args) <= 3:
        start, stop = args[0], args[1]
        step = args[2] if len(args) == 3 else None
        msg = 'Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.'
        start = _islice_arg(start, msg)
        stop = _islice_arg(stop, msg)
    else:
        raise TypeError('islice expected at most 4 arguments, got %d' % (len(args) + 1)
                        if args else 'islice expected at least 2 arguments, got 1')
    if step is not None:
        if not isinstance(step, int) or step < 1:
            raise ValueError('Step for islice() must be a positive integer or None.')
    return _islice(iter(iterable), start or 0, stop, step or 1)


def _starmap(function, it):
    for args in it:
        yield function(*args)


def starmap(function, iterable):
    """starmap(pow, [(2,5), (3,2), (10,3)]) --> 32 9 1000"""
    return _starmap(function, iter(iterable))


def _tee_gen(it, node):
    # node: [value, next node or None]; the copies share the linked list
    while True:
        nxt = node[1]
        if nxt is None:
            try:
                value = next(it)
            except StopIteration:
                return
            if node[1] is None:
                node[1] = [value, None]
            nxt = node[1]
        node = nxt
        yield node[0]


def tee(iterable, n=2):
    """Returns a tuple of n independent iterators."""
    if not isinstance(n, int):
        raise TypeError("'%s' object cannot be interpreted as an integer" % type(n).__name__)
    if n < 0:
        raise ValueError('n must be >= 0')
    it = iter(iterable)
    head = [None, None]
    return tuple([_tee_gen(it, head) for i in range(n)])


def _zip_longest(iterators, fillvalue):
    num_active = len(iterators)
    if not num_active:
        return
    done = [False] * num_active
    while True:
        values = []
        for i in range(len(iterators)):
            if done[i]:
                values.append(fillvalue)
                continue
            try:
                value = next(iterators[i])
            except StopIteration:
                num_active -= 1
                if not num_active:
                    return
                done[i] = True
                value = fillvalue
            values.append(value)
        yield tuple(values)


def zip_longest(*args, fillvalue=None):
    """zip_longest('ABCD', 'xy', fillvalue='-') --> Ax By C- D-"""
    return _zip_longest([iter(it) for it in args], fillvalue)


def _product(pools):
    result = [[]]
    for pool in pools:
        result = [x + [y] for x in result for y in pool]
    for prod in result:
        yield tuple(prod)


def product(*iterables, repeat=1):
    """product('ABCD', 'xy') --> Ax Ay Bx By Cx Cy Dx Dy"""
    if not isinstance(repeat, int):
        raise TypeError("'%s' object cannot be interpreted as an integer" % type(repeat).__name__)
    if repeat < 0:
        raise ValueError('repeat argument cannot be negative')
    pools = [tuple(pool) for pool in iterables] * repeat
    return _product(pools)


def _permutations(pool, r):
    n = len(pool)
    if r > n:
        return
    indices = list(range(n))
    cycles = list(range(n, n - r, -1))
    yield tuple([pool[i] for i in indices[:r]])
    while n:
        for i in range(r - 1, -1, -1):
            cycles[i] -= 1
            if cycles[i] == 0:
                indices[i:] = indices[i + 1:] + indices[i:i + 1]
                cycles[i] = n - i
            else:
                j = cycles[i]
                indices[i], indices[-j] = indices[-j], indices[i]
                yield tuple([pool[i] for i in indices[:r]])
                break
        else:
            return


def permutations(iterable, r=None):
    """permutations('ABCD', 2) --> AB AC AD BA BC BD CA CB CD DA DB DC"""
    pool = tuple(iterable)
    if r is None:
        r = len(pool)
    elif not isinstance(r, int):
        raise TypeError('Expected int as r')
    if r < 0:
        raise ValueError('r must be non-negative')
    return _permutations(pool, r)


def _combinations(pool, r):
    n = len(pool)
    if r > n:
        return
    indices = list(range(r))
    yield tuple([pool[i] for i in indices])
    while True:
        for i in range(r - 1, -1, -1):
            if indices[i] != i + n - r:
                break
        else:
            return
        indices[i] += 1
        for j in range(i + 1, r):
            indices[j] = indices[j - 1] + 1
        yield tuple([pool[i] for i in indices])


def combinations(iterable, r):
    """combinations('ABCD', 2) --> AB AC AD BC BD CD"""
    if not isinstance(r, int):
        raise TypeError("'%s' object cannot be interpreted as an integer" % type(r).__name__)
    if r < 0:
        raise ValueError('r must be non-negative')
    return _combinations(tuple(iterable), r)


def _cwr(pool, r):
    n = len(pool)
    if not n and r:
        return
    indices = [0] * r
    yield tuple([pool[i] for i in indices])
    while True:
        for i in range(r - 1, -1, -1):
            if indices[i] != n - 1:
                break
        else:
            return
        indices[i:] = [indices[i] + 1] * (r - i)
        yield tuple([pool[i] for i in indices])


def combinations_with_replacement(iterable, r):
    """combinations_with_replacement('ABC', 2) --> AA AB AC BB BC CC"""
    if not isinstance(r, int):
        raise TypeError("'%s' object cannot be interpreted as an integer" % type(r).__name__)
    if r < 0:
        raise ValueError('r must be non-negative')
    return _cwr(tuple(iterable), r)


def _pairwise(it):
    try:
        a = next(it)
    except StopIteration:
        return
    for b in it:
        yield a, b
        a = b


def pairwise(iterable):
    """pairwise('ABCDEFG') --> AB BC CD DE EF FG"""
    return _pairwise(iter(iterable))
