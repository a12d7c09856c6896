/* test_random.c — seeded random interleavings of simulated threads, checked against a model.
 *
 * Each seed: 3-5 simulated threads, a pool of NCELL shared cells in global roots, and OPS random
 * steps (begin / read / write / allocate+link / copy a link / commit / explicit abort /
 * try-inevitable / minor + major collection / atomic section), one step at a time on a random
 * thread.  The model keeps every committed state (version) of the pool; a cell's state is its
 * value and the value of the cell its `next` points to.  Every write stores a fresh unique
 * value, so a commit that writes a cell always changes its state.
 *
 * Checked, for every transaction (aborted ones too):
 *   - opacity: all its observations (reads, and the body its private copy started from) match
 *     ONE committed version between its start and now; read-your-own-writes;
 *   - a committed writing transaction's observations equal the latest version (serializable at
 *     its commit point); its writes become the next version;
 *   - the final committed state equals the model's;
 * and the conflict policy of stm.h, step by step: who aborts and why (write/write by age,
 * inevitable wins, read/write at commit or when the snapshot cannot be extended, remote aborts
 * detected at the victim's next step), that no other abort happens (no spurious aborts), the
 * abort reports (threads), and the statistics.
 *
 * Usage: test-stm-random [--seeds N] [--seed S] [--ops N] [-v]
 */
#include "testlib.h"

#define NCELL 20
#define MAXTH 5

typedef struct { int64_t v, nx; } cst;   /* nx: value of the cell `next` points to, 0 if NULL */

/* ---------------------------------------------------------------------------------------------
 * Model
 * ------------------------------------------------------------------------------------------- */

static cst *hist;            /* hist[v * NCELL + i]: state of cell i in committed version v */
static uint32_t *hist_writer;/* thread id that committed version v */
static int nver, capver;
static int64_t uniq;         /* source of fresh values */

static inline cst *H(int v, int i) { return &hist[(size_t)v * NCELL + i]; }
static inline bool cst_eq(cst a, cst b) { return a.v == b.v && a.nx == b.nx; }

typedef struct { int cell; cst seen; int ver_read; uintptr_t loc; } obs;

typedef struct th {
    sim s;
    int idx;
    uint64_t age;
    bool retry;                /* the previous transaction aborted: keep the age */
    bool inev;
    bool doomed;               /* aborted remotely, not yet noticed */
    int doom_mask;             /* allowed causes for the remote abort */
    uint32_t doom_by;          /* thread id of the aborter */
    int start_ver;
    obs log[NCELL];
    int nlog;
    bool inlog[NCELL];
    bool written[NCELL];
    cst wval[NCELL];
    int nwritten;
    unsigned char *cand;       /* cand[v], v in [start_ver, nver): the observations match v */
    uint64_t commits, aborts[STM_ABORT_CAUSES];
    uint64_t inev_commits;
    int64_t scratch[64];       /* values of the private cells on its shadow stack */
    int nscratch;
} th;

static th T[MAXTH];
static int nth;
static int lock_owner[NCELL];    /* idx of the open transaction that wrote the cell, or -1 */
static int inev_owner;
static uint64_t agectr;

static uint64_t cur_seed;
static long opno;
static bool seed_failed;
static bool verbose;

#define SFAIL(...) do { if (!seed_failed) { \
        tl_check(false, __FILE__, __LINE__, __VA_ARGS__); \
        printf("    (replay: --seed %llu; step %ld)\n", (unsigned long long)cur_seed, opno); } \
        seed_failed = true; } while (0)

static void grow_versions(void) {
    if (nver < capver) return;
    capver = capver ? capver * 2 : 256;
    hist = realloc(hist, (size_t)capver * NCELL * sizeof(cst));
    hist_writer = realloc(hist_writer, (size_t)capver * sizeof(uint32_t));
    for (int k = 0; k < MAXTH; k++) T[k].cand = realloc(T[k].cand, (size_t)capver);
    if (!hist || !hist_writer) { perror("realloc"); exit(2); }
}

static bool log_matches(th *x, int v) {
    for (int k = 0; k < x->nlog; k++)
        if (!cst_eq(*H(v, x->log[k].cell), x->log[k].seen)) return false;
    return true;
}
static bool latest_ok(th *x) { return x->cand[nver - 1]; }
static bool cand_any(th *x) {
    for (int v = x->start_ver; v < nver; v++) if (x->cand[v]) return true;
    return false;
}
static bool changed_since(int ci, int ver) { return !cst_eq(*H(ver, ci), *H(nver - 1, ci)); }

