/* obj_range.c — range (T_RANGE) and slice (T_SLICE), both immutable. */
#include "vm.h"
#include "opcodes.h"
#include <string.h>

/* shared helpers (obj_tuple.c, obj_list.c) */
int ctr_nokw(Thread *th, const char *qname, Value kwnames);
int ctr_noargs(Thread *th, const char *qname, int nargs, Value kwnames);
int ctr_onearg(Thread *th, const char *qname, int nargs, Value kwnames);
int ctr_posargs(Thread *th, const char *qname, int nargs, Value kwnames, int min, int max);
int ctr_self(Thread *th, Value self, uint16_t tid, const char *meth, const char *tname);
int ctr_index(Thread *th, Value key, int64_t *out);
Value ctr_bad_index(Thread *th, const char *tname, Value key);
Value ctr_join(Thread *th, const char *open, Value parts, const char *sep, const char *close);
Value ctr_raise_repr(Thread *th, Value exc_type, const char *prefix, Value v, const char *suffix);
int ctr_tuple_hash(Thread *th, Value t, int64_t *out);
void ctr_set_unhashable(Thread *th, Value type);

typedef struct RangeObj { ObjHead h; Value start, stop, step, len; } RangeObj;
typedef struct SliceObj { ObjHead h; Value start, stop, step; } SliceObj;

static size_t range_size(const void *p) { (void)p; return sizeof(RangeObj); }
static void range_trace(void *p, void (*visit)(stm_obj **, void *), void *ctx) {
    RangeObj *r = p;
    visit(&r->h.cls, ctx);
    visit(&r->start, ctx); visit(&r->stop, ctx); visit(&r->step, ctx); visit(&r->len, ctx);
}
static size_t slice_size(const void *p) { (void)p; return sizeof(SliceObj); }
static void slice_trace(void *p, void (*visit)(stm_obj **, void *), void *ctx) {
    SliceObj *s = p;
    visit(&s->h.cls, ctx);
    visit(&s->start, ctx); visit(&s->stop, ctx); visit(&s->step, ctx);
}

static inline const RangeObj *RNG(Thread *th, Value r) { return R(th, r, RangeObj); }
static inline bool all_small(const RangeObj *r) {
    return IS_SMALL(r->start) && IS_SMALL(r->stop) && IS_SMALL(r->step) && IS_SMALL(r->len);
}

static Value int_op(Thread *th, int op, Value a, Value b) { return vm_int_binop(th, op, a, b); }
static int int_sign(Thread *th, Value v) {
    if (IS_SMALL(v)) return SMALL_VAL(v) < 0 ? -1 : SMALL_VAL(v) > 0;
    return vm_int_cmp(th, v, MK_SMALL(0));
}

/* An argument of range(): an int (bool -> int), or __index__. */
static Value range_arg(Thread *th, Value v) {
    if (IS_SMALL(v) || vm_tid(v) == T_INT) return v;
    if (vm_tid(v) != T_BOOL && !vm_lookup_special(th, v, "__index__"))
        return vm_raise(th, vm.e_TypeError, "'%s' object cannot be interpreted as an integer",
                        vm_type_name(th, v));
    int64_t i;
    if (vm_index(th, v, &i) < 0) return NULL;
    return vm_int_from_i64(th, i);
}

/* CPython's compute_range_length */
static Value range_length(Thread *th, Value start, Value stop, Value step) {
    if (IS_SMALL(start) && IS_SMALL(stop) && IS_SMALL(step)) {
        int64_t lo = SMALL_VAL(start), hi = SMALL_VAL(stop), st = SMALL_VAL(step);
        if (st > 0 && lo < hi) return MK_SMALL((hi - lo - 1) / st + 1);
        if (st < 0 && lo > hi) return MK_SMALL((lo - hi - 1) / (-st) + 1);
        return MK_SMALL(0);
    }
    Value *p = ROOT(th, start); ROOT(th, stop); ROOT(th, step);
    Value res = NULL;
    Value lo = p[0], hi = p[1];
    if (int_sign(th, p[2]) < 0) { lo = p[1]; hi = p[0]; }
    if (vm_int_cmp(th, lo, hi) >= 0) { res = MK_SMALL(0); goto done; }
    Value diff = int_op(th, BINOP_SUB, hi, lo);
    if (!diff) goto done;
    Value *pd = ROOT(th, int_op(th, BINOP_SUB, diff, MK_SMALL(1)));
    Value st = int_sign(th, p[2]) < 0 ? vm_int_unary(th, '-', p[2]) : p[2];
    if (*pd && st) {
        Value q = int_op(th, BINOP_FLOORDIV, *pd, st);
        if (q) res = int_op(th, BINOP_ADD, q, MK_SMALL(1));
    }
    UNROOT(th, 1);
done:
    UNROOT(th, 3);
    return res;
}

