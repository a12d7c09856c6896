/* obj_tuple.c — tuple, plus helpers shared by the container files (ctr_*: argument checks,
   index conversion, string assembly, sequence comparison). */
#include "vm.h"
#include "opcodes.h"
#include <stdlib.h>
#include <string.h>

int vm_repr_enter(Thread *th, Value v);
void vm_repr_leave(Thread *th, Value v);

/* ------------------------------------------------------------------------------------------ */
/* Shared helpers (declared again at the top of obj_list.c, obj_dict.c, obj_set.c, obj_range.c) */

int64_t ctr_nkw(Thread *th, Value kwnames) {
    return kwnames ? TUP(th, kwnames)->n : 0;
}

/* "list.append() takes no keyword arguments" */
int ctr_nokw(Thread *th, const char *qname, Value kwnames) {
    if (ctr_nkw(th, kwnames) == 0) return 0;
    vm_raise(th, vm.e_TypeError, "%s() takes no keyword arguments", qname);
    return -1;
}

/* METH_NOARGS: nargs excludes self.  "list.clear() takes no arguments (1 given)" */
int ctr_noargs(Thread *th, const char *qname, int nargs, Value kwnames) {
    if (ctr_nokw(th, qname, kwnames) < 0) return -1;
    if (nargs == 0) return 0;
    vm_raise(th, vm.e_TypeError, "%s() takes no arguments (%d given)", qname, nargs);
    return -1;
}

/* METH_O: "list.append() takes exactly one argument (0 given)" */
int ctr_onearg(Thread *th, const char *qname, int nargs, Value kwnames) {
    if (ctr_nokw(th, qname, kwnames) < 0) return -1;
    if (nargs == 1) return 0;
    vm_raise(th, vm.e_TypeError, "%s() takes exactly one argument (%d given)", qname, nargs);
    return -1;
}

/* Argument-clinic style positional counts: "pop expected at most 1 argument, got 2".  qname is
   "list.pop"; the count messages use the part after the dot. */
int ctr_posargs(Thread *th, const char *qname, int nargs, Value kwnames, int min, int max) {
    if (ctr_nokw(th, qname, kwnames) < 0) return -1;
    const char *dot = strrchr(qname, '.');
    const char *name = dot ? dot + 1 : qname;
    if (nargs >= min && nargs <= max) return 0;
    if (min == max)
        vm_raise(th, vm.e_TypeError, "%s expected %d argument%s, got %d", name, min,
                 min == 1 ? "" : "s", nargs);
    else if (nargs < min)
        vm_raise(th, vm.e_TypeError, "%s expected at least %d argument%s, got %d", name, min,
                 min == 1 ? "" : "s", nargs);
    else
        vm_raise(th, vm.e_TypeError, "%s expected at most %d argument%s, got %d", name, max,
                 max == 1 ? "" : "s", nargs);
    return -1;
}

/* self must have representation tid (methods called through the type: list.append(1, 2)). */
int ctr_self(Thread *th, Value self, uint16_t tid, const char *meth, const char *tname) {
    if (vm_tid(self) == tid) return 0;
    vm_raise(th, vm.e_TypeError, "descriptor '%s' for '%s' objects doesn't apply to a '%s' object",
             meth, tname, vm_type_name(th, self));
    return -1;
}

/* Integer index of a subscript.  Returns 1 with *out set for an integer, 0 when key is not an
   integer (no exception: caller checks for a slice or raises), -1 on error. */
int ctr_index(Thread *th, Value key, int64_t *out) {
    if (IS_SMALL(key)) { *out = SMALL_VAL(key); return 1; }
    uint16_t tid = vm_tid(key);
    if (tid == T_INT) {
        vm_raise(th, vm.e_IndexError, "cannot fit 'int' into an index-sized integer");
        return -1;
    }
    if (tid == T_SLICE) return 0;
    if (tid != T_BOOL && !vm_lookup_special(th, key, "__index__")) return 0;
    if (vm_index(th, key, out) < 0) return -1;
    return 1;
}

/* "list indices must be integers or slices, not str" */
Value ctr_bad_index(Thread *th, const char *tname, Value key) {
    return vm_raise(th, vm.e_TypeError, "%s indices must be integers or slices, not %s", tname,
                    vm_type_name(th, key));
}

