/* obj_smap.c — shared dict/set storage: libstm's per-key hash table, ordered by commit stamps. */
#include "vm.h"
#include "smap.h"
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/*
 * A dict or set that several threads mutate switches from its compact table (one object: any
 * two writers conflict) to this representation, where operations on different keys touch
 * different STM objects (obj_dict.c and obj_set.c decide when; docs/DESIGN.md).
 *
 * Invariants:
 * S1  A map (T_SMAP) is immutable: `table` is an stm hash table from a Python hash (as
 *     uintptr_t) to the live item with that hash, or, when live keys' hashes collide, to an
 *     immutable tuple (a bucket) of >= 2 items; `counts` is an stm hash table from a counter
 *     slot (thread id % SMAP_SLOTS) to a T_BLOB holding an int64: that slot's inserts minus
 *     its removals.  The sum of the counters is the number of live items.
 * S2  An item (T_SITEM, smap.h) is live iff it is reachable from `table`; `dead` is set when it
 *     is removed (so snapshots and iterators holding it can skip it).  Only `value` and `dead`
 *     change after its insert commits, so updating a key's value writes that item alone;
 *     inserting or removing writes the hash's entry and the thread's own counter.  Two
 *     transactions touching different keys (different hashes) and counted in different slots
 *     never write a common object; reading a key reads its entry and items only.
 * S3  Order (dict insertion order): items sort by (stamp, seq).  stamp is the commit timestamp
 *     of the inserting transaction (stm_stamp_at_commit; UINT64_MAX while it runs, so the
 *     running transaction's own inserts sort last), seq the inserting thread's th->smap_seq
 *     (increasing).  Commit stamps follow the serialization order and one transaction's items
 *     share a stamp, so (stamp, seq) is unique and sorts items in the order of their inserts
 *     in the serial execution: the order a GIL interpreter gives.  Converting a compact table
 *     inserts its items in its order, before anything else reaches the map.  An update keeps
 *     the item, hence its place; a removal + re-insert makes a new item at the end.
 * S4  Whole-map reads (len, listing) conflict with commits that add or remove keys (the hash
 *     table's no-phantom rule, and the counters), never with value updates alone, except that
 *     a listing reads the items too (to sort them), so it conflicts with their updates.
 *
 * Costs: lookup/update O(1) (one entry read + the bucket); insert/remove O(1) plus a new bucket
 * tuple on a hash collision; len O(counter slots used) (<= SMAP_SLOTS); ordered snapshot
 * O(n log n); first/last item O(n).
 *
 * GC: hash-table calls are not moving points; allocation is, and the map, items and buckets
 * may be young (private to the running transaction), so they are kept in root slots across
 * allocations.  The hash tables themselves live in the old space and never move.  The
 * listing callbacks only read (stm_read is not a moving point) and fill C memory.
 */

#define SMAP_SLOTS 64

typedef struct SMap { ObjHead h; Value table, counts; } SMap;

static size_t smap_size(const void *p) { (void)p; return sizeof(SMap); }
static void smap_trace(void *p, void (*visit)(stm_obj **, void *), void *ctx) {
    SMap *m = p;
    visit(&m->h.cls, ctx);
    visit(&m->table, ctx);
    visit(&m->counts, ctx);
}
static size_t sitem_size(const void *p) { (void)p; return sizeof(SItem); }
static void sitem_trace(void *p, void (*visit)(stm_obj **, void *), void *ctx) {
    SItem *s = p;
    visit(&s->h.cls, ctx);
    visit(&s->key, ctx);
    visit(&s->value, ctx);
}

static inline const SMap *SM(Thread *th, Value m) { return R(th, m, SMap); }
static inline const SItem *SI(Thread *th, Value it) { return R(th, it, SItem); }
static inline bool is_bucket(Value e) { return e->tid == T_TUPLE; }

Value smap_new(Thread *th) {
    Value *pm = ROOT(th, vm_alloc(th, T_SMAP, sizeof(SMap), STM_IMMUTABLE, NULL));
    Value r = NULL;
    if (!*pm) goto done;
    stm_obj *t = stm_hashtable_create(th->t);
    if (!t) { vm_no_memory(th); goto done; }
    ((SMap *)stm_payload(*pm))->table = t;       /* t is old: no moving point since *pm */
    stm_obj *c = stm_hashtable_create(th->t);
    if (!c) { vm_no_memory(th); goto done; }
    ((SMap *)stm_payload(*pm))->counts = c;
    r = *pm;
done:
    UNROOT(th, 1);
    return r;
}

