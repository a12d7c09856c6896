/* stm.h — libstm: software transactional memory and garbage collector for dynamic-language VMs. */
#ifndef STM_H
#define STM_H

/*
 * THE MODEL IN ONE PAGE
 *
 * Objects.  Every GC object starts with an stm_obj header owned by libstm, followed by the VM's
 * payload.  The header's address is the object's identity: references between objects are
 * stm_obj pointers.  An object has one or more *bodies* (versions of its payload): the inline
 * body right after the header, and, once committed transactions have modified it, out-of-line
 * bodies.  A body, once published by a commit, is never modified again; a commit that changes an
 * object publishes a new body.  This is what makes reads cheap and transactions opaque: a body
 * a transaction holds can never change under it.
 *
 * Threads.  Each OS thread that touches the heap registers once and gets an stm_thread, which it
 * passes to every call (there is no hidden thread-local state, so tests can drive several
 * stm_threads from one OS thread).  Any number of threads may register.
 *
 * Transactions.  All heap access happens inside a transaction, started with STM_START(t) and
 * ended with stm_commit(t).  Committed transactions are serializable.  A running transaction only
 * ever sees a consistent snapshot (opacity): when it would see an inconsistency it is aborted at
 * once.  An abort rolls back every write and allocation of the transaction, and longjmps to the
 * jmp_buf armed by STM_START (so STM_START runs again and the transaction restarts).  The C locals
 * of the function that used STM_START that changed since then are indeterminate after the jump
 * (C's setjmp rule): the VM keeps the state it needs to restart in memory.  Conflicts are
 * detected per object: write/write at the second writer's write barrier, read/write when a
 * reader validates (snapshot extension or commit).
 *
 * Barriers.  Before reading an object's payload the VM calls stm_read, before writing it
 * stm_write; each returns the payload pointer to use.  The pointer stays valid until the
 * transaction ends or until the next *moving point* (below), whichever comes first.
 *
 * Moving points.  Objects created by the running transaction live in the thread's nursery and
 * move when it is collected: in stm_allocate* (when the nursery is full or a stress knob says
 * so), stm_commit and STM_START.  Across a moving point the VM keeps every object reference it
 * still needs in a root slot (stm_push_root or its own slots in the shadow stack) and reloads
 * payload pointers afterwards.  stm_read, stm_write, stm_poll and the hash-table calls never move
 * objects.  They may park for a major collection, which frees only what is unreachable from
 * every thread's roots, private objects, and the bodies its transaction read or wrote: an object
 * reached through a body this transaction read stays alive, but one the VM holds only in a C
 * local after removing it from its last root slot must be rooted again (or not used).
 *
 * Errors.  Out of memory under the configured limit is reported (stm_allocate* returns NULL);
 * misuse of the API is caught by assertions in debug builds; a broken internal invariant or a
 * failure of the operating system to give memory is a fatal error that prints and aborts.
 *
 * THE GIL BACKEND (compile the client with -DSTM_GIL and link build/gil/libstm.a)
 *
 * The same API on a global lock instead of transactions: a baseline for the STM's overhead that,
 * by construction, does not scale.  A "transaction" holds the global lock from STM_START to
 * stm_commit (or stm_leave/stm_enter), so it runs alone and never aborts (stm_abort is a fatal
 * error); every transaction is inevitable.  Barriers cost (almost) nothing: stm_read returns the
 * payload in place, stm_write adds a generational write barrier (the first write to an old
 * object after a minor collection records it).  stm_should_break becomes true only when another
 * thread has waited for the lock for a switch interval (STM_GIL_INTERVAL microseconds in the
 * environment, default 5000, as CPython's), so a lone thread never breaks its transaction; the
 * lock is handed to waiters in FIFO order.  Every release of the lock (stm_commit, stm_leave)
 * empties the nursery, so no thread ever sees another's young objects: stm_leave is a moving
 * point in this build.  The segment limit is recorded but ignored; statistics count commits and
 * the time spent waiting for the lock.  docs/DESIGN.md, "The GIL backend", has the details.
 */