static Value range_make(Thread *th, Value cls, Value start, Value stop, Value step) {
    Value *p = ROOT(th, start); ROOT(th, stop); ROOT(th, step); ROOT(th, cls);
    Value res = NULL;
    Value len = range_length(th, p[0], p[1], p[2]);
    if (len) {
        Value *pl = ROOT(th, len);
        res = vm_alloc(th, T_RANGE, sizeof(RangeObj), STM_IMMUTABLE, p[3]);
        if (res) {
            RangeObj *r = stm_payload(res);
            r->start = p[0]; r->stop = p[1]; r->step = p[2]; r->len = *pl;
        }
        UNROOT(th, 1);
    }
    UNROOT(th, 4);
    return res;
}

/* start + i * step */
static Value range_item(Thread *th, Value rv, Value i) {
    const RangeObj *r = RNG(th, rv);
    if (all_small(r) && IS_SMALL(i))
        return MK_SMALL(SMALL_VAL(r->start) + SMALL_VAL(i) * SMALL_VAL(r->step));
    Value *pr = ROOT(th, rv);
    Value res = NULL;
    Value m = int_op(th, BINOP_MUL, i, RNG(th, *pr)->step);
    if (m) res = int_op(th, BINOP_ADD, RNG(th, *pr)->start, m);
    UNROOT(th, 1);
    return res;
}

#define RSELF(name) \
    if (ctr_self(th, args[0], T_RANGE, name, "range") < 0) return NULL

static Value range_new_m(Thread *th, Value *args, int nargs, Value kwnames) {
    if (ctr_nokw(th, "range", kwnames) < 0) return NULL;
    int n = nargs - 1;
    if (n < 1) return vm_raise(th, vm.e_TypeError, "range expected at least 1 argument, got %d", n);
    if (n > 3) return vm_raise(th, vm.e_TypeError, "range expected at most 3 arguments, got %d", n);
    Value *p = ROOT(th, MK_SMALL(0)); ROOT(th, NULL); ROOT(th, MK_SMALL(1));
    Value res = NULL;
    if (n == 1) {
        if (!(p[1] = range_arg(th, args[1]))) goto done;
    } else {
        if (!(p[0] = range_arg(th, args[1]))) goto done;
        if (!(p[1] = range_arg(th, args[2]))) goto done;
        if (n == 3) {
            if (!(p[2] = range_arg(th, args[3]))) goto done;
            if (int_sign(th, p[2]) == 0) {
                vm_raise(th, vm.e_ValueError, "range() arg 3 must not be zero");
                goto done;
            }
        }
    }
    res = range_make(th, args[0], p[0], p[1], p[2]);
done:
    UNROOT(th, 3);
    return res;
}

static Value range_len_m(Thread *th, Value *args, int nargs, Value kwnames) {
    RSELF("__len__");
    if (ctr_noargs(th, "range.__len__", nargs - 1, kwnames) < 0) return NULL;
    Value len = RNG(th, args[0])->len;
    if (!IS_SMALL(len))
        return vm_raise(th, vm.e_OverflowError, "Python int too large to convert to C ssize_t");
    return len;
}

static Value range_bool_m(Thread *th, Value *args, int nargs, Value kwnames) {
    RSELF("__bool__");
    return int_sign(th, RNG(th, args[0])->len) != 0 ? vm.True : vm.False;
}

