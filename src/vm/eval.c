/* eval.c — the bytecode loop, exception unwinding, generators, tracebacks, transaction breaks. */
#include "internal.h"

#include <string.h>

/*
 * All interpreter state lives in frame objects (STM objects: rolled back on abort): the operand
 * stack, pc, block stack.  The C loop only caches a payload pointer `f`, re-fetched (RELOAD)
 * after anything that may move objects.  Python-to-Python calls do not recurse in C: the new
 * frame's `back` is the caller, and RETURN_VALUE resumes the caller in the same loop.  Only the
 * outermost activation (eval_level 0) breaks transactions, at backward jumps, so that a restart
 * after an abort resumes from a frame chain that the STM rolled back consistently.
 */

#if defined(__GNUC__) && !defined(VM_NO_COMPUTED_GOTO)
#define VM_COMPUTED_GOTO 1
#define CASE(op) case OP_##op: L_##op
#else
#define VM_COMPUTED_GOTO 0
#define CASE(op) case OP_##op
#endif

#define CODEOBJ(fr) R(th, (fr)->code, CodeObj)
#define RELOAD() (f = W(th, *fs, FrameObj))
#define PUSH(v) (f->slots[f->sp++] = (v))
#define POP() (f->slots[--f->sp])
#define TOP() (f->slots[f->sp - 1])
#define PEEK(n) (f->slots[f->sp - (n)])
#define SET_TOP(v) (f->slots[f->sp - 1] = (v))

/* ------------------------------------------------------------------------------------------ */
/* Transactions                                                                                */

static void tx_break(Thread *th, Value *fs) {
    vm_commit(th);
    _stm_start(th->t);
    vm_tx_started(th);
    *th->restart_frame = *fs;
    *th->restart_handled = *th->handled;
    th->restart_depth = th->depth;
}

/* A wait in a nested activation (C frames on the stack, so no restart point for a new
   transaction): commit, wait outside any transaction (vm_blocked_wait, per th->wait_*), and go
   on in a transaction that is inevitable from its start — it never aborts, so it needs no
   restart point; the next break in the outermost loop ends it.  Only the first commit may
   abort, restarting from the outer restart point as any abort does. */
void vm_nested_wait(Thread *th) {
    vm_commit(th);
    vm_blocked_wait(th);
    jmp_buf saved;
    memcpy(saved, th->t->jmpbuf, sizeof saved);
    setjmp(th->t->jmpbuf);              /* aborted while waiting for the token: start again */
    _stm_start(th->t);
    stm_become_inevitable(th->t);
    memcpy(th->t->jmpbuf, saved, sizeof saved);
    vm_tx_started(th);
}

void vm_blocking_begin(Thread *th) {
    stm_become_inevitable(th->t);
#ifdef STM_GIL
    if (th->t->atomic_depth) return;    /* GIL build: an atomic section keeps the global lock */
#endif
    vm_io_publish(th);
    stm_leave(th->t);
}
void vm_blocking_end(Thread *th) {
#ifdef STM_GIL
    if (th->t->atomic_depth) return;
#endif
    stm_enter(th->t);
}

/* ------------------------------------------------------------------------------------------ */
/* Tracebacks                                                                                  */

static int frame_line(Thread *th, const FrameObj *f) {
    const vm_code *c = R(th, f->code, CodeObj)->code;
    int i = f->lasti;
    if (i < 0) i = 0;
    if (i >= c->ncode) i = c->ncode - 1;
    return c->ncode > 0 ? c->lines[i] : c->firstlineno;
}

int vm_traceback_add(Thread *th, Value frame) {
    Value exc = *th->exc;
    if (!exc || vm_tid(exc) != T_INSTANCE) return 0;
    size_t mark = ROOTS_MARK(th);
    Value *pe = ROOT(th, exc), *pf = ROOT(th, frame);
    Value d = R(th, *pe, InstanceObj)->dict;
    Value key = vm_str_intern(th, "__traceback__");
    Value tb;
    int r = -1;
    if (vm_dict_get_str(th, d, key, &tb) != 1 || tb == vm.None) {
        tb = vm_list_new(th, 0);
        if (!tb) goto done;
        Value *ptb = ROOT(th, tb);
        if (vm_dict_set(th, R(th, *pe, InstanceObj)->dict, key, *ptb) < 0) goto done;
        tb = *ptb;
    }
    Value *ptb = ROOT(th, tb);
    const FrameObj *f = R(th, *pf, FrameObj);
    const vm_code *c = R(th, f->code, CodeObj)->code;
    int line = frame_line(th, R(th, *pf, FrameObj));
    Value *pfile = ROOT(th, vm_str_cstr(th, c->filename));
    Value *pname = ROOT(th, vm_str_cstr(th, c->name));
    if (!*pfile || !*pname) goto done;
    Value entry = vm_tuple_pack(th, 3, *pfile, MK_SMALL(line), *pname);
    if (!entry) goto done;
    r = vm_list_append(th, *ptb, entry);
done:
    ROOTS_RESET(th, mark);
    if (r < 0) vm_exc_clear(th), *th->exc = *pe;
    return 0;
}

/* Source line `lineno` of the file, stripped, or NULL. */
static const char *source_line(const char *filename, int lineno, char *buf, size_t n);

/* ------------------------------------------------------------------------------------------ */
/* Unwinding helpers                                                                           */

static void set_context(Thread *th, Value exc) {
    Value handled = *th->handled;
    if (!handled || handled == exc || vm_tid(exc) != T_INSTANCE) return;
    Value *pe = ROOT(th, exc);
    Value key = vm_str_intern(th, "__context__");
    Value old;
    if (vm_dict_get_str(th, R(th, *pe, InstanceObj)->dict, key, &old) != 1 || old == vm.None)
        vm_dict_set(th, R(th, *pe, InstanceObj)->dict, key, *th->handled);
    UNROOT(th, 1);
}

