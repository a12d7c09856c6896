/* mod_time.c — module `time` (CPython 3.11 subset).
 *
 *   time(), time_ns()                   wall clock (CLOCK_REALTIME)
 *   perf_counter(), perf_counter_ns()   CLOCK_MONOTONIC, as CPython on Linux
 *   monotonic(), monotonic_ns()
 *   process_time(), process_time_ns()   CLOCK_PROCESS_CPUTIME_ID
 *   sleep(secs)                         waits outside any transaction (vm_sleep)
 *   gmtime([secs]), localtime([secs])   -> 9-tuple (year, mon, mday, hour, min, sec, wday
 *                                          with Monday = 0, yday from 1, isdst): a plain tuple,
 *                                          not a struct_time (no tm_* attributes)
 *   mktime(tuple) -> float,  strftime(format[, tuple]) -> str,  ctime([secs]) -> str
 */
#include "vm.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------------------------------ */
/* Clocks                                                                                      */

static Value clock_float(Thread *th, const char *fname, clockid_t id, int nargs, Value kwnames) {
    if (vm_arg_count(th, fname, nargs, kwnames, 0, 0) < 0) return NULL;
    struct timespec ts;
    clock_gettime(id, &ts);
    return vm_float_new(th, (double)ts.tv_sec + ts.tv_nsec * 1e-9);
}

static Value clock_ns(Thread *th, const char *fname, clockid_t id, int nargs, Value kwnames) {
    if (vm_arg_count(th, fname, nargs, kwnames, 0, 0) < 0) return NULL;
    struct timespec ts;
    clock_gettime(id, &ts);
    return vm_int_from_i64(th, (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec);
}

static Value t_time(Thread *th, Value *args, int nargs, Value kwnames) {
    return clock_float(th, "time", CLOCK_REALTIME, nargs, kwnames);
}
static Value t_time_ns(Thread *th, Value *args, int nargs, Value kwnames) {
    return clock_ns(th, "time_ns", CLOCK_REALTIME, nargs, kwnames);
}
static Value t_perf_counter(Thread *th, Value *args, int nargs, Value kwnames) {
    return clock_float(th, "perf_counter", CLOCK_MONOTONIC, nargs, kwnames);
}
static Value t_perf_counter_ns(Thread *th, Value *args, int nargs, Value kwnames) {
    return clock_ns(th, "perf_counter_ns", CLOCK_MONOTONIC, nargs, kwnames);
}
static Value t_monotonic(Thread *th, Value *args, int nargs, Value kwnames) {
    return clock_float(th, "monotonic", CLOCK_MONOTONIC, nargs, kwnames);
}
static Value t_monotonic_ns(Thread *th, Value *args, int nargs, Value kwnames) {
    return clock_ns(th, "monotonic_ns", CLOCK_MONOTONIC, nargs, kwnames);
}
static Value t_process_time(Thread *th, Value *args, int nargs, Value kwnames) {
    return clock_float(th, "process_time", CLOCK_PROCESS_CPUTIME_ID, nargs, kwnames);
}
static Value t_process_time_ns(Thread *th, Value *args, int nargs, Value kwnames) {
    return clock_ns(th, "process_time_ns", CLOCK_PROCESS_CPUTIME_ID, nargs, kwnames);
}

static Value t_sleep(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "sleep", nargs, kwnames, 1, 1) < 0) return NULL;
    double secs;
    if (vm_to_double(th, args[0], &secs) < 0) return NULL;
    if (isnan(secs)) return vm_raise(th, vm.e_ValueError, "Invalid value NaN (not a number)");
    if (secs < 0) return vm_raise(th, vm.e_ValueError, "sleep length must be non-negative");
    if (secs > 1e15) return vm_raise(th, vm.e_OverflowError, "sleep length is too large");
    return vm_sleep(th, secs) < 0 ? NULL : vm.None;
}

/* ------------------------------------------------------------------------------------------ */
/* Broken-down time                                                                            */

