/* vm.c — interpreter-wide state: libstm callbacks, allocation, errors, type and module creation. */
#include "vm.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

vm_globals vm;
vm_typeinfo vm_tidinfo[T__COUNT];

/* ------------------------------------------------------------------------------------------ */
/* libstm callbacks: every payload starts with its class, then the tid's own references.      */

size_t stmcb_size(uint16_t tid, const void *payload) {
    if (tid >= T__COUNT || !vm_tidinfo[tid].size) {
        fprintf(stderr, "stmvm: no size for tid %u\n", tid);
        abort();
    }
    return vm_tidinfo[tid].size(payload);
}

void stmcb_trace(uint16_t tid, void *payload, void (*visit)(stm_obj **, void *), void *ctx) {
    visit(&((ObjHead *)payload)->cls, ctx);
    if (vm_tidinfo[tid].trace) vm_tidinfo[tid].trace(payload, visit, ctx);
}

static size_t size_head(const void *p) { return sizeof(ObjHead); }
static size_t size_float(const void *p) { return sizeof(FloatObj); }
static size_t size_cell(const void *p) { return sizeof(CellObj); }
static void trace_cell(void *p, void (*visit)(stm_obj **, void *), void *ctx) { visit(&((CellObj *)p)->v, ctx); }
static size_t size_cfunc(const void *p) { return sizeof(CFuncObj); }
static void trace_cfunc(void *p, void (*visit)(stm_obj **, void *), void *ctx) { visit(&((CFuncObj *)p)->self, ctx); }
static size_t size_type(const void *p) { return sizeof(TypeObj); }
static void trace_type(void *p, void (*visit)(stm_obj **, void *), void *ctx) {
    TypeObj *t = p;
    visit(&t->name, ctx); visit(&t->qualname, ctx); visit(&t->module, ctx);
    visit(&t->bases, ctx); visit(&t->mro, ctx); visit(&t->dict, ctx); visit(&t->slots, ctx);
}
static size_t size_instance(const void *p) { return sizeof(InstanceObj); }
static void trace_instance(void *p, void (*visit)(stm_obj **, void *), void *ctx) { visit(&((InstanceObj *)p)->dict, ctx); }
static size_t size_module(const void *p) { return sizeof(ModuleObj); }
static void trace_module(void *p, void (*visit)(stm_obj **, void *), void *ctx) {
    visit(&((ModuleObj *)p)->name, ctx);
    visit(&((ModuleObj *)p)->dict, ctx);
}
typedef struct BlobObj { ObjHead h; int64_t size; } BlobObj;
static size_t size_blob(const void *p) { return sizeof(BlobObj) + (size_t)((const BlobObj *)p)->size; }

static void register_core_tids(void) {
    vm_tidinfo[T_NONE] = (vm_typeinfo){size_head, NULL};
    vm_tidinfo[T_NOTIMPL] = (vm_typeinfo){size_head, NULL};
    vm_tidinfo[T_ELLIPSIS] = (vm_typeinfo){size_head, NULL};
    vm_tidinfo[T_BOOL] = (vm_typeinfo){size_float, NULL};   /* bool: same size as {head, 8 bytes} */
    vm_tidinfo[T_FLOAT] = (vm_typeinfo){size_float, NULL};
    vm_tidinfo[T_CELL] = (vm_typeinfo){size_cell, trace_cell};
    vm_tidinfo[T_CFUNC] = (vm_typeinfo){size_cfunc, trace_cfunc};
    vm_tidinfo[T_TYPE] = (vm_typeinfo){size_type, trace_type};
    vm_tidinfo[T_INSTANCE] = (vm_typeinfo){size_instance, trace_instance};
    vm_tidinfo[T_MODULE] = (vm_typeinfo){size_module, trace_module};
    vm_tidinfo[T_BLOB] = (vm_typeinfo){size_blob, NULL};
}

