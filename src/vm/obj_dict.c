/* obj_dict.c — dict (T_DICT) over compact, insertion-ordered storage (T_DICTKEYS) or, once
   several threads mutate it, the shared per-key storage of obj_smap.c; and the dict views.
   T_DICTKEYS bodies also serve as set tables (kind 1, laid out in obj_set.c). */
#include "vm.h"
#include "opcodes.h"
#include "smap.h"
#include <string.h>

/*
 * Two representations, one semantics (CPython's, insertion order included):
 * - compact (the default): DictObj.keys is NULL or a T_DICTKEYS, CPython's compact ordered
 *   table.  One object: any insert, update or delete writes it, so two threads writing any
 *   keys conflict, and a reader conflicts with every writer.
 * - shared: DictObj.keys is a T_SMAP (obj_smap.c): one STM entry per key, so transactions on
 *   different keys do not conflict, inserts and deletes included; order by commit stamps.
 * Rule D1: a compact dict converts to shared when a thread other than its creator
 * (DictObj.creator, the stm thread id) mutates it — the common pattern is a dict made by the
 * main thread and updated by workers.  Converting writes the DictObj once (one possible
 * conflict) and keeps the order; a shared dict stays shared (clear() installs an empty map).
 * Rule D1b: a dict made by vm_dict_new_global (module globals, sys.modules; creator
 * CREATOR_ANY) converts at any write while more than one thread runs: the main thread assigning
 * a global (`for t in threads: t.join()` at module level) must not abort every worker that
 * reads another global.
 * D2: every function here dispatches on the representation of keys (its tid: a header read,
 * no barrier); nothing outside this file looks inside either (vm_dict_get_str included).
 * D3: a shared dict's DictObj is committed (another thread saw it), hence old: it never moves.
 */

int vm_repr_enter(Thread *th, Value v);
void vm_repr_leave(Thread *th, Value v);

/* shared helpers (obj_tuple.c, obj_list.c, obj_set.c) */
int64_t ctr_nkw(Thread *th, Value kwnames);
int ctr_nokw(Thread *th, const char *qname, Value kwnames);
int ctr_noargs(Thread *th, const char *qname, int nargs, Value kwnames);
int ctr_onearg(Thread *th, const char *qname, int nargs, Value kwnames);
int ctr_posargs(Thread *th, const char *qname, int nargs, Value kwnames, int min, int max);
int ctr_self(Thread *th, Value self, uint16_t tid, const char *meth, const char *tname);
Value ctr_join(Thread *th, const char *open, Value parts, const char *sep, const char *close);
Value ctr_concat3(Thread *th, const char *a, Value s, const char *b);
void ctr_set_unhashable(Thread *th, Value type);
size_t ctr_settable_size(const void *p);
void ctr_settable_trace(void *p, void (*visit)(stm_obj **, void *), void *ctx);

/* ------------------------------------------------------------------------------------------ */
/* Layout                                                                                     */

typedef struct DictObj {
    ObjHead h;
    Value keys;                /* T_DICTKEYS (compact), T_SMAP (shared), or NULL when empty */
    uint32_t creator;          /* id of the thread that made it (rule D1), or CREATOR_ANY (D2) */
} DictObj;
typedef struct DictEntry { int64_t hash; Value key; Value value; } DictEntry;
typedef struct DictKeys {
    ObjHead h;
    int32_t kind;              /* 0: dict storage; 1: set table (obj_set.c) */
    int32_t log2size;          /* index table: 1 << log2size slots */
    int64_t usable;            /* entries that may still be appended */
    int64_t nentries;          /* entries used (deleted ones included) */
    int64_t used;              /* live items */
    DictEntry entries[];       /* USABLE(size) entries, then the index table */
} DictKeys;

#define IX_EMPTY (-1)
#define IX_DUMMY (-2)
#define USABLE(size) (((size) << 1) / 3)
#define MINLOG2 3

static inline int64_t dk_size(const DictKeys *dk) { return (int64_t)1 << dk->log2size; }
static inline int ix_width(int log2) { return log2 <= 7 ? 1 : log2 <= 15 ? 2 : log2 <= 31 ? 4 : 8; }
static inline void *dk_index(const DictKeys *dk) {
    return (void *)((char *)dk->entries + USABLE(dk_size(dk)) * sizeof(DictEntry));
}
static inline int64_t ix_get(const DictKeys *dk, int64_t i) {
    void *p = dk_index(dk);
    switch (ix_width(dk->log2size)) {
    case 1: return ((int8_t *)p)[i];
    case 2: return ((int16_t *)p)[i];
    case 4: return ((int32_t *)p)[i];
    default: return ((int64_t *)p)[i];
    }
}
static inline void ix_set(DictKeys *dk, int64_t i, int64_t v) {
    void *p = dk_index(dk);
    switch (ix_width(dk->log2size)) {
    case 1: ((int8_t *)p)[i] = (int8_t)v; break;
    case 2: ((int16_t *)p)[i] = (int16_t)v; break;
    case 4: ((int32_t *)p)[i] = (int32_t)v; break;
    default: ((int64_t *)p)[i] = v; break;
    }
}

static size_t dk_bytes(int log2) {
    int64_t size = (int64_t)1 << log2;
    return sizeof(DictKeys) + (size_t)USABLE(size) * sizeof(DictEntry) +
           (size_t)size * (size_t)ix_width(log2);
}

static size_t dictkeys_size(const void *p) {
    const DictKeys *dk = p;
    if (dk->kind == 1) return ctr_settable_size(p);
    return dk_bytes(dk->log2size);
}
static void dictkeys_trace(void *p, void (*visit)(stm_obj **, void *), void *ctx) {
    DictKeys *dk = p;
    if (dk->kind == 1) { ctr_settable_trace(p, visit, ctx); return; }
    visit(&dk->h.cls, ctx);
    for (int64_t i = 0; i < dk->nentries; i++) {
        visit(&dk->entries[i].key, ctx);
        visit(&dk->entries[i].value, ctx);
    }
}
static size_t dict_size(const void *p) { (void)p; return sizeof(DictObj); }
static void dict_trace(void *p, void (*visit)(stm_obj **, void *), void *ctx) {
    DictObj *d = p;
    visit(&d->h.cls, ctx);
    visit(&d->keys, ctx);
}

static Value dk_new(Thread *th, int log2) {
    Value k = vm_alloc(th, T_DICTKEYS, dk_bytes(log2), 0, NULL);
    if (!k) return NULL;
    DictKeys *dk = stm_payload(k);
    dk->kind = 0;
    dk->log2size = log2;
    dk->usable = USABLE(dk_size(dk));
    memset(dk_index(dk), 0xff, (size_t)dk_size(dk) * (size_t)ix_width(log2));
    return k;
}

static inline Value KEYS(Thread *th, Value d) { return R(th, d, DictObj)->keys; }
/* compact storage only (callers have checked SHARED first) */
static inline const DictKeys *DK(Thread *th, Value d) {
    Value k = KEYS(th, d);
    return k ? R(th, k, DictKeys) : NULL;
}
/* the shared map, or NULL when compact */
static inline Value SHARED(Thread *th, Value d) {
    Value k = KEYS(th, d);
    return smap_is(k) ? k : NULL;
}

static int dict_next_hashed(Thread *th, Value d, int64_t *pos, Value *key, Value *value, int64_t *hash);

/* Switch *pd to the shared representation, keeping the order (D1).  A moving point. */
#define CREATOR_ANY 0u            /* thread ids start at 1 */

