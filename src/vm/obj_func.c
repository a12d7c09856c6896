/* obj_func.c — code values, functions, bound methods, cells, frames and argument binding. */
#include "internal.h"

#include <string.h>

/* ------------------------------------------------------------------------------------------ */
/* Code values: constants and names become heap values once, when the code is loaded.         */

static Value const_value(Thread *th, const vm_const *c);

static Value const_tuple(Thread *th, const vm_const *items, size_t n) {
    Value t = vm_tuple_new(th, (int64_t)n);
    if (!t) return NULL;
    Value *pt = ROOT(th, t);
    for (size_t i = 0; i < n; i++) {
        Value v = const_value(th, &items[i]);
        if (!v) { UNROOT(th, 1); return NULL; }
        W(th, *pt, TupleObj)->items[i] = v;
    }
    t = *pt;
    UNROOT(th, 1);
    return t;
}

static Value const_value(Thread *th, const vm_const *c) {
    switch (c->kind) {
    case CONST_NONE: return vm.None;
    case CONST_TRUE: return vm.True;
    case CONST_FALSE: return vm.False;
    case CONST_ELLIPSIS: return vm.Ellipsis;
    case CONST_INT: return vm_int_from_str(th, c->text, strlen(c->text), 10);
    case CONST_FLOAT: return vm_float_new(th, c->f);
    case CONST_COMPLEX: return vm_raise(th, vm.e_ValueError, "complex numbers are not supported");
    case CONST_STR: return vm_str_new(th, c->text, c->len);
    case CONST_BYTES: return vm_bytes_new(th, c->text, c->len);
    case CONST_CODE: return vm_code_value(th, c->code);
    case CONST_TUPLE: return const_tuple(th, c->items, c->n);
    default: return vm_raise(th, vm.e_RuntimeError, "bad constant");
    }
}

Value vm_code_value(Thread *th, const vm_code *code) {
    size_t mark = ROOTS_MARK(th);
    Value r = NULL;
    Value consts = vm_tuple_new(th, code->nconsts);
    if (!consts) goto done;
    Value *pc = ROOT(th, consts);
    for (int i = 0; i < code->nconsts; i++) {
        Value v = const_value(th, &code->consts[i]);
        if (!v) goto done;
        W(th, *pc, TupleObj)->items[i] = v;
    }
    Value names = vm_tuple_new(th, code->nnames);
    if (!names) goto done;
    Value *pn = ROOT(th, names);
    for (int i = 0; i < code->nnames; i++) {
        Value v = vm_str_cstr(th, code->names[i]);
        if (!v) goto done;
        W(th, *pn, TupleObj)->items[i] = v;
    }
    Value cv = vm_alloc(th, T_CODE, sizeof(CodeObj), STM_IMMUTABLE, vm.t_code);
    if (!cv) goto done;
    CodeObj *p = stm_payload(cv);
    p->code = code;
    p->consts = *pc;
    p->names = *pn;
    r = cv;
done:
    ROOTS_RESET(th, mark);
    return r;
}

static size_t size_code(const void *p) { return sizeof(CodeObj); }
static void trace_code(void *p, void (*visit)(stm_obj **, void *), void *ctx) {
    visit(&((CodeObj *)p)->consts, ctx);
    visit(&((CodeObj *)p)->names, ctx);
}

/* ------------------------------------------------------------------------------------------ */
/* Functions, methods, cells                                                                   */

Value vm_function_new(Thread *th, Value code, Value globals, Value qualname) {
    size_t mark = ROOTS_MARK(th);
    Value *pc = ROOT(th, code), *pg = ROOT(th, globals), *pq = ROOT(th, qualname);
    Value r = NULL;
    Value name = vm_str_cstr(th, R(th, code, CodeObj)->code->name);
    if (!name) goto done;
    Value *pn = ROOT(th, name);
    Value f = vm_alloc(th, T_FUNCTION, sizeof(FuncObj), 0, vm.t_function);
    if (!f) goto done;
    Value *pfn = ROOT(th, f);
    FuncObj *fp = W(th, f, FuncObj);
    fp->code = *pc;
    fp->globals = *pg;
    fp->name = *pn;
    fp->qualname = *pq;
    Value mod, key = vm_str_intern(th, "__name__");
    if (key && vm_dict_get_str(th, *pg, key, &mod) == 1) W(th, *pfn, FuncObj)->module = mod;
    /* docstring: consts[0] of a function is its docstring or None (compiler convention) */
    const vm_code *c = R(th, *pc, CodeObj)->code;
    if (c->nconsts > 0 && c->consts[0].kind == CONST_STR && !(c->flags & (CODE_MODULE | CODE_CLASS)) && strcmp(c->name, "<lambda>") != 0)
        W(th, *pfn, FuncObj)->doc = TUP(th, R(th, *pc, CodeObj)->consts)->items[0];
    r = *pfn;
done:
    ROOTS_RESET(th, mark);
    return r;
}

