/* obj_object.c — the object protocol: types, MRO, attributes, calls, operators, object and type. */
#include "internal.h"

#include <string.h>

/* ------------------------------------------------------------------------------------------ */
/* Types                                                                                       */

uint16_t vm_tid(Value v) { return IS_SMALL(v) ? T_INT : v->tid; }

Value vm_type_of(Thread *th, Value v) {
    if (IS_SMALL(v)) return vm.t_int;
    return ((const ObjHead *)stm_read(th->t, v))->cls;
}

const char *vm_type_name(Thread *th, Value v) {
    Value t = vm_type_of(th, v);
    return STR(th, R(th, t, TypeObj)->name)->data;
}

static inline const TypeObj *TYPE(Thread *th, Value t) { return R(th, t, TypeObj); }

bool vm_is_subtype(Thread *th, Value t, Value base) {
    if (t == base || base == vm.t_object) return true;
    const TupleObj *mro = TUP(th, TYPE(th, t)->mro);
    for (int64_t i = 0; i < mro->n; i++)
        if (mro->items[i] == base) return true;
    return false;
}

bool vm_isinstance(Thread *th, Value v, Value cls) { return vm_is_subtype(th, vm_type_of(th, v), cls); }

/* C3 linearization: merge the bases' MROs and the bases list. */
int vm_type_compute_mro(Thread *th, Value type) {
    size_t mark = ROOTS_MARK(th);
    Value *pt = ROOT(th, type);
    Value bases = TYPE(th, type)->bases;
    int64_t nb = TUP(th, bases)->n;
    Value *result = ROOT(th, vm_list_new(th, 0));
    if (!*result || vm_list_append(th, *result, *pt) < 0) goto fail;
    /* seqs: list of lists */
    Value *seqs = ROOT(th, vm_list_new(th, 0));
    if (!*seqs) goto fail;
    for (int64_t i = 0; i < nb; i++) {
        Value b = TUP(th, TYPE(th, *pt)->bases)->items[i];
        Value bm = TYPE(th, b)->mro;
        Value l = bm ? vm_sequence_list(th, bm) : NULL;
        if (!l || vm_list_append(th, *seqs, l) < 0) goto fail;
    }
    Value bl = vm_sequence_list(th, TYPE(th, *pt)->bases);
    if (!bl || vm_list_append(th, *seqs, bl) < 0) goto fail;
    for (;;) {
        int64_t ns = vm_list_len(th, *seqs);
        Value cand = NULL;
        bool any = false;
        for (int64_t i = 0; i < ns && !cand; i++) {
            Value s = vm_list_get(th, *seqs, i);
            if (vm_list_len(th, s) == 0) continue;
            any = true;
            Value head = vm_list_get(th, s, 0);
            bool in_tail = false;
            for (int64_t j = 0; j < ns && !in_tail; j++) {
                Value s2 = vm_list_get(th, *seqs, j);
                int64_t n2 = vm_list_len(th, s2);
                for (int64_t k = 1; k < n2; k++)
                    if (vm_list_get(th, s2, k) == head) { in_tail = true; break; }
            }
            if (!in_tail) cand = head;
        }
        if (!any) break;
        if (!cand) {
            char names[512] = "";
            const TupleObj *bt = TUP(th, TYPE(th, *pt)->bases);
            for (int64_t i = 0; i < bt->n; i++) {
                if (i) strncat(names, ", ", sizeof names - strlen(names) - 1);
                strncat(names, STR(th, TYPE(th, bt->items[i])->name)->data, sizeof names - strlen(names) - 1);
            }
            vm_raise(th, vm.e_TypeError, "Cannot create a consistent method resolution\norder (MRO) for bases %s", names);
            goto fail;
        }
        if (vm_list_append(th, *result, cand) < 0) goto fail;
        for (int64_t i = 0; i < ns; i++) {
            Value s = vm_list_get(th, *seqs, i);
            int64_t n = vm_list_len(th, s);
            if (n && vm_list_get(th, s, 0) == cand) {
                ListObj *lp = W(th, s, ListObj);
                ArrayObj *ap = W(th, lp->items, ArrayObj);
                memmove(ap->items, ap->items + 1, (size_t)(n - 1) * sizeof(Value));
                lp->n = n - 1;
            }
        }
    }
    if (vm_list_len(th, *result) == 1 && *pt != vm.t_object && TUP(th, TYPE(th, *pt)->bases)->n == 0)
        if (vm_list_append(th, *result, vm.t_object) < 0) goto fail;
    Value mro = vm_sequence_tuple(th, *result);
    if (!mro) goto fail;
    W(th, *pt, TypeObj)->mro = mro;
    ROOTS_RESET(th, mark);
    return 0;
fail:
    ROOTS_RESET(th, mark);
    return -1;
}

/* ------------------------------------------------------------------------------------------ */
/* Lookup cache.  Invariants: (1) an entry holds only objects outside the nursery, which never
   move; (2) it is used only while type_epoch equals the epoch read when its transaction
   started; (3) a class change bumps type_epoch when it happens (for this thread) and again
   after its transaction commits (for every transaction that started before the commit); (4) an
   abort clears this thread's cache (entries may hold its discarded private objects); (5) the
   epoch includes the major-collection count, since only a major collection reuses addresses. */

static _Atomic uint64_t type_epoch = 1;

static uint64_t current_epoch(void) {
    return atomic_load_explicit(&type_epoch, memory_order_acquire) + (stm_major_collections() << 40);
}

void vm_types_changed(Thread *th) {
    th->types_modified = true;
    atomic_fetch_add(&type_epoch, 1);
}

void vm_tx_started(Thread *th) {
    th->cache_epoch = current_epoch();
    th->smap_gen++;            /* shared dict/set order indexes hold pre-commit stamps */
}

void vm_tx_committed(Thread *th) {
    if (th->nspawn) vm_launch_spawns(th);
    if (th->types_modified) {
        th->types_modified = false;
        atomic_fetch_add(&type_epoch, 1);
    }
}

void vm_tx_aborted(Thread *th) {
    vm_drop_spawns(th);
    vm_io_discard(th);
    th->released_lock = false;
    th->smap_gen++;
    th->types_modified = false;
    if (th->lookup_cache) memset(th->lookup_cache, 0, sizeof *th->lookup_cache);
}

static bool is_young(Value v) { return v && !IS_SMALL(v) && (v->flags & 0x8000u); }

static Value lookup_type_uncached(Thread *th, Value type, Value name);

Value vm_lookup_type(Thread *th, Value type, Value name) {
    vm_lookup_cache *c = th->lookup_cache;
    if (!c || is_young(type) || is_young(name)) return lookup_type_uncached(th, type, name);
    size_t i = (((uintptr_t)type >> 4) ^ ((uintptr_t)name >> 3)) & (LOOKUP_CACHE_SIZE - 1);
    uint64_t now = current_epoch();
    if (c->e[i].type == type && c->e[i].name == name && c->e[i].epoch == now && th->cache_epoch == now)
        return c->e[i].value;
    Value v = lookup_type_uncached(th, type, name);
    if (th->cache_epoch == now && !*th->exc && !is_young(v)) {
        c->e[i].type = type;
        c->e[i].name = name;
        c->e[i].value = v;
        c->e[i].epoch = now;
    }
    return v;
}

static Value lookup_type_uncached(Thread *th, Value type, Value name) {
    const TupleObj *mro = TUP(th, TYPE(th, type)->mro);
    for (int64_t i = 0; i < mro->n; i++) {
        Value v;
        int r = vm_dict_get_str(th, TYPE(th, mro->items[i])->dict, name, &v);
        if (r == 1) return v;
        mro = TUP(th, TYPE(th, type)->mro);
    }
    return NULL;
}

Value vm_lookup_special(Thread *th, Value obj, const char *dunder) {
    Value name = vm_str_intern(th, dunder);
    if (!name) return NULL;
    return vm_lookup_type(th, vm_type_of(th, obj), name);
}

/* ------------------------------------------------------------------------------------------ */
/* Attributes                                                                                  */

/* The attribute dict of obj, or NULL.  A transaction.local instance has a tuple in place of its
   dict: its attributes live in a per-thread dict (a moving point; NULL + exception on error). */
static Value instance_dict(Thread *th, Value obj) {
    if (IS_SMALL(obj)) return NULL;
    switch (obj->tid) {
    case T_INSTANCE: {
        Value d = R(th, obj, InstanceObj)->dict;
        return d && vm_tid(d) == T_TUPLE ? vm_local_dict(th, obj) : d;
    }
    case T_MODULE: return R(th, obj, ModuleObj)->dict;
    case T_FUNCTION: return R(th, obj, FuncObj)->dict;
    default: return NULL;
    }
}

static bool is_cfunc_flag(Value d, int flag) {
    return !IS_SMALL(d) && d->tid == T_CFUNC && (((const CFuncObj *)stm_payload(d))->flags & flag);
}

/* Bind a class attribute found on type(obj) to obj (functions become methods, ...). */
static Value bind_descr(Thread *th, Value descr, Value obj, Value type) {
    if (IS_SMALL(descr)) return descr;
    switch (descr->tid) {
    case T_FUNCTION: return vm_method_new(th, descr, obj);
    case T_CFUNC: {
        const CFuncObj *f = stm_payload(descr);
        if (f->flags & CF_GETTER) { Value *o = ROOT(th, obj); Value r = f->fn(th, o, 1, NULL); UNROOT(th, 1); return r; }
        if (f->flags & CF_CLASSMETHOD) return vm_method_new(th, descr, type);
        if (f->flags & CF_METHOD) return vm_method_new(th, descr, obj);
        return descr;
    }
    case T_STATICMETHOD: return R(th, descr, WrapperObj)->func;
    case T_CLASSMETHOD: return vm_method_new(th, R(th, descr, WrapperObj)->func, type);
    case T_PROPERTY: {
        Value get = R(th, descr, PropertyObj)->fget;
        if (!get) return vm_raise(th, vm.e_AttributeError, "property has no getter");
        return vm_call1(th, get, obj);
    }
    default: return descr;
    }
}

