/* mod_random.c — module `_random`: the Mersenne Twister core behind lib/random.py.
 *
 * A port of CPython 3.11's Modules/_randommodule.c (MT19937 by Matsumoto and Nishimura), so that
 * lib/random.py reproduces CPython's sequences bit for bit.  Class-free: the generator state is
 * an opaque T_BLOB object (no references) that lib/random.py keeps in each Random instance.
 *
 *   new()                   -> state, unseeded (index = N+1, like CPython before seeding)
 *   seed(state, n)          n: int (abs(n) is used, CPython's random_seed / init_by_array on the
 *                           32-bit chunks of abs(n)), or None (getrandom(), else clock and pid)
 *   random(state)           -> float in [0, 1) (genrand_res53)
 *   getrandbits(state, k)   -> int of k random bits (CPython's word order)
 *   getstate(state)         -> tuple of 625 ints (624 words + index: CPython's layout)
 *   setstate(state, tuple)
 *
 * lib/random.py converts the other seed types (float, str, bytes) to int before calling seed().
 * tests/lib/_random_py.py is a line-by-line Python version of this file, checked against CPython.
 */
#include "vm.h"
#include "opcodes.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define MT_N 624
#define MT_M 397
#define MATRIX_A 0x9908b0dfU
#define UPPER_MASK 0x80000000U
#define LOWER_MASK 0x7fffffffU
#define RAND_MAGIC 0x4d543139U   /* "MT19" */

/* T_BLOB payload, laid out as vm.c's BlobObj {ObjHead h; int64_t size;} followed by `size`
   bytes: `len` is that size (the bytes after the `len` field). */
typedef struct RandState {
    ObjHead h;
    int64_t len;
    uint32_t magic;
    int32_t index;             /* next word of mt to use; >= MT_N: regenerate */
    uint32_t mt[MT_N];
} RandState;

#define RAND_LEN ((int64_t)(sizeof(RandState) - offsetof(RandState, magic)))

/* ------------------------------------------------------------------------------------------ */
/* The generator (pure C on a RandState payload)                                              */

static uint32_t genrand_uint32(RandState *self) {
    static const uint32_t mag01[2] = {0x0U, MATRIX_A};
    uint32_t y;
    uint32_t *mt = self->mt;
    if (self->index >= MT_N) {
        int kk;
        for (kk = 0; kk < MT_N - MT_M; kk++) {
            y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
            mt[kk] = mt[kk + MT_M] ^ (y >> 1) ^ mag01[y & 0x1U];
        }
        for (; kk < MT_N - 1; kk++) {
            y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
            mt[kk] = mt[kk + (MT_M - MT_N)] ^ (y >> 1) ^ mag01[y & 0x1U];
        }
        y = (mt[MT_N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
        mt[MT_N - 1] = mt[MT_M - 1] ^ (y >> 1) ^ mag01[y & 0x1U];
        self->index = 0;
    }
    y = mt[self->index++];
    y ^= (y >> 11);
    y ^= (y << 7) & 0x9d2c5680U;
    y ^= (y << 15) & 0xefc60000U;
    y ^= (y >> 18);
    return y;
}

static void init_genrand(RandState *self, uint32_t s) {
    uint32_t *mt = self->mt;
    mt[0] = s;
    for (int i = 1; i < MT_N; i++) mt[i] = (1812433253U * (mt[i - 1] ^ (mt[i - 1] >> 30)) + (uint32_t)i);
    self->index = MT_N;
}

static void init_by_array(RandState *self, const uint32_t *key, size_t key_length) {
    uint32_t *mt = self->mt;
    size_t i = 1, j = 0, k;
    init_genrand(self, 19650218U);
    k = (MT_N > key_length ? MT_N : key_length);
    for (; k; k--) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525U)) + key[j] + (uint32_t)j;
        i++;
        j++;
        if (i >= MT_N) { mt[0] = mt[MT_N - 1]; i = 1; }
        if (j >= key_length) j = 0;
    }
    for (k = MT_N - 1; k; k--) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941U)) - (uint32_t)i;
        i++;
        if (i >= MT_N) { mt[0] = mt[MT_N - 1]; i = 1; }
    }
    mt[0] = 0x80000000U;
}