static const char *cst_str(cst c) {
    static char buf[4][48];
    static int k;
    k = (k + 1) & 3;
    snprintf(buf[k], sizeof buf[k], "(%lld,%lld)", (long long)c.v, (long long)c.nx);
    return buf[k];
}

/* Record a new observation of a cell the transaction had not observed; check opacity. */
static void observe(th *x, int ci, cst seen, const char *what) {
    bool fresh_latest = latest_ok(x);
    x->inlog[ci] = true;
    obs *o = &x->log[x->nlog++];
    o->cell = ci;
    o->seen = seen;
    o->ver_read = nver - 1;
    o->loc = x->s.t->location;
    bool any = false;
    for (int v = x->start_ver; v < nver; v++) {
        if (x->cand[v] && !cst_eq(*H(v, ci), seen)) x->cand[v] = 0;
        any |= x->cand[v];
    }
    if (!any) {
        SFAIL("opacity: thread %d %s cell %d = %s, inconsistent with its other observations "
              "in every version %d..%d (latest %s)", x->idx, what, ci, cst_str(seen),
              x->start_ver, nver - 1, cst_str(*H(nver - 1, ci)));
        return;
    }
    /* Everything it read was current: the new observation must be current too (a single-
       version STM returns the latest body, extending the snapshot). */
    if (fresh_latest && !cst_eq(seen, *H(nver - 1, ci)))
        SFAIL("stale read: thread %d %s cell %d = %s, latest is %s and all its reads are "
              "current", x->idx, what, ci, cst_str(seen), cst_str(*H(nver - 1, ci)));
}

static void reset_tx(th *x) {
    for (int i = 0; i < NCELL; i++) {
        if (lock_owner[i] == x->idx) lock_owner[i] = -1;
        x->inlog[i] = false;
        x->written[i] = false;
    }
    x->nlog = 0;
    x->nwritten = 0;
    if (inev_owner == x->idx) inev_owner = -1;
    x->inev = false;
    x->doomed = false;
    x->nscratch = 0;
}

/* The transaction of x is aborted remotely by thread `by`: its locks are released at once. */
static void doom(th *x, th *by, int mask) {
    for (int i = 0; i < NCELL; i++) if (lock_owner[i] == x->idx) lock_owner[i] = -1;
    x->doomed = true;
    x->doom_mask = mask;
    x->doom_by = by->s.t->id;
}

static void new_version(th *w) {
    grow_versions();
    memcpy(H(nver, 0), H(nver - 1, 0), NCELL * sizeof(cst));
    for (int i = 0; i < NCELL; i++) if (w->written[i]) *H(nver, i) = w->wval[i];
    hist_writer[nver] = w->s.t->id;
    nver++;
    for (int k = 0; k < nth; k++) {
        th *x = &T[k];
        if (x->s.in_tx && x != w) x->cand[nver - 1] = log_matches(x, nver - 1);
    }
}

/* ---------------------------------------------------------------------------------------------
 * Operations (run inside sim_exec)
 * ------------------------------------------------------------------------------------------- */

struct rd_arg { stm_obj *o; cst seen; stm_obj *next; };
static void op_rd(sim *s, void *arg) {
    struct rd_arg *a = arg;
    const cell *c = stm_read(s->t, a->o);
    a->seen.v = c->value;
    a->next = c->next;
    a->seen.nx = c->next ? ((const cell *)stm_read(s->t, c->next))->value : 0;
}

enum { WK_VALUE, WK_ALLOC, WK_COPY };
struct wr_arg { stm_obj *o; int kind; int64_t newv, newnx; uint16_t flags; stm_obj *src_next;
                cst base; bool alloc_failed; };
static void op_wr(sim *s, void *arg) {
    struct wr_arg *a = arg;
    stm_thread *t = s->t;
    stm_obj *n = NULL;
    if (a->kind == WK_ALLOC) {
        n = stm_allocate(t, TID_CELL, sizeof(cell), a->flags);
        if (!n) { a->alloc_failed = true; return; }
        cell *nc = stm_payload(n);
        CHECK(nc->value == 0 && nc->next == NULL);
        nc->value = a->newnx;
        CHECK(_stm_is_private(t, n));
    }
    cell *w = stm_write(t, a->o);
    a->base.v = w->value;
    a->base.nx = w->next ? ((const cell *)stm_read(t, w->next))->value : 0;
    CHECK(stm_read(t, a->o) == (const void *)w);
    w->value = a->newv;
    if (a->kind == WK_ALLOC) w->next = n;
    else if (a->kind == WK_COPY) w->next = a->src_next;
}

