/* obj_str.c — str: immutable UTF-8 strings with code-point indexing, formatting, methods.
 *
 * Representation: StrObj (vm.h), allocated STM_IMMUTABLE and filled before anyone else sees it.
 * Internally strings are built in C memory (a StrBuf) and copied into a new object at the end,
 * so no pointer into a GC payload is ever kept across an allocation.
 *
 * Unicode: character properties and case mappings come from unicode_data.h (generated from
 * CPython 3.11's unicodedata, Unicode 14.0): full case mappings (ß -> SS) and final sigma are
 * handled; the final-sigma context rule uses an approximation of Case_Ignorable.
 */
#include "vm.h"
#include "unicode_data.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* ---- Exported helpers (not in vm.h yet: the lead may move these prototypes there) ---------- */

/* A parsed format spec: [[fill]align][sign][z][#][0][width][,|_][.precision][type]. */
typedef struct vm_fmtspec {
    uint32_t fill;           /* code point, ' ' by default */
    char align;              /* '<' '>' '^' '=' or 0 when not given */
    char sign;               /* '+' '-' ' ' or 0 */
    bool no_neg_zero;        /* 'z' */
    bool alt;                /* '#' */
    bool zero;               /* '0' given before the width (fill '0', align '=' for numbers) */
    int64_t width;           /* -1 when not given */
    char grouping;           /* ',' '_' or 0 */
    int64_t precision;       /* -1 when not given */
    char type;               /* 0 when not given */
} vm_fmtspec;
/* Parse spec (a str).  tname is the type named in errors ("int", "float", "str").  Raises
   ValueError like CPython and returns -1 on a malformed spec. */
int vm_fmtspec_parse(Thread *th, Value spec, const char *tname, vm_fmtspec *fs);
/* Pad body (UTF-8, nchars code points) to fs->width with fs->fill, aligned by fs->align (or
   default_align when 0): '<' '>' '^'; '=' is treated as '>' (numbers handle it themselves). */
Value vm_fmt_pad(Thread *th, const char *body, size_t n, int64_t nchars, const vm_fmtspec *fs,
                 char default_align);
/* object.__format__(self, spec): str(self) for an empty spec, TypeError otherwise. */
Value vm_object_format(Thread *th, Value *args, int nargs, Value kwnames);
/* A one-character str (chr()); cached for ASCII. */
Value vm_str_from_codepoint(Thread *th, uint32_t cp);
/* Shared with obj_bytes.c. */
Value vm_str_encode(Thread *th, Value s, Value encoding, Value errors);
Value vm_decode(Thread *th, const unsigned char *p, size_t n, Value encoding, Value errors);
int64_t vm_hash_bytes(const void *p, size_t n);
int vm_utf8_decode_cp(const unsigned char *s, const unsigned char *end, uint32_t *cp);
int vm_utf8_encode_cp(uint32_t cp, char *out);
bool vm_unicode_isspace(uint32_t cp);

/* ------------------------------------------------------------------------------------------ */
/* Small C helpers                                                                             */

static inline bool is_str(Value v) { return v && !IS_SMALL(v) && v->tid == T_STR; }

typedef struct StrBuf { char *p; size_t n, cap; } StrBuf;

static bool sb_grow(StrBuf *b, size_t extra) {
    if (b->n + extra + 1 <= b->cap) return true;
    size_t cap = b->cap ? b->cap * 2 : 64;
    while (cap < b->n + extra + 1) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) return false;
    b->p = p;
    b->cap = cap;
    return true;
}
static inline bool sb_add(StrBuf *b, const void *s, size_t n) {
    if (!sb_grow(b, n)) return false;
    memcpy(b->p + b->n, s, n);
    b->n += n;
    return true;
}
static inline bool sb_addc(StrBuf *b, char c) { return sb_add(b, &c, 1); }
static inline bool sb_adds(StrBuf *b, const char *s) { return sb_add(b, s, strlen(s)); }
static bool sb_addcp(StrBuf *b, uint32_t cp) {
    char tmp[4];
    return sb_add(b, tmp, (size_t)vm_utf8_encode_cp(cp, tmp));
}
static bool sb_repeat(StrBuf *b, const char *s, size_t n, int64_t times) {
    for (int64_t i = 0; i < times; i++)
        if (!sb_add(b, s, n)) return false;
    return true;
}
static void sb_free(StrBuf *b) { free(b->p); b->p = NULL; b->n = b->cap = 0; }

/* ------------------------------------------------------------------------------------------ */
/* UTF-8                                                                                       */

/* Decode one code point of (internally produced, well-formed) UTF-8; returns its length. */
int vm_utf8_decode_cp(const unsigned char *s, const unsigned char *end, uint32_t *cp) {
    unsigned c = s[0];
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (n == 1 || s + n > end) { *cp = c; return 1; }   /* truncated: never for our strings */
    if (n == 2) *cp = ((c & 0x1Fu) << 6) | (s[1] & 0x3Fu);
    else if (n == 3) *cp = ((c & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
    else *cp = ((c & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
    return n;
}

int vm_utf8_encode_cp(uint32_t cp, char *o) {
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xC0 | (cp >> 6)); o[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12)); o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18)); o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static int64_t u8_count(const char *s, size_t n) {
    int64_t k = 0;
    for (size_t i = 0; i < n; i++) k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

static inline uint32_t u8_at(const char *s, const char *end, size_t *i) {
    uint32_t cp;
    *i += (size_t)vm_utf8_decode_cp((const unsigned char *)s + *i, (const unsigned char *)end, &cp);
    return cp;
}

/* Byte offset of code point index i (0 <= i <= nchars). */
static int64_t cp_to_byte(const StrObj *s, int64_t i) {
    if (s->nchars == s->len) return i;
    int64_t b = 0;
    while (i > 0 && b < s->len) {
        b++;
        while (b < s->len && ((unsigned char)s->data[b] & 0xC0) == 0x80) b++;
        i--;
    }
    return b;
}
static int64_t byte_to_cp(const StrObj *s, int64_t b) {
    if (s->nchars == s->len) return b;
    return u8_count(s->data, (size_t)b);
}

/* ------------------------------------------------------------------------------------------ */
/* Unicode properties                                                                          */

static unsigned uc_flags(uint32_t c) {
    int lo = 0, hi = (int)(sizeof uc_runs / sizeof uc_runs[0]) - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (uc_runs[mid].start <= c) lo = mid; else hi = mid - 1;
    }
    return uc_runs[lo].flags;
}
static inline bool uc_has(uint32_t c, unsigned f) { return (uc_flags(c) & f) != 0; }
bool vm_unicode_isspace(uint32_t c) {
    if (c < 128) return c == ' ' || (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x1f);
    return uc_has(c, UC_SPACE);
}
static inline bool uc_cased(uint32_t c) { return uc_has(c, UC_UPPER | UC_LOWER | UC_TITLE); }

enum { CASE_LOWER, CASE_UPPER, CASE_TITLE, CASE_FOLD };

/* Full case mapping of c into out (UTF-8 appended). */
static bool uc_map(StrBuf *b, uint32_t c, int which) {
    if (c < 128) {
        if (which == CASE_UPPER || which == CASE_TITLE) { if (c >= 'a' && c <= 'z') c -= 32; }
        else if (c >= 'A' && c <= 'Z') c += 32;
        return sb_addc(b, (char)c);
    }
    int lo = 0, hi = (int)(sizeof uc_cases / sizeof uc_cases[0]) - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (uc_cases[mid].start <= c) lo = mid; else hi = mid - 1;
    }
    const uc_case *e = &uc_cases[lo];
    if (c >= e->start && (c - e->start) % e->stride == 0 && (c - e->start) / e->stride < e->count) {
        if (e->special & (1u << which)) return sb_adds(b, uc_special[e->d[which]]);
        return sb_addcp(b, (uint32_t)((int32_t)c + e->d[which]));
    }
    return sb_addcp(b, c);
}

/* ------------------------------------------------------------------------------------------ */
/* Allocation                                                                                  */

#define N_ASCII_CACHE 128
static Value ascii_cache[N_ASCII_CACHE];   /* global roots, filled by obj_str_init */
static Value empty_cache;

/* Interned strings: a table filled during start-up (every name literal the VM's C code uses is
   interned then, see build/vm/names.c) and read-only afterwards, so lookups need no lock and
   the strings are committed, shared and never move.  A miss after start-up returns a fresh,
   private string instead. */
#define INTERN_CAP 4096
static Value intern_value[INTERN_CAP];
static const char *intern_key[INTERN_CAP];
static bool intern_frozen;

void vm_str_intern_freeze(void) { intern_frozen = true; }

static void *str_payload_init(Value v, int64_t len, int64_t nchars) {
    StrObj *s = stm_payload(v);
    s->len = len;
    s->nchars = nchars;
    s->data[len] = 0;
    return s;
}

/* A new str of len bytes / nchars code points; the caller fills data before any moving point. */
static Value str_alloc(Thread *th, Value cls, int64_t len, int64_t nchars) {
    Value v = vm_alloc(th, T_STR, sizeof(StrObj) + (size_t)len + 1, STM_IMMUTABLE,
                       cls ? cls : vm.t_str);
    if (!v) return NULL;
    str_payload_init(v, len, nchars);
    return v;
}

/* From bytes that may lie inside another heap object: they are copied out before allocating,
   because the allocation may move that object. */
static Value str_from_c(Thread *th, const char *s, size_t n, int64_t nchars) {
    if (n == 0 && empty_cache) return empty_cache;
    if (n == 1 && (unsigned char)s[0] < N_ASCII_CACHE && ascii_cache[(unsigned char)s[0]])
        return ascii_cache[(unsigned char)s[0]];
    if (nchars < 0) nchars = u8_count(s, n);
    char small[256], *copy = n <= sizeof small ? small : malloc(n);
    if (!copy) return vm_no_memory(th);
    memcpy(copy, s, n);
    Value v = str_alloc(th, NULL, (int64_t)n, nchars);
    if (v) memcpy(((StrObj *)stm_payload(v))->data, copy, n);
    if (copy != small) free(copy);
    return v;
}

Value vm_str_new(Thread *th, const char *utf8, size_t len) { return str_from_c(th, utf8, len, -1); }
Value vm_str_cstr(Thread *th, const char *s) { return str_from_c(th, s, strlen(s), -1); }

static Value sb_finish(Thread *th, StrBuf *b) {
    Value v = str_from_c(th, b->p ? b->p : "", b->n, -1);
    sb_free(b);
    return v;
}

Value vm_str_fmt(Thread *th, const char *fmt, ...) {
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    if ((size_t)n < sizeof tmp) return str_from_c(th, tmp, (size_t)n, -1);
    char *p = malloc((size_t)n + 1);
    if (!p) return vm_no_memory(th);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    Value v = str_from_c(th, p, (size_t)n, -1);
    free(p);
    return v;
}

Value vm_str_intern(Thread *th, const char *s) {
    /* Hot callers pass the same literal again and again (vm_lookup_type(t, "__init__")): after
       start-up, a per-thread cache keyed by the literal's address answers without hashing. */
    struct vm_name_slot *slot = NULL;
    if (intern_frozen && th) {
        slot = &th->name_cache[((uintptr_t)s >> 3) & (VM_NAME_CACHE - 1)];
        /* the address alone is not enough: some callers pass a reused buffer */
        if (slot->key == s && !strcmp(STR(th, slot->value)->data, s)) return slot->value;
    }
    uint64_t h = 1469598103934665603ull;
    for (const char *p = s; *p; p++) h = (h ^ (unsigned char)*p) * 1099511628211ull;
    size_t i = (size_t)h & (INTERN_CAP - 1);
    for (; intern_key[i]; i = (i + 1) & (INTERN_CAP - 1))
        if (!strcmp(intern_key[i], s)) {
            if (slot && !stm_is_young(intern_value[i])) {   /* out of the nursery: never moves */
                slot->key = s;
                slot->value = intern_value[i];
            }
            return intern_value[i];
        }
    if (intern_frozen) return vm_str_cstr(th, s);
    size_t n = strlen(s);
    Value v = str_alloc(th, NULL, (int64_t)n, u8_count(s, n));
    if (!v) return NULL;
    memcpy(((StrObj *)stm_payload(v))->data, s, n);
    intern_key[i] = strdup(s);
    intern_value[i] = v;
    stm_add_global_root(&intern_value[i]);
    return intern_value[i];
}

Value vm_str_from_codepoint(Thread *th, uint32_t cp) {
    if (cp > 0x10FFFF) return vm_raise(th, vm.e_ValueError, "chr() arg not in range(0x110000)");
    char tmp[4];
    int n = vm_utf8_encode_cp(cp, tmp);
    return str_from_c(th, tmp, (size_t)n, 1);
}

/* A substring of the str in root slot *src: bytes [b0, b1) holding nch code points. */
static Value str_sub(Thread *th, Value *src, int64_t b0, int64_t b1, int64_t nch) {
    const StrObj *s = STR(th, *src);
    if (b0 == 0 && b1 == s->len && vm_type_of(th, *src) == vm.t_str) return *src;
    if (b1 - b0 <= 1) return str_from_c(th, s->data + b0, (size_t)(b1 - b0), nch);
    Value v = str_alloc(th, NULL, b1 - b0, nch);
    if (!v) return NULL;
    s = STR(th, *src);
    memcpy(((StrObj *)stm_payload(v))->data, s->data + b0, (size_t)(b1 - b0));
    return v;
}

/* ------------------------------------------------------------------------------------------ */
/* Equality, hash, concatenation                                                               */

bool vm_str_eq(Thread *th, Value a, Value b) {
    if (a == b) return true;
    const StrObj *x = STR(th, a), *y = STR(th, b);
    if (x->len != y->len) return false;
    int64_t hx = atomic_load_explicit(&x->hash, memory_order_relaxed);
    int64_t hy = atomic_load_explicit(&y->hash, memory_order_relaxed);
    if (hx && hy && hx != hy) return false;
    return memcmp(x->data, y->data, (size_t)x->len) == 0;
}

static int64_t hash_bytes(const unsigned char *p, size_t n) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) { h ^= p[i]; h *= 0x100000001b3ull; }
    h ^= h >> 33; h *= 0xff51afd7ed558ccdull; h ^= h >> 33; h *= 0xc4ceb9fe1a85ec53ull; h ^= h >> 33;
    int64_t r = (int64_t)(h >> 3);          /* 61 bits: fits a small int */
    return r == 0 ? 1 : r;
}

