/* obj_float.c — float (T_FLOAT, FloatObj in vm.h), the number formatter shared with int, and the
 * comparisons between ints and floats.
 *
 * repr and formatting follow CPython's PyOS_double_to_string / format_float_short exactly; the
 * digit strings that CPython gets from David Gay's dtoa come here from the C library: glibc's
 * printf("%.*e") / printf("%.*f") are correctly rounded (round-half-even on the exact binary
 * value), and the shortest repr is the smallest precision whose %.*e string strtod's back to the
 * same double.
 */
#include "vm.h"
#include "opcodes.h"
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Not (yet) in vm.h. */
Value vm_num_compare(Thread *th, int cmpop, Value a, Value b);   /* int/bool/float mix */
Value vm_float_new_cls(Thread *th, Value cls, double d);
/* Shared with obj_int.c / mod_math.c. */
Value vm__numfmt(Thread *th, Value v, Value spec, bool is_int);
char *vm__int_cdigits(Thread *th, Value v, int base, bool *neg, size_t *len);
int vm__int_cmp_double(Thread *th, Value i, double d);
Value vm__int_exact(Thread *th, Value v);

static Value raisef(Thread *th, Value type, const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return vm_raise(th, type, "%s", buf);
}

static Value type_error_name(Thread *th, const char *fmt, Value v) {
    char name[128];
    snprintf(name, sizeof name, "%s", vm_type_name(th, v));
    return raisef(th, vm.e_TypeError, fmt, name);
}

static inline bool is_float(Value v) { return !IS_SMALL(v) && v->tid == T_FLOAT; }
static inline bool is_intlike(Value v) { return IS_SMALL(v) || v->tid == T_INT || v->tid == T_BOOL; }
static inline bool is_num(Value v) { return is_intlike(v) || is_float(v); }

Value vm_float_new_cls(Thread *th, Value cls, double d) {
    Value r = vm_alloc(th, T_FLOAT, sizeof(FloatObj), STM_IMMUTABLE, cls);
    if (r) W(th, r, FloatObj)->v = d;
    return r;
}

Value vm_float_new(Thread *th, double d) { return vm_float_new_cls(th, vm.t_float, d); }

/* int/bool/float -> double: 1 ok, 0 not a number, -1 raised (int too large). */
static int num_to_double(Thread *th, Value v, double *out) {
    if (IS_SMALL(v)) { *out = (double)SMALL_VAL(v); return 1; }
    if (v->tid == T_FLOAT) { *out = FLOAT_VAL(th, v); return 1; }
    if (v->tid == T_BOOL) { *out = v == vm.True; return 1; }
    if (v->tid != T_INT) return 0;
    bool ovf;
    *out = vm_int_to_double(th, v, &ovf);
    if (ovf) { raisef(th, vm.e_OverflowError, "int too large to convert to float"); return -1; }
    return 1;
}

