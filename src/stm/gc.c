/* gc.c — memory: per-thread nurseries and minor GC, the old space, stop-the-world major GC. */
#include "stm_internal.h"

#include <sys/mman.h>
#include <unistd.h>

/*
 * Old space: 256 KiB chunks aligned on their size, each holding slots of one size class, or one
 * large allocation.  The chunk header (found by masking any pointer into the chunk's first
 * 256 KiB) has a mark bit per 16-byte granule.  A thread allocates from chunks it owns, without
 * locks; chunks change hands only under chunk_lock or during a major collection.  Free slots
 * are rebuilt by the sweep; empty chunks go back to the OS.
 */

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define CHUNK_SIZE ((size_t)256 * 1024)
#define GRANULES (CHUNK_SIZE / 16)
#define MAX_SMALL 16384
#define CHUNK_MAGIC 0x5354434bu
#define EMPTY_CACHE_MAX 8

typedef struct chunk {
    uint32_t magic;
    int cls;                      /* size class, -1 for a large allocation */
    bool owned;                   /* a thread allocates from it */
    uint32_t slot_size, nslots, bump, first_off;
    size_t map_size;
    void *free;                   /* free slots, linked through their first word */
    struct chunk *next_partial;
    uint64_t mark[GRANULES / 64];
} chunk;

#define FIRST_OFF ((sizeof(chunk) + 15) & ~(size_t)15)

static uint32_t class_size[NCLASSES];
static uint8_t class_of_g[MAX_SMALL / 16 + 1];

static pthread_mutex_t chunk_lock = PTHREAD_MUTEX_INITIALIZER;
typedef VEC(chunk *) chunk_vec;
static chunk_vec all_chunks;
static chunk *partial[NCLASSES];
static chunk *empty_cache;
static unsigned empty_cached;
static _Atomic size_t mapped_bytes, grabbed_since_gc;
static size_t live_after_gc;
static _Atomic int major_forced;
static _Atomic size_t memory_limit;

/* Registry and stop-the-world handshake (gc_mutex guards both). */
static pthread_mutex_t gc_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gc_cond = PTHREAD_COND_INITIALIZER;
static _Atomic int gc_req;
stm_thread_full **_stm_threads;
size_t _stm_nthreads;
_Atomic size_t _stm_nregistered;     /* = _stm_nthreads, readable without the registry lock */
static size_t threads_cap;
static stm_thread_full *free_threads;
static uint32_t next_thread_id;
static stm_stats dead_stats;
static VEC(stm_obj **) global_roots;

/* ------------------------------------------------------------------------------------------ */
/* Chunks                                                                                      */

static void init_classes(void) {
    uint32_t n = 0, size = 0, step = 16;
    while (n < NCLASSES) {
        size += step;
        class_size[n++] = size;
        if (size >= 128 && (size & (size - 1)) == 0) step = size / 4;
    }
    if (class_size[NCLASSES - 1] != MAX_SMALL) _stm_fatal("size classes misconfigured");
    for (uint32_t g = 0, c = 0; g <= MAX_SMALL / 16; g++) {
        while (class_size[c] < g * 16) c++;
        class_of_g[g] = (uint8_t)c;
    }
}

static void *map_aligned(size_t size) {
    size_t len = size + CHUNK_SIZE;
    char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return NULL;
    uintptr_t a = ((uintptr_t)p + CHUNK_SIZE - 1) & ~(uintptr_t)(CHUNK_SIZE - 1);
    if (a > (uintptr_t)p) munmap(p, a - (uintptr_t)p);
    size_t tail = (uintptr_t)p + len - (a + size);
    if (tail) munmap((char *)a + size, tail);
    atomic_fetch_add(&mapped_bytes, size);
    return (void *)a;
}

static void unmap_chunk(chunk *c) {
    size_t size = c->map_size;
    UNPOISON(c, size);
    munmap(c, size);
    atomic_fetch_sub(&mapped_bytes, size);
}

static inline chunk *chunk_of(const void *p) {
    return (chunk *)((uintptr_t)p & ~(uintptr_t)(CHUNK_SIZE - 1));
}

