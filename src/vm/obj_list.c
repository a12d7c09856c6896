/* obj_list.c — list (T_LIST) over growable storage (T_ARRAY). */
#include "vm.h"
#include "opcodes.h"
#include <stdlib.h>
#include <string.h>

int vm_repr_enter(Thread *th, Value v);
void vm_repr_leave(Thread *th, Value v);

/* shared helpers (obj_tuple.c) */
int64_t ctr_nkw(Thread *th, Value kwnames);
int ctr_nokw(Thread *th, const char *qname, Value kwnames);
int ctr_noargs(Thread *th, const char *qname, int nargs, Value kwnames);
int ctr_onearg(Thread *th, const char *qname, int nargs, Value kwnames);
int ctr_posargs(Thread *th, const char *qname, int nargs, Value kwnames, int min, int max);
int ctr_self(Thread *th, Value self, uint16_t tid, const char *meth, const char *tname);
int ctr_index(Thread *th, Value key, int64_t *out);
Value ctr_bad_index(Thread *th, const char *tname, Value key);
int ctr_start_stop(Thread *th, Value *args, int nargs, int64_t len, int64_t *start, int64_t *stop);
Value ctr_seq_compare(Thread *th, Value a, Value b, int op);
int ctr_seq_contains(Thread *th, Value s, Value x);
int64_t ctr_seq_find(Thread *th, Value s, Value x, int64_t start, int64_t stop, bool want_index);
Value ctr_seq_repr(Thread *th, Value s, const char *open, const char *close, const char *rec);
Value ctr_raise_repr(Thread *th, Value exc_type, const char *prefix, Value v, const char *suffix);
int ctr_repeat_count(Thread *th, Value v, int64_t *n);
const char *ctr_type_name(Thread *th, Value cls);

/* ------------------------------------------------------------------------------------------ */
/* Layout                                                                                     */

static size_t list_size(const void *p) { (void)p; return sizeof(ListObj); }
static void list_trace(void *p, void (*visit)(stm_obj **, void *), void *ctx) {
    ListObj *l = p;
    visit(&l->h.cls, ctx);
    visit(&l->items, ctx);
}
static size_t array_size(const void *p) {
    return sizeof(ArrayObj) + (size_t)((const ArrayObj *)p)->cap * sizeof(Value);
}
static void array_trace(void *p, void (*visit)(stm_obj **, void *), void *ctx) {
    ArrayObj *a = p;
    visit(&a->h.cls, ctx);
    for (int64_t i = 0; i < a->cap; i++) visit(&a->items[i], ctx);
}

static inline int64_t LEN(Thread *th, Value l) { return R(th, l, ListObj)->n; }
static inline Value ITEM(Thread *th, Value l, int64_t i) {
    return R(th, R(th, l, ListObj)->items, ArrayObj)->items[i];
}
static inline int64_t CAP(Thread *th, Value l) {
    Value a = R(th, l, ListObj)->items;
    return a ? R(th, a, ArrayObj)->cap : 0;
}
/* Writable items of a list (the storage is written, not the list header). */
static inline Value *WITEMS(Thread *th, Value l) {
    return W(th, R(th, l, ListObj)->items, ArrayObj)->items;
}

static Value array_new(Thread *th, int64_t cap) {
    if (cap < 0 || (uint64_t)cap > (UINT64_MAX / 4) / sizeof(Value)) return vm_no_memory(th);
    Value a = vm_alloc(th, T_ARRAY, sizeof(ArrayObj) + (size_t)cap * sizeof(Value), 0, NULL);
    if (a) ((ArrayObj *)stm_payload(a))->cap = cap;
    return a;
}

static Value list_alloc(Thread *th, Value cls) {
    return vm_alloc(th, T_LIST, sizeof(ListObj), 0, cls);
}

/* Make room for `need` items (need > current capacity).  *pl is a root slot. */
static int list_grow(Thread *th, Value *pl, int64_t need) {
    int64_t cap = need + (need >> 3) + (need < 9 ? 3 : 6);
    Value arr = array_new(th, cap);
    if (!arr) return -1;
    const ListObj *l = R(th, *pl, ListObj);
    if (l->n) {
        const ArrayObj *old = R(th, l->items, ArrayObj);
        memcpy(((ArrayObj *)stm_payload(arr))->items, old->items, (size_t)l->n * sizeof(Value));
    }
    W(th, *pl, ListObj)->items = arr;
    return 0;
}

static int list_reserve(Thread *th, Value *pl, int64_t need) {
    if (need <= CAP(th, *pl)) return 0;
    return list_grow(th, pl, need);
}

/* ------------------------------------------------------------------------------------------ */
/* C API                                                                                      */

Value vm_list_new(Thread *th, int64_t n) {
    Value l = list_alloc(th, vm.t_list);
    if (!l || n == 0) return l;
    Value *pl = ROOT(th, l);
    Value arr = array_new(th, n);
    l = *pl;
    UNROOT(th, 1);
    if (!arr) return NULL;
    ListObj *lw = W(th, l, ListObj);
    lw->items = arr;
    lw->n = n;
    return l;
}