static Value type_getattr(Thread *th, Value type, Value name);

static Value special_attr(Thread *th, Value obj, const char *n) {
    if (!strcmp(n, "__class__")) return vm_type_of(th, obj);
    if (!strcmp(n, "__dict__") && !(vm_tid(obj) == T_INSTANCE && TYPE(th, vm_type_of(th, obj))->slots)) {
        Value d = instance_dict(th, obj);
        if (d || *th->exc) return d;
        if ((vm_tid(obj) == T_INSTANCE && vm_type_of(th, obj) != vm.t_object) || vm_tid(obj) == T_FUNCTION) {
            Value *po = ROOT(th, obj);
            d = vm_dict_new(th);
            if (d && vm_tid(*po) == T_FUNCTION) W(th, *po, FuncObj)->dict = d;
            else if (d) W(th, *po, InstanceObj)->dict = d;
            UNROOT(th, 1);
            return d;
        }
    }
    if (!IS_SMALL(obj) && obj->tid == T_FUNCTION) {
        const FuncObj *f = R(th, obj, FuncObj);
        if (!strcmp(n, "__name__")) return f->name;
        if (!strcmp(n, "__qualname__")) return f->qualname;
        if (!strcmp(n, "__module__")) return f->module ? f->module : vm.None;
        if (!strcmp(n, "__doc__")) return f->doc ? f->doc : vm.None;
        if (!strcmp(n, "__defaults__")) return f->defaults ? f->defaults : vm.None;
        if (!strcmp(n, "__kwdefaults__")) return f->kwdefaults ? f->kwdefaults : vm.None;
        if (!strcmp(n, "__code__")) return f->code;
        if (!strcmp(n, "__globals__")) return f->globals;
        if (!strcmp(n, "__annotations__")) {
            if (f->annotations) return f->annotations;
            Value *pf = ROOT(th, obj);          /* as CPython: a fresh {} kept once asked for */
            Value d = vm_dict_new(th);
            if (d) W(th, *pf, FuncObj)->annotations = d;
            UNROOT(th, 1);
            return d;
        }
    }
    if (!IS_SMALL(obj) && obj->tid == T_CFUNC && !strcmp(n, "__name__"))
        return vm_str_cstr(th, ((const CFuncObj *)stm_payload(obj))->name);
    if (!IS_SMALL(obj) && obj->tid == T_METHOD) {
        const MethodObj *m = R(th, obj, MethodObj);
        if (!strcmp(n, "__self__")) return m->self;
        if (!strcmp(n, "__func__")) return m->func;
        return vm_getattr_cstr(th, m->func, n);
    }
    if (!IS_SMALL(obj) && obj->tid == T_PROPERTY) {
        const PropertyObj *p = R(th, obj, PropertyObj);
        if (!strcmp(n, "fget")) return p->fget ? p->fget : vm.None;
        if (!strcmp(n, "fset")) return p->fset ? p->fset : vm.None;
        if (!strcmp(n, "__doc__")) return p->doc ? p->doc : vm.None;
    }
    if (!IS_SMALL(obj) && (obj->tid == T_STATICMETHOD || obj->tid == T_CLASSMETHOD) && !strcmp(n, "__func__"))
        return R(th, obj, WrapperObj)->func;
    if (!IS_SMALL(obj) && obj->tid == T_MODULE && !strcmp(n, "__name__")) return R(th, obj, ModuleObj)->name;
    return NULL;
}

Value vm_getattr_opt(Thread *th, Value obj, Value name) {
    size_t mark = ROOTS_MARK(th);
    Value *po = ROOT(th, obj), *pn = ROOT(th, name);
    Value r = NULL;
    if (!IS_SMALL(obj) && obj->tid == T_TYPE) {
        r = type_getattr(th, *po, *pn);
        goto done;
    }
    if (!IS_SMALL(obj) && obj->tid == T_SUPER) {
        r = vm_super_getattr(th, *po, *pn);
        if (!r && vm_exc_matches(th, vm.e_AttributeError)) vm_exc_clear(th);
        goto done;
    }
    Value type = vm_type_of(th, *po);
    Value *pty = ROOT(th, type);
    Value descr = vm_lookup_type(th, type, *pn);
    Value *pd = ROOT(th, descr);
    if (descr && !IS_SMALL(descr) && (descr->tid == T_PROPERTY || is_cfunc_flag(descr, CF_GETTER))) {
        r = bind_descr(th, descr, *po, *pty);
        goto done;
    }
    Value dget = descr && vm_tid(descr) == T_INSTANCE ? vm_lookup_special(th, descr, "__get__") : NULL;
    Value *pdget = ROOT(th, dget);
    if (dget && (vm_lookup_special(th, *pd, "__set__") || vm_lookup_special(th, *pd, "__delete__"))) {
        Value *a = ROOT(th, *pd);
        ROOT(th, *po);
        ROOT(th, *pty);
        r = vm_call(th, *pdget, a, 3, NULL);
        goto done;
    }
    Value d = instance_dict(th, *po);
    if (d) {
        Value v;
        int found = vm_dict_get_str(th, d, *pn, &v);
        if (found < 0) goto done;
        if (found) { r = v; goto done; }
    } else if (*th->exc) {
        goto done;
    }
    if (*pdget) {
        Value *a = ROOT(th, *pd);
        ROOT(th, *po);
        ROOT(th, *pty);
        r = vm_call(th, *pdget, a, 3, NULL);
        goto done;
    }
    if (*pd) { r = bind_descr(th, *pd, *po, *pty); goto done; }
    r = special_attr(th, *po, STR(th, *pn)->data);
    if (r || *th->exc) goto done;
    Value ga = vm_lookup_type(th, *pty, vm_str_intern(th, "__getattr__"));
    if (ga) {
        Value args[2] = {*po, *pn};
        Value *pa = ROOT(th, args[0]);
        ROOT(th, args[1]);
        r = vm_call(th, ga, pa, 2, NULL);
    }
done:
    ROOTS_RESET(th, mark);
    return r;
}

/* As CPython's PyObject_GetAttr, an AttributeError leaving getattr records e.name and e.obj (for
   the "Did you mean" printed with it).  Only on failure; hasattr and getattr with a default
   test vm_getattr_opt first and never get here for a plain missing attribute. */
static void attr_error_context(Thread *th, Value obj, Value name) {
    size_t mark = ROOTS_MARK(th);
    Value *po = ROOT(th, obj), *pn = ROOT(th, name), *pe = ROOT(th, *th->exc);
    if (vm_tid(*pe) == T_INSTANCE && R(th, *pe, InstanceObj)->dict) {
        Value *pk = ROOT(th, vm_str_intern(th, "name"));
        Value ok = *pk ? vm_str_intern(th, "obj") : NULL;
        if (!ok || vm_dict_set(th, R(th, *pe, InstanceObj)->dict, *pk, *pn) < 0 ||
            vm_dict_set(th, R(th, *pe, InstanceObj)->dict, ok, *po) < 0) {
            vm_exc_clear(th);            /* out of memory: the AttributeError without its context */
            *th->exc = *pe;
        }
    }
    ROOTS_RESET(th, mark);
}

Value vm_getattr(Thread *th, Value obj, Value name) {
    Value *po = ROOT(th, obj), *pn = ROOT(th, name);
    Value r = vm_getattr_opt(th, obj, name);
    if (!r && !*th->exc) {
        if (!IS_SMALL(*po) && (*po)->tid == T_TYPE)
            vm_raise(th, vm.e_AttributeError, "type object '%s' has no attribute '%s'",
                     STR(th, TYPE(th, *po)->name)->data, STR(th, *pn)->data);
        else if (!IS_SMALL(*po) && (*po)->tid == T_MODULE)
            vm_raise(th, vm.e_AttributeError, "module '%s' has no attribute '%s'",
                     STR(th, R(th, *po, ModuleObj)->name)->data, STR(th, *pn)->data);
        else
            vm_raise(th, vm.e_AttributeError, "'%s' object has no attribute '%s'", vm_type_name(th, *po), STR(th, *pn)->data);
    }
    if (!r && vm_exc_matches(th, vm.e_AttributeError)) attr_error_context(th, *po, *pn);
    UNROOT(th, 2);
    return r;
}

Value vm_getattr_cstr(Thread *th, Value obj, const char *name) {
    Value *po = ROOT(th, obj);
    Value n = vm_str_cstr(th, name);
    Value r = n ? vm_getattr(th, *po, n) : NULL;
    UNROOT(th, 1);
    return r;
}

static Value type_getattr(Thread *th, Value type, Value name) {
    const char *n = STR(th, name)->data;
    if (n[0] == '_' && n[1] == '_') {
        const TypeObj *t = TYPE(th, type);
        if (!strcmp(n, "__name__")) return t->name;
        if (!strcmp(n, "__qualname__")) return t->qualname;
        if (!strcmp(n, "__mro__")) return t->mro;
        if (!strcmp(n, "__bases__")) return t->bases;
        if (!strcmp(n, "__base__")) return TUP(th, t->bases)->n ? TUP(th, t->bases)->items[0] : vm.None;
        if (!strcmp(n, "__dict__")) return t->dict;
        if (!strcmp(n, "__class__")) return vm_type_of(th, type);
        if (!strcmp(n, "__module__") && (t->flags & TF_BUILTIN)) return t->module ? t->module : vm.None;
    }
    Value *pt = ROOT(th, type);
    Value d = vm_lookup_type(th, type, name);
    Value r = NULL;
    if (d) {
        if (!IS_SMALL(d) && d->tid == T_STATICMETHOD) r = R(th, d, WrapperObj)->func;
        else if (!IS_SMALL(d) && d->tid == T_CLASSMETHOD) r = vm_method_new(th, R(th, d, WrapperObj)->func, *pt);
        else if (is_cfunc_flag(d, CF_CLASSMETHOD)) r = vm_method_new(th, d, *pt);
        else r = d;
    } else {
        /* attributes of the metatype (e.g. type.mro) */
        Value md = vm_lookup_type(th, vm_type_of(th, *pt), name);
        if (md) r = bind_descr(th, md, *pt, vm_type_of(th, *pt));
    }
    UNROOT(th, 1);
    return r;
}