static Value do_raise(Thread *th, Value exc, Value cause) {
    Value *pc = ROOT(th, cause);
    Value *pe = ROOT(th, exc);
    if (vm_tid(*pe) == T_TYPE) {
        if (!vm_is_subtype(th, *pe, vm.e_BaseException)) { UNROOT(th, 2); return vm_raise(th, vm.e_TypeError, "exceptions must derive from BaseException"); }
        *pe = vm_call0(th, *pe);
        if (!*pe) { UNROOT(th, 2); return NULL; }
    } else if (!vm_isinstance(th, *pe, vm.e_BaseException)) {
        UNROOT(th, 2);
        return vm_raise(th, vm.e_TypeError, "exceptions must derive from BaseException");
    }
    if (*pc) {
        if (vm_tid(*pc) == T_TYPE) { *pc = vm_call0(th, *pc); if (!*pc) { UNROOT(th, 2); return NULL; } }
        Value d = R(th, *pe, InstanceObj)->dict;
        vm_dict_set(th, d, vm_str_intern(th, "__cause__"), *pc == vm.None ? vm.None : *pc);
        vm_dict_set(th, R(th, *pe, InstanceObj)->dict, vm_str_intern(th, "__suppress_context__"), vm.True);
    }
    set_context(th, *pe);
    *th->exc = *pe;
    UNROOT(th, 2);
    return NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Calls from the loop                                                                         */

/* Move n values (and the callable) from the operand stack to root slots. */
static Value *args_to_roots(Thread *th, FrameObj *f, int n) {
    Value *a = th->t->roots_top;
    for (int i = 0; i < n; i++) stm_push_root(th->t, f->slots[f->sp - n + i]);
    return a;
}

static Value call_or_frame(Thread *th, Value func, Value args, Value kwargs, bool want_frame);

Value vm_call_kw(Thread *th, Value func, Value args, Value kwargs) { return call_or_frame(th, func, args, kwargs, false); }

/* A plain Python function (or a bound method of one) can run as a frame of the current loop. */
static bool frameable(Thread *th, Value f) {
    if (vm_tid(f) == T_METHOD) f = R(th, f, MethodObj)->func;
    return vm_tid(f) == T_FUNCTION && !(R(th, R(th, f, FuncObj)->code, CodeObj)->code->flags & CODE_GENERATOR);
}

/* func(*args, **kwargs): the result, or (want_frame) a new frame ready to run that call. */
static Value call_or_frame(Thread *th, Value func, Value args, Value kwargs, bool want_frame) {
    size_t mark = ROOTS_MARK(th);
    Value *pf = ROOT(th, func), *pk = ROOT(th, kwargs);
    Value *pargs = ROOT(th, vm_tid(args) == T_TUPLE ? args : vm_sequence_tuple(th, args));
    Value *pnames = ROOT(th, NULL);          /* keyword names, rooted for the whole call */
    Value r = NULL;
    if (!*pargs) goto done;
    int64_t nk = *pk ? vm_dict_len(th, *pk) : 0;
    if (nk) {
        *pnames = vm_tuple_new(th, nk);
        if (!*pnames) goto done;
        int64_t pos = 0, i = 0;
        Value k, v;
        while (vm_dict_next(th, *pk, &pos, &k, &v)) {
            if (vm_tid(k) != T_STR) { vm_raise(th, vm.e_TypeError, "keywords must be strings"); goto done; }
            W(th, *pnames, TupleObj)->items[i++] = k;
        }
    }
    int64_t n = TUP(th, *pargs)->n;
    Value *a = th->t->roots_top;
    for (int64_t i = 0; i < n; i++) ROOT(th, TUP(th, *pargs)->items[i]);
    if (nk) {
        int64_t pos = 0;
        Value k, v;
        while (vm_dict_next(th, *pk, &pos, &k, &v)) ROOT(th, v);
    }
    if (*pf == vm.build_class) {
        if (n < 2) { vm_raise(th, vm.e_TypeError, "__build_class__: not enough arguments"); goto done; }
        r = vm_build_class(th, a[0], a[1], a + 2, (int)n - 2, nk ? *pnames : NULL, a + n);
        goto done;
    }
    if (want_frame) {
        Value fn = *pf;
        if (vm_tid(fn) == T_METHOD) {        /* self goes in front of the arguments */
            int64_t total = n + nk;
            ROOT(th, NULL);                   /* one more slot, then shift: no allocation below */
            memmove(a + 1, a, (size_t)total * sizeof(Value));
            a[0] = R(th, fn, MethodObj)->self;
            fn = R(th, fn, MethodObj)->func;  /* vm_frame_for_call roots it first thing */
            r = vm_frame_for_call(th, fn, a, (int)n + 1, nk ? *pnames : NULL);
            goto done;
        }
        r = vm_frame_for_call(th, fn, a, (int)n, nk ? *pnames : NULL);
        goto done;
    }
    r = vm_call(th, *pf, a, (int)n, nk ? *pnames : NULL);
done:
    ROOTS_RESET(th, mark);
    return r;
}

/* CPython's name of a callable in call errors ("__main__.f()", "print()"; else str(func)).
   Returns a str or NULL with an exception set.  Cold: only builds error messages. */
static Value func_str(Thread *th, Value func) {
    if (vm_tid(func) == T_CFUNC) return vm_str_fmt(th, "%s()", ((const CFuncObj *)stm_payload(func))->name);
    size_t mark = ROOTS_MARK(th);
    Value *pf = ROOT(th, func);
    Value r = NULL;
    Value *pq = ROOT(th, vm_getattr_opt(th, *pf, vm_str_intern(th, "__qualname__")));
    if (*th->exc) goto done;
    if (!*pq || vm_tid(*pq) != T_STR) { r = vm_str(th, *pf); goto done; }
    Value *pm = ROOT(th, vm_getattr_opt(th, *pf, vm_str_intern(th, "__module__")));
    if (*th->exc) goto done;
    if (*pm && vm_tid(*pm) == T_STR && strcmp(STR(th, *pm)->data, "builtins") != 0)
        r = vm_str_fmt(th, "%s.%s()", STR(th, *pm)->data, STR(th, *pq)->data);
    else
        r = vm_str_fmt(th, "%s()", STR(th, *pq)->data);
done:
    ROOTS_RESET(th, mark);
    return r;
}

/* The TypeError of f(**m): `m` is not a mapping (key NULL) or repeats keyword `key`. */
static void call_kwargs_error(Thread *th, Value func, Value m, Value key) {
    size_t mark = ROOTS_MARK(th);
    Value *pm = ROOT(th, m), *pk = ROOT(th, key);
    Value fs = func_str(th, func);
    if (fs) {
        Value *pfs = ROOT(th, fs);
        if (!*pk) {
            vm_raise(th, vm.e_TypeError, "%s argument after ** must be a mapping, not %s", STR(th, *pfs)->data, vm_type_name(th, *pm));
        } else {
            Value ks = vm_str(th, *pk);
            if (ks) vm_raise(th, vm.e_TypeError, "%s got multiple values for keyword argument '%s'", STR(th, *pfs)->data, STR(th, ks)->data);
        }
    }
    ROOTS_RESET(th, mark);
}

/* ------------------------------------------------------------------------------------------ */
/* Names                                                                                       */

/* Raise NameError(fmt % name) from the frame *fs.  Like CPython, the exception keeps the name
   (e.name) and, for the "Did you mean" printed with it, the frame (VM_NAME_ERROR_FRAME). */
static Value name_error(Thread *th, Value *fs, Value name, const char *fmt) {
    size_t mark = ROOTS_MARK(th);
    Value *pn = ROOT(th, name);
    vm_raise(th, vm.e_NameError, fmt, STR(th, name)->data);
    Value *pe = ROOT(th, *th->exc);
    if (vm_tid(*pe) == T_INSTANCE) {
        Value *pk = ROOT(th, vm_str_intern(th, "name"));
        Value fk = *pk ? vm_str_intern(th, VM_NAME_ERROR_FRAME) : NULL;
        if (!fk || vm_dict_set(th, R(th, *pe, InstanceObj)->dict, *pk, *pn) < 0 ||
            vm_dict_set(th, R(th, *pe, InstanceObj)->dict, fk, *fs) < 0) {
            vm_exc_clear(th);            /* out of memory: the NameError without its context */
            *th->exc = *pe;
        }
    }
    ROOTS_RESET(th, mark);
    return NULL;
}

/* SETUP_ANNOTATIONS: an empty __annotations__ in the module or class namespace unless there is
   one (the namespace of exec() may be any mapping). */
static int setup_annotations(Thread *th, Value *fs) {
    size_t mark = ROOTS_MARK(th);
    const FrameObj *f = R(th, *fs, FrameObj);
    Value *pns = ROOT(th, f->locals ? f->locals : f->globals);
    Value *pk = ROOT(th, vm_str_intern(th, "__annotations__"));
    int r = -1;
    if (!*pk) goto done;
    if (vm_tid(*pns) == T_DICT) {
        Value old;
        int k = vm_dict_get_str(th, *pns, *pk, &old);
        if (k != 0) { r = k < 0 ? -1 : 0; goto done; }
    } else {
        if (vm_getitem(th, *pns, *pk)) { r = 0; goto done; }
        if (!vm_exc_matches(th, vm.e_KeyError)) goto done;
        vm_exc_clear(th);
    }
    Value d = vm_dict_new(th);
    if (!d) goto done;
    r = vm_tid(*pns) == T_DICT ? vm_dict_set(th, *pns, *pk, d) : vm_setitem(th, *pns, *pk, d);
done:
    ROOTS_RESET(th, mark);
    return r;
}

/* NULL without an exception if the name is neither global nor builtin (callers raise). */
static Value load_global(Thread *th, const FrameObj *f, Value name) {
    Value v;
    int r = vm_dict_get_str(th, f->globals, name, &v);
    if (r) return r < 0 ? NULL : v;
    r = vm_dict_get_str(th, vm.builtins, name, &v);
    return r > 0 ? v : NULL;
}

static Value load_name(Thread *th, Value *fs, Value name) {
    Value v;
    Value locals = R(th, *fs, FrameObj)->locals;
    if (locals) {
        if (vm_tid(locals) == T_DICT) {
            int r = vm_dict_get_str(th, locals, name, &v);
            if (r) return r < 0 ? NULL : v;
        } else {
            Value *pn = ROOT(th, name);
            v = vm_getitem(th, locals, name);
            name = *pn;
            UNROOT(th, 1);
            if (v) return v;
            if (!vm_exc_matches(th, vm.e_KeyError)) return NULL;
            vm_exc_clear(th);
        }
    }
    Value *pn = ROOT(th, name);
    v = load_global(th, R(th, *fs, FrameObj), name);
    if (!v && !*th->exc) name_error(th, fs, *pn, "name '%s' is not defined");
    UNROOT(th, 1);
    return v;
}

/* ------------------------------------------------------------------------------------------ */
/* Unpacking                                                                                   */

static int unpack(Thread *th, Value *fs, Value seq, int before, int after, bool star) {
    size_t mark = ROOTS_MARK(th);
    Value *ps = ROOT(th, seq);
    Value *items = th->t->roots_top;
    int64_t n = 0;
    if (vm_tid(seq) == T_TUPLE || vm_tid(seq) == T_LIST) {
        const Value *src;
        n = vm_tid(seq) == T_TUPLE ? TUP(th, seq)->n : R(th, seq, ListObj)->n;
        for (int64_t i = 0; i < n; i++) {
            src = vm_tid(*ps) == T_TUPLE ? TUP(th, *ps)->items : R(th, R(th, *ps, ListObj)->items, ArrayObj)->items;
            ROOT(th, src[i]);
        }
    } else {
        Value it = vm_iter(th, seq);
        if (!it) {
            if (vm_exc_matches(th, vm.e_TypeError) && !vm_lookup_special(th, *ps, "__iter__") && !vm_lookup_special(th, *ps, "__getitem__")) {
                vm_exc_clear(th);
                vm_raise(th, vm.e_TypeError, "cannot unpack non-iterable %s object", vm_type_name(th, *ps));
            }
            goto fail;
        }
        *ps = it;
        for (;;) {
            Value v = vm_next(th, *ps);
            if (!v) { if (*th->exc) goto fail; break; }
            ROOT(th, v);
            n++;
        }
    }
    if (!star) {
        if (n != before) {
            if (n < before) vm_raise(th, vm.e_ValueError, "not enough values to unpack (expected %d, got %d)", before, (int)n);
            else vm_raise(th, vm.e_ValueError, "too many values to unpack (expected %d)", before);
            goto fail;
        }
        FrameObj *f = W(th, *fs, FrameObj);
        for (int64_t i = n - 1; i >= 0; i--) PUSH(items[i]);
    } else {
        if (n < before + after) {
            vm_raise(th, vm.e_ValueError, "not enough values to unpack (expected at least %d, got %d)", before + after, (int)n);
            goto fail;
        }
        Value mid = vm_list_new(th, 0);
        if (!mid) goto fail;
        Value *pm = ROOT(th, mid);
        for (int64_t i = before; i < n - after; i++) if (vm_list_append(th, *pm, items[i]) < 0) goto fail;
        FrameObj *f = W(th, *fs, FrameObj);
        for (int64_t i = n - 1; i >= n - after; i--) PUSH(items[i]);
        PUSH(*pm);
        for (int64_t i = before - 1; i >= 0; i--) PUSH(items[i]);
    }
    ROOTS_RESET(th, mark);
    return 0;
fail:
    ROOTS_RESET(th, mark);
    return -1;
}

/* ------------------------------------------------------------------------------------------ */
/* Zero-argument super(): the running function's __class__ cell and first argument.           */

int vm_super_implicit(Thread *th, Value *type, Value *obj) {
    const FrameObj *f = R(th, *th->frame, FrameObj);
    const vm_code *c = R(th, f->code, CodeObj)->code;
    if (c->argcount < 1 && !(c->flags & CODE_VARARGS)) { vm_raise(th, vm.e_RuntimeError, "super(): no arguments"); return -1; }
    Value first = f->slots[0];
    if (c->cell2arg)
        for (int i = 0; i < c->ncellvars; i++)
            if (c->cell2arg[i] == 0) first = R(th, f->slots[c->nlocals + i], CellObj)->v;
    for (int i = 0; i < c->nfreevars; i++)
        if (!strcmp(c->freevars[i], "__class__")) {
            Value cell = f->slots[c->nlocals + c->ncellvars + i];
            Value t = cell ? R(th, cell, CellObj)->v : NULL;
            if (!t) { vm_raise(th, vm.e_RuntimeError, "super(): empty __class__ cell"); return -1; }
            *type = t;
            *obj = first;
            return 0;
        }
    vm_raise(th, vm.e_RuntimeError, "super(): __class__ cell not found");
    return -1;
}

/* ------------------------------------------------------------------------------------------ */
/* The loop                                                                                    */

static Value format_value(Thread *th, Value v, int flags, Value spec) {
    Value *ps = ROOT(th, spec);
    int conv = flags & 3;
    if (conv == 1) v = vm_str(th, v);
    else if (conv == 2) v = vm_repr(th, v);
    else if (conv == 3) v = vm_ascii(th, v);
    Value r = NULL;
    if (v) {
        if (!*ps && vm_tid(v) == T_STR && vm_type_of(th, v) == vm.t_str) r = v;
        else r = vm_format(th, v, *ps ? *ps : vm.empty_str);
    }
    UNROOT(th, 1);
    return r;
}

static Value build_string(Thread *th, FrameObj *f, int n) {
    size_t total = 0;
    for (int i = 0; i < n; i++) total += (size_t)STR(th, f->slots[f->sp - n + i])->len;
    char *buf = malloc(total + 1), *p = buf;
    if (!buf) return vm_no_memory(th);
    for (int i = 0; i < n; i++) {
        const StrObj *s = STR(th, f->slots[f->sp - n + i]);
        memcpy(p, s->data, (size_t)s->len);
        p += s->len;
    }
    Value r = vm_str_new(th, buf, total);
    free(buf);
    return r;
}

static Value import_name(Thread *th, const FrameObj *f, Value name, Value fromlist, Value level) {
    int64_t lv = IS_SMALL(level) ? SMALL_VAL(level) : 0;
    return vm_import(th, name, fromlist, (int)lv, f->globals);
}

static Value do_import_from(Thread *th, Value module, Value name) {
    Value *pm = ROOT(th, module), *pn = ROOT(th, name);
    Value v = vm_getattr_opt(th, *pm, *pn);
    if (!v && !*th->exc) {
        Value mn = vm_tid(*pm) == T_MODULE ? R(th, *pm, ModuleObj)->name : NULL;
        /* submodule? */
        if (mn) {
            Value full = vm_str_fmt(th, "%s.%s", STR(th, mn)->data, STR(th, *pn)->data);
            if (full) {
                Value m;
                if (vm_dict_get_str(th, vm.modules, full, &m) == 1) v = m;
            }
        }
        if (!v) vm_raise(th, vm.e_ImportError, "cannot import name '%s' from '%s'", STR(th, *pn)->data, mn ? STR(th, mn)->data : "?");
    }
    UNROOT(th, 2);
    return v;
}

static int import_star(Thread *th, const FrameObj *f, Value module) {
    Value *pm = ROOT(th, module);
    Value target = f->locals ? f->locals : f->globals;
    Value *pt = ROOT(th, target);
    Value d = R(th, *pm, ModuleObj)->dict;
    int64_t pos = 0;
    Value k, v;
    int r = 0;
    while (vm_dict_next(th, d, &pos, &k, &v)) {
        if (STR(th, k)->data[0] == '_') continue;
        if (vm_dict_set(th, *pt, k, v) < 0) { r = -1; break; }
        d = R(th, *pm, ModuleObj)->dict;
    }
    UNROOT(th, 2);
    return r;
}

/* Push an exception handler for the exception in *th->exc, or return false (frame done). */
static bool find_handler(Thread *th, Value *fs) {
    FrameObj *f;
    RELOAD();
    while (f->nblocks > 0) {
        Block b = f->blocks[--f->nblocks];
        if (b.type == BLOCK_EXCEPT_HANDLER) {
            *th->handled = b.saved;
            continue;
        }
        f->sp = b.level;
        Block h = {BLOCK_EXCEPT_HANDLER, 0, f->sp, *th->handled};
        f->blocks[f->nblocks++] = h;
        Value exc = *th->exc;
        *th->handled = exc;
        *th->exc = NULL;
        PUSH(exc);
        f->pc = b.handler;
        return true;
    }
    return false;
}

/* Leave a frame: restore the handled exception of any except block still open in it. */
static void frame_exit(Thread *th, Value *fs) {
    FrameObj *f;
    RELOAD();
    while (f->nblocks > 0) {
        Block b = f->blocks[--f->nblocks];
        if (b.type == BLOCK_EXCEPT_HANDLER) *th->handled = b.saved;
    }
}

static Value yield_from_step(Thread *th, Value iter, Value sent, bool *yielded) {
    if (vm_tid(iter) == T_GEN) return vm_gen_send(th, iter, sent, yielded);
    Value *pi = ROOT(th, iter);
    Value r;
    if (sent == vm.None) {
        r = vm_next(th, *pi);
        *yielded = r != NULL;
        if (!r && !*th->exc) r = vm.None;
    } else {
        r = vm_call_method(th, *pi, "send", &sent, 1);
        *yielded = r != NULL;
        if (!r && vm_exc_matches(th, vm.e_StopIteration)) {
            Value e = *th->exc;
            vm_exc_clear(th);
            *yielded = false;
            r = vm_getattr_cstr(th, e, "value");
        }
    }
    UNROOT(th, 1);
    return r;
}

Value vm_eval_frame(Thread *th, Value frame) {
    if (th->cdepth > th->recursion_limit + 50 || th->cdepth > 2500)
        return vm_raise(th, vm.e_RecursionError, "maximum recursion depth exceeded");
    th->cdepth++;
    th->eval_level++;
    th->depth++;
    if (th->depth > th->recursion_limit) {
        th->depth--; th->eval_level--; th->cdepth--;
        return vm_raise(th, vm.e_RecursionError, "maximum recursion depth exceeded");
    }
    Value *saved_frame = ROOT(th, *th->frame);
    Value *fs = ROOT(th, frame);
    *th->frame = frame;
    Value result = vm_eval_loop(th, fs);
    *th->frame = *saved_frame;
    UNROOT(th, 2);
    th->depth--;
    th->eval_level--;
    th->cdepth--;
    return result;
}

/* The loop proper.  *fs is the current frame (a root slot). */
Value vm_eval_loop(Thread *th, Value *fs) {
    FrameObj *f;
    Value v, w, r;
    RELOAD();
    if (f->flags & FRAME_THROW) {
        f->flags &= ~FRAME_THROW;
        goto error;
    }
    for (;;) {
        RELOAD();
        const vm_code *code = CODEOBJ(f)->code;
        int32_t pc = f->pc;
        uint32_t ins = code->code[pc];
        f->lasti = pc;
        f->pc = pc + 1;
        uint32_t arg = INSTR_ARG(ins);
#if VM_COMPUTED_GOTO
        /* Direct threading: one indirect jump per opcode, each with its own branch history.  The
           labels sit on the switch's cases, so both dispatch forms share one body. */
        static void *const dispatch[OP__COUNT] = {
#define X(name) &&L_##name,
            VM_OPCODES(X)
#undef X
        };
        if (INSTR_OP(ins) < OP__COUNT) goto *dispatch[INSTR_OP(ins)];
#endif
        switch ((enum vm_opcode)INSTR_OP(ins)) {
        CASE(NOP): break;
        CASE(POP_TOP): f->sp--; break;
        CASE(ROT_TWO): v = TOP(); SET_TOP(PEEK(2)); PEEK(2) = v; break;
        CASE(ROT_THREE): v = TOP(); SET_TOP(PEEK(2)); PEEK(2) = PEEK(3); PEEK(3) = v; break;
        CASE(ROT_FOUR): v = TOP(); SET_TOP(PEEK(2)); PEEK(2) = PEEK(3); PEEK(3) = PEEK(4); PEEK(4) = v; break;
        CASE(DUP_TOP): v = TOP(); PUSH(v); break;
        CASE(DUP_TOP_TWO): v = PEEK(2); w = TOP(); PUSH(v); PUSH(w); break;
        CASE(LOAD_CONST): PUSH(TUP(th, CODEOBJ(f)->consts)->items[arg]); break;
        CASE(LOAD_FAST):
            v = f->slots[arg];
            if (!v) { vm_raise(th, vm.e_UnboundLocalError, "cannot access local variable '%s' where it is not associated with a value", code->varnames[arg]); goto error; }
            PUSH(v);
            break;
        CASE(STORE_FAST): f->slots[arg] = POP(); break;
        CASE(DELETE_FAST):
            if (!f->slots[arg]) { vm_raise(th, vm.e_UnboundLocalError, "cannot access local variable '%s' where it is not associated with a value", code->varnames[arg]); goto error; }
            f->slots[arg] = NULL;
            break;
        CASE(LOAD_CLOSURE): PUSH(f->slots[code->nlocals + arg]); break;
        CASE(LOAD_DEREF): CASE(LOAD_CLASSDEREF): {
            if (INSTR_OP(ins) == OP_LOAD_CLASSDEREF && f->locals) {
                const char *nm = (int)arg < code->ncellvars ? code->cellvars[arg] : code->freevars[arg - (uint32_t)code->ncellvars];
                Value key = vm_str_cstr(th, nm);
                if (!key) goto error;
                RELOAD();
                int k = vm_dict_get_str(th, f->locals, key, &v);
                if (k < 0) goto error;
                RELOAD();
                if (k) { PUSH(v); break; }
            }
            Value cell = f->slots[code->nlocals + arg];
            v = cell ? R(th, cell, CellObj)->v : NULL;
            if (!v) {
                const char *nm = (int)arg < code->ncellvars ? code->cellvars[arg] : code->freevars[arg - (uint32_t)code->ncellvars];
                if ((int)arg < code->ncellvars) vm_raise(th, vm.e_UnboundLocalError, "cannot access local variable '%s' where it is not associated with a value", nm);
                else {
                    Value s = vm_str_cstr(th, nm);
                    if (s) name_error(th, fs, s, "cannot access free variable '%s' where it is not associated with a value in enclosing scope");
                }
                goto error;
            }
            PUSH(v);
            break;
        }
        CASE(STORE_DEREF): v = POP(); W(th, f->slots[code->nlocals + arg], CellObj)->v = v; break;
        CASE(DELETE_DEREF): W(th, f->slots[code->nlocals + arg], CellObj)->v = NULL; break;
        CASE(LOAD_GLOBAL):
            v = load_global(th, f, TUP(th, CODEOBJ(f)->names)->items[arg]);
            if (!v) {
                if (!*th->exc) { RELOAD(); name_error(th, fs, TUP(th, CODEOBJ(f)->names)->items[arg], "name '%s' is not defined"); }
                goto error;
            }
            RELOAD(); PUSH(v);
            break;
        CASE(STORE_GLOBAL):
            if (vm_dict_set(th, f->globals, TUP(th, CODEOBJ(f)->names)->items[arg], TOP()) < 0) goto error;
            RELOAD(); f->sp--;
            break;
        CASE(DELETE_GLOBAL): {
            Value name = TUP(th, CODEOBJ(f)->names)->items[arg];
            int k = vm_dict_del(th, f->globals, name);
            if (k < 0) goto error;
            if (!k) { name_error(th, fs, name, "name '%s' is not defined"); goto error; }
            break;
        }
        CASE(LOAD_NAME):
            v = load_name(th, fs, TUP(th, CODEOBJ(f)->names)->items[arg]);
            if (!v) goto error;
            RELOAD(); PUSH(v);
            break;
        CASE(STORE_NAME): {
            Value target = f->locals ? f->locals : f->globals;
            int k = vm_tid(target) == T_DICT ? vm_dict_set(th, target, TUP(th, CODEOBJ(f)->names)->items[arg], TOP())
                                            : vm_setitem(th, target, TUP(th, CODEOBJ(f)->names)->items[arg], TOP());
            if (k < 0) goto error;
            RELOAD(); f->sp--;
            break;
        }
        CASE(DELETE_NAME): {
            Value name = TUP(th, CODEOBJ(f)->names)->items[arg];
            int k = vm_dict_del(th, f->locals ? f->locals : f->globals, name);
            if (k < 0) goto error;
            if (!k) { name_error(th, fs, name, "name '%s' is not defined"); goto error; }
            break;
        }
        CASE(LOAD_ATTR):
            v = vm_getattr(th, TOP(), TUP(th, CODEOBJ(f)->names)->items[arg]);
            if (!v) goto error;
            RELOAD(); SET_TOP(v);
            break;
        CASE(STORE_ATTR):
            if (vm_setattr_user(th, TOP(), TUP(th, CODEOBJ(f)->names)->items[arg], PEEK(2)) < 0) goto error;
            RELOAD(); f->sp -= 2;
            break;
        CASE(DELETE_ATTR):
            if (vm_setattr_user(th, TOP(), TUP(th, CODEOBJ(f)->names)->items[arg], NULL) < 0) goto error;
            RELOAD(); f->sp--;
            break;
        CASE(LOAD_METHOD): {
            Value obj = TOP(), name = TUP(th, CODEOBJ(f)->names)->items[arg];
            Value type = vm_type_of(th, obj);
            uint16_t otid = vm_tid(obj);
            Value d = otid == T_TYPE || otid == T_MODULE || otid == T_SUPER ? NULL : vm_lookup_type(th, type, name);
            if (d && otid == T_INSTANCE) {      /* an instance attribute shadows the method */
                Value idict = R(th, obj, InstanceObj)->dict, tmp;
                if (idict && vm_tid(idict) != T_DICT) d = NULL;    /* transaction.local: slow path */
                else if (idict && vm_dict_get_str(th, idict, name, &tmp) != 0) d = NULL;
            }
            RELOAD();
            if (d && !IS_SMALL(d) && (d->tid == T_FUNCTION || (d->tid == T_CFUNC && (((const CFuncObj *)stm_payload(d))->flags & CF_METHOD)))) {
                SET_TOP(d);
                PUSH(obj);
                break;
            }
            v = vm_getattr(th, obj, name);
            if (!v) goto error;
            RELOAD();
            SET_TOP(NULL);
            PUSH(v);
            break;
        }
        CASE(CALL_METHOD): {
            int na = (int)arg;
            bool bound = PEEK(na + 2) != NULL;
            Value callee = bound ? PEEK(na + 2) : PEEK(na + 1);
            int total = bound ? na + 1 : na;
            size_t mark = ROOTS_MARK(th);
            Value *pc_ = ROOT(th, callee);
            Value *a = args_to_roots(th, f, total);
            if (!IS_SMALL(*pc_) && (*pc_)->tid == T_FUNCTION && !(R(th, R(th, *pc_, FuncObj)->code, CodeObj)->code->flags & CODE_GENERATOR)) {
                Value nf = vm_frame_for_call(th, *pc_, a, total, NULL);
                ROOTS_RESET(th, mark);
                if (!nf) goto error;
                RELOAD();
                f->sp -= na + 2;
                goto push_frame_nf;
            push_frame_nf:
                if (th->depth >= th->recursion_limit) { vm_raise(th, vm.e_RecursionError, "maximum recursion depth exceeded"); goto error; }
                W(th, nf, FrameObj)->back = *fs;
                *fs = nf;
                *th->frame = nf;
                th->depth++;
                break;
            }
            r = vm_call(th, *pc_, a, total, NULL);
            ROOTS_RESET(th, mark);
            if (!r) goto error;
            RELOAD();
            f->sp -= na + 2;
            PUSH(r);
            break;
        }
        CASE(CALL_FUNCTION): CASE(CALL_FUNCTION_KW): {
            bool kw = INSTR_OP(ins) == OP_CALL_FUNCTION_KW;
            int na = (int)arg;
            Value kwnames = kw ? TOP() : NULL;
            int nkw = kw ? (int)TUP(th, kwnames)->n : 0;
            int off = kw ? 1 : 0;
            Value callee = PEEK(na + 1 + off);
            size_t mark = ROOTS_MARK(th);
            Value *pc_ = ROOT(th, callee);
            Value *pkw = ROOT(th, kwnames);
            Value *a = th->t->roots_top;
            bool bound = !IS_SMALL(*pc_) && (*pc_)->tid == T_METHOD && frameable(th, *pc_);
            if (bound) stm_push_root(th->t, R(th, *pc_, MethodObj)->self);   /* obj.f(...): f(obj, ...) */
            for (int i = 0; i < na; i++) stm_push_root(th->t, f->slots[f->sp - off - na + i]);
            if (bound) *pc_ = R(th, *pc_, MethodObj)->func;
            if (!IS_SMALL(*pc_) && (*pc_)->tid == T_FUNCTION && !(R(th, R(th, *pc_, FuncObj)->code, CodeObj)->code->flags & CODE_GENERATOR)) {
                Value nf = vm_frame_for_call(th, *pc_, a, na - nkw + (bound ? 1 : 0), *pkw);
                ROOTS_RESET(th, mark);
                if (!nf) goto error;
                RELOAD();
                f->sp -= na + 1 + off;
                if (th->depth >= th->recursion_limit) { vm_raise(th, vm.e_RecursionError, "maximum recursion depth exceeded"); goto error; }
                W(th, nf, FrameObj)->back = *fs;
                *fs = nf;
                *th->frame = nf;
                th->depth++;
                break;
            }
            if (!IS_SMALL(*pc_) && *pc_ == vm.build_class) {
                /* __build_class__(func, name, *bases, **kw) */
                int npos = na - nkw;
                r = vm_build_class(th, a[0], a[1], a + 2, npos - 2, *pkw, a + npos);
            } else {
                r = vm_call(th, *pc_, a, na - nkw, *pkw);
            }
            ROOTS_RESET(th, mark);
            if (!r) goto error;
            RELOAD();
            f->sp -= na + 1 + off;
            PUSH(r);
            break;
        }
        CASE(CALL_FUNCTION_EX): {
            int npop = (arg & 1) ? 2 : 1;        /* popped after the call: it may be retried */
            Value kwargs = (arg & 1) ? TOP() : NULL;
            Value args = PEEK(npop);
            Value func = PEEK(npop + 1);
            if (kwargs && vm_tid(kwargs) != T_DICT) {
                Value *pf_ = ROOT(th, func), *pa_ = ROOT(th, args);
                Value d = vm_dict_new(th);
                Value *pd = ROOT(th, d);
                if (!d || vm_dict_update(th, *pd, kwargs) < 0) { UNROOT(th, 3); goto error; }
                kwargs = *pd; func = *pf_; args = *pa_;
                UNROOT(th, 3);
            }
            if (frameable(th, func)) {            /* run it in this loop: no C recursion */
                Value nf = call_or_frame(th, func, args, kwargs, true);
                if (!nf) goto error;
                RELOAD();
                f->sp -= npop + 1;
                if (th->depth >= th->recursion_limit) { vm_raise(th, vm.e_RecursionError, "maximum recursion depth exceeded"); goto error; }
                W(th, nf, FrameObj)->back = *fs;
                *fs = nf;
                *th->frame = nf;
                th->depth++;
                break;
            }
            r = vm_call_kw(th, func, args, kwargs);
            if (!r) goto error;
            RELOAD();
            f->sp -= npop;
            SET_TOP(r);
            break;
        }
        CASE(MAKE_FUNCTION): {
            Value qualname = POP();
            Value codev = POP();
            Value closure = (arg & 8) ? POP() : NULL;
            Value ann = (arg & 4) ? POP() : NULL;
            Value kwdefaults = (arg & 2) ? POP() : NULL;
            Value defaults = (arg & 1) ? POP() : NULL;
            size_t mark = ROOTS_MARK(th);
            Value *p_cl = ROOT(th, closure), *p_kd = ROOT(th, kwdefaults), *p_d = ROOT(th, defaults);
            Value *p_cv = ROOT(th, codev), *p_qn = ROOT(th, qualname), *p_an = ROOT(th, ann);
            if (*p_an) {            /* (name, value, ...) -> {name: value} */
                Value *p_ad = ROOT(th, vm_dict_new(th));
                if (!*p_ad) { ROOTS_RESET(th, mark); goto error; }
                for (int64_t i = 0; i + 1 < TUP(th, *p_an)->n; i += 2)
                    if (vm_dict_set(th, *p_ad, TUP(th, *p_an)->items[i], TUP(th, *p_an)->items[i + 1]) < 0) { ROOTS_RESET(th, mark); goto error; }
                *p_an = *p_ad;
            }
            RELOAD();
            v = vm_function_new(th, *p_cv, f->globals, *p_qn);
            if (!v) { ROOTS_RESET(th, mark); goto error; }
            FuncObj *fo = W(th, v, FuncObj);
            fo->closure = *p_cl;
            fo->kwdefaults = *p_kd;
            fo->defaults = *p_d;
            fo->annotations = *p_an;
            ROOTS_RESET(th, mark);
            RELOAD();
            PUSH(v);
            break;
        }
        CASE(RETURN_VALUE): {
            v = POP();
            frame_exit(th, fs);
            RELOAD();
            Value back = f->back;
            if (!back) { f->sp = 0; return v; }
            W(th, *fs, FrameObj)->back = NULL;
            *fs = back;
            *th->frame = back;
            th->depth--;
            RELOAD();
            uint32_t caller_ins = CODEOBJ(f)->code->code[f->lasti];
            if (INSTR_OP(caller_ins) == OP_SETUP_WITH) {       /* __enter__ returned */
                Block b = {BLOCK_WITH, (int32_t)INSTR_ARG(caller_ins), f->sp, NULL};
                f->blocks[f->nblocks++] = b;
            }
            PUSH(v);
            break;
        }
        CASE(BINARY_OP): {
            w = TOP(); v = PEEK(2);
            if (IS_SMALL(v) && IS_SMALL(w)) {
                int64_t a = SMALL_VAL(v), b = SMALL_VAL(w), c;
                int op = (int)(arg & ~(uint32_t)BINOP_INPLACE);
                if (op == BINOP_ADD && FITS_SMALL(c = a + b)) { f->sp--; SET_TOP(MK_SMALL(c)); break; }
                if (op == BINOP_SUB && FITS_SMALL(c = a - b)) { f->sp--; SET_TOP(MK_SMALL(c)); break; }
                if (op == BINOP_MUL && !__builtin_mul_overflow(a, b, &c) && FITS_SMALL(c)) { f->sp--; SET_TOP(MK_SMALL(c)); break; }
                if (op == BINOP_AND) { f->sp--; SET_TOP(MK_SMALL(a & b)); break; }
                if (op == BINOP_OR) { f->sp--; SET_TOP(MK_SMALL(a | b)); break; }
                if (op == BINOP_XOR) { f->sp--; SET_TOP(MK_SMALL(a ^ b)); break; }
            }
            if (!IS_SMALL(v) && !IS_SMALL(w) && v->tid == T_FLOAT && w->tid == T_FLOAT &&
                ((const ObjHead *)stm_read(th->t, v))->cls == vm.t_float && ((const ObjHead *)stm_read(th->t, w))->cls == vm.t_float) {
                double a = FLOAT_VAL(th, v), b = FLOAT_VAL(th, w), c;
                int op = (int)(arg & ~(uint32_t)BINOP_INPLACE);
                if (op == BINOP_ADD) c = a + b;
                else if (op == BINOP_SUB) c = a - b;
                else if (op == BINOP_MUL) c = a * b;
                else if (op == BINOP_TRUEDIV && b != 0.0) c = a / b;
                else goto binop_generic;
                r = vm_float_new(th, c);       /* a moving point: operands are not used after */
                if (!r) goto error;
                RELOAD(); f->sp--; SET_TOP(r);
                break;
            }
        binop_generic:
            r = vm_binop(th, (int)arg, v, w);
            if (!r) goto error;
            RELOAD(); f->sp--; SET_TOP(r);
            break;
        }
        CASE(UNARY_POSITIVE): CASE(UNARY_NEGATIVE): CASE(UNARY_INVERT):
            r = vm_unary(th, INSTR_OP(ins) == OP_UNARY_POSITIVE ? '+' : INSTR_OP(ins) == OP_UNARY_NEGATIVE ? '-' : '~', TOP());
            if (!r) goto error;
            RELOAD(); SET_TOP(r);
            break;
        CASE(UNARY_NOT): {
            int t = vm_truthy(th, TOP());
            if (t < 0) goto error;
            RELOAD(); SET_TOP(t ? vm.False : vm.True);
            break;
        }
        CASE(COMPARE_OP):
            v = PEEK(2); w = TOP();
            if (arg <= CMP_GE && !IS_SMALL(v) && !IS_SMALL(w) && v->tid == T_FLOAT && w->tid == T_FLOAT &&
                ((const ObjHead *)stm_read(th->t, v))->cls == vm.t_float && ((const ObjHead *)stm_read(th->t, w))->cls == vm.t_float) {
                double a = FLOAT_VAL(th, v), b = FLOAT_VAL(th, w);
                bool c = arg == CMP_LT ? a < b : arg == CMP_LE ? a <= b : arg == CMP_EQ ? a == b
                       : arg == CMP_NE ? a != b : arg == CMP_GT ? a > b : a >= b;
                f->sp--;
                SET_TOP(c ? vm.True : vm.False);
                break;
            }
            r = vm_compare(th, (int)arg, PEEK(2), TOP());
            if (!r) goto error;
            RELOAD(); f->sp--; SET_TOP(r);
            break;
        CASE(JUMP_IF_NOT_EXC_MATCH): {
            Value t = POP(), e = POP();
            bool match = false;
            if (vm_tid(t) == T_TUPLE) {
                const TupleObj *tt = TUP(th, t);
                for (int64_t i = 0; i < tt->n && !match; i++) match = vm_tid(tt->items[i]) == T_TYPE && vm_isinstance(th, e, tt->items[i]);
            } else if (vm_tid(t) == T_TYPE) {
                match = vm_isinstance(th, e, t);
            } else {
                vm_raise(th, vm.e_TypeError, "catching classes that do not inherit from BaseException is not allowed");
                goto error;
            }
            if (!match) f->pc = (int32_t)arg;
            break;
        }
        CASE(BINARY_SUBSCR):
            /* fast paths: exact list/tuple with a small-int index (no allocation, no call) */
            v = PEEK(2); w = TOP();
            if (IS_SMALL(w) && !IS_SMALL(v) && (v->tid == T_LIST || v->tid == T_TUPLE)) {
                Value cls = ((const ObjHead *)stm_read(th->t, v))->cls;
                int64_t i = SMALL_VAL(w);
                if (cls == vm.t_list) {
                    const ListObj *l = R(th, v, ListObj);
                    if (i < 0) i += l->n;
                    if (i >= 0 && i < l->n) { r = R(th, l->items, ArrayObj)->items[i]; f->sp--; SET_TOP(r); break; }
                } else if (cls == vm.t_tuple) {
                    const TupleObj *t = TUP(th, v);
                    if (i < 0) i += t->n;
                    if (i >= 0 && i < t->n) { r = t->items[i]; f->sp--; SET_TOP(r); break; }
                }
            }
            r = vm_getitem(th, PEEK(2), TOP());
            if (!r) goto error;
            RELOAD(); f->sp--; SET_TOP(r);
            break;
        CASE(STORE_SUBSCR):
            v = PEEK(2); w = TOP();
            if (IS_SMALL(w) && !IS_SMALL(v) && v->tid == T_LIST && ((const ObjHead *)stm_read(th->t, v))->cls == vm.t_list) {
                const ListObj *l = R(th, v, ListObj);
                int64_t i = SMALL_VAL(w);
                if (i < 0) i += l->n;
                if (i >= 0 && i < l->n) {
                    W(th, l->items, ArrayObj)->items[i] = PEEK(3);
                    f->sp -= 3;
                    break;
                }
            }
            if (vm_setitem(th, PEEK(2), TOP(), PEEK(3)) < 0) goto error;
            RELOAD(); f->sp -= 3;
            break;
        CASE(DELETE_SUBSCR):
            if (vm_setitem(th, PEEK(2), TOP(), NULL) < 0) goto error;
            RELOAD(); f->sp -= 2;
            break;
        CASE(BUILD_TUPLE):
            r = vm_tuple_from(th, args_to_roots(th, f, (int)arg), arg);
            UNROOT(th, (int)arg);
            if (!r) goto error;
            RELOAD(); f->sp -= (int32_t)arg; PUSH(r);
            break;
        CASE(BUILD_LIST): {
            Value *a = args_to_roots(th, f, (int)arg);
            r = vm_list_new(th, 0);
            Value *pr = ROOT(th, r);
            for (uint32_t i = 0; r && i < arg; i++) if (vm_list_append(th, *pr, a[i]) < 0) r = NULL;
            r = r ? *pr : NULL;
            UNROOT(th, (int)arg + 1);
            if (!r) goto error;
            RELOAD(); f->sp -= (int32_t)arg; PUSH(r);
            break;
        }
        CASE(BUILD_SET): {
            Value *a = args_to_roots(th, f, (int)arg);
            r = vm_set_new(th, vm.t_set);
            Value *pr = ROOT(th, r);
            for (uint32_t i = 0; r && i < arg; i++) if (vm_set_add(th, *pr, a[i]) < 0) r = NULL;
            r = r ? *pr : NULL;
            UNROOT(th, (int)arg + 1);
            if (!r) goto error;
            RELOAD(); f->sp -= (int32_t)arg; PUSH(r);
            break;
        }
        CASE(BUILD_MAP): {
            Value *a = args_to_roots(th, f, 2 * (int)arg);
            r = vm_dict_new(th);
            Value *pr = ROOT(th, r);
            for (uint32_t i = 0; r && i < arg; i++) if (vm_dict_set(th, *pr, a[2 * i], a[2 * i + 1]) < 0) r = NULL;
            r = r ? *pr : NULL;
            UNROOT(th, 2 * (int)arg + 1);
            if (!r) goto error;
            RELOAD(); f->sp -= 2 * (int32_t)arg; PUSH(r);
            break;
        }
        CASE(BUILD_CONST_KEY_MAP): {
            Value *a = args_to_roots(th, f, (int)arg + 1);
            r = vm_dict_new(th);
            Value *pr = ROOT(th, r);
            for (uint32_t i = 0; r && i < arg; i++) if (vm_dict_set(th, *pr, TUP(th, a[arg])->items[i], a[i]) < 0) r = NULL;
            r = r ? *pr : NULL;
            UNROOT(th, (int)arg + 2);
            if (!r) goto error;
            RELOAD(); f->sp -= (int32_t)arg + 1; PUSH(r);
            break;
        }
        CASE(BUILD_SLICE): {
            Value step = arg == 3 ? POP() : vm.None;
            w = POP(); v = TOP();
            r = vm_slice_new(th, v, w, step);
            if (!r) goto error;
            RELOAD(); SET_TOP(r);
            break;
        }
        CASE(BUILD_STRING):
            r = build_string(th, f, (int)arg);
            if (!r) goto error;
            RELOAD(); f->sp -= (int32_t)arg; PUSH(r);
            break;
        CASE(LIST_APPEND):
            v = POP();
            if (vm_list_append(th, PEEK(arg), v) < 0) goto error;
            break;
        CASE(SET_ADD):
            v = POP();
            if (vm_set_add(th, PEEK(arg), v) < 0) goto error;
            break;
        CASE(MAP_ADD):
            w = POP(); v = POP();
            if (vm_dict_set(th, PEEK(arg), v, w) < 0) goto error;
            break;
        CASE(LIST_EXTEND):
            v = POP();
            if (vm_list_extend(th, PEEK(arg), v) < 0) goto error;
            break;
        CASE(SET_UPDATE): {
            v = POP();
            Value target = PEEK(arg);
            size_t mark = ROOTS_MARK(th);
            Value *pt = ROOT(th, target);
            Value it = vm_iter(th, v);
            if (!it) { ROOTS_RESET(th, mark); goto error; }
            Value *pit = ROOT(th, it);
            for (;;) {
                Value x = vm_next(th, *pit);
                if (!x) break;
                if (vm_set_add(th, *pt, x) < 0) break;
            }
            ROOTS_RESET(th, mark);
            if (*th->exc) goto error;
            break;
        }
        CASE(DICT_UPDATE): CASE(DICT_MERGE): {
            v = POP();
            Value target = PEEK(arg);
            if (INSTR_OP(ins) == OP_DICT_MERGE && vm_tid(v) == T_DICT) {
                Value *pt = ROOT(th, target), *pv = ROOT(th, v);
                int64_t pos = 0;
                Value k, x;
                int bad = 0;
                while (vm_dict_next(th, *pv, &pos, &k, &x)) {
                    Value tmp, *pk = ROOT(th, k);          /* a key's __eq__ may allocate */
                    int c = vm_dict_get(th, *pt, k, &tmp);
                    if (c > 0) { RELOAD(); call_kwargs_error(th, PEEK(arg + 2), *pv, *pk); }
                    UNROOT(th, 1);
                    if (c) { bad = c > 0 ? 1 : -1; break; }
                }
                target = *pt; v = *pv;
                UNROOT(th, 2);
                if (bad) goto error;
            }
            if (vm_tid(v) != T_DICT && !vm_lookup_special(th, v, "keys")) {
                /* f(**x): the stack holds func, positional args, the dict being built */
                RELOAD();
                if (INSTR_OP(ins) == OP_DICT_MERGE) call_kwargs_error(th, PEEK(arg + 2), v, NULL);
                else vm_raise(th, vm.e_TypeError, "'%s' object is not a mapping", vm_type_name(th, v));
                goto error;
            }
            if (vm_dict_update(th, target, v) < 0) goto error;
            break;
        }
        CASE(LIST_TO_TUPLE):
            r = vm_sequence_tuple(th, TOP());
            if (!r) goto error;
            RELOAD(); SET_TOP(r);
            break;
        CASE(UNPACK_SEQUENCE):
            v = POP();
            if (unpack(th, fs, v, (int)arg, 0, false) < 0) goto error;
            break;
        CASE(UNPACK_EX):
            v = POP();
            if (unpack(th, fs, v, (int)(arg & 0xFF), (int)(arg >> 8), true) < 0) goto error;
            break;
        CASE(FORMAT_VALUE): {
            Value spec = (arg & 4) ? POP() : NULL;
            r = format_value(th, TOP(), (int)arg, spec);
            if (!r) goto error;
            RELOAD(); SET_TOP(r);
            break;
        }
        CASE(JUMP_FORWARD): f->pc = (int32_t)arg; break;
        CASE(JUMP_ABSOLUTE):
            f->pc = (int32_t)arg;
            if ((int32_t)arg <= pc) {
                if (th->eval_level == 1 && stm_should_break(th->t)) tx_break(th, fs);
                else stm_poll(th->t);
                if (atomic_load_explicit(&vm_interrupted, memory_order_relaxed) && vm_check_interrupt(th)) goto error;
            }
            break;
        CASE(POP_JUMP_IF_FALSE): CASE(POP_JUMP_IF_TRUE): {
            v = POP();
            int t = v == vm.True ? 1 : v == vm.False ? 0 : vm_truthy(th, v);
            if (t < 0) goto error;
            RELOAD();
            if (t == (INSTR_OP(ins) == OP_POP_JUMP_IF_TRUE)) f->pc = (int32_t)arg;
            break;
        }
        CASE(JUMP_IF_FALSE_OR_POP): CASE(JUMP_IF_TRUE_OR_POP): {
            v = TOP();
            int t = v == vm.True ? 1 : v == vm.False ? 0 : vm_truthy(th, v);
            if (t < 0) goto error;
            RELOAD();
            if (t == (INSTR_OP(ins) == OP_JUMP_IF_TRUE_OR_POP)) f->pc = (int32_t)arg;
            else f->sp--;
            break;
        }
        CASE(GET_ITER): CASE(GET_YIELD_FROM_ITER):
            if (INSTR_OP(ins) == OP_GET_YIELD_FROM_ITER && vm_tid(TOP()) == T_GEN) break;
            r = vm_iter(th, TOP());
            if (!r) goto error;
            RELOAD(); SET_TOP(r);
            break;
        CASE(FOR_ITER):
            r = vm_next(th, TOP());
            RELOAD();
            if (r) { PUSH(r); break; }
            if (*th->exc) goto error;
            f->sp--;
            f->pc = (int32_t)arg;
            break;
        CASE(SETUP_FINALLY): {
            if (f->nblocks >= MAX_BLOCKS) { vm_raise(th, vm.e_SyntaxError, "too many statically nested blocks"); goto error; }
            Block b = {BLOCK_FINALLY, (int32_t)arg, f->sp, NULL};
            f->blocks[f->nblocks++] = b;
            break;
        }
        CASE(SETUP_WITH): {
            Value mgr = TOP();
            size_t mark = ROOTS_MARK(th);
            Value *pm = ROOT(th, mgr);
            Value enter = vm_lookup_special(th, mgr, "__enter__");
            Value exitf = enter ? vm_lookup_special(th, *pm, "__exit__") : NULL;
            if (!enter || !exitf) {
                vm_raise(th, vm.e_TypeError, "'%s' object does not support the context manager protocol", vm_type_name(th, *pm));
                ROOTS_RESET(th, mark);
                goto error;
            }
            Value *pe = ROOT(th, enter);
            Value bound_exit = vm_method_new(th, exitf, *pm);
            if (!bound_exit) { ROOTS_RESET(th, mark); goto error; }
            Value *pbe = ROOT(th, bound_exit);
            if (vm_tid(*pe) == T_FUNCTION && !(R(th, R(th, *pe, FuncObj)->code, CodeObj)->code->flags & CODE_GENERATOR)) {
                /* A Python __enter__ runs as an ordinary frame of this loop (no C recursion, so
                   it may block and be retried like any call); RETURN_VALUE into a SETUP_WITH
                   pushes the with-block, then the result. */
                Value nf = vm_frame_for_call(th, *pe, pm, 1, NULL);
                if (!nf) { ROOTS_RESET(th, mark); goto error; }
                RELOAD();
                SET_TOP(*pbe);
                ROOTS_RESET(th, mark);
                if (th->depth >= th->recursion_limit) { vm_raise(th, vm.e_RecursionError, "maximum recursion depth exceeded"); goto error; }
                W(th, nf, FrameObj)->back = *fs;
                *fs = nf;
                *th->frame = nf;
                th->depth++;
                break;
            }
            r = vm_call1(th, *pe, *pm);
            if (!r) { ROOTS_RESET(th, mark); goto error; }
            RELOAD();
            SET_TOP(*pbe);
            ROOTS_RESET(th, mark);
            Block b = {BLOCK_WITH, (int32_t)arg, f->sp, NULL};
            f->blocks[f->nblocks++] = b;
            PUSH(r);
            break;
        }
        CASE(WITH_EXCEPT_START): {
            Value exc = TOP();
            Value exitf = PEEK(2);
            size_t mark = ROOTS_MARK(th);
            Value *a = th->t->roots_top;
            ROOT(th, vm_type_of(th, exc));
            ROOT(th, exc);
            Value tb;
            if (vm_dict_get_str(th, R(th, exc, InstanceObj)->dict, vm_str_intern(th, "__traceback__"), &tb) != 1) tb = vm.None;
            ROOT(th, tb);
            r = vm_call(th, exitf, a, 3, NULL);
            ROOTS_RESET(th, mark);
            if (!r) goto error;
            RELOAD(); PUSH(r);
            break;
        }
        CASE(POP_BLOCK): f->nblocks--; break;
        CASE(POP_EXCEPT): {
            while (f->nblocks > 0) {
                Block b = f->blocks[--f->nblocks];
                if (b.type == BLOCK_EXCEPT_HANDLER) { *th->handled = b.saved; break; }
            }
            break;
        }
        CASE(RERAISE):
            v = POP();
            *th->exc = v;
            goto error_no_tb;
        CASE(RAISE_VARARGS): {
            Value cause = arg == 2 ? POP() : NULL;
            Value exc = arg >= 1 ? POP() : NULL;
            if (!exc) {
                if (!*th->handled) { vm_raise(th, vm.e_RuntimeError, "No active exception to reraise"); goto error; }
                *th->exc = *th->handled;
                goto error;
            }
            do_raise(th, exc, cause ? cause : NULL);
            goto error;
        }
        CASE(LOAD_ASSERTION_ERROR): PUSH(vm.e_AssertionError); break;
        CASE(LOAD_BUILD_CLASS): PUSH(vm.build_class); break;
        CASE(IMPORT_NAME): {
            Value fromlist = POP();
            Value level = TOP();
            r = import_name(th, f, TUP(th, CODEOBJ(f)->names)->items[arg], fromlist, level);
            if (!r) goto error;
            RELOAD(); SET_TOP(r);
            break;
        }
        CASE(IMPORT_FROM):
            r = do_import_from(th, TOP(), TUP(th, CODEOBJ(f)->names)->items[arg]);
            if (!r) goto error;
            RELOAD(); PUSH(r);
            break;
        CASE(IMPORT_STAR):
            v = POP();
            if (import_star(th, f, v) < 0) goto error;
            break;
        CASE(SETUP_ANNOTATIONS):
            if (setup_annotations(th, fs) < 0) goto error;
            RELOAD();
            break;
        CASE(GEN_START): f->sp--; break;
        CASE(YIELD_VALUE):
            v = POP();
            f->flags |= FRAME_YIELDED;
            return v;
        CASE(YIELD_FROM): {
            Value sent = POP();
            Value iter = TOP();
            bool yielded = false;
            r = yield_from_step(th, iter, sent, &yielded);
            if (!r) goto error;
            RELOAD();
            if (yielded) {
                f->pc = pc;           /* run YIELD_FROM again when resumed */
                f->flags |= FRAME_YIELDED;
                return r;
            }
            SET_TOP(r);
            break;
        }
        CASE(PRINT_EXPR): {
            v = POP();
            if (v != vm.None) {
                Value s = vm_repr(th, v);
                if (!s) goto error;
                vm_write_stdout(th, STR(th, s)->data, (size_t)STR(th, s)->len);
                vm_write_stdout(th, "\n", 1);
            }
            break;
        }
        default:
            vm_raise(th, vm.e_RuntimeError, "unknown opcode %u", INSTR_OP(ins));
            goto error;
        }
        continue;
    error:
        if (*th->exc == vm.block_retry) {
            /* A call must block (e.g. a lock held by another thread): rewind to the call,
               commit, wait outside any transaction, and run the call again in a new one. */
            RELOAD();
            f->pc = f->lasti;
            *th->exc = NULL;
            vm_commit(th);
            vm_blocked_wait(th);
            _stm_start(th->t);
            vm_tx_started(th);
            *th->restart_frame = *fs;
            *th->restart_handled = *th->handled;
            th->restart_depth = th->depth;
            if (vm_check_interrupt(th)) goto error;     /* Ctrl-C during the wait */
            continue;
        }
        /* An exception raised while another is being handled gets it as __context__ (CPython
           sets it at raise time; a `raise` statement already did, set_context keeps that). */
        if (*th->handled && *th->exc) set_context(th, *th->exc);
        vm_traceback_add(th, *fs);
    error_no_tb:
        if (find_handler(th, fs)) continue;
        frame_exit(th, fs);
        RELOAD();
        {
            Value back = f->back;
            if (!back) return NULL;
            W(th, *fs, FrameObj)->back = NULL;
            *fs = back;
            *th->frame = back;
            th->depth--;
        }
        goto error;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Generators                                                                                  */

static size_t size_gen(const void *p) { return sizeof(GenObj); }
static void trace_gen(void *p, void (*visit)(stm_obj **, void *), void *ctx) {
    GenObj *g = p;
    visit(&g->frame, ctx); visit(&g->name, ctx); visit(&g->qualname, ctx);
}

Value vm_gen_new(Thread *th, Value frame) {
    Value *pf = ROOT(th, frame);
    Value g = vm_alloc(th, T_GEN, sizeof(GenObj), 0, vm.t_generator);
    if (g) {
        Value fn = R(th, *pf, FrameObj)->func;
        GenObj *gp = W(th, g, GenObj);
        gp->frame = *pf;
        gp->state = GEN_CREATED;
        if (fn) { gp->name = R(th, fn, FuncObj)->name; gp->qualname = R(th, fn, FuncObj)->qualname; }
        W(th, *pf, FrameObj)->gen = g;
    }
    UNROOT(th, 1);
    return g;
}

/* Resume: returns the yielded value (*yielded = true), the return value (*yielded = false), or
   NULL with an exception. */
static Value gen_resume(Thread *th, Value gen, Value sent, Value exc, bool *yielded) {
    Value *pg = ROOT(th, gen);
    const GenObj *g = R(th, gen, GenObj);
    *yielded = false;
    if (g->state == GEN_RUNNING) { UNROOT(th, 1); return vm_raise(th, vm.e_ValueError, "generator already executing"); }
    if (g->state == GEN_DONE) {
        UNROOT(th, 1);
        if (exc) { *th->exc = exc; return NULL; }
        return vm_raise_value(th, vm.e_StopIteration, NULL);
    }
    if (g->state == GEN_CREATED && sent != vm.None && !exc) {
        UNROOT(th, 1);
        return vm_raise(th, vm.e_TypeError, "can't send non-None value to a just-started generator");
    }
    Value frame = g->frame;
    FrameObj *fp = W(th, frame, FrameObj);
    fp->flags &= ~FRAME_YIELDED;
    fp->slots[fp->sp++] = sent;
    if (exc) {
        fp->sp--;
        if (R(th, *pg, GenObj)->state == GEN_CREATED) {
            W(th, *pg, GenObj)->state = GEN_DONE;
            UNROOT(th, 1);
            *th->exc = exc;
            return NULL;
        }
        fp->flags |= FRAME_THROW;
        *th->exc = exc;
    }
    W(th, *pg, GenObj)->state = GEN_RUNNING;
    Value *saved_handled = ROOT(th, *th->handled);
    Value r = vm_eval_frame(th, R(th, *pg, GenObj)->frame);
    *th->handled = *saved_handled;
    UNROOT(th, 1);
    const FrameObj *ff = R(th, R(th, *pg, GenObj)->frame, FrameObj);
    if (r && (ff->flags & FRAME_YIELDED)) {
        W(th, *pg, GenObj)->state = GEN_SUSPENDED;
        *yielded = true;
    } else {
        W(th, *pg, GenObj)->state = GEN_DONE;
        if (!r && vm_exc_matches(th, vm.e_StopIteration)) {
            Value *pe = ROOT(th, *th->exc);
            vm_exc_clear(th);
            Value re = vm_raise(th, vm.e_RuntimeError, "generator raised StopIteration");
            (void)re;
            Value d = R(th, *th->exc, InstanceObj)->dict;
            vm_dict_set(th, d, vm_str_intern(th, "__cause__"), *pe);
            UNROOT(th, 1);
        }
    }
    UNROOT(th, 1);
    return r;
}

Value vm_gen_send(Thread *th, Value gen, Value v, bool *yielded) { return gen_resume(th, gen, v, NULL, yielded); }

Value vm_gen_throw(Thread *th, Value gen, Value exc) {
    bool y;
    Value r = gen_resume(th, gen, vm.None, exc, &y);
    if (r && !y) return vm_raise_value(th, vm.e_StopIteration, r);
    return r;
}

static Value gen_next(Thread *th, Value *args, int nargs, Value kwnames) {
    bool y;
    Value r = vm_gen_send(th, args[0], vm.None, &y);
    if (r && !y) return vm_raise_value(th, vm.e_StopIteration, r == vm.None ? NULL : r);
    return r;
}
static Value gen_send(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "send", nargs, kwnames, 2, 2) < 0) return NULL;
    bool y;
    Value r = vm_gen_send(th, args[0], args[1], &y);
    if (r && !y) return vm_raise_value(th, vm.e_StopIteration, r == vm.None ? NULL : r);
    return r;
}
static Value gen_throw(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "throw", nargs, kwnames, 2, 4) < 0) return NULL;
    Value e = args[1];
    if (vm_tid(e) == T_TYPE) {
        e = nargs > 2 && args[2] != vm.None ? vm_call1(th, e, args[2]) : vm_call0(th, e);
        if (!e) return NULL;
    }
    return vm_gen_throw(th, args[0], e);
}
static Value gen_close(Thread *th, Value *args, int nargs, Value kwnames) {
    if (R(th, args[0], GenObj)->state != GEN_SUSPENDED) {
        W(th, args[0], GenObj)->state = GEN_DONE;
        return vm.None;
    }
    Value e = vm_call0(th, vm.e_GeneratorExit);
    if (!e) return NULL;
    bool y;
    Value r = gen_resume(th, args[0], vm.None, e, &y);
    if (r && y) return vm_raise(th, vm.e_RuntimeError, "generator ignored GeneratorExit");
    if (!r && (vm_exc_matches(th, vm.e_GeneratorExit) || vm_exc_matches(th, vm.e_StopIteration))) { vm_exc_clear(th); return vm.None; }
    return r ? vm.None : NULL;
}
static Value gen_iter(Thread *th, Value *args, int nargs, Value kwnames) { return args[0]; }
static Value gen_repr(Thread *th, Value *args, int nargs, Value kwnames) {
    Value qn = R(th, args[0], GenObj)->qualname;
    return vm_str_fmt(th, "<generator object %s at %p>", qn ? STR(th, qn)->data : "?", (void *)args[0]);
}

