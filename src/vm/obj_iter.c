/* obj_iter.c — built-in iterators: one representation (T_ITER), a table of `next` functions. */
#include "internal.h"

#define MAX_KINDS 64

static vm_iter_next_fn kinds[MAX_KINDS];
static const char *kind_names[MAX_KINDS];
static int nkinds = 1;
static int K_SEQ, K_ENUMERATE, K_ZIP, K_MAP, K_FILTER, K_REVERSED, K_CALLABLE;

int vm_iter_kind(vm_iter_next_fn next, const char *type_name) {
    if (nkinds >= MAX_KINDS) { fprintf(stderr, "stmvm: too many iterator kinds\n"); abort(); }
    kinds[nkinds] = next;
    kind_names[nkinds] = type_name;
    return nkinds++;
}

Value vm_iter_new(Thread *th, int kind, Value a, Value b, int64_t i, int64_t n) {
    Value *pa = ROOT(th, a), *pb = ROOT(th, b);
    Value it = vm_alloc(th, T_ITER, sizeof(IterObj), 0, vm.t_iterator);
    if (it) {
        IterObj *p = W(th, it, IterObj);
        p->kind = kind;
        p->a = *pa;
        p->b = *pb;
        p->i = i;
        p->n = n;
    }
    UNROOT(th, 2);
    return it;
}

Value vm_iter_next_builtin(Thread *th, Value it) {
    int k = R(th, it, IterObj)->kind;
    return kinds[k](th, it);
}

static size_t size_iter(const void *p) { return sizeof(IterObj); }
static void trace_iter(void *p, void (*visit)(stm_obj **, void *), void *ctx) {
    visit(&((IterObj *)p)->a, ctx);
    visit(&((IterObj *)p)->b, ctx);
}

/* seq[i] until IndexError */
static Value seq_next(Thread *th, Value it) {
    const IterObj *p = R(th, it, IterObj);
    if (!p->a) return NULL;
    Value seq = p->a;
    int64_t i = p->i;
    if (vm_tid(seq) == T_LIST) {
        const ListObj *l = R(th, seq, ListObj);
        if (i >= l->n) { W(th, it, IterObj)->a = NULL; return NULL; }
        Value v = R(th, l->items, ArrayObj)->items[i];
        W(th, it, IterObj)->i = i + 1;
        return v;
    }
    if (vm_tid(seq) == T_TUPLE) {
        const TupleObj *t = TUP(th, seq);
        if (i >= t->n) { W(th, it, IterObj)->a = NULL; return NULL; }
        Value v = t->items[i];
        W(th, it, IterObj)->i = i + 1;
        return v;
    }
    Value *pit = ROOT(th, it);
    Value v = vm_getitem(th, seq, MK_SMALL(i));
    if (!v) {
        if (vm_exc_matches(th, vm.e_IndexError) || vm_exc_matches(th, vm.e_StopIteration)) {
            vm_exc_clear(th);
            W(th, *pit, IterObj)->a = NULL;
        }
    } else {
        W(th, *pit, IterObj)->i = i + 1;
    }
    UNROOT(th, 1);
    return v;
}

Value vm_seq_iter_new(Thread *th, Value seq) { return vm_iter_new(th, K_SEQ, seq, NULL, 0, 0); }

/* enumerate: a = iterator, b = current count (int value) */
static Value enumerate_next(Thread *th, Value it) {
    Value *pit = ROOT(th, it);
    Value v = vm_next(th, R(th, it, IterObj)->a);
    Value r = NULL;
    if (v) {
        Value *pv = ROOT(th, v);
        Value cnt = R(th, *pit, IterObj)->b;
        Value next = vm_binop(th, BINOP_ADD, cnt, MK_SMALL(1));
        if (next) {
            W(th, *pit, IterObj)->b = next;
            r = vm_tuple_pack(th, 2, R(th, *pit, IterObj)->b == next ? cnt : cnt, *pv);
        }
        UNROOT(th, 1);
    }
    UNROOT(th, 1);
    return r;
}

