/* main.c — the stmvm command line: stmvm [options] script.py [args...] | -c CODE | - */
#include "internal.h"
#include "smap.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *vm_read_source(const char *path, size_t *len);

static void usage(FILE *fp) {
    fputs("usage: stmvm [option] ... [-c cmd | file | -] [arg] ...\n"
          "Options:\n"
          "-c cmd : program passed in as string\n"
          "-h     : print this help message and exit (also --help)\n"
          "-V     : print the version number and exit (also --version)\n"
          "-X stm-length=N : at most N safe points (loop iterations) per transaction; 0: adaptive\n"
          "--dis  : print the bytecode of the script and exit\n"
          "file   : program read from script file\n"
          "-      : program read from stdin\n", fp);
}

static char *read_stdin(size_t *len) {
    size_t cap = 65536, n = 0, k;
    char *buf = malloc(cap + 1);
    while (buf && (k = fread(buf + n, 1, cap - n, stdin)) > 0) {
        n += k;
        if (n == cap) buf = realloc(buf, (cap *= 2) + 1);
    }
    if (buf) buf[n] = 0;
    *len = n;
    return buf;
}

static void print_syntax_error(const vm_syntax_error *e) {
    fflush(stdout);
    fprintf(stderr, "  File \"%s\", line %d\n", e->filename, e->lineno);
    if (e->line[0]) {
        const char *l = e->line;
        int strip = 0;
        while (l[strip] == ' ' || l[strip] == '\t' || l[strip] == '\f') strip++;
        fprintf(stderr, "    %s\n", l + strip);
        int col = e->col - strip;
        if (col >= 1) {
            fputs("    ", stderr);
            for (int i = 1; i < col; i++) fputc(' ', stderr);
            int n = e->end_col > e->col ? e->end_col - e->col : 1;
            for (int i = 0; i < n; i++) fputc('^', stderr);
            fputc('\n', stderr);
        }
    }
    fprintf(stderr, "%s: %s\n", e->type, e->msg);
}

/* Exit status for an uncaught exception, printing it (SystemExit prints only its message). */
static int handle_uncaught(Thread *th) {
    vm_io_irrevocable(th);       /* what follows writes to stderr directly */
    Value exc = *th->exc;
    vm_exc_clear(th);
    if (!exc) {
        fflush(stdout);
        fputs("SystemError: error return without exception set\n", stderr);
        return 1;
    }
    if (vm_isinstance(th, exc, vm.e_KeyboardInterrupt)) {
        vm_print_exception(th, exc);
        return 130;                    /* 128 + SIGINT, as a shell reports CPython's */
    }
    if (vm_isinstance(th, exc, vm.e_SystemExit)) {
        Value *pe = ROOT(th, exc);
        Value code = vm_getattr_cstr(th, *pe, "code");
        if (!code) { vm_exc_clear(th); return 1; }
        if (code == vm.None) return 0;
        if (vm_is_int(code)) { int64_t c = 0; vm_int_to_i64(th, code, &c); return (int)(c & 255); }
        Value s = vm_str(th, code);
        fflush(stdout);
        if (s) fprintf(stderr, "%s\n", STR(th, s)->data);
        return 1;
    }
    if (vm_isinstance(th, exc, vm.e_SyntaxError)) {
        /* SyntaxError raised by an import: CPython's format */
        Value *pe = ROOT(th, exc);
        vm_syntax_error e = {0};
        Value v;
        e.type = vm_type_name(th, *pe);
        char type[64];
        snprintf(type, sizeof type, "%s", e.type);
        e.type = type;
        if ((v = vm_getattr_cstr(th, *pe, "msg")) && vm_tid(v) == T_STR) snprintf(e.msg, sizeof e.msg, "%s", STR(th, v)->data);
        if ((v = vm_getattr_cstr(th, *pe, "filename")) && vm_tid(v) == T_STR) e.filename = strdup(STR(th, v)->data);
        if ((v = vm_getattr_cstr(th, *pe, "lineno")) && IS_SMALL(v)) e.lineno = (int)SMALL_VAL(v);
        if ((v = vm_getattr_cstr(th, *pe, "offset")) && IS_SMALL(v)) e.col = (int)SMALL_VAL(v);
        if ((v = vm_getattr_cstr(th, *pe, "text")) && vm_tid(v) == T_STR) snprintf(e.line, sizeof e.line, "%s", STR(th, v)->data);
        vm_exc_clear(th);
        Value tb;
        if (vm_dict_get_str(th, R(th, *pe, InstanceObj)->dict, vm_str_intern(th, "__traceback__"), &tb) == 1) {
            /* the frames of the importing code first */
            vm_dict_del(th, R(th, *pe, InstanceObj)->dict, vm_str_intern(th, "__traceback__"));
            fflush(stdout);
            fputs("Traceback (most recent call last):\n", stderr);
            for (int64_t i = vm_list_len(th, tb) - 1; i >= 0; i--) {
                const TupleObj *t = TUP(th, vm_list_get(th, tb, i));
                fprintf(stderr, "  File \"%s\", line %d, in %s\n", STR(th, t->items[0])->data, (int)SMALL_VAL(t->items[1]), STR(th, t->items[2])->data);
            }
        }
        if (e.filename) print_syntax_error(&e);
        return 1;
    }
    vm_print_exception(th, exc);
    return 1;
}