static Value range_getitem_m(Thread *th, Value *args, int nargs, Value kwnames) {
    RSELF("__getitem__");
    if (ctr_onearg(th, "range.__getitem__", nargs - 1, kwnames) < 0) return NULL;
#define self args[0]
#define key args[1]
    const RangeObj *r = RNG(th, self);
    if (vm_tid(key) == T_SLICE) {
        if (!IS_SMALL(r->len))
            return vm_raise(th, vm.e_OverflowError, "Python int too large to convert to C ssize_t");
        int64_t start, stop, step, len;
        if (vm_slice_indices(th, key, SMALL_VAL(r->len), &start, &stop, &step, &len) < 0) return NULL;
        Value *p = ROOT(th, NULL); ROOT(th, NULL); ROOT(th, NULL);
        Value res = NULL;
        Value st;
        if (!(p[0] = range_item(th, self, MK_SMALL(start)))) goto done;
        if (!(p[1] = range_item(th, self, MK_SMALL(stop)))) goto done;
        st = vm_int_from_i64(th, step);
        if (!st || !(p[2] = int_op(th, BINOP_MUL, RNG(th, self)->step, st))) goto done;
        res = range_make(th, vm.t_range, p[0], p[1], p[2]);
    done:
        UNROOT(th, 3);
        return res;
    }
    Value i;
    if (IS_SMALL(key) || vm_tid(key) == T_INT) i = key;
    else {
        int64_t k;
        int rr = ctr_index(th, key, &k);
        if (rr < 0) return NULL;
        if (rr == 0)
            return vm_raise(th, vm.e_TypeError, "range indices must be integers or slices, not %s",
                            vm_type_name(th, key));
        i = MK_SMALL(k);
    }
    r = RNG(th, self);
    if (IS_SMALL(i) && IS_SMALL(r->len)) {
        int64_t k = SMALL_VAL(i), n = SMALL_VAL(r->len);
        if (k < 0) k += n;
        if (k < 0 || k >= n) return vm_raise(th, vm.e_IndexError, "range object index out of range");
        return range_item(th, self, MK_SMALL(k));
    }
    Value *pi = ROOT(th, i);
    Value res = NULL;
    if (int_sign(th, *pi) < 0) {
        *pi = int_op(th, BINOP_ADD, *pi, RNG(th, self)->len);
        if (!*pi) goto out;
    }
    if (int_sign(th, *pi) < 0 || vm_int_cmp(th, *pi, RNG(th, self)->len) >= 0)
        vm_raise(th, vm.e_IndexError, "range object index out of range");
    else
        res = range_item(th, self, *pi);
out:
    UNROOT(th, 1);
    return res;
#undef self
#undef key
}

/* ob in range for an int ob: 1/0, -1 error */
static int range_contains_int(Thread *th, Value self, Value ob) {
    const RangeObj *r = RNG(th, self);
    if (all_small(r) && IS_SMALL(ob)) {
        int64_t o = SMALL_VAL(ob), s = SMALL_VAL(r->start), e = SMALL_VAL(r->stop),
                st = SMALL_VAL(r->step);
        if (st > 0 ? !(s <= o && o < e) : !(e < o && o <= s)) return 0;
        return (o - s) % st == 0;
    }
    Value *p = ROOT(th, self); ROOT(th, ob);
    int res = -1;
    Value start = RNG(th, p[0])->start, stop = RNG(th, p[0])->stop;
    if (int_sign(th, RNG(th, p[0])->step) > 0) {
        if (vm_int_cmp(th, start, p[1]) > 0 || vm_int_cmp(th, p[1], stop) >= 0) { res = 0; goto done; }
    } else {
        if (vm_int_cmp(th, p[1], start) > 0 || vm_int_cmp(th, stop, p[1]) >= 0) { res = 0; goto done; }
    }
    Value d = int_op(th, BINOP_SUB, p[1], RNG(th, p[0])->start);
    if (!d) goto done;
    Value m = int_op(th, BINOP_MOD, d, RNG(th, p[0])->step);
    if (!m) goto done;
    res = int_sign(th, m) == 0;
done:
    UNROOT(th, 2);
    return res;
}

static bool exact_int(Thread *th, Value v) {
    return IS_SMALL(v) || vm_tid(v) == T_INT || vm_tid(v) == T_BOOL;
}

