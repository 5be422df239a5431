package org.inertia.kernels;

/** Elementwise functions of one argument, with their exact meaning on edge values. */
public enum UnaryOp {
    /** −x. */
    NEG,
    /** |x|. */
    ABS,
    /** e^x. */
    EXP,
    /** ln x (NaN for x &lt; 0, −∞ at 0). */
    LOG,
    /** √x (NaN for x &lt; 0). */
    SQRT,
    /** tanh x. */
    TANH,
    /** 1 / (1 + e^−x). */
    SIGMOID,
    /** max(x, 0); NaN stays NaN as in PyTorch. */
    RELU;

    /**
     * The function in double precision: the reference every kernel is checked against.
     *
     * @param x the argument
     * @return {@code op(x)}, in double precision
     */
    public double apply(double x) {
        return switch (this) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1.0 / (1.0 + Math.exp(-x));
            case RELU -> x > 0 ? x : (Double.isNaN(x) ? x : 0.0);
        };
    }
}
