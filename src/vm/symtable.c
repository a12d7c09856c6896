/* symtable.c — scopes: which names are local, global (explicit / implicit), free or cell, as
   CPython's symtable.c decides (analyze_block / analyze_name / update_symbols). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "lexer.h"

typedef struct st {
    arena *A;
    scope *cur;
    const char *filename, *src;
    vm_syntax_error *err;
    int failed;
} st;

static int st_error(st *s, const node *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int st_error(st *s, const node *n, const char *fmt, ...)
{
    if (s->failed)
        return -1;
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    vm_set_error(s->err, "SyntaxError", s->filename, s->src, n->lineno, n->col + 1,
                 n->end_lineno == n->lineno ? n->end_col + 1 : 0, "%s", buf);
    s->failed = 1;
    return -1;
}

static int oom(st *s)
{
    if (!s->failed)
        vm_set_error(s->err, "MemoryError", s->filename, NULL, 0, 0, 0, "out of memory");
    s->failed = 1;
    return -1;
}

const char *vm_mangle(arena *A, const char *priv, const char *name)
{
    size_t n = strlen(name);
    if (!priv || n < 3 || name[0] != '_' || name[1] != '_')
        return name;
    if ((name[n - 1] == '_' && name[n - 2] == '_') || strchr(name, '.'))
        return name;
    while (*priv == '_')
        priv++;
    if (!*priv)
        return name;
    size_t pn = strlen(priv);
    char *r = arena_alloc(A, pn + n + 2);
    if (!r)
        return NULL;
    r[0] = '_';
    memcpy(r + 1, priv, pn);
    memcpy(r + 1 + pn, name, n + 1);
    return r;
}

symbol *scope_lookup(const scope *sc, const char *name)
{
    for (int i = 0; i < sc->nsyms; i++)
        if (!strcmp(sc->syms[i].name, name))
            return &sc->syms[i];
    return NULL;
}

static symbol *add_sym(st *s, scope *sc, const char *name)
{
    symbol *y = scope_lookup(sc, name);
    if (y)
        return y;
    if (sc->nsyms == sc->cap) {
        int cap = sc->cap ? 2 * sc->cap : 16;
        symbol *v = arena_alloc(s->A, (size_t)cap * sizeof *v);
        if (!v)
            return oom(s), NULL;
        if (sc->nsyms)
            memcpy(v, sc->syms, (size_t)sc->nsyms * sizeof *v);
        sc->syms = v;
        sc->cap = cap;
    }
    y = &sc->syms[sc->nsyms++];
    memset(y, 0, sizeof *y);
    y->name = name;
    return y;
}

static int add_def(st *s, const char *name, int flag, const node *n)
{
    name = vm_mangle(s->A, s->cur->private_name, name);
    if (!name)
        return oom(s);
    symbol *y = add_sym(s, s->cur, name);
    if (!y)
        return -1;
    if ((flag & DEF_PARAM) && (y->flags & DEF_PARAM))
        return st_error(s, n, "duplicate argument '%s' in function definition", name);
    y->flags |= flag;
    return 0;
}

static scope *enter(st *s, int kind, const char *name, node *n)
{
    scope *sc = arena_alloc(s->A, sizeof *sc);
    if (!sc)
        return oom(s), NULL;
    sc->kind = kind;
    sc->name = name;
    sc->n = n;
    sc->parent = s->cur;
    if (s->cur) {
        scope *p = s->cur;
        sc->nested = p->kind == SCOPE_FUNCTION || p->nested;
        sc->private_name = p->private_name;
        if (p->nchildren == p->ccap) {
            int cap = p->ccap ? 2 * p->ccap : 8;
            scope **v = arena_alloc(s->A, (size_t)cap * sizeof *v);
            if (!v)
                return oom(s), NULL;
            if (p->nchildren)
                memcpy(v, p->children, (size_t)p->nchildren * sizeof *v);
            p->children = v;
            p->ccap = cap;
        }
        p->children[p->nchildren++] = sc;
    }
    if (n)
        n->scope = sc;
    s->cur = sc;
    return sc;
}

static int visit_expr(st *s, node *e);
static int visit_stmts(st *s, nlist *l);

static int visit_exprs(st *s, nlist *l)
{
    for (int i = 0; i < l->n; i++)
        if (l->v[i] && visit_expr(s, l->v[i]) < 0)
            return -1;
    return 0;
}

static int add_param(st *s, node *a)
{
    if (add_def(s, a->s1, DEF_PARAM, a) < 0)
        return -1;
    const char **v = arena_alloc(s->A, (size_t)(s->cur->nparams + 1) * sizeof *v);
    if (!v)
        return oom(s);
    if (s->cur->nparams)
        memcpy(v, s->cur->params, (size_t)s->cur->nparams * sizeof *v);
    v[s->cur->nparams++] = vm_mangle(s->A, s->cur->private_name, a->s1);
    s->cur->params = v;
    return 0;
}

static int visit_params(st *s, node *args)
{
    nlist *lists[] = {&args->l1, &args->l2, &args->l3};
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < lists[k]->n; i++)
            if (add_param(s, lists[k]->v[i]) < 0)
                return -1;
    if (args->a && add_param(s, args->a) < 0)
        return -1;
    if (args->b && add_param(s, args->b) < 0)
        return -1;
    return 0;
}

/* defaults are evaluated in the enclosing scope */
static int visit_defaults(st *s, node *args)
{
    if (visit_exprs(s, &args->l5) < 0 || visit_exprs(s, &args->l4) < 0)
        return -1;
    return 0;
}

