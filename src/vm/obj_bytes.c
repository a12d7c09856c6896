/* obj_bytes.c — bytes (immutable, BytesObj in vm.h) and bytearray (mutable: a length and a
 * buffer object).
 *
 * A bytearray's buffer is a T_BYTES object private to it (no STM_IMMUTABLE, class NULL, len =
 * capacity); it is replaced by a bigger one when the bytearray grows.  Methods shared by both
 * types work on a (pointer, length) view of the data taken after the last moving point; results
 * are built in C memory and copied into a new object of the receiver's kind.
 */
#include "vm.h"

#include <stdlib.h>
#include <string.h>

typedef struct ByteArrayObj { ObjHead h; int64_t len; Value buf; } ByteArrayObj;

/* From obj_str.c */
Value vm_str_encode(Thread *th, Value s, Value encoding, Value errors);
Value vm_decode(Thread *th, const unsigned char *p, size_t n, Value encoding, Value errors);
int64_t vm_hash_bytes(const void *p, size_t n);

/* Exported (the lead may move these to vm.h) */
int vm_bytes_data(Thread *th, Value v, const unsigned char **p, int64_t *n);
Value vm_bytes_alloc(Thread *th, int64_t len);          /* zeroed, fill before the next moving point */
Value vm_bytes_concat(Thread *th, Value a, Value b);   /* TypeError "can't concat X to bytes" */

static inline bool is_bytes(Value v) { return v && !IS_SMALL(v) && v->tid == T_BYTES; }
static inline bool is_ba(Value v) { return v && !IS_SMALL(v) && v->tid == T_BYTEARRAY; }
static inline bool is_blike(Value v) { return is_bytes(v) || is_ba(v); }

int vm_bytes_data(Thread *th, Value v, const unsigned char **p, int64_t *n) {
    if (is_bytes(v)) {
        const BytesObj *b = R(th, v, BytesObj);
        *p = b->data;
        *n = b->len;
        return 0;
    }
    if (is_ba(v)) {
        const ByteArrayObj *a = R(th, v, ByteArrayObj);
        *n = a->len;
        *p = a->buf ? R(th, a->buf, BytesObj)->data : (const unsigned char *)"";
        return 0;
    }
    *p = NULL;          /* defined for callers that know v is bytes-like and skip the check */
    *n = 0;
    return -1;
}

typedef struct Buf { unsigned char *p; size_t n, cap; } Buf;
static bool buf_add(Buf *b, const void *s, size_t n) {
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        while (cap < b->n + n) cap *= 2;
        unsigned char *p = realloc(b->p, cap);
        if (!p) return false;
        b->p = p;
        b->cap = cap;
    }
    if (n) memcpy(b->p + b->n, s, n);
    b->n += n;
    return true;
}
static bool buf_addc(Buf *b, unsigned char c) { return buf_add(b, &c, 1); }

static Value bytes_alloc_cls(Thread *th, Value cls, int64_t len) {
    Value v = vm_alloc(th, T_BYTES, sizeof(BytesObj) + (size_t)len, STM_IMMUTABLE, cls ? cls : vm.t_bytes);
    if (v) ((BytesObj *)stm_payload(v))->len = len;
    return v;
}
Value vm_bytes_alloc(Thread *th, int64_t len) { return bytes_alloc_cls(th, NULL, len); }

Value vm_bytes_new(Thread *th, const void *data, size_t len) {
    Value v = bytes_alloc_cls(th, NULL, (int64_t)len);
    if (v && len) memcpy(((BytesObj *)stm_payload(v))->data, data, len);
    return v;
}

/* A bytearray of class cls holding n bytes from p (C memory; p NULL: zeros). */
static Value ba_new(Thread *th, Value cls, const void *p, int64_t n) {
    Value a = vm_alloc(th, T_BYTEARRAY, sizeof(ByteArrayObj), 0, cls ? cls : vm.t_bytearray);
    if (!a || n == 0) return a;
    Value *ra = ROOT(th, a);
    Value buf = vm_alloc(th, T_BYTES, sizeof(BytesObj) + (size_t)n, 0, NULL);
    a = *ra;
    UNROOT(th, 1);
    if (!buf) return NULL;
    BytesObj *bo = stm_payload(buf);
    bo->len = n;
    if (p) memcpy(bo->data, p, (size_t)n);
    ByteArrayObj *ao = W(th, a, ByteArrayObj);
    ao->buf = buf;
    ao->len = n;
    return a;
}

/* Make room for `need` bytes in the bytearray in *ra. */
static int ba_reserve(Thread *th, Value *ra, int64_t need) {
    const ByteArrayObj *a = R(th, *ra, ByteArrayObj);
    int64_t cap = a->buf ? R(th, a->buf, BytesObj)->len : 0;
    if (need <= cap) return 0;
    int64_t ncap = cap * 2 > need ? cap * 2 : need;
    if (ncap < 16) ncap = 16;
    Value buf = vm_alloc(th, T_BYTES, sizeof(BytesObj) + (size_t)ncap, 0, NULL);
    if (!buf) return -1;
    a = R(th, *ra, ByteArrayObj);
    BytesObj *bo = stm_payload(buf);
    bo->len = ncap;
    if (a->buf) memcpy(bo->data, R(th, a->buf, BytesObj)->data, (size_t)a->len);
    W(th, *ra, ByteArrayObj)->buf = buf;
    return 0;
}
static unsigned char *ba_wdata(Thread *th, Value a) {
    Value buf = R(th, a, ByteArrayObj)->buf;
    return buf ? W(th, buf, BytesObj)->data : NULL;
}

/* A result of the same kind as self (bytes or bytearray) from C memory. */
static Value make_like(Thread *th, Value self, const void *p, size_t n) {
    if (is_ba(self)) return ba_new(th, NULL, p, (int64_t)n);
    return vm_bytes_new(th, p, n);
}
/* Same, copying [off, off+len) of self's own data (a GC payload: copied out first). */
static Value make_like_part(Thread *th, Value self, int64_t off, int64_t len) {
    const unsigned char *p;
    int64_t n;
    vm_bytes_data(th, self, &p, &n);
    unsigned char *tmp = malloc(len ? (size_t)len : 1);
    if (!tmp) return vm_no_memory(th);
    memcpy(tmp, p + off, (size_t)len);
    Value r = make_like(th, self, tmp, (size_t)len);
    free(tmp);
    return r;
}
static Value make_like_buf(Thread *th, Value self, Buf *b) {
    Value r = make_like(th, self, b->p, b->n);
    free(b->p);
    b->p = NULL;
    return r;
}

/* ------------------------------------------------------------------------------------------ */
/* Constructors                                                                                */

static int byte_value(Thread *th, Value v, unsigned char *out, const char *range_msg) {
    int64_t x;
    if (!vm_is_int(v) && vm_tid(v) != T_BOOL) {
        Value *r = ROOT(th, v);
        bool has = vm_lookup_special(th, v, "__index__") != NULL;
        v = *r;
        UNROOT(th, 1);
        if (!has) {
            vm_raise(th, vm.e_TypeError, "'%s' object cannot be interpreted as an integer", vm_type_name(th, v));
            return -1;
        }
    }
    if (vm_index(th, v, &x) < 0) {
        if (!vm_exc_matches(th, vm.e_OverflowError)) return -1;
        vm_exc_clear(th);
        x = -1;
    }
    if (x < 0 || x > 255) { vm_raise(th, vm.e_ValueError, "%s", range_msg); return -1; }
    *out = (unsigned char)x;
    return 0;
}

