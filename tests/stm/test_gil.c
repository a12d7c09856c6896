/* test_gil.c — unit tests of libstm's GIL backend (build/gil/libstm.a), with real OS threads.
 *
 * The STM tests (test_det, test_random) drive several stm_threads from one OS thread and expect
 * conflicts and aborts; under a global lock that would deadlock, and nothing aborts.  These check
 * what the GIL backend promises instead: mutual exclusion (exact counts from read-modify-write
 * sequences broken by allocations and collections), hand-over to waiting threads (stm_should_break
 * says yes only when someone waits, then every thread makes progress), the generational write
 * barrier (young objects stored into old ones survive minor collections), no young object ever
 * visible to another thread, stm_leave/stm_enter, commit stamps, and the statistics.
 */
#include "testlib.h"

#include <pthread.h>
#include <signal.h>

#ifndef STM_GIL
#error "test_gil.c tests the GIL backend: compile with -DSTM_GIL"
#endif

enum { NTHREADS = 8 };

static void *run_threads(void *(*fn)(void *), int n) {
    pthread_t th[64];
    for (intptr_t i = 0; i < n; i++)
        if (pthread_create(&th[i], NULL, fn, (void *)i)) { perror("pthread_create"); exit(2); }
    for (int i = 0; i < n; i++) pthread_join(th[i], NULL);
    return NULL;
}

/* A committed cell in G[slot] holding v. */
static void make_global_cell(int slot, int64_t v) {
    stm_thread *t = stm_register_thread();
    STM_START(t);
    stm_obj *c = stm_allocate(t, TID_CELL, sizeof(cell), 0);
    ((cell *)stm_payload(c))->value = v;
    G[slot] = c;
    stm_commit(t);
    stm_unregister_thread(t);
}

static int64_t global_value(int slot) {
    stm_thread *t = stm_register_thread();
    STM_START(t);
    int64_t v = ((const cell *)stm_read(t, G[slot]))->value;
    stm_commit(t);
    stm_unregister_thread(t);
    return v;
}

/* ------------------------------------------------------------------------------------------ */
/* Mutual exclusion: short transactions                                                        */

enum { SHORT_TX = 3000 };
static _Atomic long young_seen;   /* another thread's young object reached: must stay 0 */

/* Read the counter, allocate (a moving point that may collect), then write it back: under a
   broken lock two threads would lose increments between the read and the write.  Also publish a
   fresh object through G[1] and check that whatever another thread published is old. */
static void *short_worker(void *arg) {
    (void)arg;
    stm_thread *t = stm_register_thread();
    for (int i = 0; i < SHORT_TX; i++) {
        STM_START(t);
        int64_t v = ((const cell *)stm_read(t, G[0]))->value;
        stm_obj *prev = ((const cell *)stm_read(t, G[1]))->next;
        if (prev && stm_is_young(prev)) young_seen++;
        stm_obj *fresh = stm_allocate(t, TID_ARRAY, array_size(8), 0);
        ((array *)stm_payload(fresh))->n = 8;
        ((cell *)stm_write(t, G[1]))->next = fresh;     /* young: the commit must move it out */
        for (int k = 0; k < 4; k++) stm_allocate(t, TID_BLOB, blob_size(200), 0);
        if (i % 64 == 0) sched_yield();                  /* holding the lock: others must wait */
        ((cell *)stm_write(t, G[0]))->value = v + 1;
        stm_commit(t);
    }
    stm_unregister_thread(t);
    return NULL;
}

static void test_short_transactions(void) {
    tl_set_context("short transactions");
    make_global_cell(0, 0);
    make_global_cell(1, 0);
    young_seen = 0;
    run_threads(short_worker, NTHREADS);
    CHECK_EQ(global_value(0), (int64_t)NTHREADS * SHORT_TX);
    CHECK_EQ(young_seen, 0);
    stm_stats s;
    stm_get_global_stats(&s);
    CHECK(s.commits >= (uint64_t)NTHREADS * SHORT_TX);
    uint64_t aborts = 0;
    for (int i = 0; i < STM_ABORT_CAUSES; i++) aborts += s.aborts[i];
    CHECK_EQ(aborts, 0);
}