int vm_setattr(Thread *th, Value obj, Value name, Value v) {
    size_t mark = ROOTS_MARK(th);
    Value *po = ROOT(th, obj), *pn = ROOT(th, name), *pv = ROOT(th, v);
    int r = -1;
    Value type = vm_type_of(th, obj);
    Value descr = vm_lookup_type(th, type, name);
    if (descr && vm_tid(descr) == T_INSTANCE) {
        Value m = vm_lookup_special(th, descr, *pv ? "__set__" : "__delete__");
        if (m) {
            Value *a = ROOT(th, descr);
            ROOT(th, *po);
            if (*pv) ROOT(th, *pv);
            r = vm_call(th, m, a, *pv ? 3 : 2, NULL) ? 0 : -1;
            goto done;
        }
    }
    if (descr && !IS_SMALL(descr) && descr->tid == T_PROPERTY) {
        const PropertyObj *p = R(th, descr, PropertyObj);
        Value f = *pv ? p->fset : p->fdel;
        if (!f) {
            if (p->name)
                vm_raise(th, vm.e_AttributeError, "property '%s' of '%s' object has no %s", STR(th, p->name)->data, vm_type_name(th, *po), *pv ? "setter" : "deleter");
            else
                vm_raise(th, vm.e_AttributeError, *pv ? "can't set attribute" : "can't delete attribute");
            goto done;
        }
        Value res = *pv ? vm_call2(th, f, *po, *pv) : vm_call1(th, f, *po);
        r = res ? 0 : -1;
        goto done;
    }
    if (!IS_SMALL(obj) && obj->tid == T_TYPE) {
        if (TYPE(th, *po)->flags & TF_BUILTIN) {
            vm_raise(th, vm.e_TypeError, "cannot set '%s' attribute of immutable type '%s'", STR(th, *pn)->data, STR(th, TYPE(th, *po)->name)->data);
            goto done;
        }
        Value d = TYPE(th, *po)->dict;
        vm_types_changed(th);
        r = *pv ? vm_dict_set(th, d, *pn, *pv) : (vm_dict_del(th, d, *pn) == 1 ? 0 : -1);
        if (r < 0 && !*th->exc) vm_raise(th, vm.e_AttributeError, "%s", STR(th, *pn)->data);
        goto done;
    }
    uint16_t tid = vm_tid(obj);
    if (tid == T_FUNCTION && !strcmp(STR(th, *pn)->data, "__annotations__")) {   /* a slot, not in __dict__ */
        if (*pv && *pv != vm.None && vm_tid(*pv) != T_DICT) {
            vm_raise(th, vm.e_TypeError, "__annotations__ must be set to a dict object");
            goto done;
        }
        W(th, *po, FuncObj)->annotations = *pv == vm.None ? NULL : *pv;
        r = 0;
        goto done;
    }
    if (tid == T_INSTANCE && vm_type_of(th, *po) == vm.t_object) {
        vm_raise(th, vm.e_AttributeError, "'object' object has no attribute '%s'", STR(th, *pn)->data);
        goto done;
    }
    if (tid == T_INSTANCE || tid == T_FUNCTION || tid == T_MODULE) {
        Value slots = TYPE(th, vm_type_of(th, *po))->slots;
        if (slots && tid == T_INSTANCE) {
            bool ok = false;
            const TupleObj *s = TUP(th, slots);
            for (int64_t i = 0; i < s->n && !ok; i++) ok = vm_str_eq(th, s->items[i], *pn);
            if (!ok) {
                vm_raise(th, vm.e_AttributeError, "'%s' object has no attribute '%s'", vm_type_name(th, *po), STR(th, *pn)->data);
                goto done;
            }
        }
        Value d = instance_dict(th, *po);
        if (!d) {
            if (*th->exc) goto done;
            if (!*pv) goto missing;
            d = vm_dict_new(th);
            if (!d) goto done;
            if (tid == T_INSTANCE) W(th, *po, InstanceObj)->dict = d;
            else W(th, *po, FuncObj)->dict = d;
        }
        if (*pv) r = vm_dict_set(th, d, *pn, *pv);
        else {
            int k = vm_dict_del(th, d, *pn);
            if (k == 0) goto missing;
            r = k < 0 ? -1 : 0;
        }
        goto done;
    }
    vm_raise(th, vm.e_AttributeError, "'%s' object has no attribute '%s'", vm_type_name(th, *po), STR(th, *pn)->data);
    goto done;
missing:
    vm_raise(th, vm.e_AttributeError, "'%s' object has no attribute '%s'", vm_type_name(th, *po), STR(th, *pn)->data);
done:
    ROOTS_RESET(th, mark);
    return r;
}

/* Call obj.__setattr__ when a class overrides it, else the generic path. */
int vm_setattr_user(Thread *th, Value obj, Value name, Value v) {
    if (vm_tid(obj) == T_INSTANCE) {
        Value *po = ROOT(th, obj), *pn = ROOT(th, name), *pv = ROOT(th, v);
        Value f = vm_lookup_special(th, *po, *pv ? "__setattr__" : "__delattr__");
        UNROOT(th, 3);
        if (f && !(vm_tid(f) == T_CFUNC)) {
            Value *args = ROOT(th, *po);
            ROOT(th, *pn);
            if (*pv) ROOT(th, *pv);
            Value r = vm_call(th, f, args, *pv ? 3 : 2, NULL);
            UNROOT(th, *pv ? 3 : 2);
            return r ? 0 : -1;
        }
        obj = *po; name = *pn; v = *pv;
    }
    return vm_setattr(th, obj, name, v);
}

/* ------------------------------------------------------------------------------------------ */
/* Calls                                                                                       */

Value vm_call0(Thread *th, Value f) { return vm_call(th, f, th->t->roots_top, 0, NULL); }

Value vm_call1(Thread *th, Value f, Value a) {
    Value *pf = ROOT(th, f), *pa = ROOT(th, a);
    Value r = vm_call(th, *pf, pa, 1, NULL);
    UNROOT(th, 2);
    return r;
}

Value vm_call2(Thread *th, Value f, Value a, Value b) {
    Value *pf = ROOT(th, f), *pa = ROOT(th, a);
    ROOT(th, b);
    Value r = vm_call(th, *pf, pa, 2, NULL);
    UNROOT(th, 3);
    return r;
}

Value vm_call_method(Thread *th, Value obj, const char *name, Value *args, int nargs) {
    size_t mark = ROOTS_MARK(th);
    Value *po = ROOT(th, obj);
    Value *a = th->t->roots_top;
    for (int i = 0; i < nargs; i++) ROOT(th, args[i]);
    Value m = vm_getattr_cstr(th, *po, name);
    Value r = m ? vm_call(th, m, a, nargs, NULL) : NULL;
    ROOTS_RESET(th, mark);
    return r;
}

static Value call_type(Thread *th, Value type, Value *args, int nargs, Value kwnames_in) {
    size_t mark = ROOTS_MARK(th);
    Value *pt = ROOT(th, type);
    Value *pkw = ROOT(th, kwnames_in);
#define kwnames (*pkw)
    Value r = NULL;
    if (type == vm.t_type && nargs == 1 && !kwnames) { r = vm_type_of(th, args[0]); goto done; }
    /* __new__ */
    Value new_ = vm_lookup_type(th, *pt, vm_str_intern(th, "__new__"));
    Value *pnew = ROOT(th, new_);
    Value inst;
    if (new_ && !IS_SMALL(new_) && new_->tid == T_STATICMETHOD) *pnew = R(th, new_, WrapperObj)->func;
    int64_t nkw = kwnames ? TUP(th, kwnames)->n : 0;
    Value *a = th->t->roots_top;
    ROOT(th, *pt);
    for (int64_t i = 0; i < nargs + nkw; i++) ROOT(th, args[i]);
    inst = vm_call(th, *pnew, a, nargs + 1, kwnames);
    if (!inst) goto done;
    Value *pi = ROOT(th, inst);
    if (!vm_isinstance(th, inst, *pt)) { r = inst; goto done; }
    Value init = vm_lookup_type(th, vm_type_of(th, inst), vm_str_intern(th, "__init__"));
    if (init && init != vm.object_init) {
        a[0] = *pi;
        Value res = vm_call(th, init, a, nargs + 1, kwnames);
        if (!res) goto done;
        if (res != vm.None) { vm_raise(th, vm.e_TypeError, "__init__() should return None, not '%s'", vm_type_name(th, res)); goto done; }
    }
    r = *pi;
done:
    ROOTS_RESET(th, mark);
    return r;
#undef kwnames
}

