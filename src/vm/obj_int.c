/* obj_int.c — int: tagged small ints and arbitrary-precision T_INT objects (sign + GMP limbs).
 *
 * Representation.  A value that fits in 62 bits is a tagged small int (vm.h).  Anything bigger is
 * a T_INT object (STM_IMMUTABLE): IntObj below, `size` = sign * number of limbs, limbs least
 * significant first, top limb nonzero.  Every result is normalized back to a small int when it
 * fits, so a plain T_INT object always holds a big value; instances of int subclasses are T_INT
 * objects too (head.cls = the subclass), and they may hold any value, small ones included.
 *
 * Arithmetic runs on GMP's mpn layer (mpn_* only).  Operands are read through an IV ("int view":
 * sign, limb pointer, count) that points into the immutable payload, or into the IV itself for
 * small ints and bools; IVs must not be copied.  A payload pointer stays valid until the next
 * moving point, so every operation computes into a C buffer (stack or malloc) first and only then
 * allocates the result (mk_int copies the limbs into the new object).
 *
 * bool counts as int everywhere here (True + True == 2); vm_int_binop returns a bool for & | ^
 * of two bools, as CPython's bool type does.
 */
#include "vm.h"
#include "opcodes.h"
#include <gmp.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Not (yet) in vm.h. */
Value vm_int_powmod(Thread *th, Value a, Value b, Value m);
Value vm_int_new(Thread *th, Value cls, Value *args, int nargs, Value kwnames);
/* Helpers shared with obj_float.c and mod_math.c (declared there as well). */
char *vm__int_cdigits(Thread *th, Value v, int base, bool *neg, size_t *len);
int vm__int_cmp_double(Thread *th, Value i, double d);
double vm__int_frexp(Thread *th, Value v, int64_t *e);
int vm__int_sign(Thread *th, Value v);
Value vm__int_exact(Thread *th, Value v);
Value vm__int_gcd(Thread *th, Value a, Value b);
Value vm__int_isqrt(Thread *th, Value v);
Value vm__int_factorial(Thread *th, uint64_t n);
Value vm__int_round(Thread *th, Value v, Value ndigits);
Value vm__numfmt(Thread *th, Value v, Value spec, bool is_int);     /* obj_float.c */

_Static_assert(GMP_NUMB_BITS == 64 && GMP_NAIL_BITS == 0, "stmvm assumes 64-bit GMP limbs");

typedef struct IntObj {
    ObjHead h;
    int64_t size;              /* sign * number of limbs */
    mp_limb_t d[];
} IntObj;

#define NOT_DONE ((Value)(uintptr_t)4)   /* small fast path gave up: take the big path */
#define MAX_STR_DIGITS 4300
#define MAX_BITS ((uint64_t)1 << 34)   /* bigger results raise MemoryError (2 GiB of limbs) */
#define LIMB_BYTES ((mp_size_t)sizeof(mp_limb_t))

static Value raisef(Thread *th, Value type, const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return vm_raise(th, type, "%s", buf);
}

/* (a, b) — both rooted across the allocation. */
static Value pair(Thread *th, Value a, Value b) {
    Value *pa = ROOT(th, a), *pb = ROOT(th, b);
    Value t = vm_tuple_new(th, 2);
    if (t) {
        TupleObj *o = W(th, t, TupleObj);
        o->items[0] = *pa;
        o->items[1] = *pb;
    }
    UNROOT(th, 2);
    return t;
}

static Value type_error_name(Thread *th, const char *fmt, Value v) {
    char name[128];
    snprintf(name, sizeof name, "%s", vm_type_name(th, v));
    return raisef(th, vm.e_TypeError, fmt, name);
}

/* ------------------------------------------------------------------------------------------ */
/* Views and results                                                                           */

typedef struct IV {
    int sign;                  /* -1, 0, 1 */
    mp_size_t n;               /* limbs (0 for zero) */
    const mp_limb_t *d;
    mp_limb_t one;             /* storage for small ints */
} IV;

static inline bool is_big(Value v) { return !IS_SMALL(v) && v->tid == T_INT; }
static inline bool is_bool(Value v) { return !IS_SMALL(v) && v->tid == T_BOOL; }
static inline bool is_intlike(Value v) { return IS_SMALL(v) || v->tid == T_INT || v->tid == T_BOOL; }

static void iv_i64(IV *x, int64_t i) {
    x->sign = i < 0 ? -1 : i > 0;
    x->one = i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;
    x->n = i != 0;
    x->d = &x->one;
}

/* Fill *x from an int/bool; false if v is neither. */
static bool iv_get(Thread *th, Value v, IV *x) {
    if (IS_SMALL(v)) { iv_i64(x, SMALL_VAL(v)); return true; }
    if (v->tid == T_BOOL) { iv_i64(x, v == vm.True); return true; }
    if (v->tid != T_INT) return false;
    const IntObj *o = R(th, v, IntObj);
    mp_size_t n = o->size < 0 ? -o->size : o->size;
    while (n > 0 && o->d[n - 1] == 0) n--;
    x->n = n;
    x->sign = n == 0 ? 0 : o->size < 0 ? -1 : 1;
    x->d = o->d;
    return true;
}

static inline mp_size_t norm(const mp_limb_t *d, mp_size_t n) {
    while (n > 0 && d[n - 1] == 0) n--;
    return n;
}

static inline uint64_t bitlen(const mp_limb_t *d, mp_size_t n) {
    if (n == 0) return 0;
    return (uint64_t)(n - 1) * 64 + (64 - (uint64_t)__builtin_clzll(d[n - 1]));
}

static inline int magcmp(const mp_limb_t *a, mp_size_t an, const mp_limb_t *b, mp_size_t bn) {
    if (an != bn) return an < bn ? -1 : 1;
    return an == 0 ? 0 : mpn_cmp(a, b, an);
}

static int iv_cmp(const IV *x, const IV *y) {
    if (x->sign != y->sign) return x->sign < y->sign ? -1 : 1;
    int c = magcmp(x->d, x->n, y->d, y->n);
    return x->sign < 0 ? -c : c;
}

/* A T_INT object of class cls holding sign * {d, n}.  d must not point into the GC heap. */
static Value alloc_big(Thread *th, Value cls, int sign, const mp_limb_t *d, mp_size_t n) {
    Value r = vm_alloc(th, T_INT, sizeof(IntObj) + (size_t)n * sizeof(mp_limb_t), STM_IMMUTABLE, cls);
    if (!r) return NULL;
    IntObj *o = W(th, r, IntObj);
    o->size = sign < 0 ? -(int64_t)n : (int64_t)n;
    if (n) memcpy(o->d, d, (size_t)n * sizeof(mp_limb_t));
    return r;
}

/* The int sign * {d, n}, normalized (small when it fits).  d must not point into the GC heap. */
static Value mk_int(Thread *th, int sign, const mp_limb_t *d, mp_size_t n) {
    n = norm(d, n);
    if (n == 0) return MK_SMALL(0);
    if (n == 1) {
        if (sign >= 0 && d[0] <= (uint64_t)SMALL_MAX) return MK_SMALL((int64_t)d[0]);
        if (sign < 0 && d[0] <= (uint64_t)SMALL_MAX + 1) return MK_SMALL(-(int64_t)d[0]);
    }
    return alloc_big(th, vm.t_int, sign, d, n);
}

/* Temporary limb buffers: on the stack when small. */
#define TB_LOCAL 16
typedef struct TB { mp_limb_t *p; mp_limb_t local[TB_LOCAL]; } TB;

static mp_limb_t *tb_alloc(TB *t, mp_size_t n) {
    if (n < 1) n = 1;
    t->p = n <= TB_LOCAL ? t->local : malloc((size_t)n * sizeof(mp_limb_t));
    return t->p;
}
static void tb_free(TB *t) {
    if (t->p && t->p != t->local) free(t->p);
    t->p = NULL;
}

/* Copy of an IV's limbs (so that the result can be built after an allocation). */
static Value mk_from_iv_copy(Thread *th, Value cls, const IV *x) {
    TB t;
    mp_limb_t *d = tb_alloc(&t, x->n);
    if (!d) return vm_no_memory(th);
    if (x->n) memcpy(d, x->d, (size_t)x->n * sizeof(mp_limb_t));
    Value r = cls == vm.t_int ? mk_int(th, x->sign, d, x->n) : alloc_big(th, cls, x->sign, d, x->n);
    tb_free(&t);
    return r;
}

/* ------------------------------------------------------------------------------------------ */
/* Conversions                                                                                 */

Value vm_int_from_i64(Thread *th, int64_t i) {
    if (FITS_SMALL(i)) return MK_SMALL(i);
    IV x;
    iv_i64(&x, i);
    return alloc_big(th, vm.t_int, x.sign, &x.one, 1);
}

Value vm_int_from_u64(Thread *th, uint64_t u) {
    if (u <= (uint64_t)SMALL_MAX) return MK_SMALL((int64_t)u);
    mp_limb_t l = u;
    return alloc_big(th, vm.t_int, 1, &l, 1);
}

bool vm_is_int(Value v) { return IS_SMALL(v) || v->tid == T_INT; }

int vm__int_sign(Thread *th, Value v) {
    IV x;
    if (!iv_get(th, v, &x)) return 0;
    return x.sign;
}

/* v as an exact int (not a subclass, not a bool). */
Value vm__int_exact(Thread *th, Value v) {
    if (IS_SMALL(v)) return v;
    if (v->tid == T_BOOL) return MK_SMALL(v == vm.True);
    if (v->tid == T_INT && R(th, v, IntObj)->h.cls == vm.t_int) return v;
    IV x;
    if (!iv_get(th, v, &x)) return type_error_name(th, "'%s' object cannot be interpreted as an integer", v);
    return mk_from_iv_copy(th, vm.t_int, &x);
}

