/* mod_sys.c — the sys module. */
#include "internal.h"

#include <string.h>

static Value sys_exit(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "exit", nargs, kwnames, 0, 1) < 0) return NULL;
    return vm_raise_value(th, vm.e_SystemExit, nargs ? args[0] : NULL);
}
static Value sys_getrecursionlimit(Thread *th, Value *args, int nargs, Value kwnames) {
    return MK_SMALL(th->recursion_limit);
}
static Value sys_setrecursionlimit(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "setrecursionlimit", nargs, kwnames, 1, 1) < 0) return NULL;
    int64_t n;
    if (vm_index(th, args[0], &n) < 0) return NULL;
    if (n < 1) return vm_raise(th, vm.e_ValueError, "recursion limit must be greater or equal than 1");
    if (n <= th->depth) return vm_raise(th, vm.e_RecursionError, "cannot set the recursion limit to %d at the recursion depth %d: the limit is too low", (int)n, th->depth);
    th->recursion_limit = n > 100000 ? 100000 : (int)n;
    return vm.None;
}
/* The switch interval sets the transaction length: one tick is one safe point (a loop
   iteration), and the interpreter runs roughly 4 million of them a second, so CPython's default
   0.005 s is about 20000 ticks.  Until it is set, the length adapts (see stm.h). */
#define TICKS_PER_SECOND 4e6
static unsigned long switch_interval_us = 5000;      /* kept in microseconds, as CPython */
static Value sys_getswitchinterval(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "getswitchinterval", nargs, kwnames, 0, 0) < 0) return NULL;
    return vm_float_new(th, 1e-6 * (double)switch_interval_us);
}
static Value sys_setswitchinterval(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "setswitchinterval", nargs, kwnames, 1, 1) < 0) return NULL;
    double s;
    if (vm_to_double(th, args[0], &s) < 0) return NULL;
    if (!(s > 0)) return vm_raise(th, vm.e_ValueError, "switch interval must be strictly positive");
    switch_interval_us = s * 1e6 > 4e18 ? 4000000000000000000UL : (unsigned long)(1e6 * s);
    double ticks = s * TICKS_PER_SECOND;
    stm_set_transaction_length(ticks < 64 ? 64 : ticks > 2e9 ? 2000000000u : (unsigned)ticks);
    return vm.None;
}
static Value sys_exc_info(Thread *th, Value *args, int nargs, Value kwnames) {
    Value e = *th->handled;
    if (!e) return vm_tuple_pack(th, 3, vm.None, vm.None, vm.None);
    Value *pe = ROOT(th, e);
    Value r = vm_tuple_pack(th, 3, vm_type_of(th, e), *pe, vm.None);
    UNROOT(th, 1);
    return r;
}
static Value sys_intern(Thread *th, Value *args, int nargs, Value kwnames) { return args[0]; }

static const vm_method sys_functions[] = {
    {"exit", sys_exit, 0}, {"getrecursionlimit", sys_getrecursionlimit, 0},
    {"setrecursionlimit", sys_setrecursionlimit, 0}, {"exc_info", sys_exc_info, 0},
    {"intern", sys_intern, 0}, {"getswitchinterval", sys_getswitchinterval, 0},
    {"setswitchinterval", sys_setswitchinterval, 0}, {NULL, NULL, 0}};

void mod_sys_init(Thread *th, int argc, char **argv) {
    Value m = vm_make_module(th, "sys", sys_functions);
    if (!m) return;
    vm.sys = m;
    Value l = vm_list_new(th, 0);
    vm.argv = l;
    for (int i = 0; i < argc; i++) { Value a = vm_str_cstr(th, argv[i]); vm_list_append(th, vm.argv, a); }
    vm_module_set(th, vm.sys, "argv", vm.argv);
    vm.path = vm_list_new(th, 0);
    vm_module_set(th, vm.sys, "path", vm.path);
    vm_module_set(th, vm.sys, "modules", vm.modules);
    { Value v_ = vm_file_std(th, 0); vm_module_set(th, vm.sys, "stdin", v_); }
    { Value v_ = vm_file_std(th, 1); vm_module_set(th, vm.sys, "stdout", v_); }
    { Value v_ = vm_file_std(th, 2); vm_module_set(th, vm.sys, "stderr", v_); }
    vm_module_set(th, vm.sys, "__stdout__", R(th, vm.sys, ModuleObj)->dict ? vm_file_std(th, 1) : vm.None);
    { Value v_ = vm_int_from_i64(th, INT64_MAX); vm_module_set(th, vm.sys, "maxsize", v_); }
    { Value v_ = vm_str_cstr(th, "little"); vm_module_set(th, vm.sys, "byteorder", v_); }
    { Value v_ = vm_str_cstr(th, "linux"); vm_module_set(th, vm.sys, "platform", v_); }
    { Value v_ = vm_str_cstr(th, "3.11.0 (stmvm 0.1)"); vm_module_set(th, vm.sys, "version", v_); }
    { Value v_ = vm_tuple_pack(th, 5, MK_SMALL(3), MK_SMALL(11), MK_SMALL(0), vm_str_cstr(th, "final"), MK_SMALL(0)); vm_module_set(th, vm.sys, "version_info", v_); }
    { Value v_ = vm_str_cstr(th, argc > 0 ? "stmvm" : ""); vm_module_set(th, vm.sys, "executable", v_); }
    Value impl = vm_make_module(th, "_stmvm_implementation", NULL);
    if (impl) {
        Value *pi = ROOT(th, impl);
        { Value v_ = vm_str_cstr(th, "stmvm"); vm_module_set(th, *pi, "name", v_); }
        { Value v_ = vm_tuple_pack(th, 3, MK_SMALL(0), MK_SMALL(1), MK_SMALL(0)); vm_module_set(th, *pi, "version", v_); }
        vm_module_set(th, vm.sys, "implementation", *pi);
        UNROOT(th, 1);
    }
}
