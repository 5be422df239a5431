package org.inertia.nn.rnn;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.inertia.nn.autograd.GradNormClip;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;
import org.inertia.nn.ops.Shapes;

/**
 * Truncated backpropagation through time: the sequence is cut into segments of k steps; each segment
 * runs forward from the previous segment's final states — copied and cut from the graph (momentum v
 * and m included) — and backward through its own loss only. Every segment runs in its own
 * {@link TensorScope}, so memory is that of one segment.
 */
public final class TruncatedBptt {
    private TruncatedBptt() {
    }

    /** The loss of one segment from its outputs [B, k, H] and final states, or null for no loss there. */
    @FunctionalInterface
    public interface SegmentLoss {
        /**
         * The loss of one segment.
         *
         * @param segment the segment's outputs [B, k, H] (fewer steps for the last segment) and final states
         * @param start   the index of the segment's first step in the whole sequence
         * @return a one-element loss tensor to backpropagate, or null for no loss in this segment
         */
        Tensor apply(Rnn.Output segment, int start);
    }

    /**
     * Runs x [B, T, I] through {@code rnn} in segments of {@code k} steps from zero states. After each
     * segment's backward (gradients accumulate into the parameters), {@code afterBackward} gets the
     * parameters — the place for gradient clipping ({@link GradNormClip}) and an optimizer step; may be null.
     * Returns the sum of the segment losses.
     *
     * @param rnn           the network; its parameters accumulate the gradients
     * @param x             the batch-first input [B, T, I]
     * @param k             the segment length in steps, ≥ 1; the last segment may be shorter
     * @param loss          the loss of each segment
     * @param afterBackward called with {@code rnn.parameters()} after each segment's backward, or null
     * @return the sum of the segment losses' values
     * @throws IllegalArgumentException if k &lt; 1, or the network rejects x
     */
    public static double run(Rnn rnn, Tensor x, int k, SegmentLoss loss, Consumer<List<Tensor>> afterBackward) {
        if (k < 1) {
            throw new IllegalArgumentException("segment length k must be >= 1, got " + k);
        }
        int steps = x.shape().dim(1);
        List<CellState> carried = null;
        double total = 0;
        try {
            for (int start = 0; start < steps; start += k) {
                int end = Math.min(steps, start + k);
                List<CellState> next = new ArrayList<>();
                try (TensorScope scope = TensorScope.open()) {
                    Tensor seg = Shapes.slice(x, 1, start, end);
                    Rnn.Output out = rnn.forward(seg, carried);
                    Tensor l = loss.apply(out, start);
                    if (l != null) {
                        total += l.item();
                        l.backward();
                        if (afterBackward != null) {
                            afterBackward.accept(rnn.parameters());
                        }
                    }
                    for (CellState s : out.finalStates()) {
                        next.add(s.detachedCopy());
                    }
                }
                close(carried);
                carried = next;
            }
        } finally {
            close(carried);
        }
        return total;
    }

    private static void close(List<CellState> states) {
        if (states != null) {
            states.forEach(CellState::close);
        }
    }
}