int64_t vm_str_hash(Thread *th, Value v) {
    StrObj *s = (StrObj *)STR(th, v);
    int64_t h = atomic_load_explicit(&s->hash, memory_order_relaxed);
    if (h) return h;
    h = hash_bytes((const unsigned char *)s->data, (size_t)s->len);
    atomic_store_explicit(&s->hash, h, memory_order_relaxed);
    return h;
}
/* Shared with obj_bytes.c (same function over raw bytes). */
int64_t vm_hash_bytes(const void *p, size_t n) { return hash_bytes(p, n); }

Value vm_str_concat(Thread *th, Value a, Value b) {
    if (!is_str(b))
        return vm_raise(th, vm.e_TypeError, "can only concatenate str (not \"%s\") to str",
                        vm_type_name(th, b));
    const StrObj *x = STR(th, a), *y = STR(th, b);
    if (y->len == 0 && vm_type_of(th, a) == vm.t_str) return a;
    if (x->len == 0 && vm_type_of(th, b) == vm.t_str) return b;
    int64_t len = x->len + y->len, nch = x->nchars + y->nchars;
    Value *pa = ROOT(th, a);
    ROOT(th, b);
    Value v = str_alloc(th, NULL, len, nch);
    if (v) {
        x = STR(th, pa[0]); y = STR(th, pa[1]);
        StrObj *o = stm_payload(v);
        memcpy(o->data, x->data, (size_t)x->len);
        memcpy(o->data + x->len, y->data, (size_t)y->len);
    }
    UNROOT(th, 2);
    return v;
}

/* Items of a list or tuple (no moving point between the call and the use). */
static Value seq_item(Thread *th, Value seq, int64_t i) {
    if (vm_tid(seq) == T_TUPLE) return TUP(th, seq)->items[i];
    return vm_list_get(th, seq, i);
}
static int64_t seq_len(Thread *th, Value seq) {
    if (vm_tid(seq) == T_TUPLE) return TUP(th, seq)->n;
    return vm_list_len(th, seq);
}

Value vm_str_join(Thread *th, Value sep, Value iterable) {
    Value *r = ROOT(th, sep);
    Value seq = iterable;
    if (vm_tid(seq) != T_TUPLE && vm_tid(seq) != T_LIST) seq = vm_sequence_list(th, iterable);
    if (!seq) { UNROOT(th, 1); return NULL; }
    ROOT(th, seq);
    int64_t n = seq_len(th, seq), len = 0, nch = 0;
    const StrObj *s = STR(th, r[0]);
    for (int64_t i = 0; i < n; i++) {
        Value it = seq_item(th, seq, i);
        if (!is_str(it)) {
            UNROOT(th, 2);
            return vm_raise(th, vm.e_TypeError, "sequence item %lld: expected str instance, %s found",
                            (long long)i, vm_type_name(th, it));
        }
        const StrObj *o = STR(th, it);
        len += o->len + (i ? s->len : 0);
        nch += o->nchars + (i ? s->nchars : 0);
    }
    Value v;
    if (n == 1 && vm_type_of(th, seq_item(th, seq, 0)) == vm.t_str) v = seq_item(th, seq, 0);
    else if ((v = str_alloc(th, NULL, len, nch))) {
        StrObj *o = stm_payload(v);
        s = STR(th, r[0]);
        int64_t pos = 0;
        for (int64_t i = 0; i < n; i++) {
            if (i) { memcpy(o->data + pos, s->data, (size_t)s->len); pos += s->len; }
            const StrObj *x = STR(th, seq_item(th, r[1], i));
            memcpy(o->data + pos, x->data, (size_t)x->len);
            pos += x->len;
        }
    }
    UNROOT(th, 2);
    return v;
}

/* ------------------------------------------------------------------------------------------ */
/* repr, ascii                                                                                 */

static bool sb_hexesc(StrBuf *b, uint32_t c) {
    char tmp[12];
    if (c < 0x100) snprintf(tmp, sizeof tmp, "\\x%02x", c);
    else if (c < 0x10000) snprintf(tmp, sizeof tmp, "\\u%04x", c);
    else snprintf(tmp, sizeof tmp, "\\U%08x", c);
    return sb_adds(b, tmp);
}

/* repr of UTF-8 text; ascii_only escapes every non-ASCII code point (ascii()). */
static bool repr_into(StrBuf *b, const char *s, size_t n, bool ascii_only) {
    bool sq = memchr(s, '\'', n) != NULL, dq = memchr(s, '"', n) != NULL;
    char q = (sq && !dq) ? '"' : '\'';
    if (!sb_addc(b, q)) return false;
    const char *end = s + n;
    for (size_t i = 0; i < n;) {
        size_t i0 = i;
        uint32_t c = u8_at(s, end, &i);
        bool ok;
        if (c == (uint32_t)q || c == '\\') { char t[2] = {'\\', (char)c}; ok = sb_add(b, t, 2); }
        else if (c == '\n') ok = sb_adds(b, "\\n");
        else if (c == '\r') ok = sb_adds(b, "\\r");
        else if (c == '\t') ok = sb_adds(b, "\\t");
        else if (c < 0x20 || c == 0x7f) ok = sb_hexesc(b, c);
        else if (c < 0x7f) ok = sb_addc(b, (char)c);
        else if (ascii_only || !uc_has(c, UC_PRINTABLE)) ok = sb_hexesc(b, c);
        else ok = sb_add(b, s + i0, i - i0);
        if (!ok) return false;
    }
    return sb_addc(b, q);
}

Value vm_str_repr(Thread *th, Value v) {
    StrBuf b = {0};
    const StrObj *s = STR(th, v);
    if (!repr_into(&b, s->data, (size_t)s->len, false)) { sb_free(&b); return vm_no_memory(th); }
    return sb_finish(th, &b);
}

Value vm_ascii(Thread *th, Value v) {
    if (is_str(v)) {
        StrBuf b = {0};
        const StrObj *s = STR(th, v);
        if (!repr_into(&b, s->data, (size_t)s->len, true)) { sb_free(&b); return vm_no_memory(th); }
        return sb_finish(th, &b);
    }
    Value r = vm_repr(th, v);
    if (!r) return NULL;
    const StrObj *s = STR(th, r);
    if (s->nchars == s->len) return r;
    StrBuf b = {0};
    const char *end = s->data + s->len;
    for (size_t i = 0; i < (size_t)s->len;) {
        uint32_t c = u8_at(s->data, end, &i);
        if (!(c < 0x80 ? sb_addc(&b, (char)c) : sb_hexesc(&b, c))) { sb_free(&b); return vm_no_memory(th); }
    }
    return sb_finish(th, &b);
}

/* ------------------------------------------------------------------------------------------ */
/* Format specs                                                                                */

static bool is_align(int c) { return c == '<' || c == '>' || c == '^' || c == '='; }

int vm_fmtspec_parse(Thread *th, Value spec, const char *tname, vm_fmtspec *fs) {
    const StrObj *s = STR(th, spec);
    const char *d = s->data, *end = s->data + s->len;
    size_t pos = 0, n = (size_t)s->len;
    *fs = (vm_fmtspec){.fill = ' ', .width = -1, .precision = -1};
    bool fill_given = false;
    if (n > 0) {
        size_t l = 0;
        uint32_t c0 = u8_at(d, end, &l);
        if (l < n && is_align(d[l])) { fs->fill = c0; fs->align = d[l]; pos = l + 1; fill_given = true; }
        else if (is_align(d[0])) { fs->align = d[0]; pos = 1; }
    }
    if (pos < n && (d[pos] == '+' || d[pos] == '-' || d[pos] == ' ')) fs->sign = d[pos++];
    if (pos < n && d[pos] == 'z') { fs->no_neg_zero = true; pos++; }
    if (pos < n && d[pos] == '#') { fs->alt = true; pos++; }
    if (pos < n && d[pos] == '0' && !fill_given) { fs->zero = true; fs->fill = '0'; pos++; }
    if (pos < n && d[pos] >= '0' && d[pos] <= '9') {
        fs->width = 0;
        while (pos < n && d[pos] >= '0' && d[pos] <= '9') {
            if (fs->width > (INT64_MAX - 9) / 10)
                return vm_raise(th, vm.e_ValueError, "Too many decimal digits in format string"), -1;
            fs->width = fs->width * 10 + (d[pos++] - '0');
        }
    }
    if (pos < n && d[pos] == ',') { fs->grouping = ','; pos++; }
    if (pos < n && d[pos] == '_') {
        if (fs->grouping) return vm_raise(th, vm.e_ValueError, "Cannot specify both ',' and '_'."), -1;
        fs->grouping = '_';
        pos++;
    }
    if (pos < n && d[pos] == ',' && fs->grouping == '_')
        return vm_raise(th, vm.e_ValueError, "Cannot specify both ',' and '_'."), -1;
    if (pos < n && d[pos] == '.') {
        pos++;
        if (pos >= n || d[pos] < '0' || d[pos] > '9')
            return vm_raise(th, vm.e_ValueError, "Format specifier missing precision"), -1;
        fs->precision = 0;
        while (pos < n && d[pos] >= '0' && d[pos] <= '9') {
            if (fs->precision > (INT64_MAX - 9) / 10)
                return vm_raise(th, vm.e_ValueError, "Too many decimal digits in format string"), -1;
            fs->precision = fs->precision * 10 + (d[pos++] - '0');
        }
    }
    if (u8_count(d + pos, n - pos) > 1)
        return vm_raise(th, vm.e_ValueError, "Invalid format specifier '%s' for object of type '%s'",
                        d, tname), -1;
    if (pos < n) fs->type = d[pos];
    if (fs->grouping) {
        char t = fs->type ? fs->type : (strcmp(tname, "str") == 0 ? 's' : 0);
        if (t && !strchr("defgEGF%", t) && !(fs->grouping == '_' && strchr("boxX", t))) {
            if ((unsigned char)t > 32 && (unsigned char)t < 127)
                vm_raise(th, vm.e_ValueError, "Cannot specify '%c' with '%c'.", fs->grouping, t);
            else
                vm_raise(th, vm.e_ValueError, "Cannot specify '%c' with '\\x%x'.", fs->grouping,
                         (unsigned char)t);
            return -1;
        }
    }
    return 0;
}

Value vm_fmt_pad(Thread *th, const char *body, size_t n, int64_t nchars, const vm_fmtspec *fs,
                 char default_align) {
    int64_t pad = fs->width - nchars;
    if (pad <= 0) return str_from_c(th, body, n, nchars);
    char align = fs->align ? fs->align : default_align;
    int64_t left = align == '<' ? 0 : align == '^' ? pad / 2 : pad;
    char fill[4];
    int fl = vm_utf8_encode_cp(fs->fill, fill);
    StrBuf b = {0};
    if (!sb_repeat(&b, fill, (size_t)fl, left) || !sb_add(&b, body, n) ||
        !sb_repeat(&b, fill, (size_t)fl, pad - left)) {
        sb_free(&b);
        return vm_no_memory(th);
    }
    return sb_finish(th, &b);
}

Value vm_str_format_spec(Thread *th, Value v, Value spec) {
    Value *r = ROOT(th, v);
    Value res = NULL;
    const StrObj *sp = STR(th, spec);
    vm_fmtspec fs;
    if (sp->len == 0) { res = str_sub(th, r, 0, STR(th, v)->len, STR(th, v)->nchars); goto out; }
    if (vm_fmtspec_parse(th, spec, "str", &fs) < 0) goto out;
    if (fs.type && fs.type != 's') {
        if ((unsigned char)fs.type > 32 && (unsigned char)fs.type < 127)
            vm_raise(th, vm.e_ValueError, "Unknown format code '%c' for object of type 'str'", fs.type);
        else
            vm_raise(th, vm.e_ValueError, "Unknown format code '\\x%x' for object of type 'str'",
                     (unsigned char)fs.type);
        goto out;
    }
    if (fs.sign == ' ') { vm_raise(th, vm.e_ValueError, "Space not allowed in string format specifier"); goto out; }
    if (fs.sign) { vm_raise(th, vm.e_ValueError, "Sign not allowed in string format specifier"); goto out; }
    if (fs.no_neg_zero) {
        vm_raise(th, vm.e_ValueError, "Negative zero coercion (z) not allowed in string format specifier");
        goto out;
    }
    if (fs.alt) { vm_raise(th, vm.e_ValueError, "Alternate form (#) not allowed in string format specifier"); goto out; }
    if (fs.align == '=') { vm_raise(th, vm.e_ValueError, "'=' alignment not allowed in string format specifier"); goto out; }
    const StrObj *s = STR(th, *r);
    int64_t nch = s->nchars, nb = s->len;
    if (fs.precision >= 0 && fs.precision < nch) { nch = fs.precision; nb = cp_to_byte(s, nch); }
    if (fs.width <= nch) { res = str_sub(th, r, 0, nb, nch); goto out; }
    /* copy out of the payload before padding allocates */
    char *tmp = malloc((size_t)nb + 1);
    if (!tmp) { vm_no_memory(th); goto out; }
    memcpy(tmp, s->data, (size_t)nb);
    res = vm_fmt_pad(th, tmp, (size_t)nb, nch, &fs, '<');
    free(tmp);
out:
    UNROOT(th, 1);
    return res;
}

static Value object_format_impl(Thread *th, Value v, Value spec) {
    if (!is_str(spec))
        return vm_raise(th, vm.e_TypeError, "format() argument 2 must be str, not %s", vm_type_name(th, spec));
    if (STR(th, spec)->len != 0)
        return vm_raise(th, vm.e_TypeError, "unsupported format string passed to %s.__format__",
                        vm_type_name(th, v));
    return vm_str(th, v);
}

Value vm_object_format(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "__format__", nargs - 1, kwnames, 1, 1) < 0) return NULL;
    return object_format_impl(th, args[0], args[1]);
}

Value vm_format(Thread *th, Value v, Value spec) {
    if (!spec) spec = empty_cache ? empty_cache : vm.empty_str;
    if (!is_str(spec))
        return vm_raise(th, vm.e_TypeError, "format() argument 2 must be str, not %s", vm_type_name(th, spec));
    Value t = vm_type_of(th, v);
    if (t == vm.t_str) return vm_str_format_spec(th, v, spec);
    if (t == vm.t_int) return vm_int_format(th, v, spec);
    if (t == vm.t_float) return vm_float_format(th, v, spec);
    Value *r = ROOT(th, v);
    ROOT(th, spec);
    Value m = vm_lookup_special(th, v, "__format__");
    Value res = m ? vm_call2(th, m, r[0], r[1]) : object_format_impl(th, r[0], r[1]);
    UNROOT(th, 2);
    if (res && !is_str(res))
        return vm_raise(th, vm.e_TypeError, "__format__ must return a str, not %s", vm_type_name(th, res));
    return res;
}

