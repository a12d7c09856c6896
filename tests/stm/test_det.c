/* test_det.c — deterministic step-by-step scenarios for libstm.
 *
 * Several simulated threads (struct sim, see testlib.h) are driven from one OS thread; each
 * scenario asserts exactly who aborts, when, and why, and what values are visible afterwards.
 * Usage: test-stm-det [scenario-name-substring]
 */
#include "testlib.h"

static long hook_calls;
static stm_abort_info hook_last;
static void abort_hook(const stm_abort_info *info) { hook_calls++; hook_last = *info; }

#define RETRIES_BEFORE_INEV 5

/* ------------------------------------------------------------------------------------------ */
/* helpers                                                                                      */

struct mk_arg { int first, n; int64_t base; uint16_t flags; };
static void op_mk_cells(sim *s, void *arg) {
    struct mk_arg *m = arg;
    stm_obj **mark = s->t->roots_top;
    for (int i = 0; i < m->n; i++) {
        stm_obj *o = stm_allocate(s->t, TID_CELL, sizeof(cell), m->flags);
        if (!o) { CHECKF(0, "stm_allocate returned NULL"); break; }
        ((cell *)stm_payload(o))->value = m->base + i;
        stm_push_root(s->t, o);
    }
    stm_commit(s->t);
    s->in_tx = false;
    for (int i = 0; i < m->n && mark + i < s->t->roots_top; i++) G[m->first + i] = mark[i];
    s->t->roots_top = mark;
}
/* G[first .. first+n-1] = new committed cells with values base, base+1, ... */
static void mk_cells_f(sim *s, int first, int n, int64_t base, uint16_t flags) {
    struct mk_arg m = { first, n, base, flags };
    EXPECT_OK(s, sim_start(s));
    EXPECT_OK(s, sim_exec(s, op_mk_cells, &m));
}
static void mk_cells(sim *s, int first, int n, int64_t base) { mk_cells_f(s, first, n, base, 0); }

/* The committed value of o, read by a fresh transaction of `obs` (must be outside a transaction). */
static int64_t peek_line(sim *obs, stm_obj *o, int line) {
    int64_t v = INT64_MIN;
    int r1 = sim_start(obs);
    int r2 = sim_read(obs, o, &v);
    int r3 = r2 ? 0 : sim_commit(obs);
    tl_check(!r1 && !r2 && !r3, __FILE__, line, "peek: observer transaction aborted (%s)",
             cause_name(obs->cause));
    return v;
}
#define PEEK(obs, o) peek_line(obs, o, __LINE__)
#define EXPECT_VALUE(obs, o, expected) do { int64_t pv_ = peek_line(obs, o, __LINE__); \
        tl_check(pv_ == (int64_t)(expected), __FILE__, __LINE__, \
                 "committed value of %s: got %lld, expected %lld", #o, (long long)pv_, \
                 (long long)(expected)); } while (0)
#define EXPECT_READ(s, o, expected) do { int64_t rv_ = INT64_MIN; int r_ = sim_read(s, o, &rv_); \
        tl_check(r_ == 0 && rv_ == (int64_t)(expected), __FILE__, __LINE__, \
                 "%s reads %s: got %lld (%s), expected %lld", (s)->name, #o, (long long)rv_, \
                 r_ ? cause_name((s)->cause) : "ok", (long long)(expected)); } while (0)

/* Advance the global clock with a writing commit of an unrelated thread, so that transactions
   started before and after have distinct ages whatever the age granularity. */
static sim bumper;
static stm_obj *bump_cell;
static long bumps;
static void bump(void) {
    EXPECT_OK(&bumper, sim_start(&bumper));
    EXPECT_OK(&bumper, sim_write(&bumper, bump_cell, bumps));
    EXPECT_OK(&bumper, sim_commit(&bumper));
    bumps++;
}
static void op_mk_bump_cell(sim *s, void *arg) {
    (void)arg;
    stm_push_root(s->t, stm_allocate(s->t, TID_CELL, sizeof(cell), 0));
    stm_commit(s->t);
    s->in_tx = false;
    bump_cell = stm_pop_root(s->t);
}

/* End whatever transaction the scenario left open, then unregister. */
static void sim_end(sim *s) {
    if (!s->t) return;
    if (s->in_tx) {
        if (stm_is_inevitable(s->t)) sim_commit(s);
        else sim_abort(s);
    }
    sim_done(s);
}

struct bool_arg { bool (*fn)(stm_thread *, stm_obj *); stm_obj *o; bool res; };
static void op_pred(sim *s, void *arg) { struct bool_arg *b = arg; b->res = b->fn(s->t, b->o); }
static bool pred(sim *s, bool (*fn)(stm_thread *, stm_obj *), stm_obj *o) {
    struct bool_arg b = { fn, o, false };
    if (sim_exec(s, op_pred, &b)) CHECKF(0, "%s aborted in a predicate (%s)", s->name,
                                         cause_name(s->cause));
    return b.res;
}

static uint64_t stat_aborts(sim *s, int c) { stm_stats st; stm_get_stats(s->t, &st); return st.aborts[c]; }
static uint64_t stat_aborts_all(sim *s) {
    stm_stats st; stm_get_stats(s->t, &st);
    uint64_t n = 0;
    for (int i = 0; i < STM_ABORT_CAUSES; i++) n += st.aborts[i];
    return n;
}

/* ------------------------------------------------------------------------------------------ */
/* private objects, commit, abort                                                               */

static void op_private_checks(sim *s, void *arg) {
    (void)arg;
    stm_thread *t = s->t;
    stm_obj *o = stm_allocate(t, TID_CELL, sizeof(cell), 0);
    CHECK(o != NULL);
    CHECK(_stm_is_private(t, o));
    CHECK(_stm_in_nursery(t, o));
    CHECK(stm_read(t, o) == stm_payload(o));
    CHECK(stm_write(t, o) == stm_payload(o));
    cell *c = stm_payload(o);
    CHECK(c->value == 0 && c->next == NULL);
    CHECK_EQ(o->tid, TID_CELL);
    stm_push_root(t, o);
    /* an array and a blob: zero-filled (check every byte) */
    stm_obj *a = stm_allocate(t, TID_BLOB, blob_size(1000), 0);
    CHECK(a != NULL);
    unsigned char *p = stm_payload(a);
    size_t nz = 0;
    for (size_t i = 0; i < blob_size(1000); i++) nz += p[i] != 0;
    CHECK_EQ(nz, 0);
    ((blob *)p)->n = 1000;
    memset(((blob *)p)->data, 0xAB, 1000);
    o = t->roots_top[-1];    /* reload after a moving point */
    c = stm_write(t, o);
    c->value = 42;
    c->next = NULL;
    stm_push_root(t, a);
    stm_commit(t);
    s->in_tx = false;
    a = stm_pop_root(t);
    o = stm_pop_root(t);
    G[0] = o;
    G[1] = a;
}
static void op_not_private(sim *s, void *arg) {
    stm_obj *o = arg;
    CHECK(!_stm_is_private(s->t, o));
    CHECK(!_stm_in_nursery(s->t, o));
    const blob *b = stm_read(s->t, G[1]);
    CHECK_EQ(b->n, 1000);
    size_t bad = 0;
    for (int i = 0; i < 1000; i++) bad += b->data[i] != 0xAB;
    CHECK_EQ(bad, 0);
}
static void t_private_alloc(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    EXPECT_OK(&A, sim_start(&A));
    CHECK(stm_in_transaction(A.t));
    EXPECT_OK(&A, sim_exec(&A, op_private_checks, NULL));
    CHECK(!stm_in_transaction(A.t));
    EXPECT_VALUE(&B, G[0], 42);
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_exec(&B, op_not_private, G[0]));
    EXPECT_OK(&B, sim_commit(&B));
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, sim_exec(&A, op_not_private, G[0]));
    EXPECT_OK(&A, sim_commit(&A));
    sim_end(&A); sim_end(&B);
}

static void t_commit_visible(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    mk_cells(&A, 0, 2, 1);
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, sim_write(&A, G[0], 100));
    EXPECT_OK(&A, sim_write(&A, G[1], 200));
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_VALUE(&B, G[0], 100);
    EXPECT_VALUE(&B, G[1], 200);
    sim_end(&A); sim_end(&B);
}

static void t_isolation(void) {
    sim A, B, C;
    sim_init(&A, "A"); sim_init(&B, "B"); sim_init(&C, "C");
    mk_cells(&A, 0, 1, 1);
    stm_obj *o = G[0];
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&A, sim_write(&A, o, 2));
    EXPECT_READ(&B, o, 1);          /* the lock does not hide the committed value */
    EXPECT_READ(&A, o, 2);          /* read your own write */
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_READ(&B, o, 1);          /* B's snapshot is stable */
    EXPECT_OK(&B, sim_commit(&B));  /* read-only: serializes before A */
    EXPECT_VALUE(&C, o, 2);
    CHECK_EQ(stat_aborts_all(&A) + stat_aborts_all(&B), 0);
    sim_end(&A); sim_end(&B); sim_end(&C);
}

struct alloc_link_arg { stm_obj *target; int64_t v; };
static void op_alloc_link(sim *s, void *arg) {
    struct alloc_link_arg *a = arg;
    stm_obj *n = stm_allocate(s->t, TID_CELL, sizeof(cell), 0);
    CHECK(n != NULL);
    ((cell *)stm_payload(n))->value = a->v;
    cell *c = stm_write(s->t, a->target);
    c->next = n;
}
static void t_abort_reverts(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    mk_cells(&A, 0, 2, 10);
    stm_obj *o = G[0], *p = G[1];
    long hooks0 = hook_calls;
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, sim_write(&A, o, 55));
    struct alloc_link_arg la = { p, 77 };
    EXPECT_OK(&A, sim_exec(&A, op_alloc_link, &la));
    stm_set_location(A.t, 4242);
    EXPECT_ABORT(&A, sim_abort(&A), STM_ABORT_EXPLICIT);
    CHECK(!stm_in_transaction(A.t));
    CHECK_EQ(stm_last_abort(A.t).cause, STM_ABORT_EXPLICIT);
    CHECK_EQ(stm_last_abort(A.t).self_thread, A.t->id);
    CHECK_EQ(A.info.self_loc, 4242);
    CHECK_EQ(hook_calls, hooks0 + 1);
    CHECK_EQ(hook_last.cause, STM_ABORT_EXPLICIT);
    CHECK_EQ(hook_last.self_thread, A.t->id);
    EXPECT_VALUE(&B, o, 10);
    stm_obj *nx = (stm_obj *)1;
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_read_next(&B, p, &nx));
    EXPECT_OK(&B, sim_commit(&B));
    CHECK_PTR_EQ(nx, NULL);
    /* the aborted transaction's thread sees the old values too, and has no written set */
    EXPECT_OK(&A, sim_start(&A));
    CHECK(!pred(&A, _stm_was_written, o));
    EXPECT_READ(&A, o, 10);
    EXPECT_OK(&A, sim_read_next(&A, p, &nx));
    CHECK_PTR_EQ(nx, NULL);
    EXPECT_OK(&A, sim_commit(&A));
    CHECK_EQ(stat_aborts(&A, STM_ABORT_EXPLICIT), 1);
    sim_end(&A); sim_end(&B);
}