int vm_to_double(Thread *th, Value v, double *out) {
    int r = num_to_double(th, v, out);
    if (r) return r > 0 ? 0 : -1;
    Value *pv = ROOT(th, v);
    Value m = vm_lookup_special(th, *pv, "__float__");
    int rc = -1;
    if (m) {
        Value f = vm_call1(th, m, *pv);
        if (f && !is_float(f)) {
            char a[100], b[100];
            snprintf(a, sizeof a, "%s", vm_type_name(th, *pv));
            snprintf(b, sizeof b, "%s", vm_type_name(th, f));
            raisef(th, vm.e_TypeError, "%s.__float__ returned non-float (type %s)", a, b);
        } else if (f) { *out = FLOAT_VAL(th, f); rc = 0; }
    } else if ((m = vm_lookup_special(th, *pv, "__index__"))) {
        Value i = vm_call1(th, m, *pv);
        if (i && !is_intlike(i)) type_error_name(th, "__index__ returned non-int (type %s)", i);
        else if (i) rc = num_to_double(th, i, out) > 0 ? 0 : -1;
    } else {
        type_error_name(th, "must be real number, not %s", *pv);
    }
    UNROOT(th, 1);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* Arithmetic                                                                                  */

static void float_divmod(double vx, double wx, double *floordiv, double *modp) {
    double mod = fmod(vx, wx), div = (vx - mod) / wx;
    if (mod) {
        if ((wx < 0) != (mod < 0)) { mod += wx; div -= 1.0; }
    } else {
        mod = copysign(0.0, wx);
    }
    if (div) {
        *floordiv = floor(div);
        if (div - *floordiv > 0.5) *floordiv += 1.0;
    } else {
        *floordiv = copysign(0.0, vx / wx);
    }
    *modp = mod;
}

static bool is_odd_integer(double x) { return fmod(fabs(x), 2.0) == 1.0; }

/* CPython's float_pow. */
static Value float_pow(Thread *th, double iv, double iw) {
    if (iw == 0) return vm_float_new(th, 1.0);
    if (isnan(iv)) return vm_float_new(th, iv);
    if (isnan(iw)) return vm_float_new(th, iv == 1.0 ? 1.0 : iw);
    if (isinf(iw)) {
        iv = fabs(iv);
        if (iv == 1.0) return vm_float_new(th, 1.0);
        if ((iw > 0.0) == (iv > 1.0)) return vm_float_new(th, fabs(iw));
        return vm_float_new(th, 0.0);
    }
    if (isinf(iv)) {
        bool odd = is_odd_integer(iw);
        if (iw > 0.0) return vm_float_new(th, odd ? iv : fabs(iv));
        return vm_float_new(th, odd ? copysign(0.0, iv) : 0.0);
    }
    if (iv == 0.0) {
        if (iw < 0.0) return raisef(th, vm.e_ZeroDivisionError, "0.0 cannot be raised to a negative power");
        return vm_float_new(th, is_odd_integer(iw) ? iv : 0.0);
    }
    bool negate = false;
    if (iv < 0.0) {
        if (iw != floor(iw))   /* CPython returns a complex number here; stmvm has no complex */
            return raisef(th, vm.e_ValueError, "negative number cannot be raised to a fractional power");
        iv = -iv;
        negate = is_odd_integer(iw);
    }
    if (iv == 1.0) return vm_float_new(th, negate ? -1.0 : 1.0);
    errno = 0;
    double ix = pow(iv, iw);
    if (isinf(ix)) return raisef(th, vm.e_OverflowError, "(34, 'Numerical result out of range')");
    return vm_float_new(th, negate ? -ix : ix);
}

Value vm_float_binop(Thread *th, int op, Value a, Value b) {
    op &= ~BINOP_INPLACE;
    double x, y, q, m;
    int r = num_to_double(th, a, &x);
    if (r <= 0) return r < 0 ? NULL : vm.NotImplemented;
    r = num_to_double(th, b, &y);
    if (r <= 0) return r < 0 ? NULL : vm.NotImplemented;
    switch (op) {
    case BINOP_ADD: return vm_float_new(th, x + y);
    case BINOP_SUB: return vm_float_new(th, x - y);
    case BINOP_MUL: return vm_float_new(th, x * y);
    case BINOP_TRUEDIV:
        if (y == 0.0) return raisef(th, vm.e_ZeroDivisionError, "float division by zero");
        return vm_float_new(th, x / y);
    case BINOP_FLOORDIV:
        if (y == 0.0) return raisef(th, vm.e_ZeroDivisionError, "float floor division by zero");
        float_divmod(x, y, &q, &m);
        return vm_float_new(th, q);
    case BINOP_MOD:
        if (y == 0.0) return raisef(th, vm.e_ZeroDivisionError, "float modulo");
        float_divmod(x, y, &q, &m);
        return vm_float_new(th, m);
    case BINOP_POW: return float_pow(th, x, y);
    default: return vm.NotImplemented;
    }
}

static Value float_divmod_values(Thread *th, Value a, Value b) {
    double x, y, q, m;
    int r = num_to_double(th, a, &x);
    if (r <= 0) return r < 0 ? NULL : vm.NotImplemented;
    r = num_to_double(th, b, &y);
    if (r <= 0) return r < 0 ? NULL : vm.NotImplemented;
    if (y == 0.0) return raisef(th, vm.e_ZeroDivisionError, "float divmod()");
    float_divmod(x, y, &q, &m);
    Value qv = vm_float_new(th, q);
    if (!qv) return NULL;
    Value *pq = ROOT(th, qv);
    Value mv = vm_float_new(th, m);
    Value *pm = ROOT(th, mv);
    Value t = mv ? vm_tuple_new(th, 2) : NULL;     /* filled before any other allocation */
    if (t) {
        TupleObj *o = W(th, t, TupleObj);
        o->items[0] = *pq;
        o->items[1] = *pm;
    }
    UNROOT(th, 2);
    return t;
}

/* ------------------------------------------------------------------------------------------ */
/* Comparisons                                                                                 */

/* -1, 0, 1, or 2 when unordered (NaN).  Both numbers. */
static int num_cmp(Thread *th, Value a, Value b) {
    if (!is_float(a) && !is_float(b)) return vm_int_cmp(th, a, b);
    if (is_float(a) && is_float(b)) {
        double x = FLOAT_VAL(th, a), y = FLOAT_VAL(th, b);
        return x < y ? -1 : x > y ? 1 : x == y ? 0 : 2;
    }
    if (is_float(a)) {
        double x = FLOAT_VAL(th, a);
        return isnan(x) ? 2 : -vm__int_cmp_double(th, b, x);
    }
    double y = FLOAT_VAL(th, b);
    return isnan(y) ? 2 : vm__int_cmp_double(th, a, y);
}

static bool cmp_result(int op, int c) {
    switch (op) {
    case CMP_LT: return c == -1;
    case CMP_LE: return c == -1 || c == 0;
    case CMP_EQ: return c == 0;
    case CMP_NE: return c != 0;
    case CMP_GT: return c == 1;
    case CMP_GE: return c == 1 || c == 0;
    default: return false;
    }
}

/* a OP b for ints, bools and floats in any mix (exact, as CPython); NotImplemented otherwise. */
Value vm_num_compare(Thread *th, int cmpop, Value a, Value b) {
    if (!is_num(a) || !is_num(b) || cmpop > CMP_GE) return vm.NotImplemented;
    return cmp_result(cmpop, num_cmp(th, a, b)) ? vm.True : vm.False;
}

/* ------------------------------------------------------------------------------------------ */
/* Hash                                                                                        */

int64_t vm_float_hash(double v) {
    const uint64_t M = ((uint64_t)1 << 61) - 1;
    if (!isfinite(v)) return isinf(v) ? (v > 0 ? 314159 : -314159) : 0;
    int e;
    double m = frexp(v, &e);
    int sign = 1;
    if (m < 0) { sign = -1; m = -m; }
    uint64_t x = 0;
    while (m) {
        x = ((x << 28) & M) | x >> (61 - 28);
        m *= 268435456.0;
        e -= 28;
        uint64_t y = (uint64_t)m;
        m -= (double)y;
        x += y;
        if (x >= M) x -= M;
    }
    e = e >= 0 ? e % 61 : 61 - 1 - ((-1 - e) % 61);
    x = ((x << e) & M) | x >> (61 - e);
    int64_t r = (int64_t)x * sign;
    return r == -1 ? -2 : r;
}

/* ------------------------------------------------------------------------------------------ */
/* Digits and CPython's format_float_short                                                     */

/* Parse a "%e" string (no sign): digits into dig (trailing zeros stripped, at least one), returns
   the count; *decpt = exponent + 1. */
static int parse_e(const char *s, char *dig, int *decpt) {
    int n = 0;
    for (; *s && *s != 'e'; s++)
        if (*s != '.') dig[n++] = *s;
    *decpt = atoi(s + 1) + 1;
    while (n > 1 && dig[n - 1] == '0') n--;
    if (n == 1 && dig[0] == '0') *decpt = 1;
    dig[n] = 0;
    return n;
}

/* Does d's nearest p-digit decimal (written to buf, 40 bytes) read back as d? */
static bool roundtrips(double d, int p, char *buf) {
    snprintf(buf, 40, "%.*e", p - 1, d);
    return strtod(buf, NULL) == d;
}

/* At a power of two the rounding interval is twice as wide above as below, so a shorter decimal
   than the nearest one of its length may round-trip: the nearest rounded up by one unit.  Try
   those for lengths below `len` (dig/decpt hold the current answer; tmp is scratch). */
static void shortest_pow2(double d, int len, char *tmp, char *dig, int *decpt) {
    for (int p = 1; p < len; p++) {
        char m[40];
        snprintf(tmp, 40, "%.*e", p - 1, d);
        if (strtod(tmp, NULL) > d) continue;
        int n = 0;
        for (const char *s = tmp; *s && *s != 'e'; s++) if (*s != '.') m[n++] = *s;
        int dp = atoi(strchr(tmp, 'e') + 1) + 1, i = n - 1;
        while (i >= 0 && m[i] == '9') m[i--] = '0';
        if (i < 0) { m[0] = '1'; dp++; } else m[i]++;
        m[n] = 0;
        snprintf(tmp, 80, "0.%se%d", m, dp);
        if (strtod(tmp, NULL) == d) {
            while (n > 1 && m[n - 1] == '0') m[--n] = 0;
            strcpy(dig, m);
            *decpt = dp;
            return;
        }
    }
}

/* Like dtoa: digits of |d| (finite).  mode 0: shortest round-tripping; 2: ndigits significant;
   3: ndigits after the decimal point (>= 0).  value = 0.DIGITS * 10**decpt; "0" with decpt 1 for
   zero.  Returns a malloc'd string (NULL: out of memory). */
static char *dtoa(double d, int mode, int ndigits, int *decpt) {
    d = fabs(d);
    size_t cap = (mode == 3 ? 330 : 40) + (size_t)(ndigits > 0 ? ndigits : 0);
    char *tmp = malloc(cap), *dig = malloc(cap);
    if (!tmp || !dig) { free(tmp); free(dig); return NULL; }
    if (mode == 0) {
        /* smallest p whose %.{p-1}e round-trips (p = 17 always does); most results of
           arithmetic need 16 or 17 digits, so look there first */
        char best[40];
        int lo = 1, hi;
        if (!roundtrips(d, 16, best)) { snprintf(best, sizeof best, "%.16e", d); hi = 17; }
        else if (!roundtrips(d, 15, tmp)) hi = 16;
        else {
            strcpy(best, tmp);
            hi = 15;
            while (lo < hi) {
                int mid = (lo + hi) / 2;
                if (roundtrips(d, mid, tmp)) { hi = mid; strcpy(best, tmp); } else lo = mid + 1;
            }
        }
        parse_e(best, dig, decpt);
        lo = hi;
        int e2;
        if (d != 0 && frexp(d, &e2) == 0.5) shortest_pow2(d, lo, tmp, dig, decpt);
    } else if (mode == 2) {
        snprintf(tmp, cap, "%.*e", ndigits - 1, d);
        parse_e(tmp, dig, decpt);
    } else {
        snprintf(tmp, cap, "%.*f", ndigits, d);
        int n = 0, pt = -1;
        for (const char *s = tmp; *s; s++) {
            if (*s == '.') pt = n;
            else dig[n++] = *s;
        }
        if (pt < 0) pt = n;
        int lead = 0;
        while (lead < n && dig[lead] == '0') lead++;
        if (lead == n) { strcpy(dig, "0"); *decpt = 1; }
        else {
            memmove(dig, dig + lead, (size_t)(n - lead));
            n -= lead;
            *decpt = pt - lead;
            while (n > 1 && dig[n - 1] == '0') n--;
            dig[n] = 0;
        }
    }
    free(tmp);
    return dig;
}

#define DTSF_ADD_DOT_0 1
#define DTSF_ALT 2
#define DTSF_NO_NEG_0 4

/* CPython's PyOS_double_to_string for codes e E f F g G r: a malloc'd string (NULL: no memory). */
static char *double_to_string(double val, char code, int precision, int flags) {
    bool upper = code == 'E' || code == 'F' || code == 'G';
    if (upper) code = (char)(code + 32);
    int mode = code == 'r' ? 0 : code == 'f' ? 3 : 2;
    if (code == 'e') precision++;
    if (code == 'g' && precision == 0) precision = 1;
    bool alt = flags & DTSF_ALT, dot0 = flags & DTSF_ADD_DOT_0;
    bool sign = signbit(val) != 0;
    if (!isfinite(val)) {
        char *buf = malloc(8);
        if (!buf) return NULL;
        if (isnan(val)) strcpy(buf, upper ? "NAN" : "nan");
        else strcpy(buf, sign ? (upper ? "-INF" : "-inf") : (upper ? "INF" : "inf"));
        return buf;
    }
    int decpt;
    char *digits = dtoa(val, mode, precision, &decpt);
    if (!digits) return NULL;
    int64_t digits_len = (int64_t)strlen(digits), dp = decpt, vstart, vend = digits_len;
    if ((flags & DTSF_NO_NEG_0) && sign && digits_len == 1 && digits[0] == '0') sign = false;
    bool use_exp = false;
    int exp = 0;
    switch (code) {
    case 'e': use_exp = true; vend = precision; break;
    case 'f': vend = dp + precision; break;
    case 'g':
        if (dp <= -4 || dp > (dot0 ? precision - 1 : precision)) use_exp = true;
        if (alt) vend = precision;
        break;
    default: /* 'r' */
        if (dp <= -4 || dp > 16) use_exp = true;
        break;
    }
    if (use_exp) { exp = (int)dp - 1; dp = 1; }
    vstart = dp <= 0 ? dp - 1 : 0;
    if (!use_exp && dot0) vend = vend > dp ? vend : dp + 1;
    else vend = vend > dp ? vend : dp;
    char *buf = malloc((size_t)(vend - vstart) + 16);
    if (!buf) { free(digits); return NULL; }
    char *p = buf;
    if (sign) *p++ = '-';
    if (dp <= 0) {
        memset(p, '0', (size_t)(dp - vstart)); p += dp - vstart;
        *p++ = '.';
        memset(p, '0', (size_t)(0 - dp)); p += 0 - dp;
    } else {
        memset(p, '0', (size_t)(0 - vstart)); p += 0 - vstart;
    }
    if (0 < dp && dp <= digits_len) {
        memcpy(p, digits, (size_t)dp); p += dp;
        *p++ = '.';
        memcpy(p, digits + dp, (size_t)(digits_len - dp)); p += digits_len - dp;
    } else {
        memcpy(p, digits, (size_t)digits_len); p += digits_len;
    }
    if (digits_len < dp) {
        memset(p, '0', (size_t)(dp - digits_len)); p += dp - digits_len;
        *p++ = '.';
        memset(p, '0', (size_t)(vend - dp)); p += vend - dp;
    } else {
        memset(p, '0', (size_t)(vend - digits_len)); p += vend - digits_len;
    }
    if (p[-1] == '.' && !alt) p--;
    if (use_exp) p += sprintf(p, "%c%+.02d", upper ? 'E' : 'e', exp);
    *p = 0;
    free(digits);
    return buf;
}

Value vm_float_repr(Thread *th, double d) {
    char *s = double_to_string(d, 'r', 0, DTSF_ADD_DOT_0);
    if (!s) return vm_no_memory(th);
    Value r = vm_str_new(th, s, strlen(s));
    free(s);
    return r;
}

/* ------------------------------------------------------------------------------------------ */
/* The format-spec mini-language for numbers (CPython's formatter_unicode.c)                   */

typedef struct Spec {
    char fill[8];
    int fill_len;
    bool fill_zero;
    uint32_t align, sign, type;
    bool no_neg_0, alternate;
    int64_t width, precision;
    char sep;                  /* 0, ',' or '_' */
    int group;                 /* 3, or 4 for '_' with b o x X */
} Spec;

static int utf8_decode(const unsigned char *s, size_t n, size_t *i, uint32_t *cp) {
    unsigned char c = s[*i];
    int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    uint32_t v = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < len && *i + (size_t)k < n; k++) v = (v << 6) | (s[*i + (size_t)k] & 0x3F);
    *i += (size_t)len;
    *cp = v;
    return len;
}

