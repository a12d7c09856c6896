/* builtins.c — the builtins module: print, len, range helpers, isinstance, sorted, min/max, ... */
#include "internal.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>

Value vm_enumerate_new(Thread *th, Value iterable, Value start);
Value vm_zip_new(Thread *th, Value *iterables, int n, bool strict);
Value vm_map_new(Thread *th, Value fn, Value *iterables, int n);
Value vm_filter_new(Thread *th, Value fn, Value iterable);
Value vm_reversed_new(Thread *th, Value seq);
Value vm_callable_iter_new(Thread *th, Value fn, Value sentinel);
Value vm_int_powmod(Thread *th, Value a, Value b, Value m);

/* ------------------------------------------------------------------------------------------ */
/* Output                                                                                      */

static int write_file(Thread *th, FILE *fp, const char *s, size_t n) { return vm_io_write(th, fp, s, n); }
int vm_write_stdout(Thread *th, const char *s, size_t n) { return write_file(th, stdout, s, n); }
int vm_write_stderr(Thread *th, const char *s, size_t n) { return write_file(th, stderr, s, n); }

/* Write str(v) to a file object: sys.stdout/sys.stderr (T_FILE) or anything with .write. */
static int write_to(Thread *th, Value file, Value s) {
    if (vm_tid(file) == T_FILE) {
        FILE *fp = vm_file_stream(th, file);
        if (!fp) return -1;
        return write_file(th, fp, STR(th, s)->data, (size_t)STR(th, s)->len);
    }
    Value r = vm_call_method(th, file, "write", &s, 1);
    return r ? 0 : -1;
}

