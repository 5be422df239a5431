package org.inertia.optim.kernel;

import org.inertia.kernels.Dtype;
import org.inertia.kernels.cpu.SimdSupport;

/**
 * Picks the implementation of the fused optimizer steps once, at class initialisation, on the model of
 * Lucene's {@code VectorizationProvider}: float32 runs {@code simd.OptimizerStepsSimd} when kernels'
 * {@link SimdSupport} says SIMD is on (the vector module is in the JVM and {@code inertia.simd} is not
 * {@code false}: the same decision, and the same one warning, as every other kernel family), and
 * {@link OptimizerStepsScalar} otherwise; float64 always runs the scalar loops.
 *
 * <p>The SIMD class is loaded by name, so nothing on the scalar path links an incubator class, and optim
 * works without {@code jdk.incubator.vector}. If loading fails even though the module is there, one
 * warning says why and the scalar loops run.
 */
public final class OptimizerStepsProvider {
    /** The SIMD implementation's class, loaded by name. */
    static final String SIMD_CLASS = "org.inertia.optim.kernel.simd.OptimizerStepsSimd";
    private static final OptimizerStepsSupport FLOAT32 = chooseFloat32();

    private OptimizerStepsProvider() {
    }

    /**
     * The implementation float32 steps run (chosen once).
     *
     * @return the SIMD implementation, or {@link OptimizerStepsScalar} when SIMD is off or failed to load
     */
    public static OptimizerStepsSupport float32() {
        return FLOAT32;
    }

    /**
     * The scalar implementation with double accumulation: float64, and the oracle for float32.
     *
     * @return the shared {@link OptimizerStepsScalar} instance
     */
    public static OptimizerStepsSupport scalar() {
        return OptimizerStepsScalar.INSTANCE;
    }

    /**
     * The implementation that steps arrays of {@code dtype}.
     *
     * @param dtype the parameters' element type
     * @return {@link #float32()} for F32, the scalar implementation for any other dtype
     */
    public static OptimizerStepsSupport forDtype(Dtype dtype) {
        return dtype == Dtype.F32 ? FLOAT32 : OptimizerStepsScalar.INSTANCE;
    }

    /**
     * Whether float32 steps run the SIMD implementation.
     *
     * @return true if {@link #float32()} is not the scalar implementation
     */
    public static boolean simd() {
        return FLOAT32 != OptimizerStepsScalar.INSTANCE;
    }

    /**
     * A one-line description of the choice, for logs and benchmark reports.
     *
     * @return e.g. {@code "optimizer steps: float32 OptimizerStepsSimd, float64 OptimizerStepsScalar"}
     */
    public static String describe() {
        return "optimizer steps: float32 " + FLOAT32.getClass().getSimpleName() + ", float64 "
                + OptimizerStepsScalar.class.getSimpleName();
    }

    private static OptimizerStepsSupport chooseFloat32() {
        if (!SimdSupport.enabled()) {
            return OptimizerStepsScalar.INSTANCE; // SimdSupport has warned if the module is missing
        }
        try {
            return (OptimizerStepsSupport) Class.forName(SIMD_CLASS).getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            System.err.println("WARNING: Inertia: the SIMD optimizer steps (" + SIMD_CLASS + ") could not be loaded ("
                    + e + "), so float32 optimizer steps run as scalar loops, many times slower. Is "
                    + "jdk.incubator.vector readable by org.inertia.optim?");
            System.err.flush();
            return OptimizerStepsScalar.INSTANCE;
        }
    }
}