/* Generic search by equality: count, or first index (-1 if missing); -2 on error. */
static int64_t range_search(Thread *th, Value self, Value ob, bool want_index) {
    const RangeObj *r = RNG(th, self);
    if (!IS_SMALL(r->len)) {
        vm_raise(th, vm.e_OverflowError, "Python int too large to convert to C ssize_t");
        return -2;
    }
    int64_t n = SMALL_VAL(r->len), count = 0;
    Value *p = ROOT(th, self); ROOT(th, ob);
    int64_t res = want_index ? -1 : 0;
    for (int64_t i = 0; i < n; i++) {
        Value item = range_item(th, p[0], MK_SMALL(i));
        if (!item) { res = -2; break; }
        int eq = vm_eq(th, item, p[1]);
        if (eq < 0) { res = -2; break; }
        if (eq) {
            if (want_index) { res = i; break; }
            count++;
        }
        if (!want_index) res = count;
    }
    UNROOT(th, 2);
    return res;
}

static Value range_contains_m(Thread *th, Value *args, int nargs, Value kwnames) {
    RSELF("__contains__");
    if (ctr_onearg(th, "range.__contains__", nargs - 1, kwnames) < 0) return NULL;
    int r;
    if (exact_int(th, args[1])) {
        Value ob = vm_tid(args[1]) == T_BOOL ? MK_SMALL(args[1] == vm.True) : args[1];
        r = range_contains_int(th, args[0], ob);
    } else {
        int64_t i = range_search(th, args[0], args[1], true);
        r = i == -2 ? -1 : i >= 0;
    }
    return r < 0 ? NULL : r ? vm.True : vm.False;
}

static Value range_count_m(Thread *th, Value *args, int nargs, Value kwnames) {
    RSELF("count");
    if (ctr_onearg(th, "range.count", nargs - 1, kwnames) < 0) return NULL;
    if (exact_int(th, args[1])) {
        Value ob = vm_tid(args[1]) == T_BOOL ? MK_SMALL(args[1] == vm.True) : args[1];
        int r = range_contains_int(th, args[0], ob);
        return r < 0 ? NULL : MK_SMALL(r);
    }
    int64_t c = range_search(th, args[0], args[1], false);
    return c < 0 ? NULL : MK_SMALL(c);
}

static Value range_index_m(Thread *th, Value *args, int nargs, Value kwnames) {
    RSELF("index");
    if (ctr_onearg(th, "range.index", nargs - 1, kwnames) < 0) return NULL;
    if (exact_int(th, args[1])) {
        Value ob = vm_tid(args[1]) == T_BOOL ? MK_SMALL(args[1] == vm.True) : args[1];
        int r = range_contains_int(th, args[0], ob);
        if (r < 0) return NULL;
        if (!r) return ctr_raise_repr(th, vm.e_ValueError, "", args[1], " is not in range");
        const RangeObj *rg = RNG(th, args[0]);
        if (all_small(rg) && IS_SMALL(ob))
            return MK_SMALL((SMALL_VAL(ob) - SMALL_VAL(rg->start)) / SMALL_VAL(rg->step));
        Value *p = ROOT(th, ob);
        Value res = NULL;
        Value d = int_op(th, BINOP_SUB, *p, RNG(th, args[0])->start);
        if (d) res = int_op(th, BINOP_FLOORDIV, d, RNG(th, args[0])->step);
        UNROOT(th, 1);
        return res;
    }
    int64_t i = range_search(th, args[0], args[1], true);
    if (i == -2) return NULL;
    if (i < 0) return ctr_raise_repr(th, vm.e_ValueError, "", args[1], " is not in range");
    return MK_SMALL(i);
}

/* Iterators.  Small: i = next value, n = remaining, b = step (tagged).  Long: a = range,
   b = next index (int), flags = 1 when reversed. */
static int range_iter_kind, longrange_iter_kind;

static Value range_iter_next(Thread *th, Value it) {
    const IterObj *io = R(th, it, IterObj);
    if (io->n <= 0) return NULL;
    int64_t v = io->i;
    IterObj *w = W(th, it, IterObj);
    w->n--;
    if (w->n > 0) w->i = v + SMALL_VAL(w->b);
    return MK_SMALL(v);
}

