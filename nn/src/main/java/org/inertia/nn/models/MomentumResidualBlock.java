package org.inertia.nn.models;

import org.inertia.kernels.Backend;
import org.inertia.kernels.BinaryOp;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.layers.Layer;
import org.inertia.nn.ops.Axpby;

/**
 * One momentum residual step (Sander, Ablin, Blondel, Peyré, ICML 2021, "Momentum residual neural
 * networks") around a shape-preserving residual function f:
 *
 * <pre>
 *   v_{t+1} = γ·v_t + (1 − γ)·f(x_t),    x_{t+1} = x_t + v_{t+1}
 * </pre>
 *
 * and its exact inverse {@code x_t = x_{t+1} − v_{t+1}}, {@code v_t = (v_{t+1} − (1 − γ)·f(x_t)) / γ}, which
 * lets {@link MomentumNet} recompute activations in backward instead of storing them.
 *
 * <p>Relation to the lecture notes' form (Nguyen &amp; Wang's momentum block), y_{k+1} = x_k − μ f(x_k),
 * x_{k+1} = y_{k+1} + ν (y_{k+1} − y_k): both read a ResNet step x + f(x) as an optimization step with f
 * in the role of −∇ and add momentum. Eliminating v here gives the heavy-ball recursion
 * x_{t+1} = x_t + (1 − γ)·f(x_t) + γ·(x_t − x_{t−1}) (step size 1 − γ, momentum γ, f at the current point),
 * while the notes' form is Nesterov's: the y-stream is a plain step y_{k+1} = x_k + μ·(−f)(x_k) and
 * the momentum ν acts on y-differences, so f is evaluated at the extrapolated point x_k. Setting
 * ν = γ, μ ↔ −(1 − γ) identifies the two up to where f is evaluated; both are invertible given f
 * (here because 0 &lt; γ). With γ = 0 the block is the plain ResNet step x + f(x) (not invertible).
 */
public final class MomentumResidualBlock extends Layer {
    private final Layer f;
    private final double gamma;

    /**
     * {@code gamma} in (0, 1); {@code f} must map a tensor to one of the same shape.
     *
     * @param f the residual function; registered as sub-module {@code "f"}
     * @param gamma the momentum γ
     * @throws IllegalArgumentException if γ is outside (0, 1)
     */
    public MomentumResidualBlock(Layer f, double gamma) {
        if (!(gamma > 0 && gamma < 1)) {
            throw new IllegalArgumentException("momentum gamma must be in (0, 1), got " + gamma);
        }
        this.f = module("f", f);
        this.gamma = gamma;
    }

    /**
     * The residual function f.
     *
     * @return f
     */
    public Layer function() {
        return f;
    }

    /**
     * The momentum γ.
     *
     * @return γ, in (0, 1)
     */
    public double gamma() {
        return gamma;
    }

    /**
     * The two streams after a step.
     *
     * @param x the position x_{t+1}
     * @param v the velocity v_{t+1}
     */
    public record State(Tensor x, Tensor v) {
    }

    /**
     * One recorded step from (x, v); {@code v} null means zero velocity.
     *
     * @param x the position x_t
     * @param v the velocity v_t, same shape, or {@code null} for zero
     * @return (x_{t+1}, v_{t+1}), new tensors owned like any op result
     * @throws IllegalArgumentException if f changes the shape
     */
    public State step(Tensor x, Tensor v) {
        Tensor fx = f.forward(x);
        checkShape(x, fx);
        Tensor vNext = v == null ? Axpby.scale(1 - gamma, fx) : Axpby.apply(gamma, v, 1 - gamma, fx);
        return new State(x.add(vNext), vNext);
    }

    /** The block alone from zero velocity: x + (1 − γ)·f(x). */
    @Override
    public Tensor forward(Tensor x) {
        return step(x, null).x();
    }

    /** In place, without a graph: v ← γ·v + (1 − γ)·fx, x ← x + v. */
    void advance(Backend be, NdArray x, NdArray v, NdArray fx) {
        be.elementwise().binaryScalar(BinaryOp.MUL, v, gamma, v);
        try (NdArray t = NdArray.zeros(fx.dtype(), fx.shape())) {
            be.elementwise().binaryScalar(BinaryOp.MUL, fx, 1 - gamma, t);
            be.elementwise().add(v, t, v);
        }
        be.elementwise().add(x, v, x);
    }

    /** In place, the inverse of {@link #advance} for the velocity: v ← (v − (1 − γ)·fx) / γ. */
    void retreatVelocity(Backend be, NdArray v, NdArray fx) {
        try (NdArray t = NdArray.zeros(fx.dtype(), fx.shape())) {
            be.elementwise().binaryScalar(BinaryOp.MUL, fx, 1 - gamma, t);
            be.elementwise().binary(BinaryOp.SUB, v, t, v);
        }
        be.elementwise().binaryScalar(BinaryOp.DIV, v, gamma, v);
    }

    static void checkShape(Tensor x, Tensor fx) {
        if (!fx.shape().equals(x.shape())) {
            throw new IllegalArgumentException("a momentum residual function must preserve the shape: input "
                    + x.shape() + ", output " + fx.shape());
        }
    }
}
