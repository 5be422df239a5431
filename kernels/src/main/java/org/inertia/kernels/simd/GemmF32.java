package org.inertia.kernels.simd;

import static org.inertia.kernels.simd.GemmMicroKernel.MR;
import static org.inertia.kernels.simd.GemmMicroKernel.NR;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 GEMM, C ← α·A·B + β·C with A m×k, B k×n, C m×n, each given as (segment, element offset,
 * row stride, column stride) so any view and either transpose flag is just a choice of strides.
 *
 * <p>Goto/BLIS blocking, loops outermost first: KC-deep slices of k; MC-row blocks of A, packed once per
 * slice into MR-row panels (A is packed exactly once when m ≤ MC, which matters because packing A is a
 * transposing scatter while packing B is plain vector copies); NC-column blocks of B, packed into NR-column
 * panels that stay in L2 (256×768 floats = 768 KiB); then for each A panel (8 KiB, stays in L1) the
 * {@link GemmMicroKernel} sweeps the B panels. Packing reads any strides, zero-pads edge panels and lets
 * the micro-kernel see only contiguous data. β is applied by the first k slice only (later slices
 * accumulate with β = 1), so β = 0 never reads C.
 *
 * <p>Large products are split into one task per thread, by rows (by columns when C is short and wide), each
 * running the whole blocked algorithm on its own part with its own per-thread buffers, so tasks never
 * wait on each other.
 */
public final class GemmF32 {
    /** Depth of a packed k slice. */
    public static final int KC = 256;
    /** Columns of a packed B block (a multiple of NR for every species width). */
    static final int NC = 768;
    /** Rows of a packed A block: A is packed once per k slice for C up to this tall, B once per MC rows. */
    static final int MC = 2048;
    /** Below this many multiply-adds a product runs on the calling thread. */
    private static final long PARALLEL_MIN_FMAS = 1L << 18;

    private static final ValueLayout.OfFloat FL = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    /** Per-thread packing buffers, reused across calls. */
    private static final class Buffers {
        final float[] b = new float[KC * roundUp(NC, NR)];
        final float[] a = new float[KC * roundUp(MC, MR)];
        final float[] tile = new float[MR * NR];
    }

    /** Scatter map for packing A: lane l of a row vector goes to column l of the panel, MR floats apart. */
    private static final int[] PANEL_STRIDE = java.util.stream.IntStream.range(0, GemmMicroKernel.L)
            .map(l -> l * MR).toArray();

    /** MR floats: one k step of an A panel. */
    private static final VectorSpecies<Float> PANEL_ROW = VectorSpecies.of(float.class, VectorShape.forBitSize(32 * MR));

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /** Runs {@code tasks} tasks, possibly concurrently; returns when all are done. */
    @FunctionalInterface
    public interface Parallel {
        void run(int tasks, IntConsumer body);
    }

    /** A strided float32 matrix operand: element (i, j) is at element offset {@code off + i·rs + j·cs}. */
    public record Operand(MemorySegment seg, long off, long rs, long cs) {
    }

    private GemmF32() {
    }

