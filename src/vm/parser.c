/* parser.c — recursive-descent parser for the Python 3.11 grammar (minus async/match), building
   the tree of ast.h.  Errors: every function returns NULL (or -1) after filling p->err once. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "lexer.h"
#include "opcodes.h"

typedef struct parser {
    arena *A;
    token *t;
    int n, pos, maxpos;
    const char *src;
    const char *filename;
    vm_syntax_error *err;
    int failed;
    vm_lexed *lx;
    int fdepth;             /* f-string nesting of this (sub)parser */
    int lineoff;            /* f-string subparsers: line offset to add */
} parser;

#define CHK(x)                  \
    do {                        \
        if (!(x))               \
            return NULL;        \
    } while (0)
#define PUSH(l, x)                                  \
    do {                                            \
        if (nlist_push(p->A, (l), (x)) < 0)         \
            return oom(p);                          \
    } while (0)

static node *expression(parser *p);
static node *star_expressions(parser *p);
static node *named_expression(parser *p);
static node *star_named_expression(parser *p);
static node *bitwise_or(parser *p);
static node *disjunction(parser *p);
static node *primary(parser *p);
static node *yield_expr(parser *p);
static node *parse_block(parser *p, nlist *body, const char *what, int line);
static node *statement(parser *p, nlist *out);
static node *parse_params(parser *p, int closer, int annotations);
static node *comprehension_tail(parser *p, int kind, node *elt, node *val, token *start, int closer);

/* ---- tokens ---- */

static token *peek(parser *p, int k)
{
    int i = p->pos + k;
    if (i >= p->n)
        i = p->n - 1;
    if (i > p->maxpos)
        p->maxpos = i;
    return &p->t[i];
}
static token *cur(parser *p) { return peek(p, 0); }
static token *prev(parser *p) { return &p->t[p->pos > 0 ? p->pos - 1 : 0]; }
static int is_op(token *t, int op) { return t->type == T_OP && t->op == op; }
static int is_kw(token *t, int kw) { return t->type == T_KW && t->op == kw; }
static int at_op(parser *p, int op) { return is_op(cur(p), op); }
static int at_kw(parser *p, int kw) { return is_kw(cur(p), kw); }
static void advance(parser *p)
{
    if (p->t[p->pos].type != T_ENDMARKER && p->t[p->pos].type != T_LEXERR)
        p->pos++;
}
static int accept_op(parser *p, int op)
{
    if (!at_op(p, op))
        return 0;
    advance(p);
    return 1;
}
static int accept_kw(parser *p, int kw)
{
    if (!at_kw(p, kw))
        return 0;
    advance(p);
    return 1;
}

/* ---- errors ---- */

static void *oom(parser *p)
{
    if (!p->failed)
        vm_set_error(p->err, "MemoryError", p->filename, NULL, 0, 0, 0, "out of memory");
    p->failed = 1;
    return NULL;
}

static void *error_at(parser *p, const char *type, int line, int col, int endcol, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static void *error_at(parser *p, const char *type, int line, int col, int endcol, const char *fmt, ...)
{
    if (p->failed)
        return NULL;
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    p->failed = 1;
    if (p->fdepth) {
        /* inside an f-string: CPython reports "f-string: ..." on the string's line */
        vm_set_error(p->err, type, p->filename, NULL, p->lineoff, 0, 0, "%s%s",
                     strncmp(buf, "f-string", 8) ? "f-string: " : "", buf);
        return NULL;
    }
    vm_set_error(p->err, type, p->filename, p->src, line, col, endcol, "%s", buf);
    return NULL;
}

#define node_error(p, n, ...) \
    error_at(p, "SyntaxError", (n)->lineno, (n)->col + 1, (n)->end_lineno == (n)->lineno ? (n)->end_col + 1 : 0, __VA_ARGS__)
#define tok_error(p, t, ...) error_at(p, "SyntaxError", (t)->lineno, (t)->col + 1, 0, __VA_ARGS__)

/* The generic error at the furthest token examined, as CPython's second pass reports it. */
static void *syntax_error(parser *p)
{
    if (p->failed)
        return NULL;
    token *t = &p->t[p->maxpos < p->n ? p->maxpos : p->n - 1];
    if (t->type == T_LEXERR && !p->fdepth) {
        *p->err = p->lx->err;
        p->failed = 1;
        return NULL;
    }
    if (t->type == T_INDENT)
        return error_at(p, "IndentationError", t->lineno, t->end_col, 0, "unexpected indent");
    if (t->type == T_DEDENT)
        return error_at(p, "IndentationError", t->lineno, t->col + 1, 0, "unexpected unindent");
    if (t->type == T_ENDMARKER && !p->fdepth)
        return error_at(p, "SyntaxError", t->lineno, t->col + 1, 0, "invalid syntax");
    int endcol = t->end_lineno == t->lineno && t->len ? t->end_col + 1 : 0;
    if (t->type == T_NEWLINE)
        endcol = 0;
    return error_at(p, "SyntaxError", t->lineno, t->col + 1, endcol, "invalid syntax");
}

/* ---- node helpers ---- */

static node *mk(parser *p, int kind, token *start)
{
    node *n = node_new(p->A, kind, start->lineno, start->col, start->end_lineno, start->end_col);
    return n ? n : oom(p);
}

static node *mk_from(parser *p, int kind, node *start)
{
    node *n = node_new(p->A, kind, start->lineno, start->col, start->end_lineno, start->end_col);
    return n ? n : oom(p);
}

/* end position = end of the last consumed token */
static node *fin(parser *p, node *n)
{
    token *t = prev(p);
    n->end_lineno = t->end_lineno;
    n->end_col = t->end_col;
    return n;
}

static node *end_as(node *n, node *last)
{
    n->end_lineno = last->end_lineno;
    n->end_col = last->end_col;
    return n;
}

static char *tokstr(parser *p, token *t)
{
    char *s = arena_strndup(p->A, t->s, (size_t)t->len);
    return s ? s : oom(p);
}

static node *name_node(parser *p, int ctx)
{
    token *t = cur(p);
    if (t->type != T_NAME)
        return syntax_error(p);
    node *n = mk(p, N_Name, t);
    CHK(n);
    CHK(n->s1 = tokstr(p, t));
    n->ctx = ctx;
    advance(p);
    return n;
}

static const char *expect_name(parser *p)
{
    token *t = cur(p);
    if (t->type != T_NAME)
        return syntax_error(p);
    advance(p);
    return tokstr(p, t);
}

static int expect_op(parser *p, int op)
{
    if (accept_op(p, op))
        return 1;
    syntax_error(p);
    return 0;
}

static int expect_colon(parser *p)
{
    if (accept_op(p, P_COLON))
        return 1;
    token *t = cur(p);
    if (t->type == T_LEXERR) {
        syntax_error(p);
        return 0;
    }
    error_at(p, "SyntaxError", t->lineno, t->col + 1, 0, "expected ':'");
    return 0;
}

const char *vm_expr_name(const node *n)
{
    switch (n->kind) {
    case N_Attribute: return "attribute";
    case N_Subscript: return "subscript";
    case N_Starred: return "starred";
    case N_Name: return "name";
    case N_List: return "list";
    case N_Tuple: return "tuple";
    case N_Lambda: return "lambda";
    case N_Call: return "function call";
    case N_BoolOp: case N_BinOp: case N_UnaryOp: return "expression";
    case N_GeneratorExp: return "generator expression";
    case N_Yield: case N_YieldFrom: return "yield expression";
    case N_ListComp: return "list comprehension";
    case N_SetComp: return "set comprehension";
    case N_DictComp: return "dict comprehension";
    case N_Dict: return "dict literal";
    case N_Set: return "set display";
    case N_JoinedStr: case N_FormattedValue: return "f-string expression";
    case N_Constant:
        switch (n->k.kind) {
        case CONST_NONE: return "None";
        case CONST_TRUE: return "True";
        case CONST_FALSE: return "False";
        case CONST_ELLIPSIS: return "ellipsis";
        default: return "literal";
        }
    case N_Compare: return "comparison";
    case N_IfExp: return "conditional expression";
    case N_NamedExpr: return "named expression";
    default: return "expression";
    }
}

/* Find the first sub-target that cannot be assigned (NULL if all fine). */
static node *invalid_target(node *n, int ctx)
{
    switch (n->kind) {
    case N_Name: case N_Attribute: case N_Subscript:
        return NULL;
    case N_Starred:
        return ctx == CTX_DEL ? n : invalid_target(n->a, ctx);
    case N_Tuple: case N_List:
        for (int i = 0; i < n->l1.n; i++) {
            node *bad = invalid_target(n->l1.v[i], ctx);
            if (bad)
                return bad;
        }
        return NULL;
    default:
        return n;
    }
}

static void set_ctx(node *n, int ctx)
{
    n->ctx = ctx;
    if (n->kind == N_Starred)
        set_ctx(n->a, ctx);
    else if (n->kind == N_Tuple || n->kind == N_List)
        for (int i = 0; i < n->l1.n; i++)
            set_ctx(n->l1.v[i], ctx);
}

/* Turn an expression into a target of ctx, or report CPython's error. */
static node *to_target(parser *p, node *n, int ctx)
{
    node *bad = invalid_target(n, ctx);
    if (bad)
        return node_error(p, bad, "cannot %s %s", ctx == CTX_DEL ? "delete" : "assign to", vm_expr_name(bad));
    set_ctx(n, ctx);
    return n;
}

/* ---- strings ---- */

typedef struct sbuf {
    char *s;
    size_t n, cap;
} sbuf;

static int sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *q = realloc(b->s, cap);
        if (!q)
            return -1;
        b->s = q;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = 0;
    return 0;
}

