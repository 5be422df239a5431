package org.inertia.kernels;

import java.util.Objects;

/**
 * The convolution building blocks' validating facade (im2col, col2im, max and average pooling and their
 * adjoints): checks dtypes, ranks, shapes, windows and overlap once and runs the implementation a backend
 * chose for the dtype ({@link Backend#conv()}). Images are [N, C, H, W]; columns are [N, C·kH·kW, outH·outW]
 * (PyTorch's unfold layout).
 *
 * <p>Outputs must not share memory with inputs: every kernel writes its output while still reading its
 * input. Max pooling, and average pooling without {@code countIncludePad}, need every window to hold at
 * least one in-image pixel (PyTorch ensures it by requiring pad ≤ kernel/2); otherwise the maximum and the
 * mean are undefined and the call throws. Max pooling's indices are checked where they are read: an index
 * outside its plane throws naming it.
 */
public final class Conv {
    private final ConvSupport float32;
    private final ConvSupport float64;

    /**
     * A facade over one implementation per floating dtype (a backend builds it once).
     *
     * @param float32 the implementation for float32 operands
     * @param float64 the implementation for float64 operands, also the scalar reference
     */
    public Conv(ConvSupport float32, ConvSupport float64) {
        this.float32 = Objects.requireNonNull(float32, "float32");
        this.float64 = Objects.requireNonNull(float64, "float64");
    }

    private ConvSupport impl(NdArray a) {
        return a.dtype() == Dtype.F32 ? float32 : float64;
    }

    /**
     * columns ← unfold(input); see {@link ConvSupport#im2col}.
     *
     * @param input the image [N, C, H, W]
     * @param g the window geometry
     * @param columns the columns [N, C·kH·kW, outH·outW]
     */
    public void im2col(NdArray input, Conv2dGeometry g, NdArray columns) {
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
        impl(input).im2col(input, g, columns);
    }

    /**
     * image ← fold(columns), the adjoint of {@link #im2col}; see {@link ConvSupport#col2im}.
     *
     * @param columns the columns [N, C·kH·kW, outH·outW], of image's dtype
     * @param g the window geometry
     * @param image the image written [N, C, H, W]; overwritten, disjoint from columns
     */
    public void col2im(NdArray columns, Conv2dGeometry g, NdArray image) {
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
        impl(image).col2im(columns, g, image);
    }

    /**
     * Max pooling with PyTorch's indices; see {@link ConvSupport#maxPool2d}.
     *
     * @param input the image [N, C, H, W]
     * @param g the window geometry
     * @param out the pooled output [N, C, outH, outW]; disjoint from input
     * @param indices the I32 argmax indices [N, C, outH, outW], h·W + w within each input plane
     */
    public void maxPool2d(NdArray input, Conv2dGeometry g, NdArray out, NdArray indices) {
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
        impl(input).maxPool2d(input, g, out, indices);
    }

    /**
     * gradInput ← scatter-add of gradOut at indices; see {@link ConvSupport#maxPool2dBackward}.
     *
     * @param gradOut the gradient of the pooled output [N, C, outH, outW]
     * @param indices the I32 indices maxPool2d recorded, of gradOut's shape
     * @param gradInput the gradient of the input [N, C, H, W]; overwritten, disjoint from gradOut
     */
    public void maxPool2dBackward(NdArray gradOut, NdArray indices, NdArray gradInput) {
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
        impl(gradInput).maxPool2dBackward(gradOut, indices, gradInput);
    }

    /**
     * Average pooling; see {@link ConvSupport#avgPool2d}.
     *
     * @param input the image [N, C, H, W]
     * @param g the window geometry
     * @param countIncludePad whether the divisor counts padded taps (kH·kW) rather than only in-image ones
     * @param out the pooled output [N, C, outH, outW]; disjoint from input
     */
    public void avgPool2d(NdArray input, Conv2dGeometry g, boolean countIncludePad, NdArray out) {
        Checks.sameFloating("input", input, "out", out);
        Checks.rank("input", input, 4);
        Shape expected = pooledShape(input.shape(), g);
        checkShape("out", out, expected, input, g);
        if (!countIncludePad) {
            checkWindowsHoldPixels(input.shape(), g, "average pooling without countIncludePad");
        }
        Checks.disjoint("input", input, "out", out);
        Checks.writable("out", out);
        impl(input).avgPool2d(input, g, countIncludePad, out);
    }

    /**
     * gradInput ← adjoint of average pooling applied to gradOut; see {@link ConvSupport#avgPool2dBackward}.
     *
     * @param gradOut the gradient of the pooled output [N, C, outH, outW]
     * @param g the window geometry
     * @param countIncludePad whether the divisor counts padded taps (kH·kW) rather than only in-image ones
     * @param gradInput the gradient of the input [N, C, H, W]; overwritten, disjoint from gradOut
     */
    public void avgPool2dBackward(NdArray gradOut, Conv2dGeometry g, boolean countIncludePad, NdArray gradInput) {
        Checks.sameFloating("gradOut", gradOut, "gradInput", gradInput);
        Checks.rank("gradInput", gradInput, 4);
        Shape expected = pooledShape(gradInput.shape(), g);
        checkShape("gradOut", gradOut, expected, gradInput, g);
        if (!countIncludePad) {
            checkWindowsHoldPixels(gradInput.shape(), g, "average pooling without countIncludePad");
        }
        Checks.disjoint("gradOut", gradOut, "gradInput", gradInput);
        Checks.writable("gradInput", gradInput);
        impl(gradInput).avgPool2dBackward(gradOut, g, countIncludePad, gradInput);
    }

    // ------------------------------------------------------------------ helpers

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
            if (Taps.empty(oh, g.strideH(), g.padH(), g.dilationH(), g.kernelH(), h)) {
                throw new IllegalArgumentException(op + " of input " + image + " with " + g + ": window row " + oh
                        + " lies entirely in the padding");
            }
        }
        for (int ow = 0; ow < g.outW(w); ow++) {
            if (Taps.empty(ow, g.strideW(), g.padW(), g.dilationW(), g.kernelW(), w)) {
                throw new IllegalArgumentException(op + " of input " + image + " with " + g + ": window column " + ow
                        + " lies entirely in the padding");
            }
        }
    }

    /** Tap-range arithmetic (the facade links no SIMD class). */
    private static final class Taps {
        /** Whether no tap k in [0, kernel) gives o·stride − pad + k·dilation in [0, size). */
        static boolean empty(int o, int stride, int pad, int dilation, int kernel, int size) {
            int lo = Math.clamp(Math.ceilDiv(pad - o * stride, dilation), 0, kernel);
            int hi = Math.clamp(Math.ceilDiv(size + pad - o * stride, dilation), 0, kernel);
            return hi <= lo;
        }
    }
}
