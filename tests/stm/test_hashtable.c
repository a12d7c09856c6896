/* test_hashtable.c — the STM hash table: deterministic scenarios, then a seeded random test
 * against a model map.
 *
 * Usage: test-stm-hashtable [--seeds N] [--seed S] [--ops N] [--no-fork] [-v] [scenario-filter]
 *   --seed S runs only random seed S (no scenarios).
 */
#include "testlib.h"

static long hook_calls;
static void abort_hook(const stm_abort_info *info) { (void)info; hook_calls++; }

/* ------------------------------------------------------------------------------------------ */
/* helpers                                                                                      */

static int64_t val_of(stm_thread *t, stm_obj *v) {
    return v ? ((const cell *)stm_read(t, v))->value : 0;
}

/* G[slot] = a new committed, empty table */
static void op_mk_table(sim *s, void *arg) {
    int slot = *(int *)arg;
    stm_obj *h = stm_hashtable_create(s->t);
    CHECK(h != NULL);
    CHECK_EQ(h->tid, STM_TID_HASHTABLE);
    CHECK_EQ(stm_hashtable_length(s->t, h), 0);
    CHECK(stm_hashtable_read(s->t, h, 0) == NULL);
    stm_push_root(s->t, h);
    stm_commit(s->t);
    s->in_tx = false;
    G[slot] = stm_pop_root(s->t);
}
static void mk_table(sim *s, int slot) {
    EXPECT_OK(s, sim_start(s));
    EXPECT_OK(s, sim_exec(s, op_mk_table, &slot));
}

/* h[key] = a new cell holding v (v == 0: NULL, i.e. delete) */
struct hw_arg { stm_obj *h; uintptr_t key; int64_t v; };
static void op_hput(sim *s, void *arg) {
    struct hw_arg *a = arg;
    stm_obj *c = NULL;
    if (a->v) {
        c = stm_allocate(s->t, TID_CELL, sizeof(cell), 0);
        CHECK(c != NULL);
        ((cell *)stm_payload(c))->value = a->v;
    }
    stm_hashtable_write(s->t, a->h, a->key, c);
}
static int hput(sim *s, stm_obj *h, uintptr_t key, int64_t v) {
    struct hw_arg a = { h, key, v };
    return sim_exec(s, op_hput, &a);
}
/* many keys in one step: key = base + i*stride, value = vbase + i */
struct hmany_arg { stm_obj *h; uintptr_t base, stride; int n; int64_t vbase; };
static void op_hmany(sim *s, void *arg) {
    struct hmany_arg *a = arg;
    for (int i = 0; i < a->n; i++) {
        struct hw_arg w = { a->h, a->base + (uintptr_t)i * a->stride, a->vbase ? a->vbase + i : 0 };
        op_hput(s, &w);
    }
}
static int hmany(sim *s, stm_obj *h, uintptr_t base, uintptr_t stride, int n, int64_t vbase) {
    struct hmany_arg a = { h, base, stride, n, vbase };
    return sim_exec(s, op_hmany, &a);
}
/* check many keys: returns mismatches */
struct hchk_arg { stm_obj *h; uintptr_t base, stride; int n; int64_t vbase; long bad; };
static void op_hchk(sim *s, void *arg) {
    struct hchk_arg *a = arg;
    a->bad = 0;
    for (int i = 0; i < a->n; i++) {
        stm_obj *v = stm_hashtable_read(s->t, a->h, a->base + (uintptr_t)i * a->stride);
        if (val_of(s->t, v) != (a->vbase ? a->vbase + i : 0)) a->bad++;
    }
}
static long hchk_line(sim *s, stm_obj *h, uintptr_t base, uintptr_t stride, int n, int64_t vbase,
                      int line) {
    struct hchk_arg a = { h, base, stride, n, vbase, -1 };
    int r = sim_exec(s, op_hchk, &a);
    tl_check(r == 0, __FILE__, line, "%s aborted while checking keys (%s)", s->name,
             cause_name(s->cause));
    return r ? -1 : a.bad;
}
#define HCHK(s, h, base, stride, n, vbase) hchk_line(s, h, base, stride, n, vbase, __LINE__)

struct hget_arg { stm_obj *h; uintptr_t key; int64_t v; size_t len; };
static void op_hget(sim *s, void *arg) {
    struct hget_arg *a = arg;
    a->v = val_of(s->t, stm_hashtable_read(s->t, a->h, a->key));
}
static void op_hlen(sim *s, void *arg) {
    struct hget_arg *a = arg;
    a->len = stm_hashtable_length(s->t, a->h);
}
#define EXPECT_HGET(s, h, key, expected) do { struct hget_arg ga_ = { h, key, -1, 0 }; \
        int r_ = sim_exec(s, op_hget, &ga_); \
        tl_check(r_ == 0 && ga_.v == (int64_t)(expected), __FILE__, __LINE__, \
                 "%s: h[%s]: got %lld (%s), expected %lld", (s)->name, #key, (long long)ga_.v, \
                 r_ ? cause_name((s)->cause) : "ok", (long long)(expected)); } while (0)
#define EXPECT_HLEN(s, h, expected) do { struct hget_arg ga_ = { h, 0, 0, (size_t)-1 }; \
        int r_ = sim_exec(s, op_hlen, &ga_); \
        tl_check(r_ == 0 && ga_.len == (size_t)(expected), __FILE__, __LINE__, \
                 "%s: length: got %zu (%s), expected %zu", (s)->name, ga_.len, \
                 r_ ? cause_name((s)->cause) : "ok", (size_t)(expected)); } while (0)

/* foreach: collect up to 64 (key, value) pairs */
struct fe_arg { stm_obj *h; stm_thread *t; int n; uintptr_t keys[4096]; int64_t vals[4096]; };
static void fe_fn(uintptr_t key, stm_obj *value, void *arg) {
    struct fe_arg *a = arg;
    if (a->n < 4096) { a->keys[a->n] = key; a->vals[a->n] = value ? val_of(a->t, value) : -1; }
    a->n++;
}
static void op_foreach(sim *s, void *arg) {
    struct fe_arg *a = arg;
    a->t = s->t;
    a->n = 0;
    stm_hashtable_foreach(s->t, a->h, fe_fn, a);
}
static struct fe_arg fe;
static int64_t fe_lookup(uintptr_t key) {
    int64_t v = 0;
    int hits = 0;
    for (int i = 0; i < fe.n && i < 4096; i++) if (fe.keys[i] == key) { v = fe.vals[i]; hits++; }
    return hits == 1 ? v : hits == 0 ? 0 : -2;
}

static uint64_t aborts_all(sim *s) {
    stm_stats st;
    stm_get_stats(s->t, &st);
    uint64_t n = 0;
    for (int i = 0; i < STM_ABORT_CAUSES; i++) n += st.aborts[i];
    return n;
}

static void sim_end(sim *s) {
    if (s->in_tx) {
        if (stm_is_inevitable(s->t)) sim_commit(s);
        else sim_abort(s);
    }
    sim_done(s);
}

static sim bumper;
static stm_obj *bump_cell;
static void bump(void) {
    EXPECT_OK(&bumper, sim_start(&bumper));
    EXPECT_OK(&bumper, sim_write(&bumper, bump_cell, 1));
    EXPECT_OK(&bumper, sim_commit(&bumper));
}

/* ------------------------------------------------------------------------------------------ */
/* scenarios                                                                                    */

static const uintptr_t odd_keys[] = { 0, 1, 42, UINTPTR_MAX, (uintptr_t)1 << 63, 0xdeadbeef,
                                      16, 32, 48, 1024 };
#define NODD (sizeof odd_keys / sizeof odd_keys[0])