/* The bytes of source (bytes(source, encoding, errors)) into out. */
static int collect_source(Thread *th, Value src, Value enc, Value err, Buf *out) {
    if (!src) {
        if (enc || err) return vm_raise(th, vm.e_TypeError, enc ? "encoding without a string argument"
                                                                : "errors without a string argument"), -1;
        return 0;
    }
    if (vm_tid(src) == T_STR) {
        if (!enc) return vm_raise(th, vm.e_TypeError, "string argument without an encoding"), -1;
        Value b = vm_str_encode(th, src, enc, err);
        if (!b) return -1;
        const BytesObj *o = R(th, b, BytesObj);
        return buf_add(out, o->data, (size_t)o->len) ? 0 : (vm_no_memory(th), -1);
    }
    if (enc || err)
        return vm_raise(th, vm.e_TypeError, enc ? "encoding without a string argument"
                                               : "errors without a string argument"), -1;
    const unsigned char *p;
    int64_t n;
    if (vm_bytes_data(th, src, &p, &n) == 0) return buf_add(out, p, (size_t)n) ? 0 : (vm_no_memory(th), -1);
    Value *rs = ROOT(th, src);
    int rc = -1;
    if (vm_is_int(src) || vm_tid(src) == T_BOOL || vm_lookup_special(th, src, "__index__")) {
        if (vm_index(th, *rs, &n) < 0) goto out;
        if (n < 0) { vm_raise(th, vm.e_ValueError, "negative count"); goto out; }
        if (!buf_add(out, NULL, 0) || (n && !(out->p = realloc(out->p, (size_t)n)))) { vm_no_memory(th); goto out; }
        memset(out->p, 0, (size_t)n);
        out->n = out->cap = (size_t)n;
        rc = 0;
        goto out;
    }
    if (vm_tid(*rs) != T_LIST && vm_tid(*rs) != T_TUPLE && !vm_lookup_special(th, *rs, "__iter__")) {
        vm_raise(th, vm.e_TypeError, "cannot convert '%s' object to bytes", vm_type_name(th, *rs));
        goto out;
    }
    Value it = vm_iter(th, *rs);
    if (!it) goto out;
    *rs = it;
    for (;;) {
        Value v = vm_next(th, *rs);
        if (!v) { if (*th->exc) goto out; break; }
        unsigned char c;
        if (byte_value(th, v, &c, "bytes must be in range(0, 256)") < 0) goto out;
        if (!buf_addc(out, c)) { vm_no_memory(th); goto out; }
    }
    rc = 0;
out:
    UNROOT(th, 1);
    return rc;
}

static Value bytes_new_m(Thread *th, Value *args, int nargs, Value kwnames) {
    static const char *const names[] = {"source", "encoding", "errors", NULL};
    Value a[3];
    if (vm_parse_args(th, "bytes", args + 1, nargs - 1, kwnames, names, 0, a) < 0) return NULL;
    Buf b = {0};
    if (collect_source(th, a[0], a[1], a[2], &b) < 0) { free(b.p); return NULL; }
    Value v = bytes_alloc_cls(th, args[0], (int64_t)b.n);
    if (v && b.n) memcpy(((BytesObj *)stm_payload(v))->data, b.p, b.n);
    free(b.p);
    return v;
}

static Value ba_new_m(Thread *th, Value *args, int nargs, Value kwnames) {
    static const char *const names[] = {"source", "encoding", "errors", NULL};
    Value a[3];
    if (vm_parse_args(th, "bytearray", args + 1, nargs - 1, kwnames, names, 0, a) < 0) return NULL;
    Buf b = {0};
    if (collect_source(th, a[0], a[1], a[2], &b) < 0) { free(b.p); return NULL; }
    Value v = ba_new(th, args[0], b.p, (int64_t)b.n);
    free(b.p);
    return v;
}
static Value ba_init_m(Thread *th, Value *args, int nargs, Value kwnames) { return vm.None; }

/* ------------------------------------------------------------------------------------------ */
/* Shared methods                                                                              */

#define BM(name) static Value b_##name(Thread *th, Value *args, int nargs, Value kwnames)
#define SELF(nm)                                                                                 \
    const unsigned char *p;                                                                      \
    int64_t n;                                                                                   \
    if (vm_bytes_data(th, args[0], &p, &n) < 0)                                                  \
        return vm_raise(th, vm.e_TypeError, "descriptor '%s' requires a 'bytes' object but received a '%s'", \
                        nm, vm_type_name(th, args[0]))
#define NARGS(nm, mn, mx) if (vm_arg_count(th, nm, nargs - 1, kwnames, mn, mx) < 0) return NULL
#define RELOAD() vm_bytes_data(th, args[0], &p, &n)
#define ARG(i) ((i) < nargs ? args[i] : NULL)

static const char *kind(Value v) { return is_ba(v) ? "bytearray" : "bytes"; }

BM(len) { SELF("__len__"); NARGS("__len__", 0, 0); return MK_SMALL(n); }

BM(hash) {
    SELF("__hash__");
    if (is_ba(args[0])) return vm_raise(th, vm.e_TypeError, "unhashable type: 'bytearray'");
    BytesObj *o = (BytesObj *)R(th, args[0], BytesObj);
    int64_t h = atomic_load_explicit(&o->hash, memory_order_relaxed);
    if (!h) {
        h = vm_hash_bytes(p, (size_t)n);
        atomic_store_explicit(&o->hash, h, memory_order_relaxed);
    }
    return MK_SMALL(h);
}

/* bytearray's repr (ba) escapes ' even inside "..." (CPython's bytearray_repr does). */
static bool repr_into(Buf *b, const unsigned char *p, int64_t n, bool ba) {
    bool sq = memchr(p, '\'', (size_t)n) != NULL, dq = memchr(p, '"', (size_t)n) != NULL;
    char q = sq && !dq ? '"' : '\'';
    bool ok = buf_addc(b, 'b') && buf_addc(b, (unsigned char)q);
    for (int64_t i = 0; ok && i < n; i++) {
        unsigned char c = p[i];
        char t[8];
        if (c == (unsigned char)q || c == '\\' || (ba && c == '\'')) { t[0] = '\\'; t[1] = (char)c; t[2] = 0; }
        else if (c == '\n') strcpy(t, "\\n");
        else if (c == '\r') strcpy(t, "\\r");
        else if (c == '\t') strcpy(t, "\\t");
        else if (c < 0x20 || c >= 0x7f) snprintf(t, sizeof t, "\\x%02x", c);
        else { t[0] = (char)c; t[1] = 0; }
        ok = buf_add(b, t, strlen(t));
    }
    return ok && buf_addc(b, (unsigned char)q);
}

BM(repr) {
    SELF("__repr__");
    NARGS("__repr__", 0, 0);
    Buf b = {0};
    bool ba = is_ba(args[0]), ok = true;
    if (ba) {
        const char *cn = vm_type_name(th, args[0]);
        RELOAD();
        ok = buf_add(&b, cn, strlen(cn)) && buf_addc(&b, '(');
    }
    ok = ok && repr_into(&b, p, n, ba) && (!ba || buf_addc(&b, ')'));
    if (!ok) { free(b.p); return vm_no_memory(th); }
    Value r = vm_str_new(th, (const char *)b.p, b.n);
    free(b.p);
    return r;
}