static const vm_method gen_methods[] = {
    {"__next__", gen_next, CF_METHOD}, {"send", gen_send, CF_METHOD}, {"throw", gen_throw, CF_METHOD},
    {"close", gen_close, CF_METHOD}, {"__iter__", gen_iter, CF_METHOD}, {"__repr__", gen_repr, CF_METHOD},
    {NULL, NULL, 0}};

void obj_gen_init(Thread *th) {
    vm_tidinfo[T_GEN] = (vm_typeinfo){size_gen, trace_gen};
    vm_add_methods(th, vm.t_generator, gen_methods);
}

/* ------------------------------------------------------------------------------------------ */
/* Printing exceptions                                                                         */

static const char *source_line(const char *filename, int lineno, char *buf, size_t n) {
    FILE *fp = fopen(filename, "r");
    if (!fp) return NULL;
    int l = 1;
    const char *r = NULL;
    while (fgets(buf, (int)n, fp)) {
        if (l == lineno) { r = buf; break; }
        if (strchr(buf, '\n')) l++;
    }
    fclose(fp);
    if (!r) return NULL;
    while (*r == ' ' || *r == '\t' || *r == '\f') r++;
    size_t len = strlen(r);
    while (len && (r[len - 1] == '\n' || r[len - 1] == '\r' || r[len - 1] == ' ')) ((char *)r)[--len] = 0;
    return r;
}

