/* testlib.h — shared helpers for the libstm unit tests (tests/stm/test_*.c).
 *
 * - check macros that count passed/failed checks and print one line per failure (file:line and
 *   the values involved); tl_finish() prints "N passed, N failed" and returns the exit status;
 * - the VM callbacks stmcb_size/stmcb_trace for a few test object types;
 * - "simulated threads" (struct sim): several stm_threads driven from one OS thread.  Every
 *   operation runs as one step: enter the open transaction (if any), do the operation, leave.
 *   An abort (local, or remote while the thread was left, reported at stm_enter) is caught and
 *   reported as a non-zero return value; sim->cause then holds the abort cause.
 *
 * Included by exactly one translation unit per test binary (it defines the callbacks).
 */
#ifndef STM_TESTLIB_H
#define STM_TESTLIB_H

#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stm.h"

/* ---------------------------------------------------------------------------------------------
 * Checks
 * ------------------------------------------------------------------------------------------- */

static long tl_passed, tl_failed;
static const char *tl_context = "";   /* name of the running scenario / seed, for messages */
static char tl_context_buf[256];

static inline void tl_set_context(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tl_context_buf, sizeof tl_context_buf, fmt, ap);
    va_end(ap);
    tl_context = tl_context_buf;
}

static inline bool tl_check(bool ok, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static inline bool tl_check(bool ok, const char *file, int line, const char *fmt, ...) {
    if (ok) { tl_passed++; return true; }
    tl_failed++;
    va_list ap;
    va_start(ap, fmt);
    printf("%s:%d: FAIL [%s] ", file, line, tl_context);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    fflush(stdout);
    return false;
}

#define CHECK(cond) tl_check(!!(cond), __FILE__, __LINE__, "%s", #cond)
#define CHECKF(cond, ...) tl_check(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_EQ(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); \
        tl_check(a_ == b_, __FILE__, __LINE__, "%s == %s: got %lld, expected %lld", \
                 #a, #b, a_, b_); } while (0)
#define CHECK_PTR_EQ(a, b) do { const void *a_ = (const void *)(a), *b_ = (const void *)(b); \
        tl_check(a_ == b_, __FILE__, __LINE__, "%s == %s: got %p, expected %p", \
                 #a, #b, a_, b_); } while (0)

static inline int tl_finish(void) {
    printf("%ld passed, %ld failed\n", tl_passed, tl_failed);
    fflush(stdout);
    return tl_failed ? 1 : 0;
}

/* Run fn(arg) in a child process (so that a crash of one scenario or seed is reported and the
   others still run); the child's check counts are added to ours.  Returns false if the child
   crashed or exited abnormally (counted as one failure).  With fork_ok false, runs inline. */
static inline bool tl_run_isolated(bool fork_ok, void (*fn)(void *), void *arg, const char *what) {
    if (!fork_ok) { fn(arg); return true; }
    fflush(stdout);
    int pfd[2];
    if (pipe(pfd)) { perror("pipe"); exit(2); }
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); exit(2); }
    if (pid == 0) {
        close(pfd[0]);
        long p0 = tl_passed, f0 = tl_failed;
        fn(arg);
        long d[2] = { tl_passed - p0, tl_failed - f0 };
        fflush(stdout);
        if (write(pfd[1], d, sizeof d) != (ssize_t)sizeof d) _exit(3);
        _exit(0);
    }
    close(pfd[1]);
    long d[2] = { 0, 0 };
    ssize_t n = read(pfd[0], d, sizeof d);
    close(pfd[0]);
    int st = 0;
    waitpid(pid, &st, 0);
    if (n == (ssize_t)sizeof d && WIFEXITED(st) && WEXITSTATUS(st) == 0) {
        tl_passed += d[0];
        tl_failed += d[1];
        return true;
    }
    tl_failed++;
    if (WIFSIGNALED(st))
        printf("FAIL [%s] crashed with signal %d (%s)\n", what, WTERMSIG(st), strsignal(WTERMSIG(st)));
    else
        printf("FAIL [%s] exited abnormally (status %d)\n", what, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    fflush(stdout);
    return false;
}

/* True when the environment sets GC stress knobs (they override stm_config): checks that an
   object is still in the nursery at a given point are skipped then. */
static inline bool tl_gc_stressed(void) {
    const char *a = getenv("STM_GC_EVERY"), *b = getenv("STM_NURSERY_SIZE");
    return (a && *a && strcmp(a, "0")) || (b && *b);
}

/* ---------------------------------------------------------------------------------------------
 * Test object types and the VM callbacks
 * ------------------------------------------------------------------------------------------- */

enum { TID_CELL = 1, TID_ARRAY = 2, TID_BLOB = 3 };

typedef struct cell { int64_t value; stm_obj *next; } cell;          /* TID_CELL */
typedef struct array { int64_t n; stm_obj *items[]; } array;         /* TID_ARRAY */
typedef struct blob { int64_t n; unsigned char data[]; } blob;       /* TID_BLOB (no refs) */

static inline size_t array_size(int64_t n) { return sizeof(array) + (size_t)n * sizeof(stm_obj *); }
static inline size_t blob_size(int64_t n) { return sizeof(blob) + (size_t)n; }

static long tl_bad_callbacks;   /* callbacks called with an unknown tid */

size_t stmcb_size(uint16_t tid, const void *payload) {
    switch (tid) {
    case TID_CELL: return sizeof(cell);
    case TID_ARRAY: return array_size(((const array *)payload)->n);
    case TID_BLOB: return blob_size(((const blob *)payload)->n);
    default: tl_bad_callbacks++; return 16;
    }
}

void stmcb_trace(uint16_t tid, void *payload, void (*visit)(stm_obj **ref, void *ctx), void *ctx) {
    switch (tid) {
    case TID_CELL: visit(&((cell *)payload)->next, ctx); break;
    case TID_ARRAY: {
        array *a = payload;
        for (int64_t i = 0; i < a->n; i++) visit(&a->items[i], ctx);
        break;
    }
    case TID_BLOB: break;
    default: tl_bad_callbacks++; break;
    }
}

/* ---------------------------------------------------------------------------------------------
 * Global root slots (hold committed objects only)
 * ------------------------------------------------------------------------------------------- */

#define TL_NGLOBAL 256
static stm_obj *G[TL_NGLOBAL];

static inline void tl_init(stm_config *cfg) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    stm_setup(cfg);
    for (int i = 0; i < TL_NGLOBAL; i++) stm_add_global_root(&G[i]);
}

/* ---------------------------------------------------------------------------------------------
 * Simulated threads
 * ------------------------------------------------------------------------------------------- */

typedef struct sim {
    stm_thread *t;
    bool in_tx;
    stm_obj **roots_mark;     /* roots_top when the transaction started */
    int cause;                /* cause of the abort caught by the last step, -1 if none */
    stm_abort_info info;      /* its report */
    const char *name;
} sim;

static inline void sim_init(sim *s, const char *name) {
    memset(s, 0, sizeof *s);
    s->t = stm_register_thread();
    s->name = name;
    s->cause = -1;
}

static inline void sim_done(sim *s) {
    /* The caller must have ended the transaction. */
    stm_unregister_thread(s->t);
    s->t = NULL;
}

typedef void (*sim_fn)(sim *s, void *arg);

/* Run one step on s: enter (if in a transaction), fn, leave.  Returns 0, or 1 if the thread's
   transaction aborted during the step (then s->in_tx is false and s->cause holds the cause). */
static inline int sim_exec(sim *s, sim_fn fn, void *arg) {
    sim *volatile vs = s;
    sim_fn volatile vfn = fn;
    void *volatile varg = arg;
    s->cause = -1;
    if (setjmp(s->t->jmpbuf)) {
        s = vs;
        s->in_tx = false;
        s->t->roots_top = s->roots_mark;    /* drop roots pushed by the aborted attempt */
        s->info = stm_last_abort(s->t);
        s->cause = s->info.cause;
        return 1;
    }
    if (vs->in_tx) stm_enter(vs->t);
    vfn(vs, varg);
    if (vs->in_tx) stm_leave(vs->t);
    return 0;
}

static inline void op_start(sim *s, void *arg) {
    (void)arg;
    s->roots_mark = s->t->roots_top;
    _stm_start(s->t);
    s->in_tx = true;
}
static inline void op_commit(sim *s, void *arg) {
    (void)arg;
    stm_commit(s->t);
    s->in_tx = false;
}
static inline void op_abort(sim *s, void *arg) { (void)arg; stm_abort(s->t); }
static inline void op_nothing(sim *s, void *arg) { (void)s; (void)arg; }
static inline void op_minor(sim *s, void *arg) { (void)arg; _stm_minor_collect(s->t); }
static inline void op_major(sim *s, void *arg) { (void)arg; stm_major_collect(s->t); }
static inline void op_try_inev(sim *s, void *arg) { *(bool *)arg = stm_try_become_inevitable(s->t); }

struct rw_arg { stm_obj *o; int64_t v; stm_obj *p; };
static inline void op_read(sim *s, void *arg) {
    struct rw_arg *a = arg;
    const cell *c = stm_read(s->t, a->o);
    a->v = c->value;
    a->p = c->next;
}
static inline void op_write(sim *s, void *arg) {
    struct rw_arg *a = arg;
    cell *c = stm_write(s->t, a->o);
    c->value = a->v;
}
static inline void op_write_next(sim *s, void *arg) {
    struct rw_arg *a = arg;
    cell *c = stm_write(s->t, a->o);
    c->next = a->p;
}

static inline int sim_start(sim *s) { return sim_exec(s, op_start, NULL); }
static inline int sim_commit(sim *s) { return sim_exec(s, op_commit, NULL); }
static inline int sim_abort(sim *s) { return sim_exec(s, op_abort, NULL); }
static inline int sim_poke(sim *s) { return sim_exec(s, op_nothing, NULL); }  /* detects remote aborts */
static inline int sim_minor(sim *s) { return sim_exec(s, op_minor, NULL); }
static inline int sim_major(sim *s) { return sim_exec(s, op_major, NULL); }
static inline int sim_try_inev(sim *s, bool *got) { *got = false; return sim_exec(s, op_try_inev, got); }
static inline int sim_read(sim *s, stm_obj *o, int64_t *v) {
    struct rw_arg a = { o, 0, NULL };
    int r = sim_exec(s, op_read, &a);
    if (!r && v) *v = a.v;
    return r;
}
static inline int sim_read_next(sim *s, stm_obj *o, stm_obj **p) {
    struct rw_arg a = { o, 0, NULL };
    int r = sim_exec(s, op_read, &a);
    if (!r && p) *p = a.p;
    return r;
}
static inline int sim_write(sim *s, stm_obj *o, int64_t v) {
    struct rw_arg a = { o, v, NULL };
    return sim_exec(s, op_write, &a);
}
static inline int sim_write_next(sim *s, stm_obj *o, stm_obj *p) {
    struct rw_arg a = { o, 0, p };
    return sim_exec(s, op_write_next, &a);
}

static inline const char *cause_name(int c) {
    switch (c) {
    case STM_ABORT_WRITE_WRITE: return "WRITE_WRITE";
    case STM_ABORT_READ_WRITE: return "READ_WRITE";
    case STM_ABORT_INEVITABLE: return "INEVITABLE";
    case STM_ABORT_EXPLICIT: return "EXPLICIT";
    case STM_ABORT_OTHER: return "OTHER";
    case -1: return "(no abort)";
    default: return "(bad cause)";
    }
}

/* A step's result: OK (0) or aborted with a given cause. */
#define EXPECT_OK(sim_, call) do { int r_ = (call); \
        tl_check(r_ == 0, __FILE__, __LINE__, "%s: %s: expected success, aborted with %s", \
                 (sim_)->name, #call, cause_name((sim_)->cause)); } while (0)
#define EXPECT_ABORT(sim_, call, cause_) do { int r_ = (call); \
        tl_check(r_ == 1 && (sim_)->cause == (cause_), __FILE__, __LINE__, \
                 "%s: %s: expected abort %s, got %s", (sim_)->name, #call, \
                 cause_name(cause_), r_ ? cause_name((sim_)->cause) : "success"); } while (0)

/* Small deterministic PRNG (xorshift64*). */
typedef struct { uint64_t s; } rng_t;
static inline void rng_seed(rng_t *r, uint64_t seed) {
    r->s = seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
    if (!r->s) r->s = 1;
    for (int i = 0; i < 4; i++) { r->s ^= r->s >> 12; r->s ^= r->s << 25; r->s ^= r->s >> 27; }
}
static inline uint64_t rng_next(rng_t *r) {
    r->s ^= r->s >> 12; r->s ^= r->s << 25; r->s ^= r->s >> 27;
    return r->s * 0x2545F4914F6CDD1Dull;
}
static inline unsigned rng_below(rng_t *r, unsigned n) { return (unsigned)(rng_next(r) % n); }

static inline double tl_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

#endif
