package org.inertia.kernels.cpu;

import org.inertia.kernels.Dtype;
import org.inertia.kernels.GradClipSupport;

/**
 * Picks the implementation of the GradClip family once, at class initialisation, on the model of Lucene's
 * {@code VectorizationProvider}: float32 runs {@code simd.GradClipSimd} when {@link SimdSupport} says SIMD
 * is on (loaded by name, so nothing on the scalar path links an incubator class), and {@link GradClipScalar}
 * otherwise; float64 always runs the scalar loops. The CPU backend builds its facade from this choice.
 */
public final class GradClipProvider {
    /** The SIMD implementation's class, loaded by name. */
    static final String SIMD_CLASS = "org.inertia.kernels.simd.GradClipSimd";
    private static final GradClipSupport FLOAT32 = SimdSupport.load(GradClipSupport.class, SIMD_CLASS,
            GradClipScalar.INSTANCE);

    private GradClipProvider() {
    }

    /**
     * The implementation float32 operands run (chosen once).
     *
     * @return the float32 implementation
     */
    public static GradClipSupport float32() {
        return FLOAT32;
    }

    /**
     * The scalar implementation with double accumulation: float64, and the oracle for float32.
     *
     * @return the scalar implementation
     */
    public static GradClipSupport scalar() {
        return GradClipScalar.INSTANCE;
    }

    /**
     * The implementation that computes on arrays of {@code dtype}.
     *
     * @param dtype a floating dtype
     * @return the implementation for that dtype
     */
    public static GradClipSupport forDtype(Dtype dtype) {
        return dtype == Dtype.F32 ? FLOAT32 : GradClipScalar.INSTANCE;
    }

    /**
     * Whether float32 runs the SIMD implementation.
     *
     * @return true if float32 uses SIMD
     */
    public static boolean simd() {
        return FLOAT32 != GradClipScalar.INSTANCE;
    }
}
