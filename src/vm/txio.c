/* txio.c — transactional output: a transaction's writes reach the OS when it commits, in commit order. */
#include "internal.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/*
 * Output is an effect no abort can take back, so a transaction keeps what it writes (print,
 * file.write, tracebacks) in a private buffer (th->out: bytes plus the stream of each run) and
 * the buffer goes to the OS only once the transaction has committed.  That is enough for most
 * programs never to become inevitable for output.
 *
 * Invariants:
 * - th->out holds exactly the bytes the running transaction wrote, in program order; none of
 *   them has reached the OS.  An abort empties it (vm_io_discard, from libstm's abort hook).
 * - out_lock orders output: a transaction with output holds it across its commit and writes its
 *   buffer before releasing it, so outputs appear in commit order — the serialization order —
 *   and one transaction's output (a line, a traceback) is never split by another's.
 * - A transaction that must do irrevocable I/O (read input, flush, close, an OS call, output
 *   beyond OUT_MAX, or output to a terminal, which the user watches) calls vm_io_irrevocable:
 *   it becomes inevitable, takes out_lock, writes its buffer, and then writes directly, holding
 *   out_lock until it commits.  No other transaction's output can then appear between its early
 *   output and its commit, which is its place in the serial order.
 * - Waiting for out_lock happens inside the transaction, left between tries (stm_leave), so a
 *   waiter never blocks a collection; an inevitable holder never waits for a waiter.
 * - GIL build: leaving the transaction (a wait) publishes its writes, so vm_io_publish writes
 *   its output and lets go of out_lock before every stm_leave of the VM.
 */

#define OUT_MAX (1u << 20)      /* bytes buffered before the transaction goes irrevocable */

typedef struct out_run { FILE *fp; size_t len; } out_run;
struct vm_outbuf {
    char *data; size_t n, cap;
    out_run *runs; size_t nruns, runcap;
};

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
void vm_io_thread_init(Thread *th) {
    th->out = calloc(1, sizeof *th->out);
    if (!th->out) { fputs("stmvm: out of memory\n", stderr); abort(); }
}

void vm_io_thread_free(Thread *th) {
    if (th->out) { free(th->out->data); free(th->out->runs); free(th->out); th->out = NULL; }
}

static void out_clear(struct vm_outbuf *b) { b->n = 0; b->nruns = 0; }

static void out_lock_take(Thread *th) {
    if (th->out_locked) return;
    struct timespec ts = {0, 20000};
#ifdef STM_GIL
    /* GIL build: leaving would let others see this transaction's writes before its output
       (see vm_io_publish); the holder never needs the global lock to finish. */
    bool in_tx = false;
#else
    bool in_tx = stm_in_transaction(th->t);   /* leave meanwhile: collections proceed */
#endif
    for (unsigned spins = 0; pthread_mutex_trylock(&out_lock) != 0; spins++) {
        if (in_tx) stm_leave(th->t);
        if (spins < 64) sched_yield();
        else nanosleep(&ts, NULL);
        if (in_tx) stm_enter(th->t);
    }
    th->out_locked = true;
}

static void out_lock_release(Thread *th) {
    if (!th->out_locked) return;
    th->out_locked = false;
    pthread_mutex_unlock(&out_lock);
}

/* Write the buffer to the OS (out_lock held) and empty it. */
static void out_drain(Thread *th) {
    struct vm_outbuf *b = th->out;
    size_t off = 0;
    FILE *last = NULL;
    for (size_t i = 0; i < b->nruns; i++) {
        FILE *fp = b->runs[i].fp;
        if (fp == stderr && last != stderr) fflush(stdout);
        fwrite(b->data + off, 1, b->runs[i].len, fp);
        if (fp == stderr) fflush(stderr);
        off += b->runs[i].len;
        last = fp;
    }
    out_clear(b);
}

static bool out_append(struct vm_outbuf *b, FILE *fp, const char *s, size_t n) {
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n) cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d) return false;
        b->data = d; b->cap = cap;
    }
    if (b->nruns && b->runs[b->nruns - 1].fp == fp) {
        b->runs[b->nruns - 1].len += n;
    } else {
        if (b->nruns == b->runcap) {
            size_t cap = b->runcap ? b->runcap * 2 : 8;
            out_run *r = realloc(b->runs, cap * sizeof *r);
            if (!r) return false;
            b->runs = r; b->runcap = cap;
        }
        b->runs[b->nruns++] = (out_run){fp, n};
    }
    memcpy(b->data + b->n, s, n);
    b->n += n;
    return true;
}

void vm_io_irrevocable(Thread *th) {
    if (!stm_in_transaction(th->t)) return;
    stm_become_inevitable(th->t);
    out_lock_take(th);
    out_drain(th);
}

static bool is_terminal(FILE *fp) {
    static int tty[3] = {-1, -1, -1};          /* stdout, stderr: asked once */
    int i = fp == stdout ? 1 : fp == stderr ? 2 : 0;
    if (!i) return false;
    if (tty[i] < 0) tty[i] = isatty(fileno(fp));
    return tty[i] == 1;
}

int vm_io_write(Thread *th, FILE *fp, const char *s, size_t n) {
    if (!stm_in_transaction(th->t)) {          /* e.g. a report after the last commit */
        out_drain(th);
        if (fp == stderr) fflush(stdout);
        fwrite(s, 1, n, fp);
        fflush(fp);
        return 0;
    }
    /* Copy first: going irrevocable may wait (leaving the transaction, which in the GIL build
       empties the nursery), and s may point into a young str. */
    if (!out_append(th->out, fp, s, n)) { vm_raise(th, vm.e_MemoryError, NULL); return -1; }
    if (th->out_locked || is_terminal(fp) || th->out->n > OUT_MAX) {
        vm_io_irrevocable(th);                 /* writes the buffer, this text included */
        if (is_terminal(fp)) fflush(fp);
    }
    return 0;
}

/* Before stm_leave.  In the GIL build leaving hands the global lock over and makes this
   transaction's writes visible at once, so its output must be written first (and the ordering
   lock let go: the next holder may need it).  In the STM build nothing becomes visible before
   the commit: nothing to do. */
void vm_io_publish(Thread *th) {
#ifdef STM_GIL
    if (!th->out->n && !th->out_locked) return;
    out_lock_take(th);
    out_drain(th);
    out_lock_release(th);
#else
    (void)th;
#endif
}

void vm_commit(Thread *th) {
    if (th->out->n) out_lock_take(th);
    stm_commit(th->t);
    if (th->out_locked) {
        out_drain(th);
        out_lock_release(th);
    }
    if (th->released_lock) { th->released_lock = false; vm_wake_waiters(); }
    vm_tx_committed(th);
}

/* After an abort (from libstm's abort hook, on the victim's OS thread). */
void vm_io_discard(Thread *th) {
    if (!th->out) return;
    out_clear(th->out);
    out_lock_release(th);
}