#include <setjmp.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The barriers and the allocation fast path must be inlined into the VM's hot loops: compilers
   otherwise sometimes emit them out of line (a call per barrier). */
#if defined(__GNUC__) || defined(__clang__)
#define STM_INLINE static inline __attribute__((always_inline))
#else
#define STM_INLINE static inline
#endif

/* ---------------------------------------------------------------------------------------------
 * Objects
 * ------------------------------------------------------------------------------------------- */

typedef struct stm_obj {
    /* 0, the tag of the thread whose running transaction created it (private), or a locking
       tag (tag | STM_OWNER_LOCKED) while a transaction holds its write lock. */
    _Atomic uintptr_t owner;
    uint16_t tid;              /* VM type id; values >= STM_TID_RESERVED belong to libstm */
    uint16_t flags;            /* STM_IMMUTABLE and libstm's private bits */
    _Atomic uint32_t inev;     /* read mark of the inevitable transaction (libstm internal) */
    _Atomic(void *) cur;       /* payload of the current committed body */
} stm_obj;

#define STM_OWNER_LOCKED   ((uintptr_t)1)   /* owner word: committed object, write-locked */
#define STM_OWNER_OLDPRIV  ((uintptr_t)2)   /* owner word: private object outside the nursery */
#define STM_TID_RESERVED   0xFF00u

/* Object flags the VM may pass to stm_allocate. */
#define STM_IMMUTABLE      0x0001u  /* never written after the creating transaction commits */

/* The payload of an object the running transaction created (private: no barrier needed),
   valid until the next moving point; after one, write through stm_write. */
static inline void *stm_payload(stm_obj *o) { return (void *)(o + 1); }

/* Callbacks the VM supplies (link-time symbols).
 *
 * stmcb_size: the payload size in bytes of a body of type tid.  Called by the collector on
 * bodies that may belong to any thread; it must only read the payload, never call libstm.
 *
 * stmcb_trace: call visit(&ref, ctx) for every stm_obj* slot in the payload.  A slot holding
 * NULL or a value with bit 0 set (a tagged immediate) may be passed: libstm ignores it.  The
 * collector may update the slot (a moved object).  Must not call libstm. */
size_t stmcb_size(uint16_t tid, const void *payload);
void stmcb_trace(uint16_t tid, void *payload, void (*visit)(stm_obj **ref, void *ctx), void *ctx);

/* ---------------------------------------------------------------------------------------------
 * Set-up, threads, statistics
 * ------------------------------------------------------------------------------------------- */

enum stm_abort_cause {
    STM_ABORT_WRITE_WRITE,   /* another transaction holds the write lock of an object we wrote */
    STM_ABORT_READ_WRITE,    /* an object we read was changed by a commit */
    STM_ABORT_INEVITABLE,    /* we wrote an object the inevitable transaction read or wrote */
    STM_ABORT_EXPLICIT,      /* stm_abort() */
    STM_ABORT_OTHER,         /* forced by a stress knob, or remote request we cannot attribute */
    STM_ABORT_CAUSES
};

typedef struct stm_abort_info {
    int cause;               /* enum stm_abort_cause */
    uintptr_t self_loc;      /* victim: where it read (read/write) or was (other causes) */
    uintptr_t other_loc;     /* other side: where it wrote the object, or where it was */
    uint32_t other_thread;   /* id of the other thread, 0 if unknown */
    uint32_t self_thread;
    uint64_t ns_lost;        /* time spent in the aborted attempt */
} stm_abort_info;