/* A C integer from an int-like (for start/stop arguments of index(), like CPython's
   _PyEval_SliceIndexNotNone: big ints clamp). */
int ctr_slice_index(Thread *th, Value v, int64_t *out) {
    if (IS_SMALL(v)) { *out = SMALL_VAL(v); return 0; }
    if (vm_tid(v) == T_INT) {
        *out = vm_int_cmp(th, v, MK_SMALL(0)) < 0 ? INT64_MIN : INT64_MAX;
        return 0;
    }
    if (vm_tid(v) != T_BOOL && !vm_lookup_special(th, v, "__index__")) {
        vm_raise(th, vm.e_TypeError, "slice indices must be integers or have an __index__ method");
        return -1;
    }
    return vm_index(th, v, out);
}

/* Thread-local scratch buffer for assembling strings (only used between reads and the
   vm_str_new that copies it: never across Python code). */
static _Thread_local char *tl_buf;
static _Thread_local size_t tl_cap;

static char *buf_reserve(size_t need) {
    if (need > tl_cap) {
        size_t cap = tl_cap ? tl_cap : 256;
        while (cap < need) cap *= 2;
        char *p = realloc(tl_buf, cap);
        if (!p) return NULL;
        tl_buf = p;
        tl_cap = cap;
    }
    return tl_buf;
}

/* open + sep.join(parts) + close, where parts is a list of str. */
Value ctr_join(Thread *th, const char *open, Value parts, const char *sep, const char *close) {
    const ListObj *l = R(th, parts, ListObj);
    int64_t n = l->n;
    const ArrayObj *a = n ? R(th, l->items, ArrayObj) : NULL;
    size_t lo = strlen(open), lc = strlen(close), ls = strlen(sep);
    size_t total = lo + lc + (n > 0 ? (size_t)(n - 1) * ls : 0);
    for (int64_t i = 0; i < n; i++) total += (size_t)STR(th, a->items[i])->len;
    char *b = buf_reserve(total + 1);
    if (!b) return vm_no_memory(th);
    char *p = b;
    memcpy(p, open, lo); p += lo;
    for (int64_t i = 0; i < n; i++) {
        if (i) { memcpy(p, sep, ls); p += ls; }
        const StrObj *s = STR(th, a->items[i]);
        memcpy(p, s->data, (size_t)s->len); p += s->len;
    }
    memcpy(p, close, lc); p += lc;
    return vm_str_new(th, b, total);
}

/* a + str + b */
Value ctr_concat3(Thread *th, const char *a, Value s, const char *b) {
    const StrObj *so = STR(th, s);
    size_t la = strlen(a), lb = strlen(b), total = la + (size_t)so->len + lb;
    char *buf = buf_reserve(total + 1);
    if (!buf) return vm_no_memory(th);
    memcpy(buf, a, la);
    memcpy(buf + la, so->data, (size_t)so->len);
    memcpy(buf + la + so->len, b, lb);
    return vm_str_new(th, buf, total);
}

/* exc_type(repr(v) + suffix), e.g. "1 is not in list" */
Value ctr_raise_repr(Thread *th, Value exc_type, const char *prefix, Value v, const char *suffix) {
    Value r = vm_repr(th, v);
    if (!r) return NULL;
    Value msg = ctr_concat3(th, prefix, r, suffix);
    if (!msg) return NULL;
    return vm_raise_value(th, exc_type, msg);
}

/* The type's __name__ as a C string (valid until the next moving point). */
const char *ctr_type_name(Thread *th, Value cls) {
    return STR(th, R(th, cls, TypeObj)->name)->data;
}

/* Sequence access for tuples and lists (compare, contains). */
static int64_t seq_len(Thread *th, Value s) {
    if (vm_tid(s) == T_TUPLE) return TUP(th, s)->n;
    return R(th, s, ListObj)->n;
}
static Value seq_item(Thread *th, Value s, int64_t i) {
    if (vm_tid(s) == T_TUPLE) return TUP(th, s)->items[i];
    return R(th, R(th, s, ListObj)->items, ArrayObj)->items[i];
}

