/* vm.h — stmvm's object API: values, object layouts, threads, errors, roots, calling convention. */
#ifndef VM_H
#define VM_H

/*
 * VALUES.  A Value is an stm_obj pointer, or a small int tagged in the pointer (bit 0 set:
 * value = word >> 1, 62 bits of range).  NULL is never a Python value: a function returning
 * Value returns NULL exactly when it raised an exception (CPython's convention); the exception
 * is in *th->exc.  Functions returning int return -1 on exception (and 0/1 for false/true where
 * they answer a question).
 *
 * OBJECTS.  Every heap object's payload starts with ObjHead: its Python class.  The stm tid says
 * how the payload is laid out (T_LIST, T_STR, ...); a subclass instance of a built-in type has
 * the built-in's tid and the subclass in head.cls.  All access goes through libstm barriers:
 * R(th, v, T) before reading, W(th, v, T) before writing (see stm.h for what they guarantee).
 * Immutable objects (str, bytes, tuple, int, float, code constants, None/True/False) are
 * allocated with STM_IMMUTABLE and filled in before their transaction commits; reading them is
 * free.
 *
 * GC ROOTS.  Objects move when the nursery is collected: in any allocation, and at transaction
 * boundaries.  A C function that keeps a Value across a call that may allocate (almost every
 * call) must keep it in a root slot: `Value *p = ROOT(th, v); ... *p ...; UNROOT(th, 1);`.
 * Root slots never move.  Payload pointers from R()/W() must be re-fetched after such a call.
 * Arguments passed to C functions (args[]) are already in root slots.  The stress build
 * (STM_GC_EVERY=1) makes every missing root visible.
 *
 * THREADS.  Each OS thread has a Thread (C struct).  Everything mutable that is shared lives in
 * GC objects (so it is transactional); `vm` holds the interpreter-wide constants (types, None,
 * interned names), created once at start-up.
 */

#include "stm.h"
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef stm_obj *Value;
typedef struct Thread Thread;
#define VM_MAX_SPAWNS 12       /* threads started by one transaction before it must commit */
#define VM_NAME_CACHE 64        /* per-thread cache of interned names, by C literal address */

/* ------------------------------------------------------------------------------------------ */
/* Small ints                                                                                  */

#define SMALL_MAX ((int64_t)(INTPTR_MAX >> 1))
#define SMALL_MIN ((int64_t)(INTPTR_MIN >> 1))
static inline bool IS_SMALL(Value v) { return ((uintptr_t)v & 1) != 0; }
static inline int64_t SMALL_VAL(Value v) { return (int64_t)((intptr_t)v >> 1); }
static inline Value MK_SMALL(int64_t i) { return (Value)(((uintptr_t)(intptr_t)i << 1) | 1); }
static inline bool FITS_SMALL(int64_t i) { return i >= SMALL_MIN && i <= SMALL_MAX; }

/* ------------------------------------------------------------------------------------------ */
/* Representations (stm tids)                                                                  */

enum vm_tid {
    T_NONE = 1, T_BOOL, T_NOTIMPL, T_ELLIPSIS,
    T_INT,          /* big int (small ints are tagged) — obj_int.c */
    T_FLOAT, T_COMPLEX_UNUSED,
    T_STR, T_BYTES, T_BYTEARRAY,
    T_TUPLE, T_LIST, T_ARRAY,    /* T_ARRAY: growable storage behind lists (internal) */
    T_DICT, T_DICTKEYS,          /* T_DICTKEYS: dict storage (internal) */
    T_SET, T_FROZENSET,
    T_RANGE, T_SLICE,
    T_FUNCTION, T_CFUNC, T_METHOD, T_CELL, T_CODE,
    T_TYPE, T_INSTANCE, T_MODULE,
    T_PROPERTY, T_STATICMETHOD, T_CLASSMETHOD, T_SUPER,
    T_FRAME, T_GEN, T_ITER,      /* T_ITER: built-in iterators (kind in payload) */
    T_DEQUE, T_FILE, T_BLOB,     /* T_BLOB: bytes of C data, no references */
    T_SMAP, T_SITEM,             /* shared dict/set storage and its items (obj_smap.c) */
    T__COUNT
};

typedef struct ObjHead { Value cls; } ObjHead;

