package org.inertia.kernels.cpu;

import org.inertia.kernels.Dtype;
import org.inertia.kernels.GemmSupport;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.PackedGemmOperand;

/**
 * Matrix products in double precision over views of any strides and floating dtype: the oracle for the
 * SIMD float32 kernels and the float64 path of the CPU backend. Arguments are assumed validated. A packed
 * B is a contiguous copy of op(B) that the same loops read.
 *
 * <p>As in BLAS, {@code beta == 0} means C is not read (a NaN there does not propagate) and
 * {@code alpha == 0} means A and B are not read.
 */
public final class GemmScalar implements GemmSupport {
    /** The one instance (stateless). */
    public static final GemmScalar INSTANCE = new GemmScalar();

    private GemmScalar() {
    }

    /** C ← α op(A) op(B) + βC with op(A) m×k, op(B) k×n and C m×n. */
    @Override
    public void gemm(boolean transA, boolean transB, double alpha, NdArray a, NdArray b, double beta,
            NdArray c) {
        int m = c.dim(0);
        int n = c.dim(1);
        int k = transA ? a.dim(0) : a.dim(1);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                if (alpha != 0) {
                    for (int p = 0; p < k; p++) {
                        double aip = transA ? a.get(p, i) : a.get(i, p);
                        double bpj = transB ? b.get(j, p) : b.get(p, j);
                        s += aip * bpj;
                    }
                }
                double v = alpha * s;
                if (beta != 0) {
                    v += beta * c.get(i, j);
                }
                c.set(v, i, j);
            }
        }
    }

    /** y ← α op(A) x + βy. */
    @Override
    public void gemv(boolean transA, double alpha, NdArray a, NdArray x, double beta, NdArray y) {
        int m = y.dim(0);
        int k = x.dim(0);
        for (int i = 0; i < m; i++) {
            double s = 0;
            if (alpha != 0) {
                for (int p = 0; p < k; p++) {
                    s += (transA ? a.get(p, i) : a.get(i, p)) * x.get(p);
                }
            }
            double v = alpha * s;
            if (beta != 0) {
                v += beta * y.get(i);
            }
            y.set(v, i);
        }
    }

    /** C[t] ← α op(A[t]) op(B[t]) + βC[t] for every batch index t (A or B may have batch stride 0). */
    @Override
    public void gemmBatched(boolean transA, boolean transB, double alpha, NdArray a, NdArray b, double beta,
            NdArray c) {
        for (int t = 0; t < c.dim(0); t++) {
            gemm(transA, transB, alpha, a.select(0, t), b.select(0, t), beta, c.select(0, t));
        }
    }

    /** A contiguous k×n copy of op(B). */
    @Override
    public PackedGemmOperand packB(boolean transB, NdArray b) {
        int k = transB ? b.dim(1) : b.dim(0);
        int n = transB ? b.dim(0) : b.dim(1);
        NdArray copy = NdArray.empty(b.dtype(), k, n);
        Blas1Scalar.INSTANCE.copy(transB ? b.transpose(0, 1) : b, copy);
        return new PackedCopy(k, n, b.dtype(), copy);
    }

    @Override
    public boolean packedHere(PackedGemmOperand b) {
        return b instanceof PackedCopy;
    }

    @Override
    public void gemm(boolean transA, double alpha, NdArray a, PackedGemmOperand b, double beta, NdArray c) {
        gemm(transA, false, alpha, a, ((PackedCopy) b).copy, beta, c);
    }

    /** The scalar path's packed B: a contiguous copy of op(B). */
    private static final class PackedCopy implements PackedGemmOperand {
        private final int k;
        private final int n;
        private final Dtype dtype;
        private final NdArray copy;
        private volatile boolean closed;

        PackedCopy(int k, int n, Dtype dtype, NdArray copy) {
            this.k = k;
            this.n = n;
            this.dtype = dtype;
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
                copy.close();
            }
        }
    }
}