static Value longrange_iter_next(Thread *th, Value it) {
    const IterObj *io = R(th, it, IterObj);
    if (!io->a) return NULL;
    Value *p = ROOT(th, it);
    Value res = NULL;
    Value idx = io->b, rv = io->a;
    bool rev = io->flags & 1;
    if (int_sign(th, idx) < 0 || vm_int_cmp(th, idx, RNG(th, rv)->len) >= 0) {
        W(th, *p, IterObj)->a = NULL;
        goto done;
    }
    res = range_item(th, rv, idx);
    if (!res) goto done;
    Value *pr = ROOT(th, res);
    Value nidx = int_op(th, rev ? BINOP_SUB : BINOP_ADD, R(th, *p, IterObj)->b, MK_SMALL(1));
    if (!nidx) res = NULL;
    else { W(th, *p, IterObj)->b = nidx; res = *pr; }
    UNROOT(th, 1);
done:
    UNROOT(th, 1);
    return res;
}

static Value range_iter_common(Thread *th, Value self, bool rev) {
    const RangeObj *r = RNG(th, self);
    if (all_small(r)) {
        int64_t n = SMALL_VAL(r->len), st = SMALL_VAL(r->step), s = SMALL_VAL(r->start);
        if (rev) { if (n > 0) s = s + (n - 1) * st; st = -st; }
        if (n == 0) s = 0;
        if (FITS_SMALL(st)) return vm_iter_new(th, range_iter_kind, NULL, MK_SMALL(st), s, n);
    }
    Value *p = ROOT(th, self);
    Value res = NULL;
    Value start = MK_SMALL(0);
    if (rev) start = int_op(th, BINOP_SUB, RNG(th, *p)->len, MK_SMALL(1));
    if (start) {
        res = vm_iter_new(th, longrange_iter_kind, *p, start, 0, 0);
        if (res && rev) W(th, res, IterObj)->flags = 1;
    }
    UNROOT(th, 1);
    return res;
}

static Value range_iter_m(Thread *th, Value *args, int nargs, Value kwnames) {
    RSELF("__iter__");
    return range_iter_common(th, args[0], false);
}
static Value range_reversed_m(Thread *th, Value *args, int nargs, Value kwnames) {
    RSELF("__reversed__");
    return range_iter_common(th, args[0], true);
}

/* "range(0, 5)" / "range(0, 10, 2)" and "slice(1, 2, None)" */
static Value repr_fields(Thread *th, const char *open, Value *vals, int n) {
    Value *parts = ROOT(th, vm_list_new(th, 0));
    Value res = NULL;
    if (!*parts) goto done;
    for (int i = 0; i < n; i++) {
        Value r = vm_repr(th, vals[i]);
        if (!r || vm_list_append(th, *parts, r) < 0) goto done;
    }
    res = ctr_join(th, open, *parts, ", ", ")");
done:
    UNROOT(th, 1);
    return res;
}

static Value range_repr_m(Thread *th, Value *args, int nargs, Value kwnames) {
    RSELF("__repr__");
    const RangeObj *r = RNG(th, args[0]);
    Value *p = ROOT(th, r->start); ROOT(th, r->stop); ROOT(th, r->step);
    int n = (IS_SMALL(r->step) && SMALL_VAL(r->step) == 1) ? 2 : 3;
    Value res = repr_fields(th, "range(", p, n);
    UNROOT(th, 3);
    return res;
}

static int range_equal(Thread *th, Value a, Value b) {
    if (a == b) return 1;
    const RangeObj *x = RNG(th, a), *y = RNG(th, b);
    if (vm_int_cmp(th, x->len, y->len) != 0) return 0;
    if (int_sign(th, x->len) == 0) return 1;
    if (vm_int_cmp(th, x->start, y->start) != 0) return 0;
    if (IS_SMALL(x->len) && SMALL_VAL(x->len) == 1) return 1;
    return vm_int_cmp(th, x->step, y->step) == 0;
}