/* Per-tid layout description, registered by each obj_*.c: payload size and references. */
typedef struct vm_typeinfo {
    size_t (*size)(const void *payload);
    void (*trace)(void *payload, void (*visit)(stm_obj **, void *), void *ctx);
} vm_typeinfo;
extern vm_typeinfo vm_tidinfo[T__COUNT];

/* ------------------------------------------------------------------------------------------ */
/* Shared layouts (the others are private to their obj_*.c)                                    */

typedef struct FloatObj { ObjHead h; double v; } FloatObj;

typedef struct StrObj {
    ObjHead h;
    _Atomic int64_t hash;      /* 0 = not computed yet (benign race: same value by everyone) */
    int64_t len;               /* bytes of UTF-8 */
    int64_t nchars;            /* code points (== len for ASCII) */
    char data[];               /* UTF-8, NUL-terminated */
} StrObj;

typedef struct BytesObj { ObjHead h; _Atomic int64_t hash; int64_t len; unsigned char data[]; } BytesObj;

typedef struct TupleObj { ObjHead h; _Atomic int64_t hash; int64_t n; Value items[]; } TupleObj;

typedef struct ArrayObj { ObjHead h; int64_t cap; Value items[]; } ArrayObj;
typedef struct ListObj { ObjHead h; int64_t n; Value items; /* T_ARRAY or NULL */ } ListObj;

typedef struct CellObj { ObjHead h; Value v; } CellObj;

typedef Value (*vm_cfunc)(Thread *th, Value *args, int nargs, Value kwnames);

typedef struct CFuncObj {
    ObjHead h;
    const char *name;
    vm_cfunc fn;
    Value self;                /* module or type it belongs to (for repr), may be NULL */
    int flags;                 /* CF_METHOD: a method of a built-in type (args[0] is self) */
} CFuncObj;
#define CF_METHOD 1
#define CF_CLASSMETHOD 2
#define CF_STATIC 4
#define CF_GETTER 8             /* a read-only attribute: fn(th, &self, 1, NULL) gives its value */

typedef struct TypeObj {
    ObjHead h;
    Value name;                /* str */
    Value qualname;            /* str */
    Value module;              /* str or NULL */
    Value bases;               /* tuple */
    Value mro;                 /* tuple */
    Value dict;                /* dict */
    Value slots;               /* tuple of str, or NULL when instances have a __dict__ */
    uint16_t inst_tid;         /* representation of instances */
    uint16_t flags;
} TypeObj;
#define TF_BUILTIN 1           /* defined in C */
#define TF_BASETYPE 2          /* may be subclassed */
#define TF_EXCEPTION 4         /* BaseException or a subclass */

typedef struct InstanceObj { ObjHead h; Value dict; /* NULL until first attribute */ } InstanceObj;

typedef struct ModuleObj { ObjHead h; Value name; Value dict; } ModuleObj;

/* ------------------------------------------------------------------------------------------ */
/* Threads                                                                                     */

struct Thread {
    stm_thread *t;
    Value *exc;                /* root slot: exception being raised (an instance) or NULL */
    Value *handled;            /* root slot: exception being handled (sys.exc_info) or NULL */
    Value *frame;              /* root slot: innermost running frame */
    int depth;                 /* Python call depth, for RecursionError */
    int cdepth;                /* nested eval loops (C recursion) */
    int eval_level;            /* 0 in the outermost eval loop: only there transactions break */
    uint32_t id;
    Value *repr_stack;         /* root slot: objects being repr'd (recursion guard) */
    Value *restart_frame;      /* root slot: frame to resume after an abort */
    Value *restart_handled;    /* root slot: handled exception at the restart point */
    int recursion_limit;
    int restart_depth;
    bool interactive;
    bool types_modified;       /* this transaction changed a class: bump the epoch after commit */
    Value *spawn;              /* SPAWN_SLOTS root slots: threads to start after the commit */
    void *spawn_os[VM_MAX_SPAWNS];   /* their OS threads, parked until the commit */
    int nspawn;
    Value *blocked_on;         /* root slot: the lock a retried call waits for */
    Value *locals;             /* root slot: dict {serial: namespace} of this thread's
                                  transaction.local attributes (only this thread touches it) */
    uint64_t cache_epoch;      /* type epoch when the running transaction started */
    struct vm_lookup_cache *lookup_cache;
    struct vm_outbuf *out;     /* output of the running transaction, written at commit (txio.c) */
    bool out_locked;           /* holds the output-order lock (txio.c) */
    bool released_lock;        /* this transaction released a lock: wake waiters at commit */
    struct vm_name_slot { const char *key; Value value; } name_cache[VM_NAME_CACHE];   /* vm_str_intern */
    /* A wait in progress (mod_thread.c).  Plain C state, not transactional: it survives the
       commit/restart around the wait, so the retried call knows it already waited. */
    int wait_kind;             /* WAIT_NONE, WAIT_LOCK (*blocked_on), WAIT_SLEEP */
    bool wait_expired;         /* the deadline passed during the wait */
    int64_t wait_deadline;     /* CLOCK_MONOTONIC ns, or -1: none */
    uint64_t smap_seq;         /* sequence number of this thread's next shared-map insert */
    uint64_t smap_gen;         /* bumped when smap_next's index may be stale (obj_smap.c) */
    struct smap_cache *smap_cache;
};
enum { WAIT_NONE, WAIT_LOCK, WAIT_SLEEP };

