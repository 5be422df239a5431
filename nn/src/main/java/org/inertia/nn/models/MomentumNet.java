package org.inertia.nn.models;

import java.util.ArrayList;
import java.util.List;
import org.inertia.kernels.Backend;
import org.inertia.kernels.BinaryOp;
import org.inertia.kernels.NdArray;
import org.inertia.nn.autograd.GradMode;
import org.inertia.nn.autograd.Node;
import org.inertia.nn.autograd.Tensor;
import org.inertia.nn.autograd.TensorScope;
import org.inertia.nn.layers.Layer;

/**
 * A stack of {@link MomentumResidualBlock}s sharing one γ, started from zero velocity, returning the final
 * x (Sander et al. 2021's {@code MomentumNet}). Two backward modes:
 *
 * <ul>
 *   <li>{@link Mode#STORE_ACTIVATIONS}: ordinary autograd; every block's activations stay alive until
 *       backward, so memory grows linearly with depth.</li>
 *   <li>{@link Mode#INVERT}: the forward runs without a graph and keeps only the final (x_T, v_T). One
 *       custom node's backward walks the blocks from last to first, reconstructing
 *       x_t = x_{t+1} − v_{t+1} and v_t = (v_{t+1} − (1 − γ)·f(x_t))/γ, re-running f(x_t) with a graph and
 *       back-propagating through it alone. With a = ∂L/∂x_{t+1} and b = ∂L/∂v_{t+1}:
 *       <pre>
 *         c = a + b                      (x_{t+1} = x_t + v_{t+1} also depends on v_{t+1})
 *         ∂L/∂x_t = a + (1 − γ)·J_f(x_t)ᵀ c,   ∂L/∂v_t = γ·c,   ∂L/∂θ_t += (1 − γ)·J_{f,θ}ᵀ c
 *       </pre>
 *       Memory is O(1) in depth: the streams, their gradients, and one block's graph at a time.</li>
 * </ul>
 *
 * In {@code INVERT} mode the parameters' gradients are accumulated straight into their {@code grad()}
 * (they must be leaves, as module parameters are), f must be deterministic (no dropout; batch norm in
 * training mode sees the same batch again but updates its running statistics a second time), backward
 * must run with grad mode on, and the reconstruction's rounding error grows like γ^{−T}, which is small
 * for γ = 0.9 and the depths used in practice.
 */
public final class MomentumNet extends Layer {
    /** How backward obtains the activations. */
    public enum Mode {
        /** Ordinary autograd: every block's activations are kept for backward (memory linear in depth). */
        STORE_ACTIVATIONS,
        /** Backward reconstructs the activations by inverting the blocks (memory constant in depth). */
        INVERT
    }

    private final List<MomentumResidualBlock> blocks = new ArrayList<>();
    private final Mode mode;

    /**
     * A stack of one {@link MomentumResidualBlock} per function, registered as sub-modules {@code "0"},
     * {@code "1"}, …
     *
     * @param functions the residual functions f_1 … f_T, each shape-preserving; at least one
     * @param gamma the momentum γ, in (0, 1)
     * @param mode how backward obtains the activations
     * @throws IllegalArgumentException if {@code functions} is empty or γ is outside (0, 1)
     */
    public MomentumNet(List<? extends Layer> functions, double gamma, Mode mode) {
        java.util.Objects.requireNonNull(functions, "MomentumNet: functions is null");
        java.util.Objects.requireNonNull(mode, "MomentumNet: mode is null");
        if (functions.isEmpty()) {
            throw new IllegalArgumentException("MomentumNet: functions must not be empty");
        }
        for (int i = 0; i < functions.size(); i++) {
            blocks.add(module(Integer.toString(i), new MomentumResidualBlock(functions.get(i), gamma)));
        }
        this.mode = mode;
    }

    /**
     * How backward obtains the activations.
     *
     * @return the mode given at construction
     */
    public Mode mode() {
        return mode;
    }

