package org.inertia.kernels;

/**
 * One implementation of the fused layer kernels (bias + ReLU, ReLU backward with the bias gradient,
 * softmax cross-entropy backward): {@code cpu.LayersScalar} (double precision, any floating dtype) or
 * {@code simd.LayersSimd} (float32), picked once by {@code cpu.LayersProvider}. Callers go through the
 * validating facade {@link Layers}; implementations assume valid operands: rank-2 [rows, cols] views of
 * any strides, a bias rank-1 [cols], labels in [0, cols), outputs that are either the very same view as an
 * input or disjoint from it. Each method gives the values of the unfused ops it replaces.
 */
public interface LayersSupport {
    /**
     * out(r, j) ← max(x(r, j) + bias[j], 0); bias may be null.
     *
     * @param x the pre-activations [N, K]
     * @param bias the bias [K], or null for no bias
     * @param out the output, of x's shape
     */
    void addBiasRelu(NdArray x, NdArray bias, NdArray out);

    /**
     * gz ← g where y ≠ 0, else 0; gBias (may be null) ← column sums of gz.
     *
     * @param y the saved ReLU output [N, K]
     * @param g the gradient of y, of y's shape
     * @param gz the gradient of the pre-activation, written; of y's shape
     * @param gBias the bias gradient [K], written, or null to skip it
     */
    void reluBackward(NdArray y, NdArray g, NdArray gz, NdArray gBias);

    /**
     * out(r, j) ← (e^logp(r, j) − [j = labels[r]])·scale.
     *
     * @param logp the saved log-softmax [N, K]
     * @param labels the class of each row, each in [0, K)
     * @param scale the factor applied to every entry
     * @param out the gradient of the logits, of logp's shape
     */
    void softmaxCrossEntropyBackward(NdArray logp, int[] labels, double scale, NdArray out);
}