Value vm_call(Thread *th, Value f, Value *args, int nargs, Value kwnames) {
    if (IS_SMALL(f)) return vm_raise(th, vm.e_TypeError, "'int' object is not callable");
    switch (f->tid) {
    case T_CFUNC: {
        const CFuncObj *c = stm_payload(f);
        if (c->flags & CF_STATIC) {    /* __new__-style: args[0] is the class */
            return c->fn(th, args, nargs, kwnames);
        }
        return c->fn(th, args, nargs, kwnames);
    }
    case T_FUNCTION: {
        Value frame = vm_frame_for_call(th, f, args, nargs, kwnames);
        if (!frame) return NULL;
        const vm_code *code = R(th, R(th, frame, FrameObj)->code, CodeObj)->code;
        if (code->flags & CODE_GENERATOR) return vm_gen_new(th, frame);
        return vm_eval_frame(th, frame);
    }
    case T_METHOD: {
        size_t mark = ROOTS_MARK(th);
        const MethodObj *m = R(th, f, MethodObj);
        Value *pf = ROOT(th, m->func);
        Value *a = ROOT(th, m->self);
        int64_t nkw = kwnames ? TUP(th, kwnames)->n : 0;
        for (int64_t i = 0; i < nargs + nkw; i++) ROOT(th, args[i]);
        Value r = vm_call(th, *pf, a, nargs + 1, kwnames);
        ROOTS_RESET(th, mark);
        return r;
    }
    case T_TYPE: return call_type(th, f, args, nargs, kwnames);
    default: {
        Value *pf = ROOT(th, f);
        Value c = vm_lookup_special(th, f, "__call__");
        Value r;
        if (!c) r = vm_raise(th, vm.e_TypeError, "'%s' object is not callable", vm_type_name(th, *pf));
        else {
            size_t mark = ROOTS_MARK(th);
            Value *pc = ROOT(th, c);
            Value *a = ROOT(th, *pf);
            int64_t nkw = kwnames ? TUP(th, kwnames)->n : 0;
            for (int64_t i = 0; i < nargs + nkw; i++) ROOT(th, args[i]);
            r = vm_call(th, *pc, a, nargs + 1, kwnames);
            ROOTS_RESET(th, mark);
        }
        UNROOT(th, 1);
        return r;
    }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Operators                                                                                   */

static const char *const binop_names[BINOP__COUNT][3] = {
    {"__add__", "__radd__", "__iadd__"}, {"__sub__", "__rsub__", "__isub__"},
    {"__mul__", "__rmul__", "__imul__"}, {"__matmul__", "__rmatmul__", "__imatmul__"},
    {"__truediv__", "__rtruediv__", "__itruediv__"}, {"__floordiv__", "__rfloordiv__", "__ifloordiv__"},
    {"__mod__", "__rmod__", "__imod__"}, {"__pow__", "__rpow__", "__ipow__"},
    {"__lshift__", "__rlshift__", "__ilshift__"}, {"__rshift__", "__rrshift__", "__irshift__"},
    {"__and__", "__rand__", "__iand__"}, {"__or__", "__ror__", "__ior__"}, {"__xor__", "__rxor__", "__ixor__"},
};
static const char *const binop_symbols[BINOP__COUNT] = {"+", "-", "*", "@", "/", "//", "%", "**", "<<", ">>", "&", "|", "^"};

static bool intlike(Value v) { return IS_SMALL(v) || v->tid == T_INT || v->tid == T_BOOL; }
static bool numlike(Value v) { return intlike(v) || v->tid == T_FLOAT; }

/* Call a binary special method; NotImplemented means "try the other side". */
static Value call_binary_special(Thread *th, Value self, const char *name, Value other) {
    Value *ps = ROOT(th, self), *po = ROOT(th, other);
    Value m = vm_lookup_special(th, *ps, name);
    Value r = m ? vm_call2(th, m, *ps, *po) : vm.NotImplemented;
    UNROOT(th, 2);
    return r;
}

Value vm_binop(Thread *th, int op, Value a, Value b) {
    bool inplace = op & BINOP_INPLACE;
    op &= ~BINOP_INPLACE;
    /* fast paths for exact built-in representations */
    if (intlike(a) && intlike(b) && (IS_SMALL(a) || vm_type_of(th, a) == vm.t_int || vm_type_of(th, a) == vm.t_bool) &&
        (IS_SMALL(b) || vm_type_of(th, b) == vm.t_int || vm_type_of(th, b) == vm.t_bool)) {
        Value r = vm_int_binop(th, op, a, b);
        if (r != vm.NotImplemented) return r;
    }
    if (numlike(a) && numlike(b) && (vm_tid(a) == T_FLOAT || vm_tid(b) == T_FLOAT) &&
        (vm_tid(a) != T_FLOAT || vm_type_of(th, a) == vm.t_float) && (vm_tid(b) != T_FLOAT || vm_type_of(th, b) == vm.t_float)) {
        Value r = vm_float_binop(th, op, a, b);
        if (r != vm.NotImplemented) return r;
    }
    if (op == BINOP_ADD && vm_tid(a) == T_STR && vm_tid(b) == T_STR && vm_type_of(th, a) == vm.t_str)
        return vm_str_concat(th, a, b);
    size_t mark = ROOTS_MARK(th);
    Value *pa = ROOT(th, a), *pb = ROOT(th, b);
    Value r;
    if (inplace) {
        r = call_binary_special(th, *pa, binop_names[op][2], *pb);
        if (r != vm.NotImplemented) goto done;
    }
    Value ta = vm_type_of(th, *pa), tb = vm_type_of(th, *pb);
    bool reflected_first = ta != tb && vm_is_subtype(th, tb, ta) && vm_lookup_type(th, tb, vm_str_intern(th, binop_names[op][1])) != NULL;
    if (reflected_first) {
        r = call_binary_special(th, *pb, binop_names[op][1], *pa);
        if (r != vm.NotImplemented) goto done;
    }
    r = call_binary_special(th, *pa, binop_names[op][0], *pb);
    if (r != vm.NotImplemented) goto done;
    if (!reflected_first && vm_type_of(th, *pa) != vm_type_of(th, *pb)) {
        r = call_binary_special(th, *pb, binop_names[op][1], *pa);
        if (r != vm.NotImplemented) goto done;
    }
    uint16_t ta_ = vm_tid(*pa), tb_ = vm_tid(*pb);
    bool seq_a = ta_ == T_STR || ta_ == T_LIST || ta_ == T_TUPLE || ta_ == T_BYTES || ta_ == T_BYTEARRAY;
    bool seq_b = tb_ == T_STR || tb_ == T_LIST || tb_ == T_TUPLE || tb_ == T_BYTES || tb_ == T_BYTEARRAY;
    if (op == BINOP_ADD && (ta_ == T_BYTES || ta_ == T_BYTEARRAY) && tb_ == T_STR)
        r = vm_raise(th, vm.e_TypeError, "can't concat str to %s", vm_type_name(th, *pa));
    else if (op == BINOP_ADD && seq_a && ta_ != T_BYTES && ta_ != T_BYTEARRAY)
        r = vm_raise(th, vm.e_TypeError, "can only concatenate %s (not \"%s\") to %s", vm_type_name(th, *pa), vm_type_name(th, *pb), vm_type_name(th, *pa));
    else if (op == BINOP_MUL && (seq_a || seq_b))
        r = vm_raise(th, vm.e_TypeError, "can't multiply sequence by non-int of type '%s'", vm_type_name(th, seq_a ? *pb : *pa));
    else if (op == BINOP_POW)
        r = vm_raise(th, vm.e_TypeError, "unsupported operand type(s) for %s or pow(): '%s' and '%s'", inplace ? "**=" : "**", vm_type_name(th, *pa), vm_type_name(th, *pb));
    else
        r = vm_raise(th, vm.e_TypeError, "unsupported operand type(s) for %s%s: '%s' and '%s'", binop_symbols[op], inplace ? "=" : "", vm_type_name(th, *pa), vm_type_name(th, *pb));
done:
    ROOTS_RESET(th, mark);
    return r;
}

Value vm_unary(Thread *th, int op, Value v) {
    if (intlike(v) && (IS_SMALL(v) || vm_type_of(th, v) == vm.t_int || vm_type_of(th, v) == vm.t_bool))
        return vm_int_unary(th, op, v);
    const char *name = op == '-' ? "__neg__" : op == '+' ? "__pos__" : "__invert__";
    Value *pv = ROOT(th, v);
    Value m = vm_lookup_special(th, v, name);
    Value r = m ? vm_call1(th, m, *pv)
                : vm_raise(th, vm.e_TypeError, "bad operand type for unary %c: '%s'", op, vm_type_name(th, *pv));
    UNROOT(th, 1);
    return r;
}

static const char *const cmp_names[6] = {"__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__"};
static const int cmp_swapped[6] = {CMP_GT, CMP_GE, CMP_EQ, CMP_NE, CMP_LT, CMP_LE};
static const char *const cmp_symbols[6] = {"<", "<=", "==", "!=", ">", ">="};

Value vm_compare(Thread *th, int op, Value a, Value b) {
    switch (op) {
    case CMP_IS: return a == b ? vm.True : vm.False;
    case CMP_IS_NOT: return a != b ? vm.True : vm.False;
    case CMP_IN: case CMP_NOT_IN: {
        int r = vm_contains(th, b, a);
        if (r < 0) return NULL;
        return (r == (op == CMP_IN)) ? vm.True : vm.False;
    }
    default: break;
    }
    if (IS_SMALL(a) && IS_SMALL(b)) {
        int64_t x = SMALL_VAL(a), y = SMALL_VAL(b);
        bool r = op == CMP_LT ? x < y : op == CMP_LE ? x <= y : op == CMP_EQ ? x == y
               : op == CMP_NE ? x != y : op == CMP_GT ? x > y : x >= y;
        return r ? vm.True : vm.False;
    }
    size_t mark = ROOTS_MARK(th);
    Value *pa = ROOT(th, a), *pb = ROOT(th, b);
    Value r;
    Value ta = vm_type_of(th, a), tb = vm_type_of(th, b);
    bool swapped_first = ta != tb && vm_is_subtype(th, tb, ta);
    if (swapped_first) {
        r = call_binary_special(th, *pb, cmp_names[cmp_swapped[op]], *pa);
        if (r != vm.NotImplemented) goto done;
    }
    r = call_binary_special(th, *pa, cmp_names[op], *pb);
    if (r != vm.NotImplemented) goto done;
    if (!swapped_first) {
        r = call_binary_special(th, *pb, cmp_names[cmp_swapped[op]], *pa);
        if (r != vm.NotImplemented) goto done;
    }
    if (op == CMP_EQ) r = *pa == *pb ? vm.True : vm.False;
    else if (op == CMP_NE) r = *pa != *pb ? vm.True : vm.False;
    else r = vm_raise(th, vm.e_TypeError, "'%s' not supported between instances of '%s' and '%s'", cmp_symbols[op], vm_type_name(th, *pa), vm_type_name(th, *pb));
done:
    ROOTS_RESET(th, mark);
    return r;
}

int vm_eq(Thread *th, Value a, Value b) {
    if (a == b) return 1;
    if (IS_SMALL(a) && IS_SMALL(b)) return 0;
    if (vm_tid(a) == T_STR && vm_tid(b) == T_STR) return vm_str_eq(th, a, b);
    Value r = vm_compare(th, CMP_EQ, a, b);
    return r ? vm_truthy(th, r) : -1;
}

int vm_lt(Thread *th, Value a, Value b) {
    Value r = vm_compare(th, CMP_LT, a, b);
    return r ? vm_truthy(th, r) : -1;
}

int vm_truthy(Thread *th, Value v) {
    if (v == vm.True) return 1;
    if (v == vm.False || v == vm.None) return 0;
    if (IS_SMALL(v)) return SMALL_VAL(v) != 0;
    switch (v->tid) {
    case T_STR: return STR(th, v)->len != 0;
    case T_LIST: return R(th, v, ListObj)->n != 0;
    case T_TUPLE: return TUP(th, v)->n != 0;
    case T_FLOAT: return FLOAT_VAL(th, v) != 0.0;
    case T_FUNCTION: case T_CFUNC: case T_TYPE: case T_MODULE: return 1;
    default: break;
    }
    Value *pv = ROOT(th, v);
    Value m = vm_lookup_special(th, v, "__bool__");
    int r;
    if (m) {
        Value res = vm_call1(th, m, *pv);
        if (!res) r = -1;
        else if (vm_tid(res) != T_BOOL) { vm_raise(th, vm.e_TypeError, "__bool__ should return bool, returned %s", vm_type_name(th, res)); r = -1; }
        else r = res == vm.True;
    } else if ((m = vm_lookup_special(th, *pv, "__len__"))) {
        Value res = vm_call1(th, m, *pv);
        int64_t n;
        r = !res ? -1 : vm_index(th, res, &n) < 0 ? -1 : n != 0;
    } else r = 1;
    UNROOT(th, 1);
    return r;
}

/* ------------------------------------------------------------------------------------------ */
/* repr, str, hash                                                                             */

static Value check_str_result(Thread *th, Value r, const char *what) {
    if (r && vm_tid(r) != T_STR) return vm_raise(th, vm.e_TypeError, "%s returned non-string (type %s)", what, vm_type_name(th, r));
    return r;
}

Value vm_repr(Thread *th, Value v) {
    if (IS_SMALL(v)) return vm_int_repr(th, v);
    if (v->tid == T_STR && vm_type_of(th, v) == vm.t_str) return vm_str_repr(th, v);
    Value *pv = ROOT(th, v);
    Value m = vm_lookup_special(th, v, "__repr__");
    Value r = m ? check_str_result(th, vm_call1(th, m, *pv), "__repr__") : vm_raise(th, vm.e_TypeError, "no __repr__");
    UNROOT(th, 1);
    return r;
}

Value vm_str(Thread *th, Value v) {
    if (!IS_SMALL(v) && v->tid == T_STR && vm_type_of(th, v) == vm.t_str) return v;
    if (IS_SMALL(v)) return vm_int_repr(th, v);
    Value *pv = ROOT(th, v);
    Value m = vm_lookup_special(th, v, "__str__");
    Value r = m ? check_str_result(th, vm_call1(th, m, *pv), "__str__") : vm_repr(th, *pv);
    UNROOT(th, 1);
    return r;
}

int vm_hash(Thread *th, Value v, int64_t *out) {
    if (IS_SMALL(v)) { *out = vm_int_hash(th, v); return 0; }
    switch (v->tid) {
    case T_STR: *out = vm_str_hash(th, v); return 0;
    case T_INT: case T_BOOL: if (vm_type_of(th, v) == vm.t_int || v->tid == T_BOOL) { *out = vm_int_hash(th, v); return 0; } break;
    case T_FLOAT: if (vm_type_of(th, v) == vm.t_float) { *out = vm_float_hash(FLOAT_VAL(th, v)); return 0; } break;
    case T_TYPE: case T_FUNCTION: case T_CFUNC: case T_NONE: case T_MODULE: case T_CODE:
        *out = (int64_t)((uintptr_t)vm_stable(th, v) >> 4); return 0;
    default: break;
    }
    Value *pv = ROOT(th, v);
    Value m = vm_lookup_special(th, v, "__hash__");
    int r = -1;
    if (!m || m == vm.None) vm_raise(th, vm.e_TypeError, "unhashable type: '%s'", vm_type_name(th, *pv));
    else {
        Value h = vm_call1(th, m, *pv);
        if (h && !vm_is_int(h)) vm_raise(th, vm.e_TypeError, "__hash__ method should return an integer");
        else if (h) {
            int64_t x;
            if (IS_SMALL(h)) x = SMALL_VAL(h);
            else x = vm_int_hash(th, h);
            *out = x == -1 ? -2 : x;
            r = 0;
        }
    }
    UNROOT(th, 1);
    return r;
}

/* ------------------------------------------------------------------------------------------ */
/* Containers                                                                                  */

Value vm_getitem(Thread *th, Value obj, Value key) {
    Value *po = ROOT(th, obj), *pk = ROOT(th, key);
    Value m = vm_lookup_special(th, obj, "__getitem__");
    Value r;
    if (m) r = vm_call2(th, m, *po, *pk);
    else if (vm_tid(*po) == T_TYPE) {
        Value cg = vm_getattr_opt(th, *po, vm_str_intern(th, "__class_getitem__"));
        r = cg ? vm_call1(th, cg, *pk) : vm_raise(th, vm.e_TypeError, "type '%s' is not subscriptable", STR(th, TYPE(th, *po)->name)->data);
    } else r = vm_raise(th, vm.e_TypeError, "'%s' object is not subscriptable", vm_type_name(th, *po));
    UNROOT(th, 2);
    return r;
}

int vm_setitem(Thread *th, Value obj, Value key, Value v) {
    size_t mark = ROOTS_MARK(th);
    Value *a = ROOT(th, obj);
    ROOT(th, key);
    if (v) ROOT(th, v);
    Value m = vm_lookup_special(th, obj, v ? "__setitem__" : "__delitem__");
    int r = -1;
    if (!m)
        vm_raise(th, vm.e_TypeError, v ? "'%s' object does not support item assignment" : "'%s' object doesn't support item deletion", vm_type_name(th, *a));
    else
        r = vm_call(th, m, a, v ? 3 : 2, NULL) ? 0 : -1;
    ROOTS_RESET(th, mark);
    return r;
}

int vm_contains(Thread *th, Value c, Value item) {
    size_t mark = ROOTS_MARK(th);
    Value *pc = ROOT(th, c), *pi = ROOT(th, item);
    int r = -1;
    Value m = vm_lookup_special(th, c, "__contains__");
    if (m) {
        Value res = vm_call2(th, m, *pc, *pi);
        r = res ? vm_truthy(th, res) : -1;
        goto done;
    }
    Value it = vm_iter(th, *pc);
    if (!it) goto done;
    Value *pit = ROOT(th, it);
    for (;;) {
        Value x = vm_next(th, *pit);
        if (!x) { r = *th->exc ? -1 : 0; break; }
        int e = vm_eq(th, x, *pi);
        if (e != 0) { r = e; break; }
    }
done:
    ROOTS_RESET(th, mark);
    return r;
}

Value vm_iter(Thread *th, Value obj) {
    Value *po = ROOT(th, obj);
    Value m = vm_lookup_special(th, obj, "__iter__");
    Value r;
    if (m) {
        r = vm_call1(th, m, *po);
        if (r && !vm_lookup_special(th, r, "__next__")) r = vm_raise(th, vm.e_TypeError, "iter() returned non-iterator of type '%s'", vm_type_name(th, r));
    } else if (vm_lookup_special(th, *po, "__getitem__")) r = vm_seq_iter_new(th, *po);
    else r = vm_raise(th, vm.e_TypeError, "'%s' object is not iterable", vm_type_name(th, *po));
    UNROOT(th, 1);
    return r;
}

Value vm_next(Thread *th, Value it) {
    if (!IS_SMALL(it) && it->tid == T_ITER && vm_type_of(th, it) == vm.t_iterator) return vm_iter_next_builtin(th, it);
    if (!IS_SMALL(it) && it->tid == T_GEN) {
        if (R(th, it, GenObj)->state == GEN_DONE) return NULL;
        bool yielded;
        Value r = vm_gen_send(th, it, vm.None, &yielded);
        if (r && !yielded) return NULL;             /* returned: exhausted */
        return r;
    }
    Value *pi = ROOT(th, it);
    Value m = vm_lookup_special(th, it, "__next__");
    Value r;
    if (!m) r = vm_raise(th, vm.e_TypeError, "'%s' object is not an iterator", vm_type_name(th, *pi));
    else {
        r = vm_call1(th, m, *pi);
        if (!r && vm_exc_matches(th, vm.e_StopIteration)) vm_exc_clear(th);
    }
    UNROOT(th, 1);
    return r;
}

int64_t vm_len(Thread *th, Value obj) {
    if (!IS_SMALL(obj)) {
        switch (obj->tid) {
        case T_STR: return STR(th, obj)->nchars;
        case T_LIST: return R(th, obj, ListObj)->n;
        case T_TUPLE: return TUP(th, obj)->n;
        case T_DICT: return vm_dict_len(th, obj);
        default: break;
        }
    }
    Value *po = ROOT(th, obj);
    Value m = vm_lookup_special(th, obj, "__len__");
    int64_t n = -1;
    if (!m) vm_raise(th, vm.e_TypeError, "object of type '%s' has no len()", vm_type_name(th, *po));
    else {
        Value r = vm_call1(th, m, *po);
        if (r && vm_index(th, r, &n) == 0 && n < 0) { vm_raise(th, vm.e_ValueError, "__len__() should return >= 0"); n = -1; }
    }
    UNROOT(th, 1);
    return n;
}

int vm_index(Thread *th, Value v, int64_t *out) {
    if (IS_SMALL(v)) { *out = SMALL_VAL(v); return 0; }
    if (v->tid == T_BOOL) { *out = v == vm.True; return 0; }
    if (v->tid == T_INT) return vm_int_to_i64(th, v, out);
    Value *pv = ROOT(th, v);
    Value m = vm_lookup_special(th, v, "__index__");
    int r = -1;
    if (!m) vm_raise(th, vm.e_TypeError, "'%s' object cannot be interpreted as an integer", vm_type_name(th, *pv));
    else {
        Value x = vm_call1(th, m, *pv);
        if (x && vm_is_int(x)) r = vm_index(th, x, out);
        else if (x) vm_raise(th, vm.e_TypeError, "__index__ returned non-int (type %s)", vm_type_name(th, x));
    }
    UNROOT(th, 1);
    return r;
}

/* ------------------------------------------------------------------------------------------ */
/* object and type                                                                             */

static Value object_new(Thread *th, Value *args, int nargs, Value kwnames) {
    if (nargs < 1 || vm_tid(args[0]) != T_TYPE) return vm_raise(th, vm.e_TypeError, "object.__new__(X): X is not a type object");
    Value cls = args[0];
    const TypeObj *t = TYPE(th, cls);
    if (t->inst_tid != T_INSTANCE)
        return vm_raise(th, vm.e_TypeError, "object.__new__(%s) is not safe, use %s.__new__()", STR(th, t->name)->data, STR(th, t->name)->data);
    if ((nargs > 1 || kwnames) && vm_lookup_type(th, cls, vm_str_intern(th, "__init__")) == vm.object_init)
        return vm_raise(th, vm.e_TypeError, "%s() takes no arguments", STR(th, t->name)->data);
    Value abstract = vm_lookup_type(th, cls, vm_str_intern(th, "__abstractmethods__"));
    if (abstract && vm_truthy(th, abstract) > 0) {
        Value *pc = ROOT(th, cls);
        Value l = vm_sequence_list(th, abstract);
        Value *pl = ROOT(th, l);
        Value sep = l && vm_list_sort(th, *pl, NULL, false) == 0 ? vm_str_cstr(th, ", ") : NULL;
        Value names = sep ? vm_str_join(th, sep, *pl) : NULL;
        int64_t n = l ? vm_list_len(th, *pl) : 0;
        if (names) vm_raise(th, vm.e_TypeError, "Can't instantiate abstract class %s with abstract method%s %s",
                            STR(th, TYPE(th, *pc)->name)->data, n == 1 ? "" : "s", STR(th, names)->data);
        UNROOT(th, 2);
        return NULL;
    }
    return vm_alloc(th, T_INSTANCE, sizeof(InstanceObj), 0, cls);
}

static Value object_init(Thread *th, Value *args, int nargs, Value kwnames) { return vm.None; }

static Value object_repr(Thread *th, Value *args, int nargs, Value kwnames) {
    Value t = vm_type_of(th, args[0]);
    const TypeObj *tp = TYPE(th, t);
    Value mod = tp->module;
    if (mod && vm_tid(mod) == T_STR && strcmp(STR(th, mod)->data, "builtins") != 0)
        return vm_str_fmt(th, "<%s.%s object at %p>", STR(th, mod)->data, STR(th, tp->qualname)->data, (void *)args[0]);
    return vm_str_fmt(th, "<%s object at %p>", STR(th, tp->qualname)->data, (void *)args[0]);
}

static Value object_str(Thread *th, Value *args, int nargs, Value kwnames) { return vm_repr(th, args[0]); }
static Value object_hash(Thread *th, Value *args, int nargs, Value kwnames) {
    return MK_SMALL((int64_t)((uintptr_t)vm_stable(th, args[0]) >> 4));
}
static Value object_eq(Thread *th, Value *args, int nargs, Value kwnames) {
    return args[0] == args[1] ? vm.True : vm.NotImplemented;
}
static Value object_ne(Thread *th, Value *args, int nargs, Value kwnames) {
    Value eq = vm_lookup_special(th, args[0], "__eq__");
    if (!eq) return vm.NotImplemented;
    Value r = vm_call2(th, eq, args[0], args[1]);
    if (!r || r == vm.NotImplemented) return r;
    int t = vm_truthy(th, r);
    return t < 0 ? NULL : t ? vm.False : vm.True;
}
static Value object_notimpl(Thread *th, Value *args, int nargs, Value kwnames) { return vm.NotImplemented; }
static Value object_setattr(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "__setattr__", nargs, kwnames, 3, 3) < 0) return NULL;
    return vm_setattr(th, args[0], args[1], args[2]) < 0 ? NULL : vm.None;
}
static Value object_delattr(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "__delattr__", nargs, kwnames, 2, 2) < 0) return NULL;
    return vm_setattr(th, args[0], args[1], NULL) < 0 ? NULL : vm.None;
}
static Value object_getattribute(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "__getattribute__", nargs, kwnames, 2, 2) < 0) return NULL;
    return vm_getattr(th, args[0], args[1]);
}
static Value object_format(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "__format__", nargs, kwnames, 2, 2) < 0) return NULL;
    if (vm_tid(args[1]) != T_STR || STR(th, args[1])->len != 0)
        return vm_raise(th, vm.e_TypeError, "unsupported format string passed to %s.__format__", vm_type_name(th, args[0]));
    return vm_str(th, args[0]);
}
static Value object_dir(Thread *th, Value *args, int nargs, Value kwnames);

