"""Container datatypes: CPython 3.11's collections for stmvm (pure Python).

deque (a list with a moving head: O(1) amortized at both ends), defaultdict, namedtuple (built
with type(), no exec), Counter, OrderedDict, ChainMap.
defaultdict and Counter define __getitem__ themselves (calling __missing__), so they do not
depend on the interpreter's dict looking up __missing__.
Not provided: pickling hooks, recursive-repr guards, 'deque mutated during iteration' checks,
UserDict/UserList/UserString, collections.abc.
"""

__all__ = ['ChainMap', 'Counter', 'OrderedDict', 'defaultdict', 'deque', 'namedtuple']


def _index_arg(i):
    if isinstance(i, int):
        return i
    f = getattr(type(i), '__index__', None)
    if f is None:
        raise TypeError('sequence index must be integer, not %r' % type(i).__name__)
    return f(i)


# ------------------------------------------------------------------------------------ deque

class deque:
    """deque([iterable[, maxlen]]) --> deque object"""

    def __init__(self, iterable=(), maxlen=None):
        if maxlen is not None:
            if not isinstance(maxlen, int):
                raise TypeError("an integer is required")
            if maxlen < 0:
                raise ValueError('maxlen must be non-negative')
        self._d = []          # items are self._d[self._h:]
        self._h = 0
        self._maxlen = maxlen
        self.extend(iterable)

    @property
    def maxlen(self):
        return self._maxlen

    def _items(self):
        return self._d[self._h:] if self._h else self._d

    def _set(self, items):
        self._d = items
        self._h = 0

    def __len__(self):
        return len(self._d) - self._h

    def __bool__(self):
        return len(self._d) > self._h

    def __iter__(self):
        return iter(self._items())

    def __reversed__(self):
        items = self._items()
        return iter(items[::-1])

    def __contains__(self, x):
        return x in self._items()

    def append(self, x):
        self._d.append(x)
        if self._maxlen is not None and len(self._d) - self._h > self._maxlen:
            self.popleft()

    def appendleft(self, x):
        if self._h == 0:
            pad = len(self._d) + 8
            self._d = [None] * pad + self._d
            self._h = pad
        self._h -= 1
        self._d[self._h] = x
        if self._maxlen is not None and len(self._d) - self._h > self._maxlen:
            self._d.pop()

    def pop(self):
        if len(self._d) <= self._h:
            raise IndexError('pop from an empty deque')
        x = self._d.pop()
        if len(self._d) == self._h:
            self._set([])
        return x

    def popleft(self):
        h = self._h
        d = self._d
        if len(d) <= h:
            raise IndexError('pop from an empty deque')
        x = d[h]
        d[h] = None
        h += 1
        if h * 2 >= len(d) and h > 16:
            self._set(d[h:])
        elif h == len(d):
            self._set([])
        else:
            self._h = h
        return x

    def extend(self, iterable):
        if iterable is self:
            iterable = list(self._items())
        for x in iterable:
            self.append(x)

    def extendleft(self, iterable):
        if iterable is self:
            iterable = list(self._items())
        for x in iterable:
            self.appendleft(x)

    def clear(self):
        self._set([])

    def copy(self):
        return type(self)(self._items(), self._maxlen)

    __copy__ = copy

    def count(self, x):
        return self._items().count(x)

    def index(self, x, start=0, stop=None):
        items = self._items()
        n = len(items)
        if stop is None:
            stop = n
        if start < 0:
            start = max(start + n, 0)
        if stop < 0:
            stop = max(stop + n, 0)
        for i in range(start, min(stop, n)):
            if items[i] == x:
                return i
        raise ValueError('%r is not in deque' % (x,))

    def insert(self, i, x):
        if self._maxlen is not None and len(self) >= self._maxlen:
            raise IndexError('deque already at its maximum size')
        items = list(self._items())
        items.insert(i, x)
        self._set(items)

    def remove(self, value):
        items = self._items()
        for i in range(len(items)):
            if items[i] == value:
                items = list(items)
                del items[i]
                self._set(items)
                return
        raise ValueError('%r is not in deque' % (value,))

    def reverse(self):
        self._set(self._items()[::-1])

    def rotate(self, n=1):
        size = len(self)
        if size > 1:
            n = n % size
            if n:
                items = self._items()
                self._set(items[-n:] + items[:-n])

    def __getitem__(self, i):
        if isinstance(i, slice):
            raise TypeError("sequence index must be integer, not 'slice'")
        i = _index_arg(i)
        n = len(self)
        if i < 0:
            i += n
        if i < 0 or i >= n:
            raise IndexError('deque index out of range')
        return self._d[self._h + i]

    def __setitem__(self, i, x):
        i = _index_arg(i)
        n = len(self)
        if i < 0:
            i += n
        if i < 0 or i >= n:
            raise IndexError('deque index out of range')
        self._d[self._h + i] = x

    def __delitem__(self, i):
        i = _index_arg(i)
        n = len(self)
        if i < 0:
            i += n
        if i < 0 or i >= n:
            raise IndexError('deque index out of range')
        items = list(self._items())
        del items[i]
        self._set(items)

    def __repr__(self):
        name = type(self).__name__
        if self._maxlen is None:
            return '%s(%r)' % (name, list(self._items()))
        return '%s(%r, maxlen=%d)' % (name, list(self._items()), self._maxlen)

    def __eq__(self, other):
        if not isinstance(other, deque):
            return NotImplemented
        return self._items() == other._items()

    def __ne__(self, other):
        if not isinstance(other, deque):
            return NotImplemented
        return self._items() != other._items()

    def __lt__(self, other):
        if not isinstance(other, deque):
            return NotImplemented
        return self._items() < other._items()

    def __le__(self, other):
        if not isinstance(other, deque):
            return NotImplemented
        return self._items() <= other._items()

    def __gt__(self, other):
        if not isinstance(other, deque):
            return NotImplemented
        return self._items() > other._items()

    def __ge__(self, other):
        if not isinstance(other, deque):
            return NotImplemented
        return self._items() >= other._items()

    def __hash__(self):
        raise TypeError("unhashable type: 'collections.deque'")

    def __add__(self, other):
        if not isinstance(other, deque):
            raise TypeError('can only concatenate deque (not "%s") to deque'
                            % type(other).__name__)
        new = self.copy()
        new.extend(other)
        return new

    def __iadd__(self, other):
        self.extend(other)
        return self

    def __mul__(self, n):
        new = self.copy()
        new *= n
        return new

    __rmul__ = __mul__

    def __imul__(self, n):
        items = self._items()
        if n <= 0:
            self._set([])
        elif n > 1:
            if self._maxlen is not None:
                self._set([])
                for k in range(n):
                    self.extend(items)
            else:
                self._set(items * n)
        return self


