/* mod_thread.c — the _thread module: OS threads running bytecode in transactions, and locks. */
#include "internal.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <time.h>

/*
 * Starting a thread.  start_new_thread() creates the OS thread at once (so a failure is a
 * RuntimeError there, as in CPython) but the thread waits on its `go` semaphore; the call records
 * (function, args, kwargs) in the caller's spawn root slots.  When the caller's transaction
 * commits, vm_launch_spawns lets the threads go, so a new thread only ever sees committed
 * objects; an abort cancels them (vm_drop_spawns), so an aborted transaction starts nothing.  The
 * child copies the three references into its own roots before the parent lets go of them.
 *
 * Blocking.  A lock is a small STM object {locked, owner}.  When acquire() must wait in the
 * outermost activation, it raises the block_retry marker: the eval loop rewinds to the call,
 * commits, waits outside any transaction until the lock looks free or the timeout passes
 * (vm_blocked_wait), and runs the call again in a new transaction; the wait's state
 * (th->wait_*) is plain C memory, so the retried call knows the deadline and whether it passed.
 * time.sleep works the same way.  Nothing is held while waiting.
 *
 * Where the transaction cannot be broken (a nested activation, an atomic section), the waiter
 * keeps its transaction open but stays abortable: it polls the lock's committed state without
 * recording it (stm_peek) and leaves the transaction between polls, so the owner's release
 * commits, and any commit that conflicts with the waiter aborts the waiter (which restarts its
 * transaction — the whole atomic block — from the start) instead of blocking the owner.  Only
 * a waiter that is already inevitable (it did irrevocable I/O) cannot do so: it waits while
 * inevitable, and an owner that must write what it read cannot release (docs/THREADS.md).
 * In the GIL build leaving the transaction lets go of the global lock, so an atomic section
 * that waits for a lock is no longer atomic there (the alternative is a certain deadlock).
 */

typedef struct LockObj { ObjHead h; int64_t size; int64_t locked; int64_t owner; } LockObj;

static Value lock_type;
static _Atomic uint32_t next_ident = 1000;

typedef struct spawn_arg {
    Value *slots;            /* the parent's three root slots */
    uint32_t ident;
    bool cancel;             /* the creating transaction aborted: exit without running */
    sem_t go, copied;
} spawn_arg;
_Static_assert(SPAWN_SLOTS / 4 <= VM_MAX_SPAWNS, "spawn_os too small");

_Atomic int vm_interrupted;

/* Waking waiters: a commit that released a lock bumps wake_gen and signals wake_cond (on the
   monotonic clock); a waiter reads wake_gen before it looks at the lock, so it cannot miss the
   release of a lock it saw held. */
static pthread_mutex_t wake_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake_cond;
static _Atomic uint64_t wake_gen;
static _Atomic int wake_waiters;
_Atomic int vm_threads_running = 1;

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

bool vm_check_interrupt(Thread *th) {
    if (!atomic_load_explicit(&vm_interrupted, memory_order_relaxed) || th != vm_main_thread) return false;
    atomic_store(&vm_interrupted, 0);
    th->wait_kind = WAIT_NONE;          /* the interrupted wait is over */
    th->wait_expired = false;
    *th->blocked_on = NULL;
    vm_raise_value(th, vm.e_KeyboardInterrupt, NULL);
    return true;
}

/* ------------------------------------------------------------------------------------------ */
/* Threads                                                                                     */

static void report_uncaught(Thread *th) {
    Value e = *th->exc;
    vm_exc_clear(th);
    if (!e || vm_isinstance(th, e, vm.e_SystemExit)) return;
    vm_io_irrevocable(th);
    fflush(stdout);
    fputs("Unhandled exception in thread started by _thread.start_new_thread\n", stderr);
    vm_print_exception(th, e);
}

static int thread_finish(Thread *th, Value r) {
    if (!r) report_uncaught(th);
    return 0;
}