static chunk *new_chunk(int cls) {
    chunk *c = empty_cache;
    if (c) {
        empty_cache = c->next_partial;
        empty_cached--;
        UNPOISON(c, CHUNK_SIZE);
    } else {
        c = map_aligned(CHUNK_SIZE);
        if (!c) _stm_fatal("the operating system refused memory (mmap of %zu bytes)", CHUNK_SIZE);
    }
    memset(c, 0, sizeof *c);
    c->magic = CHUNK_MAGIC;
    c->cls = cls;
    c->slot_size = class_size[cls];
    c->first_off = (uint32_t)FIRST_OFF;
    c->nslots = (uint32_t)((CHUNK_SIZE - FIRST_OFF) / c->slot_size);
    c->map_size = CHUNK_SIZE;
    POISON((char *)c + FIRST_OFF, CHUNK_SIZE - FIRST_OFF);
    vec_push(all_chunks, c);
    return c;
}

static chunk *take_chunk(int cls) {
    pthread_mutex_lock(&chunk_lock);
    chunk *c = partial[cls];
    if (c) partial[cls] = c->next_partial;
    else c = new_chunk(cls);
    c->owned = true;
    pthread_mutex_unlock(&chunk_lock);
    atomic_fetch_add(&grabbed_since_gc, CHUNK_SIZE);
    return c;
}

static void *large_alloc(size_t bytes) {
    size_t size = (FIRST_OFF + bytes + 4095) & ~(size_t)4095;
    chunk *c = map_aligned(size);
    if (!c) _stm_fatal("the operating system refused memory (mmap of %zu bytes)", size);
    c->magic = CHUNK_MAGIC;
    c->cls = -1;
    c->first_off = (uint32_t)FIRST_OFF;
    c->map_size = size;
    c->nslots = 1;
    pthread_mutex_lock(&chunk_lock);
    vec_push(all_chunks, c);
    pthread_mutex_unlock(&chunk_lock);
    atomic_fetch_add(&grabbed_since_gc, size);
    return (char *)c + FIRST_OFF;
}

void *_stm_old_alloc(stm_thread_full *t, size_t bytes) {
    bytes = (bytes + 15) & ~(size_t)15;
    t->stats.bytes_allocated += bytes;
    if (bytes > MAX_SMALL) return large_alloc(bytes);   /* fresh mapping: already zero */
    int cls = class_of_g[bytes / 16];
    chunk *c = t->cur_chunk[cls];
    void *p;
    for (;;) {
        if (c) {
            if (c->free) {
                p = c->free;
                UNPOISON(p, c->slot_size);
                c->free = *(void **)p;
                break;
            }
            if (c->bump < c->nslots) {
                p = (char *)c + c->first_off + (size_t)c->bump++ * c->slot_size;
                UNPOISON(p, c->slot_size);
                break;
            }
            c->owned = false;
        }
        c = t->cur_chunk[cls] = take_chunk(cls);
    }
    memset(p, 0, c->slot_size);
    return p;
}

void *_stm_body_alloc(stm_thread_full *t, size_t payload) {
    body_hdr *h = _stm_old_alloc(t, sizeof(body_hdr) + payload);
    return h + 1;
}

static _Atomic uint64_t major_count;
uint64_t stm_major_collections(void) { return atomic_load_explicit(&major_count, memory_order_acquire); }

size_t stm_heap_size(void) { return live_after_gc + atomic_load(&grabbed_since_gc); }
size_t stm_os_memory(void) { return atomic_load(&mapped_bytes); }
void stm_set_memory_limit(size_t bytes) { atomic_store(&memory_limit, bytes); }

bool _stm_over_limit(void) {
    size_t lim = atomic_load(&memory_limit);
    return lim && stm_heap_size() > lim;
}

bool _stm_major_wanted(void) {
    if (atomic_load_explicit(&major_forced, memory_order_relaxed)) return true;
    size_t grabbed = atomic_load_explicit(&grabbed_since_gc, memory_order_relaxed);
    size_t threshold = live_after_gc > ((size_t)64 << 20) ? live_after_gc : ((size_t)64 << 20);
    return grabbed > threshold || _stm_over_limit();
}

/* ------------------------------------------------------------------------------------------ */
/* Nursery and minor collection                                                                */

static size_t nursery_mem_size(void) {
#ifdef STM_DEBUG
    return 2 * _stm_cfg.nursery_size;      /* two halves: stale pointers land in poison */
#else
    return _stm_cfg.nursery_size;
#endif
}

static void set_nursery_end(stm_thread_full *t) {
    t->pub.nursery_end = _stm_cfg.gc_every ? t->pub.nursery_cur : t->nursery_real_end;
}

bool _stm_in_own_nursery(stm_thread_full *t, const void *p) {
    return (const char *)p >= t->nursery_mem && (const char *)p < t->nursery_mem + t->nursery_mem_size;
}

bool _stm_in_nursery(stm_thread *pub, stm_obj *o) {
    return _stm_in_own_nursery(full(pub), o) && (o->flags & F_NURSERY);
}