int vm_list_append(Thread *th, Value list, Value v) {
    int64_t n = LEN(th, list);
    if (n >= CAP(th, list)) {
        Value *pl = ROOT(th, list);
        ROOT(th, v);
        int r = list_grow(th, pl, n + 1);
        list = pl[0]; v = pl[1];
        UNROOT(th, 2);
        if (r < 0) return -1;
    }
    WITEMS(th, list)[n] = v;
    W(th, list, ListObj)->n = n + 1;
    return 0;
}

int64_t vm_list_len(Thread *th, Value list) { return LEN(th, list); }

Value vm_list_get(Thread *th, Value list, int64_t i) { return ITEM(th, list, i); }

void vm_list_set(Thread *th, Value list, int64_t i, Value v) { WITEMS(th, list)[i] = v; }

static bool is_fast_seq(Value v) {
    uint16_t t = vm_tid(v);
    return t == T_LIST || t == T_TUPLE;
}
static int64_t fast_len(Thread *th, Value s) {
    return vm_tid(s) == T_TUPLE ? TUP(th, s)->n : LEN(th, s);
}
static Value fast_item(Thread *th, Value s, int64_t i) {
    return vm_tid(s) == T_TUPLE ? TUP(th, s)->items[i] : ITEM(th, s, i);
}

int vm_list_extend(Thread *th, Value list, Value iterable) {
    Value *pl = ROOT(th, list), *ps = ROOT(th, iterable);
    int r = 0;
    if (is_fast_seq(iterable)) {
        int64_t k = fast_len(th, iterable), n = LEN(th, list);
        if (k == 0) goto done;
        if ((r = list_reserve(th, pl, n + k)) < 0) goto done;
        Value *dst = WITEMS(th, *pl);
        for (int64_t i = 0; i < k; i++) dst[n + i] = fast_item(th, *ps, i);
        W(th, *pl, ListObj)->n = n + k;
        goto done;
    }
    Value it = vm_iter(th, iterable);
    if (!it) { r = -1; goto done; }
    Value *pit = ROOT(th, it);
    for (;;) {
        Value v = vm_next(th, *pit);
        if (!v) { if (*th->exc) r = -1; break; }
        if (vm_list_append(th, *pl, v) < 0) { r = -1; break; }
    }
    UNROOT(th, 1);
done:
    UNROOT(th, 2);
    return r;
}

Value vm_sequence_list(Thread *th, Value iterable) {
    Value *ps = ROOT(th, iterable);
    Value *pl = ROOT(th, NULL);
    int64_t hint = is_fast_seq(iterable) ? fast_len(th, iterable) : 0;
    *pl = vm_list_new(th, 0);
    Value res = NULL;
    if (*pl && (hint == 0 || list_reserve(th, pl, hint) == 0) && vm_list_extend(th, *pl, *ps) == 0)
        res = *pl;
    UNROOT(th, 2);
    return res;
}

/* ------------------------------------------------------------------------------------------ */
/* Slices                                                                                     */

static Value list_slice(Thread *th, Value list, int64_t start, int64_t step, int64_t len) {
    Value *pl = ROOT(th, list);
    Value res = vm_list_new(th, len);
    if (res && len) {
        const Value *src = R(th, R(th, *pl, ListObj)->items, ArrayObj)->items;
        Value *dst = WITEMS(th, res);
        for (int64_t k = 0, j = start; k < len; k++, j += step) dst[k] = src[j];
    }
    UNROOT(th, 1);
    return res;
}

/* A list or tuple with the items of v, for slice assignment (a copy when v is the list). */
static Value assign_source(Thread *th, Value list, Value v) {
    if (v != list && is_fast_seq(v)) return v;
    if (v != list && !vm_lookup_special(th, v, "__iter__") &&
        !vm_lookup_special(th, v, "__getitem__"))
        return vm_raise(th, vm.e_TypeError, "can only assign an iterable");
    return vm_sequence_list(th, v);
}

/* list[lo:hi] = v (v NULL: delete), step 1. */
static int list_ass_slice(Thread *th, Value list, int64_t lo, int64_t hi, Value v) {
    Value *pl = ROOT(th, list), *ps = ROOT(th, NULL);
    int r = -1;
    int64_t k = 0;
    if (v) {
        if (!(*ps = assign_source(th, list, v))) goto done;
        k = fast_len(th, *ps);
    }
    int64_t n = LEN(th, *pl);
    if (lo < 0) lo = 0; else if (lo > n) lo = n;
    if (hi < lo) hi = lo; else if (hi > n) hi = n;
    int64_t d = k - (hi - lo), newn = n + d;
    if (d > 0 && list_reserve(th, pl, newn) < 0) goto done;
    if (newn == 0) {
        ListObj *lw = W(th, *pl, ListObj);
        lw->n = 0;
        lw->items = NULL;
        r = 0;
        goto done;
    }
    Value *items = WITEMS(th, *pl);
    if (d != 0) memmove(items + hi + d, items + hi, (size_t)(n - hi) * sizeof(Value));
    for (int64_t i = 0; i < k; i++) items[lo + i] = fast_item(th, *ps, i);
    for (int64_t i = newn; i < n; i++) items[i] = NULL;
    W(th, *pl, ListObj)->n = newn;
    r = 0;
done:
    UNROOT(th, 2);
    return r;
}

