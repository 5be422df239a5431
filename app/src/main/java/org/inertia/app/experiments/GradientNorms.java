package org.inertia.app.experiments;

import java.util.ArrayList;
import java.util.List;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;
import org.inertia.nn.rnn.CellState;
import org.inertia.nn.rnn.RecurrentCell;

/**
 * ‖∂L/∂h_t‖ for every time step t (MomentumRNN paper, Fig. "ℓ2 norm of the gradients of the loss w.r.t. the
 * state h_t"): BPTT gives ∂L/∂h_t = ∂L/∂h_T · Π_{k=t}^{T−1} ∂h_{k+1}/∂h_k, which for the Elman RNN is
 * Π D_k Uᵀ and vanishes as T − t grows; the momentum cell adds μΣ_k to each factor, which the paper argues
 * keeps the norm larger far from T. Measured with {@link Tensor#retainGrad()} on each h_t of one batch,
 * stepping the model's cell by hand; the norm is the Frobenius norm over the batch of the gradient of
 * the batch-mean loss.
 */
public final class GradientNorms {
    private GradientNorms() {
    }

    /** ‖∂L/∂h_t‖ for t = 0 … T−1 on batch {@code b} (the model's single recurrent layer). */
    public static double[] of(SequenceModel model, SequenceTask.Batch b, int[] readout) {
        RecurrentCell cell = model.rnn().cells().getFirst();
        int steps = b.inputs().dim(1);
        double[] norms = new double[steps];
        try (TensorScope scope = TensorScope.open()) {
            Tensor x = Tensor.constant(b.inputs());
            CellState s = cell.initialState(b.size());
            List<Tensor> hs = new ArrayList<>(steps);
            for (int t = 0; t < steps; t++) {
                Tensor xt = org.inertia.nn.ops.Shapes.select(x, 1, t);
                s = cell.forward(xt, s);
                hs.add(s.h().retainGrad());
            }
            List<Tensor> read = new ArrayList<>();
            for (int t : readout) {
                read.add(hs.get(t));
            }
            model.readout(read, b).loss().backward();
            for (int t = 0; t < steps; t++) {
                var g = hs.get(t).grad();
                norms[t] = g == null ? 0 : hs.get(t).backend().blas1().nrm2(g.reshape((int) g.numel()));
            }
        }
        model.zeroGrad();
        return norms;
    }
}
