package org.inertia.kernels.simd;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The register-tile shapes {@link GemmMicroKernel} has a kernel for: MR rows by NRV vectors of C held in
 * MR·NRV vector accumulators.
 *
 * <p><b>Registers a tile needs.</b> C2 schedules all loads of a k step before its FMAs, so the k loop keeps
 * MR·NRV accumulators, NRV B vectors and all MR A broadcasts live at once: MR·NRV + NRV + MR registers (read
 * off the generated code with {@code -XX:CompileCommand=print}). When that exceeds the register file, C2
 * spills an accumulator and every k step then waits on a store-to-load round trip: 6×2 on AVX2 needs 20
 * of the 16 registers and ran at 36 GFLOP/s, 4×2 needs 14 and ran at 80 (n = 1024, one Zen 3 core).
 *
 * <table>
 * <caption>registers each tile keeps live in the k loop, and the machines it is meant for</caption>
 * <tr><th>tile</th><th>registers</th><th>for</th></tr>
 * <tr><td>8×3</td><td>24 + 3 + 8 = 35</td><td>32-register files (AVX-512, AArch64): the tile measured there
 *     before the register count was known to matter; a few spills</td></tr>
 * <tr><td>6×3</td><td>18 + 3 + 6 = 27</td><td>32-register files, no spill</td></tr>
 * <tr><td>8×2</td><td>16 + 2 + 8 = 26</td><td>32-register files, no spill</td></tr>
 * <tr><td>6×2</td><td>12 + 2 + 6 = 20</td><td>the BLIS Haswell shape; spills under C2 on 16 registers</td></tr>
 * <tr><td>4×3</td><td>12 + 3 + 4 = 19</td><td>spills on 16 registers</td></tr>
 * <tr><td>4×2</td><td>8 + 2 + 4 = 14</td><td>16-register files: AVX2, or {@code -XX:UseAVX=2}</td></tr>
 * <tr><td>3×3</td><td>9 + 3 + 3 = 15</td><td>16-register files (alternative)</td></tr>
 * </table>
 *
 * Every tile computes the same result to within the same rounding bound; only speed differs.
 */
public enum GemmTile {
    /** 8 rows by 3 vectors: 35 registers, a few spills on 32-register files. */
    T8X3(8, 3),
    /** 6 rows by 3 vectors: 27 registers, for 32-register files. */
    T6X3(6, 3),
    /** 8 rows by 2 vectors: 26 registers, for 32-register files. */
    T8X2(8, 2),
    /** 6 rows by 2 vectors: 20 registers, the BLIS Haswell shape; spills on 16 registers. */
    T6X2(6, 2),
    /** 4 rows by 3 vectors: 19 registers; spills on 16 registers. */
    T4X3(4, 3),
    /** 4 rows by 2 vectors: 14 registers, for 16-register files (AVX2). */
    T4X2(4, 2),
    /** 3 rows by 3 vectors: 15 registers, the alternative for 16-register files. */
    T3X3(3, 3);

    /** Rows of C in the tile. */
    public final int mr;
    /** Vectors of C per tile row. */
    public final int nrVectors;

    GemmTile(int mr, int nrVectors) {
        this.mr = mr;
        this.nrVectors = nrVectors;
    }

    /**
     * Columns of C in the tile at the running species width.
     *
     * @return NR in floats
     */
    public int nr() {
        return nrVectors * FloatSpecies.LANES;
    }

    /**
     * Vector registers the k loop keeps live under C2: accumulators, B vectors and the MR A broadcasts.
     *
     * @return the vector register count
     */
    public int registers() {
        return mr * nrVectors + nrVectors + mr;
    }

    /**
     * "MRxNR" in floats at the running species width, e.g. "6x16" for 6×2 on 256-bit vectors.
     *
     * @return the label
     */
    public String label() {
        return mr + "x" + nr();
    }

    /**
     * Parses "MRxNR" (NR in floats, a multiple of the lane count, as BLAS papers write tiles, e.g. "6x16"
     * on 256-bit vectors) into a tile; the message lists the tiles available at this width otherwise.
     *
     * @param spec the tile as "MRxNR"
     * @return the tile
     */
    public static GemmTile parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        int x = s.indexOf('x');
        int lanes = FloatSpecies.LANES;
        if (x > 0) {
            try {
                int mr = Integer.parseInt(s.substring(0, x).trim());
                int nr = Integer.parseInt(s.substring(x + 1).trim());
                for (GemmTile t : values()) {
                    if (t.mr == mr && t.nrVectors * lanes == nr) {
                        return t;
                    }
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("inertia.gemm.tile=" + spec + ": not a supported register tile at "
                + FloatSpecies.describe() + "; use MRxNR with NR in floats, one of " + available());
    }

    /**
     * The tiles available at the running species width, as "MRxNR" labels.
     *
     * @return the labels, comma-separated
     */
    public static String available() {
        return Arrays.stream(values()).map(GemmTile::label).collect(Collectors.joining(", "));
    }
}