static int bytes_cmp(const unsigned char *a, int64_t an, const unsigned char *b, int64_t bn) {
    int64_t m = an < bn ? an : bn;
    int c = m ? memcmp(a, b, (size_t)m) : 0;
    if (c) return c < 0 ? -1 : 1;
    return an < bn ? -1 : an > bn;
}
#define CMP(name, expr)                                                                          \
    BM(name) {                                                                                   \
        SELF("__" #name "__");                                                                   \
        NARGS("__" #name "__", 1, 1);                                                            \
        const unsigned char *q;                                                                  \
        int64_t m;                                                                               \
        if (vm_bytes_data(th, args[1], &q, &m) < 0) return vm.NotImplemented;                     \
        RELOAD();                                                                                \
        int c = bytes_cmp(p, n, q, m);                                                           \
        return (expr) ? vm.True : vm.False;                                                      \
    }
CMP(eq, c == 0)
CMP(ne, c != 0)
CMP(lt, c < 0)
CMP(le, c <= 0)
CMP(gt, c > 0)
CMP(ge, c >= 0)

Value vm_bytes_concat(Thread *th, Value a, Value b) {
    const unsigned char *p, *q;
    int64_t n, m;
    if (vm_bytes_data(th, a, &p, &n) < 0 || vm_bytes_data(th, b, &q, &m) < 0)
        return vm_raise(th, vm.e_TypeError, "can't concat %s to %s", vm_type_name(th, b), vm_type_name(th, a));
    Buf buf = {0};
    if (!buf_add(&buf, p, (size_t)n) || !buf_add(&buf, q, (size_t)m)) { free(buf.p); return vm_no_memory(th); }
    return make_like_buf(th, a, &buf);
}

BM(add) {
    SELF("__add__");
    NARGS("__add__", 1, 1);
    if (!is_blike(args[1])) return vm.NotImplemented;
    return vm_bytes_concat(th, args[0], args[1]);
}

BM(mul) {
    SELF("__mul__");
    NARGS("__mul__", 1, 1);
    Value x = args[1];
    if (!vm_is_int(x) && vm_tid(x) != T_BOOL && !vm_lookup_special(th, x, "__index__")) return vm.NotImplemented;
    int64_t k;
    if (vm_index(th, args[1], &k) < 0) return NULL;
    RELOAD();
    if (k < 0) k = 0;
    if (n && k > (INT64_MAX / 4) / n) return vm_raise(th, vm.e_OverflowError, "repeated bytes are too long");
    Buf b = {0};
    for (int64_t i = 0; i < k; i++)
        if (!buf_add(&b, p, (size_t)n)) { free(b.p); return vm_no_memory(th); }
    return make_like_buf(th, args[0], &b);
}

static int slice_index(Thread *th, Value v, int64_t *out) {
    if (!vm_is_int(v) && vm_tid(v) != T_BOOL) {
        Value *r = ROOT(th, v);
        bool ok = vm_lookup_special(th, v, "__index__") != NULL;
        v = *r;
        UNROOT(th, 1);
        if (!ok)
            return vm_raise(th, vm.e_TypeError, "slice indices must be integers or None or have an __index__ method"), -1;
    }
    return vm_index(th, v, out);
}

BM(getitem) {
    SELF("__getitem__");
    NARGS("__getitem__", 1, 1);
    Value k = args[1];
    if (vm_tid(k) == T_SLICE) {
        int64_t start, stop, step, len;
        if (vm_slice_indices(th, k, n, &start, &stop, &step, &len) < 0) return NULL;
        RELOAD();
        Buf b = {0};
        for (int64_t i = 0, j = start; i < len; i++, j += step)
            if (!buf_addc(&b, p[j])) { free(b.p); return vm_no_memory(th); }
        return make_like_buf(th, args[0], &b);
    }
    if (!vm_is_int(k) && vm_tid(k) != T_BOOL && !vm_lookup_special(th, k, "__index__"))
        return vm_raise(th, vm.e_TypeError, "%s indices must be integers or slices, not %s", kind(args[0]),
                        vm_type_name(th, args[1]));
    int64_t i;
    if (vm_index(th, args[1], &i) < 0) return NULL;
    RELOAD();
    if (i < 0) i += n;
    if (i < 0 || i >= n)
        return vm_raise(th, vm.e_IndexError, is_ba(args[0]) ? "bytearray index out of range" : "index out of range");
    return MK_SMALL(p[i]);
}

/* A needle: bytes-like, or an int (one byte). */
static int needle(Thread *th, Value v, Buf *out) {
    const unsigned char *q;
    int64_t m;
    if (vm_bytes_data(th, v, &q, &m) == 0) return buf_add(out, q, (size_t)m) ? 0 : (vm_no_memory(th), -1);
    if (vm_is_int(v) || vm_tid(v) == T_BOOL) {
        unsigned char c;
        if (byte_value(th, v, &c, "byte must be in range(0, 256)") < 0) return -1;
        return buf_addc(out, c) ? 0 : (vm_no_memory(th), -1);
    }
    vm_raise(th, vm.e_TypeError, "argument should be integer or bytes-like object, not '%s'", vm_type_name(th, v));
    return -1;
}

BM(contains) {
    SELF("__contains__");
    NARGS("__contains__", 1, 1);
    Buf nd = {0};
    if (needle(th, args[1], &nd) < 0) { free(nd.p); return NULL; }
    RELOAD();
    bool found = nd.n == 0 || (nd.n <= (size_t)n && memmem(p, (size_t)n, nd.p, nd.n));
    free(nd.p);
    return found ? vm.True : vm.False;
}

static int bounds(Thread *th, Value a, Value b, int64_t n, int64_t *start, int64_t *end) {
    *start = 0;
    *end = n;
    Value *r = ROOT(th, b);
    int rc = -1;
    if (a && a != vm.None && slice_index(th, a, start) < 0) goto out;
    if (*r && *r != vm.None && slice_index(th, *r, end) < 0) goto out;
    if (*end > n) *end = n;
    else if (*end < 0) { *end += n; if (*end < 0) *end = 0; }
    if (*start < 0) { *start += n; if (*start < 0) *start = 0; }
    rc = 0;
out:
    UNROOT(th, 1);
    return rc;
}

enum { FIND, RFIND, COUNT };
static int find_core(Thread *th, Value *args, int nargs, int mode, int64_t *res) {
    Buf nd = {0};
    int64_t start, end;
    const unsigned char *p;
    int64_t n;
    vm_bytes_data(th, args[0], &p, &n);
    if (needle(th, args[1], &nd) < 0 || bounds(th, ARG(2), ARG(3), n, &start, &end) < 0) { free(nd.p); return -1; }
    RELOAD();
    int64_t m = (int64_t)nd.n;
    *res = mode == COUNT ? 0 : -1;
    if (end - start >= m) {
        if (mode == COUNT && m == 0) *res = end - start + 1;
        else if (mode == COUNT) {
            for (int64_t i = start; i + m <= end;)
                if (memcmp(p + i, nd.p, (size_t)m) == 0) { (*res)++; i += m; } else i++;
        } else if (mode == FIND) {
            for (int64_t i = start; i + m <= end; i++)
                if (m == 0 || memcmp(p + i, nd.p, (size_t)m) == 0) { *res = i; break; }
        } else {
            for (int64_t i = end - m; i >= start; i--)
                if (m == 0 || memcmp(p + i, nd.p, (size_t)m) == 0) { *res = i; break; }
        }
    }
    free(nd.p);
    return 0;
}
BM(find) { SELF("find"); NARGS("find", 1, 3); int64_t r; return find_core(th, args, nargs, FIND, &r) < 0 ? NULL : MK_SMALL(r); }
BM(rfind) { SELF("rfind"); NARGS("rfind", 1, 3); int64_t r; return find_core(th, args, nargs, RFIND, &r) < 0 ? NULL : MK_SMALL(r); }
BM(count) { SELF("count"); NARGS("count", 1, 3); int64_t r; return find_core(th, args, nargs, COUNT, &r) < 0 ? NULL : MK_SMALL(r); }
BM(index) {
    SELF("index");
    NARGS("index", 1, 3);
    int64_t r;
    if (find_core(th, args, nargs, FIND, &r) < 0) return NULL;
    return r < 0 ? vm_raise(th, vm.e_ValueError, "subsection not found") : MK_SMALL(r);
}
BM(rindex) {
    SELF("rindex");
    NARGS("rindex", 1, 3);
    int64_t r;
    if (find_core(th, args, nargs, RFIND, &r) < 0) return NULL;
    return r < 0 ? vm_raise(th, vm.e_ValueError, "subsection not found") : MK_SMALL(r);
}

static Value starts_ends(Thread *th, Value *args, int nargs, Value kwnames, bool suffix) {
    const char *nm = suffix ? "endswith" : "startswith";
    SELF(nm);
    NARGS(nm, 1, 3);
    int64_t start, end;
    if (bounds(th, ARG(2), ARG(3), n, &start, &end) < 0) return NULL;
    RELOAD();
    Value x = args[1];
    int64_t cnt = 1;
    bool tuple = vm_tid(x) == T_TUPLE;
    if (tuple) cnt = TUP(th, x)->n;
    else if (!is_blike(x))
        return vm_raise(th, vm.e_TypeError, "%s first arg must be bytes or a tuple of bytes, not %s", nm,
                        vm_type_name(th, x));
    for (int64_t i = 0; i < cnt; i++) {
        Value it = tuple ? TUP(th, x)->items[i] : x;
        const unsigned char *q;
        int64_t m;
        if (vm_bytes_data(th, it, &q, &m) < 0)
            return vm_raise(th, vm.e_TypeError, "a bytes-like object is required, not '%s'", vm_type_name(th, it));
        if (end - start < m || start > n) continue;
        if (memcmp(suffix ? p + end - m : p + start, q, (size_t)m) == 0) return vm.True;
    }
    return vm.False;
}
BM(startswith) { return starts_ends(th, args, nargs, kwnames, false); }
BM(endswith) { return starts_ends(th, args, nargs, kwnames, true); }

static bool is_ws(unsigned char c) { return c == ' ' || (c >= 9 && c <= 13); }

BM(split) {
    SELF("split");
    static const char *const names[] = {"sep", "maxsplit", NULL};
    Value a[2];
    if (vm_parse_args(th, "split", args + 1, nargs - 1, kwnames, names, 0, a) < 0) return NULL;
    int64_t maxsplit = -1;
    Value *psep = ROOT(th, a[0]);            /* __index__ may run Python code: sep moves */
    int ir = a[1] ? vm_index(th, a[1], &maxsplit) : 0;
    a[0] = *psep;
    UNROOT(th, 1);
    if (ir < 0) return NULL;
    if (maxsplit < 0) maxsplit = INT64_MAX;
    Buf sep = {0};
    bool have_sep = a[0] && a[0] != vm.None;
    if (have_sep) {
        const unsigned char *q;
        int64_t m;
        if (vm_bytes_data(th, a[0], &q, &m) < 0)
            return vm_raise(th, vm.e_TypeError, "a bytes-like object is required, not '%s'", vm_type_name(th, a[0]));
        if (m == 0) return vm_raise(th, vm.e_ValueError, "empty separator");
        if (!buf_add(&sep, q, (size_t)m)) return vm_no_memory(th);
    }
    Value list = vm_list_new(th, 0);
    if (!list) { free(sep.p); return NULL; }
    Value *rl = ROOT(th, list);
    int64_t i = 0;
    for (;;) {
        RELOAD();
        int64_t a0, a1, next;
        if (!have_sep) {
            while (i < n && is_ws(p[i])) i++;
            if (i >= n) break;
            a0 = i;
            if (maxsplit-- == 0) { a1 = n; next = n; }
            else { a1 = i; while (a1 < n && !is_ws(p[a1])) a1++; next = a1; }
        } else {
            a0 = i;
            void *f = maxsplit-- > 0 && i <= n ? memmem(p + i, (size_t)(n - i), sep.p, sep.n) : NULL;
            a1 = f ? (const unsigned char *)f - p : n;
            next = f ? a1 + (int64_t)sep.n : n + 1;
        }
        Value piece = make_like_part(th, args[0], a0, a1 - a0);
        if (!piece || vm_list_append(th, *rl, piece) < 0) { free(sep.p); UNROOT(th, 1); return NULL; }
        i = next;
        if (have_sep && i > n) break;
    }
    free(sep.p);
    list = *rl;
    UNROOT(th, 1);
    return list;
}

static Value strip_common(Thread *th, Value *args, int nargs, Value kwnames, int which, const char *nm) {
    SELF(nm);
    NARGS(nm, 0, 1);
    const unsigned char *q = NULL;
    int64_t m = 0;
    Value chars = ARG(1);
    if (chars && chars != vm.None && vm_bytes_data(th, chars, &q, &m) < 0)
        return vm_raise(th, vm.e_TypeError, "a bytes-like object is required, not '%s'", vm_type_name(th, chars));
    int64_t a = 0, b = n;
    #define STRIPPED(c) (q ? memchr(q, (c), (size_t)m) != NULL : is_ws(c))
    if (which & 1) while (a < b && STRIPPED(p[a])) a++;
    if (which & 2) while (b > a && STRIPPED(p[b - 1])) b--;
    #undef STRIPPED
    Buf buf = {0};
    if (!buf_add(&buf, p + a, (size_t)(b - a))) return vm_no_memory(th);
    return make_like_buf(th, args[0], &buf);
}
BM(strip) { return strip_common(th, args, nargs, kwnames, 3, "strip"); }
BM(lstrip) { return strip_common(th, args, nargs, kwnames, 1, "lstrip"); }
BM(rstrip) { return strip_common(th, args, nargs, kwnames, 2, "rstrip"); }

BM(replace) {
    SELF("replace");
    NARGS("replace", 2, 3);
    const unsigned char *o, *r;
    int64_t on, rn, count = -1;
    if (nargs > 3 && vm_index(th, args[3], &count) < 0) return NULL;
    if (count < 0) count = INT64_MAX;
    for (int k = 1; k <= 2; k++)
        if (!is_blike(args[k]))
            return vm_raise(th, vm.e_TypeError, "a bytes-like object is required, not '%s'", vm_type_name(th, args[k]));
    RELOAD();
    vm_bytes_data(th, args[1], &o, &on);
    vm_bytes_data(th, args[2], &r, &rn);
    Buf b = {0};
    bool ok = true;
    int64_t i = 0, done = 0;
    if (on == 0) {
        while (ok && done < count) {
            ok = buf_add(&b, r, (size_t)rn);
            done++;
            if (i >= n) break;
            ok = ok && buf_addc(&b, p[i++]);
        }
    } else {
        while (ok && done < count && i <= n - on) {
            void *f = memmem(p + i, (size_t)(n - i), o, (size_t)on);
            if (!f) break;
            int64_t at = (const unsigned char *)f - p;
            ok = buf_add(&b, p + i, (size_t)(at - i)) && buf_add(&b, r, (size_t)rn);
            i = at + on;
            done++;
        }
    }
    ok = ok && buf_add(&b, p + i, (size_t)(n - i));
    if (!ok) { free(b.p); return vm_no_memory(th); }
    return make_like_buf(th, args[0], &b);
}

static Value case_common(Thread *th, Value *args, int nargs, Value kwnames, bool upper, const char *nm) {
    SELF(nm);
    NARGS(nm, 0, 0);
    Buf b = {0};
    if (!buf_add(&b, p, (size_t)n)) return vm_no_memory(th);
    for (size_t i = 0; i < b.n; i++) {
        unsigned char c = b.p[i];
        if (upper && c >= 'a' && c <= 'z') b.p[i] = (unsigned char)(c - 32);
        if (!upper && c >= 'A' && c <= 'Z') b.p[i] = (unsigned char)(c + 32);
    }
    return make_like_buf(th, args[0], &b);
}
BM(upper) { return case_common(th, args, nargs, kwnames, true, "upper"); }
BM(lower) { return case_common(th, args, nargs, kwnames, false, "lower"); }

static Value pred(Thread *th, Value *args, int nargs, Value kwnames, int which, const char *nm) {
    SELF(nm);
    NARGS(nm, 0, 0);
    if (n == 0) return which == 4 ? vm.True : vm.False;
    for (int64_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        bool digit = c >= '0' && c <= '9', alpha = (c | 32) >= 'a' && (c | 32) <= 'z';
        bool ok = which == 0 ? digit : which == 1 ? alpha : which == 2 ? digit || alpha : which == 3 ? is_ws(c) : c < 128;
        if (!ok) return vm.False;
    }
    return vm.True;
}
BM(isdigit) { return pred(th, args, nargs, kwnames, 0, "isdigit"); }
BM(isalpha) { return pred(th, args, nargs, kwnames, 1, "isalpha"); }
BM(isalnum) { return pred(th, args, nargs, kwnames, 2, "isalnum"); }
BM(isspace) { return pred(th, args, nargs, kwnames, 3, "isspace"); }
BM(isascii) { return pred(th, args, nargs, kwnames, 4, "isascii"); }

BM(decode) {
    SELF("decode");
    static const char *const names[] = {"encoding", "errors", NULL};
    Value a[2];
    if (vm_parse_args(th, "decode", args + 1, nargs - 1, kwnames, names, 0, a) < 0) return NULL;
    RELOAD();
    return vm_decode(th, p, (size_t)n, a[0], a[1]);
}

BM(hex) {
    SELF("hex");
    NARGS("hex", 0, 0);
    char *s = malloc((size_t)n * 2 + 1);
    if (!s) return vm_no_memory(th);
    for (int64_t i = 0; i < n; i++) snprintf(s + 2 * i, 3, "%02x", p[i]);
    Value r = vm_str_new(th, s, (size_t)n * 2);
    free(s);
    return r;
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if ((c | 32) >= 'a' && (c | 32) <= 'f') return (c | 32) - 'a' + 10;
    return -1;
}

/* bytes.fromhex(string) — a class method: args[0] is the class. */
static Value b_fromhex(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "fromhex", nargs - 1, kwnames, 1, 1) < 0) return NULL;
    if (vm_tid(args[1]) != T_STR)
        return vm_raise(th, vm.e_TypeError, "fromhex() argument must be str, not %s", vm_type_name(th, args[1]));
    const StrObj *s = STR(th, args[1]);
    Buf b = {0};
    for (int64_t i = 0; i < s->len;) {
        if (s->data[i] == ' ' || (s->data[i] >= 9 && s->data[i] <= 13)) { i++; continue; }
        int hi = hexval(s->data[i]);
        int lo = i + 1 < s->len ? hexval(s->data[i + 1]) : -1;
        if (hi < 0 || lo < 0) {
            free(b.p);
            int64_t pos = hi < 0 ? i : i + 1;
            return vm_raise(th, vm.e_ValueError, "non-hexadecimal number found in fromhex() arg at position %lld",
                            (long long)pos);
        }
        if (!buf_addc(&b, (unsigned char)(hi * 16 + lo))) { free(b.p); return vm_no_memory(th); }
        i += 2;
    }
    Value r = args[0] == vm.t_bytearray ? ba_new(th, NULL, b.p, (int64_t)b.n) : vm_bytes_new(th, b.p, b.n);
    free(b.p);
    return r;
}

