/* mod_transaction.c — the _transaction module: atomic sections, hints, segment limit, statistics, local. */
#include "internal.h"

#include <time.h>
#include <unistd.h>

/*
 * This is the native half of `transaction`: lib/transaction.py imports everything from here and
 * adds TransactionQueue (on CPython and PyPy, where there is no _transaction, it defines the same
 * names in pure Python).
 *
 * `with transaction.atomic:` runs its body in one transaction: libstm's atomic counter stops the
 * eval loop from breaking the transaction inside it, so the body is atomic with respect to every
 * other thread's code (not only other atomic blocks).  An abort rolls back the whole transaction
 * and resets the counter; the restart re-enters the block from the start.
 */

static Value atomic_type, atomic_obj, local_type;

static Value atomic_enter(Thread *th, Value *args, int nargs, Value kwnames) {
    stm_atomic_begin(th->t);
    return args[0];
}
static Value atomic_exit(Thread *th, Value *args, int nargs, Value kwnames) {
    if (th->t->atomic_depth) stm_atomic_end(th->t);
    return vm.False;
}
static Value atomic_repr(Thread *th, Value *args, int nargs, Value kwnames) { return vm_str_cstr(th, "<transaction.atomic>"); }

static Value t_is_atomic(Thread *th, Value *args, int nargs, Value kwnames) {
    return th->t->atomic_depth ? vm.True : vm.False;
}
/* _can_commit(): whether the caller's transaction can commit before the next statements (it runs
   in the outermost activation, outside atomic blocks).  Not so in code run from C (exec, a key=
   function, a generator): threads started there would only start at a commit that cannot come,
   so TransactionQueue.run() runs its units in the calling thread instead. */
static Value t_can_commit(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "_can_commit", nargs, kwnames, 0, 0) < 0) return NULL;
    return th->eval_level == 1 && !th->t->atomic_depth ? vm.True : vm.False;
}
static Value t_hint_commit_soon(Thread *th, Value *args, int nargs, Value kwnames) {
    stm_hint_commit_soon(th->t);
    return vm.None;
}
static Value t_getsegmentlimit(Thread *th, Value *args, int nargs, Value kwnames) {
    unsigned n = stm_get_segment_limit();
    if (!n) { long c = sysconf(_SC_NPROCESSORS_ONLN); n = c > 0 ? (unsigned)c : 1; }
    return MK_SMALL(n);
}
static Value t_setsegmentlimit(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "setsegmentlimit", nargs, kwnames, 1, 1) < 0) return NULL;
    int64_t n;
    if (vm_index(th, args[0], &n) < 0) return NULL;
    if (n < 1) return vm_raise(th, vm.e_ValueError, "segment limit must be >= 1");
    stm_set_segment_limit((unsigned)n);
    return vm.None;
}
/* time() and clock() never make the transaction inevitable (a retried transaction may read a
   later time: it is still a time some serial execution could have read). */
static Value t_time(Thread *th, Value *args, int nargs, Value kwnames) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return vm_float_new(th, (double)ts.tv_sec + ts.tv_nsec * 1e-9);
}
static Value t_clock(Thread *th, Value *args, int nargs, Value kwnames) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return vm_float_new(th, (double)ts.tv_sec + ts.tv_nsec * 1e-9);
}

static int stats_put(Thread *th, Value *pd, const char *key, uint64_t v) {
    Value k = vm_str_cstr(th, key);
    Value *pk = ROOT(th, k);
    Value x = k ? vm_int_from_u64(th, v) : NULL;
    int r = x ? vm_dict_set(th, *pd, *pk, x) : -1;
    UNROOT(th, 1);
    return r;
}

static int stats_fill(Thread *th, Value *pd, const stm_stats *s) {
    static const char *const causes[STM_ABORT_CAUSES] = {"aborts_write_write", "aborts_read_write", "aborts_inevitable", "aborts_explicit", "aborts_other"};
    uint64_t total = 0;
    for (int i = 0; i < STM_ABORT_CAUSES; i++) total += s->aborts[i];
    if (stats_put(th, pd, "commits", s->commits) < 0 || stats_put(th, pd, "inevitable_commits", s->inevitable_commits) < 0 ||
        stats_put(th, pd, "aborts", total) < 0 || stats_put(th, pd, "ns_committed", s->ns_committed) < 0 ||
        stats_put(th, pd, "ns_aborted", s->ns_aborted) < 0 || stats_put(th, pd, "ns_waiting", s->ns_waiting) < 0 ||
        stats_put(th, pd, "ns_gc", s->ns_gc) < 0 || stats_put(th, pd, "minor_gcs", s->minor_gcs) < 0 ||
        stats_put(th, pd, "major_gcs", s->major_gcs) < 0)
        return -1;
    for (int i = 0; i < STM_ABORT_CAUSES; i++)
        if (stats_put(th, pd, causes[i], s->aborts[i]) < 0) return -1;
    return 0;
}

