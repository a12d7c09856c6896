/* lexer.c — tokenizer: INDENT/DEDENT (tabs to multiples of 8, TabError as CPython), implicit
   line joining inside brackets, backslash continuation, numbers, strings (kept raw: the parser
   decodes them), operators.  A tokenizer error becomes a final T_LEXERR token. */
#include "lexer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const vm_punct_str[P__COUNT] = {
#define X(n, s) s,
    VM_PUNCTS(X)
#undef X
};

const char *const vm_keyword_str[K__COUNT] = {
#define X(n, s) s,
    VM_KEYWORDS(X)
#undef X
};

void vm_set_error(vm_syntax_error *err, const char *type, const char *filename, const char *src,
                  int lineno, int col, int end_col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->type = type;
    err->filename = filename;
    err->lineno = lineno;
    err->col = col;
    err->end_col = end_col;
    err->line[0] = 0;
    if (!src || lineno < 1)
        return;
    const char *p = src;
    for (int l = 1; l < lineno && *p; p++)
        if (*p == '\n')
            l++;
    size_t n = strcspn(p, "\n");
    if (n > 0 && p[n - 1] == '\r')
        n--;
    if (n >= sizeof err->line)
        n = sizeof err->line - 1;
    memcpy(err->line, p, n);
    err->line[n] = 0;
}

int vm_check_utf8(const char *src, size_t len, const char *filename, vm_syntax_error *err)
{
    const unsigned char *s = (const unsigned char *)src;
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        int need = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
        const char *why = "invalid start byte";
        if (need == 0) { i++; continue; }
        if (need > 0 && c != 0xC0 && c != 0xC1 && c < 0xF5) {
            size_t k = 1;
            while ((int)k <= need && i + k < len && (s[i + k] & 0xC0) == 0x80)
                k++;
            if ((int)k == need + 1) { i += k; continue; }
            why = i + k >= len ? "unexpected end of data" : "invalid continuation byte";
        }
        int line = 1;
        for (size_t j = 0; j < i; j++)
            line += s[j] == '\n';
        vm_set_error(err, "SyntaxError", filename, NULL, line, 0, 0,
                     "(unicode error) 'utf-8' codec can't decode byte 0x%02x in position %zu: %s",
                     c, i, why);
        return -1;
    }
    return 0;
}

/* ---- tokenizer state ---- */

typedef struct lexer {
    const char *src, *end, *p;
    const char *filename;
    const char *linestart;
    int lineno;
    int indstack[128], altstack[128], nind;
    char parens[256];
    int parenline[256], parencol[256], nparens;
    int atbol;              /* at the beginning of a logical line */
    int pending_line;       /* tokens already on the current logical line */
    vm_lexed *out;
    int cap;
} lexer;

static token *emit(lexer *L, int type, int op, const char *s, int len)
{
    vm_lexed *o = L->out;
    if (o->n == L->cap) {
        L->cap = L->cap ? 2 * L->cap : 256;
        token *t = realloc(o->toks, (size_t)L->cap * sizeof *t);
        if (!t)
            return NULL;
        o->toks = t;
    }
    token *t = &o->toks[o->n++];
    t->type = type;
    t->op = op;
    t->s = s;
    t->len = len;
    t->lineno = L->lineno;
    t->col = (int)(s - L->linestart);
    t->end_lineno = L->lineno;
    t->end_col = t->col + len;
    t->level = L->nparens;
    return t;
}