static void op_basic(sim *s, void *arg) {
    stm_obj *h = arg;
    for (size_t i = 0; i < NODD; i++) {
        struct hw_arg w = { h, odd_keys[i], 100 + (int64_t)i };
        op_hput(s, &w);
    }
    CHECK_EQ(stm_hashtable_length(s->t, h), NODD);
    for (size_t i = 0; i < NODD; i++)
        CHECK_EQ(val_of(s->t, stm_hashtable_read(s->t, h, odd_keys[i])), 100 + (int64_t)i);
    CHECK(stm_hashtable_read(s->t, h, 2) == NULL);
    CHECK(stm_hashtable_read(s->t, h, UINTPTR_MAX - 1) == NULL);
}
static void t_basic(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    mk_table(&A, 0);
    stm_obj *h = G[0];
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, sim_exec(&A, op_basic, h));
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_OK(&B, sim_start(&B));
    for (size_t i = 0; i < NODD; i++) EXPECT_HGET(&B, h, odd_keys[i], 100 + (int64_t)i);
    EXPECT_HGET(&B, h, 2, 0);
    EXPECT_HLEN(&B, h, NODD);
    fe.h = h;
    EXPECT_OK(&B, sim_exec(&B, op_foreach, &fe));
    CHECK_EQ(fe.n, NODD);
    for (size_t i = 0; i < NODD; i++) CHECK_EQ(fe_lookup(odd_keys[i]), 100 + (int64_t)i);
    EXPECT_OK(&B, sim_commit(&B));
    sim_end(&A); sim_end(&B);
}

static void t_delete(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    mk_table(&A, 0);
    stm_obj *h = G[0];
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, hmany(&A, h, 10, 1, 5, 1));
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, hput(&A, h, 12, 0));
    EXPECT_HGET(&A, h, 12, 0);
    EXPECT_HLEN(&A, h, 4);
    EXPECT_OK(&A, hput(&A, h, 99, 0));      /* deleting an absent key: nothing */
    EXPECT_HLEN(&A, h, 4);
    EXPECT_OK(&A, hput(&A, h, 13, 0));
    EXPECT_OK(&A, hput(&A, h, 13, 7));      /* re-add in the same transaction */
    EXPECT_HLEN(&A, h, 4);
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_HGET(&B, h, 12, 3);              /* isolation */
    EXPECT_HLEN(&B, h, 5);
    EXPECT_OK(&B, sim_commit(&B));
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_HGET(&B, h, 12, 0);
    EXPECT_HGET(&B, h, 13, 7);
    EXPECT_HLEN(&B, h, 4);
    fe.h = h;
    EXPECT_OK(&B, sim_exec(&B, op_foreach, &fe));
    CHECK_EQ(fe.n, 4);
    CHECK_EQ(fe_lookup(12), 0);
    CHECK_EQ(fe_lookup(10), 1);
    CHECK_EQ(fe_lookup(13), 7);
    EXPECT_OK(&B, sim_commit(&B));
    sim_end(&A); sim_end(&B);
}

static void t_isolation_and_abort(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    mk_table(&A, 0);
    stm_obj *h = G[0];
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, hmany(&A, h, 0, 1, 10, 50));
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, hput(&A, h, 3, 0));
    EXPECT_OK(&A, hput(&A, h, 100, 1));
    EXPECT_OK(&A, hput(&A, h, 4, 999));
    EXPECT_HLEN(&A, h, 10);
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_HGET(&B, h, 100, 0);
    EXPECT_HGET(&B, h, 4, 54);
    EXPECT_HLEN(&B, h, 10);
    EXPECT_OK(&B, sim_commit(&B));
    EXPECT_ABORT(&A, sim_abort(&A), STM_ABORT_EXPLICIT);
    EXPECT_OK(&B, sim_start(&B));
    CHECK_EQ(HCHK(&B, h, 0, 1, 10, 50), 0);
    EXPECT_HGET(&B, h, 100, 0);
    EXPECT_HLEN(&B, h, 10);
    EXPECT_OK(&B, sim_commit(&B));
    sim_end(&A); sim_end(&B);
}

static void t_different_keys_no_conflict(void) {
    sim A, B, C;
    sim_init(&A, "A"); sim_init(&B, "B"); sim_init(&C, "C");
    mk_table(&A, 0);
    stm_obj *h = G[0];
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, hmany(&A, h, 0, 1, 4, 10));
    EXPECT_OK(&A, sim_commit(&A));
    uint64_t a0 = aborts_all(&A) + aborts_all(&B) + aborts_all(&C);
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&C, sim_start(&C));
    EXPECT_HGET(&A, h, 0, 10);               /* A reads key 0, writes key 1 */
    EXPECT_HGET(&B, h, 2, 12);               /* B reads key 2, writes key 3 */
    EXPECT_OK(&A, hput(&A, h, 1, 21));
    EXPECT_OK(&B, hput(&B, h, 3, 23));
    EXPECT_OK(&A, hput(&A, h, 500, 1));      /* and each inserts a new key */
    EXPECT_OK(&B, hput(&B, h, 501, 2));
    EXPECT_HGET(&C, h, 1, 11);               /* C reads keys only written by A... */
    EXPECT_OK(&C, hput(&C, h, 502, 3));      /* ...and inserts another */
    EXPECT_OK(&B, sim_commit(&B));
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_ABORT(&C, sim_commit(&C), STM_ABORT_READ_WRITE);   /* it read key 1 */
    CHECK_EQ(aborts_all(&A) + aborts_all(&B), 0);
    EXPECT_OK(&C, sim_start(&C));
    EXPECT_HGET(&C, h, 1, 21);
    EXPECT_HGET(&C, h, 3, 23);
    EXPECT_HGET(&C, h, 500, 1);
    EXPECT_HGET(&C, h, 501, 2);
    EXPECT_HGET(&C, h, 502, 0);
    EXPECT_HLEN(&C, h, 6);
    EXPECT_OK(&C, sim_commit(&C));
    CHECK_EQ(aborts_all(&A) + aborts_all(&B) + aborts_all(&C) - a0, 1);
    sim_end(&A); sim_end(&B); sim_end(&C);
}

/* Two threads insert thousands of distinct keys, interleaved, growing the table many times:
   no conflict at all; a reader of old keys meanwhile commits too. */
static void t_growth_no_conflict(void) {
    sim A, B, C;
    sim_init(&A, "A"); sim_init(&B, "B"); sim_init(&C, "C");
    mk_table(&A, 0);
    stm_obj *h = G[0];
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, hmany(&A, h, 1000000, 1, 20, 7));
    EXPECT_OK(&A, sim_commit(&A));
    stm_stats g0, g1;
    stm_get_global_stats(&g0);
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&C, sim_start(&C));
    for (int chunk = 0; chunk < 40; chunk++) {
        EXPECT_OK(&A, hmany(&A, h, (uintptr_t)chunk * 100 + 1, 2, 50, 1 + chunk * 50));
        EXPECT_OK(&B, hmany(&B, h, (uintptr_t)chunk * 100, 2, 50, 100001 + chunk * 50));
        if (chunk % 10 == 0) EXPECT_HGET(&C, h, 1000000 + (uintptr_t)chunk / 10, 7 + chunk / 10);
        if (chunk == 20) { EXPECT_OK(&A, sim_minor(&A)); EXPECT_OK(&B, sim_major(&B)); }
    }
    EXPECT_HLEN(&A, h, 20 + 2000);
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_OK(&B, sim_commit(&B));
    EXPECT_OK(&C, sim_commit(&C));
    stm_get_global_stats(&g1);
    uint64_t ab = 0;
    for (int i = 0; i < STM_ABORT_CAUSES; i++) ab += g1.aborts[i] - g0.aborts[i];
    CHECK_EQ(ab, 0);
    EXPECT_OK(&C, sim_start(&C));
    EXPECT_HLEN(&C, h, 4020);
    CHECK_EQ(HCHK(&C, h, 1, 2, 2000, 1), 0);
    CHECK_EQ(HCHK(&C, h, 0, 2, 2000, 100001), 0);
    CHECK_EQ(HCHK(&C, h, 1000000, 1, 20, 7), 0);
    EXPECT_OK(&C, sim_major(&C));
    CHECK_EQ(HCHK(&C, h, 1, 2, 2000, 1), 0);
    EXPECT_OK(&C, sim_commit(&C));
    sim_end(&A); sim_end(&B); sim_end(&C);
}