static int list_ass_subscript(Thread *th, Value list, Value key, Value v) {
    int64_t i, n = LEN(th, list);
    int r = ctr_index(th, key, &i);
    if (r < 0) return -1;
    if (r == 1) {
        if (i < 0) i += n;
        if (i < 0 || i >= n) {
            vm_raise(th, vm.e_IndexError, "list assignment index out of range");
            return -1;
        }
        if (v) { WITEMS(th, list)[i] = v; return 0; }
        return list_ass_slice(th, list, i, i + 1, NULL);
    }
    if (vm_tid(key) != T_SLICE) { ctr_bad_index(th, "list", key); return -1; }
    int64_t start, stop, step, len;
    if (vm_slice_indices(th, key, n, &start, &stop, &step, &len) < 0) return -1;
    if (step == 1) return list_ass_slice(th, list, start, stop, v);
    if (!v) {   /* delete an extended slice */
        if (len == 0) return 0;
        if (step < 0) { stop = start + 1; start = stop + step * (len - 1) - 1; step = -step; }
        Value *items = WITEMS(th, list);
        int64_t w = start;
        for (int64_t j = start; j < n; j++) {
            if (j < start + step * len && (j - start) % step == 0) continue;
            items[w++] = items[j];
        }
        for (int64_t j = w; j < n; j++) items[j] = NULL;
        W(th, list, ListObj)->n = w;
        return 0;
    }
    Value *pl = ROOT(th, list);
    Value *ps = ROOT(th, assign_source(th, list, v));
    int res = -1;
    if (*ps) {
        int64_t k = fast_len(th, *ps);
        if (k != len) {
            vm_raise(th, vm.e_ValueError,
                     "attempt to assign sequence of size %lld to extended slice of size %lld",
                     (long long)k, (long long)len);
        } else {
            /* the list may have changed while building the source */
            if (len && start + (len - 1) * step < LEN(th, *pl) && start < LEN(th, *pl)) {
                Value *items = WITEMS(th, *pl);
                for (int64_t j = 0, p = start; j < len; j++, p += step)
                    items[p] = fast_item(th, *ps, j);
            }
            res = 0;
        }
    }
    UNROOT(th, 2);
    return res;
}

/* ------------------------------------------------------------------------------------------ */
/* Sorting: stable merge sort of an index permutation (indexes stored as tagged ints in a
   T_ARRAY, so everything stays in GC objects across comparisons that run Python code).      */

typedef struct SortCtx {
    Value *keys;     /* root slot: T_ARRAY of keys (or the values themselves) */
    Value *idx;      /* root slot: T_ARRAY of tagged indexes */
    Value *tmp;      /* root slot: T_ARRAY scratch */
    bool reverse;
} SortCtx;

static inline int64_t IDX(Thread *th, Value *slot, int64_t i) {
    return SMALL_VAL(R(th, *slot, ArrayObj)->items[i]);
}
static inline void SETIDX(Thread *th, Value *slot, int64_t i, int64_t v) {
    W(th, *slot, ArrayObj)->items[i] = MK_SMALL(v);
}

/* key[a] sorts strictly before key[b] */
static int sort_before(Thread *th, SortCtx *c, int64_t a, int64_t b) {
    const ArrayObj *k = R(th, *c->keys, ArrayObj);
    Value x = k->items[a], y = k->items[b];
    return c->reverse ? vm_lt(th, y, x) : vm_lt(th, x, y);
}

static int insertion_sort(Thread *th, SortCtx *c, int64_t lo, int64_t hi) {
    for (int64_t i = lo + 1; i < hi; i++) {
        int64_t pivot = IDX(th, c->idx, i), l = lo, r = i;
        while (l < r) {
            int64_t m = l + (r - l) / 2;
            int lt = sort_before(th, c, pivot, IDX(th, c->idx, m));
            if (lt < 0) return -1;
            if (lt) r = m; else l = m + 1;
        }
        for (int64_t j = i; j > l; j--) SETIDX(th, c->idx, j, IDX(th, c->idx, j - 1));
        SETIDX(th, c->idx, l, pivot);
    }
    return 0;
}

static int merge_sort(Thread *th, SortCtx *c, int64_t lo, int64_t hi) {
    if (hi - lo <= 12) return insertion_sort(th, c, lo, hi);
    int64_t mid = lo + (hi - lo) / 2;
    if (merge_sort(th, c, lo, mid) < 0 || merge_sort(th, c, mid, hi) < 0) return -1;
    int lt = sort_before(th, c, IDX(th, c->idx, mid), IDX(th, c->idx, mid - 1));
    if (lt <= 0) return lt;          /* already in order */
    for (int64_t i = lo; i < mid; i++) SETIDX(th, c->tmp, i, IDX(th, c->idx, i));
    int64_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi) {
        int64_t bj = IDX(th, c->idx, j), ai = IDX(th, c->tmp, i);
        lt = sort_before(th, c, bj, ai);
        if (lt < 0) return -1;
        if (lt) { SETIDX(th, c->idx, k++, bj); j++; }
        else { SETIDX(th, c->idx, k++, ai); i++; }
    }
    while (i < mid) SETIDX(th, c->idx, k++, IDX(th, c->tmp, i++));
    return 0;
}

