/* compile.c — AST -> vm_code, emitting what CPython 3.10's compiler emits for these opcodes
   (block-stack exception handling, duplicated finally bodies, comprehensions as nested
   functions, LOAD_METHOD/CALL_METHOD, ...).  Errors: every function returns -1 after filling
   the error struct once.  See the report in tests/parse for the conventions the eval loop needs:
     - an exception handler is entered with exactly one value pushed (the exception); the
       previously handled exception is kept by the eval loop with the handler's block, and
       POP_EXCEPT restores it without touching the operand stack;
     - class bodies: code with CODE_CLASS; if a method uses super/__class__, the class code
       has cellvar "__class__" and ends LOAD_CLOSURE __class__; DUP_TOP;
       STORE_NAME __classcell__; RETURN_VALUE (else LOAD_CONST None; RETURN_VALUE);
     - generators start with GEN_START 0 (stack depth 1 on entry: the first sent None);
     - CALL_FUNCTION_EX: positional part may be any iterable when it is a lone *arg. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "lexer.h"
#include "opcodes.h"

enum fb_kind { FB_WHILE, FB_FOR, FB_TRY_EXCEPT, FB_FINALLY_TRY, FB_FINALLY_END, FB_WITH,
               FB_HANDLER_CLEANUP, FB_POP_VALUE, FB_EXCEPTION_HANDLER };

typedef struct fblock {
    int kind;
    int start, exit;        /* labels (loops) */
    node *datum;            /* FINALLY_TRY: the Try node (finalbody); HANDLER_CLEANUP: handler */
} fblock;

typedef struct instr {
    int op, arg, line, jump;
} instr;

typedef struct unit {
    struct unit *parent;
    scope *sc;
    const char *name, *qualname;
    int firstlineno, lineno;
    instr *code;
    int ncode, capcode;
    int *labels;
    int nlabels, caplabels;
    vm_const *consts;
    int nconsts, capconsts;
    const char **names;
    int nnames, capnames;
    const char **varnames;
    int nvarnames, capvarnames;
    const char **cellvars, **freevars;
    int ncells, nfree;
    fblock fb[100];
    int nfb;
    int argcount, posonly, kwonly, flags;
} unit;

typedef struct compiler {
    arena *A;       /* temporary: tree, scopes, units */
    arena *P;       /* permanent: the code objects */
    const char *filename, *src;
    vm_syntax_error *err;
    int failed;
    int interactive;
    unit *u;
} compiler;

#define TRY(x)                  \
    do {                        \
        if ((x) < 0)            \
            return -1;          \
    } while (0)
#define EMIT(op, arg) TRY(emit(c, OP_##op, (arg)))
#define JUMP(op, label) TRY(emit_jump(c, OP_##op, (label)))

static int compile_expr(compiler *c, node *e);
static int compile_stmt(compiler *c, node *s);
static int compile_store(compiler *c, node *t);

/* ---- errors and memory ---- */

static int oom(compiler *c)
{
    if (!c->failed)
        vm_set_error(c->err, "MemoryError", c->filename, NULL, 0, 0, 0, "out of memory");
    c->failed = 1;
    return -1;
}