Value vm_method_new(Thread *th, Value func, Value self) {
    Value *pf = ROOT(th, func), *ps = ROOT(th, self);
    Value m = vm_alloc(th, T_METHOD, sizeof(MethodObj), STM_IMMUTABLE, vm.t_method);
    if (m) {
        MethodObj *p = stm_payload(m);
        p->func = *pf;
        p->self = *ps;
    }
    UNROOT(th, 2);
    return m;
}

Value vm_cell_new(Thread *th, Value v) {
    Value *pv = ROOT(th, v);
    Value c = vm_alloc(th, T_CELL, sizeof(CellObj), 0, vm.t_cell);
    if (c) ((CellObj *)stm_payload(c))->v = *pv;
    UNROOT(th, 1);
    return c;
}

static size_t size_func(const void *p) { return sizeof(FuncObj); }
static void trace_func(void *p, void (*visit)(stm_obj **, void *), void *ctx) {
    FuncObj *f = p;
    visit(&f->code, ctx); visit(&f->globals, ctx); visit(&f->name, ctx); visit(&f->qualname, ctx);
    visit(&f->module, ctx); visit(&f->defaults, ctx); visit(&f->kwdefaults, ctx);
    visit(&f->closure, ctx); visit(&f->dict, ctx); visit(&f->doc, ctx); visit(&f->annotations, ctx);
}
static size_t size_method(const void *p) { return sizeof(MethodObj); }
static void trace_method(void *p, void (*visit)(stm_obj **, void *), void *ctx) {
    visit(&((MethodObj *)p)->func, ctx);
    visit(&((MethodObj *)p)->self, ctx);
}

/* ------------------------------------------------------------------------------------------ */
/* Frames                                                                                      */

static size_t size_frame(const void *p) {
    return sizeof(FrameObj) + (size_t)((const FrameObj *)p)->nslots * sizeof(Value);
}
static void trace_frame(void *p, void (*visit)(stm_obj **, void *), void *ctx) {
    FrameObj *f = p;
    visit(&f->code, ctx); visit(&f->func, ctx); visit(&f->globals, ctx); visit(&f->locals, ctx);
    visit(&f->back, ctx); visit(&f->gen, ctx); visit(&f->builtins, ctx);
    for (int32_t i = 0; i < f->nblocks; i++) visit(&f->blocks[i].saved, ctx);
    for (int32_t i = 0; i < f->nslots; i++) visit(&f->slots[i], ctx);
}

Value vm_frame_new(Thread *th, Value code, Value globals, Value locals, Value func) {
    size_t mark = ROOTS_MARK(th);
    Value *pc = ROOT(th, code), *pg = ROOT(th, globals), *pl = ROOT(th, locals), *pf = ROOT(th, func);
    const vm_code *c = R(th, code, CodeObj)->code;
    int32_t nslots = c->nlocals + c->ncellvars + c->nfreevars + c->stacksize + 1;
    Value fr = vm_alloc(th, T_FRAME, sizeof(FrameObj) + (size_t)nslots * sizeof(Value), 0, vm.t_frame);
    if (fr) {
        FrameObj *f = W(th, fr, FrameObj);
        f->code = *pc;
        f->globals = *pg;
        f->locals = *pl;
        f->func = *pf;
        f->builtins = vm.builtins;
        f->nslots = nslots;
        f->sp = c->nlocals + c->ncellvars + c->nfreevars;
    }
    ROOTS_RESET(th, mark);
    return fr;
}

static int bind_args_rooted(Thread *th, Value *pfunc, Value *pfr, Value *args, int nargs, Value *pkw);