/* Fast path: all keys small ints, all exact floats (no NaN) or all exact strs.  No moving
   point inside, so raw pointers are fine; scratch memory is thread-local. */
typedef struct FastKey { union { int64_t i; double d; const StrObj *s; } k; int64_t idx; } FastKey;
static _Thread_local FastKey *fk_buf;
static _Thread_local int64_t fk_cap;
static _Thread_local bool fk_reverse;

static int fk_cmp_int(const void *a, const void *b) {
    const FastKey *x = a, *y = b;
    int64_t p = x->k.i, q = y->k.i;
    int c = p < q ? -1 : p > q;
    if (fk_reverse) c = -c;
    return c ? c : (x->idx < y->idx ? -1 : 1);
}
static int fk_cmp_float(const void *a, const void *b) {
    const FastKey *x = a, *y = b;
    double p = x->k.d, q = y->k.d;
    int c = p < q ? -1 : p > q;
    if (fk_reverse) c = -c;
    return c ? c : (x->idx < y->idx ? -1 : 1);
}
static int fk_cmp_str(const void *a, const void *b) {
    const FastKey *x = a, *y = b;
    const StrObj *p = x->k.s, *q = y->k.s;
    int64_t m = p->len < q->len ? p->len : q->len;
    int c = memcmp(p->data, q->data, (size_t)m);
    if (c == 0) c = p->len < q->len ? -1 : p->len > q->len;
    else c = c < 0 ? -1 : 1;
    if (fk_reverse) c = -c;
    return c ? c : (x->idx < y->idx ? -1 : 1);
}

/* 1: sorted into *c->idx; 0: not applicable; -1: out of memory */
static int sort_fast(Thread *th, SortCtx *c, int64_t n) {
    const ArrayObj *k = R(th, *c->keys, ArrayObj);
    int kind = 0;   /* 1 int, 2 float, 3 str */
    Value v0 = k->items[0];
    if (IS_SMALL(v0)) kind = 1;
    else if (vm_tid(v0) == T_FLOAT && vm_type_of(th, v0) == vm.t_float) kind = 2;
    else if (vm_tid(v0) == T_STR && vm_type_of(th, v0) == vm.t_str) kind = 3;
    if (!kind) return 0;
    for (int64_t i = 0; i < n; i++) {
        Value v = k->items[i];
        if (kind == 1 && !IS_SMALL(v)) return 0;
        if (kind == 2 && (IS_SMALL(v) || vm_tid(v) != T_FLOAT || vm_type_of(th, v) != vm.t_float ||
                          FLOAT_VAL(th, v) != FLOAT_VAL(th, v)))
            return 0;
        if (kind == 3 && (IS_SMALL(v) || vm_tid(v) != T_STR || vm_type_of(th, v) != vm.t_str))
            return 0;
    }
    if (n > fk_cap) {
        FastKey *p = realloc(fk_buf, (size_t)n * sizeof(FastKey));
        if (!p) return -1;
        fk_buf = p;
        fk_cap = n;
    }
    for (int64_t i = 0; i < n; i++) {
        Value v = k->items[i];
        fk_buf[i].idx = i;
        if (kind == 1) fk_buf[i].k.i = SMALL_VAL(v);
        else if (kind == 2) fk_buf[i].k.d = FLOAT_VAL(th, v);
        else fk_buf[i].k.s = STR(th, v);
    }
    fk_reverse = c->reverse;
    qsort(fk_buf, (size_t)n, sizeof(FastKey),
          kind == 1 ? fk_cmp_int : kind == 2 ? fk_cmp_float : fk_cmp_str);
    Value *ix = W(th, *c->idx, ArrayObj)->items;
    for (int64_t i = 0; i < n; i++) ix[i] = MK_SMALL(fk_buf[i].idx);
    return 1;
}

