package org.inertia.kernels.cpu;

import org.inertia.kernels.Checks;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.reference.GradClipReference;
import org.inertia.kernels.simd.GradClip;

/**
 * Validates a gradient and runs the clipping building blocks (Σg², scaling, clamping) on the SIMD
 * kernels (float32) or {@link GradClipReference} (float64, or SIMD disabled).
 *
 * <p>Gradients are contiguous arrays of any rank. Float32 arrays of at least {@link #CHUNKED_MIN}
 * elements are cut into fixed chunks of {@link #CHUNK} elements that run on the {@link KernelPool}; the
 * cut does not depend on the thread count and the sum of squares adds chunk partials in chunk order, so
 * results are bit-identical for any {@code inertia.threads}.
 */
public final class CpuGradClip {
    /** Elements per parallel chunk (256 KiB of floats: amortises a task hand-off). */
    static final int CHUNK = 1 << 16;
    /** Arrays at least this long are chunked. */
    static final int CHUNKED_MIN = 1 << 17;

    private CpuGradClip() {
    }

    private static boolean simd(NdArray g) {
        return g.dtype() == Dtype.F32 && SimdSupport.enabled();
    }

    private static void check(NdArray g) {
        Checks.floating("grad", g);
        Checks.open("grad", g);
        if (!g.isContiguous()) {
            throw new IllegalArgumentException("grad " + g.shape() + " with strides "
                    + java.util.Arrays.toString(g.strides()) + " must be contiguous for gradient clipping");
        }
    }

    @FunctionalInterface
    private interface ChunkKernel {
        void run(long start, int length);
    }

    private static void forChunks(long n, ChunkKernel k) {
        if (n >= CHUNKED_MIN) {
            int chunks = Math.toIntExact((n + CHUNK - 1) / CHUNK);
            KernelPool.get().parallelFor(chunks, c -> {
                long start = (long) c * CHUNK;
                k.run(start, (int) Math.min(CHUNK, n - start));
            });
        } else {
            k.run(0, Math.toIntExact(n));
        }
    }

    /** Σ g_i² in double; chunk partial sums are added in chunk order. */
    public static double sumOfSquares(NdArray g) {
        check(g);
        if (!simd(g)) {
            return GradClipReference.sumOfSquares(g);
        }
        var gs = g.segment();
        long n = g.numel();
        if (n < CHUNKED_MIN) {
            return GradClip.sumOfSquares(gs, g.offset(), (int) n);
        }
        int chunks = Math.toIntExact((n + CHUNK - 1) / CHUNK);
        double[] partial = new double[chunks];
        KernelPool.get().parallelFor(chunks, c -> {
            long start = (long) c * CHUNK;
            partial[c] = GradClip.sumOfSquares(gs, g.offset() + start, (int) Math.min(CHUNK, n - start));
        });
        double s = 0;
        for (double p : partial) {
            s += p;
        }
        return s;
    }

    /** g ← factor·g. */
    public static void scale(NdArray g, double factor) {
        check(g);
        if (simd(g)) {
            var gs = g.segment();
            forChunks(g.numel(), (s, n) -> GradClip.scale((float) factor, gs, g.offset() + s, n));
        } else {
            GradClipReference.scale(g, factor);
        }
    }

    /** g ← clamp(g, −clip, clip); NaN stays NaN. */
    public static void clampValue(NdArray g, double clip) {
        check(g);
        if (!(clip >= 0) || Double.isInfinite(clip)) {
            throw new IllegalArgumentException("clip value must be finite and >= 0, got " + clip);
        }
        if (simd(g)) {
            var gs = g.segment();
            forChunks(g.numel(), (s, n) -> GradClip.clampValue((float) clip, gs, g.offset() + s, n));
        } else {
            GradClipReference.clampValue(g, clip);
        }
    }
}
