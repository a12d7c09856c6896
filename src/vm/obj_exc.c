/* obj_exc.c — BaseException's methods: args, str/repr, notes, attributes of common exceptions, and
   the "Did you mean" suggestions printed for NameError/AttributeError. */
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

/* BaseException.add_note (3.11): notes live in a plain list __notes__, printed after the message. */
static Value exc_add_note(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "add_note", nargs, kwnames, 2, 2) < 0) return NULL;
    if (vm_tid(args[1]) != T_STR)
        return vm_raise(th, vm.e_TypeError, "note must be a str, not '%s'", vm_type_name(th, args[1]));
    Value key = vm_str_intern(th, "__notes__");
    if (!key) return NULL;
    Value *pk = ROOT(th, key);
    Value notes;
    int k = vm_dict_get_str(th, exc_dict(th, args[0]), *pk, &notes);
    if (k < 0) { UNROOT(th, 1); return NULL; }
    if (k == 0) {
        Value *pl = ROOT(th, vm_list_new(th, 0));       /* the dict insert below may move it */
        if (!*pl || vm_dict_set(th, exc_dict(th, args[0]), *pk, *pl) < 0) { UNROOT(th, 2); return NULL; }
        notes = *pl;
        UNROOT(th, 1);
    } else if (vm_tid(notes) != T_LIST) {
        UNROOT(th, 1);
        return vm_raise(th, vm.e_TypeError, "Cannot add note: __notes__ is not a list");
    }
    UNROOT(th, 1);
    return vm_list_append(th, notes, args[1]) < 0 ? NULL : vm.None;
}

/* Attributes that default to None: looked up like `e.__cause__` on an exception without one. */
static Value exc_getattr(Thread *th, Value *args, int nargs, Value kwnames) {
    const char *n = STR(th, args[1])->data;
    if (!strcmp(n, "__cause__") || !strcmp(n, "__context__") || !strcmp(n, "__traceback__")) return vm.None;
    if (!strcmp(n, "__suppress_context__")) return vm.False;
    if (vm_isinstance(th, args[0], vm.e_ImportError) && (!strcmp(n, "name") || !strcmp(n, "path"))) return vm.None;
    if ((vm_isinstance(th, args[0], vm.e_NameError) || vm_isinstance(th, args[0], vm.e_AttributeError)) && !strcmp(n, "name")) return vm.None;
    if (vm_isinstance(th, args[0], vm.e_AttributeError) && !strcmp(n, "obj")) return vm.None;
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
    {"add_note", exc_add_note, CF_METHOD},
    {"__getattr__", exc_getattr, CF_METHOD},
    {NULL, NULL, 0}};

static Value exc_str(Thread *th, Value *args, int nargs, Value kwnames) { return exc_str_impl(th, args, nargs, kwnames); }

static const vm_method oserror_methods[] = {{"__str__", oserror_str, CF_METHOD}, {NULL, NULL, 0}};

void obj_exc_init(Thread *th) {
    vm_add_methods(th, vm.e_BaseException, exc_methods);
    vm_add_methods(th, vm.e_OSError, oserror_methods);
}

/* ------------------------------------------------------------------------------------------ */
/* "Did you mean" (CPython 3.11's rules, computed only when a traceback is printed): the      */
/* closest candidate by an edit distance where inserting or deleting a byte costs 2 and       */
/* substituting costs 2, or 1 for an ASCII case change; a candidate is taken only if it is     */
/* within a third of the characters involved and beats every earlier one strictly.            */

enum { SUGGEST_MOVE = 2, SUGGEST_CASE = 1, SUGGEST_MAX_LEN = 40, SUGGEST_MAX_ITEMS = 750 };

static int suggest_subst(unsigned char a, unsigned char b) {
    if (a == b) return 0;
    if (a >= 'A' && a <= 'Z') a = (unsigned char)(a - 'A' + 'a');
    if (b >= 'A' && b <= 'Z') b = (unsigned char)(b - 'A' + 'a');
    return a == b && a >= 'a' && a <= 'z' ? SUGGEST_CASE : SUGGEST_MOVE;
}

/* Edit distance of a and b, or limit + 1 if it exceeds limit. */
static size_t suggest_distance(const char *a, size_t na, const char *b, size_t nb, size_t limit) {
    while (na && nb && a[0] == b[0]) a++, b++, na--, nb--;         /* common affixes cost nothing */
    while (na && nb && a[na - 1] == b[nb - 1]) na--, nb--;
    if (!na || !nb) return (na + nb) * SUGGEST_MOVE;
    if (na > SUGGEST_MAX_LEN || nb > SUGGEST_MAX_LEN) return limit + 1;
    if (na > nb) { const char *t = a; a = b; b = t; size_t n = na; na = nb; nb = n; }
    if ((nb - na) * SUGGEST_MOVE > limit) return limit + 1;
    size_t row[SUGGEST_MAX_LEN + 1];       /* row[i]: distance of a[:i] and the prefix of b so far */
    for (size_t i = 0; i <= na; i++) row[i] = i * SUGGEST_MOVE;
    for (size_t j = 1; j <= nb; j++) {
        size_t diag = row[0], best = row[0] = j * SUGGEST_MOVE;
        for (size_t i = 1; i <= na; i++) {
            size_t up = row[i];
            size_t d = diag + (size_t)suggest_subst((unsigned char)a[i - 1], (unsigned char)b[j - 1]);
            if (up + SUGGEST_MOVE < d) d = up + SUGGEST_MOVE;
            if (row[i - 1] + SUGGEST_MOVE < d) d = row[i - 1] + SUGGEST_MOVE;
            row[i] = d;
            diag = up;
            if (d < best) best = d;
        }
        if (best > limit) return limit + 1;                   /* no path can come back under */
    }
    return row[na];
}