/* Barriers with types */
#define R(th, v, T) ((const T *)stm_read((th)->t, (v)))
#define W(th, v, T) ((T *)stm_write((th)->t, (v)))

/* Roots */
static inline Value *ROOT(Thread *th, Value v) {
    stm_push_root(th->t, v);
    return th->t->roots_top - 1;
}
static inline void UNROOT(Thread *th, int n) { th->t->roots_top -= n; }
static inline size_t ROOTS_MARK(Thread *th) { return (size_t)(th->t->roots_top - th->t->roots_base); }
static inline void ROOTS_RESET(Thread *th, size_t mark) { th->t->roots_top = th->t->roots_base + mark; }

/* ------------------------------------------------------------------------------------------ */
/* Interpreter-wide constants (created at start-up, global roots, never reassigned)            */

#define VM_BUILTIN_TYPES(X) \
    X(object) X(type) X(NoneType) X(bool) X(int) X(float) X(str) X(bytes) X(bytearray)       \
    X(tuple) X(list) X(dict) X(set) X(frozenset) X(range) X(slice) X(function)                \
    X(builtin_function) X(method) X(cell) X(code) X(module) X(property) X(staticmethod)       \
    X(classmethod) X(super) X(frame) X(generator) X(iterator) X(NotImplementedType)           \
    X(ellipsis) X(dict_keys) X(dict_values) X(dict_items) X(deque) X(file) X(blob)

#define VM_EXCEPTIONS(X) \
    X(BaseException, object) X(SystemExit, BaseException) X(KeyboardInterrupt, BaseException) \
    X(GeneratorExit, BaseException) X(Exception, BaseException)                              \
    X(StopIteration, Exception) X(ArithmeticError, Exception)                                 \
    X(ZeroDivisionError, ArithmeticError) X(OverflowError, ArithmeticError)                   \
    X(AssertionError, Exception) X(AttributeError, Exception) X(LookupError, Exception)       \
    X(IndexError, LookupError) X(KeyError, LookupError) X(NameError, Exception)               \
    X(UnboundLocalError, NameError) X(TypeError, Exception) X(ValueError, Exception)          \
    X(UnicodeError, ValueError) X(UnicodeDecodeError, UnicodeError)                           \
    X(UnicodeEncodeError, UnicodeError) X(RuntimeError, Exception)                            \
    X(RecursionError, RuntimeError) X(NotImplementedError, RuntimeError)                      \
    X(MemoryError, Exception) X(ImportError, Exception) X(ModuleNotFoundError, ImportError)   \
    X(OSError, Exception) X(FileNotFoundError, OSError) X(EOFError, Exception)                \
    X(SyntaxError, Exception) X(IndentationError, SyntaxError) X(TabError, IndentationError)  \
    X(StopAsyncIteration, Exception) X(BufferError, Exception) X(Warning, Exception)           \
    X(UserWarning, Warning) X(DeprecationWarning, Warning) X(FloatingPointError, ArithmeticError)