static Value b_print(Thread *th, Value *args, int nargs, Value kwnames) {
    size_t mark = ROOTS_MARK(th);
    Value sep = NULL, end = NULL, file = NULL, flush = NULL;
    int64_t nkw = kwnames ? TUP(th, kwnames)->n : 0;
    for (int64_t i = 0; i < nkw; i++) {
        const char *k = STR(th, TUP(th, kwnames)->items[i])->data;
        Value v = args[nargs + i];
        if (!strcmp(k, "sep")) sep = v;
        else if (!strcmp(k, "end")) end = v;
        else if (!strcmp(k, "file")) file = v;
        else if (!strcmp(k, "flush")) flush = v;
        else return vm_raise(th, vm.e_TypeError, "'%s' is an invalid keyword argument for print()", k);
    }
    if (sep == vm.None) sep = NULL;
    if (end == vm.None) end = NULL;
    if (sep && vm_tid(sep) != T_STR) return vm_raise(th, vm.e_TypeError, "sep must be None or a string, not %s", vm_type_name(th, sep));
    if (end && vm_tid(end) != T_STR) return vm_raise(th, vm.e_TypeError, "end must be None or a string, not %s", vm_type_name(th, end));
    Value *psep = ROOT(th, sep), *pend = ROOT(th, end);
    if (!file || file == vm.None) {
        Value f;
        if (vm_dict_get_str(th, R(th, vm.sys, ModuleObj)->dict, vm_str_intern(th, "stdout"), &f) != 1) f = vm.None;
        file = f;
    }
    Value *pfile = ROOT(th, file);
    /* build the whole line first so that one print is one write (threads never split it) */
    Value *parts = th->t->roots_top;
    for (int i = 0; i < nargs; i++) {
        Value s = vm_str(th, args[i]);
        if (!s) goto fail;
        ROOT(th, s);
        if (i + 1 < nargs) ROOT(th, *psep ? *psep : vm_str_intern(th, " "));
    }
    ROOT(th, *pend ? *pend : vm_str_intern(th, "\n"));
    size_t total = 0;
    int nparts = (int)(th->t->roots_top - parts);
    for (int i = 0; i < nparts; i++) total += (size_t)STR(th, parts[i])->len;
    char *buf = malloc(total + 1), *p = buf;
    if (!buf) { vm_no_memory(th); goto fail; }
    for (int i = 0; i < nparts; i++) {
        const StrObj *s = STR(th, parts[i]);
        memcpy(p, s->data, (size_t)s->len);
        p += s->len;
    }
    Value line = vm_str_new(th, buf, total);
    free(buf);
    if (!line || write_to(th, *pfile, line) < 0) goto fail;
    if (flush && flush != vm.False && vm_tid(*pfile) == T_FILE) {
        vm_io_irrevocable(th);
        fflush(vm_file_stream(th, *pfile));
    }
    ROOTS_RESET(th, mark);
    return vm.None;
fail:
    ROOTS_RESET(th, mark);
    return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Simple built-ins                                                                            */

#define ONE_ARG(name) if (vm_arg_count(th, name, nargs, kwnames, 1, 1) < 0) return NULL

static Value b_len(Thread *th, Value *args, int nargs, Value kwnames) {
    ONE_ARG("len");
    int64_t n = vm_len(th, args[0]);
    return n < 0 ? NULL : vm_int_from_i64(th, n);
}
static Value b_repr(Thread *th, Value *args, int nargs, Value kwnames) { ONE_ARG("repr"); return vm_repr(th, args[0]); }
static Value b_ascii(Thread *th, Value *args, int nargs, Value kwnames) { ONE_ARG("ascii"); return vm_ascii(th, args[0]); }
static Value b_id(Thread *th, Value *args, int nargs, Value kwnames) {
    ONE_ARG("id");
    return vm_int_from_u64(th, (uint64_t)(uintptr_t)vm_stable(th, args[0]));
}
static Value b_hash(Thread *th, Value *args, int nargs, Value kwnames) {
    ONE_ARG("hash");
    int64_t h;
    return vm_hash(th, args[0], &h) < 0 ? NULL : vm_int_from_i64(th, h);
}
static Value b_callable(Thread *th, Value *args, int nargs, Value kwnames) {
    ONE_ARG("callable");
    uint16_t t = vm_tid(args[0]);
    if (t == T_FUNCTION || t == T_CFUNC || t == T_METHOD || t == T_TYPE) return vm.True;
    return vm_lookup_special(th, args[0], "__call__") ? vm.True : vm.False;
}
static Value b_abs(Thread *th, Value *args, int nargs, Value kwnames) {
    ONE_ARG("abs");
    Value m = vm_lookup_special(th, args[0], "__abs__");
    if (!m) return vm_raise(th, vm.e_TypeError, "bad operand type for abs(): '%s'", vm_type_name(th, args[0]));
    return vm_call1(th, m, args[0]);
}
static Value b_chr(Thread *th, Value *args, int nargs, Value kwnames) {
    ONE_ARG("chr");
    int64_t c;
    if (vm_index(th, args[0], &c) < 0) return NULL;
    if (c < 0 || c > 0x10FFFF) return vm_raise(th, vm.e_ValueError, "chr() arg not in range(0x110000)");
    char buf[5];
    size_t n;
    if (c < 0x80) { buf[0] = (char)c; n = 1; }
    else if (c < 0x800) { buf[0] = (char)(0xC0 | (c >> 6)); buf[1] = (char)(0x80 | (c & 63)); n = 2; }
    else if (c < 0x10000) { buf[0] = (char)(0xE0 | (c >> 12)); buf[1] = (char)(0x80 | ((c >> 6) & 63)); buf[2] = (char)(0x80 | (c & 63)); n = 3; }
    else { buf[0] = (char)(0xF0 | (c >> 18)); buf[1] = (char)(0x80 | ((c >> 12) & 63)); buf[2] = (char)(0x80 | ((c >> 6) & 63)); buf[3] = (char)(0x80 | (c & 63)); n = 4; }
    return vm_str_new(th, buf, n);
}
static Value b_ord(Thread *th, Value *args, int nargs, Value kwnames) {
    ONE_ARG("ord");
    if (vm_tid(args[0]) == T_STR) {
        const StrObj *s = STR(th, args[0]);
        if (s->nchars != 1) return vm_raise(th, vm.e_TypeError, "ord() expected a character, but string of length %d found", (int)s->nchars);
        const unsigned char *p = (const unsigned char *)s->data;
        int64_t c = p[0] < 0x80 ? p[0] : p[0] < 0xE0 ? ((p[0] & 31) << 6) | (p[1] & 63)
                  : p[0] < 0xF0 ? ((p[0] & 15) << 12) | ((p[1] & 63) << 6) | (p[2] & 63)
                  : ((p[0] & 7) << 18) | ((p[1] & 63) << 12) | ((p[2] & 63) << 6) | (p[3] & 63);
        return MK_SMALL(c);
    }
    if (vm_tid(args[0]) == T_BYTES) {
        const BytesObj *b = R(th, args[0], BytesObj);
        if (b->len != 1) return vm_raise(th, vm.e_TypeError, "ord() expected a character, but string of length %d found", (int)b->len);
        return MK_SMALL(b->data[0]);
    }
    return vm_raise(th, vm.e_TypeError, "ord() expected string of length 1, but %s found", vm_type_name(th, args[0]));
}
static Value int_base(Thread *th, Value *args, int nargs, Value kwnames, const char *name, int base) {
    if (vm_arg_count(th, name, nargs, kwnames, 1, 1) < 0) return NULL;
    Value v = args[0];
    if (!vm_is_int(v) && vm_tid(v) != T_BOOL) {
        int64_t x;
        if (vm_index(th, v, &x) < 0) return NULL;
        v = vm_int_from_i64(th, x);
        if (!v) return NULL;
    }
    return vm_int_to_base(th, v, base, true);
}
static Value b_hex(Thread *th, Value *args, int nargs, Value kwnames) { return int_base(th, args, nargs, kwnames, "hex", 16); }
static Value b_oct(Thread *th, Value *args, int nargs, Value kwnames) { return int_base(th, args, nargs, kwnames, "oct", 8); }
static Value b_bin(Thread *th, Value *args, int nargs, Value kwnames) { return int_base(th, args, nargs, kwnames, "bin", 2); }

static Value b_isinstance(Thread *th, Value *args, int nargs, Value kwnames);
static bool check_class(Thread *th, Value v, Value cls, bool sub, int *err) {
    if (vm_tid(cls) == T_TUPLE) {
        for (int64_t i = 0; i < TUP(th, cls)->n; i++) {
            bool r = check_class(th, v, TUP(th, cls)->items[i], sub, err);
            if (*err || r) return r;
        }
        return false;
    }
    if (vm_tid(cls) != T_TYPE) {
        vm_raise(th, vm.e_TypeError, sub ? "issubclass() arg 2 must be a class, a tuple of classes, or a union"
                                         : "isinstance() arg 2 must be a type, a tuple of types, or a union");
        *err = 1;
        return false;
    }
    if (sub) {
        if (vm_tid(v) != T_TYPE) { vm_raise(th, vm.e_TypeError, "issubclass() arg 1 must be a class"); *err = 1; return false; }
        return vm_is_subtype(th, v, cls);
    }
    return vm_isinstance(th, v, cls);
}
static Value b_isinstance(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "isinstance", nargs, kwnames, 2, 2) < 0) return NULL;
    int err = 0;
    bool r = check_class(th, args[0], args[1], false, &err);
    return err ? NULL : r ? vm.True : vm.False;
}
static Value b_issubclass(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "issubclass", nargs, kwnames, 2, 2) < 0) return NULL;
    int err = 0;
    bool r = check_class(th, args[0], args[1], true, &err);
    return err ? NULL : r ? vm.True : vm.False;
}