BM(join) {
    SELF("join");
    NARGS("join", 1, 1);
    Value seq = vm_sequence_list(th, args[1]);
    if (!seq) return NULL;
    Value *rs = ROOT(th, seq);
    Buf b = {0};
    int64_t cnt = vm_list_len(th, seq);
    for (int64_t i = 0; i < cnt; i++) {
        Value it = vm_list_get(th, *rs, i);
        const unsigned char *q;
        int64_t m;
        if (vm_bytes_data(th, it, &q, &m) < 0) {
            free(b.p);
            UNROOT(th, 1);
            return vm_raise(th, vm.e_TypeError, "sequence item %lld: expected a bytes-like object, %s found",
                            (long long)i, vm_type_name(th, it));
        }
        RELOAD();
        if ((i && !buf_add(&b, p, (size_t)n)) || !buf_add(&b, q, (size_t)m)) {
            free(b.p);
            UNROOT(th, 1);
            return vm_no_memory(th);
        }
    }
    UNROOT(th, 1);
    return make_like_buf(th, args[0], &b);
}

/* ------------------------------------------------------------------------------------------ */
/* partition / rpartition / padding                                                            */

/* Exactly bytes (not a subclass, not bytearray): such results may be the object itself, as in CPython. */
static bool exact_bytes(Thread *th, Value v) { return is_bytes(v) && R(th, v, BytesObj)->h.cls == vm.t_bytes; }

