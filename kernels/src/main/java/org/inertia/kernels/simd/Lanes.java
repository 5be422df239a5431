package org.inertia.kernels.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * Deterministic cross-lane sums. {@code reduceLanes(ADD)} on floating-point vectors leaves the order of
 * additions unspecified, and the C2 intrinsic and the interpreter's fallback do use different orders, so
 * the same call can give different bits before and after JIT compilation. These add lane 0, 1, 2, …
 * in order (in double), which makes every kernel's result a function of its inputs alone.
 */
public final class Lanes {
    private Lanes() {
    }

    /**
     * Σ lanes of {@code v}, in lane order, accumulated in double and rounded once to float.
     *
     * @param v the vector
     * @return the sum of the lanes
     */
    public static float sum(FloatVector v) {
        float[] lanes = v.toArray();
        double s = 0;
        for (float f : lanes) {
            s += f;
        }
        return (float) s;
    }

    /**
     * Σ lanes of {@code v}, in lane order.
     *
     * @param v the vector
     * @return the sum of the lanes
     */
    public static double sum(DoubleVector v) {
        double[] lanes = v.toArray();
        double s = 0;
        for (double d : lanes) {
            s += d;
        }
        return s;
    }
}