    /**
     * The blocks.
     *
     * @return a new unmodifiable list of the blocks, in order
     */
    public List<MomentumResidualBlock> blocks() {
        return List.copyOf(blocks);
    }

    @Override
    public Tensor forward(Tensor x) {
        return mode == Mode.STORE_ACTIVATIONS ? forwardStored(x) : forwardInvertible(x);
    }

    private Tensor forwardStored(Tensor x) {
        Tensor h = x;
        Tensor v = null;
        for (MomentumResidualBlock b : blocks) {
            MomentumResidualBlock.State s = b.step(h, v);
            h = s.x();
            v = s.v();
        }
        return h;
    }

    private Tensor forwardInvertible(Tensor x0) {
        Backend be = x0.backend();
        NdArray x = NdArray.zeros(x0.dtype(), x0.shape());
        NdArray v = NdArray.zeros(x0.dtype(), x0.shape());
        be.blas1().copy(x0.data(), x);
        try (var noGrad = GradMode.off()) {
            for (MomentumResidualBlock b : blocks) {
                try (TensorScope step = TensorScope.open()) {
                    Tensor in = Tensor.constant(x.view());
                    Tensor fx = b.function().forward(in);
                    MomentumResidualBlock.checkShape(in, fx);
                    b.advance(be, x, v, fx.data());
                }
            }
        } catch (RuntimeException e) {
            x.close();
            v.close();
            throw e;
        }
        List<Tensor> inputs = new ArrayList<>();
        inputs.add(x0);
        inputs.addAll(parameters());
        return Tensor.result(x, be, new Reverse(inputs.toArray(Tensor[]::new), x, v));
    }

    /** The backward of the whole stack by reconstruction (see the class comment). */
    private final class Reverse extends Node {
        private final NdArray xT; // the output's data (owned by the output tensor)
        private NdArray vT;

        Reverse(Tensor[] inputs, NdArray xT, NdArray vT) {
            super(inputs);
            this.xT = xT;
            this.vT = vT;
        }

        @Override
        public String name() {
            return "momentum_net";
        }

        @Override
        protected void backward(Backend be, NdArray g, GradientSink sink) {
            if (!GradMode.isEnabled()) {
                throw new IllegalStateException("MomentumNet's invertible backward re-runs the blocks with a graph;"
                        + " call backward with grad mode on");
            }
            NdArray x = xT.copy();
            NdArray v = vT.copy();
            NdArray gx = g.copy();
            NdArray gv = NdArray.zeros(g.dtype(), g.shape());
            try {
                for (int t = blocks.size() - 1; t >= 0; t--) {
                    MomentumResidualBlock b = blocks.get(t);
                    double gamma = b.gamma();
                    be.elementwise().sub(x, v, x); // x_t
                    be.elementwise().add(gv, gx, gv); // c = a + b
                    try (TensorScope step = TensorScope.open(); Tensor xt = Tensor.parameter(x.copy());
                         NdArray seed = NdArray.zeros(g.dtype(), g.shape())) {
                        Tensor fx = b.function().forward(xt);
                        b.retreatVelocity(be, v, fx.data()); // v_t
                        be.elementwise().binaryScalar(BinaryOp.MUL, gv, 1 - gamma, seed);
                        fx.backward(seed, false);
                        if (xt.grad() != null) {
                            be.elementwise().add(gx, xt.grad(), gx);
                        }
                    }
                    be.elementwise().binaryScalar(BinaryOp.MUL, gv, gamma, gv);
                }
                if (sink.wants(0)) {
                    sink.accept(0, gx);
                    gx = null;
                }
            } finally {
                x.close();
                v.close();
                gv.close();
                if (gx != null) {
                    gx.close();
                }
            }
        }

        @Override
        protected void release() {
            if (vT != null) {
                vT.close();
                vT = null;
            }
        }
    }
}