/* annotations of parameters and the return annotation: evaluated in the enclosing scope too */
static int visit_annotations(st *s, node *f)
{
    node *args = f->a;
    nlist *lists[3] = {&args->l1, &args->l2, &args->l3};
    for (int l = 0; l < 3; l++)
        for (int i = 0; i < lists[l]->n; i++)
            if (lists[l]->v[i]->a && visit_expr(s, lists[l]->v[i]->a) < 0)
                return -1;
    if (args->a && args->a->a && visit_expr(s, args->a->a) < 0)
        return -1;
    if (args->b && args->b->a && visit_expr(s, args->b->a) < 0)
        return -1;
    return f->b ? visit_expr(s, f->b) : 0;
}

static int visit_function(st *s, node *f, const char *name, int is_lambda)
{
    if (visit_defaults(s, f->a) < 0 || (!is_lambda && visit_annotations(s, f) < 0))
        return -1;
    scope *sc = enter(s, SCOPE_FUNCTION, name, f);
    if (!sc || visit_params(s, f->a) < 0)
        return -1;
    int r = is_lambda ? visit_expr(s, f->b) : visit_stmts(s, &f->l1);
    s->cur = sc->parent;
    return r;
}

static int visit_comprehension(st *s, node *e, const char *name)
{
    node *g0 = e->l1.v[0];
    if (visit_expr(s, g0->b) < 0)
        return -1;
    scope *sc = enter(s, SCOPE_FUNCTION, name, e);
    if (!sc)
        return -1;
    sc->comprehension = 1;
    sc->generator = e->kind == N_GeneratorExp;
    static node dot0 = {.kind = N_arg, .s1 = ".0"};
    if (add_param(s, &dot0) < 0)
        return -1;
    for (int i = 0; i < e->l1.n; i++) {
        node *g = e->l1.v[i];
        if (i > 0 && visit_expr(s, g->b) < 0)
            return -1;
        if (visit_expr(s, g->a) < 0 || visit_exprs(s, &g->l1) < 0)
            return -1;
    }
    if (visit_expr(s, e->a) < 0 || (e->b && visit_expr(s, e->b) < 0))
        return -1;
    s->cur = sc->parent;
    return 0;
}

/* PEP 572: the target of := in a comprehension binds in the enclosing non-comprehension scope */
static int visit_named_target(st *s, node *target)
{
    scope *sc = s->cur;
    if (!sc->comprehension)
        return add_def(s, target->s1, DEF_LOCAL, target);
    scope *outer = sc;
    while (outer->comprehension)
        outer = outer->parent;
    if (outer->kind == SCOPE_CLASS)
        return st_error(s, target, "assignment expression within a comprehension cannot be used in a class body");
    for (scope *c = sc; c != outer; c = c->parent) {
        symbol *y = add_sym(s, c, target->s1);
        if (!y)
            return -1;
        y->flags |= outer->kind == SCOPE_FUNCTION ? DEF_NONLOCAL : DEF_GLOBAL;
        y->decl = target;
    }
    symbol *y = add_sym(s, outer, target->s1);
    if (!y)
        return -1;
    y->flags |= DEF_LOCAL;
    return 0;
}

