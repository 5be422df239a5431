package org.inertia.kernels.cpu;

import org.inertia.kernels.Checks;
import org.inertia.kernels.Conv2dGeometry;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.Shape;
import org.inertia.kernels.reference.ConvReference;
import org.inertia.kernels.simd.ConvKernels;

/**
 * CPU facade of the convolution building blocks (see {@link org.inertia.kernels.Backend}): validates,
 * then runs float32 on {@link ConvKernels} (one call per (n, c) plane, planes spread over the
 * {@link KernelPool} when the call is large) and float64 — or float32 with SIMD disabled — on
 * {@link ConvReference}.
 *
 * <p>Outputs must not share memory with inputs: every kernel writes its output while still reading
 * its input. Max pooling, and average pooling without {@code countIncludePad}, need every window to
 * hold at least one in-image pixel (PyTorch ensures it by requiring pad ≤ kernel/2); otherwise the
 * maximum and the mean are undefined and the call throws.
 *
 * <p>Pooling loops over precomputed in-image tap ranges. Only stride-1 max pooling is vectorized (lanes
 * = neighbouring outputs, one contiguous load per tap); strided windows would need lane gathers the
 * Vector API cannot do from memory segments, and a window's kH·kW (typically 4–9) taps are too few to
 * fill a 16-lane vector, so the other pooling kernels are scalar float loops.
 */
public final class CpuConv {
    /** Below this many inner-loop steps a call runs on the caller alone; thread hand-off would dominate. */
    private static final long PARALLEL_WORK = 100_000;

    private CpuConv() {
    }

    /** columns ← unfold(input); see {@link ConvReference#im2col}. */
    public static void im2col(NdArray input, Conv2dGeometry g, NdArray columns) {
        Checks.sameFloating("input", input, "columns", columns);
        Checks.rank("input", input, 4);
        Checks.rank("columns", columns, 3);
        Shape expected = columnsShape(input.shape(), g);
        if (!columns.shape().equals(expected)) {
            throw new IllegalArgumentException("columns has shape " + columns.shape() + " but input " + input.shape()
                    + " with " + g + " needs " + expected);
        }
        Checks.disjoint("input", input, "columns", columns);
        Checks.writable("columns", columns);
        if (!fast(input)) {
            ConvReference.im2col(input, g, columns);
            return;
        }
        int c = input.dim(1), h = input.dim(2), w = input.dim(3);
        int outH = g.outH(h), outW = g.outW(w);
        int rows = g.kernelH() * g.kernelW();
        forEachPlane(input.dim(0), c, (long) rows * outH * outW, (n, ic) -> ConvKernels.im2colPlane(
                input.segment(), plane(input, n, ic), input.stride(2), input.stride(3), h, w, g, outH, outW,
                columns.segment(), columns.offset() + n * columns.stride(0) + (long) ic * rows * columns.stride(1),
                columns.stride(1), columns.stride(2)));
    }

    /** image ← fold(columns), the adjoint of {@link #im2col}; see {@link ConvReference#col2im}. */
    public static void col2im(NdArray columns, Conv2dGeometry g, NdArray image) {
        Checks.sameFloating("columns", columns, "image", image);
        Checks.rank("columns", columns, 3);
        Checks.rank("image", image, 4);
        Shape expected = columnsShape(image.shape(), g);
        if (!columns.shape().equals(expected)) {
            throw new IllegalArgumentException("columns has shape " + columns.shape() + " but image " + image.shape()
                    + " with " + g + " needs " + expected);
        }
        Checks.disjoint("columns", columns, "image", image);
        Checks.writable("image", image);
        if (!fast(image)) {
            ConvReference.col2im(columns, g, image);
            return;
        }
        int c = image.dim(1), h = image.dim(2), w = image.dim(3);
        int outH = g.outH(h), outW = g.outW(w);
        int rows = g.kernelH() * g.kernelW();
        forEachPlane(image.dim(0), c, (long) rows * outH * outW, (n, ic) -> ConvKernels.col2imPlane(
                columns.segment(), columns.offset() + n * columns.stride(0) + (long) ic * rows * columns.stride(1),
                columns.stride(1), columns.stride(2), g, outH, outW,
                image.segment(), plane(image, n, ic), image.stride(2), image.stride(3), h, w));
    }