static Value range_eq_m(Thread *th, Value *args, int nargs, Value kwnames) {
    RSELF("__eq__");
    if (ctr_onearg(th, "range.__eq__", nargs - 1, kwnames) < 0) return NULL;
    if (vm_tid(args[1]) != T_RANGE) return vm.NotImplemented;
    return range_equal(th, args[0], args[1]) ? vm.True : vm.False;
}
static Value range_ne_m(Thread *th, Value *args, int nargs, Value kwnames) {
    RSELF("__ne__");
    if (ctr_onearg(th, "range.__ne__", nargs - 1, kwnames) < 0) return NULL;
    if (vm_tid(args[1]) != T_RANGE) return vm.NotImplemented;
    return range_equal(th, args[0], args[1]) ? vm.False : vm.True;
}

int ctr_range_hash(Thread *th, Value rv, int64_t *out) {
    const RangeObj *r = RNG(th, rv);
    Value a = r->len, b = vm.None, c = vm.None;
    if (int_sign(th, r->len) != 0) {
        b = r->start;
        if (!(IS_SMALL(r->len) && SMALL_VAL(r->len) == 1)) c = r->step;
    }
    Value t = vm_tuple_pack(th, 3, a, b, c);
    if (!t) return -1;
    return ctr_tuple_hash(th, t, out);
}

static Value range_hash_m(Thread *th, Value *args, int nargs, Value kwnames) {
    RSELF("__hash__");
    int64_t h;
    if (ctr_range_hash(th, args[0], &h) < 0) return NULL;
    return vm_int_from_i64(th, h);
}

static Value range_start_m(Thread *th, Value *args, int nargs, Value kwnames) {
    RSELF("start");
    return RNG(th, args[0])->start;
}
static Value range_stop_m(Thread *th, Value *args, int nargs, Value kwnames) {
    RSELF("stop");
    return RNG(th, args[0])->stop;
}
static Value range_step_m(Thread *th, Value *args, int nargs, Value kwnames) {
    RSELF("step");
    return RNG(th, args[0])->step;
}

static const vm_method range_methods[] = {
    {"__new__", range_new_m, CF_STATIC},
    {"__len__", range_len_m, CF_METHOD},
    {"__bool__", range_bool_m, CF_METHOD},
    {"__getitem__", range_getitem_m, CF_METHOD},
    {"__contains__", range_contains_m, CF_METHOD},
    {"__iter__", range_iter_m, CF_METHOD},
    {"__reversed__", range_reversed_m, CF_METHOD},
    {"__repr__", range_repr_m, CF_METHOD},
    {"__eq__", range_eq_m, CF_METHOD},
    {"__ne__", range_ne_m, CF_METHOD},
    {"__hash__", range_hash_m, CF_METHOD},
    {"count", range_count_m, CF_METHOD},
    {"index", range_index_m, CF_METHOD},
    {"start", range_start_m, CF_GETTER},
    {"stop", range_stop_m, CF_GETTER},
    {"step", range_step_m, CF_GETTER},
    {NULL, NULL, 0}
};

/* ------------------------------------------------------------------------------------------ */
/* Slices                                                                                     */

static inline const SliceObj *SLC(Thread *th, Value s) { return R(th, s, SliceObj); }

static Value slice_make(Thread *th, Value start, Value stop, Value step) {
    Value *p = ROOT(th, start ? start : vm.None);
    ROOT(th, stop ? stop : vm.None);
    ROOT(th, step ? step : vm.None);
    Value s = vm_alloc(th, T_SLICE, sizeof(SliceObj), STM_IMMUTABLE, vm.t_slice);
    if (s) {
        SliceObj *so = stm_payload(s);
        so->start = p[0]; so->stop = p[1]; so->step = p[2];
    }
    UNROOT(th, 3);
    return s;
}

Value vm_slice_new(Thread *th, Value start, Value stop, Value step) {
    return slice_make(th, start, stop, step);
}

