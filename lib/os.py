"""Operating-system interface (a small part of CPython 3.11's os) over the native `_os` module.

os.path is lib/posixpath.py.  Native functions (src/vm/mod_os.c): getcwd, listdir, remove
(= unlink), getpid, stat, mkdir, rmdir, rename, urandom, and `environ` (a dict built when the
interpreter starts).  Changes to os.environ are not passed to the process environment.
File names and environment strings that are not valid UTF-8 get '?' for each bad byte
(CPython uses surrogateescape).  OSError subclasses come from the builtins when defined.
"""

import _os
import posixpath as path
from posixpath import curdir, pardir, sep, extsep, altsep, pathsep, defpath, devnull

name = 'posix'
linesep = '\n'
error = OSError

environ = _os.environ
getcwd = _os.getcwd
getpid = _os.getpid
remove = _os.remove
unlink = _os.remove
rmdir = _os.rmdir
rename = _os.rename
urandom = _os.urandom

try:
    import sys as _sys
    _sys.modules['os.path'] = path
except (ImportError, AttributeError, TypeError):
    pass


def getenv(key, default=None):
    """Get an environment variable, return None (or default) if it doesn't exist."""
    return environ.get(key, default)


def listdir(path='.'):
    """Return a list containing the names of the files in the directory (no order)."""
    return _os.listdir(path)


def mkdir(path, mode=0o777):
    _os.mkdir(path, mode)


def makedirs(name, mode=0o777, exist_ok=False):
    """makedirs(name [, mode=0o777][, exist_ok=False]): mkdir, creating parents as needed."""
    head, tail = path.split(name)
    if not tail:
        head, tail = path.split(head)
    if head and tail and not path.exists(head):
        try:
            makedirs(head, exist_ok=exist_ok)
        except OSError:
            # another thread or process may have created it meanwhile
            if not path.isdir(head):
                raise
        if tail == curdir:
            return
    try:
        _os.mkdir(name, mode)
    except OSError:
        if not exist_ok or not path.isdir(name):
            raise


class stat_result:
    """Result of os.stat(): st_mode, st_ino, st_dev, st_nlink, st_uid, st_gid, st_size,
    st_atime, st_mtime, st_ctime; indexable like CPython's (integer times at [7:10])."""

    def __init__(self, t):
        (self.st_mode, self.st_ino, self.st_dev, self.st_nlink, self.st_uid, self.st_gid,
         self.st_size, self.st_atime, self.st_mtime, self.st_ctime) = t
        self._t = t[:7] + (int(t[7]), int(t[8]), int(t[9]))

    def __getitem__(self, i):
        return self._t[i]

    def __len__(self):
        return 10

    def __iter__(self):
        return iter(self._t)

    def __repr__(self):
        return ('os.stat_result(st_mode=%d, st_ino=%d, st_dev=%d, st_nlink=%d, st_uid=%d, '
                'st_gid=%d, st_size=%d, st_atime=%d, st_mtime=%d, st_ctime=%d)' % self._t)


def stat(path):
    """Perform a stat system call on the given path."""
    return stat_result(_os.stat(path))


def fspath(path):
    if isinstance(path, (str, bytes)):
        return path
    f = getattr(type(path), '__fspath__', None)
    if f is None:
        raise TypeError('expected str, bytes or os.PathLike object, not %s'
                        % type(path).__name__)
    return f(path)


def cpu_count():
    return _os.cpu_count()
