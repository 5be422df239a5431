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