/* ------------------------------------------------------------------------------------------ */
/* Long transactions broken where stm_should_break says so                                     */

enum { LONG_GOAL = 20000, LONG_CAP = 200 * LONG_GOAL };
static int64_t long_done[2];

/* Each thread increments the shared counter G[2] and its own G[5 + me] in long transactions,
   breaking them only where stm_should_break says so, until it sees both own counters at the
   goal.  So neither can finish unless the lock is handed over while it runs: without hand-over
   the running thread would spin until the cap (a failure), never seeing the other progress. */
static void *long_worker(void *arg) {
    intptr_t me = (intptr_t)arg;
    stm_thread *t = stm_register_thread();
    STM_START(t);
    for (;;) {
        int64_t v = ((const cell *)stm_read(t, G[2]))->value;
        stm_allocate(t, TID_BLOB, blob_size(0), 0);      /* garbage: collections now and then */
        ((cell *)stm_write(t, G[2]))->value = v + 1;
        int64_t mine = ++((cell *)stm_write(t, G[5 + me]))->value;
        int64_t other = ((const cell *)stm_read(t, G[5 + 1 - me]))->value;
        if ((mine >= LONG_GOAL && other >= LONG_GOAL) || mine >= LONG_CAP) break;
        if (stm_should_break(t)) {
            stm_commit(t);
            STM_START(t);
        }
    }
    long_done[me] = ((const cell *)stm_read(t, G[5 + me]))->value;
    stm_commit(t);
    stm_unregister_thread(t);
    return NULL;
}

static void test_long_transactions(void) {
    tl_set_context("long transactions, 2 threads");
    make_global_cell(2, 0);
    make_global_cell(5, 0);
    make_global_cell(6, 0);
    run_threads(long_worker, 2);
    CHECKF(long_done[0] < LONG_CAP && long_done[1] < LONG_CAP, "no hand-over: %" PRId64 " and %" PRId64,
           long_done[0], long_done[1]);
    CHECK_EQ(global_value(2), global_value(5) + global_value(6));
    CHECK(global_value(5) >= LONG_GOAL && global_value(6) >= LONG_GOAL);
}

static void test_alone_never_breaks(void) {
    tl_set_context("a lone thread never breaks");
    stm_thread *t = stm_register_thread();
    STM_START(t);
    long breaks = 0;
    for (int i = 0; i < 1000000; i++) breaks += stm_should_break(t);
    stm_hint_commit_soon(t);
    breaks += stm_should_break(t);
    CHECK_EQ(breaks, 0);
    CHECK(stm_is_inevitable(t));
    stm_become_inevitable(t);            /* a no-op that returns */
    CHECK(stm_try_become_inevitable(t));
    stm_commit(t);
    CHECK(!stm_in_transaction(t));
    CHECK(!stm_is_inevitable(t));
    stm_unregister_thread(t);
}

/* ------------------------------------------------------------------------------------------ */
/* Generational write barrier                                                                  */

