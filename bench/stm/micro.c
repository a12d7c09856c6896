/* micro.c — single-thread micro-benchmarks of libstm's barriers, transactions and allocation.
 *
 * Prints one "name value" line per figure (nanoseconds).  Figures:
 *   empty_tx_ns          STM_START + stm_commit of a transaction that does nothing
 *   read_hit_ns          stm_read of a committed object this transaction already read
 *   read_hit64_ns        same, cycling over 64 different already-read objects
 *   read_immutable_ns    stm_read of a committed STM_IMMUTABLE object
 *   read_first_ns        first stm_read of a committed object in a transaction (slow path)
 *   write_first_ns       first stm_write of a committed object (slow path: lock + private copy)
 *   write_commit_ns      commit cost per object written (publishing its new body)
 *   write_hit_ns         stm_write of an object this transaction already wrote
 *   alloc_ns             stm_allocate of a 16-byte payload, nursery collections of dead objects
 *                        amortized
 *   alloc_tx_ns          allocation + the commit, 100 small objects per transaction, all
 *                        surviving (reachable from the transaction's shadow stack)
 * Run with no arguments; `--scale X` multiplies the iteration counts.
 */
#include "stm_types.h"

#include <string.h>
#include <time.h>

#define N_OBJS 512

static stm_obj *g_cells;   /* global root: immutable array of N_OBJS cells */

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* keep the compiler from hoisting barrier calls out of loops */
#define OPAQUE(x) __asm__ volatile("" : "+r"(x))

static volatile int64_t sink;

