package org.inertia.kernels;

import java.util.Objects;

/**
 * The fused layer kernels' validating facade (bias + ReLU, ReLU backward with the bias gradient, softmax
 * cross-entropy backward): one pass each where the unfused ops take two or three, with the same values.
 * Checks operands once and runs the implementation a backend chose for the dtype ({@link Backend#layers()}).
 * Operands are rank-2 [rows, cols] views of any strides
 * (a bias is a rank-1 [cols] view); an output may be the very same view as an input where the method says
 * so, and must otherwise be disjoint from every input.
 */
public final class Layers {
    private final LayersSupport float32;
    private final LayersSupport float64;

    /**
     * A facade over one implementation per floating dtype (a backend builds it once).
     *
     * @param float32 the implementation for float32 operands
     * @param float64 the implementation for float64 operands, also the scalar reference
     */
    public Layers(LayersSupport float32, LayersSupport float64) {
        this.float32 = Objects.requireNonNull(float32, "float32");
        this.float64 = Objects.requireNonNull(float64, "float64");
    }

    private LayersSupport impl(NdArray a) {
        return a.dtype() == Dtype.F32 ? float32 : float64;
    }

    /**
     * out(r, j) ← max(x(r, j) + bias[j], 0), a dense layer's bias and ReLU in one pass (bias may be null:
     * out ← max(x, 0)). The same values as {@code binary(ADD, x, bias, t)} then {@code unary(RELU, t, out)}.
     * out may be the very same view as x.
     *
     * @param x the pre-activations [N, K], floating
     * @param bias the bias [K], of x's dtype, or null for no bias
     * @param out the output, of x's shape and dtype
     */
    public void addBiasRelu(NdArray x, NdArray bias, NdArray out) {
        Checks.sameFloating("x", x, "out", out);
        Checks.rank("x", x, 2);
        Checks.sameShape("x", x, "out", out);
        if (bias != null) {
            Checks.sameFloating("x", x, "bias", bias);
            Checks.rank("bias", bias, 1);
            if (bias.dim(0) != x.dim(1)) {
                throw new IllegalArgumentException("bias must have one element per column of x " + x.shape() + ", got "
                        + bias.shape());
            }
            Checks.disjoint("bias", bias, "out", out);
        }
        Checks.writable("out", out);
        Checks.noPartialOverlap("x", x, "out", out);
        impl(out).addBiasRelu(x, bias, out);
    }

    /**
     * The backward of y = relu(z): gz ← g where y ≠ 0, else 0 (relu′ from the saved output; a NaN y passes
     * g), and, if gBias is not null, gBias[j] ← Σ_r gz(r, j), the gradient of a bias added before the ReLU.
     * The same values as {@code where(y, g, 0, gz)} then {@code sum(gz, 0, gBias)}. gz may be the very same
     * view as g or y.
     *
     * @param y the saved ReLU output [N, K], floating
     * @param g the gradient of y, of y's shape
     * @param gz the gradient of the pre-activation, written; of y's shape
     * @param gBias the bias gradient [K], written, or null to skip it
     */
    public void reluBackward(NdArray y, NdArray g, NdArray gz, NdArray gBias) {
        Checks.sameFloating("y", y, "g", g);
        Checks.sameFloating("y", y, "gz", gz);
        Checks.rank("y", y, 2);
        Checks.sameShape("y", y, "g", g);
        Checks.sameShape("y", y, "gz", gz);
        Checks.writable("gz", gz);
        Checks.noPartialOverlap("y", y, "gz", gz);
        Checks.noPartialOverlap("g", g, "gz", gz);
        if (gBias != null) {
            Checks.sameFloating("y", y, "gBias", gBias);
            Checks.rank("gBias", gBias, 1);
            if (gBias.dim(0) != y.dim(1)) {
                throw new IllegalArgumentException("gBias must have one element per column of y " + y.shape() + ", got "
                        + gBias.shape());
            }
            Checks.writable("gBias", gBias);
            Checks.disjoint("y", y, "gBias", gBias);
            Checks.disjoint("g", g, "gBias", gBias);
            Checks.disjoint("gz", gz, "gBias", gBias);
        }
        impl(gz).reluBackward(y, g, gz, gBias);
    }

    /**
     * The gradient of a cross-entropy with respect to the logits, from the saved log-softmax logp [N, K]:
     * out(r, j) ← (e^logp(r, j) − [j = labels[r]])·scale (scale = ∂L/∂loss / N for the mean). Labels must
     * lie in [0, K). out may be the very same view as logp.
     *
     * @param logp the saved log-softmax [N, K], floating
     * @param labels the class of each row, N of them, each in [0, K)
     * @param scale the factor applied to every entry, e.g. ∂L/∂loss / N for the mean
     * @param out the gradient of the logits, of logp's shape and dtype
     */
    public void softmaxCrossEntropyBackward(NdArray logp, int[] labels, double scale, NdArray out) {
        Checks.sameFloating("logp", logp, "out", out);
        Checks.rank("logp", logp, 2);
        Checks.sameShape("logp", logp, "out", out);
        java.util.Objects.requireNonNull(labels, "labels");
        if (labels.length != logp.dim(0)) {
            throw new IllegalArgumentException(labels.length + " labels for " + logp.dim(0) + " rows of logp "
                    + logp.shape());
        }
        for (int r = 0; r < labels.length; r++) {
            if (labels[r] < 0 || labels[r] >= logp.dim(1)) {
                throw new IllegalArgumentException("label " + labels[r] + " of row " + r + " is outside [0, "
                        + logp.dim(1) + ")");
            }
        }
        Checks.writable("out", out);
        Checks.noPartialOverlap("logp", logp, "out", out);
        impl(out).softmaxCrossEntropyBackward(logp, labels, scale, out);
    }
}
