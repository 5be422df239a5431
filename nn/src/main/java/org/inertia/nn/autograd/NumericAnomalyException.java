package org.inertia.nn.autograd;

/** Thrown in {@link AnomalyMode} by the first op whose forward or backward makes a NaN or ±Inf. */
public final class NumericAnomalyException extends ArithmeticException {
    /**
     * Creates the exception.
     *
     * @param message the op, forward or backward, and where the first non-finite value is
     */
    public NumericAnomalyException(String message) {
        super(message);
    }
}
