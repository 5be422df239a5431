package org.inertia.kernels.cpu;

/**
 * Decides once whether float32 kernels run on the Vector API or on the scalar reference path.
 * SIMD is used when the {@code jdk.incubator.vector} module is in the JVM and the system property
 * {@code inertia.simd} is not {@code false}. Nothing on the scalar path links an incubator class.
 *
 * <p>{@code org.inertia.kernels} requires the module only {@code static}: it is there when the JVM is started
 * with {@code --add-modules jdk.incubator.vector} or when some module on the module path requires it
 * (e.g. the application's own). Without it the
 * scalar loops are about a hundred times slower — an MLP training step (784-128-10, batch 64, Adam)
 * measured 150–173 ms instead of 1.7–2.7 ms on a 2-core AVX2 machine — so a missing module is not a
 * quiet fallback: one warning on standard error says so and gives the fix. {@code -Dinertia.simd=false}
 * chooses the scalar path on purpose, and then nothing is printed.
 */
public final class SimdSupport {
    /** The system property that turns SIMD off ({@code false}); anything else leaves it on. */
    public static final String PROPERTY = "inertia.simd";
    private static final boolean ENABLED = decide();

    private SimdSupport() {
    }

    /**
     * Whether float32 kernels use SIMD.
     *
     * @return true if float32 kernels use SIMD
     */
    public static boolean enabled() {
        return ENABLED;
    }

    private static boolean decide() {
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY, "true"))) {
            return false;
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            System.err.println(missingModuleWarning());
            System.err.flush();
            return false;
        }
        return true;
    }

    /** The warning printed when the vector module is missing: what happens, how much slower, the fix. */
    static String missingModuleWarning() {
        return "WARNING: Inertia: the jdk.incubator.vector module is not in this JVM, so float32 kernels run as scalar "
                + "loops, about 100x slower (an MLP training step measured 150 ms instead of 2 ms). Fix: run java with "
                + "--add-modules jdk.incubator.vector (or, on the module path, let your module require jdk.incubator.vector). "
                + "To use the scalar path on purpose and silence this, pass -D" + PROPERTY + "=false.";
    }

    /**
     * The float32 implementation of a kernel family, decided once by the family's provider: the SIMD class
     * {@code simdClass} (public, with a public no-argument constructor), loaded by name so that nothing on
     * the scalar path links an incubator class, when SIMD is {@link #enabled()}; {@code scalar} otherwise.
     * If the class cannot be loaded or constructed although the module is there, one warning says which
     * family and why, and the scalar loops run.
     *
     * @param <T> the kernel family's interface
     * @param family the kernel family's interface
     * @param simdClass the binary name of the SIMD implementation
     * @param scalar the scalar implementation, used without SIMD
     * @return the implementation float32 runs
     */
    public static <T> T load(Class<T> family, String simdClass, T scalar) {
        if (!ENABLED) {
            return scalar; // decide() has warned if the module is missing
        }
        try {
            return family.cast(Class.forName(simdClass).getConstructor().newInstance());
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            System.err.println("WARNING: Inertia: the SIMD kernels " + simdClass + " could not be loaded (" + e
                    + "), so float32 " + family.getSimpleName() + " runs as scalar loops, many times slower. Is "
                    + "jdk.incubator.vector readable by org.inertia.kernels?");
            System.err.flush();
            return scalar;
        }
    }

    /**
     * A one-line description of the vector configuration.
     *
     * @return the description
     */
    public static String describe() {
        return ENABLED ? "SIMD " + org.inertia.kernels.simd.FloatSpecies.describe() : "scalar (SIMD disabled)";
    }
}
