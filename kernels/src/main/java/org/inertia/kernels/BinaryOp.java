package org.inertia.kernels;

/** Elementwise functions of two arguments (broadcasting as in NumPy). */
public enum BinaryOp {
    /** a + b. */
    ADD,
    /** a − b. */
    SUB,
    /** a·b. */
    MUL,
    /** a / b (IEEE 754: a nonzero a over 0 gives ±infinity, 0/0 gives NaN). */
    DIV,
    /** a^b ({@link Math#pow} semantics). */
    POW,
    /** max(a, b), NaN if either is NaN. */
    MAX,
    /** min(a, b), NaN if either is NaN. */
    MIN;

    /**
     * The function in double precision: the reference every kernel is checked against.
     *
     * @param a the left operand
     * @param b the right operand
     * @return {@code a op b}, in double precision
     */
    public double apply(double a, double b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> Math.pow(a, b);
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
        };
    }
}
