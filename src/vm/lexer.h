/* lexer.h — tokenizer for the Python subset: UTF-8 source -> array of tokens. */
#ifndef VM_LEXER_H
#define VM_LEXER_H

#include <stddef.h>
#include "code.h"

enum tok_type {
    T_ENDMARKER, T_NAME, T_KW, T_NUMBER, T_STRING, T_NEWLINE, T_INDENT, T_DEDENT, T_OP,
    T_ERRTOK,   /* a character that starts no token ('$', '?', ...): the parser reports it */
    T_LEXERR    /* the tokenizer failed here: the error is in vm_lexed.err */
};

#define VM_PUNCTS(X)                                                                          \
    X(LPAR, "(") X(RPAR, ")") X(LSQB, "[") X(RSQB, "]") X(LBRACE, "{") X(RBRACE, "}")          \
    X(COMMA, ",") X(COLON, ":") X(SEMI, ";") X(DOT, ".") X(ELLIPSIS, "...")                   \
    X(PLUS, "+") X(MINUS, "-") X(STAR, "*") X(SLASH, "/") X(DSLASH, "//") X(PERCENT, "%")     \
    X(DSTAR, "**") X(AT, "@") X(AMP, "&") X(VBAR, "|") X(CARET, "^") X(TILDE, "~")            \
    X(LSHIFT, "<<") X(RSHIFT, ">>") X(LT, "<") X(GT, ">") X(LE, "<=") X(GE, ">=")             \
    X(EQEQ, "==") X(NE, "!=") X(EQ, "=") X(ARROW, "->") X(WALRUS, ":=")                       \
    X(PLUSEQ, "+=") X(MINUSEQ, "-=") X(STAREQ, "*=") X(SLASHEQ, "/=") X(DSLASHEQ, "//=")       \
    X(PERCENTEQ, "%=") X(DSTAREQ, "**=") X(ATEQ, "@=") X(AMPEQ, "&=") X(VBAREQ, "|=")         \
    X(CARETEQ, "^=") X(LSHIFTEQ, "<<=") X(RSHIFTEQ, ">>=") X(BANG, "!")

enum punct {
#define X(n, s) P_##n,
    VM_PUNCTS(X)
#undef X
    P__COUNT
};

#define VM_KEYWORDS(X)                                                                        \
    X(FALSE, "False") X(NONE, "None") X(TRUE, "True") X(AND, "and") X(AS, "as")               \
    X(ASSERT, "assert") X(ASYNC, "async") X(AWAIT, "await") X(BREAK, "break")                 \
    X(CLASS, "class") X(CONTINUE, "continue") X(DEF, "def") X(DEL, "del") X(ELIF, "elif")     \
    X(ELSE, "else") X(EXCEPT, "except") X(FINALLY, "finally") X(FOR, "for") X(FROM, "from")   \
    X(GLOBAL, "global") X(IF, "if") X(IMPORT, "import") X(IN, "in") X(IS, "is")               \
    X(LAMBDA, "lambda") X(NONLOCAL, "nonlocal") X(NOT, "not") X(OR, "or") X(PASS, "pass")     \
    X(RAISE, "raise") X(RETURN, "return") X(TRY, "try") X(WHILE, "while") X(WITH, "with")     \
    X(YIELD, "yield")

enum keyword {
#define X(n, s) K_##n,
    VM_KEYWORDS(X)
#undef X
    K__COUNT
};

extern const char *const vm_punct_str[P__COUNT];
extern const char *const vm_keyword_str[K__COUNT];

typedef struct token {
    int type;
    int op;                 /* enum punct for T_OP, enum keyword for T_KW */
    const char *s;          /* start in the source */
    int len;                /* bytes */
    int lineno, col;        /* 1-based line, 0-based byte column */
    int end_lineno, end_col;
    int level;              /* bracket depth before this token */
} token;

typedef struct vm_lexed {
    token *toks;
    int n;
    int lexerr;             /* 1 if the last token is T_LEXERR and err holds the error */
    vm_syntax_error err;
    int open_paren_line;    /* at EOF: line of the innermost unclosed bracket, else 0 */
    int open_paren_col;
    char open_paren_char;
} vm_lexed;

/* Tokenize the whole source (never fails as a call: a tokenizer error ends the token array
   with T_LEXERR).  Returns 0, or -1 when out of memory. */
int vm_lex(const char *src, size_t len, const char *filename, vm_lexed *out);

/* Fill *err (type, msg, position, source line).  col/end_col are 1-based, 0 = none. */
void vm_set_error(vm_syntax_error *err, const char *type, const char *filename, const char *src,
                  int lineno, int col, int end_col, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));

/* Check that src is valid UTF-8; on failure fill err and return -1. */
int vm_check_utf8(const char *src, size_t len, const char *filename, vm_syntax_error *err);

#endif
