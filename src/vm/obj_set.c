/* obj_set.c — set (T_SET) and frozenset (T_FROZENSET, immutable once built) over an open-
   addressing table stored in a T_DICTKEYS object of kind 1.  The probing (linear probes +
   perturbation), resizing and the set algorithms follow CPython 3.11's setobject.c, so the
   iteration order matches CPython's for the same insertion sequence.  A set that several
   threads mutate switches to the shared per-key storage of obj_smap.c (rule S below). */
#include "vm.h"
#include "opcodes.h"
#include "smap.h"
#include <string.h>

/*
 * Shared sets.  Rule (as dicts, obj_dict.c D1): a set (never a frozenset, which is immutable)
 * converts to shared storage (SetObj.table holds a T_SMAP) when a thread other than its creator
 * mutates it; then add/discard/remove/`in` of different elements do not conflict.  Its order is
 * the order of insertion (obj_smap.c S3), not CPython's hash-table order: a documented
 * difference (docs/LANGUAGE.md); a compact set keeps CPython's exact order.  Per-key
 * operations (add, discard, contains, |=, -=, update, ...) work on the shared storage; the
 * whole-set ones read it in order through set_next_entry (smap_next); clear() installs an
 * empty map; &= / intersection_update install their (compact) result, like CPython swaps the
 * table, and the next mutation by another thread converts the set again.  Functions that look
 * inside a compact table (ST) are only reached with compact sets (callers check SHARED first).
 */

int vm_repr_enter(Thread *th, Value v);
void vm_repr_leave(Thread *th, Value v);

/* shared helpers (obj_tuple.c, obj_list.c) */
int64_t ctr_nkw(Thread *th, Value kwnames);
int ctr_nokw(Thread *th, const char *qname, Value kwnames);
int ctr_noargs(Thread *th, const char *qname, int nargs, Value kwnames);
int ctr_onearg(Thread *th, const char *qname, int nargs, Value kwnames);
Value ctr_join(Thread *th, const char *open, Value parts, const char *sep, const char *close);
void ctr_set_unhashable(Thread *th, Value type);
const char *ctr_type_name(Thread *th, Value cls);

typedef struct SetEntry { Value key; int64_t hash; } SetEntry;   /* empty: NULL/0, dummy: NULL/-1 */
typedef struct SetTable {
    ObjHead h;
    int32_t kind;              /* 1 (shares T_DICTKEYS with dict storage: same offset) */
    int32_t pad;
    int64_t mask, fill, used, finger;
    SetEntry table[];
} SetTable;
typedef struct SetObj {
    ObjHead h;
    Value table;               /* NULL: empty; T_DICTKEYS kind 1 (compact) or T_SMAP (shared) */
    _Atomic int64_t hash;      /* frozenset: cached hash (0: not yet); set: id of the thread
                                  that made it (the conversion rule) */
} SetObj;

#define MINSIZE 8
#define LINEAR_PROBES 9

size_t ctr_settable_size(const void *p) {
    return sizeof(SetTable) + (size_t)(((const SetTable *)p)->mask + 1) * sizeof(SetEntry);
}
void ctr_settable_trace(void *p, void (*visit)(stm_obj **, void *), void *ctx) {
    SetTable *t = p;
    visit(&t->h.cls, ctx);
    for (int64_t i = 0; i <= t->mask; i++) visit(&t->table[i].key, ctx);
}
static size_t set_size(const void *p) { (void)p; return sizeof(SetObj); }
static void set_trace(void *p, void (*visit)(stm_obj **, void *), void *ctx) {
    SetObj *s = p;
    visit(&s->h.cls, ctx);
    visit(&s->table, ctx);
}

static inline bool ANYSET(Value v) { uint16_t t = vm_tid(v); return t == T_SET || t == T_FROZENSET; }
static inline Value TBL(Thread *th, Value s) { return R(th, s, SetObj)->table; }
/* the shared map, or NULL when compact */
static inline Value SHARED(Thread *th, Value s) { Value t = TBL(th, s); return smap_is(t) ? t : NULL; }
/* compact table only */
static inline const SetTable *ST(Thread *th, Value s) {
    Value t = TBL(th, s);
    return t ? R(th, t, SetTable) : NULL;
}
static inline int64_t SLEN(Thread *th, Value s) {
    Value t = TBL(th, s);
    if (!t) return 0;
    return smap_is(t) ? smap_len(th, t) : R(th, t, SetTable)->used;
}
static inline int64_t SMASK(const SetTable *t) { return t ? t->mask : MINSIZE - 1; }
static inline int64_t SFILL(const SetTable *t) { return t ? t->fill : 0; }

static Value table_new(Thread *th, int64_t size, bool immutable) {
    Value t = vm_alloc(th, T_DICTKEYS, sizeof(SetTable) + (size_t)size * sizeof(SetEntry),
                       immutable ? STM_IMMUTABLE : 0, NULL);
    if (!t) return NULL;
    SetTable *st = stm_payload(t);
    st->kind = 1;
    st->mask = size - 1;
    return t;
}

static Value set_alloc(Thread *th, Value cls, bool frozen) {
    Value s = vm_alloc(th, frozen ? T_FROZENSET : T_SET, sizeof(SetObj), frozen ? STM_IMMUTABLE : 0, cls);
    if (s && !frozen) atomic_store_explicit(&((SetObj *)stm_payload(s))->hash, th->id, memory_order_relaxed);
    return s;
}

static int set_next_entry(Thread *th, Value s, int64_t *pos, Value *key, int64_t *hash);

/* Switch *ps to shared storage, in its current iteration order.  A moving point. */
static int set_convert(Thread *th, Value *ps) {
    Value *pm = ROOT(th, smap_new(th)), *pk = ROOT(th, NULL);
    int r = -1;
    if (!*pm) goto done;
    int64_t pos = 0, hash;
    Value k;
    while (set_next_entry(th, *ps, &pos, &k, &hash)) {   /* pos survives allocation */
        *pk = k;
        if (smap_insert(th, pm, pk, NULL, hash) < 0) goto done;
    }
    W(th, *ps, SetObj)->table = *pm;
    r = 0;
done:
    UNROOT(th, 2);
    return r;
}

/* Before mutating the set *ps: 1 shared (converted now if the rule says so), 0 compact, -1. */
static int set_for_write(Thread *th, Value *ps) {
    const SetObj *so = R(th, *ps, SetObj);
    if (smap_is(so->table)) return 1;
    if (vm_tid(*ps) != T_SET ||
        atomic_load_explicit(&so->hash, memory_order_relaxed) == (int64_t)th->id) return 0;
    return set_convert(th, ps) < 0 ? -1 : 1;
}

/* Empty *ps (a shared set stays shared). */
static int set_clear_internal(Thread *th, Value *ps) {
    if (SHARED(th, *ps)) {
        Value m = smap_new(th);
        if (!m) return -1;
        W(th, *ps, SetObj)->table = m;
    } else if (TBL(th, *ps)) {
        W(th, *ps, SetObj)->table = NULL;
    }
    return 0;
}

