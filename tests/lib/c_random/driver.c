/* Runs mod_random.c outside the interpreter on a mock of the few vm.h functions it calls.
   cc -std=c11 -D_GNU_SOURCE -Iinclude -Isrc/vm tests/lib/c_random/driver.c -o /tmp/mod_random_driver
   python3 tests/lib/c_random/check.py /tmp/mod_random_driver   (compares with _random_py and CPython) */
/* Mock of the vm API, enough to run mod_random.c's functions outside the interpreter. */
#include "mod_random.c"   /* compile with -Isrc/vm */
#include <inttypes.h>

vm_globals vm;
static stm_thread T;
static Thread TH;
static const vm_method *MODFUNCS;

typedef struct MockBig { ObjHead h; char hex[]; } MockBig;   /* "-ff..." or "ff..." */

static Value mk(uint16_t tid, size_t size) {
    stm_obj *o = calloc(1, sizeof(stm_obj) + size);
    atomic_store(&o->owner, T.tag);
    o->tid = tid;
    atomic_store(&o->cur, (void *)(o + 1));
    return o;
}
Value vm_alloc(Thread *th, uint16_t tid, size_t size, uint16_t flags, Value cls) {
    Value v = mk(tid, size);
    ((ObjHead *)stm_payload(v))->cls = cls;
    return v;
}
Value vm_blob_new(Thread *th, size_t size) {
    Value v = mk(T_BLOB, sizeof(ObjHead) + sizeof(int64_t) + size);
    *(int64_t *)((char *)stm_payload(v) + sizeof(ObjHead)) = (int64_t)size;
    return v;
}
uint16_t vm_tid(Value v) { return IS_SMALL(v) ? T_INT : v->tid; }
bool vm_is_int(Value v) { return IS_SMALL(v) || v->tid == T_INT; }
static char lasterr[200];
Value vm_raise(Thread *th, Value exc_type, const char *fmt, ...) {
    va_list ap; va_start(ap, fmt); vsnprintf(lasterr, sizeof lasterr, fmt, ap); va_end(ap);
    return NULL;
}
Value vm_no_memory(Thread *th) { return vm_raise(th, NULL, "nomem"); }
const char *vm_type_name(Thread *th, Value v) { return "?"; }
int vm_arg_count(Thread *th, const char *fname, int nargs, Value kwnames, int min, int max) {
    if (nargs < min || nargs > max) { vm_raise(th, NULL, "%s: bad arg count", fname); return -1; }
    return 0;
}
static Value mkbig(const char *hex) {
    size_t n = strlen(hex);
    Value v = mk(T_INT, sizeof(MockBig) + n + 1);
    memcpy(((MockBig *)stm_payload(v))->hex, hex, n + 1);
    return v;
}
Value vm_int_to_base(Thread *th, Value v, int base, bool prefix) {
    const char *h = ((MockBig *)stm_payload(v))->hex;
    size_t n = strlen(h);
    Value s = mk(T_STR, sizeof(StrObj) + n + 1);
    StrObj *so = stm_payload(s);
    so->len = (int64_t)n; so->nchars = (int64_t)n;
    memcpy(so->data, h, n + 1);
    return s;
}
Value vm_int_from_u64(Thread *th, uint64_t u) {
    char b[40]; snprintf(b, sizeof b, "%" PRIx64, u); return mkbig(b);
}
Value vm_int_from_str(Thread *th, const char *s, size_t len, int base) {
    char *b = strndup(s, len); Value v = mkbig(b); free(b); return v;
}
Value vm_float_new(Thread *th, double d) {
    Value v = mk(T_FLOAT, sizeof(FloatObj)); ((FloatObj *)stm_payload(v))->v = d; return v;
}
Value vm_tuple_new(Thread *th, int64_t n) {
    Value v = mk(T_TUPLE, sizeof(TupleObj) + (size_t)n * sizeof(Value));
    ((TupleObj *)stm_payload(v))->n = n; return v;
}
int vm_index(Thread *th, Value v, int64_t *out) { *out = SMALL_VAL(v); return 0; }
int vm_int_to_i64(Thread *th, Value v, int64_t *out) { *out = SMALL_VAL(v); return 0; }
Value vm_make_module(Thread *th, const char *name, const vm_method *functions) {
    MODFUNCS = functions; return NULL;
}
static Value call(const char *name, Value *args, int nargs) {
    for (const vm_method *m = MODFUNCS; m->name; m++)
        if (!strcmp(m->name, name)) {
            Value r = m->fn(&TH, args, nargs, NULL);
            if (!r) printf("raised %s\n", lasterr);
            return r;
        }
    abort();
}
static void show(Value v) {
    if (v == NULL) printf("NULL\n");
    else if (IS_SMALL(v)) printf("%" PRId64 "\n", SMALL_VAL(v));
    else if (v->tid == T_INT) printf("0x%s\n", ((MockBig *)stm_payload(v))->hex);
    else if (v->tid == T_FLOAT) printf("%.17g\n", ((FloatObj *)stm_payload(v))->v);
    else if (v->tid == T_TUPLE) {
        TupleObj *t = stm_payload(v);
        for (int64_t i = 0; i < t->n; i++) printf("%" PRId64 " ", SMALL_VAL(t->items[i]));
        printf("\n");
    } else if (v == vm.None) printf("None\n");
}

int main(int argc, char **argv) {
    T.tag = 0x1000;
    TH.t = &T;
    vm.None = mk(T_NONE, sizeof(ObjHead)); vm.True = mk(T_BOOL, 8); vm.False = mk(T_BOOL, 8);
    mod_random_init(&TH);
    /* seeds: argv[i] is a decimal small int or h<hex> / h-<hex> for a big int */
    static const int ks[] = {0, 1, 7, 31, 32, 33, 63, 64, 65, 100, 1000};
    for (int i = 1; i < argc; i++) {
        Value st = call("new", NULL, 0);
        Value seed = argv[i][0] == 'h' ? mkbig(argv[i] + 1) : MK_SMALL(strtoll(argv[i], NULL, 10));
        Value a[2] = {st, seed};
        call("seed", a, 2);
        printf("seed %s\n", argv[i]);
        for (int j = 0; j < 5; j++) show(call("random", &st, 1));
        for (size_t j = 0; j < sizeof ks / sizeof ks[0]; j++) {
            Value b[2] = {st, MK_SMALL(ks[j])};
            show(call("getrandbits", b, 2));
        }
        for (int j = 0; j < 700; j++) call("random", &st, 1);
        Value gs = call("getstate", &st, 1);
        show(gs);
        Value st2 = call("new", NULL, 0);
        Value c[2] = {st2, gs};
        show(call("setstate", c, 2));
        show(call("random", &st2, 1));
    }
    Value st = call("new", NULL, 0);
    Value a[2] = {st, vm.None};
    call("seed", a, 2);
    Value b[2] = {st, MK_SMALL(-1)};
    show(call("getrandbits", b, 2));
    Value bad[2] = {vm.None, MK_SMALL(3)};
    show(call("random", bad, 1));
    return 0;
}
const void *_stm_read_slow(stm_thread *t, stm_obj *o) { abort(); }
void *_stm_write_slow(stm_thread *t, stm_obj *o) { abort(); }
void _stm_grow_roots(stm_thread *t) { abort(); }
