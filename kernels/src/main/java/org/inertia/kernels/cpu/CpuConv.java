package org.inertia.kernels.cpu;

import org.inertia.kernels.*;

/** PLACEHOLDER: to be replaced by the kernel family's facade. */
public final class CpuConv {
    private CpuConv() {}
    public static void im2col(NdArray input, Conv2dGeometry g, NdArray columns) { throw new UnsupportedOperationException("pending"); }
    public static void col2im(NdArray columns, Conv2dGeometry g, NdArray image) { throw new UnsupportedOperationException("pending"); }
    public static void maxPool2d(NdArray input, Conv2dGeometry g, NdArray out, NdArray indices) { throw new UnsupportedOperationException("pending"); }
    public static void maxPool2dBackward(NdArray gradOut, NdArray indices, NdArray gradInput) { throw new UnsupportedOperationException("pending"); }
    public static void avgPool2d(NdArray input, Conv2dGeometry g, boolean countIncludePad, NdArray out) { throw new UnsupportedOperationException("pending"); }
    public static void avgPool2dBackward(NdArray gradOut, Conv2dGeometry g, boolean countIncludePad, NdArray gradInput) { throw new UnsupportedOperationException("pending"); }
}
