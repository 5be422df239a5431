package org.inertia.kernels.reference;

import org.inertia.kernels.NdArray;

/**
 * Matrix products in double precision over views of any strides and floating dtype: the oracle for the
 * SIMD float32 kernels and the float64 path of the CPU backend. Arguments are assumed validated.
 *
 * <p>As in BLAS, {@code beta == 0} means C is not read (a NaN there does not propagate) and
 * {@code alpha == 0} means A and B are not read.
 */
public final class GemmReference {
    private GemmReference() {
    }

    /** C ← α op(A) op(B) + βC with op(A) m×k, op(B) k×n and C m×n. */
    public static void gemm(boolean transA, boolean transB, double alpha, NdArray a, NdArray b, double beta,
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
    public static void gemv(boolean transA, double alpha, NdArray a, NdArray x, double beta, NdArray y) {
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
    public static void gemmBatched(boolean transA, boolean transB, double alpha, NdArray a, NdArray b, double beta,
            NdArray c) {
        for (int t = 0; t < c.dim(0); t++) {
            gemm(transA, transB, alpha, a.select(0, t), b.select(0, t), beta, c.select(0, t));
        }
    }
}
