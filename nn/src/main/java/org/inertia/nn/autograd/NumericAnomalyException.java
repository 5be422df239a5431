package org.inertia.nn.autograd;

/** Thrown in {@link AnomalyMode} by the first op whose forward or backward makes a NaN or ±Inf. */
public final class NumericAnomalyException extends ArithmeticException {
    public NumericAnomalyException(String message) {
        super(message);
    }
}