/* secs argument: absent or None = now. */
static int secs_arg(Thread *th, int nargs, Value *args, time_t *out) {
    if (nargs == 0 || args[0] == vm.None) { *out = time(NULL); return 0; }
    double d;
    if (vm_to_double(th, args[0], &d) < 0) return -1;
    if (!isfinite(d) || d < -67768040609740800.0 || d > 67768036191676799.0) {
        vm_raise(th, isnan(d) ? vm.e_ValueError : vm.e_OverflowError,
                 "timestamp out of range for platform time_t");
        return -1;
    }
    *out = (time_t)d;     /* rounded toward -inf, like CPython (_PyTime_ROUND_FLOOR) */
    if ((double)*out > d) (*out)--;
    return 0;
}

static Value tm_tuple(Thread *th, const struct tm *tm) {
    Value items[9] = {
        MK_SMALL(tm->tm_year + 1900LL), MK_SMALL(tm->tm_mon + 1), MK_SMALL(tm->tm_mday),
        MK_SMALL(tm->tm_hour), MK_SMALL(tm->tm_min), MK_SMALL(tm->tm_sec),
        MK_SMALL((tm->tm_wday + 6) % 7), MK_SMALL(tm->tm_yday + 1), MK_SMALL(tm->tm_isdst),
    };
    return vm_tuple_from(th, items, 9);   /* small ints only: nothing to root */
}

static Value t_gmtime(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "gmtime", nargs, kwnames, 0, 1) < 0) return NULL;
    time_t t;
    if (secs_arg(th, nargs, args, &t) < 0) return NULL;
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL) return vm_raise(th, vm.e_OverflowError, "timestamp out of range");
    return tm_tuple(th, &tm);
}

static Value t_localtime(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "localtime", nargs, kwnames, 0, 1) < 0) return NULL;
    time_t t;
    if (secs_arg(th, nargs, args, &t) < 0) return NULL;
    struct tm tm;
    if (localtime_r(&t, &tm) == NULL) return vm_raise(th, vm.e_OverflowError, "timestamp out of range");
    return tm_tuple(th, &tm);
}

/* A 9-sequence (as returned by gmtime/localtime) to struct tm. */
static int tuple_tm(Thread *th, const char *fname, Value seq, struct tm *tm) {
    Value t = vm_sequence_tuple(th, seq);
    if (t == NULL) return -1;
    if (TUP(th, t)->n != 9) {
        vm_raise(th, vm.e_TypeError, "%s(): illegal time tuple argument", fname);
        return -1;
    }
    int64_t f[9];
    for (int i = 0; i < 9; i++) {
        Value v = TUP(th, t)->items[i];
        if (!vm_is_int(v)) {
            vm_raise(th, vm.e_TypeError, "'%s' object cannot be interpreted as an integer",
                     vm_type_name(th, v));
            return -1;
        }
        if (vm_int_to_i64(th, v, &f[i]) < 0) return -1;
        if (f[i] < -2147483647LL || f[i] > 2147483647LL) {
            vm_raise(th, vm.e_OverflowError, "Python int too large to convert to C int");
            return -1;
        }
    }
    memset(tm, 0, sizeof *tm);
    tm->tm_year = (int)(f[0] - 1900);
    tm->tm_mon = (int)f[1] - 1;
    tm->tm_mday = (int)f[2];
    tm->tm_hour = (int)f[3];
    tm->tm_min = (int)f[4];
    tm->tm_sec = (int)f[5];
    tm->tm_wday = (int)((f[6] + 1) % 7);
    tm->tm_yday = (int)f[7] - 1;
    tm->tm_isdst = (int)f[8];
    return 0;
}

static Value t_mktime(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "mktime", nargs, kwnames, 1, 1) < 0) return NULL;
    struct tm tm;
    if (tuple_tm(th, "mktime", args[0], &tm) < 0) return NULL;
    tm.tm_wday = -1;
    time_t t = mktime(&tm);
    if (t == (time_t)-1 && tm.tm_wday == -1)
        return vm_raise(th, vm.e_OverflowError, "mktime argument out of range");
    return vm_float_new(th, (double)t);
}