/* (before, sep, after) of the same kind as self; sep found at `at` (-1: not found).  As in CPython,
 * bytes returns the separator object itself (even a bytearray) and bytearray a copy. */
static Value part3(Thread *th, Value self, Value sepv, int64_t at, int64_t m, bool right) {
    size_t mark = ROOTS_MARK(th);
    Value *rsep = ROOT(th, sepv), *rs = ROOT(th, self), *r0 = ROOT(th, NULL), *r1 = ROOT(th, NULL), *r2 = ROOT(th, NULL);
    Value res = NULL;
    const unsigned char *p;
    int64_t n;                                 /* the length: unchanged by moving points */
    vm_bytes_data(th, self, &p, &n);
    if (at < 0) {                              /* whole object on the side the search started from */
        Value *whole = right ? r2 : r0, *e1 = right ? r0 : r2;
        if (!(*whole = exact_bytes(th, *rs) ? *rs : make_like_part(th, *rs, 0, n))) goto out;
        if (!(*e1 = make_like(th, *rs, "", 0)) || !(*r1 = make_like(th, *rs, "", 0))) goto out;
    } else {
        if (!(*r0 = make_like_part(th, *rs, 0, at))) goto out;
        if (!(*r1 = is_bytes(*rs) ? *rsep : make_like_part(th, *rs, at, m))) goto out;
        if (!(*r2 = make_like_part(th, *rs, at + m, n - at - m))) goto out;
    }
    res = vm_tuple_pack(th, 3, *r0, *r1, *r2);
out:
    ROOTS_RESET(th, mark);
    return res;
}

static Value partition_common(Thread *th, Value *args, int nargs, Value kwnames, bool right) {
    const char *nm = right ? "rpartition" : "partition";
    SELF(nm);
    NARGS(nm, 1, 1);
    const unsigned char *q;
    int64_t m;
    if (vm_bytes_data(th, args[1], &q, &m) < 0)
        return vm_raise(th, vm.e_TypeError, "a bytes-like object is required, not '%s'", vm_type_name(th, args[1]));
    if (m == 0) return vm_raise(th, vm.e_ValueError, "empty separator");
    RELOAD();
    vm_bytes_data(th, args[1], &q, &m);
    int64_t at = -1;
    if (m <= n) {
        if (!right) {
            void *f = memmem(p, (size_t)n, q, (size_t)m);
            if (f) at = (const unsigned char *)f - p;
        } else {
            for (int64_t i = n - m; i >= 0; i--)
                if (memcmp(p + i, q, (size_t)m) == 0) { at = i; break; }
        }
    }
    return part3(th, args[0], args[1], at, m, right);
}
BM(partition) { return partition_common(th, args, nargs, kwnames, false); }
BM(rpartition) { return partition_common(th, args, nargs, kwnames, true); }

/* center / ljust / rjust (which: 0 center, 1 ljust, 2 rjust): CPython's split of the margin. */
static Value pad_common(Thread *th, Value *args, int nargs, Value kwnames, int which, const char *nm) {
    SELF(nm);
    NARGS(nm, 1, 2);
    unsigned char fill = ' ';
    if (nargs > 2) {
        const unsigned char *q;
        int64_t m;
        if (vm_bytes_data(th, args[2], &q, &m) < 0 || m != 1)
            return vm_raise(th, vm.e_TypeError, "%s() argument 2 must be a byte string of length 1, not %s", nm,
                            vm_type_name(th, args[2]));
        fill = q[0];
    }
    int64_t width;
    if (vm_index(th, args[1], &width) < 0) return NULL;
    RELOAD();
    if (width <= n) return exact_bytes(th, args[0]) ? args[0] : make_like_part(th, args[0], 0, n);
    int64_t marg = width - n;
    int64_t left = which == 1 ? 0 : which == 2 ? marg : marg / 2 + (marg & width & 1);
    unsigned char *tmp = malloc((size_t)width);
    if (!tmp) return vm_no_memory(th);
    memset(tmp, fill, (size_t)width);
    memcpy(tmp + left, p, (size_t)n);
    Value r = make_like(th, args[0], tmp, (size_t)width);
    free(tmp);
    return r;
}
BM(center) { return pad_common(th, args, nargs, kwnames, 0, "center"); }
BM(ljust) { return pad_common(th, args, nargs, kwnames, 1, "ljust"); }
BM(rjust) { return pad_common(th, args, nargs, kwnames, 2, "rjust"); }

BM(zfill) {
    SELF("zfill");
    NARGS("zfill", 1, 1);
    int64_t width;
    if (vm_index(th, args[1], &width) < 0) return NULL;
    RELOAD();
    if (width <= n) return exact_bytes(th, args[0]) ? args[0] : make_like_part(th, args[0], 0, n);
    int64_t fill = width - n;
    unsigned char *tmp = malloc((size_t)width);
    if (!tmp) return vm_no_memory(th);
    memset(tmp, '0', (size_t)fill);
    memcpy(tmp + fill, p, (size_t)n);
    if (n && (p[0] == '+' || p[0] == '-')) { tmp[0] = p[0]; tmp[fill] = '0'; }   /* sign stays in front */
    Value r = make_like(th, args[0], tmp, (size_t)width);
    free(tmp);
    return r;
}

/* ------------------------------------------------------------------------------------------ */
/* bytes % args (PEP 461): CPython's bytes_format.  The format is copied to C memory first since
 * conversions run Python code (moving points).  Numeric conversions are delegated to str's %
 * (vm_str_percent) with a one-conversion format: its result is ASCII. */

enum { BF_LJUST = 1, BF_SIGN = 2, BF_BLANK = 4, BF_ALT = 8, BF_ZERO = 16 };

typedef struct BPct {
    Value *args;               /* root slot: tuple, single value, or value looked up by key */
    int64_t argidx, arglen;
} BPct;

static Value bpct_next(Thread *th, BPct *p) {
    int64_t i = p->argidx;
    if (i < p->arglen) {
        p->argidx++;
        if (p->arglen < 0) return *p->args;
        return TUP(th, *p->args)->items[i];
    }
    return vm_raise(th, vm.e_TypeError, "not enough arguments for format string");
}

