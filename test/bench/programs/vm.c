// A small switch-dispatched stack VM running a bytecode program: nested loops that sum (i * j) mod 7
// and the Collatz step count of i * GRID + j + 1, with locals, arithmetic, comparisons and jumps.

#define GRID 100
#define REPEAT 1

enum {
  PUSH, LOAD, STORE, ADD, SUB, MUL, MOD, DIV2, AND1, LT, EQ, JMP, JZ, JNZ, DUP, POP, HALT,
};

// Locals: 0 = i, 1 = j, 2 = acc, 3 = n (Collatz value), 4 = steps.
// The program is assembled at run time, so jump targets are computed rather than hand-counted.
static int code[256];
static int pc_label[16];

static int emit_at;
static void emit(int v) { code[emit_at++] = v; }

static void assemble(void) {
  emit_at = 0;
  // acc = 0; i = 0
  emit(PUSH); emit(0); emit(STORE); emit(2);
  emit(PUSH); emit(0); emit(STORE); emit(0);
  pc_label[0] = emit_at;                        // outer:
  emit(LOAD); emit(0); emit(PUSH); emit(GRID); emit(LT); emit(JZ); int fix_outer = emit_at; emit(0);
  emit(PUSH); emit(0); emit(STORE); emit(1);    // j = 0
  pc_label[1] = emit_at;                        // inner:
  emit(LOAD); emit(1); emit(PUSH); emit(GRID); emit(LT); emit(JZ); int fix_inner = emit_at; emit(0);
  // acc += (i * j) % 7
  emit(LOAD); emit(2); emit(LOAD); emit(0); emit(LOAD); emit(1); emit(MUL); emit(PUSH); emit(7); emit(MOD);
  emit(ADD); emit(STORE); emit(2);
  // n = i * GRID + j + 1; steps = 0; while (n != 1) { n = n&1 ? 3n+1 : n/2; steps++ }
  emit(LOAD); emit(0); emit(PUSH); emit(GRID); emit(MUL); emit(LOAD); emit(1); emit(ADD); emit(PUSH); emit(1);
  emit(ADD); emit(STORE); emit(3);
  emit(PUSH); emit(0); emit(STORE); emit(4);
  pc_label[2] = emit_at;                        // collatz:
  emit(LOAD); emit(3); emit(PUSH); emit(1); emit(EQ); emit(JNZ); int fix_collatz = emit_at; emit(0);
  emit(LOAD); emit(3); emit(AND1); emit(JZ); int fix_even = emit_at; emit(0);
  emit(LOAD); emit(3); emit(PUSH); emit(3); emit(MUL); emit(PUSH); emit(1); emit(ADD); emit(STORE); emit(3);
  emit(JMP); int fix_join = emit_at; emit(0);
  code[fix_even] = emit_at;                     // even:
  emit(LOAD); emit(3); emit(DIV2); emit(STORE); emit(3);
  code[fix_join] = emit_at;                     // join:
  emit(LOAD); emit(4); emit(PUSH); emit(1); emit(ADD); emit(STORE); emit(4);
  emit(JMP); emit(pc_label[2]);
  code[fix_collatz] = emit_at;                  // collatz done: acc += steps
  emit(LOAD); emit(2); emit(LOAD); emit(4); emit(ADD); emit(STORE); emit(2);
  emit(LOAD); emit(1); emit(PUSH); emit(1); emit(ADD); emit(STORE); emit(1); // j++
  emit(JMP); emit(pc_label[1]);
  code[fix_inner] = emit_at;                    // inner done: i++
  emit(LOAD); emit(0); emit(PUSH); emit(1); emit(ADD); emit(STORE); emit(0);
  emit(JMP); emit(pc_label[0]);
  code[fix_outer] = emit_at;                    // outer done
  emit(LOAD); emit(2); emit(HALT);
}

static int execute(void) {
  int stack[64];
  int locals[8] = { 0 };
  int sp = 0, pc = 0;
  for (;;) {
    int op = code[pc++];
    switch (op) {
      case PUSH: stack[sp++] = code[pc++]; break;
      case LOAD: stack[sp++] = locals[code[pc++]]; break;
      case STORE: locals[code[pc++]] = stack[--sp]; break;
      case ADD: sp--; stack[sp - 1] += stack[sp]; break;
      case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
      case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
      case MOD: sp--; stack[sp - 1] %= stack[sp]; break;
      case DIV2: stack[sp - 1] /= 2; break;
      case AND1: stack[sp - 1] &= 1; break;
      case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
      case EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
      case JMP: pc = code[pc]; break;
      case JZ: { int t = code[pc++]; if (stack[--sp] == 0) pc = t; break; }
      case JNZ: { int t = code[pc++]; if (stack[--sp] != 0) pc = t; break; }
      case DUP: stack[sp] = stack[sp - 1]; sp++; break;
      case POP: sp--; break;
      case HALT: return stack[sp - 1];
      default: return -1;
    }
  }
}

int run(void) {
  assemble();
  int result = 0;
  for (int rep = 0; rep < REPEAT; rep++) result = result * 31 + execute();
  return result;
}