Value vm_blob_new(Thread *th, size_t size) {
    Value b = vm_alloc(th, T_BLOB, sizeof(BlobObj) + size, 0, vm.t_blob);
    if (b) ((BlobObj *)stm_payload(b))->size = (int64_t)size;
    return b;
}
void *vm_blob_data(Thread *th, Value b, bool write) {
    BlobObj *p = write ? W(th, b, BlobObj) : (BlobObj *)R(th, b, BlobObj);
    return p + 1;
}

/* ------------------------------------------------------------------------------------------ */
/* Allocation                                                                                  */

Value vm_alloc(Thread *th, uint16_t tid, size_t size, uint16_t flags, Value cls) {
    Value *c = ROOT(th, cls);
    stm_obj *o = stm_allocate(th->t, tid, size, flags);
    cls = *c;
    UNROOT(th, 1);
    if (!o) return vm_no_memory(th);
    ((ObjHead *)stm_payload(o))->cls = cls;
    return o;
}

Value vm_stable(Thread *th, Value v) {
    if (IS_SMALL(v) || !stm_is_young(v)) return v;
    Value *p = ROOT(th, v);
    stm_minor_collect(th->t);
    v = *p;
    UNROOT(th, 1);
    return v;
}

/* ------------------------------------------------------------------------------------------ */
/* Errors                                                                                      */

Value vm_exc_new(Thread *th, Value type, Value args) {
    Value *a = ROOT(th, args);
    Value *ty = ROOT(th, type);
    Value d = vm_dict_new(th);
    Value *pd = ROOT(th, d);
    Value inst = d ? vm_alloc(th, T_INSTANCE, sizeof(InstanceObj), 0, *ty) : NULL;
    if (inst) {
        W(th, inst, InstanceObj)->dict = *pd;
        Value *pi = ROOT(th, inst);
        if (vm_dict_set(th, *pd, vm_str_intern(th, "args"), *a ? *a : vm.empty_tuple) < 0) inst = NULL;
        else inst = *pi;
        UNROOT(th, 1);
    }
    UNROOT(th, 3);
    return inst;
}

Value vm_raise_instance(Thread *th, Value exc) {
    *th->exc = exc;
    return NULL;
}

Value vm_raise_value(Thread *th, Value type, Value arg) {
    Value *ty = ROOT(th, type);
    Value args = arg ? vm_tuple_pack(th, 1, arg) : vm.empty_tuple;
    Value e = args ? vm_exc_new(th, *ty, args) : NULL;
    UNROOT(th, 1);
    if (!e) return NULL;
    return vm_raise_instance(th, e);
}

Value vm_raise(Thread *th, Value type, const char *fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    Value *ty = ROOT(th, type);
    Value msg = vm_str_cstr(th, buf);
    Value r = msg ? vm_raise_value(th, *ty, msg) : NULL;
    UNROOT(th, 1);
    return r;
}

Value vm_no_memory(Thread *th) {
    *th->exc = vm.memory_error;
    return NULL;
}

bool vm_exc_matches(Thread *th, Value type) {
    return *th->exc && vm_isinstance(th, *th->exc, type);
}

void vm_exc_clear(Thread *th) { *th->exc = NULL; }

/* ------------------------------------------------------------------------------------------ */
/* Built-in functions, types and modules                                                      */

Value vm_cfunc_new(Thread *th, const char *name, vm_cfunc fn, Value self, int flags) {
    Value *s = ROOT(th, self);
    Value f = vm_alloc(th, T_CFUNC, sizeof(CFuncObj), STM_IMMUTABLE, vm.t_builtin_function);
    if (f) {
        CFuncObj *p = stm_payload(f);
        p->name = name;
        p->fn = fn;
        p->self = *s;
        p->flags = flags;
    }
    UNROOT(th, 1);
    return f;
}

static Value owner_dict(Thread *th, Value owner) {
    if (vm_tid(owner) == T_TYPE) return R(th, owner, TypeObj)->dict;
    return R(th, owner, ModuleObj)->dict;
}

