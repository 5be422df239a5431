package org.inertia.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one place that chooses vector species. The preferred (widest) species is used unless the system
 * property {@code inertia.simd.bits} (64, 128, 256 or 512) asks for a narrower one, so the 128- and
 * 256-bit paths can be tested on any machine.
 */
public final class FloatSpecies {
    /** Float species used by every float32 kernel. */
    public static final VectorSpecies<Float> F = choose();
    /** Int species with the same lane count as {@link #F}. */
    public static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** Lanes per float vector. */
    public static final int LANES = F.length();

    private FloatSpecies() {
    }

    private static VectorSpecies<Float> choose() {
        VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
        String bits = System.getProperty("inertia.simd.bits");
        if (bits == null || bits.isBlank()) {
            return preferred;
        }
        int b = Integer.parseInt(bits.trim());
        if (b >= preferred.vectorBitSize()) {
            return preferred;
        }
        return VectorSpecies.of(float.class, VectorShape.forBitSize(b));
    }

    /**
     * Throws unless the species has float lanes: every SIMD family implementation calls it from its
     * constructor, so a missing or broken vector module fails there, where the provider catches it, and
     * not in the middle of a kernel.
     */
    public static void requireLanes() {
        if (LANES < 1) {
            throw new IllegalStateException("no float vector lanes: " + describe());
        }
    }

    /**
     * Describes the choice, for logs and benchmark reports.
     *
     * @return the description
     */
    public static String describe() {
        return F.vectorBitSize() + "-bit, " + LANES + " float lanes";
    }

    /** Touches an {@link IntVector} so the class is linked eagerly at start-up checks. */
    static int intLanes() {
        return IntVector.SPECIES_PREFERRED.length();
    }
}
