package org.inertia.kernels.cpu;

import org.inertia.kernels.ConvSupport;
import org.inertia.kernels.Dtype;

/**
 * Picks the implementation of the Conv family once, at class initialisation, on the model of Lucene's
 * {@code VectorizationProvider}: float32 runs {@code simd.ConvSimd} when {@link SimdSupport} says SIMD
 * is on (loaded by name, so nothing on the scalar path links an incubator class), and {@link ConvScalar}
 * otherwise; float64 always runs the scalar loops. The CPU backend builds its facade from this choice.
 */
public final class ConvProvider {
    /** The SIMD implementation's class, loaded by name. */
    static final String SIMD_CLASS = "org.inertia.kernels.simd.ConvSimd";
    private static final ConvSupport FLOAT32 = SimdSupport.load(ConvSupport.class, SIMD_CLASS,
            ConvScalar.INSTANCE);

    private ConvProvider() {
    }

    /**
     * The implementation float32 operands run (chosen once).
     *
     * @return the float32 implementation
     */
    public static ConvSupport float32() {
        return FLOAT32;
    }

    /**
     * The scalar implementation with double accumulation: float64, and the oracle for float32.
     *
     * @return the scalar implementation
     */
    public static ConvSupport scalar() {
        return ConvScalar.INSTANCE;
    }

    /**
     * The implementation that computes on arrays of {@code dtype}.
     *
     * @param dtype a floating dtype
     * @return the implementation for that dtype
     */
    public static ConvSupport forDtype(Dtype dtype) {
        return dtype == Dtype.F32 ? FLOAT32 : ConvScalar.INSTANCE;
    }

    /**
     * Whether float32 runs the SIMD implementation.
     *
     * @return true if float32 uses SIMD
     */
    public static boolean simd() {
        return FLOAT32 != ConvScalar.INSTANCE;
    }
}
