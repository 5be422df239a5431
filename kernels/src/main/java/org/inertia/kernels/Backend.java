package org.inertia.kernels;

/**
 * The primitive operations the upper layers (autograd, layers, optimizers) are built from. A backend
 * computes on {@link NdArray}s it can address; {@code CpuBackend} runs SIMD kernels for float32 and
 * double-precision loops for float64.
 *
 * <p>Common contract: operands of one call share a dtype (F32 or F64; indices are I32); output arrays
 * are written, never resized; shape mismatches throw {@link IllegalArgumentException} naming the
 * shapes; a closed operand throws {@link IllegalStateException}. Unless a method says otherwise an
 * output may be the very same view as an input (in-place), but must not otherwise overlap it.
 */
public interface Backend {

    /** A short name, e.g. {@code "cpu"}. */
    String name();

    // ------------------------------------------------------------------ BLAS level 1
    // x and y are rank-1 views (any stride) of equal length.

    /** y ← αx + y. */
    void axpy(double alpha, NdArray x, NdArray y);

    /** x ← αx. */
    void scal(double alpha, NdArray x);

    /** Σ x_i y_i. */
    double dot(NdArray x, NdArray y);

    /** √(Σ x_i²), computed without overflow or underflow for finite inputs. */
    double nrm2(NdArray x);

    /** Σ |x_i|. */
    double asum(NdArray x);

    /** Index of the first element of largest |x_i| (0-based), −1 for an empty vector; NaN counts as largest. */
    long iamax(NdArray x);

    /** dst ← src, for any two views of equal shape and dtype. */
    void copy(NdArray src, NdArray dst);

    // ------------------------------------------------------------------ elementwise

    /** out ← op(x); out has x's shape. */
    void unary(UnaryOp op, NdArray x, NdArray out);

    /** out ← op(a, b) with NumPy broadcasting; out has the broadcast shape. */
    void binary(BinaryOp op, NdArray a, NdArray b, NdArray out);

    /** out ← op(a, s) for a scalar s; out has a's shape. */
    void binaryScalar(BinaryOp op, NdArray a, double s, NdArray out);

    /** out ← min(max(x, lo), hi); NaN stays NaN. Requires lo ≤ hi. */
    void clamp(NdArray x, double lo, double hi, NdArray out);

    /** out ← condition ≠ 0 ? a : b, all three broadcast to out's shape. */
    void where(NdArray condition, NdArray a, NdArray b, NdArray out);

    /** out ← value everywhere. */
    void fill(NdArray out, double value);

    default void add(NdArray a, NdArray b, NdArray out) {
        binary(BinaryOp.ADD, a, b, out);
    }

    default void sub(NdArray a, NdArray b, NdArray out) {
        binary(BinaryOp.SUB, a, b, out);
    }

    default void mul(NdArray a, NdArray b, NdArray out) {
        binary(BinaryOp.MUL, a, b, out);
    }

    default void div(NdArray a, NdArray b, NdArray out) {
        binary(BinaryOp.DIV, a, b, out);
    }

    /** a ← a op b (b broadcast to a's shape). */
    default void binaryInPlace(BinaryOp op, NdArray a, NdArray b) {
        binary(op, a, b, a);
    }

    /** x ← op(x). */
    default void unaryInPlace(UnaryOp op, NdArray x) {
        unary(op, x, x);
    }

    // ------------------------------------------------------------------ reductions
    // out has x's shape with `axis` removed, or with `axis` of size 1 (keep-dim); negative axes count
    // from the end.

    /** Sum along {@code axis}. */
    void sum(NdArray x, int axis, NdArray out);

    /** Arithmetic mean along {@code axis} (NaN for an empty axis). */
    void mean(NdArray x, int axis, NdArray out);

    /** Maximum along {@code axis}; NaN if any element is NaN. */
    void max(NdArray x, int axis, NdArray out);

    /** Index of the first maximum along {@code axis}, into an I32 {@code out}; a NaN counts as the maximum. */
    void argmax(NdArray x, int axis, NdArray out);

    /** Σ(x − mean)² / (n − correction) along {@code axis}; correction 1 is PyTorch's default (unbiased). */
    void variance(NdArray x, int axis, int correction, NdArray out);

    /** Sum of all elements. */
    double sumAll(NdArray x);

