/* mod_math.c — the math module (CPython 3.11's mathmodule.c semantics and error messages). */
#include "vm.h"
#include "opcodes.h"
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* From obj_int.c / obj_float.c (not in vm.h). */
int vm__int_sign(Thread *th, Value v);
Value vm__int_exact(Thread *th, Value v);
double vm__int_frexp(Thread *th, Value v, int64_t *e);
Value vm__int_gcd(Thread *th, Value a, Value b);
Value vm__int_isqrt(Thread *th, Value v);
Value vm__int_factorial(Thread *th, uint64_t n);

static Value raisef(Thread *th, Value type, const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return vm_raise(th, type, "%s", buf);
}

static Value domain_error(Thread *th) { return raisef(th, vm.e_ValueError, "math domain error"); }
static Value range_error(Thread *th) { return raisef(th, vm.e_OverflowError, "math range error"); }

static inline bool is_float(Value v) { return !IS_SMALL(v) && v->tid == T_FLOAT; }
static inline bool is_intlike(Value v) { return IS_SMALL(v) || v->tid == T_INT || v->tid == T_BOOL; }

#define ARGS(name, min, max)                                                                      \
    do { if (vm_arg_count(th, name, nargs, kwnames, min, max) < 0) return NULL; } while (0)

/* v as an exact int via __index__ (TypeError otherwise). */
static Value index_value(Thread *th, Value v) {
    if (is_intlike(v)) return vm__int_exact(th, v);
    Value *pv = ROOT(th, v);
    Value m = vm_lookup_special(th, *pv, "__index__");
    Value r = NULL;
    char name[128];
    if (m) {
        r = vm_call1(th, m, *pv);
        if (r && !is_intlike(r)) {
            snprintf(name, sizeof name, "%s", vm_type_name(th, r));
            r = raisef(th, vm.e_TypeError, "__index__ returned non-int (type %s)", name);
        } else if (r) r = vm__int_exact(th, r);
    } else {
        snprintf(name, sizeof name, "%s", vm_type_name(th, *pv));
        raisef(th, vm.e_TypeError, "'%s' object cannot be interpreted as an integer", name);
    }
    UNROOT(th, 1);
    return r;
}

/* ------------------------------------------------------------------------------------------ */
/* Functions of one float                                                                      */

/* CPython's math_1: NaN from non-NaN -> domain error; inf from finite -> range error if the
   function can overflow, else domain error. */
static Value math_1(Thread *th, Value *args, int nargs, Value kwnames, const char *name,
                    double (*fn)(double), bool can_overflow) {
    ARGS(name, 1, 1);
    double x;
    if (vm_to_double(th, args[0], &x) < 0) return NULL;
    errno = 0;
    double r = fn(x);
    if (isnan(r) && !isnan(x)) return domain_error(th);
    if (isinf(r) && isfinite(x)) return can_overflow ? range_error(th) : domain_error(th);
    if (isfinite(r) && errno == ERANGE && fabs(r) >= 1.5) return range_error(th);
    return vm_float_new(th, r);
}

/* CPython's own gamma / lgamma (Lanczos approximation), so that results match to the last bit.
   Domain errors return NaN (math_1 turns that into "math domain error"). */
#define LANCZOS_N 13
static const double lanczos_g = 6.024680040776729583740234375;
static const double lanczos_g_minus_half = 5.524680040776729583740234375;
static const double lanczos_num_coeffs[LANCZOS_N] = {
    23531376880.410759688572007674451636754734846804940, 42919803642.649098768957899047001988850926355848959,
    35711959237.355668049440185451547166705960488635843, 17921034426.037209699919755754458931112671403265390,
    6039542586.3520280050642916443072979210699388420708, 1439720407.3117216736632230727949123939715485786772,
    248874557.86205415651146038641322942321632125127801, 31426415.585400194380614231628318205362874684987640,
    2876370.6289353724412254090516208496135991145378768, 186056.26539522349504029498971604569928220784236328,
    8071.6720023658162106380029022722506138218516325024, 210.82427775157934587250973392071336271166969580291,
    2.5066282746310002701649081771338373386264310793408};
static const double lanczos_den_coeffs[LANCZOS_N] = {
    0.0, 39916800.0, 120543840.0, 150917976.0, 105258076.0, 45995730.0,
    13339535.0, 2637558.0, 357423.0, 32670.0, 1925.0, 66.0, 1.0};
#define NGAMMA_INTEGRAL 23
static const double gamma_integral[NGAMMA_INTEGRAL] = {
    1.0, 1.0, 2.0, 6.0, 24.0, 120.0, 720.0, 5040.0, 40320.0, 362880.0, 3628800.0, 39916800.0,
    479001600.0, 6227020800.0, 87178291200.0, 1307674368000.0, 20922789888000.0,
    355687428096000.0, 6402373705728000.0, 121645100408832000.0, 2432902008176640000.0,
    51090942171709440000.0, 1124000727777607680000.0};
