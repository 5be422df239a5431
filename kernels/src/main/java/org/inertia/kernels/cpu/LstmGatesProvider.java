package org.inertia.kernels.cpu;

import org.inertia.kernels.Dtype;
import org.inertia.kernels.LstmGatesSupport;

/**
 * Picks the implementation of the LstmGates family once, at class initialisation, on the model of Lucene's
 * {@code VectorizationProvider}: float32 runs {@code simd.LstmGatesSimd} when {@link SimdSupport} says SIMD
 * is on (loaded by name, so nothing on the scalar path links an incubator class), and {@link LstmGatesScalar}
 * otherwise; float64 always runs the scalar loops. The CPU backend builds its facade from this choice.
 */
public final class LstmGatesProvider {
    /** The SIMD implementation's class, loaded by name. */
    static final String SIMD_CLASS = "org.inertia.kernels.simd.LstmGatesSimd";
    private static final LstmGatesSupport FLOAT32 = SimdSupport.load(LstmGatesSupport.class, SIMD_CLASS,
            LstmGatesScalar.INSTANCE);

    private LstmGatesProvider() {
    }

    /**
     * The implementation float32 operands run (chosen once).
     *
     * @return the float32 implementation
     */
    public static LstmGatesSupport float32() {
        return FLOAT32;
    }

    /**
     * The scalar implementation with double accumulation: float64, and the oracle for float32.
     *
     * @return the scalar implementation
     */
    public static LstmGatesSupport scalar() {
        return LstmGatesScalar.INSTANCE;
    }

    /**
     * The implementation that computes on arrays of {@code dtype}.
     *
     * @param dtype a floating dtype
     * @return the implementation for that dtype
     */
    public static LstmGatesSupport forDtype(Dtype dtype) {
        return dtype == Dtype.F32 ? FLOAT32 : LstmGatesScalar.INSTANCE;
    }

    /**
     * Whether float32 runs the SIMD implementation.
     *
     * @return true if float32 uses SIMD
     */
    public static boolean simd() {
        return FLOAT32 != LstmGatesScalar.INSTANCE;
    }
}