static Value cmp_result(int op, int64_t a, int64_t b) {
    bool r = false;
    switch (op) {
    case CMP_LT: r = a < b; break;
    case CMP_LE: r = a <= b; break;
    case CMP_EQ: r = a == b; break;
    case CMP_NE: r = a != b; break;
    case CMP_GT: r = a > b; break;
    case CMP_GE: r = a >= b; break;
    }
    return r ? vm.True : vm.False;
}

/* Lexicographic comparison of two tuples or two lists (CPython's list_richcompare). */
Value ctr_seq_compare(Thread *th, Value a, Value b, int op) {
    Value *pa = ROOT(th, a), *pb = ROOT(th, b);
    Value res = NULL;
    int64_t la = seq_len(th, a), lb = seq_len(th, b);
    if (la != lb && (op == CMP_EQ || op == CMP_NE)) {
        res = op == CMP_EQ ? vm.False : vm.True;
        goto done;
    }
    int64_t i = 0;
    for (;; i++) {
        la = seq_len(th, *pa); lb = seq_len(th, *pb);
        if (i >= la || i >= lb) break;
        Value x = seq_item(th, *pa, i), y = seq_item(th, *pb, i);
        if (x == y) continue;
        Value *px = ROOT(th, x);
        ROOT(th, y);
        int eq = vm_eq(th, x, y);
        if (eq < 0) { UNROOT(th, 2); goto done; }
        if (!eq) {
            if (op == CMP_EQ) res = vm.False;
            else if (op == CMP_NE) res = vm.True;
            else res = vm_compare(th, op, px[0], px[1]);
            UNROOT(th, 2);
            goto done;
        }
        UNROOT(th, 2);
    }
    res = cmp_result(op, seq_len(th, *pa), seq_len(th, *pb));
done:
    UNROOT(th, 2);
    return res;
}

/* item in seq (tuple or list), identity first. */
int ctr_seq_contains(Thread *th, Value s, Value x) {
    Value *ps = ROOT(th, s), *px = ROOT(th, x);
    int r = 0;
    for (int64_t i = 0; i < seq_len(th, *ps); i++) {
        Value y = seq_item(th, *ps, i);
        if (y == *px) { r = 1; break; }
        r = vm_eq(th, y, *px);
        if (r != 0) break;
    }
    UNROOT(th, 2);
    return r;
}

/* Count / index for tuple and list.  want_index: return the first index in [start, stop) or -1
   (no exception) if missing; otherwise return the count.  -2 on error. */
int64_t ctr_seq_find(Thread *th, Value s, Value x, int64_t start, int64_t stop, bool want_index) {
    Value *ps = ROOT(th, s), *px = ROOT(th, x);
    int64_t count = 0, res = -1;
    for (int64_t i = start; i < stop && i < seq_len(th, *ps); i++) {
        Value y = seq_item(th, *ps, i);
        int eq = y == *px ? 1 : vm_eq(th, y, *px);
        if (eq < 0) { res = -2; goto done; }
        if (eq) {
            if (want_index) { res = i; goto done; }
            count++;
        }
    }
    res = want_index ? -1 : count;
done:
    UNROOT(th, 2);
    return res;
}

/* Parse the optional start/stop arguments of index() and clamp them against len. */
int ctr_start_stop(Thread *th, Value *args, int nargs, int64_t len, int64_t *start,
                   int64_t *stop) {
    *start = 0; *stop = INT64_MAX;
    if (nargs > 0 && ctr_slice_index(th, args[0], start) < 0) return -1;
    if (nargs > 1 && ctr_slice_index(th, args[1], stop) < 0) return -1;
    if (*start < 0) { *start += len; if (*start < 0) *start = 0; }
    if (*stop < 0) { *stop += len; if (*stop < 0) *stop = 0; }
    return 0;
}

/* repr of items (tuple or list) between open/close, with the recursion guard. */
Value ctr_seq_repr(Thread *th, Value s, const char *open, const char *close, const char *rec) {
    Value *ps = ROOT(th, s);
    int rec_state = vm_repr_enter(th, s);
    if (rec_state != 0) {
        UNROOT(th, 1);
        return rec_state < 0 ? NULL : vm_str_cstr(th, rec);
    }
    Value *parts = ROOT(th, vm_list_new(th, 0));
    Value res = NULL;
    if (!*parts) goto done;
    for (int64_t i = 0; i < seq_len(th, *ps); i++) {
        Value r = vm_repr(th, seq_item(th, *ps, i));
        if (!r || vm_list_append(th, *parts, r) < 0) goto done;
    }
    if (vm_tid(*ps) == T_TUPLE && seq_len(th, *ps) == 1) res = ctr_join(th, open, *parts, "", ",)");
    else res = ctr_join(th, open, *parts, ", ", close);
done:
    vm_repr_leave(th, *ps);
    UNROOT(th, 2);
    return res;
}