static const double pi = 3.141592653589793238462643383279502884197;
static const double logpi = 1.144729885849400174143427351353058711647;

static double lanczos_sum(double x) {
    double num = 0.0, den = 0.0;
    if (x < 5.0) {
        for (int i = LANCZOS_N; --i >= 0;) {
            num = num * x + lanczos_num_coeffs[i];
            den = den * x + lanczos_den_coeffs[i];
        }
    } else {
        for (int i = 0; i < LANCZOS_N; i++) {
            num = num / x + lanczos_num_coeffs[i];
            den = den / x + lanczos_den_coeffs[i];
        }
    }
    return num / den;
}

static double m_sinpi(double x) {
    double y = fmod(fabs(x), 2.0), r;
    int n = (int)round(2.0 * y);
    switch (n) {
    case 0: r = sin(pi * y); break;
    case 1: r = cos(pi * (y - 0.5)); break;
    case 2: r = sin(pi * (1.0 - y)); break;
    case 3: r = -cos(pi * (y - 1.5)); break;
    default: r = sin(pi * (y - 2.0)); break;
    }
    return copysign(1.0, x) * r;
}

static double c_tgamma(double x) {
    if (!isfinite(x)) return (isnan(x) || x > 0.0) ? x : NAN;
    if (x == 0.0) return NAN;
    if (x == floor(x)) {
        if (x < 0.0) return NAN;
        if (x <= NGAMMA_INTEGRAL) return gamma_integral[(int)x - 1];
    }
    double absx = fabs(x), r, z;
    if (absx < 1e-20) return 1.0 / x;
    if (absx > 200.0) return x < 0.0 ? 0.0 / m_sinpi(x) : HUGE_VAL;
    double y = absx + lanczos_g_minus_half;
    if (absx > lanczos_g_minus_half) { double q = y - absx; z = q - lanczos_g_minus_half; }
    else { double q = y - lanczos_g_minus_half; z = q - absx; }
    z = z * lanczos_g / y;
    if (x < 0.0) {
        r = -pi / m_sinpi(absx) / absx * exp(y) / lanczos_sum(absx);
        r -= z * r;
        if (absx < 140.0) r /= pow(y, absx - 0.5);
        else { double sp = pow(y, absx / 2.0 - 0.25); r /= sp; r /= sp; }
    } else {
        r = lanczos_sum(absx) / exp(y);
        r += z * r;
        if (absx < 140.0) r *= pow(y, absx - 0.5);
        else { double sp = pow(y, absx / 2.0 - 0.25); r *= sp; r *= sp; }
    }
    return r;
}

static double c_lgamma(double x) {
    if (!isfinite(x)) return isnan(x) ? x : HUGE_VAL;
    if (x == floor(x) && x <= 2.0) return x <= 0.0 ? NAN : 0.0;
    double absx = fabs(x);
    if (absx < 1e-20) return -log(absx);
    double r = log(lanczos_sum(absx)) - lanczos_g;
    r += (absx - 0.5) * (log(absx + lanczos_g - 0.5) - 1);
    if (x < 0.0) r = logpi - log(fabs(m_sinpi(absx))) - log(absx) - r;
    return r;
}
static double deg_of(double x) { return x * (180.0 / M_PI); }
static double rad_of(double x) { return x * (M_PI / 180.0); }

#define MATH1(name, fn, ovf)                                                                      \
    static Value m_##name(Thread *th, Value *args, int nargs, Value kwnames) {                    \
        return math_1(th, args, nargs, kwnames, #name, fn, ovf);                                  \
    }
MATH1(sqrt, sqrt, false)
MATH1(exp, exp, true)
MATH1(exp2, exp2, true)
MATH1(expm1, expm1, true)
MATH1(log1p, log1p, false)
MATH1(sin, sin, false)
MATH1(cos, cos, false)
MATH1(tan, tan, false)
MATH1(asin, asin, false)
MATH1(acos, acos, false)
MATH1(atan, atan, false)
MATH1(sinh, sinh, true)
MATH1(cosh, cosh, true)
MATH1(tanh, tanh, false)
MATH1(asinh, asinh, false)
MATH1(acosh, acosh, false)
MATH1(atanh, atanh, false)
MATH1(fabs, fabs, false)
MATH1(cbrt, cbrt, false)
MATH1(erf, erf, false)
MATH1(erfc, erfc, false)
MATH1(gamma, c_tgamma, true)
MATH1(lgamma, c_lgamma, true)

