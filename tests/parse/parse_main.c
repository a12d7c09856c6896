/* parse_main.c — test driver for the front end:
     stmvm-parse --ast FILE     print ast.dump(ast.parse(source)) as CPython 3.11 does
     stmvm-parse --dis FILE     compile and disassemble
     stmvm-parse --check FILE   compile; print a syntax error like CPython's traceback tail */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "code.h"

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (n + 4096 + 1 > cap)
            buf = realloc(buf, cap *= 2);
        size_t r = fread(buf + n, 1, 4096, f);
        n += r;
        if (r == 0)
            break;
    }
    fclose(f);
    buf[n] = 0;
    *len = n;
    return buf;
}

/* CPython's print_error_text: strip leading whitespace, caret line under the error. */
static void print_syntax_error(const vm_syntax_error *e)
{
    printf("  File \"%s\", line %d\n", e->filename, e->lineno);
    if (e->line[0] || e->col > 0) {
        const char *text = e->line;
        int offset = e->col - 1;
        while (*text == ' ' || *text == '\t' || *text == '\f') {
            text++;
            offset--;
        }
        int len = (int)strlen(text);
        if (offset > len)
            offset = len;
        printf("    %s\n", text);
        if (e->col > 0 && offset >= 0) {
            int reps = e->end_col > e->col ? e->end_col - e->col : 1;
            printf("    %*s", offset, "");
            for (int i = 0; i < reps; i++)
                putchar('^');
            putchar('\n');
        }
    }
    printf("%s: %s\n", e->type, e->msg);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s --ast|--dis|--check FILE\n", argv[0]);
        return 2;
    }
    size_t len;
    char *src = read_file(argv[2], &len);
    if (!src) {
        perror(argv[2]);
        return 2;
    }
    const char *fname = argv[2];
    vm_syntax_error err;
    memset(&err, 0, sizeof err);
    if (!strcmp(argv[1], "--ast")) {
        arena *A = arena_new();
        node *m = vm_parse(A, src, len, fname, COMPILE_FILE, &err);
        if (!m) {
            print_syntax_error(&err);
            return 1;
        }
        ast_dump(m, stdout);
        putchar('\n');
        arena_free(A);
        return 0;
    }
    const vm_code *code = vm_compile(src, len, fname, COMPILE_FILE, &err);
    if (!code) {
        print_syntax_error(&err);
        return 1;
    }
    if (!strcmp(argv[1], "--dis"))
        vm_disassemble(code, stdout);
    return 0;
}
