package org.inertia.kernels;

/**
 * One implementation of the convolution building blocks (im2col, col2im, max and average pooling and
 * their adjoints): {@code cpu.ConvScalar} (double-precision loops, any floating dtype) or
 * {@code simd.ConvSimd} (float32, one call per (n, c) plane, planes over the kernel pool), picked once by
 * {@code cpu.ConvProvider}. Callers go through the validating facade {@link Conv}; implementations assume
 * valid shapes, dtypes and disjoint outputs. Only the values of max pooling's indices are checked here,
 * where they are read: an index outside its plane throws {@link IllegalArgumentException} naming it.
 *
 * <p>Images are [N, C, H, W]; columns [N, C·kH·kW, outH·outW] (PyTorch's unfold layout); every pooling
 * window holds at least one in-image pixel where the op needs it.
 */
public interface ConvSupport {
    /**
     * columns ← unfold(input); padding reads as 0.
     *
     * @param input the image [N, C, H, W]
     * @param g the window geometry
     * @param columns the columns [N, C·kH·kW, outH·outW]
     */
    void im2col(NdArray input, Conv2dGeometry g, NdArray columns);

    /**
     * image ← fold(columns), the adjoint of im2col (image is overwritten).
     *
     * @param columns the columns [N, C·kH·kW, outH·outW]
     * @param g the window geometry
     * @param image the image written [N, C, H, W]
     */
    void col2im(NdArray columns, Conv2dGeometry g, NdArray image);

    /**
     * Max pooling; indices (I32) receive the argmax as h·W + w within the input plane.
     *
     * @param input the image [N, C, H, W]
     * @param g the window geometry
     * @param out the pooled output [N, C, outH, outW]
     * @param indices the I32 argmax indices [N, C, outH, outW]
     */
    void maxPool2d(NdArray input, Conv2dGeometry g, NdArray out, NdArray indices);

    /**
     * gradInput ← scatter-add of gradOut at the recorded indices (gradInput is overwritten).
     *
     * @param gradOut the gradient of the pooled output [N, C, outH, outW]
     * @param indices the I32 argmax indices [N, C, outH, outW]
     * @param gradInput the gradient of the input [N, C, H, W]
     */
    void maxPool2dBackward(NdArray gradOut, NdArray indices, NdArray gradInput);

    /**
     * Average pooling; the divisor is kH·kW with countIncludePad, else the in-image count.
     *
     * @param input the image [N, C, H, W]
     * @param g the window geometry
     * @param countIncludePad whether the divisor counts padded taps (kH·kW) rather than only in-image ones
     * @param out the pooled output [N, C, outH, outW]
     */
    void avgPool2d(NdArray input, Conv2dGeometry g, boolean countIncludePad, NdArray out);

    /**
     * gradInput ← the adjoint of average pooling applied to gradOut (gradInput is overwritten).
     *
     * @param gradOut the gradient of the pooled output [N, C, outH, outW]
     * @param g the window geometry
     * @param countIncludePad whether the divisor counts padded taps (kH·kW) rather than only in-image ones
     * @param gradInput the gradient of the input [N, C, H, W]
     */
    void avgPool2dBackward(NdArray gradOut, Conv2dGeometry g, boolean countIncludePad, NdArray gradInput);
}