static int ensure_table(Thread *th, Value *ps) {
    if (TBL(th, *ps)) return 0;
    Value t = table_new(th, MINSIZE, vm_tid(*ps) == T_FROZENSET);
    if (!t) return -1;
    W(th, *ps, SetObj)->table = t;
    return 0;
}

static bool exact_str(Thread *th, Value v) {
    return !IS_SMALL(v) && v->tid == T_STR && vm_type_of(th, v) == vm.t_str;
}

static void insert_clean(SetTable *t, Value key, int64_t hash) {
    uint64_t mask = (uint64_t)t->mask, perturb = (uint64_t)hash, i = (uint64_t)hash & mask;
    for (;;) {
        SetEntry *e = &t->table[i];
        if (!e->key) goto found;
        if (i + LINEAR_PROBES <= mask) {
            for (int j = 0; j < LINEAR_PROBES; j++) {
                e++;
                if (!e->key) goto found;
            }
        }
        perturb >>= 5;
        i = (i * 5 + 1 + perturb) & mask;
        continue;
    found:
        e->key = key;
        e->hash = hash;
        return;
    }
}

static int table_resize(Thread *th, Value *ps, int64_t minused) {
    int64_t newsize = MINSIZE;
    while (newsize <= minused) newsize <<= 1;
    const SetTable *o = ST(th, *ps);
    if (newsize == MINSIZE && o && o->mask == MINSIZE - 1 && o->fill == o->used) return 0;
    Value nt = table_new(th, newsize, vm_tid(*ps) == T_FROZENSET);
    if (!nt) return -1;
    SetTable *n = stm_payload(nt);
    o = ST(th, *ps);
    if (o) {
        for (int64_t i = 0; i <= o->mask; i++)
            if (o->table[i].key) insert_clean(n, o->table[i].key, o->table[i].hash);
        n->fill = n->used = o->used;
    }
    W(th, *ps, SetObj)->table = nt;
    return 0;
}

/* Compare a table key with key; 1 equal, 0 not, -1 error, 2 restart (table changed). */
static int entry_eq(Thread *th, Value *ps, Value tv, int64_t j, Value startkey, Value key) {
    if (startkey == key) return 1;
    if (IS_SMALL(startkey) && IS_SMALL(key)) return 0;
    if (exact_str(th, startkey) && exact_str(th, key)) return vm_str_eq(th, startkey, key);
    Value *p = ROOT(th, tv);
    ROOT(th, startkey);
    int eq = vm_eq(th, startkey, key);
    tv = p[0]; startkey = p[1];
    UNROOT(th, 2);
    if (eq < 0) return -1;
    if (TBL(th, *ps) != tv || R(th, tv, SetTable)->table[j].key != startkey) return 2;
    return eq;
}

/* Table index of key, -1 missing, -2 error. */
static int64_t set_lookkey(Thread *th, Value *ps, Value *pk, int64_t hash) {
restart:;
    Value tv = TBL(th, *ps);
    if (!tv) return -1;
    const SetTable *t = R(th, tv, SetTable);
    uint64_t mask = (uint64_t)t->mask, perturb = (uint64_t)hash, i = (uint64_t)hash & mask;
    for (;;) {
        int probes = (i + LINEAR_PROBES <= mask) ? LINEAR_PROBES : 0;
        uint64_t j = i;
        do {
            const SetEntry *e = &t->table[j];
            if (e->hash == 0 && !e->key) return -1;
            if (e->hash == hash && e->key) {
                int eq = entry_eq(th, ps, tv, (int64_t)j, e->key, *pk);
                if (eq < 0) return -2;
                if (eq == 2) goto restart;
                if (eq) return (int64_t)j;
                t = R(th, tv, SetTable);
                mask = (uint64_t)t->mask;
            }
            j++;
        } while (probes--);
        perturb >>= 5;
        i = (i * 5 + 1 + perturb) & mask;
    }
}

static int set_add_entry(Thread *th, Value *ps, Value *pk, int64_t hash) {
    int mode = set_for_write(th, ps);
    if (mode < 0) return -1;
    if (mode) {
        Value *pm = ROOT(th, SHARED(th, *ps)), it;
        int r = smap_find(th, pm, pk, hash, &it);
        if (r == 0) r = smap_insert(th, pm, pk, NULL, hash);
        UNROOT(th, 1);
        return r < 0 ? -1 : 0;
    }
    if (ensure_table(th, ps) < 0) return -1;
restart:;
    Value tv = TBL(th, *ps);
    const SetTable *t = R(th, tv, SetTable);
    uint64_t mask = (uint64_t)t->mask, perturb = (uint64_t)hash, i = (uint64_t)hash & mask;
    int64_t freeslot = -1, slot;
    for (;;) {
        int probes = (i + LINEAR_PROBES <= mask) ? LINEAR_PROBES : 0;
        uint64_t j = i;
        do {
            const SetEntry *e = &t->table[j];
            if (e->hash == 0 && !e->key) { slot = (int64_t)j; goto found_unused_or_dummy; }
            if (e->hash == hash && e->key) {
                int eq = entry_eq(th, ps, tv, (int64_t)j, e->key, *pk);
                if (eq < 0) return -1;
                if (eq == 2) goto restart;
                if (eq) return 0;
                t = R(th, tv, SetTable);
                mask = (uint64_t)t->mask;
            } else if (e->hash == -1) {
                freeslot = (int64_t)j;
            }
            j++;
        } while (probes--);
        perturb >>= 5;
        i = (i * 5 + 1 + perturb) & mask;
    }
found_unused_or_dummy:;
    SetTable *w = W(th, tv, SetTable);
    if (freeslot >= 0) {
        w->table[freeslot].key = *pk;
        w->table[freeslot].hash = hash;
        w->used++;
        return 0;
    }
    w->table[slot].key = *pk;
    w->table[slot].hash = hash;
    w->fill++;
    w->used++;
    if ((uint64_t)w->fill * 5 < mask * 3) return 0;
    return table_resize(th, ps, w->used > 50000 ? w->used * 2 : w->used * 4);
}

static int set_add_key(Thread *th, Value *ps, Value *pk) {
    int64_t hash;
    if (vm_hash(th, *pk, &hash) < 0) return -1;
    return set_add_entry(th, ps, pk, hash);
}

static int set_contains_entry(Thread *th, Value *ps, Value *pk, int64_t hash) {
    if (SHARED(th, *ps)) {
        Value *pm = ROOT(th, SHARED(th, *ps)), it;
        int r = smap_find(th, pm, pk, hash, &it);
        UNROOT(th, 1);
        return r;
    }
    int64_t j = set_lookkey(th, ps, pk, hash);
    return j == -2 ? -1 : j >= 0;
}

static int set_contains_key(Thread *th, Value *ps, Value *pk) {
    int64_t hash;
    if (vm_hash(th, *pk, &hash) < 0) return -1;
    return set_contains_entry(th, ps, pk, hash);
}