static void t_was_read_written(void) {
    sim A;
    sim_init(&A, "A");
    mk_cells(&A, 0, 2, 0);
    stm_obj *o = G[0], *p = G[1];
    EXPECT_OK(&A, sim_start(&A));
    CHECK(!pred(&A, _stm_was_read, o));
    CHECK(!pred(&A, _stm_was_written, o));
    EXPECT_READ(&A, o, 0);
    CHECK(pred(&A, _stm_was_read, o));
    CHECK(!pred(&A, _stm_was_written, o));
    CHECK(!pred(&A, _stm_was_read, p));
    EXPECT_OK(&A, sim_write(&A, p, 3));
    CHECK(pred(&A, _stm_was_written, p));
    CHECK(!pred(&A, _stm_was_written, o));
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_OK(&A, sim_start(&A));
    CHECK(!pred(&A, _stm_was_read, o));
    CHECK(!pred(&A, _stm_was_written, p));
    EXPECT_OK(&A, sim_commit(&A));
    sim_end(&A);
}

static void t_multiple_writes(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    mk_cells(&A, 0, 1, 0);
    stm_obj *o = G[0];
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_READ(&A, o, 0);
    EXPECT_OK(&A, sim_write(&A, o, 1));
    EXPECT_OK(&A, sim_write(&A, o, 2));
    EXPECT_READ(&A, o, 2);
    EXPECT_OK(&A, sim_write(&A, o, 3));
    EXPECT_VALUE(&B, o, 0);  /* others still see the committed value */
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_VALUE(&B, o, 3);
    sim_end(&A); sim_end(&B);
}

static void op_stable_ptr(sim *s, void *arg) {
    stm_obj **objs = arg;
    cell *w1 = stm_write(s->t, objs[0]);
    w1->value = 1;
    const cell *r = stm_read(s->t, objs[1]);
    (void)r;
    cell *w2 = stm_write(s->t, objs[2]);
    w2->value = 2;
    CHECK(stm_write(s->t, objs[0]) == w1);
    CHECK(stm_read(s->t, objs[0]) == w1);    /* read after write: our copy */
    CHECK(stm_write(s->t, objs[2]) == w2);
    CHECK_EQ(w1->value, 1);
}
static void t_write_pointer_stable(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    mk_cells(&A, 0, 3, 0);
    stm_obj *objs[3] = { G[0], G[1], G[2] };
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, sim_exec(&A, op_stable_ptr, objs));
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_VALUE(&B, G[0], 1);
    EXPECT_VALUE(&B, G[2], 2);
    sim_end(&A); sim_end(&B);
}

/* ------------------------------------------------------------------------------------------ */
/* write/write                                                                                  */

static void t_ww_younger_aborts(void) {
    sim A, B, C;
    sim_init(&A, "A"); sim_init(&B, "B"); sim_init(&C, "C");
    mk_cells(&A, 0, 2, 0);
    stm_obj *o = G[0], *p = G[1];
    EXPECT_OK(&A, sim_start(&A));
    bump();
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&A, sim_write(&A, o, 10));
    EXPECT_OK(&B, sim_write(&B, p, 21));
    EXPECT_ABORT(&B, sim_write(&B, o, 20), STM_ABORT_WRITE_WRITE);
    CHECK_EQ(B.info.self_thread, B.t->id);
    CHECK_EQ(B.info.other_thread, A.t->id);
    CHECK(!stm_in_transaction(B.t));
    /* B's lock on p is gone: C can write p */
    EXPECT_OK(&C, sim_start(&C));
    EXPECT_OK(&C, sim_write(&C, p, 31));
    EXPECT_OK(&C, sim_commit(&C));
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_VALUE(&C, o, 10);
    EXPECT_VALUE(&C, p, 31);
    /* and once A committed, B can write o */
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_write(&B, o, 20));
    EXPECT_OK(&B, sim_commit(&B));
    EXPECT_VALUE(&C, o, 20);
    CHECK_EQ(stat_aborts(&B, STM_ABORT_WRITE_WRITE), 1);
    CHECK_EQ(stat_aborts_all(&A), 0);
    sim_end(&A); sim_end(&B); sim_end(&C);
}

static void t_ww_older_wins(void) {
    sim A, B, C;
    sim_init(&A, "A"); sim_init(&B, "B"); sim_init(&C, "C");
    mk_cells(&A, 0, 2, 0);
    stm_obj *o = G[0], *p = G[1];
    EXPECT_OK(&A, sim_start(&A));      /* A is older */
    bump();
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_write(&B, o, 20));
    EXPECT_OK(&B, sim_write(&B, p, 21));
    EXPECT_OK(&A, sim_write(&A, o, 10));   /* B (left) is aborted remotely */
    EXPECT_READ(&A, o, 10);
    /* B's lock on p was released at once */
    EXPECT_OK(&C, sim_start(&C));
    EXPECT_OK(&C, sim_write(&C, p, 99));
    EXPECT_OK(&C, sim_commit(&C));
    EXPECT_ABORT(&B, sim_poke(&B), STM_ABORT_WRITE_WRITE);
    CHECK(!stm_in_transaction(B.t));
    CHECK_EQ(B.info.self_thread, B.t->id);
    CHECK_EQ(B.info.other_thread, A.t->id);
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_VALUE(&C, o, 10);
    EXPECT_VALUE(&C, p, 99);
    CHECK_EQ(stat_aborts(&B, STM_ABORT_WRITE_WRITE), 1);
    CHECK_EQ(stat_aborts_all(&A), 0);
    sim_end(&A); sim_end(&B); sim_end(&C);
}

/* The remotely aborted transaction must not be able to do anything before noticing. */
static void t_ww_remote_abort_then_commit_attempt(void) {
    sim A, B, C;
    sim_init(&A, "A"); sim_init(&B, "B"); sim_init(&C, "C");
    mk_cells(&A, 0, 1, 5);
    stm_obj *o = G[0];
    EXPECT_OK(&A, sim_start(&A));
    bump();
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_write(&B, o, 20));
    EXPECT_OK(&A, sim_write(&A, o, 10));
    EXPECT_ABORT(&B, sim_commit(&B), STM_ABORT_WRITE_WRITE);   /* detected at stm_enter */
    EXPECT_ABORT(&A, sim_abort(&A), STM_ABORT_EXPLICIT);   /* A gives up too */
    EXPECT_VALUE(&C, o, 5);
    sim_end(&A); sim_end(&B); sim_end(&C);
}

static void t_age_kept_on_retry(void) {
    sim A, B, C;
    sim_init(&A, "A"); sim_init(&B, "B"); sim_init(&C, "C");
    mk_cells(&A, 0, 2, 0);
    stm_obj *o = G[0], *p = G[1];
    EXPECT_OK(&A, sim_start(&A));
    bump();
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&A, sim_write(&A, o, 1));
    EXPECT_ABORT(&B, sim_write(&B, o, 2), STM_ABORT_WRITE_WRITE);
    bump();
    EXPECT_OK(&C, sim_start(&C));
    EXPECT_OK(&B, sim_start(&B));          /* retry: keeps its age, older than C */
    EXPECT_OK(&C, sim_write(&C, p, 3));
    EXPECT_OK(&B, sim_write(&B, p, 4));    /* B older: C aborted remotely */
    EXPECT_ABORT(&C, sim_poke(&C), STM_ABORT_WRITE_WRITE);
    EXPECT_OK(&B, sim_commit(&B));
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_VALUE(&C, p, 4);
    EXPECT_VALUE(&C, o, 1);
    sim_end(&A); sim_end(&B); sim_end(&C);
}

/* Age follows start order even when no commit happened between the two starts (here the
   thread with the higher id starts first). */
static void t_age_start_order_same_clock(void) {
    sim B, A;
    sim_init(&B, "B"); sim_init(&A, "A");    /* B has the lower id */
    mk_cells(&A, 0, 1, 0);
    stm_obj *o = G[0];
    EXPECT_OK(&A, sim_start(&A));          /* A starts first: A is older */
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&A, sim_write(&A, o, 1));
    EXPECT_ABORT(&B, sim_write(&B, o, 2), STM_ABORT_WRITE_WRITE);
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_VALUE(&B, o, 1);
    sim_end(&A); sim_end(&B);
}

static void t_age_reset_after_commit(void) {
    sim A, B, C;
    sim_init(&A, "A"); sim_init(&B, "B"); sim_init(&C, "C");
    mk_cells(&A, 0, 2, 0);
    stm_obj *p = G[1];
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_write(&B, G[0], 1));
    EXPECT_OK(&B, sim_commit(&B));
    EXPECT_OK(&C, sim_start(&C));
    bump();
    EXPECT_OK(&B, sim_start(&B));          /* a new transaction: younger than C */
    EXPECT_OK(&C, sim_write(&C, p, 3));
    EXPECT_ABORT(&B, sim_write(&B, p, 4), STM_ABORT_WRITE_WRITE);
    EXPECT_OK(&C, sim_commit(&C));
    EXPECT_VALUE(&A, p, 3);
    sim_end(&A); sim_end(&B); sim_end(&C);
}

