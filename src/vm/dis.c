/* dis.c — opcode names and a readable disassembly of code objects (recursing into nested code). */
#include <stdio.h>
#include <string.h>

#include "ast.h"
#include "code.h"
#include "opcodes.h"

const char *const vm_opcode_names[OP__COUNT] = {
#define X(name) #name,
    VM_OPCODES(X)
#undef X
};

static const char *const binop_sym[] = {"+", "-", "*", "@", "/", "//", "%", "**", "<<", ">>", "&", "|", "^"};
static const char *const cmp_sym[] = {"<", "<=", "==", "!=", ">", ">=", "in", "not in", "is", "is not"};

static void print_str(FILE *f, const char *s, size_t n, int bytes)
{
    if (bytes)
        fputc('b', f);
    fputc('\'', f);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '\'' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch == '\n')
            fputs("\\n", f);
        else if (ch == '\t')
            fputs("\\t", f);
        else if (ch < 0x20 || ch == 0x7F || (bytes && ch >= 0x80))
            fprintf(f, "\\x%02x", ch);
        else
            fputc(ch, f);
    }
    fputc('\'', f);
}

static void print_const(FILE *f, const vm_const *k)
{
    char buf[64];
    switch (k->kind) {
    case CONST_NONE: fputs("None", f); break;
    case CONST_TRUE: fputs("True", f); break;
    case CONST_FALSE: fputs("False", f); break;
    case CONST_ELLIPSIS: fputs("Ellipsis", f); break;
    case CONST_INT: fputs(k->text, f); break;
    case CONST_FLOAT: ast_float_repr(k->f, buf, sizeof buf, 1); fputs(buf, f); break;
    case CONST_COMPLEX: ast_float_repr(k->f, buf, sizeof buf, 0); fprintf(f, "%sj", buf); break;
    case CONST_STR: print_str(f, k->text, k->len, 0); break;
    case CONST_BYTES: print_str(f, k->text, k->len, 1); break;
    case CONST_CODE: fprintf(f, "<code object %s, line %d>", k->code->name, k->code->firstlineno); break;
    case CONST_TUPLE:
        fputc('(', f);
        for (size_t i = 0; i < k->n; i++) {
            if (i)
                fputs(", ", f);
            print_const(f, &k->items[i]);
        }
        fputs(k->n == 1 ? ",)" : ")", f);
        break;
    default: fputs("?", f);
    }
}

static void print_arg(FILE *f, const vm_code *co, int op, unsigned arg)
{
    switch (op) {
    case OP_LOAD_CONST:
        if ((int)arg < co->nconsts) print_const(f, &co->consts[arg]);
        break;
    case OP_LOAD_FAST: case OP_STORE_FAST: case OP_DELETE_FAST:
        if ((int)arg < co->nlocals) fputs(co->varnames[arg], f);
        break;
    case OP_LOAD_DEREF: case OP_STORE_DEREF: case OP_DELETE_DEREF: case OP_LOAD_CLOSURE: case OP_LOAD_CLASSDEREF:
        if ((int)arg < co->ncellvars) fputs(co->cellvars[arg], f);
        else if ((int)arg - co->ncellvars < co->nfreevars) fputs(co->freevars[arg - (unsigned)co->ncellvars], f);
        break;
    case OP_LOAD_GLOBAL: case OP_STORE_GLOBAL: case OP_DELETE_GLOBAL: case OP_LOAD_NAME: case OP_STORE_NAME:
    case OP_DELETE_NAME: case OP_LOAD_ATTR: case OP_STORE_ATTR: case OP_DELETE_ATTR: case OP_LOAD_METHOD:
    case OP_IMPORT_NAME: case OP_IMPORT_FROM:
        if ((int)arg < co->nnames) fputs(co->names[arg], f);
        break;
    case OP_BINARY_OP:
        if ((arg & 0x7F) < BINOP__COUNT) fprintf(f, "%s%s", binop_sym[arg & 0x7F], (arg & BINOP_INPLACE) ? "=" : "");
        break;
    case OP_COMPARE_OP:
        if (arg < 10) fputs(cmp_sym[arg], f);
        break;
    case OP_JUMP_FORWARD: case OP_JUMP_ABSOLUTE: case OP_POP_JUMP_IF_FALSE: case OP_POP_JUMP_IF_TRUE:
    case OP_JUMP_IF_FALSE_OR_POP: case OP_JUMP_IF_TRUE_OR_POP: case OP_FOR_ITER: case OP_SETUP_FINALLY:
    case OP_SETUP_WITH: case OP_JUMP_IF_NOT_EXC_MATCH:
        fprintf(f, "to %u", arg);
        break;
    case OP_FORMAT_VALUE: {
        static const char *const conv[] = {"", "str", "repr", "ascii"};
        fprintf(f, "%s%s", conv[arg & 3], (arg & 4) ? ((arg & 3) ? ", with format" : "with format") : "");
        break;
    }
    case OP_UNPACK_EX:
        fprintf(f, "%u before, %u after", arg & 0xFF, arg >> 8);
        break;
    }
}

static void print_names(FILE *f, const char *what, const char *const *v, int n)
{
    if (!n)
        return;
    fprintf(f, "  %s:", what);
    for (int i = 0; i < n; i++)
        fprintf(f, " %s", v[i]);
    fputc('\n', f);
}

static void dis_code(const vm_code *co, FILE *f)
{
    fprintf(f, "Disassembly of <code object %s at %s, line %d> (qualname %s)\n", co->name, co->filename,
            co->firstlineno, co->qualname);
    fprintf(f, "  flags: 0x%04x  argcount: %d  posonly: %d  kwonly: %d  nlocals: %d  stacksize: %d\n",
            co->flags, co->argcount, co->posonlyargcount, co->kwonlyargcount, co->nlocals, co->stacksize);
    print_names(f, "varnames", co->varnames, co->nlocals);
    print_names(f, "cellvars", co->cellvars, co->ncellvars);
    print_names(f, "freevars", co->freevars, co->nfreevars);
    int lastline = -1;
    for (int i = 0; i < co->ncode; i++) {
        uint32_t w = co->code[i];
        int op = (int)INSTR_OP(w);
        unsigned arg = INSTR_ARG(w);
        if (co->lines[i] != lastline)
            fprintf(f, "%4d ", co->lines[i]);
        else
            fputs("     ", f);
        lastline = co->lines[i];
        fprintf(f, "%6d %-22s", i, op < OP__COUNT ? vm_opcode_names[op] : "???");
        fprintf(f, " %5u (", arg);
        print_arg(f, co, op, arg);
        fputs(")\n", f);
    }
    fputc('\n', f);
    for (int i = 0; i < co->nconsts; i++)
        if (co->consts[i].kind == CONST_CODE)
            dis_code(co->consts[i].code, f);
}

void vm_disassemble(const vm_code *code, void *file)
{
    dis_code(code, (FILE *)file);
}