# ------------------------------------------------------------------------------ defaultdict

class defaultdict(dict):
    """defaultdict(default_factory=None, /, [...]) --> dict with default factory"""

    def __init__(self, *args, **kwargs):
        default_factory = None
        if args:
            default_factory = args[0]
            args = args[1:]
        if default_factory is not None and not callable(default_factory):
            raise TypeError('first argument must be callable or None')
        self.default_factory = default_factory
        dict.__init__(self, *args, **kwargs)

    def __getitem__(self, key):
        try:
            return dict.__getitem__(self, key)
        except KeyError:
            return self.__missing__(key)

    def __missing__(self, key):
        if self.default_factory is None:
            raise KeyError(key)
        value = self.default_factory()
        self[key] = value
        return value

    def __repr__(self):
        return '%s(%r, %s)' % (type(self).__name__, self.default_factory, dict.__repr__(self))

    def copy(self):
        return type(self)(self.default_factory, self)

    __copy__ = copy

    def __or__(self, other):
        if not isinstance(other, dict):
            return NotImplemented
        new = self.copy()
        new.update(other)
        return new

    def __ror__(self, other):
        if not isinstance(other, dict):
            return NotImplemented
        new = type(self)(self.default_factory, other)
        new.update(self)
        return new


# ------------------------------------------------------------------------------ OrderedDict