static int bind_error(Thread *th, Value func, const char *fmt, const char *arg) {
    const char *qn = STR(th, R(th, func, FuncObj)->qualname)->data;
    char msg[512];
    snprintf(msg, sizeof msg, fmt, qn, arg);
    vm_raise(th, vm.e_TypeError, "%s", msg);
    return -1;
}

static int missing_error(Thread *th, Value func, const vm_code *c, Value fr, int from, int to, const char *kind) {
    char names[400] = "";
    int count = 0, total = 0;
    for (int i = from; i < to; i++) if (!R(th, fr, FrameObj)->slots[i]) total++;
    for (int i = from; i < to; i++) {
        if (R(th, fr, FrameObj)->slots[i]) continue;
        char part[80];
        count++;
        snprintf(part, sizeof part, "'%s'%s", c->varnames[i], count == total ? "" : count == total - 1 ? (total > 2 ? ", and " : " and ") : ", ");
        strncat(names, part, sizeof names - strlen(names) - 1);
    }
    char msg[512];
    snprintf(msg, sizeof msg, "%%s() missing %d required %s argument%s: %s", total, kind, total == 1 ? "" : "s", names);
    return bind_error(th, func, msg, "");
}

static int too_many_positional(Thread *th, Value func, const vm_code *c, Value fr, int given) {
    int npos = c->argcount, kwonly_given = 0;
    for (int i = npos; i < npos + c->kwonlyargcount; i++) kwonly_given += R(th, fr, FrameObj)->slots[i] != NULL;
    int ndef = R(th, func, FuncObj)->defaults ? (int)TUP(th, R(th, func, FuncObj)->defaults)->n : 0;
    char sig[64], kwo[96] = "", msg[300];
    if (ndef) snprintf(sig, sizeof sig, "from %d to %d positional arguments", npos - ndef, npos);
    else snprintf(sig, sizeof sig, "%d positional argument%s", npos, npos == 1 ? "" : "s");
    if (kwonly_given)
        snprintf(kwo, sizeof kwo, " positional argument%s (and %d keyword-only argument%s)", given == 1 ? "" : "s",
                 kwonly_given, kwonly_given == 1 ? "" : "s");
    snprintf(msg, sizeof msg, "%%s() takes %s but %d%s %s given", sig, given, kwo, given == 1 && !kwonly_given ? "was" : "were");
    return bind_error(th, func, msg, "");
}

/* Bind arguments to a new frame following CPython's rules (positional, *args, keywords,
   keyword-only, **kwargs, defaults), then create cells.  kwnames: tuple of str or NULL. */