/* An explicit abort is not a retry of a conflict... but it is the abort path: age is kept. */
static void t_age_kept_after_explicit_abort(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    mk_cells(&A, 0, 1, 0);
    stm_obj *o = G[0];
    EXPECT_OK(&A, sim_start(&A));
    bump();
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_ABORT(&A, sim_abort(&A), STM_ABORT_EXPLICIT);
    EXPECT_OK(&A, sim_start(&A));          /* retry via the abort path: still older than B */
    EXPECT_OK(&B, sim_write(&B, o, 2));
    EXPECT_OK(&A, sim_write(&A, o, 1));
    EXPECT_ABORT(&B, sim_poke(&B), STM_ABORT_WRITE_WRITE);
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_VALUE(&B, o, 1);
    sim_end(&A); sim_end(&B);
}

/* ------------------------------------------------------------------------------------------ */
/* read/write                                                                                   */

static void t_rw_readonly_reader_commits(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    mk_cells(&A, 0, 2, 1);
    stm_obj *o = G[0], *p = G[1];
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_READ(&A, o, 1);
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_write(&B, o, 2));
    EXPECT_OK(&B, sim_commit(&B));
    EXPECT_READ(&A, o, 1);           /* same snapshot */
    EXPECT_READ(&A, p, 2);           /* p unchanged since: no extension needed */
    EXPECT_OK(&A, sim_commit(&A));
    CHECK_EQ(stat_aborts_all(&A), 0);
    EXPECT_VALUE(&A, o, 2);
    sim_end(&A); sim_end(&B);
}

static void t_rw_writing_reader_aborts(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    mk_cells(&A, 0, 2, 1);
    stm_obj *o = G[0], *p = G[1];
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_READ(&A, o, 1);
    EXPECT_OK(&A, sim_write(&A, p, 7));
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_write(&B, o, 2));
    EXPECT_OK(&B, sim_commit(&B));
    EXPECT_ABORT(&A, sim_commit(&A), STM_ABORT_READ_WRITE);
    EXPECT_VALUE(&B, p, 2);
    EXPECT_VALUE(&B, o, 2);
    CHECK_EQ(stat_aborts(&A, STM_ABORT_READ_WRITE), 1);
    sim_end(&A); sim_end(&B);
}

/* A writes only after the conflicting commit. */
static void t_rw_write_after_conflict(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    mk_cells(&A, 0, 2, 1);
    stm_obj *o = G[0], *p = G[1];
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_READ(&A, o, 1);
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_write(&B, o, 2));
    EXPECT_OK(&B, sim_commit(&B));
    int r = sim_write(&A, p, 7);
    if (!r) r = sim_commit(&A);
    CHECKF(r == 1 && A.cause == STM_ABORT_READ_WRITE,
           "A must abort READ_WRITE at its write or commit; got %s", r ? cause_name(A.cause) : "commit");
    EXPECT_VALUE(&B, p, 2);
    sim_end(&A); sim_end(&B);
}

static void t_rw_report_locations(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    mk_cells(&A, 0, 3, 1);
    stm_obj *o = G[0], *q = G[2];
    EXPECT_OK(&A, sim_start(&A));
    stm_set_location(A.t, 111);
    EXPECT_READ(&A, o, 1);
    stm_set_location(A.t, 112);
    EXPECT_READ(&A, o, 1);           /* a second read does not change the recorded location */
    EXPECT_OK(&A, sim_write(&A, q, 5));
    stm_set_location(A.t, 113);
    EXPECT_OK(&B, sim_start(&B));
    stm_set_location(B.t, 333);
    EXPECT_OK(&B, sim_write(&B, o, 9));
    stm_set_location(B.t, 334);
    EXPECT_OK(&B, sim_write(&B, o, 10));
    EXPECT_OK(&B, sim_commit(&B));
    EXPECT_ABORT(&A, sim_commit(&A), STM_ABORT_READ_WRITE);
    CHECK_EQ(A.info.self_loc, 111);
    CHECK_EQ(A.info.other_loc, 333);
    CHECK_EQ(A.info.self_thread, A.t->id);
    CHECK_EQ(A.info.other_thread, B.t->id);
    CHECK_EQ(hook_last.self_loc, 111);
    CHECK_EQ(hook_last.other_loc, 333);
    sim_end(&A); sim_end(&B);
}

static void t_opacity_abort_at_read(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    mk_cells(&A, 0, 2, 1);
    stm_obj *o = G[0], *p = G[1];
    EXPECT_OK(&A, sim_start(&A));    /* A is read-only: still must not see o=1, p=20 */
    EXPECT_READ(&A, o, 1);
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_write(&B, o, 10));
    EXPECT_OK(&B, sim_write(&B, p, 20));
    EXPECT_OK(&B, sim_commit(&B));
    EXPECT_ABORT(&A, sim_read(&A, p, NULL), STM_ABORT_READ_WRITE);
    /* after the retry A sees both new values */
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_READ(&A, o, 10);
    EXPECT_READ(&A, p, 20);
    EXPECT_OK(&A, sim_commit(&A));
    sim_end(&A); sim_end(&B);
}

static void t_snapshot_extension(void) {
    sim A, B, C;
    sim_init(&A, "A"); sim_init(&B, "B"); sim_init(&C, "C");
    mk_cells(&A, 0, 3, 1);
    stm_obj *o = G[0], *p = G[1], *q = G[2];
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_READ(&A, o, 1);
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_write(&B, p, 20));
    EXPECT_OK(&B, sim_commit(&B));
    EXPECT_READ(&A, p, 20);          /* extension: o unchanged */
    EXPECT_OK(&A, sim_write(&A, q, 30));
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_VALUE(&C, q, 30);
    EXPECT_VALUE(&C, p, 20);
    CHECK_EQ(stat_aborts_all(&A), 0);
    sim_end(&A); sim_end(&B); sim_end(&C);
}

/* Snapshot extended twice, then a conflicting commit on something read after the extension. */
static void t_snapshot_extension_then_conflict(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    mk_cells(&A, 0, 3, 1);
    stm_obj *o = G[0], *p = G[1], *q = G[2];
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_READ(&A, o, 1);
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_write(&B, p, 20));
    EXPECT_OK(&B, sim_commit(&B));
    EXPECT_READ(&A, p, 20);
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_write(&B, p, 21));
    EXPECT_OK(&B, sim_write(&B, q, 31));
    EXPECT_OK(&B, sim_commit(&B));
    EXPECT_READ(&A, p, 20);          /* cached: still its snapshot */
    EXPECT_ABORT(&A, sim_read(&A, q, NULL), STM_ABORT_READ_WRITE);   /* p changed */
    sim_end(&A); sim_end(&B);
}

static void t_write_skew(void) {
    sim A, B, C;
    sim_init(&A, "A"); sim_init(&B, "B"); sim_init(&C, "C");
    mk_cells(&A, 0, 2, 0);
    stm_obj *a = G[0], *b = G[1];
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_READ(&A, a, 0);
    EXPECT_READ(&B, b, 1);
    EXPECT_OK(&A, sim_write(&A, b, 100));
    EXPECT_OK(&B, sim_write(&B, a, 200));
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_ABORT(&B, sim_commit(&B), STM_ABORT_READ_WRITE);
    EXPECT_VALUE(&C, a, 0);
    EXPECT_VALUE(&C, b, 100);
    sim_end(&A); sim_end(&B); sim_end(&C);
}

/* Writing an object whose newer version was committed after our snapshot: the private copy is
   made from the newest body (with extension), or the transaction aborts. */
static void t_write_copies_newest(void) {
    sim A, B, C;
    sim_init(&A, "A"); sim_init(&B, "B"); sim_init(&C, "C");
    mk_cells(&A, 0, 3, 1);
    stm_obj *o = G[0], *p = G[1], *x = G[2];
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_READ(&B, p, 2);
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, sim_write(&A, o, 5));
    EXPECT_OK(&A, sim_write_next(&A, o, x));
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_OK(&B, sim_write(&B, o, 6));      /* p unchanged: B extends and copies A's body */
    stm_obj *nx = NULL;
    EXPECT_OK(&B, sim_read_next(&B, o, &nx));
    CHECK_PTR_EQ(nx, x);
    EXPECT_OK(&B, sim_commit(&B));
    EXPECT_OK(&C, sim_start(&C));
    EXPECT_READ(&C, o, 6);
    nx = NULL;
    EXPECT_OK(&C, sim_read_next(&C, o, &nx));
    CHECK_PTR_EQ(nx, x);
    EXPECT_OK(&C, sim_commit(&C));
    sim_end(&A); sim_end(&B); sim_end(&C);
}
static void t_write_newer_inconsistent(void) {
    sim A, B, C;
    sim_init(&A, "A"); sim_init(&B, "B"); sim_init(&C, "C");
    mk_cells(&A, 0, 2, 1);
    stm_obj *o = G[0], *p = G[1];
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_READ(&B, p, 2);
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, sim_write(&A, o, 5));
    EXPECT_OK(&A, sim_write(&A, p, 6));
    EXPECT_OK(&A, sim_commit(&A));
    int r = sim_write(&B, o, 7);
    if (!r) {   /* if the write was allowed, B must not see A's o with its old p */
        int64_t v = 0;
        r = sim_read(&B, o, &v);
        if (!r) CHECK_EQ(v, 7);
        if (!r) r = sim_commit(&B);
    }
    CHECKF(r == 1 && B.cause == STM_ABORT_READ_WRITE, "B must abort READ_WRITE; got %s",
           r ? cause_name(B.cause) : "commit");
    EXPECT_VALUE(&C, o, 5);
    EXPECT_VALUE(&C, p, 6);
    sim_end(&A); sim_end(&B); sim_end(&C);
}

/* A reader that read during the writer's lock, writer then aborts: no conflict. */
static void t_rw_writer_aborts(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    mk_cells(&A, 0, 2, 1);
    stm_obj *o = G[0], *p = G[1];
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_write(&B, o, 50));
    EXPECT_READ(&A, o, 1);
    EXPECT_OK(&A, sim_write(&A, p, 3));
    EXPECT_ABORT(&B, sim_abort(&B), STM_ABORT_EXPLICIT);
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_VALUE(&B, o, 1);
    EXPECT_VALUE(&B, p, 3);
    sim_end(&A); sim_end(&B);
}