    /**
     * C ← α·A·B + β·C (A m×k, B k×n, C m×n). With {@code threads > 1} and a large enough product the
     * work is split into {@code threads} tasks handed to {@code parallel}. C must not overlap A or B.
     */
    public static void gemm(int m, int n, int k, float alpha, Operand a, Operand b, float beta, Operand c,
            int threads, Parallel parallel) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0) {
            scale(m, n, beta, c);
            return;
        }
        long fmas = (long) m * n * k;
        if (threads <= 1 || fmas < PARALLEL_MIN_FMAS) {
            blocked(0, m, 0, n, k, alpha, a, b, beta, c);
            return;
        }
        // Split so that the packing each task repeats is the smaller: by rows, every task packs all of B
        // (k×n, plain vector copies) and its own rows of A; by columns, every task packs all of A (m×k,
        // a transposing scatter that costs about twice as much per element) and its own columns of B.
        // So short, wide C (e.g. a recurrent step's [64, 4H] gates) is split by columns. Either way each
        // task keeps whole register tiles.
        boolean byCols = (m < 4 * MR * threads || 2L * m < n) && n > m && n >= 2 * NR;
        int unit = byCols ? NR : MR;
        int extent = byCols ? n : m;
        int units = (extent + unit - 1) / unit;
        int tasks = Math.min(threads, units);
        parallel.run(tasks, t -> {
            int lo = Math.min(extent, (int) ((long) units * t / tasks) * unit);
            int hi = Math.min(extent, (int) ((long) units * (t + 1) / tasks) * unit);
            if (byCols) {
                blocked(0, m, lo, hi, k, alpha, a, b, beta, c);
            } else {
                blocked(lo, hi, 0, n, k, alpha, a, b, beta, c);
            }
        });
    }

    /**
     * C[t] ← α·A[t]·B[t] + β·C[t] for t in [0, batch), where operand t starts {@code t·batchStride}
     * elements after operand 0 (a stride of 0 broadcasts). Small products are spread across the batch;
     * large ones each use all threads.
     */
    public static void gemmBatched(int batch, int m, int n, int k, float alpha, Operand a, long aBatch, Operand b,
            long bBatch, float beta, Operand c, long cBatch, int threads, Parallel parallel) {
        if (threads > 1 && batch > 1 && (long) m * n * k < 8 * PARALLEL_MIN_FMAS) {
            parallel.run(batch, t -> gemm(m, n, k, alpha, shift(a, t * aBatch), shift(b, t * bBatch), beta,
                    shift(c, t * cBatch), 1, parallel));
        } else {
            for (int t = 0; t < batch; t++) {
                gemm(m, n, k, alpha, shift(a, t * aBatch), shift(b, t * bBatch), beta, shift(c, t * cBatch),
                        threads, parallel);
            }
        }
    }

    private static Operand shift(Operand o, long by) {
        return new Operand(o.seg(), o.off() + by, o.rs(), o.cs());
    }

    /** The sequential blocked product for rows [i0, i1) and columns [j0, j1) of C. */
    private static void blocked(int i0, int i1, int j0, int j1, int k, float alpha, Operand a, Operand b,
            float beta, Operand c) {
        Buffers buf = BUFFERS.get();
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            float betaHere = pc == 0 ? beta : 1f;
            for (int ic = i0; ic < i1; ic += MC) {
                int mc = Math.min(MC, i1 - ic);
                for (int ir = 0; ir < mc; ir += MR) {
                    packA(a, ic + ir, Math.min(MR, mc - ir), pc, kc, buf.a, ir * kc);
                }
                for (int jc = j0; jc < j1; jc += NC) {
                    int nc = Math.min(NC, j1 - jc);
                    packB(b, pc, kc, jc, nc, buf.b);
                    for (int ir = 0; ir < mc; ir += MR) {
                        int mr = Math.min(MR, mc - ir);
                        for (int jr = 0; jr < nc; jr += NR) {
                            int nr = Math.min(NR, nc - jr);
                            long cOff = c.off() + (ic + ir) * c.rs() + (jc + jr) * c.cs();
                            GemmMicroKernel.tile(kc, buf.a, ir * kc, buf.b, jr * kc, alpha, betaHere, c.seg(), cOff,
                                    c.rs(), c.cs(), mr, nr, buf.tile);
                        }
                    }
                }
            }
        }
    }

    /** Packs B[pc:pc+kc, jc:jc+nc] into NR-column panels: panel q holds (p, j) at q·NR·kc + p·NR + j. */
    private static void packB(Operand b, int pc, int kc, int jc, int nc, float[] dst) {
        MemorySegment seg = b.seg();
        long rs = b.rs();
        long cs = b.cs();
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int base = jr * kc;
            long src = b.off() + pc * rs + (jc + jr) * cs;
            if (nr == NR && cs == 1) {
                for (int p = 0; p < kc; p++) {
                    long byteOff = (src + p * rs) * 4;
                    int d = base + p * NR;
                    FloatVector.fromMemorySegment(GemmMicroKernel.S, seg, byteOff, NATIVE).intoArray(dst, d);
                    FloatVector.fromMemorySegment(GemmMicroKernel.S, seg, byteOff + 4L * GemmMicroKernel.L, NATIVE)
                            .intoArray(dst, d + GemmMicroKernel.L);
                    FloatVector.fromMemorySegment(GemmMicroKernel.S, seg, byteOff + 8L * GemmMicroKernel.L, NATIVE)
                            .intoArray(dst, d + 2 * GemmMicroKernel.L);
                }
                continue;
            }
            if (cs == 1) { // a partial panel of row-major B: one bulk copy per row, zero padding
                for (int p = 0; p < kc; p++) {
                    int d = base + p * NR;
                    MemorySegment.copy(seg, FL, (src + p * rs) * 4, dst, d, nr);
                    java.util.Arrays.fill(dst, d + nr, d + NR, 0f);
                }
                continue;
            }
            // Strided or transposed B, or a partial panel: element-wise, walking memory along the
            // smaller stride, zero-padding the missing columns so the micro-kernel needs no masks.
            if (rs <= cs) {
                for (int j = 0; j < NR; j++) {
                    if (j < nr) {
                        long s = src + j * cs;
                        for (int p = 0; p < kc; p++) {
                            dst[base + p * NR + j] = seg.getAtIndex(FL, s + p * rs);
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            dst[base + p * NR + j] = 0f;
                        }
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    long s = src + p * rs;
                    int d = base + p * NR;
                    for (int j = 0; j < nr; j++) {
                        dst[d + j] = seg.getAtIndex(FL, s + j * cs);
                    }
                    for (int j = nr; j < NR; j++) {
                        dst[d + j] = 0f;
                    }
                }
            }
        }
    }

    /** Packs A[ir:ir+mr, pc:pc+kc] into one MR-row panel: (i, p) at at + p·MR + i, zero rows below mr. */
    private static void packA(Operand a, int ir, int mr, int pc, int kc, float[] dst, int at) {
        MemorySegment seg = a.seg();
        long rs = a.rs();
        long cs = a.cs();
        long src = a.off() + ir * rs + pc * cs;
        if (cs == 1) {
            // Row-major A: read each row a vector at a time and scatter its lanes MR apart.
            int bound = GemmMicroKernel.S.loopBound(kc);
            for (int i = 0; i < mr; i++) {
                long s = src + i * rs;
                int p = 0;
                for (; p < bound; p += GemmMicroKernel.L) {
                    FloatVector.fromMemorySegment(GemmMicroKernel.S, seg, (s + p) * 4, NATIVE)
                            .intoArray(dst, at + p * MR + i, PANEL_STRIDE, 0);
                }
                for (; p < kc; p++) {
                    dst[at + p * MR + i] = seg.getAtIndex(FL, s + p);
                }
            }
            for (int i = mr; i < MR; i++) {
                for (int p = 0; p < kc; p++) {
                    dst[at + p * MR + i] = 0f;
                }
            }
        } else if (rs == 1) {
            // Transposed storage (op(A) = a stored matrix's transpose): the MR values of one k step are
            // adjacent in memory, so each step is one bulk copy.
            if (mr == MR) {
                for (int p = 0; p < kc; p++) { // one MR-lane vector per step
                    FloatVector.fromMemorySegment(PANEL_ROW, seg, (src + p * cs) * 4, NATIVE).intoArray(dst, at + p * MR);
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int d = at + p * MR;
                    MemorySegment.copy(seg, FL, (src + p * cs) * 4, dst, d, mr);
                    java.util.Arrays.fill(dst, d + mr, d + MR, 0f);
                }
            }
        } else if (cs <= rs) {
            for (int i = 0; i < MR; i++) {
                if (i < mr) {
                    long s = src + i * rs;
                    for (int p = 0; p < kc; p++) {
                        dst[at + p * MR + i] = seg.getAtIndex(FL, s + p * cs);
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        dst[at + p * MR + i] = 0f;
                    }
                }
            }
        } else {
            for (int p = 0; p < kc; p++) {
                long s = src + p * cs;
                for (int i = 0; i < mr; i++) {
                    dst[at + p * MR + i] = seg.getAtIndex(FL, s + i * rs);
                }
                for (int i = mr; i < MR; i++) {
                    dst[at + p * MR + i] = 0f;
                }
            }
        }
    }

    /** C ← β·C (C ← 0 without reading it when β = 0): the whole product when k = 0 or α = 0. */
    private static void scale(int m, int n, float beta, Operand c) {
        MemorySegment seg = c.seg();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                long off = c.off() + i * c.rs() + j * c.cs();
                seg.setAtIndex(FL, off, beta == 0 ? 0f : beta * seg.getAtIndex(FL, off));
            }
        }
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }
}