/* degrees / radians: plain multiplications, no range check (as CPython) */
static Value scale1(Thread *th, Value *args, int nargs, Value kwnames, const char *name, double (*fn)(double)) {
    ARGS(name, 1, 1);
    double x;
    if (vm_to_double(th, args[0], &x) < 0) return NULL;
    return vm_float_new(th, fn(x));
}
static Value m_degrees(Thread *th, Value *args, int nargs, Value kwnames) { return scale1(th, args, nargs, kwnames, "degrees", deg_of); }
static Value m_radians(Thread *th, Value *args, int nargs, Value kwnames) { return scale1(th, args, nargs, kwnames, "radians", rad_of); }

/* floor / ceil / trunc -> int */
static Value to_int_via(Thread *th, Value *args, int nargs, Value kwnames, const char *name,
                        const char *dunder, double (*fn)(double)) {
    ARGS(name, 1, 1);
    Value x = args[0];
    if (is_float(x)) return vm_int_from_double(th, fn(FLOAT_VAL(th, x)));
    if (is_intlike(x)) return vm__int_exact(th, x);
    Value m = vm_lookup_special(th, args[0], dunder);
    if (m) return vm_call1(th, m, args[0]);
    if (fn == trunc) {
        char tn[128];
        snprintf(tn, sizeof tn, "%s", vm_type_name(th, args[0]));
        return raisef(th, vm.e_TypeError, "type %s doesn't define __trunc__ method", tn);
    }
    double d;
    if (vm_to_double(th, args[0], &d) < 0) return NULL;
    return vm_int_from_double(th, fn(d));
}

static Value m_floor(Thread *th, Value *args, int nargs, Value kwnames) {
    return to_int_via(th, args, nargs, kwnames, "floor", "__floor__", floor);
}
static Value m_ceil(Thread *th, Value *args, int nargs, Value kwnames) {
    return to_int_via(th, args, nargs, kwnames, "ceil", "__ceil__", ceil);
}
static Value m_trunc(Thread *th, Value *args, int nargs, Value kwnames) {
    return to_int_via(th, args, nargs, kwnames, "trunc", "__trunc__", trunc);
}

/* ------------------------------------------------------------------------------------------ */
/* Logarithms (exact enough for huge ints: log(m * 2**e) = log(m) + e*log(2))                  */

/* 0 ok, -1 raised */
static int loghelper(Thread *th, Value x, double (*fn)(double), double *out) {
    if (is_intlike(x)) {
        if (vm__int_sign(th, x) <= 0) { domain_error(th); return -1; }
        bool ovf;
        double d = vm_int_to_double(th, x, &ovf);
        if (!ovf) { *out = fn(d); return 0; }
        int64_t e;
        double m = vm__int_frexp(th, x, &e);
        *out = fn(m) + fn(2.0) * (double)e;
        return 0;
    }
    double d;
    if (vm_to_double(th, x, &d) < 0) return -1;
    if (isnan(d) || (isinf(d) && d > 0)) { *out = d; return 0; }
    if (d <= 0) { domain_error(th); return -1; }
    *out = fn(d);
    return 0;
}

static Value m_log(Thread *th, Value *args, int nargs, Value kwnames) {
    ARGS("log", 1, 2);
    double num, den;
    if (loghelper(th, args[0], log, &num) < 0) return NULL;
    if (nargs == 1) return vm_float_new(th, num);
    if (loghelper(th, args[1], log, &den) < 0) return NULL;
    if (den == 0) return raisef(th, vm.e_ZeroDivisionError, "float division by zero");
    return vm_float_new(th, num / den);
}

static Value m_log2(Thread *th, Value *args, int nargs, Value kwnames) {
    ARGS("log2", 1, 1);
    double r;
    return loghelper(th, args[0], log2, &r) < 0 ? NULL : vm_float_new(th, r);
}

static Value m_log10(Thread *th, Value *args, int nargs, Value kwnames) {
    ARGS("log10", 1, 1);
    double r;
    return loghelper(th, args[0], log10, &r) < 0 ? NULL : vm_float_new(th, r);
}

/* ------------------------------------------------------------------------------------------ */
/* Functions of two floats                                                                     */

static int two_doubles(Thread *th, Value *args, double *x, double *y) {
    if (vm_to_double(th, args[0], x) < 0) return -1;
    return vm_to_double(th, args[1], y);
}