int vm_int_to_i64(Thread *th, Value v, int64_t *out) {
    if (IS_SMALL(v)) { *out = SMALL_VAL(v); return 0; }
    IV x;
    if (!iv_get(th, v, &x)) { type_error_name(th, "'%s' object cannot be interpreted as an integer", v); return -1; }
    if (x.n == 0) { *out = 0; return 0; }
    if (x.n == 1) {
        if (x.sign > 0 && x.d[0] <= (uint64_t)INT64_MAX) { *out = (int64_t)x.d[0]; return 0; }
        if (x.sign < 0 && x.d[0] <= (uint64_t)INT64_MAX + 1) { *out = (int64_t)(0 - x.d[0]); return 0; }
    }
    raisef(th, vm.e_OverflowError, "Python int too large to convert to C long");
    return -1;
}

/* 64 bits of {d, n} starting at bit pos; *sticky |= any bit below pos. */
static uint64_t bits_at(const mp_limb_t *d, mp_size_t n, uint64_t pos, bool *sticky) {
    mp_size_t i = (mp_size_t)(pos / 64);
    unsigned b = (unsigned)(pos % 64);
    uint64_t r = i < n ? d[i] >> b : 0;
    if (b && i + 1 < n) r |= d[i + 1] << (64 - b);
    bool s = b && i < n && (d[i] & (((uint64_t)1 << b) - 1));
    for (mp_size_t k = 0; !s && k < i && k < n; k++) s = d[k] != 0;
    *sticky |= s;
    return r;
}

/* |x| as a correctly rounded double times 2***e, with the mantissa in [2**63, 2**64) (0 if zero):
   the top 64 bits with the lower ones folded into a sticky bit. */
static double mag_top(const IV *x, int64_t *e) {
    uint64_t L = bitlen(x->d, x->n);
    if (L <= 64) { *e = 0; return (double)(x->n ? x->d[0] : 0); }
    bool sticky = false;
    uint64_t top = bits_at(x->d, x->n, L - 64, &sticky);
    *e = (int64_t)(L - 64);
    return (double)(top | (uint64_t)sticky);
}

double vm_int_to_double(Thread *th, Value v, bool *overflow) {
    *overflow = false;
    if (IS_SMALL(v)) return (double)SMALL_VAL(v);
    IV x;
    if (!iv_get(th, v, &x)) return 0.0;
    int64_t e;
    double m = mag_top(&x, &e);
    double r = e > 2000 ? HUGE_VAL : ldexp(m, (int)e);
    if (isinf(r)) *overflow = true;
    return x.sign < 0 ? -r : r;
}

/* v = m * 2**e with 0.5 <= |m| < 1 (m = 0 for zero); no overflow. */
double vm__int_frexp(Thread *th, Value v, int64_t *e) {
    IV x;
    if (!iv_get(th, v, &x) || x.n == 0) { *e = 0; return 0.0; }
    int64_t e1;
    int e2;
    double m = frexp(mag_top(&x, &e1), &e2);   /* rounding may carry to the next power of 2: fine */
    *e = e1 + e2;
    return x.sign < 0 ? -m : m;
}

Value vm_int_from_double(Thread *th, double d) {
    if (isnan(d)) return raisef(th, vm.e_ValueError, "cannot convert float NaN to integer");
    if (isinf(d)) return raisef(th, vm.e_OverflowError, "cannot convert float infinity to integer");
    d = trunc(d);
    if (fabs(d) < 9.2e18) return vm_int_from_i64(th, (int64_t)d);
    int e;
    double m = frexp(fabs(d), &e);
    uint64_t mant = (uint64_t)ldexp(m, 53);
    int shift = e - 53;       /* > 0 here */
    mp_limb_t buf[20] = {0};
    mp_size_t n = shift / 64 + 2;
    buf[shift / 64] = mant << (shift % 64);
    if (shift % 64) buf[shift / 64 + 1] = mant >> (64 - shift % 64);
    return mk_int(th, d < 0 ? -1 : 1, buf, n);
}

/* View of trunc(d) (finite) in caller storage of 18 limbs. */
static void iv_from_double(IV *x, double d, mp_limb_t *buf) {
    d = trunc(d);
    x->sign = d < 0 ? -1 : d > 0;
    x->d = buf;
    if (fabs(d) < 1.8e19) { buf[0] = (uint64_t)fabs(d); x->n = buf[0] != 0; return; }
    int e;
    double m = frexp(fabs(d), &e);
    uint64_t mant = (uint64_t)ldexp(m, 53);
    int shift = e - 53;
    memset(buf, 0, 18 * sizeof(mp_limb_t));
    buf[shift / 64] = mant << (shift % 64);
    if (shift % 64) buf[shift / 64 + 1] = mant >> (64 - shift % 64);
    x->n = norm(buf, shift / 64 + 2);
}