class OrderedDict(dict):
    """Dictionary that remembers insertion order (and can reorder: move_to_end)."""

    def move_to_end(self, key, last=True):
        value = dict.pop(self, key)
        if last:
            dict.__setitem__(self, key, value)
        else:
            rest = list(dict.items(self))
            dict.clear(self)
            dict.__setitem__(self, key, value)
            for k, v in rest:
                dict.__setitem__(self, k, v)

    def popitem(self, last=True):
        if not self:
            raise KeyError('dictionary is empty')
        if last:
            return dict.popitem(self)
        key = next(iter(self))
        value = dict.pop(self, key)
        return key, value

    def __repr__(self):
        if not self:
            return '%s()' % (type(self).__name__,)
        return '%s(%r)' % (type(self).__name__, list(self.items()))

    def __eq__(self, other):
        if isinstance(other, OrderedDict):
            return dict.__eq__(self, other) and list(self) == list(other)
        return dict.__eq__(self, other)

    def __ne__(self, other):
        result = self.__eq__(other)
        if result is NotImplemented:
            return result
        return not result

    __hash__ = None

    def __reversed__(self):
        return iter(list(self)[::-1])

    def copy(self):
        return type(self)(self)

    __copy__ = copy

    @classmethod
    def fromkeys(cls, iterable, value=None):
        d = cls()
        for k in iterable:
            d[k] = value
        return d

    def __or__(self, other):
        if not isinstance(other, dict):
            return NotImplemented
        new = type(self)(self)
        new.update(other)
        return new

    def __ror__(self, other):
        if not isinstance(other, dict):
            return NotImplemented
        new = type(self)(other)
        new.update(self)
        return new


# ---------------------------------------------------------------------------------- Counter

def _is_mapping(x):
    return isinstance(x, dict) or (hasattr(x, 'keys') and hasattr(x, '__getitem__')
                                   and hasattr(x, 'items'))


def _count_key(item):
    return item[1]


class Counter(dict):
    """Dict subclass for counting hashable items."""

    def __init__(self, iterable=None, **kwds):
        dict.__init__(self)
        self.update(iterable, **kwds)

    def __getitem__(self, key):
        try:
            return dict.__getitem__(self, key)
        except KeyError:
            return self.__missing__(key)

    def __missing__(self, key):
        return 0

    def total(self):
        return sum(self.values())

    def most_common(self, n=None):
        items = sorted(self.items(), key=_count_key, reverse=True)
        if n is None:
            return items
        return items[:max(n, 0)]

    def elements(self):
        for elem, count in self.items():
            for i in range(count):
                yield elem

    @classmethod
    def fromkeys(cls, iterable, v=None):
        raise NotImplementedError(
            'Counter.fromkeys() is undefined.  Use Counter(iterable) instead.')

    def update(self, iterable=None, **kwds):
        if iterable is not None:
            if _is_mapping(iterable):
                if self:
                    for elem, count in iterable.items():
                        self[elem] = count + dict.get(self, elem, 0)
                else:
                    dict.update(self, iterable)
            else:
                for elem in iterable:
                    self[elem] = dict.get(self, elem, 0) + 1
        if kwds:
            self.update(kwds)

    def subtract(self, iterable=None, **kwds):
        if iterable is not None:
            if _is_mapping(iterable):
                for elem, count in iterable.items():
                    self[elem] = dict.get(self, elem, 0) - count
            else:
                for elem in iterable:
                    self[elem] = dict.get(self, elem, 0) - 1
        if kwds:
            self.subtract(kwds)

    def copy(self):
        return type(self)(self)

    __copy__ = copy

    def __delitem__(self, elem):
        if elem in self:
            dict.__delitem__(self, elem)

    def __repr__(self):
        if not self:
            return '%s()' % type(self).__name__
        try:
            d = dict(self.most_common())
        except TypeError:
            d = dict(self)
        return '%s(%r)' % (type(self).__name__, d)

    def __eq__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        for c in (self, other):
            for e in c:
                if not self[e] == other[e]:
                    return False
        return True

    def __ne__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return not self == other

    def __le__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        for c in (self, other):
            for e in c:
                if not self[e] <= other[e]:
                    return False
        return True

    def __lt__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return self <= other and self != other

    def __ge__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        for c in (self, other):
            for e in c:
                if not self[e] >= other[e]:
                    return False
        return True

    def __gt__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        return self >= other and self != other

    __hash__ = None

    def __add__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for elem, count in self.items():
            newcount = count + other[elem]
            if newcount > 0:
                result[elem] = newcount
        for elem, count in other.items():
            if elem not in self and count > 0:
                result[elem] = count
        return result

    def __sub__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for elem, count in self.items():
            newcount = count - other[elem]
            if newcount > 0:
                result[elem] = newcount
        for elem, count in other.items():
            if elem not in self and count < 0:
                result[elem] = 0 - count
        return result

    def __or__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for elem, count in self.items():
            other_count = other[elem]
            newcount = other_count if count < other_count else count
            if newcount > 0:
                result[elem] = newcount
        for elem, count in other.items():
            if elem not in self and count > 0:
                result[elem] = count
        return result

    def __and__(self, other):
        if not isinstance(other, Counter):
            return NotImplemented
        result = Counter()
        for elem, count in self.items():
            other_count = other[elem]
            newcount = count if count < other_count else other_count
            if newcount > 0:
                result[elem] = newcount
        return result

    def __pos__(self):
        result = Counter()
        for elem, count in self.items():
            if count > 0:
                result[elem] = count
        return result

    def __neg__(self):
        result = Counter()
        for elem, count in self.items():
            if count < 0:
                result[elem] = 0 - count
        return result

    def _keep_positive(self):
        nonpositive = [elem for elem, count in self.items() if not count > 0]
        for elem in nonpositive:
            dict.__delitem__(self, elem)
        return self

    def __iadd__(self, other):
        for elem, count in other.items():
            self[elem] += count
        return self._keep_positive()

    def __isub__(self, other):
        for elem, count in other.items():
            self[elem] -= count
        return self._keep_positive()

    def __ior__(self, other):
        for elem, other_count in other.items():
            count = self[elem]
            if other_count > count:
                self[elem] = other_count
        return self._keep_positive()

    def __iand__(self, other):
        for elem, count in self.items():
            other_count = other[elem]
            if other_count < count:
                self[elem] = other_count
        return self._keep_positive()


