package org.inertia.kernels.simd;

import org.inertia.kernels.Conv2dGeometry;
import org.inertia.kernels.ConvSupport;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.Shape;
import org.inertia.kernels.cpu.KernelPool;

/**
 * The convolution building blocks on float32: one {@link ConvKernels} call per (n, c) plane, planes
 * spread over the {@link KernelPool} when the call is large. Loaded by name by {@code cpu.ConvProvider},
 * only when SIMD is on.
 *
 * <p>Pooling loops over precomputed in-image tap ranges. Only stride-1 max pooling is vectorized (lanes =
 * neighbouring outputs, one contiguous load per tap); strided windows would need lane gathers the Vector
 * API cannot do from memory segments, and a window's kH·kW (typically 4–9) taps are too few to fill a
 * 16-lane vector, so the other pooling kernels are scalar float loops.
 */
public final class ConvSimd implements ConvSupport {
    /** Below this many inner-loop steps a call runs on the caller alone; thread hand-off would dominate. */
    private static final long PARALLEL_WORK = 100_000;

    /** Public for the provider's reflective construction; touches the species so linking fails here. */
    public ConvSimd() {
        FloatSpecies.requireLanes();
    }

    @Override
    public void im2col(NdArray input, Conv2dGeometry g, NdArray columns) {
        int c = input.dim(1), h = input.dim(2), w = input.dim(3);
        int outH = g.outH(h), outW = g.outW(w);
        int rows = g.kernelH() * g.kernelW();
        forEachPlane(input.dim(0), c, (long) rows * outH * outW, (n, ic) -> ConvKernels.im2colPlane(
                input.segment(), plane(input, n, ic), input.stride(2), input.stride(3), h, w, g, outH, outW,
                columns.segment(), columns.offset() + n * columns.stride(0) + (long) ic * rows * columns.stride(1),
                columns.stride(1), columns.stride(2)));
    }

    @Override
    public void col2im(NdArray columns, Conv2dGeometry g, NdArray image) {
        int c = image.dim(1), h = image.dim(2), w = image.dim(3);
        int outH = g.outH(h), outW = g.outW(w);
        int rows = g.kernelH() * g.kernelW();
        forEachPlane(image.dim(0), c, (long) rows * outH * outW, (n, ic) -> ConvKernels.col2imPlane(
                columns.segment(), columns.offset() + n * columns.stride(0) + (long) ic * rows * columns.stride(1),
                columns.stride(1), columns.stride(2), g, outH, outW,
                image.segment(), plane(image, n, ic), image.stride(2), image.stride(3), h, w));
    }

    @Override
    public void maxPool2d(NdArray input, Conv2dGeometry g, NdArray out, NdArray indices) {
        Shape expected = out.shape();
        int h = input.dim(2), w = input.dim(3);
        ConvKernels.Taps rows = ConvKernels.Taps.of(expected.dim(2), g.strideH(), g.padH(), g.dilationH(), g.kernelH(), h);
        ConvKernels.Taps cols = ConvKernels.Taps.of(expected.dim(3), g.strideW(), g.padW(), g.dilationW(), g.kernelW(), w);
        long work = (long) expected.dim(2) * expected.dim(3) * g.kernelH() * g.kernelW();
        forEachPlane(input.dim(0), input.dim(1), work, (n, c) -> ConvKernels.maxPoolPlane(
                input.segment(), plane(input, n, c), input.stride(2), input.stride(3), w, g, rows, cols,
                out.segment(), plane(out, n, c), out.stride(2), out.stride(3),
                indices.segment(), plane(indices, n, c), indices.stride(2), indices.stride(3)));
    }

    @Override
    public void maxPool2dBackward(NdArray gradOut, NdArray indices, NdArray gradInput) {
        int outH = gradOut.dim(2), outW = gradOut.dim(3), h = gradInput.dim(2), w = gradInput.dim(3);
        forEachPlane(gradInput.dim(0), gradInput.dim(1), Math.max((long) outH * outW, (long) h * w), (n, c) -> {
            long bad = ConvKernels.maxPoolBackwardPlane(
                    gradOut.segment(), plane(gradOut, n, c), gradOut.stride(2), gradOut.stride(3), outH, outW,
                    indices.segment(), plane(indices, n, c), indices.stride(2), indices.stride(3),
                    gradInput.segment(), plane(gradInput, n, c), gradInput.stride(2), gradInput.stride(3), h, w);
            if (bad >= 0) {
                int oh = (int) (bad / outW), ow = (int) (bad % outW);
                throw new IllegalArgumentException("indices[" + n + ", " + c + ", " + oh + ", " + ow + "] = "
                        + (int) indices.get(n, c, oh, ow) + " is outside the " + h + "x" + w + " plane of gradInput "
                        + gradInput.shape());
            }
        });
    }

    @Override
    public void avgPool2d(NdArray input, Conv2dGeometry g, boolean countIncludePad, NdArray out) {
        Shape expected = out.shape();
        int h = input.dim(2), w = input.dim(3);
        ConvKernels.Taps rows = ConvKernels.Taps.of(expected.dim(2), g.strideH(), g.padH(), g.dilationH(), g.kernelH(), h);
        ConvKernels.Taps cols = ConvKernels.Taps.of(expected.dim(3), g.strideW(), g.padW(), g.dilationW(), g.kernelW(), w);
        long work = (long) expected.dim(2) * expected.dim(3) * g.kernelH() * g.kernelW();
        forEachPlane(input.dim(0), input.dim(1), work, (n, c) -> ConvKernels.avgPoolPlane(
                input.segment(), plane(input, n, c), input.stride(2), input.stride(3), g, countIncludePad, rows, cols,
                out.segment(), plane(out, n, c), out.stride(2), out.stride(3)));
    }

    @Override
    public void avgPool2dBackward(NdArray gradOut, Conv2dGeometry g, boolean countIncludePad, NdArray gradInput) {
        Shape expected = gradOut.shape();
        int h = gradInput.dim(2), w = gradInput.dim(3);
        ConvKernels.Taps rows = ConvKernels.Taps.of(expected.dim(2), g.strideH(), g.padH(), g.dilationH(), g.kernelH(), h);
        ConvKernels.Taps cols = ConvKernels.Taps.of(expected.dim(3), g.strideW(), g.padW(), g.dilationW(), g.kernelW(), w);
        long work = (long) expected.dim(2) * expected.dim(3) * g.kernelH() * g.kernelW();
        forEachPlane(gradInput.dim(0), gradInput.dim(1), work, (n, c) -> ConvKernels.avgPoolBackwardPlane(
                gradOut.segment(), plane(gradOut, n, c), gradOut.stride(2), gradOut.stride(3), g, countIncludePad,
                rows, cols, gradInput.segment(), plane(gradInput, n, c), gradInput.stride(2), gradInput.stride(3), h, w));
    }

    private static long plane(NdArray a, int n, int c) {
        return a.offset() + n * a.stride(0) + c * a.stride(1);
    }

    @FunctionalInterface
    private interface PlaneTask {
        void run(int n, int c);
    }

    /** Runs {@code task} on every (n, c) plane; in parallel when the planes together do enough work. */
    private static void forEachPlane(int n, int c, long workPerPlane, PlaneTask task) {
        int planes = Math.multiplyExact(n, c);
        if (planes == 0) {
            return;
        }
        if (workPerPlane * planes < PARALLEL_WORK || KernelPool.get().threads() == 1) {
            for (int p = 0; p < planes; p++) {
                task.run(p / c, p % c);
            }
            return;
        }
        KernelPool.get().parallelFor(planes, p -> task.run(p / c, p % c));
    }
}