typedef struct vm_globals {
#define X(name) Value t_##name;
    VM_BUILTIN_TYPES(X)
#undef X
#define X(name, base) Value e_##name;
    VM_EXCEPTIONS(X)
#undef X
    Value None, True, False, NotImplemented, Ellipsis;
    Value empty_tuple, empty_str;
    Value builtins;            /* the builtins module's dict */
    Value modules;             /* sys.modules (dict) */
    Value sys;                 /* the sys module */
    Value argv;                /* list */
    Value str_builtins;        /* "builtins" */
    Value memory_error;        /* preallocated MemoryError instance */
    Value path;                /* sys.path (list) */
    Value object_init;         /* object.__init__ (to skip calling it) */
    Value build_class;         /* builtins.__build_class__ */
    Value block_retry;         /* marker exception: a call must block (see mod_thread.c) */
} vm_globals;
extern vm_globals vm;

/* ------------------------------------------------------------------------------------------ */
/* Errors                                                                                      */

Value vm_raise(Thread *th, Value exc_type, const char *fmt, ...);      /* always returns NULL */
Value vm_raise_value(Thread *th, Value exc_type, Value arg);            /* exc_type(arg) */
Value vm_raise_instance(Thread *th, Value exc);                         /* raise an instance */
Value vm_no_memory(Thread *th);                                         /* MemoryError */
bool vm_exc_matches(Thread *th, Value exc_type);   /* pending exception isinstance of exc_type */
void vm_exc_clear(Thread *th);
Value vm_exc_new(Thread *th, Value exc_type, Value args_tuple);        /* an instance */

/* repr recursion guard for containers: 1 if v is already being repr'd (print "..."), 0 if
   entered (call vm_repr_leave after), -1 on error. */
int vm_repr_enter(Thread *th, Value v);
void vm_repr_leave(Thread *th, Value v);

/* Raw bytes without references (T_BLOB), for C data in the heap. */
Value vm_blob_new(Thread *th, size_t size);
void *vm_blob_data(Thread *th, Value blob, bool write);

/* ------------------------------------------------------------------------------------------ */
/* Allocation                                                                                  */

/* v itself, moved out of the nursery first if needed, so that its address is a stable
   identity (id(), default hash).  A moving point when v is young. */
Value vm_stable(Thread *th, Value v);

/* A new object with zeroed payload and head.cls = cls; NULL (MemoryError raised) if out of
   memory.  A moving point. */
Value vm_alloc(Thread *th, uint16_t tid, size_t size, uint16_t flags, Value cls);

/* ------------------------------------------------------------------------------------------ */
/* Generic object protocol (vm.c, obj_object.c) — all may call Python code and allocate        */

Value vm_type_of(Thread *th, Value v);                /* never fails */
bool vm_is_subtype(Thread *th, Value t, Value base);  /* t in base's subclasses (mro walk) */
bool vm_isinstance(Thread *th, Value v, Value cls);
const char *vm_type_name(Thread *th, Value v);        /* C string valid until the next moving point */
uint16_t vm_tid(Value v);                              /* representation; T_INT for small ints */

Value vm_repr(Thread *th, Value v);                   /* str */
Value vm_str(Thread *th, Value v);                    /* str */
int vm_hash(Thread *th, Value v, int64_t *out);       /* -1 on error (unhashable) */
int vm_truthy(Thread *th, Value v);                   /* 0/1, -1 on error */
int vm_eq(Thread *th, Value a, Value b);              /* 0/1, -1 on error; identity implies equal */
Value vm_compare(Thread *th, int cmpop, Value a, Value b);
int vm_lt(Thread *th, Value a, Value b);              /* for sorting: 0/1, -1 on error */
Value vm_binop(Thread *th, int binop, Value a, Value b);   /* binop may include BINOP_INPLACE */
Value vm_unary(Thread *th, int op, Value v);          /* op: '-', '+', '~' */

Value vm_getattr(Thread *th, Value obj, Value name);  /* AttributeError if missing */
Value vm_getattr_cstr(Thread *th, Value obj, const char *name);
Value vm_getattr_opt(Thread *th, Value obj, Value name);   /* NULL without exception if missing */
int vm_setattr(Thread *th, Value obj, Value name, Value v);     /* v NULL: delete */
Value vm_lookup_type(Thread *th, Value type, Value name);  /* MRO lookup, no descriptors; NULL if missing */
Value vm_lookup_special(Thread *th, Value obj, const char *dunder); /* type(obj).__x__, NULL if none */