/* Reader read o while B held the lock; B commits; reader writes -> must abort. */
static void t_rw_read_during_lock(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    mk_cells(&A, 0, 2, 1);
    stm_obj *o = G[0], *p = G[1];
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_write(&B, o, 50));
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_READ(&A, o, 1);
    EXPECT_OK(&A, sim_write(&A, p, 3));
    EXPECT_OK(&B, sim_commit(&B));
    EXPECT_ABORT(&A, sim_commit(&A), STM_ABORT_READ_WRITE);
    EXPECT_VALUE(&B, o, 50);
    EXPECT_VALUE(&B, p, 2);
    sim_end(&A); sim_end(&B);
}

/* ------------------------------------------------------------------------------------------ */
/* inevitable                                                                                   */

static void t_inev_reader_wins(void) {
    sim A, B, C;
    sim_init(&A, "A"); sim_init(&B, "B"); sim_init(&C, "C");
    mk_cells(&A, 0, 2, 1);
    stm_obj *o = G[0], *p = G[1];
    uint64_t inev0 = 0;
    { stm_stats st; stm_get_stats(A.t, &st); inev0 = st.inevitable_commits; }
    EXPECT_OK(&B, sim_start(&B));        /* B older than A */
    bump();
    EXPECT_OK(&A, sim_start(&A));
    bool got = false;
    EXPECT_OK(&A, sim_try_inev(&A, &got));
    CHECK(got);
    CHECK(stm_is_inevitable(A.t));
    CHECK(!stm_is_inevitable(B.t));
    EXPECT_OK(&A, sim_try_inev(&A, &got));   /* already inevitable */
    CHECK(got);
    EXPECT_READ(&A, o, 1);
    EXPECT_OK(&B, sim_write(&B, o, 2));      /* allowed: the conflict is reported at commit */
    EXPECT_ABORT(&B, sim_commit(&B), STM_ABORT_INEVITABLE);
    CHECK_EQ(B.info.other_thread, A.t->id);
    EXPECT_READ(&A, o, 1);
    EXPECT_OK(&A, sim_write(&A, p, 22));
    EXPECT_OK(&A, sim_commit(&A));
    CHECK(!stm_is_inevitable(A.t));
    EXPECT_VALUE(&C, o, 1);
    EXPECT_VALUE(&C, p, 22);
    { stm_stats st; stm_get_stats(A.t, &st); CHECK_EQ(st.inevitable_commits, inev0 + 1); }
    CHECK_EQ(stat_aborts(&B, STM_ABORT_INEVITABLE), 1);
    sim_end(&A); sim_end(&B); sim_end(&C);
}

static void t_inev_unrelated_commit(void) {
    sim A, C;
    sim_init(&A, "A"); sim_init(&C, "C");
    mk_cells(&A, 0, 2, 1);
    stm_obj *o = G[0], *p = G[1];
    EXPECT_OK(&A, sim_start(&A));
    bool got = false;
    EXPECT_OK(&A, sim_try_inev(&A, &got));
    CHECK(got);
    EXPECT_READ(&A, o, 1);
    EXPECT_OK(&C, sim_start(&C));
    EXPECT_READ(&C, o, 1);                   /* reading what the inevitable read is fine */
    EXPECT_OK(&C, sim_write(&C, p, 7));
    EXPECT_OK(&C, sim_commit(&C));
    EXPECT_READ(&A, p, 7);                   /* extension */
    EXPECT_OK(&A, sim_commit(&A));
    CHECK_EQ(stat_aborts_all(&C) + stat_aborts_all(&A), 0);
    sim_end(&A); sim_end(&C);
}

static void t_inev_written_blocks_writers(void) {
    sim A, B, D;
    sim_init(&A, "A"); sim_init(&B, "B"); sim_init(&D, "D");
    mk_cells(&A, 0, 1, 1);
    stm_obj *o = G[0];
    EXPECT_OK(&B, sim_start(&B));            /* B older */
    bump();
    EXPECT_OK(&A, sim_start(&A));
    bool got = false;
    EXPECT_OK(&A, sim_try_inev(&A, &got));
    CHECK(got);
    EXPECT_OK(&A, sim_write(&A, o, 10));
    EXPECT_ABORT(&B, sim_write(&B, o, 20), STM_ABORT_INEVITABLE);
    EXPECT_OK(&D, sim_start(&D));            /* D younger */
    EXPECT_ABORT(&D, sim_write(&D, o, 30), STM_ABORT_INEVITABLE);
    CHECK(stm_is_inevitable(A.t));
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_VALUE(&B, o, 10);
    sim_end(&A); sim_end(&B); sim_end(&D);
}

static void t_inev_steals_lock(void) {
    sim A, B, C;
    sim_init(&A, "A"); sim_init(&B, "B"); sim_init(&C, "C");
    mk_cells(&A, 0, 2, 1);
    stm_obj *o = G[0], *p = G[1];
    EXPECT_OK(&B, sim_start(&B));            /* B is older than A */
    EXPECT_OK(&B, sim_write(&B, o, 20));
    EXPECT_OK(&B, sim_write(&B, p, 21));
    bump();
    EXPECT_OK(&A, sim_start(&A));
    bool got = false;
    EXPECT_OK(&A, sim_try_inev(&A, &got));
    CHECK(got);
    EXPECT_OK(&A, sim_write(&A, o, 10));     /* B aborted remotely */
    int r = sim_poke(&B);
    CHECKF(r == 1 && (B.cause == STM_ABORT_INEVITABLE || B.cause == STM_ABORT_WRITE_WRITE),
           "B must be aborted remotely (INEVITABLE or WRITE_WRITE); got %s",
           r ? cause_name(B.cause) : "nothing");
    EXPECT_OK(&C, sim_start(&C));            /* B's lock on p released */
    EXPECT_OK(&C, sim_write(&C, p, 31));
    EXPECT_OK(&C, sim_commit(&C));
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_VALUE(&C, o, 10);
    EXPECT_VALUE(&C, p, 31);
    sim_end(&A); sim_end(&B); sim_end(&C);
}

static void t_inev_token_exclusive(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    mk_cells(&A, 0, 1, 1);
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&B, sim_start(&B));
    bool got = false;
    EXPECT_OK(&A, sim_try_inev(&A, &got));
    CHECK(got);
    got = true;
    EXPECT_OK(&B, sim_try_inev(&B, &got));
    CHECK(!got);
    CHECK(!stm_is_inevitable(B.t));
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_OK(&B, sim_try_inev(&B, &got));   /* token free again */
    CHECK(got);
    CHECK(stm_is_inevitable(B.t));
    EXPECT_OK(&B, sim_commit(&B));
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, sim_try_inev(&A, &got));
    CHECK(got);
    EXPECT_OK(&A, sim_commit(&A));
    sim_end(&A); sim_end(&B);
}

/* Becoming inevitable with a stale read must not succeed. */
static void t_inev_stale_read(void) {
    sim A, B, C;
    sim_init(&A, "A"); sim_init(&B, "B"); sim_init(&C, "C");
    mk_cells(&A, 0, 2, 1);
    stm_obj *o = G[0], *p = G[1];
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_READ(&A, o, 1);
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_write(&B, o, 2));
    EXPECT_OK(&B, sim_commit(&B));
    bool got = false;
    int r = sim_try_inev(&A, &got);
    CHECKF(!(r == 0 && got), "A became inevitable although its read of o is stale");
    if (r) CHECK_EQ(A.cause, STM_ABORT_READ_WRITE);
    if (!r && got) {
        /* would be a bug: A cannot abort now; see what it does */
        EXPECT_OK(&A, sim_write(&A, p, 100));
        EXPECT_OK(&A, sim_commit(&A));
    } else if (!r) {
        EXPECT_OK(&A, sim_write(&A, p, 100));
        EXPECT_ABORT(&A, sim_commit(&A), STM_ABORT_READ_WRITE);
    }
    EXPECT_VALUE(&C, p, 2);
    sim_end(&A); sim_end(&B); sim_end(&C);
}

static void t_inev_stats_and_many_readers(void) {
    sim A, B, C;
    sim_init(&A, "A"); sim_init(&B, "B"); sim_init(&C, "C");
    mk_cells(&A, 0, 8, 0);
    EXPECT_OK(&A, sim_start(&A));
    bool got = false;
    EXPECT_OK(&A, sim_try_inev(&A, &got));
    CHECK(got);
    for (int i = 0; i < 4; i++) EXPECT_READ(&A, G[i], i);
    /* B: writes objects A did not touch, C: reads what A read; both commit */
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&C, sim_start(&C));
    for (int i = 4; i < 8; i++) EXPECT_OK(&B, sim_write(&B, G[i], 100 + i));
    for (int i = 0; i < 4; i++) EXPECT_READ(&C, G[i], i);
    EXPECT_ABORT(&C, sim_write(&C, G[7], 1), STM_ABORT_WRITE_WRITE);  /* B holds the lock */
    EXPECT_OK(&B, sim_commit(&B));
    for (int i = 0; i < 4; i++) EXPECT_OK(&A, sim_write(&A, G[i], 50 + i));
    EXPECT_OK(&A, sim_commit(&A));
    for (int i = 0; i < 4; i++) EXPECT_VALUE(&B, G[i], 50 + i);
    for (int i = 4; i < 8; i++) EXPECT_VALUE(&B, G[i], 100 + i);
    sim_end(&A); sim_end(&B); sim_end(&C);
}

static void t_inev_after_retries(void) {
    sim A;
    sim_init(&A, "A");
    for (int i = 0; i < RETRIES_BEFORE_INEV; i++) {
        EXPECT_OK(&A, sim_start(&A));
        CHECKF(!stm_is_inevitable(A.t), "inevitable after only %d aborts", i);
        EXPECT_ABORT(&A, sim_abort(&A), STM_ABORT_EXPLICIT);
    }
    EXPECT_OK(&A, sim_start(&A));
    CHECKF(stm_is_inevitable(A.t), "not inevitable after %d consecutive aborts",
           RETRIES_BEFORE_INEV);
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_OK(&A, sim_start(&A));
    CHECK(!stm_is_inevitable(A.t));          /* the count restarts after a commit */
    EXPECT_OK(&A, sim_commit(&A));
    sim_end(&A);
}