static Value b_getattr(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "getattr", nargs, kwnames, 2, 3) < 0) return NULL;
    if (vm_tid(args[1]) != T_STR) return vm_raise(th, vm.e_TypeError, "attribute name must be string, not '%s'", vm_type_name(th, args[1]));
    if (nargs == 3) {          /* a plain miss raises nothing: no exception to build and drop */
        Value r = vm_getattr_opt(th, args[0], args[1]);
        if (r || (!*th->exc)) return r ? r : args[2];
        if (vm_exc_matches(th, vm.e_AttributeError)) { vm_exc_clear(th); return args[2]; }
        return NULL;
    }
    return vm_getattr(th, args[0], args[1]);
}
static Value b_setattr(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "setattr", nargs, kwnames, 3, 3) < 0) return NULL;
    return vm_setattr_user(th, args[0], args[1], args[2]) < 0 ? NULL : vm.None;
}
static Value b_delattr(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "delattr", nargs, kwnames, 2, 2) < 0) return NULL;
    return vm_setattr_user(th, args[0], args[1], NULL) < 0 ? NULL : vm.None;
}
static Value b_hasattr(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "hasattr", nargs, kwnames, 2, 2) < 0) return NULL;
    if (vm_tid(args[1]) != T_STR) return vm_raise(th, vm.e_TypeError, "attribute name must be string, not '%s'", vm_type_name(th, args[1]));
    Value r = vm_getattr_opt(th, args[0], args[1]);      /* a plain miss raises nothing */
    if (r) return vm.True;
    if (!*th->exc) return vm.False;
    if (vm_exc_matches(th, vm.e_AttributeError)) { vm_exc_clear(th); return vm.False; }
    return NULL;
}

static Value b_iter(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "iter", nargs, kwnames, 1, 2) < 0) return NULL;
    if (nargs == 2) return vm_callable_iter_new(th, args[0], args[1]);
    return vm_iter(th, args[0]);
}
static Value b_next(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "next", nargs, kwnames, 1, 2) < 0) return NULL;
    Value it = args[0];
    Value r;
    if (vm_tid(it) == T_GEN) {
        bool y;
        r = vm_gen_send(th, it, vm.None, &y);
        if (r && !y) r = vm_raise_value(th, vm.e_StopIteration, r == vm.None ? NULL : r);
    } else {
        if (!vm_lookup_special(th, it, "__next__")) return vm_raise(th, vm.e_TypeError, "'%s' object is not an iterator", vm_type_name(th, it));
        Value m = vm_lookup_special(th, it, "__next__");
        r = vm_call1(th, m, args[0]);
    }
    if (!r && nargs == 2 && vm_exc_matches(th, vm.e_StopIteration)) { vm_exc_clear(th); return args[1]; }
    return r;
}

static Value b_enumerate(Thread *th, Value *args, int nargs, Value kwnames) {
    static const char *const names[] = {"iterable", "start", NULL};
    Value a[2];
    if (vm_parse_args(th, "enumerate", args, nargs, kwnames, names, 1, a) < 0) return NULL;
    return vm_enumerate_new(th, a[0], a[1] ? a[1] : MK_SMALL(0));
}
static Value b_zip(Thread *th, Value *args, int nargs, Value kwnames) {
    bool strict = false;
    if (kwnames && TUP(th, kwnames)->n) {
        if (TUP(th, kwnames)->n != 1 || strcmp(STR(th, TUP(th, kwnames)->items[0])->data, "strict") != 0)
            return vm_raise(th, vm.e_TypeError, "zip() got an unexpected keyword argument");
        int t = vm_truthy(th, args[nargs]);
        if (t < 0) return NULL;
        strict = t;
    }
    return vm_zip_new(th, args, nargs, strict);
}
static Value b_map(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "map", nargs, kwnames, 2, -1) < 0) return NULL;
    return vm_map_new(th, args[0], args + 1, nargs - 1);
}
static Value b_filter(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "filter", nargs, kwnames, 2, 2) < 0) return NULL;
    return vm_filter_new(th, args[0], args[1]);
}
static Value b_reversed(Thread *th, Value *args, int nargs, Value kwnames) { ONE_ARG("reversed"); return vm_reversed_new(th, args[0]); }

static Value b_sorted(Thread *th, Value *args, int nargs, Value kwnames) {
    static const char *const names[] = {"iterable", "key", "reverse", NULL};
    Value a[3];
    if (nargs != 1) return vm_raise(th, vm.e_TypeError, nargs ? "sorted expected 1 argument, got %d" : "sorted() missing required argument 'iterable' (pos 1)", nargs);
    if (vm_parse_args(th, "sorted", args, nargs, kwnames, names, 1, a) < 0) return NULL;
    Value *pk = ROOT(th, a[1]), *pr = ROOT(th, a[2]);
    Value l = vm_sequence_list(th, a[0]);
    Value *pl = ROOT(th, l);
    int rev = *pr ? vm_truthy(th, *pr) : 0;
    Value r = NULL;
    if (l && rev >= 0 && vm_list_sort(th, *pl, *pk == vm.None ? NULL : *pk, rev) == 0) r = *pl;
    UNROOT(th, 3);
    return r;
}