typedef struct suggest_state {
    const char *name;
    size_t nname;
    Value best;              /* the best candidate so far (a str), NULL if none */
    size_t best_dist;
} suggest_state;

static void suggest_consider(Thread *th, suggest_state *st, Value cand) {
    if (vm_tid(cand) != T_STR) return;
    const StrObj *c = STR(th, cand);
    if ((size_t)c->len == st->nname && !memcmp(c->data, st->name, c->len)) return;
    size_t limit = (st->nname + (size_t)c->len + 3) * SUGGEST_MOVE / 6;
    if (st->best && st->best_dist - 1 < limit) limit = st->best_dist - 1;
    size_t d = suggest_distance(st->name, st->nname, c->data, (size_t)c->len, limit);
    if (d > limit) return;
    if (!st->best || d < st->best_dist) { st->best = cand; st->best_dist = d; }
}

/* Candidates are examined without allocating, so the Values in st stay valid. */
static Value suggest_from_dict(Thread *th, suggest_state *st, Value d) {
    st->best = NULL;
    if (!d || vm_tid(d) != T_DICT || vm_dict_len(th, d) >= SUGGEST_MAX_ITEMS) return NULL;
    int64_t pos = 0;
    Value k, v;
    while (vm_dict_next(th, d, &pos, &k, &v)) suggest_consider(th, st, k);
    return st->best;
}

static Value suggest_from_list(Thread *th, suggest_state *st, Value l) {
    st->best = NULL;
    if (!l || vm_tid(l) != T_LIST || vm_list_len(th, l) >= SUGGEST_MAX_ITEMS) return NULL;
    for (int64_t i = 0; i < vm_list_len(th, l); i++) suggest_consider(th, st, vm_list_get(th, l, i));
    return st->best;
}

static bool suggest_copy(Thread *th, Value best, char *buf, size_t n) {
    if (!best) return false;
    snprintf(buf, n, "%s", STR(th, best)->data);
    return true;
}

static Value exc_dict_get(Thread *th, Value exc, const char *key) {
    Value k = vm_str_intern(th, key), v;
    if (!k) { vm_exc_clear(th); return NULL; }
    int r = vm_dict_get_str(th, R(th, exc, InstanceObj)->dict, k, &v);
    if (r < 0) vm_exc_clear(th);
    return r == 1 ? v : NULL;
}

/* The suggestion for a NameError or AttributeError (exactly those types, as CPython 3.11) into
   buf; false if there is none.  Leaves no exception pending. */
bool vm_exc_suggestion(Thread *th, Value exc, char *buf, size_t n) {
    if (vm_tid(exc) != T_INSTANCE || !R(th, exc, InstanceObj)->dict) return false;
    Value type = vm_type_of(th, exc);
    if (type != vm.e_NameError && type != vm.e_AttributeError) return false;
    size_t mark = ROOTS_MARK(th);
    Value *pe = ROOT(th, exc);
    bool found = false;
    Value name = exc_dict_get(th, *pe, "name");
    if (!name || vm_tid(name) != T_STR) goto done;
    Value *pn = ROOT(th, name);
    if (type == vm.e_NameError) {
        /* the raising frame's local variable names, then its globals, then the builtins */
        Value fr = exc_dict_get(th, *pe, VM_NAME_ERROR_FRAME);
        if (!fr || vm_tid(fr) != T_FRAME) goto done;
        Value *pfr = ROOT(th, fr);
        const vm_code *c = R(th, R(th, *pfr, FrameObj)->code, CodeObj)->code;
        if (c->nlocals < SUGGEST_MAX_ITEMS) {          /* co_varnames: parameters and locals */
            Value *pl = ROOT(th, vm_list_new(th, 0));
            if (!*pl) { vm_exc_clear(th); goto done; }
            for (int i = 0; i < c->nlocals; i++) {
                Value s = vm_str_cstr(th, c->varnames[i]);
                if (!s || vm_list_append(th, *pl, s) < 0) { vm_exc_clear(th); goto done; }
            }
            suggest_state st = {STR(th, *pn)->data, (size_t)STR(th, *pn)->len, NULL, 0};
            if ((found = suggest_copy(th, suggest_from_list(th, &st, *pl), buf, n))) goto done;
        }
        suggest_state st = {STR(th, *pn)->data, (size_t)STR(th, *pn)->len, NULL, 0};
        if ((found = suggest_copy(th, suggest_from_dict(th, &st, R(th, *pfr, FrameObj)->globals), buf, n))) goto done;
        st = (suggest_state){STR(th, *pn)->data, (size_t)STR(th, *pn)->len, NULL, 0};
        found = suggest_copy(th, suggest_from_dict(th, &st, R(th, *pfr, FrameObj)->builtins), buf, n);
    } else {
        /* dir(obj): the builtin, so a class's __dir__ is honoured as in CPython */
        Value *pk = ROOT(th, vm_str_intern(th, "dir"));
        Value dirf, obj = *pk ? exc_dict_get(th, *pe, "obj") : NULL;
        if (!obj || vm_dict_get_str(th, vm.builtins, *pk, &dirf) != 1) { vm_exc_clear(th); goto done; }
        Value *pd = ROOT(th, vm_call1(th, dirf, obj));
        if (!*pd) { vm_exc_clear(th); goto done; }
        suggest_state st = {STR(th, *pn)->data, (size_t)STR(th, *pn)->len, NULL, 0};
        found = suggest_copy(th, suggest_from_list(th, &st, *pd), buf, n);
    }
done:
    ROOTS_RESET(th, mark);
    return found;
}