/* Repetition count for seq * n: 1 with *n set, 0 if v is not an integer (NotImplemented). */
int ctr_repeat_count(Thread *th, Value v, int64_t *n) {
    if (IS_SMALL(v)) { *n = SMALL_VAL(v); return 1; }
    uint16_t tid = vm_tid(v);
    if (tid == T_INT) {
        if (vm_int_cmp(th, v, MK_SMALL(0)) < 0) { *n = 0; return 1; }
        vm_raise(th, vm.e_OverflowError, "cannot fit 'int' into an index-sized integer");
        return -1;
    }
    if (tid != T_BOOL && !vm_lookup_special(th, v, "__index__")) return 0;
    if (vm_index(th, v, n) < 0) return -1;
    return 1;
}

/* ------------------------------------------------------------------------------------------ */
/* Tuple objects                                                                              */

static size_t tuple_size(const void *p) {
    return sizeof(TupleObj) + (size_t)((const TupleObj *)p)->n * sizeof(Value);
}
static void tuple_trace(void *p, void (*visit)(stm_obj **, void *), void *ctx) {
    TupleObj *t = p;
    visit(&t->h.cls, ctx);
    for (int64_t i = 0; i < t->n; i++) visit(&t->items[i], ctx);
}

static Value tuple_alloc(Thread *th, Value cls, int64_t n) {
    if (n < 0 || (uint64_t)n > (UINT64_MAX / 4) / sizeof(Value)) return vm_no_memory(th);
    Value t = vm_alloc(th, T_TUPLE, sizeof(TupleObj) + (size_t)n * sizeof(Value), STM_IMMUTABLE,
                       cls);
    if (!t) return NULL;
    ((TupleObj *)stm_payload(t))->n = n;
    return t;
}

Value vm_tuple_new(Thread *th, int64_t n) {
    if (n == 0 && vm.empty_tuple) return vm.empty_tuple;
    return tuple_alloc(th, vm.t_tuple, n);
}

Value vm_tuple_from(Thread *th, Value *items, int64_t n) {
    Value t = vm_tuple_new(th, n);
    if (!t || n == 0) return t;
    memcpy(((TupleObj *)stm_payload(t))->items, items, (size_t)n * sizeof(Value));
    return t;
}

Value vm_tuple_pack(Thread *th, int n, ...) {
    va_list ap;
    va_start(ap, n);
    Value *base = NULL;
    for (int i = 0; i < n; i++) {
        Value *p = ROOT(th, va_arg(ap, Value));
        if (i == 0) base = p;
    }
    va_end(ap);
    Value t = vm_tuple_from(th, base, n);
    UNROOT(th, n);
    return t;
}

/* Tuple of cls from any iterable. */
static Value tuple_from_iterable(Thread *th, Value cls, Value it) {
    if (cls == vm.t_tuple && vm_tid(it) == T_TUPLE && vm_type_of(th, it) == vm.t_tuple) return it;
    Value *pl = ROOT(th, NULL);
    if (vm_tid(it) == T_TUPLE || vm_tid(it) == T_LIST) *pl = it;
    else *pl = vm_sequence_list(th, it);
    Value res = NULL;
    Value *pc = ROOT(th, cls);
    if (*pl) {
        int64_t n = seq_len(th, *pl);
        res = (n == 0 && *pc == vm.t_tuple) ? vm_tuple_new(th, 0) : tuple_alloc(th, *pc, n);
        if (res && n) {
            TupleObj *t = stm_payload(res);
            /* the source may have shrunk if it is a list being mutated: allocation runs no code */
            for (int64_t i = 0; i < n; i++) t->items[i] = seq_item(th, *pl, i);
        }
    }
    UNROOT(th, 2);
    return res;
}