static Value minmax(Thread *th, Value *args, int nargs, Value kwnames, int op, const char *name) {
    static const char *const names[] = {"key", "default", NULL};
    Value kw[2] = {NULL, NULL};
    int64_t nkw = kwnames ? TUP(th, kwnames)->n : 0;
    for (int64_t i = 0; i < nkw; i++) {
        const char *k = STR(th, TUP(th, kwnames)->items[i])->data;
        if (!strcmp(k, names[0])) kw[0] = args[nargs + i];
        else if (!strcmp(k, names[1])) kw[1] = args[nargs + i];
        else return vm_raise(th, vm.e_TypeError, "'%s' is an invalid keyword argument for %s()", k, name);
    }
    if (nargs == 0) return vm_raise(th, vm.e_TypeError, "%s expected at least 1 argument, got 0", name);
    if (nargs > 1 && kw[1]) return vm_raise(th, vm.e_TypeError, "Cannot specify a default for %s() with multiple positional arguments", name);
    size_t mark = ROOTS_MARK(th);
    Value *key = ROOT(th, kw[0] == vm.None ? NULL : kw[0]), *dflt = ROOT(th, kw[1]);
    Value src = nargs == 1 ? args[0] : vm_tuple_from(th, args, nargs);
    Value r = NULL;
    if (!src) goto done;
    Value it = vm_iter(th, src);
    if (!it) goto done;
    Value *pit = ROOT(th, it), *best = ROOT(th, NULL), *bestk = ROOT(th, NULL);
    for (;;) {
        Value v = vm_next(th, *pit);
        if (!v) { if (*th->exc) goto done; break; }
        Value *pv = ROOT(th, v);
        Value k = *key ? vm_call1(th, *key, *pv) : *pv;
        if (!k) goto done;
        if (!*best) { *best = *pv; *bestk = k; UNROOT(th, 1); continue; }
        Value *pkk = ROOT(th, k);
        Value c = vm_compare(th, op, *pkk, *bestk);
        if (!c) goto done;
        int t = vm_truthy(th, c);
        if (t < 0) goto done;
        if (t) { *best = *pv; *bestk = *pkk; }
        UNROOT(th, 2);
    }
    if (*best) r = *best;
    else if (*dflt) r = *dflt;
    else vm_raise(th, vm.e_ValueError, "%s() arg is an empty sequence", name);
done:
    ROOTS_RESET(th, mark);
    return r;
}
static Value b_min(Thread *th, Value *args, int nargs, Value kwnames) { return minmax(th, args, nargs, kwnames, CMP_LT, "min"); }
static Value b_max(Thread *th, Value *args, int nargs, Value kwnames) { return minmax(th, args, nargs, kwnames, CMP_GT, "max"); }

static Value b_sum(Thread *th, Value *args, int nargs, Value kwnames) {
    static const char *const names[] = {"iterable", "start", NULL};
    Value a[2];
    if (vm_parse_args(th, "sum", args, nargs, kwnames, names, 1, a) < 0) return NULL;
    if (a[1] && vm_tid(a[1]) == T_STR) return vm_raise(th, vm.e_TypeError, "sum() can't sum strings [use ''.join(seq) instead]");
    size_t mark = ROOTS_MARK(th);
    Value *acc = ROOT(th, a[1] ? a[1] : MK_SMALL(0));
    Value it = vm_iter(th, a[0]);
    Value r = NULL;
    if (!it) goto done;
    Value *pit = ROOT(th, it);
    /* float accumulation uses Neumaier summation like CPython 3.11? No: 3.11 adds plainly. */
    for (;;) {
        Value v = vm_next(th, *pit);
        if (!v) { if (*th->exc) goto done; break; }
        Value s = vm_binop(th, BINOP_ADD, *acc, v);
        if (!s) goto done;
        *acc = s;
    }
    r = *acc;
done:
    ROOTS_RESET(th, mark);
    return r;
}

static Value b_any_all(Thread *th, Value *args, int nargs, Value kwnames, bool want) {
    if (vm_arg_count(th, want ? "any" : "all", nargs, kwnames, 1, 1) < 0) return NULL;
    Value it = vm_iter(th, args[0]);
    if (!it) return NULL;
    Value *pit = ROOT(th, it);
    Value r = want ? vm.False : vm.True;
    for (;;) {
        Value v = vm_next(th, *pit);
        if (!v) { if (*th->exc) r = NULL; break; }
        int t = vm_truthy(th, v);
        if (t < 0) { r = NULL; break; }
        if (t == want) { r = want ? vm.True : vm.False; break; }
    }
    UNROOT(th, 1);
    return r;
}
static Value b_any(Thread *th, Value *args, int nargs, Value kwnames) { return b_any_all(th, args, nargs, kwnames, true); }
static Value b_all(Thread *th, Value *args, int nargs, Value kwnames) { return b_any_all(th, args, nargs, kwnames, false); }

