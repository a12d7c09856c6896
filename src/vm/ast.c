/* ast.c — arena, node constructors, and a dumper printing CPython 3.11's ast.dump() format. */
#include "ast.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opcodes.h"

/* ---- arena ---- */

struct arena {
    struct chunk *head;
};
struct chunk {
    struct chunk *next;
    size_t used, size;
    _Alignas(16) char data[];
};

arena *arena_new(void)
{
    return calloc(1, sizeof(arena));
}

void *arena_alloc(arena *A, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    struct chunk *c = A->head;
    if (!c || c->used + n > c->size) {
        size_t size = n > 65536 ? n : 65536;
        c = malloc(sizeof *c + size);
        if (!c)
            return NULL;
        c->next = A->head;
        c->used = 0;
        c->size = size;
        A->head = c;
    }
    void *p = c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(arena *A, const char *s, size_t n)
{
    char *p = arena_alloc(A, n + 1);
    if (p)
        memcpy(p, s, n);
    return p;
}

void arena_free(arena *A)
{
    if (!A)
        return;
    for (struct chunk *c = A->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(A);
}

node *node_new(arena *A, int kind, int lineno, int col, int end_lineno, int end_col)
{
    node *n = arena_alloc(A, sizeof *n);
    if (!n)
        return NULL;
    n->kind = kind;
    n->lineno = lineno;
    n->col = col;
    n->end_lineno = end_lineno;
    n->end_col = end_col;
    return n;
}

int nlist_push(arena *A, nlist *l, node *n)
{
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 4;
        node **v = arena_alloc(A, (size_t)cap * sizeof *v);
        if (!v)
            return -1;
        if (l->n)
            memcpy(v, l->v, (size_t)l->n * sizeof *v);
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = n;
    return 0;
}

const char *const vm_node_names[N__COUNT] = {
#define X(n) #n,
    VM_NODE_KINDS(X)
#undef X
};

/* ---- reprs ---- */

void ast_float_repr(double f, char *buf, size_t size, int add_dot_0)
{
    if (isinf(f)) {
        snprintf(buf, size, "%s", f < 0 ? "-inf" : "inf");
        return;
    }
    if (isnan(f)) {
        snprintf(buf, size, "nan");
        return;
    }
    char tmp[64];
    int prec;
    for (prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, f);
        if (strtod(tmp, NULL) == f)
            break;
    }
    /* tmp: [-]d[.ddd]e[+-]XX */
    char dig[32];
    int nd = 0, neg = tmp[0] == '-';
    const char *p = tmp + neg;
    for (; *p && *p != 'e'; p++)
        if (*p != '.')
            dig[nd++] = *p;
    dig[nd] = 0;
    while (nd > 1 && dig[nd - 1] == '0')
        dig[--nd] = 0;
    int exp = atoi(p + 1);
    char out[96];
    int o = 0;
    if (neg)
        out[o++] = '-';
    if (exp >= -4 && exp < 16) {
        if (exp < 0) {
            out[o++] = '0';
            out[o++] = '.';
            for (int i = -1; i > exp; i--)
                out[o++] = '0';
            for (int i = 0; i < nd; i++)
                out[o++] = dig[i];
        } else {
            for (int i = 0; i <= exp; i++)
                out[o++] = i < nd ? dig[i] : '0';
            if (nd > exp + 1) {
                out[o++] = '.';
                for (int i = exp + 1; i < nd; i++)
                    out[o++] = dig[i];
            } else if (add_dot_0) {
                out[o++] = '.';
                out[o++] = '0';
            }
        }
        out[o] = 0;
    } else {
        out[o++] = dig[0];
        if (nd > 1) {
            out[o++] = '.';
            for (int i = 1; i < nd; i++)
                out[o++] = dig[i];
        }
        snprintf(out + o, sizeof out - (size_t)o, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    }
    snprintf(buf, size, "%s", out);
}

static int decode_utf8(const unsigned char *s, size_t len, size_t *i)
{
    unsigned c = s[*i];
    int n = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    unsigned cp = n == 0 ? c : n == 1 ? c & 0x1F : n == 2 ? c & 0x0F : c & 0x07;
    (*i)++;
    for (int k = 0; k < n && *i < len; k++)
        cp = (cp << 6) | (s[(*i)++] & 0x3F);
    return (int)cp;
}

static int is_printable(int cp)
{
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0xA0) || cp == 0xAD)
        return 0;
    if ((cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0xE000 && cp <= 0xF8FF) || cp >= 0xF0000)
        return 0;
    if ((cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) || (cp >= 0x205F && cp <= 0x206F))
        return 0;
    if (cp == 0x3000 || cp == 0xFEFF || cp == 0x1680 || (cp >= 0xFFF0 && cp <= 0xFFFB) || cp == 0xFFFE || cp == 0xFFFF)
        return 0;
    if (cp == 0x061C || cp == 0x180E || (cp >= 0x0600 && cp <= 0x0605) || cp == 0x06DD || cp == 0x070F)
        return 0;
    return 1;
}