static Value type_new_fn(Thread *th, Value *args, int nargs, Value kwnames) {
    if (nargs == 2) return vm_type_of(th, args[1]);
    if (nargs != 4) return vm_raise(th, vm.e_TypeError, "type() takes 1 or 3 arguments");
    if (vm_tid(args[1]) != T_STR || vm_tid(args[2]) != T_TUPLE || vm_tid(args[3]) != T_DICT)
        return vm_raise(th, vm.e_TypeError, "type.__new__() argument types: (str, tuple, dict)");
    return vm_type_new(th, args[0], args[1], args[2], args[3]);
}

static Value type_repr(Thread *th, Value *args, int nargs, Value kwnames) {
    const TypeObj *t = TYPE(th, args[0]);
    Value mod = t->module;
    if (mod && vm_tid(mod) == T_STR && strcmp(STR(th, mod)->data, "builtins") != 0)
        return vm_str_fmt(th, "<class '%s.%s'>", STR(th, mod)->data, STR(th, t->qualname)->data);
    return vm_str_fmt(th, "<class '%s'>", STR(th, t->qualname)->data);
}

static Value type_mro(Thread *th, Value *args, int nargs, Value kwnames) {
    return vm_sequence_list(th, TYPE(th, args[0])->mro);
}

static Value type_subclasscheck(Thread *th, Value *args, int nargs, Value kwnames) {
    return vm_tid(args[1]) == T_TYPE && vm_is_subtype(th, args[1], args[0]) ? vm.True : vm.False;
}