static int dict_convert(Thread *th, Value *pd) {
    Value *pm = ROOT(th, smap_new(th)), *pk = ROOT(th, NULL), *pv = ROOT(th, NULL);
    int r = -1;
    if (!*pm) goto done;
    int64_t pos = 0, hash;
    Value k, v;
    while (dict_next_hashed(th, *pd, &pos, &k, &v, &hash)) {   /* pos survives allocation */
        *pk = k; *pv = v;
        if (smap_insert(th, pm, pk, pv, hash) < 0) goto done;
    }
    W(th, *pd, DictObj)->keys = *pm;
    r = 0;
done:
    UNROOT(th, 3);
    return r;
}

/* Before mutating *pd: 1 shared (converted now if D1 says so), 0 compact, -1 error. */
static int dict_for_write(Thread *th, Value *pd) {
    const DictObj *d = R(th, *pd, DictObj);
    if (smap_is(d->keys)) return 1;
    if (d->creator == th->id) return 0;
    if (d->creator == CREATOR_ANY && atomic_load_explicit(&vm_threads_running, memory_order_relaxed) <= 1) return 0;
    return dict_convert(th, pd) < 0 ? -1 : 1;
}

static int log2_for(int64_t minsize) {
    int log2 = MINLOG2;
    while (((int64_t)1 << log2) < minsize) log2++;
    return log2;
}

/* First empty index slot for hash (no dummies reused, like CPython). */
static int64_t find_empty_slot(const DictKeys *dk, int64_t hash) {
    uint64_t mask = (uint64_t)dk_size(dk) - 1, perturb = (uint64_t)hash, i = (uint64_t)hash & mask;
    while (ix_get(dk, (int64_t)i) != IX_EMPTY) {
        perturb >>= 5;
        i = (i * 5 + perturb + 1) & mask;
    }
    return (int64_t)i;
}