static int bind_args_rooted(Thread *th, Value *pfunc, Value *pfr, Value *args, int nargs, Value *pkw) {
#define kwnames (*pkw)
    const FuncObj *fn = R(th, *pfunc, FuncObj);
    const vm_code *c = R(th, fn->code, CodeObj)->code;
    int npos = c->argcount, nkwo = c->kwonlyargcount;
    int vararg_slot = (c->flags & CODE_VARARGS) ? npos + nkwo : -1;
    int kwarg_slot = (c->flags & CODE_VARKW) ? npos + nkwo + (vararg_slot >= 0) : -1;
    int64_t nkw = kwnames ? TUP(th, kwnames)->n : 0;
    if (kwarg_slot >= 0) {
        Value d = vm_dict_new(th);
        if (!d) return -1;
        W(th, *pfr, FrameObj)->slots[kwarg_slot] = d;
    }
    int ncopy = nargs < npos ? nargs : npos;
    FrameObj *f = W(th, *pfr, FrameObj);
    for (int i = 0; i < ncopy; i++) f->slots[i] = args[i];
    if (vararg_slot >= 0) {
        Value t = vm_tuple_from(th, args + ncopy, nargs - ncopy);
        if (!t) return -1;
        W(th, *pfr, FrameObj)->slots[vararg_slot] = t;
    }
    for (int64_t k = 0; k < nkw; k++) {
        Value key = TUP(th, kwnames)->items[k];
        const char *ks = STR(th, key)->data;
        int i = c->posonlyargcount;
        while (i < npos + nkwo && strcmp(c->varnames[i], ks) != 0) i++;
        if (i == npos + nkwo && kwarg_slot < 0)
            for (int j = 0; j < c->posonlyargcount; j++)
                if (!strcmp(c->varnames[j], ks)) return bind_error(th, *pfunc, "%s() got some positional-only arguments passed as keyword arguments: '%s'", ks);
        if (i < npos + nkwo) {
            if (R(th, *pfr, FrameObj)->slots[i]) return bind_error(th, *pfunc, "%s() got multiple values for argument '%s'", ks);
            W(th, *pfr, FrameObj)->slots[i] = args[nargs + k];
        } else if (kwarg_slot >= 0) {
            if (vm_dict_set(th, R(th, *pfr, FrameObj)->slots[kwarg_slot], TUP(th, kwnames)->items[k], args[nargs + k]) < 0) return -1;
        } else {
            return bind_error(th, *pfunc, "%s() got an unexpected keyword argument '%s'", ks);
        }
    }
    /* too many positional arguments: checked after the keywords, as CPython, so an unexpected
       keyword is reported first and the message counts the keyword-only arguments given */
    if (nargs > npos && vararg_slot < 0) return too_many_positional(th, *pfunc, c, *pfr, nargs);
    /* defaults for missing positional parameters */
    Value defs = R(th, *pfunc, FuncObj)->defaults;
    int ndef = defs ? (int)TUP(th, defs)->n : 0;
    for (int i = nargs; i < npos; i++) {
        if (R(th, *pfr, FrameObj)->slots[i]) continue;
        int d = i - (npos - ndef);
        if (d >= 0) W(th, *pfr, FrameObj)->slots[i] = TUP(th, R(th, *pfunc, FuncObj)->defaults)->items[d];
    }
    for (int i = 0; i < npos; i++)
        if (!R(th, *pfr, FrameObj)->slots[i]) return missing_error(th, *pfunc, c, *pfr, 0, npos, "positional");
    for (int i = npos; i < npos + nkwo; i++) {
        if (R(th, *pfr, FrameObj)->slots[i] || !R(th, *pfunc, FuncObj)->kwdefaults) continue;
        Value v, key = vm_str_cstr(th, c->varnames[i]);      /* allocates: read kwdefaults after */
        if (!key) return -1;
        if (vm_dict_get_str(th, R(th, *pfunc, FuncObj)->kwdefaults, key, &v) == 1)
            W(th, *pfr, FrameObj)->slots[i] = v;
    }
    for (int i = npos; i < npos + nkwo; i++)
        if (!R(th, *pfr, FrameObj)->slots[i]) return missing_error(th, *pfunc, c, *pfr, npos, npos + nkwo, "keyword-only");
    return 0;
#undef kwnames
}

/* Cells for cellvars (initialized from parameters where cell2arg says so) and free vars. */
int vm_frame_init_cells(Thread *th, Value *pfr, Value closure) {
    Value *pcl = ROOT(th, closure);
    const vm_code *c = R(th, R(th, *pfr, FrameObj)->code, CodeObj)->code;
    for (int i = 0; i < c->ncellvars; i++) {
        int arg = c->cell2arg ? c->cell2arg[i] : -1;
        Value init = arg >= 0 ? R(th, *pfr, FrameObj)->slots[arg] : NULL;
        Value cell = vm_cell_new(th, init);
        if (!cell) { UNROOT(th, 1); return -1; }
        W(th, *pfr, FrameObj)->slots[c->nlocals + i] = cell;
    }
    for (int i = 0; i < c->nfreevars; i++)
        W(th, *pfr, FrameObj)->slots[c->nlocals + c->ncellvars + i] = *pcl ? TUP(th, *pcl)->items[i] : NULL;
    UNROOT(th, 1);
    return 0;
}

Value vm_frame_for_call(Thread *th, Value func, Value *args, int nargs, Value kwnames) {
    size_t mark = ROOTS_MARK(th);
    Value *pfunc = ROOT(th, func);
    Value *pkw = ROOT(th, kwnames);      /* keyword names may be young: keep them current */
    const FuncObj *fn = R(th, func, FuncObj);
    Value fr = vm_frame_new(th, fn->code, fn->globals, NULL, func);
    Value r = NULL;
    if (!fr) goto done;
    Value *pfr = ROOT(th, fr);
    if (bind_args_rooted(th, pfunc, pfr, args, nargs, pkw) < 0) goto done;
    if (vm_frame_init_cells(th, pfr, R(th, *pfunc, FuncObj)->closure) < 0) goto done;
    r = *pfr;
done:
    ROOTS_RESET(th, mark);
    return r;
}

/* ------------------------------------------------------------------------------------------ */
/* Methods of function-like types                                                              */