static void test_write_barrier(void) {
    tl_set_context("write barrier");
    bool stressed = tl_gc_stressed();
    stm_thread *t = stm_register_thread();
    STM_START(t);
    stm_obj *a = stm_allocate(t, TID_ARRAY, array_size(100), 0);
    ((array *)stm_payload(a))->n = 100;
    stm_push_root(t, a);
    _stm_minor_collect(t);                           /* a is old now, and unrecorded */
    a = t->roots_top[-1];
    CHECK(!stm_is_young(a));
    CHECK(!_stm_was_written(t, a));
    for (int i = 0; i < 100; i++) {
        stm_obj *c = stm_allocate(t, TID_CELL, sizeof(cell), 0);   /* young */
        ((cell *)stm_payload(c))->value = 1000 + i;
        a = t->roots_top[-1];
        ((array *)stm_write(t, a))->items[i] = c;      /* old -> young: recorded */
        CHECK(_stm_was_written(t, a));
        if (i == 50 && !stressed) CHECK(stm_is_young(c));
    }
    _stm_minor_collect(t);                           /* must find the cells through a */
    a = t->roots_top[-1];
    CHECK(!_stm_was_written(t, a));                  /* the remembered set was emptied */
    long bad = 0;
    for (int i = 0; i < 100; i++) {
        stm_obj *c = ((const array *)stm_read(t, a))->items[i];
        if (stm_is_young(c) || ((const cell *)stm_read(t, c))->value != 1000 + i) bad++;
    }
    CHECK_EQ(bad, 0);
    /* A major collection keeps what a reaches, and reclaims what nothing reaches (big objects
       go straight to the old space; they are in the remembered set until a minor collection). */
    for (int i = 0; i < 200; i++) {
        stm_obj *b = stm_allocate(t, TID_BLOB, blob_size(8000), 0);
        ((blob *)stm_payload(b))->n = 8000;
    }
    stm_major_collect(t);                            /* remembered, so kept this time */
    _stm_minor_collect(t);
    size_t before = stm_heap_size();
    stm_major_collect(t);
    a = t->roots_top[-1];
    CHECK(stm_heap_size() < before);
    bad = 0;
    for (int i = 0; i < 100; i++)
        if (((const cell *)stm_read(t, ((const array *)stm_read(t, a))->items[i]))->value != 1000 + i) bad++;
    CHECK_EQ(bad, 0);
    stm_pop_root(t);
    stm_commit(t);
    stm_unregister_thread(t);
}

/* ------------------------------------------------------------------------------------------ */
/* stm_leave / stm_enter                                                                       */

static _Atomic int leave_phase;

/* Thread 0 leaves its transaction holding a young object in a root, and waits there until thread
   1 has run a whole transaction (proof that leaving released the lock). */
static void *leave_worker(void *arg) {
    intptr_t me = (intptr_t)arg;
    stm_thread *t = stm_register_thread();
    if (me == 0) {
        STM_START(t);
        stm_obj *c = stm_allocate(t, TID_CELL, sizeof(cell), 0);
        ((cell *)stm_payload(c))->value = 77;
        stm_push_root(t, c);
        stm_leave(t);                            /* a moving point here */
        leave_phase = 1;
        while (leave_phase != 2) sched_yield();
        stm_enter(t);
        c = stm_pop_root(t);
        CHECK(!stm_is_young(c));
        CHECK_EQ(((const cell *)stm_read(t, c))->value, 77);
        CHECK_EQ(((const cell *)stm_read(t, G[3]))->value, 1);   /* thread 1's commit */
        stm_commit(t);
    } else {
        while (leave_phase != 1) sched_yield();
        STM_START(t);
        ((cell *)stm_write(t, G[3]))->value = 1;
        stm_commit(t);
        leave_phase = 2;
    }
    stm_unregister_thread(t);
    return NULL;
}

static void test_leave_enter(void) {
    tl_set_context("leave/enter");
    make_global_cell(3, 0);
    leave_phase = 0;
    run_threads(leave_worker, 2);
    CHECK_EQ(leave_phase, 2);
}

/* ------------------------------------------------------------------------------------------ */
/* Commit stamps                                                                               */

enum { STAMP_TX = 500 };
static uint64_t stamps[NTHREADS][STAMP_TX];
static _Atomic uint64_t stamp_order[NTHREADS * STAMP_TX];   /* stamps in lock order */
static _Atomic int stamp_n;

static void *stamp_worker(void *arg) {
    intptr_t me = (intptr_t)arg;
    stm_thread *t = stm_register_thread();
    for (int i = 0; i < STAMP_TX; i++) {
        STM_START(t);
        stm_obj *a = stm_allocate(t, TID_BLOB, blob_size(16), 0);
        ((blob *)stm_payload(a))->n = 16;
        stm_push_root(t, a);
        stm_obj *b = stm_allocate(t, TID_BLOB, blob_size(16), 0);
        ((blob *)stm_payload(b))->n = 16;
        a = stm_pop_root(t);
        stm_stamp_at_commit(t, a, offsetof(blob, data));
        stm_stamp_at_commit(t, b, offsetof(blob, data) + 8);
        uint64_t sa, sb;
        memcpy(&sa, ((const blob *)stm_read(t, a))->data, 8);
        memcpy(&sb, ((const blob *)stm_read(t, b))->data + 8, 8);
        CHECKF(sa == sb, "stamps of one transaction differ: %" PRIu64 " %" PRIu64, sa, sb);
        stamps[me][i] = sa;
        stamp_order[stamp_n++] = sa;      /* under the lock: the serialization order */
        stm_commit(t);
    }
    stm_unregister_thread(t);
    return NULL;
}

