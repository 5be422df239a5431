package org.inertia.kernels.cpu;

import org.inertia.kernels.Checks;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.PackedGemmOperand;
import org.inertia.kernels.reference.Blas1Reference;
import org.inertia.kernels.reference.GemmReference;
import org.inertia.kernels.simd.GemmF32;
import org.inertia.kernels.simd.GemvF32;

/**
 * Validates GEMM-family calls and dispatches them: float32 (with SIMD enabled) to the packed multi-threaded
 * kernels in {@code simd}, everything else to {@link GemmReference}. Messages name the operands and their
 * shapes as op(·) sees them, e.g. {@code gemm: op(A) is 3x4 but op(B) is 5x2}.
 */
public final class CpuGemm {
    private CpuGemm() {
    }

    /** C ← α op(A) op(B) + βC. */
    public static void gemm(boolean transA, boolean transB, double alpha, NdArray a, NdArray b, double beta,
            NdArray c) {
        operands(a, "B", b, "C", c);
        Checks.rank("A", a, 2);
        Checks.rank("B", b, 2);
        Checks.rank("C", c, 2);
        checkShapes("gemm", transA, transB, a.dim(0), a.dim(1), b.dim(0), b.dim(1), c.dim(0), c.dim(1));
        Checks.disjoint("C", c, "A", a);
        Checks.disjoint("C", c, "B", b);
        if (useSimd(c)) {
            simdGemm(transA, transB, alpha, a, b, beta, c);
        } else {
            GemmReference.gemm(transA, transB, alpha, a, b, beta, c);
        }
    }

    /**
     * Packs op(B) for {@link #gemm(boolean, double, NdArray, PackedGemmOperand, double, NdArray)}: float32 with
     * SIMD into GEMM's panels, anything else into a contiguous copy that the reference loops read.
     */
    public static PackedGemmOperand packB(boolean transB, NdArray b) {
        Checks.rank("B", b, 2);
        int k = transB ? b.dim(1) : b.dim(0);
        int n = transB ? b.dim(0) : b.dim(1);
        if (b.dtype() == Dtype.F32 && SimdSupport.enabled()) {
            return new Packed(k, n, b.dtype(), GemmF32.pack(k, n, operand(b, 0, transB)), null);
        }
        NdArray copy = NdArray.empty(b.dtype(), k, n);
        Blas1Reference.copy(transB ? b.transpose(0, 1) : b, copy);
        return new Packed(k, n, b.dtype(), null, copy);
    }

    /** C ← α op(A) B + βC with B packed by {@link #packB}. */
    public static void gemm(boolean transA, double alpha, NdArray a, PackedGemmOperand b, double beta, NdArray c) {
        if (!(b instanceof Packed p)) {
            throw new IllegalArgumentException("gemm: B was packed by another backend ("
                    + (b == null ? "null" : b.getClass().getName()) + "), not by the CPU backend");
        }
        if (p.isClosed()) {
            throw new IllegalStateException("gemm: packed B (" + p.k + "x" + p.n + ") is closed");
        }
        Checks.sameFloating("A", a, "C", c);
        if (a.dtype() != p.dtype) {
            throw new IllegalArgumentException("gemm: A is " + a.dtype() + " but packed B is " + p.dtype);
        }
        Checks.rank("A", a, 2);
        Checks.rank("C", c, 2);
        checkShapes("gemm", transA, false, a.dim(0), a.dim(1), p.k, p.n, c.dim(0), c.dim(1));
        Checks.disjoint("C", c, "A", a);
        if (p.simd != null) {
            KernelPool pool = KernelPool.get();
            GemmF32.gemm(c.dim(0), c.dim(1), p.k, (float) alpha, operand(a, 0, transA), p.simd, (float) beta,
                    operand(c, 0, false), pool.threads(), pool::parallelFor);
        } else {
            GemmReference.gemm(transA, false, alpha, a, p.copy, beta, c);
        }
    }

    /** The CPU backend's packed B: GEMM panels (float32, SIMD) or a contiguous copy (the reference path). */
    private static final class Packed implements PackedGemmOperand {
        final int k;
        final int n;
        final Dtype dtype;
        final GemmF32.PackedB simd;
        final NdArray copy;
        private volatile boolean closed;

