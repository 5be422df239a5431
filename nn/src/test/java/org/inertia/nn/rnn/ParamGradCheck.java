package org.inertia.nn.rnn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Supplier;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.GradMode;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;

/**
 * {@code GradCheck} for modules: the analytic gradient of L = Σ w ⊙ f() with fixed random weights w,
 * w.r.t. existing parameter tensors (a cell's weights, an input made a parameter), against a
 * finite-difference derivative in float64, perturbing each parameter element in place.
 *
 * <p>The derivative is the central difference D(h) = (L(x + h) − L(x − h)) / 2h at h = 1e-6 and at h/2,
 * Richardson-extrapolated: R = (4·D(h/2) − D(h)) / 3. Since D(h) = L′ + h²·L‴/6 + h⁴·L⁽⁵⁾/120 + …, the
 * h² terms cancel and R = L′ − h⁴·L⁽⁵⁾/480 + O(h⁶).
 *
 * <p>Tolerance 1e-6·max(1, |∂L/∂x|) + 3e-9·|L|, from the two error sources:
 * <ul>
 *   <li>Truncation, h⁴/480·|L⁽⁵⁾| ≈ 2e-27·|L⁽⁵⁾|, is under the 1e-6 term while |L⁽⁵⁾| ≤ 5e20. The cells'
 *       σ, tanh and products have O(1) derivatives, far inside that. The AdamLSTM family is not smooth
 *       everywhere: its first step from a zero second moment is a step of width 1e-8 at u = 0, whose
 *       L⁽⁵⁾ grows like |u|⁻⁷; callers keep draws at least {@code RecurrentGradientTest.RMS_STEP_MARGIN}
 *       away from it, where the bound holds with a wide margin (derivation there). The plain central
 *       difference, h²/6·|L‴| with L‴ ~ |u|⁻⁵, needed about 3× that distance.</li>
 *   <li>Rounding: each L is evaluated to about η·|L| with η ≈ 1e-15 (a few ulps over the sums), so D(h)
 *       errs by η|L|/h, D(h/2) by 2η|L|/h and R by (4·2 + 1)/3·η|L|/h = 3η|L|/h ≈ 3e-9·|L|.</li>
 * </ul>
 * Both are far below what a wrong gradient (a missing term, a sign, a factor) produces: O(1) relative.
 */
final class ParamGradCheck {
    /** The coarser of the two steps; the finer is H/2. */
    static final double H = 1e-6;

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
                double[] up = new double[1];
                double numeric = richardson(h -> {
                    x.setAtOffset(off, orig + h);
                    up[0] = loss(f, w);
                    x.setAtOffset(off, orig - h);
                    double down = loss(f, w);
                    x.setAtOffset(off, orig);
                    return (up[0] - down) / (2 * h);
                });
                double analytic = grad == null ? 0 : grad.getAtOffset(grad.offset() + k);
                double tol = 1e-6 * Math.max(1, Math.abs(analytic)) + 3e-9 * Math.abs(up[0]);
                long kk = k;
                int pp = p;
                assertTrue(Math.abs(numeric - analytic) <= tol, () -> name + ": parameter " + pp + " element " + kk
                        + " analytic " + analytic + " numeric " + numeric);
            }
        }
        w.close();
    }

    /** (4·D(H/2) − D(H)) / 3 for the central difference D(h): the h² error terms cancel (see the class comment). */
    static double richardson(DoubleUnaryOperator centralDifference) {
        double coarse = centralDifference.applyAsDouble(H);
        double fine = centralDifference.applyAsDouble(H / 2);
        return (4 * fine - coarse) / 3;
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
