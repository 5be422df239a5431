package org.inertia.nn.rnn;

import java.util.random.RandomGenerator;
import org.inertia.kernels.Checks;
import org.inertia.kernels.Dtype;
import org.inertia.nn.autograd.Tensor;

/**
 * MomentumRNN cell (Nguyen et al. 2020): v' = μ v + s (W_ih x + b_ih); h' = tanh(W_hh h + b_hh + v').
 * The input term carries PyTorch's b_ih like the other cells; v starts at zero.
 */
public final class MomentumRnnCell extends RecurrentCell {
    private final double mu;
    private final double s;

    /**
     * A MomentumRNN cell.
     *
     * @param inputSize  I ≥ 1, the input features per step
     * @param hiddenSize H ≥ 1, the hidden features
     * @param mu         μ in [0, 1), the momentum of the input term
     * @param s          s, finite and &gt; 0, the step size scaling the projected input
     * @param init       how the weights and biases are initialized
     * @param dtype      the parameters' element type, F32 or F64
     * @param rnd        the generator the initial weights are drawn from
     * @throws IllegalArgumentException if μ or s is out of range, a size is below 1, or {@code dtype} is
     *                                  not F32 or F64
     * @throws NullPointerException if {@code init} or {@code rnd} is null
     */
    public MomentumRnnCell(int inputSize, int hiddenSize, double mu, double s, RecurrentInit init, Dtype dtype, RandomGenerator rnd) {
        Checks.unit("mu", mu);
        Checks.positive("s", s);
        super(inputSize, hiddenSize, 1, false, init, dtype, rnd);
        this.mu = mu;
        this.s = s;
    }

    @Override
    public CellState step(Tensor u, CellState st) {
        Tensor v = RecurrentOps.linComb(mu, st.v(), s, u);
        Tensor h = RecurrentOps.affine(v, st.h(), weightHh, biasHh).tanh();
        return new CellState(h, null, v, null, st.step() + 1);
    }
}