static void t_same_key_ww(void) {
    sim A, B, C;
    sim_init(&A, "A"); sim_init(&B, "B"); sim_init(&C, "C");
    mk_table(&A, 0);
    stm_obj *h = G[0];
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, hput(&A, h, 5, 1));
    EXPECT_OK(&A, sim_commit(&A));
    /* younger second writer aborts */
    EXPECT_OK(&A, sim_start(&A));
    bump();
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&A, hput(&A, h, 5, 2));
    EXPECT_ABORT(&B, hput(&B, h, 5, 3), STM_ABORT_WRITE_WRITE);
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_OK(&B, sim_start(&B));            /* B's retry keeps its age: commit it first */
    EXPECT_OK(&B, sim_commit(&B));
    /* older second writer wins; also for a brand-new key */
    EXPECT_OK(&A, sim_start(&A));
    bump();
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, hput(&B, h, 5, 4));
    EXPECT_OK(&B, hput(&B, h, 77, 4));
    EXPECT_OK(&A, hput(&A, h, 77, 5));
    EXPECT_ABORT(&B, sim_poke(&B), STM_ABORT_WRITE_WRITE);
    EXPECT_OK(&C, sim_start(&C));
    EXPECT_OK(&C, hput(&C, h, 5, 6));       /* B's lock on key 5 released */
    EXPECT_OK(&C, sim_commit(&C));
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_OK(&C, sim_start(&C));
    EXPECT_HGET(&C, h, 5, 6);
    EXPECT_HGET(&C, h, 77, 5);
    EXPECT_OK(&C, sim_commit(&C));
    sim_end(&A); sim_end(&B); sim_end(&C);
}

static void t_read_then_write_commit(void) {
    sim A, B, R;
    sim_init(&A, "A"); sim_init(&B, "B"); sim_init(&R, "R");
    mk_table(&A, 0);
    stm_obj *h = G[0];
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, hput(&A, h, 5, 1));
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_OK(&A, sim_start(&A));            /* A: reads 5, writes 6 */
    EXPECT_OK(&R, sim_start(&R));            /* R: reads 5, read-only */
    EXPECT_HGET(&A, h, 5, 1);
    EXPECT_HGET(&R, h, 5, 1);
    EXPECT_OK(&A, hput(&A, h, 6, 1));
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, hput(&B, h, 5, 2));
    EXPECT_OK(&B, sim_commit(&B));
    EXPECT_HGET(&R, h, 5, 1);
    EXPECT_ABORT(&A, sim_commit(&A), STM_ABORT_READ_WRITE);
    EXPECT_OK(&R, sim_commit(&R));
    /* reading an absent key, then another inserts it */
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_HGET(&A, h, 9, 0);
    EXPECT_OK(&A, hput(&A, h, 10, 1));
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, hput(&B, h, 9, 9));
    EXPECT_OK(&B, sim_commit(&B));
    EXPECT_ABORT(&A, sim_commit(&A), STM_ABORT_READ_WRITE);
    /* opacity across two keys */
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_HGET(&A, h, 5, 2);
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, hput(&B, h, 5, 3));
    EXPECT_OK(&B, hput(&B, h, 9, 3));
    EXPECT_OK(&B, sim_commit(&B));
    struct hget_arg ga = { h, 9, -1, 0 };
    EXPECT_ABORT(&A, sim_exec(&A, op_hget, &ga), STM_ABORT_READ_WRITE);
    sim_end(&A); sim_end(&B); sim_end(&R);
}

static void listing_then_add(bool use_foreach, bool writer) {
    sim L, B;
    sim_init(&L, "L"); sim_init(&B, "B");
    mk_table(&L, 0);
    stm_obj *h = G[0];
    EXPECT_OK(&L, sim_start(&L));
    EXPECT_OK(&L, hmany(&L, h, 0, 1, 3, 1));
    EXPECT_OK(&L, sim_commit(&L));
    EXPECT_OK(&L, sim_start(&L));
    if (use_foreach) {
        fe.h = h;
        EXPECT_OK(&L, sim_exec(&L, op_foreach, &fe));
        CHECK_EQ(fe.n, 3);
    } else {
        EXPECT_HLEN(&L, h, 3);
    }
    if (writer) EXPECT_OK(&L, hput(&L, h, 1000, 1));   /* a key B does not touch */
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, hput(&B, h, 50, 5));       /* a new key */
    EXPECT_OK(&B, sim_commit(&B));
    EXPECT_HGET(&L, h, 0, 1);                /* unchanged key: no conflict */
    if (writer) EXPECT_ABORT(&L, sim_commit(&L), STM_ABORT_READ_WRITE);
    else EXPECT_OK(&L, sim_commit(&L));
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_HLEN(&B, h, 4);
    EXPECT_OK(&B, sim_commit(&B));
    sim_end(&L); sim_end(&B);
}
/* Listing again after a commit that added a key: the same view (no phantom), or an abort. */
static void t_relist_after_add(void) {
    for (int use_foreach = 0; use_foreach < 2; use_foreach++) {
        sim L, B;
        sim_init(&L, "L"); sim_init(&B, "B");
        mk_table(&L, 0);
        stm_obj *h = G[0];
        EXPECT_OK(&L, sim_start(&L));
        EXPECT_OK(&L, hmany(&L, h, 0, 1, 3, 1));
        EXPECT_OK(&L, sim_commit(&L));
        EXPECT_OK(&L, sim_start(&L));
        EXPECT_HLEN(&L, h, 3);
        EXPECT_OK(&B, sim_start(&B));
        EXPECT_OK(&B, hput(&B, h, 50, 5));
        EXPECT_OK(&B, sim_commit(&B));
        int r;
        size_t n;
        if (use_foreach) { fe.h = h; r = sim_exec(&L, op_foreach, &fe); n = (size_t)fe.n; }
        else { struct hget_arg ga = { h, 0, 0, 0 }; r = sim_exec(&L, op_hlen, &ga); n = ga.len; }
        CHECKF(r ? L.cause == STM_ABORT_READ_WRITE : n == 3,
               "second listing after an add: %s, %zu keys", r ? cause_name(L.cause) : "ok", n);
        sim_end(&L); sim_end(&B);
    }
}
static void t_length_then_add_writer(void) { listing_then_add(false, true); }
static void t_length_then_add_readonly(void) { listing_then_add(false, false); }
static void t_foreach_then_add_writer(void) { listing_then_add(true, true); }
static void t_foreach_then_add_readonly(void) { listing_then_add(true, false); }

/* Listing, then another commits a change of a listed value / a delete: the writing lister
   read those values, so it must not commit after them. */
static void t_foreach_then_update_or_delete(void) {
    for (int del = 0; del < 2; del++) {
        sim L, B;
        sim_init(&L, "L"); sim_init(&B, "B");
        mk_table(&L, 0);
        stm_obj *h = G[0];
        EXPECT_OK(&L, sim_start(&L));
        EXPECT_OK(&L, hmany(&L, h, 0, 1, 3, 1));
        EXPECT_OK(&L, sim_commit(&L));
        EXPECT_OK(&L, sim_start(&L));
        fe.h = h;
        EXPECT_OK(&L, sim_exec(&L, op_foreach, &fe));
        EXPECT_OK(&L, hput(&L, h, 1000, 1));
        EXPECT_OK(&B, sim_start(&B));
        EXPECT_OK(&B, hput(&B, h, 1, del ? 0 : 99));
        EXPECT_OK(&B, sim_commit(&B));
        EXPECT_ABORT(&L, sim_commit(&L), STM_ABORT_READ_WRITE);
        sim_end(&L); sim_end(&B);
    }
}

