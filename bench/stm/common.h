/* common.h — shared driver of the throughput benchmarks (tp_stm.c, tp_mutex.c, tp_itm.c).
 *
 *   tp_X --workload bank|disjoint --threads N --seconds S
 *
 * The same two workloads in every implementation:
 *   bank:     BANK_ACCOUNTS shared int64 accounts; each transaction moves a random amount
 *             (1..100) from one random account to another (different) one.
 *   disjoint: each thread has DISJOINT_CELLS int64 cells of its own; each transaction
 *             increments one random cell of the thread's own.
 * Prints "tx_per_s=X" (committed transactions per second, all threads together).
 *
 * An implementation defines:
 *   static void impl_setup(int workload, int nthreads);
 *   static uint64_t impl_run(int workload, int index, uint64_t rng);  -- calls bench_ready()
 *       once set up, then runs transactions until bench_stopped(); returns its commit count
 *   static void impl_check(int workload, int nthreads, uint64_t total);  -- sanity check
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BANK_ACCOUNTS  64
#define BANK_INITIAL   1000
#define DISJOINT_CELLS 16
#define MAX_THREADS    256

enum { W_BANK, W_DISJOINT };

static inline uint64_t rng_next(uint64_t *s) {   /* xorshift64* */
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/* bank: the transfer chosen by random word r */
static inline void bank_pick(uint64_t r, unsigned *from, unsigned *to, int64_t *amount) {
    *from = (unsigned)(r % BANK_ACCOUNTS);
    unsigned t = (unsigned)((r >> 8) % (BANK_ACCOUNTS - 1));
    *to = t >= *from ? t + 1 : t;
    *amount = (int64_t)((r >> 20) % 100) + 1;
}

static inline double bench_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static atomic_bool bench_stop_flag;
static pthread_barrier_t bench_barrier;

static inline bool bench_stopped(void) {
    return atomic_load_explicit(&bench_stop_flag, memory_order_relaxed);
}
static inline void bench_ready(void) { pthread_barrier_wait(&bench_barrier); }

static void impl_setup(int workload, int nthreads);
static uint64_t impl_run(int workload, int index, uint64_t rng);
static void impl_check(int workload, int nthreads, uint64_t total);

typedef struct {
    pthread_t th;
    int index;
    int workload;
    uint64_t commits;
    char pad[64];
} bench_worker;

static void *bench_thread(void *arg) {
    bench_worker *w = arg;
    uint64_t rng = 0x9E3779B97F4A7C15ULL * (uint64_t)(w->index + 1) + 0x1234567ULL;
    w->commits = impl_run(w->workload, w->index, rng);
    return NULL;
}

static void bench_usage(void) {
    fprintf(stderr, "usage: tp --workload bank|disjoint --threads N --seconds S\n");
    exit(2);
}

int main(int argc, char **argv) {
    int workload = -1, nthreads = 1;
    double seconds = 1.0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--workload")) {
            if (!strcmp(argv[i + 1], "bank")) workload = W_BANK;
            else if (!strcmp(argv[i + 1], "disjoint")) workload = W_DISJOINT;
            else bench_usage();
        } else if (!strcmp(argv[i], "--threads")) nthreads = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--seconds")) seconds = atof(argv[i + 1]);
        else bench_usage();
    }
    if (workload < 0 || nthreads < 1 || nthreads > MAX_THREADS || seconds <= 0) bench_usage();

    impl_setup(workload, nthreads);
    static bench_worker workers[MAX_THREADS];
    pthread_barrier_init(&bench_barrier, NULL, (unsigned)nthreads + 1);
    for (int i = 0; i < nthreads; i++) {
        workers[i].index = i;
        workers[i].workload = workload;
        if (pthread_create(&workers[i].th, NULL, bench_thread, &workers[i])) {
            fprintf(stderr, "pthread_create failed\n");
            return 2;
        }
    }
    bench_ready();
    double t0 = bench_now();
    struct timespec ts = { (time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9) };
    while (nanosleep(&ts, &ts) && errno == EINTR) {}
    atomic_store(&bench_stop_flag, true);
    uint64_t total = 0;
    for (int i = 0; i < nthreads; i++) {
        pthread_join(workers[i].th, NULL);
        total += workers[i].commits;
    }
    double elapsed = bench_now() - t0;
    impl_check(workload, nthreads, total);
    printf("tx_per_s=%.0f\n", (double)total / elapsed);
    return 0;
}

#endif