static int cerror(compiler *c, const node *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int cerror(compiler *c, const node *n, const char *fmt, ...)
{
    if (c->failed)
        return -1;
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    vm_set_error(c->err, "SyntaxError", c->filename, c->src, n->lineno, n->col + 1,
                 n->end_lineno == n->lineno ? n->end_col + 1 : 0, "%s", buf);
    c->failed = 1;
    return -1;
}

static int grow(compiler *c, void **v, int *cap, int n, size_t size)
{
    if (n < *cap)
        return 0;
    int ncap = *cap ? 2 * *cap : 16;
    void *nv = realloc(*v, (size_t)ncap * size);
    if (!nv)
        return oom(c);
    *v = nv;
    *cap = ncap;
    return 0;
}

static const char *perm_str(compiler *c, const char *s, size_t n)
{
    return arena_strndup(c->P, s, n);
}

/* ---- emission ---- */

static int emit(compiler *c, int op, int arg)
{
    unit *u = c->u;
    TRY(grow(c, (void **)&u->code, &u->capcode, u->ncode, sizeof(instr)));
    u->code[u->ncode++] = (instr){op, arg, u->lineno, 0};
    return 0;
}

static int new_label(compiler *c)
{
    unit *u = c->u;
    if (grow(c, (void **)&u->labels, &u->caplabels, u->nlabels, sizeof(int)) < 0)
        return -1;
    u->labels[u->nlabels] = -1;
    return u->nlabels++;
}

static void set_label(compiler *c, int label)
{
    c->u->labels[label] = c->u->ncode;
}

static int emit_jump(compiler *c, int op, int label)
{
    TRY(emit(c, op, label));
    c->u->code[c->u->ncode - 1].jump = 1;
    return 0;
}

static int const_equal(const vm_const *a, const vm_const *b)
{
    if (a->kind != b->kind)
        return 0;
    switch (a->kind) {
    case CONST_INT: case CONST_STR: case CONST_BYTES:
        return a->len == b->len && !memcmp(a->text, b->text, a->len);
    case CONST_FLOAT: case CONST_COMPLEX:
        return !memcmp(&a->f, &b->f, sizeof a->f);
    case CONST_CODE:
        return a->code == b->code;
    case CONST_TUPLE:
        if (a->n != b->n)
            return 0;
        for (size_t i = 0; i < a->n; i++)
            if (!const_equal(&a->items[i], &b->items[i]))
                return 0;
        return 1;
    default:
        return 1;
    }
}

static int add_const(compiler *c, const vm_const *k)
{
    unit *u = c->u;
    for (int i = 0; i < u->nconsts; i++)
        if (const_equal(&u->consts[i], k))
            return i;
    TRY(grow(c, (void **)&u->consts, &u->capconsts, u->nconsts, sizeof(vm_const)));
    u->consts[u->nconsts] = *k;
    return u->nconsts++;
}

static int const_from_ast(compiler *c, const aconst *a, vm_const *k)
{
    memset(k, 0, sizeof *k);
    k->kind = a->kind;
    k->f = a->f;
    if (a->kind == CONST_INT || a->kind == CONST_STR || a->kind == CONST_BYTES) {
        k->len = a->kind == CONST_INT ? strlen(a->s) : a->len;
        if (!(k->text = perm_str(c, a->s, k->len)))
            return oom(c);
    }
    return 0;
}

static int load_const_kind(compiler *c, int kind)
{
    vm_const k = {.kind = kind};
    int i = add_const(c, &k);
    TRY(i);
    return emit(c, OP_LOAD_CONST, i);
}

static int str_const(compiler *c, const char *s)
{
    vm_const k = {.kind = CONST_STR, .len = strlen(s)};
    if (!(k.text = perm_str(c, s, k.len)))
        return oom(c);
    return add_const(c, &k);
}

static int load_str(compiler *c, const char *s)
{
    int i = str_const(c, s);
    TRY(i);
    return emit(c, OP_LOAD_CONST, i);
}

static int load_int(compiler *c, int v)
{
    char buf[16];
    snprintf(buf, sizeof buf, "%d", v);
    vm_const k = {.kind = CONST_INT, .len = strlen(buf)};
    if (!(k.text = perm_str(c, buf, k.len)))
        return oom(c);
    int i = add_const(c, &k);
    TRY(i);
    return emit(c, OP_LOAD_CONST, i);
}

static int add_name(compiler *c, const char *name)
{
    unit *u = c->u;
    for (int i = 0; i < u->nnames; i++)
        if (!strcmp(u->names[i], name))
            return i;
    TRY(grow(c, (void **)&u->names, &u->capnames, u->nnames, sizeof(char *)));
    if (!(u->names[u->nnames] = perm_str(c, name, strlen(name))))
        return oom(c);
    return u->nnames++;
}

static int varname_index(compiler *c, const char *name)
{
    unit *u = c->u;
    for (int i = 0; i < u->nvarnames; i++)
        if (!strcmp(u->varnames[i], name))
            return i;
    TRY(grow(c, (void **)&u->varnames, &u->capvarnames, u->nvarnames, sizeof(char *)));
    if (!(u->varnames[u->nvarnames] = perm_str(c, name, strlen(name))))
        return oom(c);
    return u->nvarnames++;
}

static int deref_index(compiler *c, const char *name)
{
    unit *u = c->u;
    for (int i = 0; i < u->ncells; i++)
        if (!strcmp(u->cellvars[i], name))
            return i;
    for (int i = 0; i < u->nfree; i++)
        if (!strcmp(u->freevars[i], name))
            return u->ncells + i;
    vm_set_error(c->err, "SystemError", c->filename, NULL, 0, 0, 0, "no cell for '%s'", name);
    c->failed = 1;
    return -1;
}

static const char *mangle(compiler *c, const char *name)
{
    const char *m = vm_mangle(c->A, c->u->sc->private_name, name);
    if (!m)
        oom(c);
    return m;
}

/* ---- units ---- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int enter_unit(compiler *c, scope *sc, const char *name, const char *qualname, int lineno)
{
    unit *u = arena_alloc(c->A, sizeof *u);
    if (!u)
        return oom(c);
    u->parent = c->u;
    u->sc = sc;
    u->name = name;
    u->qualname = qualname;
    u->firstlineno = u->lineno = lineno;
    c->u = u;
    for (int i = 0; i < sc->nparams; i++)
        TRY(varname_index(c, sc->params[i]));
    int ncell = sc->needs_class_closure, nfree = 0;
    for (int i = 0; i < sc->nsyms; i++) {
        symbol *y = &sc->syms[i];
        ncell += y->scope == SYM_CELL;
        nfree += y->scope == SYM_FREE || (y->flags & DEF_FREE_CLASS);
    }
    u->cellvars = arena_alloc(c->A, (size_t)(ncell + 1) * sizeof(char *));
    u->freevars = arena_alloc(c->A, (size_t)(nfree + 1) * sizeof(char *));
    if (!u->cellvars || !u->freevars)
        return oom(c);
    if (sc->needs_class_closure)
        u->cellvars[u->ncells++] = "__class__";
    for (int i = 0; i < sc->nsyms; i++) {
        symbol *y = &sc->syms[i];
        if (y->scope == SYM_CELL)
            u->cellvars[u->ncells++] = y->name;
        else if (y->scope == SYM_FREE || (y->flags & DEF_FREE_CLASS))
            u->freevars[u->nfree++] = y->name;
    }
    qsort(u->cellvars, (size_t)u->ncells, sizeof(char *), cmp_str);
    qsort(u->freevars, (size_t)u->nfree, sizeof(char *), cmp_str);
    if (sc->kind == SCOPE_MODULE)
        u->flags |= CODE_MODULE;
    if (sc->kind == SCOPE_CLASS)
        u->flags |= CODE_CLASS;
    if (sc->generator)
        u->flags |= CODE_GENERATOR;
    if (sc->nested)
        u->flags |= CODE_NESTED;
    return 0;
}

static void free_unit(unit *u)
{
    free(u->code);
    free(u->labels);
    free(u->consts);
    free(u->names);
    free(u->varnames);
}

/* ---- assembly: labels, stack depth, the vm_code ---- */

static int stack_effect(int op, int arg, int jump)
{
    switch (op) {
    case OP_NOP: case OP_ROT_TWO: case OP_ROT_THREE: case OP_ROT_FOUR: return 0;
    case OP_POP_TOP: return -1;
    case OP_DUP_TOP: return 1;
    case OP_DUP_TOP_TWO: return 2;
    case OP_LOAD_CONST: case OP_LOAD_FAST: case OP_LOAD_DEREF: case OP_LOAD_CLOSURE:
    case OP_LOAD_CLASSDEREF: case OP_LOAD_GLOBAL: case OP_LOAD_NAME: return 1;
    case OP_STORE_FAST: case OP_STORE_DEREF: case OP_STORE_GLOBAL: case OP_STORE_NAME: return -1;
    case OP_DELETE_FAST: case OP_DELETE_DEREF: case OP_DELETE_GLOBAL: case OP_DELETE_NAME: return 0;
    case OP_LOAD_ATTR: return 0;
    case OP_STORE_ATTR: return -2;
    case OP_DELETE_ATTR: return -1;
    case OP_LOAD_METHOD: return 1;
    case OP_CALL_METHOD: return -arg - 1;
    case OP_BINARY_OP: case OP_COMPARE_OP: return -1;
    case OP_UNARY_POSITIVE: case OP_UNARY_NEGATIVE: case OP_UNARY_NOT: case OP_UNARY_INVERT: return 0;
    case OP_JUMP_IF_NOT_EXC_MATCH: return -2;
    case OP_BINARY_SUBSCR: return -1;
    case OP_STORE_SUBSCR: return -3;
    case OP_DELETE_SUBSCR: return -2;
    case OP_BUILD_TUPLE: case OP_BUILD_LIST: case OP_BUILD_SET: case OP_BUILD_SLICE: case OP_BUILD_STRING:
        return 1 - arg;
    case OP_BUILD_MAP: return 1 - 2 * arg;
    case OP_BUILD_CONST_KEY_MAP: return -arg;
    case OP_LIST_APPEND: case OP_SET_ADD: return -1;
    case OP_MAP_ADD: return -2;
    case OP_LIST_EXTEND: case OP_SET_UPDATE: case OP_DICT_UPDATE: case OP_DICT_MERGE: return -1;
    case OP_LIST_TO_TUPLE: return 0;
    case OP_UNPACK_SEQUENCE: return arg - 1;
    case OP_UNPACK_EX: return (arg & 0xFF) + (arg >> 8);
    case OP_FORMAT_VALUE: return (arg & 4) ? -1 : 0;
    case OP_JUMP_FORWARD: case OP_JUMP_ABSOLUTE: return 0;
    case OP_POP_JUMP_IF_FALSE: case OP_POP_JUMP_IF_TRUE: return -1;
    case OP_JUMP_IF_FALSE_OR_POP: case OP_JUMP_IF_TRUE_OR_POP: return jump ? 0 : -1;
    case OP_GET_ITER: return 0;
    case OP_FOR_ITER: return jump ? -1 : 1;
    case OP_CALL_FUNCTION: return -arg;
    case OP_CALL_FUNCTION_KW: return -arg - 1;
    case OP_CALL_FUNCTION_EX: return -1 - (arg & 1);
    case OP_MAKE_FUNCTION:
        return -1 - ((arg & 1) != 0) - ((arg & 2) != 0) - ((arg & 4) != 0) - ((arg & 8) != 0);
    case OP_RETURN_VALUE: return -1;
    case OP_SETUP_FINALLY: return jump ? 1 : 0;
    case OP_SETUP_WITH: return 1;
    case OP_WITH_EXCEPT_START: return 1;
    case OP_POP_BLOCK: case OP_POP_EXCEPT: return 0;
    case OP_RERAISE: return -1;
    case OP_RAISE_VARARGS: return -arg;
    case OP_LOAD_ASSERTION_ERROR: case OP_LOAD_BUILD_CLASS: return 1;
    case OP_IMPORT_NAME: return -1;
    case OP_IMPORT_FROM: return 1;
    case OP_IMPORT_STAR: return -1;
    case OP_YIELD_VALUE: case OP_GET_YIELD_FROM_ITER: return 0;
    case OP_YIELD_FROM: return -1;
    case OP_GEN_START: return -1;
    case OP_PRINT_EXPR: return -1;
    }
    return 0;
}

static int is_terminal(int op)
{
    return op == OP_RETURN_VALUE || op == OP_RERAISE || op == OP_RAISE_VARARGS || op == OP_JUMP_FORWARD ||
           op == OP_JUMP_ABSOLUTE;
}

static int has_jump_target(int op)
{
    switch (op) {
    case OP_JUMP_FORWARD: case OP_JUMP_ABSOLUTE: case OP_POP_JUMP_IF_FALSE: case OP_POP_JUMP_IF_TRUE:
    case OP_JUMP_IF_FALSE_OR_POP: case OP_JUMP_IF_TRUE_OR_POP: case OP_FOR_ITER: case OP_SETUP_FINALLY:
    case OP_SETUP_WITH: case OP_JUMP_IF_NOT_EXC_MATCH:
        return 1;
    }
    return 0;
}

static int stack_depth(compiler *c, const instr *code, int n, int start_depth)
{
    int *depth = malloc((size_t)(n + 1) * sizeof *depth);
    int *work = malloc((size_t)(n + 1) * sizeof *work);
    if (!depth || !work) {
        free(depth);
        free(work);
        return oom(c);
    }
    for (int i = 0; i < n; i++)
        depth[i] = -1;
    int nw = 0, maxd = start_depth;
    depth[0] = start_depth;
    work[nw++] = 0;
    while (nw > 0) {
        int i = work[--nw];
        int d = depth[i];
        for (; i < n; i++) {
            const instr *in = &code[i];
            if (has_jump_target(in->op)) {
                int t = in->arg, td = d + stack_effect(in->op, in->arg, 1);
                if (td > maxd)
                    maxd = td;
                if (t < n && depth[t] < td) {
                    depth[t] = td;
                    work[nw++] = t;
                }
            }
            d += stack_effect(in->op, in->arg, 0);
            if (d > maxd)
                maxd = d;
            if (is_terminal(in->op) || i + 1 >= n)
                break;
            if (depth[i + 1] >= d)
                break;
            depth[i + 1] = d;
        }
    }
    free(depth);
    free(work);
    return maxd;
}

static const vm_code *assemble(compiler *c)
{
    unit *u = c->u;
    /* implicit `return None` when the end is reachable */
    int need_ret = u->ncode == 0 || u->code[u->ncode - 1].op != OP_RETURN_VALUE;
    for (int i = 0; i < u->nlabels; i++)
        if (u->labels[i] == u->ncode)
            need_ret = 1;
    if (need_ret) {
        if (load_const_kind(c, CONST_NONE) < 0 || emit(c, OP_RETURN_VALUE, 0) < 0)
            return NULL;
    }
    for (int i = 0; i < u->ncode; i++)
        if (u->code[i].jump) {
            u->code[i].arg = u->labels[u->code[i].arg];
            u->code[i].jump = 0;
        }
    vm_code *co = arena_alloc(c->P, sizeof *co);
    uint32_t *words = arena_alloc(c->P, (size_t)u->ncode * sizeof *words);
    int *lines = arena_alloc(c->P, (size_t)u->ncode * sizeof *lines);
    if (!co || !words || !lines)
        return oom(c), NULL;
    for (int i = 0; i < u->ncode; i++) {
        words[i] = INSTR(u->code[i].op, u->code[i].arg);
        lines[i] = u->code[i].line;
    }
    int sd = stack_depth(c, u->code, u->ncode, (u->flags & CODE_GENERATOR) ? 1 : 0);
    if (sd < 0)
        return NULL;
    co->name = perm_str(c, u->name, strlen(u->name));
    co->qualname = perm_str(c, u->qualname, strlen(u->qualname));
    co->filename = c->filename;
    co->firstlineno = u->firstlineno;
    co->flags = u->flags;
    co->argcount = u->argcount;
    co->posonlyargcount = u->posonly;
    co->kwonlyargcount = u->kwonly;
    co->stacksize = sd;
    co->ncode = u->ncode;
    co->code = words;
    co->lines = lines;
    co->source = c->src;
    const char **v = arena_alloc(c->P, (size_t)(u->nvarnames + u->ncells + u->nfree + u->nnames + 1) * sizeof *v);
    vm_const *k = arena_alloc(c->P, (size_t)(u->nconsts + 1) * sizeof *k);
    int *c2a = arena_alloc(c->P, (size_t)(u->ncells + 1) * sizeof *c2a);
    if (!v || !k || !c2a || !co->name || !co->qualname)
        return oom(c), NULL;
    co->nlocals = u->nvarnames;
    co->varnames = v;
    if (u->nvarnames)
        memcpy(v, u->varnames, (size_t)u->nvarnames * sizeof *v);
    v += u->nvarnames;
    co->ncellvars = u->ncells;
    co->cellvars = v;
    for (int i = 0; i < u->ncells; i++) {
        if (!(v[i] = perm_str(c, u->cellvars[i], strlen(u->cellvars[i]))))
            return oom(c), NULL;
        c2a[i] = -1;
        for (int a = 0; a < u->sc->nparams; a++)
            if (!strcmp(u->sc->params[a], u->cellvars[i]))
                c2a[i] = a;
    }
    co->cell2arg = c2a;
    v += u->ncells;
    co->nfreevars = u->nfree;
    co->freevars = v;
    for (int i = 0; i < u->nfree; i++)
        if (!(v[i] = perm_str(c, u->freevars[i], strlen(u->freevars[i]))))
            return oom(c), NULL;
    v += u->nfree;
    co->nnames = u->nnames;
    co->names = v;
    if (u->nnames)
        memcpy(v, u->names, (size_t)u->nnames * sizeof *v);
    co->nconsts = u->nconsts;
    if (u->nconsts)
        memcpy(k, u->consts, (size_t)u->nconsts * sizeof *k);
    co->consts = k;
    return co;
}

static const vm_code *exit_unit(compiler *c)
{
    const vm_code *co = assemble(c);
    unit *u = c->u;
    c->u = u->parent;
    free_unit(u);
    return co;
}

/* ---- names ---- */

static int nameop(compiler *c, const char *name, int ctx)
{
    const char *m = mangle(c, name);
    if (!m)
        return -1;
    unit *u = c->u;
    symbol *y = scope_lookup(u->sc, m);
    int sc = y ? y->scope : SYM_NONE;
    int fn = u->sc->kind == SCOPE_FUNCTION;
    enum { NK_NAME, NK_FAST, NK_GLOBAL, NK_DEREF } kind = NK_NAME;
    switch (sc) {
    case SYM_FREE: case SYM_CELL: kind = NK_DEREF; break;
    case SYM_LOCAL: kind = fn ? NK_FAST : NK_NAME; break;
    case SYM_GLOBAL_IMPLICIT: kind = fn ? NK_GLOBAL : NK_NAME; break;
    case SYM_GLOBAL_EXPLICIT: kind = NK_GLOBAL; break;
    }
    if (sc == SYM_LOCAL && y && (y->flags & DEF_FREE_CLASS))
        kind = NK_NAME;
    int i;
    switch (kind) {
    case NK_DEREF:
        TRY(i = deref_index(c, m));
        if (ctx == CTX_LOAD)
            return emit(c, u->sc->kind == SCOPE_CLASS ? OP_LOAD_CLASSDEREF : OP_LOAD_DEREF, i);
        return emit(c, ctx == CTX_STORE ? OP_STORE_DEREF : OP_DELETE_DEREF, i);
    case NK_FAST:
        TRY(i = varname_index(c, m));
        return emit(c, ctx == CTX_LOAD ? OP_LOAD_FAST : ctx == CTX_STORE ? OP_STORE_FAST : OP_DELETE_FAST, i);
    case NK_GLOBAL:
        TRY(i = add_name(c, m));
        return emit(c, ctx == CTX_LOAD ? OP_LOAD_GLOBAL : ctx == CTX_STORE ? OP_STORE_GLOBAL : OP_DELETE_GLOBAL, i);
    default:
        TRY(i = add_name(c, m));
        return emit(c, ctx == CTX_LOAD ? OP_LOAD_NAME : ctx == CTX_STORE ? OP_STORE_NAME : OP_DELETE_NAME, i);
    }
}

static int attr_op(compiler *c, int op, const char *attr)
{
    const char *m = mangle(c, attr);
    if (!m)
        return -1;
    int i = add_name(c, m);
    TRY(i);
    return emit(c, op, i);
}

/* ---- fblocks and unwinding ---- */

static int push_fb(compiler *c, int kind, int start, int exit, node *datum)
{
    unit *u = c->u;
    if (u->nfb >= (int)(sizeof u->fb / sizeof u->fb[0]))
        return cerror(c, datum ? datum : u->sc->n, "too many statically nested blocks");
    u->fb[u->nfb++] = (fblock){kind, start, exit, datum};
    return 0;
}

static void pop_fb(compiler *c)
{
    c->u->nfb--;
}

static int compile_stmts(compiler *c, nlist *l);

static int clear_name(compiler *c, const char *name)
{
    TRY(load_const_kind(c, CONST_NONE));
    TRY(nameop(c, name, CTX_STORE));
    return nameop(c, name, CTX_DEL);
}

static int call_exit_with_nones(compiler *c)
{
    TRY(load_const_kind(c, CONST_NONE));
    EMIT(DUP_TOP, 0);
    EMIT(DUP_TOP, 0);
    EMIT(CALL_FUNCTION, 3);
    return 0;
}

static int unwind_fblock(compiler *c, fblock *f, int preserve_tos)
{
    switch (f->kind) {
    case FB_WHILE: case FB_EXCEPTION_HANDLER:
        return 0;
    case FB_FOR: case FB_POP_VALUE:
        if (preserve_tos)
            EMIT(ROT_TWO, 0);
        EMIT(POP_TOP, 0);
        return 0;
    case FB_TRY_EXCEPT:
        EMIT(POP_BLOCK, 0);
        return 0;
    case FB_FINALLY_TRY:
        EMIT(POP_BLOCK, 0);
        if (preserve_tos)
            TRY(push_fb(c, FB_POP_VALUE, -1, -1, NULL));
        TRY(compile_stmts(c, &f->datum->l4));
        if (preserve_tos)
            pop_fb(c);
        return 0;
    case FB_FINALLY_END:
        if (preserve_tos)
            EMIT(ROT_TWO, 0);
        EMIT(POP_TOP, 0);
        EMIT(POP_EXCEPT, 0);
        return 0;
    case FB_WITH:
        EMIT(POP_BLOCK, 0);
        if (preserve_tos)
            EMIT(ROT_TWO, 0);
        TRY(call_exit_with_nones(c));
        EMIT(POP_TOP, 0);
        return 0;
    case FB_HANDLER_CLEANUP:
        if (f->datum && f->datum->s1)
            EMIT(POP_BLOCK, 0);
        EMIT(POP_EXCEPT, 0);
        if (f->datum && f->datum->s1)
            TRY(clear_name(c, f->datum->s1));
        return 0;
    }
    return 0;
}

/* Unwind the block stack up to (not including) the innermost loop when loop != NULL. */
static int unwind_fblock_stack(compiler *c, int preserve_tos, fblock *loop, int *found)
{
    unit *u = c->u;
    if (u->nfb == 0)
        return 0;
    fblock top = u->fb[u->nfb - 1];
    if (loop && (top.kind == FB_WHILE || top.kind == FB_FOR)) {
        *loop = top;
        *found = 1;
        return 0;
    }
    u->nfb--;
    int r = unwind_fblock(c, &top, preserve_tos);
    if (r == 0)
        r = unwind_fblock_stack(c, preserve_tos, loop, found);
    u->fb[u->nfb++] = top;
    return r;
}

/* ---- expressions ---- */

static int is_const_node(const node *e)
{
    if (e->kind == N_Constant)
        return 1;
    if (e->kind == N_Tuple && e->ctx == CTX_LOAD) {
        for (int i = 0; i < e->l1.n; i++)
            if (!is_const_node(e->l1.v[i]))
                return 0;
        return 1;
    }
    return 0;
}

static int make_const(compiler *c, const node *e, vm_const *k)
{
    if (e->kind == N_Constant)
        return const_from_ast(c, &e->k, k);
    memset(k, 0, sizeof *k);
    k->kind = CONST_TUPLE;
    k->n = (size_t)e->l1.n;
    vm_const *items = arena_alloc(c->P, (k->n + 1) * sizeof *items);
    if (!items)
        return oom(c);
    for (int i = 0; i < e->l1.n; i++)
        TRY(make_const(c, e->l1.v[i], &items[i]));
    k->items = items;
    return 0;
}

static int load_node_const(compiler *c, const node *e)
{
    vm_const k;
    TRY(make_const(c, e, &k));
    int i = add_const(c, &k);
    TRY(i);
    return emit(c, OP_LOAD_CONST, i);
}

static int load_names_tuple(compiler *c, const char **names, int n)
{
    vm_const k = {.kind = CONST_TUPLE, .n = (size_t)n};
    vm_const *items = arena_alloc(c->P, (size_t)(n + 1) * sizeof *items);
    if (!items)
        return oom(c);
    for (int i = 0; i < n; i++) {
        items[i].kind = CONST_STR;
        items[i].len = strlen(names[i]);
        if (!(items[i].text = perm_str(c, names[i], items[i].len)))
            return oom(c);
    }
    k.items = items;
    int i = add_const(c, &k);
    TRY(i);
    return emit(c, OP_LOAD_CONST, i);
}

static int compile_exprs(compiler *c, nlist *l)
{
    for (int i = 0; i < l->n; i++)
        TRY(compile_expr(c, l->v[i]));
    return 0;
}

/* CPython's starunpack_helper: BUILD_x, or BUILD_LIST + LIST_APPEND/LIST_EXTEND with stars */
static int starunpack(compiler *c, nlist *elts, int pushed, int build, int add, int extend, int tuple)
{
    int seen_star = 0;
    for (int i = 0; i < elts->n; i++)
        seen_star |= elts->v[i]->kind == N_Starred;
    if (!seen_star) {
        TRY(compile_exprs(c, elts));
        return emit(c, tuple ? OP_BUILD_TUPLE : build, elts->n + pushed);
    }
    int built = 0;
    for (int i = 0; i < elts->n; i++) {
        node *e = elts->v[i];
        if (e->kind == N_Starred) {
            if (!built) {
                TRY(emit(c, build, i + pushed));
                built = 1;
            }
            TRY(compile_expr(c, e->a));
            TRY(emit(c, extend, 1));
        } else {
            TRY(compile_expr(c, e));
            if (built)
                TRY(emit(c, add, 1));
        }
    }
    if (tuple)
        EMIT(LIST_TO_TUPLE, 0);
    return 0;
}

static int validate_keywords(compiler *c, nlist *kws)
{
    for (int i = 0; i < kws->n; i++) {
        const char *k = kws->v[i]->s1;
        if (!k)
            continue;
        for (int j = i + 1; j < kws->n; j++)
            if (kws->v[j]->s1 && !strcmp(k, kws->v[j]->s1))
                return cerror(c, kws->v[j], "keyword argument repeated: %s", k);
    }
    return 0;
}

static int subkwargs(compiler *c, nlist *kws, int begin, int end)
{
    int n = end - begin;
    if (n > 1) {
        const char **names = arena_alloc(c->A, (size_t)n * sizeof *names);
        if (!names)
            return oom(c);
        for (int i = begin; i < end; i++) {
            TRY(compile_expr(c, kws->v[i]->a));
            names[i - begin] = kws->v[i]->s1;
        }
        TRY(load_names_tuple(c, names, n));
        return emit(c, OP_BUILD_CONST_KEY_MAP, n);
    }
    for (int i = begin; i < end; i++) {
        TRY(load_str(c, kws->v[i]->s1));
        TRY(compile_expr(c, kws->v[i]->a));
    }
    return emit(c, OP_BUILD_MAP, n);
}

/* The function (and `pushed` extra positional values) are on the stack. */
static int call_helper(compiler *c, int pushed, nlist *args, nlist *kws)
{
    TRY(validate_keywords(c, kws));
    int ex = 0;
    for (int i = 0; i < args->n; i++)
        ex |= args->v[i]->kind == N_Starred;
    for (int i = 0; i < kws->n; i++)
        ex |= kws->v[i]->s1 == NULL;
    if (!ex) {
        TRY(compile_exprs(c, args));
        if (kws->n) {
            const char **names = arena_alloc(c->A, (size_t)kws->n * sizeof *names);
            if (!names)
                return oom(c);
            for (int i = 0; i < kws->n; i++) {
                TRY(compile_expr(c, kws->v[i]->a));
                names[i] = kws->v[i]->s1;
            }
            TRY(load_names_tuple(c, names, kws->n));
            return emit(c, OP_CALL_FUNCTION_KW, pushed + args->n + kws->n);
        }
        return emit(c, OP_CALL_FUNCTION, pushed + args->n);
    }
    if (pushed == 0 && args->n == 1 && args->v[0]->kind == N_Starred)
        TRY(compile_expr(c, args->v[0]->a));
    else
        TRY(starunpack(c, args, pushed, OP_BUILD_LIST, OP_LIST_APPEND, OP_LIST_EXTEND, 1));
    if (kws->n) {
        int have_dict = 0, nseen = 0;
        for (int i = 0; i < kws->n; i++) {
            if (kws->v[i]->s1) {
                nseen++;
                continue;
            }
            if (nseen) {
                TRY(subkwargs(c, kws, i - nseen, i));
                if (have_dict)
                    EMIT(DICT_MERGE, 1);
                have_dict = 1;
                nseen = 0;
            }
            if (!have_dict) {
                EMIT(BUILD_MAP, 0);
                have_dict = 1;
            }
            TRY(compile_expr(c, kws->v[i]->a));
            EMIT(DICT_MERGE, 1);
        }
        if (nseen) {
            TRY(subkwargs(c, kws, kws->n - nseen, kws->n));
            if (have_dict)
                EMIT(DICT_MERGE, 1);
        }
    }
    return emit(c, OP_CALL_FUNCTION_EX, kws->n > 0);
}

static int compile_call(compiler *c, node *e)
{
    node *f = e->a;
    int simple = f->kind == N_Attribute && f->ctx == CTX_LOAD && e->l2.n == 0 && e->l1.n < 255;
    for (int i = 0; simple && i < e->l1.n; i++)
        simple = e->l1.v[i]->kind != N_Starred;
    if (simple) {
        TRY(compile_expr(c, f->a));
        int old = c->u->lineno;
        c->u->lineno = f->end_lineno;
        TRY(attr_op(c, OP_LOAD_METHOD, f->s1));
        c->u->lineno = old;
        TRY(compile_exprs(c, &e->l1));
        return emit(c, OP_CALL_METHOD, e->l1.n);
    }
    TRY(compile_expr(c, f));
    return call_helper(c, 0, &e->l1, &e->l2);
}

static int subdict(compiler *c, node *e, int begin, int end)
{
    int n = end - begin, allconst = n > 1;
    for (int i = begin; allconst && i < end; i++)
        allconst = e->l1.v[i]->kind == N_Constant;
    if (allconst) {
        for (int i = begin; i < end; i++)
            TRY(compile_expr(c, e->l2.v[i]));
        node tup;
        memset(&tup, 0, sizeof tup);
        tup.kind = N_Tuple;
        tup.l1.v = e->l1.v + begin;
        tup.l1.n = n;
        TRY(load_node_const(c, &tup));
        return emit(c, OP_BUILD_CONST_KEY_MAP, n);
    }
    for (int i = begin; i < end; i++) {
        TRY(compile_expr(c, e->l1.v[i]));
        TRY(compile_expr(c, e->l2.v[i]));
    }
    return emit(c, OP_BUILD_MAP, n);
}

static int compile_dict(compiler *c, node *e)
{
    int have_dict = 0, elements = 0, n = e->l1.n;
    for (int i = 0; i < n; i++) {
        if (e->l1.v[i] == NULL) {
            if (elements) {
                TRY(subdict(c, e, i - elements, i));
                if (have_dict)
                    EMIT(DICT_UPDATE, 1);
                have_dict = 1;
                elements = 0;
            }
            if (!have_dict) {
                EMIT(BUILD_MAP, 0);
                have_dict = 1;
            }
            TRY(compile_expr(c, e->l2.v[i]));
            EMIT(DICT_UPDATE, 1);
        } else {
            if (elements == 0xFFFF) {
                TRY(subdict(c, e, i - elements, i));
                if (have_dict)
                    EMIT(DICT_UPDATE, 1);
                have_dict = 1;
                elements = 0;
            }
            elements++;
        }
    }
    if (elements) {
        TRY(subdict(c, e, n - elements, n));
        if (have_dict)
            EMIT(DICT_UPDATE, 1);
        have_dict = 1;
    }
    if (!have_dict)
        EMIT(BUILD_MAP, 0);
    return 0;
}

static int compile_compare(compiler *c, node *e)
{
    TRY(compile_expr(c, e->a));
    int n = e->l1.n;
    if (n == 1) {
        TRY(compile_expr(c, e->l2.v[0]));
        return emit(c, OP_COMPARE_OP, e->l1.v[0]->i);
    }
    int cleanup = new_label(c), end = new_label(c);
    TRY(cleanup);
    TRY(end);
    for (int i = 0; i < n - 1; i++) {
        TRY(compile_expr(c, e->l2.v[i]));
        EMIT(DUP_TOP, 0);
        EMIT(ROT_THREE, 0);
        EMIT(COMPARE_OP, e->l1.v[i]->i);
        JUMP(JUMP_IF_FALSE_OR_POP, cleanup);
    }
    TRY(compile_expr(c, e->l2.v[n - 1]));
    EMIT(COMPARE_OP, e->l1.v[n - 1]->i);
    JUMP(JUMP_FORWARD, end);
    set_label(c, cleanup);
    EMIT(ROT_TWO, 0);
    EMIT(POP_TOP, 0);
    set_label(c, end);
    return 0;
}

static int compile_slice_or_expr(compiler *c, node *e)
{
    if (e->kind != N_Slice)
        return compile_expr(c, e);
    if (e->a) TRY(compile_expr(c, e->a)); else TRY(load_const_kind(c, CONST_NONE));
    if (e->b) TRY(compile_expr(c, e->b)); else TRY(load_const_kind(c, CONST_NONE));
    if (e->c)
        TRY(compile_expr(c, e->c));
    return emit(c, OP_BUILD_SLICE, e->c ? 3 : 2);
}

static const char *qualname_for(compiler *c, const char *name)
{
    unit *p = c->u;
    if (p->sc->kind == SCOPE_MODULE)
        return name;
    symbol *y = scope_lookup(p->sc, name);
    if (y && y->scope == SYM_GLOBAL_EXPLICIT)
        return name;
    size_t n = strlen(p->qualname) + strlen(name) + 12;
    char *q = arena_alloc(c->A, n);
    if (!q)
        return oom(c), NULL;
    int fn = p->sc->kind == SCOPE_FUNCTION && !p->sc->comprehension;
    snprintf(q, n, "%s%s.%s", p->qualname, fn ? ".<locals>" : "", name);
    return q;
}

/* Push [closure tuple] code qualname and MAKE_FUNCTION (flags: 1 defaults, 2 kwdefaults,
   4 annotations, 8 closure). */
static int make_closure(compiler *c, const vm_code *co, const char *qualname, int flags)
{
    if (co->nfreevars) {
        for (int i = 0; i < co->nfreevars; i++) {
            int idx = deref_index(c, co->freevars[i]);
            TRY(idx);
            EMIT(LOAD_CLOSURE, idx);
        }
        EMIT(BUILD_TUPLE, co->nfreevars);
        flags |= 8;
    }
    vm_const k = {.kind = CONST_CODE, .code = co};
    int i = add_const(c, &k);
    TRY(i);
    EMIT(LOAD_CONST, i);
    TRY(load_str(c, qualname));
    return emit(c, OP_MAKE_FUNCTION, flags);
}

static int comprehension_generator(compiler *c, node *e, int gen_index, int depth)
{
    node *g = e->l1.v[gen_index];
    int start = new_label(c), if_cleanup = new_label(c), anchor = new_label(c);
    TRY(start);
    TRY(if_cleanup);
    TRY(anchor);
    if (gen_index == 0) {
        EMIT(LOAD_FAST, 0);
    } else {
        TRY(compile_expr(c, g->b));
        EMIT(GET_ITER, 0);
    }
    depth++;
    set_label(c, start);
    JUMP(FOR_ITER, anchor);
    TRY(compile_store(c, g->a));
    for (int i = 0; i < g->l1.n; i++) {
        TRY(compile_expr(c, g->l1.v[i]));
        JUMP(POP_JUMP_IF_FALSE, if_cleanup);
    }
    if (gen_index + 1 < e->l1.n) {
        TRY(comprehension_generator(c, e, gen_index + 1, depth));
    } else {
        switch (e->kind) {
        case N_GeneratorExp:
            TRY(compile_expr(c, e->a));
            EMIT(YIELD_VALUE, 0);
            EMIT(POP_TOP, 0);
            break;
        case N_ListComp:
            TRY(compile_expr(c, e->a));
            EMIT(LIST_APPEND, depth + 1);
            break;
        case N_SetComp:
            TRY(compile_expr(c, e->a));
            EMIT(SET_ADD, depth + 1);
            break;
        default:
            TRY(compile_expr(c, e->a));
            TRY(compile_expr(c, e->b));
            EMIT(MAP_ADD, depth + 1);
        }
    }
    set_label(c, if_cleanup);
    JUMP(JUMP_ABSOLUTE, start);
    set_label(c, anchor);
    return 0;
}

static int compile_comprehension(compiler *c, node *e)
{
    const char *name = e->kind == N_ListComp ? "<listcomp>" : e->kind == N_SetComp ? "<setcomp>"
                     : e->kind == N_DictComp ? "<dictcomp>" : "<genexpr>";
    const char *qual = qualname_for(c, name);
    if (!qual)
        return -1;
    TRY(enter_unit(c, e->scope, name, qual, e->lineno));
    c->u->argcount = 1;
    if (e->kind == N_GeneratorExp)
        EMIT(GEN_START, 0);
    else
        TRY(emit(c, e->kind == N_ListComp ? OP_BUILD_LIST : e->kind == N_SetComp ? OP_BUILD_SET : OP_BUILD_MAP, 0));
    TRY(comprehension_generator(c, e, 0, 0));
    if (e->kind != N_GeneratorExp)
        EMIT(RETURN_VALUE, 0);
    const vm_code *co = exit_unit(c);
    if (!co)
        return -1;
    TRY(make_closure(c, co, qual, 0));
    TRY(compile_expr(c, e->l1.v[0]->b));
    EMIT(GET_ITER, 0);
    return emit(c, OP_CALL_FUNCTION, 1);
}

/* defaults (flag 1) and keyword-only defaults (flag 2), evaluated in the enclosing scope */
static int default_arguments(compiler *c, node *args)
{
    int flags = 0;
    if (args->l5.n) {
        TRY(compile_exprs(c, &args->l5));
        EMIT(BUILD_TUPLE, args->l5.n);
        flags |= 1;
    }
    int nkw = 0;
    for (int i = 0; i < args->l3.n; i++) {
        if (!args->l4.v[i])
            continue;
        const char *m = mangle(c, args->l3.v[i]->s1);
        if (!m)
            return -1;
        TRY(load_str(c, m));
        TRY(compile_expr(c, args->l4.v[i]));
        nkw++;
    }
    if (nkw) {
        EMIT(BUILD_MAP, nkw);
        flags |= 2;
    }
    return flags;
}

/* Push the tuple (name, value, ...) of a def's annotations, in CPython's order (args,
   positional-only, *args, keyword-only, **kwargs, return); returns 4 (the MAKE_FUNCTION flag)
   or 0 when there are none. */
static int push_annotation(compiler *c, const char *name, node *ann, int *n)
{
    if (!ann)
        return 0;
    const char *m = mangle(c, name);
    if (!m)
        return -1;
    TRY(load_str(c, m));
    TRY(compile_expr(c, ann));
    (*n)++;
    return 0;
}

static int annotations(compiler *c, node *args, node *returns)
{
    int n = 0;
    nlist *lists[3] = {&args->l2, &args->l1, &args->l3};
    for (int l = 0; l < 3; l++) {
        if (l == 2 && args->a)
            TRY(push_annotation(c, args->a->s1, args->a->a, &n));
        for (int i = 0; i < lists[l]->n; i++)
            TRY(push_annotation(c, lists[l]->v[i]->s1, lists[l]->v[i]->a, &n));
    }
    if (args->b)
        TRY(push_annotation(c, args->b->s1, args->b->a, &n));
    TRY(push_annotation(c, "return", returns, &n));
    if (!n)
        return 0;
    EMIT(BUILD_TUPLE, 2 * n);
    return 4;
}

static void set_arg_counts(unit *u, node *args)
{
    u->argcount = args->l1.n + args->l2.n;
    u->posonly = args->l1.n;
    u->kwonly = args->l3.n;
    if (args->a)
        u->flags |= CODE_VARARGS;
    if (args->b)
        u->flags |= CODE_VARKW;
}

static node *docstring_of(nlist *body)
{
    if (body->n && body->v[0]->kind == N_Expr && body->v[0]->a->kind == N_Constant &&
        body->v[0]->a->k.kind == CONST_STR)
        return body->v[0]->a;
    return NULL;
}

static int compile_lambda(compiler *c, node *e)
{
    int flags = default_arguments(c, e->a);
    TRY(flags);
    const char *qual = qualname_for(c, "<lambda>");
    if (!qual)
        return -1;
    TRY(enter_unit(c, e->scope, "<lambda>", qual, e->lineno));
    set_arg_counts(c->u, e->a);
    vm_const none = {.kind = CONST_NONE}; /* consts[0]: no docstring */
    TRY(add_const(c, &none));
    if (c->u->flags & CODE_GENERATOR)
        EMIT(GEN_START, 0);
    TRY(compile_expr(c, e->b));
    if (!(c->u->flags & CODE_GENERATOR))
        EMIT(RETURN_VALUE, 0);
    else {
        EMIT(POP_TOP, 0);
        TRY(load_const_kind(c, CONST_NONE));
        EMIT(RETURN_VALUE, 0);
    }
    const vm_code *co = exit_unit(c);
    if (!co)
        return -1;
    return make_closure(c, co, qual, flags);
}

static int compile_joined(compiler *c, node *e)
{
    if (e->l1.n == 0)
        return load_str(c, "");
    TRY(compile_exprs(c, &e->l1));
    if (e->l1.n != 1)
        EMIT(BUILD_STRING, e->l1.n);
    return 0;
}

static int compile_expr_inner(compiler *c, node *e)
{
    int l1, l2;
    switch (e->kind) {
    case N_BoolOp:
        TRY(l1 = new_label(c));
        for (int i = 0; i < e->l1.n; i++) {
            TRY(compile_expr(c, e->l1.v[i]));
            if (i + 1 < e->l1.n)
                JUMP(JUMP_IF_FALSE_OR_POP + (e->i == BOOL_OR), l1);
        }
        set_label(c, l1);
        return 0;
    case N_NamedExpr:
        TRY(compile_expr(c, e->b));
        EMIT(DUP_TOP, 0);
        return compile_store(c, e->a);
    case N_BinOp:
        TRY(compile_expr(c, e->a));
        TRY(compile_expr(c, e->b));
        return emit(c, OP_BINARY_OP, e->i);
    case N_UnaryOp:
        TRY(compile_expr(c, e->a));
        switch (e->i) {
        case UNOP_INVERT: return emit(c, OP_UNARY_INVERT, 0);
        case UNOP_NOT: return emit(c, OP_UNARY_NOT, 0);
        case UNOP_UADD: return emit(c, OP_UNARY_POSITIVE, 0);
        default: return emit(c, OP_UNARY_NEGATIVE, 0);
        }
    case N_Lambda:
        return compile_lambda(c, e);
    case N_IfExp:
        TRY(l1 = new_label(c));
        TRY(l2 = new_label(c));
        TRY(compile_expr(c, e->a));
        JUMP(POP_JUMP_IF_FALSE, l1);
        TRY(compile_expr(c, e->b));
        JUMP(JUMP_FORWARD, l2);
        set_label(c, l1);
        TRY(compile_expr(c, e->c));
        set_label(c, l2);
        return 0;
    case N_Dict:
        return compile_dict(c, e);
    case N_Set:
        return starunpack(c, &e->l1, 0, OP_BUILD_SET, OP_SET_ADD, OP_SET_UPDATE, 0);
    case N_ListComp: case N_SetComp: case N_DictComp: case N_GeneratorExp:
        return compile_comprehension(c, e);
    case N_Yield: case N_YieldFrom:
        if (c->u->sc->kind != SCOPE_FUNCTION)
            return cerror(c, e, "'%s' outside function", e->kind == N_Yield ? "yield" : "yield from");
        if (c->u->sc->comprehension) {
            const char *n = c->u->name;
            return cerror(c, e, "'yield' inside %s", !strcmp(n, "<listcomp>") ? "list comprehension"
                          : !strcmp(n, "<setcomp>") ? "set comprehension" : !strcmp(n, "<dictcomp>")
                          ? "dict comprehension" : "generator expression");
        }
        if (e->kind == N_YieldFrom) {
            TRY(compile_expr(c, e->a));
            EMIT(GET_YIELD_FROM_ITER, 0);
            TRY(load_const_kind(c, CONST_NONE));
            return emit(c, OP_YIELD_FROM, 0);
        }
        if (e->a)
            TRY(compile_expr(c, e->a));
        else
            TRY(load_const_kind(c, CONST_NONE));
        return emit(c, OP_YIELD_VALUE, 0);
    case N_Compare:
        return compile_compare(c, e);
    case N_Call:
        return compile_call(c, e);
    case N_FormattedValue: {
        TRY(compile_expr(c, e->a));
        int conv = e->i == 's' ? 1 : e->i == 'r' ? 2 : e->i == 'a' ? 3 : 0;
        if (e->b) {
            TRY(compile_expr(c, e->b));
            conv |= 4;
        }
        return emit(c, OP_FORMAT_VALUE, conv);
    }
    case N_JoinedStr:
        return compile_joined(c, e);
    case N_Constant:
        return load_node_const(c, e);
    case N_Attribute:
        if (e->ctx != CTX_LOAD)
            return compile_store(c, e);
        TRY(compile_expr(c, e->a));
        return attr_op(c, OP_LOAD_ATTR, e->s1);
    case N_Subscript:
        TRY(compile_expr(c, e->a));
        TRY(compile_slice_or_expr(c, e->b));
        return emit(c, OP_BINARY_SUBSCR, 0);
    case N_Starred:
        return cerror(c, e, "can't use starred expression here");
    case N_Name:
        return nameop(c, e->s1, CTX_LOAD);
    case N_List:
        return starunpack(c, &e->l1, 0, OP_BUILD_LIST, OP_LIST_APPEND, OP_LIST_EXTEND, 0);
    case N_Tuple:
        if (is_const_node(e))
            return load_node_const(c, e);
        return starunpack(c, &e->l1, 0, OP_BUILD_LIST, OP_LIST_APPEND, OP_LIST_EXTEND, 1);
    case N_Slice:
        return compile_slice_or_expr(c, e);
    }
    return cerror(c, e, "unsupported expression");
}

static int compile_expr(compiler *c, node *e)
{
    int old = c->u->lineno;
    c->u->lineno = e->lineno;
    int r = compile_expr_inner(c, e);
    c->u->lineno = old;
    return r;
}

/* ---- stores and deletes ---- */

static int unpack_helper(compiler *c, nlist *elts)
{
    int n = elts->n, seen_star = 0;
    for (int i = 0; i < n; i++) {
        node *e = elts->v[i];
        if (e->kind != N_Starred)
            continue;
        if (seen_star)
            return cerror(c, e, "multiple starred expressions in assignment");
        if (i >= 256 || n - i - 1 >= (1 << 16))
            return cerror(c, e, "too many expressions in star-unpacking assignment");
        TRY(emit(c, OP_UNPACK_EX, i + ((n - i - 1) << 8)));
        seen_star = 1;
    }
    if (!seen_star)
        EMIT(UNPACK_SEQUENCE, n);
    for (int i = 0; i < n; i++) {
        node *e = elts->v[i];
        TRY(compile_store(c, e->kind == N_Starred ? e->a : e));
    }
    return 0;
}

static int compile_store(compiler *c, node *t)
{
    int old = c->u->lineno;
    c->u->lineno = t->lineno;
    int r = 0;
    switch (t->kind) {
    case N_Name:
        r = nameop(c, t->s1, CTX_STORE);
        break;
    case N_Attribute:
        r = compile_expr(c, t->a);
        if (r == 0)
            r = attr_op(c, OP_STORE_ATTR, t->s1);
        break;
    case N_Subscript:
        r = compile_expr(c, t->a);
        if (r == 0)
            r = compile_slice_or_expr(c, t->b);
        if (r == 0)
            r = emit(c, OP_STORE_SUBSCR, 0);
        break;
    case N_Tuple: case N_List:
        r = unpack_helper(c, &t->l1);
        break;
    case N_Starred:
        r = cerror(c, t, "starred assignment target must be in a list or tuple");
        break;
    default:
        r = cerror(c, t, "cannot assign to %s", vm_expr_name(t));
    }
    c->u->lineno = old;
    return r;
}

static int compile_delete(compiler *c, node *t)
{
    switch (t->kind) {
    case N_Name:
        return nameop(c, t->s1, CTX_DEL);
    case N_Attribute:
        TRY(compile_expr(c, t->a));
        return attr_op(c, OP_DELETE_ATTR, t->s1);
    case N_Subscript:
        TRY(compile_expr(c, t->a));
        TRY(compile_slice_or_expr(c, t->b));
        return emit(c, OP_DELETE_SUBSCR, 0);
    case N_Tuple: case N_List:
        for (int i = 0; i < t->l1.n; i++)
            TRY(compile_delete(c, t->l1.v[i]));
        return 0;
    default:
        return cerror(c, t, "cannot delete %s", vm_expr_name(t));
    }
}

/* ---- statements ---- */

static int compile_stmts(compiler *c, nlist *l)
{
    for (int i = 0; i < l->n; i++)
        TRY(compile_stmt(c, l->v[i]));
    return 0;
}

static int compile_function(compiler *c, node *s)
{
    TRY(compile_exprs(c, &s->l2));
    int firstline = s->l2.n ? s->l2.v[0]->lineno : s->lineno;
    int flags = default_arguments(c, s->a);
    TRY(flags);
    int ann = annotations(c, s->a, s->b);
    TRY(ann);
    flags |= ann;
    const char *qual = qualname_for(c, mangle(c, s->s1));
    if (!qual)
        return -1;
    TRY(enter_unit(c, s->scope, s->s1, qual, firstline));
    set_arg_counts(c->u, s->a);
    node *doc = docstring_of(&s->l1);
    if (doc) {
        vm_const k;
        TRY(const_from_ast(c, &doc->k, &k));
        TRY(add_const(c, &k));
    } else {
        vm_const none = {.kind = CONST_NONE};
        TRY(add_const(c, &none));
    }
    if (c->u->flags & CODE_GENERATOR)
        EMIT(GEN_START, 0);
    for (int i = doc ? 1 : 0; i < s->l1.n; i++)
        TRY(compile_stmt(c, s->l1.v[i]));
    const vm_code *co = exit_unit(c);
    if (!co)
        return -1;
    TRY(make_closure(c, co, qual, flags));
    for (int i = 0; i < s->l2.n; i++)
        EMIT(CALL_FUNCTION, 1);
    return nameop(c, s->s1, CTX_STORE);
}

/* Does a module or class body hold an annotated assignment (outside nested defs/classes)? */
static int find_ann(nlist *body)
{
    for (int i = 0; i < body->n; i++) {
        node *s = body->v[i];
        switch (s->kind) {
        case N_AnnAssign: return 1;
        case N_For: case N_While: case N_If:
            if (find_ann(&s->l1) || find_ann(&s->l2))
                return 1;
            break;
        case N_With:
            if (find_ann(&s->l2))
                return 1;
            break;
        case N_Try:
            if (find_ann(&s->l1) || find_ann(&s->l3) || find_ann(&s->l4))
                return 1;
            for (int h = 0; h < s->l2.n; h++)
                if (find_ann(&s->l2.v[h]->l1))
                    return 1;
            break;
        default: break;
        }
    }
    return 0;
}

/* x: ann [= value].  As CPython 3.11 (no `from __future__ import annotations`): a simple name's
   annotation goes to __annotations__ in modules and classes and is not evaluated in functions;
   a complex target's object (and subscript) is evaluated when there is no value, and its
   annotation is evaluated (and dropped) in modules and classes. */
static int compile_annassign(compiler *c, node *s)
{
    node *t = s->a;
    int top = c->u->sc->kind == SCOPE_MODULE || c->u->sc->kind == SCOPE_CLASS;
    if (s->c) {
        TRY(compile_expr(c, s->c));
        TRY(compile_store(c, t));
    }
    if (t->kind == N_Name) {
        if (s->i && top) {
            const char *m = mangle(c, t->s1);
            if (!m)
                return -1;
            TRY(compile_expr(c, s->b));
            TRY(nameop(c, "__annotations__", CTX_LOAD));
            TRY(load_str(c, m));
            return emit(c, OP_STORE_SUBSCR, 0);
        }
    } else if (!s->c) {
        TRY(compile_expr(c, t->a));
        EMIT(POP_TOP, 0);
        if (t->kind == N_Subscript) {
            TRY(compile_expr(c, t->b));
            EMIT(POP_TOP, 0);
        }
    }
    if (!s->i && top) {
        TRY(compile_expr(c, s->b));
        EMIT(POP_TOP, 0);
    }
    return 0;
}

static int compile_body(compiler *c, nlist *body)
{
    node *doc = docstring_of(body);
    int i = 0;
    if (find_ann(body))
        EMIT(SETUP_ANNOTATIONS, 0);
    if (doc) {
        c->u->lineno = body->v[0]->lineno;
        TRY(compile_expr(c, doc));
        TRY(nameop(c, "__doc__", CTX_STORE));
        i = 1;
    }
    for (; i < body->n; i++)
        TRY(compile_stmt(c, body->v[i]));
    return 0;
}

static int compile_class(compiler *c, node *s)
{
    TRY(compile_exprs(c, &s->l4));
    int firstline = s->l4.n ? s->l4.v[0]->lineno : s->lineno;
    const char *qual = qualname_for(c, mangle(c, s->s1));
    if (!qual)
        return -1;
    TRY(enter_unit(c, s->scope, s->s1, qual, firstline));
    TRY(nameop(c, "__name__", CTX_LOAD));
    TRY(nameop(c, "__module__", CTX_STORE));
    TRY(load_str(c, qual));
    TRY(nameop(c, "__qualname__", CTX_STORE));
    TRY(compile_body(c, &s->l3));
    if (s->scope->needs_class_closure) {
        int i = deref_index(c, "__class__");
        TRY(i);
        EMIT(LOAD_CLOSURE, i);
        EMIT(DUP_TOP, 0);
        TRY(nameop(c, "__classcell__", CTX_STORE));
    } else {
        TRY(load_const_kind(c, CONST_NONE));
    }
    EMIT(RETURN_VALUE, 0);
    const vm_code *co = exit_unit(c);
    if (!co)
        return -1;
    c->u->lineno = s->lineno;
    EMIT(LOAD_BUILD_CLASS, 0);
    TRY(make_closure(c, co, qual, 0));
    TRY(load_str(c, s->s1));
    TRY(call_helper(c, 2, &s->l1, &s->l2));
    for (int i = 0; i < s->l4.n; i++)
        EMIT(CALL_FUNCTION, 1);
    return nameop(c, s->s1, CTX_STORE);
}

static int compile_return(compiler *c, node *s)
{
    if (c->u->sc->kind != SCOPE_FUNCTION)
        return cerror(c, s, "'return' outside function");
    int preserve = s->a && s->a->kind != N_Constant;
    if (preserve)
        TRY(compile_expr(c, s->a));
    int found = 0;
    TRY(unwind_fblock_stack(c, preserve, NULL, &found));
    c->u->lineno = s->lineno;
    if (!s->a)
        TRY(load_const_kind(c, CONST_NONE));
    else if (!preserve)
        TRY(compile_expr(c, s->a));
    return emit(c, OP_RETURN_VALUE, 0);
}

static int compile_break_continue(compiler *c, node *s, int is_break)
{
    fblock loop;
    int found = 0;
    TRY(unwind_fblock_stack(c, 0, &loop, &found));
    if (!found)
        return cerror(c, s, is_break ? "'break' outside loop" : "'continue' not properly in loop");
    c->u->lineno = s->lineno;
    if (is_break) {
        TRY(unwind_fblock(c, &loop, 0));
        return emit_jump(c, OP_JUMP_ABSOLUTE, loop.exit);
    }
    return emit_jump(c, OP_JUMP_ABSOLUTE, loop.start);
}

static int const_truth(const node *e)
{
    if (e->kind != N_Constant)
        return -1;
    switch (e->k.kind) {
    case CONST_TRUE: case CONST_ELLIPSIS: return 1;
    case CONST_FALSE: case CONST_NONE: return 0;
    case CONST_INT: return strcmp(e->k.s, "0") != 0;
    case CONST_STR: case CONST_BYTES: return e->k.len != 0;
    default: return -1;
    }
}

static int compile_if(compiler *c, node *s)
{
    int next = new_label(c), end = new_label(c);
    TRY(next);
    TRY(end);
    TRY(compile_expr(c, s->a));
    JUMP(POP_JUMP_IF_FALSE, next);
    TRY(compile_stmts(c, &s->l1));
    if (s->l2.n) {
        JUMP(JUMP_FORWARD, end);
        set_label(c, next);
        TRY(compile_stmts(c, &s->l2));
    } else {
        set_label(c, next);
    }
    set_label(c, end);
    return 0;
}

static int compile_while(compiler *c, node *s)
{
    int loop = new_label(c), anchor = new_label(c), end = new_label(c);
    TRY(loop);
    TRY(anchor);
    TRY(end);
    set_label(c, loop);
    if (const_truth(s->a) != 1) {
        TRY(compile_expr(c, s->a));
        JUMP(POP_JUMP_IF_FALSE, anchor);
    }
    TRY(push_fb(c, FB_WHILE, loop, end, s));
    TRY(compile_stmts(c, &s->l1));
    pop_fb(c);
    c->u->lineno = s->lineno;
    JUMP(JUMP_ABSOLUTE, loop);
    set_label(c, anchor);
    TRY(compile_stmts(c, &s->l2));
    set_label(c, end);
    return 0;
}

static int compile_for(compiler *c, node *s)
{
    int start = new_label(c), cleanup = new_label(c), end = new_label(c);
    TRY(start);
    TRY(cleanup);
    TRY(end);
    TRY(compile_expr(c, s->b));
    EMIT(GET_ITER, 0);
    set_label(c, start);
    c->u->lineno = s->lineno;
    JUMP(FOR_ITER, cleanup);
    TRY(push_fb(c, FB_FOR, start, end, s));
    TRY(compile_store(c, s->a));
    TRY(compile_stmts(c, &s->l1));
    pop_fb(c);
    c->u->lineno = s->lineno;
    JUMP(JUMP_ABSOLUTE, start);
    set_label(c, cleanup);
    TRY(compile_stmts(c, &s->l2));
    set_label(c, end);
    return 0;
}

static int compile_with(compiler *c, node *s, int pos)
{
    node *item = s->l1.v[pos];
    int final = new_label(c), exit = new_label(c), suppress = new_label(c);
    TRY(final);
    TRY(exit);
    TRY(suppress);
    TRY(compile_expr(c, item->a));
    c->u->lineno = s->lineno;
    JUMP(SETUP_WITH, final);
    TRY(push_fb(c, FB_WITH, -1, final, s));
    if (item->b)
        TRY(compile_store(c, item->b));
    else
        EMIT(POP_TOP, 0);
    if (pos + 1 == s->l1.n)
        TRY(compile_stmts(c, &s->l2));
    else
        TRY(compile_with(c, s, pos + 1));
    c->u->lineno = s->lineno;
    EMIT(POP_BLOCK, 0);
    pop_fb(c);
    TRY(call_exit_with_nones(c));
    EMIT(POP_TOP, 0);
    JUMP(JUMP_FORWARD, exit);
    /* exceptional exit: stack is  exit exc */
    set_label(c, final);
    EMIT(WITH_EXCEPT_START, 0);
    JUMP(POP_JUMP_IF_TRUE, suppress);
    EMIT(RERAISE, 1);
    set_label(c, suppress);
    EMIT(POP_TOP, 0);
    EMIT(POP_EXCEPT, 0);
    EMIT(POP_TOP, 0);
    set_label(c, exit);
    return 0;
}

static int compile_try_except(compiler *c, node *s)
{
    int except = new_label(c), orelse = new_label(c), end = new_label(c);
    TRY(except);
    TRY(orelse);
    TRY(end);
    JUMP(SETUP_FINALLY, except);
    TRY(push_fb(c, FB_TRY_EXCEPT, -1, -1, NULL));
    TRY(compile_stmts(c, &s->l1));
    pop_fb(c);
    EMIT(POP_BLOCK, 0);
    JUMP(JUMP_FORWARD, orelse);
    set_label(c, except);
    TRY(push_fb(c, FB_EXCEPTION_HANDLER, -1, -1, NULL));
    for (int i = 0; i < s->l2.n; i++) {
        node *h = s->l2.v[i];
        c->u->lineno = h->lineno;
        if (!h->a && i < s->l2.n - 1) {
            vm_set_error(c->err, "SyntaxError", c->filename, c->src, h->lineno, h->col + 1, h->col + 8,
                         "default 'except:' must be last");
            c->failed = 1;
            return -1;
        }
        int next = new_label(c);
        TRY(next);
        if (h->a) {
            EMIT(DUP_TOP, 0);
            TRY(compile_expr(c, h->a));
            JUMP(JUMP_IF_NOT_EXC_MATCH, next);
        }
        if (h->s1) {
            int cleanup_end = new_label(c);
            TRY(cleanup_end);
            TRY(nameop(c, h->s1, CTX_STORE));
            JUMP(SETUP_FINALLY, cleanup_end);
            TRY(push_fb(c, FB_HANDLER_CLEANUP, -1, -1, h));
            TRY(compile_stmts(c, &h->l1));
            pop_fb(c);
            c->u->lineno = h->lineno;
            EMIT(POP_BLOCK, 0);
            EMIT(POP_EXCEPT, 0);
            TRY(clear_name(c, h->s1));
            JUMP(JUMP_FORWARD, end);
            set_label(c, cleanup_end);
            TRY(clear_name(c, h->s1));
            EMIT(RERAISE, 1);
        } else {
            EMIT(POP_TOP, 0);
            TRY(push_fb(c, FB_HANDLER_CLEANUP, -1, -1, NULL));
            TRY(compile_stmts(c, &h->l1));
            pop_fb(c);
            EMIT(POP_EXCEPT, 0);
            JUMP(JUMP_FORWARD, end);
        }
        set_label(c, next);
    }
    pop_fb(c);
    EMIT(RERAISE, 0);
    set_label(c, orelse);
    TRY(compile_stmts(c, &s->l3));
    set_label(c, end);
    return 0;
}

static int compile_try(compiler *c, node *s)
{
    if (!s->l4.n)
        return compile_try_except(c, s);
    int end = new_label(c), exit = new_label(c);
    TRY(end);
    TRY(exit);
    JUMP(SETUP_FINALLY, end);
    TRY(push_fb(c, FB_FINALLY_TRY, -1, -1, s));
    if (s->l2.n)
        TRY(compile_try_except(c, s));
    else
        TRY(compile_stmts(c, &s->l1));
    EMIT(POP_BLOCK, 0);
    pop_fb(c);
    TRY(compile_stmts(c, &s->l4));
    JUMP(JUMP_FORWARD, exit);
    set_label(c, end);
    TRY(push_fb(c, FB_FINALLY_END, -1, -1, NULL));
    TRY(compile_stmts(c, &s->l4));
    pop_fb(c);
    EMIT(RERAISE, 0);
    set_label(c, exit);
    return 0;
}

static int compile_import(compiler *c, node *s)
{
    for (int i = 0; i < s->l1.n; i++) {
        node *a = s->l1.v[i];
        TRY(load_int(c, 0));
        TRY(load_const_kind(c, CONST_NONE));
        int ni = add_name(c, a->s1);
        TRY(ni);
        EMIT(IMPORT_NAME, ni);
        if (!a->s2) {
            size_t n = strcspn(a->s1, ".");
            char *top = arena_strndup(c->A, a->s1, n);
            if (!top)
                return oom(c);
            TRY(nameop(c, top, CTX_STORE));
            continue;
        }
        const char *dot = strchr(a->s1, '.');
        if (dot) {
            while (dot) {
                const char *start = dot + 1;
                dot = strchr(start, '.');
                size_t n = dot ? (size_t)(dot - start) : strlen(start);
                char *attr = arena_strndup(c->A, start, n);
                if (!attr)
                    return oom(c);
                int ai = add_name(c, attr);
                TRY(ai);
                EMIT(IMPORT_FROM, ai);
                if (!dot)
                    break;
                EMIT(ROT_TWO, 0);
                EMIT(POP_TOP, 0);
            }
            TRY(nameop(c, a->s2, CTX_STORE));
            EMIT(POP_TOP, 0);
        } else {
            TRY(nameop(c, a->s2, CTX_STORE));
        }
    }
    return 0;
}

static int compile_import_from(compiler *c, node *s)
{
    TRY(load_int(c, s->i));
    const char **names = arena_alloc(c->A, (size_t)s->l1.n * sizeof *names);
    if (!names)
        return oom(c);
    for (int i = 0; i < s->l1.n; i++)
        names[i] = s->l1.v[i]->s1;
    TRY(load_names_tuple(c, names, s->l1.n));
    int ni = add_name(c, s->s1 ? s->s1 : "");
    TRY(ni);
    EMIT(IMPORT_NAME, ni);
    for (int i = 0; i < s->l1.n; i++) {
        node *a = s->l1.v[i];
        if (!strcmp(a->s1, "*"))
            return emit(c, OP_IMPORT_STAR, 0);
        int ai = add_name(c, a->s1);
        TRY(ai);
        EMIT(IMPORT_FROM, ai);
        TRY(nameop(c, a->s2 ? a->s2 : a->s1, CTX_STORE));
    }
    EMIT(POP_TOP, 0);
    return 0;
}

static int compile_augassign(compiler *c, node *s)
{
    node *t = s->a;
    switch (t->kind) {
    case N_Name:
        TRY(nameop(c, t->s1, CTX_LOAD));
        break;
    case N_Attribute:
        TRY(compile_expr(c, t->a));
        EMIT(DUP_TOP, 0);
        TRY(attr_op(c, OP_LOAD_ATTR, t->s1));
        break;
    default: /* Subscript */
        TRY(compile_expr(c, t->a));
        TRY(compile_slice_or_expr(c, t->b));
        EMIT(DUP_TOP_TWO, 0);
        EMIT(BINARY_SUBSCR, 0);
    }
    TRY(compile_expr(c, s->b));
    c->u->lineno = s->lineno;
    EMIT(BINARY_OP, s->i | BINOP_INPLACE);
    switch (t->kind) {
    case N_Name:
        return nameop(c, t->s1, CTX_STORE);
    case N_Attribute:
        EMIT(ROT_TWO, 0);
        return attr_op(c, OP_STORE_ATTR, t->s1);
    default:
        EMIT(ROT_THREE, 0);
        return emit(c, OP_STORE_SUBSCR, 0);
    }
}

static int compile_assert(compiler *c, node *s)
{
    int end = new_label(c);
    TRY(end);
    TRY(compile_expr(c, s->a));
    JUMP(POP_JUMP_IF_TRUE, end);
    EMIT(LOAD_ASSERTION_ERROR, 0);
    if (s->b) {
        TRY(compile_expr(c, s->b));
        EMIT(CALL_FUNCTION, 1);
    }
    EMIT(RAISE_VARARGS, 1);
    set_label(c, end);
    return 0;
}

static int compile_stmt(compiler *c, node *s)
{
    c->u->lineno = s->lineno;
    switch (s->kind) {
    case N_FunctionDef: return compile_function(c, s);
    case N_ClassDef: return compile_class(c, s);
    case N_Return: return compile_return(c, s);
    case N_Delete:
        for (int i = 0; i < s->l1.n; i++)
            TRY(compile_delete(c, s->l1.v[i]));
        return 0;
    case N_Assign:
        TRY(compile_expr(c, s->a));
        for (int i = 0; i < s->l1.n; i++) {
            if (i + 1 < s->l1.n)
                EMIT(DUP_TOP, 0);
            TRY(compile_store(c, s->l1.v[i]));
        }
        return 0;
    case N_AugAssign: return compile_augassign(c, s);
    case N_AnnAssign: return compile_annassign(c, s);
    case N_For: return compile_for(c, s);
    case N_While: return compile_while(c, s);
    case N_If: return compile_if(c, s);
    case N_With: return compile_with(c, s, 0);
    case N_Raise:
        if (s->a)
            TRY(compile_expr(c, s->a));
        if (s->b)
            TRY(compile_expr(c, s->b));
        return emit(c, OP_RAISE_VARARGS, s->a ? (s->b ? 2 : 1) : 0);
    case N_Try: return compile_try(c, s);
    case N_Assert: return compile_assert(c, s);
    case N_Import: return compile_import(c, s);
    case N_ImportFrom: return compile_import_from(c, s);
    case N_Global: case N_Nonlocal: case N_Pass:
        return emit(c, OP_NOP, 0);
    case N_Break: return compile_break_continue(c, s, 1);
    case N_Continue: return compile_break_continue(c, s, 0);
    case N_Expr:
        if (c->interactive && c->u->sc->kind == SCOPE_MODULE) {
            TRY(compile_expr(c, s->a));
            return emit(c, OP_PRINT_EXPR, 0);
        }
        if (s->a->kind == N_Constant)
            return emit(c, OP_NOP, 0);
        TRY(compile_expr(c, s->a));
        return emit(c, OP_POP_TOP, 0);
    }
    return cerror(c, s, "unsupported statement");
}

const vm_code *vm_compile(const char *source, size_t len, const char *filename, int mode, vm_syntax_error *err)
{
    memset(err, 0, sizeof *err);
    compiler cc = {0}, *c = &cc;
    c->A = arena_new();
    c->P = arena_new();   /* never freed: the code objects live forever */
    if (!c->A || !c->P) {
        vm_set_error(err, "MemoryError", filename, NULL, 0, 0, 0, "out of memory");
        return NULL;
    }
    char *src = arena_strndup(c->P, source, len);
    const char *fname = arena_strndup(c->P, filename, strlen(filename));
    c->filename = fname;
    c->src = src;
    c->err = err;
    c->interactive = mode == COMPILE_SINGLE;
    const vm_code *co = NULL;
    node *mod = src && fname ? vm_parse(c->A, src, len, fname, mode, err) : NULL;
    scope *top = mod ? vm_symtable(c->A, mod, fname, src, err) : NULL;
    if (top && enter_unit(c, top, "<module>", "<module>", 1) == 0) {
        int r;
        if (mod->kind == N_Expression) {
            r = compile_expr(c, mod->a);
            if (r == 0)
                r = emit(c, OP_RETURN_VALUE, 0);
        } else {
            r = compile_body(c, &mod->l1);
        }
        if (r == 0)
            co = exit_unit(c);
        else
            free_unit(c->u);
    }
    arena_free(c->A);
    return co;
}