static void repr_str(FILE *f, const char *s, size_t len, int bytes)
{
    int sq = memchr(s, '\'', len) != NULL, dq = memchr(s, '"', len) != NULL;
    char q = sq && !dq ? '"' : '\'';
    if (bytes)
        fputc('b', f);
    fputc(q, f);
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        size_t start = i;
        int cp = bytes ? u[i++] : decode_utf8(u, len, &i);
        if (cp == q || cp == '\\')
            fprintf(f, "\\%c", cp);
        else if (cp == '\t')
            fputs("\\t", f);
        else if (cp == '\n')
            fputs("\\n", f);
        else if (cp == '\r')
            fputs("\\r", f);
        else if (cp < 0x20 || cp == 0x7F || (bytes && cp >= 0x80))
            fprintf(f, "\\x%02x", cp);
        else if (cp < 0x7F || is_printable(cp))
            fwrite(s + start, 1, i - start, f);
        else if (cp <= 0xFF)
            fprintf(f, "\\x%02x", cp);
        else if (cp <= 0xFFFF)
            fprintf(f, "\\u%04x", cp);
        else
            fprintf(f, "\\U%08x", cp);
    }
    fputc(q, f);
}

static void dump_const(FILE *f, const aconst *k)
{
    char buf[64];
    switch (k->kind) {
    case CONST_NONE: fputs("None", f); break;
    case CONST_TRUE: fputs("True", f); break;
    case CONST_FALSE: fputs("False", f); break;
    case CONST_ELLIPSIS: fputs("Ellipsis", f); break;
    case CONST_INT: fputs(k->s, f); break;
    case CONST_FLOAT: ast_float_repr(k->f, buf, sizeof buf, 1); fputs(buf, f); break;
    case CONST_COMPLEX: ast_float_repr(k->f, buf, sizeof buf, 0); fprintf(f, "%sj", buf); break;
    case CONST_STR: repr_str(f, k->s, k->len, 0); break;
    case CONST_BYTES: repr_str(f, k->s, k->len, 1); break;
    default: fputs("?", f);
    }
}

/* ---- dumper ---- */

/* Field descriptors: "name:slot" where slot is a/b/c (node), A/B/C (optional node), 1..5
   (list), s (s1), S (optional s1), T (optional s2), i (int), o (operator), x (ctx), k (constant),
   E (always-empty list), - (always None: omitted). */
static const char *const field_desc[N__COUNT] = {
    [N_Module] = "body:1 type_ignores:E",
    [N_Expression] = "body:a",
    [N_Interactive] = "body:1",
    [N_FunctionDef] = "name:s args:a body:1 decorator_list:2 returns:B type_comment:-",
    [N_ClassDef] = "name:s bases:1 keywords:2 body:3 decorator_list:4",
    [N_Return] = "value:A",
    [N_Delete] = "targets:1",
    [N_Assign] = "targets:1 value:a type_comment:-",
    [N_AugAssign] = "target:a op:o value:b",
    [N_AnnAssign] = "target:a annotation:b value:C simple:i",
    [N_For] = "target:a iter:b body:1 orelse:2 type_comment:-",
    [N_While] = "test:a body:1 orelse:2",
    [N_If] = "test:a body:1 orelse:2",
    [N_With] = "items:1 body:2 type_comment:-",
    [N_Raise] = "exc:A cause:B",
    [N_Try] = "body:1 handlers:2 orelse:3 finalbody:4",
    [N_Assert] = "test:a msg:B",
    [N_Import] = "names:1",
    [N_ImportFrom] = "module:S names:1 level:i",
    [N_Global] = "names:1",
    [N_Nonlocal] = "names:1",
    [N_Expr] = "value:a",
    [N_Pass] = "",
    [N_Break] = "",
    [N_Continue] = "",
    [N_BoolOp] = "op:o values:1",
    [N_NamedExpr] = "target:a value:b",
    [N_BinOp] = "left:a op:o right:b",
    [N_UnaryOp] = "op:o operand:a",
    [N_Lambda] = "args:a body:b",
    [N_IfExp] = "test:a body:b orelse:c",
    [N_Dict] = "keys:1 values:2",
    [N_Set] = "elts:1",
    [N_ListComp] = "elt:a generators:1",
    [N_SetComp] = "elt:a generators:1",
    [N_DictComp] = "key:a value:b generators:1",
    [N_GeneratorExp] = "elt:a generators:1",
    [N_Yield] = "value:A",
    [N_YieldFrom] = "value:a",
    [N_Compare] = "left:a ops:1 comparators:2",
    [N_Call] = "func:a args:1 keywords:2",
    [N_FormattedValue] = "value:a conversion:i format_spec:B",
    [N_JoinedStr] = "values:1",
    [N_Constant] = "value:k kind:S",
    [N_Attribute] = "value:a attr:s ctx:x",
    [N_Subscript] = "value:a slice:b ctx:x",
    [N_Starred] = "value:a ctx:x",
    [N_Name] = "id:s ctx:x",
    [N_List] = "elts:1 ctx:x",
    [N_Tuple] = "elts:1 ctx:x",
    [N_Slice] = "lower:A upper:B step:C",
    [N_comprehension] = "target:a iter:b ifs:1 is_async:i",
    [N_ExceptHandler] = "type:A name:S body:1",
    [N_arguments] = "posonlyargs:1 args:2 vararg:A kwonlyargs:3 kw_defaults:4 kwarg:B defaults:5",
    [N_arg] = "arg:s annotation:A type_comment:-",
    [N_keyword] = "arg:S value:a",
    [N_alias] = "name:s asname:T",
    [N_withitem] = "context_expr:a optional_vars:B",
};