_Thread_local Thread *vm_self;
Thread *vm_main_thread;

/* Ctrl-C: the main thread raises KeyboardInterrupt at its next loop iteration or wait. */
static void on_sigint(int sig) {
    (void)sig;
    atomic_store(&vm_interrupted, 1);
}

/* libstm's abort hook: runs after every rollback, on the victim's OS thread. */
static void on_abort(const stm_abort_info *info) {
    (void)info;
    if (vm_self) vm_tx_aborted(vm_self);
}

Thread *vm_thread_new(void) {
    Thread *th = calloc(1, sizeof *th);
    th->t = stm_register_thread();
    stm_push_root(th->t, NULL); th->exc = th->t->roots_top - 1;
    stm_push_root(th->t, NULL); th->handled = th->t->roots_top - 1;
    stm_push_root(th->t, NULL); th->frame = th->t->roots_top - 1;
    stm_push_root(th->t, NULL); th->repr_stack = th->t->roots_top - 1;
    stm_push_root(th->t, NULL); th->restart_frame = th->t->roots_top - 1;
    stm_push_root(th->t, NULL); th->restart_handled = th->t->roots_top - 1;
    stm_push_root(th->t, NULL); th->blocked_on = th->t->roots_top - 1;
    stm_push_root(th->t, NULL); th->locals = th->t->roots_top - 1;
    th->spawn = th->t->roots_top;
    for (int i = 0; i < SPAWN_SLOTS; i++) stm_push_root(th->t, NULL);
    th->recursion_limit = 1000;
    th->id = th->t->id;
    th->lookup_cache = calloc(1, sizeof *th->lookup_cache);
    vm_io_thread_init(th);
    vm_self = th;
    return th;
}

void vm_thread_free(Thread *th) {
    free(th->lookup_cache);
    vm_io_thread_free(th);
    if (vm_self == th) vm_self = NULL;
    smap_thread_free(th);
    th->t->roots_top = th->t->roots_base;
    stm_unregister_thread(th->t);
    free(th);
}

/* Run the main module; transactions break inside the loop, an abort restarts here. */
static int startup_failed(Thread *th) {
    int status = handle_uncaught(th);
    vm_commit(th);
    return status;
}

static int main_finish(Thread *th, Value r) { return r ? 0 : handle_uncaught(th); }

static int run_main(Thread *th, const vm_code *code, const char *filename) {
    Value cv = vm_code_value(th, code);
    if (!cv) return startup_failed(th);
    Value *pcv = ROOT(th, cv);
    Value name = vm_str_cstr(th, "__main__");
    Value m = name ? vm_make_module(th, "__main__", NULL) : NULL;
    if (!m) return startup_failed(th);
    Value *pm = ROOT(th, m);
    { Value fv = vm_str_cstr(th, filename); vm_module_set(th, *pm, "__file__", fv); }
    vm_module_set(th, *pm, "__builtins__", vm.builtins);
    vm_module_set(th, *pm, "__package__", vm.None);
    Value globals = R(th, *pm, ModuleObj)->dict;
    Value frame = vm_frame_new(th, *pcv, globals, globals, NULL);
    if (!frame) return startup_failed(th);
    UNROOT(th, 2);
    volatile int status = vm_drive(th, frame, main_finish);
    /* join the non-daemon threads of `threading` (as CPython does at exit) */
    STM_START(th->t);
    vm_tx_started(th);
    vm_threading_shutdown(th);
    fflush(stdout);
    fflush(stderr);
    return status;
}