static Value func_repr(Thread *th, Value *args, int nargs, Value kwnames) {
    return vm_str_fmt(th, "<function %s at %p>", STR(th, R(th, args[0], FuncObj)->qualname)->data, (void *)args[0]);
}
static Value func_get(Thread *th, Value *args, int nargs, Value kwnames) {
    if (nargs < 2 || args[1] == vm.None) return args[0];
    return vm_method_new(th, args[0], args[1]);
}
static Value cfunc_repr(Thread *th, Value *args, int nargs, Value kwnames) {
    const CFuncObj *c = stm_payload(args[0]);
    if (c->self && vm_tid(c->self) == T_TYPE)
        return vm_str_fmt(th, "<method '%s' of '%s' objects>", c->name, STR(th, R(th, c->self, TypeObj)->name)->data);
    return vm_str_fmt(th, "<built-in function %s>", c->name);
}
static Value method_repr(Thread *th, Value *args, int nargs, Value kwnames) {
    const MethodObj *m = R(th, args[0], MethodObj);
    Value *self = ROOT(th, m->self);
    Value fname = vm_getattr_opt(th, m->func, vm_str_intern(th, "__qualname__"));
    if (!fname) { vm_exc_clear(th); fname = vm_getattr_opt(th, R(th, args[0], MethodObj)->func, vm_str_intern(th, "__name__")); }
    Value *pn = ROOT(th, fname);
    Value sr = vm_repr(th, *self);
    Value r = sr && *pn ? vm_str_fmt(th, "<bound method %s of %s>", STR(th, *pn)->data, STR(th, sr)->data) : NULL;
    UNROOT(th, 2);
    return r;
}
static Value method_eq(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_tid(args[1]) != T_METHOD) return vm.NotImplemented;
    const MethodObj *a = R(th, args[0], MethodObj), *b = R(th, args[1], MethodObj);
    return a->func == b->func && a->self == b->self ? vm.True : vm.False;
}
static Value method_hash(Thread *th, Value *args, int nargs, Value kwnames) {
    const MethodObj *a = R(th, args[0], MethodObj);
    if ((!IS_SMALL(a->func) && stm_is_young(a->func)) || (!IS_SMALL(a->self) && stm_is_young(a->self))) {
        stm_minor_collect(th->t);           /* identities must not move (args[] is rooted) */
        a = R(th, args[0], MethodObj);
    }
    return MK_SMALL((int64_t)(((uintptr_t)a->func >> 4) ^ ((uintptr_t)a->self >> 4)));
}
static Value cell_contents(Thread *th, Value *args, int nargs, Value kwnames) {
    Value v = R(th, args[0], CellObj)->v;
    return v ? v : vm_raise(th, vm.e_ValueError, "Cell is empty");
}

/* Code attributes (CF_GETTER): computed from the immutable vm_code on each access, which keeps
   the code value itself small; these are introspection paths, never hot. */
static const vm_code *code_of(Thread *th, Value v) { return R(th, v, CodeObj)->code; }
static Value code_name_tuple(Thread *th, const char **names, int n) {
    Value t = vm_tuple_new(th, n);
    if (!t) return NULL;
    Value *pt = ROOT(th, t);
    for (int i = 0; i < n; i++) {
        Value s = vm_str_cstr(th, names[i]);
        if (!s) { UNROOT(th, 1); return NULL; }
        W(th, *pt, TupleObj)->items[i] = s;
    }
    t = *pt;
    UNROOT(th, 1);
    return t;
}
static Value code_argcount(Thread *th, Value *a, int n, Value k) { return MK_SMALL(code_of(th, a[0])->argcount); }
static Value code_posonlyargcount(Thread *th, Value *a, int n, Value k) { return MK_SMALL(code_of(th, a[0])->posonlyargcount); }
static Value code_kwonlyargcount(Thread *th, Value *a, int n, Value k) { return MK_SMALL(code_of(th, a[0])->kwonlyargcount); }
static Value code_nlocals(Thread *th, Value *a, int n, Value k) { return MK_SMALL(code_of(th, a[0])->nlocals); }
static Value code_firstlineno(Thread *th, Value *a, int n, Value k) { return MK_SMALL(code_of(th, a[0])->firstlineno); }
/* CPython's CO_* bits: ours share VARARGS/VARKW/NESTED/GENERATOR; function bodies are also
   CO_OPTIMIZED|CO_NEWLOCALS (3); the MODULE/CLASS bits are stmvm-internal and not shown. */