/* ------------------------------------------------------------------------------------------ */
/* printf-style formatting: fmt % args                                                         */

enum { PF_LJUST = 1, PF_SIGN = 2, PF_BLANK = 4, PF_ALT = 8, PF_ZERO = 16 };

typedef struct Pct {
    Value *args;               /* root slot: tuple, single value, or value looked up by key */
    int64_t argidx, arglen;
} Pct;

static Value pct_next(Thread *th, Pct *p) {
    int64_t i = p->argidx;
    if (i < p->arglen) {
        p->argidx++;
        if (p->arglen < 0) return *p->args;
        return TUP(th, *p->args)->items[i];
    }
    return vm_raise(th, vm.e_TypeError, "not enough arguments for format string");
}

/* Absolute value digits of an int in base (10, 8, 16) into out; *neg set for negatives. */
static int int_digits(Thread *th, Value iv, int base, bool upper, StrBuf *out, bool *neg) {
    if (IS_SMALL(iv)) {
        int64_t x = SMALL_VAL(iv);
        uint64_t u = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
        char tmp[32];
        snprintf(tmp, sizeof tmp, base == 10 ? "%llu" : base == 8 ? "%llo" : upper ? "%llX" : "%llx",
                 (unsigned long long)u);
        *neg = x < 0;
        return sb_adds(out, tmp) ? 0 : (vm_no_memory(th), -1);
    }
    Value s = base == 10 ? vm_int_repr(th, iv) : vm_int_to_base(th, iv, base, false);
    if (!s) return -1;
    const StrObj *o = STR(th, s);
    const char *d = o->data, *e = o->data + o->len;
    *neg = d < e && *d == '-';
    if (*neg) d++;
    if (e - d > 2 && d[0] == '0' && (d[1] == 'x' || d[1] == 'X' || d[1] == 'o')) d += 2;
    size_t start = out->n;
    if (!sb_add(out, d, (size_t)(e - d))) return vm_no_memory(th), -1;
    if (upper)
        for (size_t i = start; i < out->n; i++)
            if (out->p[i] >= 'a' && out->p[i] <= 'f') out->p[i] -= 32;
    return 0;
}

/* The int to format for %d (any real number) or %x/%o/%c (integers only). */
static Value pct_int_arg(Thread *th, Value v, char conv) {
    if (vm_is_int(v)) return v;
    if (v == vm.True) return MK_SMALL(1);
    if (v == vm.False) return MK_SMALL(0);
    bool real = conv == 'd' || conv == 'i' || conv == 'u';
    if (real && vm_tid(v) == T_FLOAT) return vm_int_from_double(th, FLOAT_VAL(th, v));
    Value *r = ROOT(th, v);
    Value m = real ? vm_lookup_special(th, v, "__int__") : NULL;
    if (!m) m = vm_lookup_special(th, *r, "__index__");
    Value res = m ? vm_call1(th, m, *r) : NULL;
    v = *r;
    UNROOT(th, 1);
    if (!m) {
        if (real)
            return vm_raise(th, vm.e_TypeError, "%%%c format: a real number is required, not %s", conv,
                            vm_type_name(th, v));
        return vm_raise(th, vm.e_TypeError, "%%%c format: an integer is required, not %s", conv,
                        vm_type_name(th, v));
    }
    if (res && res == vm.True) return MK_SMALL(1);
    if (res && res == vm.False) return MK_SMALL(0);
    if (res && !vm_is_int(res))
        return vm_raise(th, vm.e_TypeError, "__int__ returned non-int (type %s)", vm_type_name(th, res));
    return res;
}

static int real_arg(Thread *th, Value v, double *out) {
    uint16_t t = vm_tid(v);
    if (t == T_FLOAT) { *out = FLOAT_VAL(th, v); return 0; }
    if (v == vm.True || v == vm.False) { *out = v == vm.True; return 0; }
    if (t == T_INT) return vm_to_double(th, v, out);
    Value *r = ROOT(th, v);
    Value m = vm_lookup_special(th, v, "__float__");
    Value res = m ? vm_call1(th, m, *r) : NULL;
    v = *r;
    UNROOT(th, 1);
    if (!m) return vm_raise(th, vm.e_TypeError, "must be real number, not %s", vm_type_name(th, v)), -1;
    if (!res) return -1;
    if (vm_tid(res) != T_FLOAT)
        return vm_raise(th, vm.e_TypeError, "%s.__float__ returned non-float (type %s)",
                        vm_type_name(th, v), vm_type_name(th, res)), -1;
    *out = FLOAT_VAL(th, res);
    return 0;
}

/* Append sign/prefix/body padded to width (numbers: zero fill goes after the sign). */
static bool pct_emit_num(StrBuf *b, int flags, int64_t width, bool neg, const char *prefix,
                         const char *body, size_t n) {
    char sign = neg ? '-' : (flags & PF_SIGN) ? '+' : (flags & PF_BLANK) ? ' ' : 0;
    int64_t len = (int64_t)n + (sign != 0) + (int64_t)strlen(prefix);
    int64_t pad = width > len ? width - len : 0;
    bool ok = true;
    if (!(flags & PF_LJUST) && !(flags & PF_ZERO)) ok &= sb_repeat(b, " ", 1, pad);
    if (sign) ok &= sb_addc(b, sign);
    ok &= sb_adds(b, prefix);
    if (!(flags & PF_LJUST) && (flags & PF_ZERO)) ok &= sb_repeat(b, "0", 1, pad);
    ok &= sb_add(b, body, n);
    if (flags & PF_LJUST) ok &= sb_repeat(b, " ", 1, pad);
    return ok;
}

/* One conversion of value v; the result is appended to b. */
static int pct_convert(Thread *th, StrBuf *b, char c, Value v, int flags, int64_t width, int64_t prec) {
    bool ok = true;
    switch (c) {
    case 's': case 'r': case 'a': {
        Value s = c == 's' ? vm_str(th, v) : c == 'r' ? vm_repr(th, v) : vm_ascii(th, v);
        if (!s) return -1;
        const StrObj *o = STR(th, s);
        int64_t nch = o->nchars, nb = o->len;
        if (prec >= 0 && prec < nch) { nch = prec; nb = cp_to_byte(o, prec); }
        int64_t pad = width > nch ? width - nch : 0;
        if (!(flags & PF_LJUST)) ok &= sb_repeat(b, " ", 1, pad);
        ok &= sb_add(b, o->data, (size_t)nb);
        if (flags & PF_LJUST) ok &= sb_repeat(b, " ", 1, pad);
        break;
    }
    case 'c': {
        uint32_t cp;
        if (is_str(v)) {
            const StrObj *o = STR(th, v);
            if (o->nchars != 1) return vm_raise(th, vm.e_TypeError, "%%c requires int or char"), -1;
            size_t i = 0;
            cp = u8_at(o->data, o->data + o->len, &i);
        } else {
            if (!vm_is_int(v) && vm_tid(v) != T_BOOL) {
                Value *rv = ROOT(th, v);
                bool has = vm_lookup_special(th, v, "__index__") != NULL;
                v = *rv;
                UNROOT(th, 1);
                if (!has) return vm_raise(th, vm.e_TypeError, "%%c requires int or char"), -1;
            }
            int64_t x;
            if (vm_index(th, v, &x) < 0) {
                if (vm_exc_matches(th, vm.e_OverflowError)) {
                    vm_exc_clear(th);
                    x = -1;
                } else return -1;
            }
            if (x < 0 || x > 0x10FFFF)
                return vm_raise(th, vm.e_OverflowError, "%%c arg not in range(0x110000)"), -1;
            cp = (uint32_t)x;
        }
        int64_t pad = width > 1 ? width - 1 : 0;
        if (!(flags & PF_LJUST)) ok &= sb_repeat(b, " ", 1, pad);
        ok &= sb_addcp(b, cp);
        if (flags & PF_LJUST) ok &= sb_repeat(b, " ", 1, pad);
        break;
    }
    case 'd': case 'i': case 'u': case 'o': case 'x': case 'X': {
        Value iv = pct_int_arg(th, v, c);
        if (!iv) return -1;
        StrBuf digits = {0};
        bool neg;
        int base = c == 'o' ? 8 : (c == 'x' || c == 'X') ? 16 : 10;
        if (int_digits(th, iv, base, c == 'X', &digits, &neg) < 0) { sb_free(&digits); return -1; }
        StrBuf body = {0};
        if (prec > (int64_t)digits.n) ok &= sb_repeat(&body, "0", 1, prec - (int64_t)digits.n);
        ok &= sb_add(&body, digits.p, digits.n);
        const char *prefix = !(flags & PF_ALT) || base == 10 ? "" : c == 'o' ? "0o" : c == 'x' ? "0x" : "0X";
        ok &= pct_emit_num(b, flags, width, neg, prefix, body.p ? body.p : "", body.n);
        sb_free(&digits);
        sb_free(&body);
        break;
    }
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': {
        double d;
        if (real_arg(th, v, &d) < 0) return -1;
        if (prec < 0) prec = 6;
        if (prec > 100000) prec = 100000;
        char cf[8] = "%", *q = cf + 1;
        if (flags & PF_ALT) *q++ = '#';
        *q++ = '.'; *q++ = '*'; *q++ = c; *q = 0;
        size_t cap = (size_t)prec + 420;
        char *tmp = malloc(cap);
        if (!tmp) return vm_no_memory(th), -1;
        int n = snprintf(tmp, cap, cf, (int)prec, d);
        bool neg = n > 0 && tmp[0] == '-';
        int fl = flags;
        ok &= pct_emit_num(b, fl, width, neg, "", tmp + neg, (size_t)n - neg);
        free(tmp);
        break;
    }
    default:
        return 1;   /* unsupported */
    }
    return ok ? 0 : (vm_no_memory(th), -1);
}

static Value pct_fail(Thread *th, StrBuf *b, size_t mark) {
    sb_free(b);
    ROOTS_RESET(th, mark);
    return NULL;
}

Value vm_str_percent(Thread *th, Value fmt, Value args) {
    size_t mark = ROOTS_MARK(th);
    Value *rf = ROOT(th, fmt);
    bool tuple = vm_tid(args) == T_TUPLE;
    Pct p = {.args = ROOT(th, args), .argidx = tuple ? 0 : -2, .arglen = tuple ? TUP(th, args)->n : -1};
    Value *rd = ROOT(th, NULL);
    if (!tuple && !is_str(args) && (vm_tid(args) == T_DICT || vm_lookup_special(th, args, "__getitem__")))
        *rd = *p.args;
    StrBuf b = {0};
    size_t pos = 0;
    for (;;) {
        const StrObj *f = STR(th, *rf);
        size_t len = (size_t)f->len;
        const char *pc = pos < len ? memchr(f->data + pos, '%', len - pos) : NULL;
        size_t lit = pc ? (size_t)(pc - f->data) : len;
        if (!sb_add(&b, f->data + pos, lit - pos)) { vm_no_memory(th); return pct_fail(th, &b, mark); }
        if (!pc) break;
        pos = lit + 1;
        if (pos >= len) { vm_raise(th, vm.e_ValueError, "incomplete format"); return pct_fail(th, &b, mark); }
        if (f->data[pos] == '%') { sb_addc(&b, '%'); pos++; continue; }
        if (f->data[pos] == '(') {
            if (!*rd) { vm_raise(th, vm.e_TypeError, "format requires a mapping"); return pct_fail(th, &b, mark); }
            int depth = 1;
            size_t k0 = ++pos;
            while (pos < len && depth) {
                if (f->data[pos] == '(') depth++;
                else if (f->data[pos] == ')') depth--;
                pos++;
            }
            if (depth) { vm_raise(th, vm.e_ValueError, "incomplete format key"); return pct_fail(th, &b, mark); }
            Value key = str_sub(th, rf, (int64_t)k0, (int64_t)pos - 1, u8_count(f->data + k0, pos - 1 - k0));
            Value val = key ? vm_getitem(th, *rd, key) : NULL;
            if (!val) return pct_fail(th, &b, mark);
            *p.args = val;
            p.arglen = -1;
            p.argidx = -2;
            f = STR(th, *rf);
        }
        int flags = 0;
        for (; pos < len; pos++) {
            char c = f->data[pos];
            if (c == '-') flags |= PF_LJUST;
            else if (c == '+') flags |= PF_SIGN;
            else if (c == ' ') flags |= PF_BLANK;
            else if (c == '#') flags |= PF_ALT;
            else if (c == '0') flags |= PF_ZERO;
            else break;
        }
        int64_t width = -1, prec = -1;
        for (int part = 0; part < 2; part++) {
            if (part == 1) {
                if (pos >= len || f->data[pos] != '.') break;
                pos++;
                prec = 0;
            }
            int64_t *dst = part ? &prec : &width;
            if (pos < len && f->data[pos] == '*') {
                pos++;
                Value w = pct_next(th, &p);
                if (!w) return pct_fail(th, &b, mark);
                if (!IS_SMALL(w)) { vm_raise(th, vm.e_TypeError, "* wants int"); return pct_fail(th, &b, mark); }
                *dst = SMALL_VAL(w);
                if (part == 0 && *dst < 0) { flags |= PF_LJUST; *dst = -*dst; }
                if (part == 1 && *dst < 0) *dst = 0;
            } else {
                if (part == 0 && (pos >= len || f->data[pos] < '0' || f->data[pos] > '9')) continue;
                *dst = 0;
                while (pos < len && f->data[pos] >= '0' && f->data[pos] <= '9') {
                    if (*dst > (INT32_MAX - 9) / 10) {
                        vm_raise(th, vm.e_ValueError, part ? "precision too big" : "width too big");
                        return pct_fail(th, &b, mark);
                    }
                    *dst = *dst * 10 + (f->data[pos++] - '0');
                }
            }
        }
        while (pos < len && (f->data[pos] == 'h' || f->data[pos] == 'l' || f->data[pos] == 'L')) pos++;
        if (pos >= len) { vm_raise(th, vm.e_ValueError, "incomplete format"); return pct_fail(th, &b, mark); }
        size_t cpos = pos;
        uint32_t c = u8_at(f->data, f->data + len, &pos);
        int64_t cindex = u8_count(f->data, cpos);
        Value v = pct_next(th, &p);
        if (!v) return pct_fail(th, &b, mark);
        if ((flags & PF_LJUST)) flags &= ~PF_ZERO;
        int rc = c < 128 && c != '%' ? pct_convert(th, &b, (char)c, v, flags, width, prec) : 1;
        if (rc < 0) return pct_fail(th, &b, mark);
        if (rc > 0) {
            char cs[5] = {0};
            vm_utf8_encode_cp(c, cs);
            vm_raise(th, vm.e_ValueError, "unsupported format character '%s' (0x%x) at index %lld", cs, c,
                     (long long)cindex);
            return pct_fail(th, &b, mark);
        }
    }
    if (p.argidx < p.arglen && !*rd) {
        vm_raise(th, vm.e_TypeError, "not all arguments converted during string formatting");
        return pct_fail(th, &b, mark);
    }
    ROOTS_RESET(th, mark);
    return sb_finish(th, &b);
}