# -------------------------------------------------------------------------------- namedtuple

_KEYWORDS = frozenset([
    'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class',
    'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global',
    'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return',
    'try', 'while', 'with', 'yield'])


def _isidentifier(name):
    if not name or not (name[0] == '_' or name[0].isalpha()):
        return False
    for c in name:
        if not (c == '_' or c.isalnum()):
            return False
    return True


class _TupleGetter:
    """Read-only field of a named tuple (CPython's _tuplegetter)."""

    def __init__(self, index):
        self.index = index
        self.__doc__ = 'Alias for field number %d' % index

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return obj[self.index]

    def __set__(self, obj, value):
        raise AttributeError("can't set attribute")

    def __delete__(self, obj):
        raise AttributeError("can't delete attribute")


def _field_getter(index):
    def get(self):
        return self[index]
    return get


def _plural_args(names):
    quoted = ["'%s'" % n for n in names]
    if len(quoted) == 1:
        return quoted[0]
    if len(quoted) == 2:
        return '%s and %s' % (quoted[0], quoted[1])
    return '%s, and %s' % (', '.join(quoted[:-1]), quoted[-1])


def namedtuple(typename, field_names, *, rename=False, defaults=None, module=None):
    """Returns a new subclass of tuple with named fields."""
    if isinstance(field_names, str):
        field_names = field_names.replace(',', ' ').split()
    field_names = list(map(str, field_names))
    typename = str(typename)
    if rename:
        seen = set()
        for index in range(len(field_names)):
            name = field_names[index]
            if (not _isidentifier(name) or name in _KEYWORDS or name.startswith('_')
                    or name in seen):
                field_names[index] = '_%d' % index
            seen.add(name)
    for name in [typename] + field_names:
        if type(name) is not str:
            raise TypeError('Type names and field names must be strings')
        if not _isidentifier(name):
            raise ValueError('Type names and field names must be valid identifiers: %r' % name)
        if name in _KEYWORDS:
            raise ValueError('Type names and field names cannot be a keyword: %r' % name)
    seen = set()
    for name in field_names:
        if name.startswith('_') and not rename:
            raise ValueError('Field names cannot start with an underscore: %r' % name)
        if name in seen:
            raise ValueError('Encountered duplicate field name: %r' % name)
        seen.add(name)

    field_defaults = {}
    if defaults is not None:
        defaults = tuple(defaults)
        if len(defaults) > len(field_names):
            raise TypeError('Got more default values than field names')
        field_defaults = dict(zip(field_names[len(field_names) - len(defaults):], defaults))

    field_names = tuple(field_names)
    num_fields = len(field_names)
    arg_list = ', '.join(field_names)
    qualname_new = typename + '.__new__'

    def __new__(cls, *args, **kwargs):
        if len(args) > num_fields:
            raise TypeError('%s() takes %d positional argument%s but %d were given'
                            % (qualname_new, num_fields + 1, '' if num_fields == 0 else 's',
                               len(args) + 1))
        values = list(args)
        if kwargs:
            for key in kwargs:
                if key not in field_names:
                    raise TypeError('%s() got an unexpected keyword argument %r'
                                    % (qualname_new, key))
                if field_names.index(key) < len(args):
                    raise TypeError('%s() got multiple values for argument %r'
                                    % (qualname_new, key))
        missing = []
        for i in range(len(args), num_fields):
            name = field_names[i]
            if name in kwargs:
                values.append(kwargs[name])
            elif name in field_defaults:
                values.append(field_defaults[name])
            else:
                missing.append(name)
        if missing:
            raise TypeError('%s() missing %d required positional argument%s: %s'
                            % (qualname_new, len(missing), '' if len(missing) == 1 else 's',
                               _plural_args(missing)))
        return tuple.__new__(cls, values)

    def _make(cls, iterable):
        result = tuple.__new__(cls, iterable)
        if len(result) != num_fields:
            raise TypeError('Expected %d arguments, got %d' % (num_fields, len(result)))
        return result

    def _replace(self, **kwds):
        values = []
        for name, value in zip(field_names, self):
            if name in kwds:
                values.append(kwds.pop(name))
            else:
                values.append(value)
        if kwds:
            raise ValueError('Got unexpected field names: %r' % list(kwds))
        return self._make(values)

    def __repr__(self):
        parts = ['%s=%r' % (name, value) for name, value in zip(field_names, self)]
        return '%s(%s)' % (self.__class__.__name__, ', '.join(parts))

    def _asdict(self):
        return dict(zip(self._fields, self))

    def __getnewargs__(self):
        return tuple(self)

    namespace = {
        '__doc__': '%s(%s)' % (typename, arg_list),
        '__slots__': (),
        '_fields': field_names,
        '_field_defaults': field_defaults,
        '__new__': staticmethod(__new__),
        '_make': classmethod(_make),
        '_replace': _replace,
        '__repr__': __repr__,
        '_asdict': _asdict,
        '__getnewargs__': __getnewargs__,
        '__match_args__': field_names,
        '__module__': module if module is not None else '__main__',
    }
    for index in range(num_fields):
        namespace[field_names[index]] = _TupleGetter(index)
    return type(typename, (tuple,), namespace)


