/* gil.c — libstm's GIL backend (build/gil): stm.h's transactions on one global lock, no STM. */
#include "stm_internal.h"

#include <stdarg.h>
#include <sys/mman.h>
#include <time.h>

/*
 * The baseline that shows what the STM costs a single thread, and that by construction does not
 * scale.  It replaces core.c; gc.c (nursery, minor and major collection, old space) and
 * hashtable.c are shared, with #ifdef STM_GIL where they touch transaction logs.
 *
 * The lock.  A transaction holds the global interpreter lock from _stm_start to stm_commit
 * (stm_leave releases it, stm_enter takes it back), so it runs alone: no logs, no validation,
 * no aborts, objects are updated in place.  Waiters queue in FIFO order and the releasing
 * thread hands the lock to the oldest one directly, so a thread that commits and starts again
 * goes behind everyone already waiting.  As in CPython (3.2 and later), a waiter that has waited
 * a whole switch interval (STM_GIL_INTERVAL microseconds, default 5000 as CPython's
 * sys.getswitchinterval()) without any hand-over sets the holder's poll word, a drop request:
 * the holder's next stm_should_break says "break" (outside atomic sections), its commit hands the
 * lock over.  Time rather than bytecodes, so that a thread holding the lock is interrupted at the
 * same rate whatever its code costs per tick.  A lone thread never sees poll set, never breaks.
 *
 * Memory.  Every release of the lock first empties the releasing thread's nursery and
 * remembered set (a minor collection), so a thread never reaches another thread's young object,
 * and a thread that is not running has no young objects at all.  Hence the lock holder may run
 * any collection at any moving point: the other threads are outside the heap (waiting for the
 * lock, or left), with all their references in their shadow stacks.  Nobody ever attaches to
 * gc.c's stop-the-world handshake, so a major collection starts at once.
 *
 * Timestamps (stm_stamp_at_commit).  Commits happen one at a time in lock order, which is the
 * serialization order.  The clock counts lock releases; a stamp is written at once with the value
 * the clock will have when the running transaction releases the lock (the VM does not read it
 * before the commit), so it is equal for everything one transaction stamps and larger than every
 * stamp of the transactions that released the lock before.  stm_leave also advances the clock:
 * other threads run before the transaction goes on, so what it does afterwards comes later in
 * the serialization order.
 */

_Atomic uint64_t _stm_clock = 1;
stm_config _stm_cfg;

static _Atomic unsigned segment_limit;     /* recorded for stm_get_segment_limit, not enforced */
static _Atomic uint64_t switch_interval_ns; /* how long a waiter waits before a drop request */
static uint64_t default_interval_ns;         /* STM_GIL_INTERVAL */
static _Atomic unsigned length_ticks;

/* The STM build's transaction length (in safe points, ~4 million a second: see the VM's
   sys.setswitchinterval) is this build's switch interval: 250 ns a tick; 0 = the default. */
void stm_set_transaction_length(unsigned n) {
    atomic_store(&length_ticks, n);
    atomic_store(&switch_interval_ns, n ? (uint64_t)n * 250 : default_interval_ns);
}
unsigned stm_get_transaction_length(void) { return atomic_load(&length_ticks); }

typedef struct gil_waiter {
    stm_thread_full *t;
    bool granted;
    pthread_cond_t cond;
    struct gil_waiter *next;
} gil_waiter;

static pthread_mutex_t gil_mutex = PTHREAD_MUTEX_INITIALIZER;
static stm_thread_full *gil_holder;        /* guarded by gil_mutex, as the queue and count */
static gil_waiter *queue_head, *queue_tail;
static uint64_t gil_handovers;
static pthread_condattr_t monotonic_cond;

/* ------------------------------------------------------------------------------------------ */
/* Small utilities (the same as core.c's: exactly one of the two is linked)                    */

