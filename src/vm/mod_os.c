/* mod_os.c — module `_os`: the native part of lib/os.py (and of lib/posixpath.py).
 *
 *   environ                 dict str -> str, built from the process environment at start-up
 *   getcwd()                -> str
 *   listdir(path='.')       -> list of str (without '.' and '..'; directory order)
 *   stat(path)              -> (mode, ino, dev, nlink, uid, gid, size, atime, mtime, ctime),
 *                              times as floats (lib/os.py wraps it in os.stat_result)
 *   remove(path), rmdir(path), mkdir(path, mode=0o777), rename(src, dst)
 *   getpid() -> int,  urandom(n) -> bytes,  cpu_count() -> int or None
 *
 * Errors raise OSError(errno, strerror, filename), using the builtin subclass CPython would
 * (FileNotFoundError, FileExistsError, ...) when the builtins define it.  Functions that change
 * the file system make the transaction inevitable first, so that they never run twice.
 */
#include "vm.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

extern char **environ;

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */

static Value os_error(Thread *th, int err, Value filename) {
    const char *sub = NULL;
    switch (err) {
    case ENOENT: sub = "FileNotFoundError"; break;
    case EEXIST: sub = "FileExistsError"; break;
    case EISDIR: sub = "IsADirectoryError"; break;
    case ENOTDIR: sub = "NotADirectoryError"; break;
    case EACCES: case EPERM: sub = "PermissionError"; break;
    case EINTR: sub = "InterruptedError"; break;
    default: break;
    }
    Value type = vm.e_OSError;
    if (err == ENOENT) type = vm.e_FileNotFoundError;
    else if (sub) {
        Value name = vm_str_cstr(th, sub);
        Value found;
        if (name == NULL) return NULL;
        int r = vm_dict_get_str(th, vm.builtins, name, &found);
        if (r == 1) type = found;
        else if (r < 0) vm_exc_clear(th);
    }
    Value *ptype = ROOT(th, type);
    Value msg = vm_str_cstr(th, strerror(err));
    if (msg == NULL) { UNROOT(th, 1); return NULL; }
    Value args = filename ? vm_tuple_pack(th, 3, MK_SMALL(err), msg, filename)
                          : vm_tuple_pack(th, 2, MK_SMALL(err), msg);
    if (args == NULL) { UNROOT(th, 1); return NULL; }
    Value exc = vm_exc_new(th, *ptype, args);
    UNROOT(th, 1);
    if (exc == NULL) return NULL;
    return vm_raise_instance(th, exc);
}

/* The C string of a path argument (a str without NUL bytes), or NULL with TypeError /
   ValueError.  Valid until the next moving point. */
static const char *path_arg(Thread *th, const char *fname, Value v) {
    if (v == NULL || IS_SMALL(v) || vm_tid(v) != T_STR) {
        vm_raise(th, vm.e_TypeError, "%s: path should be string, not %s", fname,
                 v == NULL ? "None" : vm_type_name(th, v));
        return NULL;
    }
    const StrObj *s = STR(th, v);
    if (strlen(s->data) != (size_t)s->len) {
        vm_raise(th, vm.e_ValueError, "%s: embedded null character in path", fname);
        return NULL;
    }
    return s->data;
}

/* A str from bytes that should be UTF-8 (file names, environment): invalid bytes become '?'. */
static Value str_from_os(Thread *th, const char *p, size_t n) {
    size_t i = 0;
    char *copy = NULL;
    while (i < n) {
        unsigned char c = (unsigned char)p[i];
        size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        bool ok = len > 0 && i + len <= n;
        for (size_t k = 1; ok && k < len; k++) ok = ((unsigned char)p[i + k] >> 6) == 2;
        if (ok && len == 2 && c < 0xC2) ok = false;   /* overlong */
        if (!ok) {
            if (copy == NULL) {
                copy = malloc(n);
                if (copy == NULL) return vm_no_memory(th);
                memcpy(copy, p, n);
            }
            copy[i] = '?';
            len = 1;
        }
        i += len;
    }
    Value s = vm_str_new(th, copy ? copy : p, n);
    free(copy);
    return s;
}

/* ------------------------------------------------------------------------------------------ */
/* Functions                                                                                   */

