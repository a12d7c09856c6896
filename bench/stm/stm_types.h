/* stm_types.h — the object types of the libstm benchmarks and their stmcb_* callbacks. */
#ifndef BENCH_STM_TYPES_H
#define BENCH_STM_TYPES_H

#include "stm.h"
#include <stdio.h>
#include <stdlib.h>

enum { TID_CELL = 1, TID_ARRAY = 2 };
typedef struct { int64_t val; } cell_t;
typedef struct { uint64_t n; stm_obj *items[]; } array_t;

size_t stmcb_size(uint16_t tid, const void *payload) {
    if (tid == TID_CELL) return sizeof(cell_t);
    if (tid == TID_ARRAY) return sizeof(array_t) + ((const array_t *)payload)->n * sizeof(stm_obj *);
    fprintf(stderr, "stmcb_size: unknown tid %u\n", (unsigned)tid);
    abort();
}

void stmcb_trace(uint16_t tid, void *payload, void (*visit)(stm_obj **ref, void *ctx), void *ctx) {
    if (tid == TID_ARRAY) {
        array_t *a = payload;
        for (uint64_t i = 0; i < a->n; i++) visit(&a->items[i], ctx);
    }
}

/* In a running transaction of t: create an array of n fresh cells of value `init` and leave it
   on top of t's shadow stack (reloaded from there after every allocation: a moving point). */
static void make_cell_array(stm_thread *t, unsigned n, int64_t init, uint16_t flags) {
    stm_obj *a = stm_allocate(t, TID_ARRAY, sizeof(array_t) + n * sizeof(stm_obj *), flags);
    if (!a) { fprintf(stderr, "out of memory\n"); exit(2); }
    ((array_t *)stm_payload(a))->n = n;
    size_t slot = (size_t)(t->roots_top - t->roots_base);
    stm_push_root(t, a);
    for (unsigned i = 0; i < n; i++) {
        stm_obj *c = stm_allocate(t, TID_CELL, sizeof(cell_t), 0);
        if (!c) { fprintf(stderr, "out of memory\n"); exit(2); }
        ((cell_t *)stm_payload(c))->val = init;
        a = t->roots_base[slot];
        ((array_t *)stm_write(t, a))->items[i] = c;   /* stm_write: a may be old-private now */
    }
}

/* Outside a transaction: create a committed immutable array of n cells in a transaction of its
   own; returns it, left on top of t's shadow stack (pop it or keep it there as a root). */
static stm_obj *committed_cell_array(stm_thread *t, unsigned n, int64_t init) {
    size_t base = (size_t)(t->roots_top - t->roots_base);
    STM_START(t);
    t->roots_top = t->roots_base + base;
    make_cell_array(t, n, init, STM_IMMUTABLE);
    stm_commit(t);
    return t->roots_base[base];   /* still on the shadow stack */
}

#endif
