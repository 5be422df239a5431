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
    /** columns ← unfold(input); padding reads as 0. */
    void im2col(NdArray input, Conv2dGeometry g, NdArray columns);

    /** image ← fold(columns), the adjoint of im2col (image is overwritten). */
    void col2im(NdArray columns, Conv2dGeometry g, NdArray image);

    /** Max pooling; indices (I32) receive the argmax as h·W + w within the input plane. */
    void maxPool2d(NdArray input, Conv2dGeometry g, NdArray out, NdArray indices);

    /** gradInput ← scatter-add of gradOut at the recorded indices (gradInput is overwritten). */
    void maxPool2dBackward(NdArray gradOut, NdArray indices, NdArray gradInput);

    /** Average pooling; the divisor is kH·kW with countIncludePad, else the in-image count. */
    void avgPool2d(NdArray input, Conv2dGeometry g, boolean countIncludePad, NdArray out);

    /** gradInput ← the adjoint of average pooling applied to gradOut (gradInput is overwritten). */
    void avgPool2dBackward(NdArray gradOut, Conv2dGeometry g, boolean countIncludePad, NdArray gradInput);
}
