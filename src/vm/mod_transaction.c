/* mod_transaction.c — the transaction module: atomic sections, hints, segment limit, statistics. */
#include "internal.h"

#include <time.h>
#include <unistd.h>

/*
 * `with transaction.atomic:` runs its body in one transaction: libstm's atomic counter stops the
 * eval loop from breaking the transaction inside it, so the body is atomic with respect to every
 * other thread's code (not only other atomic blocks).  An abort rolls back the whole transaction
 * and resets the counter; the restart re-enters the block from the start.
 */

static Value atomic_type, atomic_obj;

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

static const vm_method atomic_methods[] = {
    {"__enter__", atomic_enter, CF_METHOD}, {"__exit__", atomic_exit, CF_METHOD},
    {"__repr__", atomic_repr, CF_METHOD}, {NULL, NULL, 0}};

static const vm_method functions[] = {
    {"is_atomic", t_is_atomic, 0}, {"hint_commit_soon", t_hint_commit_soon, 0},
    {"getsegmentlimit", t_getsegmentlimit, 0}, {"setsegmentlimit", t_setsegmentlimit, 0},
    {"time", t_time, 0}, {"clock", t_clock, 0}, {"stats", t_stats, 0}, {NULL, NULL, 0}};

void mod_transaction_init(Thread *th) {
    stm_add_global_root(&atomic_type);
    stm_add_global_root(&atomic_obj);
    atomic_type = vm_make_type(th, "atomic", NULL, T_INSTANCE, 0, atomic_methods);
    if (!atomic_type) return;
    atomic_obj = vm_alloc(th, T_INSTANCE, sizeof(InstanceObj), 0, atomic_type);
    Value m = atomic_obj ? vm_make_module(th, "transaction", functions) : NULL;
    if (!m) return;
    Value *pm = ROOT(th, m);
    vm_module_set(th, *pm, "atomic", atomic_obj);
    UNROOT(th, 1);
}