/* Private cells kept on the shadow stack across steps (and collections by anyone). */
struct scratch_arg { th *x; int64_t newv; long bad; };
static void op_scratch(sim *s, void *arg) {
    struct scratch_arg *a = arg;
    stm_thread *t = s->t;
    if (a->newv) {
        stm_obj *o = stm_allocate(t, TID_CELL, sizeof(cell), 0);
        if (!o) { a->bad = -1; return; }
        ((cell *)stm_payload(o))->value = a->newv;
        /* link to the previous one: the chain must survive too */
        ((cell *)stm_payload(o))->next = t->roots_top > s->roots_mark ? t->roots_top[-1] : NULL;
        stm_push_root(t, o);
    }
    a->bad = 0;
    long n = t->roots_top - s->roots_mark;
    if (n != a->x->nscratch) { a->bad += 1000; return; }
    for (long k = 0; k < n; k++) {
        stm_obj *o = s->roots_mark[k];
        if (!_stm_is_private(t, o)) a->bad++;
        const cell *c = stm_read(t, o);
        if (c->value != a->x->scratch[k]) a->bad++;
        if (k > 0 && c->next != s->roots_mark[k - 1]) a->bad++;
    }
}

struct brk_arg { int in_atomic, after_hint; };
static void op_brk(sim *s, void *arg) {
    struct brk_arg *b = arg;
    stm_atomic_begin(s->t);
    stm_hint_commit_soon(s->t);
    b->in_atomic = stm_should_break(s->t);
    stm_atomic_end(s->t);
    stm_hint_commit_soon(s->t);
    b->after_hint = stm_should_break(s->t);
}

struct final_arg { cst st[NCELL]; };
static void op_read_all(sim *s, void *arg) {
    struct final_arg *f = arg;
    for (int i = 0; i < NCELL; i++) {
        struct rd_arg a = { G[i], { 0, 0 }, NULL };
        op_rd(s, &a);
        f->st[i] = a.seen;
    }
}

/* ---------------------------------------------------------------------------------------------
 * Steps
 * ------------------------------------------------------------------------------------------- */

enum { OK = 1, AB_WW = 1 << (STM_ABORT_WRITE_WRITE + 1), AB_RW = 1 << (STM_ABORT_READ_WRITE + 1),
       AB_INEV = 1 << (STM_ABORT_INEVITABLE + 1), AB_EXPL = 1 << (STM_ABORT_EXPLICIT + 1) };
static int outcome_bit(th *x, int r) { return r ? 1 << (x->s.cause + 1) : OK; }
static const char *mask_str(int m) {
    static char buf[128];
    buf[0] = 0;
    if (m & OK) strcat(buf, "ok|");
    for (int c = 0; c < STM_ABORT_CAUSES; c++)
        if (m & (1 << (c + 1))) { strcat(buf, cause_name(c)); strcat(buf, "|"); }
    if (*buf) buf[strlen(buf) - 1] = 0;
    return buf;
}

/* The transaction of x aborted (reported by the library): update the model. */
static void on_abort(th *x) {
    int c = x->s.cause;
    if (c >= 0 && c < STM_ABORT_CAUSES) x->aborts[c]++;
    if (x->inev) SFAIL("inevitable transaction of thread %d aborted (%s)", x->idx, cause_name(c));
    if (x->s.info.self_thread != x->s.t->id)
        SFAIL("abort report of thread %d: self_thread %u, expected %u", x->idx,
              x->s.info.self_thread, x->s.t->id);
    reset_tx(x);
    x->retry = true;
}

/* Common handling of a step's result r.  Returns true if the operation completed. */
static bool settle(th *x, int r, int allowed, const char *what) {
    if (x->doomed) {
        int m = x->doom_mask;
        uint32_t by = x->doom_by;
        if (!r || !(outcome_bit(x, r) & m)) {
            SFAIL("thread %d was aborted remotely by thread id %u; its next step (%s) should "
                  "report %s, got %s", x->idx, by, what, mask_str(m),
                  r ? cause_name(x->s.cause) : "success");
        } else if (x->s.info.other_thread != by) {
            SFAIL("remote abort of thread %d: other_thread %u, expected %u", x->idx,
                  x->s.info.other_thread, by);
        }
        if (r) on_abort(x);
        return false;
    }
    int got = outcome_bit(x, r);
    if (!(got & allowed))
        SFAIL("thread %d %s: expected %s, got %s", x->idx, what, mask_str(allowed),
              r ? cause_name(x->s.cause) : "success");
    if (r) { on_abort(x); return false; }
    return true;
}