static int utf8_encode(uint32_t cp, char *out) {
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) { out[0] = (char)(0xC0 | (cp >> 6)); out[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12)); out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18)); out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static bool is_align(uint32_t c) { return c == '<' || c == '>' || c == '=' || c == '^'; }

/* Digits at cp[*pos..]: -1 raised, else the number of digits consumed. */
static int get_integer(Thread *th, const uint32_t *cp, size_t n, size_t *pos, int64_t *out) {
    int64_t acc = 0;
    int count = 0;
    while (*pos < n && cp[*pos] >= '0' && cp[*pos] <= '9') {
        int d = (int)(cp[*pos] - '0');
        if (acc > (INT64_MAX - d) / 10) { raisef(th, vm.e_ValueError, "Too many decimal digits in format string"); return -1; }
        acc = acc * 10 + d;
        (*pos)++;
        count++;
    }
    *out = acc;
    return count;
}

static void sep_type_error(Thread *th, char sep, uint32_t type) {
    if (type > 32 && type < 128) raisef(th, vm.e_ValueError, "Cannot specify '%c' with '%c'.", sep, (int)type);
    else raisef(th, vm.e_ValueError, "Cannot specify '%c' with '\\x%x'.", sep, (unsigned)type);
}

/* CPython's parse_internal_render_format_spec (default align '>', numbers). */
static int parse_spec(Thread *th, const char *text, size_t len, const char *tname, Spec *f) {
    uint32_t *cp = malloc((len + 1) * sizeof *cp);
    if (!cp) { vm_no_memory(th); return -1; }
    size_t n = 0, pos = 0;
    for (size_t i = 0; i < len;) utf8_decode((const unsigned char *)text, len, &i, &cp[n++]);
    memset(f, 0, sizeof *f);
    strcpy(f->fill, " ");
    f->fill_len = 1;
    f->align = '>';
    f->width = f->precision = -1;
    f->group = 3;
    bool fill_given = false, align_given = false;
    int rc = -1;
    if (n >= 2 && is_align(cp[1])) {
        f->align = cp[1];
        f->fill_len = utf8_encode(cp[0], f->fill);
        f->fill[f->fill_len] = 0;
        fill_given = align_given = true;
        pos = 2;
    } else if (n >= 1 && is_align(cp[0])) {
        f->align = cp[0];
        align_given = true;
        pos = 1;
    }
    if (pos < n && (cp[pos] == '+' || cp[pos] == '-' || cp[pos] == ' ')) f->sign = cp[pos++];
    if (pos < n && cp[pos] == 'z') { f->no_neg_0 = true; pos++; }
    if (pos < n && cp[pos] == '#') { f->alternate = true; pos++; }
    if (!fill_given && pos < n && cp[pos] == '0') {
        strcpy(f->fill, "0");
        if (!align_given) f->align = '=';
        pos++;
    }
    int c = get_integer(th, cp, n, &pos, &f->width);
    if (c < 0) goto out;
    if (c == 0) f->width = -1;
    if (pos < n && cp[pos] == ',') { f->sep = ','; pos++; }
    if (pos < n && cp[pos] == '_') {
        if (f->sep) { raisef(th, vm.e_ValueError, "Cannot specify both ',' and '_'."); goto out; }
        f->sep = '_';
        pos++;
    }
    if (pos < n && cp[pos] == ',' && f->sep == '_') {
        raisef(th, vm.e_ValueError, "Cannot specify both ',' and '_'.");
        goto out;
    }
    if (pos < n && cp[pos] == '.') {
        pos++;
        c = get_integer(th, cp, n, &pos, &f->precision);
        if (c < 0) goto out;
        if (c == 0) { raisef(th, vm.e_ValueError, "Format specifier missing precision"); goto out; }
    }
    if (n - pos > 1) {
        raisef(th, vm.e_ValueError, "Invalid format specifier '%.*s' for object of type '%s'", (int)len, text, tname);
        goto out;
    }
    if (n - pos == 1) f->type = cp[pos];
    f->fill_zero = strcmp(f->fill, "0") == 0;
    if (f->sep) {
        switch (f->type) {
        case 'd': case 'e': case 'f': case 'g': case 'E': case 'G': case '%': case 'F': case 0:
            break;
        case 'b': case 'o': case 'x': case 'X':
            if (f->sep == '_') { f->group = 4; break; }
            /* fall through */
        default:
            sep_type_error(th, f->sep, f->type);
            goto out;
        }
    }
    rc = 0;
out:
    free(cp);
    return rc;
}

