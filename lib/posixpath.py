"""Common operations on POSIX pathnames (CPython 3.11's posixpath for str paths; os.path).

Pure Python except exists/isfile/isdir/getsize/abspath, which ask the native `_os` module
(src/vm/mod_os.c).  bytes paths and os.PathLike objects are not supported.
"""

import _os

curdir = '.'
pardir = '..'
extsep = '.'
sep = '/'
pathsep = ':'
defpath = '/bin:/usr/bin'
altsep = None
devnull = '/dev/null'

_S_IFMT = 0o170000
_S_IFDIR = 0o040000
_S_IFREG = 0o100000
_S_IFLNK = 0o120000


def _check(name, p):
    if not isinstance(p, str):
        raise TypeError('%s() argument must be str, not %s' % (name, type(p).__name__))


def normcase(s):
    _check('normcase', s)
    return s


def isabs(s):
    _check('isabs', s)
    return s.startswith('/')


def join(a, *p):
    """Join two or more pathname components, inserting '/' as needed."""
    for x in (a,) + p:
        if not isinstance(x, str):
            raise TypeError('join() argument must be str, bytes, or os.PathLike object, '
                            'not %r' % type(x).__name__)
    path = a
    for b in p:
        if b.startswith('/'):
            path = b
        elif not path or path.endswith('/'):
            path += b
        else:
            path += '/' + b
    return path


def split(p):
    """Split a pathname into (head, tail): tail is everything after the final slash."""
    _check('split', p)
    i = p.rfind('/') + 1
    head, tail = p[:i], p[i:]
    if head and head != '/' * len(head):
        head = head.rstrip('/')
    return head, tail


def splitext(p):
    """Split the extension from a pathname: (root, ext), root + ext == p."""
    _check('splitext', p)
    sep_index = p.rfind('/')
    dot_index = p.rfind('.')
    if dot_index > sep_index:
        # skip all leading dots
        filename_index = sep_index + 1
        while filename_index < dot_index:
            if p[filename_index] != '.':
                return p[:dot_index], p[dot_index:]
            filename_index += 1
    return p, ''


def splitdrive(p):
    _check('splitdrive', p)
    return p[:0], p


def basename(p):
    """Returns the final component of a pathname."""
    _check('basename', p)
    i = p.rfind('/') + 1
    return p[i:]


def dirname(p):
    """Returns the directory component of a pathname."""
    _check('dirname', p)
    i = p.rfind('/') + 1
    head = p[:i]
    if head and head != '/' * len(head):
        head = head.rstrip('/')
    return head


def normpath(path):
    """Normalize path, eliminating double slashes, etc."""
    _check('normpath', path)
    if path == '':
        return '.'
    initial_slashes = 1 if path.startswith('/') else 0
    # POSIX allows one or two initial slashes, but treats three or more as single slash.
    if initial_slashes and path.startswith('//') and not path.startswith('///'):
        initial_slashes = 2
    comps = path.split('/')
    new_comps = []
    for comp in comps:
        if comp in ('', '.'):
            continue
        if (comp != '..' or (not initial_slashes and not new_comps) or
                (new_comps and new_comps[-1] == '..')):
            new_comps.append(comp)
        elif new_comps:
            new_comps.pop()
    path = '/'.join(new_comps)
    if initial_slashes:
        path = '/' * initial_slashes + path
    return path or '.'


def abspath(path):
    """Return an absolute path."""
    _check('abspath', path)
    if not path.startswith('/'):
        path = join(_os.getcwd(), path)
    return normpath(path)


def relpath(path, start=None):
    """Return a relative version of a path."""
    if not path:
        raise ValueError('no path specified')
    if start is None:
        start = curdir
    start_list = [x for x in abspath(start).split('/') if x]
    path_list = [x for x in abspath(path).split('/') if x]
    i = len(commonprefix([start_list, path_list]))
    rel_list = [pardir] * (len(start_list) - i) + path_list[i:]
    if not rel_list:
        return curdir
    return join(*rel_list)


def commonprefix(m):
    """Given a list of pathnames, returns the longest common leading component."""
    if not m:
        return ''
    s1 = min(m)
    s2 = max(m)
    for i in range(len(s1)):
        if s1[i] != s2[i]:
            return s1[:i]
    return s1


def expanduser(path):
    """Expand ~ to the home directory (from $HOME)."""
    _check('expanduser', path)
    if not path.startswith('~'):
        return path
    i = path.find('/', 1)
    if i < 0:
        i = len(path)
    if i != 1:
        return path      # ~user: not supported
    userhome = _os.environ.get('HOME')
    if userhome is None:
        return path
    userhome = userhome.rstrip('/')
    return (userhome + path[i:]) or '/'


def _stat_mode(path):
    try:
        return _os.stat(path)[0]
    except (OSError, ValueError):
        return None


def exists(path):
    """Test whether a path exists.  Returns False for broken symbolic links."""
    return _stat_mode(path) is not None


def isfile(path):
    """Test whether a path is a regular file."""
    mode = _stat_mode(path)
    return mode is not None and (mode & _S_IFMT) == _S_IFREG


def isdir(s):
    """Return true if the pathname refers to an existing directory."""
    mode = _stat_mode(s)
    return mode is not None and (mode & _S_IFMT) == _S_IFDIR


def getsize(filename):
    """Return the size of a file, reported by os.stat()."""
    return _os.stat(filename)[6]


def getmtime(filename):
    """Return the last modification time of a file, reported by os.stat()."""
    return _os.stat(filename)[8]
