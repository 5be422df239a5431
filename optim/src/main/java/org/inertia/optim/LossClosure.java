package org.inertia.optim;

/**
 * Re-evaluates the objective at the current parameters, fills the gradient buffers, and returns the
 * loss (PyTorch's {@code closure}). Methods that need the objective (adaptive restart) take one in
 * {@link Optimizer#step(LossClosure)}.
 */
@FunctionalInterface
public interface LossClosure {
    /**
     * Evaluates the objective at the current parameters and fills the gradient buffers with its gradient.
     *
     * @return the loss at the current parameters
     */
    double evaluate();
}