    /** Max pooling with PyTorch's indices; see {@link ConvReference#maxPool2d}. */
    public static void maxPool2d(NdArray input, Conv2dGeometry g, NdArray out, NdArray indices) {
        Checks.sameFloating("input", input, "out", out);
        Checks.open("indices", indices);
        Checks.rank("input", input, 4);
        Shape expected = pooledShape(input.shape(), g);
        checkShape("out", out, expected, input, g);
        Checks.writable("indices", indices);
        if (indices.dtype() != Dtype.I32) {
            throw new IllegalArgumentException("indices must be I32, got " + indices.dtype());
        }
        checkShape("indices", indices, expected, input, g);
        checkWindowsHoldPixels(input.shape(), g, "max pooling");
        Checks.disjoint("input", input, "out", out);
        Checks.writable("out", out);
        if (!fast(input)) {
            ConvReference.maxPool2d(input, g, out, indices);
            return;
        }
        int h = input.dim(2), w = input.dim(3);
        ConvKernels.Taps rows = ConvKernels.Taps.of(expected.dim(2), g.strideH(), g.padH(), g.dilationH(), g.kernelH(), h);
        ConvKernels.Taps cols = ConvKernels.Taps.of(expected.dim(3), g.strideW(), g.padW(), g.dilationW(), g.kernelW(), w);
        long work = (long) expected.dim(2) * expected.dim(3) * g.kernelH() * g.kernelW();
        forEachPlane(input.dim(0), input.dim(1), work, (n, c) -> ConvKernels.maxPoolPlane(
                input.segment(), plane(input, n, c), input.stride(2), input.stride(3), w, g, rows, cols,
                out.segment(), plane(out, n, c), out.stride(2), out.stride(3),
                indices.segment(), plane(indices, n, c), indices.stride(2), indices.stride(3)));
    }