static uint32_t rw_writers_ok(th *x, uint32_t other) {
    /* other_thread of a read/write abort: a thread that committed a change to a cell x
       observed, after x observed it */
    for (int k = 0; k < x->nlog; k++) {
        int c = x->log[k].cell;
        for (int v = x->log[k].ver_read + 1; v < nver; v++)
            if (!cst_eq(*H(v, c), *H(v - 1, c)) && hist_writer[v] == other) return 1;
    }
    return 0;
}

static void do_scratch(th *x, bool add);

static void do_start(th *x) {
    int r = sim_start(&x->s);
    if (r) { SFAIL("thread %d: _stm_start aborted (%s)", x->idx, cause_name(x->s.cause)); return; }
    if (!x->retry) x->age = ++agectr;
    x->retry = false;
    x->start_ver = nver - 1;
    x->cand[nver - 1] = 1;
    x->nlog = 0;
    x->nwritten = 0;
    x->inev = stm_is_inevitable(x->s.t);
    if (x->inev) SFAIL("thread %d started inevitable", x->idx);
}

/* Read cell i; on success returns true and, if asked, the `next` pointer and its value. */
static bool do_read(th *x, int i, stm_obj **next_out, int64_t *nx_out) {
    int allowed = OK;
    cst expect_own = { 0, 0 };
    bool own = x->written[i], again = x->inlog[i];
    cst again_val = { 0, 0 };
    int again_ver = 0;
    if (own) expect_own = x->wval[i];
    else if (again) {
        for (int k = 0; k < x->nlog; k++)
            if (x->log[k].cell == i) { again_val = x->log[k].seen; again_ver = x->log[k].ver_read; }
        if (changed_since(i, again_ver)) allowed |= AB_RW;   /* a read-cache miss may abort */
    } else if (!latest_ok(x) && changed_since(i, x->start_ver)) allowed |= AB_RW;
    struct rd_arg a = { G[i], { 0, 0 }, NULL };
    int r = sim_exec(&x->s, op_rd, &a);
    if (r && x->s.cause == STM_ABORT_READ_WRITE && !x->doomed &&
        !rw_writers_ok(x, x->s.info.other_thread)) {
        bool ok = false;   /* or a writer of cell i since the start */
        for (int v = x->start_ver + 1; v < nver; v++)
            if (!cst_eq(*H(v, i), *H(v - 1, i)) && hist_writer[v] == x->s.info.other_thread) ok = true;
        if (!ok) SFAIL("read/write abort of thread %d at a read: other_thread %u is not a "
                       "conflicting writer", x->idx, x->s.info.other_thread);
    }
    if (!settle(x, r, allowed, "read")) return false;
    if (next_out) *next_out = a.next;
    if (nx_out) *nx_out = a.seen.nx;
    if (own) {
        if (!cst_eq(a.seen, expect_own))
            SFAIL("thread %d reads its own write of cell %d: got %s, wrote %s", x->idx, i,
                  cst_str(a.seen), cst_str(expect_own));
    } else if (again) {
        if (!cst_eq(a.seen, again_val))
            SFAIL("thread %d re-reads cell %d: got %s, first read %s", x->idx, i,
                  cst_str(a.seen), cst_str(again_val));
    } else {
        observe(x, i, a.seen, "reads");
    }
    return !seed_failed;
}

