/* stm_stress.c — real-thread stress test for libstm.
 *
 *   stm-stress --threads N --seconds S --workload bank|counter|list|disjoint
 *              [--segments K] [--seed X]
 *
 * Starts N OS threads that run transactions for S seconds, checking workload invariants inside
 * transactions (opacity: a running transaction must never see an inconsistent state) and after
 * commits, then prints exactly one line
 *
 *   workload=W threads=N commits=C aborts=A violations=V tx_per_s=X
 *
 * and exits 1 if any violation was seen (each one is described on stderr).  Stress knobs of the
 * library (STM_NURSERY_SIZE, STM_GC_EVERY, STM_MAJOR_GC_EVERY, STM_ABORT_EVERY, ...) are read
 * from the environment by libstm itself.
 *
 * Rules followed here (see include/stm.h): all state a transaction needs to restart lives in
 * memory (the per-thread `worker` struct), never in C locals changed after STM_START; shared
 * objects are reached from global roots at the start of each transaction; objects a transaction
 * creates are allocated before any payload pointer is taken (allocation is a moving point).
 */
#include "stm.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---------------------------------------------------------------------------------------------
 * Object types
 * ------------------------------------------------------------------------------------------- */

enum { TID_CELL = 1, TID_ARRAY = 2, TID_NODE = 3, TID_HEADER = 4 };

typedef struct { int64_t val; } cell_t;                      /* an account or a counter */
typedef struct { uint64_t n; stm_obj *items[]; } array_t;     /* n references */
typedef struct { int64_t key; stm_obj *next; } node_t;        /* a list node */
typedef struct { int64_t length; stm_obj *first; } header_t;  /* the list's header */

size_t stmcb_size(uint16_t tid, const void *payload) {
    switch (tid) {
    case TID_CELL: return sizeof(cell_t);
    case TID_ARRAY: return sizeof(array_t) + ((const array_t *)payload)->n * sizeof(stm_obj *);
    case TID_NODE: return sizeof(node_t);
    case TID_HEADER: return sizeof(header_t);
    default:
        fprintf(stderr, "stm-stress: stmcb_size: unknown tid %u\n", (unsigned)tid);
        abort();
    }
}

void stmcb_trace(uint16_t tid, void *payload, void (*visit)(stm_obj **ref, void *ctx), void *ctx) {
    switch (tid) {
    case TID_CELL: return;
    case TID_ARRAY: {
        array_t *a = payload;
        for (uint64_t i = 0; i < a->n; i++) visit(&a->items[i], ctx);
        return;
    }
    case TID_NODE: visit(&((node_t *)payload)->next, ctx); return;
    case TID_HEADER: visit(&((header_t *)payload)->first, ctx); return;
    default:
        fprintf(stderr, "stm-stress: stmcb_trace: unknown tid %u\n", (unsigned)tid);
        abort();
    }
}

/* ---------------------------------------------------------------------------------------------
 * Parameters and shared state
 * ------------------------------------------------------------------------------------------- */

#define N_ACCOUNTS     64
#define INITIAL_BAL    1000
#define AUDIT_EVERY    8      /* bank: every 8th transaction of each thread is an audit */
#define N_COUNTERS     4
#define LIST_KEYS      128    /* keys are 0 .. LIST_KEYS-1 */
#define VERIFY_EVERY   32     /* list: every 32nd transaction of each thread verifies the list */
#define DISJOINT_CELLS 16

enum workload { W_BANK, W_COUNTER, W_LIST, W_DISJOINT };
static const char *const workload_names[] = { "bank", "counter", "list", "disjoint" };

static enum workload g_workload;
static int g_threads = 2;
static double g_seconds = 1.0;
static uint64_t g_seed = 12345;

static atomic_bool g_stop;
static pthread_barrier_t g_start_barrier;
static atomic_ulong g_violations;

/* Global roots (each holds a committed object once set up). */
static stm_obj *g_accounts;   /* bank: immutable array of N_ACCOUNTS cells */
static stm_obj *g_counters;   /* counter: immutable array of N_COUNTERS cells */
static stm_obj *g_list;       /* list: the header */

typedef struct worker {
    pthread_t thread;
    int index;
    stm_thread *t;
    uint64_t rng;
    /* results of the running transaction, applied after its commit */
    int pending_kind;               /* what the transaction did (workload-specific) */
    int pending_counter;
    int64_t audit_sum;
    /* counted after commit only */
    uint64_t commits;
    uint64_t counter_incs[N_COUNTERS];
    uint64_t disjoint_incs;
    uint64_t audits, verifies;
    /* per-thread statistics taken before unregistering */
    uint64_t aborts;
    size_t root_index;              /* disjoint: shadow-stack slot of our array */
    char pad[64];
} worker;