int main(int argc, char **argv) {
    double scale = 1.0;
    if (argc == 3 && !strcmp(argv[1], "--scale")) scale = atof(argv[2]);
    const long n_empty = (long)(2e6 * scale), n_hit = (long)(5e7 * scale);
    const long n_tx_rw = (long)(2000 * scale), n_alloc = (long)(2e7 * scale);

    stm_setup(NULL);
    stm_thread *t = stm_register_thread();
    committed_cell_array(t, N_OBJS, 1);
    g_cells = stm_pop_root(t);
    stm_add_global_root(&g_cells);

    /* cell pointers: committed objects never move */
    static stm_obj *objs[N_OBJS];
    STM_START(t);
    {
        const array_t *a = stm_read(t, g_cells);
        for (unsigned i = 0; i < N_OBJS; i++) objs[i] = a->items[i];
    }
    stm_commit(t);

    volatile double t0, t1, t2, acc1, acc2;

    /* empty transaction */
    t0 = now_ns();
    for (long i = 0; i < n_empty; i++) {
        STM_START(t);
        stm_commit(t);
    }
    t1 = now_ns();
    printf("empty_tx_ns %.2f\n", (t1 - t0) / (double)n_empty);

    /* read hit: one object */
    STM_START(t);
    {
        stm_obj *o = objs[0];
        (void)stm_read(t, o);
        int64_t s = 0;
        t0 = now_ns();
        for (long i = 0; i < n_hit; i++) {
            OPAQUE(o);
            s += ((const cell_t *)stm_read(t, o))->val;
        }
        t1 = now_ns();
        sink = s;
    }
    stm_commit(t);
    printf("read_hit_ns %.2f\n", (t1 - t0) / (double)n_hit);

    /* read hit: 64 objects */
    STM_START(t);
    {
        for (unsigned k = 0; k < 64; k++) (void)stm_read(t, objs[k]);
        int64_t s = 0;
        t0 = now_ns();
        for (long i = 0; i < n_hit; i++) {
            stm_obj *o = objs[i & 63];
            OPAQUE(o);
            s += ((const cell_t *)stm_read(t, o))->val;
        }
        t1 = now_ns();
        sink = s;
    }
    stm_commit(t);
    printf("read_hit64_ns %.2f\n", (t1 - t0) / (double)n_hit);

    /* read of an immutable object */
    STM_START(t);
    {
        stm_obj *o = g_cells;
        uint64_t s = 0;
        t0 = now_ns();
        for (long i = 0; i < n_hit; i++) {
            OPAQUE(o);
            s += ((const array_t *)stm_read(t, o))->n;
        }
        t1 = now_ns();
        sink = (int64_t)s;
    }
    stm_commit(t);
    printf("read_immutable_ns %.2f\n", (t1 - t0) / (double)n_hit);

    /* first reads: N_OBJS distinct objects per transaction */
    acc1 = 0;
    for (volatile long k = 0; k < n_tx_rw; k++) {
        STM_START(t);
        int64_t s = 0;
        t0 = now_ns();
        for (unsigned i = 0; i < N_OBJS; i++) {
            stm_obj *o = objs[i];
            OPAQUE(o);
            s += ((const cell_t *)stm_read(t, o))->val;
        }
        t1 = now_ns();
        sink = s;
        stm_commit(t);
        acc1 = acc1 + (t1 - t0);
    }
    printf("read_first_ns %.2f\n", acc1 / (double)n_tx_rw / N_OBJS);

    /* first writes (slow path), then the commit that publishes them; then write hits */
    acc1 = 0;
    acc2 = 0;
    volatile double acc3 = 0;
    for (volatile long k = 0; k < n_tx_rw; k++) {
        STM_START(t);
        t0 = now_ns();
        for (unsigned i = 0; i < N_OBJS; i++) {
            stm_obj *o = objs[i];
            OPAQUE(o);
            ((cell_t *)stm_write(t, o))->val++;
        }
        t1 = now_ns();
        if (k < 20) {   /* write hits: the objects this transaction already wrote */
            for (int rep = 0; rep < 100; rep++)
                for (unsigned i = 0; i < 64; i++) {
                    stm_obj *o = objs[i];
                    OPAQUE(o);
                    ((cell_t *)stm_write(t, o))->val++;
                }
            t2 = now_ns();
            acc3 += t2 - t1;
        }
        t1 = now_ns();
        stm_commit(t);
        t2 = now_ns();
        acc1 = acc1 + (t1 - t0);
        acc2 = acc2 + (t2 - t1);
    }
    printf("write_first_ns %.2f\n", acc1 / (double)n_tx_rw / N_OBJS);
    printf("write_commit_ns %.2f\n", acc2 / (double)n_tx_rw / N_OBJS);
    printf("write_hit_ns %.2f\n", acc3 / (20.0 * 100 * 64));

    /* allocation: dead objects, 10000 per transaction */
    {
        long per_tx = 10000, ntx = n_alloc / per_tx;
        t0 = now_ns();
        for (volatile long k = 0; k < ntx; k++) {
            STM_START(t);
            for (long i = 0; i < per_tx; i++) {
                stm_obj *o = stm_allocate(t, TID_CELL, 16, 0);
                OPAQUE(o);
            }
            stm_commit(t);
        }
        t1 = now_ns();
        printf("alloc_ns %.2f\n", (t1 - t0) / (double)(ntx * per_tx));
    }

    /* allocation + commit of surviving objects: 100 cells rooted on the shadow stack */
    {
        long per_tx = 100, ntx = n_alloc / 100 / per_tx;
        size_t base = (size_t)(t->roots_top - t->roots_base);
        t0 = now_ns();
        for (volatile long k = 0; k < ntx; k++) {
            STM_START(t);
            t->roots_top = t->roots_base + base;
            for (long i = 0; i < per_tx; i++) {
                stm_obj *o = stm_allocate(t, TID_CELL, sizeof(cell_t), 0);
                stm_push_root(t, o);
            }
            stm_commit(t);
            t->roots_top = t->roots_base + base;
        }
        t1 = now_ns();
        printf("alloc_tx_ns %.2f\n", (t1 - t0) / (double)(ntx * per_tx));
    }

    stm_unregister_thread(t);
    stm_teardown();
    return 0;
}
