/* opcodes.h — the bytecode: one X-macro list generates the enum, the names and the dispatch table. */

/*
 * An instruction is one uint32_t: opcode in the low 8 bits, argument in the high 24 bits.
 * Jump targets are absolute instruction indexes.  The semantics are those of CPython 3.10's
 * opcodes of the same name unless noted; "TOS" is the top of the operand stack, "TOS1" the one
 * below.  Stack effects are written  before -> after.
 *
 * The compiler emits exception handling like CPython 3.10: SETUP_FINALLY pushes a block
 * (handler, stack level); on an exception the eval loop pops blocks until it finds one, restores
 * the stack level, pushes the exception (one value: the exception instance) and jumps to the
 * handler.  POP_EXCEPT ends a handler.  `finally` bodies are duplicated by the compiler on the
 * normal path; break/continue/return out of try/with emit POP_BLOCK (+ the finally body / the
 * __exit__ call) before jumping.
 */

#define VM_OPCODES(X)                                                                            \
    X(NOP)               /* */                                                                  \
    X(POP_TOP)           /* v -> */                                                             \
    X(ROT_TWO)           /* a b -> b a */                                                       \
    X(ROT_THREE)         /* a b c -> c a b */                                                   \
    X(ROT_FOUR)          /* a b c d -> d a b c */                                               \
    X(DUP_TOP)           /* a -> a a */                                                         \
    X(DUP_TOP_TWO)       /* a b -> a b a b */                                                   \
    X(LOAD_CONST)        /* -> consts[arg] */                                                   \
    X(LOAD_FAST)         /* -> locals[arg]; UnboundLocalError if unset */                       \
    X(STORE_FAST)        /* v -> ; locals[arg] = v */                                           \
    X(DELETE_FAST)       /* */                                                                  \
    X(LOAD_DEREF)        /* -> cells[arg].contents (cells = cellvars then freevars) */          \
    X(STORE_DEREF)       /* v -> */                                                             \
    X(DELETE_DEREF)      /* */                                                                  \
    X(LOAD_CLOSURE)      /* -> cells[arg] (the cell itself, to build a closure tuple) */        \
    X(LOAD_CLASSDEREF)   /* class body: locals dict first, then cells[arg] */                   \
    X(LOAD_GLOBAL)       /* -> globals/builtins[names[arg]] */                                  \
    X(STORE_GLOBAL)      /* v -> */                                                             \
    X(DELETE_GLOBAL)     /* */                                                                  \
    X(LOAD_NAME)         /* -> locals dict / globals / builtins [names[arg]] */                 \
    X(STORE_NAME)        /* v -> */                                                             \
    X(DELETE_NAME)       /* */                                                                  \
    X(LOAD_ATTR)         /* obj -> obj.names[arg] */                                            \
    X(STORE_ATTR)        /* v obj -> ; obj.names[arg] = v */                                    \
    X(DELETE_ATTR)       /* obj -> */                                                           \
    X(LOAD_METHOD)       /* obj -> meth self  or  NULL attr (as CPython 3.10) */                \
    X(CALL_METHOD)       /* meth self a1..an -> result (arg = n) */                             \
    X(BINARY_OP)         /* a b -> a OP b (arg = enum vm_binop; | BINOP_INPLACE for a OP= b) */ \
    X(UNARY_POSITIVE)    /* */                                                                  \
    X(UNARY_NEGATIVE)    /* */                                                                  \
    X(UNARY_NOT)         /* */                                                                  \
    X(UNARY_INVERT)      /* */                                                                  \
    X(COMPARE_OP)        /* a b -> a OP b (arg = enum vm_cmpop, incl. in / not in / is / is not) */ \
    X(JUMP_IF_NOT_EXC_MATCH) /* exc type -> ; jump to arg unless isinstance/issubclass matches */ \
    X(BINARY_SUBSCR)     /* obj key -> obj[key] */                                              \
    X(STORE_SUBSCR)      /* v obj key -> */                                                     \
    X(DELETE_SUBSCR)     /* obj key -> */                                                       \
    X(BUILD_TUPLE)       /* a1..an -> (a1..an) */                                               \
    X(BUILD_LIST)        /* */                                                                  \
    X(BUILD_SET)         /* */                                                                  \
    X(BUILD_MAP)         /* k1 v1 .. kn vn -> {..} (arg = n) */                                 \
    X(BUILD_CONST_KEY_MAP) /* v1..vn keys_tuple -> {..} */                                      \
    X(BUILD_SLICE)       /* start stop [step] -> slice (arg = 2 or 3) */                        \
    X(BUILD_STRING)      /* s1..sn -> concatenation (f-strings) */                              \
    X(LIST_APPEND)       /* v -> ; stack[-arg] (after pop) .append(v) — comprehensions */       \
    X(SET_ADD)           /* */                                                                  \
    X(MAP_ADD)           /* k v -> ; stack[-arg][k] = v */                                      \
    X(LIST_EXTEND)       /* it -> ; stack[-arg].extend(it) */                                   \
    X(SET_UPDATE)        /* */                                                                  \
    X(DICT_UPDATE)       /* */                                                                  \
    X(DICT_MERGE)        /* like DICT_UPDATE, TypeError on duplicate keys (f(**a, **b)) */      \
    X(LIST_TO_TUPLE)     /* list -> tuple */                                                    \
    X(UNPACK_SEQUENCE)   /* seq -> vn..v1 (v1 on top) */                                        \
    X(UNPACK_EX)         /* seq -> ... (arg = before | after << 8), starred part a list */      \
    X(FORMAT_VALUE)      /* v [spec] -> str (arg & 3: 0 none,1 str,2 repr,3 ascii; arg & 4: spec on stack) */ \
    X(JUMP_FORWARD)      /* jump to arg (absolute; kept for readability of dumps) */            \
    X(JUMP_ABSOLUTE)     /* jump to arg (a backward jump is a transaction safe point) */        \
    X(POP_JUMP_IF_FALSE) /* v -> */                                                             \
    X(POP_JUMP_IF_TRUE)  /* v -> */                                                             \
    X(JUMP_IF_FALSE_OR_POP) /* */                                                               \
    X(JUMP_IF_TRUE_OR_POP)  /* */                                                               \
    X(GET_ITER)          /* obj -> iter(obj) */                                                 \
    X(FOR_ITER)          /* it -> it next   or, exhausted: it -> (jump to arg) */               \
    X(CALL_FUNCTION)     /* f a1..an -> result (arg = n) */                                     \
    X(CALL_FUNCTION_KW)  /* f a1..an names_tuple -> result (arg = n, the last len(names) are keywords) */ \
    X(CALL_FUNCTION_EX)  /* f args_tuple [kwargs_dict] -> result (arg & 1: kwargs present) */   \
    X(MAKE_FUNCTION)     /* [defaults] [kwdefaults] [annotations (name, value, ...)] [closure] code qualname -> function (flags 1,2,4,8 as CPython) */ \
    X(RETURN_VALUE)      /* v -> (return) */                                                    \
    X(SETUP_FINALLY)     /* push block (handler = arg) */                                       \
    X(SETUP_WITH)        /* mgr -> exit enter_result ; push block (handler = arg) */            \
    X(WITH_EXCEPT_START) /* exit exc -> exit exc result_of_exit(type, exc, tb) */               \
    X(POP_BLOCK)         /* */                                                                  \
    X(POP_EXCEPT)        /* end of an except handler: restore the previously handled exception */ \
    X(RERAISE)           /* exc -> (raise exc again, traceback kept) */                         \
    X(RAISE_VARARGS)     /* [exc [cause]] -> (arg = 0, 1 or 2) */                               \
    X(LOAD_ASSERTION_ERROR) /* -> AssertionError */                                             \
    X(LOAD_BUILD_CLASS)  /* -> __build_class__ */                                               \
    X(IMPORT_NAME)       /* level fromlist -> module (names[arg]) */                            \
    X(IMPORT_FROM)       /* module -> module module.names[arg] (ImportError if missing) */      \
    X(IMPORT_STAR)       /* module -> */                                                        \
    X(SETUP_ANNOTATIONS) /* ; locals['__annotations__'] = {} unless present (module/class) */    \
    X(YIELD_VALUE)       /* v -> sent */                                                        \
    X(GET_YIELD_FROM_ITER) /* */                                                                \
    X(YIELD_FROM)        /* iter sent -> result (as CPython 3.10) */                            \
    X(GEN_START)         /* first instruction of a generator body: pops the initial None */    \
    X(PRINT_EXPR)        /* interactive only */

enum vm_opcode {
#define X(name) OP_##name,
    VM_OPCODES(X)
#undef X
    OP__COUNT
};

extern const char *const vm_opcode_names[OP__COUNT];

/* BINARY_OP arguments */
enum vm_binop {
    BINOP_ADD, BINOP_SUB, BINOP_MUL, BINOP_MATMUL, BINOP_TRUEDIV, BINOP_FLOORDIV, BINOP_MOD,
    BINOP_POW, BINOP_LSHIFT, BINOP_RSHIFT, BINOP_AND, BINOP_OR, BINOP_XOR, BINOP__COUNT
};
#define BINOP_INPLACE 0x80

/* COMPARE_OP arguments */
enum vm_cmpop { CMP_LT, CMP_LE, CMP_EQ, CMP_NE, CMP_GT, CMP_GE, CMP_IN, CMP_NOT_IN, CMP_IS, CMP_IS_NOT };

#define INSTR(op, arg) ((uint32_t)(op) | ((uint32_t)(arg) << 8))
#define INSTR_OP(w) ((w) & 0xFFu)
#define INSTR_ARG(w) ((w) >> 8)
