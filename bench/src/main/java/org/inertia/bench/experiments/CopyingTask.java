package org.inertia.bench.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.Tensor;
import org.inertia.nn.TensorScope;
import org.inertia.nn.ops.Shapes;
import org.inertia.nn.rnn.GradClip;
import org.inertia.nn.rnn.Init;
import org.inertia.nn.rnn.Lstm;
import org.inertia.optim.Adam;
import org.inertia.optim.Params;

/**
 * The copying task (momentum notes, experiment 5): K symbols from an alphabet are shown, then blanks and a
 * "go" marker; the network must output the K symbols in order at the last K steps. Chance cross-entropy is
 * ln(alphabet). An LSTM trained with Adam (optim module) and gradient clipping over full BPTT.
 */
public final class CopyingTask {
    private CopyingTask() {
    }

    /** Per-iteration training loss (cross-entropy over the K output steps). */
    public static double[] train(int alphabet, int k, int delay, int hidden, int batch, int iterations, long seed) {
        int steps = k + delay + k;
        int in = alphabet + 2; // symbols, blank, go
        Random r = new Random(seed);
        double[] losses = new double[iterations];
        Dtype f32 = Dtype.F32;
        NdArray w = NdArray.zeros(f32, hidden, alphabet);
        double bound = 1 / Math.sqrt(hidden);
        w.forEachOffset(o -> w.setAt(o, (r.nextDouble() * 2 - 1) * bound));
        try (Lstm lstm = new Lstm(in, hidden, 1, Init.PYTORCH, f32, r);
             Tensor wOut = Tensor.parameter(w);
             Tensor bOut = Tensor.parameter(NdArray.zeros(f32, alphabet))) {
            List<Tensor> params = new ArrayList<>(lstm.parameters());
            params.add(wOut);
            params.add(bOut);
            Adam adam = null;
            for (int it = 0; it < iterations; it++) {
                var data = org.inertia.nn.data.CopyTaskBatch.sample(r, f32, batch, alphabet, k, delay);
                try (TensorScope scope = TensorScope.open(); Tensor x = Tensor.constant(data.inputs());
                     Tensor y = Tensor.constant(data.targets())) {
                    Tensor out = lstm.forward(x).output(); // [B, T, H]
                    Tensor tail = Shapes.slice(out, 1, steps - k, steps).reshape(batch * k, hidden);
                    Tensor logits = tail.matmul(wOut).add(bOut);
                    Tensor loss = logits.logSoftmax(1).mul(y).sum().neg()
                            .mul(Tensor.constant(NdArray.scalar(f32, 1.0 / (batch * k))));
                    losses[it] = loss.item();
                    loss.backward();
                    GradClip.clipGradNorm(params, 5.0);
                    if (adam == null) { // gradient buffers exist after the first backward
                        adam = new Adam();
                        List<Params> ps = new ArrayList<>();
                        for (Tensor p : params) {
                            ps.add(new Params(p.data(), p.grad()));
                        }
                        adam.addGroup(Adam.hyper().lr(0.01).build(), ps);
                    }
                    adam.step();
                    for (Tensor p : params) {
                        p.zeroGrad();
                    }
                }
            }
            adam.close();
        }
        return losses;
    }
}