/* _PyEval_SliceIndex: clamps big ints */
static int slice_index(Thread *th, Value v, int64_t *out) {
    if (IS_SMALL(v)) { *out = SMALL_VAL(v); return 0; }
    if (vm_tid(v) == T_INT) {
        *out = vm_int_cmp(th, v, MK_SMALL(0)) < 0 ? INT64_MIN : INT64_MAX;
        return 0;
    }
    if (vm_tid(v) != T_BOOL && !vm_lookup_special(th, v, "__index__")) {
        vm_raise(th, vm.e_TypeError,
                 "slice indices must be integers or None or have an __index__ method");
        return -1;
    }
    return vm_index(th, v, out);
}

/* PySlice_Unpack: raw start/stop/step with defaults */
static int slice_unpack(Thread *th, Value slice, int64_t *start, int64_t *stop, int64_t *step) {
    Value *p = ROOT(th, slice);
    int r = -1;
    Value st = SLC(th, *p)->step;
    if (st == vm.None) *step = 1;
    else {
        if (slice_index(th, st, step) < 0) goto done;
        if (*step == 0) { vm_raise(th, vm.e_ValueError, "slice step cannot be zero"); goto done; }
        if (*step < -INT64_MAX) *step = -INT64_MAX;
    }
    Value s = SLC(th, *p)->start;
    if (s == vm.None) *start = *step < 0 ? INT64_MAX : 0;
    else if (slice_index(th, s, start) < 0) goto done;
    Value e = SLC(th, *p)->stop;
    if (e == vm.None) *stop = *step < 0 ? INT64_MIN : INT64_MAX;
    else if (slice_index(th, e, stop) < 0) goto done;
    r = 0;
done:
    UNROOT(th, 1);
    return r;
}

/* PySlice_AdjustIndices */
static int64_t slice_adjust(int64_t len, int64_t *start, int64_t *stop, int64_t step) {
    if (*start < 0) { *start += len; if (*start < 0) *start = step < 0 ? -1 : 0; }
    else if (*start >= len) *start = step < 0 ? len - 1 : len;
    if (*stop < 0) { *stop += len; if (*stop < 0) *stop = step < 0 ? -1 : 0; }
    else if (*stop >= len) *stop = step < 0 ? len - 1 : len;
    if (step < 0) {
        if (*stop < *start) return (*start - *stop - 1) / (-step) + 1;
    } else if (*start < *stop) {
        return (*stop - *start - 1) / step + 1;
    }
    return 0;
}

int vm_slice_indices(Thread *th, Value slice, int64_t len, int64_t *start, int64_t *stop,
                     int64_t *step, int64_t *slicelen) {
    if (slice_unpack(th, slice, start, stop, step) < 0) return -1;
    *slicelen = slice_adjust(len, start, stop, *step);
    return 0;
}

#define SSELF(name) \
    if (ctr_self(th, args[0], T_SLICE, name, "slice") < 0) return NULL

static Value slice_new_m(Thread *th, Value *args, int nargs, Value kwnames) {
    if (ctr_nokw(th, "slice", kwnames) < 0) return NULL;
    int n = nargs - 1;
    if (n < 1) return vm_raise(th, vm.e_TypeError, "slice expected at least 1 argument, got %d", n);
    if (n > 3) return vm_raise(th, vm.e_TypeError, "slice expected at most 3 arguments, got %d", n);
    if (n == 1) return slice_make(th, vm.None, args[1], vm.None);
    return slice_make(th, args[1], args[2], n == 3 ? args[3] : vm.None);
}

static Value slice_repr_m(Thread *th, Value *args, int nargs, Value kwnames) {
    SSELF("__repr__");
    const SliceObj *s = SLC(th, args[0]);
    Value *p = ROOT(th, s->start); ROOT(th, s->stop); ROOT(th, s->step);
    Value res = repr_fields(th, "slice(", p, 3);
    UNROOT(th, 3);
    return res;
}