/* The notes of BaseException.add_note, one per line after the message, as CPython 3.11: a
   str note as is, another note through str(), a __notes__ that is not a sequence by its repr. */
static void print_notes(Thread *th, Value exc) {
    Value notes;
    if (vm_tid(exc) != T_INSTANCE) return;
    Value key = vm_str_intern(th, "__notes__");
    if (!key || vm_dict_get_str(th, R(th, exc, InstanceObj)->dict, key, &notes) != 1) { vm_exc_clear(th); return; }
    Value *pn = ROOT(th, notes);
    if (vm_tid(notes) != T_LIST && vm_tid(notes) != T_TUPLE) {
        Value r = vm_repr(th, *pn);
        if (r) fprintf(stderr, "%s\n", STR(th, r)->data);
        else { vm_exc_clear(th); fputs("<__notes__ repr() failed>\n", stderr); }
        UNROOT(th, 1);
        return;
    }
    for (int64_t i = 0;; i++) {
        bool list = vm_tid(*pn) == T_LIST;
        if (i >= (list ? vm_list_len(th, *pn) : TUP(th, *pn)->n)) break;
        Value note = list ? vm_list_get(th, *pn, i) : TUP(th, *pn)->items[i];
        Value s = vm_tid(note) == T_STR ? note : vm_str(th, note);
        if (s) fprintf(stderr, "%s\n", STR(th, s)->data);
        else { vm_exc_clear(th); fputs("<note str() failed>\n", stderr); }
    }
    UNROOT(th, 1);
}