/* Method tables added before the built-in types have dicts (start-up order: str and dict need
   each other) wait here; vm_init_types adds them once every type exists. */
#define MAX_PENDING 96
static Value pending_owner[MAX_PENDING];
static const vm_method *pending_methods[MAX_PENDING];
static int npending;

int vm_add_methods(Thread *th, Value owner, const vm_method *m) {
    if (vm_tid(owner) == T_TYPE && !R(th, owner, TypeObj)->dict) {
        if (npending == MAX_PENDING) { fprintf(stderr, "stmvm: too many early method tables\n"); abort(); }
        pending_owner[npending] = owner;
        pending_methods[npending++] = m;
        return 0;
    }
    Value *o = ROOT(th, owner);
    for (; m && m->name; m++) {
        Value f = m->fn ? vm_cfunc_new(th, m->name, m->fn, *o, m->flags) : vm.None;
        if (!f) { UNROOT(th, 1); return -1; }
        Value *pf = ROOT(th, f);
        Value key = vm_str_intern(th, m->name);
        int r = key ? vm_dict_set(th, owner_dict(th, *o), key, *pf) : -1;
        UNROOT(th, 1);
        if (r < 0) { UNROOT(th, 1); return -1; }
    }
    UNROOT(th, 1);
    return 0;
}

/* Fill a type object allocated earlier (built-in types exist before their init functions). */
static int type_fill(Thread *th, Value type, const char *name, Value base, uint16_t tid, uint16_t flags) {
    Value *t = ROOT(th, type), *b = ROOT(th, base);
    int r = -1;
    Value nm = vm_str_intern(th, name);
    Value *pn = ROOT(th, nm);
    Value d = nm ? vm_dict_new(th) : NULL;
    Value *pd = ROOT(th, d);
    Value bases = d ? (*b ? vm_tuple_pack(th, 1, *b) : vm.empty_tuple) : NULL;
    Value *pb = ROOT(th, bases);
    if (bases) {
        TypeObj *p = W(th, *t, TypeObj);
        p->name = p->qualname = *pn;
        p->module = vm.str_builtins;
        p->dict = *pd;
        p->bases = *pb;
        p->inst_tid = tid;
        p->flags = (uint16_t)(flags | TF_BUILTIN);
        r = vm_type_compute_mro(th, *t);
    }
    UNROOT(th, 5);
    return r;
}

Value vm_make_type(Thread *th, const char *name, Value base, uint16_t inst_tid, uint16_t flags,
                   const vm_method *methods) {
    Value *b = ROOT(th, base);
    Value t = vm_alloc(th, T_TYPE, sizeof(TypeObj), 0, vm.t_type);
    Value *pt = ROOT(th, t);
    if (!t || type_fill(th, *pt, name, *b ? *b : vm.t_object, inst_tid, flags) < 0 ||
        vm_add_methods(th, *pt, methods) < 0)
        t = NULL;
    else
        t = *pt;
    UNROOT(th, 2);
    return t;
}

Value vm_make_module(Thread *th, const char *name, const vm_method *functions) {
    Value nm = vm_str_intern(th, name);
    Value *pn = ROOT(th, nm);
    Value d = vm_dict_new_global(th);
    Value *pd = ROOT(th, d);
    Value m = d ? vm_alloc(th, T_MODULE, sizeof(ModuleObj), 0, vm.t_module) : NULL;
    Value *pm = ROOT(th, m);
    Value r = NULL;
    if (m) {
        ModuleObj *p = W(th, *pm, ModuleObj);
        p->name = *pn;
        p->dict = *pd;
        if (vm_dict_set(th, *pd, vm_str_intern(th, "__name__"), *pn) == 0 &&
            vm_add_methods(th, *pm, functions) == 0 && vm_dict_set(th, vm.modules, *pn, *pm) == 0)
            r = *pm;
    }
    UNROOT(th, 3);
    return r;
}

