/* hashtable.c — a hash table whose keys conflict independently: one STM entry object per key. */
#include "stm_internal.h"

/*
 * A table is an immutable GC object whose payload points to an ht_meta: a non-transactional
 * index from key to entry object, plus counters.  Each entry is an ordinary STM object
 * {key, value}; reading or writing a key is reading or writing its entry, so keys conflict
 * only with themselves.
 *
 * Invariants:
 * H1  Entries are created outside transactional semantics, committed, with value NULL (= absent,
 *     true at every point in time), and published in the index with a release store.  Creating
 *     an entry never conflicts with anything.
 * H2  The index only grows, under meta->lock; readers probe it without locks.  A replaced index
 *     array is retired and freed by a major collection (no reader is inside then).
 * H3  A transaction that lists a table records meta->ninserts first.  A commit that turns an
 *     entry from NULL to non-NULL increments ninserts before taking its commit version, so a
 *     lister that commits later sees the change and aborts: no phantom keys.
 * H4  A major collection drops an entry only if nothing else references it, its value is NULL,
 *     and that NULL is at least as old as every running snapshot (so a fresh entry, NULL since
 *     "forever", tells every transaction the truth), unless a thread is listing that table.
 */

typedef struct ht_slot {
    _Atomic uintptr_t key;
    _Atomic(stm_obj *) entry;
} ht_slot;

typedef struct ht_table {
    size_t mask, count;
    ht_slot slots[];
} ht_table;

struct ht_meta {
    stm_obj *obj;
    pthread_mutex_t lock;
    _Atomic(ht_table *) table;
    _Atomic uint64_t ninserts;
    _Atomic uint32_t inev_mark;
    VEC(ht_table *) retired;
    struct ht_meta *next;
};

typedef struct ht_payload { ht_meta *meta; uintptr_t pad; } ht_payload;
typedef struct hentry { uintptr_t key; stm_obj *value; ht_meta *meta; uintptr_t pad; } hentry;

static pthread_mutex_t metas_lock = PTHREAD_MUTEX_INITIALIZER;
static ht_meta *metas;

stm_obj *_stm_ht_meta_obj(ht_meta *m) { return m->obj; }

size_t _stm_ht_payload_size(uint16_t tid) {
    return tid == STM_TID_HASHTABLE ? sizeof(ht_payload) : sizeof(hentry);
}

static inline size_t key_hash(uintptr_t k) {
    uint64_t x = (uint64_t)k;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return (size_t)x;
}

static ht_table *table_new(size_t nslots) {
    ht_table *tb = calloc(1, sizeof(ht_table) + nslots * sizeof(ht_slot));
    if (!tb) _stm_fatal("out of memory (hash table index)");
    tb->mask = nslots - 1;
    return tb;
}

static void table_put(ht_table *tb, uintptr_t key, stm_obj *e) {
    size_t i = key_hash(key) & tb->mask;
    while (atomic_load_explicit(&tb->slots[i].entry, memory_order_relaxed)) i = (i + 1) & tb->mask;
    atomic_store_explicit(&tb->slots[i].key, key, memory_order_relaxed);
    atomic_store_explicit(&tb->slots[i].entry, e, memory_order_release);
    tb->count++;
}

static stm_obj *table_find(ht_table *tb, uintptr_t key) {
    for (size_t i = key_hash(key) & tb->mask;; i = (i + 1) & tb->mask) {
        stm_obj *e = atomic_load_explicit(&tb->slots[i].entry, memory_order_acquire);
        if (!e) return NULL;
        if (atomic_load_explicit(&tb->slots[i].key, memory_order_relaxed) == key) return e;
    }
}

static ht_meta *meta_of(stm_thread *t, stm_obj *h) {
    STM_ASSERT(h->tid == STM_TID_HASHTABLE);
    return ((const ht_payload *)stm_read(t, h))->meta;
}

stm_obj *stm_hashtable_create(stm_thread *pub) {
    stm_obj *h = _stm_allocate_old(full(pub), STM_TID_HASHTABLE, sizeof(ht_payload), STM_IMMUTABLE);
    if (!h) return NULL;
    ht_meta *m = calloc(1, sizeof *m);
    if (!m) _stm_fatal("out of memory (hash table)");
    m->obj = h;
    pthread_mutex_init(&m->lock, NULL);
    atomic_store(&m->table, table_new(8));
    ((ht_payload *)(h + 1))->meta = m;
    pthread_mutex_lock(&metas_lock);
    m->next = metas;
    metas = m;
    pthread_mutex_unlock(&metas_lock);
    return h;
}