/* 1 found (removed), 0 missing, -1 error */
static int set_discard_entry(Thread *th, Value *ps, Value *pk, int64_t hash) {
    int mode = set_for_write(th, ps);
    if (mode < 0) return -1;
    if (mode) {
        Value *pm = ROOT(th, SHARED(th, *ps)), *pi = ROOT(th, NULL);
        int r = smap_find(th, pm, pk, hash, pi);
        if (r > 0 && smap_remove(th, pm, pi) < 0) r = -1;
        UNROOT(th, 2);
        return r;
    }
    int64_t j = set_lookkey(th, ps, pk, hash);
    if (j == -2) return -1;
    if (j < 0) return 0;
    SetTable *w = W(th, TBL(th, *ps), SetTable);
    w->table[j].key = NULL;
    w->table[j].hash = -1;
    w->used--;
    return 1;
}

static int set_discard_key(Thread *th, Value *ps, Value *pk) {
    int64_t hash;
    if (vm_hash(th, *pk, &hash) < 0) return -1;
    return set_discard_entry(th, ps, pk, hash);
}

/* Iterate in table order: returns 1 with key (and hash) or 0 at the end.  No moving point. */
static int set_next_entry(Thread *th, Value s, int64_t *pos, Value *key, int64_t *hash) {
    Value m = SHARED(th, s), it;
    if (m) {
        if (!smap_next(th, m, pos, &it)) return 0;
        const SItem *si = R(th, it, SItem);
        *key = si->key;
        if (hash) *hash = si->hash;
        return 1;
    }
    const SetTable *t = ST(th, s);
    if (!t) return 0;
    for (int64_t i = *pos; i <= t->mask; i++) {
        if (!t->table[i].key) continue;
        *pos = i + 1;
        *key = t->table[i].key;
        if (hash) *hash = t->table[i].hash;
        return 1;
    }
    *pos = t->mask + 1;
    return 0;
}

static int set_merge(Thread *th, Value *ps, Value other) {
    if (other == *ps || SLEN(th, other) == 0) return 0;
    Value *po = ROOT(th, other), *pk = ROOT(th, NULL);
    int r = -1;
    int mode = set_for_write(th, ps);
    if (mode < 0) goto done;
    if (mode || SHARED(th, *po)) {       /* key by key */
        int64_t pos = 0, hash;
        Value k;
        while (set_next_entry(th, *po, &pos, &k, &hash)) {
            *pk = k;
            if (set_add_entry(th, ps, pk, hash) < 0) goto done;
        }
        r = 0;
        goto done;
    }
    const SetTable *so = ST(th, *ps), *ot = ST(th, *po);
    if ((SFILL(so) + ot->used) * 5 >= SMASK(so) * 3) {
        if (table_resize(th, ps, (SLEN(th, *ps) + ot->used) * 2) < 0) goto done;
    }
    if (ensure_table(th, ps) < 0) goto done;
    so = ST(th, *ps);
    ot = ST(th, *po);
    if (so->fill == 0 && so->mask == ot->mask && ot->fill == ot->used) {
        SetTable *w = W(th, TBL(th, *ps), SetTable);
        for (int64_t i = 0; i <= ot->mask; i++)
            if (ot->table[i].key) w->table[i] = ot->table[i];
        w->fill = ot->fill;
        w->used = ot->used;
        r = 0;
        goto done;
    }
    if (so->fill == 0) {
        SetTable *w = W(th, TBL(th, *ps), SetTable);
        for (int64_t i = 0; i <= ot->mask; i++)
            if (ot->table[i].key) insert_clean(w, ot->table[i].key, ot->table[i].hash);
        w->fill = w->used = ot->used;
        r = 0;
        goto done;
    }
    for (int64_t i = 0;; i++) {
        ot = ST(th, *po);
        if (i > ot->mask) break;
        if (!ot->table[i].key) continue;
        *pk = ot->table[i].key;
        if (set_add_entry(th, ps, pk, ot->table[i].hash) < 0) goto done;
    }
    r = 0;
done:
    UNROOT(th, 2);
    return r;
}

static int set_update_internal(Thread *th, Value *ps, Value other) {
    if (ANYSET(other)) return set_merge(th, ps, other);
    Value *po = ROOT(th, other), *pk = ROOT(th, NULL);
    int r = -1;
    if (vm_tid(other) == T_DICT && vm_type_of(th, other) == vm.t_dict) {
        int64_t dictsize = vm_dict_len(th, other);
        int mode = set_for_write(th, ps);
        if (mode < 0) goto done;
        const SetTable *so = mode ? NULL : ST(th, *ps);
        if (!mode && (SFILL(so) + dictsize) * 5 >= SMASK(so) * 3)
            if (table_resize(th, ps, (SLEN(th, *ps) + dictsize) * 2) < 0) goto done;
        int64_t pos = 0;
        Value k;
        while (vm_dict_next(th, *po, &pos, &k, NULL)) {
            *pk = k;
            if (set_add_key(th, ps, pk) < 0) goto done;
        }
        r = 0;
        goto done;
    }
    Value *pit = ROOT(th, vm_iter(th, other));
    if (*pit) {
        for (;;) {
            Value k = vm_next(th, *pit);
            if (!k) { if (!*th->exc) r = 0; break; }
            *pk = k;
            if (set_add_key(th, ps, pk) < 0) break;
        }
    }
    UNROOT(th, 1);
done:
    UNROOT(th, 2);
    return r;
}

/* An immutable frozenset (class cls) with the contents of the private set s (copied). */
static Value freeze(Thread *th, Value s, Value cls) {
    Value *ps = ROOT(th, s), *pc = ROOT(th, cls), *pt = ROOT(th, NULL);
    Value res = NULL;
    const SetTable *t = ST(th, s);
    if (t && t->used) {
        size_t size = sizeof(SetTable) + (size_t)(t->mask + 1) * sizeof(SetEntry);
        if (!(*pt = vm_alloc(th, T_DICTKEYS, size, STM_IMMUTABLE, NULL))) goto done;
        memcpy(stm_payload(*pt), ST(th, *ps), size);
    }
    res = set_alloc(th, *pc, true);
    if (res) ((SetObj *)stm_payload(res))->table = *pt;
done:
    UNROOT(th, 3);
    return res;
}

/* make_new_set_basetype(type(self), iterable) */
static Value new_like(Thread *th, Value self, Value iterable) {
    bool frozen = vm_tid(self) == T_FROZENSET;
    Value *pi = ROOT(th, iterable);
    Value *ps = ROOT(th, set_alloc(th, vm.t_set, false));
    Value res = NULL;
    if (*ps && (!*pi || set_update_internal(th, ps, *pi) == 0))
        res = frozen ? freeze(th, *ps, vm.t_frozenset) : *ps;
    UNROOT(th, 2);
    return res;
}

/* the result built in a (private) set: a frozenset when self is one */
static Value finish_like(Thread *th, Value self, Value result) {
    return vm_tid(self) == T_FROZENSET ? freeze(th, result, vm.t_frozenset) : result;
}

/* ------------------------------------------------------------------------------------------ */
/* C API                                                                                      */