/* Append n bytes from q padded to width (spaces; precision already applied). */
static bool bpct_pad(Buf *b, int flags, int64_t width, const unsigned char *q, int64_t n) {
    int64_t pad = width > n ? width - n : 0;
    bool ok = true;
    if (!(flags & BF_LJUST)) for (int64_t i = 0; ok && i < pad; i++) ok = buf_addc(b, ' ');
    ok = ok && buf_add(b, q, (size_t)n);
    if (flags & BF_LJUST) for (int64_t i = 0; ok && i < pad; i++) ok = buf_addc(b, ' ');
    return ok;
}

/* %s / %b: bytes-like or __bytes__. */
static int bpct_bytes(Thread *th, Buf *b, Value v, int flags, int64_t width, int64_t prec) {
    if (!is_blike(v)) {
        Value *rv = ROOT(th, v);
        Value meth = vm_lookup_special(th, v, "__bytes__");
        Value r = meth ? vm_call1(th, meth, *rv) : NULL;
        v = *rv;
        UNROOT(th, 1);
        if (!meth)
            return vm_raise(th, vm.e_TypeError, "%%b requires a bytes-like object, or an object that implements "
                            "__bytes__, not '%s'", vm_type_name(th, v)), -1;
        if (!r) return -1;
        if (!is_bytes(r))
            return vm_raise(th, vm.e_TypeError, "__bytes__ returned non-bytes (type %s)", vm_type_name(th, r)), -1;
        v = r;
    }
    const unsigned char *q;
    int64_t m;
    vm_bytes_data(th, v, &q, &m);
    if (prec >= 0 && prec < m) m = prec;
    return bpct_pad(b, flags, width, q, m) ? 0 : (vm_no_memory(th), -1);
}

static int bpct_char(Thread *th, Buf *b, Value v, int flags, int64_t width) {
    const unsigned char *q;
    int64_t m;
    unsigned char c;
    bool index_ok = vm_is_int(v) || vm_tid(v) == T_BOOL;
    if (!index_ok && !is_blike(v)) {
        Value *rv = ROOT(th, v);
        index_ok = vm_lookup_special(th, v, "__index__") != NULL;
        v = *rv;
        UNROOT(th, 1);
    }
    if (vm_bytes_data(th, v, &q, &m) == 0 && m == 1) c = q[0];
    else if (!index_ok)
        return vm_raise(th, vm.e_TypeError, "%%c requires an integer in range(256) or a single byte"), -1;
    else {
        int64_t x;
        if (vm_index(th, v, &x) < 0) {
            if (!vm_exc_matches(th, vm.e_OverflowError)) return -1;
            vm_exc_clear(th);
            x = -1;
        }
        if (x < 0 || x > 255) return vm_raise(th, vm.e_OverflowError, "%%c arg not in range(256)"), -1;
        c = (unsigned char)x;
    }
    return bpct_pad(b, flags, width, &c, 1) ? 0 : (vm_no_memory(th), -1);
}

/* A numeric conversion through str's %: "%<flags><width>.<prec><c>" % (v,). */
static int bpct_number(Thread *th, Buf *b, char c, Value v, int flags, int64_t width, int64_t prec) {
    char spec[64], *s = spec;
    *s++ = '%';
    if (flags & BF_LJUST) *s++ = '-';
    if (flags & BF_SIGN) *s++ = '+';
    if (flags & BF_BLANK) *s++ = ' ';
    if (flags & BF_ALT) *s++ = '#';
    if (flags & BF_ZERO) *s++ = '0';
    if (width >= 0) s += snprintf(s, 24, "%lld", (long long)width);
    if (prec >= 0) s += snprintf(s, 24, ".%lld", (long long)prec);
    *s++ = c;
    *s = 0;
    size_t mark = ROOTS_MARK(th);
    Value *rv = ROOT(th, v), *rs = ROOT(th, NULL), *rt = ROOT(th, NULL);
    int rc = -1;
    if (!(*rs = vm_str_cstr(th, spec)) || !(*rt = vm_tuple_pack(th, 1, *rv))) goto out;
    Value r = vm_str_percent(th, *rs, *rt);
    if (!r && strchr("eEfFgG", c) && vm_exc_matches(th, vm.e_Exception)) {
        /* CPython's formatfloat replaces any conversion error */
        vm_exc_clear(th);
        vm_raise(th, vm.e_TypeError, "float argument required, not %s", vm_type_name(th, *rv));
    }
    if (!r) goto out;
    const StrObj *o = STR(th, r);
    if (!buf_add(b, o->data, (size_t)o->len)) { vm_no_memory(th); goto out; }
    rc = 0;
out:
    ROOTS_RESET(th, mark);
    return rc;
}

static Value bpct_fail(Thread *th, Buf *b, char *fmt, size_t mark) {
    free(b->p);
    free(fmt);
    ROOTS_RESET(th, mark);
    return NULL;
}

BM(mod) {
    SELF("__mod__");
    NARGS("__mod__", 1, 1);
    size_t len = (size_t)n, mark = ROOTS_MARK(th);
    char *f = malloc(len + 1);
    if (!f) return vm_no_memory(th);
    memcpy(f, p, len);
    Value *rself = ROOT(th, args[0]);
    Value a = args[1];
    bool tuple = vm_tid(a) == T_TUPLE;
    BPct pc = {.args = ROOT(th, a), .argidx = tuple ? 0 : -2, .arglen = tuple ? TUP(th, a)->n : -1};
    Value *rd = ROOT(th, NULL);
    if (!tuple && !is_bytes(a) && vm_tid(a) != T_STR &&
        (vm_tid(a) == T_DICT || vm_lookup_special(th, a, "__getitem__")))
        *rd = *pc.args;
    Buf b = {0};
    size_t pos = 0;
    for (;;) {
        const char *pct = pos < len ? memchr(f + pos, '%', len - pos) : NULL;
        size_t lit = pct ? (size_t)(pct - f) : len;
        if (!buf_add(&b, f + pos, lit - pos)) { vm_no_memory(th); return bpct_fail(th, &b, f, mark); }
        if (!pct) break;
        pos = lit + 1;
        if (pos >= len) { vm_raise(th, vm.e_ValueError, "incomplete format"); return bpct_fail(th, &b, f, mark); }
        if (f[pos] == '%') { buf_addc(&b, '%'); pos++; continue; }
        if (f[pos] == '(') {
            if (!*rd) { vm_raise(th, vm.e_TypeError, "format requires a mapping"); return bpct_fail(th, &b, f, mark); }
            int depth = 1;
            size_t k0 = ++pos;
            while (pos < len && depth) {
                if (f[pos] == '(') depth++;
                else if (f[pos] == ')') depth--;
                pos++;
            }
            if (depth) { vm_raise(th, vm.e_ValueError, "incomplete format key"); return bpct_fail(th, &b, f, mark); }
            Value key = vm_bytes_new(th, f + k0, pos - 1 - k0);
            Value val = key ? vm_getitem(th, *rd, key) : NULL;
            if (!val) return bpct_fail(th, &b, f, mark);
            *pc.args = val;
            pc.arglen = -1;
            pc.argidx = -2;
        }
        int flags = 0;
        for (; pos < len; pos++) {
            char c = f[pos];
            if (c == '-') flags |= BF_LJUST;
            else if (c == '+') flags |= BF_SIGN;
            else if (c == ' ') flags |= BF_BLANK;
            else if (c == '#') flags |= BF_ALT;
            else if (c == '0') flags |= BF_ZERO;
            else break;
        }
        int64_t width = -1, prec = -1;
        for (int part = 0; part < 2; part++) {
            if (part == 1) {
                if (pos >= len || f[pos] != '.') break;
                pos++;
                prec = 0;
            }
            int64_t *dst = part ? &prec : &width;
            if (pos < len && f[pos] == '*') {
                pos++;
                Value w = bpct_next(th, &pc);
                if (!w) return bpct_fail(th, &b, f, mark);
                if (!IS_SMALL(w)) { vm_raise(th, vm.e_TypeError, "* wants int"); return bpct_fail(th, &b, f, mark); }
                *dst = SMALL_VAL(w);
                if (part == 0 && *dst < 0) { flags |= BF_LJUST; *dst = -*dst; }
                if (part == 1 && *dst < 0) *dst = 0;
            } else {
                if (part == 0 && (pos >= len || f[pos] < '0' || f[pos] > '9')) continue;
                *dst = 0;
                while (pos < len && f[pos] >= '0' && f[pos] <= '9') {
                    if (*dst > (INT32_MAX - 9) / 10) {
                        vm_raise(th, vm.e_ValueError, part ? "precision too big" : "width too big");
                        return bpct_fail(th, &b, f, mark);
                    }
                    *dst = *dst * 10 + (f[pos++] - '0');
                }
            }
        }
        while (pos < len && (f[pos] == 'h' || f[pos] == 'l' || f[pos] == 'L')) pos++;
        if (pos >= len) { vm_raise(th, vm.e_ValueError, "incomplete format"); return bpct_fail(th, &b, f, mark); }
        size_t cpos = pos;
        unsigned char c = (unsigned char)f[pos++];
        Value v = bpct_next(th, &pc);
        if (!v) return bpct_fail(th, &b, f, mark);
        if (flags & BF_LJUST) flags &= ~BF_ZERO;
        int rc;
        switch (c) {
        case 's': case 'b': rc = bpct_bytes(th, &b, v, flags, width, prec); break;
        case 'r': case 'a': {
            Value s = vm_ascii(th, v);
            if (!s) return bpct_fail(th, &b, f, mark);
            const StrObj *o = STR(th, s);
            int64_t m = o->len;            /* ASCII: bytes == characters */
            if (prec >= 0 && prec < m) m = prec;
            rc = bpct_pad(&b, flags, width, (const unsigned char *)o->data, m) ? 0 : (vm_no_memory(th), -1);
            break;
        }
        case 'c': rc = bpct_char(th, &b, v, flags, width); break;
        case 'd': case 'i': case 'u': case 'o': case 'x': case 'X':
        case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
            rc = bpct_number(th, &b, (char)c, v, flags, width, prec);
            break;
        default: {
            /* A byte above 127 is shown as its Latin-1 character.  (CPython 3.11 passes it to
             * PyErr_Format's %c as a negative char: builds disagree on the result, OverflowError or
             * an empty ValueError, so this follows the intent instead.) */
            char cs[3] = {(char)c, 0, 0};
            if (c >= 0x80) { cs[0] = (char)(0xC0 | (c >> 6)); cs[1] = (char)(0x80 | (c & 0x3F)); }
            vm_raise(th, vm.e_ValueError, "unsupported format character '%s' (0x%x) at index %lld", cs, c,
                     (long long)cpos);
            rc = -1;
        }
        }
        if (rc < 0) return bpct_fail(th, &b, f, mark);
    }
    if (pc.argidx < pc.arglen && !*rd) {
        vm_raise(th, vm.e_TypeError, "not all arguments converted during bytes formatting");
        return bpct_fail(th, &b, f, mark);
    }
    free(f);
    Value self = *rself;
    ROOTS_RESET(th, mark);
    return make_like_buf(th, self, &b);
}