static const char *const binop_names[] = {"Add", "Sub", "Mult", "MatMult", "Div", "FloorDiv", "Mod",
                                          "Pow", "LShift", "RShift", "BitAnd", "BitOr", "BitXor"};
static const char *const unop_names[] = {"Invert", "Not", "UAdd", "USub"};
static const char *const boolop_names[] = {"And", "Or"};
static const char *const cmpop_names[] = {"Lt", "LtE", "Eq", "NotEq", "Gt", "GtE", "In", "NotIn", "Is", "IsNot"};
static const char *const ctx_names[] = {"Load", "Store", "Del"};

static void dump(FILE *f, const node *n);

static void dump_list(FILE *f, const nlist *l)
{
    fputc('[', f);
    for (int i = 0; i < l->n; i++) {
        if (i)
            fputs(", ", f);
        dump(f, l->v[i]);
    }
    fputc(']', f);
}

static const char *op_name(const node *n)
{
    switch (n->kind) {
    case N_BoolOp: return boolop_names[n->i & 1];
    case N_UnaryOp: return unop_names[n->i & 3];
    default: return n->i >= 0 && n->i < BINOP__COUNT ? binop_names[n->i] : "?";
    }
}

static void dump(FILE *f, const node *n)
{
    if (!n) {
        fputs("None", f);
        return;
    }
    if (n->kind == N_CmpOp) {
        fprintf(f, "%s()", cmpop_names[n->i]);
        return;
    }
    if (n->kind == N_Ident) {
        repr_str(f, n->s1, strlen(n->s1), 0);
        return;
    }
    fprintf(f, "%s(", vm_node_names[n->kind]);
    const char *d = field_desc[n->kind];
    int first = 1;
    while (d && *d) {
        const char *colon = strchr(d, ':');
        char slot = colon[1];
        int namelen = (int)(colon - d);
        d = colon + 2;
        while (*d == ' ')
            d++;
        const node *sub = NULL;
        const nlist *lst = NULL;
        const char *str = NULL;
        switch (slot) {
        case 'a': case 'A': sub = n->a; break;
        case 'b': case 'B': sub = n->b; break;
        case 'c': case 'C': sub = n->c; break;
        case '1': lst = &n->l1; break;
        case '2': lst = &n->l2; break;
        case '3': lst = &n->l3; break;
        case '4': lst = &n->l4; break;
        case '5': lst = &n->l5; break;
        case 's': case 'S': str = n->s1; break;
        case 'T': str = n->s2; break;
        }
        if (slot == '-' || ((slot == 'A' || slot == 'B' || slot == 'C') && !sub) ||
            ((slot == 'S' || slot == 'T') && !str))
            continue;
        if (!first)
            fputs(", ", f);
        first = 0;
        fprintf(f, "%.*s=", namelen, colon - namelen);
        switch (slot) {
        case 'E': fputs("[]", f); break;
        case 'i': fprintf(f, "%d", n->i); break;
        case 'o': fprintf(f, "%s()", op_name(n)); break;
        case 'x': fprintf(f, "%s()", ctx_names[n->ctx]); break;
        case 'k': dump_const(f, &n->k); break;
        case 's': case 'S': case 'T': repr_str(f, str, strlen(str), 0); break;
        default:
            if (lst)
                dump_list(f, lst);
            else
                dump(f, sub);
        }
    }
    fputc(')', f);
}

void ast_dump(const node *n, void *file)
{
    dump((FILE *)file, n);
}