typedef struct stm_config {
    size_t nursery_size;       /* bytes per thread (default 1 MiB, minimum 4 KiB) */
    size_t memory_limit;       /* old-space bytes at which allocation fails; 0 = none */
    unsigned segment_limit;    /* transactions running at once; 0 = unlimited */
    unsigned retries_before_inevitable; /* consecutive aborts before restarting inevitable
                                           (0: default 8; UINT_MAX: never) */
    /* stress knobs (0 = off) */
    unsigned gc_every;         /* minor collection at every N-th allocation */
    unsigned major_gc_every;   /* major collection at every N-th minor collection */
    unsigned abort_every;      /* abort every N-th commit attempt (cause STM_ABORT_OTHER) */
    bool no_backoff;           /* never sleep after an abort (deterministic tests) */
    void (*abort_hook)(const stm_abort_info *info); /* called after each rollback, outside any
                                  transaction, on the victim's thread; must not touch the heap */
} stm_config;

/* Call once before anything else; cfg may be NULL for defaults.  stm_teardown frees everything
   (all threads must be unregistered). */
void stm_setup(const stm_config *cfg);
void stm_teardown(void);

typedef struct stm_stats {
    uint64_t commits;              /* committed transactions */
    uint64_t inevitable_commits;   /* of which inevitable */
    uint64_t aborts[STM_ABORT_CAUSES];
    uint64_t ns_committed;         /* time inside transactions that committed */
    uint64_t ns_aborted;           /* time inside transactions that aborted (work lost) */
    uint64_t ns_waiting;           /* time waiting: for locks, the inevitable token, a segment,
                                      a collection */
    uint64_t ns_gc;                /* time in minor and major collections */
    uint64_t minor_gcs, major_gcs;
    uint64_t bytes_allocated;
} stm_stats;

/* ---------------------------------------------------------------------------------------------
 * Per-thread state (the public part: libstm's private state follows it in the same allocation).
 * The fields are read by the inline fast paths below; the VM may read them but only writes
 * `location` (through stm_set_location) and the shadow stack.
 * ------------------------------------------------------------------------------------------- */

#define STM_RC_BITS 10
#define STM_RC_SIZE (1u << STM_RC_BITS)

typedef struct stm_rcslot {
    stm_obj *key;
    uintptr_t val;              /* payload pointer to use; bit 0: writable by us */
} stm_rcslot;

typedef struct stm_thread {
    uintptr_t tag;              /* owner word of objects our transaction created */
    char *nursery_cur, *nursery_end;
    _Atomic int poll;           /* set by others: a collection or an abort request is pending */
    int ticks;                  /* stm_should_break countdown */
    unsigned atomic_depth;
    uint32_t id;                /* 1, 2, ... in registration order */
    stm_obj **roots_base, **roots_top, **roots_end;   /* shadow stack */
    uintptr_t location;         /* opaque "where am I", read by conflict reports */
    jmp_buf jmpbuf;             /* where an abort jumps (armed by STM_START) */
    stm_rcslot rc[STM_RC_SIZE]; /* read/write cache: objects this transaction already saw */
} stm_thread;

/* Register the calling OS thread (or a simulated one in tests).  The returned stm_thread is
   outside any transaction.  stm_unregister_thread must be called outside a transaction. */
stm_thread *stm_register_thread(void);
void stm_unregister_thread(stm_thread *t);

/* This thread's counters (since registration), and the sum over all threads, past and present. */
void stm_get_stats(stm_thread *t, stm_stats *out);
void stm_get_global_stats(stm_stats *out);
/* The report of this thread's latest abort (cause < 0 if none yet). */
stm_abort_info stm_last_abort(stm_thread *t);

/* The VM's current position (e.g. code object and bytecode offset), recorded by barrier slow
   paths into conflict reports.  A plain store: cheap enough to call at every bytecode. */
static inline void stm_set_location(stm_thread *t, uintptr_t loc) { t->location = loc; }

/* How many transactions may run at once (the rest wait at STM_START); 0 = unlimited.  May be
   changed at any time by any thread. */
void stm_set_segment_limit(unsigned n);