/* ------------------------------------------------------------------------------------------ */
/* str.format / str.format_map                                                                 */

typedef struct FmtCtx {
    Value *pos;                /* positional arguments (root slots) or NULL (format_map) */
    int npos;
    Value *kwnames;            /* root slot: tuple of keyword names, or NULL */
    Value *kwvals;             /* their values (root slots) */
    Value *mapping;            /* root slot: format_map's mapping, or NULL */
    int autostate;             /* 0 not yet, 1 automatic numbering, 2 manual */
    int64_t autoidx;
} FmtCtx;

static int fmt_err(Thread *th, const char *msg) { vm_raise(th, vm.e_ValueError, "%s", msg); return -1; }

static bool all_digits(const char *s, size_t n) {
    if (n == 0) return false;
    for (size_t i = 0; i < n; i++) if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

/* The first part of a field name: [a, b) of the str in *rs. Result in *out (a root slot). */
static int fmt_first(Thread *th, FmtCtx *cx, Value *rs, size_t a, size_t b, Value *out) {
    const StrObj *s = STR(th, *rs);
    int64_t idx = -1;
    if (a == b) {
        if (cx->autostate == 2)
            return fmt_err(th, "cannot switch from manual field specification to automatic field numbering");
        cx->autostate = 1;
        idx = cx->autoidx++;
    } else if (all_digits(s->data + a, b - a)) {
        if (cx->autostate == 1)
            return fmt_err(th, "cannot switch from automatic field numbering to manual field specification");
        cx->autostate = 2;
        if (b - a > 18) return fmt_err(th, "Too many decimal digits in format string");
        idx = 0;
        for (size_t i = a; i < b; i++) idx = idx * 10 + (s->data[i] - '0');
    }
    if (idx >= 0) {
        if (!cx->pos) return fmt_err(th, "Format string contains positional fields");
        if (idx >= cx->npos) {
            vm_raise(th, vm.e_IndexError, "Replacement index %lld out of range for positional args tuple",
                     (long long)idx);
            return -1;
        }
        *out = cx->pos[idx];
        return 0;
    }
    Value key = str_sub(th, rs, (int64_t)a, (int64_t)b, u8_count(s->data + a, b - a));
    if (!key) return -1;
    if (cx->mapping) {
        Value v = vm_getitem(th, *cx->mapping, key);
        if (!v) return -1;
        *out = v;
        return 0;
    }
    if (cx->kwnames && *cx->kwnames) {
        const TupleObj *t = TUP(th, *cx->kwnames);
        for (int64_t i = 0; i < t->n; i++)
            if (vm_str_eq(th, t->items[i], key)) { *out = cx->kwvals[i]; return 0; }
    }
    vm_raise_value(th, vm.e_KeyError, key);
    return -1;
}

/* Resolve a field name [a, b) to an object in *out. */
static int fmt_field_obj(Thread *th, FmtCtx *cx, Value *rs, size_t a, size_t b, Value *out) {
    const StrObj *s = STR(th, *rs);
    size_t k = a;
    while (k < b && s->data[k] != '.' && s->data[k] != '[') k++;
    if (fmt_first(th, cx, rs, a, k, out) < 0) return -1;
    while (k < b) {
        s = STR(th, *rs);
        char c = s->data[k++];
        size_t k0 = k;
        Value key, v;
        if (c == '.') {
            while (k < b && s->data[k] != '.' && s->data[k] != '[') k++;
            if (k == k0) return fmt_err(th, "Empty attribute in format string");
            key = str_sub(th, rs, (int64_t)k0, (int64_t)k, u8_count(s->data + k0, k - k0));
            v = key ? vm_getattr(th, *out, key) : NULL;
        } else if (c == '[') {
            while (k < b && s->data[k] != ']') k++;
            if (k >= b) return fmt_err(th, "Missing ']' in format string");
            if (k == k0) return fmt_err(th, "Empty attribute in format string");
            if (all_digits(s->data + k0, k - k0))
                key = vm_int_from_str(th, s->data + k0, k - k0, 10);
            else
                key = str_sub(th, rs, (int64_t)k0, (int64_t)k, u8_count(s->data + k0, k - k0));
            k++;
            v = key ? vm_getitem(th, *out, key) : NULL;
            s = STR(th, *rs);
            if (v && k < b && s->data[k] != '.' && s->data[k] != '[')
                return fmt_err(th, "Only '.' or '[' may follow ']' in format field specifier");
        } else {
            return fmt_err(th, "Only '.' or '[' may follow ']' in format field specifier");
        }
        if (!v) return -1;
        *out = v;
    }
    return 0;
}

static int fmt_build(Thread *th, FmtCtx *cx, Value *rs, StrBuf *out, int depth);

/* One replacement field [a, b) (without braces). */
static int fmt_field(Thread *th, FmtCtx *cx, Value *rs, size_t a, size_t b, bool expand, StrBuf *out,
                     int depth) {
    const StrObj *s = STR(th, *rs);
    size_t k = a;
    for (; k < b; k++) {
        char c = s->data[k];
        if (c == '[') { while (k < b && s->data[k] != ']') k++; if (k >= b) break; }
        else if (c == '{') return fmt_err(th, "unexpected '{' in field name");
        else if (c == '!' || c == ':') break;
    }
    size_t name_end = k < b ? k : b;
    uint32_t conv = 0;
    size_t spec0 = b;
    if (k < b) {
        if (s->data[k] == '!') {
            k++;
            if (k >= b) return fmt_err(th, "end of string while looking for conversion specifier");
            conv = u8_at(s->data, s->data + b, &k);
            if (k < b && s->data[k++] != ':') return fmt_err(th, "expected ':' after conversion specifier");
        } else {
            k++;
        }
        spec0 = k;
    }
    size_t mark = ROOTS_MARK(th);
    Value *obj = ROOT(th, NULL);
    Value *spec = ROOT(th, NULL);
    int rc = -1;
    if (fmt_field_obj(th, cx, rs, a, name_end, obj) < 0) goto out;
    if (conv) {
        Value v;
        if (conv == 'r') v = vm_repr(th, *obj);
        else if (conv == 's') v = vm_str(th, *obj);
        else if (conv == 'a') v = vm_ascii(th, *obj);
        else {
            if (conv > 32 && conv < 127)
                vm_raise(th, vm.e_ValueError, "Unknown conversion specifier %c", (int)conv);
            else
                vm_raise(th, vm.e_ValueError, "Unknown conversion specifier \\x%x", (unsigned)conv);
            goto out;
        }
        if (!v) goto out;
        *obj = v;
    }
    s = STR(th, *rs);
    *spec = str_sub(th, rs, (int64_t)spec0, (int64_t)b, u8_count(s->data + spec0, b - spec0));
    if (!*spec) goto out;
    if (expand) {
        StrBuf sb = {0};
        if (fmt_build(th, cx, spec, &sb, depth - 1) < 0) { sb_free(&sb); goto out; }
        if (!(*spec = sb_finish(th, &sb))) goto out;
    }
    Value r = vm_format(th, *obj, *spec);
    if (!r) goto out;
    s = STR(th, r);
    if (!sb_add(out, s->data, (size_t)s->len)) { vm_no_memory(th); goto out; }
    rc = 0;
out:
    ROOTS_RESET(th, mark);
    return rc;
}

static int fmt_build(Thread *th, FmtCtx *cx, Value *rs, StrBuf *out, int depth) {
    if (depth <= 0) return fmt_err(th, "Max string recursion exceeded");
    size_t pos = 0;
    for (;;) {
        const StrObj *s = STR(th, *rs);
        const char *d = s->data;
        size_t len = (size_t)s->len, i = pos;
        while (i < len && d[i] != '{' && d[i] != '}') i++;
        if (!sb_add(out, d + pos, i - pos)) return vm_no_memory(th), -1;
        if (i >= len) return 0;
        if (d[i] == '}') {
            if (i + 1 < len && d[i + 1] == '}') { sb_addc(out, '}'); pos = i + 2; continue; }
            return fmt_err(th, "Single '}' encountered in format string");
        }
        if (i + 1 >= len) return fmt_err(th, "Single '{' encountered in format string");
        if (d[i + 1] == '{') { sb_addc(out, '{'); pos = i + 2; continue; }
        size_t j = i + 1;
        int count = 1;
        bool hit = false, expand = false;
        while (j < len) {
            char c = d[j++];
            if (c == '[' && !hit) { while (j < len && d[j] != ']') j++; }
            else if (c == ':' && !hit) hit = true;
            else if (c == '!' && !hit) {
                if (j >= len) return fmt_err(th, "end of string while looking for conversion specifier");
                j++;
                hit = true;
            } else if (c == '{' && hit) { expand = true; count++; }
            else if (c == '}' && --count == 0) break;
        }
        if (count != 0)
            return fmt_err(th, hit ? "unmatched '{' in format spec" : "expected '}' before end of string");
        pos = j;
        if (fmt_field(th, cx, rs, i + 1, j - 1, expand, out, depth) < 0) return -1;
    }
}

static Value str_format_common(Thread *th, Value *self, FmtCtx *cx) {
    StrBuf b = {0};
    if (fmt_build(th, cx, self, &b, 2) < 0) { sb_free(&b); return NULL; }
    return sb_finish(th, &b);
}

/* ------------------------------------------------------------------------------------------ */
/* Codecs: utf-8, ascii, latin-1                                                               */

/* Implemented in obj_bytes.c: data of a bytes or bytearray (0), or -1 (no exception) if v is
   neither.  The pointer is valid until the next moving point. */
int vm_bytes_data(Thread *th, Value v, const unsigned char **p, int64_t *n);

enum { ENC_UTF8, ENC_ASCII, ENC_LATIN1 };
enum { ERR_STRICT, ERR_REPLACE, ERR_IGNORE, ERR_BACKSLASH, ERR_XMLREF, ERR_UNKNOWN };

static int codec_lookup(Thread *th, Value enc) {
    if (!enc) return ENC_UTF8;
    if (!is_str(enc))
        return vm_raise(th, vm.e_TypeError, "encode() argument 'encoding' must be str, not %s",
                        vm_type_name(th, enc)), -1;
    const StrObj *s = STR(th, enc);
    char norm[32];
    size_t n = 0;
    for (int64_t i = 0; i < s->len && n < sizeof norm - 1; i++) {
        char c = s->data[i];
        norm[n++] = c == '_' || c == ' ' ? '-' : (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    norm[n] = 0;
    static const char *const utf8[] = {"utf-8", "utf8", "u8", "utf", "cp65001", NULL};
    static const char *const ascii[] = {"ascii", "us-ascii", "646", NULL};
    static const char *const latin1[] = {"latin-1", "latin1", "latin", "l1", "iso-8859-1", "iso8859-1",
                                         "8859", "cp819", "iso-ir-100", NULL};
    for (int i = 0; utf8[i]; i++) if (!strcmp(norm, utf8[i])) return ENC_UTF8;
    for (int i = 0; ascii[i]; i++) if (!strcmp(norm, ascii[i])) return ENC_ASCII;
    for (int i = 0; latin1[i]; i++) if (!strcmp(norm, latin1[i])) return ENC_LATIN1;
    vm_raise(th, vm.e_LookupError, "unknown encoding: %s", s->data);
    return -1;
}
static const char *const codec_names[] = {"utf-8", "ascii", "latin-1"};

static int errors_lookup(Thread *th, Value err, char *name, size_t cap) {
    snprintf(name, cap, "strict");
    if (!err) return ERR_STRICT;
    if (!is_str(err))
        return vm_raise(th, vm.e_TypeError, "encode() argument 'errors' must be str, not %s",
                        vm_type_name(th, err)), -1;
    snprintf(name, cap, "%s", STR(th, err)->data);
    if (!strcmp(name, "strict")) return ERR_STRICT;
    if (!strcmp(name, "replace")) return ERR_REPLACE;
    if (!strcmp(name, "ignore")) return ERR_IGNORE;
    if (!strcmp(name, "backslashreplace")) return ERR_BACKSLASH;
    if (!strcmp(name, "xmlcharrefreplace")) return ERR_XMLREF;
    if (!strcmp(name, "surrogateescape") || !strcmp(name, "surrogatepass")) return ERR_STRICT;
    return ERR_UNKNOWN;
}

static void esc_char(char *out, size_t cap, uint32_t c) {
    if (c < 0x100) snprintf(out, cap, "\\x%02x", c);
    else if (c < 0x10000) snprintf(out, cap, "\\u%04x", c);
    else snprintf(out, cap, "\\U%08x", c);
}

/* Decode n bytes at p (may point into a GC payload: all reads happen before any allocation). */
Value vm_decode(Thread *th, const unsigned char *p, size_t n, Value encoding, Value errors) {
    int enc = codec_lookup(th, encoding);
    if (enc < 0) return NULL;
    char ename[64];
    int err = errors_lookup(th, errors, ename, sizeof ename);
    if (err < 0) return NULL;
    StrBuf b = {0};
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        if (c < 0x80) { if (!sb_addc(&b, (char)c)) goto nomem; i++; continue; }
        if (enc == ENC_LATIN1) { if (!sb_addcp(&b, c)) goto nomem; i++; continue; }
        size_t bad = 1;               /* length of the invalid range */
        const char *reason = "ordinal not in range(128)";
        if (enc == ENC_UTF8) {
            int need = c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2 : c >= 0xF0 && c <= 0xF4 ? 3 : -1;
            if (need < 0) reason = "invalid start byte";
            else {
                unsigned lo = 0x80, hi = 0xBF;
                if (c == 0xE0) lo = 0xA0;
                else if (c == 0xED) hi = 0x9F;
                else if (c == 0xF0) lo = 0x90;
                else if (c == 0xF4) hi = 0x8F;
                int k = 0;
                while (k < need && i + 1 + (size_t)k < n) {
                    unsigned d = p[i + 1 + (size_t)k];
                    if (d < (k == 0 ? lo : 0x80) || d > (k == 0 ? hi : 0xBF)) break;
                    k++;
                }
                if (k == need) {
                    if (!sb_add(&b, p + i, (size_t)need + 1)) goto nomem;
                    i += (size_t)need + 1;
                    continue;
                }
                bad = (size_t)k + 1;
                reason = i + 1 + (size_t)k >= n ? "unexpected end of data" : "invalid continuation byte";
            }
        }
        if (err == ERR_REPLACE) { if (!sb_addcp(&b, 0xFFFD)) goto nomem; }
        else if (err == ERR_BACKSLASH) {
            for (size_t k = 0; k < bad; k++) {
                char t[8];
                snprintf(t, sizeof t, "\\x%02x", p[i + k]);
                if (!sb_adds(&b, t)) goto nomem;
            }
        } else if (err != ERR_IGNORE) {
            sb_free(&b);
            if (err == ERR_UNKNOWN) return vm_raise(th, vm.e_LookupError, "unknown error handler name '%s'", ename);
            if (bad == 1)
                return vm_raise(th, vm.e_UnicodeDecodeError,
                                "'%s' codec can't decode byte 0x%02x in position %zu: %s", codec_names[enc],
                                c, i, reason);
            return vm_raise(th, vm.e_UnicodeDecodeError, "'%s' codec can't decode bytes in position %zu-%zu: %s",
                            codec_names[enc], i, i + bad - 1, reason);
        }
        i += bad;
    }
    return sb_finish(th, &b);
nomem:
    sb_free(&b);
    return vm_no_memory(th);
}

/* Encode the str s into a C buffer (caller makes the bytes object). */
static int str_encode(Thread *th, Value s, Value encoding, Value errors, StrBuf *b) {
    int enc = codec_lookup(th, encoding);
    if (enc < 0) return -1;
    char ename[64];
    int err = errors_lookup(th, errors, ename, sizeof ename);
    if (err < 0) return -1;
    const StrObj *o = STR(th, s);
    const char *d = o->data, *end = o->data + o->len;
    uint32_t limit = enc == ENC_ASCII ? 0x80 : enc == ENC_LATIN1 ? 0x100 : 0x110000;
    int64_t cpi = 0;
    for (size_t i = 0; i < (size_t)o->len; cpi++) {
        size_t i0 = i;
        uint32_t c = u8_at(d, end, &i);
        bool bad = c >= limit || (enc == ENC_UTF8 && c >= 0xD800 && c <= 0xDFFF);
        if (!bad) {
            if (!(enc == ENC_UTF8 ? sb_add(b, d + i0, i - i0) : sb_addc(b, (char)c))) goto nomem;
            continue;
        }
        /* the run of unencodable characters */
        int64_t run = 1;
        size_t j = i;
        while (j < (size_t)o->len) {
            size_t j2 = j;
            uint32_t c2 = u8_at(d, end, &j2);
            if (!(c2 >= limit || (enc == ENC_UTF8 && c2 >= 0xD800 && c2 <= 0xDFFF))) break;
            j = j2;
            run++;
        }
        if (err == ERR_STRICT || err == ERR_UNKNOWN) {
            if (err == ERR_UNKNOWN)
                return vm_raise(th, vm.e_LookupError, "unknown error handler name '%s'", ename), -1;
            const char *reason = enc == ENC_UTF8 ? "surrogates not allowed"
                                 : enc == ENC_ASCII ? "ordinal not in range(128)" : "ordinal not in range(256)";
            if (run == 1) {
                char e[16];
                esc_char(e, sizeof e, c);
                vm_raise(th, vm.e_UnicodeEncodeError, "'%s' codec can't encode character '%s' in position %lld: %s",
                         codec_names[enc], e, (long long)cpi, reason);
            } else {
                vm_raise(th, vm.e_UnicodeEncodeError,
                         "'%s' codec can't encode characters in position %lld-%lld: %s", codec_names[enc],
                         (long long)cpi, (long long)(cpi + run - 1), reason);
            }
            return -1;
        }
        for (int64_t k = 0; k < run; k++) {
            if (k) c = u8_at(d, end, &i);
            char t[16];
            if (err == ERR_REPLACE) snprintf(t, sizeof t, "?");
            else if (err == ERR_BACKSLASH) esc_char(t, sizeof t, c);
            else if (err == ERR_XMLREF) snprintf(t, sizeof t, "&#%u;", c);
            else t[0] = 0;
            if (!sb_adds(b, t)) goto nomem;
        }
        cpi += run - 1;
    }
    return 0;
nomem:
    vm_no_memory(th);
    return -1;
}

/* ------------------------------------------------------------------------------------------ */
/* Method helpers                                                                              */

#define STRM(name) static Value str_##name(Thread *th, Value *args, int nargs, Value kwnames)
#define CHECK(nm, mn, mx)                                                                        \
    do {                                                                                         \
        if (!is_str(args[0])) return bad_self(th, nm, args[0]);                                  \
        if (vm_arg_count(th, nm, nargs - 1, kwnames, mn, mx) < 0) return NULL;                   \
    } while (0)
#define ARG(i) ((i) < nargs ? args[i] : NULL)

static Value bad_self(Thread *th, const char *name, Value v) {
    return vm_raise(th, vm.e_TypeError, "descriptor '%s' for 'str' objects doesn't apply to a '%s' object",
                    name, vm_type_name(th, v));
}

static Value need_str(Thread *th, Value v, const char *fmt) {
    return vm_raise(th, vm.e_TypeError, fmt, vm_type_name(th, v));
}

/* A substring of *rs by byte range, counting its code points. */
static Value sub_of(Thread *th, Value *rs, int64_t b0, int64_t b1) {
    const StrObj *s = STR(th, *rs);
    int64_t nch = s->nchars == s->len ? b1 - b0 : u8_count(s->data + b0, (size_t)(b1 - b0));
    return str_sub(th, rs, b0, b1, nch);
}

static int slice_index(Thread *th, Value v, int64_t *out) {
    if (!vm_is_int(v) && vm_tid(v) != T_BOOL) {
        Value *r = ROOT(th, v);
        bool ok = vm_lookup_special(th, v, "__index__") != NULL;
        v = *r;
        UNROOT(th, 1);
        if (!ok)
            return vm_raise(th, vm.e_TypeError,
                            "slice indices must be integers or None or have an __index__ method"), -1;
    }
    if (vm_index(th, v, out) == 0) return 0;
    if (!vm_exc_matches(th, vm.e_OverflowError)) return -1;
    vm_exc_clear(th);
    *out = vm_int_cmp(th, v, MK_SMALL(0)) < 0 ? INT64_MIN / 2 : INT64_MAX / 2;
    return 0;
}

/* Optional start/end (NULL or None = default) resolved like CPython's ADJUST_INDICES, in code
   points. */
static int get_bounds(Thread *th, Value a, Value b, int64_t n, int64_t *start, int64_t *end) {
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

static const char *mem_find(const char *h, size_t hn, const char *nd, size_t nn) {
    if (nn == 0) return h;
    if (nn > hn) return NULL;
    if (nn == 1) return memchr(h, nd[0], hn);
    return memmem(h, hn, nd, nn);
}
static const char *mem_rfind(const char *h, size_t hn, const char *nd, size_t nn) {
    if (nn > hn) return NULL;
    for (size_t i = hn - nn + 1; i-- > 0;)
        if (h[i] == (nn ? nd[0] : h[i]) && memcmp(h + i, nd, nn) == 0) return h + i;
    return NULL;
}

/* find/rfind/index/rindex/count core: returns the code point index (-1 not found), or the count. */
enum { FIND, RFIND, COUNT };
static int find_core(Thread *th, Value *args, int nargs, int mode, int64_t *result) {
    if (!is_str(args[1])) {
        vm_raise(th, vm.e_TypeError, "must be str, not %s", vm_type_name(th, args[1]));
        return -1;
    }
    int64_t start, end;
    if (get_bounds(th, ARG(2), ARG(3), STR(th, args[0])->nchars, &start, &end) < 0) return -1;
    const StrObj *s = STR(th, args[0]), *sub = STR(th, args[1]);
    *result = mode == COUNT ? 0 : -1;
    if (end - start < sub->nchars) return 0;
    if (mode == COUNT && sub->len == 0) { *result = end - start + 1; return 0; }
    int64_t bs = cp_to_byte(s, start), be = cp_to_byte(s, end);
    const char *h = s->data + bs;
    size_t hn = (size_t)(be - bs);
    if (mode == COUNT) {
        int64_t k = 0;
        const char *p = h, *e = h + hn;
        while ((p = mem_find(p, (size_t)(e - p), sub->data, (size_t)sub->len))) { k++; p += sub->len; }
        *result = k;
        return 0;
    }
    const char *p = mode == FIND ? mem_find(h, hn, sub->data, (size_t)sub->len)
                                 : mem_rfind(h, hn, sub->data, (size_t)sub->len);
    if (p) *result = byte_to_cp(s, p - s->data);
    return 0;
}

STRM(find) { CHECK("find", 1, 3); int64_t r; return find_core(th, args, nargs, FIND, &r) < 0 ? NULL : MK_SMALL(r); }
STRM(rfind) { CHECK("rfind", 1, 3); int64_t r; return find_core(th, args, nargs, RFIND, &r) < 0 ? NULL : MK_SMALL(r); }
STRM(count) { CHECK("count", 1, 3); int64_t r; return find_core(th, args, nargs, COUNT, &r) < 0 ? NULL : MK_SMALL(r); }
STRM(index) {
    CHECK("index", 1, 3);
    int64_t r;
    if (find_core(th, args, nargs, FIND, &r) < 0) return NULL;
    return r < 0 ? vm_raise(th, vm.e_ValueError, "substring not found") : MK_SMALL(r);
}
STRM(rindex) {
    CHECK("rindex", 1, 3);
    int64_t r;
    if (find_core(th, args, nargs, RFIND, &r) < 0) return NULL;
    return r < 0 ? vm_raise(th, vm.e_ValueError, "substring not found") : MK_SMALL(r);
}

static int tailmatch(Thread *th, Value self, Value sub, int64_t start, int64_t end, bool suffix) {
    const StrObj *s = STR(th, self), *x = STR(th, sub);
    if (end - start < x->nchars) return 0;
    if (start > s->nchars) return 0;
    int64_t bs = cp_to_byte(s, start), be = cp_to_byte(s, end);
    if (be - bs < x->len) return 0;
    const char *p = suffix ? s->data + be - x->len : s->data + bs;
    return memcmp(p, x->data, (size_t)x->len) == 0;
}

static Value starts_ends(Thread *th, Value *args, int nargs, bool suffix) {
    const char *nm = suffix ? "endswith" : "startswith";
    int64_t start, end;
    if (get_bounds(th, ARG(2), ARG(3), STR(th, args[0])->nchars, &start, &end) < 0) return NULL;
    Value x = args[1];
    if (is_str(x)) return tailmatch(th, args[0], x, start, end, suffix) ? vm.True : vm.False;
    if (vm_tid(x) != T_TUPLE)
        return vm_raise(th, vm.e_TypeError, "%s first arg must be str or a tuple of str, not %s", nm,
                        vm_type_name(th, x));
    const TupleObj *t = TUP(th, x);
    for (int64_t i = 0; i < t->n; i++) {
        if (!is_str(t->items[i]))
            return vm_raise(th, vm.e_TypeError, "tuple for %s must only contain str, not %s", nm,
                            vm_type_name(th, t->items[i]));
        if (tailmatch(th, args[0], t->items[i], start, end, suffix)) return vm.True;
    }
    return vm.False;
}
STRM(startswith) { CHECK("startswith", 1, 3); return starts_ends(th, args, nargs, false); }
STRM(endswith) { CHECK("endswith", 1, 3); return starts_ends(th, args, nargs, true); }

/* ---- splitting -------------------------------------------------------------------------- */

typedef struct Ranges { int64_t *v; size_t n, cap; } Ranges;
static bool rg_add(Ranges *r, int64_t a, int64_t b) {
    if (r->n + 2 > r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        int64_t *v = realloc(r->v, cap * sizeof *v);
        if (!v) return false;
        r->v = v;
        r->cap = cap;
    }
    r->v[r->n++] = a;
    r->v[r->n++] = b;
    return true;
}

/* A list of substrings of *rs given by byte ranges (in reverse order if rev). Frees r. */
static Value ranges_list(Thread *th, Value *rs, Ranges *r, bool rev) {
    int64_t n = (int64_t)(r->n / 2);
    Value list = vm_list_new(th, n);
    if (!list) { free(r->v); return NULL; }
    Value *rl = ROOT(th, list);
    for (int64_t i = 0; i < n; i++) {
        int64_t k = rev ? n - 1 - i : i;
        Value piece = sub_of(th, rs, r->v[2 * k], r->v[2 * k + 1]);
        if (!piece) { UNROOT(th, 1); free(r->v); return NULL; }
        vm_list_set(th, *rl, i, piece);
    }
    free(r->v);
    list = *rl;
    UNROOT(th, 1);
    return list;
}

static inline bool space_at(const char *d, const char *end, size_t i, size_t *next) {
    unsigned char c = (unsigned char)d[i];
    if (c < 0x80) { *next = i + 1; return vm_unicode_isspace(c); }
    size_t j = i;
    uint32_t cp = u8_at(d, end, &j);
    *next = j;
    return vm_unicode_isspace(cp);
}

static Value split_common(Thread *th, Value *args, int nargs, Value kwnames, bool right) {
    const char *nm = right ? "rsplit" : "split";
    if (!is_str(args[0])) return bad_self(th, nm, args[0]);
    static const char *const names[] = {"sep", "maxsplit", NULL};
    Value a[2];
    if (vm_parse_args(th, nm, args + 1, nargs - 1, kwnames, names, 0, a) < 0) return NULL;
    int64_t maxsplit = -1;
    Value *psep = ROOT(th, a[0]);            /* __index__ may run Python code: sep moves */
    int ir = a[1] ? vm_index(th, a[1], &maxsplit) : 0;
    a[0] = *psep;
    UNROOT(th, 1);
    if (ir < 0) return NULL;
    if (maxsplit < 0) maxsplit = INT64_MAX;
    Value sep = a[0] && a[0] != vm.None ? a[0] : NULL;
    if (sep && !is_str(sep)) return need_str(th, sep, "must be str or None, not %s");
    const StrObj *s = STR(th, args[0]);
    const char *d = s->data, *end = d + s->len;
    size_t n = (size_t)s->len;
    Ranges r = {0};
    bool ok = true;
    if (!sep) {
        if (!right) {
            size_t i = 0, nx;
            while (ok) {
                while (i < n && space_at(d, end, i, &nx)) i = nx;
                if (i >= n) break;
                if (maxsplit-- == 0) {
                    size_t e = n;   /* rest, without trailing whitespace? no: CPython keeps it minus leading ws */
                    ok = rg_add(&r, (int64_t)i, (int64_t)e);
                    /* CPython strips trailing whitespace only when the whole string is consumed */
                    break;
                }
                size_t j = i;
                while (j < n && !space_at(d, end, j, &nx)) j = nx;
                ok = rg_add(&r, (int64_t)i, (int64_t)j);
                i = j;
            }
        } else {
            size_t i = n;
            while (ok) {
                /* skip trailing whitespace */
                while (i > 0) {
                    size_t p = i - 1, nx;
                    while (p > 0 && ((unsigned char)d[p] & 0xC0) == 0x80) p--;
                    if (!space_at(d, end, p, &nx)) break;
                    i = p;
                }
                if (i == 0) break;
                if (maxsplit-- == 0) { ok = rg_add(&r, 0, (int64_t)i); break; }
                size_t j = i;
                while (j > 0) {
                    size_t p = j - 1, nx;
                    while (p > 0 && ((unsigned char)d[p] & 0xC0) == 0x80) p--;
                    if (space_at(d, end, p, &nx)) break;
                    j = p;
                }
                ok = rg_add(&r, (int64_t)j, (int64_t)i);
                i = j;
            }
        }
    } else {
        const StrObj *x = STR(th, sep);
        if (x->len == 0) return vm_raise(th, vm.e_ValueError, "empty separator");
        size_t xn = (size_t)x->len;
        if (!right) {
            size_t i = 0;
            const char *p;
            while (ok && maxsplit-- > 0 && (p = mem_find(d + i, n - i, x->data, xn))) {
                ok = rg_add(&r, (int64_t)i, p - d);
                i = (size_t)(p - d) + xn;
            }
            ok = ok && rg_add(&r, (int64_t)i, (int64_t)n);
        } else {
            size_t i = n;
            const char *p;
            while (ok && maxsplit-- > 0 && (p = mem_rfind(d, i, x->data, xn))) {
                ok = rg_add(&r, p - d + (int64_t)xn, (int64_t)i);
                i = (size_t)(p - d);
            }
            ok = ok && rg_add(&r, 0, (int64_t)i);
        }
    }
    if (!ok) { free(r.v); return vm_no_memory(th); }
    return ranges_list(th, &args[0], &r, right);
}
STRM(split) { return split_common(th, args, nargs, kwnames, false); }
STRM(rsplit) { return split_common(th, args, nargs, kwnames, true); }

STRM(splitlines) {
    if (!is_str(args[0])) return bad_self(th, "splitlines", args[0]);
    static const char *const names[] = {"keepends", NULL};
    Value a[1];
    if (vm_parse_args(th, "splitlines", args + 1, nargs - 1, kwnames, names, 0, a) < 0) return NULL;
    int keep = 0;
    if (a[0] && (keep = vm_truthy(th, a[0])) < 0) return NULL;
    const StrObj *s = STR(th, args[0]);
    const char *d = s->data, *end = d + s->len;
    size_t n = (size_t)s->len, i = 0;
    Ranges r = {0};
    bool ok = true;
    while (ok && i < n) {
        size_t j = i, eol = 0, nx = 0;
        for (; j < n; j = nx) {
            nx = j;
            uint32_t c = u8_at(d, end, &nx);
            if (c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || c == 0x1c || c == 0x1d || c == 0x1e ||
                c == 0x85 || c == 0x2028 || c == 0x2029) {
                eol = nx;
                if (c == '\r' && nx < n && d[nx] == '\n') eol = nx + 1;
                break;
            }
        }
        if (j >= n) { ok = rg_add(&r, (int64_t)i, (int64_t)n); break; }
        ok = rg_add(&r, (int64_t)i, (int64_t)(keep ? eol : j));
        i = eol;
    }
    if (!ok) { free(r.v); return vm_no_memory(th); }
    return ranges_list(th, &args[0], &r, false);
}

static Value partition_common(Thread *th, Value *args, int nargs, Value kwnames, bool right) {
    const char *nm = right ? "rpartition" : "partition";
    CHECK(nm, 1, 1);
    if (!is_str(args[1])) return need_str(th, args[1], "must be str, not %s");
    const StrObj *s = STR(th, args[0]), *x = STR(th, args[1]);
    if (x->len == 0) return vm_raise(th, vm.e_ValueError, "empty separator");
    const char *p = right ? mem_rfind(s->data, (size_t)s->len, x->data, (size_t)x->len)
                          : mem_find(s->data, (size_t)s->len, x->data, (size_t)x->len);
    int64_t a = p ? p - s->data : (right ? 0 : s->len), b = p ? a + x->len : a, n = s->len;
    Value t = vm_tuple_new(th, 3);
    if (!t) return NULL;
    Value *rt = ROOT(th, t);
    Value parts[3];
    for (int k = 0; k < 3; k++) {
        Value v;
        if (!p && ((right && k < 2) || (!right && k > 0))) v = empty_cache ? empty_cache : vm_str_new(th, "", 0);
        else if (k == 1) v = args[1];
        else v = k == 0 ? sub_of(th, &args[0], 0, a) : sub_of(th, &args[0], b, n);
        if (!v) { UNROOT(th, 1); return NULL; }
        parts[k] = v;
        ROOT(th, v);
    }
    for (int k = 0; k < 3; k++) parts[k] = rt[1 + k];
    TupleObj *o = W(th, *rt, TupleObj);
    for (int k = 0; k < 3; k++) o->items[k] = parts[k];
    t = *rt;
    UNROOT(th, 4);
    return t;
}
STRM(partition) { return partition_common(th, args, nargs, kwnames, false); }
STRM(rpartition) { return partition_common(th, args, nargs, kwnames, true); }

STRM(join) { CHECK("join", 1, 1); return vm_str_join(th, args[0], args[1]); }

/* ---- strip, replace, remove*, padding ---------------------------------------------------- */

static bool in_chars(uint32_t c, const StrObj *chars) {
    const char *d = chars->data, *e = d + chars->len;
    if (c < 0x80 && chars->nchars == chars->len) return memchr(d, (int)c, (size_t)chars->len) != NULL;
    for (size_t i = 0; i < (size_t)chars->len;)
        if (u8_at(d, e, &i) == c) return true;
    return false;
}

static Value strip_common(Thread *th, Value *args, int nargs, Value kwnames, int which, const char *nm) {
    CHECK(nm, 0, 1);
    Value chars = ARG(1);
    if (chars == vm.None) chars = NULL;
    if (chars && !is_str(chars)) return need_str(th, chars, "strip arg must be None or str, not %s");
    const StrObj *s = STR(th, args[0]), *cs = chars ? STR(th, chars) : NULL;
    const char *d = s->data, *end = d + s->len;
    size_t a = 0, b = (size_t)s->len;
    if (which & 1)
        while (a < b) {
            size_t nx = a;
            uint32_t c = u8_at(d, end, &nx);
            if (!(cs ? in_chars(c, cs) : vm_unicode_isspace(c))) break;
            a = nx;
        }
    if (which & 2)
        while (b > a) {
            size_t p = b - 1;
            while (p > a && ((unsigned char)d[p] & 0xC0) == 0x80) p--;
            size_t nx = p;
            uint32_t c = u8_at(d, end, &nx);
            if (!(cs ? in_chars(c, cs) : vm_unicode_isspace(c))) break;
            b = p;
        }
    return sub_of(th, &args[0], (int64_t)a, (int64_t)b);
}
STRM(strip) { return strip_common(th, args, nargs, kwnames, 3, "strip"); }
STRM(lstrip) { return strip_common(th, args, nargs, kwnames, 1, "lstrip"); }
STRM(rstrip) { return strip_common(th, args, nargs, kwnames, 2, "rstrip"); }

STRM(replace) {
    CHECK("replace", 2, 3);
    if (!is_str(args[1])) return need_str(th, args[1], "replace() argument 1 must be str, not %s");
    if (!is_str(args[2])) return need_str(th, args[2], "replace() argument 2 must be str, not %s");
    int64_t count = -1;
    if (nargs > 3 && vm_index(th, args[3], &count) < 0) return NULL;
    if (count < 0) count = INT64_MAX;
    const StrObj *s = STR(th, args[0]), *o = STR(th, args[1]), *r = STR(th, args[2]);
    StrBuf b = {0};
    bool ok = true;
    const char *d = s->data, *end = d + s->len;
    size_t i = 0, n = (size_t)s->len;
    int64_t done = 0;
    if (o->len == 0) {
        while (ok && done < count) {
            ok &= sb_add(&b, r->data, (size_t)r->len);
            done++;
            if (i >= n) break;
            size_t nx = i;
            u8_at(d, end, &nx);
            ok &= sb_add(&b, d + i, nx - i);
            i = nx;
        }
    } else {
        const char *p;
        while (ok && done < count && (p = mem_find(d + i, n - i, o->data, (size_t)o->len))) {
            ok &= sb_add(&b, d + i, (size_t)(p - d) - i);
            ok &= sb_add(&b, r->data, (size_t)r->len);
            i = (size_t)(p - d) + (size_t)o->len;
            done++;
        }
    }
    if (done == 0) { sb_free(&b); return sub_of(th, &args[0], 0, s->len); }
    ok &= sb_add(&b, d + i, n - i);
    if (!ok) { sb_free(&b); return vm_no_memory(th); }
    return sb_finish(th, &b);
}

static Value remove_affix(Thread *th, Value *args, int nargs, Value kwnames, bool suffix) {
    const char *nm = suffix ? "removesuffix" : "removeprefix";
    CHECK(nm, 1, 1);
    if (!is_str(args[1]))
        return vm_raise(th, vm.e_TypeError, "%s() argument must be str, not %s", nm, vm_type_name(th, args[1]));
    const StrObj *s = STR(th, args[0]), *x = STR(th, args[1]);
    if (x->len > 0 && x->len <= s->len &&
        memcmp(suffix ? s->data + s->len - x->len : s->data, x->data, (size_t)x->len) == 0)
        return suffix ? sub_of(th, &args[0], 0, s->len - x->len) : sub_of(th, &args[0], x->len, s->len);
    return sub_of(th, &args[0], 0, s->len);
}
STRM(removeprefix) { return remove_affix(th, args, nargs, kwnames, false); }
STRM(removesuffix) { return remove_affix(th, args, nargs, kwnames, true); }

/* center/ljust/rjust: which 0 left-justify, 1 right, 2 center */
static Value pad_common(Thread *th, Value *args, int nargs, Value kwnames, int which, const char *nm) {
    CHECK(nm, 1, 2);
    int64_t width;
    if (vm_index(th, args[1], &width) < 0) return NULL;
    uint32_t fill = ' ';
    if (nargs > 2) {
        if (!is_str(args[2]))
            return vm_raise(th, vm.e_TypeError, "%s() argument 2 must be str, not %s", nm, vm_type_name(th, args[2]));
        const StrObj *f = STR(th, args[2]);
        if (f->nchars != 1)
            return vm_raise(th, vm.e_TypeError, "The fill character must be exactly one character long");
        size_t i = 0;
        fill = u8_at(f->data, f->data + f->len, &i);
    }
    const StrObj *s = STR(th, args[0]);
    int64_t marg = width - s->nchars;
    if (marg <= 0) return sub_of(th, &args[0], 0, s->len);
    int64_t left = which == 0 ? 0 : which == 1 ? marg : marg / 2 + (marg & width & 1);
    char f[4];
    int fl = vm_utf8_encode_cp(fill, f);
    StrBuf b = {0};
    if (!sb_repeat(&b, f, (size_t)fl, left) || !sb_add(&b, s->data, (size_t)s->len) ||
        !sb_repeat(&b, f, (size_t)fl, marg - left)) {
        sb_free(&b);
        return vm_no_memory(th);
    }
    return sb_finish(th, &b);
}
STRM(ljust) { return pad_common(th, args, nargs, kwnames, 0, "ljust"); }
STRM(rjust) { return pad_common(th, args, nargs, kwnames, 1, "rjust"); }
STRM(center) { return pad_common(th, args, nargs, kwnames, 2, "center"); }

STRM(zfill) {
    CHECK("zfill", 1, 1);
    int64_t width;
    if (vm_index(th, args[1], &width) < 0) return NULL;
    const StrObj *s = STR(th, args[0]);
    int64_t fill = width - s->nchars;
    if (fill <= 0) return sub_of(th, &args[0], 0, s->len);
    StrBuf b = {0};
    size_t k = s->len > 0 && (s->data[0] == '+' || s->data[0] == '-');
    bool ok = sb_add(&b, s->data, k) && sb_repeat(&b, "0", 1, fill) && sb_add(&b, s->data + k, (size_t)s->len - k);
    if (!ok) { sb_free(&b); return vm_no_memory(th); }
    return sb_finish(th, &b);
}

STRM(expandtabs) {
    if (!is_str(args[0])) return bad_self(th, "expandtabs", args[0]);
    static const char *const names[] = {"tabsize", NULL};
    Value a[1];
    if (vm_parse_args(th, "expandtabs", args + 1, nargs - 1, kwnames, names, 0, a) < 0) return NULL;
    int64_t ts = 8;
    if (a[0] && vm_index(th, a[0], &ts) < 0) return NULL;
    const StrObj *s = STR(th, args[0]);
    const char *d = s->data, *end = d + s->len;
    StrBuf b = {0};
    bool ok = true;
    int64_t col = 0;
    for (size_t i = 0; ok && i < (size_t)s->len;) {
        size_t i0 = i;
        uint32_t c = u8_at(d, end, &i);
        if (c == '\t') {
            if (ts > 0) { int64_t k = ts - col % ts; ok = sb_repeat(&b, " ", 1, k); col += k; }
        } else {
            ok = sb_add(&b, d + i0, i - i0);
            col = (c == '\n' || c == '\r') ? 0 : col + 1;
        }
    }
    if (!ok) { sb_free(&b); return vm_no_memory(th); }
    return sb_finish(th, &b);
}

/* ---- case mapping ------------------------------------------------------------------------ */

static uint32_t prev_cp(const char *d, size_t *i) {
    size_t p = *i - 1;
    while (p > 0 && ((unsigned char)d[p] & 0xC0) == 0x80) p--;
    *i = p;
    size_t q = p;
    return u8_at(d, d + p + 4, &q);
}

/* Greek capital sigma at byte offset i (followed by byte offset nx): final form? */
static bool final_sigma(const char *d, size_t n, size_t i, size_t nx) {
    size_t j = i;
    bool cased_before = false;
    while (j > 0) {
        uint32_t c = prev_cp(d, &j);
        if (uc_has(c, UC_CASE_IGN)) continue;
        cased_before = uc_cased(c);
        break;
    }
    if (!cased_before) return false;
    j = nx;
    while (j < n) {
        uint32_t c = u8_at(d, d + n, &j);
        if (uc_has(c, UC_CASE_IGN)) continue;
        return !uc_cased(c);
    }
    return true;
}

static bool lower_cp(StrBuf *b, const char *d, size_t n, size_t i, size_t nx, uint32_t c) {
    if (c == 0x3A3) return sb_addcp(b, final_sigma(d, n, i, nx) ? 0x3C2 : 0x3C3);
    return uc_map(b, c, CASE_LOWER);
}

enum { CM_LOWER, CM_UPPER, CM_FOLD, CM_SWAP, CM_TITLE, CM_CAPITALIZE };

static Value case_common(Thread *th, Value *args, int nargs, Value kwnames, int mode, const char *nm) {
    CHECK(nm, 0, 0);
    const StrObj *s = STR(th, args[0]);
    const char *d = s->data, *end = d + s->len;
    size_t n = (size_t)s->len;
    StrBuf b = {0};
    bool ok = sb_grow(&b, n), prev_cased = false;
    for (size_t i = 0; ok && i < n;) {
        size_t i0 = i;
        uint32_t c = u8_at(d, end, &i);
        switch (mode) {
        case CM_LOWER: ok = lower_cp(&b, d, n, i0, i, c); break;
        case CM_UPPER: ok = uc_map(&b, c, CASE_UPPER); break;
        case CM_FOLD: ok = uc_map(&b, c, CASE_FOLD); break;
        case CM_SWAP:
            if (uc_has(c, UC_UPPER)) ok = lower_cp(&b, d, n, i0, i, c);
            else if (uc_has(c, UC_LOWER)) ok = uc_map(&b, c, CASE_UPPER);
            else ok = sb_add(&b, d + i0, i - i0);
            break;
        case CM_TITLE:
            ok = prev_cased ? lower_cp(&b, d, n, i0, i, c) : uc_map(&b, c, CASE_TITLE);
            prev_cased = uc_cased(c);
            break;
        case CM_CAPITALIZE:
            ok = i0 == 0 ? uc_map(&b, c, CASE_TITLE) : lower_cp(&b, d, n, i0, i, c);
            break;
        }
    }
    if (!ok) { sb_free(&b); return vm_no_memory(th); }
    return sb_finish(th, &b);
}
STRM(lower) { return case_common(th, args, nargs, kwnames, CM_LOWER, "lower"); }
STRM(upper) { return case_common(th, args, nargs, kwnames, CM_UPPER, "upper"); }
STRM(casefold) { return case_common(th, args, nargs, kwnames, CM_FOLD, "casefold"); }
STRM(swapcase) { return case_common(th, args, nargs, kwnames, CM_SWAP, "swapcase"); }
STRM(title) { return case_common(th, args, nargs, kwnames, CM_TITLE, "title"); }
STRM(capitalize) { return case_common(th, args, nargs, kwnames, CM_CAPITALIZE, "capitalize"); }

/* ---- predicates -------------------------------------------------------------------------- */

enum { P_DIGIT, P_DECIMAL, P_NUMERIC, P_ALPHA, P_ALNUM, P_SPACE, P_PRINTABLE, P_ASCII };

static Value pred_common(Thread *th, Value *args, int nargs, Value kwnames, int p, const char *nm) {
    CHECK(nm, 0, 0);
    const StrObj *s = STR(th, args[0]);
    if (s->len == 0) return (p == P_PRINTABLE || p == P_ASCII) ? vm.True : vm.False;
    if (p == P_ASCII) return s->nchars == s->len ? vm.True : vm.False;
    static const unsigned mask[] = {UC_DIGIT, UC_DECIMAL, UC_NUMERIC, UC_ALPHA,
                                    UC_ALPHA | UC_DECIMAL | UC_DIGIT | UC_NUMERIC, UC_SPACE, UC_PRINTABLE};
    const char *d = s->data, *end = d + s->len;
    for (size_t i = 0; i < (size_t)s->len;) {
        uint32_t c = u8_at(d, end, &i);
        bool ok = p == P_SPACE ? vm_unicode_isspace(c) : uc_has(c, mask[p]);
        if (!ok) return vm.False;
    }
    return vm.True;
}
STRM(isdigit) { return pred_common(th, args, nargs, kwnames, P_DIGIT, "isdigit"); }
STRM(isdecimal) { return pred_common(th, args, nargs, kwnames, P_DECIMAL, "isdecimal"); }
STRM(isnumeric) { return pred_common(th, args, nargs, kwnames, P_NUMERIC, "isnumeric"); }
STRM(isalpha) { return pred_common(th, args, nargs, kwnames, P_ALPHA, "isalpha"); }
STRM(isalnum) { return pred_common(th, args, nargs, kwnames, P_ALNUM, "isalnum"); }
STRM(isspace) { return pred_common(th, args, nargs, kwnames, P_SPACE, "isspace"); }
STRM(isprintable) { return pred_common(th, args, nargs, kwnames, P_PRINTABLE, "isprintable"); }
STRM(isascii) { return pred_common(th, args, nargs, kwnames, P_ASCII, "isascii"); }

static Value case_pred(Thread *th, Value *args, int nargs, Value kwnames, int which, const char *nm) {
    CHECK(nm, 0, 0);
    const StrObj *s = STR(th, args[0]);
    const char *d = s->data, *end = d + s->len;
    bool cased = false, prev = false;
    for (size_t i = 0; i < (size_t)s->len;) {
        unsigned f = uc_flags(u8_at(d, end, &i));
        bool up = f & UC_UPPER, lo = f & UC_LOWER, ti = f & UC_TITLE;
        if (which == 0) {            /* isupper */
            if (lo || ti) return vm.False;
            if (up) cased = true;
        } else if (which == 1) {     /* islower */
            if (up || ti) return vm.False;
            if (lo) cased = true;
        } else {                     /* istitle */
            if (up || ti) { if (prev) return vm.False; prev = cased = true; }
            else if (lo) { if (!prev) return vm.False; prev = cased = true; }
            else prev = false;
        }
    }
    return cased ? vm.True : vm.False;
}
STRM(isupper) { return case_pred(th, args, nargs, kwnames, 0, "isupper"); }
STRM(islower) { return case_pred(th, args, nargs, kwnames, 1, "islower"); }
STRM(istitle) { return case_pred(th, args, nargs, kwnames, 2, "istitle"); }

STRM(isidentifier) {
    CHECK("isidentifier", 0, 0);
    const StrObj *s = STR(th, args[0]);
    if (s->len == 0) return vm.False;
    const char *d = s->data, *end = d + s->len;
    size_t i = 0;
    if (!uc_has(u8_at(d, end, &i), UC_XID_START)) return vm.False;
    while (i < (size_t)s->len)
        if (!uc_has(u8_at(d, end, &i), UC_XID_CONT)) return vm.False;
    return vm.True;
}

/* ---- encode, format, translate ----------------------------------------------------------- */

/* str.encode as a C function: bytes, or NULL with an exception. */
Value vm_str_encode(Thread *th, Value s, Value encoding, Value errors) {
    StrBuf b = {0};
    if (str_encode(th, s, encoding, errors, &b) < 0) { sb_free(&b); return NULL; }
    Value r = vm_bytes_new(th, b.p ? b.p : "", b.n);
    sb_free(&b);
    return r;
}

STRM(encode_m) {
    if (!is_str(args[0])) return bad_self(th, "encode", args[0]);
    static const char *const names[] = {"encoding", "errors", NULL};
    Value a[2];
    if (vm_parse_args(th, "encode", args + 1, nargs - 1, kwnames, names, 0, a) < 0) return NULL;
    return vm_str_encode(th, args[0], a[0], a[1]);
}

STRM(format) {
    if (!is_str(args[0])) return bad_self(th, "format", args[0]);
    int64_t nkw = kwnames && kwnames != vm.None ? TUP(th, kwnames)->n : 0;
    Value *rk = ROOT(th, nkw ? kwnames : NULL);
    FmtCtx cx = {.pos = args + 1, .npos = nargs - 1, .kwnames = rk, .kwvals = args + nargs};
    Value r = str_format_common(th, &args[0], &cx);
    UNROOT(th, 1);
    return r;
}

STRM(format_map) {
    CHECK("format_map", 1, 1);
    FmtCtx cx = {.mapping = &args[1]};
    return str_format_common(th, &args[0], &cx);
}

STRM(translate) {
    CHECK("translate", 1, 1);
    size_t mark = ROOTS_MARK(th);
    Value *key = ROOT(th, NULL);
    StrBuf b = {0};
    size_t i = 0;
    for (;;) {
        const StrObj *s = STR(th, args[0]);
        if (i >= (size_t)s->len) break;
        size_t i0 = i;
        uint32_t c = u8_at(s->data, s->data + s->len, &i);
        *key = MK_SMALL(c);
        Value v;
        if (vm_tid(args[1]) == T_DICT && vm_type_of(th, args[1]) == vm.t_dict) {
            int rc = vm_dict_get(th, args[1], *key, &v);
            if (rc < 0) goto fail;
            if (rc == 0) v = NULL;
        } else {
            v = vm_getitem(th, args[1], *key);
            if (!v) {
                if (!vm_exc_matches(th, vm.e_LookupError)) goto fail;
                vm_exc_clear(th);
            }
        }
        bool ok = true;
        if (!v) {
            s = STR(th, args[0]);
            ok = sb_add(&b, s->data + i0, i - i0);
        } else if (v == vm.None) {
        } else if (is_str(v)) {
            const StrObj *o = STR(th, v);
            ok = sb_add(&b, o->data, (size_t)o->len);
        } else if (vm_is_int(v)) {
            int64_t x;
            if (vm_int_to_i64(th, v, &x) < 0 || x < 0 || x > 0x10FFFF) {
                vm_exc_clear(th);
                vm_raise(th, vm.e_ValueError, "character mapping must be in range(0x110000)");
                goto fail;
            }
            ok = sb_addcp(&b, (uint32_t)x);
        } else {
            vm_raise(th, vm.e_TypeError, "character mapping must return integer, None or str");
            goto fail;
        }
        if (!ok) { vm_no_memory(th); goto fail; }
    }
    ROOTS_RESET(th, mark);
    return sb_finish(th, &b);
fail:
    sb_free(&b);
    ROOTS_RESET(th, mark);
    return NULL;
}

/* str.maketrans(x[, y[, z]]) — a static method: args[0] is x. */
static Value str_maketrans(Thread *th, Value *args, int nargs, Value kwnames) {
    if (vm_arg_count(th, "maketrans", nargs, kwnames, 1, 3) < 0) return NULL;
    Value d = vm_dict_new(th);
    if (!d) return NULL;
    size_t mark = ROOTS_MARK(th);
    Value *rd = ROOT(th, d);
    Value *rk = ROOT(th, NULL), *rv = ROOT(th, NULL);
    if (nargs == 1) {
        if (vm_tid(args[0]) != T_DICT) {
            vm_raise(th, vm.e_TypeError, "if you give only one argument to maketrans it must be a dict");
            goto fail;
        }
        int64_t pos = 0;
        Value k, v;
        while (vm_dict_next(th, args[0], &pos, &k, &v)) {
            *rv = v;
            if (is_str(k)) {
                const StrObj *ks = STR(th, k);
                if (ks->nchars != 1) {
                    vm_raise(th, vm.e_ValueError, "string keys in translate table must be of length 1");
                    goto fail;
                }
                size_t i = 0;
                *rk = MK_SMALL(u8_at(ks->data, ks->data + ks->len, &i));
            } else if (vm_is_int(k)) {
                *rk = k;
            } else {
                vm_raise(th, vm.e_TypeError, "keys in translate table must be strings or integers");
                goto fail;
            }
            if (vm_dict_set(th, *rd, *rk, *rv) < 0) goto fail;
        }
    } else {
        if (!is_str(args[0]) || !is_str(args[1])) {
            vm_raise(th, vm.e_TypeError, "maketrans() argument %d must be str, not %s", is_str(args[0]) ? 2 : 1,
                     vm_type_name(th, is_str(args[0]) ? args[1] : args[0]));
            goto fail;
        }
        if (STR(th, args[0])->nchars != STR(th, args[1])->nchars) {
            vm_raise(th, vm.e_ValueError, "the first two maketrans arguments must have equal length");
            goto fail;
        }
        size_t i = 0, j = 0;
        for (;;) {
            const StrObj *x = STR(th, args[0]), *y = STR(th, args[1]);
            if (i >= (size_t)x->len) break;
            uint32_t a = u8_at(x->data, x->data + x->len, &i), c = u8_at(y->data, y->data + y->len, &j);
            if (vm_dict_set(th, *rd, MK_SMALL(a), MK_SMALL(c)) < 0) goto fail;
        }
        if (nargs > 2) {
            if (!is_str(args[2])) {
                vm_raise(th, vm.e_TypeError, "maketrans() argument 3 must be str, not %s", vm_type_name(th, args[2]));
                goto fail;
            }
            i = 0;
            for (;;) {
                const StrObj *z = STR(th, args[2]);
                if (i >= (size_t)z->len) break;
                uint32_t a = u8_at(z->data, z->data + z->len, &i);
                if (vm_dict_set(th, *rd, MK_SMALL(a), vm.None) < 0) goto fail;
            }
        }
    }
    d = *rd;
    ROOTS_RESET(th, mark);
    return d;
fail:
    ROOTS_RESET(th, mark);
    return NULL;
}

/* ---- dunders ----------------------------------------------------------------------------- */

static Value str_from_cls(Thread *th, Value cls, Value *rs) {
    /* a copy of *rs with class cls (for str subclasses) */
    const StrObj *s = STR(th, *rs);
    Value v = str_alloc(th, cls, s->len, s->nchars);
    if (!v) return NULL;
    s = STR(th, *rs);
    memcpy(((StrObj *)stm_payload(v))->data, s->data, (size_t)s->len);
    return v;
}

/* str.__new__(cls, object='', encoding=?, errors=?): args[0] is cls. */
static Value str_new(Thread *th, Value *args, int nargs, Value kwnames) {
    static const char *const names[] = {"object", "encoding", "errors", NULL};
    Value a[3];
    if (vm_parse_args(th, "str", args + 1, nargs - 1, kwnames, names, 0, a) < 0) return NULL;
    Value *ra = ROOT(th, a[0]);
    ROOT(th, a[1]);
    ROOT(th, a[2]);
    Value r;
    if (!ra[0]) {
        r = empty_cache ? empty_cache : vm_str_new(th, "", 0);
    } else if (ra[1] || ra[2]) {
        const unsigned char *p;
        int64_t n;
        if (vm_bytes_data(th, ra[0], &p, &n) < 0) {
            r = is_str(ra[0]) ? vm_raise(th, vm.e_TypeError, "decoding str is not supported")
                              : vm_raise(th, vm.e_TypeError, "decoding to str: need a bytes-like object, %s found",
                                         vm_type_name(th, ra[0]));
        } else {
            r = vm_decode(th, p, (size_t)n, ra[1], ra[2]);
        }
    } else {
        r = vm_str(th, ra[0]);
    }
    if (r && args[0] != vm.t_str) {     /* args[0] (cls) is a root slot: __str__ may have moved it */
        ra[0] = r;
        r = str_from_cls(th, args[0], &ra[0]);
    }
    UNROOT(th, 3);
    return r;
}

STRM(repr) { CHECK("__repr__", 0, 0); return vm_str_repr(th, args[0]); }
STRM(str) {
    CHECK("__str__", 0, 0);
    if (vm_type_of(th, args[0]) == vm.t_str) return args[0];
    return str_from_cls(th, NULL, &args[0]);
}
STRM(hash) { CHECK("__hash__", 0, 0); return MK_SMALL(vm_str_hash(th, args[0])); }
STRM(len) { CHECK("__len__", 0, 0); return MK_SMALL(STR(th, args[0])->nchars); }

static int str_cmp(Thread *th, Value a, Value b) {
    const StrObj *x = STR(th, a), *y = STR(th, b);
    int64_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->data, y->data, (size_t)n);
    if (c) return c < 0 ? -1 : 1;
    return x->len < y->len ? -1 : x->len > y->len;
}
#define CMPM(name, expr)                                                                         \
    STRM(name) {                                                                                 \
        CHECK("__" #name "__", 1, 1);                                                            \
        if (!is_str(args[1])) return vm.NotImplemented;                                          \
        int c = str_cmp(th, args[0], args[1]);                                                   \
        return (expr) ? vm.True : vm.False;                                                      \
    }
STRM(eq) {
    CHECK("__eq__", 1, 1);
    if (!is_str(args[1])) return vm.NotImplemented;
    return vm_str_eq(th, args[0], args[1]) ? vm.True : vm.False;
}
STRM(ne) {
    CHECK("__ne__", 1, 1);
    if (!is_str(args[1])) return vm.NotImplemented;
    return vm_str_eq(th, args[0], args[1]) ? vm.False : vm.True;
}
CMPM(lt, c < 0)
CMPM(le, c <= 0)
CMPM(gt, c > 0)
CMPM(ge, c >= 0)

STRM(contains) {
    CHECK("__contains__", 1, 1);
    if (!is_str(args[1]))
        return vm_raise(th, vm.e_TypeError, "'in <string>' requires string as left operand, not %s",
                        vm_type_name(th, args[1]));
    const StrObj *s = STR(th, args[0]), *x = STR(th, args[1]);
    return mem_find(s->data, (size_t)s->len, x->data, (size_t)x->len) ? vm.True : vm.False;
}

STRM(add) {
    CHECK("__add__", 1, 1);
    if (!is_str(args[1])) return vm.NotImplemented;
    return vm_str_concat(th, args[0], args[1]);
}

static Value str_repeat(Thread *th, Value *rs, int64_t n) {
    const StrObj *s = STR(th, *rs);
    if (n <= 0 || s->len == 0) return empty_cache ? empty_cache : vm_str_new(th, "", 0);
    if (n == 1) return sub_of(th, rs, 0, s->len);
    if (s->len > (INT64_MAX / 4) / n) return vm_raise(th, vm.e_OverflowError, "repeated string is too long");
    int64_t len = s->len * n;
    Value v = str_alloc(th, NULL, len, s->nchars * n);
    if (!v) return NULL;
    s = STR(th, *rs);
    StrObj *o = stm_payload(v);
    memcpy(o->data, s->data, (size_t)s->len);
    for (int64_t done = s->len; done < len;) {
        int64_t k = done < len - done ? done : len - done;
        memcpy(o->data + done, o->data, (size_t)k);
        done += k;
    }
    return v;
}

STRM(mul) {
    CHECK("__mul__", 1, 1);
    Value x = args[1];
    if (!vm_is_int(x) && vm_tid(x) != T_BOOL && !vm_lookup_special(th, x, "__index__"))
        return vm.NotImplemented;
    int64_t n;
    if (vm_index(th, args[1], &n) < 0) return NULL;
    return str_repeat(th, &args[0], n);
}

STRM(mod) {
    CHECK("__mod__", 1, 1);
    return vm_str_percent(th, args[0], args[1]);
}

STRM(format_dunder) {
    CHECK("__format__", 1, 1);
    if (!is_str(args[1]))
        return vm_raise(th, vm.e_TypeError, "__format__() argument must be str, not %s", vm_type_name(th, args[1]));
    return vm_str_format_spec(th, args[0], args[1]);
}

STRM(getitem) {
    CHECK("__getitem__", 1, 1);
    Value k = args[1];
    const StrObj *s = STR(th, args[0]);
    if (vm_tid(k) == T_SLICE) {
        int64_t start, stop, step, n;
        if (vm_slice_indices(th, k, s->nchars, &start, &stop, &step, &n) < 0) return NULL;
        s = STR(th, args[0]);
        if (n <= 0) return empty_cache ? empty_cache : vm_str_new(th, "", 0);
        if (step == 1) return str_sub(th, &args[0], cp_to_byte(s, start), cp_to_byte(s, stop), n);
        StrBuf b = {0};
        bool ok = true;
        if (s->nchars == s->len) {
            for (int64_t i = 0, j = start; ok && i < n; i++, j += step) ok = sb_addc(&b, s->data[j]);
        } else {
            int64_t *off = malloc(sizeof(int64_t) * (size_t)(s->nchars + 1));
            if (!off) return vm_no_memory(th);
            for (int64_t i = 0, b0 = 0; i <= s->nchars; i++) {
                off[i] = b0;
                if (b0 < s->len) { b0++; while (b0 < s->len && ((unsigned char)s->data[b0] & 0xC0) == 0x80) b0++; }
            }
            for (int64_t i = 0, j = start; ok && i < n; i++, j += step)
                ok = sb_add(&b, s->data + off[j], (size_t)(off[j + 1] - off[j]));
            free(off);
        }
        if (!ok) { sb_free(&b); return vm_no_memory(th); }
        return sb_finish(th, &b);
    }
    if (!vm_is_int(k) && vm_tid(k) != T_BOOL) {
        Value *r = ROOT(th, k);
        bool has = vm_lookup_special(th, k, "__index__") != NULL;
        k = *r;
        UNROOT(th, 1);
        if (!has)
            return vm_raise(th, vm.e_TypeError, "string indices must be integers, not '%s'", vm_type_name(th, k));
    }
    int64_t i;
    if (vm_index(th, k, &i) < 0) {
        if (!vm_exc_matches(th, vm.e_OverflowError)) return NULL;
        vm_exc_clear(th);
        return vm_raise(th, vm.e_IndexError, "cannot fit 'int' into an index-sized integer");
    }
    s = STR(th, args[0]);
    if (i < 0) i += s->nchars;
    if (i < 0 || i >= s->nchars) return vm_raise(th, vm.e_IndexError, "string index out of range");
    int64_t b0 = cp_to_byte(s, i);
    size_t b1 = (size_t)b0;
    u8_at(s->data, s->data + s->len, &b1);
    return str_sub(th, &args[0], b0, (int64_t)b1, 1);
}


/* iter(str): a built-in iterator of kind str_iter_kind; a = the str, i = byte offset. */
static int str_iter_kind;

static Value str_iter_next(Thread *th, Value it) {
    const IterObj *p = R(th, it, IterObj);
    if (!p->a) return NULL;
    Value s = p->a;
    int64_t i = p->i;
    const StrObj *o = STR(th, s);
    if (i >= o->len) { W(th, it, IterObj)->a = NULL; return NULL; }
    size_t j = (size_t)i;
    u8_at(o->data, o->data + o->len, &j);
    W(th, it, IterObj)->i = (int64_t)j;
    Value *rs = ROOT(th, s);
    Value c = str_sub(th, rs, i, (int64_t)j, 1);
    UNROOT(th, 1);
    return c;
}

STRM(iter) {
    CHECK("__iter__", 0, 0);
    return vm_iter_new(th, str_iter_kind, args[0], NULL, 0, 0);
}

STRM(getnewargs) {
    CHECK("__getnewargs__", 0, 0);
    Value s = str_from_cls(th, NULL, &args[0]);
    return s ? vm_tuple_pack(th, 1, s) : NULL;
}

/* ------------------------------------------------------------------------------------------ */
/* Type set-up                                                                                 */

static size_t str_size(const void *p) { return sizeof(StrObj) + (size_t)((const StrObj *)p)->len + 1; }
static void str_trace(void *p, void (*visit)(stm_obj **, void *), void *ctx) {
    visit(&((StrObj *)p)->h.cls, ctx);
}

static const vm_method str_methods[] = {
    {"__new__", str_new, CF_STATIC},
    {"__repr__", str_repr, CF_METHOD}, {"__str__", str_str, CF_METHOD},
    {"__hash__", str_hash, CF_METHOD}, {"__len__", str_len, CF_METHOD},
    {"__eq__", str_eq, CF_METHOD}, {"__ne__", str_ne, CF_METHOD},
    {"__lt__", str_lt, CF_METHOD}, {"__le__", str_le, CF_METHOD},
    {"__gt__", str_gt, CF_METHOD}, {"__ge__", str_ge, CF_METHOD},
    {"__contains__", str_contains, CF_METHOD}, {"__getitem__", str_getitem, CF_METHOD},
    {"__add__", str_add, CF_METHOD}, {"__mul__", str_mul, CF_METHOD}, {"__rmul__", str_mul, CF_METHOD},
    {"__mod__", str_mod, CF_METHOD}, {"__iter__", str_iter, CF_METHOD},
    {"__format__", str_format_dunder, CF_METHOD}, {"__getnewargs__", str_getnewargs, CF_METHOD},
    {"split", str_split, CF_METHOD}, {"rsplit", str_rsplit, CF_METHOD},
    {"splitlines", str_splitlines, CF_METHOD}, {"join", str_join, CF_METHOD},
    {"strip", str_strip, CF_METHOD}, {"lstrip", str_lstrip, CF_METHOD}, {"rstrip", str_rstrip, CF_METHOD},
    {"replace", str_replace, CF_METHOD},
    {"find", str_find, CF_METHOD}, {"rfind", str_rfind, CF_METHOD},
    {"index", str_index, CF_METHOD}, {"rindex", str_rindex, CF_METHOD}, {"count", str_count, CF_METHOD},
    {"startswith", str_startswith, CF_METHOD}, {"endswith", str_endswith, CF_METHOD},
    {"upper", str_upper, CF_METHOD}, {"lower", str_lower, CF_METHOD}, {"casefold", str_casefold, CF_METHOD},
    {"swapcase", str_swapcase, CF_METHOD}, {"title", str_title, CF_METHOD},
    {"capitalize", str_capitalize, CF_METHOD},
    {"center", str_center, CF_METHOD}, {"ljust", str_ljust, CF_METHOD}, {"rjust", str_rjust, CF_METHOD},
    {"zfill", str_zfill, CF_METHOD}, {"expandtabs", str_expandtabs, CF_METHOD},
    {"partition", str_partition, CF_METHOD}, {"rpartition", str_rpartition, CF_METHOD},
    {"isdigit", str_isdigit, CF_METHOD}, {"isdecimal", str_isdecimal, CF_METHOD},
    {"isnumeric", str_isnumeric, CF_METHOD}, {"isalpha", str_isalpha, CF_METHOD},
    {"isalnum", str_isalnum, CF_METHOD}, {"isspace", str_isspace, CF_METHOD},
    {"isupper", str_isupper, CF_METHOD}, {"islower", str_islower, CF_METHOD},
    {"istitle", str_istitle, CF_METHOD}, {"isidentifier", str_isidentifier, CF_METHOD},
    {"isprintable", str_isprintable, CF_METHOD}, {"isascii", str_isascii, CF_METHOD},
    {"encode", str_encode_m, CF_METHOD}, {"format", str_format, CF_METHOD},
    {"format_map", str_format_map, CF_METHOD}, {"maketrans", str_maketrans, CF_STATIC},
    {"translate", str_translate, CF_METHOD},
    {"removeprefix", str_removeprefix, CF_METHOD}, {"removesuffix", str_removesuffix, CF_METHOD},
    {NULL, NULL, 0}
};

void obj_str_init(Thread *th) {
    vm_tidinfo[T_STR] = (vm_typeinfo){str_size, str_trace};
    str_iter_kind = vm_iter_kind(str_iter_next, "str_iterator");
    /* strings interned before the str type existed */
    for (size_t i = 0; i < INTERN_CAP; i++)
        if (intern_key[i] && !STR(th, intern_value[i])->h.cls) W(th, intern_value[i], StrObj)->h.cls = vm.t_str;
    if (!empty_cache) {
        Value e = vm_str_intern(th, "");
        if (e) {
            empty_cache = e;
            stm_add_global_root(&empty_cache);
        }
        for (int c = 0; c < N_ASCII_CACHE; c++) {
            char s[2] = {(char)c, 0};
            Value v = str_alloc(th, NULL, 1, 1);
            if (!v) break;
            ((StrObj *)stm_payload(v))->data[0] = s[0];
            ascii_cache[c] = v;
            stm_add_global_root(&ascii_cache[c]);
        }
    }
    if (!vm.empty_str) vm.empty_str = empty_cache;
    vm_add_methods(th, vm.t_str, str_methods);
}
