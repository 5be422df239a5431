package org.inertia.bench.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.inertia.nn.Tensor;
import org.inertia.optim.Optimizer;
import org.inertia.optim.Params;

/**
 * An optim-library optimizer over nn parameters, created at the first {@link #step()}: nn allocates a
 * parameter's gradient buffer in its first backward (and accumulates into that buffer afterwards), so
 * the (param, grad) pairs the optimizer needs exist only then.
 */
public final class LazyOptimizer implements AutoCloseable {
    private final List<Tensor> parameters;
    private final Function<List<Params>, Optimizer<?>> factory;
    private Optimizer<?> optimizer;

    public LazyOptimizer(List<Tensor> parameters, Function<List<Params>, Optimizer<?>> factory) {
        this.parameters = List.copyOf(parameters);
        this.factory = factory;
    }

    /** One optimizer step with the gradients of the last backward, then zeroes them. */
    public void step() {
        if (optimizer == null) {
            List<Params> ps = new ArrayList<>();
            for (Tensor p : parameters) {
                if (p.grad() != null) {
                    ps.add(new Params(p.data(), p.grad()));
                }
            }
            optimizer = factory.apply(ps);
        }
        optimizer.step();
        for (Tensor p : parameters) {
            p.zeroGrad();
        }
    }

    /** The optimizer, or null before the first step. */
    public Optimizer<?> optimizer() {
        return optimizer;
    }

    @Override
    public void close() {
        if (optimizer != null) {
            optimizer.close();
        }
    }
}