int vm_list_sort(Thread *th, Value list, Value key, bool reverse) {
    if (key == vm.None) key = NULL;
    size_t mark = ROOTS_MARK(th);
    Value *pl = ROOT(th, list);
    Value *pk = ROOT(th, key);
    int64_t n = LEN(th, list);
    Value *vals = ROOT(th, R(th, list, ListObj)->items);   /* detached storage */
    Value *keys = ROOT(th, NULL), *idx = ROOT(th, NULL), *tmp = ROOT(th, NULL);
    Value *res = ROOT(th, NULL);
    int r = -1;
    {   /* the list is empty while it is sorted (as CPython) */
        ListObj *lw = W(th, *pl, ListObj);
        lw->n = 0;
        lw->items = NULL;
    }
    if (n < 2) { r = 0; *res = *vals; goto restore; }
    if (*pk) {
        if (!(*keys = array_new(th, n))) goto restore;
        for (int64_t i = 0; i < n; i++) {
            Value kv = vm_call1(th, *pk, R(th, *vals, ArrayObj)->items[i]);
            if (!kv) goto restore;
            W(th, *keys, ArrayObj)->items[i] = kv;
        }
    } else {
        *keys = *vals;
    }
    if (!(*idx = array_new(th, n)) || !(*tmp = array_new(th, n))) goto restore;
    SortCtx c = {keys, idx, tmp, reverse};
    int f = sort_fast(th, &c, n);
    if (f < 0) { vm_no_memory(th); goto restore; }
    if (f == 0) {
        for (int64_t i = 0; i < n; i++) SETIDX(th, idx, i, i);
        if (merge_sort(th, &c, 0, n) < 0) goto restore;
    }
    if (!(*res = array_new(th, n))) goto restore;
    {
        Value *out = W(th, *res, ArrayObj)->items;
        const ArrayObj *in = R(th, *vals, ArrayObj), *ix = R(th, *idx, ArrayObj);
        for (int64_t i = 0; i < n; i++) out[i] = in->items[SMALL_VAL(ix->items[i])];
    }
    r = 0;
restore:
    {
        const ListObj *l = R(th, *pl, ListObj);
        bool modified = l->n != 0 || l->items != NULL;
        ListObj *lw = W(th, *pl, ListObj);
        lw->items = r == 0 ? *res : *vals;
        lw->n = n;
        if (r == 0 && modified) {
            vm_raise(th, vm.e_ValueError, "list modified during sort");
            r = -1;
        }
    }
    ROOTS_RESET(th, mark);
    return r;
}

/* ------------------------------------------------------------------------------------------ */
/* Methods                                                                                    */

#define LSELF(name) \
    if (ctr_self(th, args[0], T_LIST, name, "list") < 0) return NULL

static Value list_new_m(Thread *th, Value *args, int nargs, Value kwnames) {
    return list_alloc(th, args[0]);
}

static Value list_init_m(Thread *th, Value *args, int nargs, Value kwnames) {
    LSELF("__init__");
    if (vm_type_of(th, args[0]) == vm.t_list && ctr_nokw(th, "list", kwnames) < 0) return NULL;
    if (nargs > 2) return vm_raise(th, vm.e_TypeError, "list expected at most 1 argument, got %d", nargs - 1);
    if (LEN(th, args[0]) || R(th, args[0], ListObj)->items) {
        ListObj *lw = W(th, args[0], ListObj);
        lw->n = 0;
        lw->items = NULL;
    }
    if (nargs == 2 && vm_list_extend(th, args[0], args[1]) < 0) return NULL;
    return vm.None;
}

static Value list_len_m(Thread *th, Value *args, int nargs, Value kwnames) {
    LSELF("__len__");
    if (ctr_noargs(th, "list.__len__", nargs - 1, kwnames) < 0) return NULL;
    return MK_SMALL(LEN(th, args[0]));
}

static Value list_getitem_m(Thread *th, Value *args, int nargs, Value kwnames) {
    LSELF("__getitem__");
    if (ctr_onearg(th, "list.__getitem__", nargs - 1, kwnames) < 0) return NULL;
    int64_t i, n = LEN(th, args[0]);
    int r = ctr_index(th, args[1], &i);
    if (r < 0) return NULL;
    if (r == 1) {
        if (i < 0) i += n;
        if (i < 0 || i >= n) return vm_raise(th, vm.e_IndexError, "list index out of range");
        return ITEM(th, args[0], i);
    }
    if (vm_tid(args[1]) != T_SLICE) return ctr_bad_index(th, "list", args[1]);
    int64_t start, stop, step, len;
    if (vm_slice_indices(th, args[1], n, &start, &stop, &step, &len) < 0) return NULL;
    return list_slice(th, args[0], start, step, len);
}

static Value list_setitem_m(Thread *th, Value *args, int nargs, Value kwnames) {
    LSELF("__setitem__");
    if (ctr_posargs(th, "list.__setitem__", nargs - 1, kwnames, 2, 2) < 0) return NULL;
    return list_ass_subscript(th, args[0], args[1], args[2]) < 0 ? NULL : vm.None;
}

static Value list_delitem_m(Thread *th, Value *args, int nargs, Value kwnames) {
    LSELF("__delitem__");
    if (ctr_onearg(th, "list.__delitem__", nargs - 1, kwnames) < 0) return NULL;
    return list_ass_subscript(th, args[0], args[1], NULL) < 0 ? NULL : vm.None;
}

static Value list_contains_m(Thread *th, Value *args, int nargs, Value kwnames) {
    LSELF("__contains__");
    if (ctr_onearg(th, "list.__contains__", nargs - 1, kwnames) < 0) return NULL;
    int r = ctr_seq_contains(th, args[0], args[1]);
    return r < 0 ? NULL : r ? vm.True : vm.False;
}

static int list_iter_kind, list_riter_kind;