/* A lister whose own transaction adds and deletes keys sees them. */
static void t_listing_sees_own_writes(void) {
    sim A;
    sim_init(&A, "A");
    mk_table(&A, 0);
    stm_obj *h = G[0];
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, hmany(&A, h, 0, 1, 5, 1));
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, hput(&A, h, 100, 8));
    EXPECT_OK(&A, hput(&A, h, 101, 9));
    EXPECT_OK(&A, hput(&A, h, 2, 0));
    EXPECT_OK(&A, hput(&A, h, 3, 33));
    EXPECT_HLEN(&A, h, 6);
    fe.h = h;
    EXPECT_OK(&A, sim_exec(&A, op_foreach, &fe));
    CHECK_EQ(fe.n, 6);
    CHECK_EQ(fe_lookup(100), 8);
    CHECK_EQ(fe_lookup(2), 0);
    CHECK_EQ(fe_lookup(3), 33);
    CHECK_EQ(fe_lookup(0), 1);
    EXPECT_OK(&A, sim_commit(&A));
    sim_end(&A);
}

/* Values are GC references: private values move at minor collections and commit, committed
   ones survive major collections; the table itself may be reachable only from an object. */
static void t_values_survive_gc(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    mk_table(&A, 0);
    stm_obj *h = G[0];
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, hmany(&A, h, 0, 3, 600, 1000));
    EXPECT_OK(&A, sim_minor(&A));
    CHECK_EQ(HCHK(&A, h, 0, 3, 600, 1000), 0);
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_major(&B));            /* A left with private values */
    EXPECT_OK(&B, sim_commit(&B));
    CHECK_EQ(HCHK(&A, h, 0, 3, 600, 1000), 0);
    EXPECT_OK(&A, sim_commit(&A));
    for (int round = 0; round < 3; round++) {
        EXPECT_OK(&B, sim_start(&B));
        EXPECT_OK(&B, sim_major(&B));
        CHECK_EQ(HCHK(&B, h, 0, 3, 600, 1000), 0);
        EXPECT_HLEN(&B, h, 600);
        EXPECT_OK(&B, sim_commit(&B));
    }
    sim_end(&A); sim_end(&B);
}

struct hide_arg { stm_obj *h; };
static void op_hide_table(sim *s, void *arg) {
    struct hide_arg *a = arg;
    stm_obj *c = stm_allocate(s->t, TID_CELL, sizeof(cell), 0);
    ((cell *)stm_payload(c))->next = a->h;
    ((cell *)stm_payload(c))->value = 1;
    stm_push_root(s->t, c);
    stm_commit(s->t);
    s->in_tx = false;
    G[1] = stm_pop_root(s->t);
    G[0] = NULL;
}
static void t_table_inside_object(void) {
    sim A;
    sim_init(&A, "A");
    mk_table(&A, 0);
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, hmany(&A, G[0], 7, 7, 100, 1));
    EXPECT_OK(&A, sim_commit(&A));
    struct hide_arg ha = { G[0] };
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, sim_exec(&A, op_hide_table, &ha));
    for (int i = 0; i < 2; i++) {
        EXPECT_OK(&A, sim_start(&A));
        EXPECT_OK(&A, sim_major(&A));
        stm_obj *h = NULL;
        EXPECT_OK(&A, sim_read_next(&A, G[1], &h));
        CHECK(h == ha.h);
        if (h) CHECK_EQ(HCHK(&A, h, 7, 7, 100, 1), 0);
        EXPECT_OK(&A, sim_commit(&A));
    }
    sim_end(&A);
}

static void op_new_table_in_cell(sim *s, void *arg) {
    (void)arg;
    stm_thread *t = s->t;
    stm_obj *h = stm_hashtable_create(t);
    stm_push_root(t, h);
    for (int i = 0; i < 50; i++) {
        struct hw_arg w = { t->roots_top[-1], (uintptr_t)i, 500 + i };
        op_hput(s, &w);
    }
    stm_obj *c = stm_allocate(t, TID_CELL, sizeof(cell), 0);
    ((cell *)stm_payload(c))->next = t->roots_top[-1];
    t->roots_top[-1] = c;
    _stm_minor_collect(t);
    c = t->roots_top[-1];
    h = ((const cell *)stm_read(t, c))->next;
    CHECK_EQ(stm_hashtable_length(t, h), 50);
    stm_commit(t);
    s->in_tx = false;
    G[2] = stm_pop_root(t);
}
static void t_new_table_private(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, sim_exec(&A, op_new_table_in_cell, NULL));
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_major(&B));
    stm_obj *h = NULL;
    EXPECT_OK(&B, sim_read_next(&B, G[2], &h));
    CHECK(h != NULL);
    if (h) {
        CHECK_EQ(HCHK(&B, h, 0, 1, 50, 500), 0);
        EXPECT_HLEN(&B, h, 50);
    }
    EXPECT_OK(&B, sim_commit(&B));
    sim_end(&A); sim_end(&B);
}

/* Deleted keys (NULL entries) can be dropped by a major collection; the table stays right. */
static void t_delete_all_then_gc(void) {
    sim A;
    sim_init(&A, "A");
    mk_table(&A, 0);
    stm_obj *h = G[0];
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, hmany(&A, h, 0, 1, 3000, 1));
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, sim_major(&A));
    EXPECT_OK(&A, sim_commit(&A));
    size_t h1 = stm_heap_size();
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, hmany(&A, h, 0, 1, 3000, 0));
    EXPECT_HLEN(&A, h, 0);
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, sim_major(&A));
    EXPECT_OK(&A, sim_commit(&A));
    size_t h2 = stm_heap_size();
    CHECKF(h2 < h1, "heap %zu -> %zu after deleting 3000 keys and a major collection", h1, h2);
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_HLEN(&A, h, 0);
    CHECK_EQ(HCHK(&A, h, 0, 1, 3000, 0), 0);
    EXPECT_OK(&A, hmany(&A, h, 10, 1, 100, 77));
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, sim_major(&A));
    CHECK_EQ(HCHK(&A, h, 10, 1, 100, 77), 0);
    EXPECT_HLEN(&A, h, 100);
    EXPECT_OK(&A, sim_commit(&A));
    sim_end(&A);
}

/* A reader that read an absent key before a collection that dropped it still conflicts with an
   insert of that key. */
static void t_absent_key_read_survives_gc(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    mk_table(&A, 0);
    stm_obj *h = G[0];
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, hput(&A, h, 5, 1));
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, hput(&A, h, 5, 0));
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_HGET(&A, h, 5, 0);
    EXPECT_HGET(&A, h, 6, 0);
    EXPECT_OK(&A, hput(&A, h, 7, 1));
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_major(&B));
    EXPECT_OK(&B, hput(&B, h, 5, 2));
    EXPECT_OK(&B, sim_commit(&B));
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_major(&B));
    EXPECT_OK(&B, sim_commit(&B));
    EXPECT_HGET(&A, h, 5, 0);
    EXPECT_ABORT(&A, sim_commit(&A), STM_ABORT_READ_WRITE);
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_HGET(&A, h, 5, 2);
    EXPECT_OK(&A, sim_commit(&A));
    sim_end(&A); sim_end(&B);
}