int vm_module_set(Thread *th, Value module, const char *name, Value v) {
    Value *pv = ROOT(th, v), *pm = ROOT(th, module);
    Value key = vm_str_intern(th, name);
    int r = key ? vm_dict_set(th, R(th, *pm, ModuleObj)->dict, key, *pv) : -1;
    UNROOT(th, 2);
    return r;
}

/* ------------------------------------------------------------------------------------------ */
/* Argument checking                                                                           */

int vm_arg_count(Thread *th, const char *fname, int nargs, Value kwnames, int min, int max) {
    if (kwnames && TUP(th, kwnames)->n > 0) {
        vm_raise(th, vm.e_TypeError, "%s() takes no keyword arguments", fname);
        return -1;
    }
    if (nargs >= min && (max < 0 || nargs <= max)) return 0;
    if (min == max)
        vm_raise(th, vm.e_TypeError, min == 0 ? "%s() takes no arguments (%d given)"
                 : min == 1 ? "%s() takes exactly one argument (%d given)"
                            : "%s() takes exactly %d arguments (%d given)",
                 fname, min == 0 || min == 1 ? nargs : min, nargs);
    else if (nargs < min)
        vm_raise(th, vm.e_TypeError, "%s expected at least %d argument%s, got %d", fname, min, min == 1 ? "" : "s", nargs);
    else
        vm_raise(th, vm.e_TypeError, "%s expected at most %d argument%s, got %d", fname, max, max == 1 ? "" : "s", nargs);
    return -1;
}