static void unknown_code(Thread *th, uint32_t type, const char *tname) {
    if (type > 32 && type < 128)
        raisef(th, vm.e_ValueError, "Unknown format code '%c' for object of type '%s'", (int)type, tname);
    else
        raisef(th, vm.e_ValueError, "Unknown format code '\\x%x' for object of type '%s'", (unsigned)type, tname);
}

/* Digits grouped with sep every `group`, zero-padded to min_width (CPython's
   _PyUnicode_InsertThousandsGrouping).  Writes right to left ending at out_end; returns length. */
static int64_t group_digits(const char *digits, int64_t n, int64_t min_width, char sep, int group, char *out_end) {
    char *p = out_end;
    int64_t remaining = n, count = 0;
    const char *dp = digits + n;
#define EMIT(use_sep, zeros, chars)                                                               \
    do {                                                                                          \
        if (use_sep) { *--p = sep; count++; }                                                     \
        dp -= (chars); p -= (chars); memcpy(p, dp, (size_t)(chars)); count += (chars);            \
        p -= (zeros); memset(p, '0', (size_t)(zeros)); count += (zeros);                          \
    } while (0)
    if (!sep) {
        int64_t l = remaining > min_width ? remaining : min_width;
        if (l < 1) l = 1;
        int64_t zeros = l - remaining > 0 ? l - remaining : 0, chars = remaining < l ? remaining : l;
        EMIT(false, zeros, chars);
        return count;
    }
    bool use_sep = false;
    for (;;) {
        int64_t m = remaining > min_width ? remaining : min_width;
        if (m < 1) m = 1;
        int64_t l = group < m ? group : m;
        int64_t zeros = l - remaining > 0 ? l - remaining : 0;
        int64_t chars = remaining < l ? (remaining > 0 ? remaining : 0) : l;
        EMIT(use_sep, zeros, chars);
        use_sep = true;
        remaining -= chars;
        min_width -= group;
        if (remaining <= 0 && min_width <= 0) break;
        min_width -= 1;
    }
#undef EMIT
    return count;
}

/* CPython's calc_number_widths + fill_number.  digits (n_digits ASCII) get grouped; rem is the
   part after the decimal point (UTF-8, rem_chars code points). */