static Value m_pow(Thread *th, Value *args, int nargs, Value kwnames) {
    ARGS("pow", 2, 2);
    double x, y, r;
    if (two_doubles(th, args, &x, &y) < 0) return NULL;
    if (!isfinite(x) || !isfinite(y)) {
        if (isnan(x)) r = y == 0.0 ? 1.0 : x;
        else if (isnan(y)) r = x == 1.0 ? 1.0 : y;
        else if (isinf(x)) {
            bool odd_y = isfinite(y) && fmod(fabs(y), 2.0) == 1.0;
            if (y > 0.) r = odd_y ? x : fabs(x);
            else if (y == 0.) r = 1.;
            else r = odd_y ? copysign(0., x) : 0.;
        } else {
            if (fabs(x) == 1.0) r = 1.;
            else if (y > 0. && fabs(x) > 1.0) r = y;
            else if (y < 0. && fabs(x) < 1.0) r = -y;
            else r = 0.;
        }
        return vm_float_new(th, r);
    }
    r = pow(x, y);
    if (isnan(r)) return domain_error(th);
    if (isinf(r)) return x == 0. ? domain_error(th) : range_error(th);
    return vm_float_new(th, r);
}

static Value m_fmod(Thread *th, Value *args, int nargs, Value kwnames) {
    ARGS("fmod", 2, 2);
    double x, y;
    if (two_doubles(th, args, &x, &y) < 0) return NULL;
    if (isinf(y) && isfinite(x)) return vm_float_new(th, x);
    double r = fmod(x, y);
    if (isnan(r) && !isnan(x) && !isnan(y)) return domain_error(th);
    return vm_float_new(th, r);
}

static Value m_remainder(Thread *th, Value *args, int nargs, Value kwnames) {
    ARGS("remainder", 2, 2);
    double x, y;
    if (two_doubles(th, args, &x, &y) < 0) return NULL;
    if (isnan(x) || isnan(y)) return vm_float_new(th, isnan(x) ? x : y);
    if (isinf(x) || y == 0.0) return domain_error(th);
    return vm_float_new(th, remainder(x, y));
}

static Value m_copysign(Thread *th, Value *args, int nargs, Value kwnames) {
    ARGS("copysign", 2, 2);
    double x, y;
    if (two_doubles(th, args, &x, &y) < 0) return NULL;
    return vm_float_new(th, copysign(x, y));
}

static Value m_atan2(Thread *th, Value *args, int nargs, Value kwnames) {
    ARGS("atan2", 2, 2);
    double x, y;
    if (two_doubles(th, args, &x, &y) < 0) return NULL;
    return vm_float_new(th, atan2(x, y));
}

static Value m_nextafter(Thread *th, Value *args, int nargs, Value kwnames) {
    ARGS("nextafter", 2, 2);
    double x, y;
    if (two_doubles(th, args, &x, &y) < 0) return NULL;
    return vm_float_new(th, nextafter(x, y));
}

static Value m_ulp(Thread *th, Value *args, int nargs, Value kwnames) {
    ARGS("ulp", 1, 1);
    double x;
    if (vm_to_double(th, args[0], &x) < 0) return NULL;
    if (isnan(x)) return vm_float_new(th, x);
    x = fabs(x);
    if (isinf(x)) return vm_float_new(th, x);
    double x2 = nextafter(x, INFINITY);
    if (isinf(x2)) return vm_float_new(th, x - nextafter(x, -INFINITY));
    return vm_float_new(th, x2 - x);
}

/* CPython's vector_norm: accurate sqrt(sum(x*x)) of |coordinates| <= max. */
typedef struct { double hi, lo; } DL;
static DL dl_fast_sum(double a, double b) { double x = a + b, z = x - a; return (DL){x, b - z}; }
static DL dl_mul(double x, double y) { double z = x * y; return (DL){z, fma(x, y, -z)}; }

static double vector_norm(int64_t n, double *vec, double max, bool found_nan) {
    if (isinf(max)) return max;
    if (found_nan) return NAN;
    if (max == 0.0 || n <= 1) return max;
    int max_e;
    frexp(max, &max_e);
    if (max_e < -1023) {
        for (int64_t i = 0; i < n; i++) vec[i] /= DBL_MIN;
        return DBL_MIN * vector_norm(n, vec, max / DBL_MIN, found_nan);
    }
    double scale = ldexp(1.0, -max_e), csum = 1.0, frac1 = 0.0, frac2 = 0.0;
    for (int64_t i = 0; i < n; i++) {
        double x = vec[i] * scale;
        DL pr = dl_mul(x, x), sm = dl_fast_sum(csum, pr.hi);
        csum = sm.hi;
        frac1 += pr.lo;
        frac2 += sm.lo;
    }
    double h = sqrt(csum - 1.0 + (frac1 + frac2));
    DL pr = dl_mul(-h, h), sm = dl_fast_sum(csum, pr.hi);
    csum = sm.hi;
    frac1 += pr.lo;
    frac2 += sm.lo;
    double x = csum - 1.0 + (frac1 + frac2);
    h += x / (2.0 * h);
    return h / scale;
}