/* ------------------------------------------------------------------------------------------ */
/* Length: the per-slot counters                                                               */

static void count_cb(uintptr_t key, stm_obj *value, void *arg) {
    void **a = arg;
    *(int64_t *)a[1] += *(const int64_t *)vm_blob_data(a[0], value, false);
}

int64_t smap_len(Thread *th, Value m) {
    int64_t n = 0;
    void *a[2] = {th, &n};
    stm_hashtable_foreach(th->t, SM(th, m)->counts, count_cb, a);
    return n;
}

/* This thread's counter, created if needed: 0, or -1 (MemoryError).  A moving point. */
static int counter_ready(Thread *th, Value *pm) {
    uintptr_t slot = th->id % SMAP_SLOTS;
    if (stm_hashtable_read(th->t, SM(th, *pm)->counts, slot)) return 0;
    Value c = vm_blob_new(th, sizeof(int64_t));
    if (!c) return -1;
    stm_hashtable_write(th->t, SM(th, *pm)->counts, slot, c);
    return 0;
}
static void counter_add(Thread *th, Value m, int64_t delta) {
    Value c = stm_hashtable_read(th->t, SM(th, m)->counts, th->id % SMAP_SLOTS);
    *(int64_t *)vm_blob_data(th, c, true) += delta;
}

/* ------------------------------------------------------------------------------------------ */
/* Keys                                                                                       */

static bool exact_str(Thread *th, Value v) {
    return !IS_SMALL(v) && v->tid == T_STR && vm_type_of(th, v) == vm.t_str;
}

static inline uintptr_t hkey(int64_t hash) { return (uintptr_t)(uint64_t)hash; }

int smap_find(Thread *th, Value *pm, Value *pk, int64_t hash, Value *item) {
restart:;
    Value e = stm_hashtable_read(th->t, SM(th, *pm)->table, hkey(hash));
    if (!e) return 0;
    int64_t n = is_bucket(e) ? TUP(th, e)->n : 1;
    for (int64_t i = 0; i < n; i++) {
        Value it = is_bucket(e) ? TUP(th, e)->items[i] : e;
        Value k = SI(th, it)->key, key = *pk;
        if (k == key) { *item = it; return 1; }
        if (IS_SMALL(k) && IS_SMALL(key)) continue;
        if (exact_str(th, k) && exact_str(th, key)) {
            if (vm_str_eq(th, k, key)) { *item = it; return 1; }
            continue;
        }
        Value *pe = ROOT(th, e);
        ROOT(th, it);
        int eq = vm_eq(th, k, key);
        e = pe[0];
        it = pe[1];
        UNROOT(th, 2);
        if (eq < 0) return -1;
        /* __eq__ may have changed the map: buckets are immutable, so an unchanged entry
           means unchanged candidates */
        if (stm_hashtable_read(th->t, SM(th, *pm)->table, hkey(hash)) != e) goto restart;
        if (eq) { *item = it; return 1; }
    }
    return 0;
}

static void index_changed(Thread *th, Value m);

int smap_insert(Thread *th, Value *pm, Value *pk, Value *pv, int64_t hash) {
    if (counter_ready(th, pm) < 0) return -1;
    Value *pi = ROOT(th, vm_alloc(th, T_SITEM, sizeof(SItem), 0, NULL));
    int r = -1;
    if (!*pi) goto done;
    SItem *s = stm_payload(*pi);
    s->hash = hash;
    s->key = *pk;
    s->value = pv ? *pv : NULL;
    s->stamp = UINT64_MAX;
    s->seq = th->smap_seq++;
    stm_stamp_at_commit(th->t, *pi, offsetof(SItem, stamp));
    Value e = stm_hashtable_read(th->t, SM(th, *pm)->table, hkey(hash));
    Value nv = *pi;
    if (e) {                     /* a collision: a new bucket with the old items + this one */
        Value *pe = ROOT(th, e);
        int64_t n = is_bucket(e) ? TUP(th, e)->n : 1;
        Value b = vm_tuple_new(th, n + 1);
        e = *pe;
        UNROOT(th, 1);
        if (!b) goto done;
        TupleObj *bt = stm_payload(b);
        for (int64_t i = 0; i < n; i++) bt->items[i] = is_bucket(e) ? TUP(th, e)->items[i] : e;
        bt->items[n] = *pi;
        nv = b;
    }
    stm_hashtable_write(th->t, SM(th, *pm)->table, hkey(hash), nv);
    counter_add(th, *pm, 1);
    index_changed(th, *pm);
    r = 0;
done:
    UNROOT(th, 1);
    return r;
}

