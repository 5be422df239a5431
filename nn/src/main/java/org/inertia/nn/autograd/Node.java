package org.inertia.nn.autograd;

import org.inertia.kernels.Backend;
import org.inertia.kernels.NdArray;

/**
 * The record of one primitive operation in the graph: its inputs and whatever it saved for backward.
 * Each primitive is one subclass that saves exactly what its backward needs. Most ops have one output;
 * ops with several (a recurrent layer's outputs and final states) extend {@link MultiOutputNode}.
 */
public abstract class Node {
    private final Tensor[] inputs;
    private Tensor[] outputs; // set once by Tensor.result/results

    /**
     * Creates the node of an op applied to {@code inputs}.
     *
     * @param inputs the op's input tensors, in argument order (the array is kept, not copied)
     */
    protected Node(Tensor... inputs) {
        this.inputs = inputs;
    }

    /**
     * The operation's inputs, in argument order.
     *
     * @return the array given at construction (not a copy)
     */
    public final Tensor[] inputs() {
        return inputs;
    }

    /** The tensors this node produced (one unless it is a {@link MultiOutputNode}). */
    final Tensor[] outputs() {
        return outputs;
    }

    final void setOutputs(Tensor[] outs) {
        if (outputs != null) {
            throw new IllegalStateException(name() + ": a node records its outputs once");
        }
        outputs = outs;
    }

    /**
     * A short name for error messages, e.g. {@code "matmul"}.
     *
     * @return the op's name
     */
    public abstract String name();

    /**
     * Given ∂L/∂output, hands ∂L/∂input_i to {@code sink} for every input that requires a gradient.
     * Each handed array must be a new array of that input's shape, which the sink takes over.
     *
     * @param backend the backend to compute on (the output's)
     * @param gradOutput ∂L/∂output, same shape as the output; read only, owned by the engine
     * @param sink where to hand each input's gradient
     */
    protected abstract void backward(Backend backend, NdArray gradOutput, GradientSink sink);

    /** The engine's entry: ∂L/∂output_j for each output (null where no gradient reached output j). */
    void backwardAll(Backend backend, NdArray[] gradOutputs, GradientSink sink) {
        backward(backend, gradOutputs[0], sink);
    }

    /** Frees buffers saved for backward; called once backward no longer needs them. */
    protected void release() {
    }

    /** Receives the gradients of a node's inputs. */
    public interface GradientSink {
        /**
         * Whether input {@code i} needs a gradient (so the node can skip computing it).
         *
         * @param i input index, in argument order
         * @return true if input i requires a gradient
         */
        boolean wants(int i);

        /**
         * Takes ownership of {@code grad} as a contribution to ∂L/∂input_i.
         *
         * @param i input index, in argument order
         * @param grad the contribution, input i's shape; the sink takes ownership
         */
        void accept(int i, NdArray grad);

        /**
         * A buffer into which the node may add (+=) its contribution to ∂L/∂input_i itself, instead of
         * handing a new array to {@link #accept}; null when the engine cannot allow that, and the node
         * must then call {@code accept}. It is the accumulated {@link Tensor#grad()} of input i when that
         * input is a leaf that requires a gradient and already has a gradient buffer (and anomaly mode is
         * off, which checks each contribution before it is added). The result is the same sum; what it
         * saves is a temporary the size of the input: its allocation, the zero fill or write, and one more
         * read-add-write pass. For a layer's weight that is a third of the memory traffic of its gradient,
         * e.g. a GEMM with β = 1 straight into the weight's gradient.
         *
         * <p>A node that adds into the returned buffer must not also {@code accept} a contribution for
         * input i from the same call (it may, but then both are added).
         *
         * @param i input index, in argument order
         * @return the buffer to add into (input i's shape, owned by the engine), or {@code null} if the node
         *     must {@code accept} a new array
         */
        default NdArray accumulator(int i) {
            return null;
        }
    }
}