/* Transaction length, in stm_should_break ticks (the VM's safe points).  0 (the default):
 * adaptive between 64 and 131072 ticks — longer after commits, shorter after aborts — and the
 * maximum while a single thread is registered (nothing can conflict).  n > 0: at most n ticks,
 * still shorter after aborts. */
void stm_set_transaction_length(unsigned n);
unsigned stm_get_transaction_length(void);
unsigned stm_get_segment_limit(void);

/* ---------------------------------------------------------------------------------------------
 * Roots.  The shadow stack is the thread's array of precise roots; the collector reads and
 * updates every slot between roots_base and roots_top (NULL and odd values are skipped).  The VM
 * may also use slots below roots_top directly as its own value stack.  The array never moves
 * (STM_ROOTS_MAX slots are reserved up front), so pointers to slots stay valid; pushing past the
 * end is a fatal error, which the VM prevents with its own recursion limit.  An abort restores
 * roots_top to its height at STM_START; slots below it that the aborted attempt overwrote are
 * not restored, except that slots pointing to its discarded private objects are cleared to NULL
 * (keep transactional state in objects).
 * ------------------------------------------------------------------------------------------- */

#define STM_ROOTS_MAX (1 << 20)

void _stm_grow_roots(stm_thread *t);

static inline void stm_push_root(stm_thread *t, stm_obj *o) {
    if (t->roots_top == t->roots_end) _stm_grow_roots(t);
    *t->roots_top++ = o;
}
static inline stm_obj *stm_pop_root(stm_thread *t) { return *--t->roots_top; }

/* Global roots: a slot outside any object, e.g. a VM's table of built-in types.  Other threads
   may read the slot only once it holds a committed object.  A slot may hold an object private to
   thread T while no other thread reads it (single-threaded start-up): T's minor collections
   update it when the object moves.  Register slots before other threads run. */
void stm_add_global_root(stm_obj **slot);

/* ---------------------------------------------------------------------------------------------
 * Transactions
 * ------------------------------------------------------------------------------------------- */

void _stm_start(stm_thread *t);

/* Start a transaction.  Must be a statement in a function that stays on the C stack for the
 * whole transaction (abort longjmps here, then the transaction starts again).  Waits while a
 * major collection runs or the segment limit is reached.  A moving point.  After K consecutive
 * aborts (config) the transaction starts inevitable, so it cannot starve. */
#ifndef STM_GIL
#define STM_START(t) do { setjmp((t)->jmpbuf); _stm_start(t); } while (0)
#else
#define STM_START(t) _stm_start(t)      /* never aborts: nothing to arm */
#endif

/* Commit the running transaction and leave it.  If validation fails the transaction aborts
 * instead (rollback + longjmp to STM_START).  A moving point: the nursery is emptied (surviving
 * objects are copied out and their payload pointers change). */
void stm_commit(stm_thread *t);

/* Abort the running transaction on purpose (cause STM_ABORT_EXPLICIT).  Does not return. */
_Noreturn void stm_abort(stm_thread *t);

bool stm_in_transaction(const stm_thread *t);

/* When the running transaction commits, store its commit timestamp (a uint64_t) at byte `offset`
 * of o's payload, before any other thread can see o.  o must be private to the running
 * transaction (created by it); the VM fills the field with a placeholder meanwhile (e.g.
 * UINT64_MAX) and must not rely on it before the commit.  Timestamps order commits the way they
 * serialize: if a committed transaction A precedes B in the serial order and both wrote
 * something, A's stamp is smaller than B's; objects stamped by one transaction get equal stamps.
 * This lets a VM keep insertion order in a structure whose inserts do not conflict (a dict
 * over the per-key hash table): sort by (stamp, the transaction's own sequence number).
 * Not a moving point; an abort forgets the request. */
void stm_stamp_at_commit(stm_thread *t, stm_obj *o, size_t offset);

