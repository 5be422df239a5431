package org.inertia.app.experiments;

import java.util.List;
import java.util.function.Function;
import org.inertia.nn.autograd.Tensor;
import org.inertia.optim.Optimizer;
import org.inertia.optim.Params;

/**
 * An optim-library optimizer over nn parameters, the step of a training loop: {@link #step()} applies
 * the gradients of the last backward and zeroes them ({@code optimizer.step(); optimizer.zero_grad()}).
 * The (param, grad) pairs come from {@link Tensor#gradBuffer()}, which backward accumulates into.
 */
public final class TrainingOptimizer implements AutoCloseable {
    private final List<Tensor> parameters;
    private final Optimizer<?> optimizer;

    public TrainingOptimizer(List<Tensor> parameters, Function<List<Params>, Optimizer<?>> factory) {
        this.parameters = List.copyOf(parameters);
        this.optimizer = factory.apply(this.parameters.stream().map(p -> new Params(p.data(), p.gradBuffer())).toList());
    }

    /** One optimizer step with the gradients of the last backward, then zeroes them. */
    public void step() {
        optimizer.step();
        for (Tensor p : parameters) {
            p.zeroGrad();
        }
    }

    public Optimizer<?> optimizer() {
        return optimizer;
    }

    @Override
    public void close() {
        optimizer.close();
    }
}
