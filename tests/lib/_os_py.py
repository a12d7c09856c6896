"""Stand-in for stmvm's native `_os` module (src/vm/mod_os.c), for the CPython test harness."""
import os as _cos

environ = dict(_cos.environ)
getcwd = _cos.getcwd
listdir = _cos.listdir
remove = _cos.remove
getpid = _cos.getpid
mkdir = _cos.mkdir
rmdir = _cos.rmdir
rename = _cos.rename
urandom = _cos.urandom
cpu_count = _cos.cpu_count


def stat(path):
    s = _cos.stat(path)
    return (s.st_mode, s.st_ino, s.st_dev, s.st_nlink, s.st_uid, s.st_gid, s.st_size,
            s.st_atime, s.st_mtime, s.st_ctime)