/* Make the running transaction inevitable: it will not abort again, so it may do I/O.  At most
 * one transaction is inevitable at a time: this waits for the token (servicing collections and
 * abort requests meanwhile, so it may abort while waiting; it never aborts after it returns).
 * Other transactions keep running and committing unless they conflict with it: one that writes
 * an object the inevitable transaction has read or written aborts (STM_ABORT_INEVITABLE).
 * stm_try_become_inevitable returns false instead of waiting when another holds the token. */
void stm_become_inevitable(stm_thread *t);
bool stm_try_become_inevitable(stm_thread *t);
bool stm_is_inevitable(const stm_thread *t);

/* Atomic sections: a nesting counter.  While it is above zero stm_should_break returns false, so
 * a VM that only breaks transactions where stm_should_break says so runs the section in one
 * transaction.  Flattened: an abort restarts the whole transaction. */
static inline void stm_atomic_begin(stm_thread *t) { t->atomic_depth++; }
static inline void stm_atomic_end(stm_thread *t) { t->atomic_depth--; }

/* Ask for a commit soon (e.g. before a long wait): the next stm_should_break returns true. */
static inline void stm_hint_commit_soon(stm_thread *t) { t->ticks = 0; }

bool _stm_should_break_slow(stm_thread *t);
void _stm_poll_slow(stm_thread *t);

/* Call at the VM's safe points (e.g. backward jumps, calls).  True when the VM should commit and
 * start a new transaction now: the transaction has run long enough (its length adapts: longer
 * after commits, shorter after aborts), another thread needs us to, or a collection is pending.
 * Always false inside an atomic section.  Services pending requests like stm_poll. */
#ifndef STM_GIL
STM_INLINE bool stm_should_break(stm_thread *t) {
    if (--t->ticks > 0 && !atomic_load_explicit(&t->poll, memory_order_relaxed)) return false;
    return _stm_should_break_slow(t);
}

/* Service pending requests: park for a major collection, or abort if a higher-priority
 * transaction asked us to.  Cheap (one load) when nothing is pending.  Not a moving point. */
STM_INLINE void stm_poll(stm_thread *t) {
    if (atomic_load_explicit(&t->poll, memory_order_relaxed)) _stm_poll_slow(t);
}
#else
/* GIL: poll is set when a thread has waited a switch interval for the lock (a drop request). */
STM_INLINE bool stm_should_break(stm_thread *t) {
    if (!atomic_load_explicit(&t->poll, memory_order_relaxed)) return false;
    return _stm_should_break_slow(t);
}
STM_INLINE void stm_poll(stm_thread *t) { (void)t; }   /* nothing can be pending */
#endif

/* Leave/enter: between stm_leave and stm_enter the thread does not touch the heap (e.g. it
 * blocks in a system call while inevitable, or a test switches to another simulated thread).
 * Collections and conflict resolution proceed without it: a transaction left open may be aborted
 * remotely, in which case stm_enter rolls back and longjmps to STM_START.  In the GIL build
 * stm_leave releases the global lock and is a moving point (the nursery is emptied first), and
 * stm_enter waits for the lock. */
void stm_leave(stm_thread *t);
void stm_enter(stm_thread *t);

/* ---------------------------------------------------------------------------------------------
 * Allocation
 * ------------------------------------------------------------------------------------------- */

#define STM_NURSERY_MAX_OBJECT 4096   /* bigger payloads go straight to the old space */

stm_obj *_stm_allocate_slow(stm_thread *t, uint16_t tid, size_t size, uint16_t flags);

/* A new object of `size` payload bytes, zero-filled, private to the running transaction (no
 * barrier needed until commit: stm_read/stm_write return its payload at once).  flags is 0 or
 * STM_IMMUTABLE.  Returns NULL if the memory limit is reached even after a major collection.
 * A moving point. */
