/* import.c — modules: built-in (native), embedded lib modules, and .py files on sys.path. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *read_file(const char *path, size_t *len) {
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap + 1);
    size_t k;
    while (buf && (k = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += k;
        if (n == cap) buf = realloc(buf, (cap *= 2) + 1);
    }
    fclose(fp);
    if (!buf) return NULL;
    buf[n] = 0;
    *len = n;
    return buf;
}

char *vm_read_source(const char *path, size_t *len) { return read_file(path, len); }

/* A SyntaxError instance from a compile error (msg, filename, lineno, offset, text). */
Value vm_syntax_error_value(Thread *th, const vm_syntax_error *e) {
    Value type = !strcmp(e->type, "IndentationError") ? vm.e_IndentationError : !strcmp(e->type, "TabError") ? vm.e_TabError : vm.e_SyntaxError;
    Value *pt = ROOT(th, type);
    Value *pfile = ROOT(th, vm_str_cstr(th, e->filename));
    Value *pline = ROOT(th, vm_str_cstr(th, e->line));
    Value *pmsg = ROOT(th, vm_str_cstr(th, e->msg));
    Value info = *pfile && *pline && *pmsg ? vm_tuple_pack(th, 4, *pfile, MK_SMALL(e->lineno), MK_SMALL(e->col), *pline) : NULL;
    Value *pinfo = ROOT(th, info);
    Value args = info ? vm_tuple_pack(th, 2, *pmsg, *pinfo) : NULL;
    Value exc = args ? vm_exc_new(th, *pt, args) : NULL;
    if (exc) {
        Value *pe = ROOT(th, exc);
        Value d = R(th, *pe, InstanceObj)->dict;
        vm_dict_set(th, d, vm_str_intern(th, "msg"), *pmsg);
        vm_dict_set(th, R(th, *pe, InstanceObj)->dict, vm_str_intern(th, "filename"), *pfile);
        vm_dict_set(th, R(th, *pe, InstanceObj)->dict, vm_str_intern(th, "lineno"), MK_SMALL(e->lineno));
        vm_dict_set(th, R(th, *pe, InstanceObj)->dict, vm_str_intern(th, "offset"), MK_SMALL(e->col));
        vm_dict_set(th, R(th, *pe, InstanceObj)->dict, vm_str_intern(th, "text"), *pline);
        exc = *pe;
        UNROOT(th, 1);
    }
    UNROOT(th, 5);
    return exc;
}

/* Execute source as module `name` (already registered in sys.modules by the caller). */
static Value exec_module(Thread *th, Value name, const char *source, size_t len, const char *filename, bool package) {
    vm_syntax_error err;
    const vm_code *code = vm_compile(source, len, filename, COMPILE_FILE, &err);
    if (!code) {
        Value e = vm_syntax_error_value(th, &err);
        return e ? vm_raise_instance(th, e) : NULL;
    }
    size_t mark = ROOTS_MARK(th);
    Value *pn = ROOT(th, name);
    char cname[512];                    /* a C copy: allocation may move the str it came from */
    snprintf(cname, sizeof cname, "%s", STR(th, name)->data);
    Value m = vm_make_module(th, cname, NULL);
    Value r = NULL;
    if (!m) goto done;
    Value *pm = ROOT(th, m);
    /* vm_make_module keys sys.modules by an interned copy; re-key with the real name */
    vm_dict_set(th, vm.modules, *pn, *pm);
    vm_module_set(th, *pm, "__name__", *pn);
    { Value fv = vm_str_cstr(th, filename); vm_module_set(th, *pm, "__file__", fv); }
    vm_module_set(th, *pm, "__builtins__", vm.builtins);
    if (package) {
        vm_module_set(th, *pm, "__package__", *pn);
        char dir[4096];
        snprintf(dir, sizeof dir, "%s", filename);
        char *slash = strrchr(dir, '/');
        if (slash) *slash = 0;
        Value dv = vm_str_cstr(th, dir);
        Value tv = dv ? vm_tuple_pack(th, 1, dv) : NULL;
        vm_module_set(th, *pm, "__path__", tv);
    } else {
        const char *n = STR(th, *pn)->data, *dot = strrchr(n, '.');
        Value pv = dot ? vm_str_new(th, n, (size_t)(dot - n)) : vm.empty_str;
        vm_module_set(th, *pm, "__package__", pv);
    }
    Value cv = vm_code_value(th, code);
    if (!cv) goto done;
    Value res = vm_run_module_code(th, cv, R(th, *pm, ModuleObj)->dict);
    if (!res) { vm_dict_del(th, vm.modules, *pn); goto done; }
    r = *pm;
done:
    ROOTS_RESET(th, mark);
    return r;
}

static bool is_file(const char *p) { struct stat st; return stat(p, &st) == 0 && S_ISREG(st.st_mode); }