static int visit_expr(st *s, node *e)
{
    switch (e->kind) {
    case N_Name:
        if (add_def(s, e->s1, e->ctx == CTX_LOAD ? DEF_USE : DEF_LOCAL, e) < 0)
            return -1;
        if (e->ctx == CTX_LOAD && s->cur->kind == SCOPE_FUNCTION && !strcmp(e->s1, "super"))
            return add_def(s, "__class__", DEF_USE, e);
        return 0;
    case N_NamedExpr:
        if (visit_expr(s, e->b) < 0)
            return -1;
        return visit_named_target(s, e->a);
    case N_Lambda:
        return visit_function(s, e, "lambda", 1);
    case N_ListComp: return visit_comprehension(s, e, "listcomp");
    case N_SetComp: return visit_comprehension(s, e, "setcomp");
    case N_DictComp: return visit_comprehension(s, e, "dictcomp");
    case N_GeneratorExp: return visit_comprehension(s, e, "genexpr");
    case N_Yield: case N_YieldFrom:
        s->cur->generator = 1;
        break;
    case N_Constant:
        return 0;
    default:
        break;
    }
    if (e->a && visit_expr(s, e->a) < 0)
        return -1;
    if (e->b && visit_expr(s, e->b) < 0)
        return -1;
    if (e->c && visit_expr(s, e->c) < 0)
        return -1;
    if (e->kind == N_Call) {
        if (visit_exprs(s, &e->l1) < 0)
            return -1;
        for (int i = 0; i < e->l2.n; i++)
            if (visit_expr(s, e->l2.v[i]->a) < 0)
                return -1;
        return 0;
    }
    if (e->kind == N_Compare)
        return visit_exprs(s, &e->l2);
    if (visit_exprs(s, &e->l1) < 0 || visit_exprs(s, &e->l2) < 0)
        return -1;
    return 0;
}

static int declare(st *s, node *stmt, int global)
{
    const char *what = global ? "global" : "nonlocal";
    if (!global && s->cur->kind == SCOPE_MODULE)
        return st_error(s, stmt, "nonlocal declaration not allowed at module level");
    for (int i = 0; i < stmt->l1.n; i++) {
        const char *name = vm_mangle(s->A, s->cur->private_name, stmt->l1.v[i]->s1);
        symbol *y = scope_lookup(s->cur, name);
        int cur = y ? y->flags : 0;
        if (cur & (DEF_PARAM | DEF_LOCAL | DEF_USE | DEF_ANNOT)) {
            if (cur & DEF_PARAM)
                return st_error(s, stmt, "name '%s' is parameter and %s", name, what);
            if (cur & DEF_USE)
                return st_error(s, stmt, "name '%s' is used prior to %s declaration", name, what);
            if (cur & DEF_ANNOT)
                return st_error(s, stmt, "annotated name '%s' can't be %s", name, what);
            return st_error(s, stmt, "name '%s' is assigned to before %s declaration", name, what);
        }
        if (!(y = add_sym(s, s->cur, name)))
            return -1;
        y->flags |= global ? DEF_GLOBAL : DEF_NONLOCAL;
        y->decl = stmt;
    }
    return 0;
}

static int visit_import(st *s, node *stmt)
{
    for (int i = 0; i < stmt->l1.n; i++) {
        node *a = stmt->l1.v[i];
        if (!strcmp(a->s1, "*")) {
            if (s->cur->kind != SCOPE_MODULE)
                return st_error(s, stmt, "import * only allowed at module level");
            continue;
        }
        const char *name = a->s2;
        if (!name) {
            size_t n = strcspn(a->s1, ".");
            name = arena_strndup(s->A, a->s1, n);
            if (!name)
                return oom(s);
        }
        if (add_def(s, name, DEF_IMPORT, a) < 0)
            return -1;
    }
    return 0;
}