# --------------------------------------------------------------------------------- ChainMap

class ChainMap:
    """A ChainMap groups multiple dicts (or other mappings) together to create a single,
    updateable view."""

    def __init__(self, *maps):
        self.maps = list(maps) or [{}]

    def __missing__(self, key):
        raise KeyError(key)

    def __getitem__(self, key):
        for mapping in self.maps:
            try:
                return mapping[key]
            except KeyError:
                pass
        return self.__missing__(key)

    def get(self, key, default=None):
        return self[key] if key in self else default

    def __len__(self):
        return len(set().union(*self.maps))

    def __iter__(self):
        d = {}
        for mapping in reversed(self.maps):
            for key in mapping:
                d[key] = None
        return iter(d)

    def __contains__(self, key):
        for m in self.maps:
            if key in m:
                return True
        return False

    def __bool__(self):
        for m in self.maps:
            if m:
                return True
        return False

    def __repr__(self):
        return '%s(%s)' % (type(self).__name__, ', '.join(map(repr, self.maps)))

    def keys(self):
        return list(self)

    def items(self):
        return [(k, self[k]) for k in self]

    def values(self):
        return [self[k] for k in self]

    def copy(self):
        return type(self)(self.maps[0].copy(), *self.maps[1:])

    __copy__ = copy

    def new_child(self, m=None, **kwargs):
        if m is None:
            m = kwargs
        elif kwargs:
            m.update(kwargs)
        return type(self)(m, *self.maps)

    @property
    def parents(self):
        return type(self)(*self.maps[1:])

    def __setitem__(self, key, value):
        self.maps[0][key] = value

    def __delitem__(self, key):
        try:
            del self.maps[0][key]
        except KeyError:
            raise KeyError('Key not found in the first mapping: %r' % (key,))

    def pop(self, key, *args):
        try:
            return self.maps[0].pop(key, *args)
        except KeyError:
            raise KeyError('Key not found in the first mapping: %r' % (key,))

    def clear(self):
        self.maps[0].clear()

    def __eq__(self, other):
        if isinstance(other, ChainMap):
            other = dict(other.items())
        return dict(self.items()) == other