/* Empty the nursery: its objects are dead or were copied out.  Zero-filled for the allocator. */
void _stm_nursery_reset(stm_thread_full *t) {
    size_t used = (size_t)(t->pub.nursery_cur - t->nursery_base);
#ifdef STM_DEBUG
    int h = t->nursery_base != t->nursery_mem;
    memset(t->nursery_base, 0xDD, used);
    if (used > t->nursery_dirty[h]) t->nursery_dirty[h] = used;
    h = !h;
    t->nursery_base = t->nursery_mem + (size_t)h * _stm_cfg.nursery_size;
    t->nursery_real_end = t->nursery_base + _stm_cfg.nursery_size;
    memset(t->nursery_base, 0, t->nursery_dirty[h]);
    t->nursery_dirty[h] = 0;
#else
    memset(t->nursery_base, 0, used);
#endif
    t->pub.nursery_cur = t->nursery_base;
    set_nursery_end(t);
}

typedef struct minor_ctx {
    stm_thread_full *t;
    VEC(stm_obj *) scan;
} minor_ctx;

static void minor_visit(stm_obj **ref, void *vctx) {
    minor_ctx *ctx = vctx;
    stm_obj *o = *ref;
    if (!o || ((uintptr_t)o & 1) || !_stm_in_own_nursery(ctx->t, o)) return;
    if (o->flags & F_FORWARDED) {
        *ref = atomic_load_explicit(&o->cur, memory_order_relaxed);
        return;
    }
    STM_ASSERT(o->flags & F_NURSERY);
    size_t total = sizeof(stm_obj) + obj_payload_size(o->tid, o + 1);
    stm_obj *n = _stm_old_alloc(ctx->t, total);
    memcpy(n, o, total);
    n->flags &= (uint16_t)~F_NURSERY;
    atomic_store_explicit(&n->cur, (void *)(n + 1), memory_order_relaxed);
    atomic_store_explicit(&n->owner, OLD_UNRECORDED(ctx->t), memory_order_relaxed);
    o->flags |= F_FORWARDED;
    atomic_store_explicit(&o->cur, (void *)n, memory_order_relaxed);
#ifndef STM_GIL
    vec_push(ctx->t->created_old, n);
#endif
    vec_push(ctx->scan, n);
    *ref = n;
}

void _stm_minor_collect_internal(stm_thread_full *t) {
    if (t->pub.nursery_cur == t->nursery_base && t->oldpriv_modified.n == 0) return;
    uint64_t t0 = _stm_now_ns();
    minor_ctx ctx = {t, {0}};
    for (stm_obj **r = t->pub.roots_base; r < t->pub.roots_top; r++) minor_visit(r, &ctx);
    for (size_t i = 0; i < global_roots.n; i++) minor_visit(global_roots.items[i], &ctx);
    for (size_t i = 0; i < t->stamps.n; i++) minor_visit(&t->stamps.items[i].obj, &ctx);
    for (size_t i = 0; i < t->ws_dirty.n; i++) {
        ws_entry *e = &t->ws.items[t->ws_dirty.items[i]];
        if (e->shadow) obj_trace(e->obj->tid, e->shadow, minor_visit, &ctx);
        e->dirty = false;
        stm_rcslot *s = _stm_rc(&t->pub, e->obj);
        if (s->key == e->obj) s->val &= ~(uintptr_t)1;
    }
    t->ws_dirty.n = 0;
    for (size_t i = 0; i < t->oldpriv_modified.n; i++) {
        stm_obj *o = t->oldpriv_modified.items[i];
        obj_trace(o->tid, o + 1, minor_visit, &ctx);
        atomic_store_explicit(&o->owner, OLD_UNRECORDED(t), memory_order_relaxed);
    }
    t->oldpriv_modified.n = 0;
    while (ctx.scan.n) {
        stm_obj *n = ctx.scan.items[--ctx.scan.n];
        obj_trace(n->tid, n + 1, minor_visit, &ctx);
    }
    free(ctx.scan.items);
    _stm_nursery_reset(t);
    t->stats.minor_gcs++;
    t->stats.ns_gc += _stm_now_ns() - t0;
    if (_stm_cfg.major_gc_every && ++t->minor_count % _stm_cfg.major_gc_every == 0)
        atomic_store(&major_forced, 1);
}

void _stm_minor_collect(stm_thread *pub) { _stm_minor_collect_internal(full(pub)); }
void stm_minor_collect(stm_thread *pub) { _stm_minor_collect_internal(full(pub)); }

