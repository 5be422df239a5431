package org.inertia.kernels.cpu;

import org.inertia.kernels.*;

/** PLACEHOLDER: to be replaced by the kernel family's facade. */
public final class CpuElementwise {
    private CpuElementwise() {}
    public static void unary(UnaryOp op, NdArray x, NdArray out) { throw new UnsupportedOperationException("pending"); }
    public static void binary(BinaryOp op, NdArray a, NdArray b, NdArray out) { throw new UnsupportedOperationException("pending"); }
    public static void binaryScalar(BinaryOp op, NdArray a, double s, NdArray out) { throw new UnsupportedOperationException("pending"); }
    public static void clamp(NdArray x, double lo, double hi, NdArray out) { throw new UnsupportedOperationException("pending"); }
    public static void where(NdArray c, NdArray a, NdArray b, NdArray out) { throw new UnsupportedOperationException("pending"); }
    public static void fill(NdArray out, double value) { throw new UnsupportedOperationException("pending"); }
}
