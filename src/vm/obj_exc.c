/* obj_exc.c — BaseException's methods: args, str/repr, attributes of common exceptions. */
#include "internal.h"

#include <string.h>

static Value exc_dict(Thread *th, Value self) { return R(th, self, InstanceObj)->dict; }

static Value exc_new(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_tid(args[0]) != T_TYPE || !vm_is_subtype(th, args[0], vm.e_BaseException))
        return vm_raise(th, vm.e_TypeError, "BaseException.__new__: not an exception type");
    Value t = vm_tuple_from(th, args + 1, nargs - 1);
    if (!t) return NULL;
    return vm_exc_new(th, args[0], t);
}

static Value exc_init(Thread *th, Value *args, int nargs, Value kwnames) {
    Value t = vm_tuple_from(th, args + 1, nargs - 1);
    if (!t) return NULL;
    Value *pt = ROOT(th, t);
    int r = vm_dict_set(th, exc_dict(th, args[0]), vm_str_intern(th, "args"), *pt);
    UNROOT(th, 1);
    return r < 0 ? NULL : vm.None;
}

static Value get_args(Thread *th, Value self) {
    Value a;
    if (vm_dict_get_str(th, exc_dict(th, self), vm_str_intern(th, "args"), &a) != 1) return vm.empty_tuple;
    return a;
}

static Value exc_str(Thread *th, Value *args, int nargs, Value kwnames) {
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

void obj_exc_init(Thread *th) { vm_add_methods(th, vm.e_BaseException, exc_methods); }