static Value m_hypot(Thread *th, Value *args, int nargs, Value kwnames) {
    ARGS("hypot", 0, 1 << 20);
    double *vec = malloc(((size_t)nargs + 1) * sizeof *vec), max = 0.0;
    if (!vec) return vm_no_memory(th);
    bool found_nan = false;
    for (int i = 0; i < nargs; i++) {
        double x;
        if (vm_to_double(th, args[i], &x) < 0) { free(vec); return NULL; }
        x = fabs(x);
        vec[i] = x;
        found_nan |= isnan(x);
        if (x > max) max = x;
    }
    double r = vector_norm(nargs, vec, max, found_nan);
    free(vec);
    return vm_float_new(th, r);
}

/* math.dist(p, q): the Euclidean distance of two points of the same dimension (vector_norm, as hypot). */
static Value m_dist(Thread *th, Value *args, int nargs, Value kwnames) {
    if (kwnames && vm_tid(kwnames) == T_TUPLE && TUP(th, kwnames)->n)
        return raisef(th, vm.e_TypeError, "math.dist() takes no keyword arguments");
    if (nargs != 2) return raisef(th, vm.e_TypeError, "dist expected 2 arguments, got %d", nargs);
    size_t mark = ROOTS_MARK(th);
    Value *pp = ROOT(th, args[0]), *pq = ROOT(th, args[1]);
    Value res = NULL;
    double *diffs = NULL;
    for (int k = 0; k < 2; k++) {
        Value *slot = k ? pq : pp;
        if (vm_tid(*slot) != T_TUPLE) {
            Value t = vm_sequence_tuple(th, *slot);
            if (!t) goto out;
            *slot = t;
        }
    }
    int64_t m = TUP(th, *pp)->n, n = TUP(th, *pq)->n;
    if (m != n) { raisef(th, vm.e_ValueError, "both points must have the same number of dimensions"); goto out; }
    diffs = malloc(((size_t)n + 1) * sizeof *diffs);
    if (!diffs) { vm_no_memory(th); goto out; }
    double max = 0.0;
    bool found_nan = false;
    for (int64_t i = 0; i < n; i++) {
        double px, qx;
        /* items are re-read each time: a __float__ may run Python code (a moving point) */
        if (vm_to_double(th, TUP(th, *pp)->items[i], &px) < 0) goto out;
        if (vm_to_double(th, TUP(th, *pq)->items[i], &qx) < 0) goto out;
        double x = fabs(px - qx);
        diffs[i] = x;
        found_nan |= isnan(x);
        if (x > max) max = x;
    }
    res = vm_float_new(th, vector_norm(n, diffs, max, found_nan));
out:
    free(diffs);
    ROOTS_RESET(th, mark);
    return res;
}

static Value m_ldexp(Thread *th, Value *args, int nargs, Value kwnames) {
    ARGS("ldexp", 2, 2);
    double x;
    if (vm_to_double(th, args[0], &x) < 0) return NULL;
    if (!is_intlike(args[1])) return raisef(th, vm.e_TypeError, "Expected an int as second argument to ldexp.");
    int64_t e;
    if (vm_int_to_i64(th, args[1], &e) < 0) {
        vm_exc_clear(th);
        e = vm__int_sign(th, args[1]) > 0 ? INT64_MAX : INT64_MIN;
    }
    if (x == 0. || !isfinite(x)) return vm_float_new(th, x);
    if (e > 100000) return range_error(th);
    if (e < -100000) return vm_float_new(th, copysign(0., x));
    double r = ldexp(x, (int)e);
    if (isinf(r)) return range_error(th);
    return vm_float_new(th, r);
}

/* (a, b) with both rooted across the allocations. */
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

static Value float_pair(Thread *th, double a, double b) {
    Value x = vm_float_new(th, a);
    if (!x) return NULL;
    Value *px = ROOT(th, x);
    Value y = vm_float_new(th, b);
    Value r = y ? pair(th, *px, y) : NULL;
    UNROOT(th, 1);
    return r;
}

static Value m_frexp(Thread *th, Value *args, int nargs, Value kwnames) {
    ARGS("frexp", 1, 1);
    double x;
    if (vm_to_double(th, args[0], &x) < 0) return NULL;
    int e = 0;
    if (isfinite(x) && x != 0.0) x = frexp(x, &e);
    Value m = vm_float_new(th, x);
    return m ? pair(th, m, MK_SMALL(e)) : NULL;
}

static Value m_modf(Thread *th, Value *args, int nargs, Value kwnames) {
    ARGS("modf", 1, 1);
    double x, ip;
    if (vm_to_double(th, args[0], &x) < 0) return NULL;
    if (isinf(x)) return float_pair(th, copysign(0., x), x);
    if (isnan(x)) return float_pair(th, x, x);
    double fp = modf(x, &ip);
    return float_pair(th, fp, ip);
}