static Value list_iter_next(Thread *th, Value it) {
    const IterObj *io = R(th, it, IterObj);
    if (!io->a) return NULL;
    int64_t i = io->i;
    if (i >= LEN(th, io->a)) { W(th, it, IterObj)->a = NULL; return NULL; }
    Value v = ITEM(th, io->a, i);
    W(th, it, IterObj)->i = i + 1;
    return v;
}

static Value list_riter_next(Thread *th, Value it) {
    const IterObj *io = R(th, it, IterObj);
    if (!io->a) return NULL;
    int64_t i = io->i;
    if (i < 0 || i >= LEN(th, io->a)) { W(th, it, IterObj)->a = NULL; return NULL; }
    Value v = ITEM(th, io->a, i);
    W(th, it, IterObj)->i = i - 1;
    return v;
}

static Value list_iter_m(Thread *th, Value *args, int nargs, Value kwnames) {
    LSELF("__iter__");
    if (ctr_noargs(th, "list.__iter__", nargs - 1, kwnames) < 0) return NULL;
    return vm_iter_new(th, list_iter_kind, args[0], NULL, 0, 0);
}

static Value list_reversed_m(Thread *th, Value *args, int nargs, Value kwnames) {
    LSELF("__reversed__");
    if (ctr_noargs(th, "list.__reversed__", nargs - 1, kwnames) < 0) return NULL;
    return vm_iter_new(th, list_riter_kind, args[0], NULL, LEN(th, args[0]) - 1, 0);
}

static Value list_append_m(Thread *th, Value *args, int nargs, Value kwnames) {
    LSELF("append");
    if (ctr_onearg(th, "list.append", nargs - 1, kwnames) < 0) return NULL;
    return vm_list_append(th, args[0], args[1]) < 0 ? NULL : vm.None;
}

static Value list_extend_m(Thread *th, Value *args, int nargs, Value kwnames) {
    LSELF("extend");
    if (ctr_onearg(th, "list.extend", nargs - 1, kwnames) < 0) return NULL;
    return vm_list_extend(th, args[0], args[1]) < 0 ? NULL : vm.None;
}

static Value list_insert_m(Thread *th, Value *args, int nargs, Value kwnames) {
    LSELF("insert");
    if (ctr_posargs(th, "list.insert", nargs - 1, kwnames, 2, 2) < 0) return NULL;
    int64_t i;
    int r = ctr_index(th, args[1], &i);
    if (r < 0) return NULL;
    if (r == 0)
        return vm_raise(th, vm.e_TypeError, "'%s' object cannot be interpreted as an integer",
                        vm_type_name(th, args[1]));
    int64_t n = LEN(th, args[0]);
    if (i < 0) { i += n; if (i < 0) i = 0; }
    if (i > n) i = n;
    if (list_reserve(th, &args[0], n + 1) < 0) return NULL;
    Value *items = WITEMS(th, args[0]);
    memmove(items + i + 1, items + i, (size_t)(n - i) * sizeof(Value));
    items[i] = args[2];
    W(th, args[0], ListObj)->n = n + 1;
    return vm.None;
}

static Value list_pop_m(Thread *th, Value *args, int nargs, Value kwnames) {
    LSELF("pop");
    if (ctr_posargs(th, "list.pop", nargs - 1, kwnames, 0, 1) < 0) return NULL;
    int64_t i = -1;
    if (nargs == 2) {
        int r = ctr_index(th, args[1], &i);
        if (r < 0) return NULL;
        if (r == 0)
            return vm_raise(th, vm.e_TypeError, "'%s' object cannot be interpreted as an integer",
                            vm_type_name(th, args[1]));
    }
    int64_t n = LEN(th, args[0]);
    if (n == 0) return vm_raise(th, vm.e_IndexError, "pop from empty list");
    if (i < 0) i += n;
    if (i < 0 || i >= n) return vm_raise(th, vm.e_IndexError, "pop index out of range");
    Value *items = WITEMS(th, args[0]);
    Value v = items[i];
    memmove(items + i, items + i + 1, (size_t)(n - i - 1) * sizeof(Value));
    items[n - 1] = NULL;
    W(th, args[0], ListObj)->n = n - 1;
    return v;
}

static Value list_remove_m(Thread *th, Value *args, int nargs, Value kwnames) {
    LSELF("remove");
    if (ctr_onearg(th, "list.remove", nargs - 1, kwnames) < 0) return NULL;
    int64_t i = ctr_seq_find(th, args[0], args[1], 0, INT64_MAX, true);
    if (i == -2) return NULL;
    if (i < 0) return vm_raise(th, vm.e_ValueError, "list.remove(x): x not in list");
    return list_ass_slice(th, args[0], i, i + 1, NULL) < 0 ? NULL : vm.None;
}

static Value list_index_m(Thread *th, Value *args, int nargs, Value kwnames) {
    LSELF("index");
    if (ctr_posargs(th, "list.index", nargs - 1, kwnames, 1, 3) < 0) return NULL;
    int64_t start, stop;
    if (ctr_start_stop(th, args + 2, nargs - 2, LEN(th, args[0]), &start, &stop) < 0) return NULL;
    int64_t i = ctr_seq_find(th, args[0], args[1], start, stop, true);
    if (i == -2) return NULL;
    if (i < 0) return ctr_raise_repr(th, vm.e_ValueError, "", args[1], " is not in list");
    return MK_SMALL(i);
}