static Value finish_number(Thread *th, const Spec *f, bool negative, const char *prefix,
                           const char *digits, int64_t n_digits, bool has_decimal,
                           const char *rem, int64_t rem_bytes, int64_t rem_chars, bool upper) {
    char sign = 0;
    if (f->sign == '+') sign = negative ? '-' : '+';
    else if (f->sign == ' ') sign = negative ? '-' : ' ';
    else if (negative) sign = '-';
    int64_t n_prefix = (int64_t)strlen(prefix);
    int64_t n_nondigit = (sign != 0) + n_prefix + has_decimal + rem_chars;
    int64_t min_width = (f->fill_zero && f->align == '=') ? f->width - n_nondigit : 0;
    char sep = f->type == 'n' ? 0 : f->sep;
    int64_t cap = n_digits + (min_width > 0 ? min_width : 0) + 2;
    cap += cap / f->group + 2;
    char *gbuf = malloc((size_t)cap);
    if (!gbuf) return vm_no_memory(th);
    int64_t n_grouped = n_digits ? group_digits(digits, n_digits, min_width, sep, f->group, gbuf + cap) : 0;
    int64_t pad = f->width - (n_nondigit + n_grouped), lpad = 0, spad = 0, rpad = 0;
    if (pad > 0) {
        if (f->align == '<') rpad = pad;
        else if (f->align == '^') { lpad = pad / 2; rpad = pad - lpad; }
        else if (f->align == '=') spad = pad;
        else lpad = pad;
    }
    int64_t pads = lpad + spad + rpad;
    size_t total = (size_t)(pads * f->fill_len + (sign != 0) + n_prefix + n_grouped + has_decimal + rem_bytes);
    char *out = malloc(total + 1), *p = out;
    if (!out) { free(gbuf); return vm_no_memory(th); }
    for (int64_t i = 0; i < lpad; i++) { memcpy(p, f->fill, (size_t)f->fill_len); p += f->fill_len; }
    if (sign) *p++ = sign;
    for (int64_t i = 0; i < n_prefix; i++) *p++ = upper && prefix[i] >= 'a' && prefix[i] <= 'z' ? (char)(prefix[i] - 32) : prefix[i];
    for (int64_t i = 0; i < spad; i++) { memcpy(p, f->fill, (size_t)f->fill_len); p += f->fill_len; }
    const char *g = gbuf + cap - n_grouped;
    for (int64_t i = 0; i < n_grouped; i++) *p++ = upper && g[i] >= 'a' && g[i] <= 'z' ? (char)(g[i] - 32) : g[i];
    if (has_decimal) *p++ = '.';
    memcpy(p, rem, (size_t)rem_bytes);
    p += rem_bytes;
    for (int64_t i = 0; i < rpad; i++) { memcpy(p, f->fill, (size_t)f->fill_len); p += f->fill_len; }
    Value r = vm_str_new(th, out, (size_t)(p - out));
    free(gbuf);
    free(out);
    return r;
}

static Value format_double(Thread *th, double val, const Spec *f, const char *tname) {
    uint32_t type = f->type;
    int flags = 0, default_precision = 6;
    bool pct = false;
    switch (type) {
    case 0: case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'n': case '%': break;
    default: unknown_code(th, type, tname); return NULL;
    }
    if (f->precision > 0x7fffffff) return raisef(th, vm.e_ValueError, "precision too big");
    if (f->alternate) flags |= DTSF_ALT;
    if (f->no_neg_0) flags |= DTSF_NO_NEG_0;
    if (type == 0) { flags |= DTSF_ADD_DOT_0; type = 'r'; default_precision = 0; }
    if (type == 'n') type = 'g';
    if (type == '%') { type = 'f'; val *= 100; pct = true; }
    int precision = (int)f->precision;
    if (precision < 0) precision = default_precision;
    else if (type == 'r') type = 'g';
    char *buf = double_to_string(val, (char)type, precision, flags);
    if (!buf) return vm_no_memory(th);
    size_t n = strlen(buf);
    if (pct) {
        char *b2 = realloc(buf, n + 2);
        if (!b2) { free(buf); return vm_no_memory(th); }
        buf = b2;
        buf[n++] = '%';
        buf[n] = 0;
    }
    const char *s = buf;
    bool neg = false;
    if (*s == '-') { neg = true; s++; }
    int64_t nd = 0;
    while (s[nd] >= '0' && s[nd] <= '9') nd++;
    bool has_decimal = s[nd] == '.';
    const char *rem = s + nd + has_decimal;
    int64_t rem_len = (int64_t)strlen(rem);
    Value r = finish_number(th, f, neg, "", s, nd, has_decimal, rem, rem_len, rem_len, false);
    free(buf);
    return r;
}

static Value format_int(Thread *th, Value v, const Spec *f) {
    if (f->precision != -1) return raisef(th, vm.e_ValueError, "Precision not allowed in integer format specifier");
    if (f->no_neg_0) return raisef(th, vm.e_ValueError, "Negative zero coercion (z) not allowed in integer format specifier");
    if (f->type == 'c') {
        if (f->sign) return raisef(th, vm.e_ValueError, "Sign not allowed with integer format specifier 'c'");
        if (f->alternate) return raisef(th, vm.e_ValueError, "Alternate form (#) not allowed with integer format specifier 'c'");
        int64_t x;
        if (vm_int_to_i64(th, v, &x) < 0) return NULL;
        if (x < 0 || x > 0x10ffff) return raisef(th, vm.e_OverflowError, "%%c arg not in range(0x110000)");
        char ch[4];
        int len = utf8_encode((uint32_t)x, ch);
        return finish_number(th, f, false, "", "", 0, false, ch, len, 1, false);
    }
    int base = f->type == 'b' ? 2 : f->type == 'o' ? 8 : (f->type == 'x' || f->type == 'X') ? 16 : 10;
    const char *prefix = !f->alternate ? "" : base == 2 ? "0b" : base == 8 ? "0o" : base == 16 ? "0x" : "";
    bool neg;
    size_t n;
    char *digits = vm__int_cdigits(th, v, base, &neg, &n);
    if (!digits) return NULL;
    Value r = finish_number(th, f, neg, prefix, digits, (int64_t)n, false, "", 0, 0, f->type == 'X');
    free(digits);
    return r;
}

/* format(v, spec) for int (is_int) or float v; spec a str. */
Value vm__numfmt(Thread *th, Value v, Value spec, bool is_int) {
    const StrObj *s = STR(th, spec);
    size_t len = (size_t)s->len;
    char *text = malloc(len + 1);
    if (!text) return vm_no_memory(th);
    memcpy(text, s->data, len + 1);
    Spec f;
    Value r = NULL;
    char tname[100];
    snprintf(tname, sizeof tname, "%s", vm_type_name(th, v));
    if (parse_spec(th, text, len, tname, &f) < 0) goto out;
    if (!is_int) {
        r = format_double(th, FLOAT_VAL(th, v), &f, tname);
        goto out;
    }
    if (f.type == 0) f.type = 'd';
    switch (f.type) {
    case 'b': case 'c': case 'd': case 'o': case 'x': case 'X': case 'n':
        r = format_int(th, v, &f);
        break;
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%': {
        bool ovf;
        double d = vm_int_to_double(th, v, &ovf);
        if (ovf) r = raisef(th, vm.e_OverflowError, "int too large to convert to float");
        else r = format_double(th, d, &f, tname);
        break;
    }
    default:
        unknown_code(th, f.type, tname);
    }
out:
    free(text);
    return r;
}

Value vm_float_format(Thread *th, Value v, Value spec) {
    if (STR(th, spec)->len == 0) {
        if (R(th, v, FloatObj)->h.cls == vm.t_float) return vm_float_repr(th, FLOAT_VAL(th, v));
        return vm_str(th, v);
    }
    return vm__numfmt(th, v, spec, false);
}

/* ------------------------------------------------------------------------------------------ */
/* float(...)                                                                                  */

static bool is_space(unsigned char c) { return c == ' ' || (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x1f); }

static bool ieq(const char *a, size_t n, const char *b) { return strlen(b) == n && strncasecmp(a, b, n) == 0; }