/* ------------------------------------------------------------------------------------------ */
/* atomic sections, should_break                                                                */

struct brk_arg { int before, in1, in2, after; };
static void op_breaks(sim *s, void *arg) {
    struct brk_arg *b = arg;
    stm_thread *t = s->t;
    stm_atomic_begin(t);
    stm_hint_commit_soon(t);
    for (int i = 0; i < 100000; i++) b->in1 += stm_should_break(t);
    stm_atomic_begin(t);
    stm_hint_commit_soon(t);
    b->in2 += stm_should_break(t);
    stm_atomic_end(t);
    stm_hint_commit_soon(t);
    b->in2 += stm_should_break(t);
    stm_atomic_end(t);
    stm_hint_commit_soon(t);
    b->after += stm_should_break(t);
}
static void t_atomic(void) {
    sim A;
    sim_init(&A, "A");
    EXPECT_OK(&A, sim_start(&A));
    struct brk_arg b = { 0, 0, 0, 0 };
    EXPECT_OK(&A, sim_exec(&A, op_breaks, &b));
    CHECK_EQ(b.in1, 0);
    CHECK_EQ(b.in2, 0);
    CHECK_EQ(b.after, 1);
    CHECK_EQ(A.t->atomic_depth, 0);
    EXPECT_OK(&A, sim_commit(&A));
    sim_end(&A);
}

/* ------------------------------------------------------------------------------------------ */
/* collection                                                                                   */

/* Build a private list of n cells (values base+0 .. base+n-1, head = last) on the shadow stack
   top slot. */
struct list_arg { int n; int64_t base; };
static void op_build_list(sim *s, void *arg) {
    struct list_arg *l = arg;
    stm_thread *t = s->t;
    stm_push_root(t, NULL);
    for (int i = 0; i < l->n; i++) {
        stm_obj *o = stm_allocate(t, TID_CELL, sizeof(cell), 0);
        if (!o) { CHECKF(0, "NULL allocation"); return; }
        cell *c = stm_payload(o);
        c->value = l->base + i;
        c->next = t->roots_top[-1];
        t->roots_top[-1] = o;
    }
}
/* Walk the list at *head (n cells, values descending from base+n-1); returns mismatches. */
struct walk_arg { stm_obj *head; int n; int64_t base; long bad; long in_nursery; };
static void op_walk(sim *s, void *arg) {
    struct walk_arg *w = arg;
    stm_obj *o = w->head;
    w->bad = 0;
    w->in_nursery = 0;
    for (int i = w->n - 1; i >= 0; i--) {
        if (!o) { w->bad += i + 1; break; }
        const cell *c = stm_read(s->t, o);
        if (c->value != w->base + i) w->bad++;
        if (_stm_in_nursery(s->t, o)) w->in_nursery++;
        o = c->next;
    }
    if (o) w->bad++;
}
static long walk(sim *s, stm_obj *head, int n, int64_t base, long *in_nursery) {
    struct walk_arg w = { head, n, base, -1, 0 };
    if (sim_exec(s, op_walk, &w)) { CHECKF(0, "%s aborted while walking (%s)", s->name,
                                           cause_name(s->cause)); return -1; }
    if (in_nursery) *in_nursery = w.in_nursery;
    return w.bad;
}


static void op_commit_pop(sim *s, void *arg) {
    int slot = *(int *)arg;
    stm_commit(s->t);
    s->in_tx = false;
    G[slot] = stm_pop_root(s->t);
}
static void t_minor_gc_moves(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    EXPECT_OK(&A, sim_start(&A));
    struct list_arg l = { 1000, 5000 };
    EXPECT_OK(&A, sim_exec(&A, op_build_list, &l));
    stm_obj *head0 = A.t->roots_top[-1];
    if (!tl_gc_stressed()) CHECK(pred(&A, _stm_in_nursery, head0));
    long nurs = -1;
    CHECK_EQ(walk(&A, head0, 1000, 5000, &nurs), 0);
    if (!tl_gc_stressed()) CHECK_EQ(nurs, 1000);
    uint64_t minors0;
    { stm_stats st; stm_get_stats(A.t, &st); minors0 = st.minor_gcs; }
    EXPECT_OK(&A, sim_minor(&A));
    { stm_stats st; stm_get_stats(A.t, &st); CHECK(st.minor_gcs > minors0); }
    stm_obj *head1 = A.t->roots_top[-1];
    if (!tl_gc_stressed()) CHECK(head1 != head0);
    CHECK(!pred(&A, _stm_in_nursery, head1));
    CHECK(pred(&A, _stm_is_private, head1));
    CHECK_EQ(walk(&A, head1, 1000, 5000, &nurs), 0);
    CHECK_EQ(nurs, 0);
    int slot = 2;
    EXPECT_OK(&A, sim_exec(&A, op_commit_pop, &slot));
    EXPECT_OK(&B, sim_start(&B));
    CHECK_EQ(walk(&B, G[2], 1000, 5000, &nurs), 0);
    CHECK(!pred(&B, _stm_is_private, G[2]));
    EXPECT_OK(&B, sim_commit(&B));
    sim_end(&A); sim_end(&B);
}

/* roots: [-2] = older list (head value 2999), [-1] = newer list of 500 (tail value 3000):
   link the newer list's tail to the older head, leave one root (the newer head). */
static void op_link_lists(sim *s, void *arg) {
    (void)arg;
    stm_thread *t = s->t;
    stm_obj *oldhead = t->roots_top[-2], *o = t->roots_top[-1];
    for (int i = 0; i < 499 && o; i++) o = ((const cell *)stm_read(t, o))->next;
    CHECK(o != NULL);
    if (!o) return;
    cell *c = stm_write(t, o);
    CHECK_EQ(c->value, 3000);
    c->next = oldhead;
    t->roots_top[-2] = t->roots_top[-1];
    t->roots_top--;
}
static void t_minor_gc_then_commit(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    EXPECT_OK(&A, sim_start(&A));
    struct list_arg l = { 3000, 0 };
    EXPECT_OK(&A, sim_exec(&A, op_build_list, &l));
    EXPECT_OK(&A, sim_minor(&A));
    /* extend the moved list with fresh nursery cells */
    struct list_arg l2 = { 500, 3000 };
    EXPECT_OK(&A, sim_exec(&A, op_build_list, &l2));
    EXPECT_OK(&B, sim_start(&B));   /* an unrelated transaction, left open meanwhile */
    EXPECT_OK(&A, sim_exec(&A, op_link_lists, NULL));
    int slot = 3;
    EXPECT_OK(&A, sim_exec(&A, op_commit_pop, &slot));
    CHECK(A.t->roots_top == A.roots_mark);
    CHECK_EQ(walk(&B, G[3], 3500, 0, NULL), 0);
    EXPECT_OK(&B, sim_commit(&B));
    sim_end(&A); sim_end(&B);
}

/* write o.next = a fresh private list (n cells) */
struct into_arg { stm_obj *o; int n; int64_t base; };
static void op_alloc_list_into(sim *s, void *arg) {
    struct into_arg *a = arg;
    struct list_arg l = { a->n, a->base };
    op_build_list(s, &l);
    stm_obj *head = stm_pop_root(s->t);
    cell *c = stm_write(s->t, a->o);
    c->next = head;
}
struct walk_next_arg { stm_obj *o; int n; int64_t base; long bad; };
static void op_walk_next(sim *s, void *arg) {
    struct walk_next_arg *w = arg;
    const cell *c = stm_read(s->t, w->o);
    struct walk_arg wa = { c->next, w->n, w->base, 0, 0 };
    op_walk(s, &wa);
    w->bad = wa.bad;
}
static long walk_next(sim *s, stm_obj *o, int n, int64_t base) {
    struct walk_next_arg w = { o, n, base, -1 };
    if (sim_exec(s, op_walk_next, &w)) { CHECKF(0, "%s aborted while walking (%s)", s->name,
                                                cause_name(s->cause)); return -1; }
    return w.bad;
}

/* Private objects reachable only from a written copy of a committed object, and from the shadow
   stack, survive collections run by other threads while their transaction is left open. */
static void t_gc_with_left_thread(void) {
    sim A, B, C;
    sim_init(&A, "A"); sim_init(&B, "B"); sim_init(&C, "C");
    mk_cells(&A, 0, 1, 0);
    stm_obj *o = G[0];
    EXPECT_OK(&A, sim_start(&A));
    struct into_arg aa = { o, 200, 1000 };
    EXPECT_OK(&A, sim_exec(&A, op_alloc_list_into, &aa));
    struct list_arg l = { 300, 7000 };
    EXPECT_OK(&A, sim_exec(&A, op_build_list, &l));     /* on A's shadow stack */
    /* B: garbage, minor and major collections while A is left */
    EXPECT_OK(&B, sim_start(&B));
    struct list_arg g = { 5000, 0 };
    EXPECT_OK(&B, sim_exec(&B, op_build_list, &g));
    EXPECT_OK(&B, sim_minor(&B));
    EXPECT_OK(&B, sim_major(&B));
    B.t->roots_top--;                /* the list becomes garbage */
    EXPECT_OK(&B, sim_commit(&B));
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_major(&B));
    EXPECT_OK(&B, sim_commit(&B));
    CHECK_EQ(walk_next(&A, o, 200, 1000), 0);
    CHECK_EQ(walk(&A, A.t->roots_top[-1], 300, 7000, NULL), 0);
    EXPECT_OK(&A, sim_minor(&A));
    CHECK_EQ(walk_next(&A, o, 200, 1000), 0);
    CHECK_EQ(walk(&A, A.t->roots_top[-1], 300, 7000, NULL), 0);
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_major(&B));
    EXPECT_OK(&B, sim_commit(&B));
    CHECK_EQ(walk_next(&A, o, 200, 1000), 0);
    CHECK_EQ(walk(&A, A.t->roots_top[-1], 300, 7000, NULL), 0);
    int slot = 5;
    EXPECT_OK(&A, sim_exec(&A, op_commit_pop, &slot));
    EXPECT_OK(&C, sim_start(&C));
    CHECK_EQ(walk_next(&C, o, 200, 1000), 0);
    CHECK_EQ(walk(&C, G[5], 300, 7000, NULL), 0);
    EXPECT_OK(&C, sim_major(&C));
    CHECK_EQ(walk_next(&C, o, 200, 1000), 0);
    CHECK_EQ(walk(&C, G[5], 300, 7000, NULL), 0);
    EXPECT_OK(&C, sim_commit(&C));
    sim_end(&A); sim_end(&B); sim_end(&C);
}

