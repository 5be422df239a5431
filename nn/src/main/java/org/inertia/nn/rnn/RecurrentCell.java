package org.inertia.nn.rnn;

import java.util.Random;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.Module;
import org.inertia.nn.Tensor;

/**
 * A recurrent cell: parameters W_ih [N, I], W_hh [N, H], b_ih [N], b_hh [N] (PyTorch names and
 * layouts, N = gates·H) and one step of the recurrence. A step takes the input already projected,
 * u = x·W_ihᵀ + b_ih, so that a layer can project a whole sequence with one GEMM ({@link Projection});
 * {@link #forward} does a single step from x.
 */
public abstract class RecurrentCell extends Module {
    protected final int inputSize;
    protected final int hiddenSize;
    protected final Dtype dtype;
    protected final Tensor weightIh;
    protected final Tensor weightHh;
    protected final Tensor biasIh;
    protected final Tensor biasHh;

    protected RecurrentCell(int inputSize, int hiddenSize, int gates, boolean hasForgetGate, Init init, Dtype dtype,
            Random rnd) {
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException("input and hidden sizes must be positive, got " + inputSize + ", "
                    + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.dtype = dtype;
        int n = gates * hiddenSize;
        NdArray wih;
        NdArray whh;
        NdArray bih;
        NdArray bhh;
        if (init == Init.PYTORCH) {
            double k = 1 / Math.sqrt(hiddenSize);
            wih = Init.uniform(dtype, rnd, k, n, inputSize);
            whh = Init.uniform(dtype, rnd, k, n, hiddenSize);
            bih = Init.uniform(dtype, rnd, k, n);
            bhh = Init.uniform(dtype, rnd, k, n);
        } else {
            wih = Init.orthogonal(dtype, rnd, n, inputSize);
            whh = Init.eye(dtype, n, hiddenSize);
            bih = NdArray.zeros(dtype, n);
            bhh = NdArray.zeros(dtype, n);
            if (hasForgetGate) {
                for (int j = hiddenSize; j < 2 * hiddenSize; j++) {
                    bih.set(1, j);
                    bhh.set(1, j);
                }
            }
        }
        weightIh = parameter("weight_ih", Tensor.parameter(wih));
        weightHh = parameter("weight_hh", Tensor.parameter(whh));
        biasIh = parameter("bias_ih", Tensor.parameter(bih));
        biasHh = parameter("bias_hh", Tensor.parameter(bhh));
    }

    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    public Dtype dtype() {
        return dtype;
    }

    public Tensor weightIh() {
        return weightIh;
    }

    public Tensor weightHh() {
        return weightHh;
    }

    public Tensor biasIh() {
        return biasIh;
    }

    public Tensor biasHh() {
        return biasHh;
    }

    /** Whether the state has an LSTM memory c. */
    protected boolean hasMemory() {
        return false;
    }

    /** The zero state at sequence start for a batch of {@code batch} (tensors owned by the current scope). */
    public CellState initialState(int batch) {
        Tensor h = RecurrentOps.zeros(weightHh.backend(), dtype, batch, hiddenSize);
        Tensor c = hasMemory() ? RecurrentOps.zeros(weightHh.backend(), dtype, batch, hiddenSize) : null;
        return new CellState(h, c, null, null, 0);
    }

    /** One step from the projected input u = x·W_ihᵀ + b_ih [B, N]. */
    public abstract CellState step(Tensor u, CellState state);

    /** One step from the input x [B, I]. */
    public CellState forward(Tensor x, CellState state) {
        return step(RecurrentOps.affine(null, x, weightIh, biasIh), state);
    }
}
