/* mod_thread.c — the _thread module: OS threads running bytecode in transactions, and locks. */
#include "internal.h"

#include <pthread.h>
#include <semaphore.h>
#include <time.h>

/*
 * Starting a thread.  start_new_thread() records (function, args, kwargs) in the caller's spawn
 * root slots; the OS thread is created only after the caller's transaction commits
 * (vm_launch_spawns), so the new thread only ever sees committed objects, and an aborted
 * transaction starts no thread (vm_drop_spawns).  The child copies the three references into
 * its own roots before the parent lets go of them.
 *
 * Blocking.  A lock is a small STM object {locked, owner}.  When acquire() must wait in the
 * outermost activation, it raises the block_retry marker: the eval loop rewinds to the call,
 * commits, waits outside any transaction until the lock looks free (vm_blocked_wait), and runs
 * the call again in a new transaction.  Nothing is held while waiting.  Where the transaction
 * cannot be broken (a nested activation, an atomic section) the caller becomes inevitable and
 * polls the lock's committed state without recording it (stm_peek), so the owner's release can
 * still commit.  In the GIL build that poll lets go of the global lock between looks (an atomic
 * section waiting for a lock is then no longer atomic: the alternative is a certain deadlock).
 */

typedef struct LockObj { ObjHead h; int64_t size; int64_t locked; int64_t owner; } LockObj;

static Value lock_type;
static _Atomic uint32_t next_ident = 1000;

typedef struct spawn_arg {
    Value *slots;            /* the parent's three root slots */
    uint32_t ident;
    sem_t copied;
} spawn_arg;

/* ------------------------------------------------------------------------------------------ */
/* Threads                                                                                     */

static void report_uncaught(Thread *th) {
    Value e = *th->exc;
    vm_exc_clear(th);
    if (!e || vm_isinstance(th, e, vm.e_SystemExit)) return;
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
            return NULL;
        }
        r = NULL;
    } else {
        r = vm_call(th, *fn, a, (int)n, kwnames);
        ROOTS_RESET(th, mark);
    }
done:
    if (!r) report_uncaught(th);
    fflush(stdout);
    stm_commit(th->t);
    vm_tx_committed(th);
    vm_thread_free(th);
    return NULL;
}

void vm_launch_spawns(Thread *th) {
    int n = th->nspawn;
    th->nspawn = 0;
    for (int i = 0; i < n; i += 4) {
        spawn_arg sa;
        sa.slots = th->spawn + i;
        sa.ident = (uint32_t)SMALL_VAL(th->spawn[i + 3]);
        sem_init(&sa.copied, 0, 0);
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setstacksize(&attr, (size_t)16 << 20);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        pthread_t tid;
        int e = pthread_create(&tid, &attr, thread_main, &sa);
        pthread_attr_destroy(&attr);
        if (e == 0) sem_wait(&sa.copied);
        else fprintf(stderr, "stmvm: cannot start a thread (%s)\n", strerror(e));
        sem_destroy(&sa.copied);
        for (int k = 0; k < 4; k++) th->spawn[i + k] = NULL;
    }
}

void vm_drop_spawns(Thread *th) {
    for (int i = 0; i < SPAWN_SLOTS; i++) th->spawn[i] = NULL;
    th->nspawn = 0;
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

/* Wait (outside any transaction) until the lock in *th->blocked_on looks free. */
bool vm_blocked_wait(Thread *th) {
    if (!*th->blocked_on) return true;
    jmp_buf saved;
    memcpy(saved, th->t->jmpbuf, sizeof saved);
    struct timespec ts = {0, 20000};
    for (volatile unsigned spins = 0;; spins++) {
        volatile int locked = 1;
        if (!setjmp(th->t->jmpbuf)) {
            _stm_start(th->t);
            locked = (int)R(th, *th->blocked_on, LockObj)->locked;
            stm_commit(th->t);
        }
        if (!locked) break;
        if (spins < 16) sched_yield();
        else nanosleep(&ts, NULL);
    }
    memcpy(th->t->jmpbuf, saved, sizeof saved);
    *th->blocked_on = NULL;
    return true;
}

static Value lock_acquire(Thread *th, Value *args, int nargs, Value kwnames) {
    static const char *const names[] = {"blocking", "timeout", NULL};
    Value a[2];
    if (vm_parse_args(th, "acquire", args + 1, nargs - 1, kwnames, names, 0, a) < 0) return NULL;
    int blocking = a[0] ? vm_truthy(th, a[0]) : 1;
    if (blocking < 0) return NULL;
    if (!R(th, args[0], LockObj)->locked) {
        LockObj *l = W(th, args[0], LockObj);
        l->locked = 1;
        l->owner = th->id;
        return vm.True;
    }
    if (!blocking) return vm.False;
    if (a[1] && a[1] != vm.None) {
        double t;
        if (vm_to_double(th, a[1], &t) < 0) return NULL;
        if (t >= 0) return vm_raise(th, vm.e_NotImplementedError, "lock.acquire(timeout=...) is not supported yet");
    }
    if (th->eval_level == 1 && !th->t->atomic_depth) {
        *th->blocked_on = args[0];
        *th->exc = vm.block_retry;          /* the eval loop waits outside the transaction */
        return NULL;
    }
    /* Cannot break the transaction here: become inevitable, poll without recording. */
    stm_become_inevitable(th->t);
    struct timespec ts = {0, 20000};
    while (((const LockObj *)stm_peek(th->t, args[0]))->locked) {
#ifdef STM_GIL
        stm_leave(th->t);                   /* the owner needs the global lock to release it */
        nanosleep(&ts, NULL);
        stm_enter(th->t);
#else
        stm_poll(th->t);
        nanosleep(&ts, NULL);
#endif
    }
    LockObj *l = W(th, args[0], LockObj);
    l->locked = 1;
    l->owner = th->id;
    return vm.True;
}

static Value lock_release(Thread *th, Value *args, int nargs, Value kwnames) {
    if (!R(th, args[0], LockObj)->locked) return vm_raise(th, vm.e_RuntimeError, "release unlocked lock");
    W(th, args[0], LockObj)->locked = 0;
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
        stm_commit(th->t);
        vm_tx_committed(th);
        return 0;
    }
    return vm_drive(th, frame, shutdown_finish);     /* commits */
}

void mod_thread_init(Thread *th) {
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