int smap_remove(Thread *th, Value *pm, Value *pitem) {
    if (counter_ready(th, pm) < 0) return -1;
    int64_t hash = SI(th, *pitem)->hash;
    Value e = stm_hashtable_read(th->t, SM(th, *pm)->table, hkey(hash));
    Value nv = NULL;
    if (!e) return 0;           /* not live (cannot happen: the caller just found it) */
    if (e != *pitem) {
        const TupleObj *b = TUP(th, e);
        if (b->n == 2) nv = b->items[b->items[0] == *pitem ? 1 : 0];
        else {
            Value *pe = ROOT(th, e);
            nv = vm_tuple_new(th, b->n - 1);
            e = *pe;
            UNROOT(th, 1);
            if (!nv) return -1;
            b = TUP(th, e);
            TupleObj *nb = stm_payload(nv);
            int64_t j = 0;
            for (int64_t i = 0; i < b->n; i++)
                if (b->items[i] != *pitem && j < nb->n) nb->items[j++] = b->items[i];
        }
    }
    stm_hashtable_write(th->t, SM(th, *pm)->table, hkey(hash), nv);
    W(th, *pitem, SItem)->dead = 1;
    counter_add(th, *pm, -1);
    index_changed(th, *pm);
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Order                                                                                      */

typedef struct okey { uint64_t stamp, seq; uintptr_t ref; } okey;   /* ref: item or hash */

static int okey_cmp(const void *a, const void *b) {
    const okey *x = a, *y = b;
    if (x->stamp != y->stamp) return x->stamp < y->stamp ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Per-thread C memory: the sort buffer and smap_next's index (2 maps, for nested loops). */
typedef struct smap_index { Value m; uint64_t gen; size_t n, cap; okey *k; } smap_index;
typedef struct smap_cache {
    okey *buf;
    size_t n, cap;
    smap_index ix[2];
    int victim;
} smap_cache;

static smap_cache *cache_of(Thread *th) {
    if (!th->smap_cache) {
        th->smap_cache = calloc(1, sizeof(smap_cache));
        if (!th->smap_cache) { fprintf(stderr, "stmvm: out of memory\n"); abort(); }
    }
    return th->smap_cache;
}

static void okeys_push(okey **v, size_t *n, size_t *cap, okey k) {
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *v = realloc(*v, *cap * sizeof(okey));
        if (!*v) { fprintf(stderr, "stmvm: out of memory\n"); abort(); }
    }
    (*v)[(*n)++] = k;
}

/* m's membership changed: forget its smap_next index (others stay valid). */
static void index_changed(Thread *th, Value m) {
    smap_cache *c = th->smap_cache;
    if (c)
        for (int i = 0; i < 2; i++)
            if (c->ix[i].m == m) c->ix[i].m = NULL;
}

void smap_thread_free(Thread *th) {
    smap_cache *c = th->smap_cache;
    if (!c) return;
    free(c->buf);
    for (int i = 0; i < 2; i++) free(c->ix[i].k);
    free(c);
    th->smap_cache = NULL;
}

/* Listing: collect (stamp, seq, item) of every live item ordered after `after` (if set). */
typedef struct collect_arg {
    Thread *th;
    bool filter;
    uint64_t astamp, aseq;
    bool by_hash;              /* ref = the hash instead of the item (smap_next) */
    okey **v; size_t *n, *cap;
} collect_arg;

static void collect_one(collect_arg *a, uintptr_t key, Value it) {
    const SItem *s = SI(a->th, it);
    okey k = {s->stamp, s->seq, a->by_hash ? key : (uintptr_t)it};
    if (a->filter && okey_cmp(&k, &(okey){a->astamp, a->aseq, 0}) <= 0) return;
    okeys_push(a->v, a->n, a->cap, k);
}
static void collect_cb(uintptr_t key, stm_obj *value, void *arg) {
    collect_arg *a = arg;
    if (is_bucket(value)) {
        const TupleObj *b = TUP(a->th, value);
        for (int64_t i = 0; i < b->n; i++) collect_one(a, key, b->items[i]);
    } else {
        collect_one(a, key, value);
    }
}

Value smap_snapshot(Thread *th, Value *pm, Value *pafter, int reserve) {
    /* count first, allocate the tuple (a moving point), then list again and fill it with no
       moving point in between (young items move) */
    smap_cache *c = cache_of(th);
    collect_arg a = {th, pafter != NULL, 0, 0, false, &c->buf, &c->n, &c->cap};
    if (pafter) { a.astamp = SI(th, *pafter)->stamp; a.aseq = SI(th, *pafter)->seq; }
    c->n = 0;
    stm_hashtable_foreach(th->t, SM(th, *pm)->table, collect_cb, &a);
    int64_t n = (int64_t)c->n;
    if (n + reserve == 0) return vm.empty_tuple;
    Value t = vm_tuple_new(th, n + reserve);
    if (!t) return NULL;
    c->n = 0;
    stm_hashtable_foreach(th->t, SM(th, *pm)->table, collect_cb, &a);
    qsort(c->buf, c->n, sizeof(okey), okey_cmp);
    TupleObj *tp = stm_payload(t);
    for (int i = 0; i < reserve; i++) tp->items[i] = MK_SMALL(0);
    for (int64_t i = 0; i < n; i++)      /* c->n == n: nothing ran between the two listings */
        tp->items[reserve + i] = i < (int64_t)c->n ? (Value)c->buf[i].ref : MK_SMALL(0);
    return t;
}

typedef struct end_arg { Thread *th; bool last, found; okey best; } end_arg;
static void end_one(end_arg *a, Value it) {
    const SItem *s = SI(a->th, it);
    okey k = {s->stamp, s->seq, (uintptr_t)it};
    int c = okey_cmp(&k, &a->best);
    if (!a->found || (a->last ? c > 0 : c < 0)) { a->best = k; a->found = true; }
}
static void end_cb(uintptr_t key, stm_obj *value, void *arg) {
    end_arg *a = arg;
    if (is_bucket(value)) {
        const TupleObj *b = TUP(a->th, value);
        for (int64_t i = 0; i < b->n; i++) end_one(a, b->items[i]);
    } else {
        end_one(a, value);
    }
}

Value smap_end(Thread *th, Value m, bool last) {
    end_arg a = {th, last, false, {0, 0, 0}};
    stm_hashtable_foreach(th->t, SM(th, m)->table, end_cb, &a);
    return a.found ? (Value)a.best.ref : NULL;
}

/* smap_next's index holds (stamp, seq, hash), not item pointers: items created by the
   running transaction are young and move at the next allocation, so each step finds its
   item again through the table.  (stamp, seq) identifies an item (S3).  The index is valid
   for the map at address m until this thread inserts or removes in m (index_changed) or a
   transaction boundary bumps th->smap_gen (stamps change at commit); other threads' changes
   abort us instead.  A young map may move and another take its address: harmless, since a
   loop starts at *pos == 0, which always rebuilds. */
int smap_next(Thread *th, Value m, int64_t *pos, Value *item) {
    smap_cache *c = cache_of(th);
    smap_index *x = NULL;
    for (int i = 0; i < 2; i++)
        if (c->ix[i].m == m && c->ix[i].gen == th->smap_gen) x = &c->ix[i];
    if (!x || *pos == 0) {
        if (!x) { x = &c->ix[c->victim]; c->victim ^= 1; }
        collect_arg a = {th, false, 0, 0, true, &x->k, &x->n, &x->cap};
        x->n = 0;
        stm_hashtable_foreach(th->t, SM(th, m)->table, collect_cb, &a);
        qsort(x->k, x->n, sizeof(okey), okey_cmp);
        x->m = m;
        x->gen = th->smap_gen;
    }
    for (int64_t i = *pos; i < (int64_t)x->n; i++) {
        const okey *k = &x->k[i];
        Value e = stm_hashtable_read(th->t, SM(th, m)->table, k->ref);
        if (!e) continue;
        int64_t nb = is_bucket(e) ? TUP(th, e)->n : 1;
        for (int64_t j = 0; j < nb; j++) {
            Value it = is_bucket(e) ? TUP(th, e)->items[j] : e;
            const SItem *s = SI(th, it);
            if (s->stamp == k->stamp && s->seq == k->seq) {
                *pos = i + 1;
                *item = it;
                return 1;
            }
        }
    }
    *pos = (int64_t)x->n;
    return 0;
}

void obj_smap_init(Thread *th) {
    vm_tidinfo[T_SMAP] = (vm_typeinfo){smap_size, smap_trace};
    vm_tidinfo[T_SITEM] = (vm_typeinfo){sitem_size, sitem_trace};
}