STM_INLINE stm_obj *stm_allocate(stm_thread *t, uint16_t tid, size_t size, uint16_t flags) {
    size_t total = (sizeof(stm_obj) + size + 15) & ~(size_t)15;
    char *p = t->nursery_cur;
    if (size <= STM_NURSERY_MAX_OBJECT && (size_t)(t->nursery_end - p) >= total) {
        stm_obj *o = (stm_obj *)p;
        t->nursery_cur = p + total;
        atomic_store_explicit(&o->owner, t->tag, memory_order_relaxed);
        o->tid = tid;
        o->flags = (uint16_t)(flags | 0x8000u);   /* 0x8000: in a nursery */
        atomic_store_explicit(&o->inev, 0, memory_order_relaxed);
        atomic_store_explicit(&o->cur, (void *)(o + 1), memory_order_relaxed);
        return o;
    }
    return _stm_allocate_slow(t, tid, size, flags);
}

/* ---------------------------------------------------------------------------------------------
 * Barriers
 * ------------------------------------------------------------------------------------------- */

const void *_stm_read_slow(stm_thread *t, stm_obj *o);
void *_stm_write_slow(stm_thread *t, stm_obj *o);

STM_INLINE stm_rcslot *_stm_rc(stm_thread *t, const stm_obj *o) {
    /* (Folding the 256 KiB chunk bits into the index measured 10-15% slower on tight loops.) */
    return &t->rc[((uintptr_t)o >> 4) & (STM_RC_SIZE - 1)];
}

/* stm_read: call before reading o's payload inside a transaction; read only through the
 * returned pointer.  Guarantees: the payload is the one of a snapshot consistent with everything
 * else this transaction read (or its own writes), and the transaction will not commit if o is
 * changed by another commit before ours.
 * Fast path (a handful of instructions, no atomic RMW, no fence): immutable objects, objects this
 * transaction created, and objects it already read or wrote.  The slow path may abort. */
#ifndef STM_GIL
STM_INLINE const void *stm_read(stm_thread *t, stm_obj *o) {
    if ((o->flags & STM_IMMUTABLE) ||
        atomic_load_explicit(&o->owner, memory_order_relaxed) == t->tag)
        return (const void *)(o + 1);
    stm_rcslot *s = _stm_rc(t, o);
    if (s->key == o) return (const void *)(s->val & ~(uintptr_t)1);
    return _stm_read_slow(t, o);
}

/* stm_write: call before writing o's payload; write (and read) only through the returned
 * pointer, which stays valid for the rest of the transaction up to the next moving point.
 * Must not be called on a committed STM_IMMUTABLE object.  The first write to a committed object
 * takes the slow path (write lock + private copy, may abort on a write/write conflict); later
 * writes and writes to objects this transaction created are plain stores. */
STM_INLINE void *stm_write(stm_thread *t, stm_obj *o) {
    if (atomic_load_explicit(&o->owner, memory_order_relaxed) == t->tag) return (void *)(o + 1);
    stm_rcslot *s = _stm_rc(t, o);
    if (s->key == o && (s->val & 1)) return (void *)(s->val - 1);
    return _stm_write_slow(t, o);
}

/* stm_peek: the payload of o's latest committed body, NOT recorded: no conflict detection and
 * no snapshot guarantee.  Only for polling a flag while waiting (e.g. a lock's state inside an
 * inevitable transaction, which must not conflict with the commit it waits for).  In a
 * transaction only. */
STM_INLINE const void *stm_peek(stm_thread *t, stm_obj *o) {
    (void)t;
    return atomic_load_explicit(&o->cur, memory_order_acquire);
}
#else
/* GIL: one version per object, in place.  The owner word of an old object is t->tag while it is
   in t's remembered set (written since t's last minor collection), so the slow path runs once per
   object and collection; young objects carry the tag from birth. */
STM_INLINE const void *stm_read(stm_thread *t, stm_obj *o) { (void)t; return (const void *)(o + 1); }
STM_INLINE void *stm_write(stm_thread *t, stm_obj *o) {
    if (atomic_load_explicit(&o->owner, memory_order_relaxed) == t->tag) return (void *)(o + 1);
    return _stm_write_slow(t, o);
}
STM_INLINE const void *stm_peek(stm_thread *t, stm_obj *o) { (void)t; return (const void *)(o + 1); }
#endif