BM(str) {
    SELF("__str__");
    return b_repr(th, args, nargs, kwnames);
}

/* Iteration: a built-in iterator kind; a = the object, i = position. */
static int bytes_iter_kind;
static Value bytes_iter_next(Thread *th, Value it) {
    const IterObj *io = R(th, it, IterObj);
    if (!io->a) return NULL;
    const unsigned char *p;
    int64_t n, i = io->i;
    vm_bytes_data(th, io->a, &p, &n);
    if (i >= n) { W(th, it, IterObj)->a = NULL; return NULL; }
    W(th, it, IterObj)->i = i + 1;
    return MK_SMALL(p[i]);
}
BM(iter) {
    SELF("__iter__");
    NARGS("__iter__", 0, 0);
    return vm_iter_new(th, bytes_iter_kind, args[0], NULL, 0, 0);
}

BM(getnewargs) {
    SELF("__getnewargs__");
    (void)p;
    Value b = make_like_part(th, args[0], 0, n);
    return b ? vm_tuple_pack(th, 1, b) : NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* bytearray mutation                                                                          */

#define BASELF(nm)                                                                               \
    if (!is_ba(args[0]))                                                                         \
        return vm_raise(th, vm.e_TypeError, "descriptor '%s' requires a 'bytearray' object but received a '%s'", \
                        nm, vm_type_name(th, args[0]))

static int64_t ba_len(Thread *th, Value a) { return R(th, a, ByteArrayObj)->len; }

/* Insert/overwrite helper: replace [lo, hi) of *ra by q[0..m) (q in C memory). */
static int ba_splice(Thread *th, Value *ra, int64_t lo, int64_t hi, const unsigned char *q, int64_t m) {
    int64_t n = ba_len(th, *ra), nn = n - (hi - lo) + m;
    if (ba_reserve(th, ra, nn) < 0) return -1;
    unsigned char *d = ba_wdata(th, *ra);
    if (d) {
        memmove(d + lo + m, d + hi, (size_t)(n - hi));
        if (m) memcpy(d + lo, q, (size_t)m);
    }
    W(th, *ra, ByteArrayObj)->len = nn;
    return 0;
}

static Value ba_append(Thread *th, Value *args, int nargs, Value kwnames) {
    BASELF("append");
    NARGS("append", 1, 1);
    unsigned char c;
    if (byte_value(th, args[1], &c, "byte must be in range(0, 256)") < 0) return NULL;
    int64_t n = ba_len(th, args[0]);
    return ba_splice(th, &args[0], n, n, &c, 1) < 0 ? NULL : vm.None;
}

static Value ba_insert(Thread *th, Value *args, int nargs, Value kwnames) {
    BASELF("insert");
    NARGS("insert", 2, 2);
    int64_t i;
    unsigned char c;
    if (vm_index(th, args[1], &i) < 0 || byte_value(th, args[2], &c, "byte must be in range(0, 256)") < 0) return NULL;
    int64_t n = ba_len(th, args[0]);
    if (i < 0) { i += n; if (i < 0) i = 0; }
    if (i > n) i = n;
    return ba_splice(th, &args[0], i, i, &c, 1) < 0 ? NULL : vm.None;
}

static Value ba_extend(Thread *th, Value *args, int nargs, Value kwnames) {
    BASELF("extend");
    NARGS("extend", 1, 1);
    Buf b = {0};
    if (vm_tid(args[1]) == T_STR) return vm_raise(th, vm.e_TypeError, "expected iterable of integers; got: 'str'");
    if (collect_source(th, args[1], NULL, NULL, &b) < 0) { free(b.p); return NULL; }
    int64_t n = ba_len(th, args[0]);
    int rc = ba_splice(th, &args[0], n, n, b.p, (int64_t)b.n);
    free(b.p);
    return rc < 0 ? NULL : vm.None;
}

static Value ba_pop(Thread *th, Value *args, int nargs, Value kwnames) {
    BASELF("pop");
    NARGS("pop", 0, 1);
    int64_t n = ba_len(th, args[0]), i = -1;
    if (nargs > 1 && vm_index(th, args[1], &i) < 0) return NULL;
    if (n == 0) return vm_raise(th, vm.e_IndexError, "pop from empty bytearray");
    if (i < 0) i += n;
    if (i < 0 || i >= n) return vm_raise(th, vm.e_IndexError, "pop index out of range");
    const unsigned char *p;
    vm_bytes_data(th, args[0], &p, &n);
    int64_t c = p[i];
    if (ba_splice(th, &args[0], i, i + 1, NULL, 0) < 0) return NULL;
    return MK_SMALL(c);
}

static Value ba_clear(Thread *th, Value *args, int nargs, Value kwnames) {
    BASELF("clear");
    NARGS("clear", 0, 0);
    W(th, args[0], ByteArrayObj)->len = 0;
    return vm.None;
}

static Value ba_copy(Thread *th, Value *args, int nargs, Value kwnames) {
    BASELF("copy");
    NARGS("copy", 0, 0);
    const unsigned char *p;
    int64_t n;
    vm_bytes_data(th, args[0], &p, &n);
    Buf b = {0};
    if (!buf_add(&b, p, (size_t)n)) return vm_no_memory(th);
    Value r = ba_new(th, NULL, b.p, (int64_t)b.n);
    free(b.p);
    return r;
}

static Value ba_reverse(Thread *th, Value *args, int nargs, Value kwnames) {
    BASELF("reverse");
    NARGS("reverse", 0, 0);
    int64_t n = ba_len(th, args[0]);
    unsigned char *d = ba_wdata(th, args[0]);
    for (int64_t i = 0, j = n - 1; i < j; i++, j--) { unsigned char t = d[i]; d[i] = d[j]; d[j] = t; }
    return vm.None;
}

static Value ba_setitem(Thread *th, Value *args, int nargs, Value kwnames) {
    BASELF("__setitem__");
    NARGS("__setitem__", 2, 2);
    int64_t n = ba_len(th, args[0]);
    if (vm_tid(args[1]) == T_SLICE) {
        int64_t start, stop, step, len;
        if (vm_slice_indices(th, args[1], n, &start, &stop, &step, &len) < 0) return NULL;
        Buf b = {0};
        if (vm_tid(args[2]) == T_STR) return vm_raise(th, vm.e_TypeError, "can assign only bytes, buffers, or iterables of ints in range(0, 256)");
        if (collect_source(th, args[2], NULL, NULL, &b) < 0) { free(b.p); return NULL; }
        int rc = 0;
        if (step == 1) {
            if (stop < start) stop = start;
            rc = ba_splice(th, &args[0], start, stop, b.p, (int64_t)b.n);
        } else if ((int64_t)b.n != len) {
            vm_raise(th, vm.e_ValueError, "attempt to assign bytes of size %zu to extended slice of size %lld", b.n,
                     (long long)len);
            rc = -1;
        } else {
            unsigned char *d = ba_wdata(th, args[0]);
            for (int64_t i = 0, j = start; i < len; i++, j += step) d[j] = b.p[i];
        }
        free(b.p);
        return rc < 0 ? NULL : vm.None;
    }
    int64_t i;
    unsigned char c;
    if (vm_index(th, args[1], &i) < 0) return NULL;
    if (byte_value(th, args[2], &c, "byte must be in range(0, 256)") < 0) return NULL;
    n = ba_len(th, args[0]);
    if (i < 0) i += n;
    if (i < 0 || i >= n) return vm_raise(th, vm.e_IndexError, "bytearray index out of range");
    ba_wdata(th, args[0])[i] = c;
    return vm.None;
}

static Value ba_delitem(Thread *th, Value *args, int nargs, Value kwnames) {
    BASELF("__delitem__");
    NARGS("__delitem__", 1, 1);
    int64_t n = ba_len(th, args[0]);
    if (vm_tid(args[1]) == T_SLICE) {
        int64_t start, stop, step, len;
        if (vm_slice_indices(th, args[1], n, &start, &stop, &step, &len) < 0) return NULL;
        if (len <= 0) return vm.None;
        if (step < 0) { start = start + (len - 1) * step; step = -step; }
        unsigned char *d = ba_wdata(th, args[0]);
        int64_t w = 0;
        for (int64_t r = 0; r < n; r++)
            if (!(r >= start && (r - start) % step == 0 && (r - start) / step < len)) d[w++] = d[r];
        W(th, args[0], ByteArrayObj)->len = w;
        return vm.None;
    }
    int64_t i;
    if (vm_index(th, args[1], &i) < 0) return NULL;
    if (i < 0) i += n;
    if (i < 0 || i >= n) return vm_raise(th, vm.e_IndexError, "bytearray index out of range");
    return ba_splice(th, &args[0], i, i + 1, NULL, 0) < 0 ? NULL : vm.None;
}

static Value ba_iadd(Thread *th, Value *args, int nargs, Value kwnames) {
    BASELF("__iadd__");
    NARGS("__iadd__", 1, 1);
    const unsigned char *q;
    int64_t m;
    if (vm_bytes_data(th, args[1], &q, &m) < 0)
        return vm_raise(th, vm.e_TypeError, "can't concat %s to bytearray", vm_type_name(th, args[1]));
    Buf b = {0};
    if (!buf_add(&b, q, (size_t)m)) return vm_no_memory(th);
    int64_t n = ba_len(th, args[0]);
    int rc = ba_splice(th, &args[0], n, n, b.p, m);
    free(b.p);
    return rc < 0 ? NULL : args[0];
}

/* ------------------------------------------------------------------------------------------ */
/* Types                                                                                       */

static size_t bytes_size(const void *p) { return sizeof(BytesObj) + (size_t)((const BytesObj *)p)->len; }
static void bytes_trace(void *p, void (*visit)(stm_obj **, void *), void *ctx) {
    visit(&((BytesObj *)p)->h.cls, ctx);
}
static size_t ba_size(const void *p) { return sizeof(ByteArrayObj); }
static void ba_trace(void *p, void (*visit)(stm_obj **, void *), void *ctx) {
    visit(&((ByteArrayObj *)p)->h.cls, ctx);
    visit(&((ByteArrayObj *)p)->buf, ctx);
}

#define COMMON_METHODS                                                                           \
    {"__len__", b_len, CF_METHOD}, {"__repr__", b_repr, CF_METHOD}, {"__str__", b_str, CF_METHOD},       \
    {"__eq__", b_eq, CF_METHOD}, {"__ne__", b_ne, CF_METHOD}, {"__lt__", b_lt, CF_METHOD},               \
    {"__le__", b_le, CF_METHOD}, {"__gt__", b_gt, CF_METHOD}, {"__ge__", b_ge, CF_METHOD},               \
    {"__add__", b_add, CF_METHOD}, {"__mul__", b_mul, CF_METHOD}, {"__rmul__", b_mul, CF_METHOD},        \
    {"__getitem__", b_getitem, CF_METHOD}, {"__contains__", b_contains, CF_METHOD},                      \
    {"__iter__", b_iter, CF_METHOD},                                                                     \
    {"find", b_find, CF_METHOD}, {"rfind", b_rfind, CF_METHOD}, {"index", b_index, CF_METHOD},           \
    {"rindex", b_rindex, CF_METHOD}, {"count", b_count, CF_METHOD},                                      \
    {"startswith", b_startswith, CF_METHOD}, {"endswith", b_endswith, CF_METHOD},                        \
    {"split", b_split, CF_METHOD}, {"strip", b_strip, CF_METHOD}, {"lstrip", b_lstrip, CF_METHOD},       \
    {"rstrip", b_rstrip, CF_METHOD}, {"replace", b_replace, CF_METHOD}, {"upper", b_upper, CF_METHOD},   \
    {"lower", b_lower, CF_METHOD}, {"isdigit", b_isdigit, CF_METHOD}, {"isalpha", b_isalpha, CF_METHOD}, \
    {"isalnum", b_isalnum, CF_METHOD}, {"isspace", b_isspace, CF_METHOD},                                \
    {"isascii", b_isascii, CF_METHOD}, {"decode", b_decode, CF_METHOD}, {"hex", b_hex, CF_METHOD},       \
    {"fromhex", b_fromhex, CF_CLASSMETHOD}, {"join", b_join, CF_METHOD},                                 \
    {"partition", b_partition, CF_METHOD}, {"rpartition", b_rpartition, CF_METHOD},                      \
    {"center", b_center, CF_METHOD}, {"ljust", b_ljust, CF_METHOD}, {"rjust", b_rjust, CF_METHOD},       \
    {"zfill", b_zfill, CF_METHOD}, {"__mod__", b_mod, CF_METHOD}

static const vm_method bytes_methods[] = {
    {"__new__", bytes_new_m, CF_STATIC}, {"__hash__", b_hash, CF_METHOD},
    {"__getnewargs__", b_getnewargs, CF_METHOD},
    COMMON_METHODS,
    {NULL, NULL, 0}
};

static const vm_method bytearray_methods[] = {
    {"__new__", ba_new_m, CF_STATIC}, {"__init__", ba_init_m, CF_METHOD},
    {"__hash__", NULL, 0},   /* unhashable: __hash__ = None */
    {"__setitem__", ba_setitem, CF_METHOD}, {"__delitem__", ba_delitem, CF_METHOD},
    {"__iadd__", ba_iadd, CF_METHOD},
    {"append", ba_append, CF_METHOD}, {"extend", ba_extend, CF_METHOD}, {"pop", ba_pop, CF_METHOD},
    {"insert", ba_insert, CF_METHOD}, {"clear", ba_clear, CF_METHOD}, {"copy", ba_copy, CF_METHOD},
    {"reverse", ba_reverse, CF_METHOD},
    COMMON_METHODS,
    {NULL, NULL, 0}
};

void obj_bytes_init(Thread *th) {
    vm_tidinfo[T_BYTES] = (vm_typeinfo){bytes_size, bytes_trace};
    vm_tidinfo[T_BYTEARRAY] = (vm_typeinfo){ba_size, ba_trace};
    bytes_iter_kind = vm_iter_kind(bytes_iter_next, "bytes_iterator");
    vm_add_methods(th, vm.t_bytes, bytes_methods);
    vm_add_methods(th, vm.t_bytearray, bytearray_methods);
}