static Value os_getcwd(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "getcwd", nargs, kwnames, 0, 0) < 0) return NULL;
    size_t cap = 256;
    for (;;) {
        char *buf = malloc(cap);
        if (buf == NULL) return vm_no_memory(th);
        if (getcwd(buf, cap) != NULL) {
            Value s = str_from_os(th, buf, strlen(buf));
            free(buf);
            return s;
        }
        int err = errno;
        free(buf);
        if (err != ERANGE) return os_error(th, err, NULL);
        cap *= 2;
    }
}

static Value os_listdir(Thread *th, Value *args, int nargs, Value kwnames) {
    static const char *const names[] = {"path", NULL};
    Value a[1];
    if (vm_parse_args(th, "listdir", args, nargs, kwnames, names, 0, a) < 0) return NULL;
    Value pathv = a[0] && a[0] != vm.None ? a[0] : NULL;
    Value *ppath = ROOT(th, pathv);
    const char *path = pathv ? path_arg(th, "listdir", pathv) : ".";
    if (path == NULL) { UNROOT(th, 1); return NULL; }
    DIR *d = opendir(path);
    if (d == NULL) {
        Value r = os_error(th, errno, pathv ? *ppath : NULL);
        UNROOT(th, 1);
        return r;
    }
    Value *plist = ROOT(th, vm_list_new(th, 0));
    if (*plist == NULL) { closedir(d); UNROOT(th, 2); return NULL; }
    struct dirent *e;
    for (;;) {
        errno = 0;
        e = readdir(d);
        if (e == NULL) break;
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        Value s = str_from_os(th, e->d_name, strlen(e->d_name));
        if (s == NULL || vm_list_append(th, *plist, s) < 0) { closedir(d); UNROOT(th, 2); return NULL; }
    }
    int err = errno;
    closedir(d);
    Value r = *plist;
    if (err) r = os_error(th, err, *ppath);
    UNROOT(th, 2);
    return r;
}

static double ts_double(struct timespec ts) { return (double)ts.tv_sec + ts.tv_nsec * 1e-9; }

static Value os_stat(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "stat", nargs, kwnames, 1, 1) < 0) return NULL;
    const char *path = path_arg(th, "stat", args[0]);
    if (path == NULL) return NULL;
    struct stat st;
    if (stat(path, &st) != 0) return os_error(th, errno, args[0]);
    size_t mark = ROOTS_MARK(th);
    int64_t ints[7] = {(int64_t)st.st_mode, (int64_t)st.st_ino, (int64_t)st.st_dev,
                       (int64_t)st.st_nlink, (int64_t)st.st_uid, (int64_t)st.st_gid,
                       (int64_t)st.st_size};
    double times[3] = {ts_double(st.st_atim), ts_double(st.st_mtim), ts_double(st.st_ctim)};
    Value *items[10];
    for (int i = 0; i < 7; i++) {
        Value v = vm_int_from_i64(th, ints[i]);
        if (v == NULL) { ROOTS_RESET(th, mark); return NULL; }
        items[i] = ROOT(th, v);
    }
    for (int i = 0; i < 3; i++) {
        Value v = vm_float_new(th, times[i]);
        if (v == NULL) { ROOTS_RESET(th, mark); return NULL; }
        items[7 + i] = ROOT(th, v);
    }
    Value t = vm_tuple_from(th, items[0], 10);   /* the 10 root slots are contiguous */
    ROOTS_RESET(th, mark);
    return t;
}

/* remove/rmdir: one path argument, a mutating system call. */
static Value path_op(Thread *th, Value *args, int nargs, Value kwnames, const char *fname,
                     int (*op)(const char *)) {
    if (vm_arg_count(th, fname, nargs, kwnames, 1, 1) < 0) return NULL;
    if (path_arg(th, fname, args[0]) == NULL) return NULL;
    vm_io_irrevocable(th);
    const char *path = path_arg(th, fname, args[0]);
    if (op(path) != 0) return os_error(th, errno, args[0]);
    return vm.None;
}

static Value os_remove(Thread *th, Value *args, int nargs, Value kwnames) {
    return path_op(th, args, nargs, kwnames, "remove", unlink);
}