/* Write cell i.  kind: WK_VALUE, WK_ALLOC (link a new cell), WK_COPY (copy cell j's link). */
static void do_write(th *x, int i, int kind, int j, rng_t *rng) {
    stm_obj *src_next = NULL;
    int64_t src_nx = 0;
    if (kind == WK_COPY && !do_read(x, j, &src_next, &src_nx)) return;
    int allowed = OK;
    th *victim = NULL;
    bool first = !x->written[i];
    int holder = lock_owner[i];
    if (first && holder >= 0 && holder != x->idx) {
        th *u = &T[holder];
        if (u->inev) allowed = AB_INEV;
        else if (x->inev || x->age < u->age) victim = u;
        else allowed = AB_WW;
    }
    cst logged = { 0, 0 };
    if (first) {   /* the body to copy may be newer than the snapshot (checked in any order) */
        if (x->inlog[i]) {
            for (int k = 0; k < x->nlog; k++)
                if (x->log[k].cell == i) {
                    logged = x->log[k].seen;
                    if (changed_since(i, x->log[k].ver_read)) allowed |= AB_RW;
                }
        } else if (!latest_ok(x) && changed_since(i, x->start_ver)) allowed |= AB_RW;
    }
    struct wr_arg a;
    memset(&a, 0, sizeof a);
    a.o = G[i];
    a.kind = kind;
    a.newv = ++uniq;
    if (kind == WK_ALLOC) {
        a.newnx = ++uniq;
        a.flags = rng_below(rng, 2) ? STM_IMMUTABLE : 0;
    }
    a.src_next = src_next;
    int r = sim_exec(&x->s, op_wr, &a);
    if (!x->doomed && r) {
        if (x->s.cause == STM_ABORT_WRITE_WRITE && holder >= 0 &&
            x->s.info.other_thread != T[holder].s.t->id)
            SFAIL("write/write abort of thread %d: other_thread %u, expected %u", x->idx,
                  x->s.info.other_thread, T[holder].s.t->id);
        if (x->s.cause == STM_ABORT_INEVITABLE && holder >= 0 &&
            x->s.info.other_thread != T[holder].s.t->id)
            SFAIL("inevitable abort of thread %d: other_thread %u, expected %u", x->idx,
                  x->s.info.other_thread, T[holder].s.t->id);
    }
    if (victim && !x->doomed) {
        if (!r) doom(victim, x, x->inev ? (AB_WW | AB_INEV) : AB_WW);
        else {
            /* x aborted for another reason: the victim may or may not have been aborted */
            int rv = sim_poke(&victim->s);
            if (rv) {
                if (!(outcome_bit(victim, rv) & (AB_WW | AB_INEV)))
                    SFAIL("thread %d aborted with %s by a write of thread %d", victim->idx,
                          cause_name(victim->s.cause), x->idx);
                on_abort(victim);
            }
        }
    }
    if (!settle(x, r, allowed, kind == WK_ALLOC ? "write (alloc+link)" :
                kind == WK_COPY ? "write (copy link)" : "write")) return;
    if (a.alloc_failed) { SFAIL("stm_allocate returned NULL without a memory limit"); return; }
    if (first) {
        if (x->inlog[i]) {
            if (!cst_eq(a.base, logged))
                SFAIL("thread %d writes cell %d: copy started from %s, but it read %s", x->idx,
                      i, cst_str(a.base), cst_str(logged));
        } else {
            observe(x, i, a.base, "writes (copy base of)");
        }
        x->written[i] = true;
        x->nwritten++;
        lock_owner[i] = x->idx;
    } else if (!cst_eq(a.base, x->wval[i])) {
        SFAIL("thread %d writes cell %d again: its copy holds %s, it wrote %s", x->idx, i,
              cst_str(a.base), cst_str(x->wval[i]));
    }
    cst nv = { a.newv, x->wval[i].nx };
    if (first) nv.nx = a.base.nx;
    if (kind == WK_ALLOC) nv.nx = a.newnx;
    else if (kind == WK_COPY) nv.nx = src_nx;
    x->wval[i] = nv;
}

static void do_commit(th *x) {
    int allowed = OK;
    bool stale = !latest_ok(x);
    bool inev_conf = false;
    if (x->nwritten && !x->inev) {
        if (inev_owner >= 0 && inev_owner != x->idx) {
            th *I = &T[inev_owner];
            for (int i = 0; i < NCELL; i++) if (x->written[i] && I->inlog[i]) inev_conf = true;
        }
        if (stale) allowed = AB_RW | (inev_conf ? AB_INEV : 0);
        else if (inev_conf) allowed = AB_INEV;
    }
    bool was_inev = x->inev;
    if (x->nscratch) {
        do_scratch(x, false);
        if (!x->s.in_tx || seed_failed) return;
    }
    int r = sim_commit(&x->s);
    if (r && !x->doomed) {
        if (x->s.cause == STM_ABORT_READ_WRITE && !rw_writers_ok(x, x->s.info.other_thread))
            SFAIL("read/write abort of thread %d at commit: other_thread %u is not a "
                  "conflicting writer", x->idx, x->s.info.other_thread);
        if (x->s.cause == STM_ABORT_INEVITABLE && inev_owner >= 0 &&
            x->s.info.other_thread != T[inev_owner].s.t->id)
            SFAIL("inevitable abort of thread %d at commit: other_thread %u, expected %u",
                  x->idx, x->s.info.other_thread, T[inev_owner].s.t->id);
    }
    if (!settle(x, r, allowed, x->nwritten ? "commit" : "read-only commit")) return;
    if (x->nwritten) {
        if (stale) SFAIL("thread %d committed writes although it read stale values "
                         "(not serializable)", x->idx);
        new_version(x);
    } else if (!cand_any(x)) {
        SFAIL("read-only thread %d committed with no consistent version", x->idx);
    }
    x->commits++;
    if (was_inev) x->inev_commits++;
    x->s.t->roots_top = x->s.roots_mark;   /* drop the (now committed) private cells */
    reset_tx(x);
    x->retry = false;
}