/* stm_is_written: true if the running transaction created o or has written it (it holds o's
 * write lock).  No other thread can see such a change before this transaction commits, so a
 * VM can tell that waiting inside the transaction for another thread to change o is a deadlock.
 * In a transaction only; no side effect. */
static inline bool stm_is_written(stm_thread *t, stm_obj *o) {
#ifdef STM_GIL
    (void)t; (void)o;
    return false;                       /* GIL backend: writes are visible at the next hand-over */
#else
    return (atomic_load_explicit(&o->owner, memory_order_relaxed) & ~(uintptr_t)7) == t->tag;
#endif
}

/* ---------------------------------------------------------------------------------------------
 * Collection and memory
 * ------------------------------------------------------------------------------------------- */

/* Empty the nursery now (a moving point): afterwards every object reachable from the roots is
   outside the nursery and never moves again, so its address can serve as its identity (the VM's
   id() and default hash). */
void stm_minor_collect(stm_thread *t);
static inline bool stm_is_young(const stm_obj *o) { return (o->flags & 0x8000u) != 0; }

/* Run a major collection now (stop-the-world at safe points; the caller must be in a
   transaction).  Not a moving point: it never moves objects. */
void stm_major_collect(stm_thread *t);
size_t stm_heap_size(void);             /* old-space bytes in use (objects + bodies) */
/* Major collections so far.  Old-space addresses are reused only after one, so a VM cache keyed
   by object address can stay valid while this number does not change. */
uint64_t stm_major_collections(void);
size_t stm_os_memory(void);             /* bytes currently mapped from the OS */
void stm_set_memory_limit(size_t bytes);/* 0 = none */

/* ---------------------------------------------------------------------------------------------
 * Hash table with per-key conflict detection.  Maps uintptr_t keys to stm_obj* values (NULL =
 * absent).  Each key has its own entry object, so transactions touching different keys never
 * conflict, inserts that grow the table included; a transaction that lists the table conflicts
 * with any commit that adds a key to it (no phantoms).  The table is itself a GC object (tid
 * STM_TID_HASHTABLE) that the VM stores in its own objects like any reference.
 * ------------------------------------------------------------------------------------------- */

#define STM_TID_HASHTABLE 0xFFFFu
#define STM_TID_HENTRY    0xFFFEu

stm_obj *stm_hashtable_create(stm_thread *t);            /* NULL if out of memory; moving point */
stm_obj *stm_hashtable_read(stm_thread *t, stm_obj *h, uintptr_t key);
void stm_hashtable_write(stm_thread *t, stm_obj *h, uintptr_t key, stm_obj *value);
/* Number of keys with a non-NULL value, as seen by this transaction (conflicts with adds). */
size_t stm_hashtable_length(stm_thread *t, stm_obj *h);
/* Calls fn(key, value, arg) for each key with a non-NULL value (order unspecified); fn must not
   write to the table nor reach a moving point. */
void stm_hashtable_foreach(stm_thread *t, stm_obj *h,
                           void (*fn)(uintptr_t key, stm_obj *value, void *arg), void *arg);

/* ---------------------------------------------------------------------------------------------
 * Test-only introspection (used by tests/stm; cheap, but not for VMs)
 * ------------------------------------------------------------------------------------------- */

bool _stm_was_read(stm_thread *t, stm_obj *o);
bool _stm_was_written(stm_thread *t, stm_obj *o);
bool _stm_in_nursery(stm_thread *t, stm_obj *o);
bool _stm_is_private(stm_thread *t, stm_obj *o);   /* created by t's running transaction */
void _stm_minor_collect(stm_thread *t);             /* a moving point */
uint64_t _stm_global_clock(void);

#ifdef __cplusplus
}
#endif
#endif