/* The entry of `key`, created (H1) if missing. */
static stm_obj *entry_for(stm_thread_full *t, ht_meta *m, uintptr_t key) {
    stm_obj *e = table_find(atomic_load_explicit(&m->table, memory_order_acquire), key);
    if (e) return e;
    pthread_mutex_lock(&m->lock);
    ht_table *tb = atomic_load_explicit(&m->table, memory_order_relaxed);
    e = table_find(tb, key);
    if (!e) {
        if (4 * (tb->count + 1) > 3 * (tb->mask + 1)) {
            ht_table *nt = table_new(2 * (tb->mask + 1));
            for (size_t i = 0; i <= tb->mask; i++) {
                stm_obj *x = atomic_load_explicit(&tb->slots[i].entry, memory_order_relaxed);
                if (x) table_put(nt, atomic_load_explicit(&tb->slots[i].key, memory_order_relaxed), x);
            }
            vec_push(m->retired, tb);
            atomic_store_explicit(&m->table, nt, memory_order_release);
            tb = nt;
        }
        e = _stm_old_alloc(t, sizeof(stm_obj) + sizeof(hentry));
        e->tid = STM_TID_HENTRY;
        atomic_store_explicit(&e->cur, (void *)(e + 1), memory_order_relaxed);
        hentry *p = (hentry *)(e + 1);
        p->key = key;
        p->meta = m;
        table_put(tb, key, e);
    }
    pthread_mutex_unlock(&m->lock);
    return e;
}

stm_obj *stm_hashtable_read(stm_thread *pub, stm_obj *h, uintptr_t key) {
    stm_obj *e = entry_for(full(pub), meta_of(pub, h), key);
    stm_push_root(pub, e);                 /* H4: keep it across a collection in stm_read */
    const hentry *p = stm_read(pub, e);
    pub->roots_top--;
    return p->value;
}

void stm_hashtable_write(stm_thread *pub, stm_obj *h, uintptr_t key, stm_obj *value) {
    stm_obj *e = entry_for(full(pub), meta_of(pub, h), key);
    stm_push_root(pub, e);
    hentry *p = stm_write(pub, e);
    pub->roots_top--;
    p->value = value;
}

static size_t listing(stm_thread *pub, stm_obj *h, void (*fn)(uintptr_t, stm_obj *, void *), void *arg) {
    stm_thread_full *t = full(pub);
    ht_meta *m = meta_of(pub, h);
#ifndef STM_GIL           /* GIL build: no phantoms to detect (no other transaction runs) */
    if (stm_is_inevitable(pub)) {
        atomic_store(&m->inev_mark, atomic_load(&t->inev_epoch));    /* seq_cst, as I7 */
    }
    hi_entry rec = {m, atomic_load(&m->ninserts)};
    vec_push(t->hiter, rec);
#endif
    STM_ASSERT(t->ht_iterating == NULL);
    t->ht_iterating = m;
    ht_table *tb = atomic_load_explicit(&m->table, memory_order_acquire);
    size_t n = 0;
    for (size_t i = 0; i <= tb->mask; i++) {
        stm_obj *e = atomic_load_explicit(&tb->slots[i].entry, memory_order_acquire);
        if (!e) continue;
        const hentry *p = stm_read(pub, e);
        if (!p->value) continue;
        n++;
        if (fn) fn(p->key, p->value, arg);
    }
    t->ht_iterating = NULL;
    return n;
}

size_t stm_hashtable_length(stm_thread *pub, stm_obj *h) { return listing(pub, h, NULL, NULL); }

void stm_hashtable_foreach(stm_thread *pub, stm_obj *h, void (*fn)(uintptr_t, stm_obj *, void *), void *arg) {
    listing(pub, h, fn, arg);
}

/* ------------------------------------------------------------------------------------------ */
/* Hooks for commit, validation and collection                                                 */

#ifndef STM_GIL
bool _stm_ht_commit_inserts(stm_thread_full *t) {
    stm_thread_full *io = atomic_load(&_stm_inev_owner);
    uint32_t ep = io && io != t ? atomic_load(&io->inev_epoch) : 0;
    for (size_t i = 0; i < t->ws.n; i++) {
        ws_entry *w = &t->ws.items[i];
        if (w->obj->tid != STM_TID_HENTRY) continue;
        const hentry *old = w->base, *new = w->shadow;
        if (old->value || !new->value) continue;
        ht_meta *m = new->meta;
        if (ep && atomic_load(&m->inev_mark) == ep) return false;
        uint64_t prev = atomic_fetch_add(&m->ninserts, 1);
        for (size_t k = 0; k < t->hiter.n; k++)      /* our own add does not invalidate us */
            if (t->hiter.items[k].meta == m && t->hiter.items[k].ninserts == prev)
                t->hiter.items[k].ninserts = prev + 1;
    }
    return true;
}