static Value m_isfinite(Thread *th, Value *args, int nargs, Value kwnames) {
    ARGS("isfinite", 1, 1);
    double x;
    if (vm_to_double(th, args[0], &x) < 0) return NULL;
    return isfinite(x) ? vm.True : vm.False;
}

static Value m_isinf(Thread *th, Value *args, int nargs, Value kwnames) {
    ARGS("isinf", 1, 1);
    double x;
    if (vm_to_double(th, args[0], &x) < 0) return NULL;
    return isinf(x) ? vm.True : vm.False;
}

static Value m_isnan(Thread *th, Value *args, int nargs, Value kwnames) {
    ARGS("isnan", 1, 1);
    double x;
    if (vm_to_double(th, args[0], &x) < 0) return NULL;
    return isnan(x) ? vm.True : vm.False;
}

static Value m_isclose(Thread *th, Value *args, int nargs, Value kwnames) {
    static const char *const names[] = {"a", "b", "rel_tol", "abs_tol", NULL};
    Value a[4];
    if (vm_parse_args(th, "isclose", args, nargs, kwnames, names, 2, a) < 0) return NULL;
    Value *pa = ROOT(th, a[0]), *pb = ROOT(th, a[1]), *pr = ROOT(th, a[2]), *pt = ROOT(th, a[3]);
    double x, y, rel = 1e-09, abst = 0.0;
    Value res = NULL;
    if (vm_to_double(th, *pa, &x) < 0 || vm_to_double(th, *pb, &y) < 0) goto out;
    if (*pr && vm_to_double(th, *pr, &rel) < 0) goto out;
    if (*pt && vm_to_double(th, *pt, &abst) < 0) goto out;
    if (rel < 0.0 || abst < 0.0) { raisef(th, vm.e_ValueError, "tolerances must be non-negative"); goto out; }
    if (x == y) { res = vm.True; goto out; }
    if (isinf(x) || isinf(y)) { res = vm.False; goto out; }
    double diff = fabs(y - x);
    res = (diff <= fabs(rel * y) || diff <= fabs(rel * x) || diff <= abst) ? vm.True : vm.False;
out:
    UNROOT(th, 4);
    return res;
}

/* ------------------------------------------------------------------------------------------ */
/* Integer functions                                                                           */

static Value m_isqrt(Thread *th, Value *args, int nargs, Value kwnames) {
    ARGS("isqrt", 1, 1);
    Value n = index_value(th, args[0]);
    return n ? vm__int_isqrt(th, n) : NULL;
}

static Value m_factorial(Thread *th, Value *args, int nargs, Value kwnames) {
    ARGS("factorial", 1, 1);
    Value n = index_value(th, args[0]);
    if (!n) return NULL;
    if (vm__int_sign(th, n) < 0) return raisef(th, vm.e_ValueError, "factorial() not defined for negative values");
    int64_t v;
    if (vm_int_to_i64(th, n, &v) < 0) {
        vm_exc_clear(th);
        return raisef(th, vm.e_OverflowError, "factorial() argument should not exceed %lld", (long long)INT64_MAX);
    }
    return vm__int_factorial(th, (uint64_t)v);
}

/* gcd / lcm over all arguments */
static Value gcd_lcm(Thread *th, Value *args, int nargs, Value kwnames, bool lcm) {
    ARGS(lcm ? "lcm" : "gcd", 0, 1 << 20);
    size_t mark = ROOTS_MARK(th);
    Value *acc = ROOT(th, MK_SMALL(lcm ? 1 : 0)), *x = ROOT(th, NULL), *g = ROOT(th, NULL);
    Value res = NULL;
    for (int i = 0; i < nargs; i++) {
        if (!(*x = index_value(th, args[i]))) goto out;
        if (!lcm) {
            if (!(*acc = vm__int_gcd(th, *acc, *x))) goto out;
            continue;
        }
        if (vm__int_sign(th, *acc) == 0 || vm__int_sign(th, *x) == 0) { *acc = MK_SMALL(0); continue; }
        if (!(*g = vm__int_gcd(th, *acc, *x))) goto out;
        if (!(*g = vm_int_binop(th, BINOP_FLOORDIV, *acc, *g))) goto out;
        if (!(*acc = vm_int_binop(th, BINOP_MUL, *g, *x))) goto out;
        if (vm__int_sign(th, *acc) < 0 && !(*acc = vm_int_unary(th, '-', *acc))) goto out;
    }
    if (nargs == 1 && vm__int_sign(th, *acc) < 0 && !(*acc = vm_int_unary(th, '-', *acc))) goto out;
    res = *acc;
out:
    ROOTS_RESET(th, mark);
    return res;
}

