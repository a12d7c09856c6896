/* obj_exc.c — BaseException's methods: args, str/repr, attributes of common exceptions. */
#include "internal.h"

#include <string.h>

static Value exc_dict(Thread *th, Value self) { return R(th, self, InstanceObj)->dict; }
static Value exc_str(Thread *th, Value *args, int nargs, Value kwnames);

static Value exc_new(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_tid(args[0]) != T_TYPE || !vm_is_subtype(th, args[0], vm.e_BaseException))
        return vm_raise(th, vm.e_TypeError, "BaseException.__new__: not an exception type");
    Value t = vm_tuple_from(th, args + 1, nargs - 1);
    if (!t) return NULL;
    return vm_exc_new(th, args[0], t);
}

static int set_attr(Thread *th, Value self, const char *name, Value v) {
    Value *ps = ROOT(th, self), *pv = ROOT(th, v);   /* interning a new name allocates */
    Value key = vm_str_intern(th, name);
    int r = key ? vm_dict_set(th, exc_dict(th, *ps), key, *pv) : -1;
    UNROOT(th, 2);
    return r;
}

static Value exc_init(Thread *th, Value *args, int nargs, Value kwnames) {
    int64_t nkw = kwnames ? TUP(th, kwnames)->n : 0;
    Value *pkw = ROOT(th, kwnames);          /* young when built by f(**d); set_attr allocates */
    for (int64_t i = 0; i < nkw; i++) {      /* ImportError(msg, name=..., path=...) */
        const char *k = STR(th, TUP(th, *pkw)->items[i])->data;
        if (!vm_isinstance(th, args[0], vm.e_ImportError) || (strcmp(k, "name") && strcmp(k, "path"))) {
            UNROOT(th, 1);
            return vm_raise(th, vm.e_TypeError, "%s() takes no keyword arguments", vm_type_name(th, args[0]));
        }
        if (set_attr(th, args[0], k, args[nargs + i]) < 0) { UNROOT(th, 1); return NULL; }
    }
    UNROOT(th, 1);
    Value t = vm_tuple_from(th, args + 1, nargs - 1);
    if (!t) return NULL;
    Value *pt = ROOT(th, t);
    int r = vm_dict_set(th, exc_dict(th, args[0]), vm_str_intern(th, "args"), *pt);
    if (r == 0 && vm_isinstance(th, args[0], vm.e_OSError)) {
        Value none = vm.None;
        bool full = nargs >= 3 && nargs <= 4;
        r = set_attr(th, args[0], "errno", full ? args[1] : none);
        if (r == 0) r = set_attr(th, args[0], "strerror", full ? args[2] : none);
        if (r == 0) r = set_attr(th, args[0], "filename", full && nargs == 4 ? args[3] : none);
    }
    UNROOT(th, 1);
    return r < 0 ? NULL : vm.None;
}

static Value oserror_str(Thread *th, Value *args, int nargs, Value kwnames) {
    Value d = exc_dict(th, args[0]), no, msg, fn;
    if (vm_dict_get_str(th, d, vm_str_intern(th, "errno"), &no) == 1 && no != vm.None &&
        vm_dict_get_str(th, d, vm_str_intern(th, "strerror"), &msg) == 1) {
        Value *pn = ROOT(th, no), *pm = ROOT(th, msg);
        Value ns = vm_str(th, *pn);
        Value *pns = ROOT(th, ns);
        Value ms = ns ? vm_str(th, *pm) : NULL;
        Value r = NULL;
        if (ms) {
            Value *pms = ROOT(th, ms);
            if (vm_dict_get_str(th, exc_dict(th, args[0]), vm_str_intern(th, "filename"), &fn) == 1 && fn != vm.None) {
                Value fr = vm_repr(th, fn);
                r = fr ? vm_str_fmt(th, "[Errno %s] %s: %s", STR(th, *pns)->data, STR(th, *pms)->data, STR(th, fr)->data) : NULL;
            } else {
                r = vm_str_fmt(th, "[Errno %s] %s", STR(th, *pns)->data, STR(th, *pms)->data);
            }
            UNROOT(th, 1);
        }
        UNROOT(th, 3);
        return r;
    }
    return exc_str(th, args, nargs, kwnames);
}

