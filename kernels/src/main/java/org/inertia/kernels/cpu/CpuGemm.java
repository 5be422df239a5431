package org.inertia.kernels.cpu;

import org.inertia.kernels.*;

/** PLACEHOLDER: to be replaced by the kernel family's facade. */
public final class CpuGemm {
    private CpuGemm() {}
    public static void gemm(boolean transA, boolean transB, double alpha, NdArray a, NdArray b, double beta, NdArray c) { throw new UnsupportedOperationException("pending"); }
    public static void gemv(boolean transA, double alpha, NdArray a, NdArray x, double beta, NdArray y) { throw new UnsupportedOperationException("pending"); }
    public static void gemmBatched(boolean transA, boolean transB, double alpha, NdArray a, NdArray b, double beta, NdArray c) { throw new UnsupportedOperationException("pending"); }
}