static Value os_rmdir(Thread *th, Value *args, int nargs, Value kwnames) {
    return path_op(th, args, nargs, kwnames, "rmdir", rmdir);
}

static Value os_mkdir(Thread *th, Value *args, int nargs, Value kwnames) {
    static const char *const names[] = {"path", "mode", NULL};
    Value a[2];
    if (vm_parse_args(th, "mkdir", args, nargs, kwnames, names, 1, a) < 0) return NULL;
    int64_t mode = 0777;
    Value *ppath = ROOT(th, a[0]);           /* __index__ may run Python code: path moves */
    if (a[1] != NULL && vm_index(th, a[1], &mode) < 0) { UNROOT(th, 1); return NULL; }
    if (path_arg(th, "mkdir", *ppath) == NULL) { UNROOT(th, 1); return NULL; }
    vm_io_irrevocable(th);
    const char *path = path_arg(th, "mkdir", *ppath);
    Value r = vm.None;
    if (mkdir(path, (mode_t)mode) != 0) r = os_error(th, errno, *ppath);
    UNROOT(th, 1);
    return r;
}

static Value os_rename(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "rename", nargs, kwnames, 2, 2) < 0) return NULL;
    if (path_arg(th, "rename", args[0]) == NULL || path_arg(th, "rename", args[1]) == NULL)
        return NULL;
    vm_io_irrevocable(th);
    if (rename(path_arg(th, "rename", args[0]), path_arg(th, "rename", args[1])) != 0)
        return os_error(th, errno, args[0]);
    return vm.None;
}

static Value os_getpid(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "getpid", nargs, kwnames, 0, 0) < 0) return NULL;
    return MK_SMALL((int64_t)getpid());
}

static Value os_urandom(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "urandom", nargs, kwnames, 1, 1) < 0) return NULL;
    int64_t n;
    if (vm_index(th, args[0], &n) < 0) return NULL;
    if (n < 0) return vm_raise(th, vm.e_ValueError, "negative argument not allowed");
    unsigned char *buf = malloc(n ? (size_t)n : 1);
    if (buf == NULL) return vm_no_memory(th);
    size_t got = 0;
    while (got < (size_t)n) {
        ssize_t r = getrandom(buf + got, (size_t)n - got, 0);
        if (r < 0) {
            if (errno == EINTR) continue;
            int err = errno;
            free(buf);
            return os_error(th, err, NULL);
        }
        got += (size_t)r;
    }
    Value b = vm_bytes_new(th, buf, (size_t)n);
    free(buf);
    return b;
}

static Value os_cpu_count(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "cpu_count", nargs, kwnames, 0, 0) < 0) return NULL;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? vm.None : MK_SMALL(n);
}

static const vm_method os_functions[] = {
    {"getcwd", os_getcwd, 0},
    {"listdir", os_listdir, 0},
    {"stat", os_stat, 0},
    {"remove", os_remove, 0},
    {"rmdir", os_rmdir, 0},
    {"mkdir", os_mkdir, 0},
    {"rename", os_rename, 0},
    {"getpid", os_getpid, 0},
    {"urandom", os_urandom, 0},
    {"cpu_count", os_cpu_count, 0},
    {NULL, NULL, 0},
};

void mod_os_init(Thread *th) {
    Value m = vm_make_module(th, "_os", os_functions);
    if (m == NULL) return;
    Value *pm = ROOT(th, m);
    Value *penv = ROOT(th, vm_dict_new(th));
    Value *pkey = ROOT(th, NULL);
    if (*penv == NULL) goto done;
    for (char **e = environ; e && *e; e++) {
        const char *eq = strchr(*e, '=');
        if (eq == NULL || eq == *e) continue;
        *pkey = str_from_os(th, *e, (size_t)(eq - *e));
        if (*pkey == NULL) goto done;
        Value val = str_from_os(th, eq + 1, strlen(eq + 1));
        if (val == NULL) goto done;
        /* like CPython: the first definition of a name wins */
        Value old;
        if (vm_dict_get(th, *penv, *pkey, &old) == 1) continue;
        if (vm_dict_set(th, *penv, *pkey, val) < 0) goto done;
    }
    vm_module_set(th, *pm, "environ", *penv);
done:
    UNROOT(th, 3);
}