static Value m_gcd(Thread *th, Value *args, int nargs, Value kwnames) { return gcd_lcm(th, args, nargs, kwnames, false); }
static Value m_lcm(Thread *th, Value *args, int nargs, Value kwnames) { return gcd_lcm(th, args, nargs, kwnames, true); }

/* comb(n, k) when comb, else perm(n, k): product of k terms (n-k+1 .. n) [divided by k!] */
static Value comb_perm(Thread *th, Value *args, int nargs, Value kwnames, bool comb) {
    const char *name = comb ? "comb" : "perm";
    ARGS(name, comb ? 2 : 1, 2);
    size_t mark = ROOTS_MARK(th);
    Value *n = ROOT(th, NULL), *k = ROOT(th, NULL), *acc = ROOT(th, MK_SMALL(1)), *t = ROOT(th, NULL);
    Value res = NULL;
    if (!(*n = index_value(th, args[0])) || !(*k = index_value(th, args[1]))) goto out;
    if (vm__int_sign(th, *n) < 0) { raisef(th, vm.e_ValueError, "n must be a non-negative integer"); goto out; }
    if (vm__int_sign(th, *k) < 0) { raisef(th, vm.e_ValueError, "k must be a non-negative integer"); goto out; }
    if (vm_int_cmp(th, *k, *n) > 0) { res = MK_SMALL(0); goto out; }
    if (comb) {
        if (!(*t = vm_int_binop(th, BINOP_SUB, *n, *k))) goto out;
        if (vm_int_cmp(th, *t, *k) < 0) *k = *t;
    }
    int64_t kk;
    if (vm_int_to_i64(th, *k, &kk) < 0) {
        vm_exc_clear(th);
        raisef(th, vm.e_OverflowError, comb ? "min(n - k, k) must not exceed %lld" : "k must not exceed %lld",
               (long long)INT64_MAX);
        goto out;
    }
    if (!(*n = vm_int_binop(th, BINOP_SUB, *n, *k))) goto out;     /* n - k */
    for (int64_t i = 1; i <= kk; i++) {
        if (!(*t = vm_int_binop(th, BINOP_ADD, *n, MK_SMALL(i)))) goto out;
        if (!(*acc = vm_int_binop(th, BINOP_MUL, *acc, *t))) goto out;
        if (comb && !(*acc = vm_int_binop(th, BINOP_FLOORDIV, *acc, MK_SMALL(i)))) goto out;
    }
    res = *acc;
out:
    ROOTS_RESET(th, mark);
    return res;
}

static Value m_comb(Thread *th, Value *args, int nargs, Value kwnames) { return comb_perm(th, args, nargs, kwnames, true); }

static Value m_perm(Thread *th, Value *args, int nargs, Value kwnames) {
    ARGS("perm", 1, 2);
    if (nargs == 1 || args[1] == vm.None) {
        Value n = index_value(th, args[0]);
        if (!n) return NULL;
        if (vm__int_sign(th, n) < 0) return raisef(th, vm.e_ValueError, "n must be a non-negative integer");
        return m_factorial(th, &args[0], 1, NULL);
    }
    return comb_perm(th, args, nargs, kwnames, false);
}

/* ------------------------------------------------------------------------------------------ */
/* prod, fsum                                                                                  */

static Value m_prod(Thread *th, Value *args, int nargs, Value kwnames) {
    static const char *const names[] = {"iterable", "start", NULL};
    Value a[2];
    if (vm_parse_args(th, "prod", args, nargs, kwnames, names, 1, a) < 0) return NULL;
    size_t mark = ROOTS_MARK(th);
    Value *acc = ROOT(th, a[1] ? a[1] : MK_SMALL(1)), *it = ROOT(th, vm_iter(th, a[0])), *x = ROOT(th, NULL);
    Value res = NULL;
    if (!*it) goto out;
    for (;;) {
        if (!(*x = vm_next(th, *it))) {
            if (*th->exc) goto out;
            break;
        }
        if (!(*acc = vm_binop(th, BINOP_MUL, *acc, *x))) goto out;
    }
    res = *acc;
out:
    ROOTS_RESET(th, mark);
    return res;
}