static Value code_flags(Thread *th, Value *a, int n, Value k) {
    int f = code_of(th, a[0])->flags;
    return MK_SMALL((f & 0x3c) | (f & (CODE_MODULE | CODE_CLASS) ? 0 : 3));
}
static Value code_name(Thread *th, Value *a, int n, Value k) { return vm_str_cstr(th, code_of(th, a[0])->name); }
static Value code_qualname(Thread *th, Value *a, int n, Value k) { return vm_str_cstr(th, code_of(th, a[0])->qualname); }
static Value code_filename(Thread *th, Value *a, int n, Value k) { return vm_str_cstr(th, code_of(th, a[0])->filename); }
static Value code_varnames(Thread *th, Value *a, int n, Value k) { const vm_code *c = code_of(th, a[0]); return code_name_tuple(th, c->varnames, c->nlocals); }
static Value code_cellvars(Thread *th, Value *a, int n, Value k) { const vm_code *c = code_of(th, a[0]); return code_name_tuple(th, c->cellvars, c->ncellvars); }
static Value code_freevars(Thread *th, Value *a, int n, Value k) { const vm_code *c = code_of(th, a[0]); return code_name_tuple(th, c->freevars, c->nfreevars); }
static Value code_consts(Thread *th, Value *a, int n, Value k) { return R(th, a[0], CodeObj)->consts; }
static Value code_names(Thread *th, Value *a, int n, Value k) { return R(th, a[0], CodeObj)->names; }
static Value code_repr(Thread *th, Value *a, int n, Value k) {
    const vm_code *c = code_of(th, a[0]);
    return vm_str_fmt(th, "<code object %s at %p, file \"%s\", line %d>", c->name, (void *)a[0], c->filename, c->firstlineno);
}

static const vm_method code_methods[] = {
    {"co_argcount", code_argcount, CF_GETTER}, {"co_posonlyargcount", code_posonlyargcount, CF_GETTER},
    {"co_kwonlyargcount", code_kwonlyargcount, CF_GETTER}, {"co_nlocals", code_nlocals, CF_GETTER},
    {"co_firstlineno", code_firstlineno, CF_GETTER}, {"co_flags", code_flags, CF_GETTER},
    {"co_name", code_name, CF_GETTER}, {"co_qualname", code_qualname, CF_GETTER},
    {"co_filename", code_filename, CF_GETTER}, {"co_varnames", code_varnames, CF_GETTER},
    {"co_cellvars", code_cellvars, CF_GETTER}, {"co_freevars", code_freevars, CF_GETTER},
    {"co_consts", code_consts, CF_GETTER}, {"co_names", code_names, CF_GETTER},
    {"__repr__", code_repr, CF_METHOD}, {NULL, NULL, 0}};
static const vm_method func_methods[] = {{"__repr__", func_repr, CF_METHOD}, {"__get__", func_get, CF_METHOD}, {NULL, NULL, 0}};
static const vm_method cfunc_methods[] = {{"__repr__", cfunc_repr, CF_METHOD}, {NULL, NULL, 0}};
static const vm_method method_methods[] = {{"__repr__", method_repr, CF_METHOD}, {"__eq__", method_eq, CF_METHOD}, {"__hash__", method_hash, CF_METHOD}, {NULL, NULL, 0}};
static const vm_method cell_methods[] = {{"cell_contents", cell_contents, CF_GETTER}, {NULL, NULL, 0}};

void obj_func_init(Thread *th) {
    vm_tidinfo[T_CODE] = (vm_typeinfo){size_code, trace_code};
    vm_tidinfo[T_FUNCTION] = (vm_typeinfo){size_func, trace_func};
    vm_tidinfo[T_METHOD] = (vm_typeinfo){size_method, trace_method};
    vm_tidinfo[T_FRAME] = (vm_typeinfo){size_frame, trace_frame};
    vm_add_methods(th, vm.t_function, func_methods);
    vm_add_methods(th, vm.t_builtin_function, cfunc_methods);
    vm_add_methods(th, vm.t_method, method_methods);
    vm_add_methods(th, vm.t_cell, cell_methods);
    vm_add_methods(th, vm.t_code, code_methods);
}