static void do_try_inev(th *x) {
    bool was = x->inev, other = inev_owner >= 0 && inev_owner != x->idx;
    bool fresh = latest_ok(x);
    int allowed = OK;
    if (!was && !other && !fresh) allowed |= AB_RW;
    bool got = false;
    int r = sim_try_inev(&x->s, &got);
    if (!settle(x, r, allowed, "try_become_inevitable")) return;
    if (was && !got) SFAIL("thread %d: try_become_inevitable false while inevitable", x->idx);
    if (other && got) SFAIL("thread %d became inevitable while thread %d is", x->idx, inev_owner);
    if (!was && !other && fresh && !got)
        SFAIL("thread %d: try_become_inevitable false with the token free", x->idx);
    if (!was && !fresh && got)
        SFAIL("thread %d became inevitable with stale reads", x->idx);
    if (got != stm_is_inevitable(x->s.t))
        SFAIL("thread %d: stm_is_inevitable disagrees with try_become_inevitable", x->idx);
    if (got) { x->inev = true; inev_owner = x->idx; }
}

static void do_simple(th *x, int which) {
    int r;
    const char *what;
    struct brk_arg b = { -1, -1 };
    switch (which) {
    case 0: r = sim_minor(&x->s); what = "minor collection"; break;
    case 1: r = sim_major(&x->s); what = "major collection"; break;
    case 2: r = sim_exec(&x->s, op_brk, &b); what = "should_break"; break;
    default: r = sim_poke(&x->s); what = "enter/leave"; break;
    }
    if (!settle(x, r, OK, what)) return;
    if (which < 2 && x->nscratch) do_scratch(x, false);
    if (which == 2) {
        if (b.in_atomic != 0) SFAIL("stm_should_break true inside an atomic section");
        if (b.after_hint != 1) SFAIL("stm_should_break false after stm_hint_commit_soon");
    }
}

static void do_scratch(th *x, bool add) {
    struct scratch_arg a = { x, 0, 0 };
    if (add && x->nscratch < 64) {
        a.newv = ++uniq;
        x->scratch[x->nscratch++] = a.newv;
    }
    int r = sim_exec(&x->s, op_scratch, &a);
    if (!settle(x, r, OK, add ? "allocate a private cell" : "check private cells")) return;
    if (a.bad) SFAIL("thread %d: private cells on its shadow stack damaged (%ld)", x->idx, a.bad);
}

static void do_abort(th *x) {
    int r = sim_abort(&x->s);
    settle(x, r, AB_EXPL, "stm_abort");
}

/* Per-seed operation weights (per mille, cumulative bounds computed in run_seed). */
static unsigned w_commit;

static void step(th *x, rng_t *rng) {
    stm_set_location(x->s.t, (uintptr_t)opno * 8 + 8);
    if (!x->s.in_tx) {
        if (rng_below(rng, 10) < 8) do_start(x);
        return;
    }
    unsigned p = rng_below(rng, 1000);
    /* commit weight w_commit replaces the default 130 per mille: scale the rest */
    if (p >= 690 && p < 820) { if (p - 690 >= w_commit) p = 1000 - 1 - (p % 25); }
    int i = (int)rng_below(rng, NCELL);
    if (p < 380) do_read(x, i, NULL, NULL);
    else if (p < 580) do_write(x, i, WK_VALUE, 0, rng);
    else if (p < 650) do_write(x, i, WK_ALLOC, 0, rng);
    else if (p < 690) do_write(x, i, WK_COPY, (int)rng_below(rng, NCELL), rng);
    else if (p < 820) do_commit(x);
    else if (p < 840) { if (x->inev) do_commit(x); else do_abort(x); }
    else if (p < 870) do_try_inev(x);
    else if (p < 900) do_simple(x, 0);
    else if (p < 910) do_simple(x, 1);
    else if (p < 940) do_simple(x, 2);
    else if (p < 965) do_scratch(x, true);
    else if (p < 975) do_scratch(x, false);
    else do_simple(x, 3);
}

/* ---------------------------------------------------------------------------------------------
 * One seed
 * ------------------------------------------------------------------------------------------- */