/* A key deleted by a commit newer than a running transaction's snapshot: a major collection
   must not drop its entry in a way that shows the running transaction the key as absent while it
   saw another key of the same commit in its old state. */
static void t_delete_gc_opacity(void) {
    for (int readonly = 0; readonly < 2; readonly++) {
        sim R, D, C;
        sim_init(&R, "R"); sim_init(&D, "D"); sim_init(&C, "C");
        mk_table(&D, 0);
        stm_obj *h = G[0];
        EXPECT_OK(&D, sim_start(&D));
        EXPECT_OK(&D, hput(&D, h, 1, 10));
        EXPECT_OK(&D, hput(&D, h, 2, 20));
        EXPECT_OK(&D, sim_commit(&D));
        EXPECT_OK(&R, sim_start(&R));
        EXPECT_HGET(&R, h, 1, 10);
        if (!readonly) EXPECT_OK(&R, hput(&R, h, 3, 30));
        EXPECT_OK(&D, sim_start(&D));         /* one commit: key 1 changed, key 2 deleted */
        EXPECT_OK(&D, hput(&D, h, 1, 11));
        EXPECT_OK(&D, hput(&D, h, 2, 0));
        EXPECT_OK(&D, sim_commit(&D));
        EXPECT_OK(&C, sim_start(&C));
        EXPECT_OK(&C, sim_major(&C));
        EXPECT_OK(&C, sim_commit(&C));
        struct hget_arg ga = { h, 2, -1, 0 };
        int r = sim_exec(&R, op_hget, &ga);
        CHECKF(r ? R.cause == STM_ABORT_READ_WRITE : ga.v == 20,
               "R read key 1 = 10 (before D's commit), then key 2 = %lld (%s): expected 20 or "
               "a READ_WRITE abort", (long long)ga.v, r ? cause_name(R.cause) : "ok");
        if (!r) {
            int rc = sim_commit(&R);
            CHECKF(rc ? !readonly : 1, "R (read-only) could not commit");
        }
        sim_end(&R); sim_end(&D); sim_end(&C);
    }
}

static void t_inevitable(void) {
    sim I, B, C;
    sim_init(&I, "I"); sim_init(&B, "B"); sim_init(&C, "C");
    mk_table(&I, 0);
    stm_obj *h = G[0];
    EXPECT_OK(&I, sim_start(&I));
    EXPECT_OK(&I, hmany(&I, h, 0, 1, 5, 1));
    EXPECT_OK(&I, sim_commit(&I));
    EXPECT_OK(&B, sim_start(&B));            /* B older */
    bump();
    EXPECT_OK(&I, sim_start(&I));
    bool got = false;
    EXPECT_OK(&I, sim_try_inev(&I, &got));
    CHECK(got);
    EXPECT_HGET(&I, h, 1, 2);
    EXPECT_OK(&B, hput(&B, h, 1, 9));
    EXPECT_ABORT(&B, sim_commit(&B), STM_ABORT_INEVITABLE);
    EXPECT_OK(&I, hput(&I, h, 2, 30));
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_ABORT(&B, hput(&B, h, 2, 9), STM_ABORT_INEVITABLE);
    EXPECT_OK(&C, sim_start(&C));            /* unrelated key: fine */
    EXPECT_OK(&C, hput(&C, h, 4, 40));
    EXPECT_OK(&C, sim_commit(&C));
    EXPECT_HLEN(&I, h, 5);                   /* I lists: adding a key would be a phantom */
    EXPECT_OK(&C, sim_start(&C));
    EXPECT_OK(&C, hput(&C, h, 60, 1));
    EXPECT_ABORT(&C, sim_commit(&C), STM_ABORT_INEVITABLE);
    EXPECT_HLEN(&I, h, 5);
    EXPECT_OK(&I, sim_commit(&I));
    EXPECT_OK(&C, sim_start(&C));
    EXPECT_HGET(&C, h, 1, 2);
    EXPECT_HGET(&C, h, 2, 30);
    EXPECT_HGET(&C, h, 4, 40);
    EXPECT_HGET(&C, h, 60, 0);
    EXPECT_OK(&C, hput(&C, h, 60, 1));      /* I is gone: now fine */
    EXPECT_OK(&C, sim_commit(&C));
    sim_end(&I); sim_end(&B); sim_end(&C);
}

static void t_two_tables(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    mk_table(&A, 0);
    mk_table(&A, 1);
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&A, hput(&A, G[0], 1, 1));
    EXPECT_OK(&B, hput(&B, G[1], 1, 2));
    EXPECT_HLEN(&A, G[0], 1);
    EXPECT_HLEN(&B, G[1], 1);                /* listing table 1 does not conflict with table 0 */
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_OK(&B, sim_commit(&B));
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_HGET(&A, G[0], 1, 1);
    EXPECT_HGET(&A, G[1], 1, 2);
    EXPECT_OK(&A, sim_commit(&A));
    sim_end(&A); sim_end(&B);
}

typedef struct { const char *name; void (*fn)(void); } scenario;
#define S(x) { #x, x }
static const scenario scenarios[] = {
    S(t_basic), S(t_delete), S(t_isolation_and_abort), S(t_different_keys_no_conflict),
    S(t_growth_no_conflict), S(t_same_key_ww), S(t_read_then_write_commit),
    S(t_length_then_add_writer), S(t_length_then_add_readonly), S(t_foreach_then_add_writer),
    S(t_foreach_then_add_readonly), S(t_foreach_then_update_or_delete), S(t_relist_after_add),
    S(t_listing_sees_own_writes), S(t_values_survive_gc), S(t_table_inside_object),
    S(t_new_table_private), S(t_delete_all_then_gc), S(t_absent_key_read_survives_gc),
    S(t_inevitable), S(t_two_tables), S(t_delete_gc_opacity),
};

/* ---------------------------------------------------------------------------------------------
 * Random test against a model map
 * ------------------------------------------------------------------------------------------- */

#define MAXK 512
#define RMAXTH 4

typedef struct { int kind; uintptr_t key; int64_t v; int64_t *merged; int ver_read;
                 long attempts; } hobs;
/* Failed commit attempts of transactions that added keys: the library counts a table's inserts
   before validating, so a lister may abort because of an inserter that itself aborted. */
static long insert_attempts;
static bool trace;
enum { OB_KEY, OB_LEN, OB_ALL };

static int64_t *mhist;          /* mhist[v * K + k]: value id of key k in version v (0 = absent) */
static unsigned char *mwrote;   /* mwrote[v * K + k]: the commit of version v wrote key k */
static int mnver, mcapver, K;
static int64_t muniq;

typedef struct rth {
    sim s;
    int idx;
    uint64_t age;
    bool retry, inev, doomed;
    int doom_mask;
    int start_ver;
    hobs *log;
    int nlog, caplog;
    int64_t own[MAXK];         /* own writes: -1 = not written */
    int nown;
    bool listed;
    int listed_ver;
    unsigned char *cand;
    uint64_t commits, aborts[STM_ABORT_CAUSES];
} rth;

static rth R[RMAXTH];
static int rnth;
static int rlock[MAXK];
static int rinev;
static uint64_t ragectr;
static bool rfailed;
static uint64_t rseed;
static long rop;

#define RFAIL(...) do { if (!rfailed) { tl_check(false, __FILE__, __LINE__, __VA_ARGS__); \
        printf("    (replay: --seed %llu; step %ld)\n", (unsigned long long)rseed, rop); } \
        rfailed = true; } while (0)

static int64_t *MV(int v) { return &mhist[(size_t)v * K]; }

static void mgrow(void) {
    if (mnver < mcapver) return;
    mcapver = mcapver ? mcapver * 2 : 256;
    mhist = realloc(mhist, (size_t)mcapver * MAXK * sizeof(int64_t));
    mwrote = realloc(mwrote, (size_t)mcapver * MAXK);
    for (int k = 0; k < RMAXTH; k++) R[k].cand = realloc(R[k].cand, (size_t)mcapver);
    if (!mhist) { perror("realloc"); exit(2); }
}

