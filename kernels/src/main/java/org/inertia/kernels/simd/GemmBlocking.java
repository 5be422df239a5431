package org.inertia.kernels.simd;

/**
 * The shape of {@link GemmF32}'s work: the register tile and the three cache blocks, chosen once per JVM
 * from the machine ({@link VectorMachine}) by {@link #choose}.
 *
 * <ul>
 * <li>{@code tile}: MR×NR of C in vector registers (see {@link GemmTile} for the register count of each).
 *     16 vector registers (AVX2, or {@code -XX:UseAVX=2}) give 4×2 vectors, the largest tile C2 keeps
 *     without spilling; 32 (AVX-512, AArch64) keep 8×3, the tile the AVX-512 figures in bench/RESULTS.md
 *     were measured with.</li>
 * <li>{@code kc}: depth of a packed k slice. One MR×kc A micro-panel stays in L1 while the micro-kernel sweeps
 *     the B block: kc = 256 keeps it at ≤ 8 KiB, a quarter of a 32 KiB L1d.</li>
 * <li>{@code nc}: columns of the packed B block, kc×nc floats. With 16 registers, a quarter of the L2
 *     (128 columns on Zen 3's 512 KiB L2: 80 GFLOP/s at n = 1024 against 76-78 for half of it); with 32,
 *     768 columns as measured on AVX-512. A multiple of NR.</li>
 * <li>{@code mc}: rows of the packed A block; A is packed once per k slice for C up to mc rows tall.</li>
 * </ul>
 *
 * <p>System properties override the choice, for experiments and for tests of every shape:
 * {@code inertia.gemm.tile=MRxNR} (NR in floats, e.g. {@code 6x16}), {@code inertia.gemm.kc},
 * {@code inertia.gemm.nc} and {@code inertia.gemm.mc}.
 */
public record GemmBlocking(GemmTile tile, int kc, int mc, int nc, String source) {

    /** The blocking every float32 GEMM of this JVM uses. */
    public static final GemmBlocking CHOSEN = choose(VectorMachine.CURRENT);

    private static final int KC = 256;
    private static final int MC = 2048;
    /** B block columns on 32-register machines: the blocking measured on AVX-512 (768 KiB at kc = 256). */
    private static final int NC_WIDE = 768;

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
        int kc = intProperty("inertia.gemm.kc", KC);
        int l2Floats = machine.l2Bytes() / Float.BYTES;
        int ncDefault = machine.vectorRegisters() >= 32 ? NC_WIDE : Math.max(tile.nr(), l2Floats / 4 / kc);
        int nc = intProperty("inertia.gemm.nc", ncDefault);
        int mc = intProperty("inertia.gemm.mc", MC);
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

    /** One line for report headers, e.g. "tile 4x16 (16 vector registers), kc 256, mc 2048, nc 128". */
    public String describe() {
        return "tile " + tile.label() + " (" + source + "), kc " + kc + ", mc " + mc + ", nc " + nc;
    }
}