int vm_parse_args(Thread *th, const char *fname, Value *args, int nargs, Value kwnames,
                  const char *const *names, int required, Value *out) {
    int n = 0;
    while (names[n]) n++;
    if (nargs > n) {
        vm_raise(th, vm.e_TypeError, "%s() takes at most %d argument%s (%d given)", fname, n, n == 1 ? "" : "s", nargs);
        return -1;
    }
    for (int i = 0; i < n; i++) out[i] = i < nargs ? args[i] : NULL;
    int64_t nkw = kwnames ? TUP(th, kwnames)->n : 0;
    for (int64_t k = 0; k < nkw; k++) {
        const StrObj *key = STR(th, TUP(th, kwnames)->items[k]);
        int i = 0;
        while (i < n && strcmp(names[i], key->data) != 0) i++;
        if (i == n) {
            vm_raise(th, vm.e_TypeError, "%s() got an unexpected keyword argument '%s'", fname, key->data);
            return -1;
        }
        if (out[i]) {
            vm_raise(th, vm.e_TypeError, "argument for %s() given by name ('%s') and position (%d)", fname, key->data, i + 1);
            return -1;
        }
        out[i] = args[nargs + k];
    }
    for (int i = 0; i < required; i++)
        if (!out[i]) {
            vm_raise(th, vm.e_TypeError, "%s() missing required argument '%s' (pos %d)", fname, names[i], i + 1);
            return -1;
        }
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* repr recursion guard: a per-thread list of objects being repr'd                            */

int vm_repr_enter(Thread *th, Value v) {
    if (!*th->repr_stack) {
        Value *pv = ROOT(th, v);
        Value l = vm_list_new(th, 0);
        v = *pv;
        UNROOT(th, 1);
        if (!l) return -1;
        *th->repr_stack = l;
    }
    int64_t n = vm_list_len(th, *th->repr_stack);
    for (int64_t i = 0; i < n; i++)
        if (vm_list_get(th, *th->repr_stack, i) == v) return 1;
    return vm_list_append(th, *th->repr_stack, v) < 0 ? -1 : 0;
}

void vm_repr_leave(Thread *th, Value v) {
    int64_t n = vm_list_len(th, *th->repr_stack);
    if (n > 0) W(th, *th->repr_stack, ListObj)->n = n - 1;
}

/* ------------------------------------------------------------------------------------------ */
/* Start-up                                                                                    */

static Value new_singleton(Thread *th, uint16_t tid, Value *slot) {
    Value o = vm_alloc(th, tid, tid == T_BOOL ? sizeof(FloatObj) : sizeof(ObjHead), STM_IMMUTABLE, NULL);
    *slot = o;
    return o;
}

static void fatal_init(const char *what) {
    fprintf(stderr, "stmvm: start-up failed (%s)\n", what);
    exit(1);
}

static void register_globals(void) {
    Value *slots = (Value *)&vm;
    for (size_t i = 0; i < sizeof vm / sizeof(Value); i++) stm_add_global_root(&slots[i]);
}

typedef struct { const char *name; Value *slot; uint16_t tid; uint16_t flags; Value *base; } type_def;

/* Inside the start-up transaction: make every built-in type and exception, then let each file
   add its methods.  Order matters: every tid's layout must be registered before a collection
   can meet one of its objects, and str and dict need each other. */
void vm_init_types(Thread *th) {
    register_core_tids();
    register_globals();
    for (int i = 0; i < MAX_PENDING; i++) stm_add_global_root(&pending_owner[i]);
    /* type objects first (no dict yet); type's own class is itself */
    vm.t_type = vm_alloc(th, T_TYPE, sizeof(TypeObj), 0, NULL);
    ((ObjHead *)stm_payload(vm.t_type))->cls = vm.t_type;
#define X(name) if (!vm.t_##name) vm.t_##name = vm_alloc(th, T_TYPE, sizeof(TypeObj), 0, vm.t_type);
    VM_BUILTIN_TYPES(X)
#undef X
    new_singleton(th, T_NONE, &vm.None);
    new_singleton(th, T_BOOL, &vm.True);
    new_singleton(th, T_BOOL, &vm.False);
    new_singleton(th, T_NOTIMPL, &vm.NotImplemented);
    new_singleton(th, T_ELLIPSIS, &vm.Ellipsis);
    W(th, vm.None, ObjHead)->cls = vm.t_NoneType;
    W(th, vm.True, ObjHead)->cls = vm.t_bool;
    W(th, vm.False, ObjHead)->cls = vm.t_bool;
    W(th, vm.True, FloatObj)->v = 1;
    W(th, vm.NotImplemented, ObjHead)->cls = vm.t_NotImplementedType;
    W(th, vm.Ellipsis, ObjHead)->cls = vm.t_ellipsis;
    /* layouts and (queued) methods of the built-in types */
    obj_str_init(th);
    obj_tuple_init(th);
    obj_list_init(th);
    obj_dict_init(th);
    obj_set_init(th);
    obj_range_init(th);
    obj_bytes_init(th);
    obj_int_init(th);
    obj_float_init(th);
    obj_object_init(th);
    obj_func_init(th);
    obj_iter_init(th);
    obj_gen_init(th);
    vm.empty_tuple = vm_tuple_new(th, 0);
    vm.modules = vm_dict_new_global(th);
    if (!vm.empty_str) vm.empty_str = vm_str_new(th, "", 0);
    vm.str_builtins = vm_str_intern(th, "builtins");
    if (!vm.empty_tuple || !vm.modules || !vm.str_builtins) fatal_init("core objects");
    static const struct { const char *name; Value *slot; uint16_t tid; uint16_t flags; } builtin_types[] = {
        {"object", &vm.t_object, T_INSTANCE, TF_BASETYPE},
        {"type", &vm.t_type, T_TYPE, TF_BASETYPE},
        {"NoneType", &vm.t_NoneType, T_NONE, 0},
        {"int", &vm.t_int, T_INT, TF_BASETYPE},
        {"bool", &vm.t_bool, T_BOOL, 0},
        {"float", &vm.t_float, T_FLOAT, TF_BASETYPE},
        {"str", &vm.t_str, T_STR, TF_BASETYPE},
        {"bytes", &vm.t_bytes, T_BYTES, TF_BASETYPE},
        {"bytearray", &vm.t_bytearray, T_BYTEARRAY, TF_BASETYPE},
        {"tuple", &vm.t_tuple, T_TUPLE, TF_BASETYPE},
        {"list", &vm.t_list, T_LIST, TF_BASETYPE},
        {"dict", &vm.t_dict, T_DICT, TF_BASETYPE},
        {"set", &vm.t_set, T_SET, TF_BASETYPE},
        {"frozenset", &vm.t_frozenset, T_FROZENSET, TF_BASETYPE},
        {"range", &vm.t_range, T_RANGE, 0},
        {"slice", &vm.t_slice, T_SLICE, 0},
        {"function", &vm.t_function, T_FUNCTION, 0},
        {"builtin_function_or_method", &vm.t_builtin_function, T_CFUNC, 0},
        {"method", &vm.t_method, T_METHOD, 0},
        {"cell", &vm.t_cell, T_CELL, 0},
        {"code", &vm.t_code, T_CODE, 0},
        {"module", &vm.t_module, T_MODULE, 0},
        {"property", &vm.t_property, T_PROPERTY, TF_BASETYPE},
        {"staticmethod", &vm.t_staticmethod, T_STATICMETHOD, TF_BASETYPE},
        {"classmethod", &vm.t_classmethod, T_CLASSMETHOD, TF_BASETYPE},
        {"super", &vm.t_super, T_SUPER, TF_BASETYPE},
        {"frame", &vm.t_frame, T_FRAME, 0},
        {"generator", &vm.t_generator, T_GEN, 0},
        {"iterator", &vm.t_iterator, T_ITER, 0},
        {"NotImplementedType", &vm.t_NotImplementedType, T_NOTIMPL, 0},
        {"ellipsis", &vm.t_ellipsis, T_ELLIPSIS, 0},
        {"dict_keys", &vm.t_dict_keys, T_ITER, 0},
        {"dict_values", &vm.t_dict_values, T_ITER, 0},
        {"dict_items", &vm.t_dict_items, T_ITER, 0},
        {"deque", &vm.t_deque, T_DEQUE, TF_BASETYPE},
        {"_io.TextIOWrapper", &vm.t_file, T_FILE, 0},
        {"blob", &vm.t_blob, T_BLOB, 0},
    };
    for (size_t i = 0; i < sizeof builtin_types / sizeof *builtin_types; i++) {
        Value base = *builtin_types[i].slot == vm.t_object ? NULL
                   : *builtin_types[i].slot == vm.t_bool ? vm.t_int : vm.t_object;
        if (type_fill(th, *builtin_types[i].slot, builtin_types[i].name, base, builtin_types[i].tid,
                      builtin_types[i].flags) < 0)
            fatal_init(builtin_types[i].name);
    }
    /* object's MRO was computed before object had its own tuple: fix the early ones */
    for (size_t i = 0; i < sizeof builtin_types / sizeof *builtin_types; i++)
        if (vm_type_compute_mro(th, *builtin_types[i].slot) < 0) fatal_init("mro");
    for (int i = 0; i < npending; i++)
        if (vm_add_methods(th, pending_owner[i], pending_methods[i]) < 0) fatal_init("methods");
    npending = 0;
    vm_dict_get_str(th, R(th, vm.t_object, TypeObj)->dict, vm_str_intern(th, "__init__"), &vm.object_init);
#define e_object t_object
#define X(name, base) \
    if (!(vm.e_##name = vm_make_type(th, #name, vm.e_##base, T_INSTANCE, TF_BASETYPE | TF_EXCEPTION, NULL))) fatal_init(#name);
    VM_EXCEPTIONS(X)
#undef X
#undef e_object
    vm.memory_error = vm_exc_new(th, vm.e_MemoryError, vm.empty_tuple);
    if (!vm.memory_error) fatal_init("MemoryError");
    vm.block_retry = vm_exc_new(th, vm.e_RuntimeError, vm.empty_tuple);
    if (!vm.block_retry) fatal_init("block_retry");
}