static void test_stamps(void) {
    tl_set_context("stamps");
    stamp_n = 0;
    run_threads(stamp_worker, 4);
    long bad = 0;
    for (int i = 1; i < stamp_n; i++)
        if (stamp_order[i] <= stamp_order[i - 1]) bad++;
    CHECK_EQ(bad, 0);
    CHECK_EQ(stamp_n, 4 * STAMP_TX);
    /* stm_leave ends a step of the serialization order: later stamps are larger. */
    stm_thread *t = stm_register_thread();
    STM_START(t);
    stm_obj *a = stm_allocate(t, TID_BLOB, blob_size(8), 0);
    ((blob *)stm_payload(a))->n = 8;
    stm_stamp_at_commit(t, a, offsetof(blob, data));
    uint64_t s1, s2;
    memcpy(&s1, ((const blob *)stm_read(t, a))->data, 8);
    stm_leave(t);
    stm_enter(t);
    a = stm_allocate(t, TID_BLOB, blob_size(8), 0);
    ((blob *)stm_payload(a))->n = 8;
    stm_stamp_at_commit(t, a, offsetof(blob, data));
    memcpy(&s2, ((const blob *)stm_read(t, a))->data, 8);
    CHECKF(s2 > s1, "%" PRIu64 " then %" PRIu64, s1, s2);
    stm_commit(t);
    stm_unregister_thread(t);
}

/* ------------------------------------------------------------------------------------------ */
/* Hash table and abort                                                                        */

enum { HT_KEYS = 64, HT_ROUNDS = 300 };

static void *ht_worker(void *arg) {
    (void)arg;
    stm_thread *t = stm_register_thread();
    for (int r = 0; r < HT_ROUNDS; r++) {
        STM_START(t);
        uintptr_t key = (uintptr_t)(r % HT_KEYS) * 8;
        stm_obj *c = stm_hashtable_read(t, G[4], key);
        int64_t v = c ? ((const cell *)stm_read(t, c))->value : 0;
        stm_obj *n = stm_allocate(t, TID_CELL, sizeof(cell), 0);
        ((cell *)stm_payload(n))->value = v + 1;
        stm_hashtable_write(t, G[4], key, n);
        stm_commit(t);
    }
    stm_unregister_thread(t);
    return NULL;
}

static void sum_value(uintptr_t key, stm_obj *value, void *arg) {
    (void)key;
    *(int64_t *)arg += ((const cell *)stm_payload(value))->value;
}

static void test_hashtable(void) {
    tl_set_context("hash table");
    stm_thread *t = stm_register_thread();
    STM_START(t);
    G[4] = stm_hashtable_create(t);
    stm_commit(t);
    run_threads(ht_worker, 4);
    STM_START(t);
    int64_t sum = 0;
    CHECK_EQ(stm_hashtable_length(t, G[4]), HT_KEYS);
    stm_hashtable_foreach(t, G[4], sum_value, &sum);
    CHECK_EQ(sum, 4 * HT_ROUNDS);
    stm_commit(t);
    stm_unregister_thread(t);
}

/* Transactions cannot abort here: stm_abort is a fatal error (SIGABRT), tried in a child. */
static void test_abort_is_fatal(void) {
    tl_set_context("stm_abort is fatal");
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); exit(2); }
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stderr)) _exit(3);
        stm_thread *t = stm_register_thread();
        STM_START(t);
        stm_abort(t);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    CHECKF(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT, "child status %d", st);
}

int main(void) {
    tl_init(NULL);
    test_alone_never_breaks();
    test_short_transactions();
    test_long_transactions();
    test_write_barrier();
    test_leave_enter();
    test_stamps();
    test_hashtable();
    test_abort_is_fatal();
    return tl_finish();
}