/* Rebuild storage with room for at least `minused` items (compacts deleted entries). */
static int dict_resize(Thread *th, Value *pd, int log2) {
    Value nk = dk_new(th, log2);
    if (!nk) return -1;
    DictKeys *n = stm_payload(nk);
    const DictKeys *o = DK(th, *pd);
    int64_t k = 0;
    if (o) {
        for (int64_t i = 0; i < o->nentries; i++) {
            const DictEntry *e = &o->entries[i];
            if (!e->key) continue;
            n->entries[k] = *e;
            ix_set(n, find_empty_slot(n, e->hash), k);
            k++;
        }
    }
    n->nentries = k;
    n->used = k;
    n->usable -= k;
    W(th, *pd, DictObj)->keys = nk;
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Lookup                                                                                     */

static bool exact_str(Thread *th, Value v) {
    return !IS_SMALL(v) && v->tid == T_STR && vm_type_of(th, v) == vm.t_str;
}


/* Entry index of key (>= 0), -1 missing, -2 error.  *slot: its index-table slot. */
static int64_t dict_lookup(Thread *th, Value *pd, Value *pk, int64_t hash, int64_t *slot) {
restart:;
    Value ko = KEYS(th, *pd);
    if (!ko) return -1;
    const DictKeys *dk = R(th, ko, DictKeys);
    uint64_t mask = (uint64_t)dk_size(dk) - 1, perturb = (uint64_t)hash, i = (uint64_t)hash & mask;
    for (;;) {
        int64_t ix = ix_get(dk, (int64_t)i);
        if (ix == IX_EMPTY) return -1;
        if (ix >= 0) {
            const DictEntry *e = &dk->entries[ix];
            Value k = e->key, key = *pk;
            if (k == key) { if (slot) *slot = (int64_t)i; return ix; }
            if (e->hash == hash && !(IS_SMALL(k) && IS_SMALL(key))) {
                if (exact_str(th, k) && exact_str(th, key)) {
                    if (vm_str_eq(th, k, key)) { if (slot) *slot = (int64_t)i; return ix; }
                } else {
                    Value *pko = ROOT(th, ko);
                    Value *psk = ROOT(th, k);
                    int eq = vm_eq(th, k, key);
                    ko = *pko;
                    Value sk = *psk;
                    UNROOT(th, 2);
                    if (eq < 0) return -2;
                    if (KEYS(th, *pd) != ko) goto restart;
                    dk = R(th, ko, DictKeys);
                    if (dk->entries[ix].key != sk) goto restart;
                    if (eq) { if (slot) *slot = (int64_t)i; return ix; }
                }
            }
        }
        perturb >>= 5;
        i = (i * 5 + perturb + 1) & mask;
    }
}

/* Either representation: 1 found (*value), 0 missing, -1 error.  pd, pk: root slots. */
static int dict_find(Thread *th, Value *pd, Value *pk, int64_t hash, Value *value) {
    if (SHARED(th, *pd)) {
        Value *pm = ROOT(th, SHARED(th, *pd)), it;
        int r = smap_find(th, pm, pk, hash, &it);
        UNROOT(th, 1);
        if (r > 0) *value = R(th, it, SItem)->value;
        return r;
    }
    int64_t ix = dict_lookup(th, pd, pk, hash, NULL);
    if (ix == -2) return -1;
    if (ix == -1) return 0;
    *value = DK(th, *pd)->entries[ix].value;
    return 1;
}

/* Shared: insert or replace. */
static int dict_shared_set(Thread *th, Value *pd, Value *pk, Value *pv, int64_t hash) {
    Value *pm = ROOT(th, SHARED(th, *pd)), it;
    int r = smap_find(th, pm, pk, hash, &it);
    if (r > 0) { W(th, it, SItem)->value = *pv; r = 0; }
    else if (r == 0) r = smap_insert(th, pm, pk, pv, hash);
    UNROOT(th, 1);
    return r;
}

/* Shared: remove key; 1 removed (*old = its value if old), 0 missing, -1 error. */
static int dict_shared_del(Thread *th, Value *pd, Value *pk, int64_t hash, Value *old) {
    Value *pm = ROOT(th, SHARED(th, *pd)), *pi = ROOT(th, NULL);
    int r = smap_find(th, pm, pk, hash, pi);
    if (r > 0) {
        if (old) *old = R(th, *pi, SItem)->value;
        Value *po = ROOT(th, old ? *old : NULL);
        if (smap_remove(th, pm, pi) < 0) r = -1;
        if (old) *old = *po;
        UNROOT(th, 1);
    }
    UNROOT(th, 2);
    return r;
}

/* Insert or replace with a known hash.  pd, pk, pv: root slots. */
static int dict_set_hashed(Thread *th, Value *pd, Value *pk, Value *pv, int64_t hash) {
    int mode = dict_for_write(th, pd);
    if (mode < 0) return -1;
    if (mode) return dict_shared_set(th, pd, pk, pv, hash);
    int64_t slot;
    int64_t ix = dict_lookup(th, pd, pk, hash, &slot);
    if (ix == -2) return -1;
    if (ix >= 0) {
        W(th, KEYS(th, *pd), DictKeys)->entries[ix].value = *pv;
        return 0;
    }
    const DictKeys *dk = DK(th, *pd);
    if (!dk || dk->usable <= 0) {
        int64_t used = dk ? dk->used : 0;
        if (dict_resize(th, pd, log2_for(used * 3 < 8 ? 8 : used * 3)) < 0) return -1;
    }
    DictKeys *w = W(th, KEYS(th, *pd), DictKeys);
    int64_t n = w->nentries;
    ix_set(w, find_empty_slot(w, hash), n);
    w->entries[n].hash = hash;
    w->entries[n].key = *pk;
    w->entries[n].value = *pv;
    w->nentries = n + 1;
    w->usable--;
    w->used++;
    return 0;
}

/* Remove entry ix found at index slot `slot`. */
static void dict_del_entry(Thread *th, Value d, int64_t ix, int64_t slot) {
    DictKeys *w = W(th, KEYS(th, d), DictKeys);
    ix_set(w, slot, IX_DUMMY);
    w->entries[ix].key = NULL;
    w->entries[ix].value = NULL;
    w->used--;
}

/* ------------------------------------------------------------------------------------------ */
/* C API                                                                                      */

static Value dict_alloc(Thread *th, Value cls) {
    Value d = vm_alloc(th, T_DICT, sizeof(DictObj), 0, cls);
    if (d) ((DictObj *)stm_payload(d))->creator = th->id;
    return d;
}

Value vm_dict_new(Thread *th) { return dict_alloc(th, vm.t_dict); }
Value vm_dict_new_global(Thread *th) {
    Value d = dict_alloc(th, vm.t_dict);
    if (d) ((DictObj *)stm_payload(d))->creator = CREATOR_ANY;
    return d;
}

int vm_dict_get(Thread *th, Value d, Value key, Value *out) {
    int64_t hash;
    Value *pd = ROOT(th, d), *pk = ROOT(th, key);
    int r = -1;
    if (vm_hash(th, key, &hash) == 0) r = dict_find(th, pd, pk, hash, out);
    UNROOT(th, 2);
    return r;
}

int vm_dict_get_str(Thread *th, Value d, Value key, Value *out) {
    Value ko = KEYS(th, d);
    if (!ko) return 0;
    if (smap_is(ko)) return vm_dict_get(th, d, key, out);
    const DictKeys *dk = R(th, ko, DictKeys);
    int64_t hash = vm_str_hash(th, key);
    const StrObj *ks = STR(th, key);
    uint64_t mask = (uint64_t)dk_size(dk) - 1, perturb = (uint64_t)hash, i = (uint64_t)hash & mask;
    for (;;) {
        int64_t ix = ix_get(dk, (int64_t)i);
        if (ix == IX_EMPTY) return 0;
        if (ix >= 0) {
            const DictEntry *e = &dk->entries[ix];
            if (e->key == key) { *out = e->value; return 1; }
            if (e->hash == hash) {
                if (!IS_SMALL(e->key) && e->key->tid == T_STR) {
                    const StrObj *s = STR(th, e->key);
                    if (s->len == ks->len && memcmp(s->data, ks->data, (size_t)s->len) == 0) {
                        *out = e->value;
                        return 1;
                    }
                } else {
                    return vm_dict_get(th, d, key, out);   /* a non-str key with the same hash */
                }
            }
        }
        perturb >>= 5;
        i = (i * 5 + perturb + 1) & mask;
    }
}

int vm_dict_set(Thread *th, Value d, Value key, Value v) {
    int64_t hash;
    Value *pd = ROOT(th, d), *pk = ROOT(th, key), *pv = ROOT(th, v);
    int r = vm_hash(th, key, &hash) < 0 ? -1 : dict_set_hashed(th, pd, pk, pv, hash);
    UNROOT(th, 3);
    return r;
}

int vm_dict_del(Thread *th, Value d, Value key) {
    int64_t hash, slot;
    Value *pd = ROOT(th, d), *pk = ROOT(th, key);
    int r = -1;
    if (vm_hash(th, key, &hash) == 0) {
        int mode = dict_for_write(th, pd);
        if (mode > 0) r = dict_shared_del(th, pd, pk, hash, NULL);
        else if (mode == 0) {
            int64_t ix = dict_lookup(th, pd, pk, hash, &slot);
            if (ix >= 0) { dict_del_entry(th, *pd, ix, slot); r = 1; }
            else r = ix == -1 ? 0 : -1;
        }
    }
    UNROOT(th, 2);
    return r;
}

int64_t vm_dict_len(Thread *th, Value d) {
    Value ko = KEYS(th, d);
    if (!ko) return 0;
    if (smap_is(ko)) return smap_len(th, ko);
    return R(th, ko, DictKeys)->used;
}

int vm_dict_next(Thread *th, Value d, int64_t *pos, Value *key, Value *value) {
    Value m = SHARED(th, d), it;
    if (m) {
        if (!smap_next(th, m, pos, &it)) return 0;
        const SItem *s = R(th, it, SItem);
        if (key) *key = s->key;
        if (value) *value = s->value;
        return 1;
    }
    const DictKeys *dk = DK(th, d);
    if (!dk) return 0;
    for (int64_t i = *pos; i < dk->nentries; i++) {
        const DictEntry *e = &dk->entries[i];
        if (!e->key) continue;
        *pos = i + 1;
        if (key) *key = e->key;
        if (value) *value = e->value;
        return 1;
    }
    *pos = dk->nentries;
    return 0;
}

/* entry i's hash too (for merges) */
static int dict_next_hashed(Thread *th, Value d, int64_t *pos, Value *key, Value *value, int64_t *hash) {
    Value m = SHARED(th, d), it;
    if (m) {
        if (!smap_next(th, m, pos, &it)) return 0;
        const SItem *s = R(th, it, SItem);
        *key = s->key; *value = s->value; *hash = s->hash;
        return 1;
    }
    const DictKeys *dk = DK(th, d);
    if (!dk) return 0;
    for (int64_t i = *pos; i < dk->nentries; i++) {
        const DictEntry *e = &dk->entries[i];
        if (!e->key) continue;
        *pos = i + 1;
        *key = e->key; *value = e->value; *hash = e->hash;
        return 1;
    }
    return 0;
}

static Value s_keys, s_missing;

/* Merge another dict (override existing keys unless `override` is false). */
static int dict_merge_dict(Thread *th, Value *pd, Value other, bool override) {
    Value *po = ROOT(th, other), *pk = ROOT(th, NULL), *pv = ROOT(th, NULL);
    int64_t pos = 0, hash;
    int r = 0;
    if (*po == *pd) goto done;
    Value k, v;
    while (dict_next_hashed(th, *po, &pos, &k, &v, &hash)) {
        *pk = k; *pv = v;
        if (!override) {
            Value old;
            int f = dict_find(th, pd, pk, hash, &old);
            if (f < 0) { r = -1; break; }
            if (f) continue;
        }
        if (dict_set_hashed(th, pd, pk, pv, hash) < 0) { r = -1; break; }
    }
done:
    UNROOT(th, 3);
    return r;
}

/* d.update(mapping) via keys() and __getitem__ */
static int dict_merge_mapping(Thread *th, Value *pd, Value other) {
    Value *po = ROOT(th, other);
    int r = -1;
    Value keys = vm_call_method(th, other, "keys", NULL, 0);
    if (!keys) goto out;
    Value *pit = ROOT(th, vm_iter(th, keys));
    if (!*pit) goto out1;
    for (;;) {
        Value k = vm_next(th, *pit);
        if (!k) { if (!*th->exc) r = 0; break; }
        Value *pk = ROOT(th, k);
        Value v = vm_getitem(th, *po, k);
        int e = v ? vm_dict_set(th, *pd, *pk, v) : -1;
        UNROOT(th, 1);
        if (e < 0) break;
    }
out1:
    UNROOT(th, 1);
out:
    UNROOT(th, 1);
    return r;
}

/* d.update(iterable of pairs) */
static int dict_merge_pairs(Thread *th, Value *pd, Value seq) {
    Value *pit = ROOT(th, vm_iter(th, seq));
    int r = -1;
    if (!*pit) goto out;
    for (int64_t i = 0;; i++) {
        Value item = vm_next(th, *pit);
        if (!item) { if (!*th->exc) r = 0; break; }
        Value *pi = ROOT(th, item);
        uint16_t t = vm_tid(item);
        if (t != T_TUPLE && t != T_LIST) {
            if (!vm_lookup_special(th, item, "__iter__") && !vm_lookup_special(th, item, "__getitem__")) {
                vm_raise(th, vm.e_TypeError,
                         "cannot convert dictionary update sequence element #%lld to a sequence",
                         (long long)i);
                UNROOT(th, 1);
                break;
            }
            *pi = vm_sequence_tuple(th, item);
            if (!*pi) { UNROOT(th, 1); break; }
        }
        int64_t n = vm_tid(*pi) == T_TUPLE ? TUP(th, *pi)->n : vm_list_len(th, *pi);
        if (n != 2) {
            vm_raise(th, vm.e_ValueError,
                     "dictionary update sequence element #%lld has length %lld; 2 is required",
                     (long long)i, (long long)n);
            UNROOT(th, 1);
            break;
        }
        Value k = vm_tid(*pi) == T_TUPLE ? TUP(th, *pi)->items[0] : vm_list_get(th, *pi, 0);
        Value v = vm_tid(*pi) == T_TUPLE ? TUP(th, *pi)->items[1] : vm_list_get(th, *pi, 1);
        int e = vm_dict_set(th, *pd, k, v);
        UNROOT(th, 1);
        if (e < 0) break;
    }
out:
    UNROOT(th, 1);
    return r;
}

/* A dict whose iteration is the plain one (exact dict, or a subclass not overriding keys). */
static bool plain_dict(Thread *th, Value v) {
    if (vm_tid(v) != T_DICT) return false;
    Value cls = vm_type_of(th, v);
    if (cls == vm.t_dict) return true;
    Value k = vm_lookup_type(th, cls, s_keys);
    return k == vm_lookup_type(th, vm.t_dict, s_keys);
}

static int dict_update_arg(Thread *th, Value *pd, Value other) {
    if (plain_dict(th, other)) return dict_merge_dict(th, pd, other, true);
    Value *po = ROOT(th, other);
    Value k = vm_getattr_opt(th, other, s_keys);
    int r;
    if (k) r = dict_merge_mapping(th, pd, *po);
    else r = *th->exc ? -1 : dict_merge_pairs(th, pd, *po);
    UNROOT(th, 1);
    return r;
}

int vm_dict_update(Thread *th, Value d, Value other) {
    Value *pd = ROOT(th, d);
    int r = dict_update_arg(th, pd, other);
    UNROOT(th, 1);
    return r;
}

/* ------------------------------------------------------------------------------------------ */
/* Methods                                                                                    */

#define DSELF(name) \
    if (ctr_self(th, args[0], T_DICT, name, "dict") < 0) return NULL

static Value dict_new_m(Thread *th, Value *args, int nargs, Value kwnames) {
    return dict_alloc(th, args[0]);
}

/* update(self, [other], **kw) shared by __init__ and update */
static Value dict_update_common(Thread *th, Value *args, int nargs, Value kwnames, const char *name) {
    if (nargs > 2)
        return vm_raise(th, vm.e_TypeError, "%s expected at most 1 argument, got %d", name, nargs - 1);
    if (nargs == 2 && dict_update_arg(th, &args[0], args[1]) < 0) return NULL;
    int64_t nkw = ctr_nkw(th, kwnames);
    Value *pkw = ROOT(th, kwnames);     /* a young tuple moves at vm_dict_set's allocations */
    for (int64_t i = 0; i < nkw; i++)
        if (vm_dict_set(th, args[0], TUP(th, *pkw)->items[i], args[nargs + i]) < 0) { UNROOT(th, 1); return NULL; }
    UNROOT(th, 1);
    return vm.None;
}

static Value dict_init_m(Thread *th, Value *args, int nargs, Value kwnames) {
    DSELF("__init__");
    return dict_update_common(th, args, nargs, kwnames, "dict");
}

static Value dict_update_m(Thread *th, Value *args, int nargs, Value kwnames) {
    DSELF("update");
    return dict_update_common(th, args, nargs, kwnames, "update");
}

static Value dict_len_m(Thread *th, Value *args, int nargs, Value kwnames) {
    DSELF("__len__");
    if (ctr_noargs(th, "dict.__len__", nargs - 1, kwnames) < 0) return NULL;
    return MK_SMALL(vm_dict_len(th, args[0]));
}

static Value dict_getitem_m(Thread *th, Value *args, int nargs, Value kwnames) {
    DSELF("__getitem__");
    if (ctr_onearg(th, "dict.__getitem__", nargs - 1, kwnames) < 0) return NULL;
    Value v;
    int r = vm_dict_get(th, args[0], args[1], &v);
    if (r < 0) return NULL;
    if (r) return v;
    Value cls = vm_type_of(th, args[0]);
    if (cls != vm.t_dict) {
        Value m = vm_lookup_type(th, cls, s_missing);
        if (m) return vm_call2(th, m, args[0], args[1]);
    }
    return vm_raise_value(th, vm.e_KeyError, args[1]);
}

static Value dict_setitem_m(Thread *th, Value *args, int nargs, Value kwnames) {
    DSELF("__setitem__");
    if (ctr_posargs(th, "dict.__setitem__", nargs - 1, kwnames, 2, 2) < 0) return NULL;
    return vm_dict_set(th, args[0], args[1], args[2]) < 0 ? NULL : vm.None;
}

static Value dict_delitem_m(Thread *th, Value *args, int nargs, Value kwnames) {
    DSELF("__delitem__");
    if (ctr_onearg(th, "dict.__delitem__", nargs - 1, kwnames) < 0) return NULL;
    int r = vm_dict_del(th, args[0], args[1]);
    if (r < 0) return NULL;
    if (r == 0) return vm_raise_value(th, vm.e_KeyError, args[1]);
    return vm.None;
}

static Value dict_contains_m(Thread *th, Value *args, int nargs, Value kwnames) {
    DSELF("__contains__");
    if (ctr_onearg(th, "dict.__contains__", nargs - 1, kwnames) < 0) return NULL;
    Value v;
    int r = vm_dict_get(th, args[0], args[1], &v);
    return r < 0 ? NULL : r ? vm.True : vm.False;
}

static Value dict_get_m(Thread *th, Value *args, int nargs, Value kwnames) {
    DSELF("get");
    if (ctr_posargs(th, "dict.get", nargs - 1, kwnames, 1, 2) < 0) return NULL;
    Value v;
    int r = vm_dict_get(th, args[0], args[1], &v);
    if (r < 0) return NULL;
    return r ? v : nargs > 2 ? args[2] : vm.None;
}

static Value dict_setdefault_m(Thread *th, Value *args, int nargs, Value kwnames) {
    DSELF("setdefault");
    if (ctr_posargs(th, "dict.setdefault", nargs - 1, kwnames, 1, 2) < 0) return NULL;
    int64_t hash;
    if (vm_hash(th, args[1], &hash) < 0) return NULL;
    Value old;
    int f = dict_find(th, &args[0], &args[1], hash, &old);
    if (f < 0) return NULL;
    if (f) return old;
    Value *pv = ROOT(th, nargs > 2 ? args[2] : vm.None);
    int r = dict_set_hashed(th, &args[0], &args[1], pv, hash);
    Value v = *pv;
    UNROOT(th, 1);
    return r < 0 ? NULL : v;
}

static Value dict_pop_m(Thread *th, Value *args, int nargs, Value kwnames) {
    DSELF("pop");
    if (ctr_posargs(th, "dict.pop", nargs - 1, kwnames, 1, 2) < 0) return NULL;
    int64_t hash, slot;
    if (vm_hash(th, args[1], &hash) < 0) return NULL;
    int mode = dict_for_write(th, &args[0]);
    if (mode < 0) return NULL;
    if (mode) {
        Value old;
        int r = dict_shared_del(th, &args[0], &args[1], hash, &old);
        if (r < 0) return NULL;
        if (r) return old;
        if (nargs > 2) return args[2];
        return vm_raise_value(th, vm.e_KeyError, args[1]);
    }
    int64_t ix = dict_lookup(th, &args[0], &args[1], hash, &slot);
    if (ix == -2) return NULL;
    if (ix == -1) {
        if (nargs > 2) return args[2];
        return vm_raise_value(th, vm.e_KeyError, args[1]);
    }
    Value v = DK(th, args[0])->entries[ix].value;
    dict_del_entry(th, args[0], ix, slot);
    return v;
}

static Value dict_popitem_m(Thread *th, Value *args, int nargs, Value kwnames) {
    DSELF("popitem");
    if (ctr_noargs(th, "dict.popitem", nargs - 1, kwnames) < 0) return NULL;
    int mode = dict_for_write(th, &args[0]);
    if (mode < 0) return NULL;
    if (mode) {                 /* LIFO: the last item in order */
        Value *pm = ROOT(th, SHARED(th, args[0]));
        Value *pi = ROOT(th, smap_end(th, *pm, true)), res = NULL;
        if (!*pi) {
            Value msg = vm_str_cstr(th, "popitem(): dictionary is empty");
            if (msg) vm_raise_value(th, vm.e_KeyError, msg);
        } else {
            const SItem *s = R(th, *pi, SItem);
            Value *pr = ROOT(th, vm_tuple_pack(th, 2, s->key, s->value));
            if (*pr && smap_remove(th, pm, pi) == 0) res = *pr;
            UNROOT(th, 1);
        }
        UNROOT(th, 2);
        return res;
    }
    const DictKeys *dk = DK(th, args[0]);
    if (!dk || dk->used == 0) {
        Value msg = vm_str_cstr(th, "popitem(): dictionary is empty");
        return msg ? vm_raise_value(th, vm.e_KeyError, msg) : NULL;
    }
    int64_t i = dk->nentries - 1;
    while (!dk->entries[i].key) i--;
    Value res = vm_tuple_pack(th, 2, dk->entries[i].key, dk->entries[i].value);
    if (!res) return NULL;
    DictKeys *w = W(th, KEYS(th, args[0]), DictKeys);
    /* find its index slot */
    uint64_t mask = (uint64_t)dk_size(w) - 1, hash = (uint64_t)w->entries[i].hash,
             perturb = hash, j = hash & mask;
    while (ix_get(w, (int64_t)j) != i) { perturb >>= 5; j = (j * 5 + perturb + 1) & mask; }
    ix_set(w, (int64_t)j, IX_DUMMY);
    w->entries[i].key = NULL;
    w->entries[i].value = NULL;
    w->used--;
    w->nentries = i;
    return res;
}

static Value dict_clear_m(Thread *th, Value *args, int nargs, Value kwnames) {
    DSELF("clear");
    if (ctr_noargs(th, "dict.clear", nargs - 1, kwnames) < 0) return NULL;
    if (SHARED(th, args[0])) {  /* stays shared: a fresh empty map */
        Value m = smap_new(th);
        if (!m) return NULL;
        W(th, args[0], DictObj)->keys = m;
    } else if (KEYS(th, args[0])) {
        W(th, args[0], DictObj)->keys = NULL;
    }
    return vm.None;
}

static Value dict_copy_of(Thread *th, Value d) {
    Value *pd = ROOT(th, d);
    Value *pn = ROOT(th, vm_dict_new(th));
    Value res = NULL;
    if (*pn) {
        const DictKeys *dk = SHARED(th, *pd) ? NULL : DK(th, *pd);
        if (SHARED(th, *pd)) {
            if (dict_merge_dict(th, pn, *pd, true) == 0) res = *pn;
        } else if (!dk || dict_resize(th, pn, dk->log2size) == 0) {
            /* resize of an empty dict made empty storage: merge into it */
            if (!dk || dict_merge_dict(th, pn, *pd, true) == 0) res = *pn;
        }
    }
    UNROOT(th, 2);
    return res;
}

static Value dict_copy_m(Thread *th, Value *args, int nargs, Value kwnames) {
    DSELF("copy");
    if (ctr_noargs(th, "dict.copy", nargs - 1, kwnames) < 0) return NULL;
    return dict_copy_of(th, args[0]);
}

static Value dict_fromkeys_m(Thread *th, Value *args, int nargs, Value kwnames) {
    /* args[0] is the class */
    if (ctr_posargs(th, "dict.fromkeys", nargs - 1, kwnames, 1, 2) < 0) return NULL;
    Value *pd = ROOT(th, vm_call0(th, args[0]));
    Value *pv = ROOT(th, nargs > 2 ? args[2] : vm.None);
    Value res = NULL;
    if (!*pd) goto done;
    bool exact = vm_tid(*pd) == T_DICT && vm_type_of(th, *pd) == vm.t_dict;
    Value *pit = ROOT(th, vm_iter(th, args[1]));
    if (!*pit) { UNROOT(th, 1); goto done; }
    for (;;) {
        Value k = vm_next(th, *pit);
        if (!k) { if (!*th->exc) res = *pd; break; }
        int r = exact ? vm_dict_set(th, *pd, k, *pv) : vm_setitem(th, *pd, k, *pv);
        if (r < 0) break;
    }
    UNROOT(th, 1);
done:
    UNROOT(th, 2);
    return res;
}

static int dict_equal(Thread *th, Value a, Value b) {
    if (vm_dict_len(th, a) != vm_dict_len(th, b)) return 0;
    Value *pa = ROOT(th, a), *pb = ROOT(th, b), *pk = ROOT(th, NULL), *pv = ROOT(th, NULL);
    int64_t pos = 0, hash;
    int r = 1;
    Value k, v;
    while (dict_next_hashed(th, *pa, &pos, &k, &v, &hash)) {
        *pk = k; *pv = v;
        Value bv;
        int f = dict_find(th, pb, pk, hash, &bv);
        if (f <= 0) { r = f; break; }
        int eq = bv == *pv ? 1 : vm_eq(th, *pv, bv);
        if (eq <= 0) { r = eq; break; }
    }
    UNROOT(th, 4);
    return r;
}

static Value dict_eq_m(Thread *th, Value *args, int nargs, Value kwnames) {
    DSELF("__eq__");
    if (ctr_onearg(th, "dict.__eq__", nargs - 1, kwnames) < 0) return NULL;
    if (vm_tid(args[1]) != T_DICT) return vm.NotImplemented;
    int r = dict_equal(th, args[0], args[1]);
    return r < 0 ? NULL : r ? vm.True : vm.False;
}

static Value dict_ne_m(Thread *th, Value *args, int nargs, Value kwnames) {
    DSELF("__ne__");
    if (ctr_onearg(th, "dict.__ne__", nargs - 1, kwnames) < 0) return NULL;
    if (vm_tid(args[1]) != T_DICT) return vm.NotImplemented;
    int r = dict_equal(th, args[0], args[1]);
    return r < 0 ? NULL : r ? vm.False : vm.True;
}

static Value dict_repr_m(Thread *th, Value *args, int nargs, Value kwnames) {
    DSELF("__repr__");
    if (vm_dict_len(th, args[0]) == 0) return vm_str_cstr(th, "{}");
    int rec = vm_repr_enter(th, args[0]);
    if (rec) return rec < 0 ? NULL : vm_str_cstr(th, "{...}");
    Value *parts = ROOT(th, vm_list_new(th, 0)), *pv = ROOT(th, NULL), *pk = ROOT(th, NULL);
    Value res = NULL;
    if (!*parts) goto done;
    int64_t pos = 0;
    Value k, v;
    while (vm_dict_next(th, args[0], &pos, &k, &v)) {
        *pv = v;
        Value kr = vm_repr(th, k);
        if (!kr) goto done;
        *pk = ctr_concat3(th, "", kr, ": ");
        Value vr = *pk ? vm_repr(th, *pv) : NULL;
        if (!vr) goto done;
        Value *pvr = ROOT(th, vr);
        Value item = vm_str_concat(th, *pk, *pvr);
        UNROOT(th, 1);
        if (!item || vm_list_append(th, *parts, item) < 0) goto done;
    }
    res = ctr_join(th, "{", *parts, ", ", "}");
done:
    vm_repr_leave(th, args[0]);
    UNROOT(th, 3);
    return res;
}

static Value dict_or_m(Thread *th, Value *args, int nargs, Value kwnames) {
    DSELF("__or__");
    if (ctr_onearg(th, "dict.__or__", nargs - 1, kwnames) < 0) return NULL;
    if (vm_tid(args[1]) != T_DICT) return vm.NotImplemented;
    Value *pn = ROOT(th, dict_copy_of(th, args[0]));
    Value res = (*pn && dict_update_arg(th, pn, args[1]) == 0) ? *pn : NULL;
    UNROOT(th, 1);
    return res;
}

static Value dict_ror_m(Thread *th, Value *args, int nargs, Value kwnames) {
    DSELF("__ror__");
    if (ctr_onearg(th, "dict.__ror__", nargs - 1, kwnames) < 0) return NULL;
    if (vm_tid(args[1]) != T_DICT) return vm.NotImplemented;
    Value *pn = ROOT(th, dict_copy_of(th, args[1]));
    Value res = (*pn && dict_update_arg(th, pn, args[0]) == 0) ? *pn : NULL;
    UNROOT(th, 1);
    return res;
}

static Value dict_ior_m(Thread *th, Value *args, int nargs, Value kwnames) {
    DSELF("__ior__");
    if (ctr_onearg(th, "dict.__ior__", nargs - 1, kwnames) < 0) return NULL;
    return dict_update_arg(th, &args[0], args[1]) < 0 ? NULL : args[0];
}

/* ------------------------------------------------------------------------------------------ */
/* Iterators: a = dict, i = entry position, n = size at start, b = remaining (tagged),
   flags: 0 keys, 1 values, 2 items; | 4 reversed.
   Over a shared dict (flags | 8): b = a snapshot tuple (obj_smap.c: slot 0 holds the size at
   start, then the items in order), i = index in it, n = remaining (CPython's di_len);
   | 16 once the size changed (the error sticks, as in CPython).  Items removed since the
   snapshot are skipped (their dead flag); a forward iterator that runs off the snapshot takes
   a new one of the items inserted after it, so it sees what CPython's would (new entries are
   appended), "keys changed" included.                                                       */

#define IT_SHARED 8
#define IT_BROKEN 16

static int dict_iter_kind, dict_view_kind;

static Value dict_iter_yield(Thread *th, Value k, Value v, int what) {
    if (what == 0) return k;
    if (what == 1) return v;
    return vm_tuple_pack(th, 2, k, v);
}

/* A snapshot of shared d for an iterator (items after *pafter if set), slot 0 = orig. */
static Value dict_iter_snapshot(Thread *th, Value d, Value *pafter, int64_t orig) {
    Value *pm = ROOT(th, SHARED(th, d));
    Value sn = smap_snapshot(th, pm, pafter, 1);
    UNROOT(th, 1);
    if (sn) ((TupleObj *)stm_payload(sn))->items[0] = MK_SMALL(orig);   /* private: fill now */
    return sn;
}

static Value dict_iter_next_shared(Thread *th, Value it) {
    const IterObj *io = R(th, it, IterObj);
    Value d = io->a;
    if (!d) return NULL;
    int64_t orig = SMALL_VAL(TUP(th, io->b)->items[0]);
    if ((io->flags & IT_BROKEN) || orig != vm_dict_len(th, d)) {
        W(th, it, IterObj)->flags |= IT_BROKEN;
        return vm_raise(th, vm.e_RuntimeError, "dictionary changed size during iteration");
    }
    bool rev = io->flags & 4;
    int64_t i = io->i;
    for (;;) {
        const TupleObj *sn = TUP(th, R(th, it, IterObj)->b);
        while (rev ? i >= 1 : i < sn->n) {
            if (!R(th, sn->items[i], SItem)->dead) goto found;
            i += rev ? -1 : 1;
        }
        if (rev || !SHARED(th, d)) { W(th, it, IterObj)->a = NULL; return NULL; }
        /* ran off the snapshot: items inserted after its last one come next */
        Value *pit = ROOT(th, it), *pl = ROOT(th, sn->n > 1 ? sn->items[sn->n - 1] : NULL);
        Value ns = dict_iter_snapshot(th, d, *pl ? pl : NULL, orig);
        it = *pit;
        d = R(th, it, IterObj)->a;
        UNROOT(th, 2);
        if (!ns) return NULL;
        if (TUP(th, ns)->n == 1) { W(th, it, IterObj)->a = NULL; return NULL; }
        W(th, it, IterObj)->b = ns;
        i = 1;
    }
found:;
    io = R(th, it, IterObj);
    if (io->n == 0) {
        W(th, it, IterObj)->a = NULL;
        return vm_raise(th, vm.e_RuntimeError, "dictionary keys changed during iteration");
    }
    const SItem *s = R(th, TUP(th, io->b)->items[i], SItem);
    Value k = s->key, v = s->value;
    IterObj *w = W(th, it, IterObj);
    w->i = rev ? i - 1 : i + 1;
    w->n--;
    return dict_iter_yield(th, k, v, w->flags & 3);
}

/* A compact-dict iterator whose dict turned shared (another thread's mutation converted it):
   continue over a snapshot, past the items already yielded. */
static Value dict_iter_to_shared(Thread *th, Value it) {
    Value *pit = ROOT(th, it);
    const IterObj *io = R(th, it, IterObj);
    int64_t orig = io->n, left = SMALL_VAL(io->b);
    Value sn = dict_iter_snapshot(th, io->a, NULL, orig);
    it = *pit;
    UNROOT(th, 1);
    if (!sn) return NULL;
    IterObj *w = W(th, it, IterObj);
    int64_t count = TUP(th, sn)->n - 1, done = orig - left;
    w->b = sn;
    w->i = (w->flags & 4) ? count - done : 1 + done;
    w->n = left;
    w->flags |= IT_SHARED;
    return dict_iter_next_shared(th, it);
}

static Value dict_iter_next(Thread *th, Value it) {
    const IterObj *io = R(th, it, IterObj);
    Value d = io->a;
    if (!d) return NULL;
    if (io->flags & IT_SHARED) return dict_iter_next_shared(th, it);
    if (SHARED(th, d)) {
        if (io->n == -1) return vm_raise(th, vm.e_RuntimeError, "dictionary changed size during iteration");
        return dict_iter_to_shared(th, it);
    }
    if (io->n != vm_dict_len(th, d)) {
        W(th, it, IterObj)->n = -1;
        return vm_raise(th, vm.e_RuntimeError, "dictionary changed size during iteration");
    }
    const DictKeys *dk = DK(th, d);
    int64_t i = io->i;
    bool rev = io->flags & 4;
    if (dk) {
        if (rev) { if (i >= dk->nentries) i = dk->nentries - 1; while (i >= 0 && !dk->entries[i].key) i--; }
        else while (i < dk->nentries && !dk->entries[i].key) i++;
    }
    if (!dk || i < 0 || i >= dk->nentries) { W(th, it, IterObj)->a = NULL; return NULL; }
    if (SMALL_VAL(io->b) == 0) {
        W(th, it, IterObj)->a = NULL;
        return vm_raise(th, vm.e_RuntimeError, "dictionary keys changed during iteration");
    }
    Value k = dk->entries[i].key, v = dk->entries[i].value;
    int what = io->flags & 3;
    IterObj *w = W(th, it, IterObj);
    w->i = rev ? i - 1 : i + 1;
    w->b = MK_SMALL(SMALL_VAL(w->b) - 1);
    if (what == 0) return k;
    if (what == 1) return v;
    return vm_tuple_pack(th, 2, k, v);
}

static Value dict_iter_make(Thread *th, Value d, int what, bool rev) {
    int64_t n = vm_dict_len(th, d);
    if (SHARED(th, d)) {
        Value *pd = ROOT(th, d);
        Value sn = dict_iter_snapshot(th, d, NULL, n);
        Value it = sn ? vm_iter_new(th, dict_iter_kind, *pd, sn, rev ? TUP(th, sn)->n - 1 : 1, n) : NULL;
        if (it) W(th, it, IterObj)->flags = what | (rev ? 4 : 0) | IT_SHARED;
        UNROOT(th, 1);
        return it;
    }
    const DictKeys *dk = DK(th, d);
    int64_t start = rev ? (dk ? dk->nentries - 1 : -1) : 0;
    Value it = vm_iter_new(th, dict_iter_kind, d, MK_SMALL(n), start, n);
    if (it) W(th, it, IterObj)->flags = what | (rev ? 4 : 0);
    return it;
}

static Value dict_iter_m(Thread *th, Value *args, int nargs, Value kwnames) {
    DSELF("__iter__");
    return dict_iter_make(th, args[0], 0, false);
}
static Value dict_reversed_m(Thread *th, Value *args, int nargs, Value kwnames) {
    DSELF("__reversed__");
    return dict_iter_make(th, args[0], 0, true);
}

/* Views: T_ITER with class dict_keys/dict_values/dict_items, a = dict, flags = what. */
static Value view_never_next(Thread *th, Value it) {
    return vm_raise(th, vm.e_TypeError, "'%s' object is not an iterator", vm_type_name(th, it));
}

static Value view_make(Thread *th, Value d, int what) {
    Value v = vm_iter_new(th, dict_view_kind, d, NULL, 0, 0);
    if (!v) return NULL;
    IterObj *w = W(th, v, IterObj);
    w->flags = what;
    w->h.cls = what == 0 ? vm.t_dict_keys : what == 1 ? vm.t_dict_values : vm.t_dict_items;
    return v;
}

static Value dict_keys_m(Thread *th, Value *args, int nargs, Value kwnames) {
    DSELF("keys");
    if (ctr_noargs(th, "dict.keys", nargs - 1, kwnames) < 0) return NULL;
    return view_make(th, args[0], 0);
}
static Value dict_values_m(Thread *th, Value *args, int nargs, Value kwnames) {
    DSELF("values");
    if (ctr_noargs(th, "dict.values", nargs - 1, kwnames) < 0) return NULL;
    return view_make(th, args[0], 1);
}
static Value dict_items_m(Thread *th, Value *args, int nargs, Value kwnames) {
    DSELF("items");
    if (ctr_noargs(th, "dict.items", nargs - 1, kwnames) < 0) return NULL;
    return view_make(th, args[0], 2);
}

static bool is_view(Thread *th, Value v) {
    if (IS_SMALL(v) || v->tid != T_ITER) return false;
    Value c = vm_type_of(th, v);
    return c == vm.t_dict_keys || c == vm.t_dict_values || c == vm.t_dict_items;
}
static inline Value VDICT(Thread *th, Value v) { return R(th, v, IterObj)->a; }
static inline int VWHAT(Thread *th, Value v) { return R(th, v, IterObj)->flags & 3; }

#define VSELF(name)                                                                         \
    if (!is_view(th, args[0]))                                                              \
        return vm_raise(th, vm.e_TypeError, "descriptor '%s' requires a dict view", name)

static Value view_len_m(Thread *th, Value *args, int nargs, Value kwnames) {
    VSELF("__len__");
    return MK_SMALL(vm_dict_len(th, VDICT(th, args[0])));
}
static Value view_iter_m(Thread *th, Value *args, int nargs, Value kwnames) {
    VSELF("__iter__");
    return dict_iter_make(th, VDICT(th, args[0]), VWHAT(th, args[0]), false);
}
static Value view_reversed_m(Thread *th, Value *args, int nargs, Value kwnames) {
    VSELF("__reversed__");
    return dict_iter_make(th, VDICT(th, args[0]), VWHAT(th, args[0]), true);
}

/* x in view: 1/0/-1 */
static int view_contains(Thread *th, Value view, Value x) {
    int what = VWHAT(th, view);
    Value d = VDICT(th, view);
    if (what == 0) { Value v; return vm_dict_get(th, d, x, &v); }
    if (what == 1) {
        Value *pd = ROOT(th, d), *px = ROOT(th, x);
        int64_t pos = 0;
        Value k, v;
        int r = 0;
        while (vm_dict_next(th, *pd, &pos, &k, &v)) {
            r = v == *px ? 1 : vm_eq(th, v, *px);
            if (r != 0) break;
        }
        UNROOT(th, 2);
        return r;
    }
    if (vm_tid(x) != T_TUPLE || TUP(th, x)->n != 2) return 0;
    Value *px = ROOT(th, x);
    Value v;
    int r = vm_dict_get(th, d, TUP(th, x)->items[0], &v);
    if (r > 0) r = v == TUP(th, *px)->items[1] ? 1 : vm_eq(th, v, TUP(th, *px)->items[1]);
    UNROOT(th, 1);
    return r;
}

static Value view_contains_m(Thread *th, Value *args, int nargs, Value kwnames) {
    VSELF("__contains__");
    if (ctr_onearg(th, "__contains__", nargs - 1, kwnames) < 0) return NULL;
    int r = view_contains(th, args[0], args[1]);
    return r < 0 ? NULL : r ? vm.True : vm.False;
}

static Value view_repr_m(Thread *th, Value *args, int nargs, Value kwnames) {
    VSELF("__repr__");
    int rec = vm_repr_enter(th, args[0]);
    if (rec) return rec < 0 ? NULL : vm_str_cstr(th, "...");
    Value res = NULL;
    Value *pl = ROOT(th, vm_sequence_list(th, args[0]));
    if (*pl) {
        Value r = vm_repr(th, *pl);
        if (r) {
            const char *name = vm_type_name(th, args[0]);
            char open[64];
            snprintf(open, sizeof open, "%s(", name);
            res = ctr_concat3(th, open, r, ")");
        }
    }
    UNROOT(th, 1);
    vm_repr_leave(th, args[0]);
    return res;
}

/* Set operations of keys and items views: set(left) OP= right */
static Value view_setop(Thread *th, Value left, Value right, const char *method) {
    Value *pr = ROOT(th, right);
    Value *ps = ROOT(th, vm_call1(th, vm.t_set, left));
    Value res = NULL;
    if (*ps) {
        Value r = vm_call_method(th, *ps, method, pr, 1);
        if (r) res = *ps;
    }
    UNROOT(th, 2);
    return res;
}

static bool setlike(Thread *th, Value v) {
    if (is_view(th, v)) return VWHAT(th, v) != 1;
    uint16_t t = vm_tid(v);
    return t == T_SET || t == T_FROZENSET;
}

#define VIEW_OP(fname, method, swap)                                                        \
    static Value fname(Thread *th, Value *args, int nargs, Value kwnames) {                 \
        VSELF(#fname);                                                                      \
        if (ctr_onearg(th, #fname, nargs - 1, kwnames) < 0) return NULL;                    \
        if (VWHAT(th, args[0]) == 1) return vm.NotImplemented;                              \
        if (vm_lookup_special(th, args[1], "__iter__") == NULL) return vm.NotImplemented;    \
        return swap ? view_setop(th, args[1], args[0], method)                              \
                    : view_setop(th, args[0], args[1], method);                             \
    }
VIEW_OP(view_and_m, "intersection_update", 0)
VIEW_OP(view_rand_m, "intersection_update", 1)
VIEW_OP(view_or_m, "update", 0)
VIEW_OP(view_ror_m, "update", 1)
VIEW_OP(view_sub_m, "difference_update", 0)
VIEW_OP(view_rsub_m, "difference_update", 1)
VIEW_OP(view_xor_m, "symmetric_difference_update", 0)
VIEW_OP(view_rxor_m, "symmetric_difference_update", 1)

static Value view_isdisjoint_m(Thread *th, Value *args, int nargs, Value kwnames) {
    VSELF("isdisjoint");
    if (ctr_onearg(th, "isdisjoint", nargs - 1, kwnames) < 0) return NULL;
    Value *pit = ROOT(th, vm_iter(th, args[1]));
    Value res = NULL;
    if (!*pit) goto done;
    for (;;) {
        Value x = vm_next(th, *pit);
        if (!x) { if (!*th->exc) res = vm.True; break; }
        int r = view_contains(th, args[0], x);
        if (r < 0) break;
        if (r) { res = vm.False; break; }
    }
done:
    UNROOT(th, 1);
    return res;
}

/* keys/items views compare like sets */
static Value view_cmp(Thread *th, Value *args, int nargs, int op) {
    VSELF("__eq__");
    if (VWHAT(th, args[0]) == 1 || !setlike(th, args[1])) return vm.NotImplemented;
    Value *pa = ROOT(th, vm_call1(th, vm.t_set, args[0]));
    Value res = NULL;
    if (*pa) {
        Value b = vm_call1(th, vm.t_set, args[1]);
        if (b) res = vm_compare(th, op, *pa, b);
    }
    UNROOT(th, 1);
    return res;
}
#define VIEW_CMP(fname, op) \
    static Value fname(Thread *th, Value *args, int nargs, Value kwnames) { return view_cmp(th, args, nargs, op); }
VIEW_CMP(view_eq_m, CMP_EQ)
VIEW_CMP(view_ne_m, CMP_NE)
VIEW_CMP(view_lt_m, CMP_LT)
VIEW_CMP(view_le_m, CMP_LE)
VIEW_CMP(view_gt_m, CMP_GT)
VIEW_CMP(view_ge_m, CMP_GE)

static const vm_method dict_methods[] = {
    {"__new__", dict_new_m, CF_STATIC},
    {"__init__", dict_init_m, CF_METHOD},
    {"__len__", dict_len_m, CF_METHOD},
    {"__getitem__", dict_getitem_m, CF_METHOD},
    {"__setitem__", dict_setitem_m, CF_METHOD},
    {"__delitem__", dict_delitem_m, CF_METHOD},
    {"__contains__", dict_contains_m, CF_METHOD},
    {"__iter__", dict_iter_m, CF_METHOD},
    {"__reversed__", dict_reversed_m, CF_METHOD},
    {"__eq__", dict_eq_m, CF_METHOD},
    {"__ne__", dict_ne_m, CF_METHOD},
    {"__repr__", dict_repr_m, CF_METHOD},
    {"__or__", dict_or_m, CF_METHOD},
    {"__ror__", dict_ror_m, CF_METHOD},
    {"__ior__", dict_ior_m, CF_METHOD},
    {"get", dict_get_m, CF_METHOD},
    {"setdefault", dict_setdefault_m, CF_METHOD},
    {"pop", dict_pop_m, CF_METHOD},
    {"popitem", dict_popitem_m, CF_METHOD},
    {"keys", dict_keys_m, CF_METHOD},
    {"values", dict_values_m, CF_METHOD},
    {"items", dict_items_m, CF_METHOD},
    {"update", dict_update_m, CF_METHOD},
    {"clear", dict_clear_m, CF_METHOD},
    {"copy", dict_copy_m, CF_METHOD},
    {"fromkeys", dict_fromkeys_m, CF_CLASSMETHOD},
    {NULL, NULL, 0}
};

static const vm_method view_methods[] = {
    {"__len__", view_len_m, CF_METHOD},
    {"__iter__", view_iter_m, CF_METHOD},
    {"__reversed__", view_reversed_m, CF_METHOD},
    {"__contains__", view_contains_m, CF_METHOD},
    {"__repr__", view_repr_m, CF_METHOD},
    {NULL, NULL, 0}
};

static const vm_method setview_methods[] = {
    {"__and__", view_and_m, CF_METHOD},
    {"__rand__", view_rand_m, CF_METHOD},
    {"__or__", view_or_m, CF_METHOD},
    {"__ror__", view_ror_m, CF_METHOD},
    {"__sub__", view_sub_m, CF_METHOD},
    {"__rsub__", view_rsub_m, CF_METHOD},
    {"__xor__", view_xor_m, CF_METHOD},
    {"__rxor__", view_rxor_m, CF_METHOD},
    {"__eq__", view_eq_m, CF_METHOD},
    {"__ne__", view_ne_m, CF_METHOD},
    {"__lt__", view_lt_m, CF_METHOD},
    {"__le__", view_le_m, CF_METHOD},
    {"__gt__", view_gt_m, CF_METHOD},
    {"__ge__", view_ge_m, CF_METHOD},
    {"isdisjoint", view_isdisjoint_m, CF_METHOD},
    {NULL, NULL, 0}
};

void obj_smap_init(Thread *th);

void obj_dict_init(Thread *th) {
    obj_smap_init(th);
    vm_tidinfo[T_DICT] = (vm_typeinfo){dict_size, dict_trace};
    vm_tidinfo[T_DICTKEYS] = (vm_typeinfo){dictkeys_size, dictkeys_trace};
    stm_add_global_root(&s_keys);
    stm_add_global_root(&s_missing);
    s_keys = vm_str_intern(th, "keys");
    s_missing = vm_str_intern(th, "__missing__");
    dict_iter_kind = vm_iter_kind(dict_iter_next, "dict_keyiterator");
    dict_view_kind = vm_iter_kind(view_never_next, "dict_view");
    vm_add_methods(th, vm.t_dict, dict_methods);
    ctr_set_unhashable(th, vm.t_dict);
    vm_add_methods(th, vm.t_dict_keys, view_methods);
    vm_add_methods(th, vm.t_dict_values, view_methods);
    vm_add_methods(th, vm.t_dict_items, view_methods);
    vm_add_methods(th, vm.t_dict_keys, setview_methods);
    vm_add_methods(th, vm.t_dict_items, setview_methods);
    ctr_set_unhashable(th, vm.t_dict_keys);
    ctr_set_unhashable(th, vm.t_dict_items);
}