static double genrand_res53(RandState *self) {
    uint32_t a = genrand_uint32(self) >> 5, b = genrand_uint32(self) >> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */

/* The state payload for writing, or NULL with TypeError.  Not a moving point. */
static RandState *state_w(Thread *th, Value v) {
    if (v == NULL || IS_SMALL(v) || vm_tid(v) != T_BLOB) goto bad;
    RandState *s = W(th, v, RandState);
    if (s->len != RAND_LEN || s->magic != RAND_MAGIC) goto bad;
    return s;
bad:
    vm_raise(th, vm.e_TypeError, "_random: expected a generator state from _random.new()");
    return NULL;
}

static const RandState *state_r(Thread *th, Value v) {
    if (v == NULL || IS_SMALL(v) || vm_tid(v) != T_BLOB) goto bad;
    const RandState *s = R(th, v, RandState);
    if (s->len != RAND_LEN || s->magic != RAND_MAGIC) goto bad;
    return s;
bad:
    vm_raise(th, vm.e_TypeError, "_random: expected a generator state from _random.new()");
    return NULL;
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* ------------------------------------------------------------------------------------------ */
/* Module functions                                                                            */

static Value r_new(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "new", nargs, kwnames, 0, 0) < 0) return NULL;
    Value v = vm_blob_new(th, (size_t)RAND_LEN);   /* {ObjHead, int64 size, size bytes} */
    if (v == NULL) return NULL;
    RandState *s = W(th, v, RandState);
    s->len = RAND_LEN;
    s->magic = RAND_MAGIC;
    s->index = MT_N + 1;
    return v;
}

static void seed_from_os(RandState *s) {
    static _Atomic uint32_t counter;
    uint32_t key[MT_N];
    ssize_t got = getrandom(key, sizeof key, GRND_NONBLOCK);
    if (got != (ssize_t)sizeof key) {
        /* CPython's fallback: time and pid (plus a counter so that two states differ) */
        struct timespec ts, mono;
        clock_gettime(CLOCK_REALTIME, &ts);
        clock_gettime(CLOCK_MONOTONIC, &mono);
        uint32_t k2[6] = {(uint32_t)ts.tv_sec, (uint32_t)ts.tv_nsec, (uint32_t)getpid(),
                          (uint32_t)mono.tv_nsec, (uint32_t)(uintptr_t)s,
                          atomic_fetch_add(&counter, 1)};
        init_by_array(s, k2, 6);
        return;
    }
    init_by_array(s, key, MT_N);
}

static Value r_seed(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "seed", nargs, kwnames, 1, 2) < 0) return NULL;
    Value n = nargs > 1 ? args[1] : vm.None;
    if (n == vm.None) {
        RandState *s = state_w(th, args[0]);
        if (s == NULL) return NULL;
        seed_from_os(s);
        return vm.None;
    }
    if (n == vm.True || n == vm.False) n = MK_SMALL(n == vm.True);
    if (!vm_is_int(n))
        return vm_raise(th, vm.e_TypeError, "_random.seed: expected an int or None, got %s",
                        vm_type_name(th, n));
    if (state_r(th, args[0]) == NULL) return NULL;
    if (IS_SMALL(n)) {
        int64_t i = SMALL_VAL(n);
        uint64_t u = i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;
        uint32_t key[2] = {(uint32_t)u, (uint32_t)(u >> 32)};
        RandState *s = state_w(th, args[0]);
        if (s == NULL) return NULL;
        init_by_array(s, key, key[1] ? 2 : 1);
        return vm.None;
    }
    /* A big int: its hex digits give the 32-bit chunks of abs(n), least significant first. */
    Value hex = vm_int_to_base(th, n, 16, false);
    if (hex == NULL) return NULL;
    const StrObj *hs = STR(th, hex);
    size_t words = (size_t)hs->len / 8 + 1;
    uint32_t *key = calloc(words, sizeof(uint32_t));
    if (key == NULL) return vm_no_memory(th);
    size_t digit = 0;    /* non-hex characters ('-', 'x' of a prefix) are skipped */
    for (int64_t i = hs->len - 1; i >= 0; i--) {
        int d = hexval(hs->data[i]);
        if (d < 0) continue;
        key[digit / 8] |= (uint32_t)d << (4 * (digit % 8));
        digit++;
    }
    /* CPython: keyused = (bits - 1) / 32 + 1 (no leading zero words) */
    while (words > 1 && key[words - 1] == 0) words--;
    RandState *s = state_w(th, args[0]);
    if (s == NULL) { free(key); return NULL; }
    init_by_array(s, key, words);
    free(key);
    return vm.None;
}