/* Created written (owner = tag, in oldpriv_modified): the creator may fill it through
   stm_payload() until the next moving point, so the next minor GC must scan it. */
static stm_obj *init_old_object(stm_thread_full *t, stm_obj *o, uint16_t tid, uint16_t flags) {
    atomic_store_explicit(&o->owner, t->pub.tag, memory_order_relaxed);
    o->tid = tid;
    o->flags = flags;
    atomic_store_explicit(&o->cur, (void *)(o + 1), memory_order_relaxed);
#ifndef STM_GIL
    vec_push(t->created_old, o);
#endif
    vec_push(t->oldpriv_modified, o);
    return o;
}

/* Allocate straight in the old space (big objects, hash tables); NULL over the limit. */
stm_obj *_stm_allocate_old(stm_thread_full *t, uint16_t tid, size_t size, uint16_t flags) {
    if (_stm_over_limit()) {
        _stm_major_collect_internal(t);
        if (_stm_over_limit()) return NULL;
    }
    stm_obj *o = _stm_old_alloc(t, sizeof(stm_obj) + size);
    return init_old_object(t, o, tid, flags);
}

stm_obj *_stm_allocate_slow(stm_thread *pub, uint16_t tid, size_t size, uint16_t flags) {
    stm_thread_full *t = full(pub);
    STM_ASSERT(atomic_load(&t->state) != TS_NONE);
    stm_poll(pub);
    size_t total = (sizeof(stm_obj) + size + 15) & ~(size_t)15;
    if (_stm_cfg.gc_every && ++t->alloc_count % _stm_cfg.gc_every == 0) _stm_minor_collect_internal(t);
    if (size > STM_NURSERY_MAX_OBJECT || total > _stm_cfg.nursery_size / 2)
        return _stm_allocate_old(t, tid, size, flags);
    if ((size_t)(t->nursery_real_end - pub->nursery_cur) < total) {
        _stm_minor_collect_internal(t);
        if (_stm_major_wanted()) _stm_major_collect_internal(t);
        if (_stm_over_limit()) return NULL;
    } else if (_stm_cfg.gc_every && _stm_major_wanted()) {
        _stm_major_collect_internal(t);
    }
    stm_obj *o = (stm_obj *)pub->nursery_cur;
    pub->nursery_cur += total;
    set_nursery_end(t);
    atomic_store_explicit(&o->owner, pub->tag, memory_order_relaxed);
    o->tid = tid;
    o->flags = (uint16_t)(flags | F_NURSERY);
    atomic_store_explicit(&o->inev, 0, memory_order_relaxed);
    atomic_store_explicit(&o->cur, (void *)(o + 1), memory_order_relaxed);
    return o;
}

/* ------------------------------------------------------------------------------------------ */
/* Stop-the-world handshake                                                                    */

bool _stm_gc_requested(void) { return atomic_load_explicit(&gc_req, memory_order_relaxed) != 0; }

void _stm_attach(stm_thread_full *t) {
    for (;;) {
        atomic_store(&t->attached, 1);                 /* seq_cst: Dekker pair with gc_req */
        if (!atomic_load(&gc_req)) return;
        atomic_store(&t->attached, 0);
        uint64_t t0 = _stm_now_ns();
        pthread_mutex_lock(&gc_mutex);
        pthread_cond_broadcast(&gc_cond);
        while (atomic_load(&gc_req)) pthread_cond_wait(&gc_cond, &gc_mutex);
        pthread_mutex_unlock(&gc_mutex);
        t->stats.ns_waiting += _stm_now_ns() - t0;
    }
}

void _stm_detach(stm_thread_full *t) {
    atomic_store(&t->attached, 0);
    if (atomic_load(&gc_req)) {
        pthread_mutex_lock(&gc_mutex);
        pthread_cond_broadcast(&gc_cond);
        pthread_mutex_unlock(&gc_mutex);
    }
}

void _stm_park(stm_thread_full *t) {
    uint64_t t0 = _stm_now_ns();
    pthread_mutex_lock(&gc_mutex);
    atomic_store(&t->parked, 1);
    pthread_cond_broadcast(&gc_cond);
    while (atomic_load(&gc_req)) pthread_cond_wait(&gc_cond, &gc_mutex);
    atomic_store(&t->parked, 0);
    pthread_mutex_unlock(&gc_mutex);
    t->stats.ns_waiting += _stm_now_ns() - t0;
}