static void *thread_main(void *p) {
    spawn_arg *sa = p;
    while (sem_wait(&sa->go) != 0) {}
    if (sa->cancel) {
        sem_destroy(&sa->go); sem_destroy(&sa->copied);
        free(sa);
        return NULL;
    }
    Thread *th = vm_thread_new();
    th->id = sa->ident;
    Value *fn = ROOT(th, sa->slots[0]), *args = ROOT(th, sa->slots[1]), *kwargs = ROOT(th, sa->slots[2]);
    sem_post(&sa->copied);                       /* sa is the parent's: do not touch it again */
    STM_START(th->t);
    vm_tx_started(th);
    /* Python functions run through the driver (restartable); other callables in a transaction
       that an abort simply runs again. */
    Value r;
    size_t mark = ROOTS_MARK(th);
    Value *a = th->t->roots_top;
    int64_t n = TUP(th, *args)->n;
    for (int64_t i = 0; i < n; i++) ROOT(th, TUP(th, *args)->items[i]);
    if (*kwargs && vm_dict_len(th, *kwargs) > 0) {
        /* keywords: go through call_ex-like flattening in Python terms */
        Value *pf = ROOT(th, *fn);
        ROOTS_RESET(th, mark);
        Value *pargs = ROOT(th, *args), *pkw = ROOT(th, *kwargs);
        Value pr = vm_call_kw(th, *pf, *pargs, *pkw);
        r = pr;
        goto done;
    }
    Value kwnames = NULL;
    Value target = vm_tid(*fn) == T_METHOD ? R(th, *fn, MethodObj)->func : *fn;
    if (vm_tid(target) == T_FUNCTION && !(R(th, R(th, target, FuncObj)->code, CodeObj)->code->flags & CODE_GENERATOR)) {
        Value frame;
        if (vm_tid(*fn) == T_METHOD) {          /* self in front of the arguments */
            ROOT(th, NULL);
            memmove(a + 1, a, (size_t)n * sizeof(Value));
            a[0] = R(th, *fn, MethodObj)->self;
            frame = vm_frame_for_call(th, R(th, *fn, MethodObj)->func, a, (int)n + 1, kwnames);
        } else {
            frame = vm_frame_for_call(th, *fn, a, (int)n, kwnames);
        }
        ROOTS_RESET(th, mark);
        if (frame) {
            vm_drive(th, frame, thread_finish);     /* commits the last transaction */
            vm_thread_free(th);
            atomic_fetch_sub(&vm_threads_running, 1);
            return NULL;
        }
        r = NULL;
    } else {
        r = vm_call(th, *fn, a, (int)n, kwnames);
        ROOTS_RESET(th, mark);
    }
done:
    if (!r) report_uncaught(th);
    vm_commit(th);
    vm_thread_free(th);
    atomic_fetch_sub(&vm_threads_running, 1);
    return NULL;
}

void vm_launch_spawns(Thread *th) {
    int n = th->nspawn;
    th->nspawn = 0;
    for (int i = 0; i < n; i += 4) {
        spawn_arg *sa = th->spawn_os[i / 4];
        th->spawn_os[i / 4] = NULL;
        sa->slots = th->spawn + i;
        atomic_fetch_add(&vm_threads_running, 1);
        sem_post(&sa->go);
        while (sem_wait(&sa->copied) != 0) {}
        sem_destroy(&sa->go); sem_destroy(&sa->copied);
        free(sa);
        for (int k = 0; k < 4; k++) th->spawn[i + k] = NULL;
    }
}

/* Heap-free (runs from the abort hook): cancel the threads created for the aborted attempt. */
void vm_drop_spawns(Thread *th) {
    for (int i = 0; i < th->nspawn; i += 4) {
        spawn_arg *sa = th->spawn_os[i / 4];
        th->spawn_os[i / 4] = NULL;
        if (sa) { sa->cancel = true; sem_post(&sa->go); }
    }
    for (int i = 0; i < SPAWN_SLOTS; i++) th->spawn[i] = NULL;
    th->nspawn = 0;
}

