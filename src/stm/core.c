/* core.c — transactions: start, barrier slow paths, validation, commit, abort, inevitability. */
#include "stm_internal.h"

#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <time.h>

_Atomic uint64_t _stm_clock = 1;
_Atomic(stm_thread_full *) _stm_inev_owner;
_Atomic uint32_t _stm_inev_epoch;
stm_config _stm_cfg;

static _Atomic int inev_waiters;

/* Which thread committed a recent version: for conflict reports only (best effort). */
#define COMMIT_RING 4096
static struct { _Atomic uint64_t ver; _Atomic uint32_t thread; } commit_ring[COMMIT_RING];

static void ring_record(uint64_t wv, uint32_t thread) {
    atomic_store_explicit(&commit_ring[wv % COMMIT_RING].thread, thread, memory_order_relaxed);
    atomic_store_explicit(&commit_ring[wv % COMMIT_RING].ver, wv, memory_order_release);
}

static uint32_t ring_lookup(uint64_t ver) {
    uint64_t v1 = atomic_load_explicit(&commit_ring[ver % COMMIT_RING].ver, memory_order_acquire);
    uint32_t th = atomic_load_explicit(&commit_ring[ver % COMMIT_RING].thread, memory_order_relaxed);
    atomic_thread_fence(memory_order_acquire);
    uint64_t v2 = atomic_load_explicit(&commit_ring[ver % COMMIT_RING].ver, memory_order_relaxed);
    return v1 == ver && v2 == ver ? th : 0;
}
static _Atomic unsigned segment_limit, segments_used, segment_waiters;
static pthread_mutex_t segment_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t segment_cond = PTHREAD_COND_INITIALIZER;

enum { LENGTH_MIN = 64, LENGTH_START = 4096, LENGTH_MAX = 1 << 17 };
static _Atomic unsigned length_limit;    /* stm_set_transaction_length; 0 = adaptive */

void stm_set_transaction_length(unsigned n) { atomic_store(&length_limit, n); }
unsigned stm_get_transaction_length(void) { return atomic_load(&length_limit); }

/* The length of the next transaction: the adaptive length, capped by the user's limit; alone
   (one registered thread) nothing can conflict, so the longest. */
static int next_length(stm_thread_full *t) {
    unsigned lim = atomic_load_explicit(&length_limit, memory_order_relaxed);
    if (lim) return t->length < (int)lim ? t->length : (int)(lim > INT32_MAX ? INT32_MAX : lim);
    if (atomic_load_explicit(&_stm_nregistered, memory_order_relaxed) <= 1) return LENGTH_MAX;
    return t->length;
}

/* ------------------------------------------------------------------------------------------ */
/* Small utilities                                                                             */

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
    if (!p) _stm_fatal("out of memory growing a transaction log");
    *items = p;
    *cap = nc;
}


static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/* One step of a wait loop: park for a pending collection, then spin, yield, or sleep. */
void _stm_wait_pause(stm_thread_full *t, unsigned *spins) {
    if (t && _stm_gc_requested() && atomic_load(&t->attached)) _stm_park(t);
    unsigned n = (*spins)++;
    if (n < 64) cpu_relax();
    else if (n < 256) sched_yield();
    else {
        struct timespec ts = {0, 20000};
        nanosleep(&ts, NULL);
    }
}


/* ------------------------------------------------------------------------------------------ */
/* Set-up                                                                                      */

void stm_setup(const stm_config *cfg) {
    _stm_read_config(cfg);
    if (!_stm_cfg.retries_before_inevitable) _stm_cfg.retries_before_inevitable = 8;
    atomic_store(&segment_limit, _stm_cfg.segment_limit);
    atomic_store(&_stm_clock, 1);
    atomic_store(&_stm_inev_owner, NULL);
    _stm_gc_setup();
}

void stm_teardown(void) { _stm_gc_teardown(); }

void stm_set_segment_limit(unsigned n) {
    atomic_store(&segment_limit, n);
    pthread_mutex_lock(&segment_lock);
    pthread_cond_broadcast(&segment_cond);
    pthread_mutex_unlock(&segment_lock);
}

unsigned stm_get_segment_limit(void) { return atomic_load(&segment_limit); }

