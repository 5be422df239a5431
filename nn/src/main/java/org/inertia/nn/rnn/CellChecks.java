package org.inertia.nn.rnn;

/** Hyperparameter checks of the recurrent cells, with messages that name the argument and its value. */
final class CellChecks {
    private CellChecks() {
    }

    /** A momentum or averaging coefficient: 0 ≤ v < 1. */
    static double unitInterval(String name, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + v);
        }
        return v;
    }

    /** A step size: finite and > 0. */
    static double positive(String name, double v) {
        if (!(v > 0 && v < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(name + " must be finite and > 0, got " + v);
        }
        return v;
    }
}