/* Shewchuk's exact summation, as CPython's math.fsum. */
static Value m_fsum(Thread *th, Value *args, int nargs, Value kwnames) {
    ARGS("fsum", 1, 1);
    size_t mark = ROOTS_MARK(th);
    Value *it = ROOT(th, vm_iter(th, args[0])), *item = ROOT(th, NULL);
    Value res = NULL;
    size_t m = 32, n = 0;
    double *p = malloc(m * sizeof *p), special_sum = 0.0, inf_sum = 0.0, hi = 0.0, lo = 0.0;
    if (!p) { vm_no_memory(th); goto out; }
    if (!*it) goto out;
    for (;;) {
        if (!(*item = vm_next(th, *it))) {
            if (*th->exc) goto out;
            break;
        }
        double x, y, t, xsave;
        if (vm_to_double(th, *item, &x) < 0) goto out;
        xsave = x;
        size_t i = 0;
        for (size_t j = 0; j < n; j++) {
            y = p[j];
            if (fabs(x) < fabs(y)) { t = x; x = y; y = t; }
            hi = x + y;
            lo = y - (hi - x);
            if (lo != 0.0) p[i++] = lo;
            x = hi;
        }
        n = i;
        if (x != 0.0) {
            if (!isfinite(x)) {
                if (isfinite(xsave)) { raisef(th, vm.e_OverflowError, "intermediate overflow in fsum"); goto out; }
                if (isinf(xsave)) inf_sum += xsave;
                special_sum += xsave;
                n = 0;
            } else {
                if (n >= m) {
                    double *q = realloc(p, 2 * m * sizeof *p);
                    if (!q) { vm_no_memory(th); goto out; }
                    p = q;
                    m *= 2;
                }
                p[n++] = x;
            }
        }
    }
    if (special_sum != 0.0) {
        if (isnan(inf_sum)) raisef(th, vm.e_ValueError, "-inf + inf in fsum");
        else res = vm_float_new(th, special_sum);
        goto out;
    }
    hi = 0.0;
    if (n > 0) {
        hi = p[--n];
        while (n > 0) {
            double x = hi, y = p[--n];
            hi = x + y;
            lo = y - (hi - x);
            if (lo != 0.0) break;
        }
        if (n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0))) {
            double y = lo * 2.0, x = hi + y;
            if (y == x - hi) hi = x;
        }
    }
    res = vm_float_new(th, hi);
out:
    free(p);
    ROOTS_RESET(th, mark);
    return res;
}

/* ------------------------------------------------------------------------------------------ */

static const vm_method math_functions[] = {
    {"sqrt", m_sqrt, 0}, {"exp", m_exp, 0}, {"exp2", m_exp2, 0}, {"expm1", m_expm1, 0},
    {"log", m_log, 0}, {"log2", m_log2, 0}, {"log10", m_log10, 0}, {"log1p", m_log1p, 0},
    {"sin", m_sin, 0}, {"cos", m_cos, 0}, {"tan", m_tan, 0},
    {"asin", m_asin, 0}, {"acos", m_acos, 0}, {"atan", m_atan, 0}, {"atan2", m_atan2, 0},
    {"sinh", m_sinh, 0}, {"cosh", m_cosh, 0}, {"tanh", m_tanh, 0},
    {"asinh", m_asinh, 0}, {"acosh", m_acosh, 0}, {"atanh", m_atanh, 0},
    {"fabs", m_fabs, 0}, {"cbrt", m_cbrt, 0}, {"erf", m_erf, 0}, {"erfc", m_erfc, 0},
    {"gamma", m_gamma, 0}, {"lgamma", m_lgamma, 0},
    {"degrees", m_degrees, 0}, {"radians", m_radians, 0},
    {"floor", m_floor, 0}, {"ceil", m_ceil, 0}, {"trunc", m_trunc, 0},
    {"pow", m_pow, 0}, {"fmod", m_fmod, 0}, {"remainder", m_remainder, 0},
    {"copysign", m_copysign, 0}, {"hypot", m_hypot, 0}, {"dist", m_dist, 0},
    {"nextafter", m_nextafter, 0}, {"ulp", m_ulp, 0},
    {"ldexp", m_ldexp, 0}, {"frexp", m_frexp, 0}, {"modf", m_modf, 0},
    {"isfinite", m_isfinite, 0}, {"isinf", m_isinf, 0}, {"isnan", m_isnan, 0},
    {"isclose", m_isclose, 0},
    {"isqrt", m_isqrt, 0}, {"factorial", m_factorial, 0},
    {"gcd", m_gcd, 0}, {"lcm", m_lcm, 0}, {"comb", m_comb, 0}, {"perm", m_perm, 0},
    {"prod", m_prod, 0}, {"fsum", m_fsum, 0},
    {NULL, NULL, 0}
};

void mod_math_init(Thread *th) {
    Value m = vm_make_module(th, "math", math_functions);
    if (!m) return;
    Value *pm = ROOT(th, m);
    static const struct { const char *name; double v; } consts[] = {
        {"pi", M_PI}, {"e", M_E}, {"tau", 2 * M_PI}, {"inf", INFINITY}, {"nan", NAN},
    };
    for (size_t i = 0; i < sizeof consts / sizeof consts[0]; i++) {
        Value f = vm_float_new(th, consts[i].v);
        if (!f || vm_module_set(th, *pm, consts[i].name, f) < 0) break;
    }
    UNROOT(th, 1);
}