static Value r_random(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "random", nargs, kwnames, 1, 1) < 0) return NULL;
    RandState *s = state_w(th, args[0]);
    if (s == NULL) return NULL;
    return vm_float_new(th, genrand_res53(s));
}

static Value r_getrandbits(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "getrandbits", nargs, kwnames, 2, 2) < 0) return NULL;
    int64_t k;
    if (vm_index(th, args[1], &k) < 0) return NULL;
    if (k < 0) return vm_raise(th, vm.e_ValueError, "number of bits must be non-negative");
    RandState *s = state_w(th, args[0]);
    if (s == NULL) return NULL;
    if (k == 0) return MK_SMALL(0);
    if (k <= 32) return MK_SMALL(genrand_uint32(s) >> (32 - k));
    if (k <= 64) {
        uint64_t lo = genrand_uint32(s);
        uint64_t hi = genrand_uint32(s);
        if (k < 64) hi >>= (64 - k);
        return vm_int_from_u64(th, lo | (hi << 32));
    }
    /* Words least significant first, as CPython; printed most significant first in hex. */
    int64_t words = (k - 1) / 32 + 1;
    uint32_t *w = malloc((size_t)words * sizeof(uint32_t));
    char *buf = malloc((size_t)words * 8 + 1);
    if (w == NULL || buf == NULL) { free(w); free(buf); return vm_no_memory(th); }
    for (int64_t i = 0; i < words; i++, k -= 32) {
        uint32_t r = genrand_uint32(s);
        if (k < 32) r >>= (32 - k);
        w[i] = r;
    }
    for (int64_t i = 0; i < words; i++) snprintf(buf + i * 8, 9, "%08x", (unsigned)w[words - 1 - i]);
    free(w);
    Value v = vm_int_from_str(th, buf, (size_t)words * 8, 16);
    free(buf);
    return v;
}

static Value r_getstate(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "getstate", nargs, kwnames, 1, 1) < 0) return NULL;
    if (state_r(th, args[0]) == NULL) return NULL;
    Value t = vm_tuple_new(th, MT_N + 1);
    if (t == NULL) return NULL;
    const RandState *s = state_r(th, args[0]);   /* re-fetched after the allocation */
    TupleObj *tp = W(th, t, TupleObj);
    for (int i = 0; i < MT_N; i++) tp->items[i] = MK_SMALL(s->mt[i]);
    tp->items[MT_N] = MK_SMALL(s->index);
    return t;
}

static Value r_setstate(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "setstate", nargs, kwnames, 2, 2) < 0) return NULL;
    if (state_r(th, args[0]) == NULL) return NULL;
    Value st = args[1];
    if (IS_SMALL(st) || vm_tid(st) != T_TUPLE)
        return vm_raise(th, vm.e_TypeError, "state vector must be a tuple");
    if (TUP(th, st)->n != MT_N + 1)
        return vm_raise(th, vm.e_ValueError, "state vector is the wrong size");
    uint32_t mt[MT_N];
    int64_t index = -1;
    for (int i = 0; i <= MT_N; i++) {
        Value w = TUP(th, st)->items[i];
        int64_t x;
        if (!vm_is_int(w) && w != vm.True && w != vm.False)
            return vm_raise(th, vm.e_TypeError, "state vector items must be integers");
        if (w == vm.True || w == vm.False) x = w == vm.True;
        else if (vm_int_to_i64(th, w, &x) < 0) return NULL;
        if (i == MT_N) {
            index = x;
        } else {
            if (x < 0 || x > (int64_t)UINT32_MAX)
                return vm_raise(th, vm.e_OverflowError, "state vector item out of range");
            mt[i] = (uint32_t)x;
        }
    }
    if (index < 0 || index > MT_N) return vm_raise(th, vm.e_ValueError, "invalid state");
    RandState *s = state_w(th, args[0]);
    if (s == NULL) return NULL;
    memcpy(s->mt, mt, sizeof mt);
    s->index = (int32_t)index;
    return vm.None;
}

static const vm_method random_functions[] = {
    {"new", r_new, 0},
    {"seed", r_seed, 0},
    {"random", r_random, 0},
    {"getrandbits", r_getrandbits, 0},
    {"getstate", r_getstate, 0},
    {"setstate", r_setstate, 0},
    {NULL, NULL, 0},
};

void mod_random_init(Thread *th) {
    vm_make_module(th, "_random", random_functions);
}
