/* ast.h — the syntax tree: one generic node struct; each kind uses the slots listed below
   (the field names are CPython's, in ASDL order, so the dumper matches ast.dump). */
#ifndef VM_AST_H
#define VM_AST_H

#include <stddef.h>
#include "code.h"

/*  kind            slots (CPython field names)
    Module          l1 body
    Expression      a body
    Interactive     l1 body
    FunctionDef     s1 name, a args, l1 body, l2 decorator_list, b returns?
    ClassDef        s1 name, l1 bases, l2 keywords, l3 body, l4 decorator_list
    Return          a value?
    Delete          l1 targets
    Assign          l1 targets, a value
    AugAssign       a target, i op (enum vm_binop), b value
    AnnAssign       a target, b annotation, c value?, i simple
    For             a target, b iter, l1 body, l2 orelse
    While           a test, l1 body, l2 orelse
    If              a test, l1 body, l2 orelse
    With            l1 items (withitem), l2 body
    Raise           a exc?, b cause?
    Try             l1 body, l2 handlers, l3 orelse, l4 finalbody
    Assert          a test, b msg?
    Import          l1 names (alias)
    ImportFrom      s1 module?, l1 names (alias), i level
    Global/Nonlocal l1 names (Ident nodes, s1)
    Expr            a value
    Pass/Break/Continue
    BoolOp          i op (0 And, 1 Or), l1 values
    NamedExpr       a target, b value
    BinOp           a left, i op (enum vm_binop), b right
    UnaryOp         i op (enum unop), a operand
    Lambda          a args, b body
    IfExp           a test, b body, c orelse
    Dict            l1 keys (NULL for **d), l2 values
    Set             l1 elts
    ListComp/SetComp/GeneratorExp   a elt, l1 generators
    DictComp        a key, b value, l1 generators
    Yield           a value?
    YieldFrom       a value
    Compare         a left, l1 ops (CmpOp nodes, i = enum vm_cmpop), l2 comparators
    Call            a func, l1 args, l2 keywords
    FormattedValue  a value, i conversion (-1, 's', 'r', 'a'), b format_spec?
    JoinedStr       l1 values
    Constant        k value, s1 kind? ("u")
    Attribute       a value, s1 attr, ctx
    Subscript       a value, b slice, ctx
    Starred         a value, ctx
    Name            s1 id, ctx
    List/Tuple      l1 elts, ctx
    Slice           a lower?, b upper?, c step?
    comprehension   a target, b iter, l1 ifs, i is_async
    ExceptHandler   a type?, s1 name?, l1 body
    arguments       l1 posonlyargs, l2 args, a vararg?, l3 kwonlyargs, l4 kw_defaults (NULLs),
                    b kwarg?, l5 defaults
    arg             s1 arg, a annotation?
    keyword         s1 arg?, a value
    alias           s1 name, s2 asname?
    withitem        a context_expr, b optional_vars?
*/

#define VM_NODE_KINDS(X)                                                                      \
    X(Module) X(Expression) X(Interactive)                                                    \
    X(FunctionDef) X(ClassDef) X(Return) X(Delete) X(Assign) X(AugAssign) X(AnnAssign)        \
    X(For) X(While) X(If) X(With) X(Raise) X(Try) X(Assert) X(Import) X(ImportFrom)           \
    X(Global) X(Nonlocal) X(Expr) X(Pass) X(Break) X(Continue)                                \
    X(BoolOp) X(NamedExpr) X(BinOp) X(UnaryOp) X(Lambda) X(IfExp) X(Dict) X(Set)              \
    X(ListComp) X(SetComp) X(DictComp) X(GeneratorExp) X(Yield) X(YieldFrom) X(Compare)       \
    X(Call) X(FormattedValue) X(JoinedStr) X(Constant) X(Attribute) X(Subscript) X(Starred)   \
    X(Name) X(List) X(Tuple) X(Slice)                                                         \
    X(comprehension) X(ExceptHandler) X(arguments) X(arg) X(keyword) X(alias) X(withitem)     \
    X(CmpOp) X(Ident)

enum node_kind {
#define X(n) N_##n,
    VM_NODE_KINDS(X)
#undef X
    N__COUNT
};