static int lexerr(lexer *L, const char *type, int lineno, int col, int end_col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static int lexerr(lexer *L, const char *type, int lineno, int col, int end_col, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    vm_set_error(&L->out->err, type, L->filename, L->src, lineno, col, end_col, "%s", buf);
    L->out->lexerr = 1;
    token *t = emit(L, T_LEXERR, 0, L->p, 0);
    return t ? 1 : -1;
}

static int is_id_start(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80; }
static int is_id_char(int c) { return is_id_start(c) || (c >= '0' && c <= '9'); }

static void newline_at(lexer *L, const char *after)
{
    L->lineno++;
    L->linestart = after;
}

/* Measure indentation at the start of a line; returns 1 if the line is blank/comment only. */
static int measure_indent(lexer *L, int *col, int *altcol)
{
    int c = 0, a = 0;
    const char *p = L->p;
    for (;; p++) {
        if (p < L->end && *p == ' ') { c++; a++; }
        else if (p < L->end && *p == '\t') { c = (c / 8 + 1) * 8; a++; }
        else if (p < L->end && *p == '\f') { c = a = 0; }
        else break;
    }
    L->p = p;
    *col = c;
    *altcol = a;
    return p >= L->end || *p == '#' || *p == '\n' || *p == '\r' || *p == '\\';
}

static int do_indent(lexer *L)
{
    int col, alt;
    const char *start = L->p;
    if (measure_indent(L, &col, &alt)) {
        if (L->p < L->end && *L->p == '\\')
            return 0;   /* continuation at the start of a line: no indentation change */
        return 0;       /* blank line */
    }
    int top = L->nind - 1;
    if (col == L->indstack[top]) {
        if (alt != L->altstack[top])
            goto tab;
    } else if (col > L->indstack[top]) {
        if (L->nind >= 100)
            return lexerr(L, "IndentationError", L->lineno, 0, 0, "too many levels of indentation");
        if (alt <= L->altstack[top])
            goto tab;
        L->indstack[L->nind] = col;
        L->altstack[L->nind++] = alt;
        if (!emit(L, T_INDENT, 0, start, (int)(L->p - start)))
            return -1;
    } else {
        while (L->nind > 1 && col < L->indstack[L->nind - 1]) {
            L->nind--;
            if (!emit(L, T_DEDENT, 0, L->p, 0))
                return -1;
        }
        if (col != L->indstack[L->nind - 1]) {
            int n = (int)strcspn(L->linestart, "\r\n");
            return lexerr(L, "IndentationError", L->lineno, n + 1, 0,
                          "unindent does not match any outer indentation level");
        }
        if (alt != L->altstack[L->nind - 1])
            goto tab;
    }
    return 0;
tab:
    return lexerr(L, "TabError", L->lineno, 1, 0, "inconsistent use of tabs and spaces in indentation");
}

static int digits(lexer *L, const char **pp, int (*ok)(int))
{
    const char *p = *pp;
    if (p >= L->end || !ok((unsigned char)*p))
        return 0;
    while (p < L->end) {
        if (ok((unsigned char)*p)) p++;
        else if (*p == '_' && p + 1 < L->end && ok((unsigned char)p[1])) p += 2;
        else break;
    }
    *pp = p;
    return 1;
}

static int isdec(int c) { return c >= '0' && c <= '9'; }
static int ishex(int c) { return isdec(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static int isoct(int c) { return c >= '0' && c <= '7'; }
static int isbin(int c) { return c == '0' || c == '1'; }

/* After a number: a letter directly after it is an error unless it starts a keyword that may
   follow a number (CPython allows `1if x else y`). */
static int bad_number_end(lexer *L, const char *p)
{
    static const char *const ok[] = {"and", "else", "for", "if", "in", "is", "not", "or", NULL};
    if (p >= L->end || !is_id_start((unsigned char)*p))
        return 0;
    for (int i = 0; ok[i]; i++)
        if (!strncmp(p, ok[i], strlen(ok[i])))
            return 0;
    return 1;
}

static int lex_number(lexer *L)
{
    const char *s = L->p, *p = s;
    const char *kind = "decimal";
    int col = (int)(s - L->linestart);
    if (*p == '0' && p + 1 < L->end && strchr("xXoObB", p[1])) {
        char c = (char)(p[1] | 0x20);
        int (*ok)(int) = c == 'x' ? ishex : c == 'o' ? isoct : isbin;
        kind = c == 'x' ? "hexadecimal" : c == 'o' ? "octal" : "binary";
        p += 2;
        if (p < L->end && *p == '_')
            p++;
        if (!digits(L, &p, ok) || (p < L->end && (isdec((unsigned char)*p) || is_id_start((unsigned char)*p)))) {
            if (p < L->end && isdec((unsigned char)*p) && c != 'x')
                return lexerr(L, "SyntaxError", L->lineno, (int)(p - L->linestart) + 1, 0,
                              "invalid digit '%c' in %s literal", *p, kind);
            return lexerr(L, "SyntaxError", L->lineno, col + 1, 0, "invalid %s literal", kind);
        }
    } else {
        int isfloat = 0;
        if (*p == '.') {
            p++;
            digits(L, &p, isdec);
            isfloat = 1;
        } else {
            digits(L, &p, isdec);
            if (*s == '0') {
                int nonzero = 0;
                for (const char *q = s; q < p; q++)
                    nonzero |= *q != '0' && *q != '_';
                if (nonzero && !(p < L->end && (*p == '.' || *p == 'e' || *p == 'E' || *p == 'j' || *p == 'J')))
                    return lexerr(L, "SyntaxError", L->lineno, col + 1, 0,
                                  "leading zeros in decimal integer literals are not permitted; "
                                  "use an 0o prefix for octal integers");
            }
            if (p < L->end && *p == '.') {
                p++;
                digits(L, &p, isdec);
                isfloat = 1;
            }
        }
        if (p < L->end && (*p == 'e' || *p == 'E')) {
            const char *q = p + 1;
            if (q < L->end && (*q == '+' || *q == '-'))
                q++;
            if (digits(L, &q, isdec))
                p = q, isfloat = 1;
            else if (q > p + 1 || 1)
                return lexerr(L, "SyntaxError", L->lineno, col + 1, 0, "invalid decimal literal");
        }
        if (p < L->end && (*p == 'j' || *p == 'J'))
            p++, kind = "imaginary";
        (void)isfloat;
    }
    if (bad_number_end(L, p))
        return lexerr(L, "SyntaxError", L->lineno, col + 1, 0, "invalid %s literal", kind);
    L->p = p;
    return emit(L, T_NUMBER, 0, s, (int)(p - s)) ? 0 : -1;
}

/* String: prefix already scanned from s to L->p (which points at the quote). */
static int lex_string(lexer *L, const char *s)
{
    int startline = L->lineno;
    const char *startls = L->linestart;
    int col = (int)(s - L->linestart);
    char q = *L->p;
    const char *p = L->p;
    int triple = p + 2 < L->end && p[1] == q && p[2] == q;
    p += triple ? 3 : 1;
    for (;;) {
        if (p >= L->end) {
            int last = L->lineno;
            if (L->end > L->src && L->end[-1] == '\n' && last > startline)
                last--;
            L->lineno = startline;
            L->linestart = startls;
            if (triple)
                return lexerr(L, "SyntaxError", startline, col + 1, 0,
                              "unterminated triple-quoted string literal (detected at line %d)", last + (L->end[-1] == '\n' ? 0 : 0));
            return lexerr(L, "SyntaxError", startline, col + 1, 0,
                          "unterminated string literal (detected at line %d)", last);
        }
        char c = *p;
        if (c == '\\') {
            if (p + 1 < L->end && p[1] == '\n') {
                p += 2;
                newline_at(L, p);
            } else if (p + 2 < L->end && p[1] == '\r' && p[2] == '\n') {
                p += 3;
                newline_at(L, p);
            } else {
                p += p + 1 < L->end ? 2 : 1;
            }
            continue;
        }
        if (c == '\n') {
            if (!triple) {
                int line = L->lineno;
                L->lineno = startline;
                L->linestart = startls;
                return lexerr(L, "SyntaxError", startline, col + 1, 0,
                              "unterminated string literal (detected at line %d)", line);
            }
            p++;
            newline_at(L, p);
            continue;
        }
        if (c == q && (!triple || (p + 2 < L->end && p[1] == q && p[2] == q))) {
            p += triple ? 3 : 1;
            break;
        }
        p++;
    }
    /* the token spans lines: position it at its start */
    int endline = L->lineno;
    const char *endls = L->linestart;
    L->lineno = startline;
    L->linestart = startls;
    token *t = emit(L, T_STRING, 0, s, (int)(p - s));
    if (!t)
        return -1;
    t->end_lineno = endline;
    t->end_col = (int)(p - endls);
    L->lineno = endline;
    L->linestart = endls;
    L->p = p;
    return 0;
}

static int is_string_prefix(const char *s, int n)
{
    char b[3];
    if (n > 2)
        return 0;
    for (int i = 0; i < n; i++)
        b[i] = (char)(s[i] | 0x20);
    if (n == 1)
        return b[0] == 'r' || b[0] == 'u' || b[0] == 'b' || b[0] == 'f';
    return (b[0] == 'r' && (b[1] == 'b' || b[1] == 'f')) || (b[1] == 'r' && (b[0] == 'b' || b[0] == 'f'));
}

static int lex_name(lexer *L)
{
    const char *s = L->p, *p = s;
    while (p < L->end && is_id_char((unsigned char)*p))
        p++;
    int n = (int)(p - s);
    if (p < L->end && (*p == '"' || *p == '\'') && is_string_prefix(s, n)) {
        L->p = p;
        return lex_string(L, s);
    }
    L->p = p;
    for (int k = 0; k < K__COUNT; k++)
        if ((int)strlen(vm_keyword_str[k]) == n && !memcmp(vm_keyword_str[k], s, (size_t)n))
            return emit(L, T_KW, k, s, n) ? 0 : -1;
    return emit(L, T_NAME, 0, s, n) ? 0 : -1;
}

static int lex_punct(lexer *L)
{
    const char *s = L->p;
    int best = -1, bestlen = 0;
    for (int i = 0; i < P__COUNT; i++) {
        int n = (int)strlen(vm_punct_str[i]);
        if (n > bestlen && s + n <= L->end && !memcmp(vm_punct_str[i], s, (size_t)n))
            best = i, bestlen = n;
    }
    if (best < 0 || best == P_BANG) {
        L->p++;
        return emit(L, T_ERRTOK, 0, s, 1) ? 0 : -1;
    }
    int col = (int)(s - L->linestart);
    if (best == P_LPAR || best == P_LSQB || best == P_LBRACE) {
        if (L->nparens >= 200)
            return lexerr(L, "SyntaxError", L->lineno, col + 1, 0, "too many nested parentheses");
        L->parens[L->nparens] = *s;
        L->parenline[L->nparens] = L->lineno;
        L->parencol[L->nparens++] = col;
    } else if (best == P_RPAR || best == P_RSQB || best == P_RBRACE) {
        if (L->nparens == 0)
            return lexerr(L, "SyntaxError", L->lineno, col + 1, 0, "unmatched '%c'", *s);
        char open = L->parens[L->nparens - 1];
        char want = open == '(' ? ')' : open == '[' ? ']' : '}';
        if (*s != want) {
            if (L->parenline[L->nparens - 1] != L->lineno)
                return lexerr(L, "SyntaxError", L->lineno, col + 1, 0,
                              "closing parenthesis '%c' does not match opening parenthesis '%c' on line %d",
                              *s, open, L->parenline[L->nparens - 1]);
            return lexerr(L, "SyntaxError", L->lineno, col + 1, 0,
                          "closing parenthesis '%c' does not match opening parenthesis '%c'", *s, open);
        }
        L->nparens--;
    }
    L->p += bestlen;
    token *t = emit(L, T_OP, best, s, bestlen);
    if (t && (best == P_RPAR || best == P_RSQB || best == P_RBRACE))
        t->level = L->nparens;
    return t ? 0 : -1;
}

static int at_eof(lexer *L)
{
    if (L->pending_line && L->nparens == 0 && !emit(L, T_NEWLINE, 0, L->p, 0))
        return -1;
    if (L->nparens) {
        int i = L->nparens - 1;
        L->out->open_paren_line = L->parenline[i];
        L->out->open_paren_col = L->parencol[i];
        L->out->open_paren_char = L->parens[i];
        return lexerr(L, "SyntaxError", L->parenline[i], L->parencol[i] + 1, 0, "'%c' was never closed",
                      L->parens[i]);
    }
    while (L->nind > 1) {
        L->nind--;
        if (!emit(L, T_DEDENT, 0, L->p, 0))
            return -1;
    }
    return emit(L, T_ENDMARKER, 0, L->p, 0) ? 1 : -1;
}

/* One step: returns 0 to continue, 1 when done (ENDMARKER or error token emitted), -1 OOM. */
static int lex_step(lexer *L)
{
    if (L->atbol) {
        L->atbol = 0;
        if (L->nparens == 0) {
            int r = do_indent(L);
            if (r)
                return r;
        }
    }
    while (L->p < L->end && (*L->p == ' ' || *L->p == '\t' || *L->p == '\f'))
        L->p++;
    if (L->p >= L->end)
        return at_eof(L);
    char c = *L->p;
    if (c == '#') {
        while (L->p < L->end && *L->p != '\n')
            L->p++;
        return 0;
    }
    if (c == '\r' && L->p + 1 < L->end && L->p[1] == '\n') {
        L->p++;
        c = '\n';
    }
    if (c == '\n' || c == '\r') {
        if (L->pending_line && L->nparens == 0) {
            if (!emit(L, T_NEWLINE, 0, L->p, 1))
                return -1;
            L->pending_line = 0;
        }
        L->p++;
        newline_at(L, L->p);
        L->atbol = 1;
        return 0;
    }
    if (c == '\\') {
        const char *q = L->p + 1;
        if (q < L->end && *q == '\r')
            q++;
        if (q >= L->end)
            return lexerr(L, "SyntaxError", L->lineno, (int)(L->p - L->linestart) + 1, 0, "unexpected EOF while parsing");
        if (*q != '\n')
            return lexerr(L, "SyntaxError", L->lineno, (int)(L->p - L->linestart) + 2, 0,
                          "unexpected character after line continuation character");
        L->p = q + 1;
        newline_at(L, L->p);
        return 0;
    }
    L->pending_line = 1;
    if (is_id_start((unsigned char)c))
        return lex_name(L);
    if (isdec((unsigned char)c) || (c == '.' && L->p + 1 < L->end && isdec((unsigned char)L->p[1])))
        return lex_number(L);
    if (c == '"' || c == '\'')
        return lex_string(L, L->p);
    return lex_punct(L);
}

int vm_lex(const char *src, size_t len, const char *filename, vm_lexed *out)
{
    memset(out, 0, sizeof *out);
    lexer L;
    memset(&L, 0, sizeof L);
    L.src = src;
    L.end = src + len;
    L.p = src;
    if (len >= 3 && !memcmp(src, "\xEF\xBB\xBF", 3))
        L.p += 3;
    L.filename = filename;
    L.linestart = src;
    L.lineno = 1;
    L.nind = 1;
    L.atbol = 1;
    L.out = out;
    for (;;) {
        int r = lex_step(&L);
        if (r < 0)
            return -1;
        if (r > 0)
            return 0;
    }
}