static int visit_stmt(st *s, node *n)
{
    switch (n->kind) {
    case N_FunctionDef:
        if (add_def(s, n->s1, DEF_LOCAL, n) < 0 || visit_exprs(s, &n->l2) < 0)
            return -1;
        return visit_function(s, n, n->s1, 0);
    case N_ClassDef: {
        if (add_def(s, n->s1, DEF_LOCAL, n) < 0 || visit_exprs(s, &n->l1) < 0 || visit_exprs(s, &n->l4) < 0)
            return -1;
        for (int i = 0; i < n->l2.n; i++)
            if (visit_expr(s, n->l2.v[i]->a) < 0)
                return -1;
        scope *sc = enter(s, SCOPE_CLASS, n->s1, n);
        if (!sc)
            return -1;
        sc->private_name = n->s1;
        int r = visit_stmts(s, &n->l3);
        s->cur = sc->parent;
        return r;
    }
    case N_Global: return declare(s, n, 1);
    case N_Nonlocal: return declare(s, n, 0);
    case N_Import: case N_ImportFrom: return visit_import(s, n);
    case N_AnnAssign:
        /* the annotation is a use in this scope (evaluated in modules and classes), and so is
           the object of a complex target even without a value (CPython evaluates it) */
        if (n->a->kind == N_Name) {
            if (add_def(s, n->a->s1, DEF_LOCAL | DEF_ANNOT, n->a) < 0)
                return -1;
        } else if (visit_expr(s, n->a) < 0) {
            return -1;
        }
        if (visit_expr(s, n->b) < 0)
            return -1;
        return n->c ? visit_expr(s, n->c) : 0;
    case N_Try:
        if (visit_stmts(s, &n->l1) < 0)
            return -1;
        for (int i = 0; i < n->l2.n; i++) {
            node *h = n->l2.v[i];
            if (h->a && visit_expr(s, h->a) < 0)
                return -1;
            if (h->s1 && add_def(s, h->s1, DEF_LOCAL, h) < 0)
                return -1;
            if (visit_stmts(s, &h->l1) < 0)
                return -1;
        }
        return visit_stmts(s, &n->l3) < 0 ? -1 : visit_stmts(s, &n->l4);
    case N_With:
        for (int i = 0; i < n->l1.n; i++) {
            node *w = n->l1.v[i];
            if (visit_expr(s, w->a) < 0 || (w->b && visit_expr(s, w->b) < 0))
                return -1;
        }
        return visit_stmts(s, &n->l2);
    default:
        break;
    }
    /* generic: expressions in a/b/c, statements or expressions in the lists */
    if (n->a && visit_expr(s, n->a) < 0)
        return -1;
    if (n->b && visit_expr(s, n->b) < 0)
        return -1;
    if (n->c && visit_expr(s, n->c) < 0)
        return -1;
    switch (n->kind) {
    case N_Delete: case N_Assign:
        return visit_exprs(s, &n->l1);
    case N_For: case N_While: case N_If:
        return visit_stmts(s, &n->l1) < 0 ? -1 : visit_stmts(s, &n->l2);
    default:
        return 0;
    }
}

static int visit_stmts(st *s, nlist *l)
{
    for (int i = 0; i < l->n; i++)
        if (visit_stmt(s, l->v[i]) < 0)
            return -1;
    return 0;
}

/* ---- analysis ---- */

typedef struct nameset {
    const char **v;
    int n, cap;
} nameset;

static int ns_has(const nameset *s, const char *name)
{
    for (int i = 0; i < s->n; i++)
        if (!strcmp(s->v[i], name))
            return 1;
    return 0;
}

static int ns_add(st *s, nameset *set, const char *name)
{
    if (ns_has(set, name))
        return 0;
    if (set->n == set->cap) {
        int cap = set->cap ? 2 * set->cap : 16;
        const char **v = arena_alloc(s->A, (size_t)cap * sizeof *v);
        if (!v)
            return oom(s);
        if (set->n)
            memcpy(v, set->v, (size_t)set->n * sizeof *v);
        set->v = v;
        set->cap = cap;
    }
    set->v[set->n++] = name;
    return 0;
}

static void ns_remove(nameset *set, const char *name)
{
    for (int i = 0; i < set->n; i++)
        if (!strcmp(set->v[i], name)) {
            set->v[i] = set->v[--set->n];
            return;
        }
}

static int ns_union(st *s, nameset *dst, const nameset *src)
{
    for (int i = 0; i < src->n; i++)
        if (ns_add(s, dst, src->v[i]) < 0)
            return -1;
    return 0;
}