static bool all_stopped(stm_thread_full *self) {
    for (size_t i = 0; i < _stm_nthreads; i++) {
        stm_thread_full *x = _stm_threads[i];
        if (x != self && atomic_load(&x->attached) && !atomic_load(&x->parked)) return false;
    }
    return true;
}

/* ------------------------------------------------------------------------------------------ */
/* Major collection: mark from every thread's roots, logs and nursery, then sweep.             */

typedef struct tbody { uint16_t tid; void *payload; } tbody;
typedef struct mark_ctx {
    VEC(stm_obj *) objs;
    VEC(tbody) bodies;
    VEC(stm_obj *) nursery_seen;   /* F_VISITED set: cleared after the collection */
} mark_ctx;

static bool mark_alloc(const void *p) {
    chunk *c = chunk_of(p);
    STM_ASSERT(c->magic == CHUNK_MAGIC);
    size_t g = ((uintptr_t)p - (uintptr_t)c) / 16;
    uint64_t bit = (uint64_t)1 << (g & 63);
    if (c->mark[g >> 6] & bit) return false;
    c->mark[g >> 6] |= bit;
    return true;
}

static bool is_marked(const void *p) {
    chunk *c = chunk_of(p);
    size_t g = ((uintptr_t)p - (uintptr_t)c) / 16;
    return (c->mark[g >> 6] >> (g & 63)) & 1;
}

/* Nursery objects are not swept; they are traced once (F_VISITED) so that what they reference
   stays alive.  A nursery object no root or log reaches can only reference objects that its
   transaction reached otherwise (read-set bodies, roots, private objects), all marked anyway. */
static void mark_obj(mark_ctx *ctx, stm_obj *o) {
    if (!o || ((uintptr_t)o & 1)) return;
    if (o->flags & F_NURSERY) {
        if (o->flags & F_VISITED) return;
        o->flags |= F_VISITED;
        vec_push(ctx->nursery_seen, o);
        vec_push(ctx->objs, o);
        return;
    }
    if (mark_alloc(o)) vec_push(ctx->objs, o);
}

static void mark_visit(stm_obj **ref, void *ctx) { mark_obj(ctx, *ref); }

/* A body some transaction holds: keep it and everything it references.  Logs may name the same
   body many times (a read set gets a duplicate entry whenever the read cache evicted the
   object), so each body is traced once: out-of-line bodies by their mark bit, an inline body
   that is still current by its object's mark; only a superseded inline body is traced again. */
static void mark_body(mark_ctx *ctx, stm_obj *o, void *payload) {
    mark_obj(ctx, o);
    if (is_inline(o, payload)) {
        if (atomic_load_explicit(&o->cur, memory_order_relaxed) == payload) return;
    } else if (!mark_alloc(body_of(payload))) {
        return;
    }
    tbody b = {o->tid, payload};
    vec_push(ctx->bodies, b);
}

static void mark_drain(mark_ctx *ctx) {
    for (;;) {
        if (ctx->objs.n) {
            stm_obj *o = ctx->objs.items[--ctx->objs.n];
            void *cur = atomic_load_explicit(&o->cur, memory_order_relaxed);
            if (is_inline(o, cur)) obj_trace(o->tid, cur, mark_visit, ctx);
            else mark_body(ctx, o, cur);
        } else if (ctx->bodies.n) {
            tbody b = ctx->bodies.items[--ctx->bodies.n];
            obj_trace(b.tid, b.payload, mark_visit, ctx);
        } else {
            return;
        }
    }
}

static void mark_ht_root(stm_obj *o, void *ctx) { mark_obj(ctx, o); }

static void mark_thread(mark_ctx *ctx, stm_thread_full *x) {
    for (stm_obj **r = x->pub.roots_base; r < x->pub.roots_top; r++) mark_obj(ctx, *r);
    for (size_t i = 0; i < x->rs.n; i++) mark_body(ctx, x->rs.items[i].obj, x->rs.items[i].body);
    for (size_t i = 0; i < x->ws.n; i++) {
        ws_entry *e = &x->ws.items[i];
        if (e->base) mark_body(ctx, e->obj, e->base);
        if (e->shadow) mark_body(ctx, e->obj, e->shadow);
    }
    for (size_t i = 0; i < x->created_old.n; i++) mark_obj(ctx, x->created_old.items[i]);
#ifdef STM_GIL
    /* The next minor collection traces the remembered set (in the STM build it is part of
       created_old): keep it, reachable or not. */
    for (size_t i = 0; i < x->oldpriv_modified.n; i++) mark_obj(ctx, x->oldpriv_modified.items[i]);
#endif
    for (size_t i = 0; i < x->hiter.n; i++) mark_obj(ctx, _stm_ht_meta_obj(x->hiter.items[i].meta));
    if (x->ht_iterating) mark_obj(ctx, _stm_ht_meta_obj(x->ht_iterating));
    mark_drain(ctx);
}