Value vm_call(Thread *th, Value callable, Value *args, int nargs, Value kwnames);
Value vm_call0(Thread *th, Value callable);
Value vm_call1(Thread *th, Value callable, Value a);
Value vm_call2(Thread *th, Value callable, Value a, Value b);
Value vm_call_method(Thread *th, Value obj, const char *name, Value *args, int nargs);

Value vm_getitem(Thread *th, Value obj, Value key);
int vm_setitem(Thread *th, Value obj, Value key, Value v);     /* v NULL: delete */
int vm_contains(Thread *th, Value container, Value item);      /* 0/1, -1 */
Value vm_iter(Thread *th, Value obj);
Value vm_next(Thread *th, Value it);     /* NULL + no exception = exhausted; NULL + exc = error */
int64_t vm_len(Thread *th, Value obj);   /* -1 on error */
int vm_index(Thread *th, Value v, int64_t *out);   /* __index__ to a C integer; -1 on error */

/* ------------------------------------------------------------------------------------------ */
/* Argument helpers for C functions.  args[0..nargs-1] positional, then one value per kwnames
   entry (a tuple of str), like CPython's vectorcall. */

int vm_arg_count(Thread *th, const char *fname, int nargs, Value kwnames, int min, int max);
/* Collect positional-or-keyword parameters: names is a NULL-terminated list; out[i] = value or
   NULL when not given.  Raises TypeError for unknown/duplicate/missing (first `required`). */
int vm_parse_args(Thread *th, const char *fname, Value *args, int nargs, Value kwnames,
                  const char *const *names, int required, Value *out);

/* ------------------------------------------------------------------------------------------ */
/* Built-in types: each obj_*.c / mod_*.c provides an init function run at start-up, and
   defines its methods with a table.                                                           */

typedef struct vm_method {
    const char *name;
    vm_cfunc fn;
    int flags;                 /* CF_METHOD / CF_CLASSMETHOD / CF_STATIC */
} vm_method;

/* Create a built-in type (at start-up): name, base type (NULL = object), tid of instances,
   TF_* flags, methods (NULL-terminated by name). */
Value vm_make_type(Thread *th, const char *name, Value base, uint16_t inst_tid, uint16_t flags,
                   const vm_method *methods);
/* Add C functions to a type's or a module's dict (owner is the type or module object). */
int vm_add_methods(Thread *th, Value owner, const vm_method *methods);
Value vm_cfunc_new(Thread *th, const char *name, vm_cfunc fn, Value self, int flags);
/* A built-in module: name, methods; returns the module (registered in sys.modules). */
Value vm_make_module(Thread *th, const char *name, const vm_method *functions);
int vm_module_set(Thread *th, Value module, const char *name, Value v);

/* ------------------------------------------------------------------------------------------ */
/* Strings (obj_str.c)                                                                         */

Value vm_str_new(Thread *th, const char *utf8, size_t len);      /* copies (the bytes may be inside a
                                                                     heap object); must be valid UTF-8 */
Value vm_str_cstr(Thread *th, const char *s);
Value vm_str_fmt(Thread *th, const char *fmt, ...);             /* printf-style, %s = C string */
/* The shared str for a name: every name literal in the VM's C sources is interned at start-up
   (committed, never moves: no need to root it).  Other names get a fresh str (root it). */
Value vm_str_intern(Thread *th, const char *s);
void vm_str_intern_freeze(void);     /* end of start-up */
static inline const StrObj *STR(Thread *th, Value s) { return (const StrObj *)stm_read(th->t, s); }
bool vm_str_eq(Thread *th, Value a, Value b);
int64_t vm_str_hash(Thread *th, Value s);
Value vm_str_concat(Thread *th, Value a, Value b);
Value vm_str_join(Thread *th, Value sep, Value iterable);
Value vm_str_format_spec(Thread *th, Value v, Value spec);    /* format(v, spec) for str */
Value vm_format(Thread *th, Value v, Value spec);             /* builtin format(): __format__ */
Value vm_str_percent(Thread *th, Value fmt, Value args);      /* fmt % args */
Value vm_str_repr(Thread *th, Value s);
Value vm_ascii(Thread *th, Value v);