static Value type_instancecheck(Thread *th, Value *args, int nargs, Value kwnames) {
    return vm_isinstance(th, args[1], args[0]) ? vm.True : vm.False;
}

/* The namespace's __slots__, if any, as a tuple of str. */
static Value slots_of(Thread *th, Value dict) {
    Value s;
    if (vm_dict_get_str(th, dict, vm_str_intern(th, "__slots__"), &s) != 1) return NULL;
    if (vm_tid(s) == T_STR) return vm_tuple_pack(th, 1, s);
    return vm_sequence_tuple(th, s);
}

Value vm_type_new(Thread *th, Value meta, Value name, Value bases, Value dict) {
    size_t mark = ROOTS_MARK(th);
    Value *pm = ROOT(th, meta), *pn = ROOT(th, name), *pb = ROOT(th, bases), *pd = ROOT(th, dict);
    Value r = NULL;
    if (TUP(th, *pb)->n == 0) { *pb = vm_tuple_pack(th, 1, vm.t_object); if (!*pb) goto done; }
    uint16_t tid = T_INSTANCE, flags = 0;
    for (int64_t i = 0; i < TUP(th, *pb)->n; i++) {
        Value b = TUP(th, *pb)->items[i];
        if (vm_tid(b) != T_TYPE) { vm_raise(th, vm.e_TypeError, "bases must be types"); goto done; }
        const TypeObj *bt = TYPE(th, b);
        if (!(bt->flags & TF_BASETYPE)) { vm_raise(th, vm.e_TypeError, "type '%s' is not an acceptable base type", STR(th, bt->name)->data); goto done; }
        if (bt->inst_tid != T_INSTANCE) {
            if (tid != T_INSTANCE && tid != bt->inst_tid) { vm_raise(th, vm.e_TypeError, "multiple bases have instance lay-out conflict"); goto done; }
            tid = bt->inst_tid;
        }
        flags |= bt->flags & TF_EXCEPTION;
    }
    Value slots = slots_of(th, *pd);
    if (*th->exc) goto done;
    Value *ps = ROOT(th, slots);
    Value *pdd = ROOT(th, vm_dict_new(th));
    if (!*pdd || vm_dict_update(th, *pdd, *pd) < 0) goto done;
    Value t = vm_alloc(th, T_TYPE, sizeof(TypeObj), 0, *pm);
    if (!t) goto done;
    Value *pt = ROOT(th, t);
    Value qn;
    if (vm_dict_del(th, *pdd, vm_str_intern(th, "__classcell__")) < 0) goto done;
    if (vm_dict_get_str(th, *pdd, vm_str_intern(th, "__qualname__"), &qn) == 1) vm_dict_del(th, *pdd, vm_str_intern(th, "__qualname__"));
    else qn = *pn;
    Value mod;
    if (vm_dict_get_str(th, *pdd, vm_str_intern(th, "__module__"), &mod) != 1) mod = NULL;
    TypeObj *tp = W(th, *pt, TypeObj);
    tp->name = *pn;
    tp->qualname = qn;
    tp->module = mod;
    tp->bases = *pb;
    tp->dict = *pdd;
    tp->slots = *ps;
    tp->inst_tid = tid;
    tp->flags = (uint16_t)(flags | TF_BASETYPE);
    if (vm_type_compute_mro(th, *pt) < 0) goto done;
    Value tmp;
    if (vm_dict_get_str(th, *pdd, vm_str_intern(th, "__eq__"), &tmp) == 1 &&
        vm_dict_get_str(th, *pdd, vm_str_intern(th, "__hash__"), &tmp) == 0 &&
        vm_dict_set(th, *pdd, vm_str_intern(th, "__hash__"), vm.None) < 0) goto done;
    if (!mod && *th->frame) {
        Value g = R(th, *th->frame, FrameObj)->globals, mn;
        if (g && vm_dict_get_str(th, g, vm_str_intern(th, "__name__"), &mn) == 1) W(th, *pt, TypeObj)->module = mn;
    }
    /* __set_name__ on the namespace's values */
    int64_t pos = 0;
    Value k, v;
    while (vm_dict_next(th, *pdd, &pos, &k, &v)) {
        if (vm_tid(v) == T_PROPERTY) { if (!R(th, v, PropertyObj)->name) W(th, v, PropertyObj)->name = k; continue; }
        if (vm_tid(v) != T_INSTANCE) continue;
        Value *pk = ROOT(th, k), *pv = ROOT(th, v);
        Value sn = vm_lookup_special(th, *pv, "__set_name__");
        if (sn) {
            Value *a = ROOT(th, *pv);
            ROOT(th, *pt);
            ROOT(th, *pk);
            Value res = vm_call(th, sn, a, 3, NULL);
            UNROOT(th, 3);
            if (!res) goto done;
        }
        UNROOT(th, 2);
    }
    /* __init_subclass__ of the first base that defines one (not object's) */
    Value isc = vm_lookup_type(th, TUP(th, *pb)->items[0], vm_str_intern(th, "__init_subclass__"));
    if (isc) {
        if (vm_tid(isc) == T_CLASSMETHOD) isc = R(th, isc, WrapperObj)->func;
        Value res = vm_call1(th, isc, *pt);
        if (!res) goto done;
    }
    r = *pt;
done:
    ROOTS_RESET(th, mark);
    return r;
}