enum expr_ctx { CTX_LOAD, CTX_STORE, CTX_DEL };
enum unop { UNOP_INVERT, UNOP_NOT, UNOP_UADD, UNOP_USUB };
enum boolop { BOOL_AND, BOOL_OR };

typedef struct node node;
typedef struct nlist {
    node **v;
    int n, cap;
} nlist;

typedef struct aconst {
    int kind;           /* CONST_* of code.h (CONST_INT text is decimal) */
    const char *s;
    size_t len;
    double f;
} aconst;

struct node {
    int kind;
    int lineno, col, end_lineno, end_col;   /* col: 0-based byte offsets */
    node *a, *b, *c;
    nlist l1, l2, l3, l4, l5;
    const char *s1, *s2;
    int i;
    int ctx;
    int parens;         /* the expression was written in parentheses */
    aconst k;
    struct scope *scope; /* FunctionDef, ClassDef, Lambda, comprehensions: their scope */
};

/* A simple arena: everything of one compilation is freed at once. */
typedef struct arena arena;
arena *arena_new(void);
void *arena_alloc(arena *A, size_t n);     /* zeroed; NULL when out of memory */
char *arena_strndup(arena *A, const char *s, size_t n);
void arena_free(arena *A);

node *node_new(arena *A, int kind, int lineno, int col, int end_lineno, int end_col);
int nlist_push(arena *A, nlist *l, node *n);   /* -1 when out of memory */

extern const char *const vm_node_names[N__COUNT];

/* Parse source into a tree (Module for COMPILE_FILE, Expression for COMPILE_EVAL, Interactive
   for COMPILE_SINGLE), allocated in A.  Returns NULL and fills *err on a syntax error. */
node *vm_parse(arena *A, const char *src, size_t len, const char *filename, int mode,
               vm_syntax_error *err);

/* The CPython name of an expression in error messages ("literal", "function call", ...). */
const char *vm_expr_name(const node *n);

/* Print n exactly as CPython 3.11's ast.dump(n) does (no attributes, no indent). */
void ast_dump(const node *n, void *file /* FILE* */);

/* Python's repr() of a float into buf (shortest round-trip), and of a string / bytes. */
void ast_float_repr(double f, char *buf, size_t size, int add_dot_0);

/* ---- symbol table (symtable.c) ---- */

enum sym_scope { SYM_NONE, SYM_LOCAL, SYM_GLOBAL_EXPLICIT, SYM_GLOBAL_IMPLICIT, SYM_FREE, SYM_CELL };
enum sym_flags {
    DEF_LOCAL = 1, DEF_PARAM = 2, DEF_GLOBAL = 4, DEF_NONLOCAL = 8, DEF_USE = 16,
    DEF_FREE_CLASS = 32,   /* class scope: also a free variable passed through to methods */
    DEF_IMPORT = 64, DEF_ANNOT = 128
};
enum scope_kind { SCOPE_MODULE, SCOPE_FUNCTION, SCOPE_CLASS };

typedef struct symbol {
    const char *name;
    int flags;
    int scope;             /* enum sym_scope, after analysis */
    const node *decl;      /* the global/nonlocal statement, for errors */
} symbol;

typedef struct scope {
    int kind;
    const char *name;      /* "top", function/class name, "lambda", "listcomp", ... */
    node *n;
    struct scope *parent;
    symbol *syms;
    int nsyms, cap;
    struct scope **children;
    int nchildren, ccap;
    const char **params;   /* co_varnames order: positional, kw-only, *args, **kwargs */
    int nparams;
    int generator, nested, comprehension;
    int needs_class_closure;   /* class: a method uses __class__ / super: cellvar __class__ */
    const char *private_name;  /* enclosing class name for private name mangling */
} scope;

/* Build and analyze the scopes of a module tree (sets node->scope).  Returns the module scope,
   or NULL with *err filled. */
scope *vm_symtable(arena *A, node *mod, const char *filename, const char *src, vm_syntax_error *err);
symbol *scope_lookup(const scope *s, const char *name);
/* CPython's private name mangling (_Py_Mangle): "__x" in class C -> "_C__x". */
const char *vm_mangle(arena *A, const char *private_name, const char *name);

#endif
