/* code.h — the compiler's output: immutable code objects in plain C memory, and syntax errors. */
#ifndef VM_CODE_H
#define VM_CODE_H

/*
 * Code objects are produced by vm_compile (lexer.c, parser.c, compile.c) and never freed or
 * changed afterwards: all threads share them without any barrier.  They live outside the GC
 * heap; the interpreter turns constants into heap values when it loads the code (eval.c).
 *
 * Invariants: every jump target is < ncode; stacksize bounds the operand stack at every
 * instruction (the eval loop relies on it); lines[i] is the source line of instruction i;
 * locals 0..nargs-1 are the parameters in order: positional, then keyword-only, then *args,
 * then **kwargs (as CPython's co_varnames).
 */

#include <stddef.h>
#include <stdint.h>

enum const_kind {
    CONST_NONE, CONST_TRUE, CONST_FALSE, CONST_ELLIPSIS,
    CONST_INT,       /* text: decimal digits of a non-negative literal, already without '_' and
                        converted from 0x/0o/0b to decimal */
    CONST_FLOAT,     /* f */
    CONST_COMPLEX,   /* f: imaginary part (unsupported at run time: raises) */
    CONST_STR,       /* text, len: UTF-8 */
    CONST_BYTES,     /* text, len */
    CONST_CODE,      /* code */
    CONST_TUPLE      /* items, n: constant tuples (e.g. keyword names, default values) */
};

typedef struct vm_const {
    int kind;
    const char *text;
    size_t len;
    double f;
    const struct vm_code *code;
    const struct vm_const *items;
    size_t n;
} vm_const;

enum code_flags {
    CODE_VARARGS   = 0x04,   /* has *args */
    CODE_VARKW     = 0x08,   /* has **kwargs */
    CODE_NESTED    = 0x10,
    CODE_GENERATOR = 0x20,
    CODE_MODULE    = 0x1000, /* module body: names go to the globals dict */
    CODE_CLASS     = 0x2000  /* class body: LOAD_NAME/STORE_NAME use the class namespace */
};

typedef struct vm_code {
    const char *name;          /* "<module>", "f", "<lambda>", "<listcomp>", ... */
    const char *qualname;      /* "C.f", "f.<locals>.g" */
    const char *filename;
    int firstlineno;
    int flags;
    int argcount;              /* positional parameters (including positional-only) */
    int posonlyargcount;
    int kwonlyargcount;
    int nlocals;               /* parameters first, then other locals */
    const char **varnames;     /* nlocals names */
    int ncellvars;             /* locals captured by inner functions */
    const char **cellvars;
    int *cell2arg;             /* for each cellvar: index of the parameter it starts from, or -1 */
    int nfreevars;             /* variables of enclosing functions */
    const char **freevars;
    int nnames;                /* globals, attributes, imported names */
    const char **names;
    int nconsts;
    const vm_const *consts;
    int stacksize;
    int ncode;
    const uint32_t *code;      /* INSTR(op, arg) words, see opcodes.h */
    const int *lines;          /* ncode entries */
    const char *source;        /* whole source text of the file (for tracebacks), NUL-terminated */
} vm_code;

typedef struct vm_syntax_error {
    const char *type;          /* "SyntaxError", "IndentationError" or "TabError" */
    char msg[256];             /* CPython's wording where practical, e.g. "invalid syntax" */
    const char *filename;
    int lineno;                /* 1-based */
    int col;                   /* 1-based column of the caret (CPython's offset) */
    int end_col;               /* 1-based end column for the carets (>= col), 0 if unknown */
    char line[512];            /* the offending source line, without newline */
} vm_syntax_error;

enum compile_mode { COMPILE_FILE, COMPILE_EVAL, COMPILE_SINGLE };

/* Compile UTF-8 source.  Returns NULL and fills *err on a syntax error (invalid UTF-8 included).
   Thread-safe; allocates with malloc and never frees what it returns. */
const vm_code *vm_compile(const char *source, size_t len, const char *filename, int mode,
                          vm_syntax_error *err);

/* Print a disassembly (for tests and debugging: `stmvm --dis file.py`). */
void vm_disassemble(const vm_code *code, void *file /* FILE* */);

#endif