/* A float literal per float()'s grammar (underscores between digits; inf, infinity, nan).
   0 ok, -1 invalid. */
static int parse_float_text(const char *s, size_t len, double *out) {
    const char *p = s, *end = s + len;
    while (p < end && is_space((unsigned char)*p)) p++;
    while (end > p && is_space((unsigned char)end[-1])) end--;
    if (p == end) return -1;
    char *buf = malloc((size_t)(end - p) + 1), *q = buf;
    if (!buf) return -1;
    const char *body = p;
    if (*body == '+' || *body == '-') body++;
    size_t bl = (size_t)(end - body);
    if (ieq(body, bl, "inf") || ieq(body, bl, "infinity") || ieq(body, bl, "nan")) {
        double v = (body[0] | 0x20) == 'n' ? NAN : INFINITY;
        *out = *p == '-' ? -v : v;
        free(buf);
        return 0;
    }
    if (p < end && (*p == '+' || *p == '-')) *q++ = *p++;
    int digits = 0, state = 0;      /* 0 int part, 1 fraction, 2 exponent */
    bool prev_digit = false, exp_digits = false;
    for (; p < end; p++) {
        char c = *p;
        if (c >= '0' && c <= '9') {
            *q++ = c;
            prev_digit = true;
            if (state < 2) digits++; else exp_digits = true;
        } else if (c == '_') {
            if (!prev_digit || p + 1 >= end || p[1] < '0' || p[1] > '9') goto bad;
            prev_digit = false;
        } else if (c == '.' && state == 0) {
            *q++ = c;
            state = 1;
            prev_digit = false;
        } else if ((c == 'e' || c == 'E') && state < 2 && digits > 0) {
            *q++ = c;
            state = 2;
            prev_digit = false;
            if (p + 1 < end && (p[1] == '+' || p[1] == '-')) *q++ = *++p;
        } else goto bad;
    }
    if (digits == 0 || (state == 2 && !exp_digits)) goto bad;
    *q = 0;
    *out = strtod(buf, NULL);
    free(buf);
    return 0;
bad:
    free(buf);
    return -1;
}

/* ValueError "<prefix><repr(orig)>" */
static Value raise_with_repr(Thread *th, const char *prefix, Value orig) {
    Value r = vm_repr(th, orig);
    if (!r) return NULL;
    const StrObj *s = STR(th, r);
    size_t pl = strlen(prefix);
    char *msg = malloc(pl + (size_t)s->len + 1);
    if (!msg) return vm_no_memory(th);
    memcpy(msg, prefix, pl);
    memcpy(msg + pl, s->data, (size_t)s->len + 1);
    vm_raise(th, vm.e_ValueError, "%s", msg);
    free(msg);
    return NULL;
}

/* float(x) as a double (*px rooted): 0 ok, -1 raised. */
static int float_from_obj(Thread *th, Value *px, double *out) {
    Value x = *px;
    if (!IS_SMALL(x) && (x->tid == T_STR || x->tid == T_BYTES || x->tid == T_BYTEARRAY)) {
        Value b = x;
        if (x->tid == T_BYTEARRAY && !(b = vm_call1(th, vm.t_bytes, *px))) return -1;
        const char *data;
        size_t len;
        if (b->tid == T_STR) { data = STR(th, b)->data; len = (size_t)STR(th, b)->len; }
        else { data = (const char *)R(th, b, BytesObj)->data; len = (size_t)R(th, b, BytesObj)->len; }
        if (parse_float_text(data, len, out) == 0) return 0;
        raise_with_repr(th, "could not convert string to float: ", b);
        return -1;
    }
    if (is_num(x)) return num_to_double(th, x, out) > 0 ? 0 : -1;
    if (!vm_lookup_special(th, *px, "__float__") && !vm_lookup_special(th, *px, "__index__")) {
        type_error_name(th, "float() argument must be a string or a real number, not '%s'", *px);
        return -1;
    }
    return vm_to_double(th, *px, out);
}

static Value float_new_cf(Thread *th, Value *args, int nargs, Value kwnames) {
    if (nargs < 1) return raisef(th, vm.e_TypeError, "float.__new__(): not enough arguments");
    if (vm_arg_count(th, "float", nargs - 1, kwnames, 0, 1) < 0) return NULL;
    double d = 0.0;
    if (nargs == 2) {
        if (is_float(args[1]) && args[0] == vm.t_float && R(th, args[1], FloatObj)->h.cls == vm.t_float)
            return args[1];
        if (float_from_obj(th, &args[1], &d) < 0) return NULL;
    }
    return vm_float_new_cls(th, args[0], d);
}

/* ------------------------------------------------------------------------------------------ */
/* round()                                                                                     */

/* round(x, nd) for finite nonzero x: CPython's double_round (correctly rounded, half-even). */
static Value float_round_digits(Thread *th, double x, int64_t nd) {
    if (nd > 323) return vm_float_new(th, x);
    if (nd < -308) return vm_float_new(th, 0.0 * x);
    char *buf = malloc(400 + (size_t)(nd > 0 ? nd : 0));
    if (!buf) return vm_no_memory(th);
    double r;
    if (nd >= 0) {
        sprintf(buf, "%.*f", (int)nd, x);
        r = strtod(buf, NULL);
    } else {
        sprintf(buf, "%.40e", x);
        int decpt = atoi(strchr(buf, 'e') + 1) + 1;      /* 10**(decpt-1) <= |x| < 10**decpt */
        int64_t sig = decpt + nd;
        if (sig >= 1) {
            sprintf(buf, "%.*e", (int)sig - 1, x);
            r = strtod(buf, NULL);
        } else if (sig == 0) {
            const char *m = buf + (buf[0] == '-');
            bool up = m[0] > '5';
            if (m[0] == '5')
                for (const char *t = m + 2; *t && *t != 'e'; t++) if (*t != '0') up = true;
            r = up ? copysign(strtod((sprintf(buf, "1e%d", decpt), buf), NULL), x) : copysign(0.0, x);
        } else {
            r = copysign(0.0, x);
        }
    }
    free(buf);
    if (isinf(r)) return raisef(th, vm.e_OverflowError, "rounded value too large to represent");
    return vm_float_new(th, r);
}

static double round_half_even(double x) {
    double r = round(x);
    if (fabs(x - r) == 0.5) r = 2.0 * round(x / 2.0);
    return r;
}

/* ------------------------------------------------------------------------------------------ */
/* Methods                                                                                     */

static bool check_self(Thread *th, Value self, const char *name) {
    if (is_float(self)) return true;
    char tn[128];
    snprintf(tn, sizeof tn, "%s", vm_type_name(th, self));
    raisef(th, vm.e_TypeError, "descriptor '%s' requires a 'float' object but received a '%s'", name, tn);
    return false;
}

#define METHOD_ARGS(name, min, max)                                                               \
    do {                                                                                          \
        if (nargs < 1 || !check_self(th, args[0], name)) return NULL;                             \
        if (vm_arg_count(th, name, nargs - 1, kwnames, min, max) < 0) return NULL;                \
    } while (0)

