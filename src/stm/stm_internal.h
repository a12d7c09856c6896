/* stm_internal.h — libstm's private data model, shared by core.c, gc.c and hashtable.c. */
#ifndef STM_INTERNAL_H
#define STM_INTERNAL_H

/*
 * DATA MODEL AND INVARIANTS
 *
 * Owner word (stm_obj.owner), one of:
 *   0                     committed, unlocked;
 *   T->tag                private: created by T's running transaction, still in T's nursery or
 *                         already copied to the old space and written since T's last minor GC;
 *   T->tag | OLDPRIV      private, in the old space, not written since T's last minor GC (so the
 *                         next write takes the slow path and records it for the next minor GC);
 *   T->tag | LOCKED       committed, write-locked by T's running transaction, which holds a
 *                         private copy (shadow) of its current body in T's write set.
 * Only the owner thread moves an object's owner word away from T->tag[|bits]; others only CAS
 * 0 -> X->tag|LOCKED, except a remote abort, which stores 0 into the locks of a thread that is
 * left (not running) and marked REMOTE_ABORTING.
 *
 * I1  A private object is reachable only from its creator's roots, private objects and shadows.
 *     Hence nursery objects are never seen by other threads, and a minor GC is thread-local.
 * I2  A committed object is never in a nursery: stm_commit empties the nursery (minor GC) and
 *     clears the owner words of everything it created before publishing anything.
 * I3  Published bodies are immutable.  o->cur changes only by a commit of the lock holder, with a
 *     release store, after the new body's version and location were written.
 * I4  A body's version is the global-clock value of the commit that published it; the inline
 *     body has version 0 (an object is only reachable through bodies at least as new as it).
 * I5  (Snapshot) Every entry (o, body) of a running transaction's read set was o's current body
 *     at time t->rv: body.version <= rv and no commit with version in (body.version, rv] changed o.
 *     Reads that would break I5 first extend rv (revalidating every entry) or abort.
 * I6  A transaction in state COMMITTING has published nothing before its commit_ver is set, and
 *     readers that find its lock wait for it when commit_ver <= their rv (or is still unknown).
 * I7  Inevitable: at most one (inev_owner).  Everything it reads carries o->inev == its epoch,
 *     stored before it reads (seq_cst); a committer checks the marks of its write set after
 *     entering COMMITTING (seq_cst) and aborts on a match.  So no commit overwrites what the
 *     inevitable transaction read, and it never needs validation.
 * I8  Old-space memory is never moved; it is freed only by a major collection, during which
 *     every attached thread is parked at a safe point, and everything any transaction can still
 *     reach (roots, logs, nursery contents, private old objects) is kept.
 *
 * GIL build (-DSTM_GIL: gil.c replaces core.c; gc.c and hashtable.c are shared).  One global lock
 * instead of transactions, so there are no logs, shadows or out-of-line bodies (o->cur == o + 1).
 * The owner word is T->tag for an object in T's nursery and for an old object in T's remembered
 * set (oldpriv_modified: written since T's last minor collection), 0 otherwise.  Only the lock
 * holder runs; it empties its nursery and remembered set before every release, so no thread ever
 * reaches another's young objects, and the holder may collect (minor or major) at any moving point
 * with every other thread stopped outside the heap.
 */

#include "stm.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef STM_DEBUG
#define STM_ASSERT(c) ((c) ? (void)0 : _stm_fatal("assertion failed: %s (%s:%d)", #c, __FILE__, __LINE__))
#else
#define STM_ASSERT(c) ((void)0)
#endif
#define STM_UNUSED(x) ((void)(x))

_Noreturn void _stm_fatal(const char *fmt, ...);

#define LOCKED   STM_OWNER_LOCKED
#define OLDPRIV  STM_OWNER_OLDPRIV
#define OWNER_BITS ((uintptr_t)7)

/* Owner word of an old object that the next write must record for T's next minor collection. */
#ifndef STM_GIL
#define OLD_UNRECORDED(t) ((t)->pub.tag | OLDPRIV)   /* still private to T's transaction */
#else
#define OLD_UNRECORDED(t) ((uintptr_t)0)            /* GIL: just old */
#endif

