package org.inertia.kernels.cpu;

import org.inertia.kernels.*;

/** PLACEHOLDER: to be replaced by the kernel family's facade. */
public final class CpuReductions {
    private CpuReductions() {}
    public static void sum(NdArray x, int axis, NdArray out) { throw new UnsupportedOperationException("pending"); }
    public static void mean(NdArray x, int axis, NdArray out) { throw new UnsupportedOperationException("pending"); }
    public static void max(NdArray x, int axis, NdArray out) { throw new UnsupportedOperationException("pending"); }
    public static void argmax(NdArray x, int axis, NdArray out) { throw new UnsupportedOperationException("pending"); }
    public static void variance(NdArray x, int axis, int correction, NdArray out) { throw new UnsupportedOperationException("pending"); }
    public static void softmax(NdArray x, int axis, NdArray out) { throw new UnsupportedOperationException("pending"); }
    public static void logSoftmax(NdArray x, int axis, NdArray out) { throw new UnsupportedOperationException("pending"); }
    public static double sumAll(NdArray x) { throw new UnsupportedOperationException("pending"); }
}