Value vm_sequence_tuple(Thread *th, Value iterable) {
    return tuple_from_iterable(th, vm.t_tuple, iterable);
}

#define TSELF(name) \
    if (ctr_self(th, args[0], T_TUPLE, name, "tuple") < 0) return NULL

static Value tuple_new_m(Thread *th, Value *args, int nargs, Value kwnames) {
    /* args[0] is the class */
    Value cls = args[0];
    if (cls == vm.t_tuple && ctr_nokw(th, "tuple", kwnames) < 0) return NULL;
    if (nargs > 2) return vm_raise(th, vm.e_TypeError, "tuple expected at most 1 argument, got %d", nargs - 1);
    if (nargs == 1) return cls == vm.t_tuple ? vm_tuple_new(th, 0) : tuple_alloc(th, cls, 0);
    return tuple_from_iterable(th, cls, args[1]);
}

static Value tuple_len_m(Thread *th, Value *args, int nargs, Value kwnames) {
    TSELF("__len__");
    if (ctr_noargs(th, "tuple.__len__", nargs - 1, kwnames) < 0) return NULL;
    return MK_SMALL(TUP(th, args[0])->n);
}

static Value tuple_getitem_m(Thread *th, Value *args, int nargs, Value kwnames) {
    TSELF("__getitem__");
    if (ctr_onearg(th, "tuple.__getitem__", nargs - 1, kwnames) < 0) return NULL;
    int64_t i, n = TUP(th, args[0])->n;
    int r = ctr_index(th, args[1], &i);
    if (r < 0) return NULL;
    if (r == 1) {
        if (i < 0) i += n;
        if (i < 0 || i >= n) return vm_raise(th, vm.e_IndexError, "tuple index out of range");
        return TUP(th, args[0])->items[i];
    }
    if (vm_tid(args[1]) != T_SLICE) return ctr_bad_index(th, "tuple", args[1]);
    int64_t start, stop, step, len;
    if (vm_slice_indices(th, args[1], n, &start, &stop, &step, &len) < 0) return NULL;
    if (step == 1 && len == n && vm_type_of(th, args[0]) == vm.t_tuple) return args[0];
    Value res = vm_tuple_new(th, len);
    if (!res || len == 0) return res;
    TupleObj *t = stm_payload(res);
    const TupleObj *s = TUP(th, args[0]);
    for (int64_t k = 0, j = start; k < len; k++, j += step) t->items[k] = s->items[j];
    return res;
}

static Value tuple_contains_m(Thread *th, Value *args, int nargs, Value kwnames) {
    TSELF("__contains__");
    if (ctr_onearg(th, "tuple.__contains__", nargs - 1, kwnames) < 0) return NULL;
    int r = ctr_seq_contains(th, args[0], args[1]);
    return r < 0 ? NULL : r ? vm.True : vm.False;
}

static int tuple_iter_kind;

static Value tuple_iter_next(Thread *th, Value it) {
    const IterObj *io = R(th, it, IterObj);
    if (!io->a) return NULL;
    const TupleObj *t = TUP(th, io->a);
    int64_t i = io->i;
    if (i >= t->n) { W(th, it, IterObj)->a = NULL; return NULL; }
    Value v = t->items[i];
    W(th, it, IterObj)->i = i + 1;
    return v;
}

static Value tuple_iter_m(Thread *th, Value *args, int nargs, Value kwnames) {
    TSELF("__iter__");
    if (ctr_noargs(th, "tuple.__iter__", nargs - 1, kwnames) < 0) return NULL;
    return vm_iter_new(th, tuple_iter_kind, args[0], NULL, 0, 0);
}

static Value tuple_add_m(Thread *th, Value *args, int nargs, Value kwnames) {
    TSELF("__add__");
    if (ctr_onearg(th, "tuple.__add__", nargs - 1, kwnames) < 0) return NULL;
    if (vm_tid(args[1]) != T_TUPLE) return vm.NotImplemented;
    int64_t na = TUP(th, args[0])->n, nb = TUP(th, args[1])->n;
    if (nb == 0 && vm_type_of(th, args[0]) == vm.t_tuple) return args[0];
    if (na == 0 && vm_type_of(th, args[1]) == vm.t_tuple) return args[1];
    Value res = vm_tuple_new(th, na + nb);
    if (!res) return NULL;
    TupleObj *t = stm_payload(res);
    memcpy(t->items, TUP(th, args[0])->items, (size_t)na * sizeof(Value));
    memcpy(t->items + na, TUP(th, args[1])->items, (size_t)nb * sizeof(Value));
    return res;
}