#define MAX_REPORTED 20   /* violations described on stderr; the rest are only counted */

static void violation(const char *fmt, ...) {
    unsigned long n = atomic_fetch_add(&g_violations, 1);
    if (n >= MAX_REPORTED) {
        if (n == MAX_REPORTED) fputs("stm-stress: (further violations only counted)\n", stderr);
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    flockfile(stderr);
    fputs("stm-stress: VIOLATION: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    funlockfile(stderr);
    va_end(ap);
}

static void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("stm-stress: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static uint64_t rng_next(uint64_t *s) {   /* xorshift64* */
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---------------------------------------------------------------------------------------------
 * Setup helpers
 * ------------------------------------------------------------------------------------------- */

/* Inside a running transaction: create an array of n fresh cells (each with value `init`) and
 * leave it on top of t's shadow stack.  Every allocation is a moving point, so the array is
 * reloaded from its root slot after each one. */
static void make_cell_array(stm_thread *t, unsigned n, int64_t init, uint16_t flags) {
    stm_obj *a = stm_allocate(t, TID_ARRAY, sizeof(array_t) + n * sizeof(stm_obj *), flags);
    if (!a) die("out of memory in setup");
    ((array_t *)stm_payload(a))->n = n;
    size_t slot = (size_t)(t->roots_top - t->roots_base);
    stm_push_root(t, a);
    for (unsigned i = 0; i < n; i++) {
        stm_obj *c = stm_allocate(t, TID_CELL, sizeof(cell_t), 0);
        if (!c) die("out of memory in setup");
        ((cell_t *)stm_payload(c))->val = init;
        a = t->roots_base[slot];
        ((array_t *)stm_write(t, a))->items[i] = c;   /* stm_write: a may be old-private now */
    }
}

/* Run in the main thread before the workers start: create the shared objects in one
 * transaction, then publish them in global roots. */
static void setup_shared(void) {
    if (g_workload == W_DISJOINT) return;   /* each worker creates its own objects */
    stm_thread *t = stm_register_thread();
    size_t base = (size_t)(t->roots_top - t->roots_base);
    STM_START(t);
    t->roots_top = t->roots_base + base;   /* (re)start with a clean shadow stack */
    switch (g_workload) {
    case W_BANK: make_cell_array(t, N_ACCOUNTS, INITIAL_BAL, STM_IMMUTABLE); break;
    case W_COUNTER: make_cell_array(t, N_COUNTERS, 0, STM_IMMUTABLE); break;
    case W_LIST: {
        stm_obj *h = stm_allocate(t, TID_HEADER, sizeof(header_t), 0);
        if (!h) die("out of memory in setup");
        stm_push_root(t, h);
        break;
    }
    default: break;
    }
    stm_commit(t);
    stm_obj *o = stm_pop_root(t);   /* updated by the commit (the object left the nursery) */
    switch (g_workload) {
    case W_BANK: g_accounts = o; stm_add_global_root(&g_accounts); break;
    case W_COUNTER: g_counters = o; stm_add_global_root(&g_counters); break;
    case W_LIST: g_list = o; stm_add_global_root(&g_list); break;
    default: break;
    }
    stm_unregister_thread(t);
}

/* ---------------------------------------------------------------------------------------------
 * Transaction bodies.  Each runs inside a transaction started by the caller; it may be cut
 * short by an abort (longjmp to the caller's STM_START), so it only leaves results in w->pending_*.
 * ------------------------------------------------------------------------------------------- */

static stm_obj *array_item(stm_thread *t, stm_obj *arr, unsigned i) {
    const array_t *a = stm_read(t, arr);
    return a->items[i];
}

/* bank: a transfer, or every AUDIT_EVERY-th transaction an audit. */
static void bank_body(worker *w) {
    stm_thread *t = w->t;
    uint64_t r = rng_next(&w->rng);
    if ((w->commits % AUDIT_EVERY) == AUDIT_EVERY - 1) {
        w->pending_kind = 1;
        const array_t *a = stm_read(t, g_accounts);
        if (a->n != N_ACCOUNTS) violation("bank: accounts array has length %" PRIu64, a->n);
        int64_t sum = 0;
        for (unsigned i = 0; i < N_ACCOUNTS; i++) {
            const cell_t *c = stm_read(t, a->items[i]);
            sum += c->val;
        }
        w->audit_sum = sum;
        /* opacity: even a transaction that will abort must see a consistent snapshot */
        if (sum != (int64_t)N_ACCOUNTS * INITIAL_BAL)
            violation("bank: thread %d audit inside transaction: total %" PRId64 " != %" PRId64
                      " (opacity)", w->index, sum, (int64_t)N_ACCOUNTS * INITIAL_BAL);
        return;
    }
    w->pending_kind = 0;
    unsigned from = (unsigned)(r % N_ACCOUNTS);
    unsigned to = (unsigned)((r >> 8) % (N_ACCOUNTS - 1));
    if (to >= from) to++;
    int64_t amount = (int64_t)((r >> 20) % 100) + 1;
    stm_obj *ofrom = array_item(t, g_accounts, from);
    stm_obj *oto = array_item(t, g_accounts, to);
    const cell_t *cf = stm_read(t, ofrom);
    if (cf->val < amount && (r >> 40) % 4 != 0) return;   /* mostly refuse overdrafts: read-only */
    cell_t *wf = stm_write(t, ofrom);
    cell_t *wt = stm_write(t, oto);
    wf->val -= amount;
    wt->val += amount;
}

/* counter: increment one counter (sometimes two, the second one read first). */
static void counter_body(worker *w) {
    stm_thread *t = w->t;
    uint64_t r = rng_next(&w->rng);
    unsigned c = (unsigned)(r % N_COUNTERS);
    w->pending_counter = (int)c;
    stm_obj *o = array_item(t, g_counters, c);
    const cell_t *rc = stm_read(t, o);
    int64_t before = rc->val;
    cell_t *wc = stm_write(t, o);
    if (wc->val != before)
        violation("counter: thread %d: counter %u read %" PRId64 " then write barrier shows %"
                  PRId64 " (opacity)", w->index, c, before, wc->val);
    wc->val = before + 1;
    const cell_t *again = stm_read(t, o);
    if (again->val != before + 1)
        violation("counter: thread %d: counter %u does not read back its own write (%" PRId64
                  " != %" PRId64 ")", w->index, c, again->val, before + 1);
}

/* list: verify the whole list (inside the running transaction); returns its length. */
static void list_verify(worker *w, const char *when) {
    stm_thread *t = w->t;
    const header_t *h = stm_read(t, g_list);
    int64_t length = h->length;
    stm_obj *cur = h->first;
    int64_t count = 0, last = -1;
    while (cur) {
        if (count > LIST_KEYS) {
            violation("list (%s, thread %d): more than %d nodes (cycle?)", when, w->index,
                      LIST_KEYS);
            return;
        }
        const node_t *n = stm_read(t, cur);
        if (n->key <= last || n->key >= LIST_KEYS) {
            violation("list (%s, thread %d): node %" PRId64 " key %" PRId64 " after %" PRId64
                      " (not sorted or out of range)", when, w->index, count, n->key, last);
            return;
        }
        last = n->key;
        count++;
        cur = n->next;
    }
    if (count != length)
        violation("list (%s, thread %d): header length %" PRId64 " but %" PRId64 " nodes",
                  when, w->index, length, count);
}

/* list: insert or delete a random key, or every VERIFY_EVERY-th transaction verify. */
static void list_body(worker *w) {
    stm_thread *t = w->t;
    uint64_t r = rng_next(&w->rng);
    if ((w->commits % VERIFY_EVERY) == VERIFY_EVERY - 1) {
        w->pending_kind = 2;
        list_verify(w, "periodic");
        return;
    }
    int64_t key = (int64_t)(r % LIST_KEYS);
    bool insert = (r >> 32) & 1;
    stm_obj *fresh = NULL;
    if (insert) {
        /* Allocate first: after this there is no moving point before the commit, so all the
           payload pointers taken below stay valid. */
        fresh = stm_allocate(t, TID_NODE, sizeof(node_t), 0);
        if (!fresh) die("out of memory (list insert)");
    }
    w->pending_kind = insert ? 0 : 1;
    stm_obj *prev = NULL;                  /* NULL: the header */
    const header_t *h = stm_read(t, g_list);
    stm_obj *cur = h->first;
    int steps = 0;
    while (cur) {
        const node_t *n = stm_read(t, cur);
        if (n->key >= key) break;
        if (++steps > LIST_KEYS) {
            violation("list: thread %d: traversal longer than %d nodes (cycle?)", w->index,
                      LIST_KEYS);
            return;
        }
        prev = cur;
        cur = n->next;
    }
    bool found = cur && ((const node_t *)stm_read(t, cur))->key == key;
    if (insert == found) return;           /* nothing to do: a read-only transaction */
    header_t *wh = stm_write(t, g_list);   /* the length changes */
    stm_obj **link = prev ? &((node_t *)stm_write(t, prev))->next : &wh->first;
    if (insert) {
        node_t *nn = stm_write(t, fresh);  /* private: a plain store */
        nn->key = key;
        nn->next = cur;
        *link = fresh;
        wh->length++;
    } else {
        const node_t *victim = stm_read(t, cur);
        *link = victim->next;
        wh->length--;
    }
}

/* disjoint: increment one of our own cells. */
static void disjoint_body(worker *w) {
    stm_thread *t = w->t;
    uint64_t r = rng_next(&w->rng);
    stm_obj *arr = t->roots_base[w->root_index];
    stm_obj *o = array_item(t, arr, (unsigned)(r % DISJOINT_CELLS));
    cell_t *c = stm_write(t, o);
    c->val++;
}

static int64_t disjoint_sum(worker *w) {
    stm_thread *t = w->t;
    stm_obj *arr = t->roots_base[w->root_index];
    const array_t *a = stm_read(t, arr);
    int64_t sum = 0;
    for (unsigned i = 0; i < a->n; i++) sum += ((const cell_t *)stm_read(t, a->items[i]))->val;
    return sum;
}

/* ---------------------------------------------------------------------------------------------
 * Worker threads
 * ------------------------------------------------------------------------------------------- */

static void after_commit(worker *w) {
    w->commits++;
    switch (g_workload) {
    case W_BANK:
        if (w->pending_kind == 1) {
            w->audits++;
            if (w->audit_sum != (int64_t)N_ACCOUNTS * INITIAL_BAL)
                violation("bank: thread %d committed audit: total %" PRId64 " != %" PRId64,
                          w->index, w->audit_sum, (int64_t)N_ACCOUNTS * INITIAL_BAL);
        }
        break;
    case W_COUNTER: w->counter_incs[w->pending_counter]++; break;
    case W_LIST: if (w->pending_kind == 2) w->verifies++; break;
    case W_DISJOINT: w->disjoint_incs++; break;
    }
}

static void *worker_main(void *arg) {
    worker *w = arg;
    stm_thread *t = stm_register_thread();
    w->t = t;

    if (g_workload == W_DISJOINT) {
        /* Our own cells, kept in a slot of our shadow stack for the whole run. */
        size_t base = (size_t)(t->roots_top - t->roots_base);
        STM_START(t);
        t->roots_top = t->roots_base + base;
        make_cell_array(t, DISJOINT_CELLS, 0, STM_IMMUTABLE);
        stm_commit(t);
        w->root_index = base;
    }

    pthread_barrier_wait(&g_start_barrier);

    for (;;) {
        if (atomic_load_explicit(&g_stop, memory_order_relaxed)) break;
        STM_START(t);
        switch (g_workload) {
        case W_BANK: bank_body(w); break;
        case W_COUNTER: counter_body(w); break;
        case W_LIST: list_body(w); break;
        case W_DISJOINT: disjoint_body(w); break;
        }
        stm_commit(t);
        after_commit(w);
    }

    if (g_workload == W_DISJOINT) {
        STM_START(t);
        w->audit_sum = disjoint_sum(w);
        stm_commit(t);
        if ((uint64_t)w->audit_sum != w->disjoint_incs)
            violation("disjoint: thread %d: cells sum to %" PRId64 " but %" PRIu64
                      " increments committed", w->index, w->audit_sum, w->disjoint_incs);
        (void)stm_pop_root(t);
    }

    stm_stats st;
    stm_get_stats(t, &st);
    for (int i = 0; i < STM_ABORT_CAUSES; i++) w->aborts += st.aborts[i];
    stm_unregister_thread(t);
    return NULL;
}

/* ---------------------------------------------------------------------------------------------
 * Final checks (main thread, after all workers joined)
 * ------------------------------------------------------------------------------------------- */

static worker *g_workers;
static int64_t g_final[N_ACCOUNTS];

static void final_check(void) {
    if (g_workload == W_DISJOINT) return;   /* checked by each worker */
    stm_thread *t = stm_register_thread();
    worker fake = { .index = -1, .t = t };
    STM_START(t);
    switch (g_workload) {
    case W_BANK: {
        const array_t *a = stm_read(t, g_accounts);
        for (unsigned i = 0; i < N_ACCOUNTS; i++)
            g_final[i] = ((const cell_t *)stm_read(t, a->items[i]))->val;
        break;
    }
    case W_COUNTER: {
        const array_t *a = stm_read(t, g_counters);
        for (unsigned i = 0; i < N_COUNTERS; i++)
            g_final[i] = ((const cell_t *)stm_read(t, a->items[i]))->val;
        break;
    }
    case W_LIST: list_verify(&fake, "final"); break;
    default: break;
    }
    stm_commit(t);
    stm_unregister_thread(t);

    if (g_workload == W_BANK) {
        int64_t sum = 0;
        for (unsigned i = 0; i < N_ACCOUNTS; i++) sum += g_final[i];
        if (sum != (int64_t)N_ACCOUNTS * INITIAL_BAL)
            violation("bank: final total %" PRId64 " != %" PRId64, sum,
                      (int64_t)N_ACCOUNTS * INITIAL_BAL);
    } else if (g_workload == W_COUNTER) {
        for (unsigned c = 0; c < N_COUNTERS; c++) {
            uint64_t expect = 0;
            for (int i = 0; i < g_threads; i++) expect += g_workers[i].counter_incs[c];
            if ((uint64_t)g_final[c] != expect)
                violation("counter: counter %u is %" PRId64 " but threads committed %" PRIu64
                          " increments", c, g_final[c], expect);
        }
    }
}

/* ---------------------------------------------------------------------------------------------
 * main
 * ------------------------------------------------------------------------------------------- */

static void usage(void) {
    fprintf(stderr, "usage: stm-stress --threads N --seconds S --workload bank|counter|list|"
                    "disjoint [--segments K] [--seed X]\n");
    exit(2);
}

static unsigned long parse_ul(const char *s) {
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 0);
    if (errno || *end || end == s) usage();
    return v;
}

int main(int argc, char **argv) {
    int workload = -1;
    long segments = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (i + 1 >= argc) usage();
        const char *v = argv[++i];
        if (!strcmp(a, "--threads")) g_threads = (int)parse_ul(v);
        else if (!strcmp(a, "--seconds")) {
            char *end;
            g_seconds = strtod(v, &end);
            if (*end || end == v || g_seconds < 0) usage();
        } else if (!strcmp(a, "--workload")) {
            for (int k = 0; k < 4; k++)
                if (!strcmp(v, workload_names[k])) workload = k;
            if (workload < 0) usage();
        } else if (!strcmp(a, "--segments")) segments = (long)parse_ul(v);
        else if (!strcmp(a, "--seed")) g_seed = parse_ul(v);
        else usage();
    }
    if (workload < 0 || g_threads < 1) usage();
    g_workload = (enum workload)workload;

    stm_setup(NULL);
    if (segments >= 0) stm_set_segment_limit((unsigned)segments);

    setup_shared();

    g_workers = calloc((size_t)g_threads, sizeof(worker));
    if (!g_workers) die("out of memory");
    if (pthread_barrier_init(&g_start_barrier, NULL, (unsigned)g_threads + 1))
        die("pthread_barrier_init failed");

    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 1024 * 1024);
    for (int i = 0; i < g_threads; i++) {
        worker *w = &g_workers[i];
        w->index = i;
        w->rng = (g_seed + 1) * 0x9E3779B97F4A7C15ULL ^ ((uint64_t)(i + 1) * 0xBF58476D1CE4E5B9ULL);
        if (w->rng == 0) w->rng = 1;
        int err = pthread_create(&w->thread, &attr, worker_main, w);
        if (err) die("pthread_create: %s", strerror(err));
    }
    pthread_attr_destroy(&attr);

    pthread_barrier_wait(&g_start_barrier);
    double t0 = now_s();
    struct timespec ts = { (time_t)g_seconds, (long)((g_seconds - (double)(time_t)g_seconds) * 1e9) };
    while (nanosleep(&ts, &ts) && errno == EINTR) {}
    atomic_store(&g_stop, true);
    for (int i = 0; i < g_threads; i++) pthread_join(g_workers[i].thread, NULL);
    double elapsed = now_s() - t0;

    final_check();

    uint64_t commits = 0, aborts = 0;
    for (int i = 0; i < g_threads; i++) {
        commits += g_workers[i].commits;
        aborts += g_workers[i].aborts;
    }
    unsigned long v = atomic_load(&g_violations);
    printf("workload=%s threads=%d commits=%" PRIu64 " aborts=%" PRIu64 " violations=%lu "
           "tx_per_s=%.0f\n", workload_names[g_workload], g_threads, commits, aborts, v,
           elapsed > 0 ? (double)commits / elapsed : 0.0);
    fflush(stdout);
    pthread_barrier_destroy(&g_start_barrier);
    free(g_workers);
    stm_teardown();
    return v > 0 ? 1 : 0;
}