static void print_one(Thread *th, Value exc) {
    Value *pe = ROOT(th, exc);
    Value tb;
    if (vm_tid(*pe) == T_INSTANCE && vm_dict_get_str(th, R(th, *pe, InstanceObj)->dict, vm_str_intern(th, "__traceback__"), &tb) == 1 && vm_tid(tb) == T_LIST) {
        Value *ptb = ROOT(th, tb);
        fputs("Traceback (most recent call last):\n", stderr);
        for (int64_t i = vm_list_len(th, *ptb) - 1; i >= 0; i--) {
            const TupleObj *e = TUP(th, vm_list_get(th, *ptb, i));
            const char *file = STR(th, e->items[0])->data;
            int line = (int)SMALL_VAL(e->items[1]);
            fprintf(stderr, "  File \"%s\", line %d, in %s\n", file, line, STR(th, e->items[2])->data);
            char buf[4096];
            const char *src = source_line(file, line, buf, sizeof buf);
            if (src && *src) fprintf(stderr, "    %s\n", src);
        }
        UNROOT(th, 1);
    }
    const char *tname = vm_type_name(th, *pe);
    Value mod = R(th, vm_type_of(th, *pe), TypeObj)->module;
    char prefix[256] = "";
    if (mod && vm_tid(mod) == T_STR && strcmp(STR(th, mod)->data, "builtins") != 0 && strcmp(STR(th, mod)->data, "__main__") != 0)
        snprintf(prefix, sizeof prefix, "%s.", STR(th, mod)->data);
    Value s = vm_str(th, *pe);
    if (!s) { vm_exc_clear(th); fprintf(stderr, "%s%s: <exception str() failed>\n", prefix, tname); UNROOT(th, 1); return; }
    Value *ps = ROOT(th, s);
    char hint[64 + 8];        /* suggestions are at most 40 bytes long (CPython's limit) */
    bool hinted = vm_exc_suggestion(th, *pe, hint, sizeof hint);
    s = *ps;
    UNROOT(th, 1);
    tname = vm_type_name(th, *pe);
    if (STR(th, s)->len) fprintf(stderr, "%s%s: %s", prefix, tname, STR(th, s)->data);
    else fprintf(stderr, "%s%s", prefix, tname);
    if (hinted) fprintf(stderr, ". Did you mean: '%s'?", hint);
    fputc('\n', stderr);
    print_notes(th, *pe);
    UNROOT(th, 1);
}