#define BINARY(fname, op)                                                                         \
    static Value float_##fname(Thread *th, Value *args, int nargs, Value kwnames) {               \
        METHOD_ARGS("__" #fname "__", 1, 1);                                                      \
        return vm_float_binop(th, op, args[0], args[1]);                                          \
    }                                                                                             \
    static Value float_r##fname(Thread *th, Value *args, int nargs, Value kwnames) {              \
        METHOD_ARGS("__r" #fname "__", 1, 1);                                                     \
        return vm_float_binop(th, op, args[1], args[0]);                                          \
    }
BINARY(add, BINOP_ADD)
BINARY(sub, BINOP_SUB)
BINARY(mul, BINOP_MUL)
BINARY(truediv, BINOP_TRUEDIV)
BINARY(floordiv, BINOP_FLOORDIV)
BINARY(mod, BINOP_MOD)

static Value float_pow_m(Thread *th, Value *args, int nargs, Value kwnames) {
    METHOD_ARGS("__pow__", 1, 2);
    if (nargs == 3 && args[2] != vm.None)
        return raisef(th, vm.e_TypeError, "pow() 3rd argument not allowed unless all arguments are integers");
    return vm_float_binop(th, BINOP_POW, args[0], args[1]);
}

static Value float_rpow_m(Thread *th, Value *args, int nargs, Value kwnames) {
    METHOD_ARGS("__rpow__", 1, 2);
    if (nargs == 3 && args[2] != vm.None)
        return raisef(th, vm.e_TypeError, "pow() 3rd argument not allowed unless all arguments are integers");
    return vm_float_binop(th, BINOP_POW, args[1], args[0]);
}

static Value float_divmod_m(Thread *th, Value *args, int nargs, Value kwnames) {
    METHOD_ARGS("__divmod__", 1, 1);
    return float_divmod_values(th, args[0], args[1]);
}

static Value float_rdivmod_m(Thread *th, Value *args, int nargs, Value kwnames) {
    METHOD_ARGS("__rdivmod__", 1, 1);
    return float_divmod_values(th, args[1], args[0]);
}

#define COMPARE(fname, op)                                                                        \
    static Value float_##fname(Thread *th, Value *args, int nargs, Value kwnames) {               \
        METHOD_ARGS("__" #fname "__", 1, 1);                                                      \
        return vm_num_compare(th, op, args[0], args[1]);                                          \
    }
COMPARE(eq, CMP_EQ)
COMPARE(ne, CMP_NE)
COMPARE(lt, CMP_LT)
COMPARE(le, CMP_LE)
COMPARE(gt, CMP_GT)
COMPARE(ge, CMP_GE)

#define UNARY(fname, expr)                                                                        \
    static Value float_##fname(Thread *th, Value *args, int nargs, Value kwnames) {               \
        METHOD_ARGS("__" #fname "__", 0, 0);                                                      \
        double x = FLOAT_VAL(th, args[0]);                                                        \
        return expr;                                                                              \
    }
UNARY(neg, vm_float_new(th, -x))
UNARY(pos, vm_float_new(th, x))
UNARY(abs, vm_float_new(th, fabs(x)))
UNARY(float, vm_float_new(th, x))
UNARY(bool, x != 0.0 ? vm.True : vm.False)
UNARY(int, vm_int_from_double(th, x))
UNARY(trunc, vm_int_from_double(th, x))
UNARY(floor, vm_int_from_double(th, floor(x)))
UNARY(ceil, vm_int_from_double(th, ceil(x)))
UNARY(hash, vm_int_from_i64(th, vm_float_hash(x)))
UNARY(repr, vm_float_repr(th, x))

static Value float_format_m(Thread *th, Value *args, int nargs, Value kwnames) {
    METHOD_ARGS("__format__", 1, 1);
    if (IS_SMALL(args[1]) || args[1]->tid != T_STR)
        return type_error_name(th, "__format__() argument must be str, not %s", args[1]);
    return vm_float_format(th, args[0], args[1]);
}

static Value float_round_m(Thread *th, Value *args, int nargs, Value kwnames) {
    METHOD_ARGS("__round__", 0, 1);
    double x = FLOAT_VAL(th, args[0]);
    if (nargs < 2 || args[1] == vm.None) return vm_int_from_double(th, round_half_even(x));
    int64_t nd;
    if (vm_index(th, args[1], &nd) < 0) {
        if (!vm_exc_matches(th, vm.e_OverflowError)) return NULL;
        vm_exc_clear(th);
        nd = is_intlike(args[1]) && vm_int_cmp(th, args[1], MK_SMALL(0)) < 0 ? INT64_MIN : INT64_MAX;
    }
    if (!isfinite(x) || x == 0.0) return vm_float_new(th, x);
    return float_round_digits(th, x, nd);
}

static Value float_is_integer(Thread *th, Value *args, int nargs, Value kwnames) {
    METHOD_ARGS("is_integer", 0, 0);
    double x = FLOAT_VAL(th, args[0]);
    return isfinite(x) && floor(x) == x ? vm.True : vm.False;
}

static Value float_as_integer_ratio(Thread *th, Value *args, int nargs, Value kwnames) {
    METHOD_ARGS("as_integer_ratio", 0, 0);
    double x = FLOAT_VAL(th, args[0]);
    if (isinf(x)) return raisef(th, vm.e_OverflowError, "cannot convert Infinity to integer ratio");
    if (isnan(x)) return raisef(th, vm.e_ValueError, "cannot convert NaN to integer ratio");
    int e;
    double m = frexp(x, &e);
    int64_t mant = (int64_t)ldexp(m, 53);
    e -= 53;
    while (mant != 0 && (mant & 1) == 0 && e < 0) { mant >>= 1; e++; }
    if (mant == 0) e = 0;
    Value num, den;
    size_t mark = ROOTS_MARK(th);
    Value *pn = ROOT(th, NULL), *pd = ROOT(th, NULL);
    Value res = NULL;
    if (!(num = vm_int_from_i64(th, mant))) goto out;
    *pn = num;
    if (e >= 0) {
        if (!(num = vm_int_binop(th, BINOP_LSHIFT, *pn, MK_SMALL(e)))) goto out;
        *pn = num;
        *pd = MK_SMALL(1);
    } else {
        if (!(den = vm_int_binop(th, BINOP_LSHIFT, MK_SMALL(1), MK_SMALL(-e)))) goto out;
        *pd = den;
    }
    if ((res = vm_tuple_new(th, 2))) {
        TupleObj *t = W(th, res, TupleObj);
        t->items[0] = *pn;
        t->items[1] = *pd;
    }
out:
    ROOTS_RESET(th, mark);
    return res;
}

static Value float_hex(Thread *th, Value *args, int nargs, Value kwnames) {
    METHOD_ARGS("hex", 0, 0);
    double x = FLOAT_VAL(th, args[0]);
    char buf[64];
    if (!isfinite(x)) return vm_float_repr(th, x);
    if (x == 0) snprintf(buf, sizeof buf, signbit(x) ? "-0x0.0p+0" : "0x0.0p+0");
    else snprintf(buf, sizeof buf, "%.13a", x);   /* glibc's %a: CPython's format */
    return vm_str_cstr(th, buf);
}