static Value get_args(Thread *th, Value self) {
    Value a;
    if (vm_dict_get_str(th, exc_dict(th, self), vm_str_intern(th, "args"), &a) != 1) return vm.empty_tuple;
    return a;
}

static Value exc_str_impl(Thread *th, Value *args, int nargs, Value kwnames) {
    Value a = get_args(th, args[0]);
    if (vm_tid(a) != T_TUPLE) return vm_str(th, a);
    int64_t n = TUP(th, a)->n;
    if (n == 0) return vm.empty_str;
    if (n == 1) {
        Value x = TUP(th, a)->items[0];
        if (vm_isinstance(th, args[0], vm.e_KeyError) && vm_type_of(th, args[0]) == vm.e_KeyError) return vm_repr(th, x);
        return vm_str(th, x);
    }
    return vm_repr(th, a);
}

static Value exc_repr(Thread *th, Value *args, int nargs, Value kwnames) {
    Value a = get_args(th, args[0]);
    Value *pa = ROOT(th, a);
    const char *name = vm_type_name(th, args[0]);
    char nbuf[200];
    snprintf(nbuf, sizeof nbuf, "%s", name);
    Value r;
    if (vm_tid(*pa) == T_TUPLE && TUP(th, *pa)->n == 1) {
        Value s = vm_repr(th, TUP(th, *pa)->items[0]);
        r = s ? vm_str_fmt(th, "%s(%s)", nbuf, STR(th, s)->data) : NULL;
    } else {
        Value s = vm_repr(th, *pa);
        r = s ? vm_str_fmt(th, "%s%s", nbuf, STR(th, s)->data) : NULL;
    }
    UNROOT(th, 1);
    return r;
}

static Value exc_with_traceback(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_dict_set(th, exc_dict(th, args[0]), vm_str_intern(th, "__traceback__"), nargs > 1 ? args[1] : vm.None) < 0) return NULL;
    return args[0];
}

/* Attributes that default to None: looked up like `e.__cause__` on an exception without one. */
static Value exc_getattr(Thread *th, Value *args, int nargs, Value kwnames) {
    const char *n = STR(th, args[1])->data;
    if (!strcmp(n, "__cause__") || !strcmp(n, "__context__") || !strcmp(n, "__traceback__")) return vm.None;
    if (!strcmp(n, "__suppress_context__")) return vm.False;
    if (vm_isinstance(th, args[0], vm.e_ImportError) && (!strcmp(n, "name") || !strcmp(n, "path"))) return vm.None;
    if (vm_isinstance(th, args[0], vm.e_StopIteration) && !strcmp(n, "value")) {
        Value a = get_args(th, args[0]);
        return vm_tid(a) == T_TUPLE && TUP(th, a)->n ? TUP(th, a)->items[0] : vm.None;
    }
    if (vm_isinstance(th, args[0], vm.e_SystemExit) && !strcmp(n, "code")) {
        Value a = get_args(th, args[0]);
        return vm_tid(a) == T_TUPLE && TUP(th, a)->n ? TUP(th, a)->items[0] : vm.None;
    }
    return vm_raise(th, vm.e_AttributeError, "'%s' object has no attribute '%s'", vm_type_name(th, args[0]), n);
}

static const vm_method exc_methods[] = {
    {"__new__", exc_new, CF_STATIC},
    {"__init__", exc_init, CF_METHOD},
    {"__str__", exc_str, CF_METHOD},
    {"__repr__", exc_repr, CF_METHOD},
    {"with_traceback", exc_with_traceback, CF_METHOD},
    {"__getattr__", exc_getattr, CF_METHOD},
    {NULL, NULL, 0}};

static Value exc_str(Thread *th, Value *args, int nargs, Value kwnames) { return exc_str_impl(th, args, nargs, kwnames); }

static const vm_method oserror_methods[] = {{"__str__", oserror_str, CF_METHOD}, {NULL, NULL, 0}};

void obj_exc_init(Thread *th) {
    vm_add_methods(th, vm.e_BaseException, exc_methods);
    vm_add_methods(th, vm.e_OSError, oserror_methods);
}
