package org.inertia.kernels.cpu;

import org.inertia.kernels.*;

/** PLACEHOLDER. */
public final class CpuBlas1 {
    private CpuBlas1() {}
    public static void axpy(double alpha, NdArray x, NdArray y) { throw new UnsupportedOperationException("pending"); }
    public static void scal(double alpha, NdArray x) { throw new UnsupportedOperationException("pending"); }
    public static double dot(NdArray x, NdArray y) { throw new UnsupportedOperationException("pending"); }
    public static double nrm2(NdArray x) { throw new UnsupportedOperationException("pending"); }
    public static double asum(NdArray x) { throw new UnsupportedOperationException("pending"); }
    public static long iamax(NdArray x) { throw new UnsupportedOperationException("pending"); }
    public static void copy(NdArray src, NdArray dst) { throw new UnsupportedOperationException("pending"); }
}