static bool hex_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
static bool hex_digit(char c) { return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'f'); }

/* float.fromhex(s) — a class method (args[0] the class).  CPython's grammar is checked here:
 * [ws] [sign] (inf | infinity | nan | [0x] hexdigits [. hexdigits] [p [sign] decimal]) [ws]; the
 * value is then rebuilt as "[-]0x<coefficient>p<exponent>" for strtod, which rounds correctly. */
static Value float_fromhex(Thread *th, Value *args, int nargs, Value kwnames) {
    if (kwnames && vm_tid(kwnames) == T_TUPLE && TUP(th, kwnames)->n)
        return raisef(th, vm.e_TypeError, "float.fromhex() takes no keyword arguments");
    if (nargs != 2) return raisef(th, vm.e_TypeError, "float.fromhex() takes exactly one argument (%d given)", nargs - 1);
    if (vm_tid(args[1]) != T_STR) return raisef(th, vm.e_TypeError, "bad argument type for built-in operation");
    const StrObj *so = STR(th, args[1]);
    const char *s = so->data, *end = so->data + so->len;
    while (s < end && hex_space(*s)) s++;
    while (end > s && hex_space(end[-1])) end--;
    size_t n = (size_t)(end - s);
    double x;
    bool neg = n && *s == '-';
    const char *t = s + (n && (*s == '-' || *s == '+'));
    size_t tn = (size_t)(end - t);
    if ((tn == 3 && strncasecmp(t, "inf", 3) == 0) || (tn == 8 && strncasecmp(t, "infinity", 8) == 0))
        x = neg ? -INFINITY : INFINITY;
    else if (tn == 3 && strncasecmp(t, "nan", 3) == 0)
        x = neg ? -NAN : NAN;
    else {
        const char *q = t;
        if (end - q >= 2 && q[0] == '0' && (q[1] | 32) == 'x') q += 2;
        const char *c0 = q;
        size_t digits = 0;
        while (q < end && hex_digit(*q)) { q++; digits++; }
        if (q < end && *q == '.') {
            q++;
            while (q < end && hex_digit(*q)) { q++; digits++; }
        }
        const char *c1 = q, *e0 = q;
        if (digits && q < end && (*q | 32) == 'p') {
            e0 = ++q;
            if (q < end && (*q == '-' || *q == '+')) q++;
            if (q < end && *q >= '0' && *q <= '9') while (q < end && *q >= '0' && *q <= '9') q++;
            else digits = 0;
        }
        if (!digits || q != end) return raisef(th, vm.e_ValueError, "invalid hexadecimal floating-point string");
        size_t cn = (size_t)(c1 - c0), en = (size_t)(end - e0);
        char *buf = malloc(cn + en + 8);
        if (!buf) return vm_no_memory(th);
        char *w = buf;
        if (neg) *w++ = '-';
        *w++ = '0'; *w++ = 'x';
        memcpy(w, c0, cn); w += cn;
        *w++ = 'p';
        if (en) { memcpy(w, e0, en); w += en; } else *w++ = '0';
        *w = 0;
        x = strtod(buf, NULL);
        free(buf);
        if (isinf(x)) return raisef(th, vm.e_OverflowError, "hexadecimal value too large to represent as a float");
    }
    Value r = vm_float_new(th, x);
    if (r && args[0] != vm.t_float) r = vm_call1(th, args[0], r);
    return r;
}

/* CF_GETTER attributes: fn(th, &self, 1, NULL) */
static Value float_get_real(Thread *th, Value *args, int nargs, Value kwnames) {
    if (R(th, args[0], FloatObj)->h.cls == vm.t_float) return args[0];
    return vm_float_new(th, FLOAT_VAL(th, args[0]));
}
static Value float_get_imag(Thread *th, Value *args, int nargs, Value kwnames) { return vm_float_new(th, 0.0); }

static const vm_method float_methods[] = {
    {"__new__", float_new_cf, CF_STATIC},
    {"__add__", float_add, CF_METHOD}, {"__radd__", float_radd, CF_METHOD},
    {"__sub__", float_sub, CF_METHOD}, {"__rsub__", float_rsub, CF_METHOD},
    {"__mul__", float_mul, CF_METHOD}, {"__rmul__", float_rmul, CF_METHOD},
    {"__truediv__", float_truediv, CF_METHOD}, {"__rtruediv__", float_rtruediv, CF_METHOD},
    {"__floordiv__", float_floordiv, CF_METHOD}, {"__rfloordiv__", float_rfloordiv, CF_METHOD},
    {"__mod__", float_mod, CF_METHOD}, {"__rmod__", float_rmod, CF_METHOD},
    {"__divmod__", float_divmod_m, CF_METHOD}, {"__rdivmod__", float_rdivmod_m, CF_METHOD},
    {"__pow__", float_pow_m, CF_METHOD}, {"__rpow__", float_rpow_m, CF_METHOD},
    {"__eq__", float_eq, CF_METHOD}, {"__ne__", float_ne, CF_METHOD},
    {"__lt__", float_lt, CF_METHOD}, {"__le__", float_le, CF_METHOD},
    {"__gt__", float_gt, CF_METHOD}, {"__ge__", float_ge, CF_METHOD},
    {"__neg__", float_neg, CF_METHOD}, {"__pos__", float_pos, CF_METHOD},
    {"__abs__", float_abs, CF_METHOD}, {"__bool__", float_bool, CF_METHOD},
    {"__float__", float_float, CF_METHOD}, {"conjugate", float_float, CF_METHOD},
    {"__int__", float_int, CF_METHOD}, {"__trunc__", float_trunc, CF_METHOD},
    {"__floor__", float_floor, CF_METHOD}, {"__ceil__", float_ceil, CF_METHOD},
    {"__round__", float_round_m, CF_METHOD},
    {"__hash__", float_hash, CF_METHOD},
    {"__repr__", float_repr, CF_METHOD},
    {"__format__", float_format_m, CF_METHOD},
    {"is_integer", float_is_integer, CF_METHOD},
    {"as_integer_ratio", float_as_integer_ratio, CF_METHOD},
    {"hex", float_hex, CF_METHOD},
    {"fromhex", float_fromhex, CF_CLASSMETHOD},
    {"real", float_get_real, CF_GETTER}, {"imag", float_get_imag, CF_GETTER},
    {NULL, NULL, 0}
};

static size_t float_size(const void *payload) { (void)payload; return sizeof(FloatObj); }

static void float_trace(void *payload, void (*visit)(stm_obj **, void *), void *ctx) {
    (void)payload; (void)visit; (void)ctx;
}

void obj_float_init(Thread *th) {
    vm_tidinfo[T_FLOAT] = (vm_typeinfo){ float_size, float_trace };
    vm_add_methods(th, vm.t_float, float_methods);
}