static void sweep_chunk(chunk *c, size_t *live, chunk_vec *keep) {
    if (c->cls < 0) {
        if (!is_marked((char *)c + c->first_off)) { unmap_chunk(c); return; }
        memset(c->mark, 0, sizeof c->mark);
        *live += c->map_size;
        vec_push(*keep, c);
        return;
    }
    size_t nlive = 0;
    c->free = NULL;
    for (uint32_t i = c->bump; i-- > 0;) {
        char *slot = (char *)c + c->first_off + (size_t)i * c->slot_size;
        size_t g = ((uintptr_t)slot - (uintptr_t)c) / 16;
        if ((c->mark[g >> 6] >> (g & 63)) & 1) { nlive++; continue; }
        UNPOISON(slot, c->slot_size);
#ifdef STM_DEBUG
        memset(slot, 0xDB, c->slot_size);
#endif
        *(void **)slot = c->free;
        c->free = slot;
        POISON(slot + sizeof(void *), c->slot_size - sizeof(void *));
    }
    memset(c->mark, 0, sizeof c->mark);
    c->owned = false;
    if (nlive == 0) {
        if (empty_cached < EMPTY_CACHE_MAX) {
            c->next_partial = empty_cache;
            empty_cache = c;
            empty_cached++;
            POISON((char *)c + c->first_off, CHUNK_SIZE - c->first_off);
        } else {
            unmap_chunk(c);
        }
        return;
    }
    *live += nlive * c->slot_size;
    vec_push(*keep, c);
    if (c->free || c->bump < c->nslots) {
        c->next_partial = partial[c->cls];
        partial[c->cls] = c;
    }
}

static void sweep(void) {
    size_t live = 0;
    chunk_vec keep = {0};
    for (int i = 0; i < NCLASSES; i++) partial[i] = NULL;
    for (size_t i = 0; i < all_chunks.n; i++) sweep_chunk(all_chunks.items[i], &live, &keep);
    free(all_chunks.items);
    all_chunks = keep;
    for (size_t i = 0; i < _stm_nthreads; i++) memset(_stm_threads[i]->cur_chunk, 0, sizeof _stm_threads[i]->cur_chunk);
    live_after_gc = live;
    atomic_store(&grabbed_since_gc, 0);
}

uint64_t _stm_gc_oldest_snapshot;

static uint64_t oldest_snapshot(void) {
    uint64_t m = UINT64_MAX;
    for (size_t i = 0; i < _stm_nthreads; i++) {
        stm_thread_full *x = _stm_threads[i];
        int s = atomic_load(&x->state);
        if (s != TS_NONE && s != TS_INEV && s != TS_INEV_LEFT && x->rv < m) m = x->rv;
    }
    return m;
}

static void collect(void) {
    mark_ctx ctx = {{0}, {0}, {0}};
    _stm_gc_oldest_snapshot = oldest_snapshot();
    for (size_t i = 0; i < _stm_nthreads; i++) mark_thread(&ctx, _stm_threads[i]);
    for (size_t i = 0; i < global_roots.n; i++) mark_obj(&ctx, *global_roots.items[i]);
    _stm_ht_gc_mark_roots(mark_ht_root, &ctx);
    mark_drain(&ctx);
    _stm_ht_gc_sweep(is_marked);
    sweep();
    for (size_t i = 0; i < ctx.nursery_seen.n; i++) ctx.nursery_seen.items[i]->flags &= (uint16_t)~F_VISITED;
    free(ctx.nursery_seen.items);
    free(ctx.objs.items);
    free(ctx.bodies.items);
}

void _stm_major_collect_internal(stm_thread_full *t) {
    int zero = 0;
    if (!atomic_compare_exchange_strong(&gc_req, &zero, 1)) {
        _stm_park(t);                 /* someone else is collecting: that serves us too */
        return;
    }
    uint64_t t0 = _stm_now_ns();
    pthread_mutex_lock(&gc_mutex);
#ifndef STM_GIL
    for (size_t i = 0; i < _stm_nthreads; i++) atomic_store(&_stm_threads[i]->pub.poll, 1);
#endif
    /* GIL build: nobody else is attached (only the lock holder touches the heap). */
    while (!all_stopped(t)) pthread_cond_wait(&gc_cond, &gc_mutex);
    collect();
    atomic_fetch_add(&major_count, 1);
    atomic_store(&major_forced, 0);
    atomic_store(&gc_req, 0);
    pthread_cond_broadcast(&gc_cond);
    pthread_mutex_unlock(&gc_mutex);
    t->stats.major_gcs++;
    t->stats.ns_gc += _stm_now_ns() - t0;
}

