package org.inertia.kernels.simd;

import org.inertia.kernels.GradClipSupport;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.cpu.KernelPool;

/**
 * The gradient-clipping building blocks on float32 with the Vector API loops of {@link GradClipKernels}.
 * Loaded by name by {@code cpu.GradClipProvider}, only when SIMD is on.
 *
 * <p>Gradients of at least {@link #CHUNKED_MIN} elements are cut into fixed chunks of {@link #CHUNK}
 * elements that run on the {@link KernelPool}; the cut does not depend on the thread count and the sum of
 * squares adds chunk partials in chunk order, so results are bit-identical for any {@code inertia.threads}.
 */
public final class GradClipSimd implements GradClipSupport {
    /** Elements per parallel chunk (256 KiB of floats: amortises a task hand-off). */
    static final int CHUNK = 1 << 16;
    /** Arrays at least this long are chunked. */
    static final int CHUNKED_MIN = 1 << 17;

    /** Public for the provider's reflective construction; touches the species so linking fails here. */
    public GradClipSimd() {
        FloatSpecies.requireLanes();
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
    @Override
    public double sumOfSquares(NdArray g) {
        var gs = g.segment();
        long n = g.numel();
        if (n < CHUNKED_MIN) {
            return GradClipKernels.sumOfSquares(gs, g.offset(), (int) n);
        }
        int chunks = Math.toIntExact((n + CHUNK - 1) / CHUNK);
        double[] partial = new double[chunks];
        KernelPool.get().parallelFor(chunks, c -> {
            long start = (long) c * CHUNK;
            partial[c] = GradClipKernels.sumOfSquares(gs, g.offset() + start, (int) Math.min(CHUNK, n - start));
        });
        double s = 0;
        for (double p : partial) {
            s += p;
        }
        return s;
    }

    @Override
    public void scale(NdArray g, double factor) {
        var gs = g.segment();
        forChunks(g.numel(), (s, n) -> GradClipKernels.scale((float) factor, gs, g.offset() + s, n));
    }

    @Override
    public void clampValue(NdArray g, double clip) {
        var gs = g.segment();
        forChunks(g.numel(), (s, n) -> GradClipKernels.clampValue((float) clip, gs, g.offset() + s, n));
    }
}