/* zip: a = tuple of iterators; n = 1 when strict */
static Value zip_next(Thread *th, Value it) {
    size_t mark = ROOTS_MARK(th);
    Value *pit = ROOT(th, it);
    Value its = R(th, it, IterObj)->a;
    if (!its) return NULL;
    int64_t n = TUP(th, its)->n;
    Value *vals = th->t->roots_top;
    Value r = NULL;
    for (int64_t i = 0; i < n; i++) {
        Value v = vm_next(th, TUP(th, R(th, *pit, IterObj)->a)->items[i]);
        if (!v) {
            if (!*th->exc && R(th, *pit, IterObj)->n && i > 0)
                vm_raise(th, vm.e_ValueError, "zip() argument %d is shorter than argument%s%d", (int)i + 1, i == 1 ? " " : "s 1-", (int)i);
            goto done;
        }
        ROOT(th, v);
    }
    if (n == 0) goto done;
    r = vm_tuple_from(th, vals, n);
done:
    ROOTS_RESET(th, mark);
    return r;
}

/* map: a = function, b = tuple of iterators */
static Value map_next(Thread *th, Value it) {
    size_t mark = ROOTS_MARK(th);
    Value *pit = ROOT(th, it);
    int64_t n = TUP(th, R(th, it, IterObj)->b)->n;
    Value *vals = th->t->roots_top;
    Value r = NULL;
    for (int64_t i = 0; i < n; i++) {
        Value v = vm_next(th, TUP(th, R(th, *pit, IterObj)->b)->items[i]);
        if (!v) goto done;
        ROOT(th, v);
    }
    r = vm_call(th, R(th, *pit, IterObj)->a, vals, (int)n, NULL);
done:
    ROOTS_RESET(th, mark);
    return r;
}

/* filter: a = function or None, b = iterator */
static Value filter_next(Thread *th, Value it) {
    Value *pit = ROOT(th, it);
    Value r = NULL;
    for (;;) {
        Value v = vm_next(th, R(th, *pit, IterObj)->b);
        if (!v) break;
        Value *pv = ROOT(th, v);
        Value fn = R(th, *pit, IterObj)->a;
        Value t = fn == vm.None ? *pv : vm_call1(th, fn, *pv);
        int k = t ? vm_truthy(th, t) : -1;
        v = *pv;
        UNROOT(th, 1);
        if (k < 0) break;
        if (k) { r = v; break; }
    }
    UNROOT(th, 1);
    return r;
}

/* reversed over a sequence: a = seq, i = next index (counting down) */
static Value reversed_next(Thread *th, Value it) {
    const IterObj *p = R(th, it, IterObj);
    if (p->i < 0 || !p->a) return NULL;
    Value *pit = ROOT(th, it);
    int64_t i = p->i;
    Value v = vm_getitem(th, p->a, MK_SMALL(i));
    if (v) W(th, *pit, IterObj)->i = i - 1;
    else if (vm_exc_matches(th, vm.e_IndexError)) { vm_exc_clear(th); W(th, *pit, IterObj)->i = -1; }
    UNROOT(th, 1);
    return v;
}

/* iter(callable, sentinel) */
static Value callable_next(Thread *th, Value it) {
    if (!R(th, it, IterObj)->a) return NULL;
    Value *pit = ROOT(th, it);
    Value v = vm_call0(th, R(th, it, IterObj)->a);
    Value r = NULL;
    if (v) {
        Value *pv = ROOT(th, v);
        int e = vm_eq(th, *pv, R(th, *pit, IterObj)->b);
        if (e == 0) r = *pv;
        else if (e == 1) W(th, *pit, IterObj)->a = NULL;
        UNROOT(th, 1);
    } else if (vm_exc_matches(th, vm.e_StopIteration)) vm_exc_clear(th);
    UNROOT(th, 1);
    return r;
}

Value vm_enumerate_new(Thread *th, Value iterable, Value start) {
    Value *ps = ROOT(th, start);
    Value it = vm_iter(th, iterable);
    Value r = it ? vm_iter_new(th, K_ENUMERATE, it, *ps, 0, 0) : NULL;
    UNROOT(th, 1);
    return r;
}