static Value list_count_m(Thread *th, Value *args, int nargs, Value kwnames) {
    LSELF("count");
    if (ctr_onearg(th, "list.count", nargs - 1, kwnames) < 0) return NULL;
    int64_t c = ctr_seq_find(th, args[0], args[1], 0, INT64_MAX, false);
    return c < 0 ? NULL : MK_SMALL(c);
}

static Value list_clear_m(Thread *th, Value *args, int nargs, Value kwnames) {
    LSELF("clear");
    if (ctr_noargs(th, "list.clear", nargs - 1, kwnames) < 0) return NULL;
    ListObj *lw = W(th, args[0], ListObj);
    lw->n = 0;
    lw->items = NULL;
    return vm.None;
}

static Value list_copy_m(Thread *th, Value *args, int nargs, Value kwnames) {
    LSELF("copy");
    if (ctr_noargs(th, "list.copy", nargs - 1, kwnames) < 0) return NULL;
    return list_slice(th, args[0], 0, 1, LEN(th, args[0]));
}

static Value list_reverse_m(Thread *th, Value *args, int nargs, Value kwnames) {
    LSELF("reverse");
    if (ctr_noargs(th, "list.reverse", nargs - 1, kwnames) < 0) return NULL;
    int64_t n = LEN(th, args[0]);
    if (n < 2) return vm.None;
    Value *items = WITEMS(th, args[0]);
    for (int64_t i = 0, j = n - 1; i < j; i++, j--) {
        Value t = items[i]; items[i] = items[j]; items[j] = t;
    }
    return vm.None;
}

static Value list_sort_m(Thread *th, Value *args, int nargs, Value kwnames) {
    LSELF("sort");
    if (nargs > 1) return vm_raise(th, vm.e_TypeError, "sort() takes no positional arguments");
    bool reverse = false;
    int64_t nkw = ctr_nkw(th, kwnames);
    /* reverse's __bool__ may run Python code: kwnames (young when built by f(**d)) and key move */
    Value *pkw = ROOT(th, kwnames), *pkey = ROOT(th, NULL);
    for (int64_t i = 0; i < nkw; i++) {
        const char *s = STR(th, TUP(th, *pkw)->items[i])->data;
        if (strcmp(s, "key") == 0) *pkey = args[nargs + i];
        else if (strcmp(s, "reverse") == 0) {
            int t = vm_truthy(th, args[nargs + i]);
            if (t < 0) { UNROOT(th, 2); return NULL; }
            reverse = t;
        } else {
            UNROOT(th, 2);
            return vm_raise(th, vm.e_TypeError, "'%s' is an invalid keyword argument for sort()", s);
        }
    }
    int r = vm_list_sort(th, args[0], *pkey, reverse);
    UNROOT(th, 2);
    return r < 0 ? NULL : vm.None;
}

static Value list_add_m(Thread *th, Value *args, int nargs, Value kwnames) {
    LSELF("__add__");
    if (ctr_onearg(th, "list.__add__", nargs - 1, kwnames) < 0) return NULL;
    if (vm_tid(args[1]) != T_LIST) return vm.NotImplemented;
    int64_t na = LEN(th, args[0]), nb = LEN(th, args[1]);
    Value res = vm_list_new(th, na + nb);
    if (!res || na + nb == 0) return res;
    Value *dst = WITEMS(th, res);
    for (int64_t i = 0; i < na; i++) dst[i] = ITEM(th, args[0], i);
    for (int64_t i = 0; i < nb; i++) dst[na + i] = ITEM(th, args[1], i);
    return res;
}

static Value list_iadd_m(Thread *th, Value *args, int nargs, Value kwnames) {
    LSELF("__iadd__");
    if (ctr_onearg(th, "list.__iadd__", nargs - 1, kwnames) < 0) return NULL;
    return vm_list_extend(th, args[0], args[1]) < 0 ? NULL : args[0];
}

static Value list_mul_m(Thread *th, Value *args, int nargs, Value kwnames) {
    LSELF("__mul__");
    if (ctr_onearg(th, "list.__mul__", nargs - 1, kwnames) < 0) return NULL;
    int64_t k;
    int r = ctr_repeat_count(th, args[1], &k);
    if (r <= 0) return r < 0 ? NULL : vm.NotImplemented;
    int64_t n = LEN(th, args[0]);
    if (k <= 0 || n == 0) return vm_list_new(th, 0);
    if (n > INT64_MAX / 16 / k) return vm_no_memory(th);
    Value res = vm_list_new(th, n * k);
    if (!res) return NULL;
    Value *dst = WITEMS(th, res);
    const Value *src = R(th, R(th, args[0], ListObj)->items, ArrayObj)->items;
    for (int64_t j = 0; j < k; j++) memcpy(dst + j * n, src, (size_t)n * sizeof(Value));
    return res;
}