static int sb_cp(sbuf *b, unsigned cp)
{
    char u[4];
    int n;
    if (cp < 0x80) { u[0] = (char)cp; n = 1; }
    else if (cp < 0x800) { u[0] = (char)(0xC0 | cp >> 6); u[1] = (char)(0x80 | (cp & 0x3F)); n = 2; }
    else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | cp >> 12); u[1] = (char)(0x80 | ((cp >> 6) & 0x3F)); u[2] = (char)(0x80 | (cp & 0x3F)); n = 3;
    } else {
        u[0] = (char)(0xF0 | cp >> 18); u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); u[3] = (char)(0x80 | (cp & 0x3F)); n = 4;
    }
    return sb_put(b, u, (size_t)n);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decode the escapes of s[0..n) into b.  Returns 0, or -1 with the error reported. */
static int decode_escapes(parser *p, token *t, sbuf *b, const char *s, size_t n, int raw, int bytes)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (bytes && c >= 0x80) {
            tok_error(p, t, "bytes can only contain ASCII literal characters");
            return -1;
        }
        if (c != '\\' || raw) {
            size_t j = i + 1;
            while (j < n && s[j] != '\\' && (!bytes || (unsigned char)s[j] < 0x80))
                j++;
            if (raw)
                while (j < n && (!bytes || (unsigned char)s[j] < 0x80))
                    j++;
            if (sb_put(b, s + i, j - i) < 0)
                return oom(p), -1;
            i = j;
            continue;
        }
        if (i + 1 >= n) {
            if (sb_put(b, "\\", 1) < 0)
                return oom(p), -1;
            break;
        }
        char e = s[i + 1];
        i += 2;
        unsigned v;
        int r = 0;
        switch (e) {
        case '\n': break;
        case '\r': if (i < n && s[i] == '\n') i++; break;
        case '\\': r = sb_put(b, "\\", 1); break;
        case '\'': r = sb_put(b, "'", 1); break;
        case '"': r = sb_put(b, "\"", 1); break;
        case 'a': r = sb_put(b, "\a", 1); break;
        case 'b': r = sb_put(b, "\b", 1); break;
        case 'f': r = sb_put(b, "\f", 1); break;
        case 'n': r = sb_put(b, "\n", 1); break;
        case 'r': r = sb_put(b, "\r", 1); break;
        case 't': r = sb_put(b, "\t", 1); break;
        case 'v': r = sb_put(b, "\v", 1); break;
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
            v = (unsigned)(e - '0');
            for (int k = 0; k < 2 && i < n && s[i] >= '0' && s[i] <= '7'; k++)
                v = v * 8 + (unsigned)(s[i++] - '0');
            if (bytes) {
                char ch = (char)(v & 0xFF);
                r = sb_put(b, &ch, 1);
            } else {
                r = sb_cp(b, v);
            }
            break;
        case 'x': case 'u': case 'U': {
            if (bytes && e != 'x') {
                char two[2] = {'\\', e};
                r = sb_put(b, two, 2);
                break;
            }
            int len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
            v = 0;
            for (int k = 0; k < len; k++) {
                int h = i < n ? hexval((unsigned char)s[i]) : -1;
                if (h < 0) {
                    tok_error(p, t, "(%s error) '%s' codec can't decode bytes in position %d-%d: truncated \\%c%s escape",
                              bytes ? "value" : "unicode", bytes ? "bytes" : "unicodeescape", 0, k + 1, e,
                              e == 'x' ? "XX" : e == 'u' ? "XXXX" : "XXXXXXXX");
                    return -1;
                }
                v = v * 16 + (unsigned)h;
                i++;
            }
            if (v > 0x10FFFF) {
                tok_error(p, t, "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-9: illegal Unicode character");
                return -1;
            }
            if (bytes) {
                char ch = (char)v;
                r = sb_put(b, &ch, 1);
            } else {
                r = sb_cp(b, v);
            }
            break;
        }
        case 'N':
            if (!bytes) {
                tok_error(p, t, "(unicode error) \\N{...} escapes are not supported");
                return -1;
            }
            /* fall through */
        default: {
            char two[2] = {'\\', e};
            r = sb_put(b, two, 2);
            i--;  /* the char after the backslash is re-scanned (it may be UTF-8) */
            b->n--;
            b->s[b->n] = 0;
        }
        }
        if (r < 0)
            return oom(p), -1;
    }
    return 0;
}

typedef struct strpart {
    int raw, bytes, fstr, u;
    const char *body;
    size_t len;
} strpart;

static void split_string(token *t, strpart *sp)
{
    const char *s = t->s;
    memset(sp, 0, sizeof *sp);
    while (*s != '\'' && *s != '"') {
        char c = (char)(*s | 0x20);
        sp->raw |= c == 'r';
        sp->bytes |= c == 'b';
        sp->fstr |= c == 'f';
        sp->u |= c == 'u';
        s++;
    }
    int q = (s + 2 < t->s + t->len && s[1] == s[0] && s[2] == s[0] && t->s + t->len - s >= 6) ? 3 : 1;
    sp->body = s + q;
    sp->len = (size_t)(t->s + t->len - s - 2 * q);
}

static node *parse_fexpr_text(parser *p, token *t, const char *s, size_t n);

static int flush_literal(parser *p, nlist *parts, sbuf *lit, token *t)
{
    if (!lit->n)
        return 0;
    node *c = mk(p, N_Constant, t);
    if (!c)
        return -1;
    c->k.kind = CONST_STR;
    c->k.s = arena_strndup(p->A, lit->s, lit->n);
    c->k.len = lit->n;
    if (!c->k.s)
        return oom(p), -1;
    lit->n = 0;
    return nlist_push(p->A, parts, c) < 0 ? (oom(p), -1) : 0;
}

static int fstring_body(parser *p, token *t, const char **sp, const char *end, int raw, int depth,
                        nlist *parts, sbuf *lit);

