/* Runs mod_os.c and mod_time.c outside the interpreter on a tiny mock of vm.h (values printed).
   cc -std=c11 -D_GNU_SOURCE -Iinclude -Isrc/vm -fsanitize=address,undefined \
      tests/lib/c_mock/mock_os_time.c -o /tmp/mock_os_time && ASAN_OPTIONS=detect_leaks=0 /tmp/mock_os_time */
#include "mod_os.c"
#include "mod_time.c"
#include <inttypes.h>

vm_globals vm;
static stm_thread T;
static Thread TH;
static const vm_method *OS, *TIME;
static Value ROOTS[1000];
static Value EXC;

typedef struct MList { ObjHead h; int64_t n; Value items[4096]; } MList;
typedef struct MExc { ObjHead h; Value type, args; } MExc;

static Value mk(uint16_t tid, size_t size) {
    stm_obj *o = calloc(1, sizeof(stm_obj) + size);
    atomic_store(&o->owner, T.tag);
    o->tid = tid;
    atomic_store(&o->cur, (void *)(o + 1));
    return o;
}
const void *_stm_read_slow(stm_thread *t, stm_obj *o) { abort(); }
void *_stm_write_slow(stm_thread *t, stm_obj *o) { abort(); }
void _stm_grow_roots(stm_thread *t) { abort(); }
void stm_become_inevitable(stm_thread *t) { printf("[inevitable]\n"); }
void vm_blocking_begin(Thread *th) { printf("[blocking begin]\n"); }
void vm_blocking_end(Thread *th) { printf("[blocking end]\n"); }
uint16_t vm_tid(Value v) { return IS_SMALL(v) ? T_INT : v->tid; }
bool vm_is_int(Value v) { return IS_SMALL(v); }
const char *vm_type_name(Thread *th, Value v) { return IS_SMALL(v) ? "int" : "obj"; }
Value vm_raise(Thread *th, Value exc_type, const char *fmt, ...) {
    va_list ap; va_start(ap, fmt); printf("raise: "); vprintf(fmt, ap); printf("\n"); va_end(ap);
    return NULL;
}
Value vm_exc_new(Thread *th, Value type, Value args) {
    Value e = mk(T_INSTANCE, sizeof(MExc)); ((MExc *)stm_payload(e))->type = type;
    ((MExc *)stm_payload(e))->args = args; return e;
}
Value vm_raise_instance(Thread *th, Value exc) { EXC = exc; return NULL; }
void vm_exc_clear(Thread *th) {}
Value vm_no_memory(Thread *th) { return vm_raise(th, NULL, "nomem"); }
int vm_arg_count(Thread *th, const char *f, int nargs, Value kw, int min, int max) {
    if (nargs < min || nargs > max) { vm_raise(th, NULL, "%s: bad arg count", f); return -1; }
    return 0;
}
int vm_parse_args(Thread *th, const char *f, Value *args, int nargs, Value kw,
                  const char *const *names, int required, Value *out) {
    int n = 0; while (names[n]) n++;
    if (nargs < required || nargs > n) { vm_raise(th, NULL, "%s: bad args", f); return -1; }
    for (int i = 0; i < n; i++) out[i] = i < nargs ? args[i] : NULL;
    return 0;
}
Value vm_str_new(Thread *th, const char *s, size_t n) {
    Value v = mk(T_STR, sizeof(StrObj) + n + 1); StrObj *so = stm_payload(v);
    so->len = (int64_t)n; memcpy(so->data, s, n); so->data[n] = 0; return v;
}
Value vm_str_cstr(Thread *th, const char *s) { return vm_str_new(th, s, strlen(s)); }
Value vm_bytes_new(Thread *th, const void *d, size_t n) {
    Value v = mk(T_BYTES, sizeof(BytesObj) + n); BytesObj *b = stm_payload(v);
    b->len = (int64_t)n; memcpy(b->data, d, n); return v;
}
Value vm_list_new(Thread *th, int64_t n) { return mk(T_LIST, sizeof(MList)); }
int vm_list_append(Thread *th, Value l, Value v) {
    MList *m = stm_payload(l); m->items[m->n++] = v; return 0;
}
Value vm_dict_new(Thread *th) { return vm_list_new(th, 0); }
static bool streq(Value a, Value b) { return !strcmp(((StrObj *)stm_payload(a))->data, ((StrObj *)stm_payload(b))->data); }
int vm_dict_get(Thread *th, Value d, Value k, Value *out) {
    MList *m = stm_payload(d);
    for (int64_t i = 0; i < m->n; i += 2) if (streq(m->items[i], k)) { *out = m->items[i + 1]; return 1; }
    return 0;
}
int vm_dict_get_str(Thread *th, Value d, Value k, Value *out) { return vm_dict_get(th, d, k, out); }
int vm_dict_set(Thread *th, Value d, Value k, Value v) {
    MList *m = stm_payload(d); m->items[m->n++] = k; m->items[m->n++] = v; return 0;
}
Value vm_tuple_new(Thread *th, int64_t n) {
    Value v = mk(T_TUPLE, sizeof(TupleObj) + (size_t)n * sizeof(Value));
    ((TupleObj *)stm_payload(v))->n = n; return v;
}
Value vm_tuple_from(Thread *th, Value *items, int64_t n) {
    Value t = vm_tuple_new(th, n); memcpy(((TupleObj *)stm_payload(t))->items, items, (size_t)n * sizeof(Value)); return t;
}
Value vm_tuple_pack(Thread *th, int n, ...) {
    Value it[8]; va_list ap; va_start(ap, n); for (int i = 0; i < n; i++) it[i] = va_arg(ap, Value);
    va_end(ap); return vm_tuple_from(th, it, n);
}
Value vm_sequence_tuple(Thread *th, Value v) { return v; }
Value vm_int_from_i64(Thread *th, int64_t i) { return MK_SMALL(i); }
int vm_int_to_i64(Thread *th, Value v, int64_t *out) { *out = SMALL_VAL(v); return 0; }
int vm_index(Thread *th, Value v, int64_t *out) { *out = SMALL_VAL(v); return 0; }
Value vm_float_new(Thread *th, double d) {
    Value v = mk(T_FLOAT, sizeof(FloatObj)); ((FloatObj *)stm_payload(v))->v = d; return v;
}
int vm_to_double(Thread *th, Value v, double *out) {
    if (IS_SMALL(v)) *out = (double)SMALL_VAL(v); else *out = ((FloatObj *)stm_payload(v))->v;
    return 0;
}
Value vm_make_module(Thread *th, const char *name, const vm_method *f) {
    if (!strcmp(name, "_os")) OS = f; else TIME = f;
    return mk(T_MODULE, sizeof(ModuleObj));
}
int vm_module_set(Thread *th, Value m, const char *name, Value v) {
    printf("module set %s (%" PRId64 " entries)\n", name, ((MList *)stm_payload(v))->n / 2); return 0;
}