static Value b_divmod(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "divmod", nargs, kwnames, 2, 2) < 0) return NULL;
    /* float's own __divmod__ (its messages say "float divmod()"); the rest as // and % */
    if (vm_tid(args[0]) == T_FLOAT || vm_tid(args[1]) == T_FLOAT) {
        if (vm_lookup_special(th, args[0], "__divmod__")) {
            Value r = vm_call_method(th, args[0], "__divmod__", &args[1], 1);
            if (r != vm.NotImplemented) return r;
        }
        if (vm_lookup_special(th, args[1], "__rdivmod__")) {
            Value r = vm_call_method(th, args[1], "__rdivmod__", &args[0], 1);
            if (r != vm.NotImplemented) return r;
        }
        return vm_raise(th, vm.e_TypeError, "unsupported operand type(s) for divmod(): '%s' and '%s'",
                        vm_type_name(th, args[0]), vm_type_name(th, args[1]));
    }
    Value q = vm_binop(th, BINOP_FLOORDIV, args[0], args[1]);
    if (!q) return NULL;
    Value *pq = ROOT(th, q);
    Value m = vm_binop(th, BINOP_MOD, args[0], args[1]);
    Value r = m ? vm_tuple_pack(th, 2, *pq, m) : NULL;
    UNROOT(th, 1);
    return r;
}
static Value b_pow(Thread *th, Value *args, int nargs, Value kwnames) {
    static const char *const names[] = {"base", "exp", "mod", NULL};
    Value a[3];
    if (vm_parse_args(th, "pow", args, nargs, kwnames, names, 2, a) < 0) return NULL;
    if (a[2] && a[2] != vm.None) {
        if (vm_is_int(a[0]) && vm_is_int(a[1]) && vm_is_int(a[2])) return vm_int_powmod(th, a[0], a[1], a[2]);
        Value m = vm_tid(a[0]) == T_INSTANCE ? vm_lookup_special(th, a[0], "__pow__") : NULL;
        if (!m) return vm_raise(th, vm.e_TypeError, "pow() 3rd argument not allowed unless all arguments are integers");
        Value *pa = th->t->roots_top;
        for (int i = 0; i < 3; i++) ROOT(th, a[i]);
        Value r = vm_call(th, m, pa, 3, NULL);
        UNROOT(th, 3);
        return r;
    }
    return vm_binop(th, BINOP_POW, a[0], a[1]);
}
static Value b_round(Thread *th, Value *args, int nargs, Value kwnames) {
    static const char *const names[] = {"number", "ndigits", NULL};
    Value a[2];
    if (vm_parse_args(th, "round", args, nargs, kwnames, names, 1, a) < 0) return NULL;
    Value m = vm_lookup_special(th, a[0], "__round__");
    if (!m) return vm_raise(th, vm.e_TypeError, "type %s doesn't define __round__ method", vm_type_name(th, a[0]));
    if (a[1] && a[1] != vm.None) return vm_call2(th, m, a[0], a[1]);
    return vm_call1(th, m, a[0]);
}
static Value b_format(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "format", nargs, kwnames, 1, 2) < 0) return NULL;
    return vm_format(th, args[0], nargs > 1 ? args[1] : vm.empty_str);
}
static Value b_vars(Thread *th, Value *args, int nargs, Value kwnames) {
    if (nargs == 0) {
        const FrameObj *f = R(th, *th->frame, FrameObj);
        return f->locals ? f->locals : f->globals;
    }
    Value d = vm_getattr_opt(th, args[0], vm_str_intern(th, "__dict__"));
    if (!d && !*th->exc) return vm_raise(th, vm.e_TypeError, "vars() argument must have __dict__ attribute");
    return d;
}
static Value b_globals(Thread *th, Value *args, int nargs, Value kwnames) { return R(th, *th->frame, FrameObj)->globals; }
static Value b_locals(Thread *th, Value *args, int nargs, Value kwnames) {
    const FrameObj *f = R(th, *th->frame, FrameObj);
    if (f->locals) return f->locals;
    /* a snapshot of the function's locals */
    Value *pf = ROOT(th, *th->frame);
    Value d = vm_dict_new(th);
    Value *pd = ROOT(th, d);
    const vm_code *c = R(th, R(th, *pf, FrameObj)->code, CodeObj)->code;
    for (int i = 0; d && i < c->nlocals; i++) {
        Value v = R(th, *pf, FrameObj)->slots[i];
        Value key = v ? vm_str_cstr(th, c->varnames[i]) : NULL;
        if (key && vm_dict_set(th, *pd, key, R(th, *pf, FrameObj)->slots[i]) < 0) d = NULL;
    }
    d = d ? *pd : NULL;
    UNROOT(th, 2);
    return d;
}
static Value b_dir(Thread *th, Value *args, int nargs, Value kwnames) {
    Value src;
    if (nargs == 0) src = b_locals(th, args, 0, NULL);
    else {
        Value m = vm_lookup_special(th, args[0], "__dir__");
        if (!m) return vm_raise(th, vm.e_TypeError, "dir(): no __dir__");
        src = vm_call1(th, m, args[0]);
    }
    if (!src) return NULL;
    Value *pl = ROOT(th, vm_sequence_list(th, src));     /* sorting allocates: keep it current */
    Value r = *pl && vm_list_sort(th, *pl, NULL, false) == 0 ? *pl : NULL;
    UNROOT(th, 1);
    return r;
}
static Value b_input(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "input", nargs, kwnames, 0, 1) < 0) return NULL;
    if (nargs == 1) {
        Value s = vm_str(th, args[0]);
        if (!s) return NULL;
        vm_write_stdout(th, STR(th, s)->data, (size_t)STR(th, s)->len);
    }
    vm_io_irrevocable(th);
    fflush(stdout);
    vm_blocking_begin(th);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    vm_blocking_end(th);
    if (n < 0) { free(line); return vm_raise(th, vm.e_EOFError, "EOF when reading a line"); }
    if (n > 0 && line[n - 1] == '\n') n--;
    Value r = vm_str_new(th, line, (size_t)n);
    free(line);
    return r;
}
static Value b_build_class(Thread *th, Value *args, int nargs, Value kwnames) {
    if (nargs < 2) return vm_raise(th, vm.e_TypeError, "__build_class__: not enough arguments");
    return vm_build_class(th, args[0], args[1], args + 2, nargs - 2, kwnames, args + nargs);
}
static Value b_import(Thread *th, Value *args, int nargs, Value kwnames) {
    if (nargs < 1) return vm_raise(th, vm.e_TypeError, "__import__() missing required argument 'name' (pos 1)");
    return vm_import(th, args[0], nargs > 3 ? args[3] : vm.None, nargs > 4 ? (int)SMALL_VAL(args[4]) : 0, nargs > 1 ? args[1] : NULL);
}
static Value b_open(Thread *th, Value *args, int nargs, Value kwnames);