/* value of key k in version v as seen through own-writes snapshot m (NULL: none) */
static inline int64_t seen_in(int v, const int64_t *m, int k) {
    return m && m[k] != -1 ? m[k] : MV(v)[k];
}
static bool obs_matches(const hobs *o, int v) {
    switch (o->kind) {
    case OB_KEY: return seen_in(v, o->merged, (int)o->key) == o->v;
    case OB_LEN: {
        int64_t n = 0;
        for (int k = 0; k < K; k++) n += seen_in(v, o->merged, k) != 0;
        return n == o->v;
    }
    default: {   /* OB_ALL: merged[K..2K) holds the listing */
        for (int k = 0; k < K; k++) if (seen_in(v, o->merged, k) != o->merged[K + k]) return false;
        return true;
    }
    }
}
static bool rlog_matches(rth *x, int v) {
    for (int i = 0; i < x->nlog; i++) if (!obs_matches(&x->log[i], v)) return false;
    return true;
}
static bool rlatest_ok(rth *x) { return x->cand[mnver - 1]; }
/* An observation is stale when a commit since wrote its key (for a listing: any key), even if
   the value is the same again (the library works with versions). */
static bool obs_stale(const hobs *o) {
    if (o->kind != OB_KEY && o->attempts != insert_attempts) return true;
    for (int v = o->ver_read + 1; v < mnver; v++) {
        if (o->kind == OB_KEY) { if (mwrote[(size_t)v * K + o->key]) return true; }
        else for (int k = 0; k < K; k++) if (mwrote[(size_t)v * K + k]) return true;
    }
    return false;
}
static bool any_stale(rth *x) {
    for (int i = 0; i < x->nlog; i++) if (obs_stale(&x->log[i])) return true;
    return false;
}

static void robserve(rth *x, hobs o, const char *what) {
    if (x->nlog == x->caplog) {
        x->caplog = x->caplog ? 2 * x->caplog : 64;
        x->log = realloc(x->log, (size_t)x->caplog * sizeof(hobs));
    }
    bool fresh = !any_stale(x);
    o.ver_read = mnver - 1;
    o.attempts = insert_attempts;
    x->log[x->nlog++] = o;
    bool any = false;
    for (int v = x->start_ver; v < mnver; v++) {
        if (x->cand[v] && !obs_matches(&o, v)) x->cand[v] = 0;
        any |= x->cand[v];
    }
    if (!any && trace) {
        for (int v = x->start_ver; v < mnver; v++)
            for (int i = 0; i < x->nlog; i++)
                if (!obs_matches(&x->log[i], v)) {
                    const hobs *q = &x->log[i];
                    printf("    version %d: observation %d (kind %d key %llu seen %lld) differs "
                           "(version has %lld)\n", v, i, q->kind, (unsigned long long)q->key,
                           (long long)q->v, q->kind == OB_KEY ? (long long)seen_in(v, q->merged, (int)q->key) : -1LL);
                    break;
                }
    }
    if (!any) RFAIL("opacity: thread %d %s (key %llu, seen %lld) matches no version %d..%d "
                    "together with its other observations", x->idx, what,
                    (unsigned long long)o.key, (long long)o.v, x->start_ver, mnver - 1);
    else if (fresh && !obs_matches(&o, mnver - 1))
        RFAIL("stale: thread %d %s (key %llu, seen %lld) while all its reads are current",
              x->idx, what, (unsigned long long)o.key, (long long)o.v);
}

static int64_t *own_copy(rth *x, bool with_listing) {
    int64_t *m = malloc((size_t)K * (with_listing ? 2 : 1) * sizeof(int64_t));
    memcpy(m, x->own, (size_t)K * sizeof(int64_t));
    return m;
}

static void rreset(rth *x) {
    for (int k = 0; k < K; k++) {
        if (rlock[k] == x->idx) rlock[k] = -1;
        x->own[k] = -1;
    }
    for (int i = 0; i < x->nlog; i++) free(x->log[i].merged);
    x->nlog = 0;
    x->nown = 0;
    x->listed = false;
    if (rinev == x->idx) rinev = -1;
    x->inev = false;
    x->doomed = false;
}

static void rnew_version(rth *w) {
    mgrow();
    memcpy(MV(mnver), MV(mnver - 1), (size_t)K * sizeof(int64_t));
    for (int k = 0; k < K; k++) {
        mwrote[(size_t)mnver * K + k] = w->own[k] != -1;
        if (w->own[k] != -1) MV(mnver)[k] = w->own[k];
    }
    mnver++;
    for (int i = 0; i < rnth; i++) {
        rth *x = &R[i];
        if (x->s.in_tx && x != w) x->cand[mnver - 1] = rlog_matches(x, mnver - 1);
    }
}

enum { ROK = 1 };
static int rbit(rth *x, int r) { return r ? 1 << (x->s.cause + 1) : ROK; }
#define RB(c) (1 << ((c) + 1))

static void ron_abort(rth *x) {
    int c = x->s.cause;
    if (c >= 0 && c < STM_ABORT_CAUSES) x->aborts[c]++;
    if (x->inev) RFAIL("inevitable thread %d aborted (%s)", x->idx, cause_name(c));
    rreset(x);
    x->retry = true;
}
static bool rsettle(rth *x, int r, int allowed, const char *what) {
    if (trace)
        printf("  step %ld: T%d %s -> %s (ver %d)\n", rop, x->idx, what,
               r ? cause_name(x->s.cause) : "ok", mnver - 1);
    if (x->doomed) {
        if (!r || !(rbit(x, r) & x->doom_mask))
            RFAIL("thread %d was aborted remotely; its next step (%s) got %s", x->idx, what,
                  r ? cause_name(x->s.cause) : "success");
        if (r) ron_abort(x);
        return false;
    }
    if (!(rbit(x, r) & allowed))
        RFAIL("thread %d %s: got %s (allowed mask %#x)", x->idx, what,
              r ? cause_name(x->s.cause) : "success", allowed);
    if (r) { ron_abort(x); return false; }
    return true;
}

/* Reads/writes may abort READ_WRITE only when something observed is stale. */
static int rw_if_stale(rth *x) { return any_stale(x) ? RB(STM_ABORT_READ_WRITE) : 0; }

struct rop_arg { stm_obj *h; stm_thread *t; uintptr_t key; int64_t v; size_t len; int nall;
                 int64_t all[MAXK]; bool bad_key; };
static void rfe_fn(uintptr_t key, stm_obj *value, void *arg) {
    struct rop_arg *a = arg;
    if (key >= (uintptr_t)K || a->all[key] != 0 || !value) { a->bad_key = true; return; }
    a->all[key] = ((const cell *)stm_read(a->t, value))->value;
    a->nall++;
}
static void rop_get(sim *s, void *arg) {
    struct rop_arg *a = arg;
    a->v = val_of(s->t, stm_hashtable_read(s->t, a->h, a->key));
}
static void rop_put(sim *s, void *arg) {
    struct rop_arg *a = arg;
    struct hw_arg w = { a->h, a->key, a->v };
    op_hput(s, &w);
}
static void rop_len(sim *s, void *arg) {
    struct rop_arg *a = arg;
    a->len = stm_hashtable_length(s->t, a->h);
}
static void rop_all(sim *s, void *arg) {
    struct rop_arg *a = arg;
    memset(a->all, 0, sizeof a->all);
    a->nall = 0;
    a->bad_key = false;
    a->t = s->t;
    stm_hashtable_foreach(s->t, a->h, rfe_fn, a);
    a->len = stm_hashtable_length(s->t, a->h);
}