/* One replacement field starting after '{'.  *sp is advanced past the closing '}'. */
static int fstring_field(parser *p, token *t, const char **sp, const char *end, int raw, int depth,
                         nlist *parts, sbuf *lit)
{
    const char *s = *sp, *e = s;
    int nest = 0;
    char quote = 0;
    if (depth >= 2) {
        tok_error(p, t, "f-string: expressions nested too deeply");
        return -1;
    }
    for (; e < end; e++) {
        char c = *e;
        if (quote) {
            if (c == quote)
                quote = 0;
            continue;
        }
        if (c == '\'' || c == '"') { quote = c; continue; }
        if (c == '\\') { tok_error(p, t, "f-string expression part cannot include a backslash"); return -1; }
        if (c == '#') { tok_error(p, t, "f-string expression part cannot include '#'"); return -1; }
        if (c == '(' || c == '[' || c == '{') { nest++; continue; }
        if (nest && (c == ')' || c == ']' || c == '}')) { nest--; continue; }
        if (nest)
            continue;
        if ((c == '=' || c == '!' || c == '<' || c == '>') && e + 1 < end && e[1] == '=') { e++; continue; }
        if (c == '}' || c == '!' || c == ':' || c == '=')
            break;
    }
    if (quote) { tok_error(p, t, "f-string: unterminated string"); return -1; }
    if (e >= end) { tok_error(p, t, "f-string: expecting '}'"); return -1; }
    const char *q = s;
    while (q < e && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r' || *q == '\f'))
        q++;
    if (q == e) { tok_error(p, t, "f-string: empty expression not allowed"); return -1; }
    node *val = parse_fexpr_text(p, t, s, (size_t)(e - s));
    if (!val)
        return -1;
    int conv = -1, selfdoc = 0;
    if (*e == '=') {
        e++;
        while (e < end && (*e == ' ' || *e == '\t' || *e == '\n' || *e == '\r' || *e == '\f'))
            e++;
        if (sb_put(lit, s, (size_t)(e - s)) < 0)
            return oom(p), -1;
        selfdoc = 1;
    }
    if (e < end && *e == '!') {
        e++;
        if (e >= end || (*e != 's' && *e != 'r' && *e != 'a')) {
            tok_error(p, t, "f-string: invalid conversion character: expected 's', 'r', or 'a'");
            return -1;
        }
        conv = *e++;
    }
    node *spec = NULL;
    if (e < end && *e == ':') {
        e++;
        spec = mk(p, N_JoinedStr, t);
        if (!spec)
            return -1;
        sbuf slit = {0};
        int r = fstring_body(p, t, &e, end, raw, depth + 1, &spec->l1, &slit);
        if (r == 0)
            r = flush_literal(p, &spec->l1, &slit, t);
        free(slit.s);
        if (r < 0)
            return -1;
    }
    if (e >= end || *e != '}') {
        tok_error(p, t, "f-string: expecting '}'");
        return -1;
    }
    *sp = e + 1;
    if (selfdoc && conv == -1 && !spec)
        conv = 'r';
    if (flush_literal(p, parts, lit, t) < 0)
        return -1;
    node *fv = mk(p, N_FormattedValue, t);
    if (!fv)
        return -1;
    fv->a = val;
    fv->i = conv;
    fv->b = spec;
    return nlist_push(p->A, parts, fv) < 0 ? (oom(p), -1) : 0;
}

/* Literal text and fields up to end (depth 0) or up to the '}' closing a format spec. */
static int fstring_body(parser *p, token *t, const char **sp, const char *end, int raw, int depth,
                        nlist *parts, sbuf *lit)
{
    const char *s = *sp;
    while (s < end) {
        const char *e = s;
        while (e < end && *e != '{' && *e != '}')
            e++;
        if (e > s && decode_escapes(p, t, lit, s, (size_t)(e - s), raw, 0) < 0)
            return -1;
        s = e;
        if (s >= end)
            break;
        if (*s == '{') {
            if (depth == 0 && s + 1 < end && s[1] == '{') {
                if (sb_put(lit, "{", 1) < 0)
                    return oom(p), -1;
                s += 2;
                continue;
            }
            s++;
            if (fstring_field(p, t, &s, end, raw, depth, parts, lit) < 0)
                return -1;
            continue;
        }
        /* '}' */
        if (depth > 0)
            break;
        if (s + 1 < end && s[1] == '}') {
            if (sb_put(lit, "}", 1) < 0)
                return oom(p), -1;
            s += 2;
            continue;
        }
        tok_error(p, t, "f-string: single '}' is not allowed");
        return -1;
    }
    *sp = s;
    return 0;
}

static node *strings(parser *p)
{
    token *first = cur(p);
    int nbytes = 0, nstr = 0, anyf = 0, u = 0;
    int i0 = p->pos;
    while (cur(p)->type == T_STRING) {
        strpart sp;
        split_string(cur(p), &sp);
        if (sp.bytes) nbytes++; else nstr++;
        anyf |= sp.fstr;
        if (p->pos == i0)
            u = sp.u;
        advance(p);
    }
    int i1 = p->pos;
    if (nbytes && nstr)
        return error_at(p, "SyntaxError", first->lineno, first->col + 1, 0, "cannot mix bytes and nonbytes literals");
    node *res = mk(p, anyf ? N_JoinedStr : N_Constant, first);
    CHK(res);
    fin(p, res);
    sbuf b = {0};
    int r = 0;
    for (int i = i0; i < i1 && r == 0; i++) {
        token *t = &p->t[i];
        strpart sp;
        split_string(t, &sp);
        if (sp.fstr) {
            const char *s = sp.body;
            r = fstring_body(p, t, &s, sp.body + sp.len, sp.raw, 0, &res->l1, &b);
        } else {
            r = decode_escapes(p, t, &b, sp.body, sp.len, sp.raw, sp.bytes);
        }
    }
    if (r == 0 && anyf)
        r = flush_literal(p, &res->l1, &b, first);
    if (r == 0 && !anyf) {
        res->k.kind = nbytes ? CONST_BYTES : CONST_STR;
        res->k.s = arena_strndup(p->A, b.s ? b.s : "", b.n);
        res->k.len = b.n;
        res->s1 = u ? "u" : NULL;
        if (!res->k.s)
            r = -1, oom(p);
    }
    free(b.s);
    return r == 0 ? res : NULL;
}

/* ---- numbers ---- */

static char *int_to_decimal(parser *p, const char *s, size_t n, int base)
{
    /* little-endian base-10^9 limbs */
    size_t cap = n / 2 + 2, nl = 1;
    unsigned *l = calloc(cap, sizeof *l);
    if (!l)
        return oom(p);
    for (size_t i = 0; i < n; i++) {
        int d = hexval((unsigned char)s[i]);
        if (d < 0)
            continue;
        unsigned long long carry = (unsigned long long)d;
        for (size_t k = 0; k < nl; k++) {
            unsigned long long v = (unsigned long long)l[k] * (unsigned)base + carry;
            l[k] = (unsigned)(v % 1000000000u);
            carry = v / 1000000000u;
        }
        if (carry)
            l[nl++] = (unsigned)carry;
    }
    char *out = arena_alloc(p->A, nl * 9 + 2);
    if (!out) {
        free(l);
        return oom(p);
    }
    int o = sprintf(out, "%u", l[nl - 1]);
    for (size_t k = nl - 1; k-- > 0;)
        o += sprintf(out + o, "%09u", l[k]);
    free(l);
    return out;
}

static node *number(parser *p)
{
    token *t = cur(p);
    node *n = mk(p, N_Constant, t);
    CHK(n);
    advance(p);
    char buf[512];
    size_t m = 0;
    for (int i = 0; i < t->len && m + 1 < sizeof buf; i++)
        if (t->s[i] != '_')
            buf[m++] = t->s[i];
    buf[m] = 0;
    char last = (char)(buf[m - 1] | 0x20);
    int based = m > 1 && buf[0] == '0' && strchr("xob", buf[1] | 0x20);
    if (last == 'j') {
        buf[m - 1] = 0;
        n->k.kind = CONST_COMPLEX;
        n->k.f = strtod(buf, NULL);
    } else if (!based && strpbrk(buf, ".eE")) {
        n->k.kind = CONST_FLOAT;
        n->k.f = strtod(buf, NULL);
    } else {
        n->k.kind = CONST_INT;
        if (based) {
            int c = buf[1] | 0x20;
            CHK(n->k.s = int_to_decimal(p, buf + 2, m - 2, c == 'x' ? 16 : c == 'o' ? 8 : 2));
        } else {
            const char *d = buf;
            while (d[0] == '0' && d[1])
                d++;
            CHK(n->k.s = arena_strndup(p->A, d, strlen(d)));
        }
        n->k.len = strlen(n->k.s);
    }
    return n;
}

/* ---- atoms ---- */

static int starts_expression(token *t)
{
    if (t->type == T_NAME || t->type == T_NUMBER || t->type == T_STRING)
        return 1;
    if (t->type == T_KW)
        return t->op == K_TRUE || t->op == K_FALSE || t->op == K_NONE || t->op == K_LAMBDA || t->op == K_NOT || t->op == K_AWAIT;
    if (t->type == T_OP)
        return t->op == P_LPAR || t->op == P_LSQB || t->op == P_LBRACE || t->op == P_MINUS || t->op == P_PLUS ||
               t->op == P_TILDE || t->op == P_ELLIPSIS;
    return 0;
}

/* CPython's "invalid syntax. Perhaps you forgot a comma?" inside brackets. */
static void *maybe_missing_comma(parser *p, node *prevn)
{
    token *t = cur(p);
    if (p->failed || !starts_expression(t) || t->level == 0)
        return syntax_error(p);
    if (prevn->kind == N_Name && t->type == T_STRING)
        return syntax_error(p);
    if (prevn->kind == N_IfExp || prevn->kind == N_Lambda || prevn->kind == N_Starred || prevn->kind == N_NamedExpr)
        return syntax_error(p);
    int save = p->pos, savemax = p->maxpos;
    node *next = expression(p);
    if (!next) {
        p->failed = 0;
        p->pos = save;
        p->maxpos = savemax;
        return syntax_error(p);
    }
    return error_at(p, "SyntaxError", prevn->lineno, prevn->col + 1,
                    next->end_lineno == prevn->lineno ? next->end_col + 1 : 0,
                    "invalid syntax. Perhaps you forgot a comma?");
}

/* Elements after the first, up to closer: ',' star_named_expression ... */
static node *more_elements(parser *p, nlist *elts, node *last, int closer)
{
    for (;;) {
        if (accept_op(p, P_COMMA)) {
            if (at_op(p, closer))
                break;
            CHK(last = star_named_expression(p));
            PUSH(elts, last);
            continue;
        }
        if (at_op(p, closer))
            break;
        return maybe_missing_comma(p, last);
    }
    advance(p);
    return last;
}

static node *paren_atom(parser *p)
{
    token *open = cur(p);
    advance(p);
    if (accept_op(p, P_RPAR)) {
        node *t = mk(p, N_Tuple, open);
        return t ? fin(p, t) : NULL;
    }
    if (at_kw(p, K_YIELD)) {
        node *y = yield_expr(p);
        CHK(y);
        if (!expect_op(p, P_RPAR))
            return NULL;
        y->parens = 1;
        return y;
    }
    node *first = star_named_expression(p);
    CHK(first);
    if (at_kw(p, K_FOR)) {
        if (first->kind == N_Starred)
            return node_error(p, first, "iterable unpacking cannot be used in comprehension");
        return comprehension_tail(p, N_GeneratorExp, first, NULL, open, P_RPAR);
    }
    if (accept_op(p, P_RPAR)) {
        if (first->kind == N_Starred)
            return node_error(p, first, "cannot use starred expression here");
        first->parens = 1;
        return first;
    }
    if (!at_op(p, P_COMMA))
        return maybe_missing_comma(p, first);
    node *t = mk(p, N_Tuple, open);
    CHK(t);
    PUSH(&t->l1, first);
    CHK(more_elements(p, &t->l1, first, P_RPAR));
    t->parens = 1;
    return fin(p, t);
}

static node *list_atom(parser *p)
{
    token *open = cur(p);
    advance(p);
    node *l = mk(p, N_List, open);
    CHK(l);
    if (accept_op(p, P_RSQB))
        return fin(p, l);
    node *first = star_named_expression(p);
    CHK(first);
    if (at_kw(p, K_FOR)) {
        if (first->kind == N_Starred)
            return node_error(p, first, "iterable unpacking cannot be used in comprehension");
        return comprehension_tail(p, N_ListComp, first, NULL, open, P_RSQB);
    }
    PUSH(&l->l1, first);
    CHK(more_elements(p, &l->l1, first, P_RSQB));
    return fin(p, l);
}

static node *dict_item(parser *p, node *d)
{
    if (accept_op(p, P_DSTAR)) {
        node *v = bitwise_or(p);
        CHK(v);
        PUSH(&d->l1, NULL);
        PUSH(&d->l2, v);
        return v;
    }
    node *k = expression(p);
    CHK(k);
    if (!accept_op(p, P_COLON)) {
        if (at_op(p, P_RBRACE) || at_op(p, P_COMMA))
            return error_at(p, "SyntaxError", k->lineno, k->col + 1, 0, "':' expected after dictionary key");
        return syntax_error(p);
    }
    node *v = expression(p);
    CHK(v);
    PUSH(&d->l1, k);
    PUSH(&d->l2, v);
    return v;
}

static node *brace_atom(parser *p)
{
    token *open = cur(p);
    advance(p);
    if (accept_op(p, P_RBRACE)) {
        node *d = mk(p, N_Dict, open);
        return d ? fin(p, d) : NULL;
    }
    if (at_op(p, P_DSTAR)) {
        node *d = mk(p, N_Dict, open);
        CHK(d);
        CHK(dict_item(p, d));
        goto dict_rest;
    dict_rest:
        for (;;) {
            if (accept_op(p, P_COMMA)) {
                if (at_op(p, P_RBRACE))
                    break;
                CHK(dict_item(p, d));
                continue;
            }
            if (at_op(p, P_RBRACE))
                break;
            return syntax_error(p);
        }
        advance(p);
        return fin(p, d);
    }
    node *first = star_named_expression(p);
    CHK(first);
    if (first->kind != N_Starred && accept_op(p, P_COLON)) {
        node *v = expression(p);
        CHK(v);
        if (at_kw(p, K_FOR))
            return comprehension_tail(p, N_DictComp, first, v, open, P_RBRACE);
        node *d = mk(p, N_Dict, open);
        CHK(d);
        PUSH(&d->l1, first);
        PUSH(&d->l2, v);
        for (;;) {
            if (accept_op(p, P_COMMA)) {
                if (at_op(p, P_RBRACE))
                    break;
                CHK(dict_item(p, d));
                continue;
            }
            if (at_op(p, P_RBRACE))
                break;
            return syntax_error(p);
        }
        advance(p);
        return fin(p, d);
    }
    if (at_kw(p, K_FOR)) {
        if (first->kind == N_Starred)
            return node_error(p, first, "iterable unpacking cannot be used in comprehension");
        return comprehension_tail(p, N_SetComp, first, NULL, open, P_RBRACE);
    }
    node *s = mk(p, N_Set, open);
    CHK(s);
    PUSH(&s->l1, first);
    CHK(more_elements(p, &s->l1, first, P_RBRACE));
    return fin(p, s);
}

static node *lambda_expr(parser *p)
{
    token *start = cur(p);
    advance(p);
    node *l = mk(p, N_Lambda, start);
    CHK(l);
    CHK(l->a = parse_params(p, P_COLON, 0));
    if (!expect_op(p, P_COLON))
        return NULL;
    CHK(l->b = expression(p));
    return end_as(l, l->b);
}

static node *atom(parser *p)
{
    token *t = cur(p);
    switch (t->type) {
    case T_NAME:
        return name_node(p, CTX_LOAD);
    case T_NUMBER:
        return number(p);
    case T_STRING:
        return strings(p);
    case T_KW:
        if (t->op == K_TRUE || t->op == K_FALSE || t->op == K_NONE) {
            node *n = mk(p, N_Constant, t);
            CHK(n);
            n->k.kind = t->op == K_TRUE ? CONST_TRUE : t->op == K_FALSE ? CONST_FALSE : CONST_NONE;
            advance(p);
            return n;
        }
        return syntax_error(p);
    case T_OP:
        switch (t->op) {
        case P_LPAR: return paren_atom(p);
        case P_LSQB: return list_atom(p);
        case P_LBRACE: return brace_atom(p);
        case P_ELLIPSIS: {
            node *n = mk(p, N_Constant, t);
            CHK(n);
            n->k.kind = CONST_ELLIPSIS;
            advance(p);
            return n;
        }
        }
        return syntax_error(p);
    default:
        return syntax_error(p);
    }
}

/* ---- comprehensions ---- */

static node *target_atom_list(parser *p);

/* star_targets of for / comprehension: a primary or starred primary, comma separated */
static node *for_targets(parser *p)
{
    token *start = cur(p);
    node *first = target_atom_list(p);
    CHK(first);
    if (!at_op(p, P_COMMA))
        return to_target(p, first, CTX_STORE);
    node *t = mk(p, N_Tuple, start);
    CHK(t);
    PUSH(&t->l1, first);
    while (accept_op(p, P_COMMA)) {
        if (at_kw(p, K_IN) || at_op(p, P_EQ))
            break;
        node *e = target_atom_list(p);
        CHK(e);
        PUSH(&t->l1, e);
    }
    fin(p, t);
    return to_target(p, t, CTX_STORE);
}

static node *target_atom_list(parser *p)
{
    token *start = cur(p);
    if (accept_op(p, P_STAR)) {
        node *s = mk(p, N_Starred, start);
        CHK(s);
        CHK(s->a = target_atom_list(p));
        return end_as(s, s->a);
    }
    return primary(p);
}

static node *comprehension_tail(parser *p, int kind, node *elt, node *val, token *start, int closer)
{
    node *c = mk(p, kind, start);
    CHK(c);
    c->a = elt;
    c->b = val;
    while (at_kw(p, K_FOR)) {
        token *ft = cur(p);
        advance(p);
        node *g = mk(p, N_comprehension, ft);
        CHK(g);
        CHK(g->a = for_targets(p));
        if (!at_kw(p, K_IN))
            return syntax_error(p);
        advance(p);
        CHK(g->b = disjunction(p));
        while (accept_kw(p, K_IF)) {
            node *cond = disjunction(p);
            CHK(cond);
            PUSH(&g->l1, cond);
        }
        PUSH(&c->l1, g);
    }
    if (closer >= 0) {
        if (!accept_op(p, closer))
            return syntax_error(p);
        fin(p, c);
    } else {
        end_as(c, prev(p) ? c : c);
        fin(p, c);
    }
    return c;
}

/* ---- primary: atom + trailers ---- */

static node *call_args(parser *p, node *call)
{
    int seen_kw = 0, seen_dstar = 0;
    node *gen = NULL;
    int nargs = 0;
    while (!at_op(p, P_RPAR)) {
        token *t = cur(p);
        if (accept_op(p, P_STAR)) {
            node *s = mk(p, N_Starred, t);
            CHK(s);
            CHK(s->a = expression(p));
            end_as(s, s->a);
            if (seen_dstar)
                return error_at(p, "SyntaxError", s->lineno, s->col + 1, 0,
                                "iterable argument unpacking follows keyword argument unpacking");
            PUSH(&call->l1, s);
        } else if (accept_op(p, P_DSTAR)) {
            node *k = mk(p, N_keyword, t);
            CHK(k);
            CHK(k->a = expression(p));
            end_as(k, k->a);
            PUSH(&call->l2, k);
            seen_dstar = 1;
        } else if (t->type == T_NAME && is_op(peek(p, 1), P_EQ)) {
            node *k = mk(p, N_keyword, t);
            CHK(k);
            CHK(k->s1 = tokstr(p, t));
            advance(p);
            advance(p);
            CHK(k->a = expression(p));
            end_as(k, k->a);
            PUSH(&call->l2, k);
            seen_kw = 1;
        } else {
            node *e = named_expression(p);
            CHK(e);
            if (at_kw(p, K_FOR)) {
                CHK(e = comprehension_tail(p, N_GeneratorExp, e, NULL, t, -1));
                e->col = t->col;
                gen = e;
            } else if (at_op(p, P_EQ)) {
                return node_error(p, e, "expression cannot contain assignment, perhaps you meant \"==\"?");
            }
            if (seen_kw || seen_dstar) {
                token *lt = cur(p);
                return error_at(p, "SyntaxError", lt->lineno, lt->col + 1, lt->end_col + 1,
                                seen_dstar ? "positional argument follows keyword argument unpacking"
                                           : "positional argument follows keyword argument");
            }
            PUSH(&call->l1, e);
        }
        nargs++;
        if (!accept_op(p, P_COMMA)) {
            if (at_op(p, P_RPAR))
                break;
            node *lastn = call->l2.n && call->l2.v[call->l2.n - 1]->a ? call->l2.v[call->l2.n - 1]->a : NULL;
            if (call->l1.n)
                lastn = call->l1.v[call->l1.n - 1];
            return lastn ? maybe_missing_comma(p, lastn) : syntax_error(p);
        }
    }
    if (gen && nargs > 1)
        return node_error(p, gen, "Generator expression must be parenthesized");
    if (gen && gen->parens == 0) {
        /* f(x for x in y): the generator spans the parentheses of the call */
        gen->col = gen->col - 1;
    }
    advance(p);
    return call;
}

static node *slice_item(parser *p)
{
    token *t = cur(p);
    node *lower = NULL;
    if (!at_op(p, P_COLON)) {
        if (at_op(p, P_STAR))
            return star_named_expression(p);
        CHK(lower = named_expression(p));
        if (!at_op(p, P_COLON))
            return lower;
    }
    node *s = mk(p, N_Slice, t);
    CHK(s);
    s->a = lower;
    advance(p); /* ':' */
    if (!at_op(p, P_COLON) && !at_op(p, P_RSQB) && !at_op(p, P_COMMA))
        CHK(s->b = expression(p));
    if (accept_op(p, P_COLON))
        if (!at_op(p, P_RSQB) && !at_op(p, P_COMMA))
            CHK(s->c = expression(p));
    return fin(p, s);
}

static node *slices(parser *p)
{
    node *first = slice_item(p);
    CHK(first);
    if (!at_op(p, P_COMMA))
        return first;
    node *t = mk_from(p, N_Tuple, first);
    CHK(t);
    PUSH(&t->l1, first);
    while (accept_op(p, P_COMMA)) {
        if (at_op(p, P_RSQB))
            break;
        node *e = slice_item(p);
        CHK(e);
        PUSH(&t->l1, e);
    }
    return fin(p, t);
}

static node *primary(parser *p)
{
    node *e = atom(p);
    CHK(e);
    for (;;) {
        token *t = cur(p);
        if (is_op(t, P_DOT)) {
            advance(p);
            node *a = mk_from(p, N_Attribute, e);
            CHK(a);
            a->a = e;
            CHK(a->s1 = expect_name(p));
            e = fin(p, a);
        } else if (is_op(t, P_LPAR)) {
            advance(p);
            node *c = mk_from(p, N_Call, e);
            CHK(c);
            c->a = e;
            CHK(call_args(p, c));
            e = fin(p, c);
        } else if (is_op(t, P_LSQB)) {
            advance(p);
            node *s = mk_from(p, N_Subscript, e);
            CHK(s);
            s->a = e;
            CHK(s->b = slices(p));
            if (!expect_op(p, P_RSQB))
                return NULL;
            e = fin(p, s);
        } else {
            return e;
        }
    }
}

/* ---- operators ---- */

static node *factor(parser *p);

static node *power(parser *p)
{
    if (at_kw(p, K_AWAIT))
        return syntax_error(p);
    node *e = primary(p);
    CHK(e);
    if (accept_op(p, P_DSTAR)) {
        node *b = mk_from(p, N_BinOp, e);
        CHK(b);
        b->a = e;
        b->i = BINOP_POW;
        CHK(b->b = factor(p));
        return end_as(b, b->b);
    }
    return e;
}

static node *factor(parser *p)
{
    token *t = cur(p);
    int op = is_op(t, P_PLUS) ? UNOP_UADD : is_op(t, P_MINUS) ? UNOP_USUB : is_op(t, P_TILDE) ? UNOP_INVERT : -1;
    if (op < 0)
        return power(p);
    advance(p);
    node *u = mk(p, N_UnaryOp, t);
    CHK(u);
    u->i = op;
    CHK(u->a = factor(p));
    return end_as(u, u->a);
}

typedef node *(*subparser)(parser *);

static node *binary_level(parser *p, subparser sub, const int *ops, const int *binops)
{
    node *e = sub(p);
    CHK(e);
    for (;;) {
        token *t = cur(p);
        int k = -1;
        for (int i = 0; ops[i] >= 0; i++)
            if (is_op(t, ops[i]))
                k = i;
        if (k < 0)
            return e;
        advance(p);
        node *b = mk_from(p, N_BinOp, e);
        CHK(b);
        b->a = e;
        b->i = binops[k];
        CHK(b->b = sub(p));
        e = end_as(b, b->b);
    }
}

static node *term(parser *p)
{
    static const int ops[] = {P_STAR, P_SLASH, P_DSLASH, P_PERCENT, P_AT, -1};
    static const int bops[] = {BINOP_MUL, BINOP_TRUEDIV, BINOP_FLOORDIV, BINOP_MOD, BINOP_MATMUL};
    return binary_level(p, factor, ops, bops);
}
static node *sum(parser *p)
{
    static const int ops[] = {P_PLUS, P_MINUS, -1};
    static const int bops[] = {BINOP_ADD, BINOP_SUB};
    return binary_level(p, term, ops, bops);
}
static node *shift_expr(parser *p)
{
    static const int ops[] = {P_LSHIFT, P_RSHIFT, -1};
    static const int bops[] = {BINOP_LSHIFT, BINOP_RSHIFT};
    return binary_level(p, sum, ops, bops);
}
static node *bitwise_and(parser *p)
{
    static const int ops[] = {P_AMP, -1};
    static const int bops[] = {BINOP_AND};
    return binary_level(p, shift_expr, ops, bops);
}
static node *bitwise_xor(parser *p)
{
    static const int ops[] = {P_CARET, -1};
    static const int bops[] = {BINOP_XOR};
    return binary_level(p, bitwise_and, ops, bops);
}
static node *bitwise_or(parser *p)
{
    static const int ops[] = {P_VBAR, -1};
    static const int bops[] = {BINOP_OR};
    return binary_level(p, bitwise_xor, ops, bops);
}

static int compare_op(parser *p)
{
    token *t = cur(p);
    if (t->type == T_OP) {
        switch (t->op) {
        case P_LT: return CMP_LT;
        case P_LE: return CMP_LE;
        case P_EQEQ: return CMP_EQ;
        case P_NE: return CMP_NE;
        case P_GT: return CMP_GT;
        case P_GE: return CMP_GE;
        }
        return -1;
    }
    if (is_kw(t, K_IN))
        return CMP_IN;
    if (is_kw(t, K_IS))
        return is_kw(peek(p, 1), K_NOT) ? CMP_IS_NOT : CMP_IS;
    if (is_kw(t, K_NOT) && is_kw(peek(p, 1), K_IN))
        return CMP_NOT_IN;
    return -1;
}

static node *comparison(parser *p)
{
    node *e = bitwise_or(p);
    CHK(e);
    int op = compare_op(p);
    if (op < 0)
        return e;
    node *c = mk_from(p, N_Compare, e);
    CHK(c);
    c->a = e;
    while ((op = compare_op(p)) >= 0) {
        token *t = cur(p);
        advance(p);
        if (op == CMP_IS_NOT || op == CMP_NOT_IN)
            advance(p);
        node *o = mk(p, N_CmpOp, t);
        CHK(o);
        o->i = op;
        PUSH(&c->l1, o);
        node *r = bitwise_or(p);
        CHK(r);
        PUSH(&c->l2, r);
        end_as(c, r);
    }
    return c;
}

static node *inversion(parser *p)
{
    token *t = cur(p);
    if (!accept_kw(p, K_NOT))
        return comparison(p);
    node *u = mk(p, N_UnaryOp, t);
    CHK(u);
    u->i = UNOP_NOT;
    CHK(u->a = inversion(p));
    return end_as(u, u->a);
}

static node *bool_level(parser *p, subparser sub, int kw, int op)
{
    node *e = sub(p);
    CHK(e);
    if (!at_kw(p, kw))
        return e;
    node *b = mk_from(p, N_BoolOp, e);
    CHK(b);
    b->i = op;
    PUSH(&b->l1, e);
    while (accept_kw(p, kw)) {
        node *r = sub(p);
        CHK(r);
        PUSH(&b->l1, r);
        end_as(b, r);
    }
    return b;
}

static node *conjunction(parser *p) { return bool_level(p, inversion, K_AND, BOOL_AND); }
static node *disjunction(parser *p) { return bool_level(p, conjunction, K_OR, BOOL_OR); }

static node *expression(parser *p)
{
    if (at_kw(p, K_LAMBDA))
        return lambda_expr(p);
    node *e = disjunction(p);
    CHK(e);
    if (!at_kw(p, K_IF))
        return e;
    advance(p);
    node *c = mk_from(p, N_IfExp, e);
    CHK(c);
    c->b = e;
    CHK(c->a = disjunction(p));
    if (!accept_kw(p, K_ELSE)) {
        token *t = cur(p);
        if (t->type == T_LEXERR)
            return syntax_error(p);
        return error_at(p, "SyntaxError", c->lineno, c->col + 1,
                        c->a->end_lineno == c->lineno ? c->a->end_col + 1 : 0, "expected 'else' after 'if' expression");
    }
    CHK(c->c = expression(p));
    return end_as(c, c->c);
}

static node *named_expression(parser *p)
{
    token *t = cur(p);
    if (t->type == T_NAME && is_op(peek(p, 1), P_WALRUS)) {
        node *target = name_node(p, CTX_STORE);
        CHK(target);
        advance(p);
        node *n = mk(p, N_NamedExpr, t);
        CHK(n);
        n->a = target;
        CHK(n->b = expression(p));
        return end_as(n, n->b);
    }
    node *e = expression(p);
    CHK(e);
    if (at_op(p, P_WALRUS))
        return node_error(p, e, "cannot use assignment expressions with %s", vm_expr_name(e));
    return e;
}

static node *star_named_expression(parser *p)
{
    token *t = cur(p);
    if (accept_op(p, P_STAR)) {
        node *s = mk(p, N_Starred, t);
        CHK(s);
        CHK(s->a = bitwise_or(p));
        return end_as(s, s->a);
    }
    return named_expression(p);
}

static node *star_expression(parser *p)
{
    token *t = cur(p);
    if (accept_op(p, P_STAR)) {
        node *s = mk(p, N_Starred, t);
        CHK(s);
        CHK(s->a = bitwise_or(p));
        return end_as(s, s->a);
    }
    return expression(p);
}

static int ends_expr_list(parser *p)
{
    token *t = cur(p);
    if (t->type == T_NEWLINE || t->type == T_ENDMARKER)
        return 1;
    if (t->type == T_OP)
        switch (t->op) {
        case P_EQ: case P_SEMI: case P_RPAR: case P_RSQB: case P_RBRACE: case P_COLON:
        case P_PLUSEQ: case P_MINUSEQ: case P_STAREQ: case P_SLASHEQ: case P_DSLASHEQ: case P_PERCENTEQ:
        case P_DSTAREQ: case P_ATEQ: case P_AMPEQ: case P_VBAREQ: case P_CARETEQ: case P_LSHIFTEQ: case P_RSHIFTEQ:
            return 1;
        }
    return 0;
}

/* star_expressions: a tuple when there is a comma */
static node *star_expressions(parser *p)
{
    node *first = star_expression(p);
    CHK(first);
    if (!at_op(p, P_COMMA))
        return first;
    node *t = mk_from(p, N_Tuple, first);
    CHK(t);
    PUSH(&t->l1, first);
    while (accept_op(p, P_COMMA)) {
        if (ends_expr_list(p))
            break;
        node *e = star_expression(p);
        CHK(e);
        PUSH(&t->l1, e);
    }
    return fin(p, t);
}

static node *yield_expr(parser *p)
{
    token *t = cur(p);
    advance(p);
    if (accept_kw(p, K_FROM)) {
        node *y = mk(p, N_YieldFrom, t);
        CHK(y);
        CHK(y->a = expression(p));
        return end_as(y, y->a);
    }
    node *y = mk(p, N_Yield, t);
    CHK(y);
    if (!ends_expr_list(p)) {
        CHK(y->a = star_expressions(p));
        end_as(y, y->a);
    }
    return y;
}

/* f-string replacement field: parse "(text)" with a sub-parser */
static node *parse_fexpr_text(parser *p, token *t, const char *s, size_t n)
{
    char *buf = arena_alloc(p->A, n + 3);
    if (!buf)
        return oom(p);
    buf[0] = '(';
    memcpy(buf + 1, s, n);
    buf[n + 1] = ')';
    vm_lexed lx;
    if (vm_lex(buf, n + 2, p->filename, &lx) < 0)
        return oom(p);
    for (int i = 0; i < lx.n; i++) {   /* lines of the string's first line */
        lx.toks[i].lineno += t->lineno - 1;
        lx.toks[i].end_lineno += t->lineno - 1;
    }
    parser sub = *p;
    sub.t = lx.toks;
    sub.n = lx.n;
    sub.pos = sub.maxpos = 0;
    sub.lx = &lx;
    sub.fdepth = p->fdepth + 1;
    sub.lineoff = t->lineno;
    sub.src = buf;
    node *e = NULL;
    if (lx.lexerr) {
        error_at(&sub, "SyntaxError", 0, 0, 0, "%s", lx.err.msg);
    } else {
        e = star_expressions(&sub);
        if (e && sub.t[sub.pos].type != T_NEWLINE && sub.t[sub.pos].type != T_ENDMARKER)
            e = syntax_error(&sub);
    }
    if (e && e->kind != N_Tuple)
        e->parens = 0;
    free(lx.toks);
    p->failed = sub.failed;
    return e;
}

/* ---- statements ---- */

static node *assignment_tail(parser *p, node *first, token *start);

static node *simple_targets_error(parser *p, node *lhs, node *rhs_start_check)
{
    (void)rhs_start_check;
    return to_target(p, lhs, CTX_STORE);
}

static int augassign_op(token *t)
{
    if (t->type != T_OP)
        return -1;
    switch (t->op) {
    case P_PLUSEQ: return BINOP_ADD;
    case P_MINUSEQ: return BINOP_SUB;
    case P_STAREQ: return BINOP_MUL;
    case P_ATEQ: return BINOP_MATMUL;
    case P_SLASHEQ: return BINOP_TRUEDIV;
    case P_DSLASHEQ: return BINOP_FLOORDIV;
    case P_PERCENTEQ: return BINOP_MOD;
    case P_DSTAREQ: return BINOP_POW;
    case P_LSHIFTEQ: return BINOP_LSHIFT;
    case P_RSHIFTEQ: return BINOP_RSHIFT;
    case P_AMPEQ: return BINOP_AND;
    case P_VBAREQ: return BINOP_OR;
    case P_CARETEQ: return BINOP_XOR;
    }
    return -1;
}

static node *rhs(parser *p)
{
    return at_kw(p, K_YIELD) ? yield_expr(p) : star_expressions(p);
}

static int plain_expr_target(node *n)
{
    if (n->kind == N_List || n->kind == N_Tuple || n->kind == N_GeneratorExp)
        return 0;
    if (n->kind == N_Constant && (n->k.kind == CONST_TRUE || n->k.kind == CONST_FALSE || n->k.kind == CONST_NONE))
        return 0;
    return 1;
}

static node *assignment_tail(parser *p, node *first, token *start)
{
    node *a = mk(p, N_Assign, start);
    CHK(a);
    node *value = first;
    while (accept_op(p, P_EQ)) {
        node *lhs = value;
        if (lhs->kind == N_Yield || lhs->kind == N_YieldFrom)
            return node_error(p, lhs, "assignment to yield expression not possible");
        CHK(value = rhs(p));
        if (invalid_target(lhs, CTX_STORE)) {
            node *bad = invalid_target(lhs, CTX_STORE);
            if (bad == lhs && plain_expr_target(lhs) && !at_op(p, P_EQ) && !lhs->parens &&
                value->kind != N_Tuple && value->kind != N_Yield && value->kind != N_YieldFrom)
                return node_error(p, lhs, "cannot assign to %s here. Maybe you meant '==' instead of '='?",
                                  vm_expr_name(lhs));
            return node_error(p, bad, "cannot %s %s", "assign to", vm_expr_name(bad));
        }
        CHK(simple_targets_error(p, lhs, value));
        PUSH(&a->l1, lhs);
    }
    a->a = value;
    return end_as(a, value);
}

static node *expr_statement(parser *p)
{
    token *start = cur(p);
    node *e = rhs(p);
    CHK(e);
    token *t = cur(p);
    if (is_op(t, P_EQ))
        return assignment_tail(p, e, start);
    int aug = augassign_op(t);
    if (aug >= 0) {
        if (e->kind != N_Name && e->kind != N_Attribute && e->kind != N_Subscript)
            return node_error(p, e, "'%s' is an illegal expression for augmented assignment", vm_expr_name(e));
        advance(p);
        set_ctx(e, CTX_STORE);
        node *a = mk(p, N_AugAssign, start);
        CHK(a);
        a->a = e;
        a->i = aug;
        CHK(a->b = rhs(p));
        return end_as(a, a->b);
    }
    if (is_op(t, P_COLON)) {
        if (e->kind == N_Tuple || e->kind == N_List)
            return error_at(p, "SyntaxError", e->lineno, e->col + 1, 0,
                            "only single target (not %s) can be annotated", e->kind == N_Tuple ? "tuple" : "list");
        if (e->kind != N_Name && e->kind != N_Attribute && e->kind != N_Subscript)
            return node_error(p, e, "illegal target for annotation");
        advance(p);
        set_ctx(e, CTX_STORE);
        node *a = mk(p, N_AnnAssign, start);
        CHK(a);
        a->a = e;
        a->i = e->kind == N_Name && !e->parens;
        CHK(a->b = expression(p));
        end_as(a, a->b);
        if (accept_op(p, P_EQ)) {
            CHK(a->c = rhs(p));
            end_as(a, a->c);
        }
        return a;
    }
    node *x = mk(p, N_Expr, start);
    CHK(x);
    x->a = e;
    return end_as(x, e);
}

static node *dotted_name(parser *p)
{
    token *t = cur(p);
    if (t->type != T_NAME)
        return syntax_error(p);
    sbuf b = {0};
    for (;;) {
        token *n = cur(p);
        if (n->type != T_NAME) {
            free(b.s);
            return syntax_error(p);
        }
        if (sb_put(&b, n->s, (size_t)n->len) < 0)
            return oom(p);
        advance(p);
        if (!at_op(p, P_DOT))
            break;
        advance(p);
        if (sb_put(&b, ".", 1) < 0)
            return oom(p);
    }
    node *a = mk(p, N_alias, t);
    if (a && !(a->s1 = arena_strndup(p->A, b.s, b.n)))
        a = oom(p);
    free(b.s);
    return a ? fin(p, a) : NULL;
}

static node *import_stmt(parser *p, token *start)
{
    node *s = mk(p, N_Import, start);
    CHK(s);
    do {
        node *a = dotted_name(p);
        CHK(a);
        if (accept_kw(p, K_AS)) {
            CHK(a->s2 = expect_name(p));
            fin(p, a);
        }
        PUSH(&s->l1, a);
    } while (accept_op(p, P_COMMA));
    return fin(p, s);
}

static node *from_stmt(parser *p, token *start)
{
    node *s = mk(p, N_ImportFrom, start);
    CHK(s);
    for (;;) {
        if (accept_op(p, P_DOT))
            s->i += 1;
        else if (accept_op(p, P_ELLIPSIS))
            s->i += 3;
        else
            break;
    }
    if (!at_kw(p, K_IMPORT)) {
        node *m = dotted_name(p);
        CHK(m);
        s->s1 = m->s1;
    }
    if (!accept_kw(p, K_IMPORT))
        return syntax_error(p);
    token *t = cur(p);
    if (accept_op(p, P_STAR)) {
        node *a = mk(p, N_alias, t);
        CHK(a);
        a->s1 = "*";
        PUSH(&s->l1, a);
        return fin(p, s);
    }
    int paren = accept_op(p, P_LPAR);
    for (;;) {
        token *nt = cur(p);
        node *a = mk(p, N_alias, nt);
        CHK(a);
        CHK(a->s1 = expect_name(p));
        if (accept_kw(p, K_AS))
            CHK(a->s2 = expect_name(p));
        PUSH(&s->l1, fin(p, a));
        if (!accept_op(p, P_COMMA))
            break;
        if (paren && at_op(p, P_RPAR))
            break;
        if (!paren && (cur(p)->type == T_NEWLINE || at_op(p, P_SEMI)))
            return error_at(p, "SyntaxError", prev(p)->lineno, prev(p)->col + 1, 0,
                            "trailing comma not allowed without surrounding parentheses");
    }
    if (paren && !expect_op(p, P_RPAR))
        return NULL;
    return fin(p, s);
}

static node *names_stmt(parser *p, int kind, token *start)
{
    node *s = mk(p, kind, start);
    CHK(s);
    do {
        token *t = cur(p);
        node *id = mk(p, N_Ident, t);
        CHK(id);
        CHK(id->s1 = expect_name(p));
        PUSH(&s->l1, id);
    } while (accept_op(p, P_COMMA));
    return fin(p, s);
}

static node *del_stmt(parser *p, token *start)
{
    node *s = mk(p, N_Delete, start);
    CHK(s);
    do {
        if (cur(p)->type == T_NEWLINE || at_op(p, P_SEMI))
            break;
        node *e = bitwise_or(p);
        CHK(e);
        CHK(to_target(p, e, CTX_DEL));
        PUSH(&s->l1, e);
    } while (accept_op(p, P_COMMA));
    if (!s->l1.n)
        return syntax_error(p);
    return fin(p, s);
}

static node *simple_stmt(parser *p)
{
    token *t = cur(p);
    if (t->type == T_KW) {
        node *s;
        switch (t->op) {
        case K_PASS: advance(p); return mk(p, N_Pass, t);
        case K_BREAK: advance(p); return mk(p, N_Break, t);
        case K_CONTINUE: advance(p); return mk(p, N_Continue, t);
        case K_RETURN:
            advance(p);
            CHK(s = mk(p, N_Return, t));
            if (!ends_expr_list(p))
                CHK(s->a = star_expressions(p));
            return fin(p, s);
        case K_RAISE:
            advance(p);
            CHK(s = mk(p, N_Raise, t));
            if (!ends_expr_list(p)) {
                CHK(s->a = expression(p));
                if (accept_kw(p, K_FROM))
                    CHK(s->b = expression(p));
            }
            return fin(p, s);
        case K_GLOBAL: advance(p); return names_stmt(p, N_Global, t);
        case K_NONLOCAL: advance(p); return names_stmt(p, N_Nonlocal, t);
        case K_DEL: advance(p); return del_stmt(p, t);
        case K_ASSERT:
            advance(p);
            CHK(s = mk(p, N_Assert, t));
            CHK(s->a = expression(p));
            if (accept_op(p, P_COMMA))
                CHK(s->b = expression(p));
            return fin(p, s);
        case K_IMPORT: advance(p); return import_stmt(p, t);
        case K_FROM: advance(p); return from_stmt(p, t);
        }
    }
    return expr_statement(p);
}

static node *simple_stmts(parser *p, nlist *out)
{
    for (;;) {
        node *s = simple_stmt(p);
        CHK(s);
        PUSH(out, s);
        if (!accept_op(p, P_SEMI))
            break;
        if (cur(p)->type == T_NEWLINE)
            break;
    }
    if (cur(p)->type != T_NEWLINE)
        return syntax_error(p);
    advance(p);
    return out->v[out->n - 1];
}

static node *parse_block(parser *p, nlist *body, const char *what, int line)
{
    if (!expect_colon(p))
        return NULL;
    if (cur(p)->type != T_NEWLINE)
        return simple_stmts(p, body);
    advance(p);
    token *t = cur(p);
    if (t->type != T_INDENT) {
        if (t->type == T_LEXERR)
            return syntax_error(p);
        if (t->type == T_ENDMARKER)   /* CPython: the last line, no caret */
            return error_at(p, "IndentationError", prev(p)->lineno, 0, 0,
                            "expected an indented block after %s on line %d", what, line);
        return error_at(p, "IndentationError", t->lineno, t->col + 1, 0,
                        "expected an indented block after %s on line %d", what, line);
    }
    advance(p);
    while (cur(p)->type != T_DEDENT && cur(p)->type != T_ENDMARKER) {
        if (cur(p)->type == T_LEXERR)
            return syntax_error(p);
        CHK(statement(p, body));
    }
    node *last = body->v[body->n - 1];
    advance(p);
    return last;
}

static node *set_end_last(node *s, nlist *body)
{
    if (body->n)
        end_as(s, body->v[body->n - 1]);
    return s;
}

static node *if_stmt(parser *p, token *start, const char *what)
{
    advance(p);
    node *s = mk(p, N_If, start);
    CHK(s);
    CHK(s->a = named_expression(p));
    if (at_op(p, P_EQ) && s->a->kind == N_Name)
        return error_at(p, "SyntaxError", s->a->lineno, s->a->col + 1, 0,
                        "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
    CHK(parse_block(p, &s->l1, what, start->lineno));
    set_end_last(s, &s->l1);
    token *t = cur(p);
    if (is_kw(t, K_ELIF)) {
        node *e = if_stmt(p, t, "'elif' statement");
        CHK(e);
        PUSH(&s->l2, e);
        set_end_last(s, &s->l2);
    } else if (is_kw(t, K_ELSE)) {
        advance(p);
        CHK(parse_block(p, &s->l2, "'else' statement", t->lineno));
        set_end_last(s, &s->l2);
    }
    return s;
}

static node *else_block(parser *p, node *s, nlist *orelse)
{
    token *t = cur(p);
    if (accept_kw(p, K_ELSE)) {
        CHK(parse_block(p, orelse, "'else' statement", t->lineno));
        set_end_last(s, orelse);
    }
    return s;
}

static node *while_stmt(parser *p, token *start)
{
    advance(p);
    node *s = mk(p, N_While, start);
    CHK(s);
    CHK(s->a = named_expression(p));
    CHK(parse_block(p, &s->l1, "'while' statement", start->lineno));
    set_end_last(s, &s->l1);
    return else_block(p, s, &s->l2);
}

static node *for_stmt(parser *p, token *start)
{
    advance(p);
    node *s = mk(p, N_For, start);
    CHK(s);
    CHK(s->a = for_targets(p));
    if (!accept_kw(p, K_IN))
        return syntax_error(p);
    CHK(s->b = star_expressions(p));
    CHK(parse_block(p, &s->l1, "'for' statement", start->lineno));
    set_end_last(s, &s->l1);
    return else_block(p, s, &s->l2);
}

static node *try_stmt(parser *p, token *start)
{
    advance(p);
    node *s = mk(p, N_Try, start);
    CHK(s);
    CHK(parse_block(p, &s->l1, "'try' statement", start->lineno));
    while (at_kw(p, K_EXCEPT)) {
        token *et = cur(p);
        advance(p);
        node *h = mk(p, N_ExceptHandler, et);
        CHK(h);
        if (!at_op(p, P_COLON)) {
            CHK(h->a = expression(p));
            if (at_op(p, P_COMMA)) {
                return error_at(p, "SyntaxError", h->a->lineno, h->a->col + 1, 0,
                                "multiple exception types must be parenthesized");
            }
            if (accept_kw(p, K_AS))
                CHK(h->s1 = expect_name(p));
        }
        CHK(parse_block(p, &h->l1, "'except' statement", et->lineno));
        set_end_last(h, &h->l1);
        PUSH(&s->l2, h);
    }
    if (s->l2.n)
        CHK(else_block(p, s, &s->l3));
    token *t = cur(p);
    if (accept_kw(p, K_FINALLY))
        CHK(parse_block(p, &s->l4, "'finally' statement", t->lineno));
    if (!s->l2.n && !s->l4.n) {
        t = cur(p);
        if (t->type == T_LEXERR)
            return syntax_error(p);
        return error_at(p, "SyntaxError", t->lineno, t->col + 1, 0, "expected 'except' or 'finally' block");
    }
    set_end_last(s, s->l4.n ? &s->l4 : s->l3.n ? &s->l3 : &s->l2);
    return s;
}

static node *with_item(parser *p)
{
    token *t = cur(p);
    node *w = mk(p, N_withitem, t);
    CHK(w);
    CHK(w->a = expression(p));
    if (accept_kw(p, K_AS)) {
        CHK(w->b = target_atom_list(p));
        CHK(to_target(p, w->b, CTX_STORE));
    }
    return w;
}

/* Is this `with (a as b, c):` (parenthesized items) rather than a parenthesized expression? */
static int parenthesized_with_items(parser *p)
{
    int depth = 0, sawfor = 0;
    for (int i = p->pos; i < p->n; i++) {
        token *t = &p->t[i];
        if (t->type == T_OP && (t->op == P_LPAR || t->op == P_LSQB || t->op == P_LBRACE))
            depth++;
        else if (t->type == T_OP && (t->op == P_RPAR || t->op == P_RSQB || t->op == P_RBRACE)) {
            if (--depth == 0)
                return !sawfor && i + 1 < p->n && is_op(&p->t[i + 1], P_COLON);
        } else if (depth == 1 && (is_kw(t, K_FOR) || is_kw(t, K_YIELD)))
            sawfor = 1;
        else if (t->type == T_NEWLINE || t->type == T_ENDMARKER || t->type == T_LEXERR)
            return 0;
    }
    return 0;
}

static node *with_stmt(parser *p, token *start)
{
    advance(p);
    node *s = mk(p, N_With, start);
    CHK(s);
    int paren = at_op(p, P_LPAR) && parenthesized_with_items(p);
    if (paren)
        advance(p);
    do {
        if (paren && at_op(p, P_RPAR))
            break;
        node *w = with_item(p);
        CHK(w);
        PUSH(&s->l1, w);
    } while (accept_op(p, P_COMMA));
    if (paren && !expect_op(p, P_RPAR))
        return NULL;
    CHK(parse_block(p, &s->l2, "'with' statement", start->lineno));
    return set_end_last(s, &s->l2);
}

static node *arg_node(parser *p, int annotations)
{
    token *t = cur(p);
    node *a = mk(p, N_arg, t);
    CHK(a);
    CHK(a->s1 = expect_name(p));
    if (annotations && accept_op(p, P_COLON)) {
        CHK(a->a = expression(p));
        end_as(a, a->a);
    }
    return a;
}

/* Parameters up to closer (')' for def, ':' for lambda), closer not consumed. */
static node *parse_params(parser *p, int closer, int annotations)
{
    node *args = mk(p, N_arguments, cur(p));
    CHK(args);
    int star = 0, seen_default = 0;
    while (!at_op(p, closer)) {
        token *t = cur(p);
        if (accept_op(p, P_SLASH)) {
            if (star || args->l1.n || !args->l2.n)
                return tok_error(p, t, star ? "/ must be ahead of *" : "at least one argument must precede /");
            args->l1 = args->l2;
            memset(&args->l2, 0, sizeof args->l2);
        } else if (accept_op(p, P_STAR)) {
            if (star)
                return tok_error(p, t, "* argument may appear only once");
            star = 1;
            if (!at_op(p, P_COMMA) && !at_op(p, closer))
                CHK(args->a = arg_node(p, annotations));
            else if (at_op(p, closer) || is_op(peek(p, 1), closer))
                return tok_error(p, t, "named arguments must follow bare *");
        } else if (accept_op(p, P_DSTAR)) {
            CHK(args->b = arg_node(p, annotations));
            accept_op(p, P_COMMA);
            if (!at_op(p, closer))
                return tok_error(p, cur(p), "arguments cannot follow var-keyword argument");
            break;
        } else {
            node *a = arg_node(p, annotations);
            CHK(a);
            node *def = NULL;
            if (accept_op(p, P_EQ))
                CHK(def = expression(p));
            if (star) {
                PUSH(&args->l3, a);
                PUSH(&args->l4, def);
            } else {
                if (def) {
                    seen_default = 1;
                    PUSH(&args->l5, def);
                } else if (seen_default) {
                    return node_error(p, a, "non-default argument follows default argument");
                }
                PUSH(&args->l2, a);
            }
        }
        if (!accept_op(p, P_COMMA))
            break;
    }
    if (!at_op(p, closer))
        return syntax_error(p);
    return args;
}

static node *funcdef(parser *p, token *start, nlist *decorators)
{
    advance(p);
    node *f = mk(p, N_FunctionDef, start);
    CHK(f);
    if (decorators)
        f->l2 = *decorators;
    CHK(f->s1 = expect_name(p));
    if (!at_op(p, P_LPAR)) {
        token *t = cur(p);
        return error_at(p, "SyntaxError", t->lineno, t->col + 1, 0, "expected '('");
    }
    advance(p);
    CHK(f->a = parse_params(p, P_RPAR, 1));
    advance(p);
    if (accept_op(p, P_ARROW))
        CHK(f->b = expression(p));
    CHK(parse_block(p, &f->l1, "function definition", start->lineno));
    return set_end_last(f, &f->l1);
}

static node *classdef(parser *p, token *start, nlist *decorators)
{
    advance(p);
    node *c = mk(p, N_ClassDef, start);
    CHK(c);
    if (decorators)
        c->l4 = *decorators;
    CHK(c->s1 = expect_name(p));
    if (accept_op(p, P_LPAR)) {
        node call;
        memset(&call, 0, sizeof call);
        CHK(call_args(p, &call));
        c->l1 = call.l1;
        c->l2 = call.l2;
    }
    CHK(parse_block(p, &c->l3, "class definition", start->lineno));
    return set_end_last(c, &c->l3);
}

static node *decorated(parser *p)
{
    nlist decos = {0};
    while (at_op(p, P_AT)) {
        advance(p);
        node *d = named_expression(p);
        CHK(d);
        PUSH(&decos, d);
        if (cur(p)->type != T_NEWLINE)
            return syntax_error(p);
        advance(p);
    }
    token *t = cur(p);
    if (is_kw(t, K_DEF))
        return funcdef(p, t, &decos);
    if (is_kw(t, K_CLASS))
        return classdef(p, t, &decos);
    return syntax_error(p);
}

static node *statement(parser *p, nlist *out)
{
    token *t = cur(p);
    node *s = NULL;
    if (t->type == T_KW) {
        switch (t->op) {
        case K_IF: s = if_stmt(p, t, "'if' statement"); break;
        case K_WHILE: s = while_stmt(p, t); break;
        case K_FOR: s = for_stmt(p, t); break;
        case K_TRY: s = try_stmt(p, t); break;
        case K_WITH: s = with_stmt(p, t); break;
        case K_DEF: s = funcdef(p, t, NULL); break;
        case K_CLASS: s = classdef(p, t, NULL); break;
        default: return simple_stmts(p, out);
        }
    } else if (is_op(t, P_AT)) {
        s = decorated(p);
    } else if (t->type == T_INDENT || t->type == T_DEDENT || t->type == T_LEXERR || t->type == T_ERRTOK) {
        return syntax_error(p);
    } else {
        return simple_stmts(p, out);
    }
    CHK(s);
    PUSH(out, s);
    return s;
}

node *vm_parse(arena *A, const char *src, size_t len, const char *filename, int mode, vm_syntax_error *err)
{
    if (vm_check_utf8(src, len, filename, err) < 0)
        return NULL;
    vm_lexed lx;
    if (vm_lex(src, len, filename, &lx) < 0) {
        vm_set_error(err, "MemoryError", filename, NULL, 0, 0, 0, "out of memory");
        return NULL;
    }
    parser ps = {0}, *p = &ps;
    p->A = A;
    p->t = lx.toks;
    p->n = lx.n;
    p->src = src;
    p->filename = filename;
    p->err = err;
    p->lx = &lx;
    node *res = NULL;
    if (mode == COMPILE_EVAL) {
        token *t0 = cur(p);
        while (cur(p)->type == T_NEWLINE)
            advance(p);
        node *e = star_expressions(p);
        while (e && cur(p)->type == T_NEWLINE)
            advance(p);
        if (e && cur(p)->type != T_ENDMARKER)
            e = syntax_error(p);
        if (e && (res = mk(p, N_Expression, t0)))
            res->a = e;
    } else {
        res = mk(p, mode == COMPILE_SINGLE ? N_Interactive : N_Module, cur(p));
        while (res && cur(p)->type != T_ENDMARKER) {
            if (cur(p)->type == T_NEWLINE) {
                advance(p);
                continue;
            }
            if (!statement(p, &res->l1))
                res = NULL;
        }
    }
    if (p->failed && lx.lexerr && strcmp(err->type, "MemoryError")) {
        /* CPython tokenizes the rest of the source after a parser error: a tokenizer error
           wins, and so does an unclosed bracket opened before the line of the error */
        int errline = p->t[p->maxpos < p->n ? p->maxpos : p->n - 1].lineno;
        if (!lx.open_paren_line || lx.open_paren_line < errline)
            *err = lx.err;
    }
    free(lx.toks);
    return p->failed ? NULL : res;
}
