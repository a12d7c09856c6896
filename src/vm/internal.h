/* internal.h — declarations shared by the interpreter core files (not for type/module files). */
#ifndef VM_INTERNAL_H
#define VM_INTERNAL_H

#include <stdlib.h>
#include <string.h>

#include "code.h"
#include "opcodes.h"
#include "vm.h"

/* Code objects in the heap: the compiled code plus its constants and names as Values. */
typedef struct CodeObj { ObjHead h; const vm_code *code; Value consts; Value names; } CodeObj;

typedef struct FuncObj {
    ObjHead h;
    Value code;                /* T_CODE */
    Value globals;             /* dict */
    Value name, qualname, module;
    Value defaults;            /* tuple or NULL */
    Value kwdefaults;          /* dict or NULL */
    Value closure;             /* tuple of cells or NULL */
    Value dict;                /* function attributes, NULL until used */
    Value doc;
    Value annotations;         /* dict or NULL (an empty one is made when first asked for) */
} FuncObj;

typedef struct MethodObj { ObjHead h; Value func; Value self; } MethodObj;
typedef struct PropertyObj { ObjHead h; Value fget, fset, fdel, doc, name; } PropertyObj;
typedef struct WrapperObj { ObjHead h; Value func; } WrapperObj;        /* staticmethod/classmethod */
typedef struct SuperObj { ObjHead h; Value type; Value obj; Value objtype; } SuperObj;

typedef struct Block { int32_t type, handler, level; Value saved; } Block;
enum { BLOCK_FINALLY = 1, BLOCK_WITH, BLOCK_EXCEPT_HANDLER };
#define MAX_BLOCKS 20

typedef struct FrameObj {
    ObjHead h;
    Value code;                /* T_CODE */
    Value func;                /* function, or NULL for module/class bodies */
    Value globals, locals;     /* locals: dict for module and class bodies */
    Value back;                /* caller in the same eval activation */
    Value gen;                 /* owning generator or NULL */
    Value builtins;
    int32_t pc, sp, nblocks, nslots;
    int32_t lasti;             /* instruction being executed (for line numbers) */
    int32_t flags;
    Block blocks[MAX_BLOCKS];
    Value slots[];             /* locals | cells+frees | operand stack */
} FrameObj;
enum { FRAME_YIELDED = 1, FRAME_THROW = 2 };

typedef struct GenObj { ObjHead h; Value frame; Value name, qualname; int32_t state; } GenObj;
enum { GEN_CREATED, GEN_SUSPENDED, GEN_RUNNING, GEN_DONE };

/* vm.c */
void vm_init_types(Thread *th);
int vm_type_compute_mro(Thread *th, Value type);

/* Per-thread cache of MRO lookups (obj_object.c).  An entry is valid while the type epoch
   equals the epoch at the start of the transaction that filled it (see vm_types_changed). */
#define LOOKUP_CACHE_SIZE 1024
typedef struct vm_lookup_cache {
    struct { Value type, name, value; uint64_t epoch; } e[LOOKUP_CACHE_SIZE];
} vm_lookup_cache;
void vm_types_changed(Thread *th);        /* a class's dict changed in this transaction */
void vm_tx_started(Thread *th);           /* after every transaction start */
void vm_tx_committed(Thread *th);         /* after every commit */
void vm_tx_aborted(Thread *th);           /* after every abort (libstm's abort hook): heap-free */

/* txio.c: output buffered per transaction, written at commit in commit order */
void vm_commit(Thread *th);               /* stm_commit + write the output + vm_tx_committed */
int vm_io_write(Thread *th, FILE *fp, const char *s, size_t n);
void vm_io_discard(Thread *th);
void vm_io_publish(Thread *th);          /* before stm_leave (GIL build: output first) */           /* after an abort */
extern _Thread_local Thread *vm_self;     /* the VM thread on this OS thread (main.c) */
void vm_io_thread_init(Thread *th);
void vm_io_thread_free(Thread *th);

/* obj_object.c */
void obj_object_init(Thread *th);
Value vm_build_class(Thread *th, Value func, Value name, Value *bases, int nbases, Value kwnames, Value *kwvalues);
Value vm_type_new(Thread *th, Value meta, Value name, Value bases, Value dict);

