package org.inertia.kernels.simd;

import org.inertia.kernels.Dtype;
import org.inertia.kernels.GemmSupport;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.PackedGemmOperand;
import org.inertia.kernels.cpu.KernelPool;

/**
 * The GEMM family on float32: the packed multi-threaded kernels of {@link GemmF32} (over the
 * {@link KernelPool}) and {@link GemvF32}. Loaded by name by {@code cpu.GemmProvider}, only when SIMD is on.
 *
 * <p>A C of one row or one column is a matrix-vector product, sent to GEMV: it reads each operand once
 * instead of packing it into register tiles that would be 1/NR or 1/MR full (the shapes of an input
 * projection's gradients when the input size is 1, e.g. pixel-by-pixel sequences). A packed B holds GEMM's
 * panels ({@link GemmF32#pack}).
 */
public final class GemmSimd implements GemmSupport {

    /** Public for the provider's reflective construction; touches the species so linking fails here. */
    public GemmSimd() {
        FloatSpecies.requireLanes();
    }

    @Override
    public void gemm(boolean transA, boolean transB, double alpha, NdArray a, NdArray b, double beta, NdArray c) {
        int k = transA ? a.dim(0) : a.dim(1);
        if (c.dim(1) == 1 && c.dim(0) > 1) { // c[:, 0] = α op(A)·op(B)[:, 0] + β c[:, 0]
            GemmF32.Operand bo = operand(b, 0, transB);
            GemvF32.gemv(c.dim(0), k, (float) alpha, operand(a, 0, transA), bo.seg(), bo.off(), bo.rs(), (float) beta,
                    c.segment(), c.offset(), c.stride(0));
            return;
        }
        if (c.dim(0) == 1 && c.dim(1) > 1) { // c[0, :] = α op(B)ᵀ·op(A)[0, :] + β c[0, :]
            GemmF32.Operand ao = operand(a, 0, transA);
            GemvF32.gemv(c.dim(1), k, (float) alpha, operand(b, 0, !transB), ao.seg(), ao.off(), ao.cs(), (float) beta,
                    c.segment(), c.offset(), c.stride(1));
            return;
        }
        KernelPool pool = KernelPool.get();
        GemmF32.gemm(c.dim(0), c.dim(1), k, (float) alpha, operand(a, 0, transA), operand(b, 0, transB),
                (float) beta, operand(c, 0, false), pool.threads(), pool::parallelFor);
    }

    @Override
    public PackedGemmOperand packB(boolean transB, NdArray b) {
        int k = transB ? b.dim(1) : b.dim(0);
        int n = transB ? b.dim(0) : b.dim(1);
        return new PackedPanels(k, n, GemmF32.pack(k, n, operand(b, 0, transB)));
    }

    @Override
    public boolean packedHere(PackedGemmOperand b) {
        return b instanceof PackedPanels;
    }

    @Override
    public void gemm(boolean transA, double alpha, NdArray a, PackedGemmOperand b, double beta, NdArray c) {
        PackedPanels p = (PackedPanels) b;
        KernelPool pool = KernelPool.get();
        GemmF32.gemm(c.dim(0), c.dim(1), p.k, (float) alpha, operand(a, 0, transA), p.panels, (float) beta,
                operand(c, 0, false), pool.threads(), pool::parallelFor);
    }

    @Override
    public void gemv(boolean transA, double alpha, NdArray a, NdArray x, double beta, NdArray y) {
        GemvF32.gemv(y.dim(0), x.dim(0), (float) alpha, operand(a, 0, transA), x.segment(), x.offset(),
                x.stride(0), (float) beta, y.segment(), y.offset(), y.stride(0));
    }

    @Override
    public void gemmBatched(boolean transA, boolean transB, double alpha, NdArray a, NdArray b, double beta,
            NdArray c) {
        int k = transA ? a.dim(1) : a.dim(2);
        KernelPool pool = KernelPool.get();
        GemmF32.gemmBatched(c.dim(0), c.dim(1), c.dim(2), k, (float) alpha, operand(a, 1, transA), a.stride(0),
                operand(b, 1, transB), b.stride(0), (float) beta, operand(c, 1, false), c.stride(0), pool.threads(),
                pool::parallelFor);
    }

    /** The machine the float32 GEMM was tuned for and the blocking it chose (register tile, cache blocks, why). */
    @Override
    public String toString() {
        return VectorMachine.CURRENT.describe() + "; " + GemmBlocking.CHOSEN.describe();
    }

    /** op(X) of a matrix view as a strided operand: transposing swaps the strides. */
    private static GemmF32.Operand operand(NdArray x, int rowAxis, boolean trans) {
        int r = trans ? rowAxis + 1 : rowAxis;
        int col = trans ? rowAxis : rowAxis + 1;
        return new GemmF32.Operand(x.segment(), x.offset(), x.stride(r), x.stride(col));
    }

    /** The SIMD path's packed B: GEMM's float32 panels. */
    private static final class PackedPanels implements PackedGemmOperand {
        final int k;
        final int n;
        final GemmF32.PackedB panels;
        private volatile boolean closed;

        PackedPanels(int k, int n, GemmF32.PackedB panels) {
            this.k = k;
            this.n = n;
            this.panels = panels;
        }

        @Override
        public int k() {
            return k;
        }

        @Override
        public int n() {
            return n;
        }

        @Override
        public Dtype dtype() {
            return Dtype.F32;
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                panels.close();
            }
        }
    }
}