static void rstep(rth *x, rng_t *rng, stm_obj *h) {
    stm_set_location(x->s.t, (uintptr_t)rop * 8 + 8);
    if (!x->s.in_tx) {
        if (rng_below(rng, 10) < 8) {
            if (sim_start(&x->s)) { RFAIL("start aborted"); return; }
            if (!x->retry) x->age = ++ragectr;
            x->retry = false;
            x->start_ver = mnver - 1;
            x->cand[mnver - 1] = 1;
        }
        return;
    }
    unsigned p = rng_below(rng, 1000);
    uintptr_t key = rng_below(rng, (unsigned)K);
    struct rop_arg a;
    memset(&a, 0, sizeof a);
    a.h = h;
    a.key = key;
    if (p < 350) {                                       /* read a key */
        int allowed = ROK | (x->own[key] == -1 ? rw_if_stale(x) : 0);
        int r = sim_exec(&x->s, rop_get, &a);
        char wb[64];
        snprintf(wb, sizeof wb, "read key %llu = %lld", (unsigned long long)key, (long long)a.v);
        if (!rsettle(x, r, allowed, wb)) return;
        if (x->own[key] != -1) {
            if (a.v != x->own[key])
                RFAIL("thread %d reads its own write of key %llu: %lld, wrote %lld", x->idx,
                      (unsigned long long)key, (long long)a.v, (long long)x->own[key]);
        } else {
            hobs o = { OB_KEY, key, a.v, own_copy(x, false), 0, 0 };
            robserve(x, o, "reads");
        }
    } else if (p < 600) {                                /* write a key */
        int allowed = ROK;
        rth *victim = NULL;
        int holder = rlock[key];
        if (x->own[key] == -1 && holder >= 0 && holder != x->idx) {
            rth *u = &R[holder];
            if (u->inev) allowed = RB(STM_ABORT_INEVITABLE);
            else if (x->inev || x->age < u->age) victim = u;
            else allowed = RB(STM_ABORT_WRITE_WRITE);
        }
        allowed |= rw_if_stale(x);
        a.v = rng_below(rng, 5) == 0 ? 0 : ++muniq;
        int r = sim_exec(&x->s, rop_put, &a);
        if (victim && !x->doomed) {
            if (!r) {
                for (int k = 0; k < K; k++) if (rlock[k] == victim->idx) rlock[k] = -1;
                victim->doomed = true;
                victim->doom_mask = RB(STM_ABORT_WRITE_WRITE) | (x->inev ? RB(STM_ABORT_INEVITABLE) : 0);
            } else {
                int rv = sim_poke(&victim->s);
                if (rv) ron_abort(victim);
            }
        }
        char wb[64];
        snprintf(wb, sizeof wb, "write key %llu := %lld", (unsigned long long)key, (long long)a.v);
        if (!rsettle(x, r, allowed, wb)) return;
        if (x->own[key] == -1) { x->nown++; rlock[key] = x->idx; }
        x->own[key] = a.v;
    } else if (p < 650 || (p < 680 && K <= 64)) {       /* length, or the whole listing */
        bool all = p >= 650 || rng_below(rng, 2);
        int r = sim_exec(&x->s, all ? rop_all : rop_len, &a);
        char wb[64];
        snprintf(wb, sizeof wb, "%s = %zu", all ? "foreach" : "length", a.len);
        if (!rsettle(x, r, ROK | rw_if_stale(x), wb)) return;
        if (!x->listed) { x->listed = true; x->listed_ver = mnver - 1; }
        if (all) {
            if (a.bad_key) RFAIL("foreach: bad key, NULL value or key listed twice");
            if ((size_t)a.nall != a.len)
                RFAIL("foreach listed %d keys, length says %zu", a.nall, a.len);
            int64_t *m = own_copy(x, true);
            memcpy(m + K, a.all, (size_t)K * sizeof(int64_t));
            hobs o = { OB_ALL, 0, 0, m, 0, 0 };
            robserve(x, o, "lists");
        } else {
            hobs o = { OB_LEN, 0, (int64_t)a.len, own_copy(x, false), 0, 0 };
            robserve(x, o, "length");
        }
    } else if (p < 820) {                                /* commit */
        int allowed = ROK;
        if (x->nown && !x->inev) {
            bool must = !rlatest_ok(x), may = any_stale(x);
            bool inev_conf = rinev >= 0 && rinev != x->idx;   /* lenient: any open inevitable */
            bool strict_inev = false;
            if (inev_conf) {
                rth *I = &R[rinev];
                for (int i = 0; i < I->nlog; i++)
                    if (I->log[i].kind == OB_KEY && x->own[I->log[i].key] != -1) strict_inev = true;
                if (I->listed)
                    for (int k = 0; k < K; k++)
                        if (x->own[k] > 0 && MV(mnver - 1)[k] == 0) strict_inev = true;  /* adds */
            }
            if (must) allowed = RB(STM_ABORT_READ_WRITE);
            else if (strict_inev) allowed = RB(STM_ABORT_INEVITABLE);
            if (may) allowed |= RB(STM_ABORT_READ_WRITE);
            if (inev_conf) allowed |= RB(STM_ABORT_INEVITABLE);
        }
        bool writes = x->nown > 0, adds = false;
        for (int k = 0; k < K; k++) if (x->own[k] > 0) adds = true;
        int r = sim_commit(&x->s);
        if (r && adds) insert_attempts++;
        if (!rsettle(x, r, allowed, writes ? "commit" : "read-only commit")) return;
        if (writes) {
            if (!rlatest_ok(x)) RFAIL("thread %d committed writes with stale reads", x->idx);
            rnew_version(x);
        }
        x->commits++;
        rreset(x);
        x->retry = false;
    } else if (p < 850) {                                /* explicit abort */
        if (x->inev) return;
        int r = sim_abort(&x->s);
        rsettle(x, r, RB(STM_ABORT_EXPLICIT), "stm_abort");
    } else if (p < 870) {                                /* try inevitable */
        bool other = rinev >= 0 && rinev != x->idx;
        bool got = false;
        int r = sim_try_inev(&x->s, &got);
        if (!rsettle(x, r, ROK | (other ? 0 : rw_if_stale(x)), "try_become_inevitable")) return;
        if (other && got) RFAIL("two inevitable transactions");
        if (got && !x->inev && !rlatest_ok(x)) RFAIL("became inevitable with stale reads");
        if (!other && !got && !any_stale(x)) RFAIL("try_become_inevitable false, token free");
        if (got) { x->inev = true; rinev = x->idx; }
    } else if (p < 900) {
        int r = sim_minor(&x->s);
        rsettle(x, r, ROK, "minor collection");
    } else if (p < 915) {
        int r = sim_major(&x->s);
        rsettle(x, r, ROK, "major collection");
    } else {
        int r = sim_poke(&x->s);
        rsettle(x, r, ROK, "enter/leave");
    }
}

static long rand_ops = 4000;
static bool verbose;