static Value tuple_mul_m(Thread *th, Value *args, int nargs, Value kwnames) {
    TSELF("__mul__");
    if (ctr_onearg(th, "tuple.__mul__", nargs - 1, kwnames) < 0) return NULL;
    int64_t k;
    int r = ctr_repeat_count(th, args[1], &k);
    if (r <= 0) return r < 0 ? NULL : vm.NotImplemented;
    int64_t n = TUP(th, args[0])->n;
    if (k <= 0 || n == 0) return vm_tuple_new(th, 0);
    if (k == 1 && vm_type_of(th, args[0]) == vm.t_tuple) return args[0];
    if (n > INT64_MAX / 16 / k) return vm_no_memory(th);
    Value res = vm_tuple_new(th, n * k);
    if (!res) return NULL;
    TupleObj *t = stm_payload(res);
    const TupleObj *s = TUP(th, args[0]);
    for (int64_t j = 0; j < k; j++) memcpy(t->items + j * n, s->items, (size_t)n * sizeof(Value));
    return res;
}

#define TUPLE_CMP(fname, op)                                                                  \
    static Value fname(Thread *th, Value *args, int nargs, Value kwnames) {                   \
        TSELF(#fname);                                                                        \
        if (ctr_onearg(th, "tuple.__cmp__", nargs - 1, kwnames) < 0) return NULL;             \
        if (vm_tid(args[1]) != T_TUPLE) return vm.NotImplemented;                             \
        return ctr_seq_compare(th, args[0], args[1], op);                                     \
    }
TUPLE_CMP(tuple_eq_m, CMP_EQ)
TUPLE_CMP(tuple_ne_m, CMP_NE)
TUPLE_CMP(tuple_lt_m, CMP_LT)
TUPLE_CMP(tuple_le_m, CMP_LE)
TUPLE_CMP(tuple_gt_m, CMP_GT)
TUPLE_CMP(tuple_ge_m, CMP_GE)

/* CPython 3.11's tuple hash (xxHash-based). */
#define XXPRIME_1 ((uint64_t)11400714785074694791ULL)
#define XXPRIME_2 ((uint64_t)14029467366897019727ULL)
#define XXPRIME_5 ((uint64_t)2870177450012600261ULL)
#define XXROTATE(x) ((x << 31) | (x >> 33))

int ctr_tuple_hash(Thread *th, Value t, int64_t *out) {
    int64_t cached = atomic_load_explicit(&((TupleObj *)TUP(th, t))->hash, memory_order_relaxed);
    if (cached) { *out = cached; return 0; }
    Value *pt = ROOT(th, t);
    uint64_t acc = XXPRIME_5;
    int64_t n = TUP(th, t)->n;
    for (int64_t i = 0; i < n; i++) {
        int64_t h;
        if (vm_hash(th, TUP(th, *pt)->items[i], &h) < 0) { UNROOT(th, 1); return -1; }
        uint64_t lane = (uint64_t)h;
        acc += lane * XXPRIME_2;
        acc = XXROTATE(acc);
        acc *= XXPRIME_1;
    }
    acc += (uint64_t)n ^ (XXPRIME_5 ^ 3527539UL);
    if (acc == (uint64_t)-1) acc = 1546275796;
    /* benign race: everyone computes the same value */
    atomic_store_explicit(&((TupleObj *)TUP(th, *pt))->hash, (int64_t)acc, memory_order_relaxed);
    UNROOT(th, 1);
    *out = (int64_t)acc;
    return 0;
}

static Value tuple_hash_m(Thread *th, Value *args, int nargs, Value kwnames) {
    TSELF("__hash__");
    if (ctr_noargs(th, "tuple.__hash__", nargs - 1, kwnames) < 0) return NULL;
    int64_t h;
    if (ctr_tuple_hash(th, args[0], &h) < 0) return NULL;
    return vm_int_from_i64(th, h);
}

static Value tuple_repr_m(Thread *th, Value *args, int nargs, Value kwnames) {
    TSELF("__repr__");
    if (ctr_noargs(th, "tuple.__repr__", nargs - 1, kwnames) < 0) return NULL;
    if (TUP(th, args[0])->n == 0) return vm_str_cstr(th, "()");
    return ctr_seq_repr(th, args[0], "(", ")", "(...)");
}

static Value tuple_count_m(Thread *th, Value *args, int nargs, Value kwnames) {
    TSELF("count");
    if (ctr_onearg(th, "tuple.count", nargs - 1, kwnames) < 0) return NULL;
    int64_t c = ctr_seq_find(th, args[0], args[1], 0, INT64_MAX, false);
    return c < 0 ? NULL : MK_SMALL(c);
}

static Value tuple_index_m(Thread *th, Value *args, int nargs, Value kwnames) {
    TSELF("index");
    if (ctr_posargs(th, "tuple.index", nargs - 1, kwnames, 1, 3) < 0) return NULL;
    int64_t start, stop;
    if (ctr_start_stop(th, args + 2, nargs - 2, TUP(th, args[0])->n, &start, &stop) < 0) return NULL;
    int64_t i = ctr_seq_find(th, args[0], args[1], start, stop, true);
    if (i == -2) return NULL;
    if (i < 0) return vm_raise(th, vm.e_ValueError, "tuple.index(x): x not in tuple");
    return MK_SMALL(i);
}

static Value tuple_getnewargs_m(Thread *th, Value *args, int nargs, Value kwnames) {
    TSELF("__getnewargs__");
    Value t = tuple_from_iterable(th, vm.t_tuple, args[0]);
    if (!t) return NULL;
    return vm_tuple_pack(th, 1, t);
}

static const vm_method tuple_methods[] = {
    {"__new__", tuple_new_m, CF_STATIC},
    {"__len__", tuple_len_m, CF_METHOD},
    {"__getitem__", tuple_getitem_m, CF_METHOD},
    {"__contains__", tuple_contains_m, CF_METHOD},
    {"__iter__", tuple_iter_m, CF_METHOD},
    {"__add__", tuple_add_m, CF_METHOD},
    {"__mul__", tuple_mul_m, CF_METHOD},
    {"__rmul__", tuple_mul_m, CF_METHOD},
    {"__eq__", tuple_eq_m, CF_METHOD},
    {"__ne__", tuple_ne_m, CF_METHOD},
    {"__lt__", tuple_lt_m, CF_METHOD},
    {"__le__", tuple_le_m, CF_METHOD},
    {"__gt__", tuple_gt_m, CF_METHOD},
    {"__ge__", tuple_ge_m, CF_METHOD},
    {"__hash__", tuple_hash_m, CF_METHOD},
    {"__repr__", tuple_repr_m, CF_METHOD},
    {"__getnewargs__", tuple_getnewargs_m, CF_METHOD},
    {"count", tuple_count_m, CF_METHOD},
    {"index", tuple_index_m, CF_METHOD},
    {NULL, NULL, 0}
};

void obj_tuple_init(Thread *th) {
    vm_tidinfo[T_TUPLE] = (vm_typeinfo){tuple_size, tuple_trace};
    tuple_iter_kind = vm_iter_kind(tuple_iter_next, "tuple_iterator");
    vm_add_methods(th, vm.t_tuple, tuple_methods);
}

/* Hash of the built-in hashable containers without going through their __hash__ method (whose
   int result vm_hash would reduce): exact tuple, exact frozenset, range.  0 with *out set, -1 on
   error, 1 when v is none of these (the caller hashes it its own way). */
int ctr_frozenset_hash(Thread *th, Value s, int64_t *out);
int ctr_range_hash(Thread *th, Value r, int64_t *out);
int vm_container_hash(Thread *th, Value v, int64_t *out) {
    if (IS_SMALL(v)) return 1;
    switch (v->tid) {
    case T_TUPLE: return vm_type_of(th, v) == vm.t_tuple ? ctr_tuple_hash(th, v, out) : 1;
    case T_FROZENSET: return vm_type_of(th, v) == vm.t_frozenset ? ctr_frozenset_hash(th, v, out) : 1;
    case T_RANGE: return ctr_range_hash(th, v, out);
    default: return 1;
    }
}
