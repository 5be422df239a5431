package org.inertia.kernels.simd;

/**
 * The shape of {@link GemmF32}'s work: the register tile and the three cache blocks, chosen once per JVM
 * from the machine ({@link VectorMachine}) by {@link #choose}. {@link GemmF32} runs Goto's loop order (van
 * de Geijn and Goto, "Anatomy of High-Performance Matrix Multiplication", 2008; BLIS's five loops): for each
 * k slice of depth kc, a kc×nc block of B is packed; inside it an mc×kc block of A; then the micro-kernel
 * sweeps A's MR-row panels against one kc×NR panel of B.
 *
 * <ul>
 * <li>{@code tile}: MR×NR of C in vector registers (see {@link GemmTile} for the register count of each).
 *     16 vector registers (AVX2, or {@code -XX:UseAVX=2}) give 4×2 vectors, the largest tile C2 keeps
 *     without spilling; 32 (AVX-512, AArch64) keep 8×3.</li>
 * <li>{@code kc}: depth of a k slice, so that one kc×NR panel of B fills the L1d: it stays there while the
 *     micro-kernel sweeps the A block, and C is read and written once per slice. On Zen 3 (32 KiB L1d, NR
 *     16) that is 512, measured best against 256 and 384, 768 and 1024 (bench/RESULTS.md). Clamped to
 *     [128, 512].</li>
 * <li>{@code mc}: rows of the packed A block, mc×kc floats in half the L2 (128 rows at kc 512 in Zen 3's
 *     512 KiB, measured against 64 and 192). A multiple of MR.</li>
 * <li>{@code nc}: columns of the packed B block, kc×nc floats in 4 MiB of the last-level cache, reused by
 *     every A block. A multiple of NR.</li>
 * </ul>
 *
 * <p>System properties override the choice, for experiments and for tests of every shape:
 * {@code inertia.gemm.tile=MRxNR} (NR in floats, e.g. {@code 6x16}), {@code inertia.gemm.kc},
 * {@code inertia.gemm.nc} and {@code inertia.gemm.mc}.
 *
 * @param tile the register tile of C
 * @param kc the depth of a k slice; >= 1
 * @param mc the rows of the packed A block; rounded to a multiple of MR
 * @param nc the columns of the packed B block; rounded to a multiple of NR
 * @param source why these values were chosen, for reports
 */
public record GemmBlocking(GemmTile tile, int kc, int mc, int nc, String source) {

    /** The blocking every float32 GEMM of this JVM uses. */
    public static final GemmBlocking CHOSEN = choose(VectorMachine.CURRENT);

    private static final int KC_MIN = 128;
    private static final int KC_MAX = 512;
    /** Bytes of the last-level cache the packed B block may take. */
    private static final int B_BLOCK_BYTES = 4 << 20;

    /** Validates and rounds: nc to a multiple of NR and mc to a multiple of MR, each at least one tile. */
    public GemmBlocking {
        if (tile == null) {
            throw new IllegalArgumentException("tile must not be null");
        }
        if (kc < 1) {
            throw new IllegalArgumentException("kc must be >= 1, got " + kc);
        }
        if (mc < 1 || nc < 1) {
            throw new IllegalArgumentException("mc and nc must be >= 1, got mc=" + mc + ", nc=" + nc);
        }
        mc = Math.max(tile.mr, mc / tile.mr * tile.mr);
        nc = Math.max(tile.nr(), nc / tile.nr() * tile.nr());
    }

    /** The blocking for {@code machine}, with the {@code inertia.gemm.*} properties applied. */
    static GemmBlocking choose(VectorMachine machine) {
        String source;
        GemmTile tile;
        String spec = System.getProperty("inertia.gemm.tile");
        if (spec != null && !spec.isBlank()) {
            tile = GemmTile.parse(spec);
            source = "inertia.gemm.tile";
        } else {
            tile = machine.vectorRegisters() >= 32 ? GemmTile.T8X3 : GemmTile.T4X2;
            source = machine.vectorRegisters() + " vector registers";
        }
        int kcFit = machine.l1dBytes() / (Float.BYTES * tile.nr()) / 8 * 8;
        int kc = intProperty("inertia.gemm.kc", Math.clamp(kcFit, KC_MIN, KC_MAX));
        int mc = intProperty("inertia.gemm.mc", machine.l2Bytes() / 2 / (Float.BYTES * kc));
        int nc = intProperty("inertia.gemm.nc", B_BLOCK_BYTES / (Float.BYTES * kc));
        return new GemmBlocking(tile, kc, mc, nc, source);
    }

    private static int intProperty(String name, int dflt) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int x = Integer.parseInt(v.trim());
            if (x >= 1) {
                return x;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + "=" + v + ": must be a positive integer");
    }

    /**
     * One line for report headers, e.g. "tile 4x16 (16 vector registers), kc 512, mc 128, nc 2048".
     *
     * @return the one-line description
     */
    public String describe() {
        return "tile " + tile.label() + " (" + source + "), kc " + kc + ", mc " + mc + ", nc " + nc;
    }
}