/* eval(source, globals=None, locals=None) / exec(...): compile and run in the given namespaces
   (default: the caller's). */
static Value eval_exec(Thread *th, Value *args, int nargs, Value kwnames, bool is_eval) {
    const char *fname = is_eval ? "eval" : "exec";
    if (vm_arg_count(th, fname, nargs, kwnames, 1, 3) < 0) return NULL;
    if (vm_tid(args[0]) != T_STR) return vm_raise(th, vm.e_TypeError, "%s() arg 1 must be a string, bytes or code object", fname);
    const FrameObj *cf = R(th, *th->frame, FrameObj);
    Value globals = nargs > 1 && args[1] != vm.None ? args[1] : cf->globals;
    Value locals = nargs > 2 && args[2] != vm.None ? args[2] : nargs > 1 && args[1] != vm.None ? globals : (cf->locals ? cf->locals : globals);
    if (vm_tid(globals) != T_DICT) return vm_raise(th, vm.e_TypeError, "%s() globals must be a dict, not %s", fname, vm_type_name(th, globals));
    const StrObj *s = STR(th, args[0]);
    const char *src = s->data;
    size_t len = (size_t)s->len;
    if (is_eval) while (len && (*src == ' ' || *src == '\t')) src++, len--;
    char *copy = malloc(len + 1);
    if (!copy) return vm_no_memory(th);
    memcpy(copy, src, len);
    copy[len] = 0;
    vm_syntax_error err;
    const vm_code *code = vm_compile(copy, len, "<string>", is_eval ? COMPILE_EVAL : COMPILE_FILE, &err);
    if (!code) {
        free(copy);
        Value e = vm_syntax_error_value(th, &err);
        return e ? vm_raise_instance(th, e) : NULL;
    }
    Value *pg = ROOT(th, globals), *pl = ROOT(th, locals);
    Value key = vm_str_intern(th, "__builtins__"), tmp;
    if (vm_dict_get_str(th, *pg, key, &tmp) == 0) vm_dict_set(th, *pg, key, vm.builtins);
    Value cv = vm_code_value(th, code);
    Value r = NULL;
    if (cv) {
        Value frame = vm_frame_new(th, cv, *pg, *pl, NULL);
        r = frame ? vm_eval_frame(th, frame) : NULL;
    }
    UNROOT(th, 2);
    return r && !is_eval ? vm.None : r;
}
static Value b_eval(Thread *th, Value *args, int nargs, Value kwnames) { return eval_exec(th, args, nargs, kwnames, true); }
static Value b_exec(Thread *th, Value *args, int nargs, Value kwnames) { return eval_exec(th, args, nargs, kwnames, false); }

static const vm_method builtin_functions[] = {
    {"print", b_print, 0}, {"len", b_len, 0}, {"repr", b_repr, 0}, {"ascii", b_ascii, 0},
    {"id", b_id, 0}, {"hash", b_hash, 0}, {"callable", b_callable, 0}, {"abs", b_abs, 0},
    {"chr", b_chr, 0}, {"ord", b_ord, 0}, {"hex", b_hex, 0}, {"oct", b_oct, 0}, {"bin", b_bin, 0},
    {"isinstance", b_isinstance, 0}, {"issubclass", b_issubclass, 0},
    {"getattr", b_getattr, 0}, {"setattr", b_setattr, 0}, {"delattr", b_delattr, 0}, {"hasattr", b_hasattr, 0},
    {"iter", b_iter, 0}, {"next", b_next, 0}, {"enumerate", b_enumerate, 0}, {"zip", b_zip, 0},
    {"map", b_map, 0}, {"filter", b_filter, 0}, {"reversed", b_reversed, 0}, {"sorted", b_sorted, 0},
    {"min", b_min, 0}, {"max", b_max, 0}, {"sum", b_sum, 0}, {"any", b_any, 0}, {"all", b_all, 0},
    {"divmod", b_divmod, 0}, {"pow", b_pow, 0}, {"round", b_round, 0}, {"format", b_format, 0},
    {"vars", b_vars, 0}, {"globals", b_globals, 0}, {"locals", b_locals, 0}, {"dir", b_dir, 0},
    {"input", b_input, 0}, {"__build_class__", b_build_class, 0}, {"__import__", b_import, 0},
    {"open", b_open, 0}, {"eval", b_eval, 0}, {"exec", b_exec, 0},
    {NULL, NULL, 0}};

/* ------------------------------------------------------------------------------------------ */
/* Files: text and binary, enough for open/read/write/readline/iteration/with                */