static void print_chain(Thread *th, Value exc, int depth) {
    if (depth > 20 || vm_tid(exc) != T_INSTANCE) return;
    Value *pe = ROOT(th, exc);
    Value cause = NULL, ctx = NULL, sup = NULL;
    Value d = R(th, *pe, InstanceObj)->dict;
    if (vm_dict_get_str(th, d, vm_str_intern(th, "__cause__"), &cause) != 1 || cause == vm.None) cause = NULL;
    d = R(th, *pe, InstanceObj)->dict;
    if (vm_dict_get_str(th, d, vm_str_intern(th, "__suppress_context__"), &sup) != 1) sup = NULL;
    d = R(th, *pe, InstanceObj)->dict;
    if (vm_dict_get_str(th, d, vm_str_intern(th, "__context__"), &ctx) != 1 || ctx == vm.None) ctx = NULL;
    if (cause) {
        print_chain(th, cause, depth + 1);
        fputs("\nThe above exception was the direct cause of the following exception:\n\n", stderr);
    } else if (ctx && sup != vm.True) {
        print_chain(th, ctx, depth + 1);
        fputs("\nDuring handling of the above exception, another exception occurred:\n\n", stderr);
    }
    print_one(th, *pe);
    UNROOT(th, 1);
}

void vm_print_exception(Thread *th, Value exc) {
    vm_io_irrevocable(th);       /* tracebacks go straight to stderr, in order with stdout */
    fflush(stdout);
    print_chain(th, exc, 0);
    fflush(stderr);
}

