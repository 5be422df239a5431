package org.inertia.nn.rnn;

import java.util.ArrayList;
import java.util.List;
import org.inertia.nn.Module;
import org.inertia.nn.autograd.Tensor;

/**
 * A multi-layer recurrent network over batch-first sequences x [B, T, I], for any {@link RecurrentCell}
 * (so also the LSTM and the MomentumRNN family; {@link Lstm} is the plain-LSTM shorthand). Layer l
 * reads layer l−1's outputs. Each layer runs {@link RecurrentCell#sequence}: one GEMM projects the whole
 * input sequence, then the recurrence runs — for the LSTM family as one fused node per layer, for the
 * other cells step by step; backward through the returned tensors is BPTT over the full sequence. For
 * truncated BPTT see {@link TruncatedBptt}.
 */
public class Rnn extends Module {
    private final List<RecurrentCell> cells = new ArrayList<>();

    /** Makes the cell of layer {@code layer} for the given input and hidden sizes. */
    @FunctionalInterface
    public interface CellFactory {
        /**
         * Makes one layer's cell.
         *
         * @param inputSize  the cell's input features: the network's input size for layer 0, else the hidden size
         * @param hiddenSize the cell's hidden features
         * @param layer      the layer index, from 0
         * @return a new cell with these sizes; the network registers it as a sub-module
         */
        RecurrentCell create(int inputSize, int hiddenSize, int layer);
    }

    /**
     * The outputs [B, T, H] of the last layer, and every layer's final state.
     *
     * @param output      the last layer's hidden state at every step, [B, T, H]
     * @param finalStates each layer's state after the last step, layer 0 first
     */
    public record Output(Tensor output, List<CellState> finalStates) {
        /**
         * The last layer's final hidden state [B, H].
         *
         * @return the h of the last entry of {@link #finalStates()} (not a copy)
         */
        public Tensor lastHidden() {
            return finalStates.get(finalStates.size() - 1).h();
        }
    }

    /**
     * A network of {@code layers} cells made by {@code factory}.
     *
     * @param inputSize  I, the input features per step (layer 0's input size)
     * @param hiddenSize H, every layer's hidden features (the input size of layers 1 and up)
     * @param layers     the number of layers, ≥ 1
     * @param factory    makes each layer's cell
     * @throws IllegalArgumentException if {@code layers} &lt; 1, or the factory rejects a size
     */
    public Rnn(int inputSize, int hiddenSize, int layers, CellFactory factory) {
        if (layers < 1) {
            throw new IllegalArgumentException("layers must be >= 1, got " + layers);
        }
        for (int l = 0; l < layers; l++) {
            RecurrentCell cell = factory.create(l == 0 ? inputSize : hiddenSize, hiddenSize, l);
            cells.add(module("cell" + l, cell));
        }
    }

    /**
     * The layers' cells.
     *
     * @return an unmodifiable list of the cells, layer 0 first
     */
    public List<RecurrentCell> cells() {
        return List.copyOf(cells);
    }

    /**
     * Runs the sequence from zero states.
     *
     * @param x the batch-first input [B, T, I], T ≥ 1
     * @return the last layer's outputs and every layer's final state, owned like any op result
     * @throws IllegalArgumentException if x is not rank 3, T = 0, or its features or dtype do not match
     */
    public Output forward(Tensor x) {
        return forward(x, null);
    }

    /**
     * Runs x [B, T, I] from the given initial states (one per layer; null for zero states), returning
     * the last layer's outputs and the final states.
     *
     * @param x       the batch-first input [B, T, I], T ≥ 1
     * @param initial one state per layer (an entry may be null for zero), or null for zero states everywhere
     * @return the last layer's outputs and every layer's final state, owned like any op result
     * @throws IllegalArgumentException if x is not rank 3, T = 0, its features or dtype do not match, or
     *                                  {@code initial} has not one entry per layer
     * @throws NullPointerException if x is null
     */
    public Output forward(Tensor x, List<CellState> initial) {
        java.util.Objects.requireNonNull(x, "x");
        if (x.shape().rank() != 3) {
            throw new IllegalArgumentException("recurrent input must be batch-first [B, T, I], got " + x.shape());
        }
        if (initial != null && initial.size() != cells.size()) {
            throw new IllegalArgumentException("need " + cells.size() + " initial states, got " + initial.size());
        }
        int batch = x.shape().dim(0);
        int steps = x.shape().dim(1);
        if (steps == 0) {
            throw new IllegalArgumentException("sequence of length 0: " + x.shape());
        }
        Tensor in = x;
        List<CellState> finals = new ArrayList<>();
        for (int l = 0; l < cells.size(); l++) {
            RecurrentCell cell = cells.get(l);
            CellState s = initial == null || initial.get(l) == null ? cell.initialState(batch) : initial.get(l);
            RecurrentCell.Sequence seq = cell.sequence(in, s);
            finals.add(seq.last());
            in = seq.outputs();
        }
        return new Output(in, finals);
    }
}