static void show(Value v) {
    if (v == NULL) {
        if (EXC) {
            MExc *e = stm_payload(EXC); TupleObj *a = stm_payload(e->args);
            printf("raised %s errno=%" PRId64 " %s\n", e->type == vm.e_FileNotFoundError ? "FileNotFoundError" : e->type == vm.e_OSError ? "OSError" : "builtin-subclass",
                   SMALL_VAL(a->items[0]), ((StrObj *)stm_payload(a->items[1]))->data);
            EXC = NULL;
        } else printf("NULL\n");
    } else if (IS_SMALL(v)) printf("%" PRId64 "\n", SMALL_VAL(v));
    else if (v == vm.None) printf("None\n");
    else if (v->tid == T_FLOAT) printf("%.17g\n", ((FloatObj *)stm_payload(v))->v);
    else if (v->tid == T_STR) printf("'%s'\n", ((StrObj *)stm_payload(v))->data);
    else if (v->tid == T_BYTES) printf("bytes len %" PRId64 "\n", ((BytesObj *)stm_payload(v))->len);
    else if (v->tid == T_LIST) { MList *m = stm_payload(v); printf("list %" PRId64 ":", m->n); for (int64_t i = 0; i < m->n; i++) printf(" %s", ((StrObj *)stm_payload(m->items[i]))->data); printf("\n"); }
    else if (v->tid == T_TUPLE) { TupleObj *t = stm_payload(v); printf("("); for (int64_t i = 0; i < t->n; i++) { if (IS_SMALL(t->items[i])) printf("%" PRId64 ", ", SMALL_VAL(t->items[i])); else printf("%.3f, ", ((FloatObj *)stm_payload(t->items[i]))->v); } printf(")\n"); }
}
static Value call(const vm_method *tab, const char *name, int nargs, ...) {
    va_list ap; va_start(ap, nargs);
    Value args[4]; for (int i = 0; i < nargs; i++) args[i] = va_arg(ap, Value);
    va_end(ap);
    for (const vm_method *m = tab; m->name; m++) if (!strcmp(m->name, name)) {
        printf("%s: ", name); Value r = m->fn(&TH, args, nargs, NULL); show(r); return r;
    }
    abort();
}
#define S(s) vm_str_cstr(&TH, s)