static Value slice_indices_m(Thread *th, Value *args, int nargs, Value kwnames) {
    SSELF("indices");
    if (ctr_onearg(th, "slice.indices", nargs - 1, kwnames) < 0) return NULL;
    Value lv = args[1];
    int64_t len;
    if (IS_SMALL(lv)) len = SMALL_VAL(lv);
    else {
        if (vm_tid(lv) != T_BOOL && vm_tid(lv) != T_INT && !vm_lookup_special(th, lv, "__index__"))
            return vm_raise(th, vm.e_TypeError, "'%s' object cannot be interpreted as an integer",
                            vm_type_name(th, lv));
        if (vm_index(th, lv, &len) < 0) return NULL;
    }
    if (len < 0) return vm_raise(th, vm.e_ValueError, "length should not be negative");
    int64_t start, stop, step;
    if (slice_unpack(th, args[0], &start, &stop, &step) < 0) return NULL;
    slice_adjust(len, &start, &stop, step);
    Value *p = ROOT(th, vm_int_from_i64(th, start));
    ROOT(th, vm_int_from_i64(th, stop));
    ROOT(th, vm_int_from_i64(th, step));
    Value res = (p[0] && p[1] && p[2]) ? vm_tuple_pack(th, 3, p[0], p[1], p[2]) : NULL;
    UNROOT(th, 3);
    return res;
}

static Value slice_tuple(Thread *th, Value s) {
    const SliceObj *so = SLC(th, s);
    return vm_tuple_pack(th, 3, so->start, so->stop, so->step);
}

static Value slice_cmp(Thread *th, Value *args, int nargs, int op) {
    SSELF("__eq__");
    if (nargs != 2) return vm_raise(th, vm.e_TypeError, "expected 1 argument, got %d", nargs - 1);
    if (vm_tid(args[1]) != T_SLICE) return vm.NotImplemented;
    Value *p = ROOT(th, slice_tuple(th, args[0]));
    Value res = NULL;
    if (*p) {
        Value t2 = slice_tuple(th, args[1]);
        if (t2) res = vm_compare(th, op, *p, t2);
    }
    UNROOT(th, 1);
    return res;
}
#define SLICE_CMP(fname, op) \
    static Value fname(Thread *th, Value *args, int nargs, Value kwnames) { \
        return slice_cmp(th, args, nargs, op);                              \
    }
SLICE_CMP(slice_eq_m, CMP_EQ)
SLICE_CMP(slice_ne_m, CMP_NE)
SLICE_CMP(slice_lt_m, CMP_LT)
SLICE_CMP(slice_le_m, CMP_LE)
SLICE_CMP(slice_gt_m, CMP_GT)
SLICE_CMP(slice_ge_m, CMP_GE)

static Value slice_start_m(Thread *th, Value *args, int nargs, Value kwnames) {
    SSELF("start");
    return SLC(th, args[0])->start;
}
static Value slice_stop_m(Thread *th, Value *args, int nargs, Value kwnames) {
    SSELF("stop");
    return SLC(th, args[0])->stop;
}
static Value slice_step_m(Thread *th, Value *args, int nargs, Value kwnames) {
    SSELF("step");
    return SLC(th, args[0])->step;
}

static const vm_method slice_methods[] = {
    {"__new__", slice_new_m, CF_STATIC},
    {"__repr__", slice_repr_m, CF_METHOD},
    {"__eq__", slice_eq_m, CF_METHOD},
    {"__ne__", slice_ne_m, CF_METHOD},
    {"__lt__", slice_lt_m, CF_METHOD},
    {"__le__", slice_le_m, CF_METHOD},
    {"__gt__", slice_gt_m, CF_METHOD},
    {"__ge__", slice_ge_m, CF_METHOD},
    {"indices", slice_indices_m, CF_METHOD},
    {"start", slice_start_m, CF_GETTER},
    {"stop", slice_stop_m, CF_GETTER},
    {"step", slice_step_m, CF_GETTER},
    {NULL, NULL, 0}
};

void obj_range_init(Thread *th) {
    vm_tidinfo[T_RANGE] = (vm_typeinfo){range_size, range_trace};
    vm_tidinfo[T_SLICE] = (vm_typeinfo){slice_size, slice_trace};
    range_iter_kind = vm_iter_kind(range_iter_next, "range_iterator");
    longrange_iter_kind = vm_iter_kind(longrange_iter_next, "longrange_iterator");
    vm_add_methods(th, vm.t_range, range_methods);
    vm_add_methods(th, vm.t_slice, slice_methods);
    ctr_set_unhashable(th, vm.t_slice);
}