/* stats(): {'thread': {...this thread...}, 'global': {...all threads...}} */
static Value t_stats(Thread *th, Value *args, int nargs, Value kwnames) {
    stm_stats mine, all;
    stm_get_stats(th->t, &mine);
    stm_get_global_stats(&all);
    size_t mark = ROOTS_MARK(th);
    Value *pr = ROOT(th, vm_dict_new(th)), *pt = ROOT(th, vm_dict_new(th)), *pg = ROOT(th, vm_dict_new(th));
    Value r = NULL;
    if (*pr && *pt && *pg && stats_fill(th, pt, &mine) == 0 && stats_fill(th, pg, &all) == 0) {
        Value k1 = vm_str_cstr(th, "thread");
        if (k1 && vm_dict_set(th, *pr, k1, *pt) == 0) {
            Value k2 = vm_str_cstr(th, "global");
            if (k2 && vm_dict_set(th, *pr, k2, *pg) == 0) r = *pr;
        }
    }
    ROOTS_RESET(th, mark);
    return r;
}

/* ------------------------------------------------------------------------------------------ */
/* local                                                                                       */

/*
 * transaction.local: attributes that are per thread and never conflict between threads.  Each
 * thread keeps its own table, in its Thread's `locals` root slot: a dict {serial: namespace}.
 * Only that thread ever reaches the table and the namespaces in it, so two threads using the same
 * local object touch disjoint objects (a single dict keyed by thread id would make every thread
 * write the same object).  The local object itself is never written after creation: in place of
 * its attribute dict it holds the immutable tuple (serial, args, kwargs) — the serial names it in
 * the tables, the arguments are given again to __init__ when a new thread first uses it, as
 * CPython's threading.local does.  instance_dict() (obj_object.c) recognises the tuple and asks
 * vm_local_dict for the running thread's namespace, so attribute lookup, descriptors and
 * __dict__ work as for any instance.  Entries live as long as their thread (there are no weak
 * references to drop them when the local object dies).
 */

static _Atomic int64_t local_serial = 1;   /* not transactional: an aborted attempt only skips a number */

/* This thread's namespace for the serial, creating it (and the table) when missing.  *made tells
   whether it was created now. */
static Value local_namespace(Thread *th, Value key, bool *made) {
    Value ns;
    *made = false;
    if (!*th->locals) {
        Value t = vm_dict_new(th);
        if (!t) return NULL;
        *th->locals = t;
    }
    int found = vm_dict_get(th, *th->locals, key, &ns);
    if (found) return found < 0 ? NULL : ns;
    Value *pns = ROOT(th, vm_dict_new(th));
    Value r = *pns && vm_dict_set(th, *th->locals, key, *pns) == 0 ? *pns : NULL;
    UNROOT(th, 1);
    *made = r != NULL;
    return r;
}

Value vm_local_dict(Thread *th, Value obj) {
    size_t mark = ROOTS_MARK(th);
    Value *po = ROOT(th, obj);
    Value key = TUP(th, R(th, *po, InstanceObj)->dict)->items[0];    /* a small int */
    bool made;
    Value *pns = ROOT(th, local_namespace(th, key, &made));
    Value r = NULL;
    if (!*pns || !made) { r = *pns; goto done; }
    /* A thread's first use: run __init__ with the creation arguments, like threading.local. */
    Value init = vm_lookup_type(th, vm_type_of(th, *po), vm_str_intern(th, "__init__"));
    if (init && init != vm.object_init) {
        Value m = vm_method_new(th, init, *po);
        Value *pm = ROOT(th, m);
        const TupleObj *info = m ? TUP(th, R(th, *po, InstanceObj)->dict) : NULL;
        Value res = m ? vm_call_kw(th, *pm, info->items[1], info->items[2] == vm.None ? NULL : info->items[2]) : NULL;
        if (!res) {
            Value *pe = ROOT(th, *th->exc);          /* forget the half-made namespace */
            *th->exc = NULL;
            vm_dict_del(th, *th->locals, key);
            *th->exc = *pe;
            goto done;
        }
    }
    r = *pns;                                 /* reloaded: __init__ may have moved it */
done:
    ROOTS_RESET(th, mark);
    return r;
}

