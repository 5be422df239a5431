package org.inertia.kernels;

/** Elementwise functions of two arguments (broadcasting as in NumPy). */
public enum BinaryOp {
    ADD, SUB, MUL, DIV,
    /** a^b ({@link Math#pow} semantics). */
    POW,
    /** max(a, b), NaN if either is NaN. */
    MAX,
    /** min(a, b), NaN if either is NaN. */
    MIN;

    /** The function in double precision: the reference every kernel is checked against. */
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