/* The body a reader holds is not freed by a major collection after newer commits. */
static void t_old_body_survives_major(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    mk_cells(&A, 0, 2, 1);
    stm_obj *o = G[0], *p = G[1];
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_READ(&A, o, 1);
    for (int i = 0; i < 5; i++) {
        EXPECT_OK(&B, sim_start(&B));
        EXPECT_OK(&B, sim_write(&B, o, 100 + i));
        EXPECT_OK(&B, sim_commit(&B));
        EXPECT_OK(&B, sim_start(&B));
        EXPECT_OK(&B, sim_major(&B));
        EXPECT_OK(&B, sim_commit(&B));
    }
    EXPECT_READ(&A, o, 1);
    EXPECT_READ(&A, p, 2);
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_VALUE(&A, o, 104);
    sim_end(&A); sim_end(&B);
}

/* commit a list of n cells into G[slot] */
struct gl_arg { int n; int slot; };
static void op_garbage_committed(sim *s, void *arg) {
    struct gl_arg *a = arg;
    struct list_arg l = { a->n, 0 };
    op_build_list(s, &l);
    stm_commit(s->t);
    s->in_tx = false;
    G[a->slot] = stm_pop_root(s->t);
}
static void t_major_gc_frees_and_keeps(void) {
    sim A;
    sim_init(&A, "A");
    EXPECT_OK(&A, sim_start(&A));
    struct gl_arg keep = { 20000, 10 };
    EXPECT_OK(&A, sim_exec(&A, op_garbage_committed, &keep));
    EXPECT_OK(&A, sim_start(&A));
    struct gl_arg junk = { 30000, 11 };
    EXPECT_OK(&A, sim_exec(&A, op_garbage_committed, &junk));
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, sim_major(&A));
    EXPECT_OK(&A, sim_commit(&A));
    size_t h1 = stm_heap_size();
    CHECK(h1 >= 50000 * sizeof(cell));
    CHECK(stm_os_memory() >= h1);
    G[11] = NULL;
    uint64_t majors0;
    { stm_stats st; stm_get_global_stats(&st); majors0 = st.major_gcs; }
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, sim_major(&A));
    EXPECT_OK(&A, sim_commit(&A));
    { stm_stats st; stm_get_global_stats(&st); CHECK(st.major_gcs > majors0); }
    size_t h2 = stm_heap_size();
    CHECKF(h2 + 30000 * sizeof(cell) <= h1, "heap %zu -> %zu: 30000 dead cells not freed", h1, h2);
    EXPECT_OK(&A, sim_start(&A));
    CHECK_EQ(walk(&A, G[10], 20000, 0, NULL), 0);
    EXPECT_OK(&A, sim_commit(&A));
    G[10] = NULL;
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, sim_major(&A));
    EXPECT_OK(&A, sim_commit(&A));
    size_t h3 = stm_heap_size();
    CHECKF(h3 + 20000 * sizeof(cell) <= h2, "heap %zu -> %zu: 20000 dead cells not freed", h2, h3);
    sim_end(&A);
}

/* Old bodies replaced by commits are freed by a major collection once nobody can read them. */
static void t_major_gc_frees_old_bodies(void) {
    sim A;
    sim_init(&A, "A");
    mk_cells(&A, 0, 100, 0);
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, sim_major(&A));
    EXPECT_OK(&A, sim_commit(&A));
    size_t h0 = stm_heap_size();
    for (int round = 0; round < 50; round++) {
        EXPECT_OK(&A, sim_start(&A));
        for (int i = 0; i < 100; i++) EXPECT_OK(&A, sim_write(&A, G[i], round * 1000 + i));
        EXPECT_OK(&A, sim_commit(&A));
    }
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, sim_major(&A));
    EXPECT_OK(&A, sim_commit(&A));
    size_t h1 = stm_heap_size();
    CHECKF(h1 <= h0 + 100 * 128, "heap %zu -> %zu after 5000 body replacements + major GC", h0, h1);
    for (int i = 0; i < 100; i += 17) EXPECT_VALUE(&A, G[i], 49 * 1000 + i);
    sim_end(&A);
}

struct big_arg { int64_t n; };
static void op_large(sim *s, void *arg) {
    struct big_arg *b = arg;
    stm_thread *t = s->t;
    stm_obj *a = stm_allocate(t, TID_ARRAY, array_size(b->n), 0);
    CHECK(a != NULL);
    if (!a) return;
    CHECK(!_stm_in_nursery(t, a));
    CHECK(_stm_is_private(t, a));
    array *ap = stm_payload(a);
    size_t nz = 0;
    for (int64_t i = 0; i < b->n; i++) nz += ap->items[i] != NULL;
    CHECK_EQ(nz, 0);
    CHECK_EQ(ap->n, 0);
    CHECK(stm_write(t, a) == (void *)ap);
    CHECK(stm_read(t, a) == (const void *)ap);
    ap->n = b->n;
    stm_push_root(t, a);
    for (int64_t i = 0; i < b->n; i++) {
        stm_obj *c = stm_allocate(t, TID_CELL, sizeof(cell), 0);
        ((cell *)stm_payload(c))->value = i * 3;
        ap = stm_write(t, t->roots_top[-1]);   /* large object: does not move, but reload */
        ap->items[i] = c;
    }
    CHECK(t->roots_top[-1] == a);              /* old-space objects never move */
}
static void op_check_large(sim *s, void *arg) {
    struct big_arg *b = arg;
    stm_obj *a = s->in_tx && s->t->roots_top > s->roots_mark ? s->t->roots_top[-1] : G[20];
    const array *ap = stm_read(s->t, a);
    CHECK_EQ(ap->n, b->n);
    long bad = 0, nurs = 0;
    for (int64_t i = 0; i < b->n && i < ap->n; i++) {
        if (!ap->items[i]) { bad++; continue; }
        const cell *c = stm_read(s->t, ap->items[i]);
        if (c->value != i * 3) bad++;
        nurs += _stm_in_nursery(s->t, ap->items[i]);
    }
    CHECK_EQ(bad, 0);
    b->n = nurs;   /* out: how many still in the nursery */
}
static void large_objects(int64_t n) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    EXPECT_OK(&A, sim_start(&A));
    struct big_arg b = { n };
    EXPECT_OK(&A, sim_exec(&A, op_large, &b));
    b.n = n;
    EXPECT_OK(&A, sim_exec(&A, op_check_large, &b));
    if (!tl_gc_stressed()) CHECK_EQ(b.n, n);
    EXPECT_OK(&A, sim_minor(&A));
    b.n = n;
    EXPECT_OK(&A, sim_exec(&A, op_check_large, &b));
    CHECK_EQ(b.n, 0);
    int slot = 20;
    EXPECT_OK(&A, sim_exec(&A, op_commit_pop, &slot));
    EXPECT_OK(&B, sim_start(&B));
    b.n = n;
    EXPECT_OK(&B, sim_exec(&B, op_check_large, &b));
    EXPECT_OK(&B, sim_major(&B));
    b.n = n;
    EXPECT_OK(&B, sim_exec(&B, op_check_large, &b));
    EXPECT_OK(&B, sim_commit(&B));
    G[20] = NULL;
    sim_end(&A); sim_end(&B);
}
static void t_large_objects(void) { large_objects(2000); }        /* 16 KiB payload */
static void t_large_objects_huge(void) { large_objects(20000); }  /* 160 KiB payload */

/* A committed 40 KiB object reachable only from a global root survives major collections, and
   a private one reachable only from the shadow stack of a left transaction too. */
static void op_mk_blob(sim *s, void *arg) {
    int64_t n = *(int64_t *)arg;
    stm_obj *o = stm_allocate(s->t, TID_BLOB, blob_size(n), 0);
    CHECK(o != NULL);
    if (!o) return;
    blob *b = stm_payload(o);
    b->n = n;
    for (int64_t i = 0; i < n; i++) b->data[i] = (unsigned char)(i * 7);
    stm_push_root(s->t, o);
}
struct blobchk { stm_obj *o; long bad; };
static void op_chk_blob(sim *s, void *arg) {
    struct blobchk *c = arg;
    const blob *b = stm_read(s->t, c->o);
    c->bad = 0;
    for (int64_t i = 0; i < b->n; i++) c->bad += b->data[i] != (unsigned char)(i * 7);
    if (b->n != 40000) c->bad++;
}
static void t_large_blob_major(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    int64_t n = 40000;
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, sim_exec(&A, op_mk_blob, &n));
    int slot = 21;
    EXPECT_OK(&A, sim_exec(&A, op_commit_pop, &slot));
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, sim_exec(&A, op_mk_blob, &n));      /* private, on A's shadow stack */
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_major(&B));
    EXPECT_OK(&B, sim_commit(&B));
    size_t h = stm_heap_size();
    CHECKF(h >= 2 * 40000, "heap %zu after a major collection, two live 40 KB objects", h);
    struct blobchk c1 = { G[21], -1 };
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_exec(&B, op_chk_blob, &c1));
    EXPECT_OK(&B, sim_commit(&B));
    CHECK_EQ(c1.bad, 0);
    struct blobchk c2 = { A.t->roots_top[-1], -1 };
    EXPECT_OK(&A, sim_exec(&A, op_chk_blob, &c2));
    CHECK_EQ(c2.bad, 0);
    EXPECT_OK(&A, sim_major(&A));
    c2.o = A.t->roots_top[-1];
    EXPECT_OK(&A, sim_exec(&A, op_chk_blob, &c2));
    CHECK_EQ(c2.bad, 0);
    slot = 22;
    EXPECT_OK(&A, sim_exec(&A, op_commit_pop, &slot));
    struct blobchk c3 = { G[22], -1 };
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_exec(&B, op_chk_blob, &c3));
    EXPECT_OK(&B, sim_commit(&B));
    CHECK_EQ(c3.bad, 0);
    G[21] = G[22] = NULL;
    sim_end(&A); sim_end(&B);
}