/* ------------------------------------------------------------------------------------------ */
/* The outermost driver: runs module code in transactions, restarting after aborts.           */

/* Run `frame` to completion in transactions: commit what came before, then loop — a restart
   after an abort resumes from the frame chain as of the last transaction start (the STM rolled
   it back).  `finish` runs in the last transaction with the result (NULL: exception pending)
   and gives the status to return; the last transaction is committed here, where the restart
   point is still live (a commit may abort).  Call inside a transaction; returns outside one. */
int vm_drive(Thread *th, Value frame, int (*finish)(Thread *th, Value result)) {
    volatile size_t base;
    *th->restart_frame = frame;
    *th->restart_handled = NULL;
    th->restart_depth = 1;
    base = ROOTS_MARK(th);
    vm_commit(th);
    /* STM_START, with one addition: after an abort, drop the root slots of the discarded C
       activations before the transaction starts (so its restart height is the driver's). */
    setjmp(th->t->jmpbuf);          /* after an abort, vm_tx_aborted has run (abort hook) */
    th->t->roots_top = th->t->roots_base + base;
    _stm_start(th->t);
    vm_tx_started(th);
    /* (re)started: every C-level variable is reloaded from memory */
    th->depth = th->restart_depth - 1;
    th->cdepth = 0;
    th->eval_level = 0;
    *th->exc = NULL;
    *th->handled = *th->restart_handled;
    Value r = vm_eval_frame(th, *th->restart_frame);
    int status = finish ? finish(th, r) : (r ? 0 : -1);
    vm_commit(th);
    return status;
}

Value vm_run_module_code(Thread *th, Value code, Value globals) {
    Value frame = vm_frame_new(th, code, globals, globals, NULL);
    if (!frame) return NULL;
    return vm_eval_frame(th, frame);
}
