package org.inertia.kernels.cpu;

import org.inertia.kernels.Checks;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.StridedRows;
import org.inertia.kernels.reference.Blas1Reference;
import org.inertia.kernels.simd.Blas1Simd;

/**
 * Validates BLAS level-1 arguments and runs {@link Blas1Simd} (float32) or {@link Blas1Reference} (float64).
 *
 * <p>Unit-stride float32 vectors of at least {@link #CHUNKED_MIN} elements are cut into fixed chunks of
 * {@link #CHUNK} elements that run on the {@link KernelPool}: one core cannot saturate memory bandwidth.
 * The cut does not depend on the thread count, and dot's chunk sums are added in chunk order, so results
 * are bit-identical for any {@code inertia.threads}.
 */
public final class CpuBlas1 {
    /** Elements per parallel chunk (256 KiB of floats: big enough to amortise a task hand-off). */
    static final int CHUNK = 1 << 16;
    /** Vectors at least this long are chunked. */
    static final int CHUNKED_MIN = 1 << 18;

    private CpuBlas1() {
    }

    private static boolean chunked(NdArray x, NdArray y) {
        return x.dim(0) >= CHUNKED_MIN && x.stride(0) == 1 && (y == null || y.stride(0) == 1);
    }

    private static int chunks(int n) {
        return (n + CHUNK - 1) / CHUNK;
    }

    private static boolean simd(NdArray x) {
        return x.dtype() == Dtype.F32 && SimdSupport.enabled();
    }

    /** y ← αx + y. */
    public static void axpy(double alpha, NdArray x, NdArray y) {
        Checks.vectors(x, y);
        Checks.noPartialOverlap("x", x, "y", y);
        Checks.writable("y", y);
        if (simd(x) && chunked(x, y)) {
            int n = x.dim(0);
            var xs = x.segment();
            var ys = y.segment();
            KernelPool.get().parallelFor(chunks(n), c -> {
                long start = (long) c * CHUNK;
                Blas1Simd.axpy((float) alpha, xs, x.offset() + start, 1, ys, y.offset() + start, 1,
                        (int) Math.min(CHUNK, n - start));
            });
        } else if (simd(x)) {
            Blas1Simd.axpy((float) alpha, x.segment(), x.offset(), x.stride(0), y.segment(), y.offset(), y.stride(0), x.dim(0));
        } else {
            Blas1Reference.axpy(alpha, x, y);
        }
    }

    /** x ← αx. */
    public static void scal(double alpha, NdArray x) {
        Checks.floating("x", x);
        Checks.rank("x", x, 1);
        Checks.writable("x", x);
        if (simd(x) && chunked(x, null)) {
            int n = x.dim(0);
            var xs = x.segment();
            KernelPool.get().parallelFor(chunks(n), c -> {
                long start = (long) c * CHUNK;
                Blas1Simd.scal((float) alpha, xs, x.offset() + start, 1, (int) Math.min(CHUNK, n - start));
            });
        } else if (simd(x)) {
            Blas1Simd.scal((float) alpha, x.segment(), x.offset(), x.stride(0), x.dim(0));
        } else {
            Blas1Reference.scal(alpha, x);
        }
    }

    /** Σ x_i y_i. */
    public static double dot(NdArray x, NdArray y) {
        Checks.vectors(x, y);
        if (simd(x) && chunked(x, y)) {
            int n = x.dim(0);
            var xs = x.segment();
            var ys = y.segment();
            double[] partial = new double[chunks(n)];
            KernelPool.get().parallelFor(partial.length, c -> {
                long start = (long) c * CHUNK;
                partial[c] = Blas1Simd.dot(xs, x.offset() + start, 1, ys, y.offset() + start, 1,
                        (int) Math.min(CHUNK, n - start));
            });
            double sum = 0;
            for (double p : partial) {
                sum += p;
            }
            return sum;
        }
        if (simd(x)) {
            return Blas1Simd.dot(x.segment(), x.offset(), x.stride(0), y.segment(), y.offset(), y.stride(0), x.dim(0));
        }
        return Blas1Reference.dot(x, y);
    }

    /** Euclidean norm. */
    public static double nrm2(NdArray x) {
        vector(x);
        return simd(x) ? Blas1Simd.nrm2(x.segment(), x.offset(), x.stride(0), x.dim(0)) : Blas1Reference.nrm2(x);
    }

    /** Σ |x_i|. */
    public static double asum(NdArray x) {
        vector(x);
        return simd(x) ? Blas1Simd.asum(x.segment(), x.offset(), x.stride(0), x.dim(0)) : Blas1Reference.asum(x);
    }

    /** First index of the largest |x_i|. */
    public static long iamax(NdArray x) {
        vector(x);
        return simd(x) ? Blas1Simd.iamax(x.segment(), x.offset(), x.stride(0), x.dim(0)) : Blas1Reference.iamax(x);
    }

    /** dst ← src for views of equal shape and dtype (any rank). */
    public static void copy(NdArray src, NdArray dst) {
        Checks.open("src", src);
        Checks.open("dst", dst);
        Checks.sameShape("src", src, "dst", dst);
        if (src.dtype() != dst.dtype()) {
            throw new IllegalArgumentException("src is " + src.dtype() + " but dst is " + dst.dtype());
        }
        Checks.noPartialOverlap("src", src, "dst", dst);
        Checks.writable("dst", dst);
        if (simd(src)) {
            StridedRows rows = StridedRows.plan(src, dst);
            long is = rows.innerStride(0);
            long id = rows.innerStride(1);
            var s = src.segment();
            var d = dst.segment();
            rows.forEach((off, n) -> Blas1Simd.copy(s, off[0], is, d, off[1], id, n));
        } else {
            Blas1Reference.copy(src, dst);
        }
    }

    private static void vector(NdArray x) {
        Checks.floating("x", x);
        Checks.rank("x", x, 1);
    }
}
