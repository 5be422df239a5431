package org.inertia.kernels.cpu;

import java.util.logging.Logger;

/**
 * Decides once whether float32 kernels run on the Vector API or on the scalar reference path.
 * SIMD is used when the {@code jdk.incubator.vector} module is present and the system property
 * {@code inertia.simd} is not {@code false}; otherwise one warning says what is missing. Nothing on
 * the scalar path links an incubator class.
 */
public final class SimdSupport {
    private static final Logger LOG = Logger.getLogger(SimdSupport.class.getName());
    private static final boolean ENABLED = decide();

    private SimdSupport() {
    }

    /** Whether float32 kernels use SIMD. */
    public static boolean enabled() {
        return ENABLED;
    }

    private static boolean decide() {
        if ("false".equalsIgnoreCase(System.getProperty("inertia.simd", "true"))) {
            return false;
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            LOG.warning("jdk.incubator.vector is not available: float32 kernels fall back to scalar loops. "
                    + "Run java with --add-modules jdk.incubator.vector.");
            return false;
        }
        return true;
    }

    /** A one-line description of the vector configuration. */
    public static String describe() {
        return ENABLED ? "SIMD " + org.inertia.kernels.simd.FloatSpecies.describe() : "scalar (SIMD disabled)";
    }
}