int main(int argc, char **argv) {
    const char *volatile cmd = NULL;
    const char *volatile script = NULL;
    bool dis = false, from_stdin = false;
    unsigned stm_length = 0;
    volatile int i = 1;          /* read after STM_START (setjmp) */
    for (; i < argc; i++) {
        const char *volatile a = argv[i];
        if (!strcmp(a, "-c")) {
            if (i + 1 >= argc) { fputs("Argument expected for the -c option\n", stderr); usage(stderr); return 2; }
            cmd = argv[++i];
            i++;
            break;
        } else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
            puts("Python 3.11.0 (stmvm 0.1)");
            return 0;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--dis")) {
            dis = true;
        } else if (!strcmp(a, "-X") || !strncmp(a, "-X", 2)) {
            const char *opt = a[2] ? a + 2 : i + 1 < argc ? argv[++i] : "";
            if (!strncmp(opt, "stm-length=", 11)) {
                char *end;
                long n = strtol(opt + 11, &end, 10);
                if (*end || n < 0 || n > 2000000000L) {
                    fprintf(stderr, "-X stm-length: expected a number of ticks (0 = adaptive), got '%s'\n", opt + 11);
                    return 2;
                }
                stm_length = (unsigned)n;
            }                                  /* other -X options: ignored, as CPython does */
        } else if (!strcmp(a, "-u") || !strcmp(a, "-B") || !strcmp(a, "-E") || !strcmp(a, "-s")) {
            /* accepted for compatibility */
        } else if (!strcmp(a, "-")) {
            from_stdin = true;
            i++;
            break;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "Unknown option: %s\n", a);
            usage(stderr);
            return 2;
        } else {
            script = a;
            i++;
            break;
        }
    }
    size_t len = 0;
    char *src;
    const char *filename;
    if (cmd) { src = strdup(cmd); len = strlen(src); filename = "<string>"; }
    else if (script) {
        src = vm_read_source(script, &len);
        filename = script;
        if (!src) {
            char abs[4096];
            if (script[0] != '/' && getcwd(abs, sizeof abs)) strncat(strncat(abs, "/", sizeof abs - strlen(abs) - 1), script, sizeof abs - strlen(abs) - 1);
            else snprintf(abs, sizeof abs, "%s", script);
            fprintf(stderr, "%s: can't open file '%s': [Errno %d] %s\n", argv[0], abs, errno, strerror(errno));
            return 2;
        }
    } else if (from_stdin || !isatty(0)) { src = read_stdin(&len); filename = "<stdin>"; }
    else { usage(stderr); return 2; }

    vm_syntax_error err;
    const vm_code *code = vm_compile(src, len, filename, COMPILE_FILE, &err);
    if (!code) { print_syntax_error(&err); return 1; }
    if (dis) { vm_disassemble(code, stdout); return 0; }

    stm_config cfg = {0};
    cfg.abort_hook = on_abort;         /* an aborted attempt's output and spawns are dropped */
    stm_setup(&cfg);
    stm_set_transaction_length(stm_length);
    Thread *th = vm_thread_new();
    vm_main_thread = th;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    STM_START(th->t);
    stm_become_inevitable(th->t);     /* start-up never aborts, so it never runs twice */
    vm_init_types(th);
    obj_exc_init(th);
    builtins_init(th);
    int nargv = argc - i + 1;
    char **pyargv = argv + i - 1;
    char *argv0 = cmd ? "-c" : script ? (char *)script : "-";
    pyargv[0] = argv0;
    mod_sys_init(th, nargv, pyargv);
    mod_math_init(th);
    mod_random_init(th);
    mod_time_init(th);
    mod_os_init(th);
    mod_thread_init(th);
    mod_transaction_init(th);
    /* sys.path[0]: the script's directory */
    char dir[4096] = "";
    if (script) {
        snprintf(dir, sizeof dir, "%s", script);
        char *slash = strrchr(dir, '/');
        if (slash) *slash = 0; else dir[0] = 0;
    }
    { Value dv = vm_str_cstr(th, dir); vm_list_append(th, vm.path, dv); }
    for (const char *const *n = vm_preinterned; *n; n++) vm_str_intern(th, *n);
    vm_str_intern_freeze();
    vm_types_changed(th);          /* start-up filled the types: nothing cached before this counts */
    if (*th->exc) { fputs("stmvm: start-up failed\n", stderr); vm_print_exception(th, *th->exc); return 1; }
    int status = run_main(th, code, filename);
    fflush(stdout);
    vm_thread_free(th);
    return status;
}
