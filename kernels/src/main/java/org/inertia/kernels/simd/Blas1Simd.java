package org.inertia.kernels.simd;

import org.inertia.kernels.Blas1Support;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.StridedRows;
import org.inertia.kernels.cpu.KernelPool;

/**
 * BLAS level-1 on float32 with the Vector API loops of {@link Blas1Kernels}. Loaded by name by
 * {@code cpu.Blas1Provider}, only when SIMD is on.
 *
 * <p>Unit-stride vectors of at least {@link #CHUNKED_MIN} elements are cut into fixed chunks of
 * {@link #CHUNK} elements that run on the {@link KernelPool}: one core cannot saturate memory bandwidth.
 * The cut does not depend on the thread count, and dot's chunk sums are added in chunk order, so results
 * are bit-identical for any {@code inertia.threads}.
 */
public final class Blas1Simd implements Blas1Support {
    /** Elements per parallel chunk (256 KiB of floats: big enough to amortise a task hand-off). */
    static final int CHUNK = 1 << 16;
    /** Vectors at least this long are chunked. */
    static final int CHUNKED_MIN = 1 << 18;

    /** Public for the provider's reflective construction; touches the species so linking fails here. */
    public Blas1Simd() {
        FloatSpecies.requireLanes();
    }

    private static boolean chunked(NdArray x, NdArray y) {
        return x.dim(0) >= CHUNKED_MIN && x.stride(0) == 1 && (y == null || y.stride(0) == 1);
    }

    private static int chunks(int n) {
        return (n + CHUNK - 1) / CHUNK;
    }

    @Override
    public void axpy(double alpha, NdArray x, NdArray y) {
        if (chunked(x, y)) {
            int n = x.dim(0);
            var xs = x.segment();
            var ys = y.segment();
            KernelPool.get().parallelFor(chunks(n), c -> {
                long start = (long) c * CHUNK;
                Blas1Kernels.axpy((float) alpha, xs, x.offset() + start, 1, ys, y.offset() + start, 1,
                        (int) Math.min(CHUNK, n - start));
            });
        } else {
            Blas1Kernels.axpy((float) alpha, x.segment(), x.offset(), x.stride(0), y.segment(), y.offset(),
                    y.stride(0), x.dim(0));
        }
    }

    @Override
    public void scal(double alpha, NdArray x) {
        if (chunked(x, null)) {
            int n = x.dim(0);
            var xs = x.segment();
            KernelPool.get().parallelFor(chunks(n), c -> {
                long start = (long) c * CHUNK;
                Blas1Kernels.scal((float) alpha, xs, x.offset() + start, 1, (int) Math.min(CHUNK, n - start));
            });
        } else {
            Blas1Kernels.scal((float) alpha, x.segment(), x.offset(), x.stride(0), x.dim(0));
        }
    }

    @Override
    public double dot(NdArray x, NdArray y) {
        if (chunked(x, y)) {
            int n = x.dim(0);
            var xs = x.segment();
            var ys = y.segment();
            double[] partial = new double[chunks(n)];
            KernelPool.get().parallelFor(partial.length, c -> {
                long start = (long) c * CHUNK;
                partial[c] = Blas1Kernels.dot(xs, x.offset() + start, 1, ys, y.offset() + start, 1,
                        (int) Math.min(CHUNK, n - start));
            });
            double sum = 0;
            for (double p : partial) {
                sum += p;
            }
            return sum;
        }
        return Blas1Kernels.dot(x.segment(), x.offset(), x.stride(0), y.segment(), y.offset(), y.stride(0), x.dim(0));
    }

    @Override
    public double nrm2(NdArray x) {
        return Blas1Kernels.nrm2(x.segment(), x.offset(), x.stride(0), x.dim(0));
    }

    @Override
    public double asum(NdArray x) {
        return Blas1Kernels.asum(x.segment(), x.offset(), x.stride(0), x.dim(0));
    }

    @Override
    public long iamax(NdArray x) {
        return Blas1Kernels.iamax(x.segment(), x.offset(), x.stride(0), x.dim(0));
    }

    @Override
    public void copy(NdArray src, NdArray dst) {
        StridedRows rows = StridedRows.plan(src, dst);
        long is = rows.innerStride(0);
        long id = rows.innerStride(1);
        var s = src.segment();
        var d = dst.segment();
        rows.forEach((off, n) -> Blas1Kernels.copy(s, off[0], is, d, off[1], id, n));
    }
}
