package org.inertia.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.GradMode;
import org.inertia.nn.Tensor;
import org.inertia.nn.TensorScope;

/**
 * {@code GradCheck} for modules: the analytic gradient of L = Σ w ⊙ f() with fixed random weights w,
 * w.r.t. existing parameter tensors (a cell's weights, an input made a parameter), against central
 * differences with h = 1e-6 in float64, perturbing each parameter element in place. Same tolerance
 * and derivation as {@code GradCheck}: 1e-6·max(1, |∂L/∂x|) + 1e-9·|L|.
 */
final class ParamGradCheck {
    private static final double H = 1e-6;

    private ParamGradCheck() {
    }

    static void check(String name, Supplier<Tensor> f, List<Tensor> params, long seed) {
        for (Tensor p : params) {
            if (p.dtype() != Dtype.F64) {
                throw new IllegalArgumentException("gradient checks run in F64");
            }
            p.zeroGrad();
        }
        NdArray w;
        try (TensorScope scope = TensorScope.open()) {
            Tensor out = f.get();
            Random r = new Random(seed);
            w = NdArray.zeros(Dtype.F64, out.shape());
            w.forEachOffset(o -> w.setAtOffset(o, r.nextGaussian()));
            out.mul(Tensor.constant(w.view())).sum().backward();
        }
        for (int p = 0; p < params.size(); p++) {
            NdArray x = params.get(p).data();
            NdArray grad = params.get(p).grad();
            for (long k = 0; k < x.numel(); k++) {
                long off = x.offset() + k;
                double orig = x.getAtOffset(off);
                x.setAtOffset(off, orig + H);
                double up = loss(f, w);
                x.setAtOffset(off, orig - H);
                double down = loss(f, w);
                x.setAtOffset(off, orig);
                double numeric = (up - down) / (2 * H);
                double analytic = grad == null ? 0 : grad.getAtOffset(grad.offset() + k);
                double tol = 1e-6 * Math.max(1, Math.abs(analytic)) + 1e-9 * Math.abs(up);
                long kk = k;
                int pp = p;
                assertTrue(Math.abs(numeric - analytic) <= tol, () -> name + ": parameter " + pp + " element " + kk
                        + " analytic " + analytic + " numeric " + numeric);
            }
        }
        w.close();
    }

    private static double loss(Supplier<Tensor> f, NdArray w) {
        try (var off = GradMode.off(); TensorScope scope = TensorScope.open()) {
            return f.get().mul(Tensor.constant(w.view())).sum().item();
        }
    }

    static Tensor randnParam(Random r, int... dims) {
        NdArray a = NdArray.zeros(Dtype.F64, dims);
        a.forEachOffset(o -> a.setAtOffset(o, r.nextGaussian()));
        return Tensor.parameter(a);
    }
}