static void acquire_segment(stm_thread_full *t) {
    t->has_segment = false;
    for (;;) {
        unsigned lim = atomic_load(&segment_limit);
        if (!lim) return;
        unsigned used = atomic_load(&segments_used);
        if (used < lim) {
            if (atomic_compare_exchange_weak(&segments_used, &used, used + 1)) {
                t->has_segment = true;
                return;
            }
            continue;
        }
        uint64_t t0 = _stm_now_ns();
        atomic_fetch_add(&segment_waiters, 1);
        pthread_mutex_lock(&segment_lock);
        while (atomic_load(&segment_limit) && atomic_load(&segments_used) >= atomic_load(&segment_limit))
            pthread_cond_wait(&segment_cond, &segment_lock);
        pthread_mutex_unlock(&segment_lock);
        atomic_fetch_sub(&segment_waiters, 1);
        t->stats.ns_waiting += _stm_now_ns() - t0;
    }
}

static void release_segment(stm_thread_full *t) {
    if (!t->has_segment) return;
    t->has_segment = false;
    atomic_fetch_sub(&segments_used, 1);
    if (atomic_load(&segment_waiters)) {
        pthread_mutex_lock(&segment_lock);
        pthread_cond_broadcast(&segment_cond);
        pthread_mutex_unlock(&segment_lock);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Write-set index: open addressing from object to ws position + 1.                           */

static inline size_t ptr_hash(const void *p) {
    uintptr_t x = (uintptr_t)p >> 4;
    x ^= x >> 17;
    x *= 0x9E3779B97F4A7C15ull;
    return (size_t)(x ^ (x >> 29));
}

static void wsidx_insert(stm_thread_full *t, size_t pos) {
    if (2 * (t->ws.n + 1) > t->wsidx_cap) {
        size_t nc = t->wsidx_cap ? t->wsidx_cap * 2 : 64;
        free(t->wsidx);
        t->wsidx = calloc(nc, sizeof(size_t));
        if (!t->wsidx) _stm_fatal("out of memory (write-set index)");
        t->wsidx_cap = nc;
        for (size_t i = 0; i < t->ws.n; i++) {
            if (i == pos) continue;
            size_t h = ptr_hash(t->ws.items[i].obj) & (nc - 1);
            while (t->wsidx[h]) h = (h + 1) & (nc - 1);
            t->wsidx[h] = i + 1;
        }
    }
    size_t m = t->wsidx_cap - 1, h = ptr_hash(t->ws.items[pos].obj) & m;
    while (t->wsidx[h]) h = (h + 1) & m;
    t->wsidx[h] = pos + 1;
}

ws_entry *_stm_ws_find(stm_thread_full *t, stm_obj *o) {
    if (!t->wsidx_cap) return NULL;
    size_t m = t->wsidx_cap - 1, h = ptr_hash(o) & m;
    for (size_t i; (i = t->wsidx[h]) != 0; h = (h + 1) & m)
        if (t->ws.items[i - 1].obj == o) return &t->ws.items[i - 1];
    return NULL;
}

/* Clearing in reverse insertion order keeps every probe chain intact while we walk it. */
static void wsidx_clear(stm_thread_full *t) {
    if (!t->wsidx_cap) return;
    size_t m = t->wsidx_cap - 1;
    for (size_t k = t->ws.n; k-- > 0;) {
        size_t h = ptr_hash(t->ws.items[k].obj) & m;
        while (t->wsidx[h] != k + 1) h = (h + 1) & m;
        t->wsidx[h] = 0;
    }
}

void _stm_clear_rc(stm_thread_full *t) {
    for (size_t i = 0; i < t->rs.n; i++) {
        stm_rcslot *s = _stm_rc(&t->pub, t->rs.items[i].obj);
        if (s->key == t->rs.items[i].obj) s->key = NULL;
    }
    for (size_t i = 0; i < t->ws.n; i++) {
        stm_rcslot *s = _stm_rc(&t->pub, t->ws.items[i].obj);
        if (s->key == t->ws.items[i].obj) s->key = NULL;
    }
}

static inline void rc_fill(stm_thread_full *t, stm_obj *o, void *payload, bool writable) {
    stm_rcslot *s = _stm_rc(&t->pub, o);
    s->key = o;
    s->val = (uintptr_t)payload | (writable ? 1u : 0u);
}

/* ------------------------------------------------------------------------------------------ */
/* Transaction start and end                                                                   */

static void backoff(stm_thread_full *t) {
    stm_thread_full *x = (stm_thread_full *)t->backoff_on;
    t->backoff_on = NULL;
    if (!x || _stm_cfg.no_backoff) return;
    uint64_t t0 = _stm_now_ns();
    unsigned spins = 0;
    while (atomic_load(&x->serial) == t->backoff_serial && _stm_now_ns() - t0 < 1000000)
        _stm_wait_pause(NULL, &spins);
    t->stats.ns_waiting += _stm_now_ns() - t0;
}

void _stm_start(stm_thread *pub) {
    stm_thread_full *t = full(pub);
    STM_ASSERT(atomic_load(&t->state) == TS_NONE);
    backoff(t);
    acquire_segment(t);
    _stm_attach(t);
    t->t_start = _stm_now_ns();
    t->roots_at_start = (size_t)(pub->roots_top - pub->roots_base);
    t->rv = atomic_load(&_stm_clock);
    /* Age for greedy contention management: the start time of the first attempt (a monotonic
       clock shared by all cores), thread id in the low bits to break ties.  No shared counter:
       one contended atomic per transaction would cost more than short transactions do. */
    if (t->consecutive_aborts == 0)
        atomic_store_explicit(&t->age, (t->t_start << 12) | (pub->id & 0xFFF), memory_order_relaxed);
    pub->ticks = next_length(t);
    atomic_store(&t->state, TS_RUN);
    if (t->consecutive_aborts >= _stm_cfg.retries_before_inevitable) stm_become_inevitable(pub);
}

/* Common tail of commit and abort: forget the logs, leave the transaction. */
static void end_tx(stm_thread_full *t) {
    _stm_clear_rc(t);
    wsidx_clear(t);
    t->rs.n = t->ws.n = t->ws_dirty.n = 0;
    t->created_old.n = t->oldpriv_modified.n = t->hiter.n = t->stamps.n = 0;
    t->ht_iterating = NULL;
    atomic_store(&t->commit_ver, 0);
    atomic_fetch_add(&t->serial, 1);
    atomic_store(&t->state, TS_NONE);
    release_segment(t);
    _stm_detach(t);
}

static void release_locks(stm_thread_full *t) {
    for (size_t i = 0; i < t->ws.n; i++)
        atomic_store_explicit(&t->ws.items[i].obj->owner, 0, memory_order_release);
}

/* Root slots below the restart height that the aborted attempt overwrote may point to its
   (now discarded) private objects: clear them so no collector follows them. */
static void forget_private_roots(stm_thread_full *t) {
    for (stm_obj **r = t->pub.roots_base; r < t->pub.roots_top; r++) {
        stm_obj *o = *r;
        if (!o || ((uintptr_t)o & 1)) continue;
        if (_stm_in_own_nursery(t, o)) { *r = NULL; continue; }
        uintptr_t w = atomic_load_explicit(&o->owner, memory_order_relaxed);
        if ((w & ~OWNER_BITS) == t->pub.tag && !(w & LOCKED)) *r = NULL;
    }
}

_Noreturn static void rollback(stm_thread_full *t, stm_abort_info info) {
    uint64_t now = _stm_now_ns();
    info.self_thread = t->pub.id;
    info.ns_lost = now - t->t_start;
    t->stats.aborts[info.cause]++;
    t->stats.ns_aborted += info.ns_lost;
    t->last_abort = info;
    t->pub.roots_top = t->pub.roots_base + t->roots_at_start;
    forget_private_roots(t);
    _stm_nursery_reset(t);
    t->pub.atomic_depth = 0;
    t->consecutive_aborts++;
    t->length = t->length / 2 > LENGTH_MIN ? t->length / 2 : LENGTH_MIN;
    end_tx(t);
    if (_stm_cfg.abort_hook) _stm_cfg.abort_hook(&info);
    longjmp(t->pub.jmpbuf, 1);
}

_Noreturn static void abort_tx(stm_thread_full *t, int cause, uintptr_t other_loc, stm_thread_full *other) {
    int s = atomic_load(&t->state);
    if (s == TS_INEV || s == TS_INEV_LEFT) _stm_fatal("an inevitable transaction cannot abort");
    STM_ASSERT(s == TS_RUN || s == TS_ABORT_REQ || s == TS_COMMITTING);
    release_locks(t);
    stm_abort_info info = {cause, t->pub.location, other_loc, other ? other->pub.id : 0, 0, 0};
    if (other) {
        t->backoff_on = &other->pub;
        t->backoff_serial = atomic_load(&other->serial);
    }
    rollback(t, info);
}

_Noreturn static void abort_requested(stm_thread_full *t) {
    uint32_t by = atomic_load(&t->abort_req_by);
    release_locks(t);
    stm_abort_info info = {STM_ABORT_WRITE_WRITE, t->pub.location, atomic_load(&t->abort_req_loc), by, 0, 0};
    rollback(t, info);
}

_Noreturn void stm_abort(stm_thread *pub) {
    abort_tx(full(pub), STM_ABORT_EXPLICIT, 0, NULL);
}

bool stm_in_transaction(const stm_thread *pub) {
    return atomic_load(&((stm_thread_full *)pub)->state) != TS_NONE;
}

bool stm_is_inevitable(const stm_thread *pub) {
    int s = atomic_load(&((stm_thread_full *)pub)->state);
    return s == TS_INEV || s == TS_INEV_LEFT;
}

/* A wait-loop step for a transaction that may be asked to abort. */
static void wait_step(stm_thread_full *t, unsigned *spins) {
    _stm_wait_pause(t, spins);
    if (atomic_load(&t->state) == TS_ABORT_REQ) abort_requested(t);
}

/* ------------------------------------------------------------------------------------------ */
/* Validation                                                                                  */

/* Wait while o is locked by another transaction that is publishing with a version <= bound
   (or whose version is not known yet): it may be about to replace the body we hold. */
static void wait_for_committer(stm_thread_full *t, stm_obj *o, uint64_t bound) {
    unsigned spins = 0;
    uint64_t t0 = 0;
    for (;;) {
        uintptr_t w = atomic_load_explicit(&o->owner, memory_order_acquire);
        if (!(w & LOCKED) || owner_thread(w) == t) break;
        stm_thread_full *x = owner_thread(w);
        if (atomic_load(&x->state) != TS_COMMITTING) break;
        uint64_t cv = atomic_load(&x->commit_ver);
        if (cv != 0 && cv > bound) break;
        if (!t0) t0 = _stm_now_ns();
        _stm_wait_pause(t, &spins);
    }
    if (t0) t->stats.ns_waiting += _stm_now_ns() - t0;
}

/* Is the read-set entry still o's current body, given every commit up to `bound`? */
static bool entry_valid(stm_thread_full *t, const rs_entry *e, uint64_t bound, stm_abort_info *why) {
    wait_for_committer(t, e->obj, bound);
    void *c = atomic_load_explicit(&e->obj->cur, memory_order_acquire);
    if (c == e->body) return true;
    *why = (stm_abort_info){STM_ABORT_READ_WRITE, e->loc, 0, 0, 0, 0};
    if (!is_inline(e->obj, c)) {
        why->other_loc = body_of(c)->loc;
        why->other_thread = ring_lookup(body_of(c)->version);
    }
    return false;
}

static void validate_or_abort(stm_thread_full *t, uint64_t bound) {
    stm_abort_info why;
    for (size_t i = 0; i < t->rs.n; i++) {
        if (!entry_valid(t, &t->rs.items[i], bound, &why)) {
            release_locks(t);
            rollback(t, why);
        }
    }
    if (!_stm_ht_iter_valid(t)) abort_tx(t, STM_ABORT_READ_WRITE, 0, NULL);
}

/* Move the snapshot to now, if everything read so far is still current. */
static void extend_snapshot(stm_thread_full *t) {
    uint64_t now = atomic_load(&_stm_clock);
    validate_or_abort(t, now);
    t->rv = now;
}

/* ------------------------------------------------------------------------------------------ */
/* Read barrier slow path                                                                      */

static const void *inevitable_read(stm_thread_full *t, stm_obj *o) {
    atomic_store(&o->inev, atomic_load_explicit(&t->inev_epoch, memory_order_relaxed));
    atomic_thread_fence(memory_order_seq_cst);     /* I7: Dekker pair with committers */
    wait_for_committer(t, o, UINT64_MAX);
    void *body = atomic_load_explicit(&o->cur, memory_order_acquire);
    rs_entry e = {o, body, t->pub.location};
    vec_push(t->rs, e);
    rc_fill(t, o, body, false);
    return body;
}

const void *_stm_read_slow(stm_thread *pub, stm_obj *o) {
    stm_thread_full *t = full(pub);
    stm_poll(pub);
    uintptr_t w = atomic_load_explicit(&o->owner, memory_order_relaxed);
    if ((w & ~OWNER_BITS) == pub->tag) {
        if (w & LOCKED) {
            ws_entry *e = _stm_ws_find(t, o);
            STM_ASSERT(e);
            rc_fill(t, o, e->shadow, e->dirty);        /* if not dirty, a write must list it */
            return e->shadow;
        }
        return o + 1;                                  /* private, outside the nursery */
    }
    if (atomic_load_explicit(&t->state, memory_order_relaxed) == TS_INEV) return inevitable_read(t, o);
    for (;;) {
        void *body = atomic_load_explicit(&o->cur, memory_order_acquire);
        wait_for_committer(t, o, t->rv);
        if (atomic_load_explicit(&o->cur, memory_order_acquire) != body) continue;
        if (body_version(o, body) > t->rv) {
            /* Changed since our snapshot.  If we read it before (its read-cache slot was reused
               since), the body we read is still the one of our snapshot: keep it rather than
               extending (which would abort us for our own earlier read). */
            for (size_t i = t->rs.n; i-- > 0;)
                if (t->rs.items[i].obj == o) {
                    rc_fill(t, o, t->rs.items[i].body, false);
                    return t->rs.items[i].body;
                }
            extend_snapshot(t);
            continue;
        }
        rs_entry e = {o, body, pub->location};
        vec_push(t->rs, e);
        rc_fill(t, o, body, false);
        return body;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Write barrier slow path and write/write conflicts                                           */

static bool older_than(stm_thread_full *a, stm_thread_full *b) {
    uint64_t aa = atomic_load_explicit(&a->age, memory_order_relaxed), ba = atomic_load_explicit(&b->age, memory_order_relaxed);
    return aa < ba || (aa == ba && a->pub.id < b->pub.id);
}

/* Abort a left transaction on its behalf: release its locks; it rolls back the rest itself
   when it enters again.  We own it in state REMOTE_ABORTING. */
static void remote_abort(stm_thread_full *t, stm_thread_full *x) {
    for (size_t i = 0; i < x->ws.n; i++)
        atomic_store_explicit(&x->ws.items[i].obj->owner, 0, memory_order_release);
    stm_abort_info info = {stm_is_inevitable(&t->pub) ? STM_ABORT_INEVITABLE : STM_ABORT_WRITE_WRITE,
                           x->pub.location, t->pub.location, t->pub.id, 0, 0};
    x->pending = info;
    atomic_store(&x->state, TS_REMOTE_ABORTED);
}

static void request_abort(stm_thread_full *t, stm_thread_full *x) {
    atomic_store(&x->abort_req_by, t->pub.id);
    atomic_store(&x->abort_req_loc, t->pub.location);
    int s = TS_RUN;
    if (atomic_compare_exchange_strong(&x->state, &s, TS_ABORT_REQ)) {
        atomic_store(&x->pub.poll, 1);
        return;
    }
    s = TS_RUN_LEFT;
    if (atomic_compare_exchange_strong(&x->state, &s, TS_REMOTE_ABORTING)) remote_abort(t, x);
}

/* o is locked (word w) by another transaction x: abort ourselves, or make x go away and wait. */
static void resolve_write_conflict(stm_thread_full *t, stm_obj *o, uintptr_t w, bool inev) {
    stm_thread_full *x = owner_thread(w);
    int s = atomic_load(&x->state);
    if (s == TS_INEV || s == TS_INEV_LEFT)
        abort_tx(t, STM_ABORT_INEVITABLE, x->pub.location, x);
    if ((s == TS_RUN || s == TS_RUN_LEFT || s == TS_ABORT_REQ) && !inev && !older_than(t, x))
        abort_tx(t, STM_ABORT_WRITE_WRITE, x->pub.location, x);
    uint64_t t0 = _stm_now_ns();
    unsigned spins = 0;
    while (atomic_load(&o->owner) == w) {
        s = atomic_load(&x->state);
        if (s == TS_RUN || s == TS_RUN_LEFT) request_abort(t, x);
        else if (s == TS_INEV || s == TS_INEV_LEFT) break;    /* x became inevitable: re-decide */
        if (atomic_load(&o->owner) != w) break;
        if (inev) _stm_wait_pause(t, &spins);
        else wait_step(t, &spins);
    }
    t->stats.ns_waiting += _stm_now_ns() - t0;
}

static void lock_object(stm_thread_full *t, stm_obj *o, bool inev) {
    for (;;) {
        uintptr_t w = 0;
        if (atomic_compare_exchange_strong(&o->owner, &w, t->pub.tag | LOCKED)) return;
        if (!(w & LOCKED)) _stm_fatal("stm_write: object %p is private to another transaction", (void *)o);
        resolve_write_conflict(t, o, w, inev);
    }
}

void *_stm_write_slow(stm_thread *pub, stm_obj *o) {
    stm_thread_full *t = full(pub);
    stm_poll(pub);
    uintptr_t w = atomic_load_explicit(&o->owner, memory_order_relaxed);
    if ((w & ~OWNER_BITS) == pub->tag) {
        if (w & LOCKED) {
            ws_entry *e = _stm_ws_find(t, o);
            STM_ASSERT(e);
            if (!e->dirty) { e->dirty = true; vec_push(t->ws_dirty, (size_t)(e - t->ws.items)); }
            rc_fill(t, o, e->shadow, true);
            return e->shadow;
        }
        if (w & OLDPRIV) {
            atomic_store_explicit(&o->owner, pub->tag, memory_order_relaxed);
            vec_push(t->oldpriv_modified, o);
        }
        return o + 1;
    }
    if (o->flags & STM_IMMUTABLE) _stm_fatal("stm_write on committed immutable object %p", (void *)o);
    bool inev = atomic_load_explicit(&t->state, memory_order_relaxed) == TS_INEV;
    lock_object(t, o, inev);
    void *base = atomic_load_explicit(&o->cur, memory_order_acquire);
    /* Log the lock first (shadow still NULL) so that an abort below releases it. */
    ws_entry e = {o, NULL, base, pub->location, true};
    vec_push(t->ws, e);
    vec_push(t->ws_dirty, t->ws.n - 1);
    wsidx_insert(t, t->ws.n - 1);
    /* The snapshot must cover base; if we read o earlier, validation catches the change. */
    if (!inev && body_version(o, base) > t->rv) extend_snapshot(t);
    size_t size = obj_payload_size(o->tid, base);
    void *shadow = _stm_body_alloc(t, size);
    memcpy(shadow, base, size);
    body_of(shadow)->loc = pub->location;
    t->ws.items[t->ws.n - 1].shadow = shadow;
    rc_fill(t, o, shadow, true);
    return shadow;
}

/* ------------------------------------------------------------------------------------------ */
/* Commit                                                                                      */

static void check_inevitable_marks(stm_thread_full *t) {
    stm_thread_full *io = atomic_load(&_stm_inev_owner);
    if (!io || io == t) return;
    uint32_t ep = atomic_load(&io->inev_epoch);
    if (!ep) return;               /* it has not marked anything yet: it will wait for us */
    for (size_t i = 0; i < t->ws.n; i++)
        if (atomic_load(&t->ws.items[i].obj->inev) == ep)
            abort_tx(t, STM_ABORT_INEVITABLE, io->pub.location, io);
}

static void publish(stm_thread_full *t, uint64_t wv) {
    /* I2: what we created becomes committed before anything can reach it. */
    for (size_t i = 0; i < t->created_old.n; i++)
        atomic_store_explicit(&t->created_old.items[i]->owner, 0, memory_order_relaxed);
    for (size_t i = 0; i < t->ws.n; i++) {
        ws_entry *e = &t->ws.items[i];
        body_of(e->shadow)->version = wv;
        atomic_store_explicit(&e->obj->cur, e->shadow, memory_order_release);
    }
    release_locks(t);
}

/* The stamped objects are private, so no other thread can see them before publish() does. */
static void write_stamps(stm_thread_full *t, uint64_t ts) {
    for (size_t i = 0; i < t->stamps.n; i++)
        memcpy((char *)(t->stamps.items[i].obj + 1) + t->stamps.items[i].off, &ts, sizeof ts);
}

void stm_stamp_at_commit(stm_thread *pub, stm_obj *o, size_t offset) {
    stm_thread_full *t = full(pub);
    uintptr_t w = atomic_load_explicit(&o->owner, memory_order_relaxed);
    STM_ASSERT((w & ~OWNER_BITS) == pub->tag && !(w & LOCKED));   /* private to this transaction */
    (void)w;
    vec_push(t->stamps, ((stamp_entry){o, offset}));
}

void stm_commit(stm_thread *pub) {
    stm_thread_full *t = full(pub);
    int s = atomic_load(&t->state);
    STM_ASSERT(s == TS_RUN || s == TS_INEV || s == TS_ABORT_REQ);
    if (s == TS_ABORT_REQ) abort_requested(t);
    bool inev = s == TS_INEV;
    if (_stm_cfg.abort_every && !inev && ++t->commit_attempts % _stm_cfg.abort_every == 0)
        abort_tx(t, STM_ABORT_OTHER, 0, NULL);
    stm_poll(pub);
    _stm_minor_collect_internal(t);
    if (_stm_major_wanted()) _stm_major_collect_internal(t);

    if (t->ws.n == 0 && !inev) {
        /* Read-only: serialized at rv, when all its reads were current (I5). */
        write_stamps(t, t->rv);
        for (size_t i = 0; i < t->created_old.n; i++)
            atomic_store_explicit(&t->created_old.items[i]->owner, 0, memory_order_relaxed);
    } else {
        if (!atomic_compare_exchange_strong(&t->state, &s, TS_COMMITTING)) abort_requested(t);
        if (!inev) check_inevitable_marks(t);
        if (!_stm_ht_commit_inserts(t)) {
            stm_thread_full *io = atomic_load(&_stm_inev_owner);
            abort_tx(t, STM_ABORT_INEVITABLE, io ? io->pub.location : 0, io);
        }
        uint64_t wv = atomic_fetch_add(&_stm_clock, 1) + 1;
        atomic_store(&t->commit_ver, wv);
        if (!inev && wv != t->rv + 1) validate_or_abort(t, wv - 1);
        ring_record(wv, pub->id);
        write_stamps(t, wv);
        publish(t, wv);
        if (inev) {
            atomic_store(&_stm_inev_owner, NULL);
            t->stats.inevitable_commits++;
        }
    }
    t->stats.commits++;
    t->stats.ns_committed += _stm_now_ns() - t->t_start;
    t->consecutive_aborts = 0;
    unsigned lim = atomic_load_explicit(&length_limit, memory_order_relaxed);
    int max = lim ? (int)(lim > INT32_MAX ? INT32_MAX : lim) : LENGTH_MAX;
    if (t->length < max) t->length += t->length / 4 + 1;
    end_tx(t);
}

/* ------------------------------------------------------------------------------------------ */
/* Inevitability                                                                               */

bool stm_try_become_inevitable(stm_thread *pub) {
    stm_thread_full *t = full(pub);
    int s = atomic_load(&t->state);
    if (s == TS_INEV) return true;
    if (s == TS_ABORT_REQ) abort_requested(t);
    stm_thread_full *expect = NULL;
    if (!atomic_compare_exchange_strong(&_stm_inev_owner, &expect, t)) return false;
    uint32_t ep = atomic_fetch_add(&_stm_inev_epoch, 1) + 1;
    if (ep == 0) ep = atomic_fetch_add(&_stm_inev_epoch, 1) + 1;
    atomic_store(&t->inev_epoch, ep);
    s = TS_RUN;
    if (!atomic_compare_exchange_strong(&t->state, &s, TS_INEV)) {
        atomic_store(&_stm_inev_owner, NULL);
        abort_requested(t);
    }
    /* I7: mark what we read, then make sure none of it changed in the meantime. */
    for (size_t i = 0; i < t->rs.n; i++) atomic_store(&t->rs.items[i].obj->inev, ep);
    _stm_ht_mark_iterated(t, ep);
    atomic_thread_fence(memory_order_seq_cst);
    stm_abort_info why = {STM_ABORT_READ_WRITE, pub->location, 0, 0, 0, 0};
    bool ok = _stm_ht_iter_valid(t);
    for (size_t i = 0; ok && i < t->rs.n; i++)
        if (!entry_valid(t, &t->rs.items[i], UINT64_MAX, &why)) ok = false;
    if (!ok) {
        atomic_store(&t->state, TS_RUN);
        atomic_store(&_stm_inev_owner, NULL);
        release_locks(t);
        rollback(t, why);
    }
    return true;
}

void stm_become_inevitable(stm_thread *pub) {
    stm_thread_full *t = full(pub);
    if (stm_try_become_inevitable(pub)) return;
    uint64_t t0 = _stm_now_ns();
    unsigned spins = 0;
    atomic_fetch_add(&inev_waiters, 1);
    for (;;) {
        _stm_wait_pause(t, &spins);
        if (atomic_load(&t->state) == TS_ABORT_REQ) {
            atomic_fetch_sub(&inev_waiters, 1);
            abort_requested(t);
        }
        if (atomic_load(&_stm_inev_owner) == NULL && stm_try_become_inevitable(pub)) break;
    }
    atomic_fetch_sub(&inev_waiters, 1);
    t->stats.ns_waiting += _stm_now_ns() - t0;
}

/* ------------------------------------------------------------------------------------------ */
/* Safe points, leave/enter                                                                    */

void _stm_poll_slow(stm_thread *pub) {
    stm_thread_full *t = full(pub);
    atomic_store(&pub->poll, 0);
    if (_stm_gc_requested()) _stm_park(t);
    if (atomic_load(&t->state) == TS_ABORT_REQ) abort_requested(t);
}

bool _stm_should_break_slow(stm_thread *pub) {
    stm_thread_full *t = full(pub);
    stm_poll(pub);
    if (pub->atomic_depth) {
        pub->ticks = next_length(t);
        return false;
    }
    if (pub->ticks <= 0) return true;
    return atomic_load(&t->state) == TS_INEV && atomic_load(&inev_waiters) > 0;
}

void stm_leave(stm_thread *pub) {
    stm_thread_full *t = full(pub);
    for (;;) {
        int s = atomic_load(&t->state);
        if (s == TS_RUN || s == TS_ABORT_REQ) {
            if (atomic_compare_exchange_strong(&t->state, &s, TS_RUN_LEFT)) break;
        } else if (s == TS_INEV) {
            atomic_store(&t->state, TS_INEV_LEFT);
            break;
        } else {
            _stm_fatal("stm_leave outside a running transaction (state %d)", s);
        }
    }
    _stm_detach(t);
}

void stm_enter(stm_thread *pub) {
    stm_thread_full *t = full(pub);
    _stm_attach(t);
    unsigned spins = 0;
    for (;;) {
        int s = atomic_load(&t->state);
        if (s == TS_RUN_LEFT) {
            if (atomic_compare_exchange_strong(&t->state, &s, TS_RUN)) return;
        } else if (s == TS_INEV_LEFT) {
            atomic_store(&t->state, TS_INEV);
            return;
        } else if (s == TS_REMOTE_ABORTING) {
            _stm_wait_pause(NULL, &spins);
        } else if (s == TS_REMOTE_ABORTED) {
            rollback(t, t->pending);           /* its locks were released remotely */
        } else {
            _stm_fatal("stm_enter without a left transaction (state %d)", s);
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Threads and statistics                                                                      */

void _stm_thread_reset(stm_thread_full *t) {
    t->pub.tag = (uintptr_t)t;
    t->pub.atomic_depth = 0;
    t->pub.location = 0;
    atomic_store(&t->pub.poll, 0);
    atomic_store(&t->state, TS_NONE);
    atomic_store(&t->commit_ver, 0);
    t->length = LENGTH_START;
    t->pub.ticks = LENGTH_START;
    t->consecutive_aborts = 0;
    t->backoff_on = NULL;
    t->rs.n = t->ws.n = t->ws_dirty.n = t->created_old.n = t->oldpriv_modified.n = t->hiter.n = t->stamps.n = 0;
    memset(&t->stats, 0, sizeof t->stats);
    memset(t->pub.rc, 0, sizeof t->pub.rc);
    t->last_abort.cause = -1;
    if (!t->pub.roots_base) {
        /* Reserved once and never moved, so the VM may keep pointers to its root slots; pages
           are only backed by memory when touched. */
        void *p = mmap(NULL, STM_ROOTS_MAX * sizeof(stm_obj *), PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) _stm_fatal("cannot reserve a shadow stack");
        t->pub.roots_base = p;
        t->pub.roots_end = t->pub.roots_base + STM_ROOTS_MAX;
    }
    t->pub.roots_top = t->pub.roots_base;
}


/* ------------------------------------------------------------------------------------------ */
/* Test-only introspection                                                                     */

bool _stm_was_read(stm_thread *pub, stm_obj *o) {
    stm_thread_full *t = full(pub);
    for (size_t i = 0; i < t->rs.n; i++)
        if (t->rs.items[i].obj == o) return true;
    return false;
}

bool _stm_was_written(stm_thread *pub, stm_obj *o) { return _stm_ws_find(full(pub), o) != NULL; }

bool _stm_is_private(stm_thread *pub, stm_obj *o) {
    uintptr_t w = atomic_load(&o->owner);
    return (w & ~OWNER_BITS) == pub->tag && !(w & LOCKED);
}

uint64_t _stm_global_clock(void) { return atomic_load(&_stm_clock); }