/* Private object flags (high bits; the VM owns the low byte). */
#define F_NURSERY   0x8000u   /* lives in a nursery (set by the inline allocator) */
#define F_FORWARDED 0x4000u   /* nursery copy moved out; cur holds the new address */
#define F_VISITED   0x2000u   /* major GC: nursery object already traced */

/* Transaction states (stm_thread_full.state). */
enum {
    TS_NONE,             /* no transaction */
    TS_RUN,              /* running, attached */
    TS_RUN_LEFT,         /* running, left (stm_leave) */
    TS_ABORT_REQ,        /* running, asked to abort by a higher-priority writer */
    TS_INEV,             /* running inevitable, attached */
    TS_INEV_LEFT,        /* running inevitable, left */
    TS_COMMITTING,       /* committing */
    TS_REMOTE_ABORTING,  /* left; another thread is releasing its locks */
    TS_REMOTE_ABORTED    /* left; locks released; it rolls back the rest when it enters */
};

/* Out-of-line body: header just before the payload. */
typedef struct body_hdr {
    uintptr_t loc;       /* writer's location */
    uint64_t version;    /* 0 until published */
} body_hdr;

static inline body_hdr *body_of(void *payload) { return (body_hdr *)payload - 1; }
static inline bool is_inline(const stm_obj *o, const void *payload) { return payload == (const void *)(o + 1); }
static inline uint64_t body_version(const stm_obj *o, void *payload) {
    return is_inline(o, payload) ? 0 : body_of(payload)->version;
}

typedef struct rs_entry { stm_obj *obj; void *body; uintptr_t loc; } rs_entry;
typedef struct ws_entry {
    stm_obj *obj; void *shadow; void *base; uintptr_t loc;
    bool dirty;                        /* written since the last minor collection (in ws_dirty) */
} ws_entry;
typedef struct hi_entry { struct ht_meta *meta; uint64_t ninserts; } hi_entry;
typedef struct stamp_entry { stm_obj *obj; size_t off; } stamp_entry;   /* stm_stamp_at_commit */

/* Growable arrays: VEC(T) has items, n, cap; vec_push grows by doubling. */
#define VEC(T) struct { T *items; size_t n, cap; }
#define vec_push(v, x) do { if ((v).n == (v).cap) _stm_vec_grow((void **)&(v).items, &(v).cap, sizeof(*(v).items)); \
                            (v).items[(v).n++] = (x); } while (0)
void _stm_vec_grow(void **items, size_t *cap, size_t elem);

#define NCLASSES 36

typedef struct stm_thread_full {
    stm_thread pub;
    /* transaction */
    _Atomic int state;
    _Atomic uint64_t commit_ver;       /* set while COMMITTING, once known */
    _Atomic uint64_t serial;           /* transactions ended so far (backoff waits on it) */
    _Atomic uint32_t abort_req_by;     /* id of the thread that asked us to abort */
    _Atomic uintptr_t abort_req_loc;
    uint64_t rv;                       /* snapshot time */
    _Atomic uint64_t age;              /* priority: start ticket of the first attempt (lower = older) */
    _Atomic uint32_t inev_epoch;
    bool has_segment;
    size_t roots_at_start;
    uint64_t t_start;
    unsigned consecutive_aborts;
    int length;                        /* adaptive transaction length, in ticks */
    stm_thread *backoff_on;            /* after a conflict: the thread that beat us */
    uint64_t backoff_serial;
    VEC(rs_entry) rs;
    VEC(ws_entry) ws;
    /* Write-set entries whose shadow may point into the nursery: written (stm_write) since the
       last minor collection.  The minor collection traces only these, then clears their read
       cache's writable bit so that the next stm_write takes the slow path and lists them again. */
    VEC(size_t) ws_dirty;
    size_t *wsidx; size_t wsidx_cap;   /* open-addressing index obj -> ws position + 1 */
    VEC(stm_obj *) created_old;        /* private objects outside the nursery */
    VEC(stm_obj *) oldpriv_modified;   /* ... written since the last minor GC */
    VEC(hi_entry) hiter;               /* hash tables listed by this transaction */
    struct ht_meta *ht_iterating;      /* table being listed right now (GC keeps it whole) */
    VEC(stamp_entry) stamps;           /* private objects to receive the commit timestamp */
    stm_abort_info last_abort;
    stm_abort_info pending;            /* filled by a remote abort */
    /* collector handshake */
    _Atomic int attached;
    _Atomic int parked;
    /* nursery */
    char *nursery_base, *nursery_real_end;
    char *nursery_mem;  size_t nursery_mem_size;   /* both halves in debug builds */
    size_t nursery_dirty[2];                       /* debug: poisoned extent of each half */
    unsigned alloc_count, minor_count, commit_attempts;
    /* old-space allocation, per size class */
    struct chunk *cur_chunk[NCLASSES];
    /* statistics */
    stm_stats stats;
    struct stm_thread_full *next_free;
    bool registered;
} stm_thread_full;