/* local.__new__(cls, *args, **kwargs) */
static Value local_new(Thread *th, Value *args, int nargs, Value kwnames) {
    if (nargs < 1 || vm_tid(args[0]) != T_TYPE || !vm_is_subtype(th, args[0], local_type))
        return vm_raise(th, vm.e_TypeError, "local.__new__(X): X is not a subtype of local");
    if (vm_is_subtype(th, args[0], vm.e_BaseException))
        return vm_raise(th, vm.e_TypeError, "a transaction.local type cannot be an exception");
    int64_t nkw = kwnames ? TUP(th, kwnames)->n : 0;
    if ((nargs > 1 || nkw) && vm_lookup_type(th, args[0], vm_str_intern(th, "__init__")) == vm.object_init)
        return vm_raise(th, vm.e_TypeError, "Initialization arguments are not supported");
    size_t mark = ROOTS_MARK(th);
    Value *pkn = ROOT(th, kwnames);
    Value r = NULL;
    Value *pa = ROOT(th, vm_tuple_from(th, args + 1, nargs - 1));
    Value *pk = ROOT(th, nkw ? vm_dict_new(th) : vm.None);
    if (!*pa || !*pk) goto done;
    for (int64_t i = 0; i < nkw; i++)
        if (vm_dict_set(th, *pk, TUP(th, *pkn)->items[i], args[nargs + i]) < 0) goto done;
    Value key = MK_SMALL(atomic_fetch_add(&local_serial, 1));
    Value *pinfo = ROOT(th, vm_tuple_pack(th, 3, key, *pa, *pk));
    Value *pobj = ROOT(th, *pinfo ? vm_alloc(th, T_INSTANCE, sizeof(InstanceObj), 0, args[0]) : NULL);
    if (!*pobj) goto done;
    W(th, *pobj, InstanceObj)->dict = *pinfo;
    /* The creating thread's namespace is made here, without __init__: the type call runs it. */
    bool made;
    if (local_namespace(th, key, &made)) r = *pobj;
done:
    ROOTS_RESET(th, mark);
    return r;
}

static const vm_method local_methods[] = {{"__new__", local_new, CF_STATIC}, {NULL, NULL, 0}};

static const vm_method atomic_methods[] = {
    {"__enter__", atomic_enter, CF_METHOD}, {"__exit__", atomic_exit, CF_METHOD},
    {"__repr__", atomic_repr, CF_METHOD}, {NULL, NULL, 0}};

static const vm_method functions[] = {
    {"is_atomic", t_is_atomic, 0}, {"hint_commit_soon", t_hint_commit_soon, 0}, {"_can_commit", t_can_commit, 0},
    {"getsegmentlimit", t_getsegmentlimit, 0}, {"setsegmentlimit", t_setsegmentlimit, 0},
    {"time", t_time, 0}, {"clock", t_clock, 0}, {"stats", t_stats, 0}, {NULL, NULL, 0}};

void mod_transaction_init(Thread *th) {
    stm_add_global_root(&atomic_type);
    stm_add_global_root(&atomic_obj);
    stm_add_global_root(&local_type);
    atomic_type = vm_make_type(th, "atomic", NULL, T_INSTANCE, 0, atomic_methods);
    if (!atomic_type) return;
    atomic_obj = vm_alloc(th, T_INSTANCE, sizeof(InstanceObj), 0, atomic_type);
    /* CPython's threading.local is the C type _thread._local: its full name shows in messages
       ("'_thread._local' object has no attribute 'x'"), the qualname and module in its repr. */
    local_type = atomic_obj ? vm_make_type(th, "_thread._local", NULL, T_INSTANCE, TF_BASETYPE, local_methods) : NULL;
    Value m = local_type ? vm_make_module(th, "_transaction", functions) : NULL;
    if (!m) return;
    Value *pm = ROOT(th, m);
    vm_module_set(th, *pm, "atomic", atomic_obj);
    vm_module_set(th, *pm, "local", local_type);
    Value mn = vm_str_intern(th, "_thread"), qn = vm_str_intern(th, "_local");
    TypeObj *lt = W(th, local_type, TypeObj);
    lt->module = mn;
    lt->qualname = qn;
    UNROOT(th, 1);
}