/* __build_class__(func, name, *bases, **kw): run the body in a fresh namespace, make the type. */
Value vm_build_class(Thread *th, Value func, Value name, Value *bases, int nbases, Value kwnames, Value *kwvalues) {
    size_t mark = ROOTS_MARK(th);
    Value *pf = ROOT(th, func), *pn = ROOT(th, name);
    Value r = NULL;
    Value bt = vm_tuple_from(th, bases, nbases);
    if (!bt) goto done;
    Value *pbt = ROOT(th, bt);
    Value meta = vm.t_type;
    int64_t nkw = kwnames ? TUP(th, kwnames)->n : 0;
    for (int64_t i = 0; i < nkw; i++)
        if (!strcmp(STR(th, TUP(th, kwnames)->items[i])->data, "metaclass")) meta = kwvalues[i];
        else { vm_raise(th, vm.e_TypeError, "class keyword arguments are not supported"); goto done; }
    if (meta == vm.t_type && nbases > 0) meta = vm_type_of(th, bases[0]);
    Value *pmeta = ROOT(th, meta);
    Value ns = vm_dict_new(th);
    if (!ns) goto done;
    Value *pns = ROOT(th, ns);
    const FuncObj *fp = R(th, *pf, FuncObj);
    Value modname;
    if (vm_dict_get_str(th, fp->globals, vm_str_intern(th, "__name__"), &modname) == 1 &&
        vm_dict_set(th, *pns, vm_str_intern(th, "__module__"), modname) < 0) goto done;
    if (vm_dict_set(th, *pns, vm_str_intern(th, "__qualname__"), R(th, *pf, FuncObj)->qualname) < 0) goto done;
    Value frame = vm_frame_new(th, R(th, *pf, FuncObj)->code, R(th, *pf, FuncObj)->globals, *pns, *pf);
    if (!frame) goto done;
    Value *pfr = ROOT(th, frame);
    if (vm_frame_init_cells(th, pfr, R(th, *pf, FuncObj)->closure) < 0) goto done;
    Value cell = vm_eval_frame(th, *pfr);       /* returns the __class__ cell or None */
    if (!cell) goto done;
    Value *pcell = ROOT(th, cell);
    Value args[4] = {*pmeta, *pn, *pbt, *pns};
    Value *pa = th->t->roots_top;
    for (int i = 0; i < 4; i++) ROOT(th, args[i]);
    Value t = vm_call(th, *pmeta, pa + 1, 3, NULL);
    if (!t) goto done;
    if (vm_tid(*pcell) == T_CELL) W(th, *pcell, CellObj)->v = t;
    r = t;
done:
    ROOTS_RESET(th, mark);
    return r;
}

/* ------------------------------------------------------------------------------------------ */
/* property, staticmethod, classmethod, super                                                 */

static Value wrapper_new(Thread *th, Value cls, Value f, uint16_t tid) {
    Value *pf = ROOT(th, f);
    Value w = vm_alloc(th, tid, sizeof(WrapperObj), 0, cls);
    if (w) W(th, w, WrapperObj)->func = *pf;
    UNROOT(th, 1);
    return w;
}
static Value staticmethod_new(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "staticmethod", nargs - 1, kwnames, 1, 1) < 0) return NULL;
    return wrapper_new(th, args[0], args[1], T_STATICMETHOD);
}
static Value classmethod_new(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "classmethod", nargs - 1, kwnames, 1, 1) < 0) return NULL;
    return wrapper_new(th, args[0], args[1], T_CLASSMETHOD);
}

static Value property_new(Thread *th, Value *args, int nargs, Value kwnames) {
    static const char *const names[] = {"fget", "fset", "fdel", "doc", NULL};
    Value a[4];
    if (vm_parse_args(th, "property", args + 1, nargs - 1, kwnames, names, 0, a) < 0) return NULL;
    Value *pa = th->t->roots_top;
    for (int i = 0; i < 4; i++) ROOT(th, a[i] == vm.None ? NULL : a[i]);
    Value p = vm_alloc(th, T_PROPERTY, sizeof(PropertyObj), 0, args[0]);
    if (p) {
        Value *pp_ = ROOT(th, p);
        PropertyObj *pp = W(th, p, PropertyObj);
        pp->fget = pa[0]; pp->fset = pa[1]; pp->fdel = pa[2]; pp->doc = pa[3]; pp->name = NULL;
        if (!pp->doc && pa[0]) {
            Value d = vm_getattr_opt(th, pa[0], vm_str_intern(th, "__doc__"));
            if (d && d != vm.None) W(th, *pp_, PropertyObj)->doc = d;
            vm_exc_clear(th);
        }
        p = *pp_;
        UNROOT(th, 1);
    }
    UNROOT(th, 4);
    return p;
}

static Value property_copy(Thread *th, Value self, int which, Value f) {
    Value *ps = ROOT(th, self), *pf = ROOT(th, f);
    Value p = vm_alloc(th, T_PROPERTY, sizeof(PropertyObj), 0, vm_type_of(th, self));
    if (p) {
        const PropertyObj *old = R(th, *ps, PropertyObj);
        PropertyObj *np = W(th, p, PropertyObj);
        *np = *old;
        if (which == 0) np->fget = *pf; else if (which == 1) np->fset = *pf; else np->fdel = *pf;
    }
    UNROOT(th, 2);
    return p;
}
static Value property_getter(Thread *th, Value *a, int n, Value kw) { return property_copy(th, a[0], 0, a[1]); }
static Value property_setter(Thread *th, Value *a, int n, Value kw) { return property_copy(th, a[0], 1, a[1]); }
static Value property_deleter(Thread *th, Value *a, int n, Value kw) { return property_copy(th, a[0], 2, a[1]); }
static Value property_get(Thread *th, Value *a, int n, Value kw) {
    if (n < 2 || a[1] == vm.None) return a[0];
    Value g = R(th, a[0], PropertyObj)->fget;
    return g ? vm_call1(th, g, a[1]) : vm_raise(th, vm.e_AttributeError, "unreadable attribute");
}

/* super(): explicit super(type, obj), or zero-argument form resolved by the eval loop
   (which passes the __class__ cell contents and the first argument). */
static Value super_new(Thread *th, Value *args, int nargs, Value kwnames) {
    Value type, obj;
    if (nargs == 3) { type = args[1]; obj = args[2]; }
    else if (nargs == 1) {
        if (vm_super_implicit(th, &type, &obj) < 0) return NULL;
        args = th->t->roots_top;
        ROOT(th, type);
        ROOT(th, obj);
        Value r = vm_alloc(th, T_SUPER, sizeof(SuperObj), 0, vm.t_super);
        if (r) { SuperObj *s = W(th, r, SuperObj); s->type = args[0]; s->obj = args[1]; s->objtype = vm_tid(args[1]) == T_TYPE ? args[1] : vm_type_of(th, args[1]); }
        UNROOT(th, 2);
        return r;
    } else return vm_raise(th, vm.e_TypeError, "super() takes 0 or 2 arguments");
    if (vm_tid(type) != T_TYPE) return vm_raise(th, vm.e_TypeError, "super() argument 1 must be a type");
    Value r = vm_alloc(th, T_SUPER, sizeof(SuperObj), 0, args[0]);
    if (r) {
        SuperObj *s = W(th, r, SuperObj);
        s->type = args[1];
        s->obj = args[2];
        s->objtype = vm_tid(args[2]) == T_TYPE && vm_is_subtype(th, args[2], args[1]) ? args[2] : vm_type_of(th, args[2]);
    }
    return r;
}

