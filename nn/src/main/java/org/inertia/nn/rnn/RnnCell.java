package org.inertia.nn.rnn;

import java.util.random.RandomGenerator;
import org.inertia.kernels.Dtype;
import org.inertia.nn.DefaultGenerator;
import org.inertia.nn.autograd.Tensor;

/** Elman RNN cell: h' = tanh(W_ih x + b_ih + W_hh h + b_hh). */
public final class RnnCell extends RecurrentCell {
    /**
     * A float32 cell with PyTorch's initialization, drawn from {@link DefaultGenerator#next()}.
     *
     * @param inputSize  I ≥ 1, the input features per step
     * @param hiddenSize H ≥ 1, the hidden features
     * @throws IllegalArgumentException if a size is below 1
     */
    public RnnCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, RecurrentInit.PYTORCH, Dtype.F32, DefaultGenerator.next());
    }

    /**
     * A cell of {@code dtype} initialized by {@code init} from {@code rnd}.
     *
     * @param inputSize  I ≥ 1, the input features per step
     * @param hiddenSize H ≥ 1, the hidden features
     * @param init       how the weights and biases are initialized
     * @param dtype      the parameters' element type, F32 or F64
     * @param rnd        the generator the initial weights are drawn from
     * @throws IllegalArgumentException if a size is below 1 or {@code dtype} is not F32 or F64
     * @throws NullPointerException if {@code init} or {@code rnd} is null
     */
    public RnnCell(int inputSize, int hiddenSize, RecurrentInit init, Dtype dtype, RandomGenerator rnd) {
        super(inputSize, hiddenSize, 1, false, init, dtype, rnd);
    }

    @Override
    public CellState step(Tensor u, CellState s) {
        Tensor h = RecurrentOps.affine(u, s.h(), weightHh, biasHh).tanh();
        return new CellState(h, null, null, null, s.step() + 1);
    }
}