static int analyze_name(st *s, scope *sc, symbol *y, nameset *bound, nameset *local, nameset *free, nameset *global)
{
    if (y->flags & DEF_GLOBAL) {
        if (y->flags & DEF_NONLOCAL)
            return st_error(s, y->decl, "name '%s' is nonlocal and global", y->name);
        y->scope = SYM_GLOBAL_EXPLICIT;
        ns_remove(bound, y->name);
        return ns_add(s, global, y->name);
    }
    if (y->flags & DEF_NONLOCAL) {
        if (!ns_has(bound, y->name))
            return st_error(s, y->decl, "no binding for nonlocal '%s' found", y->name);
        y->scope = SYM_FREE;
        return ns_add(s, free, y->name);
    }
    if (y->flags & (DEF_LOCAL | DEF_PARAM | DEF_IMPORT)) {
        y->scope = SYM_LOCAL;
        ns_remove(global, y->name);
        return ns_add(s, local, y->name);
    }
    if (sc->kind != SCOPE_MODULE && ns_has(bound, y->name)) {
        y->scope = SYM_FREE;
        return ns_add(s, free, y->name);
    }
    y->scope = SYM_GLOBAL_IMPLICIT;
    return 0;
}

static int analyze_block(st *s, scope *sc, nameset *bound, nameset *free, nameset *global)
{
    nameset local = {0}, newglobal = {0}, newfree = {0}, newbound = {0}, allfree = {0};
    if (sc->kind == SCOPE_CLASS) {
        if (ns_union(s, &newglobal, global) < 0 || ns_union(s, &newbound, bound) < 0)
            return -1;
    }
    for (int i = 0; i < sc->nsyms; i++)
        if (analyze_name(s, sc, &sc->syms[i], bound, &local, free, global) < 0)
            return -1;
    if (sc->kind != SCOPE_CLASS) {
        if (sc->kind == SCOPE_FUNCTION && ns_union(s, &newbound, &local) < 0)
            return -1;
        if (ns_union(s, &newbound, bound) < 0 || ns_union(s, &newglobal, global) < 0)
            return -1;
    } else if (ns_add(s, &newbound, "__class__") < 0) {
        return -1;
    }
    for (int i = 0; i < sc->nchildren; i++) {
        nameset cb = {0}, cf = {0}, cg = {0};
        if (ns_union(s, &cb, &newbound) < 0 || ns_union(s, &cg, &newglobal) < 0)
            return -1;
        if (analyze_block(s, sc->children[i], &cb, &cf, &cg) < 0)
            return -1;
        if (ns_union(s, &allfree, &cf) < 0)
            return -1;
    }
    if (ns_union(s, &newfree, &allfree) < 0)
        return -1;
    if (sc->kind == SCOPE_FUNCTION) {
        /* locals captured by children become cells */
        for (int i = 0; i < sc->nsyms; i++) {
            symbol *y = &sc->syms[i];
            if (y->scope == SYM_LOCAL && ns_has(&newfree, y->name)) {
                y->scope = SYM_CELL;
                ns_remove(&newfree, y->name);
            }
        }
    } else if (sc->kind == SCOPE_CLASS && ns_has(&newfree, "__class__")) {
        sc->needs_class_closure = 1;
        ns_remove(&newfree, "__class__");
    }
    /* update_symbols: names free in children pass through this scope */
    for (int i = 0; i < newfree.n; i++) {
        const char *name = newfree.v[i];
        symbol *y = scope_lookup(sc, name);
        if (y) {
            if (sc->kind == SCOPE_CLASS && (y->flags & (DEF_LOCAL | DEF_PARAM | DEF_IMPORT | DEF_GLOBAL)))
                y->flags |= DEF_FREE_CLASS;
            continue;
        }
        if (!ns_has(bound, name))
            continue;
        if (!(y = add_sym(s, sc, name)))
            return -1;
        y->scope = SYM_FREE;
    }
    return ns_union(s, free, &newfree);
}

scope *vm_symtable(arena *A, node *mod, const char *filename, const char *src, vm_syntax_error *err)
{
    st s = {A, NULL, filename, src, err, 0};
    scope *top = enter(&s, SCOPE_MODULE, "top", mod);
    if (!top)
        return NULL;
    if (mod->kind == N_Expression) {
        if (visit_expr(&s, mod->a) < 0)
            return NULL;
    } else if (visit_stmts(&s, &mod->l1) < 0) {
        return NULL;
    }
    nameset bound = {0}, free = {0}, global = {0};
    if (analyze_block(&s, top, &bound, &free, &global) < 0)
        return NULL;
    return top;
}