void stm_major_collect(stm_thread *pub) {
    STM_ASSERT(atomic_load(&full(pub)->state) != TS_NONE);
    _stm_major_collect_internal(full(pub));
}

/* ------------------------------------------------------------------------------------------ */
/* Registry                                                                                    */

void _stm_gc_setup(void) { init_classes(); }

void _stm_gc_thread_init(stm_thread_full *t) {
    size_t size = nursery_mem_size();
    if (t->nursery_mem && t->nursery_mem_size != size) {
        munmap(t->nursery_mem, t->nursery_mem_size);
        t->nursery_mem = NULL;
    }
    if (!t->nursery_mem) {
        void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) _stm_fatal("cannot map a nursery of %zu bytes", size);
        t->nursery_mem = p;
        t->nursery_mem_size = size;
    } else {
        memset(t->nursery_mem, 0, size);
    }
    t->nursery_dirty[0] = t->nursery_dirty[1] = 0;
    t->nursery_base = t->nursery_mem;
    t->nursery_real_end = t->nursery_base + _stm_cfg.nursery_size;
    t->pub.nursery_cur = t->nursery_base;
    set_nursery_end(t);
    memset(t->cur_chunk, 0, sizeof t->cur_chunk);
}

stm_thread *stm_register_thread(void) {
    pthread_mutex_lock(&gc_mutex);
    while (atomic_load(&gc_req)) pthread_cond_wait(&gc_cond, &gc_mutex);
    stm_thread_full *t = free_threads;
    if (t) {
        free_threads = t->next_free;
    } else {
        t = aligned_alloc(64, (sizeof *t + 63) & ~(size_t)63);
        if (!t) _stm_fatal("out of memory registering a thread");
        memset(t, 0, sizeof *t);
    }
    _stm_thread_reset(t);
    t->pub.id = ++next_thread_id;
    _stm_gc_thread_init(t);
    if (_stm_nthreads == threads_cap) {
        threads_cap = threads_cap ? 2 * threads_cap : 16;
        _stm_threads = realloc(_stm_threads, threads_cap * sizeof *_stm_threads);
        if (!_stm_threads) _stm_fatal("out of memory registering a thread");
    }
    _stm_threads[_stm_nthreads++] = t;
    atomic_store(&_stm_nregistered, _stm_nthreads);
    t->registered = true;
    pthread_mutex_unlock(&gc_mutex);
    return &t->pub;
}

void stm_unregister_thread(stm_thread *pub) {
    stm_thread_full *t = full(pub);
    if (atomic_load(&t->state) != TS_NONE) _stm_fatal("stm_unregister_thread inside a transaction");
    pthread_mutex_lock(&gc_mutex);
    while (atomic_load(&gc_req)) pthread_cond_wait(&gc_cond, &gc_mutex);
    for (size_t i = 0; i < _stm_nthreads; i++)
        if (_stm_threads[i] == t) {
            _stm_threads[i] = _stm_threads[--_stm_nthreads];
            atomic_store(&_stm_nregistered, _stm_nthreads);
            break;
        }
    _stm_stats_add(&dead_stats, &t->stats);
    /* Its chunks stay in all_chunks; no one owns them until the next sweep hands them out. */
    pthread_mutex_lock(&chunk_lock);
    for (int i = 0; i < NCLASSES; i++) {
        chunk *c = t->cur_chunk[i];
        if (c && (c->free || c->bump < c->nslots)) {
            c->owned = false;
            c->next_partial = partial[i];
            partial[i] = c;
        }
        t->cur_chunk[i] = NULL;
    }
    pthread_mutex_unlock(&chunk_lock);
    t->pub.roots_top = t->pub.roots_base;
    t->registered = false;
    t->next_free = free_threads;
    free_threads = t;
    pthread_mutex_unlock(&gc_mutex);
}

void stm_get_global_stats(stm_stats *out) {
    pthread_mutex_lock(&gc_mutex);
    *out = dead_stats;
    for (size_t i = 0; i < _stm_nthreads; i++) _stm_stats_add(out, &_stm_threads[i]->stats);
    pthread_mutex_unlock(&gc_mutex);
}