/* Find and load one module (full dotted name), given the parent's __path__ (or sys.path). */
static Value load_module(Thread *th, Value fullname, Value search) {
    const char *full = STR(th, fullname)->data;
    const char *last = strrchr(full, '.');
    last = last ? last + 1 : full;
    if (search == vm.path) {
        for (const vm_libmod *lm = vm_lib_modules; lm->name; lm++)
            if (!strcmp(lm->name, full)) {
                char fn[256];
                snprintf(fn, sizeof fn, "<stmvm-lib>/%s.py", lm->name);
                return exec_module(th, fullname, lm->source, strlen(lm->source), strdup(fn), false);
            }
    }
    Value *pf = ROOT(th, fullname), *ps = ROOT(th, search);
    int64_t n = vm_tid(*ps) == T_LIST ? vm_list_len(th, *ps) : vm_tid(*ps) == T_TUPLE ? TUP(th, *ps)->n : 0;
    Value r = NULL;
    for (int64_t i = 0; i < n; i++) {
        Value dir = vm_tid(*ps) == T_LIST ? vm_list_get(th, *ps, i) : TUP(th, *ps)->items[i];
        if (vm_tid(dir) != T_STR) continue;
        char path[4096];
        const char *d = STR(th, dir)->data;
        snprintf(path, sizeof path, "%s%s%s/__init__.py", d, *d ? "/" : "", last);
        bool pkg = is_file(path);
        if (!pkg) snprintf(path, sizeof path, "%s%s%s.py", d, *d ? "/" : "", last);
        if (!pkg && !is_file(path)) continue;
        size_t len;
        char *src = read_file(path, &len);
        if (!src) continue;
        r = exec_module(th, *pf, src, len, strdup(path), pkg);
        goto done;
    }
    vm_raise(th, vm.e_ModuleNotFoundError, "No module named '%s'", STR(th, *pf)->data);
    vm_dict_set(th, R(th, *th->exc, InstanceObj)->dict, vm_str_intern(th, "name"), *pf);
done:
    UNROOT(th, 2);
    return r;
}

static Value import_one(Thread *th, Value fullname, Value parent) {
    Value m;
    if (vm_dict_get_str(th, vm.modules, fullname, &m) == 1) return m;
    Value search = vm.path;
    Value *pp = ROOT(th, parent), *pf = ROOT(th, fullname);   /* __getattr__ may run Python code */
    if (parent) {
        Value key = vm_str_intern(th, "__path__");
        Value p = key ? vm_getattr_opt(th, *pp, key) : NULL;
        if (!p && *th->exc && vm_exc_matches(th, vm.e_AttributeError)) vm_exc_clear(th);   /* a __getattr__ said no */
        if (!p) {
            if (!*th->exc) {
                vm_raise(th, vm.e_ModuleNotFoundError, "No module named '%s'", STR(th, *pf)->data);
                vm_dict_set(th, R(th, *th->exc, InstanceObj)->dict, vm_str_intern(th, "name"), *pf);
            }
            UNROOT(th, 2);
            return NULL;
        }
        search = p;
    }
    Value r = load_module(th, *pf, search);
    if (r && *pp) {
        const char *n = STR(th, *pf)->data;
        const char *dot = strrchr(n, '.');
        Value attr = vm_str_cstr(th, dot ? dot + 1 : n);
        if (attr) vm_setattr(th, *pp, attr, r);
    }
    UNROOT(th, 2);
    return r;
}

Value vm_import(Thread *th, Value name, Value fromlist, int level, Value globals) {
    size_t mark = ROOTS_MARK(th);
    Value *pn = ROOT(th, name), *pfl = ROOT(th, fromlist);
    Value r = NULL;
    char base[1024] = "";
    if (level > 0) {
        Value pkg = NULL;
        if (globals && vm_dict_get_str(th, globals, vm_str_intern(th, "__package__"), &pkg) == 1 && vm_tid(pkg) == T_STR)
            snprintf(base, sizeof base, "%s", STR(th, pkg)->data);
        for (int i = 1; i < level; i++) {
            char *dot = strrchr(base, '.');
            if (!dot) { vm_raise(th, vm.e_ImportError, "attempted relative import beyond top-level package"); goto done; }
            *dot = 0;
        }
        if (!base[0]) { vm_raise(th, vm.e_ImportError, "attempted relative import with no known parent package"); goto done; }
    }
    char full[2048];
    const char *n = STR(th, *pn)->data;
    snprintf(full, sizeof full, "%s%s%s", base, base[0] && n[0] ? "." : "", n);
    /* import each prefix */
    Value *top = ROOT(th, NULL), *cur = ROOT(th, NULL);
    char *p = full;
    for (;;) {
        char *dot = strchr(p, '.');
        Value part = vm_str_new(th, full, dot ? (size_t)(dot - full) : strlen(full));
        if (!part) goto done;
        Value m = import_one(th, part, *cur);
        if (!m) goto done;
        *cur = m;
        if (!*top) *top = m;
        if (!dot) break;
        p = dot + 1;
    }
    bool from = *pfl && *pfl != vm.None && vm_truthy(th, *pfl) > 0;
    if (from) {
        /* from pkg import submodule: load submodules named in fromlist */
        if (vm_tid(*pfl) == T_TUPLE && vm_getattr_opt(th, *cur, vm_str_intern(th, "__path__"))) {
            for (int64_t i = 0; i < TUP(th, *pfl)->n; i++) {
                Value item = TUP(th, *pfl)->items[i];
                if (vm_tid(item) != T_STR || STR(th, item)->data[0] == '*') continue;
                Value have = vm_getattr_opt(th, *cur, item);
                if (have || *th->exc) { vm_exc_clear(th); continue; }
                Value sub = vm_str_fmt(th, "%s.%s", STR(th, R(th, *cur, ModuleObj)->name)->data, STR(th, TUP(th, *pfl)->items[i])->data);
                if (sub && !import_one(th, sub, *cur)) {
                    if (vm_exc_matches(th, vm.e_ModuleNotFoundError)) vm_exc_clear(th);
                    else goto done;
                }
            }
        }
        vm_exc_clear(th);
        r = *cur;
    } else {
        r = level > 0 ? *cur : *top;
    }
done:
    ROOTS_RESET(th, mark);
    return r;
}

Value vm_import_cstr(Thread *th, const char *name) {
    Value n = vm_str_cstr(th, name);
    return n ? vm_import(th, n, vm.None, 0, NULL) : NULL;
}
