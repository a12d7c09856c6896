/* tp_mutex.c — pthread-mutex baseline: one global mutex for bank; for disjoint each thread's
   cells have their own (uncontended) mutex.  See common.h. */
#include "common.h"

static pthread_mutex_t bank_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t accounts[BANK_ACCOUNTS];

typedef struct {
    pthread_mutex_t lock;
    int64_t cells[DISJOINT_CELLS];
} __attribute__((aligned(128))) own_t;
static own_t own[MAX_THREADS];

static void impl_setup(int workload, int nthreads) {
    (void)workload;
    for (int i = 0; i < BANK_ACCOUNTS; i++) accounts[i] = BANK_INITIAL;
    for (int i = 0; i < nthreads; i++) pthread_mutex_init(&own[i].lock, NULL);
}

static uint64_t impl_run(int workload, int index, uint64_t rng) {
    uint64_t commits = 0;
    bench_ready();
    if (workload == W_BANK) {
        while (!bench_stopped()) {
            unsigned from, to;
            int64_t amount;
            bank_pick(rng_next(&rng), &from, &to, &amount);
            pthread_mutex_lock(&bank_lock);
            accounts[from] -= amount;
            accounts[to] += amount;
            pthread_mutex_unlock(&bank_lock);
            commits++;
        }
    } else {
        own_t *me = &own[index];
        while (!bench_stopped()) {
            unsigned c = (unsigned)(rng_next(&rng) % DISJOINT_CELLS);
            pthread_mutex_lock(&me->lock);
            me->cells[c]++;
            pthread_mutex_unlock(&me->lock);
            commits++;
        }
    }
    return commits;
}

static void impl_check(int workload, int nthreads, uint64_t total) {
    int64_t sum = 0;
    if (workload == W_BANK) {
        for (int i = 0; i < BANK_ACCOUNTS; i++) sum += accounts[i];
        if (sum != (int64_t)BANK_ACCOUNTS * BANK_INITIAL) { fprintf(stderr, "bank total wrong\n"); exit(1); }
    } else {
        for (int i = 0; i < nthreads; i++)
            for (int c = 0; c < DISJOINT_CELLS; c++) sum += own[i].cells[c];
        if ((uint64_t)sum != total) { fprintf(stderr, "disjoint sum wrong\n"); exit(1); }
    }
}