static Value list_imul_m(Thread *th, Value *args, int nargs, Value kwnames) {
    LSELF("__imul__");
    if (ctr_onearg(th, "list.__imul__", nargs - 1, kwnames) < 0) return NULL;
    int64_t k;
    int r = ctr_repeat_count(th, args[1], &k);
    if (r <= 0) return r < 0 ? NULL : vm.NotImplemented;
    int64_t n = LEN(th, args[0]);
    if (n == 0 || k == 1) return args[0];
    if (k <= 0) {
        ListObj *lw = W(th, args[0], ListObj);
        lw->n = 0;
        lw->items = NULL;
        return args[0];
    }
    if (n > INT64_MAX / 16 / k) return vm_no_memory(th);
    if (list_reserve(th, &args[0], n * k) < 0) return NULL;
    Value *items = WITEMS(th, args[0]);
    for (int64_t j = 1; j < k; j++) memcpy(items + j * n, items, (size_t)n * sizeof(Value));
    W(th, args[0], ListObj)->n = n * k;
    return args[0];
}

#define LIST_CMP(fname, op)                                                                   \
    static Value fname(Thread *th, Value *args, int nargs, Value kwnames) {                   \
        LSELF(#fname);                                                                        \
        if (ctr_onearg(th, "list.__cmp__", nargs - 1, kwnames) < 0) return NULL;              \
        if (vm_tid(args[1]) != T_LIST) return vm.NotImplemented;                              \
        return ctr_seq_compare(th, args[0], args[1], op);                                     \
    }
LIST_CMP(list_eq_m, CMP_EQ)
LIST_CMP(list_ne_m, CMP_NE)
LIST_CMP(list_lt_m, CMP_LT)
LIST_CMP(list_le_m, CMP_LE)
LIST_CMP(list_gt_m, CMP_GT)
LIST_CMP(list_ge_m, CMP_GE)

static Value list_repr_m(Thread *th, Value *args, int nargs, Value kwnames) {
    LSELF("__repr__");
    if (ctr_noargs(th, "list.__repr__", nargs - 1, kwnames) < 0) return NULL;
    if (LEN(th, args[0]) == 0) return vm_str_cstr(th, "[]");
    return ctr_seq_repr(th, args[0], "[", "]", "[...]");
}

static const vm_method list_methods[] = {
    {"__new__", list_new_m, CF_STATIC},
    {"__init__", list_init_m, CF_METHOD},
    {"__len__", list_len_m, CF_METHOD},
    {"__getitem__", list_getitem_m, CF_METHOD},
    {"__setitem__", list_setitem_m, CF_METHOD},
    {"__delitem__", list_delitem_m, CF_METHOD},
    {"__contains__", list_contains_m, CF_METHOD},
    {"__iter__", list_iter_m, CF_METHOD},
    {"__reversed__", list_reversed_m, CF_METHOD},
    {"__add__", list_add_m, CF_METHOD},
    {"__iadd__", list_iadd_m, CF_METHOD},
    {"__mul__", list_mul_m, CF_METHOD},
    {"__rmul__", list_mul_m, CF_METHOD},
    {"__imul__", list_imul_m, CF_METHOD},
    {"__eq__", list_eq_m, CF_METHOD},
    {"__ne__", list_ne_m, CF_METHOD},
    {"__lt__", list_lt_m, CF_METHOD},
    {"__le__", list_le_m, CF_METHOD},
    {"__gt__", list_gt_m, CF_METHOD},
    {"__ge__", list_ge_m, CF_METHOD},
    {"__repr__", list_repr_m, CF_METHOD},
    {"append", list_append_m, CF_METHOD},
    {"extend", list_extend_m, CF_METHOD},
    {"insert", list_insert_m, CF_METHOD},
    {"pop", list_pop_m, CF_METHOD},
    {"remove", list_remove_m, CF_METHOD},
    {"index", list_index_m, CF_METHOD},
    {"count", list_count_m, CF_METHOD},
    {"clear", list_clear_m, CF_METHOD},
    {"copy", list_copy_m, CF_METHOD},
    {"reverse", list_reverse_m, CF_METHOD},
    {"sort", list_sort_m, CF_METHOD},
    {NULL, NULL, 0}
};

/* type.__hash__ = None (unhashable): a method entry without a function adds None */
static const vm_method unhashable_methods[] = {{"__hash__", NULL, 0}, {NULL, NULL, 0}};
void ctr_set_unhashable(Thread *th, Value type) { vm_add_methods(th, type, unhashable_methods); }

void obj_list_init(Thread *th) {
    vm_tidinfo[T_LIST] = (vm_typeinfo){list_size, list_trace};
    vm_tidinfo[T_ARRAY] = (vm_typeinfo){array_size, array_trace};
    list_iter_kind = vm_iter_kind(list_iter_next, "list_iterator");
    list_riter_kind = vm_iter_kind(list_riter_next, "list_reverseiterator");
    vm_add_methods(th, vm.t_list, list_methods);
    ctr_set_unhashable(th, vm.t_list);
}