    /** Numerically stable softmax along {@code axis}: e^(x−max) / Σ e^(x−max). out has x's shape. */
    void softmax(NdArray x, int axis, NdArray out);

    /** Numerically stable log-softmax along {@code axis}: x − max − ln Σ e^(x−max). out has x's shape. */
    void logSoftmax(NdArray x, int axis, NdArray out);

    // ------------------------------------------------------------------ matrices
    // Operands are views with arbitrary strides (row-major, column-major, sliced). C must not overlap A
    // or B. With beta = 0, C is not read (NaN there does not propagate), as in BLAS.

    /** C ← α op(A) op(B) + βC, op(X) = X or Xᵀ; op(A) is m×k, op(B) k×n, C m×n. */
    void gemm(boolean transA, boolean transB, double alpha, NdArray a, NdArray b, double beta, NdArray c);

    /**
     * Packs op(B) (k×n) once for many {@link #gemm(boolean, double, NdArray, PackedGemmOperand, double, NdArray)}
     * products: the same result as {@link #gemm} without repacking B on every call (bit for bit, except a
     * float32 C of one row or column, which unpacked gemm sends to GEMV). A snapshot of B.
     */
    PackedGemmOperand packGemmB(boolean transB, NdArray b);

    /** C ← α op(A) B + βC with B packed by {@link #packGemmB} on this backend. */
    void gemm(boolean transA, double alpha, NdArray a, PackedGemmOperand b, double beta, NdArray c);

    /** y ← α op(A) x + βy. */
    void gemv(boolean transA, double alpha, NdArray a, NdArray x, double beta, NdArray y);

    /**
     * C[i] ← α op(A[i]) op(B[i]) + βC[i] for rank-3 operands of equal batch size; A or B may broadcast
     * along the batch (batch stride 0).
     */
    void gemmBatched(boolean transA, boolean transB, double alpha, NdArray a, NdArray b, double beta, NdArray c);

    // ------------------------------------------------------------------ convolution building blocks
    // Images are [N, C, H, W]; columns are [N, C·kH·kW, outH·outW] (PyTorch's unfold layout).

    /** columns ← unfold(input): each column holds one receptive field; padding reads as 0. */
    void im2col(NdArray input, Conv2dGeometry g, NdArray columns);

    /** image ← fold(columns): overwrites image with the sum of every column entry at its pixel (adjoint of im2col). */
    void col2im(NdArray columns, Conv2dGeometry g, NdArray image);

    /**
     * Max pooling. out is [N, C, outH, outW]; indices (I32, same shape) receive the argmax as h·W + w
     * within the input plane, as PyTorch's {@code return_indices}. Padding never wins.
     */
    void maxPool2d(NdArray input, Conv2dGeometry g, NdArray out, NdArray indices);

    /** gradInput ← scatter-add of gradOut at the recorded indices (gradInput is overwritten). */
    void maxPool2dBackward(NdArray gradOut, NdArray indices, NdArray gradInput);

    /** Average pooling; with {@code countIncludePad} the divisor is kH·kW (PyTorch's default), else the in-image count. */
    void avgPool2d(NdArray input, Conv2dGeometry g, boolean countIncludePad, NdArray out);

    /** gradInput ← adjoint of {@link #avgPool2d} applied to gradOut (gradInput is overwritten). */
    void avgPool2dBackward(NdArray gradOut, Conv2dGeometry g, boolean countIncludePad, NdArray gradInput);

    // ------------------------------------------------------------------ fused layer kernels
    // One pass each where the unfused ops take two or three (and temporaries in between); the same values
    // as the unfused ops. Rank-2 [rows, cols] operands of one floating dtype.

    /**
     * out(r, j) ← max(x(r, j) + bias[j], 0), a dense layer's bias and ReLU in one pass (bias may be null:
     * out ← max(x, 0)). The same values as {@code binary(ADD, x, bias, t)} then {@code unary(RELU, t, out)}.
     * out may be the very same view as x.
     */
    void addBiasRelu(NdArray x, NdArray bias, NdArray out);

    /**
     * The backward of y = relu(z): gz ← g where y ≠ 0, else 0 (relu′ from the saved output; a NaN y passes
     * g), and, if gBias is not null, gBias[j] ← Σ_r gz(r, j), the gradient of a bias added before the ReLU.
     * The same values as {@code where(y, g, 0, gz)} then {@code sum(gz, 0, gBias)}. gz may be the very same
     * view as g or y.
     */
    void reluBackward(NdArray y, NdArray g, NdArray gz, NdArray gBias);