/* Bytes (obj_bytes.c) */
Value vm_bytes_new(Thread *th, const void *data, size_t len);

/* ------------------------------------------------------------------------------------------ */
/* Numbers (obj_int.c, obj_float.c)                                                            */

Value vm_int_from_i64(Thread *th, int64_t i);
Value vm_int_from_u64(Thread *th, uint64_t u);
Value vm_int_from_str(Thread *th, const char *s, size_t len, int base);  /* ValueError if bad */
Value vm_int_from_double(Thread *th, double d);    /* truncates; OverflowError for inf/nan */
int vm_int_to_i64(Thread *th, Value v, int64_t *out);   /* OverflowError if too big */
double vm_int_to_double(Thread *th, Value v, bool *overflow);
bool vm_is_int(Value v);                    /* small or T_INT (bool is an int too: see vm_is_intlike) */
Value vm_int_binop(Thread *th, int binop, Value a, Value b);   /* both int/bool; NotImplemented otherwise */
Value vm_int_unary(Thread *th, int op, Value v);
int vm_int_cmp(Thread *th, Value a, Value b);        /* -1, 0, 1 (both ints) */
Value vm_int_repr(Thread *th, Value v);
Value vm_int_to_base(Thread *th, Value v, int base, bool prefix);   /* hex/oct/bin */
int64_t vm_int_hash(Thread *th, Value v);
Value vm_int_format(Thread *th, Value v, Value spec);

Value vm_float_new(Thread *th, double d);
static inline double FLOAT_VAL(Thread *th, Value v) { return ((const FloatObj *)stm_read(th->t, v))->v; }
Value vm_float_binop(Thread *th, int binop, Value a, Value b);   /* int/float mix; NotImplemented otherwise */
Value vm_float_repr(Thread *th, double d);                       /* CPython's shortest repr */
Value vm_float_format(Thread *th, Value v, Value spec);
int64_t vm_float_hash(double d);
int vm_to_double(Thread *th, Value v, double *out);   /* int or float -> double; TypeError otherwise */

/* ------------------------------------------------------------------------------------------ */
/* Containers (obj_tuple.c, obj_list.c, obj_dict.c, obj_set.c)                                 */

Value vm_tuple_new(Thread *th, int64_t n);               /* items NULL: fill before commit */
Value vm_tuple_from(Thread *th, Value *items, int64_t n);
Value vm_tuple_pack(Thread *th, int n, ...);
static inline const TupleObj *TUP(Thread *th, Value t) { return (const TupleObj *)stm_read(th->t, t); }
Value vm_sequence_tuple(Thread *th, Value iterable);     /* tuple(iterable) */

Value vm_list_new(Thread *th, int64_t n);                /* n None-filled... no: NULL-filled slots, len n */
int vm_list_append(Thread *th, Value list, Value v);
int64_t vm_list_len(Thread *th, Value list);
Value vm_list_get(Thread *th, Value list, int64_t i);    /* no bounds check beyond assert */
void vm_list_set(Thread *th, Value list, int64_t i, Value v);
Value vm_sequence_list(Thread *th, Value iterable);      /* list(iterable) */
int vm_list_extend(Thread *th, Value list, Value iterable);
int vm_list_sort(Thread *th, Value list, Value key, bool reverse);

Value vm_dict_new(Thread *th);
/* A dict that every thread reads and any may write (module globals, sys.modules): compact while
   one thread runs, shared (obj_smap.c) from its first write while several do. */
Value vm_dict_new_global(Thread *th);
extern _Atomic int vm_threads_running;      /* started and not finished, the main thread included */
int vm_dict_get(Thread *th, Value d, Value key, Value *out);        /* 1 found, 0 missing, -1 error */
int vm_dict_get_str(Thread *th, Value d, Value key, Value *out);    /* key is a str: fast path */
int vm_dict_set(Thread *th, Value d, Value key, Value v);           /* 0, -1 */
int vm_dict_del(Thread *th, Value d, Value key);                    /* 1 deleted, 0 missing, -1 */
int64_t vm_dict_len(Thread *th, Value d);
/* Iterate: *pos starts at 0; returns 1 with key/value, 0 at the end.  No moving point inside. */
int vm_dict_next(Thread *th, Value d, int64_t *pos, Value *key, Value *value);
int vm_dict_update(Thread *th, Value d, Value other);               /* mapping or pairs */