static inline stm_thread_full *full(stm_thread *t) { return (stm_thread_full *)t; }
static inline stm_thread_full *owner_thread(uintptr_t w) { return (stm_thread_full *)(w & ~OWNER_BITS); }

/* Globals (core.c) */
extern _Atomic uint64_t _stm_clock;
extern _Atomic(stm_thread_full *) _stm_inev_owner;
extern _Atomic uint32_t _stm_inev_epoch;
extern stm_config _stm_cfg;
extern pthread_mutex_t _stm_registry_lock;
extern stm_thread_full **_stm_threads;   /* registered threads */
extern size_t _stm_nthreads;
extern _Atomic size_t _stm_nregistered;

uint64_t _stm_now_ns(void);
size_t _stm_env_size(const char *name, size_t dflt);
void _stm_read_config(const stm_config *cfg);   /* _stm_cfg from cfg and the STM_* knobs */
void _stm_wait_pause(stm_thread_full *t, unsigned *spins);
ws_entry *_stm_ws_find(stm_thread_full *t, stm_obj *o);
void _stm_clear_rc(stm_thread_full *t);
void _stm_thread_reset(stm_thread_full *t);
void _stm_stats_add(stm_stats *into, const stm_stats *s);

/* gc.c */
void _stm_gc_setup(void);
void _stm_gc_teardown(void);
void _stm_gc_thread_init(stm_thread_full *t);
void _stm_gc_thread_done(stm_thread_full *t);
void _stm_minor_collect_internal(stm_thread_full *t);
void _stm_nursery_reset(stm_thread_full *t);
void *_stm_old_alloc(stm_thread_full *t, size_t bytes);      /* zeroed, 16-aligned */
void *_stm_body_alloc(stm_thread_full *t, size_t payload);   /* returns payload */
bool _stm_in_own_nursery(stm_thread_full *t, const void *p);
void _stm_attach(stm_thread_full *t);
void _stm_detach(stm_thread_full *t);
void _stm_park(stm_thread_full *t);
bool _stm_gc_requested(void);
bool _stm_major_wanted(void);
void _stm_major_collect_internal(stm_thread_full *t);
bool _stm_over_limit(void);
stm_obj *_stm_allocate_old(stm_thread_full *t, uint16_t tid, size_t size, uint16_t flags);

/* gc.c: during a major collection, the smallest rv of any running non-inevitable transaction */
extern uint64_t _stm_gc_oldest_snapshot;

/* hashtable.c */
typedef struct ht_meta ht_meta;
size_t _stm_ht_payload_size(uint16_t tid);
void _stm_ht_trace(uint16_t tid, void *payload, void (*visit)(stm_obj **, void *), void *ctx);
bool _stm_ht_commit_inserts(stm_thread_full *t);   /* false: an inevitable tx listed it */
bool _stm_ht_iter_valid(stm_thread_full *t);
void _stm_ht_mark_iterated(stm_thread_full *t, uint32_t epoch);
void _stm_ht_gc_mark_roots(void (*mark)(stm_obj *, void *), void *ctx);
void _stm_ht_gc_sweep(bool (*is_marked)(const void *));
void _stm_ht_teardown(void);
stm_obj *_stm_ht_meta_obj(struct ht_meta *m);

/* Body-level helpers usable on any object type (libstm's reserved tids included). */
static inline size_t obj_payload_size(uint16_t tid, const void *payload) {
    return tid >= STM_TID_RESERVED ? _stm_ht_payload_size(tid) : stmcb_size(tid, payload);
}
static inline void obj_trace(uint16_t tid, void *payload, void (*visit)(stm_obj **, void *), void *ctx) {
    if (tid >= STM_TID_RESERVED) _stm_ht_trace(tid, payload, visit, ctx);
    else stmcb_trace(tid, payload, visit, ctx);
}

#endif