bool _stm_ht_iter_valid(stm_thread_full *t) {
    for (size_t k = 0; k < t->hiter.n; k++)
        if (atomic_load(&t->hiter.items[k].meta->ninserts) != t->hiter.items[k].ninserts) return false;
    return true;
}

void _stm_ht_mark_iterated(stm_thread_full *t, uint32_t epoch) {
    for (size_t k = 0; k < t->hiter.n; k++) atomic_store(&t->hiter.items[k].meta->inev_mark, epoch);
}
#endif

void _stm_ht_trace(uint16_t tid, void *payload, void (*visit)(stm_obj **, void *), void *ctx) {
    if (tid == STM_TID_HENTRY) {
        visit(&((hentry *)payload)->value, ctx);
        stm_obj *table = ((hentry *)payload)->meta->obj;    /* an entry keeps its table (and
                                                               its ht_meta) alive */
        visit(&table, ctx);
        return;
    }
    /* A table keeps the entries that hold a value, and empty ones whose emptiness is newer than
       some running snapshot (H4); the others are kept by whoever uses them. */
    ht_table *tb = atomic_load_explicit(&((ht_payload *)payload)->meta->table, memory_order_relaxed);
    for (size_t i = 0; i <= tb->mask; i++) {
        stm_obj *e = atomic_load_explicit(&tb->slots[i].entry, memory_order_relaxed);
        if (!e) continue;
        void *p = atomic_load_explicit(&e->cur, memory_order_relaxed);
        if (((const hentry *)p)->value || body_version(e, p) > _stm_gc_oldest_snapshot) visit(&e, ctx);
    }
}

static bool being_listed(ht_meta *m) {
    for (size_t i = 0; i < _stm_nthreads; i++)
        if (_stm_threads[i]->ht_iterating == m) return true;
    return false;
}

/* Called with the world stopped: a table being listed keeps all its entries (H4). */
void _stm_ht_gc_mark_roots(void (*mark)(stm_obj *, void *), void *ctx) {
    for (ht_meta *m = metas; m; m = m->next) {
        if (!being_listed(m)) continue;
        ht_table *tb = atomic_load(&m->table);
        for (size_t i = 0; i <= tb->mask; i++) {
            stm_obj *e = atomic_load(&tb->slots[i].entry);
            if (e) mark(e, ctx);
        }
    }
}

static void meta_free(ht_meta *m) {
    for (size_t i = 0; i < m->retired.n; i++) free(m->retired.items[i]);
    free(m->retired.items);
    free(atomic_load(&m->table));
    pthread_mutex_destroy(&m->lock);
    free(m);
}

static void prune(ht_meta *m, bool (*is_marked)(const void *)) {
    for (size_t i = 0; i < m->retired.n; i++) free(m->retired.items[i]);
    m->retired.n = 0;
    ht_table *tb = atomic_load(&m->table);
    size_t live = 0;
    for (size_t i = 0; i <= tb->mask; i++) {
        stm_obj *e = atomic_load(&tb->slots[i].entry);
        if (e && is_marked(e)) live++;
    }
    if (live == tb->count) return;
    size_t n = 8;
    while (4 * live >= 3 * n) n *= 2;
    ht_table *nt = table_new(n);
    for (size_t i = 0; i <= tb->mask; i++) {
        stm_obj *e = atomic_load(&tb->slots[i].entry);
        if (e && is_marked(e)) table_put(nt, atomic_load(&tb->slots[i].key), e);
    }
    atomic_store(&m->table, nt);
    free(tb);
}

void _stm_ht_gc_sweep(bool (*is_marked)(const void *)) {
    for (ht_meta **pm = &metas; *pm;) {
        ht_meta *m = *pm;
        if (!is_marked(m->obj)) {
            *pm = m->next;
            meta_free(m);
            continue;
        }
        if (!being_listed(m)) prune(m, is_marked);
        pm = &m->next;
    }
}

void _stm_ht_teardown(void) {
    while (metas) {
        ht_meta *m = metas;
        metas = m->next;
        meta_free(m);
    }
}