    /** gradInput ← scatter-add of gradOut at indices; see {@link ConvReference#maxPool2dBackward}. */
    public static void maxPool2dBackward(NdArray gradOut, NdArray indices, NdArray gradInput) {
        Checks.sameFloating("gradOut", gradOut, "gradInput", gradInput);
        Checks.open("indices", indices);
        Checks.rank("gradOut", gradOut, 4);
        Checks.rank("gradInput", gradInput, 4);
        if (indices.dtype() != Dtype.I32) {
            throw new IllegalArgumentException("indices must be I32, got " + indices.dtype());
        }
        Checks.sameShape("gradOut", gradOut, "indices", indices);
        if (gradOut.dim(0) != gradInput.dim(0) || gradOut.dim(1) != gradInput.dim(1)) {
            throw new IllegalArgumentException("gradOut has shape " + gradOut.shape() + " but gradInput has shape "
                    + gradInput.shape() + "; N and C must agree");
        }
        if ((long) gradInput.dim(2) * gradInput.dim(3) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("gradInput " + gradInput.shape() + " has planes too large for I32 indices");
        }
        Checks.disjoint("gradOut", gradOut, "gradInput", gradInput);
        Checks.writable("gradInput", gradInput);
        if (!fast(gradInput)) {
            ConvReference.maxPool2dBackward(gradOut, indices, gradInput);
            return;
        }
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

    /** Average pooling; see {@link ConvReference#avgPool2d}. */
    public static void avgPool2d(NdArray input, Conv2dGeometry g, boolean countIncludePad, NdArray out) {
        Checks.sameFloating("input", input, "out", out);
        Checks.rank("input", input, 4);
        Shape expected = pooledShape(input.shape(), g);
        checkShape("out", out, expected, input, g);
        if (!countIncludePad) {
            checkWindowsHoldPixels(input.shape(), g, "average pooling without countIncludePad");
        }
        Checks.disjoint("input", input, "out", out);
        Checks.writable("out", out);
        if (!fast(input)) {
            ConvReference.avgPool2d(input, g, countIncludePad, out);
            return;
        }
        int h = input.dim(2), w = input.dim(3);
        ConvKernels.Taps rows = ConvKernels.Taps.of(expected.dim(2), g.strideH(), g.padH(), g.dilationH(), g.kernelH(), h);
        ConvKernels.Taps cols = ConvKernels.Taps.of(expected.dim(3), g.strideW(), g.padW(), g.dilationW(), g.kernelW(), w);
        long work = (long) expected.dim(2) * expected.dim(3) * g.kernelH() * g.kernelW();
        forEachPlane(input.dim(0), input.dim(1), work, (n, c) -> ConvKernels.avgPoolPlane(
                input.segment(), plane(input, n, c), input.stride(2), input.stride(3), g, countIncludePad, rows, cols,
                out.segment(), plane(out, n, c), out.stride(2), out.stride(3)));
    }

    /** gradInput ← adjoint of average pooling applied to gradOut; see {@link ConvReference#avgPool2dBackward}. */
    public static void avgPool2dBackward(NdArray gradOut, Conv2dGeometry g, boolean countIncludePad, NdArray gradInput) {
        Checks.sameFloating("gradOut", gradOut, "gradInput", gradInput);
        Checks.rank("gradInput", gradInput, 4);
        Shape expected = pooledShape(gradInput.shape(), g);
        checkShape("gradOut", gradOut, expected, gradInput, g);
        if (!countIncludePad) {
            checkWindowsHoldPixels(gradInput.shape(), g, "average pooling without countIncludePad");
        }
        Checks.disjoint("gradOut", gradOut, "gradInput", gradInput);
        Checks.writable("gradInput", gradInput);
        if (!fast(gradInput)) {
            ConvReference.avgPool2dBackward(gradOut, g, countIncludePad, gradInput);
            return;
        }
        int h = gradInput.dim(2), w = gradInput.dim(3);
        ConvKernels.Taps rows = ConvKernels.Taps.of(expected.dim(2), g.strideH(), g.padH(), g.dilationH(), g.kernelH(), h);
        ConvKernels.Taps cols = ConvKernels.Taps.of(expected.dim(3), g.strideW(), g.padW(), g.dilationW(), g.kernelW(), w);
        long work = (long) expected.dim(2) * expected.dim(3) * g.kernelH() * g.kernelW();
        forEachPlane(gradInput.dim(0), gradInput.dim(1), work, (n, c) -> ConvKernels.avgPoolBackwardPlane(
                gradOut.segment(), plane(gradOut, n, c), gradOut.stride(2), gradOut.stride(3), g, countIncludePad,
                rows, cols, gradInput.segment(), plane(gradInput, n, c), gradInput.stride(2), gradInput.stride(3), h, w));
    }

    // ------------------------------------------------------------------ helpers

    private static boolean fast(NdArray a) {
        return a.dtype() == Dtype.F32 && SimdSupport.enabled();
    }

    /** [N, C·kH·kW, outH·outW] for an [N, C, H, W] image; throws if the window does not fit or a size overflows. */
    private static Shape columnsShape(Shape image, Conv2dGeometry g) {
        int outH = g.outH(image.dim(2)), outW = g.outW(image.dim(3));
        long rows = (long) image.dim(1) * g.kernelH() * g.kernelW();
        long cols = (long) outH * outW;
        if (rows > Integer.MAX_VALUE || cols > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("columns for image " + image + " with " + g + " would have "
                    + rows + " x " + cols + " entries per image, beyond int dimensions");
        }
        return Shape.of(image.dim(0), (int) rows, (int) cols);
    }

    /** [N, C, outH, outW] for an [N, C, H, W] input. */
    private static Shape pooledShape(Shape image, Conv2dGeometry g) {
        return Shape.of(image.dim(0), image.dim(1), g.outH(image.dim(2)), g.outW(image.dim(3)));
    }

    private static void checkShape(String name, NdArray a, Shape expected, NdArray image, Conv2dGeometry g) {
        if (!a.shape().equals(expected)) {
            throw new IllegalArgumentException(name + " has shape " + a.shape() + " but input " + image.shape()
                    + " with " + g + " needs " + expected);
        }
    }

    /** Throws if some pooling window lies entirely in the padding (possible when pad > kernel/2 or with dilation). */
    private static void checkWindowsHoldPixels(Shape image, Conv2dGeometry g, String op) {
        int h = image.dim(2), w = image.dim(3);
        for (int oh = 0; oh < g.outH(h); oh++) {
            if (ConvKernelsTaps.empty(oh, g.strideH(), g.padH(), g.dilationH(), g.kernelH(), h)) {
                throw new IllegalArgumentException(op + " of input " + image + " with " + g + ": window row " + oh
                        + " lies entirely in the padding");
            }
        }
        for (int ow = 0; ow < g.outW(w); ow++) {
            if (ConvKernelsTaps.empty(ow, g.strideW(), g.padW(), g.dilationW(), g.kernelW(), w)) {
                throw new IllegalArgumentException(op + " of input " + image + " with " + g + ": window column " + ow
                        + " lies entirely in the padding");
            }
        }
    }

    /** Tap-range arithmetic without linking the Vector API (the facade must load with SIMD disabled). */
    private static final class ConvKernelsTaps {
        /** Whether no tap k in [0, kernel) gives o·stride − pad + k·dilation in [0, size). */
        static boolean empty(int o, int stride, int pad, int dilation, int kernel, int size) {
            int lo = Math.clamp(Math.ceilDiv(pad - o * stride, dilation), 0, kernel);
            int hi = Math.clamp(Math.ceilDiv(size + pad - o * stride, dilation), 0, kernel);
            return hi <= lo;
        }
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