/* Exact comparison of an int with a double (not NaN): -1, 0, 1. */
int vm__int_cmp_double(Thread *th, Value i, double d) {
    if (isinf(d)) return d > 0 ? -1 : 1;
    if (IS_SMALL(i)) {
        int64_t v = SMALL_VAL(i);
        if (v >= -(1LL << 53) && v <= (1LL << 53)) { double a = (double)v; return a < d ? -1 : a > d; }
    }
    IV x, y;
    mp_limb_t buf[18];
    if (!iv_get(th, i, &x)) return 0;
    iv_from_double(&y, d, buf);
    int c = iv_cmp(&x, &y);
    if (c) return c;
    double frac = d - trunc(d);
    return frac > 0 ? -1 : frac < 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Strings                                                                                     */

static int digit_value(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 99;
}

static bool is_space(unsigned char c) { return c == ' ' || (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x1f); }

/* ValueError "<prefix><repr(orig)>" with the repr cut at 200 characters (CPython's %.200R). */
static Value raise_with_repr(Thread *th, Value type, const char *prefix, Value orig) {
    Value r = vm_repr(th, orig);
    if (!r) return NULL;
    const StrObj *s = STR(th, r);
    size_t cut = 0;
    int64_t chars = 0;
    while (cut < (size_t)s->len && chars < 200) {
        cut++;
        while (cut < (size_t)s->len && ((unsigned char)s->data[cut] & 0xC0) == 0x80) cut++;
        chars++;
    }
    size_t pl = strlen(prefix);
    char *msg = malloc(pl + cut + 1);
    if (!msg) return vm_no_memory(th);
    memcpy(msg, prefix, pl);
    memcpy(msg + pl, s->data, cut);
    msg[pl + cut] = 0;
    vm_raise(th, type, "%s", msg);
    free(msg);
    return NULL;
}

static Value limit_error(Thread *th, size_t digits) {
    if (digits)
        return raisef(th, vm.e_ValueError, "Exceeds the limit (%d digits) for integer string conversion: "
                      "value has %zu digits; use sys.set_int_max_str_digits() to increase the limit",
                      MAX_STR_DIGITS, digits);
    return raisef(th, vm.e_ValueError, "Exceeds the limit (%d digits) for integer string conversion; "
                  "use sys.set_int_max_str_digits() to increase the limit", MAX_STR_DIGITS);
}

/* Digit values of an int literal per int()'s grammar; *sign, *base set.  0 ok, -1 bad literal. */
static int scan_literal(const char *s, size_t len, int *base, int *sign, unsigned char *dig, size_t *nd) {
    const char *p = s, *end = s + len;
    while (p < end && is_space((unsigned char)*p)) p++;
    while (end > p && is_space((unsigned char)end[-1])) end--;
    *sign = 1;
    if (p < end && (*p == '+' || *p == '-')) *sign = *p++ == '-' ? -1 : 1;
    int b = *base;
    if (end - p >= 2 && p[0] == '0') {
        char c = (char)(p[1] | 0x20);
        if ((c == 'x' && (b == 0 || b == 16)) || (c == 'o' && (b == 0 || b == 8)) ||
            (c == 'b' && (b == 0 || b == 2))) {
            b = c == 'x' ? 16 : c == 'o' ? 8 : 2;
            p += 2;
            if (p < end && *p == '_') p++;
        }
    }
    bool leading_zero_rule = b == 0;
    if (b == 0) b = 10;
    *base = b;
    size_t n = 0;
    bool prev_us = false;
    for (; p < end; p++) {
        if (*p == '_') {
            if (prev_us || n == 0) return -1;
            prev_us = true;
            continue;
        }
        int v = digit_value((unsigned char)*p);
        if (v >= b) return -1;
        dig[n++] = (unsigned char)v;
        prev_us = false;
    }
    if (n == 0 || prev_us) return -1;
    if (leading_zero_rule && dig[0] == 0)
        for (size_t i = 1; i < n; i++)
            if (dig[i]) return -1;
    *nd = n;
    return 0;
}

/* Digit values (most significant first) to an int. */
static Value from_digits(Thread *th, int sign, const unsigned char *dig, size_t n, int base) {
    while (n > 1 && dig[0] == 0) { dig++; n--; }
    if (n <= 18 && base <= 10) {
        int64_t v = 0;
        for (size_t i = 0; i < n; i++) v = v * base + dig[i];
        return vm_int_from_i64(th, sign * v);
    }
    if (dig[0] == 0) return MK_SMALL(0);
    mp_size_t cap = (mp_size_t)(n * 6 / 64 + 2);
    TB t;
    mp_limb_t *d = tb_alloc(&t, cap);
    if (!d) return vm_no_memory(th);
    mp_size_t rn = mpn_set_str(d, dig, n, base);
    Value r = mk_int(th, sign, d, rn);
    tb_free(&t);
    return r;
}

/* int(s, base); orig (str/bytes) is what the error message shows, or NULL: a str made from s. */
static Value int_parse(Thread *th, const char *s, size_t len, int base, Value orig) {
    unsigned char *dig = malloc(len + 1);
    if (!dig) return vm_no_memory(th);
    int b = base, sign;
    size_t nd = 0;
    int rc = scan_literal(s, len, &b, &sign, dig, &nd);
    Value r;
    if (rc == 0 && (b & (b - 1)) != 0 && nd > MAX_STR_DIGITS) r = limit_error(th, nd);
    else if (rc == 0) r = from_digits(th, sign, dig, nd, b);
    else {
        char prefix[64];
        snprintf(prefix, sizeof prefix, "invalid literal for int() with base %d: ", base);
        if (!orig) {
            memcpy(dig, s, len);   /* s may live in the GC heap: copy before allocating */
            orig = vm_str_new(th, (const char *)dig, len);
        }
        r = orig ? raise_with_repr(th, vm.e_ValueError, prefix, orig) : NULL;
    }
    free(dig);
    return r;
}

Value vm_int_from_str(Thread *th, const char *s, size_t len, int base) {
    return int_parse(th, s, len, base, NULL);
}

/* Digits of |v| in base 2..36 (lowercase, no prefix): a malloc'd NUL-terminated string; NULL with
   an exception (base 10 above the 4300-digit limit, out of memory). */
char *vm__int_cdigits(Thread *th, Value v, int base, bool *neg, size_t *len) {
    static const char DIG[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    IV x;
    if (!iv_get(th, v, &x)) { type_error_name(th, "'%s' object cannot be interpreted as an integer", v); return NULL; }
    *neg = x.sign < 0;
    if (x.n <= 1) {
        char tmp[72], *p = tmp + sizeof tmp;
        uint64_t u = x.n ? x.d[0] : 0;
        *--p = 0;
        do { *--p = DIG[u % (unsigned)base]; u /= (unsigned)base; } while (u);
        *len = (size_t)(tmp + sizeof tmp - 1 - p);
        char *r = malloc(*len + 1);
        if (!r) { vm_no_memory(th); return NULL; }
        memcpy(r, p, *len + 1);
        return r;
    }
    if (base == 10 && bitlen(x.d, x.n) >= 14288) { limit_error(th, 0); return NULL; }
    size_t cap = (size_t)x.n * 64 + 2;
    unsigned char *s = malloc(cap);
    mp_limb_t *tmp = malloc(((size_t)x.n + 1) * sizeof(mp_limb_t));
    if (!s || !tmp) { free(s); free(tmp); vm_no_memory(th); return NULL; }
    memcpy(tmp, x.d, (size_t)x.n * sizeof(mp_limb_t));
    size_t n = mpn_get_str(s, base, tmp, x.n);
    free(tmp);
    size_t i = 0;
    while (i + 1 < n && s[i] == 0) i++;
    n -= i;
    memmove(s, s + i, n);
    for (size_t k = 0; k < n; k++) s[k] = (unsigned char)DIG[s[k]];
    s[n] = 0;
    if (base == 10 && n > MAX_STR_DIGITS) { free(s); limit_error(th, 0); return NULL; }
    *len = n;
    return (char *)s;
}

Value vm_int_repr(Thread *th, Value v) {
    if (IS_SMALL(v)) {
        char buf[32];
        int n = snprintf(buf, sizeof buf, "%lld", (long long)SMALL_VAL(v));
        return vm_str_new(th, buf, (size_t)n);
    }
    return vm_int_to_base(th, v, 10, false);
}

Value vm_int_to_base(Thread *th, Value v, int base, bool prefix) {
    bool neg;
    size_t n;
    char *s = vm__int_cdigits(th, v, base, &neg, &n);
    if (!s) return NULL;
    const char *pre = !prefix ? "" : base == 16 ? "0x" : base == 8 ? "0o" : base == 2 ? "0b" : "";
    size_t pl = strlen(pre) + neg;
    char *buf = malloc(n + pl + 1);
    if (!buf) { free(s); return vm_no_memory(th); }
    if (neg) buf[0] = '-';
    memcpy(buf + neg, pre, pl - neg);
    memcpy(buf + pl, s, n);
    Value r = vm_str_new(th, buf, n + pl);
    free(s);
    free(buf);
    return r;
}

int64_t vm_int_hash(Thread *th, Value v) {
    const uint64_t M = ((uint64_t)1 << 61) - 1;
    IV x;
    if (!iv_get(th, v, &x)) return 0;
    uint64_t h = 0;
    for (mp_size_t i = x.n - 1; i >= 0; i--) {
        unsigned __int128 t = ((unsigned __int128)h << 64) | x.d[i];
        h = (uint64_t)(t % M);
    }
    int64_t r = x.sign < 0 ? -(int64_t)h : (int64_t)h;
    return r == -1 ? -2 : r;
}

Value vm_int_format(Thread *th, Value v, Value spec) {
    if (STR(th, spec)->len == 0) {
        if (IS_SMALL(v) || (is_big(v) && R(th, v, IntObj)->h.cls == vm.t_int)) return vm_int_repr(th, v);
        return vm_str(th, v);
    }
    return vm__numfmt(th, v, spec, true);
}

/* ------------------------------------------------------------------------------------------ */
/* Arithmetic on magnitudes                                                                    */

/* r = x + y (signed); r has room for max(xn, yn) + 1 limbs.  Returns the limb count, *rs the sign. */
static mp_size_t add_signed(mp_limb_t *r, int *rs, int xs, const mp_limb_t *xd, mp_size_t xn,
                            int ys, const mp_limb_t *yd, mp_size_t yn) {
    if (yn == 0) { *rs = xs; if (xn) memcpy(r, xd, (size_t)xn * sizeof *r); return xn; }
    if (xn == 0) { *rs = ys; memcpy(r, yd, (size_t)yn * sizeof *r); return yn; }
    if (xs == ys) {
        *rs = xs;
        if (xn < yn) {
            const mp_limb_t *td = xd; xd = yd; yd = td;
            mp_size_t tn = xn; xn = yn; yn = tn;
        }
        r[xn] = mpn_add(r, xd, xn, yd, yn);
        return norm(r, xn + 1);
    }
    int c = magcmp(xd, xn, yd, yn);
    if (c == 0) { *rs = 0; return 0; }
    if (c > 0) { *rs = xs; mpn_sub(r, xd, xn, yd, yn); return norm(r, xn); }
    *rs = ys;
    mpn_sub(r, yd, yn, xd, xn);
    return norm(r, yn);
}

static Value big_add(Thread *th, const IV *x, const IV *y, int ysign) {
    TB t;
    mp_limb_t *r = tb_alloc(&t, (x->n > y->n ? x->n : y->n) + 1);
    if (!r) return vm_no_memory(th);
    int s;
    mp_size_t n = add_signed(r, &s, x->sign, x->d, x->n, ysign, y->d, y->n);
    Value v = mk_int(th, s, r, n);
    tb_free(&t);
    return v;
}

static mp_size_t mul_mag(mp_limb_t *r, const mp_limb_t *xd, mp_size_t xn, const mp_limb_t *yd, mp_size_t yn) {
    if (xn == 0 || yn == 0) return 0;
    if (xd == yd && xn == yn) mpn_sqr(r, xd, xn);
    else if (xn >= yn) mpn_mul(r, xd, xn, yd, yn);
    else mpn_mul(r, yd, yn, xd, xn);
    return norm(r, xn + yn);
}

static Value big_mul(Thread *th, const IV *x, const IV *y) {
    if (x->n == 0 || y->n == 0) return MK_SMALL(0);
    TB t;
    mp_limb_t *r = tb_alloc(&t, x->n + y->n);
    if (!r) return vm_no_memory(th);
    mp_size_t n = mul_mag(r, x->d, x->n, y->d, y->n);
    Value v = mk_int(th, x->sign * y->sign, r, n);
    tb_free(&t);
    return v;
}

/* Floor division: q = floor(x / y), r = x - q*y (sign of y).  y != 0.  qd has room for
   max(xn - yn, 0) + 2 limbs, rd for yn limbs. */
static void divmod_mag(const IV *x, const IV *y, mp_limb_t *qd, mp_size_t *qn, int *qs,
                       mp_limb_t *rd, mp_size_t *rn, int *rs) {
    mp_size_t ql = 0, rl;
    if (x->n < y->n) {
        if (x->n) memcpy(rd, x->d, (size_t)x->n * sizeof *rd);
        rl = x->n;
    } else {
        mpn_tdiv_qr(qd, rd, 0, x->d, x->n, y->d, y->n);
        ql = norm(qd, x->n - y->n + 1);
        rl = norm(rd, y->n);
    }
    bool neg = x->sign * y->sign < 0;
    if (neg && rl > 0) {
        if (ql == 0) { qd[0] = 1; ql = 1; }
        else { mp_limb_t c = mpn_add_1(qd, qd, ql, 1); if (c) qd[ql++] = c; }
        mpn_sub(rd, y->d, y->n, rd, rl);
        rl = norm(rd, y->n);
        *rs = rl ? y->sign : 0;
    } else {
        *rs = rl ? x->sign : 0;
    }
    *qn = ql;
    *qs = ql ? (neg ? -1 : 1) : 0;
    *rn = rl;
}

/* which: 0 quotient, 1 remainder, 2 (quotient, remainder) tuple */
static Value big_divmod(Thread *th, const IV *x, const IV *y, int which) {
    if (y->n == 0)
        return raisef(th, vm.e_ZeroDivisionError, which == 1 ? "integer modulo by zero"
                                                              : "integer division or modulo by zero");
    mp_size_t qcap = (x->n > y->n ? x->n - y->n : 0) + 2;
    TB tq, tr;
    mp_limb_t *q = tb_alloc(&tq, qcap), *r = tb_alloc(&tr, y->n);
    if (!q || !r) { tb_free(&tq); tb_free(&tr); return vm_no_memory(th); }
    mp_size_t qn, rn;
    int qs, rs;
    divmod_mag(x, y, q, &qn, &qs, r, &rn, &rs);
    Value res;
    if (which == 0) res = mk_int(th, qs, q, qn);
    else if (which == 1) res = mk_int(th, rs, r, rn);
    else {
        Value qv = mk_int(th, qs, q, qn);
        Value *qp = qv ? ROOT(th, qv) : NULL;
        Value rv = qv ? mk_int(th, rs, r, rn) : NULL;
        res = rv ? pair(th, *qp, rv) : NULL;
        if (qp) UNROOT(th, 1);
    }
    tb_free(&tq);
    tb_free(&tr);
    return res;
}

static Value big_pow(Thread *th, const IV *x, uint64_t e) {
    if (e == 0) return MK_SMALL(1);
    if (x->n == 0) return MK_SMALL(0);
    int sign = (x->sign < 0 && (e & 1)) ? -1 : 1;
    if (x->n == 1 && x->d[0] == 1) return MK_SMALL(sign);
    uint64_t xb = bitlen(x->d, x->n);
    if (xb > MAX_BITS / e) return vm_no_memory(th);
    mp_size_t cap = (mp_size_t)(xb * e / 64 + 4 + x->n);
    mp_limb_t *r = malloc((size_t)cap * sizeof *r), *t = malloc((size_t)cap * sizeof *t);
    if (!r || !t) { free(r); free(t); return vm_no_memory(th); }
    memcpy(r, x->d, (size_t)x->n * sizeof *r);
    mp_size_t rn = x->n;
    for (int i = 62 - __builtin_clzll(e); i >= 0; i--) {
        mpn_sqr(t, r, rn);
        rn = norm(t, 2 * rn);
        mp_limb_t *s = r; r = t; t = s;
        if ((e >> i) & 1) {
            mpn_mul(t, r, rn, x->d, x->n);
            rn = norm(t, rn + x->n);
            s = r; r = t; t = s;
        }
    }
    Value v = mk_int(th, sign, r, rn);
    free(r);
    free(t);
    return v;
}

static Value big_lshift(Thread *th, const IV *x, uint64_t s) {
    if (x->n == 0) return MK_SMALL(0);
    if (s > MAX_BITS) return vm_no_memory(th);
    mp_size_t limbs = (mp_size_t)(s / 64), rn = x->n + limbs + 1;
    unsigned bits = (unsigned)(s % 64);
    TB t;
    mp_limb_t *r = tb_alloc(&t, rn);
    if (!r) return vm_no_memory(th);
    memset(r, 0, (size_t)limbs * sizeof *r);
    if (bits) r[rn - 1] = mpn_lshift(r + limbs, x->d, x->n, bits);
    else { memcpy(r + limbs, x->d, (size_t)x->n * sizeof *r); r[rn - 1] = 0; }
    Value v = mk_int(th, x->sign, r, rn);
    tb_free(&t);
    return v;
}

/* {d, n} >> s into r (room for n limbs); returns the limb count. */
static mp_size_t shr_mag(mp_limb_t *r, const mp_limb_t *d, mp_size_t n, uint64_t s) {
    mp_size_t limbs = (mp_size_t)(s / 64);
    if (limbs >= n) return 0;
    unsigned bits = (unsigned)(s % 64);
    mp_size_t rn = n - limbs;
    if (bits) mpn_rshift(r, d + limbs, rn, bits);
    else memcpy(r, d + limbs, (size_t)rn * sizeof *r);
    return norm(r, rn);
}

static Value big_rshift(Thread *th, const IV *x, uint64_t s) {
    if (x->n == 0) return MK_SMALL(0);
    TB t, u;
    mp_limb_t *r = tb_alloc(&t, x->n + 1);
    if (!r) return vm_no_memory(th);
    Value v;
    if (x->sign > 0) {
        v = mk_int(th, 1, r, shr_mag(r, x->d, x->n, s));
    } else {
        /* floor: -(((|x| - 1) >> s) + 1) */
        mp_limb_t *m = tb_alloc(&u, x->n);
        if (!m) { tb_free(&t); return vm_no_memory(th); }
        mpn_sub_1(m, x->d, x->n, 1);
        mp_size_t rn = shr_mag(r, m, norm(m, x->n), s);
        tb_free(&u);
        if (rn == 0) { r[0] = 1; rn = 1; }
        else { mp_limb_t c = mpn_add_1(r, r, rn, 1); r[rn] = c; rn++; }
        v = mk_int(th, -1, r, rn);
    }
    tb_free(&t);
    return v;
}

/* Two's complement of x in n limbs. */
static void to_twos(mp_limb_t *a, const IV *x, mp_size_t n) {
    memset(a, 0, (size_t)n * sizeof *a);
    if (x->n) memcpy(a, x->d, (size_t)x->n * sizeof *a);
    if (x->sign < 0) {
        mpn_sub_1(a, a, x->n, 1);
        mpn_com(a, a, n);
    }
}

static Value big_bitop(Thread *th, int op, const IV *x, const IV *y) {
    mp_size_t n = (x->n > y->n ? x->n : y->n) + 1;
    mp_limb_t *a = malloc(3 * (size_t)n * sizeof *a);
    if (!a) return vm_no_memory(th);
    mp_limb_t *b = a + n, *r = b + n;
    to_twos(a, x, n);
    to_twos(b, y, n);
    if (op == BINOP_AND) mpn_and_n(r, a, b, n);
    else if (op == BINOP_OR) mpn_ior_n(r, a, b, n);
    else mpn_xor_n(r, a, b, n);
    int neg = (int)(r[n - 1] >> 63);
    if (neg) { mpn_com(r, r, n); mpn_add_1(r, r, n, 1); }
    Value v = mk_int(th, neg ? -1 : 1, r, n);
    free(a);
    return v;
}

/* int / int, correctly rounded (CPython semantics). */
static Value big_truediv(Thread *th, const IV *x, const IV *y) {
    if (y->n == 0) return raisef(th, vm.e_ZeroDivisionError, "division by zero");
    bool neg = (x->sign < 0) != (y->sign < 0);
    if (x->n == 0) return vm_float_new(th, neg ? -0.0 : 0.0);
    uint64_t la = bitlen(x->d, x->n), lb = bitlen(y->d, y->n);
    if (la <= 53 && lb <= 53) {
        double r = (double)x->d[0] / (double)y->d[0];
        return vm_float_new(th, neg ? -r : r);
    }
    int64_t diff = (int64_t)la - (int64_t)lb;
    if (diff > 1025) return raisef(th, vm.e_OverflowError, "integer division result too large for a float");
    if (diff < -1080) return vm_float_new(th, neg ? -0.0 : 0.0);
    int64_t shift = diff - 55;    /* q = floor(|x| / |y| / 2**shift) has 55 or 56 bits */
    uint64_t sa = shift < 0 ? (uint64_t)-shift : 0, sb = shift > 0 ? (uint64_t)shift : 0;
    mp_size_t an = x->n + (mp_size_t)(sa / 64) + 1, bn = y->n + (mp_size_t)(sb / 64) + 1;
    mp_limb_t *buf = malloc((size_t)(2 * an + 2 * bn + 4) * sizeof *buf);
    if (!buf) return vm_no_memory(th);
    mp_limb_t *a = buf, *b = a + an, *q = b + bn, *r = q + an + 2;
    memset(buf, 0, (size_t)(an + bn) * sizeof *buf);
    if (sa % 64) a[an - 1] = mpn_lshift(a + sa / 64, x->d, x->n, (unsigned)(sa % 64));
    else memcpy(a + sa / 64, x->d, (size_t)x->n * sizeof *a);
    if (sb % 64) b[bn - 1] = mpn_lshift(b + sb / 64, y->d, y->n, (unsigned)(sb % 64));
    else memcpy(b + sb / 64, y->d, (size_t)y->n * sizeof *b);
    an = norm(a, an);
    bn = norm(b, bn);
    mpn_tdiv_qr(q, r, 0, a, an, b, bn);
    bool sticky = norm(r, bn) != 0;
    uint64_t qv = q[0];        /* < 2**56 */
    free(buf);
    int qbits = 64 - __builtin_clzll(qv);
    int64_t lsb = shift + qbits - 53;
    if (lsb < -1074) lsb = -1074;
    int64_t drop = lsb - shift;
    if (drop > 60) qv = 0;
    else {
        uint64_t rem = qv & (((uint64_t)1 << drop) - 1), half = (uint64_t)1 << (drop - 1);
        qv >>= drop;
        if (rem > half || (rem == half && (sticky || (qv & 1)))) qv++;
    }
    double res = ldexp((double)qv, (int)lsb);
    if (isinf(res)) return raisef(th, vm.e_OverflowError, "integer division result too large for a float");
    return vm_float_new(th, neg ? -res : res);
}

/* ------------------------------------------------------------------------------------------ */
/* Binary operations                                                                           */

static Value small_pow(Thread *th, int64_t x, int64_t y) {
    int64_t r = 1, b = x;
    uint64_t e = (uint64_t)y;
    for (;;) {
        if ((e & 1) && __builtin_mul_overflow(r, b, &r)) return NOT_DONE;
        e >>= 1;
        if (!e) break;
        if (__builtin_mul_overflow(b, b, &b)) return NOT_DONE;
    }
    return vm_int_from_i64(th, r);
}

static Value small_binop(Thread *th, int op, int64_t x, int64_t y) {
    int64_t r;
    switch (op) {
    case BINOP_ADD: return vm_int_from_i64(th, x + y);
    case BINOP_SUB: return vm_int_from_i64(th, x - y);
    case BINOP_MUL:
        if (__builtin_mul_overflow(x, y, &r)) return NOT_DONE;
        return vm_int_from_i64(th, r);
    case BINOP_TRUEDIV:
        if (y == 0) return raisef(th, vm.e_ZeroDivisionError, "division by zero");
        if (x >= -(1LL << 53) && x <= (1LL << 53) && y >= -(1LL << 53) && y <= (1LL << 53))
            return vm_float_new(th, (double)x / (double)y);
        return NOT_DONE;
    case BINOP_FLOORDIV:
        if (y == 0) return raisef(th, vm.e_ZeroDivisionError, "integer division or modulo by zero");
        r = x / y;
        if (x % y != 0 && ((x < 0) != (y < 0))) r--;
        return vm_int_from_i64(th, r);
    case BINOP_MOD:
        if (y == 0) return raisef(th, vm.e_ZeroDivisionError, "integer modulo by zero");
        r = x % y;
        if (r != 0 && ((r < 0) != (y < 0))) r += y;
        return MK_SMALL(r);
    case BINOP_POW:
        if (y < 0) return vm_float_binop(th, BINOP_POW, MK_SMALL(x), MK_SMALL(y));
        return small_pow(th, x, y);
    case BINOP_LSHIFT:
        if (y < 0) return raisef(th, vm.e_ValueError, "negative shift count");
        if (x == 0) return MK_SMALL(0);
        if (y >= 63) return NOT_DONE;
        r = (int64_t)((uint64_t)x << y);
        if ((r >> y) != x) return NOT_DONE;
        return vm_int_from_i64(th, r);
    case BINOP_RSHIFT:
        if (y < 0) return raisef(th, vm.e_ValueError, "negative shift count");
        return MK_SMALL(y >= 63 ? (x < 0 ? -1 : 0) : x >> y);
    case BINOP_AND: return MK_SMALL(x & y);
    case BINOP_OR: return MK_SMALL(x | y);
    case BINOP_XOR: return MK_SMALL(x ^ y);
    default: return vm.NotImplemented;
    }
}

/* Shift count / exponent from y: 0 ok (*out), 1 too big for 64 bits, -1 raised. */
static int count_of(Thread *th, const IV *y, uint64_t *out, int op) {
    if (y->sign < 0) {
        raisef(th, vm.e_ValueError, "negative shift count");
        return -1;
    }
    if (y->n > 1) return 1;
    *out = y->n ? y->d[0] : 0;
    return 0;
}

static Value big_binop(Thread *th, int op, Value a, Value b) {
    IV x, y;
    iv_get(th, a, &x);
    iv_get(th, b, &y);
    uint64_t c = 0;
    int rc;
    switch (op) {
    case BINOP_ADD: return big_add(th, &x, &y, y.sign);
    case BINOP_SUB: return big_add(th, &x, &y, -y.sign);
    case BINOP_MUL: return big_mul(th, &x, &y);
    case BINOP_TRUEDIV: return big_truediv(th, &x, &y);
    case BINOP_FLOORDIV: return big_divmod(th, &x, &y, 0);
    case BINOP_MOD: return big_divmod(th, &x, &y, 1);
    case BINOP_POW:
        if (y.sign < 0) return vm_float_binop(th, BINOP_POW, a, b);
        if (y.n > 1) {
            if (x.n == 0) return MK_SMALL(0);
            if (x.n == 1 && x.d[0] == 1) return MK_SMALL(x.sign < 0 && (y.d[0] & 1) ? -1 : 1);
            return vm_no_memory(th);
        }
        return big_pow(th, &x, y.n ? y.d[0] : 0);
    case BINOP_LSHIFT:
        if ((rc = count_of(th, &y, &c, op)) < 0) return NULL;
        if (rc > 0) return x.n ? raisef(th, vm.e_OverflowError, "too many digits in integer") : MK_SMALL(0);
        return big_lshift(th, &x, c);
    case BINOP_RSHIFT:
        if ((rc = count_of(th, &y, &c, op)) < 0) return NULL;
        if (rc > 0) return MK_SMALL(x.sign < 0 ? -1 : 0);
        return big_rshift(th, &x, c);
    case BINOP_AND: case BINOP_OR: case BINOP_XOR:
        return big_bitop(th, op, &x, &y);
    default:
        return vm.NotImplemented;
    }
}

Value vm_int_binop(Thread *th, int op, Value a, Value b) {
    op &= ~BINOP_INPLACE;
    if (IS_SMALL(a) && IS_SMALL(b)) {
        Value r = small_binop(th, op, SMALL_VAL(a), SMALL_VAL(b));
        if (r != NOT_DONE) return r;
    }
    if (!is_intlike(a) || !is_intlike(b)) return vm.NotImplemented;
    if (is_bool(a) && is_bool(b) && (op == BINOP_AND || op == BINOP_OR || op == BINOP_XOR)) {
        bool x = a == vm.True, y = b == vm.True;
        bool r = op == BINOP_AND ? (x && y) : op == BINOP_OR ? (x || y) : (x != y);
        return r ? vm.True : vm.False;
    }
    return big_binop(th, op, a, b);
}

static Value int_divmod(Thread *th, Value a, Value b) {
    if (!is_intlike(a) || !is_intlike(b)) return vm.NotImplemented;
    if (IS_SMALL(a) && IS_SMALL(b) && SMALL_VAL(b) != 0) {
        int64_t x = SMALL_VAL(a), y = SMALL_VAL(b), q = x / y, r = x % y;
        if (r != 0 && ((r < 0) != (y < 0))) { r += y; q--; }
        Value qv = vm_int_from_i64(th, q);
        return qv ? pair(th, qv, MK_SMALL(r)) : NULL;
    }
    IV x, y;
    iv_get(th, a, &x);
    iv_get(th, b, &y);
    return big_divmod(th, &x, &y, 2);
}

Value vm_int_unary(Thread *th, int op, Value v) {
    if (IS_SMALL(v)) {
        int64_t x = SMALL_VAL(v);
        if (op == '-') return vm_int_from_i64(th, -x);
        if (op == '~') return MK_SMALL(~x);
        return v;
    }
    IV x;
    if (!iv_get(th, v, &x)) return vm.NotImplemented;
    if (op == '+') return vm__int_exact(th, v);
    if (op == '-') {
        x.sign = -x.sign;
        return mk_from_iv_copy(th, vm.t_int, &x);
    }
    IV one;          /* ~x == -x - 1 */
    iv_i64(&one, 1);
    return big_add(th, &(IV){ .sign = -x.sign, .n = x.n, .d = x.d }, &one, -1);
}

int vm_int_cmp(Thread *th, Value a, Value b) {
    if (IS_SMALL(a) && IS_SMALL(b)) {
        int64_t x = SMALL_VAL(a), y = SMALL_VAL(b);
        return x < y ? -1 : x > y;
    }
    IV x, y;
    iv_get(th, a, &x);
    iv_get(th, b, &y);
    return iv_cmp(&x, &y);
}

/* ------------------------------------------------------------------------------------------ */
/* pow(a, b, m)                                                                                */

/* Modular inverse of a mod m (m > 0) by the extended Euclid algorithm on Values. */
static Value int_inverse(Thread *th, Value a, Value m) {
    size_t mark = ROOTS_MARK(th);
    Value *pm = ROOT(th, m), *old_r = ROOT(th, a);
    Value *r = ROOT(th, m), *old_s = ROOT(th, MK_SMALL(1)), *s = ROOT(th, MK_SMALL(0));
    Value *q = ROOT(th, NULL), *t = ROOT(th, NULL), *res = ROOT(th, NULL);
    if (!(*old_r = vm_int_binop(th, BINOP_MOD, *old_r, *pm))) goto done;
    while (!(IS_SMALL(*r) && SMALL_VAL(*r) == 0)) {
        if (!(*q = vm_int_binop(th, BINOP_FLOORDIV, *old_r, *r))) goto done;
        if (!(*t = vm_int_binop(th, BINOP_MUL, *q, *r))) goto done;
        if (!(*t = vm_int_binop(th, BINOP_SUB, *old_r, *t))) goto done;
        *old_r = *r;
        *r = *t;
        if (!(*t = vm_int_binop(th, BINOP_MUL, *q, *s))) goto done;
        if (!(*t = vm_int_binop(th, BINOP_SUB, *old_s, *t))) goto done;
        *old_s = *s;
        *s = *t;
    }
    if (!(IS_SMALL(*old_r) && SMALL_VAL(*old_r) == 1)) {
        raisef(th, vm.e_ValueError, "base is not invertible for the given modulus");
        goto done;
    }
    *res = vm_int_binop(th, BINOP_MOD, *old_s, *pm);
done:;
    Value out = *res;
    ROOTS_RESET(th, mark);
    return out;
}

/* x**e mod m on limbs: x < m, m normalized; result in r (mn limbs). */
static void powmod_mag(mp_limb_t *r, const mp_limb_t *x, const mp_limb_t *e, mp_size_t en,
                       const mp_limb_t *m, mp_size_t mn, mp_limb_t *t, mp_limb_t *q) {
    memset(r, 0, (size_t)mn * sizeof *r);
    r[0] = 1;
    if (mn == 1 && m[0] == 1) { r[0] = 0; return; }
    for (mp_size_t i = en - 1; i >= 0; i--) {
        for (int b = 63; b >= 0; b--) {
            mpn_sqr(t, r, mn);
            mpn_tdiv_qr(q, r, 0, t, 2 * mn, m, mn);
            if ((e[i] >> b) & 1) {
                mpn_mul_n(t, r, x, mn);
                mpn_tdiv_qr(q, r, 0, t, 2 * mn, m, mn);
            }
        }
    }
}

Value vm_int_powmod(Thread *th, Value a, Value b, Value m) {
    if (!is_intlike(a) || !is_intlike(b) || !is_intlike(m))
        return raisef(th, vm.e_TypeError, "pow() 3rd argument not allowed unless all arguments are integers");
    size_t mark = ROOTS_MARK(th);
    Value *pa = ROOT(th, a), *pb = ROOT(th, b), *pm = ROOT(th, m);
    Value res = NULL;
    int ms = vm__int_sign(th, *pm);
    if (ms == 0) { raisef(th, vm.e_ValueError, "pow() 3rd argument cannot be 0"); goto out; }
    if (ms < 0 && !(*pm = vm_int_unary(th, '-', *pm))) goto out;
    if (vm__int_sign(th, *pb) < 0) {
        if (!(*pa = int_inverse(th, *pa, *pm))) goto out;
        if (!(*pb = vm_int_unary(th, '-', *pb))) goto out;
    }
    if (!(*pa = vm_int_binop(th, BINOP_MOD, *pa, *pm))) goto out;
    IV x, e, md;
    iv_get(th, *pa, &x);
    iv_get(th, *pb, &e);
    iv_get(th, *pm, &md);
    mp_size_t mn = md.n;
    mp_limb_t *buf = malloc((size_t)(6 * mn + 4 + e.n) * sizeof *buf);
    if (!buf) { vm_no_memory(th); goto out; }
    mp_limb_t *xr = buf, *r = xr + mn, *t = r + mn, *q = t + 2 * mn, *ec = q + mn + 2, *mc = ec + e.n + 1;
    memset(xr, 0, (size_t)mn * sizeof *xr);
    if (x.n) memcpy(xr, x.d, (size_t)x.n * sizeof *xr);
    if (e.n) memcpy(ec, e.d, (size_t)e.n * sizeof *ec);
    memcpy(mc, md.d, (size_t)mn * sizeof *mc);
    powmod_mag(r, xr, ec, e.n, mc, mn, t, q);
    res = mk_int(th, 1, r, mn);
    free(buf);
    if (res && ms < 0 && vm__int_sign(th, res) != 0) res = vm_int_binop(th, BINOP_SUB, res, *pm);
out:
    ROOTS_RESET(th, mark);
    return res;
}

/* ------------------------------------------------------------------------------------------ */
/* Helpers for mod_math.c                                                                      */

static mp_size_t strip_twos(mp_limb_t *d, mp_size_t n, uint64_t *tz) {
    mp_size_t i = 0;
    while (d[i] == 0) i++;
    unsigned b = (unsigned)__builtin_ctzll(d[i]);
    *tz = (uint64_t)i * 64 + b;
    if (b) mpn_rshift(d, d + i, n - i, b);
    else if (i) memmove(d, d + i, (size_t)(n - i) * sizeof *d);
    return norm(d, n - i);
}

/* gcd(|a|, |b|) */
Value vm__int_gcd(Thread *th, Value a, Value b) {
    if (IS_SMALL(a) && IS_SMALL(b)) {
        uint64_t x = (uint64_t)llabs(SMALL_VAL(a)), y = (uint64_t)llabs(SMALL_VAL(b));
        while (y) { uint64_t t = x % y; x = y; y = t; }
        return vm_int_from_u64(th, x);
    }
    IV x, y;
    if (!iv_get(th, a, &x) || !iv_get(th, b, &y)) return raisef(th, vm.e_TypeError, "gcd of non-ints");
    if (x.n == 0 || y.n == 0) {
        IV *z = x.n ? &x : &y;
        z->sign = z->n ? 1 : 0;
        return mk_from_iv_copy(th, vm.t_int, z);
    }
    mp_size_t n = x.n + y.n;
    mp_limb_t *buf = malloc((size_t)(2 * n + 2) * sizeof *buf);
    if (!buf) return vm_no_memory(th);
    mp_limb_t *xp = buf, *yp = xp + x.n + 1, *rp = yp + y.n + 1;
    memcpy(xp, x.d, (size_t)x.n * sizeof *xp);
    memcpy(yp, y.d, (size_t)y.n * sizeof *yp);
    uint64_t tx, ty;
    mp_size_t xn = strip_twos(xp, x.n, &tx), yn = strip_twos(yp, y.n, &ty);
    if (magcmp(xp, xn, yp, yn) < 0) {
        mp_limb_t *t = xp; xp = yp; yp = t;
        mp_size_t tn = xn; xn = yn; yn = tn;
    }
    mp_size_t rn = mpn_gcd(rp, xp, xn, yp, yn);
    IV g = { .sign = 1, .n = rn, .d = rp };
    uint64_t tz = tx < ty ? tx : ty;
    Value r = tz ? big_lshift(th, &g, tz) : mk_int(th, 1, rp, rn);
    free(buf);
    return r;
}

Value vm__int_isqrt(Thread *th, Value v) {
    IV x;
    if (!iv_get(th, v, &x)) return raisef(th, vm.e_TypeError, "isqrt of non-int");
    if (x.sign < 0) return raisef(th, vm.e_ValueError, "isqrt() argument must be nonnegative");
    if (x.n == 0) return MK_SMALL(0);
    TB t;
    mp_limb_t *r = tb_alloc(&t, (x.n + 1) / 2);
    if (!r) return vm_no_memory(th);
    mpn_sqrtrem(r, NULL, x.d, x.n);
    Value res = mk_int(th, 1, r, (x.n + 1) / 2);
    tb_free(&t);
    return res;
}

Value vm__int_factorial(Thread *th, uint64_t n) {
    if (n < 21) {
        uint64_t f = 1;
        for (uint64_t i = 2; i <= n; i++) f *= i;
        return vm_int_from_u64(th, f);
    }
    uint64_t nb = 64 - (uint64_t)__builtin_clzll(n);
    if (nb * n > MAX_BITS) return vm_no_memory(th);
    mp_size_t cap = (mp_size_t)(nb * n / 64 + 4);
    mp_limb_t *d = malloc((size_t)cap * sizeof *d);
    if (!d) return vm_no_memory(th);
    d[0] = 1;
    mp_size_t dn = 1;
    uint64_t i = 2;
    while (i <= n) {
        uint64_t p = 1;
        while (i <= n && p <= UINT64_MAX / i) p *= i++;
        mp_limb_t c = mpn_mul_1(d, d, dn, p);
        if (c) d[dn++] = c;
    }
    Value r = mk_int(th, 1, d, dn);
    free(d);
    return r;
}

/* round(v, ndigits) for ints: banker's rounding to a multiple of 10**-ndigits. */
Value vm__int_round(Thread *th, Value v, Value ndigits) {
    int64_t nd;
    if (vm_int_to_i64(th, ndigits, &nd) < 0) {
        if (!vm_exc_matches(th, vm.e_OverflowError) || vm__int_sign(th, ndigits) > 0) return NULL;
        vm_exc_clear(th);
        return MK_SMALL(0);
    }
    if (nd >= 0) return vm__int_exact(th, v);
    IV x;
    iv_get(th, v, &x);
    if ((uint64_t)-nd > bitlen(x.d, x.n) / 3 + 2) return MK_SMALL(0);
    size_t mark = ROOTS_MARK(th);
    Value *pv = ROOT(th, v), *p = ROOT(th, NULL), *qr = ROOT(th, NULL), *t = ROOT(th, NULL);
    Value res = NULL;
    if (!(*p = vm_int_binop(th, BINOP_POW, MK_SMALL(10), MK_SMALL(-nd)))) goto out;
    if (!(*qr = int_divmod(th, *pv, *p))) goto out;
    Value q = TUP(th, *qr)->items[0], r = TUP(th, *qr)->items[1];
    if (!(*t = vm_int_binop(th, BINOP_ADD, r, r))) goto out;
    int c = vm_int_cmp(th, *t, *p);
    q = TUP(th, *qr)->items[0];
    bool odd = IS_SMALL(q) ? (SMALL_VAL(q) & 1) : (R(th, q, IntObj)->d[0] & 1);
    if (c > 0 || (c == 0 && odd)) {
        if (!(*t = vm_int_binop(th, BINOP_ADD, q, MK_SMALL(1)))) goto out;
    } else *t = q;
    res = vm_int_binop(th, BINOP_MUL, *t, *p);
out:
    ROOTS_RESET(th, mark);
    return res;
}

/* ------------------------------------------------------------------------------------------ */
/* int(...)                                                                                    */

/* Parse the bytes of a bytes/bytearray object (*px rooted) with base. */
static Value int_parse_bytes(Thread *th, Value *px, int base) {
    Value b = *px;
    if (b->tid != T_BYTES && !(b = vm_call1(th, vm.t_bytes, *px))) return NULL;
    Value *pb = ROOT(th, b);
    const BytesObj *bo = R(th, *pb, BytesObj);
    Value r = int_parse(th, (const char *)bo->data, (size_t)bo->len, base, *pb);
    UNROOT(th, 1);
    return r;
}

/* int(x) for one argument (*px rooted). */
static Value int_from_obj(Thread *th, Value *px) {
    Value x = *px;
    if (IS_SMALL(x)) return x;
    switch (x->tid) {
    case T_BOOL: return MK_SMALL(x == vm.True);
    case T_FLOAT:
        if (R(th, x, FloatObj)->h.cls == vm.t_float) return vm_int_from_double(th, FLOAT_VAL(th, x));
        break;
    case T_INT:
        if (R(th, x, IntObj)->h.cls == vm.t_int) return x;
        break;
    case T_STR: { const StrObj *s = STR(th, x); return int_parse(th, s->data, (size_t)s->len, 10, x); }
    case T_BYTES: case T_BYTEARRAY: return int_parse_bytes(th, px, 10);
    default: break;
    }
    static const char *const specials[] = {"__int__", "__index__", "__trunc__"};
    for (int i = 0; i < 3; i++) {
        Value m = vm_lookup_special(th, *px, specials[i]);
        if (!m) continue;
        Value r = vm_call1(th, m, *px);
        if (!r) return NULL;
        if (i < 2 && !is_intlike(r)) {
            char name[128];
            snprintf(name, sizeof name, "%s", vm_type_name(th, r));
            return raisef(th, vm.e_TypeError, "%s returned non-int (type %s)", specials[i], name);
        }
        if (i == 2 && !is_intlike(r)) {
            Value *pr = ROOT(th, r);
            Value idx = vm_lookup_special(th, *pr, "__index__");
            if (!idx) { r = type_error_name(th, "__trunc__ returned non-Integral (type %s)", *pr); UNROOT(th, 1); return r; }
            r = vm_call1(th, idx, *pr);
            UNROOT(th, 1);
            if (!r) return NULL;
            if (!is_intlike(r)) return type_error_name(th, "__index__ returned non-int (type %s)", r);
        }
        return vm__int_exact(th, r);
    }
    return type_error_name(th, "int() argument must be a string, a bytes-like object or a real number, not '%s'", *px);
}

/* int(x, base) (*px rooted). */
static Value int_with_base(Thread *th, Value *px, Value base) {
    int64_t b;
    if (vm_index(th, base, &b) < 0) return NULL;
    if (b != 0 && (b < 2 || b > 36)) return raisef(th, vm.e_ValueError, "int() base must be >= 2 and <= 36, or 0");
    Value x = *px;
    if (!IS_SMALL(x) && x->tid == T_STR) {
        const StrObj *s = STR(th, x);
        return int_parse(th, s->data, (size_t)s->len, (int)b, x);
    }
    if (!IS_SMALL(x) && (x->tid == T_BYTES || x->tid == T_BYTEARRAY)) return int_parse_bytes(th, px, (int)b);
    return raisef(th, vm.e_TypeError, "int() can't convert non-string with explicit base");
}

Value vm_int_new(Thread *th, Value cls, Value *args, int nargs, Value kwnames) {
    static const char *const names[] = {"x", "base", NULL};
    Value out[2];
    if (kwnames) {      /* x is positional-only */
        const TupleObj *k = TUP(th, kwnames);
        for (int64_t i = 0; i < k->n; i++)
            if (strcmp(STR(th, k->items[i])->data, "base") != 0)
                return raisef(th, vm.e_TypeError, "'%s' is an invalid keyword argument for int()", STR(th, k->items[i])->data);
    }
    Value *pcls = ROOT(th, cls);
    if (vm_parse_args(th, "int", args, nargs, kwnames, names, 0, out) < 0) { UNROOT(th, 1); return NULL; }
    Value *px = ROOT(th, out[0]), *pb = ROOT(th, out[1]);
    Value r;
    if (!*px) r = *pb ? raisef(th, vm.e_TypeError, "int() missing string argument") : MK_SMALL(0);
    else if (*pb) r = int_with_base(th, px, *pb);
    else r = int_from_obj(th, px);
    if (r && *pcls != vm.t_int) {
        IV x;
        iv_get(th, r, &x);
        r = mk_from_iv_copy(th, *pcls, &x);
    }
    UNROOT(th, 3);
    return r;
}

/* ------------------------------------------------------------------------------------------ */
/* Methods                                                                                     */

static bool check_self(Thread *th, Value self, const char *name) {
    if (is_intlike(self)) return true;
    char tn[128];
    snprintf(tn, sizeof tn, "%s", vm_type_name(th, self));
    raisef(th, vm.e_TypeError, "descriptor '%s' requires a 'int' object but received a '%s'", name, tn);
    return false;
}

/* Check a method call: self plus min..max arguments, no keywords. */
#define METHOD_ARGS(name, min, max)                                                               \
    do {                                                                                          \
        if (nargs < 1 || !check_self(th, args[0], name)) return NULL;                             \
        if (vm_arg_count(th, name, nargs - 1, kwnames, min, max) < 0) return NULL;                \
    } while (0)

#define BINARY(fname, op)                                                                         \
    static Value int_##fname(Thread *th, Value *args, int nargs, Value kwnames) {                 \
        METHOD_ARGS("__" #fname "__", 1, 1);                                                      \
        return vm_int_binop(th, op, args[0], args[1]);                                            \
    }                                                                                             \
    static Value int_r##fname(Thread *th, Value *args, int nargs, Value kwnames) {                \
        METHOD_ARGS("__r" #fname "__", 1, 1);                                                     \
        return vm_int_binop(th, op, args[1], args[0]);                                            \
    }
BINARY(add, BINOP_ADD)
BINARY(sub, BINOP_SUB)
BINARY(mul, BINOP_MUL)
BINARY(truediv, BINOP_TRUEDIV)
BINARY(floordiv, BINOP_FLOORDIV)
BINARY(mod, BINOP_MOD)
BINARY(lshift, BINOP_LSHIFT)
BINARY(rshift, BINOP_RSHIFT)
BINARY(and, BINOP_AND)
BINARY(or, BINOP_OR)
BINARY(xor, BINOP_XOR)

static bool is_none(Value v) { return v == NULL || v == vm.None; }

static Value int_pow(Thread *th, Value *args, int nargs, Value kwnames) {
    METHOD_ARGS("__pow__", 1, 2);
    if (nargs == 3 && !is_none(args[2])) {
        if (!is_intlike(args[1]) || !is_intlike(args[2])) return vm.NotImplemented;
        return vm_int_powmod(th, args[0], args[1], args[2]);
    }
    return vm_int_binop(th, BINOP_POW, args[0], args[1]);
}

static Value int_rpow(Thread *th, Value *args, int nargs, Value kwnames) {
    METHOD_ARGS("__rpow__", 1, 2);
    if (nargs == 3 && !is_none(args[2])) {
        if (!is_intlike(args[1]) || !is_intlike(args[2])) return vm.NotImplemented;
        return vm_int_powmod(th, args[1], args[0], args[2]);
    }
    return vm_int_binop(th, BINOP_POW, args[1], args[0]);
}

static Value int_divmod_m(Thread *th, Value *args, int nargs, Value kwnames) {
    METHOD_ARGS("__divmod__", 1, 1);
    return int_divmod(th, args[0], args[1]);
}

static Value int_rdivmod_m(Thread *th, Value *args, int nargs, Value kwnames) {
    METHOD_ARGS("__rdivmod__", 1, 1);
    return int_divmod(th, args[1], args[0]);
}

#define COMPARE(fname, test)                                                                      \
    static Value int_##fname(Thread *th, Value *args, int nargs, Value kwnames) {                 \
        METHOD_ARGS("__" #fname "__", 1, 1);                                                      \
        if (!is_intlike(args[1])) return vm.NotImplemented;                                       \
        int c = vm_int_cmp(th, args[0], args[1]);                                                 \
        return (test) ? vm.True : vm.False;                                                       \
    }
COMPARE(eq, c == 0)
COMPARE(ne, c != 0)
COMPARE(lt, c < 0)
COMPARE(le, c <= 0)
COMPARE(gt, c > 0)
COMPARE(ge, c >= 0)

static Value int_neg(Thread *th, Value *args, int nargs, Value kwnames) {
    METHOD_ARGS("__neg__", 0, 0);
    return vm_int_unary(th, '-', args[0]);
}

static Value int_pos(Thread *th, Value *args, int nargs, Value kwnames) {
    METHOD_ARGS("__pos__", 0, 0);
    return vm__int_exact(th, args[0]);
}

static Value int_invert(Thread *th, Value *args, int nargs, Value kwnames) {
    METHOD_ARGS("__invert__", 0, 0);
    return vm_int_unary(th, '~', args[0]);
}

static Value int_abs(Thread *th, Value *args, int nargs, Value kwnames) {
    METHOD_ARGS("__abs__", 0, 0);
    return vm__int_sign(th, args[0]) < 0 ? vm_int_unary(th, '-', args[0]) : vm__int_exact(th, args[0]);
}

static Value int_bool(Thread *th, Value *args, int nargs, Value kwnames) {
    METHOD_ARGS("__bool__", 0, 0);
    return vm__int_sign(th, args[0]) ? vm.True : vm.False;
}

/* __int__, __index__, __trunc__, __floor__, __ceil__, conjugate: the value as an exact int */
static Value int_int(Thread *th, Value *args, int nargs, Value kwnames) {
    METHOD_ARGS("__int__", 0, 0);
    return vm__int_exact(th, args[0]);
}

static Value int_float(Thread *th, Value *args, int nargs, Value kwnames) {
    METHOD_ARGS("__float__", 0, 0);
    bool ovf;
    double d = vm_int_to_double(th, args[0], &ovf);
    if (ovf) return raisef(th, vm.e_OverflowError, "int too large to convert to float");
    return vm_float_new(th, d);
}

static Value int_hash_m(Thread *th, Value *args, int nargs, Value kwnames) {
    METHOD_ARGS("__hash__", 0, 0);
    return vm_int_from_i64(th, vm_int_hash(th, args[0]));
}

static Value int_repr_m(Thread *th, Value *args, int nargs, Value kwnames) {
    METHOD_ARGS("__repr__", 0, 0);
    return vm_int_repr(th, args[0]);
}

static Value int_format_m(Thread *th, Value *args, int nargs, Value kwnames) {
    METHOD_ARGS("__format__", 1, 1);
    if (IS_SMALL(args[1]) || args[1]->tid != T_STR)
        return type_error_name(th, "__format__() argument must be str, not %s", args[1]);
    return vm_int_format(th, args[0], args[1]);
}

static Value int_round_m(Thread *th, Value *args, int nargs, Value kwnames) {
    METHOD_ARGS("__round__", 0, 1);
    if (nargs < 2 || args[1] == vm.None) return vm__int_exact(th, args[0]);
    if (!is_intlike(args[1])) {
        int64_t dummy;
        if (vm_index(th, args[1], &dummy) < 0) return NULL;
        return vm__int_round(th, args[0], MK_SMALL(dummy));
    }
    return vm__int_round(th, args[0], args[1]);
}

static Value int_bit_length(Thread *th, Value *args, int nargs, Value kwnames) {
    METHOD_ARGS("bit_length", 0, 0);
    IV x;
    iv_get(th, args[0], &x);
    return vm_int_from_u64(th, bitlen(x.d, x.n));
}

static Value int_bit_count(Thread *th, Value *args, int nargs, Value kwnames) {
    METHOD_ARGS("bit_count", 0, 0);
    IV x;
    iv_get(th, args[0], &x);
    return vm_int_from_u64(th, x.n ? mpn_popcount(x.d, x.n) : 0);
}

static Value int_as_integer_ratio(Thread *th, Value *args, int nargs, Value kwnames) {
    METHOD_ARGS("as_integer_ratio", 0, 0);
    Value v = vm__int_exact(th, args[0]);
    return v ? pair(th, v, MK_SMALL(1)) : NULL;
}

/* byteorder argument: 1 little, 0 big, -1 error */
static int byteorder_arg(Thread *th, Value v) {
    if (!v) return 0;
    if (IS_SMALL(v) || v->tid != T_STR) {
        type_error_name(th, "to_bytes() argument 'byteorder' must be str, not %s", v);
        return -1;
    }
    const char *s = STR(th, v)->data;
    if (strcmp(s, "little") == 0) return 1;
    if (strcmp(s, "big") == 0) return 0;
    raisef(th, vm.e_ValueError, "byteorder must be either 'little' or 'big'");
    return -1;
}

static Value int_to_bytes(Thread *th, Value *args, int nargs, Value kwnames) {
    static const char *const names[] = {"length", "byteorder", "signed", NULL};
    Value a[3];
    if (nargs < 1 || !check_self(th, args[0], "to_bytes")) return NULL;
    if (vm_parse_args(th, "to_bytes", args + 1, nargs - 1, kwnames, names, 0, a) < 0) return NULL;
    int64_t len = 1;
    Value *pa = ROOT(th, a[1]);              /* __index__ may run Python code: byteorder, signed move */
    ROOT(th, a[2]);
    int ir = a[0] ? vm_index(th, a[0], &len) : 0;
    a[1] = pa[0]; a[2] = pa[1];
    UNROOT(th, 2);
    if (ir < 0) return NULL;
    if (len < 0) return raisef(th, vm.e_ValueError, "length argument must be non-negative");
    int little = byteorder_arg(th, a[1]);
    if (little < 0) return NULL;
    int sgn = a[2] ? vm_truthy(th, a[2]) : 0;
    if (sgn < 0) return NULL;
    IV x;
    iv_get(th, args[0], &x);
    if (x.sign < 0 && !sgn) return raisef(th, vm.e_OverflowError, "can't convert negative int to unsigned");
    uint64_t bl = bitlen(x.d, x.n);
    if (bl > (uint64_t)len * 8 || (sgn && x.sign > 0 && bl == (uint64_t)len * 8))
        return raisef(th, vm.e_OverflowError, "int too big to convert");
    unsigned char *buf = calloc((size_t)len + 1, 1);
    if (!buf) return vm_no_memory(th);
    for (int64_t i = 0; i < len && (uint64_t)i < (uint64_t)x.n * 8; i++)
        buf[i] = (unsigned char)(x.d[i / 8] >> (8 * (i % 8)));
    if (x.sign < 0) {
        int carry = 1;
        for (int64_t i = 0; i < len; i++) {
            int v = (unsigned char)~buf[i] + carry;
            buf[i] = (unsigned char)v;
            carry = v >> 8;
        }
        if (len == 0 || !(buf[len - 1] & 0x80)) { free(buf); return raisef(th, vm.e_OverflowError, "int too big to convert"); }
    }
    if (!little)
        for (int64_t i = 0; i < len / 2; i++) { unsigned char t = buf[i]; buf[i] = buf[len - 1 - i]; buf[len - 1 - i] = t; }
    Value r = vm_bytes_new(th, buf, (size_t)len);
    free(buf);
    return r;
}

static Value int_from_bytes(Thread *th, Value *args, int nargs, Value kwnames) {
    static const char *const names[] = {"bytes", "byteorder", "signed", NULL};
    Value a[3];
    if (vm_parse_args(th, "from_bytes", args + 1, nargs - 1, kwnames, names, 1, a) < 0) return NULL;
    int little = byteorder_arg(th, a[1]);
    if (little < 0) return NULL;
    Value *pb = ROOT(th, a[0]);              /* __bool__ may run Python code: bytes moves */
    int sgn = a[2] ? vm_truthy(th, a[2]) : 0;
    Value b = *pb;
    UNROOT(th, 1);
    if (sgn < 0) return NULL;
    if (IS_SMALL(b) || b->tid != T_BYTES) {
        if (!(b = vm_call1(th, vm.t_bytes, b))) return NULL;
    }
    const BytesObj *bo = R(th, b, BytesObj);
    size_t len = (size_t)bo->len;
    mp_size_t n = (mp_size_t)(len / 8 + 2);
    TB t;
    mp_limb_t *d = tb_alloc(&t, n);
    if (!d) return vm_no_memory(th);
    memset(d, 0, (size_t)n * sizeof *d);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = bo->data[little ? i : len - 1 - i];
        d[i / 8] |= (mp_limb_t)c << (8 * (i % 8));
    }
    int sign = 1;
    if (sgn && len && (bo->data[little ? len - 1 : 0] & 0x80)) {
        /* value - 2**(8*len): magnitude = 2**(8*len) - value = two's complement within len bytes */
        mp_size_t ln = (mp_size_t)((len + 7) / 8);
        mpn_com(d, d, ln);
        if (len % 8) d[ln - 1] &= ((mp_limb_t)1 << (8 * (len % 8))) - 1;
        mpn_add_1(d, d, n, 1);
        sign = -1;
    }
    Value r = mk_int(th, sign, d, n);
    tb_free(&t);
    if (r && args[0] != vm.t_int) r = vm_call1(th, args[0], r);
    return r;
}

/* CF_GETTER attributes: fn(th, &self, 1, NULL) */
static Value int_get_self(Thread *th, Value *args, int nargs, Value kwnames) { return vm__int_exact(th, args[0]); }
static Value int_get_zero(Thread *th, Value *args, int nargs, Value kwnames) { return MK_SMALL(0); }
static Value int_get_one(Thread *th, Value *args, int nargs, Value kwnames) { return MK_SMALL(1); }

static Value int_new_cf(Thread *th, Value *args, int nargs, Value kwnames) {
    if (nargs < 1) return raisef(th, vm.e_TypeError, "int.__new__(): not enough arguments");
    return vm_int_new(th, args[0], args + 1, nargs - 1, kwnames);
}

static const vm_method int_methods[] = {
    {"__new__", int_new_cf, CF_STATIC},
    {"__add__", int_add, CF_METHOD}, {"__radd__", int_radd, CF_METHOD},
    {"__sub__", int_sub, CF_METHOD}, {"__rsub__", int_rsub, CF_METHOD},
    {"__mul__", int_mul, CF_METHOD}, {"__rmul__", int_rmul, CF_METHOD},
    {"__truediv__", int_truediv, CF_METHOD}, {"__rtruediv__", int_rtruediv, CF_METHOD},
    {"__floordiv__", int_floordiv, CF_METHOD}, {"__rfloordiv__", int_rfloordiv, CF_METHOD},
    {"__mod__", int_mod, CF_METHOD}, {"__rmod__", int_rmod, CF_METHOD},
    {"__divmod__", int_divmod_m, CF_METHOD}, {"__rdivmod__", int_rdivmod_m, CF_METHOD},
    {"__pow__", int_pow, CF_METHOD}, {"__rpow__", int_rpow, CF_METHOD},
    {"__lshift__", int_lshift, CF_METHOD}, {"__rlshift__", int_rlshift, CF_METHOD},
    {"__rshift__", int_rshift, CF_METHOD}, {"__rrshift__", int_rrshift, CF_METHOD},
    {"__and__", int_and, CF_METHOD}, {"__rand__", int_rand, CF_METHOD},
    {"__or__", int_or, CF_METHOD}, {"__ror__", int_ror, CF_METHOD},
    {"__xor__", int_xor, CF_METHOD}, {"__rxor__", int_rxor, CF_METHOD},
    {"__eq__", int_eq, CF_METHOD}, {"__ne__", int_ne, CF_METHOD},
    {"__lt__", int_lt, CF_METHOD}, {"__le__", int_le, CF_METHOD},
    {"__gt__", int_gt, CF_METHOD}, {"__ge__", int_ge, CF_METHOD},
    {"__neg__", int_neg, CF_METHOD}, {"__pos__", int_pos, CF_METHOD},
    {"__abs__", int_abs, CF_METHOD}, {"__invert__", int_invert, CF_METHOD},
    {"__bool__", int_bool, CF_METHOD},
    {"__int__", int_int, CF_METHOD}, {"__index__", int_int, CF_METHOD},
    {"__trunc__", int_int, CF_METHOD}, {"__floor__", int_int, CF_METHOD},
    {"__ceil__", int_int, CF_METHOD}, {"conjugate", int_int, CF_METHOD},
    {"__float__", int_float, CF_METHOD},
    {"__hash__", int_hash_m, CF_METHOD},
    {"__repr__", int_repr_m, CF_METHOD},
    {"__format__", int_format_m, CF_METHOD},
    {"__round__", int_round_m, CF_METHOD},
    {"bit_length", int_bit_length, CF_METHOD},
    {"bit_count", int_bit_count, CF_METHOD},
    {"as_integer_ratio", int_as_integer_ratio, CF_METHOD},
    {"to_bytes", int_to_bytes, CF_METHOD},
    {"from_bytes", int_from_bytes, CF_CLASSMETHOD},
    {"real", int_get_self, CF_GETTER}, {"imag", int_get_zero, CF_GETTER},
    {"numerator", int_get_self, CF_GETTER}, {"denominator", int_get_one, CF_GETTER},
    {NULL, NULL, 0}
};

static size_t int_size(const void *payload) {
    const IntObj *o = payload;
    int64_t n = o->size < 0 ? -o->size : o->size;
    return sizeof(IntObj) + (size_t)n * sizeof(mp_limb_t);
}

static void int_trace(void *payload, void (*visit)(stm_obj **, void *), void *ctx) {
    (void)payload; (void)visit; (void)ctx;   /* no references besides head.cls (traced by vm.c) */
}

void obj_int_init(Thread *th) {
    vm_tidinfo[T_INT] = (vm_typeinfo){ int_size, int_trace };
    vm_add_methods(th, vm.t_int, int_methods);
}