/* Create the OS thread now, parked until the creating transaction commits.  Ctrl-C goes to the
   main thread only, so the new thread blocks SIGINT. */
static spawn_arg *spawn_create(uint32_t ident) {
    spawn_arg *sa = calloc(1, sizeof *sa);
    if (!sa) return NULL;
    sa->ident = ident;
    sem_init(&sa->go, 0, 0);
    sem_init(&sa->copied, 0, 0);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, (size_t)16 << 20);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    pthread_t tid;
    int e = pthread_create(&tid, &attr, thread_main, sa);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);
    if (e != 0) {
        sem_destroy(&sa->go); sem_destroy(&sa->copied);
        free(sa);
        return NULL;
    }
    return sa;
}

static Value t_start_new_thread(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "start_new_thread", nargs, kwnames, 2, 3) < 0) return NULL;
    if (!vm_lookup_special(th, args[0], "__call__") && vm_tid(args[0]) != T_FUNCTION && vm_tid(args[0]) != T_CFUNC &&
        vm_tid(args[0]) != T_METHOD && vm_tid(args[0]) != T_TYPE)
        return vm_raise(th, vm.e_TypeError, "first arg must be callable");
    if (vm_tid(args[1]) != T_TUPLE) return vm_raise(th, vm.e_TypeError, "2nd arg must be a tuple");
    if (nargs == 3 && vm_tid(args[2]) != T_DICT) return vm_raise(th, vm.e_TypeError, "optional 3rd arg must be a dictionary");
    if (th->nspawn + 4 > SPAWN_SLOTS) {
        if (th->eval_level == 1 && !th->t->atomic_depth) {
            *th->blocked_on = NULL;             /* commit (starting those threads) and retry */
            *th->exc = vm.block_retry;
            return NULL;
        }
        return vm_raise(th, vm.e_RuntimeError, "can't start new thread: too many threads started in one transaction");
    }
    uint32_t ident = atomic_fetch_add(&next_ident, 1);
    spawn_arg *sa = spawn_create(ident);
    if (!sa) return vm_raise(th, vm.e_RuntimeError, "can't start new thread");
    th->spawn_os[th->nspawn / 4] = sa;
    th->spawn[th->nspawn] = args[0];
    th->spawn[th->nspawn + 1] = args[1];
    th->spawn[th->nspawn + 2] = nargs == 3 ? args[2] : NULL;
    th->spawn[th->nspawn + 3] = MK_SMALL(ident);
    th->nspawn += 4;
    return MK_SMALL(ident);
}

static Value t_get_ident(Thread *th, Value *args, int nargs, Value kwnames) { return MK_SMALL(th->id); }
static Value t_exit(Thread *th, Value *args, int nargs, Value kwnames) { return vm_raise_value(th, vm.e_SystemExit, NULL); }

/* ------------------------------------------------------------------------------------------ */
/* Locks                                                                                       */

static Value lock_new(Thread *th) {
    Value l = vm_alloc(th, T_BLOB, sizeof(LockObj), 0, lock_type);
    if (l) ((LockObj *)stm_payload(l))->size = sizeof(LockObj) - sizeof(ObjHead) - sizeof(int64_t);
    return l;
}

static Value t_allocate_lock(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "allocate_lock", nargs, kwnames, 0, 0) < 0) return NULL;
    return lock_new(th);
}

/* Outside any transaction: wait for what the retried call needs (a free-looking lock, the end of
   a sleep), until its deadline, or until Ctrl-C (main thread).  Sets th->wait_expired when the
   deadline passed. */