Value vm_set_new(Thread *th, Value cls) {
    bool frozen = cls == vm.t_frozenset || vm_is_subtype(th, cls, vm.t_frozenset);
    return set_alloc(th, cls, frozen);
}

int vm_set_add(Thread *th, Value s, Value key) {
    Value *ps = ROOT(th, s), *pk = ROOT(th, key);
    int r = set_add_key(th, ps, pk);
    UNROOT(th, 2);
    return r;
}

int vm_set_contains(Thread *th, Value s, Value key) {
    Value *ps = ROOT(th, s), *pk = ROOT(th, key);
    int r = set_contains_key(th, ps, pk);
    UNROOT(th, 2);
    return r;
}

int vm_set_next(Thread *th, Value s, int64_t *pos, Value *key) {
    return set_next_entry(th, s, pos, key, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* Algorithms                                                                                 */

static Value set_intersection(Thread *th, Value so, Value other) {
    if (so == other) return new_like(th, so, so);
    bool frozen = vm_tid(so) == T_FROZENSET;
    Value *p = ROOT(th, so); ROOT(th, other);
    Value *pr = ROOT(th, set_alloc(th, vm.t_set, false)), *pk = ROOT(th, NULL);
    Value res = NULL;
    if (!*pr) goto done;
    other = p[1];                   /* set_alloc may have moved it */
    if (ANYSET(other)) {
        Value a = p[0], b = p[1];   /* iterate the smaller (b), look up in the larger (a) */
        if (SLEN(th, b) > SLEN(th, a)) { p[0] = b; p[1] = a; }
        int64_t pos = 0, hash;
        Value k;
        while (set_next_entry(th, p[1], &pos, &k, &hash)) {
            *pk = k;
            int rv = set_contains_entry(th, &p[0], pk, hash);
            if (rv < 0) goto done;
            if (rv && set_add_entry(th, pr, pk, hash) < 0) goto done;
        }
        res = *pr;
        goto done;
    }
    Value *pit = ROOT(th, vm_iter(th, other));
    if (*pit) {
        for (;;) {
            Value k = vm_next(th, *pit);
            if (!k) { if (!*th->exc) res = *pr; break; }
            *pk = k;
            int64_t hash;
            if (vm_hash(th, k, &hash) < 0) break;
            int rv = set_contains_entry(th, &p[0], pk, hash);
            if (rv < 0) break;
            if (rv) {
                if (set_add_entry(th, pr, pk, hash) < 0) break;
                if (SLEN(th, *pr) >= SLEN(th, p[0])) { res = *pr; break; }
            }
        }
    }
    UNROOT(th, 1);
done:
    if (res && frozen) res = freeze(th, res, vm.t_frozenset);
    UNROOT(th, 4);
    return res;
}

static int set_difference_update_internal(Thread *th, Value *ps, Value other) {
    if (*ps == other) return set_clear_internal(th, ps);
    Value *po = ROOT(th, other), *pk = ROOT(th, NULL);
    int r = -1;
    if (ANYSET(other)) {
        if ((SLEN(th, other) >> 3) > SLEN(th, *ps)) {
            *po = set_intersection(th, *ps, other);
            if (!*po) goto done;
        }
        int64_t pos = 0, hash;
        Value k;
        while (set_next_entry(th, *po, &pos, &k, &hash)) {
            *pk = k;
            if (set_discard_entry(th, ps, pk, hash) < 0) goto done;
        }
    } else {
        Value *pit = ROOT(th, vm_iter(th, other));
        if (!*pit) { UNROOT(th, 1); goto done; }
        for (;;) {
            Value k = vm_next(th, *pit);
            if (!k) break;
            *pk = k;
            if (set_discard_key(th, ps, pk) < 0) break;
        }
        UNROOT(th, 1);
        if (*th->exc) goto done;
    }
    const SetTable *t = SHARED(th, *ps) ? NULL : ST(th, *ps);
    r = 0;
    if (t && (t->fill - t->used) > t->mask / 4)
        r = table_resize(th, ps, t->used > 50000 ? t->used * 2 : t->used * 4);
done:
    UNROOT(th, 2);
    return r;
}

static Value set_difference(Thread *th, Value so, Value other) {
    int64_t other_size;
    bool isdict = vm_tid(other) == T_DICT && vm_type_of(th, other) == vm.t_dict;
    if (ANYSET(other)) other_size = SLEN(th, other);
    else if (isdict) other_size = vm_dict_len(th, other);
    else other_size = -1;
    if (other_size < 0 || (SLEN(th, so) >> 2) > other_size) {
        Value *ps = ROOT(th, so), *po = ROOT(th, other);
        Value *pt = ROOT(th, set_alloc(th, vm.t_set, false));
        Value res = NULL;
        if (*pt && set_merge(th, pt, *ps) == 0 && set_difference_update_internal(th, pt, *po) == 0)
            res = finish_like(th, *ps, *pt);
        UNROOT(th, 3);
        return res;
    }
    Value *p = ROOT(th, so); ROOT(th, other);
    Value *pr = ROOT(th, set_alloc(th, vm.t_set, false)), *pk = ROOT(th, NULL);
    Value res = NULL;
    if (!*pr) goto done;
    int64_t pos = 0, hash;
    Value k;
    while (set_next_entry(th, p[0], &pos, &k, &hash)) {
        *pk = k;
        int rv;
        if (isdict) { Value v; rv = vm_dict_get(th, p[1], k, &v); }
        else rv = set_contains_entry(th, &p[1], pk, hash);
        if (rv < 0) goto done;
        if (!rv && set_add_entry(th, pr, pk, hash) < 0) goto done;
    }
    res = finish_like(th, p[0], *pr);
done:
    UNROOT(th, 4);
    return res;
}

static int set_symmetric_difference_update(Thread *th, Value *ps, Value other) {
    if (*ps == other) return set_clear_internal(th, ps);
    Value *po = ROOT(th, other), *pk = ROOT(th, NULL);
    int r = -1;
    if (!ANYSET(other)) {
        *po = new_like(th, *ps, other);
        if (!*po) goto done;
    }
    int64_t pos = 0, hash;
    Value k;
    while (set_next_entry(th, *po, &pos, &k, &hash)) {
        *pk = k;
        int rv = set_discard_entry(th, ps, pk, hash);
        if (rv < 0) goto done;
        if (rv == 0 && set_add_entry(th, ps, pk, hash) < 0) goto done;
    }
    r = 0;
done:
    UNROOT(th, 2);
    return r;
}

static Value set_symmetric_difference(Thread *th, Value so, Value other) {
    Value *p = ROOT(th, so), *po = ROOT(th, other);     /* set_alloc may move both */
    Value *pt = ROOT(th, set_alloc(th, vm.t_set, false));
    Value res = NULL;
    if (*pt && set_update_internal(th, pt, *po) == 0 &&
        set_symmetric_difference_update(th, pt, *p) == 0)
        res = finish_like(th, *p, *pt);
    UNROOT(th, 3);
    return res;
}

/* 1/0/-1 */
static int set_issubset(Thread *th, Value so, Value other) {
    if (!ANYSET(other)) {
        Value tmp = set_intersection(th, so, other);
        return tmp ? SLEN(th, tmp) == SLEN(th, so) : -1;
    }
    if (SLEN(th, so) > SLEN(th, other)) return 0;
    Value *p = ROOT(th, so); ROOT(th, other);
    Value *pk = ROOT(th, NULL);
    int r = 1;
    int64_t pos = 0, hash;
    Value k;
    while (set_next_entry(th, p[0], &pos, &k, &hash)) {
        *pk = k;
        int rv = set_contains_entry(th, &p[1], pk, hash);
        if (rv <= 0) { r = rv; break; }
    }
    UNROOT(th, 3);
    return r;
}

static int set_issuperset(Thread *th, Value so, Value other) {
    if (ANYSET(other)) return set_issubset(th, other, so);
    Value *ps = ROOT(th, so), *pk = ROOT(th, NULL);
    Value *pit = ROOT(th, vm_iter(th, other));
    int r = -1;
    if (*pit) {
        for (;;) {
            Value k = vm_next(th, *pit);
            if (!k) { if (!*th->exc) r = 1; break; }
            *pk = k;
            int rv = set_contains_key(th, ps, pk);
            if (rv < 0) break;
            if (!rv) { r = 0; break; }
        }
    }
    UNROOT(th, 3);
    return r;
}

/* CPython's frozenset hash */
static uint64_t shuffle_bits(uint64_t h) { return ((h ^ 89869747UL) ^ (h << 16)) * 3644798167UL; }

int ctr_frozenset_hash(Thread *th, Value s, int64_t *out) {
    SetObj *so = (SetObj *)R(th, s, SetObj);
    int64_t cached = atomic_load_explicit(&so->hash, memory_order_relaxed);
    if (cached && vm_tid(s) == T_FROZENSET) { *out = cached; return 0; }
    uint64_t hash = 0;
    int64_t used = 0;
    if (SHARED(th, s)) {            /* a set (frozenset.__hash__ applied to one): no caching */
        int64_t pos = 0, h;
        Value k;
        while (set_next_entry(th, s, &pos, &k, &h)) { hash ^= shuffle_bits((uint64_t)h); used++; }
    }
    const SetTable *t = SHARED(th, s) ? NULL : ST(th, s);
    if (t) {
        for (int64_t i = 0; i <= t->mask; i++)
            if (t->table[i].key) hash ^= shuffle_bits((uint64_t)t->table[i].hash);
        used = t->used;
    }
    hash ^= ((uint64_t)used + 1) * 1927868237UL;
    hash ^= (hash >> 11) ^ (hash >> 25);
    hash = hash * 69069U + 907133923UL;
    if (hash == (uint64_t)-1) hash = 590923713UL;
    if (vm_tid(s) == T_FROZENSET)
        atomic_store_explicit(&so->hash, (int64_t)hash, memory_order_relaxed);
    *out = (int64_t)hash;
    return 0;
}

/* key for contains/remove/discard: an unhashable set is looked up as a frozenset */
static int retry_as_frozenset(Thread *th, Value *pk) {
    if (vm_tid(*pk) != T_SET || !vm_exc_matches(th, vm.e_TypeError)) return 0;
    vm_exc_clear(th);
    Value f = new_like(th, vm.None, *pk);   /* None: not frozen -> set; freeze below */
    if (!f) return -1;
    f = freeze(th, f, vm.t_frozenset);
    if (!f) return -1;
    *pk = f;
    return 1;
}

/* ------------------------------------------------------------------------------------------ */
/* Methods                                                                                    */

#define ASELF(name)                                                                          \
    if (!ANYSET(args[0]))                                                                    \
        return vm_raise(th, vm.e_TypeError,                                                  \
                        "descriptor '%s' for 'set' objects doesn't apply to a '%s' object",   \
                        name, vm_type_name(th, args[0]))
#define SSELF(name)                                                                          \
    if (vm_tid(args[0]) != T_SET)                                                            \
        return vm_raise(th, vm.e_TypeError,                                                  \
                        "descriptor '%s' for 'set' objects doesn't apply to a '%s' object",   \
                        name, vm_type_name(th, args[0]))

static Value set_new_m(Thread *th, Value *args, int nargs, Value kwnames) {
    return set_alloc(th, args[0], false);
}

static Value set_init_m(Thread *th, Value *args, int nargs, Value kwnames) {
    SSELF("__init__");
    if (vm_type_of(th, args[0]) == vm.t_set && ctr_nokw(th, "set", kwnames) < 0) return NULL;
    if (nargs > 2)
        return vm_raise(th, vm.e_TypeError, "%s expected at most 1 argument, got %d",
                        vm_type_name(th, args[0]), nargs - 1);
    if (set_clear_internal(th, &args[0]) < 0) return NULL;
    if (nargs == 2 && set_update_internal(th, &args[0], args[1]) < 0) return NULL;
    return vm.None;
}

static Value frozenset_new_m(Thread *th, Value *args, int nargs, Value kwnames) {
    Value cls = args[0];
    if (cls == vm.t_frozenset && ctr_nokw(th, "frozenset", kwnames) < 0) return NULL;
    if (nargs > 2)
        return vm_raise(th, vm.e_TypeError, "%s expected at most 1 argument, got %d",
                        ctr_type_name(th, cls), nargs - 1);
    if (nargs == 2 && cls == vm.t_frozenset && vm_tid(args[1]) == T_FROZENSET &&
        vm_type_of(th, args[1]) == vm.t_frozenset)
        return args[1];
    Value *ps = ROOT(th, set_alloc(th, vm.t_set, false));
    Value res = NULL;
    if (*ps && (nargs < 2 || set_update_internal(th, ps, args[1]) == 0)) res = freeze(th, *ps, args[0]);
    UNROOT(th, 1);
    return res;
}

static Value set_len_m(Thread *th, Value *args, int nargs, Value kwnames) {
    ASELF("__len__");
    return MK_SMALL(SLEN(th, args[0]));
}

static Value set_contains_m(Thread *th, Value *args, int nargs, Value kwnames) {
    ASELF("__contains__");
    if (ctr_onearg(th, "set.__contains__", nargs - 1, kwnames) < 0) return NULL;
    Value *pk = ROOT(th, args[1]);
    int r = set_contains_key(th, &args[0], pk);
    if (r < 0) {
        int t = retry_as_frozenset(th, pk);
        if (t > 0) r = set_contains_key(th, &args[0], pk);
    }
    UNROOT(th, 1);
    return r < 0 ? NULL : r ? vm.True : vm.False;
}

static int set_iter_kind;

static Value set_iter_next(Thread *th, Value it) {
    const IterObj *io = R(th, it, IterObj);
    Value s = io->a;
    if (!s) return NULL;
    if (io->n != SLEN(th, s)) {
        W(th, it, IterObj)->n = -1;
        return vm_raise(th, vm.e_RuntimeError, "Set changed size during iteration");
    }
    /* i: table position (compact) or order position (shared, flags & 8); b: number yielded.
       A set converted under a running iterator continues in order past what was yielded
       (conversion keeps the order). */
    int64_t pos = io->i, done = io->b ? SMALL_VAL(io->b) : 0;
    bool shared = SHARED(th, s) != NULL;
    if (shared && !(io->flags & 8)) pos = done;
    Value k;
    if (!set_next_entry(th, s, &pos, &k, NULL)) { W(th, it, IterObj)->a = NULL; return NULL; }
    IterObj *w = W(th, it, IterObj);
    w->i = pos;
    w->b = MK_SMALL(done + 1);
    if (shared) w->flags |= 8;
    return k;
}

static Value set_iter_m(Thread *th, Value *args, int nargs, Value kwnames) {
    ASELF("__iter__");
    return vm_iter_new(th, set_iter_kind, args[0], NULL, 0, SLEN(th, args[0]));
}

static Value set_repr_m(Thread *th, Value *args, int nargs, Value kwnames) {
    ASELF("__repr__");
    Value cls = vm_type_of(th, args[0]);
    bool plain = cls == vm.t_set;
    char name[128];
    snprintf(name, sizeof name, "%s", ctr_type_name(th, cls));
    int rec = vm_repr_enter(th, args[0]);
    if (rec) {
        if (rec < 0) return NULL;
        char buf[160];
        snprintf(buf, sizeof buf, "%s(...)", name);
        return vm_str_cstr(th, buf);
    }
    Value res = NULL;
    Value *parts = ROOT(th, NULL);
    if (SLEN(th, args[0]) == 0) {
        char buf[160];
        snprintf(buf, sizeof buf, "%s()", name);
        res = vm_str_cstr(th, buf);
        goto done;
    }
    /* snapshot the keys first (reprs may run code) */
    Value *pl = ROOT(th, vm_sequence_list(th, args[0]));
    if (!*pl) { UNROOT(th, 1); goto done; }
    if (!(*parts = vm_list_new(th, 0))) { UNROOT(th, 1); goto done; }
    for (int64_t i = 0; i < vm_list_len(th, *pl); i++) {
        Value r = vm_repr(th, vm_list_get(th, *pl, i));
        if (!r || vm_list_append(th, *parts, r) < 0) { UNROOT(th, 1); goto done; }
    }
    UNROOT(th, 1);
    if (plain) res = ctr_join(th, "{", *parts, ", ", "}");
    else {
        char open[160];
        snprintf(open, sizeof open, "%s({", name);
        res = ctr_join(th, open, *parts, ", ", "})");
    }
done:
    vm_repr_leave(th, args[0]);
    UNROOT(th, 1);
    return res;
}

static Value set_add_m(Thread *th, Value *args, int nargs, Value kwnames) {
    SSELF("add");
    if (ctr_onearg(th, "set.add", nargs - 1, kwnames) < 0) return NULL;
    return set_add_key(th, &args[0], &args[1]) < 0 ? NULL : vm.None;
}

static Value discard_common(Thread *th, Value *args, int nargs, Value kwnames, bool must) {
    if (ctr_onearg(th, must ? "set.remove" : "set.discard", nargs - 1, kwnames) < 0) return NULL;
    Value *pk = ROOT(th, args[1]);
    int r = set_discard_key(th, &args[0], pk);
    if (r < 0 && retry_as_frozenset(th, pk) > 0) r = set_discard_key(th, &args[0], pk);
    UNROOT(th, 1);
    if (r < 0) return NULL;
    if (r == 0 && must) return vm_raise_value(th, vm.e_KeyError, args[1]);
    return vm.None;
}
static Value set_remove_m(Thread *th, Value *args, int nargs, Value kwnames) {
    SSELF("remove");
    return discard_common(th, args, nargs, kwnames, true);
}
static Value set_discard_m(Thread *th, Value *args, int nargs, Value kwnames) {
    SSELF("discard");
    return discard_common(th, args, nargs, kwnames, false);
}

static Value set_pop_m(Thread *th, Value *args, int nargs, Value kwnames) {
    SSELF("pop");
    if (ctr_noargs(th, "set.pop", nargs - 1, kwnames) < 0) return NULL;
    if (SLEN(th, args[0]) == 0) {
        Value msg = vm_str_cstr(th, "pop from an empty set");
        return msg ? vm_raise_value(th, vm.e_KeyError, msg) : NULL;
    }
    int mode = set_for_write(th, &args[0]);
    if (mode < 0) return NULL;
    if (mode) {                 /* the first element in (insertion) order */
        Value *pm = ROOT(th, SHARED(th, args[0]));
        Value *pi = ROOT(th, smap_end(th, *pm, false));
        Value res = NULL;
        if (*pi) {
            Value *pk = ROOT(th, R(th, *pi, SItem)->key);
            if (smap_remove(th, pm, pi) == 0) res = *pk;
            UNROOT(th, 1);
        }
        UNROOT(th, 2);
        return res;
    }
    SetTable *w = W(th, TBL(th, args[0]), SetTable);
    int64_t i = w->finger & w->mask;
    while (!w->table[i].key) { i++; if (i > w->mask) i = 0; }
    Value k = w->table[i].key;
    w->table[i].key = NULL;
    w->table[i].hash = -1;
    w->used--;
    w->finger = i + 1;
    return k;
}

static Value set_clear_m(Thread *th, Value *args, int nargs, Value kwnames) {
    SSELF("clear");
    if (ctr_noargs(th, "set.clear", nargs - 1, kwnames) < 0) return NULL;
    return set_clear_internal(th, &args[0]) < 0 ? NULL : vm.None;
}

static Value set_copy_m(Thread *th, Value *args, int nargs, Value kwnames) {
    ASELF("copy");
    if (ctr_noargs(th, "set.copy", nargs - 1, kwnames) < 0) return NULL;
    if (vm_tid(args[0]) == T_FROZENSET && vm_type_of(th, args[0]) == vm.t_frozenset) return args[0];
    return new_like(th, args[0], args[0]);
}

static Value set_update_m(Thread *th, Value *args, int nargs, Value kwnames) {
    SSELF("update");
    if (ctr_nokw(th, "set.update", kwnames) < 0) return NULL;
    for (int i = 1; i < nargs; i++)
        if (set_update_internal(th, &args[0], args[i]) < 0) return NULL;
    return vm.None;
}

static Value set_union_m(Thread *th, Value *args, int nargs, Value kwnames) {
    ASELF("union");
    if (ctr_nokw(th, "set.union", kwnames) < 0) return NULL;
    Value *pr = ROOT(th, set_alloc(th, vm.t_set, false));
    Value res = NULL;
    if (!*pr || set_merge(th, pr, args[0]) < 0) goto done;
    for (int i = 1; i < nargs; i++)
        if (args[i] != args[0] && set_update_internal(th, pr, args[i]) < 0) goto done;
    res = finish_like(th, args[0], *pr);
done:
    UNROOT(th, 1);
    return res;
}

static Value set_intersection_m(Thread *th, Value *args, int nargs, Value kwnames) {
    ASELF("intersection");
    if (ctr_nokw(th, "set.intersection", kwnames) < 0) return NULL;
    if (nargs == 1) return new_like(th, args[0], args[0]);
    Value *pr = ROOT(th, args[0]);
    for (int i = 1; i < nargs; i++)
        if (!(*pr = set_intersection(th, *pr, args[i]))) break;
    Value res = *pr;
    UNROOT(th, 1);
    return res;
}

static Value set_intersection_update_m(Thread *th, Value *args, int nargs, Value kwnames) {
    SSELF("intersection_update");
    if (ctr_nokw(th, "set.intersection_update", kwnames) < 0) return NULL;
    Value r = set_intersection_m(th, args, nargs, NULL);
    if (!r) return NULL;
    W(th, args[0], SetObj)->table = TBL(th, r);   /* swap bodies: r is a fresh set */
    return vm.None;
}

static Value set_difference_m(Thread *th, Value *args, int nargs, Value kwnames) {
    ASELF("difference");
    if (ctr_nokw(th, "set.difference", kwnames) < 0) return NULL;
    if (nargs == 1) return new_like(th, args[0], args[0]);
    Value *pr = ROOT(th, set_difference(th, args[0], args[1]));
    Value res = NULL;
    if (!*pr) goto done;
    if (nargs > 2) {
        /* further differences on a private set */
        if (vm_tid(*pr) == T_FROZENSET) {
            Value *pt = ROOT(th, set_alloc(th, vm.t_set, false));
            if (!*pt || set_merge(th, pt, *pr) < 0) { UNROOT(th, 1); goto done; }
            *pr = *pt;
            UNROOT(th, 1);
        }
        for (int i = 2; i < nargs; i++)
            if (set_difference_update_internal(th, pr, args[i]) < 0) goto done;
        *pr = finish_like(th, args[0], *pr);
    }
    res = *pr;
done:
    UNROOT(th, 1);
    return res;
}

static Value set_difference_update_m(Thread *th, Value *args, int nargs, Value kwnames) {
    SSELF("difference_update");
    if (ctr_nokw(th, "set.difference_update", kwnames) < 0) return NULL;
    for (int i = 1; i < nargs; i++)
        if (set_difference_update_internal(th, &args[0], args[i]) < 0) return NULL;
    return vm.None;
}

static Value set_symdiff_m(Thread *th, Value *args, int nargs, Value kwnames) {
    ASELF("symmetric_difference");
    if (ctr_onearg(th, "set.symmetric_difference", nargs - 1, kwnames) < 0) return NULL;
    return set_symmetric_difference(th, args[0], args[1]);
}

static Value set_symdiff_update_m(Thread *th, Value *args, int nargs, Value kwnames) {
    SSELF("symmetric_difference_update");
    if (ctr_onearg(th, "set.symmetric_difference_update", nargs - 1, kwnames) < 0) return NULL;
    return set_symmetric_difference_update(th, &args[0], args[1]) < 0 ? NULL : vm.None;
}

static Value bool_result(int r) { return r < 0 ? NULL : r ? vm.True : vm.False; }

static Value set_issubset_m(Thread *th, Value *args, int nargs, Value kwnames) {
    ASELF("issubset");
    if (ctr_onearg(th, "set.issubset", nargs - 1, kwnames) < 0) return NULL;
    return bool_result(set_issubset(th, args[0], args[1]));
}
static Value set_issuperset_m(Thread *th, Value *args, int nargs, Value kwnames) {
    ASELF("issuperset");
    if (ctr_onearg(th, "set.issuperset", nargs - 1, kwnames) < 0) return NULL;
    return bool_result(set_issuperset(th, args[0], args[1]));
}

static Value set_isdisjoint_m(Thread *th, Value *args, int nargs, Value kwnames) {
    ASELF("isdisjoint");
    if (ctr_onearg(th, "set.isdisjoint", nargs - 1, kwnames) < 0) return NULL;
    if (args[0] == args[1]) return SLEN(th, args[0]) == 0 ? vm.True : vm.False;
    Value *p = ROOT(th, args[0]); ROOT(th, args[1]);
    Value *pk = ROOT(th, NULL);
    int r = 1;
    if (ANYSET(p[1])) {
        if (SLEN(th, p[1]) > SLEN(th, p[0])) { Value t = p[0]; p[0] = p[1]; p[1] = t; }
        int64_t pos = 0, hash;
        Value k;
        while (set_next_entry(th, p[1], &pos, &k, &hash)) {
            *pk = k;
            int rv = set_contains_entry(th, &p[0], pk, hash);
            if (rv != 0) { r = rv < 0 ? -1 : 0; break; }
        }
    } else {
        Value *pit = ROOT(th, vm_iter(th, p[1]));
        r = -1;
        if (*pit) {
            for (;;) {
                Value k = vm_next(th, *pit);
                if (!k) { if (!*th->exc) r = 1; break; }
                *pk = k;
                int rv = set_contains_key(th, &p[0], pk);
                if (rv != 0) { r = rv < 0 ? -1 : 0; break; }
            }
        }
        UNROOT(th, 1);
    }
    UNROOT(th, 3);
    return bool_result(r);
}

/* operators: both operands must be sets */
#define SET_BINOP(fname, expr)                                                              \
    static Value fname(Thread *th, Value *args, int nargs, Value kwnames) {                 \
        ASELF(#fname);                                                                      \
        if (ctr_onearg(th, #fname, nargs - 1, kwnames) < 0) return NULL;                    \
        if (!ANYSET(args[1])) return vm.NotImplemented;                                     \
        Value a = args[0], b = args[1];                                                     \
        return expr;                                                                        \
    }
static Value set_or2(Thread *th, Value a, Value b) {
    Value *pa = ROOT(th, a), *pb = ROOT(th, b);
    Value *pt = ROOT(th, set_alloc(th, vm.t_set, false));
    Value res = NULL;
    if (*pt && set_merge(th, pt, *pa) == 0 && (*pa == *pb || set_merge(th, pt, *pb) == 0))
        res = finish_like(th, *pa, *pt);
    UNROOT(th, 3);
    return res;
}
SET_BINOP(set_and_m, set_intersection(th, a, b))
SET_BINOP(set_rand_m, set_intersection(th, b, a))
SET_BINOP(set_or_m, set_or2(th, a, b))
SET_BINOP(set_ror_m, set_or2(th, b, a))
SET_BINOP(set_sub_m, set_difference(th, a, b))
SET_BINOP(set_rsub_m, set_difference(th, b, a))
SET_BINOP(set_xor_m, set_symmetric_difference(th, a, b))
SET_BINOP(set_rxor_m, set_symmetric_difference(th, b, a))

static Value set_iand_m(Thread *th, Value *args, int nargs, Value kwnames) {
    SSELF("__iand__");
    if (!ANYSET(args[1])) return vm.NotImplemented;
    Value r = set_intersection(th, args[0], args[1]);
    if (!r) return NULL;
    W(th, args[0], SetObj)->table = TBL(th, r);
    return args[0];
}
static Value set_ior_m(Thread *th, Value *args, int nargs, Value kwnames) {
    SSELF("__ior__");
    if (!ANYSET(args[1])) return vm.NotImplemented;
    return set_update_internal(th, &args[0], args[1]) < 0 ? NULL : args[0];
}
static Value set_isub_m(Thread *th, Value *args, int nargs, Value kwnames) {
    SSELF("__isub__");
    if (!ANYSET(args[1])) return vm.NotImplemented;
    return set_difference_update_internal(th, &args[0], args[1]) < 0 ? NULL : args[0];
}
static Value set_ixor_m(Thread *th, Value *args, int nargs, Value kwnames) {
    SSELF("__ixor__");
    if (!ANYSET(args[1])) return vm.NotImplemented;
    return set_symmetric_difference_update(th, &args[0], args[1]) < 0 ? NULL : args[0];
}

static Value set_richcompare(Thread *th, Value v, Value w, int op) {
    if (!ANYSET(w)) return vm.NotImplemented;
    switch (op) {
    case CMP_EQ: case CMP_NE: {
        int r;
        if (SLEN(th, v) != SLEN(th, w)) r = 0;
        else {
            /* cached hashes (frozensets only: a set's field holds its creator) */
            bool frozen = vm_tid(v) == T_FROZENSET && vm_tid(w) == T_FROZENSET;
            int64_t hv = frozen ? atomic_load_explicit(&((SetObj *)R(th, v, SetObj))->hash, memory_order_relaxed) : 0;
            int64_t hw = frozen ? atomic_load_explicit(&((SetObj *)R(th, w, SetObj))->hash, memory_order_relaxed) : 0;
            if (hv && hw && hv != hw) r = 0;
            else r = set_issubset(th, v, w);
        }
        if (r < 0) return NULL;
        return (op == CMP_EQ) == (r != 0) ? vm.True : vm.False;
    }
    case CMP_LE: return bool_result(set_issubset(th, v, w));
    case CMP_GE: return bool_result(set_issuperset(th, v, w));
    case CMP_LT:
        if (SLEN(th, v) >= SLEN(th, w)) return vm.False;
        return bool_result(set_issubset(th, v, w));
    case CMP_GT:
        if (SLEN(th, v) <= SLEN(th, w)) return vm.False;
        return bool_result(set_issuperset(th, v, w));
    }
    return vm.NotImplemented;
}
#define SET_CMP(fname, op)                                                                  \
    static Value fname(Thread *th, Value *args, int nargs, Value kwnames) {                 \
        ASELF(#fname);                                                                      \
        if (ctr_onearg(th, #fname, nargs - 1, kwnames) < 0) return NULL;                    \
        return set_richcompare(th, args[0], args[1], op);                                   \
    }
SET_CMP(set_eq_m, CMP_EQ)
SET_CMP(set_ne_m, CMP_NE)
SET_CMP(set_lt_m, CMP_LT)
SET_CMP(set_le_m, CMP_LE)
SET_CMP(set_gt_m, CMP_GT)
SET_CMP(set_ge_m, CMP_GE)

static Value frozenset_hash_m(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_tid(args[0]) != T_FROZENSET)
        return vm_raise(th, vm.e_TypeError, "descriptor '__hash__' requires a 'frozenset' object");
    int64_t h;
    ctr_frozenset_hash(th, args[0], &h);
    return vm_int_from_i64(th, h);
}

#define COMMON_METHODS                                                                      \
    {"__len__", set_len_m, CF_METHOD},                                                      \
    {"__contains__", set_contains_m, CF_METHOD},                                            \
    {"__iter__", set_iter_m, CF_METHOD},                                                    \
    {"__repr__", set_repr_m, CF_METHOD},                                                    \
    {"__and__", set_and_m, CF_METHOD}, {"__rand__", set_rand_m, CF_METHOD},                 \
    {"__or__", set_or_m, CF_METHOD}, {"__ror__", set_ror_m, CF_METHOD},                     \
    {"__sub__", set_sub_m, CF_METHOD}, {"__rsub__", set_rsub_m, CF_METHOD},                 \
    {"__xor__", set_xor_m, CF_METHOD}, {"__rxor__", set_rxor_m, CF_METHOD},                 \
    {"__eq__", set_eq_m, CF_METHOD}, {"__ne__", set_ne_m, CF_METHOD},                       \
    {"__lt__", set_lt_m, CF_METHOD}, {"__le__", set_le_m, CF_METHOD},                       \
    {"__gt__", set_gt_m, CF_METHOD}, {"__ge__", set_ge_m, CF_METHOD},                       \
    {"copy", set_copy_m, CF_METHOD},                                                        \
    {"union", set_union_m, CF_METHOD},                                                      \
    {"intersection", set_intersection_m, CF_METHOD},                                        \
    {"difference", set_difference_m, CF_METHOD},                                           \
    {"symmetric_difference", set_symdiff_m, CF_METHOD},                                     \
    {"issubset", set_issubset_m, CF_METHOD},                                                \
    {"issuperset", set_issuperset_m, CF_METHOD},                                            \
    {"isdisjoint", set_isdisjoint_m, CF_METHOD}

static const vm_method set_methods[] = {
    {"__new__", set_new_m, CF_STATIC},
    {"__init__", set_init_m, CF_METHOD},
    COMMON_METHODS,
    {"__iand__", set_iand_m, CF_METHOD},
    {"__ior__", set_ior_m, CF_METHOD},
    {"__isub__", set_isub_m, CF_METHOD},
    {"__ixor__", set_ixor_m, CF_METHOD},
    {"add", set_add_m, CF_METHOD},
    {"remove", set_remove_m, CF_METHOD},
    {"discard", set_discard_m, CF_METHOD},
    {"pop", set_pop_m, CF_METHOD},
    {"clear", set_clear_m, CF_METHOD},
    {"update", set_update_m, CF_METHOD},
    {"intersection_update", set_intersection_update_m, CF_METHOD},
    {"difference_update", set_difference_update_m, CF_METHOD},
    {"symmetric_difference_update", set_symdiff_update_m, CF_METHOD},
    {NULL, NULL, 0}
};

static const vm_method frozenset_methods[] = {
    {"__new__", frozenset_new_m, CF_STATIC},
    COMMON_METHODS,
    {"__hash__", frozenset_hash_m, CF_METHOD},
    {NULL, NULL, 0}
};

void obj_set_init(Thread *th) {
    vm_tidinfo[T_SET] = (vm_typeinfo){set_size, set_trace};
    vm_tidinfo[T_FROZENSET] = (vm_typeinfo){set_size, set_trace};
    set_iter_kind = vm_iter_kind(set_iter_next, "set_iterator");
    vm_add_methods(th, vm.t_set, set_methods);
    vm_add_methods(th, vm.t_frozenset, frozenset_methods);
    ctr_set_unhashable(th, vm.t_set);
}
