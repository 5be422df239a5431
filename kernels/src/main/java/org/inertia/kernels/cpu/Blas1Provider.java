package org.inertia.kernels.cpu;

import org.inertia.kernels.Blas1Support;
import org.inertia.kernels.Dtype;

/**
 * Picks the implementation of the Blas1 family once, at class initialisation, on the model of Lucene's
 * {@code VectorizationProvider}: float32 runs {@code simd.Blas1Simd} when {@link SimdSupport} says SIMD
 * is on (loaded by name, so nothing on the scalar path links an incubator class), and {@link Blas1Scalar}
 * otherwise; float64 always runs the scalar loops. The CPU backend builds its facade from this choice.
 */
public final class Blas1Provider {
    /** The SIMD implementation's class, loaded by name. */
    static final String SIMD_CLASS = "org.inertia.kernels.simd.Blas1Simd";
    private static final Blas1Support FLOAT32 = SimdSupport.load(Blas1Support.class, SIMD_CLASS,
            Blas1Scalar.INSTANCE);

    private Blas1Provider() {
    }

    /**
     * The implementation float32 operands run (chosen once).
     *
     * @return the float32 implementation
     */
    public static Blas1Support float32() {
        return FLOAT32;
    }

    /**
     * The scalar implementation with double accumulation: float64, and the oracle for float32.
     *
     * @return the scalar implementation
     */
    public static Blas1Support scalar() {
        return Blas1Scalar.INSTANCE;
    }

    /**
     * The implementation that computes on arrays of {@code dtype}.
     *
     * @param dtype a floating dtype
     * @return the implementation for that dtype
     */
    public static Blas1Support forDtype(Dtype dtype) {
        return dtype == Dtype.F32 ? FLOAT32 : Blas1Scalar.INSTANCE;
    }

    /**
     * Whether float32 runs the SIMD implementation.
     *
     * @return true if float32 uses SIMD
     */
    public static boolean simd() {
        return FLOAT32 != Blas1Scalar.INSTANCE;
    }
}