bool vm_blocked_wait(Thread *th) {
    if (th->wait_kind == WAIT_SLEEP) {
        int64_t left;
        while ((left = th->wait_deadline - now_ns()) > 0) {
            if (th == vm_main_thread && atomic_load(&vm_interrupted)) return true;
            struct timespec ts = {left / 1000000000, left % 1000000000};
            if (ts.tv_sec > 0 || ts.tv_nsec > 20000000) ts = (struct timespec){0, 20000000};
            nanosleep(&ts, NULL);
        }
        th->wait_expired = true;
        return true;
    }
    if (th->wait_kind != WAIT_LOCK || !*th->blocked_on) return true;
    jmp_buf saved;
    memcpy(saved, th->t->jmpbuf, sizeof saved);
    atomic_fetch_add(&wake_waiters, 1);
    for (volatile unsigned spins = 0;; spins++) {
        uint64_t gen = atomic_load(&wake_gen);     /* before the look: a later release bumps it */
        volatile int locked = 1;
        if (!setjmp(th->t->jmpbuf)) {
            _stm_start(th->t);
            locked = (int)R(th, *th->blocked_on, LockObj)->locked;
            stm_commit(th->t);
        }
        if (!locked) break;
        int64_t now = now_ns();
        if (th->wait_deadline >= 0 && now >= th->wait_deadline) { th->wait_expired = true; break; }
        if (th == vm_main_thread && atomic_load(&vm_interrupted)) break;
        if (spins < 4) { sched_yield(); continue; }
        /* Sleep until a transaction that released a lock commits (vm_wake_waiters), the
           deadline, or 50 ms (Ctrl-C is a flag a signal handler sets: it cannot signal). */
        int64_t until = now + 50000000;
        if (th->wait_deadline >= 0 && th->wait_deadline < until) until = th->wait_deadline;
        struct timespec abs;
        clock_gettime(CLOCK_MONOTONIC, &abs);
        int64_t ns = abs.tv_nsec + (until - now);
        abs.tv_sec += ns / 1000000000;
        abs.tv_nsec = ns % 1000000000;
        pthread_mutex_lock(&wake_mutex);
        while (atomic_load(&wake_gen) == gen &&
               pthread_cond_timedwait(&wake_cond, &wake_mutex, &abs) == 0) {}
        pthread_mutex_unlock(&wake_mutex);
    }
    atomic_fetch_sub(&wake_waiters, 1);
    memcpy(th->t->jmpbuf, saved, sizeof saved);
    return true;
}

/* After a commit that released a lock: wake the threads waiting outside transactions. */
void vm_wake_waiters(void) {
    atomic_fetch_add(&wake_gen, 1);
    if (!atomic_load(&wake_waiters)) return;
    pthread_mutex_lock(&wake_mutex);
    pthread_cond_broadcast(&wake_cond);
    pthread_mutex_unlock(&wake_mutex);
}

static void wait_clear(Thread *th) {
    th->wait_kind = WAIT_NONE;
    th->wait_expired = false;
    th->wait_deadline = -1;
    *th->blocked_on = NULL;
}

/* A wait that cannot break the transaction: poll the lock's committed state, leaving the
   transaction between polls.  Returns 1 once the lock looks free, 0 at the deadline, -1 on
   Ctrl-C.  A conflicting commit meanwhile aborts us (at stm_enter), never the owner. */
static int wait_in_transaction(Thread *th, Value *plock, int64_t deadline) {
    struct timespec ts = {0, 50000};
    for (unsigned spins = 0;; spins++) {
        if (!((const LockObj *)stm_peek(th->t, *plock))->locked) return 1;
        if (deadline >= 0 && now_ns() >= deadline) return 0;
        if (vm_check_interrupt(th)) return -1;
        vm_io_publish(th);
        stm_leave(th->t);
        if (spins < 16) sched_yield();
        else nanosleep(&ts, NULL);
        stm_enter(th->t);
    }
}