int main(void) {
    T.tag = 0x1000; T.roots_base = T.roots_top = ROOTS; T.roots_end = ROOTS + 1000; TH.t = &T;
    vm.None = mk(T_NONE, 8); vm.True = mk(T_BOOL, 8); vm.False = mk(T_BOOL, 8);
    vm.e_OSError = mk(T_TYPE, 8); vm.e_FileNotFoundError = mk(T_TYPE, 8);
    vm.builtins = vm_dict_new(&TH);
    Value fee = mk(T_TYPE, 8);
    vm_dict_set(&TH, vm.builtins, S("FileExistsError"), fee);
    mod_os_init(&TH);
    mod_time_init(&TH);
    call(OS, "getcwd", 0);
    call(OS, "getpid", 0);
    call(OS, "cpu_count", 0);
    call(OS, "urandom", 1, MK_SMALL(16));
    system("rm -rf /tmp/mock_os_dir");
    call(OS, "mkdir", 1, S("/tmp/mock_os_dir"));
    call(OS, "mkdir", 1, S("/tmp/mock_os_dir"));
    call(OS, "mkdir", 2, S("/tmp/mock_os_dir/sub"), MK_SMALL(0700));
    FILE *f = fopen("/tmp/mock_os_dir/f\xff.txt", "w"); fputs("hello", f); fclose(f);
    call(OS, "listdir", 1, S("/tmp/mock_os_dir"));
    call(OS, "listdir", 0);
    call(OS, "listdir", 1, S("/nonexistent"));
    call(OS, "stat", 1, S("/tmp/mock_os_dir/sub"));
    call(OS, "stat", 1, S("/nonexistent"));
    call(OS, "stat", 1, MK_SMALL(3));
    call(OS, "rename", 2, S("/tmp/mock_os_dir/sub"), S("/tmp/mock_os_dir/sub2"));
    call(OS, "rmdir", 1, S("/tmp/mock_os_dir/sub2"));
    call(OS, "rmdir", 1, S("/tmp/mock_os_dir/sub2"));
    call(OS, "remove", 1, S("/tmp/mock_os_dir/f\xef\xbf\xbd.txt"));
    system("rm -rf /tmp/mock_os_dir");
    call(TIME, "time", 0); call(TIME, "time_ns", 0); call(TIME, "perf_counter", 0);
    call(TIME, "monotonic_ns", 0); call(TIME, "process_time", 0);
    call(TIME, "sleep", 1, vm_float_new(&TH, 0.05));
    call(TIME, "sleep", 1, MK_SMALL(-1));
    Value g = call(TIME, "gmtime", 1, MK_SMALL(1700000000));
    call(TIME, "gmtime", 1, vm_float_new(&TH, -1.5));
    call(TIME, "localtime", 0);
    call(TIME, "strftime", 2, S("%Y-%m-%d %H:%M:%S %a %j"), g);
    call(TIME, "strftime", 2, S(""), g);
    call(TIME, "mktime", 1, g);
    call(TIME, "ctime", 1, MK_SMALL(0));
    printf("roots left: %td\n", T.roots_top - T.roots_base);
    return 0;
}