static Value format_tm(Thread *th, const char *fmt, const struct tm *tm) {
    if (fmt[0] == '\0') return vm_str_cstr(th, "");
    size_t cap = 256;
    for (;;) {
        char *buf = malloc(cap);
        if (buf == NULL) return vm_no_memory(th);
        size_t n = strftime(buf, cap, fmt, tm);
        if (n > 0 || cap > 256 * strlen(fmt) + 4096) {
            Value s = vm_str_new(th, buf, n);
            free(buf);
            return s;
        }
        free(buf);
        cap *= 4;
    }
}

static Value t_strftime(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "strftime", nargs, kwnames, 1, 2) < 0) return NULL;
    if (IS_SMALL(args[0]) || vm_tid(args[0]) != T_STR)
        return vm_raise(th, vm.e_TypeError, "strftime() argument 1 must be str, not %s",
                        vm_type_name(th, args[0]));
    struct tm tm;
    if (nargs > 1) {
        if (tuple_tm(th, "strftime", args[1], &tm) < 0) return NULL;
        /* like CPython's checktm: 0 for month/mday/yday means the first one */
        if (tm.tm_mon == -1) tm.tm_mon = 0;
        if (tm.tm_mday == 0) tm.tm_mday = 1;
        if (tm.tm_yday == -1) tm.tm_yday = 0;
        if (tm.tm_mon < 0 || tm.tm_mon > 11)
            return vm_raise(th, vm.e_ValueError, "month out of range");
        if (tm.tm_mday < 0 || tm.tm_mday > 31)
            return vm_raise(th, vm.e_ValueError, "day of month out of range");
        if (tm.tm_hour < 0 || tm.tm_hour > 23) return vm_raise(th, vm.e_ValueError, "hour out of range");
        if (tm.tm_min < 0 || tm.tm_min > 59) return vm_raise(th, vm.e_ValueError, "minute out of range");
        if (tm.tm_sec < 0 || tm.tm_sec > 61) return vm_raise(th, vm.e_ValueError, "seconds out of range");
        if (tm.tm_wday < 0) return vm_raise(th, vm.e_ValueError, "day of week out of range");
        if (tm.tm_yday < 0 || tm.tm_yday > 365)
            return vm_raise(th, vm.e_ValueError, "day of year out of range");
    } else {
        time_t now = time(NULL);
        localtime_r(&now, &tm);
    }
    return format_tm(th, STR(th, args[0])->data, &tm);
}

static Value t_ctime(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "ctime", nargs, kwnames, 0, 1) < 0) return NULL;
    time_t t;
    if (secs_arg(th, nargs, args, &t) < 0) return NULL;
    struct tm tm;
    if (localtime_r(&t, &tm) == NULL) return vm_raise(th, vm.e_OverflowError, "timestamp out of range");
    return format_tm(th, "%a %b %e %H:%M:%S %Y", &tm);
}

static const vm_method time_functions[] = {
    {"time", t_time, 0},
    {"time_ns", t_time_ns, 0},
    {"perf_counter", t_perf_counter, 0},
    {"perf_counter_ns", t_perf_counter_ns, 0},
    {"monotonic", t_monotonic, 0},
    {"monotonic_ns", t_monotonic_ns, 0},
    {"process_time", t_process_time, 0},
    {"process_time_ns", t_process_time_ns, 0},
    {"sleep", t_sleep, 0},
    {"gmtime", t_gmtime, 0},
    {"localtime", t_localtime, 0},
    {"mktime", t_mktime, 0},
    {"strftime", t_strftime, 0},
    {"ctime", t_ctime, 0},
    {NULL, NULL, 0},
};

void mod_time_init(Thread *th) {
    vm_make_module(th, "time", time_functions);
}