/* acquire(blocking=True, timeout=-1), as CPython's: True when acquired. */
static Value lock_acquire(Thread *th, Value *args, int nargs, Value kwnames) {
    static const char *const names[] = {"blocking", "timeout", NULL};
    Value a[2];
    if (vm_parse_args(th, "acquire", args + 1, nargs - 1, kwnames, names, 0, a) < 0) return NULL;
    Value *pt = ROOT(th, a[1]);              /* __bool__ may run Python code: timeout moves */
    int blocking = a[0] ? vm_truthy(th, a[0]) : 1;
    a[1] = *pt;
    UNROOT(th, 1);
    if (blocking < 0) return NULL;
    double timeout = -1;
    if (a[1] && a[1] != vm.None && vm_to_double(th, a[1], &timeout) < 0) return NULL;
    if (!blocking && timeout != -1) return vm_raise(th, vm.e_ValueError, "can't specify a timeout for a non-blocking call");
    if (timeout < 0 && timeout != -1) return vm_raise(th, vm.e_ValueError, "timeout value must be positive");
    if (timeout > 4294967.0) return vm_raise(th, vm.e_OverflowError, "timeout value is too large");
    bool resumed = th->wait_kind == WAIT_LOCK && *th->blocked_on == args[0];
    for (;;) {
        if (!R(th, args[0], LockObj)->locked) {
            LockObj *l = W(th, args[0], LockObj);
            l->locked = 1;
            l->owner = th->id;
            if (resumed) wait_clear(th);
            return vm.True;
        }
        if (!blocking) return vm.False;
        if (resumed && th->wait_expired) { wait_clear(th); return vm.False; }
        if (!resumed) {
            th->wait_deadline = timeout >= 0 ? now_ns() + (int64_t)(timeout * 1e9) : -1;
            th->wait_expired = false;
            resumed = true;
        }
        if (timeout == 0) { wait_clear(th); return vm.False; }
        th->wait_kind = WAIT_LOCK;
        *th->blocked_on = args[0];
        if (th->eval_level == 1 && !th->t->atomic_depth) {
            *th->exc = vm.block_retry;          /* the eval loop waits outside the transaction */
            return NULL;
        }
        if (!th->t->atomic_depth) {             /* a nested call: commit here, go on inevitable */
            vm_nested_wait(th);
            if (vm_check_interrupt(th)) return NULL;
            continue;
        }
        if (stm_is_written(th->t, args[0])) {
            /* This atomic block locked it and cannot commit, so no thread can release it
               (e.g. Condition.wait inside `with atomic:`): wait out the timeout, or refuse. */
            int64_t deadline = th->wait_deadline;
            wait_clear(th);
            if (deadline < 0)
                return vm_raise(th, vm.e_RuntimeError, "deadlock: waiting inside an atomic block for a "
                                "lock that only this atomic block could release (see docs/THREADS.md)");
            if (vm_sleep(th, (double)(deadline - now_ns()) / 1e9) < 0) return NULL;
            return vm.False;
        }
        int w = wait_in_transaction(th, th->blocked_on, th->wait_deadline);
        if (w <= 0) { wait_clear(th); return w < 0 ? NULL : vm.False; }
        /* It looks free.  Our snapshot may predate the release: then restart the transaction
           (the whole atomic block), which sees the lock free. */
        if (R(th, args[0], LockObj)->locked && !stm_is_inevitable(th->t) &&
            !((const LockObj *)stm_peek(th->t, args[0]))->locked)
            stm_abort(th->t);
    }
}

int vm_sleep(Thread *th, double secs) {
    if (th->wait_kind == WAIT_SLEEP) {          /* the retried call: the eval loop has slept */
        bool done = th->wait_expired;
        wait_clear(th);
        if (done) return 0;
        return vm_check_interrupt(th) ? -1 : 0;
    }
    int64_t deadline = now_ns() + (int64_t)(secs * 1e9);
    if (th->eval_level == 1 && !th->t->atomic_depth) {
        wait_clear(th);
        th->wait_kind = WAIT_SLEEP;
        th->wait_deadline = deadline;
        *th->exc = vm.block_retry;
        return -1;
    }
    /* cannot commit here: sleep outside the heap (an abort meanwhile restarts the transaction) */
#ifdef STM_GIL
    bool keep = th->t->atomic_depth != 0;  /* GIL build: an atomic section keeps the lock */
#else
    bool keep = false;
#endif
    if (!keep) { vm_io_publish(th); stm_leave(th->t); }
    int64_t left;
    while ((left = deadline - now_ns()) > 0 && !atomic_load(&vm_interrupted)) {
        struct timespec ts = {left / 1000000000, left % 1000000000};
        if (ts.tv_sec > 0 || ts.tv_nsec > 20000000) ts = (struct timespec){0, 20000000};
        nanosleep(&ts, NULL);
    }
    if (!keep) stm_enter(th->t);
    return vm_check_interrupt(th) ? -1 : 0;
}

