package org.inertia.optim;

import java.util.List;

/**
 * Anything that owns trainable parameters with gradient buffers, such as an nn {@code Module}: what
 * {@link Optimizer#addGroup(Optimizer.Hyper, ParameterSource)} takes, so that
 * {@code optimizer.addGroup(hyper, model)} reads like PyTorch's {@code Adam(model.parameters())}. The optim
 * module does not depend on nn; nn's modules implement this interface.
 */
@FunctionalInterface
public interface ParameterSource {
    /**
     * Every parameter with its gradient buffer, in a fixed order (the order a checkpoint stores the
     * optimizer's per-parameter state in). Gradient buffers must exist when this returns, so that an
     * optimizer can be built before the first backward.
     *
     * @return the (param, grad) pairs, in their fixed order; the arrays stay owned by the source
     */
    List<Params> optimizerParams();
}