/* An object of exactly STM_NURSERY_MAX_OBJECT goes to the nursery, one byte more does not. */
static void op_boundary(sim *s, void *arg) {
    (void)arg;
    stm_obj *a = stm_allocate(s->t, TID_BLOB, STM_NURSERY_MAX_OBJECT, 0);
    CHECK(a && _stm_in_nursery(s->t, a));
    ((blob *)stm_payload(a))->n = STM_NURSERY_MAX_OBJECT - sizeof(blob);
    stm_obj *b = stm_allocate(s->t, TID_BLOB, STM_NURSERY_MAX_OBJECT + 1, 0);
    CHECK(b && !_stm_in_nursery(s->t, b) && _stm_is_private(s->t, b));
    if (b) ((blob *)stm_payload(b))->n = STM_NURSERY_MAX_OBJECT + 1 - sizeof(blob);
}
static void t_large_boundary(void) {
    sim A;
    sim_init(&A, "A");
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, sim_exec(&A, op_boundary, NULL));
    EXPECT_OK(&A, sim_commit(&A));
    sim_end(&A);
}

struct limit_arg { int64_t size; int got, nulls, after_reset_ok, corrupt; };
static void op_limit(sim *s, void *arg) {
    struct limit_arg *l = arg;
    stm_thread *t = s->t;
    stm_set_memory_limit(stm_heap_size() + (512 << 10));
    for (int i = 0; i < 400; i++) {
        stm_obj *o = stm_allocate(t, TID_BLOB, blob_size(l->size), 0);
        if (!o) { l->nulls++; if (l->nulls >= 2) break; continue; }
        ((blob *)stm_payload(o))->n = l->size;
        memset(((blob *)stm_payload(o))->data, 0x5A, (size_t)l->size);
        stm_push_root(t, o);
        l->got++;
    }
    /* everything allocated is still intact (the collections run at the limit kept it) */
    for (stm_obj **r = s->roots_mark; r < t->roots_top; r++) {
        const blob *b = stm_read(t, *r);
        if (b->n != l->size || b->data[0] != 0x5A || b->data[l->size - 1] != 0x5A) l->corrupt++;
    }
    stm_set_memory_limit(0);
    stm_obj *o = stm_allocate(t, TID_BLOB, blob_size(l->size), 0);
    if (o) { ((blob *)stm_payload(o))->n = l->size; l->after_reset_ok = 1; }
}
static void memory_limit(int64_t size) {
    sim A;
    sim_init(&A, "A");
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, sim_major(&A));
    EXPECT_OK(&A, sim_commit(&A));
    size_t h0 = stm_heap_size();
    EXPECT_OK(&A, sim_start(&A));
    struct limit_arg l = { size, 0, 0, 0, 0 };
    EXPECT_OK(&A, sim_exec(&A, op_limit, &l));
    int64_t lo = (256 << 10) / size, hi = (640 << 10) / size + 1;
    CHECKF(l.nulls >= 1, "no NULL from stm_allocate under a 512 KiB limit (%d x %lld bytes "
           "allocated)", l.got, (long long)size);
    CHECKF(l.got >= lo && l.got <= hi, "allocated %d x %lld bytes under a 512 KiB limit",
           l.got, (long long)size);
    CHECK_EQ(l.corrupt, 0);
    CHECK(l.after_reset_ok);
    EXPECT_ABORT(&A, sim_abort(&A), STM_ABORT_EXPLICIT);
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, sim_major(&A));
    EXPECT_OK(&A, sim_commit(&A));
    size_t h1 = stm_heap_size();
    CHECKF(h1 <= h0 + (64 << 10), "heap %zu -> %zu: aborted large allocations not freed", h0, h1);
    sim_end(&A);
}
static void t_memory_limit(void) { memory_limit(8 << 10); }            /* size-class objects */
static void t_memory_limit_large(void) { memory_limit(40 << 10); }     /* > 16 KiB objects */

static void t_immutable(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    mk_cells_f(&A, 30, 3, 77, STM_IMMUTABLE);
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_READ(&B, G[30], 77);
    EXPECT_READ(&B, G[32], 79);
    CHECK(G[30]->flags & STM_IMMUTABLE);
    EXPECT_OK(&B, sim_major(&B));
    EXPECT_READ(&B, G[31], 78);
    EXPECT_OK(&B, sim_commit(&B));
    sim_end(&A); sim_end(&B);
}

static void t_stats(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    stm_stats g0, g1, a;
    mk_cells(&A, 0, 2, 0);
    stm_get_global_stats(&g0);
    long bumps0 = bumps;
    stm_get_stats(A.t, &a);
    uint64_t ac = a.commits;
    CHECK_EQ(ac, 1);    /* mk_cells */
    /* A: 2 commits, 1 explicit abort, 1 write/write abort, 1 read/write abort; B: 3 commits */
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_OK(&B, sim_start(&B));
    bump();
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_ABORT(&A, sim_abort(&A), STM_ABORT_EXPLICIT);
    EXPECT_OK(&A, sim_start(&A));            /* retry: keeps its age, younger than B */
    EXPECT_OK(&B, sim_write(&B, G[0], 1));
    EXPECT_ABORT(&A, sim_write(&A, G[0], 2), STM_ABORT_WRITE_WRITE);
    EXPECT_OK(&B, sim_commit(&B));
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_READ(&A, G[0], 1);
    EXPECT_OK(&A, sim_write(&A, G[1], 5));
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_write(&B, G[0], 3));
    EXPECT_OK(&B, sim_commit(&B));
    EXPECT_ABORT(&A, sim_commit(&A), STM_ABORT_READ_WRITE);
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, sim_write(&A, G[1], 5));
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_commit(&B));
    stm_get_stats(A.t, &a);
    CHECK_EQ(a.commits, ac + 2);
    CHECK_EQ(a.aborts[STM_ABORT_EXPLICIT], 1);
    CHECK_EQ(a.aborts[STM_ABORT_WRITE_WRITE], 1);
    CHECK_EQ(a.aborts[STM_ABORT_READ_WRITE], 1);
    CHECK_EQ(a.aborts[STM_ABORT_INEVITABLE], 0);
    CHECK_EQ(a.aborts[STM_ABORT_OTHER], 0);
    stm_stats b;
    stm_get_stats(B.t, &b);
    CHECK_EQ(b.commits, 3);
    CHECK_EQ(b.aborts[0] + b.aborts[1] + b.aborts[2] + b.aborts[3] + b.aborts[4], 0);
    stm_get_global_stats(&g1);
    CHECK_EQ(g1.commits - g0.commits, 5 + (bumps - bumps0));
    CHECK_EQ(g1.aborts[STM_ABORT_EXPLICIT] - g0.aborts[STM_ABORT_EXPLICIT], 1);
    CHECK_EQ(g1.aborts[STM_ABORT_WRITE_WRITE] - g0.aborts[STM_ABORT_WRITE_WRITE], 1);
    CHECK_EQ(g1.aborts[STM_ABORT_READ_WRITE] - g0.aborts[STM_ABORT_READ_WRITE], 1);
    uint32_t aid = A.t->id;
    sim_end(&A);
    /* global stats include unregistered threads */
    stm_get_global_stats(&g1);
    CHECK_EQ(g1.commits - g0.commits, 5 + (bumps - bumps0));
    CHECK(aid > 0);
    sim_end(&B);
}

static void t_thread_ids(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    CHECK(A.t->id > 0);
    CHECK(B.t->id > A.t->id);
    CHECK(!stm_in_transaction(A.t));
    CHECK_EQ(stm_last_abort(B.t).cause < 0, 1);
    stm_set_segment_limit(3);
    CHECK_EQ(stm_get_segment_limit(), 3);
    stm_set_segment_limit(0);
    CHECK_EQ(stm_get_segment_limit(), 0);
    uint64_t c0 = _stm_global_clock();
    mk_cells(&A, 0, 1, 0);
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, sim_write(&A, G[0], 1));
    EXPECT_OK(&A, sim_commit(&A));
    CHECK(_stm_global_clock() >= c0);
    sim_end(&A); sim_end(&B);
}

/* Shadow-stack roots of a left transaction, and a transaction writing many objects. */
static void t_many_writes(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    mk_cells(&A, 40, 200, 0);
    EXPECT_OK(&A, sim_start(&A));
    for (int i = 0; i < 200; i++) EXPECT_OK(&A, sim_write(&A, G[40 + i], -i));
    EXPECT_OK(&B, sim_start(&B));
    for (int i = 0; i < 200; i += 7) EXPECT_READ(&B, G[40 + i], i);
    EXPECT_OK(&B, sim_commit(&B));
    EXPECT_OK(&A, sim_minor(&A));
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_OK(&B, sim_start(&B));
    for (int i = 0; i < 200; i++) EXPECT_READ(&B, G[40 + i], -i);
    EXPECT_OK(&B, sim_commit(&B));
    sim_end(&A); sim_end(&B);
}

/* Older writer vs. lock of a younger one which already read things; both objects. */
static void t_ww_chain(void) {
    sim A, B, C, D;
    sim_init(&A, "A"); sim_init(&B, "B"); sim_init(&C, "C"); sim_init(&D, "D");
    mk_cells(&A, 0, 3, 0);
    stm_obj *x = G[0], *y = G[1], *z = G[2];
    EXPECT_OK(&A, sim_start(&A));
    bump();
    EXPECT_OK(&B, sim_start(&B));
    bump();
    EXPECT_OK(&C, sim_start(&C));
    EXPECT_OK(&C, sim_write(&C, z, 3));
    EXPECT_OK(&B, sim_write(&B, y, 2));
    EXPECT_OK(&B, sim_write(&B, z, 2));      /* B older than C: C aborted */
    EXPECT_OK(&A, sim_write(&A, y, 1));      /* A older than B: B aborted */
    EXPECT_ABORT(&C, sim_poke(&C), STM_ABORT_WRITE_WRITE);
    EXPECT_ABORT(&B, sim_poke(&B), STM_ABORT_WRITE_WRITE);
    EXPECT_OK(&D, sim_start(&D));
    EXPECT_OK(&D, sim_write(&D, z, 4));      /* free again */
    EXPECT_OK(&D, sim_commit(&D));
    EXPECT_OK(&A, sim_write(&A, x, 1));
    EXPECT_OK(&A, sim_commit(&A));
    EXPECT_VALUE(&D, x, 1);
    EXPECT_VALUE(&D, y, 1);
    EXPECT_VALUE(&D, z, 4);
    sim_end(&A); sim_end(&B); sim_end(&C); sim_end(&D);
}

