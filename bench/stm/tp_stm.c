/* tp_stm.c — libstm implementation of the throughput workloads (see common.h).
   bank: an immutable array of BANK_ACCOUNTS cells in a global root; a transfer reads and
   writes two cells.  disjoint: each thread's own immutable array of cells, kept on its shadow
   stack; a transaction writes one cell. */
#include "common.h"
#include "stm_types.h"

static stm_obj *g_accounts;

static void impl_setup(int workload, int nthreads) {
    (void)nthreads;
    stm_setup(NULL);
    if (workload == W_BANK) {
        stm_thread *t = stm_register_thread();
        committed_cell_array(t, BANK_ACCOUNTS, BANK_INITIAL);
        g_accounts = stm_pop_root(t);
        stm_add_global_root(&g_accounts);
        stm_unregister_thread(t);
    }
}

typedef struct { uint64_t rng, commits; } state_t;

static uint64_t impl_run(int workload, int index, uint64_t rng) {
    (void)index;
    stm_thread *t = stm_register_thread();
    state_t *volatile st = &(state_t){ rng, 0 };
    size_t slot = 0;
    if (workload == W_DISJOINT) {
        slot = (size_t)(t->roots_top - t->roots_base);
        committed_cell_array(t, DISJOINT_CELLS, 0);
    }
    bench_ready();
    if (workload == W_BANK) {
        while (!bench_stopped()) {
            STM_START(t);
            unsigned from, to;
            int64_t amount;
            bank_pick(rng_next(&st->rng), &from, &to, &amount);
            const array_t *a = stm_read(t, g_accounts);
            cell_t *f = stm_write(t, a->items[from]);
            cell_t *d = stm_write(t, a->items[to]);
            f->val -= amount;
            d->val += amount;
            stm_commit(t);
            st->commits++;
        }
    } else {
        while (!bench_stopped()) {
            STM_START(t);
            unsigned c = (unsigned)(rng_next(&st->rng) % DISJOINT_CELLS);
            const array_t *a = stm_read(t, t->roots_base[slot]);
            cell_t *p = stm_write(t, a->items[c]);
            p->val++;
            stm_commit(t);
            st->commits++;
        }
        /* check our cells */
        uint64_t sum = 0;
        STM_START(t);
        sum = 0;
        const array_t *a = stm_read(t, t->roots_base[slot]);
        for (unsigned i = 0; i < a->n; i++) sum += (uint64_t)((const cell_t *)stm_read(t, a->items[i]))->val;
        stm_commit(t);
        if (sum != st->commits) { fprintf(stderr, "disjoint: sum %" PRIu64 " != %" PRIu64 "\n", sum, st->commits); exit(1); }
        t->roots_top = t->roots_base + slot;
    }
    uint64_t commits = st->commits;
    stm_unregister_thread(t);
    return commits;
}

static void print_stats(void) {   /* BENCH_VERBOSE=1: libstm's global statistics on stderr */
    if (!getenv("BENCH_VERBOSE")) return;
    stm_stats s;
    stm_get_global_stats(&s);
    uint64_t aborts = 0;
    for (int i = 0; i < STM_ABORT_CAUSES; i++) aborts += s.aborts[i];
    fprintf(stderr, "libstm: commits=%" PRIu64 " aborts=%" PRIu64 " minor_gcs=%" PRIu64
            " major_gcs=%" PRIu64 " ms_gc=%.1f ms_waiting=%.1f ms_committed=%.1f"
            " bytes_allocated=%" PRIu64 " heap=%zu os=%zu\n", s.commits, aborts, s.minor_gcs,
            s.major_gcs, s.ns_gc / 1e6, s.ns_waiting / 1e6, s.ns_committed / 1e6,
            s.bytes_allocated, stm_heap_size(), stm_os_memory());
}

static void impl_check(int workload, int nthreads, uint64_t total) {
    (void)nthreads; (void)total;
    print_stats();
    if (workload != W_BANK) return;
    stm_thread *t = stm_register_thread();
    int64_t sum;
    STM_START(t);
    sum = 0;
    const array_t *a = stm_read(t, g_accounts);
    for (unsigned i = 0; i < BANK_ACCOUNTS; i++) sum += ((const cell_t *)stm_read(t, a->items[i]))->val;
    stm_commit(t);
    stm_unregister_thread(t);
    if (sum != (int64_t)BANK_ACCOUNTS * BANK_INITIAL) { fprintf(stderr, "bank: total %" PRId64 "\n", sum); exit(1); }
}
