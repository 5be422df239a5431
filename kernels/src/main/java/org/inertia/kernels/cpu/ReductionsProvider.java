package org.inertia.kernels.cpu;

import org.inertia.kernels.Dtype;
import org.inertia.kernels.ReductionsSupport;

/**
 * Picks the implementation of the Reductions family once, at class initialisation, on the model of Lucene's
 * {@code VectorizationProvider}: float32 runs {@code simd.ReductionsSimd} when {@link SimdSupport} says SIMD
 * is on (loaded by name, so nothing on the scalar path links an incubator class), and {@link ReductionsScalar}
 * otherwise; float64 always runs the scalar loops. The CPU backend builds its facade from this choice.
 */
public final class ReductionsProvider {
    /** The SIMD implementation's class, loaded by name. */
    static final String SIMD_CLASS = "org.inertia.kernels.simd.ReductionsSimd";
    private static final ReductionsSupport FLOAT32 = SimdSupport.load(ReductionsSupport.class, SIMD_CLASS,
            ReductionsScalar.INSTANCE);

    private ReductionsProvider() {
    }

    /**
     * The implementation float32 operands run (chosen once).
     *
     * @return the float32 implementation
     */
    public static ReductionsSupport float32() {
        return FLOAT32;
    }

    /**
     * The scalar implementation with double accumulation: float64, and the oracle for float32.
     *
     * @return the scalar implementation
     */
    public static ReductionsSupport scalar() {
        return ReductionsScalar.INSTANCE;
    }

    /**
     * The implementation that computes on arrays of {@code dtype}.
     *
     * @param dtype a floating dtype
     * @return the implementation for that dtype
     */
    public static ReductionsSupport forDtype(Dtype dtype) {
        return dtype == Dtype.F32 ? FLOAT32 : ReductionsScalar.INSTANCE;
    }

    /**
     * Whether float32 runs the SIMD implementation.
     *
     * @return true if float32 uses SIMD
     */
    public static boolean simd() {
        return FLOAT32 != ReductionsScalar.INSTANCE;
    }
}