typedef struct FileObj { ObjHead h; int64_t handle; Value name; int32_t mode; int32_t closed; } FileObj;
enum { FM_READ = 1, FM_WRITE = 2, FM_BINARY = 4, FM_STD = 8 };

/* FILE* pointers live in a process table (never in the heap, which the GC copies). */
#define MAX_FILES 4096
static FILE *files[MAX_FILES];
static pthread_mutex_t files_lock = PTHREAD_MUTEX_INITIALIZER;

FILE *vm_file_stream(Thread *th, Value f) {
    const FileObj *p = R(th, f, FileObj);
    if (p->closed) { vm_raise(th, vm.e_ValueError, "I/O operation on closed file."); return NULL; }
    return files[p->handle];
}

static Value file_new(Thread *th, FILE *fp, Value name, int mode) {
    Value *pn = ROOT(th, name);
    pthread_mutex_lock(&files_lock);
    int64_t h = 0;
    while (h < MAX_FILES && files[h]) h++;
    if (h < MAX_FILES) files[h] = fp;
    pthread_mutex_unlock(&files_lock);
    Value r = NULL;
    if (h == MAX_FILES) vm_raise(th, vm.e_OSError, "too many open files");
    else if ((r = vm_alloc(th, T_FILE, sizeof(FileObj), 0, vm.t_file))) {
        FileObj *p = W(th, r, FileObj);
        p->handle = h;
        p->name = *pn;
        p->mode = mode;
    }
    UNROOT(th, 1);
    return r;
}

Value vm_file_std(Thread *th, int which) {
    FILE *fp = which == 0 ? stdin : which == 1 ? stdout : stderr;
    const char *n = which == 0 ? "<stdin>" : which == 1 ? "<stdout>" : "<stderr>";
    return file_new(th, fp, vm_str_cstr(th, n), FM_STD | (which ? FM_WRITE : FM_READ));
}

static Value b_open(Thread *th, Value *args, int nargs, Value kwnames) {
    static const char *const names[] = {"file", "mode", "buffering", "encoding", "errors", "newline", NULL};
    Value a[6];
    if (vm_parse_args(th, "open", args, nargs, kwnames, names, 1, a) < 0) return NULL;
    if (vm_tid(a[0]) != T_STR) return vm_raise(th, vm.e_TypeError, "expected str, bytes or os.PathLike object, not %s", vm_type_name(th, a[0]));
    const char *mode = a[1] ? STR(th, a[1])->data : "r";
    int m = 0;
    char cmode[8] = "";
    if (strchr(mode, 'r')) { m |= FM_READ; strcat(cmode, "r"); }
    if (strchr(mode, 'w')) { m |= FM_WRITE; strcat(cmode, "w"); }
    if (strchr(mode, 'a')) { m |= FM_WRITE; strcat(cmode, "a"); }
    if (strchr(mode, 'x')) { m |= FM_WRITE; strcat(cmode, "wx"); }
    if (strchr(mode, '+')) { m |= FM_READ | FM_WRITE; strcat(cmode, "+"); }
    if (strchr(mode, 'b')) m |= FM_BINARY;
    if (!cmode[0]) return vm_raise(th, vm.e_ValueError, "invalid mode: '%s'", mode);
    vm_io_irrevocable(th);
    FILE *fp = fopen(STR(th, a[0])->data, cmode);
    if (!fp) {
        int e = errno;
        Value *pname = ROOT(th, a[0]);
        Value *pmsg = ROOT(th, vm_str_cstr(th, strerror(e)));
        Value *a3 = th->t->roots_top;
        ROOT(th, MK_SMALL(e));
        ROOT(th, *pmsg);
        ROOT(th, *pname);
        Value exc = *pmsg ? vm_call(th, e == ENOENT ? vm.e_FileNotFoundError : vm.e_OSError, a3, 3, NULL) : NULL;
        UNROOT(th, 5);
        return exc ? vm_raise_instance(th, exc) : NULL;
    }
    return file_new(th, fp, a[0], m);
}