void stm_add_global_root(stm_obj **slot) {
    pthread_mutex_lock(&gc_mutex);
    vec_push(global_roots, slot);
    pthread_mutex_unlock(&gc_mutex);
}

void _stm_gc_teardown(void) {
    pthread_mutex_lock(&gc_mutex);
    if (_stm_nthreads) _stm_fatal("stm_teardown with %zu threads still registered", _stm_nthreads);
    _stm_ht_teardown();
    for (size_t i = 0; i < all_chunks.n; i++) unmap_chunk(all_chunks.items[i]);
    all_chunks.n = 0;
    while (empty_cache) {
        chunk *c = empty_cache;
        empty_cache = c->next_partial;
        unmap_chunk(c);
    }
    empty_cached = 0;
    for (int i = 0; i < NCLASSES; i++) partial[i] = NULL;
    while (free_threads) {
        stm_thread_full *t = free_threads;
        free_threads = t->next_free;
        if (t->nursery_mem) munmap(t->nursery_mem, t->nursery_mem_size);
        munmap(t->pub.roots_base, STM_ROOTS_MAX * sizeof(stm_obj *));
        free(t->rs.items); free(t->ws.items); free(t->wsidx);
        free(t->created_old.items); free(t->oldpriv_modified.items); free(t->hiter.items); free(t->ws_dirty.items);
        free(t->stamps.items);
        free(t);
    }
    global_roots.n = 0;
    memset(&dead_stats, 0, sizeof dead_stats);
    live_after_gc = 0;
    atomic_store(&grabbed_since_gc, 0);
    pthread_mutex_unlock(&gc_mutex);
}

/* ------------------------------------------------------------------------------------------ */
/* Configuration and clock, shared by both backends (core.c, gil.c)                            */

uint64_t _stm_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* A size from the environment: a number with an optional k/m/g suffix. */
size_t _stm_env_size(const char *name, size_t dflt) {
    const char *s = getenv(name);
    if (!s || !*s) return dflt;
    char *end;
    unsigned long long v = strtoull(s, &end, 0);
    switch (*end) {
    case 'k': case 'K': v <<= 10; break;
    case 'm': case 'M': v <<= 20; break;
    case 'g': case 'G': v <<= 30; break;
    default: break;
    }
    return (size_t)v;
}

/* _stm_cfg from the VM's config, overridden by the STM_* stress knobs of the environment. */
void _stm_read_config(const stm_config *cfg) {
    if (cfg) _stm_cfg = *cfg;
    else memset(&_stm_cfg, 0, sizeof _stm_cfg);
    stm_config *c = &_stm_cfg;
    c->nursery_size = _stm_env_size("STM_NURSERY_SIZE", c->nursery_size ? c->nursery_size : (1u << 20));
    if (c->nursery_size < 16384) c->nursery_size = 16384;
    c->nursery_size = (c->nursery_size + 4095) & ~(size_t)4095;
    c->gc_every = (unsigned)_stm_env_size("STM_GC_EVERY", c->gc_every);
    c->major_gc_every = (unsigned)_stm_env_size("STM_MAJOR_GC_EVERY", c->major_gc_every);
    c->abort_every = (unsigned)_stm_env_size("STM_ABORT_EVERY", c->abort_every);
    c->memory_limit = _stm_env_size("STM_MEMORY_LIMIT", c->memory_limit);
    c->segment_limit = (unsigned)_stm_env_size("STM_SEGMENTS", c->segment_limit);
}

/* ------------------------------------------------------------------------------------------ */
/* Thread statistics and the shadow stack limit, shared by both backends                       */

void _stm_grow_roots(stm_thread *pub) {
    STM_UNUSED(pub);
    _stm_fatal("shadow stack overflow (%d slots)", STM_ROOTS_MAX);
}

void stm_get_stats(stm_thread *pub, stm_stats *out) { *out = full(pub)->stats; }
stm_abort_info stm_last_abort(stm_thread *pub) { return full(pub)->last_abort; }

void _stm_stats_add(stm_stats *into, const stm_stats *s) {
    into->commits += s->commits;
    into->inevitable_commits += s->inevitable_commits;
    for (int i = 0; i < STM_ABORT_CAUSES; i++) into->aborts[i] += s->aborts[i];
    into->ns_committed += s->ns_committed;
    into->ns_aborted += s->ns_aborted;
    into->ns_waiting += s->ns_waiting;
    into->ns_gc += s->ns_gc;
    into->minor_gcs += s->minor_gcs;
    into->major_gcs += s->major_gcs;
    into->bytes_allocated += s->bytes_allocated;
}