static Value lock_release(Thread *th, Value *args, int nargs, Value kwnames) {
    if (!R(th, args[0], LockObj)->locked) return vm_raise(th, vm.e_RuntimeError, "release unlocked lock");
    W(th, args[0], LockObj)->locked = 0;
    th->released_lock = true;           /* wake the waiters once this commits (vm_commit) */
    return vm.None;
}
static Value lock_locked(Thread *th, Value *args, int nargs, Value kwnames) {
    return R(th, args[0], LockObj)->locked ? vm.True : vm.False;
}
static Value lock_exit(Thread *th, Value *args, int nargs, Value kwnames) {
    Value r = lock_release(th, args, 1, NULL);
    return r ? vm.False : NULL;
}
static Value lock_repr(Thread *th, Value *args, int nargs, Value kwnames) {
    return vm_str_fmt(th, "<%s _thread.lock object at %p>", R(th, args[0], LockObj)->locked ? "locked" : "unlocked", (void *)args[0]);
}

static const vm_method lock_methods[] = {
    {"acquire", lock_acquire, CF_METHOD}, {"acquire_lock", lock_acquire, CF_METHOD},
    {"release", lock_release, CF_METHOD}, {"release_lock", lock_release, CF_METHOD},
    {"locked", lock_locked, CF_METHOD}, {"__enter__", lock_acquire, CF_METHOD},
    {"__exit__", lock_exit, CF_METHOD}, {"__repr__", lock_repr, CF_METHOD}, {NULL, NULL, 0}};

static const vm_method thread_functions[] = {
    {"start_new_thread", t_start_new_thread, 0}, {"start_new", t_start_new_thread, 0},
    {"allocate_lock", t_allocate_lock, 0}, {"allocate", t_allocate_lock, 0},
    {"get_ident", t_get_ident, 0}, {"exit", t_exit, 0}, {NULL, NULL, 0}};

static int shutdown_finish(Thread *th, Value r) {
    if (r) return 0;
    report_uncaught(th);
    return 0;
}


/* After the main module: threading._shutdown() joins the non-daemon threads (as CPython).
   Called in a transaction; returns with it committed when the result is 0. */
int vm_threading_shutdown(Thread *th) {
    Value m, f = NULL;
    if (vm_dict_get_str(th, vm.modules, vm_str_intern(th, "threading"), &m) == 1) {
        f = vm_getattr_opt(th, m, vm_str_intern(th, "_shutdown"));
        vm_exc_clear(th);
    }
    Value frame = f && vm_tid(f) == T_FUNCTION ? vm_frame_for_call(th, f, th->t->roots_top, 0, NULL) : NULL;
    if (!frame) {
        if (*th->exc) report_uncaught(th);
        vm_commit(th);
        return 0;
    }
    return vm_drive(th, frame, shutdown_finish);     /* commits */
}

void mod_thread_init(Thread *th) {
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&wake_cond, &ca);
    pthread_condattr_destroy(&ca);
    stm_add_global_root(&lock_type);
    lock_type = vm_make_type(th, "lock", NULL, T_BLOB, 0, lock_methods);
    Value m = vm_make_module(th, "_thread", thread_functions);
    if (!m || !lock_type) return;
    Value *pm = ROOT(th, m);
    vm_module_set(th, *pm, "LockType", lock_type);
    vm_module_set(th, *pm, "error", vm.e_RuntimeError);
    vm_module_set(th, *pm, "TIMEOUT_MAX", MK_SMALL(4294967));
    UNROOT(th, 1);
}