    /**
     * The gradient of a cross-entropy with respect to the logits, from the saved log-softmax logp [N, K]:
     * out(r, j) ← (e^logp(r, j) − [j = labels[r]])·scale (scale = ∂L/∂loss / N for the mean). Labels must
     * lie in [0, K). out may be the very same view as logp.
     */
    void softmaxCrossEntropyBackward(NdArray logp, int[] labels, double scale, NdArray out);

    // ------------------------------------------------------------------ gradient clipping
    // The building blocks of PyTorch's clip_grad_norm_ / clip_grad_value_ over contiguous gradients. (The
    // fused optimizer steps are not here: the optim module owns them with their scalar and SIMD kernels.)

    /** Σ g_i² over a contiguous gradient, accumulated in double (the global-norm building block). */
    double gradSumOfSquares(NdArray grad);

    /** grad ← factor·grad over a contiguous gradient. */
    void gradScale(NdArray grad, double factor);

    /** grad ← clamp(grad, −clip, clip) over a contiguous gradient; NaN stays NaN. */
    void gradClampValue(NdArray grad, double clip);

    /**
     * PyTorch {@code clip_grad_norm_}: total = √(Σ over all grads of Σ g_i²); every grad is multiplied by
     * min(1, maxNorm/(total + 1e-6)). A NaN or infinite total propagates into the gradients (PyTorch's
     * default {@code error_if_nonfinite=False}). Returns the total norm before clipping.
     */
    default double clipGradNorm(double maxNorm, NdArray... grads) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("maxNorm must be > 0, got " + maxNorm);
        }
        double ss = 0;
        for (NdArray g : grads) {
            ss += gradSumOfSquares(g);
        }
        double total = Math.sqrt(ss);
        double coef = Math.min(maxNorm / (total + 1e-6), 1.0);
        if (Double.isNaN(total)) {
            coef = Double.NaN;
        }
        for (NdArray g : grads) {
            gradScale(g, coef);
        }
        return total;
    }

    // ---- coarse-grained parallelism
    /** How many independent pieces of work {@link #parallel} can usefully run at once (1: sequential). */
    default int parallelism() {
        return 1;
    }

    /**
     * Runs {@code body.accept(i)} for i in [0, tasks), possibly concurrently, and returns when all are
     * done. The pieces must be independent (disjoint outputs); kernels they call run single-threaded
     * inside. For work too fine-grained for a kernel's own threading, e.g. the rows of a recurrence whose
     * every step is a small GEMM: split once, not once per step.
     */
    default void parallel(int tasks, java.util.function.IntConsumer body) {
        for (int i = 0; i < tasks; i++) {
            body.accept(i);
        }
    }

    // ---- recurrent cells (LSTM gates)
    // Gates are [B, 4H] pre-activations in PyTorch's order (i, f, g, o); states are [B, H]. Outputs must
    // not alias inputs, except that act may be the very same view as gates.

    /**
     * Fused LSTM pointwise forward: act ← (σ(i), σ(f), tanh(g), σ(o)); c ← σ(f)⊙cPrev + σ(i)⊙tanh(g);
     * tanhC ← tanh(c); h ← σ(o)⊙tanhC. act and tanhC are what {@link #lstmGatesBackward} needs.
     */
    void lstmGatesForward(NdArray gates, NdArray cPrev, NdArray act, NdArray c, NdArray tanhC, NdArray h);

    /**
     * Fused LSTM pointwise backward from the saved act = (i, f, g, o), cPrev and tanhC: with
     * dc = dcNext + dh⊙o⊙(1 − tanhC²), dGates ← (dc⊙g⊙i(1−i), dc⊙cPrev⊙f(1−f), dc⊙i⊙(1−g²),
     * dh⊙tanhC⊙o(1−o)) (gradients w.r.t. the pre-activations) and dcPrev ← dc⊙f.
     */
    void lstmGatesBackward(NdArray act, NdArray cPrev, NdArray tanhC, NdArray dh, NdArray dcNext, NdArray dGates,
            NdArray dcPrev);
    // ---- end recurrent cells
}