static Value super_getattribute(Thread *th, Value *args, int nargs, Value kwnames) {
    const SuperObj *s = R(th, args[0], SuperObj);
    Value mro = TYPE(th, s->objtype)->mro;
    const TupleObj *m = TUP(th, mro);
    int64_t i = 0;
    while (i < m->n && m->items[i] != s->type) i++;
    for (i++; i < m->n; i++) {
        Value v;
        m = TUP(th, mro);
        int r = vm_dict_get_str(th, TYPE(th, m->items[i])->dict, args[1], &v);
        if (r < 0) return NULL;
        if (r == 1) {
            s = R(th, args[0], SuperObj);
            Value inst = s->obj == s->objtype ? vm.None : s->obj;
            if (!IS_SMALL(v) && v->tid == T_STATICMETHOD) return R(th, v, WrapperObj)->func;
            if (!IS_SMALL(v) && v->tid == T_CLASSMETHOD) return vm_method_new(th, R(th, v, WrapperObj)->func, s->objtype);
            if (is_cfunc_flag(v, CF_CLASSMETHOD)) return vm_method_new(th, v, s->objtype);
            if (inst == vm.None) return v;
            return bind_descr(th, v, inst, s->objtype);
        }
    }
    return vm_raise(th, vm.e_AttributeError, "'super' object has no attribute '%s'", STR(th, args[1])->data);
}

Value vm_super_getattr(Thread *th, Value sup, Value name) {
    Value *a = ROOT(th, sup);
    ROOT(th, name);
    Value r = super_getattribute(th, a, 2, NULL);
    UNROOT(th, 2);
    return r;
}

static size_t size_prop(const void *p) { return sizeof(PropertyObj); }
static void trace_prop(void *p, void (*visit)(stm_obj **, void *), void *ctx) {
    PropertyObj *o = p;
    visit(&o->fget, ctx); visit(&o->fset, ctx); visit(&o->fdel, ctx); visit(&o->doc, ctx); visit(&o->name, ctx);
}
static size_t size_wrapper(const void *p) { return sizeof(WrapperObj); }
static void trace_wrapper(void *p, void (*visit)(stm_obj **, void *), void *ctx) { visit(&((WrapperObj *)p)->func, ctx); }
static size_t size_super(const void *p) { return sizeof(SuperObj); }
static void trace_super(void *p, void (*visit)(stm_obj **, void *), void *ctx) {
    SuperObj *s = p;
    visit(&s->type, ctx); visit(&s->obj, ctx); visit(&s->objtype, ctx);
}

static Value object_dir(Thread *th, Value *args, int nargs, Value kwnames) {
    Value *l = ROOT(th, vm_list_new(th, 0));
    Value r = NULL;
    if (!*l) goto done;
    Value *pd = ROOT(th, instance_dict(th, args[0]));
    if (*th->exc) { UNROOT(th, 1); goto done; }
    int64_t pos = 0;
    Value k, v;
    if (*pd) while (vm_dict_next(th, *pd, &pos, &k, &v)) if (vm_list_append(th, *l, k) < 0) { UNROOT(th, 1); goto done; }
    UNROOT(th, 1);
    Value t = vm_tid(args[0]) == T_TYPE ? args[0] : vm_type_of(th, args[0]);
    Value *pmro = ROOT(th, TYPE(th, t)->mro);
    for (int64_t i = 0; i < TUP(th, *pmro)->n; i++) {
        Value td = TYPE(th, TUP(th, *pmro)->items[i])->dict;
        pos = 0;
        while (vm_dict_next(th, td, &pos, &k, &v)) {
            int c = vm_contains(th, *l, k);
            if (c < 0 || (!c && vm_list_append(th, *l, k) < 0)) { UNROOT(th, 1); goto done; }
            td = TYPE(th, TUP(th, *pmro)->items[i])->dict;
        }
    }
    UNROOT(th, 1);
    if (vm_list_sort(th, *l, NULL, false) < 0) goto done;
    r = *l;
done:
    UNROOT(th, 1);
    return r;
}

/* None, bool, NotImplemented, Ellipsis */
static Value none_repr(Thread *th, Value *a, int n, Value kw) { return vm_str_intern(th, "None"); }
static Value none_bool(Thread *th, Value *a, int n, Value kw) { return vm.False; }
static Value bool_repr(Thread *th, Value *a, int n, Value kw) { return vm_str_intern(th, a[0] == vm.True ? "True" : "False"); }
static Value bool_logic(Thread *th, Value *a, int n, Value kw, int op) {
    if (vm_tid(a[1]) != T_BOOL) return vm_int_binop(th, op, a[0], a[1]);
    bool x = a[0] == vm.True, y = a[1] == vm.True;
    bool r = op == BINOP_AND ? (x & y) : op == BINOP_OR ? (x | y) : (x ^ y);
    return r ? vm.True : vm.False;
}
static Value bool_and(Thread *th, Value *a, int n, Value kw) { return bool_logic(th, a, n, kw, BINOP_AND); }
static Value bool_or(Thread *th, Value *a, int n, Value kw) { return bool_logic(th, a, n, kw, BINOP_OR); }
static Value bool_xor(Thread *th, Value *a, int n, Value kw) { return bool_logic(th, a, n, kw, BINOP_XOR); }
static Value bool_new(Thread *th, Value *a, int n, Value kw) {
    if (vm_arg_count(th, "bool", n - 1, kw, 0, 1) < 0) return NULL;
    if (n == 1) return vm.False;
    int t = vm_truthy(th, a[1]);
    return t < 0 ? NULL : t ? vm.True : vm.False;
}
static Value notimpl_repr(Thread *th, Value *a, int n, Value kw) { return vm_str_intern(th, "NotImplemented"); }
static Value ellipsis_repr(Thread *th, Value *a, int n, Value kw) { return vm_str_intern(th, "Ellipsis"); }
static Value singleton_hash(Thread *th, Value *a, int n, Value kw) { return MK_SMALL((int64_t)((uintptr_t)a[0] >> 4)); }
static const vm_method none_methods[] = {{"__repr__", none_repr, CF_METHOD}, {"__bool__", none_bool, CF_METHOD}, {"__hash__", singleton_hash, CF_METHOD}, {NULL, NULL, 0}};
static const vm_method bool_methods[] = {{"__new__", bool_new, CF_STATIC}, {"__repr__", bool_repr, CF_METHOD}, {"__str__", bool_repr, CF_METHOD},
    {"__and__", bool_and, CF_METHOD}, {"__rand__", bool_and, CF_METHOD}, {"__or__", bool_or, CF_METHOD}, {"__ror__", bool_or, CF_METHOD},
    {"__xor__", bool_xor, CF_METHOD}, {"__rxor__", bool_xor, CF_METHOD}, {NULL, NULL, 0}};
static const vm_method notimpl_methods[] = {{"__repr__", notimpl_repr, CF_METHOD}, {"__hash__", singleton_hash, CF_METHOD}, {NULL, NULL, 0}};
static const vm_method ellipsis_methods[] = {{"__repr__", ellipsis_repr, CF_METHOD}, {"__hash__", singleton_hash, CF_METHOD}, {NULL, NULL, 0}};

static const vm_method object_methods[] = {
    {"__new__", object_new, CF_STATIC},
    {"__init__", object_init, CF_METHOD},
    {"__repr__", object_repr, CF_METHOD},
    {"__str__", object_str, CF_METHOD},
    {"__hash__", object_hash, CF_METHOD},
    {"__eq__", object_eq, CF_METHOD},
    {"__ne__", object_ne, CF_METHOD},
    {"__lt__", object_notimpl, CF_METHOD},
    {"__le__", object_notimpl, CF_METHOD},
    {"__gt__", object_notimpl, CF_METHOD},
    {"__ge__", object_notimpl, CF_METHOD},
    {"__setattr__", object_setattr, CF_METHOD},
    {"__delattr__", object_delattr, CF_METHOD},
    {"__getattribute__", object_getattribute, CF_METHOD},
    {"__format__", object_format, CF_METHOD},
    {"__dir__", object_dir, CF_METHOD},
    {NULL, NULL, 0}};

static const vm_method type_methods[] = {
    {"__new__", type_new_fn, CF_STATIC},
    {"__repr__", type_repr, CF_METHOD},
    {"mro", type_mro, CF_METHOD},
    {"__subclasscheck__", type_subclasscheck, CF_METHOD},
    {"__instancecheck__", type_instancecheck, CF_METHOD},
    {NULL, NULL, 0}};

static const vm_method property_methods[] = {
    {"__new__", property_new, CF_STATIC},
    {"getter", property_getter, CF_METHOD},
    {"setter", property_setter, CF_METHOD},
    {"deleter", property_deleter, CF_METHOD},
    {"__get__", property_get, CF_METHOD},
    {NULL, NULL, 0}};

static const vm_method staticmethod_methods[] = {{"__new__", staticmethod_new, CF_STATIC}, {NULL, NULL, 0}};
static const vm_method classmethod_methods[] = {{"__new__", classmethod_new, CF_STATIC}, {NULL, NULL, 0}};
static const vm_method super_methods[] = {{"__new__", super_new, CF_STATIC}, {"__getattribute__", super_getattribute, CF_METHOD}, {NULL, NULL, 0}};

void obj_object_init(Thread *th) {
    vm_tidinfo[T_PROPERTY] = (vm_typeinfo){size_prop, trace_prop};
    vm_tidinfo[T_STATICMETHOD] = (vm_typeinfo){size_wrapper, trace_wrapper};
    vm_tidinfo[T_CLASSMETHOD] = (vm_typeinfo){size_wrapper, trace_wrapper};
    vm_tidinfo[T_SUPER] = (vm_typeinfo){size_super, trace_super};
    vm_add_methods(th, vm.t_object, object_methods);
    vm_add_methods(th, vm.t_type, type_methods);
    vm_add_methods(th, vm.t_property, property_methods);
    vm_add_methods(th, vm.t_staticmethod, staticmethod_methods);
    vm_add_methods(th, vm.t_classmethod, classmethod_methods);
    vm_add_methods(th, vm.t_super, super_methods);
    vm_add_methods(th, vm.t_NoneType, none_methods);
    vm_add_methods(th, vm.t_bool, bool_methods);
    vm_add_methods(th, vm.t_NotImplementedType, notimpl_methods);
    vm_add_methods(th, vm.t_ellipsis, ellipsis_methods);
}