_Noreturn void _stm_fatal(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("libstm: fatal: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

void _stm_vec_grow(void **items, size_t *cap, size_t elem) {
    size_t nc = *cap ? *cap * 2 : 16;
    void *p = realloc(*items, nc * elem);
    if (!p) _stm_fatal("out of memory growing a remembered set");
    *items = p;
    *cap = nc;
}



/* ------------------------------------------------------------------------------------------ */
/* Set-up                                                                                      */

void stm_setup(const stm_config *cfg) {
    _stm_read_config(cfg);             /* STM_ABORT_EVERY and the retry count mean nothing here */
    atomic_store(&segment_limit, _stm_cfg.segment_limit);
    size_t us = _stm_env_size("STM_GIL_INTERVAL", 5000);
    default_interval_ns = (uint64_t)(us < 1 ? 1 : us > 10000000 ? 10000000 : us) * 1000;
    atomic_store(&switch_interval_ns, default_interval_ns);
    pthread_condattr_init(&monotonic_cond);
    pthread_condattr_setclock(&monotonic_cond, CLOCK_MONOTONIC);
    atomic_store(&_stm_clock, 1);
    _stm_gc_setup();
}

void stm_teardown(void) { _stm_gc_teardown(); }

void stm_set_segment_limit(unsigned n) { atomic_store(&segment_limit, n); }
unsigned stm_get_segment_limit(void) { return atomic_load(&segment_limit); }

/* ------------------------------------------------------------------------------------------ */
/* The lock                                                                                    */

static void gil_acquire(stm_thread_full *t) {
    pthread_mutex_lock(&gil_mutex);
    if (gil_holder || queue_head) {
        gil_waiter w = {.t = t, .granted = false, .next = NULL};
        pthread_cond_init(&w.cond, &monotonic_cond);
        if (queue_tail) queue_tail->next = &w;
        else queue_head = &w;
        queue_tail = &w;
        uint64_t t0 = _stm_now_ns(), until = t0 + switch_interval_ns, seen = gil_handovers;
        while (!w.granted) {
            struct timespec ts = {(time_t)(until / 1000000000u), (long)(until % 1000000000u)};
            if (pthread_cond_timedwait(&w.cond, &gil_mutex, &ts) == 0 || w.granted) continue;
            /* A whole interval without a hand-over: ask the holder to let go. */
            if (gil_handovers == seen && gil_holder)
                atomic_store_explicit(&gil_holder->pub.poll, 1, memory_order_relaxed);
            seen = gil_handovers;
            until = _stm_now_ns() + switch_interval_ns;
        }
        pthread_cond_destroy(&w.cond);
        t->stats.ns_waiting += _stm_now_ns() - t0;
    }
    gil_holder = t;                /* (already set by the releaser when we waited) */
    atomic_store_explicit(&t->pub.poll, 0, memory_order_relaxed);
    pthread_mutex_unlock(&gil_mutex);
}

/* Hand the lock to the oldest waiter, or leave it free. */
static void gil_release(stm_thread_full *t) {
    atomic_fetch_add_explicit(&_stm_clock, 1, memory_order_relaxed);
    pthread_mutex_lock(&gil_mutex);
    if (gil_holder != t) _stm_fatal("releasing the global lock without holding it");
    gil_waiter *w = queue_head;
    if (w) {
        queue_head = w->next;
        if (!queue_head) queue_tail = NULL;
        gil_handovers++;
        gil_holder = w->t;
        w->granted = true;
        pthread_cond_signal(&w->cond);
    } else {
        gil_holder = NULL;
    }
    pthread_mutex_unlock(&gil_mutex);
}

/* Before letting others run: no young object of ours may stay reachable (see the top). */
static void empty_nursery(stm_thread_full *t) {
    _stm_minor_collect_internal(t);
    if (_stm_major_wanted()) _stm_major_collect_internal(t);
}

/* ------------------------------------------------------------------------------------------ */
/* Transactions                                                                                */

void _stm_start(stm_thread *pub) {
    stm_thread_full *t = full(pub);
    STM_ASSERT(atomic_load(&t->state) == TS_NONE);
    gil_acquire(t);
    t->t_start = _stm_now_ns();
    t->roots_at_start = (size_t)(pub->roots_top - pub->roots_base);
    atomic_store_explicit(&t->state, TS_RUN, memory_order_relaxed);
}

void stm_commit(stm_thread *pub) {
    stm_thread_full *t = full(pub);
    STM_ASSERT(atomic_load(&t->state) == TS_RUN);
    empty_nursery(t);
    t->stats.commits++;
    t->stats.ns_committed += _stm_now_ns() - t->t_start;
    atomic_store_explicit(&t->state, TS_NONE, memory_order_relaxed);
    gil_release(t);
}

_Noreturn void stm_abort(stm_thread *pub) {
    STM_UNUSED(pub);
    _stm_fatal("stm_abort: transactions cannot abort in the GIL build");
}

bool stm_in_transaction(const stm_thread *pub) {
    return atomic_load_explicit(&((const stm_thread_full *)pub)->state, memory_order_relaxed) != TS_NONE;
}

/* Every transaction runs alone and never aborts: it is inevitable from the start. */
void stm_become_inevitable(stm_thread *pub) { STM_UNUSED(pub); }
bool stm_try_become_inevitable(stm_thread *pub) { STM_UNUSED(pub); return true; }
bool stm_is_inevitable(const stm_thread *pub) { return stm_in_transaction(pub); }

void stm_stamp_at_commit(stm_thread *pub, stm_obj *o, size_t offset) {
    STM_ASSERT(atomic_load(&full(pub)->state) == TS_RUN);
    STM_UNUSED(pub);
    uint64_t ts = atomic_load_explicit(&_stm_clock, memory_order_relaxed) + 1;
    memcpy((char *)(o + 1) + offset, &ts, sizeof ts);
}

/* Reached only while poll is set: another thread asked for the lock (a drop request). */
bool _stm_should_break_slow(stm_thread *pub) { return pub->atomic_depth == 0; }

void _stm_poll_slow(stm_thread *pub) { STM_UNUSED(pub); }

void stm_leave(stm_thread *pub) {
    stm_thread_full *t = full(pub);
    if (atomic_load(&t->state) != TS_RUN) _stm_fatal("stm_leave outside a running transaction");
    empty_nursery(t);
    atomic_store(&t->state, TS_RUN_LEFT);
    gil_release(t);
}

void stm_enter(stm_thread *pub) {
    stm_thread_full *t = full(pub);
    if (atomic_load(&t->state) != TS_RUN_LEFT) _stm_fatal("stm_enter without a left transaction");
    gil_acquire(t);
    atomic_store(&t->state, TS_RUN);
}

/* ------------------------------------------------------------------------------------------ */
/* Write barrier                                                                               */

/* First write to an old object since our last minor collection: remember it, so that the next
   one finds the young objects it may come to reference.  (Young objects never get here.) */
void *_stm_write_slow(stm_thread *pub, stm_obj *o) {
    stm_thread_full *t = full(pub);
    STM_ASSERT(atomic_load(&t->state) == TS_RUN);
    STM_ASSERT(!(o->flags & F_NURSERY));
    atomic_store_explicit(&o->owner, pub->tag, memory_order_relaxed);
    vec_push(t->oldpriv_modified, o);
    return o + 1;
}

/* Not reached through stm.h's GIL inlines; defined for completeness of the ABI. */
const void *_stm_read_slow(stm_thread *pub, stm_obj *o) { STM_UNUSED(pub); return o + 1; }

/* ------------------------------------------------------------------------------------------ */
/* Threads and statistics                                                                      */

void _stm_thread_reset(stm_thread_full *t) {
    t->pub.tag = (uintptr_t)t;
    t->pub.atomic_depth = 0;
    t->pub.location = 0;
    t->pub.ticks = 0;
    atomic_store(&t->pub.poll, 0);
    atomic_store(&t->state, TS_NONE);
    t->rs.n = t->ws.n = t->created_old.n = t->oldpriv_modified.n = t->hiter.n = t->stamps.n = 0;
    memset(&t->stats, 0, sizeof t->stats);
    t->last_abort.cause = -1;
    if (!t->pub.roots_base) {
        void *p = mmap(NULL, STM_ROOTS_MAX * sizeof(stm_obj *), PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) _stm_fatal("cannot reserve a shadow stack");
        t->pub.roots_base = p;
        t->pub.roots_end = t->pub.roots_base + STM_ROOTS_MAX;
    }
    t->pub.roots_top = t->pub.roots_base;
}


/* ------------------------------------------------------------------------------------------ */
/* Test-only introspection: there are no read or write sets; "written" means remembered.       */

bool _stm_was_read(stm_thread *pub, stm_obj *o) { STM_UNUSED(pub); STM_UNUSED(o); return false; }

bool _stm_was_written(stm_thread *pub, stm_obj *o) {
    return atomic_load(&o->owner) == pub->tag && !(o->flags & F_NURSERY);
}

bool _stm_is_private(stm_thread *pub, stm_obj *o) { return _stm_in_nursery(pub, o); }

uint64_t _stm_global_clock(void) { return atomic_load(&_stm_clock); }
