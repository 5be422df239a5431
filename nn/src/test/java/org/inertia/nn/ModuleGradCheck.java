package org.inertia.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.GradMode;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;

/**
 * {@link GradCheck} for a module's own parameters and its input: L = Σ w ⊙ f(x) with fixed random w; the
 * analytic gradient of every parameter element and input element is compared with the central
 * difference, perturbing the parameter in place. Same step and tolerance as {@link GradCheck} (see there
 * for the derivation).
 */
public final class ModuleGradCheck {
    private static final double H = 1e-6;

    private ModuleGradCheck() {
    }

    /** Checks ∂L/∂x and ∂L/∂θ for every parameter θ of {@code module}; {@code x} (F64) is not taken over. */
    public static void check(String name, Module module, Function<Tensor, Tensor> f, long seed, NdArray x) {
        if (x.dtype() != Dtype.F64) {
            throw new IllegalArgumentException("gradient checks run in F64");
        }
        module.zeroGrad();
        List<Tensor> params = new ArrayList<>(module.parameters());
        Tensor input = Tensor.parameter(x.copy());
        params.add(input);
        NdArray w;
        try (TensorScope scope = TensorScope.open()) {
            Tensor out = f.apply(input);
            Random r = new Random(seed);
            w = NdArray.zeros(Dtype.F64, out.shape());
            w.forEachOffset(o -> w.setAtOffset(o, r.nextGaussian()));
            out.mul(Tensor.constant(w.view())).sum().backward();
        }
        for (int p = 0; p < params.size(); p++) {
            NdArray d = params.get(p).data();
            NdArray grad = params.get(p).grad();
            long[] k = {0};
            int pp = p;
            d.forEachOffset(off -> {
                double orig = d.getAtOffset(off);
                d.setAtOffset(off, orig + H);
                double up = loss(f, input, w);
                d.setAtOffset(off, orig - H);
                double down = loss(f, input, w);
                d.setAtOffset(off, orig);
                double numeric = (up - down) / (2 * H);
                long kk = k[0]++;
                double analytic = grad == null ? 0 : grad.getAtOffset(grad.offset() + kk);
                double tol = 1e-6 * Math.max(1, Math.abs(analytic)) + 1e-9 * Math.abs(up);
                assertTrue(Math.abs(numeric - analytic) <= tol, () -> name + ": parameter " + pp + " of "
                        + params.size() + " (shape " + d.shape() + ") element " + kk + " analytic " + analytic
                        + " numeric " + numeric);
            });
        }
        w.close();
        input.close();
    }

    private static double loss(Function<Tensor, Tensor> f, Tensor x, NdArray w) {
        try (var off = GradMode.off(); TensorScope scope = TensorScope.open()) {
            return f.apply(x).mul(Tensor.constant(w.view())).sum().item();
        }
    }
}
