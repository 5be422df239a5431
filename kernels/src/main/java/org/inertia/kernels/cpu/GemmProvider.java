package org.inertia.kernels.cpu;

import org.inertia.kernels.Dtype;
import org.inertia.kernels.GemmSupport;

/**
 * Picks the implementation of the Gemm family once, at class initialisation, on the model of Lucene's
 * {@code VectorizationProvider}: float32 runs {@code simd.GemmSimd} when {@link SimdSupport} says SIMD
 * is on (loaded by name, so nothing on the scalar path links an incubator class), and {@link GemmScalar}
 * otherwise; float64 always runs the scalar loops. The CPU backend builds its facade from this choice.
 */
public final class GemmProvider {
    /** The SIMD implementation's class, loaded by name. */
    static final String SIMD_CLASS = "org.inertia.kernels.simd.GemmSimd";
    private static final GemmSupport FLOAT32 = SimdSupport.load(GemmSupport.class, SIMD_CLASS,
            GemmScalar.INSTANCE);

    private GemmProvider() {
    }

    /**
     * The implementation float32 operands run (chosen once).
     *
     * @return the float32 implementation
     */
    public static GemmSupport float32() {
        return FLOAT32;
    }

    /**
     * The scalar implementation with double accumulation: float64, and the oracle for float32.
     *
     * @return the scalar implementation
     */
    public static GemmSupport scalar() {
        return GemmScalar.INSTANCE;
    }

    /**
     * The implementation that computes on arrays of {@code dtype}.
     *
     * @param dtype a floating dtype
     * @return the implementation for that dtype
     */
    public static GemmSupport forDtype(Dtype dtype) {
        return dtype == Dtype.F32 ? FLOAT32 : GemmScalar.INSTANCE;
    }

    /**
     * Whether float32 runs the SIMD implementation.
     *
     * @return true if float32 uses SIMD
     */
    public static boolean simd() {
        return FLOAT32 != GemmScalar.INSTANCE;
    }

    /**
     * The machine the float32 GEMM was tuned for and the blocking it chose (register tile, cache blocks and
     * why), e.g. "amd64, 16 vector registers (UseAVX=2), L1d 32 KiB, L2 512 KiB, L3 32 MiB (sysfs); tile 4x16
     * (16 vector registers), kc 512, mc 128, nc 2048"; or that GEMM runs the scalar loops.
     *
     * @return the one-line description
     */
    public static String describeBlocking() {
        return simd() ? FLOAT32.toString() : "scalar reference loops (SIMD disabled)";
    }
}
