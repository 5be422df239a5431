package org.inertia.nn.autograd;

import org.inertia.kernels.Backend;
import org.inertia.kernels.NdArray;

/**
 * A primitive with several outputs, made with {@link Tensor#results}: backward runs once, after the
 * gradients of all its outputs are complete, and gets them together. An output that no gradient
 * reached comes as {@code null} (read it as zero, and skip its work).
 */
public abstract class MultiOutputNode extends Node {
    /**
     * Creates the node of an op applied to {@code inputs}.
     *
     * @param inputs the op's input tensors, in argument order
     */
    protected MultiOutputNode(Tensor... inputs) {
        super(inputs);
    }

    /**
     * Hands ∂L/∂input_i to {@code sink} given ∂L/∂output_j ({@code null} meaning zero) for every output j.
     *
     * @param backend the backend to compute on
     * @param gradOutputs ∂L/∂output_j by output index, each that output's shape or {@code null}; read only
     * @param sink where to hand each input's gradient
     */
    protected abstract void backward(Backend backend, NdArray[] gradOutputs, GradientSink sink);

    @Override
    protected final void backward(Backend backend, NdArray gradOutput, GradientSink sink) {
        backward(backend, new NdArray[] {gradOutput}, sink);
    }

    @Override
    final void backwardAll(Backend backend, NdArray[] gradOutputs, GradientSink sink) {
        backward(backend, gradOutputs, sink);
    }
}