struct mk_arg { int64_t vals[NCELL]; };
static void op_mk_pool(sim *s, void *arg) {
    struct mk_arg *m = arg;
    stm_obj **mark = s->t->roots_top;
    for (int i = 0; i < NCELL; i++) {
        stm_obj *o = stm_allocate(s->t, TID_CELL, sizeof(cell), 0);
        if (!o) { CHECKF(0, "NULL allocation"); return; }
        ((cell *)stm_payload(o))->value = m->vals[i];
        stm_push_root(s->t, o);
    }
    stm_commit(s->t);
    s->in_tx = false;
    for (int i = 0; i < NCELL; i++) G[i] = mark[i];
    s->t->roots_top = mark;
}


static void run_seed(uint64_t seed, long ops) {
    rng_t rng;
    rng_seed(&rng, seed);
    cur_seed = seed;
    seed_failed = false;
    tl_set_context("seed %llu", (unsigned long long)seed);
    nth = 3 + (int)rng_below(&rng, MAXTH - 2);
    w_commit = rng_below(&rng, 3) == 0 ? 25 : 130;   /* some seeds: long transactions */
    nver = 0;
    grow_versions();
    for (int k = 0; k < nth; k++) {
        th *x = &T[k];
        unsigned char *c = x->cand;
        memset(x, 0, sizeof *x);
        x->cand = c;
        x->idx = k;
        static const char *names[MAXTH] = { "T0", "T1", "T2", "T3", "T4" };
        sim_init(&x->s, names[k]);
    }
    for (int i = 0; i < NCELL; i++) lock_owner[i] = -1;
    inev_owner = -1;
    agectr = 0;

    /* the pool: version 0 */
    struct mk_arg m;
    for (int i = 0; i < NCELL; i++) { m.vals[i] = ++uniq; H(0, i)->v = m.vals[i]; H(0, i)->nx = 0; }
    hist_writer[0] = 0;
    nver = 1;
    if (sim_start(&T[0].s) || sim_exec(&T[0].s, op_mk_pool, &m)) {
        SFAIL("creating the pool aborted");
        return;
    }
    T[0].commits++;

    stm_stats g0;
    stm_get_global_stats(&g0);
    for (opno = 0; opno < ops && !seed_failed; opno++) {
        th *x = &T[rng_below(&rng, (unsigned)nth)];
        step(x, &rng);
    }

    /* finish: commit the inevitable one, abort the others (noticing remote aborts) */
    for (int k = 0; k < nth && !seed_failed; k++) {
        th *x = &T[k];
        if (!x->s.in_tx) continue;
        if (x->inev) do_commit(x);
        else if (x->doomed) do_simple(x, 3);
        else do_abort(x);
    }
    if (!seed_failed) {
        th *x = &T[0];
        struct final_arg f;
        int r = sim_start(&x->s);
        if (!r) r = sim_exec(&x->s, op_read_all, &f);
        if (!r) r = sim_commit(&x->s);
        if (r) SFAIL("final read aborted (%s)", cause_name(x->s.cause));
        else {
            x->commits++;
            for (int i = 0; i < NCELL; i++)
                if (!cst_eq(f.st[i], *H(nver - 1, i)))
                    SFAIL("final state of cell %d: %s, model %s", i, cst_str(f.st[i]),
                          cst_str(*H(nver - 1, i)));
        }
    }
    if (!seed_failed) {
        for (int k = 0; k < nth; k++) {
            th *x = &T[k];
            stm_stats st;
            stm_get_stats(x->s.t, &st);
            if (st.commits != x->commits)
                SFAIL("stats of thread %d: %llu commits, model %llu", k,
                      (unsigned long long)st.commits, (unsigned long long)x->commits);
            if (st.inevitable_commits != x->inev_commits)
                SFAIL("stats of thread %d: %llu inevitable commits, model %llu", k,
                      (unsigned long long)st.inevitable_commits,
                      (unsigned long long)x->inev_commits);
            for (int c = 0; c < STM_ABORT_CAUSES; c++)
                if (st.aborts[c] != x->aborts[c])
                    SFAIL("stats of thread %d: %llu aborts %s, model %llu", k,
                          (unsigned long long)st.aborts[c], cause_name(c),
                          (unsigned long long)x->aborts[c]);
        }
    }
    if (verbose) {
        uint64_t ab[STM_ABORT_CAUSES] = { 0 }, cm = 0;
        for (int k = 0; k < nth; k++) {
            cm += T[k].commits;
            for (int c = 0; c < STM_ABORT_CAUSES; c++) ab[c] += T[k].aborts[c];
        }
        printf("seed %llu: %d threads, %llu commits (%d writing), aborts ww %llu rw %llu "
               "inev %llu expl %llu\n", (unsigned long long)seed, nth, (unsigned long long)cm,
               nver - 1, (unsigned long long)ab[0], (unsigned long long)ab[1],
               (unsigned long long)ab[2], (unsigned long long)ab[3]);
    }

    /* clean up even after a failure */
    for (int k = 0; k < nth; k++) {
        th *x = &T[k];
        if (x->s.in_tx) {
            if (stm_is_inevitable(x->s.t)) sim_commit(&x->s);
            else sim_abort(&x->s);
        }
        if (x->s.in_tx) sim_abort(&x->s);
    }
    for (int i = 0; i < NCELL; i++) G[i] = NULL;
    {
        th *x = &T[0];
        if (!sim_start(&x->s)) {
            sim_major(&x->s);
            sim_commit(&x->s);
        }
    }
    size_t h = stm_heap_size();
    if (verbose) printf("seed %llu: heap after the final major collection %zu bytes\n",
                        (unsigned long long)seed, h);
    if (!seed_failed && h > (1u << 20))
        SFAIL("heap is %zu bytes after a major collection with nothing reachable", h);
    for (int k = 0; k < nth; k++) sim_done(&T[k].s);
    if (!seed_failed) tl_passed++;
}