        Packed(int k, int n, Dtype dtype, GemmF32.PackedB simd, NdArray copy) {
            this.k = k;
            this.n = n;
            this.dtype = dtype;
            this.simd = simd;
            this.copy = copy;
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
            return dtype;
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                if (simd != null) {
                    simd.close();
                } else {
                    copy.close();
                }
            }
        }
    }

    /** y ← α op(A) x + βy. */
    public static void gemv(boolean transA, double alpha, NdArray a, NdArray x, double beta, NdArray y) {
        operands(a, "x", x, "y", y);
        Checks.rank("A", a, 2);
        Checks.rank("x", x, 1);
        Checks.rank("y", y, 1);
        int m = transA ? a.dim(1) : a.dim(0);
        int k = transA ? a.dim(0) : a.dim(1);
        if (x.dim(0) != k) {
            throw new IllegalArgumentException("gemv: op(A) is " + m + "x" + k + " but x has length " + x.dim(0)
                    + " (A " + a.shape() + ", x " + x.shape() + ", transA=" + transA + ")");
        }
        if (y.dim(0) != m) {
            throw new IllegalArgumentException("gemv: op(A) is " + m + "x" + k + " but y has length " + y.dim(0)
                    + " (A " + a.shape() + ", y " + y.shape() + ", transA=" + transA + ")");
        }
        Checks.disjoint("y", y, "A", a);
        Checks.disjoint("y", y, "x", x);
        if (useSimd(y)) {
            simdGemv(transA, alpha, a, x, beta, y);
        } else {
            GemmReference.gemv(transA, alpha, a, x, beta, y);
        }
    }

    /** C[t] ← α op(A[t]) op(B[t]) + βC[t]; A or B may broadcast along the batch with stride 0. */
    public static void gemmBatched(boolean transA, boolean transB, double alpha, NdArray a, NdArray b, double beta,
            NdArray c) {
        operands(a, "B", b, "C", c);
        Checks.rank("A", a, 3);
        Checks.rank("B", b, 3);
        Checks.rank("C", c, 3);
        if (a.dim(0) != c.dim(0) || b.dim(0) != c.dim(0)) {
            throw new IllegalArgumentException("gemmBatched: batch sizes differ: A " + a.shape() + ", B "
                    + b.shape() + ", C " + c.shape());
        }
        checkShapes("gemmBatched", transA, transB, a.dim(1), a.dim(2), b.dim(1), b.dim(2), c.dim(1), c.dim(2));
        Checks.disjoint("C", c, "A", a);
        Checks.disjoint("C", c, "B", b);
        if (useSimd(c)) {
            simdGemmBatched(transA, transB, alpha, a, b, beta, c);
        } else {
            GemmReference.gemmBatched(transA, transB, alpha, a, b, beta, c);
        }
    }

    private static void operands(NdArray a, String nb, NdArray b, String nc, NdArray c) {
        Checks.sameFloating("A", a, nb, b);
        Checks.sameFloating("A", a, nc, c);
    }

    private static void checkShapes(String op, boolean transA, boolean transB, int a0, int a1, int b0, int b1,
            int c0, int c1) {
        int m = transA ? a1 : a0;
        int k = transA ? a0 : a1;
        int kb = transB ? b1 : b0;
        int n = transB ? b0 : b1;
        if (k != kb) {
            throw new IllegalArgumentException(op + ": op(A) is " + m + "x" + k + " but op(B) is " + kb + "x" + n
                    + " (A " + a0 + "x" + a1 + ", B " + b0 + "x" + b1 + ", transA=" + transA + ", transB=" + transB
                    + ")");
        }
        if (c0 != m || c1 != n) {
            throw new IllegalArgumentException(op + ": C is " + c0 + "x" + c1 + " but op(A)·op(B) is " + m + "x" + n
                    + " (op(A) " + m + "x" + k + ", op(B) " + kb + "x" + n + ")");
        }
    }

    /**
     * The machine the float32 GEMM was tuned for and the blocking it chose (register tile, cache blocks and
     * why), e.g. "amd64, 16 vector registers (UseAVX=2), L1d 32 KiB, L2 512 KiB (sysfs); tile 4x16 (16 vector
     * registers), kc 512, mc 128, nc 2048"; or that GEMM runs the scalar reference.
     */
    public static String describeBlocking() {
        if (!SimdSupport.enabled()) {
            return "scalar reference loops (SIMD disabled)";
        }
        return org.inertia.kernels.simd.VectorMachine.CURRENT.describe() + "; "
                + org.inertia.kernels.simd.GemmBlocking.CHOSEN.describe();
    }

    private static boolean useSimd(NdArray out) {
        return out.dtype() == Dtype.F32 && SimdSupport.enabled();
    }

    /** op(X) of a matrix view as a strided operand: transposing swaps the strides. */
    private static GemmF32.Operand operand(NdArray x, int rowAxis, boolean trans) {
        int r = trans ? rowAxis + 1 : rowAxis;
        int col = trans ? rowAxis : rowAxis + 1;
        return new GemmF32.Operand(x.segment(), x.offset(), x.stride(r), x.stride(col));
    }

    private static void simdGemm(boolean transA, boolean transB, double alpha, NdArray a, NdArray b, double beta,
            NdArray c) {
        int k = transA ? a.dim(0) : a.dim(1);
        // A one-column or one-row C is a matrix-vector product: GEMV reads each operand once instead of
        // packing it into register tiles that would be 1/NR or 1/MR full (the shapes of an input
        // projection's gradients when the input size is 1, e.g. pixel-by-pixel sequences).
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

    private static void simdGemmBatched(boolean transA, boolean transB, double alpha, NdArray a, NdArray b,
            double beta, NdArray c) {
        int k = transA ? a.dim(1) : a.dim(2);
        KernelPool pool = KernelPool.get();
        GemmF32.gemmBatched(c.dim(0), c.dim(1), c.dim(2), k, (float) alpha, operand(a, 1, transA), a.stride(0),
                operand(b, 1, transB), b.stride(0), (float) beta, operand(c, 1, false), c.stride(0), pool.threads(),
                pool::parallelFor);
    }

    private static void simdGemv(boolean transA, double alpha, NdArray a, NdArray x, double beta, NdArray y) {
        GemvF32.gemv(y.dim(0), x.dim(0), (float) alpha, operand(a, 0, transA), x.segment(), x.offset(),
                x.stride(0), (float) beta, y.segment(), y.offset(), y.stride(0));
    }
}
