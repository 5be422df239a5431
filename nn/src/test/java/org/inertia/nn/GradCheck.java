package org.inertia.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.Function;
import org.inertia.kernels.Dtype;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.GradMode;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;

/**
 * Finite-difference gradient check in double precision. The op's output is reduced to a scalar
 * L = Σ w ⊙ f(x) with fixed random weights w (so every output element's gradient path is tested), and
 * each input element's analytic ∂L/∂x is compared with the central difference
 * (L(x + h) − L(x − h)) / 2h, h = 1e-6.
 *
 * <p>Tolerance: the central difference errs by ≈ h²/6·|L'''| (truncation, ~1e-13 for the smooth ops
 * here with O(1) derivatives) plus ≈ eps64·|L|/h (rounding, ~1e-10·|L|); we allow
 * 1e-6·max(1, |∂L/∂x|) + 1e-9·|L|, far above both and far below any real gradient bug (O(1) errors).
 */
public final class GradCheck {
    private static final double H = 1e-6;

    private GradCheck() {
    }

    /** Checks every input's gradient of {@code f} at the given float64 points (the arrays are not taken over). */
    public static void check(String name, Function<Tensor[], Tensor> f, long seed, NdArray... points) {
        Tensor[] params = new Tensor[points.length];
        for (int i = 0; i < points.length; i++) {
            if (points[i].dtype() != Dtype.F64) {
                throw new IllegalArgumentException("gradient checks run in F64");
            }
            params[i] = Tensor.parameter(points[i].copy());
        }
        NdArray w;
        try (TensorScope scope = TensorScope.open()) {
            Tensor out = f.apply(params);
            Random r = new Random(seed);
            w = NdArray.zeros(Dtype.F64, out.shape());
            w.forEachOffset(o -> w.setAtOffset(o, r.nextGaussian()));
            Tensor loss = out.mul(Tensor.constant(w.view())).sum();
            loss.backward();
        }
        for (int p = 0; p < params.length; p++) {
            NdArray x = params[p].data();
            NdArray grad = params[p].grad();
            long n = x.numel();
            for (long k = 0; k < n; k++) {
                long off = x.offset() + k; // parameters are contiguous copies
                double orig = x.getAtOffset(off);
                x.setAtOffset(off, orig + H);
                double up = loss(f, params, w);
                x.setAtOffset(off, orig - H);
                double down = loss(f, params, w);
                x.setAtOffset(off, orig);
                double numeric = (up - down) / (2 * H);
                double analytic = grad == null ? 0 : grad.getAtOffset(grad.offset() + k);
                double tol = 1e-6 * Math.max(1, Math.abs(analytic)) + 1e-9 * Math.abs(up);
                long kk = k;
                int pp = p;
                assertTrue(Math.abs(numeric - analytic) <= tol, () -> name + ": input " + pp + " element " + kk
                        + " analytic " + analytic + " numeric " + numeric);
            }
        }
        w.close();
        for (Tensor t : params) {
            t.close();
        }
    }

    private static double loss(Function<Tensor[], Tensor> f, Tensor[] params, NdArray w) {
        try (var off = GradMode.off(); TensorScope scope = TensorScope.open()) {
            return f.apply(params).mul(Tensor.constant(w.view())).sum().item();
        }
    }

    /** A float64 array of the given shape with standard normal entries. */
    public static NdArray randn(Random r, int... dims) {
        NdArray a = NdArray.zeros(Dtype.F64, dims);
        a.forEachOffset(o -> a.setAtOffset(o, r.nextGaussian()));
        return a;
    }
}