Value vm_zip_new(Thread *th, Value *iterables, int n, bool strict) {
    Value t = vm_tuple_new(th, n);
    if (!t) return NULL;
    Value *pt = ROOT(th, t);
    for (int i = 0; i < n; i++) {
        Value it = vm_iter(th, iterables[i]);
        if (!it) { UNROOT(th, 1); return NULL; }
        W(th, *pt, TupleObj)->items[i] = it;
    }
    Value r = vm_iter_new(th, K_ZIP, *pt, NULL, 0, strict);
    UNROOT(th, 1);
    return r;
}

Value vm_map_new(Thread *th, Value fn, Value *iterables, int n) {
    Value *pf = ROOT(th, fn);
    Value t = vm_tuple_new(th, n);
    if (!t) { UNROOT(th, 1); return NULL; }
    Value *pt = ROOT(th, t);
    for (int i = 0; i < n; i++) {
        Value it = vm_iter(th, iterables[i]);
        if (!it) { UNROOT(th, 2); return NULL; }
        W(th, *pt, TupleObj)->items[i] = it;
    }
    Value r = vm_iter_new(th, K_MAP, *pf, *pt, 0, 0);
    UNROOT(th, 2);
    return r;
}

Value vm_filter_new(Thread *th, Value fn, Value iterable) {
    Value *pf = ROOT(th, fn);
    Value it = vm_iter(th, iterable);
    Value r = it ? vm_iter_new(th, K_FILTER, *pf, it, 0, 0) : NULL;
    UNROOT(th, 1);
    return r;
}

Value vm_reversed_new(Thread *th, Value seq) {
    Value *ps = ROOT(th, seq);
    Value m = vm_lookup_special(th, seq, "__reversed__");
    Value r;
    if (m) r = vm_call1(th, m, *ps);
    else if (!vm_lookup_special(th, *ps, "__getitem__") || !vm_lookup_special(th, *ps, "__len__") || vm_tid(*ps) == T_DICT)
        r = vm_raise(th, vm.e_TypeError, "'%s' object is not reversible", vm_type_name(th, *ps));
    else {
        int64_t n = vm_len(th, *ps);
        r = n < 0 ? NULL : vm_iter_new(th, K_REVERSED, *ps, NULL, n - 1, 0);
    }
    UNROOT(th, 1);
    return r;
}

Value vm_callable_iter_new(Thread *th, Value fn, Value sentinel) { return vm_iter_new(th, K_CALLABLE, fn, sentinel, 0, 0); }

static Value iter_iter(Thread *th, Value *args, int nargs, Value kwnames) { return args[0]; }
static Value iter_next(Thread *th, Value *args, int nargs, Value kwnames) {
    Value r = vm_iter_next_builtin(th, args[0]);
    if (!r && !*th->exc) return vm_raise_value(th, vm.e_StopIteration, NULL);
    return r;
}
static Value iter_repr(Thread *th, Value *args, int nargs, Value kwnames) {
    int k = R(th, args[0], IterObj)->kind;
    return vm_str_fmt(th, "<%s object at %p>", kind_names[k] ? kind_names[k] : "iterator", (void *)args[0]);
}

static const vm_method iter_methods[] = {
    {"__iter__", iter_iter, CF_METHOD}, {"__next__", iter_next, CF_METHOD}, {"__repr__", iter_repr, CF_METHOD}, {NULL, NULL, 0}};

void obj_iter_init(Thread *th) {
    vm_tidinfo[T_ITER] = (vm_typeinfo){size_iter, trace_iter};
    K_SEQ = vm_iter_kind(seq_next, "iterator");
    K_ENUMERATE = vm_iter_kind(enumerate_next, "enumerate");
    K_ZIP = vm_iter_kind(zip_next, "zip");
    K_MAP = vm_iter_kind(map_next, "map");
    K_FILTER = vm_iter_kind(filter_next, "filter");
    K_REVERSED = vm_iter_kind(reversed_next, "reversed");
    K_CALLABLE = vm_iter_kind(callable_next, "callable_iterator");
    vm_add_methods(th, vm.t_iterator, iter_methods);
}
