package org.inertia.kernels.cpu;

import org.inertia.kernels.Backend;
import org.inertia.kernels.BinaryOp;
import org.inertia.kernels.Conv2dGeometry;
import org.inertia.kernels.NdArray;
import org.inertia.kernels.PackedGemmOperand;
import org.inertia.kernels.UnaryOp;

/**
 * The CPU backend. Each kernel family has a facade in this package ({@link CpuBlas1},
 * {@link CpuElementwise}, {@link CpuReductions}, {@link CpuGemm}, {@link CpuConv}, {@link CpuLayers}, {@link CpuGradClip}) that validates
 * arguments and runs the SIMD kernel for float32 or the double-precision loop for float64.
 */
public final class CpuBackend implements Backend {
    private static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {
    }

    /** The process-wide CPU backend. */
    public static CpuBackend get() {
        return INSTANCE;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String toString() {
        return "cpu (" + SimdSupport.describe() + ", " + KernelPool.get().threads() + " threads)";
    }

    // BLAS-1
    @Override public void axpy(double alpha, NdArray x, NdArray y) { CpuBlas1.axpy(alpha, x, y); }
    @Override public void scal(double alpha, NdArray x) { CpuBlas1.scal(alpha, x); }
    @Override public double dot(NdArray x, NdArray y) { return CpuBlas1.dot(x, y); }
    @Override public double nrm2(NdArray x) { return CpuBlas1.nrm2(x); }
    @Override public double asum(NdArray x) { return CpuBlas1.asum(x); }
    @Override public long iamax(NdArray x) { return CpuBlas1.iamax(x); }
    @Override public void copy(NdArray src, NdArray dst) { CpuBlas1.copy(src, dst); }

    // elementwise
    @Override public void unary(UnaryOp op, NdArray x, NdArray out) { CpuElementwise.unary(op, x, out); }
    @Override public void binary(BinaryOp op, NdArray a, NdArray b, NdArray out) { CpuElementwise.binary(op, a, b, out); }
    @Override public void binaryScalar(BinaryOp op, NdArray a, double s, NdArray out) { CpuElementwise.binaryScalar(op, a, s, out); }
    @Override public void clamp(NdArray x, double lo, double hi, NdArray out) { CpuElementwise.clamp(x, lo, hi, out); }
    @Override public void where(NdArray c, NdArray a, NdArray b, NdArray out) { CpuElementwise.where(c, a, b, out); }
    @Override public void fill(NdArray out, double value) { CpuElementwise.fill(out, value); }

    // reductions
    @Override public void sum(NdArray x, int axis, NdArray out) { CpuReductions.sum(x, axis, out); }
    @Override public void mean(NdArray x, int axis, NdArray out) { CpuReductions.mean(x, axis, out); }
    @Override public void max(NdArray x, int axis, NdArray out) { CpuReductions.max(x, axis, out); }
    @Override public void argmax(NdArray x, int axis, NdArray out) { CpuReductions.argmax(x, axis, out); }
    @Override public void variance(NdArray x, int axis, int correction, NdArray out) { CpuReductions.variance(x, axis, correction, out); }
    @Override public double sumAll(NdArray x) { return CpuReductions.sumAll(x); }
    @Override public void softmax(NdArray x, int axis, NdArray out) { CpuReductions.softmax(x, axis, out); }
    @Override public void logSoftmax(NdArray x, int axis, NdArray out) { CpuReductions.logSoftmax(x, axis, out); }

    // fused layer kernels
    @Override public void addBiasRelu(NdArray x, NdArray bias, NdArray out) { CpuLayers.addBiasRelu(x, bias, out); }
    @Override public void reluBackward(NdArray y, NdArray g, NdArray gz, NdArray gBias) { CpuLayers.reluBackward(y, g, gz, gBias); }
    @Override
    public void softmaxCrossEntropyBackward(NdArray logp, int[] labels, double scale, NdArray out) {
        CpuLayers.softmaxCrossEntropyBackward(logp, labels, scale, out);
    }

    // matrices
    @Override
    public void gemm(boolean transA, boolean transB, double alpha, NdArray a, NdArray b, double beta, NdArray c) {
        CpuGemm.gemm(transA, transB, alpha, a, b, beta, c);
    }

    @Override
    public void gemv(boolean transA, double alpha, NdArray a, NdArray x, double beta, NdArray y) {
        CpuGemm.gemv(transA, alpha, a, x, beta, y);
    }

    @Override
    public PackedGemmOperand packGemmB(boolean transB, NdArray b) {
        return CpuGemm.packB(transB, b);
    }

    @Override
    public void gemm(boolean transA, double alpha, NdArray a, PackedGemmOperand b, double beta, NdArray c) {
        CpuGemm.gemm(transA, alpha, a, b, beta, c);
    }

    @Override
    public void gemmBatched(boolean transA, boolean transB, double alpha, NdArray a, NdArray b, double beta, NdArray c) {
        CpuGemm.gemmBatched(transA, transB, alpha, a, b, beta, c);
    }

    // convolution building blocks
    @Override public void im2col(NdArray input, Conv2dGeometry g, NdArray columns) { CpuConv.im2col(input, g, columns); }
    @Override public void col2im(NdArray columns, Conv2dGeometry g, NdArray image) { CpuConv.col2im(columns, g, image); }
    @Override public void maxPool2d(NdArray input, Conv2dGeometry g, NdArray out, NdArray indices) { CpuConv.maxPool2d(input, g, out, indices); }
    @Override public void maxPool2dBackward(NdArray gradOut, NdArray indices, NdArray gradInput) { CpuConv.maxPool2dBackward(gradOut, indices, gradInput); }
    @Override public void avgPool2d(NdArray input, Conv2dGeometry g, boolean countIncludePad, NdArray out) { CpuConv.avgPool2d(input, g, countIncludePad, out); }
    @Override public void avgPool2dBackward(NdArray gradOut, Conv2dGeometry g, boolean countIncludePad, NdArray gradInput) { CpuConv.avgPool2dBackward(gradOut, g, countIncludePad, gradInput); }

    // gradient clipping (the fused optimizer steps belong to the optim module)
    @Override public double gradSumOfSquares(NdArray g) { return CpuGradClip.sumOfSquares(g); }
    @Override public void gradScale(NdArray g, double factor) { CpuGradClip.scale(g, factor); }
    @Override public void gradClampValue(NdArray g, double clip) { CpuGradClip.clampValue(g, clip); }

    // ---- recurrent cells (LSTM gates)
    @Override
    public int parallelism() {
        return KernelPool.get().threads();
    }

    @Override
    public void parallel(int tasks, java.util.function.IntConsumer body) {
        KernelPool.get().parallelFor(tasks, body);
    }

    @Override
    public void lstmGatesForward(NdArray gates, NdArray cPrev, NdArray act, NdArray c, NdArray tanhC, NdArray h) {
        CpuLstm.forward(gates, cPrev, act, c, tanhC, h);
    }

    @Override
    public void lstmGatesBackward(NdArray act, NdArray cPrev, NdArray tanhC, NdArray dh, NdArray dcNext,
            NdArray dGates, NdArray dcPrev) {
        CpuLstm.backward(act, cPrev, tanhC, dh, dcNext, dGates, dcPrev);
    }
    // ---- end recurrent cells
}