/* The configuration of a seed (stress knobs vary with the seed). */
static void seed_config(uint64_t seed, stm_config *cfg) {
    rng_t r;
    rng_seed(&r, seed ^ 0xC0FFEEull);
    memset(cfg, 0, sizeof *cfg);
    cfg->no_backoff = true;
    static const size_t nurseries[] = { 4096, 8192, 65536 };
    cfg->nursery_size = nurseries[rng_below(&r, 3)];   /* small: minor collections on their own */
    static const unsigned gce[] = { 0, 0, 1, 5 };
    cfg->gc_every = gce[rng_below(&r, 4)];
    cfg->major_gc_every = rng_below(&r, 3) == 0 ? 3 : 0;
    cfg->retries_before_inevitable = 1000000000u;   /* never block on the token */
}

static long seed_ops;
static void seed_child(void *arg) {
    uint64_t seed = *(uint64_t *)arg;
    stm_config cfg;
    seed_config(seed, &cfg);
    tl_init(&cfg);
    run_seed(seed, seed_ops);
    if (verbose) printf("seed %llu: nursery %zu gc_every %u major_gc_every %u\n",
                        (unsigned long long)seed, cfg.nursery_size, cfg.gc_every,
                        cfg.major_gc_every);
    tl_set_context("seed %llu", (unsigned long long)seed);
    CHECK_EQ(tl_bad_callbacks, 0);
    stm_teardown();
}

int main(int argc, char **argv) {
    long seeds = 200;
    long long one = -1;
    bool fork_ok = !getenv("STM_TEST_NOFORK");
    seed_ops = 6000;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seeds") && i + 1 < argc) seeds = atol(argv[++i]);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc) one = atoll(argv[++i]);
        else if (!strcmp(argv[i], "--ops") && i + 1 < argc) seed_ops = atol(argv[++i]);
        else if (!strcmp(argv[i], "--no-fork")) fork_ok = false;
        else if (!strcmp(argv[i], "-v")) verbose = true;
        else {
            fprintf(stderr, "usage: %s [--seeds N] [--seed S] [--ops N] [--no-fork] [-v]\n", argv[0]);
            return 2;
        }
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    double t0 = tl_now();
    long failed_seeds = 0;
    uint64_t first = one >= 0 ? (uint64_t)one : 1, last = one >= 0 ? (uint64_t)one : (uint64_t)seeds;
    if (!fork_ok) {
        /* one process: one stm_setup (the first seed's configuration) */
        stm_config cfg;
        seed_config(first, &cfg);
        tl_init(&cfg);
    }
    for (uint64_t s = first; s <= last; s++) {
        long f0 = tl_failed;
        char what[64];
        snprintf(what, sizeof what, "seed %llu", (unsigned long long)s);
        if (fork_ok) tl_run_isolated(true, seed_child, &s, what);
        else run_seed(s, seed_ops);
        if (tl_failed > f0) {
            failed_seeds++;
            printf("seed %llu FAILED (replay: --seed %llu)\n", (unsigned long long)s,
                   (unsigned long long)s);
        }
    }
    tl_set_context("main");
    if (!fork_ok) CHECK_EQ(tl_bad_callbacks, 0);
    printf("%ld seed(s) failed; %.1f s\n", failed_seeds, tl_now() - t0);
    return tl_finish();
}