Value vm_set_new(Thread *th, Value cls);                            /* set or frozenset type */
int vm_set_add(Thread *th, Value s, Value key);
int vm_set_contains(Thread *th, Value s, Value key);
int vm_set_next(Thread *th, Value s, int64_t *pos, Value *key);

Value vm_slice_new(Thread *th, Value start, Value stop, Value step);
/* Resolve a slice against a length: CPython's PySlice_GetIndicesEx. -1 on error. */
int vm_slice_indices(Thread *th, Value slice, int64_t len, int64_t *start, int64_t *stop,
                     int64_t *step, int64_t *slicelen);

/* Built-in iterators share one representation (T_ITER, obj_iter.c): a kind registered at
   start-up selects the `next` function; a and b are references, i and n integers. */
typedef struct IterObj { ObjHead h; int32_t kind; int32_t flags; int64_t i, n; Value a, b; } IterObj;
typedef Value (*vm_iter_next_fn)(Thread *th, Value it);   /* NULL + no exception: exhausted */
int vm_iter_kind(vm_iter_next_fn next, const char *type_name);   /* at init; returns the kind */
Value vm_iter_new(Thread *th, int kind, Value a, Value b, int64_t i, int64_t n);
Value vm_seq_iter_new(Thread *th, Value seq);   /* iterates seq[0], seq[1], ... via __getitem__ */

/* A blocking system call in an inevitable transaction (input()): between begin and end the
   thread does not touch the heap, and other threads' collections proceed without it. */
void vm_blocking_begin(Thread *th);
void vm_blocking_end(Thread *th);

/* time.sleep: in the outermost activation, raises the block-retry marker and returns -1 (the
   caller returns NULL; the eval loop commits, sleeps outside any transaction, and calls again:
   the call then returns 0 at once).  Elsewhere it sleeps without holding anything.  -1 with
   KeyboardInterrupt if Ctrl-C interrupts it. */
int vm_sleep(Thread *th, double secs);

/* Ctrl-C: set by the SIGINT handler, turned into KeyboardInterrupt in the main thread. */
extern _Atomic int vm_interrupted;
extern Thread *vm_main_thread;
bool vm_check_interrupt(Thread *th);   /* true (KeyboardInterrupt raised) if it was pending */

/* ------------------------------------------------------------------------------------------ */
/* Output (the I/O layer makes the transaction inevitable when needed)                         */

int vm_write_stdout(Thread *th, const char *s, size_t n);
/* Before an effect that cannot wait for the commit (reading input, an OS call, flushing):
   make the transaction inevitable and write its buffered output now (txio.c). */
void vm_io_irrevocable(Thread *th);
int vm_write_stderr(Thread *th, const char *s, size_t n);
int vm_print_value(Thread *th, Value v, FILE *f);    /* str(v) to f */

/* Init functions of the built-in types and modules, called in order by vm_init, inside the
   start-up transaction, after every type object in VM_BUILTIN_TYPES / VM_EXCEPTIONS exists
   (with an empty dict).  An init function registers vm_tidinfo[] for the tids it owns and adds
   its methods (vm_add_methods(th, vm.t_int, int_methods)), including the dunder methods
   (__add__, __radd__, __eq__, __hash__, __repr__, __format__, ...) so that Python code can call
   them and subclasses can override them; the interpreter's operators take fast paths for the
   built-in representations and fall back to those methods. */
void obj_int_init(Thread *th);
void obj_float_init(Thread *th);
void obj_str_init(Thread *th);
void obj_bytes_init(Thread *th);
void obj_tuple_init(Thread *th);
void obj_list_init(Thread *th);
void obj_dict_init(Thread *th);
void obj_set_init(Thread *th);
void obj_range_init(Thread *th);
void mod_math_init(Thread *th);
void mod_random_init(Thread *th);
void mod_time_init(Thread *th);
void mod_os_init(Thread *th);

#endif