/* Roots: a committed object kept on a thread's shadow stack across transactions. */
static void t_roots_across_transactions(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    EXPECT_OK(&A, sim_start(&A));
    struct list_arg l = { 100, 0 };
    EXPECT_OK(&A, sim_exec(&A, op_build_list, &l));
    stm_obj **mark = A.roots_mark;
    EXPECT_OK(&A, sim_commit(&A));
    CHECK(A.t->roots_top == mark + 1);
    stm_obj *head = A.t->roots_top[-1];
    CHECK(head != NULL);
    for (int i = 0; i < 3; i++) {
        EXPECT_OK(&B, sim_start(&B));
        EXPECT_OK(&B, sim_major(&B));
        EXPECT_OK(&B, sim_commit(&B));
    }
    CHECK(A.t->roots_top[-1] == head);
    EXPECT_OK(&A, sim_start(&A));
    CHECK_EQ(walk(&A, head, 100, 0, NULL), 0);
    EXPECT_OK(&A, sim_commit(&A));
    A.t->roots_top--;
    sim_end(&A); sim_end(&B);
}


/* stm_stamp_at_commit: the stamp lands at commit even if the object moved, equals for one
   transaction, grows in commit (serialization) order, and an aborted request is forgotten. */
struct stamp_arg { stm_obj *holder; int n; };
static void op_new_stamped(sim *s, void *arg) {
    struct stamp_arg *a = arg;
    for (int i = 0; i < a->n; i++) {
        stm_push_root(s->t, a->holder);
        stm_obj *c = stm_allocate(s->t, TID_CELL, sizeof(cell), 0);
        a->holder = stm_pop_root(s->t);
        ((cell *)stm_payload(c))->value = -1;
        stm_stamp_at_commit(s->t, c, offsetof(cell, value));
        /* chain: holder.next -> c -> previous chain */
        cell *h = stm_write(s->t, a->holder);
        ((cell *)stm_payload(c))->next = h->next;
        h->next = c;
    }
}
static int64_t stamp_of(sim *s, stm_obj *holder, int k) {   /* k-th newest stamped cell */
    stm_obj *p = NULL;
    EXPECT_OK(s, sim_start(s));
    EXPECT_OK(s, sim_read_next(s, holder, &p));
    for (int i = 0; i < k && p; i++) EXPECT_OK(s, sim_read_next(s, p, &p));
    int64_t v = -2;
    if (p) EXPECT_OK(s, sim_read(s, p, &v));
    EXPECT_OK(s, sim_commit(s));
    return v;
}
static void t_commit_stamps(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    mk_cells(&A, 0, 2, 0);
    struct stamp_arg a = { G[0], 2 }, b = { G[1], 1 };
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&A, sim_exec(&A, op_new_stamped, &a));    /* A stamps first ... */
    EXPECT_OK(&B, sim_exec(&B, op_new_stamped, &b));
    EXPECT_OK(&A, sim_minor(&A));                       /* ... its cells move ... */
    EXPECT_OK(&B, sim_commit(&B));                      /* ... but B commits first */
    EXPECT_OK(&A, sim_commit(&A));
    int64_t a0 = stamp_of(&A, G[0], 0), a1 = stamp_of(&A, G[0], 1), b0 = stamp_of(&B, G[1], 0);
    CHECK(b0 > 0);
    CHECK_EQ(a0, a1);                                   /* one transaction, one stamp */
    CHECK(b0 < a0);                                     /* serialization order */
    /* an aborted transaction's request is forgotten; the next commit stamps only its own */
    struct stamp_arg c = { G[1], 1 };
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_exec(&B, op_new_stamped, &c));
    EXPECT_ABORT(&B, sim_abort(&B), STM_ABORT_EXPLICIT);
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_write(&B, G[0], 7));
    EXPECT_OK(&B, sim_commit(&B));
    CHECK_EQ(stamp_of(&B, G[1], 0), b0);
    struct stamp_arg d = { G[1], 1 };
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_exec(&B, op_new_stamped, &d));
    EXPECT_OK(&B, sim_commit(&B));
    CHECK(stamp_of(&B, G[1], 0) > a0);
    sim_end(&A); sim_end(&B);
}


/* A written object's shadow gets a young reference after a minor collection: the collector
   traces only shadows written since the last one, so this write must be noticed. */
static void op_link_new_cell(sim *s, void *arg) {
    stm_obj **holder = arg;
    stm_push_root(s->t, *holder);
    stm_obj *c = stm_allocate(s->t, TID_CELL, sizeof(cell), 0);
    *holder = stm_pop_root(s->t);
    ((cell *)stm_payload(c))->value = 4242;
    cell *h = stm_write(s->t, *holder);
    h->next = c;
}
static void t_write_after_minor_gc(void) {
    sim A, B;
    sim_init(&A, "A"); sim_init(&B, "B");
    mk_cells(&A, 0, 1, 5);
    EXPECT_OK(&A, sim_start(&A));
    EXPECT_OK(&A, sim_write(&A, G[0], 6));           /* in the write set, shadow made */
    EXPECT_OK(&A, sim_minor(&A));
    EXPECT_OK(&A, sim_exec(&A, op_link_new_cell, &G[0]));
    EXPECT_OK(&A, sim_minor(&A));                     /* must move the new cell */
    EXPECT_OK(&A, sim_exec(&A, op_link_new_cell, &G[0]));   /* and again, written twice */
    EXPECT_OK(&A, sim_minor(&A));
    EXPECT_OK(&A, sim_commit(&A));
    stm_obj *p = NULL;
    int64_t v = 0;
    EXPECT_OK(&B, sim_start(&B));
    EXPECT_OK(&B, sim_read_next(&B, G[0], &p));
    CHECK(p != NULL && !_stm_in_nursery(A.t, p));
    if (p) EXPECT_OK(&B, sim_read(&B, p, &v));
    CHECK_EQ(v, 4242);
    EXPECT_OK(&B, sim_commit(&B));
    EXPECT_VALUE(&B, G[0], 6);
    sim_end(&A); sim_end(&B);
}

/* ------------------------------------------------------------------------------------------ */

typedef struct { const char *name; void (*fn)(void); } scenario;
#define S(x) { #x, x }
static const scenario scenarios[] = {
    S(t_private_alloc), S(t_commit_visible), S(t_isolation), S(t_abort_reverts),
    S(t_was_read_written), S(t_multiple_writes), S(t_write_pointer_stable),
    S(t_ww_younger_aborts), S(t_ww_older_wins), S(t_ww_remote_abort_then_commit_attempt),
    S(t_age_kept_on_retry), S(t_age_reset_after_commit), S(t_age_start_order_same_clock), S(t_age_kept_after_explicit_abort),
    S(t_ww_chain),
    S(t_rw_readonly_reader_commits), S(t_rw_writing_reader_aborts), S(t_rw_write_after_conflict),
    S(t_rw_report_locations), S(t_opacity_abort_at_read), S(t_snapshot_extension),
    S(t_snapshot_extension_then_conflict), S(t_write_skew), S(t_write_copies_newest),
    S(t_write_newer_inconsistent), S(t_rw_writer_aborts), S(t_rw_read_during_lock),
    S(t_inev_reader_wins), S(t_inev_unrelated_commit), S(t_inev_written_blocks_writers),
    S(t_inev_steals_lock), S(t_inev_token_exclusive), S(t_inev_stale_read),
    S(t_inev_stats_and_many_readers), S(t_inev_after_retries),
    S(t_atomic),
    S(t_minor_gc_moves), S(t_minor_gc_then_commit), S(t_gc_with_left_thread),
    S(t_old_body_survives_major), S(t_major_gc_frees_and_keeps), S(t_major_gc_frees_old_bodies),
    S(t_large_objects), S(t_large_objects_huge), S(t_large_blob_major), S(t_large_boundary),
    S(t_memory_limit), S(t_memory_limit_large), S(t_immutable),
    S(t_stats), S(t_thread_ids), S(t_many_writes), S(t_roots_across_transactions),
    S(t_commit_stamps), S(t_write_after_minor_gc),
};

static void run_scenario(void *arg) {
    const scenario *sc = arg;
    memset(G, 0, sizeof G);
    sc->fn();
    memset(G, 0, sizeof G);
}

int main(int argc, char **argv) {
    stm_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.no_backoff = true;
    cfg.retries_before_inevitable = RETRIES_BEFORE_INEV;
    cfg.abort_hook = abort_hook;
    tl_init(&cfg);
    stm_add_global_root(&bump_cell);
    sim_init(&bumper, "bumper");
    tl_set_context("setup");
    EXPECT_OK(&bumper, sim_start(&bumper));
    EXPECT_OK(&bumper, sim_exec(&bumper, op_mk_bump_cell, NULL));
    const char *filter = NULL;
    bool fork_ok = !getenv("STM_TEST_NOFORK");
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--no-fork")) fork_ok = false;
        else filter = argv[i];
    }
    int ran = 0, bad = 0;
    for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
        if (filter && !strstr(scenarios[i].name, filter)) continue;
        tl_set_context("%s", scenarios[i].name);
        long f0 = tl_failed;
        tl_run_isolated(fork_ok, run_scenario, (void *)&scenarios[i], scenarios[i].name);
        ran++;
        if (tl_failed > f0) { bad++; printf("scenario %s: FAILED\n", scenarios[i].name); }
    }
    tl_set_context("main");
    CHECK_EQ(tl_bad_callbacks, 0);
    printf("%d scenarios, %d failed\n", ran, bad);
    return tl_finish();
}