/* obj_func.c */
void obj_func_init(Thread *th);
Value vm_code_value(Thread *th, const vm_code *code);   /* T_CODE with constants converted */
Value vm_function_new(Thread *th, Value code, Value globals, Value qualname);
Value vm_method_new(Thread *th, Value func, Value self);
Value vm_cell_new(Thread *th, Value v);
/* A new frame for calling func with the given arguments (bound per CPython rules). */
Value vm_frame_for_call(Thread *th, Value func, Value *args, int nargs, Value kwnames);
Value vm_frame_new(Thread *th, Value code, Value globals, Value locals, Value func);
int vm_frame_init_cells(Thread *th, Value *frame_slot, Value closure);

/* eval.c */
Value vm_eval_frame(Thread *th, Value frame);         /* run to completion (nested activation) */
Value vm_eval_loop(Thread *th, Value *frame_slot);
Value vm_run_module_code(Thread *th, Value code, Value globals);
int vm_drive(Thread *th, Value frame, int (*finish)(Thread *th, Value result));  /* outermost driver */
Value vm_call_kw(Thread *th, Value func, Value args, Value kwargs);   /* func(*args, **kwargs) */

/* mod_transaction.c */
void mod_transaction_init(Thread *th);
/* The running thread's namespace of a transaction.local instance (whose InstanceObj.dict holds
   the tuple (serial, args, kwargs) instead of a dict); made, and __init__ run, on first use. */
Value vm_local_dict(Thread *th, Value obj);

/* mod_thread.c */
void mod_thread_init(Thread *th);
void vm_launch_spawns(Thread *th);                  /* after a commit: start requested threads */
void vm_drop_spawns(Thread *th);                    /* after an abort */
void vm_wake_waiters(void);                         /* a lock release committed */
void vm_nested_wait(Thread *th);                    /* a wait where the loop cannot break */
bool vm_blocked_wait(Thread *th);                   /* *th->exc is the block-retry marker: wait */
int vm_threading_shutdown(Thread *th);              /* join non-daemon threading threads */
#define SPAWN_SLOTS (4 * VM_MAX_SPAWNS)   /* 4 per thread started in one transaction */
Value vm_gen_new(Thread *th, Value frame);
Value vm_gen_send(Thread *th, Value gen, Value v, bool *yielded);
Value vm_gen_throw(Thread *th, Value gen, Value exc);
void obj_gen_init(Thread *th);
int vm_traceback_add(Thread *th, Value frame);
void vm_print_exception(Thread *th, Value exc);
int vm_run_main(Thread *th, const vm_code *code, Value globals);  /* top-level driver with tx */

/* obj_exc.c */
void obj_exc_init(Thread *th);
/* A NameError keeps the frame it was raised in under this key of its dict (our tracebacks hold
   no frames), for the "Did you mean" suggestion printed with it. */
#define VM_NAME_ERROR_FRAME "__stmvm_frame__"
bool vm_exc_suggestion(Thread *th, Value exc, char *buf, size_t n);  /* "Did you mean" text */

/* obj_iter.c */
void obj_iter_init(Thread *th);
Value vm_iter_next_builtin(Thread *th, Value it);

/* eval.c: zero-argument super(): __class__ and the first argument of the running function */
int vm_super_implicit(Thread *th, Value *type, Value *obj);
Value vm_super_getattr(Thread *th, Value sup, Value name);
int vm_setattr_user(Thread *th, Value obj, Value name, Value v);

/* builtins.c / mod_sys.c / import.c */
void builtins_init(Thread *th);
void mod_sys_init(Thread *th, int argc, char **argv);
Value vm_import(Thread *th, Value name, Value fromlist, int level, Value globals);
Value vm_import_cstr(Thread *th, const char *name);
void import_init(Thread *th);

/* import.c */
Value vm_syntax_error_value(Thread *th, const vm_syntax_error *e);

/* builtins.c: files */
FILE *vm_file_stream(Thread *th, Value file);
Value vm_file_std(Thread *th, int which);

/* embedded lib modules (generated build/vm/vm_lib.c) */
typedef struct vm_libmod { const char *name; const char *source; } vm_libmod;
extern const vm_libmod vm_lib_modules[];
extern const char *const vm_preinterned[];   /* generated build/vm/names.c */

/* threads: start-up */
Thread *vm_thread_new(void);
void vm_thread_free(Thread *th);

#endif