static Value file_read(Thread *th, Value *args, int nargs, Value kwnames) {
    FILE *fp = vm_file_stream(th, args[0]);
    if (!fp) return NULL;
    int64_t limit = -1;
    if (nargs > 1 && args[1] != vm.None && vm_index(th, args[1], &limit) < 0) return NULL;
    vm_io_irrevocable(th);
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    int c;
    while ((limit < 0 || (int64_t)n < limit) && (c = fgetc(fp)) != EOF) {
        if (n + 1 >= cap) buf = realloc(buf, cap *= 2);
        buf[n++] = (char)c;
    }
    Value r = (R(th, args[0], FileObj)->mode & FM_BINARY) ? vm_bytes_new(th, buf, n) : vm_str_new(th, buf, n);
    free(buf);
    return r;
}
static Value file_readline(Thread *th, Value *args, int nargs, Value kwnames) {
    FILE *fp = vm_file_stream(th, args[0]);
    if (!fp) return NULL;
    vm_io_irrevocable(th);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, fp);
    Value r = (R(th, args[0], FileObj)->mode & FM_BINARY) ? vm_bytes_new(th, line ? line : "", n < 0 ? 0 : (size_t)n)
                                                         : vm_str_new(th, line ? line : "", n < 0 ? 0 : (size_t)n);
    free(line);
    return r;
}
static Value file_readlines(Thread *th, Value *args, int nargs, Value kwnames) {
    Value l = vm_list_new(th, 0);
    if (!l) return NULL;
    Value *pl = ROOT(th, l);
    for (;;) {
        Value s = file_readline(th, args, 1, NULL);
        if (!s) { UNROOT(th, 1); return NULL; }
        if (vm_len(th, s) == 0) break;
        if (vm_list_append(th, *pl, s) < 0) { UNROOT(th, 1); return NULL; }
    }
    UNROOT(th, 1);
    return *pl;
}
static Value file_write(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "write", nargs - 1, kwnames, 1, 1) < 0) return NULL;
    FILE *fp = vm_file_stream(th, args[0]);
    if (!fp) return NULL;
    if (vm_tid(args[1]) == T_STR) {
        const StrObj *s = STR(th, args[1]);
        write_file(th, fp, s->data, (size_t)s->len);
        return vm_int_from_i64(th, s->nchars);
    }
    if (vm_tid(args[1]) == T_BYTES) {
        const BytesObj *b = R(th, args[1], BytesObj);
        write_file(th, fp, (const char *)b->data, (size_t)b->len);
        return vm_int_from_i64(th, b->len);
    }
    return vm_raise(th, vm.e_TypeError, "write() argument must be str, not %s", vm_type_name(th, args[1]));
}
static Value file_flush(Thread *th, Value *args, int nargs, Value kwnames) {
    FILE *fp = vm_file_stream(th, args[0]);
    if (!fp) return NULL;
    vm_io_irrevocable(th);
    fflush(fp);
    return vm.None;
}
static Value file_close(Thread *th, Value *args, int nargs, Value kwnames) {
    const FileObj *p = R(th, args[0], FileObj);
    if (p->closed || (p->mode & FM_STD)) return vm.None;
    vm_io_irrevocable(th);
    fclose(files[p->handle]);
    pthread_mutex_lock(&files_lock);
    files[p->handle] = NULL;
    pthread_mutex_unlock(&files_lock);
    W(th, args[0], FileObj)->closed = 1;
    return vm.None;
}
static Value file_enter(Thread *th, Value *args, int nargs, Value kwnames) { return args[0]; }
static Value file_exit(Thread *th, Value *args, int nargs, Value kwnames) { return file_close(th, args, 1, NULL) ? vm.False : NULL; }
static Value file_iter(Thread *th, Value *args, int nargs, Value kwnames) { return args[0]; }
static Value file_next(Thread *th, Value *args, int nargs, Value kwnames) {
    Value s = file_readline(th, args, 1, NULL);
    if (s && vm_len(th, s) == 0) return vm_raise_value(th, vm.e_StopIteration, NULL);
    return s;
}
static Value file_isatty(Thread *th, Value *args, int nargs, Value kwnames) { return vm.False; }
static Value file_fileno(Thread *th, Value *args, int nargs, Value kwnames) {
    FILE *fp = vm_file_stream(th, args[0]);
    return fp ? MK_SMALL(fileno(fp)) : NULL;
}

static const vm_method file_methods[] = {
    {"read", file_read, CF_METHOD}, {"readline", file_readline, CF_METHOD}, {"readlines", file_readlines, CF_METHOD},
    {"write", file_write, CF_METHOD}, {"flush", file_flush, CF_METHOD}, {"close", file_close, CF_METHOD},
    {"__enter__", file_enter, CF_METHOD}, {"__exit__", file_exit, CF_METHOD}, {"__iter__", file_iter, CF_METHOD},
    {"__next__", file_next, CF_METHOD}, {"isatty", file_isatty, CF_METHOD}, {"fileno", file_fileno, CF_METHOD},
    {NULL, NULL, 0}};

static size_t size_file(const void *p) { return sizeof(FileObj); }
static void trace_file(void *p, void (*visit)(stm_obj **, void *), void *ctx) { visit(&((FileObj *)p)->name, ctx); }

void builtins_init(Thread *th) {
    vm_tidinfo[T_FILE] = (vm_typeinfo){size_file, trace_file};
    vm_add_methods(th, vm.t_file, file_methods);
    Value m = vm_make_module(th, "builtins", builtin_functions);
    if (!m) return;
    Value *pm = ROOT(th, m);
    vm.builtins = R(th, *pm, ModuleObj)->dict;
    vm_dict_get_str(th, vm.builtins, vm_str_intern(th, "__build_class__"), &vm.build_class);
    static const struct { const char *name; Value *v; } names[] = {
        {"object", &vm.t_object}, {"type", &vm.t_type}, {"int", &vm.t_int}, {"bool", &vm.t_bool},
        {"float", &vm.t_float}, {"str", &vm.t_str}, {"bytes", &vm.t_bytes}, {"bytearray", &vm.t_bytearray},
        {"tuple", &vm.t_tuple}, {"list", &vm.t_list}, {"dict", &vm.t_dict}, {"set", &vm.t_set},
        {"frozenset", &vm.t_frozenset}, {"range", &vm.t_range}, {"slice", &vm.t_slice},
        {"property", &vm.t_property}, {"staticmethod", &vm.t_staticmethod}, {"classmethod", &vm.t_classmethod},
        {"super", &vm.t_super}, {"None", &vm.None}, {"True", &vm.True}, {"False", &vm.False},
        {"NotImplemented", &vm.NotImplemented}, {"Ellipsis", &vm.Ellipsis},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) vm_module_set(th, *pm, names[i].name, *names[i].v);
#define X(name, base) vm_module_set(th, *pm, #name, vm.e_##name);
    VM_EXCEPTIONS(X)
#undef X
    vm_module_set(th, *pm, "EnvironmentError", vm.e_OSError);
    vm_module_set(th, *pm, "IOError", vm.e_OSError);
    UNROOT(th, 1);
}
