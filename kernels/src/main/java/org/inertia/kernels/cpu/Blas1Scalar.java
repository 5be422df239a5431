package org.inertia.kernels.cpu;

import org.inertia.kernels.Blas1Support;
import org.inertia.kernels.NdArray;

/**
 * BLAS level-1 in double precision over rank-1 views of any stride and dtype: the oracle for the SIMD
 * kernels and the float64 path of the CPU backend. Arguments are assumed validated.
 */
public final class Blas1Scalar implements Blas1Support {
    /** The one instance (stateless). */
    public static final Blas1Scalar INSTANCE = new Blas1Scalar();

    private Blas1Scalar() {
    }

    /** y ← αx + y. */
    @Override
    public void axpy(double alpha, NdArray x, NdArray y) {
        int n = x.dim(0);
        for (int i = 0; i < n; i++) {
            y.set(alpha * x.get(i) + y.get(i), i);
        }
    }

    /** x ← αx. */
    @Override
    public void scal(double alpha, NdArray x) {
        int n = x.dim(0);
        for (int i = 0; i < n; i++) {
            x.set(alpha * x.get(i), i);
        }
    }

    /** Σ x_i y_i, accumulated in double. */
    @Override
    public double dot(NdArray x, NdArray y) {
        double s = 0;
        for (int i = 0; i < x.dim(0); i++) {
            s += x.get(i) * y.get(i);
        }
        return s;
    }

    /** √(Σ x_i²), scaled as in LAPACK's dnrm2 so no finite input overflows or underflows. */
    @Override
    public double nrm2(NdArray x) {
        double scale = 0;
        double ssq = 1;
        for (int i = 0; i < x.dim(0); i++) {
            double v = Math.abs(x.get(i));
            if (Double.isNaN(v)) {
                return Double.NaN;
            }
            if (v != 0) {
                if (scale < v) {
                    ssq = 1 + ssq * (scale / v) * (scale / v);
                    scale = v;
                } else {
                    ssq += (v / scale) * (v / scale);
                }
            }
        }
        return scale * Math.sqrt(ssq);
    }

    /** Σ |x_i|. */
    @Override
    public double asum(NdArray x) {
        double s = 0;
        for (int i = 0; i < x.dim(0); i++) {
            s += Math.abs(x.get(i));
        }
        return s;
    }

    /** First index of the largest |x_i|; NaN counts as largest; −1 when empty. */
    @Override
    public long iamax(NdArray x) {
        int n = x.dim(0);
        long best = n == 0 ? -1 : 0;
        double bestV = -1;
        for (int i = 0; i < n; i++) {
            double v = Math.abs(x.get(i));
            if (Double.isNaN(v)) {
                return i;
            }
            if (v > bestV) {
                bestV = v;
                best = i;
            }
        }
        return best;
    }

    /** dst ← src for views of equal shape (any rank). */
    @Override
    public void copy(NdArray src, NdArray dst) {
        dst.copyFrom(src);
    }
}