static void run_rseed(uint64_t seed) {
    rng_t rng;
    rng_seed(&rng, seed);
    rseed = seed;
    rfailed = false;
    tl_set_context("random seed %llu", (unsigned long long)seed);
    static const int Ks[] = { 8, 32, 64, 512 };
    K = Ks[rng_below(&rng, 4)];
    rnth = 2 + (int)rng_below(&rng, RMAXTH - 1);
    mnver = 0;
    mgrow();
    for (int i = 0; i < rnth; i++) {
        rth *x = &R[i];
        unsigned char *c = x->cand;
        hobs *lg = x->log;
        int cl = x->caplog;
        memset(x, 0, sizeof *x);
        x->cand = c; x->log = lg; x->caplog = cl;
        x->idx = i;
        for (int k = 0; k < MAXK; k++) x->own[k] = -1;
        sim_init(&x->s, "R");
    }
    for (int k = 0; k < MAXK; k++) rlock[k] = -1;
    rinev = -1;
    ragectr = 0;
    /* version 0: a table with the even keys below K/2 set */
    int slot = 0;
    EXPECT_OK(&R[0].s, sim_start(&R[0].s));
    EXPECT_OK(&R[0].s, sim_exec(&R[0].s, op_mk_table, &slot));
    R[0].commits++;
    memset(MV(0), 0, (size_t)K * sizeof(int64_t));
    memset(mwrote, 0, (size_t)K);
    EXPECT_OK(&R[0].s, sim_start(&R[0].s));
    for (int k = 0; k < K / 2; k += 2) {
        struct hw_arg w = { G[0], (uintptr_t)k, ++muniq };
        MV(0)[k] = w.v;
        EXPECT_OK(&R[0].s, sim_exec(&R[0].s, op_hput, &w));
    }
    EXPECT_OK(&R[0].s, sim_commit(&R[0].s));
    R[0].commits++;
    mnver = 1;
    stm_obj *h = G[0];
    for (rop = 0; rop < rand_ops && !rfailed; rop++) rstep(&R[rng_below(&rng, (unsigned)rnth)], &rng, h);
    for (int i = 0; i < rnth && !rfailed; i++) {
        rth *x = &R[i];
        if (!x->s.in_tx) continue;
        int r = x->inev ? sim_commit(&x->s) : sim_abort(&x->s);
        if (x->inev) {
            if (r) RFAIL("inevitable commit failed");
            else if (x->nown) { rnew_version(x); }
            if (!r) x->commits++;
            rreset(x);
        } else {
            rsettle(x, r, RB(STM_ABORT_EXPLICIT), "final abort");
        }
    }
    if (!rfailed) {
        sim *s = &R[0].s;
        struct rop_arg a;
        memset(&a, 0, sizeof a);
        a.h = h;
        int r = sim_start(s);
        if (!r) r = sim_exec(s, rop_all, &a);
        if (!r) r = sim_commit(s);
        if (r) RFAIL("final listing aborted");
        else {
            R[0].commits++;
            for (int k = 0; k < K; k++)
                if (a.all[k] != MV(mnver - 1)[k])
                    RFAIL("final value of key %d: %lld, model %lld", k, (long long)a.all[k],
                          (long long)MV(mnver - 1)[k]);
            int64_t n = 0;
            for (int k = 0; k < K; k++) n += MV(mnver - 1)[k] != 0;
            if ((int64_t)a.len != n) RFAIL("final length %zu, model %lld", a.len, (long long)n);
        }
    }
    if (!rfailed) {
        for (int i = 0; i < rnth; i++) {
            stm_stats st;
            stm_get_stats(R[i].s.t, &st);
            if (st.commits != R[i].commits)
                RFAIL("thread %d: %llu commits, model %llu", i, (unsigned long long)st.commits,
                      (unsigned long long)R[i].commits);
            for (int c = 0; c < STM_ABORT_CAUSES; c++)
                if (st.aborts[c] != R[i].aborts[c])
                    RFAIL("thread %d: %llu aborts %s, model %llu", i,
                          (unsigned long long)st.aborts[c], cause_name(c),
                          (unsigned long long)R[i].aborts[c]);
        }
    }
    if (verbose) {
        uint64_t c = 0, ab[STM_ABORT_CAUSES] = { 0 };
        for (int i = 0; i < rnth; i++) {
            c += R[i].commits;
            for (int j = 0; j < STM_ABORT_CAUSES; j++) ab[j] += R[i].aborts[j];
        }
        printf("random seed %llu: K %d, %d threads, %llu commits (%d writing), aborts ww %llu "
               "rw %llu inev %llu expl %llu\n", (unsigned long long)seed, K, rnth,
               (unsigned long long)c, mnver - 1, (unsigned long long)ab[0],
               (unsigned long long)ab[1], (unsigned long long)ab[2], (unsigned long long)ab[3]);
    }
    for (int i = 0; i < rnth; i++) {
        rth *x = &R[i];
        if (x->s.in_tx) {
            if (stm_is_inevitable(x->s.t)) sim_commit(&x->s);
            else sim_abort(&x->s);
        }
        rreset(x);
        sim_done(&x->s);
    }
    G[0] = NULL;
    if (!rfailed) tl_passed++;
}

/* ------------------------------------------------------------------------------------------ */

static void op_mk_bump_cell(sim *s, void *arg) {
    (void)arg;
    stm_push_root(s->t, stm_allocate(s->t, TID_CELL, sizeof(cell), 0));
    stm_commit(s->t);
    s->in_tx = false;
    bump_cell = stm_pop_root(s->t);
}

static void setup(void) {
    stm_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.no_backoff = true;
    cfg.nursery_size = 64 << 10;
    cfg.retries_before_inevitable = 1000000000u;
    cfg.abort_hook = abort_hook;
    tl_init(&cfg);
    stm_add_global_root(&bump_cell);
    sim_init(&bumper, "bumper");
    EXPECT_OK(&bumper, sim_start(&bumper));
    EXPECT_OK(&bumper, sim_exec(&bumper, op_mk_bump_cell, NULL));
}

static void run_scenario(void *arg) {
    const scenario *sc = arg;
    memset(G, 0, sizeof G);
    sc->fn();
    memset(G, 0, sizeof G);
}
static void run_rseed_child(void *arg) { run_rseed(*(uint64_t *)arg); }

int main(int argc, char **argv) {
    long seeds = 200;
    long long one = -1;
    bool fork_ok = !getenv("STM_TEST_NOFORK");
    const char *filter = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seeds") && i + 1 < argc) seeds = atol(argv[++i]);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc) one = atoll(argv[++i]);
        else if (!strcmp(argv[i], "--ops") && i + 1 < argc) rand_ops = atol(argv[++i]);
        else if (!strcmp(argv[i], "--no-fork")) fork_ok = false;
        else if (!strcmp(argv[i], "-v")) verbose = true;
        else if (!strcmp(argv[i], "--trace")) trace = true;
        else if (argv[i][0] != '-') filter = argv[i];
        else {
            fprintf(stderr, "usage: %s [--seeds N] [--seed S] [--ops N] [--no-fork] [-v] [filter]\n",
                    argv[0]);
            return 2;
        }
    }
    setup();
    int bad = 0, ran = 0;
    if (one < 0) {
        for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
            if (filter && !strstr(scenarios[i].name, filter)) continue;
            tl_set_context("%s", scenarios[i].name);
            long f0 = tl_failed;
            tl_run_isolated(fork_ok, run_scenario, (void *)&scenarios[i], scenarios[i].name);
            ran++;
            if (tl_failed > f0) { bad++; printf("scenario %s: FAILED\n", scenarios[i].name); }
        }
    }
    long failed_seeds = 0;
    if (!filter) {
        uint64_t first = one >= 0 ? (uint64_t)one : 1, last = one >= 0 ? (uint64_t)one : (uint64_t)seeds;
        for (uint64_t s = first; s <= last; s++) {
            long f0 = tl_failed;
            char what[64];
            snprintf(what, sizeof what, "random seed %llu", (unsigned long long)s);
            tl_run_isolated(fork_ok, run_rseed_child, &s, what);
            if (tl_failed > f0) {
                failed_seeds++;
                printf("random seed %llu FAILED (replay: --seed %llu)\n", (unsigned long long)s,
                       (unsigned long long)s);
            }
        }
    }
    tl_set_context("main");
    CHECK_EQ(tl_bad_callbacks, 0);
    printf("%d scenarios, %d failed; %ld random seeds failed\n", ran, bad, failed_seeds);
    return tl_finish();
}
