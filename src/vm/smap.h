/* smap.h — the shared representation of dicts and sets (obj_smap.c), for obj_dict.c and obj_set.c. */
#ifndef VM_SMAP_H
#define VM_SMAP_H

#include "vm.h"

/* An item: one key of a shared dict or set (the value is NULL in a set).  Only `value` and
   `dead` change after the inserting transaction commits. */
typedef struct SItem {
    ObjHead h;
    int64_t hash;
    Value key, value;
    uint64_t stamp;            /* commit timestamp of the insert (UINT64_MAX until it commits) */
    uint64_t seq;              /* inserting thread's sequence number */
    int64_t dead;              /* 1 once removed */
} SItem;

static inline bool smap_is(Value v) { return v && !IS_SMALL(v) && v->tid == T_SMAP; }

/* A new empty map, or NULL (MemoryError).  A moving point. */
Value smap_new(Thread *th);
/* Number of items.  Not a moving point. */
int64_t smap_len(Thread *th, Value m);
/* The item with key *pk (hash known): 1 (*item set), 0 missing, -1 error (__eq__ raised).
   pm and pk are root slots; may run Python code. */
int smap_find(Thread *th, Value *pm, Value *pk, int64_t hash, Value *item);
/* Append a new item (the caller knows the key is missing): 0, or -1 (MemoryError).
   pv may be NULL (sets).  A moving point. */
int smap_insert(Thread *th, Value *pm, Value *pk, Value *pv, int64_t hash);
/* Remove a live item found by smap_find: 0, or -1 (MemoryError).  A moving point. */
int smap_remove(Thread *th, Value *pm, Value *pitem);
/* A tuple: `reserve` leading slots (MK_SMALL(0)), then the items in order; with pafter (a root
   slot holding an item) only the items ordered after it.  A moving point. */
Value smap_snapshot(Thread *th, Value *pm, Value *pafter, int reserve);
/* The first (last = false) or last item in order, NULL if empty.  Not a moving point. */
Value smap_end(Thread *th, Value m, bool last);
/* Iterate in order without allocating: *pos starts at 0; 1 with *item, 0 at the end.  Not a
   moving point (a per-thread C-side index is rebuilt when *pos is 0 or the map changed). */
int smap_next(Thread *th, Value m, int64_t *pos, Value *item);
/* Per-thread clean-up (vm_thread_free) and transaction boundaries (vm_tx_started). */
void smap_thread_free(Thread *th);
static inline void smap_tx_boundary(Thread *th) { th->smap_gen++; }

#endif
